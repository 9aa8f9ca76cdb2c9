/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * tee_counter: value parameters in/out, per-session state, state shared by the sessions
 * of a single-instance TA, instance teardown after the last session, GP error answers
 * (wrong parameter types, unknown command, NULL operation) and the TA's own properties.
 */
#include <counter_ta.h>
#include <string.h>
#include <tee_test.h>

static void expect_get(TEEC_Session *s, uint32_t want_count, uint32_t want_sessions,
		       const char *what)
{
	uint32_t sessions = 0;
	uint32_t count = tt_get_value(s, TA_COUNTER_CMD_GET, &sessions, "CMD_GET");

	TEST_STEP("%s: session count %u (want %u), sessions opened on instance %u (want %u)", what,
		  count, want_count, sessions, want_sessions);
	ASSERT_EQ_INT(count, want_count);
	ASSERT_EQ_INT(sessions, want_sessions);
}

int main(void)
{
	TEEC_Context ctx;
	TEEC_Session s1, s2, s3;
	TEEC_Operation op;
	TEEC_UUID uuid = tt_uuid(TA_COUNTER_UUID_STR);
	uint32_t origin = 0, a = 0, b = 0;
	TEEC_Result res;

	tt_section("value parameters and session state");
	tt_init_context(&ctx);
	tt_open_session(&ctx, &s1, TA_COUNTER_UUID_STR);
	a = 41;
	res = tt_invoke_value(&s1, TA_COUNTER_CMD_INC, &a, &b, &origin);
	TEST_STEP("CMD_INC(41)");
	ASSERT_TEEC_RES(res, TEEC_SUCCESS);
	TEST_STEP("value inout 41 -> %u (want 42), session count %u (want 1)", a, b);
	ASSERT_EQ_INT(a, 42);
	ASSERT_EQ_INT(b, 1);
	a = 0xffffffffu;
	res = tt_invoke_value(&s1, TA_COUNTER_CMD_INC, &a, &b, &origin);
	TEST_STEP("CMD_INC(0xffffffff)");
	ASSERT_TEEC_RES(res, TEEC_SUCCESS);
	TEST_STEP("value wraps to %u (want 0), session count %u (want 2)", a, b);
	ASSERT_EQ_INT(a, 0);
	ASSERT_EQ_INT(b, 2);

	memset(&op, 0, sizeof(op));
	op.paramTypes = TEEC_PARAM_TYPES(TEEC_VALUE_INPUT, TEEC_NONE, TEEC_NONE, TEEC_NONE);
	op.params[0].value.a = 100;
	res = TEEC_OpenSession(&ctx, &s2, &uuid, TEEC_LOGIN_PUBLIC, NULL, &op, &origin);
	TEST_STEP("TEEC_OpenSession with VALUE_INPUT 100");
	ASSERT_TEEC_RES(res, TEEC_SUCCESS);
	a = 7;
	res = tt_invoke_value(&s2, TA_COUNTER_CMD_INC, &a, &b, &origin);
	TEST_STEP("CMD_INC on second session");
	ASSERT_TEEC_RES(res, TEEC_SUCCESS);
	TEST_STEP("second session: value %u (want 8), count %u (want 101)", a, b);
	ASSERT_EQ_INT(a, 8);
	ASSERT_EQ_INT(b, 101);
	expect_get(&s1, 2, 2, "first session keeps its own count; instance state is shared");
	expect_get(&s2, 101, 2, "second session");

	tt_section("GP error answers");
	memset(&op, 0, sizeof(op));
	op.paramTypes = TEEC_PARAM_TYPES(TEEC_VALUE_INPUT, TEEC_NONE, TEEC_NONE, TEEC_NONE);
	res = TEEC_InvokeCommand(&s1, TA_COUNTER_CMD_INC, &op, &origin);
	TEST_STEP("CMD_INC with VALUE_INPUT instead of VALUE_INOUT");
	ASSERT_TEEC_RES_ORIGIN(res, origin, TEEC_ERROR_BAD_PARAMETERS, TEEC_ORIGIN_TRUSTED_APP);
	res = TEEC_InvokeCommand(&s1, TA_COUNTER_CMD_INC, NULL, &origin);
	TEST_STEP("CMD_INC with a NULL operation (no parameters)");
	ASSERT_TEEC_RES_ORIGIN(res, origin, TEEC_ERROR_BAD_PARAMETERS, TEEC_ORIGIN_TRUSTED_APP);
	res = TEEC_InvokeCommand(&s1, 0x7777, NULL, &origin);
	TEST_STEP("unknown command 0x7777");
	ASSERT_TEEC_RES_ORIGIN(res, origin, TEEC_ERROR_NOT_SUPPORTED, TEEC_ORIGIN_TRUSTED_APP);
	res = TEEC_InvokeCommand(&s1, 0x7777, NULL, NULL);
	TEST_STEP("unknown command with a NULL returnOrigin");
	ASSERT_TEEC_RES(res, TEEC_ERROR_NOT_SUPPORTED);
	expect_get(&s1, 2, 2, "failed invocations left the session state alone");

	tt_section("the TA's own properties");
	memset(&op, 0, sizeof(op));
	op.paramTypes = TEEC_PARAM_TYPES(TEEC_VALUE_OUTPUT, TEEC_NONE, TEEC_NONE, TEEC_NONE);
	res = TEEC_InvokeCommand(&s1, TA_COUNTER_CMD_SELF, &op, &origin);
	TEST_STEP("CMD_SELF");
	ASSERT_TEEC_RES(res, TEEC_SUCCESS);
	TEST_STEP("gpd.ta.dataSize = %u (TA_DATA_SIZE is 65536)", op.params[0].value.a);
	ASSERT_EQ_INT(op.params[0].value.a, 64 * 1024);
	TEST_STEP("gpd.ta.appID is the TA's UUID, gpd.client.identity is a public login");
	ASSERT_EQ_INT(op.params[0].value.b, 1);

	tt_section("instance lifetime");
	TEEC_CloseSession(&s1);
	expect_get(&s2, 101, 2, "closing one session leaves the other working");
	TEEC_CloseSession(&s2);
	tt_open_session(&ctx, &s3, TA_COUNTER_UUID_STR);
	expect_get(&s3, 0, 1,
		   "after the last session closed, a new session gets a fresh instance "
		   "(no keep-alive flag)");
	TEEC_CloseSession(&s3);
	TEEC_FinalizeContext(&ctx);
	printf("tee_counter: all checks passed\n");
	return 0;
}
