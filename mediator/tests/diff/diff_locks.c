/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Differential test: POSIX record locks (fcntl F_GETLK/F_SETLK/F_SETLKW, the F_OFD_ forms,
 * lockf) against a second process, lockpeer.c, which run_diff.sh starts beside each
 * variant and which this program drives over a UNIX socket: conflicts both ways (EAGAIN),
 * F_GETLK naming the holder (the peer's pid here, the program's pid there), bad requests
 * (EINVAL, EBADF), POSIX's close rule (closing any descriptor of the file drops the
 * process's locks: another opening, a dup; fsync and fdatasync do not), the same once the
 * program has a thread (the shadow then runs fsync and F_SETLKW without its executor lock),
 * F_SETLKW waiting for the peer while another thread's calls go on, F_SETLKW interrupted
 * by a signal (EINTR), EDEADLK where the kernel sees the cycle, OFD locks (per opening:
 * they survive another descriptor's close and conflict with the process's POSIX locks),
 * lockf, and calls that never sleep (a regular file's pread, flock with LOCK_NB and
 * LOCK_UN) never interrupted by a flood of SIGALRM. run_diff.sh checks after the run that
 * the program's locks ended with it.
 */
#include "tr.h"

#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

static int g_sock = -1;
static long g_peer_pid = -1;
static char g_path[512], g_other[512];

/* One line from the peer (without its newline). */
static void peer_line(char *out, size_t n)
{
	size_t i = 0;
	char ch = 0;

	while (i + 1 < n && read(g_sock, &ch, 1) == 1 && ch != '\n') {
		out[i++] = ch;
	}
	out[i] = '\0';
}

/* Sends a request to the peer and checks its answer. */
static void peer(const char *req, const char *want)
{
	char line[256];

	snprintf(line, sizeof(line), "%s\n", req);
	ASSERT(write(g_sock, line, strlen(line)) == (ssize_t)strlen(line));
	peer_line(line, sizeof(line));
	NOTE("peer: %s -> %s", strncmp(req, "pid ", 4) == 0 ? "pid <ours>" : req, line);
	ASSERT(strcmp(line, want) == 0);
}

static int lk(int fd, int cmd, short type, off_t start, off_t len)
{
	struct flock fl = { .l_type = type, .l_whence = SEEK_SET, .l_start = start, .l_len = len };

	return fcntl(fd, cmd, &fl);
}

/* F_GETLK / F_OFD_GETLK of [start, start + len): notes what it reports. */
static int getlk(int fd, int cmd, short type, off_t start, off_t len)
{
	struct flock fl = { .l_type = type, .l_whence = SEEK_SET, .l_start = start, .l_len = len };
	int r = fcntl(fd, cmd, &fl);

	if (r == 0 && fl.l_type == F_UNLCK) {
		NOTE("getlk: unlck");
	} else if (r == 0) {
		NOTE("getlk: %s whence %d %lld %lld pid=%s",
		     fl.l_type == F_RDLCK ? "rdlck" : "wrlck", fl.l_whence, (long long)fl.l_start,
		     (long long)fl.l_len,
		     fl.l_pid == g_peer_pid ? "peer"
		     : fl.l_pid == -1       ? "-1"
		     : fl.l_pid == getpid() ? "self"
					    : "other");
	}
	return r;
}

static void connect_peer(const char *dir)
{
	struct sockaddr_un sa;
	socklen_t len = tr_unix_addr(&sa, dir, "lockpeer", 1);
	char line[64], req[64];

	EXPECT(TR_FD, 0, g_sock = socket(AF_UNIX, SOCK_STREAM, 0));
	EXPECT(0, 0, connect(g_sock, (struct sockaddr *)&sa, len));
	peer_line(line, sizeof(line));
	ASSERT(strncmp(line, "hello ", 6) == 0);
	g_peer_pid = strtol(line + 6, NULL, 10);
	snprintf(req, sizeof(req), "pid %ld", (long)getpid());
	peer(req, "ok");
	peer("open locks.db", "ok");
}

