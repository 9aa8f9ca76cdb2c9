/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Counter test TA (GP 1.3.1 API): value parameters in and out, per-session state (a
 * counter in the session context) and per-instance state (sessions opened), and checks of
 * its own properties. Single instance, multi-session.
 */
#include <counter_ta.h>
#include <string.h>
#include <tee_internal_api.h>
#include <tee_internal_api_extensions.h>

struct counter_session {
	uint32_t count;
};

/* Instance state: shared by every session of the single instance. */
static uint32_t sessions_opened;

TEE_Result TA_CreateEntryPoint(void)
{
	DMSG("counter TA instance created");
	return TEE_SUCCESS;
}

void TA_DestroyEntryPoint(void)
{
	DMSG("counter TA instance destroyed after %u sessions", sessions_opened);
}

TEE_Result TA_OpenSessionEntryPoint(uint32_t param_types, TEE_Param params[TEE_NUM_PARAMS],
				    void **sess_ctx)
{
	struct counter_session *s = NULL;
	const uint32_t with_init = TEE_PARAM_TYPES(TEE_PARAM_TYPE_VALUE_INPUT, TEE_PARAM_TYPE_NONE,
						   TEE_PARAM_TYPE_NONE, TEE_PARAM_TYPE_NONE);

	if (param_types != with_init && param_types != 0) {
		return TEE_ERROR_BAD_PARAMETERS;
	}
	s = TEE_Malloc(sizeof(*s), TEE_MALLOC_FILL_ZERO);
	if (!s) {
		return TEE_ERROR_OUT_OF_MEMORY;
	}
	if (param_types == with_init) {
		s->count = params[0].value.a;
	}
	sessions_opened++;
	*sess_ctx = s;
	IMSG("counter session opened (start %u)", s->count);
	return TEE_SUCCESS;
}

void TA_CloseSessionEntryPoint(void *sess_ctx)
{
	TEE_Free(sess_ctx);
}

static TEE_Result cmd_self(uint32_t param_types, TEE_Param params[TEE_NUM_PARAMS])
{
	const TEE_UUID want = TA_COUNTER_UUID;
	TEE_UUID uuid;
	TEE_Identity client;
	uint32_t data_size = 0;
	TEE_Result res;

	if (param_types != TEE_PARAM_TYPES(TEE_PARAM_TYPE_VALUE_OUTPUT, TEE_PARAM_TYPE_NONE,
					   TEE_PARAM_TYPE_NONE, TEE_PARAM_TYPE_NONE)) {
		return TEE_ERROR_BAD_PARAMETERS;
	}
	res = TEE_GetPropertyAsU32(TEE_PROPSET_CURRENT_TA, "gpd.ta.dataSize", &data_size);
	if (res != TEE_SUCCESS) {
		EMSG("gpd.ta.dataSize: 0x%x", res);
		return res;
	}
	res = TEE_GetPropertyAsUUID(TEE_PROPSET_CURRENT_TA, "gpd.ta.appID", &uuid);
	if (res != TEE_SUCCESS) {
		EMSG("gpd.ta.appID: 0x%x", res);
		return res;
	}
	res = TEE_GetPropertyAsIdentity(TEE_PROPSET_CURRENT_CLIENT, "gpd.client.identity", &client);
	if (res != TEE_SUCCESS) {
		EMSG("gpd.client.identity: 0x%x", res);
		return res;
	}
	params[0].value.a = data_size;
	params[0].value.b =
		memcmp(&uuid, &want, sizeof(want)) == 0 &&
		(client.login == TEE_LOGIN_PUBLIC || client.login == TEE_LOGIN_TRUSTED_APP);
	return TEE_SUCCESS;
}

static TEE_Result cmd_fill(uint32_t param_types, TEE_Param params[TEE_NUM_PARAMS])
{
	uint8_t *p = NULL;

	if (param_types != TEE_PARAM_TYPES(TEE_PARAM_TYPE_MEMREF_OUTPUT, TEE_PARAM_TYPE_VALUE_INPUT,
					   TEE_PARAM_TYPE_NONE, TEE_PARAM_TYPE_NONE)) {
		return TEE_ERROR_BAD_PARAMETERS;
	}
	p = params[0].memref.buffer;
	for (size_t i = 0; i < params[0].memref.size; i++) {
		p[i] = (uint8_t)(params[1].value.a + i);
	}
	return TEE_SUCCESS;
}

TEE_Result TA_InvokeCommandEntryPoint(void *sess_ctx, uint32_t cmd_id, uint32_t param_types,
				      TEE_Param params[TEE_NUM_PARAMS])
{
	struct counter_session *s = sess_ctx;

	switch (cmd_id) {
	case TA_COUNTER_CMD_INC:
		if (param_types != TEE_PARAM_TYPES(TEE_PARAM_TYPE_VALUE_INOUT, TEE_PARAM_TYPE_NONE,
						   TEE_PARAM_TYPE_NONE, TEE_PARAM_TYPE_NONE)) {
			return TEE_ERROR_BAD_PARAMETERS;
		}
		params[0].value.a++;
		s->count++;
		params[0].value.b = s->count;
		DMSG("inc: value %u, session count %u", params[0].value.a, s->count);
		return TEE_SUCCESS;
	case TA_COUNTER_CMD_GET:
		if (param_types != TEE_PARAM_TYPES(TEE_PARAM_TYPE_VALUE_OUTPUT, TEE_PARAM_TYPE_NONE,
						   TEE_PARAM_TYPE_NONE, TEE_PARAM_TYPE_NONE)) {
			return TEE_ERROR_BAD_PARAMETERS;
		}
		params[0].value.a = s->count;
		params[0].value.b = sessions_opened;
		return TEE_SUCCESS;
	case TA_COUNTER_CMD_SELF:
		return cmd_self(param_types, params);
	case TA_COUNTER_CMD_FILL:
		return cmd_fill(param_types, params);
	default:
		return TEE_ERROR_NOT_SUPPORTED;
	}
}
