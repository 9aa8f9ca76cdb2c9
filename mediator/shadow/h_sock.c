/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Shadow handlers for sockets and name resolution. Addresses are copied out of shared
 * memory into a local sockaddr_storage before the policy looks at them. UNIX path names
 * are resolved like files (parent directory under an allowed root, then the final name
 * through /proc/self/fd/<dirfd>/name), so a symlinked or `..` path cannot escape; the
 * TA-visible name is remembered for getsockname. Writes use MSG_NOSIGNAL: a vanished peer
 * gives the TA EPIPE, never a SIGPIPE in the shadow.
 */
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "shadow.h"

static bool get_addr(const uint8_t *buf, size_t len, struct sockaddr_storage *ss, socklen_t *sl,
		     struct tzm_wire_resp *rs)
{
	if (len > sizeof(*ss) || len > TZM_WIRE_MAX_SOCKADDR || len < sizeof(sa_family_t)) {
		tzm__set_err(rs, EINVAL);
		return false;
	}
	memset(ss, 0, sizeof(*ss));
	memcpy(ss, buf, len);
	*sl = (socklen_t)len;
	return true;
}

/* The address of a received datagram's source, in the compact form kept per socket. */
static bool peer_of(const struct sockaddr_storage *ss, socklen_t sl, struct tzm__peer *p)
{
	memset(p, 0, sizeof(*p));
	if (ss->ss_family == AF_INET && sl >= sizeof(struct sockaddr_in)) {
		const struct sockaddr_in *in = (const struct sockaddr_in *)ss;

		p->family = AF_INET;
		p->port = in->sin_port;
		memcpy(p->addr, &in->sin_addr, 4);
		return true;
	}
	if (ss->ss_family == AF_INET6 && sl >= sizeof(struct sockaddr_in6)) {
		const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)ss;

		p->family = AF_INET6;
		p->port = in6->sin6_port;
		memcpy(p->addr, &in6->sin6_addr, 16);
		return true;
	}
	return false;
}

static void remember_source(struct tzm__sfd *f, const struct sockaddr_storage *ss, socklen_t sl)
{
	struct tzm__peer p;
	struct tzm__replies *r = f->replies;

	if (!peer_of(ss, sl, &p)) {
		return;
	}
	if (!r) {
		r = f->replies = calloc(1, sizeof(*r));
		if (!r) {
			return; /* replies then need a connect rule, as without udp_reply */
		}
	}
	for (unsigned i = 0; i < r->n; i++) {
		if (memcmp(&r->peer[i], &p, sizeof(p)) == 0) {
			return;
		}
	}
	r->peer[r->next] = p; /* the oldest source makes room */
	r->next = (r->next + 1) % TZM__REPLY_SLOTS;
	if (r->n < TZM__REPLY_SLOTS) {
		r->n++;
	}
}

static bool is_recent_source(const struct tzm__sfd *f, const struct sockaddr_storage *ss,
			     socklen_t sl)
{
	struct tzm__peer p;

	if (!f->replies || !peer_of(ss, sl, &p)) {
		return false;
	}
	for (unsigned i = 0; i < f->replies->n; i++) {
		if (memcmp(&f->replies->peer[i], &p, sizeof(p)) == 0) {
			return true;
		}
	}
	return false;
}

static void inet_text(const struct sockaddr *sa, socklen_t sl, char *host, size_t hl, char *serv,
		      size_t svl)
{
	if (getnameinfo(sa, sl, host, (socklen_t)hl, serv, (socklen_t)svl,
			NI_NUMERICHOST | NI_NUMERICSERV) != 0) {
		snprintf(host, hl, "?");
		snprintf(serv, svl, "?");
	}
}

/*
 * Rewrites a UNIX address for the host after the policy check, or checks an inet address
 * against the network rules. bind: the parent directory is resolved under the rule and
 * the name is created as /proc/self/fd/<dir>/<name>. connect/sendto: the socket file is
 * opened once with O_PATH under the rule (no symlink leaving the tree is followed, and
 * it must be a socket) and addressed as /proc/self/fd/<that fd>: the inode checked is the
 * inode connected to, whatever is renamed or swapped in meanwhile. *pathfd receives the
 * fd to close after the call (or -1). Returns 0 or -errno.
 */
