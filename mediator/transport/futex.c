/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Host futex sleep/wake on a MAP_SHARED page, used by the shadow and by the local test
 * transport. Shared (not FUTEX_PRIVATE) because the peer is another process.
 */
#include <errno.h>
#include <limits.h>
#include <linux/futex.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "chan.h"
#include "rawsys.h"

int tzm__futex_wait(volatile uint32_t *addr, uint32_t expected, uint32_t timeout_ms)
{
	struct timespec ts = { .tv_sec = timeout_ms / 1000,
			       .tv_nsec = (long)(timeout_ms % 1000) * 1000000L };
	long r = TZM__SYS6(SYS_futex, addr, FUTEX_WAIT, expected, &ts, NULL, 0);

	if (r == 0) {
		return 0;
	}
	if (errno == ETIMEDOUT) {
		return -ETIMEDOUT;
	}
	/* EAGAIN: value already changed; EINTR: a signal (the caller re-checks state) */
	return 0;
}

void tzm__futex_wake(volatile uint32_t *addr)
{
	/* every sleeper: several TA threads may wait for completions on one word */
	(void)TZM__SYS6(SYS_futex, addr, FUTEX_WAKE, INT_MAX, NULL, NULL, 0);
}

static int sleep_ms(uint32_t ms)
{
	struct timespec ts = { .tv_sec = ms / 1000, .tv_nsec = (long)(ms % 1000) * 1000000L };

	/* raw syscall: in the local test transport nanosleep itself is forwarded */
	(void)TZM__SYS2(SYS_nanosleep, &ts, NULL);
	return 0;
}

const struct tzm__chan_waiter tzm__futex_waiter = {
	.wait = tzm__futex_wait,
	.wake = tzm__futex_wake,
	.sleep = sleep_ms,
	.can_sleep_on_futex = true,
	.cpu = tzm__host_cpu,
	.yield = tzm__host_yield,
};
