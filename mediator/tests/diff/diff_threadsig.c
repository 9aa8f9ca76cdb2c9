/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Differential test: signals and cancellation of threads other than main's (issue 16).
 * pthread_kill interrupts another thread's blocked read (EINTR, the handler runs on that
 * thread) or lets it restart (SA_RESTART); ends another thread's nanosleep early; a
 * process signal (kill of itself) goes to the one thread that does not block it, blocked
 * in a read; sigwait in a thread takes a process signal every thread blocks; per-thread
 * masks and pending sets (a signal sent to a thread that blocks it is pending there, not
 * in main's thread, and runs when that thread unblocks it); pthread_cancel of a thread
 * blocked in read: pthread_join returns PTHREAD_CANCELED after its cleanup handler ran.
 *
 * A signal may reach a thread just before its call starts (then the handler runs there
 * and the call waits): the senders repeat it until the thread's call returned, natively
 * as in a TA, and the transcript says only what happened, not how often.
 */
#include "tr.h"

#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define ROUNDS 500 /* senders' repetitions, 20 ms apart: at most 10 s per case */

static volatile sig_atomic_t hits, hits_elsewhere, done;
static pthread_t target;
static int fds[2] = { -1, -1 };

static void on_signal(int sig)
{
	(void)sig;
	if (pthread_equal(pthread_self(), target)) {
		hits++;
	} else {
		hits_elsewhere++;
	}
}

static int handle(int sig, int flags)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sa.sa_flags = flags;
	sigemptyset(&sa.sa_mask);
	return sigaction(sig, &sa, NULL);
}

static void pause_ms(long ms)
{
	struct timespec ts = { 0, ms * 1000000L };

	nanosleep(&ts, NULL);
}

static void reset(void)
{
	hits = 0;
	hits_elsewhere = 0;
	done = 0;
	EXPECT(0, 0, pipe(fds));
}

static void close_pipe(void)
{
	close(fds[0]);
	close(fds[1]);
}

/* target is known before any signal is sent (the handler compares with it) */
static int start(pthread_t *t, void *(*fn)(void *))
{
	int rc = pthread_create(t, NULL, fn, NULL);

	if (rc == 0) {
		target = *t;
	}
	return rc;
}

/* the thread's call: read one byte of the pipe */
static long read_ret;
static int read_errno;
static char read_byte;

static void *reader(void *arg)
{
	(void)arg;
	read_ret = read(fds[0], &read_byte, 1);
	read_errno = errno;
	done = 1;
	return NULL;
}

/* sends sig to t until the thread's call returned; then makes sure it can return */
static int kill_until_done(pthread_t t, int sig)
{
	int rounds = 0;

	while (!done && rounds++ < ROUNDS) {
		if (pthread_kill(t, sig) != 0) {
			break;
		}
		pause_ms(20);
	}
	return done;
}

static void case_kill_read(void)
{
	pthread_t t;
	int ok = 0;

	reset();
	EXPECT(0, 0, handle(SIGUSR1, 0));
	EXPECT(0, 0, start(&t, reader));
	ok = kill_until_done(t, SIGUSR1);
	if (!ok) {
		(void)write(fds[1], "x", 1); /* it was never interrupted: let it end */
	}
	EXPECT(0, 0, pthread_join(t, NULL));
	NOTE("kill read: interrupted %s, ret %ld errno %s, handler on the thread %s, elsewhere %d",
	     ok ? "yes" : "no", read_ret, read_ret < 0 ? strerror(read_errno) : "-",
	     hits > 0 ? "yes" : "no", (int)hits_elsewhere);
	ASSERT(ok && read_ret == -1 && read_errno == EINTR && hits > 0 && hits_elsewhere == 0);
	close_pipe();
}

