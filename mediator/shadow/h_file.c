/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Shadow handlers for paths: open, stat/lstat, unlink/rmdir, rename, mkdir, mkfifo,
 * access and directory reading. Every path is copied out of shared memory once, checked
 * against the policy, and resolved with openat2(RESOLVE_BENEATH|RESOLVE_NO_MAGICLINKS)
 * under the allowed root (tzm_policy_openat); namespace operations act on the final name
 * relative to a parent directory fd obtained the same way, so `..`, symlinks and renames
 * racing with the check cannot leave the allowed tree.
 */
#include <errno.h>
#include <dirent.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "shadow.h"

void tzm__stat_to_wire(const struct stat *st, struct tzm_wire_stat *w);

#define OPEN_FLAGS_OK                                                                              \
	(O_ACCMODE | O_CREAT | O_EXCL | O_TRUNC | O_APPEND | O_NONBLOCK | O_DIRECTORY |            \
	 O_NOFOLLOW | O_CLOEXEC | O_SYNC | O_DSYNC | O_NOCTTY | O_LARGEFILE)

/*
 * Policy-checked open of a TA path (tzm_policy_open: one resolution under the rule's root,
 * type checked against the rule's kind on the opened inode); returns a host fd or -errno.
 */
static int resolve(struct tzm_shadow *s, int64_t dirfd, const char *path, bool write,
		   unsigned kinds, int flags, mode_t mode, const char *what, char *abs,
		   size_t abslen)
{
	int rc = tzm__abs_path(s, dirfd, path, abs, abslen);

	if (rc != 0) {
		return rc;
	}
	return tzm_policy_open(s->pol, what, abs, write, kinds, flags, mode);
}

#define ALL_KINDS (TZM__K(FILE) | TZM__K(FIFO) | TZM__K(UNIX))

/* The outcome of looking for a parent directory under one rule kind. */
enum parent_state {
	PARENT_OK,
	PARENT_NO_RULE,
	PARENT_IS_ROOT,
	PARENT_DOT /* the final component is "." or "..": the errno depends on the call */
};

/*
 * Linux's answer for a final component "." or ".." (its directory exists): a new name there
 * is EEXIST (EADDRINUSE for bind, EBUSY for rename); an existing one is EINVAL/ENOTEMPTY
 * for rmdir, EISDIR for unlink, EBUSY for rename, EPERM for link (a directory).
 */
static int dot_name_errno(const char *what, const char *name, bool create)
{
	if (strcmp(what, "rename") == 0) {
		return EBUSY;
	}
	if (create) {
		return strcmp(what, "bind") == 0 ? EADDRINUSE : EEXIST;
	}
	if (strcmp(what, "rmdir") == 0) {
		return strcmp(name, ".") == 0 ? EINVAL : ENOTEMPTY;
	}
	if (strcmp(what, "unlink") == 0) {
		return EISDIR;
	}
	return strcmp(what, "link") == 0 ? EPERM : EEXIST;
}

/*
 * The parent directory of abs (absolute, no trailing '/') under the rule of `kind` that
 * grants it, and the final component in base. Returns a directory fd, or -errno with
 * *state saying whether no rule matched (not logged) or abs is the rule's root itself.
 */
