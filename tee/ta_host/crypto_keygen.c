/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Key generation done on OpenSSL's BIGNUMs rather than through EVP: RSA below 512 bits
 * (EVP refuses them; GP and OP-TEE allow 256) and DH/DSA key values from the TA's domain
 * parameters at every size (EVP refuses DH primes below 512 bits and DSA primes below
 * 1024 bits; the values are simple enough to compute directly, so one path serves all).
 *
 * What each produces, as GP's TEE_GenerateKey describes the objects:
 *  - RSA: primes p > q of half the size each with n = p*q of exactly the key size,
 *    gcd(e, p-1) = gcd(e, q-1) = 1, d = e^-1 mod lcm(p-1, q-1), dp = d mod (p-1),
 *    dq = d mod (q-1), qInv = q^-1 mod p.
 *  - DSA: x uniform in [1, q-1], y = g^x mod p, from domain parameters that pass
 *    q | p-1, 1 < g < p and g^q = 1 mod p.
 *  - DH: x with exactly TEE_ATTR_DH_X_BITS bits when given (and below q when the subprime
 *    is given), else uniform in [1, q-1] with a subprime, else in [2, p-2]; y = g^x mod p.
 *    TEE_ATTR_DH_X_BITS is kept in the object: the given value, else x's bit count.
 */
#include <errno.h>
#include <openssl/bn.h>
#include <stdlib.h>

#include "crypto.h"

/* Appends bn to o as big-endian attribute id. */
static bool add_bn(struct crypto_obj *o, uint32_t id, const BIGNUM *bn)
{
	int len = BN_num_bytes(bn);
	uint8_t *buf = malloc(len ? (size_t)len : 1);
	bool ok = false;

	if (buf) {
		BN_bn2bin(bn, buf);
		ok = crypto_obj_add_buf(o, id, buf, (size_t)len) == 0;
		crypto_free_secret(buf, (size_t)len);
	}
	return ok;
}

static BIGNUM *attr_bn(const struct crypto_obj *o, uint32_t id)
{
	const struct crypto_attr *a = crypto_obj_attr(o, id);

	return a && a->len ? BN_bin2bn(a->buf, (int)a->len, NULL) : NULL;
}

/* A prime of bits bits with gcd(e, prime - 1) = 1. */
static bool rsa_prime(BIGNUM *prime, int bits, const BIGNUM *e, BN_CTX *ctx)
{
	BIGNUM *pm1 = BN_CTX_get(ctx);
	BIGNUM *g = BN_CTX_get(ctx);

	for (int tries = 0; pm1 && g && tries < 100; tries++) {
		if (!BN_generate_prime_ex2(prime, bits, 0, NULL, NULL, NULL, ctx) ||
		    !BN_sub(pm1, prime, BN_value_one()) || !BN_gcd(g, pm1, e, ctx)) {
			return false;
		}
		if (BN_is_one(g)) {
			return true;
		}
	}
	return false;
}

TEE_Result crypto_keygen_rsa(struct crypto_obj *o, uint32_t bits, const BIGNUM *e_in)
{
	BN_CTX *ctx = BN_CTX_secure_new();
	BIGNUM *e = NULL, *p = NULL, *q = NULL, *n = NULL, *d = NULL, *pm1 = NULL, *qm1 = NULL;
	BIGNUM *lcm = NULL, *g = NULL, *dp = NULL, *dq = NULL, *qinv = NULL;
	TEE_Result res = TEE_ERROR_GENERIC;
	bool ok = false;

	if (!ctx) {
		return TEE_ERROR_OUT_OF_MEMORY;
	}
	BN_CTX_start(ctx);
	e = BN_CTX_get(ctx);
	p = BN_CTX_get(ctx);
	q = BN_CTX_get(ctx);
	n = BN_CTX_get(ctx);
	d = BN_CTX_get(ctx);
	pm1 = BN_CTX_get(ctx);
	qm1 = BN_CTX_get(ctx);
	lcm = BN_CTX_get(ctx);
	g = BN_CTX_get(ctx);
	dp = BN_CTX_get(ctx);
	dq = BN_CTX_get(ctx);
	qinv = BN_CTX_get(ctx);
	if (!qinv || !(e_in ? BN_copy(e, e_in) != NULL : BN_set_word(e, 65537))) {
		res = TEE_ERROR_OUT_OF_MEMORY;
		goto out;
	}
	/* both primes' top two bits are set (BN_generate_prime), so n has bits bits; the
	 * check stays for safety against a change there */
	for (int tries = 0; !ok && tries < 100; tries++) {
		ok = rsa_prime(p, (int)(bits - bits / 2), e, ctx) &&
		     rsa_prime(q, (int)(bits / 2), e, ctx) && BN_cmp(p, q) != 0 &&
		     BN_mul(n, p, q, ctx) && BN_num_bits(n) == (int)bits;
	}
	if (!ok) {
		goto out;
	}
	if (BN_cmp(p, q) < 0) {
		BN_swap(p, q);
	}
	/* d = e^-1 mod lcm(p-1, q-1) */
	ok = BN_sub(pm1, p, BN_value_one()) && BN_sub(qm1, q, BN_value_one()) &&
	     BN_gcd(g, pm1, qm1, ctx) && BN_mul(lcm, pm1, qm1, ctx) &&
	     BN_div(lcm, NULL, lcm, g, ctx) && BN_mod_inverse(d, e, lcm, ctx) &&
	     BN_mod(dp, d, pm1, ctx) && BN_mod(dq, d, qm1, ctx) &&
	     BN_mod_inverse(qinv, q, p, ctx) && add_bn(o, TEE_ATTR_RSA_MODULUS, n) &&
	     add_bn(o, TEE_ATTR_RSA_PUBLIC_EXPONENT, e) &&
	     add_bn(o, TEE_ATTR_RSA_PRIVATE_EXPONENT, d) && add_bn(o, TEE_ATTR_RSA_PRIME1, p) &&
	     add_bn(o, TEE_ATTR_RSA_PRIME2, q) && add_bn(o, TEE_ATTR_RSA_EXPONENT1, dp) &&
	     add_bn(o, TEE_ATTR_RSA_EXPONENT2, dq) && add_bn(o, TEE_ATTR_RSA_COEFFICIENT, qinv);
	res = ok ? TEE_SUCCESS : TEE_ERROR_GENERIC;
out:
	BN_CTX_end(ctx); /* clears the values: a secure context */
	BN_CTX_free(ctx);
	return res;
}

