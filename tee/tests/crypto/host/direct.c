/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The differential check: the same operation through the GP API in the TA and directly
 * through OpenSSL in this process must agree byte for byte. Symmetric families with random
 * keys, IVs and lengths; asymmetric ones with keys generated in the TA (TEE_GenerateKey)
 * and handed back as attributes: deterministic signatures must be identical, randomized
 * ones must verify on the other side, and both sides must derive the same secrets.
 */
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/rand.h>
#include <openssl/rsa.h>
#include <stdio.h>
#include <string.h>
#include <tee_api_defines.h>
#include <tee_api_defines_extensions.h>
#include <tee_api_types.h>
#include <tee_test.h>

#include "crypto_host.h"
#include "crypto_ta.h"

static const char *md_of(uint32_t alg)
{
	switch (alg & 0xFF) {
	case 1:
		return "MD5";
	case 2:
		return "SHA1";
	case 3:
		return "SHA224";
	case 4:
		return "SHA256";
	case 5:
		return "SHA384";
	case 6:
		return "SHA512";
	case 9:
		return "SHA3-256";
	default:
		return NULL;
	}
}

/* Cipher name for an algorithm and key length (DES keys widened to three-key 3DES). */
static const char *cipher_of(uint32_t alg, size_t key_len, char *name, size_t max)
{
	unsigned mode = (alg >> 8) & 0xF;
	static const char *const aes_modes[] = { "ECB", "CBC", "CTR", "CBC-CTS", "XTS",
						 "CBC", "CBC", "CCM", "GCM" };

	if ((alg & 0xFF) == 0x10) {
		snprintf(name, max, "AES-%zu-%s", key_len * 8, aes_modes[mode]);
	} else {
		snprintf(name, max, "DES-EDE3-%s", mode == 0 ? "ECB" : "CBC");
	}
	return name;
}

static int run_cipher(const struct sym_case *c, uint8_t *out, size_t *out_len, uint8_t *tag)
{
	char name[32];
	uint8_t key[64];
	size_t key_len = c->key_len;
	unsigned mode = (c->alg >> 8) & 0xF;
	bool ae = (c->alg >> 28) == 4;
	bool mac = (c->alg >> 28) == 3;
	EVP_CIPHER *ciph = NULL;
	EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
	OSSL_PARAM p[2] = { OSSL_PARAM_construct_end(), OSSL_PARAM_construct_end() };
	int l = 0, l2 = 0;
	int rc = -1;

	if ((c->alg & 0xFF) != 0x10) {
		for (size_t i = 0; i < 24; i++) {
			key[i] = c->key[i % c->key_len];
		}
		key_len = 24;
	} else {
		memcpy(key, c->key, c->key_len);
		if (c->key2_len) {
			memcpy(key + c->key_len, c->key2, c->key2_len);
		}
	}
	ciph = EVP_CIPHER_fetch(NULL, cipher_of(c->alg, c->key_len, name, sizeof(name)), NULL);
	if (mode == 3) {
		p[0] = OSSL_PARAM_construct_utf8_string(OSSL_CIPHER_PARAM_CTS_MODE, (char *)"CS3",
							0);
	}
	if (!ciph || !ctx || !EVP_CipherInit_ex2(ctx, ciph, NULL, NULL, c->encrypt, p)) {
		goto out;
	}
	(void)key_len;
	if (ae) {
		if (!EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_SET_IVLEN, (int)c->iv_len, NULL) ||
		    (mode == 7 && !EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_SET_TAG,
						       (int)c->tag_bits / 8, NULL)) ||
		    !EVP_CipherInit_ex2(ctx, NULL, key, c->iv, c->encrypt, NULL) ||
		    (mode == 7 && !EVP_CipherUpdate(ctx, NULL, &l, NULL, (int)c->in_len)) ||
		    (c->aad_len && !EVP_CipherUpdate(ctx, NULL, &l, c->aad, (int)c->aad_len)) ||
		    !EVP_CipherUpdate(ctx, out, &l, c->in, (int)c->in_len) ||
		    !EVP_CipherFinal_ex(ctx, out + l, &l2) ||
		    !EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_GET_TAG, (int)c->tag_bits / 8, tag)) {
			goto out;
		}
		*out_len = (size_t)(l + l2);
		rc = 0;
		goto out;
	}
	if (!EVP_CipherInit_ex2(ctx, NULL, key, c->iv_len ? c->iv : NULL, c->encrypt, NULL) ||
	    !EVP_CIPHER_CTX_set_padding(ctx, 0)) {
		goto out;
	}
	if (mac) {
		/* CBC-MAC: the last block of a CBC encryption (PKCS#5 pads first) */
		uint8_t buf[2048];
		size_t bs = (size_t)EVP_CIPHER_get_block_size(ciph);
		size_t n = c->in_len;
		uint8_t in[2048];

		memcpy(in, c->in, n);
		if (mode == 5) {
			size_t pad = bs - n % bs;

			memset(in + n, (int)pad, pad);
			n += pad;
		}
		if (!EVP_CipherUpdate(ctx, buf, &l, in, (int)n) || l < (int)bs) {
			goto out;
		}
		memcpy(out, buf + l - (int)bs, bs);
		*out_len = bs;
		rc = 0;
		goto out;
	}
	if (!EVP_CipherUpdate(ctx, out, &l, c->in, (int)c->in_len) ||
	    !EVP_CipherFinal_ex(ctx, out + l, &l2)) {
		goto out;
	}
	*out_len = (size_t)(l + l2);
	rc = 0;
