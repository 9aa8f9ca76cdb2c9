/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * TA properties of the hello_world sample, read by the dev kit's user_ta_header.c.
 */
#ifndef USER_TA_HEADER_DEFINES_H
#define USER_TA_HEADER_DEFINES_H

#include <hello_world_ta.h>

#define TA_UUID TA_HELLO_WORLD_UUID

/* A multi-instance TA: every session gets its own instance (and its own process). */
#define TA_FLAGS TA_FLAG_EXEC_DDR
#define TA_STACK_SIZE (2 * 1024)
#define TA_DATA_SIZE (32 * 1024)

#define TA_VERSION "1.0"
#define TA_DESCRIPTION "tzmediator hello_world sample TA"

#endif
