/* SPDX-License-Identifier: BSD-2-Clause */
/* Concurrency test TA: single instance, one session at a time. */
#ifndef USER_TA_HEADER_DEFINES_H
#define USER_TA_HEADER_DEFINES_H

#define TA_UUID                                                                                    \
	{                                                                                          \
		0xd3f744a3, 0x5cc4, 0x4264,                                                        \
		{                                                                                  \
			0xbd, 0xbe, 0xc5, 0x69, 0x49, 0x06, 0xc7, 0xa5                             \
		}                                                                                  \
	}
#define TA_FLAGS TA_FLAG_SINGLE_INSTANCE
#define TA_STACK_SIZE (8 * 1024)
#define TA_DATA_SIZE (32 * 1024)

#endif
