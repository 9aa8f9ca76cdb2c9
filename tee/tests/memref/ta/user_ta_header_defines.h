/* SPDX-License-Identifier: BSD-2-Clause */
/* TA properties of the memref test TA. */
#ifndef USER_TA_HEADER_DEFINES_H
#define USER_TA_HEADER_DEFINES_H

#include <memref_ta.h>

#define TA_UUID TA_MEMREF_UUID
#define TA_FLAGS TA_FLAG_MULTI_SESSION
#define TA_STACK_SIZE (8 * 1024)
#define TA_DATA_SIZE (32 * 1024)

#endif
