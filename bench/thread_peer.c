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
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#define BUF_SIZE 65536 /* one read per 64 KiB: larger than any message of the bench */
#define MAX_CONNS 31   /* a TA's 32 lanes minus main's */

struct conn {
	pthread_t thread;
	int fd;
	int rc; /* 0: the client ended the stream; -1: an error (logged) */
};

static int fail(const char *what, int err)
{
	fprintf(stderr, "thread_peer: %s: %s\n", what, strerror(err));
	return -1;
}

static int write_all(int fd, const uint8_t *p, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR) {
			continue;
		}
		if (n < 0) {
			return fail("write", errno);
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* One connection's thread: echo until end of stream. */
static void *echo_conn(void *arg)
{
	struct conn *c = arg;
	uint8_t *buf = malloc(BUF_SIZE);

	c->rc = buf ? 0 : fail("malloc", ENOMEM);
	while (c->rc == 0) {
		ssize_t n = read(c->fd, buf, BUF_SIZE);

		if (n < 0 && errno == EINTR) {
			continue;
		}
		if (n < 0) {
			c->rc = fail("read", errno);
		} else if (n == 0) {
			break;
		} else {
			c->rc = write_all(c->fd, buf, (size_t)n);
		}
	}
	free(buf);
	close(c->fd);
	return NULL;
}

static int listen_on(int domain, const char *addr)
{
	struct sockaddr_un un;
	struct sockaddr_in in;
	struct sockaddr *sa = NULL;
	socklen_t len = 0;
	int one = 1;
	int fd = -1;

	if (domain == AF_UNIX) {
		memset(&un, 0, sizeof(un));
		un.sun_family = AF_UNIX;
		if (strlen(addr) >= sizeof(un.sun_path)) {
			fprintf(stderr, "thread_peer: socket path too long\n");
			return -1;
		}
		memcpy(un.sun_path, addr, strlen(addr) + 1);
		sa = (struct sockaddr *)&un;
		len = sizeof(un);
	} else {
		memset(&in, 0, sizeof(in));
		in.sin_family = AF_INET;
		in.sin_port = htons((uint16_t)atoi(addr));
		in.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		sa = (struct sockaddr *)&in;
		len = sizeof(in);
	}
	fd = socket(domain, SOCK_STREAM, 0);
	if (fd < 0) {
		return fail("socket", errno);
	}
	if (domain == AF_INET && setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) != 0) {
		fail("setsockopt SO_REUSEADDR", errno);
	}
	if (bind(fd, sa, len) != 0 || listen(fd, MAX_CONNS) != 0) {
		fail("bind/listen", errno);
		close(fd);
		return -1;
	}
	return fd;
}

static int accept_client(int lfd, int domain)
{
	int one = 1;
	int fd = -1;

	do {
		fd = accept(lfd, NULL, NULL);
	} while (fd < 0 && errno == EINTR);
	if (fd < 0) {
		return fail("accept", errno);
	}
	if (domain == AF_INET && setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one)) != 0) {
		fail("setsockopt TCP_NODELAY", errno);
	}
	return fd;
}

static int serve(int domain, const char *addr, int nconns)
{
	struct conn conns[MAX_CONNS];
	int lfd = listen_on(domain, addr);
	int started = 0, rc = 0;

	if (lfd < 0) {
		return -1;
	}
	while (started < nconns) {
		struct conn *c = &conns[started];
		int err = 0;

		c->fd = accept_client(lfd, domain);
		if (c->fd < 0) {
			rc = -1;
			break;
		}
		c->rc = 0;
		err = pthread_create(&c->thread, NULL, echo_conn, c);
		if (err != 0) {
			/* in a TA: more threads than the channel has lanes (EAGAIN, logged) */
			rc = fail("pthread_create", err);
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
