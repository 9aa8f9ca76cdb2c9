/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * glibc's _FORTIFY_SOURCE entry points for the calls libtzm provides.
 *
 * A TA's own sources are compiled without fortification, but a library it links was
 * often built with it (Debian builds every package with _FORTIFY_SOURCE=2: Tcl's
 * libtcl8.6.a calls __realpath_chk, __fprintf_chk, __sprintf_chk ...). Those calls
 * reached glibc's checked versions, which call glibc's own read, realpath, printf:
 * realpath's readlink system call was refused by the TA sandbox, __printf_chk wrote to
 * the TA host's fd 1 (/dev/null: the output vanished without a word), __syslog_chk's
 * socket got the TA killed. Here each checks its buffer as glibc's does and then calls
 * libtzm's function. A failed check ends the TA as glibc's does (abort: death by
 * SIGABRT), after saying so on tzm-run's stderr, where glibc's message could not go.
 * Entry points whose glibc versions only touch a FILE the caller passes (__fprintf_chk,
 * __fgets_chk, __fread_chk ...) or compute (__sprintf_chk, __memcpy_chk ...) stay glibc's.
 */
#include <fcntl.h>
#include <limits.h>
#include <mqueue.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <syslog.h>
#include <unistd.h>

#include "tzm_int.h"

/* The declarations glibc keeps in its internal headers (the bits/ headers name some). */
ssize_t __read_chk(int fd, void *buf, size_t n, size_t buflen);
ssize_t __pread_chk(int fd, void *buf, size_t n, off_t off, size_t buflen);
ssize_t __pread64_chk(int fd, void *buf, size_t n, off_t off, size_t buflen);
ssize_t __recv_chk(int fd, void *buf, size_t n, size_t buflen, int flags);
ssize_t __recvfrom_chk(int fd, void *buf, size_t n, size_t buflen, int flags, struct sockaddr *addr,
		       socklen_t *addrlen);
ssize_t __readlink_chk(const char *path, char *buf, size_t n, size_t buflen);
ssize_t __readlinkat_chk(int dirfd, const char *path, char *buf, size_t n, size_t buflen);
char *__getcwd_chk(char *buf, size_t size, size_t buflen);
char *__realpath_chk(const char *path, char *resolved, size_t resolvedlen);
int __gethostname_chk(char *buf, size_t len, size_t buflen);
int __getdomainname_chk(char *buf, size_t len, size_t buflen);
int __getlogin_r_chk(char *buf, size_t len, size_t buflen);
int __poll_chk(struct pollfd *fds, nfds_t nfds, int timeout, size_t fdslen);
int __ppoll_chk(struct pollfd *fds, nfds_t nfds, const struct timespec *timeout,
		const sigset_t *mask, size_t fdslen);
