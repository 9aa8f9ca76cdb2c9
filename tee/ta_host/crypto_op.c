/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * GP operations (Internal Core API 1.3.1, sections 6.2-6.5): allocation, keys, state and
 * copies, and the symmetric families: digest, cipher, MAC, authenticated encryption. Each
 * supported algorithm is one row of algs[] (class, how OpenSSL computes it, which key object
 * types it takes); the asymmetric and derivation families are in crypto_asym.c.
 *
 * Misuse follows the spec: a call of the wrong class, in the wrong state or with a missing
 * key panics the TA; a short output buffer returns TEE_ERROR_SHORT_BUFFER with the size
 * needed and leaves the operation as it was. CCM data, which OpenSSL only takes whole, is
 * kept until the final call; CTS and XTS (crypto_steal.c) return output as it comes.
 *
 * OpenSSL is initialised before the sandbox is installed (host_crypto_init, from main()):
 * no configuration file, every algorithm fetched once, the DRBG seeded; after that nothing
 * in it opens files or makes calls the sandbox does not allow (tests/crypto proves it).
 */
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>
#include <openssl/rand.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto.h"
#include "crypto_eddsa.h"
#include "host.h"

#define OP_MAGIC 0x544f5050u /* "TOPP" */

enum kind {
	K_DIGEST,
	K_ECB,
	K_CBC,
	K_CTR,
	K_CTS,
	K_XTS,
	K_HMAC,
	K_CMAC,
	K_CBCMAC_NOPAD,
	K_CBCMAC_PKCS5,
	K_GCM,
	K_CCM,
	K_ASYM,
};

struct alg_desc {
	uint32_t algo;
	uint32_t cls;
	enum kind kind;
	const char *name; /* digest name, or cipher family "AES" / "DES3" */
	uint32_t key_types[3];
};

#define AES_ALG(a, c, k)                                                                           \
	{                                                                                          \
		a, c, k, "AES",                                                                    \
		{                                                                                  \
			TEE_TYPE_AES                                                               \
		}                                                                                  \
	}
#define DES_ALG(a, c, k)                                                                           \
	{                                                                                          \
		a, c, k, "DES3",                                                                   \
		{                                                                                  \
			TEE_TYPE_DES                                                               \
		}                                                                                  \
	}
#define DES3_ALG(a, c, k)                                                                          \
	{                                                                                          \
		a, c, k, "DES3",                                                                   \
		{                                                                                  \
			TEE_TYPE_DES3                                                              \
		}                                                                                  \
	}
#define DIGEST(a, n)                                                                               \
	{                                                                                          \
		a, TEE_OPERATION_DIGEST, K_DIGEST, n,                                              \
		{                                                                                  \
			0                                                                          \
		}                                                                                  \
	}
#define HMAC(a, n, t)                                                                              \
	{                                                                                          \
		a, TEE_OPERATION_MAC, K_HMAC, n,                                                   \
		{                                                                                  \
			t, TEE_TYPE_GENERIC_SECRET                                                 \
		}                                                                                  \
	}
#define ASYM(a, c, t1, t2)                                                                         \
	{                                                                                          \
		a, c, K_ASYM, NULL,                                                                \
		{                                                                                  \
			t1, t2                                                                     \
		}                                                                                  \
	}

static const struct alg_desc algs[] = {
	DIGEST(TEE_ALG_MD5, "MD5"),
	DIGEST(TEE_ALG_SHA1, "SHA1"),
	DIGEST(TEE_ALG_SHA224, "SHA224"),
	DIGEST(TEE_ALG_SHA256, "SHA256"),
	DIGEST(TEE_ALG_SHA384, "SHA384"),
	DIGEST(TEE_ALG_SHA512, "SHA512"),
	DIGEST(TEE_ALG_SHA3_224, "SHA3-224"),
	DIGEST(TEE_ALG_SHA3_256, "SHA3-256"),
	DIGEST(TEE_ALG_SHA3_384, "SHA3-384"),
	DIGEST(TEE_ALG_SHA3_512, "SHA3-512"),
	DIGEST(TEE_ALG_SHAKE128, "SHAKE128"),
	DIGEST(TEE_ALG_SHAKE256, "SHAKE256"),
	AES_ALG(TEE_ALG_AES_ECB_NOPAD, TEE_OPERATION_CIPHER, K_ECB),
	AES_ALG(TEE_ALG_AES_CBC_NOPAD, TEE_OPERATION_CIPHER, K_CBC),
	AES_ALG(TEE_ALG_AES_CTR, TEE_OPERATION_CIPHER, K_CTR),
	AES_ALG(TEE_ALG_AES_CTS, TEE_OPERATION_CIPHER, K_CTS),
	AES_ALG(TEE_ALG_AES_XTS, TEE_OPERATION_CIPHER, K_XTS),
	DES_ALG(TEE_ALG_DES_ECB_NOPAD, TEE_OPERATION_CIPHER, K_ECB),
	DES_ALG(TEE_ALG_DES_CBC_NOPAD, TEE_OPERATION_CIPHER, K_CBC),
	DES3_ALG(TEE_ALG_DES3_ECB_NOPAD, TEE_OPERATION_CIPHER, K_ECB),
	DES3_ALG(TEE_ALG_DES3_CBC_NOPAD, TEE_OPERATION_CIPHER, K_CBC),
	AES_ALG(TEE_ALG_AES_CBC_MAC_NOPAD, TEE_OPERATION_MAC, K_CBCMAC_NOPAD),
	AES_ALG(TEE_ALG_AES_CBC_MAC_PKCS5, TEE_OPERATION_MAC, K_CBCMAC_PKCS5),
	AES_ALG(TEE_ALG_AES_CMAC, TEE_OPERATION_MAC, K_CMAC),
	DES_ALG(TEE_ALG_DES_CBC_MAC_NOPAD, TEE_OPERATION_MAC, K_CBCMAC_NOPAD),
	DES_ALG(TEE_ALG_DES_CBC_MAC_PKCS5, TEE_OPERATION_MAC, K_CBCMAC_PKCS5),
	DES3_ALG(TEE_ALG_DES3_CBC_MAC_NOPAD, TEE_OPERATION_MAC, K_CBCMAC_NOPAD),
	DES3_ALG(TEE_ALG_DES3_CBC_MAC_PKCS5, TEE_OPERATION_MAC, K_CBCMAC_PKCS5),
	DES3_ALG(TEE_ALG_DES3_CMAC, TEE_OPERATION_MAC, K_CMAC),
	HMAC(TEE_ALG_HMAC_MD5, "MD5", TEE_TYPE_HMAC_MD5),
	HMAC(TEE_ALG_HMAC_SHA1, "SHA1", TEE_TYPE_HMAC_SHA1),
	HMAC(TEE_ALG_HMAC_SHA224, "SHA224", TEE_TYPE_HMAC_SHA224),
	HMAC(TEE_ALG_HMAC_SHA256, "SHA256", TEE_TYPE_HMAC_SHA256),
	HMAC(TEE_ALG_HMAC_SHA384, "SHA384", TEE_TYPE_HMAC_SHA384),
	HMAC(TEE_ALG_HMAC_SHA512, "SHA512", TEE_TYPE_HMAC_SHA512),
	HMAC(TEE_ALG_HMAC_SHA3_224, "SHA3-224", TEE_TYPE_HMAC_SHA3_224),
	HMAC(TEE_ALG_HMAC_SHA3_256, "SHA3-256", TEE_TYPE_HMAC_SHA3_256),
	HMAC(TEE_ALG_HMAC_SHA3_384, "SHA3-384", TEE_TYPE_HMAC_SHA3_384),
	HMAC(TEE_ALG_HMAC_SHA3_512, "SHA3-512", TEE_TYPE_HMAC_SHA3_512),
	AES_ALG(TEE_ALG_AES_GCM, TEE_OPERATION_AE, K_GCM),
	AES_ALG(TEE_ALG_AES_CCM, TEE_OPERATION_AE, K_CCM),
};

static struct crypto_op *g_ops;

