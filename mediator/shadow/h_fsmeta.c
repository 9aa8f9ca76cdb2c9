/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Shadow handlers for file metadata and links: chmod/fchmod, chown/fchown,
 * utimensat/futimens, truncate, symlink, readlink, link, realpath, flock; and the
 * descriptor kinds created without a path: sendfile, eventfd, timerfd.
 *
 * Paths are checked like every other path (tzm_policy_path on the TA-visible absolute
 * path, then openat2 RESOLVE_BENEATH under the rule's root): the object is opened O_PATH
 * (O_NOFOLLOW for the l-forms) and changed through that descriptor, so a symlink or `..`
 * cannot redirect the change out of the allowed tree. Changing metadata needs a rule that
 * allows writing (`path rw`, or the fifo/unix rule of such an object).
 *
 * Descriptor forms (fchmod, fchown, futimens) act on a file the TA opened under the
 * policy, possibly through a read-only rule: the file's current path (the kernel's name for
 * the descriptor) must be inside a rule that allows writing. Anonymous objects (pipes,
 * sockets, eventfds) have no path and no policy.
 *
 * A symlink's target is resolved as the TA would see it (relative to the link's directory,
 * lexically) and must lie inside some rule: a link may not point out of the policy. That
 * lexical view is exact only without "..": after a link component, or once the link is
 * moved, ".." leaves the place the text names. So a target with ".." needs the rule
 * option `uplinks` (which accepts that residual risk); without "..", every link the TA
 * makes resolves, link by link, to a place the check saw. A hard
 * link's source must be writable under the policy (a link from a read-only tree into a
 * read-write one would make the file writable).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/file.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#include "shadow.h"

void tzm__path_normalize(char *p); /* h_proc.c */

#define ALL_KINDS (TZM__K(FILE) | TZM__K(FIFO) | TZM__K(UNIX))

/* The first rule kind in `kinds` that allows abs; 0 or -EACCES (not logged). */
static int policy_any(struct tzm_shadow *s, const char *abs, bool write, unsigned kinds,
		      int *rootfd, const char **rel, bool *beneath)
{
	for (unsigned k = 0; k < 3; k++) {
		if ((kinds & (1u << k)) && tzm_policy_path(s->pol, abs, write, (enum tzm_pol_kind)k,
							   rootfd, rel, beneath) == 0) {
			return 0;
		}
	}
	return -EACCES;
}

/*
 * Policy-checked O_PATH open of a TA path (tzm_policy_open: the object's type must be the
 * kind of the rule that grants it, e.g. a fifo rule cannot chmod a regular file); a host
 * fd or -errno (denials logged once).
 */
static int open_checked(struct tzm_shadow *s, int64_t dirfd, const char *path, bool write,
			unsigned kinds, bool nofollow, const char *what, char *abs, size_t abslen)
{
	int rc = tzm__abs_path(s, dirfd, path, abs, abslen);

	if (rc != 0) {
		return rc;
	}
	return tzm_policy_open(s->pol, what, abs, write, kinds,
			       O_PATH | O_CLOEXEC | (nofollow ? O_NOFOLLOW : 0), 0);
}

static void proc_path(char *out, size_t len, int fd)
{
	snprintf(out, len, "/proc/self/fd/%d", fd);
}

/*
 * May the TA change the metadata of the object behind its descriptor? Only if the
 * object's current path lies in a rule allowing writing; anonymous objects always.
 */
static int fd_meta_allowed(struct tzm_shadow *s, const struct tzm__sfd *f, const char *what)
{
	char proc[64], path[PATH_MAX];
	const char *rel = NULL;
	int rootfd = -1;
	bool beneath = false;
	ssize_t n = 0;

	proc_path(proc, sizeof(proc), f->host);
	n = readlink(proc, path, sizeof(path) - 1);
	if (n <= 0) {
		return -EBADF;
	}
	path[n] = '\0';
	if (path[0] != '/') {
		return 0; /* pipe:[..], socket:[..], anon_inode:[..] */
	}
	if (policy_any(s, path, true, ALL_KINDS, &rootfd, &rel, &beneath) != 0) {
		tzm_policy_deny_log(s->pol, "%s (descriptor) %s", what, path);
		return -EACCES;
	}
	return 0;
}

