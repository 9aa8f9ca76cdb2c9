/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * crypto_eddsa.c (Ed25519ctx / Ed25519ph on libsodium) linked directly:
 *  1. its pure form (no dom2) against OpenSSL's Ed25519 on random keys and messages: the
 *     same signatures byte for byte, each accepting the other's;
 *  2. RFC 8032 7.2 and 7.3 through the library (the TA-level vectors are data/asym.txt);
 *  3. the verification rules on crafted inputs: S >= L, non-canonical and small-order
 *     keys, mixed-order keys, the identity key's universal forgery, wrong lengths; for each
 *     the pure form's answer is printed next to OpenSSL's;
 *  4. the variant rules: context of 255 bytes at most, no empty Ed25519ctx context.
 */
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <tzm_test.h>

#include "crypto_eddsa.h"

static const struct crypto_eddsa_variant pure = { 0 };

static size_t unhex(const char *hex, uint8_t *out, size_t max)
{
	size_t n = strlen(hex) / 2;

	ASSERT_TRUE(n <= max);
	for (size_t i = 0; i < n; i++) {
		unsigned v = 0;

		ASSERT_EQ_INT(sscanf(hex + 2 * i, "%2x", &v), 1);
		out[i] = (uint8_t)v;
	}
	return n;
}

static bool openssl_verify(const uint8_t *pub, const uint8_t *sig, size_t sig_len,
			   const uint8_t *msg, size_t len)
{
	EVP_PKEY *pk = EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, NULL, pub, 32);
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	bool ok = pk && md && EVP_DigestVerifyInit(md, NULL, NULL, NULL, pk) == 1 &&
		  EVP_DigestVerify(md, sig, sig_len, msg, len) == 1;

	EVP_MD_CTX_free(md);
	EVP_PKEY_free(pk);
	return ok;
}

static void pure_against_openssl(void)
{
	TEST_STEP("64 random keys, messages of 0 to 252 bytes");
	for (int i = 0; i < 64; i++) {
		uint8_t seed[32], pub[32], msg[300], sig[64], ossl_sig[64];
		size_t len = (size_t)i * 4, pl = sizeof(pub), sl = sizeof(ossl_sig);
		EVP_PKEY *pk = NULL;
		EVP_MD_CTX *md = EVP_MD_CTX_new();

		ASSERT_EQ_INT(RAND_bytes(seed, sizeof(seed)), 1);
		ASSERT_EQ_INT(RAND_bytes(msg, sizeof(msg)), 1);
		pk = EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, NULL, seed, 32);
		ASSERT_TRUE(pk != NULL && md != NULL);
		ASSERT_EQ_INT(EVP_PKEY_get_raw_public_key(pk, pub, &pl), 1);
		ASSERT_EQ_INT(EVP_DigestSignInit(md, NULL, NULL, NULL, pk), 1);
		ASSERT_EQ_INT(EVP_DigestSign(md, ossl_sig, &sl, msg, len), 1);
		ASSERT_EQ_INT(crypto_eddsa_sign(sig, seed, pub, &pure, msg, len), 0);
		ASSERT_EQ_MEM(sig, ossl_sig, 64);
		ASSERT_TRUE(crypto_eddsa_verify(ossl_sig, 64, pub, &pure, msg, len));
		ASSERT_TRUE(openssl_verify(pub, sig, 64, msg, len));
		/* a wrong public key for the seed is refused, not used */
		pub[0] ^= 1;
		ASSERT_EQ_INT(crypto_eddsa_sign(sig, seed, pub, &pure, msg, len), -1);
		EVP_MD_CTX_free(md);
		EVP_PKEY_free(pk);
	}
	printf("  ok   pure Ed25519: 64 random keys, same signatures as OpenSSL\n");
}

struct kat {
	const char *seed, *pub, *msg, *ctx, *sig;
	bool ph;
};

