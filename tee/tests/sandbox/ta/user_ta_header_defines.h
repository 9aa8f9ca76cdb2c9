/* SPDX-License-Identifier: BSD-2-Clause */
/* TA properties of the sandbox-proof TA: one instance per session. */
#ifndef USER_TA_HEADER_DEFINES_H
#define USER_TA_HEADER_DEFINES_H

#include <sandbox_ta.h>

#define TA_UUID TA_SANDBOX_UUID
#define TA_FLAGS 0
#define TA_STACK_SIZE (8 * 1024)
#define TA_DATA_SIZE TA_SANDBOX_DATA_SIZE

#endif
