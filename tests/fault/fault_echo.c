/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Poll-based stream echo server for the fault and load tests, built natively and as a TA
 * (tzm_add_posix_program): one listener, up to MAX_CLIENTS connections served by one
 * poll() loop, every byte received written back to its sender.
 *
 *   fault_echo tcp HOST:PORT | unix PATH | unix @NAME
 *
 * Prints "ready tcp 127.0.0.1:<port>" (the real port when 0 was asked for) or
 * "ready unix <addr>" once listening. A connection ends on EOF or an error (the peer
 * vanished: EPIPE/ECONNRESET); the server keeps serving the others. It ends with status 0
 * when a blocking call is interrupted (as a TA: tzm-run got SIGTERM, the TA's calls
 * return EINTR) and with 1 on a set-up error. The examples/echo server serves 32 clients;
 * the load test needs 64 at once, so this one takes MAX_CLIENTS.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#define MAX_CLIENTS 200
#define BUF_SIZE 65536

static unsigned char g_buf[BUF_SIZE];
static struct pollfd g_poll[MAX_CLIENTS + 1];

static int fail(const char *what)
{
	fprintf(stderr, "fault_echo: %s: %s\n", what, strerror(errno));
	return 1;
}

/* Parses "HOST:PORT" (IPv4) into sin. */
static int parse_tcp(const char *s, struct sockaddr_in *sin)
{
	char host[64];
	const char *colon = strrchr(s, ':');
	char *end = NULL;
	long port = 0;

	if (!colon || (size_t)(colon - s) >= sizeof(host)) {
		return -1;
	}
	memcpy(host, s, (size_t)(colon - s));
	host[colon - s] = '\0';
	port = strtol(colon + 1, &end, 10);
	if (*end != '\0' || port < 0 || port > 65535) {
		return -1;
	}
	memset(sin, 0, sizeof(*sin));
	sin->sin_family = AF_INET;
	sin->sin_port = htons((uint16_t)port);
	return inet_pton(AF_INET, host, &sin->sin_addr) == 1 ? 0 : -1;
}

/* Writes all of buf, or fails (the peer vanished). */
static int send_all(int fd, const unsigned char *buf, size_t len)
{
	while (len > 0) {
		ssize_t n = send(fd, buf, len, MSG_NOSIGNAL);

		if (n < 0 && errno == EINTR) {
			return -1; /* asked to stop */
		}
		if (n <= 0) {
			return -1;
		}
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

static int listen_on(const char *kind, const char *addr, char *shown, size_t cap)
{
	struct sockaddr_storage ss;
	socklen_t len = 0;
	int one = 1;
	int s = -1;

	memset(&ss, 0, sizeof(ss));
	if (strcmp(kind, "tcp") == 0) {
		if (parse_tcp(addr, (struct sockaddr_in *)&ss) != 0) {
			fprintf(stderr, "fault_echo: bad address %s\n", addr);
			return -1;
		}
		len = sizeof(struct sockaddr_in);
	} else if (strcmp(kind, "unix") == 0) {
		struct sockaddr_un *sun = (struct sockaddr_un *)&ss;
		size_t n = strlen(addr);

		if (n == 0 || n >= sizeof(sun->sun_path)) {
			fprintf(stderr, "fault_echo: bad address %s\n", addr);
			return -1;
		}
		sun->sun_family = AF_UNIX;
		memcpy(sun->sun_path, addr, n);
		if (addr[0] == '@') {
			sun->sun_path[0] = '\0'; /* abstract: no NUL terminator in the length */
			len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + n);
		} else {
			unlink(addr);
			len = (socklen_t)sizeof(*sun);
		}
	} else {
		fprintf(stderr, "fault_echo: unknown kind %s\n", kind);
		return -1;
	}
	s = socket(ss.ss_family, SOCK_STREAM, 0);
	if (s < 0) {
		fail("socket");
		return -1;
	}
	if (ss.ss_family == AF_INET) {
		setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	}
	if (bind(s, (struct sockaddr *)&ss, len) != 0 || listen(s, 128) != 0) {
		fail("bind/listen");
		close(s);
		return -1;
	}
	if (ss.ss_family == AF_INET) {
		struct sockaddr_in got;
		socklen_t glen = sizeof(got);
		char ip[INET_ADDRSTRLEN];

		if (getsockname(s, (struct sockaddr *)&got, &glen) != 0 ||
		    !inet_ntop(AF_INET, &got.sin_addr, ip, sizeof(ip))) {
			fail("getsockname");
			close(s);
			return -1;
		}
		snprintf(shown, cap, "tcp %s:%u", ip, (unsigned)ntohs(got.sin_port));
	} else {
		snprintf(shown, cap, "unix %s", addr);
	}
	return s;
}

static void drop(nfds_t *n, nfds_t i)
{
	close(g_poll[i].fd);
	g_poll[i] = g_poll[*n - 1];
	(*n)--;
}

int main(int argc, char **argv)
{
	char shown[160];
	nfds_t n = 1;
	int s = -1;

	if (argc != 3) {
		fprintf(stderr, "usage: fault_echo tcp HOST:PORT | unix PATH | unix @NAME\n");
		return 64;
	}
	s = listen_on(argv[1], argv[2], shown, sizeof(shown));
	if (s < 0) {
		return 1;
	}
	printf("ready %s\n", shown);
	fflush(stdout);
	g_poll[0].fd = s;
	g_poll[0].events = POLLIN;
	for (;;) {
		if (poll(g_poll, n, -1) < 0) {
			if (errno == EINTR) {
				break; /* asked to stop */
			}
			close(s);
			return fail("poll");
		}
		/* Backwards, so that drop() never skips an entry. */
		for (nfds_t i = n - 1; i >= 1; i--) {
			ssize_t got = 0;

			if (g_poll[i].revents == 0) {
				continue;
			}
			got = recv(g_poll[i].fd, g_buf, sizeof(g_buf), 0);
			if (got < 0 && errno == EINTR) {
				goto out;
			}
			if (got <= 0 || send_all(g_poll[i].fd, g_buf, (size_t)got) != 0) {
				drop(&n, i);
			}
		}
		if ((g_poll[0].revents & POLLIN) && n <= MAX_CLIENTS) {
			int c = accept(s, NULL, NULL);

			if (c >= 0) {
				g_poll[n].fd = c;
				g_poll[n].events = POLLIN;
				g_poll[n].revents = 0;
				n++;
			} else if (errno == EINTR) {
				break;
			}
		}
	}
out:
	while (n > 1) {
		drop(&n, n - 1);
	}
	close(s);
	if (strcmp(argv[1], "unix") == 0 && argv[2][0] != '@') {
		unlink(argv[2]);
	}
	printf("interrupted\n");
	return 0;
}
