/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Differential test: calls that cannot sleep are never interrupted by a signal. With a
 * SIGALRM handler installed without SA_RESTART and the timer firing every 200 us, the
 * program loops over calls that Linux answers without waiting: reads, writes, recvs and
 * sends with MSG_DONTWAIT or on O_NONBLOCK sockets, pipes, FIFOs, an eventfd and a message
 * queue; accept4 and connect on non-blocking sockets (EAGAIN, EINPROGRESS); epoll_wait and
 * epoll_pwait with timeout 0; open of a regular file and the O_NONBLOCK
 * opens of a FIFO (ENXIO without a reader); a numeric getaddrinfo. Linux runs the handler
 * around them and never fails one with EINTR (checked natively: 20,000 of each under the
 * same timer, 0 EINTR); the shadow, which answers a call that may block with EINTR when a
 * signal is already posted (serve.c, could_sleep), must not either. Each call's result is
 * checked too. poll, ppoll, select and pselect with timeout 0 are left out: Linux does
 * interrupt those when no descriptor is ready (they check for a signal before returning 0:
 * natively about 1,400 EINTR in 1,000,000 poll(0) and ppoll(0) under SIGALRM every 50 us,
 * none in as many epoll_wait(0)).
 * Twice: with one thread, and once the program has a thread (the shadow then serves it
 * concurrently and tries reads first). No timing is asserted: the loop ends after enough
 * rounds and signals, or at a bound.
 */
#include "tr.h"

#include <fcntl.h>
#include <mqueue.h>
#include <netdb.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

#define ROUNDS_MIN 2000
#define ROUNDS_MAX 100000
#define ALARMS_MIN 50

/* One kind of call: how often it failed with EINTR and how often otherwise unexpectedly. */
struct kind {
	const char *name;
	long eintr, bad;
};

enum {
	K_RECV_DONTWAIT,
	K_SEND_DONTWAIT,
	K_RECVMSG_DONTWAIT,
	K_SENDMSG_DONTWAIT,
	K_SOCK_NONBLOCK,
	K_PIPE_NONBLOCK,
	K_PIPE_FULL,
	K_UDP_DONTWAIT,
	K_TCP_NONBLOCK,
	K_ACCEPT_NONBLOCK,
	K_CONNECT_NONBLOCK,
	K_EPOLL0,
	K_EPOLL_PWAIT0,
	K_EVENTFD_NONBLOCK,
	K_FIFO_NONBLOCK,
	K_OPEN_FILE,
	K_MQ_NONBLOCK,
	K_GETADDRINFO,
	K__COUNT
};

static struct kind g_kinds[K__COUNT] = {
	[K_RECV_DONTWAIT] = { "recv/recvfrom MSG_DONTWAIT (UNIX stream)", 0, 0 },
	[K_SEND_DONTWAIT] = { "send MSG_DONTWAIT (UNIX stream)", 0, 0 },
	[K_RECVMSG_DONTWAIT] = { "recvmsg MSG_DONTWAIT (UNIX stream)", 0, 0 },
	[K_SENDMSG_DONTWAIT] = { "sendmsg MSG_DONTWAIT (UNIX stream)", 0, 0 },
	[K_SOCK_NONBLOCK] = { "read/write O_NONBLOCK (UNIX stream)", 0, 0 },
	[K_PIPE_NONBLOCK] = { "read/write O_NONBLOCK (pipe)", 0, 0 },
	[K_PIPE_FULL] = { "write O_NONBLOCK (full pipe)", 0, 0 },
	[K_UDP_DONTWAIT] = { "recvfrom/sendto MSG_DONTWAIT (UDP)", 0, 0 },
	[K_TCP_NONBLOCK] = { "recv/send O_NONBLOCK (TCP)", 0, 0 },
	[K_ACCEPT_NONBLOCK] = { "accept/accept4 O_NONBLOCK (TCP, UNIX)", 0, 0 },
	[K_CONNECT_NONBLOCK] = { "connect O_NONBLOCK (TCP, UNIX)", 0, 0 },
	[K_EPOLL0] = { "epoll_wait timeout 0", 0, 0 },
	[K_EPOLL_PWAIT0] = { "epoll_pwait timeout 0", 0, 0 },
	[K_EVENTFD_NONBLOCK] = { "read/write O_NONBLOCK (eventfd)", 0, 0 },
	[K_FIFO_NONBLOCK] = { "open/read/write O_NONBLOCK (FIFO)", 0, 0 },
	[K_OPEN_FILE] = { "open (regular file)", 0, 0 },
	[K_MQ_NONBLOCK] = { "mq_send/mq_receive O_NONBLOCK", 0, 0 },
	[K_GETADDRINFO] = { "getaddrinfo (numeric)", 0, 0 },
};

