/* SPDX-License-Identifier: BSD-2-Clause */
/* API-level test TA, gp11 build (eb76d919-0a27-4e50-b037-0f7dd1c6d7ec). */
#ifndef USER_TA_HEADER_DEFINES_H
#define USER_TA_HEADER_DEFINES_H

#include <compat_ta.h>

#define TA_UUID                                                                                    \
	{                                                                                          \
		0xeb76d919, 0x0a27, 0x4e50,                                                        \
		{                                                                                  \
			0xb0, 0x37, 0x0f, 0x7d, 0xd1, 0xc6, 0xd7, 0xec                             \
		}                                                                                  \
	}
#define TA_FLAGS TA_FLAG_MULTI_SESSION
#define TA_STACK_SIZE (8 * 1024)
#define TA_DATA_SIZE (32 * 1024)
#define TA_DESCRIPTION TA_COMPAT_DESCRIPTION

#endif
