/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Helpers OP-TEE TAs take from <utee_defines.h>: the fields of a GP algorithm identifier
 * (class in bits 28-31, main algorithm in bits 0-7, chain mode in bits 8-11, signature hash
 * in bits 12-15), digest and block sizes, and byte-order conversions.
 */
#ifndef UTEE_DEFINES_H
#define UTEE_DEFINES_H

#include <stdint.h>
#include <tee_api_defines.h>
#include <tee_api_defines_extensions.h>

/* Main algorithm (bits 0-7 of an algorithm identifier or object type) */
#define TEE_MAIN_ALGO_MD5 0x01
#define TEE_MAIN_ALGO_SHA1 0x02
#define TEE_MAIN_ALGO_SHA224 0x03
#define TEE_MAIN_ALGO_SHA256 0x04
#define TEE_MAIN_ALGO_SHA384 0x05
#define TEE_MAIN_ALGO_SHA512 0x06
#define TEE_MAIN_ALGO_SM3 0x07
#define TEE_MAIN_ALGO_SHA3_224 0x08
#define TEE_MAIN_ALGO_SHA3_256 0x09
#define TEE_MAIN_ALGO_SHA3_384 0x0A
#define TEE_MAIN_ALGO_SHA3_512 0x0B
#define TEE_MAIN_ALGO_MD5SHA1 0x0F
#define TEE_MAIN_ALGO_AES 0x10
#define TEE_MAIN_ALGO_DES 0x11
#define TEE_MAIN_ALGO_DES2 0x12
#define TEE_MAIN_ALGO_DES3 0x13
#define TEE_MAIN_ALGO_SM4 0x14
#define TEE_MAIN_ALGO_RSA 0x30
#define TEE_MAIN_ALGO_DSA 0x31
#define TEE_MAIN_ALGO_DH 0x32
#define TEE_MAIN_ALGO_ECDSA 0x41
#define TEE_MAIN_ALGO_ECDH 0x42
#define TEE_MAIN_ALGO_ED25519 0x43
#define TEE_MAIN_ALGO_X25519 0x44
#define TEE_MAIN_ALGO_SM2_DSA_SM3 0x45
#define TEE_MAIN_ALGO_SM2_KEP 0x46
#define TEE_MAIN_ALGO_SM2_PKE 0x47
#define TEE_MAIN_ALGO_HKDF 0xC0
#define TEE_MAIN_ALGO_CONCAT_KDF 0xC1
#define TEE_MAIN_ALGO_PBKDF2 0xC2
#define TEE_MAIN_ALGO_SHAKE128 0xC3
#define TEE_MAIN_ALGO_SHAKE256 0xC4
#define TEE_MAIN_ALGO_X448 0x49

/* Chain mode (bits 8-11) */
#define TEE_CHAIN_MODE_ECB_NOPAD 0x0
#define TEE_CHAIN_MODE_CBC_NOPAD 0x1
#define TEE_CHAIN_MODE_CTR 0x2
#define TEE_CHAIN_MODE_CTS 0x3
#define TEE_CHAIN_MODE_XTS 0x4
#define TEE_CHAIN_MODE_CBC_MAC_PKCS5 0x5
#define TEE_CHAIN_MODE_CMAC 0x6
#define TEE_CHAIN_MODE_CCM 0x7
#define TEE_CHAIN_MODE_GCM 0x8
#define TEE_CHAIN_MODE_PKCS1_PSS_MGF1 0x9

/* The main algorithm is the low byte, except for the identifiers whose low byte names
 * something else: GP 1.3.1's ECDSA values end in 0x42 (ECDH's), SHAKE's in 0x01/0x02 (the
 * MD5/SHA-1 bytes), SM2's, X448's and HKDF's in a neighbour's. */
