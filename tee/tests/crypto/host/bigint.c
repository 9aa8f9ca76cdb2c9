/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The TEE Arithmetical API against OpenSSL's BN on random values: every function the test
 * TA exposes (crypto_ta.h, BI_*), operands of 64, 521 and 2048 bits with random signs,
 * moduli odd and even, results compared as signed numbers.
 */
#include <openssl/bn.h>
#include <openssl/rand.h>
#include <string.h>
#include <tee_test.h>

#include "crypto_host.h"
#include "crypto_ta.h"

static void add_bn(struct req *r, uint32_t tag, const BIGNUM *v)
{
	uint8_t buf[600];
	int n = BN_num_bytes(v);

	buf[0] = BN_is_negative(v) ? 1 : 0;
	BN_bn2bin(v, buf + 1);
	req_add(r, tag, buf, (size_t)n + 1);
}

/* Result number idx of the TA's answer. */
static BIGNUM *result_bn(const uint8_t *out, size_t len, uint32_t idx)
{
	size_t off = 0;

	while (off + 8 <= len) {
		uint32_t tag = 0, l = 0;

		memcpy(&tag, out + off, 4);
		memcpy(&l, out + off + 4, 4);
		QCHECK(l >= 1 && l <= len - off - 8, "malformed bigint result");
		if (tag == idx) {
			BIGNUM *v = BN_bin2bn(out + off + 9, (int)l - 1, NULL);

			BN_set_negative(v, out[off + 8]);
			return v;
		}
		off += 8 + ((l + 3) & ~3u);
	}
	TEST_FAIL("bigint result %u missing", idx);
	return NULL;
}

static void expect(const char *what, int fn, int idx, const BIGNUM *got, const BIGNUM *want)
{
	if (BN_cmp(got, want)) {
		char *g = BN_bn2hex(got), *w = BN_bn2hex(want);

		fprintf(stderr, "    got  %s\n    want %s\n", g, w);
		OPENSSL_free(g);
		OPENSSL_free(w);
		TEST_FAIL("%s (function %d, result %d): TA and OpenSSL differ", what, fn, idx);
	}
}

static BIGNUM *rnd(int bits, bool may_be_negative)
{
	BIGNUM *v = BN_new();
	unsigned char coin = 0;

	BN_rand(v, bits, BN_RAND_TOP_ANY, BN_RAND_BOTTOM_ANY);
	RAND_bytes(&coin, 1);
	if (may_be_negative && (coin & 1)) {
		BN_set_negative(v, 1);
	}
	return v;
}

