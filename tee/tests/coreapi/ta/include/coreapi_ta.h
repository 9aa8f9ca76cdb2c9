/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Internal Core API test TA: memory functions and TEE_CheckMemoryAccessRights, checked
 * inside the TA. Each command runs a numbered list of checks; a failing check writes its
 * report (tzm_test.h: location, both values, the check's name) to tee.log and panics the
 * TA, so the host sees TEE_ERROR_TARGET_DEAD.
 * CMD_HEAP:   TEE_Malloc/Realloc/Free.
 * CMD_MEM:    TEE_MemFill/MemMove/MemCompare.
 * CMD_ACCESS: TEE_CheckMemoryAccessRights; p1 MEMREF_TEMP_INPUT (at least 64 bytes), the
 *             client's buffer.
 * p0 VALUE_OUTPUT: a = number of checks run (all passed), b = 0. The host prints the
 * names below.
 */
#ifndef COREAPI_TA_H
#define COREAPI_TA_H

#define TA_COREAPI_UUID_STR "6a95dd31-3f7b-476f-975b-adf232395c42"
#define TA_COREAPI_UUID                                                                            \
	{                                                                                          \
		0x6a95dd31, 0x3f7b, 0x476f,                                                        \
		{                                                                                  \
			0x97, 0x5b, 0xad, 0xf2, 0x32, 0x39, 0x5c, 0x42                             \
		}                                                                                  \
	}

#define TA_COREAPI_CMD_HEAP 0
#define TA_COREAPI_CMD_MEM 1
#define TA_COREAPI_CMD_ACCESS 2

#define TA_COREAPI_DATA_SIZE (64 * 1024)

/* Check names, in order (index = check number - 1). */
#define TA_COREAPI_HEAP_CHECKS                                                                     \
	"TEE_Malloc(64) returns zero-filled memory",                                               \
		"TEE_Malloc with TEE_MALLOC_NO_FILL returns memory",                               \
		"TEE_Realloc growing to 4 KiB keeps the contents",                                 \
		"TEE_Realloc shrinking to 16 bytes keeps the contents",                            \
		"TEE_Realloc(NULL, 32) allocates",                                                 \
		"TEE_Realloc beyond TA_DATA_SIZE fails and leaves the block intact",               \
		"TEE_Malloc beyond TA_DATA_SIZE returns NULL", "TEE_Free(NULL) is a no-op",        \
		"after freeing everything, TA_DATA_SIZE / 2 can be allocated again"
#define TA_COREAPI_MEM_CHECKS                                                                      \
	"TEE_MemFill fills exactly size bytes with the low byte of x",                             \
		"TEE_MemMove with overlapping ranges, destination above the source",               \
		"TEE_MemMove with overlapping ranges, destination below the source",               \
		"TEE_MemCompare: equal buffers give 0",                                            \
		"TEE_MemCompare: smaller first buffer gives a negative value",                     \
		"TEE_MemCompare: larger first buffer gives a positive value"
#define TA_COREAPI_ACCESS_CHECKS                                                                   \
	"heap block: READ|WRITE allowed", "TA stack: READ|WRITE allowed",                          \
		"TA writable global: READ|WRITE allowed", "TA read-only data: READ allowed",       \
		"TA read-only data: WRITE denied",                                                 \
		"TA relocated read-only data (RELRO): WRITE denied", "TA code: READ allowed",      \
		"NULL pointer: denied", "range wrapping around the address space: denied",         \
		"heap block extended past the heap: denied", "host (tzm-ta-host) code: denied",    \
		"client memref without TEE_MEMORY_ACCESS_ANY_OWNER: denied",                       \
		"client memref with TEE_MEMORY_ACCESS_ANY_OWNER: READ allowed",                    \
		"range running past the end of the client memref: denied",                         \
		"undefined access flag: denied", "size 0: allowed"

#endif
