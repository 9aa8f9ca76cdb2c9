/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * LD_PRELOAD shim for tee_core_races (test_core_races.sh): widens two windows of tzm-teed
 * to seconds, so that what happens in them is seen every time instead of once in a
 * thousand runs on a loaded machine.
 *   TZM_SHIM_THREAD_DELAY_MS       every new thread sleeps that long before its start
 *                                  routine (with the signal mask it was created with)
 *   TZM_SHIM_LAST_ACCEPT_DELAY_MS  an accept4 that finds no connection while tee.sock is
 *                                  gone (the idle exit's last look) sleeps that long
 *                                  before it returns
 * Test code only: never built into anything installed.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dlfcn.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>

typedef int (*create_fn)(pthread_t *, const pthread_attr_t *, void *(*)(void *), void *);
typedef int (*accept4_fn)(int, struct sockaddr *, socklen_t *, int);

struct start {
	void *(*fn)(void *);
	void *arg;
};

static void sleep_env_ms(const char *name)
{
	const char *v = getenv(name);
	long ms = v ? atol(v) : 0;
	struct timespec left = { ms / 1000, (ms % 1000) * 1000000L };

	while (ms > 0 && nanosleep(&left, &left) != 0 && errno == EINTR) {
	}
}

static void *delayed_start(void *p)
{
	struct start s = *(struct start *)p;

	free(p);
	sleep_env_ms("TZM_SHIM_THREAD_DELAY_MS");
	return s.fn(s.arg);
}

int pthread_create(pthread_t *t, const pthread_attr_t *attr, void *(*fn)(void *), void *arg)
{
	create_fn real = (create_fn)dlsym(RTLD_NEXT, "pthread_create");
	struct start *s = malloc(sizeof(*s));
	int rc;

	if (!real || !s) {
		free(s);
		return EAGAIN;
	}
	s->fn = fn;
	s->arg = arg;
	rc = real(t, attr, delayed_start, s);
	if (rc) {
		free(s);
	}
	return rc;
}

int accept4(int fd, struct sockaddr *sa, socklen_t *len, int flags)
{
	accept4_fn real = (accept4_fn)dlsym(RTLD_NEXT, "accept4");
	const char *dir = getenv("TZM_RUNTIME_DIR");
	char path[4096];
	struct stat st;
	int rc, e;

	if (!real) {
		errno = ENOSYS;
		return -1;
	}
	rc = real(fd, sa, len, flags);
	e = errno;
	if (rc < 0 && dir && snprintf(path, sizeof(path), "%s/tee.sock", dir) > 0 &&
	    lstat(path, &st) != 0) {
		sleep_env_ms("TZM_SHIM_LAST_ACCEPT_DELAY_MS");
	}
	errno = e;
	return rc;
}
