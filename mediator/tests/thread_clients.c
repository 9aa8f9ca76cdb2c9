/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Clients of the thread-per-connection echo server (threads.c, mode echo):
 *   tzm_thread_clients NAME N
 * connects N clients to the abstract UNIX socket @NAME (retrying until the server
 * listens). Client 0 stays silent, so its server thread blocks in read; while it does,
 * clients 1..N-1 each send a message and must get it back. Then client 0 speaks and gets
 * its answer too. Waits are bounded (a stalled server fails the test instead of hanging
 * it) but generous: no assertion depends on how fast an answer comes.
 * Exit 0 when every answer came back intact.
 */
#include <errno.h>
#include <poll.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#define MAX_CONN 64
#define CONNECT_TRIES 600 /* x 100 ms */
#define ANSWER_MS 60000   /* a stalled server, not a slow one */

static int connect_to(const char *name)
{
	struct sockaddr_un sa;
	socklen_t len = 0;

	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	memcpy(sa.sun_path + 1, name, strlen(name));
	len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 + strlen(name));
	for (int i = 0; i < CONNECT_TRIES; i++) {
		const struct timespec tick = { 0, 100 * 1000000L };
		int fd = socket(AF_UNIX, SOCK_STREAM, 0);

		if (fd < 0) {
			return -1;
		}
		if (connect(fd, (struct sockaddr *)&sa, len) == 0) {
			return fd;
		}
		close(fd);
		nanosleep(&tick, NULL);
	}
	return -1;
}

/* sends msg on fd and expects it back within ANSWER_MS */
static int round_trip(int fd, const char *msg, int id)
{
	size_t len = strlen(msg), got = 0;
	char buf[256];

	if (write(fd, msg, len) != (ssize_t)len) {
		fprintf(stderr, "client %d: write: %s\n", id, strerror(errno));
		return -1;
	}
	while (got < len) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		ssize_t n = 0;

		if (poll(&p, 1, ANSWER_MS) != 1) {
			fprintf(stderr, "client %d: no answer within %d ms (server stalled)\n", id,
				ANSWER_MS);
			return -1;
		}
		n = read(fd, buf + got, len - got);
		if (n <= 0) {
			fprintf(stderr, "client %d: connection ended\n", id);
			return -1;
		}
		got += (size_t)n;
	}
	if (memcmp(buf, msg, len) != 0) {
		fprintf(stderr, "client %d: wrong answer\n", id);
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	int fds[MAX_CONN];
	int n = argc == 3 ? atoi(argv[2]) : 0;
	char msg[64];

	if (n < 2 || n > MAX_CONN ||
	    strlen(argv[1]) + 2 > sizeof(((struct sockaddr_un *)0)->sun_path)) {
		fprintf(stderr, "usage: tzm_thread_clients NAME N (2..%d)\n", MAX_CONN);
		return 64;
	}
	for (int i = 0; i < n; i++) {
		fds[i] = connect_to(argv[1]);
		if (fds[i] < 0) {
			fprintf(stderr, "client %d: cannot connect\n", i);
			return 1;
		}
	}
	/* client 0 is silent: its server thread sits in read meanwhile */
	for (int round = 0; round < 3; round++) {
		for (int i = 1; i < n; i++) {
			snprintf(msg, sizeof(msg), "hello %d round %d\n", i, round);
			if (round_trip(fds[i], msg, i) != 0) {
				return 1;
			}
		}
	}
	if (round_trip(fds[0], "the silent one\n", 0) != 0) {
		return 1;
	}
	for (int i = 0; i < n; i++) {
		close(fds[i]);
	}
	printf("clients %d OK\n", n);
	return 0;
}
