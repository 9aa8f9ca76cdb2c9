// SPDX-License-Identifier: BSD-2-Clause
/*
 * tzm_attest_token() on genuine OP-TEE (attest/include/tzm_attest_ta.h): the same call as
 * on the emulated TEE, but OP-TEE has no CCA token. It asks OP-TEE's attestation PTA
 * (optee_os CFG_ATTESTATION_PTA=y) for PTA_ATTESTATION_HASH_TA_MEMORY with the caller's
 * challenge as the nonce — SHA-256 of this TA's read-only memory and the PTA key's
 * RSASSA-PSS signature over SHA-256(nonce | hash) — and returns it as a "tzm-optee-pta"
 * token (attest/include/tzm_attest_optee.h; verified by tzm_attest_optee_verify()).
 * The PTA answers that command only to a TA and only about the calling TA itself.
 */
#include <string.h>

#include <pta_attestation.h>
#include <tee_internal_api.h>

#include "tzm_attest_optee.h"
#include "tzm_attest_ta.h"
#include "../../ta/tzm_int.h"

/* measurement (32) + signature (modulus size, at most 512) */
#define PTA_OUT_MAX (TZM_ATTEST_OPTEE_DIGEST_LEN + TZM_ATTEST_OPTEE_MAX_SIG)

static void put_be16(uint8_t *p, size_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

TEE_Result tzm_attest_token(const uint8_t challenge[TZM_ATTEST_TA_CHALLENGE_LEN], void *buf,
			    size_t *len)
{
	static const TEE_UUID pta = PTA_ATTESTATION_UUID;
	static uint8_t nonce[TZM_ATTEST_TA_CHALLENGE_LEN];
	static uint8_t out[PTA_OUT_MAX];
	TEE_TASessionHandle sess = TEE_HANDLE_NULL;
	TEE_Param params[TEE_NUM_PARAMS];
	uint32_t origin = 0;
	TEE_Result res;

	if (challenge == NULL || len == NULL || (buf == NULL && *len != 0)) {
		return TEE_ERROR_BAD_PARAMETERS;
	}
	/* one TA-private copy: the nonce put in the token is the one the PTA signed */
	memcpy(nonce, challenge, sizeof(nonce));
	res = TEE_OpenTASession(&pta, TEE_TIMEOUT_INFINITE, 0, NULL, &sess, &origin);
	if (res != TEE_SUCCESS) {
		tzm__log("tzm_attest_token: attestation PTA unavailable (0x%08x, origin %u): "
			 "optee_os needs CFG_ATTESTATION_PTA=y",
			 (unsigned)res, (unsigned)origin);
		return res == TEE_ERROR_ITEM_NOT_FOUND ? TEE_ERROR_NOT_SUPPORTED
						       : TEE_ERROR_COMMUNICATION;
	}
	memset(params, 0, sizeof(params));
	params[0].memref.buffer = nonce;
	params[0].memref.size = sizeof(nonce);
	params[1].memref.buffer = out;
	params[1].memref.size = sizeof(out);
	res = TEE_InvokeTACommand(sess, TEE_TIMEOUT_INFINITE, PTA_ATTESTATION_HASH_TA_MEMORY,
				  TEE_PARAM_TYPES(TEE_PARAM_TYPE_MEMREF_INPUT,
						  TEE_PARAM_TYPE_MEMREF_OUTPUT, TEE_PARAM_TYPE_NONE,
						  TEE_PARAM_TYPE_NONE),
				  params, &origin);
	TEE_CloseTASession(sess);
	if (res != TEE_SUCCESS) {
		tzm__log("tzm_attest_token: PTA_ATTESTATION_HASH_TA_MEMORY failed (0x%08x)",
			 (unsigned)res);
		return TEE_ERROR_COMMUNICATION;
	}
	/* validate what the PTA wrote before using it as a length */
	size_t got = params[1].memref.size;
	if (got < TZM_ATTEST_OPTEE_DIGEST_LEN + TZM_ATTEST_OPTEE_MIN_SIG || got > sizeof(out)) {
		tzm__log("tzm_attest_token: unexpected PTA answer of %zu bytes", got);
		return TEE_ERROR_COMMUNICATION;
	}
	size_t sig_len = got - TZM_ATTEST_OPTEE_DIGEST_LEN;
	size_t need = TZM_ATTEST_OPTEE_HEADER_LEN + sizeof(nonce) + got;
	if (*len < need || buf == NULL) {
		*len = need;
		return TEE_ERROR_SHORT_BUFFER;
	}
	uint8_t *p = buf;
	memcpy(p, TZM_ATTEST_OPTEE_MAGIC, 4);
	p[4] = TZM_ATTEST_OPTEE_FORMAT_VERSION;
	p[5] = TZM_ATTEST_OPTEE_KIND_TA_MEMORY;
	put_be16(p + 6, sizeof(nonce));
	put_be16(p + 8, sig_len);
	put_be16(p + 10, 0);
	memcpy(p + TZM_ATTEST_OPTEE_HEADER_LEN, nonce, sizeof(nonce));
	memcpy(p + TZM_ATTEST_OPTEE_HEADER_LEN + sizeof(nonce), out, got);
	*len = need;
	return TEE_SUCCESS;
}

/* OP-TEE has no run-time measurement registers a TA could extend. */
TEE_Result tzm_attest_extend(uint32_t rem_index, const void *data, size_t len)
{
	(void)rem_index;
	(void)data;
	(void)len;
	tzm__log("tzm_attest_extend: not supported on OP-TEE (no run-time measurements)");
	return TEE_ERROR_NOT_SUPPORTED;
}
