/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * GP asymmetric operations and key derivation (Internal Core API 1.3.1, sections 6.6-6.7,
 * and OP-TEE's HKDF, Concat KDF and PBKDF2): RSA (PKCS#1 v1.5, OAEP, PSS, no padding), DSA,
 * ECDSA, Ed25519, ECDH, X25519 and DH with OpenSSL 3 keys built from the objects'
 * attributes, and the generation of those keys for TEE_GenerateKey. Ed25519ctx and
 * Ed25519ph (TEE_ATTR_EDDSA_CTX / TEE_ATTR_EDDSA_PREHASH) are crypto_eddsa.c's.
 *
 * ECDSA and DSA signatures are r || s, each as wide as the curve order / subprime (the
 * spec's format); OpenSSL's DER form is converted at this boundary.
 */
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/param_build.h>
#include <openssl/rsa.h>
#include <stdlib.h>
#include <string.h>

#include "crypto.h"
#include "crypto_eddsa.h"
#include "host.h"

enum asym_kind {
	A_RSA_PKCS1,
	A_RSA_OAEP,
	A_RSA_NOPAD,
	A_RSASSA,
	A_RSA_PSS,
	A_DSA,
	A_ECDSA,
	A_ED25519,
	A_ECDH,
	A_X25519,
	A_DH,
	A_HKDF,
	A_CONCAT_KDF,
	A_PBKDF2,
};

struct asym_desc {
	uint32_t algo;
	uint32_t cls;
	enum asym_kind kind;
	const char *md; /* hash of the algorithm (NULL: none) */
	uint32_t key_types[3];
};

#define RSA_TYPES                                                                                  \
	{                                                                                          \
		TEE_TYPE_RSA_KEYPAIR, TEE_TYPE_RSA_PUBLIC_KEY                                      \
	}
#define AC TEE_OPERATION_ASYMMETRIC_CIPHER
#define AS TEE_OPERATION_ASYMMETRIC_SIGNATURE
#define KD TEE_OPERATION_KEY_DERIVATION

static const struct asym_desc asyms[] = {
	{ TEE_ALG_RSAES_PKCS1_V1_5, AC, A_RSA_PKCS1, NULL, RSA_TYPES },
	{ TEE_ALG_RSAES_PKCS1_OAEP_MGF1_MD5, AC, A_RSA_OAEP, "MD5", RSA_TYPES },
	{ TEE_ALG_RSAES_PKCS1_OAEP_MGF1_SHA1, AC, A_RSA_OAEP, "SHA1", RSA_TYPES },
	{ TEE_ALG_RSAES_PKCS1_OAEP_MGF1_SHA224, AC, A_RSA_OAEP, "SHA224", RSA_TYPES },
	{ TEE_ALG_RSAES_PKCS1_OAEP_MGF1_SHA256, AC, A_RSA_OAEP, "SHA256", RSA_TYPES },
	{ TEE_ALG_RSAES_PKCS1_OAEP_MGF1_SHA384, AC, A_RSA_OAEP, "SHA384", RSA_TYPES },
	{ TEE_ALG_RSAES_PKCS1_OAEP_MGF1_SHA512, AC, A_RSA_OAEP, "SHA512", RSA_TYPES },
	{ TEE_ALG_RSA_NOPAD, AC, A_RSA_NOPAD, NULL, RSA_TYPES },
	{ TEE_ALG_RSASSA_PKCS1_V1_5, AS, A_RSASSA, NULL, RSA_TYPES },
	{ TEE_ALG_RSASSA_PKCS1_V1_5_MD5, AS, A_RSASSA, "MD5", RSA_TYPES },
	{ TEE_ALG_RSASSA_PKCS1_V1_5_SHA1, AS, A_RSASSA, "SHA1", RSA_TYPES },
	{ TEE_ALG_RSASSA_PKCS1_V1_5_SHA224, AS, A_RSASSA, "SHA224", RSA_TYPES },
	{ TEE_ALG_RSASSA_PKCS1_V1_5_SHA256, AS, A_RSASSA, "SHA256", RSA_TYPES },
	{ TEE_ALG_RSASSA_PKCS1_V1_5_SHA384, AS, A_RSASSA, "SHA384", RSA_TYPES },
	{ TEE_ALG_RSASSA_PKCS1_V1_5_SHA512, AS, A_RSASSA, "SHA512", RSA_TYPES },
	{ TEE_ALG_RSASSA_PKCS1_PSS_MGF1_MD5, AS, A_RSA_PSS, "MD5", RSA_TYPES },
	{ TEE_ALG_RSASSA_PKCS1_PSS_MGF1_SHA1, AS, A_RSA_PSS, "SHA1", RSA_TYPES },
	{ TEE_ALG_RSASSA_PKCS1_PSS_MGF1_SHA224, AS, A_RSA_PSS, "SHA224", RSA_TYPES },
	{ TEE_ALG_RSASSA_PKCS1_PSS_MGF1_SHA256, AS, A_RSA_PSS, "SHA256", RSA_TYPES },
	{ TEE_ALG_RSASSA_PKCS1_PSS_MGF1_SHA384, AS, A_RSA_PSS, "SHA384", RSA_TYPES },
	{ TEE_ALG_RSASSA_PKCS1_PSS_MGF1_SHA512, AS, A_RSA_PSS, "SHA512", RSA_TYPES },
	{ TEE_ALG_DSA_SHA1, AS, A_DSA, "SHA1", { TEE_TYPE_DSA_KEYPAIR, TEE_TYPE_DSA_PUBLIC_KEY } },
	{ TEE_ALG_DSA_SHA224,
	  AS,
	  A_DSA,
	  "SHA224",
	  { TEE_TYPE_DSA_KEYPAIR, TEE_TYPE_DSA_PUBLIC_KEY } },
	{ TEE_ALG_DSA_SHA256,
	  AS,
	  A_DSA,
	  "SHA256",
	  { TEE_TYPE_DSA_KEYPAIR, TEE_TYPE_DSA_PUBLIC_KEY } },
	{ TEE_ALG_ECDSA_SHA1,
	  AS,
	  A_ECDSA,
	  "SHA1",
	  { TEE_TYPE_ECDSA_KEYPAIR, TEE_TYPE_ECDSA_PUBLIC_KEY } },
	{ TEE_ALG_ECDSA_SHA224,
	  AS,
	  A_ECDSA,
	  "SHA224",
	  { TEE_TYPE_ECDSA_KEYPAIR, TEE_TYPE_ECDSA_PUBLIC_KEY } },
	{ TEE_ALG_ECDSA_SHA256,
	  AS,
	  A_ECDSA,
	  "SHA256",
	  { TEE_TYPE_ECDSA_KEYPAIR, TEE_TYPE_ECDSA_PUBLIC_KEY } },
	{ TEE_ALG_ECDSA_SHA384,
	  AS,
	  A_ECDSA,
	  "SHA384",
	  { TEE_TYPE_ECDSA_KEYPAIR, TEE_TYPE_ECDSA_PUBLIC_KEY } },
	{ TEE_ALG_ECDSA_SHA512,
	  AS,
	  A_ECDSA,
	  "SHA512",
	  { TEE_TYPE_ECDSA_KEYPAIR, TEE_TYPE_ECDSA_PUBLIC_KEY } },
	{ TEE_ALG_ED25519,
	  AS,
	  A_ED25519,
	  NULL,
	  { TEE_TYPE_ED25519_KEYPAIR, TEE_TYPE_ED25519_PUBLIC_KEY } },
	{ TEE_ALG_ECDH_DERIVE_SHARED_SECRET, KD, A_ECDH, NULL, { TEE_TYPE_ECDH_KEYPAIR } },
	{ TEE_ALG_X25519, KD, A_X25519, NULL, { TEE_TYPE_X25519_KEYPAIR } },
	{ TEE_ALG_DH_DERIVE_SHARED_SECRET, KD, A_DH, NULL, { TEE_TYPE_DH_KEYPAIR } },
	{ TEE_ALG_HKDF_MD5_DERIVE_KEY, KD, A_HKDF, "MD5", { TEE_TYPE_HKDF_IKM } },
	{ TEE_ALG_HKDF_SHA1_DERIVE_KEY, KD, A_HKDF, "SHA1", { TEE_TYPE_HKDF_IKM } },
	{ TEE_ALG_HKDF_SHA224_DERIVE_KEY, KD, A_HKDF, "SHA224", { TEE_TYPE_HKDF_IKM } },
	{ TEE_ALG_HKDF_SHA256_DERIVE_KEY, KD, A_HKDF, "SHA256", { TEE_TYPE_HKDF_IKM } },
	{ TEE_ALG_HKDF_SHA384_DERIVE_KEY, KD, A_HKDF, "SHA384", { TEE_TYPE_HKDF_IKM } },
	{ TEE_ALG_HKDF_SHA512_DERIVE_KEY, KD, A_HKDF, "SHA512", { TEE_TYPE_HKDF_IKM } },
	{ TEE_ALG_CONCAT_KDF_SHA1_DERIVE_KEY, KD, A_CONCAT_KDF, "SHA1", { TEE_TYPE_CONCAT_KDF_Z } },
	{ TEE_ALG_CONCAT_KDF_SHA224_DERIVE_KEY,
	  KD,
	  A_CONCAT_KDF,
	  "SHA224",
	  { TEE_TYPE_CONCAT_KDF_Z } },
	{ TEE_ALG_CONCAT_KDF_SHA256_DERIVE_KEY,
	  KD,
	  A_CONCAT_KDF,
	  "SHA256",
	  { TEE_TYPE_CONCAT_KDF_Z } },
	{ TEE_ALG_CONCAT_KDF_SHA384_DERIVE_KEY,
	  KD,
	  A_CONCAT_KDF,
	  "SHA384",
	  { TEE_TYPE_CONCAT_KDF_Z } },
	{ TEE_ALG_CONCAT_KDF_SHA512_DERIVE_KEY,
	  KD,
	  A_CONCAT_KDF,
	  "SHA512",
	  { TEE_TYPE_CONCAT_KDF_Z } },
	{ TEE_ALG_PBKDF2_HMAC_SHA1_DERIVE_KEY, KD, A_PBKDF2, "SHA1", { TEE_TYPE_PBKDF2_PASSWORD } },
	{ TEE_ALG_PBKDF2_HMAC_SHA224_DERIVE_KEY,
	  KD,
	  A_PBKDF2,
	  "SHA224",
	  { TEE_TYPE_PBKDF2_PASSWORD } },
	{ TEE_ALG_PBKDF2_HMAC_SHA256_DERIVE_KEY,
	  KD,
	  A_PBKDF2,
	  "SHA256",
	  { TEE_TYPE_PBKDF2_PASSWORD } },
	{ TEE_ALG_PBKDF2_HMAC_SHA384_DERIVE_KEY,
	  KD,
	  A_PBKDF2,
	  "SHA384",
	  { TEE_TYPE_PBKDF2_PASSWORD } },
	{ TEE_ALG_PBKDF2_HMAC_SHA512_DERIVE_KEY,
	  KD,
	  A_PBKDF2,
	  "SHA512",
	  { TEE_TYPE_PBKDF2_PASSWORD } },
};

static const struct asym_desc *asym_desc(uint32_t algo)
{
	for (size_t i = 0; i < sizeof(asyms) / sizeof(asyms[0]); i++) {
		if (asyms[i].algo == algo) {
			return &asyms[i];
		}
	}
	return NULL;
}

bool crypto_asym_alg(uint32_t algo, uint32_t *cls, uint32_t key_types[3])
{
	const struct asym_desc *d = asym_desc(algo);

	if (!d) {
		return false;
	}
	*cls = d->cls;
	memcpy(key_types, d->key_types, sizeof(d->key_types));
	return true;
}

bool crypto_asym_size_ok(uint32_t algo, uint32_t max_key_size)
{
	const struct asym_desc *d = asym_desc(algo);

	if (d->key_types[0] == TEE_TYPE_RSA_KEYPAIR || d->key_types[0] == TEE_TYPE_DH_KEYPAIR) {
		return max_key_size >= 256 && max_key_size <= 4096;
	}
	return crypto_type_size_ok(d->key_types[0], max_key_size);
}

const char *crypto_curve_name(uint32_t curve, uint32_t *bits)
{
	switch (curve) {
	case TEE_ECC_CURVE_NIST_P192:
		*bits = 192;
		return "P-192";
	case TEE_ECC_CURVE_NIST_P224:
		*bits = 224;
		return "P-224";
	case TEE_ECC_CURVE_NIST_P256:
		*bits = 256;
		return "P-256";
	case TEE_ECC_CURVE_NIST_P384:
		*bits = 384;
		return "P-384";
	case TEE_ECC_CURVE_NIST_P521:
		*bits = 521;
		return "P-521";
	case TEE_ECC_CURVE_25519:
		*bits = 256;
		return "X25519";
	default:
		return NULL;
	}
}

/* ---- keys: attributes <-> OpenSSL ---- */

static BIGNUM *attr_bn(const struct crypto_obj *o, uint32_t id)
{
	const struct crypto_attr *a = crypto_obj_attr(o, id);

	return a ? BN_bin2bn(a->buf, (int)a->len, NULL) : NULL;
}

/* Pushes BN attribute id as OpenSSL parameter name (skipped if the object lacks it). */
static bool push_bn(OSSL_PARAM_BLD *bld, const struct crypto_obj *o, uint32_t id, const char *name,
		    BIGNUM **keep)
{
	*keep = attr_bn(o, id);
	if (!*keep) {
		return crypto_obj_attr(o, id) == NULL;
	}
	return OSSL_PARAM_BLD_push_BN(bld, name, *keep);
}

static EVP_PKEY *pkey_fromdata(const char *alg, OSSL_PARAM_BLD *bld, bool priv)
{
	OSSL_PARAM *params = OSSL_PARAM_BLD_to_param(bld);
	EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_name(NULL, alg, NULL);
	EVP_PKEY *pk = NULL;

	if (params && ctx && EVP_PKEY_fromdata_init(ctx) > 0) {
		if (EVP_PKEY_fromdata(ctx, &pk, priv ? EVP_PKEY_KEYPAIR : EVP_PKEY_PUBLIC_KEY,
				      params) <= 0) {
			pk = NULL;
		}
	}
	OSSL_PARAM_free(params);
	EVP_PKEY_CTX_free(ctx);
	return pk;
}

static EVP_PKEY *ec_pkey(const struct crypto_obj *o)
{
	const struct crypto_attr *c = crypto_obj_attr(o, TEE_ATTR_ECC_CURVE);
	const struct crypto_attr *x = crypto_obj_attr(o, TEE_ATTR_ECC_PUBLIC_VALUE_X);
	const struct crypto_attr *y = crypto_obj_attr(o, TEE_ATTR_ECC_PUBLIC_VALUE_Y);
	OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
	BIGNUM *d = NULL;
	uint8_t pt[1 + 2 * 66];
	uint32_t bits = 0;
	const char *curve = c ? crypto_curve_name(c->a, &bits) : NULL;
	size_t n = (bits + 7) / 8;
	EVP_PKEY *pk = NULL;
	bool priv = crypto_obj_attr(o, TEE_ATTR_ECC_PRIVATE_VALUE) != NULL;

	if (!bld || !curve || c->a == TEE_ECC_CURVE_25519 || !x || !y || x->len > n || y->len > n) {
		goto out;
	}
	/* uncompressed point: 04 || X || Y, each left-padded to the field size */
	memset(pt, 0, sizeof(pt));
	pt[0] = 4;
	memcpy(pt + 1 + n - x->len, x->buf, x->len);
	memcpy(pt + 1 + 2 * n - y->len, y->buf, y->len);
	if (!OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME, curve, 0) ||
	    !OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY, pt, 1 + 2 * n) ||
	    !push_bn(bld, o, TEE_ATTR_ECC_PRIVATE_VALUE, OSSL_PKEY_PARAM_PRIV_KEY, &d)) {
		goto out;
	}
	pk = pkey_fromdata("EC", bld, priv);
	if (pk) {
		/* the point must be on the curve (and match the private key) */
		EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_pkey(NULL, pk, NULL);

		if (!ctx || EVP_PKEY_public_check(ctx) != 1) {
			EVP_PKEY_free(pk);
			pk = NULL;
		}
		EVP_PKEY_CTX_free(ctx);
	}
out:
	BN_clear_free(d);
	OSSL_PARAM_BLD_free(bld);
	return pk;
}

