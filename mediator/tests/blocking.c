/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A blocking call on one TA thread never stalls another (issue 16; test_blocking.sh runs
 * this natively, over the local transport and as a TA). In each mode thread A blocks in
 * one call class while the main thread makes ordinary calls (a pipe write and read), then
 * unblocks A and checks A's result. The shadow serves each call class without its
 * executor lock: where it held the lock, the main thread's calls waited for A's, which
 * waited for the main thread, and the run hung (the script's bounded wait fails it).
 *
 * Before its ordinary calls, the main thread waits until A is seen inside its call (a
 * bounded wait for an event: /proc/locks lists A as a waiter, a pipe A fills is full,
 * the data A takes is gone, or /proc/self/task/<tid>/wchan names the kernel wait). The
 * look itself is made of forwarded calls, so with the lock held by A it hangs too; when
 * an event cannot be seen (a kernel naming its waits otherwise), it gives up after a few
 * seconds and goes on: a test then only tells less, it does not fail.
 *
 * Modes (paths and names from the script, under its policy):
 *   fifo PATH        A opens the FIFO for reading, the main thread for writing
 *   flock PATH       A waits for an flock the main thread holds
 *   mq NAME          A waits in mq_receive on an empty queue
 *   connect NAME     A connects to a listener whose backlog is full (@NAME, abstract)
 *   sendfile PATH    A sendfile()s 1 MiB of PATH into a socket nobody reads yet
 *   write            A writes 256 KiB into a pipe nobody reads yet
 *   waitall          A receives 100 bytes with MSG_WAITALL; 50 are there
 *   poll             A polls 300 entries (more than the shadow's inline wait set)
 *   sockwrite        A writes 256 KiB into a stream socket nobody reads yet (the shadow
 *                    sends what fits without waiting, then waits to send the rest)
 *   lowat PORT       A reads 200 bytes from a TCP socket with SO_RCVLOWAT 100 where 50
 *                    are: the read waits for the 100 (the shadow must not answer the 50
 *                    it can take without waiting)
 *   rcvtimeo NAME    A reads from a stream socket with SO_RCVTIMEO 200 ms where nothing
 *                    comes, then accepts on a listener (@NAME) with the same timeout: both fail
 *                    with EAGAIN once the timeout passes (a threaded TA's read waited
 *                    in the shadow's poll without it, for ever)
 *   leak PATH        20 rounds of: A waits for an flock, the main thread closes A's fd,
 *                    then releases the lock; the shadow holds as many fds as before
 *   exit PATH        A waits for an flock; the main thread returns from main
 *   abort PATH       the same, but the main thread calls abort()
 */
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <mqueue.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "tzm_test.h"

#define EVENT_WAIT_MS 5000
#define BULK (256 * 1024)
#define SENDFILE_BYTES (1024 * 1024)
#define POLL_ENTRIES 300

/* What thread A does and what it got. */
struct blocker {
	void (*call)(struct blocker *b);
	pthread_t thread;
	int fd, fd2;
	long long ret;
	int err;
	int done; /* atomic */
	char buf[BULK];
	char path[256];
};

static void *blocker_main(void *arg)
{
	struct blocker *b = arg;

	errno = 0;
	b->call(b);
	b->err = errno;
	__atomic_store_n(&b->done, 1, __ATOMIC_SEQ_CST);
	return NULL;
}

static void start(struct blocker *b, void (*call)(struct blocker *))
{
	b->call = call;
	ASSERT_EQ_INT(pthread_create(&b->thread, NULL, blocker_main, b), 0);
}

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

/* Bounded wait for seen(b) (forwarded calls); false when it did not come (see top). */
static bool wait_until(bool (*seen)(struct blocker *), struct blocker *b)
{
	for (int waited = 0; waited < EVENT_WAIT_MS; waited += 10) {
		if (seen(b)) {
			return true;
		}
		sleep_ms(10);
	}
	printf("note: could not see thread A inside its call; went on\n");
	return false;
}

/* A thread of this process (the shadow, for a TA) sleeps in a kernel wait named *word*. */
static bool in_kernel_wait(const char *word)
{
	DIR *d = opendir("/proc/self/task");
	struct dirent *de = NULL;
	bool found = false;

	if (!d) {
		return false;
	}
	while (!found && (de = readdir(d)) != NULL) {
		char path[64], wchan[128];
		ssize_t n = 0;
		int fd = -1;

		if (de->d_name[0] == '.') {
			continue;
		}
		snprintf(path, sizeof(path), "/proc/self/task/%.20s/wchan", de->d_name);
		fd = open(path, O_RDONLY);
		if (fd < 0) {
			continue;
		}
		n = read(fd, wchan, sizeof(wchan) - 1);
		close(fd);
		if (n > 0) {
			wchan[n] = '\0';
			found = strstr(wchan, word) != NULL;
		}
	}
	closedir(d);
	return found;
}

/* The main thread's ordinary calls, while A blocks: a byte through a pipe. */
static void ordinary_calls(const struct blocker *b)
{
	int p[2] = { -1, -1 };
	char c = 0;

	TEST_STEP("ordinary calls while thread A blocks");
	ASSERT_SYS(pipe(p));
	ASSERT_EQ_INT(write(p[1], "x", 1), 1);
	ASSERT_EQ_INT(read(p[0], &c, 1), 1);
	ASSERT_EQ_INT(c, 'x');
	ASSERT_SYS(close(p[0]));
	ASSERT_SYS(close(p[1]));
	ASSERT_EQ_INT(__atomic_load_n(&b->done, __ATOMIC_SEQ_CST), 0);
	printf("ordinary calls done while A blocks\n");
}

static void join(struct blocker *b)
{
	TEST_STEP("thread A returns");
	ASSERT_EQ_INT(pthread_join(b->thread, NULL), 0);
}

/* ---- FIFO open: a rendezvous of two opens ---- */

static void fifo_open_read(struct blocker *b)
{
	b->ret = open(b->path, O_RDONLY);
}

static int fifo_mode(struct blocker *b)
{
	int w = -1;
	char c = 0;

	start(b, fifo_open_read);
	TEST_STEP("open the FIFO for writing while A opens it for reading");
	w = (int)ASSERT_SYS(open(b->path, O_WRONLY));
	join(b);
	ASSERT_SYS(b->ret);
	ASSERT_EQ_INT(write(w, "f", 1), 1);
	ASSERT_EQ_INT(read((int)b->ret, &c, 1), 1);
	ASSERT_EQ_INT(c, 'f');
	close(w);
	close((int)b->ret);
	printf("fifo OK\n");
	return 0;
}

/* ---- flock ---- */

static void flock_wait(struct blocker *b)
{
	b->ret = flock(b->fd2, LOCK_EX);
}

/* /proc/locks lists a waiter ("->") for the inode of b->fd. */
static bool flock_waiter(struct blocker *b)
{
	struct stat st;
	char line[256], ino[32];
	bool found = false;
	FILE *f = NULL;

	if (fstat(b->fd, &st) != 0 || !(f = fopen("/proc/locks", "r"))) {
		return false;
	}
	snprintf(ino, sizeof(ino), ":%llu ", (unsigned long long)st.st_ino);
	while (!found && fgets(line, sizeof(line), f)) {
		found = strstr(line, "->") && strstr(line, ino);
	}
	fclose(f);
	return found;
}

static void flock_block(struct blocker *b)
{
	b->fd = (int)ASSERT_SYS(open(b->path, O_RDWR | O_CREAT, 0600));
	b->fd2 = (int)ASSERT_SYS(open(b->path, O_RDWR));
	ASSERT_SYS(flock(b->fd, LOCK_EX));
	start(b, flock_wait);
	(void)wait_until(flock_waiter, b);
}

static int flock_mode(struct blocker *b)
{
	flock_block(b);
	ordinary_calls(b);
	ASSERT_SYS(flock(b->fd, LOCK_UN));
	join(b);
	ASSERT_SYS(b->ret);
	close(b->fd);
	close(b->fd2);
	printf("flock OK\n");
	return 0;
}

/* The shadow's open descriptors (a TA's /proc/self is the shadow's). */
static int open_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	int n = 0;

	ASSERT_NOT_NULL(d);
	while (readdir(d)) {
		n++;
	}
	closedir(d);
	return n;
}

static int leak_mode(struct blocker *b)
{
	int before = 0;

	for (int round = 0; round <= 20; round++) {
		TEST_STEP("round %d", round);
		flock_block(b);
		/* A's call keeps its file; the number is free again */
		ASSERT_SYS(close(b->fd2));
		ASSERT_SYS(flock(b->fd, LOCK_UN));
		join(b);
		ASSERT_SYS(b->ret);
		ASSERT_SYS(close(b->fd));
		if (round == 0) {
			before = open_fds(); /* once serving threads has begun */
		}
	}
	TEST_STEP("descriptors after round 0 and after round 20");
	ASSERT_EQ_INT(open_fds(), before);
	printf("leak OK\n");
	return 0;
}

static int exit_mode(struct blocker *b, bool crash)
{
	flock_block(b);
	printf("exiting while A blocks\n");
	fflush(stdout);
	if (crash) {
		abort();
	}
	return 0;
}

/* ---- message queue ---- */

static void mq_wait(struct blocker *b)
{
	unsigned prio = 0;

	b->ret = mq_receive((mqd_t)b->fd, b->buf, 64, &prio);
}

static bool mq_waiter(struct blocker *b)
{
	(void)b;
	return in_kernel_wait("wq_sleep") || in_kernel_wait("mq_timedreceive");
}

static int mq_mode(struct blocker *b)
{
	struct mq_attr attr = { .mq_maxmsg = 1, .mq_msgsize = 64 };

	b->fd = (int)ASSERT_SYS(mq_open(b->path, O_RDWR | O_CREAT | O_EXCL, 0600, &attr));
	ASSERT_SYS(mq_unlink(b->path));
	start(b, mq_wait);
	(void)wait_until(mq_waiter, b);
	ordinary_calls(b);
	ASSERT_SYS(mq_send((mqd_t)b->fd, "message", 8, 1));
	join(b);
	ASSERT_EQ_INT(b->ret, 8);
	ASSERT_EQ_STR(b->buf, "message");
	mq_close((mqd_t)b->fd);
	printf("mq OK\n");
	return 0;
}

/* ---- connect ---- */

static socklen_t abstract_addr(struct sockaddr_un *sa, const char *name)
{
	memset(sa, 0, sizeof(*sa));
	sa->sun_family = AF_UNIX;
	memcpy(sa->sun_path + 1, name, strlen(name));
	return (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 + strlen(name));
}

static void connect_wait(struct blocker *b)
{
	struct sockaddr_un sa;
	socklen_t len = abstract_addr(&sa, b->path);

	b->ret = connect(b->fd2, (struct sockaddr *)&sa, len);
}

static bool connect_waiter(struct blocker *b)
{
	(void)b;
	return in_kernel_wait("unix_wait_for_peer") || in_kernel_wait("unix_stream_connect");
}

static int connect_mode(struct blocker *b)
{
	struct sockaddr_un sa;
	socklen_t len = 0;
	int lfd = -1, first = -1, c1 = -1, c2 = -1;

	if (strlen(b->path) + 2 > sizeof(sa.sun_path)) {
		TEST_FAIL("name too long");
	}
	len = abstract_addr(&sa, b->path);
	lfd = (int)ASSERT_SYS(socket(AF_UNIX, SOCK_STREAM, 0));
	ASSERT_SYS(bind(lfd, (struct sockaddr *)&sa, len));
	ASSERT_SYS(listen(lfd, 0));
	/* backlog 0: one pending connection fills it, the next connect waits for accept */
	first = (int)ASSERT_SYS(socket(AF_UNIX, SOCK_STREAM, 0));
	ASSERT_SYS(connect(first, (struct sockaddr *)&sa, len));
	b->fd2 = (int)ASSERT_SYS(socket(AF_UNIX, SOCK_STREAM, 0));
	start(b, connect_wait);
	(void)wait_until(connect_waiter, b);
	ordinary_calls(b);
	c1 = (int)ASSERT_SYS(accept(lfd, NULL, NULL));
	join(b);
	ASSERT_SYS(b->ret);
	c2 = (int)ASSERT_SYS(accept(lfd, NULL, NULL));
	close(c1);
	close(c2);
	close(first);
	close(b->fd2);
	close(lfd);
	printf("connect OK\n");
	return 0;
}

/* ---- a pipe or socket A fills: sendfile, write ---- */

/* No room in b->fd: A filled it and waits. */
static bool pipe_full(struct blocker *b)
{
	struct pollfd p = { .fd = b->fd, .events = POLLOUT };

	return poll(&p, 1, 0) == 0;
}

static void drain(int fd, size_t total)
{
	static char sink[65536];
	size_t got = 0;

	while (got < total) {
		ssize_t n = read(fd, sink, sizeof(sink));

		ASSERT_GT_INT(n, 0);
		got += (size_t)n;
	}
	ASSERT_EQ_U64(got, total);
}

static void sendfile_wait(struct blocker *b)
{
	b->ret = sendfile(b->fd, b->fd2, NULL, SENDFILE_BYTES);
}

static int sendfile_mode(struct blocker *b)
{
	int sv[2] = { -1, -1 };

	TEST_STEP("a 1 MiB file");
	b->fd2 = (int)ASSERT_SYS(open(b->path, O_RDWR | O_CREAT | O_TRUNC, 0600));
	memset(b->buf, 's', sizeof(b->buf));
	for (int i = 0; i < SENDFILE_BYTES / BULK; i++) {
		ASSERT_EQ_INT(write(b->fd2, b->buf, BULK), BULK);
	}
	ASSERT_SYS(lseek(b->fd2, 0, SEEK_SET));
	/* into a stream socket: the kernel sends it all, waiting for room (into a pipe it
	 * would return after what fits) */
	ASSERT_SYS(socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
	b->fd = sv[0];
	start(b, sendfile_wait);
	(void)wait_until(pipe_full, b);
	ordinary_calls(b);
	drain(sv[1], SENDFILE_BYTES);
	join(b);
	ASSERT_EQ_INT(b->ret, SENDFILE_BYTES);
	close(sv[0]);
	close(sv[1]);
	close(b->fd2);
	printf("sendfile OK\n");
	return 0;
}

static void write_wait(struct blocker *b)
{
	b->ret = write(b->fd, b->buf, BULK);
}

static int write_mode(struct blocker *b)
{
	int p[2] = { -1, -1 };

	ASSERT_SYS(pipe(p));
	b->fd = p[1];
	memset(b->buf, 'w', sizeof(b->buf));
	start(b, write_wait);
	(void)wait_until(pipe_full, b);
	ordinary_calls(b);
	drain(p[0], BULK);
	join(b);
	ASSERT_EQ_INT(b->ret, BULK);
	close(p[0]);
	close(p[1]);
	printf("write OK\n");
	return 0;
}

static void pattern(char *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		p[i] = (char)(i % 251);
	}
}

static int sockwrite_mode(struct blocker *b)
{
	static char got[BULK], want[BULK];
	int sv[2] = { -1, -1 };
	size_t have = 0;

	ASSERT_SYS(socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
	b->fd = sv[0];
	pattern(b->buf, BULK);
	pattern(want, BULK);
	start(b, write_wait);
	(void)wait_until(pipe_full, b);
	ordinary_calls(b);
	TEST_STEP("every byte arrives once, in order");
	while (have < BULK) {
		ssize_t n = read(sv[1], got + have, BULK - have);

		ASSERT_GT_INT(n, 0);
		have += (size_t)n;
	}
	join(b);
	ASSERT_EQ_INT(b->ret, BULK);
	ASSERT_EQ_MEM(got, want, BULK);
	close(sv[0]);
	close(sv[1]);
	printf("sockwrite OK\n");
	return 0;
}

/* ---- SO_RCVLOWAT ---- */

static void lowat_read(struct blocker *b)
{
	b->ret = read(b->fd, b->buf, 200);
}

/* A returned, or waits in the kernel (natively in the recv, in a TA in the shadow's poll). */
static bool lowat_waiter(struct blocker *b)
{
	return __atomic_load_n(&b->done, __ATOMIC_SEQ_CST) || in_kernel_wait("wait_woken") ||
	       in_kernel_wait("sk_wait_data") || in_kernel_wait("do_sys_poll") ||
	       in_kernel_wait("poll_schedule_timeout");
}

static int lowat_mode(struct blocker *b)
{
	struct sockaddr_in sa;
	struct pollfd p;
	char data[100];
	int lfd = -1, c = -1, lowat = 100, one = 1;

	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_port = htons((uint16_t)atoi(b->path));
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	for (int i = 0; i < 100; i++) {
		data[i] = (char)('a' + i % 26);
	}
	lfd = (int)ASSERT_SYS(socket(AF_INET, SOCK_STREAM, 0));
	ASSERT_SYS(setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)));
	ASSERT_SYS(bind(lfd, (struct sockaddr *)&sa, sizeof(sa)));
	ASSERT_SYS(listen(lfd, 1));
	c = (int)ASSERT_SYS(socket(AF_INET, SOCK_STREAM, 0));
	ASSERT_SYS(connect(c, (struct sockaddr *)&sa, sizeof(sa)));
	b->fd = (int)ASSERT_SYS(accept(lfd, NULL, NULL));
	ASSERT_EQ_INT(send(c, data, 50, 0), 50);
	p.fd = b->fd;
	p.events = POLLIN;
	ASSERT_EQ_INT(poll(&p, 1, EVENT_WAIT_MS), 1); /* the 50 bytes are there */
	ASSERT_SYS(setsockopt(b->fd, SOL_SOCKET, SO_RCVLOWAT, &lowat, sizeof(lowat)));
	start(b, lowat_read);
	(void)wait_until(lowat_waiter, b);
	ordinary_calls(b); /* fails if A already returned with the 50 bytes */
	ASSERT_EQ_INT(send(c, data + 50, 50, 0), 50);
	join(b);
	ASSERT_EQ_INT(b->ret, 100);
	ASSERT_EQ_MEM(b->buf, data, 100);
	close(c);
	close(b->fd);
	close(lfd);
	printf("lowat OK\n");
	return 0;
}

/* ---- SO_RCVTIMEO ---- */

static void timeo_read(struct blocker *b)
{
	b->ret = read(b->fd, b->buf, 100);
	b->err = errno;
}

static void timeo_accept(struct blocker *b)
{
	b->ret = accept(b->fd, NULL, NULL);
	b->err = errno;
}

static int rcvtimeo_mode(struct blocker *b)
{
	const struct timeval tv = { 0, 200 * 1000 };
	struct sockaddr_un sa;
	int sv[2] = { -1, -1 };
	int lfd = -1;

	ASSERT_SYS(socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
	ASSERT_SYS(setsockopt(sv[0], SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)));
	b->fd = sv[0];
	TEST_STEP("a read with nothing to read ends with EAGAIN after SO_RCVTIMEO");
	start(b, timeo_read);
	join(b);
	ASSERT_EQ_INT(b->ret, -1);
	ASSERT_EQ_INT(b->err, EAGAIN);
	TEST_STEP("an accept with no client ends with EAGAIN after SO_RCVTIMEO");
	lfd = (int)ASSERT_SYS(socket(AF_UNIX, SOCK_STREAM, 0));
	ASSERT_SYS(bind(lfd, (struct sockaddr *)&sa, abstract_addr(&sa, b->path)));
	ASSERT_SYS(listen(lfd, 1));
	ASSERT_SYS(setsockopt(lfd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)));
	b->fd = lfd;
	start(b, timeo_accept);
	join(b);
	ASSERT_EQ_INT(b->ret, -1);
	ASSERT_EQ_INT(b->err, EAGAIN);
	close(lfd);
	close(sv[0]);
	close(sv[1]);
	printf("rcvtimeo OK\n");
	return 0;
}

