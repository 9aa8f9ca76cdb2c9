/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * File metadata and links forwarded to the shadow (checked there against the policy):
 * chmod/fchmod/fchmodat/lchmod, chown/fchown/lchown/fchownat, utimensat/futimens/utimes/
 * lutimes/futimes/utime, truncate, symlink/symlinkat, readlink/readlinkat, link/linkat,
 * realpath/canonicalize_file_name, flock; sendfile; eventfd (+ eventfd_read/write),
 * timerfd_create/settime/gettime; ppoll/pselect (the signal mask applied with the public
 * pthread_sigmask around the wait); temporary files (tmpfile, mkstemp & co., mkdtemp)
 * made with open/mkdir under the policy; raw syscall() refused with one log line.
 *
 * glibc implements these with direct system calls (or internal ones: tmpfile, mkstemp,
 * realpath, eventfd_read) that never reach libtzm, so each is defined here.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/file.h>
#include <sys/select.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/timerfd.h>
#include <unistd.h>
#include <utime.h>

#include "tzm_int.h"

/* One call with a path in the blob and up to four leading arguments. */
static int path_op(uint32_t op, const char *path, int64_t a0, int64_t a1, int64_t a2, int64_t a3)
{
	return tzm__path_call(op, path, a0, a1, a2, a3) < 0 ? -1 : 0;
}

static int fd_op(uint32_t op, int fd, int64_t a1, int64_t a2)
{
	return tzm__args_call(op, fd, a1, a2) < 0 ? -1 : 0;
}

/* ---- modes and owners ---- */

int fchmod(int fd, mode_t mode)
{
	return fd_op(TZM_OP_FCHMOD, fd, mode & 07777, 0);
}

int fchmodat(int dirfd, const char *path, mode_t mode, int flags)
{
	if (flags & ~AT_SYMLINK_NOFOLLOW) {
		errno = EINVAL;
		return -1;
	}
	return path_op(TZM_OP_CHMOD, path, mode & 07777, dirfd, (flags & AT_SYMLINK_NOFOLLOW) != 0,
		       0);
}

int chmod(const char *path, mode_t mode)
{
	return fchmodat(AT_FDCWD, path, mode, 0);
}

int lchmod(const char *path, mode_t mode)
{
	return fchmodat(AT_FDCWD, path, mode, AT_SYMLINK_NOFOLLOW);
}

int fchown(int fd, uid_t uid, gid_t gid)
{
	return fd_op(TZM_OP_FCHOWN, fd, (int64_t)uid, (int64_t)gid);
}

int fchownat(int dirfd, const char *path, uid_t uid, gid_t gid, int flags)
{
	if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH)) {
		errno = EINVAL;
		return -1;
	}
	if ((flags & AT_EMPTY_PATH) && !tzm__null(path) && path[0] == '\0') {
		return fchown(dirfd, uid, gid);
	}
	return path_op(TZM_OP_CHOWN, path, (int64_t)uid, (int64_t)gid, dirfd,
		       (flags & AT_SYMLINK_NOFOLLOW) != 0);
}

int chown(const char *path, uid_t uid, gid_t gid)
{
	return fchownat(AT_FDCWD, path, uid, gid, 0);
}

int lchown(const char *path, uid_t uid, gid_t gid)
{
	return fchownat(AT_FDCWD, path, uid, gid, AT_SYMLINK_NOFOLLOW);
}

/* ---- times ---- */

static int do_utimens(int dirfd, const char *path, const struct timespec ts[2], int nofollow)
{
	static const struct timespec now[2] = { { 0, UTIME_NOW }, { 0, UTIME_NOW } };
	struct tzm__call c;
	size_t len = 0;

	if (!ts) {
		ts = now;
	}
	tzm__begin(&c, TZM_OP_UTIMENS);
	if (path) {
		if (tzm__put_path(&c, 0, path, &len) != 0) {
			return -1;
		}
		if (len == 1) {
			errno = ENOENT;
			return -1;
		}
		c.req.data_len = (uint32_t)len;
	}
	c.req.args[0] = dirfd;
	c.req.args[1] = nofollow;
	c.req.args[2] = ts[0].tv_sec;
	c.req.args[3] = ts[0].tv_nsec;
	c.req.args[4] = ts[1].tv_sec;
	c.req.args[5] = ts[1].tv_nsec;
	return tzm__invoke(&c) < 0 ? -1 : 0;
}

