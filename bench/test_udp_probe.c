/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * bench_udp_probe: a UDP peer that is slow to start must not break the first round trip.
 * bench_connect probes a UDP peer every 20 ms until one probe comes back; a peer that was
 * slow (a loaded machine, qemu-user) answers the probes it got meanwhile too, and those
 * late echoes must not be taken for the reply to the first message (bench_smoke failed
 * with "udp tzm round trip of 4096 bytes failed: Protocol error"). The peer here answers
 * nothing before it holds three probes, then echoes all of them: no timing involved.
 */
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <tzm_test.h>

#include "common.h"

#define PROBES_HELD 3
#define ROUNDS 4

static int slow_peer(int fd)
{
	static char buf[BENCH_UDP_MAX];
	struct sockaddr_in from[PROBES_HELD];
	socklen_t flen[PROBES_HELD];
	char probe[PROBES_HELD];

	for (int i = 0; i < PROBES_HELD; i++) {
		flen[i] = sizeof(from[i]);
		if (recvfrom(fd, &probe[i], 1, 0, (struct sockaddr *)&from[i], &flen[i]) != 1) {
			return 1;
		}
	}
	for (int i = 0; i < PROBES_HELD; i++) {
		if (sendto(fd, &probe[i], 1, 0, (struct sockaddr *)&from[i], flen[i]) != 1) {
			return 1;
		}
	}
	for (;;) {
		struct sockaddr_in peer;
		socklen_t plen = sizeof(peer);
		ssize_t n = recvfrom(fd, buf, sizeof(buf), 0, (struct sockaddr *)&peer, &plen);

		if (n <= 0) {
			return n == 0 ? 0 : 1; /* an empty datagram: the client is done */
		}
		if (sendto(fd, buf, (size_t)n, 0, (struct sockaddr *)&peer, plen) != n) {
			return 1;
		}
	}
}

int main(void)
{
	struct bench_endpoint ep;
	struct bench_conn conn;
	struct sockaddr_in in;
	socklen_t len = sizeof(in);
	uint8_t msg[4096], back[4096];
	int fd = (int)ASSERT_SYS(socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
	int status = 0;
	pid_t parent = getpid(), pid;

	memset(&in, 0, sizeof(in));
	in.sin_family = AF_INET;
	in.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ASSERT_SYS(bind(fd, (struct sockaddr *)&in, sizeof(in)));
	ASSERT_SYS(getsockname(fd, (struct sockaddr *)&in, &len));
	pid = (pid_t)ASSERT_SYS(fork());
	if (pid == 0) {
		/* A failed check ends the test at once: the peer must not outlive it. */
		if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0 || getppid() != parent) {
			_exit(1);
		}
		_exit(slow_peer(fd));
	}
	close(fd);
	memset(&ep, 0, sizeof(ep));
	ep.ipc = BENCH_UDP;
	ep.port = ntohs(in.sin_port);
	TEST_STEP("connect to the slow peer");
	ASSERT_OK(bench_connect(&conn, &ep, true));
	for (int r = 0; r < ROUNDS; r++) {
		for (size_t i = 0; i < sizeof(msg); i++) {
			msg[i] = (uint8_t)(i * 7 + (size_t)r);
		}
		memset(back, 0, sizeof(back));
		TEST_STEP("round trip %d after %d held probes", r, PROBES_HELD);
		ASSERT_OK(bench_roundtrip(&conn, msg, back, sizeof(msg)));
		ASSERT_EQ_MEM(back, msg, sizeof(msg));
	}
	printf("  ok   %d round trips of %zu bytes after %d held probes\n", ROUNDS, sizeof(msg),
	       PROBES_HELD);
	bench_close(&conn);
	TEST_STEP("the peer ends cleanly");
	ASSERT_EQ_INT(ASSERT_SYS(waitpid(pid, &status, 0)), pid);
	ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	printf("bench_udp_probe: all checks passed\n");
	return 0;
}
