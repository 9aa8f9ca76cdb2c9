/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Differential test: event descriptors and waits with a signal mask. eventfd (counter and
 * semaphore modes, EAGAIN, EINVAL on short reads and the overflow value, eventfd_read/
 * eventfd_write, poll readiness, close-on-exec), timerfd_create/settime/gettime (relative
 * and absolute one-shot timers, periodic timers, disarming, EINVAL for bad clocks, flags,
 * values and non-timer descriptors; expirations read as 8-byte counts), ppoll and pselect
 * (timeouts, readiness, EINVAL, the signal mask restored afterwards).
 */
#include "tr.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/select.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

static void events(void)
{
	struct pollfd pfd;
	eventfd_t v = 0;
	uint64_t big = UINT64_MAX, n = 0;
	uint32_t small = 0;
	int fd = -1, sem = -1;

	EXPECT(TR_FD, 0, fd = eventfd(3, 0));
	EXPECT(8, 0, read(fd, &n, sizeof(n)));
	EXPECT(3, 0, (long)n);
	EXPECT(0, 0, fcntl(fd, F_GETFD));
	EXPECT(0, 0, fcntl(fd, F_SETFL, O_NONBLOCK));
	EXPECT(-1, EAGAIN, read(fd, &n, sizeof(n)));
	EXPECT(0, 0, eventfd_write(fd, 5));
	EXPECT(0, 0, eventfd_write(fd, 2));
	pfd.fd = fd;
	pfd.events = POLLIN;
	pfd.revents = 0;
	EXPECT(1, 0, poll(&pfd, 1, 1000));
	EXPECT(POLLIN | POLLOUT, 0, pfd.revents | POLLOUT);
	EXPECT(0, 0, eventfd_read(fd, &v));
	EXPECT(7, 0, (long)v);
	EXPECT(-1, EAGAIN, eventfd_read(fd, &v));
	EXPECT(-1, EINVAL, write(fd, &big, sizeof(big)));
	EXPECT(-1, EINVAL, read(fd, &small, sizeof(small)));
	EXPECT(0, 0, close(fd));

	EXPECT(TR_FD, 0, sem = eventfd(2, EFD_SEMAPHORE | EFD_NONBLOCK | EFD_CLOEXEC));
	EXPECT(FD_CLOEXEC, 0, fcntl(sem, F_GETFD));
	EXPECT(0, 0, eventfd_read(sem, &v));
	EXPECT(1, 0, (long)v);
	EXPECT(0, 0, eventfd_read(sem, &v));
	EXPECT(1, 0, (long)v);
	EXPECT(-1, EAGAIN, eventfd_read(sem, &v));
	EXPECT(0, 0, close(sem));
	EXPECT(-1, EINVAL, eventfd(0, 0x40000000));
}

static long long mono_ns(void)
{
	struct timespec t = { 0, 0 };

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (long long)t.tv_sec * 1000000000LL + t.tv_nsec;
}