/* The objects the calls use, set up once (their own results checked through EXPECT). */
struct objs {
	int sv[2];      /* blocking UNIX stream pair: MSG_DONTWAIT */
	int nb[2];      /* O_NONBLOCK UNIX stream pair */
	int pipe[2];    /* O_NONBLOCK pipe, empty between rounds */
	int full[2];    /* O_NONBLOCK pipe, kept full */
	int udp;        /* bound to 127.0.0.1, sends to itself */
	int tl, tc, ts; /* TCP listener (O_NONBLOCK), connected client (O_NONBLOCK), server end */
	int ul;         /* UNIX listener (O_NONBLOCK) */
	int ep;         /* epoll over the empty pipe */
	int efd;        /* O_NONBLOCK eventfd */
	mqd_t mq;       /* O_NONBLOCK queue of one message */
	struct sockaddr_storage uaddr, taddr;
	socklen_t ulen, tlen;
	struct sockaddr_un unaddr;
	socklen_t unlen;
	char fifo[512], file[512], mqname[64];
};

static volatile sig_atomic_t g_alarms;

static void count_alarm(int sig)
{
	(void)sig;
	g_alarms++;
}

/*
 * Records one call: want is the exact result expected (or TR_OK: any >= 0), werr the errno
 * when want is -1. EINTR is counted on its own; anything else unexpected as bad.
 */
static void rec(int k, long ret, int err, long want, int werr)
{
	if (ret < 0 && err == EINTR) {
		g_kinds[k].eintr++;
	} else if (want == TR_OK ? ret < 0 : (ret != want || (want == -1 && err != werr))) {
		g_kinds[k].bad++;
	}
}

#define REC(k, want, werr, expr)                                                                   \
	do {                                                                                       \
		long r_ = (errno = 0, (long)(expr));                                               \
		rec((k), r_, errno, (want), (werr));                                               \
	} while (0)

/* poll that a signal may interrupt (it may wait): retried, not counted */
static void wait_ready(int fd, short events)
{
	struct pollfd p = { fd, events, 0 };

	while (poll(&p, 1, -1) < 0 && errno == EINTR) {
	}
}

