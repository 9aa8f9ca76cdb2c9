/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The shadow's request loop: copy the request header (done by the transport), validate the
 * opcode and blob length, dispatch through the handler table, reply. Also the TA fd table:
 * TA fd numbers are a namespace of their own (lowest free number, like the kernel), each
 * mapped to a host fd the shadow created for the TA; a TA can name only those.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <time.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
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
			s->fds[i].gen = ++s->fd_gen;
			s->nopen++;
			return (int)i;
		}
	}
	close(host);
	tzm__set_err(rs, EMFILE);
	return -1;
}

/*
 * Regular files' host numbers used by calls running without the lock (tzm__unlock): not
 * dup'ed, since closing the dup afterwards would drop the TA's record locks on the file
 * (h_lock.c). Lock held in all three.
 */
static bool inuse_take(struct tzm_shadow *s, int host)
{
	struct tzm__inuse *free_e = NULL;

	if (s->inert < 0) {
		/* what takes a retired number: never a file whose close drops locks */
		s->inert = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
		if (s->inert < 0) {
			return false;
		}
	}
	for (size_t i = 0; i < TZM__INUSE_MAX; i++) {
		struct tzm__inuse *e = &s->inuse[i];

		if (e->users > 0 && e->host == host && !e->retired) {
			e->users++;
			return true;
		}
		if (e->users == 0 && !free_e) {
			free_e = e;
		}
	}
	if (!free_e) {
		return false;
	}
	free_e->host = host;
	free_e->users = 1;
	free_e->retired = false;
	return true;
}

static void inuse_put(struct tzm_shadow *s, int host)
{
	for (size_t i = 0; i < TZM__INUSE_MAX; i++) {
		struct tzm__inuse *e = &s->inuse[i];

		if (e->users > 0 && e->host == host) {
			if (--e->users == 0 && e->retired) {
				close(e->host); /* the inert stand-in */
			}
			if (e->users == 0) {
				memset(e, 0, sizeof(*e));
			}
			return;
		}
	}
}

/*
 * The TA closes a host number a call uses without the lock: the inert descriptor takes
 * its place (closing the file, as the TA's close does on Linux, and dropping the TA's
 * locks on it) until that call is over, so that the number is not given to something
 * else under it. Returns whether host was in use (then it is closed already).
 */
static bool inuse_retire(struct tzm_shadow *s, int host)
{
	for (size_t i = 0; i < TZM__INUSE_MAX; i++) {
		struct tzm__inuse *e = &s->inuse[i];

		if (e->users > 0 && e->host == host && !e->retired) {
			e->retired = true;
			/*
			 * (Failing, which an open descriptor over another open one does not:
			 * the file itself stays until the call is over, and its close then.)
			 */
			(void)dup3(s->inert, host, O_CLOEXEC);
			return true;
		}
	}
	return false;
}

/*
 * The TA closes one of tzm-run's stdio descriptors, which the shadow keeps open (its own
 * stdio, shared with its caller). Of a regular file, that close drops the TA's POSIX
 * record locks on the file all the same (h_lock.c), as any close of a descriptor of it
 * does on Linux: a whole-file F_UNLCK by the shadow, the owner of those locks, is what
 * the kernel's close does for the closing process. OFD and flock locks taken through
 * this opening stay while tzm-run holds it (mediator/README.md, locks).
 */
static void stdio_close_locks(int host)
{
	struct flock fl;
	struct stat st;

	if (fstat(host, &st) != 0 || !S_ISREG(st.st_mode)) {
		return;
	}
	memset(&fl, 0, sizeof(fl));
	fl.l_type = F_UNLCK;
	fl.l_whence = SEEK_SET;
	(void)fcntl(host, F_SETLK, &fl); /* cannot fail on an open regular file */
}

void tzm__sfd_release(struct tzm_shadow *s, int tafd)
{
	struct tzm__sfd *f = &s->fds[tafd];

	if (f->kind == SFD_FREE) {
		return;
	}
	if (f->kind == SFD_STDIO) {
		stdio_close_locks(f->host);
	} else if (!inuse_retire(s, f->host)) {
		close(f->host);
	}
	free(f->unix_name);
	free(f->path);
	free(f->replies);
	memset(f, 0, sizeof(*f));
	f->host = -1;
	s->nopen--;
}

struct tzm__sfd *tzm__sfd_same(struct tzm_shadow *s, int64_t tafd, uint64_t gen)
{
	if (tafd < 0 || tafd >= (int64_t)TZM_WIRE_MAX_FDS || s->fds[tafd].kind == SFD_FREE ||
	    s->fds[tafd].gen != gen) {
		return NULL;
	}
	return &s->fds[tafd];
}

/* the lane worker this thread is (NULL: the server thread) */
static _Thread_local struct tzm__lane_worker *self_worker;

/* Lets go of u->fd[i] (lock held): a dup is closed, a regular file's number put back. */
static void unpin(struct tzm_shadow *s, struct tzm__unlocked *u, int i)
{
	if (u->raw[i]) {
		inuse_put(s, u->fd[i]);
	} else {
		close(u->fd[i]);
	}
}

bool tzm__unlock(struct tzm_shadow *s, struct tzm__unlocked *u, int host0, int host1,
		 struct tzm_wire_resp *rs)
{
	const int host[2] = { host0, host1 };
	struct stat st;

	u->fd[0] = host0;
	u->fd[1] = host1;
	u->raw[0] = u->raw[1] = false;
	u->active = false;
	u->lookup = false;
	if (!s->threaded) {
		return true; /* one TA thread: no other call waits for the lock */
	}
	for (int i = 0; i < 2; i++) {
		if (host[i] < 0) {
			continue;
		}
		if (fstat(host[i], &st) == 0 && S_ISREG(st.st_mode)) {
			/* no dup of a regular file: see inuse_take */
			if (!inuse_take(s, host[i])) {
				/* no inert descriptor (EMFILE): run it with the lock held */
				if (i == 1 && host[0] >= 0) {
					unpin(s, u, 0);
				}
				u->fd[0] = host0;
				u->fd[1] = host1;
				u->raw[0] = u->raw[1] = false;
				return true;
			}
			u->raw[i] = true;
			continue;
		}
		u->fd[i] = fcntl(host[i], F_DUPFD_CLOEXEC, 0);
		if (u->fd[i] < 0) {
			tzm__set_ret(rs, -1);
			if (i == 1 && host[0] >= 0) {
				unpin(s, u, 0);
			}
			u->raw[0] = false;
			return false;
		}
	}
	u->active = true;
	pthread_mutex_unlock(&s->lock);
	return true;
}