out:
	EVP_CIPHER_CTX_free(ctx);
	EVP_CIPHER_free(ciph);
	return rc;
}

int direct_sym(const struct sym_case *c, uint8_t *out, size_t *out_len, uint8_t *tag)
{
	uint32_t cls = c->alg >> 28;
	unsigned mode = (c->alg >> 8) & 0xF;

	if (c->alg == TEE_ALG_SHAKE128 || c->alg == TEE_ALG_SHAKE256) {
		EVP_MD_CTX *md = EVP_MD_CTX_new();
		int ok = md &&
			 EVP_DigestInit_ex(
				 md, c->alg == TEE_ALG_SHAKE128 ? EVP_shake128() : EVP_shake256(),
				 NULL) &&
			 EVP_DigestUpdate(md, c->in, c->in_len) &&
			 EVP_DigestFinalXOF(md, out, c->xof_len);

		EVP_MD_CTX_free(md);
		*out_len = c->xof_len;
		return ok ? 0 : -1;
	}
	if (cls == 5) {
		unsigned int n = 0;

		if (!EVP_Digest(c->in, c->in_len, out, &n, EVP_get_digestbyname(md_of(c->alg)),
				NULL)) {
			return -1;
		}
		*out_len = n;
		return 0;
	}
	if (cls == 3 && (c->alg & 0xF00) == 0) {
		/* HMAC */
		size_t n = 0;
		OSSL_PARAM p[2] = { OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST,
								     (char *)md_of(c->alg), 0),
				    OSSL_PARAM_construct_end() };

		if (!EVP_Q_mac(NULL, "HMAC", NULL, NULL, p, c->key, c->key_len, c->in, c->in_len,
			       out, *out_len, &n)) {
			return -1;
		}
		*out_len = n;
		return 0;
	}
	if (cls == 3 && mode == 6) {
		char name[32];
		size_t n = 0;
		OSSL_PARAM p[2] = { OSSL_PARAM_construct_utf8_string(
					    OSSL_MAC_PARAM_CIPHER,
					    (char *)cipher_of(c->alg == TEE_ALG_AES_CMAC
								      ? TEE_ALG_AES_CBC_NOPAD
								      : TEE_ALG_DES3_CBC_NOPAD,
							      c->key_len, name, sizeof(name)),
					    0),
				    OSSL_PARAM_construct_end() };

		if (!EVP_Q_mac(NULL, "CMAC", NULL, NULL, p, c->key, c->key_len, c->in, c->in_len,
			       out, *out_len, &n)) {
			return -1;
		}
		*out_len = n;
		return 0;
	}
	return run_cipher(c, out, out_len, tag);
}

/* ---- random symmetric cases ---- */

struct sym_alg {
	uint32_t alg;
	size_t key_lens[3];
	size_t iv_len; /* 0: none */
	size_t block;  /* input multiple (0: any) */
	bool two_keys;
};

