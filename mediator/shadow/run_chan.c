/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The channel of one run, as tzm-run (main.c) and the hostile shadow test set it up: one
 * function, so that the test attacks the TA over the channel the product builds. It formats
 * the channel in the shared memory, attaches the executor to it and writes the start record
 * (argv, environment) into the data area; the caller then starts serving.
 */
#include <stdio.h>

#include "run.h"

int tzm__run_chan_open(struct tzm_run *r, const char *who, uint8_t **buf, size_t *cap)
{
	uint8_t *area = NULL;
	size_t area_cap = 0;
	int len = 0;

	if (tzm__chan_format(r->mem, r->chan_size, TZM_CTRL_F_SHADOW_FUTEX) != 0 ||
	    tzm__chan_attach(&r->chan, r->mem, r->chan_size, &tzm__futex_waiter) != 0) {
		fprintf(stderr, "%s: cannot set up the channel\n", who);
		return -1;
	}
	r->stp.ops = &tzm__chan_server_ops;
	r->stp.priv = &r->chan;
	tzm_shadow_init(r->shadow, r->shadow->pol, &r->stp);
	area = r->stp.ops->buffer(&r->stp, &area_cap);
	len = tzm_shadow_setup(r->shadow, area, area_cap, r->argc, r->argv, r->envc, r->envp);
	if (len < 0) {
		fprintf(stderr, "%s: arguments and environment too large\n", who);
		return -1;
	}
	r->chan.ctrl->setup_len = (uint32_t)len;
	*buf = area;
	*cap = area_cap;
	return len;
}
