/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Differential test: readiness. poll (POLLIN/POLLOUT/POLLHUP/POLLNVAL, timeouts), select,
 * epoll (create1/ctl/wait, level and edge triggered, EEXIST/ENOENT/EPERM), fcntl
 * (F_GETFL/F_SETFL O_NONBLOCK, F_GETFD/F_SETFD), and a non-blocking TCP connect completed
 * through poll + SO_ERROR. Peers are a FIFO and a UNIX stream connection of the program
 * itself.
 */
#include "tr.h"

#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#define UNUSED_FD 900 /* a descriptor number the program never opens */

static long elapsed_ms(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (t1.tv_sec - t0->tv_sec) * 1000L + (t1.tv_nsec - t0->tv_nsec) / 1000000L;
}

static void fifo_poll(const char *dir)
{
	char path[PATH_MAX];
	char buf[16] = "";
	struct pollfd p[3];
	struct timespec t0;
	int rd = -1, wr = -1;

	tr_join(path, sizeof(path), dir, "ready.fifo");
	EXPECT(0, 0, mkfifo(path, 0600));
	rd = EXPECT(TR_FD, 0, open(path, O_RDONLY | O_NONBLOCK));
	wr = EXPECT(TR_FD, 0, open(path, O_WRONLY));
	memset(p, 0, sizeof(p));
	p[0].fd = rd;
	p[0].events = POLLIN;
	p[1].fd = wr;
	p[1].events = POLLOUT;
	p[2].fd = -1; /* ignored entry */
	p[2].events = POLLIN;
	EXPECT(1, 0, poll(p, 3, 0));
	NOTE("revents %#x %#x %#x", p[0].revents, p[1].revents, p[2].revents);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	EXPECT(0, 0, poll(p, 1, 60));
	ASSERT(elapsed_ms(&t0) >= 55);
	EXPECT(2, 0, write(wr, "hi", 2));
	EXPECT(2, 0, poll(p, 3, -1));
	NOTE("revents %#x %#x %#x", p[0].revents, p[1].revents, p[2].revents);
	EXPECT_DATA(2, 0, buf, read(rd, buf, sizeof(buf)));
	EXPECT(0, 0, close(wr));
	EXPECT(1, 0, poll(p, 1, 1000));
	NOTE("after writer closed revents %#x", p[0].revents);
	p[0].fd = UNUSED_FD;
	EXPECT(1, 0, poll(p, 1, 0));
	NOTE("unused fd revents %#x", p[0].revents);
	EXPECT(0, 0, close(rd));
	EXPECT(0, 0, unlink(path));
}

static void unix_pair(const char *dir, int *c, int *a)
{
	struct sockaddr_un sa;
	socklen_t len = tr_unix_addr(&sa, dir, "ready.sock", 0);
	int s = -1;

	s = EXPECT(TR_FD, 0, socket(AF_UNIX, SOCK_STREAM, 0));
	EXPECT(0, 0, bind(s, (struct sockaddr *)&sa, len));
	EXPECT(0, 0, listen(s, 1));
	*c = EXPECT(TR_FD, 0, socket(AF_UNIX, SOCK_STREAM, 0));
	EXPECT(0, 0, connect(*c, (struct sockaddr *)&sa, len));
	*a = EXPECT(TR_FD, 0, accept(s, NULL, NULL));
	EXPECT(0, 0, close(s));
	EXPECT(0, 0, unlink(sa.sun_path));
}