void tzm__unlock_lookup(struct tzm_shadow *s, struct tzm__unlocked *u, struct tzm_wire_resp *rs)
{
	if (self_worker) {
		self_worker->in_lookup = true; /* lock held */
	}
	(void)tzm__unlock(s, u, -1, -1, rs); /* pins nothing: cannot fail */
	u->lookup = true;
}

void tzm__relock(struct tzm_shadow *s, struct tzm__unlocked *u)
{
	int err = errno;

	if (u->active) {
		/* before the lock: if the TA closed the fd meanwhile, this is the last close */
		for (int i = 0; i < 2; i++) {
			if (u->fd[i] >= 0 && !u->raw[i]) {
				close(u->fd[i]);
			}
		}
		/* (a lookup whose TA has ended waits here for ever: stop_workers holds it) */
		pthread_mutex_lock(&s->lock);
		for (int i = 0; i < 2; i++) {
			if (u->fd[i] >= 0 && u->raw[i]) {
				inuse_put(s, u->fd[i]);
			}
		}
		u->active = false;
	}
	u->raw[0] = u->raw[1] = false;
	if (u->lookup && self_worker) {
		self_worker->in_lookup = false;
	}
	u->lookup = false;
	errno = err;
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
	s->inert = -1;
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
	pthread_mutex_init(&s->lock, NULL);
	pthread_mutex_init(&s->qlock, NULL);
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

/* A FLOCK that may wait for another holder: neither LOCK_NB nor LOCK_UN ever does. */
static bool flock_waits(const struct tzm_wire_req *rq)
{
	return (rq->args[1] & (LOCK_NB | LOCK_UN)) == 0;
}

/* After a cancellation, calls that may block (TZM_OPF_INTR) fail with EINTR at once. */
static bool may_block(struct tzm_shadow *s, const struct tzm_wire_req *rq)
{
	if (rq->opcode == TZM_OP_WRITE) {
		/* let the TA report the interruption on its stdio */
		return !(rq->args[0] >= 0 && rq->args[0] < (int64_t)TZM_WIRE_MAX_FDS &&
			 s->fds[rq->args[0]].kind == SFD_STDIO);
	}
	if (rq->opcode == TZM_OP_RECLOCK) {
		return tzm__lock_waits(rq); /* F_GETLK and F_SETLK never wait, nor EINTR */
	}
	if (rq->opcode == TZM_OP_FLOCK) {
		return flock_waits(rq); /* nor do LOCK_NB and LOCK_UN */
	}
	return (tzm_wire_op_flags(rq->opcode) & TZM_OPF_INTR) != 0;
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
		return flock_waits(rq);
	case TZM_OP_RECLOCK:
		return tzm__lock_waits(rq);
	default:
		return false;
	}
}

/* Whether the TA's host descriptor fd is open with O_NONBLOCK (a bad fd: no). */
static bool host_nonblock(const struct tzm_shadow *s, int64_t fd)
{
	int fl = 0;

	if (fd < 0 || fd >= (int64_t)TZM_WIRE_MAX_FDS || s->fds[fd].kind == SFD_FREE) {
		return false;
	}
	fl = fcntl(s->fds[fd].host, F_GETFL);
	return fl >= 0 && (fl & O_NONBLOCK);
}

/*
 * Whether the path an OPENAT without O_NONBLOCK names is a FIFO, whose open waits for
 * the other end; any other object a TA may open does not wait. Only a FIFO a fifo rule
 * grants is looked at (tzm_policy_path: no log line), so an open the policy refuses is
 * refused as before and tells nothing about objects outside the policy. The path is read
 * here for the decision only; the handler copies it again: a TA changing it in between
 * has at worst its FIFO open interrupted by the signal thread's kicks (signal_waits)
 * instead of at once.
 */
static bool opens_fifo(struct tzm_shadow *s, const struct tzm_wire_req *rq, const uint8_t *buf)
{
	char path[TZM_WIRE_MAX_PATH], abs[TZM_WIRE_MAX_PATH + PATH_MAX];
	struct tzm_wire_resp ignored;
	const char *rel = NULL;
	bool beneath = false, fifo = false;
	struct stat st;
	int root = -1, fd = -1;

	memset(&ignored, 0, sizeof(ignored));
	if (!tzm__req_path(rq, buf, 0, path, sizeof(path), &ignored) ||
	    tzm__abs_path(s, rq->args[2], path, abs, sizeof(abs)) != 0 ||
	    tzm_policy_path(s->pol, abs, false, TZM_POL_FIFO, &root, &rel, &beneath) != 0) {
		return false; /* the handler answers it without waiting */
	}
	fd = tzm_policy_openat(root, rel, beneath, O_PATH | O_CLOEXEC, 0);
	if (fd >= 0) {
		fifo = fstat(fd, &st) == 0 && S_ISFIFO(st.st_mode);
		close(fd);
	}
	return fifo;
}

/*
 * Whether serving rq could sleep in the kernel at all, asked only when a signal would
 * answer it with EINTR before it starts (may_block has said it may, from the op alone):
 * Linux interrupts a call only while it sleeps, and runs the handler around one that
 * does not (the TA then takes the signal with the answer). Each case below was checked
 * natively (SIGALRM every 200 us, no SA_RESTART, 20,000 calls each: 0 EINTR; the test
 * mediator_diff_nosleep). Asked this late because most cases cost a syscall (fstat,
 * fcntl F_GETFL, a lookup), which the call without a pending signal does not pay:
 *  - read/write/pread/pwrite of a regular file never sleep (telling one from a FIFO
 *    opened by path, both SFD_FILE, takes an fstat);
 *  - on a descriptor the TA made non-blocking (O_NONBLOCK: sockets, pipes, FIFOs,
 *    eventfds, message queues) read/write/recv/send/accept/mq_send/mq_receive answer
 *    EAGAIN instead of sleeping, and connect EINPROGRESS (or EAGAIN for a UNIX socket);
 *    the same for recv/send with MSG_DONTWAIT;
 *  - epoll_wait with timeout 0 returns before looking at signals (poll with timeout 0
 *    does not: Linux interrupts it when nothing is ready, so POLL stays here);
 *  - open without O_NONBLOCK sleeps only for a FIFO (opens_fifo); with O_NONBLOCK never.
 * Everything else flagged TZM_OPF_INTR may sleep (sendfile even between two regular
 * files: Linux interrupts it).
 */
