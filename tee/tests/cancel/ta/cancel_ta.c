/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Cancellation test TA: a cancellable TEE_Wait, a masked one, and a loop that never looks
 * at the cancellation flag (the TEE must still answer the client).
 */
#include <cancel_ta.h>
#include <tee_internal_api.h>

static volatile uint64_t spins;

TEE_Result TA_InvokeCommandEntryPoint(void *sess_ctx, uint32_t cmd_id, uint32_t param_types,
				      TEE_Param params[TEE_NUM_PARAMS])
{
	TEE_Result res;

	(void)sess_ctx;
	switch (cmd_id) {
	case TA_CANCEL_CMD_WAIT:
		if (param_types != TEE_PARAM_TYPES(TEE_PARAM_TYPE_VALUE_INPUT, TEE_PARAM_TYPE_NONE,
						   TEE_PARAM_TYPE_NONE, TEE_PARAM_TYPE_NONE)) {
			return TEE_ERROR_BAD_PARAMETERS;
		}
		TEE_UnmaskCancellation();
		res = TEE_Wait(params[0].value.a);
		IMSG("TEE_Wait(%u) returned 0x%x", params[0].value.a, res);
		return res;
	case TA_CANCEL_CMD_WAIT_MASKED:
		if (param_types != TEE_PARAM_TYPES(TEE_PARAM_TYPE_VALUE_INOUT, TEE_PARAM_TYPE_NONE,
						   TEE_PARAM_TYPE_NONE, TEE_PARAM_TYPE_NONE)) {
			return TEE_ERROR_BAD_PARAMETERS;
		}
		TEE_MaskCancellation();
		res = TEE_Wait(params[0].value.a);
		if (res != TEE_SUCCESS) {
			return res;
		}
		params[0].value.b = TEE_GetCancellationFlag();
		TEE_UnmaskCancellation();
		params[0].value.a = TEE_GetCancellationFlag();
		return TEE_SUCCESS;
	case TA_CANCEL_CMD_SPIN:
		/* tee_client_death waits for this line: the instance is busy from here on. */
		IMSG("spinning until killed");
		for (;;) {
			spins++;
		}
	default:
		return TEE_ERROR_NOT_SUPPORTED;
	}
}
