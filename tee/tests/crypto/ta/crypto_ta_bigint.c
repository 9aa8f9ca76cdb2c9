/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The crypto test TA's arithmetic command: one TEE_BigInt* function on the host's operands
 * (records of sign + big-endian magnitude), results returned the same way, so that the host
 * can compare them with OpenSSL's BN on random values.
 */
#include <crypto_ta.h>
#include <crypto_ta_local.h>
#include <tee_internal_api.h>

#define BITS 4224 /* products of two 2048-bit operands, with room */
#define WORDS TEE_BigIntSizeInU32(BITS)

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void set32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

/* Operand tag into b (initialised, 0 if absent). */
static TEE_Result operand(const uint8_t *in, SZ len, uint32_t tag, TEE_BigInt *b)
{
	SZ off = 0;

	TEE_BigIntInit(b, WORDS);
	while (off + 8 <= len) {
		uint32_t t = get32(in + off);
		uint32_t l = get32(in + off + 4);

		if (l > len - off - 8 || l < 1) {
			return TEE_ERROR_BAD_PARAMETERS;
		}
		if (t == tag) {
			return TEE_BigIntConvertFromOctetString(b, in + off + 9, l - 1,
								in[off + 8] ? -1 : 1);
		}
		off += 8 + ((l + 3) & ~3u);
	}
	return TEE_SUCCESS;
}

/* Appends b as result record tag. */
static TEE_Result result(const TEE_BigInt *b, uint32_t tag, uint8_t *out, SZ cap, SZ *off)
{
	SZ n = 0;
	TEE_Result res = TEE_SUCCESS;

	if (*off + 9 > cap) {
		return TEE_ERROR_SHORT_BUFFER;
	}
	n = cap - *off - 9;
	res = TEE_BigIntConvertToOctetString(out + *off + 9, &n, b);
	if (res != TEE_SUCCESS) {
		return res;
	}
	set32(out + *off, tag);
	set32(out + *off + 4, (uint32_t)n + 1);
	out[*off + 8] = TEE_BigIntCmpS32(b, 0) < 0;
	*off += 8 + ((n + 1 + 3) & ~(SZ)3);
	return TEE_SUCCESS;
}

TEE_Result bigint_cmd(uint32_t fn, const uint8_t *in, SZ in_len, uint8_t *out, SZ *out_len)
{
	TEE_BigInt *m = TEE_Malloc(6 * WORDS * sizeof(uint32_t), TEE_MALLOC_FILL_ZERO);
	TEE_BigInt *a = m, *b = m + WORDS, *n = m + 2 * WORDS;
	TEE_BigInt *r0 = m + 3 * WORDS, *r1 = m + 4 * WORDS, *r2 = m + 5 * WORDS;
	TEE_BigIntFMMContext *fctx = NULL;
	SZ off = 0;
	int32_t small = 0;
	int nres = 1;
	TEE_Result res = TEE_SUCCESS;

	if (!m) {
		return TEE_ERROR_OUT_OF_MEMORY;
	}
	res = operand(in, in_len, BI_A, a);
	if (res == TEE_SUCCESS) {
		res = operand(in, in_len, BI_B, b);
	}
	if (res == TEE_SUCCESS) {
		res = operand(in, in_len, BI_N, n);
	}
	if (res != TEE_SUCCESS) {
		goto out;
	}
	TEE_BigIntInit(r0, WORDS);
	TEE_BigIntInit(r1, WORDS);
	TEE_BigIntInit(r2, WORDS);
	switch (fn) {
	case BI_ADD:
		TEE_BigIntAdd(r0, a, b);
		break;
	case BI_SUB:
		TEE_BigIntSub(r0, a, b);
		break;
	case BI_MUL:
		TEE_BigIntMul(r0, a, b);
		break;
	case BI_SQUARE:
		TEE_BigIntSquare(r0, a);
		break;
	case BI_DIV:
		TEE_BigIntDiv(r0, r1, a, b);
		nres = 2;
		break;
	case BI_MOD:
		TEE_BigIntMod(r0, a, n);
		break;
	case BI_ADDMOD:
		TEE_BigIntAddMod(r0, a, b, n);
		break;
	case BI_SUBMOD:
		TEE_BigIntSubMod(r0, a, b, n);
		break;
	case BI_MULMOD:
		TEE_BigIntMulMod(r0, a, b, n);
		break;
	case BI_SQUAREMOD:
		TEE_BigIntSquareMod(r0, a, n);
		break;
	case BI_INVMOD:
		TEE_BigIntInvMod(r0, a, n);
		break;
	case BI_EXPMOD:
		res = TEE_BigIntExpMod(r0, a, b, n, NULL);
		break;
	case BI_GCD:
		TEE_BigIntComputeExtendedGcd(r0, r1, r2, a, b);
		nres = 3;
		break;
	case BI_RELPRIME:
		TEE_BigIntConvertFromS32(r0, TEE_BigIntRelativePrime(a, b));
		break;
	case BI_ISPRIME:
		TEE_BigIntConvertFromS32(r0, TEE_BigIntIsProbablePrime(a, 80));
		break;
	case BI_NEG:
		TEE_BigIntNeg(r0, a);
		break;
	case BI_SHIFT:
		res = TEE_BigIntConvertToS32(&small, b);
		if (res == TEE_SUCCESS) {
			TEE_BigIntShiftRight(r0, a, (SZ)small);
		}
		break;
	case BI_CMP:
		TEE_BigIntConvertFromS32(r0, TEE_BigIntCmp(a, b));
		break;
	case BI_FMM: {
		SZ csize = TEE_BigIntFMMContextSizeInU32(TEE_BigIntGetBitCount(n));

		fctx = TEE_Malloc(csize * sizeof(uint32_t), TEE_MALLOC_FILL_ZERO);
		if (!fctx) {
			res = TEE_ERROR_OUT_OF_MEMORY;
			break;
		}
		TEE_BigIntInitFMMContext(fctx, csize, n);
		TEE_BigIntInitFMM(r1, WORDS);
		TEE_BigIntInitFMM(r2, WORDS);
		TEE_BigIntConvertToFMM(r1, a, n, fctx);
		TEE_BigIntConvertToFMM(r2, b, n, fctx);
		TEE_BigIntComputeFMM(r1, r1, r2, n, fctx);
		TEE_BigIntConvertFromFMM(r0, r1, n, fctx);
		break;
	}
	case BI_ABS:
		res = TEE_BigIntAbs(r0, a);
		break;
	default:
		res = TEE_ERROR_NOT_SUPPORTED;
		break;
	}
	for (int i = 0; res == TEE_SUCCESS && i < nres; i++) {
		res = result(i == 0 ? r0 : i == 1 ? r1 : r2, (uint32_t)i, out, *out_len, &off);
	}
	*out_len = off;
out:
	TEE_Free(fctx);
	TEE_Free(m);
	return res;
}