/* The TA's descriptor for a metadata change, if its object may be changed; else NULL. */
static struct tzm__sfd *meta_fd(struct tzm_shadow *s, int64_t tafd, const char *what,
				struct tzm_wire_resp *rs)
{
	struct tzm__sfd *f = tzm__sfd_get(s, tafd, rs);
	int rc = 0;

	if (!f) {
		return NULL;
	}
	rc = fd_meta_allowed(s, f, what);
	if (rc != 0) {
		tzm__set_err(rs, -rc);
		return NULL;
	}
	return f;
}

/*
 * The path forms: the object opened O_PATH under the policy (open_checked) is changed
 * through that descriptor by act(), which answers.
 */
struct meta_op {
	const char *what;
	int dirfd_arg;    /* the request argument holding the dirfd; -1: AT_FDCWD */
	int nofollow_arg; /* the one holding l-form's flag; -1: always follow */
	unsigned kinds;
	void (*act)(int fd, const struct tzm_wire_req *rq, struct tzm_wire_resp *rs);
};

static void meta_path(struct tzm_shadow *s, const struct meta_op *op, const struct tzm_wire_req *rq,
		      const uint8_t *buf, struct tzm_wire_resp *rs)
{
	char path[TZM_WIRE_MAX_PATH], abs[TZM_WIRE_MAX_PATH + PATH_MAX];
	int fd = -1;

	if (!tzm__req_path(rq, buf, 0, path, sizeof(path), rs)) {
		return;
	}
	fd = open_checked(s, op->dirfd_arg >= 0 ? rq->args[op->dirfd_arg] : AT_FDCWD, path, true,
			  op->kinds, op->nofollow_arg >= 0 && rq->args[op->nofollow_arg] != 0,
			  op->what, abs, sizeof(abs));
	if (fd < 0) {
		tzm__set_err(rs, -fd);
		return;
	}
	op->act(fd, rq, rs);
	close(fd);
}

void tzm__h_FCHMOD(struct tzm_shadow *s, const struct tzm_wire_req *rq, uint8_t *buf, size_t cap,
		   struct tzm_wire_resp *rs)
{
	struct tzm__sfd *f = meta_fd(s, rq->args[0], "fchmod", rs);

	(void)buf;
	(void)cap;
	if (f) {
		tzm__set_ret(rs, fchmod(f->host, (mode_t)(rq->args[1] & 07777)));
	}
}

static void chmod_act(int fd, const struct tzm_wire_req *rq, struct tzm_wire_resp *rs)
{
	char proc[64];
	struct stat st;

	if (fstat(fd, &st) == 0 && S_ISLNK(st.st_mode)) {
		tzm__set_err(rs, EOPNOTSUPP); /* Linux cannot change a symlink's mode */
		return;
	}
	proc_path(proc, sizeof(proc), fd);
	tzm__set_ret(rs, chmod(proc, (mode_t)(rq->args[0] & 07777)));
}

void tzm__h_CHMOD(struct tzm_shadow *s, const struct tzm_wire_req *rq, uint8_t *buf, size_t cap,
		  struct tzm_wire_resp *rs)
{
	static const struct meta_op op = { "chmod", 1, 2, ALL_KINDS, chmod_act };

	(void)cap;
	meta_path(s, &op, rq, buf, rs);
}

void tzm__h_FCHOWN(struct tzm_shadow *s, const struct tzm_wire_req *rq, uint8_t *buf, size_t cap,
		   struct tzm_wire_resp *rs)
{
	struct tzm__sfd *f = meta_fd(s, rq->args[0], "fchown", rs);

	(void)buf;
	(void)cap;
	if (f) {
		tzm__set_ret(rs, fchown(f->host, (uid_t)rq->args[1], (gid_t)rq->args[2]));
	}
}

static void chown_act(int fd, const struct tzm_wire_req *rq, struct tzm_wire_resp *rs)
{
	tzm__set_ret(rs, fchownat(fd, "", (uid_t)rq->args[0], (gid_t)rq->args[1], AT_EMPTY_PATH));
}

void tzm__h_CHOWN(struct tzm_shadow *s, const struct tzm_wire_req *rq, uint8_t *buf, size_t cap,
		  struct tzm_wire_resp *rs)
{
	static const struct meta_op op = { "chown", 2, 3, ALL_KINDS, chown_act };

	(void)cap;
	meta_path(s, &op, rq, buf, rs);
}

static bool nsec_ok(int64_t ns)
{
	return (ns >= 0 && ns < 1000000000) || ns == UTIME_NOW || ns == UTIME_OMIT;
}