static void setup(struct objs *o, const char *dir)
{
	struct mq_attr attr;
	struct epoll_event ev;
	char b[4096];

	memset(b, 'f', sizeof(b));
	EXPECT(0, 0, socketpair(AF_UNIX, SOCK_STREAM, 0, o->sv));
	EXPECT(0, 0, socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, o->nb));
	EXPECT(0, 0, pipe2(o->pipe, O_NONBLOCK));
	EXPECT(0, 0, pipe2(o->full, O_NONBLOCK));
	while (write(o->full[1], b, sizeof(b)) > 0) {
	}
	EXPECT(-1, EAGAIN, write(o->full[1], b, 1));

	o->udp = EXPECT(TR_FD, 0, socket(AF_INET, SOCK_DGRAM, 0));
	o->ulen = tr_loopback(AF_INET, &o->uaddr, 0);
	EXPECT(0, 0, bind(o->udp, (struct sockaddr *)&o->uaddr, o->ulen));
	EXPECT(0, 0, getsockname(o->udp, (struct sockaddr *)&o->uaddr, &o->ulen));

	o->tl = EXPECT(TR_FD, 0, socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0));
	o->tlen = tr_loopback(AF_INET, &o->taddr, 0);
	EXPECT(0, 0, bind(o->tl, (struct sockaddr *)&o->taddr, o->tlen));
	EXPECT(0, 0, getsockname(o->tl, (struct sockaddr *)&o->taddr, &o->tlen));
	EXPECT(0, 0, listen(o->tl, 16));
	o->tc = EXPECT(TR_FD, 0, socket(AF_INET, SOCK_STREAM, 0));
	EXPECT(0, 0, connect(o->tc, (struct sockaddr *)&o->taddr, o->tlen));
	wait_ready(o->tl, POLLIN);
	o->ts = EXPECT(TR_FD, 0, accept(o->tl, NULL, NULL));
	EXPECT(0, 0, fcntl(o->tc, F_SETFL, O_NONBLOCK));

	o->unlen = tr_unix_addr(&o->unaddr, dir, "nosleep.sock", 0);
	o->ul = EXPECT(TR_FD, 0, socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0));
	EXPECT(0, 0, bind(o->ul, (struct sockaddr *)&o->unaddr, o->unlen));
	EXPECT(0, 0, listen(o->ul, 16));

	o->ep = EXPECT(TR_FD, 0, epoll_create1(0));
	memset(&ev, 0, sizeof(ev));
	ev.events = EPOLLIN;
	EXPECT(0, 0, epoll_ctl(o->ep, EPOLL_CTL_ADD, o->pipe[0], &ev));
	o->efd = EXPECT(TR_FD, 0, eventfd(0, EFD_NONBLOCK));

	tr_join(o->fifo, sizeof(o->fifo), dir, "nosleep.fifo");
	EXPECT(0, 0, mkfifo(o->fifo, 0600));
	tr_join(o->file, sizeof(o->file), dir, "nosleep.file");
	EXPECT(0, 0, close(EXPECT(TR_FD, 0, open(o->file, O_CREAT | O_RDWR, 0600))));

	snprintf(o->mqname, sizeof(o->mqname), "/tzmd-%016llx",
		 (unsigned long long)tr_fnv64(dir, strlen(dir)));
	memset(&attr, 0, sizeof(attr));
	attr.mq_maxmsg = 1;
	attr.mq_msgsize = 8;
	o->mq = (mqd_t)EXPECT(
		TR_FD, 0, mq_open(o->mqname, O_RDWR | O_CREAT | O_EXCL | O_NONBLOCK, 0600, &attr));
	EXPECT(0, 0, mq_unlink(o->mqname));
}

static void teardown(struct objs *o)
{
	const int fds[] = { o->sv[0],   o->sv[1],   o->nb[0],   o->nb[1], o->pipe[0],
			    o->pipe[1], o->full[0], o->full[1], o->udp,   o->tl,
			    o->tc,      o->ts,      o->ul,      o->ep,    o->efd };

	for (size_t i = 0; i < sizeof(fds) / sizeof(fds[0]); i++) {
		EXPECT(0, 0, close(fds[i]));
	}
	EXPECT(0, 0, mq_close(o->mq));
	EXPECT(0, 0, unlink(o->fifo));
	EXPECT(0, 0, unlink(o->file));
	EXPECT(0, 0, unlink(o->unaddr.sun_path));
}

static void socket_calls(struct objs *o)
{
	char b[8] = "x";
	struct iovec io = { b, 1 };
	struct msghdr m;

	memset(&m, 0, sizeof(m));
	m.msg_iov = &io;
	m.msg_iovlen = 1;
	REC(K_RECV_DONTWAIT, -1, EAGAIN, recv(o->sv[0], b, 1, MSG_DONTWAIT));
	REC(K_SEND_DONTWAIT, 1, 0, send(o->sv[1], b, 1, MSG_DONTWAIT));
	REC(K_RECV_DONTWAIT, 1, 0, recvfrom(o->sv[0], b, 1, MSG_DONTWAIT, NULL, NULL));
	REC(K_RECVMSG_DONTWAIT, -1, EAGAIN, recvmsg(o->sv[1], &m, MSG_DONTWAIT));
	REC(K_SENDMSG_DONTWAIT, 1, 0, sendmsg(o->sv[0], &m, MSG_DONTWAIT));
	REC(K_RECVMSG_DONTWAIT, 1, 0, recvmsg(o->sv[1], &m, MSG_DONTWAIT));

	REC(K_SOCK_NONBLOCK, -1, EAGAIN, read(o->nb[0], b, 1));
	REC(K_SOCK_NONBLOCK, -1, EAGAIN, recv(o->nb[0], b, 1, 0));
	REC(K_SOCK_NONBLOCK, 1, 0, write(o->nb[1], b, 1));
	REC(K_SOCK_NONBLOCK, 1, 0, read(o->nb[0], b, 1));

	REC(K_UDP_DONTWAIT, -1, EAGAIN, recvfrom(o->udp, b, 1, MSG_DONTWAIT, NULL, NULL));
	REC(K_UDP_DONTWAIT, 1, 0,
	    sendto(o->udp, b, 1, MSG_DONTWAIT, (struct sockaddr *)&o->uaddr, o->ulen));
	REC(K_UDP_DONTWAIT, 1, 0, recvfrom(o->udp, b, 1, MSG_DONTWAIT, NULL, NULL));

	REC(K_TCP_NONBLOCK, -1, EAGAIN, recv(o->tc, b, 1, 0));
	REC(K_TCP_NONBLOCK, 1, 0, send(o->tc, b, 1, 0));
}

