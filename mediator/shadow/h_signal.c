/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The TA's ITIMER_REAL is the shadow's own real-time interval timer: setitimer here arms
 * it, the kernel sends tzm-run SIGALRM, and the signal thread (main.c) forwards that to
 * the TA like any other signal. One timer per tzm-run, as one per native process.
 */
#include <errno.h>
#include <sys/time.h>

#include "shadow.h"

#define US_MAX (INT64_C(1) << 53) /* the bound libtzm checks answers against */

static void us_to_tv(int64_t us, struct timeval *tv)
{
	tv->tv_sec = (time_t)(us / 1000000);
	tv->tv_usec = (suseconds_t)(us % 1000000);
}

static int64_t tv_to_us(const struct timeval *tv)
{
	int64_t us = (int64_t)tv->tv_sec * 1000000 + tv->tv_usec;

	return us < US_MAX ? us : US_MAX - 1;
}

void tzm__h_SETITIMER(struct tzm_shadow *s, const struct tzm_wire_req *rq, uint8_t *buf, size_t cap,
		      struct tzm_wire_resp *rs)
{
	struct itimerval nv, old;
	int64_t value = rq->args[1], interval = rq->args[2];
	int r = 0;

	(void)s;
	(void)buf;
	(void)cap;
	if (rq->args[0] != ITIMER_REAL || value < 0 || value >= US_MAX || interval < 0 ||
	    interval >= US_MAX) {
		tzm__set_err(rs, EINVAL);
		return;
	}
	if (rq->args[3]) {
		r = getitimer(ITIMER_REAL, &old);
	} else {
		us_to_tv(value, &nv.it_value);
		us_to_tv(interval, &nv.it_interval);
		r = setitimer(ITIMER_REAL, &nv, &old);
	}
	if (r != 0) {
		tzm__set_ret(rs, -1);
		return;
	}
	rs->aux[0] = tv_to_us(&old.it_value);
	rs->aux[1] = tv_to_us(&old.it_interval);
	tzm__set_ret(rs, 0);
}
