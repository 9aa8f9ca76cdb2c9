/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * tzm-run internals: one run of a TA (or a locally built program) served by the shadow.
 * main.c owns the command line, the signal thread and the serving thread; run_local.c and
 * run_gp.c start the protected side over their transport and wait for it to end.
 */
#ifndef TZM_SHADOW_RUN_H
#define TZM_SHADOW_RUN_H

#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <sys/types.h>

#include "../transport/chan.h"
#include "shadow.h"

struct tzm_run {
	/* inputs */
	const char *target;
	int argc;
	char **argv;
	int envc;
	char **envp;
	size_t chan_size;
	/* channel + executor */
	void *mem;
	struct tzm__chan chan;
	struct tzm_server_transport stp;
	struct tzm_shadow *shadow;
	pthread_t server;
	bool server_started;
	volatile int done;
	volatile int cancel_sig; /* signal that cancelled the run, 0 if none */
	volatile int chan_ready; /* the channel exists: signals can be posted to the TA */
	int term_sig;            /* the TA died of this signal: tzm-run dies of it too */
	/* transport-specific */
	pid_t child; /* local; realm: the RMM */
	void *gp;    /* run_gp.c state */
	void (*cancel_fn)(struct tzm_run *r);
	/* ends the protected side at once; NULL: tzm-run's exit does (tzm__run_abandon) */
	void (*end_fn)(struct tzm_run *r);
	volatile int breached; /* the TA broke the wire protocol: tzm-run stopped serving it */
	/* run_gp.c on OP-TEE: the TEE opens the session; a signal that ends us waits (held) */
	int holding;
	int held_sig;
};

/* main.c: formats the channel in r->mem, fills the start record, starts serving. */
int tzm__run_begin(struct tzm_run *r);
/*
 * run_chan.c, for tzm__run_begin (tzm-run's and the hostile shadow's): formats the channel
 * in r->mem, attaches r->shadow to it and writes the start record; *buf and *cap: the data
 * area holding it. Returns the record's length, or -1 with a line on stderr (`who:`).
 */
int tzm__run_chan_open(struct tzm_run *r, const char *who, uint8_t **buf, size_t *cap);
/* main.c: stops serving, closes everything the TA held. */
void tzm__run_end(struct tzm_run *r);

/*
 * run_signals.c: signal handling of tzm-run. tzm__sig_setup blocks the forwarded signals
 * (before any thread starts), tzm__sig_start starts the signal thread, which posts them
 * to the TA, interrupts the server thread's blocking call (TZM_KICK_SIG) while the TA
 * catches one, and ends the run when a signal whose default action the TA kept is not
 * acted on within the grace period. tzm__sig_reraise: tzm-run dies of sig (no core).
 */
#define TZM_KICK_SIG (SIGRTMIN)
/* wakes the signal thread to repeat the kicks for an INTERRUPT request (tzm__sig_wake) */
#define TZM_WAKE_SIG (SIGRTMIN + 1)
int tzm__sig_setup(void);
/* tzm_shadow.interrupt_wake: the signal thread repeats kicks for a marked call */
void tzm__sig_wake(void);
int tzm__sig_start(struct tzm_run *r);
/* tzm__run_end: the signal thread stops touching the channel / the server's thread id */
void tzm__sig_channel_gone(struct tzm_run *r);
int tzm__sig_join_server(struct tzm_run *r); /* pthread_tryjoin_np's result */
/*
 * run_gp.c on real OP-TEE, around TEEC_OpenSession: a forwarded signal that arrives
 * while the TEE opens the session (tee-supplicant loads the TA) and would end tzm-run
 * (no channel yet) is held, with one line on stderr (a second one ends tzm-run at once);
 * tzm__sig_hold_end returns it (0: none) and the caller closes what it opened and dies of
 * it (tzm__sig_reraise). Dying inside the open instead aborts the request tee-supplicant
 * is handling for us, and tee-supplicant 4.10 exits when its answer then fails (EBADF;
 * optee_client issue #423): every later TA load would wait for ever. SIGKILL cannot be
 * held.
 */
void tzm__sig_hold_begin(struct tzm_run *r);
int tzm__sig_hold_end(struct tzm_run *r);
void tzm__sig_reraise(int sig) __attribute__((noreturn));
/*
 * run_signals.c, from the serving thread once the TA broke the wire protocol: the TA's
 * pending and later calls fail with EIO (a GP cancellation with the channel's own cancel
 * flag clear: libtzm takes the shadow for gone), and a TA still running GRACE_MS later is
 * ended (end_fn, or tzm-run exits with 70, which closes its TEE session). Never a hang.
 */
void tzm__run_abandon(struct tzm_run *r);
/* After a run: 70 if the TA broke the wire protocol (one line names its own status). */
static inline int tzm__run_status(const struct tzm_run *r, int own)
{
	if (!__atomic_load_n(&r->breached, __ATOMIC_ACQUIRE)) {
		return own;
	}
	fprintf(stderr, "tzm-run: exit status 70: the TA broke the wire protocol (its own: %d)\n",
		own);
	return 70;
}

/* A signal a TA may say it died of: Linux numbering, default action "end the process". */
static inline bool tzm__sig_deadly(uint32_t sig)
{
	switch (sig) {
	case SIGCHLD:
	case SIGCONT:
	case SIGSTOP:
	case SIGTSTP:
	case SIGTTIN:
	case SIGTTOU:
	case SIGURG:
	case SIGWINCH:
	case 32: /* glibc's own */
	case 33:
		return false;
	default:
		return sig >= 1 && sig <= 64;
	}
}

/*
 * main.c, tests only: TZM_TEST_STOP_AT=POINT makes tzm-run stop itself (SIGSTOP, after
 * the line "tzm-run[PID]: TZM_TEST_STOP_AT: stopped at POINT" on stderr) when its start
 * reaches POINT, so that a test can signal it exactly there (docs/ARCHITECTURE.md).
 * tzm__run_test_stop(point) stops when point is the one named; nothing otherwise.
 */
void tzm__run_test_stop(const char *point);

/* Each returns the exit status for tzm-run. */
int tzm__run_local(struct tzm_run *r);
int tzm__run_gp(struct tzm_run *r);
/* run_realm.c: r->target is a realm image (tzm realm run) */
int tzm__run_realm(struct tzm_run *r);

#endif
