/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * tee_compat: the same TA source built for GP 1.1 (__OPTEE_CORE_API_COMPAT_1_1,
 * uint32_t memref sizes) and GP 1.3.1 behaves identically: memrefs in and out with size
 * write-back and SHORT_BUFFER, a string property with the size query idiom, and a
 * TA-to-TA call with a memref to a GP 1.3.1 TA.
 */
#include <compat_ta.h>
#include <string.h>
#include <tee_test.h>

static void run(TEEC_Context *ctx, const char *uuid, uint32_t level)
{
	TEEC_Session s;
	TEEC_Operation op;
	char in[100], out[100];
	char desc[128];
	uint32_t origin = 0;
	TEEC_Result res;
	bool ok = true;

	tt_section("GP %u.%u build (%s)", level / 10, level % 10, uuid);
	tt_open_session(ctx, &s, uuid);
	memset(&op, 0, sizeof(op));
	op.paramTypes = TEEC_PARAM_TYPES(TEEC_VALUE_OUTPUT, TEEC_NONE, TEEC_NONE, TEEC_NONE);
	res = TEEC_InvokeCommand(&s, TA_COMPAT_CMD_LEVEL, &op, &origin);
	TEST_STEP("CMD_LEVEL");
	ASSERT_TEEC_RES(res, TEEC_SUCCESS);
	ASSERT_EQ_INT(op.params[0].value.a, level);
	ASSERT_EQ_INT(op.params[0].value.b, (level == 11 ? 4 : sizeof(size_t)));
	TEST_STEP("TA built for API level %u with a %u-byte memref.size", op.params[0].value.a,
		  op.params[0].value.b);

	for (size_t i = 0; i < sizeof(in); i++) {
		in[i] = (char)('A' + i % 26);
	}
	memset(out, 0, sizeof(out));
	memset(&op, 0, sizeof(op));
	op.paramTypes = TEEC_PARAM_TYPES(TEEC_MEMREF_TEMP_INPUT, TEEC_MEMREF_TEMP_OUTPUT, TEEC_NONE,
					 TEEC_NONE);
	op.params[0].tmpref.buffer = in;
	op.params[0].tmpref.size = sizeof(in);
	op.params[1].tmpref.buffer = out;
	op.params[1].tmpref.size = 10;
	res = TEEC_InvokeCommand(&s, TA_COMPAT_CMD_REVERSE, &op, &origin);
	TEST_STEP("CMD_REVERSE into 10 bytes");
	ASSERT_TEEC_RES_ORIGIN(res, origin, TEEC_ERROR_SHORT_BUFFER, TEEC_ORIGIN_TRUSTED_APP);
	ASSERT_EQ_INT(op.params[1].tmpref.size, sizeof(in));
	TEST_STEP("required size %zu (want %zu)", op.params[1].tmpref.size, sizeof(in));
	op.params[1].tmpref.size = sizeof(out);
	res = TEEC_InvokeCommand(&s, TA_COMPAT_CMD_REVERSE, &op, &origin);
	TEST_STEP("CMD_REVERSE into 100 bytes");
	ASSERT_TEEC_RES(res, TEEC_SUCCESS);
	for (size_t i = 0; i < sizeof(in); i++) {
		ok = ok && out[i] == in[sizeof(in) - 1 - i];
	}
	TEST_STEP("100 bytes came back reversed");
	ASSERT_TRUE(ok);
	ASSERT_EQ_INT(op.params[1].tmpref.size, sizeof(in));

	memset(&op, 0, sizeof(op));
	op.paramTypes = TEEC_PARAM_TYPES(TEEC_MEMREF_TEMP_OUTPUT, TEEC_NONE, TEEC_NONE, TEEC_NONE);
	res = TEEC_InvokeCommand(&s, TA_COMPAT_CMD_DESC, &op, &origin);
	TEST_STEP("CMD_DESC size query (NULL buffer)");
	ASSERT_TEEC_RES_ORIGIN(res, origin, TEEC_ERROR_SHORT_BUFFER, TEEC_ORIGIN_TRUSTED_APP);
	ASSERT_EQ_INT(op.params[0].tmpref.size, sizeof(TA_COMPAT_DESCRIPTION));
	TEST_STEP("gpd.ta.description needs %zu bytes (want %zu)", op.params[0].tmpref.size,
		  sizeof(TA_COMPAT_DESCRIPTION));
	memset(desc, 0, sizeof(desc));
	op.params[0].tmpref.buffer = desc;
	op.params[0].tmpref.size = sizeof(desc);
	res = TEEC_InvokeCommand(&s, TA_COMPAT_CMD_DESC, &op, &origin);
	TEST_STEP("CMD_DESC");
	ASSERT_TEEC_RES(res, TEEC_SUCCESS);
	ASSERT_EQ_STR(desc, TA_COMPAT_DESCRIPTION);
	TEST_STEP("gpd.ta.description is \"%s\"", desc);

	memset(out, 0, sizeof(out));
	memset(&op, 0, sizeof(op));
	op.paramTypes =
		TEEC_PARAM_TYPES(TEEC_MEMREF_TEMP_OUTPUT, TEEC_VALUE_INOUT, TEEC_NONE, TEEC_NONE);
	op.params[0].tmpref.buffer = out;
	op.params[0].tmpref.size = 50;
	op.params[1].value.a = 99;
	res = TEEC_InvokeCommand(&s, TA_COMPAT_CMD_VIA_TA, &op, &origin);
	TEST_STEP("CMD_VIA_TA (calls the GP 1.3.1 counter TA)");
	ASSERT_TEEC_RES(res, TEEC_SUCCESS);
	ok = true;
	for (size_t i = 0; i < 50; i++) {
		ok = ok && (uint8_t)out[i] == (uint8_t)(0x61 + i);
	}
	TEST_STEP("50 bytes filled by the counter TA, nothing beyond");
	ASSERT_TRUE(ok);
	ASSERT_EQ_INT(out[50], 0);
	TEST_STEP("value 99 incremented by the counter TA to %u", op.params[1].value.a);
	ASSERT_EQ_INT(op.params[1].value.a, 100);
	TEEC_CloseSession(&s);
}

int main(void)
{
	TEEC_Context ctx;

	tt_init_context(&ctx);
	run(&ctx, TA_COMPAT_GP11_UUID_STR, 11);
	run(&ctx, TA_COMPAT_GP13_UUID_STR, 13);
	TEEC_FinalizeContext(&ctx);
	printf("tee_compat: all checks passed\n");
	return 0;
}
