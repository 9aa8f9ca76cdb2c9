/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * libFuzzer target for the TA side of the wire protocol's rings (one lane: one thread)
 * (mediator/transport/chan.c): the one place completions are decoded. The input is a script: the
 * "TA" submits calls on free slots (write and read chunks, some linked, some detached; closes),
 * waits for slots, drains, and a hostile "shadow" writes arbitrary completion-ring entries,
 * response headers and completion counts. A model of what was submitted checks every completion the
 * channel accepts: it names the oldest call in flight, its header carries that call's seq, a skip
 * only follows a chain that ended. A wait never hangs: the fake doorbell cancels every sleep, which
 * breaks the channel (the shadow is "gone").
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../transport/chan.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define AREA (TZM_WIRE_CTRL_SIZE + TZM_WIRE_DATA_MIN)

static int fake_wait(volatile uint32_t *addr, uint32_t expected, uint32_t timeout_ms)
{
	(void)addr;
	(void)expected;
	(void)timeout_ms;
	return -ECANCELED; /* ctrl->cancel is 0: the TA takes the shadow for dead */
}

static int fake_sleep(uint32_t ms)
{
	(void)ms;
	return -ECANCELED;
}

static const struct tzm__chan_waiter fake = {
	.wait = fake_wait,
	.sleep = fake_sleep,
	.can_sleep_on_futex = false,
};

static void die(const char *why)
{
	fprintf(stderr, "fuzz_ring: %s\n", why);
	abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static void *mem;
	struct tzm__chan c;
	/* the model: the seq of the call on each slot (0: none), its link flag */
	uint32_t model_seq[TZM_WIRE_SLOTS] = { 0 };
	size_t at = 0;

	if (!mem && posix_memalign(&mem, 64, AREA) != 0) {
		return 0;
	}
	if (tzm__chan_format(mem, AREA, 0) != 0 || tzm__chan_attach(&c, mem, AREA, &fake) != 0) {
		die("cannot set up the channel");
	}
	/* no spinning: every wait goes straight to the (cancelled) sleep */
	for (int k = 0; k < TZM__WAIT__COUNT; k++) {
		c.lane[0].learn.misses[k] = 4;
		c.lane[0].learn.probe[k] = 1;
	}
	while (at < size) {
		uint8_t op = data[at++];

		switch (op % 4) {
		case 0: { /* submit */
			struct tzm_wire_req rq;
			int slot = -1;

			memset(&rq, 0, sizeof(rq));
			/* a write chunk (full when ret == data_len), a read chunk (full when
			 * ret == args[1]), or an unlinkable close */
			rq.opcode = !(op & 0x10)  ? TZM_OP_CLOSE
				    : (op & 0x04) ? TZM_OP_READ
						  : TZM_OP_WRITE;
			rq.flags = (op & 0x20) ? TZM_REQ_F_LINK : 0;
			if (rq.opcode == TZM_OP_READ) {
				rq.args[1] = (op & 0x40) ? 64 : 0;
			} else {
				rq.data_len = (op & 0x40) ? 64 : 0;
			}
			slot = tzm__chan_slot_get(&c);
			if (slot < 0) {
				bool lane_free = false;

				/* v3: a lane whose slots hold calls never waited for has none left
				 */
				for (uint32_t i = 0; i < TZM_WIRE_LANE_SLOTS; i++) {
					lane_free = lane_free || c.slot_state[i] == TZM__SLOT_FREE;
				}
				if (!c.broken && lane_free) {
					die("no slot on a working channel");
				}
				break;
			}
			if (slot >= (int)TZM_WIRE_SLOTS) {
				die("slot out of range");
			}
			if (tzm__chan_submit(&c, (uint32_t)slot, &rq, (op & 0x80) != 0) == 0) {
				model_seq[slot] = (op & 0x80) ? 0 : c.seq;
			}
			break;
		}
		case 1: { /* the shadow writes something */
			struct tzm_wire_resp rs;
			uint8_t pick = 0, delta = 0;
			uint32_t entry = 0;

			if (size - at < 2 + sizeof(entry) + sizeof(rs)) {
				at = size;
				break;
			}
			pick = data[at++];
			delta = data[at++];
			memcpy(&entry, data + at, sizeof(entry));
			at += sizeof(entry);
			memcpy(&rs, data + at, sizeof(rs));
			at += sizeof(rs);
			if (pick & 0x80) {
				/* small numbers: plausible seqs, where the interesting checks are
				 */
				entry = c.seq - (entry % 6u);
				rs.seq = (pick & 0x40) ? entry : c.seq - (rs.seq % 6u);
			}
			c.ctrl->cq[(c.ctrl->resp_seq + (pick & 3u)) % TZM_WIRE_RING] = entry;
			if (delta & 0x10) {
				/* also as the last completion, which the TA reads first */
				c.ctrl->cq_last =
					((uint64_t)(c.ctrl->resp_seq + (pick & 3u) + 1) << 32) |
					entry;
			}
			memcpy((void *)&c.ctrl->slots[(pick >> 2) % TZM_WIRE_SLOTS].resp, &rs,
			       sizeof(rs));
			c.ctrl->resp_seq += delta % 4u;
			if (delta & 0x20) {
				/* a doorbell (v6) rung, with or without a completion: a hint */
				c.ctrl->lane_bell[(pick >> 2) % TZM_WIRE_MAX_LANES].rings +=
					1u + (delta >> 6);
			}
			break;
		}
		case 2: { /* wait for a slot */
			struct tzm_wire_resp rs;
			uint32_t slot = (op >> 2) % TZM_WIRE_SLOTS;
			uint32_t expect = model_seq[slot];

			if (tzm__chan_wait(&c, slot, &rs) == 0) {
				if (expect == 0 || rs.seq != expect) {
					die("a completion for another call was accepted");
				}
				if ((rs.flags & ~TZM_RESP_F_SKIPPED) != 0) {
					die("an unknown completion flag was accepted");
				}
				model_seq[slot] = 0;
			} else if (!c.broken) {
				die("a failed wait left the channel working");
			}
			break;
		}
		default: /* drain */
			if (tzm__chan_drain(&c) == 0 && c.nfifo != 0) {
				die("drained with calls in flight");
			}
			break;
		}
		if (c.nfifo > TZM_WIRE_SLOTS) {
			die("more calls in flight than slots");
		}
	}
	return 0;
}
