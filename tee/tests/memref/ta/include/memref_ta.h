/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Memref test TA: UUID and commands. Direction rules are the GP ones: a whole registered
 * memref with TEEC_MEM_INPUT | TEEC_MEM_OUTPUT arrives as MEMREF_INOUT, so the commands
 * accept INOUT wherever they read or write.
 * CMD_SUM:  p0 MEMREF_INPUT|INOUT; p1 VALUE_OUTPUT a = sum of the bytes, b = size seen.
 * CMD_INC:  p0 MEMREF_INOUT, every byte += 1; p1 VALUE_OUTPUT b = size seen.
 * CMD_FILL: p0 MEMREF_OUTPUT|INOUT; p1 VALUE_INPUT a = first byte, b = bytes to produce.
 *           Writes a, a+1, ... and sets p0 size to b; if p0 is smaller, sets its size to b
 *           and returns TEE_ERROR_SHORT_BUFFER without writing.
 * CMD_COPY: p0 MEMREF_INPUT|INOUT copied into p1 MEMREF_OUTPUT|INOUT (size write-back,
 *           SHORT_BUFFER with the required size when p1 is too small).
 * CMD_PEEK: p0 any memref; p1 VALUE_OUTPUT a = (buffer == NULL), b = size.
 * CMD_WATCH: p0 MEMREF_INOUT (at least 2 bytes); p1 VALUE_INOUT a = timeout in ms.
 *           Sets byte 1 to TA_MEMREF_WATCHING, then waits (TEE_Wait slices) until byte 0
 *           becomes non-zero. Out: p1 a = 1 if it did, b = ms waited. With zero-copy
 *           memory, a client thread sees byte 1 change and its write to byte 0 reaches
 *           the TA while the call is still running.
 */
#ifndef MEMREF_TA_H
#define MEMREF_TA_H

#define TA_MEMREF_UUID_STR "7f9eba83-2fe8-41a6-9df1-032917dd0af7"
#define TA_MEMREF_UUID                                                                             \
	{                                                                                          \
		0x7f9eba83, 0x2fe8, 0x41a6,                                                        \
		{                                                                                  \
			0x9d, 0xf1, 0x03, 0x29, 0x17, 0xdd, 0x0a, 0xf7                             \
		}                                                                                  \
	}

#define TA_MEMREF_CMD_SUM 0
#define TA_MEMREF_CMD_INC 1
#define TA_MEMREF_CMD_FILL 2
#define TA_MEMREF_CMD_COPY 3
#define TA_MEMREF_CMD_PEEK 4
#define TA_MEMREF_CMD_WATCH 5

#define TA_MEMREF_WATCHING 0xee

#endif
