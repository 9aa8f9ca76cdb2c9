/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Internals of the GP cryptography in tzm-ta-host (crypto_*.c): transient objects (key
 * material as the spec's attributes) and operations, computed with OpenSSL 3 inside the
 * TA's own process. Handles given to the TA are pointers to records kept in lists here,
 * so a bogus handle is recognised without dereferencing it and panics the TA.
 *
 * Attribute buffers hold what the spec defines: big-endian unsigned integers for the
 * number attributes (RSA, DSA, DH, ECC), raw bytes for secrets and the 25519 keys.
 */
#ifndef TZM_TA_HOST_CRYPTO_H
#define TZM_TA_HOST_CRYPTO_H

#include <openssl/bn.h>
#include <openssl/evp.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <tee_internal_api.h>
#include <tee_internal_api_extensions.h>

#define CRYPTO_MAX_ATTRS 10

struct crypto_attr {
	uint32_t id;
	uint32_t a, b; /* value attributes */
	uint8_t *buf;  /* buffer attributes (malloc'd copy, wiped on free) */
	size_t len;
};

struct crypto_obj {
	uint32_t magic;
	uint32_t type;
	uint32_t max_size; /* bits */
	uint32_t key_size; /* bits, 0 until initialized */
	uint32_t usage;
	bool initialized;
	size_t nattrs;
	struct crypto_attr attrs[CRYPTO_MAX_ATTRS];
	struct crypto_obj *next;
};

/* An operation (TEE_OperationHandle). */
struct crypto_op {
	uint32_t magic;
	uint32_t algo, mode, cls;
	uint32_t max_key_size, key_size;
	uint32_t digest_len;   /* output size of digests and MACs */
	uint32_t handle_state; /* TEE_HANDLE_FLAG_* */
	bool active;           /* TEE_OPERATION_STATE_ACTIVE */
	bool ae_payload_started;
	uint32_t block;       /* block size of block ciphers and their MACs */
	uint32_t key_type[3]; /* acceptable key object types (0: none) */
	uint32_t required_usage;
	struct crypto_obj *key1, *key2;
	EVP_MD_CTX *md;
	EVP_CIPHER_CTX *cc;
	EVP_MAC_CTX *mac;
	EVP_PKEY *pkey;
	uint8_t last[16]; /* CBC-MAC: last cipher block */
	size_t buffered;  /* bytes of an incomplete block the cipher context holds */
	uint8_t *acc;     /* CTS, XTS, CCM: data kept until the final call */
	size_t acc_len, acc_cap;
	uint8_t *aad; /* CCM: AAD kept until the final call */
	size_t aad_len, aad_cap;
	size_t ae_tag_len, ae_payload_len, ae_aad_len;
	size_t ae_released; /* CCM: payload output TEE_AEUpdate has returned (whole blocks) */
	/* digests: TEE_OPERATION_STATE_EXTRACTING (TEE_DigestExtract). A fixed-size digest
	 * is computed once into extract_buf and handed out from extract_off; SHAKE (xof)
	 * keeps md absorbing and has handed out extract_off bytes. */
	bool xof;
	bool extracting;
	uint8_t extract_buf[EVP_MAX_MD_SIZE];
	size_t extract_off;
	struct crypto_op *next;
};

/* crypto_op.c: the operation behind a handle (panics if it is not one) */
struct crypto_op *crypto_op_get(TEE_OperationHandle op);

/* crypto_obj.c */
/* The transient object behind a handle, or NULL if it is not one. */
struct crypto_obj *crypto_obj_find(TEE_ObjectHandle object);
const struct crypto_attr *crypto_obj_attr(const struct crypto_obj *o, uint32_t id);
/* A fresh, unlisted copy of o's key material (operations keep their own key). */
struct crypto_obj *crypto_obj_clone(const struct crypto_obj *o);
void crypto_obj_destroy(struct crypto_obj *o);
/* Adds a buffer attribute (copied); 0 or -ENOMEM. */
int crypto_obj_add_buf(struct crypto_obj *o, uint32_t id, const void *buf, size_t len);
int crypto_obj_add_value(struct crypto_obj *o, uint32_t id, uint32_t a, uint32_t b);
/* Key size limits of an object type: false if the type is unknown. */
bool crypto_type_size_ok(uint32_t type, uint32_t bits);
/* The largest key of an object type, in bits (0: unknown type). */
uint32_t crypto_type_max_bits(uint32_t type);
bool crypto_type_known(uint32_t type);
/* Key sizes compared with their parity bits (DES 56 = 64, 3DES 112 = 128, 168 = 192). */
uint32_t crypto_norm_bits(uint32_t type, uint32_t bits);
/* Types whose key is one TEE_ATTR_SECRET_VALUE (AES, DES, HMAC, generic secret). */
bool crypto_type_is_secret(uint32_t type);
/* TEE_PopulateTransientObject's checks and copy, shared with the GP 1.1 twin. */
TEE_Result crypto_populate(TEE_ObjectHandle object, const TEE_Attribute *attrs, uint32_t count);
TEE_Result crypto_generate(TEE_ObjectHandle object, uint32_t key_size, const TEE_Attribute *params,
			   uint32_t count);

/* Persistent key objects: the attributes as the blob the core stores (crypto_obj.c has its
 * format), and back. Decoding makes every check population makes; a blob that fails any
 * is TEE_ERROR_CORRUPT_OBJECT. The object made is unlisted (not a transient handle). */
#define CRYPTO_MAX_BLOB (16u * 1024u) /* == TSM_MAX_ATTR_LEN (asserted in objects.c) */
TEE_Result crypto_obj_serialize(const struct crypto_obj *o, uint8_t **blob, size_t *len);
TEE_Result crypto_obj_deserialize(uint32_t type, uint32_t usage, uint32_t key_size,
				  uint32_t max_size, const uint8_t *blob, size_t len,
				  struct crypto_obj **out);
/* The key behind a transient or persistent object handle (NULL: a persistent data
 * object, or no object: then *is_object is false). */
struct crypto_obj *crypto_obj_key(TEE_ObjectHandle object, bool *is_object);

/* objects.c: whether object is a persistent object handle; *key = its key (NULL for a
 * data object). */
bool ta_host__persistent_key(TEE_ObjectHandle object, struct crypto_obj **key);

/* crypto_obj.c: the hooks objects.c calls for handles that are not persistent objects */
bool ta_host__transient_close(TEE_ObjectHandle object);
bool ta_host__transient_info(TEE_ObjectHandle object, TEE_ObjectInfo *info);

/* crypto_asym.c */
/* Class and key object types of an asymmetric / derivation algorithm; false if unknown. */
bool crypto_asym_alg(uint32_t algo, uint32_t *cls, uint32_t key_types[3]);
bool crypto_asym_size_ok(uint32_t algo, uint32_t max_key_size);
/* Builds op->pkey from op->key1 (a TEE_Result; keys are checked here). */
TEE_Result crypto_asym_set_key(struct crypto_op *op);
/* Builds an OpenSSL key from an initialized RSA/DSA/DH/EC/25519 object; NULL if invalid. */
EVP_PKEY *crypto_pkey_from_obj(const struct crypto_obj *o);
/* Generates an asymmetric key into o (attributes appended); a TEE_Result. */
TEE_Result crypto_pkey_generate(struct crypto_obj *o, uint32_t key_size,
				const TEE_Attribute *params, uint32_t count);
/* ECC curve of a TEE_ECC_CURVE_* value: OpenSSL group name and size in bits. */
const char *crypto_curve_name(uint32_t curve, uint32_t *bits);

/* crypto_steal.c: AES-CTS and AES-XTS over AES-ECB (the operation's cc, last and acc).
 * start: 0, or -ENOMEM (OpenSSL refused the keys or memory). update_len: the output an
 * update of n more bytes gives. update: the caller has appended the n bytes to op->acc
 * and gives room for update_len's answer. final: the caller has appended the last bytes
 * (at least 16 in all) and gives room for all of op->acc. */
int crypto_steal_start(struct crypto_op *op, bool xts, const uint8_t *key1, size_t key1_len,
		       const uint8_t *key2, size_t key2_len, const uint8_t iv[16]);
size_t crypto_steal_update_len(const struct crypto_op *op, size_t n);
void crypto_steal_update(struct crypto_op *op, bool xts, size_t out_len, uint8_t *out);
void crypto_steal_final(struct crypto_op *op, bool xts, uint8_t *out);

/* crypto_keygen.c: RSA keys below EVP's 512 bits (e: NULL for 65537), and DH/DSA key
 * values from the domain parameters already in o (xbits: TEE_ATTR_DH_X_BITS or 0). */
TEE_Result crypto_keygen_rsa(struct crypto_obj *o, uint32_t bits, const BIGNUM *e);
TEE_Result crypto_keygen_ffc(struct crypto_obj *o, uint32_t key_size, bool dh, uint32_t xbits);

/* crypto_op.c */
void host_crypto_init(void);
const EVP_MD *crypto_md_of_hash(uint32_t main_hash);

/* Copies a result into a caller buffer, as the spec wants for every output: on a short
 * buffer, nothing is written and *len gets the needed size. */
TEE_Result crypto_put(const void *src, size_t n, void *dst, size_t *len);

/* Wipes and frees a malloc'd buffer. */
void crypto_free_secret(void *p, size_t len);

#endif
