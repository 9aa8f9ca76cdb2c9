/* SPDX-License-Identifier: BSD-2-Clause */
/* TA properties of the sanitizer canary TA: one instance per session. */
#ifndef USER_TA_HEADER_DEFINES_H
#define USER_TA_HEADER_DEFINES_H

#include <sanitizer_ta.h>

#define TA_UUID TA_SANITIZER_UUID
#define TA_FLAGS 0
#define TA_STACK_SIZE (8 * 1024)
#define TA_DATA_SIZE (32 * 1024)

#endif
