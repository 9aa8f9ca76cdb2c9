/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Internal Core API: panic, time, random numbers, cancellation, and the tzmediator
 * futex extensions.
 *
 * Cancellation: tzm-teed writes the seq of the request being cancelled into the control
 * page's cancel_seq and FUTEX_WAKEs it. The running request is cancelled when cancel_seq
 * equals its seq. As in OP-TEE, cancellation starts masked for every session; a TA
 * calls TEE_UnmaskCancellation to make TEE_Wait / TZM_FutexWait cancellable.
 */
#include <errno.h>
#include <limits.h>
#include <linux/futex.h>
#include <sys/random.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <tee_internal_api_extensions.h>

#include "host.h"

void host_panic(TEE_Result code, const char *why)
{
	host_log(TRACE_ERROR, "TA panicked with code 0x%08x%s%s", code, why ? ": " : "",
		 why ? why : "");
	/* The core sees the channel close and fails the call with TARGET_DEAD. */
	_exit(HOST_EXIT_PANIC);
}

void TEE_Panic(TEE_Result panicCode)
{
	host_panic(panicCode, NULL);
}

void TEE_GetSystemTime(TEE_Time *time)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	time->seconds = (uint32_t)ts.tv_sec;
	time->millis = (uint32_t)(ts.tv_nsec / 1000000);
}

void TEE_GetREETime(TEE_Time *time)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	time->seconds = (uint32_t)ts.tv_sec;
	time->millis = (uint32_t)(ts.tv_nsec / 1000000);
}

void TEE_GenerateRandom(void *randomBuffer, size_t randomBufferLen)
{
	uint8_t *p = randomBuffer;

	while (randomBufferLen > 0) {
		ssize_t n = getrandom(p, randomBufferLen, 0);

		if (n < 0 && errno == EINTR) {
			continue;
		}
		if (n <= 0) {
			host_panic(TEE_ERROR_GENERIC, "no randomness available");
		}
		p += n;
		randomBufferLen -= (size_t)n;
	}
}

void __GP11_TEE_GenerateRandom(void *randomBuffer, uint32_t randomBufferLen)
{
	TEE_GenerateRandom(randomBuffer, randomBufferLen);
}

bool host_cancel_requested(void)
{
	return g_host.cur_seq != 0 &&
	       __atomic_load_n(g_host.ctl_cancel, __ATOMIC_ACQUIRE) == g_host.cur_seq;
}

bool TEE_GetCancellationFlag(void)
{
	struct host_session *s = g_host.cur_sess;

	return s && !s->cancel_masked && host_cancel_requested();
}

bool TEE_UnmaskCancellation(void)
{
	struct host_session *s = g_host.cur_sess;
	bool was = s ? s->cancel_masked : true;

	if (s) {
		s->cancel_masked = false;
	}
	return was;
}

bool TEE_MaskCancellation(void)
{
	struct host_session *s = g_host.cur_sess;
	bool was = s ? s->cancel_masked : true;

	if (s) {
		s->cancel_masked = true;
	}
	return was;
}

/*
 * Deadlines are kept in nanoseconds: a millisecond clock truncates "now", so a deadline
 * computed from it could fall up to 1 ms short and TEE_Wait(20) return after 19.x ms
 * (a nanosleep() forwarded through it would then return early, which POSIX forbids).
 */
#define NS_PER_MS 1000000u

static uint64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static uint64_t deadline_after_ms(uint32_t timeout_ms)
{
	return timeout_ms == TEE_TIMEOUT_INFINITE ? UINT64_MAX
						  : mono_ns() + (uint64_t)timeout_ms * NS_PER_MS;
}

/*
 * The futex calls of the API below leave errno as they found it: the GP API has no errno,
 * and the TA's errno is the TA's. A slice that times out (ETIMEDOUT) or finds the word
 * already changed (EAGAIN) happens under load in the middle of a libtzm call that then
 * succeeds; its errno showed through as that call's (wasm_wasi_diff_path: a Wasm TA's
 * readdir at the end of a directory, which must keep errno, read as ETIMEDOUT).
 */
static long futex_op(volatile uint32_t *addr, int op, uint32_t val, const struct timespec *ts)
{
	int saved = errno;
	long rc = syscall(SYS_futex, addr, op, val, ts, NULL, 0);

	errno = saved;
	return rc;
}

static long futex_wait(volatile uint32_t *addr, uint32_t expected, uint64_t ns)
{
	struct timespec ts = { (time_t)(ns / 1000000000u), (long)(ns % 1000000000u) };

	return futex_op(addr, FUTEX_WAIT, expected, &ts);
}

TEE_Result TEE_Wait(uint32_t timeout)
{
	uint64_t deadline = deadline_after_ms(timeout);

	for (;;) {
		uint32_t seen = __atomic_load_n(g_host.ctl_cancel, __ATOMIC_ACQUIRE);
		uint64_t now = mono_ns(), left;

		if (TEE_GetCancellationFlag()) {
			return TEE_ERROR_CANCEL;
		}
		if (now >= deadline) {
			return TEE_SUCCESS;
		}
		left = deadline - now;
		/* Woken early by the core when a cancellation arrives. */
		futex_wait(g_host.ctl_cancel, seen,
			   left > 3600000ull * NS_PER_MS ? 3600000ull * NS_PER_MS : left);
	}
}

TEE_Result TZM_FutexWait(volatile uint32_t *addr, uint32_t expected, uint32_t timeout_ms)
{
	uint64_t deadline = deadline_after_ms(timeout_ms);

	if (!addr || ((uintptr_t)addr & 3) ||
	    !host_in_shared_param((const void *)addr, sizeof(*addr))) {
		return TEE_ERROR_BAD_PARAMETERS;
	}
	for (;;) {
		uint64_t now = mono_ns(), left;
		long rc;

		if (TEE_GetCancellationFlag()) {
			return TEE_ERROR_CANCEL;
		}
		if (__atomic_load_n(addr, __ATOMIC_ACQUIRE) != expected) {
			return TEE_SUCCESS;
		}
		if (now >= deadline) {
			return TEE_ERROR_TIMEOUT;
		}
		left = deadline - now;
		/* Sliced so that a cancellation (signalled on another word) is seen promptly. */
		rc = futex_wait(addr, expected, left > 50u * NS_PER_MS ? 50u * NS_PER_MS : left);
		if (rc == 0) {
			return TEE_SUCCESS; /* woken by TZM_FutexWake or the peer's FUTEX_WAKE */
		}
	}
}

TEE_Result TZM_FutexWake(volatile uint32_t *addr, uint32_t count)
{
	if (!addr || ((uintptr_t)addr & 3) ||
	    !host_in_shared_param((const void *)addr, sizeof(*addr))) {
		return TEE_ERROR_BAD_PARAMETERS;
	}
	(void)futex_op(addr, FUTEX_WAKE, count > INT_MAX ? INT_MAX : count, NULL);
	return TEE_SUCCESS;
}
