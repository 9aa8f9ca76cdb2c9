/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * GP transient objects (Internal Core API 1.3.1, section 5.5-5.6): allocation, population
 * from attributes, key generation, attribute read-out and usage restriction. Each object
 * type has one row in types[]: its key size limits and which attributes it must and may
 * have; every check of the spec is made against that row.
 *
 * As in OP-TEE's libutee, programmer errors panic (bad handle, populating an initialized
 * object, an attribute the type does not have, a missing mandatory one) and inconsistent
 * values are returned as TEE_ERROR_BAD_PARAMETERS.
 */
#include <errno.h>
#include <openssl/crypto.h>
#include <stdlib.h>
#include <string.h>

#include "crypto.h"
#include "host.h"

#define TOBJ_MAGIC 0x544f424au /* "TOBJ" */
#define END 0u

/* Where the key size of a populated object comes from. */
enum size_from {
	SIZE_SECRET, /* the one secret attribute's length in bits */
	SIZE_PRIME,  /* bits of the modulus / prime (first required attribute) */
	SIZE_CURVE,  /* the ECC curve */
	SIZE_256,    /* Curve25519 keys */
	SIZE_NONE,   /* data objects */
};

struct type_info {
	uint32_t type;
	uint32_t min_bits, max_bits, step;
	enum size_from size_from;
	uint32_t req[6];
	uint32_t opt[6];
};

#define SECRET(t, lo, hi, st, attr)                                                                \
	{                                                                                          \
		.type = (t), .min_bits = (lo), .max_bits = (hi), .step = (st),                     \
		.size_from = SIZE_SECRET, .req = { (attr), END },                                  \
		.opt = { END }                                                                     \
	}

/* ECDSA and ECDH keys: the same size limits and attributes, one definition each. */
#define ECC_PUBLIC(t)                                                                              \
	{                                                                                          \
		.type = (t), .min_bits = 192, .max_bits = 521, .step = 1, .size_from = SIZE_CURVE, \
		.req = { TEE_ATTR_ECC_CURVE, TEE_ATTR_ECC_PUBLIC_VALUE_X,                          \
			 TEE_ATTR_ECC_PUBLIC_VALUE_Y, END },                                       \
		.opt = { END }                                                                     \
	}
#define ECC_KEYPAIR(t)                                                                             \
	{                                                                                          \
		.type = (t), .min_bits = 192, .max_bits = 521, .step = 1, .size_from = SIZE_CURVE, \
		.req = { TEE_ATTR_ECC_CURVE, TEE_ATTR_ECC_PUBLIC_VALUE_X,                          \
			 TEE_ATTR_ECC_PUBLIC_VALUE_Y, TEE_ATTR_ECC_PRIVATE_VALUE, END },           \
		.opt = { END }                                                                     \
	}

