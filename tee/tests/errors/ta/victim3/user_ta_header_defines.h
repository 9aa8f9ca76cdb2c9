/* SPDX-License-Identifier: BSD-2-Clause */
/* Error-case test TA, "victim3" copy (24d4efeb-f0cb-4448-a10f-c7771c22f638). */
#ifndef USER_TA_HEADER_DEFINES_H
#define USER_TA_HEADER_DEFINES_H

#include <errors_ta.h>

#define TA_UUID                                                                                    \
	{                                                                                          \
		0x24d4efeb, 0xf0cb, 0x4448,                                                        \
		{                                                                                  \
			0xa1, 0x0f, 0xc7, 0x77, 0x1c, 0x22, 0xf6, 0x38                             \
		}                                                                                  \
	}
#define TA_FLAGS 0
#define TA_STACK_SIZE (8 * 1024)
#define TA_DATA_SIZE TA_ERRORS_DATA_SIZE

#endif
