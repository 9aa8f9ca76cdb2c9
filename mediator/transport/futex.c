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

/*
 * The waiter answers through its return value and leaves errno as it found it: in the
 * local transport it runs inside a TA's call, and a slice's ETIMEDOUT or EAGAIN must not
 * become the errno of a call that succeeds (a readdir at the end of a directory keeps errno).
 */
int tzm__futex_wait(volatile uint32_t *addr, uint32_t expected, uint32_t timeout_ms)
{
	struct timespec ts = { .tv_sec = timeout_ms / 1000,
			       .tv_nsec = (long)(timeout_ms % 1000) * 1000000L };
	int saved = errno;
	long r = TZM__SYS6(SYS_futex, addr, FUTEX_WAIT, expected, &ts, NULL, 0);
	int err = r == 0 ? 0 : errno;

	errno = saved;
	/* EAGAIN: value already changed; EINTR: a signal (the caller re-checks state) */
	return err == ETIMEDOUT ? -ETIMEDOUT : 0;
}

void tzm__futex_wake(volatile uint32_t *addr)
{
	int saved = errno;

	/* every sleeper: several TA threads may wait for completions on one word */
	(void)TZM__SYS6(SYS_futex, addr, FUTEX_WAKE, INT_MAX, NULL, NULL, 0);
	errno = saved;
}

static int sleep_ms(uint32_t ms)
{
	struct timespec ts = { .tv_sec = ms / 1000, .tv_nsec = (long)(ms % 1000) * 1000000L };
	int saved = errno;

	/* raw syscall: in the local test transport nanosleep itself is forwarded */
	(void)TZM__SYS2(SYS_nanosleep, &ts, NULL);
	errno = saved;
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
