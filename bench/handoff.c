/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Hand-off microbenchmark: the cost of passing control between two processes through a
 * shared page, the primitive a forwarded call pays twice on its critical path. Measures
 * the round trip (A publishes, B answers, A sees the answer) for
 *
 *   spin    both sides busy-poll the word with a CPU relax hint
 *   yield   both sides poll and call sched_yield() between polls
 *   futex   both sides sleep in FUTEX_WAIT and are woken by FUTEX_WAKE every time
 *   pipe    a 1-byte pipe ping-pong, for scale (the kernel's own wake-up path)
 *
 * With --bytes N each hand-off also carries an N-byte message the way the channel does: A
 * copies its request into the shared page before publishing, B copies it out and its
 * answer in, A copies the answer out -- the least a copying RPC between two processes
 * costs, which a forwarded call pays on top of a native one. --cpus A,B pins the two
 * processes (0,1: apart, every line the other wrote crosses between CPU caches; 0,0:
 * together, every hand-off is a context switch); without it the scheduler places them.
 * --setsid puts B in a session of its own, as a TA host (tzm-teed's session) is apart
 * from its shadow (its user's): with autogroups on, the two are then in different task
 * groups, which changes what a yield does.
 *
 * Each mode runs for a bounded number of round trips and a bounded time, so a mode that
 * cannot make progress (spin with one free CPU) ends instead of hanging.
 *
 *   bench_handoff [--iters N] [--bytes N] [--cpus A,B] [--setsid] [--csv FILE]
 */
#include "common.h"

#include <errno.h>
#include <linux/futex.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#if defined(__x86_64__) || defined(__i386__)
#define CPU_RELAX() __builtin_ia32_pause()
#elif defined(__aarch64__)
#define CPU_RELAX() __asm__ __volatile__("yield" ::: "memory")
#else
#define CPU_RELAX() __asm__ __volatile__("" ::: "memory")
#endif

#define MODE_SECONDS 3u

enum mode {
	M_SPIN,
	M_YIELD,
	M_FUTEX,
	M_PIPE,
	M__COUNT
};

static const char *const mode_names[M__COUNT] = { "spin", "yield", "futex", "pipe" };

struct shared {
	uint32_t ping; /* A -> B: round number */
	uint8_t pad1[60];
	uint32_t pong; /* B -> A: round number */
	uint8_t pad2[60];
	uint32_t stop;
	uint8_t pad3[60];
	/* then the request and the answer areas, MAX_BYTES each (msg_area) */
};

#define MAX_BYTES (1u << 20)

static uint8_t *msg_area(struct shared *s, int which)
{
	return (uint8_t *)s + 4096 + (size_t)which * MAX_BYTES;
}

static size_t msg_bytes;
static int cpu_of[2] = { -1, -1 }; /* A, B */
static bool own_session;           /* --setsid: B in a session (autogroup) of its own */

static void pin_self(int cpu)
{
	cpu_set_t set;

	if (cpu < 0) {
		return;
	}
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set) != 0) {
		fprintf(stderr, "bench_handoff: cannot pin to CPU %d: %s\n", cpu, strerror(errno));
		_exit(1);
	}
}

static void futex_wait(uint32_t *w, uint32_t v)
{
	struct timespec ts = { 0, 50 * 1000 * 1000 };

	syscall(SYS_futex, w, FUTEX_WAIT, v, &ts, NULL, 0);
}

static void futex_wake(uint32_t *w)
{
	syscall(SYS_futex, w, FUTEX_WAKE, 1, NULL, NULL, 0);
}

/* Waits until *w == want (or stop); returns false on stop. */
static bool await(enum mode m, struct shared *s, uint32_t *w, uint32_t want)
{
	for (;;) {
		uint32_t v = __atomic_load_n(w, __ATOMIC_ACQUIRE);

		if (v == want) {
			return true;
		}
		if (__atomic_load_n(&s->stop, __ATOMIC_ACQUIRE)) {
			return false;
		}
		if (m == M_SPIN) {
			CPU_RELAX();
		} else if (m == M_YIELD) {
			sched_yield();
		} else {
			futex_wait(w, v);
		}
	}
}

static void publish(enum mode m, uint32_t *w, uint32_t v)
{
	__atomic_store_n(w, v, __ATOMIC_RELEASE);
	if (m == M_FUTEX) {
		futex_wake(w);
	}
}

static int run_mode(enum mode m, struct shared *s, size_t iters, uint64_t *ns, size_t *done)
{
	int p1[2], p2[2];
	pid_t pid = -1;
	uint64_t deadline = bench_now_ns() + (uint64_t)MODE_SECONDS * 1000000000u;
	char b = 0;

	uint8_t *mine = malloc(MAX_BYTES);

	if (!mine) {
		return -ENOMEM;
	}
	memset(mine, 'a', MAX_BYTES);
	memset(s, 0, sizeof(*s));
	if (pipe(p1) != 0 || pipe(p2) != 0) {
		int rc = -errno;

		free(mine);
		return rc;
	}
	pid = fork();
	if (pid < 0) {
		int rc = -errno;

		free(mine);
		return rc;
	}
	if (pid == 0) { /* B: answers every round */
		pin_self(cpu_of[1]);
		if (own_session && setsid() < 0) {
			fprintf(stderr, "bench_handoff: setsid: %s\n", strerror(errno));
			_exit(1);
		}
		memset(mine, 'b', MAX_BYTES);
		close(p1[1]); /* so that A closing its end is an end of file here */
		close(p2[0]);
		for (uint32_t r = 1;; r++) {
			if (m == M_PIPE) {
				if (read(p1[0], &b, 1) != 1 || write(p2[1], &b, 1) != 1) {
					_exit(0);
				}
				continue;
			}
			if (!await(m, s, &s->ping, r)) {
				_exit(0);
			}
			memcpy(mine, msg_area(s, 0), msg_bytes);
			memcpy(msg_area(s, 1), mine, msg_bytes);
			publish(m, &s->pong, r);
		}
	}
	pin_self(cpu_of[0]);
	*done = 0;
	for (uint32_t r = 1; r <= iters && bench_now_ns() < deadline; r++) {
		uint64_t t0 = bench_now_ns();

		if (m == M_PIPE) {
			if (write(p1[1], &b, 1) != 1 || read(p2[0], &b, 1) != 1) {
				break;
			}
		} else {
			memcpy(msg_area(s, 0), mine, msg_bytes);
			publish(m, &s->ping, r);
			if (!await(m, s, &s->pong, r)) {
				break;
			}
			memcpy(mine, msg_area(s, 1), msg_bytes);
		}
		ns[(*done)++] = bench_now_ns() - t0;
	}
	__atomic_store_n(&s->stop, 1, __ATOMIC_RELEASE);
	futex_wake(&s->ping);
	close(p1[1]);
	close(p2[0]);
	close(p1[0]);
	close(p2[1]);
	waitpid(pid, NULL, 0);
	free(mine);
	return 0;
}

int main(int argc, char **argv)
{
	size_t iters = 20000;
	const char *csvpath = NULL;
	struct shared *s = NULL;
	uint64_t *ns = NULL;
	FILE *csv = NULL;

	for (int i = 1; i < argc; i += 2) {
		if (strcmp(argv[i], "--setsid") == 0) {
			own_session = true;
			i--; /* takes no value */
			continue;
		}
		if (i + 1 >= argc) {
			fprintf(stderr, "bench_handoff: %s needs a value\n", argv[i]);
			return 2;
		}
		if (strcmp(argv[i], "--iters") == 0) {
			iters = bench_parse_ulong("--iters", argv[i + 1], 10, 10000000);
		} else if (strcmp(argv[i], "--bytes") == 0) {
			msg_bytes = bench_parse_ulong("--bytes", argv[i + 1], 0, MAX_BYTES);
		} else if (strcmp(argv[i], "--cpus") == 0) {
			char *end = NULL;
			long a = strtol(argv[i + 1], &end, 10);
			long b = *end == ',' ? strtol(end + 1, &end, 10) : -1;

			if (*end != '\0' || a < 0 || b < 0 || a >= CPU_SETSIZE ||
			    b >= CPU_SETSIZE) {
				fprintf(stderr,
					"bench_handoff: --cpus takes two CPU numbers, A,B\n");
				return 2;
			}
			cpu_of[0] = (int)a;
			cpu_of[1] = (int)b;
		} else if (strcmp(argv[i], "--csv") == 0) {
			csvpath = argv[i + 1];
		} else {
			fprintf(stderr, "usage: bench_handoff [--iters N] [--bytes N] [--cpus A,B] "
					"[--setsid] [--csv FILE]\n");
			return 2;
		}
	}
	s = mmap(NULL, 4096 + 2 * (size_t)MAX_BYTES, PROT_READ | PROT_WRITE,
		 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ns = calloc(iters, sizeof(*ns));
	if (s == MAP_FAILED || !ns) {
		fprintf(stderr, "bench_handoff: out of memory\n");
		return 1;
	}
	if (csvpath &&
	    !(csv = bench_csv_open(csvpath, "mode,bytes,median_us,p90_us,p99_us,iterations"))) {
		return 1;
	}
	for (int m = 0; m < M__COUNT; m++) {
		struct bench_stats st;
		size_t done = 0;
		int rc = run_mode((enum mode)m, s, iters, ns, &done);

		if (rc != 0) {
			fprintf(stderr, "bench_handoff: %s: %s\n", mode_names[m], strerror(-rc));
			return 1;
		}
		/* the first 10% are warm-up */
		bench_stats_compute(ns + done / 10, done - done / 10, &st);
		if (m == M_PIPE && msg_bytes > 0) {
			continue; /* the pipe carries one byte: a scale, not a copy */
		}
		printf("handoff %-6s %7zu B round trip  median %7.2f us  p90 %7.2f us  p99 %8.2f "
		       "us  (%zu)\n",
		       mode_names[m], msg_bytes, st.median_us, st.p90_us, st.p99_us, st.n);
		if (csv) {
			fprintf(csv, "%s,%zu,%.2f,%.2f,%.2f,%zu\n", mode_names[m], msg_bytes,
				st.median_us, st.p90_us, st.p99_us, st.n);
		}
	}
	if (csv) {
		fclose(csv);
	}
	return 0;
}
