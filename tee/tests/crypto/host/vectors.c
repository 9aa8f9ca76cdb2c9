/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Known-answer vectors from data/<family>.txt, one per line:
 *   <ALG> <enc|dec|digest|mac|sign|verify|derive> field=value ...
 * ALG is the TEE_ALG_ name without the prefix. Fields: key, key2 (secret values, hex),
 * keytype (TEE_TYPE_ name without prefix), ka.<ATTR> / pa.<ATTR> (key attribute /
 * operation parameter: hex, or v:<decimal> for a value attribute), iv, aad, in, out, tag
 * (hex), taglen and outmax (decimal bits). '#' starts a comment line.
 *
 * Each vector runs through the TA with the data in one call and in chunks; encryptions
 * are also decrypted back, MACs compared with TEE_MACCompareFinal, signatures verified,
 * and symmetric vectors are also computed with OpenSSL directly (direct.c).
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <tee_api_defines.h>
#include <tee_api_defines_extensions.h>
#include <tee_api_types.h>
#include <tee_test.h>

#include "crypto_host.h"
#include "crypto_ta.h"

struct named {
	const char *name;
	uint32_t value;
};

#define A(x)                                                                                       \
	{                                                                                          \
#x, TEE_ALG_##x                                                                    \
	}
static const struct named algs[] = {
	A(MD5),
	A(SHA1),
	A(SHA224),
	A(SHA256),
	A(SHA384),
	A(SHA512),
	A(SHA3_256),
	A(SHAKE128),
	A(SHAKE256),
	A(AES_ECB_NOPAD),
	A(AES_CBC_NOPAD),
	A(AES_CTR),
	A(AES_CTS),
	A(AES_XTS),
	A(DES_ECB_NOPAD),
	A(DES_CBC_NOPAD),
	A(DES3_ECB_NOPAD),
	A(DES3_CBC_NOPAD),
	A(AES_CBC_MAC_NOPAD),
	A(AES_CBC_MAC_PKCS5),
	A(AES_CMAC),
	A(DES_CBC_MAC_NOPAD),
	A(DES3_CBC_MAC_NOPAD),
	A(DES3_CBC_MAC_PKCS5),
	A(HMAC_MD5),
	A(HMAC_SHA1),
	A(HMAC_SHA224),
	A(HMAC_SHA256),
	A(HMAC_SHA384),
	A(HMAC_SHA512),
	A(AES_GCM),
	A(AES_CCM),
	A(ED25519),
	A(X25519),
	A(ECDH_DERIVE_SHARED_SECRET),
	A(ECDSA_SHA256),
	A(RSASSA_PKCS1_V1_5_SHA256),
	A(RSAES_PKCS1_OAEP_MGF1_SHA1),
	A(HKDF_SHA256_DERIVE_KEY),
	A(HKDF_SHA1_DERIVE_KEY),
	A(PBKDF2_HMAC_SHA1_DERIVE_KEY),
	A(PBKDF2_HMAC_SHA256_DERIVE_KEY),
	A(CONCAT_KDF_SHA256_DERIVE_KEY),
};

#define T(x)                                                                                       \
	{                                                                                          \
#x, TEE_TYPE_##x                                                                   \
	}
static const struct named types[] = {
	T(AES),
	T(DES),
	T(DES3),
	T(GENERIC_SECRET),
	T(HMAC_SHA256),
	T(ED25519_KEYPAIR),
	T(ED25519_PUBLIC_KEY),
	T(X25519_KEYPAIR),
	T(ECDH_KEYPAIR),
	T(ECDSA_KEYPAIR),
	T(ECDSA_PUBLIC_KEY),
	T(RSA_KEYPAIR),
	T(RSA_PUBLIC_KEY),
	T(HKDF_IKM),
	T(PBKDF2_PASSWORD),
	T(CONCAT_KDF_Z),
};

