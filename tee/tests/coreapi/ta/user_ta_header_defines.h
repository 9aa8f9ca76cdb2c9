/* SPDX-License-Identifier: BSD-2-Clause */
/* TA properties of the Internal Core API test TA: one instance per session. */
#ifndef USER_TA_HEADER_DEFINES_H
#define USER_TA_HEADER_DEFINES_H

#include <coreapi_ta.h>

#define TA_UUID TA_COREAPI_UUID
#define TA_FLAGS 0
#define TA_STACK_SIZE (8 * 1024)
#define TA_DATA_SIZE TA_COREAPI_DATA_SIZE

#endif
