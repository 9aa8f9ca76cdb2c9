// SPDX-License-Identifier: BSD-2-Clause
/*
 * wasm_hello: the minimal WASI surface of a Wasm TA. Prints its arguments, one environment
 * variable, whether the clocks and random_get work, writes to stderr, reads a line from
 * stdin when asked, and exits with the status given as its first argument. With "pollmax"
 * as its second argument it only waits in poll_oneoff for stdin with a clock of the
 * largest timeout (2^64-1 ns, "forever") and says which event ended the wait.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <poll.h>
#include <sched.h>
#include <stdint.h>
#include <wasi/api.h>

static int pollmax(void)
{
	__wasi_subscription_t sub[2];
	__wasi_event_t ev[2];
	__wasi_size_t n = 0;

	memset(sub, 0, sizeof(sub));
	sub[0].userdata = 1;
	sub[0].u.tag = __WASI_EVENTTYPE_CLOCK;
	sub[0].u.u.clock.id = __WASI_CLOCKID_MONOTONIC;
	sub[0].u.u.clock.timeout = UINT64_MAX;
	sub[1].userdata = 2;
	sub[1].u.tag = __WASI_EVENTTYPE_FD_READ;
	sub[1].u.u.fd_read.file_descriptor = 0;
	__wasi_errno_t e = __wasi_poll_oneoff(sub, ev, 2, &n);
	printf("pollmax: errno %u, %u event(s), first: %s\n", (unsigned)e, (unsigned)n,
	       n == 0                ? "none"
	       : ev[0].userdata == 1 ? "clock"
				     : "stdin");
	return 0;
}

int main(int argc, char **argv)
{
	struct timespec rt = { 0, 0 }, mono = { 0, 0 };
	unsigned char rnd[32] = { 0 };
	int nonzero = 0;

	if (argc > 2 && strcmp(argv[2], "pollmax") == 0) {
		return pollmax();
	}
	printf("hello from wasm: argc=%d", argc);
	for (int i = 1; i < argc; i++) {
		printf(" [%s]", argv[i]);
	}
	printf("\n");
	const char *v = getenv("WASM_HELLO");
	printf("env WASM_HELLO=%s\n", v ? v : "(unset)");
	printf("env HOME=%s\n", getenv("HOME") ? "set" : "(unset)");
	if (clock_gettime(CLOCK_REALTIME, &rt) == 0 && clock_gettime(CLOCK_MONOTONIC, &mono) == 0) {
		printf("clocks: realtime %s, monotonic %s\n", rt.tv_sec > 1600000000 ? "ok" : "bad",
		       mono.tv_sec > 0 || mono.tv_nsec > 0 ? "ok" : "bad");
	}
	struct timespec res = { 0, 0 };
	printf("clock_getres: %d %ld\n", clock_getres(CLOCK_MONOTONIC, &res), res.tv_nsec);
	arc4random_buf(rnd, sizeof(rnd));
	for (size_t i = 0; i < sizeof(rnd); i++) {
		nonzero += rnd[i] != 0;
	}
	printf("random: %s\n", nonzero > 16 ? "ok" : "bad");
	printf("sched_yield: %d\n", sched_yield());
	/* poll_oneoff: a sleep (clock subscription) and poll() on stdin with a timeout */
	struct timespec t0 = { 0, 0 }, t1 = { 0, 0 };
	clock_gettime(CLOCK_MONOTONIC, &t0);
	struct timespec nap = { 0, 20 * 1000 * 1000 };
	int slept = nanosleep(&nap, NULL);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	long ms = (long)(t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000;
	printf("nanosleep 20 ms: %d, %s\n", slept, ms >= 20 ? "slept" : "too short");
	struct pollfd pfd = { .fd = 0, .events = POLLIN };
	int pr = poll(&pfd, 1, 5000);
	printf("poll stdin: %d%s\n", pr, pr == 1 && (pfd.revents & POLLIN) ? " readable" : "");
	fprintf(stderr, "to stderr\n");
	if (argc > 2 && strcmp(argv[2], "read") == 0) {
		char line[128];
		if (fgets(line, sizeof(line), stdin) != NULL) {
			printf("read: %s", line);
		}
	}
	fflush(stdout);
	return argc > 1 ? atoi(argv[1]) : 0;
}