static const struct alg_desc *alg_desc(uint32_t algo)
{
	for (size_t i = 0; i < sizeof(algs) / sizeof(algs[0]); i++) {
		if (algs[i].algo == algo) {
			return &algs[i];
		}
	}
	return NULL;
}

const EVP_MD *crypto_md_of_hash(uint32_t main_hash)
{
	static const char *const names[] = {
		[1] = "MD5",       [2] = "SHA1",      [3] = "SHA224",   [4] = "SHA256",
		[5] = "SHA384",    [6] = "SHA512",    [8] = "SHA3-224", [9] = "SHA3-256",
		[10] = "SHA3-384", [11] = "SHA3-512",
	};

	if (main_hash >= sizeof(names) / sizeof(names[0]) || !names[main_hash]) {
		return NULL;
	}
	return EVP_get_digestbyname(names[main_hash]);
}

void host_crypto_init(void)
{
	uint8_t seed = 0;

	/* No openssl.cnf, no atexit handler: nothing to read once the sandbox is on. */
	OPENSSL_init_crypto(OPENSSL_INIT_NO_LOAD_CONFIG | OPENSSL_INIT_NO_ATEXIT |
				    OPENSSL_INIT_ADD_ALL_CIPHERS | OPENSSL_INIT_ADD_ALL_DIGESTS,
			    NULL);
	/* The default provider's algorithms are built in; fetching each once now does the
	 * provider's lazy set-up here rather than under the filter. */
	for (size_t i = 0; i < sizeof(algs) / sizeof(algs[0]); i++) {
		if (algs[i].kind == K_DIGEST || algs[i].kind == K_HMAC) {
			EVP_MD_free(EVP_MD_fetch(NULL, algs[i].name, NULL));
		}
	}
	EVP_MAC_free(EVP_MAC_fetch(NULL, "HMAC", NULL));
	EVP_MAC_free(EVP_MAC_fetch(NULL, "CMAC", NULL));
	if (RAND_bytes(&seed, 1) != 1) {
		host_log(1, "OpenSSL DRBG could not be seeded");
	}
	/* libsodium (Ed25519ctx/ph) picks its implementations once, here */
	if (crypto_eddsa_init() != 0) {
		host_log(1, "libsodium could not be initialised");
	}
}

TEE_Result crypto_put(const void *src, size_t n, void *dst, size_t *len)
{
	if (*len < n) {
		*len = n;
		return TEE_ERROR_SHORT_BUFFER;
	}
	if (n) {
		memcpy(dst, src, n);
	}
	*len = n;
	return TEE_SUCCESS;
}

struct crypto_op *crypto_op_get(TEE_OperationHandle op)
{
	for (struct crypto_op *o = g_ops; o; o = o->next) {
		if ((void *)o == (void *)op && o->magic == OP_MAGIC) {
			return o;
		}
	}
	TEE_Panic(TEE_ERROR_BAD_PARAMETERS);
}

/* The operation, if it is of class cls (panics otherwise). */
static struct crypto_op *op_of(TEE_OperationHandle handle, uint32_t cls)
{
	struct crypto_op *op = crypto_op_get(handle);

	if (op->cls != cls) {
		TEE_Panic(TEE_ERROR_BAD_PARAMETERS);
	}
	return op;
}

static bool mode_ok(uint32_t cls, uint32_t mode)
{
	switch (cls) {
	case TEE_OPERATION_CIPHER:
	case TEE_OPERATION_AE:
	case TEE_OPERATION_ASYMMETRIC_CIPHER:
		return mode == TEE_MODE_ENCRYPT || mode == TEE_MODE_DECRYPT;
	case TEE_OPERATION_MAC:
		return mode == TEE_MODE_MAC;
	case TEE_OPERATION_DIGEST:
		return mode == TEE_MODE_DIGEST;
	case TEE_OPERATION_ASYMMETRIC_SIGNATURE:
		return mode == TEE_MODE_SIGN || mode == TEE_MODE_VERIFY;
	case TEE_OPERATION_KEY_DERIVATION:
		return mode == TEE_MODE_DERIVE;
	default:
		return false;
	}
}

static uint32_t usage_for(uint32_t mode)
{
	switch (mode) {
	case TEE_MODE_ENCRYPT:
		return TEE_USAGE_ENCRYPT;
	case TEE_MODE_DECRYPT:
		return TEE_USAGE_DECRYPT;
	case TEE_MODE_SIGN:
		return TEE_USAGE_SIGN;
	case TEE_MODE_VERIFY:
		return TEE_USAGE_VERIFY;
	case TEE_MODE_MAC:
		return TEE_USAGE_MAC;
	case TEE_MODE_DERIVE:
		return TEE_USAGE_DERIVE;
	default:
		return 0;
	}
}

static void free_acc(struct crypto_op *op)
{
	crypto_free_secret(op->acc, op->acc_cap);
	crypto_free_secret(op->aad, op->aad_cap);
	op->acc = op->aad = NULL;
	op->acc_len = op->acc_cap = op->aad_len = op->aad_cap = 0;
}

/* Appends to a growing buffer; false when out of memory. */
static bool append(uint8_t **buf, size_t *len, size_t *cap, const void *data, size_t n)
{
	if (!n) {
		return true;
	}
	if (*len + n < *len) {
		return false;
	}
	if (*len + n > *cap) {
		size_t ncap = (*len + n) * 2;
		uint8_t *nb = malloc(ncap);

		if (!nb) {
			return false;
		}
		if (*len) {
			memcpy(nb, *buf, *len);
		}
		crypto_free_secret(*buf, *cap);
		*buf = nb;
		*cap = ncap;
	}
	memcpy(*buf + *len, data, n);
	*len += n;
	return true;
}

TEE_Result TEE_AllocateOperation(TEE_OperationHandle *operation, uint32_t algorithm, uint32_t mode,
				 uint32_t maxKeySize)
{
	const struct alg_desc *d = alg_desc(algorithm);
	struct crypto_op *op = NULL;
	uint32_t cls = 0;
	uint32_t key_types[3] = { 0 };

	if (!operation) {
		TEE_Panic(TEE_ERROR_BAD_PARAMETERS);
	}
	*operation = TEE_HANDLE_NULL;
	if (d) {
		cls = d->cls;
		memcpy(key_types, d->key_types, sizeof(key_types));
	} else if (!crypto_asym_alg(algorithm, &cls, key_types)) {
		return TEE_ERROR_NOT_SUPPORTED;
	}
	if (!mode_ok(cls, mode)) {
		return TEE_ERROR_NOT_SUPPORTED;
	}
	if (cls != TEE_OPERATION_DIGEST) {
		bool ok = false;

		if (!d) {
			ok = crypto_asym_size_ok(algorithm, maxKeySize);
		} else if (d->kind == K_XTS) {
			/* both keys' sizes added up, as OP-TEE and its regression suite count */
			ok = maxKeySize % 2 == 0 &&
			     crypto_type_size_ok(TEE_TYPE_AES, maxKeySize / 2);
		} else {
			for (size_t i = 0; i < 3 && key_types[i]; i++) {
				ok = ok || crypto_type_size_ok(key_types[i], maxKeySize);
			}
		}
		if (!ok) {
			return TEE_ERROR_NOT_SUPPORTED;
		}
	}
	op = calloc(1, sizeof(*op));
	if (!op) {
		return TEE_ERROR_OUT_OF_MEMORY;
	}
	op->magic = OP_MAGIC;
	op->algo = algorithm;
	op->mode = mode;
	op->cls = cls;
	op->max_key_size = maxKeySize;
	op->required_usage = usage_for(mode);
	memcpy(op->key_type, key_types, sizeof(key_types));
	if (d && !strcmp(d->name ? d->name : "", "AES")) {
		op->block = 16;
	} else if (d && d->name && !strcmp(d->name, "DES3")) {
		op->block = 8;
	}
	if (d && d->kind == K_XTS) {
		op->handle_state |= TEE_HANDLE_FLAG_EXPECT_TWO_KEYS;
	}
	if (cls == TEE_OPERATION_DIGEST) {
		const EVP_MD *md = EVP_get_digestbyname(d->name);

		op->md = EVP_MD_CTX_new();
		if (!md || !op->md || !EVP_DigestInit_ex(op->md, md, NULL)) {
			EVP_MD_CTX_free(op->md);
			free(op);
			return TEE_ERROR_OUT_OF_MEMORY;
		}
		/* SHAKE has no fixed output: its digestLength is 0, as in OP-TEE */
		op->xof = (EVP_MD_get_flags(md) & EVP_MD_FLAG_XOF) != 0;
		op->digest_len = op->xof ? 0 : (uint32_t)EVP_MD_get_size(md);
		op->handle_state |= TEE_HANDLE_FLAG_KEY_SET | TEE_HANDLE_FLAG_INITIALIZED;
	} else if (d && d->kind == K_HMAC) {
		op->digest_len = (uint32_t)EVP_MD_get_size(EVP_get_digestbyname(d->name));
	} else if (cls == TEE_OPERATION_MAC) {
		op->digest_len = op->block;
	}
	op->next = g_ops;
	g_ops = op;
	*operation = (TEE_OperationHandle)op;
	return TEE_SUCCESS;
}