static void conflicts(int fd)
{
	EXPECT(0, 0, lk(fd, F_SETLK, F_WRLCK, 0, 10));
	peer("lock w 0 10", "-1 EAGAIN");
	peer("lock r 5 1", "-1 EAGAIN");
	peer("get w 0 10", "wrlck 0 10 pid=ta");
	peer("get r 10 10", "unlck");
	peer("lock w 20 10", "0");
	EXPECT(0, 0, getlk(fd, F_GETLK, F_WRLCK, 0, 100));
	EXPECT(0, 0, getlk(fd, F_GETLK, F_RDLCK, 25, 1));
	EXPECT(0, 0, getlk(fd, F_GETLK, F_WRLCK, 30, 0));
	EXPECT(0, 0, getlk(fd, F_GETLK, F_WRLCK, 0, 10)); /* our own lock: no conflict */
	EXPECT(-1, EAGAIN, lk(fd, F_SETLK, F_WRLCK, 25, 5));
	EXPECT(-1, EAGAIN, lk(fd, F_SETLK, F_RDLCK, 29, 1));
	EXPECT(0, 0, lk(fd, F_SETLK, F_RDLCK, 30, 10));
	peer("lock r 30 5", "0");
	peer("lock w 35 1", "-1 EAGAIN");
	peer("get w 30 10", "rdlck 30 10 pid=ta");
	/* splitting: unlocking the middle of our lock leaves its two ends */
	EXPECT(0, 0, lk(fd, F_SETLK, F_UNLCK, 3, 4));
	peer("get w 0 10", "wrlck 0 3 pid=ta");
	peer("lock w 3 4", "0");
	peer("lock u 3 4", "0");
	peer("get w 7 100", "wrlck 7 3 pid=ta");
	EXPECT(0, 0, lk(fd, F_SETLK, F_UNLCK, 0, 0)); /* all of ours */
	peer("get w 0 0", "unlck"); /* the peer's own locks never conflict with it */
	EXPECT(0, 0, getlk(fd, F_GETLK, F_WRLCK, 0, 0));
	peer("lock u 30 5", "0");
}

static void bad_requests(int fd)
{
	int ro = -1;
	struct flock fl = { .l_type = F_UNLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 1 };

	EXPECT(-1, EINVAL, fcntl(fd, F_GETLK, &fl));
	fl.l_type = 99;
	EXPECT(-1, EINVAL, fcntl(fd, F_SETLK, &fl));
	fl.l_type = F_WRLCK;
	fl.l_whence = 7;
	EXPECT(-1, EINVAL, fcntl(fd, F_SETLK, &fl));
	fl.l_whence = SEEK_SET;
	fl.l_start = -5;
	EXPECT(-1, EINVAL, fcntl(fd, F_SETLK, &fl));
	fl.l_start = 0;
	fl.l_pid = 1234;
	EXPECT(-1, EINVAL, fcntl(fd, F_OFD_SETLK, &fl));
	EXPECT(-1, EBADF, lk(99, F_SETLK, F_WRLCK, 0, 1));
	/* another file: opening and closing one of ours would drop our locks on it */
	EXPECT(TR_FD, 0, ro = open(g_other, O_RDONLY));
	EXPECT(-1, EBADF, lk(ro, F_SETLK, F_WRLCK, 0, 1));
	EXPECT(0, 0, lk(ro, F_SETLK, F_RDLCK, 0, 1));
	EXPECT(0, 0, close(ro));
	/* SEEK_CUR and SEEK_END ranges, reported from the start of the file */
	EXPECT(50, 0, lseek(fd, 50, SEEK_SET));
	fl.l_whence = SEEK_CUR;
	fl.l_start = 2;
	fl.l_len = 3;
	EXPECT(0, 0, fcntl(fd, F_SETLK, &fl));
	peer("get w 45 10", "wrlck 52 3 pid=ta");
	fl.l_whence = SEEK_END;
	fl.l_start = -10;
	fl.l_len = 5;
	EXPECT(0, 0, fcntl(fd, F_SETLK, &fl));
	peer("get w 85 10", "wrlck 90 5 pid=ta");
	EXPECT(0, 0, lk(fd, F_SETLK, F_UNLCK, 40, 0));
	peer("get w 40 0", "unlck");
}

