/* SPDX-License-Identifier: BSD-2-Clause */
/* tee_plugin: the test TA's UUID and commands, and the test plugin's. */
#ifndef PLUGIN_TEST_TA_H
#define PLUGIN_TEST_TA_H

#define TA_PLUGIN_TEST_UUID_STR "3b0f6a52-58c4-4b8e-9d51-7a20c6e4f1a9"
#define TA_PLUGIN_TEST_UUID                                                                        \
	{                                                                                          \
		0x3b0f6a52, 0x58c4, 0x4b8e,                                                        \
		{                                                                                  \
			0x9d, 0x51, 0x7a, 0x20, 0xc6, 0xe4, 0xf1, 0xa9                             \
		}                                                                                  \
	}

/* The test plugin, built as <uuid>.plugin */
#define TEST_PLUGIN_UUID                                                                           \
	{                                                                                          \
		0x6e2d8f14, 0x0c7b, 0x4a39,                                                        \
		{                                                                                  \
			0xb2, 0x5e, 0x91, 0x3f, 0x40, 0xa8, 0x6c, 0x07                             \
		}                                                                                  \
	}
/* A plugin that no directory has */
#define MISSING_PLUGIN_UUID                                                                        \
	{                                                                                          \
		0x6e2d8f14, 0x0c7b, 0x4a39,                                                        \
		{                                                                                  \
			0xb2, 0x5e, 0x91, 0x3f, 0x40, 0xa8, 0x6c, 0x08                             \
		}                                                                                  \
	}

/* CMD_CALL: params[0] value in (a: 0 = test plugin, 1 = missing plugin; b: plugin cmd),
 * params[1] memref inout (the plugin's buffer), params[2] value out (a: outlen).
 * Returns tee_invoke_supp_plugin()'s result. */
#define TA_PLUGIN_TEST_CMD_CALL 0
/* CMD_CALL_LOCAL: params[0] value in (b: plugin cmd), params[1] value out (a: outlen,
 * b: the first 4 bytes of the buffer after the call): the test plugin on the TA's own
 * 8-byte buffer "abcdefgh" (for raw-protocol clients, which have no memrefs). */
#define TA_PLUGIN_TEST_CMD_CALL_LOCAL 1

#define TEST_PLUGIN_SUB_CMD 7u
/* Plugin commands */
#define TEST_PLUGIN_UPPER 1u   /* upper-case the buffer in place, out_len = in_len */
#define TEST_PLUGIN_PID 2u     /* write "pid=<its process id>" */
#define TEST_PLUGIN_ERROR 3u   /* return TEST_PLUGIN_ERROR_CODE */
#define TEST_PLUGIN_OVERRUN 4u /* claim one byte more output than the buffer holds */
#define TEST_PLUGIN_INITS 5u   /* write "init=<times init ran>" */
#define TEST_PLUGIN_ERROR_CODE 0xF00D0001u

#endif