static const struct type_info types[] = {
	SECRET(TEE_TYPE_AES, 128, 256, 64, TEE_ATTR_SECRET_VALUE),
	/* DES sizes count the parity bits (64, 128, 192); 56/112/168 name the same keys */
	SECRET(TEE_TYPE_DES, 56, 64, 8, TEE_ATTR_SECRET_VALUE),
	SECRET(TEE_TYPE_DES3, 112, 192, 8, TEE_ATTR_SECRET_VALUE),
	SECRET(TEE_TYPE_HMAC_MD5, 64, 512, 8, TEE_ATTR_SECRET_VALUE),
	SECRET(TEE_TYPE_HMAC_SHA1, 80, 512, 8, TEE_ATTR_SECRET_VALUE),
	SECRET(TEE_TYPE_HMAC_SHA224, 112, 512, 8, TEE_ATTR_SECRET_VALUE),
	SECRET(TEE_TYPE_HMAC_SHA256, 192, 1024, 8, TEE_ATTR_SECRET_VALUE),
	SECRET(TEE_TYPE_HMAC_SHA384, 256, 1024, 8, TEE_ATTR_SECRET_VALUE),
	SECRET(TEE_TYPE_HMAC_SHA512, 256, 1024, 8, TEE_ATTR_SECRET_VALUE),
	SECRET(TEE_TYPE_HMAC_SHA3_224, 192, 1024, 8, TEE_ATTR_SECRET_VALUE),
	SECRET(TEE_TYPE_HMAC_SHA3_256, 256, 1024, 8, TEE_ATTR_SECRET_VALUE),
	SECRET(TEE_TYPE_HMAC_SHA3_384, 256, 1024, 8, TEE_ATTR_SECRET_VALUE),
	SECRET(TEE_TYPE_HMAC_SHA3_512, 256, 1024, 8, TEE_ATTR_SECRET_VALUE),
	SECRET(TEE_TYPE_GENERIC_SECRET, 8, 4096, 8, TEE_ATTR_SECRET_VALUE),
	SECRET(TEE_TYPE_HKDF, 8, 4096, 8, TEE_ATTR_SECRET_VALUE),
	SECRET(TEE_TYPE_HKDF_IKM, 8, 4096, 8, TEE_ATTR_HKDF_IKM),
	SECRET(TEE_TYPE_CONCAT_KDF_Z, 8, 4096, 8, TEE_ATTR_CONCAT_KDF_Z),
	SECRET(TEE_TYPE_PBKDF2_PASSWORD, 8, 4096, 8, TEE_ATTR_PBKDF2_PASSWORD),
	{ .type = TEE_TYPE_RSA_PUBLIC_KEY,
	  .min_bits = 256,
	  .max_bits = 4096,
	  .step = 1,
	  .size_from = SIZE_PRIME,
	  .req = { TEE_ATTR_RSA_MODULUS, TEE_ATTR_RSA_PUBLIC_EXPONENT, END },
	  .opt = { END } },
	{ .type = TEE_TYPE_RSA_KEYPAIR,
	  .min_bits = 256,
	  .max_bits = 4096,
	  .step = 1,
	  .size_from = SIZE_PRIME,
	  .req = { TEE_ATTR_RSA_MODULUS, TEE_ATTR_RSA_PUBLIC_EXPONENT,
		   TEE_ATTR_RSA_PRIVATE_EXPONENT, END },
	  .opt = { TEE_ATTR_RSA_PRIME1, TEE_ATTR_RSA_PRIME2, TEE_ATTR_RSA_EXPONENT1,
		   TEE_ATTR_RSA_EXPONENT2, TEE_ATTR_RSA_COEFFICIENT, END } },
	{ .type = TEE_TYPE_DSA_PUBLIC_KEY,
	  .min_bits = 512,
	  .max_bits = 3072,
	  .step = 64,
	  .size_from = SIZE_PRIME,
	  .req = { TEE_ATTR_DSA_PRIME, TEE_ATTR_DSA_SUBPRIME, TEE_ATTR_DSA_BASE,
		   TEE_ATTR_DSA_PUBLIC_VALUE, END },
	  .opt = { END } },
	{ .type = TEE_TYPE_DSA_KEYPAIR,
	  .min_bits = 512,
	  .max_bits = 3072,
	  .step = 64,
	  .size_from = SIZE_PRIME,
	  .req = { TEE_ATTR_DSA_PRIME, TEE_ATTR_DSA_SUBPRIME, TEE_ATTR_DSA_BASE,
		   TEE_ATTR_DSA_PUBLIC_VALUE, TEE_ATTR_DSA_PRIVATE_VALUE, END },
	  .opt = { END } },
	{ .type = TEE_TYPE_DH_KEYPAIR,
	  .min_bits = 256,
	  .max_bits = 4096,
	  .step = 1,
	  .size_from = SIZE_PRIME,
	  .req = { TEE_ATTR_DH_PRIME, TEE_ATTR_DH_BASE, TEE_ATTR_DH_PUBLIC_VALUE,
		   TEE_ATTR_DH_PRIVATE_VALUE, END },
	  .opt = { TEE_ATTR_DH_SUBPRIME, TEE_ATTR_DH_X_BITS, END } },
	ECC_PUBLIC(TEE_TYPE_ECDSA_PUBLIC_KEY),
	ECC_KEYPAIR(TEE_TYPE_ECDSA_KEYPAIR),
	ECC_PUBLIC(TEE_TYPE_ECDH_PUBLIC_KEY),
	ECC_KEYPAIR(TEE_TYPE_ECDH_KEYPAIR),
	{ .type = TEE_TYPE_ED25519_PUBLIC_KEY,
	  .min_bits = 256,
	  .max_bits = 256,
	  .step = 1,
	  .size_from = SIZE_256,
	  .req = { TEE_ATTR_ED25519_PUBLIC_VALUE, END },
	  .opt = { END } },
	{ .type = TEE_TYPE_ED25519_KEYPAIR,
	  .min_bits = 256,
	  .max_bits = 256,
	  .step = 1,
	  .size_from = SIZE_256,
	  .req = { TEE_ATTR_ED25519_PUBLIC_VALUE, TEE_ATTR_ED25519_PRIVATE_VALUE, END },
	  .opt = { END } },
	{ .type = TEE_TYPE_X25519_PUBLIC_KEY,
	  .min_bits = 256,
	  .max_bits = 256,
	  .step = 1,
	  .size_from = SIZE_256,
	  .req = { TEE_ATTR_X25519_PUBLIC_VALUE, END },
	  .opt = { END } },
	{ .type = TEE_TYPE_X25519_KEYPAIR,
	  .min_bits = 256,
	  .max_bits = 256,
	  .step = 1,
	  .size_from = SIZE_256,
	  .req = { TEE_ATTR_X25519_PUBLIC_VALUE, TEE_ATTR_X25519_PRIVATE_VALUE, END },
	  .opt = { END } },
	{ .type = TEE_TYPE_DATA,
	  .min_bits = 0,
	  .max_bits = 0,
	  .step = 1,
	  .size_from = SIZE_NONE,
	  .req = { END },
	  .opt = { END } },
};

