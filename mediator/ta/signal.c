/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * POSIX signals for a TA: dispositions (signal, sigaction), the mask (sigprocmask,
 * pthread_sigmask), pending sets (sigpending), generation (raise, kill of itself, alarm /
 * setitimer, SIGPIPE on EPIPE, signals forwarded by `tzm run`) and the waits (pause,
 * sigsuspend, sigwait, sigwaitinfo, sigtimedwait, the sleeps of time.c).
 *
 * A TA cannot be interrupted in the middle of its own computation, so signals are
 * delivered at call boundaries: before libtzm starts a forwarded call, when one returns,
 * in the waits, and when a call of this file changes what may be delivered. A TA that
 * computes without calls sees a signal at its next call. While the TA is blocked in a
 * forwarded call, the shadow interrupts that call when a forwarded signal would interrupt
 * it (ta_sig_catch): the call comes back with EINTR, the handler runs, and the call is
 * sent again when every handler that ran had SA_RESTART and the call is one Linux
 * restarts (read, write, accept, connect, send, recv, mq_*, open of a FIFO, flock; never
 * poll, epoll_wait, select or the sleeps). A call interrupted although this thread had
 * nothing to deliver (the signal went to another thread) is sent again, as Linux restarts
 * a call no handler interrupted (a poll or epoll_wait with its remaining time: rpc.c).
 *
 * Threads, as Linux: each thread has its own mask and its own pending set (signals sent
 * to it: pthread_kill, pthread_sigqueue, raise, SIGPIPE); the process has one pending set
 * (kill, alarm, the signals `tzm run` forwards), and the dispositions are the process's.
 * A thread delivers, at its call boundaries, its own pending signals and the process's
 * that it does not block; handlers run on that thread. A process signal is taken by the
 * thread whose call the shadow interrupted (main's thread's call when it has one, else
 * the lowest lane's: serve.c) or that reaches a boundary first; a thread that blocks it
 * leaves it pending for the process and has one that does not block it woken: its call
 * interrupted (an INTERRUPT request: the shadow ends that call's wait with EINTR) or its
 * signal wait woken. pthread_kill marks the target's set and interrupts its call the same
 * way. pthread_cancel (deferred) marks the thread and interrupts its call: libtzm's calls
 * are cancellation points, where glibc's pthread_testcancel then unwinds the thread.
 *
 * Default actions that end a process end the program: no atexit handlers, no stdio
 * flush (as a native death by signal), and the signal travels to `tzm run` through the
 * exit path (TZM_RUN_F_SIGNALED / ta_exit_signal), which then dies of the same signal.
 *
 * Signals are numbered 1..64 as on Linux (32 and 33 are glibc's own and refused with
 * EINVAL, as glibc does); realtime signals do not queue (one pending instance each).
 * Masks here: bit (n - 1) of a uint64_t for signal n.
 */
#include <dlfcn.h>
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <ucontext.h>
#include <unistd.h>

#include "tzm_int.h"

#if defined(__SANITIZE_ADDRESS__)
#define SIG_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SIG_ASAN 1
#endif
#endif
#ifdef SIG_ASAN
#include <sanitizer/asan_interface.h>
#endif

#define SIG_MAX 64
#define BIT(sig) (UINT64_C(1) << ((sig)-1))
#define UNBLOCKABLE (BIT(SIGKILL) | BIT(SIGSTOP))
#define GLIBC_RESERVED (BIT(32) | BIT(33))

/* default action ignores the signal (signal(7): Ign, and Cont) */
#define DFL_IGNORE (BIT(SIGCHLD) | BIT(SIGURG) | BIT(SIGWINCH) | BIT(SIGCONT))
/* default action stops the process: a TA cannot be stopped (logged, ignored) */
#define DFL_STOP (BIT(SIGSTOP) | BIT(SIGTSTP) | BIT(SIGTTIN) | BIT(SIGTTOU))

/* delivery outcome */
#define DLV_HANDLED 0x1u   /* a handler ran */
#define DLV_NORESTART 0x2u /* ...one of them without SA_RESTART */

#if defined(TZM_TA_OPTEE) || defined(TZM_POSIX_REALM)
#define SIG_TLS /* one thread */
#define SIG_THREADS 0
#else
#define SIG_TLS _Thread_local
#define SIG_THREADS 1
#endif

/*
 * What a call's caller still needs while handlers run (their calls use the same data
 * area): the answer, or the request to send again. Kept on the thread's record, not only
 * in tzm__sig_after_call's frame, because a handler need not come back: a default action
 * longjmps to tzm__run_main, a handler may call exit() or siglongjmp out, a cancellation
 * unwinds. What such a jump left behind is freed later (drop_saves). Only its thread
 * touches the list, except when the record is cleared (no thread runs on it then).
 */
struct sig_save {
	struct sig_save *next; /* an outer tzm__sig_after_call's */
	uintptr_t frame;       /* the frame it was kept for (stacks grow down) */
	size_t len;
	uint8_t data[];
};

/* One thread's signal state (main's thread: lane 0's record), under sig_lock. */
struct sig_thread {
	bool used;
	uint64_t blocked;
	uint64_t pending;                /* sent to this thread */
	int code[SIG_MAX + 1];           /* si_code of its pending instances */
	union sigval value[SIG_MAX + 1]; /* ...their si_value (pthread_sigqueue) */
	uint64_t self;                   /* ...that the program sent itself (si_pid) */
	int call_slot;                   /* the slot of its call in flight (-1: none) */
	bool chain;             /* ...the last chunk of a split transfer: its lane's every slot */
	uint32_t call_gen;      /* calls started so far: tells a call from the next */
	uint32_t waiting;       /* in a signal wait (sleep, pause, sigwait...) */
	bool cancel;            /* pthread_cancel: glibc unwinds it at its next call */
	bool cancel_quiet;      /* ...but pthread_testcancel returned (disabled): calls go on */
	bool hold;              /* libtzm's own log line is being written: no delivery */
	struct sig_save *saves; /* innermost first */
#if SIG_THREADS
	pthread_t id;
#endif
};

static struct {
	struct sigaction act[SIG_MAX + 1];
	uint64_t pending;                          /* the process's */
	int code[SIG_MAX + 1];                     /* si_code of the process's pending instances */
	union sigval value[SIG_MAX + 1];           /* ...their si_value (sigqueue) */
	uint64_t self;                             /* ...that the program sent itself (si_pid) */
	struct sig_thread thr[TZM_WIRE_MAX_LANES]; /* by lane */
	bool timer_used;    /* the TA armed ITIMER_REAL: SIGALRM comes from it */
	bool bad_posted;    /* a malformed signal set arrived: the next call fails */
	uint32_t pub_catch; /* what was last published */
	uint32_t pub_dfl;
	bool published;
} sg;

/* Never held across a handler, a forwarded call or a wait: a spin lock suffices. */
static int sig_lock_word;
static SIG_TLS struct sig_thread *me_tls;

static void sig_lock(void)
{
	while (__atomic_exchange_n(&sig_lock_word, 1, __ATOMIC_ACQUIRE) != 0) {
	}
}

static void sig_unlock(void)
{
	__atomic_store_n(&sig_lock_word, 0, __ATOMIC_RELEASE);
}

/* the calling thread's record */
static struct sig_thread *me(void)
{
	return me_tls ? me_tls : &sg.thr[0];
}

/*
 * Frees t's saves from the innermost on: `upto` and those inside it (NULL: all of them).
 * Only t's thread, or with t's thread gone.
 */
static void drop_saves(struct sig_thread *t, const struct sig_save *upto)
{
	while (t->saves) {
		struct sig_save *v = t->saves;

		t->saves = v->next;
		free(v);
		if (v == upto) {
			break;
		}
	}
}

/* a record as new (lock held; no thread runs on it) */
static void clear_thread(struct sig_thread *t)
{
	drop_saves(t, NULL);
	memset(t, 0, sizeof(*t));
	t->call_slot = -1;
}

static bool sig_valid(int sig)
{
	return sig >= 1 && sig <= SIG_MAX && !(BIT(sig) & GLIBC_RESERVED);
}

static uint64_t set_to_mask(const sigset_t *set)
{
	uint64_t m = 0;

	for (int s = 1; s <= SIG_MAX; s++) {
		if (sig_valid(s) && sigismember(set, s) == 1) {
			m |= BIT(s);
		}
	}
	return m;
}

static void mask_to_set(uint64_t m, sigset_t *set)
{
	sigemptyset(set);
	for (int s = 1; s <= SIG_MAX; s++) {
		if (m & BIT(s)) {
			sigaddset(set, s);
		}
	}
}

static bool is_ignored(int sig)
{
	const struct sigaction *a = &sg.act[sig];

	return a->sa_handler == SIG_IGN || (a->sa_handler == SIG_DFL && (BIT(sig) & DFL_IGNORE));
}

/* the signals no thread blocks... and those every thread blocks (lock held) */
static uint64_t unblocked_somewhere(void)
{
	uint64_t m = 0;

	for (uint32_t l = 0; l < TZM_WIRE_MAX_LANES; l++) {
		if (sg.thr[l].used) {
			m |= ~sg.thr[l].blocked;
		}
	}
	return m;
}

/*
 * ta_sig_catch / ta_sig_default for the shadow (lock held): the forwarded signals some
 * thread would take now; written only when they change.
 */
static void publish(void)
{
	uint32_t catch_mask = 0, dfl = 0;
	uint64_t open = 0;

	if (!tzm__rt.tp || !tzm__rt.tp->ops->publish_signals) {
		return;
	}
	open = unblocked_somewhere();
	for (int s = 1; s < 32; s++) {
		if (!(TZM_WIRE_SIG_FORWARDED & TZM_WIRE_SIG_BIT(s)) || !(open & BIT(s)) ||
		    is_ignored(s)) {
			continue;
		}
		catch_mask |= TZM_WIRE_SIG_BIT(s);
		if (sg.act[s].sa_handler == SIG_DFL) {
			dfl |= TZM_WIRE_SIG_BIT(s);
		}
	}
	if (sg.published && catch_mask == sg.pub_catch && dfl == sg.pub_dfl) {
		return;
	}
	sg.pub_catch = catch_mask;
	sg.pub_dfl = dfl;
	sg.published = true;
	tzm__rt.tp->ops->publish_signals(tzm__rt.tp, catch_mask, dfl);
}

void tzm__sig_reset(void)
{
	sig_lock();
	for (uint32_t l = 0; l < TZM_WIRE_MAX_LANES; l++) {
		drop_saves(&sg.thr[l], NULL); /* a run that ended in a jump out of a handler */
	}
	memset(&sg, 0, sizeof(sg));
	for (int s = 0; s <= SIG_MAX; s++) {
		sg.act[s].sa_handler = SIG_DFL;
	}
	for (uint32_t l = 0; l < TZM_WIRE_MAX_LANES; l++) {
		sg.thr[l].call_slot = -1;
	}
	sg.thr[0].used = true;
#if SIG_THREADS
	sg.thr[0].id = pthread_self();
#endif
	me_tls = NULL;
	publish();
	sig_unlock();
}

void tzm__sig_run_end(void)
{
	drop_saves(&sg.thr[0], NULL);
}

void tzm__sig_hold(bool on)
{
	me()->hold = on;
}

/*
 * Makes sig pending for the process (t NULL) or for thread t, unless it is ignored and
 * not blocked (Linux discards it then; a process signal: by main's thread's mask, the
 * one Linux looks at). Lock held.
 */
static const union sigval no_value;

static void generate(struct sig_thread *t, int sig, int code, bool own, union sigval value)
{
	uint64_t blocked = t ? t->blocked : sg.thr[0].blocked;

	if (!(blocked & BIT(sig)) && is_ignored(sig)) {
		return;
	}
	if (t) {
		t->pending |= BIT(sig);
		t->code[sig] = code;
		t->value[sig] = value;
		t->self = own ? t->self | BIT(sig) : t->self & ~BIT(sig);
	} else {
		sg.pending |= BIT(sig);
		sg.code[sig] = code;
		sg.value[sig] = value;
		sg.self = own ? sg.self | BIT(sig) : sg.self & ~BIT(sig);
	}
}

/* ---- waking another thread ---- */

/* One INTERRUPT request for the call seq of lane (0: nothing was in flight). */
static void interrupt_seq(uint32_t lane, uint32_t seq)
{
	struct tzm__call c;
	int64_t r = 0;

	if (seq == 0) {
		return;
	}
	tzm__begin_more(&c, TZM_OP_INTERRUPT);
	c.req.args[0] = lane;
	c.req.args[1] = seq;
	if (tzm__submit(&c, false) != 0) {
		return;
	}
	r = tzm__complete(&c);
	if (r > 1) {
		(void)tzm__malformed(&c, "INTERRUPT answered neither 0 nor 1");
	}
}

/*
 * Has the shadow end t's call in flight (INTERRUPT) so that t sees what was just made
 * pending for it; no lock held. A call t is about to send is not in flight yet: waited
 * for (a few instructions), as t checks its pending set before it marks the call
 * (tzm__sig_call_start); a call that ended meanwhile needs nothing (t is at a boundary).
 */
static void interrupt_call(struct sig_thread *t)
{
	const struct tzm_transport *tp = tzm__rt.tp;
	uint32_t lane = (uint32_t)(t - sg.thr), gen = 0, seq = 0;
	bool chain = false;
	int slot = -1;

	sig_lock();
	slot = t->call_slot;
	gen = t->call_gen;
	chain = t->chain;
	sig_unlock();
	if (slot < 0 || !tp || !tp->ops->inflight_seq || !tzm__pipelined()) {
		return;
	}
	for (;;) {
		bool same = false;

		seq = tp->ops->inflight_seq(tzm__rt.tp, (uint32_t)slot);
		if (seq != 0) {
			break;
		}
		sig_lock();
		same = t->call_slot == slot && t->call_gen == gen;
		sig_unlock();
		if (!same) {
			return;
		}
	}
	interrupt_seq(lane, seq);
	if (!chain) {
		return;
	}
	/*
	 * A split transfer's earlier chunk may be the one that waits (chunks are served in
	 * order); a chunk submitted after t marked the last one is interrupted as well,
	 * which is what t wants (it stops the transfer).
	 */
	for (uint32_t i = 0; i < TZM_WIRE_LANE_SLOTS; i++) {
		uint32_t other = lane * TZM_WIRE_LANE_SLOTS + i;

		if (other != (uint32_t)slot) {
			interrupt_seq(lane, tp->ops->inflight_seq(tzm__rt.tp, other));
		}
	}
}

/* Wakes the threads in a signal wait (they look at their sets again). */
static void wake_waiters(void)
{
	const struct tzm_transport *tp = tzm__rt.tp;

	if (tp && tp->ops->wake_signal_waiters) {
		tp->ops->wake_signal_waiters(tzm__rt.tp);
	}
}

/*
 * Process signals `bits` just became pending. The calling thread delivers those it does
 * not block at this boundary; for the others, a thread that does not block them is
 * woken: one in a signal wait, else the lowest lane's thread blocked in a call (its call
 * is interrupted). Threads in a signal wait are woken in any case (sigwait takes blocked
 * signals). No lock held.
 */
static void route(uint64_t bits)
{
	struct sig_thread *self = me(), *target = NULL;
	bool wake = false;

	sig_lock();
	for (uint32_t l = 0; l < TZM_WIRE_MAX_LANES; l++) {
		struct sig_thread *t = &sg.thr[l];

		if (!t->used || t == self) {
			continue;
		}
		wake |= t->waiting != 0;
		if (!target && t->call_slot >= 0 && (bits & self->blocked & ~t->blocked)) {
			target = t;
		}
	}
	sig_unlock();
	if (wake) {
		wake_waiters();
	}
	if (target) {
		interrupt_call(target);
	}
}

static uint64_t blocked_of(struct sig_thread *t)
{
	uint64_t m = 0;

	sig_lock();
	m = t->blocked;
	sig_unlock();
	return m;
}

/* What t would deliver now (lock held). */
static uint64_t deliverable(const struct sig_thread *t)
{
	return (t->pending | sg.pending) & ~t->blocked;
}

/*
 * copy -> validate -> act on the set the shadow posted. 0, or -1 when it holds a signal no
 * peer can send (or signal 0): the whole set is rejected, *bad_bits tells the caller.
 */
static int take_posted(uint32_t *bad_bits)
{
	const struct tzm_transport *tp = tzm__rt.tp;
	uint64_t made = 0;
	uint32_t bits = 0;

	if (!tp || !tp->ops->take_signals) {
		return 0;
	}
	bits = tp->ops->take_signals(tzm__rt.tp);
	if (bits == 0) {
		return 0;
	}
	if (bits & ~(uint32_t)TZM_WIRE_SIG_FORWARDED) {
		*bad_bits = bits;
		return -1;
	}
	sig_lock();
	for (int s = 1; s < 32; s++) {
		if (bits & TZM_WIRE_SIG_BIT(s)) {
			generate(NULL, s, s == SIGALRM && sg.timer_used ? SI_KERNEL : SI_USER,
				 false, no_value);
			made |= BIT(s);
		}
	}
	sig_unlock();
	route(made);
	return 0;
}

/* take_posted outside a call: the next call fails with EIO (tzm__sig_take_bad) */
static int take_posted_logged(void)
{
	uint32_t bad = 0;

	if (take_posted(&bad) == 0) {
		return 0;
	}
	sg.bad_posted = true;
	tzm__log("malformed signal set 0x%08x from the shadow: rejected (EIO)", bad);
	return -1;
}

/* The program dies of sig: back to tzm__run_main without atexit handlers or flushing. */
static void __attribute__((noreturn)) die_of(int sig)
{
	tzm__rt.exit_signal = sig;
	tzm__rt.exit_status = 128 + sig;
	tzm__rt.in_exit = true;
	if (tzm__rt.tp && tzm__rt.tp->ops->exit_signal) {
		tzm__rt.tp->ops->exit_signal(tzm__rt.tp, sig);
	}
	longjmp(tzm__rt.exit_jmp, 1);
}

/*
 * A default action that ends the program. Main's thread returns to tzm__run_main; another
 * thread cannot use main's stack: the TA ends at once, saying it died of sig, and `tzm
 * run` dies of it all the same (tzm__raw_exit of each entry), as abort() in a thread.
 */
static void __attribute__((noreturn)) act_death(int sig)
{
	if (tzm__rt.in_main && !tzm__in_thread()) {
		die_of(sig);
	}
	tzm__rt.exit_signal = sig;
	if (tzm__rt.tp && tzm__rt.tp->ops->exit_signal) {
		tzm__rt.tp->ops->exit_signal(tzm__rt.tp, sig);
	}
	tzm__raw_exit(128 + sig);
}

static void run_handler(int sig, const struct sigaction *a, int code, bool own, union sigval value,
			uint64_t saved)
{
	if (a->sa_flags & SA_SIGINFO) {
		siginfo_t si;
		ucontext_t uc;

		memset(&si, 0, sizeof(si));
		memset(&uc, 0, sizeof(uc));
		si.si_signo = sig;
		si.si_code = code;
		if (code == SI_USER || code == SI_TKILL) {
			/* sent by the program itself, or forwarded by `tzm run` (sender unknown: 0)
			 */
			si.si_pid = own ? getpid() : 0;
			si.si_uid = own ? getuid() : 0;
		} else if (code == SI_QUEUE) {
			si.si_pid = getpid(); /* only the program itself queues to itself */
			si.si_uid = getuid();
			si.si_value = value;
		}
		mask_to_set(saved, &uc.uc_sigmask);
		a->sa_sigaction(sig, &si, &uc);
	} else {
		a->sa_handler(sig);
	}
}

/*
 * Takes the lowest pending signal of t in `want` (its own set first, as Linux dequeues
 * the thread's queue before the process's). Lock held; 0: none.
 */
static int take_one(struct sig_thread *t, uint64_t want, int *code, bool *own, union sigval *value)
{
	uint64_t mine = t->pending & want, proc = sg.pending & want;
	int sig = 0;

	if (mine) {
		sig = __builtin_ctzll(mine) + 1;
		t->pending &= ~BIT(sig);
		*code = t->code[sig];
		*value = t->value[sig];
		*own = (t->self & BIT(sig)) != 0;
		t->self &= ~BIT(sig);
	} else if (proc) {
		sig = __builtin_ctzll(proc) + 1;
		sg.pending &= ~BIT(sig);
		*code = sg.code[sig];
		*value = sg.value[sig];
		*own = (sg.self & BIT(sig)) != 0;
		sg.self &= ~BIT(sig);
	}
	return sig;
}

/*
 * Runs, on the calling thread, the actions of its deliverable signals, lowest number
 * first. Returns DLV_* bits; does not return when a default action ends the program.
 */
static unsigned deliver(void)
{
	struct sig_thread *t = me();
	unsigned out = 0;

	for (;;) {
		struct sigaction a;
		union sigval value = no_value;
		uint64_t saved = 0;
		bool own = false;
		int code = 0, sig = 0;

		sig_lock();
		sig = take_one(t, ~t->blocked, &code, &own, &value);
		if (sig == 0) {
			sig_unlock();
			break;
		}
		a = sg.act[sig];
		saved = t->blocked;
		if (a.sa_handler == SIG_IGN ||
		    (a.sa_handler == SIG_DFL && (BIT(sig) & DFL_IGNORE))) {
			sig_unlock();
			continue;
		}
		if (a.sa_handler == SIG_DFL) {
			sig_unlock();
			if (BIT(sig) & DFL_STOP) {
				tzm__log(
					"signal %d would stop the program: a TA cannot be stopped; "
					"ignored",
					sig);
				continue;
			}
			act_death(sig);
		}
		t->blocked |= set_to_mask(&a.sa_mask);
		if (!(a.sa_flags & SA_NODEFER)) {
			t->blocked |= BIT(sig);
		}
		t->blocked &= ~UNBLOCKABLE;
		if (a.sa_flags & SA_RESETHAND) {
			memset(&sg.act[sig], 0, sizeof(sg.act[sig]));
			sg.act[sig].sa_handler = SIG_DFL;
		}
		publish();
		sig_unlock();
		run_handler(sig, &a, code, own, value, saved);
		sig_lock();
		t->blocked = saved; /* what sigreturn restores */
		publish();
		sig_unlock();
		out |= DLV_HANDLED;
		if (!(a.sa_flags & SA_RESTART)) {
			out |= DLV_NORESTART;
		}
	}
	return out;
}

/* Whether the calling thread may run signal actions now. */
static bool may_deliver(void)
{
	return tzm__rt.in_main && tzm__rt.tp && !me()->hold;
}

/*
 * A cancellation point (libtzm's forwarded calls and waits): glibc's pthread_testcancel
 * unwinds the thread when pthread_cancel asked and cancellation is enabled; it returns
 * otherwise (disabled: the request stays, for a later point).
 */
static void cancel_point(void)
{
#if SIG_THREADS
	struct sig_thread *t = me();
	bool asked = false;

	if (!tzm__in_thread()) {
		return;
	}
	sig_lock();
	asked = t->cancel;
	sig_unlock();
	if (asked) {
#ifdef SIG_ASAN
		/*
		 * glibc unwinds from pthread_testcancel to start_thread (its forced unwind ends
		 * in a longjmp of its own) without telling ASan: the redzones of the frames in
		 * between stay poisoned, and the thread's exit trips on them (ASan's TSD
		 * destructor calls sigaltstack with a local there: "stack-buffer-underflow",
		 * google/sanitizers#1399). ASan's hook for a jump out unpoisons the stack first,
		 * as its longjmp interceptor does; when cancellation is disabled and
		 * pthread_testcancel returns, the frames only lose their redzones.
		 */
		__asan_handle_no_return();
#endif
		pthread_testcancel();
		sig_lock();
		t->cancel_quiet = true; /* disabled (or unwinding already) */
		sig_unlock();
	}
#endif
}

void tzm__sig_boundary(void)
{
	struct sig_thread *t = me();
	bool ready = false;

	if (!may_deliver()) {
		return;
	}
	(void)take_posted_logged();
	cancel_point();
	sig_lock();
	ready = deliverable(t) != 0;
	sig_unlock();
	if (ready) {
		int e = errno;

		(void)deliver();
		errno = e;
	}
}

bool tzm__sig_take_bad(void)
{
	bool bad = sg.bad_posted;

	sg.bad_posted = false;
	return bad;
}

static int call_mark(int slot, bool chain)
{
	struct sig_thread *t = me();
	bool stop = false;

	if (!may_deliver()) {
		return 0;
	}
	sig_lock();
	stop = deliverable(t) != 0 || (t->cancel && !t->cancel_quiet);
	if (!stop) {
		t->call_slot = slot;
		t->call_gen++;
		t->chain = chain;
	}
	sig_unlock();
	return stop ? -1 : 0;
}

int tzm__sig_call_start(int slot)
{
	return call_mark(slot, false);
}

int tzm__sig_chain_next(int slot)
{
	return call_mark(slot, true);
}

void tzm__sig_call_done(int slot)
{
	struct sig_thread *t = me();

	sig_lock();
	if (t->call_slot == slot) {
		t->call_slot = -1; /* the chain's last chunk: nothing of it in flight */
	}
	sig_unlock();
}

void tzm__sig_call_end(void)
{
	struct sig_thread *t = me();

	sig_lock();
	t->call_slot = -1;
	t->chain = false;
	sig_unlock();
}

/* calls Linux restarts after a handler with SA_RESTART (signal(7)) */
static bool restartable(uint32_t op)
{
	return (tzm_wire_op_flags(op) & TZM_OPF_RESTART) != 0; /* TZM_WIRE_OPS says which */
}

int tzm__sig_after_call(struct tzm__call *c, int64_t r, bool not_sent)
{
	int e = errno;
	bool eintr = r < 0 && e == EINTR;
	bool again_ok = false, ready = false;
	struct sig_thread *t = me();
	struct sig_save *saved = NULL;
	uintptr_t frame = (uintptr_t)__builtin_frame_address(0);
	size_t saved_len = 0;
	unsigned got = 0;
	uint32_t bad = 0;

	if (!may_deliver()) {
		return 0;
	}
	if (take_posted(&bad) != 0) {
		/* part of this call's answer: the call fails */
		(void)tzm__malformed(c, "signal set holding a signal no peer can send");
		return -1;
	}
	if (r < 0 && e == EPIPE &&
	    (c->req.opcode == TZM_OP_WRITE ||
	     (c->req.opcode == TZM_OP_SENDTO && !(c->req.args[1] & MSG_NOSIGNAL)))) {
		sig_lock();
		generate(me(), SIGPIPE, SI_USER, false, no_value); /* thread-directed, as Linux's */
		sig_unlock();
	}
	cancel_point();
	/* sent again: a call that never went out, or one no signal of ours interrupted */
	again_ok = eintr && !tzm__rt.tp->ops->cancelled(tzm__rt.tp);
	sig_lock();
	ready = deliverable(me()) != 0;
	sig_unlock();
	if (!ready) {
		errno = e;
		return again_ok ? 1 : 0;
	}
	/*
	 * Handlers may make calls, which use the data area: keep the answer (or, for a call
	 * that may be sent again, the request) for the caller.
	 */
	if (r >= 0 && c->resp.data_len > 0) {
		saved_len = c->resp.data_len;
	} else if (eintr) {
		saved_len = c->req.data_len <= c->cap ? c->req.data_len : 0;
	}
	/* saves of calls whose frames a jump abandoned: at this depth or deeper */
	while (t->saves && t->saves->frame <= frame) {
		drop_saves(t, t->saves);
	}
	if (saved_len > 0) {
		saved = malloc(sizeof(*saved) + saved_len);
		if (!saved) {
			errno = e;
			return 0; /* delivered at the next boundary */
		}
		saved->frame = frame;
		saved->len = saved_len;
		memcpy(saved->data, c->buf, saved_len);
		saved->next = t->saves;
		t->saves = saved;
	}
	got = deliver();
	if (saved) {
		memcpy(c->buf, saved->data, saved->len);
		drop_saves(t, saved); /* and any a handler's jump left inside it */
	}
	errno = e;
	if (!again_ok) {
		return 0;
	}
	if (not_sent || !(got & DLV_HANDLED)) {
		return 1; /* no handler interrupted it (Linux restarts it unseen) */
	}
	if (c->req.opcode == TZM_OP_GETADDRINFO) {
		/* glibc's resolver waits again after a handler, with or without SA_RESTART */
		return 1;
	}
	return restartable(c->req.opcode) && !(got & DLV_NORESTART) ? 1 : 0;
}

/* ---- waits ---- */

/*
 * Sleeps until one of the calling thread's pending signals (its own or the process's) in
 * `want` (a mask, or the complement of its mask when want_unblocked) is there, or until
 * deadline (monotonic ns; UINT64_MAX for none). 1: pending, 0: deadline reached, -1:
 * errno set (EIO: malformed signal set, EINTR: the run was cancelled). A cancellation
 * point.
 */
static int wait_until(uint64_t want, bool want_unblocked, uint64_t deadline)
{
	const struct tzm_transport *tp = tzm__rt.tp;
	struct sig_thread *t = me();
	int rc = 0;

	if (!tp || !tp->ops->wait_signal) {
		errno = ENOSYS;
		return -1;
	}
	sig_lock();
	t->waiting++;
	sig_unlock();
	for (;;) {
		uint64_t now = 0, left_ms = 0, slice_ms = 1000u;
		bool ready = false;

		if (take_posted_logged() != 0) {
			sg.bad_posted = false;
			errno = EIO;
			rc = -1;
			break;
		}
		cancel_point();
		sig_lock();
		ready = ((t->pending | sg.pending) & (want_unblocked ? ~t->blocked : want)) != 0;
		sig_unlock();
		if (ready) {
			rc = 1;
			break;
		}
		if (tp->ops->cancelled(tzm__rt.tp)) {
			tzm__rt.cancel_seen = true;
			errno = EINTR;
			rc = -1;
			break;
		}
		now = tzm__monotonic_ns();
		if (now >= deadline) {
			rc = 0;
			break;
		}
		/*
		 * Another TA thread's wake-up (wake_waiters) that comes between the check above
		 * and the futex wait is lost: with threads, a slice bounds what that costs.
		 */
		if (tzm__threads_made()) {
			slice_ms = 50u;
		}
		left_ms = deadline == UINT64_MAX ? slice_ms : (deadline - now + 999999u) / 1000000u;
		(void)tp->ops->wait_signal(tzm__rt.tp, left_ms > slice_ms ? (uint32_t)slice_ms
									  : (uint32_t)left_ms);
	}
	sig_lock();
	t->waiting--;
	sig_unlock();
	return rc;
}

int tzm__sig_sleep(uint64_t ns, uint64_t *left)
{
	uint64_t start = tzm__monotonic_ns();
	uint64_t deadline = ns > UINT64_MAX - start - 1 ? UINT64_MAX - 1 : start + ns;

	for (;;) {
		int r = wait_until(0, true, deadline);
		uint64_t now = 0;

		if (r == 0) {
			if (left) {
				*left = 0;
			}
			return 0;
		}
		if (r > 0 && !(deliver() & DLV_HANDLED)) {
			continue; /* ignored signals do not end a sleep */
		}
		now = tzm__monotonic_ns();
		if (left) {
			*left = now >= deadline ? 0 : deadline - now;
		}
		if (r > 0) {
			errno = EINTR;
		}
		return -1;
	}
}

/* Waits for a handler to run with `mask` as the mask (pause, sigsuspend): -1/EINTR. */
static int suspend(uint64_t mask)
{
	struct sig_thread *t = me();
	uint64_t saved = 0;
	int r = 0;

	sig_lock();
	saved = t->blocked;
	t->blocked = mask & ~UNBLOCKABLE;
	publish();
	sig_unlock();
	for (;;) {
		r = wait_until(0, true, UINT64_MAX);
		if (r < 0 || (deliver() & DLV_HANDLED)) {
			break;
		}
	}
	sig_lock();
	t->blocked = saved;
	publish();
	sig_unlock();
	if (r >= 0) {
		errno = EINTR;
	}
	return -1;
}

int pause(void)
{
	return suspend(me()->blocked);
}

int sigsuspend(const sigset_t *mask)
{
	if (tzm__null(mask)) {
		errno = EFAULT;
		return -1;
	}
	return suspend(set_to_mask(mask));
}

int sigtimedwait(const sigset_t *restrict set, siginfo_t *restrict info,
		 const struct timespec *restrict timeout)
{
	uint64_t want = 0, deadline = UINT64_MAX;
	union sigval value = no_value;
	int r = 0, sig = 0, code = 0;
	bool own = false;

	if (tzm__null(set)) {
		errno = EFAULT;
		return -1;
	}
	if (timeout) {
		if (timeout->tv_sec < 0 || timeout->tv_nsec < 0 || timeout->tv_nsec >= 1000000000) {
			errno = EINVAL;
			return -1;
		}
		deadline = tzm__monotonic_ns();
		deadline += (uint64_t)timeout->tv_sec > (UINT64_MAX - deadline) / 2000000000u
				    ? UINT64_MAX / 2
				    : (uint64_t)timeout->tv_sec * 1000000000u +
					      (uint64_t)timeout->tv_nsec;
	}
	want = set_to_mask(set) & ~UNBLOCKABLE;
	for (;;) {
		r = wait_until(want, false, deadline);
		if (r < 0) {
			return -1;
		}
		if (r == 0) {
			errno = EAGAIN;
			return -1;
		}
		sig_lock();
		sig = take_one(me(), want, &code, &own, &value);
		sig_unlock();
		if (sig != 0) {
			break; /* (another thread may have taken a process signal first) */
		}
	}
	if (info) {
		memset(info, 0, sizeof(*info));
		info->si_signo = sig;
		info->si_code = code;
		info->si_pid = own || code == SI_QUEUE ? getpid() : 0;
		info->si_uid = own || code == SI_QUEUE ? getuid() : 0;
		if (code == SI_QUEUE) {
			info->si_value = value;
		}
	}
	return sig;
}

int sigwaitinfo(const sigset_t *restrict set, siginfo_t *restrict info)
{
	return sigtimedwait(set, info, NULL);
}

int sigwait(const sigset_t *restrict set, int *restrict sig)
{
	int r = 0;

	if (tzm__null(sig)) {
		return EFAULT;
	}
	do {
		r = sigtimedwait(set, NULL, NULL);
	} while (r < 0 && errno == EINTR && !tzm__rt.cancel_seen);
	if (r < 0) {
		return errno;
	}
	*sig = r;
	return 0;
}

/* ---- dispositions and mask ---- */

int sigaction(int sig, const struct sigaction *restrict act, struct sigaction *restrict old)
{
	if (!sig_valid(sig) || (act && (BIT(sig) & UNBLOCKABLE))) {
		errno = EINVAL;
		return -1;
	}
	sig_lock();
	if (old) {
		*old = sg.act[sig];
	}
	if (act) {
		sg.act[sig] = *act;
		if (is_ignored(sig)) {
			/* POSIX: setting SIG_IGN discards a pending one, the process's and each
			 * thread's */
			sg.pending &= ~BIT(sig);
			for (uint32_t l = 0; l < TZM_WIRE_MAX_LANES; l++) {
				sg.thr[l].pending &= ~BIT(sig);
			}
		}
		publish();
	}
	sig_unlock();
	return 0;
}

sighandler_t signal(int sig, sighandler_t handler)
{
	struct sigaction a, old;

	/* glibc's signal(): BSD semantics, restarting calls, the signal blocked in its handler */
	memset(&a, 0, sizeof(a));
	a.sa_handler = handler;
	a.sa_flags = SA_RESTART;
	sigemptyset(&a.sa_mask);
	sigaddset(&a.sa_mask, sig_valid(sig) ? sig : 1);
	if (sigaction(sig, &a, &old) != 0) {
		return SIG_ERR;
	}
	return old.sa_handler;
}

int siginterrupt(int sig, int flag)
{
	if (!sig_valid(sig)) {
		errno = EINVAL;
		return -1;
	}
	sig_lock();
	if (flag) {
		sg.act[sig].sa_flags &= ~SA_RESTART;
	} else {
		sg.act[sig].sa_flags |= SA_RESTART;
	}
	sig_unlock();
	return 0;
}

int pthread_sigmask(int how, const sigset_t *restrict set, sigset_t *restrict old)
{
	struct sig_thread *t = me();
	uint64_t m = 0, before = 0;

	if (set) {
		m = set_to_mask(set);
		if (how != SIG_BLOCK && how != SIG_UNBLOCK && how != SIG_SETMASK) {
			return EINVAL;
		}
	}
	sig_lock();
	before = t->blocked;
	if (set) {
		if (how == SIG_BLOCK) {
			t->blocked |= m;
		} else if (how == SIG_UNBLOCK) {
			t->blocked &= ~m;
		} else {
			t->blocked = m;
		}
		t->blocked &= ~UNBLOCKABLE;
		publish();
	}
	sig_unlock();
	if (old) {
		mask_to_set(before, old);
	}
	if (set) {
		/* Linux delivers what the change unblocked before the call returns */
		tzm__sig_boundary();
	}
	return 0;
}

int sigprocmask(int how, const sigset_t *restrict set, sigset_t *restrict old)
{
	int r = pthread_sigmask(how, set, old);

	if (r != 0) {
		errno = r;
		return -1;
	}
	return 0;
}

int sigpending(sigset_t *set)
{
	struct sig_thread *t = me();
	uint64_t m = 0;

	if (tzm__null(set)) {
		errno = EFAULT;
		return -1;
	}
	if (may_deliver()) {
		(void)take_posted_logged();
	}
	sig_lock();
	m = (t->pending | sg.pending) & t->blocked;
	sig_unlock();
	mask_to_set(m, set);
	return 0;
}

/* ---- generation ---- */

/* sig sent by the program to itself (t NULL: the process), then delivered as Linux does */
static int send_own(struct sig_thread *t, int sig, int code, union sigval value)
{
	if (sig == 0) {
		return 0;
	}
	if (sig < 0 || sig > SIG_MAX) {
		errno = EINVAL;
		return -1;
	}
	if (sig == SIGKILL) {
		act_death(SIGKILL);
	}
	sig_lock();
	generate(t, sig, code, true, value);
	sig_unlock();
	if (!t) {
		route(BIT(sig));
	} else if (t != me()) {
		wake_waiters(); /* (sigwait takes a signal it blocks) */
		if (!(blocked_of(t) & BIT(sig))) {
			interrupt_call(t);
		}
	}
	tzm__sig_boundary();
	return 0;
}

int raise(int sig)
{
	return send_own(me(), sig, SI_TKILL, no_value);
}

/*
 * sigqueue of the program itself (as kill: a process signal, taken by a thread that does
 * not block it), with its value; glibc's rt_sigqueueinfo is forbidden in a TA.
 */
int sigqueue(pid_t pid, int sig, const union sigval value)
{
	if (sig < 0 || sig > SIG_MAX) {
		errno = EINVAL;
		return -1;
	}
	if (pid == getpid()) {
		if (sig >= SIGRTMIN) {
			tzm__log_once("sigqueue", "sigqueue(): realtime signals do not queue (one "
						  "pending instance each)");
		}
		return send_own(NULL, sig, SI_QUEUE, value);
	}
	tzm__log("sigqueue(%d, %d): a TA can only signal itself (EPERM)", (int)pid, sig);
	errno = EPERM;
	return -1;
}

int kill(pid_t pid, int sig)
{
	if (sig < 0 || sig > SIG_MAX) {
		errno = EINVAL;
		return -1;
	}
	if (pid == 0 || pid == getpid()) {
		return send_own(NULL, sig, SI_USER, no_value);
	}
	/* a TA may signal only itself: the shadow would act for it on any process it can */
	tzm__log("kill(%d, %d): a TA can only signal itself (EPERM)", (int)pid, sig);
	errno = EPERM;
	return -1;
}

/*
 * abort(). glibc's raises SIGABRT with its own internal raise, a real signal that libtzm's
 * dispositions never see: a handler installed with sigaction never ran, and the TA's
 * process died of it, which `tzm run` reported as a panic (exit status 134) instead of
 * dying of SIGABRT. As glibc's: SIGABRT is unblocked and raised to the calling thread (a
 * handler runs there, and may leave with longjmp); if the program is still here, the
 * action is reset to SIG_DFL and the program dies of SIGABRT, without atexit handlers or
 * a stdio flush (a thread other than main's: act_death).
 */
void abort(void)
{
	struct sig_thread *t = me();

	if (may_deliver()) {
		sig_lock();
		t->blocked &= ~BIT(SIGABRT);
		publish();
		sig_unlock();
		(void)send_own(t, SIGABRT, SI_TKILL, no_value);
	}
	sig_lock();
	memset(&sg.act[SIGABRT], 0, sizeof(sg.act[SIGABRT]));
	sg.act[SIGABRT].sa_handler = SIG_DFL;
	sig_unlock();
	act_death(SIGABRT);
}

#if SIG_THREADS
/* ---- threads (proc.c registers them) ---- */

uint64_t tzm__sig_thread_mask(void)
{
	uint64_t m = 0;

	sig_lock();
	m = me()->blocked;
	sig_unlock();
	return m;
}

void tzm__sig_thread_add(uint32_t lane, uint64_t mask, const pthread_t *id)
{
	struct sig_thread *t = NULL;

	if (lane >= TZM_WIRE_MAX_LANES) {
		return;
	}
	t = &sg.thr[lane];
	sig_lock();
	if (!id) {
		/* before the thread exists: its lane is reserved, the record is new */
		clear_thread(t);
		t->blocked = mask & ~UNBLOCKABLE; /* a new thread inherits its creator's mask */
		t->used = true;
	} else {
		t->id = *id;
	}
	sig_unlock();
}

void tzm__sig_thread_start(uint32_t lane)
{
	pthread_t self = pthread_self();

	if (lane < TZM_WIRE_MAX_LANES) {
		tzm__sig_thread_add(lane, 0, &self);
		me_tls = &sg.thr[lane];
	}
}

void tzm__sig_thread_drop(uint32_t lane)
{
	if (lane < TZM_WIRE_MAX_LANES) {
		sig_lock();
		clear_thread(&sg.thr[lane]);
		sig_unlock();
	}
}

void tzm__sig_thread_end(void)
{
	struct sig_thread *t = me_tls;

	if (!t) {
		return;
	}
	sig_lock();
	clear_thread(t); /* with what a jump out of a handler of its left */
	publish();
	sig_unlock();
	me_tls = NULL;
}

/* the record of a thread of the program (lock held); NULL: none (ended, or not ours) */
static struct sig_thread *find(pthread_t thread)
{
	for (uint32_t l = 0; l < TZM_WIRE_MAX_LANES; l++) {
		if (sg.thr[l].used && pthread_equal(sg.thr[l].id, thread)) {
			return &sg.thr[l];
		}
	}
	return NULL;
}

/*
 * Thread-directed signals: libc's would send a real signal (tgkill) that libtzm's
 * dispositions never see (the kernel's default action would end the whole TA). The
 * target's pending set gets it, and its call in flight is interrupted (INTERRUPT) or its
 * signal wait woken; it runs the action at that boundary, on its own stack.
 */
static int send_to_thread(pthread_t thread, int sig, int code, union sigval value)
{
	struct sig_thread *t = NULL;

	if (sig < 0 || sig > SIG_MAX) {
		return EINVAL;
	}
	sig_lock();
	t = find(thread);
	sig_unlock();
	if (!t) {
		return ESRCH;
	}
	if (sig == 0) {
		return 0;
	}
	return send_own(t, sig, code, value) == 0 ? 0 : errno;
}

int pthread_kill(pthread_t thread, int sig)
{
	return send_to_thread(thread, sig, SI_TKILL, no_value);
}

/* The value reaches an SA_SIGINFO handler (si_value) or sigwaitinfo, as on Linux. */
int pthread_sigqueue(pthread_t thread, int sig, const union sigval value)
{
	if (sig >= SIGRTMIN && sig <= SIG_MAX) {
		tzm__log_once("pthread_sigqueue", "pthread_sigqueue(): realtime signals do not "
						  "queue (one pending instance each)");
	}
	return send_to_thread(thread, sig, SI_QUEUE, value);
}

/*
 * glibc's pthread_cancel: ours binds the program's references, libc's is the next
 * definition (as for pthread_create, proc.c).
 */
typedef int (*pthread_cancel_fn)(pthread_t);

static pthread_cancel_fn libc_pthread_cancel(void)
{
	static pthread_cancel_fn fn;

	if (!__atomic_load_n(&fn, __ATOMIC_ACQUIRE)) {
		void *sym = dlsym(RTLD_NEXT, "pthread_cancel");
		pthread_cancel_fn f = NULL;

		memcpy(&f, &sym, sizeof(f)); /* object to function pointer, as POSIX allows */
		__atomic_store_n(&fn, f, __ATOMIC_RELEASE);
	}
	return __atomic_load_n(&fn, __ATOMIC_ACQUIRE);
}

/*
 * Deferred cancellation: glibc records the request (its state: enabled, type, the
 * cleanup handlers), libtzm marks the thread and interrupts its call in flight; at its
 * next libtzm call or wait (cancellation points) the thread calls pthread_testcancel,
 * where glibc unwinds it (cleanup handlers, then pthread_join returns PTHREAD_CANCELED).
 * Unwinding uses libgcc_s, which the TA host loads before its sandbox. Main's thread
 * cannot be cancelled here: its stack is the run's way back (ENOSYS, one log line).
 */
int pthread_cancel(pthread_t thread)
{
	struct sig_thread *t = NULL;
	int rc = 0;

	sig_lock();
	t = find(thread);
	sig_unlock();
	if (t == &sg.thr[0]) {
		tzm__log_once("pthread_cancel", "pthread_cancel() of main's thread is not "
						"supported (ENOSYS)");
		return ENOSYS;
	}
	if (!t) {
		return ESRCH;
	}
	rc = libc_pthread_cancel() ? libc_pthread_cancel()(thread) : ENOSYS;
	if (rc != 0) {
		return rc;
	}
	sig_lock();
	t->cancel = true;
	t->cancel_quiet = false;
	sig_unlock();
	if (t == me()) {
		return 0; /* acted on at its next cancellation point */
	}
	wake_waiters();
	interrupt_call(t);
	return 0;
}
#endif

/* ---- ITIMER_REAL: the shadow's timer; its SIGALRM comes back as a forwarded signal ---- */

#define US_MAX (INT64_C(1) << 53) /* ~285 years: far beyond any timer, far from overflow */

static int64_t tv_to_us(const struct timeval *tv)
{
	if (tv->tv_sec < 0 || tv->tv_usec < 0 || tv->tv_usec >= 1000000 ||
	    tv->tv_sec >= US_MAX / 1000000) {
		return -1;
	}
	return (int64_t)tv->tv_sec * 1000000 + tv->tv_usec;
}

static void us_to_tv(int64_t us, struct timeval *tv)
{
	tv->tv_sec = (time_t)(us / 1000000);
	tv->tv_usec = (suseconds_t)(us % 1000000);
}

static int itimer_call(int64_t value, int64_t interval, bool query, struct itimerval *old)
{
	struct tzm__call c;

	tzm__begin(&c, TZM_OP_SETITIMER);
	c.req.args[0] = ITIMER_REAL;
	c.req.args[1] = value;
	c.req.args[2] = interval;
	c.req.args[3] = query;
	if (tzm__invoke(&c) < 0) {
		return -1;
	}
	if (c.resp.aux[0] < 0 || c.resp.aux[0] >= US_MAX || c.resp.aux[1] < 0 ||
	    c.resp.aux[1] >= US_MAX) {
		return (int)tzm__malformed(&c, "timer value out of range");
	}
	if (old) {
		us_to_tv(c.resp.aux[0], &old->it_value);
		us_to_tv(c.resp.aux[1], &old->it_interval);
	}
	return 0;
}

int setitimer(__itimer_which_t which, const struct itimerval *restrict nv,
	      struct itimerval *restrict old)
{
	int64_t value = 0, interval = 0;

	if (which == ITIMER_VIRTUAL || which == ITIMER_PROF) {
		return tzm__unsupported("setitimer(ITIMER_VIRTUAL/ITIMER_PROF)");
	}
	if (which != ITIMER_REAL) {
		errno = EINVAL;
		return -1;
	}
	if (tzm__null(nv)) {
		errno = EFAULT;
		return -1;
	}
	value = tv_to_us(&nv->it_value);
	interval = tv_to_us(&nv->it_interval);
	if (value < 0 || interval < 0) {
		errno = EINVAL;
		return -1;
	}
	if (value > 0) {
		sg.timer_used = true;
	}
	return itimer_call(value, interval, false, old);
}

int getitimer(__itimer_which_t which, struct itimerval *cur)
{
	if (which == ITIMER_VIRTUAL || which == ITIMER_PROF) {
		return tzm__unsupported("getitimer(ITIMER_VIRTUAL/ITIMER_PROF)");
	}
	if (which != ITIMER_REAL) {
		errno = EINVAL;
		return -1;
	}
	if (tzm__null(cur)) {
		errno = EFAULT;
		return -1;
	}
	return itimer_call(0, 0, true, cur);
}

unsigned int alarm(unsigned int seconds)
{
	struct itimerval nv, old;
	unsigned int left = 0;

	memset(&nv, 0, sizeof(nv));
	memset(&old, 0, sizeof(old));
	nv.it_value.tv_sec = seconds;
	if (setitimer(ITIMER_REAL, &nv, &old) != 0) {
		return 0;
	}
	/* glibc: rounded to the nearest second, never 0 while the alarm is still set */
	left = (unsigned int)old.it_value.tv_sec;
	if (old.it_value.tv_usec >= 500000 || (left == 0 && old.it_value.tv_usec > 0)) {
		left++;
	}
	return left;
}
