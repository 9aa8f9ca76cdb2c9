/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * tee_random: TEE_GenerateRandom through a temporary output memref (non-constant,
 * different on every call, the whole buffer written, nothing past it), and the TA's view
 * of time (REE time matches the host clock, system time advances across TEE_Wait).
 */
#include <random_ta.h>
#include <string.h>
#include <time.h>
#include <tee_test.h>

#define BIG (256 * 1024)

static void get_random(TEEC_Session *s, void *buf, size_t len)
{
	tt_get_bytes(s, TA_RANDOM_CMD_RANDOM, buf, len, "CMD_RANDOM");
}

static unsigned distinct_bytes(const uint8_t *p, size_t n)
{
	bool seen[256] = { false };
	unsigned count = 0;

	for (size_t i = 0; i < n; i++) {
		if (!seen[p[i]]) {
			seen[p[i]] = true;
			count++;
		}
	}
	return count;
}

int main(void)
{
	TEEC_Context ctx;
	TEEC_Session s;
	TEEC_Operation op;
	uint8_t a[64], b[64];
	static uint8_t big[BIG + 16];
	uint32_t origin = 0;
	TEEC_Result res;

	tt_init_context(&ctx);
	tt_open_session(&ctx, &s, TA_RANDOM_UUID_STR);

	tt_section("TEE_GenerateRandom into a temporary memref");
	memset(a, 0, sizeof(a));
	memset(b, 0, sizeof(b));
	get_random(&s, a, sizeof(a));
	get_random(&s, b, sizeof(b));
	TEST_STEP("two 64-byte draws differ");
	ASSERT_NE_MEM(a, b, sizeof(a));
	ASSERT_GT_INT(distinct_bytes(a, sizeof(a)), 16);
	TEST_STEP("first draw is not constant (%u distinct bytes)", distinct_bytes(a, sizeof(a)));

	memset(big, 0xA5, sizeof(big));
	get_random(&s, big, BIG);
	TEST_STEP("256 KiB draw uses all 256 byte values");
	ASSERT_EQ_INT(distinct_bytes(big, BIG), 256);
	{
		size_t same = 0;
		for (size_t i = 0; i + 4 <= BIG; i += 4) {
			same += memcmp(big + i, "\xA5\xA5\xA5\xA5", 4) == 0;
		}
		TEST_STEP("the whole buffer was written (%zu untouched-looking words)", same);
		ASSERT_LT_INT(same, 16);
	}
	TEST_STEP("nothing written past the end of the memref");
	ASSERT_EQ_MEM(big + BIG, "\xA5\xA5\xA5\xA5\xA5\xA5\xA5\xA5\xA5\xA5\xA5\xA5\xA5\xA5\xA5\xA5",
		      16);

	tt_section("time seen from the TA");
	memset(&op, 0, sizeof(op));
	op.paramTypes = TEEC_PARAM_TYPES(TEEC_VALUE_OUTPUT, TEEC_VALUE_OUTPUT, TEEC_VALUE_INPUT,
					 TEEC_VALUE_OUTPUT);
	op.params[2].value.a = 200;
	{
		time_t before = time(NULL);
		uint64_t t0 = tt_now_ms();
		res = TEEC_InvokeCommand(&s, TA_RANDOM_CMD_TIME, &op, &origin);
		uint64_t elapsed = tt_now_ms() - t0;
		time_t after = time(NULL);
		TEST_STEP("CMD_TIME with TEE_Wait(200)");
		ASSERT_TEEC_RES(res, TEEC_SUCCESS);
		TEST_STEP("TEE_GetREETime %u s is the host's wall clock (%lld..%lld)",
			  op.params[1].value.a, (long long)before, (long long)after);
		ASSERT_GE_INT((time_t)op.params[1].value.a, before - 1);
		ASSERT_LE_INT((time_t)op.params[1].value.a, after + 1);
		TEST_STEP("millis fields are below 1000");
		ASSERT_LT_INT(op.params[1].value.b, 1000);
		ASSERT_LT_INT(op.params[0].value.b, 1000);
		ASSERT_LT_INT(op.params[3].value.b, 1000);
		uint64_t s0 = (uint64_t)op.params[0].value.a * 1000 + op.params[0].value.b;
		uint64_t s1 = (uint64_t)op.params[3].value.a * 1000 + op.params[3].value.b;
		TEST_STEP("TEE_GetSystemTime advanced %llu ms across TEE_Wait(200)",
			  (unsigned long long)(s1 - s0));
		ASSERT_GE_INT(s1, s0 + 190);
		TEST_STEP("the call took %llu ms (>= the wait)", (unsigned long long)elapsed);
		ASSERT_GE_INT(elapsed, 190);
	}
	TEEC_CloseSession(&s);
	TEEC_FinalizeContext(&ctx);
	printf("tee_random: all checks passed\n");
	return 0;
}
