/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Start-up and exit pieces shared by the local and realm entries of libtzm (see
 * entry_process.h). Raw system calls only: libtzm defines sigprocmask, syscall and exit
 * with their libc names.
 */
#include <signal.h>
#include <stdint.h>
#include <sys/syscall.h>

#include "../transport/rawsys.h"
#include "entry_process.h"
#include "tzm_int.h"

int __real_main(int argc, char **argv, char **envp);

int tzm__user_main(int argc, char **argv)
{
	return __real_main(argc, argv, tzm__rt.envp);
}

void tzm__exit_group(int status)
{
	for (;;) {
		(void)TZM__SYS1(SYS_exit_group, status);
	}
}

/*
 * The forwarded signals reach the program only through the channel, as in a TA: Ctrl-C
 * in a terminal signals the whole process group, but the shadow (or the realm's host)
 * decides. Kernel sigset: bit n-1 for signal n.
 */
void tzm__block_forwarded_signals(void)
{
	uint64_t set = 0;

	for (int s = 1; s < 32; s++) {
		if (TZM_WIRE_SIG_FORWARDED & TZM_WIRE_SIG_BIT(s)) {
			set |= UINT64_C(1) << (s - 1);
		}
	}
	(void)TZM__SYS6(SYS_rt_sigprocmask, SIG_BLOCK, &set, NULL, sizeof(set), 0, 0);
}
