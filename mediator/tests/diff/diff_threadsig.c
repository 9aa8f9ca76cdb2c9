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
 * A handler that leaves with siglongjmp while its thread's call was interrupted, over and
 * over: the program's heap stays as it was.
 *
 * A signal may reach a thread just before its call starts (then the handler runs there
 * and the call waits): the senders repeat it until the thread's call returned, natively
 * as in a TA, and the transcript says only what happened, not how often.
 */
#include "tr.h"

#include <fcntl.h>
#include <malloc.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#if defined(__SANITIZE_ADDRESS__)
#define HEAP_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define HEAP_ASAN 1
#endif
#endif
#ifdef HEAP_ASAN
/* sanitizer/allocator_interface.h (clang's; GCC installs no such header) */
size_t __sanitizer_get_current_allocated_bytes(void);
#endif

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

/*
 * As case_kill_read, after main made many calls while the thread's read waited: the
 * shadow refused to interrupt a call that was more than 64 calls old (its seq "out of
 * the window": EINVAL, ignored by libtzm), and the read waited on.
 */
static void case_kill_old_read(void)
{
	int busy[2] = { -1, -1 };
	pthread_t t;
	int ok = 0, echoed = 0;
	char c = 0;

	reset();
	EXPECT(0, 0, pipe(busy));
	EXPECT(0, 0, handle(SIGUSR1, 0));
	EXPECT(0, 0, start(&t, reader));
	pause_ms(50); /* (in its read, or about to be) */
	for (int i = 0; i < 200; i++) {
		echoed += write(busy[1], "b", 1) == 1 && read(busy[0], &c, 1) == 1;
	}
	ok = kill_until_done(t, SIGUSR1);
	if (!ok) {
		(void)write(fds[1], "x", 1);
	}
	EXPECT(0, 0, pthread_join(t, NULL));
	NOTE("kill old read: %d calls before, interrupted %s, ret %ld errno %s, handler on the "
	     "thread %s",
	     2 * echoed, ok ? "yes" : "no", read_ret, read_ret < 0 ? strerror(read_errno) : "-",
	     hits > 0 ? "yes" : "no");
	ASSERT(echoed == 200 && ok && read_ret == -1 && read_errno == EINTR && hits > 0);
	close(busy[0]);
	close(busy[1]);
	close_pipe();
}

/*
 * A transfer larger than one call's data area (1 MiB per slot): libtzm splits it into
 * linked chunks, two in flight. A thread's such write into a full pipe, or read of an
 * empty one, must end with EINTR when pthread_kill reaches it, as a single call's does.
 */
#define SPLIT_SIZE (3u * 1024u * 1024u)

static char split_buf[SPLIT_SIZE];

static void *split_writer(void *arg)
{
	(void)arg;
	read_ret = write(fds[1], split_buf, sizeof(split_buf));
	read_errno = errno;
	done = 1;
	return NULL;
}

static void *split_reader(void *arg)
{
	(void)arg;
	read_ret = read(fds[0], split_buf, sizeof(split_buf));
	read_errno = errno;
	done = 1;
	return NULL;
}