static const struct sym_alg sym_algs[] = {
	{ TEE_ALG_SHA1, { 0 }, 0, 0, false },
	{ TEE_ALG_SHA224, { 0 }, 0, 0, false },
	{ TEE_ALG_SHA256, { 0 }, 0, 0, false },
	{ TEE_ALG_SHA384, { 0 }, 0, 0, false },
	{ TEE_ALG_SHA512, { 0 }, 0, 0, false },
	{ TEE_ALG_MD5, { 0 }, 0, 0, false },
	{ TEE_ALG_AES_ECB_NOPAD, { 16, 24, 32 }, 0, 16, false },
	{ TEE_ALG_AES_CBC_NOPAD, { 16, 24, 32 }, 16, 16, false },
	{ TEE_ALG_AES_CTR, { 16, 24, 32 }, 16, 0, false },
	{ TEE_ALG_AES_CTS, { 16, 24, 32 }, 16, 1, false },
	{ TEE_ALG_AES_XTS, { 16, 32 }, 16, 1, true },
	{ TEE_ALG_DES_ECB_NOPAD, { 8 }, 0, 8, false },
	{ TEE_ALG_DES_CBC_NOPAD, { 8 }, 8, 8, false },
	{ TEE_ALG_DES3_ECB_NOPAD, { 16, 24 }, 0, 8, false },
	{ TEE_ALG_DES3_CBC_NOPAD, { 16, 24 }, 8, 8, false },
	{ TEE_ALG_AES_CBC_MAC_NOPAD, { 16, 32 }, 0, 16, false },
	{ TEE_ALG_AES_CBC_MAC_PKCS5, { 16, 32 }, 0, 0, false },
	{ TEE_ALG_AES_CMAC, { 16, 24, 32 }, 0, 0, false },
	{ TEE_ALG_DES3_CBC_MAC_NOPAD, { 24 }, 0, 8, false },
	{ TEE_ALG_DES3_CBC_MAC_PKCS5, { 16 }, 0, 0, false },
	{ TEE_ALG_HMAC_MD5, { 16, 64 }, 0, 0, false },
	{ TEE_ALG_HMAC_SHA1, { 20, 64 }, 0, 0, false },
	{ TEE_ALG_HMAC_SHA224, { 28, 64 }, 0, 0, false },
	{ TEE_ALG_HMAC_SHA256, { 32, 128 }, 0, 0, false },
	{ TEE_ALG_HMAC_SHA384, { 48, 128 }, 0, 0, false },
	{ TEE_ALG_HMAC_SHA512, { 64, 128 }, 0, 0, false },
	{ TEE_ALG_AES_GCM, { 16, 24, 32 }, 12, 0, false },
	{ TEE_ALG_AES_CCM, { 16, 24, 32 }, 13, 0, false },
};

static uint32_t key_type_of(uint32_t alg)
{
	switch (alg & 0xFF) {
	case 0x10:
		return TEE_TYPE_AES;
	case 0x11:
		return TEE_TYPE_DES;
	case 0x13:
		return TEE_TYPE_DES3;
	default:
		return TEE_TYPE_GENERIC_SECRET;
	}
}

unsigned diff_sym(TEEC_Session *s)
{
	static const size_t lens[] = { 0, 16, 17, 48, 100, 1000 };
	static struct req r;
	unsigned count = 0;

	for (size_t a = 0; a < sizeof(sym_algs) / sizeof(sym_algs[0]); a++) {
		const struct sym_alg *sa = &sym_algs[a];
		uint32_t cls = sa->alg >> 28;

		for (size_t k = 0; k < 3 && (k == 0 || sa->key_lens[k]); k++) {
			for (size_t li = 0; li < sizeof(lens) / sizeof(lens[0]); li++) {
				uint8_t key[128], key2[128], iv[16], aad[20], in[1000];
				uint8_t ta_out[1100], ossl_out[1100], ta_tag[16], ossl_tag[16];
				size_t tn = sizeof(ta_tag), n = sizeof(ta_out),
				       on = sizeof(ossl_out);
				size_t len = lens[li];
				struct sym_case c = { .alg = sa->alg, .encrypt = 1 };
				TEEC_Result res;

				if ((sa->block > 1 && (len % sa->block || !len)) ||
				    (sa->block == 1 && len < 16) ||
				    (cls != 5 && cls != 3 && !len)) {
					continue;
				}
				RAND_bytes(key, sizeof(key));
				RAND_bytes(key2, sizeof(key2));
				RAND_bytes(iv, sizeof(iv));
				RAND_bytes(aad, sizeof(aad));
				RAND_bytes(in, sizeof(in));
				c.key = key;
				c.key_len = sa->key_lens[k];
				c.key2 = sa->two_keys ? key2 : NULL;
				c.key2_len = sa->two_keys ? c.key_len : 0;
				c.iv = iv;
				c.iv_len = sa->iv_len;
				c.aad = aad;
				c.aad_len = cls == 4 ? sizeof(aad) : 0;
				c.in = in;
				c.in_len = len;
				c.tag_bits = cls == 4 ? 128 : 0;
				r.len = 0;
				if (c.key_len) {
					req_u32(&r, CT_KEY_TYPE, key_type_of(sa->alg));
					req_attr(&r, CT_KEY_ATTR, TEE_ATTR_SECRET_VALUE, key,
						 c.key_len);
				}
				if (c.key2_len) {
					req_attr(&r, CT_KEY2_ATTR, TEE_ATTR_SECRET_VALUE, key2,
						 c.key2_len);
				}
				if (c.iv_len) {
					req_add(&r, CT_IV, iv, c.iv_len);
				}
				if (c.aad_len) {
					req_add(&r, CT_AAD, aad, c.aad_len);
				}
				req_add(&r, CT_DATA, in, len);
				req_u32(&r, CT_CHUNK, 7);
				if (c.tag_bits) {
					req_u32(&r, CT_TAGLEN, c.tag_bits);
				}
				res = ta_op(s, sa->alg,
					    cls == 5   ? 5
					    : cls == 3 ? 4
						       : 0,
					    &r, ta_out, &n, cls == 4 ? ta_tag : NULL, &tn);
				QEXPECT(res, TEEC_SUCCESS, alg_name(sa->alg));
				QCHECK(direct_sym(&c, ossl_out, &on, ossl_tag) == 0, "OpenSSL %s",
				       alg_name(sa->alg));
				if (n != on || memcmp(ta_out, ossl_out, n) ||
				    (cls == 4 && memcmp(ta_tag, ossl_tag, 16))) {
					TEST_STEP("%s, key of %zu bytes, %zu bytes of data: TA "
						  "against OpenSSL",
						  alg_name(sa->alg), c.key_len, len);
					ASSERT_EQ_U64(n, on);
					ASSERT_EQ_MEM(ta_out, ossl_out, n);
					ASSERT_EQ_MEM(ta_tag, ossl_tag, 16);
				}
				count++;
			}
		}
	}
	return count;
}

