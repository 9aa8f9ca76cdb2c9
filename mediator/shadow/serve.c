/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The shadow's request loop: copy the request header (done by the transport), validate the
 * opcode and blob length, dispatch through the handler table, reply. Also the TA fd table:
 * TA fd numbers are a namespace of their own (lowest free number, like the kernel), each
 * mapped to a host fd the shadow created for the TA; a TA can name only those.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "shadow.h"

static const tzm__handler_fn handlers[] = {
#define TZM__H_ENTRY(name, ...) [TZM_OP_##name] = tzm__h_##name,
	TZM_WIRE_OPS(TZM__H_ENTRY)
#undef TZM__H_ENTRY
};
static_assert(sizeof(handlers) / sizeof(handlers[0]) == TZM_OP__COUNT, "one handler per opcode");

static const char *const op_names[] = {
#define TZM__OP_NAME(name, ...) [TZM_OP_##name] = #name,
	TZM_WIRE_OPS(TZM__OP_NAME)
#undef TZM__OP_NAME
};

/* The wire carries Linux's generic errno numbers: this libc must use the same ones. */
TZM_WIRE_ERRNOS(TZM_WIRE_ERRNO_CHECK)

/*
 * The one reply path's errno check. A handler answering an errno outside its opcode's set
 * (TZM_WIRE_OPS) is a shadow bug: libtzm would reject the answer as malformed. Logged once
 * per opcode and answered EIO instead, or, with TZM_SHADOW_STRICT_ERRNO set (every CTest
 * test sets it), fatal, so that each errno the test suites provoke is checked.
 */
static void check_errno(const struct tzm_shadow *s, uint32_t op, struct tzm_wire_resp *rs)
{
	static bool logged[TZM_OP__COUNT];

	if (rs->err == 0 || tzm_wire_errno_allowed(op, rs->err)) {
		return;
	}
	if (s->strict_errno || !logged[op]) {
		fprintf(stderr, "tzm-run: shadow bug: %s answered errno %d (%s), outside its set\n",
			op_names[op], (int)rs->err, strerror(rs->err));
		logged[op] = true;
	}
	if (s->strict_errno) {
		abort();
	}
	tzm__set_err(rs, EIO);
}

void tzm__set_ret(struct tzm_wire_resp *rs, int64_t r)
{
	if (r < 0) {
		rs->ret = -1;
		rs->err = errno ? errno : EIO;
	} else {
		rs->ret = r;
		rs->err = 0;
	}
}

void tzm__set_err(struct tzm_wire_resp *rs, int err)
{
	rs->ret = -1;
	rs->err = err;
	rs->data_len = 0;
}

struct tzm__sfd *tzm__sfd_get(struct tzm_shadow *s, int64_t tafd, struct tzm_wire_resp *rs)
{
	if (tafd < 0 || tafd >= (int64_t)TZM_WIRE_MAX_FDS || s->fds[tafd].kind == SFD_FREE) {
		tzm__set_err(rs, EBADF);
		return NULL;
	}
	return &s->fds[tafd];
}

int tzm__sfd_add(struct tzm_shadow *s, int host, enum tzm__sfd_kind kind, int min,
		 struct tzm_wire_resp *rs)
{
	if (min < 0) {
		min = 0;
	}
	for (unsigned i = (unsigned)min; i < s->max_fds; i++) {
		if (s->fds[i].kind == SFD_FREE) {
			memset(&s->fds[i], 0, sizeof(s->fds[i]));
			s->fds[i].host = host;
			s->fds[i].kind = (uint8_t)kind;
			s->nopen++;
			return (int)i;
		}
	}
	close(host);
	tzm__set_err(rs, EMFILE);
	return -1;
}

void tzm__sfd_release(struct tzm_shadow *s, int tafd)
{
	struct tzm__sfd *f = &s->fds[tafd];

	if (f->kind == SFD_FREE) {
		return;
	}
	if (f->dir) {
		closedir(f->dir); /* owns the host fd */
	} else if (f->kind != SFD_STDIO) {
		close(f->host);
	}
	free(f->unix_name);
	free(f->path);
	free(f->replies);
	memset(f, 0, sizeof(*f));
	f->host = -1;
	s->nopen--;
}

int tzm__sfd_answer(struct tzm_shadow *s, int host, enum tzm__sfd_kind kind, bool cloexec,
		    struct tzm_wire_resp *rs)
{
	int ta = -1;

