/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The TEE Arithmetical API (GP Internal Core API 1.3.1, chapter 8) on OpenSSL's BIGNUM.
 *
 * A TEE_BigInt of len words (len = TEE_BigIntSizeInU32(bits)) is laid out as
 *
 *   +------------------+-----------+--------------------------------------------+
 *   | capacity (len-2) | sign 0/1  | magnitude, len-2 little-endian u32 limbs   |
 *   +------------------+-----------+--------------------------------------------+
 *
 * Every function converts its operands to BIGNUMs, computes, and writes the result back;
 * a result that does not fit its destination panics (TEE_ERROR_OVERFLOW where the spec
 * returns it instead). The fast modular multiplication representation is the plain one
 * reduced modulo n (the spec leaves it to the implementation), so the FMM context holds
 * nothing the functions need.
 */
#include <openssl/bn.h>
#include <stdlib.h>
#include <string.h>

#include "crypto.h"

#define HDR 2u

static uint32_t cap_of(const TEE_BigInt *b)
{
	return b[0];
}

static void *must(void *p)
{
	if (!p) {
		TEE_Panic(TEE_ERROR_OUT_OF_MEMORY);
	}
	return p;
}

static BN_CTX *ctx(void)
{
	/* the TA thread is the only caller */
	static BN_CTX *c;

	if (!c) {
		c = must(BN_CTX_new());
	}
	return c;
}

static BIGNUM *get(const TEE_BigInt *b)
{
	uint32_t n = 0;
	uint8_t *be = NULL;
	BIGNUM *r = NULL;

	if (!b) {
		TEE_Panic(TEE_ERROR_BAD_PARAMETERS);
	}
	n = cap_of(b);
	be = must(malloc(n ? (size_t)n * 4 : 1));
	for (uint32_t i = 0; i < n; i++) {
		uint32_t limb = b[HDR + i];
		size_t at = (size_t)(n - 1 - i) * 4;

		be[at] = (uint8_t)(limb >> 24);
		be[at + 1] = (uint8_t)(limb >> 16);
		be[at + 2] = (uint8_t)(limb >> 8);
		be[at + 3] = (uint8_t)limb;
	}
	r = must(BN_bin2bn(be, (int)n * 4, NULL));
	free(be);
	BN_set_negative(r, b[1] & 1);
	return r;
}

/* Writes v into dest; false (dest untouched) if it does not fit. */
static bool put(TEE_BigInt *dest, const BIGNUM *v)
{
	uint32_t n = 0;
	int bytes = BN_num_bytes(v);
	uint8_t *le = NULL;

	if (!dest) {
		TEE_Panic(TEE_ERROR_BAD_PARAMETERS);
	}
	n = cap_of(dest);
	if ((size_t)bytes > (size_t)n * 4) {
		return false;
	}
	le = must(calloc(n ? n : 1, 4));
	if (n && BN_bn2lebinpad(v, le, (int)n * 4) < 0) {
		free(le);
		return false;
	}
	for (uint32_t i = 0; i < n; i++) {
		dest[HDR + i] = (uint32_t)le[4 * i] | (uint32_t)le[4 * i + 1] << 8 |
				(uint32_t)le[4 * i + 2] << 16 | (uint32_t)le[4 * i + 3] << 24;
	}
	dest[1] = BN_is_negative(v) && !BN_is_zero(v) ? 1 : 0;
	free(le);
	return true;
}

static void put_or_panic(TEE_BigInt *dest, const BIGNUM *v)
{
	if (!put(dest, v)) {
		TEE_Panic(TEE_ERROR_OVERFLOW);
	}
}

static void ok_or_panic(int rc)
{
	if (!rc) {
		TEE_Panic(TEE_ERROR_GENERIC);
	}
}

