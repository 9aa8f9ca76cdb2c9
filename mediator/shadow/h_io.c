/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Shadow handlers for descriptor I/O: read/write (positional too), close, lseek, fsync,
 * ftruncate, fstat, fcntl, dup, pipe2, plus NOP and CLOCK_GETTIME. Data is read into and
 * written from the shared data area directly (no copy in the shadow).
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include "shadow.h"

void tzm__h_NOP(struct tzm_shadow *s, const struct tzm_wire_req *rq, uint8_t *buf, size_t cap,
		struct tzm_wire_resp *rs)
{
	(void)s;
	(void)rq;
	(void)buf;
	(void)cap;
	tzm__set_ret(rs, 0);
}

void tzm__h_CLOSE(struct tzm_shadow *s, const struct tzm_wire_req *rq, uint8_t *buf, size_t cap,
		  struct tzm_wire_resp *rs)
{
	(void)buf;
	(void)cap;
	if (!tzm__sfd_get(s, rq->args[0], rs)) {
		return;
	}
	tzm__sfd_release(s, (int)rq->args[0]);
	tzm__set_ret(rs, 0);
}

static bool is_datagram(const struct tzm__sfd *f)
{
	return f->kind == SFD_SOCK &&
	       (f->sock_type == SOCK_DGRAM || f->sock_type == SOCK_SEQPACKET);
}

/* How a linked read chunk reads a descriptor (struct tzm__sfd.read_more). */
enum {
	MORE_UNKNOWN = 0,
	MORE_NONE,   /* not read ahead: the chain ends (terminals, datagrams, ...) */
	MORE_FILE,   /* regular files, block and memory devices: a read never waits */
	MORE_PIPE,   /* pipes and FIFOs: preadv2(RWF_NOWAIT) */
	MORE_STREAM, /* stream sockets: only the bytes FIONREAD reports */
};

static uint8_t more_kind(struct tzm__sfd *f)
{
	struct stat st;
	int type = 0;
	socklen_t len = sizeof(type);

	if (f->read_more != MORE_UNKNOWN) {
		return f->read_more;
	}
	f->read_more = MORE_NONE;
	if (fstat(f->host, &st) != 0) {
		return f->read_more;
	}
	if (S_ISREG(st.st_mode) || S_ISBLK(st.st_mode) ||
	    (S_ISCHR(st.st_mode) && major(st.st_rdev) == 1)) {
		/* major 1: /dev/null, zero, full, random, urandom... never wait */
		f->read_more = MORE_FILE;
	} else if (S_ISFIFO(st.st_mode)) {
		f->read_more = MORE_PIPE;
	} else if (S_ISSOCK(st.st_mode) &&
		   getsockopt(f->host, SOL_SOCKET, SO_TYPE, &type, &len) == 0 &&
		   type == SOCK_STREAM) {
		f->read_more = MORE_STREAM;
	}
	return f->read_more;
}

/*
 * The result is one a single read of the whole count could have given: that read returns
 * what is there once some data is, and the chunk before this one was full. So this chunk
 * must not wait (a single read would have returned instead) and must not consume anything
 * but data: a recv() that finds no data takes the socket's pending error (Linux reports
 * it only when nothing was copied), and the error would be lost behind the bytes already
 * returned. Hence FIONREAD first on sockets. A pipe read never consumes state other than
 * data, and RWF_NOWAIT keeps it from waiting even if another reader drained it meanwhile.
 * A socket shared with another process could lose its data between FIONREAD and recv();
 * the shadow's sockets are its own.
 */
ssize_t tzm__read_more(struct tzm__sfd *f, uint8_t *buf, size_t count, bool positional, off_t off)
{
	struct iovec iov = { .iov_base = buf, .iov_len = count };
	int avail = 0;
	ssize_t r = 0;

	switch (more_kind(f)) {
	case MORE_FILE:
		return positional ? pread(f->host, buf, count, off) : read(f->host, buf, count);
	case MORE_PIPE:
		r = positional ? 0 : preadv2(f->host, &iov, 1, -1, RWF_NOWAIT);
		return r > 0 ? r : 0;
	case MORE_STREAM:
		if (positional || ioctl(f->host, FIONREAD, &avail) != 0 || avail <= 0) {
			return 0;
		}
		r = recv(f->host, buf, (size_t)avail < count ? (size_t)avail : count, MSG_DONTWAIT);
		return r > 0 ? r : 0;
	default:
		return 0;
	}
}

