/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * TA-to-TA caller: uses TEE_OpenTASession / TEE_InvokeTACommand / TEE_CloseTASession on
 * the counter TA with value and memref parameters (the memref pointing into this TA's
 * own heap), keeps a session across invocations, and reports what opening a missing TA
 * returns.
 */
#include <counter_ta.h>
#include <ta2ta_ta.h>
#include <tee_internal_api.h>

static const TEE_UUID counter_uuid = TA_COUNTER_UUID;

TEE_Result TA_CreateEntryPoint(void)
{
	return TEE_SUCCESS;
}

void TA_DestroyEntryPoint(void)
{
}

static TEE_Result open_counter(uint32_t start, TEE_TASessionHandle *sess)
{
	TEE_Param p[TEE_NUM_PARAMS];
	uint32_t origin = 0;
	TEE_Result res;

	TEE_MemFill(p, 0, sizeof(p));
	p[0].value.a = start;
	res = TEE_OpenTASession(&counter_uuid, TEE_TIMEOUT_INFINITE,
				TEE_PARAM_TYPES(TEE_PARAM_TYPE_VALUE_INPUT, TEE_PARAM_TYPE_NONE,
						TEE_PARAM_TYPE_NONE, TEE_PARAM_TYPE_NONE),
				p, sess, &origin);
	if (res != TEE_SUCCESS) {
		EMSG("TEE_OpenTASession(counter): 0x%x origin %u", res, origin);
	}
	return res;
}

static TEE_Result counter_inc(TEE_TASessionHandle sess, uint32_t *a, uint32_t *count)
{
	TEE_Param p[TEE_NUM_PARAMS];
	uint32_t origin = 0;
	TEE_Result res;

	TEE_MemFill(p, 0, sizeof(p));
	p[0].value.a = *a;
	res = TEE_InvokeTACommand(sess, TEE_TIMEOUT_INFINITE, TA_COUNTER_CMD_INC,
				  TEE_PARAM_TYPES(TEE_PARAM_TYPE_VALUE_INOUT, TEE_PARAM_TYPE_NONE,
						  TEE_PARAM_TYPE_NONE, TEE_PARAM_TYPE_NONE),
				  p, &origin);
	if (res == TEE_SUCCESS) {
		*a = p[0].value.a;
		*count = p[0].value.b;
	}
	return res;
}

TEE_Result TA_OpenSessionEntryPoint(uint32_t param_types, TEE_Param params[TEE_NUM_PARAMS],
				    void **sess_ctx)
{
	TEE_TASessionHandle sess = TEE_HANDLE_NULL;
	TEE_Result res;

	(void)param_types;
	(void)params;
	res = open_counter(1000, &sess);
	if (res != TEE_SUCCESS) {
		return res;
	}
	*sess_ctx = sess;
	return TEE_SUCCESS;
}

void TA_CloseSessionEntryPoint(void *sess_ctx)
{
	TEE_CloseTASession(sess_ctx);
}

static TEE_Result cmd_oneshot(TEE_Param params[TEE_NUM_PARAMS])
{
	TEE_TASessionHandle sess = TEE_HANDLE_NULL;
	uint32_t a = params[0].value.a, count = 0;
	TEE_Result res = open_counter(0, &sess);

	if (res != TEE_SUCCESS) {
		return res;
	}
	for (uint32_t i = 0; i < params[0].value.b && res == TEE_SUCCESS; i++) {
		res = counter_inc(sess, &a, &count);
	}
	TEE_CloseTASession(sess);
	params[0].value.a = a;
	params[0].value.b = count;
	return res;
}

static TEE_Result cmd_fill(TEE_TASessionHandle sess, TEE_Param params[TEE_NUM_PARAMS])
{
	TEE_Param p[TEE_NUM_PARAMS];
	size_t len = params[0].memref.size;
	uint32_t origin = 0;
	void *buf = TEE_Malloc(len ? len : 1, TEE_MALLOC_FILL_ZERO);
	TEE_Result res;

	if (!buf) {
		return TEE_ERROR_OUT_OF_MEMORY;
	}
	TEE_MemFill(p, 0, sizeof(p));
	p[0].memref.buffer = buf;
	p[0].memref.size = len;
	p[1].value.a = params[1].value.a;
	res = TEE_InvokeTACommand(sess, TEE_TIMEOUT_INFINITE, TA_COUNTER_CMD_FILL,
				  TEE_PARAM_TYPES(TEE_PARAM_TYPE_MEMREF_OUTPUT,
						  TEE_PARAM_TYPE_VALUE_INPUT, TEE_PARAM_TYPE_NONE,
						  TEE_PARAM_TYPE_NONE),
				  p, &origin);
	if (res == TEE_SUCCESS) {
		TEE_MemMove(params[0].memref.buffer, buf, len);
	}
	TEE_Free(buf);
	return res;
}

static TEE_Result cmd_missing(TEE_Param params[TEE_NUM_PARAMS])
{
	static const TEE_UUID nobody = {
		0x0badc0de, 0x0000, 0x4000, { 0x80, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01 }
	};
	TEE_TASessionHandle sess = TEE_HANDLE_NULL;
	uint32_t origin = 0;
	TEE_Result res = TEE_OpenTASession(&nobody, TEE_TIMEOUT_INFINITE, 0, NULL, &sess, &origin);

	if (res == TEE_SUCCESS) {
		TEE_CloseTASession(sess);
	}
	params[0].value.a = res;
	params[0].value.b = origin;
	return TEE_SUCCESS;
}

TEE_Result TA_InvokeCommandEntryPoint(void *sess_ctx, uint32_t cmd_id, uint32_t param_types,
				      TEE_Param params[TEE_NUM_PARAMS])
{
	const uint32_t inout = TEE_PARAM_TYPES(TEE_PARAM_TYPE_VALUE_INOUT, TEE_PARAM_TYPE_NONE,
					       TEE_PARAM_TYPE_NONE, TEE_PARAM_TYPE_NONE);
	uint32_t a = 0, count = 0;
	TEE_Result res;

	switch (cmd_id) {
	case TA_TA2TA_CMD_KEPT_INC:
		if (param_types != inout) {
			return TEE_ERROR_BAD_PARAMETERS;
		}
		a = params[0].value.a;
		res = counter_inc(sess_ctx, &a, &count);
		params[0].value.a = a;
		params[0].value.b = count;
		return res;
	case TA_TA2TA_CMD_ONESHOT:
		if (param_types != inout) {
			return TEE_ERROR_BAD_PARAMETERS;
		}
		return cmd_oneshot(params);
	case TA_TA2TA_CMD_FILL:
		if (param_types != TEE_PARAM_TYPES(TEE_PARAM_TYPE_MEMREF_OUTPUT,
						   TEE_PARAM_TYPE_VALUE_INPUT, TEE_PARAM_TYPE_NONE,
						   TEE_PARAM_TYPE_NONE)) {
			return TEE_ERROR_BAD_PARAMETERS;
		}
		return cmd_fill(sess_ctx, params);
	case TA_TA2TA_CMD_MISSING:
		if (param_types != TEE_PARAM_TYPES(TEE_PARAM_TYPE_VALUE_OUTPUT, TEE_PARAM_TYPE_NONE,
						   TEE_PARAM_TYPE_NONE, TEE_PARAM_TYPE_NONE)) {
			return TEE_ERROR_BAD_PARAMETERS;
		}
		return cmd_missing(params);
	default:
		return TEE_ERROR_NOT_SUPPORTED;
	}
}
