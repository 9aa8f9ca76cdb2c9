/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Shared-memory channel (private to mediator/transport): the tzm_wire_ctrl page plus data
 * area, with the adaptive spin-then-sleep doorbell. Both sides of every shared-memory
 * transport use it; only the sleep/wake primitives differ (struct tzm__chan_waiter).
 */
#ifndef TZM_TRANSPORT_CHAN_H
#define TZM_TRANSPORT_CHAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <tzm/tzm_transport.h>
#include <tzm/tzm_wire.h>

/* One portable CPU relax hint for spin loops. */
#if defined(__x86_64__) || defined(__i386__)
#define TZM_CPU_RELAX() __builtin_ia32_pause()
#elif defined(__aarch64__)
#define TZM_CPU_RELAX() __asm__ __volatile__("yield" ::: "memory")
#else
#define TZM_CPU_RELAX() __asm__ __volatile__("" ::: "memory")
#endif

/*
 * Sleep/wake primitive. wait() sleeps while *addr == expected for up to timeout_ms and
 * returns 0 (woken, value changed or spurious), -ETIMEDOUT or -ECANCELED (the run was
 * cancelled). wake may be NULL when the side cannot wake its peer (the peer polls).
 */
struct tzm__chan_waiter {
	int (*wait)(volatile uint32_t *addr, uint32_t expected, uint32_t timeout_ms);
	void (*wake)(volatile uint32_t *addr);
	/* cancellable sleep: 0 or -ECANCELED */
	int (*sleep)(uint32_t ms);
	bool can_sleep_on_futex; /* peer may wake us: announce it through *_waiting */
	/*
	 * 1 + the CPU this thread runs on, 0 when unknown; NULL where the world cannot tell
	 * (real OP-TEE). Published with every request/answer as a scheduling hint.
	 */
	uint32_t (*cpu)(void);
	/*
	 * Gives the CPU to another runnable thread (sched_yield); NULL where the world has
	 * no such call. Only used while the peer is known to sit on the waiter's CPU.
	 */
	void (*yield)(void);
};

/*
 * Kinds of waits, each with its own learned duration estimate, so that the long waits of
 * one kind (a read() on an idle connection, accept()) never shrink the spin budget of
 * the short ones (the shadow's answer to a quick call, the TA's next request).
 */
enum tzm__chan_wait_kind {
	TZM__WAIT_NEXT,   /* shadow: the TA's next request after a reply */
	TZM__WAIT_QUICK,  /* TA: the shadow serves a call without blocking in the kernel */
	TZM__WAIT_INPUT,  /* TA: shadow blocked in read/recv/accept/mq_receive */
	TZM__WAIT_OUTPUT, /* TA: shadow blocked in write/send/mq_send */
	TZM__WAIT_EVENT,  /* TA: shadow blocked in poll/epoll_wait/connect/open... */
	TZM__WAIT__COUNT
};

struct tzm__chan_timeline;

/* TA: the state of one call slot */
enum tzm__slot_state {
	TZM__SLOT_FREE,
	TZM__SLOT_INFLIGHT, /* submitted; its owner will wait for it */
	TZM__SLOT_DETACHED, /* submitted; nobody waits: freed when its completion arrives */
	TZM__SLOT_DONE,     /* completed; the validated copy is in done[] */
};

/* Adaptive spin state of one waiter (per lane on the TA side: one thread each). */
struct tzm__chan_learn {
	uint8_t misses[TZM__WAIT__COUNT]; /* per kind: spins in a row that ran out of budget */
	uint8_t probe[TZM__WAIT__COUNT];  /* per kind: counts waits while it sleeps at once */
};

/* TA: one lane (a TA thread's slots): its calls in flight in submission order */
struct tzm__chan_lane {
	uint32_t nfifo;
	uint32_t fifo[TZM_WIRE_LANE_SLOTS]; /* slot numbers */
	bool last_full; /* the lane's last completed call lets a following linked one run */
	struct tzm__chan_learn learn;
};

