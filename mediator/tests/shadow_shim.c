/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * LD_PRELOAD shim for tzm-run in the threaded-TA tests (test_thread_fds.sh): it shows
 * what the shadow does to objects it shares with its caller, and stands in for a slow
 * disk. Settings (environment of tzm-run; the shim removes LD_PRELOAD from it at start,
 * so that the TA's process does not load it):
 *   TZM_SHIM_SETFL_LOG FILE   every F_SETFL on the open file description of tzm-run's
 *                             standard input (shared with whoever started tzm-run) is
 *                             reported as one line appended to FILE
 *   TZM_SHIM_POLL_DELAY_MS N  a poll that reports the standard input's object readable
 *                             returns N ms later: the TA's threads waiting for stdin
 *                             all see it readable before the first of them reads it
 *   TZM_SHIM_HOLD DIR         fsync, getdents64 and readdir (a slow disk or file
 *                             system) first create DIR/held, then wait until DIR/release
 *                             exists (at most 60 s), then do their work
 * Test code only: never built into anything installed.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

typedef int (*fcntl_fn)(int, int, ...);

static struct stat stdin_st;
static bool have_stdin;
static char *setfl_log;
static long poll_delay_ms;
static char *hold_dir;

__attribute__((constructor)) static void shim_init(void)
{
	const char *v = getenv("TZM_SHIM_SETFL_LOG");

	have_stdin = fstat(0, &stdin_st) == 0;
	setfl_log = v ? strdup(v) : NULL;
	v = getenv("TZM_SHIM_POLL_DELAY_MS");
	poll_delay_ms = v ? atol(v) : 0;
	v = getenv("TZM_SHIM_HOLD");
	hold_dir = v ? strdup(v) : NULL;
	unsetenv("LD_PRELOAD");
}

static bool is_stdin_object(int fd)
{
	struct stat st;

	return have_stdin && fstat(fd, &st) == 0 && st.st_dev == stdin_st.st_dev &&
	       st.st_ino == stdin_st.st_ino;
}

static int shim_fcntl(const char *name, int fd, int cmd, void *arg)
{
	static fcntl_fn real[2];
	int which = strcmp(name, "fcntl") == 0 ? 0 : 1;
	FILE *log = NULL;

	if (!real[which]) {
		void *sym = dlsym(RTLD_NEXT, name);

		memcpy(&real[which], &sym, sizeof(sym));
	}
	if (cmd == F_SETFL && setfl_log && is_stdin_object(fd)) {
		log = fopen(setfl_log, "a");
		if (log) {
			fprintf(log,
				"tzm-run: F_SETFL 0x%lx on fd %d, its standard input's object\n",
				(unsigned long)(uintptr_t)arg, fd);
			fclose(log);
		}
	}
	return real[which] ? real[which](fd, cmd, arg) : -1;
}

/* the third argument, when there is one, is an int or a pointer: passed on as it came */
int fcntl(int fd, int cmd, ...)
{
	va_list ap;
	void *arg = NULL;

	va_start(ap, cmd);
	arg = va_arg(ap, void *);
	va_end(ap);
	return shim_fcntl("fcntl", fd, cmd, arg);
}

int fcntl64(int fd, int cmd, ...)
{
	va_list ap;
	void *arg = NULL;

	va_start(ap, cmd);
	arg = va_arg(ap, void *);
	va_end(ap);
	return shim_fcntl("fcntl64", fd, cmd, arg);
}

typedef int (*poll_fn)(struct pollfd *, nfds_t, int);
typedef int (*poll_chk_fn)(struct pollfd *, nfds_t, int, size_t);

static void after_poll(const struct pollfd *fds, nfds_t n, int r)
{
	struct timespec left = { poll_delay_ms / 1000, (poll_delay_ms % 1000) * 1000000L };

	if (r <= 0 || poll_delay_ms <= 0) {
		return;
	}
	for (nfds_t i = 0; i < n; i++) {
		if ((fds[i].revents & POLLIN) && is_stdin_object(fds[i].fd)) {
			while (nanosleep(&left, &left) != 0) {
			}
			return;
		}
	}
}

int poll(struct pollfd *fds, nfds_t n, int timeout)
{
	static poll_fn real;
	int r = -1;

	if (!real) {
		void *sym = dlsym(RTLD_NEXT, "poll");

		memcpy(&real, &sym, sizeof(sym));
	}
	r = real ? real(fds, n, timeout) : -1;
	after_poll(fds, n, r);
	return r;
}

int __poll_chk(struct pollfd *fds, nfds_t n, int timeout, size_t fdslen);
int __poll_chk(struct pollfd *fds, nfds_t n, int timeout, size_t fdslen)
{
	static poll_chk_fn real;
	int r = -1;

	if (!real) {
		void *sym = dlsym(RTLD_NEXT, "__poll_chk");

		memcpy(&real, &sym, sizeof(sym));
	}
	r = real ? real(fds, n, timeout, fdslen) : -1;
	after_poll(fds, n, r);
	return r;
}

/* TZM_SHIM_HOLD: says it is held, then waits for the release */
static void hold(void)
{
	const struct timespec tick = { 0, 50 * 1000000L };
	char path[4096];
	int saved = errno;
	FILE *f = NULL;

	if (!hold_dir) {
		return;
	}
	snprintf(path, sizeof(path), "%s/held", hold_dir);
	f = fopen(path, "w");
	if (f) {
		fclose(f);
	}
	snprintf(path, sizeof(path), "%s/release", hold_dir);
	for (int i = 0; i < 1200 && access(path, F_OK) != 0; i++) {
		nanosleep(&tick, NULL);
	}
	errno = saved;
}

static void *next_sym(const char *name)
{
	return dlsym(RTLD_NEXT, name);
}

int fsync(int fd)
{
	int (*real)(int) = NULL;
	void *sym = next_sym("fsync");

	memcpy(&real, &sym, sizeof(sym));
	hold();
	return real ? real(fd) : -1;
}

ssize_t getdents64(int fd, void *buf, size_t len)
{
	ssize_t (*real)(int, void *, size_t) = NULL;
	void *sym = next_sym("getdents64");

	memcpy(&real, &sym, sizeof(sym));
	hold();
	return real ? real(fd, buf, len) : -1;
}

struct dirent *readdir(DIR *d)
{
	struct dirent *(*real)(DIR *) = NULL;
	void *sym = next_sym("readdir");

	memcpy(&real, &sym, sizeof(sym));
	hold();
	return real ? real(d) : NULL;
}

struct dirent64 *readdir64(DIR *d)
{
	struct dirent64 *(*real)(DIR *) = NULL;
	void *sym = next_sym("readdir64");

	memcpy(&real, &sym, sizeof(sym));
	hold();
	return real ? real(d) : NULL;
}
