/* SPDX-License-Identifier: BSD-2-Clause */
/* EXPECT_WASI_DIFFERS (wasi_diff.h). */
#include "wasi_diff.h"

#include <stdio.h>
#include <tzm_test.h>

long wd_differs(const char *file, int line, const char *why, const char *call, long ret, long want,
		int werr)
{
	int err = errno;

	printf("%4d: %s = (differs in WASI preview 1: %s)\n", line, call, why);
	fflush(stdout);
	if (ret != want || (want == -1 && err != werr)) {
		tzm_test__fail(file, line, "%s: returned %ld (errno %s), expected %ld (errno %s)",
			       call, ret, tzm_test_errno_name(err), want,
			       tzm_test_errno_name(werr));
	}
	return ret;
}