static struct crypto_obj *g_tobjs;

static const struct type_info *type_info(uint32_t type)
{
	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		if (types[i].type == type) {
			return &types[i];
		}
	}
	return NULL;
}

bool crypto_type_known(uint32_t type)
{
	return type_info(type) != NULL;
}

uint32_t crypto_norm_bits(uint32_t type, uint32_t bits)
{
	if ((type == TEE_TYPE_DES || type == TEE_TYPE_DES3) && bits % 56 == 0) {
		return bits / 7 * 8; /* 56/112/168 without parity = 64/128/192 with */
	}
	return bits;
}

bool crypto_type_is_secret(uint32_t type)
{
	const struct type_info *t = type_info(type);

	return t && t->size_from == SIZE_SECRET && t->req[0] == TEE_ATTR_SECRET_VALUE;
}

uint32_t crypto_type_max_bits(uint32_t type)
{
	const struct type_info *t = type_info(type);

	return t ? t->max_bits : 0;
}

bool crypto_type_size_ok(uint32_t type, uint32_t bits)
{
	const struct type_info *t = type_info(type);

	if (!t) {
		return false;
	}
	if (t->size_from == SIZE_CURVE) {
		return bits == 192 || bits == 224 || bits == 256 || bits == 384 || bits == 521;
	}
	if (type == TEE_TYPE_DES) {
		return bits == 56 || bits == 64;
	}
	if (type == TEE_TYPE_DES3) {
		return bits == 112 || bits == 128 || bits == 168 || bits == 192;
	}
	if (type == TEE_TYPE_DSA_PUBLIC_KEY || type == TEE_TYPE_DSA_KEYPAIR) {
		return (bits >= 512 && bits <= 1024 && bits % 64 == 0) || bits == 2048 ||
		       bits == 3072;
	}
	return bits >= t->min_bits && bits <= t->max_bits && (bits - t->min_bits) % t->step == 0;
}

static bool in_list(const uint32_t *list, uint32_t id)
{
	for (; *list != END; list++) {
		if (*list == id) {
			return true;
		}
	}
	return false;
}

struct crypto_obj *crypto_obj_find(TEE_ObjectHandle object)
{
	for (struct crypto_obj *o = g_tobjs; o; o = o->next) {
		if ((void *)o == (void *)object && o->magic == TOBJ_MAGIC) {
			return o;
		}
	}
	return NULL;
}

static struct crypto_obj *get_tobj(TEE_ObjectHandle object)
{
	struct crypto_obj *o = crypto_obj_find(object);

	if (!o) {
		TEE_Panic(TEE_ERROR_BAD_PARAMETERS);
	}
	return o;
}

const struct crypto_attr *crypto_obj_attr(const struct crypto_obj *o, uint32_t id)
{
	for (size_t i = 0; i < o->nattrs; i++) {
		if (o->attrs[i].id == id) {
			return &o->attrs[i];
		}
	}
	return NULL;
}

void crypto_free_secret(void *p, size_t len)
{
	if (p) {
		OPENSSL_cleanse(p, len);
		free(p);
	}
}

static void clear_attrs(struct crypto_obj *o)
{
	for (size_t i = 0; i < o->nattrs; i++) {
		crypto_free_secret(o->attrs[i].buf, o->attrs[i].len);
	}
	memset(o->attrs, 0, sizeof(o->attrs));
	o->nattrs = 0;
	o->key_size = 0;
	o->initialized = false;
}

int crypto_obj_add_buf(struct crypto_obj *o, uint32_t id, const void *buf, size_t len)
{
	struct crypto_attr *a = NULL;

	if (o->nattrs >= CRYPTO_MAX_ATTRS) {
		return -ENOSPC;
	}
	a = &o->attrs[o->nattrs];
	*a = (struct crypto_attr){ .id = id, .len = len };
	a->buf = malloc(len ? len : 1);
	if (!a->buf) {
		return -ENOMEM;
	}
	if (len) {
		memcpy(a->buf, buf, len);
	}
	o->nattrs++;
	return 0;
}

int crypto_obj_add_value(struct crypto_obj *o, uint32_t id, uint32_t a, uint32_t b)
{
	if (o->nattrs >= CRYPTO_MAX_ATTRS) {
		return -ENOSPC;
	}
	o->attrs[o->nattrs++] = (struct crypto_attr){ .id = id, .a = a, .b = b };
	return 0;
}

struct crypto_obj *crypto_obj_clone(const struct crypto_obj *o)
{
	struct crypto_obj *c = calloc(1, sizeof(*c));

