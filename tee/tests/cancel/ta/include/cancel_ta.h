/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Cancellation test TA.
 * CMD_WAIT:        unmasks cancellation, TEE_Wait(p0 VALUE_INPUT a ms); returns its
 *                  result (TEE_ERROR_CANCEL when cancelled).
 * CMD_WAIT_MASKED: masks cancellation, TEE_Wait(p0.a ms) (runs to the end), then
 *                  p0 is VALUE_INOUT: b = TEE_GetCancellationFlag() while masked,
 *                  a = TEE_GetCancellationFlag() after unmasking.
 * CMD_SPIN:        loops forever without looking at the cancellation flag.
 */
#ifndef CANCEL_TA_H
#define CANCEL_TA_H

#define TA_CANCEL_UUID_STR "cd7ea169-78b6-4aa8-8a78-236019fb9882"
#define TA_CANCEL_UUID                                                                             \
	{                                                                                          \
		0xcd7ea169, 0x78b6, 0x4aa8,                                                        \
		{                                                                                  \
			0x8a, 0x78, 0x23, 0x60, 0x19, 0xfb, 0x98, 0x82                             \
		}                                                                                  \
	}

#define TA_CANCEL_CMD_WAIT 0
#define TA_CANCEL_CMD_WAIT_MASKED 1
#define TA_CANCEL_CMD_SPIN 2

#endif
