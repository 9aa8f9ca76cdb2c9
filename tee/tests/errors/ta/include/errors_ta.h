/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Error-case test TA (also built as three "victim" copies with other UUIDs, whose .ta
 * files the bad-image test corrupts).
 * CMD_PING:      p0 VALUE_OUTPUT a = 0x600d.
 * CMD_HEAP:      p0 VALUE_OUTPUT a = 1 KiB blocks TEE_Malloc gave before returning NULL,
 *                b = bit 0: a huge TEE_Malloc returned NULL, bit 1: after freeing
 *                everything a new block could be allocated.
 * CMD_OOM_PANIC: TEE_Panic(TEE_ERROR_OUT_OF_MEMORY) when a 4 x TA_DATA_SIZE TEE_Malloc
 *                fails (as TAs commonly do).
 * CMD_POKE:      writes to the address in p0 VALUE_INPUT a (0: a NULL pointer write).
 * CMD_ABORT:     abort().
 */
#ifndef ERRORS_TA_H
#define ERRORS_TA_H

#define TA_ERRORS_UUID_STR "4f29e2cb-70a1-4345-a04d-4ce093c03962"
#define TA_VICTIM1_UUID_STR "be7a7fbd-8870-4e3b-9f2a-2b3083c7319a"
#define TA_VICTIM2_UUID_STR "6c4fda1d-27ca-4df6-8b61-ad6e406ac7e8"
#define TA_VICTIM3_UUID_STR "24d4efeb-f0cb-4448-a10f-c7771c22f638"
#define TA_ERRORS_DATA_SIZE (64 * 1024)

#define TA_ERRORS_CMD_PING 0
#define TA_ERRORS_CMD_HEAP 1
#define TA_ERRORS_CMD_OOM_PANIC 2
#define TA_ERRORS_CMD_POKE 3
#define TA_ERRORS_CMD_ABORT 4

#endif