/* A modulus must be positive (and for the modular functions at least 2). */
static BIGNUM *get_modulus(const TEE_BigInt *n)
{
	BIGNUM *m = get(n);

	if (BN_is_negative(m) || BN_is_zero(m) || BN_is_one(m)) {
		TEE_Panic(TEE_ERROR_BAD_PARAMETERS);
	}
	return m;
}

size_t TEE_BigIntFMMSizeInU32(size_t modulusSizeInBits)
{
	return TEE_BigIntSizeInU32(modulusSizeInBits);
}

size_t TEE_BigIntFMMContextSizeInU32(size_t modulusSizeInBits)
{
	(void)modulusSizeInBits;
	return 2; /* nothing is precomputed */
}

void TEE_BigIntInit(TEE_BigInt *bigInt, size_t len)
{
	if (!bigInt || len < HDR || len > UINT32_MAX) {
		TEE_Panic(TEE_ERROR_BAD_PARAMETERS);
	}
	memset(bigInt, 0, len * sizeof(uint32_t));
	bigInt[0] = (uint32_t)(len - HDR);
}

void TEE_BigIntInitFMMContext(TEE_BigIntFMMContext *context, size_t len, const TEE_BigInt *modulus)
{
	if (!context || len < 1 || !modulus) {
		TEE_Panic(TEE_ERROR_BAD_PARAMETERS);
	}
	context[0] = 0;
}

TEE_Result TEE_BigIntInitFMMContext1(TEE_BigIntFMMContext *context, size_t len,
				     const TEE_BigInt *modulus)
{
	TEE_BigIntInitFMMContext(context, len, modulus);
	return TEE_SUCCESS;
}

void TEE_BigIntInitFMM(TEE_BigIntFMM *bigIntFMM, size_t len)
{
	TEE_BigIntInit(bigIntFMM, len);
}

TEE_Result TEE_BigIntConvertFromOctetString(TEE_BigInt *dest, const uint8_t *buffer,
					    size_t bufferLen, int32_t sign)
{
	BIGNUM *v = NULL;
	TEE_Result res = TEE_SUCCESS;

	if (!buffer && bufferLen) {
		TEE_Panic(TEE_ERROR_BAD_PARAMETERS);
	}
	v = must(BN_bin2bn(buffer, (int)bufferLen, NULL));
	BN_set_negative(v, sign < 0);
	if (!put(dest, v)) {
		res = TEE_ERROR_OVERFLOW;
	}
	BN_free(v);
	return res;
}

TEE_Result TEE_BigIntConvertToOctetString(uint8_t *buffer, size_t *bufferLen,
					  const TEE_BigInt *bigInt)
{
	BIGNUM *v = get(bigInt);
	size_t need = (size_t)BN_num_bytes(v);
	TEE_Result res = TEE_SUCCESS;

	if (!bufferLen || (!buffer && *bufferLen)) {
		TEE_Panic(TEE_ERROR_BAD_PARAMETERS);
	}
	if (*bufferLen < need) {
		res = TEE_ERROR_SHORT_BUFFER;
	} else if (need) {
		BN_bn2bin(v, buffer);
	}
	*bufferLen = need;
	BN_free(v);
	return res;
}

void TEE_BigIntConvertFromS32(TEE_BigInt *dest, int32_t shortVal)
{
	BIGNUM *v = must(BN_new());

	ok_or_panic(
		BN_set_word(v, shortVal < 0 ? (BN_ULONG)(-(int64_t)shortVal) : (BN_ULONG)shortVal));
	BN_set_negative(v, shortVal < 0);
	put_or_panic(dest, v);
	BN_free(v);
}

TEE_Result TEE_BigIntConvertToS32(int32_t *dest, const TEE_BigInt *src)
{
	BIGNUM *v = get(src);
	TEE_Result res = TEE_ERROR_OVERFLOW;

	if (!dest) {
		TEE_Panic(TEE_ERROR_BAD_PARAMETERS);
	}
	if (BN_num_bits(v) <= 31) {
		int64_t m = (int64_t)BN_get_word(v);

		*dest = (int32_t)(BN_is_negative(v) ? -m : m);
		res = TEE_SUCCESS;
	} else if (BN_is_negative(v) && BN_num_bits(v) == 32 && BN_get_word(v) == 0x80000000u) {
		*dest = INT32_MIN;
		res = TEE_SUCCESS;
	}
	BN_free(v);
	return res;
}