static void times_of(const struct tzm_wire_req *rq, struct timespec ts[2])
{
	ts[0].tv_sec = (time_t)rq->args[2];
	ts[0].tv_nsec = (long)rq->args[3];
	ts[1].tv_sec = (time_t)rq->args[4];
	ts[1].tv_nsec = (long)rq->args[5];
}

static void utimens_act(int fd, const struct tzm_wire_req *rq, struct tzm_wire_resp *rs)
{
	char proc[64];
	struct timespec ts[2];
	struct stat st;

	times_of(rq, ts);
	if (fstat(fd, &st) == 0 && S_ISLNK(st.st_mode)) {
		tzm__set_ret(rs, utimensat(fd, "", ts, AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW));
		return;
	}
	proc_path(proc, sizeof(proc), fd);
	tzm__set_ret(rs, utimensat(AT_FDCWD, proc, ts, 0));
}

void tzm__h_UTIMENS(struct tzm_shadow *s, const struct tzm_wire_req *rq, uint8_t *buf, size_t cap,
		    struct tzm_wire_resp *rs)
{
	static const struct meta_op op = { "utimensat", 0, 1, ALL_KINDS, utimens_act };
	struct timespec ts[2];
	struct tzm__sfd *f = NULL;

	(void)cap;
	if (!nsec_ok(rq->args[3]) || !nsec_ok(rq->args[5])) {
		tzm__set_err(rs, EINVAL);
		return;
	}
	if (rq->data_len != 0) {
		meta_path(s, &op, rq, buf, rs);
		return;
	}
	f = meta_fd(s, rq->args[0], "futimens", rs); /* futimens */
	if (f) {
		times_of(rq, ts);
		tzm__set_ret(rs, futimens(f->host, ts));
	}
}

static void truncate_act(int fd, const struct tzm_wire_req *rq, struct tzm_wire_resp *rs)
{
	char proc[64];

	proc_path(proc, sizeof(proc), fd);
	tzm__set_ret(rs, truncate(proc, (off_t)rq->args[0]));
}

void tzm__h_TRUNCATE(struct tzm_shadow *s, const struct tzm_wire_req *rq, uint8_t *buf, size_t cap,
		     struct tzm_wire_resp *rs)
{
	static const struct meta_op op = { "truncate", -1, -1, TZM__K(FILE), truncate_act };

	(void)cap;
	meta_path(s, &op, rq, buf, rs);
}

/* Whether a link target has a ".." component. */
static bool has_dotdot(const char *target)
{
	for (const char *c = target; *c;) {
		size_t n = strcspn(c, "/");

		if (n == 2 && c[0] == '.' && c[1] == '.') {
			return true;
		}
		c += n;
		c += strspn(c, "/");
	}
	return false;
}

/*
 * A new link's or symlink's name ending in '/' names a directory, which neither can be: as
 * Linux, EEXIST when the name exists and ENOENT when not. (Resolving the parent drops
 * trailing slashes, which mkdir("dir/") and rename need.) Returns true when it answered.
 */
static bool refuse_dir_name(int dfd, const char *base, const char *path, struct tzm_wire_resp *rs)
{
	size_t n = strlen(path);
	struct stat st;

	if (n == 0 || path[n - 1] != '/') {
		return false;
	}
	tzm__set_err(rs, fstatat(dfd, base, &st, AT_SYMLINK_NOFOLLOW) == 0 ? EEXIST : ENOENT);
	return true;
}

void tzm__h_SYMLINK(struct tzm_shadow *s, const struct tzm_wire_req *rq, uint8_t *buf, size_t cap,
		    struct tzm_wire_resp *rs)
{
	char target[TZM_WIRE_MAX_PATH], path[TZM_WIRE_MAX_PATH], base[NAME_MAX + 1];
	char linkabs[TZM_WIRE_MAX_PATH + PATH_MAX], seen[2 * TZM_WIRE_MAX_PATH + PATH_MAX];
	const char *rel = NULL;
	char *slash = NULL;
	int rootfd = -1, dfd = -1, rc = 0;
	bool beneath = false;