static bool could_sleep(struct tzm_shadow *s, const struct tzm_wire_req *rq, const uint8_t *buf)
{
	const int64_t fd = rq->args[0];
	struct stat st;

	switch (rq->opcode) {
	case TZM_OP_READ:
	case TZM_OP_WRITE:
	case TZM_OP_PREAD:
	case TZM_OP_PWRITE:
		if (fd < 0 || fd >= (int64_t)TZM_WIRE_MAX_FDS) {
			return true;
		}
		if (s->fds[fd].kind == SFD_FILE && fstat(s->fds[fd].host, &st) == 0 &&
		    S_ISREG(st.st_mode)) {
			return false;
		}
		return !host_nonblock(s, fd);
	case TZM_OP_RECVFROM:
		return !(rq->args[2] & MSG_DONTWAIT) && !host_nonblock(s, fd);
	case TZM_OP_SENDTO:
		return !(rq->args[1] & MSG_DONTWAIT) && !host_nonblock(s, fd);
	case TZM_OP_ACCEPT4:
	case TZM_OP_CONNECT:
	case TZM_OP_MQ_SEND:
	case TZM_OP_MQ_RECEIVE:
		return !host_nonblock(s, fd);
	case TZM_OP_EPOLL_WAIT:
		return rq->args[2] != 0;
	case TZM_OP_OPENAT:
		return !(rq->args[0] & O_NONBLOCK) && opens_fifo(s, rq, buf);
	default:
		return true;
	}
}

/* Whether another TA thread asked (INTERRUPT) to interrupt the call this worker serves. */
static bool interrupt_asked(void)
{
	uint32_t want = 0;

	if (!self_worker) {
		return false;
	}
	want = __atomic_load_n(&self_worker->interrupt_seq, __ATOMIC_SEQ_CST);
	return want != 0 && want == __atomic_load_n(&self_worker->serving_seq, __ATOMIC_SEQ_CST);
}

/*
 * Marks the server as inside a call (the signal thread then interrupts blocking syscalls
 * for a posted signal the TA catches, or for an INTERRUPT request) and says whether such
 * an interruption is already waiting: then a call that may block is answered EINTR at
 * once. A posted signal counts here for main's lane only (the one the TA prefers; another
 * lane's call is kicked only when main's lane has none). The store and the load are
 * sequentially consistent, as are the signal thread's post and its load of in_call, so
 * either this check sees the signal or the signal thread sees the call.
 */
static bool signal_waits(struct tzm_shadow *s, const struct tzm_wire_req *rq, const uint8_t *buf,
			 volatile int *in_call, bool main_lane)
{
	const struct tzm_server_transport *tp = s->tp;
	uint32_t catch_mask = 0, dfl = 0, pending = 0;

	__atomic_store_n(in_call, 1, __ATOMIC_SEQ_CST);
	if (!may_block(s, rq)) {
		return false;
	}
	if (!interrupt_asked()) {
		if (!main_lane || !tp->ops->signal_state) {
			return false;
		}
		pending = tp->ops->signal_state(s->tp, &catch_mask, &dfl);
		if (!(pending & catch_mask)) {
			return false;
		}
	}
	if (!could_sleep(s, rq, buf)) {
		/*
		 * answered with the signal after it. Should it sleep after all (another thread
		 * cleared O_NONBLOCK meanwhile, the name became a FIFO), the signal thread's
		 * kicks end the wait with EINTR: it starts them when woken (in_call is set)
		 */
		if (s->interrupt_wake) {
			s->interrupt_wake();
		}
		return false;
	}
	__atomic_store_n(in_call, 0, __ATOMIC_SEQ_CST);
	return true;
}

/*
 * After a kick in a wait: a cancellation or the end: EINTR; an INTERRUPT request for this
 * call, or a signal the TA catches, too (the signal thread kicks one lane's call for it:
 * tzm_shadow_kick_workers; the TA thread that takes it decides who handles it).
 */
static bool interrupted(struct tzm_shadow *s)
{
	const struct tzm_server_transport *tp = s->tp;
	uint32_t catch_mask = 0, dfl = 0, pending = 0;

	if (__atomic_load_n(&s->cancelled, __ATOMIC_ACQUIRE) ||
	    __atomic_load_n(&s->stopping, __ATOMIC_ACQUIRE) || interrupt_asked()) {
		return true;
	}
	if (tp->ops->signal_state) {
		pending = tp->ops->signal_state(s->tp, &catch_mask, &dfl);
	}
	return (pending & catch_mask) != 0;
}

