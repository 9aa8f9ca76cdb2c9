/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Differential test: signals a program sends or schedules itself. Dispositions (signal,
 * sigaction with SA_SIGINFO / SA_RESETHAND / SA_NODEFER / sa_mask, EINVAL cases), raise
 * and kill(getpid()) (si_code SI_TKILL / SI_USER), the mask (sigprocmask, pthread_sigmask,
 * sigpending; a blocked signal is delivered once, before the unblocking call returns; SIG_IGN
 * discards a pending one), sigwait / sigtimedwait / sigsuspend, SIGPIPE on EPIPE (ignored:
 * EPIPE only; caught: the handler runs; MSG_NOSIGNAL: none), alarm / setitimer / getitimer,
 * pause ended by SIGALRM, a blocked read interrupted (EINTR) or restarted (SA_RESTART),
 * poll and nanosleep / sleep never restarted. The program ends by raise(SIGTERM) with the
 * default action after its transcript: the runner expects death by SIGTERM (status 143).
 */
#include "tr.h"

#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t hits[65];
static volatile sig_atomic_t info_signo, info_code, info_pid_ok;
static volatile sig_atomic_t self_blocked, usr2_blocked;
static volatile sig_atomic_t ticks, wake_at;
static int wake_fd = -1;

static void count(int sig)
{
	hits[sig]++;
}

static void with_info(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	hits[sig]++;
	info_signo = si->si_signo;
	info_code = si->si_code;
	info_pid_ok = si->si_pid == getpid();
}

static void probe_mask(int sig)
{
	sigset_t cur;

	hits[sig]++;
	sigemptyset(&cur);
	sigprocmask(SIG_BLOCK, NULL, &cur);
	self_blocked = sigismember(&cur, sig);
	usr2_blocked = sigismember(&cur, SIGUSR2);
}

static void tick(int sig)
{
	(void)sig;
	ticks++;
	if (wake_at != 0 && ticks == wake_at && write(wake_fd, "w", 1) != 1) {
		_exit(98);
	}
}

static int handle(int sig, void (*fn)(int), int flags)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = fn;
	sa.sa_flags = flags;
	sigemptyset(&sa.sa_mask);
	return sigaction(sig, &sa, NULL);
}

static sigset_t only(int sig)
{
	sigset_t s;

	sigemptyset(&s);
	sigaddset(&s, sig);
	return s;
}

/* ITIMER_REAL: first expiry after ms, then every interval_ms (0: once) */
static int timer_ms(long ms, long interval_ms)
{
	struct itimerval it;

	memset(&it, 0, sizeof(it));
	it.it_value.tv_sec = ms / 1000;
	it.it_value.tv_usec = (ms % 1000) * 1000;
	it.it_interval.tv_sec = interval_ms / 1000;
	it.it_interval.tv_usec = (interval_ms % 1000) * 1000;
	return setitimer(ITIMER_REAL, &it, NULL);
}

static void dispositions(void)
{
	struct sigaction sa, old;
	sigset_t cur;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = count;
	EXPECT(-1, EINVAL, sigaction(SIGKILL, &sa, NULL));
	EXPECT(-1, EINVAL, sigaction(SIGSTOP, &sa, NULL));
	EXPECT(-1, EINVAL, sigaction(0, &sa, NULL));
	EXPECT(-1, EINVAL, sigaction(65, &sa, NULL));
	EXPECT(-1, EINVAL, kill(getpid(), 99));
	EXPECT(0, 0, kill(getpid(), 0));
	EXPECT(0, 0, sigaction(SIGKILL, NULL, &old));

	/* signal(): a handler that restarts calls */
	EXPECT_PTR(1, 0, signal(SIGUSR1, count));
	EXPECT(0, 0, raise(SIGUSR1));
	ASSERT(hits[SIGUSR1] == 1);
	EXPECT(0, 0, sigaction(SIGUSR1, NULL, &old));
	ASSERT(old.sa_handler == count && (old.sa_flags & SA_RESTART));
	EXPECT(0, 0, kill(getpid(), SIGUSR1));
	ASSERT(hits[SIGUSR1] == 2);

	/* SA_SIGINFO: who sent it */
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = with_info;
	sa.sa_flags = SA_SIGINFO;
	EXPECT(0, 0, sigaction(SIGUSR2, &sa, NULL));
	EXPECT(0, 0, raise(SIGUSR2));
	ASSERT(info_signo == SIGUSR2 && info_code == SI_TKILL && info_pid_ok);
	EXPECT(0, 0, kill(getpid(), SIGUSR2));
	ASSERT(info_signo == SIGUSR2 && info_code == SI_USER && info_pid_ok);
	ASSERT(hits[SIGUSR2] == 2);

	/* SA_RESETHAND: once, then the default (SIGWINCH: ignored) */
	EXPECT(0, 0, handle(SIGWINCH, count, SA_RESETHAND));
	EXPECT(0, 0, raise(SIGWINCH));
	EXPECT(0, 0, sigaction(SIGWINCH, NULL, &old));
	ASSERT(old.sa_handler == SIG_DFL);
	EXPECT(0, 0, raise(SIGWINCH));
	ASSERT(hits[SIGWINCH] == 1);

	/* the handler runs with its signal and sa_mask blocked, unless SA_NODEFER */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = probe_mask;
	sigemptyset(&sa.sa_mask);
	sigaddset(&sa.sa_mask, SIGUSR2);
	EXPECT(0, 0, sigaction(SIGHUP, &sa, NULL));
	EXPECT(0, 0, raise(SIGHUP));
	ASSERT(hits[SIGHUP] == 1 && self_blocked == 1 && usr2_blocked == 1);
	sa.sa_flags = SA_NODEFER;
	EXPECT(0, 0, sigaction(SIGHUP, &sa, NULL));
	EXPECT(0, 0, raise(SIGHUP));
	ASSERT(hits[SIGHUP] == 2 && self_blocked == 0 && usr2_blocked == 1);
	EXPECT(0, 0, sigprocmask(SIG_BLOCK, NULL, &cur));
	ASSERT(!sigismember(&cur, SIGHUP) && !sigismember(&cur, SIGUSR2));
}

