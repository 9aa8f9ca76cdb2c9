/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Compile-time checks of the crypto constants and structure layouts that TAs rely on for
 * binary compatibility with OP-TEE (values of the GP TEE Internal Core API 1.3.1 and of
 * OP-TEE's extensions). One value per group and every value whose encoding is irregular.
 */
#include <assert.h>
#include <stddef.h>
#include <tee_internal_api.h>
#include <tee_internal_api_extensions.h>
#include <utee_defines.h>

#define EQ(a, b) static_assert((uint32_t)(a) == (uint32_t)(b), #a)

EQ(TEE_ALG_AES_ECB_NOPAD, 0x10000010);
EQ(TEE_ALG_AES_XTS, 0x10000410);
EQ(TEE_ALG_AES_CMAC, 0x30000610);
EQ(TEE_ALG_AES_GCM, 0x40000810);
EQ(TEE_ALG_DES3_CBC_MAC_PKCS5, 0x30000513);
EQ(TEE_ALG_RSASSA_PKCS1_V1_5_MD5SHA1, 0x7000F830);
EQ(TEE_ALG_RSASSA_PKCS1_PSS_MGF1_SHA3_512, 0x70B1B930);
EQ(TEE_ALG_RSAES_PKCS1_OAEP_MGF1_SHA256, 0x60410230);
EQ(TEE_ALG_RSA_NOPAD, 0x60000030);
EQ(TEE_ALG_DSA_SHA256, 0x70004131);
EQ(TEE_ALG_DH_DERIVE_SHARED_SECRET, 0x80000032);
EQ(TEE_ALG_ECDSA_P256, 0x70003042);
EQ(TEE_ALG_ECDSA_SHA512, 0x70005042);
EQ(TEE_ALG_ECDH_P384, 0x80000042);
EQ(TEE_ALG_ED25519, 0x70006043);
EQ(TEE_ALG_X25519, 0x80000044);
EQ(TEE_ALG_HKDF, 0x80000047);
EQ(TEE_ALG_SHA3_384, 0x5000000A);
EQ(TEE_ALG_SHAKE256, 0x50000102);
EQ(TEE_ALG_HMAC_SHA512, 0x30000006);
EQ(TEE_ALG_ILLEGAL_VALUE, 0xEFFFFFFF);
EQ(TEE_TYPE_HMAC_SHA3_512, 0xA000000B);
EQ(TEE_TYPE_RSA_KEYPAIR, 0xA1000030);
EQ(TEE_TYPE_X25519_KEYPAIR, 0xA1000044);
EQ(TEE_TYPE_HKDF, 0xA000004A);
EQ(TEE_TYPE_DATA, 0xA00000BF);
EQ(TEE_ATTR_RSA_COEFFICIENT, 0xC0000830);
EQ(TEE_ATTR_DH_X_BITS, 0xF0001332);
EQ(TEE_ATTR_RSA_PSS_SALT_LENGTH, 0xF0000A30);
EQ(TEE_ATTR_ECC_CURVE, 0xF0000441);
EQ(TEE_ATTR_EDDSA_PREHASH, 0xF0000004);
EQ(TEE_ATTR_X25519_PRIVATE_VALUE, 0xC0000A44);
EQ(TEE_ATTR_KDF_KEY_SIZE, 0xF0000C46);
EQ(TEE_ATTR_BIT_VALUE, 1u << 29);
EQ(TEE_ECC_CURVE_NIST_P521, 5);
EQ(TEE_ECC_CURVE_25519, 0x300);
EQ(TEE_MODE_DERIVE, 6);
EQ(TEE_OPERATION_KEY_DERIVATION, 8);
EQ(TEE_OPERATION_STATE_EXTRACTING, 2);
EQ(TEE_USAGE_DERIVE, 0x40);
EQ(TEE_HANDLE_FLAG_EXTRACTING, 0x00100000);
EQ(TEE_PANIC_ID_TEE_BIGINTCONVERTTOFMM, 0x00001C03);
EQ(TEE_PANIC_ID_TEE_ALLOCATEOPERATION, 0x00000C01);
EQ(TEE_BigIntSizeInU32(2048), 66);
/* OP-TEE extensions */
EQ(TEE_ALG_HKDF_SHA256_DERIVE_KEY, 0x800040C0);
EQ(TEE_ALG_CONCAT_KDF_SHA1_DERIVE_KEY, 0x800020C1);
EQ(TEE_ALG_PBKDF2_HMAC_SHA256_DERIVE_KEY, 0x800040C2);
EQ(TEE_ALG_RSASSA_PKCS1_V1_5, 0xF0000830);
EQ(TEE_TYPE_PBKDF2_PASSWORD, 0xA10000C2);
EQ(TEE_ATTR_PBKDF2_ITERATION_COUNT, 0xF00003C2);
EQ(TEE_ATTR_HKDF_OKM_LENGTH, 0xF00004C0);
/* TEE_ALG_GET_MAIN_ALG is a function, as in OP-TEE (the crypto TA checks it at run time) */

/* Layouts (LP64: both supported targets) */
static_assert(sizeof(TEE_OperationInfo) == 32, "TEE_OperationInfo");
static_assert(offsetof(TEE_OperationInfoMultiple, keyInformation) == 32,
	      "TEE_OperationInfoMultiple");
static_assert(sizeof(TEE_OperationInfoKey) == 8, "TEE_OperationInfoKey");
static_assert(sizeof(TEE_Attribute) == 24 && offsetof(TEE_Attribute, content.ref.length) == 16,
	      "TEE_Attribute");
#ifdef __OPTEE_CORE_API_COMPAT_1_1
static_assert(sizeof(((TEE_Attribute *)0)->content.ref.length) == 4, "GP 1.1 length");
#else
static_assert(sizeof(((TEE_Attribute *)0)->content.ref.length) == 8, "GP 1.3.1 length");
#endif
/* TEE_ObjectInfo's size fields answer to both spellings, as in OP-TEE's headers (GP 1.1
 * keySize/maxKeySize, as OP-TEE's acipher example uses, and objectSize/maxObjectSize). */
static_assert(offsetof(TEE_ObjectInfo, keySize) == offsetof(TEE_ObjectInfo, objectSize) &&
		      offsetof(TEE_ObjectInfo, keySize) == 4,
	      "TEE_ObjectInfo keySize");
static_assert(offsetof(TEE_ObjectInfo, maxKeySize) == offsetof(TEE_ObjectInfo, maxObjectSize) &&
		      offsetof(TEE_ObjectInfo, maxKeySize) == 8,
	      "TEE_ObjectInfo maxKeySize");
#ifdef __OPTEE_CORE_API_COMPAT_1_1
static_assert(sizeof(TEE_ObjectInfo) == 28, "GP 1.1 TEE_ObjectInfo");
#else
static_assert(sizeof(TEE_ObjectInfo) == 40, "GP 1.3.1 TEE_ObjectInfo");
#endif
