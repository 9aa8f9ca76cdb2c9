/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The fault injector (see finj.h): --wrap'ed acquiring calls, the table of blocks the code
 * under test holds, the descriptor snapshot, and the driver that fails each call in turn.
 *
 * Only calls made by the linked code reach the wrappers (libc's internal calls do not), so
 * the count is the count of call sites met by the workload, the same in every build.
 */
#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <mqueue.h>
#include <netdb.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/timerfd.h>
#include <sys/wait.h>
#include <unistd.h>

#include <tzm_test.h>

#include "finj.h"

/* A run that takes longer than this hangs (qemu-user is ~10x slower than native). */
#define RUN_TIMEOUT_S 60
#define MAX_TRACKED 16384u /* power of two */
#define MAX_FDS 4096

static struct {
	bool armed;
	unsigned long calls;   /* acquiring calls seen while armed */
	unsigned long fail_at; /* 0: none fails */
	const char *fired;     /* the call that was failed */
	int fired_errno;
	char step[96];      /* current workload step */
	char fired_at[192]; /* "call K (NAME) in step S at EXE+OFFSET", once failed */
} st;

/* Blocks handed to the code under test while armed: open addressing, NULL = empty. */
#define TOMBSTONE ((void *)1)
static struct tracked {
	void *p;
	unsigned long call;
	const char *what;
} live[MAX_TRACKED];
static unsigned nlive;

bool finj_fired(void)
{
	return st.fired != NULL;
}

int finj_fired_errno(void)
{
	return st.fired_errno;
}

const char *finj_fired_call(void)
{
	return st.fired ? st.fired : "-";
}

/* The context of the checks (tzm_test.h): the step, and the failed call once it has. */
static void set_context(void)
{
	const char *step = st.step[0] ? st.step : "-";

	if (st.fired) {
		TEST_CONTEXT("%s; injected failure: %s", step, st.fired_at);
	} else if (st.fail_at) {
		TEST_CONTEXT("%s; call %lu, the one to fail, not reached yet", step, st.fail_at);
	} else {
		TEST_CONTEXT("%s; the run without failures (counting the calls)", step);
	}
}

void finj_step(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(st.step, sizeof(st.step), fmt, ap);
	va_end(ap);
	set_context();
}

static const char *exe_name = "finj";

/* Counts an acquiring call; true when this one must fail (errno set). */
static bool inject(const char *what, int err, void *site)
{
	Dl_info info;

	if (!st.armed) {
		return false;
	}
	st.calls++;
	if (st.calls != st.fail_at) {
		return false;
	}
	memset(&info, 0, sizeof(info));
	(void)dladdr(site, &info);
	/* addr2line -f -e <exe> <offset> names the call site */
	snprintf(st.fired_at, sizeof(st.fired_at), "call %lu (%s) in step %s at %s+%#lx",
		 st.fail_at, what, st.step[0] ? st.step : "-", exe_name,
		 (unsigned long)((uintptr_t)site - (uintptr_t)info.dli_fbase));
	st.fired = what;
	st.fired_errno = err;
	set_context();
	errno = err;
	return true;
}
#define INJECT(what, err) inject(what, err, __builtin_return_address(0))

static size_t slot_of(const void *p)
{
	return (size_t)(((uintptr_t)p >> 4) * 0x9e3779b97f4a7c15ull) & (MAX_TRACKED - 1);
}

static void track(void *p, const char *what)
{
	size_t i = slot_of(p);

	if (!p || !st.armed) {
		return;
	}
	if (nlive >= MAX_TRACKED / 2) {
		fprintf(stderr, "finj: allocation table full\n");
		abort();
	}
	while (live[i].p && live[i].p != TOMBSTONE) {
		i = (i + 1) & (MAX_TRACKED - 1);
	}
	live[i].p = p;
	live[i].call = st.calls;
	live[i].what = what;
	nlive++;
}

static void untrack(void *p)
{
	size_t i = slot_of(p);

	if (!p || nlive == 0) {
		return;
	}
	while (live[i].p) {
		if (live[i].p == p) {
			live[i].p = TOMBSTONE;
			nlive--;
			return;
		}
		i = (i + 1) & (MAX_TRACKED - 1);
	}
}

/* ---- the wrapped calls ---- */
#define WRAP_ALLOC(ret, name, params, args)                                                        \
	ret __real_##name params;                                                                  \
	ret __wrap_##name params;                                                                  \
	ret __wrap_##name params                                                                   \
	{                                                                                          \
		ret p = NULL;                                                                      \
		if (INJECT(#name, ENOMEM)) {                                                       \
			return NULL;                                                               \
		}                                                                                  \
		p = __real_##name args;                                                            \
		track(p, #name);                                                                   \
		return p;                                                                          \
	}
WRAP_ALLOC(void *, malloc, (size_t n), (n))
WRAP_ALLOC(void *, calloc, (size_t n, size_t m), (n, m))
WRAP_ALLOC(char *, strdup, (const char *s), (s))
WRAP_ALLOC(char *, strndup, (const char *s, size_t n), (s, n))

void *__real_realloc(void *p, size_t n);
void *__wrap_realloc(void *p, size_t n);
void *__wrap_realloc(void *old, size_t n)
{
	void *p = NULL;

	if (INJECT("realloc", ENOMEM)) {
		return NULL;
	}
	p = __real_realloc(old, n);
	if (p) {
		untrack(old);
		track(p, "realloc");
	}
	return p;
}

void __real_free(void *p);
void __wrap_free(void *p);
void __wrap_free(void *p)
{
	untrack(p);
	__real_free(p);
}

/* open-like calls: the mode argument exists only when the flags create. */
static bool takes_mode(int flags)
{
	return (flags & O_CREAT) || (flags & O_TMPFILE) == O_TMPFILE;
}

#define UNPAREN(...) __VA_ARGS__
/* open-like calls, the path arguments before the flags in parentheses */
#define WRAP_OPEN(name, params, args)                                                              \
	int __real_##name(UNPAREN params, int flags, ...);                                         \
	int __wrap_##name(UNPAREN params, int flags, ...);                                         \
	int __wrap_##name(UNPAREN params, int flags, ...)                                          \
	{                                                                                          \
		mode_t mode = 0;                                                                   \
		if (takes_mode(flags)) {                                                           \
			va_list ap;                                                                \
			va_start(ap, flags);                                                       \
			mode = va_arg(ap, mode_t);                                                 \
			va_end(ap);                                                                \
		}                                                                                  \
		if (INJECT(#name, EMFILE)) {                                                       \
			return -1;                                                                 \
		}                                                                                  \
		return __real_##name(UNPAREN args, flags, mode);                                   \
	}
WRAP_OPEN(open, (const char *path), (path))
WRAP_OPEN(open64, (const char *path), (path))
WRAP_OPEN(openat, (int dirfd, const char *path), (dirfd, path))
WRAP_OPEN(openat64, (int dirfd, const char *path), (dirfd, path))

/* Calls of fixed arity: fail with `err`, returning `failed`. */
#define WRAP(ret, name, failed, err, params, args)                                                 \
	ret __real_##name params;                                                                  \
	ret __wrap_##name params;                                                                  \
	ret __wrap_##name params                                                                   \
	{                                                                                          \
		return INJECT(#name, err) ? failed : __real_##name args;                           \
	}
/* _FORTIFY_SOURCE's forms of open/openat (no mode) */
WRAP(int, __open_2, -1, EMFILE, (const char *path, int flags), (path, flags))
WRAP(int, __openat_2, -1, EMFILE, (int dirfd, const char *path, int flags), (dirfd, path, flags))
WRAP(FILE *, fopen, NULL, EMFILE, (const char *path, const char *mode), (path, mode))
WRAP(FILE *, fopen64, NULL, EMFILE, (const char *path, const char *mode), (path, mode))
WRAP(DIR *, opendir, NULL, EMFILE, (const char *path), (path))
WRAP(DIR *, fdopendir, NULL, ENOMEM, (int fd), (fd))
WRAP(int, socket, -1, EMFILE, (int d, int t, int p), (d, t, p))
WRAP(int, socketpair, -1, EMFILE, (int d, int t, int p, int sv[2]), (d, t, p, sv))
WRAP(int, accept4, -1, EMFILE, (int fd, struct sockaddr *sa, socklen_t *sl, int flags),
     (fd, sa, sl, flags))
WRAP(int, dup, -1, EMFILE, (int fd), (fd))
WRAP(int, dup3, -1, EMFILE, (int fd, int nfd, int flags), (fd, nfd, flags))
WRAP(int, pipe2, -1, EMFILE, (int p[2], int flags), (p, flags))
WRAP(int, epoll_create1, -1, EMFILE, (int flags), (flags))
WRAP(int, eventfd, -1, EMFILE, (unsigned v, int flags), (v, flags))
WRAP(int, timerfd_create, -1, EMFILE, (int clk, int flags), (clk, flags))

int __real_fcntl(int fd, int cmd, ...);
int __wrap_fcntl(int fd, int cmd, ...);
int __wrap_fcntl(int fd, int cmd, ...)
{
	va_list ap;
	void *arg = NULL;

	va_start(ap, cmd);
	arg = va_arg(ap, void *); /* as glibc: every fcntl argument fits a pointer */
	va_end(ap);
	if ((cmd == F_DUPFD || cmd == F_DUPFD_CLOEXEC) && INJECT("fcntl(F_DUPFD)", EMFILE)) {
		return -1;
	}
	return __real_fcntl(fd, cmd, arg);
}

mqd_t __real_mq_open(const char *name, int oflag, ...);
mqd_t __wrap_mq_open(const char *name, int oflag, ...);
mqd_t __wrap_mq_open(const char *name, int oflag, ...)
{
	mode_t mode = 0;
	struct mq_attr *attr = NULL;

	if (oflag & O_CREAT) {
		va_list ap;

		va_start(ap, oflag);
		mode = va_arg(ap, mode_t);
		attr = va_arg(ap, struct mq_attr *);
		va_end(ap);
	}
	if (INJECT("mq_open", EMFILE)) {
		return (mqd_t)-1;
	}
	return __real_mq_open(name, oflag, mode, attr);
}

int __real_getaddrinfo(const char *node, const char *serv, const struct addrinfo *hints,
		       struct addrinfo **res);
int __wrap_getaddrinfo(const char *node, const char *serv, const struct addrinfo *hints,
		       struct addrinfo **res);
int __wrap_getaddrinfo(const char *node, const char *serv, const struct addrinfo *hints,
		       struct addrinfo **res)
{
	if (INJECT("getaddrinfo", ENOMEM)) {
		return EAI_MEMORY;
	}
	return __real_getaddrinfo(node, serv, hints, res);
}

/*
 * A lookup of a name (not only numbers: those acquire nothing, and the shadow formats
 * addresses for its log that way) opens files and sockets: EAI_SYSTEM, errno EMFILE.
 */
int __real_getnameinfo(const struct sockaddr *sa, socklen_t salen, char *host, socklen_t hostlen,
		       char *serv, socklen_t servlen, int flags);
int __wrap_getnameinfo(const struct sockaddr *sa, socklen_t salen, char *host, socklen_t hostlen,
		       char *serv, socklen_t servlen, int flags);
int __wrap_getnameinfo(const struct sockaddr *sa, socklen_t salen, char *host, socklen_t hostlen,
		       char *serv, socklen_t servlen, int flags)
{
	const int numeric = NI_NUMERICHOST | NI_NUMERICSERV;

	if ((flags & numeric) != numeric && INJECT("getnameinfo", EMFILE)) {
		return EAI_SYSTEM;
	}
	return __real_getnameinfo(sa, salen, host, hostlen, serv, servlen, flags);
}

/* syscall(): only the descriptor-creating numbers the mediator issues this way fail */
long __real_syscall(long nr, ...);
long __wrap_syscall(long nr, ...);
long __wrap_syscall(long nr, ...)
{
	va_list ap;
	long a[6];

	va_start(ap, nr);
	for (int i = 0; i < 6; i++) {
		a[i] = va_arg(ap, long);
	}
	va_end(ap);
	if ((nr == SYS_openat2 || nr == SYS_memfd_create) && INJECT("syscall(openat2)", EMFILE)) {
		return -1;
	}
	return __real_syscall(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
}

/* ---- descriptors ---- */
struct fdset {
	unsigned char open[MAX_FDS / 8];
};

static void fd_snapshot(struct fdset *set)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *de = NULL;

	memset(set, 0, sizeof(*set));
	if (!d) {
		perror("finj: /proc/self/fd");
		exit(2);
	}
	while ((de = readdir(d))) {
		long fd = strtol(de->d_name, NULL, 10);

		if (de->d_name[0] != '.' && fd != dirfd(d) && fd >= 0 && fd < MAX_FDS) {
			set->open[fd / 8] |= (unsigned char)(1u << (fd % 8));
		}
	}
	closedir(d);
}

/* Reports each descriptor open now that was not open in `before`; their number. */
static unsigned fd_leaks(const struct fdset *before)
{
	struct fdset now;
	unsigned n = 0;

	fd_snapshot(&now);
	for (int fd = 0; fd < MAX_FDS; fd++) {
		unsigned char bit = (unsigned char)(1u << (fd % 8));
		char proc[64], target[256];
		ssize_t len = 0;

		if (!(now.open[fd / 8] & bit) || (before->open[fd / 8] & bit)) {
			continue;
		}
		snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
		len = readlink(proc, target, sizeof(target) - 1);
		target[len > 0 ? len : 0] = '\0';
		fprintf(stderr, "finj: descriptor %d (%s) left open\n", fd, target);
		n++;
	}
	return n;
}

static unsigned mem_leaks(void)
{
	unsigned n = 0;

	for (size_t i = 0; i < MAX_TRACKED; i++) {
		if (live[i].p && live[i].p != TOMBSTONE) {
			fprintf(stderr, "finj: block from acquiring call %lu (%s) never freed\n",
				live[i].call, live[i].what);
			n++;
		}
	}
	return n;
}

/* ---- the driver ---- */

/* One run with call fail_at failing (0: none); in a child. Exits 0 when clean. */
static void child_run(const struct finj_unit *u, unsigned long fail_at, int count_fd)
{
	struct fdset before;

	alarm(RUN_TIMEOUT_S);
	fd_snapshot(&before);
	memset(&st, 0, sizeof(st));
	st.fail_at = fail_at;
	finj_step("start");
	st.armed = true;
	u->run();
	st.armed = false;
	if (fail_at) {
		finj_step("end of the workload (is it deterministic?)");
		ASSERT_TRUE(finj_fired());
	}
	finj_step("end of the workload: what the code under test still holds");
	ASSERT_EQ_U64(fd_leaks(&before), 0);
	ASSERT_EQ_U64(mem_leaks(), 0);
	if (count_fd >= 0) {
		unsigned long calls = st.calls;

		ASSERT_EQ_INT(write(count_fd, &calls, sizeof(calls)), sizeof(calls));
	}
	fflush(stderr);
	exit(0); /* exit, not _exit: LeakSanitizer checks here */
}

/* Runs one child; 0 when it ended cleanly. */
static int one_run(const struct finj_unit *u, unsigned long fail_at, unsigned long *calls)
{
	int p[2] = { -1, -1 }, status = 0;
	pid_t pid = 0;

	if (calls && pipe(p) != 0) {
		perror("finj: pipe");
		return -1;
	}
	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid < 0) {
		perror("finj: fork");
		return -1;
	}
	if (pid == 0) {
		if (calls) {
			close(p[0]);
		}
		child_run(u, fail_at, calls ? p[1] : -1);
	}
	if (calls) {
		close(p[1]);
		if (read(p[0], calls, sizeof(*calls)) != (ssize_t)sizeof(*calls)) {
			*calls = 0;
		}
		close(p[0]);
	}
	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR) {
			perror("finj: waitpid");
			return -1;
		}
	}
	u->reset();
	if (WIFSIGNALED(status)) {
		fprintf(stderr, "finj: %s: run failing call %lu: %s\n", u->name, fail_at,
			WTERMSIG(status) == SIGALRM ? "hung (timed out)"
						    : strsignal(WTERMSIG(status)));
		return -1;
	}
	if (WEXITSTATUS(status) != 0) {
		fprintf(stderr, "finj: %s: run failing call %lu: exit status %d\n", u->name,
			fail_at, WEXITSTATUS(status));
		return -1;
	}
	return 0;
}

int finj_main(int argc, char **argv, const struct finj_unit *units, size_t nunits)
{
	const struct finj_unit *u = NULL;
	unsigned long calls = 0, failed = 0, only = 0;

	exe_name = argv[0];
	for (size_t i = 0; argc >= 2 && i < nunits; i++) {
		if (strcmp(argv[1], units[i].name) == 0) {
			u = &units[i];
		}
	}
	if (!u) {
		fprintf(stderr, "usage: %s UNIT [CALL]\n", argv[0]);
		return 64;
	}
	if (argc >= 3) {
		only = strtoul(argv[2], NULL, 10); /* re-run one call alone, to debug it */
	}
	if (u->setup() != 0) {
		return 1;
	}
	if (one_run(u, 0, &calls) != 0 || calls == 0) {
		fprintf(stderr, "finj: %s: the workload does not run cleanly without faults\n",
			u->name);
		u->teardown();
		return 1;
	}
	for (unsigned long k = 1; k <= calls; k++) {
		if ((!only || k == only) && one_run(u, k, NULL) != 0) {
			failed++;
		}
	}
	u->teardown();
	printf("finj: %s: %lu acquiring calls, each failed in turn: %lu unclean\n", u->name, calls,
	       failed);
	return failed ? 1 : 0;
}