	(void)cap;
	if (!tzm__req_two_paths(rq, buf, target, path, sizeof(target), rs)) {
		return;
	}
	if (target[0] == '\0' || path[0] == '\0') {
		tzm__set_err(rs, ENOENT);
		return;
	}
	/* where the link will point, as the TA sees the tree */
	rc = tzm__abs_path(s, rq->args[1], path, linkabs, sizeof(linkabs));
	if (rc != 0) {
		tzm__set_err(rs, -rc);
		return;
	}
	if (has_dotdot(target) && !tzm_policy_uplinks(s->pol, linkabs)) {
		tzm_policy_deny_log(s->pol,
				    "symlink %s -> %s: \"..\" in a link target needs the rule "
				    "option 'uplinks'",
				    path, target);
		tzm__set_err(rs, EACCES);
		return;
	}
	if (target[0] == '/') {
		snprintf(seen, sizeof(seen), "%s", target);
	} else {
		slash = strrchr(linkabs, '/');
		*slash = '\0';
		snprintf(seen, sizeof(seen), "%s/%s", linkabs, target);
	}
	tzm__path_normalize(seen);
	if (policy_any(s, seen, false, ALL_KINDS, &rootfd, &rel, &beneath) != 0) {
		tzm_policy_deny_log(s->pol, "symlink %s -> %s: target outside the policy", path,
				    seen);
		tzm__set_err(rs, EACCES);
		return;
	}
	dfd = tzm__resolve_parent(s, rq->args[1], path, true, TZM__K(FILE), base, sizeof(base),
				  "symlink");
	if (dfd < 0) {
		tzm__set_err(rs, -dfd);
		return;
	}
	if (!refuse_dir_name(dfd, base, path, rs)) {
		tzm__set_ret(rs, symlinkat(target, dfd, base));
	}
	close(dfd);
}

void tzm__h_READLINK(struct tzm_shadow *s, const struct tzm_wire_req *rq, uint8_t *buf, size_t cap,
		     struct tzm_wire_resp *rs)
{
	char path[TZM_WIRE_MAX_PATH], abs[TZM_WIRE_MAX_PATH + PATH_MAX];
	size_t want = 0;
	ssize_t n = 0;
	int fd = -1;

	if (!tzm__req_path(rq, buf, 0, path, sizeof(path), rs)) {
		return;
	}
	if (rq->args[1] <= 0) {
		tzm__set_err(rs, EINVAL);
		return;
	}
	want = (uint64_t)rq->args[1] < cap ? (size_t)rq->args[1] : cap;
	fd = open_checked(s, rq->args[0], path, false, ALL_KINDS | TZM_POL_STAT, true, "readlink",
			  abs, sizeof(abs));
	if (fd < 0) {
		tzm__set_err(rs, -fd);
		return;
	}
	n = readlinkat(fd, "", (char *)buf, want);
	if (n < 0 && errno == ENOENT) {
		errno = EINVAL; /* readlinkat(fd, "") on a non-link: Linux's readlink says EINVAL */
	}
	tzm__set_ret(rs, n);
	rs->data_len = n > 0 ? (uint32_t)n : 0;
	close(fd);
}

void tzm__h_LINK(struct tzm_shadow *s, const struct tzm_wire_req *rq, uint8_t *buf, size_t cap,
		 struct tzm_wire_resp *rs)
{
	char p1[TZM_WIRE_MAX_PATH], p2[TZM_WIRE_MAX_PATH], abs[TZM_WIRE_MAX_PATH + PATH_MAX];
	char b1[NAME_MAX + 1], b2[NAME_MAX + 1], proc[64];
	enum tzm_pol_kind kind = TZM_POL_FILE;
	int d1 = -1, d2 = -1, src = -1;