int32_t TEE_BigIntCmp(const TEE_BigInt *op1, const TEE_BigInt *op2)
{
	BIGNUM *a = get(op1);
	BIGNUM *b = get(op2);
	int r = BN_cmp(a, b);

	BN_free(a);
	BN_free(b);
	return r;
}

int32_t TEE_BigIntCmpS32(const TEE_BigInt *op, int32_t shortVal)
{
	uint32_t tmp[TEE_BigIntSizeInU32(32)];

	TEE_BigIntInit(tmp, sizeof(tmp) / sizeof(tmp[0]));
	TEE_BigIntConvertFromS32(tmp, shortVal);
	return TEE_BigIntCmp(op, tmp);
}

void TEE_BigIntShiftRight(TEE_BigInt *dest, const TEE_BigInt *op, size_t bits)
{
	BIGNUM *v = get(op);

	ok_or_panic(BN_rshift(v, v, bits > INT32_MAX ? INT32_MAX : (int)bits));
	put_or_panic(dest, v);
	BN_free(v);
}

bool TEE_BigIntGetBit(const TEE_BigInt *src, uint32_t bitIndex)
{
	BIGNUM *v = get(src);
	bool r = bitIndex <= INT32_MAX && BN_is_bit_set(v, (int)bitIndex);

	BN_free(v);
	return r;
}

uint32_t TEE_BigIntGetBitCount(const TEE_BigInt *src)
{
	BIGNUM *v = get(src);
	uint32_t r = (uint32_t)BN_num_bits(v);

	BN_free(v);
	return r;
}

TEE_Result TEE_BigIntSetBit(TEE_BigInt *op, uint32_t bitIndex, bool value)
{
	BIGNUM *v = NULL;

	if (!op) {
		TEE_Panic(TEE_ERROR_BAD_PARAMETERS);
	}
	if (bitIndex / 32 >= cap_of(op)) {
		return TEE_ERROR_OVERFLOW;
	}
	v = get(op);
	if (value) {
		ok_or_panic(BN_set_bit(v, (int)bitIndex));
	} else {
		(void)BN_clear_bit(v, (int)bitIndex); /* 0 when the bit is above the top: clear */
	}
	put_or_panic(op, v);
	BN_free(v);
	return TEE_SUCCESS;
}

TEE_Result TEE_BigIntAssign(TEE_BigInt *dest, const TEE_BigInt *src)
{
	BIGNUM *v = get(src);
	TEE_Result res = put(dest, v) ? TEE_SUCCESS : TEE_ERROR_OVERFLOW;

	BN_free(v);
	return res;
}

TEE_Result TEE_BigIntAbs(TEE_BigInt *dest, const TEE_BigInt *src)
{
	BIGNUM *v = get(src);
	TEE_Result res = TEE_SUCCESS;

	BN_set_negative(v, 0);
	res = put(dest, v) ? TEE_SUCCESS : TEE_ERROR_OVERFLOW;
	BN_free(v);
	return res;
}

/* dest = f(op1, op2) for the two-operand functions. */
static void binary(TEE_BigInt *dest, const TEE_BigInt *op1, const TEE_BigInt *op2,
		   int (*f)(BIGNUM *, const BIGNUM *, const BIGNUM *))
{
	BIGNUM *a = get(op1);
	BIGNUM *b = get(op2);
	BIGNUM *r = must(BN_new());

	ok_or_panic(f(r, a, b));
	put_or_panic(dest, r);
	BN_free(a);
	BN_free(b);
	BN_free(r);
}