/* Drops the computation state (not the keys). */
static void clear_state(struct crypto_op *op)
{
	EVP_CIPHER_CTX_free(op->cc);
	EVP_MAC_CTX_free(op->mac);
	op->cc = NULL;
	op->mac = NULL;
	free_acc(op);
	OPENSSL_cleanse(op->last, sizeof(op->last));
	op->buffered = 0;
	op->active = false;
	op->ae_payload_started = false;
	op->ae_tag_len = op->ae_payload_len = op->ae_aad_len = op->ae_released = 0;
}

static void clear_keys(struct crypto_op *op)
{
	crypto_obj_destroy(op->key1);
	crypto_obj_destroy(op->key2);
	op->key1 = op->key2 = NULL;
	EVP_PKEY_free(op->pkey);
	op->pkey = NULL;
	op->key_size = 0;
	op->handle_state &= ~(uint32_t)(TEE_HANDLE_FLAG_KEY_SET | TEE_HANDLE_FLAG_INITIALIZED);
}

void TEE_FreeOperation(TEE_OperationHandle operation)
{
	struct crypto_op *op = NULL;

	if (operation == TEE_HANDLE_NULL) {
		return;
	}
	op = crypto_op_get(operation);
	for (struct crypto_op **pp = &g_ops; *pp; pp = &(*pp)->next) {
		if (*pp == op) {
			*pp = op->next;
			break;
		}
	}
	clear_state(op);
	clear_keys(op);
	EVP_MD_CTX_free(op->md);
	op->magic = 0;
	free(op);
}

void TEE_GetOperationInfo(TEE_OperationHandle operation, TEE_OperationInfo *operationInfo)
{
	struct crypto_op *op = crypto_op_get(operation);

	if (!operationInfo) {
		TEE_Panic(TEE_ERROR_BAD_PARAMETERS);
	}
	*operationInfo = (TEE_OperationInfo){ .algorithm = op->algo,
					      .operationClass = op->cls,
					      .mode = op->mode,
					      .digestLength = op->digest_len,
					      .maxKeySize = op->max_key_size,
					      .keySize = op->key_size,
					      .requiredKeyUsage = op->required_usage,
					      .handleState = op->handle_state };
}

TEE_Result TEE_GetOperationInfoMultiple(TEE_OperationHandle operation,
					TEE_OperationInfoMultiple *operationInfoMultiple,
					size_t *operationSize)
{
	struct crypto_op *op = crypto_op_get(operation);
	uint32_t nkeys = 0;
	size_t need = 0;

	if (!operationSize || (!operationInfoMultiple && *operationSize)) {
		TEE_Panic(TEE_ERROR_BAD_PARAMETERS);
	}
	if (op->cls != TEE_OPERATION_DIGEST) {
		nkeys = (op->handle_state & TEE_HANDLE_FLAG_EXPECT_TWO_KEYS) ? 2 : 1;
	}
	need = sizeof(TEE_OperationInfoMultiple) + nkeys * sizeof(TEE_OperationInfoKey);
	if (*operationSize < need) {
		*operationSize = need;
		return TEE_ERROR_SHORT_BUFFER;
	}
	*operationInfoMultiple = (TEE_OperationInfoMultiple){
		.algorithm = op->algo,
		.operationClass = op->cls,
		.mode = op->mode,
		.digestLength = op->digest_len,
		.maxKeySize = op->max_key_size,
		.handleState = op->handle_state,
		.operationState = op->extracting ? TEE_OPERATION_STATE_EXTRACTING
				  : op->active   ? TEE_OPERATION_STATE_ACTIVE
						 : TEE_OPERATION_STATE_INITIAL,
		.numberOfKeys = nkeys,
	};
	for (uint32_t i = 0; i < nkeys; i++) {
		const struct crypto_obj *k = i ? op->key2 : op->key1;

		operationInfoMultiple->keyInformation[i] =
			(TEE_OperationInfoKey){ .keySize = k ? k->key_size : 0,
						.requiredKeyUsage = op->required_usage };
	}
	*operationSize = need;
	return TEE_SUCCESS;
}

static void digest_restart(struct crypto_op *op);

void TEE_ResetOperation(TEE_OperationHandle operation)
{
	struct crypto_op *op = crypto_op_get(operation);

	if (op->cls == TEE_OPERATION_DIGEST) {
		digest_restart(op);
		return;
	}
	if (!(op->handle_state & TEE_HANDLE_FLAG_KEY_SET)) {
		TEE_Panic(TEE_ERROR_BAD_STATE);
	}
	clear_state(op);
	if (op->cls == TEE_OPERATION_CIPHER || op->cls == TEE_OPERATION_MAC ||
	    op->cls == TEE_OPERATION_AE) {
		op->handle_state &= ~(uint32_t)TEE_HANDLE_FLAG_INITIALIZED;
	}
}

/* Checks a key object against the operation (panics as the spec says) and copies it. */
static struct crypto_obj *take_key(struct crypto_op *op, TEE_ObjectHandle key)
{
	bool is_object = false;
	struct crypto_obj *k = crypto_obj_key(key, &is_object);
	struct crypto_obj *c = NULL;
	bool type_ok = false;
	/* XTS: maxKeySize holds both keys */
	uint32_t max_bits = op->handle_state & TEE_HANDLE_FLAG_EXPECT_TWO_KEYS
				    ? op->max_key_size / 2
				    : op->max_key_size;

	if (!k) {
		host_log(1, "TEE_SetOperationKey: the key is not a key object");
		TEE_Panic(TEE_ERROR_BAD_PARAMETERS);
	}
	for (size_t i = 0; i < 3 && op->key_type[i]; i++) {
		type_ok = type_ok || k->type == op->key_type[i];
	}
	if (!k->initialized || !type_ok ||
	    crypto_norm_bits(k->type, k->key_size) > crypto_norm_bits(k->type, max_bits) ||
	    (k->usage & op->required_usage) != op->required_usage) {
		TEE_Panic(TEE_ERROR_BAD_PARAMETERS);
	}
	c = crypto_obj_clone(k);
	if (!c) {
		TEE_Panic(TEE_ERROR_OUT_OF_MEMORY);
	}
	return c;
}

TEE_Result TEE_SetOperationKey(TEE_OperationHandle operation, TEE_ObjectHandle key)
{
	struct crypto_op *op = crypto_op_get(operation);

	if (op->cls == TEE_OPERATION_DIGEST ||
	    (op->handle_state & TEE_HANDLE_FLAG_EXPECT_TWO_KEYS)) {
		TEE_Panic(TEE_ERROR_BAD_PARAMETERS);
	}
	if (op->active) {
		TEE_Panic(TEE_ERROR_BAD_STATE);
	}
	clear_state(op);
	clear_keys(op);
	if (key == TEE_HANDLE_NULL) {
		return TEE_SUCCESS;
	}
	op->key1 = take_key(op, key);
	op->key_size = op->key1->key_size;
	op->handle_state |= TEE_HANDLE_FLAG_KEY_SET;
	if (op->cls == TEE_OPERATION_ASYMMETRIC_CIPHER ||
	    op->cls == TEE_OPERATION_ASYMMETRIC_SIGNATURE ||
	    op->cls == TEE_OPERATION_KEY_DERIVATION) {
		TEE_Result res = crypto_asym_set_key(op);

		if (res != TEE_SUCCESS) {
			clear_keys(op);
			TEE_Panic(res);
		}
		op->handle_state |= TEE_HANDLE_FLAG_INITIALIZED;
	}
	return TEE_SUCCESS;
}