static void selecting(int c, int a)
{
	fd_set rfds, wfds;
	struct timeval tv = { 0, 0 };
	char buf[16] = "";
	int nfds = (c > a ? c : a) + 1;
	int closed = -1;

	FD_ZERO(&rfds);
	FD_ZERO(&wfds);
	FD_SET(a, &rfds);
	FD_SET(c, &wfds);
	EXPECT(1, 0, select(nfds, &rfds, &wfds, NULL, &tv));
	ASSERT(!FD_ISSET(a, &rfds) && FD_ISSET(c, &wfds));
	EXPECT(3, 0, send(c, "sel", 3, 0));
	FD_ZERO(&rfds);
	FD_SET(a, &rfds);
	tv.tv_sec = 1;
	tv.tv_usec = 0;
	EXPECT(1, 0, select(nfds, &rfds, NULL, NULL, &tv));
	ASSERT(FD_ISSET(a, &rfds));
	EXPECT_DATA(3, 0, buf, recv(a, buf, sizeof(buf), 0));
	FD_ZERO(&rfds);
	FD_SET(a, &rfds);
	tv.tv_sec = 0;
	tv.tv_usec = 30000;
	EXPECT(0, 0, select(nfds, &rfds, NULL, NULL, &tv));
	/* A just-closed descriptor (select ignores numbers beyond the table, so no UNUSED_FD). */
	closed = EXPECT(TR_FD, 0, socket(AF_UNIX, SOCK_STREAM, 0));
	EXPECT(0, 0, close(closed));
	FD_ZERO(&rfds);
	FD_SET(closed, &rfds);
	tv.tv_usec = 0;
	EXPECT(-1, EBADF, select(closed + 1, &rfds, NULL, NULL, &tv));
}

static void epolling(const char *dir, int c, int a)
{
	struct epoll_event ev, out[4];
	char path[PATH_MAX];
	char buf[16] = "";
	int ep = -1, file = -1;

	tr_join(path, sizeof(path), dir, "ready.file");
	ep = EXPECT(TR_FD, 0, epoll_create1(EPOLL_CLOEXEC));
	EXPECT(-1, EINVAL, epoll_create1(0x1234));
	memset(&ev, 0, sizeof(ev));
	memset(out, 0, sizeof(out));
	ev.events = EPOLLIN;
	ev.data.u64 = 0x1122334455667788ULL;
	EXPECT(0, 0, epoll_ctl(ep, EPOLL_CTL_ADD, a, &ev));
	EXPECT(-1, EEXIST, epoll_ctl(ep, EPOLL_CTL_ADD, a, &ev));
	EXPECT(0, 0, epoll_wait(ep, out, 4, 0));
	EXPECT(4, 0, send(c, "epol", 4, 0));
	EXPECT(1, 0, epoll_wait(ep, out, 4, 1000));
	NOTE("event %#x data %#llx", out[0].events, (unsigned long long)out[0].data.u64);
	/* Level triggered: still ready until read. */
	EXPECT(1, 0, epoll_wait(ep, out, 4, 0));
	EXPECT_DATA(4, 0, buf, recv(a, buf, sizeof(buf), 0));
	EXPECT(0, 0, epoll_wait(ep, out, 4, 20));

	/* Edge triggered: one report per arrival. */
	ev.events = EPOLLIN | EPOLLOUT | EPOLLET;
	ev.data.u64 = 7;
	EXPECT(0, 0, epoll_ctl(ep, EPOLL_CTL_MOD, a, &ev));
	EXPECT(1, 0, epoll_wait(ep, out, 4, 0));
	NOTE("event %#x data %llu", out[0].events, (unsigned long long)out[0].data.u64);
	EXPECT(0, 0, epoll_wait(ep, out, 4, 0));
	EXPECT(2, 0, send(c, "et", 2, 0));
	EXPECT(1, 0, epoll_wait(ep, out, 4, 1000));
	NOTE("event %#x data %llu", out[0].events, (unsigned long long)out[0].data.u64);
	EXPECT(0, 0, epoll_wait(ep, out, 4, 0));
	EXPECT_DATA(2, 0, buf, recv(a, buf, sizeof(buf), 0));

	/* Hang-up reported on the peer's shutdown. */
	EXPECT(0, 0, epoll_ctl(ep, EPOLL_CTL_DEL, a, NULL));
	ev.events = EPOLLIN | EPOLLRDHUP;
	ev.data.u64 = 9;
	EXPECT(0, 0, epoll_ctl(ep, EPOLL_CTL_ADD, c, &ev));
	EXPECT(0, 0, shutdown(a, SHUT_WR));
	EXPECT(1, 0, epoll_wait(ep, out, 4, 1000));
	NOTE("event %#x data %llu", out[0].events, (unsigned long long)out[0].data.u64);
	EXPECT(0, 0, epoll_ctl(ep, EPOLL_CTL_DEL, c, NULL));
	EXPECT(-1, ENOENT, epoll_ctl(ep, EPOLL_CTL_DEL, c, NULL));
	EXPECT(-1, EBADF, epoll_ctl(ep, EPOLL_CTL_ADD, UNUSED_FD, &ev));
	file = EXPECT(TR_FD, 0, open(path, O_RDWR | O_CREAT | O_EXCL, 0600));
	EXPECT(-1, EPERM, epoll_ctl(ep, EPOLL_CTL_ADD, file, &ev));
	EXPECT(-1, EINVAL, epoll_wait(ep, out, 0, 0));
	EXPECT(0, 0, close(file));
	EXPECT(0, 0, unlink(path));
	EXPECT(0, 0, close(ep));
}

