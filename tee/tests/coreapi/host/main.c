/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * tee_coreapi: the Internal Core API memory functions and TEE_CheckMemoryAccessRights,
 * checked from inside a TA (the checks and their names are in coreapi_ta.h): heap
 * allocation bounded by TA_DATA_SIZE, realloc keeping contents, fill/move/compare, and
 * access rights for heap, stack, the TA's own segments (read-only data, RELRO, code),
 * host memory, client memrefs (only with TEE_MEMORY_ACCESS_ANY_OWNER), bad ranges.
 */
#include <coreapi_ta.h>
#include <string.h>
#include <tee_test.h>

static void run(TEEC_Session *s, uint32_t cmd, const char *const *names, uint32_t count,
		const char *title)
{
	uint8_t client[64];
	TEEC_Operation op;
	uint32_t origin = 0;
	TEEC_Result res;

	tt_section("%s", title);
	memset(client, 0x42, sizeof(client));
	memset(&op, 0, sizeof(op));
	if (cmd == TA_COREAPI_CMD_ACCESS) {
		op.paramTypes = TEEC_PARAM_TYPES(TEEC_VALUE_OUTPUT, TEEC_MEMREF_TEMP_INPUT,
						 TEEC_NONE, TEEC_NONE);
		op.params[1].tmpref.buffer = client;
		op.params[1].tmpref.size = sizeof(client);
	} else {
		op.paramTypes =
			TEEC_PARAM_TYPES(TEEC_VALUE_OUTPUT, TEEC_NONE, TEEC_NONE, TEEC_NONE);
	}
	res = TEEC_InvokeCommand(s, cmd, &op, &origin);
	/* A failed check inside the TA panics it (TARGET_DEAD); its report is in tee.log. */
	ASSERT_TEEC_RES(res, TEEC_SUCCESS);
	ASSERT_EQ_U64(op.params[0].value.b, 0);
	ASSERT_EQ_U64(op.params[0].value.a, count);
	for (uint32_t i = 0; i < count; i++) {
		printf("  ok   %s\n", names[i]);
	}
}

int main(void)
{
	static const char *const heap[] = { TA_COREAPI_HEAP_CHECKS };
	static const char *const mem[] = { TA_COREAPI_MEM_CHECKS };
	static const char *const access[] = { TA_COREAPI_ACCESS_CHECKS };
	TEEC_Context ctx;
	TEEC_Session s;

	tt_init_context(&ctx);
	tt_open_session(&ctx, &s, TA_COREAPI_UUID_STR);
	run(&s, TA_COREAPI_CMD_HEAP, heap, sizeof(heap) / sizeof(heap[0]),
	    "TEE_Malloc / TEE_Realloc / TEE_Free");
	run(&s, TA_COREAPI_CMD_MEM, mem, sizeof(mem) / sizeof(mem[0]),
	    "TEE_MemFill / TEE_MemMove / TEE_MemCompare");
	run(&s, TA_COREAPI_CMD_ACCESS, access, sizeof(access) / sizeof(access[0]),
	    "TEE_CheckMemoryAccessRights");
	TEEC_CloseSession(&s);
	TEEC_FinalizeContext(&ctx);
	printf("tee_coreapi: all checks passed\n");
	return 0;
}