unsigned diff_bigint(TEEC_Session *s, bool quick)
{
	static const int sizes[] = { 64, 521, 2048 };
	static struct req r;
	static uint8_t out[4096];
	BN_CTX *ctx = BN_CTX_new();
	unsigned count = 0;

	for (int fn = 0; fn < BI_LAST; fn++) {
		for (size_t si = 0; si < (quick ? 1 : sizeof(sizes) / sizeof(sizes[0])); si++) {
			for (int trial = 0; trial < 4; trial++) {
				int bits = sizes[si];
				bool modular = fn == BI_MOD || fn == BI_ADDMOD || fn == BI_SUBMOD ||
					       fn == BI_MULMOD || fn == BI_SQUAREMOD ||
					       fn == BI_INVMOD || fn == BI_EXPMOD || fn == BI_FMM;
				BIGNUM *a = rnd(bits, true), *b = rnd(bits - 7, true);
				BIGNUM *n = rnd(bits, false), *w0 = BN_new(), *w1 = BN_new(),
				       *w2 = NULL;
				size_t on = sizeof(out);
				TEEC_Result res;

				if (BN_num_bits(n) < 2) {
					BN_set_word(n, 97);
				}
				if (fn == BI_INVMOD || fn == BI_FMM || fn == BI_EXPMOD) {
					BN_set_bit(n, 0); /* odd: inverses exist for most a */
				}
				if (fn == BI_INVMOD) {
					BN_nnmod(a, a, n, ctx);
					while (!BN_mod_inverse(w0, a, n, ctx)) {
						BN_add_word(a, 1);
					}
				}
				if (fn == BI_EXPMOD) {
					BN_set_negative(b, 0);
					BN_rshift(b, b,
						  bits > 64 ? bits - 64 : 0); /* small exponent */
				}
				if (fn == BI_DIV && BN_is_zero(b)) {
					BN_one(b);
				}
				if (fn == BI_SHIFT) {
					BN_set_word(b, (BN_ULONG)(trial * 37 + 1));
				}
				if (fn == BI_ISPRIME && trial % 2) {
					BN_generate_prime_ex(a, bits > 521 ? 521 : bits, 0, NULL,
							     NULL, NULL);
				}
				if (fn == BI_ISPRIME || fn == BI_SQUAREMOD || fn == BI_SQUARE) {
					BN_set_negative(a,
							fn == BI_ISPRIME ? 0 : BN_is_negative(a));
				}
				r.len = 0;
				add_bn(&r, BI_A, a);
				add_bn(&r, BI_B, b);
				add_bn(&r, BI_N, n);
				res = ta_call(s, TA_CRYPTO_CMD_BIGINT, (uint32_t)fn, 0, &r, out,
					      &on, NULL, NULL);
				QEXPECT(res, TEEC_SUCCESS, "TA_CRYPTO_CMD_BIGINT");
				switch (fn) {
				case BI_ADD:
					BN_add(w0, a, b);
					break;
				case BI_SUB:
					BN_sub(w0, a, b);
					break;
				case BI_MUL:
					BN_mul(w0, a, b, ctx);
					break;
				case BI_SQUARE:
					BN_sqr(w0, a, ctx);
					break;
				case BI_DIV:
					BN_div(w0, w1, a, b, ctx);
					break;
				case BI_MOD:
					BN_nnmod(w0, a, n, ctx);
					break;
				case BI_ADDMOD:
					BN_mod_add(w0, a, b, n, ctx);
					break;
				case BI_SUBMOD:
					BN_mod_sub(w0, a, b, n, ctx);
					break;
				case BI_MULMOD:
				case BI_FMM:
					BN_mod_mul(w0, a, b, n, ctx);
					break;
				case BI_SQUAREMOD:
					BN_mod_sqr(w0, a, n, ctx);
					break;
				case BI_INVMOD:
					BN_mod_inverse(w0, a, n, ctx);
					break;
				case BI_EXPMOD:
					BN_nnmod(w1, a, n, ctx);
					BN_mod_exp(w0, w1, b, n, ctx);
					break;
				case BI_GCD: {
					/* u*a + v*b must be gcd(a, b) */
					BIGNUM *g = result_bn(out, on, 0),
					       *u = result_bn(out, on, 1),
					       *v = result_bn(out, on, 2), *t = BN_new();

					BN_gcd(w0, a, b, ctx);
					expect("gcd", fn, 0, g, w0);
					BN_mul(t, u, a, ctx);
					BN_mul(w1, v, b, ctx);
					BN_add(t, t, w1);
					expect("u*a + v*b", fn, 1, t, w0);
					BN_free(g);
					BN_free(u);
					BN_free(v);
					BN_free(t);
					break;
				}
				case BI_RELPRIME:
					BN_gcd(w1, a, b, ctx);
					BN_set_word(w0, BN_is_one(w1));
					break;
				case BI_ISPRIME:
					BN_set_word(w0, (BN_ULONG)BN_check_prime(a, ctx, NULL));
					break;
				case BI_NEG:
					BN_copy(w0, a);
					BN_set_negative(w0, !BN_is_negative(a));
					break;
				case BI_SHIFT:
					BN_rshift(w0, a, (int)BN_get_word(b));
					BN_set_negative(w0, BN_is_negative(a));
					break;
				case BI_CMP: {
					int c = BN_cmp(a, b);

					BN_set_word(w0, c ? 1 : 0);
					BN_set_negative(w0, c < 0);
					break;
				}
				case BI_ABS:
					BN_copy(w0, a);
					BN_set_negative(w0, 0);
					break;
				default:
					break;
				}
				if (fn != BI_GCD) {
					BIGNUM *g = result_bn(out, on, 0);

					if (fn == BI_CMP) {
						/* any negative/zero/positive value will do */
						int neg = BN_is_negative(g);

						BN_set_word(g, BN_is_zero(g) ? 0 : 1);
						BN_set_negative(g, neg);
					}
					expect(modular ? "modular result" : "result", fn, 0, g, w0);
					BN_free(g);
				}
				if (fn == BI_DIV) {
					w2 = result_bn(out, on, 1);
					expect("remainder", fn, 1, w2, w1);
					BN_free(w2);
				}
				BN_free(a);
				BN_free(b);
				BN_free(n);
				BN_free(w0);
				BN_free(w1);
				count++;
			}
		}
	}
	BN_CTX_free(ctx);
	return count;
}
