/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The crypto test TA's misuse cases (each either panics, which the host sees as
 * TEE_ERROR_TARGET_DEAD, or returns the code the spec names; the host holds the expected
 * outcome) and its self-checks of state, information and short-buffer rules.
 */
#include <crypto_ta.h>
#include <crypto_ta_local.h>
#include <tee_internal_api.h>
#include <tee_internal_api_extensions.h>
#include <tzm_test.h>
#include <utee_defines.h>

static const uint8_t key16[16] = { 0x2b, 0x7e, 0x15, 0x16, 0x28, 0xae, 0xd2, 0xa6,
				   0xab, 0xf7, 0x15, 0x88, 0x09, 0xcf, 0x4f, 0x3c };
static const uint8_t key32[32] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
				   1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16 };
static uint8_t buf[256];

/* A populated secret key object (panics on failure: the test itself is broken). */
static TEE_ObjectHandle secret(uint32_t type, const uint8_t *k, SZ len)
{
	TEE_ObjectHandle o = TEE_HANDLE_NULL;
	TEE_Attribute a;

	if (TEE_AllocateTransientObject(type, (uint32_t)len * 8, &o) != TEE_SUCCESS) {
		TEE_Panic(0xbad0001);
	}
	TEE_InitRefAttribute(&a, TEE_ATTR_SECRET_VALUE, k, len);
	if (TEE_PopulateTransientObject(o, &a, 1) != TEE_SUCCESS) {
		TEE_Panic(0xbad0002);
	}
	return o;
}

static TEE_OperationHandle op_with_key(uint32_t algo, uint32_t mode, uint32_t max,
				       TEE_ObjectHandle key)
{
	TEE_OperationHandle op = TEE_HANDLE_NULL;

	if (TEE_AllocateOperation(&op, algo, mode, max) != TEE_SUCCESS) {
		TEE_Panic(0xbad0003);
	}
	if (key && TEE_SetOperationKey(op, key) != TEE_SUCCESS) {
		TEE_Panic(0xbad0004);
	}
	return op;
}

static TEE_ObjectHandle ed25519_key(void)
{
	TEE_ObjectHandle k = TEE_HANDLE_NULL;

	if (TEE_AllocateTransientObject(TEE_TYPE_ED25519_KEYPAIR, 256, &k) != TEE_SUCCESS ||
	    TEE_GenerateKey(k, 256, NULL, 0) != TEE_SUCCESS) {
		TEE_Panic(0xbad0005);
	}
	return k;
}

/* Signs "msg" under k with the Ed25519 parameters sp, then verifies it under vp. */
static TEE_Result eddsa_sign_verify(TEE_ObjectHandle k, const TEE_Attribute *sp, uint32_t sn,
				    const TEE_Attribute *vp, uint32_t vn)
{
	TEE_OperationHandle op = op_with_key(TEE_ALG_ED25519, TEE_MODE_SIGN, 256, k);
	uint8_t sig[64];
	SZ n = sizeof(sig);
	TEE_Result res = TEE_AsymmetricSignDigest(op, sp, sn, "msg", 3, sig, &n);

	TEE_FreeOperation(op);
	if (res != TEE_SUCCESS) {
		TEE_Panic(0xbad000d);
	}
	op = op_with_key(TEE_ALG_ED25519, TEE_MODE_VERIFY, 256, k);
	res = TEE_AsymmetricVerifyDigest(op, vp, vn, "msg", 3, sig, n);
	TEE_FreeOperation(op);
	return res;
}