static void case_kill_split(const char *what, void *(*fn)(void *))
{
	static char block[4096];
	pthread_t t;
	int ok = 0, fl = 0;

	reset();
	EXPECT(0, 0, handle(SIGUSR1, 0));
	if (fn == split_writer) {
		fl = fcntl(fds[1], F_GETFL);
		EXPECT(0, 0, fcntl(fds[1], F_SETFL, fl | O_NONBLOCK));
		while (write(fds[1], block, sizeof(block)) > 0) {
		}
		EXPECT(0, 0, fcntl(fds[1], F_SETFL, fl));
	}
	EXPECT(0, 0, start(&t, fn));
	ok = kill_until_done(t, SIGUSR1);
	if (!ok && fn == split_reader) {
		(void)write(fds[1], "x", 1); /* never interrupted: let it end */
	}
	(void)fcntl(fds[0], F_SETFL, O_NONBLOCK);
	while (!ok && !done) {
		(void)read(fds[0], block, sizeof(block)); /* (the writer's) */
	}
	EXPECT(0, 0, pthread_join(t, NULL));
	NOTE("kill split %s: interrupted %s, ret %ld errno %s, handler on the thread %s", what,
	     ok ? "yes" : "no", read_ret, read_ret < 0 ? strerror(read_errno) : "-",
	     hits > 0 ? "yes" : "no");
	ASSERT(ok && read_ret == -1 && read_errno == EINTR && hits > 0);
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

/* ---- queued values ---- */

static volatile sig_atomic_t got_value, got_code, got_on_target;

static void on_info(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	(void)uc;
	got_value = si->si_value.sival_int;
	got_code = si->si_code;
	got_on_target = pthread_equal(pthread_self(), target);
}

static int handle_info(int sig)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_info;
	sa.sa_flags = SA_SIGINFO;
	sigemptyset(&sa.sa_mask);
	return sigaction(sig, &sa, NULL);
}

/*
 * pthread_sigqueue's value reaches the target thread's SA_SIGINFO handler (si_value,
 * SI_QUEUE), sigqueue's to the program itself reaches main's handler and sigwaitinfo.
 * (Before: si_value 0 and a log line; glibc's sigqueue of itself got the TA killed by
 * the sandbox: rt_sigqueueinfo.)
 */
static void case_sigqueue_value(void)
{
	union sigval v;
	siginfo_t si;
	sigset_t one;
	pthread_t t;
	int rounds = 0;

	reset();
	got_value = 0;
	got_code = 0;
	EXPECT(0, 0, handle_info(SIGUSR1));
	EXPECT(0, 0, start(&t, reader));
	v.sival_int = 4242;
	while (!done && rounds++ < ROUNDS) {
		if (pthread_sigqueue(t, SIGUSR1, v) != 0) {
			break;
		}
		pause_ms(20);
	}
	if (!done) {
		(void)write(fds[1], "x", 1);
	}
	EXPECT(0, 0, pthread_join(t, NULL));
	NOTE("pthread_sigqueue: value %d, SI_QUEUE %s, on the thread %s, read errno %s",
	     (int)got_value, got_code == SI_QUEUE ? "yes" : "no", got_on_target ? "yes" : "no",
	     read_ret < 0 ? strerror(read_errno) : "-");
	ASSERT(got_value == 4242 && got_code == SI_QUEUE && got_on_target && read_ret == -1 &&
	       read_errno == EINTR);

	got_value = 0;
	got_code = 0;
	target = pthread_self();
	EXPECT(0, 0, handle_info(SIGUSR2));
	v.sival_int = 77;
	EXPECT(0, 0, sigqueue(getpid(), SIGUSR2, v));
	NOTE("sigqueue to itself: value %d, SI_QUEUE %s", (int)got_value,
	     got_code == SI_QUEUE ? "yes" : "no");
	ASSERT(got_value == 77 && got_code == SI_QUEUE);

	sigemptyset(&one);
	sigaddset(&one, SIGUSR2);
	EXPECT(0, 0, pthread_sigmask(SIG_BLOCK, &one, NULL));
	v.sival_int = 55;
	EXPECT(0, 0, sigqueue(getpid(), SIGUSR2, v));
	memset(&si, 0, sizeof(si));
	EXPECT(SIGUSR2, 0, sigwaitinfo(&one, &si));
	NOTE("sigwaitinfo: value %d, SI_QUEUE %s, pid ours %s", si.si_value.sival_int,
	     si.si_code == SI_QUEUE ? "yes" : "no", si.si_pid == getpid() ? "yes" : "no");
	ASSERT(si.si_value.sival_int == 55 && si.si_code == SI_QUEUE && si.si_pid == getpid());
	EXPECT(0, 0, pthread_sigmask(SIG_UNBLOCK, &one, NULL));
	close_pipe();
}

