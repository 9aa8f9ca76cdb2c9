/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Record locks: fcntl's F_GETLK, F_SETLK, F_SETLKW and the F_OFD_ forms on a TA
 * descriptor (RECLOCK: the struct flock's fields in a2..a5, F_GETLK's answer in aux0..4),
 * run by the shadow on the TA's own host descriptor.
 *
 * Whose locks. POSIX (non-OFD) record locks belong to a process, and Linux drops all of a
 * process's locks on a file when that process closes any descriptor of the file. The
 * TA's locks are the shadow's: the shadow is the process that asks for them, and its pid
 * is the TA's getpid() (the start record), so another process's F_GETLK names the TA's
 * pid, the kernel's deadlock detection sees the TA and a CA as the two owners they are
 * (EDEADLK where Linux gives it), and tzm-run's exit releases them as the end of a
 * process does. Rejected: OFD locks on the shadow's descriptor with the POSIX close rule
 * emulated. An OFD lock reports l_pid -1 to every other process, F_OFD_SETLKW never
 * answers EDEADLK, and two openings of one file in the TA would conflict with each
 * other, where one process's locks never do.
 *
 * The price is the close rule itself: any close() by the shadow of a descriptor of a file
 * the TA has locked would drop the TA's locks, not only the TA's own close (which must,
 * as on Linux). So the shadow closes a descriptor of a regular file only for the TA:
 *  - it opens regular files with read or write access only for the TA's open (h_file.c,
 *    which answers EMFILE before opening when the TA's table is full);
 *    every other path operation (stat, access, chmod, truncate, realpath, link, the
 *    policy's own resolution) works through O_PATH descriptors, whose close never
 *    touches locks (Linux skips them);
 *  - a call that runs without the executor lock (tzm__unlock, serve.c: fsync, flock,
 *    F_SETLKW here, sendfile) uses a regular file's host number itself instead of a dup
 *    it would have to close afterwards; a TA close of that number meanwhile puts an inert
 *    O_PATH descriptor in its place until the call is over (so the number is not reused
 *    under it), and the file's close is the TA's, when the TA closes, as on Linux (an
 *    F_SETLKW that got its lock just then undoes it, the kernel's own close race check);
 *  - reads and writes of regular files never wait, so serve.c's read pins (dups) are
 *    only ever taken of pipes, sockets and terminals;
 *  - glibc's own reads in a TA (ta/sandbox_open.c) open and close through the TA's
 *    open() and close(): natively glibc's close drops the process's locks too.
 * Locks are forwarded on regular files only: another kind answers ENOSYS (libtzm logs it).
 * Nothing new is reachable: the call names a descriptor the TA holds, and a lock changes
 * no data.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "shadow.h"

struct lock_req {
	int cmd;
	bool get;  /* F_GETLK, F_OFD_GETLK: the answer carries a struct flock */
	bool wait; /* F_SETLKW, F_OFD_SETLKW: may wait for another process */
	struct flock fl;
};

/*
 * The request's command and struct flock, decoded once from the header's copy: false
 * when it cannot be one (Linux's answer to a bad type or whence is EINVAL too).
 */
static bool decode_lock(const struct tzm_wire_req *rq, struct lock_req *lk)
{
	const int64_t type = rq->args[2], whence = rq->args[3];

	memset(lk, 0, sizeof(*lk));
	switch (rq->args[1]) {
	case F_GETLK:
	case F_OFD_GETLK:
		lk->get = true;
		break;
	case F_SETLKW:
	case F_OFD_SETLKW:
		lk->wait = true;
		break;
	case F_SETLK:
	case F_OFD_SETLK:
		break;
	default:
		return false;
	}
	if ((type != F_RDLCK && type != F_WRLCK && type != F_UNLCK) ||
	    (whence != SEEK_SET && whence != SEEK_CUR && whence != SEEK_END)) {
		return false;
	}
	lk->cmd = (int)rq->args[1];
	lk->fl.l_type = (short)type;
	lk->fl.l_whence = (short)whence;
	lk->fl.l_start = (off_t)rq->args[4];
	lk->fl.l_len = (off_t)rq->args[5];
	lk->fl.l_pid = 0; /* the OFD commands require 0; the others ignore it */
	return true;
}

bool tzm__lock_waits(const struct tzm_wire_req *rq)
{
	return rq->opcode == TZM_OP_RECLOCK &&
	       (rq->args[1] == F_SETLKW || rq->args[1] == F_OFD_SETLKW);
}

void tzm__h_RECLOCK(struct tzm_shadow *s, const struct tzm_wire_req *rq, uint8_t *buf, size_t cap,
		    struct tzm_wire_resp *rs)
{
	struct tzm__sfd *f = tzm__sfd_get(s, rq->args[0], rs);
	struct tzm__unlocked u;
	struct lock_req lk;
	struct stat st;
	int r = 0;

	(void)buf;
	(void)cap;
	if (!f) {
		return;
	}
	if (!decode_lock(rq, &lk)) {
		tzm__set_err(rs, EINVAL);
		return;
	}
	if (fstat(f->host, &st) != 0) {
		tzm__set_ret(rs, -1);
		return;
	}
	if (!S_ISREG(st.st_mode)) {
		tzm__set_err(rs, ENOSYS); /* see the file comment */
		return;
	}
	if (!lk.wait) {
		r = fcntl(f->host, lk.cmd, &lk.fl); /* does not wait */
	} else {
		/* waits for another process's lock: without the executor lock, on the number */
		if (!tzm__unlock(s, &u, f->host, -1, rs)) {
			return;
		}
		r = fcntl(u.fd[0], lk.cmd, &lk.fl);
		tzm__relock(s, &u);
	}
	tzm__set_ret(rs, r);
	if (r == 0 && lk.get) {
		/* Linux reports the holder's range from the start of the file (SEEK_SET) */
		rs->aux[0] = lk.fl.l_type;
		rs->aux[1] = lk.fl.l_whence;
		rs->aux[2] = lk.fl.l_start;
		rs->aux[3] = lk.fl.l_len;
		rs->aux[4] = lk.fl.l_pid;
	}
}
