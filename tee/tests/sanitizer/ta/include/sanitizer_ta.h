/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Sanitizer canary TA (TZM_SANITIZE builds): misbehaves on purpose through libc, whose
 * malloc/memset the sanitizer runtime in tzm-ta-host intercepts (TAs themselves are never
 * instrumented).
 * CMD_LEAK:     p0 VALUE_INPUT a = size: malloc(size), fill it, drop the pointer.
 * CMD_OVERFLOW: p0 VALUE_INPUT a = size: malloc(size) and memset size + 1 bytes of it.
 */
#ifndef SANITIZER_TA_H
#define SANITIZER_TA_H

#define TA_SANITIZER_UUID_STR "43d35c06-298a-477f-9afc-162f30f1008e"
#define TA_SANITIZER_UUID                                                                          \
	{                                                                                          \
		0x43d35c06, 0x298a, 0x477f,                                                        \
		{                                                                                  \
			0x9a, 0xfc, 0x16, 0x2f, 0x30, 0xf1, 0x00, 0x8e                             \
		}                                                                                  \
	}

#define TA_SANITIZER_CMD_LEAK 0
#define TA_SANITIZER_CMD_OVERFLOW 1

#endif