static int64_t now_ms(void)
{
	struct timespec ts = { 0, 0 };

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/*
 * The host fds and events a call of a TA with several threads would wait on in the kernel,
 * so that the wait happens without s->lock (other threads' calls go on meanwhile): the fd
 * of a write/send (POLLOUT) that may wait for the world, the set of a poll, an epoll
 * descriptor (reads, recvs and accepts: serve_read). Lock held. Returns how many entries
 * of p it filled (0: the call is run as it is) and *timeout_ms (-1: none).
 */
static size_t prewait_set(struct tzm_shadow *s, const struct tzm_wire_req *rq, const uint8_t *buf,
			  struct pollfd *p, size_t max, int *timeout_ms)
{
	int64_t fd = rq->args[0];
	short events = 0;
	int fl = 0;

	*timeout_ms = -1;
	switch (rq->opcode) {
	case TZM_OP_WRITE:
		events = POLLOUT;
		break;
	case TZM_OP_SENDTO:
		if (rq->args[1] & MSG_DONTWAIT) {
			return 0;
		}
		events = POLLOUT;
		break;
	case TZM_OP_EPOLL_WAIT:
		if (fd < 0 || fd >= (int64_t)TZM_WIRE_MAX_FDS || s->fds[fd].kind != SFD_EPOLL ||
		    rq->args[2] == 0) {
			return 0;
		}
		p[0].fd = s->fds[fd].host;
		p[0].events = POLLIN;
		*timeout_ms = rq->args[2] < -1 || rq->args[2] > 0x7fffffff ? -1 : (int)rq->args[2];
		return 1;
	case TZM_OP_POLL: {
		struct tzm_wire_pollfd w;
		size_t n = 0;

		if (rq->args[1] == 0 || rq->args[0] <= 0 || (uint64_t)rq->args[0] > max ||
		    (uint64_t)rq->args[0] * sizeof(w) != rq->data_len) {
			return 0;
		}
		n = (size_t)rq->args[0];
		for (size_t i = 0; i < n; i++) {
			memcpy(&w, buf + i * sizeof(w), sizeof(w)); /* only a hint: re-read later */
			p[i].fd = -1;
			p[i].events = w.events;
			if (w.fd >= (int32_t)TZM_WIRE_MAX_FDS ||
			    (w.fd >= 0 && s->fds[w.fd].kind == SFD_FREE)) {
				return 0; /* POLLNVAL: the call answers at once */
			}
			if (w.fd >= 0) {
				p[i].fd = s->fds[w.fd].host;
			}
		}
		*timeout_ms = rq->args[1] < -1 || rq->args[1] > 0x7fffffff ? -1 : (int)rq->args[1];
		return n;
	}
	default:
		return 0;
	}
	if (!waits_for_world(s, rq) || s->fds[fd].kind == SFD_MQ) {
		return 0;
	}
	if (events == POLLOUT && s->fds[fd].kind == SFD_SOCK) {
		return 0; /* tried first, then the write waits itself, unlocked (h_io.c) */
	}
	/* a descriptor the TA made non-blocking does not wait */
	fl = fcntl(s->fds[fd].host, F_GETFL);
	if (fl < 0 || (fl & O_NONBLOCK)) {
		return 0;
	}
	p[0].fd = s->fds[fd].host;
	p[0].events = events;
	return 1;
}

#define PREWAIT_MAX 256 /* a poll of more descriptors waits on a set allocated for it */

/*
 * A TA with several threads: waits for what the call waits on without s->lock (held on
 * entry and on return), then lets the caller run the call, which now finds its descriptor
 * ready and does not wait. A poll or epoll_wait is then run with timeout 0 (*rq_run) and
 * repeated (*again) while nothing is ready and its time is not up; a read whose data
 * another thread took meanwhile is run non-blocking (*nonblock_fd) and repeated on
 * EAGAIN. Returns false when the wait was interrupted for the TA (a signal it catches, a
 * cancellation, the end of the run): the call is answered EINTR.
 */
struct prewait {
	struct pollfd *p; /* inline, or allocated for a larger poll */
	struct pollfd inline_p[PREWAIT_MAX];
	size_t n;
	int timeout_ms;
	int64_t deadline;
};

static bool prewait(struct tzm_shadow *s, struct prewait *pw)
{
	int wait_ms = pw->timeout_ms;
	int r = 0;

	if (pw->timeout_ms >= 0) {
		int64_t left = pw->deadline - now_ms();

		wait_ms = left < 0 ? 0 : (int)left;
	}
	pthread_mutex_unlock(&s->lock);
	r = poll(pw->p, (nfds_t)pw->n, wait_ms);
	pthread_mutex_lock(&s->lock);
	if (r < 0 && errno == EINTR && interrupted(s)) {
		return false;
	}
	return true;
}

/*
 * A read, recv or accept of a TA with several threads that may wait for the world (not a
 * linked chunk, not MSG_DONTWAIT or MSG_WAITALL: those do not wait, or wait inside the
 * call). Lock held.
 */
static bool waits_as_read(struct tzm_shadow *s, const struct tzm_wire_req *rq)
{
	switch (rq->opcode) {
	case TZM_OP_READ:
	case TZM_OP_ACCEPT4:
		break;
	case TZM_OP_RECVFROM:
		if (rq->args[2] & (MSG_DONTWAIT | MSG_WAITALL)) {
			return false;
		}
		break;
	default:
		return false;
	}
	/* (waits_for_world checks the fd's range) */
	return waits_for_world(s, rq) && s->fds[rq->args[0]].kind != SFD_MQ;
}

/* Runs the call's handler without waiting (s->call_nowait); lock held. */
static void run_nowait(struct tzm_shadow *s, const struct tzm_wire_req *rq, uint8_t *buf,
		       struct tzm_wire_resp *rs)
{
	errno = 0;
	memset(rs, 0, sizeof(*rs));
	s->call_nowait = true;
	handlers[rq->opcode](s, rq, buf, s->max_chunk, rs);
	s->call_nowait = false;
}

/*
 * The end of a blocking receive on socket fd under its SO_RCVTIMEO (read once, when the
 * call starts to wait, as Linux does), in now_ms() time; -1: no timeout. A threaded TA's
 * read waits in the shadow's poll, which does not know the option: without this, a recv
 * or accept the program bounded with SO_RCVTIMEO waited for ever.
 */
static int64_t rcvtimeo_deadline(int fd)
{
	struct timeval tv = { 0, 0 };
	socklen_t len = sizeof(tv);

	if (getsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, &len) != 0 ||
	    (tv.tv_sec == 0 && tv.tv_usec == 0)) {
		return -1;
	}
	return now_ms() + (int64_t)tv.tv_sec * 1000 + (tv.tv_usec + 999) / 1000;
}

/*
 * Serves a call of waits_as_read (lock held on entry and on return). It first runs without
 * waiting: per call (tzm__read_nowait, MSG_DONTWAIT, a poll before accept), never by
 * setting O_NONBLOCK on the open file description, which other processes may share (the
 * TA's stdio, dup2(0, n)) and see changed, and whose flag another thread's write on the
 * same socket would obey. When nothing is there and the descriptor is blocking, it waits
 * without the lock, so that the TA's other threads' calls go on (two threads reading one
 * pipe: the one that finds it empty waits again, unlocked). The wait is on a dup of the
 * host fd taken before (a pin) and the call then goes on with that object: another
 * thread's close of the TA fd, and the reuse of its number for something else, do not
 * change what this call reads, as on Linux, where a blocked read holds its file. If the
 * entry no longer holds that opening, the call runs with a copy of its old entry on the
 * pin in the place of whatever holds the number now (put back right after). Returns
 * with EINTR in rs when the wait was interrupted for the TA.
 */
static void serve_read(struct tzm_shadow *s, const struct tzm_wire_req *rq, uint8_t *buf,
		       struct tzm_wire_resp *rs, bool tried)
{
	const int64_t fd = rq->args[0];
	const struct tzm__sfd mine = s->fds[fd];
	/*
	 * Not tried first: a socket read once the TA set SO_RCVLOWAT (the try would return
	 * fewer bytes than the mark a blocking read waits for; the wait's poll honours it),
	 * or a call the dispatcher tried already (tzm_shadow_serve).
	 */
	bool ran = !tried && !(s->rcvlowat && s->fds[fd].kind == SFD_SOCK);
	struct pollfd p;
	int pin = -1, fl = 0, r = 0, wait_ms = -1;
	int64_t deadline = -1; /* SO_RCVTIMEO of a socket, as a point in time; -1: none */