/* ---- asymmetric, with keys generated in the TA ---- */

const uint8_t *key_attr(const uint8_t *recs, size_t len, uint32_t id, size_t *n)
{
	size_t off = 0;

	while (off + 12 <= len) {
		uint32_t l = 0, aid = 0;

		memcpy(&l, recs + off + 4, 4);
		memcpy(&aid, recs + off + 8, 4);
		if (aid == id) {
			*n = l - 4;
			return recs + off + 12;
		}
		off += 8 + ((l + 3) & ~3u);
	}
	return NULL;
}

static EVP_PKEY *rsa_from(const uint8_t *recs, size_t len)
{
	static const struct {
		uint32_t id;
		const char *name;
	} parts[] = {
		{ TEE_ATTR_RSA_MODULUS, OSSL_PKEY_PARAM_RSA_N },
		{ TEE_ATTR_RSA_PUBLIC_EXPONENT, OSSL_PKEY_PARAM_RSA_E },
		{ TEE_ATTR_RSA_PRIVATE_EXPONENT, OSSL_PKEY_PARAM_RSA_D },
		{ TEE_ATTR_RSA_PRIME1, OSSL_PKEY_PARAM_RSA_FACTOR1 },
		{ TEE_ATTR_RSA_PRIME2, OSSL_PKEY_PARAM_RSA_FACTOR2 },
		{ TEE_ATTR_RSA_EXPONENT1, OSSL_PKEY_PARAM_RSA_EXPONENT1 },
		{ TEE_ATTR_RSA_EXPONENT2, OSSL_PKEY_PARAM_RSA_EXPONENT2 },
		{ TEE_ATTR_RSA_COEFFICIENT, OSSL_PKEY_PARAM_RSA_COEFFICIENT1 },
	};
	OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
	BIGNUM *bn[8] = { NULL };
	OSSL_PARAM *p = NULL;
	EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_name(NULL, "RSA", NULL);
	EVP_PKEY *pk = NULL;

	for (size_t i = 0; i < 8; i++) {
		size_t n = 0;
		const uint8_t *b = key_attr(recs, len, parts[i].id, &n);

		QCHECK(b != NULL, "generated RSA key lacks attribute 0x%08x", parts[i].id);
		bn[i] = BN_bin2bn(b, (int)n, NULL);
		OSSL_PARAM_BLD_push_BN(bld, parts[i].name, bn[i]);
	}
	p = OSSL_PARAM_BLD_to_param(bld);
	if (EVP_PKEY_fromdata_init(ctx) <= 0 ||
	    EVP_PKEY_fromdata(ctx, &pk, EVP_PKEY_KEYPAIR, p) <= 0) {
		pk = NULL;
	}
	OSSL_PARAM_free(p);
	OSSL_PARAM_BLD_free(bld);
	EVP_PKEY_CTX_free(ctx);
	for (size_t i = 0; i < 8; i++) {
		BN_free(bn[i]);
	}
	return pk;
}

