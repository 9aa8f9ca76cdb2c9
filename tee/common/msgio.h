/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Sending and receiving tee_msg datagrams (tee/abi/tee_msg.h) with optional file
 * descriptors, shared by libteec, tzm-teed and tzm-ta-host. The receive side is the one
 * place where a datagram's framing is validated: magic, version, exact length, fd count.
 */
#ifndef TZM_MSGIO_H
#define TZM_MSGIO_H

#include <stddef.h>
#include <stdint.h>

#include "../abi/tee_msg.h"

struct tzm__msg {
	struct tee_msg_hdr hdr;
	/* payload, hdr.len bytes; aligned for the fixed structs */
	_Alignas(8) uint8_t body[TEE_MSG_MAX_FIXED + TEE_MSG_MAX_PAYLOAD];
	int fds[TEE_MSG_MAX_FDS];
	int nfds;
};

/*
 * Sends hdr (len filled in) + part1 + part2 with up to TEE_MSG_MAX_FDS fds.
 * Blocks unless the socket is non-blocking. Returns 0 or -errno (-EPIPE when closed).
 */
int tzm__msg_send(int sock, uint16_t cmd, uint32_t seq, uint32_t ret, uint32_t origin,
		  const void *part1, size_t len1, const void *part2, size_t len2, const int *fds,
		  int nfds);

/*
 * Receives one datagram into m. Returns 0, -EAGAIN (non-blocking, nothing there),
 * -ECONNRESET on EOF, -EBADMSG for a malformed datagram (received fds are closed).
 * On success the caller owns m->fds[0..nfds).
 */
int tzm__msg_recv(int sock, struct tzm__msg *m);

/* Linux's limit of fds in one SCM_RIGHTS message (SCM_MAX_FD). */
#define TZM_MSG_SCM_MAX_FD 253

/* As tzm__msg_recv, but fds not handed over in m (extra ones, those of a malformed
 * datagram) go to discard instead of close() (tzm-teed closes foreign fds off its
 * event loop: a socket's close can block), and a well-framed datagram whose fds could
 * not all be received (out of descriptors) is -ENOBUFS, m->hdr valid, so that the
 * request can be answered. */
int tzm__msg_recv_ex(int sock, struct tzm__msg *m, void (*discard)(void *ctx, int fd), void *ctx);

/* Closes any fds still held by m and resets nfds. */
void tzm__msg_close_fds(struct tzm__msg *m);

/* Copies exactly n bytes of the body into dst if the body holds at least n. */
int tzm__msg_take(const struct tzm__msg *m, void *dst, size_t n);

#endif
