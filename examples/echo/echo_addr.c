/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Endpoint parsing shared by echo_server (native, TA and Wasm TA) and echo_client (native),
 * on util/tzm_util.h's portable part. Plain libc only, so the same file links into a TA.
 */
#include "echo_addr.h"

#include <tzm_util.h>

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/un.h>
#include <unistd.h>

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
		rc = tzm_util_parse_unix(addr, &out->ss, &out->len);
	} else if (strcmp(kind, "tcp") == 0 || strcmp(kind, "udp") == 0) {
		out->kind = kind[0] == 't' ? ECHO_TCP : ECHO_UDP;
		rc = tzm_util_parse_inet(addr, &out->ss, &out->len);
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
