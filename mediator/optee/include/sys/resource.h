/* SPDX-License-Identifier: BSD-2-Clause */
/* struct rusage (Linux aarch64 layout) for wait3/wait4 (ta/proc.c); nothing fills it. */
#ifndef TZM_OPTEE_SYS_RESOURCE_H
#define TZM_OPTEE_SYS_RESOURCE_H

#include <sys/time.h>

struct rusage {
	struct timeval ru_utime;
	struct timeval ru_stime;
	long ru_maxrss, ru_ixrss, ru_idrss, ru_isrss, ru_minflt, ru_majflt, ru_nswap;
	long ru_inblock, ru_oublock, ru_msgsnd, ru_msgrcv, ru_nsignals, ru_nvcsw, ru_nivcsw;
};

#endif
