/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * tee_invoke_supp_plugin() (OP-TEE extension): a TA asks a normal-world plugin
 * (<uuid>.plugin, tee-supplicant/plugins) to process a buffer. The request goes to the core
 * (CORE_CMD_PLUGIN_INVOKE), which relays it to the client whose call is running in this
 * instance; that client's libteec runs the plugin. Nothing normal-world is ever loaded
 * here. The answer is untrusted: its length is checked against the TA's buffer before
 * anything is copied into it.
 */
#include <string.h>
#include <tee_internal_api.h>
#include <tee_internal_api_extensions.h>

#include "host.h"
#include "ta_host_rpc.h"
#include "tee_msg.h"
#include "uuid.h"

#define CORE_CMD_PLUGIN_INVOKE 0x0300u /* tee/core/core_services.h */

/* Only the TA thread calls in (ta_host__core_call's contract). */
static uint8_t g_msg[sizeof(struct tee_msg_plugin_req) + TEE_MSG_PLUGIN_MAX_DATA];

TEE_Result tee_invoke_supp_plugin(const TEE_UUID *uuid, uint32_t cmd, uint32_t sub_cmd, void *buf,
				  size_t len, size_t *outlen)
{
	struct tee_msg_plugin_req req;
	struct tee_msg_plugin_rsp rsp;
	struct tzm__uuid u;
	size_t resp_len = 0;
	TEE_Result res;

	/* a buffer and its length come together or not at all (OP-TEE's rule) */
	if (!uuid || (len && !buf) || (!len && buf)) {
		return TEE_ERROR_BAD_PARAMETERS;
	}
	if (len > TEE_MSG_PLUGIN_MAX_DATA) {
		host_log(TRACE_ERROR, "tee_invoke_supp_plugin: %zu bytes: at most %u per call", len,
			 TEE_MSG_PLUGIN_MAX_DATA);
		return TEE_ERROR_BAD_PARAMETERS;
	}
	if (len && TEE_CheckMemoryAccessRights(TEE_MEMORY_ACCESS_READ | TEE_MEMORY_ACCESS_WRITE |
						       TEE_MEMORY_ACCESS_ANY_OWNER,
					       buf, len) != TEE_SUCCESS) {
		return TEE_ERROR_ACCESS_DENIED;
	}
	memset(&req, 0, sizeof(req));
	u.time_low = uuid->timeLow;
	u.time_mid = uuid->timeMid;
	u.time_hi = uuid->timeHiAndVersion;
	memcpy(u.clock_seq_node, uuid->clockSeqAndNode, 8);
	tzm__uuid_to_bytes(&u, req.uuid);
	req.cmd = cmd;
	req.sub_cmd = sub_cmd;
	req.len = (uint32_t)len;
	memcpy(g_msg, &req, sizeof(req));
	if (len) {
		memcpy(g_msg + sizeof(req), buf, len);
	}
	res = ta_host__core_call(CORE_CMD_PLUGIN_INVOKE, g_msg, sizeof(req) + len, g_msg,
				 sizeof(g_msg), &resp_len);
	if (resp_len < sizeof(rsp)) {
		return res == TEE_SUCCESS ? TEE_ERROR_COMMUNICATION : res;
	}
	memcpy(&rsp, g_msg, sizeof(rsp));
	if (rsp.out_len > len || resp_len - sizeof(rsp) != rsp.out_len) {
		return TEE_ERROR_COMMUNICATION;
	}
	if (rsp.out_len) {
		memcpy(buf, g_msg + sizeof(rsp), rsp.out_len);
	}
	if (outlen) {
		*outlen = rsp.out_len;
	}
	return res;
}
