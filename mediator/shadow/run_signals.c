/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Signals of tzm-run. A native program receives SIGHUP, SIGINT, SIGQUIT, SIGUSR1,
 * SIGUSR2, SIGALRM and SIGTERM from its user or peers; `tzm run` receives them in its
 * place and forwards them to the TA (tzm_wire.h, line 5), which applies its own
 * dispositions (libtzm, ta/signal.c). SIGALRM also comes from the TA's ITIMER_REAL,
 * which is tzm-run's own (h_signal.c).
 *
 * Every thread blocks the forwarded signals; the signal thread takes them with
 * sigtimedwait and
 *  - posts each one to the TA (or, before the TA exists, dies of it as a native program
 *    would);
 *  - while a posted signal that the TA says would interrupt it is not yet taken and the
 *    server thread (or, for a TA with threads, a lane worker: main's lane's, else the
 *    lowest lane's in a call: serve.c) executes a call, interrupts that call's syscall
 *    with TZM_KICK_SIG every KICK_MS (the first kick may land just before the syscall
 *    starts), so the call returns EINTR and the TA thread takes the signal (libtzm hands
 *    it on to a thread that does not block it);
 *  - likewise kicks every lane worker whose call an INTERRUPT request marked (another TA
 *    thread's pthread_kill or pthread_cancel), woken for it by TZM_WAKE_SIG;
 *  - when the TA kept the default action of a signal (it should die of it at its next
 *    call) but is still running GRACE_MS later (it computes without calls), gives up:
 *    tzm-run dies of that signal; its TEE session closes and the TEE ends the instance.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "run.h"

#define GRACE_MS 3000
#define KICK_MS 20

static void on_kick(int sig)
{
	(void)sig; /* only interrupts a blocking syscall in the server thread */
}

static void forwarded_set(sigset_t *set)
{
	sigemptyset(set);
	for (int s = 1; s < 32; s++) {
		if (TZM_WIRE_SIG_FORWARDED & TZM_WIRE_SIG_BIT(s)) {
			sigaddset(set, s);
		}
	}
}

int tzm__sig_setup(void)
{
	struct sigaction sa;
	sigset_t set;

	/* A vanished peer must give the TA EPIPE, not kill us. */
	signal(SIGPIPE, SIG_IGN);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_kick; /* no SA_RESTART: blocking calls return EINTR */
	if (sigaction(TZM_KICK_SIG, &sa, NULL) != 0) {
		return -1;
	}
	/*
	 * A background start may have inherited SIGINT/SIGQUIT ignored: the TA starts with
	 * every disposition at its default, and Ctrl-C must still reach it.
	 */
	forwarded_set(&set);
	for (int s = 1; s < 32; s++) {
		if (sigismember(&set, s) == 1) {
			signal(s, SIG_DFL);
		}
	}
	sigaddset(&set, TZM_WAKE_SIG); /* only ever taken by the signal thread's wait */
	return pthread_sigmask(SIG_BLOCK, &set, NULL) == 0 ? 0 : -1;
}

/* The signal thread, and the forwarded signal another thread hands over to it to die of
 * (see tzm__sig_reraise). */
static pthread_t sig_thread;
static bool sig_thread_started;
static int handed_over_sig;

void tzm__sig_reraise(int sig)
{
	struct rlimit nocore = { 0, 0 };
	sigset_t one, forwarded;

	fflush(stdout);
	fflush(stderr);
	forwarded_set(&forwarded);
	if (__atomic_load_n(&sig_thread_started, __ATOMIC_ACQUIRE) &&
	    !pthread_equal(pthread_self(), sig_thread) && sigismember(&forwarded, sig) == 1) {
		/*
		 * The signal thread waits for sig in sigtimedwait: it dies of it in our place.
		 * A raise() here is thread-directed, but qemu-user re-sends a thread's fatal
		 * signal to the whole process (kill(getpid())), where that sigtimedwait takes
		 * it, and the process hangs (Makefile: test-aarch64).
		 */
		__atomic_store_n(&handed_over_sig, sig, __ATOMIC_SEQ_CST);
		if (pthread_kill(sig_thread, sig) == 0) {
			for (;;) {
				pause(); /* sig stays blocked in this thread */
			}
		}
	}
	signal(sig, SIG_DFL);
	(void)setrlimit(RLIMIT_CORE, &nocore); /* SIGQUIT & co.: the status, not a core */
	sigemptyset(&one);
	sigaddset(&one, sig);
	pthread_sigmask(SIG_UNBLOCK, &one, NULL);
	raise(sig);
	_exit(128 + sig); /* not reached for a signal that ends processes */
}

static uint64_t now_ms(void)
{
	struct timespec ts = { 0, 0 };

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

/*
 * Guards the channel and the server thread's id against the end of the run: the signal
 * thread touches them only under this lock while chan_ready is set, and tzm__run_end
 * clears chan_ready under it before the server is joined and the channel released.
 */
static pthread_mutex_t chan_lock = PTHREAD_MUTEX_INITIALIZER;

void tzm__sig_channel_gone(struct tzm_run *r)
{
	pthread_mutex_lock(&chan_lock);
	__atomic_store_n(&r->chan_ready, 0, __ATOMIC_RELEASE);
	pthread_mutex_unlock(&chan_lock);
}

static bool channel_ready(struct tzm_run *r)
{
	return __atomic_load_n(&r->chan_ready, __ATOMIC_ACQUIRE) != 0 &&
	       !__atomic_load_n(&r->done, __ATOMIC_ACQUIRE);
}

void tzm__sig_wake(void)
{
	if (__atomic_load_n(&sig_thread_started, __ATOMIC_ACQUIRE)) {
		pthread_kill(sig_thread, TZM_WAKE_SIG);
	}
}

/*
 * Interrupts the server's call (or one lane worker's) while a posted signal the TA
 * catches is not taken yet, and the calls INTERRUPT requests marked.
 */
static bool kick_if_needed(struct tzm_run *r)
{
	uint32_t catch_mask = 0, dfl = 0, pending = 0;
	bool kick = false, for_signal = false;

	pthread_mutex_lock(&chan_lock);
	if (channel_ready(r)) {
		pending = r->stp.ops->signal_state(&r->stp, &catch_mask, &dfl);
		for_signal = (pending & catch_mask) != 0;
		/* which TA thread handles the signal is decided in the TA (libtzm) */
		kick = tzm_shadow_kick_workers(r->shadow, TZM_KICK_SIG, for_signal);
		if (for_signal && __atomic_load_n(&r->shadow->in_call, __ATOMIC_SEQ_CST) &&
		    r->server_started) {
			pthread_kill(r->server, TZM_KICK_SIG);
			kick = true;
		}
	}
	pthread_mutex_unlock(&chan_lock);
	return kick;
}

enum post_result {
	POST_NO_CHANNEL = -1,
	POST_TA_HANDLES = 0, /* a handler, ignored, or blocked */
	POST_TA_DIES = 1,    /* default action: the TA dies of it at its next call */
	POST_TA_DEAF = 2,    /* the TA takes no signals (OP-TEE build): only we can end it */
};

static enum post_result post(struct tzm_run *r, int sig)
{
	uint32_t catch_mask = 0, dfl = 0;
	enum post_result rc = POST_NO_CHANNEL;

	pthread_mutex_lock(&chan_lock);
	if (channel_ready(r)) {
		r->stp.ops->post_signal(&r->stp, sig);
		(void)r->stp.ops->signal_state(&r->stp, &catch_mask, &dfl);
		rc = (catch_mask & dfl & TZM_WIRE_SIG_BIT(sig)) != 0 ? POST_TA_DIES
								     : POST_TA_HANDLES;
		if (r->stp.ops->signal_layer && r->stp.ops->signal_layer(&r->stp) == 0) {
			rc = POST_TA_DEAF;
		}
	}
	pthread_mutex_unlock(&chan_lock);
	return rc;
}

void tzm__sig_hold_begin(struct tzm_run *r)
{
	pthread_mutex_lock(&chan_lock);
	r->holding = 1;
	r->held_sig = 0;
	pthread_mutex_unlock(&chan_lock);
}

int tzm__sig_hold_end(struct tzm_run *r)
{
	int sig = 0;

	pthread_mutex_lock(&chan_lock);
	r->holding = 0;
	sig = r->held_sig;
	pthread_mutex_unlock(&chan_lock);
	return sig;
}

/*
 * A signal that would end tzm-run before the channel exists: the first one is held while
 * holding; a second one ends tzm-run at once (an open that never returns, e.g. with no
 * tee-supplicant running, must not make Ctrl-C useless).
 */
static bool held(struct tzm_run *r, int sig)
{
	bool first = false;

	pthread_mutex_lock(&chan_lock);
	if (r->holding && r->held_sig == 0) {
		r->held_sig = sig;
		first = true;
	}
	pthread_mutex_unlock(&chan_lock);
	if (first) {
		fprintf(stderr,
			"tzm-run: %s while the TEE opens the session: ending once the open "
			"returns (tee-supplicant may be loading the TA for us; a second signal "
			"ends tzm-run now)\n",
			strsignal(sig));
	}
	return first;
}

/* Ends the run: the TA's calls fail from now on, and tzm-run dies of sig. */
static void give_up(struct tzm_run *r, int sig, bool waited)
{
	if (waited) {
		fprintf(stderr, "tzm-run: the TA did not end within %d ms after %s; giving up\n",
			GRACE_MS, strsignal(sig));
	} else {
		fprintf(stderr, "tzm-run: %s: the TA takes no signals (OP-TEE build); ending it\n",
			strsignal(sig));
	}
	pthread_mutex_lock(&chan_lock);
	if (channel_ready(r)) {
		r->cancel_sig = sig;
		__atomic_store_n(&r->shadow->cancelled, 1, __ATOMIC_RELEASE);
		r->stp.ops->cancel(&r->stp);
		if (r->cancel_fn) {
			r->cancel_fn(r);
		}
	}
	pthread_mutex_unlock(&chan_lock);
	/* our exit closes the TEE session (the TEE ends the instance) or, locally, kills the
	 * program (PR_SET_PDEATHSIG) */
	tzm__sig_reraise(sig);
}

void tzm__run_abandon(struct tzm_run *r)
{
	const struct timespec tick = { 0, KICK_MS * 1000000L };
	uint64_t end = now_ms() + GRACE_MS;

	__atomic_store_n(&r->breached, 1, __ATOMIC_RELEASE);
	fprintf(stderr, "tzm-run: stopped serving the TA; its calls fail with EIO from now on\n");
	pthread_mutex_lock(&chan_lock);
	if (channel_ready(r) && r->cancel_fn) {
		r->cancel_fn(r); /* without the channel's cancel flag: "the shadow is gone" */
	}
	pthread_mutex_unlock(&chan_lock);
	while (!__atomic_load_n(&r->done, __ATOMIC_ACQUIRE) && now_ms() < end) {
		nanosleep(&tick, NULL);
	}
	if (__atomic_load_n(&r->done, __ATOMIC_ACQUIRE)) {
		return;
	}
	fprintf(stderr,
		"tzm-run: the TA did not end within %d ms of breaking the wire protocol; "
		"ending it\n",
		GRACE_MS);
	if (r->end_fn) {
		r->end_fn(r);
		return;
	}
	/* closes the TEE session (the TEE ends the instance) or the realm's connection */
	fflush(NULL);
	_exit(70);
}

static void *signal_main(void *arg)
{
	struct tzm_run *r = arg;
	const struct timespec tick = { 0, KICK_MS * 1000000L };
	uint64_t grace_end = 0;
	int grace_sig = 0;
	sigset_t set;

	forwarded_set(&set);
	sigaddset(&set, TZM_WAKE_SIG);
	for (;;) {
		bool kick = kick_if_needed(r);
		int sig = sigtimedwait(&set, NULL, kick || grace_sig ? &tick : NULL);

		if (sig == TZM_WAKE_SIG) {
			continue; /* an INTERRUPT request marked a call: kick_if_needed */
		}
		if (sig > 0 && sig == __atomic_load_n(&handed_over_sig, __ATOMIC_SEQ_CST)) {
			tzm__sig_reraise(sig); /* tzm-run ends with that signal */
		}
		if (__atomic_load_n(&r->done, __ATOMIC_ACQUIRE)) {
			grace_sig = 0; /* the TA has ended: tzm-run exits with its status */
			continue;
		}
		if (sig > 0) {
			enum post_result res = post(r, sig);

			if (res == POST_NO_CHANNEL &&
			    !__atomic_load_n(&r->done, __ATOMIC_ACQUIRE) && !held(r, sig)) {
				tzm__sig_reraise(
					sig); /* no TA yet: end as a native program would */
			}
			if (res == POST_TA_DEAF) {
				/* waiting GRACE_MS for a death that cannot come only delays it */
				give_up(r, sig, false);
			}
			if (res == POST_TA_DIES && !grace_sig) {
				grace_sig = sig;
				grace_end = now_ms() + GRACE_MS;
			}
		}
		if (grace_sig && now_ms() >= grace_end) {
			give_up(r, grace_sig, true);
		}
	}
	return NULL;
}

int tzm__sig_join_server(struct tzm_run *r)
{
	int rc = 0;

	pthread_mutex_lock(&chan_lock);
	rc = pthread_tryjoin_np(r->server, NULL);
	if (rc == 0) {
		r->server_started = false;
	}
	pthread_mutex_unlock(&chan_lock);
	return rc;
}

int tzm__sig_start(struct tzm_run *r)
{
	if (pthread_create(&sig_thread, NULL, signal_main, r) != 0) {
		return -1;
	}
	pthread_detach(sig_thread);
	__atomic_store_n(&sig_thread_started, true, __ATOMIC_RELEASE);
	return 0;
}
