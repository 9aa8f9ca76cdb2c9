/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * hello_world sample: the contract between the host program and the TA (UUID and
 * command IDs), in OP-TEE's layout: <app>/ta/include/<app>_ta.h.
 */
#ifndef TA_HELLO_WORLD_H
#define TA_HELLO_WORLD_H

/* The same UUID as OP-TEE's hello_world example: this is a drop-in for it. */
#define TA_HELLO_WORLD_UUID                                                                        \
	{                                                                                          \
		0x8aaaf200, 0x2450, 0x11e4,                                                        \
		{                                                                                  \
			0xab, 0xe2, 0x00, 0x02, 0xa5, 0xd5, 0xc5, 0x1b                             \
		}                                                                                  \
	}

/* p0 VALUE_INOUT: a is incremented / decremented by one. */
#define TA_HELLO_WORLD_CMD_INC_VALUE 0
#define TA_HELLO_WORLD_CMD_DEC_VALUE 1

#endif