	if (ran) {
		run_nowait(s, rq, buf, rs);
	} else {
		tzm__set_err(rs, EAGAIN);
	}
	while (rs->err == EAGAIN) {
		struct tzm__sfd now, *held = NULL;

		if (pin < 0) {
			/* a descriptor the TA made non-blocking answers EAGAIN, or what is there */
			fl = fcntl(s->fds[fd].host, F_GETFL);
			if (fl < 0 || (fl & O_NONBLOCK)) {
				if (!ran) {
					run_nowait(s, rq, buf, rs);
				}
				break;
			}
			pin = fcntl(s->fds[fd].host, F_DUPFD_CLOEXEC, 0);
			if (pin < 0) {
				tzm__set_ret(rs, -1); /* no descriptor left to wait with: EMFILE */
				break;
			}
			deadline = mine.kind == SFD_SOCK ? rcvtimeo_deadline(pin) : -1;
		} else {
			fl = fcntl(pin, F_GETFL); /* another thread's fcntl may have changed it */
			if (fl < 0 || (fl & O_NONBLOCK)) {
				break;
			}
		}
		if (deadline >= 0) {
			int64_t left = deadline - now_ms();

			if (left <= 0) {
				tzm__set_err(rs, EAGAIN); /* the socket's receive timeout */
				break;
			}
			wait_ms = left > INT_MAX ? INT_MAX : (int)left;
		}
		p.fd = pin;
		p.events = POLLIN;
		p.revents = 0;
		pthread_mutex_unlock(&s->lock);
		r = poll(&p, 1, wait_ms);
		pthread_mutex_lock(&s->lock);
		if (r < 0 && errno == EINTR && interrupted(s)) {
			tzm__set_err(rs, EINTR);
			break;
		}
		if (r == 0) {
			continue; /* timed out: the check above answers EAGAIN */
		}
		if (!tzm__sfd_same(s, fd, mine.gen)) {
			/* closed by another thread meanwhile: the call goes on with its object */
			now = s->fds[fd];
			held = &now;
			s->fds[fd] = mine;
			s->fds[fd].host = pin;
			s->fds[fd].unix_name = NULL;
			s->fds[fd].path = NULL;
			s->fds[fd].replies = NULL;
		}
		run_nowait(s, rq, buf, rs);
		ran = true;
		if (held) {
			/* what the handler kept in the stand-in (a UDP source) goes with it */
			free(s->fds[fd].unix_name);
			free(s->fds[fd].path);
			free(s->fds[fd].replies);
			s->fds[fd] = *held;
		}
	}
	if (pin >= 0) {
		close(pin);
	}
}

/*
 * A threaded shadow tries a socket's write or send without waiting first (serve_read does
 * the same for reads): most find room and are answered with that one syscall, without the
 * pinned dup and unlocked send of a blocking write; the dispatcher also tries socket
 * reads and writes itself when the lane is idle (tzm_shadow_serve), so that an echo's
 * write and a read whose data is there never wake the lane's worker. The result is one
 * the blocking call could give: data already there, or part of a write followed by the
 * rest (serve_call adds the counts). Not tried: linked chunks (their own rules), recv
 * with MSG_WAITALL (waits inside the call), accept, and reads once the TA set SO_RCVLOWAT
 * (see serve_read). Lock held.
 */
static bool tried_first(const struct tzm_shadow *s, const struct tzm_wire_req *rq, bool reads)
{
	int64_t fd = rq->args[0];

	if (rq->flags != 0 || fd < 0 || fd >= (int64_t)TZM_WIRE_MAX_FDS ||
	    s->fds[fd].kind != SFD_SOCK) {
		return false;
	}
	switch (rq->opcode) {
	case TZM_OP_READ:
		return reads && !s->rcvlowat;
	case TZM_OP_RECVFROM:
		return reads && !s->rcvlowat && !(rq->args[2] & MSG_WAITALL);
	case TZM_OP_WRITE:
	case TZM_OP_SENDTO:
		return true;
	default:
		return false;
	}
}

static bool write_like(uint32_t opcode)
{
	return opcode == TZM_OP_WRITE || opcode == TZM_OP_SENDTO;
}

/* The bytes a write-like call writes (tried_first calls only). */
static size_t write_count(const struct tzm_wire_req *rq)
{
	return rq->opcode == TZM_OP_SENDTO ? rq->data_len - (size_t)rq->args[2] : rq->data_len;
}

/* Whether a try (tried_first) answered its call, or the call must wait for the rest. */
static bool try_answers(const struct tzm_wire_req *rq, const struct tzm_wire_resp *rs)
{
	bool dontwait = (rq->opcode == TZM_OP_RECVFROM && (rq->args[2] & MSG_DONTWAIT)) ||
			(rq->opcode == TZM_OP_SENDTO && (rq->args[1] & MSG_DONTWAIT));

	if (dontwait) {
		return true; /* the TA's own non-blocking call: whatever it gave */
	}
	if (rs->ret < 0) {
		return rs->err != EAGAIN;
	}
	return !write_like(rq->opcode) || (uint64_t)rs->ret >= write_count(rq);
}

/* The answer after plan->sent bytes of a write were sent by its try. */
static void add_sent(const struct tzm__serve_plan *plan, struct tzm_wire_resp *rs)
{
	if (plan->sent == 0) {
		return;
	}
	if (rs->ret >= 0) {
		rs->ret += (int64_t)plan->sent;
	} else {
		/* interrupted or failed after part of it went out: the count, as the kernel's */
		rs->ret = (int64_t)plan->sent;
		rs->err = 0;
	}
	rs->data_len = 0;
}

static struct tzm__lane_worker *lane_worker(struct tzm_shadow *s, uint32_t lane)
{
	return &s->workers[lane];
}

/*
 * INTERRUPT: a TA thread has another thread's blocked call interrupted (pthread_kill,
 * pthread_cancel). copy -> validate -> act: the request has no blob and no other
 * arguments, the lane is another one than the caller's, the seq is one submitted before
 * this request's (within the half of the 32-bit seq space behind it: calls submitted
 * later cannot be meant, the dispatcher took every earlier one before this one);
 * EINVAL otherwise. Not only the last TZM_WIRE_SLOTS: a call waits for as long as it
 * waits while other threads' calls go on (a read blocked while main made 64 calls was
 * refused, and pthread_kill never interrupted it). A
 * call of that lane with that seq that is queued or being served is marked (its waits
 * end with EINTR: signal_waits, interrupted), its worker kicked and the kicks' repeater
 * woken: ret 1. Anything else (answered already, never on that lane, no worker): ret 0,
 * nothing happens. A TA can interrupt only its own calls; a flood costs one signal to a
 * worker per request, and kicks every KICK_MS while a marked call goes on. Runs without
 * s->lock (qlock only: a worker holds s->lock while it takes qlock... never; the
 * dispatcher takes qlock then s->lock).
 */
static void serve_interrupt(struct tzm_shadow *s, const struct tzm_wire_req *rq, uint32_t own_lane,
			    struct tzm_wire_resp *rs)
{
	const int64_t lane = rq->args[0], seq = rq->args[1];
	bool marked = false;