#define AT(x)                                                                                      \
	{                                                                                          \
#x, TEE_ATTR_##x                                                                   \
	}
static const struct named attrs[] = {
	AT(SECRET_VALUE),
	AT(ED25519_PUBLIC_VALUE),
	AT(ED25519_PRIVATE_VALUE),
	AT(X25519_PUBLIC_VALUE),
	AT(X25519_PRIVATE_VALUE),
	AT(ECC_CURVE),
	AT(ECC_PUBLIC_VALUE_X),
	AT(ECC_PUBLIC_VALUE_Y),
	AT(ECC_PRIVATE_VALUE),
	AT(RSA_MODULUS),
	AT(RSA_PUBLIC_EXPONENT),
	AT(RSA_PRIVATE_EXPONENT),
	AT(HKDF_IKM),
	AT(HKDF_SALT),
	AT(HKDF_INFO),
	AT(HKDF_OKM_LENGTH),
	AT(PBKDF2_PASSWORD),
	AT(PBKDF2_SALT),
	AT(PBKDF2_ITERATION_COUNT),
	AT(PBKDF2_DKM_LENGTH),
	AT(CONCAT_KDF_Z),
	AT(CONCAT_KDF_OTHER_INFO),
	AT(CONCAT_KDF_DKM_LENGTH),
	AT(EDDSA_CTX),
	AT(EDDSA_PREHASH),
};

static uint32_t lookup(const struct named *t, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++) {
		if (!strcmp(t[i].name, name)) {
			return t[i].value;
		}
	}
	TEST_FAIL("unknown name %s in a vector file", name);
	return 0;
}

uint32_t alg_by_name(const char *name)
{
	return lookup(algs, sizeof(algs) / sizeof(algs[0]), name);
}

uint32_t attr_by_name(const char *name)
{
	return lookup(attrs, sizeof(attrs) / sizeof(attrs[0]), name);
}

const char *alg_name(uint32_t alg)
{
	for (size_t i = 0; i < sizeof(algs) / sizeof(algs[0]); i++) {
		if (algs[i].value == alg) {
			return algs[i].name;
		}
	}
	return "?";
}

size_t hex_decode(const char *hex, uint8_t *out, size_t max)
{
	size_t n = strlen(hex);

	if (n % 2 || n / 2 > max) {
		TEST_FAIL("bad hex field (%zu digits)", n);
	}
	for (size_t i = 0; i < n / 2; i++) {
		unsigned v = 0;

		if (!isxdigit((unsigned char)hex[2 * i]) ||
		    !isxdigit((unsigned char)hex[2 * i + 1]) ||
		    sscanf(hex + 2 * i, "%2x", &v) != 1) {
			TEST_FAIL("bad hex digit in %s", hex);
		}
		out[i] = (uint8_t)v;
	}
	return n / 2;
}

/* ---- requests and calls ---- */

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

static uint8_t *req_room(struct req *r, uint32_t tag, size_t len)
{
	size_t padded = (len + 3) & ~(size_t)3;
	uint8_t *p = NULL;

	if (r->len + 8 + padded > sizeof(r->buf)) {
		TEST_FAIL("request too large");
	}
	put32(r->buf + r->len, tag);
	put32(r->buf + r->len + 4, (uint32_t)len);
	p = r->buf + r->len + 8;
	memset(p, 0, padded);
	r->len += 8 + padded;
	return p;
}

void req_add(struct req *r, uint32_t tag, const void *data, size_t len)
{
	uint8_t *p = req_room(r, tag, len);

	if (len) {
		memcpy(p, data, len);
	}
}

void req_u32(struct req *r, uint32_t tag, uint32_t v)
{
	put32(req_room(r, tag, 4), v);
}

void req_attr(struct req *r, uint32_t tag, uint32_t id, const void *data, size_t len)
{
	uint8_t *p = req_room(r, tag, 4 + len);

	put32(p, id);
	if (len) {
		memcpy(p + 4, data, len);
	}
}

