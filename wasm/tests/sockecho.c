// SPDX-License-Identifier: BSD-2-Clause
/*
 * wasm_sockets: a Wasm TA echo server with the BSD socket API of tzm_wasm.h.
 *   sockecho tcp PORT   accept one client on 127.0.0.1:PORT, echo until EOF
 *   sockecho udp PORT   echo one datagram to its sender
 *   sockecho unix PATH  accept one client on the UNIX socket PATH, echo until EOF
 *   sockecho fifo DIR OTHER  mkfifo DIR/ok (a fifo rule's directory), OTHER/denied (none)
 *   sockecho resolve    getaddrinfo of numeric IPv4/IPv6 addresses and services
 *   sockecho badinput DIR  the "tzm" imports given ranges outside the memory, overlong
 *                       or malformed names, bad flags: each answers its errno / EAI code
 * Prints "listening on port N" (from getsockname) once it is ready.
 */
#include <arpa/inet.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <tzm_wasm.h>

static int fail(const char *what)
{
	printf("FAILED: %s (errno %d)\n", what, errno);
	return 1;
}

static int fifo_test(const char *dir, const char *other)
{
	char ok[512], denied[512];
	struct stat st;
	snprintf(ok, sizeof(ok), "%s/ok", dir);
	snprintf(denied, sizeof(denied), "%s/denied", other);
	/* WASI has no FIFO file type (test_sockets.sh checks what was made): it exists */
	if (mkfifo(ok, 0600) != 0 || lstat(ok, &st) != 0) {
		return fail("mkfifo under a fifo rule");
	}
	if (mkfifo(ok, 0600) == 0 || errno != EEXIST) {
		return fail("mkfifo of an existing FIFO: not EEXIST");
	}
	if (mkfifo(denied, 0600) == 0 || errno != EACCES) {
		return fail("mkfifo without a fifo rule: not EACCES");
	}
	if (mkfifo("/no-preopen-here/f", 0600) == 0) {
		return fail("mkfifo outside every preopen succeeded");
	}
	printf("fifo ok\n");
	return 0;
}

static int resolve_test(void)
{
	struct addrinfo hints, *res = NULL;
	memset(&hints, 0, sizeof(hints));
	hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV;
	hints.ai_socktype = SOCK_STREAM;
	if (getaddrinfo("127.0.0.1", "7001", &hints, &res) != 0 || res == NULL ||
	    res->ai_family != AF_INET || res->ai_socktype != SOCK_STREAM ||
	    res->ai_addrlen != sizeof(struct sockaddr_in)) {
		return fail("getaddrinfo 127.0.0.1");
	}
	const struct sockaddr_in *in = (const struct sockaddr_in *)(void *)res->ai_addr;
	if (in->sin_family != AF_INET || ntohs(in->sin_port) != 7001 ||
	    ntohl(in->sin_addr.s_addr) != INADDR_LOOPBACK) {
		return fail("getaddrinfo 127.0.0.1: address");
	}
	freeaddrinfo(res);
	res = NULL;
	hints.ai_socktype = SOCK_DGRAM;
	if (getaddrinfo("::1", "53", &hints, &res) != 0 || res->ai_family != AF_INET6 ||
	    res->ai_socktype != SOCK_DGRAM ||
	    ntohs(((const struct sockaddr_in6 *)(void *)res->ai_addr)->sin6_port) != 53 ||
	    ((const struct sockaddr_in6 *)(void *)res->ai_addr)->sin6_addr.s6_addr[15] != 1) {
		return fail("getaddrinfo ::1");
	}
	freeaddrinfo(res);
	res = NULL;
	/* a passive, any-address answer for a server, and a name that is no number */
	hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
	hints.ai_family = AF_INET;
	hints.ai_socktype = SOCK_STREAM;
	if (getaddrinfo(NULL, "8080", &hints, &res) != 0 ||
	    ((const struct sockaddr_in *)(void *)res->ai_addr)->sin_addr.s_addr != 0) {
		return fail("getaddrinfo passive");
	}
	freeaddrinfo(res);
	hints.ai_flags = AI_NUMERICHOST;
	int e = getaddrinfo("not-an-address", NULL, &hints, &res);
	if (e != EAI_NONAME) {
		printf("FAILED: numeric host 'not-an-address': %d (%s)\n", e, gai_strerror(e));
		return 1;
	}
	printf("resolve ok\n");
	return 0;
}

/* one check: got == want, else a line naming it */
static int check(const char *what, long got, long want)
{
	if (got == want) {
		return 0;
	}
	printf("FAILED: %s: %ld, expected %ld\n", what, got, want);
	return 1;
}

