/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Benchmark peer: echoes (or sinks, or sources) bytes over a named pipe pair, a UNIX
 * stream socket, TCP or UDP on the loopback interface. The same source is built twice:
 * as a native program (the CA<->CA baseline) and, through tzm_add_posix_program, as a TA
 * whose every POSIX call is forwarded by the mediator (CA<->TA). It therefore uses only
 * plain POSIX calls and no signals, threads or fork, and both builds run identical code.
 *
 *   echo_peer fifo <dir>  [options]   reads <dir>/c2s, writes <dir>/s2c (client makes them)
 *   echo_peer unix <path> [options]   listens on the UNIX stream socket <path>
 *   echo_peer tcp  <port> [options]   listens on 127.0.0.1:<port>
 *   echo_peer udp  <port> [options]   echoes datagrams on 127.0.0.1:<port>
 *
 *   --role echo     (default) write back every byte / datagram received
 *   --role sink     read until end of stream, then write the byte count (uint64, host order)
 *   --role source   read a byte count (uint64, host order), write that many bytes, close
 *   --conns N       serve N connections (UDP: N clients, each ends with an empty datagram),
 *                   then exit 0 (default 1)
 *   --multi         serve the connections concurrently with poll() (echo role only)
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "peer_socket.h"

#define CHUNK 65536 /* one read/write per 64 KiB: the largest message, and the bulk unit */
#define UNIT_MAX (1024 * 1024) /* --unit: largest bulk read/write (sink/source) */
#define MAX_MULTI 64

enum role {
	ROLE_ECHO,
	ROLE_SINK,
	ROLE_SOURCE
};

const char peer_name[] = "echo_peer";

static uint8_t buf[CHUNK];
static uint8_t bulk[UNIT_MAX];
static size_t unit = CHUNK; /* sink/source: bytes per read/write */

/* Echoes one stream until end of stream. 0 on a clean end, -1 on error. */
static int echo_stream(int rfd, int wfd)
{
	for (;;) {
		ssize_t n = read(rfd, buf, sizeof(buf));

		if (n < 0 && errno == EINTR) {
			continue;
		}
		if (n < 0) {
			/* A client that vanished mid-stream ends this connection, not the peer. */
			return errno == ECONNRESET ? 0 : peer_fail("read", errno);
		}
		if (n == 0) {
			return 0;
		}
		if (peer_write_all(wfd, buf, (size_t)n) != 0) {
			return errno == EPIPE || errno == ECONNRESET ? 0 : -1;
		}
	}
}

static int sink_stream(int fd)
{
	uint64_t total = 0;

	for (;;) {
		ssize_t n = read(fd, bulk, unit);

		if (n < 0 && errno == EINTR) {
			continue;
		}
		if (n < 0) {
			return peer_fail("read", errno);
		}
		if (n == 0) {
			break;
		}
		total += (uint64_t)n;
	}
	memcpy(buf, &total, sizeof(total));
	return peer_write_all(fd, buf, sizeof(total));
}

static int source_stream(int fd)
{
	uint64_t total = 0;
	size_t got = 0;

	while (got < sizeof(total)) {
		ssize_t n = read(fd, buf + got, sizeof(total) - got);

		if (n < 0 && errno == EINTR) {
			continue;
		}
		if (n <= 0) {
			return n == 0 ? 0 : peer_fail("read", errno);
		}
		got += (size_t)n;
	}
	memcpy(&total, buf, sizeof(total));
	memset(bulk, 0x5a, unit);
	while (total > 0) {
		size_t len = total < unit ? (size_t)total : unit;

		if (peer_write_all(fd, bulk, len) != 0) {
			return -1;
		}
		total -= len;
	}
	return 0;
}

static int serve_one(int fd, enum role role)
{
	switch (role) {
	case ROLE_ECHO:
		return echo_stream(fd, fd);
	case ROLE_SINK:
		return sink_stream(fd);
	case ROLE_SOURCE:
		return source_stream(fd);
	}
	return -1;
}

static int run_fifo(const char *dir)
{
	char c2s[512];
	char s2c[512];
	int rfd = -1, wfd = -1, rc = -1;

	if (snprintf(c2s, sizeof(c2s), "%s/c2s", dir) >= (int)sizeof(c2s) ||
	    snprintf(s2c, sizeof(s2c), "%s/s2c", dir) >= (int)sizeof(s2c)) {
		fprintf(stderr, "echo_peer: FIFO directory name too long\n");
		return -1;
	}
	/* Same order as the client (c2s first), so the two blocking opens pair up. */
	rfd = open(c2s, O_RDONLY);
	if (rfd < 0) {
		peer_fail("open c2s", errno);
		goto out;
	}
	wfd = open(s2c, O_WRONLY);
	if (wfd < 0) {
		peer_fail("open s2c", errno);
		goto out;
	}
	rc = echo_stream(rfd, wfd);
out:
	if (wfd >= 0) {
		close(wfd);
	}
	if (rfd >= 0) {
		close(rfd);
	}
	return rc;
}

