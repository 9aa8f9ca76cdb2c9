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
	unsigned long conns, msgs, errors;
	unsigned long long bytes;
	uint64_t seed;
	unsigned stall_ms;
} g;

static void client_error(struct client *c, int idx, const char *what, int err)
{
	if (g.errors < 10) {
		fprintf(stderr, "FAIL client %d (message %lu, %zu of %zu bytes back): %s%s%s\n",
			idx, c->done, c->got, c->size, what, err ? ": " : "",
			err ? strerror(err) : "");
	}
	g.errors++;
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

static int open_conn(struct client *c, int idx)
{
	int fd = fu_connect(g.endpoint);

	if (fd < 0) {
		client_error(c, idx, "connect", errno);
		return -1;
	}
	fcntl(fd, F_SETFL, O_NONBLOCK);
	c->fd = fd;
	/* each connection its own stream of sizes and data, derived from the seed */
	fu_rng_seed(&c->rng, g.seed ^ ((uint64_t)idx << 40) ^ (uint64_t)g.conns * 0x9e37u);
	c->left = 1 + fu_rng_below(&c->rng, MAX_MSGS_PER_CONN);
	g.conns++;
	new_message(c);
	return 0;
}

/* Handles poll events of one client; returns -1 on an error (connection dropped). */
static int service(struct client *c, int idx, short revents, bool stopping)
{
	if (revents & (POLLIN | POLLHUP | POLLERR)) {
		ssize_t n = recv(c->fd, c->in, c->size - c->got, 0);

		if (n == 0) {
			client_error(c, idx, "EOF from the server", 0);
			return -1;
		}
		if (n < 0 && errno != EAGAIN && errno != EINTR) {
			client_error(c, idx, "recv", errno);
			return -1;
		}
		if (n > 0) {
			if (memcmp(c->in, c->msg + c->got, (size_t)n) != 0) {
				client_error(c, idx, "echoed bytes differ", 0);
				return -1;
			}
			c->got += (size_t)n;
			g.bytes += (unsigned long long)n;
		}
	}
	if ((revents & POLLOUT) && c->sent < c->size) {
		ssize_t n = send(c->fd, c->msg + c->sent, c->size - c->sent, MSG_NOSIGNAL);

		if (n < 0 && errno != EAGAIN && errno != EINTR) {
			client_error(c, idx, "send", errno);
			return -1;
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
			if (open_conn(c, idx) != 0) {
				return -1;
			}
		} else {
			new_message(c);
		}
	}
	return 0;
}

static int wait_fds(pid_t pid, int want, int want_mem, const char *who)
{
	uint64_t deadline = fu_now_ms() + g.stall_ms;
	int n = -1, mem = -1;

	for (;;) {
		n = fu_fd_count(pid, &mem);
		if (n == want && mem == want_mem) {
			printf("%s: %d fds (%d memfds), as before the load\n", who, n, mem);
			return 0;
		}
		if (fu_now_ms() >= deadline) {
			break;
		}
		fu_sleep_ms(20);
	}
	fprintf(stderr, "FAIL %s has %d fds (%d memfds) after the load, %d (%d) before\n", who, n,
		mem, want, want_mem);
	fu_fd_dump(pid, who);
	return -1;
}

int main(int argc, char **argv)
{
	static struct client cl[MAX_CLIENTS];
	static struct pollfd pfd[MAX_CLIENTS];
	const char *tmp = getenv("TZM_TEST_TMPDIR");
	unsigned slow = fu_slow();
	long seconds = fu_env_long("TZM_LOAD_SECONDS", slow > 1 ? 5 : 30);
	long nclients = fu_env_long("TZM_LOAD_CLIENTS", 64);
	char policy[PATH_MAX], errpath[PATH_MAX], addr[96], line[256];
	char *sargv[8];
	struct fu_proc kids[4], host = { 0, 0 };
	int out = -1, st = 0, sh_fds = 0, sh_mem = 0, core_fds = 0, core_mem = 0, rc = 1;
	pid_t shadow = -1, core = 0;
	uint64_t t0 = 0, t_end = 0, t_stop = 0;
	bool unix_sock = false;
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
	printf("%ld clients over %s for %ld s%s\n", nclients, unix_sock ? "UNIX" : "TCP", seconds,
	       slow > 1 ? " (shortened: qemu-user/valgrind run ~10x slower)" : "");

	snprintf(policy, sizeof(policy), "%s/load.policy", tmp);
	snprintf(errpath, sizeof(errpath), "%s/tzm-run.err", tmp);
	f = fopen(policy, "w");
	if (!f) {
		perror(policy);
		return 1;
	}
	fprintf(f, "tcp bind 127.0.0.1 *\nunix @tzm-load-*\nmax_fds 256\n");
	fclose(f);
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
	shadow = fu_spawn(sargv, &out, errpath);
	if (shadow < 0 || fu_read_line(out, "ready ", line, sizeof(line), g.stall_ms) != 0) {
		fprintf(stderr, "FAIL tzm-run did not start the echo TA\n");
		goto out;
	}
	snprintf(g.endpoint, sizeof(g.endpoint), "%s", line + 6);
	core = fu_teed_pid();
	if (core <= 0 || fu_children(core, kids, 4) != 1) {
		fprintf(stderr, "FAIL cannot find the core and the TA host\n");
		goto out;
	}
	host = kids[0];
	sh_fds = fu_fd_count(shadow, &sh_mem);
	core_fds = fu_fd_count(core, &core_mem);
	printf("before: tzm-run %d fds (%d memfds), tzm-teed %d fds (%d memfds)\n", sh_fds, sh_mem,
	       core_fds, core_mem);

	t0 = fu_now_ms();
	t_end = t0 + (uint64_t)seconds * 1000u;
	for (int i = 0; i < nclients; i++) {
		cl[i].msg = malloc(MAX_MSG);
		cl[i].in = malloc(MAX_MSG);
		cl[i].fd = -1;
		if (!cl[i].msg || !cl[i].in || open_conn(&cl[i], i) != 0) {
			g.errors++;
			goto drain;
		}
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
		if (active == 0 || g.errors) {
			break;
		}
		n = poll(pfd, (nfds_t)nclients, (int)g.stall_ms);
		if (n == 0) {
			fprintf(stderr,
				"FAIL no client progressed for %u ms (%d connections "
				"waiting): a hang\n",
				g.stall_ms, active);
			g.errors++;
			break;
		}
		if (n < 0) {
			if (errno == EINTR) {
				continue;
			}
			perror("poll");
			g.errors++;
			break;
		}
		for (int i = 0; i < nclients; i++) {
			if (pfd[i].revents && cl[i].fd >= 0 &&
			    service(&cl[i], i, pfd[i].revents, stopping) != 0) {
				close(cl[i].fd);
				cl[i].fd = -1;
			}
		}
		if (stopping && t_stop == 0) {
			t_stop = now; /* from here on, in-flight messages finish, none start */
		}
	}
drain:
	for (int i = 0; i < nclients; i++) {
		if (cl[i].fd >= 0) {
			close(cl[i].fd);
			cl[i].fd = -1;
		}
	}
	{
		uint64_t ms = fu_now_ms() - t0;
		unsigned long idle = 0;

		for (int i = 0; i < nclients; i++) {
			idle += cl[i].done == 0;
			free(cl[i].msg);
			free(cl[i].in);
		}
		printf("%lu connections, %lu messages (%llu bytes echoed and verified) in %llu ms: "
		       "%.1f MB/s each way, %.0f messages/s; %lu errors\n",
		       g.conns, g.msgs, g.bytes, (unsigned long long)ms,
		       ms ? (double)g.bytes / 1000.0 / (double)ms : 0.0,
		       ms ? (double)g.msgs * 1000.0 / (double)ms : 0.0, g.errors);
		if (idle && !g.errors) {
			fprintf(stderr, "FAIL %lu clients never completed a message\n", idle);
			g.errors++;
		}
	}
	if (g.errors) {
		goto out;
	}
	if (wait_fds(shadow, sh_fds, sh_mem, "tzm-run") != 0 ||
	    wait_fds(core, core_fds, core_mem, "tzm-teed") != 0) {
		goto out;
	}
	kill(shadow, SIGTERM);
	/* the echo TA keeps SIGTERM's default action: it dies of it, and so does tzm-run */
	if (fu_wait(shadow, g.stall_ms, &st) != 0 || !WIFSIGNALED(st) || WTERMSIG(st) != SIGTERM) {
		char s[32];

		fprintf(stderr, "FAIL tzm-run after SIGTERM: %s, expected death by SIGTERM\n",
			fu_wait(shadow, 0, &st) == 0 ? fu_status_text(st, s, sizeof(s))
						     : "running");
		goto out;
	}
	shadow = -1;
	if (fu_wait_gone(&host, g.stall_ms) != 0) {
		fprintf(stderr, "FAIL the TA host is still running after tzm-run ended\n");
		goto out;
	}
	rc = 0;
	printf("passed\n");
out:
	if (rc != 0) {
		FILE *e = fopen(errpath, "r");
		char buf[4096];
		size_t n = e ? fread(buf, 1, sizeof(buf) - 1, e) : 0;

		buf[n] = '\0';
		fprintf(stderr, "---- tzm-run stderr ----\n%s", buf);
		if (e) {
			fclose(e);
		}
		fprintf(stderr, "reproduce with TZM_FAULT_SEED=%llu\n", (unsigned long long)g.seed);
	}
	if (shadow > 0) {
		kill(shadow, SIGKILL);
		fu_wait(shadow, g.stall_ms, &st);
	}
	if (out >= 0) {
		close(out);
	}
	return rc;
}
