/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * GlobalPlatform TEE Internal Core API types (v1.3.1) with OP-TEE's layouts, plus the
 * GP 1.1 (__GP11_) variants used when a TA is compiled with __OPTEE_CORE_API_COMPAT_1_1.
 */
#ifndef TEE_API_TYPES_H
#define TEE_API_TYPES_H

#include <inttypes.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <tee_api_defines.h>

typedef uint32_t TEE_Result;
typedef uint32_t TEE_ErrorOrigin;
typedef uint32_t TEE_ObjectType;

typedef struct {
	uint32_t timeLow;
	uint16_t timeMid;
	uint16_t timeHiAndVersion;
	uint8_t clockSeqAndNode[8];
} TEE_UUID;

typedef struct {
	uint32_t login;
	TEE_UUID uuid;
} TEE_Identity;

/* GP 1.3.1 parameter: size_t sizes */
typedef union {
	struct {
		void *buffer;
		size_t size;
	} memref;
	struct {
		uint32_t a;
		uint32_t b;
	} value;
} TEE_Param;

/* GP 1.1 parameter: uint32_t sizes */
typedef union {
	struct {
		void *buffer;
		uint32_t size;
	} memref;
	struct {
		uint32_t a;
		uint32_t b;
	} value;
} __GP11_TEE_Param;

typedef struct {
	uint32_t seconds;
	uint32_t millis;
} TEE_Time;

typedef struct {
	uint32_t attributeID;
	union {
		struct {
			void *buffer;
			size_t length;
		} ref;
		struct {
			uint32_t a;
			uint32_t b;
		} value;
	} content;
} TEE_Attribute;

typedef struct {
	uint32_t attributeID;
	union {
		struct {
			void *buffer;
			uint32_t length;
		} ref;
		struct {
			uint32_t a;
			uint32_t b;
		} value;
	} content;
} __GP11_TEE_Attribute;

/* Both spellings of the size fields are accepted, as OP-TEE's headers do: GP 1.1 named
 * them keySize/maxKeySize, GP 1.1.1 and later objectSize/maxObjectSize. */
typedef struct {
	uint32_t objectType;
	union {
		uint32_t objectSize;
		uint32_t keySize;
	};
	union {
		uint32_t maxObjectSize;
		uint32_t maxKeySize;
	};
	uint32_t objectUsage;
	size_t dataSize;
	size_t dataPosition;
	uint32_t handleFlags;
} TEE_ObjectInfo;

typedef struct {
	uint32_t objectType;
	union {
		uint32_t objectSize;
		uint32_t keySize;
	};
	union {
		uint32_t maxObjectSize;
		uint32_t maxKeySize;
	};
	uint32_t objectUsage;
	uint32_t dataSize;
	uint32_t dataPosition;
	uint32_t handleFlags;
} __GP11_TEE_ObjectInfo;

typedef enum {
	TEE_DATA_SEEK_SET = 0,
	TEE_DATA_SEEK_CUR = 1,
	TEE_DATA_SEEK_END = 2,
	TEE_WHENCE_ILLEGAL_VALUE = 0x7FFFFFFF
} TEE_Whence;

/* Operation modes (TEE_AllocateOperation takes them as uint32_t). */
typedef enum {
	TEE_MODE_ENCRYPT = 0x00000000,
	TEE_MODE_DECRYPT = 0x00000001,
	TEE_MODE_SIGN = 0x00000002,
	TEE_MODE_VERIFY = 0x00000003,
	TEE_MODE_MAC = 0x00000004,
	TEE_MODE_DIGEST = 0x00000005,
	TEE_MODE_DERIVE = 0x00000006,
	TEE_MODE_ILLEGAL_VALUE = 0x7FFFFFFF
} TEE_OperationMode;

typedef struct {
	uint32_t algorithm;
	uint32_t operationClass;
	uint32_t mode;
	uint32_t digestLength;
	uint32_t maxKeySize;
	uint32_t keySize;
	uint32_t requiredKeyUsage;
	uint32_t handleState;
} TEE_OperationInfo;

typedef struct {
	uint32_t keySize;
	uint32_t requiredKeyUsage;
} TEE_OperationInfoKey;

typedef struct {
	uint32_t algorithm;
	uint32_t operationClass;
	uint32_t mode;
	uint32_t digestLength;
	uint32_t maxKeySize;
	uint32_t handleState;
	uint32_t operationState;
	uint32_t numberOfKeys;
	TEE_OperationInfoKey keyInformation[];
} TEE_OperationInfoMultiple;

/* Arithmetical API: arrays of uint32_t sized with TEE_BigIntSizeInU32() and friends. */
typedef uint32_t TEE_BigInt;
typedef uint32_t TEE_BigIntFMM;
typedef uint32_t TEE_BigIntFMMContext __attribute__((aligned(__alignof__(void *))));

typedef struct __TEE_TASessionHandle *TEE_TASessionHandle;
typedef struct __TEE_PropSetHandle *TEE_PropSetHandle;
typedef struct __TEE_ObjectHandle *TEE_ObjectHandle;
typedef struct __TEE_ObjectEnumHandle *TEE_ObjectEnumHandle;
typedef struct __TEE_OperationHandle *TEE_OperationHandle;

#ifdef __OPTEE_CORE_API_COMPAT_1_1
#define TEE_Param __GP11_TEE_Param
#define TEE_Attribute __GP11_TEE_Attribute
#define TEE_ObjectInfo __GP11_TEE_ObjectInfo
#endif

#endif