TEE_Result TEE_SetOperationKey2(TEE_OperationHandle operation, TEE_ObjectHandle key1,
				TEE_ObjectHandle key2)
{
	struct crypto_op *op = crypto_op_get(operation);

	if (!(op->handle_state & TEE_HANDLE_FLAG_EXPECT_TWO_KEYS)) {
		TEE_Panic(TEE_ERROR_BAD_PARAMETERS);
	}
	if (op->active) {
		TEE_Panic(TEE_ERROR_BAD_STATE);
	}
	clear_state(op);
	clear_keys(op);
	if (key1 == TEE_HANDLE_NULL && key2 == TEE_HANDLE_NULL) {
		return TEE_SUCCESS;
	}
	if (key1 == TEE_HANDLE_NULL || key2 == TEE_HANDLE_NULL) {
		TEE_Panic(TEE_ERROR_BAD_PARAMETERS);
	}
	op->key1 = take_key(op, key1);
	op->key2 = take_key(op, key2);
	if (op->key1->key_size != op->key2->key_size) {
		clear_keys(op);
		TEE_Panic(TEE_ERROR_BAD_PARAMETERS);
	}
	op->key_size = op->key1->key_size;
	op->handle_state |= TEE_HANDLE_FLAG_KEY_SET;
	return TEE_SUCCESS;
}

static bool copy_ctx(struct crypto_op *dst, const struct crypto_op *src)
{
	if (src->md && !EVP_MD_CTX_copy_ex(dst->md, src->md)) {
		return false;
	}
	if (src->cc) {
		dst->cc = EVP_CIPHER_CTX_new();
		if (!dst->cc || !EVP_CIPHER_CTX_copy(dst->cc, src->cc)) {
			return false;
		}
	}
	if (src->mac && !(dst->mac = EVP_MAC_CTX_dup(src->mac))) {
		return false;
	}
	if (src->pkey) {
		if (!EVP_PKEY_up_ref(src->pkey)) {
			return false;
		}
		dst->pkey = src->pkey;
	}
	if ((src->key1 && !(dst->key1 = crypto_obj_clone(src->key1))) ||
	    (src->key2 && !(dst->key2 = crypto_obj_clone(src->key2)))) {
		return false;
	}
	return append(&dst->acc, &dst->acc_len, &dst->acc_cap, src->acc, src->acc_len) &&
	       append(&dst->aad, &dst->aad_len, &dst->aad_cap, src->aad, src->aad_len);
}

void TEE_CopyOperation(TEE_OperationHandle dstOperation, TEE_OperationHandle srcOperation)
{
	struct crypto_op *dst = crypto_op_get(dstOperation);
	const struct crypto_op *src = crypto_op_get(srcOperation);
	struct crypto_op keep;

	if (dst == src) {
		return;
	}
	if (dst->algo != src->algo || dst->mode != src->mode ||
	    (src->key1 && crypto_norm_bits(src->key1->type, src->key_size) >
				  crypto_norm_bits(src->key1->type, dst->max_key_size))) {
		TEE_Panic(TEE_ERROR_BAD_PARAMETERS);
	}
	clear_state(dst);
	clear_keys(dst);
	keep = *dst;
	*dst = *src;
	dst->magic = keep.magic;
	dst->next = keep.next;
	dst->max_key_size = keep.max_key_size;
	dst->md = keep.md;
	dst->cc = NULL;
	dst->mac = NULL;
	dst->pkey = NULL;
	dst->key1 = dst->key2 = NULL;
	dst->acc = dst->aad = NULL;
	dst->acc_len = dst->acc_cap = dst->aad_len = dst->aad_cap = 0;
	if (!copy_ctx(dst, src)) {
		TEE_Panic(TEE_ERROR_OUT_OF_MEMORY);
	}
}

TEE_Result TEE_IsAlgorithmSupported(uint32_t algId, uint32_t element)
{
	uint32_t cls = 0;
	uint32_t key_types[3] = { 0 };
	uint32_t bits = 0;

	if (alg_desc(algId)) {
		return element == TEE_CRYPTO_ELEMENT_NONE ? TEE_SUCCESS : TEE_ERROR_NOT_SUPPORTED;
	}
	if (!crypto_asym_alg(algId, &cls, key_types)) {
		return TEE_ERROR_NOT_SUPPORTED;
	}
	if (key_types[0] == TEE_TYPE_ECDSA_KEYPAIR || key_types[0] == TEE_TYPE_ECDH_KEYPAIR) {
		return element != TEE_CRYPTO_ELEMENT_NONE && crypto_curve_name(element, &bits) &&
				       element != TEE_ECC_CURVE_25519
			       ? TEE_SUCCESS
			       : TEE_ERROR_NOT_SUPPORTED;
	}
	if (key_types[0] == TEE_TYPE_ED25519_KEYPAIR || key_types[0] == TEE_TYPE_X25519_KEYPAIR) {
		return element == TEE_ECC_CURVE_25519 || element == TEE_CRYPTO_ELEMENT_NONE
			       ? TEE_SUCCESS
			       : TEE_ERROR_NOT_SUPPORTED;
	}
	return element == TEE_CRYPTO_ELEMENT_NONE ? TEE_SUCCESS : TEE_ERROR_NOT_SUPPORTED;
}

/* ---- digest ---- */

/* Back to the initial state: a new message, nothing extracted. */
static void digest_restart(struct crypto_op *op)
{
	if (!EVP_DigestInit_ex(op->md, NULL, NULL)) {
		TEE_Panic(TEE_ERROR_GENERIC);
	}
	OPENSSL_cleanse(op->extract_buf, sizeof(op->extract_buf));
	op->extract_off = 0;
	op->extracting = false;
	op->active = false;
	op->handle_state &= ~(uint32_t)TEE_HANDLE_FLAG_EXTRACTING;
}

/* Enters the extracting state: a fixed-size digest is finished into extract_buf. */
static void start_extract(struct crypto_op *op)
{
	unsigned int n = 0;

	if (op->extracting) {
		return;
	}
	if (!op->xof && (!EVP_DigestFinal_ex(op->md, op->extract_buf, &n) || n != op->digest_len)) {
		TEE_Panic(TEE_ERROR_GENERIC);
	}
	op->extract_off = 0;
	op->extracting = true;
	op->handle_state |= TEE_HANDLE_FLAG_EXTRACTING;
}

/*
 * The next n bytes of the output while extracting. OpenSSL 3.0 finishes a SHAKE context
 * once (squeezing again arrived in 3.3), so the output up to the end of this piece is
 * computed from a copy of the absorbing context and the piece is taken from its tail:
 * extracting in k pieces costs O(k * total), and nothing is kept between calls.
 */
static void squeeze(struct crypto_op *op, uint8_t *out, size_t n)
{
	EVP_MD_CTX *c = NULL;
	uint8_t *all = NULL;
	size_t total = 0;

	if (!n) {
		return; /* out may be NULL for an empty extraction */
	}
	if (!op->xof) {
		memcpy(out, op->extract_buf + op->extract_off, n);
		op->extract_off += n;
		return;
	}
	if (__builtin_add_overflow(op->extract_off, n, &total)) {
		TEE_Panic(TEE_ERROR_OVERFLOW);
	}
	all = malloc(total);
	c = EVP_MD_CTX_new();
	if (!all || !c) {
		free(all);
		EVP_MD_CTX_free(c);
		TEE_Panic(TEE_ERROR_OUT_OF_MEMORY);
	}
	if (!EVP_MD_CTX_copy_ex(c, op->md) || !EVP_DigestFinalXOF(c, all, total)) {
		TEE_Panic(TEE_ERROR_GENERIC);
	}
	memcpy(out, all + op->extract_off, n);
	op->extract_off = total;
	OPENSSL_cleanse(all, total);
	free(all);
	EVP_MD_CTX_free(c);
}