TEE_Result misuse(uint32_t which)
{
	TEE_OperationHandle op = TEE_HANDLE_NULL;
	TEE_ObjectHandle k = TEE_HANDLE_NULL;
	TEE_Attribute a[2];
	SZ n = sizeof(buf);
	TEE_Result res = TEE_SUCCESS;
	uint8_t tag[16] = { 0 };
	SZ tl = sizeof(tag);

	switch (which) {
	case MU_DIGEST_ON_CIPHER:
		op = op_with_key(TEE_ALG_AES_ECB_NOPAD, TEE_MODE_ENCRYPT, 128,
				 secret(TEE_TYPE_AES, key16, 16));
		TEE_DigestUpdate(op, buf, 16);
		break;
	case MU_CIPHER_UPDATE_NO_INIT:
		op = op_with_key(TEE_ALG_AES_ECB_NOPAD, TEE_MODE_ENCRYPT, 128,
				 secret(TEE_TYPE_AES, key16, 16));
		return TEE_CipherUpdate(op, buf, 16, buf, &n);
	case MU_CIPHER_INIT_NO_KEY:
		op = op_with_key(TEE_ALG_AES_CBC_NOPAD, TEE_MODE_ENCRYPT, 128, TEE_HANDLE_NULL);
		TEE_CipherInit(op, buf, 16);
		break;
	case MU_CIPHER_FINAL_PARTIAL:
		op = op_with_key(TEE_ALG_AES_CBC_NOPAD, TEE_MODE_ENCRYPT, 128,
				 secret(TEE_TYPE_AES, key16, 16));
		TEE_CipherInit(op, buf, 16);
		return TEE_CipherDoFinal(op, buf, 15, buf + 16, &n);
	case MU_KEY_TOO_BIG:
		op_with_key(TEE_ALG_AES_ECB_NOPAD, TEE_MODE_ENCRYPT, 128,
			    secret(TEE_TYPE_AES, key32, 32));
		break;
	case MU_KEY_WRONG_TYPE:
		op_with_key(TEE_ALG_AES_ECB_NOPAD, TEE_MODE_ENCRYPT, 256,
			    secret(TEE_TYPE_HMAC_SHA256, key32, 32));
		break;
	case MU_KEY_NO_USAGE:
		k = secret(TEE_TYPE_AES, key16, 16);
		TEE_RestrictObjectUsage1(k, TEE_USAGE_DECRYPT);
		op_with_key(TEE_ALG_AES_ECB_NOPAD, TEE_MODE_ENCRYPT, 128, k);
		break;
	case MU_ALLOC_BAD_MODE:
		return TEE_AllocateOperation(&op, TEE_ALG_AES_CBC_NOPAD, TEE_MODE_SIGN, 128);
	case MU_ALLOC_BAD_SIZE:
		return TEE_AllocateOperation(&op, TEE_ALG_AES_CBC_NOPAD, TEE_MODE_ENCRYPT, 100);
	case MU_ALLOC_UNKNOWN_ALG:
		return TEE_AllocateOperation(&op, TEE_ALG_ILLEGAL_VALUE, TEE_MODE_ENCRYPT, 128);
	case MU_POPULATE_TWICE:
		k = secret(TEE_TYPE_AES, key16, 16);
		TEE_InitRefAttribute(&a[0], TEE_ATTR_SECRET_VALUE, key16, 16);
		return TEE_PopulateTransientObject(k, a, 1);
	case MU_POPULATE_MISSING_ATTR:
		TEE_AllocateTransientObject(TEE_TYPE_RSA_KEYPAIR, 512, &k);
		TEE_InitRefAttribute(&a[0], TEE_ATTR_RSA_MODULUS, buf, 64);
		TEE_InitRefAttribute(&a[1], TEE_ATTR_RSA_PUBLIC_EXPONENT, buf, 3);
		return TEE_PopulateTransientObject(k, a, 2);
	case MU_POPULATE_FOREIGN_ATTR:
		TEE_AllocateTransientObject(TEE_TYPE_AES, 128, &k);
		TEE_InitRefAttribute(&a[0], TEE_ATTR_SECRET_VALUE, key16, 16);
		TEE_InitRefAttribute(&a[1], TEE_ATTR_ECC_PRIVATE_VALUE, key16, 16);
		return TEE_PopulateTransientObject(k, a, 2);
	case MU_POPULATE_BAD_SIZE:
		TEE_AllocateTransientObject(TEE_TYPE_AES, 256, &k);
		TEE_InitRefAttribute(&a[0], TEE_ATTR_SECRET_VALUE, key32, 17);
		res = TEE_PopulateTransientObject(k, a, 1);
		TEE_FreeTransientObject(k);
		return res;
	case MU_EXTRACT_PROTECTED:
		k = secret(TEE_TYPE_AES, key16, 16);
		TEE_RestrictObjectUsage1(k, ~(uint32_t)TEE_USAGE_EXTRACTABLE);
		return TEE_GetObjectBufferAttribute(k, TEE_ATTR_SECRET_VALUE, buf, &n);
	case MU_BAD_OP_HANDLE:
		TEE_DigestUpdate((TEE_OperationHandle)(void *)buf, buf, 1);
		break;
	case MU_BAD_OBJ_HANDLE:
		TEE_FreeTransientObject((TEE_ObjectHandle)(void *)buf);
		break;
	case MU_MAC_COMPARE_WRONG:
		op = op_with_key(TEE_ALG_HMAC_SHA256, TEE_MODE_MAC, 256,
				 secret(TEE_TYPE_HMAC_SHA256, key32, 32));
		TEE_MACInit(op, NULL, 0);
		res = TEE_MACCompareFinal(op, buf, 10, buf, 32);
		TEE_FreeOperation(op);
		return res;
	case MU_AE_TAG_WRONG:
		op = op_with_key(TEE_ALG_AES_GCM, TEE_MODE_DECRYPT, 128,
				 secret(TEE_TYPE_AES, key16, 16));
		if (TEE_AEInit(op, buf, 12, 128, 0, 16) != TEE_SUCCESS) {
			TEE_Panic(0xbad0006);
		}
		res = TEE_AEDecryptFinal(op, buf, 16, buf + 32, &n, tag, sizeof(tag));
		TEE_FreeOperation(op);
		return res;
	case MU_AE_BAD_TAGLEN:
		op = op_with_key(TEE_ALG_AES_GCM, TEE_MODE_ENCRYPT, 128,
				 secret(TEE_TYPE_AES, key16, 16));
		res = TEE_AEInit(op, buf, 12, 64, 0, 0);
		TEE_FreeOperation(op);
		return res;
	case MU_SIGN_WRONG_DIGEST_LEN:
		TEE_AllocateTransientObject(TEE_TYPE_RSA_KEYPAIR, 1024, &k);
		if (TEE_GenerateKey(k, 1024, NULL, 0) != TEE_SUCCESS) {
			TEE_Panic(0xbad0007);
		}
		op = op_with_key(TEE_ALG_RSASSA_PKCS1_V1_5_SHA256, TEE_MODE_SIGN, 1024, k);
		return TEE_AsymmetricSignDigest(op, NULL, 0, buf, 20, buf + 64, &n);
	case MU_VERIFY_BAD_SIG:
		k = ed25519_key();
		op = op_with_key(TEE_ALG_ED25519, TEE_MODE_SIGN, 256, k);
		if (TEE_AsymmetricSignDigest(op, NULL, 0, "msg", 3, buf, &n) != TEE_SUCCESS) {
			TEE_Panic(0xbad0008);
		}
		TEE_FreeOperation(op);
		buf[5] ^= 1;
		op = op_with_key(TEE_ALG_ED25519, TEE_MODE_VERIFY, 256, k);
		res = TEE_AsymmetricVerifyDigest(op, NULL, 0, "msg", 3, buf, n);
		TEE_FreeOperation(op);
		TEE_FreeTransientObject(k);
		return res;
	case MU_GENKEY_TOO_BIG:
		TEE_AllocateTransientObject(TEE_TYPE_AES, 128, &k);
		return TEE_GenerateKey(k, 256, NULL, 0);
	case MU_AAD_AFTER_PAYLOAD:
		op = op_with_key(TEE_ALG_AES_GCM, TEE_MODE_ENCRYPT, 128,
				 secret(TEE_TYPE_AES, key16, 16));
		TEE_AEInit(op, buf, 12, 128, 0, 0);
		TEE_AEUpdate(op, buf, 16, buf + 16, &n);
		TEE_AEUpdateAAD(op, buf, 16);
		break;
	case MU_SET_KEY_WHILE_ACTIVE:
		k = secret(TEE_TYPE_AES, key16, 16);
		op = op_with_key(TEE_ALG_AES_CBC_NOPAD, TEE_MODE_ENCRYPT, 128, k);
		TEE_CipherInit(op, buf, 16);
		return TEE_SetOperationKey(op, k);
	case MU_DERIVE_INTO_RSA_OBJECT: {
		TEE_ObjectHandle dk = TEE_HANDLE_NULL;
		TEE_Attribute c;

		TEE_AllocateTransientObject(TEE_TYPE_ECDH_KEYPAIR, 256, &k);
		TEE_InitValueAttribute(&c, TEE_ATTR_ECC_CURVE, TEE_ECC_CURVE_NIST_P256, 0);
		if (TEE_GenerateKey(k, 256, &c, 1) != TEE_SUCCESS) {
			TEE_Panic(0xbad0009);
		}
		op = op_with_key(TEE_ALG_ECDH_DERIVE_SHARED_SECRET, TEE_MODE_DERIVE, 256, k);
		TEE_AllocateTransientObject(TEE_TYPE_RSA_KEYPAIR, 1024, &dk);
		n = 32;
		TEE_GetObjectBufferAttribute(k, TEE_ATTR_ECC_PUBLIC_VALUE_X, buf, &n);
		TEE_InitRefAttribute(&a[0], TEE_ATTR_ECC_PUBLIC_VALUE_X, buf, n);
		n = 32;
		TEE_GetObjectBufferAttribute(k, TEE_ATTR_ECC_PUBLIC_VALUE_Y, buf + 64, &n);
		TEE_InitRefAttribute(&a[1], TEE_ATTR_ECC_PUBLIC_VALUE_Y, buf + 64, n);
		TEE_DeriveKey(op, a, 2, dk);
		break;
	}
	case MU_RSA_DECRYPT_GARBAGE:
		TEE_AllocateTransientObject(TEE_TYPE_RSA_KEYPAIR, 1024, &k);
		if (TEE_GenerateKey(k, 1024, NULL, 0) != TEE_SUCCESS) {
			TEE_Panic(0xbad000a);
		}
		op = op_with_key(TEE_ALG_RSAES_PKCS1_V1_5, TEE_MODE_DECRYPT, 1024, k);
		TEE_MemFill(buf, 0x55, 128);
		res = TEE_AsymmetricDecrypt(op, NULL, 0, buf, 128, buf + 128, &n);
		TEE_FreeOperation(op);
		TEE_FreeTransientObject(k);
		return res;
	case MU_PERSIST_UNINIT_KEY:
		TEE_AllocateTransientObject(TEE_TYPE_AES, 128, &k);
		TEE_CreatePersistentObject(TEE_STORAGE_PRIVATE, "mu", 2,
					   TEE_DATA_FLAG_ACCESS_READ | TEE_DATA_FLAG_OVERWRITE, k,
					   NULL, 0, NULL);
		break;
	case MU_PERSIST_DATA_AS_KEY: {
		TEE_ObjectHandle p = TEE_HANDLE_NULL;

		if (TEE_CreatePersistentObject(TEE_STORAGE_PRIVATE, "mu-data", 7,
					       TEE_DATA_FLAG_ACCESS_READ |
						       TEE_DATA_FLAG_ACCESS_WRITE_META |
						       TEE_DATA_FLAG_OVERWRITE,
					       TEE_HANDLE_NULL, "data", 4, &p) != TEE_SUCCESS) {
			TEE_Panic(0xbad000b);
		}
		TEE_AllocateOperation(&op, TEE_ALG_AES_ECB_NOPAD, TEE_MODE_ENCRYPT, 128);
		TEE_SetOperationKey(op, p);
		break;
	}
	case MU_PERSIST_FREE_AS_TRANSIENT: {
		TEE_ObjectHandle p = TEE_HANDLE_NULL;

		k = secret(TEE_TYPE_AES, key16, 16);
		if (TEE_CreatePersistentObject(TEE_STORAGE_PRIVATE, "mu-key", 6,
					       TEE_DATA_FLAG_ACCESS_READ | TEE_DATA_FLAG_OVERWRITE,
					       k, NULL, 0, &p) != TEE_SUCCESS) {
			TEE_Panic(0xbad000c);
		}
		TEE_FreeTransientObject(p);
		break;
	}
	case MU_DIGEST_UPDATE_AFTER_EXTRACT: {
		size_t en = 4;

		TEE_AllocateOperation(&op, TEE_ALG_SHAKE128, TEE_MODE_DIGEST, 0);
		TEE_DigestExtract(op, buf, &en);
		TEE_DigestUpdate(op, "x", 1);
		break;
	}
	case MU_POPULATE_OVERSIZE: {
		static uint8_t big[129]; /* HMAC-SHA256 keys have at most 1024 bits */

		TEE_AllocateTransientObject(TEE_TYPE_HMAC_SHA256, 256, &k);
		TEE_InitRefAttribute(&a[0], TEE_ATTR_SECRET_VALUE, big, sizeof(big));
		return TEE_PopulateTransientObject(k, a, 1);
	}
	case MU_OAEP_BAD_MGF_HASH: {
		static const uint8_t two[2] = { 2, 0 };

		TEE_AllocateTransientObject(TEE_TYPE_RSA_KEYPAIR, 1024, &k);
		if (TEE_GenerateKey(k, 1024, NULL, 0) != TEE_SUCCESS) {
			TEE_Panic(0xbad000e);
		}
		op = op_with_key(TEE_ALG_RSAES_PKCS1_OAEP_MGF1_SHA256, TEE_MODE_ENCRYPT, 1024, k);
		TEE_InitRefAttribute(&a[0], TEE_ATTR_RSA_OAEP_MGF_HASH, two, sizeof(two));
		return TEE_AsymmetricEncrypt(op, a, 1, "msg", 3, buf, &n);
	}
	case MU_ED25519_MISMATCHED_PAIR: {
		/*
		 * Refused as inconsistent (GP allows TEE_ERROR_BAD_PARAMETERS for that; OP-TEE
		 * accepts such a pair and signs with the public value given, and two such
		 * signatures of one message under different public values disclose the
		 * private scalar). The object stays uninitialized.
		 */
		TEE_ObjectHandle k1 = ed25519_key(), k2 = ed25519_key();
		uint8_t priv[32], pub[32];
		SZ pl = sizeof(priv), ql = sizeof(pub);
		TEE_ObjectInfo oi;

		if (TEE_GetObjectBufferAttribute(k1, TEE_ATTR_ED25519_PRIVATE_VALUE, priv, &pl) ||
		    TEE_GetObjectBufferAttribute(k2, TEE_ATTR_ED25519_PUBLIC_VALUE, pub, &ql) ||
		    TEE_AllocateTransientObject(TEE_TYPE_ED25519_KEYPAIR, 256, &k)) {
			TEE_Panic(0xbad000f);
		}
		TEE_InitRefAttribute(&a[0], TEE_ATTR_ED25519_PRIVATE_VALUE, priv, pl);
		TEE_InitRefAttribute(&a[1], TEE_ATTR_ED25519_PUBLIC_VALUE, pub, ql);
		res = TEE_PopulateTransientObject(k, a, 2);
		if (TEE_GetObjectInfo1(k, &oi) || (oi.handleFlags & TEE_HANDLE_FLAG_INITIALIZED)) {
			TEE_Panic(0xbad0010);
		}
		return res;
	}
	case MU_EDDSA_CTX_TOO_LONG: {
		static uint8_t ctx[256];

		k = ed25519_key();
		op = op_with_key(TEE_ALG_ED25519, TEE_MODE_SIGN, 256, k);
		TEE_InitRefAttribute(&a[0], TEE_ATTR_EDDSA_CTX, ctx, sizeof(ctx));
		return TEE_AsymmetricSignDigest(op, a, 1, "msg", 3, buf, &n);
	}
	case MU_EDDSA_CTX_MAX: {
		static uint8_t ctx[255];

		TEE_MemFill(ctx, 0x5a, sizeof(ctx));
		TEE_InitRefAttribute(&a[0], TEE_ATTR_EDDSA_CTX, ctx, sizeof(ctx));
		return eddsa_sign_verify(ed25519_key(), a, 1, a, 1);
	}
	case MU_EDDSA_PREHASH_NOT_BOOL:
		k = ed25519_key();
		op = op_with_key(TEE_ALG_ED25519, TEE_MODE_SIGN, 256, k);
		TEE_InitValueAttribute(&a[0], TEE_ATTR_EDDSA_PREHASH, 2, 0);
		return TEE_AsymmetricSignDigest(op, a, 1, "msg", 3, buf, &n);
	case MU_EDDSA_TWO_CTX:
		k = ed25519_key();
		op = op_with_key(TEE_ALG_ED25519, TEE_MODE_VERIFY, 256, k);
		TEE_InitRefAttribute(&a[0], TEE_ATTR_EDDSA_CTX, "foo", 3);
		TEE_InitRefAttribute(&a[1], TEE_ATTR_EDDSA_CTX, "bar", 3);
		return TEE_AsymmetricVerifyDigest(op, a, 2, "msg", 3, buf, 64);
	case MU_EDDSA_FOREIGN_PARAM:
		k = ed25519_key();
		op = op_with_key(TEE_ALG_ED25519, TEE_MODE_SIGN, 256, k);
		TEE_InitValueAttribute(&a[0], TEE_ATTR_RSA_PSS_SALT_LENGTH, 20, 0);
		return TEE_AsymmetricSignDigest(op, a, 1, "msg", 3, buf, &n);
	case MU_EDDSA_OTHER_CTX:
		TEE_InitRefAttribute(&a[0], TEE_ATTR_EDDSA_CTX, "foo", 3);
		TEE_InitRefAttribute(&a[1], TEE_ATTR_EDDSA_CTX, "fop", 3);
		return eddsa_sign_verify(ed25519_key(), &a[0], 1, &a[1], 1);
	case MU_EDDSA_CTX_AS_PURE:
		TEE_InitRefAttribute(&a[0], TEE_ATTR_EDDSA_CTX, "foo", 3);
		return eddsa_sign_verify(ed25519_key(), a, 1, NULL, 0);
	case MU_EDDSA_PH_AS_PURE:
		TEE_InitValueAttribute(&a[0], TEE_ATTR_EDDSA_PREHASH, 1, 0);
		return eddsa_sign_verify(ed25519_key(), a, 1, NULL, 0);
	case MU_EDDSA_PH_AS_CTX_EMPTY:
		/* Ed25519ph with an empty context against Ed25519ctx's rules: the flag octet
		 * differs */
		TEE_InitValueAttribute(&a[0], TEE_ATTR_EDDSA_PREHASH, 1, 0);
		TEE_InitRefAttribute(&a[1], TEE_ATTR_EDDSA_CTX, "foo", 3);
		return eddsa_sign_verify(ed25519_key(), a, 2, &a[1], 1);
	default:
		return TEE_ERROR_NOT_SUPPORTED;
	}
	(void)tl;
	/* reaching here means the call that should have panicked returned */
	return TEE_ERROR_GENERIC;
}

