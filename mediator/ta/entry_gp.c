/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * libtzm's GP entry points: a TA linked with libtzm is an ordinary program with main().
 * TZM_TA_CMD_RUN_MAIN receives the channel (shared memory MEMREF allocated by the shadow),
 * runs main through the libtzm runtime and returns its exit status.
 *
 * Doorbell, TA side: TZM_FutexWait/TZM_FutexWake (emulated TEE extension) on the channel's
 * sequence words. Built with TZM_TA_OPTEE (real OP-TEE, upstream features only) the TA
 * instead polls with bounded spin + TEE_Wait backoff and never sleeps on a futex, so the
 * shadow polls too (it learns this from ta_caps).
 */
#include <errno.h>
#include <string.h>

#include <tee_internal_api.h>
#ifndef TZM_TA_OPTEE
#include <tee_internal_api_extensions.h>
#endif

#include "../transport/chan.h"
#include "tzm_int.h"

int main(int argc, char **argv);

static struct tzm__chan chan;
static struct tzm_transport tp;

int tzm__user_main(int argc, char **argv)
{
	return main(argc, argv);
}

void tzm__raw_exit(int status)
{
	/* exit outside main (e.g. from an atexit handler): nothing to return to */
	TEE_Panic(0x545a0000u | ((uint32_t)status & 0xffu));
	__builtin_unreachable(); /* OP-TEE's TEE_Panic is not declared noreturn */
}

static int map_cancel(TEE_Result res)
{
	if (res == TEE_ERROR_CANCEL) {
		/* mask further cancellation: the interrupted call still gets its answer */
		(void)TEE_MaskCancellation();
		return -ECANCELED;
	}
	return res == TEE_ERROR_TIMEOUT ? -ETIMEDOUT : 0;
}

static int gp_sleep(uint32_t ms)
{
	return map_cancel(TEE_Wait(ms));
}

#ifdef TZM_TA_OPTEE
static int gp_poll_wait(volatile uint32_t *addr, uint32_t expected, uint32_t timeout_ms)
{
	(void)addr;
	(void)expected;
	return map_cancel(TEE_Wait(timeout_ms));
}

static const struct tzm__chan_waiter gp_waiter = {
	.wait = gp_poll_wait,
	.wake = NULL,
	.sleep = gp_sleep,
	.can_sleep_on_futex = false,
};
/*
 * No TZM_CAP_TA_SIGNALS: the OP-TEE build has no signal layer (optee/libc/nosignal.c), so
 * the shadow applies every forwarded signal's default action itself.
 */
#define TA_CAPS 0u
#else
static int gp_futex_wait(volatile uint32_t *addr, uint32_t expected, uint32_t timeout_ms)
{
	return map_cancel(TZM_FutexWait(addr, expected, timeout_ms));
}

static void gp_futex_wake(volatile uint32_t *addr)
{
	(void)TZM_FutexWake(addr, 1);
}

static const struct tzm__chan_waiter gp_waiter = {
	.wait = gp_futex_wait,
	.wake = gp_futex_wake,
	.sleep = gp_sleep,
	.can_sleep_on_futex = true,
	.cpu = tzm__host_cpu,
	.yield = tzm__host_yield, /* the TA host allows sched_yield */
};
#define TA_CAPS (TZM_CAP_TA_FUTEX | TZM_CAP_TA_SIGNALS)
#endif

TEE_Result TA_CreateEntryPoint(void)
{
	return TEE_SUCCESS;
}

void TA_DestroyEntryPoint(void)
{
}

TEE_Result TA_OpenSessionEntryPoint(uint32_t ptypes, TEE_Param params[TEE_NUM_PARAMS], void **sess)
{
	(void)params;
	if (ptypes != TEE_PARAM_TYPES(TEE_PARAM_TYPE_NONE, TEE_PARAM_TYPE_NONE, TEE_PARAM_TYPE_NONE,
				      TEE_PARAM_TYPE_NONE)) {
		return TEE_ERROR_BAD_PARAMETERS;
	}
	*sess = NULL;
	return TEE_SUCCESS;
}

void TA_CloseSessionEntryPoint(void *sess)
{
	(void)sess;
}

TEE_Result TA_InvokeCommandEntryPoint(void *sess, uint32_t cmd, uint32_t ptypes,
				      TEE_Param params[TEE_NUM_PARAMS])
{
	uint32_t setup_len = 0;
	int status = 0;

	(void)sess;
	if (cmd != TZM_TA_CMD_RUN_MAIN) {
		return TEE_ERROR_NOT_SUPPORTED;
	}
	if (ptypes != TEE_PARAM_TYPES(TEE_PARAM_TYPE_MEMREF_INOUT, TEE_PARAM_TYPE_VALUE_OUTPUT,
				      TEE_PARAM_TYPE_NONE, TEE_PARAM_TYPE_NONE)) {
		return TEE_ERROR_BAD_PARAMETERS;
	}
	if (tzm__rt.in_main) {
		return TEE_ERROR_BAD_STATE; /* one main per session */
	}
	if (params[0].memref.size < TZM_WIRE_CTRL_SIZE) {
		return TEE_ERROR_BAD_FORMAT;
	}
	/* ours first, so that tzm-run can name a version mismatch (it prints the message) */
	__atomic_store_n(&((struct tzm_wire_ctrl *)params[0].memref.buffer)->ta_version,
			 TZM_WIRE_VERSION, __ATOMIC_SEQ_CST);
	if (tzm__chan_attach(&chan, params[0].memref.buffer, params[0].memref.size, &gp_waiter) !=
	    0) {
		return TEE_ERROR_BAD_FORMAT;
	}
	__atomic_store_n(&chan.ctrl->ta_caps, TA_CAPS, __ATOMIC_SEQ_CST);
	__atomic_store_n(&chan.ctrl->ta_attached, 1, __ATOMIC_SEQ_CST);
	setup_len = __atomic_load_n(&chan.ctrl->setup_len, __ATOMIC_ACQUIRE);
	tp.ops = &tzm__chan_transport_ops;
	tp.priv = &chan;
	tzm__note_main_thread();
	if (tzm__rt_start(&tp, setup_len) != 0) {
		return TEE_ERROR_BAD_FORMAT;
	}
	/*
	 * Invocations start with cancellation masked (OP-TEE's rule, and the emulated TEE's).
	 * Unmasked, a cancellation ends the TA's waits (TEE_Wait polls, TZM_FutexWait): tzm-run
	 * cancels when it gives up on a run, when it stops serving a TA that broke the wire
	 * protocol, and (its watchdog, on real OP-TEE) when it was killed and cannot leave the
	 * ioctl running this command until we return (chan.c ta_note_cancel). The TEE masks it
	 * again when the command returns.
	 */
	(void)TEE_UnmaskCancellation();
#ifndef TZM_TA_OPTEE
	tzm__host_stderr_start();
#endif
	status = tzm__run_main();
#ifndef TZM_TA_OPTEE
	tzm__host_stderr_flush();
#endif
	params[1].value.a = (uint32_t)status;
	params[1].value.b = tp.ops->cancelled(&tp) ? TZM_RUN_F_CANCELLED : 0;
	if (tzm__rt.exit_signal != 0) {
		/* died of a signal: `tzm run` dies of the same one */
		params[1].value.a = (uint32_t)tzm__rt.exit_signal;
		params[1].value.b |= TZM_RUN_F_SIGNALED;
	}
	tzm__rt_stop();
	return TEE_SUCCESS;
}
