/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Readiness: poll, select (converted to one poll RPC), epoll. Each wait is one RPC; the
 * shadow blocks in the host kernel on the host fds, while the TA waits for the answer with
 * the channel's spin-then-sleep doorbell, so a long wait does not burn CPU in the TA.
 */
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/select.h>
#include <sys/time.h>

#include "tzm_int.h"

int poll(struct pollfd *fds, nfds_t nfds, int timeout)
{
	struct tzm__call c;
	int64_t r = 0;

	if (nfds > TZM_WIRE_MAX_POLLFDS || (nfds > 0 && !fds)) {
		errno = EINVAL;
		return -1;
	}
	tzm__begin(&c, TZM_OP_POLL);
	if (nfds * sizeof(struct tzm_wire_pollfd) > c.cap) {
		errno = EINVAL;
		return -1;
	}
	for (nfds_t i = 0; i < nfds; i++) {
		struct tzm_wire_pollfd w = {.fd = fds[i].fd, .events = fds[i].events};

		memcpy(c.buf + i * sizeof(w), &w, sizeof(w));
	}
	c.req.args[0] = (int64_t)nfds;
	c.req.args[1] = timeout;
	c.req.data_len = (uint32_t)(nfds * sizeof(struct tzm_wire_pollfd));
	r = tzm__invoke(&c);
	if (r < 0) {
		return -1;
	}
	if ((uint64_t)r > nfds || c.resp.data_len != nfds * sizeof(struct tzm_wire_pollfd)) {
		return (int)tzm__malformed(&c, "poll count");
	}
	{
		int64_t ready = 0;
		struct pollfd *tmp = nfds ? calloc(nfds, sizeof(*tmp)) : NULL;

		if (nfds && !tmp) {
			errno = ENOMEM;
			return -1;
		}
		for (nfds_t i = 0; i < nfds; i++) {
			struct tzm_wire_pollfd w;

			memcpy(&w, c.buf + i * sizeof(w), sizeof(w));
			/* revents may hold only requested events plus the always-reported ones */
			if (w.fd != fds[i].fd ||
			    (w.revents & ~(fds[i].events | POLLERR | POLLHUP | POLLNVAL)) ||
			    (fds[i].fd < 0 && w.revents)) {
				free(tmp);
				return (int)tzm__malformed(&c, "poll revents");
			}
			tmp[i] = fds[i];
			tmp[i].revents = w.revents;
			ready += w.revents != 0;
		}
		if (ready != r) {
			free(tmp);
			return (int)tzm__malformed(&c, "poll count mismatch");
		}
		for (nfds_t i = 0; i < nfds; i++) {
			fds[i].revents = tmp[i].revents;
		}
		free(tmp);
	}
	return (int)r;
}

