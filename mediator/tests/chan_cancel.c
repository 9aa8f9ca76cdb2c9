/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * CTest mediator_chan_cancel: how the TA side of the shared-memory channel
 * (transport/chan.c) takes a GP cancellation of its wait (TEE_Wait returning
 * TEE_ERROR_CANCEL on real OP-TEE, the fake waiter here):
 *  1. without the channel's cancel flag: tzm-run's watchdog cancelled because tzm-run
 *     is dead (shadow/run_watchdog.c). The call must fail at once (EIO), without
 *     another wait, and every later call too; the run counts as cancelled.
 *  2. with the flag (tzm-run gives up on a run, run_signals.c): the call keeps waiting
 *     and gets the shadow's answer.
 *  3. a cancelled sleep without the flag: EINTR, and the next call fails at once.
 *  4. the flag without a cancellation reaching the wait (OP-TEE 4.10 under QEMU, tzm-run
 *     dying of SIGTERM): the call fails after the grace instead of polling a dead
 *     channel for good (tzm-run's thread stuck in the invoke).
 *  5. without the flag, cancelled in the very wait in which the answer came (tzm-run
 *     killed just after answering): the TEE reports a cancellation once and masks it
 *     from then on, so it must not be lost: the call fails (EIO), the next one at once.
 *     Before, the call returned the answer and the next one waited for ever.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <tzm_test.h>

#include "../transport/chan.h"

static unsigned waits;
static unsigned cancel_on = 1; /* the wait that is cancelled (1-based) */
static unsigned answer_on;     /* the wait after which the "shadow" answers; 0 never */
static struct tzm__chan chan;

static int fake_wait(volatile uint32_t *addr, uint32_t expected, uint32_t timeout_ms)
{
	(void)expected;
	(void)timeout_ms;
	waits++;
	if (answer_on && waits == answer_on) {
		/* the shadow's EINTR answer to the call on slot 0, completion number 1 */
		chan.ctrl->slots[0].resp.seq = expected + 1;
		chan.ctrl->slots[0].resp.ret = -1;
		chan.ctrl->slots[0].resp.err = EINTR;
		chan.ctrl->cq[expected % TZM_WIRE_RING] = expected + 1;
		__atomic_store_n(&chan.ctrl->resp_seq, expected + 1, __ATOMIC_SEQ_CST);
		/* addr: lane 0's doorbell (wire v6), rung after the completion */
		__atomic_store_n(addr, expected + 1, __ATOMIC_SEQ_CST);
	}
	return waits == cancel_on ? -ECANCELED : 0;
}

static int fake_sleep(uint32_t ms)
{
	(void)ms;
	waits++;
	return -ECANCELED;
}

static const struct tzm__chan_waiter fake = {
	.wait = fake_wait,
	.sleep = fake_sleep,
	.can_sleep_on_futex = false, /* as on OP-TEE: the peer cannot wake the TA */
};

static void *fresh(void)
{
	static void *mem;
	size_t size = TZM_WIRE_CTRL_SIZE + TZM_WIRE_DATA_MIN;

	free(mem);
	ASSERT_EQ_ERRNO(posix_memalign(&mem, 64, size), 0);
	ASSERT_OK(tzm__chan_format(mem, size, 0));
	ASSERT_OK(tzm__chan_attach(&chan, mem, size, &fake));
	waits = 0;
	return mem;
}

static int call(void)
{
	struct tzm_wire_req req;
	struct tzm_wire_resp resp;

	memset(&req, 0, sizeof(req));
	req.opcode = TZM_OP_ACCEPT4;
	return tzm__chan_call(&chan, &req, &resp);
}

int main(void)
{
	struct tzm_transport tp = { .ops = &tzm__chan_transport_ops, .priv = &chan };

	TEST_STEP("1: cancelled without the flag: EIO at once (the shadow is gone), run over");
	fresh();
	cancel_on = 1;
	answer_on = 0;
	ASSERT_EQ_ERRNO(call(), -EIO);
	ASSERT_EQ_U64(waits, 1);
	ASSERT_EQ_ERRNO(call(), -EIO); /* a later call does not wait */
	ASSERT_EQ_U64(waits, 1);
	ASSERT_TRUE(tp.ops->cancelled(&tp));

	TEST_STEP("2: cancelled with the flag: waits for the shadow's answer");
	fresh();
	__atomic_store_n(&chan.ctrl->cancel, 1, __ATOMIC_SEQ_CST);
	cancel_on = 1;
	answer_on = 3;
	ASSERT_OK(call());
	ASSERT_EQ_U64(waits, 3);

	TEST_STEP("3: cancelled sleep without the flag: the next call fails at once");
	fresh();
	answer_on = 0;
	ASSERT_EQ_ERRNO(tp.ops->sleep_ms(&tp, 50), -EINTR);
	ASSERT_EQ_ERRNO(call(), -EIO);
	ASSERT_EQ_U64(waits, 1);

	TEST_STEP("4: the flag, no cancellation, no answer: EIO after the grace, not never");
	fresh();
	__atomic_store_n(&chan.ctrl->cancel, 1, __ATOMIC_SEQ_CST);
	cancel_on = 0;
	answer_on = 0;
	ASSERT_EQ_ERRNO(call(), -EIO);
	ASSERT_TRUE(waits > 1 && waits < 10000); /* waits of 1..8 ms up to the 1 s grace */
	ASSERT_EQ_ERRNO(call(), -EIO);
	ASSERT_TRUE(tp.ops->cancelled(&tp));

	TEST_STEP("5: cancelled without the flag in the wait the answer came in: not lost");
	fresh();
	cancel_on = 1;
	answer_on = 1;
	ASSERT_EQ_ERRNO(call(), -EIO);
	ASSERT_EQ_U64(waits, 1);
	ASSERT_EQ_ERRNO(call(), -EIO); /* no wait for an answer that cannot come */
	ASSERT_EQ_U64(waits, 1);
	ASSERT_TRUE(tp.ops->cancelled(&tp));
	printf("mediator_chan_cancel: all checks passed\n");
	return 0;
}