	if (!c) {
		return NULL;
	}
	*c = *o;
	c->magic = 0; /* not a handle */
	c->next = NULL;
	c->nattrs = 0;
	for (size_t i = 0; i < o->nattrs; i++) {
		const struct crypto_attr *a = &o->attrs[i];
		int rc = (a->id & TEE_ATTR_FLAG_VALUE)
				 ? crypto_obj_add_value(c, a->id, a->a, a->b)
				 : crypto_obj_add_buf(c, a->id, a->buf, a->len);

		if (rc) {
			crypto_obj_destroy(c);
			return NULL;
		}
	}
	return c;
}

void crypto_obj_destroy(struct crypto_obj *o)
{
	if (o) {
		clear_attrs(o);
		o->magic = 0;
		free(o);
	}
}

/* Bits of a big-endian unsigned number. */
static uint32_t be_bits(const uint8_t *p, size_t len)
{
	while (len && !*p) {
		p++;
		len--;
	}
	if (!len) {
		return 0;
	}
	return (uint32_t)(len - 1) * 8u + (32u - (uint32_t)__builtin_clz(*p));
}

/* The key size the attributes give, 0 if they are inconsistent. */
static uint32_t key_size_of(const struct type_info *t, const struct crypto_obj *o)
{
	const struct crypto_attr *a = NULL;
	uint32_t bits = 0;

	switch (t->size_from) {
	case SIZE_SECRET:
		a = crypto_obj_attr(o, t->req[0]);
		return a->len > UINT32_MAX / 8 ? 0 : (uint32_t)a->len * 8u;
	case SIZE_PRIME:
		a = crypto_obj_attr(o, t->req[0]);
		return be_bits(a->buf, a->len);
	case SIZE_CURVE:
		a = crypto_obj_attr(o, TEE_ATTR_ECC_CURVE);
		if (!crypto_curve_name(a->a, &bits)) {
			return 0;
		}
		return bits;
	case SIZE_256:
		for (size_t i = 0; i < o->nattrs; i++) {
			if (o->attrs[i].len != 32) {
				return 0;
			}
		}
		return 256;
	case SIZE_NONE:
		return 0;
	}
	return 0;
}

/* ---- hooks for objects.c: TEE_CloseObject and TEE_GetObjectInfo1 take either kind ---- */

static void free_tobj(struct crypto_obj *o)
{
	for (struct crypto_obj **pp = &g_tobjs; *pp; pp = &(*pp)->next) {
		if (*pp == o) {
			*pp = o->next;
			break;
		}
	}
	crypto_obj_destroy(o);
}

bool ta_host__transient_close(TEE_ObjectHandle object)
{
	struct crypto_obj *o = crypto_obj_find(object);

	if (!o) {
		return false;
	}
	free_tobj(o);
	return true;
}

bool ta_host__transient_info(TEE_ObjectHandle object, TEE_ObjectInfo *info)
{
	struct crypto_obj *o = crypto_obj_find(object);

	if (!o) {
		return false;
	}
	*info = (TEE_ObjectInfo){ .objectType = o->type,
				  .objectSize = o->key_size,
				  .maxObjectSize = o->max_size,
				  .objectUsage = o->usage,
				  .handleFlags = o->initialized ? TEE_HANDLE_FLAG_INITIALIZED : 0 };
	return true;
}

enum key_check {
	KEY_OK,
	KEY_MISSING_ATTR,
	KEY_INCONSISTENT
};

/* Whether o's attributes (all of type t's, each once) make a key of its type that fits
 * o->max_size; *bits = its size. Shared by population and persistent objects' decoding. */
static enum key_check check_key(const struct type_info *t, const struct crypto_obj *o,
				uint32_t *bits)
{
	for (const uint32_t *r = t->req; *r != END; r++) {
		if (!crypto_obj_attr(o, *r)) {
			host_log(1, "object type 0x%08x needs attribute 0x%08x", o->type, *r);
			return KEY_MISSING_ATTR;
		}
	}
	if (o->type == TEE_TYPE_RSA_KEYPAIR && o->nattrs != 3 && o->nattrs != 8) {
		return KEY_INCONSISTENT; /* the CRT attributes come all together or not at all */
	}
	*bits = key_size_of(t, o);
	if (o->type != TEE_TYPE_DATA && (!crypto_type_size_ok(o->type, *bits) ||
					 *bits > crypto_norm_bits(o->type, o->max_size))) {
		if (!(t->size_from == SIZE_PRIME && *bits >= t->min_bits && *bits <= o->max_size)) {
			return KEY_INCONSISTENT;
		}
	}
	if (t->size_from == SIZE_CURVE || t->size_from == SIZE_256) {
		/* the public point must be valid for the curve */
		EVP_PKEY *pk = crypto_pkey_from_obj(o);

		if (!pk) {
			return KEY_INCONSISTENT;
		}
		EVP_PKEY_free(pk);
	}
	return KEY_OK;
}