static int parent_under(struct tzm_shadow *s, const char *abs, bool write, enum tzm_pol_kind kind,
			char *base, size_t baselen, const char *what, enum parent_state *state)
{
	char parent[TZM_WIRE_MAX_PATH + PATH_MAX];
	const char *rel = NULL, *slash = NULL;
	int rootfd = -1, rc = 0;
	bool beneath = false;

	*state = PARENT_OK;
	rc = tzm_policy_path(s->pol, abs, write, kind, &rootfd, &rel, &beneath);
	if (rc != 0) {
		*state = PARENT_NO_RULE;
		return rc;
	}
	slash = strrchr(rel, '/');
	if (slash) {
		memcpy(parent, rel, (size_t)(slash - rel));
		parent[slash - rel] = '\0';
		if (parent[0] == '\0') {
			strcpy(parent, "/");
		}
		rel = slash + 1;
	} else {
		strcpy(parent, ".");
	}
	if (strcmp(rel, ".") == 0 && strcmp(parent, ".") == 0) {
		*state = PARENT_IS_ROOT; /* the rule's root directory itself */
		return -EACCES;
	}
	if (strcmp(rel, ".") == 0 || strcmp(rel, "..") == 0) {
		/* "dir/." or "dir/..": Linux checks that dir resolves, then refuses the name */
		strcpy(base, rel);
		rc = tzm_policy_openat(rootfd, parent, beneath, O_PATH | O_DIRECTORY | O_CLOEXEC,
				       0);
		if (rc == -EXDEV) {
			tzm_policy_deny_log(s->pol, "%s %s: escapes the allowed tree", what, abs);
			return -EACCES;
		}
		if (rc < 0) {
			return rc;
		}
		close(rc);
		*state = PARENT_DOT;
		return -EINVAL; /* the caller maps it: dot_name_errno */
	}
	if (strlen(rel) >= baselen || rel[0] == '\0') {
		/* a dot name: not a name we may create/remove */
		tzm_policy_deny_log(s->pol, "%s %s: not below an allowed root", what, abs);
		return -EACCES;
	}
	strcpy(base, rel);
	rc = tzm_policy_openat(rootfd, parent, beneath, O_PATH | O_DIRECTORY | O_CLOEXEC, 0);
	if (rc == -EXDEV) {
		tzm_policy_deny_log(s->pol, "%s %s: escapes the allowed tree", what, abs);
		return -EACCES;
	}
	return rc;
}

/* abs for a TA path, without trailing slashes ("dir/" names dir). */
static int abs_for_name(struct tzm_shadow *s, int64_t dirfd, const char *path, char *abs,
			size_t abslen)
{
	int rc = tzm__abs_path(s, dirfd, path, abs, abslen);
	size_t n = 0;

	if (rc != 0) {
		return rc;
	}
	n = strlen(abs);
	while (n > 1 && abs[n - 1] == '/') {
		abs[--n] = '\0';
	}
	return 0;
}

/*
 * Resolves the parent directory of a TA path (policy-checked on the full path) and copies
 * the final component to base. Returns a directory fd or -errno. With `create`, naming a
 * rule's root (which exists) gives -EEXIST, as a creation there would on Linux.
 */
static int parent_for(struct tzm_shadow *s, int64_t dirfd, const char *path, bool write,
		      unsigned kinds, char *base, size_t baselen, const char *what, bool create)
{
	char abs[TZM_WIRE_MAX_PATH + PATH_MAX];
	enum parent_state st = PARENT_NO_RULE;
	int rc = abs_for_name(s, dirfd, path, abs, sizeof(abs));

	if (rc != 0) {
		return rc;
	}
	for (unsigned k = 0; k < 3; k++) { /* first rule kind that allows it */
		if (kinds & (1u << k)) {
			rc = parent_under(s, abs, write, (enum tzm_pol_kind)k, base, baselen, what,
					  &st);
			if (st != PARENT_NO_RULE) {
				break;
			}
		}
	}
	if (st == PARENT_NO_RULE) {
		tzm_policy_deny_log(s->pol, "%s %s", what, abs);
		return -EACCES;
	}
	if (st == PARENT_DOT) {
		return -dot_name_errno(what, base, true);
	}
	if (st == PARENT_IS_ROOT) {
		if (create) {
			return -EEXIST;
		}
		tzm_policy_deny_log(s->pol, "%s %s: not below an allowed root", what, abs);
		return -EACCES;
	}
	return rc;
}

int tzm__resolve_parent(struct tzm_shadow *s, int64_t dirfd, const char *path, bool write,
			unsigned kinds, char *base, size_t baselen, const char *what)
{
	return parent_for(s, dirfd, path, write, kinds, base, baselen, what, false);
}

int tzm__resolve_create(struct tzm_shadow *s, int64_t dirfd, const char *path, unsigned kinds,
			char *base, size_t baselen, const char *what)
{
	return parent_for(s, dirfd, path, true, kinds, base, baselen, what, true);
}

