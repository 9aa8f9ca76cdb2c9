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
 * poll, epoll_wait, select or the sleeps).
 *
 * Default actions that end a process end the program: no atexit handlers, no stdio
 * flush (as a native death by signal), and the signal travels to `tzm run` through the
 * exit path (TZM_RUN_F_SIGNALED / ta_exit_signal), which then dies of the same signal.
 *
 * Signals are numbered 1..64 as on Linux (32 and 33 are glibc's own and refused with
 * EINVAL, as glibc does); realtime signals do not queue (one pending instance each).
 * Masks here: bit (n - 1) of a uint64_t for signal n.
 */
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

static struct {
	struct sigaction act[SIG_MAX + 1];
	uint64_t blocked;
	uint64_t pending;
	int code[SIG_MAX + 1]; /* si_code of the pending instance */
	uint64_t self;         /* pending instances the program sent itself (si_pid) */
	bool timer_used;       /* the TA armed ITIMER_REAL: SIGALRM comes from it */
	bool bad_posted;       /* a malformed signal set arrived: the next call fails */
	uint32_t pub_catch;    /* what was last published */
	uint32_t pub_dfl;
	bool published;
} sg;

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

/* ta_sig_catch / ta_sig_default for the shadow; written only when they change */
static void publish(void)
{
	uint32_t catch_mask = 0, dfl = 0;

	if (!tzm__rt.tp || !tzm__rt.tp->ops->publish_signals) {
		return;
	}
	for (int s = 1; s < 32; s++) {
		if (!(TZM_WIRE_SIG_FORWARDED & TZM_WIRE_SIG_BIT(s)) || (sg.blocked & BIT(s)) ||
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
	memset(&sg, 0, sizeof(sg));
	for (int s = 0; s <= SIG_MAX; s++) {
		sg.act[s].sa_handler = SIG_DFL;
	}
	publish();
}

/* Makes sig pending, unless it is ignored and not blocked (Linux discards it then). */
static void generate(int sig, int code)
{
	if (!(sg.blocked & BIT(sig)) && is_ignored(sig)) {
		return;
	}
	sg.pending |= BIT(sig);
	sg.code[sig] = code;
}

/*
 * copy -> validate -> act on the set the shadow posted. 0, or -1 when it holds a signal no
 * peer can send (or signal 0): the whole set is rejected, *bad_bits tells the caller.
 */
static int take_posted(uint32_t *bad_bits)
{
	const struct tzm_transport *tp = tzm__rt.tp;
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
	for (int s = 1; s < 32; s++) {
		if (bits & TZM_WIRE_SIG_BIT(s)) {
			generate(s, s == SIGALRM && sg.timer_used ? SI_KERNEL : SI_USER);
		}
	}
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

static void run_handler(int sig, const struct sigaction *a, int code, uint64_t saved)
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
			bool own = sg.self & BIT(sig);

			si.si_pid = own ? getpid() : 0;
			si.si_uid = own ? getuid() : 0;
		}
		mask_to_set(saved, &uc.uc_sigmask);
		a->sa_sigaction(sig, &si, &uc);
	} else {
		a->sa_handler(sig);
	}
}

/*
 * Runs the actions of the pending unblocked signals, lowest number first. Returns
 * DLV_* bits; does not return when a default action ends the program.
 */
static unsigned deliver(void)
{
	unsigned out = 0;
	uint64_t ready = 0;

	while ((ready = sg.pending & ~sg.blocked) != 0) {
		int sig = __builtin_ctzll(ready) + 1;
		struct sigaction a = sg.act[sig];
		int code = sg.code[sig];
		uint64_t saved = sg.blocked;

		sg.pending &= ~BIT(sig);
		if (a.sa_handler == SIG_IGN) {
			continue;
		}
		if (a.sa_handler == SIG_DFL) {
			if (BIT(sig) & DFL_STOP) {
				tzm__log(
					"signal %d would stop the program: a TA cannot be stopped; "
					"ignored",
					sig);
				continue;
			}
			if (BIT(sig) & DFL_IGNORE) {
				continue;
			}
			die_of(sig);
		}
		sg.blocked |= set_to_mask(&a.sa_mask);
		if (!(a.sa_flags & SA_NODEFER)) {
			sg.blocked |= BIT(sig);
		}
		sg.blocked &= ~UNBLOCKABLE;
		if (a.sa_flags & SA_RESETHAND) {
			memset(&sg.act[sig], 0, sizeof(sg.act[sig]));
			sg.act[sig].sa_handler = SIG_DFL;
		}
		publish();
		run_handler(sig, &a, code, saved);
		sg.self &= ~BIT(sig);
		sg.blocked = saved; /* what sigreturn restores */
		publish();
		out |= DLV_HANDLED;
		if (!(a.sa_flags & SA_RESTART)) {
			out |= DLV_NORESTART;
		}
	}
	return out;
}