static int mul(BIGNUM *r, const BIGNUM *a, const BIGNUM *b)
{
	return BN_mul(r, a, b, ctx());
}

void TEE_BigIntAdd(TEE_BigInt *dest, const TEE_BigInt *op1, const TEE_BigInt *op2)
{
	binary(dest, op1, op2, BN_add);
}

void TEE_BigIntSub(TEE_BigInt *dest, const TEE_BigInt *op1, const TEE_BigInt *op2)
{
	binary(dest, op1, op2, BN_sub);
}

void TEE_BigIntNeg(TEE_BigInt *dest, const TEE_BigInt *op)
{
	BIGNUM *v = get(op);

	BN_set_negative(v, !BN_is_negative(v));
	put_or_panic(dest, v);
	BN_free(v);
}

void TEE_BigIntMul(TEE_BigInt *dest, const TEE_BigInt *op1, const TEE_BigInt *op2)
{
	binary(dest, op1, op2, mul);
}

void TEE_BigIntSquare(TEE_BigInt *dest, const TEE_BigInt *op)
{
	binary(dest, op, op, mul);
}

void TEE_BigIntDiv(TEE_BigInt *dest_q, TEE_BigInt *dest_r, const TEE_BigInt *op1,
		   const TEE_BigInt *op2)
{
	BIGNUM *a = get(op1);
	BIGNUM *b = get(op2);
	BIGNUM *q = must(BN_new());
	BIGNUM *r = must(BN_new());

	if (BN_is_zero(b)) {
		TEE_Panic(TEE_ERROR_BAD_PARAMETERS);
	}
	/* quotient rounded toward zero, remainder with the dividend's sign */
	ok_or_panic(BN_div(q, r, a, b, ctx()));
	if (dest_q) {
		put_or_panic(dest_q, q);
	}
	if (dest_r) {
		put_or_panic(dest_r, r);
	}
	BN_free(a);
	BN_free(b);
	BN_free(q);
	BN_free(r);
}

/* dest = f(op1, op2) mod n, in [0, n-1]; op2 may be NULL for the one-operand forms. */
static void modular(TEE_BigInt *dest, const TEE_BigInt *op1, const TEE_BigInt *op2,
		    const TEE_BigInt *n, int which)
{
	BIGNUM *m = get_modulus(n);
	BIGNUM *a = get(op1);
	BIGNUM *b = op2 ? get(op2) : NULL;
	BIGNUM *r = must(BN_new());
	int rc = 0;

	switch (which) {
	case 0:
		rc = BN_nnmod(r, a, m, ctx());
		break;
	case 1:
		rc = BN_mod_add(r, a, b, m, ctx());
		break;
	case 2:
		rc = BN_mod_sub(r, a, b, m, ctx());
		break;
	case 3:
		rc = BN_mod_mul(r, a, b, m, ctx());
		break;
	default:
		rc = BN_mod_inverse(r, a, m, ctx()) != NULL;
		if (!rc) {
			TEE_Panic(TEE_ERROR_BAD_PARAMETERS); /* not invertible */
		}
		break;
	}
	ok_or_panic(rc);
	put_or_panic(dest, r);
	BN_free(m);
	BN_free(a);
	BN_free(b);
	BN_free(r);
}

void TEE_BigIntMod(TEE_BigInt *dest, const TEE_BigInt *op, const TEE_BigInt *n)
{
	modular(dest, op, NULL, n, 0);
}

void TEE_BigIntAddMod(TEE_BigInt *dest, const TEE_BigInt *op1, const TEE_BigInt *op2,
		      const TEE_BigInt *n)
{
	modular(dest, op1, op2, n, 1);
}

void TEE_BigIntSubMod(TEE_BigInt *dest, const TEE_BigInt *op1, const TEE_BigInt *op2,
		      const TEE_BigInt *n)
{
	modular(dest, op1, op2, n, 2);
}

