/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Random/time test TA: UUID and commands.
 * CMD_RANDOM: p0 MEMREF_OUTPUT filled by TEE_GenerateRandom (whole buffer).
 * CMD_TIME:   p0 VALUE_OUTPUT TEE_GetSystemTime (a = s, b = ms),
 *             p1 VALUE_OUTPUT TEE_GetREETime (a = s, b = ms),
 *             p2 VALUE_INPUT a = milliseconds to TEE_Wait before the second system time,
 *             p3 VALUE_OUTPUT TEE_GetSystemTime after the wait.
 */
#ifndef RANDOM_TA_H
#define RANDOM_TA_H

#define TA_RANDOM_UUID_STR "ac44e767-8fd9-4339-a922-0390daff0dea"
#define TA_RANDOM_UUID                                                                             \
	{                                                                                          \
		0xac44e767, 0x8fd9, 0x4339,                                                        \
		{                                                                                  \
			0xa9, 0x22, 0x03, 0x90, 0xda, 0xff, 0x0d, 0xea                             \
		}                                                                                  \
	}

#define TA_RANDOM_CMD_RANDOM 0
#define TA_RANDOM_CMD_TIME 1

#endif
