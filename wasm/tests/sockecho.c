// SPDX-License-Identifier: BSD-2-Clause
/*
 * wasm_sockets: a Wasm TA echo server with the BSD socket API of tzm_wasm.h.
 *   sockecho tcp PORT   accept one client on 127.0.0.1:PORT, echo until EOF
 *   sockecho udp PORT   echo one datagram to its sender
 *   sockecho unix PATH  accept one client on the UNIX socket PATH, echo until EOF
 * Prints "listening on port N" (from getsockname) once it is ready.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <tzm_wasm.h>

static int fail(const char *what)
{
	printf("FAILED: %s (errno %d)\n", what, errno);
	return 1;
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		return 2;
	}
	int udp = strcmp(argv[1], "udp") == 0;
	char buf[4096];
	if (strcmp(argv[1], "unix") == 0) {
		struct tzm_sockaddr_un u;
		memset(&u, 0, sizeof(u));
		u.sun_family = AF_UNIX;
		snprintf(u.sun_path, sizeof(u.sun_path), "%s", argv[2]);
		int us = socket(AF_UNIX, SOCK_STREAM, 0);
		if (us < 0 || bind(us, (struct sockaddr *)&u, sizeof(u)) != 0 ||
		    listen(us, 4) != 0) {
			return fail("unix socket/bind/listen");
		}
		struct tzm_sockaddr_un got;
		socklen_t glen = sizeof(got);
		if (getsockname(us, (struct sockaddr *)&got, &glen) != 0 ||
		    got.sun_family != AF_UNIX) {
			return fail("unix getsockname");
		}
		printf("listening on port %s\n", got.sun_path);
		fflush(stdout);
		int c = accept(us, NULL, NULL);
		ssize_t n = 0, total = 0;
		while (c >= 0 && (n = recv(c, buf, sizeof(buf), 0)) > 0 &&
		       send(c, buf, (size_t)n, 0) == n) {
			total += n;
		}
		printf("echoed %zd bytes\n", total);
		return c < 0 || n < 0 ? fail("unix accept/recv/send") : 0;
	}
	struct sockaddr_in a;
	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_port = htons((uint16_t)atoi(argv[2]));
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	int s = socket(AF_INET, udp ? SOCK_DGRAM : SOCK_STREAM, 0);
	int one = 1;
	if (s < 0) {
		return fail("socket");
	}
	if (setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) != 0) {
		return fail("setsockopt");
	}
	if (bind(s, (struct sockaddr *)&a, sizeof(a)) != 0) {
		return fail("bind");
	}
	if (!udp && listen(s, 4) != 0) {
		return fail("listen");
	}
	struct sockaddr_in got;
	socklen_t glen = sizeof(got);
	if (getsockname(s, (struct sockaddr *)&got, &glen) != 0 || got.sin_family != AF_INET) {
		return fail("getsockname");
	}
	printf("listening on port %u\n", ntohs(got.sin_port));
	fflush(stdout);
	if (udp) {
		struct sockaddr_in from;
		socklen_t flen = sizeof(from);
		ssize_t n = recvfrom(s, buf, sizeof(buf), 0, (struct sockaddr *)&from, &flen);
		if (n < 0 || from.sin_family != AF_INET) {
			return fail("recvfrom");
		}
		if (sendto(s, buf, (size_t)n, 0, (struct sockaddr *)&from, flen) != n) {
			return fail("sendto");
		}
		printf("echoed %zd bytes\n", n);
		return 0;
	}
	int c = accept(s, NULL, NULL);
	if (c < 0) {
		return fail("accept");
	}
	ssize_t n = 0, total = 0;
	while ((n = recv(c, buf, sizeof(buf), 0)) > 0) {
		if (send(c, buf, (size_t)n, 0) != n) {
			return fail("send");
		}
		total += n;
	}
	close(c);
	printf("echoed %zd bytes\n", total);
	return n < 0 ? fail("recv") : 0;
}