/* RFC 8032 7.2 (Ed25519ctx, first and last) and 7.3 (Ed25519ph) */
static const struct kat kats[] = {
	{ "0305334e381af78f141cb666f6199f57bc3495335a256a95bd2a55bf546663f6",
	  "dfc9425e4f968f7f0c29f0259cf5f9aed6851c2bb4ad8bfb860cfee0ab248292",
	  "f726936d19c800494e3fdaff20b276a8", "666f6f",
	  "55a4cc2f70a54e04288c5f4cd1e45a7bb520b36292911876cada7323198dd87a"
	  "8b36950b95130022907a7fb7c4e9b2d5f6cca685a587b4b21f4b888e4e7edb0d",
	  false },
	{ "ab9c2853ce297ddab85c993b3ae14bcad39b2c682beabc27d6d4eb20711d6560",
	  "0f1d1274943b91415889152e893d80e93275a1fc0b65fd71b4b0dda10ad7d772",
	  "f726936d19c800494e3fdaff20b276a8", "666f6f",
	  "21655b5f1aa965996b3f97b3c849eafba922a0a62992f73b3d1b73106a84ad85"
	  "e9b86a7b6005ea868337ff2d20a7f5fbd4cd10b0be49a68da2b2e0dc0ad8960f",
	  false },
	{ "833fe62409237b9d62ec77587520911e9a759cec1d19755b7da901b96dca3d42",
	  "ec172b93ad5e563bf4932c70e1245034c35467ef2efd4d64ebf819683467e2bf", "616263", "",
	  "98a70222f0b8121aa9d30f813d683f809e462b469c7ff87639499bb94e6dae41"
	  "31f85042463c2a355a2003d062adf5aaa10b8c61e636062aaad11c2a26083406",
	  true },
};

static void rfc_vectors(void)
{
	for (size_t i = 0; i < sizeof(kats) / sizeof(kats[0]); i++) {
		uint8_t seed[32], pub[32], msg[64], ctx[16], want[64], sig[64];
		size_t ml = unhex(kats[i].msg, msg, sizeof(msg));
		struct crypto_eddsa_variant v = { .dom = true, .ph = kats[i].ph, .ctx = ctx };

		TEST_STEP("RFC 8032 %s vector %zu", kats[i].ph ? "Ed25519ph" : "Ed25519ctx", i);
		unhex(kats[i].seed, seed, sizeof(seed));
		unhex(kats[i].pub, pub, sizeof(pub));
		unhex(kats[i].sig, want, sizeof(want));
		v.ctx_len = unhex(kats[i].ctx, ctx, sizeof(ctx));
		ASSERT_EQ_INT(crypto_eddsa_sign(sig, seed, pub, &v, msg, ml), 0);
		ASSERT_EQ_MEM(sig, want, 64);
		ASSERT_TRUE(crypto_eddsa_verify(sig, 64, pub, &v, msg, ml));
		/* the same signature is no pure Ed25519 one, nor one of the other instance */
		ASSERT_TRUE(!crypto_eddsa_verify(sig, 64, pub, &pure, msg, ml));
		ASSERT_TRUE(!openssl_verify(pub, sig, 64, msg, ml));
		v.ph = !v.ph;
		if (crypto_eddsa_variant_ok(&v)) {
			ASSERT_TRUE(!crypto_eddsa_verify(sig, 64, pub, &v, msg, ml));
		}
	}
	printf("  ok   RFC 8032 7.2/7.3 vectors through the library\n");
}

/* (a + b) little-endian, 32 bytes (no carry out for the values used here) */
static void add_le(uint8_t *a, const uint8_t *b)
{
	unsigned carry = 0;

	for (size_t i = 0; i < 32; i++) {
		carry += (unsigned)a[i] + b[i];
		a[i] = (uint8_t)carry;
		carry >>= 8;
	}
	ASSERT_EQ_INT(carry, 0);
}

static const uint8_t group_order[32] = { 0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58,
					 0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9, 0xde, 0x14,
					 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
					 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x10 };

/* One crafted input: ours must reject; OpenSSL's answer on the pure form is shown. */
static void reject(const char *what, const uint8_t *sig, size_t sig_len, const uint8_t *pub,
		   const struct crypto_eddsa_variant *ctx_v, const uint8_t *msg, size_t len,
		   int openssl_must)
{
	bool ossl = openssl_verify(pub, sig, sig_len, msg, len);

	TEST_STEP("%s", what);
	ASSERT_TRUE(!crypto_eddsa_verify(sig, sig_len, pub, &pure, msg, len));
	ASSERT_TRUE(!crypto_eddsa_verify(sig, sig_len, pub, ctx_v, msg, len));
	if (openssl_must >= 0) {
		ASSERT_EQ_INT(ossl, openssl_must);
	}
	printf("  ok   rejected: %-52s (OpenSSL pure Ed25519: %s)\n", what,
	       ossl ? "accepts" : "rejects");
}