	if (host < 0) {
		tzm__set_ret(rs, -1);
		return -1;
	}
	ta = tzm__sfd_add(s, host, kind, 0, rs);
	if (ta < 0) {
		return -1;
	}
	s->fds[ta].cloexec = cloexec;
	tzm__set_ret(rs, ta);
	return ta;
}

int tzm__sfd_answer_pair(struct tzm_shadow *s, const int host[2], enum tzm__sfd_kind kind,
			 bool cloexec, struct tzm_wire_resp *rs, int ta[2])
{
	ta[0] = tzm__sfd_add(s, host[0], kind, 0, rs);
	if (ta[0] < 0) {
		close(host[1]);
		return -1;
	}
	ta[1] = tzm__sfd_add(s, host[1], kind, 0, rs);
	if (ta[1] < 0) {
		tzm__sfd_release(s, ta[0]);
		return -1;
	}
	s->fds[ta[0]].cloexec = s->fds[ta[1]].cloexec = cloexec;
	rs->aux[0] = ta[0];
	rs->aux[1] = ta[1];
	tzm__set_ret(rs, 0);
	return 0;
}

long tzm__req_str(const uint8_t *buf, size_t len, size_t off, char *out, size_t outlen)
{
	size_t n = 0;

	if (off >= len || outlen == 0) {
		return -1;
	}
	n = len - off < outlen ? len - off : outlen;
	memcpy(out, buf + off, n); /* single read of the shared bytes */
	for (size_t i = 0; i < n; i++) {
		if (out[i] == '\0') {
			return (long)i + 1;
		}
	}
	return -1;
}

bool tzm__req_path(const struct tzm_wire_req *rq, const uint8_t *buf, size_t off, char *out,
		   size_t outlen, struct tzm_wire_resp *rs)
{
	if (tzm__req_str(buf, rq->data_len, off, out, outlen) < 0) {
		tzm__set_err(rs, rq->data_len - off >= outlen ? ENAMETOOLONG : EFAULT);
		return false;
	}
	return true;
}

bool tzm__req_two_paths(const struct tzm_wire_req *rq, const uint8_t *buf, char *p1, char *p2,
			size_t len, struct tzm_wire_resp *rs)
{
	long n1 = tzm__req_str(buf, rq->data_len, 0, p1, len);

	if (n1 < 0 || n1 != rq->args[0] || !tzm__req_path(rq, buf, (size_t)n1, p2, len, rs)) {
		tzm__set_err(rs, EFAULT);
		return false;
	}
	return true;
}

bool tzm__req_count(int64_t count, size_t cap, struct tzm_wire_resp *rs)
{
	if (count < 0 || (uint64_t)count > cap) {
		tzm__set_err(rs, EINVAL);
		return false;
	}
	return true;
}

int tzm__abs_path(struct tzm_shadow *s, int64_t dirfd, const char *path, char *out, size_t outlen)
{
	const char *base = s->cwd;
	int n = 0;

	if (path[0] == '\0') {
		return -ENOENT;
	}
	if (path[0] != '/' && dirfd != AT_FDCWD) {
		if (dirfd < 0 || dirfd >= (int64_t)TZM_WIRE_MAX_FDS ||
		    s->fds[dirfd].kind == SFD_FREE) {
			return -EBADF;
		}
		if (s->fds[dirfd].kind != SFD_DIR || !s->fds[dirfd].path) {
			return -ENOTDIR;
		}
		base = s->fds[dirfd].path;
	}
	if (path[0] == '/') {
		n = snprintf(out, outlen, "%s", path);
	} else {
		n = snprintf(out, outlen, "%s/%s", strcmp(base, "/") ? base : "", path);
	}
	if (n < 0 || (size_t)n >= outlen) {
		return -ENAMETOOLONG;
	}
	return 0;
}

void tzm_shadow_init(struct tzm_shadow *s, const struct tzm_policy *pol,
		     struct tzm_server_transport *tp)
{
	size_t cap = 0;
	size_t inflight = tzm_policy_max_inflight(pol);

