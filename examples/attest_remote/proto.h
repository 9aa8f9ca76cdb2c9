/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * attest_remote wire protocol v2 over one TCP connection (lengths big-endian u32). The
 * server's relay (tzm-run, the untrusted normal world, or anyone on the path) sees every
 * byte, so the secret travels encrypted to a key that the token vouches for
 * (examples/common/chanbind.h, label PROTO_LABEL):
 *
 *   client -> server   "TZA2" | nonce (32 random bytes)
 *   server             makes an ephemeral X25519 pair (e, epub) for this connection and
 *                      asks for its token with challenge = cb_challenge(nonce, epub)
 *   server -> client   "TZA2" | epub (32) | token_len | token
 *   client verifies the token against the challenge it recomputes from its nonce and this
 *   epub (a substituted epub fails the challenge check); only if it is affirming and the
 *   TA is the expected one:
 *   client -> server   spub (32, its ephemeral key) | ct_len | ct | tag (32)
 *                      = cb_seal(secret) under X25519(s, epub) and the transcript
 *   server -> client   "OK\n" (the tag verified, the secret decrypted inside)
 *   otherwise the client closes the connection and the server never sees the secret.
 *
 * v1 ("TZMA" | 64-byte challenge, then the secret in clear) is refused by both ends.
 */
#ifndef ATTEST_REMOTE_PROTO_H
#define ATTEST_REMOTE_PROTO_H

#include <stddef.h>
#include <stdint.h>

#define PROTO_MAGIC "TZA2"
#define PROTO_MAGIC_V1 "TZMA"
#define PROTO_LABEL "tzm attest_remote secret release v2"
#define PROTO_MAX_TOKEN (60 * 1024)
#define PROTO_MAX_SECRET 4096

/* A big-endian u32 on the socket (full-length I/O: examples/common/io_all.h): 0 or -errno. */
int proto_read_u32(int fd, uint32_t *v);
int proto_write_u32(int fd, uint32_t v);

#endif