void req_value(struct req *r, uint32_t tag, uint32_t id, uint32_t a, uint32_t b)
{
	uint8_t *p = req_room(r, tag, 12);

	put32(p, id);
	put32(p + 4, a);
	put32(p + 8, b);
}

TEEC_Result ta_call(TEEC_Session *s, uint32_t cmd, uint32_t a, uint32_t b, const struct req *r,
		    uint8_t *out, size_t *out_len, uint8_t *tag, size_t *tag_len)
{
	TEEC_Operation op;
	uint32_t origin = 0;
	TEEC_Result res;

	memset(&op, 0, sizeof(op));
	op.paramTypes = TEEC_PARAM_TYPES(TEEC_VALUE_INPUT, TEEC_MEMREF_TEMP_INPUT,
					 out_len ? TEEC_MEMREF_TEMP_OUTPUT : TEEC_NONE,
					 tag_len ? TEEC_MEMREF_TEMP_OUTPUT : TEEC_NONE);
	op.params[0].value.a = a;
	op.params[0].value.b = b;
	op.params[1].tmpref.buffer = (void *)r->buf;
	op.params[1].tmpref.size = r->len;
	if (out_len) {
		op.params[2].tmpref.buffer = out;
		op.params[2].tmpref.size = *out_len;
	}
	if (tag_len) {
		op.params[3].tmpref.buffer = tag;
		op.params[3].tmpref.size = *tag_len;
	}
	res = TEEC_InvokeCommand(s, cmd, &op, &origin);
	if (out_len) {
		*out_len = op.params[2].tmpref.size;
	}
	if (tag_len) {
		*tag_len = op.params[3].tmpref.size;
	}
	return res;
}

TEEC_Result ta_op(TEEC_Session *s, uint32_t algo, uint32_t mode, const struct req *r, uint8_t *out,
		  size_t *out_len, uint8_t *tag, size_t *tag_len)
{
	/* no tag: no fourth parameter (tag_len may still point somewhere) */
	return ta_call(s, TA_CRYPTO_CMD_OP, algo, mode, r, out, out_len, tag, tag ? tag_len : NULL);
}

TEEC_Result ta_genkey(TEEC_Session *s, uint32_t type, uint32_t bits, const struct req *params,
		      uint8_t *out, size_t *out_len)
{
	return ta_call(s, TA_CRYPTO_CMD_GENKEY, type, bits, params, out, out_len, NULL, NULL);
}

/* ---- one vector ---- */

struct vec {
	char alg_name[64];
	uint32_t alg, mode;
	uint32_t key_type;
	uint8_t key[256], key2[64], iv[64], aad[256], in[1024], out[1024], tag[512];
	size_t key_len, key2_len, iv_len, aad_len, in_len, out_len, tag_len;
	uint32_t tag_bits, out_max;
	bool has_key, has_tag;
	struct req extra; /* ka.* and pa.* records */
};

static uint32_t default_key_type(uint32_t alg)
{
	uint32_t main_alg = alg & 0xFF;

	if (main_alg == 0x10) {
		return TEE_TYPE_AES;
	}
	if (main_alg == 0x11) {
		return TEE_TYPE_DES;
	}
	if (main_alg == 0x13) {
		return TEE_TYPE_DES3;
	}
	/* HMAC vectors have keys shorter than the HMAC types' minimum: generic secrets */
	return TEE_TYPE_GENERIC_SECRET;
}

static uint32_t secret_attr_of(uint32_t type)
{
	switch (type) {
	case TEE_TYPE_HKDF_IKM:
		return TEE_ATTR_HKDF_IKM;
	case TEE_TYPE_PBKDF2_PASSWORD:
		return TEE_ATTR_PBKDF2_PASSWORD;
	case TEE_TYPE_CONCAT_KDF_Z:
		return TEE_ATTR_CONCAT_KDF_Z;
	default:
		return TEE_ATTR_SECRET_VALUE;
	}
}