static void masks(void)
{
	sigset_t usr1 = only(SIGUSR1), usr2 = only(SIGUSR2), none, pend, cur;
	struct timespec zero = { 0, 0 };
	int sig = 0;

	sigemptyset(&none);
	EXPECT(0, 0, handle(SIGUSR1, count, 0));
	hits[SIGUSR1] = 0;
	EXPECT(-1, EINVAL, sigprocmask(99, &usr1, NULL));
	EXPECT(EINVAL, 0, pthread_sigmask(99, &usr1, NULL));
	EXPECT(0, 0, sigprocmask(SIG_BLOCK, &usr1, NULL));
	EXPECT(0, 0, raise(SIGUSR1));
	EXPECT(0, 0, raise(SIGUSR1));
	ASSERT(hits[SIGUSR1] == 0);
	EXPECT(0, 0, sigpending(&pend));
	ASSERT(sigismember(&pend, SIGUSR1) && !sigismember(&pend, SIGUSR2));
	/* delivered once (standard signals do not queue), before the call returns */
	EXPECT(0, 0, pthread_sigmask(SIG_UNBLOCK, &usr1, &cur));
	ASSERT(hits[SIGUSR1] == 1 && sigismember(&cur, SIGUSR1));
	EXPECT(0, 0, sigpending(&pend));
	ASSERT(!sigismember(&pend, SIGUSR1));

	/* SIG_IGN discards a pending signal */
	EXPECT(0, 0, sigprocmask(SIG_BLOCK, &usr2, NULL));
	EXPECT(0, 0, raise(SIGUSR2));
	EXPECT_PTR(0, 0, signal(SIGUSR2, SIG_IGN));
	EXPECT(0, 0, sigpending(&pend));
	ASSERT(!sigismember(&pend, SIGUSR2));
	EXPECT(0, 0, sigprocmask(SIG_UNBLOCK, &usr2, NULL));

	/* sigwait takes a pending blocked signal without running its handler */
	EXPECT(0, 0, sigprocmask(SIG_BLOCK, &usr1, NULL));
	EXPECT(0, 0, raise(SIGUSR1));
	EXPECT(0, 0, sigwait(&usr1, &sig));
	ASSERT(sig == SIGUSR1 && hits[SIGUSR1] == 1);
	EXPECT(-1, EAGAIN, sigtimedwait(&usr1, NULL, &zero));

	/* sigsuspend: runs the handler with the temporary mask, restores the old one */
	EXPECT(0, 0, raise(SIGUSR1));
	EXPECT(-1, EINTR, sigsuspend(&none));
	ASSERT(hits[SIGUSR1] == 2);
	EXPECT(0, 0, sigprocmask(SIG_BLOCK, NULL, &cur));
	ASSERT(sigismember(&cur, SIGUSR1));
	EXPECT(0, 0, sigprocmask(SIG_SETMASK, &none, NULL));
}

