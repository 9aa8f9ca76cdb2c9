/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Echo client (normal world only) for the four IPC kinds: N round trips of M bytes
 * against echo_server, native or running as a TA, verifying every byte that comes back.
 *
 *   echo_client KIND ADDR [-n ROUNDS] [-s BYTES] [-q]
 *
 * Stream kinds write and read concurrently (non-blocking + poll), so any message size
 * works even when it exceeds the pipe or socket buffers. UDP sends one datagram per round.
 * Prints the round-trip median; exits 0 when all data matched, 1 otherwise.
 */
#include "echo_addr.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define IO_TIMEOUT_MS 10000
#define MAX_UDP 65507

struct conn {
	int wfd;
	int rfd;
	int is_socket;
};

static uint64_t now_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec;
}

static void fill(unsigned char *buf, size_t len, unsigned round)
{
	uint32_t x = round * 2654435761u + 7u;

	for (size_t i = 0; i < len; i++) {
		x = x * 1103515245u + 12345u;
		buf[i] = (unsigned char)(x >> 16);
	}
}

static int set_nonblock(int fd)
{
	int fl = fcntl(fd, F_GETFL);

	return fl < 0 ? -errno : (fcntl(fd, F_SETFL, fl | O_NONBLOCK) < 0 ? -errno : 0);
}

static int open_conn(const struct echo_addr *a, struct conn *c)
{
	int type = a->kind == ECHO_UDP ? SOCK_DGRAM : SOCK_STREAM;

	c->is_socket = a->kind != ECHO_FIFO;
	if (a->kind == ECHO_FIFO) {
		c->wfd = open(a->req, O_WRONLY);
		c->rfd = c->wfd < 0 ? -1 : open(a->rsp, O_RDONLY);
		if (c->wfd < 0 || c->rfd < 0) {
			return -errno;
		}
	} else {
		c->wfd = socket(a->ss.ss_family, type, 0);
		if (c->wfd < 0) {
			return -errno;
		}
		if (connect(c->wfd, (const struct sockaddr *)&a->ss, a->len) != 0) {
			return -errno;
		}
		c->rfd = c->wfd;
	}
	if (set_nonblock(c->wfd) != 0 || set_nonblock(c->rfd) != 0) {
		return -errno;
	}
	return 0;
}

/* poll() bounded by IO_TIMEOUT_MS: the ready count, -ETIMEDOUT or -errno (-EINTR: retry). */
static int poll_bounded(struct pollfd *p, nfds_t n)
{
	int rc = poll(p, n, IO_TIMEOUT_MS);

	if (rc == 0) {
		return -ETIMEDOUT;
	}
	return rc < 0 ? -errno : rc;
}

/* One stream round trip: send len bytes while receiving len bytes into back. */
static int stream_round(const struct conn *c, const unsigned char *out, unsigned char *back,
			size_t len)
{
	size_t sent = 0, got = 0;

	while (got < len) {
		struct pollfd p[2] = { { c->rfd, POLLIN, 0 }, { c->wfd, POLLOUT, 0 } };
		nfds_t n = sent < len ? 2 : 1;
		int rc = poll_bounded(p, n);

		if (rc == -EINTR) {
			continue;
		}
		if (rc < 0) {
			return rc;
		}
		if (n == 2 && (p[1].revents & (POLLOUT | POLLERR | POLLHUP))) {
			ssize_t w = c->is_socket
					    ? send(c->wfd, out + sent, len - sent, MSG_NOSIGNAL)
					    : write(c->wfd, out + sent, len - sent);

			if (w < 0 && errno != EAGAIN) {
				return -errno;
			}
			sent += w > 0 ? (size_t)w : 0;
		}
		if (p[0].revents & (POLLIN | POLLERR | POLLHUP)) {
			ssize_t r = read(c->rfd, back + got, len - got);

			if (r == 0) {
				return -ECONNRESET; /* server closed early */
			}
			if (r < 0 && errno != EAGAIN) {
				return -errno;
			}
			got += r > 0 ? (size_t)r : 0;
		}
	}
	return 0;
}

static int udp_round(const struct conn *c, const unsigned char *out, unsigned char *back,
		     size_t len)
{
	struct pollfd p = { c->rfd, POLLIN, 0 };
	ssize_t r = 0;

	if (send(c->wfd, out, len, 0) != (ssize_t)len) {
		return errno ? -errno : -EMSGSIZE;
	}
	if (poll(&p, 1, IO_TIMEOUT_MS) != 1) {
		return -ETIMEDOUT;
	}
	r = recv(c->rfd, back, MAX_UDP + 1, 0);
	if (r < 0) {
		return -errno;
	}
	return (size_t)r == len ? 0 : -EMSGSIZE;
}