static int check_addr(struct tzm_shadow *s, struct tzm__sfd *f, struct sockaddr_storage *ss,
		      socklen_t *sl, bool bind, int *pathfd, char *ta_path, size_t ta_len)
{
	*pathfd = -1;
	if (ss->ss_family == AF_UNIX) {
		struct sockaddr_un *un = (struct sockaddr_un *)ss;
		char path[sizeof(un->sun_path) + 1], base[NAME_MAX + 1];
		char abs[TZM_WIRE_MAX_PATH + PATH_MAX];
		size_t plen = 0;
		int n = 0, fd = -1;

		if (bind && *sl == offsetof(struct sockaddr_un, sun_path)) {
			/* autobind: the kernel picks an abstract name; only `unix @*` allows any */
			if (tzm_policy_abstract(s->pol, "", 0) != 0) {
				tzm_policy_deny_log(s->pol, "bind UNIX autobind (a kernel-chosen "
							    "abstract name needs `unix @*`)");
				return -EACCES;
			}
			return 0;
		}
		/*
		 * Linux's own rule (unix_validate_addr), and the bound of path[]: the wire
		 * allows TZM_WIRE_MAX_SOCKADDR bytes, more than a sockaddr_un.
		 */
		if (*sl <= offsetof(struct sockaddr_un, sun_path) ||
		    *sl > sizeof(struct sockaddr_un)) {
			return -EINVAL;
		}
		plen = *sl - offsetof(struct sockaddr_un, sun_path);
		if (un->sun_path[0] == '\0') { /* abstract name */
			if (tzm_policy_abstract(s->pol, un->sun_path + 1, plen - 1) != 0) {
				tzm_policy_deny_log(s->pol, "%s abstract UNIX name @%.*s",
						    bind ? "bind" : "connect", (int)(plen - 1),
						    un->sun_path + 1);
				return bind ? -EACCES : -EPERM;
			}
			return 0;
		}
		memcpy(path, un->sun_path, plen);
		path[plen] = '\0';
		if (ta_path) {
			snprintf(ta_path, ta_len, "%s", path);
		}
		if (bind) {
			fd = tzm__resolve_create(s, AT_FDCWD, path, TZM__K(UNIX), base,
						 sizeof(base), "bind");
			if (fd == -EEXIST) {
				return -EADDRINUSE; /* the rule's root directory itself */
			}
		} else {
			fd = tzm__abs_path(s, AT_FDCWD, path, abs, sizeof(abs));
			if (fd == 0) {
				fd = tzm_policy_open(s->pol, "connect", abs, true, TZM__K(UNIX),
						     O_PATH | O_CLOEXEC, 0);
			}
		}
		if (fd < 0) {
			return fd;
		}
		memset(un->sun_path, 0, sizeof(un->sun_path));
		n = bind ? snprintf(un->sun_path, sizeof(un->sun_path), "/proc/self/fd/%d/%s", fd,
				    base)
			 : snprintf(un->sun_path, sizeof(un->sun_path), "/proc/self/fd/%d", fd);
		if (n < 0 || (size_t)n >= sizeof(un->sun_path)) {
			close(fd);
			return -ENAMETOOLONG;
		}
		*pathfd = fd; /* the caller's, to close after the call */
		*sl = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + (size_t)n + 1);
		return 0;
	}
	if (ss->ss_family == AF_INET || ss->ss_family == AF_INET6) {
		int proto = f && f->sock_type == SOCK_DGRAM ? IPPROTO_UDP : IPPROTO_TCP;

		if (!bind && proto == IPPROTO_UDP && tzm_policy_udp_reply(s->pol) &&
		    is_recent_source(f, ss, *sl)) {
			return 0; /* answering a source this socket received from */
		}
		if (tzm_policy_net(s->pol, proto, bind, (struct sockaddr *)ss, *sl) != 0) {
			char host[INET6_ADDRSTRLEN + 8], serv[16];

			inet_text((struct sockaddr *)ss, *sl, host, sizeof(host), serv,
				  sizeof(serv));
			tzm_policy_deny_log(s->pol, "%s %s %s port %s", bind ? "bind" : "connect",
					    proto == IPPROTO_UDP ? "udp" : "tcp", host, serv);
			return bind ? -EACCES : -EPERM;
		}
		return 0;
	}
	return -EAFNOSUPPORT;
}

/* Whether an inet socket has no local port yet (the next listen/sendto would bind it). */
static bool inet_unbound(struct tzm__sfd *f)
{
	struct sockaddr_storage ss;
	socklen_t sl = sizeof(ss);
	struct tzm__peer p;

	if (f->inet_bound || (f->sock_domain != AF_INET && f->sock_domain != AF_INET6)) {
		return false;
	}
	memset(&ss, 0, sizeof(ss));
	if (getsockname(f->host, (struct sockaddr *)&ss, &sl) != 0 || !peer_of(&ss, sl, &p)) {
		return false; /* the call itself will report the error */
	}
	f->inet_bound = p.port != 0;
	return p.port == 0;
}

static socklen_t wildcard_of(int family, struct sockaddr_storage *ss)
{
	memset(ss, 0, sizeof(*ss));
	ss->ss_family = (sa_family_t)family;
	return family == AF_INET ? sizeof(struct sockaddr_in) : sizeof(struct sockaddr_in6);
}

