/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Persistent key objects: keys generated in the TA (RSA, ECDSA, Ed25519, AES, HMAC) are
 * stored with TEE_CreatePersistentObject from the transient object (with data beside
 * them), and after the session is closed a new session opens them and computes: the
 * results equal the transient key's byte for byte (ECDSA: each verifies the other's
 * signature), directly and through TEE_CopyObjectAttributes1. Attribute read-out follows
 * the usage rules (public attributes always, secret ones only if extractable; a
 * non-extractable key's secret panics the TA), and usage restrictions are kept.
 *
 * Then the attribute blob on disk: the test re-seals the object file with the storage
 * key (linking the core's at-rest layer, under its lock, as the running core would) with
 * the blob truncated at every length and each header byte flipped: opening is
 * TEE_ERROR_CORRUPT_OBJECT every time, the TA lives on, and a flipped key byte is merely
 * another key.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <tee_api_defines.h>
#include <tee_api_types.h>

#include "crypto_host.h"
#include "crypto_ta.h"
#include "storage_file.h"
#include "uuid.h"

struct pk_case {
	const char *name;
	uint32_t type, bits;
	uint32_t curve;     /* ECC: TEE_ATTR_ECC_CURVE */
	uint32_t alg, mode; /* the operation compared */
	uint32_t pub_attr;  /* a TEE_ATTR_FLAG_PUBLIC attribute (0: none) */
	uint32_t secret_attr;
	bool deterministic;
	uint32_t iv_len;
};

static const struct pk_case pk_cases[] = {
	{ "RSA-2048 PKCS#1 v1.5 SHA-256", TEE_TYPE_RSA_KEYPAIR, 2048, 0,
	  TEE_ALG_RSASSA_PKCS1_V1_5_SHA256, TEE_MODE_SIGN, TEE_ATTR_RSA_MODULUS,
	  TEE_ATTR_RSA_PRIVATE_EXPONENT, true, 0 },
	{ "ECDSA P-256", TEE_TYPE_ECDSA_KEYPAIR, 256, TEE_ECC_CURVE_NIST_P256, TEE_ALG_ECDSA_SHA256,
	  TEE_MODE_SIGN, TEE_ATTR_ECC_PUBLIC_VALUE_X, TEE_ATTR_ECC_PRIVATE_VALUE, false, 0 },
	{ "Ed25519", TEE_TYPE_ED25519_KEYPAIR, 256, 0, TEE_ALG_ED25519, TEE_MODE_SIGN,
	  TEE_ATTR_ED25519_PUBLIC_VALUE, TEE_ATTR_ED25519_PRIVATE_VALUE, true, 0 },
	{ "AES-256 CBC", TEE_TYPE_AES, 256, 0, TEE_ALG_AES_CBC_NOPAD, TEE_MODE_ENCRYPT, 0,
	  TEE_ATTR_SECRET_VALUE, true, 16 },
	{ "AES-128 CMAC", TEE_TYPE_AES, 128, 0, TEE_ALG_AES_CMAC, TEE_MODE_MAC, 0,
	  TEE_ATTR_SECRET_VALUE, true, 0 },
	{ "HMAC-SHA256", TEE_TYPE_HMAC_SHA256, 256, 0, TEE_ALG_HMAC_SHA256, TEE_MODE_MAC, 0,
	  TEE_ATTR_SECRET_VALUE, true, 0 },
};

static const char g_data[] = "data beside the key";

/* The operation's input: a digest for signatures, two blocks otherwise. */
static void op_input(struct req *r, const struct pk_case *c)
{
	static const uint8_t iv[16] = { 1, 2, 3 };
	uint8_t in[32];

	for (size_t i = 0; i < sizeof(in); i++) {
		in[i] = (uint8_t)(i * 7 + 1);
	}
	if (c->iv_len) {
		req_add(r, CT_IV, iv, c->iv_len);
	}
	req_add(r, CT_DATA, in, c->alg == TEE_ALG_ED25519 ? 19 : sizeof(in));
}

static void key_req(struct req *r, const struct pk_case *c, const uint8_t *key, size_t klen)
{
	r->len = 0;
	req_u32(r, CT_KEY_TYPE, c->type);
	memcpy(r->buf + r->len, key, klen);
	r->len += klen;
}

static void id_req(struct req *r, const struct pk_case *c, const char *id, uint32_t copy)
{
	r->len = 0;
	req_u32(r, CT_KEY_TYPE, c->type);
	req_add(r, CT_KEY_ID, id, strlen(id));
	req_add(r, CT_OBJ_DATA, g_data, sizeof(g_data));
	if (copy) {
		req_u32(r, CT_COPY, 1);
	}
}

/* A signature made with one key verifies with the other (ECDSA is randomised). */
static void cross_verify(TEEC_Session *s, const struct pk_case *c, struct req *signer_req,
			 struct req *verifier_req)
{
	uint8_t sig[600];
	size_t n = sizeof(sig), none = 0;
	size_t base = verifier_req->len;

	op_input(signer_req, c);
	QEXPECT(ta_op(s, c->alg, TEE_MODE_SIGN, signer_req, sig, &n, NULL, NULL), TEEC_SUCCESS,
		"sign");
	op_input(verifier_req, c);
	req_add(verifier_req, CT_TAG, sig, n);
	QEXPECT(ta_op(s, c->alg, TEE_MODE_VERIFY, verifier_req, NULL, &none, NULL, NULL),
		TEEC_SUCCESS, "verify the other key's signature");
	verifier_req->len = base;
}

static void one_case(TEEC_Context *ctx, const char *uuid, const struct pk_case *c)
{
	static struct req r, p, params;
	static uint8_t key[4096], out_t[1024], out_p[1024], attr[1024];
	size_t klen = sizeof(key), nt = sizeof(out_t), np = sizeof(out_p), na = 0, want_n = 0;
	const uint8_t *want = NULL;
	char id[64], id_locked[64];
	TEEC_Session s;

	snprintf(id, sizeof(id), "pk %s", c->name);
	snprintf(id_locked, sizeof(id_locked), "pk locked %s", c->name);
	TEST_STEP("%s: generate, compute with the transient key, store", c->name);
	tt_open_session(ctx, &s, uuid);
	params.len = 0;
	if (c->curve) {
		req_value(&params, CT_PARAM, TEE_ATTR_ECC_CURVE, c->curve, 0);
	}
	QEXPECT(ta_genkey(&s, c->type, c->bits, &params, key, &klen), TEEC_SUCCESS, "genkey");
	key_req(&r, c, key, klen);
	if (c->deterministic) {
		op_input(&r, c);
		QEXPECT(ta_op(&s, c->alg, c->mode, &r, out_t, &nt, NULL, NULL), TEEC_SUCCESS,
			"transient operation");
		key_req(&r, c, key, klen);
	}
	req_add(&r, CT_KEY_ID, id, strlen(id));
	req_add(&r, CT_OBJ_DATA, g_data, sizeof(g_data));
	QEXPECT(ta_call(&s, TA_CRYPTO_CMD_STORE, 0, 0, &r, NULL, NULL, NULL, NULL), TEEC_SUCCESS,
		"TEE_CreatePersistentObject from the transient key");
	/* the same key, not extractable and for verification only */
	key_req(&r, c, key, klen);
	req_add(&r, CT_KEY_ID, id_locked, strlen(id_locked));
	req_add(&r, CT_OBJ_DATA, g_data, sizeof(g_data));
	req_u32(&r, CT_USAGE, TEE_USAGE_VERIFY | TEE_USAGE_DECRYPT);
	QEXPECT(ta_call(&s, TA_CRYPTO_CMD_STORE, 0, 0, &r, NULL, NULL, NULL, NULL), TEEC_SUCCESS,
		"TEE_CreatePersistentObject from a restricted key");
	TEEC_CloseSession(&s);

	tt_open_session(ctx, &s, uuid);
	for (uint32_t copy = 0; copy < 2; copy++) {
		TEST_STEP("%s: a new session computes with the persistent key%s", c->name,
			  copy ? " copied by TEE_CopyObjectAttributes1" : "");
		id_req(&p, c, id, copy);
		if (c->deterministic) {
			op_input(&p, c);
			np = sizeof(out_p);
			QEXPECT(ta_op(&s, c->alg, c->mode, &p, out_p, &np, NULL, NULL),
				TEEC_SUCCESS, "persistent operation");
			QCHECK(np == nt && memcmp(out_p, out_t, nt) == 0,
			       "%s: persistent and transient keys give the same %zu bytes", c->name,
			       nt);
		} else {
			key_req(&r, c, key, klen);
			cross_verify(&s, c, &p, &r);
			id_req(&p, c, id, copy);
			key_req(&r, c, key, klen);
			cross_verify(&s, c, &r, &p);
		}
	}
	TEST_STEP("%s: attributes of the persistent key", c->name);
	for (int i = 0; i < 2; i++) {
		uint32_t aid = i ? c->secret_attr : c->pub_attr;

		if (!aid) {
			continue;
		}
		id_req(&p, c, id, 0);
		na = sizeof(attr);
		QEXPECT(ta_call(&s, TA_CRYPTO_CMD_GETATTR, aid, 0, &p, attr, &na, NULL, NULL),
			TEEC_SUCCESS, "TEE_GetObjectBufferAttribute");
		want = key_attr(key, klen, aid, &want_n);
		QCHECK(want && na == want_n && memcmp(attr, want, na) == 0,
		       "%s: attribute 0x%08x read back from the persistent key", c->name, aid);
	}
	if (c->pub_attr) {
		id_req(&p, c, id_locked, 0);
		na = sizeof(attr);
		QEXPECT(ta_call(&s, TA_CRYPTO_CMD_GETATTR, c->pub_attr, 0, &p, attr, &na, NULL,
				NULL),
			TEEC_SUCCESS, "a public attribute of a non-extractable persistent key");
	}
	TEEC_CloseSession(&s);

	TEST_STEP("%s: a non-extractable persistent key's secret attribute: panic", c->name);
	tt_open_session(ctx, &s, uuid);
	id_req(&p, c, id_locked, 0);
	na = sizeof(attr);
	QEXPECT(ta_call(&s, TA_CRYPTO_CMD_GETATTR, c->secret_attr, 0, &p, attr, &na, NULL, NULL),
		TEEC_ERROR_TARGET_DEAD, "secret attribute of a non-extractable key");
	TEEC_CloseSession(&s);
	TEST_STEP("%s: a persistent key restricted to VERIFY|DECRYPT used for %s: panic", c->name,
		  c->mode == TEE_MODE_MAC ? "MAC" : "SIGN/ENCRYPT");
	tt_open_session(ctx, &s, uuid);
	id_req(&p, c, id_locked, 0);
	req_u32(&p, CT_USAGE, TEE_USAGE_VERIFY | TEE_USAGE_DECRYPT); /* info check */
	op_input(&p, c);
	np = sizeof(out_p);
	QEXPECT(ta_op(&s, c->alg, c->mode, &p, out_p, &np, NULL, NULL), TEEC_ERROR_TARGET_DEAD,
		"operation the stored usage does not allow");
	TEEC_CloseSession(&s);
}

/* ---- the attribute blob on disk ---- */

struct raw_obj {
	uint32_t type;
	size_t meta_len;
	uint8_t *plain;
	size_t len;
};

static void raw_io(const char *uuid, const char *id, struct raw_obj *o, bool store)
{
	static struct sf_store st = { .state_fd = -1, .root_fd = -1, .rpmb = { .dirfd = -1 } };
	struct sf_ta ta = { .dirfd = -1 };
	struct sf_sig sig;
	const char *dir = getenv("TZM_STATE_DIR");
	uint8_t ub[16];

	QCHECK(dir && tzm__uuid_parse(uuid, ub) == 0, "TZM_STATE_DIR set, UUID %s", uuid);
	/* under the storage lock, as another core sharing the state directory would */
	QCHECK(storage__file_init(&st, dir) == 0, "storage of %s", dir);
	QCHECK(storage__ta_open(&st, &ta, ub, false) == 0, "TA storage of %s", uuid);
	if (store) {
		QCHECK(storage__obj_store(&ta, (const uint8_t *)id, strlen(id), o->type,
					  o->meta_len, o->plain, o->len, false, &sig) == 0,
		       "re-seal %s", id);
	} else {
		QCHECK(storage__obj_load(&ta, (const uint8_t *)id, strlen(id), &o->type,
					 &o->meta_len, &o->plain, &o->len, &sig) == 0,
		       "load %s", id);
	}
	storage__ta_close(&ta);
	storage__file_fini(&st);
}

/* The object as stored, with its blob (after the core's 16-byte description) changed:
 * cut to blob_len bytes, or one byte flipped (flip >= 0). */
static void store_mutated(const char *uuid, const char *id, const struct raw_obj *orig,
			  size_t blob_len, long flip)
{
	struct raw_obj m = *orig;
	size_t desc = 16;
	size_t data_len = orig->len - orig->meta_len;

	m.plain = malloc(orig->len + 1);
	QCHECK(m.plain != NULL, "memory");
	memcpy(m.plain, orig->plain, desc + blob_len);
	memcpy(m.plain + desc + blob_len, orig->plain + orig->meta_len, data_len);
	m.meta_len = desc + blob_len;
	m.len = m.meta_len + data_len;
	if (flip >= 0) {
		m.plain[desc + (size_t)flip] ^= 0x10;
	}
	raw_io(uuid, id, &m, true);
	free(m.plain);
}

static TEEC_Result mac_with(TEEC_Session *s, const char *id, uint8_t *mac, size_t *n)
{
	static const struct pk_case c = { .type = TEE_TYPE_HMAC_SHA256,
					  .alg = TEE_ALG_HMAC_SHA256 };
	static struct req p;

	id_req(&p, &c, id, 0);
	op_input(&p, &c);
	return ta_op(s, TEE_ALG_HMAC_SHA256, TEE_MODE_MAC, &p, mac, n, NULL, NULL);
}

static unsigned corrupt_blob(TEEC_Context *ctx, const char *uuid)
{
	const char *id = "pk HMAC-SHA256";
	struct raw_obj orig = { 0 };
	uint8_t mac[64], mac2[64];
	size_t n = sizeof(mac), blob_len = 0;
	unsigned cases = 0;
	TEEC_Session s;

	raw_io(uuid, id, &orig, false);
	QCHECK(orig.meta_len > 16 + 16, "the stored HMAC key has an attribute blob");
	blob_len = orig.meta_len - 16;
	tt_open_session(ctx, &s, uuid);
	QEXPECT(mac_with(&s, id, mac, &n), TEEC_SUCCESS, "MAC with the stored key");
	for (size_t cut = 0; cut < blob_len; cut++) {
		size_t m = sizeof(mac2);

		TEST_STEP("attribute blob cut to %zu of %zu bytes", cut, blob_len);
		store_mutated(uuid, id, &orig, cut, -1);
		QEXPECT(mac_with(&s, id, mac2, &m), TEE_ERROR_CORRUPT_OBJECT, "open the key");
		cases++;
	}
	/* header (magic, version, count, reserved) and the attribute's id and length */
	for (long at = 0; at < 16; at++) {
		size_t m = sizeof(mac2);

		TEST_STEP("attribute blob byte %ld flipped", at);
		store_mutated(uuid, id, &orig, blob_len, at);
		QEXPECT(mac_with(&s, id, mac2, &m), TEE_ERROR_CORRUPT_OBJECT, "open the key");
		cases++;
	}
	TEST_STEP("a byte of the key itself flipped: another key, still a key");
	store_mutated(uuid, id, &orig, blob_len, 16);
	n = sizeof(mac2);
	QEXPECT(mac_with(&s, id, mac2, &n), TEEC_SUCCESS, "MAC with the changed key");
	QCHECK(memcmp(mac, mac2, n) != 0, "a changed key gives another MAC");
	TEST_STEP("the stored key size disagrees with the attributes");
	orig.plain[4] ^= 1; /* the core's description: object size 256 -> 257 */
	raw_io(uuid, id, &orig, true);
	n = sizeof(mac2);
	QEXPECT(mac_with(&s, id, mac2, &n), TEE_ERROR_CORRUPT_OBJECT, "open the key");
	orig.plain[4] ^= 1;
	TEST_STEP("the original object file again: the TA lived through all of it");
	raw_io(uuid, id, &orig, true);
	n = sizeof(mac2);
	QEXPECT(mac_with(&s, id, mac2, &n), TEEC_SUCCESS, "MAC with the restored key");
	QCHECK(memcmp(mac, mac2, n) == 0, "the restored key gives the first MAC");
	TEEC_CloseSession(&s);
	free(orig.plain);
	return cases + 2;
}

unsigned persistent_keys(TEEC_Context *ctx, const char *uuid, bool quick)
{
	unsigned n = 0;

	for (size_t i = 0; i < sizeof(pk_cases) / sizeof(pk_cases[0]); i++) {
		if (quick && pk_cases[i].type == TEE_TYPE_RSA_KEYPAIR) {
			continue;
		}
		one_case(ctx, uuid, &pk_cases[i]);
		n++;
	}
	if (!quick) {
		printf("  ok   %u corrupt attribute blobs: TEE_ERROR_CORRUPT_OBJECT\n",
		       corrupt_blob(ctx, uuid));
	}
	return n;
}
