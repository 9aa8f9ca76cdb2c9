// SPDX-License-Identifier: BSD-2-Clause
/*
 * Attestation API for Trusted Applications (exported by tzm-ta-host, like the GP
 * Internal Core API). A TA gets a CCA-format token (see attest/README.md) that binds a
 * caller-chosen challenge to the TA's measurement, its run-time measurements and its UUID,
 * signed by a key that only this TA instance holds, itself vouched for by the platform key.
 * On genuine OP-TEE (libtzm's mediator/optee build) the same call returns a different,
 * non-CCA token: OP-TEE's attestation PTA's signed measurement of the TA
 * (tzm_attest_optee.h), and tzm_attest_extend() returns TEE_ERROR_NOT_SUPPORTED.
 *
 *     uint8_t tok[4096]; size_t len = sizeof(tok);
 *     tzm_attest_extend(1, config_digest, 32);         // optional, before attesting
 *     res = tzm_attest_token(nonce, tok, &len);        // nonce: 64 bytes from the verifier
 */
#ifndef TZM_ATTEST_TA_H
#define TZM_ATTEST_TA_H

#include <stddef.h>
#include <stdint.h>

#include <tee_api_types.h>

#ifdef __cplusplus
extern "C" {
#endif

#define TZM_ATTEST_TA_CHALLENGE_LEN 64
#define TZM_ATTEST_TA_NUM_REMS 4    /* REM indices 1..4, as RSI MEASUREMENT_EXTEND */
#define TZM_ATTEST_TA_MAX_EXTEND 64 /* bytes per extend; hash larger data first */

/*
 * Writes the token for this TA instance into buf. *len: [in] capacity of buf, [out] token
 * size. Returns TEE_SUCCESS; TEE_ERROR_SHORT_BUFFER with *len = the size needed (buf
 * untouched); TEE_ERROR_BAD_PARAMETERS if challenge or len is NULL (or buf is NULL with a
 * non-zero *len); TEE_ERROR_COMMUNICATION if the TEE core fails; TEE_ERROR_OUT_OF_MEMORY.
 */
TEE_Result tzm_attest_token(const uint8_t challenge[TZM_ATTEST_TA_CHALLENGE_LEN], void *buf,
			    size_t *len);

/*
 * Extends run-time measurement rem_index (1..4, claim 44239 element rem_index - 1):
 * REM = SHA-256(REM || data). len must be 1..TZM_ATTEST_TA_MAX_EXTEND.
 * Returns TEE_SUCCESS or TEE_ERROR_BAD_PARAMETERS / TEE_ERROR_COMMUNICATION.
 */
TEE_Result tzm_attest_extend(uint32_t rem_index, const void *data, size_t len);

#ifdef __cplusplus
}
#endif

#endif
