/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Real-client helper: a TA *client* talking to a normal-world server (socat, nc, ...)
 * through the mediator. Built natively and as a TA from this one source.
 *
 *   rc_client unix PATH|@NAME TEXT REPEAT
 *   rc_client tcp  HOST:PORT  TEXT REPEAT     (IPv4 a.b.c.d:p or [v6]:p)
 *   rc_client udp  HOST:PORT  TEXT REPEAT     (one datagram, REPEAT * |TEXT| <= 65507)
 *
 * Sends TEXT repeated REPEAT times to an echoing server; for stream sockets it then
 * half-closes (SHUT_WR) and reads until EOF. Exit 0 iff exactly the same bytes came back;
 * the reply length and a digest are printed so the test log shows what happened.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <tzm_util.h>

#define MAX_UDP 65507
#define REPLY_TIMEOUT_MS 10000

static uint64_t fnv64(const unsigned char *p, size_t n)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	for (size_t i = 0; i < n; i++) {
		h = (h ^ p[i]) * 0x100000001b3ULL;
	}
	return h;
}

/* Stream: send everything while collecting the echo, then half-close and read to EOF. */
static long stream_exchange(int fd, const unsigned char *out, size_t len, unsigned char *back,
			    size_t cap)
{
	size_t sent = 0, got = 0;
	int closed_wr = 0;

	for (;;) {
		struct pollfd p = { fd, POLLIN, 0 };
		ssize_t n = 0;

		if (sent < len) {
			p.events |= POLLOUT;
		} else if (!closed_wr) {
			if (shutdown(fd, SHUT_WR) != 0) {
				return -errno;
			}
			closed_wr = 1;
		}
		if (poll(&p, 1, REPLY_TIMEOUT_MS) != 1) {
			return -ETIMEDOUT;
		}
		if ((p.revents & POLLOUT) && sent < len) {
			size_t chunk = len - sent < 16384 ? len - sent : 16384;

			n = send(fd, out + sent, chunk, MSG_NOSIGNAL | MSG_DONTWAIT);
			if (n < 0 && errno != EAGAIN) {
				return -errno;
			}
			sent += n > 0 ? (size_t)n : 0;
		}
		if (p.revents & (POLLIN | POLLHUP | POLLERR)) {
			n = recv(fd, back + got, cap - got, MSG_DONTWAIT);
			if (n == 0) {
				return (long)got;
			}
			if (n < 0 && errno != EAGAIN) {
				return -errno;
			}
			got += n > 0 ? (size_t)n : 0;
			if (got == cap) {
				return (long)got; /* more than we sent: the comparison will fail */
			}
		}
	}
}

static long dgram_exchange(int fd, const unsigned char *out, size_t len, unsigned char *back,
			   size_t cap)
{
	struct pollfd p = { fd, POLLIN, 0 };
	ssize_t n = send(fd, out, len, 0);

	if (n != (ssize_t)len) {
		return n < 0 ? -errno : -EMSGSIZE;
	}
	if (poll(&p, 1, REPLY_TIMEOUT_MS) != 1) {
		return -ETIMEDOUT;
	}
	n = recv(fd, back, cap, 0);
	return n < 0 ? -errno : (long)n;
}

int main(int argc, char **argv)
{
	struct sockaddr_storage ss;
	socklen_t len = 0;
	unsigned char *out = NULL, *back = NULL;
	size_t tlen = 0, total = 0;
	long repeat = 0, got = 0;
	int dgram = 0, fd = -1, rc = 1, err = 0;

	if (argc != 5 || (repeat = strtol(argv[4], NULL, 10)) <= 0 || repeat > 1000000) {
		fprintf(stderr, "usage: rc_client unix|tcp|udp ADDR TEXT REPEAT\n");
		return 2;
	}
	dgram = strcmp(argv[1], "udp") == 0;
	if (strcmp(argv[1], "unix") == 0) {
		err = tzm_util_parse_unix(argv[2], &ss, &len);
	} else if (strcmp(argv[1], "tcp") == 0 || dgram) {
		err = tzm_util_parse_inet(argv[2], &ss, &len);
		if (err == 0 && ((struct sockaddr_in *)&ss)->sin_port == 0) {
			/* a client needs the server's port (sin6_port is where sin_port is) */
			err = -EINVAL;
		}
	} else {
		err = -EINVAL;
	}
	tlen = strlen(argv[3]);
	total = tlen * (size_t)repeat;
	if (err != 0 || tlen == 0 || (dgram && total > MAX_UDP)) {
		fprintf(stderr, "rc_client: bad arguments\n");
		return 2;
	}
	out = malloc(total);
	back = malloc(total + 1);
	if (out == NULL || back == NULL) {
		fprintf(stderr, "rc_client: out of memory\n");
		goto out;
	}
	for (long i = 0; i < repeat; i++) {
		memcpy(out + (size_t)i * tlen, argv[3], tlen);
	}
	fd = socket(ss.ss_family, dgram ? SOCK_DGRAM : SOCK_STREAM, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&ss, len) != 0) {
		fprintf(stderr, "rc_client: connect %s %s: %s\n", argv[1], argv[2],
			strerror(errno));
		goto out;
	}
	got = dgram ? dgram_exchange(fd, out, total, back, total + 1)
		    : stream_exchange(fd, out, total, back, total + 1);
	if (got < 0) {
		fprintf(stderr, "rc_client: exchange failed: %s\n", strerror((int)-got));
		goto out;
	}
	printf("rc_client: sent %zu bytes (fnv %016llx), got %ld bytes (fnv %016llx) from %s %s\n",
	       total, (unsigned long long)fnv64(out, total), got,
	       (unsigned long long)fnv64(back, (size_t)got), argv[1], argv[2]);
	if ((size_t)got != total || memcmp(out, back, total) != 0) {
		fprintf(stderr, "rc_client: the reply differs from what was sent\n");
		goto out;
	}
	rc = 0;
out:
	if (fd >= 0) {
		close(fd);
	}
	free(back);
	free(out);
	return rc;
}