/* Signals are delivered in main's thread: the others never run handlers or actions. */
static bool may_deliver(void)
{
	return tzm__rt.in_main && tzm__rt.tp && !tzm__rt.sig_hold && !tzm__in_thread();
}

void tzm__sig_boundary(void)
{
	if (!may_deliver()) {
		return;
	}
	(void)take_posted_logged();
	if (sg.pending & ~sg.blocked) {
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

/* calls Linux restarts after a handler with SA_RESTART (signal(7)) */
static bool restartable(uint32_t op)
{
	switch (op) {
	case TZM_OP_READ:
	case TZM_OP_WRITE:
	case TZM_OP_PREAD:
	case TZM_OP_PWRITE:
	case TZM_OP_OPENAT:
	case TZM_OP_ACCEPT4:
	case TZM_OP_CONNECT:
	case TZM_OP_SENDTO:
	case TZM_OP_RECVFROM:
	case TZM_OP_MQ_SEND:
	case TZM_OP_MQ_RECEIVE:
	case TZM_OP_GETADDRINFO:
	case TZM_OP_GETNAMEINFO:
	case TZM_OP_FLOCK:
		return true;
	default:
		return false;
	}
}

int tzm__sig_after_call(struct tzm__call *c, int64_t r)
{
	int e = errno;
	bool eintr = r < 0 && e == EINTR;
	uint8_t *saved = NULL;
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
		generate(SIGPIPE, SI_USER);
	}
	if (!(sg.pending & ~sg.blocked)) {
		if (eintr && restartable(c->req.opcode) &&
		    !tzm__rt.tp->ops->cancelled(tzm__rt.tp)) {
			return 1; /* interrupted for a signal that is gone: Linux would not notice
				   */
		}
		errno = e;
		return 0;
	}
	/*
	 * Handlers may make calls, which use the data area: keep the answer (or, for a call
	 * that may be sent again, the request) for the caller.
	 */
	if (r >= 0 && c->resp.data_len > 0) {
		saved_len = c->resp.data_len;
	} else if (eintr && restartable(c->req.opcode)) {
		saved_len = c->req.data_len <= c->cap ? c->req.data_len : 0;
	}
	if (saved_len > 0) {
		saved = malloc(saved_len);
		if (!saved) {
			errno = e;
			return 0; /* delivered at the next boundary */
		}
		memcpy(saved, c->buf, saved_len);
	}
	got = deliver();
	if (saved) {
		memcpy(c->buf, saved, saved_len);
		free(saved);
	}
	errno = e;
	if (eintr && restartable(c->req.opcode) && !(got & DLV_NORESTART) &&
	    !tzm__rt.tp->ops->cancelled(tzm__rt.tp)) {
		return 1;
	}
	return 0;
}

/* ---- waits ---- */

/*
 * Sleeps until a signal in `want` is pending or until deadline (monotonic ns; UINT64_MAX
 * for none). 1: pending, 0: deadline reached, -1: errno set (EIO: malformed signal set,
 * EINTR: the run was cancelled).
 */
static int wait_until(uint64_t want, uint64_t deadline)
{
	const struct tzm_transport *tp = tzm__rt.tp;

	if (!tp || !tp->ops->wait_signal) {
		errno = ENOSYS;
		return -1;
	}
	for (;;) {
		uint64_t now = 0, left_ms = 0;

		if (take_posted_logged() != 0) {
			sg.bad_posted = false;
			errno = EIO;
			return -1;
		}
		if (sg.pending & want) {
			return 1;
		}
		if (tp->ops->cancelled(tzm__rt.tp)) {
			tzm__rt.cancel_seen = true;
			errno = EINTR;
			return -1;
		}
		now = tzm__monotonic_ns();
		if (now >= deadline) {
			return 0;
		}
		left_ms = deadline == UINT64_MAX ? 1000u : (deadline - now + 999999u) / 1000000u;
		(void)tp->ops->wait_signal(tzm__rt.tp, left_ms > 1000u ? 1000u : (uint32_t)left_ms);
	}
}

/* A sleep in a thread other than main's: signals do not end it, a cancellation does. */
static int thread_sleep(uint64_t ns, uint64_t *left, uint64_t deadline)
{
	const struct tzm_transport *tp = tzm__rt.tp;

	for (;;) {
		uint64_t now = tzm__monotonic_ns(), ms = 0;

		if (now >= deadline) {
			ns = 0;
			break;
		}
		ms = (deadline - now + 999999u) / 1000000u;
		if (!tp || tp->ops->sleep_ms(tzm__rt.tp, ms > 1000u ? 1000u : (uint32_t)ms) != 0) {
			ns = deadline - now;
			break;
		}
	}
	if (left) {
		*left = ns;
	}
	if (ns > 0) {
		errno = EINTR;
		return -1;
	}
	return 0;
}

int tzm__sig_sleep(uint64_t ns, uint64_t *left)
{
	uint64_t start = tzm__monotonic_ns();
	uint64_t deadline = ns > UINT64_MAX - start - 1 ? UINT64_MAX - 1 : start + ns;

	if (tzm__in_thread()) {
		return thread_sleep(ns, left, deadline);
	}

	for (;;) {
		int r = wait_until(~sg.blocked, deadline);
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
	uint64_t saved = sg.blocked;
	int r = 0;

	sg.blocked = mask & ~UNBLOCKABLE;
	publish();
	for (;;) {
		r = wait_until(~sg.blocked, UINT64_MAX);
		if (r < 0 || (deliver() & DLV_HANDLED)) {
			break;
		}
	}
	sg.blocked = saved;
	publish();
	if (r >= 0) {
		errno = EINTR;
	}
	return -1;
}

int pause(void)
{
	return suspend(sg.blocked);
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
	int r = 0, sig = 0;

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
	r = wait_until(want, deadline);
	if (r < 0) {
		return -1;
	}
	if (r == 0) {
		errno = EAGAIN;
		return -1;
	}
	sig = __builtin_ctzll(sg.pending & want) + 1;
	sg.pending &= ~BIT(sig);
	if (info) {
		bool own = sg.self & BIT(sig);

		memset(info, 0, sizeof(*info));
		info->si_signo = sig;
		info->si_code = sg.code[sig];
		info->si_pid = own ? getpid() : 0;
		info->si_uid = own ? getuid() : 0;
	}
	sg.self &= ~BIT(sig);
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
	if (old) {
		*old = sg.act[sig];
	}
	if (act) {
		sg.act[sig] = *act;
		if (is_ignored(sig)) {
			sg.pending &= ~BIT(sig); /* POSIX: setting SIG_IGN discards a pending one */
		}
		publish();
	}
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
	if (flag) {
		sg.act[sig].sa_flags &= ~SA_RESTART;
	} else {
		sg.act[sig].sa_flags |= SA_RESTART;
	}
	return 0;
}

#if !defined(TZM_TA_OPTEE) && !defined(TZM_POSIX_REALM)
/* The mask of a thread other than main's: kept and reported, nothing is delivered there. */
static _Thread_local uint64_t thread_mask;

static int thread_sigmask(int how, const sigset_t *restrict set, sigset_t *restrict old)
{
	uint64_t m = 0, before = thread_mask;

	if (set) {
		m = set_to_mask(set);
		if (how == SIG_BLOCK) {
			thread_mask |= m;
		} else if (how == SIG_UNBLOCK) {
			thread_mask &= ~m;
		} else if (how == SIG_SETMASK) {
			thread_mask = m;
		} else {
			return EINVAL;
		}
		thread_mask &= ~UNBLOCKABLE;
	}
	if (old) {
		mask_to_set(before, old);
	}
	return 0;
}
#else
static int thread_sigmask(int how, const sigset_t *restrict set, sigset_t *restrict old)
{
	(void)how;
	(void)set;
	(void)old;
	return EINVAL;
}
#endif

int pthread_sigmask(int how, const sigset_t *restrict set, sigset_t *restrict old)
{
	uint64_t m = 0, before = sg.blocked;

	if (tzm__in_thread()) {
		return thread_sigmask(how, set, old);
	}

	if (set) {
		m = set_to_mask(set);
		switch (how) {
		case SIG_BLOCK:
			sg.blocked |= m;
			break;
		case SIG_UNBLOCK:
			sg.blocked &= ~m;
			break;
		case SIG_SETMASK:
			sg.blocked = m;
			break;
		default:
			return EINVAL;
		}
		sg.blocked &= ~UNBLOCKABLE;
	}
	if (old) {
		mask_to_set(before, old);
	}
	if (set) {
		publish();
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
	if (tzm__null(set)) {
		errno = EFAULT;
		return -1;
	}
	if (may_deliver()) {
		(void)take_posted_logged();
	}
	mask_to_set(sg.pending & sg.blocked, set);
	return 0;
}

/* ---- generation ---- */

/* sig to the program itself: pending, then delivered before returning (Linux) */
static int to_self(int sig, int code)
{
	if (sig == 0) {
		return 0;
	}
	if (sig < 0 || sig > SIG_MAX) {
		errno = EINVAL;
		return -1;
	}
	if (sig == SIGKILL) {
		die_of(SIGKILL);
	}
	generate(sig, code);
	if (sg.pending & BIT(sig)) {
		sg.self |= BIT(sig);
	}
	tzm__sig_boundary();
	return 0;
}

int raise(int sig)
{
	return to_self(sig, SI_TKILL);
}

int kill(pid_t pid, int sig)
{
	if (sig < 0 || sig > SIG_MAX) {
		errno = EINVAL;
		return -1;
	}
	if (pid == 0 || pid == getpid()) {
		return to_self(sig, SI_USER);
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
 * dying of SIGABRT. As glibc's: SIGABRT is unblocked and raised (a handler runs, and may
 * leave with longjmp); if the program is still here, the action is reset to SIG_DFL and
 * the program dies of SIGABRT, without atexit handlers or a stdio flush. A thread other
 * than main's cannot run handlers (signals are delivered in main's thread) nor return
 * through main's stack: the TA ends at once, saying it died of SIGABRT, and `tzm run`
 * dies of SIGABRT all the same (tzm__raw_exit of each entry).
 */
void abort(void)
{
	if (may_deliver()) {
		sg.blocked &= ~BIT(SIGABRT);
		publish();
		(void)to_self(SIGABRT, SI_TKILL);
	}
	memset(&sg.act[SIGABRT], 0, sizeof(sg.act[SIGABRT]));
	sg.act[SIGABRT].sa_handler = SIG_DFL;
	if (tzm__rt.in_main && !tzm__in_thread()) {
		die_of(SIGABRT);
	}
	tzm__rt.exit_signal = SIGABRT;
	if (tzm__rt.tp && tzm__rt.tp->ops->exit_signal) {
		tzm__rt.tp->ops->exit_signal(tzm__rt.tp, SIGABRT);
	}
	tzm__raw_exit(128 + SIGABRT);
}

/*
 * Thread-directed signals. libtzm delivers signals in main's thread only, so a signal
 * main's thread sends itself is raise(); one for another thread cannot be delivered
 * there. Without these definitions libc's would send a real signal (tgkill) that
 * libtzm's dispositions never see: the kernel's default action would end the whole TA.
 */
#if !defined(TZM_TA_OPTEE) && !defined(TZM_POSIX_REALM)
int pthread_kill(pthread_t thread, int sig)
{
	if (sig < 0 || sig > SIG_MAX) {
		return EINVAL;
	}
	if (!tzm__in_thread() && pthread_equal(thread, pthread_self())) {
		return to_self(sig, SI_TKILL) == 0 ? 0 : errno;
	}
	if (sig == 0) {
		return 0; /* "does it exist": a thread handle the program holds does */
	}
	tzm__log_once("pthread_kill",
		      "pthread_kill(): a signal for a thread other than main's is not supported "
		      "(libtzm delivers signals in main's thread only) (ENOSYS)");
	return ENOSYS;
}

/*
 * Thread cancellation is refused (ENOSYS, one log line) rather than left to libc: libtzm's
 * forwarded calls are not cancellation points, so a thread blocked in one (a read of a
 * pipe...) was never woken and pthread_join waited for ever; and acting on a cancellation
 * unwinds the thread through libgcc_s, which glibc opens on first use, an open that the
 * TA host's sandbox refuses (the TA panicked). Cancelling such a call needs the shadow to
 * interrupt one lane's call (mediator/README.md, Limits).
 */
int pthread_cancel(pthread_t thread)
{
	(void)thread;
	tzm__log_once("pthread_cancel", "pthread_cancel(): thread cancellation is not supported "
					"(libtzm's calls are not cancellation points) (ENOSYS)");
	return ENOSYS;
}

int pthread_sigqueue(pthread_t thread, int sig, const union sigval value)
{
	(void)value;
	if (sig < 0 || sig > SIG_MAX) {
		return EINVAL;
	}
	(void)thread;
	tzm__log_once("pthread_sigqueue", "pthread_sigqueue() is not supported by the mediator "
					  "(ENOSYS)");
	return ENOSYS;
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
