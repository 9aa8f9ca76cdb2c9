/* SPDX-License-Identifier: BSD-2-Clause */
/* The variant TA, built twice with the same UUID (VARIANT=1 and 2), single instance. */
#ifndef USER_TA_HEADER_DEFINES_H
#define USER_TA_HEADER_DEFINES_H

#define TA_UUID                                                                                    \
	{                                                                                          \
		0x7661726e, 0x7a6d, 0x4e00,                                                        \
		{                                                                                  \
			0x80, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01                             \
		}                                                                                  \
	}
#define TA_FLAGS (TA_FLAG_SINGLE_INSTANCE | TA_FLAG_MULTI_SESSION)
#define TA_STACK_SIZE (8 * 1024)
#define TA_DATA_SIZE (32 * 1024)
#define TA_VERSION "1.0"
#define TA_DESCRIPTION "tzmediator test TA: which build of a UUID runs"

#endif
