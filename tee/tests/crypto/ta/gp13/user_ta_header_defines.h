/* SPDX-License-Identifier: BSD-2-Clause */
/* Crypto test TA, gp13 build. */
#ifndef USER_TA_HEADER_DEFINES_H
#define USER_TA_HEADER_DEFINES_H

#include <crypto_ta.h>

#define TA_UUID                                                                                    \
	{                                                                                          \
		0xc7f0c7a1, 0x5eed, 0x4c0d,                                                        \
		{                                                                                  \
			0x9a, 0x11, 0x00, 0x00, 0x00, 0x00, 0x01, 0x31                             \
		}                                                                                  \
	}
#define TA_FLAGS TA_FLAG_MULTI_SESSION
#define TA_STACK_SIZE (32 * 1024)
#define TA_DATA_SIZE (256 * 1024)
#define TA_DESCRIPTION TA_CRYPTO_DESCRIPTION

#endif