/*
 * One rule kind's attempt for tzm__resolve_existing: the parent directory fd when the name
 * found there is of kind k; 1 when no rule of kind k matches (*any_rule untouched) or the
 * object is of another kind (*seen its mode); or -errno (final, logged).
 */
static int existing_under(struct tzm_shadow *s, const char *abs, enum tzm_pol_kind k, char *base,
			  size_t baselen, const char *what, bool *any_rule, mode_t *seen)
{
	enum parent_state st = PARENT_NO_RULE;
	struct stat sb;
	int dfd = parent_under(s, abs, true, k, base, baselen, what, &st);
	int rc = 0;

	if (st == PARENT_NO_RULE) {
		return 1;
	}
	*any_rule = true;
	if (st == PARENT_DOT) {
		return -dot_name_errno(what, base, false);
	}
	if (st == PARENT_IS_ROOT) {
		tzm_policy_deny_log(s->pol, "%s %s: not below an allowed root", what, abs);
		return -EACCES;
	}
	if (dfd < 0) {
		return dfd;
	}
	/* the name as it is now in the directory we will act in (no link followed) */
	if (fstatat(dfd, base, &sb, AT_SYMLINK_NOFOLLOW) != 0) {
		rc = -errno;
		goto out;
	}
	if (tzm_policy_is_allow_all(s->pol) || tzm_policy_kind_of(sb.st_mode) == k) {
		rc = dfd;
		dfd = -1; /* the caller's */
		goto out;
	}
	*seen = sb.st_mode;
	rc = 1;
out:
	if (dfd >= 0) {
		close(dfd);
	}
	return rc;
}

int tzm__resolve_existing(struct tzm_shadow *s, int64_t dirfd, const char *path, unsigned kinds,
			  char *base, size_t baselen, const char *what, enum tzm_pol_kind *kind)
{
	static const char *const names[] = { "path", "fifo", "unix" };
	char abs[TZM_WIRE_MAX_PATH + PATH_MAX];
	bool any_rule = false;
	mode_t seen = 0;
	unsigned wrong = 0;
	int rc = abs_for_name(s, dirfd, path, abs, sizeof(abs));

	if (rc != 0) {
		return rc;
	}
	for (unsigned k = 0; k < 3; k++) {
		bool matched = false;

		if (!(kinds & (1u << k))) {
			continue;
		}
		rc = existing_under(s, abs, (enum tzm_pol_kind)k, base, baselen, what, &matched,
				    &seen);
		if (rc != 1) {
			if (rc >= 0) {
				*kind = (enum tzm_pol_kind)k;
			}
			return rc;
		}
		if (matched) {
			any_rule = true;
			wrong = k;
		}
	}
	if (!any_rule) {
		tzm_policy_deny_log(s->pol, "%s %s", what, abs);
	} else {
		tzm_policy_deny_log(s->pol, "%s %s: a %s is not granted by a %s rule", what, abs,
				    tzm_policy_type_name(seen), names[wrong]);
	}
	return -EACCES;
}

void tzm__h_OPENAT(struct tzm_shadow *s, const struct tzm_wire_req *rq, uint8_t *buf, size_t cap,
		   struct tzm_wire_resp *rs)
{
	char path[TZM_WIRE_MAX_PATH], abs[TZM_WIRE_MAX_PATH + PATH_MAX];
	int flags = (int)rq->args[0];
	struct tzm__unlocked u = { { -1, -1 }, { false, false }, false, false };
	char *dir_path = NULL;
	bool write = false, is_dir = false;
	struct stat st;
	int fd = -1, ta = -1;