/* The self-checks use the shared harness (tzm_test.h): a failed check panics the TA with
 * TZM_TEST_PANIC_CODE after writing file:line and both values to tee.log. */
/*
 * TEE_DigestExtract (GP 1.3.1): a SHA-256 digest handed out in pieces, the rest by
 * TEE_DigestDoFinal, equals the digest; SHAKE128/256 output squeezed in pieces equals the
 * same length from one TEE_DigestDoFinal; the state shows EXTRACTING; reset starts over.
 */
static void extract_checks(void)
{
	static const uint32_t algs[] = { TEE_ALG_SHA256, TEE_ALG_SHAKE128, TEE_ALG_SHAKE256 };
	uint8_t mi_buf[sizeof(TEE_OperationInfoMultiple)];
	TEE_OperationInfoMultiple *mi = (TEE_OperationInfoMultiple *)(void *)mi_buf;
	TEE_OperationHandle op = TEE_HANDLE_NULL;
	TEE_OperationInfo info;
	uint8_t whole[100], pieces[100];
	size_t n = 0, want = 0;
	SZ fn = 0; /* TEE_DigestDoFinal's length at either API level */
	SZ mil = sizeof(mi_buf);

	for (size_t i = 0; i < sizeof(algs) / sizeof(algs[0]); i++) {
		TEST_STEP("TEE_DigestExtract, algorithm 0x%08x", algs[i]);
		want = algs[i] == TEE_ALG_SHA256 ? 32 : sizeof(whole);
		ASSERT_TEE_OK(TEE_AllocateOperation(&op, algs[i], TEE_MODE_DIGEST, 0));
		TEE_GetOperationInfo(op, &info);
		ASSERT_EQ_U64(info.digestLength, algs[i] == TEE_ALG_SHA256 ? 32 : 0);
		fn = want;
		ASSERT_TEE_OK(TEE_DigestDoFinal(op, "abc", 3, whole, &fn));
		ASSERT_EQ_U64(fn, want);
		TEE_DigestUpdate(op, "ab", 2);
		TEE_DigestUpdate(op, "c", 1);
		n = 10;
		ASSERT_TEE_OK(TEE_DigestExtract(op, pieces, &n));
		ASSERT_EQ_U64(n, 10);
		mil = sizeof(mi_buf);
		ASSERT_TEE_OK(TEE_GetOperationInfoMultiple(op, mi, &mil));
		ASSERT_EQ_U64(mi->operationState, TEE_OPERATION_STATE_EXTRACTING);
		ASSERT_TRUE((mi->handleState & TEE_HANDLE_FLAG_EXTRACTING) != 0);
		n = 0;
		ASSERT_TEE_OK(TEE_DigestExtract(op, NULL, &n));
		ASSERT_EQ_U64(n, 0);
		n = 15;
		ASSERT_TEE_OK(TEE_DigestExtract(op, pieces + 10, &n));
		ASSERT_EQ_U64(n, 15);
		/* the rest; a fixed digest gives only what is left (7 of 32) */
		fn = sizeof(pieces) - 25;
		ASSERT_TEE_OK(TEE_DigestDoFinal(op, NULL, 0, pieces + 25, &fn));
		ASSERT_EQ_U64(fn, want - 25);
		ASSERT_EQ_MEM(pieces, whole, want);
		/* back to the initial state: the same output again */
		fn = want;
		ASSERT_TEE_OK(TEE_DigestDoFinal(op, "abc", 3, pieces, &fn));
		ASSERT_EQ_MEM(pieces, whole, want);
		/* reset in the extracting state */
		n = 4;
		ASSERT_TEE_OK(TEE_DigestExtract(op, pieces, &n));
		TEE_ResetOperation(op);
		TEE_GetOperationInfo(op, &info);
		ASSERT_EQ_U64(info.handleState & TEE_HANDLE_FLAG_EXTRACTING, 0);
		TEE_DigestUpdate(op, "abc", 3);
		fn = want;
		ASSERT_TEE_OK(TEE_DigestDoFinal(op, NULL, 0, pieces, &fn));
		ASSERT_EQ_MEM(pieces, whole, want);
		TEE_FreeOperation(op);
	}
}