	memset(s, 0, sizeof(*s));
	for (unsigned i = 0; i < TZM_WIRE_MAX_FDS; i++) {
		s->fds[i].host = -1;
	}
	s->pol = pol;
	s->tp = tp;
	s->max_fds = tzm_policy_max_fds(pol);
	if (s->max_fds < 3 || s->max_fds > TZM_WIRE_MAX_FDS) {
		s->max_fds = TZM_WIRE_MAX_FDS;
	}
	(void)tp->ops->buffer(tp, &cap);
	s->max_chunk = inflight && inflight < cap ? inflight : cap;
	if (s->max_chunk < 4096) {
		s->max_chunk = 4096;
	}
	if (!getcwd(s->cwd, sizeof(s->cwd))) {
		strcpy(s->cwd, "/");
	}
	s->strict_errno = getenv("TZM_SHADOW_STRICT_ERRNO") != NULL;
	for (int i = 0; i < 3; i++) {
		s->fds[i].host = i;
		s->fds[i].kind = SFD_STDIO;
		s->nopen++;
	}
}

int tzm_shadow_setup(struct tzm_shadow *s, uint8_t *buf, size_t cap, int argc, char *const argv[],
		     int envc, char *const envp[])
{
	struct tzm_wire_setup st;
	size_t pos = sizeof(st);

	memset(&st, 0, sizeof(st));
	if (argc < 1 || (unsigned)argc > TZM_WIRE_MAX_ARGV || envc < 0 ||
	    (unsigned)envc > TZM_WIRE_MAX_ARGV) {
		return -E2BIG;
	}
	for (int i = 0; i < argc + envc; i++) {
		const char *str = i < argc ? argv[i] : envp[i - argc];
		size_t n = strlen(str) + 1;

		if (n > cap - pos) {
			return -E2BIG;
		}
		memcpy(buf + pos, str, n);
		pos += n;
	}
	st.version = TZM_WIRE_VERSION;
	st.arch = TZM_WIRE_ARCH;
	st.argc = (uint32_t)argc;
	st.envc = (uint32_t)envc;
	st.strings_len = (uint32_t)(pos - sizeof(st));
	st.max_chunk = (uint32_t)s->max_chunk;
	st.max_fds = s->max_fds;
	for (int i = 0; i < 3; i++) {
		st.stdio_tty |= isatty(i) ? 1u << i : 0u;
	}
	st.pid = getpid();
	st.ppid = getppid();
	st.uid = getuid();
	st.gid = getgid();
	st.euid = geteuid();
	st.egid = getegid();
	memcpy(buf, &st, sizeof(st));
	return (int)pos;
}

/* After a cancellation, calls that may block fail with EINTR at once. */
static bool may_block(struct tzm_shadow *s, const struct tzm_wire_req *rq)
{
	switch (rq->opcode) {
	case TZM_OP_WRITE:
		/* let the TA report the interruption on its stdio */
		return !(rq->args[0] >= 0 && rq->args[0] < (int64_t)TZM_WIRE_MAX_FDS &&
			 s->fds[rq->args[0]].kind == SFD_STDIO);
	case TZM_OP_READ:
	case TZM_OP_PREAD:
	case TZM_OP_PWRITE:
	case TZM_OP_OPENAT:
	case TZM_OP_ACCEPT4:
	case TZM_OP_CONNECT:
	case TZM_OP_SENDTO:
	case TZM_OP_RECVFROM:
	case TZM_OP_POLL:
	case TZM_OP_EPOLL_WAIT:
	case TZM_OP_MQ_SEND:
	case TZM_OP_MQ_RECEIVE:
	case TZM_OP_GETADDRINFO:
	case TZM_OP_FLOCK:
	case TZM_OP_SENDFILE:
		return true;
	default:
		return false;
	}
}

/*
 * Whether serving rq may wait in the kernel for the outside world (a peer, a client, a
 * timeout): then the TA is told (transport will_block) so that it does not spin for
 * the answer longer than such waits usually take. Quick calls (fstat, close...): no.
 */
static bool waits_for_world(struct tzm_shadow *s, const struct tzm_wire_req *rq)
{
	int64_t fd = rq->args[0];
	uint8_t kind = SFD_FREE;

	if ((rq->flags & TZM_REQ_F_LINK) && tzm_wire_link_reads(rq->opcode)) {
		return false; /* a linked read chunk takes what is there (tzm__read_more) */
	}
	switch (rq->opcode) {
	case TZM_OP_READ:
	case TZM_OP_WRITE:
	case TZM_OP_ACCEPT4:
	case TZM_OP_RECVFROM:
	case TZM_OP_SENDTO:
	case TZM_OP_MQ_SEND:
	case TZM_OP_MQ_RECEIVE:
		if (fd < 0 || fd >= (int64_t)TZM_WIRE_MAX_FDS) {
			return false;
		}
		/* SFD_FILE too: FIFOs opened by path are files to the fd table */
		kind = s->fds[fd].kind;
		return kind == SFD_SOCK || kind == SFD_PIPE || kind == SFD_STDIO ||
		       kind == SFD_MQ || kind == SFD_FILE;
	case TZM_OP_POLL:
	case TZM_OP_EPOLL_WAIT:
		return rq->args[rq->opcode == TZM_OP_POLL ? 1 : 2] != 0;
	case TZM_OP_CONNECT:
	case TZM_OP_OPENAT: /* a FIFO open waits for the other end */
	case TZM_OP_GETADDRINFO:
	case TZM_OP_SENDFILE:
		return true;
	case TZM_OP_FLOCK:
		return !(rq->args[1] & LOCK_NB);
	default:
		return false;
	}
}