/* What the TCP client sent, taken by the server end now and then (not counted). */
static void drain_tcp(struct objs *o)
{
	char b[512];
	ssize_t r = 0;

	do {
		r = recv(o->ts, b, sizeof(b), MSG_DONTWAIT);
	} while (r > 0 || (r < 0 && errno == EINTR));
}

/* accept and connect on non-blocking sockets (the connection accepted once it is there) */
static void connection_calls(struct objs *o)
{
	int c = -1, a = -1;
	long r = 0;

	REC(K_ACCEPT_NONBLOCK, -1, EAGAIN, accept(o->tl, NULL, NULL));
	REC(K_ACCEPT_NONBLOCK, -1, EAGAIN, accept4(o->ul, NULL, NULL, SOCK_CLOEXEC));

	c = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	errno = 0;
	r = connect(c, (struct sockaddr *)&o->taddr, o->tlen);
	/* 0 or EINPROGRESS, as the kernel's handshake goes; never EINTR */
	if (r < 0 && errno == EINPROGRESS) {
		r = 0;
	}
	rec(K_CONNECT_NONBLOCK, r, errno, 0, 0);
	if (r == 0) {
		/* the connection is on its way (not after a failed connect: no waiting for it) */
		wait_ready(o->tl, POLLIN);
		a = accept4(o->tl, NULL, NULL, SOCK_NONBLOCK);
		rec(K_ACCEPT_NONBLOCK, a, errno, TR_OK, 0);
		if (a >= 0) {
			close(a);
		}
	}
	close(c);

	c = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0);
	REC(K_CONNECT_NONBLOCK, 0, 0, connect(c, (struct sockaddr *)&o->unaddr, o->unlen));
	a = accept(o->ul, NULL, NULL);
	rec(K_ACCEPT_NONBLOCK, a, errno, TR_OK, 0);
	if (a >= 0) {
		close(a);
	}
	close(c);
}