static void fcntls(int c, int a)
{
	char buf[8] = "";

	EXPECT(O_RDWR, 0, fcntl(a, F_GETFL) & (O_ACCMODE | O_NONBLOCK));
	EXPECT(-1, EAGAIN, recv(a, buf, sizeof(buf), MSG_DONTWAIT));
	EXPECT(0, 0, fcntl(a, F_SETFL, fcntl(a, F_GETFL) | O_NONBLOCK));
	EXPECT(O_RDWR | O_NONBLOCK, 0, fcntl(a, F_GETFL) & (O_ACCMODE | O_NONBLOCK));
	EXPECT(-1, EAGAIN, recv(a, buf, sizeof(buf), 0));
	EXPECT(-1, EAGAIN, read(a, buf, sizeof(buf)));
	EXPECT(0, 0, fcntl(a, F_SETFL, fcntl(a, F_GETFL) & ~O_NONBLOCK));
	EXPECT(O_RDWR, 0, fcntl(a, F_GETFL) & (O_ACCMODE | O_NONBLOCK));
	EXPECT(0, 0, fcntl(c, F_GETFD));
	EXPECT(0, 0, fcntl(c, F_SETFD, FD_CLOEXEC));
	EXPECT(FD_CLOEXEC, 0, fcntl(c, F_GETFD));
	EXPECT(0, 0, fcntl(c, F_SETFD, 0));
	EXPECT(0, 0, fcntl(c, F_GETFD));
	EXPECT(-1, EBADF, fcntl(UNUSED_FD, F_GETFL));
}

static void nonblocking_connect(void)
{
	struct sockaddr_storage addr;
	socklen_t alen = tr_loopback(AF_INET, &addr, 0);
	struct pollfd p;
	int err = -1;
	socklen_t elen = sizeof(err);
	int s = -1, c = -1, a = -1;
	int rc = 0;

	s = EXPECT(TR_FD, 0, socket(AF_INET, SOCK_STREAM, 0));
	EXPECT(0, 0, bind(s, (struct sockaddr *)&addr, alen));
	EXPECT(0, 0, getsockname(s, (struct sockaddr *)&addr, &alen));
	EXPECT(0, 0, listen(s, 1));
	c = EXPECT(TR_FD, 0, socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0));
	/* Either outcome is legal on loopback; the transcript records the union. */
	errno = 0;
	rc = connect(c, (struct sockaddr *)&addr, alen);
	ASSERT(rc == 0 || errno == EINPROGRESS);
	p.fd = c;
	p.events = POLLOUT;
	p.revents = 0;
	EXPECT(1, 0, poll(&p, 1, 2000));
	NOTE("connect revents %#x", p.revents);
	EXPECT(0, 0, getsockopt(c, SOL_SOCKET, SO_ERROR, &err, &elen));
	ASSERT(err == 0);
	p.fd = s;
	p.events = POLLIN;
	EXPECT(1, 0, poll(&p, 1, 2000));
	a = EXPECT(TR_FD, 0, accept(s, NULL, NULL));
	EXPECT(0, 0, close(a));
	EXPECT(0, 0, close(c));
	EXPECT(0, 0, close(s));
}

int main(int argc, char **argv)
{
	const char *dir = tr_begin("ready", argc, argv);
	int c = -1, a = -1;

	fifo_poll(dir);
	unix_pair(dir, &c, &a);
	selecting(c, a);
	fcntls(c, a);
	epolling(dir, c, a);
	EXPECT(0, 0, close(c));
	EXPECT(0, 0, close(a));
	nonblocking_connect();
	return tr_end();
}