/* TEE_CopyOperation of a DES CBC-MAC whose maximum key size is given without parity bits
 * (56, as OP-TEE's regression suite does) and whose key is 64 bits with them. */
static void copy_des_checks(void)
{
	static const uint8_t key8[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
	TEE_OperationHandle op = TEE_HANDLE_NULL, op2 = TEE_HANDLE_NULL;
	uint8_t mac1[8], mac2[8];
	SZ n1 = sizeof(mac1), n2 = sizeof(mac2);

	TEST_STEP("TEE_CopyOperation, DES CBC-MAC with maxKeySize 56");
	op = op_with_key(TEE_ALG_DES_CBC_MAC_NOPAD, TEE_MODE_MAC, 56,
			 secret(TEE_TYPE_DES, key8, 8));
	ASSERT_TEE_OK(TEE_AllocateOperation(&op2, TEE_ALG_DES_CBC_MAC_NOPAD, TEE_MODE_MAC, 56));
	TEE_MACInit(op, NULL, 0);
	TEE_CopyOperation(op2, op);
	ASSERT_TEE_OK(TEE_MACComputeFinal(op, key8, 8, mac1, &n1));
	ASSERT_TEE_OK(TEE_MACComputeFinal(op2, key8, 8, mac2, &n2));
	ASSERT_EQ_MEM(mac1, mac2, 8);
	TEE_FreeOperation(op);
	TEE_FreeOperation(op2);
}

/*
 * RSA as OP-TEE's regression suite expects it: RSA_NOPAD results without leading zero
 * bytes (encryption and decryption), OAEP with TEE_ATTR_RSA_OAEP_MGF_HASH selecting MGF1's
 * hash (a ciphertext made with SHA-1 MGF1 decrypts only with the attribute).
 */
static void rsa_checks(void)
{
	static uint8_t msg[16] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16 };
	static uint8_t ct[128], pt[128];
	uint32_t sha1 = TEE_ALG_SHA1;
	TEE_ObjectHandle k = TEE_HANDLE_NULL;
	TEE_OperationHandle op = TEE_HANDLE_NULL;
	TEE_Attribute mgf;
	SZ cn = sizeof(ct), pn = sizeof(pt);

	TEST_STEP("RSA_NOPAD: results without leading zero bytes");
	ASSERT_TEE_OK(TEE_AllocateTransientObject(TEE_TYPE_RSA_KEYPAIR, 1024, &k));
	ASSERT_TEE_OK(TEE_GenerateKey(k, 1024, NULL, 0));
	op = op_with_key(TEE_ALG_RSA_NOPAD, TEE_MODE_ENCRYPT, 1024, k);
	ASSERT_TEE_OK(TEE_AsymmetricEncrypt(op, NULL, 0, msg, sizeof(msg), ct, &cn));
	TEE_FreeOperation(op);
	op = op_with_key(TEE_ALG_RSA_NOPAD, TEE_MODE_DECRYPT, 1024, k);
	ASSERT_TEE_OK(TEE_AsymmetricDecrypt(op, NULL, 0, ct, cn, pt, &pn));
	ASSERT_EQ_U64(pn, sizeof(msg));
	ASSERT_EQ_MEM(pt, msg, sizeof(msg));
	TEE_FreeOperation(op);

	TEST_STEP("RSA-OAEP-SHA256 with TEE_ATTR_RSA_OAEP_MGF_HASH = SHA-1");
	TEE_InitRefAttribute(&mgf, TEE_ATTR_RSA_OAEP_MGF_HASH, &sha1, sizeof(sha1));
	op = op_with_key(TEE_ALG_RSAES_PKCS1_OAEP_MGF1_SHA256, TEE_MODE_ENCRYPT, 1024, k);
	cn = sizeof(ct);
	ASSERT_TEE_OK(TEE_AsymmetricEncrypt(op, &mgf, 1, msg, sizeof(msg), ct, &cn));
	TEE_FreeOperation(op);
	op = op_with_key(TEE_ALG_RSAES_PKCS1_OAEP_MGF1_SHA256, TEE_MODE_DECRYPT, 1024, k);
	pn = sizeof(pt);
	ASSERT_TEE_RES(TEE_AsymmetricDecrypt(op, NULL, 0, ct, cn, pt, &pn),
		       TEE_ERROR_CIPHERTEXT_INVALID);
	pn = sizeof(pt);
	ASSERT_TEE_OK(TEE_AsymmetricDecrypt(op, &mgf, 1, ct, cn, pt, &pn));
	ASSERT_EQ_U64(pn, sizeof(msg));
	ASSERT_EQ_MEM(pt, msg, sizeof(msg));
	TEE_FreeOperation(op);
	TEE_FreeTransientObject(k);
}