void TEE_DigestUpdate(TEE_OperationHandle operation, const void *chunk, size_t chunkSize)
{
	struct crypto_op *op = op_of(operation, TEE_OPERATION_DIGEST);

	if (!chunk && chunkSize) {
		TEE_Panic(TEE_ERROR_BAD_PARAMETERS);
	}
	if (op->extracting) {
		host_log(1, "TEE_DigestUpdate after TEE_DigestExtract");
		TEE_Panic(TEE_ERROR_BAD_STATE);
	}
	if (!EVP_DigestUpdate(op->md, chunk, chunkSize)) {
		TEE_Panic(TEE_ERROR_GENERIC);
	}
	op->active = true;
}

/*
 * Finishes the message. SHAKE writes *hashLen bytes (continuing what TEE_DigestExtract
 * began); a fixed-size digest in the extracting state writes what is left of it, at most
 * *hashLen bytes (OP-TEE's behaviour); otherwise the digest, or SHORT_BUFFER.
 */
TEE_Result TEE_DigestDoFinal(TEE_OperationHandle operation, const void *chunk, size_t chunkLen,
			     void *hash, size_t *hashLen)
{
	struct crypto_op *op = op_of(operation, TEE_OPERATION_DIGEST);
	unsigned int n = 0;

	if ((!chunk && chunkLen) || !hashLen || (!hash && *hashLen) ||
	    (op->extracting && chunkLen)) {
		TEE_Panic(TEE_ERROR_BAD_PARAMETERS);
	}
	if (op->xof || op->extracting) {
		size_t len = *hashLen;

		if (!op->extracting && !EVP_DigestUpdate(op->md, chunk, chunkLen)) {
			TEE_Panic(TEE_ERROR_GENERIC);
		}
		start_extract(op);
		if (!op->xof && len > op->digest_len - op->extract_off) {
			len = op->digest_len - op->extract_off;
		}
		squeeze(op, hash, len);
		*hashLen = len;
		digest_restart(op);
		return TEE_SUCCESS;
	}
	if (*hashLen < op->digest_len) {
		*hashLen = op->digest_len;
		return TEE_ERROR_SHORT_BUFFER;
	}
	if (!EVP_DigestUpdate(op->md, chunk, chunkLen) || !EVP_DigestFinal_ex(op->md, hash, &n) ||
	    !EVP_DigestInit_ex(op->md, NULL, NULL)) {
		TEE_Panic(TEE_ERROR_GENERIC);
	}
	*hashLen = n;
	op->active = false;
	return TEE_SUCCESS;
}

/*
 * GP 1.3.1: the message so far is finished and its output handed out in pieces; SHAKE
 * gives *hashLen bytes each call, a fixed-size digest what is left of it, at most *hashLen.
 * Further TEE_DigestUpdate calls panic until TEE_DigestDoFinal or TEE_ResetOperation.
 */
TEE_Result TEE_DigestExtract(TEE_OperationHandle operation, void *hash, size_t *hashLen)
{
	struct crypto_op *op = op_of(operation, TEE_OPERATION_DIGEST);
	size_t len = 0;

	if (!hashLen || (!hash && *hashLen)) {
		TEE_Panic(TEE_ERROR_BAD_PARAMETERS);
	}
	start_extract(op);
	len = *hashLen;
	if (!op->xof && len > op->digest_len - op->extract_off) {
		len = op->digest_len - op->extract_off;
	}
	squeeze(op, hash, len);
	*hashLen = len;
	return TEE_SUCCESS;
}

/* ---- cipher ---- */

/* OpenSSL's cipher for the operation and key; DES keys become three-key 3DES keys (single
 * DES is only in OpenSSL's legacy provider; EDE with K1 = K2 = K3 is DES). */
static const EVP_CIPHER *cipher_for(const struct crypto_op *op, enum kind kind, uint8_t *key,
				    size_t *key_len)
{
	const struct crypto_attr *k = crypto_obj_attr(op->key1, TEE_ATTR_SECRET_VALUE);
	char name[32];

	if (!k || k->len > 32) {
		return NULL;
	}
	if (op->block == 8) {
		/* K, K1K2 and K1K2K3 all become K1K2K3 by repetition */
		for (size_t i = 0; i < 24; i++) {
			key[i] = k->buf[i % k->len];
		}
		*key_len = 24;
		return EVP_get_cipherbyname(kind == K_ECB ? "DES-EDE3-ECB" : "DES-EDE3-CBC");
	}
	memcpy(key, k->buf, k->len);
	*key_len = k->len;
	switch (kind) {
	case K_ECB:
		snprintf(name, sizeof(name), "AES-%zu-ECB", k->len * 8);
		break;
	case K_CTR:
		snprintf(name, sizeof(name), "AES-%zu-CTR", k->len * 8);
		break;
	case K_GCM:
		snprintf(name, sizeof(name), "AES-%zu-GCM", k->len * 8);
		break;
	case K_CCM:
		snprintf(name, sizeof(name), "AES-%zu-CCM", k->len * 8);
		break;
	default:
		snprintf(name, sizeof(name), "AES-%zu-CBC", k->len * 8);
		break;
	}
	return EVP_get_cipherbyname(name);
}

static enum kind kind_of(const struct crypto_op *op)
{
	return alg_desc(op->algo)->kind;
}

/* CTS and XTS: AES-ECB with the key(s) and a 16-byte IV (crypto_steal.c). */
static void start_steal(struct crypto_op *op, bool xts, const void *iv, size_t iv_len)
{
	const struct crypto_attr *k = crypto_obj_attr(op->key1, TEE_ATTR_SECRET_VALUE);
	const struct crypto_attr *k2 =
		xts ? crypto_obj_attr(op->key2, TEE_ATTR_SECRET_VALUE) : NULL;

	if (!iv || iv_len != 16) {
		host_log(1, "TEE_CipherInit: algorithm 0x%08x needs an IV of 16 bytes, got %zu",
			 op->algo, iv_len);
		TEE_Panic(TEE_ERROR_BAD_PARAMETERS);
	}
	if (!k || (xts && !k2) ||
	    crypto_steal_start(op, xts, k->buf, k->len, k2 ? k2->buf : NULL, k2 ? k2->len : 0,
			       iv) != 0) {
		TEE_Panic(TEE_ERROR_GENERIC);
	}
}

/* Starts op->cc for kind with the operation's key(s) and iv. */
static void start_cipher(struct crypto_op *op, enum kind kind, bool enc, const void *iv,
			 size_t iv_len)
{
	uint8_t key[64];
	size_t key_len = 0;
	const EVP_CIPHER *c = NULL;
	int iv_need = 0;
	bool ok = false;

	if (kind == K_CTS || kind == K_XTS) {
		start_steal(op, kind == K_XTS, iv, iv_len);
		return;
	}
	c = cipher_for(op, kind, key, &key_len);
	if (!c) {
		TEE_Panic(TEE_ERROR_GENERIC);
	}
	iv_need = EVP_CIPHER_get_iv_length(c);
	if (kind == K_CBCMAC_NOPAD || kind == K_CBCMAC_PKCS5) {
		/* CBC-MAC starts from a zero IV unless the TA gives one */
		static const uint8_t zero[16];

		if (!iv || iv_len != (size_t)iv_need) {
			iv = zero;
		}
	} else if (iv_need && (!iv || iv_len != (size_t)iv_need)) {
		host_log(1, "TEE_CipherInit: algorithm 0x%08x needs an IV of %d bytes, got %zu",
			 op->algo, iv_need, iv_len);
		OPENSSL_cleanse(key, sizeof(key));
		TEE_Panic(TEE_ERROR_BAD_PARAMETERS);
	}
	op->cc = EVP_CIPHER_CTX_new();
	if (op->cc) {
		ok = EVP_CipherInit_ex2(op->cc, c, key, iv_need ? iv : NULL, enc ? 1 : 0, NULL) &&
		     EVP_CIPHER_CTX_set_padding(op->cc, 0);
	}
	OPENSSL_cleanse(key, sizeof(key));
	if (!ok) {
		TEE_Panic(TEE_ERROR_GENERIC);
	}
}