/* POSIX's close rule, as a process with one thread and again with two. */
static void close_rule(int fd, const char *when)
{
	int fd2 = -1, fd3 = -1;

	NOTE("close rule, %s", when);
	EXPECT(0, 0, lk(fd, F_SETLK, F_WRLCK, 0, 10));
	EXPECT(0, 0, fsync(fd));
	EXPECT(0, 0, fdatasync(fd));
	peer("get w 0 10", "wrlck 0 10 pid=ta");
	EXPECT(TR_FD, 0, fd2 = open(g_path, O_RDONLY));
	EXPECT(100, 0, pread(fd2, (char[100]){ 0 }, 100, 0));
	EXPECT(0, 0, fsync(fd2));
	peer("get w 0 10", "wrlck 0 10 pid=ta");
	EXPECT(0, 0, close(fd2)); /* another descriptor of the file: the locks go */
	peer("get w 0 10", "unlck");
	EXPECT(0, 0, lk(fd, F_SETLK, F_WRLCK, 0, 10));
	EXPECT(TR_FD, 0, fd3 = dup(fd));
	EXPECT(0, 0, fsync(fd3));
	peer("get w 0 10", "wrlck 0 10 pid=ta");
	EXPECT(0, 0, close(fd3)); /* a dup too */
	peer("get w 0 10", "unlck");
	EXPECT(0, 0, lk(fd3 = dup(fd), F_SETLK, F_WRLCK, 0, 10)); /* through the dup */
	peer("get w 0 10", "wrlck 0 10 pid=ta");
	EXPECT(0, 0, close(fd3));
	peer("get w 0 10", "unlck");
}

/* one call from another thread: the shadow then serves the program's lanes concurrently */
static void *touch(void *arg)
{
	return (void *)(long)lseek(*(const int *)arg, 0, SEEK_CUR);
}

static int g_fd;

static void *wait_for_peer(void *arg)
{
	(void)arg;
	return (void *)(long)lk(g_fd, F_SETLKW, F_WRLCK, 20, 10);
}

static void on_alarm(int sig)
{
	(void)sig;
}

