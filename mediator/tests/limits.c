/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Where a TA must differ from a native process, and how: each check prints
 * "<name> <result>" (OK or the errno name) for test_limits.sh, which compares the lines
 * with what the mediator promises and looks for the log line each refusal must leave.
 * Usage: limits RW RO [UP] (directories the policy allows read-write and read-only; RO
 * holds a file "data"; UP, if given, is read-write with `uplinks`; nothing else allowed).
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <threads.h>
#include <unistd.h>

static void report(const char *name, int failed, int err)
{
	printf("%s %s\n", name, failed ? strerrorname_np(err) : "OK");
}

/* Not an assertion, and so not tzm_test.h: TRY prints one "<name> OK|<errno name>" line per
 * call, the transcript the shell driver compares against what the policy allows (the
 * same program runs natively and as a TA; the expectation lives in the driver). */
#define TRY(name, expr)                                                                            \
	do {                                                                                       \
		int r_;                                                                            \
		errno = 0;                                                                         \
		r_ = (expr);                                                                       \
		report(name, r_ < 0, errno);                                                       \
	} while (0)

/* mkdir base/a, base/a/b, base/a/b/c */
static int mkdir_abc(const char *base)
{
	static const char *const parts[] = { "a", "a/b", "a/b/c" };
	char d[4096];

	for (size_t i = 0; i < 3; i++) {
		snprintf(d, sizeof(d), "%s/%s", base, parts[i]);
		if (mkdir(d, 0755) != 0) {
			return -1;
		}
	}
	return 0;
}

static int ran;

static void *thread_fn(void *arg)
{
	(void)arg;
	ran = 1;
	return NULL;
}

static int thrd_fn(void *arg)
{
	(void)arg;
	ran = 1;
	return 0;
}

int main(int argc, char **argv)
{
	pthread_t t;
	thrd_t th;
	int rc = 0;

	char p[4096], q[4096], buf[64];
	int fd = -1;

	if (argc < 3 || argv[1][0] != '/') {
		return 64; /* usage (also the answer test_limits.sh's TEE warm-up expects) */
	}
	rc = pthread_create(&t, NULL, thread_fn, NULL);
	report("pthread_create", rc != 0, rc);
	if (rc == 0) {
		pthread_join(t, NULL);
	}
	rc = thrd_create(&th, thrd_fn, NULL);
	printf("thrd_create %s\n", rc == thrd_success ? "OK"
				   : rc == thrd_error ? "thrd_error"
						      : "?");
	if (rc == thrd_success) {
		thrd_join(th, NULL);
	}
	printf("thread_ran %d\n", ran);
	TRY("chdir_allowed", chdir(argv[1]));
	TRY("chdir_outside", chdir("/"));
	TRY("chdir_dotdot_outside", chdir(".."));
	/* raw system calls: refused, the number named in the log */
	TRY("syscall_getpid", (int)syscall(SYS_getpid));
	/* metadata changes need a read-write rule, whichever way the object is named */
	snprintf(p, sizeof(p), "%s/data", argv[2]);
	TRY("chmod_ro", chmod(p, 0600));
	TRY("chown_ro", chown(p, (uid_t)-1, (gid_t)-1));
	TRY("utimes_ro", utimes(p, NULL));
	TRY("truncate_ro", truncate(p, 0));
	fd = open(p, O_RDONLY);
	TRY("open_ro", fd);
	TRY("fchmod_ro_fd", fchmod(fd, 0600));
	TRY("futimens_ro_fd", futimens(fd, NULL));
	close(fd);
	TRY("chmod_rw", chmod(argv[1], 0755));
	/* links may not reach out of the policy, nor make read-only files writable */
	snprintf(q, sizeof(q), "%s/to-etc", argv[1]);
	TRY("symlink_outside", symlink("/etc/passwd", q));
	TRY("symlink_dotdot_outside", symlink("../../../../../../../etc", q));
	/*
	 * ".." in a target needs `uplinks` on the rule, even when the text stays in the tree:
	 * the first step of the escape "a/b/c/d -> ../../..", then "a/b/c/d/l -> ../../../x"
	 */
	TRY("mkdir_abc", mkdir_abc(argv[1]));
	snprintf(q, sizeof(q), "%s/a/b/c/d", argv[1]);
	TRY("symlink_dotdot_in_tree", symlink("../../..", q));
	snprintf(q, sizeof(q), "%s/a/sub-up", argv[1]);
	TRY("symlink_inner_dotdot", symlink("b/../b", q));
	snprintf(q, sizeof(q), "%s/down", argv[1]);
	TRY("symlink_down", symlink("a/b/./c", q));
	snprintf(p, sizeof(p), "%s/a/b", argv[1]);
	snprintf(q, sizeof(q), "%s/abs-in-tree", argv[1]);
	TRY("symlink_abs_in_tree", symlink(p, q));
	snprintf(p, sizeof(p), "%s/a/../a", argv[1]);
	snprintf(q, sizeof(q), "%s/abs-dotdot", argv[1]);
	TRY("symlink_abs_dotdot", symlink(p, q));
	if (argc > 3) { /* a read-write tree with `uplinks` */
		snprintf(q, sizeof(q), "%s/up", argv[3]);
		TRY("uplinks_dotdot_in_tree", symlink("sub/../x", q));
		snprintf(q, sizeof(q), "%s/out", argv[3]);
		TRY("uplinks_dotdot_outside", symlink("../../../../../../../etc", q));
	}
	snprintf(p, sizeof(p), "%s/data", argv[2]);
	snprintf(q, sizeof(q), "%s/to-etc", argv[1]);
	TRY("symlink_ro_target", symlink(p, q));
	TRY("readlink_ro_target", (int)readlink(q, buf, sizeof(buf)));
	snprintf(q, sizeof(q), "%s/hard", argv[1]);
	TRY("link_from_ro", link(p, q));
	TRY("readlink_outside", (int)readlink("/etc/passwd", buf, sizeof(buf)));
	TRY("realpath_outside", realpath("/etc", q) ? 0 : -1);
	/* no rule for /tmp: tmpfile fails as Linux does for a directory it may not write */
	TRY("tmpfile_no_rule", tmpfile() ? 0 : -1);
	/* tzm-run is not a process group leader under the test runner: the new session would
	 * have to be the shadow's */
	TRY("setsid_not_leader", (int)setsid());
	return 0;
}
