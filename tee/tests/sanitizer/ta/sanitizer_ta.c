/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Sanitizer canary TA: a leak and a heap overflow on purpose, through libc calls that the
 * sanitizer runtime of tzm-ta-host intercepts. Sizes come from the client so the compiler
 * cannot fold the calls away.
 */
#include <sanitizer_ta.h>
#include <stdlib.h>
#include <string.h>
#include <tee_internal_api.h>

TEE_Result TA_InvokeCommandEntryPoint(void *sess_ctx, uint32_t cmd_id, uint32_t param_types,
				      TEE_Param params[TEE_NUM_PARAMS])
{
	size_t size = 0;
	void *volatile p = NULL;

	(void)sess_ctx;
	if (param_types != TEE_PARAM_TYPES(TEE_PARAM_TYPE_VALUE_INPUT, TEE_PARAM_TYPE_NONE,
					   TEE_PARAM_TYPE_NONE, TEE_PARAM_TYPE_NONE)) {
		return TEE_ERROR_BAD_PARAMETERS;
	}
	size = params[0].value.a;
	switch (cmd_id) {
	case TA_SANITIZER_CMD_LEAK:
		p = malloc(size);
		if (!p) {
			return TEE_ERROR_OUT_OF_MEMORY;
		}
		memset(p, 0x5a, size);
		p = NULL; /* the only reference is gone: a leak */
		return TEE_SUCCESS;
	case TA_SANITIZER_CMD_OVERFLOW:
		p = malloc(size);
		if (!p) {
			return TEE_ERROR_OUT_OF_MEMORY;
		}
		memset(p, 0, size + 1); /* one byte past the block */
		free(p);
		return TEE_ERROR_GENERIC; /* not detected */
	default:
		return TEE_ERROR_NOT_SUPPORTED;
	}
}