void TEE_CipherInit(TEE_OperationHandle operation, const void *IV, size_t IVLen)
{
	struct crypto_op *op = op_of(operation, TEE_OPERATION_CIPHER);

	if (!(op->handle_state & TEE_HANDLE_FLAG_KEY_SET) || (!IV && IVLen)) {
		TEE_Panic(TEE_ERROR_BAD_STATE);
	}
	clear_state(op);
	start_cipher(op, kind_of(op), op->mode == TEE_MODE_ENCRYPT, IV, IVLen);
	op->handle_state |= TEE_HANDLE_FLAG_INITIALIZED;
	op->active = true;
}

/* Output an update of n more bytes produces. */
static size_t cipher_update_len(const struct crypto_op *op, enum kind kind, size_t n)
{
	switch (kind) {
	case K_ECB:
	case K_CBC:
		return (op->buffered + n) / op->block * op->block;
	case K_CTR:
		return n;
	default:
		return crypto_steal_update_len(op, n); /* CTS, XTS */
	}
}

static struct crypto_op *active_op(TEE_OperationHandle operation, uint32_t cls)
{
	struct crypto_op *op = op_of(operation, cls);

	if (!(op->handle_state & TEE_HANDLE_FLAG_INITIALIZED)) {
		TEE_Panic(TEE_ERROR_BAD_STATE);
	}
	return op;
}

static void check_io(const void *src, size_t src_len, const void *dst, const size_t *dst_len)
{
	if ((!src && src_len) || !dst_len || (!dst && *dst_len)) {
		TEE_Panic(TEE_ERROR_BAD_PARAMETERS);
	}
}

/* Runs n bytes through op->cc; out has room for the whole result (computed by the caller). */
static size_t cipher_run(struct crypto_op *op, const void *src, size_t n, void *out)
{
	int outl = 0;
	size_t done = 0;
	const uint8_t *in = src;

	/* EVP takes int lengths */
	while (n) {
		int chunk = n > (1u << 30) ? (1 << 30) : (int)n;

		if (!EVP_CipherUpdate(op->cc, (uint8_t *)out + done, &outl, in, chunk)) {
			TEE_Panic(TEE_ERROR_GENERIC);
		}
		done += (size_t)outl;
		in += chunk;
		n -= (size_t)chunk;
	}
	return done;
}

TEE_Result TEE_CipherUpdate(TEE_OperationHandle operation, const void *srcData, size_t srcLen,
			    void *destData, size_t *destLen)
{
	struct crypto_op *op = active_op(operation, TEE_OPERATION_CIPHER);
	enum kind kind = kind_of(op);
	size_t need = 0;

	check_io(srcData, srcLen, destData, destLen);
	need = cipher_update_len(op, kind, srcLen);
	if (*destLen < need) {
		*destLen = need;
		return TEE_ERROR_SHORT_BUFFER;
	}
	if (kind == K_CTS || kind == K_XTS) {
		if (!append(&op->acc, &op->acc_len, &op->acc_cap, srcData, srcLen)) {
			TEE_Panic(TEE_ERROR_OUT_OF_MEMORY);
		}
		crypto_steal_update(op, kind == K_XTS, need, destData);
		*destLen = need;
		return TEE_SUCCESS;
	}
	*destLen = cipher_run(op, srcData, srcLen, destData);
	if (op->block) {
		op->buffered = (op->buffered + srcLen) % op->block;
	}
	return TEE_SUCCESS;
}

TEE_Result TEE_CipherDoFinal(TEE_OperationHandle operation, const void *srcData, size_t srcLen,
			     void *destData, size_t *destLen)
{
	struct crypto_op *op = active_op(operation, TEE_OPERATION_CIPHER);
	enum kind kind = kind_of(op);
	size_t need = 0;
	size_t done = 0;
	int outl = 0;

	check_io(srcData, srcLen, destData, destLen);
	if (kind == K_CTS || kind == K_XTS) {
		need = op->acc_len + srcLen;
		if ((kind == K_CTS && need < op->block) || (kind == K_XTS && need < 16)) {
			TEE_Panic(TEE_ERROR_BAD_PARAMETERS);
		}
	} else if (kind == K_CTR) {
		need = srcLen;
	} else {
		if ((op->buffered + srcLen) % op->block) {
			host_log(1, "TEE_CipherDoFinal: data is not a multiple of the block size");
			TEE_Panic(TEE_ERROR_BAD_PARAMETERS);
		}
		need = op->buffered + srcLen;
	}
	if (*destLen < need) {
		*destLen = need;
		return TEE_ERROR_SHORT_BUFFER;
	}
	if (kind == K_CTS || kind == K_XTS) {
		if (!append(&op->acc, &op->acc_len, &op->acc_cap, srcData, srcLen)) {
			TEE_Panic(TEE_ERROR_OUT_OF_MEMORY);
		}
		crypto_steal_final(op, kind == K_XTS, destData);
		*destLen = need;
	} else {
		done = cipher_run(op, srcData, srcLen, destData);
		if (!EVP_CipherFinal_ex(op->cc, (uint8_t *)destData + done, &outl)) {
			TEE_Panic(TEE_ERROR_GENERIC);
		}
		*destLen = done + (size_t)outl;
	}
	clear_state(op);
	op->handle_state &= ~(uint32_t)TEE_HANDLE_FLAG_INITIALIZED;
	return TEE_SUCCESS;
}

/* ---- MAC ---- */

void TEE_MACInit(TEE_OperationHandle operation, const void *IV, size_t IVLen)
{
	struct crypto_op *op = op_of(operation, TEE_OPERATION_MAC);
	const struct alg_desc *d = alg_desc(op->algo);
	const struct crypto_attr *k = NULL;
	OSSL_PARAM p[2] = { OSSL_PARAM_construct_end(), OSSL_PARAM_construct_end() };
	EVP_MAC *mac = NULL;
	char cipher[32];
	bool ok = false;

	if (!(op->handle_state & TEE_HANDLE_FLAG_KEY_SET) || (!IV && IVLen)) {
		TEE_Panic(TEE_ERROR_BAD_STATE);
	}
	clear_state(op);
	if (d->kind == K_CBCMAC_NOPAD || d->kind == K_CBCMAC_PKCS5) {
		start_cipher(op, d->kind, true, IV, IVLen);
		goto done;
	}
	k = crypto_obj_attr(op->key1, TEE_ATTR_SECRET_VALUE);
	if (d->kind == K_HMAC) {
		mac = EVP_MAC_fetch(NULL, "HMAC", NULL);
		p[0] = OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, (char *)d->name, 0);
	} else {
		mac = EVP_MAC_fetch(NULL, "CMAC", NULL);
		if (op->block == 8) {
			snprintf(cipher, sizeof(cipher), "%s", "DES-EDE3-CBC");
		} else {
			snprintf(cipher, sizeof(cipher), "AES-%zu-CBC", k->len * 8);
		}
		p[0] = OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_CIPHER, cipher, 0);
	}
	op->mac = mac ? EVP_MAC_CTX_new(mac) : NULL;
	if (op->mac) {
		if (d->kind == K_CMAC && op->block == 8 && k->len != 24) {
			uint8_t key[24];

			for (size_t i = 0; i < 24; i++) {
				key[i] = k->buf[i % 16];
			}
			ok = EVP_MAC_init(op->mac, key, sizeof(key), p);
			OPENSSL_cleanse(key, sizeof(key));
		} else {
			ok = EVP_MAC_init(op->mac, k->buf, k->len, p);
		}
	}
	EVP_MAC_free(mac);
	if (!ok) {
		TEE_Panic(TEE_ERROR_GENERIC);
	}
done:
	op->handle_state |= TEE_HANDLE_FLAG_INITIALIZED;
	op->active = true;
}

