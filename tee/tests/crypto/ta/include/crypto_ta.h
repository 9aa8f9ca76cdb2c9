/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Crypto test TA (built twice: GP 1.3.1 and GP 1.1 API level): runs one GP operation per
 * command from a request the host builds, so that the host can compare the result with
 * published vectors and with OpenSSL, and provokes each misuse the spec defines.
 *
 * A request is a sequence of records: u32 tag, u32 length, then length bytes (padded to 4).
 * Attribute records (KEY_ATTR, KEY2_ATTR, PARAM) start with the u32 attribute ID; a value
 * attribute then has u32 a and u32 b, a buffer attribute its bytes.
 */
#ifndef CRYPTO_TA_H
#define CRYPTO_TA_H

#define TA_CRYPTO_UUID_STR "c7f0c7a1-5eed-4c0d-9a11-000000000131"
#define TA_CRYPTO_GP11_UUID_STR "c7f0c7a1-5eed-4c0d-9a11-000000000111"
#define TA_CRYPTO_DESCRIPTION "GP cryptography test TA"

/* [in] value a=algorithm b=mode, [in] memref request, [out] memref output,
 * [out] memref second output (AE tag) or none. Returns the final call's result. */
#define TA_CRYPTO_CMD_OP 1
/* [in] value a=object type b=key size, [in] memref request (PARAM records), [out] memref
 * the generated key's attributes as KEY_ATTR records */
#define TA_CRYPTO_CMD_GENKEY 2
/* [in] value a=misuse case; panics or returns what the spec says */
#define TA_CRYPTO_CMD_MISUSE 3
/* no parameters: state, info and short-buffer rules checked inside the TA; a failed check
 * panics the TA (TEE_ERROR_TARGET_DEAD; file:line and both values in tee.log) */
#define TA_CRYPTO_CMD_SELFTEST 4

/* [in] value a=arithmetic function (BI_*), [in] memref operands, [out] memref results.
 * Operands and results are records (tag = BI_A/BI_B/BI_N or the result's index) holding
 * a sign byte (0/1) and the magnitude, big-endian. */
#define TA_CRYPTO_CMD_BIGINT 5

/* [in] value a=TIME_GET/TIME_SET/TIME_COUNT_OBJECTS, [inout] value a=seconds b=millis (COUNT:
 * a = the objects an enumerator of TEE_STORAGE_PRIVATE shows). Returns the call's result. */
#define TA_CRYPTO_CMD_TIME 6
#define TIME_GET 0
#define TIME_SET 1
#define TIME_COUNT_OBJECTS 2

/* Persistent key objects. [in] value (unused), [in] memref request: KEY_TYPE, KEY_ATTR
 * (the key), KEY_ID, OBJ_DATA (initial data), USAGE (restriction before storing).
 * TEE_CreatePersistentObject from the populated transient key, then closes it. An OP
 * request with KEY_ID and no KEY_ATTR opens that object and uses it as the key (checking
 * its info, and its data against OBJ_DATA when given); with COPY, through a transient
 * object filled by TEE_CopyObjectAttributes1 from it. */
#define TA_CRYPTO_CMD_STORE 7
/* [in] value a=attribute ID, [in] memref request (KEY_ID), [out] memref: the persistent
 * key's buffer attribute (TEE_GetObjectBufferAttribute) */
#define TA_CRYPTO_CMD_GETATTR 8

enum crypto_ta_bigint {
	BI_ADD,
	BI_SUB,
	BI_MUL,
	BI_SQUARE,
	BI_DIV, /* q, r */
	BI_MOD,
	BI_ADDMOD,
	BI_SUBMOD,
	BI_MULMOD,
	BI_SQUAREMOD,
	BI_INVMOD,
	BI_EXPMOD,
	BI_GCD, /* gcd, u, v */
	BI_RELPRIME,
	BI_ISPRIME,
	BI_NEG,
	BI_SHIFT, /* a >> (b as a small number) */
	BI_CMP,
	BI_FMM, /* a * b mod n through the FMM functions */
	BI_ABS,
	BI_LAST
};
#define BI_A 1
#define BI_B 2
#define BI_N 3

enum crypto_ta_tag {
	CT_KEY_TYPE = 1, /* u32 object type of the key (and KEY2) */
	CT_KEY_ATTR = 2,
	CT_KEY2_ATTR = 3,
	CT_IV = 4, /* IV, nonce */
	CT_AAD = 5,
	CT_DATA = 6,
	CT_TAG = 7,       /* expected MAC / AE tag / signature */
	CT_TAGLEN = 8,    /* u32 AE tag length in bits */
	CT_PARAM = 9,     /* operation parameter attribute */
	CT_CHUNK = 10,    /* u32: feed data in chunks of this size (0: one call) */
	CT_MAXKEY = 11,   /* u32 maxKeySize for TEE_AllocateOperation (default: the key's) */
	CT_OUTMAX = 12,   /* u32 bits: size of the derived key object (default 4096) */
	CT_KEY_ID = 13,   /* persistent object ID of the key */
	CT_OBJ_DATA = 14, /* the persistent key object's data */
	CT_USAGE = 15,    /* u32 TEE_RestrictObjectUsage1 mask before storing */
	CT_COPY = 16,     /* u32 1: use the persistent key through a transient copy */
};