EVP_PKEY *crypto_pkey_from_obj(const struct crypto_obj *o)
{
	OSSL_PARAM_BLD *bld = NULL;
	BIGNUM *bn[8] = { NULL };
	EVP_PKEY *pk = NULL;
	const struct crypto_attr *pub = NULL;
	const struct crypto_attr *priv = NULL;
	bool ok = true;

	switch (o->type) {
	case TEE_TYPE_ECDSA_KEYPAIR:
	case TEE_TYPE_ECDSA_PUBLIC_KEY:
	case TEE_TYPE_ECDH_KEYPAIR:
	case TEE_TYPE_ECDH_PUBLIC_KEY:
		return ec_pkey(o);
	case TEE_TYPE_ED25519_KEYPAIR:
	case TEE_TYPE_ED25519_PUBLIC_KEY:
		pub = crypto_obj_attr(o, TEE_ATTR_ED25519_PUBLIC_VALUE);
		priv = crypto_obj_attr(o, TEE_ATTR_ED25519_PRIVATE_VALUE);
		if (priv) {
			/* the public value must be the one of the private key: a pair that
			 * is not is refused (TEE_PopulateTransientObject: BAD_PARAMETERS).
			 * OP-TEE accepts it and signs with the value given; signatures of
			 * one message under two public values disclose the scalar. */
			size_t len = 32;
			uint8_t derived[32];

			pk = EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, NULL, priv->buf,
							  priv->len);
			if (pk && (EVP_PKEY_get_raw_public_key(pk, derived, &len) != 1 ||
				   len != pub->len || memcmp(derived, pub->buf, len))) {
				EVP_PKEY_free(pk);
				pk = NULL;
			}
			return pk;
		}
		return EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, NULL, pub->buf, pub->len);
	case TEE_TYPE_X25519_KEYPAIR:
	case TEE_TYPE_X25519_PUBLIC_KEY:
		pub = crypto_obj_attr(o, TEE_ATTR_X25519_PUBLIC_VALUE);
		priv = crypto_obj_attr(o, TEE_ATTR_X25519_PRIVATE_VALUE);
		if (priv) {
			return EVP_PKEY_new_raw_private_key(EVP_PKEY_X25519, NULL, priv->buf,
							    priv->len);
		}
		return EVP_PKEY_new_raw_public_key(EVP_PKEY_X25519, NULL, pub->buf, pub->len);
	default:
		break;
	}
	bld = OSSL_PARAM_BLD_new();
	if (!bld) {
		return NULL;
	}
	switch (o->type) {
	case TEE_TYPE_RSA_KEYPAIR:
	case TEE_TYPE_RSA_PUBLIC_KEY:
		ok = push_bn(bld, o, TEE_ATTR_RSA_MODULUS, OSSL_PKEY_PARAM_RSA_N, &bn[0]) &&
		     push_bn(bld, o, TEE_ATTR_RSA_PUBLIC_EXPONENT, OSSL_PKEY_PARAM_RSA_E, &bn[1]) &&
		     push_bn(bld, o, TEE_ATTR_RSA_PRIVATE_EXPONENT, OSSL_PKEY_PARAM_RSA_D,
			     &bn[2]) &&
		     push_bn(bld, o, TEE_ATTR_RSA_PRIME1, OSSL_PKEY_PARAM_RSA_FACTOR1, &bn[3]) &&
		     push_bn(bld, o, TEE_ATTR_RSA_PRIME2, OSSL_PKEY_PARAM_RSA_FACTOR2, &bn[4]) &&
		     push_bn(bld, o, TEE_ATTR_RSA_EXPONENT1, OSSL_PKEY_PARAM_RSA_EXPONENT1,
			     &bn[5]) &&
		     push_bn(bld, o, TEE_ATTR_RSA_EXPONENT2, OSSL_PKEY_PARAM_RSA_EXPONENT2,
			     &bn[6]) &&
		     push_bn(bld, o, TEE_ATTR_RSA_COEFFICIENT, OSSL_PKEY_PARAM_RSA_COEFFICIENT1,
			     &bn[7]);
		if (ok) {
			pk = pkey_fromdata("RSA", bld, o->type == TEE_TYPE_RSA_KEYPAIR);
		}
		break;
	case TEE_TYPE_DSA_KEYPAIR:
	case TEE_TYPE_DSA_PUBLIC_KEY:
		ok = push_bn(bld, o, TEE_ATTR_DSA_PRIME, OSSL_PKEY_PARAM_FFC_P, &bn[0]) &&
		     push_bn(bld, o, TEE_ATTR_DSA_SUBPRIME, OSSL_PKEY_PARAM_FFC_Q, &bn[1]) &&
		     push_bn(bld, o, TEE_ATTR_DSA_BASE, OSSL_PKEY_PARAM_FFC_G, &bn[2]) &&
		     push_bn(bld, o, TEE_ATTR_DSA_PUBLIC_VALUE, OSSL_PKEY_PARAM_PUB_KEY, &bn[3]) &&
		     push_bn(bld, o, TEE_ATTR_DSA_PRIVATE_VALUE, OSSL_PKEY_PARAM_PRIV_KEY, &bn[4]);
		if (ok) {
			pk = pkey_fromdata("DSA", bld, o->type == TEE_TYPE_DSA_KEYPAIR);
		}
		break;
	case TEE_TYPE_DH_KEYPAIR:
		ok = push_bn(bld, o, TEE_ATTR_DH_PRIME, OSSL_PKEY_PARAM_FFC_P, &bn[0]) &&
		     push_bn(bld, o, TEE_ATTR_DH_SUBPRIME, OSSL_PKEY_PARAM_FFC_Q, &bn[1]) &&
		     push_bn(bld, o, TEE_ATTR_DH_BASE, OSSL_PKEY_PARAM_FFC_G, &bn[2]) &&
		     push_bn(bld, o, TEE_ATTR_DH_PUBLIC_VALUE, OSSL_PKEY_PARAM_PUB_KEY, &bn[3]) &&
		     push_bn(bld, o, TEE_ATTR_DH_PRIVATE_VALUE, OSSL_PKEY_PARAM_PRIV_KEY, &bn[4]);
		if (ok) {
			pk = pkey_fromdata("DH", bld, true);
		}
		break;
	default:
		break;
	}
	for (size_t i = 0; i < 8; i++) {
		BN_clear_free(bn[i]);
	}
	OSSL_PARAM_BLD_free(bld);
	return pk;
}