/*
 * The local address the kernel routes dest from, port 0: the name of a connected UDP
 * socket (nothing is sent). 0, 1 when there is none of the family, or -errno.
 */
static int source_for(int family, const struct sockaddr_storage *dest, socklen_t dlen,
		      struct sockaddr_storage *local, socklen_t *ll)
{
	int probe = socket(family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	int rc = 1;

	if (probe < 0) {
		return -errno; /* not a denial: the shadow could not look */
	}
	memset(local, 0, sizeof(*local));
	*ll = sizeof(*local);
	if (connect(probe, (const struct sockaddr *)dest, dlen) == 0 &&
	    getsockname(probe, (struct sockaddr *)local, ll) == 0 && local->ss_family == family) {
		if (family == AF_INET) {
			((struct sockaddr_in *)local)->sin_port = 0;
		} else {
			((struct sockaddr_in6 *)local)->sin6_port = 0;
		}
		rc = 0;
	}
	close(probe);
	return rc;
}

static int bind_for_ta(struct tzm__sfd *f, const struct sockaddr_storage *ss, socklen_t sl)
{
	if (bind(f->host, (const struct sockaddr *)ss, sl) != 0) {
		return -errno;
	}
	f->inet_bound = true;
	return 0;
}

/*
 * An implicit bind (listen, or sendto on an unbound UDP socket) is checked as the bind the
 * kernel would do: the wildcard address with a kernel-chosen port (port 0). If the bind
 * rules allow it, the shadow does that bind itself; for sendto, if they allow only the
 * local address the kernel routes `dest` from, the socket is bound to that address (port
 * 0) instead, which exposes less. Otherwise the call is denied (EACCES, one log line).
 * Returns 0 or -errno.
 */
static int implicit_bind(struct tzm_shadow *s, struct tzm__sfd *f, int proto, const char *what,
			 const struct sockaddr_storage *dest, socklen_t dlen)
{
	struct sockaddr_storage any, local;
	socklen_t al = wildcard_of(f->sock_domain, &any), ll = 0;
	char host[INET6_ADDRSTRLEN + 8], serv[16];
	int rc = 0;

	if (tzm_policy_net(s->pol, proto, true, (struct sockaddr *)&any, al) == 0) {
		return bind_for_ta(f, &any, al);
	}
	if (dest) {
		rc = source_for(f->sock_domain, dest, dlen, &local, &ll);
		if (rc < 0) {
			return rc;
		}
		if (rc == 0 &&
		    tzm_policy_net(s->pol, proto, true, (struct sockaddr *)&local, ll) == 0) {
			return bind_for_ta(f, &local, ll);
		}
	}
	inet_text((struct sockaddr *)&any, al, host, sizeof(host), serv, sizeof(serv));
	tzm_policy_deny_log(s->pol,
			    "%s %s on an unbound socket: implicit bind to %s port 0 "
			    "(kernel-chosen) not allowed by a bind rule",
			    what, proto == IPPROTO_UDP ? "udp" : "tcp", host);
	return -EACCES;
}

void tzm__h_SOCKET(struct tzm_shadow *s, const struct tzm_wire_req *rq, uint8_t *buf, size_t cap,
		   struct tzm_wire_resp *rs)
{
	int dom = (int)rq->args[0], type = (int)rq->args[1], proto = (int)rq->args[2];
	int base = type & ~(SOCK_NONBLOCK | SOCK_CLOEXEC);
	int ta = -1;

	(void)buf;
	(void)cap;
	if (dom != AF_UNIX && dom != AF_INET && dom != AF_INET6) {
		tzm__set_err(rs, EAFNOSUPPORT);
		return;
	}
	if (base != SOCK_STREAM && base != SOCK_DGRAM && base != SOCK_SEQPACKET) {
		tzm__set_err(rs, dom == AF_UNIX ? ESOCKTNOSUPPORT : EPROTONOSUPPORT);
		return;
	}
	ta = tzm__sfd_answer(s, socket(dom, type | SOCK_CLOEXEC, proto), SFD_SOCK,
			     (type & SOCK_CLOEXEC) != 0, rs);
	if (ta >= 0) {
		s->fds[ta].sock_type = base;
		s->fds[ta].sock_domain = dom;
	}
}

void tzm__h_SOCKETPAIR(struct tzm_shadow *s, const struct tzm_wire_req *rq, uint8_t *buf,
		       size_t cap, struct tzm_wire_resp *rs)
{
	int type = (int)rq->args[1];
	int base = type & ~(SOCK_NONBLOCK | SOCK_CLOEXEC);
	int sv[2] = { -1, -1 }, ta[2] = { -1, -1 };

	(void)buf;
	(void)cap;
	if (rq->args[0] != AF_UNIX) {
		tzm__set_err(rs, EAFNOSUPPORT);
		return;
	}
	if (socketpair(AF_UNIX, type | SOCK_CLOEXEC, (int)rq->args[2], sv) != 0) {
		tzm__set_ret(rs, -1);
		return;
	}
	if (tzm__sfd_answer_pair(s, sv, SFD_SOCK, (type & SOCK_CLOEXEC) != 0, rs, ta) == 0) {
		s->fds[ta[0]].sock_type = s->fds[ta[1]].sock_type = base;
		s->fds[ta[0]].sock_domain = s->fds[ta[1]].sock_domain = AF_UNIX;
	}
}

static void addr_op(struct tzm_shadow *s, const struct tzm_wire_req *rq, const uint8_t *buf,
		    struct tzm_wire_resp *rs, bool is_bind)
{
	struct tzm__sfd *f = tzm__sfd_get(s, rq->args[0], rs);
	struct sockaddr_storage ss;
	char ta_path[sizeof(((struct sockaddr_un *)0)->sun_path) + 1] = "";
	char *name = NULL;
	struct tzm__unlocked u;
	socklen_t sl = 0;
	int dirfd = -1, rc = 0, r = 0;