/* TEE_DeriveKey into a GENERIC_SECRET whose maxObjectSize (32) is below the 256-bit
 * X25519 result: OP-TEE sizes secrets by the type's maximum (xtest 4015 relies on it). */
static void derive_size_checks(void)
{
	TEE_ObjectHandle k = TEE_HANDLE_NULL, peer = TEE_HANDLE_NULL, dk = TEE_HANDLE_NULL;
	TEE_OperationHandle op = TEE_HANDLE_NULL;
	TEE_Attribute pub;
	uint8_t peer_pub[32], secret[32];
	SZ n = sizeof(peer_pub);

	TEST_STEP("X25519 derivation into a GENERIC_SECRET of maxObjectSize 32");
	ASSERT_TEE_OK(TEE_AllocateTransientObject(TEE_TYPE_X25519_KEYPAIR, 256, &k));
	ASSERT_TEE_OK(TEE_GenerateKey(k, 256, NULL, 0));
	ASSERT_TEE_OK(TEE_AllocateTransientObject(TEE_TYPE_X25519_KEYPAIR, 256, &peer));
	ASSERT_TEE_OK(TEE_GenerateKey(peer, 256, NULL, 0));
	ASSERT_TEE_OK(
		TEE_GetObjectBufferAttribute(peer, TEE_ATTR_X25519_PUBLIC_VALUE, peer_pub, &n));
	op = op_with_key(TEE_ALG_X25519, TEE_MODE_DERIVE, 256, k);
	ASSERT_TEE_OK(TEE_AllocateTransientObject(TEE_TYPE_GENERIC_SECRET, 32, &dk));
	TEE_InitRefAttribute(&pub, TEE_ATTR_X25519_PUBLIC_VALUE, peer_pub, sizeof(peer_pub));
	TEE_DeriveKey(op, &pub, 1, dk);
	n = sizeof(secret);
	ASSERT_TEE_OK(TEE_GetObjectBufferAttribute(dk, TEE_ATTR_SECRET_VALUE, secret, &n));
	ASSERT_EQ_U64(n, 32);
	TEE_FreeOperation(op);
	TEE_FreeTransientObject(dk);
	TEE_FreeTransientObject(peer);
	TEE_FreeTransientObject(k);
}