	(void)cap;
	if (!tzm__req_path(rq, buf, 0, path, sizeof(path), rs)) {
		return;
	}
	if ((int64_t)flags != rq->args[0] || (flags & ~OPEN_FLAGS_OK)) {
		tzm__set_err(rs, EINVAL);
		return;
	}
	write = (flags & O_ACCMODE) != O_RDONLY || (flags & (O_CREAT | O_TRUNC));
	fd = tzm__abs_path(s, rq->args[2], path, abs, sizeof(abs));
	if (fd != 0) {
		tzm__set_err(rs, -fd);
		goto out;
	}
	if (s->nopen >= s->max_fds) {
		/*
		 * EMFILE before the file is opened, as Linux: opening it and closing it again
		 * (tzm__sfd_add) would drop the TA's record locks on it (h_lock.c)
		 */
		fd = -1;
		tzm__set_err(rs, EMFILE);
		goto out;
	}
	if (!(flags & O_NONBLOCK)) {
		/* a FIFO waits for its other end; the policy is read-only, abs a copy */
		(void)tzm__unlock(s, &u, -1, -1, rs); /* pins nothing: cannot fail */
	}
	fd = tzm_policy_open(s->pol, "open", abs, write, TZM__K(FILE) | TZM__K(FIFO),
			     flags | O_NOCTTY | O_CLOEXEC, (mode_t)(rq->args[1] & 07777));
	is_dir = fd >= 0 && fstat(fd, &st) == 0 && S_ISDIR(st.st_mode);
	tzm__relock(s, &u);
	if (fd < 0) {
		tzm__set_err(rs, -fd);
		goto out;
	}
	if (is_dir) {
		/* the base of the TA's *at() calls and fchdir: a directory without it is useless */
		dir_path = strdup(abs);
		if (!dir_path) {
			tzm__set_err(rs, ENOMEM);
			goto out;
		}
	}
	ta = tzm__sfd_add(s, fd, dir_path ? SFD_DIR : SFD_FILE, 0, rs);
	fd = -1; /* the table's now (closed by tzm__sfd_add on failure) */
	if (ta < 0) {
		goto out;
	}
	s->fds[ta].path = dir_path;
	dir_path = NULL;
	s->fds[ta].cloexec = (flags & O_CLOEXEC) != 0;
	tzm__set_ret(rs, ta);
out:
	free(dir_path);
	if (fd >= 0) {
		close(fd);
	}
}

void tzm__h_STAT(struct tzm_shadow *s, const struct tzm_wire_req *rq, uint8_t *buf, size_t cap,
		 struct tzm_wire_resp *rs)
{
	char path[TZM_WIRE_MAX_PATH], abs[TZM_WIRE_MAX_PATH + PATH_MAX];
	struct tzm_wire_stat w;
	struct stat st;
	int fd = -1;

	(void)cap;
	if (!tzm__req_path(rq, buf, 0, path, sizeof(path), rs)) {
		return;
	}
	fd = resolve(s, rq->args[1], path, false, ALL_KINDS | TZM_POL_STAT,
		     O_PATH | O_CLOEXEC | (rq->args[0] ? O_NOFOLLOW : 0), 0, "stat", abs,
		     sizeof(abs));
	if (fd < 0) {
		tzm__set_err(rs, -fd);
		return;
	}
	if (fstat(fd, &st) != 0) {
		tzm__set_ret(rs, -1);
		goto out;
	}
	tzm__stat_to_wire(&st, &w);
	memcpy(buf, &w, sizeof(w));
	rs->data_len = sizeof(w);
	tzm__set_ret(rs, 0);
out:
	close(fd);
}

void tzm__h_ACCESS(struct tzm_shadow *s, const struct tzm_wire_req *rq, uint8_t *buf, size_t cap,
		   struct tzm_wire_resp *rs)
{
	char path[TZM_WIRE_MAX_PATH], abs[TZM_WIRE_MAX_PATH + PATH_MAX];
	char proc[64];
	int fd = -1, r = 0;

	(void)cap;
	if (!tzm__req_path(rq, buf, 0, path, sizeof(path), rs)) {
		return;
	}
	if (rq->args[0] & ~(int64_t)(R_OK | W_OK | X_OK)) {
		tzm__set_err(rs, EINVAL);
		return;
	}
	fd = resolve(s, rq->args[1], path, (rq->args[0] & W_OK) != 0, ALL_KINDS | TZM_POL_STAT,
		     O_PATH | O_CLOEXEC, 0, "access", abs, sizeof(abs));
	if (fd < 0) {
		tzm__set_err(rs, -fd);
		return;
	}
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
	r = access(proc, (int)rq->args[0]);
	tzm__set_ret(rs, r);
	close(fd);
}