	if (!f || !get_addr(buf, rq->data_len, &ss, &sl, rs)) {
		return;
	}
	if (f->kind != SFD_SOCK) {
		tzm__set_err(rs, ENOTSOCK);
		return;
	}
	/*
	 * connect's own implicit bind (an ephemeral port of a client) is not checked: a
	 * connected socket only exchanges data with its peer. A disconnect (AF_UNSPEC) may
	 * unbind the socket: forget what we knew.
	 */
	if (!is_bind) {
		f->inet_bound = false;
	}
	rc = check_addr(s, f, &ss, &sl, is_bind, &dirfd, ta_path, sizeof(ta_path));
	if (rc != 0) {
		tzm__set_err(rs, -rc);
		goto out;
	}
	if (is_bind && ta_path[0]) {
		/* the name getsockname reports: held before the bind, which cannot be undone */
		name = strdup(ta_path);
		if (!name) {
			tzm__set_err(rs, ENOMEM);
			goto out;
		}
	}
	if (is_bind) {
		r = bind(f->host, (struct sockaddr *)&ss, sl);
		tzm__set_ret(rs, r);
	} else if (tzm__unlock(s, &u, f->host, -1, rs)) {
		/* waits for a full listener's accept, or for a slow peer's answer */
		r = connect(u.fd[0], (struct sockaddr *)&ss, sl);
		tzm__set_ret(rs, r);
		tzm__relock(s, &u);
	}
	if (r == 0 && name) {
		free(f->unix_name);
		f->unix_name = name;
		name = NULL;
	}
out:
	free(name);
	if (dirfd >= 0) {
		close(dirfd);
	}
}

void tzm__h_BIND(struct tzm_shadow *s, const struct tzm_wire_req *rq, uint8_t *buf, size_t cap,
		 struct tzm_wire_resp *rs)
{
	(void)cap;
	addr_op(s, rq, buf, rs, true);
}

void tzm__h_CONNECT(struct tzm_shadow *s, const struct tzm_wire_req *rq, uint8_t *buf, size_t cap,
		    struct tzm_wire_resp *rs)
{
	(void)cap;
	addr_op(s, rq, buf, rs, false);
}

void tzm__h_LISTEN(struct tzm_shadow *s, const struct tzm_wire_req *rq, uint8_t *buf, size_t cap,
		   struct tzm_wire_resp *rs)
{
	struct tzm__sfd *f = tzm__sfd_get(s, rq->args[0], rs);
	int rc = 0;

	(void)buf;
	(void)cap;
	if (!f) {
		return;
	}
	if (f->kind == SFD_SOCK && f->sock_type == SOCK_STREAM && inet_unbound(f)) {
		rc = implicit_bind(s, f, IPPROTO_TCP, "listen", NULL, 0);
		if (rc != 0) {
			tzm__set_err(rs, -rc);
			return;
		}
	}
	tzm__set_ret(rs, listen(f->host, (int)rq->args[1]));
}

void tzm__h_ACCEPT4(struct tzm_shadow *s, const struct tzm_wire_req *rq, uint8_t *buf, size_t cap,
		    struct tzm_wire_resp *rs)
{
	struct tzm__sfd *f = tzm__sfd_get(s, rq->args[0], rs);
	struct sockaddr_storage ss;
	socklen_t sl = sizeof(ss);
	int flags = (int)rq->args[1];
	int ta = -1;

