/* SPDX-License-Identifier: BSD-2-Clause */
/* attest_remote protocol helpers shared by the TA server and the native client. */
#include "proto.h"

#include <errno.h>
#include <unistd.h>

int proto_read_all(int fd, void *buf, size_t len)
{
	unsigned char *p = buf;
	while (len > 0) {
		ssize_t n = read(fd, p, len);
		if (n < 0 && errno == EINTR) {
			continue;
		}
		if (n <= 0) {
			if (n == 0) {
				errno = ECONNRESET; /* peer closed early */
			}
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

int proto_write_all(int fd, const void *buf, size_t len)
{
	const unsigned char *p = buf;
	while (len > 0) {
		ssize_t n = write(fd, p, len);
		if (n < 0 && errno == EINTR) {
			continue;
		}
		if (n <= 0) {
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

int proto_read_u32(int fd, uint32_t *v)
{
	unsigned char b[4];
	if (proto_read_all(fd, b, 4) != 0) {
		return -1;
	}
	*v = (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
	return 0;
}

int proto_write_u32(int fd, uint32_t v)
{
	unsigned char b[4] = { (unsigned char)(v >> 24), (unsigned char)(v >> 16),
			       (unsigned char)(v >> 8), (unsigned char)v };
	return proto_write_all(fd, b, 4);
}