static void mac_update(struct crypto_op *op, const void *chunk, size_t n)
{
	uint8_t *tmp = NULL;
	size_t done = 0;

	if (!n) {
		return;
	}
	if (op->mac) {
		if (!EVP_MAC_update(op->mac, chunk, n)) {
			TEE_Panic(TEE_ERROR_GENERIC);
		}
		return;
	}
	/* CBC-MAC: encrypt, keep the last cipher block */
	tmp = malloc(n + op->block);
	if (!tmp) {
		TEE_Panic(TEE_ERROR_OUT_OF_MEMORY);
	}
	done = cipher_run(op, chunk, n, tmp);
	if (done >= op->block) {
		memcpy(op->last, tmp + done - op->block, op->block);
	}
	op->buffered = (op->buffered + n) % op->block;
	crypto_free_secret(tmp, n + op->block);
}

void TEE_MACUpdate(TEE_OperationHandle operation, const void *chunk, size_t chunkSize)
{
	struct crypto_op *op = active_op(operation, TEE_OPERATION_MAC);

	if (!chunk && chunkSize) {
		TEE_Panic(TEE_ERROR_BAD_PARAMETERS);
	}
	mac_update(op, chunk, chunkSize);
}

/* Finishes the MAC into out (op->digest_len bytes). */
static void mac_final(struct crypto_op *op, const void *msg, size_t len, uint8_t *out)
{
	size_t outl = 0;

	mac_update(op, msg, len);
	if (op->mac) {
		if (!EVP_MAC_final(op->mac, out, &outl, op->digest_len)) {
			TEE_Panic(TEE_ERROR_GENERIC);
		}
	} else {
		if (kind_of(op) == K_CBCMAC_PKCS5) {
			uint8_t pad[16];
			uint8_t v = (uint8_t)(op->block - op->buffered);

			memset(pad, v, v);
			mac_update(op, pad, v);
		}
		if (op->buffered) {
			host_log(1, "TEE_MACComputeFinal: CBC-MAC data is not a multiple of the "
				    "block size");
			TEE_Panic(TEE_ERROR_BAD_PARAMETERS);
		}
		memcpy(out, op->last, op->block);
	}
	clear_state(op);
	op->handle_state &= ~(uint32_t)TEE_HANDLE_FLAG_INITIALIZED;
}

TEE_Result TEE_MACComputeFinal(TEE_OperationHandle operation, const void *message,
			       size_t messageLen, void *mac, size_t *macLen)
{
	struct crypto_op *op = active_op(operation, TEE_OPERATION_MAC);
	uint8_t out[EVP_MAX_MD_SIZE];

	check_io(message, messageLen, mac, macLen);
	if (*macLen < op->digest_len) {
		*macLen = op->digest_len;
		return TEE_ERROR_SHORT_BUFFER;
	}
	mac_final(op, message, messageLen, out);
	memcpy(mac, out, op->digest_len);
	*macLen = op->digest_len;
	OPENSSL_cleanse(out, sizeof(out));
	return TEE_SUCCESS;
}

TEE_Result TEE_MACCompareFinal(TEE_OperationHandle operation, const void *message,
			       size_t messageLen, const void *mac, size_t macLen)
{
	struct crypto_op *op = active_op(operation, TEE_OPERATION_MAC);
	uint8_t out[EVP_MAX_MD_SIZE];
	bool same = false;

	if ((!message && messageLen) || (!mac && macLen)) {
		TEE_Panic(TEE_ERROR_BAD_PARAMETERS);
	}
	mac_final(op, message, messageLen, out);
	same = macLen == op->digest_len && CRYPTO_memcmp(out, mac, macLen) == 0;
	OPENSSL_cleanse(out, sizeof(out));
	return same ? TEE_SUCCESS : TEE_ERROR_MAC_INVALID;
}

/* ---- authenticated encryption ---- */

TEE_Result TEE_AEInit(TEE_OperationHandle operation, const void *nonce, size_t nonceLen,
		      uint32_t tagLen, size_t AADLen, size_t payloadLen)
{
	struct crypto_op *op = op_of(operation, TEE_OPERATION_AE);
	enum kind kind = kind_of(op);
	uint8_t key[32];
	size_t key_len = 0;
	const EVP_CIPHER *c = NULL;
	OSSL_PARAM p[3];
	size_t iv_len = nonceLen;
	size_t tag_bytes = tagLen / 8;
	bool ok = false;

	if (!(op->handle_state & TEE_HANDLE_FLAG_KEY_SET) || (!nonce && nonceLen)) {
		TEE_Panic(TEE_ERROR_BAD_STATE);
	}
	if (kind == K_GCM ? (tagLen % 8 || tagLen < 96 || tagLen > 128 || !nonceLen)
			  : (tagLen % 16 || tagLen < 32 || tagLen > 128 || nonceLen < 7 ||
			     nonceLen > 13)) {
		return TEE_ERROR_NOT_SUPPORTED;
	}
	clear_state(op);
	c = cipher_for(op, kind, key, &key_len);
	op->cc = EVP_CIPHER_CTX_new();
	p[0] = OSSL_PARAM_construct_size_t(OSSL_CIPHER_PARAM_AEAD_IVLEN, &iv_len);
	p[1] = kind == K_CCM ? OSSL_PARAM_construct_octet_string(OSSL_CIPHER_PARAM_AEAD_TAG, NULL,
								 tag_bytes)
			     : OSSL_PARAM_construct_end();
	p[2] = OSSL_PARAM_construct_end();
	if (c && op->cc &&
	    EVP_CipherInit_ex2(op->cc, c, NULL, NULL, op->mode == TEE_MODE_ENCRYPT, p)) {
		ok = kind == K_CCM || EVP_CipherInit_ex2(op->cc, NULL, key, nonce, -1, NULL);
	}
	if (ok && kind == K_CCM) {
		/* CCM takes key, nonce, lengths, AAD and payload at the final call */
		ok = append(&op->aad, &op->aad_len, &op->aad_cap, key, key_len) &&
		     append(&op->aad, &op->aad_len, &op->aad_cap, nonce, nonceLen);
		op->ae_aad_len = AADLen;
		op->ae_payload_len = payloadLen;
		op->buffered = nonceLen; /* remembered: where the AAD starts in op->aad */
	}
	OPENSSL_cleanse(key, sizeof(key));
	if (!ok) {
		TEE_Panic(TEE_ERROR_GENERIC);
	}
	op->ae_tag_len = tag_bytes;
	op->key_size = (uint32_t)key_len * 8;
	op->handle_state |= TEE_HANDLE_FLAG_INITIALIZED;
	op->active = true;
	return TEE_SUCCESS;
}

void TEE_AEUpdateAAD(TEE_OperationHandle operation, const void *AADdata, size_t AADdataLen)
{
	struct crypto_op *op = active_op(operation, TEE_OPERATION_AE);
	int outl = 0;

	if (!AADdata && AADdataLen) {
		TEE_Panic(TEE_ERROR_BAD_PARAMETERS);
	}
	if (op->ae_payload_started) {
		TEE_Panic(TEE_ERROR_BAD_STATE); /* AAD comes before the payload */
	}
	if (kind_of(op) == K_CCM) {
		if (!append(&op->aad, &op->aad_len, &op->aad_cap, AADdata, AADdataLen)) {
			TEE_Panic(TEE_ERROR_OUT_OF_MEMORY);
		}
		return;
	}
	if (AADdataLen && !EVP_CipherUpdate(op->cc, NULL, &outl, AADdata, (int)AADdataLen)) {
		TEE_Panic(TEE_ERROR_GENERIC);
	}
}

/*
 * CCM's payload is AES-CTR from the counter block A_1 = (L - 1) || nonce || 1 (RFC 3610,
 * L = 15 - nonce length), so the output of whole blocks is known before the tag, and
 * TEE_AEUpdate returns it as OP-TEE does (its regression suite checks the sizes). The
 * payload is still kept whole for OpenSSL's one-shot CCM at the final call, which makes
 * the tag (and the same output). Writes the output of op->acc[from, from + n).
 */