	(void)cap;
	if (!f) {
		return;
	}
	if (flags & ~(SOCK_NONBLOCK | SOCK_CLOEXEC)) {
		tzm__set_err(rs, EINVAL);
		return;
	}
	memset(&ss, 0, sizeof(ss));
	if (s->call_nowait && !tzm__ready_now(f->host, POLLIN)) {
		/* accept has no per-call O_NONBLOCK; a listener's queue is ours to take */
		tzm__set_err(rs, EAGAIN);
		return;
	}
	ta = tzm__sfd_answer(s, accept4(f->host, (struct sockaddr *)&ss, &sl, flags | SOCK_CLOEXEC),
			     SFD_SOCK, (flags & SOCK_CLOEXEC) != 0, rs);
	if (ta < 0) {
		return;
	}
	s->fds[ta].sock_type = f->sock_type;
	s->fds[ta].sock_domain = f->sock_domain;
	if (rq->args[2] && sl <= TZM_WIRE_MAX_SOCKADDR) {
		memcpy(buf, &ss, sl);
		rs->data_len = sl;
	}
}

void tzm__h_SENDTO(struct tzm_shadow *s, const struct tzm_wire_req *rq, uint8_t *buf, size_t cap,
		   struct tzm_wire_resp *rs)
{
	struct tzm__sfd *f = tzm__sfd_get(s, rq->args[0], rs);
	int flags = (int)rq->args[1];
	size_t alen = 0, skip = 0;
	struct sockaddr_storage ss;
	struct tzm__unlocked u;
	bool pinned = false;
	socklen_t sl = 0;
	int dirfd = -1, rc = 0;
	ssize_t r = 0;

	(void)cap;
	if (!f) {
		return;
	}
	if (rq->args[2] < 0 || (uint64_t)rq->args[2] > rq->data_len ||
	    rq->args[2] > (int64_t)TZM_WIRE_MAX_SOCKADDR) {
		tzm__set_err(rs, EINVAL);
		return;
	}
	alen = (size_t)rq->args[2];
	if (flags & ~(MSG_DONTWAIT | MSG_NOSIGNAL | MSG_MORE | MSG_EOR | MSG_OOB | MSG_CONFIRM)) {
		tzm__set_err(rs, EOPNOTSUPP);
		return;
	}
	if (f->kind != SFD_SOCK) {
		tzm__set_err(rs, ENOTSOCK);
		return;
	}
	if ((f->sock_type == SOCK_DGRAM || f->sock_type == SOCK_SEQPACKET) &&
	    rq->args[3] > (int64_t)(rq->data_len - alen)) {
		tzm__set_err(rs, EMSGSIZE);
		return;
	}
	if (alen > 0) {
		if (!get_addr(buf, alen, &ss, &sl, rs)) {
			return;
		}
		rc = check_addr(s, f, &ss, &sl, false, &dirfd, NULL, 0);
		if (rc == 0 && f->sock_type == SOCK_DGRAM && inet_unbound(f)) {
			rc = implicit_bind(s, f, IPPROTO_UDP, "sendto", &ss, sl);
		}
		if (rc != 0) {
			tzm__set_err(rs, -rc);
			goto out;
		}
	}
	/* a stream's or a full receiver's socket waits for room (not in serve.c's try) */
	pinned = (flags & MSG_DONTWAIT) == 0 && !s->call_nowait;
	if (s->call_nowait) {
		flags |= MSG_DONTWAIT;
	}
	/* after a try that sent part of it (serve.c): the rest; skip <= data_len - alen */
	skip = s->skip;
	if (pinned && !tzm__unlock(s, &u, f->host, -1, rs)) {
		goto out;
	}
	r = sendto(pinned ? u.fd[0] : f->host, buf + alen + skip, rq->data_len - alen - skip,
		   flags | MSG_NOSIGNAL, alen ? (struct sockaddr *)&ss : NULL, sl);
	tzm__set_ret(rs, r);
	if (pinned) {
		tzm__relock(s, &u);
	}
out:
	if (dirfd >= 0) {
		close(dirfd);
	}
}

void tzm__h_RECVFROM(struct tzm_shadow *s, const struct tzm_wire_req *rq, uint8_t *buf, size_t cap,
		     struct tzm_wire_resp *rs)
{
	struct tzm__sfd *f = tzm__sfd_get(s, rq->args[0], rs);
	int flags = (int)rq->args[2];
	struct sockaddr_storage ss;
	struct iovec iov;
	struct msghdr mh;
	size_t count = 0, copied = 0;
	struct tzm__unlocked u;
	uint64_t gen = 0;
	bool udp = false;
	ssize_t r = 0;

