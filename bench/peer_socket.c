/* SPDX-License-Identifier: BSD-2-Clause */
/* The benchmark peers' listener, accept and write helpers (see peer_socket.h). */
#include "peer_socket.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

int peer_fail(const char *what, int err)
{
	fprintf(stderr, "%s: %s: %s\n", peer_name, what, strerror(err));
	errno = err;
	return -1;
}

int peer_write_all(int fd, const uint8_t *p, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR) {
			continue;
		}
		if (n < 0) {
			return peer_fail("write", errno);
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

int peer_listen(int domain, const char *addr, int backlog)
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
			fprintf(stderr, "%s: socket path too long\n", peer_name);
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
		return peer_fail("socket", errno);
	}
	if (domain == AF_INET && setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) != 0) {
		peer_fail("setsockopt SO_REUSEADDR", errno);
	}
	if (bind(fd, sa, len) != 0 || listen(fd, backlog) != 0) {
		peer_fail("bind/listen", errno);
		close(fd);
		return -1;
	}
	return fd;
}

int peer_accept(int lfd, int domain)
{
	int one = 1;
	int fd = -1;

	do {
		fd = accept(lfd, NULL, NULL);
	} while (fd < 0 && errno == EINTR);
	if (fd < 0) {
		return peer_fail("accept", errno);
	}
	if (domain == AF_INET && setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one)) != 0) {
		peer_fail("setsockopt TCP_NODELAY", errno);
	}
	return fd;
}
