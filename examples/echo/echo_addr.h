/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Endpoint syntax shared by the echo server and client, one per IPC kind of the paper:
 *
 *   fifo PATH          two named pipes PATH.req (client -> server) and PATH.rsp (back)
 *   unix PATH | @NAME  UNIX stream socket, path or abstract name
 *   tcp  HOST:PORT     IPv4 "127.0.0.1:7000" or IPv6 "[::1]:7000"; port 0 = any (server)
 *   udp  HOST:PORT     as tcp
 */
#ifndef TZM_EXAMPLES_ECHO_ADDR_H
#define TZM_EXAMPLES_ECHO_ADDR_H

#include <limits.h>
#include <stddef.h>
#include <sys/socket.h>

enum echo_kind {
	ECHO_FIFO,
	ECHO_UNIX,
	ECHO_TCP,
	ECHO_UDP,
};

struct echo_addr {
	enum echo_kind kind;
	char req[PATH_MAX]; /* fifo: request pipe */
	char rsp[PATH_MAX]; /* fifo: response pipe */
	struct sockaddr_storage ss;
	socklen_t len;
};

/* Parses KIND and ADDR; returns 0 or -EINVAL / -ENAMETOOLONG with a message on stderr. */
int echo_parse(const char *kind, const char *addr, struct echo_addr *out);
/*
 * Endpoint as "KIND ADDR", in the syntax echo_parse accepts ("tcp 127.0.0.1:41234",
 * "unix @name", "fifo /x"), so scripts can hand a server's ready line to a client.
 */
const char *echo_addr_text(const struct echo_addr *a);

#endif
