/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Load: many concurrent clients against the poll-based echo TA through tzm-run, for a
 * fixed time. Every client sends seeded pseudo-random messages of random sizes
 * (1..64 KiB, log-uniform), checks every echoed byte, and reconnects after a random
 * number of messages (so accept/close churn through the shadow's fd table too).
 *
 *   fault_load TZM_RUN UUID tcp|unix
 *   TZM_LOAD_SECONDS (default 30; 5 under qemu-user/valgrind, i.e. with
 *   TZM_INSECURE_NO_SANDBOX=1, where everything is ~10x slower)
 *   TZM_LOAD_CLIENTS (default 64)   TZM_FAULT_SEED (printed; reproduces the data)
 *
 * Passes when: no client error of any kind (connect, reset, EOF, wrong byte, a stall
 * longer than the bound), at least one full message per client, and afterwards tzm-run
 * and tzm-teed have exactly the fds (and memfds) they had before the first client
 * connected; SIGTERM then ends tzm-run (death by SIGTERM, as the echo TA's) and the TEE
 * ends the TA host.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <tzm_test.h>

#include "fault_util.h"

#define MAX_MSG 65536u
#define MAX_CLIENTS 200
#define MAX_MSGS_PER_CONN 200u

struct client {
	int fd;
	struct fu_rng rng;
	unsigned char *msg, *in;
	size_t size, sent, got;
	unsigned left; /* messages before this connection is replaced */
	unsigned long done;
};

static struct {
	char endpoint[256];
	char errpath[PATH_MAX]; /* tzm-run's stderr */
	unsigned long conns, msgs;
	unsigned long long bytes;
	uint64_t seed;
	unsigned stall_ms;
	pid_t driver;
	pid_t shadow; /* tzm-run while it runs and is not reaped */
	bool passed;
} g;

/*
 * A failed check ends the test at once (tzm_test.h): the report then gets tzm-run's stderr
 * and the seed that reproduces the data, and tzm-run must not outlive the test. The core is
 * stopped by cmake/run-test.sh.
 */
static void report_and_kill_at_exit(void)
{
	int st = 0;

	if (getpid() != g.driver) { /* a forked child leaving through exit() */
		return;
	}
	if (!g.passed) {
		FILE *e = fopen(g.errpath, "r");
		char buf[4096];
		size_t n = e ? fread(buf, 1, sizeof(buf) - 1, e) : 0;

		buf[n] = '\0';
		fprintf(stderr, "---- tzm-run stderr ----\n%s", buf);
		if (e) {
			fclose(e);
		}
		fprintf(stderr, "reproduce with TZM_FAULT_SEED=%llu\n", (unsigned long long)g.seed);
	}
	if (g.shadow > 0) {
		kill(g.shadow, SIGKILL);
		fu_wait(g.shadow, g.stall_ms, &st);
		g.shadow = -1;
	}
}

static void client_fail(const struct client *c, int idx, const char *what, int err)
{
	TEST_FAIL("client %d (message %lu, %zu of %zu bytes back): %s%s%s", idx, c->done, c->got,
		  c->size, what, err ? ": " : "", err ? strerror(err) : "");
}

static void new_message(struct client *c)
{
	c->size = fu_rng_size(&c->rng, MAX_MSG);
	c->sent = 0;
	c->got = 0;
	for (size_t i = 0; i < c->size; i += 8) {
		uint64_t v = fu_rng_next(&c->rng);

		memcpy(c->msg + i, &v, c->size - i < 8 ? c->size - i : 8);
	}
}

static void open_conn(struct client *c, int idx)
{
	int fd = fu_connect(g.endpoint);

	if (fd < 0) {
		client_fail(c, idx, "connect", errno);
	}
	fcntl(fd, F_SETFL, O_NONBLOCK);
	c->fd = fd;
	/* each connection its own stream of sizes and data, derived from the seed */
	fu_rng_seed(&c->rng, g.seed ^ ((uint64_t)idx << 40) ^ (uint64_t)g.conns * 0x9e37u);
	c->left = 1 + fu_rng_below(&c->rng, MAX_MSGS_PER_CONN);
	g.conns++;
	new_message(c);
}

/* Handles poll events of one client; any error fails the test. */
static void service(struct client *c, int idx, short revents, bool stopping)
{
	if (revents & (POLLIN | POLLHUP | POLLERR)) {
		ssize_t n = recv(c->fd, c->in, c->size - c->got, 0);

		if (n == 0) {
			client_fail(c, idx, "EOF from the server", 0);
		}
		if (n < 0 && errno != EAGAIN && errno != EINTR) {
			client_fail(c, idx, "recv", errno);
		}
		if (n > 0) {
			if (memcmp(c->in, c->msg + c->got, (size_t)n) != 0) {
				TEST_CONTEXT("client %d, message %lu: bytes %zu.. of %zu echoed",
					     idx, c->done, c->got, c->size);
				ASSERT_EQ_MEM(c->in, c->msg + c->got, (size_t)n);
			}
			c->got += (size_t)n;
			g.bytes += (unsigned long long)n;
		}
	}
	if ((revents & POLLOUT) && c->sent < c->size) {
		ssize_t n = send(c->fd, c->msg + c->sent, c->size - c->sent, MSG_NOSIGNAL);

		if (n < 0 && errno != EAGAIN && errno != EINTR) {
			client_fail(c, idx, "send", errno);
		}
		if (n > 0) {
			c->sent += (size_t)n;
		}
	}
	if (c->got == c->size) {
		c->done++;
		g.msgs++;
		if (stopping) {
			close(c->fd);
			c->fd = -1;
		} else if (--c->left == 0) {
			close(c->fd);
			c->fd = -1;
			open_conn(c, idx);
		} else {
			new_message(c);
		}
	}
}

/* pid's fds (and memfds) back at what it held before the load, within the bound. */
static void expect_fds(pid_t pid, int want, int want_mem, const char *who)
{
	uint64_t deadline = fu_now_ms() + g.stall_ms;
	int n = -1, mem = -1;

	for (;;) {
		n = fu_fd_count(pid, &mem);
		if (n == want && mem == want_mem) {
			printf("%s: %d fds (%d memfds), as before the load\n", who, n, mem);
			return;
		}
		if (fu_now_ms() >= deadline) {
			break;
		}
		fu_sleep_ms(20);
	}
	fprintf(stderr, "%s holds other fds %u ms after the load than before it:\n", who,
		g.stall_ms);
	fu_fd_dump(pid, who);
	ASSERT_EQ_INT(n, want);
	ASSERT_EQ_INT(mem, want_mem);
}

int main(int argc, char **argv)
{
	static struct client cl[MAX_CLIENTS];
	static struct pollfd pfd[MAX_CLIENTS];
	const char *tmp = getenv("TZM_TEST_TMPDIR");
	unsigned slow = fu_slow();
	long seconds = fu_env_long("TZM_LOAD_SECONDS", slow > 1 ? 5 : 30);
	long nclients = fu_env_long("TZM_LOAD_CLIENTS", 64);
	char policy[PATH_MAX], addr[96], line[256];
	char *sargv[8];
	struct fu_proc kids[4], host = { 0, 0 };
	int out = -1, st = 0, sh_fds = 0, sh_mem = 0, core_fds = 0, core_mem = 0;
	pid_t core = 0;
	uint64_t t0 = 0, t_end = 0, t_stop = 0, ms = 0;
	unsigned long idle = 0;
	bool unix_sock = false;
	char s[32];
	FILE *f = NULL;

	if (argc != 4 || (strcmp(argv[3], "tcp") != 0 && strcmp(argv[3], "unix") != 0)) {
		fprintf(stderr, "usage: fault_load TZM_RUN UUID tcp|unix\n");
		return 64;
	}
	if (!getenv("TZM_RUNTIME_DIR") || !tmp) {
		fprintf(stderr, "fault_load: run me through ctest (private TEE)\n");
		return 64;
	}
	if (nclients < 1 || nclients > MAX_CLIENTS) {
		fprintf(stderr, "TZM_LOAD_CLIENTS must be 1..%d\n", MAX_CLIENTS);
		return 64;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	signal(SIGPIPE, SIG_IGN);
	fu_subreaper();
	unix_sock = strcmp(argv[3], "unix") == 0;
	g.stall_ms = 15000u * slow;
	g.seed = fu_seed_from_env("TZM_FAULT_SEED");
	g.driver = getpid();
	g.shadow = -1;
	snprintf(g.errpath, sizeof(g.errpath), "%s/tzm-run.err", tmp);
	atexit(report_and_kill_at_exit);
	printf("%ld clients over %s for %ld s%s\n", nclients, unix_sock ? "UNIX" : "TCP", seconds,
	       slow > 1 ? " (shortened: qemu-user/valgrind run ~10x slower)" : "");

	TEST_STEP("set-up: tzm-run starts the echo TA on %s", unix_sock ? "UNIX" : "TCP");
	snprintf(policy, sizeof(policy), "%s/load.policy", tmp);
	f = fopen(policy, "w");
	if (!f) {
		TEST_FAIL("%s: %s", policy, strerror(errno));
	}
	fprintf(f, "tcp bind 127.0.0.1 *\nunix @tzm-load-*\nmax_fds 256\n");
	ASSERT_SYS(fclose(f));
	if (unix_sock) {
		snprintf(addr, sizeof(addr), "@tzm-load-%d", (int)getpid());
	} else {
		snprintf(addr, sizeof(addr), "127.0.0.1:0");
	}
	sargv[0] = argv[1];
	sargv[1] = "--policy";
	sargv[2] = policy;
	sargv[3] = argv[2];
	sargv[4] = "--";
	sargv[5] = argv[3];
	sargv[6] = addr;
	sargv[7] = NULL;
	g.shadow = fu_spawn(sargv, &out, g.errpath);
	if (g.shadow < 0 || fu_read_line(out, "ready ", line, sizeof(line), g.stall_ms) != 0) {
		TEST_FAIL("tzm-run did not start the echo TA");
	}
	snprintf(g.endpoint, sizeof(g.endpoint), "%s", line + 6);
	core = fu_teed_pid();
	ASSERT_GT_INT(core, 0);                       /* the core's pid file */
	ASSERT_EQ_INT(fu_children(core, kids, 4), 1); /* the TA host */
	host = kids[0];
	sh_fds = fu_fd_count(g.shadow, &sh_mem);
	core_fds = fu_fd_count(core, &core_mem);
	printf("before: tzm-run %d fds (%d memfds), tzm-teed %d fds (%d memfds)\n", sh_fds, sh_mem,
	       core_fds, core_mem);

	TEST_STEP("load: %ld clients for %ld s (TZM_FAULT_SEED=%llu)", nclients, seconds,
		  (unsigned long long)g.seed);
	t0 = fu_now_ms();
	t_end = t0 + (uint64_t)seconds * 1000u;
	for (int i = 0; i < nclients; i++) {
		cl[i].msg = malloc(MAX_MSG);
		cl[i].in = malloc(MAX_MSG);
		cl[i].fd = -1;
		ASSERT_NOT_NULL(cl[i].msg);
		ASSERT_NOT_NULL(cl[i].in);
		open_conn(&cl[i], i);
	}
	for (;;) {
		uint64_t now = fu_now_ms();
		bool stopping = now >= t_end;
		int n = 0, active = 0;

		for (int i = 0; i < nclients; i++) {
			pfd[i].fd = cl[i].fd;
			pfd[i].events = 0;
			pfd[i].revents = 0;
			if (cl[i].fd >= 0) {
				active++;
				pfd[i].events = POLLIN;
				if (cl[i].sent < cl[i].size) {
					pfd[i].events |= POLLOUT;
				}
			}
		}
		if (active == 0) {
			break;
		}
		n = poll(pfd, (nfds_t)nclients, (int)g.stall_ms);
		if (n == 0) {
			TEST_FAIL("no client progressed for %u ms (%d connections waiting): a hang",
				  g.stall_ms, active);
		}
		if (n < 0) {
			if (errno == EINTR) {
				continue;
			}
			TEST_FAIL("poll: %s", strerror(errno));
		}
		for (int i = 0; i < nclients; i++) {
			if (pfd[i].revents && cl[i].fd >= 0) {
				service(&cl[i], i, pfd[i].revents, stopping);
			}
		}
		if (stopping && t_stop == 0) {
			t_stop = now; /* from here on, in-flight messages finish, none start */
		}
	}
	ms = fu_now_ms() - t0;
	for (int i = 0; i < nclients; i++) {
		idle += cl[i].done == 0;
		free(cl[i].msg);
		free(cl[i].in);
	}
	printf("%lu connections, %lu messages (%llu bytes echoed and verified) in %llu ms: "
	       "%.1f MB/s each way, %.0f messages/s; 0 errors\n",
	       g.conns, g.msgs, g.bytes, (unsigned long long)ms,
	       ms ? (double)g.bytes / 1000.0 / (double)ms : 0.0,
	       ms ? (double)g.msgs * 1000.0 / (double)ms : 0.0);
	ASSERT_EQ_U64(idle, 0); /* clients that never completed a message */

	TEST_STEP("afterwards: tzm-run and tzm-teed hold the fds they held before the load");
	expect_fds(g.shadow, sh_fds, sh_mem, "tzm-run");
	expect_fds(core, core_fds, core_mem, "tzm-teed");

	TEST_STEP("SIGTERM ends tzm-run, and the TEE ends the TA host");
	ASSERT_SYS(kill(g.shadow, SIGTERM));
	/* the echo TA keeps SIGTERM's default action: it dies of it, and so does tzm-run */
	if (fu_wait(g.shadow, g.stall_ms, &st) != 0) {
		TEST_FAIL("tzm-run still running %u ms after SIGTERM", g.stall_ms);
	}
	g.shadow = -1;
	if (!WIFSIGNALED(st) || WTERMSIG(st) != SIGTERM) {
		TEST_FAIL("tzm-run after SIGTERM: %s, expected death by SIGTERM",
			  fu_status_text(st, s, sizeof(s)));
	}
	if (fu_wait_gone(&host, g.stall_ms) != 0) {
		TEST_FAIL("the TA host is still running %u ms after tzm-run ended", g.stall_ms);
	}
	close(out);
	g.passed = true;
	printf("passed\n");
	return 0;
}
