/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The crypto test TA's self-check of how much output TEE_CipherUpdate gives for AES-CTS
 * and AES-XTS fed in pieces (and TEE_AEUpdate for AES-CCM, below) (OP-TEE's rule, which its
 * regression suite case 4017 checks): an update returns whole blocks as soon as it may, keeping
 * back one full block plus 1 to 16 bytes for the ciphertext stealing of the final call; once more
 * than 16 bytes have come, it keeps back ((in - 1) % 16) + 17 of the `in` bytes seen so far. Each
 * update is first asked with no buffer (TEE_ERROR_SHORT_BUFFER and the exact size, or success with
 * 0), and the pieces joined must equal the one-call result, both ways; an empty update
 * comes first.
 */
#include <crypto_ta.h>
#include <crypto_ta_local.h>
#include <tee_internal_api.h>
#include <tee_internal_api_extensions.h>
#include <tzm_test.h>

#define TEXT_MAX 97

static const uint8_t key_a[16] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16 };
static const uint8_t key_b[16] = { 16, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1 };
static const uint8_t iv[16] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16 };

static TEE_ObjectHandle aes_key(const uint8_t *k)
{
	TEE_ObjectHandle o = TEE_HANDLE_NULL;
	TEE_Attribute a;

	ASSERT_TEE_OK(TEE_AllocateTransientObject(TEE_TYPE_AES, 128, &o));
	TEE_InitRefAttribute(&a, TEE_ATTR_SECRET_VALUE, k, 16);
	ASSERT_TEE_OK(TEE_PopulateTransientObject(o, &a, 1));
	return o;
}

static TEE_OperationHandle stealing_op(uint32_t algo, uint32_t mode)
{
	TEE_OperationHandle op = TEE_HANDLE_NULL;
	TEE_ObjectHandle k1 = aes_key(key_a);
	TEE_ObjectHandle k2 = aes_key(key_b);

	if (algo == TEE_ALG_AES_XTS) {
		ASSERT_TEE_OK(TEE_AllocateOperation(&op, algo, mode, 256));
		ASSERT_TEE_OK(TEE_SetOperationKey2(op, k1, k2));
	} else {
		ASSERT_TEE_OK(TEE_AllocateOperation(&op, algo, mode, 128));
		ASSERT_TEE_OK(TEE_SetOperationKey(op, k1));
	}
	TEE_FreeTransientObject(k1);
	TEE_FreeTransientObject(k2);
	return op;
}

/* What OP-TEE keeps back after `in` bytes in all. */
static size_t held_after(size_t in)
{
	return in > 16 ? (in - 1) % 16 + 17 : in;
}

/* One update of n bytes from src at *in, checked against want (the one-call output). */
static void update_piece(TEE_OperationHandle op, const uint8_t *src, size_t n, const uint8_t *want,
			 size_t *in, size_t *out)
{
	static uint8_t got[TEXT_MAX];
	size_t expect = *in + n - held_after(*in + n) - *out;
	SZ len = 0;
	TEE_Result res = TEE_CipherUpdate(op, src + *in, n, NULL, &len);

	if (expect) {
		ASSERT_TEE_RES(res, TEE_ERROR_SHORT_BUFFER);
		ASSERT_EQ_U64(len, expect);
		len = sizeof(got);
		ASSERT_TEE_OK(TEE_CipherUpdate(op, src + *in, n, got, &len));
	} else {
		ASSERT_TEE_OK(res);
	}
	ASSERT_EQ_U64(len, expect);
	ASSERT_EQ_MEM(got, want + *out, expect);
	*in += n;
	*out += expect;
}

/* src through op in one call and in pieces (first piece of `first` bytes, then bytes one by
 * one up to 33 of them, then the final call); the pieces must give want. */
static void pieces(TEE_OperationHandle op, const uint8_t *src, size_t len, const uint8_t *want,
		   size_t first)
{
	static uint8_t got[TEXT_MAX];
	size_t in = 0, out = 0;
	SZ n = 0;

	TEE_CipherInit(op, iv, sizeof(iv));
	update_piece(op, src, 0, want, &in, &out); /* an empty update first: nothing held yet */
	if (first) {
		update_piece(op, src, first, want, &in, &out);
	}
	for (size_t i = 0; i < 33 && in < len; i++) {
		update_piece(op, src, 1, want, &in, &out);
	}
	ASSERT_TEE_RES(TEE_CipherDoFinal(op, src + in, len - in, NULL, &n), TEE_ERROR_SHORT_BUFFER);
	ASSERT_EQ_U64(n, len - out);
	n = sizeof(got);
	ASSERT_TEE_OK(TEE_CipherDoFinal(op, src + in, len - in, got, &n));
	ASSERT_EQ_U64(n, len - out);
	ASSERT_EQ_MEM(got, want + out, n);
}

/*
 * AES-CCM fed in pieces: TEE_AEUpdate returns whole blocks as they come (OP-TEE's rule),
 * the final call the rest and the tag, equal to one call's; decryption in pieces gives
 * the plaintext back and accepts the tag.
 */
