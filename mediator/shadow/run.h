/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * tzm-run internals: one run of a TA (or a locally built program) served by the shadow.
 * main.c owns the command line, the signal thread and the serving thread; run_local.c and
 * run_gp.c start the protected side over their transport and wait for it to end.
 */
#ifndef TZM_SHADOW_RUN_H
#define TZM_SHADOW_RUN_H

#include <pthread.h>
#include <stdbool.h>
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
	/* transport-specific */
	pid_t child;       /* local */
	void *gp;          /* run_gp.c state */
	void (*cancel_fn)(struct tzm_run *r);
};

/* main.c: formats the channel in r->mem, fills the start record, starts serving. */
int tzm__run_begin(struct tzm_run *r);
/* main.c: stops serving, closes everything the TA held. */
void tzm__run_end(struct tzm_run *r);

/* Each returns the exit status for tzm-run. */
int tzm__run_local(struct tzm_run *r);
int tzm__run_gp(struct tzm_run *r);

#endif
