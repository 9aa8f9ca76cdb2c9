/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Full-length I/O on a connected stream socket, for the examples' protocols (TA, realm
 * and native sides alike): recv/send until len bytes have moved, EINTR retried, no
 * SIGPIPE (MSG_NOSIGNAL).
 */
#ifndef EXAMPLES_IO_ALL_H
#define EXAMPLES_IO_ALL_H

#include <stddef.h>

/* 0, or -errno with errno set: -ECONNRESET when the peer closed before len bytes came. */
int io_read_all(int fd, void *buf, size_t len);
/* 0, or -errno with errno set. */
int io_write_all(int fd, const void *buf, size_t len);

#endif
