// SPDX-License-Identifier: BSD-2-Clause
/*
 * Tiny test harness for attest/ unit tests: CHECK() records a failure with its location
 * and keeps going, so one run lists every broken expectation; main returns non-zero if
 * any CHECK failed.
 */
#ifndef ATTEST_TEST_H
#define ATTEST_TEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "tzm_attest.h"

extern int attest_test_failures;

#define CHECK(cond)                                                                                \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond);   \
			attest_test_failures++;                                                    \
		}                                                                                  \
	} while (0)

/* Reads dir/name into a malloc'd buffer (NUL-terminated); aborts on failure. */
uint8_t *test_read(const char *dir, const char *name, size_t *len);
/* True if the report has a finding with this reason. */
bool test_has(const struct tzm_attest_report *r, enum tzm_attest_reason reason);
void test_dump(const struct tzm_attest_report *r);
int test_result(const char *name);

#endif
