/* SPDX-License-Identifier: BSD-2-Clause */
/* Error-case test TA, "main" copy (4f29e2cb-70a1-4345-a04d-4ce093c03962). */
#ifndef USER_TA_HEADER_DEFINES_H
#define USER_TA_HEADER_DEFINES_H

#include <errors_ta.h>

#define TA_UUID                                                                                    \
	{                                                                                          \
		0x4f29e2cb, 0x70a1, 0x4345,                                                        \
		{                                                                                  \
			0xa0, 0x4d, 0x4c, 0xe0, 0x93, 0xc0, 0x39, 0x62                             \
		}                                                                                  \
	}
#define TA_FLAGS 0
#define TA_STACK_SIZE (8 * 1024)
#define TA_DATA_SIZE TA_ERRORS_DATA_SIZE

#endif