	memset(rs, 0, sizeof(*rs));
	if (rq->data_len != 0 || rq->args[2] != 0 || rq->args[3] != 0 || rq->args[4] != 0 ||
	    rq->args[5] != 0 || lane < 0 || lane >= (int64_t)TZM_WIRE_MAX_LANES ||
	    (uint32_t)lane == own_lane || seq <= 0 || seq > (int64_t)UINT32_MAX ||
	    (uint32_t)(rq->seq - (uint32_t)seq) - 1u >= UINT32_C(0x80000000)) {
		tzm__set_err(rs, EINVAL);
		return;
	}
	pthread_mutex_lock(&s->qlock);
	if (s->workers && lane_worker(s, (uint32_t)lane)->started) {
		struct tzm__lane_worker *w = lane_worker(s, (uint32_t)lane);
		bool serving = __atomic_load_n(&w->serving_seq, __ATOMIC_SEQ_CST) == (uint32_t)seq;
		bool queued = false;

		for (unsigned i = 0; i < w->count; i++) {
			queued |= w->queue[(w->head + i) % TZM_WIRE_LANE_SLOTS].rq.seq ==
				  (uint32_t)seq;
		}
		if (serving || queued) {
			__atomic_store_n(&w->interrupt_seq, (uint32_t)seq, __ATOMIC_SEQ_CST);
			marked = true;
		}
		if (serving) {
			pthread_kill(w->thread, SIGRTMIN);
		}
	}
	pthread_mutex_unlock(&s->qlock);
	if (marked && s->interrupt_wake) {
		s->interrupt_wake();
	}
	rs->ret = marked ? 1 : 0;
}

/* In the handler table for completeness: INTERRUPT is served before the lock (serve_call). */
void tzm__h_INTERRUPT(struct tzm_shadow *s, const struct tzm_wire_req *rq, uint8_t *buf, size_t cap,
		      struct tzm_wire_resp *rs)
{
	(void)s;
	(void)rq;
	(void)buf;
	(void)cap;
	tzm__set_err(rs, EINVAL);
}

/*
 * Serves one call (lock not held); lane state: *last_full; *in_call for the signal thread.
 * plan: how far the dispatcher got (tzm_shadow_serve). With plan->try_only, the call is
 * served only if it is tried first and the try answers it; otherwise nothing is answered,
 * false is returned and plan says how far the try got (the lane's worker goes on from
 * there). Returns true when the call was answered.
 */
static bool serve_call(struct tzm_shadow *s, struct tzm_wire_req rq, uint32_t slot, bool *last_full,
		       volatile int *in_call, struct tzm__serve_plan *plan)
{
	struct tzm_server_transport *tp = s->tp;
	struct tzm_wire_resp rs;
	size_t cap = 0;
	uint8_t *buf = tp->ops->slot_buffer ? tp->ops->slot_buffer(tp, slot, &cap)
					    : tp->ops->buffer(tp, &cap);
	bool threaded = false, main_lane = slot / TZM_WIRE_LANE_SLOTS == 0;

	memset(&rs, 0, sizeof(rs));
	if (rq.opcode == TZM_OP_INTERRUPT && rq.flags == 0) {
		if (plan->try_only) {
			return false; /* in its lane's order, by its worker */
		}
		serve_interrupt(s, &rq, slot / TZM_WIRE_LANE_SLOTS, &rs);
		*last_full = false;
		goto reply;
	}
	if (plan->try_only) {
		/* never wait for the lock in the dispatcher: the worker will */
		if (pthread_mutex_trylock(&s->lock) != 0) {
			return false;
		}
		if (!s->threaded || !tried_first(s, &rq, true) || rq.data_len > s->max_chunk ||
		    rq.data_len > cap) {
			pthread_mutex_unlock(&s->lock);
			return false;
		}
	} else {
		pthread_mutex_lock(&s->lock);
	}
	threaded = s->threaded;
	if ((rq.flags & ~TZM_REQ_F_LINK) != 0 ||
	    ((rq.flags & TZM_REQ_F_LINK) && !tzm_wire_linkable(rq.opcode))) {
		tzm__set_err(&rs, EINVAL);
	} else if ((rq.flags & TZM_REQ_F_LINK) && !*last_full) {
		/* the call before it was short or failed: the chain ends here */
		rs.flags = TZM_RESP_F_SKIPPED;
	} else if (rq.opcode >= TZM_OP__COUNT) {
		tzm__set_err(&rs, ENOSYS);
	} else if (rq.data_len > s->max_chunk || rq.data_len > cap) {
		tzm__set_err(&rs, EINVAL);
	} else if (__atomic_load_n(&s->cancelled, __ATOMIC_ACQUIRE) && may_block(s, &rq)) {
		tzm__set_err(&rs, EINTR);
		add_sent(plan, &rs);
	} else if (signal_waits(s, &rq, buf, in_call, main_lane)) {
		/* posted or asked while the request was on its way: the TA handles it first */
		tzm__set_err(&rs, EINTR);
		add_sent(plan, &rs);
	} else {
		struct prewait pw;
		struct tzm_wire_req run = rq;
		size_t pw_max = PREWAIT_MAX;

		if (threaded && !plan->tried && tried_first(s, &rq, plan->try_only)) {
			run_nowait(s, &rq, buf, &rs);
			if (try_answers(&rq, &rs)) {
				goto answered;
			}
			plan->tried = true;
			plan->sent = write_like(rq.opcode) && rs.ret > 0 ? (size_t)rs.ret : 0;
		}
		if (plan->try_only) {
			/* to be waited for by the lane's worker: the TA need not spin for it */
			bool waits = waits_for_world(s, &rq);

			__atomic_store_n(in_call, 0, __ATOMIC_SEQ_CST);
			pthread_mutex_unlock(&s->lock);
			if (waits && tp->ops->will_block_seq) {
				tp->ops->will_block_seq(tp, rq.seq);
			}
			return false;
		}

		pw.p = pw.inline_p;
		pw.timeout_ms = -1;
		pw.deadline = 0;
		if (threaded && rq.opcode == TZM_OP_POLL && rq.args[0] > (int64_t)PREWAIT_MAX &&
		    rq.args[0] <= (int64_t)TZM_WIRE_MAX_POLLFDS) {
			/* without it, this poll would wait holding the lock (NULL: it does) */
			pw.p = calloc((size_t)rq.args[0], sizeof(*pw.p));
			pw_max = pw.p ? (size_t)rq.args[0] : 0;
		}
		pw.n = threaded && pw.p ? prewait_set(s, &rq, buf, pw.p, pw_max, &pw.timeout_ms)
					: 0;
		if (pw.n > 0 && pw.timeout_ms > 0) {
			pw.deadline = now_ms() + pw.timeout_ms;
		}
		if (tp->ops->will_block_seq && waits_for_world(s, &rq)) {
			tp->ops->will_block_seq(tp, rq.seq);
		} else if (tp->ops->will_block && waits_for_world(s, &rq)) {
			tp->ops->will_block(tp);
		}
		for (bool again = false;; again = true) {
			if (threaded && waits_as_read(s, &rq)) {
				serve_read(s, &rq, buf, &rs, plan->tried);
				break;
			}
			if (again && pw.n > 0) {
				/*
				 * Waiting again: the descriptors are looked up anew, as the
				 * kernel's poll does on each pass. Another thread may have
				 * closed or replaced one meanwhile; its old host number would
				 * be polled forever (POLLNVAL at once: a busy loop).
				 */
				int unused = 0;

				pw.n = prewait_set(s, &rq, buf, pw.p, pw_max, &unused);
			}
			if (pw.n > 0 && !prewait(s, &pw)) {
				tzm__set_err(&rs, EINTR);
				break;
			}
			if (pw.n > 0 && rq.opcode == TZM_OP_POLL) {
				run.args[1] = 0; /* the wait is done: now only look */
			} else if (pw.n > 0 && rq.opcode == TZM_OP_EPOLL_WAIT) {
				run.args[2] = 0;
			}
			errno = 0;
			memset(&rs, 0, sizeof(rs));
			s->skip = plan->sent;
			handlers[rq.opcode](s, &run, buf, s->max_chunk, &rs);
			s->skip = 0;
			if (pw.n > 0 &&
			    (rq.opcode == TZM_OP_POLL || rq.opcode == TZM_OP_EPOLL_WAIT) &&
			    rs.err == 0 && rs.ret == 0 &&
			    (pw.timeout_ms < 0 || now_ms() < pw.deadline)) {
				continue; /* what was ready is gone: wait for the rest of the time
					   */
			}
			break;
		}
		if (pw.p != pw.inline_p) {
			free(pw.p);
		}
		add_sent(plan, &rs);
	answered:
		__atomic_store_n(in_call, 0, __ATOMIC_SEQ_CST);
		if (rs.data_len > s->max_chunk) { /* handler bug: never send it */
			tzm__set_err(&rs, EIO);
		}
		check_errno(s, rq.opcode, &rs);
	}
	s->calls++;
	*last_full = tzm_wire_link_full(&rq, &rs);
	pthread_mutex_unlock(&s->lock);
reply:
	if (self_worker) {
		/*
		 * Answered from here on: an INTERRUPT that comes after the TA saw this answer
		 * (the TA's next request follows it) must find nothing being served (answer 0,
		 * no kick), not this call until the worker takes qlock again.
		 */
		__atomic_store_n(&self_worker->serving_seq, 0, __ATOMIC_SEQ_CST);
	}
	if (tp->ops->complete) {
		(void)tp->ops->complete(tp, slot, rq.seq, &rs);
	} else {
		(void)tp->ops->reply(tp, &rs);
	}
	return true;
}