/* Order-8 and order-4 points (their order is checked below, not taken on trust). */
static const char *const small_order_hex[] = {
	"0100000000000000000000000000000000000000000000000000000000000000", /* identity */
	"ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f", /* (0, -1) */
	"0000000000000000000000000000000000000000000000000000000000000000", /* order 4 */
	"c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a", /* order 8 */
	"26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05", /* order 8 */
};

static bool is_identity(const uint8_t p[32])
{
	static const uint8_t id[32] = { 1 };

	return memcmp(p, id, 32) == 0;
}

/*
 * Signs msg with seed's scalar s but hashes key_enc as the public key: S = r + k s with
 * k = H(R || key_enc || M). For key_enc = A + T this satisfies R = [S]B - [k](A + T) when
 * [k]T is the identity, so a few messages (counter appended) are tried until k = 0 mod 8.
 * false if none of 256 tries works (probability 2^-49).
 */
static bool forge_with_key(uint8_t sig[64], const uint8_t seed[32], const uint8_t key_enc[32],
			   const uint8_t *msg, size_t len)
{
	uint8_t h[64], r[32], k[32], ks[32], wide[64];
	crypto_hash_sha512_state st;

	crypto_hash_sha512(h, seed, 32);
	h[0] &= 248;
	h[31] &= 127;
	h[31] |= 64;
	for (int attempt = 0; attempt < 256; attempt++) {
		crypto_core_ed25519_scalar_random(r);
		ASSERT_EQ_INT(crypto_scalarmult_ed25519_base_noclamp(sig, r), 0);
		crypto_hash_sha512_init(&st);
		crypto_hash_sha512_update(&st, sig, 32);
		crypto_hash_sha512_update(&st, key_enc, 32);
		crypto_hash_sha512_update(&st, msg, len);
		crypto_hash_sha512_final(&st, wide);
		crypto_core_ed25519_scalar_reduce(k, wide);
		if (k[0] & 7) {
			continue;
		}
		crypto_core_ed25519_scalar_mul(ks, k, h);
		crypto_core_ed25519_scalar_add(sig + 32, r, ks);
		return true;
	}
	return false;
}

