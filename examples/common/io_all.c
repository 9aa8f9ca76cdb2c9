/* SPDX-License-Identifier: BSD-2-Clause */
#include "io_all.h"

#include <errno.h>
#include <stdint.h>
#include <sys/socket.h>

int io_read_all(int fd, void *buf, size_t len)
{
	uint8_t *p = buf;
	while (len > 0) {
		ssize_t n = recv(fd, p, len, 0);
		if (n < 0 && errno == EINTR) {
			continue;
		}
		if (n <= 0) {
			if (n == 0) {
				errno = ECONNRESET; /* peer closed early */
			}
			return -errno;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

int io_write_all(int fd, const void *buf, size_t len)
{
	const uint8_t *p = buf;
	while (len > 0) {
		ssize_t n = send(fd, p, len, MSG_NOSIGNAL);
		if (n < 0 && errno == EINTR) {
			continue;
		}
		if (n <= 0) {
			if (n == 0) {
				errno = EPIPE;
			}
			return -errno;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}
