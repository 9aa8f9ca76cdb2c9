/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Attestation test TA: UUID and commands shared by the TA and the end-to-end test host.
 *
 * CMD_TOKEN:  p0 MEMREF_INPUT challenge (64 bytes), p1 MEMREF_OUTPUT token buffer.
 *             TEE_ERROR_SHORT_BUFFER with p1 size = needed if too small.
 * CMD_EXTEND: p0 VALUE_INPUT a = REM index (1..4), p1 MEMREF_INPUT data (1..64 bytes).
 */
#ifndef ATTEST_TA_H
#define ATTEST_TA_H

#define TA_ATTEST_TEST_UUID_STR "c43a5797-1d3b-4594-ad7f-af5d02357633"
#define TA_ATTEST_TEST_UUID                                                                        \
	{                                                                                          \
		0xc43a5797, 0x1d3b, 0x4594,                                                        \
		{                                                                                  \
			0xad, 0x7f, 0xaf, 0x5d, 0x02, 0x35, 0x76, 0x33                             \
		}                                                                                  \
	}

#define TA_ATTEST_CMD_TOKEN 0
#define TA_ATTEST_CMD_EXTEND 1

#endif