static void ccm_pieces(const uint8_t *plain, size_t len, size_t first)
{
	static uint8_t ct[TEXT_MAX], got[TEXT_MAX], tag[16], tag2[16];
	static const uint8_t nonce[13] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13 };
	TEE_ObjectHandle k = aes_key(key_a);
	TEE_OperationHandle op = TEE_HANDLE_NULL;
	SZ n = 0, tn = sizeof(tag);

	for (uint32_t mode = TEE_MODE_ENCRYPT; mode <= TEE_MODE_DECRYPT; mode++) {
		const uint8_t *src = mode == TEE_MODE_ENCRYPT ? plain : ct;
		size_t in = 0, out = 0;

		ASSERT_TEE_OK(TEE_AllocateOperation(&op, TEE_ALG_AES_CCM, mode, 128));
		ASSERT_TEE_OK(TEE_SetOperationKey(op, k));
		if (mode == TEE_MODE_ENCRYPT) {
			ASSERT_TEE_OK(TEE_AEInit(op, nonce, sizeof(nonce), 128, 0, len));
			n = sizeof(ct);
			tn = sizeof(tag);
			ASSERT_TEE_OK(TEE_AEEncryptFinal(op, plain, len, ct, &n, tag, &tn));
			ASSERT_EQ_U64(n, len);
		}
		ASSERT_TEE_OK(TEE_AEInit(op, nonce, sizeof(nonce), 128, 0, len));
		while (in < len && (in < first || in < first + 33)) {
			size_t piece = in < first ? first : 1;
			size_t expect = (in + piece) / 16 * 16 - out;

			n = 0;
			if (expect) {
				ASSERT_TEE_RES(TEE_AEUpdate(op, src + in, piece, NULL, &n),
					       TEE_ERROR_SHORT_BUFFER);
				ASSERT_EQ_U64(n, expect);
				n = sizeof(got);
			}
			ASSERT_TEE_OK(TEE_AEUpdate(op, src + in, piece, got, &n));
			ASSERT_EQ_U64(n, expect);
			ASSERT_EQ_MEM(got, (mode == TEE_MODE_ENCRYPT ? ct : plain) + out, expect);
			in += piece;
			out += expect;
		}
		n = sizeof(got);
		if (mode == TEE_MODE_ENCRYPT) {
			tn = sizeof(tag2);
			ASSERT_TEE_OK(
				TEE_AEEncryptFinal(op, src + in, len - in, got, &n, tag2, &tn));
			ASSERT_EQ_MEM(tag2, tag, 16);
		} else {
			ASSERT_TEE_OK(TEE_AEDecryptFinal(op, src + in, len - in, got, &n, tag, 16));
		}
		ASSERT_EQ_U64(n, len - out);
		ASSERT_EQ_MEM(got, (mode == TEE_MODE_ENCRYPT ? ct : plain) + out, n);
		TEE_FreeOperation(op);
	}
	TEE_FreeTransientObject(k);
}

void stream_checks(void)
{
	static const uint32_t algs[] = { TEE_ALG_AES_CTS, TEE_ALG_AES_XTS };
	static const size_t lens[] = { 96, 97 };
	static uint8_t plain[TEXT_MAX], ciph[TEXT_MAX], back[TEXT_MAX];

	for (size_t i = 0; i < sizeof(plain); i++) {
		plain[i] = (uint8_t)(i + 1);
	}
	for (size_t a = 0; a < 2; a++) {
		for (size_t l = 0; l < 2; l++) {
			TEE_OperationHandle enc = stealing_op(algs[a], TEE_MODE_ENCRYPT);
			TEE_OperationHandle dec = stealing_op(algs[a], TEE_MODE_DECRYPT);
			size_t len = lens[l];
			SZ n = sizeof(ciph);

			TEST_STEP("TEE_CipherUpdate in pieces, algorithm 0x%08x, %zu bytes",
				  algs[a], len);
			TEE_CipherInit(enc, iv, sizeof(iv));
			ASSERT_TEE_OK(TEE_CipherDoFinal(enc, plain, len, ciph, &n));
			ASSERT_EQ_U64(n, len);
			TEE_CipherInit(dec, iv, sizeof(iv));
			n = sizeof(back);
			ASSERT_TEE_OK(TEE_CipherDoFinal(dec, ciph, len, back, &n));
			ASSERT_EQ_U64(n, len);
			ASSERT_EQ_MEM(back, plain, len);
			for (size_t first = 0; first < len; first++) {
				pieces(enc, plain, len, ciph, first);
				pieces(dec, ciph, len, plain, first);
			}
			TEE_FreeOperation(enc);
			TEE_FreeOperation(dec);
		}
	}
	for (size_t l = 0; l < 2; l++) {
		TEST_STEP("TEE_AEUpdate in pieces, AES-CCM, %zu bytes", lens[l]);
		for (size_t first = 0; first < lens[l]; first += 7) {
			ccm_pieces(plain, lens[l], first);
		}
	}
}