	(void)cap;
	if (!tzm__req_two_paths(rq, buf, p1, p2, sizeof(p1), rs)) {
		return;
	}
	if (rq->args[3] & ~(int64_t)AT_SYMLINK_FOLLOW) {
		tzm__set_err(rs, EINVAL);
		return;
	}
	if (p1[0] == '\0' || p2[0] == '\0') {
		tzm__set_err(rs, ENOENT);
		return;
	}
	if (rq->args[3] & AT_SYMLINK_FOLLOW) {
		/* the file the source resolves to, opened under the policy */
		src = open_checked(s, rq->args[1], p1, true, TZM__K(FILE), false, "link", abs,
				   sizeof(abs));
		if (src < 0) {
			tzm__set_err(rs, -src);
			goto out;
		}
	} else {
		/* the name itself (a symlink is linked, not followed): a path rule's kind */
		d1 = tzm__resolve_existing(s, rq->args[1], p1, TZM__K(FILE), b1, sizeof(b1), "link",
					   &kind);
		if (d1 < 0) {
			tzm__set_err(rs, -d1);
			goto out;
		}
	}
	d2 = tzm__resolve_parent(s, rq->args[2], p2, true, TZM__K(FILE), b2, sizeof(b2), "link");
	if (d2 < 0) {
		tzm__set_err(rs, -d2);
		goto out;
	}
	if (refuse_dir_name(d2, b2, p2, rs)) {
		goto out;
	}
	if (src >= 0) {
		proc_path(proc, sizeof(proc), src);
		tzm__set_ret(rs, linkat(AT_FDCWD, proc, d2, b2, AT_SYMLINK_FOLLOW));
	} else {
		tzm__set_ret(rs, linkat(d1, b1, d2, b2, 0));
	}
out:
	if (d2 >= 0) {
		close(d2);
	}
	if (d1 >= 0) {
		close(d1);
	}
	if (src >= 0) {
		close(src);
	}
}

void tzm__h_REALPATH(struct tzm_shadow *s, const struct tzm_wire_req *rq, uint8_t *buf, size_t cap,
		     struct tzm_wire_resp *rs)
{
	char path[TZM_WIRE_MAX_PATH], abs[TZM_WIRE_MAX_PATH + PATH_MAX], phys[PATH_MAX];
	char proc[64];
	const char *rel = NULL, *chosen = NULL;
	int rootfd = -1, fd = -1;
	bool beneath = false;
	ssize_t n = 0;
	size_t len = 0;

	if (!tzm__req_path(rq, buf, 0, path, sizeof(path), rs)) {
		return;
	}
	fd = open_checked(s, AT_FDCWD, path, false, ALL_KINDS | TZM_POL_STAT, false, "realpath",
			  abs, sizeof(abs));
	if (fd < 0) {
		tzm__set_err(rs, -fd);
		return;
	}
	/* the physical path (what Linux answers) when the policy knows that spelling */
	tzm__path_normalize(abs);
	chosen = abs;
	proc_path(proc, sizeof(proc), fd);
	n = readlink(proc, phys, sizeof(phys) - 1);
	close(fd);
	if (n > 0 && phys[0] == '/') {
		phys[n] = '\0';
		if (policy_any(s, phys, false, ALL_KINDS, &rootfd, &rel, &beneath) == 0) {
			chosen = phys;
		}
	}
	len = strlen(chosen) + 1;
	if (len > PATH_MAX || len > cap) {
		tzm__set_err(rs, ENAMETOOLONG);
		return;
	}
	memcpy(buf, chosen, len);
	rs->data_len = (uint32_t)len;
	tzm__set_ret(rs, (int64_t)len);
}

void tzm__h_FLOCK(struct tzm_shadow *s, const struct tzm_wire_req *rq, uint8_t *buf, size_t cap,
		  struct tzm_wire_resp *rs)
{
	struct tzm__sfd *f = tzm__sfd_get(s, rq->args[0], rs);
	int64_t op = rq->args[1];
	struct tzm__unlocked u;

	(void)buf;
	(void)cap;
	if (!f) {
		return;
	}
	if (op & ~(int64_t)(LOCK_SH | LOCK_EX | LOCK_UN | LOCK_NB)) {
		tzm__set_err(rs, EINVAL);
		return;
	}
	if ((op & (LOCK_NB | LOCK_UN)) != 0) {
		tzm__set_ret(rs, flock(f->host, (int)op)); /* does not wait */
		return;
	}
	/* waits for the holder: the dup shares the open file description, and its lock */
	if (tzm__unlock(s, &u, f->host, -1, rs)) {
		tzm__set_ret(rs, flock(u.fd[0], (int)op));
		tzm__relock(s, &u);
	}
}

void tzm__h_SENDFILE(struct tzm_shadow *s, const struct tzm_wire_req *rq, uint8_t *buf, size_t cap,
		     struct tzm_wire_resp *rs)
{
	struct tzm__sfd *out = tzm__sfd_get(s, rq->args[0], rs);
	struct tzm__sfd *in = out ? tzm__sfd_get(s, rq->args[1], rs) : NULL;
	off_t off = (off_t)rq->args[4];
	struct tzm__unlocked u;
	ssize_t r = 0;

