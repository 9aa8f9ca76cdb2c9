/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Random/time test TA: TEE_GenerateRandom into a temporary memref, and the time functions
 * (TEE_GetSystemTime, TEE_GetREETime, TEE_Wait) for the host to check against its clocks.
 */
#include <random_ta.h>
#include <tee_internal_api.h>

static TEE_Result cmd_time(uint32_t param_types, TEE_Param params[TEE_NUM_PARAMS])
{
	TEE_Time t;
	TEE_Result res;

	if (param_types != TEE_PARAM_TYPES(TEE_PARAM_TYPE_VALUE_OUTPUT, TEE_PARAM_TYPE_VALUE_OUTPUT,
					   TEE_PARAM_TYPE_VALUE_INPUT,
					   TEE_PARAM_TYPE_VALUE_OUTPUT)) {
		return TEE_ERROR_BAD_PARAMETERS;
	}
	TEE_GetSystemTime(&t);
	params[0].value.a = t.seconds;
	params[0].value.b = t.millis;
	TEE_GetREETime(&t);
	params[1].value.a = t.seconds;
	params[1].value.b = t.millis;
	res = TEE_Wait(params[2].value.a);
	if (res != TEE_SUCCESS) {
		return res;
	}
	TEE_GetSystemTime(&t);
	params[3].value.a = t.seconds;
	params[3].value.b = t.millis;
	return TEE_SUCCESS;
}

TEE_Result TA_InvokeCommandEntryPoint(void *sess_ctx, uint32_t cmd_id, uint32_t param_types,
				      TEE_Param params[TEE_NUM_PARAMS])
{
	(void)sess_ctx;
	switch (cmd_id) {
	case TA_RANDOM_CMD_RANDOM:
		if (param_types != TEE_PARAM_TYPES(TEE_PARAM_TYPE_MEMREF_OUTPUT,
						   TEE_PARAM_TYPE_NONE, TEE_PARAM_TYPE_NONE,
						   TEE_PARAM_TYPE_NONE)) {
			return TEE_ERROR_BAD_PARAMETERS;
		}
		TEE_GenerateRandom(params[0].memref.buffer, params[0].memref.size);
		return TEE_SUCCESS;
	case TA_RANDOM_CMD_TIME:
		return cmd_time(param_types, params);
	default:
		return TEE_ERROR_NOT_SUPPORTED;
	}
}