/* <utee_defines.h>'s TEE_ALG_GET_MAIN_ALG on the identifiers whose low byte misleads
 * (OP-TEE's regression suite switches on it to pick the key type of a vector). */
static void main_alg_checks(void)
{
	TEST_STEP("TEE_ALG_GET_MAIN_ALG");
	ASSERT_EQ_U64(TEE_ALG_GET_MAIN_ALG(TEE_ALG_ECDSA_SHA1), TEE_MAIN_ALGO_ECDSA);
	ASSERT_EQ_U64(TEE_ALG_GET_MAIN_ALG(TEE_ALG_ECDSA_SHA512), TEE_MAIN_ALGO_ECDSA);
	ASSERT_EQ_U64(TEE_ALG_GET_MAIN_ALG(TEE_ALG_ECDH_DERIVE_SHARED_SECRET), TEE_MAIN_ALGO_ECDH);
	ASSERT_EQ_U64(TEE_ALG_GET_MAIN_ALG(TEE_ALG_SHAKE128), TEE_MAIN_ALGO_SHAKE128);
	ASSERT_EQ_U64(TEE_ALG_GET_MAIN_ALG(TEE_ALG_SHAKE256), TEE_MAIN_ALGO_SHAKE256);
	ASSERT_EQ_U64(TEE_ALG_GET_MAIN_ALG(TEE_ALG_HKDF), TEE_MAIN_ALGO_HKDF);
	ASSERT_EQ_U64(TEE_ALG_GET_MAIN_ALG(TEE_ALG_X448), TEE_MAIN_ALGO_X448);
	ASSERT_EQ_U64(TEE_ALG_GET_MAIN_ALG(TEE_ALG_SM2_PKE), TEE_MAIN_ALGO_SM2_PKE);
	ASSERT_EQ_U64(TEE_ALG_GET_MAIN_ALG(TEE_ALG_SM2_KEP), TEE_MAIN_ALGO_SM2_KEP);
	ASSERT_EQ_U64(TEE_ALG_GET_MAIN_ALG(TEE_ALG_SHA256), TEE_MAIN_ALGO_SHA256);
	ASSERT_EQ_U64(TEE_ALG_GET_MAIN_ALG(TEE_ALG_AES_GCM), TEE_MAIN_ALGO_AES);
}

