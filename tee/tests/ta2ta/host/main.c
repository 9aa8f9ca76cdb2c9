/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * tee_ta2ta: a client invokes the caller TA, which opens sessions to the counter TA and
 * invokes it (values both ways, a memref into the caller's heap, a session kept across
 * invocations, a one-shot session); the counter's single instance is shared between the
 * client's own session and the TA's; opening a missing TA from a TA gives
 * TEE_ERROR_ITEM_NOT_FOUND with origin TEE.
 */
#include <counter_ta.h>
#include <string.h>
#include <ta2ta_ta.h>
#include <tee_test.h>

int main(void)
{
	TEEC_Context ctx;
	TEEC_Session caller, counter;
	TEEC_Operation op;
	uint8_t buf[300];
	uint32_t origin = 0, a = 0, b = 0;
	TEEC_Result res;
	bool ok = true;

	tt_init_context(&ctx);
	tt_section("a session kept by the caller TA");
	tt_open_session(&ctx, &counter, TA_COUNTER_UUID_STR);
	tt_open_session(&ctx, &caller, TA_TA2TA_UUID_STR);
	for (uint32_t i = 1; i <= 3; i++) {
		a = 10 * i;
		res = tt_invoke_value(&caller, TA_TA2TA_CMD_KEPT_INC, &a, &b, &origin);
		TEST_STEP("caller CMD_KEPT_INC");
		ASSERT_TEEC_RES(res, TEEC_SUCCESS);
		TEST_STEP("value %u -> %u through two TAs; counter session count %u (want %u)",
			  10 * i, a, b, 1000 + i);
		ASSERT_EQ_INT(a, 10 * i + 1);
		ASSERT_EQ_INT(b, 1000 + i);
	}
	memset(&op, 0, sizeof(op));
	op.paramTypes = TEEC_PARAM_TYPES(TEEC_VALUE_OUTPUT, TEEC_NONE, TEEC_NONE, TEEC_NONE);
	res = TEEC_InvokeCommand(&counter, TA_COUNTER_CMD_GET, &op, &origin);
	TEST_STEP("counter CMD_GET from the client");
	ASSERT_TEEC_RES(res, TEEC_SUCCESS);
	TEST_STEP("client's counter session untouched (%u), the single counter instance has seen 2 "
		  "sessions (%u): the client's and the caller TA's",
		  op.params[0].value.a, op.params[0].value.b);
	ASSERT_EQ_INT(op.params[0].value.a, 0);
	ASSERT_EQ_INT(op.params[0].value.b, 2);

	tt_section("a one-shot session");
	a = 5;
	b = 4;
	res = tt_invoke_value(&caller, TA_TA2TA_CMD_ONESHOT, &a, &b, &origin);
	TEST_STEP("caller CMD_ONESHOT (4 increments)");
	ASSERT_TEEC_RES(res, TEEC_SUCCESS);
	TEST_STEP("value 5 -> %u (want 9), fresh session count %u (want 4)", a, b);
	ASSERT_EQ_INT(a, 9);
	ASSERT_EQ_INT(b, 4);

	tt_section("a memref into the caller TA's heap");
	memset(buf, 0, sizeof(buf));
	memset(&op, 0, sizeof(op));
	op.paramTypes =
		TEEC_PARAM_TYPES(TEEC_MEMREF_TEMP_OUTPUT, TEEC_VALUE_INPUT, TEEC_NONE, TEEC_NONE);
	op.params[0].tmpref.buffer = buf;
	op.params[0].tmpref.size = sizeof(buf);
	op.params[1].value.a = 0x40;
	res = TEEC_InvokeCommand(&caller, TA_TA2TA_CMD_FILL, &op, &origin);
	TEST_STEP("caller CMD_FILL");
	ASSERT_TEEC_RES(res, TEEC_SUCCESS);
	for (size_t i = 0; i < sizeof(buf); i++) {
		ok = ok && buf[i] == (uint8_t)(0x40 + i);
	}
	TEST_STEP("300 bytes written by the counter TA into the caller's heap reached the "
		  "client");
	ASSERT_TRUE(ok);

	tt_section("an empty memref (non-NULL buffer, size 0), client to TA to TA");
	memset(&op, 0, sizeof(op));
	op.paramTypes =
		TEEC_PARAM_TYPES(TEEC_MEMREF_TEMP_OUTPUT, TEEC_VALUE_INPUT, TEEC_NONE, TEEC_NONE);
	op.params[0].tmpref.buffer = buf;
	op.params[0].tmpref.size = 0;
	op.params[1].value.a = 0x40;
	res = TEEC_InvokeCommand(&caller, TA_TA2TA_CMD_FILL, &op, &origin);
	TEST_STEP("caller CMD_FILL of 0 bytes");
	ASSERT_TEEC_RES(res, TEEC_SUCCESS);
	TEST_STEP("size written back: %zu (want 0)", op.params[0].tmpref.size);
	ASSERT_EQ_INT(op.params[0].tmpref.size, 0);

	tt_section("opening a missing TA from a TA");
	memset(&op, 0, sizeof(op));
	op.paramTypes = TEEC_PARAM_TYPES(TEEC_VALUE_OUTPUT, TEEC_NONE, TEEC_NONE, TEEC_NONE);
	res = TEEC_InvokeCommand(&caller, TA_TA2TA_CMD_MISSING, &op, &origin);
	TEST_STEP("caller CMD_MISSING");
	ASSERT_TEEC_RES(res, TEEC_SUCCESS);
	TEST_STEP("TEE_OpenTASession(no such TA) inside the TA");
	ASSERT_TEEC_RES_ORIGIN(op.params[0].value.a, op.params[0].value.b,
			       TEEC_ERROR_ITEM_NOT_FOUND, TEEC_ORIGIN_TEE);

	TEEC_CloseSession(&caller);
	memset(&op, 0, sizeof(op));
	op.paramTypes = TEEC_PARAM_TYPES(TEEC_VALUE_OUTPUT, TEEC_NONE, TEEC_NONE, TEEC_NONE);
	res = TEEC_InvokeCommand(&counter, TA_COUNTER_CMD_GET, &op, &origin);
	TEST_STEP("counter still serves the client after the caller TA closed its sessions");
	ASSERT_TEEC_RES(res, TEEC_SUCCESS);
	TEEC_CloseSession(&counter);
	TEEC_FinalizeContext(&ctx);
	printf("tee_ta2ta: all checks passed\n");
	return 0;
}
