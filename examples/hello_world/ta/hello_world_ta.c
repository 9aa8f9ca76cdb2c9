/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * hello_world sample TA, written exactly as for OP-TEE (GP 1.1 API through
 * CFG_TA_OPTEE_CORE_API_COMPAT_1_1=y): increments or decrements a value it gets from the
 * host, and traces each step to the TEE log ($TZM_RUNTIME_DIR/tee.log).
 */
#include <hello_world_ta.h>
#include <tee_internal_api.h>
#include <tee_internal_api_extensions.h>

TEE_Result TA_CreateEntryPoint(void)
{
	DMSG("has been called");
	return TEE_SUCCESS;
}

void TA_DestroyEntryPoint(void)
{
	DMSG("has been called");
}

TEE_Result TA_OpenSessionEntryPoint(uint32_t param_types, TEE_Param __maybe_unused params[4],
				    void __maybe_unused **sess_ctx)
{
	uint32_t exp_param_types = TEE_PARAM_TYPES(TEE_PARAM_TYPE_NONE, TEE_PARAM_TYPE_NONE,
						   TEE_PARAM_TYPE_NONE, TEE_PARAM_TYPE_NONE);

	DMSG("has been called");
	if (param_types != exp_param_types) {
		return TEE_ERROR_BAD_PARAMETERS;
	}
	IMSG("Hello World!");
	return TEE_SUCCESS;
}

void TA_CloseSessionEntryPoint(void __maybe_unused *sess_ctx)
{
	IMSG("Goodbye!");
}

static TEE_Result change_value(uint32_t param_types, TEE_Param params[4], int delta)
{
	uint32_t exp_param_types = TEE_PARAM_TYPES(TEE_PARAM_TYPE_VALUE_INOUT, TEE_PARAM_TYPE_NONE,
						   TEE_PARAM_TYPE_NONE, TEE_PARAM_TYPE_NONE);

	if (param_types != exp_param_types) {
		return TEE_ERROR_BAD_PARAMETERS;
	}
	IMSG("Got value: %u from NW", params[0].value.a);
	params[0].value.a += (uint32_t)delta;
	IMSG("%s value to: %u", delta > 0 ? "Increase" : "Decrease", params[0].value.a);
	return TEE_SUCCESS;
}

TEE_Result TA_InvokeCommandEntryPoint(void __maybe_unused *sess_ctx, uint32_t cmd_id,
				      uint32_t param_types, TEE_Param params[4])
{
	switch (cmd_id) {
	case TA_HELLO_WORLD_CMD_INC_VALUE:
		return change_value(param_types, params, 1);
	case TA_HELLO_WORLD_CMD_DEC_VALUE:
		return change_value(param_types, params, -1);
	default:
		return TEE_ERROR_NOT_SUPPORTED;
	}
}
