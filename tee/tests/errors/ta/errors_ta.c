/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Error-case test TA: heap exhaustion (handled, and fatal), a wild pointer write and
 * abort(). Each fatal case must end only this instance, with TEEC_ERROR_TARGET_DEAD.
 */
#include <errors_ta.h>
#include <stdlib.h>
#include <tee_internal_api.h>

/* Allocates 1 KiB blocks until TEE_Malloc fails, chaining them through their first word. */
static TEE_Result cmd_heap(TEE_Param params[TEE_NUM_PARAMS])
{
	void **head = NULL;
	uint32_t count = 0, flags = 0;
	void *p = NULL;

	p = TEE_Malloc(SIZE_MAX / 2, TEE_MALLOC_FILL_ZERO);
	if (!p) {
		flags |= 1;
	}
	TEE_Free(p);
	for (;;) {
		void **blk = TEE_Malloc(1024, TEE_MALLOC_FILL_ZERO);
		if (!blk) {
			break;
		}
		*blk = head;
		head = blk;
		count++;
		if (count > 1024 * 1024) {
			break; /* no bound at all: report it rather than loop for ever */
		}
	}
	while (head) {
		void **next = *head;
		TEE_Free(head);
		head = next;
	}
	p = TEE_Malloc(1024, TEE_MALLOC_FILL_ZERO);
	if (p) {
		flags |= 2;
	}
	TEE_Free(p);
	params[0].value.a = count;
	params[0].value.b = flags;
	return TEE_SUCCESS;
}

TEE_Result TA_InvokeCommandEntryPoint(void *sess_ctx, uint32_t cmd_id, uint32_t param_types,
				      TEE_Param params[TEE_NUM_PARAMS])
{
	const uint32_t vout = TEE_PARAM_TYPES(TEE_PARAM_TYPE_VALUE_OUTPUT, TEE_PARAM_TYPE_NONE,
					      TEE_PARAM_TYPE_NONE, TEE_PARAM_TYPE_NONE);
	const uint32_t vin = TEE_PARAM_TYPES(TEE_PARAM_TYPE_VALUE_INPUT, TEE_PARAM_TYPE_NONE,
					     TEE_PARAM_TYPE_NONE, TEE_PARAM_TYPE_NONE);
	volatile uint32_t *wild = NULL;

	(void)sess_ctx;
	switch (cmd_id) {
	case TA_ERRORS_CMD_PING:
		if (param_types != vout) {
			return TEE_ERROR_BAD_PARAMETERS;
		}
		params[0].value.a = 0x600d;
		return TEE_SUCCESS;
	case TA_ERRORS_CMD_HEAP:
		if (param_types != vout) {
			return TEE_ERROR_BAD_PARAMETERS;
		}
		return cmd_heap(params);
	case TA_ERRORS_CMD_OOM_PANIC:
		if (!TEE_Malloc(4 * TA_ERRORS_DATA_SIZE, TEE_MALLOC_FILL_ZERO)) {
			EMSG("out of memory: panicking");
			TEE_Panic(TEE_ERROR_OUT_OF_MEMORY);
		}
		return TEE_ERROR_GENERIC; /* the heap is not bounded */
	case TA_ERRORS_CMD_POKE:
		if (param_types != vin) {
			return TEE_ERROR_BAD_PARAMETERS;
		}
		wild = (volatile uint32_t *)(uintptr_t)params[0].value.a;
		*wild = 0xdead;
		return TEE_ERROR_GENERIC; /* the write did not fault */
	case TA_ERRORS_CMD_ABORT:
		abort();
	default:
		return TEE_ERROR_NOT_SUPPORTED;
	}
}