int utimensat(int dirfd, const char *path, const struct timespec ts[2], int flags)
{
	if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH)) {
		errno = EINVAL;
		return -1;
	}
	/* Linux: a NULL path (or "" with AT_EMPTY_PATH) names dirfd itself */
	if (tzm__null(path) || (path[0] == '\0' && (flags & AT_EMPTY_PATH))) {
		return do_utimens(dirfd, NULL, ts, 0);
	}
	return do_utimens(dirfd, path, ts, (flags & AT_SYMLINK_NOFOLLOW) != 0);
}

int futimens(int fd, const struct timespec ts[2])
{
	return do_utimens(fd, NULL, ts, 0);
}

/* timeval pairs (utimes family): microseconds must be 0..999999 (EINVAL otherwise) */
static int tv_to_ts(const struct timeval tv[2], struct timespec ts[2])
{
	for (int i = 0; i < 2; i++) {
		if (tv[i].tv_usec < 0 || tv[i].tv_usec >= 1000000) {
			errno = EINVAL;
			return -1;
		}
		ts[i].tv_sec = tv[i].tv_sec;
		ts[i].tv_nsec = tv[i].tv_usec * 1000;
	}
	return 0;
}

static int utimes_common(int fd, const char *path, const struct timeval tv[2], int nofollow)
{
	struct timespec ts[2];

	if (tv && tv_to_ts(tv, ts) != 0) {
		return -1;
	}
	if (!path) {
		return do_utimens(fd, NULL, tv ? ts : NULL, 0);
	}
	return do_utimens(AT_FDCWD, path, tv ? ts : NULL, nofollow);
}

int utimes(const char *path, const struct timeval tv[2])
{
	if (tzm__null(path)) {
		errno = EFAULT;
		return -1;
	}
	return utimes_common(AT_FDCWD, path, tv, 0);
}

int lutimes(const char *path, const struct timeval tv[2])
{
	if (tzm__null(path)) {
		errno = EFAULT;
		return -1;
	}
	return utimes_common(AT_FDCWD, path, tv, 1);
}

int futimes(int fd, const struct timeval tv[2])
{
	return utimes_common(fd, NULL, tv, 0);
}

int utime(const char *path, const struct utimbuf *times)
{
	struct timespec ts[2];

	if (tzm__null(path)) {
		errno = EFAULT;
		return -1;
	}
	if (!times) {
		return do_utimens(AT_FDCWD, path, NULL, 0);
	}
	ts[0].tv_sec = times->actime;
	ts[0].tv_nsec = 0;
	ts[1].tv_sec = times->modtime;
	ts[1].tv_nsec = 0;
	return do_utimens(AT_FDCWD, path, ts, 0);
}

/* ---- size ---- */

int truncate(const char *path, off_t len)
{
	if (len < 0) {
		errno = EINVAL;
		return -1;
	}
	return path_op(TZM_OP_TRUNCATE, path, len, 0, 0, 0);
}

int truncate64(const char *path, off64_t len)
{
	return truncate(path, len);
}

/* ---- links ---- */

int symlinkat(const char *target, int dirfd, const char *linkpath)
{
	return tzm__two_path_call(TZM_OP_SYMLINK, target, linkpath, dirfd, 0, 0);
}

int symlink(const char *target, const char *linkpath)
{
	return symlinkat(target, AT_FDCWD, linkpath);
}

int linkat(int olddir, const char *oldpath, int newdir, const char *newpath, int flags)
{
	if (flags & ~(AT_SYMLINK_FOLLOW | AT_EMPTY_PATH)) {
		errno = EINVAL;
		return -1;
	}
	if ((flags & AT_EMPTY_PATH) && !tzm__null(oldpath) && oldpath[0] == '\0') {
		/* linking a descriptor needs CAP_DAC_READ_SEARCH, which a TA never has */
		errno = ENOENT;
		return -1;
	}
	return tzm__two_path_call(TZM_OP_LINK, oldpath, newpath, olddir, newdir,
				  flags & AT_SYMLINK_FOLLOW);
}

int link(const char *oldpath, const char *newpath)
{
	return linkat(AT_FDCWD, oldpath, AT_FDCWD, newpath, 0);
}

ssize_t readlinkat(int dirfd, const char *path, char *buf, size_t size)
{
	struct tzm__call c;
	int64_t r = 0;

	if (size == 0 || size > SSIZE_MAX) {
		errno = EINVAL;
		return -1;
	}
	if (tzm__begin_path(&c, TZM_OP_READLINK, path) != 0) {
		return -1;
	}
	c.req.args[0] = dirfd;
	c.req.args[1] = (int64_t)(size < c.cap ? size : c.cap);
	r = tzm__invoke(&c);
	if (r < 0) {
		return -1;
	}
	if ((uint64_t)r > size || c.resp.data_len != (uint64_t)r) {
		return tzm__malformed(&c, "readlink length");
	}
	memcpy(buf, c.buf, (size_t)r);
	return (ssize_t)r;
}