/* Copies every KEY_ATTR record of a generated key into a request. */
static void key_into(struct req *r, uint32_t type, const uint8_t *recs, size_t len)
{
	req_u32(r, CT_KEY_TYPE, type);
	memcpy(r->buf + r->len, recs, len);
	r->len += len;
}

static unsigned diff_rsa(TEEC_Session *s, uint32_t bits)
{
	static uint8_t key[4096];
	static struct req r, none;
	uint8_t digest[32], ta_sig[512], ossl_sig[512], ct[512], pt[512];
	size_t klen = sizeof(key), n = sizeof(ta_sig), on = sizeof(ossl_sig), cn = sizeof(ct);
	EVP_PKEY *pk = NULL;
	EVP_PKEY_CTX *ctx = NULL;
	TEEC_Result res;
	const char msg[] = "differential";

	none.len = 0;
	res = ta_genkey(s, TEE_TYPE_RSA_KEYPAIR, bits, &none, key, &klen);
	QEXPECT(res, TEEC_SUCCESS, "TEE_GenerateKey RSA");
	pk = rsa_from(key, klen);
	QCHECK(pk != NULL && EVP_PKEY_get_bits(pk) == (int)bits, "RSA-%u key usable by OpenSSL",
	       bits);

	/* PKCS#1 v1.5 signatures are deterministic: identical bytes */
	EVP_Digest("abc", 3, digest, NULL, EVP_sha256(), NULL);
	r.len = 0;
	key_into(&r, TEE_TYPE_RSA_KEYPAIR, key, klen);
	req_add(&r, CT_DATA, digest, sizeof(digest));
	res = ta_op(s, TEE_ALG_RSASSA_PKCS1_V1_5_SHA256, TEE_MODE_SIGN, &r, ta_sig, &n, NULL, NULL);
	QEXPECT(res, TEEC_SUCCESS, "RSASSA-PKCS1-v1_5-SHA256 sign");
	ctx = EVP_PKEY_CTX_new(pk, NULL);
	QCHECK(EVP_PKEY_sign_init(ctx) > 0 &&
		       EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_PADDING) > 0 &&
		       EVP_PKEY_CTX_set_signature_md(ctx, EVP_sha256()) > 0 &&
		       EVP_PKEY_sign(ctx, ossl_sig, &on, digest, sizeof(digest)) > 0,
	       "OpenSSL RSA sign");
	EVP_PKEY_CTX_free(ctx);
	QCHECK(n == on && !memcmp(ta_sig, ossl_sig, n),
	       "RSA-%u PKCS#1 v1.5 signature: TA and OpenSSL differ", bits);

	/* PSS from the TA verifies in OpenSSL */
	n = sizeof(ta_sig);
	res = ta_op(s, TEE_ALG_RSASSA_PKCS1_PSS_MGF1_SHA256, TEE_MODE_SIGN, &r, ta_sig, &n, NULL,
		    NULL);
	QEXPECT(res, TEEC_SUCCESS, "RSASSA-PSS-SHA256 sign");
	ctx = EVP_PKEY_CTX_new(pk, NULL);
	QCHECK(EVP_PKEY_verify_init(ctx) > 0 &&
		       EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_PSS_PADDING) > 0 &&
		       EVP_PKEY_CTX_set_signature_md(ctx, EVP_sha256()) > 0 &&
		       EVP_PKEY_CTX_set_rsa_pss_saltlen(ctx, 32) > 0 &&
		       EVP_PKEY_verify(ctx, ta_sig, n, digest, sizeof(digest)) == 1,
	       "RSA-%u PSS signature of the TA verifies in OpenSSL", bits);
	EVP_PKEY_CTX_free(ctx);

	/* OAEP: OpenSSL encrypts, the TA decrypts */
	ctx = EVP_PKEY_CTX_new(pk, NULL);
	QCHECK(EVP_PKEY_encrypt_init(ctx) > 0 &&
		       EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_OAEP_PADDING) > 0 &&
		       EVP_PKEY_CTX_set_rsa_oaep_md(ctx, EVP_sha256()) > 0 &&
		       EVP_PKEY_CTX_set_rsa_mgf1_md(ctx, EVP_sha256()) > 0 &&
		       EVP_PKEY_encrypt(ctx, ct, &cn, (const uint8_t *)msg, sizeof(msg)) > 0,
	       "OpenSSL OAEP encrypt");
	EVP_PKEY_CTX_free(ctx);
	r.len = 0;
	key_into(&r, TEE_TYPE_RSA_KEYPAIR, key, klen);
	req_add(&r, CT_DATA, ct, cn);
	n = sizeof(pt);
	res = ta_op(s, TEE_ALG_RSAES_PKCS1_OAEP_MGF1_SHA256, TEE_MODE_DECRYPT, &r, pt, &n, NULL,
		    NULL);
	QEXPECT(res, TEEC_SUCCESS, "RSAES-OAEP-SHA256 decrypt");
	QCHECK(n == sizeof(msg) && !memcmp(pt, msg, n), "RSA-%u OAEP round trip", bits);

	/* PKCS#1 v1.5 encryption: TA encrypts (public key only), TA decrypts (pair) */
	r.len = 0;
	{
		size_t mn = 0, en = 0;
		const uint8_t *m = key_attr(key, klen, TEE_ATTR_RSA_MODULUS, &mn);
		const uint8_t *e = key_attr(key, klen, TEE_ATTR_RSA_PUBLIC_EXPONENT, &en);

		req_u32(&r, CT_KEY_TYPE, TEE_TYPE_RSA_PUBLIC_KEY);
		req_attr(&r, CT_KEY_ATTR, TEE_ATTR_RSA_MODULUS, m, mn);
		req_attr(&r, CT_KEY_ATTR, TEE_ATTR_RSA_PUBLIC_EXPONENT, e, en);
	}
	req_add(&r, CT_DATA, msg, sizeof(msg));
	cn = sizeof(ct);
	res = ta_op(s, TEE_ALG_RSAES_PKCS1_V1_5, TEE_MODE_ENCRYPT, &r, ct, &cn, NULL, NULL);
	QEXPECT(res, TEEC_SUCCESS, "RSAES-PKCS1-v1_5 encrypt");
	QCHECK(cn == bits / 8, "ciphertext is %zu bytes", cn);
	r.len = 0;
	key_into(&r, TEE_TYPE_RSA_KEYPAIR, key, klen);
	req_add(&r, CT_DATA, ct, cn);
	n = sizeof(pt);
	res = ta_op(s, TEE_ALG_RSAES_PKCS1_V1_5, TEE_MODE_DECRYPT, &r, pt, &n, NULL, NULL);
	QEXPECT(res, TEEC_SUCCESS, "RSAES-PKCS1-v1_5 decrypt");
	QCHECK(n == sizeof(msg) && !memcmp(pt, msg, n), "RSA-%u PKCS#1 v1.5 round trip", bits);
	EVP_PKEY_free(pk);
	return 5;
}