static void parse_field(struct vec *v, const char *name, const char *val)
{
	if (!strcmp(name, "key")) {
		v->key_len = hex_decode(val, v->key, sizeof(v->key));
		v->has_key = true;
	} else if (!strcmp(name, "key2")) {
		v->key2_len = hex_decode(val, v->key2, sizeof(v->key2));
	} else if (!strcmp(name, "keytype")) {
		v->key_type = lookup(types, sizeof(types) / sizeof(types[0]), val);
	} else if (!strcmp(name, "iv")) {
		v->iv_len = hex_decode(val, v->iv, sizeof(v->iv));
	} else if (!strcmp(name, "aad")) {
		v->aad_len = hex_decode(val, v->aad, sizeof(v->aad));
	} else if (!strcmp(name, "in")) {
		v->in_len = hex_decode(val, v->in, sizeof(v->in));
	} else if (!strcmp(name, "out")) {
		v->out_len = hex_decode(val, v->out, sizeof(v->out));
	} else if (!strcmp(name, "tag")) {
		v->tag_len = hex_decode(val, v->tag, sizeof(v->tag));
		v->has_tag = true;
	} else if (!strcmp(name, "taglen")) {
		v->tag_bits = (uint32_t)strtoul(val, NULL, 10);
	} else if (!strcmp(name, "outmax")) {
		v->out_max = (uint32_t)strtoul(val, NULL, 10);
	} else if (!strncmp(name, "ka.", 3) || !strncmp(name, "pa.", 3)) {
		uint32_t tag = name[0] == 'k' ? CT_KEY_ATTR : CT_PARAM;
		uint32_t id = attr_by_name(name + 3);

		if (!strncmp(val, "v:", 2)) {
			req_value(&v->extra, tag, id, (uint32_t)strtoul(val + 2, NULL, 10), 0);
		} else {
			uint8_t b[512];
			size_t n = hex_decode(val, b, sizeof(b));

			req_attr(&v->extra, tag, id, b, n);
		}
		if (tag == CT_KEY_ATTR) {
			v->has_key = true;
		}
	} else {
		TEST_FAIL("unknown vector field %s", name);
	}
}

static uint32_t mode_by_name(const char *m)
{
	static const struct named modes[] = {
		{ "enc", TEE_MODE_ENCRYPT },   { "dec", TEE_MODE_DECRYPT },
		{ "sign", TEE_MODE_SIGN },     { "verify", TEE_MODE_VERIFY },
		{ "mac", TEE_MODE_MAC },       { "digest", TEE_MODE_DIGEST },
		{ "derive", TEE_MODE_DERIVE },
	};

	return lookup(modes, sizeof(modes) / sizeof(modes[0]), m);
}

static void build(const struct vec *v, struct req *r, uint32_t chunk, bool reverse)
{
	r->len = 0;
	if (v->has_key) {
		req_u32(r, CT_KEY_TYPE, v->key_type);
	}
	if (v->key_len) {
		req_attr(r, CT_KEY_ATTR, secret_attr_of(v->key_type), v->key, v->key_len);
	}
	if (v->key2_len) {
		req_attr(r, CT_KEY2_ATTR, TEE_ATTR_SECRET_VALUE, v->key2, v->key2_len);
	}
	memcpy(r->buf + r->len, v->extra.buf, v->extra.len);
	r->len += v->extra.len;
	if (v->iv_len) {
		req_add(r, CT_IV, v->iv, v->iv_len);
	}
	if (v->aad_len) {
		req_add(r, CT_AAD, v->aad, v->aad_len);
	}
	if (reverse) {
		req_add(r, CT_DATA, v->out, v->out_len);
		if (v->has_tag) {
			req_add(r, CT_TAG, v->tag, v->tag_len);
		}
	} else {
		req_add(r, CT_DATA, v->in, v->in_len);
		if (v->has_tag && v->mode != TEE_MODE_ENCRYPT) {
			req_add(r, CT_TAG, v->tag, v->tag_len);
		}
	}
	if (v->tag_bits) {
		req_u32(r, CT_TAGLEN, v->tag_bits);
	}
	if (v->out_max) {
		req_u32(r, CT_OUTMAX, v->out_max);
	}
	req_u32(r, CT_CHUNK, chunk);
}