void tzm__h_UNLINK(struct tzm_shadow *s, const struct tzm_wire_req *rq, uint8_t *buf, size_t cap,
		   struct tzm_wire_resp *rs)
{
	char path[TZM_WIRE_MAX_PATH], base[NAME_MAX + 1];
	enum tzm_pol_kind kind = TZM_POL_FILE;
	int dfd = -1;

	(void)cap;
	if (!tzm__req_path(rq, buf, 0, path, sizeof(path), rs)) {
		return;
	}
	/* FIFOs and UNIX socket files are removed under their own rules, and only there */
	dfd = tzm__resolve_existing(s, rq->args[1], path, rq->args[0] ? TZM__K(FILE) : ALL_KINDS,
				    base, sizeof(base), rq->args[0] ? "rmdir" : "unlink", &kind);
	if (dfd < 0) {
		tzm__set_err(rs, -dfd);
		return;
	}
	size_t n = strlen(path);
	struct stat st;
	if (!rq->args[0] && n > 0 && path[n - 1] == '/') {
		/*
		 * unlink("name/"): resolving drops the slash, but the name must be a directory,
		 * which unlink refuses: as Linux, ENOENT, EISDIR, or ENOTDIR for anything else.
		 */
		tzm__set_err(rs, fstatat(dfd, base, &st, 0) != 0 ? ENOENT
				 : S_ISDIR(st.st_mode)           ? EISDIR
								 : ENOTDIR);
	} else {
		tzm__set_ret(rs, unlinkat(dfd, base, rq->args[0] ? AT_REMOVEDIR : 0));
	}
	close(dfd);
}

/* mkdir under a path rule, mkfifo under a fifo rule: the new name in its parent's fd. */
static void make_node(struct tzm_shadow *s, const struct tzm_wire_req *rq, const uint8_t *buf,
		      struct tzm_wire_resp *rs, bool fifo)
{
	char path[TZM_WIRE_MAX_PATH], base[NAME_MAX + 1];
	int dfd = -1;

	if (!tzm__req_path(rq, buf, 0, path, sizeof(path), rs)) {
		return;
	}
	dfd = tzm__resolve_create(s, rq->args[1], path, fifo ? TZM__K(FIFO) : TZM__K(FILE), base,
				  sizeof(base), fifo ? "mkfifo" : "mkdir");
	if (dfd < 0) {
		tzm__set_err(rs, -dfd);
		return;
	}
	tzm__set_ret(rs, fifo ? mkfifoat(dfd, base, (mode_t)(rq->args[0] & 0777))
			      : mkdirat(dfd, base, (mode_t)(rq->args[0] & 07777)));
	close(dfd);
}

void tzm__h_MKDIR(struct tzm_shadow *s, const struct tzm_wire_req *rq, uint8_t *buf, size_t cap,
		  struct tzm_wire_resp *rs)
{
	(void)cap;
	make_node(s, rq, buf, rs, false);
}

void tzm__h_MKFIFO(struct tzm_shadow *s, const struct tzm_wire_req *rq, uint8_t *buf, size_t cap,
		   struct tzm_wire_resp *rs)
{
	(void)cap;
	make_node(s, rq, buf, rs, true);
}

void tzm__h_RENAME(struct tzm_shadow *s, const struct tzm_wire_req *rq, uint8_t *buf, size_t cap,
		   struct tzm_wire_resp *rs)
{
	char p1[TZM_WIRE_MAX_PATH], p2[TZM_WIRE_MAX_PATH];
	char b1[NAME_MAX + 1], b2[NAME_MAX + 1];
	enum tzm_pol_kind kind = TZM_POL_FILE;
	struct stat st;
	int d1 = -1, d2 = -1;