/* Stores BN parameter name of pk as attribute id (big-endian). */
static bool export_bn(struct crypto_obj *o, EVP_PKEY *pk, const char *name, uint32_t id)
{
	BIGNUM *bn = NULL;
	uint8_t *buf = NULL;
	int len = 0;
	bool ok = false;

	if (!EVP_PKEY_get_bn_param(pk, name, &bn)) {
		return false;
	}
	len = BN_num_bytes(bn);
	buf = malloc(len ? (size_t)len : 1);
	if (buf) {
		BN_bn2bin(bn, buf);
		ok = crypto_obj_add_buf(o, id, buf, (size_t)len) == 0;
		crypto_free_secret(buf, (size_t)len);
	}
	BN_clear_free(bn);
	return ok;
}

static const TEE_Attribute *find_param(const TEE_Attribute *params, uint32_t count, uint32_t id)
{
	for (uint32_t i = 0; i < count; i++) {
		if (params[i].attributeID == id) {
			return &params[i];
		}
	}
	return NULL;
}

static bool copy_param(struct crypto_obj *o, const TEE_Attribute *params, uint32_t count,
		       uint32_t id)
{
	const TEE_Attribute *p = find_param(params, count, id);

	return p && crypto_obj_add_buf(o, id, p->content.ref.buffer, p->content.ref.length) == 0;
}

