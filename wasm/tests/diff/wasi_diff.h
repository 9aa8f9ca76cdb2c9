/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The WASI differential suite's one addition to the transcript helpers (mediator/tests/
 * diff/tr.h): a call whose result differs between Linux and WASI preview 1 by design.
 * Both builds print the same transcript line, naming the difference; each build checks
 * its own expected result (a mismatch fails like EXPECT). So no difference is masked: the
 * list of them is the list of EXPECT_WASI_DIFFERS lines, each with its reason.
 */
#ifndef TZM_WASI_DIFF_H
#define TZM_WASI_DIFF_H

#include <errno.h>

#include "tr.h"

long wd_differs(const char *file, int line, const char *why, const char *call, long ret, long want,
		int werr);

#ifdef __wasi__
#define EXPECT_WASI_DIFFERS(why, native_want, native_err, wasi_want, wasi_err, expr)               \
	wd_differs(__FILE__, __LINE__, why, #expr, (errno = 0, (long)(expr)), (wasi_want),         \
		   (wasi_err))
#else
#define EXPECT_WASI_DIFFERS(why, native_want, native_err, wasi_want, wasi_err, expr)               \
	wd_differs(__FILE__, __LINE__, why, #expr, (errno = 0, (long)(expr)), (native_want),       \
		   (native_err))
#endif

#endif
