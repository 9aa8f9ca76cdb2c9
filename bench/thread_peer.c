/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Benchmark peer of the "threads" part: a thread-per-connection echo server. The main
 * thread accepts connections; each gets a thread of its own that echoes every byte until
 * the client ends the stream. Like echo_peer.c it is plain POSIX (here with pthreads) and
 * built twice by tzm_add_posix_program: natively (CA<->CA) and as a TA (CA<->TA), where
 * each TA thread has its own lane of the channel (up to 32 per TA, main's included; see
 * mediator/README.md "Limits"), so one thread blocked in read() never stalls the others.
 *
 *   thread_peer unix <path> --conns N   listens on the UNIX stream socket <path>
 *   thread_peer tcp  <port> --conns N   listens on 127.0.0.1:<port>
 *
 * Serves N connections (1..MAX_CONNS) at once, joins their threads, then exits 0 when
 * every connection ended cleanly (end of stream from the client), 1 otherwise.
 */
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "peer_socket.h"

#define BUF_SIZE 65536 /* one read per 64 KiB: larger than any message of the bench */
#define MAX_CONNS 31   /* a TA's 32 lanes minus main's */

const char peer_name[] = "thread_peer";

struct conn {
	pthread_t thread;
	int fd;
	int rc; /* 0: the client ended the stream; -1: an error (logged) */
};

/* One connection's thread: echo until end of stream. */
static void *echo_conn(void *arg)
{
	struct conn *c = arg;
	uint8_t *buf = malloc(BUF_SIZE);

	c->rc = buf ? 0 : peer_fail("malloc", ENOMEM);
	while (c->rc == 0) {
		ssize_t n = read(c->fd, buf, BUF_SIZE);

		if (n < 0 && errno == EINTR) {
			continue;
		}
		if (n < 0) {
			c->rc = peer_fail("read", errno);
		} else if (n == 0) {
			break;
		} else {
			c->rc = peer_write_all(c->fd, buf, (size_t)n);
		}
	}
	free(buf);
	close(c->fd);
	return NULL;
}

static int serve(int domain, const char *addr, int nconns)
{
	struct conn conns[MAX_CONNS];
	int lfd = peer_listen(domain, addr, MAX_CONNS);
	int started = 0, rc = 0;

	if (lfd < 0) {
		return -1;
	}
	while (started < nconns) {
		struct conn *c = &conns[started];
		int err = 0;

		c->fd = peer_accept(lfd, domain);
		if (c->fd < 0) {
			rc = -1;
			break;
		}
		c->rc = 0;
		err = pthread_create(&c->thread, NULL, echo_conn, c);
		if (err != 0) {
			/* in a TA: more threads than the channel has lanes (EAGAIN, logged) */
			rc = peer_fail("pthread_create", err);
			close(c->fd);
			break;
		}
		started++;
	}
	/* The socket path is left for the client to remove (the policy grants no unlink). */
	close(lfd);
	for (int i = 0; i < started; i++) {
		pthread_join(conns[i].thread, NULL);
		if (conns[i].rc != 0) {
			rc = -1;
		}
	}
	return rc;
}

static int usage(void)
{
	fprintf(stderr, "usage: thread_peer unix|tcp <path|port> --conns N (1..%d)\n", MAX_CONNS);
	return 2;
}

int main(int argc, char **argv)
{
	char *end = NULL;
	long nconns = 0;
	int domain = 0;

	if (argc != 5 || strcmp(argv[3], "--conns") != 0) {
		return usage();
	}
	nconns = strtol(argv[4], &end, 10);
	if (*argv[4] == '\0' || *end != '\0' || nconns < 1 || nconns > MAX_CONNS) {
		return usage();
	}
	if (strcmp(argv[1], "unix") == 0) {
		domain = AF_UNIX;
	} else if (strcmp(argv[1], "tcp") == 0) {
		domain = AF_INET;
	} else {
		return usage();
	}
	return serve(domain, argv[2], (int)nconns) == 0 ? 0 : 1;
}
