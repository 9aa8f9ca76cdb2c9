/* SPDX-License-Identifier: BSD-2-Clause */
/* TA properties of the lifecycle TA, "keep" variant (see lifecycle_ta.h). */
#ifndef USER_TA_HEADER_DEFINES_H
#define USER_TA_HEADER_DEFINES_H

#include <lifecycle_ta.h>

#define TA_UUID TA_LIFE_KEEP_UUID
#define TA_FLAGS (TA_FLAG_SINGLE_INSTANCE | TA_FLAG_MULTI_SESSION | TA_FLAG_INSTANCE_KEEP_ALIVE)
#define TA_STACK_SIZE (8 * 1024)
#define TA_DATA_SIZE (32 * 1024)

#endif
