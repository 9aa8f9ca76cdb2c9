/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Shared-memory channel: the doorbell and header exchange of the wire protocol
 * (mediator/include/tzm/tzm_wire.h), used by both worlds.
 *
 * Doorbell: spin-then-sleep, with the spin bounded in time.
 * A hand-off by spinning on the peer's sequence word costs a fraction of a microsecond,
 * one by futex sleep/wake about as much as a whole native round trip, so a forwarded call
 * must not sleep when its answer is near. (Measured figures for this and the points
 * below: docs/bench-design-note.md; they change with the machine, so they live there.)
 * Hence:
 *  - budgets are nanoseconds read from the CPU counter (rdtsc / cntvct_el0, cheap to
 *    read), because what a `pause` costs differs by an order of magnitude by machine;
 *  - a waiter spins up to SPIN_CAP_NS, a few native round trips: the waits a
 *    forwarded round trip consists of (the peer's turn-around, the shadow's syscall) are
 *    all shorter than that when the CPU is not contended. It only relaxes the CPU while
 *    spinning (but see the next point): a sched_yield() between polls (a syscall each,
 *    and an invitation to migrate the woken peer onto the spinner's CPU) made round
 *    trips markedly slower than pure spinning;
 *  - when the peer last published from the waiter's own CPU (ta_cpu/shadow_cpu
 *    hints): then the peer cannot run while the waiter spins, so the waiter yields
 *    instead (staying runnable lets the scheduler move one of the two to an idle CPU;
 *    sleeping in turn, they would stay together for good), and a spin that runs out
 *    while they share a CPU is what used to send kinds to sleep;
 *  - each kind of wait (enum tzm__chan_wait_kind) that ran out of budget COLD_MISSES
 *    times in a row sleeps at once (accept(), a read on an idle connection), spinning
 *    again on every PROBE_EVERY-th wait to notice when its waits became short. Only spin
 *    outcomes count, never durations: a slept wait lasts as long as the wake-up, so
 *    timing it would teach the channel that its waits are long because it slept;
 *  - the shadow announces in shadow_blocking that it is about to block in the kernel; the
 *    TA's wait then switches from the "quick" kind to the kind of its call;
 *  - a yield that returns within NOOP_YIELD_NS switched to nobody (a switch to another
 *    task and back takes longer). Either the hint is stale (the peer moved, or is about to
 *    publish from another CPU), and yielding again would only add a syscall between polls
 *    (yielding on a stale hint put single round trips in a slow mode: medians of 10-24 us
 *    instead of 4-7 us in one trial in six); or the peer is runnable here but the
 *    scheduler would not switch to it: the TA host runs in tzm-teed's session, the shadow
 *    in its user's, so with autogroups (Debian's default) they are in different task
 *    groups, and on Linux 6.18 (EEVDF) a shadow that had just woken its co-located TA
 *    got its yield back at once, and the woken TA did not preempt its spin. Spinning on
 *    then held the CPU the peer needed until the budget was spent (shadow and TA pinned
 *    to one CPU: 64 B round trips of 60-70 us, 17 us with kernel.sched_autogroup_enabled
 *    =0; bulk 0.7 against 7.5 GB/s). So the waiter spins at most COLOCATED_SPIN_NS more,
 *    then sleeps;
 *  - a spinner that finds a gap of PREEMPTED_NS between two of its polls was preempted:
 *    other work wants its CPU. If the answer is not there either (the preempting task was
 *    not the peer), it sleeps at once.
 *  - a TA thread waits on its own lane's doorbell (wire v6) while the TA has given out
 *    more than one lane, and on resp_seq while it is alone: a completion then wakes only
 *    the thread it is for (on resp_seq, every waiting thread woke and took the lock).
 * Before sleeping the waiter announces itself in its *_waiting word; the publisher wakes
 * only then (Dekker-style: both sides use sequentially consistent store-then-load). No
 * correctness property depends on timing: the spin is bounded and the sleep path alone
 * is complete (stop, cancel and peer death are handled there).
 *
 * Every header is copied out of shared memory exactly once, then checked on the copy.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifndef TZM_TA_OPTEE
#include <sched.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>
#endif

#include "chan.h"
#include "rawsys.h"

#define SPIN_CAP_NS 50000u      /* longest spin of one wait (see above) */
#define PREEMPTED_NS 20000u     /* a gap this long between two polls: we were preempted */
#define NOOP_YIELD_NS 800u      /* a sched_yield() back this soon switched to nobody */
#define COLOCATED_SPIN_NS 5000u /* ...then spin at most this long before sleeping */
#define COLD_MISSES 4u          /* a kind whose spins ran out this often in a row sleeps */
#define PROBE_EVERY 8u          /* ...but still spins on every 8th wait */
#define SLEEP_SLICE_MS 1000u    /* futex sleeps are sliced so stop/cancel are noticed */
#define POLL_MAX_MS 8u          /* longest backoff step when the peer cannot wake us */
#define CANCEL_GRACE_MS 1000u   /* how long a cancelled TA still waits for its answer */

/* ---- time base for spin budgets ---- */

/* ns per counter tick in 32.32 fixed point; 0 until calibrated */
static uint64_t clock_mult;

