/* SPDX-License-Identifier: BSD-2-Clause */
/* Concurrency test TA: single instance, many sessions. */
#ifndef USER_TA_HEADER_DEFINES_H
#define USER_TA_HEADER_DEFINES_H

#define TA_UUID                                                                                    \
	{                                                                                          \
		0x45dc3278, 0x8546, 0x4161,                                                        \
		{                                                                                  \
			0x91, 0xbd, 0xce, 0x8b, 0x23, 0xc8, 0x16, 0x58                             \
		}                                                                                  \
	}
#define TA_FLAGS (TA_FLAG_SINGLE_INSTANCE | TA_FLAG_MULTI_SESSION)
#define TA_STACK_SIZE (8 * 1024)
#define TA_DATA_SIZE (32 * 1024)

#endif
