/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The two AES modes with ciphertext stealing, AES-CTS (CBC-CS3, as RFC 3962 and
 * OP-TEE) and AES-XTS (IEEE 1619), computed here over one AES-ECB context rather than
 * OpenSSL's own modes, for two reasons:
 *  - streaming: OpenSSL takes each call of these modes as a whole message, while GP
 *    (and OP-TEE) let TEE_CipherUpdate return output as the data comes and keep back only
 *    what the stealing at the end may change;
 *  - OpenSSL 3 refuses XTS keys whose two halves are equal, which IEEE 1619's first
 *    vector uses and OP-TEE accepts (the tweak key is the TA's choice).
 *
 * What an update returns (OP-TEE's rule, which its regression suite checks byte for
 * byte): with t bytes held plus given, nothing while t <= 16; otherwise all but the last
 * ((t - 1) % 16) + 17 bytes, i.e. the held data is one full block plus 1 to 16 bytes, the
 * two blocks the final stealing works on. The final call returns everything else.
 *
 * State in the operation: op->cc is AES-ECB with key 1 in the operation's direction;
 * op->last is the CBC chaining value (CTS) or the current tweak (XTS); op->acc holds the
 * data kept back. All three are copied by TEE_CopyOperation with the rest of the state.
 */
#include <errno.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <string.h>

#include "crypto.h"

#define BLK 16u

static void xor_block(uint8_t *dst, const uint8_t *a, const uint8_t *b)
{
	for (size_t i = 0; i < BLK; i++) {
		dst[i] = a[i] ^ b[i];
	}
}

/* One AES block through the operation's ECB context (encrypts or decrypts, as set). */
static void aes_block(struct crypto_op *op, const uint8_t *in, uint8_t *out)
{
	int outl = 0;

	if (!EVP_CipherUpdate(op->cc, out, &outl, in, (int)BLK) || outl != (int)BLK) {
		TEE_Panic(TEE_ERROR_GENERIC);
	}
}

/* Multiplies the XTS tweak by the primitive element (x) of GF(2^128), IEEE 1619's
 * little-endian convention: byte 0 holds the lowest coefficients. */
static void tweak_double(uint8_t t[BLK])
{
	uint8_t carry = (uint8_t)(t[BLK - 1] >> 7);

	for (size_t i = BLK - 1; i > 0; i--) {
		t[i] = (uint8_t)((t[i] << 1) | (t[i - 1] >> 7));
	}
	t[0] = (uint8_t)((t[0] << 1) ^ (carry ? 0x87 : 0));
}

/* XEX with an explicit tweak: out = AES(in ^ t) ^ t. */
static void xts_block(struct crypto_op *op, const uint8_t *t, const uint8_t *in, uint8_t *out)
{
	uint8_t x[BLK];

	xor_block(x, in, t);
	aes_block(op, x, out);
	xor_block(out, out, t);
	OPENSSL_cleanse(x, sizeof(x));
}

/* One block that is not part of the stealing at the end. */
static void plain_block(struct crypto_op *op, bool xts, bool enc, const uint8_t *in, uint8_t *out)
{
	uint8_t x[BLK];

	if (xts) {
		xts_block(op, op->last, in, out);
		tweak_double(op->last);
		return;
	}
	if (enc) {
		xor_block(x, in, op->last);
		aes_block(op, x, out);
		memcpy(op->last, out, BLK);
	} else {
		memcpy(x, in, BLK); /* in and out may be the same */
		aes_block(op, x, out);
		xor_block(out, out, op->last);
		memcpy(op->last, x, BLK);
	}
	OPENSSL_cleanse(x, sizeof(x));
}

static EVP_CIPHER_CTX *ecb_ctx(const uint8_t *key, size_t key_len, bool enc)
{
	EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
	const EVP_CIPHER *ecb = EVP_get_cipherbyname(key_len == 32   ? "AES-256-ECB"
						     : key_len == 24 ? "AES-192-ECB"
								     : "AES-128-ECB");

	if (!c || !ecb || (key_len != 16 && key_len != 24 && key_len != 32) ||
	    !EVP_CipherInit_ex2(c, ecb, key, NULL, enc ? 1 : 0, NULL) ||
	    !EVP_CIPHER_CTX_set_padding(c, 0)) {
		EVP_CIPHER_CTX_free(c);
		return NULL;
	}
	return c;
}

int crypto_steal_start(struct crypto_op *op, bool xts, const uint8_t *key1, size_t key1_len,
		       const uint8_t *key2, size_t key2_len, const uint8_t iv[16])
{
	EVP_CIPHER_CTX *t = NULL;
	int outl = 0;
	bool ok = false;

	op->cc = ecb_ctx(key1, key1_len, op->mode == TEE_MODE_ENCRYPT);
	if (!op->cc) {
		return -ENOMEM;
	}
	if (!xts) {
		memcpy(op->last, iv, BLK);
		return 0;
	}
	/* the tweak: the IV (the data unit's sequence number) encrypted with key 2 */
	t = ecb_ctx(key2, key2_len, true);
	ok = t && EVP_CipherUpdate(t, op->last, &outl, iv, (int)BLK) && outl == (int)BLK;
	EVP_CIPHER_CTX_free(t);
	return ok ? 0 : -ENOMEM;
}

/* Bytes kept back once t bytes (held plus new) have been seen. */
static size_t kept(size_t t)
{
	return t <= BLK ? t : (t - 1) % BLK + BLK + 1;
}

size_t crypto_steal_update_len(const struct crypto_op *op, size_t n)
{
	size_t t = 0;

	if (__builtin_add_overflow(op->acc_len, n, &t)) {
		TEE_Panic(TEE_ERROR_OVERFLOW);
	}
	return t - kept(t);
}

/* Runs the first out_len bytes of op->acc (whole blocks) and keeps the rest. */
static void run_held(struct crypto_op *op, bool xts, size_t out_len, uint8_t *out)
{
	bool enc = op->mode == TEE_MODE_ENCRYPT;

	if (!out_len) {
		return; /* op->acc may still be NULL (empty updates) */
	}
	for (size_t off = 0; off < out_len; off += BLK) {
		plain_block(op, xts, enc, op->acc + off, out + off);
	}
	memmove(op->acc, op->acc + out_len, op->acc_len - out_len);
	OPENSSL_cleanse(op->acc + op->acc_len - out_len, out_len);
	op->acc_len -= out_len;
}

void crypto_steal_update(struct crypto_op *op, bool xts, size_t out_len, uint8_t *out)
{
	run_held(op, xts, out_len, out);
}

/* CBC-CS3 on the last two blocks a (16 bytes) and b (d bytes, 1..16): encryption outputs
 * AES(pad(b) ^ X) then the first d bytes of X = AES(a ^ chain); decryption undoes it. */
static void cts_tail(struct crypto_op *op, bool enc, const uint8_t *a, const uint8_t *b, size_t d,
		     uint8_t *out)
{
	uint8_t x[BLK], y[BLK];

	if (enc) {
		xor_block(x, a, op->last);
		aes_block(op, x, x);
		memcpy(y, x, BLK);
		for (size_t i = 0; i < d; i++) {
			y[i] ^= b[i];
		}
		aes_block(op, y, out);
		memcpy(out + BLK, x, d);
	} else {
		/* a = AES(pad(P_n) ^ X), b = X's first d bytes */
		aes_block(op, a, y);
		memcpy(x, b, d);
		memcpy(x + d, y + d, BLK - d);
		for (size_t i = 0; i < d; i++) {
			out[BLK + i] = y[i] ^ b[i];
		}
		aes_block(op, x, out);
		xor_block(out, out, op->last);
	}
	OPENSSL_cleanse(x, sizeof(x));
	OPENSSL_cleanse(y, sizeof(y));
}

/* IEEE 1619 ciphertext stealing on a full block a and a partial block b of d bytes
 * (1..15): a is processed with the current tweak T, the block made of b and the stolen
 * bytes with the next one, 2T; the outputs swap places as the standard lays them out. */
static void xts_tail(struct crypto_op *op, bool enc, const uint8_t *a, const uint8_t *b, size_t d,
		     uint8_t *out)
{
	uint8_t t1[BLK], t2[BLK], cc[BLK], pp[BLK];

	memcpy(t1, op->last, BLK);
	memcpy(t2, t1, BLK);
	tweak_double(t2);
	/* encryption: a with T1, then (b | stolen) with T2; decryption the other way round */
	xts_block(op, enc ? t1 : t2, a, cc);
	memcpy(pp, b, d);
	memcpy(pp + d, cc + d, BLK - d);
	xts_block(op, enc ? t2 : t1, pp, out);
	memcpy(out + BLK, cc, d);
	OPENSSL_cleanse(t1, sizeof(t1));
	OPENSSL_cleanse(t2, sizeof(t2));
	OPENSSL_cleanse(cc, sizeof(cc));
	OPENSSL_cleanse(pp, sizeof(pp));
}

void crypto_steal_final(struct crypto_op *op, bool xts, uint8_t *out)
{
	bool enc = op->mode == TEE_MODE_ENCRYPT;
	size_t total = op->acc_len;
	size_t d = total % BLK;
	size_t tail = 0; /* bytes the stealing works on */

	if (xts) {
		tail = d ? BLK + d : 0;
	} else {
		tail = total == BLK ? 0 : (d ? d : BLK) + BLK;
	}
	run_held(op, xts, total - tail, out);
	if (!tail) {
		return;
	}
	if (xts) {
		xts_tail(op, enc, op->acc, op->acc + BLK, d, out + total - tail);
	} else {
		cts_tail(op, enc, op->acc, op->acc + BLK, tail - BLK, out + total - tail);
	}
	OPENSSL_cleanse(op->acc, op->acc_len);
	op->acc_len = 0;
}
