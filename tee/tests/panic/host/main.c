/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * tee_panic: a TA that calls TEE_Panic gives TEEC_ERROR_TARGET_DEAD with origin TEE, for
 * that call and every later call on its sessions; other instances of the same TA, other
 * TAs and new sessions keep working; with a single-instance TA every session of the dead
 * instance is dead; a panic inside TA_OpenSessionEntryPoint fails the open the same way.
 */
#include <counter_ta.h>
#include <panic_ta.h>
#include <string.h>
#include <tee_test.h>

static TEEC_Result ping(TEEC_Session *s, uint32_t *count, uint32_t *origin)
{
	TEEC_Operation op;
	TEEC_Result res;

	memset(&op, 0, sizeof(op));
	op.paramTypes = TEEC_PARAM_TYPES(TEEC_VALUE_OUTPUT, TEEC_NONE, TEEC_NONE, TEEC_NONE);
	res = TEEC_InvokeCommand(s, TA_PANIC_CMD_PING, &op, origin);
	*count = op.params[0].value.a;
	return res;
}

static void expect_ping(TEEC_Session *s, uint32_t want, const char *what)
{
	uint32_t origin = 0, count = 0;
	TEEC_Result res = ping(s, &count, &origin);

	TEST_STEP("%s", what);
	ASSERT_TEEC_RES(res, TEEC_SUCCESS);
	TEST_STEP("%s: instance invocation count %u (want %u)", what, count, want);
	ASSERT_EQ_INT(count, want);
}

static void expect_dead(TEEC_Session *s, uint32_t cmd, const char *what)
{
	uint32_t origin = 0, count = 0;
	TEEC_Result res;

	if (cmd == TA_PANIC_CMD_PING) {
		res = ping(s, &count, &origin);
	} else {
		res = TEEC_InvokeCommand(s, cmd, NULL, &origin);
	}
	TEST_STEP("%s", what);
	ASSERT_TEEC_RES_ORIGIN(res, origin, TEEC_ERROR_TARGET_DEAD, TEEC_ORIGIN_TEE);
}

int main(void)
{
	TEEC_Context ctx;
	TEEC_Session m1, m2, m3, s1, s2, s3, counter, bad;
	TEEC_Operation op;
	TEEC_UUID uuid = tt_uuid(TA_PANIC_MULTI_UUID_STR);
	uint32_t origin = 0, a = 0, b = 0;
	TEEC_Result res;

	tt_init_context(&ctx);
	tt_open_session(&ctx, &counter, TA_COUNTER_UUID_STR);

	tt_section("multi-instance TA: one instance panics");
	tt_open_session(&ctx, &m1, TA_PANIC_MULTI_UUID_STR);
	tt_open_session(&ctx, &m2, TA_PANIC_MULTI_UUID_STR);
	expect_ping(&m1, 1, "ping first instance");
	expect_ping(&m2, 1, "ping second instance (separate state)");
	expect_dead(&m1, TA_PANIC_CMD_PANIC, "TEE_Panic in the first instance");
	expect_dead(&m1, TA_PANIC_CMD_PING, "later call on the panicked session");
	expect_ping(&m2, 2, "the other instance of the same TA still serves");
	res = tt_invoke_value(&counter, TA_COUNTER_CMD_INC, &a, &b, &origin);
	TEST_STEP("another TA still serves");
	ASSERT_TEEC_RES(res, TEEC_SUCCESS);
	TEEC_CloseSession(&m1);
	printf("  ok   closing the dead session returned\n");
	tt_open_session(&ctx, &m3, TA_PANIC_MULTI_UUID_STR);
	expect_ping(&m3, 1, "a new session after the panic gets a fresh instance");

	tt_section("single-instance TA: the shared instance panics");
	tt_open_session(&ctx, &s1, TA_PANIC_SINGLE_UUID_STR);
	tt_open_session(&ctx, &s2, TA_PANIC_SINGLE_UUID_STR);
	expect_ping(&s1, 1, "ping through the first session");
	expect_ping(&s2, 2, "ping through the second session (same instance)");
	expect_dead(&s1, TA_PANIC_CMD_PANIC, "TEE_Panic through the first session");
	expect_dead(&s2, TA_PANIC_CMD_PING, "the second session shared the dead instance");
	TEEC_CloseSession(&s1);
	TEEC_CloseSession(&s2);
	tt_open_session(&ctx, &s3, TA_PANIC_SINGLE_UUID_STR);
	expect_ping(&s3, 1, "a new session gets a new instance");

	tt_section("panic inside TA_OpenSessionEntryPoint");
	memset(&op, 0, sizeof(op));
	op.paramTypes = TEEC_PARAM_TYPES(TEEC_VALUE_INPUT, TEEC_NONE, TEEC_NONE, TEEC_NONE);
	op.params[0].value.a = TA_PANIC_IN_OPEN;
	res = TEEC_OpenSession(&ctx, &bad, &uuid, TEEC_LOGIN_PUBLIC, NULL, &op, &origin);
	TEST_STEP("TEEC_OpenSession on a TA that panics while opening");
	ASSERT_TEEC_RES_ORIGIN(res, origin, TEEC_ERROR_TARGET_DEAD, TEEC_ORIGIN_TEE);
	expect_ping(&m2, 3, "the surviving instance still serves");
	expect_ping(&m3, 2, "the fresh instance still serves");
	expect_ping(&s3, 2, "the new single instance still serves");

	TEEC_CloseSession(&m2);
	TEEC_CloseSession(&m3);
	TEEC_CloseSession(&s3);
	TEEC_CloseSession(&counter);
	TEEC_FinalizeContext(&ctx);
	printf("tee_panic: all checks passed\n");
	return 0;
}
