/* SPDX-License-Identifier: BSD-2-Clause */
/* Concurrency test TA: an instance per session. */
#ifndef USER_TA_HEADER_DEFINES_H
#define USER_TA_HEADER_DEFINES_H

#define TA_UUID                                                                                    \
	{                                                                                          \
		0xaf746f69, 0x633d, 0x465c,                                                        \
		{                                                                                  \
			0xb4, 0xd9, 0xf3, 0xf3, 0xe7, 0x8b, 0xda, 0xab                             \
		}                                                                                  \
	}
#define TA_FLAGS 0
#define TA_STACK_SIZE (8 * 1024)
#define TA_DATA_SIZE (32 * 1024)

#endif
