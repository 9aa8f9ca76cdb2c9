/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Generic synchronous call from TA-side code running in tzm-ta-host to tzm-teed, the base
 * on which the TA-side secure storage (objects*.c) and attestation (attest*.c) code build.
 * Command ids: 0x0100-0x01FF storage (tee/abi/tee_storage_msg.h), 0x0200-0x02FF
 * attestation. The core identifies the calling TA itself (UUID, instance, measurement);
 * nothing in the request is trusted for that.
 */
#ifndef TZM_TA_HOST_RPC_H
#define TZM_TA_HOST_RPC_H

#include <stddef.h>
#include <stdint.h>
#include <tee_api_types.h>

/*
 * [in] cmd, req/req_len (req_len <= TEE_MSG_MAX_PAYLOAD)
 * [out] resp (capacity resp_cap), *resp_len = bytes the core returned
 * Returns the core service's TEE_Result. If the response does not fit in resp_cap,
 * returns TEE_ERROR_SHORT_BUFFER with *resp_len = the size needed. Must be called from
 * the TA thread (inside an entry point). TEE_ERROR_COMMUNICATION if the core is gone.
 */
TEE_Result ta_host__core_call(uint32_t cmd, const void *req, size_t req_len, void *resp,
			      size_t resp_cap, size_t *resp_len);

#endif
