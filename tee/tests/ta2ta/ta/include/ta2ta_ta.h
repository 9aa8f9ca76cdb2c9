/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * TA-to-TA test: the caller TA opens sessions to the counter TA (tee/tests/counter).
 * Open session: the caller opens and keeps a session to the counter TA, starting it at
 *               1000 (TEE_OpenTASession with a VALUE_INPUT).
 * CMD_KEPT_INC: p0 VALUE_INOUT: a goes through the counter's CMD_INC on the kept session,
 *               b = the counter session's count afterwards.
 * CMD_ONESHOT:  p0 VALUE_INOUT: opens a fresh counter session, invokes CMD_INC b times on
 *               a, closes it; returns a and b = that session's count.
 * CMD_FILL:     p0 MEMREF_OUTPUT: the caller has the counter TA fill a buffer from its own
 *               heap (TEE_Malloc) with p1 VALUE_INPUT a, a+1, ... then copies it to p0.
 * CMD_MISSING:  p0 VALUE_OUTPUT: a = result, b = origin of TEE_OpenTASession to a UUID
 *               with no TA.
 */
#ifndef TA2TA_TA_H
#define TA2TA_TA_H

#define TA_TA2TA_UUID_STR "401842e7-3d6a-443b-8aee-a3c91d7003d0"
#define TA_TA2TA_UUID                                                                              \
	{                                                                                          \
		0x401842e7, 0x3d6a, 0x443b,                                                        \
		{                                                                                  \
			0x8a, 0xee, 0xa3, 0xc9, 0x1d, 0x70, 0x03, 0xd0                             \
		}                                                                                  \
	}

#define TA_TA2TA_CMD_KEPT_INC 0
#define TA_TA2TA_CMD_ONESHOT 1
#define TA_TA2TA_CMD_FILL 2
#define TA_TA2TA_CMD_MISSING 3

#endif