bool tzm__ready_now(int host, short events)
{
	struct pollfd p = { .fd = host, .events = events, .revents = 0 };

	return poll(&p, 1, 0) > 0;
}

ssize_t tzm__read_nowait(struct tzm__sfd *f, uint8_t *buf, size_t count)
{
	struct iovec iov = { .iov_base = buf, .iov_len = count };
	ssize_t r = 0;

	if (more_kind(f) == MORE_FILE) {
		/* never waits for the world; RWF_NOWAIT would refuse data not yet cached */
		return read(f->host, buf, count);
	}
	if (!f->no_rwf_nowait) {
		/* pipes, FIFOs and sockets: the kernel's own non-blocking read, for this call */
		r = preadv2(f->host, &iov, 1, -1, RWF_NOWAIT);
		if (r >= 0 || (errno != EOPNOTSUPP && errno != EINVAL)) {
			return r;
		}
		f->no_rwf_nowait = true;
	}
	if (!tzm__ready_now(f->host, POLLIN)) {
		errno = EAGAIN;
		return -1;
	}
	return read(f->host, buf, count);
}

static void do_read(struct tzm_shadow *s, const struct tzm_wire_req *rq, uint8_t *buf, size_t cap,
		    struct tzm_wire_resp *rs, bool positional)
{
	struct tzm__sfd *f = tzm__sfd_get(s, rq->args[0], rs);
	ssize_t r = 0;

	if (!f) {
		return;
	}
	if (!tzm__req_count(rq->args[1], cap, rs)) {
		return;
	}
	if (rq->flags & TZM_REQ_F_LINK) {
		r = tzm__read_more(f, buf, (size_t)rq->args[1], positional, (off_t)rq->args[2]);
	} else if (s->call_nowait && !positional) {
		r = tzm__read_nowait(f, buf, (size_t)rq->args[1]);
	} else if (positional) {
		r = pread(f->host, buf, (size_t)rq->args[1], (off_t)rq->args[2]);
	} else {
		r = read(f->host, buf, (size_t)rq->args[1]);
	}
	tzm__set_ret(rs, r);
	rs->data_len = r > 0 ? (uint32_t)r : 0;
}

void tzm__h_READ(struct tzm_shadow *s, const struct tzm_wire_req *rq, uint8_t *buf, size_t cap,
		 struct tzm_wire_resp *rs)
{
	do_read(s, rq, buf, cap, rs, false);
}

void tzm__h_PREAD(struct tzm_shadow *s, const struct tzm_wire_req *rq, uint8_t *buf, size_t cap,
		  struct tzm_wire_resp *rs)
{
	do_read(s, rq, buf, cap, rs, true);
}

static void do_write(struct tzm_shadow *s, const struct tzm_wire_req *rq, uint8_t *buf,
		     struct tzm_wire_resp *rs, bool positional)
{
	struct tzm__sfd *f = tzm__sfd_get(s, rq->args[0], rs);
	struct tzm__unlocked u;
	/* after a try that sent part of it (serve.c): the rest; skip <= data_len */
	const uint8_t *data = buf + s->skip;
	size_t len = rq->data_len - s->skip;
	bool sock = false;
	ssize_t r = 0;

	if (!f) {
		return;
	}
	/* a datagram must not be split across chunks */
	if (is_datagram(f) && rq->args[1] > (int64_t)rq->data_len) {
		tzm__set_err(rs, EMSGSIZE);
		return;
	}
	sock = f->kind == SFD_SOCK;
	if (positional) {
		r = pwrite(f->host, buf, rq->data_len, (off_t)rq->args[2]);
	} else if (sock && s->call_nowait) {
		/* serve.c's try: what the socket takes now */
		r = send(f->host, data, len, MSG_NOSIGNAL | MSG_DONTWAIT);
	} else if (!s->threaded || more_kind(f) == MORE_FILE) {
		/* one TA thread, or a regular file or device that never waits for a reader */
		r = sock ? send(f->host, data, len, MSG_NOSIGNAL) : write(f->host, data, len);
	} else {
		/*
		 * A pipe, socket or terminal: a blocking write returns once the kernel took
		 * the whole count, waiting for the reader (serve.c's prewait waits only until
		 * some room is free; a socket's write has no prewait), who may be another
		 * thread of the TA.
		 */
		if (!tzm__unlock(s, &u, f->host, -1, rs)) {
			return;
		}
		r = sock ? send(u.fd[0], data, len, MSG_NOSIGNAL) : write(u.fd[0], data, len);
		tzm__relock(s, &u);
	}
	tzm__set_ret(rs, r);
}

