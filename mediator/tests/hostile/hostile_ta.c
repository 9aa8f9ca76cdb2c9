/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Hostile shadow test, TA half: an ordinary POSIX program (built as a TA and over the
 * local transport by tzm_add_posix_program) served by the malicious shadow
 * (hostile_shadow.c). It only works under that shadow.
 *
 *   hostile_ta inband          every attack of attacks.h in order, announced in-band;
 *                              prints "ok <name>"; the first attack not withstood ends
 *                              the run with a tzm_test.h report (exit 1)
 *   hostile_ta chan <scenario> channel-level attacks (HOSTILE_CHANNEL): after the channel
 *                              breaks nothing can be printed, the exit status tells
 */
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <tzm_test.h>

#include "hostile_ta.h"

struct hta H;
static const char *current;

uint8_t *g_init(struct guarded *g, size_t n)
{
	memset(g->b, 0xa5, sizeof(g->b));
	g->n = n <= G_MAX ? n : G_MAX;
	return g->b + G_PAD;
}

bool g_intact(const struct guarded *g)
{
	for (size_t i = 0; i < sizeof(g->b); i++) {
		if ((i < G_PAD || i >= G_PAD + g->n) && g->b[i] != 0xa5) {
			return false;
		}
	}
	return true;
}

bool g_untouched(const struct guarded *g)
{
	for (size_t i = 0; i < sizeof(g->b); i++) {
		if (g->b[i] != 0xa5) {
			return false;
		}
	}
	return true;
}

/* Fatal, like every tzm_test.h check. Not TEST_STEP for the attack's name: stdout is the
 * in-band channel to the shadow, which reads control lines from it. */
int h_fail(const char *fmt, ...)
{
	char why[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	TEST_FAIL("attack %s not withstood: %s", current ? current : "?", why);
}

int h_want_eio(long r, const char *what)
{
	if (r == -1 && errno == EIO) {
		return 0;
	}
	return h_fail("%s returned %ld (errno %d), expected -1/EIO", what, r, errno);
}

/* An in-band control line for the shadow ("@attack NAME" or "@end"): one write, accepted. */
static void control(const char *name)
{
	char line[128];
	int n = name ? snprintf(line, sizeof(line), "@attack %s\n", name)
		     : snprintf(line, sizeof(line), "@end\n");

	ASSERT_TRUE(n > 0 && (size_t)n < sizeof(line));
	ASSERT_EQ_INT(ASSERT_SYS(write(1, line, (size_t)n)), n);
}

static void set_up(void)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.u64 = H_EP_DATA };

	ASSERT_SYS(pipe(H.p));
	ASSERT_SYS(socketpair(AF_UNIX, SOCK_STREAM, 0, H.sv));
	H.ep = (int)ASSERT_SYS(epoll_create1(0));
	ASSERT_SYS(epoll_ctl(H.ep, EPOLL_CTL_ADD, H.p[0], &ev));
	H.lk = H.p[0];
}

static const struct {
	const char *name;
	int (*fn)(void);
} cases[] = {
#define TA_ENTRY(name, op, flags) { #name, ta_##name },
	HOSTILE_ATTACKS(TA_ENTRY)
#undef TA_ENTRY
};

static int inband(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	set_up();
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		current = cases[i].name;
		fflush(stdout);
		control(current);
		/* A case returns 0 when the attack was withstood; a failure is reported (and
		 * ends the run) by h_fail() or a tzm_test.h check inside it. */
		ASSERT_EQ_INT(cases[i].fn(), 0);
		printf("ok %s\n", current);
	}
	current = NULL;
	fflush(stdout);
	control(NULL);
	printf("all %zu attacks withstood\n", sizeof(cases) / sizeof(cases[0]));
	return 0;
}

/*
 * Ring attacks: a write of 256 KiB is split into chunks with two in flight; the shadow
 * answers them out of order, twice, runs a linked chunk after a short one, or reports more
 * than a chunk. Then the channel must be broken (every call EIO), except for
 * ring_write_more, where only the write fails (a malformed answer, not a broken ring).
 */
static int ring(const char *scenario)
{
	static char big[256 * 1024];
	int sv[2] = { -1, -1 };
	ssize_t n = 0;
	time_t t = 0;

	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) != 0) {
		return 10;
	}
	errno = 0;
	n = write(sv[0], big, sizeof(big));
	if (strcmp(scenario, "ring_write_more") == 0) {
		if (n != -1 || errno != EIO) {
			return 11;
		}
		t = time(NULL);
		return t != (time_t)-1 ? 0 : 12;
	}
	if (strcmp(scenario, "ring_link_ran") == 0 && n != (ssize_t)(sizeof(big) / 8)) {
		return 13; /* the short first chunk's count is what write reports */
	}
	if (strcmp(scenario, "ring_duplicate") == 0 && n != (ssize_t)(sizeof(big) / 4)) {
		return 14; /* the first chunk was written; the broken ring ends the write there */
	}
	if (strcmp(scenario, "ring_out_of_order") == 0 && n != -1) {
		return 14;
	}
	errno = 0;
	t = time(NULL);
	if (t != (time_t)-1 || errno != EIO) {
		return 15;
	}
	errno = 0;
	t = time(NULL);
	return t == (time_t)-1 && errno == EIO ? 0 : 16;
}

