/* SPDX-License-Identifier: BSD-2-Clause */
/* time.h for libtzm TAs on OP-TEE: OP-TEE's (time_t) plus clocks and sleeps. */
#ifndef TZM_OPTEE_TIME_H
#define TZM_OPTEE_TIME_H

#include_next <time.h>
#include <sys/types.h>

struct timespec {
	time_t tv_sec;
	long tv_nsec;
};

#define CLOCK_REALTIME 0
#define CLOCK_MONOTONIC 1
#define CLOCK_MONOTONIC_RAW 4
#define CLOCK_REALTIME_COARSE 5
#define CLOCK_MONOTONIC_COARSE 6
#define CLOCK_BOOTTIME 7
#define TIMER_ABSTIME 1

struct itimerspec {
	struct timespec it_interval;
	struct timespec it_value;
};

int clock_gettime(clockid_t clk, struct timespec *ts);
int nanosleep(const struct timespec *req, struct timespec *rem);
int clock_nanosleep(clockid_t clk, int flags, const struct timespec *req, struct timespec *rem);
time_t time(time_t *t);

#endif