/*
 * Ends a FIFO session: FIFOs have no connections, so the server only learns that a client
 * is done from EOF on the request pipe, and a next client that opens the request pipe
 * before the server has seen that EOF would join the old session. So close the request
 * pipe, then wait (bounded) for the server's EOF on the response pipe: it closes the
 * request pipe before the response pipe, so once we see EOF the session is over on both
 * sides and the next client's open waits for the server's next session.
 */
static int fifo_finish(struct conn *c)
{
	unsigned char extra[256];

	close(c->wfd);
	c->wfd = -1;
	for (;;) {
		struct pollfd p = { c->rfd, POLLIN, 0 };
		int rc = poll_bounded(&p, 1);
		ssize_t r = 0;

		if (rc == -EINTR) {
			continue;
		}
		if (rc < 0) {
			return rc;
		}
		r = read(c->rfd, extra, sizeof(extra));
		if (r == 0) {
			return 0;
		}
		if (r > 0) {
			return -EPROTO; /* more echo than we sent */
		}
		if (errno != EAGAIN && errno != EINTR) {
			return -errno;
		}
	}
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static void usage(void)
{
	fprintf(stderr, "usage: echo_client fifo|unix|tcp|udp ADDR [-n ROUNDS] [-s BYTES] [-q]\n");
}

int main(int argc, char **argv)
{
	struct echo_addr a;
	struct conn c = { -1, -1, 0 };
	unsigned char *out = NULL, *back = NULL;
	uint64_t *rtt = NULL;
	long rounds = 10, size = 4096;
	int quiet = 0, rc = 1, err = 0;
	long i = 0;

	if (argc < 3) {
		usage();
		return 2;
	}
	for (int k = 3; k < argc; k++) {
		char *end = NULL;

		if (strcmp(argv[k], "-q") == 0) {
			quiet = 1;
		} else if ((strcmp(argv[k], "-n") == 0 || strcmp(argv[k], "-s") == 0) &&
			   k + 1 < argc) {
			long v = strtol(argv[k + 1], &end, 10);

			if (*end != '\0' || v <= 0 || v > (1L << 30)) {
				usage();
				return 2;
			}
			*(argv[k][1] == 'n' ? &rounds : &size) = v;
			k++;
		} else {
			usage();
			return 2;
		}
	}
	if (echo_parse(argv[1], argv[2], &a) != 0) {
		usage();
		return 2;
	}
	if (a.kind == ECHO_UDP && size > MAX_UDP) {
		fprintf(stderr, "echo_client: UDP messages are at most %d bytes\n", MAX_UDP);
		return 2;
	}
	out = malloc((size_t)size);
	back = malloc(a.kind == ECHO_UDP ? MAX_UDP + 1 : (size_t)size);
	rtt = calloc((size_t)rounds, sizeof(*rtt));
	if (out == NULL || back == NULL || rtt == NULL) {
		fprintf(stderr, "echo_client: out of memory\n");
		goto out;
	}
	err = open_conn(&a, &c);
	if (err != 0) {
		fprintf(stderr, "echo_client: connect to %s: %s\n", echo_addr_text(&a),
			strerror(-err));
		goto out;
	}
	for (i = 0; i < rounds; i++) {
		uint64_t t0 = 0;

		fill(out, (size_t)size, (unsigned)i);
		memset(back, 0, (size_t)size);
		t0 = now_ns();
		err = a.kind == ECHO_UDP ? udp_round(&c, out, back, (size_t)size)
					 : stream_round(&c, out, back, (size_t)size);
		rtt[i] = now_ns() - t0;
		if (err != 0) {
			fprintf(stderr, "echo_client: round %ld: %s\n", i, strerror(-err));
			goto out;
		}
		if (memcmp(out, back, (size_t)size) != 0) {
			fprintf(stderr, "echo_client: round %ld: echoed data differs\n", i);
			goto out;
		}
	}
	if (a.kind == ECHO_FIFO) {
		err = fifo_finish(&c);
		if (err != 0) {
			fprintf(stderr, "echo_client: ending the FIFO session: %s\n",
				strerror(-err));
			goto out;
		}
	}
	qsort(rtt, (size_t)rounds, sizeof(*rtt), cmp_u64);
	if (!quiet) {
		printf("echo_client: %ld round trips of %ld bytes over %s ok, median %.1f us\n",
		       rounds, size, echo_addr_text(&a), (double)rtt[rounds / 2] / 1000.0);
	}
	rc = 0;
out:
	if (c.rfd >= 0 && c.rfd != c.wfd) {
		close(c.rfd);
	}
	if (c.wfd >= 0) {
		close(c.wfd);
	}
	free(rtt);
	free(back);
	free(out);
	return rc;
}
