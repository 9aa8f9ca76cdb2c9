/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * TA-side attestation API (declared in attest/include/tzm_attest_ta.h, exported to TAs by
 * tzm-ta-host): packs requests for the core's attestation service (tee/core/attest.c,
 * wire format tee/abi/tee_attest_msg.h) and checks its answers before copying anything
 * into TA memory. Which TA is asking is known to the core; nothing here names it.
 */
#include <string.h>
#include <tee_api_defines.h>

#include "ta_host_rpc.h"
#include "tee_attest_msg.h"
#include "tee_msg.h"
#include "tzm_attest_ta.h"

static_assert(TAM_CHALLENGE_LEN == TZM_ATTEST_TA_CHALLENGE_LEN, "challenge size");
static_assert(TAM_MAX_EXTEND == TZM_ATTEST_TA_MAX_EXTEND, "extend size");
static_assert(TAM_MAX_TOKEN + sizeof(struct tam_token_rsp) <= TEE_MSG_MAX_PAYLOAD,
	      "a token fits one response");

/* Only the TA thread calls in (ta_host__core_call's contract), so one buffer suffices. */
static uint8_t g_resp[sizeof(struct tam_token_rsp) + TAM_MAX_TOKEN];

TEE_Result tzm_attest_token(const uint8_t challenge[TZM_ATTEST_TA_CHALLENGE_LEN], void *buf,
			    size_t *len)
{
	struct tam_token_req req;
	struct tam_token_rsp rsp;
	size_t resp_len = 0;
	TEE_Result res;

	if (!challenge || !len || (!buf && *len))
		return TEE_ERROR_BAD_PARAMETERS;
	memset(&req, 0, sizeof(req));
	req.hdr.version = TAM_VERSION;
	memcpy(req.challenge, challenge, sizeof(req.challenge));
	res = ta_host__core_call(TAM_CMD_TOKEN, &req, sizeof(req), g_resp, sizeof(g_resp),
				 &resp_len);
	if (res != TEE_SUCCESS)
		return res == TEE_ERROR_SHORT_BUFFER ? TEE_ERROR_COMMUNICATION : res;
	if (resp_len < sizeof(rsp) || resp_len > sizeof(g_resp))
		return TEE_ERROR_COMMUNICATION;
	memcpy(&rsp, g_resp, sizeof(rsp));
	/* a token is never empty: an empty one is a broken answer, not a result */
	if (rsp.version != TAM_VERSION || rsp.token_len == 0 || rsp.token_len > TAM_MAX_TOKEN ||
	    rsp.token_len != resp_len - sizeof(rsp))
		return TEE_ERROR_COMMUNICATION;
	if (*len < rsp.token_len) {
		*len = rsp.token_len;
		return TEE_ERROR_SHORT_BUFFER;
	}
	memcpy(buf, g_resp + sizeof(rsp), rsp.token_len);
	*len = rsp.token_len;
	return TEE_SUCCESS;
}

TEE_Result tzm_attest_extend(uint32_t rem_index, const void *data, size_t len)
{
	struct tam_extend_req req;
	size_t resp_len = 0;

	if (rem_index < 1 || rem_index > TAM_NUM_REMS || !data || len < 1 || len > TAM_MAX_EXTEND)
		return TEE_ERROR_BAD_PARAMETERS;
	memset(&req, 0, sizeof(req));
	req.hdr.version = TAM_VERSION;
	req.rem_index = rem_index;
	req.data_len = (uint32_t)len;
	memcpy(req.data, data, len);
	return ta_host__core_call(TAM_CMD_EXTEND, &req, sizeof(req), NULL, 0, &resp_len);
}
