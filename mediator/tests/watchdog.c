/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * CTest mediator_watchdog: tzm-run's OP-TEE watchdog (shadow/run_watchdog.c) acts when
 * the process that started it dies of a signal, and only then.
 * A victim process starts the watchdog (on /dev/null instead of a TEE descriptor: the
 * TEE_IOC_CANCEL then fails with ENOTTY, which the watchdog reports too) and
 *  - "kill": is killed with SIGKILL: the watchdog must say it cancels the session;
 *  - "done": calls tzm__watchdog_done() and exits 0: the watchdog must stay silent.
 * The victim's stderr (shared with the watchdog) is read until EOF, bounded by
 * WAIT_MS: EOF means both are gone, so the watchdog also exited in both cases.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdbool.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../shadow/run_watchdog.h"

#define WAIT_MS 30000
#define SESSION 7u

static int victim(bool killed)
{
	int fd = open("/dev/null", O_RDWR);

	if (fd < 0 || tzm__watchdog_start(fd, SESSION) != 0) {
		fprintf(stderr, "victim: cannot start the watchdog\n");
		_exit(3);
	}
	if (killed) {
		raise(SIGKILL);
	}
	tzm__watchdog_done();
	_exit(0);
}

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

/* Runs a victim; returns what it and its watchdog wrote to stderr (NULL: timeout). */
static char *run(bool killed, int *status)
{
	static char out[4096];
	size_t len = 0;
	int p[2];
	pid_t pid = 0;
	long deadline = now_ms() + WAIT_MS;

	if (pipe(p) != 0) {
		return NULL;
	}
	pid = fork();
	if (pid == 0) {
		close(p[0]);
		dup2(p[1], STDERR_FILENO);
		close(p[1]);
		victim(killed);
	}
	close(p[1]);
	for (;;) {
		struct pollfd pfd = { .fd = p[0], .events = POLLIN };
		long left = deadline - now_ms();
		ssize_t n = 0;

		if (left <= 0 || poll(&pfd, 1, (int)left) <= 0) {
			close(p[0]);
			return NULL;
		}
		n = read(p[0], out + len, sizeof(out) - 1 - len);
		if (n <= 0) {
			break;
		}
		len += (size_t)n;
	}
	out[len] = '\0';
	close(p[0]);
	waitpid(pid, status, 0);
	return out;
}

int main(void)
{
	int status = 0, fails = 0;
	char *out = run(true, &status);

	if (!out) {
		printf("FAIL kill: no EOF within %d ms (the watchdog did not end)\n", WAIT_MS);
		fails++;
	} else if (!WIFSIGNALED(status) || WTERMSIG(status) != SIGKILL) {
		printf("FAIL kill: the victim did not die of SIGKILL: %s\n", out);
		fails++;
	} else if (!strstr(out, "killed while its TA ran: the watchdog cancels TEE session 7") ||
		   !strstr(out, "cancelling the TEE session failed")) {
		printf("FAIL kill: the watchdog did not cancel; stderr was: \"%s\"\n", out);
		fails++;
	} else {
		printf("ok kill: %s", out);
	}
	out = run(false, &status);
	if (!out) {
		printf("FAIL done: no EOF within %d ms (the watchdog did not end)\n", WAIT_MS);
		fails++;
	} else if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || out[0] != '\0') {
		printf("FAIL done: status 0x%x, stderr \"%s\" (expected a silent exit 0)\n", status,
		       out);
		fails++;
	} else {
		printf("ok done: silent\n");
	}
	return fails ? 1 : 0;
}
