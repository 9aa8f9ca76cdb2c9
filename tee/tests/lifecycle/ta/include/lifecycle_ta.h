/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Lifecycle test TA, one source built three times with different TA_FLAGS and trace levels:
 *   keep:  single instance, multi-session, keep-alive; CFG_TEE_TA_LOG_LEVEL=4 (all traces)
 *   plain: single instance, multi-session;             CFG_TEE_TA_LOG_LEVEL=2 (E, I)
 *   quiet: one instance per session;                   level not set (default 1: E)
 * CMD_IDENTITY: p0 MEMREF_TEMP_OUTPUT (20 bytes): gpd.client.identity as login (u32,
 *               native order) followed by the 16-byte UUID in RFC 4122 byte order.
 * CMD_COUNT:    p0 VALUE_OUTPUT a = calls of CMD_COUNT seen by this instance (including
 *               this one), b = sessions ever opened on the instance.
 * CMD_TRACE:    p0 VALUE_INPUT a = nonce: EMSG, IMSG, DMSG and FMSG one line each,
 *               "lifecycle-trace <E|I|D|F> <nonce>".
 */
#ifndef LIFECYCLE_TA_H
#define LIFECYCLE_TA_H

#define TA_LIFE_KEEP_UUID_STR "b30d5616-7d27-4a97-ac50-13111dac4030"
#define TA_LIFE_KEEP_UUID                                                                          \
	{                                                                                          \
		0xb30d5616, 0x7d27, 0x4a97,                                                        \
		{                                                                                  \
			0xac, 0x50, 0x13, 0x11, 0x1d, 0xac, 0x40, 0x30                             \
		}                                                                                  \
	}
#define TA_LIFE_PLAIN_UUID_STR "b437e77a-53a5-4407-a568-90e37b2cb726"
#define TA_LIFE_PLAIN_UUID                                                                         \
	{                                                                                          \
		0xb437e77a, 0x53a5, 0x4407,                                                        \
		{                                                                                  \
			0xa5, 0x68, 0x90, 0xe3, 0x7b, 0x2c, 0xb7, 0x26                             \
		}                                                                                  \
	}
#define TA_LIFE_QUIET_UUID_STR "d2ebe802-4c40-4ef7-a227-ff908e11c566"
#define TA_LIFE_QUIET_UUID                                                                         \
	{                                                                                          \
		0xd2ebe802, 0x4c40, 0x4ef7,                                                        \
		{                                                                                  \
			0xa2, 0x27, 0xff, 0x90, 0x8e, 0x11, 0xc5, 0x66                             \
		}                                                                                  \
	}

#define TA_LIFE_CMD_IDENTITY 0
#define TA_LIFE_CMD_COUNT 1
#define TA_LIFE_CMD_TRACE 2

#define TA_LIFE_IDENTITY_SIZE 20

#endif