/* TA: what was submitted on a slot (the copy completions are checked against) */
struct tzm__chan_call_rec {
	uint32_t seq;
	uint32_t opcode;
	uint32_t data_len;
	int64_t count; /* args[1]: a read's count (tzm_wire_link_full) */
	bool link;     /* submitted with TZM_REQ_F_LINK */
};

struct tzm__chan {
	struct tzm_wire_ctrl *ctrl;
	uint8_t *data;      /* slot 0's area (the start of the data area) */
	uint32_t data_size; /* bytes of one slot's area */
	uint32_t lanes;     /* validated ctrl.lanes */
	uint32_t seq;       /* last seq submitted (TA) or taken (shadow) */
	/*
	 * TA: everything below up to `broken` is guarded by `lock` (TA threads share the
	 * channel; waits happen outside the lock). completions consumed; calls in flight.
	 */
	uint32_t cq_head;
	uint32_t nfifo;
	uint32_t lanes_used; /* bit l: lane l belongs to a thread */
	struct tzm__chan_lane lane[TZM_WIRE_MAX_LANES];
	struct tzm__chan_call_rec rec[TZM_WIRE_SLOTS];
	uint8_t slot_state[TZM_WIRE_SLOTS];
	/*
	 * The slot each recent seq was submitted on (seq % TZM_WIRE_RING): where a completion
	 * is looked for first. Only a hint (a long-blocked call's entry may have been reused):
	 * the search over all slots decides when it misses.
	 */
	uint8_t seq_slot[TZM_WIRE_RING];
	struct tzm_wire_resp done[TZM_WIRE_SLOTS];
	uint32_t cur_slot;            /* shadow, one call at a time: the slot being served */
	struct tzm__chan_learn learn; /* shadow: its waits for the next request */
	/* shadow: those waits after a call went to a worker (handed_off), learned apart */
	struct tzm__chan_learn learn_handed_off;
	bool handed_off;
	uint32_t next_spun, next_slept; /* shadow: how its waits for a request ended */
	uint32_t reply_count;           /* shadow: completions published */
	struct tzm__chan_timeline *tl;  /* shadow, TZM_CHAN_STATS: per-call timeline */
	volatile int lock;              /* TA: the state above; shadow: the completion ring */
	volatile bool broken;
	volatile bool cancelled;
	volatile int stop; /* shadow side: local stop request */
	const struct tzm__chan_waiter *w;
};

/* Shadow: lays out a fresh channel in mem (size bytes). */
int tzm__chan_format(void *mem, size_t size, uint32_t flags);
/* Either side: attaches to a formatted channel, validating the ctrl page it sees. */
int tzm__chan_attach(struct tzm__chan *c, void *mem, size_t size, const struct tzm__chan_waiter *w);

/* TA side. A thread's calls use its lane (the first thread's is reserved on its first call). */
/* One call on a free slot of the caller's lane, waited for: submit + wait. */
int tzm__chan_call(struct tzm__chan *c, const struct tzm_wire_req *req, struct tzm_wire_resp *resp);
/* A free slot of the caller's lane (reaping its detached calls if needed), or -EIO. */
int tzm__chan_slot_get(struct tzm__chan *c);
uint8_t *tzm__chan_slot_data(struct tzm__chan *c, uint32_t slot);
/*
 * Submits req (blob already in the slot's area) on a free slot of the caller's lane;
 * detached: nobody will wait for it (its completion is checked and the slot freed when it
 * arrives). 0 or -EIO.
 */
int tzm__chan_submit(struct tzm__chan *c, uint32_t slot, const struct tzm_wire_req *req,
		     bool detached);
/* Waits for the completion of the call on slot (validated), copies it, frees the slot. */
int tzm__chan_wait(struct tzm__chan *c, uint32_t slot, struct tzm_wire_resp *resp);
/* Waits for every call in flight on the caller's lane and every detached call; 0 or -EIO. */
int tzm__chan_drain(struct tzm__chan *c);
/*
 * Lanes of TA threads: reserve one for a thread about to be created (-EAGAIN: all in use;
 * *limit = how many the channel has), bind the calling thread to it, release the calling
 * thread's lane at its exit (after its calls in flight completed).
 */