/* ---- persistent key objects: the attribute blob (opaque to the core) ----
 *
 * Little-endian; what TEE_CreatePersistentObject stores and TEE_OpenPersistentObject
 * decodes (the object's type, usage and sizes travel beside it, kept by the core):
 *
 *   +--------+---------+-------+----------+------------------------------------------+
 *   | "TZKA" | ver = 1 | count | 0 (u16)  | count x attribute                        |
 *   +--------+---------+-------+----------+------------------------------------------+
 *   0        4         5       6          8
 *   attribute: id (u32), then a value attribute (TEE_ATTR_FLAG_VALUE in id): a, b (u32
 *   each); a buffer attribute: length (u32) and its bytes.
 *
 * Decoding is the one place that reads a blob; whatever the bytes, it either gives an
 * object that passes every check TEE_PopulateTransientObject makes, or
 * TEE_ERROR_CORRUPT_OBJECT.
 */
#define BLOB_MAGIC "TZKA"
#define BLOB_VERSION 1u
#define BLOB_HDR_LEN 8u

static void put_le32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++) {
		p[i] = (uint8_t)(v >> (8 * i));
	}
}

static uint32_t get_le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

TEE_Result crypto_obj_serialize(const struct crypto_obj *o, uint8_t **blob, size_t *len)
{
	size_t n = BLOB_HDR_LEN;
	uint8_t *b = NULL;
	uint8_t *p = NULL;

	*blob = NULL;
	*len = 0;
	for (size_t i = 0; i < o->nattrs; i++) {
		n += (o->attrs[i].id & TEE_ATTR_FLAG_VALUE) ? 12 : 8 + o->attrs[i].len;
	}
	if (n > CRYPTO_MAX_BLOB) {
		return TEE_ERROR_STORAGE_NO_SPACE; /* cannot happen with the types' size limits */
	}
	b = malloc(n);
	if (!b) {
		return TEE_ERROR_OUT_OF_MEMORY;
	}
	memcpy(b, BLOB_MAGIC, 4);
	b[4] = BLOB_VERSION;
	b[5] = (uint8_t)o->nattrs;
	b[6] = b[7] = 0;
	p = b + BLOB_HDR_LEN;
	for (size_t i = 0; i < o->nattrs; i++) {
		const struct crypto_attr *a = &o->attrs[i];

		put_le32(p, a->id);
		if (a->id & TEE_ATTR_FLAG_VALUE) {
			put_le32(p + 4, a->a);
			put_le32(p + 8, a->b);
			p += 12;
		} else {
			put_le32(p + 4, (uint32_t)a->len);
			if (a->len) {
				memcpy(p + 8, a->buf, a->len);
			}
			p += 8 + a->len;
		}
	}
	*blob = b;
	*len = n;
	return TEE_SUCCESS;
}

/* Copies the blob's attributes into o (empty, of a known type): false if malformed. */
static bool decode_attrs(struct crypto_obj *o, const struct type_info *t, const uint8_t *blob,
			 size_t len)
{
	size_t off = BLOB_HDR_LEN;
	size_t count = 0;

	if (len < BLOB_HDR_LEN || memcmp(blob, BLOB_MAGIC, 4) != 0 || blob[4] != BLOB_VERSION ||
	    blob[6] != 0 || blob[7] != 0 || blob[5] > CRYPTO_MAX_ATTRS) {
		return false;
	}
	count = blob[5];
	for (size_t i = 0; i < count; i++) {
		uint32_t id = 0;
		uint32_t n = 0;
		int rc = 0;

		if (len - off < 8) {
			return false; /* every attribute takes at least 8 bytes */
		}
		id = get_le32(blob + off);
		if ((!in_list(t->req, id) && !in_list(t->opt, id)) || crypto_obj_attr(o, id)) {
			return false;
		}
		if (id & TEE_ATTR_FLAG_VALUE) {
			if (len - off < 12) {
				return false;
			}
			rc = crypto_obj_add_value(o, id, get_le32(blob + off + 4),
						  get_le32(blob + off + 8));
			off += 12;
		} else {
			n = get_le32(blob + off + 4);
			if (n > len - off - 8) {
				return false;
			}
			rc = crypto_obj_add_buf(o, id, blob + off + 8, n);
			off += 8 + (size_t)n;
		}
		if (rc) {
			return false;
		}
	}
	return off == len;
}

TEE_Result crypto_obj_deserialize(uint32_t type, uint32_t usage, uint32_t key_size,
				  uint32_t max_size, const uint8_t *blob, size_t len,
				  struct crypto_obj **out)
{
	const struct type_info *t = type_info(type);
	struct crypto_obj *o = NULL;
	uint32_t bits = 0;

