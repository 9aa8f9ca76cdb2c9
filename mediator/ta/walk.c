/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * File tree walks for a TA: nftw and ftw over libtzm's lstat/stat/opendir/readdir (every
 * step under the TA's policy); fts is fts.c.
 *
 * glibc's walk with their own stat and open system calls, which the TA sandbox refuses: a
 * walk failed with ENOSYS and a log line naming only 'newfstatat' (Tcl's `file delete
 * -force` of a directory uses fts), and in local mode glibc's walked the host's tree past
 * the policy. nftw here: pre-order or FTW_DEPTH post-order, FTW_PHYS, FTW_MOUNT, the
 * entries of a directory in readdir order, FTW_F FTW_D FTW_DP FTW_DNR FTW_NS FTW_SL
 * FTW_SLN, a callback's non-zero result ends the walk and is returned. FTW_CHDIR and
 * FTW_ACTIONRETVAL are not built: ENOSYS and a log line. Paths longer than PATH_MAX:
 * ENAMETOOLONG.
 */
#include <dirent.h>
#include <errno.h>
#include <ftw.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "tzm_int.h"

struct walk {
	int flags;
	__nftw_func_t fn;
	dev_t dev;
	char path[PATH_MAX];
};

/*
 * Visits w->path (len bytes, its last component at base) at depth level: the callback's
 * non-zero result, 0 to go on, or -1 with errno for an error that ends the walk.
 */
static int visit(struct walk *w, size_t len, size_t base, int level)
{
	struct FTW where = { .base = (int)base, .level = level };
	struct stat st;
	int type = FTW_F, rc = 0;
	DIR *d = NULL;
	struct dirent *e = NULL;

	memset(&st, 0, sizeof(st));
	if (((w->flags & FTW_PHYS) ? lstat(w->path, &st) : stat(w->path, &st)) != 0) {
		if (errno != ENOENT && errno != EACCES) {
			return -1; /* as glibc's: only these two are an answer about the entry */
		}
		type = !(w->flags & FTW_PHYS) && lstat(w->path, &st) == 0 && S_ISLNK(st.st_mode)
			       ? FTW_SLN
			       : FTW_NS;
		if (level == 0 && type == FTW_NS) {
			return -1; /* the root itself: glibc's nftw fails */
		}
		return w->fn(w->path, &st, type, &where);
	}
	if (level == 0) {
		w->dev = st.st_dev;
	} else if ((w->flags & FTW_MOUNT) && st.st_dev != w->dev) {
		return 0; /* another file system: not visited */
	}
	if (S_ISLNK(st.st_mode)) {
		return w->fn(w->path, &st, FTW_SL, &where);
	}
	if (!S_ISDIR(st.st_mode)) {
		return w->fn(w->path, &st, FTW_F, &where);
	}
	d = opendir(w->path);
	if (!d) {
		return errno == EACCES ? w->fn(w->path, &st, FTW_DNR, &where) : -1;
	}
	if (!(w->flags & FTW_DEPTH)) {
		rc = w->fn(w->path, &st, FTW_D, &where);
	}
	while (rc == 0 && (errno = 0, e = readdir(d)) != NULL) {
		size_t n = strlen(e->d_name), sep = len > 0 && w->path[len - 1] == '/' ? 0 : 1;

		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) {
			continue;
		}
		if (len + sep + n >= sizeof(w->path)) {
			errno = ENAMETOOLONG;
			rc = -1;
			break;
		}
		if (sep) {
			w->path[len] = '/';
		}
		memcpy(w->path + len + sep, e->d_name, n + 1);
		rc = visit(w, len + sep + n, len + sep, level + 1);
		w->path[len] = '\0';
	}
	if (rc == 0 && errno != 0 && !e) {
		rc = -1; /* readdir failed */
	}
	closedir(d);
	if (rc == 0 && (w->flags & FTW_DEPTH)) {
		rc = w->fn(w->path, &st, FTW_DP, &where);
	}
	return rc;
}

static int walk(const char *dir, __nftw_func_t fn, int flags)
{
	struct walk *w = NULL;
	size_t len = 0, base = 0;
	int rc = 0;

	if (tzm__null(dir) || tzm__null(fn)) {
		errno = EFAULT;
		return -1;
	}
	if (flags & (FTW_CHDIR | FTW_ACTIONRETVAL)) {
		tzm__log_once("nftw-flags", "nftw(): FTW_CHDIR and FTW_ACTIONRETVAL are not "
					    "supported by the mediator (ENOSYS)");
		errno = ENOSYS;
		return -1;
	}
	len = strlen(dir);
	if (len == 0) {
		errno = ENOENT;
		return -1;
	}
	if (len >= PATH_MAX) {
		errno = ENAMETOOLONG;
		return -1;
	}
	w = calloc(1, sizeof(*w));
	if (!w) {
		return -1;
	}
	w->flags = flags;
	w->fn = fn;
	memcpy(w->path, dir, len + 1);
	while (len > 1 && w->path[len - 1] == '/') { /* as glibc's: no trailing slashes */
		w->path[--len] = '\0';
	}
	for (size_t i = 0; i + 1 < len; i++) { /* the root's base: after its last '/' */
		if (w->path[i] == '/') {
			base = i + 1;
		}
	}
	rc = visit(w, len, base, 0);
	free(w);
	return rc;
}

int nftw(const char *dir, __nftw_func_t fn, int fds, int flags)
{
	(void)fds; /* one descriptor per level of the walk is open at a time */
	return walk(dir, fn, flags);
}

/*
 * ftw: nftw without flags (stat, not lstat), its callback without the struct FTW and with
 * ftw's types (as glibc's: a symbolic link as FTW_F, a dangling one as FTW_NS, FTW_DP as
 * FTW_D).
 */
static _Thread_local __ftw_func_t ftw_fn;

static int ftw_type(int type)
{
	switch (type) {
	case FTW_SL:
		return FTW_F;
	case FTW_SLN:
		return FTW_NS;
	case FTW_DP:
		return FTW_D;
	default:
		return type;
	}
}

static int ftw_adapter(const char *path, const struct stat *st, int type, struct FTW *where)
{
	(void)where;
	return ftw_fn(path, st, ftw_type(type));
}

int ftw(const char *dir, __ftw_func_t fn, int fds)
{
	__ftw_func_t outer = ftw_fn;
	int rc = 0;

	(void)fds;
	if (tzm__null(fn)) {
		errno = EFAULT;
		return -1;
	}
	ftw_fn = fn;
	rc = walk(dir, ftw_adapter, 0);
	ftw_fn = outer;
	return rc;
}

/*
 * The 64 forms (what _FILE_OFFSET_BITS=64 redirects to): on LP64 struct stat64 is struct
 * stat, as glibc's own aliases there assume; the callback is called through an adapter.
 */
_Static_assert(sizeof(struct stat64) == sizeof(struct stat), "LP64: stat64 is stat");
static _Thread_local __nftw64_func_t nftw64_fn;
static _Thread_local __ftw64_func_t ftw64_fn;

static int nftw64_adapter(const char *path, const struct stat *st, int type, struct FTW *where)
{
	return nftw64_fn(path, (const struct stat64 *)(const void *)st, type, where);
}

static int ftw64_adapter(const char *path, const struct stat *st, int type, struct FTW *where)
{
	(void)where;
	return ftw64_fn(path, (const struct stat64 *)(const void *)st, ftw_type(type));
}

int nftw64(const char *dir, __nftw64_func_t fn, int fds, int flags)
{
	__nftw64_func_t outer = nftw64_fn;
	int rc = 0;

	(void)fds;
	if (tzm__null(fn)) {
		errno = EFAULT;
		return -1;
	}
	nftw64_fn = fn;
	rc = walk(dir, nftw64_adapter, flags);
	nftw64_fn = outer;
	return rc;
}

int ftw64(const char *dir, __ftw64_func_t fn, int fds)
{
	__ftw64_func_t outer = ftw64_fn;
	int rc = 0;

	(void)fds;
	if (tzm__null(fn)) {
		errno = EFAULT;
		return -1;
	}
	ftw64_fn = fn;
	rc = walk(dir, ftw64_adapter, 0);
	ftw64_fn = outer;
	return rc;
}
