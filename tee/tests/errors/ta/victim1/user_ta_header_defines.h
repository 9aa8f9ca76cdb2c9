/* SPDX-License-Identifier: BSD-2-Clause */
/* Error-case test TA, "victim1" copy (be7a7fbd-8870-4e3b-9f2a-2b3083c7319a). */
#ifndef USER_TA_HEADER_DEFINES_H
#define USER_TA_HEADER_DEFINES_H

#include <errors_ta.h>

#define TA_UUID                                                                                    \
	{                                                                                          \
		0xbe7a7fbd, 0x8870, 0x4e3b,                                                        \
		{                                                                                  \
			0x9f, 0x2a, 0x2b, 0x30, 0x83, 0xc7, 0x31, 0x9a                             \
		}                                                                                  \
	}
#define TA_FLAGS 0
#define TA_STACK_SIZE (8 * 1024)
#define TA_DATA_SIZE TA_ERRORS_DATA_SIZE

#endif
