/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * tee_plugin's TA: hands the client's buffer to a supplicant plugin through
 * tee_invoke_supp_plugin() (OP-TEE extension) and returns what came back.
 */
#include <plugin_test_ta.h>
#include <tee_internal_api.h>
#include <tee_internal_api_extensions.h>

TEE_Result TA_CreateEntryPoint(void)
{
	return TEE_SUCCESS;
}

void TA_DestroyEntryPoint(void)
{
}

TEE_Result TA_OpenSessionEntryPoint(uint32_t types, TEE_Param params[4], void **sess)
{
	(void)types;
	(void)params;
	(void)sess;
	return TEE_SUCCESS;
}

void TA_CloseSessionEntryPoint(void *sess)
{
	(void)sess;
}

TEE_Result TA_InvokeCommandEntryPoint(void *sess, uint32_t cmd, uint32_t types, TEE_Param params[4])
{
	const TEE_UUID test_plugin = TEST_PLUGIN_UUID, missing = MISSING_PLUGIN_UUID;
	const uint32_t want =
		TEE_PARAM_TYPES(TEE_PARAM_TYPE_VALUE_INPUT, TEE_PARAM_TYPE_MEMREF_INOUT,
				TEE_PARAM_TYPE_VALUE_OUTPUT, TEE_PARAM_TYPE_NONE);
	size_t len, outlen = 0;
	TEE_Result res;
	void *buf;

	(void)sess;
	if (cmd == TA_PLUGIN_TEST_CMD_CALL_LOCAL &&
	    types == TEE_PARAM_TYPES(TEE_PARAM_TYPE_VALUE_INPUT, TEE_PARAM_TYPE_VALUE_OUTPUT,
				     TEE_PARAM_TYPE_NONE, TEE_PARAM_TYPE_NONE)) {
		char local[8] = { 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h' };

		res = tee_invoke_supp_plugin(&test_plugin, params[0].value.b, TEST_PLUGIN_SUB_CMD,
					     local, sizeof(local), &outlen);
		params[1].value.a = (uint32_t)outlen;
		TEE_MemMove(&params[1].value.b, local, 4);
		return res;
	}
	if (cmd != TA_PLUGIN_TEST_CMD_CALL || types != want) {
		return TEE_ERROR_BAD_PARAMETERS;
	}
	len = params[1].memref.size;
	buf = TEE_Malloc(len ? len : 1, TEE_MALLOC_FILL_ZERO);
	if (!buf) {
		return TEE_ERROR_OUT_OF_MEMORY;
	}
	TEE_MemMove(buf, params[1].memref.buffer, len);
	res = tee_invoke_supp_plugin(params[0].value.a ? &missing : &test_plugin, params[0].value.b,
				     TEST_PLUGIN_SUB_CMD, buf, len, &outlen);
	if (res == TEE_SUCCESS) {
		TEE_MemMove(params[1].memref.buffer, buf, outlen);
		params[1].memref.size = outlen;
	}
	params[2].value.a = (uint32_t)outlen;
	TEE_Free(buf);
	return res;
}
