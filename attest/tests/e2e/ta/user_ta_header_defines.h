/* SPDX-License-Identifier: BSD-2-Clause */
/* TA properties of the attestation test TA: one instance per session (own key, REMs). */
#ifndef USER_TA_HEADER_DEFINES_H
#define USER_TA_HEADER_DEFINES_H

#include <attest_ta.h>

#define TA_UUID TA_ATTEST_TEST_UUID
#define TA_FLAGS 0
#define TA_STACK_SIZE (8 * 1024)
#define TA_DATA_SIZE (64 * 1024)
#define TA_VERSION "1.0"
#define TA_DESCRIPTION "tzmediator test TA: attestation tokens and REM extension"

#endif
