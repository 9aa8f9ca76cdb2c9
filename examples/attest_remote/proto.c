/* SPDX-License-Identifier: BSD-2-Clause */
/* attest_remote protocol helpers shared by the TA server and the native client. */
#include "proto.h"

#include "io_all.h"

int proto_read_u32(int fd, uint32_t *v)
{
	unsigned char b[4];
	if (io_read_all(fd, b, 4) != 0) {
		return -1;
	}
	*v = (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
	return 0;
}

int proto_write_u32(int fd, uint32_t v)
{
	unsigned char b[4] = { (unsigned char)(v >> 24), (unsigned char)(v >> 16),
			       (unsigned char)(v >> 8), (unsigned char)v };
	return io_write_all(fd, b, 4);
}