void TEE_BigIntMulMod(TEE_BigInt *dest, const TEE_BigInt *op1, const TEE_BigInt *op2,
		      const TEE_BigInt *n)
{
	modular(dest, op1, op2, n, 3);
}

void TEE_BigIntSquareMod(TEE_BigInt *dest, const TEE_BigInt *op, const TEE_BigInt *n)
{
	modular(dest, op, op, n, 3);
}

void TEE_BigIntInvMod(TEE_BigInt *dest, const TEE_BigInt *op, const TEE_BigInt *n)
{
	modular(dest, op, NULL, n, 4);
}

TEE_Result TEE_BigIntExpMod(TEE_BigInt *dest, const TEE_BigInt *op1, const TEE_BigInt *op2,
			    const TEE_BigInt *n, const TEE_BigIntFMMContext *context)
{
	BIGNUM *m = get_modulus(n);
	BIGNUM *a = get(op1);
	BIGNUM *e = get(op2);
	BIGNUM *r = must(BN_new());

	(void)context;
	if (BN_is_negative(e)) {
		TEE_Panic(TEE_ERROR_BAD_PARAMETERS);
	}
	ok_or_panic(BN_nnmod(a, a, m, ctx()) && BN_mod_exp(r, a, e, m, ctx()));
	put_or_panic(dest, r);
	BN_free(m);
	BN_free(a);
	BN_free(e);
	BN_free(r);
	return TEE_SUCCESS;
}

bool TEE_BigIntRelativePrime(const TEE_BigInt *op1, const TEE_BigInt *op2)
{
	BIGNUM *a = get(op1);
	BIGNUM *b = get(op2);
	BIGNUM *g = must(BN_new());
	bool r = false;

	ok_or_panic(BN_gcd(g, a, b, ctx()));
	r = BN_is_one(g);
	BN_free(a);
	BN_free(b);
	BN_free(g);
	return r;
}

void TEE_BigIntComputeExtendedGcd(TEE_BigInt *gcd, TEE_BigInt *u, TEE_BigInt *v,
				  const TEE_BigInt *op1, const TEE_BigInt *op2)
{
	/* extended Euclid on |op1|, |op2|, signs folded into u and v at the end:
	 * u*op1 + v*op2 = gcd */
	BIGNUM *a = get(op1);
	BIGNUM *b = get(op2);
	BIGNUM *r0 = must(BN_dup(a)), *r1 = must(BN_dup(b));
	BIGNUM *s0 = must(BN_new()), *s1 = must(BN_new());
	BIGNUM *t0 = must(BN_new()), *t1 = must(BN_new());
	BIGNUM *q = must(BN_new()), *tmp = must(BN_new()), *rem = must(BN_new());

	BN_set_negative(r0, 0);
	BN_set_negative(r1, 0);
	BN_zero(s1);
	BN_zero(t0);
	ok_or_panic(BN_one(s0) && BN_one(t1));
	while (!BN_is_zero(r1)) {
		ok_or_panic(BN_div(q, rem, r0, r1, ctx()));
		ok_or_panic(BN_copy(r0, r1) != NULL && BN_copy(r1, rem) != NULL);
		/* (s0, s1) = (s1, s0 - q*s1), same for t */
		ok_or_panic(BN_mul(tmp, q, s1, ctx()) && BN_sub(tmp, s0, tmp));
		ok_or_panic(BN_copy(s0, s1) != NULL && BN_copy(s1, tmp) != NULL);
		ok_or_panic(BN_mul(tmp, q, t1, ctx()) && BN_sub(tmp, t0, tmp));
		ok_or_panic(BN_copy(t0, t1) != NULL && BN_copy(t1, tmp) != NULL);
	}
	if (BN_is_negative(a)) {
		BN_set_negative(s0, !BN_is_negative(s0));
	}
	if (BN_is_negative(b)) {
		BN_set_negative(t0, !BN_is_negative(t0));
	}
	put_or_panic(gcd, r0);
	if (u) {
		put_or_panic(u, s0);
	}
	if (v) {
		put_or_panic(v, t0);
	}
	BN_free(a);
	BN_free(b);
	BN_free(r0);
	BN_free(r1);
	BN_free(s0);
	BN_free(s1);
	BN_free(t0);
	BN_free(t1);
	BN_free(q);
	BN_free(tmp);
	BN_free(rem);
}

