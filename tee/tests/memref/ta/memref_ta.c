/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Memref test TA: reads, modifies and writes memory references so that the host can check
 * temporary, registered and allocated shared memory (whole and partial) in every
 * direction, the size write-back and TEE_ERROR_SHORT_BUFFER with the required size.
 */
#include <memref_ta.h>
#include <tee_internal_api.h>

static bool is_in(uint32_t t)
{
	return t == TEE_PARAM_TYPE_MEMREF_INPUT || t == TEE_PARAM_TYPE_MEMREF_INOUT;
}

static bool is_out(uint32_t t)
{
	return t == TEE_PARAM_TYPE_MEMREF_OUTPUT || t == TEE_PARAM_TYPE_MEMREF_INOUT;
}

static bool is_memref(uint32_t t)
{
	return t == TEE_PARAM_TYPE_MEMREF_INPUT || is_out(t);
}

static TEE_Result check_rest(uint32_t pt, uint32_t t1, uint32_t first_none)
{
	if (TEE_PARAM_TYPE_GET(pt, 1) != t1) {
		return TEE_ERROR_BAD_PARAMETERS;
	}
	for (uint32_t i = first_none; i < TEE_NUM_PARAMS; i++) {
		if (TEE_PARAM_TYPE_GET(pt, i) != TEE_PARAM_TYPE_NONE) {
			return TEE_ERROR_BAD_PARAMETERS;
		}
	}
	return TEE_SUCCESS;
}

static TEE_Result cmd_sum(uint32_t pt, TEE_Param p[TEE_NUM_PARAMS])
{
	const uint8_t *b = p[0].memref.buffer;
	uint32_t sum = 0;

	if (!is_in(TEE_PARAM_TYPE_GET(pt, 0)) ||
	    check_rest(pt, TEE_PARAM_TYPE_VALUE_OUTPUT, 2) != TEE_SUCCESS) {
		return TEE_ERROR_BAD_PARAMETERS;
	}
	for (size_t i = 0; i < p[0].memref.size; i++) {
		sum += b[i];
	}
	p[1].value.a = sum;
	p[1].value.b = (uint32_t)p[0].memref.size;
	return TEE_SUCCESS;
}

static TEE_Result cmd_inc(uint32_t pt, TEE_Param p[TEE_NUM_PARAMS])
{
	uint8_t *b = p[0].memref.buffer;

	if (TEE_PARAM_TYPE_GET(pt, 0) != TEE_PARAM_TYPE_MEMREF_INOUT ||
	    check_rest(pt, TEE_PARAM_TYPE_VALUE_OUTPUT, 2) != TEE_SUCCESS) {
		return TEE_ERROR_BAD_PARAMETERS;
	}
	for (size_t i = 0; i < p[0].memref.size; i++) {
		b[i]++;
	}
	p[1].value.b = (uint32_t)p[0].memref.size;
	return TEE_SUCCESS;
}

static TEE_Result cmd_fill(uint32_t pt, TEE_Param p[TEE_NUM_PARAMS])
{
	uint8_t *b = p[0].memref.buffer;
	uint32_t want = 0;

	if (!is_out(TEE_PARAM_TYPE_GET(pt, 0)) ||
	    check_rest(pt, TEE_PARAM_TYPE_VALUE_INPUT, 2) != TEE_SUCCESS) {
		return TEE_ERROR_BAD_PARAMETERS;
	}
	want = p[1].value.b;
	if (p[0].memref.size < want) {
		p[0].memref.size = want;
		return TEE_ERROR_SHORT_BUFFER;
	}
	for (uint32_t i = 0; i < want; i++) {
		b[i] = (uint8_t)(p[1].value.a + i);
	}
	p[0].memref.size = want;
	return TEE_SUCCESS;
}

static TEE_Result cmd_copy(uint32_t pt, TEE_Param p[TEE_NUM_PARAMS])
{
	if (!is_in(TEE_PARAM_TYPE_GET(pt, 0)) || !is_out(TEE_PARAM_TYPE_GET(pt, 1)) ||
	    TEE_PARAM_TYPE_GET(pt, 2) != TEE_PARAM_TYPE_NONE ||
	    TEE_PARAM_TYPE_GET(pt, 3) != TEE_PARAM_TYPE_NONE) {
		return TEE_ERROR_BAD_PARAMETERS;
	}
	if (p[1].memref.size < p[0].memref.size) {
		p[1].memref.size = p[0].memref.size;
		return TEE_ERROR_SHORT_BUFFER;
	}
	TEE_MemMove(p[1].memref.buffer, p[0].memref.buffer, p[0].memref.size);
	p[1].memref.size = p[0].memref.size;
	return TEE_SUCCESS;
}

static TEE_Result cmd_peek(uint32_t pt, TEE_Param p[TEE_NUM_PARAMS])
{
	if (!is_memref(TEE_PARAM_TYPE_GET(pt, 0)) ||
	    check_rest(pt, TEE_PARAM_TYPE_VALUE_OUTPUT, 2) != TEE_SUCCESS) {
		return TEE_ERROR_BAD_PARAMETERS;
	}
	p[1].value.a = p[0].memref.buffer == NULL;
	p[1].value.b = (uint32_t)p[0].memref.size;
	return TEE_SUCCESS;
}

static uint64_t now_ms(void)
{
	TEE_Time t;

	TEE_GetSystemTime(&t);
	return (uint64_t)t.seconds * 1000u + t.millis;
}

/* Volatile accesses: the other side changes the bytes while we run (zero copy). */
static TEE_Result cmd_watch(uint32_t pt, TEE_Param p[TEE_NUM_PARAMS])
{
	volatile uint8_t *b = p[0].memref.buffer;
	uint64_t start = now_ms(), waited = 0;
	uint32_t seen = 0;

	if (TEE_PARAM_TYPE_GET(pt, 0) != TEE_PARAM_TYPE_MEMREF_INOUT ||
	    check_rest(pt, TEE_PARAM_TYPE_VALUE_INOUT, 2) != TEE_SUCCESS || !b ||
	    p[0].memref.size < 2) {
		return TEE_ERROR_BAD_PARAMETERS;
	}
	b[1] = TA_MEMREF_WATCHING;
	for (;;) {
		seen = b[0] != 0;
		waited = now_ms() - start;
		if (seen || waited >= p[1].value.a) {
			break;
		}
		TEE_Wait(2);
	}
	p[1].value.a = seen;
	p[1].value.b = (uint32_t)waited;
	return TEE_SUCCESS;
}

TEE_Result TA_InvokeCommandEntryPoint(void *sess_ctx, uint32_t cmd_id, uint32_t param_types,
				      TEE_Param params[TEE_NUM_PARAMS])
{
	(void)sess_ctx;
	switch (cmd_id) {
	case TA_MEMREF_CMD_SUM:
		return cmd_sum(param_types, params);
	case TA_MEMREF_CMD_INC:
		return cmd_inc(param_types, params);
	case TA_MEMREF_CMD_FILL:
		return cmd_fill(param_types, params);
	case TA_MEMREF_CMD_COPY:
		return cmd_copy(param_types, params);
	case TA_MEMREF_CMD_PEEK:
		return cmd_peek(param_types, params);
	case TA_MEMREF_CMD_WATCH:
		return cmd_watch(param_types, params);
	default:
		return TEE_ERROR_NOT_SUPPORTED;
	}
}
