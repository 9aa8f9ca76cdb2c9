/* SPDX-License-Identifier: BSD-2-Clause */
/* Error-case test TA, "victim2" copy (6c4fda1d-27ca-4df6-8b61-ad6e406ac7e8). */
#ifndef USER_TA_HEADER_DEFINES_H
#define USER_TA_HEADER_DEFINES_H

#include <errors_ta.h>

#define TA_UUID                                                                                    \
	{                                                                                          \
		0x6c4fda1d, 0x27ca, 0x4df6,                                                        \
		{                                                                                  \
			0x8b, 0x61, 0xad, 0x6e, 0x40, 0x6a, 0xc7, 0xe8                             \
		}                                                                                  \
	}
#define TA_FLAGS 0
#define TA_STACK_SIZE (8 * 1024)
#define TA_DATA_SIZE TA_ERRORS_DATA_SIZE

#endif
