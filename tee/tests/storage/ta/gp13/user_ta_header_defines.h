/* SPDX-License-Identifier: BSD-2-Clause */
/* Secure storage test TA, gp13 build (914e9049-a8f9-4362-96bf-f263c6eb8112). */
#ifndef USER_TA_HEADER_DEFINES_H
#define USER_TA_HEADER_DEFINES_H

#include <storage_ta.h>

#define TA_UUID                                                                                    \
	{                                                                                          \
		0x914e9049, 0xa8f9, 0x4362,                                                        \
		{                                                                                  \
			0x96, 0xbf, 0xf2, 0x63, 0xc6, 0xeb, 0x81, 0x12                             \
		}                                                                                  \
	}
#define TA_FLAGS TA_FLAG_MULTI_SESSION
#define TA_STACK_SIZE (16 * 1024)
#define TA_DATA_SIZE (1024 * 1024)
#define TA_DESCRIPTION "tzmediator test TA: secure storage"

#endif
