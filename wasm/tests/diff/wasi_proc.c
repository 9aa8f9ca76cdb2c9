/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * WASI differential test: the process-level calls. Arguments and environment
 * (args_get, environ_get), clocks (clock_gettime/clock_getres/time/gettimeofday, only as
 * relations), nanosleep/usleep, poll over stdin, files and nothing (poll_oneoff), random
 * bytes (random_get through getentropy), sched_yield, and the exit status: atexit handlers
 * run, then exit(7) (proc_exit). Built natively and as a Wasm TA: the two transcripts must
 * be identical. argv: SCRATCH then the runner's arguments.
 */
#include "wasi_diff.h"

#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

static long long ns_of(const struct timespec *ts)
{
	return (long long)ts->tv_sec * 1000000000LL + ts->tv_nsec;
}

static long long mono_ns(void)
{
	struct timespec ts = { 0, 0 };

	(void)clock_gettime(CLOCK_MONOTONIC, &ts);
	return ns_of(&ts);
}

static void at_exit_handler(void)
{
	NOTE("atexit handler ran");
	printf("# exit 7\n");
	fflush(stdout);
}

int main(int argc, char **argv)
{
	const char *dir = tr_begin("wasi_proc", argc, argv);
	char file[PATH_MAX];
	struct timespec a = { 0, 0 }, b = { 0, 0 };
	unsigned char r1[32], r2[32], big[300];
	char buf[64];

	/* arguments: argv[0] is the launcher's business */
	NOTE("argc %d", argc);
	for (int i = 2; i < argc; i++) {
		NOTE("argv[%d] [%s]", i, argv[i]);
	}

	/* environment: what the runner passed, and nothing of the caller's otherwise */
	const char *v = getenv("TZM_DIFF_VAR");
	NOTE("TZM_DIFF_VAR=%s", v ? v : "(unset)");
	NOTE("TZM_DIFF_UNSET=%s", getenv("TZM_DIFF_UNSET") ? "set" : "(unset)");
	int seen = 0;
	for (char **e = environ; *e != NULL; e++) {
		seen += strncmp(*e, "TZM_DIFF_VAR=", 13) == 0;
	}
	NOTE("environ holds TZM_DIFF_VAR %d time(s)", seen);

	/* clocks */
	EXPECT(0, 0, clock_gettime(CLOCK_REALTIME, &a));
	time_t now = time(NULL);
	ASSERT(now - a.tv_sec >= 0 && now - a.tv_sec <= 2);
	ASSERT(a.tv_nsec >= 0 && a.tv_nsec < 1000000000);
	struct timeval tv;
	EXPECT(0, 0, gettimeofday(&tv, NULL));
	ASSERT(tv.tv_sec - a.tv_sec >= 0 && tv.tv_sec - a.tv_sec <= 2);
	EXPECT(0, 0, clock_gettime(CLOCK_MONOTONIC, &a));
	EXPECT(0, 0, clock_gettime(CLOCK_MONOTONIC, &b));
	ASSERT(ns_of(&b) >= ns_of(&a));
	EXPECT(0, 0, clock_getres(CLOCK_REALTIME, &a));
	ASSERT(ns_of(&a) > 0 && ns_of(&a) <= 1000000);
	EXPECT(0, 0, clock_getres(CLOCK_MONOTONIC, &a));
	ASSERT(ns_of(&a) > 0 && ns_of(&a) <= 1000000);
	EXPECT_WASI_DIFFERS("a TA has no CPU-time clocks (libtzm: EINVAL)", 0, 0, -1, EINVAL,
			    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &a));
	EXPECT_WASI_DIFFERS("a TA has no CPU-time clocks (libtzm: EINVAL)", 0, 0, -1, EINVAL,
			    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &a));

	/* sleeping */
	long long t0 = mono_ns();
	struct timespec ten_ms = { 0, 10000000 };
	EXPECT(0, 0, nanosleep(&ten_ms, NULL));
	ASSERT(mono_ns() - t0 >= 10000000);
	struct timespec bad = { 0, 1000000000 };
	EXPECT(-1, EINVAL, nanosleep(&bad, NULL));
	t0 = mono_ns();
	EXPECT(0, 0, usleep(5000));
	ASSERT(mono_ns() - t0 >= 5000000);
	EXPECT(0, 0, sleep(0));

	/* poll: stdin holds data (a pipe), a file is always ready, timeouts */
	tr_join(file, sizeof(file), dir, "poll.txt");
	int fd = (int)EXPECT(TR_FD, 0, open(file, O_RDWR | O_CREAT | O_TRUNC, 0644));
	struct pollfd p[2] = { { .fd = 0, .events = POLLIN },
			       { .fd = fd, .events = POLLIN | POLLOUT } };
	EXPECT(2, 0, poll(p, 2, 1000));
	NOTE("stdin revents POLLIN %d, file revents POLLIN %d POLLOUT %d",
	     !!(p[0].revents & POLLIN), !!(p[1].revents & POLLIN), !!(p[1].revents & POLLOUT));
	EXPECT_DATA(11, 0, buf, read(0, buf, sizeof(buf)));
	p[0].revents = 0;
	EXPECT(1, 0, poll(p, 1, 1000)); /* end of the pipe: readable (EOF) */
	NOTE("stdin at EOF: revents POLLIN or POLLHUP %d", !!(p[0].revents & (POLLIN | POLLHUP)));
	EXPECT(0, 0, read(0, buf, sizeof(buf)));
	t0 = mono_ns();
	EXPECT(0, 0, poll(NULL, 0, 20));
	ASSERT(mono_ns() - t0 >= 20000000);
	EXPECT(0, 0, poll(NULL, 0, 0));
	p[1].events = POLLOUT;
	EXPECT(1, 0, poll(&p[1], 1, 0));
	EXPECT(0, 0, close(fd));
	EXPECT(0, 0, unlink(file));

	/* randomness: the bytes are not printed, only relations */
	EXPECT(0, 0, getentropy(r1, sizeof(r1)));
	EXPECT(0, 0, getentropy(r2, sizeof(r2)));
	ASSERT(memcmp(r1, r2, sizeof(r1)) != 0);
	EXPECT(0, 0, getentropy(big, 256));
	EXPECT(0, 0, getentropy(big, 0));
	EXPECT(-1, EIO, getentropy(big, 257));

	EXPECT(0, 0, sched_yield());

	/* the exit status and atexit */
	EXPECT(0, 0, atexit(at_exit_handler));
	tr_end();
	exit(7);
}