/* bytes the program has allocated (ASan's allocator replaces glibc's under ASan) */
static size_t heap_in_use(void)
{
#ifdef HEAP_ASAN
	return __sanitizer_get_current_allocated_bytes();
#else
	return mallinfo2().uordblks;
#endif
}

#define JUMPS 100
#define JUMP_BLOCK 4096 /* PIPE_BUF: a write that waits for room for all of it */

static sigjmp_buf jump_env;
static volatile sig_atomic_t armed, stop_sending;
static pthread_t jump_target;

static void on_jump(int sig)
{
	(void)sig;
	if (armed) {
		armed = 0;
		siglongjmp(jump_env, 1);
	}
}

static void *jump_sender(void *arg)
{
	(void)arg;
	while (!stop_sending) {
		if (pthread_kill(jump_target, SIGUSR1) != 0) {
			break;
		}
		pause_ms(2);
	}
	return NULL;
}

/*
 * Main's write into a full pipe, interrupted by a signal whose handler leaves with
 * siglongjmp, JUMPS times. libtzm keeps an interrupted call's request while handlers
 * run; a copy of it was malloc'ed and freed only when the handler returned: 4 KiB lost per
 * jump here (and 8 bytes, a poll's pollfd, when a default action ended a TA in poll: seen
 * by LeakSanitizer in fault_kill). Natively nothing is allocated.
 */
static void case_jump_out(void)
{
	static char block[JUMP_BLOCK];
	volatile int jumps = 0;
	size_t before = 0, after = 0;
	long grew = 0;
	sigset_t usr1;
	pthread_t t;
	int fl = 0;

	reset();
	fl = fcntl(fds[1], F_GETFL);
	EXPECT(0, 0, fcntl(fds[1], F_SETFL, fl | O_NONBLOCK));
	while (write(fds[1], block, sizeof(block)) > 0) {
	}
	EXPECT(0, 0, fcntl(fds[1], F_SETFL, fl));
	jump_target = pthread_self();
	stop_sending = 0;
	{
		struct sigaction sa;

		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = on_jump;
		sigemptyset(&sa.sa_mask);
		EXPECT(0, 0, sigaction(SIGUSR1, &sa, NULL));
	}
	before = heap_in_use();
	EXPECT(0, 0, pthread_create(&t, NULL, jump_sender, NULL));
	/*
	 * The mask is put back by hand (savemask 0): glibc's sigsetjmp/siglongjmp save and
	 * restore the kernel's mask, not libtzm's (SIGUSR1 stays blocked after the jump).
	 */
	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);
	while (jumps < JUMPS) {
		if (sigsetjmp(jump_env, 0) != 0) {
			jumps++;
			pthread_sigmask(SIG_UNBLOCK, &usr1, NULL);
			continue;
		}
		armed = 1;
		(void)write(fds[1], block,
			    sizeof(block)); /* the pipe is full: only a signal ends it */
		armed = 0;
	}
	stop_sending = 1;
	EXPECT(0, 0, pthread_join(t, NULL));
	after = heap_in_use();
	grew = (long)after - (long)before;
	if (grew >= 64 * 1024) {
		fprintf(stderr, "jump out: the heap grew by %ld bytes over %d jumps\n", grew,
			(int)jumps);
	}
	NOTE("jump out: %d jumps out of an interrupted write, heap %s", (int)jumps,
	     grew < 64 * 1024 ? "as before" : "grew");
	ASSERT(jumps == JUMPS && grew < 64 * 1024);
	close_pipe();
}

int main(int argc, char **argv)
{
	tr_begin("threadsig", argc, argv);
	case_kill_read();
	case_kill_old_read();
	case_kill_split("write", split_writer);
	case_kill_split("read", split_reader);
	case_kill_restart();
	case_kill_sleep();
	case_process_signal();
	case_sigwait();
	case_thread_mask();
	case_cancel();
	case_sigqueue_value();
	case_jump_out();
	return tr_end();
}
