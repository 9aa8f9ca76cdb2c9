/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Differential test: time and process identity. clock_gettime (REALTIME agrees with
 * gettimeofday, MONOTONIC never goes back, bad clock id), nanosleep/usleep/sleep lower
 * bounds (and EINVAL), getpid stability, getenv of a variable the runner passes
 * (TZM_DIFF_VAR) and of an unset one, setenv/unsetenv/putenv seen by getenv and environ,
 * atexit handlers in reverse order and the exit
 * status: the program ends with exit(7), which the runner checks on both sides.
 */
#include "tr.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#define EXIT_STATUS 7

static long long ns_of(const struct timespec *t)
{
	return (long long)t->tv_sec * 1000000000LL + t->tv_nsec;
}

static long long mono_ns(void)
{
	struct timespec t = { 0, 0 };

	clock_gettime(CLOCK_MONOTONIC, &t);
	return ns_of(&t);
}

static void at_first(void)
{
	printf("atexit handler registered first\n");
	fflush(stdout);
}

static void at_second(void)
{
	printf("atexit handler registered second\n");
}

static void clocks(void)
{
	struct timespec rt = { 0, 0 }, m0 = { 0, 0 }, m1 = { 0, 0 };
	struct timeval tv = { 0, 0 };
	long long prev = 0;
	int monotonic = 1;

	EXPECT(0, 0, clock_gettime(CLOCK_REALTIME, &rt));
	EXPECT(0, 0, gettimeofday(&tv, NULL));
	ASSERT(rt.tv_sec > 1600000000 && rt.tv_nsec >= 0 && rt.tv_nsec < 1000000000);
	ASSERT(tv.tv_sec - rt.tv_sec >= 0 && tv.tv_sec - rt.tv_sec <= 2);
	ASSERT(tv.tv_usec >= 0 && tv.tv_usec < 1000000);
	EXPECT(0, 0, clock_gettime(CLOCK_MONOTONIC, &m0));
	for (int i = 0; i < 1000; i++) {
		long long now = mono_ns();

		monotonic &= now >= prev;
		prev = now;
	}
	EXPECT(0, 0, clock_gettime(CLOCK_MONOTONIC, &m1));
	ASSERT(monotonic && ns_of(&m1) >= ns_of(&m0));
	EXPECT(-1, EINVAL, clock_gettime((clockid_t)12345, &m0));
}

static void sleeps(void)
{
	struct timespec req = { 0, 20 * 1000000L };
	struct timespec bad = { 0, 2000000000L };
	long long t0 = 0;

	t0 = mono_ns();
	EXPECT(0, 0, nanosleep(&req, NULL));
	ASSERT(mono_ns() - t0 >= 20000000LL);
	EXPECT(-1, EINVAL, nanosleep(&bad, NULL));
	t0 = mono_ns();
	EXPECT(0, 0, usleep(15000));
	ASSERT(mono_ns() - t0 >= 15000000LL);
	t0 = mono_ns();
	EXPECT(0, 0, sleep(1));
	ASSERT(mono_ns() - t0 >= 1000000000LL);
}

static void identity(void)
{
	long pid = EXPECT(TR_OK, 0, getpid());
	const char *var = getenv("TZM_DIFF_VAR");

	ASSERT(pid > 0 && getpid() == pid);
	ASSERT(var != NULL);
	NOTE("TZM_DIFF_VAR=%s", var ? var : "(unset)");
	ASSERT(getenv("TZM_DIFF_UNSET") == NULL);
}

/* Whether environ holds the entry text exactly. */
static int in_environ(const char *entry)
{
	for (char **e = environ; e && *e; e++) {
		if (strcmp(*e, entry) == 0) {
			return 1;
		}
	}
	return 0;
}

/*
 * The environment is one (a TA's was two: libtzm's getenv list and glibc's environ, so
 * setenv's variables were invisible to getenv and environ did not hold the passed ones).
 */
static void environment(void)
{
	static char put[] = "TZM_DIFF_PUT=put value";
	char want[128];

	snprintf(want, sizeof(want), "TZM_DIFF_VAR=%s", getenv("TZM_DIFF_VAR"));
	NOTE("environ holds TZM_DIFF_VAR: %d", in_environ(want));
	EXPECT(0, 0, setenv("TZM_DIFF_NEW", "new value", 1));
	NOTE("getenv(TZM_DIFF_NEW)=%s environ: %d", getenv("TZM_DIFF_NEW"),
	     in_environ("TZM_DIFF_NEW=new value"));
	EXPECT(0, 0, setenv("TZM_DIFF_NEW", "kept?", 0));
	NOTE("not overwritten: %s", getenv("TZM_DIFF_NEW"));
	EXPECT(0, 0, setenv("TZM_DIFF_VAR", "changed", 1));
	NOTE("TZM_DIFF_VAR=%s", getenv("TZM_DIFF_VAR"));
	EXPECT(0, 0, unsetenv("TZM_DIFF_NEW"));
	ASSERT(getenv("TZM_DIFF_NEW") == NULL && !in_environ("TZM_DIFF_NEW=new value"));
	EXPECT(0, 0, putenv(put));
	NOTE("getenv(TZM_DIFF_PUT)=%s", getenv("TZM_DIFF_PUT"));
	EXPECT(-1, EINVAL, setenv("BAD=NAME", "x", 1));
	EXPECT(-1, EINVAL, setenv("", "x", 1));
}

int main(int argc, char **argv)
{
	tr_begin("misc", argc, argv);
	clocks();
	sleeps();
	identity();
	environment();
	EXPECT(0, 0, atexit(at_first));
	EXPECT(0, 0, atexit(at_second));
	tr_end();
	/* stdout is not flushed here on purpose: exit() must flush it after the handlers. */
	printf("exiting with %d\n", EXIT_STATUS);
	exit(EXIT_STATUS);
}