TEE_Result crypto_pkey_generate(struct crypto_obj *o, uint32_t key_size,
				const TEE_Attribute *params, uint32_t count)
{
	EVP_PKEY *pk = NULL;
	EVP_PKEY_CTX *ctx = NULL;
	TEE_Result res = TEE_ERROR_GENERIC;
	bool ok = false;

	switch (o->type) {
	case TEE_TYPE_RSA_KEYPAIR: {
		const TEE_Attribute *e = find_param(params, count, TEE_ATTR_RSA_PUBLIC_EXPONENT);
		BIGNUM *ebn = e ? BN_bin2bn(e->content.ref.buffer, (int)e->content.ref.length, NULL)
				: NULL;
		size_t bits = key_size;
		OSSL_PARAM p[3] = { OSSL_PARAM_construct_size_t(OSSL_PKEY_PARAM_RSA_BITS, &bits),
				    OSSL_PARAM_construct_end(), OSSL_PARAM_construct_end() };
		uint8_t ebuf[8];

		if (e && (!ebn || BN_num_bytes(ebn) > 8 || !BN_is_odd(ebn) || BN_is_one(ebn))) {
			BN_free(ebn);
			return TEE_ERROR_BAD_PARAMETERS;
		}
		if (ebn) {
			int n = BN_bn2nativepad(ebn, ebuf, sizeof(ebuf));

			p[1] = OSSL_PARAM_construct_BN(OSSL_PKEY_PARAM_RSA_E, ebuf, (size_t)n);
		}
		if (key_size < 512) {
			/* EVP refuses RSA keys this small; GP and OP-TEE start at 256 */
			res = crypto_keygen_rsa(o, key_size, ebn);
			BN_free(ebn);
			break;
		}
		ctx = EVP_PKEY_CTX_new_from_name(NULL, "RSA", NULL);
		ok = ctx && EVP_PKEY_keygen_init(ctx) > 0 && EVP_PKEY_CTX_set_params(ctx, p) &&
		     EVP_PKEY_keygen(ctx, &pk) > 0;
		BN_free(ebn);
		ok = ok && export_bn(o, pk, OSSL_PKEY_PARAM_RSA_N, TEE_ATTR_RSA_MODULUS) &&
		     export_bn(o, pk, OSSL_PKEY_PARAM_RSA_E, TEE_ATTR_RSA_PUBLIC_EXPONENT) &&
		     export_bn(o, pk, OSSL_PKEY_PARAM_RSA_D, TEE_ATTR_RSA_PRIVATE_EXPONENT) &&
		     export_bn(o, pk, OSSL_PKEY_PARAM_RSA_FACTOR1, TEE_ATTR_RSA_PRIME1) &&
		     export_bn(o, pk, OSSL_PKEY_PARAM_RSA_FACTOR2, TEE_ATTR_RSA_PRIME2) &&
		     export_bn(o, pk, OSSL_PKEY_PARAM_RSA_EXPONENT1, TEE_ATTR_RSA_EXPONENT1) &&
		     export_bn(o, pk, OSSL_PKEY_PARAM_RSA_EXPONENT2, TEE_ATTR_RSA_EXPONENT2) &&
		     export_bn(o, pk, OSSL_PKEY_PARAM_RSA_COEFFICIENT1, TEE_ATTR_RSA_COEFFICIENT);
		res = ok ? TEE_SUCCESS : TEE_ERROR_GENERIC;
		break;
	}
	case TEE_TYPE_ECDSA_KEYPAIR:
	case TEE_TYPE_ECDH_KEYPAIR: {
		const TEE_Attribute *c = find_param(params, count, TEE_ATTR_ECC_CURVE);
		uint32_t bits = 0;
		const char *curve = c ? crypto_curve_name(c->content.value.a, &bits) : NULL;
		uint8_t pt[1 + 2 * 66];
		size_t len = 0;
		size_t n = (bits + 7) / 8;

		if (!curve || c->content.value.a == TEE_ECC_CURVE_25519 || bits != key_size) {
			return TEE_ERROR_BAD_PARAMETERS;
		}
		pk = EVP_PKEY_Q_keygen(NULL, NULL, "EC", curve);
		ok = pk &&
		     EVP_PKEY_get_octet_string_param(pk, OSSL_PKEY_PARAM_PUB_KEY, pt, sizeof(pt),
						     &len) &&
		     len == 1 + 2 * n &&
		     crypto_obj_add_value(o, TEE_ATTR_ECC_CURVE, c->content.value.a, 0) == 0 &&
		     crypto_obj_add_buf(o, TEE_ATTR_ECC_PUBLIC_VALUE_X, pt + 1, n) == 0 &&
		     crypto_obj_add_buf(o, TEE_ATTR_ECC_PUBLIC_VALUE_Y, pt + 1 + n, n) == 0 &&
		     export_bn(o, pk, OSSL_PKEY_PARAM_PRIV_KEY, TEE_ATTR_ECC_PRIVATE_VALUE);
		res = ok ? TEE_SUCCESS : TEE_ERROR_GENERIC;
		break;
	}
	case TEE_TYPE_ED25519_KEYPAIR:
	case TEE_TYPE_X25519_KEYPAIR: {
		bool ed = o->type == TEE_TYPE_ED25519_KEYPAIR;
		uint8_t pub[32], priv[32];
		size_t pl = sizeof(pub), sl = sizeof(priv);

		pk = EVP_PKEY_Q_keygen(NULL, NULL, ed ? "ED25519" : "X25519");
		ok = pk && EVP_PKEY_get_raw_public_key(pk, pub, &pl) &&
		     EVP_PKEY_get_raw_private_key(pk, priv, &sl) &&
		     crypto_obj_add_buf(
			     o, ed ? TEE_ATTR_ED25519_PUBLIC_VALUE : TEE_ATTR_X25519_PUBLIC_VALUE,
			     pub, pl) == 0 &&
		     crypto_obj_add_buf(
			     o, ed ? TEE_ATTR_ED25519_PRIVATE_VALUE : TEE_ATTR_X25519_PRIVATE_VALUE,
			     priv, sl) == 0;
		OPENSSL_cleanse(priv, sizeof(priv));
		res = ok ? TEE_SUCCESS : TEE_ERROR_GENERIC;
		break;
	}
	case TEE_TYPE_DH_KEYPAIR:
	case TEE_TYPE_DSA_KEYPAIR: {
		bool dh = o->type == TEE_TYPE_DH_KEYPAIR;
		uint32_t p_id = dh ? TEE_ATTR_DH_PRIME : TEE_ATTR_DSA_PRIME;
		uint32_t q_id = dh ? TEE_ATTR_DH_SUBPRIME : TEE_ATTR_DSA_SUBPRIME;
		uint32_t g_id = dh ? TEE_ATTR_DH_BASE : TEE_ATTR_DSA_BASE;
		const TEE_Attribute *xbits =
			dh ? find_param(params, count, TEE_ATTR_DH_X_BITS) : NULL;

		if (!find_param(params, count, p_id) || !find_param(params, count, g_id) ||
		    (!dh && !find_param(params, count, q_id))) {
			return TEE_ERROR_BAD_PARAMETERS;
		}
		if (!copy_param(o, params, count, p_id) || !copy_param(o, params, count, g_id) ||
		    (find_param(params, count, q_id) && !copy_param(o, params, count, q_id))) {
			return TEE_ERROR_OUT_OF_MEMORY;
		}
		/* the values on BIGNUMs (crypto_keygen.c): EVP refuses small primes */
		res = crypto_keygen_ffc(o, key_size, dh, xbits ? xbits->content.value.a : 0);
		break;
	}
	default:
		res = TEE_ERROR_NOT_SUPPORTED;
		break;
	}
	EVP_PKEY_free(pk);
	EVP_PKEY_CTX_free(ctx);
	return res;
}

