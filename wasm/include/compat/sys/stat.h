/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * <sys/stat.h> for Wasm TAs: wasi-libc's, plus mkfifo() and mkfifoat() (WASI cannot make
 * a FIFO; the "tzm" import path_mkfifo can, under a preopened directory, the shadow
 * deciding by the TA's fifo rules as for a C TA). A path resolves through the preopens as
 * wasi-libc's open() does.
 */
#ifndef TZM_WASM_COMPAT_SYS_STAT_H
#define TZM_WASM_COMPAT_SYS_STAT_H

#include_next <sys/stat.h>

#include <errno.h>
#include <limits.h>
#include <string.h>
#include <tzm_wasm.h>
#include <wasi/libc-find-relpath.h>

static inline int mkfifoat(int dirfd, const char *path, mode_t mode)
{
	return __tzm_ret(
		__tzm_path_mkfifo((uint32_t)dirfd, path, (uint32_t)strlen(path), (uint32_t)mode),
		0);
}

static inline int mkfifo(const char *path, mode_t mode)
{
	char buf[PATH_MAX];
	char *rel = buf;
	const char *prefix = NULL;
	int dirfd = __wasilibc_find_relpath(path, &prefix, &rel, sizeof(buf));

	if (dirfd < 0) {
		return -1; /* errno: ENOENT under no preopen, as open() */
	}
	return mkfifoat(dirfd, rel, mode);
}

#endif
