/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Shadow handlers for the TA's process environment: isatty, umask, uname, getcwd and
 * chdir/fchdir.
 *
 * umask: one shadow serves one TA, so the TA's mask is the shadow's own process mask;
 * every creation the shadow makes for the TA (open, mkdir, mkfifo, bind of a UNIX socket,
 * mq_open) applies it exactly as the kernel would for the TA.
 *
 * Working directory: s->cwd, an absolute path (initially tzm-run's own); relative TA paths
 * are joined to it and then checked against the policy like any other path. chdir accepts
 * a directory only if the policy allows reading it; the new cwd is the directory's
 * physical path when the policy allows that spelling too (what Linux's getcwd reports),
 * else the lexically normalised path the TA gave.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "shadow.h"

void tzm__h_ISATTY(struct tzm_shadow *s, const struct tzm_wire_req *rq, uint8_t *buf, size_t cap,
		   struct tzm_wire_resp *rs)
{
	struct tzm__sfd *f = tzm__sfd_get(s, rq->args[0], rs);

	(void)buf;
	(void)cap;
	if (!f) {
		return;
	}
	if (isatty(f->host)) {
		tzm__set_ret(rs, 1);
	} else {
		tzm__set_err(rs, errno == EBADF ? EBADF : ENOTTY);
	}
}

void tzm__h_UMASK(struct tzm_shadow *s, const struct tzm_wire_req *rq, uint8_t *buf, size_t cap,
		  struct tzm_wire_resp *rs)
{
	(void)s;
	(void)buf;
	(void)cap;
	if (rq->args[0] < 0 || rq->args[0] > 0777) {
		tzm__set_err(rs, EINVAL);
		return;
	}
	tzm__set_ret(rs, (int64_t)(umask((mode_t)rq->args[0]) & 0777));
}

static void put_field(char *dst, const char *src)
{
	size_t n = strnlen(src, TZM_WIRE_UTS_LEN - 1);

	memset(dst, 0, TZM_WIRE_UTS_LEN);
	memcpy(dst, src, n);
}

void tzm__h_UNAME(struct tzm_shadow *s, const struct tzm_wire_req *rq, uint8_t *buf, size_t cap,
		  struct tzm_wire_resp *rs)
{
	struct tzm_wire_utsname w;
	struct utsname u;

	(void)s;
	(void)rq;
	if (cap < sizeof(w)) {
		tzm__set_err(rs, ENOMEM);
		return;
	}
	if (uname(&u) != 0) {
		tzm__set_ret(rs, -1);
		return;
	}
	put_field(w.sysname, u.sysname);
	put_field(w.nodename, u.nodename);
	put_field(w.release, u.release);
	put_field(w.version, u.version);
	put_field(w.machine, u.machine);
	put_field(w.domainname, u.domainname);
	memcpy(buf, &w, sizeof(w));
	rs->data_len = sizeof(w);
	tzm__set_ret(rs, 0);
}

void tzm__h_GETCWD(struct tzm_shadow *s, const struct tzm_wire_req *rq, uint8_t *buf, size_t cap,
		   struct tzm_wire_resp *rs)
{
	size_t n = strlen(s->cwd) + 1;

	(void)rq;
	if (n > cap || n > TZM_WIRE_MAX_PATH) {
		tzm__set_err(rs, ENAMETOOLONG);
		return;
	}
	memcpy(buf, s->cwd, n);
	rs->data_len = (uint32_t)n;
	tzm__set_ret(rs, (int64_t)n);
}

/* Collapses "//", "." and ".." of an absolute path in place ("/.." is "/"). */
void tzm__path_normalize(char *p);
void tzm__path_normalize(char *p)
{
	size_t out = 0, i = 0, len = strlen(p);

	while (i < len) {
		size_t j = i, n = 0;

		while (j < len && p[j] == '/') {
			j++;
		}
		i = j;
		while (j < len && p[j] != '/') {
			j++;
		}
		n = j - i;
		if (n == 0 || (n == 1 && p[i] == '.')) {
			/* empty or "." component */
		} else if (n == 2 && p[i] == '.' && p[i + 1] == '.') {
			while (out > 0 && p[out - 1] != '/') {
				out--;
			}
			if (out > 0) {
				out--; /* the slash before the removed component */
			}
		} else {
			p[out++] = '/';
			memmove(p + out, p + i, n);
			out += n;
		}
		i = j;
	}
	if (out == 0) {
		p[out++] = '/';
	}
	p[out] = '\0';
}

/* A TA-visible spelling of dir is allowed for reading by the policy. */
static bool readable(struct tzm_shadow *s, const char *dir)
{
	const char *rel = NULL;
	int rootfd = -1;
	bool beneath = false;

	return tzm_policy_path(s->pol, dir, false, TZM_POL_FILE, &rootfd, &rel, &beneath) == 0;
}

static int change_dir(struct tzm_shadow *s, const char *path)
{
	char abs[TZM_WIRE_MAX_PATH + PATH_MAX], phys[PATH_MAX], proc[64];
	const char *rel = NULL, *chosen = NULL;
	int rootfd = -1, fd = -1, rc = 0;
	bool beneath = false;
	ssize_t n = 0;

	rc = tzm__abs_path(s, AT_FDCWD, path, abs, sizeof(abs));
	if (rc != 0) {
		return rc;
	}
	tzm__path_normalize(abs);
	if (strlen(abs) >= sizeof(s->cwd)) {
		return -ENAMETOOLONG;
	}
	if (tzm_policy_path(s->pol, abs, false, TZM_POL_FILE, &rootfd, &rel, &beneath) != 0) {
		tzm_policy_deny_log(s->pol, "chdir %s", abs);
		return -EACCES;
	}
	fd = tzm_policy_openat(rootfd, rel, beneath, O_PATH | O_DIRECTORY | O_CLOEXEC, 0);
	if (fd == -EXDEV) {
		tzm_policy_deny_log(s->pol, "chdir %s: escapes the allowed tree", abs);
		return -EACCES;
	}
	if (fd < 0) {
		return fd;
	}
	chosen = abs;
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
	n = readlink(proc, phys, sizeof(phys) - 1);
	if (n > 0 && phys[0] == '/') {
		phys[n] = '\0';
		if (readable(s, phys)) {
			chosen = phys;
		}
	}
	close(fd);
	strcpy(s->cwd, chosen);
	return 0;
}

void tzm__h_CHDIR(struct tzm_shadow *s, const struct tzm_wire_req *rq, uint8_t *buf, size_t cap,
		  struct tzm_wire_resp *rs)
{
	char path[TZM_WIRE_MAX_PATH];
	int rc = 0;

	(void)cap;
	if (rq->args[0] != -1) {
		/* fchdir: a directory the TA opened (under the policy) has its path recorded */
		struct tzm__sfd *f = tzm__sfd_get(s, rq->args[0], rs);

		if (!f) {
			return;
		}
		if (f->kind != SFD_DIR || !f->path) {
			tzm__set_err(rs, ENOTDIR);
			return;
		}
		if (strlen(f->path) >= sizeof(s->cwd)) {
			tzm__set_err(rs, ENAMETOOLONG);
			return;
		}
		strcpy(s->cwd, f->path);
		tzm__path_normalize(s->cwd);
		tzm__set_ret(rs, 0);
		return;
	}
	if (!tzm__req_path(rq, buf, 0, path, sizeof(path), rs)) {
		return;
	}
	rc = change_dir(s, path);
	if (rc != 0) {
		tzm__set_err(rs, -rc);
		return;
	}
	tzm__set_ret(rs, 0);
}

void tzm__h_GETPGSID(struct tzm_shadow *s, const struct tzm_wire_req *rq, uint8_t *buf, size_t cap,
		     struct tzm_wire_resp *rs)
{
	(void)s;
	(void)rq;
	(void)buf;
	(void)cap;
	rs->aux[0] = getpgrp();
	rs->aux[1] = getsid(0);
	tzm__set_ret(rs, 0);
}