static void *worker_main(void *arg)
{
	struct tzm__lane_worker *w = arg;
	struct tzm_shadow *s = w->owner;
	sigset_t kick;

	self_worker = w;
	/* the kick interrupts this thread's blocking calls (run_signals.c blocked it) */
	sigemptyset(&kick);
	sigaddset(&kick, SIGRTMIN);
	pthread_sigmask(SIG_UNBLOCK, &kick, NULL);
	pthread_mutex_lock(&s->qlock);
	for (;;) {
		struct tzm_wire_req rq;
		struct tzm__serve_plan plan;
		uint32_t slot = 0;

		while (w->count == 0 && !s->stopping) {
			pthread_cond_wait(&w->cond, &s->qlock);
		}
		if (w->count == 0) {
			break;
		}
		rq = w->queue[w->head].rq;
		slot = w->queue[w->head].slot;
		plan = w->queue[w->head].plan;
		/*
		 * Dequeued before it is served: serve_call posts the completion, and the TA may
		 * reuse that slot at once; counted until after serve_call, that next call found
		 * the lane full and was refused as a protocol breach (seen under ASan). busy
		 * keeps the dispatcher from serving the lane's next call meanwhile.
		 */
		w->head = (w->head + 1) % TZM_WIRE_LANE_SLOTS;
		w->count--;
		w->busy = true;
		__atomic_store_n(&w->serving_seq, rq.seq, __ATOMIC_SEQ_CST);
		pthread_mutex_unlock(&s->qlock);
		(void)serve_call(s, rq, slot, &w->last_full, &w->in_call, &plan);
		pthread_mutex_lock(&s->qlock);
		__atomic_store_n(&w->serving_seq, 0, __ATOMIC_SEQ_CST);
		w->busy = false;
	}
	pthread_mutex_unlock(&s->qlock);
	return NULL;
}

/* Hands a call to its lane's worker (started on first use); qlock held. -EPROTO: overrun. */
static int enqueue(struct tzm_shadow *s, const struct tzm_wire_req *rq, uint32_t slot,
		   const struct tzm__serve_plan *plan)
{
	struct tzm__lane_worker *w = lane_worker(s, slot / TZM_WIRE_LANE_SLOTS);

	if (w->count >= TZM_WIRE_LANE_SLOTS) {
		return -EPROTO; /* more calls in flight on a lane than it has slots */
	}
	if (!w->started) {
		pthread_cond_init(&w->cond, NULL);
		w->owner = s;
		if (pthread_create(&w->thread, NULL, worker_main, w) != 0) {
			pthread_cond_destroy(&w->cond);
			return -EAGAIN;
		}
		w->started = true;
	}
	w->queue[(w->head + w->count) % TZM_WIRE_LANE_SLOTS].rq = *rq;
	w->queue[(w->head + w->count) % TZM_WIRE_LANE_SLOTS].slot = slot;
	w->queue[(w->head + w->count) % TZM_WIRE_LANE_SLOTS].plan = *plan;
	w->count++;
	pthread_cond_signal(&w->cond);
	return 0;
}

bool tzm_shadow_kick_workers(struct tzm_shadow *s, int sig, bool for_signal)
{
	bool any = false, signal_kicked = !for_signal;

	pthread_mutex_lock(&s->qlock);
	for (uint32_t l = 0; s->workers && l < TZM_WIRE_MAX_LANES; l++) {
		struct tzm__lane_worker *w = lane_worker(s, l);
		uint32_t serving = 0;
		bool marked = false;

		if (!w->started || !__atomic_load_n(&w->in_call, __ATOMIC_SEQ_CST)) {
			continue;
		}
		serving = __atomic_load_n(&w->serving_seq, __ATOMIC_SEQ_CST);
		marked = serving != 0 &&
			 __atomic_load_n(&w->interrupt_seq, __ATOMIC_SEQ_CST) == serving;
		/* lanes in order: main's lane first, else the lowest one in a call */
		if (marked || !signal_kicked) {
			pthread_kill(w->thread, sig);
			signal_kicked = true;
			any = true;
		}
	}
	pthread_mutex_unlock(&s->qlock);
	return any;
}