int32_t TEE_BigIntIsProbablePrime(const TEE_BigInt *op, uint32_t confidenceLevel)
{
	BIGNUM *v = get(op);
	int r = 0;

	(void)confidenceLevel; /* OpenSSL's rounds exceed the 2^-80 the spec asks at least */
	BN_set_negative(v, 0);
	r = BN_check_prime(v, ctx(), NULL);
	BN_free(v);
	if (r < 0) {
		TEE_Panic(TEE_ERROR_GENERIC);
	}
	return r;
}

void TEE_BigIntConvertToFMM(TEE_BigIntFMM *dest, const TEE_BigInt *src, const TEE_BigInt *n,
			    const TEE_BigIntFMMContext *context)
{
	(void)context;
	TEE_BigIntMod(dest, src, n);
}

void TEE_BigIntConvertFromFMM(TEE_BigInt *dest, const TEE_BigIntFMM *src, const TEE_BigInt *n,
			      const TEE_BigIntFMMContext *context)
{
	(void)context;
	TEE_BigIntMod(dest, src, n);
}

void TEE_BigIntComputeFMM(TEE_BigIntFMM *dest, const TEE_BigIntFMM *op1, const TEE_BigIntFMM *op2,
			  const TEE_BigInt *n, const TEE_BigIntFMMContext *context)
{
	(void)context;
	TEE_BigIntMulMod(dest, op1, op2, n);
}

/* ---- GP 1.1 twins ---- */

uint32_t __GP11_TEE_BigIntFMMSizeInU32(uint32_t modulusSizeInBits)
{
	return (uint32_t)TEE_BigIntFMMSizeInU32(modulusSizeInBits);
}

uint32_t __GP11_TEE_BigIntFMMContextSizeInU32(uint32_t modulusSizeInBits)
{
	return (uint32_t)TEE_BigIntFMMContextSizeInU32(modulusSizeInBits);
}

void __GP11_TEE_BigIntInit(TEE_BigInt *bigInt, uint32_t len)
{
	TEE_BigIntInit(bigInt, len);
}

void __GP11_TEE_BigIntInitFMMContext(TEE_BigIntFMMContext *context, uint32_t len,
				     const TEE_BigInt *modulus)
{
	TEE_BigIntInitFMMContext(context, len, modulus);
}

void __GP11_TEE_BigIntInitFMM(TEE_BigIntFMM *bigIntFMM, uint32_t len)
{
	TEE_BigIntInitFMM(bigIntFMM, len);
}

TEE_Result __GP11_TEE_BigIntConvertFromOctetString(TEE_BigInt *dest, const uint8_t *buffer,
						   uint32_t bufferLen, int32_t sign)
{
	return TEE_BigIntConvertFromOctetString(dest, buffer, bufferLen, sign);
}

TEE_Result __GP11_TEE_BigIntConvertToOctetString(uint8_t *buffer, uint32_t *bufferLen,
						 const TEE_BigInt *bigInt)
{
	size_t n = 0;
	TEE_Result res = TEE_SUCCESS;

	if (!bufferLen) {
		TEE_Panic(TEE_ERROR_BAD_PARAMETERS);
	}
	n = *bufferLen;
	res = TEE_BigIntConvertToOctetString(buffer, &n, bigInt);
	*bufferLen = (uint32_t)n;
	return res;
}

void __GP11_TEE_BigIntShiftRight(TEE_BigInt *dest, const TEE_BigInt *op, uint32_t bits)
{
	TEE_BigIntShiftRight(dest, op, bits);
}