static void broken_pipes(void)
{
	char b = 'x';
	int p[2] = { -1, -1 }, sv[2] = { -1, -1 };

	EXPECT(0, 0, pipe(p));
	EXPECT(0, 0, close(p[0]));
	EXPECT_PTR(1, 0, signal(SIGPIPE, SIG_IGN));
	EXPECT(-1, EPIPE, write(p[1], &b, 1));
	EXPECT_PTR(0, 0, signal(SIGPIPE, count));
	EXPECT(-1, EPIPE, write(p[1], &b, 1));
	ASSERT(hits[SIGPIPE] == 1);
	EXPECT(0, 0, close(p[1]));

	EXPECT(0, 0, socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
	EXPECT(0, 0, close(sv[1]));
	EXPECT(-1, EPIPE, send(sv[0], &b, 1, MSG_NOSIGNAL));
	ASSERT(hits[SIGPIPE] == 1);
	EXPECT(-1, EPIPE, send(sv[0], &b, 1, 0));
	ASSERT(hits[SIGPIPE] == 2);
	EXPECT(0, 0, close(sv[0]));
	EXPECT_PTR(0, 0, signal(SIGPIPE, SIG_DFL));
}

static void timers(void)
{
	struct itimerval it, bad;
	struct timespec ten = { 10, 0 }, rem = { 0, 0 };
	struct pollfd pfd;
	sigset_t alrm = only(SIGALRM);
	int p[2] = { -1, -1 }, sig = 0;
	unsigned left = 0;
	char c = 0;

	EXPECT(0, 0, alarm(100));
	left = alarm(0);
	ASSERT(left == 100 || left == 99);
	EXPECT(0, 0, timer_ms(100000, 0));
	EXPECT(0, 0, getitimer(ITIMER_REAL, &it));
	ASSERT(it.it_value.tv_sec >= 98 && it.it_value.tv_sec <= 100 && it.it_interval.tv_sec == 0);
	EXPECT(0, 0, timer_ms(0, 0));
	EXPECT(0, 0, getitimer(ITIMER_REAL, &it));
	ASSERT(it.it_value.tv_sec == 0 && it.it_value.tv_usec == 0);
	memset(&bad, 0, sizeof(bad));
	bad.it_value.tv_usec = 2000000;
	EXPECT(-1, EINVAL, setitimer(ITIMER_REAL, &bad, NULL));

	/* pause() ends when the SIGALRM handler has run */
	EXPECT(0, 0, handle(SIGALRM, tick, 0));
	EXPECT(0, 0, timer_ms(50, 0));
	EXPECT(-1, EINTR, pause());
	ASSERT(ticks == 1);

	/* a read on an empty pipe: EINTR without SA_RESTART ... */
	EXPECT(0, 0, pipe(p));
	wake_fd = p[1];
	EXPECT(0, 0, timer_ms(20, 20));
	EXPECT(-1, EINTR, read(p[0], &c, 1));
	/* ... restarted with it (the third tick writes the byte it waits for) */
	EXPECT(0, 0, handle(SIGALRM, tick, SA_RESTART));
	wake_at = ticks + 3;
	EXPECT_DATA(1, 0, &c, read(p[0], &c, 1));
	/* poll and the sleeps are never restarted */
	pfd.fd = p[0];
	pfd.events = POLLIN;
	pfd.revents = 0;
	EXPECT(-1, EINTR, poll(&pfd, 1, -1));
	EXPECT(-1, EINTR, nanosleep(&ten, &rem));
	ASSERT(rem.tv_sec <= 10 && (rem.tv_sec > 0 || rem.tv_nsec > 0));
	left = sleep(10);
	ASSERT(left >= 1 && left <= 10);
	EXPECT(0, 0, timer_ms(0, 0));

	/* a blocked SIGALRM waits for sigwait */
	EXPECT(0, 0, sigprocmask(SIG_BLOCK, &alrm, NULL));
	EXPECT(0, 0, timer_ms(20, 0));
	EXPECT(0, 0, sigwait(&alrm, &sig));
	ASSERT(sig == SIGALRM);
	EXPECT(0, 0, sigprocmask(SIG_UNBLOCK, &alrm, NULL));
	EXPECT(0, 0, close(p[0]));
	EXPECT(0, 0, close(p[1]));
}

int main(int argc, char **argv)
{
	int rc = 0;

	tr_begin("signals", argc, argv);
	dispositions();
	masks();
	broken_pipes();
	timers();
	rc = tr_end();
	if (rc != 0) {
		return rc;
	}
	/* the default action of SIGTERM: the runner expects death by it (143) */
	fflush(stdout);
	raise(SIGTERM);
	return 1;
}
