/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Time: CLOCK_REALTIME comes from the normal world (the TEE has no trusted wall clock),
 * monotonic clocks are read locally, sleeps are waits of the transport that signals
 * interrupt (signal.c): a handler that runs ends them with EINTR.
 */
#include <errno.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "../transport/rawsys.h"
#include "tzm_int.h"

#ifdef TZM_TA_OPTEE
#include <tee_internal_api.h>
uint64_t tzm__monotonic_ns(void)
{
	TEE_Time t;

	TEE_GetSystemTime(&t);
	return (uint64_t)t.seconds * 1000000000u + (uint64_t)t.millis * 1000000u;
}
#else
uint64_t tzm__monotonic_ns(void)
{
	struct timespec ts = { 0, 0 };

	/* raw syscall: clock_gettime is overridden by libtzm itself */
	(void)TZM__SYS2(SYS_clock_gettime, CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}
#endif

int clock_gettime(clockid_t id, struct timespec *ts)
{
	struct tzm__call c;

	if (tzm__null(ts)) {
		errno = EFAULT;
		return -1;
	}
	switch (id) {
	case CLOCK_MONOTONIC:
	case CLOCK_MONOTONIC_RAW:
	case CLOCK_MONOTONIC_COARSE:
	case CLOCK_BOOTTIME: {
		uint64_t ns = tzm__monotonic_ns();

		ts->tv_sec = (time_t)(ns / 1000000000u);
		ts->tv_nsec = (long)(ns % 1000000000u);
		return 0;
	}
	case CLOCK_REALTIME:
	case CLOCK_REALTIME_COARSE:
		break;
	default:
		errno = EINVAL;
		return -1;
	}
	tzm__begin(&c, TZM_OP_CLOCK_GETTIME);
	c.req.args[0] = CLOCK_REALTIME;
	if (tzm__invoke(&c) < 0) {
		return -1;
	}
	/* callers compute sec * 1e9 + nsec in 64 bits: keep that from overflowing */
	if (c.resp.aux[0] < 0 || c.resp.aux[0] > INT64_MAX / 1000000000 - 1 || c.resp.aux[1] < 0 ||
	    c.resp.aux[1] >= 1000000000) {
		return (int)tzm__malformed(&c, "timespec out of range");
	}
	ts->tv_sec = (time_t)c.resp.aux[0];
	ts->tv_nsec = (long)c.resp.aux[1];
	return 0;
}

int gettimeofday(struct timeval *restrict tv, void *restrict tz)
{
	struct timespec ts;

	(void)tz;
	if (!tzm__null(tv)) {
		if (clock_gettime(CLOCK_REALTIME, &ts) != 0) {
			return -1;
		}
		tv->tv_sec = ts.tv_sec;
		tv->tv_usec = ts.tv_nsec / 1000;
	}
	return 0;
}

time_t time(time_t *out)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_REALTIME, &ts) != 0) {
		return (time_t)-1;
	}
	if (out) {
		*out = ts.tv_sec;
	}
	return ts.tv_sec;
}

static int sleep_ns(uint64_t ns, uint64_t *left)
{
	if (!tzm__rt.tp) {
		errno = EIO;
		return -1;
	}
	/* signals (a handler that runs, the run being cancelled) end it with EINTR */
	return tzm__sig_sleep(ns, left);
}

int nanosleep(const struct timespec *req, struct timespec *rem)
{
	uint64_t left = 0;

	if (!req || req->tv_nsec < 0 || req->tv_nsec >= 1000000000 || req->tv_sec < 0) {
		errno = EINVAL;
		return -1;
	}
	if (sleep_ns((uint64_t)req->tv_sec * 1000000000u + (uint64_t)req->tv_nsec, &left) != 0) {
		if (rem) {
			rem->tv_sec = (time_t)(left / 1000000000u);
			rem->tv_nsec = (long)(left % 1000000000u);
		}
		return -1;
	}
	return 0;
}

int clock_nanosleep(clockid_t id, int flags, const struct timespec *req, struct timespec *rem)
{
	if (flags != 0 || (id != CLOCK_MONOTONIC && id != CLOCK_REALTIME)) {
		return EINVAL;
	}
	return nanosleep(req, rem) == 0 ? 0 : errno;
}

int usleep(useconds_t us)
{
	return sleep_ns((uint64_t)us * 1000u, NULL);
}

unsigned int sleep(unsigned int s)
{
	uint64_t left = 0;

	if (sleep_ns((uint64_t)s * 1000000000u, &left) != 0) {
		return (unsigned int)((left + 999999999u) / 1000000000u);
	}
	return 0;
}