TEE_Result selftest(void)
{
	TEE_OperationHandle op = TEE_HANDLE_NULL, op2 = TEE_HANDLE_NULL;
	TEE_ObjectHandle k = TEE_HANDLE_NULL, k2 = TEE_HANDLE_NULL;
	TEE_ObjectHandle xk1 = TEE_HANDLE_NULL, xk2 = TEE_HANDLE_NULL;
	TEE_OperationInfo info;
	uint8_t mi_buf[sizeof(TEE_OperationInfoMultiple) + 2 * sizeof(TEE_OperationInfoKey)];
	TEE_OperationInfoMultiple *mi = (TEE_OperationInfoMultiple *)(void *)mi_buf;
	TEE_ObjectInfo oi;
	uint8_t h1[64], h2[64];
	SZ n = 0, n2 = 0;
	uint32_t va = 0, vb = 0;

	TEE_MemFill(h1, 0, sizeof(h1));
	TEE_MemFill(h2, 0, sizeof(h2));
	extract_checks();
	copy_des_checks();
	rsa_checks();
	derive_size_checks();
	main_alg_checks();
	stream_checks();

	/* digest: information, short buffer keeps the state, copies continue independently */
	ASSERT_TEE_OK(TEE_AllocateOperation(&op, TEE_ALG_SHA256, TEE_MODE_DIGEST, 0));
	TEE_GetOperationInfo(op, &info);
	ASSERT_EQ_U64(info.operationClass, TEE_OPERATION_DIGEST);
	ASSERT_EQ_U64(info.mode, TEE_MODE_DIGEST);
	ASSERT_EQ_U64(info.digestLength, 32);
	ASSERT_EQ_U64(info.algorithm, TEE_ALG_SHA256);
	ASSERT_EQ_U64(info.handleState, (TEE_HANDLE_FLAG_KEY_SET | TEE_HANDLE_FLAG_INITIALIZED));
	TEE_DigestUpdate(op, "ab", 2);
	ASSERT_TEE_OK(TEE_AllocateOperation(&op2, TEE_ALG_SHA256, TEE_MODE_DIGEST, 0));
	TEE_CopyOperation(op2, op);
	n = 10;
	ASSERT_TEE_RES(TEE_DigestDoFinal(op, "c", 1, h1, &n), TEE_ERROR_SHORT_BUFFER);
	ASSERT_EQ_U64(n, 32);
	n = sizeof(h1);
	ASSERT_TEE_OK(TEE_DigestDoFinal(op, "c", 1, h1, &n));
	ASSERT_EQ_U64(n, 32);
	n2 = sizeof(h2);
	ASSERT_TEE_OK(TEE_DigestDoFinal(op2, "c", 1, h2, &n2));
	ASSERT_EQ_U64(n2, 32);
	ASSERT_EQ_INT(TEE_MemCompare(h1, h2, 32), 0);
	n2 = sizeof(h2);
	ASSERT_TEE_OK(TEE_DigestDoFinal(op2, "abc", 3, h2, &n2)); /* reusable */
	ASSERT_EQ_INT(TEE_MemCompare(h1, h2, 32), 0);
	TEE_FreeOperation(op);
	TEE_FreeOperation(op2);

	/* cipher: handle state through key, init, final; info multiple */
	ASSERT_TEE_OK(TEE_AllocateOperation(&op, TEE_ALG_AES_ECB_NOPAD, TEE_MODE_ENCRYPT, 256));
	TEE_GetOperationInfo(op, &info);
	ASSERT_EQ_U64(info.handleState, 0);
	ASSERT_EQ_U64(info.maxKeySize, 256);
	ASSERT_EQ_U64(info.keySize, 0);
	ASSERT_EQ_U64(info.requiredKeyUsage, TEE_USAGE_ENCRYPT);
	k = secret(TEE_TYPE_AES, key16, 16);
	ASSERT_TEE_OK(TEE_SetOperationKey(op, k));
	TEE_GetOperationInfo(op, &info);
	ASSERT_EQ_U64(info.handleState, TEE_HANDLE_FLAG_KEY_SET);
	ASSERT_EQ_U64(info.keySize, 128);
	n = 1;
	ASSERT_TEE_RES(TEE_GetOperationInfoMultiple(op, mi, &n), TEE_ERROR_SHORT_BUFFER);
	ASSERT_EQ_U64(n, sizeof(TEE_OperationInfoMultiple) + sizeof(TEE_OperationInfoKey));
	TEE_CipherInit(op, NULL, 0);
	n = sizeof(mi_buf);
	ASSERT_TEE_OK(TEE_GetOperationInfoMultiple(op, mi, &n));
	ASSERT_EQ_U64(mi->numberOfKeys, 1);
	ASSERT_EQ_U64(mi->operationState, TEE_OPERATION_STATE_ACTIVE);
	ASSERT_EQ_U64(mi->keyInformation[0].keySize, 128);
	ASSERT_EQ_U64(mi->handleState, (TEE_HANDLE_FLAG_KEY_SET | TEE_HANDLE_FLAG_INITIALIZED));
	n = 16;
	ASSERT_TEE_RES(TEE_CipherUpdate(op, h1, 40, h2, &n), TEE_ERROR_SHORT_BUFFER);
	ASSERT_EQ_U64(n, 32);
	n = 0;
	ASSERT_TEE_OK(TEE_CipherUpdate(op, h1, 8, h2, &n));
	ASSERT_EQ_U64(n, 0);
	n = 8;
	ASSERT_TEE_RES(TEE_CipherDoFinal(op, h1, 8, h2, &n), TEE_ERROR_SHORT_BUFFER);
	ASSERT_EQ_U64(n, 16);
	n = sizeof(h2);
	ASSERT_TEE_OK(TEE_CipherDoFinal(op, h1, 8, h2, &n));
	ASSERT_EQ_U64(n, 16);
	n = sizeof(mi_buf);
	ASSERT_TEE_OK(TEE_GetOperationInfoMultiple(op, mi, &n));
	ASSERT_EQ_U64(mi->operationState, TEE_OPERATION_STATE_INITIAL);
	ASSERT_EQ_U64(mi->handleState, TEE_HANDLE_FLAG_KEY_SET);
	TEE_FreeOperation(op);

	/* XTS expects two keys; its maxKeySize is both keys' sizes added up (OP-TEE's
	 * count: 256 for two AES-128 keys, 512 for two AES-256 keys) */
	ASSERT_TEE_RES(TEE_AllocateOperation(&op, TEE_ALG_AES_XTS, TEE_MODE_ENCRYPT, 128),
		       TEE_ERROR_NOT_SUPPORTED);
	ASSERT_TEE_OK(TEE_AllocateOperation(&op, TEE_ALG_AES_XTS, TEE_MODE_ENCRYPT, 512));
	TEE_GetOperationInfo(op, &info);
	ASSERT_EQ_U64(info.handleState, TEE_HANDLE_FLAG_EXPECT_TWO_KEYS);
	ASSERT_EQ_U64(info.maxKeySize, 512);
	n = sizeof(mi_buf);
	ASSERT_TEE_OK(TEE_GetOperationInfoMultiple(op, mi, &n));
	ASSERT_EQ_U64(mi->numberOfKeys, 2);
	xk1 = secret(TEE_TYPE_AES, key32, 32);
	xk2 = secret(TEE_TYPE_AES, key32, 32);
	ASSERT_TEE_OK(TEE_SetOperationKey2(op, xk1, xk2));
	TEE_GetOperationInfo(op, &info);
	ASSERT_EQ_U64(info.keySize, 256);
	TEE_FreeOperation(op);
	TEE_FreeTransientObject(xk1);
	TEE_FreeTransientObject(xk2);

	/* MAC: short buffer, reset */
	k2 = secret(TEE_TYPE_HMAC_SHA256, key32, 32);
	op = op_with_key(TEE_ALG_HMAC_SHA256, TEE_MODE_MAC, 256, k2);
	TEE_MACInit(op, NULL, 0);
	TEE_MACUpdate(op, "x", 1);
	n = 31;
	ASSERT_TEE_RES(TEE_MACComputeFinal(op, NULL, 0, h1, &n), TEE_ERROR_SHORT_BUFFER);
	ASSERT_EQ_U64(n, 32);
	TEE_ResetOperation(op);
	TEE_GetOperationInfo(op, &info);
	ASSERT_EQ_U64(info.handleState, TEE_HANDLE_FLAG_KEY_SET);
	ASSERT_EQ_U64(info.digestLength, 32);
	TEE_FreeOperation(op);

	/* AE: tag buffer too small */
	op = op_with_key(TEE_ALG_AES_GCM, TEE_MODE_ENCRYPT, 128, k);
	ASSERT_TEE_OK(TEE_AEInit(op, key16, 12, 128, 0, 4));
	n = sizeof(h1);
	n2 = 8;
	ASSERT_TEE_RES(TEE_AEEncryptFinal(op, "data", 4, h1, &n, h2, &n2), TEE_ERROR_SHORT_BUFFER);
	ASSERT_EQ_U64(n2, 16);
	n2 = 16;
	ASSERT_TEE_OK(TEE_AEEncryptFinal(op, "data", 4, h1, &n, h2, &n2));
	ASSERT_EQ_U64(n, 4);
	TEE_FreeOperation(op);

	/* algorithms and elements */
	ASSERT_TEE_OK(TEE_IsAlgorithmSupported(TEE_ALG_AES_GCM, TEE_CRYPTO_ELEMENT_NONE));
	ASSERT_TEE_OK(TEE_IsAlgorithmSupported(TEE_ALG_ECDSA_SHA256, TEE_ECC_CURVE_NIST_P256));
	ASSERT_TEE_RES(TEE_IsAlgorithmSupported(TEE_ALG_ECDSA_SHA256, 0x77),
		       TEE_ERROR_NOT_SUPPORTED);
	ASSERT_TEE_RES(TEE_IsAlgorithmSupported(TEE_ALG_ILLEGAL_VALUE, 0), TEE_ERROR_NOT_SUPPORTED);
	ASSERT_TEE_RES(TEE_IsAlgorithmSupported(TEE_ALG_SM2_PKE, 0), TEE_ERROR_NOT_SUPPORTED);

	/* objects: attribute read-out, usage, copies, reset */
	n = 1;
	ASSERT_TEE_RES(TEE_GetObjectBufferAttribute(k, TEE_ATTR_SECRET_VALUE, h1, &n),
		       TEE_ERROR_SHORT_BUFFER);
	ASSERT_EQ_U64(n, 16);
	n = sizeof(h1);
	ASSERT_TEE_OK(TEE_GetObjectBufferAttribute(k, TEE_ATTR_SECRET_VALUE, h1, &n));
	ASSERT_EQ_U64(n, 16);
	ASSERT_EQ_INT(TEE_MemCompare(h1, key16, 16), 0);
	ASSERT_TEE_OK(TEE_RestrictObjectUsage1(k, TEE_USAGE_ENCRYPT | TEE_USAGE_EXTRACTABLE));
	ASSERT_TEE_OK(TEE_GetObjectInfo1(k, &oi));
	ASSERT_EQ_U64(oi.objectUsage, (TEE_USAGE_ENCRYPT | TEE_USAGE_EXTRACTABLE));
	ASSERT_EQ_U64(oi.objectType, TEE_TYPE_AES);
	ASSERT_EQ_U64(oi.objectSize, 128);
	ASSERT_EQ_U64(oi.handleFlags, TEE_HANDLE_FLAG_INITIALIZED);
	TEE_ResetTransientObject(k);
	ASSERT_TEE_OK(TEE_GetObjectInfo1(k, &oi));
	ASSERT_EQ_U64(oi.handleFlags, 0);
	ASSERT_EQ_U64(oi.objectSize, 0);
	ASSERT_EQ_U64(oi.maxObjectSize, 128);
	ASSERT_EQ_U64(oi.objectUsage, 0xFFFFFFFF);
	TEE_FreeTransientObject(k);
	TEE_FreeTransientObject(k2);
	/* DES sizes without parity bits name the same 8/16/24-byte keys */
	ASSERT_TEE_OK(TEE_AllocateTransientObject(TEE_TYPE_DES3, 168, &k));
	ASSERT_TEE_OK(TEE_GenerateKey(k, 168, NULL, 0));
	n = sizeof(h1);
	ASSERT_TEE_OK(TEE_GetObjectBufferAttribute(k, TEE_ATTR_SECRET_VALUE, h1, &n));
	ASSERT_EQ_U64(n, 24);
	TEE_FreeTransientObject(k);
	k = ed25519_key();
	ASSERT_TEE_OK(TEE_AllocateTransientObject(TEE_TYPE_ED25519_PUBLIC_KEY, 256, &k2));
	ASSERT_TEE_OK(TEE_CopyObjectAttributes1(k2, k));
	n = sizeof(h1);
	ASSERT_TEE_OK(TEE_GetObjectBufferAttribute(k2, TEE_ATTR_ED25519_PUBLIC_VALUE, h1, &n));
	ASSERT_EQ_U64(n, 32);
	n = sizeof(h1);
	ASSERT_TEE_RES(TEE_GetObjectBufferAttribute(k2, TEE_ATTR_ED25519_PRIVATE_VALUE, h1, &n),
		       TEE_ERROR_ITEM_NOT_FOUND);
	ASSERT_TEE_RES(TEE_GetObjectValueAttribute(k2, TEE_ATTR_ECC_CURVE, &va, &vb),
		       TEE_ERROR_ITEM_NOT_FOUND);
	/* a signature made with the pair verifies with the copied public key */
	op = op_with_key(TEE_ALG_ED25519, TEE_MODE_SIGN, 256, k);
	n = 10;
	ASSERT_TEE_RES(TEE_AsymmetricSignDigest(op, NULL, 0, "m", 1, h1, &n),
		       TEE_ERROR_SHORT_BUFFER);
	ASSERT_EQ_U64(n, 64);
	n = sizeof(h1);
	ASSERT_TEE_OK(TEE_AsymmetricSignDigest(op, NULL, 0, "m", 1, h1, &n));
	ASSERT_EQ_U64(n, 64);
	TEE_FreeOperation(op);
	op = op_with_key(TEE_ALG_ED25519, TEE_MODE_VERIFY, 256, k2);
	ASSERT_TEE_OK(TEE_AsymmetricVerifyDigest(op, NULL, 0, "m", 1, h1, n));
	TEE_FreeOperation(op);
	TEE_FreeTransientObject(k);
	TEE_FreeTransientObject(k2);
	return TEE_SUCCESS;
}