static EVP_PKEY *ec_from(const uint8_t *recs, size_t len, const char *group, size_t nbytes,
			 bool priv)
{
	size_t xn = 0, yn = 0, dn = 0;
	const uint8_t *x = key_attr(recs, len, TEE_ATTR_ECC_PUBLIC_VALUE_X, &xn);
	const uint8_t *y = key_attr(recs, len, TEE_ATTR_ECC_PUBLIC_VALUE_Y, &yn);
	const uint8_t *d = key_attr(recs, len, TEE_ATTR_ECC_PRIVATE_VALUE, &dn);
	uint8_t pt[1 + 2 * 66] = { 4 };
	OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
	BIGNUM *dbn = NULL;
	OSSL_PARAM *p = NULL;
	EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_name(NULL, "EC", NULL);
	EVP_PKEY *pk = NULL;

	QCHECK(x && y && d && xn == nbytes && yn == nbytes, "generated EC key attributes");
	memcpy(pt + 1, x, xn);
	memcpy(pt + 1 + nbytes, y, yn);
	OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME, group, 0);
	OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY, pt, 1 + 2 * nbytes);
	if (priv) {
		dbn = BN_bin2bn(d, (int)dn, NULL);
		OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_PRIV_KEY, dbn);
	}
	p = OSSL_PARAM_BLD_to_param(bld);
	if (EVP_PKEY_fromdata_init(ctx) <= 0 ||
	    EVP_PKEY_fromdata(ctx, &pk, priv ? EVP_PKEY_KEYPAIR : EVP_PKEY_PUBLIC_KEY, p) <= 0) {
		pk = NULL;
	}
	OSSL_PARAM_free(p);
	OSSL_PARAM_BLD_free(bld);
	EVP_PKEY_CTX_free(ctx);
	BN_free(dbn);
	return pk;
}