static void waits(int fd)
{
	struct sigaction sa;
	/* periodic: one that comes before the wait started cannot leave it waiting for ever */
	struct itimerval it = { { 0, 100 * 1000 }, { 0, 100 * 1000 } };
	const struct itimerval off = { { 0, 0 }, { 0, 0 } };
	pthread_t t;
	void *ret = NULL;

	/* F_SETLKW waits until the peer lets go (the peer waits for our wait first) */
	peer("unlock-on-wait 20 10", "ok");
	EXPECT(0, 0, lk(fd, F_SETLKW, F_WRLCK, 20, 10));
	peer("get r 20 10", "wrlck 20 10 pid=ta");
	EXPECT(0, 0, lk(fd, F_SETLK, F_UNLCK, 20, 10));
	/* a thread waits in F_SETLKW while this one talks to the peer */
	peer("lock w 20 10", "0");
	g_fd = fd;
	EXPECT(0, 0, pthread_create(&t, NULL, wait_for_peer, NULL));
	peer("waiter", "waiting");
	peer("lock u 20 10", "0");
	EXPECT(0, 0, pthread_join(t, &ret));
	EXPECT(0, 0, (long)ret);
	peer("get r 20 10", "wrlck 20 10 pid=ta");
	EXPECT(0, 0, lk(fd, F_SETLK, F_UNLCK, 20, 10));
	/* a signal ends the wait: EINTR (no SA_RESTART) */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm;
	EXPECT(0, 0, sigaction(SIGALRM, &sa, NULL));
	peer("lock w 40 10", "0");
	EXPECT(0, 0, setitimer(ITIMER_REAL, &it, NULL));
	EXPECT(-1, EINTR, lk(fd, F_SETLKW, F_WRLCK, 40, 10));
	sa.sa_handler = SIG_IGN; /* first: discards one already on its way */
	EXPECT(0, 0, sigaction(SIGALRM, &sa, NULL));
	EXPECT(0, 0, setitimer(ITIMER_REAL, &off, NULL));
	EXPECT(0, 0, getlk(fd, F_GETLK, F_RDLCK, 40, 10));
	/* a cycle: the peer waits for our [0, 10), we ask for its [40, 50) */
	EXPECT(0, 0, lk(fd, F_SETLK, F_WRLCK, 0, 10));
	peer("block w 0 10", "blocked");
	EXPECT(-1, EDEADLK, lk(fd, F_SETLKW, F_WRLCK, 40, 10));
	EXPECT(0, 0, lk(fd, F_SETLK, F_UNLCK, 0, 10));
	peer("result", "0");
	EXPECT(0, 0, getlk(fd, F_GETLK, F_RDLCK, 0, 10));
	peer("lock u 0 0", "0");
}

static volatile sig_atomic_t g_alarms;

static void count_alarm(int sig)
{
	(void)sig;
	g_alarms++;
}

/*
 * Calls that never wait are never interrupted: with a handler installed without SA_RESTART
 * and SIGALRM every 200 us, a regular file's pread and flock with LOCK_NB and LOCK_UN
 * never answer EINTR (Linux runs the handler around them instead).
 */
static void never_interrupted(int fd)
{
	struct sigaction sa;
	const struct itimerval it = { { 0, 200 }, { 0, 200 } };
	const struct itimerval off = { { 0, 0 }, { 0, 0 } };
	long calls = 0, eintr = 0, other = 0;
	char b[10];
	int of = open(g_other, O_RDWR);

	ASSERT(of >= 0);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = count_alarm;
	EXPECT(0, 0, sigaction(SIGALRM, &sa, NULL));
	g_alarms = 0;
	EXPECT(0, 0, setitimer(ITIMER_REAL, &it, NULL));
	/* until enough signals came during the calls (bounded: a lost timer ends it too) */
	while ((g_alarms < 50 || calls < 3000) && calls < 300000) {
		/* each call's errno kept before the next call can change it */
		ssize_t n = pread(fd, b, sizeof(b), 0);
		int n_err = errno;
		int l = flock(of, LOCK_EX | LOCK_NB);
		int l_err = errno;
		int u = flock(of, LOCK_UN);
		int u_err = errno;

		calls += 3;
		eintr += (n < 0 && n_err == EINTR) + (l != 0 && l_err == EINTR) +
			 (u != 0 && u_err == EINTR);
		other += (n != (ssize_t)sizeof(b)) + (l != 0) + (u != 0);
	}
	sa.sa_handler = SIG_IGN; /* first: discards one already on its way */
	EXPECT(0, 0, sigaction(SIGALRM, &sa, NULL));
	EXPECT(0, 0, setitimer(ITIMER_REAL, &off, NULL));
	NOTE("pread, flock(LOCK_NB), flock(LOCK_UN) under SIGALRM: %s signals, %ld interrupted, "
	     "%ld failed",
	     g_alarms >= 50 ? ">= 50" : "< 50", eintr, other);
	ASSERT(eintr == 0 && other == 0);
	EXPECT(0, 0, close(of));
}

