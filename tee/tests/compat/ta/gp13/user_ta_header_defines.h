/* SPDX-License-Identifier: BSD-2-Clause */
/* API-level test TA, gp13 build (7ab630db-7f1a-4d68-b4dd-ba382ef1573f). */
#ifndef USER_TA_HEADER_DEFINES_H
#define USER_TA_HEADER_DEFINES_H

#include <compat_ta.h>

#define TA_UUID                                                                                    \
	{                                                                                          \
		0x7ab630db, 0x7f1a, 0x4d68,                                                        \
		{                                                                                  \
			0xb4, 0xdd, 0xba, 0x38, 0x2e, 0xf1, 0x57, 0x3f                             \
		}                                                                                  \
	}
#define TA_FLAGS TA_FLAG_MULTI_SESSION
#define TA_STACK_SIZE (8 * 1024)
#define TA_DATA_SIZE (32 * 1024)
#define TA_DESCRIPTION TA_COMPAT_DESCRIPTION

#endif