static void other_calls(struct objs *o)
{
	struct epoll_event ev;
	struct addrinfo hints, *ai = NULL;
	char b[8] = "x";
	uint64_t v = 1;
	unsigned prio = 0;
	int r = -1, w = -1, g = 0;

	REC(K_PIPE_NONBLOCK, -1, EAGAIN, read(o->pipe[0], b, 1));
	REC(K_EPOLL0, 0, 0, epoll_wait(o->ep, &ev, 1, 0));
	REC(K_EPOLL_PWAIT0, 0, 0, epoll_pwait(o->ep, &ev, 1, 0, NULL));
	REC(K_PIPE_NONBLOCK, 1, 0, write(o->pipe[1], b, 1));
	REC(K_PIPE_NONBLOCK, 1, 0, read(o->pipe[0], b, 1));
	REC(K_PIPE_FULL, -1, EAGAIN, write(o->full[1], b, 1));

	REC(K_EVENTFD_NONBLOCK, -1, EAGAIN, read(o->efd, &v, sizeof(v)));
	REC(K_EVENTFD_NONBLOCK, 8, 0, write(o->efd, &v, sizeof(v)));
	REC(K_EVENTFD_NONBLOCK, 8, 0, read(o->efd, &v, sizeof(v)));

	REC(K_FIFO_NONBLOCK, -1, ENXIO, open(o->fifo, O_WRONLY | O_NONBLOCK));
	r = open(o->fifo, O_RDONLY | O_NONBLOCK);
	rec(K_FIFO_NONBLOCK, r, errno, TR_OK, 0);
	w = open(o->fifo, O_WRONLY | O_NONBLOCK);
	rec(K_FIFO_NONBLOCK, w, errno, TR_OK, 0);
	REC(K_FIFO_NONBLOCK, -1, EAGAIN, read(r, b, 1));
	REC(K_FIFO_NONBLOCK, 1, 0, write(w, b, 1));
	REC(K_FIFO_NONBLOCK, 1, 0, read(r, b, 1));
	close(w);
	close(r);

	r = open(o->file, O_RDONLY);
	rec(K_OPEN_FILE, r, errno, TR_OK, 0);
	close(r);

	REC(K_MQ_NONBLOCK, -1, EAGAIN, mq_receive(o->mq, b, sizeof(b), &prio));
	REC(K_MQ_NONBLOCK, 0, 0, mq_send(o->mq, b, 1, 0));
	REC(K_MQ_NONBLOCK, -1, EAGAIN, mq_send(o->mq, b, 1, 0));
	REC(K_MQ_NONBLOCK, 1, 0, mq_receive(o->mq, b, sizeof(b), &prio));

	memset(&hints, 0, sizeof(hints));
	hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV;
	hints.ai_socktype = SOCK_STREAM;
	errno = 0;
	g = getaddrinfo("127.0.0.1", "80", &hints, &ai);
	rec(K_GETADDRINFO, g == 0 ? 0 : -1, g == EAI_SYSTEM ? errno : EINVAL, 0, 0);
	if (g == 0) {
		freeaddrinfo(ai);
	}
}

static void never_interrupted(struct objs *o, const char *when)
{
	struct sigaction sa;
	const struct itimerval it = { { 0, 200 }, { 0, 200 } };
	const struct itimerval off = { { 0, 0 }, { 0, 0 } };
	long rounds = 0, eintr = 0, bad = 0;

	for (int k = 0; k < K__COUNT; k++) {
		g_kinds[k].eintr = 0;
		g_kinds[k].bad = 0;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = count_alarm; /* no SA_RESTART */
	EXPECT(0, 0, sigaction(SIGALRM, &sa, NULL));
	g_alarms = 0;
	EXPECT(0, 0, setitimer(ITIMER_REAL, &it, NULL));
	/* until enough signals came during the calls (bounded: a lost timer ends it too) */
	while ((g_alarms < ALARMS_MIN || rounds < ROUNDS_MIN) && rounds < ROUNDS_MAX) {
		socket_calls(o);
		if (rounds % 8 == 0) {
			connection_calls(o);
			drain_tcp(o);
		}
		other_calls(o);
		rounds++;
	}
	sa.sa_handler = SIG_IGN; /* first: discards one already on its way */
	EXPECT(0, 0, sigaction(SIGALRM, &sa, NULL));
	EXPECT(0, 0, setitimer(ITIMER_REAL, &off, NULL));
	NOTE("%s: under SIGALRM every 200 us, %s signals", when,
	     g_alarms >= ALARMS_MIN ? ">= 50" : "< 50");
	for (int k = 0; k < K__COUNT; k++) {
		NOTE("%s: %s: %ld interrupted, %ld unexpected", when, g_kinds[k].name,
		     g_kinds[k].eintr, g_kinds[k].bad);
		eintr += g_kinds[k].eintr;
		bad += g_kinds[k].bad;
	}
	ASSERT(eintr == 0 && bad == 0);
}

static void *idle(void *arg)
{
	return arg;
}

int main(int argc, char **argv)
{
	const char *dir = tr_begin("nosleep", argc, argv);
	struct objs o;
	pthread_t t;

	memset(&o, 0, sizeof(o));
	setup(&o, dir);
	never_interrupted(&o, "one thread");
	/* from here on the program has threads: the shadow serves it concurrently */
	EXPECT(0, 0, pthread_create(&t, NULL, idle, NULL));
	EXPECT(0, 0, pthread_join(t, NULL));
	never_interrupted(&o, "after a thread");
	teardown(&o);
	return tr_end();
}
