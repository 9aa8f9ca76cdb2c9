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
		TT_EXPECT(res, origin, TEEC_SUCCESS, TT_ANY_ORIGIN, "caller CMD_KEPT_INC");
		TT_CHECK(a == 10 * i + 1 && b == 1000 + i,
			 "value %u -> %u through two TAs; counter session count %u (want %u)",
			 10 * i, a, b, 1000 + i);
	}
	memset(&op, 0, sizeof(op));
	op.paramTypes = TEEC_PARAM_TYPES(TEEC_VALUE_OUTPUT, TEEC_NONE, TEEC_NONE, TEEC_NONE);
	res = TEEC_InvokeCommand(&counter, TA_COUNTER_CMD_GET, &op, &origin);
	TT_EXPECT(res, origin, TEEC_SUCCESS, TT_ANY_ORIGIN, "counter CMD_GET from the client");
	TT_CHECK(op.params[0].value.a == 0 && op.params[0].value.b == 2,
		 "client's counter session untouched (%u), the single counter instance has seen 2 "
		 "sessions (%u): the client's and the caller TA's",
		 op.params[0].value.a, op.params[0].value.b);

	tt_section("a one-shot session");
	a = 5;
	b = 4;
	res = tt_invoke_value(&caller, TA_TA2TA_CMD_ONESHOT, &a, &b, &origin);
	TT_EXPECT(res, origin, TEEC_SUCCESS, TT_ANY_ORIGIN, "caller CMD_ONESHOT (4 increments)");
	TT_CHECK(a == 9 && b == 4, "value 5 -> %u (want 9), fresh session count %u (want 4)", a, b);

	tt_section("a memref into the caller TA's heap");
	memset(buf, 0, sizeof(buf));
	memset(&op, 0, sizeof(op));
	op.paramTypes =
		TEEC_PARAM_TYPES(TEEC_MEMREF_TEMP_OUTPUT, TEEC_VALUE_INPUT, TEEC_NONE, TEEC_NONE);
	op.params[0].tmpref.buffer = buf;
	op.params[0].tmpref.size = sizeof(buf);
	op.params[1].value.a = 0x40;
	res = TEEC_InvokeCommand(&caller, TA_TA2TA_CMD_FILL, &op, &origin);
	TT_EXPECT(res, origin, TEEC_SUCCESS, TT_ANY_ORIGIN, "caller CMD_FILL");
	for (size_t i = 0; i < sizeof(buf); i++) {
		ok = ok && buf[i] == (uint8_t)(0x40 + i);
	}
	TT_CHECK(ok, "300 bytes written by the counter TA into the caller's heap reached the "
		     "client");

	tt_section("an empty memref (non-NULL buffer, size 0), client to TA to TA");
	memset(&op, 0, sizeof(op));
	op.paramTypes =
		TEEC_PARAM_TYPES(TEEC_MEMREF_TEMP_OUTPUT, TEEC_VALUE_INPUT, TEEC_NONE, TEEC_NONE);
	op.params[0].tmpref.buffer = buf;
	op.params[0].tmpref.size = 0;
	op.params[1].value.a = 0x40;
	res = TEEC_InvokeCommand(&caller, TA_TA2TA_CMD_FILL, &op, &origin);
	TT_EXPECT(res, origin, TEEC_SUCCESS, TT_ANY_ORIGIN, "caller CMD_FILL of 0 bytes");
	TT_CHECK(op.params[0].tmpref.size == 0, "size written back: %zu (want 0)",
		 op.params[0].tmpref.size);

	tt_section("opening a missing TA from a TA");
	memset(&op, 0, sizeof(op));
	op.paramTypes = TEEC_PARAM_TYPES(TEEC_VALUE_OUTPUT, TEEC_NONE, TEEC_NONE, TEEC_NONE);
	res = TEEC_InvokeCommand(&caller, TA_TA2TA_CMD_MISSING, &op, &origin);
	TT_EXPECT(res, origin, TEEC_SUCCESS, TT_ANY_ORIGIN, "caller CMD_MISSING");
	TT_EXPECT(op.params[0].value.a, op.params[0].value.b, TEEC_ERROR_ITEM_NOT_FOUND,
		  TEEC_ORIGIN_TEE, "TEE_OpenTASession(no such TA) inside the TA");

	TEEC_CloseSession(&caller);
	memset(&op, 0, sizeof(op));
	op.paramTypes = TEEC_PARAM_TYPES(TEEC_VALUE_OUTPUT, TEEC_NONE, TEEC_NONE, TEEC_NONE);
	res = TEEC_InvokeCommand(&counter, TA_COUNTER_CMD_GET, &op, &origin);
	TT_EXPECT(res, origin, TEEC_SUCCESS, TT_ANY_ORIGIN,
		  "counter still serves the client after the caller TA closed its sessions");
	TEEC_CloseSession(&counter);
	TEEC_FinalizeContext(&ctx);
	printf("tee_ta2ta: all checks passed\n");
	return 0;
}
