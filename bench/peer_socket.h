/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * What the two benchmark peers (echo_peer.c, thread_peer.c) share: the loopback or UNIX
 * stream listener, accepting a client, exact-length writes and the error line. Plain
 * POSIX like the peers themselves, which build natively, as C TAs and (echo_peer) as a
 * wasm32-wasi module: nothing here may need more.
 */
#ifndef BENCH_PEER_SOCKET_H
#define BENCH_PEER_SOCKET_H

#include <stddef.h>
#include <stdint.h>

/* The peer's name in its error lines ("echo_peer"); each peer program defines it. */
extern const char peer_name[];

/* Prints "<peer_name>: <what>: <strerror(err)>", leaves errno = err and returns -1. */
int peer_fail(const char *what, int err);
/* Writes all of p; 0, or -1 after peer_fail (errno says why: EPIPE, ECONNRESET...). */
int peer_write_all(int fd, const uint8_t *p, size_t len);
/*
 * A listening stream socket: AF_UNIX on the path addr, or AF_INET on 127.0.0.1 and the
 * port addr (SO_REUSEADDR). The fd, or -1 after an error line.
 */
int peer_listen(int domain, const char *addr, int backlog);
/* Accepts one client (TCP_NODELAY for AF_INET); the fd, or -1 after an error line. */
int peer_accept(int lfd, int domain);

#endif
