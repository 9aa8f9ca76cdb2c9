/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Endpoint parsing and small I/O helpers shared by echo_server (native and TA) and
 * echo_client (native). Plain libc only, so the same file links into a TA.
 */
#include "echo_addr.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/un.h>
#include <unistd.h>

static int parse_port(const char *text, unsigned *port)
{
	char *end = NULL;
	unsigned long v = 0;

	errno = 0;
	v = strtoul(text, &end, 10);
	if (errno != 0 || end == text || *end != '\0' || v > 65535) {
		return -EINVAL;
	}
	*port = (unsigned)v;
	return 0;
}

static int parse_inet(const char *addr, struct echo_addr *out)
{
	char host[INET6_ADDRSTRLEN + 2] = "";
	const char *colon = strrchr(addr, ':');
	size_t hlen = 0;
	unsigned port = 0;

	if (colon == NULL || parse_port(colon + 1, &port) != 0) {
		return -EINVAL;
	}
	hlen = (size_t)(colon - addr);
	if (hlen >= 2 && addr[0] == '[' && addr[hlen - 1] == ']') {
		addr++;
		hlen -= 2;
	}
	if (hlen == 0 || hlen >= sizeof(host)) {
		return -EINVAL;
	}
	memcpy(host, addr, hlen);
	host[hlen] = '\0';
	memset(&out->ss, 0, sizeof(out->ss));
	struct sockaddr_in *in = (struct sockaddr_in *)&out->ss;
	struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)&out->ss;

	if (inet_pton(AF_INET, host, &in->sin_addr) == 1) {
		in->sin_family = AF_INET;
		in->sin_port = htons((uint16_t)port);
		out->len = sizeof(*in);
		return 0;
	}
	if (inet_pton(AF_INET6, host, &in6->sin6_addr) == 1) {
		in6->sin6_family = AF_INET6;
		in6->sin6_port = htons((uint16_t)port);
		out->len = sizeof(*in6);
		return 0;
	}
	return -EINVAL;
}

static int parse_unix(const char *addr, struct echo_addr *out)
{
	struct sockaddr_un *un = (struct sockaddr_un *)&out->ss;
	size_t n = strlen(addr);

	memset(&out->ss, 0, sizeof(out->ss));
	un->sun_family = AF_UNIX;
	if (n == 0 || n >= sizeof(un->sun_path)) {
		return -ENAMETOOLONG;
	}
	memcpy(un->sun_path, addr, n);
	if (addr[0] == '@') {
		/* Abstract name: no terminating NUL, the length says where it ends. */
		un->sun_path[0] = '\0';
		out->len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + n);
	} else {
		out->len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + n + 1);
	}
	return 0;
}

int echo_parse(const char *kind, const char *addr, struct echo_addr *out)
{
	int rc = -EINVAL;

	memset(out, 0, sizeof(*out));
	if (strcmp(kind, "fifo") == 0) {
		out->kind = ECHO_FIFO;
		int a = snprintf(out->req, sizeof(out->req), "%s.req", addr);
		int b = snprintf(out->rsp, sizeof(out->rsp), "%s.rsp", addr);

		rc = (a < 0 || b < 0 || (size_t)a >= sizeof(out->req) ||
		      (size_t)b >= sizeof(out->rsp))
			     ? -ENAMETOOLONG
			     : 0;
	} else if (strcmp(kind, "unix") == 0) {
		out->kind = ECHO_UNIX;
		rc = parse_unix(addr, out);
	} else if (strcmp(kind, "tcp") == 0 || strcmp(kind, "udp") == 0) {
		out->kind = kind[0] == 't' ? ECHO_TCP : ECHO_UDP;
		rc = parse_inet(addr, out);
	} else {
		fprintf(stderr, "unknown IPC kind '%s' (fifo, unix, tcp or udp)\n", kind);
		return -EINVAL;
	}
	if (rc != 0) {
		fprintf(stderr, "bad %s address '%s'\n", kind, addr);
	}
	return rc;
}

const char *echo_addr_text(const struct echo_addr *a)
{
	static char text[2 * PATH_MAX + 16];
	char host[INET6_ADDRSTRLEN] = "";
	const struct sockaddr_in *in = (const struct sockaddr_in *)&a->ss;
	const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)&a->ss;
	const struct sockaddr_un *un = (const struct sockaddr_un *)&a->ss;

	switch (a->kind) {
	case ECHO_FIFO:
		/* The base path, as given on the command line (req = base + ".req"). */
		snprintf(text, sizeof(text), "fifo %.*s", (int)(strlen(a->req) - 4), a->req);
		break;
	case ECHO_UNIX:
		if (un->sun_path[0] == '\0') {
			snprintf(text, sizeof(text), "unix @%.*s",
				 (int)(a->len - offsetof(struct sockaddr_un, sun_path) - 1),
				 un->sun_path + 1);
		} else {
			snprintf(text, sizeof(text), "unix %s", un->sun_path);
		}
		break;
	case ECHO_TCP:
	case ECHO_UDP:
		if (a->ss.ss_family == AF_INET6) {
			inet_ntop(AF_INET6, &in6->sin6_addr, host, sizeof(host));
			snprintf(text, sizeof(text), "%s [%s]:%u",
				 a->kind == ECHO_TCP ? "tcp" : "udp", host, ntohs(in6->sin6_port));
		} else {
			inet_ntop(AF_INET, &in->sin_addr, host, sizeof(host));
			snprintf(text, sizeof(text), "%s %s:%u",
				 a->kind == ECHO_TCP ? "tcp" : "udp", host, ntohs(in->sin_port));
		}
		break;
	}
	return text;
}

int echo_write_all(int fd, const void *buf, size_t len, int is_socket)
{
	const unsigned char *p = buf;

	while (len > 0) {
		/* MSG_NOSIGNAL: a vanished peer is an EPIPE for this connection, not a crash. */
		ssize_t n = is_socket ? send(fd, p, len, MSG_NOSIGNAL) : write(fd, p, len);

		if (n < 0) {
			if (errno == EINTR) {
				continue;
			}
			return -errno;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}