ssize_t readlink(const char *path, char *buf, size_t size)
{
	return readlinkat(AT_FDCWD, path, buf, size);
}

char *realpath(const char *path, char *resolved)
{
	char out[PATH_MAX];
	struct tzm__call c;
	int64_t r = 0;

	if (tzm__null(path)) {
		errno = EINVAL;
		return NULL;
	}
	if (tzm__begin_path(&c, TZM_OP_REALPATH, path) != 0) {
		return NULL;
	}
	r = tzm__invoke(&c);
	if (r < 0) {
		return NULL;
	}
	if (r < 2 || r > PATH_MAX || c.resp.data_len != (uint64_t)r) {
		tzm__malformed(&c, "realpath length");
		return NULL;
	}
	memcpy(out, c.buf, (size_t)r);
	if (out[0] != '/' || strnlen(out, (size_t)r) != (size_t)r - 1) {
		tzm__malformed(&c, "realpath is not an absolute path");
		return NULL;
	}
	if (!resolved) {
		resolved = malloc((size_t)r);
		if (!resolved) {
			errno = ENOMEM;
			return NULL;
		}
	}
	memcpy(resolved, out, (size_t)r);
	return resolved;
}

char *canonicalize_file_name(const char *path)
{
	return realpath(path, NULL);
}

/* ---- locks, sendfile ---- */

int flock(int fd, int op)
{
	return fd_op(TZM_OP_FLOCK, fd, op, 0);
}

ssize_t sendfile(int out, int in, off_t *offset, size_t count)
{
	struct tzm__call c;
	int64_t r = 0;

	tzm__begin(&c, TZM_OP_SENDFILE);
	c.req.args[0] = out;
	c.req.args[1] = in;
	c.req.args[2] = (int64_t)(count > 0x7ffff000 ? 0x7ffff000 : count);
	c.req.args[3] = offset != NULL;
	c.req.args[4] = offset ? *offset : 0;
	r = tzm__invoke(&c);
	if (r < 0) {
		return -1;
	}
	if (r > c.req.args[2] || (offset && c.resp.aux[0] != *offset + r)) {
		return tzm__malformed(&c, "sendfile count or offset");
	}
	if (offset) {
		*offset = (off_t)c.resp.aux[0];
	}
	return (ssize_t)r;
}

ssize_t sendfile64(int out, int in, off64_t *offset, size_t count)
{
	return sendfile(out, in, offset, count);
}

/* ---- eventfd, timerfd ---- */

static int new_fd(struct tzm__call *c)
{
	int64_t r = tzm__invoke(c);

	if (r < 0 || tzm__fd_accept_new(c, r) != 0) {
		return -1;
	}
	return (int)r;
}

int eventfd(unsigned int initval, int flags)
{
	struct tzm__call c;

	tzm__begin(&c, TZM_OP_EVENTFD);
	c.req.args[0] = initval;
	c.req.args[1] = flags;
	return new_fd(&c);
}

int eventfd_read(int fd, eventfd_t *value)
{
	return read(fd, value, sizeof(*value)) == (ssize_t)sizeof(*value) ? 0 : -1;
}

int eventfd_write(int fd, eventfd_t value)
{
	return write(fd, &value, sizeof(value)) == (ssize_t)sizeof(value) ? 0 : -1;
}

int timerfd_create(int clockid, int flags)
{
	struct tzm__call c;

	tzm__begin(&c, TZM_OP_TIMERFD_CREATE);
	c.req.args[0] = clockid;
	c.req.args[1] = flags;
	return new_fd(&c);
}

static int get_itimerspec(const struct tzm__call *c, struct itimerspec *it)
{
	const int64_t *a = c->resp.aux;

	if (a[0] < 0 || a[1] < 0 || a[1] >= 1000000000 || a[2] < 0 || a[3] < 0 ||
	    a[3] >= 1000000000) {
		return (int)tzm__malformed(c, "timer value out of range");
	}
	if (it) {
		it->it_interval.tv_sec = (time_t)a[0];
		it->it_interval.tv_nsec = (long)a[1];
		it->it_value.tv_sec = (time_t)a[2];
		it->it_value.tv_nsec = (long)a[3];
	}
	return 0;
}

