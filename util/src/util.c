/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The portable part of tzm_util.h: exact-length I/O and endpoint parsing, plain libc only
 * (also compiled into TAs through libtzm and into wasm32-wasi modules).
 */
#include "tzm_util.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/un.h>
#include <unistd.h>

enum io_call {
	IO_READ,
	IO_WRITE,
	IO_SEND
};

/* One loop for both directions: p is only read from unless call is IO_READ. */
static int io_all(int fd, uint8_t *p, size_t len, enum io_call call)
{
	while (len > 0) {
		ssize_t n = call == IO_READ    ? read(fd, p, len)
			    : call == IO_WRITE ? write(fd, p, len)
					       : send(fd, p, len, MSG_NOSIGNAL);

		if (n < 0) {
			if (errno == EINTR) {
				continue;
			}
			return -errno;
		}
		if (n == 0) {
			return -EPIPE; /* early end of stream, or a descriptor taking no byte */
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

int tzm_util_write_all(int fd, const void *buf, size_t len, bool is_socket)
{
	/* io_all does not write through p for IO_WRITE / IO_SEND */
	return io_all(fd, (uint8_t *)(uintptr_t)buf, len, is_socket ? IO_SEND : IO_WRITE);
}

int tzm_util_read_all(int fd, void *buf, size_t len)
{
	return io_all(fd, buf, len, IO_READ);
}

int tzm_util_parse_unix(const char *addr, struct sockaddr_storage *ss, socklen_t *len)
{
	struct sockaddr_un *un = (struct sockaddr_un *)ss;
	size_t n = strlen(addr);

	memset(ss, 0, sizeof(*ss));
	un->sun_family = AF_UNIX;
	if (n == 0 || n >= sizeof(un->sun_path)) {
		return -ENAMETOOLONG;
	}
	memcpy(un->sun_path, addr, n);
	if (addr[0] == '@') {
		/* Abstract name: no terminating NUL, the length says where it ends. */
		un->sun_path[0] = '\0';
		*len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + n);
	} else {
		*len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + n + 1);
	}
	return 0;
}

static int parse_port(const char *text, uint16_t *port)
{
	char *end = NULL;
	unsigned long v = 0;

	errno = 0;
	v = strtoul(text, &end, 10);
	if (errno != 0 || end == text || *end != '\0' || text[0] == '-' || text[0] == '+' ||
	    v > 65535) {
		return -EINVAL;
	}
	*port = (uint16_t)v;
	return 0;
}

int tzm_util_parse_inet(const char *addr, struct sockaddr_storage *ss, socklen_t *len)
{
	char host[INET6_ADDRSTRLEN + 2] = "";
	const char *colon = strrchr(addr, ':');
	struct sockaddr_in *in = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)ss;
	size_t hlen = 0;
	uint16_t port = 0;

	memset(ss, 0, sizeof(*ss));
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
	if (inet_pton(AF_INET, host, &in->sin_addr) == 1) {
		in->sin_family = AF_INET;
		in->sin_port = htons(port);
		*len = sizeof(*in);
		return 0;
	}
	if (inet_pton(AF_INET6, host, &in6->sin6_addr) == 1) {
		in6->sin6_family = AF_INET6;
		in6->sin6_port = htons(port);
		*len = sizeof(*in6);
		return 0;
	}
	return -EINVAL;
}
