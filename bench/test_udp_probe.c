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
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

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
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	int failed = 0, rc, status = 0;
	pid_t pid;

	memset(&in, 0, sizeof(in));
	in.sin_family = AF_INET;
	in.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd < 0 || bind(fd, (struct sockaddr *)&in, sizeof(in)) ||
	    getsockname(fd, (struct sockaddr *)&in, &len)) {
		perror("bench_udp_probe: socket");
		return 1;
	}
	pid = fork();
	if (pid < 0) {
		perror("bench_udp_probe: fork");
		return 1;
	}
	if (pid == 0) {
		_exit(slow_peer(fd));
	}
	close(fd);
	memset(&ep, 0, sizeof(ep));
	ep.ipc = BENCH_UDP;
	ep.port = ntohs(in.sin_port);
	rc = bench_connect(&conn, &ep, true);
	if (rc) {
		printf("  FAIL connect to the slow peer: %s\n", strerror(-rc));
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		return 1;
	}
	for (int r = 0; r < ROUNDS; r++) {
		for (size_t i = 0; i < sizeof(msg); i++) {
			msg[i] = (uint8_t)(i * 7 + (size_t)r);
		}
		memset(back, 0, sizeof(back));
		rc = bench_roundtrip(&conn, msg, back, sizeof(msg));
		if (rc || memcmp(msg, back, sizeof(msg)) != 0) {
			printf("  FAIL round trip %d after %d held probes: %s\n", r, PROBES_HELD,
			       rc ? strerror(-rc) : "wrong bytes back");
			failed = 1;
			break;
		}
	}
	if (!failed) {
		printf("  ok   %d round trips of %zu bytes after %d held probes\n", ROUNDS,
		       sizeof(msg), PROBES_HELD);
	}
	bench_close(&conn);
	if (failed) {
		kill(pid, SIGKILL);
	}
	waitpid(pid, &status, 0);
	if (!failed && (!WIFEXITED(status) || WEXITSTATUS(status) != 0)) {
		printf("  FAIL the peer ended with status 0x%x\n", status);
		failed = 1;
	}
	printf(failed ? "bench_udp_probe: FAILED\n" : "bench_udp_probe: all checks passed\n");
	return failed;
}
