/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Extensions to the Internal Core API. The OP-TEE ones TAs commonly call, and tzmediator's
 * own TZM_* functions (not in OP-TEE) used by the mediator's TA-side library.
 */
#ifndef TEE_INTERNAL_API_EXTENSIONS_H
#define TEE_INTERNAL_API_EXTENSIONS_H

#include <tee_api_defines_extensions.h>
#include <tee_api_types.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Cache maintenance (OP-TEE). The emulated TEE shares memory through coherent host
 * mappings, so these only check that the range is accessible to the TA.
 */
TEE_Result TEE_CacheClean(char *buf, size_t len);
TEE_Result TEE_CacheFlush(char *buf, size_t len);
TEE_Result TEE_CacheInvalidate(char *buf, size_t len);

/*
 * Cross-process futex on shared memory of the current operation (a memref parameter of the
 * command being executed, backed by a MAP_SHARED memfd page), so that a TA and its normal
 * world peer can sleep and wake each other without a round trip through the TEE core.
 *
 * TZM_FutexWait sleeps while *addr == expected, up to timeout_ms (TEE_TIMEOUT_INFINITE for
 * no limit). Returns TEE_SUCCESS when woken or when *addr != expected, TEE_ERROR_TIMEOUT,
 * TEE_ERROR_CANCEL if the current operation is cancelled and cancellation is not masked,
 * TEE_ERROR_BAD_PARAMETERS if addr is misaligned or not inside a shared memref of the
 * current operation.
 * TZM_FutexWake wakes up to count waiters on addr (same address rule).
 */
TEE_Result TZM_FutexWait(volatile uint32_t *addr, uint32_t expected, uint32_t timeout_ms);
TEE_Result TZM_FutexWake(volatile uint32_t *addr, uint32_t count);

/*
 * OP-TEE extension: asks the normal-world supplicant plugin uuid (<uuid>.plugin) to run
 * cmd/sub_cmd on buf (len bytes, in and out); *outlen (may be NULL) gets the bytes of
 * output. In tzmediator the client whose call is running in this TA runs the plugin, so
 * it works from TA_OpenSessionEntryPoint and TA_InvokeCommandEntryPoint of a client's
 * call (not from TA-to-TA calls: TEE_ERROR_NOT_SUPPORTED). At most 60 KiB per call.
 */
TEE_Result tee_invoke_supp_plugin(const TEE_UUID *uuid, uint32_t cmd, uint32_t sub_cmd, void *buf,
				  size_t len, size_t *outlen);

#ifdef __cplusplus
}
#endif

#endif