static unsigned diff_ec(TEEC_Session *s, uint32_t curve, uint32_t bits, const char *group)
{
	static uint8_t key[2048];
	static struct req r, params;
	size_t klen = sizeof(key), nbytes = (bits + 7) / 8;
	uint8_t digest[32], sig[160], der[200], secret[80], ossl_secret[80];
	size_t n = sizeof(sig), sn = sizeof(secret), on = sizeof(ossl_secret);
	EVP_PKEY *pk = NULL, *peer = NULL;
	EVP_PKEY_CTX *ctx = NULL;
	ECDSA_SIG *es = NULL;
	unsigned char *dp = der;
	int dl = 0;
	TEEC_Result res;

	params.len = 0;
	req_value(&params, CT_PARAM, TEE_ATTR_ECC_CURVE, curve, 0);
	res = ta_genkey(s, TEE_TYPE_ECDSA_KEYPAIR, bits, &params, key, &klen);
	QEXPECT(res, TEEC_SUCCESS, "TEE_GenerateKey ECDSA");
	pk = ec_from(key, klen, group, nbytes, false);
	QCHECK(pk != NULL, "%s public key usable by OpenSSL", group);

	/* ECDSA: the TA's r || s verifies in OpenSSL */
	EVP_Digest("abc", 3, digest, NULL, EVP_sha256(), NULL);
	r.len = 0;
	key_into(&r, TEE_TYPE_ECDSA_KEYPAIR, key, klen);
	req_add(&r, CT_DATA, digest, sizeof(digest));
	res = ta_op(s, TEE_ALG_ECDSA_SHA256, TEE_MODE_SIGN, &r, sig, &n, NULL, NULL);
	QEXPECT(res, TEEC_SUCCESS, "ECDSA sign");
	QCHECK(n == 2 * nbytes, "ECDSA %s signature is r || s (%zu bytes)", group, n);
	es = ECDSA_SIG_new();
	ECDSA_SIG_set0(es, BN_bin2bn(sig, (int)nbytes, NULL),
		       BN_bin2bn(sig + nbytes, (int)nbytes, NULL));
	dl = i2d_ECDSA_SIG(es, &dp);
	ECDSA_SIG_free(es);
	ctx = EVP_PKEY_CTX_new(pk, NULL);
	QCHECK(EVP_PKEY_verify_init(ctx) > 0 &&
		       EVP_PKEY_verify(ctx, der, (size_t)dl, digest, sizeof(digest)) == 1,
	       "ECDSA %s signature of the TA verifies in OpenSSL", group);
	EVP_PKEY_CTX_free(ctx);
	EVP_PKEY_free(pk);

	/* ECDH: TA(private A, public B) == OpenSSL(private B, public A) */
	klen = sizeof(key);
	res = ta_genkey(s, TEE_TYPE_ECDH_KEYPAIR, bits, &params, key, &klen);
	QEXPECT(res, TEEC_SUCCESS, "TEE_GenerateKey ECDH");
	peer = EVP_PKEY_Q_keygen(NULL, NULL, "EC", group);
	{
		uint8_t pt[1 + 2 * 66];
		size_t pl = 0;

		EVP_PKEY_get_octet_string_param(peer, OSSL_PKEY_PARAM_PUB_KEY, pt, sizeof(pt), &pl);
		r.len = 0;
		key_into(&r, TEE_TYPE_ECDH_KEYPAIR, key, klen);
		req_attr(&r, CT_PARAM, TEE_ATTR_ECC_PUBLIC_VALUE_X, pt + 1, nbytes);
		req_attr(&r, CT_PARAM, TEE_ATTR_ECC_PUBLIC_VALUE_Y, pt + 1 + nbytes, nbytes);
	}
	res = ta_op(s, TEE_ALG_ECDH_DERIVE_SHARED_SECRET, TEE_MODE_DERIVE, &r, secret, &sn, NULL,
		    NULL);
	QEXPECT(res, TEEC_SUCCESS, "ECDH derive");
	pk = ec_from(key, klen, group, nbytes, false);
	ctx = EVP_PKEY_CTX_new(peer, NULL);
	QCHECK(pk && EVP_PKEY_derive_init(ctx) > 0 && EVP_PKEY_derive_set_peer(ctx, pk) > 0 &&
		       EVP_PKEY_derive(ctx, ossl_secret, &on) > 0,
	       "OpenSSL ECDH");
	QCHECK(sn == on && !memcmp(secret, ossl_secret, sn), "ECDH %s: TA and OpenSSL differ",
	       group);
	EVP_PKEY_CTX_free(ctx);
	EVP_PKEY_free(pk);
	EVP_PKEY_free(peer);
	return 2;
}

