/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Record locks: fcntl's F_GETLK, F_SETLK, F_SETLKW and the F_OFD_ forms, and lockf over
 * them. Each is one RECLOCK call: [in] a0 fd, a1 the command, a2..a5 the struct flock's
 * l_type, l_whence, l_start, l_len; [out] ret 0 and, for the GETLKs, aux0..aux4 the
 * holder's l_type, l_whence, l_start, l_len, l_pid. The shadow runs it on the TA's own
 * host descriptor, so the TA's POSIX locks are the shadow process's (shadow/h_lock.c:
 * why, and how the shadow keeps them through its own closes). The caller's struct is read
 * once into a local, and written only after the whole answer passed lock_answer_ok().
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include "tzm_int.h"

/* Linux's largest pid (PID_MAX_LIMIT, include/linux/threads.h on 64-bit) */
#define PID_LIMIT (4 * 1024 * 1024)

static bool is_ofd(int cmd)
{
	return cmd == F_OFD_GETLK || cmd == F_OFD_SETLK || cmd == F_OFD_SETLKW;
}

/* The last offset of [start, start + len) (len 0: to the end of any file); false: none. */
static bool range_end(int64_t start, int64_t len, int64_t *end)
{
	if (len == 0) {
		*end = INT64_MAX;
		return true;
	}
	return !__builtin_add_overflow(start, len - 1, end);
}

/*
 * Whether a GETLK answer (aux[0..4]) can be Linux's for the request `asked`: a known type,
 * and, when a holder is reported, one that conflicts with the type asked (a read lock
 * only with a write lock), its range from the start of the file (Linux converts it to
 * SEEK_SET), not negative, not overflowing, overlapping the range asked when that was
 * given from the start of the file, and a pid Linux can report: -1 for an OFD lock's
 * holder, 0 for one in another pid namespace, else a pid, never the TA's own for F_GETLK
 * (a process's own locks never conflict with it). Pure.
 */
static bool lock_answer_ok(const struct flock *asked, bool ofd, const int64_t aux[5],
			   const char **why)
{
	int64_t end = 0, asked_start = 0, asked_end = 0;

	if (aux[0] == F_UNLCK) {
		return true; /* nothing holds it: only l_type changes */
	}
	if (aux[0] != F_RDLCK && aux[0] != F_WRLCK) {
		*why = "unknown lock type";
		return false;
	}
	if (asked->l_type == F_RDLCK && aux[0] == F_RDLCK) {
		*why = "a read lock reported against a read lock";
		return false;
	}
	if (aux[1] != SEEK_SET) {
		*why = "holder's range not from the start of the file";
		return false;
	}
	if (aux[2] < 0 || aux[3] < 0 || !range_end(aux[2], aux[3], &end)) {
		*why = "holder's range out of bounds";
		return false;
	}
	if (aux[4] < -1 || aux[4] > PID_LIMIT) {
		*why = "holder's pid out of range";
		return false;
	}
	if (!ofd && aux[4] > 0 && aux[4] == tzm__rt.setup.pid) {
		*why = "F_GETLK reported the TA's own lock";
		return false;
	}
	if (asked->l_whence == SEEK_SET) {
		if (asked->l_start < 0) {
			*why = "a holder reported for a negative start";
			return false;
		}
		/* a negative length stands for the bytes before l_start (Linux, POSIX 2008) */
		asked_start = asked->l_len < 0 ? (int64_t)asked->l_start + asked->l_len
					       : (int64_t)asked->l_start;
		if (asked->l_len < 0) {
			asked_end = (int64_t)asked->l_start - 1;
		} else if (!range_end(asked->l_start, asked->l_len, &asked_end)) {
			asked_end = INT64_MAX;
		}
		if (end < asked_start || aux[2] > asked_end) {
			*why = "holder's range does not meet the range asked";
			return false;
		}
	}
	return true;
}

int tzm__fcntl_lock(int fd, int cmd, struct flock *user)
{
	struct tzm__call c;
	struct flock fl;
	const char *why = "";
	const bool get = cmd == F_GETLK || cmd == F_OFD_GETLK;
	int64_t r = 0;

	if (tzm__null(user)) {
		errno = EFAULT;
		return -1;
	}
	memcpy(&fl, user, sizeof(fl));
	if (is_ofd(cmd) && fl.l_pid != 0) {
		errno = EINVAL; /* Linux: an OFD lock request names no pid */
		return -1;
	}
	tzm__begin(&c, TZM_OP_RECLOCK);
	c.req.args[0] = fd;
	c.req.args[1] = cmd;
	c.req.args[2] = fl.l_type;
	c.req.args[3] = fl.l_whence;
	c.req.args[4] = fl.l_start;
	c.req.args[5] = fl.l_len;
	r = tzm__invoke(&c);
	if (r < 0) {
		if (errno == ENOSYS) {
			tzm__log_once(
				"fcntl(record locks)",
				"fcntl(record locks): ENOSYS from the shadow (locks are "
				"forwarded on regular files only; an older tzm-run forwards none)");
		}
		return -1;
	}
	if (r != 0) {
		return (int)tzm__malformed(&c, "record lock answered other than 0");
	}
	if (!get) {
		return 0;
	}
	if (!lock_answer_ok(&fl, is_ofd(cmd), c.resp.aux, &why)) {
		return (int)tzm__malformed(&c, why);
	}
	user->l_type = (short)c.resp.aux[0];
	if (c.resp.aux[0] != F_UNLCK) {
		user->l_whence = SEEK_SET;
		user->l_start = (off_t)c.resp.aux[2];
		user->l_len = (off_t)c.resp.aux[3];
		user->l_pid = (pid_t)c.resp.aux[4];
	}
	return 0;
}

/* glibc's lockf (sysdeps/posix/lockf64.c) over libtzm's fcntl: glibc's calls its own. */
int lockf(int fd, int cmd, off_t len)
{
	struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_CUR, .l_start = 0, .l_len = len };

	switch (cmd) {
	case F_TEST:
		fl.l_type = F_RDLCK;
		if (tzm__fcntl_lock(fd, F_GETLK, &fl) < 0) {
			return -1;
		}
		if (fl.l_type == F_UNLCK || fl.l_pid == getpid()) {
			return 0;
		}
		errno = EACCES;
		return -1;
	case F_ULOCK:
		fl.l_type = F_UNLCK;
		return tzm__fcntl_lock(fd, F_SETLK, &fl);
	case F_LOCK:
		return tzm__fcntl_lock(fd, F_SETLKW, &fl);
	case F_TLOCK:
		return tzm__fcntl_lock(fd, F_SETLK, &fl);
	default:
		errno = EINVAL;
		return -1;
	}
}

int lockf64(int fd, int cmd, off64_t len)
{
	return lockf(fd, cmd, len);
}