static bool is_xof(uint32_t alg)
{
	return alg == TEE_ALG_SHAKE128 || alg == TEE_ALG_SHAKE256;
}

static void res_expect_invalid(TEEC_Result res, const struct vec *v, const char *what)
{
	if (res != TEE_ERROR_SIGNATURE_INVALID) {
		TEST_STEP("%s verify, %s", v->alg_name, what);
		ASSERT_TEEC_RES(res, TEE_ERROR_SIGNATURE_INVALID);
	}
}

static void expect_bytes(const char *what, const struct vec *v, const uint8_t *got, size_t n,
			 const uint8_t *want, size_t wn, uint32_t chunk)
{
	if (n != wn || memcmp(got, want, n)) {
		TEST_STEP("%s %s (chunks of %u): %s", v->alg_name,
			  v->mode == TEE_MODE_ENCRYPT ? "enc" : "", chunk, what);
		ASSERT_EQ_U64(n, wn);
		ASSERT_EQ_MEM(got, want, n);
	}
}

/* A signature vector's forgeries: a bit of its first half (R of EdDSA) and of its last
 * byte (S) changed, and the message changed, each rejected by the verification. */
static void verify_forgeries(TEEC_Session *s, struct vec *v)
{
	static struct req r;
	uint8_t out[OUT_MAX];
	size_t n = sizeof(out);
	size_t at[2] = { 0, v->out_len - 1 };

	for (size_t i = 0; i < 2; i++) {
		build(v, &r, 0, false);
		v->out[at[i]] ^= 0x01;
		req_add(&r, CT_TAG, v->out, v->out_len);
		v->out[at[i]] ^= 0x01;
		res_expect_invalid(ta_op(s, v->alg, TEE_MODE_VERIFY, &r, out, &n, NULL, NULL), v,
				   i ? "last signature byte changed"
				     : "first signature byte changed");
	}
	if (v->in_len < sizeof(v->in)) {
		v->in[v->in_len++] = 0x00; /* one more byte: a changed message, even when empty */
		build(v, &r, 0, false);
		req_add(&r, CT_TAG, v->out, v->out_len);
		v->in_len--;
		res_expect_invalid(ta_op(s, v->alg, TEE_MODE_VERIFY, &r, out, &n, NULL, NULL), v,
				   "message changed");
	}
}