static void case_kill_restart(void)
{
	pthread_t t;
	int rounds = 0;

	reset();
	EXPECT(0, 0, handle(SIGUSR2, SA_RESTART));
	EXPECT(0, 0, start(&t, reader));
	/* the read survives the signal: it ends only with the byte, sent after a handler ran */
	while (hits == 0 && rounds++ < ROUNDS) {
		if (pthread_kill(t, SIGUSR2) != 0) {
			break; /* (in a loop: the transcript does not count them) */
		}
		pause_ms(20);
	}
	pause_ms(20); /* (a read interrupted now restarts as well) */
	EXPECT(1, 0, write(fds[1], "r", 1));
	EXPECT(0, 0, pthread_join(t, NULL));
	NOTE("kill restart: handler on the thread %s, ret %ld byte %c, elsewhere %d",
	     hits > 0 ? "yes" : "no", read_ret, read_ret == 1 ? read_byte : '-',
	     (int)hits_elsewhere);
	ASSERT(hits > 0 && read_ret == 1 && read_byte == 'r' && hits_elsewhere == 0);
	close_pipe();
}

static long sleep_ret;
static int sleep_errno;
static long sleep_left_s;

static void *sleeper(void *arg)
{
	struct timespec ts = { 10, 0 }, left = { 0, 0 };

	(void)arg;
	sleep_ret = nanosleep(&ts, &left);
	sleep_errno = errno;
	sleep_left_s = left.tv_sec;
	done = 1;
	return NULL;
}

static void case_kill_sleep(void)
{
	pthread_t t;
	int ok = 0;

	reset();
	EXPECT(0, 0, handle(SIGUSR1, SA_RESTART)); /* nanosleep is never restarted */
	EXPECT(0, 0, start(&t, sleeper));
	ok = kill_until_done(t, SIGUSR1);
	EXPECT(0, 0, pthread_join(t, NULL));
	NOTE("kill sleep: ended early %s, ret %ld errno %s, time left %s, handler on the thread %s",
	     ok ? "yes" : "no", sleep_ret, sleep_ret < 0 ? strerror(sleep_errno) : "-",
	     sleep_left_s > 0 ? "yes" : "no", hits > 0 ? "yes" : "no");
	ASSERT(ok && sleep_ret == -1 && sleep_errno == EINTR && sleep_left_s > 0 && hits > 0);
	close_pipe();
}

static void *unblocking_reader(void *arg)
{
	sigset_t one;

	sigemptyset(&one);
	sigaddset(&one, SIGUSR2);
	pthread_sigmask(SIG_UNBLOCK, &one, NULL);
	return reader(arg);
}

/* kill(getpid()) while main's thread blocks the signal: the reader takes it */
static void case_process_signal(void)
{
	sigset_t one;
	pthread_t t;
	int rounds = 0;

	reset();
	EXPECT(0, 0, handle(SIGUSR2, 0));
	sigemptyset(&one);
	sigaddset(&one, SIGUSR2);
	EXPECT(0, 0, pthread_sigmask(SIG_BLOCK, &one, NULL));
	EXPECT(0, 0, start(&t, unblocking_reader));
	while (!done && rounds++ < ROUNDS) {
		if (kill(getpid(), SIGUSR2) != 0) {
			break;
		}
		pause_ms(20);
	}
	if (!done) {
		(void)write(fds[1], "x", 1);
	}
	EXPECT(0, 0, pthread_join(t, NULL));
	NOTE("process signal: reader interrupted %s, ret %ld errno %s, handler on it %s, "
	     "elsewhere %d",
	     rounds <= ROUNDS ? "yes" : "no", read_ret, read_ret < 0 ? strerror(read_errno) : "-",
	     hits > 0 ? "yes" : "no", (int)hits_elsewhere);
	ASSERT(rounds <= ROUNDS && read_ret == -1 && read_errno == EINTR && hits > 0 &&
	       hits_elsewhere == 0);
	/* a signal sent after the reader took one stays pending for the process: dropped */
	EXPECT(0, 0, signal(SIGUSR2, SIG_IGN) == SIG_ERR);
	EXPECT(0, 0, pthread_sigmask(SIG_UNBLOCK, &one, NULL));
	close_pipe();
}

static int waited_sig, wait_rc;

static void *waiter(void *arg)
{
	sigset_t one;

	(void)arg;
	sigemptyset(&one);
	sigaddset(&one, SIGUSR1);
	wait_rc = sigwait(&one, &waited_sig);
	done = 1;
	return NULL;
}