/* ---- operations ---- */

static bool is_keypair(uint32_t type)
{
	return (type & 0x01000000u) != 0;
}

TEE_Result crypto_asym_set_key(struct crypto_op *op)
{
	const struct asym_desc *d = asym_desc(op->algo);

	/* private-key operations need a key pair */
	if ((op->mode == TEE_MODE_DECRYPT || op->mode == TEE_MODE_SIGN ||
	     op->mode == TEE_MODE_DERIVE) &&
	    !is_keypair(op->key1->type) && d->kind != A_HKDF && d->kind != A_CONCAT_KDF &&
	    d->kind != A_PBKDF2) {
		return TEE_ERROR_BAD_PARAMETERS;
	}
	if (d->kind == A_HKDF || d->kind == A_CONCAT_KDF || d->kind == A_PBKDF2) {
		return TEE_SUCCESS; /* the secret is used as it is */
	}
	op->pkey = crypto_pkey_from_obj(op->key1);
	return op->pkey ? TEE_SUCCESS : TEE_ERROR_BAD_PARAMETERS;
}

static struct crypto_op *asym_op(TEE_OperationHandle handle, uint32_t cls, uint32_t mode)
{
	struct crypto_op *op = crypto_op_get(handle);

	if (op->cls != cls || op->mode != mode) {
		TEE_Panic(TEE_ERROR_BAD_PARAMETERS);
	}
	if (!(op->handle_state & TEE_HANDLE_FLAG_KEY_SET)) {
		TEE_Panic(TEE_ERROR_BAD_STATE);
	}
	return op;
}

/* A context for op's key with the algorithm's padding and hashes set. */
/*
 * OAEP's MGF1 hash: the algorithm's own, or OP-TEE's TEE_ATTR_RSA_OAEP_MGF_HASH (a buffer
 * holding the uint32_t TEE_ALG_* of a digest). NULL for a malformed or unknown one.
 */
static const EVP_MD *oaep_mgf_md(const TEE_Attribute *params, uint32_t count, const EVP_MD *own)
{
	const TEE_Attribute *p = find_param(params, count, TEE_ATTR_RSA_OAEP_MGF_HASH);
	uint32_t algo = 0;
	const EVP_MD *md = NULL;

	if (!p) {
		return own;
	}
	if (p->content.ref.length != sizeof(algo) || !p->content.ref.buffer) {
		host_log(1, "TEE_ATTR_RSA_OAEP_MGF_HASH: %zu bytes, not a uint32_t algorithm",
			 (size_t)p->content.ref.length);
		return NULL;
	}
	memcpy(&algo, p->content.ref.buffer, sizeof(algo));
	if ((algo & 0xFFFFFF00) == 0x50000000) { /* a fixed-size TEE_ALG_* digest */
		md = crypto_md_of_hash(algo & 0xFF);
	}
	if (!md) {
		host_log(1, "TEE_ATTR_RSA_OAEP_MGF_HASH: 0x%08x is no digest", algo);
	}
	return md;
}

static EVP_PKEY_CTX *pkey_ctx(struct crypto_op *op, const struct asym_desc *d,
			      const TEE_Attribute *params, uint32_t count)
{
	EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_pkey(NULL, op->pkey, NULL);
	int rc = 0;

	if (!ctx) {
		return NULL;
	}
	switch (op->mode) {
	case TEE_MODE_ENCRYPT:
		rc = EVP_PKEY_encrypt_init(ctx);
		break;
	case TEE_MODE_DECRYPT:
		rc = EVP_PKEY_decrypt_init(ctx);
		break;
	case TEE_MODE_SIGN:
		rc = EVP_PKEY_sign_init(ctx);
		break;
	default:
		rc = EVP_PKEY_verify_init(ctx);
		break;
	}
	if (rc <= 0) {
		goto fail;
	}
	switch (d->kind) {
	case A_RSA_PKCS1:
	case A_RSASSA:
		rc = EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_PADDING);
		break;
	case A_RSA_NOPAD:
		rc = EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_NO_PADDING);
		break;
	case A_RSA_OAEP: {
		const TEE_Attribute *label = find_param(params, count, TEE_ATTR_RSA_OAEP_LABEL);
		const EVP_MD *mgf_md = oaep_mgf_md(params, count, EVP_get_digestbyname(d->md));

		if (!mgf_md) {
			EVP_PKEY_CTX_free(ctx);
			TEE_Panic(TEE_ERROR_BAD_PARAMETERS);
		}
		rc = EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_OAEP_PADDING) > 0 &&
		     EVP_PKEY_CTX_set_rsa_oaep_md(ctx, EVP_get_digestbyname(d->md)) > 0 &&
		     EVP_PKEY_CTX_set_rsa_mgf1_md(ctx, mgf_md) > 0;
		if (rc && label && label->content.ref.length) {
			void *copy = OPENSSL_memdup(label->content.ref.buffer,
						    label->content.ref.length);

			rc = copy && EVP_PKEY_CTX_set0_rsa_oaep_label(
					     ctx, copy, (int)label->content.ref.length) > 0;
			if (!rc) {
				OPENSSL_free(copy);
			}
		}
		break;
	}
	case A_RSA_PSS: {
		const TEE_Attribute *salt = find_param(params, count, TEE_ATTR_RSA_PSS_SALT_LENGTH);
		const EVP_MD *md = EVP_get_digestbyname(d->md);

		rc = EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_PSS_PADDING) > 0 &&
		     EVP_PKEY_CTX_set_rsa_mgf1_md(ctx, md) > 0 &&
		     EVP_PKEY_CTX_set_rsa_pss_saltlen(ctx, salt ? (int)salt->content.value.a
								: EVP_MD_get_size(md)) > 0;
		break;
	}
	default:
		rc = 1;
		break;
	}
	if (rc > 0 && d->md && (d->kind == A_RSASSA || d->kind == A_RSA_PSS)) {
		rc = EVP_PKEY_CTX_set_signature_md(ctx, EVP_get_digestbyname(d->md));
	}
	if (rc > 0) {
		return ctx;
	}
fail:
	EVP_PKEY_CTX_free(ctx);
	return NULL;
}

static size_t modulus_bytes(const struct crypto_op *op)
{
	return ((size_t)op->key_size + 7) / 8;
}

static TEE_Result rsa_crypt(TEE_OperationHandle operation, uint32_t mode,
			    const TEE_Attribute *params, uint32_t count, const void *src,
			    size_t src_len, void *dst, size_t *dst_len)
{
	struct crypto_op *op = asym_op(operation, TEE_OPERATION_ASYMMETRIC_CIPHER, mode);
	const struct asym_desc *d = asym_desc(op->algo);
	size_t k = modulus_bytes(op);
	EVP_PKEY_CTX *ctx = NULL;
	uint8_t *in = NULL;
	uint8_t *out = NULL;
	size_t out_len = k;
	TEE_Result res = TEE_SUCCESS;

	if ((!src && src_len) || !dst_len || (!dst && *dst_len) || (count && !params)) {
		TEE_Panic(TEE_ERROR_BAD_PARAMETERS);
	}
	if (mode == TEE_MODE_ENCRYPT && *dst_len < k) {
		*dst_len = k;
		return TEE_ERROR_SHORT_BUFFER;
	}
	if (src_len > k) {
		return TEE_ERROR_BAD_PARAMETERS;
	}
	/* no padding: the input is a number below the modulus, left-padded to its size */
	in = calloc(1, k);
	out = malloc(k);
	ctx = pkey_ctx(op, d, params, count);
	if (!in || !out || !ctx) {
		res = ctx ? TEE_ERROR_OUT_OF_MEMORY : TEE_ERROR_BAD_PARAMETERS;
		goto out;
	}
	if (d->kind == A_RSA_NOPAD) {
		memcpy(in + k - src_len, src, src_len);
	} else if (src_len) {
		memcpy(in, src, src_len);
	}
	if (mode == TEE_MODE_ENCRYPT) {
		if (EVP_PKEY_encrypt(ctx, out, &out_len, in,
				     d->kind == A_RSA_NOPAD ? k : src_len) <= 0) {
			res = TEE_ERROR_BAD_PARAMETERS; /* message too long for the padding */
			goto out;
		}
	} else if (EVP_PKEY_decrypt(ctx, out, &out_len, in, d->kind == A_RSA_NOPAD ? k : src_len) <=
		   0) {
		res = TEE_ERROR_CIPHERTEXT_INVALID;
		goto out;
	}
	if (d->kind == A_RSA_NOPAD) {
		/* OP-TEE returns the number without its leading zero bytes (one if it is 0) */
		size_t zeros = 0;

		while (zeros + 1 < out_len && out[zeros] == 0) {
			zeros++;
		}
		res = crypto_put(out + zeros, out_len - zeros, dst, dst_len);
		goto out;
	}
	res = crypto_put(out, out_len, dst, dst_len);
out:
	EVP_PKEY_CTX_free(ctx);
	crypto_free_secret(in, k);
	crypto_free_secret(out, k);
	if (res != TEE_SUCCESS && res != TEE_ERROR_SHORT_BUFFER &&
	    res != TEE_ERROR_BAD_PARAMETERS && res != TEE_ERROR_CIPHERTEXT_INVALID) {
		TEE_Panic(res);
	}
	return res;
}

