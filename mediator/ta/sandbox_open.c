/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Files glibc opens itself, inside its own functions: the time zone (tzset, localtime,
 * strftime's %Z: $TZ's file under /usr/share/zoneinfo, or /etc/localtime), the locale
 * (setlocale, newlocale: /usr/lib/locale/...), gconv's module cache (iconv_open). They
 * never reach libtzm's open(): glibc makes the openat system call, which the TA sandbox
 * traps. tzm-ta-host (tee/ta_host/sandbox.c) hands such a read-only openat to this hook,
 * on the TA thread that made it (main's or one it created), from its SIGSYS handler: the
 * file is opened with libtzm's open(), i.e. through the shadow under the TA's policy (a
 * path outside it: EACCES, and the shadow's "policy: denied" line names it), copied into
 * a memfd, and glibc gets the memfd, on which its read, fstat, mmap and close are the host's own
 * allowed calls. A stat or lstat of a path glibc makes itself (tzset's check whether the zone file
 * changed) goes to libtzm's stat()/lstat() the same way. The TA gains nothing it could
 * not read with open() and stat() itself.
 *
 * Not served, with one log line naming the path and ENOSYS: a shared object (gconv's
 * conversion modules: a TA cannot map new code), a file over 64 MiB, a directory (except
 * glibc's locale category directory LC_x, which it opens only to then read LC_x/SYS_LC_x:
 * that file is answered at once). The sandbox does not offer opendir's O_DIRECTORY opens
 * (gconv's gconv-modules.d): its own line names the path. Before libtzm's runtime is up, or
 * re-entered: INT_MIN, the hook's "not mine": the sandbox fails the call with ENOSYS and its usual
 * line.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "../transport/rawsys.h"
#include "tzm_int.h"

#define SANDBOX_OPEN_MAX (64L * 1024 * 1024)

int tzm_ta_sandbox_open(const char *path, int flags);
int tzm_ta_sandbox_stat(const char *path, struct stat *st, int flags);

static bool ends_with(const char *s, const char *tail)
{
	size_t n = strlen(s), t = strlen(tail);

	return n >= t && strcmp(s + n - t, tail) == 0;
}

/*
 * One line per path (CPython tries each extension module several times): true the first
 * time this path's digest is seen; after 64 distinct paths, every time.
 */
static bool first_for(const char *path)
{
	static uint64_t seen[64];
	static size_t nseen;
	uint64_t h = 1469598103934665603ull;

	for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
		h = (h ^ *p) * 1099511628211ull;
	}
	for (size_t i = 0; i < nseen; i++) {
		if (seen[i] == h) {
			return false;
		}
	}
	if (nseen < sizeof(seen) / sizeof(seen[0])) {
		seen[nseen++] = h;
	}
	return true;
}

/* A shared object by its name: "x.so" or "x.so.N...". */
static bool is_shared_object(const char *path)
{
	const char *base = strrchr(path, '/');
	const char *so = strstr(base ? base : path, ".so");

	return so && (so[3] == '\0' || so[3] == '.');
}

/* Copies the TA file fd (size bytes) into a new memfd: the memfd, or -errno. */
static int copy_to_memfd(int fd, off_t size, int flags)
{
	char buf[16384];
	off_t done = 0;
	int mfd = (int)TZM__SYS2(SYS_memfd_create, "tzm-glibc-open",
				 (flags & O_CLOEXEC) ? MFD_CLOEXEC : 0);

	if (mfd < 0) {
		return -errno;
	}
	while (done < size) {
		ssize_t n = read(fd, buf, sizeof(buf));
		ssize_t put = 0;

		if (n < 0 && errno == EINTR) {
			continue;
		}
		if (n <= 0) {
			break; /* the file shrank: what was there */
		}
		while (put < n) {
			long w = TZM__SYS3(SYS_write, mfd, buf + put, n - put);

			if (w < 0) {
				int err = errno;

				TZM__SYS1(SYS_close, mfd);
				return -err;
			}
			put += w;
		}
		done += n;
	}
	if (TZM__SYS3(SYS_lseek, mfd, 0, SEEK_SET) < 0) {
		int err = errno;

		TZM__SYS1(SYS_close, mfd);
		return -err;
	}
	return mfd;
}

/* Opens path for glibc: a memfd, or -errno (ENOSYS after one log line naming it). */
static int serve_open(const char *path, int flags)
{
	char sys[PATH_MAX];
	struct stat st;
	int fd = -1, rc = 0;

	if (is_shared_object(path)) {
		if (first_for(path)) {
			tzm__log("glibc's own loading of %s is not supported in a TA (a TA "
				 "cannot map new code): ENOSYS",
				 path);
		}
		return -ENOSYS;
	}
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		return -errno;
	}
	memset(&st, 0, sizeof(st));
	if (fstat(fd, &st) != 0) {
		rc = -errno;
		goto out;
	}
	if (S_ISDIR(st.st_mode)) {
		const char *base = strrchr(path, '/');

		base = base ? base + 1 : path;
		close(fd);
		fd = -1;
		/* glibc's locale loader opens a category directory LC_x only to read
		 * LC_x/SYS_LC_x next (loadlocale.c): that file is the answer */
		if (strncmp(base, "LC_", 3) == 0 && !ends_with(path, "/") &&
		    snprintf(sys, sizeof(sys), "%s/SYS_%s", path, base) < (int)sizeof(sys)) {
			return serve_open(sys, flags);
		}
		tzm__log("glibc's own open of the directory %s is not supported in a TA: ENOSYS",
			 path);
		return -ENOSYS;
	}
	if (!S_ISREG(st.st_mode) || st.st_size > SANDBOX_OPEN_MAX) {
		tzm__log("glibc's own open of %s (%s) is not supported in a TA: ENOSYS", path,
			 S_ISREG(st.st_mode) ? "over 64 MiB" : "not a regular file");
		rc = -ENOSYS;
		goto out;
	}
	rc = copy_to_memfd(fd, st.st_size, flags);
out:
	if (fd >= 0) {
		close(fd);
	}
	return rc;
}

int tzm_ta_sandbox_open(const char *path, int flags)
{
	static _Thread_local bool busy; /* per thread: each makes its calls on its lane */
	int saved = errno, rc = 0;

	if (busy || !path || !tzm__rt.tp || !tzm__hook_may_call()) {
		return INT_MIN;
	}
	busy = true;
	rc = serve_open(path, flags);
	busy = false;
	errno = saved;
	return rc;
}

int tzm_ta_sandbox_stat(const char *path, struct stat *st, int flags)
{
	static _Thread_local bool busy; /* per thread: each makes its calls on its lane */
	struct stat local;
	int saved = errno, rc = 0;

	if (busy || !path || !st || !tzm__rt.tp || !tzm__hook_may_call()) {
		return INT_MIN;
	}
	busy = true;
	memset(&local, 0, sizeof(local));
	rc = ((flags & AT_SYMLINK_NOFOLLOW) ? lstat(path, &local) : stat(path, &local)) == 0
		     ? 0
		     : -errno;
	if (rc == 0) {
		memcpy(st, &local, sizeof(local));
	}
	busy = false;
	errno = saved;
	return rc;
}