	(void)cap;
	if (!tzm__req_two_paths(rq, buf, p1, p2, sizeof(p1), rs)) {
		return;
	}
	/* the object moves under rules of its own kind, and replaces only that kind */
	d1 = tzm__resolve_existing(s, rq->args[1], p1, ALL_KINDS, b1, sizeof(b1), "rename", &kind);
	if (d1 < 0) {
		tzm__set_err(rs, -d1);
		return;
	}
	d2 = tzm__resolve_parent(s, rq->args[2], p2, true, 1u << kind, b2, sizeof(b2), "rename");
	if (d2 < 0) {
		tzm__set_err(rs, -d2);
		goto out;
	}
	if (fstatat(d2, b2, &st, AT_SYMLINK_NOFOLLOW) == 0 && !tzm_policy_is_allow_all(s->pol) &&
	    tzm_policy_kind_of(st.st_mode) != kind) {
		tzm_policy_deny_log(s->pol, "rename %s: would replace a %s", p2,
				    tzm_policy_type_name(st.st_mode));
		tzm__set_err(rs, EACCES);
		goto out;
	}
	tzm__set_ret(rs, renameat(d1, b1, d2, b2));
out:
	if (d2 >= 0) {
		close(d2);
	}
	close(d1);
}

/*
 * The kernel's records (getdents64, into our own buffer: the data area is the TA's to
 * change meanwhile) in the wire's form, each no longer than the kernel's: all of a
 * getdents64 of max bytes fit in max bytes. Returns the bytes written to out.
 */
static size_t dirents_to_wire(const uint8_t *k, size_t klen, uint8_t *out)
{
	size_t pos = 0, kpos = 0;
	const size_t name_off = offsetof(struct dirent64, d_name);

	while (klen - kpos > name_off) {
		struct dirent64 d;
		struct tzm_wire_dirent w;
		size_t nl = 0, rec = 0;

		memcpy(&d, k + kpos, name_off);
		if (d.d_reclen <= name_off || d.d_reclen > klen - kpos) {
			break; /* cannot happen: the kernel's own records */
		}
		nl = strnlen((const char *)k + kpos + name_off, d.d_reclen - name_off);
		rec = (sizeof(w) + nl + 7u) & ~(size_t)7u;
		memset(&w, 0, sizeof(w));
		w.ino = d.d_ino;
		w.type = d.d_type;
		w.namelen = (uint16_t)nl;
		w.reclen = (uint32_t)rec;
		memset(out + pos, 0, rec);
		memcpy(out + pos, &w, sizeof(w));
		memcpy(out + pos + sizeof(w), k + kpos + name_off, nl);
		pos += rec;
		kpos += d.d_reclen;
	}
	return pos;
}

void tzm__h_GETDENTS(struct tzm_shadow *s, const struct tzm_wire_req *rq, uint8_t *buf, size_t cap,
		     struct tzm_wire_resp *rs)
{
	struct tzm__sfd *f = tzm__sfd_get(s, rq->args[0], rs);
	struct tzm__unlocked u;
	uint8_t *k = NULL;
	ssize_t r = 0;
	size_t max = 0;

	if (!f) {
		return;
	}
	if (f->kind != SFD_DIR) {
		tzm__set_err(rs, ENOTDIR);
		return;
	}
	if (rq->args[1] <= 0 || (uint64_t)rq->args[1] > cap) {
		tzm__set_err(rs, EINVAL);
		return;
	}
	max = (size_t)rq->args[1];
	k = malloc(max);
	if (!k) {
		tzm__set_err(rs, ENOMEM);
		return;
	}
	/*
	 * A slow or remote file system may take its time: the TA's other threads' calls go
	 * on meanwhile. The directory's position is its open file's (shared with dups), as
	 * for any getdents.
	 */
	if (tzm__unlock(s, &u, f->host, -1, rs)) {
		r = getdents64(u.fd[0], k, max);
		tzm__relock(s, &u);
		if (r < 0) {
			tzm__set_ret(rs, -1);
		} else {
			rs->data_len = (uint32_t)dirents_to_wire(k, (size_t)r, buf);
			tzm__set_ret(rs, (int64_t)rs->data_len);
		}
	}
	free(k);
}