static inline uint32_t __tee_alg_get_main_alg(uint32_t algo)
{
	switch (algo) {
	case TEE_ALG_SM2_PKE:
		return TEE_MAIN_ALGO_SM2_PKE;
	case TEE_ALG_SM2_KEP:
		return TEE_MAIN_ALGO_SM2_KEP;
	case TEE_ALG_X25519:
		return TEE_MAIN_ALGO_X25519;
	case TEE_ALG_ED25519:
		return TEE_MAIN_ALGO_ED25519;
	case TEE_ALG_ECDSA_SHA1:
	case TEE_ALG_ECDSA_SHA224:
	case TEE_ALG_ECDSA_SHA256:
	case TEE_ALG_ECDSA_SHA384:
	case TEE_ALG_ECDSA_SHA512:
		return TEE_MAIN_ALGO_ECDSA;
	case TEE_ALG_HKDF:
		return TEE_MAIN_ALGO_HKDF;
	case TEE_ALG_SHAKE128:
		return TEE_MAIN_ALGO_SHAKE128;
	case TEE_ALG_SHAKE256:
		return TEE_MAIN_ALGO_SHAKE256;
	case TEE_ALG_X448:
		return TEE_MAIN_ALGO_X448;
	default:
		return algo & 0xFF;
	}
}

#define TEE_ALG_GET_MAIN_ALG(algo) __tee_alg_get_main_alg(algo)
#define TEE_ALG_GET_CHAIN_MODE(algo) (((uint32_t)(algo) >> 8) & 0xF)
#define TEE_ALG_GET_DIGEST_HASH(algo) (((uint32_t)(algo) >> 12) & 0xF)
#define TEE_ALG_HASH_ALGO(main_hash) (((uint32_t)TEE_OPERATION_DIGEST << 28) | (main_hash))

/* Operation class of an algorithm; OP-TEE's extension identifiers (0xF prefix) name theirs
 * by their main algorithm and chain mode. */
static inline uint32_t __tee_alg_get_class(uint32_t algo)
{
	if (algo == TEE_ALG_SM2_PKE) {
		return TEE_OPERATION_ASYMMETRIC_CIPHER;
	}
	if (algo == TEE_ALG_SM2_KEP) {
		return TEE_OPERATION_KEY_DERIVATION;
	}
	if (algo == TEE_ALG_RSAES_PKCS1_OAEP_MGF1_MD5) {
		return TEE_OPERATION_ASYMMETRIC_CIPHER;
	}
	if (algo == TEE_ALG_RSASSA_PKCS1_V1_5 || algo == TEE_ALG_RSASSA_PKCS1_PSS_MGF1_MD5) {
		return TEE_OPERATION_ASYMMETRIC_SIGNATURE;
	}
	if (algo == TEE_ALG_DES3_CMAC) {
		return TEE_OPERATION_MAC;
	}
	if (algo == TEE_ALG_SM4_XTS) {
		return TEE_OPERATION_CIPHER;
	}
	return (algo >> 28) & 0x7;
}
#define TEE_ALG_GET_CLASS(algo) __tee_alg_get_class(algo)

/* Digest sizes in bytes */
#define TEE_MD5_HASH_SIZE 16
#define TEE_SHA1_HASH_SIZE 20
#define TEE_SHA224_HASH_SIZE 28
#define TEE_SHA256_HASH_SIZE 32
#define TEE_SM3_HASH_SIZE 32
#define TEE_SHA384_HASH_SIZE 48
#define TEE_SHA512_HASH_SIZE 64
#define TEE_MD5SHA1_HASH_SIZE (TEE_MD5_HASH_SIZE + TEE_SHA1_HASH_SIZE)
#define TEE_MAX_HASH_SIZE 64

/* Block and key sizes in bytes */
#define TEE_AES_BLOCK_SIZE 16UL
#define TEE_DES_BLOCK_SIZE 8UL
#define TEE_SM4_BLOCK_SIZE 16UL
#define TEE_AES_MAX_KEY_SIZE 32UL

/* Byte order (TAs run little-endian on x86-64 and aarch64) */
#define TEE_U64_BSWAP(x) __builtin_bswap64(x)
#define TEE_U32_BSWAP(x) __builtin_bswap32(x)
#define TEE_U16_BSWAP(x) __builtin_bswap16(x)
#define TEE_U64_TO_BIG_ENDIAN(x) TEE_U64_BSWAP(x)
#define TEE_U64_FROM_BIG_ENDIAN(x) TEE_U64_BSWAP(x)
#define TEE_U32_TO_BIG_ENDIAN(x) TEE_U32_BSWAP(x)
#define TEE_U32_FROM_BIG_ENDIAN(x) TEE_U32_BSWAP(x)
#define TEE_U16_TO_BIG_ENDIAN(x) TEE_U16_BSWAP(x)
#define TEE_U16_FROM_BIG_ENDIAN(x) TEE_U16_BSWAP(x)

#endif
