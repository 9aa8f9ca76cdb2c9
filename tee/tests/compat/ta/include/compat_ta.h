/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * API-level test TA, one source built twice: against GP 1.1 (__OPTEE_CORE_API_COMPAT_1_1,
 * uint32_t memref sizes, like OP-TEE's own examples) and against GP 1.3.1 (size_t).
 * CMD_LEVEL:   p0 VALUE_OUTPUT a = 11 or 13, b = sizeof(TEE_Param.memref.size).
 * CMD_REVERSE: p0 MEMREF_INPUT reversed into p1 MEMREF_OUTPUT (size write-back,
 *              TEE_ERROR_SHORT_BUFFER with the required size).
 * CMD_DESC:    p0 MEMREF_OUTPUT = gpd.ta.description via TEE_GetPropertyAsString (size
 *              includes the NUL; SHORT_BUFFER with the required size).
 * CMD_VIA_TA:  p0 MEMREF_OUTPUT filled by the counter TA (GP 1.3.1) from this TA's heap,
 *              p1 VALUE_INOUT a incremented by the counter TA: TA-to-TA across API levels.
 */
#ifndef COMPAT_TA_H
#define COMPAT_TA_H

#define TA_COMPAT_GP11_UUID_STR "eb76d919-0a27-4e50-b037-0f7dd1c6d7ec"
#define TA_COMPAT_GP13_UUID_STR "7ab630db-7f1a-4d68-b4dd-ba382ef1573f"
#define TA_COMPAT_DESCRIPTION "tzmediator API-level test TA"

#define TA_COMPAT_CMD_LEVEL 0
#define TA_COMPAT_CMD_REVERSE 1
#define TA_COMPAT_CMD_DESC 2
#define TA_COMPAT_CMD_VIA_TA 3

#endif
