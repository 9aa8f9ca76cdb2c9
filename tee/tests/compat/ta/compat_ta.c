/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * API-level test TA: the same source compiled for GP 1.1 (with __OPTEE_CORE_API_COMPAT_1_1,
 * where TEE_Param.memref.size and the size arguments are uint32_t and the calls map to the
 * __GP11_ twins) and for GP 1.3.1. The static_assert proves which API each build got.
 */
#include <assert.h>
#include <compat_ta.h>
#include <counter_ta.h>
#include <tee_internal_api.h>

#ifdef __OPTEE_CORE_API_COMPAT_1_1
typedef uint32_t size_arg_t;
#define API_LEVEL 11
#else
typedef size_t size_arg_t;
#define API_LEVEL 13
#endif
static_assert(sizeof(((TEE_Param *)0)->memref.size) == sizeof(size_arg_t),
	      "TEE_Param matches the API level");

static TEE_Result cmd_reverse(TEE_Param p[TEE_NUM_PARAMS])
{
	size_arg_t n = p[0].memref.size;
	const uint8_t *in = p[0].memref.buffer;
	uint8_t *tmp = NULL;

	if (p[1].memref.size < n) {
		p[1].memref.size = n;
		return TEE_ERROR_SHORT_BUFFER;
	}
	tmp = TEE_Malloc(n ? n : 1, TEE_MALLOC_FILL_ZERO);
	if (!tmp) {
		return TEE_ERROR_OUT_OF_MEMORY;
	}
	for (size_arg_t i = 0; i < n; i++) {
		tmp[i] = in[n - 1 - i];
	}
	TEE_MemMove(p[1].memref.buffer, tmp, n);
	if (TEE_MemCompare(p[1].memref.buffer, tmp, n) != 0) {
		TEE_Free(tmp);
		return TEE_ERROR_GENERIC;
	}
	TEE_Free(tmp);
	p[1].memref.size = n;
	return TEE_SUCCESS;
}

static TEE_Result cmd_desc(TEE_Param p[TEE_NUM_PARAMS])
{
	size_arg_t len = p[0].memref.size;
	TEE_Result res = TEE_GetPropertyAsString(TEE_PROPSET_CURRENT_TA, "gpd.ta.description",
						 p[0].memref.buffer, &len);

	p[0].memref.size = len;
	return res;
}

static TEE_Result cmd_via_ta(TEE_Param p[TEE_NUM_PARAMS])
{
	const TEE_UUID counter = TA_COUNTER_UUID;
	TEE_TASessionHandle sess = TEE_HANDLE_NULL;
	TEE_Param q[TEE_NUM_PARAMS];
	size_arg_t n = p[0].memref.size;
	uint32_t origin = 0;
	uint8_t *buf = TEE_Malloc(n ? n : 1, TEE_MALLOC_FILL_ZERO);
	TEE_Result res;

	if (!buf) {
		return TEE_ERROR_OUT_OF_MEMORY;
	}
	res = TEE_OpenTASession(&counter, TEE_TIMEOUT_INFINITE, 0, NULL, &sess, &origin);
	if (res != TEE_SUCCESS) {
		goto out;
	}
	TEE_MemFill(q, 0, sizeof(q));
	q[0].memref.buffer = buf;
	q[0].memref.size = n;
	q[1].value.a = 0x61;
	res = TEE_InvokeTACommand(sess, TEE_TIMEOUT_INFINITE, TA_COUNTER_CMD_FILL,
				  TEE_PARAM_TYPES(TEE_PARAM_TYPE_MEMREF_OUTPUT,
						  TEE_PARAM_TYPE_VALUE_INPUT, TEE_PARAM_TYPE_NONE,
						  TEE_PARAM_TYPE_NONE),
				  q, &origin);
	if (res != TEE_SUCCESS) {
		goto out;
	}
	TEE_MemMove(p[0].memref.buffer, buf, n);
	TEE_MemFill(q, 0, sizeof(q));
	q[0].value.a = p[1].value.a;
	res = TEE_InvokeTACommand(sess, TEE_TIMEOUT_INFINITE, TA_COUNTER_CMD_INC,
				  TEE_PARAM_TYPES(TEE_PARAM_TYPE_VALUE_INOUT, TEE_PARAM_TYPE_NONE,
						  TEE_PARAM_TYPE_NONE, TEE_PARAM_TYPE_NONE),
				  q, &origin);
	p[1].value.a = q[0].value.a;
out:
	if (sess != TEE_HANDLE_NULL) {
		TEE_CloseTASession(sess);
	}
	TEE_Free(buf);
	return res;
}

TEE_Result TA_InvokeCommandEntryPoint(void *sess_ctx, uint32_t cmd_id, uint32_t param_types,
				      TEE_Param params[TEE_NUM_PARAMS])
{
	(void)sess_ctx;
	switch (cmd_id) {
	case TA_COMPAT_CMD_LEVEL:
		if (param_types != TEE_PARAM_TYPES(TEE_PARAM_TYPE_VALUE_OUTPUT, TEE_PARAM_TYPE_NONE,
						   TEE_PARAM_TYPE_NONE, TEE_PARAM_TYPE_NONE)) {
			return TEE_ERROR_BAD_PARAMETERS;
		}
		params[0].value.a = API_LEVEL;
		params[0].value.b = sizeof(params[0].memref.size);
		return TEE_SUCCESS;
	case TA_COMPAT_CMD_REVERSE:
		if (param_types != TEE_PARAM_TYPES(TEE_PARAM_TYPE_MEMREF_INPUT,
						   TEE_PARAM_TYPE_MEMREF_OUTPUT,
						   TEE_PARAM_TYPE_NONE, TEE_PARAM_TYPE_NONE)) {
			return TEE_ERROR_BAD_PARAMETERS;
		}
		return cmd_reverse(params);
	case TA_COMPAT_CMD_DESC:
		if (param_types != TEE_PARAM_TYPES(TEE_PARAM_TYPE_MEMREF_OUTPUT,
						   TEE_PARAM_TYPE_NONE, TEE_PARAM_TYPE_NONE,
						   TEE_PARAM_TYPE_NONE)) {
			return TEE_ERROR_BAD_PARAMETERS;
		}
		return cmd_desc(params);
	case TA_COMPAT_CMD_VIA_TA:
		if (param_types != TEE_PARAM_TYPES(TEE_PARAM_TYPE_MEMREF_OUTPUT,
						   TEE_PARAM_TYPE_VALUE_INOUT, TEE_PARAM_TYPE_NONE,
						   TEE_PARAM_TYPE_NONE)) {
			return TEE_ERROR_BAD_PARAMETERS;
		}
		return cmd_via_ta(params);
	default:
		return TEE_ERROR_NOT_SUPPORTED;
	}
}
