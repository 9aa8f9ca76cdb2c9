/* SPDX-License-Identifier: BSD-2-Clause */
/* wait* (ta/proc.c): a TA never has children, so each fails with ECHILD as Linux does. */
#ifndef TZM_OPTEE_SYS_WAIT_H
#define TZM_OPTEE_SYS_WAIT_H

#include <signal.h>
#include <sys/resource.h>
#include <sys/types.h>

#define WNOHANG 1
#define WUNTRACED 2
#define WSTOPPED 2
#define WEXITED 4
#define WCONTINUED 8
#define WNOWAIT 0x01000000
#define WEXITSTATUS(s) (((s)&0xff00) >> 8)
#define WTERMSIG(s) ((s)&0x7f)
#define WSTOPSIG(s) WEXITSTATUS(s)
#define WIFEXITED(s) (WTERMSIG(s) == 0)
#define WIFSIGNALED(s) (((signed char)(((s)&0x7f) + 1) >> 1) > 0)
#define WIFSTOPPED(s) (((s)&0xff) == 0x7f)

typedef enum {
	P_ALL,
	P_PID,
	P_PGID,
	P_PIDFD
} idtype_t;
typedef unsigned int id_t;

pid_t wait(int *status);
pid_t waitpid(pid_t pid, int *status, int options);
pid_t wait3(int *status, int options, struct rusage *ru);
pid_t wait4(pid_t pid, int *status, int options, struct rusage *ru);
int waitid(idtype_t type, id_t id, siginfo_t *info, int options);

#endif