	*out = NULL;
	if (!t || type == TEE_TYPE_DATA || len > CRYPTO_MAX_BLOB) {
		return TEE_ERROR_CORRUPT_OBJECT;
	}
	o = calloc(1, sizeof(*o));
	if (!o) {
		return TEE_ERROR_OUT_OF_MEMORY;
	}
	*o = (struct crypto_obj){ .type = type, .max_size = max_size, .usage = usage };
	if (!decode_attrs(o, t, blob, len) || check_key(t, o, &bits) != KEY_OK ||
	    bits != key_size) {
		host_log(1, "persistent key object of type 0x%08x: its attributes are corrupt",
			 type);
		crypto_obj_destroy(o);
		return TEE_ERROR_CORRUPT_OBJECT;
	}
	o->key_size = bits;
	o->initialized = true;
	*out = o;
	return TEE_SUCCESS;
}

struct crypto_obj *crypto_obj_key(TEE_ObjectHandle object, bool *is_object)
{
	struct crypto_obj *o = crypto_obj_find(object);
	struct crypto_obj *k = NULL;

	if (o) {
		*is_object = true;
		return o;
	}
	*is_object = ta_host__persistent_key(object, &k);
	return k;
}

/* ---- the API ---- */

TEE_Result TEE_AllocateTransientObject(TEE_ObjectType objectType, uint32_t maxObjectSize,
				       TEE_ObjectHandle *object)
{
	const struct type_info *t = type_info(objectType);
	struct crypto_obj *o = NULL;

	if (!object) {
		TEE_Panic(TEE_ERROR_BAD_PARAMETERS);
	}
	*object = TEE_HANDLE_NULL;
	if (!t) {
		return TEE_ERROR_NOT_SUPPORTED;
	}
	if (objectType != TEE_TYPE_DATA && !crypto_type_size_ok(objectType, maxObjectSize)) {
		/* RSA/DH keys of any size up to the maximum: the maximum itself may be round */
		if (t->size_from != SIZE_PRIME || maxObjectSize < t->min_bits ||
		    maxObjectSize > t->max_bits) {
			return TEE_ERROR_NOT_SUPPORTED;
		}
	}
	o = calloc(1, sizeof(*o));
	if (!o) {
		return TEE_ERROR_OUT_OF_MEMORY;
	}
	o->magic = TOBJ_MAGIC;
	o->type = objectType;
	o->max_size = maxObjectSize;
	o->usage = TEE_USAGE_DEFAULT;
	o->next = g_tobjs;
	g_tobjs = o;
	*object = (TEE_ObjectHandle)o;
	return TEE_SUCCESS;
}

void TEE_FreeTransientObject(TEE_ObjectHandle object)
{
	if (object == TEE_HANDLE_NULL) {
		return;
	}
	free_tobj(get_tobj(object));
}

void TEE_ResetTransientObject(TEE_ObjectHandle object)
{
	struct crypto_obj *o = NULL;

	if (object == TEE_HANDLE_NULL) {
		return;
	}
	o = get_tobj(object);
	clear_attrs(o);
	o->usage = TEE_USAGE_DEFAULT;
}

TEE_Result crypto_populate(TEE_ObjectHandle object, const TEE_Attribute *attrs, uint32_t count)
{
	struct crypto_obj *o = get_tobj(object);
	const struct type_info *t = type_info(o->type);
	uint32_t bits = 0;
	int rc = 0;

	if (o->initialized || (count && !attrs)) {
		TEE_Panic(TEE_ERROR_BAD_PARAMETERS);
	}
	/* copy, then validate the copy */
	for (uint32_t i = 0; i < count; i++) {
		const TEE_Attribute *a = &attrs[i];

		if (!in_list(t->req, a->attributeID) && !in_list(t->opt, a->attributeID)) {
			host_log(1,
				 "TEE_PopulateTransientObject: attribute 0x%08x is not one of "
				 "object type 0x%08x",
				 a->attributeID, o->type);
			TEE_Panic(TEE_ERROR_BAD_PARAMETERS);
		}
		if (crypto_obj_attr(o, a->attributeID)) {
			continue; /* the first occurrence counts */
		}
		if (a->attributeID & TEE_ATTR_FLAG_VALUE) {
			rc = crypto_obj_add_value(o, a->attributeID, a->content.value.a,
						  a->content.value.b);
		} else {
			if (!a->content.ref.buffer && a->content.ref.length) {
				TEE_Panic(TEE_ERROR_BAD_PARAMETERS);
			}
			/* a secret longer than any key of the type: OP-TEE panics (SECURITY);
			 * one within that but above maxObjectSize is BAD_PARAMETERS below */
			if (t->size_from == SIZE_SECRET &&
			    a->content.ref.length > (size_t)t->max_bits / 8) {
				host_log(1,
					 "TEE_PopulateTransientObject: a %zu-byte secret for type "
					 "0x%08x (at most %u bits)",
					 (size_t)a->content.ref.length, o->type, t->max_bits);
				clear_attrs(o);
				TEE_Panic(TEE_ERROR_SECURITY);
			}
			rc = crypto_obj_add_buf(o, a->attributeID, a->content.ref.buffer,
						a->content.ref.length);
		}
		if (rc) {
			clear_attrs(o);
			return TEE_ERROR_OUT_OF_MEMORY;
		}
	}
	switch (check_key(t, o, &bits)) {
	case KEY_OK:
		o->key_size = bits;
		o->initialized = true;
		return TEE_SUCCESS;
	case KEY_MISSING_ATTR:
		clear_attrs(o);
		TEE_Panic(TEE_ERROR_BAD_PARAMETERS);
	case KEY_INCONSISTENT:
		break;
	}
	clear_attrs(o);
	return TEE_ERROR_BAD_PARAMETERS;
}