void tzm__h_WRITE(struct tzm_shadow *s, const struct tzm_wire_req *rq, uint8_t *buf, size_t cap,
		  struct tzm_wire_resp *rs)
{
	(void)cap;
	do_write(s, rq, buf, rs, false);
}

void tzm__h_PWRITE(struct tzm_shadow *s, const struct tzm_wire_req *rq, uint8_t *buf, size_t cap,
		   struct tzm_wire_resp *rs)
{
	(void)cap;
	do_write(s, rq, buf, rs, true);
}

void tzm__h_LSEEK(struct tzm_shadow *s, const struct tzm_wire_req *rq, uint8_t *buf, size_t cap,
		  struct tzm_wire_resp *rs)
{
	struct tzm__sfd *f = tzm__sfd_get(s, rq->args[0], rs);

	(void)buf;
	(void)cap;
	if (f) {
		tzm__set_ret(rs, lseek(f->host, (off_t)rq->args[1], (int)rq->args[2]));
	}
}

void tzm__h_FSYNC(struct tzm_shadow *s, const struct tzm_wire_req *rq, uint8_t *buf, size_t cap,
		  struct tzm_wire_resp *rs)
{
	struct tzm__sfd *f = tzm__sfd_get(s, rq->args[0], rs);
	struct tzm__unlocked u;

	(void)buf;
	(void)cap;
	/* waits for the disk: the TA's other threads' calls go on meanwhile */
	if (f && tzm__unlock(s, &u, f->host, -1, rs)) {
		tzm__set_ret(rs, fsync(u.fd[0]));
		tzm__relock(s, &u);
	}
}

void tzm__h_FTRUNCATE(struct tzm_shadow *s, const struct tzm_wire_req *rq, uint8_t *buf, size_t cap,
		      struct tzm_wire_resp *rs)
{
	struct tzm__sfd *f = tzm__sfd_get(s, rq->args[0], rs);

	(void)buf;
	(void)cap;
	if (f) {
		tzm__set_ret(rs, ftruncate(f->host, (off_t)rq->args[1]));
	}
}

void tzm__stat_to_wire(const struct stat *st, struct tzm_wire_stat *w);
void tzm__stat_to_wire(const struct stat *st, struct tzm_wire_stat *w)
{
	memset(w, 0, sizeof(*w));
	w->dev = st->st_dev;
	w->ino = st->st_ino;
	w->mode = st->st_mode;
	w->nlink = (uint32_t)st->st_nlink;
	w->uid = st->st_uid;
	w->gid = st->st_gid;
	w->rdev = st->st_rdev;
	w->size = st->st_size;
	w->blksize = st->st_blksize;
	w->blocks = st->st_blocks;
	w->atime_sec = st->st_atim.tv_sec;
	w->atime_nsec = st->st_atim.tv_nsec;
	w->mtime_sec = st->st_mtim.tv_sec;
	w->mtime_nsec = st->st_mtim.tv_nsec;
	w->ctime_sec = st->st_ctim.tv_sec;
	w->ctime_nsec = st->st_ctim.tv_nsec;
}

void tzm__h_FSTAT(struct tzm_shadow *s, const struct tzm_wire_req *rq, uint8_t *buf, size_t cap,
		  struct tzm_wire_resp *rs)
{
	struct tzm__sfd *f = tzm__sfd_get(s, rq->args[0], rs);
	struct stat st;
	struct tzm_wire_stat w;

	(void)cap;
	if (!f) {
		return;
	}
	if (fstat(f->host, &st) != 0) {
		tzm__set_ret(rs, -1);
		return;
	}
	tzm__stat_to_wire(&st, &w);
	memcpy(buf, &w, sizeof(w));
	rs->data_len = sizeof(w);
	tzm__set_ret(rs, 0);
}

static void dup_into(struct tzm_shadow *s, struct tzm__sfd *f, int target, int min, bool cloexec,
		     struct tzm_wire_resp *rs)
{
	struct tzm__sfd src = *f;
	char *path = NULL;
	int host = -1, ta = -1;