static int badinput_test(const char *dir)
{
	static char name[6000];
	uint32_t top = (uint32_t)__builtin_wasm_memory_size(0) * 65536u;
	const char *oob = (const char *)(uintptr_t)(top - 4);
	struct tzm_wasm_ai_hints h = { 0, 0, 0, 0 };
	struct tzm_wasm_ai_result r = { 99, 99, 99 };
	static uint8_t buf[4096];
	struct addrinfo hints, *res = NULL;
	char rel[64];
	int fails = 0;
	int dirfd = -1;
	char *relp = rel;
	const char *prefix = NULL;

	/* the preopen of dir: mkfifoat's directory below */
	dirfd = __wasilibc_find_relpath(dir, &prefix, &relp, sizeof(rel));
	fails += check("preopen of DIR", dirfd >= 0, 1);
	memset(name, 'a', sizeof(name) - 1);

	/* tzm.path_mkfifo */
	fails += check("mkfifo: path past the memory", __tzm_path_mkfifo(dirfd, oob, 8, 0600), 21);
	fails +=
		check("mkfifo: path at 0xfffffff0",
		      __tzm_path_mkfifo(dirfd, (const char *)(uintptr_t)0xfffffff0u, 64, 0600), 21);
	fails += check("mkfifo: length 0xffffffff",
		       __tzm_path_mkfifo(dirfd, name, 0xffffffffu, 0600), 37);
	fails += check("mkfifo: 5000-byte name", __tzm_path_mkfifo(dirfd, name, 5000, 0600), 37);
	fails += check("mkfifo: NUL inside", __tzm_path_mkfifo(dirfd, "a\0b", 3, 0600), 28);
	fails += check("mkfifo: bad fd", __tzm_path_mkfifo(999, "x", 1, 0600), 8);
	fails += check("mkfifo: absolute", __tzm_path_mkfifo(dirfd, "/etc/x", 6, 0600), 76);
	fails += check("mkfifo: climbing", __tzm_path_mkfifo(dirfd, "../x", 4, 0600), 76);
	fails += check("mkfifo: type bits in mode", __tzm_path_mkfifo(dirfd, "m", 1, 0170600), 28);

	/* tzm.addr_resolve */
	fails += check("resolve: node past the memory",
		       __tzm_addr_resolve(oob, 8, NULL, 0, NULL, buf, sizeof(buf), &r), 21);
	fails += check("resolve: service past the memory",
		       __tzm_addr_resolve(NULL, 0, oob, 8, NULL, buf, sizeof(buf), &r), 21);
	fails += check("resolve: 1025-byte node",
		       __tzm_addr_resolve(name, 1025, NULL, 0, NULL, buf, sizeof(buf), &r), 37);
	fails += check("resolve: 256-byte service",
		       __tzm_addr_resolve(NULL, 0, name, 256, NULL, buf, sizeof(buf), &r), 37);
	fails += check("resolve: node length 0xffffffff",
		       __tzm_addr_resolve(name, 0xffffffffu, NULL, 0, NULL, buf, sizeof(buf), &r),
		       37);
	fails += check("resolve: NUL inside the node",
		       __tzm_addr_resolve("1\0.2", 4, NULL, 0, NULL, buf, sizeof(buf), &r), 28);
	fails += check("resolve: hints past the memory",
		       __tzm_addr_resolve("127.0.0.1", 9, NULL, 0,
					  (const void *)(uintptr_t)(top - 8), buf, sizeof(buf), &r),
		       21);
	fails += check("resolve: buffer past the memory",
		       __tzm_addr_resolve("127.0.0.1", 9, NULL, 0, NULL,
					  (void *)(uintptr_t)(top - 16), 52, &r),
		       21);
	fails += check("resolve: buffer length 0xffffffff",
		       __tzm_addr_resolve("127.0.0.1", 9, NULL, 0, NULL, buf, 0xffffffffu, &r), 21);
	fails += check("resolve: result past the memory",
		       __tzm_addr_resolve("127.0.0.1", 9, NULL, 0, NULL, buf, sizeof(buf),
					  (void *)(uintptr_t)0xfffffffcu),
		       21);
	fails +=
		check("resolve: faults leave the result alone", r.eai + r.count + r.canon_len, 297);
	h.flags = 0x8000;
	fails += check("resolve: unknown flag",
		       (long)__tzm_addr_resolve("127.0.0.1", 9, NULL, 0, &h, buf, sizeof(buf), &r) +
			       r.eai,
		       EAI_BADFLAGS);
	h.flags = 0;
	h.family = AF_UNIX;
	fails += check("resolve: AF_UNIX",
		       (long)__tzm_addr_resolve("127.0.0.1", 9, NULL, 0, &h, buf, sizeof(buf), &r) +
			       r.eai,
		       EAI_FAMILY);
	h.family = 0;
	h.socktype = 77;
	fails += check("resolve: socket type 77",
		       (long)__tzm_addr_resolve("127.0.0.1", 9, NULL, 0, &h, buf, sizeof(buf), &r) +
			       r.eai,
		       EAI_SOCKTYPE);
	h.socktype = 0;
	fails += check("resolve: no room for one record",
		       (long)__tzm_addr_resolve("127.0.0.1", 9, "80", 2, &h, buf, 51, &r) + r.eai,
		       EAI_OVERFLOW);
	fails += check("resolve: neither node nor service",
		       (long)__tzm_addr_resolve(NULL, 0, NULL, 0, &h, buf, sizeof(buf), &r) + r.eai,
		       EAI_NONAME);
	/* the same through getaddrinfo(): EAI_SYSTEM with the import's errno */
	memset(&hints, 0, sizeof(hints));
	name[2000] = '\0';
	fails += check("getaddrinfo: 2000-byte name", getaddrinfo(name, NULL, &hints, &res),
		       EAI_SYSTEM);
	fails += check("getaddrinfo: 2000-byte name: errno", errno, ENAMETOOLONG);
	fails += check("getaddrinfo: no node, no service", getaddrinfo(NULL, NULL, &hints, &res),
		       EAI_NONAME);
	printf("badinput: %d failed\n", fails);
	return fails != 0;
}

int main(int argc, char **argv)
{
	if (argc < 2 || (argc < 3 && strcmp(argv[1], "resolve") != 0)) {
		return 2;
	}
	if (strcmp(argv[1], "fifo") == 0) {
		return argc > 3 ? fifo_test(argv[2], argv[3]) : 2;
	}
	if (strcmp(argv[1], "resolve") == 0) {
		return resolve_test();
	}
	if (strcmp(argv[1], "badinput") == 0) {
		return badinput_test(argv[2]);
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
