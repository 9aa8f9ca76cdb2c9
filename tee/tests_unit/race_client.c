/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * tee_race_client <runtime dir>: a client that looked tee.sock up before the daemon's idle
 * exit unlinked it, and connects after (test_core_races.sh). It holds tee.sock by an
 * O_PATH descriptor, prints "ready", waits (at most 60 s) for tee.sock to be unlinked,
 * then connects through /proc/self/fd/N, which reaches the daemon's socket still. Exit 0
 * when the connection is refused (the client then starts a daemon of its own) or is
 * kept open (accepted and served); 1 when it was queued and then dropped unserved: EOF
 * or a reset within 60 s, as the daemon exited. 2 on set-up errors.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	char path[4096];
	struct pollfd p;
	struct stat st;
	int held, s, i;
	char b;

	if (argc != 2 ||
	    snprintf(path, sizeof(path), "%s/tee.sock", argv[1]) >= (int)sizeof(path)) {
		fprintf(stderr, "usage: tee_race_client <runtime dir>\n");
		return 2;
	}
	held = open(path, O_PATH | O_CLOEXEC);
	if (held < 0) {
		fprintf(stderr, "tee_race_client: %s: %s\n", path, strerror(errno));
		return 2;
	}
	snprintf(sa.sun_path, sizeof(sa.sun_path), "/proc/self/fd/%d", held);
	printf("ready\n");
	fflush(stdout);
	for (i = 0; i < 6000 && stat(path, &st) == 0; i++) {
		struct timespec tick = { 0, 10 * 1000 * 1000 };

		nanosleep(&tick, NULL);
	}
	if (i == 6000) {
		printf("tee.sock was not unlinked within 60 s\n");
		return 2;
	}
	s = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (s < 0) {
		return 2;
	}
	if (connect(s, (struct sockaddr *)&sa, sizeof(sa)) != 0) {
		printf("connect after the unlink: %s\n", strerror(errno));
		return errno == ECONNREFUSED ? 0 : 2;
	}
	p.fd = s;
	p.events = POLLIN;
	if (poll(&p, 1, 60000) == 1 && read(s, &b, 1) <= 0) {
		printf("connect after the unlink succeeded, then the connection was dropped "
		       "unserved\n");
		return 1;
	}
	printf("connect after the unlink: accepted and kept\n");
	return 0;
}
