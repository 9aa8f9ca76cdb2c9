/* SPDX-License-Identifier: BSD-2-Clause */
/* Panic test TA, single-instance variant: every session shares one instance. */
#ifndef USER_TA_HEADER_DEFINES_H
#define USER_TA_HEADER_DEFINES_H

#define TA_UUID                                                                                    \
	{                                                                                          \
		0x683da4a1, 0x4991, 0x4cea,                                                        \
		{                                                                                  \
			0xaf, 0x03, 0x4b, 0xe9, 0xbf, 0xb2, 0x23, 0x65                             \
		}                                                                                  \
	}
#define TA_FLAGS (TA_FLAG_SINGLE_INSTANCE | TA_FLAG_MULTI_SESSION)
#define TA_STACK_SIZE (8 * 1024)
#define TA_DATA_SIZE (32 * 1024)

#endif
