/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The TA's process environment: terminal test (isatty), file creation mask (umask, kept
 * by the shadow and applied to every creation), system names (uname, gethostname,
 * getdomainname: the shadow's host, which is not secret from the TA), the working
 * directory (getcwd, chdir, fchdir: kept by the shadow, which resolves relative paths
 * against it under the policy), and the process calls a TA has no use for but which must
 * give Linux's exact answer: wait* (a TA never has children: ECHILD) and thread creation
 * (not supported yet: EAGAIN with one log line, never a thread that silently never runs).
 *
 * glibc implements isatty, gethostname, getcwd and friends with direct system calls (or
 * ioctls) that never reach libtzm; the TA host's sandbox refuses those, so each is
 * defined here.
 */
#if !defined(TZM_TA_OPTEE) && !defined(TZM_POSIX_REALM)
#include <dlfcn.h>
#endif
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <threads.h>
#include <unistd.h>

#include "tzm_int.h"

int isatty(int fd)
{
	struct tzm__call c;
	int64_t r = 0;

	if (!tzm__fd_valid(fd)) {
		errno = EBADF;
		return 0;
	}
	tzm__begin(&c, TZM_OP_ISATTY);
	c.req.args[0] = fd;
	r = tzm__invoke(&c);
	if (r < 0) {
		return 0;
	}
	if (r != 1) {
		tzm__malformed(&c, "isatty result other than 1");
		return 0;
	}
	return 1;
}

/* The mask the shadow last reported: umask() cannot fail, even on a broken channel. */
static mode_t umask_known = 022;

mode_t umask(mode_t mask)
{
	struct tzm__call c;
	int64_t r = 0;

	tzm__begin(&c, TZM_OP_UMASK);
	c.req.args[0] = mask & 0777;
	r = tzm__invoke(&c);
	if (r < 0 || r > 0777) {
		if (r > 0777) {
			tzm__malformed(&c, "umask out of range");
		}
		return umask_known;
	}
	umask_known = mask & 0777;
	return (mode_t)r;
}

/* Copies one name field, which must be NUL-terminated within its 65 bytes. */
static bool uts_field(char *dst, const char *src)
{
	if (!memchr(src, '\0', TZM_WIRE_UTS_LEN)) {
		return false;
	}
	memcpy(dst, src, TZM_WIRE_UTS_LEN);
	return true;
}

int uname(struct utsname *u)
{
	struct tzm_wire_utsname w;
	struct utsname out;
	struct tzm__call c;

	static_assert(sizeof(out.sysname) == TZM_WIRE_UTS_LEN, "utsname field length");
	if (tzm__null(u)) {
		errno = EFAULT;
		return -1;
	}
	tzm__begin(&c, TZM_OP_UNAME);
	if (tzm__invoke(&c) < 0) {
		return -1;
	}
	if (c.resp.data_len != sizeof(w) || c.resp.ret != 0) {
		return (int)tzm__malformed(&c, "utsname size");
	}
	memcpy(&w, c.buf, sizeof(w));
	memset(&out, 0, sizeof(out));
	if (!uts_field(out.sysname, w.sysname) || !uts_field(out.nodename, w.nodename) ||
	    !uts_field(out.release, w.release) || !uts_field(out.version, w.version) ||
	    !uts_field(out.machine, w.machine) || !uts_field(out.domainname, w.domainname)) {
		return (int)tzm__malformed(&c, "unterminated utsname field");
	}
	*u = out;
	return 0;
}

/* glibc's rule: copy what fits (possibly unterminated), ENAMETOOLONG when it did not fit. */
static int copy_name(char *name, size_t len, const char *src)
{
	size_t n = strlen(src) + 1;

	if (tzm__null(name) && len > 0) {
		errno = EFAULT;
		return -1;
	}
	memcpy(name, src, len < n ? len : n);
	if (n > len) {
		errno = ENAMETOOLONG;
		return -1;
	}
	return 0;
}

int gethostname(char *name, size_t len)
{
	struct utsname u;

	if (uname(&u) != 0) {
		return -1;
	}
	return copy_name(name, len, u.nodename);
}

int getdomainname(char *name, size_t len)
{
	struct utsname u;

	if (uname(&u) != 0) {
		return -1;
	}
	return copy_name(name, len, u.domainname);
}

/* ---- working directory ---- */

char *getcwd(char *buf, size_t size)
{
	char path[TZM_WIRE_MAX_PATH];
	struct tzm__call c;
	int64_t r = 0;
	size_t n = 0;

	if (!tzm__null(buf) && size == 0) {
		errno = EINVAL;
		return NULL;
	}
	tzm__begin(&c, TZM_OP_GETCWD);
	r = tzm__invoke(&c);
	if (r < 0) {
		return NULL;
	}
	/* copy, then check: an absolute path, NUL exactly at its end */
	if (r < 2 || r > (int64_t)sizeof(path) || c.resp.data_len != (uint64_t)r) {
		tzm__malformed(&c, "working directory length");
		return NULL;
	}
	n = (size_t)r;
	memcpy(path, c.buf, n);
	if (path[0] != '/' || strnlen(path, n) != n - 1) {
		tzm__malformed(&c, "working directory is not an absolute path");
		return NULL;
	}
	if (tzm__null(buf)) {
		/* glibc: a NULL buffer is allocated, at least `size` bytes when size is given */
		if (size != 0 && size < n) {
			errno = ERANGE;
			return NULL;
		}
		buf = malloc(size > n ? size : n);
		if (!buf) {
			errno = ENOMEM;
			return NULL;
		}
	} else if (size < n) {
		errno = ERANGE;
		return NULL;
	}
	memcpy(buf, path, n);
	return buf;
}

char *get_current_dir_name(void)
{
	/* glibc: $PWD when it names the working directory, else getcwd */
	const char *pwd = getenv("PWD");
	struct stat a, b;

	if (pwd && pwd[0] == '/' && stat(".", &a) == 0 && stat(pwd, &b) == 0 &&
	    a.st_dev == b.st_dev && a.st_ino == b.st_ino) {
		char *dup = strdup(pwd);

		if (!dup) {
			errno = ENOMEM;
		}
		return dup;
	}
	return getcwd(NULL, 0);
}

static int do_chdir(int fd, const char *path)
{
	struct tzm__call c;
	size_t len = 0;

	tzm__begin(&c, TZM_OP_CHDIR);
	c.req.args[0] = fd;
	if (path) {
		if (tzm__put_path(&c, 0, path, &len) != 0) {
			return -1;
		}
		c.req.data_len = (uint32_t)len;
	}
	return tzm__invoke(&c) < 0 ? -1 : 0;
}

int chdir(const char *path)
{
	if (tzm__null(path)) {
		errno = EFAULT;
		return -1;
	}
	return do_chdir(-1, path);
}

int fchdir(int fd)
{
	if (!tzm__fd_valid(fd)) {
		errno = EBADF;
		return -1;
	}
	return do_chdir(fd, NULL);
}

/* ---- processes and threads ---- */

/* A TA cannot fork, so it never has a child: Linux's answer is ECHILD. */
pid_t waitpid(pid_t pid, int *status, int options)
{
	(void)pid;
	(void)status;
	(void)options;
	errno = ECHILD;
	return -1;
}

pid_t wait(int *status)
{
	return waitpid(-1, status, 0);
}

pid_t wait3(int *status, int options, struct rusage *ru)
{
	(void)ru;
	return waitpid(-1, status, options);
}

pid_t wait4(pid_t pid, int *status, int options, struct rusage *ru)
{
	(void)ru;
	return waitpid(pid, status, options);
}

int waitid(idtype_t type, id_t id, siginfo_t *info, int options)
{
	(void)type;
	(void)id;
	(void)info;
	(void)options;
	errno = ECHILD;
	return -1;
}

/*
 * Threads. Each TA thread gets a lane of the channel (its own call slots, served
 * concurrently by the shadow: tzm_wire.h), reserved here before the thread exists and
 * released when it exits (after its calls in flight completed). Beyond the channel's
 * lanes pthread_create fails the way Linux reports a thread limit (EAGAIN), with one log
 * line. glibc's own pthread_create makes the thread (the TA host's sandbox allows exactly
 * the clone flags of a thread). Real OP-TEE TAs and realm images have one thread.
 */
#if defined(TZM_TA_OPTEE) || defined(TZM_POSIX_REALM)
int pthread_create(pthread_t *thread, const pthread_attr_t *attr, void *(*fn)(void *), void *arg)
{
	(void)thread;
	(void)attr;
	(void)fn;
	(void)arg;
	tzm__log_once("pthread_create", "pthread_create(): this TA build is single-threaded "
					"(as a TA on OP-TEE): EAGAIN");
	return EAGAIN;
}
#else
/*
 * glibc's pthread_create: ours binds the program's references (-Bsymbolic, or the
 * executable's own definition), so libc's is found as the next definition after libtzm's
 * (a sanitizer's interceptor, when there is one, is that next definition, as it should).
 */
typedef int (*pthread_create_fn)(pthread_t *, const pthread_attr_t *, void *(*)(void *), void *);

static pthread_create_fn libc_pthread_create(void)
{
	static pthread_create_fn fn;

	if (!__atomic_load_n(&fn, __ATOMIC_ACQUIRE)) {
		void *sym = dlsym(RTLD_NEXT, "pthread_create");
		pthread_create_fn f = NULL;

		memcpy(&f, &sym, sizeof(f)); /* object to function pointer, as POSIX allows */
		__atomic_store_n(&fn, f, __ATOMIC_RELEASE);
	}
	return __atomic_load_n(&fn, __ATOMIC_ACQUIRE);
}

/* default stack of a TA thread: the TA's own (TA_STACK_SIZE of tzm_add_posix_program) */
#define TZM_THREAD_STACK (256u * 1024u)

struct thread_start {
	void *(*fn)(void *);
	void *arg;
	uint32_t lane;
};

static pthread_key_t lane_key;
static pthread_once_t lane_key_once = PTHREAD_ONCE_INIT;
static _Thread_local bool not_main;
static bool threads_made;
/*
 * Whether this thread may make forwarded calls from the sandbox's hooks (tzm__hook_may_call):
 * 0 not yet (a thread glibc is still starting: it has no lane, a call would take one), 1
 * main's thread or one bound to its lane, 2 its lane given back (the thread is ending).
 */
static _Thread_local unsigned char lane_state;

void tzm__note_main_thread(void)
{
	lane_state = 1;
}

bool tzm__hook_may_call(void)
{
	return lane_state == 1;
}

bool tzm__in_thread(void)
{
	return not_main;
}

bool tzm__threads_made(void)
{
	return __atomic_load_n(&threads_made, __ATOMIC_ACQUIRE);
}

/* thread exit (return or pthread_exit): its lane goes back */
static void lane_exit(void *v)
{
	struct tzm_transport *tp = tzm__rt.tp;

	(void)v;
	lane_state = 2;
	tzm__sig_thread_end();
	if (tp && tp->ops->lane_release) {
		tp->ops->lane_release(tp);
	}
}

static void lane_key_make(void)
{
	(void)pthread_key_create(&lane_key, lane_exit);
}

static void *thread_main(void *p)
{
	struct thread_start st = *(struct thread_start *)p;
	struct tzm_transport *tp = tzm__rt.tp;

	free(p);
	not_main = true;
	if (tp && tp->ops->lane_bind) {
		tp->ops->lane_bind(tp, st.lane);
	}
	lane_state = 1;
	tzm__sig_thread_start(st.lane);
	(void)pthread_setspecific(lane_key, (void *)1);
	return st.fn(st.arg);
}

int pthread_create(pthread_t *thread, const pthread_attr_t *attr, void *(*fn)(void *), void *arg)
{
	struct tzm_transport *tp = tzm__rt.tp;
	struct thread_start *st = NULL;
	pthread_attr_t def;
	bool own_attr = false;
	uint32_t limit = 0;
	int lane = -1, rc = 0;

	if (!tp || !tp->ops->lane_reserve) {
		tzm__log_once("pthread_create",
			      "pthread_create(): the %s transport has one "
			      "thread: EAGAIN",
			      tp ? tp->ops->name : "(none)");
		return EAGAIN;
	}
	if (pthread_once(&lane_key_once, lane_key_make) != 0) {
		return EAGAIN;
	}
	st = malloc(sizeof(*st));
	if (!st) {
		return EAGAIN;
	}
	lane = tp->ops->lane_reserve(tp, &limit);
	if (lane < 0) {
		free(st);
		tzm__log("pthread_create(): the TA has %u threads, the limit of its channel "
			 "(lanes, TZM_WIRE_MAX_LANES): EAGAIN",
			 limit);
		return EAGAIN;
	}
	st->fn = fn;
	st->arg = arg;
	st->lane = (uint32_t)lane;
	if (!attr) {
		/*
		 * libc's default stack is RLIMIT_STACK (8 MiB), which the TA host's RLIMIT_DATA
		 * backstop (about TA_DATA_SIZE + 8 MiB) counts: a thread gets the TA's own stack
		 * size unless the program asks for another.
		 */
		if (pthread_attr_init(&def) != 0 ||
		    pthread_attr_setstacksize(&def, TZM_THREAD_STACK) != 0) {
			tp->ops->lane_unreserve(tp, (uint32_t)lane);
			free(st);
			return EAGAIN;
		}
		attr = &def;
		own_attr = true;
	}
	/* before the thread exists: no call of this thread may be left detached (io.c close) */
	__atomic_store_n(&threads_made, true, __ATOMIC_RELEASE);
	/* its signal state first (the creator's mask): a signal may be sent to it at once */
	tzm__sig_thread_add((uint32_t)lane, tzm__sig_thread_mask(), NULL);
	rc = libc_pthread_create() ? libc_pthread_create()(thread, attr, thread_main, st) : EAGAIN;
	if (own_attr) {
		pthread_attr_destroy(&def);
	}
	if (rc == 0) {
		tzm__sig_thread_add((uint32_t)lane, 0, thread);
	} else {
		tzm__sig_thread_drop((uint32_t)lane);
		tp->ops->lane_unreserve(tp, (uint32_t)lane);
		free(st);
	}
	return rc;
}
#endif

struct thrd_start {
	thrd_start_t fn;
	void *arg;
};

static void *thrd_main(void *p)
{
	struct thrd_start st = *(struct thrd_start *)p;

	free(p);
	return (void *)(intptr_t)st.fn(st.arg);
}

/* glibc's thrd_create calls its pthread_create internally: go through ours */
int thrd_create(thrd_t *thr, thrd_start_t fn, void *arg)
{
	struct thrd_start *st = malloc(sizeof(*st));
	pthread_t t;
	int rc = 0;

	if (!st) {
		return thrd_nomem;
	}
	st->fn = fn;
	st->arg = arg;
	rc = pthread_create(&t, NULL, thrd_main, st);
	if (rc != 0) {
		free(st);
		return rc == ENOMEM ? thrd_nomem : thrd_error;
	}
	*thr = (thrd_t)t;
	return thrd_success;
}

/* ---- process group and session: the shadow's, as the TA's pid is the shadow's ---- */

static int pg_sid(pid_t *pgid, pid_t *sid)
{
	struct tzm__call c;

	tzm__begin(&c, TZM_OP_GETPGSID);
	if (tzm__invoke(&c) < 0) {
		return -1;
	}
	/* 0 is Linux's answer when the group or session leader lives in an ancestor pid
	 * namespace (containers, CI runners): valid, not a lie */
	if (c.resp.aux[0] < 0 || c.resp.aux[0] > INT32_MAX || c.resp.aux[1] < 0 ||
	    c.resp.aux[1] > INT32_MAX) {
		return (int)tzm__malformed(&c, "process group or session out of range");
	}
	*pgid = (pid_t)c.resp.aux[0];
	*sid = (pid_t)c.resp.aux[1];
	return 0;
}

pid_t getpgrp(void)
{
	pid_t pg = 0, sid = 0;

	return pg_sid(&pg, &sid) == 0 ? pg : -1;
}

pid_t getpgid(pid_t pid)
{
	pid_t pg = 0, sid = 0;

	if (pid != 0 && pid != getpid()) {
		/* other processes are not visible to a TA */
		return tzm__unsupported("getpgid(other process)");
	}
	return pg_sid(&pg, &sid) == 0 ? pg : -1;
}

pid_t getsid(pid_t pid)
{
	pid_t pg = 0, sid = 0;

	if (pid != 0 && pid != getpid()) {
		return tzm__unsupported("getsid(other process)");
	}
	return pg_sid(&pg, &sid) == 0 ? sid : -1;
}

/*
 * Linux's exact answers where one exists without touching the shadow's process group
 * (which would change tzm-run's place in the terminal's job control); ENOSYS and a log
 * line where the change would have to happen.
 */
pid_t setsid(void)
{
	pid_t pg = 0, sid = 0;

	if (pg_sid(&pg, &sid) != 0) {
		return -1;
	}
	if (pg == getpid()) {
		errno = EPERM; /* a process group leader cannot start a session */
		return -1;
	}
	return tzm__unsupported("setsid");
}

int setpgid(pid_t pid, pid_t pgid)
{
	pid_t self = getpid(), pg = 0, sid = 0;

	if (pgid < 0) {
		errno = EINVAL;
		return -1;
	}
	if (pid != 0 && pid != self) {
		errno = ESRCH; /* neither the caller nor a child of it: a TA has no children */
		return -1;
	}
	if (pg_sid(&pg, &sid) != 0) {
		return -1;
	}
	if (sid == self) {
		errno = EPERM; /* a session leader cannot change its process group */
		return -1;
	}
	if ((pgid == 0 ? self : pgid) == pg) {
		return 0; /* already there */
	}
	return tzm__unsupported("setpgid");
}

int setpgrp(void)
{
	return setpgid(0, 0);
}
