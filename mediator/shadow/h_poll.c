/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Shadow handlers for readiness: poll (TA fds mapped to host fds; unknown fds report
 * POLLNVAL like the kernel) and epoll (a host epoll instance per TA epoll fd; the TA's
 * 64-bit data word is carried through the host kernel untouched). Waits block here, in the
 * normal world; a cancellation signal interrupts them with EINTR.
 */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>

#include "shadow.h"

void tzm__h_POLL(struct tzm_shadow *s, const struct tzm_wire_req *rq, uint8_t *buf, size_t cap,
		 struct tzm_wire_resp *rs)
{
	struct tzm_wire_pollfd *w = NULL;
	struct pollfd *p = NULL;
	size_t n = 0;
	int r = 0, ready = 0;

	(void)cap;
	if (rq->args[0] < 0 || rq->args[0] > (int64_t)TZM_WIRE_MAX_POLLFDS ||
	    (uint64_t)rq->args[0] * sizeof(*w) != rq->data_len) {
		tzm__set_err(rs, EINVAL);
		return;
	}
	n = (size_t)rq->args[0];
	w = calloc(n ? n : 1, sizeof(*w));
	p = calloc(n ? n : 1, sizeof(*p));
	if (!w || !p) {
		tzm__set_err(rs, ENOMEM);
		goto out;
	}
	memcpy(w, buf, n * sizeof(*w)); /* one read of the shared array */
	for (size_t i = 0; i < n; i++) {
		p[i].fd = -1;
		p[i].events = w[i].events;
		if (w[i].fd >= 0 && (unsigned)w[i].fd < TZM_WIRE_MAX_FDS &&
		    s->fds[w[i].fd].kind != SFD_FREE) {
			p[i].fd = s->fds[w[i].fd].host;
		}
	}
	r = poll(p, n, rq->args[1] < -1 || rq->args[1] > 0x7fffffff ? -1 : (int)rq->args[1]);
	if (r < 0) {
		tzm__set_ret(rs, -1);
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		if (w[i].fd < 0) {
			w[i].revents = 0;
		} else if (p[i].fd < 0) {
			w[i].revents = POLLNVAL;
		} else {
			w[i].revents = (int16_t)(p[i].revents &
						 (w[i].events | POLLERR | POLLHUP | POLLNVAL));
		}
		ready += w[i].revents != 0;
	}
	/* a TA fd number unknown to us: report it at once, like the kernel does */
	memcpy(buf, w, n * sizeof(*w));
	rs->data_len = (uint32_t)(n * sizeof(*w));
	tzm__set_ret(rs, ready);
out:
	free(w);
	free(p);
}

void tzm__h_EPOLL_CREATE1(struct tzm_shadow *s, const struct tzm_wire_req *rq, uint8_t *buf,
			  size_t cap, struct tzm_wire_resp *rs)
{
	(void)buf;
	(void)cap;
	if (rq->args[0] & ~(int64_t)EPOLL_CLOEXEC) {
		tzm__set_err(rs, EINVAL);
		return;
	}
	(void)tzm__sfd_answer(s, epoll_create1(EPOLL_CLOEXEC), SFD_EPOLL,
			      (rq->args[0] & EPOLL_CLOEXEC) != 0, rs);
}

void tzm__h_EPOLL_CTL(struct tzm_shadow *s, const struct tzm_wire_req *rq, uint8_t *buf, size_t cap,
		      struct tzm_wire_resp *rs)
{
	struct tzm__sfd *ep = tzm__sfd_get(s, rq->args[0], rs);
	struct tzm__sfd *f = NULL;
	struct epoll_event ev;
	const uint32_t ok = EPOLLIN | EPOLLOUT | EPOLLPRI | EPOLLERR | EPOLLHUP | EPOLLRDHUP |
			    EPOLLET | EPOLLONESHOT | EPOLLEXCLUSIVE;

	(void)buf;
	(void)cap;
	if (!ep) {
		return;
	}
	f = tzm__sfd_get(s, rq->args[2], rs);
	if (!f) {
		return;
	}
	if (ep->kind != SFD_EPOLL) {
		tzm__set_err(rs, EINVAL);
		return;
	}
	if ((uint64_t)rq->args[3] & ~(uint64_t)ok) {
		tzm__set_err(rs, EINVAL);
		return;
	}
	memset(&ev, 0, sizeof(ev));
	ev.events = (uint32_t)rq->args[3];
	ev.data.u64 = (uint64_t)rq->args[4];
	tzm__set_ret(rs, epoll_ctl(ep->host, (int)rq->args[1], f->host, &ev));
}

void tzm__h_EPOLL_WAIT(struct tzm_shadow *s, const struct tzm_wire_req *rq, uint8_t *buf,
		       size_t cap, struct tzm_wire_resp *rs)
{
	struct tzm__sfd *ep = tzm__sfd_get(s, rq->args[0], rs);
	struct epoll_event evs[TZM_WIRE_MAX_EVENTS];
	int n = 0;

	if (!ep) {
		return;
	}
	if (ep->kind != SFD_EPOLL) {
		tzm__set_err(rs, EINVAL);
		return;
	}
	if (rq->args[1] <= 0 || rq->args[1] > (int64_t)TZM_WIRE_MAX_EVENTS ||
	    (uint64_t)rq->args[1] * sizeof(struct tzm_wire_epoll_event) > cap) {
		tzm__set_err(rs, EINVAL);
		return;
	}
	n = epoll_wait(ep->host, evs, (int)rq->args[1],
		       rq->args[2] < -1 || rq->args[2] > 0x7fffffff ? -1 : (int)rq->args[2]);
	if (n < 0) {
		tzm__set_ret(rs, -1);
		return;
	}
	for (int i = 0; i < n; i++) {
		struct tzm_wire_epoll_event w = { .events = evs[i].events,
						  .data = evs[i].data.u64 };

		memcpy(buf + (size_t)i * sizeof(w), &w, sizeof(w));
	}
	rs->data_len = (uint32_t)((size_t)n * sizeof(struct tzm_wire_epoll_event));
	tzm__set_ret(rs, n);
}
