/* SPDX-License-Identifier: BSD-2-Clause */
/* Panic test TA, multi-instance variant: a new instance for every session. */
#ifndef USER_TA_HEADER_DEFINES_H
#define USER_TA_HEADER_DEFINES_H

#define TA_UUID                                                                                    \
	{                                                                                          \
		0xdf713d0c, 0x8ee4, 0x48e2,                                                        \
		{                                                                                  \
			0x9d, 0x7d, 0x0f, 0x49, 0x46, 0x5a, 0xaf, 0x1e                             \
		}                                                                                  \
	}
#define TA_FLAGS 0
#define TA_STACK_SIZE (8 * 1024)
#define TA_DATA_SIZE (32 * 1024)

#endif