	if (!f) {
		return;
	}
	if (rq->args[1] < 0 || (uint64_t)rq->args[1] + TZM_WIRE_MAX_SOCKADDR > cap) {
		tzm__set_err(rs, EINVAL);
		return;
	}
	if (flags & ~(MSG_DONTWAIT | MSG_PEEK | MSG_TRUNC | MSG_WAITALL | MSG_OOB)) {
		tzm__set_err(rs, EOPNOTSUPP);
		return;
	}
	count = (size_t)rq->args[1];
	if (rq->flags & TZM_REQ_F_LINK) {
		/* a later chunk of a split recv (tzm_wire_linkable): data only, never waits */
		if ((flags & ~MSG_DONTWAIT) != 0 || rq->args[3] != 0) {
			tzm__set_err(rs, EINVAL);
			return;
		}
		r = f->kind == SFD_SOCK ? tzm__read_more(f, buf, count, false, 0) : 0;
		rs->data_len = r > 0 ? (uint32_t)r : 0;
		tzm__set_ret(rs, r);
		return;
	}
	memset(&ss, 0, sizeof(ss));
	memset(&mh, 0, sizeof(mh));
	iov.iov_base = buf;
	iov.iov_len = count;
	mh.msg_iov = &iov;
	mh.msg_iovlen = 1;
	udp = f->sock_type == SOCK_DGRAM &&
	      (f->sock_domain == AF_INET || f->sock_domain == AF_INET6) &&
	      tzm_policy_udp_reply(s->pol);
	if (rq->args[3] || udp) {
		mh.msg_name = &ss;
		mh.msg_namelen = sizeof(ss);
	}
	if ((flags & (MSG_WAITALL | MSG_DONTWAIT)) == MSG_WAITALL) {
		/* waits inside the call for the whole count (serve.c's prewait cannot) */
		gen = f->gen;
		if (!tzm__unlock(s, &u, f->host, -1, rs)) {
			return;
		}
		r = recvmsg(u.fd[0], &mh, flags);
		tzm__relock(s, &u);
		f = tzm__sfd_same(s, rq->args[0], gen); /* NULL: closed meanwhile */
	} else {
		r = recvmsg(f->host, &mh, flags | (s->call_nowait ? MSG_DONTWAIT : 0));
	}
	if (r < 0) {
		tzm__set_ret(rs, -1);
		return;
	}
	if (udp && f) {
		remember_source(f, &ss, mh.msg_namelen);
	}
	copied = (size_t)r < count ? (size_t)r : count;
	if (rq->args[3] && mh.msg_namelen <= TZM_WIRE_MAX_SOCKADDR) {
		memcpy(buf + copied, &ss, mh.msg_namelen);
		rs->aux[0] = mh.msg_namelen;
	}
	rs->aux[1] = mh.msg_flags;
	rs->data_len = (uint32_t)(copied + (size_t)rs->aux[0]);
	tzm__set_ret(rs, r);
}

void tzm__h_SHUTDOWN(struct tzm_shadow *s, const struct tzm_wire_req *rq, uint8_t *buf, size_t cap,
		     struct tzm_wire_resp *rs)
{
	struct tzm__sfd *f = tzm__sfd_get(s, rq->args[0], rs);

