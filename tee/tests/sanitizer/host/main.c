/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * tee_sanitizer (TZM_SANITIZE builds only): errors and leaks inside a TA host must be
 * reported, not lost. tzm-ta-host runs with /dev/null as stdio and an empty environment,
 * so a sanitizer build of the core hands it the sanitizer options and tee.log as stderr.
 * A canary TA leaks 4321 bytes: when its instance ends, LeakSanitizer's report must reach
 * tee.log. It then overflows a heap block: the call must fail with TARGET_DEAD / origin
 * TEE and AddressSanitizer's report must reach tee.log. The TEE keeps serving.
 */
#include <sanitizer_ta.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <tee_test.h>

#define LEAK_SIZE 4321u

static bool log_has(const char *log, const char *a, const char *b)
{
	char line[4096];
	bool found_a = false, found_b = false;
	FILE *f = fopen(log, "re");

	if (!f) {
		return false;
	}
	while (fgets(line, sizeof(line), f)) {
		found_a = found_a || strstr(line, a) != NULL;
		found_b = found_b || strstr(line, b) != NULL;
	}
	fclose(f);
	return found_a && found_b;
}

/* Reports are written when the host process ends, a little after the client's call. */
static bool wait_for_log(const char *log, const char *a, const char *b)
{
	uint64_t deadline = tt_now_ms() + 30000;
	struct timespec pause = { 0, 50 * 1000 * 1000 };

	while (tt_now_ms() < deadline) {
		if (log_has(log, a, b)) {
			return true;
		}
		nanosleep(&pause, NULL);
	}
	return false;
}

static TEEC_Result invoke(TEEC_Session *s, uint32_t cmd, uint32_t size, uint32_t *origin)
{
	TEEC_Operation op;

	memset(&op, 0, sizeof(op));
	op.paramTypes = TEEC_PARAM_TYPES(TEEC_VALUE_INPUT, TEEC_NONE, TEEC_NONE, TEEC_NONE);
	op.params[0].value.a = size;
	return TEEC_InvokeCommand(s, cmd, &op, origin);
}

int main(void)
{
	const char *run = getenv("TZM_RUNTIME_DIR");
	char log[4200], leak[64];
	TEEC_Context ctx;
	TEEC_Session s;
	uint32_t origin = 0;
	TEEC_Result res;

	TEST_STEP("TZM_RUNTIME_DIR is set (run through CTest)");
	ASSERT_NOT_NULL(run);
	snprintf(log, sizeof(log), "%s/tee.log", run);
	snprintf(leak, sizeof(leak), "%u byte(s) in 1 object(s)", LEAK_SIZE);
	tt_init_context(&ctx);

	tt_section("a TA that leaks: LeakSanitizer reports it when the instance ends");
	tt_open_session(&ctx, &s, TA_SANITIZER_UUID_STR);
	res = invoke(&s, TA_SANITIZER_CMD_LEAK, LEAK_SIZE, &origin);
	TEST_STEP("CMD_LEAK(4321)");
	ASSERT_TEEC_RES(res, TEEC_SUCCESS);
	TEEC_CloseSession(&s);
	ASSERT_TRUE(wait_for_log(log, "ERROR: LeakSanitizer", leak));
	TEST_STEP("tee.log holds LeakSanitizer's report of the %u-byte leak", LEAK_SIZE);

	tt_section("a TA that overflows a heap block: AddressSanitizer stops it");
	tt_open_session(&ctx, &s, TA_SANITIZER_UUID_STR);
	res = invoke(&s, TA_SANITIZER_CMD_OVERFLOW, 24, &origin);
	TEST_STEP("CMD_OVERFLOW(24)");
	ASSERT_TEEC_RES_ORIGIN(res, origin, TEEC_ERROR_TARGET_DEAD, TEEC_ORIGIN_TEE);
	TEEC_CloseSession(&s);
	TEST_STEP("tee.log holds AddressSanitizer's heap-buffer-overflow report");
	ASSERT_TRUE(wait_for_log(log, "ERROR: AddressSanitizer", "heap-buffer-overflow"));

	tt_section("the TEE keeps serving");
	tt_open_session(&ctx, &s, TA_SANITIZER_UUID_STR);
	res = invoke(&s, 0x77, 0, &origin);
	TEST_STEP("a fresh instance answers an unknown command");
	ASSERT_TEEC_RES_ORIGIN(res, origin, TEEC_ERROR_NOT_SUPPORTED, TEEC_ORIGIN_TRUSTED_APP);
	TEEC_CloseSession(&s);
	TEEC_FinalizeContext(&ctx);
	printf("tee_sanitizer: all checks passed\n");
	return 0;
}
