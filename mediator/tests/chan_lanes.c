/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * CTest mediator_chan_lanes: a TA thread that waits for its answer while the TA's other
 * threads make many calls (transport/chan.c, wire protocol v3 lanes). Thread A (lane 0)
 * has a call in flight and sleeps; meanwhile thread B (lane 1) submits, gets answered and
 * reaps TZM_WIRE_SLOTS + 36 calls, then A's answer comes. A must get it: the completions
 * B took while A slept are B's business, not a protocol breach. (Until this test, A's wait
 * bounded resp_seq by TZM_WIRE_SLOTS past what it saw when it started waiting, so a
 * thread-per-connection server of 8 or more busy threads broke its channel, every call
 * failing with EIO, about every other run.)
 * Deterministic: the fake waiter plays B, and the shadow, inside A's sleep.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <tzm_test.h>

#include "../transport/chan.h"

#define B_CALLS (TZM_WIRE_SLOTS + 36u)

static struct tzm__chan chan;
static uint32_t a_seq;   /* A's call, to be answered after B's */
static unsigned a_waits; /* sleeps of A's wait */
static int b_failed;     /* first failure inside the fake wait, reported by main */

/* The shadow's answer to the call seq on slot: ret 0, no data. */
static void answer(uint32_t slot, uint32_t seq)
{
	uint32_t n = __atomic_load_n(&chan.ctrl->resp_seq, __ATOMIC_RELAXED);

	memset((void *)&chan.ctrl->slots[slot].resp, 0, sizeof(chan.ctrl->slots[slot].resp));
	chan.ctrl->slots[slot].resp.seq = seq;
	chan.ctrl->cq[n % TZM_WIRE_RING] = seq;
	__atomic_store_n(&chan.ctrl->resp_seq, n + 1, __ATOMIC_SEQ_CST);
	/* the doorbell of the call's lane (wire v6): only that lane's thread looks */
	__atomic_fetch_add(&chan.ctrl->lane_bell[slot / TZM_WIRE_LANE_SLOTS].rings, 1u,
			   __ATOMIC_SEQ_CST);
}

/* Thread B on lane 1: one call, answered at once, reaped. */
static int b_call(void)
{
	struct tzm_wire_req req;
	struct tzm_wire_resp resp;
	int rc = 0;

	memset(&req, 0, sizeof(req));
	req.opcode = TZM_OP_FSYNC;
	if ((rc = tzm__chan_submit(&chan, 2, &req, false)) != 0) {
		return rc;
	}
	answer(2, chan.seq);
	return tzm__chan_wait(&chan, 2, &resp);
}

/* A's futex sleep: B works meanwhile, then A's answer comes. */
static int fake_wait(volatile uint32_t *addr, uint32_t expected, uint32_t timeout_ms)
{
	(void)addr;
	(void)expected;
	(void)timeout_ms;
	if (a_waits++ > 0) {
		return 0;
	}
	tzm__chan_lane_bind(&chan, 1);
	for (uint32_t i = 0; i < B_CALLS && b_failed == 0; i++) {
		b_failed = b_call();
	}
	tzm__chan_lane_bind(&chan, 0);
	answer(0, a_seq);
	return 0;
}

static const struct tzm__chan_waiter fake = {
	.wait = fake_wait,
	.can_sleep_on_futex = true, /* the sleep path, where A stays while B works */
};

int main(void)
{
	size_t size = TZM_WIRE_CTRL_SIZE + 2u * TZM_WIRE_LANE_DATA; /* two lanes */
	struct tzm_wire_req req;
	struct tzm_wire_resp resp;
	uint32_t limit = 0;
	void *mem = NULL;

	TEST_STEP("a channel with two lanes: A (lane 0) and B (lane 1)");
	ASSERT_EQ_ERRNO(posix_memalign(&mem, 64, size), 0);
	ASSERT_OK(tzm__chan_format(mem, size, 0));
	ASSERT_OK(tzm__chan_attach(&chan, mem, size, &fake));
	ASSERT_EQ_U64(chan.lanes, 2);
	ASSERT_EQ_U64(tzm__chan_lane_reserve(&chan, &limit), 1); /* A takes lane 0, B gets 1 */

	TEST_STEP("A's call waits while B makes more calls than the channel has slots");
	memset(&req, 0, sizeof(req));
	req.opcode = TZM_OP_READ;
	ASSERT_EQ_U64(tzm__chan_slot_get(&chan), 0);
	ASSERT_OK(tzm__chan_submit(&chan, 0, &req, false));
	a_seq = chan.seq;
	ASSERT_OK(tzm__chan_wait(&chan, 0, &resp));
	ASSERT_OK(b_failed);
	ASSERT_EQ_U64(resp.seq, a_seq);
	ASSERT_EQ_U64(a_waits, 1);
	ASSERT_EQ_U64(chan.cq_head, B_CALLS + 1);

	TEST_STEP("the channel still works: another call of A's");
	ASSERT_OK(tzm__chan_submit(&chan, 0, &req, false));
	answer(0, chan.seq);
	ASSERT_OK(tzm__chan_wait(&chan, 0, &resp));
	free(mem);
	printf("mediator_chan_lanes: all checks passed\n");
	return 0;
}