#if defined(__x86_64__)
static uint64_t cpu_counter(void)
{
	uint32_t lo = 0, hi = 0;

	__asm__ __volatile__("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}
#define HAVE_COUNTER 1
#elif defined(__aarch64__) && !defined(TZM_TA_OPTEE)
/*
 * Not in a TA on real OP-TEE: OP-TEE leaves EL0 access to the generic timer disabled
 * (CNTKCTL_EL1, unless built with function tracing), so mrs cntvct_el0 would be an
 * undefined instruction there; the OP-TEE build counts polls instead (below).
 */
static uint64_t cpu_counter(void)
{
	uint64_t v = 0;

	__asm__ __volatile__("mrs %0, cntvct_el0" : "=r"(v));
	return v;
}
#define HAVE_COUNTER 1
#else
#define HAVE_COUNTER 0
#endif

#if !defined(TZM_TA_OPTEE) && (defined(__x86_64__) || !HAVE_COUNTER)
/* raw syscall: inside a TA clock_gettime is libtzm's own */
static uint64_t sys_ns(void)
{
	struct timespec ts = { 0, 0 };

	(void)TZM__SYS2(SYS_clock_gettime, CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}
#endif

static void clock_calibrate(void)
{
	uint64_t mult = 1ull << 32; /* fallback: 1 ns per tick; budgets stay bounded */

	if (__atomic_load_n(&clock_mult, __ATOMIC_ACQUIRE) != 0) {
		return;
	}
#if defined(__aarch64__) && HAVE_COUNTER
	{
		uint64_t freq = 0;

		__asm__ __volatile__("mrs %0, cntfrq_el0" : "=r"(freq));
		if (freq >= 1000u) {
			mult = (1000000000ull << 32) / freq;
		}
	}
#elif defined(__x86_64__) && !defined(TZM_TA_OPTEE)
	{
		/* TSC against CLOCK_MONOTONIC over 200 us: ~1% (the budgets are heuristics) */
		uint64_t t0 = sys_ns(), c0 = cpu_counter(), t1 = t0, c1 = c0;

		while (t1 - t0 < 200000u) {
			t1 = sys_ns();
			c1 = cpu_counter();
		}
		if (c1 > c0) {
			mult = ((t1 - t0) << 32) / (c1 - c0);
		}
	}
#endif
	if (mult == 0) {
		mult = 1;
	}
	__atomic_store_n(&clock_mult, mult, __ATOMIC_RELEASE);
}

uint64_t tzm__chan_ticks_ns(uint64_t ticks)
{
	uint64_t mult = __atomic_load_n(&clock_mult, __ATOMIC_RELAXED);

	return (uint64_t)(((unsigned __int128)ticks * mult) >> 32);
}

uint64_t tzm__chan_clock_ns(void)
{
#if HAVE_COUNTER
	return tzm__chan_ticks_ns(cpu_counter());
#elif !defined(TZM_TA_OPTEE)
	return sys_ns();
#else
	/* no counter known: count calls at a nominal 100 ns each (still bounded) */
	static uint64_t calls;

	return ++calls * 100u;
#endif
}

/* Low 32 bits of the CPU counter (0 without one): the timeline's stamps. */
static uint32_t tick32(void)
{
#if HAVE_COUNTER
	return (uint32_t)cpu_counter();
#else
	return 0;
#endif
}

#ifndef TZM_TA_OPTEE
uint32_t tzm__host_cpu(void)
{
	/* glibc reads the CPU from the rseq area (or the vDSO): no syscall in the spin loop */
	int cpu = sched_getcpu();

	return cpu >= 0 ? (uint32_t)cpu + 1u : 0u;
}

void tzm__host_yield(void)
{
	/* raw syscall: allowed by the TA host's seccomp filter; libtzm may wrap libc names */
	(void)TZM__SYS0(SYS_sched_yield);
}
#endif

static uint32_t load_acq(volatile uint32_t *p)
{
	return __atomic_load_n(p, __ATOMIC_ACQUIRE);
}

static uint32_t load_sc(volatile uint32_t *p)
{
	return __atomic_load_n(p, __ATOMIC_SEQ_CST);
}

static void store_sc(volatile uint32_t *p, uint32_t v)
{
	__atomic_store_n(p, v, __ATOMIC_SEQ_CST);
}

int tzm__chan_format(void *mem, size_t size, uint32_t flags)
{
	struct tzm_wire_ctrl *ctrl = mem;

	if (!mem || size < (size_t)TZM_WIRE_CTRL_SIZE + TZM_WIRE_DATA_MIN ||
	    size > (size_t)TZM_WIRE_CTRL_SIZE + TZM_WIRE_DATA_MAX) {
		return -EINVAL;
	}
	memset(ctrl, 0, sizeof(*ctrl));
	ctrl->magic = TZM_WIRE_MAGIC;
	ctrl->version = TZM_WIRE_VERSION;
	ctrl->data_size = (uint32_t)(size - TZM_WIRE_CTRL_SIZE);
	ctrl->lanes = tzm_wire_lanes(ctrl->data_size);
	ctrl->flags = flags;
	return 0;
}

int tzm__chan_attach(struct tzm__chan *c, void *mem, size_t size, const struct tzm__chan_waiter *w)
{
	struct tzm_wire_ctrl *ctrl = mem;
	uint32_t magic = 0, version = 0, data_size = 0, lanes = 0;

	memset(c, 0, sizeof(*c));
	if (!mem || size < TZM_WIRE_CTRL_SIZE || ((uintptr_t)mem & 63u) != 0) {
		return -EINVAL;
	}
	/* copy once, validate the copies */
	magic = ctrl->magic;
	version = ctrl->version;
	data_size = ctrl->data_size;
	lanes = ctrl->lanes;
	if (magic != TZM_WIRE_MAGIC) {
		return -EPROTO;
	}
	if (version != TZM_WIRE_VERSION) {
		return -EPROTONOSUPPORT; /* the entry code names both versions */
	}
	if (data_size < TZM_WIRE_DATA_MIN || data_size > TZM_WIRE_DATA_MAX ||
	    data_size > size - TZM_WIRE_CTRL_SIZE) {
		return -EPROTO;
	}
	if (lanes < 1 || lanes > TZM_WIRE_MAX_LANES || lanes != tzm_wire_lanes(data_size)) {
		return -EPROTO;
	}
	c->ctrl = ctrl;
	c->data = (uint8_t *)mem + TZM_WIRE_CTRL_SIZE;
	c->lanes = lanes;
	/* equal slot areas, each starting on a cache line */
	c->data_size = (data_size / (lanes * TZM_WIRE_LANE_SLOTS)) & ~(uint32_t)(TZM_WIRE_LINE - 1);
	c->seq = 0;
	c->w = w;
	clock_calibrate();
	return 0;
}

uint8_t *tzm__chan_slot_data(struct tzm__chan *c, uint32_t slot)
{
	return c->data + (size_t)(slot < c->lanes * TZM_WIRE_LANE_SLOTS ? slot : 0) * c->data_size;
}

static bool stopped(struct tzm__chan *c)
{
	return __atomic_load_n(&c->stop, __ATOMIC_ACQUIRE) != 0;
}

/* Spin budget of a kind: the cap, or nothing for a cold kind except on probes. */
static uint64_t budget_ns(struct tzm__chan_learn *c, enum tzm__chan_wait_kind k)
{
	/*
	 * QUICK never goes cold: it is the kind of every TA wait until the shadow announces
	 * that it blocks, so a cold QUICK would send every call to sleep before that
	 * announcement could arrive, and (answers then being counted under the announced
	 * kind) it would never see the hit that warms it up again.
	 */
	if (k != TZM__WAIT_QUICK && c->misses[k] >= COLD_MISSES) {
		return ++c->probe[k] % PROBE_EVERY == 0 ? SPIN_CAP_NS : 0;
	}
	return SPIN_CAP_NS;
}

/* Records how a wait's spin ended: answered while spinning, or budget spent. */
static void learn(struct tzm__chan_learn *c, enum tzm__chan_wait_kind k, bool answered)
{
	if (answered) {
		c->misses[k] = 0;
	} else if (c->misses[k] < COLD_MISSES) {
		c->misses[k]++;
	}
}

static void count(struct tzm__chan *c, enum tzm__chan_wait_kind k, bool spun)
{
	if (k == TZM__WAIT_NEXT) {
		*(spun ? &c->next_spun : &c->next_slept) += 1;
	} else {
		/* TA's own line; diagnostics only (several TA threads may count) */
		__atomic_fetch_add(&c->ctrl->ta_stats[(k - TZM__WAIT_QUICK) * 2 + (spun ? 0 : 1)],
				   1u, __ATOMIC_RELAXED);
	}
}

void tzm__chan_stats(const struct tzm__chan *c, char *buf, size_t len)
{
	uint32_t t[8];
	size_t at = 0;

	if (len == 0) {
		return;
	}
	buf[0] = '\0';
	for (int i = 0; i < 8; i++) {
		t[i] = __atomic_load_n(&c->ctrl->ta_stats[i], __ATOMIC_RELAXED);
	}
	tzm__chan_append(buf, len, &at,
			 "doorbell (answered while spinning/after sleeping): shadow next %u/%u; "
			 "TA quick %u/%u input %u/%u output %u/%u event %u/%u",
			 c->next_spun, c->next_slept, t[0], t[1], t[2], t[3], t[4], t[5], t[6],
			 t[7]);
	if (!c->tl || !HAVE_COUNTER) {
		return;
	}
	tzm__chan_timeline_print(c->tl, buf, len, &at);
}

/* TA: which kind a call's wait becomes once the shadow says it blocks in the kernel. */
static enum tzm__chan_wait_kind blocked_kind(uint32_t opcode)
{
	switch (opcode) {
	case TZM_OP_READ:
	case TZM_OP_PREAD:
	case TZM_OP_RECVFROM:
	case TZM_OP_ACCEPT4:
	case TZM_OP_MQ_RECEIVE:
		return TZM__WAIT_INPUT;
	case TZM_OP_WRITE:
	case TZM_OP_PWRITE:
	case TZM_OP_SENDTO:
	case TZM_OP_MQ_SEND:
		return TZM__WAIT_OUTPUT;
	default:
		return TZM__WAIT_EVENT;
	}
}

/* Timeline class of a call: 0 read-like, 1 write-like, 2 other. */
static uint8_t call_class(uint32_t opcode)
{
	enum tzm__chan_wait_kind k = blocked_kind(opcode);

	return k == TZM__WAIT_INPUT ? 0 : k == TZM__WAIT_OUTPUT ? 1 : 2;
}

static bool same_cpu(const struct tzm__chan *c, volatile uint32_t *peer_cpu)
{
	uint32_t peer = __atomic_load_n(peer_cpu, __ATOMIC_RELAXED);

	return peer != 0 && peer == c->w->cpu();
}

static void publish_cpu(const struct tzm__chan *c, volatile uint32_t *mine)
{
	if (c->w->cpu) {
		__atomic_store_n(mine, c->w->cpu(), __ATOMIC_RELAXED);
	}
}

/*
 * TA: the TEE cancelled one of our waits (GP cancellation: TEE_Wait / TZM_FutexWait
 * returned TEE_ERROR_CANCEL). tzm-run asks for it in two cases only:
 *  - it gives up on a run (run_signals.c): it sets ctrl->cancel first and then answers
 *    the interrupted call with EINTR, so the TA keeps waiting (up to CANCEL_GRACE_MS,
 *    counted from when it sees the flag or the cancellation, whichever comes first);
 *  - it was killed (kill -9) while the TEE ran the TA: its watchdog process
 *    (shadow/run_watchdog.c) cancels without touching the channel, and nothing will
 *    answer again. On real OP-TEE the killed process cannot even leave the ioctl until
 *    the TA returns, so the TA must end its run now.
 * Returns true when the run goes on (orderly cancellation), false when the channel is
 * dead (every call fails with EIO from now on). The flag is the normal world's word,
 * like everything in the channel: its worst effect is to fail calls, which a hostile
 * shadow can do anyway.
 */
static bool ta_note_cancel(struct tzm__chan *c)
{
	if (load_sc(&c->ctrl->cancel) == 0) {
		c->broken = true;
		return false;
	}
	c->cancelled = true;
	return true;
}

/*
 * Waits until *word moves past lo. The legal values are lo (nothing new yet) up to lo + span
 * (that many new entries); anything else means the peer broke the protocol. *out: the value
 * seen. server: also honour c->stop. kind: the wait's kind; a TA wait of kind QUICK turns
 * into `blocked` when the shadow announces (shadow_blocking == blocked_seq) that it blocks
 * in the kernel for the call waited for.
 */
static int wait_for(struct tzm__chan *c, volatile uint32_t *word, uint32_t lo, uint32_t span,
		    uint32_t blocked_seq, volatile uint32_t *waiting, volatile uint32_t *peer_cpu,
		    bool peer_wakes, bool server, enum tzm__chan_wait_kind kind,
		    enum tzm__chan_wait_kind blocked, struct tzm__chan_learn *lrn, uint32_t *out)
{
	uint64_t start = tzm__chan_clock_ns(), now = start, last = start;
	uint64_t budget = budget_ns(lrn, kind);
	uint32_t backoff = 1;
	uint32_t cancel_waited = 0;
	bool peer_not_here = false; /* a yield ran nobody: stop yielding in this wait */
	uint32_t v = 0;
	bool dead = false;

	/* bounded spin, in time */
	for (;;) {
		v = load_acq(word);
		if (v != lo) {
			if (v - lo > span) {
				return -EPROTO;
			}
			learn(lrn, kind, true);
			count(c, kind, true);
			*out = v;
			return 0;
		}
		if (server && stopped(c)) {
			return -ESHUTDOWN;
		}
		if (kind != blocked && load_acq(&c->ctrl->shadow_blocking) == blocked_seq) {
			kind = blocked;
			budget = budget_ns(lrn, kind);
		}
		now = tzm__chan_clock_ns();
		if (now - last > PREEMPTED_NS) {
			/*
			 * Preempted while spinning. If the answer is here now, the peer ran on
			 * this CPU (go on). If not, other work wants this CPU: sleep rather than
			 * take CPU time from work that may include the peer's. (Only this wait:
			 * on 2 CPUs the client a shadow wakes often preempts a spinner, and
			 * sleeping through the next waits too made round trips much slower.)
			 */
			if (load_acq(word) == lo) {
				break;
			}
			continue;
		}
		last = now;
		if (now - start >= budget) {
			if (budget > 0 && !peer_not_here) {
				/* cut short by a shared CPU: says nothing of the kind */
				learn(lrn, kind, false);
			}
			break;
		}
		if (!peer_not_here && c->w->yield && c->w->cpu && same_cpu(c, peer_cpu)) {
			/*
			 * The peer last published from this CPU: while we spin it cannot run
			 * here (a wake-up does not preempt a spinner that has not used up its
			 * slice), and once both sleep in turn on one CPU the scheduler never
			 * sees two runnable threads to spread. Yielding lets the peer run now
			 * (when the scheduler will switch to it: see below and the top of file)
			 * and keeps us runnable, so an idle CPU pulls one of the two away.
			 */
			c->w->yield();
			last = tzm__chan_clock_ns();
			/*
			 * Back at once: the scheduler switched to nobody. The peer is elsewhere
			 * (spin: it will publish soon) or runnable here in another autogroup,
			 * which this yield did not let run (sleep soon). Spin a little, then
			 * sleep; more yields would only add a syscall between polls.
			 */
			peer_not_here = last - now < NOOP_YIELD_NS;
			if (peer_not_here && budget > last - start + COLOCATED_SPIN_NS) {
				budget = last - start + COLOCATED_SPIN_NS;
			}
			continue;
		}
		for (int i = 0; i < 8; i++) {
			TZM_CPU_RELAX();
		}
	}

	for (;;) {
		int rc = 0;
		uint32_t slice = SLEEP_SLICE_MS;

		if (server && stopped(c)) {
			return -ESHUTDOWN;
		}
		if (!server && c->broken) {
			/* another TA thread broke the channel (a racy read: see ta_broken) */
			return -EPIPE;
		}
		if (peer_wakes && c->w->can_sleep_on_futex) {
			/* a count on the TA side: several TA threads may sleep at once */
			if (server) {
				store_sc(waiting, 1);
			} else {
				__atomic_fetch_add(waiting, 1u, __ATOMIC_SEQ_CST);
			}
			v = load_sc(word);
			if (v == lo) {
				rc = c->w->wait(word, v, slice);
			}
			if (server) {
				store_sc(waiting, 0);
			} else {
				__atomic_fetch_sub(waiting, 1u, __ATOMIC_SEQ_CST);
			}
		} else {
			/* The peer cannot wake us (real OP-TEE): poll with backoff. */
			v = load_acq(word);
			if (v == lo) {
				slice = backoff;
				rc = c->w->wait(word, v, slice);
				backoff = backoff * 2 < POLL_MAX_MS ? backoff * 2 : POLL_MAX_MS;
			}
		}
		v = load_acq(word);
		if (rc == -ECANCELED && !server) {
			/*
			 * Noted before the answer is looked at: a wait that reports a
			 * cancellation masks it again (ta/entry_gp.c map_cancel), so no later
			 * wait reports it. When the answer came in the same wait, returning it
			 * without this lost the run's only notice, and the next call polled a
			 * dead shadow for good (a killed tzm-run left spinning in the invoke
			 * ioctl on real OP-TEE, 2026-12-07). A dead channel fails this call too
			 * (ta_reap_ready).
			 */
			dead = !ta_note_cancel(c);
		}
		if (v != lo) {
			if (v - lo > span) {
				return -EPROTO;
			}
			if (kind != blocked && load_acq(&c->ctrl->shadow_blocking) == blocked_seq) {
				kind = blocked;
			}
			count(c, kind, false);
			*out = v;
			return 0;
		}
		if (dead) {
			return -EPIPE; /* the shadow is gone: no answer will come */
		}
		if (rc == -ECANCELED) {
			/* Keep waiting: the shadow answers the interrupted call with EINTR. */
			c->cancelled = true;
		}
		if (!server && !c->cancelled && load_acq(&c->ctrl->cancel) != 0) {
			/*
			 * tzm-run gave up on the run (the flag comes first): its EINTR answer
			 * comes within the grace or never. The TEE's cancellation is not
			 * waited for: with tzm-run dying of SIGTERM on OP-TEE 4.10 (QEMU) it
			 * never reached this wait, and the TA polled a dead channel for good
			 * (likely the loss noted above: tzm-run answers the interrupted call
			 * right after cancelling, so both can come in one wait; not shown).
			 */
			c->cancelled = true;
		}
		if (c->cancelled && !server) {
			cancel_waited += slice;
			if (cancel_waited > CANCEL_GRACE_MS) {
				return -ETIMEDOUT;
			}
		}
	}
}

/*
 * TA: the channel state is shared by the TA's threads. A spin lock (held for a few
 * hundred instructions, never across a wait or a syscall other than a yield) guards it;
 * real OP-TEE has one thread, where it is never contended.
 */
static void ta_lock(struct tzm__chan *c)
{
	unsigned spins = 0;

	while (__atomic_exchange_n(&c->lock, 1, __ATOMIC_ACQUIRE) != 0) {
		while (__atomic_load_n(&c->lock, __ATOMIC_RELAXED) != 0) {
			if (++spins % 64 == 0 && c->w->yield) {
				c->w->yield(); /* the holder may have been preempted */
			} else {
				TZM_CPU_RELAX();
			}
		}
	}
}

static void ta_unlock(struct tzm__chan *c)
{
	__atomic_store_n(&c->lock, 0, __ATOMIC_RELEASE);
}

/* TA (lock held): the channel is unusable from now on (every call fails with EIO). */
static int ta_broken(struct tzm__chan *c)
{
	if (!c->broken) {
		c->broken = true;
		/*
		 * Threads asleep on their lanes' doorbells must learn it too (their calls
		 * fail with EIO): ring every doorbell. Only a hint word, which the shadow
		 * never reads; the count changing is what makes a sleeper look (a wake alone
		 * could come before its futex wait and be lost).
		 */
		for (uint32_t l = 0; l < c->lanes; l++) {
			struct tzm_wire_lane_bell *bell = &c->ctrl->lane_bell[l];

			__atomic_fetch_add(&bell->rings, 1u, __ATOMIC_SEQ_CST);
			if (c->w->wake && load_sc(&bell->ta_waiting)) {
				c->w->wake(&bell->rings);
			}
		}
	}
	return -EIO;
}

/*
 * The calling thread's lane. Real OP-TEE TAs have one thread and no thread-local storage:
 * lane 0. Elsewhere a thread created through libtzm is bound to the lane reserved for it;
 * any other thread (the first one) takes the lowest free lane on its first call.
 */
#ifdef TZM_TA_OPTEE
static struct tzm__chan *my_chan;
static uint32_t my_lane;
#else
static _Thread_local struct tzm__chan *my_chan;
static _Thread_local uint32_t my_lane;
#endif

/* (lock held) the caller's lane, reserving one if it has none; -EIO: none left */
static int ta_lane(struct tzm__chan *c)
{
	if (my_chan == c) {
		return (int)my_lane;
	}
	for (uint32_t l = 0; l < c->lanes; l++) {
		if (!(c->lanes_used & (1u << l))) {
			c->lanes_used |= 1u << l;
			my_chan = c;
			my_lane = l;
			return (int)l;
		}
	}
	return -EIO;
}

int tzm__chan_lane_reserve(struct tzm__chan *c, uint32_t *limit)
{
	int rc = -EAGAIN;

	ta_lock(c);
	*limit = c->lanes;
	(void)ta_lane(c); /* the creating thread keeps the lane it has (or gets one first) */
	for (uint32_t l = 0; l < c->lanes; l++) {
		if (!(c->lanes_used & (1u << l))) {
			c->lanes_used |= 1u << l;
			rc = (int)l;
			break;
		}
	}
	/* before the new thread exists: the shadow serves concurrently from now on */
	store_sc(&c->ctrl->ta_lanes, (uint32_t)__builtin_popcount(c->lanes_used));
	ta_unlock(c);
	return rc;
}

void tzm__chan_lane_bind(struct tzm__chan *c, uint32_t lane)
{
	my_chan = c;
	my_lane = lane;
}

void tzm__chan_lane_unreserve(struct tzm__chan *c, uint32_t lane)
{
	ta_lock(c);
	if (lane < c->lanes) {
		c->lanes_used &= ~(1u << lane);
	}
	store_sc(&c->ctrl->ta_lanes, (uint32_t)__builtin_popcount(c->lanes_used));
	ta_unlock(c);
}

static_assert(TZM_WIRE_SLOTS <= 256, "seq_slot holds slot numbers in a byte");

/* sq_last / cq_last: (key << 32) | entry, the last ring entry beside its sequence word */
static uint64_t last_entry(uint32_t key, uint32_t entry)
{
	return ((uint64_t)key << 32) | entry;
}

/*
 * Either side: the ring entry whose key (seq or position) is key: from the last-entry
 * word when it holds that key (its line is the sequence word's, already fetched), from
 * the ring otherwise. Untrusted either way: the caller validates it the same.
 */
static uint32_t ring_entry(volatile uint64_t *last, volatile uint32_t *ring, uint32_t key)
{
	uint64_t l = __atomic_load_n(last, __ATOMIC_ACQUIRE);

	if ((uint32_t)(l >> 32) == key) {
		return (uint32_t)l;
	}
	return __atomic_load_n(ring, __ATOMIC_ACQUIRE);
}

/* TA (lock held): whether slot holds the call seq, in flight (waited for or detached) */
static bool awaits(const struct tzm__chan *c, uint32_t slot, uint32_t seq)
{
	return (c->slot_state[slot] == TZM__SLOT_INFLIGHT ||
		c->slot_state[slot] == TZM__SLOT_DETACHED) &&
	       c->rec[slot].seq == seq;
}

/*
 * TA (lock held): takes every completion published so far and checks each: its seq must
 * be that of the oldest call in flight on its lane (so a completion for a seq never
 * submitted, a duplicate, or one that overtakes its lane breaks the channel), its header
 * must carry that seq, the link rules hold. The one place completions are decoded.
 */
static int ta_reap_ready(struct tzm__chan *c)
{
	uint32_t v = load_acq(&c->ctrl->resp_seq);
	uint32_t nslots = c->lanes * TZM_WIRE_LANE_SLOTS;

	if (c->broken) {
		return -EIO;
	}
	if (v - c->cq_head > c->nfifo) {
		return ta_broken(c); /* more completions than calls in flight */
	}
	while (c->cq_head != v) {
		struct tzm_wire_resp resp;
		struct tzm_wire_req head_req;
		struct tzm__chan_lane *ln = NULL;
		uint32_t entry = 0, slot = nslots;
		bool link = false;

		entry = ring_entry(&c->ctrl->cq_last, &c->ctrl->cq[c->cq_head % TZM_WIRE_RING],
				   c->cq_head + 1);
		/* first the slot the seq was submitted on, then every slot */
		slot = c->seq_slot[entry % TZM_WIRE_RING];
		if (slot >= nslots || !awaits(c, slot, entry)) {
			slot = nslots;
			for (uint32_t i = 0; i < nslots; i++) {
				if (awaits(c, i, entry)) {
					slot = i;
					break;
				}
			}
		}
		if (slot == nslots) {
			return ta_broken(c); /* a seq never submitted, or completed already */
		}
		ln = &c->lane[slot / TZM_WIRE_LANE_SLOTS];
		if (ln->nfifo == 0 || ln->fifo[0] != slot) {
			return ta_broken(c); /* it overtakes an older call of its lane */
		}
		memcpy(&resp, (const void *)&c->ctrl->slots[slot].resp, sizeof(resp));
		if (resp.seq != entry || (resp.flags & ~TZM_RESP_F_SKIPPED) != 0) {
			return ta_broken(c);
		}
		link = c->rec[slot].link;
		if (resp.flags & TZM_RESP_F_SKIPPED) {
			/* only a linked call whose predecessor was not full may be skipped */
			if (!link || ln->last_full || resp.ret != 0 || resp.err != 0 ||
			    resp.data_len != 0) {
				return ta_broken(c);
			}
		} else if (link && !ln->last_full) {
			return ta_broken(c); /* it ran although the chain had ended */
		}
		memset(&head_req, 0, sizeof(head_req));
		head_req.opcode = c->rec[slot].opcode;
		head_req.data_len = c->rec[slot].data_len;
		head_req.args[1] = c->rec[slot].count;
		ln->last_full = tzm_wire_link_full(&head_req, &resp);
		ln->nfifo--;
		memmove(&ln->fifo[0], &ln->fifo[1], ln->nfifo * sizeof(ln->fifo[0]));
		c->nfifo--;
		c->cq_head++;
		if (c->slot_state[slot] == TZM__SLOT_DETACHED) {
			c->slot_state[slot] =
				TZM__SLOT_FREE; /* nobody waits: its answer is dropped */
		} else {
			c->done[slot] = resp;
			c->slot_state[slot] = TZM__SLOT_DONE;
		}
	}
	return 0;
}

/*
 * TA (lock held on entry and on return): waits, with the lock released, until more
 * completions than lo were published, for the call seq on slot (its kind decides the
 * spin budget). 0, or -EIO (the channel broke).
 */
static int ta_wait_more(struct tzm__chan *c, uint32_t slot)
{
	struct tzm_wire_lane_bell *bell = &c->ctrl->lane_bell[slot / TZM_WIRE_LANE_SLOTS];
	uint32_t lo = 0, seq = c->rec[slot].seq, v = 0;
	enum tzm__chan_wait_kind blocked = blocked_kind(c->rec[slot].opcode);
	struct tzm__chan_learn *lrn = &c->lane[slot / TZM_WIRE_LANE_SLOTS].learn;
	/*
	 * With one lane given out (one TA thread, or real OP-TEE) every completion is this
	 * thread's: it waits on resp_seq itself, whose line it reads anyway, instead of
	 * pulling one more line (the doorbell's) per call (+0.5 us per round trip here).
	 */
	bool alone = (c->lanes_used & (c->lanes_used - 1u)) == 0;
	int rc = 0;

	/*
	 * The doorbell is read before the ring: a completion the reap below misses was rung
	 * after this load (the shadow rings after publishing), so the wait sees it.
	 */
	if (!alone) {
		lo = load_sc(&bell->rings);
	}
	rc = ta_reap_ready(c);
	if (rc != 0 || (c->slot_state[slot] != TZM__SLOT_INFLIGHT &&
			c->slot_state[slot] != TZM__SLOT_DETACHED)) {
		return rc; /* it completed meanwhile */
	}
	if (alone) {
		lo = c->cq_head;
	}
	ta_unlock(c);
	/*
	 * No bound on how far the word may move: while this thread waits with the lock
	 * released, the TA's other threads reap their own completions and submit and complete
	 * more calls, any number of them, and a doorbell only says "look at the ring".
	 * ta_reap_ready checks what was published against the calls in flight now, under the
	 * lock (a shadow ringing for nothing only makes this thread look again).
	 */
	rc = wait_for(c, alone ? &c->ctrl->resp_seq : &bell->rings, lo, UINT32_MAX, seq,
		      alone ? &c->ctrl->ta_waiting : &bell->ta_waiting, &c->ctrl->shadow_cpu, true,
		      false, TZM__WAIT_QUICK, blocked, lrn, &v);
	ta_lock(c);
	if (rc != 0) {
		return ta_broken(c); /* no shadow any more */
	}
	__atomic_store_n(&c->ctrl->ta_seen_tick, tick32(), __ATOMIC_RELAXED);
	return ta_reap_ready(c);
}

int tzm__chan_submit(struct tzm__chan *c, uint32_t slot, const struct tzm_wire_req *req,
		     bool detached)
{
	struct tzm_wire_req r = *req;
	struct tzm__chan_lane *ln = NULL;
	uint32_t seq = 0;
	int lane = 0;

	ta_lock(c);
	lane = ta_lane(c);
	if (c->broken || lane < 0) {
		ta_unlock(c);
		return -EIO;
	}
	ln = &c->lane[lane];
	if (slot / TZM_WIRE_LANE_SLOTS != (uint32_t)lane || c->slot_state[slot] != TZM__SLOT_FREE ||
	    ln->nfifo >= TZM_WIRE_LANE_SLOTS) {
		ta_unlock(c);
		return -EIO; /* libtzm's own bug: never send it */
	}
	seq = c->seq + 1;
	r.seq = seq;
	memcpy((void *)&c->ctrl->slots[slot].req, &r, sizeof(r));
	__atomic_store_n(&c->ctrl->sq[(seq - 1) % TZM_WIRE_RING], slot, __ATOMIC_RELAXED);
	__atomic_store_n(&c->ctrl->sq_last, last_entry(seq, slot), __ATOMIC_RELAXED);
	c->rec[slot].seq = seq;
	c->seq_slot[seq % TZM_WIRE_RING] = (uint8_t)slot;
	c->rec[slot].opcode = r.opcode;
	c->rec[slot].data_len = r.data_len;
	c->rec[slot].count = r.args[1];
	c->rec[slot].link = (r.flags & TZM_REQ_F_LINK) != 0;
	ln->fifo[ln->nfifo++] = slot;
	c->nfifo++;
	c->slot_state[slot] = detached ? TZM__SLOT_DETACHED : TZM__SLOT_INFLIGHT;
	c->seq = seq;
	publish_cpu(c, &c->ctrl->ta_cpu);
	__atomic_store_n(&c->ctrl->ta_post_tick, tick32(), __ATOMIC_RELAXED);
	/* release of the header and ring entry above; seq_cst against shadow_waiting below */
	store_sc(&c->ctrl->req_seq, seq);
	ta_unlock(c);
	if (c->w->wake && load_sc(&c->ctrl->shadow_waiting)) {
		c->w->wake(&c->ctrl->req_seq);
	}
	return 0;
}

int tzm__chan_wait(struct tzm__chan *c, uint32_t slot, struct tzm_wire_resp *resp)
{
	int rc = 0;

	ta_lock(c);
	if (slot >= c->lanes * TZM_WIRE_LANE_SLOTS) {
		rc = ta_broken(c);
		goto out;
	}
	rc = ta_reap_ready(c);
	while (rc == 0 && c->slot_state[slot] == TZM__SLOT_INFLIGHT) {
		rc = ta_wait_more(c, slot);
	}
	if (c->slot_state[slot] == TZM__SLOT_DONE) {
		/* validated before a later completion broke the channel: still this call's */
		*resp = c->done[slot];
		c->slot_state[slot] = TZM__SLOT_FREE;
		rc = 0;
		goto out;
	}
	if (rc == 0) {
		rc = ta_broken(c);
	}
out:
	ta_unlock(c);
	return rc != 0 ? -EIO : 0;
}

/* (lock held) a detached call in flight on lane, or on any lane when lane < 0; -1: none */
static int detached_slot(const struct tzm__chan *c, int lane)
{
	for (uint32_t i = 0; i < c->lanes * TZM_WIRE_LANE_SLOTS; i++) {
		if ((lane < 0 || i / TZM_WIRE_LANE_SLOTS == (uint32_t)lane) &&
		    c->slot_state[i] == TZM__SLOT_DETACHED) {
			return (int)i;
		}
	}
	return -1;
}

int tzm__chan_slot_get(struct tzm__chan *c)
{
	int lane = 0, rc = 0;

	ta_lock(c);
	lane = ta_lane(c);
	rc = lane < 0 ? -EIO : ta_reap_ready(c);
	while (rc == 0) {
		int waitable = -1;

		for (uint32_t i = 0; i < TZM_WIRE_LANE_SLOTS; i++) {
			uint32_t slot = (uint32_t)lane * TZM_WIRE_LANE_SLOTS + i;

			if (c->slot_state[slot] == TZM__SLOT_FREE) {
				ta_unlock(c);
				return (int)slot;
			}
		}
		/* all taken: the lane's detached calls free their slots when they complete */
		waitable = detached_slot(c, lane);
		if (waitable < 0) {
			rc = -EIO;
			break;
		}
		rc = ta_wait_more(c, (uint32_t)waitable);
	}
	ta_unlock(c);
	return -EIO;
}

/* (lock held) a call the draining thread must wait for: its lane's, or a detached one */
static int drain_slot(const struct tzm__chan *c, int lane)
{
	if (lane >= 0 && c->lane[lane].nfifo > 0) {
		return (int)c->lane[lane].fifo[0];
	}
	return detached_slot(c, -1);
}

int tzm__chan_drain(struct tzm__chan *c)
{
	int rc = 0, slot = -1;
	int lane = -1;

	ta_lock(c);
	lane = my_chan == c ? (int)my_lane : -1;
	rc = ta_reap_ready(c);
	while (rc == 0 && (slot = drain_slot(c, lane)) >= 0) {
		rc = ta_wait_more(c, (uint32_t)slot);
	}
	if (c->broken) {
		rc = -EIO;
	}
	ta_unlock(c);
	return rc;
}

void tzm__chan_lane_release(struct tzm__chan *c)
{
	uint32_t lane = my_lane;

	if (my_chan != c) {
		return;
	}
	ta_lock(c);
	/* its detached calls (close) complete first: a slot is never freed while in flight */
	while (ta_reap_ready(c) == 0 && c->lane[lane].nfifo > 0) {
		if (ta_wait_more(c, c->lane[lane].fifo[0]) != 0) {
			break;
		}
	}
	if (c->lane[lane].nfifo == 0) {
		for (uint32_t i = 0; i < TZM_WIRE_LANE_SLOTS; i++) {
			c->slot_state[lane * TZM_WIRE_LANE_SLOTS + i] = TZM__SLOT_FREE;
		}
		c->lane[lane].last_full = false;
		c->lanes_used &= ~(1u << lane);
	}
	/* else the channel broke: the lane stays taken (nothing is served any more) */
	my_chan = NULL;
	ta_unlock(c);
}

int tzm__chan_call(struct tzm__chan *c, const struct tzm_wire_req *req, struct tzm_wire_resp *resp)
{
	/* the caller built the blob in the first slot area of its lane (ta_buffer) */
	int lane = 0;
	uint32_t slot = 0;

	if (my_chan == c) {
		lane = (int)my_lane; /* the thread's own: no lock needed to read it */
	} else {
		ta_lock(c);
		lane = ta_lane(c);
		ta_unlock(c);
	}
	if (lane < 0) {
		return -EIO;
	}
	slot = (uint32_t)lane * TZM_WIRE_LANE_SLOTS;
	if (tzm__chan_submit(c, slot, req, false) != 0) {
		return -EIO;
	}
	return tzm__chan_wait(c, slot, resp);
}

int tzm__chan_next_slot(struct tzm__chan *c, struct tzm_wire_req *req, uint32_t *slot_out)
{
	uint32_t target = c->seq + 1, v = 0, slot = 0;
	bool peer_wakes = (load_acq(&c->ctrl->ta_caps) & TZM_CAP_TA_FUTEX) != 0;
	int rc = wait_for(c, &c->ctrl->req_seq, c->seq, TZM_WIRE_SLOTS, 0, &c->ctrl->shadow_waiting,
			  &c->ctrl->ta_cpu, peer_wakes, true, TZM__WAIT_NEXT, TZM__WAIT_NEXT,
			  c->handed_off ? &c->learn_handed_off : &c->learn, &v);

	if (rc != 0) {
		return rc;
	}
	publish_cpu(c, &c->ctrl->shadow_cpu);
	/* copy the ring entry once (sq_last when it is the one), then the slot's header */
	slot = ring_entry(&c->ctrl->sq_last, &c->ctrl->sq[c->seq % TZM_WIRE_RING], target);
	if (slot >= c->lanes * TZM_WIRE_LANE_SLOTS) {
		return -EPROTO;
	}
	memcpy(req, (const void *)&c->ctrl->slots[slot].req, sizeof(*req));
	c->seq = target;
	c->cur_slot = slot;
	*slot_out = slot;
	if (req->seq != target) {
		return -EPROTO;
	}
	if (c->tl) {
		/* the TA's stamps are untrusted numbers: they only ever reach the printout */
		tzm__chan_timeline_request(
			c->tl, target > 1, call_class(req->opcode),
			__atomic_load_n(&c->ctrl->ta_post_tick, __ATOMIC_RELAXED),
			__atomic_load_n(&c->ctrl->ta_seen_tick, __ATOMIC_RELAXED), tick32());
	}
	return 0;
}

int tzm__chan_next(struct tzm__chan *c, struct tzm_wire_req *req)
{
	uint32_t slot = 0;

	return tzm__chan_next_slot(c, req, &slot);
}

int tzm__chan_complete(struct tzm__chan *c, uint32_t slot, uint32_t seq,
		       const struct tzm_wire_resp *resp)
{
	struct tzm_wire_resp r = *resp;
	struct tzm_wire_lane_bell *bell = NULL;

	if (slot >= c->lanes * TZM_WIRE_LANE_SLOTS) {
		return -EINVAL;
	}
	r.seq = seq;
	/* several serving threads complete calls: the ring position is taken under the lock */
	ta_lock(c);
	if (c->tl) {
		tzm__chan_timeline_reply(c->tl, tick32());
	}
	memcpy((void *)&c->ctrl->slots[slot].resp, &r, sizeof(r));
	__atomic_store_n(&c->ctrl->cq[c->reply_count % TZM_WIRE_RING], seq, __ATOMIC_RELAXED);
	c->reply_count++;
	__atomic_store_n(&c->ctrl->cq_last, last_entry(c->reply_count, seq), __ATOMIC_RELAXED);
	store_sc(&c->ctrl->resp_seq, c->reply_count);
	/* after resp_seq: a TA thread that sees the ring also finds the completion */
	bell = &c->ctrl->lane_bell[slot / TZM_WIRE_LANE_SLOTS];
	__atomic_fetch_add(&bell->rings, 1u, __ATOMIC_SEQ_CST);
	ta_unlock(c);
	if (load_sc(&bell->ta_waiting)) {
		c->w->wake(&bell->rings); /* only the thread of that lane */
	}
	if (load_sc(&c->ctrl->ta_waiting)) {
		c->w->wake(&c->ctrl->resp_seq); /* a TA thread alone on its channel */
	}
	return 0;
}

int tzm__chan_reply(struct tzm__chan *c, const struct tzm_wire_resp *resp)
{
	return tzm__chan_complete(c, c->cur_slot, c->seq, resp);
}

void tzm__chan_will_block_seq(struct tzm__chan *c, uint32_t seq)
{
	/* release: a TA that sees it also sees everything published before */
	__atomic_store_n(&c->ctrl->shadow_blocking, seq, __ATOMIC_RELEASE);
}

void tzm__chan_will_block(struct tzm__chan *c)
{
	tzm__chan_will_block_seq(c, c->seq);
}

void tzm__chan_stop(struct tzm__chan *c)
{
	__atomic_store_n(&c->stop, 1, __ATOMIC_RELEASE);
	if (c->w->wake) {
		c->w->wake(&c->ctrl->req_seq);
	}
}

void tzm__chan_cancel(struct tzm__chan *c)
{
	store_sc(&c->ctrl->cancel, 1);
}

/* ---- transport ops over a channel (priv = struct tzm__chan *) ---- */

static uint8_t *ta_buffer(struct tzm_transport *t, size_t *cap)
{
	struct tzm__chan *c = t->priv;
	int lane = 0;

	ta_lock(c);
	lane = ta_lane(c);
	ta_unlock(c);
	*cap = c->data_size;
	return tzm__chan_slot_data(c, lane < 0 ? 0 : (uint32_t)lane * TZM_WIRE_LANE_SLOTS);
}

static int ta_call(struct tzm_transport *t, const struct tzm_wire_req *req,
		   struct tzm_wire_resp *resp)
{
	return tzm__chan_call(t->priv, req, resp);
}

static int ta_slot_get(struct tzm_transport *t)
{
	return tzm__chan_slot_get(t->priv);
}

static uint8_t *ta_slot_buffer(struct tzm_transport *t, uint32_t slot, size_t *cap)
{
	struct tzm__chan *c = t->priv;

	*cap = c->data_size;
	return tzm__chan_slot_data(c, slot);
}

static int ta_submit(struct tzm_transport *t, uint32_t slot, const struct tzm_wire_req *req,
		     bool detached)
{
	return tzm__chan_submit(t->priv, slot, req, detached);
}

static int ta_wait(struct tzm_transport *t, uint32_t slot, struct tzm_wire_resp *resp)
{
	return tzm__chan_wait(t->priv, slot, resp);
}

static int ta_drain(struct tzm_transport *t)
{
	return tzm__chan_drain(t->priv);
}

static int ta_lane_reserve(struct tzm_transport *t, uint32_t *limit)
{
	return tzm__chan_lane_reserve(t->priv, limit);
}

static void ta_lane_unreserve(struct tzm_transport *t, uint32_t lane)
{
	tzm__chan_lane_unreserve(t->priv, lane);
}

static void ta_lane_bind(struct tzm_transport *t, uint32_t lane)
{
	tzm__chan_lane_bind(t->priv, lane);
}

static void ta_lane_release(struct tzm_transport *t)
{
	tzm__chan_lane_release(t->priv);
}

static int ta_sleep_ms(struct tzm_transport *t, uint32_t ms)
{
	struct tzm__chan *c = t->priv;

	/* Sliced, so that a cancellation flag set by the shadow is noticed too. */
	while (ms > 0) {
		uint32_t slice = ms > SLEEP_SLICE_MS ? SLEEP_SLICE_MS : ms;
		int rc = c->w->sleep(slice);

		if (rc == -ECANCELED) {
			(void)ta_note_cancel(c); /* a dead channel fails the next call */
			return -EINTR;
		}
		if (c->cancelled || load_acq(&c->ctrl->cancel)) {
			c->cancelled = true;
			return -EINTR;
		}
		ms -= slice;
	}
	return 0;
}

static bool ta_cancelled(struct tzm_transport *t)
{
	struct tzm__chan *c = t->priv;

	/* broken: the shadow is gone (ta_note_cancel) or broke the protocol; nothing to wait for */
	return c->cancelled || c->broken || load_acq(&c->ctrl->cancel) != 0;
}

static uint32_t ta_take_signals(struct tzm_transport *t)
{
	struct tzm__chan *c = t->priv;

	/* a plain load first: the exchange (a write to a shared line) only when needed */
	if (__atomic_load_n(&c->ctrl->sig_pending, __ATOMIC_RELAXED) == 0) {
		return 0;
	}
	return __atomic_exchange_n(&c->ctrl->sig_pending, 0, __ATOMIC_ACQ_REL);
}

static void ta_publish_signals(struct tzm_transport *t, uint32_t catch_mask, uint32_t dfl_mask)
{
	struct tzm__chan *c = t->priv;

	__atomic_store_n(&c->ctrl->ta_sig_default, dfl_mask, __ATOMIC_RELAXED);
	/* seq_cst, Dekker-style with post_signal: either side sees the other's store */
	store_sc(&c->ctrl->ta_sig_catch, catch_mask);
}

static int ta_wait_signal(struct tzm_transport *t, uint32_t ms)
{
	struct tzm__chan *c = t->priv;
	uint32_t slice = c->w->can_sleep_on_futex ? SLEEP_SLICE_MS : POLL_MAX_MS;

	if (ta_cancelled(t) || load_sc(&c->ctrl->sig_pending) != 0) {
		return 0;
	}
	/* the shadow wakes sig_pending when it posts; a world without futex polls */
	if (c->w->wait(&c->ctrl->sig_pending, 0, ms < slice ? ms : slice) == -ECANCELED) {
		(void)ta_note_cancel(c);
	}
	return 0;
}

static void ta_exit_signal(struct tzm_transport *t, int sig)
{
	struct tzm__chan *c = t->priv;

	store_sc(&c->ctrl->ta_exit_signal, (uint32_t)sig);
}

static uint32_t ta_inflight_seq(struct tzm_transport *t, uint32_t slot)
{
	struct tzm__chan *c = t->priv;
	uint32_t seq = 0;

	ta_lock(c);
	if (slot < c->lanes * TZM_WIRE_LANE_SLOTS && c->slot_state[slot] == TZM__SLOT_INFLIGHT) {
		seq = c->rec[slot].seq;
	}
	ta_unlock(c);
	return seq;
}

static void ta_wake_signal_waiters(struct tzm_transport *t)
{
	struct tzm__chan *c = t->priv;

	/* they sleep on sig_pending (ta_wait_signal); a world without wake polls */
	if (c->w->wake) {
		c->w->wake(&c->ctrl->sig_pending);
	}
}

const struct tzm_transport_ops tzm__chan_transport_ops = {
	.name = "shm-channel",
	.buffer = ta_buffer,
	.call = ta_call,
	.slot_get = ta_slot_get,
	.slot_buffer = ta_slot_buffer,
	.submit = ta_submit,
	.wait = ta_wait,
	.drain = ta_drain,
	.lane_reserve = ta_lane_reserve,
	.lane_unreserve = ta_lane_unreserve,
	.lane_bind = ta_lane_bind,
	.lane_release = ta_lane_release,
	.sleep_ms = ta_sleep_ms,
	.cancelled = ta_cancelled,
	.take_signals = ta_take_signals,
	.publish_signals = ta_publish_signals,
	.wait_signal = ta_wait_signal,
	.exit_signal = ta_exit_signal,
	.inflight_seq = ta_inflight_seq,
	.wake_signal_waiters = ta_wake_signal_waiters,
};

static uint8_t *srv_buffer(struct tzm_server_transport *t, size_t *cap)
{
	struct tzm__chan *c = t->priv;

	/* the area of the call being served (slot 0 before the first: the start record) */
	*cap = c->data_size;
	return tzm__chan_slot_data(c, c->cur_slot);
}

static int srv_next(struct tzm_server_transport *t, struct tzm_wire_req *req)
{
	return tzm__chan_next(t->priv, req);
}

static int srv_reply(struct tzm_server_transport *t, const struct tzm_wire_resp *resp)
{
	return tzm__chan_reply(t->priv, resp);
}

static void srv_will_block(struct tzm_server_transport *t)
{
	tzm__chan_will_block(t->priv);
}

static int srv_next_slot(struct tzm_server_transport *t, struct tzm_wire_req *req, uint32_t *slot)
{
	return tzm__chan_next_slot(t->priv, req, slot);
}

static uint8_t *srv_slot_buffer(struct tzm_server_transport *t, uint32_t slot, size_t *cap)
{
	struct tzm__chan *c = t->priv;

	*cap = c->data_size;
	return tzm__chan_slot_data(c, slot);
}

static int srv_complete(struct tzm_server_transport *t, uint32_t slot, uint32_t seq,
			const struct tzm_wire_resp *resp)
{
	return tzm__chan_complete(t->priv, slot, seq, resp);
}

static void srv_will_block_seq(struct tzm_server_transport *t, uint32_t seq)
{
	tzm__chan_will_block_seq(t->priv, seq);
}

static uint32_t srv_lanes_hint(struct tzm_server_transport *t)
{
	struct tzm__chan *c = t->priv;

	return load_acq(&c->ctrl->ta_lanes);
}

static void srv_handed_off(struct tzm_server_transport *t, bool yes)
{
	struct tzm__chan *c = t->priv;

	c->handed_off = yes;
}

static void srv_stop(struct tzm_server_transport *t)
{
	tzm__chan_stop(t->priv);
}

static void srv_cancel(struct tzm_server_transport *t)
{
	tzm__chan_cancel(t->priv);
}

static void srv_post_signal(struct tzm_server_transport *t, int sig)
{
	struct tzm__chan *c = t->priv;

	if (sig <= 0 || sig >= 32 || !(TZM_WIRE_SIG_FORWARDED & TZM_WIRE_SIG_BIT(sig))) {
		return;
	}
	__atomic_fetch_or(&c->ctrl->sig_pending, TZM_WIRE_SIG_BIT(sig), __ATOMIC_SEQ_CST);
	if (c->w->wake) {
		c->w->wake(&c->ctrl->sig_pending);
	}
}

static uint32_t srv_signal_state(struct tzm_server_transport *t, uint32_t *catch_mask,
				 uint32_t *dfl_mask)
{
	struct tzm__chan *c = t->priv;
	uint32_t pending = load_sc(&c->ctrl->sig_pending);

	if (!(load_acq(&c->ctrl->ta_caps) & TZM_CAP_TA_SIGNALS)) {
		/* not attached yet, or an older libtzm: every signal ends it */
		*catch_mask = TZM_WIRE_SIG_FORWARDED;
		*dfl_mask = TZM_WIRE_SIG_FORWARDED;
	} else {
		*catch_mask = load_sc(&c->ctrl->ta_sig_catch);
		*dfl_mask = load_acq(&c->ctrl->ta_sig_default);
	}
	return pending;
}

static int srv_signal_layer(struct tzm_server_transport *t)
{
	struct tzm__chan *c = t->priv;

	/* entry_gp.c/entry_local.c publish ta_caps before ta_attached */
	if (load_acq(&c->ctrl->ta_attached) == 0) {
		return -1;
	}
	return (load_acq(&c->ctrl->ta_caps) & TZM_CAP_TA_SIGNALS) != 0;
}

static int srv_exit_signal(struct tzm_server_transport *t)
{
	struct tzm__chan *c = t->priv;

	return (int)load_acq(&c->ctrl->ta_exit_signal);
}

const struct tzm_server_transport_ops tzm__chan_server_ops = {
	.post_signal = srv_post_signal,
	.signal_state = srv_signal_state,
	.exit_signal = srv_exit_signal,
	.signal_layer = srv_signal_layer,
	.name = "shm-channel",
	.buffer = srv_buffer,
	.next = srv_next,
	.reply = srv_reply,
	.will_block = srv_will_block,
	.next_slot = srv_next_slot,
	.slot_buffer = srv_slot_buffer,
	.complete = srv_complete,
	.will_block_seq = srv_will_block_seq,
	.lanes_hint = srv_lanes_hint,
	.handed_off = srv_handed_off,
	.stop = srv_stop,
	.cancel = srv_cancel,
};
