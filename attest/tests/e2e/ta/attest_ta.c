/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Attestation test TA: hands the client a CCA-format token for a client-chosen challenge
 * and extends its run-time measurements on request, through the TA attestation API.
 */
#include <attest_ta.h>
#include <tee_internal_api.h>
#include <tzm_attest_ta.h>

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
	(void)params;
	(void)sess_ctx;
	return param_types == 0 ? TEE_SUCCESS : TEE_ERROR_BAD_PARAMETERS;
}

void TA_CloseSessionEntryPoint(void *sess_ctx)
{
	(void)sess_ctx;
}

static TEE_Result cmd_token(uint32_t types, TEE_Param p[TEE_NUM_PARAMS])
{
	uint8_t challenge[TZM_ATTEST_TA_CHALLENGE_LEN];
	size_t len = 0;
	TEE_Result res;

	if (types != TEE_PARAM_TYPES(TEE_PARAM_TYPE_MEMREF_INPUT, TEE_PARAM_TYPE_MEMREF_OUTPUT,
				     TEE_PARAM_TYPE_NONE, TEE_PARAM_TYPE_NONE) ||
	    p[0].memref.size != sizeof(challenge)) {
		return TEE_ERROR_BAD_PARAMETERS;
	}
	/* Copy the challenge out of shared memory once: the client could change it. */
	TEE_MemMove(challenge, p[0].memref.buffer, sizeof(challenge));
	len = p[1].memref.size;
	res = tzm_attest_token(challenge, p[1].memref.buffer, &len);
	if (res == TEE_SUCCESS || res == TEE_ERROR_SHORT_BUFFER) {
		p[1].memref.size = len;
	}
	return res;
}

static TEE_Result cmd_extend(uint32_t types, TEE_Param p[TEE_NUM_PARAMS])
{
	uint8_t data[TZM_ATTEST_TA_MAX_EXTEND];
	size_t len = 0;

	if (types != TEE_PARAM_TYPES(TEE_PARAM_TYPE_VALUE_INPUT, TEE_PARAM_TYPE_MEMREF_INPUT,
				     TEE_PARAM_TYPE_NONE, TEE_PARAM_TYPE_NONE) ||
	    p[1].memref.size > sizeof(data)) {
		return TEE_ERROR_BAD_PARAMETERS;
	}
	len = p[1].memref.size;
	TEE_MemMove(data, p[1].memref.buffer, len);
	return tzm_attest_extend(p[0].value.a, data, len);
}

TEE_Result TA_InvokeCommandEntryPoint(void *sess_ctx, uint32_t cmd, uint32_t param_types,
				      TEE_Param params[TEE_NUM_PARAMS])
{
	(void)sess_ctx;
	switch (cmd) {
	case TA_ATTEST_CMD_TOKEN:
		return cmd_token(param_types, params);
	case TA_ATTEST_CMD_EXTEND:
		return cmd_extend(param_types, params);
	default:
		return TEE_ERROR_NOT_SUPPORTED;
	}
}
