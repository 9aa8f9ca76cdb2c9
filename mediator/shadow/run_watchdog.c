/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * tzm-run's watchdog for real OP-TEE (run_gp.c, built with TZM_RUN_OPTEE).
 *
 * On OP-TEE the thread of tzm-run that runs the TA (TEEC_InvokeCommand, the ioctl
 * TEE_IOC_INVOKE) cannot leave the ioctl before the TA returns: the Linux driver loops
 * on the secure world's RPCs until the call completes and looks at no signal. When
 * tzm-run is killed (kill -9, or it dies of a signal) its other threads end, the shadow
 * with them, and the TA polls (TEE_Wait) for an answer that never comes: the killed
 * process stays, in state R (a pending fatal signal makes each of the driver's
 * interruptible sleeps of TEE_Wait return at once).
 *
 * So a separate process watches: forked by a keeper thread that does nothing else, it
 * asks the kernel for a signal when that thread ends (PR_SET_PDEATHSIG is per thread:
 * it fires when the forking thread exits, which a fatal signal makes it do while the
 * invoking thread is stuck). It then cancels the TEE session (TEE_IOC_CANCEL on the
 * context's descriptor, inherited). The TA unmasks cancellation for its run
 * (ta/entry_gp.c), its TEE_Wait returns TEE_ERROR_CANCEL, and since tzm-run did not flag
 * the cancellation in the channel first, libtzm takes the shadow for gone
 * (transport/chan.c ta_note_cancel): every call fails with EIO, main ends, the invoke
 * returns, the killed thread leaves the ioctl and the process ends; closing its TEE
 * descriptor closes the session and OP-TEE ends the TA instance.
 *
 * After a normal end tzm-run sets `done` (shared memory) first: the watchdog then exits
 * without cancelling. It runs in its own session (a terminal's Ctrl-C or a kill of the
 * process group does not reach it), blocks every signal it can, and only the kernel's
 * notice for its parent (SI_USER from tzm-run's pid, which no other process can
 * forge) makes it act. Not covered: a TA that computes without ever waiting, and a
 * watchdog killed as well (then the old behaviour: the process stays until the TA ends).
 * The child only uses async-signal-safe calls (it is forked from a threaded process).
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <linux/tee.h>

#include "run_watchdog.h"

#define WATCHDOG_SIG SIGUSR2

static volatile uint32_t *shared_done; /* MAP_SHARED: seen by the watchdog after fork */

struct keeper {
	int tee_fd;
	uint32_t session;
	pid_t parent;
	int armed_wr; /* the watchdog writes one byte once it is armed */
	char fired_msg[128];
	char failed_msg[96];
};

static void say(const char *msg)
{
	ssize_t n = write(STDERR_FILENO, msg, strlen(msg));

	(void)n; /* nothing to do about a closed stderr */
}

static void watchdog_main(const struct keeper *k) __attribute__((noreturn));
static void watchdog_main(const struct keeper *k)
{
	struct tee_ioctl_cancel_arg arg = { .cancel_id = 0, .session = k->session };
	sigset_t all, one;
	siginfo_t si;
	int null_fd = -1;

	sigfillset(&all);
	(void)sigprocmask(SIG_BLOCK, &all, NULL);
	(void)setsid();
	if (prctl(PR_SET_PDEATHSIG, WATCHDOG_SIG) != 0 || getppid() != k->parent) {
		_exit(0); /* the parent is already gone (before any run started) */
	}
	null_fd = open("/dev/null", O_RDWR);
	if (null_fd >= 0) {
		(void)dup2(null_fd, STDIN_FILENO);
		(void)dup2(null_fd, STDOUT_FILENO);
		if (null_fd > STDERR_FILENO) {
			(void)close(null_fd);
		}
	}
	if (write(k->armed_wr, "1", 1) != 1) {
		_exit(0);
	}
	(void)close(k->armed_wr);
	sigemptyset(&one);
	sigaddset(&one, WATCHDOG_SIG);
	for (;;) {
		if (sigwaitinfo(&one, &si) == WATCHDOG_SIG && si.si_code == SI_USER &&
		    si.si_pid == k->parent) {
			break;
		}
	}
	if (__atomic_load_n(shared_done, __ATOMIC_ACQUIRE)) {
		_exit(0); /* the run ended normally */
	}
	say(k->fired_msg);
	if (ioctl(k->tee_fd, TEE_IOC_CANCEL, &arg) != 0) {
		say(k->failed_msg);
		_exit(1);
	}
	_exit(0);
}

static void *keeper_main(void *arg)
{
	struct keeper *k = arg;
	sigset_t all;
	pid_t pid = 0;

	sigfillset(&all);
	(void)pthread_sigmask(SIG_BLOCK, &all, NULL);
	pid = fork();
	if (pid == 0) {
		watchdog_main(k);
	}
	(void)close(k->armed_wr); /* EOF for tzm__watchdog_start if the fork failed */
	for (;;) {
		pause(); /* this thread's end is what the watchdog waits for */
	}
	return NULL;
}

int tzm__watchdog_start(int tee_fd, uint32_t session)
{
	static struct keeper k;
	pthread_t t;
	int fds[2] = { -1, -1 };
	char b = 0;
	ssize_t n = 0;

	shared_done = mmap(NULL, sizeof(*shared_done), PROT_READ | PROT_WRITE,
			   MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (shared_done == MAP_FAILED) {
		shared_done = NULL;
		return -errno;
	}
	if (pipe2(fds, O_CLOEXEC) != 0) {
		return -errno;
	}
	k.tee_fd = tee_fd;
	k.session = session;
	k.parent = getpid();
	k.armed_wr = fds[1];
	snprintf(k.fired_msg, sizeof(k.fired_msg),
		 "tzm-run[%d]: killed while its TA ran: the watchdog cancels TEE session %u\n",
		 (int)k.parent, session);
	snprintf(k.failed_msg, sizeof(k.failed_msg),
		 "tzm-run[%d]: watchdog: cancelling the TEE session failed\n", (int)k.parent);
	if (pthread_create(&t, NULL, keeper_main, &k) != 0) {
		close(fds[0]);
		close(fds[1]);
		return -EAGAIN;
	}
	(void)pthread_detach(t);
	do {
		n = read(fds[0], &b, 1);
	} while (n < 0 && errno == EINTR);
	close(fds[0]);
	return n == 1 ? 0 : -ECHILD;
}

void tzm__watchdog_done(void)
{
	if (shared_done) {
		__atomic_store_n(shared_done, 1, __ATOMIC_RELEASE);
	}
}
