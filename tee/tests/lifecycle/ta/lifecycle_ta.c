/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Lifecycle test TA (see lifecycle_ta.h): reports the client identity the TEE derived
 * from the login method, counts calls per instance (keep-alive: the count survives the
 * last session), and traces at every level so the host can check CFG_TEE_TA_LOG_LEVEL.
 * Written the OP-TEE way, with compiler.h's __unused and __maybe_unused.
 */
#include <lifecycle_ta.h>
#include <string.h>
#include <tee_internal_api.h>

static uint32_t calls;
static uint32_t sessions;

TEE_Result TA_CreateEntryPoint(void)
{
	return TEE_SUCCESS;
}

void TA_DestroyEntryPoint(void)
{
}

TEE_Result TA_OpenSessionEntryPoint(uint32_t param_types __unused,
				    TEE_Param params[TEE_NUM_PARAMS] __unused,
				    void **sess_ctx __unused)
{
	sessions++;
	return TEE_SUCCESS;
}

void TA_CloseSessionEntryPoint(void *sess_ctx __unused)
{
}

static TEE_Result cmd_identity(TEE_Param *p)
{
	TEE_Identity id;
	uint8_t *out = p->memref.buffer;
	TEE_Result res;

	if (p->memref.size < TA_LIFE_IDENTITY_SIZE) {
		p->memref.size = TA_LIFE_IDENTITY_SIZE;
		return TEE_ERROR_SHORT_BUFFER;
	}
	res = TEE_GetPropertyAsIdentity(TEE_PROPSET_CURRENT_CLIENT, "gpd.client.identity", &id);
	if (res != TEE_SUCCESS) {
		EMSG("gpd.client.identity: 0x%x", res);
		return res;
	}
	memcpy(out, &id.login, 4);
	out[4] = (uint8_t)(id.uuid.timeLow >> 24);
	out[5] = (uint8_t)(id.uuid.timeLow >> 16);
	out[6] = (uint8_t)(id.uuid.timeLow >> 8);
	out[7] = (uint8_t)id.uuid.timeLow;
	out[8] = (uint8_t)(id.uuid.timeMid >> 8);
	out[9] = (uint8_t)id.uuid.timeMid;
	out[10] = (uint8_t)(id.uuid.timeHiAndVersion >> 8);
	out[11] = (uint8_t)id.uuid.timeHiAndVersion;
	memcpy(out + 12, id.uuid.clockSeqAndNode, 8);
	p->memref.size = TA_LIFE_IDENTITY_SIZE;
	return TEE_SUCCESS;
}

TEE_Result TA_InvokeCommandEntryPoint(void *sess_ctx __maybe_unused, uint32_t cmd_id,
				      uint32_t param_types, TEE_Param params[TEE_NUM_PARAMS])
{
	switch (cmd_id) {
	case TA_LIFE_CMD_IDENTITY:
		if (param_types != TEE_PARAM_TYPES(TEE_PARAM_TYPE_MEMREF_OUTPUT,
						   TEE_PARAM_TYPE_NONE, TEE_PARAM_TYPE_NONE,
						   TEE_PARAM_TYPE_NONE)) {
			return TEE_ERROR_BAD_PARAMETERS;
		}
		return cmd_identity(&params[0]);
	case TA_LIFE_CMD_COUNT:
		if (param_types != TEE_PARAM_TYPES(TEE_PARAM_TYPE_VALUE_OUTPUT, TEE_PARAM_TYPE_NONE,
						   TEE_PARAM_TYPE_NONE, TEE_PARAM_TYPE_NONE)) {
			return TEE_ERROR_BAD_PARAMETERS;
		}
		params[0].value.a = ++calls;
		params[0].value.b = sessions;
		return TEE_SUCCESS;
	case TA_LIFE_CMD_TRACE:
		if (param_types != TEE_PARAM_TYPES(TEE_PARAM_TYPE_VALUE_INPUT, TEE_PARAM_TYPE_NONE,
						   TEE_PARAM_TYPE_NONE, TEE_PARAM_TYPE_NONE)) {
			return TEE_ERROR_BAD_PARAMETERS;
		}
		EMSG("lifecycle-trace E %u", params[0].value.a);
		IMSG("lifecycle-trace I %u", params[0].value.a);
		DMSG("lifecycle-trace D %u", params[0].value.a);
		FMSG("lifecycle-trace F %u", params[0].value.a);
		return TEE_SUCCESS;
	default:
		return TEE_ERROR_NOT_SUPPORTED;
	}
}
