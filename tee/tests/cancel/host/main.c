/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * tee_cancel: TEEC_RequestCancellation from another thread while the TA sits in
 * TEE_Wait ends the wait early with TEEC_ERROR_CANCEL; a masked wait runs to its end and
 * the flag shows up after unmasking; a TA that spins forever, ignoring cancellation, still
 * gets the client TEEC_ERROR_CANCEL (origin TEE) once the TEE's grace period after the
 * request has passed, instead of hanging, and that instance is killed; the TEE keeps
 * serving afterwards. A cancellation requested the moment a call starts (before its request
 * reaches the TEE) is not lost.
 */
#include <cancel_ta.h>
#include <pthread.h>
#include <sched.h>
#include <string.h>
#include <time.h>
#include <tee_test.h>

/* TZM_CANCEL_GRACE_MS given to the TEE by CMakeLists.txt */
#define GRACE_MS 1000

struct canceller {
	TEEC_Operation *op;
	unsigned delay_ms;
};

static void *cancel_later(void *arg)
{
	struct canceller *c = arg;
	struct timespec ts = { c->delay_ms / 1000, (long)(c->delay_ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
	printf("  ..   TEEC_RequestCancellation from a second thread after %u ms\n", c->delay_ms);
	fflush(stdout);
	TEEC_RequestCancellation(c->op);
	return NULL;
}

/* Requests the cancellation the moment the operation has started (`started` is 1), before
 * its request can have reached the TEE. */
struct at_start {
	TEEC_Operation *op;
	int spinning;
};

static void *cancel_at_start(void *arg)
{
	struct at_start *a = arg;

	__atomic_store_n(&a->spinning, 1, __ATOMIC_SEQ_CST);
	while (!__atomic_load_n(&a->op->started, __ATOMIC_SEQ_CST)) {
	}
	TEEC_RequestCancellation(a->op);
	return NULL;
}

/* Invokes cmd with p0 = value (in or inout), cancelling it from a thread after delay_ms. */
static TEEC_Result invoke_cancelled(TEEC_Session *s, uint32_t cmd, uint32_t ptype, uint32_t ms,
				    unsigned delay_ms, uint32_t *origin, uint64_t *elapsed,
				    TEEC_Operation *op)
{
	struct canceller c = { op, delay_ms };
	pthread_t th;
	TEEC_Result res;
	uint64_t t0;

	memset(op, 0, sizeof(*op));
	op->started = 0; /* GP: must be 0 for the operation to be cancellable */
	op->paramTypes = TEEC_PARAM_TYPES(ptype, TEEC_NONE, TEEC_NONE, TEEC_NONE);
	op->params[0].value.a = ms;
	TEST_STEP("canceller thread started");
	ASSERT_EQ_INT(pthread_create(&th, NULL, cancel_later, &c), 0);
	t0 = tt_now_ms();
	res = TEEC_InvokeCommand(s, cmd, op, origin);
	*elapsed = tt_now_ms() - t0;
	pthread_join(th, NULL);
	return res;
}

int main(void)
{
	TEEC_Context ctx;
	TEEC_Session s, s2;
	TEEC_Operation op;
	uint32_t origin = 0;
	uint64_t elapsed = 0;
	TEEC_Result res;

	tt_init_context(&ctx);
	tt_open_session(&ctx, &s, TA_CANCEL_UUID_STR);

	tt_section("uncancelled TEE_Wait runs to its end");
	memset(&op, 0, sizeof(op));
	op.paramTypes = TEEC_PARAM_TYPES(TEEC_VALUE_INPUT, TEEC_NONE, TEEC_NONE, TEEC_NONE);
	op.params[0].value.a = 100;
	{
		uint64_t t0 = tt_now_ms();
		res = TEEC_InvokeCommand(&s, TA_CANCEL_CMD_WAIT, &op, &origin);
		elapsed = tt_now_ms() - t0;
	}
	TEST_STEP("CMD_WAIT(100 ms)");
	ASSERT_TEEC_RES(res, TEEC_SUCCESS);
	TEST_STEP("took %llu ms", (unsigned long long)elapsed);
	ASSERT_GE_INT(elapsed, 95);

	tt_section("TEEC_RequestCancellation during TEE_Wait(20 s)");
	res = invoke_cancelled(&s, TA_CANCEL_CMD_WAIT, TEEC_VALUE_INPUT, 20000, 300, &origin,
			       &elapsed, &op);
	TEST_STEP("cancelled CMD_WAIT (TEE_Wait returned TEE_ERROR_CANCEL to the TA)");
	ASSERT_TEEC_RES_ORIGIN(res, origin, TEEC_ERROR_CANCEL, TEEC_ORIGIN_TRUSTED_APP);
	TEST_STEP("answer came after %llu ms: after the request, before the 20 s wait's end",
		  (unsigned long long)elapsed);
	ASSERT_GE_INT(elapsed, 250);
	/* not a timing bound: a wait that ran out would take 20 s and answer TEEC_SUCCESS */
	ASSERT_LT_INT(elapsed, 20000);

	tt_section("a cancellation requested as the call starts is not lost");
	for (int round = 0; round < 100; round++) {
		struct at_start a = { &op, 0 };
		pthread_t th;

		memset(&op, 0, sizeof(op));
		op.paramTypes = TEEC_PARAM_TYPES(TEEC_VALUE_INPUT, TEEC_NONE, TEEC_NONE, TEEC_NONE);
		op.params[0].value.a = 20000;
		ASSERT_EQ_INT(pthread_create(&th, NULL, cancel_at_start, &a), 0);
		while (!__atomic_load_n(&a.spinning, __ATOMIC_SEQ_CST)) {
			sched_yield(); /* the canceller must be watching before the call starts */
		}
		res = TEEC_InvokeCommand(&s, TA_CANCEL_CMD_WAIT, &op, &origin);
		pthread_join(th, NULL);
		if (res != TEEC_ERROR_CANCEL) {
			TEST_STEP("round %d: the cancellation was lost", round);
			ASSERT_TEEC_RES(res, TEEC_ERROR_CANCEL);
		}
	}
	TEST_STEP("100 calls cancelled as they started: each answered TEEC_ERROR_CANCEL");

	tt_section("masked cancellation");
	res = invoke_cancelled(&s, TA_CANCEL_CMD_WAIT_MASKED, TEEC_VALUE_INOUT, 1000, 200, &origin,
			       &elapsed, &op);
	TEST_STEP("CMD_WAIT_MASKED(1000 ms) cancelled");
	ASSERT_TEEC_RES(res, TEEC_SUCCESS);
	TEST_STEP("the masked wait ran to its end (%llu ms)", (unsigned long long)elapsed);
	ASSERT_GE_INT(elapsed, 950);
	TEST_STEP("TEE_GetCancellationFlag() is false while masked");
	ASSERT_EQ_INT(op.params[0].value.b, 0);
	TEST_STEP("TEE_GetCancellationFlag() is true after unmasking");
	ASSERT_EQ_INT(op.params[0].value.a, 1);

	tt_section("a TA spinning forever, ignoring cancellation");
	tt_open_session(&ctx, &s2, TA_CANCEL_UUID_STR);
	res = invoke_cancelled(&s2, TA_CANCEL_CMD_SPIN, TEEC_VALUE_INPUT, 0, 300, &origin, &elapsed,
			       &op);
	TEST_STEP("spinning TA: the TEE answers the cancelled call itself");
	ASSERT_TEEC_RES_ORIGIN(res, origin, TEEC_ERROR_CANCEL, TEEC_ORIGIN_TEE);
	TEST_STEP("answered %llu ms after the call started: after the %d ms grace period that "
		  "follows the request, instead of hanging",
		  (unsigned long long)elapsed, GRACE_MS);
	/* no upper bound: without the grace period the call never returns, and the test's own
	 * timeout (CTest) catches that; the origin above says who answered */
	ASSERT_GE_INT(elapsed, 300 + GRACE_MS - 50);
	memset(&op, 0, sizeof(op));
	op.paramTypes = TEEC_PARAM_TYPES(TEEC_VALUE_INPUT, TEEC_NONE, TEEC_NONE, TEEC_NONE);
	res = TEEC_InvokeCommand(&s2, TA_CANCEL_CMD_WAIT, &op, &origin);
	TEST_STEP("the instance that ignored the cancellation was killed");
	ASSERT_TEEC_RES_ORIGIN(res, origin, TEEC_ERROR_TARGET_DEAD, TEEC_ORIGIN_TEE);
	TEEC_CloseSession(&s2);

	tt_section("the TEE keeps serving");
	memset(&op, 0, sizeof(op));
	op.paramTypes = TEEC_PARAM_TYPES(TEEC_VALUE_INPUT, TEEC_NONE, TEEC_NONE, TEEC_NONE);
	op.params[0].value.a = 10;
	res = TEEC_InvokeCommand(&s, TA_CANCEL_CMD_WAIT, &op, &origin);
	TEST_STEP("first session, CMD_WAIT(10 ms)");
	ASSERT_TEEC_RES(res, TEEC_SUCCESS);
	tt_open_session(&ctx, &s2, TA_CANCEL_UUID_STR);
	res = TEEC_InvokeCommand(&s2, TA_CANCEL_CMD_WAIT, &op, &origin);
	TEST_STEP("new session, CMD_WAIT(10 ms)");
	ASSERT_TEEC_RES(res, TEEC_SUCCESS);
	TEEC_CloseSession(&s2);
	TEEC_CloseSession(&s);
	TEEC_FinalizeContext(&ctx);
	printf("tee_cancel: all checks passed\n");
	return 0;
}