	if (src.path) { /* a directory's: the copy is one too */
		path = strdup(src.path);
		if (!path) {
			tzm__set_err(rs, ENOMEM);
			goto out;
		}
	}
	host = dup(f->host);
	if (host < 0) {
		tzm__set_ret(rs, -1);
		goto out;
	}
	if (target >= 0) {
		tzm__sfd_release(s, target);
		min = target;
	}
	ta = tzm__sfd_add(s, host, src.kind == SFD_STDIO ? SFD_FILE : (enum tzm__sfd_kind)src.kind,
			  min, rs);
	if (ta < 0) {
		goto out;
	}
	if (target >= 0 && ta != target) { /* cannot happen: target was just freed */
		tzm__sfd_release(s, ta);
		tzm__set_err(rs, EBADF);
		goto out;
	}
	s->fds[ta].sock_type = src.sock_type;
	s->fds[ta].sock_domain = src.sock_domain;
	s->fds[ta].sock_proto = src.sock_proto;
	s->fds[ta].cloexec = cloexec;
	s->fds[ta].path = path;
	path = NULL;
	tzm__set_ret(rs, ta);
out:
	free(path);
}

void tzm__h_FCNTL(struct tzm_shadow *s, const struct tzm_wire_req *rq, uint8_t *buf, size_t cap,
		  struct tzm_wire_resp *rs)
{
	struct tzm__sfd *f = tzm__sfd_get(s, rq->args[0], rs);
	int64_t arg = rq->args[2];

	(void)buf;
	(void)cap;
	if (!f) {
		return;
	}
	switch (rq->args[1]) {
	case F_GETFL:
		tzm__set_ret(rs, fcntl(f->host, F_GETFL));
		break;
	case F_SETFL:
		tzm__set_ret(rs, fcntl(f->host, F_SETFL, (int)(arg & (O_NONBLOCK | O_APPEND))));
		break;
	case F_GETFD:
		tzm__set_ret(rs, f->cloexec ? FD_CLOEXEC : 0);
		break;
	case F_SETFD:
		f->cloexec = (arg & FD_CLOEXEC) != 0;
		tzm__set_ret(rs, 0);
		break;
	case F_DUPFD:
	case F_DUPFD_CLOEXEC:
		if (arg < 0 || arg >= (int64_t)s->max_fds) {
			tzm__set_err(rs, EINVAL);
			return;
		}
		dup_into(s, f, -1, (int)arg, rq->args[1] == F_DUPFD_CLOEXEC, rs);
		break;
	default:
		tzm__set_err(rs, EINVAL);
	}
}

void tzm__h_DUP(struct tzm_shadow *s, const struct tzm_wire_req *rq, uint8_t *buf, size_t cap,
		struct tzm_wire_resp *rs)
{
	struct tzm__sfd *f = tzm__sfd_get(s, rq->args[0], rs);
	int64_t target = rq->args[1];

	(void)buf;
	(void)cap;
	if (!f) {
		return;
	}
	if (target >= (int64_t)s->max_fds || target < -1) {
		tzm__set_err(rs, EBADF);
		return;
	}
	if (target == rq->args[0]) {
		tzm__set_ret(rs, target);
		return;
	}
	dup_into(s, f, (int)target, 0, (rq->args[2] & O_CLOEXEC) != 0, rs);
}

void tzm__h_PIPE2(struct tzm_shadow *s, const struct tzm_wire_req *rq, uint8_t *buf, size_t cap,
		  struct tzm_wire_resp *rs)
{
	int p[2] = { -1, -1 }, ta[2] = { -1, -1 };

	(void)buf;
	(void)cap;
	if (rq->args[0] & ~(int64_t)(O_NONBLOCK | O_CLOEXEC)) {
		tzm__set_err(rs, EINVAL);
		return;
	}
	if (pipe2(p, (int)(rq->args[0] & O_NONBLOCK) | O_CLOEXEC) != 0) {
		tzm__set_ret(rs, -1);
		return;
	}
	(void)tzm__sfd_answer_pair(s, p, SFD_PIPE, (rq->args[0] & O_CLOEXEC) != 0, rs, ta);
}

void tzm__h_CLOCK_GETTIME(struct tzm_shadow *s, const struct tzm_wire_req *rq, uint8_t *buf,
			  size_t cap, struct tzm_wire_resp *rs)
{
	struct timespec ts;

	(void)s;
	(void)buf;
	(void)cap;
	if (rq->args[0] != CLOCK_REALTIME) {
		tzm__set_err(rs, EINVAL);
		return;
	}
	if (clock_gettime(CLOCK_REALTIME, &ts) != 0) {
		tzm__set_ret(rs, -1);
		return;
	}
	rs->aux[0] = ts.tv_sec;
	rs->aux[1] = ts.tv_nsec;
	tzm__set_ret(rs, 0);
}