static void case_sigwait(void)
{
	sigset_t one;
	pthread_t t;
	int rounds = 0;

	reset();
	EXPECT(0, 0, handle(SIGUSR1, 0));
	sigemptyset(&one);
	sigaddset(&one, SIGUSR1);
	EXPECT(0, 0, pthread_sigmask(SIG_BLOCK, &one, NULL));
	EXPECT(0, 0, start(&t, waiter));
	while (!done && rounds++ < ROUNDS) {
		if (kill(getpid(), SIGUSR1) != 0) {
			break;
		}
		pause_ms(20);
	}
	EXPECT(0, 0, pthread_join(t, NULL));
	NOTE("sigwait in a thread: rc %d signal %s, handlers %d", wait_rc,
	     waited_sig == SIGUSR1 ? "SIGUSR1" : "other", (int)(hits + hits_elsewhere));
	ASSERT(wait_rc == 0 && waited_sig == SIGUSR1 && hits + hits_elsewhere == 0);
	EXPECT(0, 0, signal(SIGUSR1, SIG_IGN) == SIG_ERR);
	EXPECT(0, 0, pthread_sigmask(SIG_UNBLOCK, &one, NULL));
	close_pipe();
}

static int pending_there, pending_main, ran_before_unblock_returned;
static int go[2] = { -1, -1 };

static void *masked(void *arg)
{
	sigset_t one, pend;
	char c = 0;

	(void)arg;
	sigemptyset(&one);
	sigaddset(&one, SIGUSR1);
	pthread_sigmask(SIG_BLOCK, &one, NULL);
	if (write(fds[1], "b", 1) != 1 || read(go[0], &c, 1) != 1) {
		return NULL;
	}
	sigpending(&pend);
	pending_there = sigismember(&pend, SIGUSR1);
	pthread_sigmask(SIG_UNBLOCK, &one, NULL);
	ran_before_unblock_returned = hits;
	return NULL;
}

static void case_thread_mask(void)
{
	sigset_t pend;
	pthread_t t;
	char c = 0;

	reset();
	EXPECT(0, 0, pipe(go));
	EXPECT(0, 0, handle(SIGUSR1, 0));
	EXPECT(0, 0, start(&t, masked));
	EXPECT(1, 0, read(fds[0], &c, 1)); /* it blocks SIGUSR1 now */
	EXPECT(0, 0, pthread_kill(t, SIGUSR1));
	EXPECT(0, 0, sigpending(&pend));
	pending_main = sigismember(&pend, SIGUSR1);
	EXPECT(1, 0, write(go[1], "g", 1));
	EXPECT(0, 0, pthread_join(t, NULL));
	NOTE("thread mask: pending in the thread %d, in main %d, ran when unblocked %d, "
	     "elsewhere %d",
	     pending_there, pending_main, ran_before_unblock_returned, (int)hits_elsewhere);
	ASSERT(pending_there == 1 && pending_main == 0 && ran_before_unblock_returned == 1 &&
	       hits_elsewhere == 0);
	close(go[0]);
	close(go[1]);
	close_pipe();
}

static volatile sig_atomic_t cleaned;

static void cleanup(void *arg)
{
	(void)arg;
	cleaned = 1;
}

static void *cancelled_reader(void *arg)
{
	char c = 0;

	(void)arg;
	pthread_cleanup_push(cleanup, NULL);
	(void)read(fds[0], &c, 1);
	pthread_cleanup_pop(0);
	return (void *)1;
}

static void case_cancel(void)
{
	pthread_t t;
	void *res = NULL;

	reset();
	cleaned = 0;
	EXPECT(0, 0, start(&t, cancelled_reader));
	pause_ms(50); /* (before or in its read: a cancellation point either way) */
	EXPECT(0, 0, pthread_cancel(t));
	EXPECT(0, 0, pthread_join(t, &res));
	NOTE("cancel read: joined %s, cleanup ran %s",
	     res == PTHREAD_CANCELED ? "PTHREAD_CANCELED" : "with a value", cleaned ? "yes" : "no");
	ASSERT(res == PTHREAD_CANCELED && cleaned);
	close_pipe();
}

int main(int argc, char **argv)
{
	tr_begin("threadsig", argc, argv);
	case_kill_read();
	case_kill_restart();
	case_kill_sleep();
	case_process_signal();
	case_sigwait();
	case_thread_mask();
	case_cancel();
	return tr_end();
}