static void ccm_ctr(struct crypto_op *op, size_t from, size_t n, uint8_t *out)
{
	size_t key_len = op->key_size / 8;
	size_t nonce_len = op->buffered;
	size_t l = 15 - nonce_len;
	uint64_t counter = 1 + from / 16;
	uint8_t a[16] = { 0 };
	char name[32];
	EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
	int outl = 0;
	bool ok = false;

	a[0] = (uint8_t)(l - 1);
	memcpy(a + 1, op->aad + key_len, nonce_len);
	for (size_t i = 0; i < l && i < 8; i++) {
		a[15 - i] = (uint8_t)(counter >> (8 * i));
	}
	snprintf(name, sizeof(name), "AES-%zu-CTR", key_len * 8);
	ok = c && n <= INT32_MAX &&
	     EVP_CipherInit_ex2(c, EVP_get_cipherbyname(name), op->aad, a, 1, NULL) &&
	     EVP_CipherUpdate(c, out, &outl, op->acc + from, (int)n) && (size_t)outl == n;
	EVP_CIPHER_CTX_free(c);
	if (!ok) {
		TEE_Panic(TEE_ERROR_GENERIC);
	}
}

TEE_Result TEE_AEUpdate(TEE_OperationHandle operation, const void *srcData, size_t srcLen,
			void *destData, size_t *destLen)
{
	struct crypto_op *op = active_op(operation, TEE_OPERATION_AE);
	bool ccm = kind_of(op) == K_CCM;
	size_t need = srcLen;
	size_t total = 0;

	check_io(srcData, srcLen, destData, destLen);
	if (ccm) {
		if (__builtin_add_overflow(op->acc_len, srcLen, &total)) {
			TEE_Panic(TEE_ERROR_OVERFLOW);
		}
		need = total / 16 * 16 - op->ae_released;
	}
	if (*destLen < need) {
		*destLen = need;
		return TEE_ERROR_SHORT_BUFFER;
	}
	op->ae_payload_started = true;
	if (ccm) {
		if (!append(&op->acc, &op->acc_len, &op->acc_cap, srcData, srcLen)) {
			TEE_Panic(TEE_ERROR_OUT_OF_MEMORY);
		}
		if (need) {
			ccm_ctr(op, op->ae_released, need, destData);
		}
		op->ae_released += need;
		*destLen = need;
		return TEE_SUCCESS;
	}
	*destLen = cipher_run(op, srcData, srcLen, destData);
	return TEE_SUCCESS;
}

/* CCM in one go (OpenSSL takes it only so): key and nonce were kept at the head of
 * op->aad; the whole output goes to all. Returns OpenSSL's verdict (for decryption: the
 * tag matched). */
static bool ccm_whole(struct crypto_op *op, uint8_t *all, const void *tag)
{
	size_t key_len = op->key_size / 8;
	size_t nonce_len = op->buffered;
	const uint8_t *aad = op->aad + key_len + nonce_len;
	size_t aad_len = op->aad_len - key_len - nonce_len;
	int outl = 0;

	if (aad_len != op->ae_aad_len || op->acc_len != op->ae_payload_len) {
		host_log(1, "TEE_AE*Final: CCM lengths differ from those given to TEE_AEInit");
		TEE_Panic(TEE_ERROR_BAD_PARAMETERS);
	}
	if (tag &&
	    !EVP_CIPHER_CTX_ctrl(op->cc, EVP_CTRL_AEAD_SET_TAG, (int)op->ae_tag_len, (void *)tag)) {
		TEE_Panic(TEE_ERROR_GENERIC);
	}
	if (!EVP_CipherInit_ex2(op->cc, NULL, op->aad, op->aad + key_len, -1, NULL) ||
	    !EVP_CipherUpdate(op->cc, NULL, &outl, NULL, (int)op->acc_len) ||
	    (aad_len && !EVP_CipherUpdate(op->cc, NULL, &outl, aad, (int)aad_len))) {
		TEE_Panic(TEE_ERROR_GENERIC);
	}
	return EVP_CipherUpdate(op->cc, all, &outl, op->acc, (int)op->acc_len) == 1;
}

/* ccm_whole, with out getting only the output TEE_AEUpdate has not returned. */
static bool ccm_run(struct crypto_op *op, uint8_t *out, const void *tag)
{
	uint8_t *all = malloc(op->acc_len ? op->acc_len : 1);
	bool ok = false;

	if (!all) {
		TEE_Panic(TEE_ERROR_OUT_OF_MEMORY);
	}
	ok = ccm_whole(op, all, tag);
	if (op->acc_len > op->ae_released) {
		memcpy(out, all + op->ae_released, op->acc_len - op->ae_released);
	}
	crypto_free_secret(all, op->acc_len ? op->acc_len : 1);
	return ok;
}

static void ae_finish(struct crypto_op *op)
{
	clear_state(op);
	op->handle_state &= ~(uint32_t)TEE_HANDLE_FLAG_INITIALIZED;
}

TEE_Result TEE_AEEncryptFinal(TEE_OperationHandle operation, const void *srcData, size_t srcLen,
			      void *destData, size_t *destLen, void *tag, size_t *tagLen)
{
	struct crypto_op *op = active_op(operation, TEE_OPERATION_AE);
	bool ccm = kind_of(op) == K_CCM;
	size_t need = 0;
	size_t done = 0;
	int outl = 0;

	check_io(srcData, srcLen, destData, destLen);
	if (op->mode != TEE_MODE_ENCRYPT || !tagLen || (!tag && *tagLen)) {
		TEE_Panic(TEE_ERROR_BAD_PARAMETERS);
	}
	need = ccm ? op->acc_len + srcLen - op->ae_released : srcLen;
	if (*destLen < need || *tagLen < op->ae_tag_len) {
		*destLen = need;
		*tagLen = op->ae_tag_len;
		return TEE_ERROR_SHORT_BUFFER;
	}
	if (ccm) {
		if (!append(&op->acc, &op->acc_len, &op->acc_cap, srcData, srcLen) ||
		    !ccm_run(op, destData, NULL)) {
			TEE_Panic(TEE_ERROR_GENERIC);
		}
		done = op->acc_len - op->ae_released;
	} else {
		done = cipher_run(op, srcData, srcLen, destData);
	}
	if (!EVP_CipherFinal_ex(op->cc, (uint8_t *)destData + done, &outl) ||
	    !EVP_CIPHER_CTX_ctrl(op->cc, EVP_CTRL_AEAD_GET_TAG, (int)op->ae_tag_len, tag)) {
		TEE_Panic(TEE_ERROR_GENERIC);
	}
	*destLen = done + (size_t)outl;
	*tagLen = op->ae_tag_len;
	ae_finish(op);
	return TEE_SUCCESS;
}

TEE_Result TEE_AEDecryptFinal(TEE_OperationHandle operation, const void *srcData, size_t srcLen,
			      void *destData, size_t *destLen, void *tag, size_t tagLen)
{
	struct crypto_op *op = active_op(operation, TEE_OPERATION_AE);
	bool ccm = kind_of(op) == K_CCM;
	size_t need = 0;
	size_t done = 0;
	int outl = 0;
	bool ok = false;

	check_io(srcData, srcLen, destData, destLen);
	if (op->mode != TEE_MODE_DECRYPT || (!tag && tagLen)) {
		TEE_Panic(TEE_ERROR_BAD_PARAMETERS);
	}
	need = ccm ? op->acc_len + srcLen - op->ae_released : srcLen;
	if (*destLen < need) {
		*destLen = need;
		return TEE_ERROR_SHORT_BUFFER;
	}
	if (tagLen != op->ae_tag_len) {
		ae_finish(op);
		return TEE_ERROR_MAC_INVALID;
	}
	if (ccm) {
		if (!append(&op->acc, &op->acc_len, &op->acc_cap, srcData, srcLen)) {
			TEE_Panic(TEE_ERROR_OUT_OF_MEMORY);
		}
		ok = ccm_run(op, destData, tag);
		done = op->acc_len - op->ae_released;
	} else {
		done = cipher_run(op, srcData, srcLen, destData);
		ok = EVP_CIPHER_CTX_ctrl(op->cc, EVP_CTRL_AEAD_SET_TAG, (int)tagLen, tag) &&
		     EVP_CipherFinal_ex(op->cc, (uint8_t *)destData + done, &outl) == 1;
	}
	if (!ok) {
		OPENSSL_cleanse(destData, need);
		ae_finish(op);
		return TEE_ERROR_MAC_INVALID;
	}
	*destLen = done + (size_t)outl;
	ae_finish(op);
	return TEE_SUCCESS;
}