int timerfd_settime(int fd, int flags, const struct itimerspec *nv, struct itimerspec *old)
{
	struct tzm__call c;

	if (tzm__null(nv)) {
		errno = EFAULT;
		return -1;
	}
	tzm__begin(&c, TZM_OP_TIMERFD_SETTIME);
	c.req.args[0] = fd;
	c.req.args[1] = flags;
	c.req.args[2] = nv->it_interval.tv_sec;
	c.req.args[3] = nv->it_interval.tv_nsec;
	c.req.args[4] = nv->it_value.tv_sec;
	c.req.args[5] = nv->it_value.tv_nsec;
	if (tzm__invoke(&c) < 0) {
		return -1;
	}
	return get_itimerspec(&c, old);
}

int timerfd_gettime(int fd, struct itimerspec *cur)
{
	struct tzm__call c;

	if (tzm__null(cur)) {
		errno = EFAULT;
		return -1;
	}
	tzm__begin(&c, TZM_OP_TIMERFD_GETTIME);
	c.req.args[0] = fd;
	if (tzm__invoke(&c) < 0) {
		return -1;
	}
	return get_itimerspec(&c, cur);
}

/* ---- waits with a signal mask ---- */

/* timespec -> poll milliseconds, rounded up (a wait never ends early); -1 for NULL */
static int ts_to_ms(const struct timespec *ts, int *ms)
{
	long long v = 0;

	if (!ts) {
		*ms = -1;
		return 0;
	}
	if (ts->tv_sec < 0 || ts->tv_nsec < 0 || ts->tv_nsec >= 1000000000) {
		errno = EINVAL;
		return -1;
	}
	if (ts->tv_sec > INT_MAX / 1000) {
		*ms = INT_MAX;
		return 0;
	}
	v = (long long)ts->tv_sec * 1000 + (ts->tv_nsec + 999999) / 1000000;
	*ms = v > INT_MAX ? INT_MAX : (int)v;
	return 0;
}

/*
 * The mask is set with the public pthread_sigmask (libtzm's signal layer when it has one)
 * for the duration of the wait, then restored, as ppoll/pselect do atomically in the
 * kernel. errno of the wait is kept.
 */
int ppoll(struct pollfd *fds, nfds_t nfds, const struct timespec *tmo, const sigset_t *mask)
{
	sigset_t old;
	int ms = 0, r = 0, e = 0;

	if (ts_to_ms(tmo, &ms) != 0) {
		return -1;
	}
	if (mask && pthread_sigmask(SIG_SETMASK, mask, &old) != 0) {
		return -1;
	}
	r = poll(fds, nfds, ms);
	e = errno;
	if (mask) {
		(void)pthread_sigmask(SIG_SETMASK, &old, NULL);
	}
	errno = e;
	return r;
}

int pselect(int nfds, fd_set *rd, fd_set *wr, fd_set *ex, const struct timespec *tmo,
	    const sigset_t *mask)
{
	struct timeval tv;
	sigset_t old;
	int r = 0, e = 0;

	if (tmo) {
		if (tmo->tv_sec < 0 || tmo->tv_nsec < 0 || tmo->tv_nsec >= 1000000000) {
			errno = EINVAL;
			return -1;
		}
		tv.tv_sec = tmo->tv_sec;
		tv.tv_usec = (tmo->tv_nsec + 999) / 1000;
		if (tv.tv_usec == 1000000) {
			tv.tv_sec++;
			tv.tv_usec = 0;
		}
	}
	if (mask && pthread_sigmask(SIG_SETMASK, mask, &old) != 0) {
		return -1;
	}
	r = select(nfds, rd, wr, ex, tmo ? &tv : NULL);
	e = errno;
	if (mask) {
		(void)pthread_sigmask(SIG_SETMASK, &old, NULL);
	}
	errno = e;
	return r;
}

/* ---- temporary files: created under the policy like any other file ---- */

static uint64_t rnd_state;

