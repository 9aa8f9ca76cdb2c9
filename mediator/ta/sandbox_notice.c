/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The TEE's sandbox tells the user, not only tee.log, when it refuses one of this TA's
 * system calls: tzm-ta-host (tee/ta_host/sandbox.c) looks this function up when it loads
 * the TA and calls it with its log line ("TA <uuid>: system call 'chmod' (90) is not
 * supported in a TA: ENOSYS"), once per system call name; it reaches tzm-run's stderr as
 * "tzm: <line>".
 *
 * It runs inside the host's SIGSYS handler, on the TA thread, at the refused call: the
 * signal is synchronous, a POSIX TA has one thread, and libtzm itself makes only system
 * calls the sandbox allows, so no libtzm call is in flight. A notice arriving while one is
 * being written anyway (re-entry) is dropped rather than interleaved.
 */
#include "tzm_int.h"

void tzm_ta_sandbox_notice(const char *line);

void tzm_ta_sandbox_notice(const char *line)
{
	static bool busy;

	if (busy || !line || !tzm__rt.tp) {
		return;
	}
	busy = true;
	tzm__log("%s", line);
	busy = false;
}
