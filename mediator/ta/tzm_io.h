/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * libtzm internal: chunked data transfer helpers shared by descriptor and socket I/O.
 */
#ifndef TZM_TA_IO_H
#define TZM_TA_IO_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <sys/uio.h>

#include <tzm/tzm_wire.h>

struct tzm__xfer {
	uint32_t op;
	int64_t args[TZM_WIRE_MAX_ARGS]; /* request args template */
	int total_arg;                   /* arg index receiving the byte count */
	int offset_arg;                  /* send: arg index advanced by bytes done, or -1 */
	const void *prefix;              /* send: bytes put before the data (an address) */
	size_t prefix_len;
};

struct tzm__recv_out {
	uint8_t addr[TZM_WIRE_MAX_SOCKADDR];
	size_t addrlen;
	int msg_flags;
	int trunc_ok; /* MSG_TRUNC: ret may exceed the count */
};

int tzm__iov_total(const struct iovec *iov, int iovcnt, size_t *total);
ssize_t tzm__send_iov(const struct tzm__xfer *x, const struct iovec *iov, int iovcnt);
ssize_t tzm__recv_iov(const struct tzm__xfer *x, const struct iovec *iov, int iovcnt,
		      struct tzm__recv_out *out);

#endif