TEE_Result TEE_PopulateTransientObject(TEE_ObjectHandle object, const TEE_Attribute *attrs,
				       uint32_t attrCount)
{
	return crypto_populate(object, attrs, attrCount);
}

void TEE_InitRefAttribute(TEE_Attribute *attr, uint32_t attributeID, const void *buffer,
			  size_t length)
{
	if (!attr || (attributeID & TEE_ATTR_FLAG_VALUE)) {
		TEE_Panic(TEE_ERROR_BAD_PARAMETERS);
	}
	attr->attributeID = attributeID;
	attr->content.ref.buffer = (void *)buffer;
	attr->content.ref.length = length;
}

void TEE_InitValueAttribute(TEE_Attribute *attr, uint32_t attributeID, uint32_t a, uint32_t b)
{
	if (!attr || !(attributeID & TEE_ATTR_FLAG_VALUE)) {
		TEE_Panic(TEE_ERROR_BAD_PARAMETERS);
	}
	attr->attributeID = attributeID;
	attr->content.value.a = a;
	attr->content.value.b = b;
}

/* Public key types whose attributes a key pair of another type contains. */
static bool copy_compatible(uint32_t dst, uint32_t src)
{
	return dst == src || (dst == TEE_TYPE_RSA_PUBLIC_KEY && src == TEE_TYPE_RSA_KEYPAIR) ||
	       (dst == TEE_TYPE_DSA_PUBLIC_KEY && src == TEE_TYPE_DSA_KEYPAIR) ||
	       (dst == TEE_TYPE_ECDSA_PUBLIC_KEY && src == TEE_TYPE_ECDSA_KEYPAIR) ||
	       (dst == TEE_TYPE_ECDH_PUBLIC_KEY && src == TEE_TYPE_ECDH_KEYPAIR) ||
	       (dst == TEE_TYPE_ED25519_PUBLIC_KEY && src == TEE_TYPE_ED25519_KEYPAIR) ||
	       (dst == TEE_TYPE_X25519_PUBLIC_KEY && src == TEE_TYPE_X25519_KEYPAIR);
}

TEE_Result TEE_CopyObjectAttributes1(TEE_ObjectHandle destObject, TEE_ObjectHandle srcObject)
{
	struct crypto_obj *dst = get_tobj(destObject);
	bool is_object = false;
	struct crypto_obj *src = crypto_obj_key(srcObject, &is_object);
	const struct type_info *t = type_info(dst->type);

	if (!src) {
		/* not an object, or a persistent data object: nothing to copy */
		TEE_Panic(TEE_ERROR_BAD_PARAMETERS);
	}
	if (dst->initialized || !src->initialized || !copy_compatible(dst->type, src->type) ||
	    crypto_norm_bits(src->type, src->key_size) >
		    crypto_norm_bits(dst->type, dst->max_size)) {
		TEE_Panic(TEE_ERROR_BAD_PARAMETERS);
	}
	for (size_t i = 0; i < src->nattrs; i++) {
		const struct crypto_attr *a = &src->attrs[i];
		int rc = 0;

		if (!in_list(t->req, a->id) && !in_list(t->opt, a->id)) {
			continue; /* private parts of a key pair copied into a public key */
		}
		rc = (a->id & TEE_ATTR_FLAG_VALUE) ? crypto_obj_add_value(dst, a->id, a->a, a->b)
						   : crypto_obj_add_buf(dst, a->id, a->buf, a->len);
		if (rc) {
			clear_attrs(dst);
			TEE_Panic(TEE_ERROR_OUT_OF_MEMORY);
		}
	}
	dst->key_size = src->key_size;
	dst->usage &= src->usage;
	dst->initialized = true;
	return TEE_SUCCESS;
}

void TEE_CopyObjectAttributes(TEE_ObjectHandle destObject, TEE_ObjectHandle srcObject)
{
	(void)TEE_CopyObjectAttributes1(destObject, srcObject);
}