int tzm__chan_lane_reserve(struct tzm__chan *c, uint32_t *limit);
void tzm__chan_lane_bind(struct tzm__chan *c, uint32_t lane);
void tzm__chan_lane_unreserve(struct tzm__chan *c, uint32_t lane);
void tzm__chan_lane_release(struct tzm__chan *c);
/* Shadow side */
/* The next submission in ring order (header copied once into req), its slot in *slot. */
int tzm__chan_next(struct tzm__chan *c, struct tzm_wire_req *req);
int tzm__chan_next_slot(struct tzm__chan *c, struct tzm_wire_req *req, uint32_t *slot);
/* Completes the call of the last next() (reply) or the call seq on slot (any thread). */
int tzm__chan_reply(struct tzm__chan *c, const struct tzm_wire_resp *resp);
int tzm__chan_complete(struct tzm__chan *c, uint32_t slot, uint32_t seq,
		       const struct tzm_wire_resp *resp);
/*
 * Shadow: announces that the call being served (c->seq) is about to enter a syscall that
 * may block, so the TA waits with that kind's budget (and sleeps at once when that kind's
 * waits have been long). Costs one store; no syscall.
 */
void tzm__chan_will_block(struct tzm__chan *c);
void tzm__chan_will_block_seq(struct tzm__chan *c, uint32_t seq);
void tzm__chan_stop(struct tzm__chan *c);
void tzm__chan_cancel(struct tzm__chan *c);

/*
 * Shadow: one line of doorbell statistics (its own waits, and the TA's counters, which
 * are untrusted and only printed) into buf.
 */
void tzm__chan_stats(const struct tzm__chan *c, char *buf, size_t len);
/*
 * Shadow: start / stop collecting a per-call timeline (printed by tzm__chan_stats): per
 * class of call (read-like, write-like, other), the median TA -> shadow hand-off,
 * shadow's work and shadow -> TA hand-off, and the TA's own time between an answer and
 * its next request, from CPU counter stamps of both sides. Diagnostics only.
 */
int tzm__chan_timeline_start(struct tzm__chan *c);
void tzm__chan_timeline_stop(struct tzm__chan *c);

/* Monotonic nanoseconds from the CPU counter (no syscall): spin budgets are in time. */
uint64_t tzm__chan_clock_ns(void);
/* CPU counter ticks to ns (this process's calibration). */
uint64_t tzm__chan_ticks_ns(uint64_t ticks);

/* chan_timeline.c: the timeline's bookkeeping, fed by chan.c with counter stamps (32 bits).
 * A call of class cls (0 read-like, 1 write-like, 2 other) picked up at now; post / seen:
 * the TA's stamps of posting it and of seeing the previous answer (after_reply: there was
 * one). */
void tzm__chan_timeline_request(struct tzm__chan_timeline *t, bool after_reply, uint8_t cls,
				uint32_t post, uint32_t seen, uint32_t now);
void tzm__chan_timeline_reply(struct tzm__chan_timeline *t, uint32_t now);
void tzm__chan_timeline_print(const struct tzm__chan_timeline *t, char *buf, size_t len,
			      size_t *at);
/* snprintf at *at in buf, keeping *at within len (output beyond it is cut). */
void tzm__chan_append(char *buf, size_t len, size_t *at, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* Host futex helpers (normal world and local test transport). */
int tzm__futex_wait(volatile uint32_t *addr, uint32_t expected, uint32_t timeout_ms);
uint32_t tzm__host_cpu(void);
void tzm__host_yield(void);
void tzm__futex_wake(volatile uint32_t *addr);
extern const struct tzm__chan_waiter tzm__futex_waiter;

/* Ready-made transports over a channel (priv = struct tzm__chan *). */
extern const struct tzm_transport_ops tzm__chan_transport_ops;
extern const struct tzm_server_transport_ops tzm__chan_server_ops;

#endif