/* x uniform in [lo, hi - 1] for lo in {1, 2}. */
static bool rand_below(BIGNUM *x, const BIGNUM *hi, unsigned lo, BN_CTX *ctx)
{
	BIGNUM *range = BN_CTX_get(ctx);

	return range && BN_copy(range, hi) && BN_sub_word(range, lo) && !BN_is_zero(range) &&
	       BN_priv_rand_range_ex(x, range, 0, ctx) && BN_add_word(x, lo);
}

TEE_Result crypto_keygen_ffc(struct crypto_obj *o, uint32_t key_size, bool dh, uint32_t xbits)
{
	BN_CTX *ctx = BN_CTX_secure_new();
	BIGNUM *p = attr_bn(o, dh ? TEE_ATTR_DH_PRIME : TEE_ATTR_DSA_PRIME);
	BIGNUM *g = attr_bn(o, dh ? TEE_ATTR_DH_BASE : TEE_ATTR_DSA_BASE);
	BIGNUM *q = attr_bn(o, dh ? TEE_ATTR_DH_SUBPRIME : TEE_ATTR_DSA_SUBPRIME);
	BIGNUM *x = NULL, *y = NULL, *t = NULL, *pm1 = NULL;
	TEE_Result res = TEE_ERROR_BAD_PARAMETERS;
	bool ok = false;

	if (!ctx) {
		res = TEE_ERROR_OUT_OF_MEMORY;
		goto out;
	}
	BN_CTX_start(ctx);
	x = BN_CTX_get(ctx);
	y = BN_CTX_get(ctx);
	t = BN_CTX_get(ctx);
	pm1 = BN_CTX_get(ctx);
	if (!pm1) {
		res = TEE_ERROR_OUT_OF_MEMORY;
		goto out;
	}
	/* the domain: p odd and of the key size (OP-TEE: its bytes), 1 < g < p - 1; a
	 * subprime divides p - 1 and g has its order */
	if (!p || !g || (!dh && !q) || !BN_is_odd(p) ||
	    (uint32_t)BN_num_bytes(p) * 8 != (key_size + 7) / 8 * 8 ||
	    !BN_sub(pm1, p, BN_value_one()) || BN_cmp(g, BN_value_one()) <= 0 ||
	    BN_cmp(g, pm1) >= 0) {
		goto out;
	}
	if (q && (BN_cmp(q, BN_value_one()) <= 0 || !BN_mod(t, pm1, q, ctx) || !BN_is_zero(t) ||
		  !BN_mod_exp(t, g, q, p, ctx) || !BN_is_one(t))) {
		goto out;
	}
	if (xbits) {
		/* exactly xbits bits, below p - 1 and q */
		if (xbits > (uint32_t)BN_num_bits(q ? q : p)) {
			goto out;
		}
		for (int tries = 0; !ok && tries < 1000; tries++) {
			if (!BN_priv_rand_ex(x, (int)xbits, BN_RAND_TOP_ONE, BN_RAND_BOTTOM_ANY, 0,
					     ctx)) {
				break;
			}
			ok = BN_cmp(x, q ? q : pm1) < 0 && !BN_is_one(x);
		}
	} else {
		ok = rand_below(x, q ? q : pm1, q ? 1 : 2, ctx);
	}
	ok = ok && BN_mod_exp_mont_consttime(y, g, x, p, ctx, NULL) &&
	     add_bn(o, dh ? TEE_ATTR_DH_PUBLIC_VALUE : TEE_ATTR_DSA_PUBLIC_VALUE, y) &&
	     add_bn(o, dh ? TEE_ATTR_DH_PRIVATE_VALUE : TEE_ATTR_DSA_PRIVATE_VALUE, x) &&
	     (!dh || crypto_obj_add_value(o, TEE_ATTR_DH_X_BITS,
					  xbits ? xbits : (uint32_t)BN_num_bits(x), 0) == 0);
	res = ok ? TEE_SUCCESS : TEE_ERROR_GENERIC;
out:
	if (ctx) {
		BN_CTX_end(ctx);
	}
	BN_CTX_free(ctx);
	BN_free(p);
	BN_free(g);
	BN_free(q);
	return res;
}
