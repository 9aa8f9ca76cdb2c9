/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * mediator_interrupt_probe: a TA that sends INTERRUPT requests as a hostile or buggy TA
 * could (test_interrupt.sh), through libtzm's transport directly (no TA should). Thread A
 * blocks in read of a pipe; main's thread asks the shadow to interrupt calls of lanes
 * that do not exist or are its own, seqs that were never submitted or are far in the
 * past, with stray arguments or a blob: each is answered EINVAL and changes nothing; a
 * lane without that call in flight: 0. Then A's own read: 1 (A's libtzm sends its read
 * again: nothing was meant for it), and a flood of 2,000 such requests; A must still get
 * the byte main writes afterwards, and the run must end normally. A seq thousands of
 * submissions old is not refused (0: a blocked call may be that old). One line per check.
 *
 * usage: mediator_interrupt_probe   (77 natively: there is no libtzm to reach into)
 */
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../ta/tzm_int.h"

/* the native build of this program has no libtzm */
#pragma weak tzm__rt

#define A_LANE 1u /* the first thread the program makes gets lane 1 */
#define FLOOD 2000

static int fds[2] = { -1, -1 };
static char got;
static long got_n;

static void *reader(void *arg)
{
	(void)arg;
	got_n = (long)read(fds[0], &got, 1);
	return NULL;
}

/* One INTERRUPT request: ret, or -errno, or -1000 when the channel failed. */
static int64_t interrupt_req(int64_t lane, int64_t seq, int64_t a2, uint32_t blob)
{
	struct tzm_transport *tp = tzm__rt.tp;
	struct tzm_wire_req rq;
	struct tzm_wire_resp rs;
	int slot = tp->ops->slot_get(tp);

	if (slot < 0) {
		return -1000;
	}
	memset(&rq, 0, sizeof(rq));
	memset(&rs, 0, sizeof(rs));
	rq.opcode = TZM_OP_INTERRUPT;
	rq.args[0] = lane;
	rq.args[1] = seq;
	rq.args[2] = a2;
	rq.data_len = blob;
	if (tp->ops->submit(tp, (uint32_t)slot, &rq, false) != 0 ||
	    tp->ops->wait(tp, (uint32_t)slot, &rs) != 0) {
		return -1000;
	}
	return rs.err != 0 ? -(int64_t)rs.err : rs.ret;
}

static const char *said(int64_t r)
{
	static char text[32];

	if (r == -EINVAL) {
		return "EINVAL";
	}
	snprintf(text, sizeof(text), "%lld", (long long)r);
	return text;
}

/* the seq of A's read in flight (0 until it is) */
static uint32_t a_seq(void)
{
	struct tzm_transport *tp = tzm__rt.tp;
	uint32_t seq = 0;

	for (uint32_t i = 0; i < TZM_WIRE_LANE_SLOTS && seq == 0; i++) {
		seq = tp->ops->inflight_seq(tp, A_LANE * TZM_WIRE_LANE_SLOTS + i);
	}
	return seq;
}

int main(void)
{
	const struct timespec tick = { 0, 10 * 1000000L };
	pthread_t t;
	uint32_t seq = 0, first_seq = 0;
	int ones = 0, rounds = 0;

	if (&tzm__rt == NULL) {
		fprintf(stderr, "mediator_interrupt_probe: only as a TA or with --local\n");
		return 77;
	}
	if (pipe(fds) != 0 || pthread_create(&t, NULL, reader, NULL) != 0) {
		perror("setup");
		return 2;
	}
	while ((seq = a_seq()) == 0 && rounds++ < 1000) {
		nanosleep(&tick, NULL);
	}
	nanosleep(&tick, NULL); /* (A's read reaches its worker) */
	printf("lane -1: %s\n", said(interrupt_req(-1, seq, 0, 0)));
	printf("lane 32: %s\n", said(interrupt_req(TZM_WIRE_MAX_LANES, seq, 0, 0)));
	printf("own lane: %s\n", said(interrupt_req(0, seq, 0, 0)));
	printf("seq 0: %s\n", said(interrupt_req(A_LANE, 0, 0, 0)));
	printf("seq too large: %s\n", said(interrupt_req(A_LANE, (int64_t)1 << 40, 0, 0)));
	printf("seq not yet submitted: %s\n", said(interrupt_req(A_LANE, seq + 1000u, 0, 0)));
	printf("stray argument: %s\n", said(interrupt_req(A_LANE, seq, 7, 0)));
	printf("blob: %s\n", said(interrupt_req(A_LANE, seq, 0, 8)));
	printf("idle lane: %s\n", said(interrupt_req(A_LANE + 3, seq, 0, 0)));
	printf("in flight: %s\n", said(interrupt_req(A_LANE, seq, 0, 0)));
	first_seq = seq;
	rounds = 0;
	while (a_seq() == seq && rounds++ < 1000) {
		nanosleep(&tick, NULL); /* until A's read was answered EINTR and sent again */
	}
	printf("again, answered meanwhile: %s\n", said(interrupt_req(A_LANE, seq, 0, 0)));
	/*
	 * The flood, back to back, then (when none of it found A's read being served: on a
	 * loaded machine A may not have sent it again within the whole flood, seen once at
	 * load 12) one request per tick until one does, for at most 10 s.
	 */
	for (int i = 0, left = 1000; i < FLOOD || (ones == 0 && left-- > 0); i++) {
		int64_t r = 0;

		if (i >= FLOOD) {
			nanosleep(&tick, NULL);
		}
		seq = a_seq();
		r = seq != 0 ? interrupt_req(A_LANE, seq, 0, 0) : 0;
		if (r < 0) {
			printf("flood: request %d answered %s\n", i, said(r));
			break;
		}
		ones += r == 1;
	}
	printf("flood: some interrupted %s\n", ones > 0 ? "yes" : "no");
	/* thousands of submissions old, answered long ago: nothing to do, not refused */
	printf("first seq again: %s\n", said(interrupt_req(A_LANE, first_seq, 0, 0)));
	if (write(fds[1], "k", 1) != 1 || pthread_join(t, NULL) != 0) {
		perror("end");
		return 2;
	}
	printf("reader: %ld %c\n", got_n, got_n == 1 ? got : '-');
	return 0;
}
