/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * CTest mediator_waiter_keeps_errno: the futex waiter of the channel (transport/futex.c)
 * answers through its return value and leaves errno as it found it. It runs inside a TA's
 * calls (the local transport), and under load a slice that times out (ETIMEDOUT) or finds
 * the word already changed (EAGAIN) showed through as the errno of a call that succeeded:
 * wasm_wasi_diff_path's readdir at the end of a directory, which must keep errno, failed
 * with ETIMEDOUT in a Wasm TA (the TA host's TZM_FutexWait did the same; fixed alike).
 */
#include <errno.h>
#include <stdio.h>

#include <tzm_test.h>

#include "../transport/chan.h"

#define SENTINEL 12345

int main(void)
{
	static volatile uint32_t word = 7;

	TEST_STEP("a slice that times out: -ETIMEDOUT, errno kept");
	errno = SENTINEL;
	ASSERT_EQ_INT(tzm__futex_waiter.wait(&word, 7, 1), -ETIMEDOUT);
	ASSERT_EQ_INT(errno, SENTINEL);

	TEST_STEP("the word already changed (the kernel's EAGAIN): 0, errno kept");
	errno = SENTINEL;
	ASSERT_EQ_INT(tzm__futex_waiter.wait(&word, 8, 1000), 0);
	ASSERT_EQ_INT(errno, SENTINEL);

	TEST_STEP("a wake with no sleeper, a sleep: errno kept");
	errno = SENTINEL;
	tzm__futex_waiter.wake(&word);
	ASSERT_EQ_INT(errno, SENTINEL);
	ASSERT_EQ_INT(tzm__futex_waiter.sleep(1), 0);
	ASSERT_EQ_INT(errno, SENTINEL);
	printf("mediator_waiter_keeps_errno: all checks passed\n");
	return 0;
}
