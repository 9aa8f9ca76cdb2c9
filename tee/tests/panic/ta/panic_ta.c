/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Panic test TA: TEE_Panic from an invocation or from the session open. The instance must
 * die, its clients get TEEC_ERROR_TARGET_DEAD with origin TEE, and nothing else may be
 * affected.
 */
#include <panic_ta.h>
#include <tee_internal_api.h>

static uint32_t invocations;

TEE_Result TA_CreateEntryPoint(void)
{
	return TEE_SUCCESS;
}

void TA_DestroyEntryPoint(void)
{
}

TEE_Result TA_OpenSessionEntryPoint(uint32_t param_types, TEE_Param params[TEE_NUM_PARAMS],
				    void **sess_ctx)
{
	(void)sess_ctx;
	if (TEE_PARAM_TYPE_GET(param_types, 0) == TEE_PARAM_TYPE_VALUE_INPUT &&
	    params[0].value.a == TA_PANIC_IN_OPEN) {
		EMSG("panicking in open session, as asked");
		TEE_Panic(TA_PANIC_CODE);
	}
	return TEE_SUCCESS;
}

void TA_CloseSessionEntryPoint(void *sess_ctx)
{
	(void)sess_ctx;
}

TEE_Result TA_InvokeCommandEntryPoint(void *sess_ctx, uint32_t cmd_id, uint32_t param_types,
				      TEE_Param params[TEE_NUM_PARAMS])
{
	(void)sess_ctx;
	switch (cmd_id) {
	case TA_PANIC_CMD_PING:
		if (param_types != TEE_PARAM_TYPES(TEE_PARAM_TYPE_VALUE_OUTPUT, TEE_PARAM_TYPE_NONE,
						   TEE_PARAM_TYPE_NONE, TEE_PARAM_TYPE_NONE)) {
			return TEE_ERROR_BAD_PARAMETERS;
		}
		params[0].value.a = ++invocations;
		return TEE_SUCCESS;
	case TA_PANIC_CMD_PANIC:
		EMSG("panicking, as asked");
		TEE_Panic(TA_PANIC_CODE);
		/* TEE_Panic does not return. */
	default:
		return TEE_ERROR_NOT_SUPPORTED;
	}
}
