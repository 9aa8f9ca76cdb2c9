// SPDX-License-Identifier: BSD-2-Clause
/*
 * Shared helpers of the attest/ tests (test vectors, findings, report dumps). The checks
 * are tzm_test.h's (tests/support): the first failing one ends the test with its values.
 */
#ifndef ATTEST_TEST_H
#define ATTEST_TEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <tzm_test.h>

#include "tzm_attest.h"

/* Reads dir/name into a malloc'd buffer (NUL-terminated); aborts on failure. */
uint8_t *test_read(const char *dir, const char *name, size_t *len);
/* True if the report has a finding with this reason. */
bool test_has(const struct tzm_attest_report *r, enum tzm_attest_reason reason);
void test_dump(const struct tzm_attest_report *r);
/* Prints "<name>: all checks passed" and returns 0 (main's status). */
int test_result(const char *name);

#endif