/* Misuse cases: the expected outcome is in the host's table. */
enum crypto_ta_misuse {
	MU_DIGEST_ON_CIPHER = 1,      /* TEE_DigestUpdate on a cipher operation: panic */
	MU_CIPHER_UPDATE_NO_INIT,     /* TEE_CipherUpdate before TEE_CipherInit: panic */
	MU_CIPHER_INIT_NO_KEY,        /* TEE_CipherInit without a key: panic */
	MU_CIPHER_FINAL_PARTIAL,      /* AES-CBC-NOPAD final with 15 bytes: panic */
	MU_KEY_TOO_BIG,               /* a 256-bit key on a 128-bit operation: panic */
	MU_KEY_WRONG_TYPE,            /* an HMAC key on an AES operation: panic */
	MU_KEY_NO_USAGE,              /* key restricted to DECRYPT on an ENCRYPT op: panic */
	MU_ALLOC_BAD_MODE,            /* AES-CBC in MODE_SIGN: NOT_SUPPORTED */
	MU_ALLOC_BAD_SIZE,            /* AES with maxKeySize 100: NOT_SUPPORTED */
	MU_ALLOC_UNKNOWN_ALG,         /* TEE_ALG_ILLEGAL_VALUE: NOT_SUPPORTED */
	MU_POPULATE_TWICE,            /* populating an initialized object: panic */
	MU_POPULATE_MISSING_ATTR,     /* RSA key pair without the private exponent: panic */
	MU_POPULATE_FOREIGN_ATTR,     /* an ECC attribute in an AES object: panic */
	MU_POPULATE_BAD_SIZE,         /* a 17-byte AES key: BAD_PARAMETERS */
	MU_EXTRACT_PROTECTED,         /* secret value of a non-extractable key: panic */
	MU_BAD_OP_HANDLE,             /* an operation handle that is no handle: panic */
	MU_BAD_OBJ_HANDLE,            /* an object handle that is no handle: panic */
	MU_MAC_COMPARE_WRONG,         /* TEE_MACCompareFinal with a wrong MAC: MAC_INVALID */
	MU_AE_TAG_WRONG,              /* AES-GCM decryption with a wrong tag: MAC_INVALID */
	MU_AE_BAD_TAGLEN,             /* AES-GCM with a 64-bit tag: NOT_SUPPORTED */
	MU_SIGN_WRONG_DIGEST_LEN,     /* RSASSA-SHA256 sign of a 20-byte digest: panic */
	MU_VERIFY_BAD_SIG,            /* Ed25519 verify of a modified signature: SIG_INVALID */
	MU_GENKEY_TOO_BIG,            /* generating 256 bits in a 128-bit object: panic */
	MU_AAD_AFTER_PAYLOAD,         /* TEE_AEUpdateAAD after TEE_AEUpdate: panic */
	MU_SET_KEY_WHILE_ACTIVE,      /* TEE_SetOperationKey on an initialized cipher: panic */
	MU_DERIVE_INTO_RSA_OBJECT,    /* ECDH result into an RSA object: panic */
	MU_RSA_DECRYPT_GARBAGE,       /* RSAES-PKCS1-v1.5 decrypt of garbage: CIPHERTEXT_INVALID */
	MU_PERSIST_UNINIT_KEY,        /* TEE_CreatePersistentObject from an empty key: panic */
	MU_PERSIST_DATA_AS_KEY,       /* TEE_SetOperationKey with a persistent data object: panic */
	MU_PERSIST_FREE_AS_TRANSIENT, /* TEE_FreeTransientObject on a persistent key: panic */
	MU_EDDSA_CTX_TOO_LONG,        /* Ed25519 with a 256-byte context: panic */
	MU_EDDSA_CTX_MAX,             /* Ed25519ctx with a 255-byte context: SUCCESS */
	MU_EDDSA_PREHASH_NOT_BOOL,    /* TEE_ATTR_EDDSA_PREHASH a = 2: panic */
	MU_EDDSA_TWO_CTX,             /* two TEE_ATTR_EDDSA_CTX: panic */
	MU_EDDSA_FOREIGN_PARAM,       /* an RSA parameter on Ed25519: panic */
	MU_EDDSA_OTHER_CTX,           /* Ed25519ctx verify, other context: SIGNATURE_INVALID */
	MU_EDDSA_CTX_AS_PURE,         /* Ed25519ctx signature as pure Ed25519: SIGNATURE_INVALID */
	MU_EDDSA_PH_AS_PURE,          /* Ed25519ph signature as pure Ed25519: SIGNATURE_INVALID */
	MU_EDDSA_PH_AS_CTX_EMPTY,     /* Ed25519ph signature as Ed25519ctx: SIGNATURE_INVALID */
	MU_DIGEST_UPDATE_AFTER_EXTRACT, /* TEE_DigestUpdate after TEE_DigestExtract: panic */
	MU_POPULATE_OVERSIZE,           /* a 1032-bit secret in an HMAC-SHA256 object: panic */
	MU_OAEP_BAD_MGF_HASH,           /* a 2-byte TEE_ATTR_RSA_OAEP_MGF_HASH: panic */
	MU_ED25519_MISMATCHED_PAIR,     /* Ed25519 pair, public of another key: BAD_PARAMETERS */
	MU_LAST
};

#endif