/*
 * Ring attacks on a split read of 256 KiB (chunks of 64 KiB, two in flight), with made-up
 * data: the first chunk longer than asked (the read fails with EIO, the buffer stays
 * untouched, the channel works), a later chunk longer than asked (the read returns the
 * first chunk's bytes, nothing beyond them is written, the channel works), a linked chunk
 * that ran after a short one (the short count is returned; the channel is broken).
 */
static int ring_read(const char *scenario)
{
	static unsigned char big[256 * 1024];
	size_t chunk = sizeof(big) / 4, good = 0;
	int sv[2] = { -1, -1 };
	bool broken = strcmp(scenario, "ring_read_link_ran") == 0;
	ssize_t n = 0;
	time_t t = 0;

	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) != 0) {
		return 20;
	}
	memset(big, 'g', sizeof(big));
	errno = 0;
	n = read(sv[0], big, sizeof(big));
	if (strcmp(scenario, "ring_read_more") == 0) {
		if (n != -1 || errno != EIO) {
			return 21;
		}
	} else if (strcmp(scenario, "ring_read_link_more") == 0) {
		if (n != (ssize_t)chunk) {
			return 22;
		}
		good = chunk;
	} else if (n != (ssize_t)(chunk / 2)) {
		return 23; /* ring_read_link_ran: the short first chunk's count */
	} else {
		good = chunk / 2;
	}
	for (size_t i = 0; i < sizeof(big); i++) {
		if (big[i] != (i < good ? 'R' : 'g')) {
			return 24; /* a byte not reported, or not delivered */
		}
	}
	errno = 0;
	t = time(NULL);
	if (!broken) {
		return t != (time_t)-1 ? 0 : 25;
	}
	if (t != (time_t)-1 || errno != EIO) {
		return 26;
	}
	return 0;
}

/* A call on a broken channel: time() fails with EIO. */
static bool time_fails_eio(void)
{
	errno = 0;
	return time(NULL) == (time_t)-1 && errno == EIO;
}

/* A thread whose one call must fail with EIO; arg: its exit code otherwise. */
static void *thread_time_eio(void *arg)
{
	return time_fails_eio() ? NULL : arg;
}

static int lanes(void)
{
	pthread_t th;
	void *r = NULL;

	if (time(NULL) == (time_t)-1) {
		return 21; /* main's own lane is served honestly */
	}
	/* resp_other_lane: the thread's call is answered in main's slot */
	if (pthread_create(&th, NULL, thread_time_eio, (void *)(intptr_t)20) != 0) {
		return 22;
	}
	pthread_join(th, &r);
	if (r != NULL) {
		return (int)(intptr_t)r;
	}
	/* the channel broke for every thread */
	return time_fails_eio() ? 0 : 23;
}

/*
 * resp_breach_wakes: the thread's call is never answered; main's next call gets a
 * completion for a call never submitted. The breach must end the thread's wait too.
 */
static int breach_wakes(void)
{
	struct timespec pause = { 0, 1000000L }, limit;
	pthread_t th;
	void *r = NULL;
	int i = 0;

	/* the join's deadline now, while the channel still answers (a clock call is a call) */
	if (clock_gettime(CLOCK_REALTIME, &limit) != 0) {
		return 34;
	}
	limit.tv_sec += 90;
	if (pthread_create(&th, NULL, thread_time_eio, (void *)(intptr_t)30) != 0) {
		return 31;
	}
	/* honest answers until the shadow has taken the thread's call (bounded: ~30 s) */
	for (i = 0; i < 30000; i++) {
		errno = 0;
		if (time(NULL) == (time_t)-1) {
			break;
		}
		nanosleep(&pause, NULL);
	}
	if (i == 30000 || errno != EIO) {
		return 32;
	}
	if (pthread_timedjoin_np(th, &r, &limit) != 0) {
		return 33; /* the thread still waits for an answer that will never come */
	}
	return (int)(intptr_t)r;
}

/* Channel attacks: the exit status reports (stdout is gone with the channel). */
static int channel(const char *scenario)
{
	if (strncmp(scenario, "ring_read_", 10) == 0) {
		return ring_read(scenario);
	}
	if (strncmp(scenario, "ring_", 5) == 0) {
		return ring(scenario);
	}
	if (strcmp(scenario, "resp_other_lane") == 0) {
		return lanes();
	}
	if (strcmp(scenario, "resp_breach_wakes") == 0) {
		return breach_wakes();
	}
	if (strcmp(scenario, "bell_spurious") == 0) {
		/* doorbell rings without completions before the first answer: both are right */
		time_t a = time(NULL), b = time(NULL);

		return a > 1600000000 && b >= a && b - a < 60 ? 0 : 6;
	}
	if (strncmp(scenario, "resp_", 5) == 0) {
		if (!time_fails_eio()) {
			return 1;
		}
		/* the channel stays broken: no further request reaches the shadow */
		return time_fails_eio() ? 0 : 2;
	}
	if (strcmp(scenario, "shadow_dies") == 0) {
		(void)time(NULL); /* the shadow dies while serving this: we must be ended */
		return 5;
	}
	/* ctrl_* / setup_*: the runtime must have refused to start main */
	printf("main ran despite a bad %s\n", scenario);
	return 3;
}

int main(int argc, char **argv)
{
	if (argc == 2 && strcmp(argv[1], "inband") == 0) {
		return inband();
	}
	if (argc == 3 && strcmp(argv[1], "chan") == 0) {
		return channel(argv[2]);
	}
	fprintf(stderr, "usage: %s inband | chan <scenario> (under the hostile shadow)\n", argv[0]);
	return 64;
}