TEE_Result TEE_AsymmetricEncrypt(TEE_OperationHandle operation, const TEE_Attribute *params,
				 uint32_t paramCount, const void *srcData, size_t srcLen,
				 void *destData, size_t *destLen)
{
	return rsa_crypt(operation, TEE_MODE_ENCRYPT, params, paramCount, srcData, srcLen, destData,
			 destLen);
}

TEE_Result TEE_AsymmetricDecrypt(TEE_OperationHandle operation, const TEE_Attribute *params,
				 uint32_t paramCount, const void *srcData, size_t srcLen,
				 void *destData, size_t *destLen)
{
	return rsa_crypt(operation, TEE_MODE_DECRYPT, params, paramCount, srcData, srcLen, destData,
			 destLen);
}

/* Width of r and s in a DSA/ECDSA signature of op's key. */
static size_t rs_width(const struct crypto_op *op, const struct asym_desc *d)
{
	if (d->kind == A_ECDSA) {
		return ((size_t)op->key_size + 7) / 8;
	}
	return crypto_obj_attr(op->key1, TEE_ATTR_DSA_SUBPRIME)->len;
}

static size_t sig_len(const struct crypto_op *op, const struct asym_desc *d)
{
	switch (d->kind) {
	case A_ECDSA:
	case A_DSA:
		return 2 * rs_width(op, d);
	case A_ED25519:
		return 64;
	default:
		return modulus_bytes(op);
	}
}

/*
 * The Ed25519 instance a TA asks for with its parameters, as OP-TEE reads them:
 * TEE_ATTR_EDDSA_PREHASH (value a = 0 or 1, b = 0) and at most one TEE_ATTR_EDDSA_CTX of
 * at most 255 bytes; an empty context without pre-hash is pure Ed25519. Anything else is
 * the TA's error (false: the caller panics with TEE_ERROR_BAD_PARAMETERS).
 */
static bool eddsa_variant(const TEE_Attribute *params, uint32_t count,
			  struct crypto_eddsa_variant *v)
{
	bool have_ctx = false;

	memset(v, 0, sizeof(*v));
	for (uint32_t i = 0; i < count; i++) {
		const TEE_Attribute *p = &params[i];

		switch (p->attributeID) {
		case TEE_ATTR_EDDSA_PREHASH:
			if (p->content.value.a > 1 || p->content.value.b) {
				host_log(1, "Ed25519: TEE_ATTR_EDDSA_PREHASH is 0 or 1, not %u/%u",
					 p->content.value.a, p->content.value.b);
				return false;
			}
			v->ph = p->content.value.a == 1;
			break;
		case TEE_ATTR_EDDSA_CTX:
			if (have_ctx || p->content.ref.length > CRYPTO_EDDSA_MAX_CTX ||
			    (!p->content.ref.buffer && p->content.ref.length)) {
				host_log(1,
					 "Ed25519: one TEE_ATTR_EDDSA_CTX of at most %d bytes "
					 "(got %zu)",
					 CRYPTO_EDDSA_MAX_CTX, (size_t)p->content.ref.length);
				return false;
			}
			have_ctx = true;
			v->ctx = p->content.ref.buffer;
			v->ctx_len = p->content.ref.length;
			break;
		default:
			host_log(1, "Ed25519: attribute 0x%08x is not a parameter of it",
				 p->attributeID);
			return false;
		}
	}
	v->dom = v->ph || v->ctx_len > 0;
	return true;
}

static TEE_Result eddsa_sign(struct crypto_op *op, const struct crypto_eddsa_variant *v,
			     const void *msg, size_t msg_len, void *signature, size_t *signatureLen)
{
	const struct crypto_attr *seed = crypto_obj_attr(op->key1, TEE_ATTR_ED25519_PRIVATE_VALUE);
	const struct crypto_attr *pub = crypto_obj_attr(op->key1, TEE_ATTR_ED25519_PUBLIC_VALUE);
	EVP_MD_CTX *mctx = NULL;
	size_t sl = CRYPTO_EDDSA_SIG_LEN;
	TEE_Result res = TEE_ERROR_GENERIC;

	if (v->dom) {
		/* Ed25519ctx / Ed25519ph: OpenSSL 3.0 has no instance parameter */
		if (seed && pub && seed->len == 32 && pub->len == 32 &&
		    crypto_eddsa_sign(signature, seed->buf, pub->buf, v, msg, msg_len) == 0) {
			*signatureLen = CRYPTO_EDDSA_SIG_LEN;
			res = TEE_SUCCESS;
		}
		return res;
	}
	mctx = EVP_MD_CTX_new();
	if (mctx && EVP_DigestSignInit_ex(mctx, NULL, NULL, NULL, NULL, op->pkey, NULL) &&
	    EVP_DigestSign(mctx, signature, &sl, msg, msg_len)) {
		*signatureLen = sl;
		res = TEE_SUCCESS;
	}
	EVP_MD_CTX_free(mctx);
	return res;
}

static bool eddsa_verify(struct crypto_op *op, const struct crypto_eddsa_variant *v,
			 const void *msg, size_t msg_len, const void *signature,
			 size_t signatureLen)
{
	const struct crypto_attr *pub = crypto_obj_attr(op->key1, TEE_ATTR_ED25519_PUBLIC_VALUE);
	EVP_MD_CTX *mctx = NULL;
	bool ok = false;

	if (v->dom) {
		return pub && pub->len == 32 &&
		       crypto_eddsa_verify(signature, signatureLen, pub->buf, v, msg, msg_len);
	}
	mctx = EVP_MD_CTX_new();
	ok = mctx && EVP_DigestVerifyInit_ex(mctx, NULL, NULL, NULL, NULL, op->pkey, NULL) &&
	     EVP_DigestVerify(mctx, signature, signatureLen, msg, msg_len) == 1;
	EVP_MD_CTX_free(mctx);
	return ok;
}

