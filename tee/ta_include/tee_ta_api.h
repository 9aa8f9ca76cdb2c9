/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The entry points a TA defines (GP TEE Internal Core API 1.3.1), under the header name
 * OP-TEE TAs include. With __OPTEE_CORE_API_COMPAT_1_1 the two that take parameters are
 * named __GP11_TA_* and use the GP 1.1 parameter layout; tzm-ta-host looks up either name.
 */
#ifndef TEE_TA_API_H
#define TEE_TA_API_H

#include <tee_api_defines.h>
#include <tee_api_types.h>

#ifdef __cplusplus
extern "C" {
#endif

#ifdef __OPTEE_CORE_API_COMPAT_1_1
#define TA_OpenSessionEntryPoint __GP11_TA_OpenSessionEntryPoint
#define TA_InvokeCommandEntryPoint __GP11_TA_InvokeCommandEntryPoint
#endif

TEE_Result TA_CreateEntryPoint(void);
void TA_DestroyEntryPoint(void);
TEE_Result TA_OpenSessionEntryPoint(uint32_t paramTypes, TEE_Param params[TEE_NUM_PARAMS],
				    void **sessionContext);
void TA_CloseSessionEntryPoint(void *sessionContext);
TEE_Result TA_InvokeCommandEntryPoint(void *sessionContext, uint32_t commandID, uint32_t paramTypes,
				      TEE_Param params[TEE_NUM_PARAMS]);

#ifdef __cplusplus
}
#endif

#endif
