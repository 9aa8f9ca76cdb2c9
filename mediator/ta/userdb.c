/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The user and group databases for a TA: getpwnam getpwuid getpwnam_r getpwuid_r getgrnam
 * getgrgid getgrnam_r getgrgid_r, and pthread_atfork.
 *
 * glibc's lookups go through NSS, which asks nscd over a UNIX socket of its own (socket()
 * is a system call the TA sandbox kills the TA for) and then reads /etc/passwd with its
 * own open: a TA calling getpwuid (Tcl does at start-up) was killed. Here the shadow's
 * /etc/passwd and /etc/group are read through the mediator, under the TA's policy (a
 * `path ro /etc/passwd` rule; without one the lookup fails with the policy's EACCES and
 * its log line), and parsed with glibc's fgetpwent_r/fgetgrent_r, the parser NSS's
 * "files" source uses. The TA sees the users of the host its shadow runs on, as getuid()
 * gives the shadow's uid; other NSS sources (nscd, systemd, LDAP) are not consulted.
 *
 * pthread_atfork: glibc's lives in libc_nonshared.a and needs the __dso_handle of the
 * start files a TA is linked without, so a program calling it did not link. A TA cannot
 * fork (ENOSYS), so the handlers would never run: registering succeeds and keeps nothing.
 */
#include <errno.h>
#include <grp.h>
#include <pthread.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>

#include "tzm_int.h"

#define PASSWD_FILE "/etc/passwd"
#define GROUP_FILE "/etc/group"
#define STATIC_BUF 4096 /* glibc's NSS buffers start at 1024 and grow; one line fits */

/*
 * Scans PASSWD_FILE for the entry with name (or, name NULL, uid). 0 with *result set or
 * NULL (not found), or an error number (the open's, ERANGE when buf is too small).
 */
static int pw_find(const char *name, uid_t uid, struct passwd *pw, char *buf, size_t len,
		   struct passwd **result)
{
	FILE *f = NULL;
	int rc = 0, saved = errno;

	*result = NULL;
	f = fopen(PASSWD_FILE, "re");
	if (!f) {
		return errno;
	}
	for (;;) {
		struct passwd *e = NULL;

		rc = fgetpwent_r(f, pw, buf, len, &e);
		if (rc != 0) {
			rc = rc == ENOENT ? 0 : rc; /* ENOENT: the end of the file */
			break;
		}
		if (name ? strcmp(e->pw_name, name) == 0 : e->pw_uid == uid) {
			*result = e;
			break;
		}
	}
	fclose(f);
	errno = saved; /* as glibc's: a lookup that finds nothing leaves errno alone */
	return rc;
}

static int gr_find(const char *name, gid_t gid, struct group *gr, char *buf, size_t len,
		   struct group **result)
{
	FILE *f = NULL;
	int rc = 0, saved = errno;

	*result = NULL;
	f = fopen(GROUP_FILE, "re");
	if (!f) {
		return errno;
	}
	for (;;) {
		struct group *e = NULL;

		rc = fgetgrent_r(f, gr, buf, len, &e);
		if (rc != 0) {
			rc = rc == ENOENT ? 0 : rc;
			break;
		}
		if (name ? strcmp(e->gr_name, name) == 0 : e->gr_gid == gid) {
			*result = e;
			break;
		}
	}
	fclose(f);
	errno = saved; /* as glibc's: a lookup that finds nothing leaves errno alone */
	return rc;
}

int getpwnam_r(const char *name, struct passwd *pw, char *buf, size_t len, struct passwd **result)
{
	if (tzm__null(name) || tzm__null(pw) || tzm__null(buf) || tzm__null(result)) {
		return EFAULT;
	}
	return pw_find(name, 0, pw, buf, len, result);
}

int getpwuid_r(uid_t uid, struct passwd *pw, char *buf, size_t len, struct passwd **result)
{
	if (tzm__null(pw) || tzm__null(buf) || tzm__null(result)) {
		return EFAULT;
	}
	return pw_find(NULL, uid, pw, buf, len, result);
}

int getgrnam_r(const char *name, struct group *gr, char *buf, size_t len, struct group **result)
{
	if (tzm__null(name) || tzm__null(gr) || tzm__null(buf) || tzm__null(result)) {
		return EFAULT;
	}
	return gr_find(name, 0, gr, buf, len, result);
}

int getgrgid_r(gid_t gid, struct group *gr, char *buf, size_t len, struct group **result)
{
	if (tzm__null(gr) || tzm__null(buf) || tzm__null(result)) {
		return EFAULT;
	}
	return gr_find(NULL, gid, gr, buf, len, result);
}

/* The non-reentrant forms: NULL when not found (errno untouched) or on error (errno set). */
static struct passwd pw_static;
static char pw_buf[STATIC_BUF];
static struct group gr_static;
static char gr_buf[STATIC_BUF];

static struct passwd *pw_answer(int rc, struct passwd *r)
{
	if (rc != 0) {
		errno = rc;
	}
	return r;
}

static struct group *gr_answer(int rc, struct group *r)
{
	if (rc != 0) {
		errno = rc;
	}
	return r;
}

struct passwd *getpwnam(const char *name)
{
	struct passwd *r = NULL;
	int rc = getpwnam_r(name, &pw_static, pw_buf, sizeof(pw_buf), &r);

	return pw_answer(rc, r);
}

struct passwd *getpwuid(uid_t uid)
{
	struct passwd *r = NULL;
	int rc = getpwuid_r(uid, &pw_static, pw_buf, sizeof(pw_buf), &r);

	return pw_answer(rc, r);
}

struct group *getgrnam(const char *name)
{
	struct group *r = NULL;
	int rc = getgrnam_r(name, &gr_static, gr_buf, sizeof(gr_buf), &r);

	return gr_answer(rc, r);
}

struct group *getgrgid(gid_t gid)
{
	struct group *r = NULL;
	int rc = getgrgid_r(gid, &gr_static, gr_buf, sizeof(gr_buf), &r);

	return gr_answer(rc, r);
}

int pthread_atfork(void (*prepare)(void), void (*parent)(void), void (*child)(void))
{
	(void)prepare;
	(void)parent;
	(void)child;
	return 0;
}
