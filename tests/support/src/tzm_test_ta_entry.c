/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The entry points a GP test TA has when it needs nothing done there: creation and
 * session opening succeed, destruction and session closing do nothing. They are weak: a
 * test TA defines the ones it needs (its commands always: TA_InvokeCommandEntryPoint)
 * and takes these for the rest, by listing this file among its sources
 * (${TZM_TEST_TA_ENTRY_SOURCE}).
 */
#include <tee_internal_api.h>

__attribute__((weak)) TEE_Result TA_CreateEntryPoint(void)
{
	return TEE_SUCCESS;
}

__attribute__((weak)) void TA_DestroyEntryPoint(void)
{
}

__attribute__((weak)) TEE_Result
TA_OpenSessionEntryPoint(uint32_t param_types, TEE_Param params[TEE_NUM_PARAMS], void **sess_ctx)
{
	(void)param_types;
	(void)params;
	(void)sess_ctx;
	return TEE_SUCCESS;
}

__attribute__((weak)) void TA_CloseSessionEntryPoint(void *sess_ctx)
{
	(void)sess_ctx;
}
