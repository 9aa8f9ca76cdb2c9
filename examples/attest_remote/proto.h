/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * attest_remote wire protocol over one TCP connection (all lengths big-endian u32):
 *
 *   client -> server   "TZMA" | challenge (64 random bytes)
 *   server -> client   token_len | token (CCA token from tzm_attest_token())
 *   client verifies the token; only if it is affirming and the TA is the expected one:
 *   client -> server   secret_len | secret (<= PROTO_MAX_SECRET)
 *   server -> client   "OK\n"
 *   otherwise the client closes the connection and the server never sees the secret.
 */
#ifndef ATTEST_REMOTE_PROTO_H
#define ATTEST_REMOTE_PROTO_H

#include <stddef.h>
#include <stdint.h>

#define PROTO_MAGIC "TZMA"
#define PROTO_CHALLENGE_LEN 64
#define PROTO_MAX_TOKEN (60 * 1024)
#define PROTO_MAX_SECRET 4096

/* Full-length I/O on a blocking socket: 0, or -1 with errno (EPIPE-like on EOF). */
int proto_read_all(int fd, void *buf, size_t len);
int proto_write_all(int fd, const void *buf, size_t len);
int proto_read_u32(int fd, uint32_t *v);
int proto_write_u32(int fd, uint32_t v);

#endif
