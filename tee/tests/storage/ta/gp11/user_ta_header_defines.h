/* SPDX-License-Identifier: BSD-2-Clause */
/* Secure storage test TA, gp11 build (7b4d4b43-024a-4f2c-bb0c-6cfc6b519fdf). */
#ifndef USER_TA_HEADER_DEFINES_H
#define USER_TA_HEADER_DEFINES_H

#include <storage_ta.h>

#define TA_UUID                                                                                    \
	{                                                                                          \
		0x7b4d4b43, 0x024a, 0x4f2c,                                                        \
		{                                                                                  \
			0xbb, 0x0c, 0x6c, 0xfc, 0x6b, 0x51, 0x9f, 0xdf                             \
		}                                                                                  \
	}
#define TA_FLAGS TA_FLAG_MULTI_SESSION
#define TA_STACK_SIZE (16 * 1024)
#define TA_DATA_SIZE (1024 * 1024)
#define TA_DESCRIPTION "tzmediator test TA: secure storage"

#endif