/* Whether every worker not yet joined is in a name lookup (lock held). */
static bool only_lookups_left(struct tzm_shadow *s)
{
	for (uint32_t l = 0; l < TZM_WIRE_MAX_LANES; l++) {
		const struct tzm__lane_worker *w = lane_worker(s, l);

		if (w->started && !w->in_lookup) {
			return false;
		}
	}
	return true;
}

/*
 * Ends the workers: each finishes (or is interrupted in) its call, then returns. A worker
 * in a name lookup cannot be interrupted (tzm__unlock_lookup) and is not waited for: once
 * the others are gone, this thread takes the lock and keeps it until the process exits,
 * so that such a worker, whose lookup may end while the channel is being unmapped, stops
 * in tzm__relock and never touches the shadow's state again. Returns with the lock held
 * then (s->workers stays theirs).
 */
static void stop_workers(struct tzm_shadow *s)
{
	const struct timespec tick = { 0, 20 * 1000000L };

	if (!s->workers) {
		return;
	}
	pthread_mutex_lock(&s->qlock);
	__atomic_store_n(&s->stopping, 1, __ATOMIC_RELEASE);
	for (uint32_t l = 0; l < TZM_WIRE_MAX_LANES; l++) {
		struct tzm__lane_worker *w = lane_worker(s, l);

		if (w->started) {
			pthread_cond_signal(&w->cond);
		}
	}
	pthread_mutex_unlock(&s->qlock);
	for (;;) {
		unsigned running = 0, looking_up = 0;

		for (uint32_t l = 0; l < TZM_WIRE_MAX_LANES; l++) {
			struct tzm__lane_worker *w = lane_worker(s, l);
			bool lookup = false;

			if (!w->started) {
				continue;
			}
			if (pthread_tryjoin_np(w->thread, NULL) == 0) {
				pthread_cond_destroy(&w->cond);
				w->started = false;
				continue;
			}
			pthread_mutex_lock(&s->lock);
			lookup = w->in_lookup;
			pthread_mutex_unlock(&s->lock);
			if (lookup) {
				looking_up++;
				continue;
			}
			/* a worker may sit in a blocking call for a TA that is gone */
			pthread_kill(w->thread, SIGRTMIN);
			running++;
		}
		if (running == 0 && looking_up == 0) {
			break;
		}
		if (running == 0) {
			pthread_mutex_lock(&s->lock);
			if (only_lookups_left(s)) {
				return; /* the lock stays held: see above */
			}
			pthread_mutex_unlock(&s->lock); /* one left its lookup meanwhile */
		}
		nanosleep(&tick, NULL);
	}
	pthread_mutex_lock(&s->qlock);
	free(s->workers);
	s->workers = NULL;
	pthread_mutex_unlock(&s->qlock);
}

int tzm_shadow_serve(struct tzm_shadow *s)
{
	struct tzm_server_transport *tp = s->tp;
	bool last_full = false;
	int rc = 0;

	for (;;) {
		struct tzm_wire_req rq;
		struct tzm__serve_plan plan = { false, false, 0 };
		struct tzm__lane_worker *w = NULL;
		uint32_t slot = 0;
		bool idle = false;

		rc = tp->ops->next_slot ? tp->ops->next_slot(tp, &rq, &slot)
					: tp->ops->next(tp, &rq);
		if (rc == -ESHUTDOWN) {
			rc = 0;
			break;
		}
		if (rc != 0) {
			fprintf(stderr, "tzm-run: the TA broke the wire protocol (%s)\n",
				strerror(-rc));
			rc = -EPROTO;
			break;
		}
		if (!s->threaded && slot / TZM_WIRE_LANE_SLOTS == 0 &&
		    (!tp->ops->lanes_hint || tp->ops->lanes_hint(tp) <= 1)) {
			/* one TA thread: its calls are served here, one after another */
			(void)serve_call(s, rq, slot, &last_full, &s->in_call, &plan);
			continue;
		}
		pthread_mutex_lock(&s->qlock);
		if (!s->threaded) {
			/* a second TA thread: from now on each lane has a worker */
			s->workers = calloc(TZM_WIRE_MAX_LANES, sizeof(*s->workers));
			if (s->workers) {
				lane_worker(s, 0)->last_full = last_full;
				pthread_mutex_lock(&s->lock);
				s->threaded = true;
				pthread_mutex_unlock(&s->lock);
			}
		}
		if (s->workers) {
			w = lane_worker(s, slot / TZM_WIRE_LANE_SLOTS);
			idle = w->count == 0 && !w->busy;
		}
		pthread_mutex_unlock(&s->qlock);
		if (idle) {
			/*
			 * Nothing of this lane is queued or being served (and only this thread
			 * queues): a socket read or write that completes without waiting is
			 * answered here, without waking the lane's worker (serve_call).
			 */
			plan.try_only = true;
			if (serve_call(s, rq, slot, &w->last_full, &s->in_call, &plan)) {
				if (tp->ops->handed_off) {
					tp->ops->handed_off(tp, false);
				}
				continue;
			}
			plan.try_only = false;
		}
		pthread_mutex_lock(&s->qlock);
		rc = s->workers ? enqueue(s, &rq, slot, &plan) : -ENOMEM;
		pthread_mutex_unlock(&s->qlock);
		if (tp->ops->handed_off) {
			tp->ops->handed_off(tp, true);
		}
		if (rc != 0) {
			fprintf(stderr, "tzm-run: %s\n",
				rc == -EPROTO ? "the TA broke the wire protocol (more calls on a "
						"lane than it has slots)"
					      : "cannot start a thread to serve the TA's thread");
			rc = -EPROTO;
			break;
		}
	}
	stop_workers(s);
	return rc;
}

void tzm_shadow_close_all(struct tzm_shadow *s)
{
	for (unsigned i = 0; i < TZM_WIRE_MAX_FDS; i++) {
		tzm__sfd_release(s, (int)i);
	}
	for (size_t i = 0; i < TZM__INUSE_MAX; i++) {
		if (s->inuse[i].users > 0) {
			return; /* a call still uses it (a lookup left to itself) */
		}
	}
	if (s->inert >= 0) {
		close(s->inert);
		s->inert = -1;
	}
}