TEE_Result TEE_AsymmetricSignDigest(TEE_OperationHandle operation, const TEE_Attribute *params,
				    uint32_t paramCount, const void *digest, size_t digestLen,
				    void *signature, size_t *signatureLen)
{
	struct crypto_op *op =
		asym_op(operation, TEE_OPERATION_ASYMMETRIC_SIGNATURE, TEE_MODE_SIGN);
	const struct asym_desc *d = asym_desc(op->algo);
	size_t need = sig_len(op, d);
	size_t der_len = 0;
	uint8_t *der = NULL;
	EVP_PKEY_CTX *ctx = NULL;
	TEE_Result res = TEE_ERROR_GENERIC;

	if ((!digest && digestLen) || !signatureLen || (!signature && *signatureLen) ||
	    (paramCount && !params)) {
		TEE_Panic(TEE_ERROR_BAD_PARAMETERS);
	}
	if (d->md && d->kind != A_ECDSA && d->kind != A_DSA &&
	    digestLen != (size_t)EVP_MD_get_size(EVP_get_digestbyname(d->md))) {
		host_log(1, "TEE_AsymmetricSignDigest: digest of %zu bytes for a %s signature",
			 digestLen, d->md);
		TEE_Panic(TEE_ERROR_BAD_PARAMETERS);
	}
	if (*signatureLen < need) {
		*signatureLen = need;
		return TEE_ERROR_SHORT_BUFFER;
	}
	if (d->kind == A_ED25519) {
		struct crypto_eddsa_variant v;

		if (!eddsa_variant(params, paramCount, &v)) {
			TEE_Panic(TEE_ERROR_BAD_PARAMETERS);
		}
		res = eddsa_sign(op, &v, digest, digestLen, signature, signatureLen);
		goto out;
	}
	ctx = pkey_ctx(op, d, params, paramCount);
	if (!ctx) {
		goto out;
	}
	if (d->kind == A_ECDSA || d->kind == A_DSA) {
		/* DER from OpenSSL, r || s for GP */
		size_t w = rs_width(op, d);
		const unsigned char *p = NULL;
		ECDSA_SIG *sig = NULL;

		if (EVP_PKEY_sign(ctx, NULL, &der_len, digest, digestLen) <= 0 ||
		    !(der = malloc(der_len)) ||
		    EVP_PKEY_sign(ctx, der, &der_len, digest, digestLen) <= 0) {
			goto out;
		}
		p = der;
		sig = d2i_ECDSA_SIG(NULL, &p, (long)der_len);
		if (sig && BN_bn2binpad(ECDSA_SIG_get0_r(sig), signature, (int)w) == (int)w &&
		    BN_bn2binpad(ECDSA_SIG_get0_s(sig), (uint8_t *)signature + w, (int)w) ==
			    (int)w) {
			*signatureLen = 2 * w;
			res = TEE_SUCCESS;
		}
		ECDSA_SIG_free(sig);
		goto out;
	}
	der_len = need;
	if (EVP_PKEY_sign(ctx, signature, &der_len, digest, digestLen) > 0) {
		*signatureLen = der_len;
		res = TEE_SUCCESS;
	}
out:
	free(der);
	EVP_PKEY_CTX_free(ctx);
	if (res != TEE_SUCCESS) {
		TEE_Panic(res);
	}
	return res;
}

TEE_Result TEE_AsymmetricVerifyDigest(TEE_OperationHandle operation, const TEE_Attribute *params,
				      uint32_t paramCount, const void *digest, size_t digestLen,
				      const void *signature, size_t signatureLen)
{
	struct crypto_op *op =
		asym_op(operation, TEE_OPERATION_ASYMMETRIC_SIGNATURE, TEE_MODE_VERIFY);
	const struct asym_desc *d = asym_desc(op->algo);
	EVP_PKEY_CTX *ctx = NULL;
	uint8_t *der = NULL;
	int der_len = 0;
	int rc = 0;

	if ((!digest && digestLen) || (!signature && signatureLen) || (paramCount && !params)) {
		TEE_Panic(TEE_ERROR_BAD_PARAMETERS);
	}
	if (d->md && d->kind != A_ECDSA && d->kind != A_DSA &&
	    digestLen != (size_t)EVP_MD_get_size(EVP_get_digestbyname(d->md))) {
		TEE_Panic(TEE_ERROR_BAD_PARAMETERS);
	}
	if (d->kind == A_ED25519) {
		struct crypto_eddsa_variant v;

		if (!eddsa_variant(params, paramCount, &v)) {
			TEE_Panic(TEE_ERROR_BAD_PARAMETERS);
		}
		return eddsa_verify(op, &v, digest, digestLen, signature, signatureLen)
			       ? TEE_SUCCESS
			       : TEE_ERROR_SIGNATURE_INVALID;
	}
	ctx = pkey_ctx(op, d, params, paramCount);
	if (!ctx) {
		TEE_Panic(TEE_ERROR_GENERIC);
	}
	if (d->kind == A_ECDSA || d->kind == A_DSA) {
		size_t w = rs_width(op, d);
		ECDSA_SIG *sig = NULL;
		BIGNUM *r = NULL;
		BIGNUM *s = NULL;

		if (signatureLen != 2 * w) {
			EVP_PKEY_CTX_free(ctx);
			return TEE_ERROR_SIGNATURE_INVALID;
		}
		sig = ECDSA_SIG_new();
		r = BN_bin2bn(signature, (int)w, NULL);
		s = BN_bin2bn((const uint8_t *)signature + w, (int)w, NULL);
		if (!sig || !r || !s || !ECDSA_SIG_set0(sig, r, s)) {
			BN_free(r);
			BN_free(s);
			ECDSA_SIG_free(sig);
			EVP_PKEY_CTX_free(ctx);
			TEE_Panic(TEE_ERROR_OUT_OF_MEMORY);
		}
		der_len = i2d_ECDSA_SIG(sig, &der);
		ECDSA_SIG_free(sig);
		rc = der_len > 0 &&
		     EVP_PKEY_verify(ctx, der, (size_t)der_len, digest, digestLen) == 1;
		OPENSSL_free(der);
	} else {
		rc = EVP_PKEY_verify(ctx, signature, signatureLen, digest, digestLen) == 1;
	}
	EVP_PKEY_CTX_free(ctx);
	return rc ? TEE_SUCCESS : TEE_ERROR_SIGNATURE_INVALID;
}

/* ---- key derivation ---- */

static const TEE_Attribute *need_param(const TEE_Attribute *params, uint32_t count, uint32_t id)
{
	const TEE_Attribute *p = find_param(params, count, id);

	if (!p) {
		host_log(1, "TEE_DeriveKey: attribute 0x%08x is missing", id);
		TEE_Panic(TEE_ERROR_BAD_PARAMETERS);
	}
	return p;
}

/* The peer's public key for ECDH / X25519 / DH, shaped like op's key. */
static EVP_PKEY *peer_key(const struct crypto_op *op, const struct asym_desc *d,
			  const TEE_Attribute *params, uint32_t count)
{
	struct crypto_obj *peer = calloc(1, sizeof(*peer));
	EVP_PKEY *pk = NULL;
	bool ok = peer != NULL;

	if (!ok) {
		return NULL;
	}
	if (d->kind == A_ECDH) {
		const TEE_Attribute *x = need_param(params, count, TEE_ATTR_ECC_PUBLIC_VALUE_X);
		const TEE_Attribute *y = need_param(params, count, TEE_ATTR_ECC_PUBLIC_VALUE_Y);

		peer->type = TEE_TYPE_ECDH_PUBLIC_KEY;
		ok = crypto_obj_add_value(peer, TEE_ATTR_ECC_CURVE,
					  crypto_obj_attr(op->key1, TEE_ATTR_ECC_CURVE)->a,
					  0) == 0 &&
		     crypto_obj_add_buf(peer, x->attributeID, x->content.ref.buffer,
					x->content.ref.length) == 0 &&
		     crypto_obj_add_buf(peer, y->attributeID, y->content.ref.buffer,
					y->content.ref.length) == 0;
	} else if (d->kind == A_X25519) {
		const TEE_Attribute *pub = need_param(params, count, TEE_ATTR_X25519_PUBLIC_VALUE);

		peer->type = TEE_TYPE_X25519_PUBLIC_KEY;
		ok = pub->content.ref.length == 32 &&
		     crypto_obj_add_buf(peer, pub->attributeID, pub->content.ref.buffer, 32) == 0;
	} else {
		const TEE_Attribute *pub = need_param(params, count, TEE_ATTR_DH_PUBLIC_VALUE);
		const uint32_t dom[] = { TEE_ATTR_DH_PRIME, TEE_ATTR_DH_BASE,
					 TEE_ATTR_DH_SUBPRIME };

		peer->type = TEE_TYPE_DH_KEYPAIR;
		for (size_t i = 0; ok && i < 3; i++) {
			const struct crypto_attr *a = crypto_obj_attr(op->key1, dom[i]);

			ok = !a || crypto_obj_add_buf(peer, a->id, a->buf, a->len) == 0;
		}
		ok = ok && crypto_obj_add_buf(peer, pub->attributeID, pub->content.ref.buffer,
					      pub->content.ref.length) == 0;
		if (ok) {
			/* a public-only DH key: built without the private value */
			OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
			BIGNUM *bn[4] = { NULL };

			ok = bld &&
			     push_bn(bld, peer, TEE_ATTR_DH_PRIME, OSSL_PKEY_PARAM_FFC_P, &bn[0]) &&
			     push_bn(bld, peer, TEE_ATTR_DH_SUBPRIME, OSSL_PKEY_PARAM_FFC_Q,
				     &bn[1]) &&
			     push_bn(bld, peer, TEE_ATTR_DH_BASE, OSSL_PKEY_PARAM_FFC_G, &bn[2]) &&
			     push_bn(bld, peer, TEE_ATTR_DH_PUBLIC_VALUE, OSSL_PKEY_PARAM_PUB_KEY,
				     &bn[3]);
			pk = ok ? pkey_fromdata("DH", bld, false) : NULL;
			for (size_t i = 0; i < 4; i++) {
				BN_free(bn[i]);
			}
			OSSL_PARAM_BLD_free(bld);
			crypto_obj_destroy(peer);
			return pk;
		}
	}
	pk = ok ? crypto_pkey_from_obj(peer) : NULL;
	crypto_obj_destroy(peer);
	return pk;
}

