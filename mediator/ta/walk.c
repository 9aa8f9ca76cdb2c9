/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * File tree walks for a TA: fts_open ftw nftw (and their 64 forms) fail with ENOSYS and
 * one log line naming the call.
 *
 * glibc's walk with its own stat and open system calls, which the TA sandbox refuses: a
 * walk failed with ENOSYS and a log line naming only 'newfstatat' (Tcl's `file delete
 * -force` and `file copy` of a directory use fts). A walk over libtzm's opendir/readdir/
 * lstat is not built yet. fts.h and ftw.h are not included: their declarations of the 64
 * forms use other types; only the symbols matter to the callers.
 */
#include "tzm_int.h"

void *fts_open(char *const *paths, int options, int (*cmp)(const void *, const void *));
void *fts64_open(char *const *paths, int options, int (*cmp)(const void *, const void *));
int ftw(const char *dir, int (*fn)(const char *, const void *, int), int fds);
int ftw64(const char *dir, int (*fn)(const char *, const void *, int), int fds);
int nftw(const char *dir, int (*fn)(const char *, const void *, int, void *), int fds, int flags);
int nftw64(const char *dir, int (*fn)(const char *, const void *, int, void *), int fds, int flags);

void *fts_open(char *const *paths, int options, int (*cmp)(const void *, const void *))
{
	(void)paths;
	(void)options;
	(void)cmp;
	tzm__unsupported("fts_open");
	return NULL;
}

void *fts64_open(char *const *paths, int options, int (*cmp)(const void *, const void *))
{
	(void)paths;
	(void)options;
	(void)cmp;
	tzm__unsupported("fts64_open");
	return NULL;
}

int ftw(const char *dir, int (*fn)(const char *, const void *, int), int fds)
{
	(void)dir;
	(void)fn;
	(void)fds;
	return tzm__unsupported("ftw");
}

int ftw64(const char *dir, int (*fn)(const char *, const void *, int), int fds)
{
	(void)dir;
	(void)fn;
	(void)fds;
	return tzm__unsupported("ftw64");
}

int nftw(const char *dir, int (*fn)(const char *, const void *, int, void *), int fds, int flags)
{
	(void)dir;
	(void)fn;
	(void)fds;
	(void)flags;
	return tzm__unsupported("nftw");
}

int nftw64(const char *dir, int (*fn)(const char *, const void *, int, void *), int fds, int flags)
{
	(void)dir;
	(void)fn;
	(void)fds;
	(void)flags;
	return tzm__unsupported("nftw64");
}
