/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Readiness: poll, select (converted to one poll RPC), epoll. Each wait is one RPC; the
 * shadow blocks in the host kernel on the host fds, while the TA waits for the answer with
 * the channel's spin-then-sleep doorbell, so a long wait does not burn CPU in the TA.
 */
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
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
		struct tzm_wire_pollfd w = { .fd = fds[i].fd, .events = fds[i].events };

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

/* ---- epoll: the TA's view of its registrations (Iago defence for epoll_wait) ---- */

struct ep_reg {
	int fd;
	uint32_t events; /* as registered, plus EPOLLERR | EPOLLHUP (always reported) */
	uint64_t data;
};

struct ep_set {
	unsigned refs; /* epoll descriptors sharing this set (dup) */
	size_t n, cap;
	struct ep_reg *reg;
};

static struct ep_set *ep_of[TZM_WIRE_MAX_FDS];

static struct ep_set *ep_get(int epfd)
{
	return epfd >= 0 && (unsigned)epfd < TZM_WIRE_MAX_FDS ? ep_of[epfd] : NULL;
}

static void ep_unref(struct ep_set *set)
{
	if (set && --set->refs == 0) {
		free(set->reg);
		free(set);
	}
}

static struct ep_reg *ep_find(struct ep_set *set, int fd)
{
	for (size_t i = 0; i < set->n; i++) {
		if (set->reg[i].fd == fd) {
			return &set->reg[i];
		}
	}
	return NULL;
}

static void ep_remove(struct ep_set *set, int fd)
{
	struct ep_reg *r = ep_find(set, fd);

	if (r) {
		*r = set->reg[--set->n];
	}
}

void tzm__ep_forget_fd(int fd)
{
	struct ep_set *own = ep_get(fd);

	if (own) {
		ep_of[fd] = NULL;
		ep_unref(own);
	}
	/* Linux drops the registration when the file is closed (DEL-before-close advice) */
	for (unsigned i = 0; i < TZM_WIRE_MAX_FDS; i++) {
		if (ep_of[i]) {
			ep_remove(ep_of[i], fd);
		}
	}
}

void tzm__ep_dup(int oldfd, int newfd)
{
	struct ep_set *set = ep_get(oldfd);

	if (set && newfd >= 0 && (unsigned)newfd < TZM_WIRE_MAX_FDS && newfd != oldfd) {
		tzm__ep_forget_fd(newfd);
		set->refs++;
		ep_of[newfd] = set;
	}
}

void tzm__ep_reset(void)
{
	for (unsigned i = 0; i < TZM_WIRE_MAX_FDS; i++) {
		struct ep_set *set = ep_of[i];

		ep_of[i] = NULL;
		ep_unref(set);
	}
}

int epoll_create1(int flags)
{
	struct tzm__call c;
	struct ep_set *set = calloc(1, sizeof(*set));
	int64_t r = 0;

	if (!set) {
		errno = ENOMEM;
		return -1;
	}
	tzm__begin(&c, TZM_OP_EPOLL_CREATE1);
	c.req.args[0] = flags;
	r = tzm__invoke(&c);
	if (r < 0 || tzm__fd_accept_new(&c, r) != 0) {
		free(set);
		return -1;
	}
	set->refs = 1;
	ep_of[r] = set;
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
	struct ep_set *set = ep_get(epfd);
	struct ep_reg *reg = NULL;

	if (op != EPOLL_CTL_DEL && !ev) {
		errno = EFAULT;
		return -1;
	}
	if (op != EPOLL_CTL_ADD && op != EPOLL_CTL_MOD && op != EPOLL_CTL_DEL) {
		errno = EINVAL;
		return -1;
	}
	/* room for the registration first: after the call there is no way back */
	if (set && op == EPOLL_CTL_ADD && set->n == set->cap) {
		size_t ncap = set->cap ? set->cap * 2 : 8;
		struct ep_reg *n = realloc(set->reg, ncap * sizeof(*n));

		if (!n) {
			errno = ENOMEM;
			return -1;
		}
		set->reg = n;
		set->cap = ncap;
	}
	tzm__begin(&c, TZM_OP_EPOLL_CTL);
	c.req.args[0] = epfd;
	c.req.args[1] = op;
	c.req.args[2] = fd;
	c.req.args[3] = ev ? ev->events : 0;
	c.req.args[4] = ev ? (int64_t)ev->data.u64 : 0;
	if (tzm__invoke(&c) < 0) {
		return -1;
	}
	if (!set) {
		return (int)tzm__malformed(&c, "epoll_ctl succeeded on a non-epoll descriptor");
	}
	reg = ep_find(set, fd);
	if (op == EPOLL_CTL_DEL) {
		ep_remove(set, fd);
		return 0;
	}
	if (op == EPOLL_CTL_ADD && !reg) {
		reg = &set->reg[set->n++];
		reg->fd = fd;
	} else if (!reg) {
		return (int)tzm__malformed(&c, "epoll_ctl modified an unknown registration");
	}
	reg->events = ev->events | EPOLLERR | EPOLLHUP;
	reg->data = ev->data.u64;
	return 0;
}

/* Events the TA may be told about for this data value: what it registered under it. */
static uint32_t ep_allowed(const struct ep_set *set, uint64_t data)
{
	uint32_t mask = 0;

	for (size_t i = 0; set && i < set->n; i++) {
		if (set->reg[i].data == data) {
			mask |= set->reg[i].events;
		}
	}
	return mask & ~(uint32_t)(EPOLLET | EPOLLONESHOT | EPOLLEXCLUSIVE | EPOLLWAKEUP);
}

int epoll_wait(int epfd, struct epoll_event *evs, int maxevents, int timeout)
{
	struct tzm__call c;
	struct tzm_wire_epoll_event w[TZM_WIRE_MAX_EVENTS];
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
	if (r > maxevents || c.resp.data_len != (uint64_t)r * sizeof(w[0])) {
		return (int)tzm__malformed(&c, "epoll event count");
	}
	memcpy(w, c.buf, c.resp.data_len); /* the only read of the events */
	for (int64_t i = 0; i < r; i++) {
		uint32_t allowed = ep_allowed(ep_get(epfd), w[i].data);

		/* an unregistered data value could be a pointer the TA never handed out */
		if (allowed == 0 || w[i].events == 0 || (w[i].events & ~allowed)) {
			return (int)tzm__malformed(&c, "epoll event not registered");
		}
	}
	for (int64_t i = 0; i < r; i++) {
		evs[i].events = w[i].events;
		evs[i].data.u64 = w[i].data;
	}
	return (int)r;
}

int epoll_pwait(int epfd, struct epoll_event *evs, int maxevents, int timeout, const sigset_t *ss)
{
	sigset_t old;
	int r = 0, e = 0;

	/* the mask for the duration of the wait, as ppoll (fsmeta.c) */
	if (ss && pthread_sigmask(SIG_SETMASK, ss, &old) != 0) {
		errno = EINVAL;
		return -1;
	}
	r = epoll_wait(epfd, evs, maxevents, timeout);
	e = errno;
	if (ss) {
		(void)pthread_sigmask(SIG_SETMASK, &old, NULL);
	}
	errno = e;
	return r;
}