static void crafted(void)
{
	uint8_t seed[32], pub[32], sig[64], bad[65], point[32], t[32], acc[32];
	const uint8_t msg[] = "crafted";
	uint8_t ctxs[] = "ctx";
	struct crypto_eddsa_variant v = { .dom = true, .ctx = ctxs, .ctx_len = 3 };
	size_t len = sizeof(msg) - 1;

	randombytes_buf(seed, sizeof(seed));
	crypto_sign_seed_keypair(pub, bad, seed); /* libsodium's own A for the seed */
	ASSERT_EQ_INT(crypto_eddsa_sign(sig, seed, pub, &pure, msg, len), 0);
	ASSERT_TRUE(crypto_eddsa_verify(sig, 64, pub, &pure, msg, len));

	/* S + L: the same S modulo L, the malleability RFC 8032 forbids */
	memcpy(bad, sig, 64);
	add_le(bad + 32, group_order);
	reject("S + L (same value modulo L)", bad, 64, pub, &v, msg, len, 0);
	memcpy(bad + 32, group_order, 32);
	reject("S = L", bad, 64, pub, &v, msg, len, 0);
	/* and the ctx form with S + L of its own valid signature */
	ASSERT_EQ_INT(crypto_eddsa_sign(sig, seed, pub, &v, msg, len), 0);
	ASSERT_TRUE(crypto_eddsa_verify(sig, 64, pub, &v, msg, len));
	memcpy(bad, sig, 64);
	add_le(bad + 32, group_order);
	TEST_STEP("Ed25519ctx S + L");
	ASSERT_TRUE(!crypto_eddsa_verify(bad, 64, pub, &v, msg, len));
	reject("a 63-byte signature", sig, 63, pub, &v, msg, len, 0);
	memcpy(bad, sig, 64);
	bad[64] = 0;
	reject("a 65-byte signature", bad, 65, pub, &v, msg, len, 0);

	/* small-order keys; the identity key makes (R = [S]B, S) valid for every message */
	for (size_t i = 0; i < sizeof(small_order_hex) / sizeof(small_order_hex[0]); i++) {
		char what[80];

		unhex(small_order_hex[i], point, sizeof(point));
		TEST_STEP("small-order point %zu has order dividing 8", i);
		memcpy(acc, point, 32);
		for (int d = 0; d < 3; d++) {
			ASSERT_EQ_INT(crypto_core_ed25519_add(t, acc, acc), 0);
			memcpy(acc, t, 32);
		}
		ASSERT_TRUE(is_identity(acc));
		randombytes_buf(bad + 32, 32);
		bad[63] &= 0x0f; /* S < L */
		ASSERT_EQ_INT(crypto_scalarmult_ed25519_base_noclamp(bad, bad + 32), 0);
		snprintf(what, sizeof(what), "small-order key %zu, R = [S]B", i);
		reject(what, bad, 64, point, &v, msg, len, -1);
	}
	/* a mixed-order key A' = A + T (T of order 8), with a signature that satisfies the
	 * cofactorless equation for A' (k = 0 mod 8); the same forger with T = identity makes
	 * a signature that is accepted, which shows the forger is right */
	ASSERT_TRUE(forge_with_key(sig, seed, pub, msg, len));
	TEST_STEP("the forger's signature under the signer's own key");
	ASSERT_TRUE(crypto_eddsa_verify(sig, 64, pub, &pure, msg, len));
	ASSERT_TRUE(openssl_verify(pub, sig, 64, msg, len));
	unhex(small_order_hex[3], point, sizeof(point));
	ASSERT_EQ_INT(crypto_core_ed25519_add(t, pub, point), 0);
	ASSERT_TRUE(forge_with_key(sig, seed, t, msg, len));
	reject("mixed-order key A + T8, cofactorless-valid signature", sig, 64, t, &v, msg, len,
	       -1);
	/* y >= p: the identity written as y = p + 1 */
	unhex("eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f", point,
	      sizeof(point));
	randombytes_buf(bad + 32, 32);
	bad[63] &= 0x0f;
	ASSERT_EQ_INT(crypto_scalarmult_ed25519_base_noclamp(bad, bad + 32), 0);
	reject("non-canonical key (y = p + 1, the identity)", bad, 64, point, &v, msg, len, -1);
	/* R with y >= p cannot be made to verify; R's sign bit flipped is another point */
	ASSERT_EQ_INT(crypto_eddsa_sign(sig, seed, pub, &pure, msg, len), 0);
	memcpy(bad, sig, 64);
	bad[31] ^= 0x80;
	reject("R with its sign bit flipped", bad, 64, pub, &v, msg, len, 0);
}

static void variants(void)
{
	static uint8_t ctx[256];
	struct crypto_eddsa_variant v = { .dom = true, .ctx = ctx, .ctx_len = 255 };
	uint8_t seed[32], pub[32], sk[64], sig[64];

	TEST_STEP("context lengths");
	randombytes_buf(seed, sizeof(seed));
	crypto_sign_seed_keypair(pub, sk, seed);
	ASSERT_TRUE(crypto_eddsa_variant_ok(&v));
	ASSERT_EQ_INT(crypto_eddsa_sign(sig, seed, pub, &v, ctx, 10), 0);
	ASSERT_TRUE(crypto_eddsa_verify(sig, 64, pub, &v, ctx, 10));
	v.ctx_len = 256;
	ASSERT_TRUE(!crypto_eddsa_variant_ok(&v));
	ASSERT_EQ_INT(crypto_eddsa_sign(sig, seed, pub, &v, ctx, 10), -1);
	ASSERT_TRUE(!crypto_eddsa_verify(sig, 64, pub, &v, ctx, 10));
	TEST_STEP("Ed25519ctx needs a context; Ed25519ph may have none; pure has neither");
	v.ctx_len = 0;
	ASSERT_TRUE(!crypto_eddsa_variant_ok(&v));
	v.ph = true;
	ASSERT_TRUE(crypto_eddsa_variant_ok(&v));
	v.dom = false;
	ASSERT_TRUE(!crypto_eddsa_variant_ok(&v));
	v.ph = false;
	v.ctx_len = 1;
	ASSERT_TRUE(!crypto_eddsa_variant_ok(&v));
	sodium_memzero(sk, sizeof(sk));
	printf("  ok   variant rules (context <= 255 bytes, none empty for Ed25519ctx)\n");
}

int main(void)
{
	ASSERT_EQ_INT(crypto_eddsa_init(), 0);
	pure_against_openssl();
	rfc_vectors();
	crafted();
	variants();
	return 0;
}