static unsigned diff_25519(TEEC_Session *s)
{
	static uint8_t key[512];
	static struct req r, none;
	size_t klen = sizeof(key), n = 0, pn = 0, sn = 0;
	uint8_t sig[64], ossl_sig[64], secret[32], ossl_secret[32], peer_pub[32];
	size_t on = sizeof(ossl_sig), ossl_sn = sizeof(ossl_secret), ppl = sizeof(peer_pub);
	const uint8_t *priv = NULL;
	EVP_PKEY *pk = NULL, *peer = NULL, *mine = NULL;
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	EVP_PKEY_CTX *ctx = NULL;
	TEEC_Result res;

	none.len = 0;
	res = ta_genkey(s, TEE_TYPE_ED25519_KEYPAIR, 256, &none, key, &klen);
	QEXPECT(res, TEEC_SUCCESS, "TEE_GenerateKey Ed25519");
	priv = key_attr(key, klen, TEE_ATTR_ED25519_PRIVATE_VALUE, &pn);
	QCHECK(priv && pn == 32, "Ed25519 private value");
	pk = EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, NULL, priv, 32);
	r.len = 0;
	key_into(&r, TEE_TYPE_ED25519_KEYPAIR, key, klen);
	req_add(&r, CT_DATA, "message", 7);
	n = sizeof(sig);
	res = ta_op(s, TEE_ALG_ED25519, TEE_MODE_SIGN, &r, sig, &n, NULL, NULL);
	QEXPECT(res, TEEC_SUCCESS, "Ed25519 sign");
	QCHECK(EVP_DigestSignInit(md, NULL, NULL, NULL, pk) &&
		       EVP_DigestSign(md, ossl_sig, &on, (const uint8_t *)"message", 7),
	       "OpenSSL Ed25519");
	QCHECK(n == 64 && on == 64 && !memcmp(sig, ossl_sig, 64),
	       "Ed25519 signature: TA and OpenSSL differ");
	EVP_PKEY_free(pk);

	klen = sizeof(key);
	res = ta_genkey(s, TEE_TYPE_X25519_KEYPAIR, 256, &none, key, &klen);
	QEXPECT(res, TEEC_SUCCESS, "TEE_GenerateKey X25519");
	peer = EVP_PKEY_Q_keygen(NULL, NULL, "X25519");
	EVP_PKEY_get_raw_public_key(peer, peer_pub, &ppl);
	r.len = 0;
	key_into(&r, TEE_TYPE_X25519_KEYPAIR, key, klen);
	req_attr(&r, CT_PARAM, TEE_ATTR_X25519_PUBLIC_VALUE, peer_pub, 32);
	sn = sizeof(secret);
	res = ta_op(s, TEE_ALG_X25519, TEE_MODE_DERIVE, &r, secret, &sn, NULL, NULL);
	QEXPECT(res, TEEC_SUCCESS, "X25519 derive");
	{
		const uint8_t *pub = key_attr(key, klen, TEE_ATTR_X25519_PUBLIC_VALUE, &pn);

		mine = EVP_PKEY_new_raw_public_key(EVP_PKEY_X25519, NULL, pub, 32);
	}
	ctx = EVP_PKEY_CTX_new(peer, NULL);
	QCHECK(EVP_PKEY_derive_init(ctx) > 0 && EVP_PKEY_derive_set_peer(ctx, mine) > 0 &&
		       EVP_PKEY_derive(ctx, ossl_secret, &ossl_sn) > 0,
	       "OpenSSL X25519");
	QCHECK(sn == 32 && ossl_sn == 32 && !memcmp(secret, ossl_secret, 32),
	       "X25519: TA and OpenSSL differ");
	EVP_PKEY_CTX_free(ctx);
	EVP_PKEY_free(mine);
	EVP_PKEY_free(peer);
	EVP_MD_CTX_free(md);
	return 2;
}

unsigned diff_asym(TEEC_Session *s, bool quick)
{
	unsigned count = 0;

	count += diff_rsa(s, 1024);
	count += diff_ec(s, TEE_ECC_CURVE_NIST_P256, 256, "P-256");
	if (!quick) {
		count += diff_rsa(s, 2048);
		count += diff_ec(s, TEE_ECC_CURVE_NIST_P384, 384, "P-384");
		count += diff_ec(s, TEE_ECC_CURVE_NIST_P521, 521, "P-521");
	}
	count += diff_25519(s);
	return count;
}