/*
 * Marks the server as inside a call (the signal thread then interrupts blocking syscalls
 * for a posted signal the TA catches) and says whether such a signal is already waiting:
 * then a call that may block is answered EINTR at once. The store and the load are
 * sequentially consistent, as are the signal thread's post and its load of in_call, so
 * either this check sees the signal or the signal thread sees the call.
 */
static bool signal_waits(struct tzm_shadow *s, const struct tzm_wire_req *rq)
{
	const struct tzm_server_transport *tp = s->tp;
	uint32_t catch_mask = 0, dfl = 0, pending = 0;

	__atomic_store_n(&s->in_call, 1, __ATOMIC_SEQ_CST);
	if (!tp->ops->signal_state || !may_block(s, rq)) {
		return false;
	}
	pending = tp->ops->signal_state(s->tp, &catch_mask, &dfl);
	if (pending & catch_mask) {
		__atomic_store_n(&s->in_call, 0, __ATOMIC_SEQ_CST);
		return true;
	}
	return false;
}

int tzm_shadow_serve(struct tzm_shadow *s)
{
	struct tzm_server_transport *tp = s->tp;

	for (;;) {
		struct tzm_wire_req rq;
		struct tzm_wire_resp rs;
		size_t cap = 0;
		uint8_t *buf = NULL;
		int rc = tp->ops->next(tp, &rq);

		if (rc == -ESHUTDOWN) {
			return 0;
		}
		if (rc != 0) {
			fprintf(stderr, "tzm-run: the TA broke the wire protocol (%s)\n",
				strerror(-rc));
			return -EPROTO;
		}
		buf = tp->ops->buffer(tp, &cap); /* the area of this call's slot */
		memset(&rs, 0, sizeof(rs));
		s->calls++;
		if ((rq.flags & ~TZM_REQ_F_LINK) != 0 ||
		    ((rq.flags & TZM_REQ_F_LINK) && !tzm_wire_linkable(rq.opcode))) {
			tzm__set_err(&rs, EINVAL);
		} else if ((rq.flags & TZM_REQ_F_LINK) && !s->last_full) {
			/* the call before it was short or failed: the chain ends here */
			rs.flags = TZM_RESP_F_SKIPPED;
		} else if (rq.opcode >= TZM_OP__COUNT) {
			tzm__set_err(&rs, ENOSYS);
		} else if (rq.data_len > s->max_chunk || rq.data_len > cap) {
			tzm__set_err(&rs, EINVAL);
		} else if (__atomic_load_n(&s->cancelled, __ATOMIC_ACQUIRE) && may_block(s, &rq)) {
			tzm__set_err(&rs, EINTR);
		} else if (signal_waits(s, &rq)) {
			/* posted while the request was on its way: the TA handles it first */
			tzm__set_err(&rs, EINTR);
		} else {
			if (tp->ops->will_block && waits_for_world(s, &rq)) {
				tp->ops->will_block(tp);
			}
			errno = 0;
			handlers[rq.opcode](s, &rq, buf, s->max_chunk, &rs);
			__atomic_store_n(&s->in_call, 0, __ATOMIC_SEQ_CST);
			if (rs.data_len > s->max_chunk) { /* handler bug: never send it */
				tzm__set_err(&rs, EIO);
			}
			check_errno(s, rq.opcode, &rs);
		}
		s->last_full = tzm_wire_link_full(&rq, &rs);
		(void)tp->ops->reply(tp, &rs);
	}
}

void tzm_shadow_close_all(struct tzm_shadow *s)
{
	for (unsigned i = 0; i < TZM_WIRE_MAX_FDS; i++) {
		tzm__sfd_release(s, (int)i);
	}
}
