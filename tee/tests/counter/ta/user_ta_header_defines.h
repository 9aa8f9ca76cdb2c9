/* SPDX-License-Identifier: BSD-2-Clause */
/* TA properties of the counter test TA: one instance shared by all its sessions. */
#ifndef USER_TA_HEADER_DEFINES_H
#define USER_TA_HEADER_DEFINES_H

#include <counter_ta.h>

#define TA_UUID TA_COUNTER_UUID
#define TA_FLAGS (TA_FLAG_SINGLE_INSTANCE | TA_FLAG_MULTI_SESSION)
#define TA_STACK_SIZE (8 * 1024)
#define TA_DATA_SIZE (64 * 1024)
#define TA_VERSION "1.0"
#define TA_DESCRIPTION "tzmediator test TA: counters and session state"

#endif