int select(int nfds, fd_set *rd, fd_set *wr, fd_set *ex, struct timeval *tv)
{
	struct pollfd *pfd = NULL;
	int n = 0, timeout = -1, r = 0, count = 0;
	uint64_t start = 0;

	if (nfds < 0 || nfds > FD_SETSIZE) {
		errno = EINVAL;
		return -1;
	}
	if (tv) {
		if (tv->tv_sec < 0 || tv->tv_usec < 0 || tv->tv_usec >= 1000000) {
			errno = EINVAL;
			return -1;
		}
		timeout = tv->tv_sec > INT_MAX / 1000 - 1
				  ? INT_MAX
				  : (int)(tv->tv_sec * 1000 + (tv->tv_usec + 999) / 1000);
		start = tzm__monotonic_ns();
	}
	pfd = calloc((size_t)(nfds ? nfds : 1), sizeof(*pfd));
	if (!pfd) {
		errno = ENOMEM;
		return -1;
	}
	for (int fd = 0; fd < nfds; fd++) {
		short ev = 0;

		if (rd && FD_ISSET(fd, rd)) {
			ev |= POLLIN;
		}
		if (wr && FD_ISSET(fd, wr)) {
			ev |= POLLOUT;
		}
		if (ex && FD_ISSET(fd, ex)) {
			ev |= POLLPRI;
		}
		if (ev) {
			pfd[n].fd = fd;
			pfd[n].events = ev;
			n++;
		}
	}
	r = poll(pfd, (nfds_t)n, timeout);
	if (r < 0) {
		free(pfd);
		return -1;
	}
	for (int i = 0; i < n; i++) {
		if (pfd[i].revents & POLLNVAL) {
			free(pfd);
			errno = EBADF;
			return -1;
		}
	}
	if (rd) {
		FD_ZERO(rd);
	}
	if (wr) {
		FD_ZERO(wr);
	}
	if (ex) {
		FD_ZERO(ex);
	}
	for (int i = 0; i < n; i++) {
		short re = pfd[i].revents;

		if (rd && (pfd[i].events & POLLIN) && (re & (POLLIN | POLLHUP | POLLERR))) {
			FD_SET(pfd[i].fd, rd);
			count++;
		}
		if (wr && (pfd[i].events & POLLOUT) && (re & (POLLOUT | POLLERR))) {
			FD_SET(pfd[i].fd, wr);
			count++;
		}
		if (ex && (pfd[i].events & POLLPRI) && (re & POLLPRI)) {
			FD_SET(pfd[i].fd, ex);
			count++;
		}
	}
	free(pfd);
	if (tv) {
		/* Linux updates the timeout to the time not slept */
		uint64_t el = (tzm__monotonic_ns() - start) / 1000;
		uint64_t tot = (uint64_t)tv->tv_sec * 1000000u + (uint64_t)tv->tv_usec;
		uint64_t left = el >= tot ? 0 : tot - el;

		tv->tv_sec = (time_t)(left / 1000000u);
		tv->tv_usec = (suseconds_t)(left % 1000000u);
	}
	return count;
}

int epoll_create1(int flags)
{
	struct tzm__call c;
	int64_t r = 0;

	tzm__begin(&c, TZM_OP_EPOLL_CREATE1);
	c.req.args[0] = flags;
	r = tzm__invoke(&c);
	if (r < 0 || tzm__fd_accept_new(&c, r) != 0) {
		return -1;
	}
	return (int)r;
}

int epoll_create(int size)
{
	if (size <= 0) {
		errno = EINVAL;
		return -1;
	}
	return epoll_create1(0);
}

int epoll_ctl(int epfd, int op, int fd, struct epoll_event *ev)
{
	struct tzm__call c;

	if (op != EPOLL_CTL_DEL && !ev) {
		errno = EFAULT;
		return -1;
	}
	tzm__begin(&c, TZM_OP_EPOLL_CTL);
	c.req.args[0] = epfd;
	c.req.args[1] = op;
	c.req.args[2] = fd;
	c.req.args[3] = ev ? ev->events : 0;
	c.req.args[4] = ev ? (int64_t)ev->data.u64 : 0;
	return tzm__invoke(&c) < 0 ? -1 : 0;
}

int epoll_wait(int epfd, struct epoll_event *evs, int maxevents, int timeout)
{
	struct tzm__call c;
	int64_t r = 0;

	if (maxevents <= 0 || maxevents > (int)TZM_WIRE_MAX_EVENTS || !evs) {
		errno = EINVAL;
		return -1;
	}
	tzm__begin(&c, TZM_OP_EPOLL_WAIT);
	c.req.args[0] = epfd;
	c.req.args[1] = maxevents;
	c.req.args[2] = timeout;
	r = tzm__invoke(&c);
	if (r < 0) {
		return -1;
	}
	if (r > maxevents || c.resp.data_len != (uint64_t)r * sizeof(struct tzm_wire_epoll_event)) {
		return (int)tzm__malformed(&c, "epoll event count");
	}
	for (int64_t i = 0; i < r; i++) {
		struct tzm_wire_epoll_event w;

		memcpy(&w, c.buf + i * (int64_t)sizeof(w), sizeof(w));
		evs[i].events = w.events;
		evs[i].data.u64 = w.data;
	}
	return (int)r;
}

int epoll_pwait(int epfd, struct epoll_event *evs, int maxevents, int timeout,
		const sigset_t *ss)
{
	(void)ss; /* TAs have no signals */
	return epoll_wait(epfd, evs, maxevents, timeout);
}