	(void)buf;
	(void)cap;
	if (!out || !in) {
		return;
	}
	if (rq->args[2] < 0) {
		tzm__set_err(rs, EINVAL);
		return;
	}
	/* into a pipe or socket it waits for the reader */
	if (!tzm__unlock(s, &u, out->host, in->host, rs)) {
		return;
	}
	r = sendfile(u.fd[0], u.fd[1], rq->args[3] ? &off : NULL,
		     rq->args[2] > 0x7ffff000 ? 0x7ffff000 : (size_t)rq->args[2]);
	tzm__set_ret(rs, r);
	rs->aux[0] = off;
	tzm__relock(s, &u);
}

void tzm__h_EVENTFD(struct tzm_shadow *s, const struct tzm_wire_req *rq, uint8_t *buf, size_t cap,
		    struct tzm_wire_resp *rs)
{
	int64_t flags = rq->args[1];

	(void)buf;
	(void)cap;
	if (rq->args[0] < 0 || rq->args[0] > (int64_t)UINT32_MAX ||
	    (flags & ~(int64_t)(EFD_CLOEXEC | EFD_NONBLOCK | EFD_SEMAPHORE))) {
		tzm__set_err(rs, EINVAL);
		return;
	}
	/* descriptors without a path: read/write/poll like a pipe end */
	(void)tzm__sfd_answer(
		s, eventfd((unsigned)rq->args[0], (int)(flags & ~EFD_CLOEXEC) | EFD_CLOEXEC),
		SFD_PIPE, (flags & EFD_CLOEXEC) != 0, rs);
}

void tzm__h_TIMERFD_CREATE(struct tzm_shadow *s, const struct tzm_wire_req *rq, uint8_t *buf,
			   size_t cap, struct tzm_wire_resp *rs)
{
	int64_t flags = rq->args[1];

	(void)buf;
	(void)cap;
	if ((int64_t)(int)rq->args[0] != rq->args[0] ||
	    (flags & ~(int64_t)(TFD_CLOEXEC | TFD_NONBLOCK))) {
		tzm__set_err(rs, EINVAL);
		return;
	}
	(void)tzm__sfd_answer(
		s,
		timerfd_create((clockid_t)rq->args[0], (int)(flags & ~TFD_CLOEXEC) | TFD_CLOEXEC),
		SFD_PIPE, (flags & TFD_CLOEXEC) != 0, rs);
}

static void put_itimerspec(const struct itimerspec *it, struct tzm_wire_resp *rs)
{
	rs->aux[0] = it->it_interval.tv_sec;
	rs->aux[1] = it->it_interval.tv_nsec;
	rs->aux[2] = it->it_value.tv_sec;
	rs->aux[3] = it->it_value.tv_nsec;
}

void tzm__h_TIMERFD_SETTIME(struct tzm_shadow *s, const struct tzm_wire_req *rq, uint8_t *buf,
			    size_t cap, struct tzm_wire_resp *rs)
{
	struct tzm__sfd *f = tzm__sfd_get(s, rq->args[0], rs);
	struct itimerspec nv, old;
	int r = 0;

	(void)buf;
	(void)cap;
	if (!f) {
		return;
	}
	if (rq->args[1] & ~(int64_t)(TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET)) {
		tzm__set_err(rs, EINVAL);
		return;
	}
	memset(&old, 0, sizeof(old));
	nv.it_interval.tv_sec = (time_t)rq->args[2];
	nv.it_interval.tv_nsec = (long)rq->args[3];
	nv.it_value.tv_sec = (time_t)rq->args[4];
	nv.it_value.tv_nsec = (long)rq->args[5];
	r = timerfd_settime(f->host, (int)rq->args[1], &nv, &old);
	tzm__set_ret(rs, r);
	if (r == 0) {
		put_itimerspec(&old, rs);
	}
}

void tzm__h_TIMERFD_GETTIME(struct tzm_shadow *s, const struct tzm_wire_req *rq, uint8_t *buf,
			    size_t cap, struct tzm_wire_resp *rs)
{
	struct tzm__sfd *f = tzm__sfd_get(s, rq->args[0], rs);
	struct itimerspec cur;
	int r = 0;

	(void)buf;
	(void)cap;
	if (!f) {
		return;
	}
	memset(&cur, 0, sizeof(cur));
	r = timerfd_gettime(f->host, &cur);
	tzm__set_ret(rs, r);
	if (r == 0) {
		put_itimerspec(&cur, rs);
	}
}