TEE_Result crypto_generate(TEE_ObjectHandle object, uint32_t key_size, const TEE_Attribute *params,
			   uint32_t count)
{
	struct crypto_obj *o = get_tobj(object);
	const struct type_info *t = type_info(o->type);
	uint8_t *key = NULL;
	size_t len = 0;
	TEE_Result res = TEE_SUCCESS;

	if (o->initialized || (count && !params)) {
		TEE_Panic(TEE_ERROR_BAD_PARAMETERS);
	}
	if (o->type == TEE_TYPE_DATA ||
	    crypto_norm_bits(o->type, key_size) > crypto_norm_bits(o->type, o->max_size) ||
	    !crypto_type_size_ok(o->type, key_size)) {
		host_log(1, "TEE_GenerateKey: key size %u not supported for type 0x%08x (max %u)",
			 key_size, o->type, o->max_size);
		TEE_Panic(TEE_ERROR_NOT_SUPPORTED);
	}
	if (t->size_from != SIZE_SECRET) {
		res = crypto_pkey_generate(o, key_size, params, count);
		if (res != TEE_SUCCESS) {
			clear_attrs(o);
			return res;
		}
		o->key_size = key_size;
		o->initialized = true;
		return TEE_SUCCESS;
	}
	/* DES sizes without parity (56, 112, 168) name keys of 8, 16, 24 bytes */
	len = (o->type == TEE_TYPE_DES || o->type == TEE_TYPE_DES3) && key_size % 56 == 0
		      ? key_size / 7
		      : key_size / 8;
	key = malloc(len);
	if (!key) {
		return TEE_ERROR_OUT_OF_MEMORY;
	}
	TEE_GenerateRandom(key, len);
	if (crypto_obj_add_buf(o, t->req[0], key, len)) {
		res = TEE_ERROR_OUT_OF_MEMORY;
	} else {
		o->key_size = key_size;
		o->initialized = true;
	}
	crypto_free_secret(key, len);
	return res;
}

TEE_Result TEE_GenerateKey(TEE_ObjectHandle object, uint32_t keySize, const TEE_Attribute *params,
			   uint32_t paramCount)
{
	return crypto_generate(object, keySize, params, paramCount);
}

/* The attribute to read, after the spec's checks (which panic). */
static const struct crypto_attr *readable_attr(TEE_ObjectHandle object, uint32_t id,
					       bool want_value)
{
	bool is_object = false;
	struct crypto_obj *o = crypto_obj_key(object, &is_object);

	if (!is_object) {
		TEE_Panic(TEE_ERROR_BAD_PARAMETERS);
	}
	if (!o) {
		return NULL; /* a persistent data object has no attributes */
	}
	if (!o->initialized || !!(id & TEE_ATTR_FLAG_VALUE) != want_value ||
	    (!(id & TEE_ATTR_FLAG_PUBLIC) && !(o->usage & TEE_USAGE_EXTRACTABLE))) {
		TEE_Panic(TEE_ERROR_BAD_PARAMETERS);
	}
	return crypto_obj_attr(o, id);
}

TEE_Result TEE_GetObjectBufferAttribute(TEE_ObjectHandle object, uint32_t attributeID, void *buffer,
					size_t *size)
{
	const struct crypto_attr *a = NULL;

	if (!size) {
		TEE_Panic(TEE_ERROR_BAD_PARAMETERS);
	}
	a = readable_attr(object, attributeID, false);
	if (!a) {
		return TEE_ERROR_ITEM_NOT_FOUND;
	}
	if (!buffer && *size) {
		TEE_Panic(TEE_ERROR_BAD_PARAMETERS);
	}
	return crypto_put(a->buf, a->len, buffer, size);
}

TEE_Result TEE_GetObjectValueAttribute(TEE_ObjectHandle object, uint32_t attributeID, uint32_t *a,
				       uint32_t *b)
{
	const struct crypto_attr *at = readable_attr(object, attributeID, true);

	if (!at) {
		return TEE_ERROR_ITEM_NOT_FOUND;
	}
	if (a) {
		*a = at->a;
	}
	if (b) {
		*b = at->b;
	}
	return TEE_SUCCESS;
}

TEE_Result TEE_RestrictObjectUsage1(TEE_ObjectHandle object, uint32_t objectUsage)
{
	bool is_object = false;
	struct crypto_obj *o = crypto_obj_key(object, &is_object);

	if (!is_object) {
		TEE_Panic(TEE_ERROR_BAD_PARAMETERS);
	}
	if (!o) {
		host_log(1,
			 "TEE_RestrictObjectUsage1 on a persistent data object is not supported");
		TEE_Panic(TEE_ERROR_NOT_SUPPORTED);
	}
	/* A persistent key object's usage is narrowed for this handle (GP: "the object
	 * usage flags of an object handle"); what is stored keeps the creation's usage. */
	o->usage &= objectUsage;
	return TEE_SUCCESS;
}

void TEE_RestrictObjectUsage(TEE_ObjectHandle object, uint32_t objectUsage)
{
	(void)TEE_RestrictObjectUsage1(object, objectUsage);
}
