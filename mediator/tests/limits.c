/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Where a TA must differ from a native process, and how: each check prints
 * "<name> <result>" (OK or the errno name) for test_limits.sh, which compares the lines
 * with what the mediator promises and looks for the log line each refusal must leave.
 * Usage: limits DIR (a directory the policy allows read-write; the test policy allows
 * nothing else).
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <threads.h>
#include <unistd.h>

static void report(const char *name, int failed, int err)
{
	printf("%s %s\n", name, failed ? strerrorname_np(err) : "OK");
}

#define TRY(name, expr)                                                                   \
	do {                                                                               \
		int r_;                                                                    \
		errno = 0;                                                                 \
		r_ = (expr);                                                               \
		report(name, r_ < 0, errno);                                               \
	} while (0)

static int ran;

static void *thread_fn(void *arg)
{
	(void)arg;
	ran = 1;
	return NULL;
}

static int thrd_fn(void *arg)
{
	(void)arg;
	ran = 1;
	return 0;
}

int main(int argc, char **argv)
{
	pthread_t t;
	thrd_t th;
	int rc = 0;

	if (argc < 2 || argv[1][0] != '/') {
		return 64; /* usage (also the answer test_limits.sh's TEE warm-up expects) */
	}
	rc = pthread_create(&t, NULL, thread_fn, NULL);
	report("pthread_create", rc != 0, rc);
	if (rc == 0) {
		pthread_join(t, NULL);
	}
	rc = thrd_create(&th, thrd_fn, NULL);
	printf("thrd_create %s\n", rc == thrd_success ? "OK" : rc == thrd_error ? "thrd_error" : "?");
	if (rc == thrd_success) {
		thrd_join(th, NULL);
	}
	printf("thread_ran %d\n", ran);
	TRY("chdir_allowed", chdir(argv[1]));
	TRY("chdir_outside", chdir("/"));
	TRY("chdir_dotdot_outside", chdir(".."));
	return 0;
}