int __printf_chk(int flag, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int __vprintf_chk(int flag, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));
int __dprintf_chk(int fd, int flag, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
int __vdprintf_chk(int fd, int flag, const char *fmt, va_list ap)
	__attribute__((format(printf, 3, 0)));
int __openat_2(int dirfd, const char *path, int flags);
int __openat64_2(int dirfd, const char *path, int flags);
mqd_t __mq_open_2(const char *name, int flags);
void __syslog_chk(int priority, int flag, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void __vsyslog_chk(int priority, int flag, const char *fmt, va_list ap)
	__attribute__((format(printf, 3, 0)));

/* A fortification check failed: said where the user sees it, then glibc's ending. */
static void __attribute__((noreturn)) fortify_fail(const char *what)
{
	tzm__log("*** %s ***: terminated", what);
	abort();
}

static void check_buffer(size_t n, size_t buflen)
{
	if (n > buflen) {
		fortify_fail("buffer overflow detected");
	}
}

ssize_t __read_chk(int fd, void *buf, size_t n, size_t buflen)
{
	check_buffer(n, buflen);
	return read(fd, buf, n);
}

ssize_t __pread_chk(int fd, void *buf, size_t n, off_t off, size_t buflen)
{
	check_buffer(n, buflen);
	return pread(fd, buf, n, off);
}

ssize_t __pread64_chk(int fd, void *buf, size_t n, off_t off, size_t buflen)
{
	return __pread_chk(fd, buf, n, off, buflen);
}

ssize_t __recv_chk(int fd, void *buf, size_t n, size_t buflen, int flags)
{
	check_buffer(n, buflen);
	return recv(fd, buf, n, flags);
}

ssize_t __recvfrom_chk(int fd, void *buf, size_t n, size_t buflen, int flags, struct sockaddr *addr,
		       socklen_t *addrlen)
{
	check_buffer(n, buflen);
	return recvfrom(fd, buf, n, flags, addr, addrlen);
}

ssize_t __readlink_chk(const char *path, char *buf, size_t n, size_t buflen)
{
	check_buffer(n, buflen);
	return readlink(path, buf, n);
}

ssize_t __readlinkat_chk(int dirfd, const char *path, char *buf, size_t n, size_t buflen)
{
	check_buffer(n, buflen);
	return readlinkat(dirfd, path, buf, n);
}

char *__getcwd_chk(char *buf, size_t size, size_t buflen)
{
	check_buffer(size, buflen);
	return getcwd(buf, size);
}

char *__realpath_chk(const char *path, char *resolved, size_t resolvedlen)
{
	if (resolved && resolvedlen < PATH_MAX) {
		fortify_fail("buffer overflow detected");
	}
	return realpath(path, resolved);
}

int __gethostname_chk(char *buf, size_t len, size_t buflen)
{
	check_buffer(len, buflen);
	return gethostname(buf, len);
}

int __getdomainname_chk(char *buf, size_t len, size_t buflen)
{
	check_buffer(len, buflen);
	return getdomainname(buf, len);
}

int __getlogin_r_chk(char *buf, size_t len, size_t buflen)
{
	check_buffer(len, buflen);
	return getlogin_r(buf, len);
}

int __poll_chk(struct pollfd *fds, nfds_t nfds, int timeout, size_t fdslen)
{
	if (fdslen / sizeof(*fds) < nfds) {
		fortify_fail("buffer overflow detected");
	}
	return poll(fds, nfds, timeout);
}

int __ppoll_chk(struct pollfd *fds, nfds_t nfds, const struct timespec *timeout,
		const sigset_t *mask, size_t fdslen)
{
	if (fdslen / sizeof(*fds) < nfds) {
		fortify_fail("buffer overflow detected");
	}
	return ppoll(fds, nfds, timeout, mask);
}

/* flag asks glibc to refuse %n in writable formats; libtzm formats with vsnprintf. */
int __vprintf_chk(int flag, const char *fmt, va_list ap)
{
	(void)flag;
	return vprintf(fmt, ap);
}

int __printf_chk(int flag, const char *fmt, ...)
{
	va_list ap;
	int n = 0;

	va_start(ap, fmt);
	n = __vprintf_chk(flag, fmt, ap);
	va_end(ap);
	return n;
}

int __vdprintf_chk(int fd, int flag, const char *fmt, va_list ap)
{
	(void)flag;
	return vdprintf(fd, fmt, ap);
}

int __dprintf_chk(int fd, int flag, const char *fmt, ...)
{
	va_list ap;
	int n = 0;

	va_start(ap, fmt);
	n = __vdprintf_chk(fd, flag, fmt, ap);
	va_end(ap);
	return n;
}

/* openat without a mode argument: one that creates a file needs it (glibc's check). */
int __openat_2(int dirfd, const char *path, int flags)
{
	if ((flags & O_CREAT) || (flags & O_TMPFILE) == O_TMPFILE) {
		fortify_fail("invalid openat call: O_CREAT or O_TMPFILE without mode");
	}
	return openat(dirfd, path, flags);
}

int __openat64_2(int dirfd, const char *path, int flags)
{
	return __openat_2(dirfd, path, flags);
}

mqd_t __mq_open_2(const char *name, int flags)
{
	if (flags & O_CREAT) {
		fortify_fail("invalid mq_open call: O_CREAT without mode and attr");
	}
	return mq_open(name, flags);
}

void __vsyslog_chk(int priority, int flag, const char *fmt, va_list ap)
{
	(void)flag;
	vsyslog(priority, fmt, ap);
}

void __syslog_chk(int priority, int flag, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsyslog(priority, fmt, ap);
	va_end(ap);
	(void)flag;
}