static void timers(void)
{
	struct itimerspec it, cur;
	struct pollfd pfd;
	struct timespec now;
	uint64_t count = 0;
	int fd = -1, efd = -1;

	EXPECT(TR_FD, 0, fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC));
	EXPECT(FD_CLOEXEC, 0, fcntl(fd, F_GETFD));
	EXPECT(-1, EAGAIN, read(fd, &count, sizeof(count)));
	EXPECT(0, 0, timerfd_gettime(fd, &cur));
	EXPECT(0, 0, cur.it_value.tv_sec + cur.it_value.tv_nsec + cur.it_interval.tv_sec);
	memset(&it, 0, sizeof(it));
	it.it_value.tv_nsec = 20 * 1000 * 1000;
	EXPECT(0, 0, timerfd_settime(fd, 0, &it, &cur));
	EXPECT(0, 0, cur.it_value.tv_sec + cur.it_value.tv_nsec); /* was disarmed */
	EXPECT(0, 0, timerfd_gettime(fd, &cur));
	ASSERT(cur.it_value.tv_sec == 0 && cur.it_value.tv_nsec <= 20 * 1000 * 1000);
	pfd.fd = fd;
	pfd.events = POLLIN;
	pfd.revents = 0;
	EXPECT(1, 0, poll(&pfd, 1, 5000));
	EXPECT(8, 0, read(fd, &count, sizeof(count)));
	EXPECT(1, 0, (long)count);
	EXPECT(-1, EAGAIN, read(fd, &count, sizeof(count)));

	/* periodic: 5 ms; the count read is whatever expired, at least one */
	it.it_value.tv_nsec = 5 * 1000 * 1000;
	it.it_interval.tv_nsec = 5 * 1000 * 1000;
	EXPECT(0, 0, timerfd_settime(fd, 0, &it, NULL));
	EXPECT(1, 0, poll(&pfd, 1, 5000));
	EXPECT(8, 0, read(fd, &count, sizeof(count)));
	ASSERT(count >= 1);
	EXPECT(0, 0, timerfd_gettime(fd, &cur));
	EXPECT(5000000, 0, cur.it_interval.tv_nsec);
	memset(&it, 0, sizeof(it));
	EXPECT(0, 0, timerfd_settime(fd, 0, &it, &cur)); /* disarm */
	EXPECT(5000000, 0, cur.it_interval.tv_nsec);
	EXPECT(0, 0, timerfd_gettime(fd, &cur));
	EXPECT(0, 0, cur.it_value.tv_sec + cur.it_value.tv_nsec);

	/* absolute: 10 ms from now on the same clock */
	EXPECT(0, 0, clock_gettime(CLOCK_MONOTONIC, &now));
	it.it_value = now;
	it.it_value.tv_nsec += 10 * 1000 * 1000;
	if (it.it_value.tv_nsec >= 1000000000) {
		it.it_value.tv_sec++;
		it.it_value.tv_nsec -= 1000000000;
	}
	EXPECT(0, 0, timerfd_settime(fd, TFD_TIMER_ABSTIME, &it, NULL));
	EXPECT(0, 0, fcntl(fd, F_SETFL, 0)); /* blocking read waits for the expiry */
	EXPECT(8, 0, read(fd, &count, sizeof(count)));
	EXPECT(1, 0, (long)count);
	ASSERT(mono_ns() >= (long long)it.it_value.tv_sec * 1000000000LL + it.it_value.tv_nsec);
	it.it_value.tv_nsec = 1000000000;
	EXPECT(-1, EINVAL, timerfd_settime(fd, 0, &it, NULL));
	it.it_value.tv_nsec = 1;
	EXPECT(-1, EINVAL, timerfd_settime(fd, 0x100, &it, NULL));
	EXPECT(0, 0, close(fd));
	EXPECT(-1, EBADF, timerfd_gettime(fd, &cur));
	EXPECT(-1, EINVAL, timerfd_create(12345, 0));
	EXPECT(-1, EINVAL, timerfd_create(CLOCK_MONOTONIC, 0x1));
	EXPECT(TR_FD, 0, efd = eventfd(0, 0));
	EXPECT(-1, EINVAL, timerfd_settime(efd, 0, &it, NULL));
	EXPECT(0, 0, close(efd));
	EXPECT(TR_FD, 0, fd = timerfd_create(CLOCK_REALTIME, 0));
	EXPECT(0, 0, close(fd));
}

static int blocked(int sig)
{
	sigset_t cur;

	sigemptyset(&cur);
	pthread_sigmask(SIG_BLOCK, NULL, &cur);
	return sigismember(&cur, sig);
}

static void masked_waits(void)
{
	struct timespec zero = { 0, 0 }, short_wait = { 0, 5 * 1000 * 1000 },
			bad = { 0, 2000000000 };
	struct pollfd pfd;
	sigset_t mask;
	fd_set rd;
	int p[2] = { -1, -1 };

	EXPECT(0, 0, pipe(p));
	pfd.fd = p[0];
	pfd.events = POLLIN;
	pfd.revents = 0;
	sigemptyset(&mask);
	sigaddset(&mask, SIGUSR1);
	EXPECT(0, 0, blocked(SIGUSR1));
	EXPECT(0, 0, ppoll(&pfd, 1, &zero, NULL));
	EXPECT(0, 0, ppoll(&pfd, 1, &short_wait, &mask));
	EXPECT(0, 0, blocked(SIGUSR1)); /* the mask was restored */
	EXPECT(1, 0, write(p[1], "x", 1));
	EXPECT(1, 0, ppoll(&pfd, 1, NULL, &mask));
	EXPECT(POLLIN, 0, pfd.revents);
	EXPECT(-1, EINVAL, ppoll(&pfd, 1, &bad, NULL));

	FD_ZERO(&rd);
	FD_SET(p[0], &rd);
	EXPECT(1, 0, pselect(p[0] + 1, &rd, NULL, NULL, &zero, &mask));
	EXPECT(1, 0, FD_ISSET(p[0], &rd) != 0);
	EXPECT(0, 0, blocked(SIGUSR1));
	{
		char c = 0;

		EXPECT(1, 0, read(p[0], &c, 1));
	}
	FD_ZERO(&rd);
	FD_SET(p[0], &rd);
	EXPECT(0, 0, pselect(p[0] + 1, &rd, NULL, NULL, &short_wait, NULL));
	EXPECT(0, 0, FD_ISSET(p[0], &rd) != 0);
	EXPECT(-1, EINVAL, pselect(p[0] + 1, &rd, NULL, NULL, &bad, NULL));
	EXPECT(0, 0, close(p[0]) + close(p[1]));
}

int main(int argc, char **argv)
{
	(void)tr_begin("events", argc, argv);
	events();
	timers();
	masked_waits();
	return tr_end();
}
