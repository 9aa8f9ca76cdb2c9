/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Concurrency test TA: an instance-wide total and a random instance id, so that hosts can
 * tell whether concurrent clients share one instance or each have their own.
 */
#include <conc_ta.h>
#include <tee_internal_api.h>

static uint32_t total;
static uint32_t instance_id;

TEE_Result TA_CreateEntryPoint(void)
{
	TEE_GenerateRandom(&instance_id, sizeof(instance_id));
	return TEE_SUCCESS;
}

TEE_Result TA_InvokeCommandEntryPoint(void *sess_ctx, uint32_t cmd_id, uint32_t param_types,
				      TEE_Param params[TEE_NUM_PARAMS])
{
	uint32_t t = 0;

	(void)sess_ctx;
	switch (cmd_id) {
	case TA_CONC_CMD_ADD:
		if (param_types != TEE_PARAM_TYPES(TEE_PARAM_TYPE_VALUE_INOUT, TEE_PARAM_TYPE_NONE,
						   TEE_PARAM_TYPE_NONE, TEE_PARAM_TYPE_NONE)) {
			return TEE_ERROR_BAD_PARAMETERS;
		}
		/* Read-modify-write with a gap: lost updates would show if the TEE ran two
		 * calls of one instance at once (it must not without TA_FLAG_CONCURRENT). */
		t = total;
		TEE_Wait(1);
		total = t + params[0].value.a;
		params[0].value.a = total;
		return TEE_SUCCESS;
	case TA_CONC_CMD_GET:
		if (param_types != TEE_PARAM_TYPES(TEE_PARAM_TYPE_VALUE_OUTPUT, TEE_PARAM_TYPE_NONE,
						   TEE_PARAM_TYPE_NONE, TEE_PARAM_TYPE_NONE)) {
			return TEE_ERROR_BAD_PARAMETERS;
		}
		params[0].value.a = total;
		params[0].value.b = instance_id;
		return TEE_SUCCESS;
	case TA_CONC_CMD_WAIT:
		if (param_types != TEE_PARAM_TYPES(TEE_PARAM_TYPE_VALUE_INPUT, TEE_PARAM_TYPE_NONE,
						   TEE_PARAM_TYPE_NONE, TEE_PARAM_TYPE_NONE)) {
			return TEE_ERROR_BAD_PARAMETERS;
		}
		TEE_UnmaskCancellation();
		return TEE_Wait(params[0].value.a);
	default:
		return TEE_ERROR_NOT_SUPPORTED;
	}
}
