/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Counter test TA: UUID and command IDs shared by the TA and its test hosts (and by the
 * TA-to-TA test, which calls this TA from another TA).
 */
#ifndef COUNTER_TA_H
#define COUNTER_TA_H

#define TA_COUNTER_UUID_STR "19e2a039-1247-4870-b42e-a4a75f185999"
#define TA_COUNTER_UUID                                                                            \
	{                                                                                          \
		0x19e2a039, 0x1247, 0x4870,                                                        \
		{                                                                                  \
			0xb4, 0x2e, 0xa4, 0xa7, 0x5f, 0x18, 0x59, 0x99                             \
		}                                                                                  \
	}

/*
 * Open session: params NONE, or p0 VALUE_INPUT a = initial session count.
 * CMD_INC:  p0 VALUE_INOUT: a = a + 1; the session count increments, b = session count.
 * CMD_GET:  p0 VALUE_OUTPUT: a = session count, b = sessions ever opened on the instance.
 * CMD_SELF: p0 VALUE_OUTPUT: a = gpd.ta.dataSize, b = 1 if gpd.ta.appID is this TA's UUID
 *           and the client identity is a public login (or a TA for TA-to-TA calls).
 * CMD_FILL: p0 MEMREF_OUTPUT filled with bytes b, b+1, ... where p1 VALUE_INPUT a = b.
 */
#define TA_COUNTER_CMD_INC 0
#define TA_COUNTER_CMD_GET 1
#define TA_COUNTER_CMD_SELF 2
#define TA_COUNTER_CMD_FILL 3

#endif