static TEE_Result shared_secret(struct crypto_op *op, const struct asym_desc *d,
				const TEE_Attribute *params, uint32_t count, uint8_t **out,
				size_t *out_len)
{
	EVP_PKEY *peer = peer_key(op, d, params, count);
	EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_pkey(NULL, op->pkey, NULL);
	TEE_Result res = TEE_ERROR_BAD_PARAMETERS;

	if (peer && ctx && EVP_PKEY_derive_init(ctx) > 0 &&
	    EVP_PKEY_derive_set_peer(ctx, peer) > 0 && EVP_PKEY_derive(ctx, NULL, out_len) > 0 &&
	    (*out = malloc(*out_len)) && EVP_PKEY_derive(ctx, *out, out_len) > 0) {
		res = TEE_SUCCESS;
	}
	EVP_PKEY_CTX_free(ctx);
	EVP_PKEY_free(peer);
	return res;
}

static TEE_Result run_kdf(struct crypto_op *op, const struct asym_desc *d,
			  const TEE_Attribute *params, uint32_t count, uint8_t **out,
			  size_t *out_len)
{
	const struct crypto_attr *secret = &op->key1->attrs[0];
	const char *kdf_name = d->kind == A_HKDF     ? "HKDF"
			       : d->kind == A_PBKDF2 ? "PBKDF2"
						     : "SSKDF";
	EVP_KDF *kdf = EVP_KDF_fetch(NULL, kdf_name, NULL);
	EVP_KDF_CTX *ctx = kdf ? EVP_KDF_CTX_new(kdf) : NULL;
	OSSL_PARAM p[6];
	size_t n = 0;
	unsigned int iter = 0;
	int pkcs5 = 1; /* RFC 6070's short salts and single iterations are valid PBKDF2 */
	const TEE_Attribute *a = NULL;
	TEE_Result res = TEE_ERROR_GENERIC;

	p[n++] = OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, (char *)d->md, 0);
	p[n++] = OSSL_PARAM_construct_octet_string(d->kind == A_PBKDF2 ? OSSL_KDF_PARAM_PASSWORD
								       : OSSL_KDF_PARAM_KEY,
						   secret->buf, secret->len);
	switch (d->kind) {
	case A_HKDF:
		*out_len = need_param(params, count, TEE_ATTR_HKDF_OKM_LENGTH)->content.value.a;
		if ((a = find_param(params, count, TEE_ATTR_HKDF_SALT))) {
			p[n++] = OSSL_PARAM_construct_octet_string(
				OSSL_KDF_PARAM_SALT, a->content.ref.buffer, a->content.ref.length);
		}
		if ((a = find_param(params, count, TEE_ATTR_HKDF_INFO))) {
			p[n++] = OSSL_PARAM_construct_octet_string(
				OSSL_KDF_PARAM_INFO, a->content.ref.buffer, a->content.ref.length);
		}
		break;
	case A_CONCAT_KDF:
		*out_len =
			need_param(params, count, TEE_ATTR_CONCAT_KDF_DKM_LENGTH)->content.value.a;
		if ((a = find_param(params, count, TEE_ATTR_CONCAT_KDF_OTHER_INFO))) {
			p[n++] = OSSL_PARAM_construct_octet_string(
				OSSL_KDF_PARAM_INFO, a->content.ref.buffer, a->content.ref.length);
		}
		break;
	default:
		*out_len = need_param(params, count, TEE_ATTR_PBKDF2_DKM_LENGTH)->content.value.a;
		a = need_param(params, count, TEE_ATTR_PBKDF2_SALT);
		p[n++] = OSSL_PARAM_construct_octet_string(
			OSSL_KDF_PARAM_SALT, a->content.ref.buffer, a->content.ref.length);
		iter = need_param(params, count, TEE_ATTR_PBKDF2_ITERATION_COUNT)->content.value.a;
		p[n++] = OSSL_PARAM_construct_uint(OSSL_KDF_PARAM_ITER, &iter);
		p[n++] = OSSL_PARAM_construct_int(OSSL_KDF_PARAM_PKCS5, &pkcs5);
		break;
	}
	p[n] = OSSL_PARAM_construct_end();
	if (!*out_len || *out_len > 4096 / 8 * 8) {
		res = TEE_ERROR_BAD_PARAMETERS;
	} else if (ctx && (*out = malloc(*out_len)) && EVP_KDF_derive(ctx, *out, *out_len, p) > 0) {
		res = TEE_SUCCESS;
	}
	EVP_KDF_CTX_free(ctx);
	EVP_KDF_free(kdf);
	return res;
}

void TEE_DeriveKey(TEE_OperationHandle operation, const TEE_Attribute *params, uint32_t paramCount,
		   TEE_ObjectHandle derivedKey)
{
	struct crypto_op *op = asym_op(operation, TEE_OPERATION_KEY_DERIVATION, TEE_MODE_DERIVE);
	const struct asym_desc *d = asym_desc(op->algo);
	struct crypto_obj *dk = crypto_obj_find(derivedKey);
	uint8_t *secret = NULL;
	size_t len = 0;
	TEE_Result res = TEE_SUCCESS;

	/* the derived key goes into an empty transient secret object */
	if (!dk || dk->initialized || (paramCount && !params) || !crypto_type_is_secret(dk->type)) {
		TEE_Panic(TEE_ERROR_BAD_PARAMETERS);
	}
	if (d->kind == A_HKDF || d->kind == A_CONCAT_KDF || d->kind == A_PBKDF2) {
		res = run_kdf(op, d, params, paramCount, &secret, &len);
	} else {
		res = shared_secret(op, d, params, paramCount, &secret, &len);
	}
	/* OP-TEE sizes secret objects by their type's maximum, whatever maxObjectSize says
	 * (its regression suite derives 256 bits into a GENERIC_SECRET of "32"): so do we */
	if (res == TEE_SUCCESS && len * 8 > crypto_type_max_bits(dk->type)) {
		host_log(1,
			 "TEE_DeriveKey: %zu-bit result for object type 0x%08x (at most %u bits)",
			 len * 8, dk->type, crypto_type_max_bits(dk->type));
		res = TEE_ERROR_BAD_PARAMETERS;
	}
	if (res == TEE_SUCCESS && crypto_obj_add_buf(dk, TEE_ATTR_SECRET_VALUE, secret, len)) {
		res = TEE_ERROR_OUT_OF_MEMORY;
	}
	crypto_free_secret(secret, len);
	if (res != TEE_SUCCESS) {
		TEE_Panic(res);
	}
	dk->key_size = (uint32_t)len * 8;
	dk->initialized = true;
}