	(void)buf;
	(void)cap;
	if (f) {
		tzm__set_ret(rs, shutdown(f->host, (int)rq->args[1]));
	}
}

/* The common options; anything else (SO_BINDTODEVICE, SO_PASSCRED, ...) is refused. */
static bool opt_allowed(int64_t level, int64_t name)
{
	static const int sol[] = { SO_TYPE,      SO_ERROR,    SO_REUSEADDR, SO_REUSEPORT,
				   SO_KEEPALIVE, SO_RCVBUF,   SO_SNDBUF,    SO_LINGER,
				   SO_RCVTIMEO,  SO_SNDTIMEO, SO_BROADCAST, SO_ACCEPTCONN,
				   SO_DOMAIN,    SO_PROTOCOL, SO_RCVLOWAT,  SO_SNDLOWAT,
				   SO_OOBINLINE };
	static const int tcp[] = { TCP_NODELAY, TCP_KEEPIDLE, TCP_KEEPINTVL, TCP_KEEPCNT,
				   TCP_MAXSEG,  TCP_CORK,     TCP_QUICKACK,  TCP_USER_TIMEOUT };
	static const int ip[] = { IP_TTL, IP_TOS, IP_MULTICAST_TTL, IP_MULTICAST_LOOP };
	static const int ip6[] = { IPV6_V6ONLY, IPV6_UNICAST_HOPS, IPV6_MULTICAST_HOPS };
#define LEVEL(lvl, list)                                                                           \
	{                                                                                          \
		lvl, list, sizeof(list) / sizeof(list[0])                                          \
	}
	static const struct {
		int level;
		const int *names;
		size_t n;
	} levels[] = { LEVEL(SOL_SOCKET, sol), LEVEL(IPPROTO_TCP, tcp), LEVEL(IPPROTO_IP, ip),
		       LEVEL(IPPROTO_IPV6, ip6) };
#undef LEVEL

	for (size_t l = 0; l < sizeof(levels) / sizeof(levels[0]); l++) {
		for (size_t i = 0; levels[l].level == level && i < levels[l].n; i++) {
			if (levels[l].names[i] == name) {
				return true;
			}
		}
	}
	return false;
}

void tzm__h_GETSOCKOPT(struct tzm_shadow *s, const struct tzm_wire_req *rq, uint8_t *buf,
		       size_t cap, struct tzm_wire_resp *rs)
{
	struct tzm__sfd *f = tzm__sfd_get(s, rq->args[0], rs);
	uint8_t val[256];
	socklen_t len = 0;

	(void)cap;
	if (!f) {
		return;
	}
	if (!opt_allowed(rq->args[1], rq->args[2])) {
		tzm__set_err(rs, ENOPROTOOPT);
		return;
	}
	if (rq->args[3] < 0 || rq->args[3] > (int64_t)sizeof(val)) {
		tzm__set_err(rs, EINVAL);
		return;
	}
	len = (socklen_t)rq->args[3];
	if (getsockopt(f->host, (int)rq->args[1], (int)rq->args[2], val, &len) != 0) {
		tzm__set_ret(rs, -1);
		return;
	}
	if (len > rq->args[3]) {
		len = (socklen_t)rq->args[3];
	}
	memcpy(buf, val, len);
	rs->data_len = len;
	tzm__set_ret(rs, 0);
}

void tzm__h_SETSOCKOPT(struct tzm_shadow *s, const struct tzm_wire_req *rq, uint8_t *buf,
		       size_t cap, struct tzm_wire_resp *rs)
{
	struct tzm__sfd *f = tzm__sfd_get(s, rq->args[0], rs);
	uint8_t val[256];

	(void)cap;
	if (!f) {
		return;
	}
	if (!opt_allowed(rq->args[1], rq->args[2])) {
		tzm__set_err(rs, ENOPROTOOPT);
		return;
	}
	if (rq->data_len > sizeof(val)) {
		tzm__set_err(rs, EINVAL);
		return;
	}
	memcpy(val, buf, rq->data_len);
	if (rq->args[1] == SOL_SOCKET && rq->args[2] == SO_RCVLOWAT) {
		/* a read then waits for that many bytes: serve.c no longer tries reads first */
		s->rcvlowat = true;
	}
	tzm__set_ret(rs,
		     setsockopt(f->host, (int)rq->args[1], (int)rq->args[2], val, rq->data_len));
}

static void name_op(struct tzm_shadow *s, const struct tzm_wire_req *rq, uint8_t *buf,
		    struct tzm_wire_resp *rs, bool peer)
{
	struct tzm__sfd *f = tzm__sfd_get(s, rq->args[0], rs);
	struct sockaddr_storage ss;
	socklen_t sl = sizeof(ss);
	int r = 0;

	if (!f) {
		return;
	}
	memset(&ss, 0, sizeof(ss));
	r = peer ? getpeername(f->host, (struct sockaddr *)&ss, &sl)
		 : getsockname(f->host, (struct sockaddr *)&ss, &sl);
	if (r != 0) {
		tzm__set_ret(rs, -1);
		return;
	}
	if (!peer && f->unix_name) {
		struct sockaddr_un *un = (struct sockaddr_un *)&ss;
		size_t n = strlen(f->unix_name);

		/*
		 * The name the TA bound (the host socket has a /proc/self/fd/... name). Like
		 * Linux, the length counts a terminating NUL, which for a 108-byte path lies
		 * just past sun_path (still inside ss, which is zeroed).
		 */
		if (n > sizeof(un->sun_path)) {
			n = 0;
		}
		memset(un->sun_path, 0, sizeof(un->sun_path));
		memcpy(un->sun_path, f->unix_name, n);
		sl = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + n + 1);
	}
	if (sl > TZM_WIRE_MAX_SOCKADDR) {
		sl = TZM_WIRE_MAX_SOCKADDR;
	}
	memcpy(buf, &ss, sl);
	rs->data_len = sl;
	tzm__set_ret(rs, 0);
}

void tzm__h_GETSOCKNAME(struct tzm_shadow *s, const struct tzm_wire_req *rq, uint8_t *buf,
			size_t cap, struct tzm_wire_resp *rs)
{
	(void)cap;
	name_op(s, rq, buf, rs, false);
}

void tzm__h_GETPEERNAME(struct tzm_shadow *s, const struct tzm_wire_req *rq, uint8_t *buf,
			size_t cap, struct tzm_wire_resp *rs)
{
	(void)cap;
	name_op(s, rq, buf, rs, true);
}

/*
 * The resolvers' answer: ret 0 and the EAI code in aux[1]; with EAI_SYSTEM the errno behind
 * it (still errno here: tzm__relock keeps it) in aux[2], one of the call's set or EIO.
 * true: the call failed and is answered.
 */