/* Echoes up to MAX_MULTI connections at once; returns after conns were served. */
static int serve_multi(int lfd, int domain, int conns)
{
	struct pollfd pfd[MAX_MULTI + 1];
	int nclients = 0, accepted = 0;

	pfd[0].fd = lfd;
	pfd[0].events = POLLIN;
	while (accepted < conns || nclients > 0) {
		int nfds = 1 + nclients;

		pfd[0].fd = (accepted < conns && nclients < MAX_MULTI) ? lfd : -1;
		if (poll(pfd, (nfds_t)nfds, -1) < 0) {
			if (errno == EINTR) {
				continue;
			}
			return peer_fail("poll", errno);
		}
		for (int i = nfds - 1; i >= 1; i--) {
			ssize_t n = 0;

			if (pfd[i].revents == 0) {
				continue;
			}
			n = read(pfd[i].fd, buf, sizeof(buf));
			if (n > 0 && peer_write_all(pfd[i].fd, buf, (size_t)n) == 0) {
				continue;
			}
			if (n < 0 && (errno == EINTR || errno == EAGAIN)) {
				continue;
			}
			close(pfd[i].fd);
			pfd[i] = pfd[nclients]; /* the last client moves into the hole */
			nclients--;
		}
		if (pfd[0].fd >= 0 && (pfd[0].revents & POLLIN)) {
			int fd = peer_accept(lfd, domain);

			if (fd < 0) {
				return -1;
			}
			accepted++;
			nclients++;
			pfd[nclients].fd = fd;
			pfd[nclients].events = POLLIN;
			pfd[nclients].revents = 0;
		}
	}
	return 0;
}

static int run_stream(int domain, const char *addr, enum role role, int conns, int multi)
{
	int lfd = peer_listen(domain, addr, 64);
	int rc = 0;

	if (lfd < 0) {
		return -1;
	}
	if (multi) {
		rc = serve_multi(lfd, domain, conns);
	} else {
		for (int i = 0; i < conns && rc == 0; i++) {
			int fd = peer_accept(lfd, domain);

			if (fd < 0) {
				rc = -1;
				break;
			}
			rc = serve_one(fd, role);
			close(fd);
		}
	}
	/* The socket path is left for the client to remove: the peer's policy grants the
	 * UNIX socket, not file operations in the directory. */
	close(lfd);
	return rc;
}

static int run_udp(const char *port, int clients)
{
	struct sockaddr_in in;
	int fd = socket(AF_INET, SOCK_DGRAM, 0);
	int sz = 1 << 20;
	int done = 0;

	if (fd < 0) {
		return peer_fail("socket", errno);
	}
	/* Room for a 64 KiB datagram in each direction, as the client sets too. */
	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &sz, sizeof(sz));
	setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &sz, sizeof(sz));
	memset(&in, 0, sizeof(in));
	in.sin_family = AF_INET;
	in.sin_port = htons((uint16_t)atoi(port));
	in.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(fd, (struct sockaddr *)&in, sizeof(in)) != 0) {
		peer_fail("bind", errno);
		close(fd);
		return -1;
	}
	while (done < clients) {
		struct sockaddr_in from;
		socklen_t flen = sizeof(from);
		ssize_t n = recvfrom(fd, buf, sizeof(buf), 0, (struct sockaddr *)&from, &flen);

		if (n < 0) {
			if (errno == EINTR || errno == ECONNREFUSED) {
				continue;
			}
			peer_fail("recvfrom", errno);
			close(fd);
			return -1;
		}
		if (n == 0) {
			done++;
			continue;
		}
		if (sendto(fd, buf, (size_t)n, 0, (struct sockaddr *)&from, flen) != n) {
			peer_fail("sendto", errno);
		}
	}
	close(fd);
	return 0;
}

static int usage(void)
{
	fprintf(stderr, "usage: echo_peer fifo|unix|tcp|udp <dir|path|port> "
			"[--role echo|sink|source] [--conns N] [--multi] [--unit BYTES]\n");
	return 2;
}

int main(int argc, char **argv)
{
	enum role role = ROLE_ECHO;
	int conns = 1, multi = 0, rc = 0;
	const char *kind = NULL, *addr = NULL;

	if (argc < 3) {
		return usage();
	}
	kind = argv[1];
	addr = argv[2];
	for (int i = 3; i < argc; i++) {
		if (strcmp(argv[i], "--multi") == 0) {
			multi = 1;
		} else if (strcmp(argv[i], "--unit") == 0 && i + 1 < argc) {
			long u = atol(argv[++i]);

			if (u < 8 || u > UNIT_MAX) {
				return usage();
			}
			unit = (size_t)u;
		} else if (strcmp(argv[i], "--conns") == 0 && i + 1 < argc) {
			conns = atoi(argv[++i]);
		} else if (strcmp(argv[i], "--role") == 0 && i + 1 < argc) {
			const char *r = argv[++i];

			if (strcmp(r, "echo") == 0) {
				role = ROLE_ECHO;
			} else if (strcmp(r, "sink") == 0) {
				role = ROLE_SINK;
			} else if (strcmp(r, "source") == 0) {
				role = ROLE_SOURCE;
			} else {
				return usage();
			}
		} else {
			return usage();
		}
	}
	if (conns < 1 || conns > 100000 || (multi && role != ROLE_ECHO)) {
		return usage();
	}
	if (strcmp(kind, "fifo") == 0 && role == ROLE_ECHO && conns == 1) {
		rc = run_fifo(addr);
	} else if (strcmp(kind, "unix") == 0) {
		rc = run_stream(AF_UNIX, addr, role, conns, multi);
	} else if (strcmp(kind, "tcp") == 0) {
		rc = run_stream(AF_INET, addr, role, conns, multi);
	} else if (strcmp(kind, "udp") == 0 && role == ROLE_ECHO) {
		rc = run_udp(addr, conns);
	} else {
		return usage();
	}
	return rc == 0 ? 0 : 1;
}
