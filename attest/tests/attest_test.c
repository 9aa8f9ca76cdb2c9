// SPDX-License-Identifier: BSD-2-Clause
/* Shared helpers of the attest/ unit tests (see attest_test.h). */
#include "attest_test.h"

#include <stdlib.h>
#include <string.h>

uint8_t *test_read(const char *dir, const char *name, size_t *len)
{
	char path[4096];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	FILE *f = fopen(path, "rb");
	if (f == NULL) {
		perror(path);
		abort();
	}
	uint8_t *buf = malloc(TZM_ATTEST_MAX_TOKEN + 1);
	if (buf == NULL) {
		abort();
	}
	*len = fread(buf, 1, TZM_ATTEST_MAX_TOKEN, f);
	buf[*len] = 0;
	fclose(f);
	return buf;
}

bool test_has(const struct tzm_attest_report *r, enum tzm_attest_reason reason)
{
	for (size_t i = 0; i < r->num_findings && i < TZM_ATTEST_MAX_FINDINGS; i++) {
		if (r->findings[i].reason == reason) {
			return true;
		}
	}
	return false;
}

void test_dump(const struct tzm_attest_report *r)
{
	tzm_attest_report_print(stderr, r);
}

int test_result(const char *name)
{
	printf("%s: all checks passed\n", name);
	return 0;
}
