/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Echo server for the four IPC kinds of the TZmediator paper (FIFO, UNIX socket, TCP,
 * UDP). One source, built both as a normal program and as a TA (tzm_add_posix_program):
 * as a TA every call below is forwarded to the shadow, so clients see an ordinary server.
 *
 *   echo_server KIND ADDR [--count N]
 *
 * KIND/ADDR as in echo_addr.h. Once listening it prints "echo_server: ready <endpoint>"
 * (with the real port when 0 was asked for). Stream kinds serve up to MAX_CLIENTS clients
 * at once through poll(); --count N exits after N clients (UDP: N datagrams); without it
 * the server runs until killed. Exit status 0, or 1 on an error.
 */
#include "echo_addr.h"

#include <tzm_util.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#define MAX_CLIENTS 32
#define BUF_SIZE 65536

static unsigned char g_buf[BUF_SIZE];

static void ready(const struct echo_addr *a)
{
	printf("echo_server: ready %s\n", echo_addr_text(a));
	fflush(stdout);
}

static int fail(const char *what)
{
	int err = errno;

	fprintf(stderr, "echo_server: %s: %s\n", what, strerror(err));
	return 1;
}

/* Echoes one FIFO client: requests on req, answers on rsp, until the client closes. */
static int serve_fifo(const struct echo_addr *a, long count)
{
	long served = 0;
	int rc = 0;

	if ((mkfifo(a->req, 0600) != 0 && errno != EEXIST) ||
	    (mkfifo(a->rsp, 0600) != 0 && errno != EEXIST)) {
		return fail("mkfifo");
	}
	ready(a);
	while (count == 0 || served < count) {
		/* Same open order as the client (req, then rsp), so neither side deadlocks. */
		int rfd = open(a->req, O_RDONLY);
		int wfd = rfd < 0 ? -1 : open(a->rsp, O_WRONLY);
		ssize_t n = 0;

		if (rfd < 0 || wfd < 0) {
			rc = fail("open fifo");
			if (rfd >= 0) {
				close(rfd);
			}
			break;
		}
		while ((n = read(rfd, g_buf, sizeof(g_buf))) > 0) {
			if (tzm_util_write_all(wfd, g_buf, (size_t)n, false) != 0) {
				break;
			}
		}
		/* Request pipe first: a client waits for EOF on the response pipe before it
		 * exits (echo_client.c, fifo_finish), and the next client must then find no
		 * reader of this session left on the request pipe, or it would join this one. */
		close(rfd);
		close(wfd);
		served++;
	}
	unlink(a->req);
	unlink(a->rsp);
	return rc;
}

static void drop(struct pollfd *p, nfds_t *n, nfds_t i)
{
	close(p[i].fd);
	p[i] = p[*n - 1];
	(*n)--;
}

static int serve_stream(struct echo_addr *a, long count)
{
	struct pollfd p[MAX_CLIENTS + 1];
	nfds_t n = 1;
	long served = 0;
	int one = 1;
	int s = socket(a->ss.ss_family, SOCK_STREAM, 0);
	struct stat st;

	if (s < 0) {
		return fail("socket");
	}
	if (a->kind == ECHO_TCP) {
		setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	} else {
		const char *path = ((struct sockaddr_un *)&a->ss)->sun_path;

		/* A stale socket file from an earlier run would make bind fail with EADDRINUSE. */
		if (path[0] != '\0' && lstat(path, &st) == 0 && S_ISSOCK(st.st_mode)) {
			unlink(path);
		}
	}
	if (bind(s, (struct sockaddr *)&a->ss, a->len) != 0 || listen(s, 64) != 0) {
		close(s);
		return fail("bind/listen");
	}
	if (a->kind == ECHO_TCP) {
		a->len = sizeof(a->ss);
		getsockname(s, (struct sockaddr *)&a->ss, &a->len);
	}
	ready(a);
	p[0].fd = s;
	p[0].events = POLLIN;
	while (count == 0 || served < count) {
		if (poll(p, n, -1) < 0) {
			if (errno == EINTR) {
				continue;
			}
			close(s);
			return fail("poll");
		}
		/* Clients first, backwards, so drop() never skips an entry. */
		for (nfds_t i = n - 1; i >= 1; i--) {
			ssize_t got = 0;

			if (p[i].revents == 0) {
				continue;
			}
			got = recv(p[i].fd, g_buf, sizeof(g_buf), 0);
			if (got <= 0 ||
			    tzm_util_write_all(p[i].fd, g_buf, (size_t)got, true) != 0) {
				drop(p, &n, i);
				served++;
			}
		}
		if ((p[0].revents & POLLIN) && n <= MAX_CLIENTS) {
			int c = accept(s, NULL, NULL);

			if (c >= 0) {
				p[n].fd = c;
				p[n].events = POLLIN;
				p[n].revents = 0;
				n++;
			}
		}
	}
	while (n > 1) {
		drop(p, &n, n - 1);
	}
	close(s);
	if (a->kind == ECHO_UNIX && ((struct sockaddr_un *)&a->ss)->sun_path[0] != '\0') {
		unlink(((struct sockaddr_un *)&a->ss)->sun_path);
	}
	return 0;
}

static int serve_udp(struct echo_addr *a, long count)
{
	struct sockaddr_storage from;
	socklen_t flen = 0;
	long served = 0;
	int s = socket(a->ss.ss_family, SOCK_DGRAM, 0);

	if (s < 0) {
		return fail("socket");
	}
	if (bind(s, (struct sockaddr *)&a->ss, a->len) != 0) {
		close(s);
		return fail("bind");
	}
	a->len = sizeof(a->ss);
	getsockname(s, (struct sockaddr *)&a->ss, &a->len);
	ready(a);
	while (count == 0 || served < count) {
		ssize_t got = 0;

		flen = sizeof(from);
		got = recvfrom(s, g_buf, sizeof(g_buf), 0, (struct sockaddr *)&from, &flen);
		if (got < 0) {
			if (errno == EINTR) {
				continue;
			}
			close(s);
			return fail("recvfrom");
		}
		/* A lost reply is the client's to retry, as with any UDP service. */
		sendto(s, g_buf, (size_t)got, 0, (struct sockaddr *)&from, flen);
		served++;
	}
	close(s);
	return 0;
}

static void usage(void)
{
	fprintf(stderr, "usage: echo_server fifo|unix|tcp|udp ADDR [--count N]\n"
			"  fifo PATH (PATH.req, PATH.rsp)   unix PATH|@NAME\n"
			"  tcp|udp HOST:PORT, [V6]:PORT      port 0 picks a free port\n");
}

int main(int argc, char **argv)
{
	struct echo_addr a;
	long count = 0;
	char *end = NULL;

	if (argc == 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
		usage();
		return 0;
	}
	if (argc == 5 && strcmp(argv[3], "--count") == 0) {
		count = strtol(argv[4], &end, 10);
		if (*end != '\0' || count <= 0) {
			usage();
			return 2;
		}
	} else if (argc != 3) {
		usage();
		return 2;
	}
	if (echo_parse(argv[1], argv[2], &a) != 0) {
		usage();
		return 2;
	}
	switch (a.kind) {
	case ECHO_FIFO:
		return serve_fifo(&a, count);
	case ECHO_UNIX:
	case ECHO_TCP:
		return serve_stream(&a, count);
	case ECHO_UDP:
		return serve_udp(&a, count);
	}
	return 2;
}
