/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The user and group databases for a TA: getpwnam getpwuid getpwnam_r getpwuid_r getgrnam
 * getgrgid getgrnam_r getgrgid_r, setpwent getpwent getpwent_r endpwent setgrent getgrent
 * getgrent_r endgrent getgrouplist, initgroups and getlogin getlogin_r (ENOSYS and a log
 * line), and pthread_atfork.
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
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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

/*
 * Enumeration (setpwent getpwent getpwent_r endpwent and the group forms): one open
 * file each, read through the mediator like the lookups above. The end of the database:
 * NULL (ENOENT from the _r forms) with errno unchanged, as glibc's.
 */
static FILE *pw_ent;
static FILE *gr_ent;

int tzm__ent_open(FILE **f, const char *path)
{
	if (!*f) {
		*f = fopen(path, "re");
		if (!*f) {
			return errno;
		}
	}
	return 0;
}

void tzm__ent_rewind(FILE *f)
{
	if (f) {
		rewind(f);
	}
}

void tzm__ent_close(FILE **f)
{
	if (*f) {
		fclose(*f);
		*f = NULL;
	}
}

void setpwent(void)
{
	tzm__ent_rewind(pw_ent);
}

void endpwent(void)
{
	tzm__ent_close(&pw_ent);
}

int getpwent_r(struct passwd *pw, char *buf, size_t len, struct passwd **result)
{
	int saved = errno, rc = 0;

	if (tzm__null(pw) || tzm__null(buf) || tzm__null(result)) {
		return EFAULT;
	}
	*result = NULL;
	rc = tzm__ent_open(&pw_ent, PASSWD_FILE);
	if (rc == 0) {
		rc = fgetpwent_r(pw_ent, pw, buf, len, result);
	}
	errno = saved;
	return rc;
}

struct passwd *getpwent(void)
{
	struct passwd *r = NULL;
	int rc = getpwent_r(&pw_static, pw_buf, sizeof(pw_buf), &r);

	return pw_answer(rc == ENOENT ? 0 : rc, r);
}

void setgrent(void)
{
	tzm__ent_rewind(gr_ent);
}

void endgrent(void)
{
	tzm__ent_close(&gr_ent);
}

int getgrent_r(struct group *gr, char *buf, size_t len, struct group **result)
{
	int saved = errno, rc = 0;

	if (tzm__null(gr) || tzm__null(buf) || tzm__null(result)) {
		return EFAULT;
	}
	*result = NULL;
	rc = tzm__ent_open(&gr_ent, GROUP_FILE);
	if (rc == 0) {
		rc = fgetgrent_r(gr_ent, gr, buf, len, result);
	}
	errno = saved;
	return rc;
}

struct group *getgrent(void)
{
	struct group *r = NULL;
	int rc = getgrent_r(&gr_static, gr_buf, sizeof(gr_buf), &r);

	return gr_answer(rc == ENOENT ? 0 : rc, r);
}

#define GROUPLIST_LINE_MAX (1024 * 1024) /* a longer /etc/group line is skipped */
#define GROUPLIST_MAX 65536              /* NGROUPS_MAX */

static bool is_member(const struct group *g, const char *user)
{
	for (char **m = g->gr_mem; m && *m; m++) {
		if (strcmp(*m, user) == 0) {
			return true;
		}
	}
	return false;
}

/* Adds gid to list (n entries so far) unless present; the new count. */
static size_t add_gid(gid_t *list, size_t n, gid_t gid)
{
	for (size_t i = 0; i < n; i++) {
		if (list[i] == gid) {
			return n;
		}
	}
	if (n < GROUPLIST_MAX) {
		list[n++] = gid;
	}
	return n;
}

/*
 * The groups of /etc/group that list user as a member, after group itself (glibc's
 * order, each once). If the file cannot be read the list is group alone, as glibc's when
 * its sources fail. A line too long for GROUPLIST_LINE_MAX is skipped.
 */
static size_t group_list(const char *user, gid_t group, gid_t *list)
{
	size_t n = add_gid(list, 0, group), cap = 4096;
	char *buf = malloc(cap);
	FILE *f = buf ? fopen(GROUP_FILE, "re") : NULL;
	int saved = errno;

	while (f) {
		struct group g, *e = NULL;
		int rc = fgetgrent_r(f, &g, buf, cap, &e);

		if (rc == ERANGE) {
			char *bigger = cap < GROUPLIST_LINE_MAX ? realloc(buf, cap * 2) : NULL;

			if (!bigger) {
				tzm__log_once("getgrouplist",
					      "getgrouplist: an /etc/group line "
					      "longer than %zu bytes ends the scan",
					      cap);
				break;
			}
			buf = bigger;
			cap *= 2;
			continue; /* fgetgrent_r went back to the line's start */
		}
		if (rc != 0) {
			break; /* ENOENT: the end */
		}
		if (is_member(e, user)) {
			n = add_gid(list, n, e->gr_gid);
		}
	}
	if (f) {
		fclose(f);
	}
	free(buf);
	errno = saved;
	return n;
}

int getgrouplist(const char *user, gid_t group, gid_t *groups, int *ngroups)
{
	gid_t *list = NULL;
	size_t n = 0, room = 0;

	if (tzm__null(user) || tzm__null(ngroups) || *ngroups < 0 ||
	    (*ngroups > 0 && tzm__null(groups))) {
		errno = EINVAL;
		return -1;
	}
	list = malloc(GROUPLIST_MAX * sizeof(*list));
	if (!list) {
		return -1;
	}
	n = group_list(user, group, list);
	room = (size_t)*ngroups;
	if (room > 0) {
		memcpy(groups, list, (n < room ? n : room) * sizeof(*list));
	}
	free(list);
	*ngroups = (int)n;
	return n > room ? -1 : (int)n;
}

/* Changing the supplementary groups acts on the process hosting the TA: not for a TA. */
int initgroups(const char *user, gid_t group)
{
	(void)user;
	(void)group;
	return tzm__unsupported("initgroups");
}

/*
 * The login name: glibc's reads /proc/self/loginuid and the utmp file of the TA's
 * terminal, which a TA cannot open. ENOSYS and one log line.
 */
char *getlogin(void)
{
	tzm__unsupported("getlogin");
	return NULL;
}

int getlogin_r(char *name, size_t len)
{
	(void)name;
	(void)len;
	tzm__unsupported("getlogin_r");
	return ENOSYS;
}