static char rnd_char(void)
{
	static const char set[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

	if (rnd_state == 0) {
		rnd_state = tzm__monotonic_ns() ^ ((uint64_t)(uint32_t)getpid() << 32) ^
			    0x9e3779b97f4a7c15ull;
	}
	/* xorshift64: names need only be unlikely to collide; O_EXCL decides */
	rnd_state ^= rnd_state << 13;
	rnd_state ^= rnd_state >> 7;
	rnd_state ^= rnd_state << 17;
	return set[rnd_state % (sizeof(set) - 1)];
}

#define TMP_ATTEMPTS 100

/* glibc's __gen_tempname: XXXXXX before a suffix of suffixlen bytes; dir or file */
static int gen_temp(char *tmpl, int suffixlen, int flags, bool dir)
{
	size_t len = 0;
	char *x = NULL;

	if (tzm__null(tmpl) || suffixlen < 0) {
		errno = EINVAL;
		return -1;
	}
	len = strlen(tmpl);
	if (len < 6 + (size_t)suffixlen || memcmp(tmpl + len - suffixlen - 6, "XXXXXX", 6) != 0) {
		errno = EINVAL;
		return -1;
	}
	x = tmpl + len - suffixlen - 6;
	for (int attempt = 0; attempt < TMP_ATTEMPTS; attempt++) {
		int fd = -1;

		for (int i = 0; i < 6; i++) {
			x[i] = rnd_char();
		}
		if (dir) {
			fd = mkdir(tmpl, 0700);
		} else {
			fd = open(tmpl, O_RDWR | O_CREAT | O_EXCL | (flags & ~O_ACCMODE), 0600);
		}
		if (fd >= 0 || errno != EEXIST) {
			return fd;
		}
	}
	errno = EEXIST;
	return -1;
}

int mkostemps(char *tmpl, int suffixlen, int flags)
{
	return gen_temp(tmpl, suffixlen, flags, false);
}

int mkstemps(char *tmpl, int suffixlen)
{
	return gen_temp(tmpl, suffixlen, 0, false);
}

int mkostemp(char *tmpl, int flags)
{
	return gen_temp(tmpl, 0, flags, false);
}

int mkstemp(char *tmpl)
{
	return gen_temp(tmpl, 0, 0, false);
}

int mkstemp64(char *tmpl)
{
	return mkstemp(tmpl);
}

char *mkdtemp(char *tmpl)
{
	return gen_temp(tmpl, 0, 0, true) == 0 ? tmpl : NULL;
}

/* glibc: an unlinked file in P_tmpdir (/tmp), opened "w+" */
FILE *tmpfile(void)
{
	char name[] = P_tmpdir "/tmpfXXXXXX";
	FILE *f = NULL;
	int fd = gen_temp(name, 0, 0, false), e = 0;

	if (fd < 0) {
		return NULL;
	}
	(void)unlink(name);
	f = fdopen(fd, "w+");
	if (!f) {
		e = errno;
		close(fd);
		errno = e;
	}
	return f;
}

FILE *tmpfile64(void)
{
	return tmpfile();
}

/* ---- raw system calls never reach the kernel from a TA ---- */

long syscall(long number, ...)
{
	/* one line per system call number (the kernel's numbers are below 1024) */
	static uint8_t logged[1024 / 8];
	bool first = true;

	if (number >= 0 && number < 1024) {
		first = !(logged[number / 8] & (1u << (number % 8)));
		logged[number / 8] |= (uint8_t)(1u << (number % 8));
	} else {
		first = tzm__first_time("syscall(out of range)");
	}
	if (first) {
		tzm__log("syscall(%ld) is not supported by the mediator (ENOSYS)", number);
	}
	errno = ENOSYS;
	return -1;
}

/* ---- scandir: glibc's opens the directory with internal calls that never reach libtzm ---- */

/* qsort passes pointers to the array's elements: call the caller's comparison as declared */
static int (*scandir_compar)(const struct dirent **, const struct dirent **);

static int scandir_cmp(const void *a, const void *b)
{
	return scandir_compar((const struct dirent **)a, (const struct dirent **)b);
}

int scandir(const char *path, struct dirent ***out, int (*filter)(const struct dirent *),
	    int (*compar)(const struct dirent **, const struct dirent **))
{
	struct dirent **list = NULL, *de = NULL;
	size_t n = 0, cap = 0;
	DIR *d = opendir(path);
	int e = 0;

	if (!d) {
		return -1;
	}
	for (;;) {
		struct dirent *copy = NULL;

		errno = 0;
		de = readdir(d);
		if (!de) {
			e = errno;
			break;
		}
		if (filter && !filter(de)) {
			continue;
		}
		if (n == cap) {
			struct dirent **grown = NULL;

			cap = cap ? cap * 2 : 16;
			grown = realloc(list, cap * sizeof(*list));
			if (!grown) {
				e = ENOMEM;
				break;
			}
			list = grown;
		}
		copy = malloc(sizeof(*copy));
		if (!copy) {
			e = ENOMEM;
			break;
		}
		memcpy(copy, de, sizeof(*copy));
		list[n++] = copy;
	}
	(void)closedir(d);
	if (e != 0 || n > INT_MAX) {
		while (n > 0) {
			free(list[--n]);
		}
		free(list);
		errno = e ? e : EOVERFLOW;
		return -1;
	}
	if (compar && n > 1) {
		scandir_compar = compar;
		qsort(list, n, sizeof(*list), scandir_cmp);
	}
	*out = list;
	return (int)n;
}