static bool resolver_failed(const struct tzm_wire_req *rq, int code, struct tzm_wire_resp *rs)
{
	int err = errno;

	rs->aux[1] = code;
	if (code == 0) {
		return false;
	}
	if (code == EAI_SYSTEM) {
		rs->aux[2] = tzm_wire_errno_allowed(rq->opcode, err) ? err : EIO;
	}
	tzm__set_ret(rs, 0);
	return true;
}

void tzm__h_GETADDRINFO(struct tzm_shadow *s, const struct tzm_wire_req *rq, uint8_t *buf,
			size_t cap, struct tzm_wire_resp *rs)
{
	char node[1025], service[256];
	struct addrinfo hints, *res = NULL;
	size_t off = 0, n = 0, pos = 0;
	struct tzm__unlocked u;
	long l = 0;
	int code = 0;

	memset(&hints, 0, sizeof(hints));
	if (rq->args[4]) {
		l = tzm__req_str(buf, rq->data_len, 0, node, sizeof(node));
		if (l < 0) {
			tzm__set_err(rs, EINVAL);
			return;
		}
		off = (size_t)l;
	}
	if (rq->args[5]) {
		if (tzm__req_str(buf, rq->data_len, off, service, sizeof(service)) < 0) {
			tzm__set_err(rs, EINVAL);
			return;
		}
	}
	hints.ai_flags = (int)rq->args[0];
	hints.ai_family = (int)rq->args[1];
	hints.ai_socktype = (int)rq->args[2];
	hints.ai_protocol = (int)rq->args[3];
	/* may wait for a name server (seconds); uses only the copies above and buf */
	tzm__unlock_lookup(s, &u, rs);
	code = getaddrinfo(rq->args[4] ? node : NULL, rq->args[5] ? service : NULL, &hints, &res);
	tzm__relock(s, &u);
	if (resolver_failed(rq, code, rs)) {
		return;
	}
	for (struct addrinfo *ai = res; ai && n < TZM_WIRE_MAX_AI; ai = ai->ai_next) {
		struct tzm_wire_ai w;

		if ((ai->ai_family != AF_INET && ai->ai_family != AF_INET6) ||
		    ai->ai_addrlen > sizeof(w.addr) || pos + sizeof(w) > cap) {
			continue;
		}
		memset(&w, 0, sizeof(w));
		w.flags = ai->ai_flags;
		w.family = ai->ai_family;
		w.socktype = ai->ai_socktype;
		w.protocol = ai->ai_protocol;
		w.addrlen = ai->ai_addrlen;
		memcpy(w.addr, ai->ai_addr, ai->ai_addrlen);
		memcpy(buf + pos, &w, sizeof(w));
		pos += sizeof(w);
		n++;
	}
	if (n == 0) {
		rs->aux[1] = EAI_NONAME;
		freeaddrinfo(res);
		tzm__set_ret(rs, 0);
		return;
	}
	if (res->ai_canonname) {
		size_t cl = strlen(res->ai_canonname) + 1;

		if (cl <= 1025 && pos + cl <= cap) {
			memcpy(buf + pos, res->ai_canonname, cl);
			pos += cl;
		}
	}
	freeaddrinfo(res);
	rs->aux[0] = (int64_t)n;
	rs->data_len = (uint32_t)pos;
	tzm__set_ret(rs, 0);
}

void tzm__h_GETNAMEINFO(struct tzm_shadow *s, const struct tzm_wire_req *rq, uint8_t *buf,
			size_t cap, struct tzm_wire_resp *rs)
{
	struct sockaddr_storage ss;
	socklen_t sl = 0;
	char host[1025] = "", serv[1025] = "";
	size_t hl = 0, sv = 0;
	struct tzm__unlocked u;
	int code = 0;

	(void)cap;
	if (!get_addr(buf, rq->data_len, &ss, &sl, rs)) {
		return;
	}
	if (rq->args[1] < 0 || rq->args[1] > 1025 || rq->args[2] < 0 || rq->args[2] > 1025) {
		tzm__set_err(rs, EINVAL);
		return;
	}
	/* a reverse lookup may wait for a name server */
	tzm__unlock_lookup(s, &u, rs);
	code = getnameinfo((struct sockaddr *)&ss, sl, rq->args[1] ? host : NULL,
			   (socklen_t)rq->args[1], rq->args[2] ? serv : NULL,
			   (socklen_t)rq->args[2], (int)rq->args[0]);
	tzm__relock(s, &u);
	if (resolver_failed(rq, code, rs)) {
		return;
	}
	hl = strlen(host);
	sv = strlen(serv);
	memcpy(buf, host, hl + 1);
	memcpy(buf + hl + 1, serv, sv + 1);
	rs->data_len = (uint32_t)(hl + sv + 2);
	tzm__set_ret(rs, 0);
}