static void ofd(int fd)
{
	int fd2 = -1;

	EXPECT(0, 0, lk(fd, F_OFD_SETLK, F_WRLCK, 60, 10));
	peer("get w 60 10", "wrlck 60 10 pid=-1");
	peer("lock r 65 1", "-1 EAGAIN");
	EXPECT(TR_FD, 0, fd2 = open(g_path, O_RDWR));
	EXPECT(-1, EAGAIN, lk(fd2, F_OFD_SETLK, F_WRLCK, 60, 10)); /* another opening */
	EXPECT(0, 0, getlk(fd2, F_OFD_GETLK, F_WRLCK, 0, 0));
	EXPECT(-1, EAGAIN, lk(fd, F_SETLK, F_RDLCK, 65, 1)); /* POSIX against our OFD lock */
	EXPECT(0, 0, lk(fd2, F_SETLK, F_WRLCK, 0, 10));
	EXPECT(0, 0, getlk(fd, F_OFD_GETLK, F_WRLCK, 0, 10)); /* our POSIX lock to OFD */
	EXPECT(0, 0, close(fd2)); /* drops the POSIX lock, not the OFD lock */
	peer("get w 0 0", "wrlck 60 10 pid=-1");
	EXPECT(0, 0, lk(fd, F_OFD_SETLK, F_UNLCK, 60, 10));
	peer("get w 0 0", "unlck");
}

static void lockf_calls(int fd)
{
	EXPECT(70, 0, lseek(fd, 70, SEEK_SET));
	EXPECT(0, 0, lockf(fd, F_TLOCK, 5));
	peer("get w 0 0", "wrlck 70 5 pid=ta");
	EXPECT(0, 0, lockf(fd, F_TEST, 5));
	peer("lock w 80 5", "0");
	EXPECT(80, 0, lseek(fd, 80, SEEK_SET));
	EXPECT(-1, EACCES, lockf(fd, F_TEST, 5));
	EXPECT(-1, EAGAIN, lockf(fd, F_TLOCK, 5));
	EXPECT(75, 0, lseek(fd, 75, SEEK_SET));
	EXPECT(0, 0, lockf(fd, F_LOCK, 5));
	EXPECT(70, 0, lseek(fd, 70, SEEK_SET));
	EXPECT(0, 0, lockf(fd, F_ULOCK, 5));
	peer("get w 0 0", "wrlck 75 5 pid=ta");
	EXPECT(-1, EINVAL, lockf(fd, 42, 5));
	peer("lock u 80 5", "0");
}

int main(int argc, char **argv)
{
	const char *dir = tr_begin("locks", argc, argv);
	char buf[100];
	pthread_t t;
	int fd = -1, of = -1;

	tr_join(g_path, sizeof(g_path), dir, "locks.db");
	tr_join(g_other, sizeof(g_other), dir, "other.db");
	memset(buf, 'x', sizeof(buf));
	EXPECT(TR_FD, 0, fd = open(g_path, O_CREAT | O_RDWR, 0600));
	EXPECT(100, 0, write(fd, buf, sizeof(buf)));
	EXPECT(TR_FD, 0, of = open(g_other, O_CREAT | O_RDWR, 0600));
	EXPECT(0, 0, close(of));
	connect_peer(dir);
	conflicts(fd);
	bad_requests(fd);
	lockf_calls(fd);
	close_rule(fd, "one thread");
	ofd(fd);
	/* from here on the program has threads: the shadow serves it concurrently */
	EXPECT(0, 0, pthread_create(&t, NULL, touch, &fd));
	EXPECT(0, 0, pthread_join(t, NULL));
	close_rule(fd, "after a thread");
	waits(fd);
	never_interrupted(fd);
	/* held at the end: run_diff.sh checks that it is gone with the program */
	EXPECT(0, 0, lk(fd, F_SETLK, F_WRLCK, 0, 10));
	peer("get w 0 10", "wrlck 0 10 pid=ta");
	peer("quit", "bye");
	return tr_end();
}
