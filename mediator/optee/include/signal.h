/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Signals on OP-TEE: libtzm's signal layer (ta/signal.c) is not part of this build, so a
 * TA keeps every default action (the shadow applies them: tzm-run dies of the signal).
 * Masks are kept (a mask cannot be wrong when nothing is delivered); sigaction/signal
 * with a handler: ENOSYS and a log line.
 */
#ifndef TZM_OPTEE_SIGNAL_H
#define TZM_OPTEE_SIGNAL_H
#define __SIGNAL_H

#include <sys/types.h>

typedef struct {
	unsigned long sig[1];
} sigset_t;

#define SIGHUP 1
#define SIGINT 2
#define SIGQUIT 3
#define SIGABRT 6
#define SIGKILL 9
#define SIGUSR1 10
#define SIGUSR2 12
#define SIGPIPE 13
#define SIGALRM 14
#define SIGTERM 15
#define SIG_BLOCK 0
#define SIG_UNBLOCK 1
#define SIG_SETMASK 2

typedef void (*sighandler_t)(int);
#define SIG_DFL ((sighandler_t)0)
#define SIG_IGN ((sighandler_t)1)
#define SIG_ERR ((sighandler_t)-1)

typedef int sig_atomic_t;

/* Linux aarch64 layout (128 bytes), the SIGCHLD fields named; waitid never fills it */
typedef struct {
	int si_signo;
	int si_errno;
	int si_code;
	int __pad0;
	pid_t si_pid;
	uid_t si_uid;
	int si_status;
	int __rest[25];
} siginfo_t;

#define SA_NOCLDSTOP 0x00000001
#define SA_SIGINFO 0x00000004
#define SA_RESTART 0x10000000
#define SA_NODEFER 0x40000000
#define SA_RESETHAND 0x80000000

struct sigaction {
	sighandler_t sa_handler;
	sigset_t sa_mask;
	int sa_flags;
};

int sigemptyset(sigset_t *set);
int sigfillset(sigset_t *set);
int sigaddset(sigset_t *set, int sig);
int sigdelset(sigset_t *set, int sig);
int sigismember(const sigset_t *set, int sig);
int sigprocmask(int how, const sigset_t *set, sigset_t *old);
int pthread_sigmask(int how, const sigset_t *set, sigset_t *old);
sighandler_t signal(int sig, sighandler_t handler);
int sigaction(int sig, const struct sigaction *act, struct sigaction *old);
int raise(int sig);

#endif