static void run_vector(TEEC_Session *s, struct vec *v)
{
	static const uint32_t chunks[] = { 0, 5, 16 };
	uint32_t cls = v->alg >> 28;
	bool symmetric = cls == 1 || cls == 3 || cls == 4 || cls == 5;
	size_t nchunks = symmetric ? 3 : 1;
	static struct req r;
	uint8_t out[OUT_MAX], tag[64];

	for (size_t c = 0; c < nchunks; c++) {
		/* SHAKE writes as many bytes as the buffer holds */
		size_t n = is_xof(v->alg) ? v->out_len : sizeof(out), tn = sizeof(tag);
		TEEC_Result res;

		build(v, &r, chunks[c], false);
		res = ta_op(s, v->alg, v->mode, &r, out, &n, cls == 4 ? tag : NULL, &tn);
		if (v->mode == TEE_MODE_VERIFY) {
			QEXPECT(res, TEEC_SUCCESS, v->alg_name);
			continue;
		}
		QEXPECT(res, TEEC_SUCCESS, v->alg_name);
		expect_bytes("output", v, out, n, v->out, v->out_len, chunks[c]);
		if (cls == 4 && v->mode == TEE_MODE_ENCRYPT) {
			expect_bytes("tag", v, tag, tn, v->tag, v->tag_len, chunks[c]);
		}
		/* the way back: decrypt, compare the MAC, verify the signature */
		if ((cls == 1 || cls == 4) && v->mode == TEE_MODE_ENCRYPT) {
			build(v, &r, chunks[c], true);
			n = sizeof(out);
			res = ta_op(s, v->alg, TEE_MODE_DECRYPT, &r, out, &n, cls == 4 ? tag : NULL,
				    &tn);
			QEXPECT(res, TEEC_SUCCESS, "decryption of a vector");
			expect_bytes("decryption", v, out, n, v->in, v->in_len, chunks[c]);
		}
		if (cls == 3) {
			build(v, &r, chunks[c], false);
			req_add(&r, CT_TAG, v->out, v->out_len);
			n = sizeof(out);
			res = ta_op(s, v->alg, v->mode, &r, out, &n, NULL, NULL);
			QEXPECT(res, TEEC_SUCCESS, "TEE_MACCompareFinal");
		}
		if (v->mode == TEE_MODE_SIGN) {
			build(v, &r, 0, false);
			req_add(&r, CT_TAG, v->out, v->out_len);
			n = sizeof(out);
			res = ta_op(s, v->alg, TEE_MODE_VERIFY, &r, out, &n, NULL, NULL);
			QEXPECT(res, TEEC_SUCCESS, "verification of a vector");
			verify_forgeries(s, v);
		}
	}
	/* OpenSSL 3 refuses XTS encryption with equal key halves (IEEE 1619 vector 1) */
	if (symmetric && !(v->alg == TEE_ALG_AES_XTS && v->key_len == v->key2_len &&
			   !memcmp(v->key, v->key2, v->key_len))) {
		/* the same vector straight through OpenSSL: the differential's own check */
		struct sym_case sc = { .alg = v->alg,
				       .encrypt = v->mode != TEE_MODE_DECRYPT,
				       .key = v->key,
				       .key_len = v->key_len,
				       .key2 = v->key2,
				       .key2_len = v->key2_len,
				       .iv = v->iv,
				       .iv_len = v->iv_len,
				       .aad = v->aad,
				       .aad_len = v->aad_len,
				       .in = v->in,
				       .in_len = v->in_len,
				       .xof_len = v->out_len,
				       .tag_bits = v->tag_bits };
		size_t n = sizeof(out);

		QCHECK(direct_sym(&sc, out, &n, tag) == 0, "%s: OpenSSL direct failed",
		       v->alg_name);
		expect_bytes("OpenSSL's output", v, out, n, v->out, v->out_len, 0);
	}
}

unsigned run_vector_file(TEEC_Session *s, const char *path)
{
	FILE *f = fopen(path, "r");
	static char line[8192];
	static struct vec v;
	unsigned count = 0;

	QCHECK(f != NULL, "cannot open %s", path);
	while (fgets(line, sizeof(line), f)) {
		char *save = NULL;
		char *tok = strtok_r(line, " \t\r\n", &save);

		if (!tok || tok[0] == '#') {
			continue;
		}
		memset(&v, 0, sizeof(v));
		snprintf(v.alg_name, sizeof(v.alg_name), "%s", tok);
		v.alg = alg_by_name(tok);
		v.key_type = default_key_type(v.alg);
		tok = strtok_r(NULL, " \t\r\n", &save);
		QCHECK(tok != NULL, "%s: vector without a mode", path);
		v.mode = mode_by_name(tok);
		while ((tok = strtok_r(NULL, " \t\r\n", &save))) {
			char *eq = strchr(tok, '=');

			QCHECK(eq != NULL, "%s: field without '=': %s", path, tok);
			*eq = '\0';
			parse_field(&v, tok, eq + 1);
		}
		run_vector(s, &v);
		count++;
	}
	fclose(f);
	return count;
}