/* ---- recv MSG_WAITALL ---- */

static void waitall_wait(struct blocker *b)
{
	b->ret = recv(b->fd, b->buf, 100, MSG_WAITALL);
}

/* A took the first 50 bytes and waits for the rest. */
static bool taken(struct blocker *b)
{
	struct pollfd p = { .fd = b->fd, .events = POLLIN };

	return poll(&p, 1, 0) == 0;
}

static int waitall_mode(struct blocker *b)
{
	char data[100];
	int sv[2] = { -1, -1 };

	for (int i = 0; i < 100; i++) {
		data[i] = (char)('A' + i % 26);
	}
	ASSERT_SYS(socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
	b->fd = sv[0];
	ASSERT_EQ_INT(send(sv[1], data, 50, 0), 50);
	start(b, waitall_wait);
	(void)wait_until(taken, b);
	ordinary_calls(b);
	ASSERT_EQ_INT(send(sv[1], data + 50, 50, 0), 50);
	join(b);
	ASSERT_EQ_INT(b->ret, 100);
	ASSERT_EQ_MEM(b->buf, data, 100);
	close(sv[0]);
	close(sv[1]);
	printf("waitall OK\n");
	return 0;
}

/* ---- poll of many entries ---- */

static struct pollfd many[POLL_ENTRIES];

static void poll_wait(struct blocker *b)
{
	b->ret = poll(many, POLL_ENTRIES, -1);
}

static bool poll_waiter(struct blocker *b)
{
	(void)b;
	return in_kernel_wait("do_sys_poll") || in_kernel_wait("poll_schedule_timeout");
}

static int poll_mode(struct blocker *b)
{
	int p[2] = { -1, -1 };

	ASSERT_SYS(pipe(p));
	for (int i = 0; i < POLL_ENTRIES; i++) {
		many[i].fd = p[0];
		many[i].events = POLLIN;
	}
	start(b, poll_wait);
	(void)wait_until(poll_waiter, b);
	ordinary_calls(b);
	ASSERT_EQ_INT(write(p[1], "p", 1), 1);
	join(b);
	ASSERT_EQ_INT(b->ret, POLL_ENTRIES);
	close(p[0]);
	close(p[1]);
	printf("poll OK\n");
	return 0;
}

int main(int argc, char **argv)
{
	static struct blocker b;
	const char *mode = argc >= 2 ? argv[1] : "";

	setvbuf(stdout, NULL, _IOLBF, 0);
	b.fd = b.fd2 = -1;
	snprintf(b.path, sizeof(b.path), "%s", argc >= 3 ? argv[2] : "");
	if (strcmp(mode, "fifo") == 0) {
		return fifo_mode(&b);
	}
	if (strcmp(mode, "flock") == 0) {
		return flock_mode(&b);
	}
	if (strcmp(mode, "leak") == 0) {
		return leak_mode(&b);
	}
	if (strcmp(mode, "exit") == 0 || strcmp(mode, "abort") == 0) {
		return exit_mode(&b, mode[0] == 'a');
	}
	if (strcmp(mode, "mq") == 0) {
		return mq_mode(&b);
	}
	if (strcmp(mode, "connect") == 0) {
		return connect_mode(&b);
	}
	if (strcmp(mode, "sendfile") == 0) {
		return sendfile_mode(&b);
	}
	if (strcmp(mode, "write") == 0) {
		return write_mode(&b);
	}
	if (strcmp(mode, "waitall") == 0) {
		return waitall_mode(&b);
	}
	if (strcmp(mode, "poll") == 0) {
		return poll_mode(&b);
	}
	if (strcmp(mode, "sockwrite") == 0) {
		return sockwrite_mode(&b);
	}
	if (strcmp(mode, "lowat") == 0) {
		return lowat_mode(&b);
	}
	if (strcmp(mode, "rcvtimeo") == 0) {
		return rcvtimeo_mode(&b);
	}
	fprintf(stderr,
		"usage: blocking fifo|flock|leak|exit|abort|sendfile PATH | mq NAME | "
		"connect NAME | rcvtimeo NAME | lowat PORT | write | sockwrite | waitall | poll\n");
	return 64;
}
