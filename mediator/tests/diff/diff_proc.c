/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Differential test: the process environment. Close-on-exec as every descriptor-creating
 * call sets it (pipe2, socket, socketpair, accept4, epoll_create1, open, dup, dup3,
 * F_DUPFD_CLOEXEC, F_SETFD, ioctl FIOCLEX/FIONCLEX, and FIONBIO's O_NONBLOCK); isatty (ENOTTY for
 * files, pipes and sockets, EBADF); umask (old value returned, applied to open/mkdir/mkfifo);
 * uname, gethostname and getdomainname (ENAMETOOLONG); the working directory: getcwd (ERANGE,
 * EINVAL, NULL buffer), chdir/fchdir (ENOENT, ENOTDIR, EBADF) and relative paths resolved against
 * it; wait/waitpid/waitid (ECHILD: a process without children); getpgrp/getpgid/getsid and the
 * answers of setpgid/setsid that need no change (ESRCH, EINVAL, a no-op, EPERM); the user and group
 * databases (getpw*, getgr*, ERANGE, not found) and pthread_atfork. TR_OPTEE_SUBSET (the OP-TEE TA
 * and its native twin in scripts/optee-qemu, compared with each other): without the user and group
 * databases and pthread_atfork, which OP-TEE's libc (mediator/optee) does not have.
 */
#include "tr.h"

#include <fcntl.h>
#ifndef TR_OPTEE_SUBSET
#include <grp.h>
#include <pthread.h>
#include <pwd.h>
#endif
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#ifndef TR_OPTEE_SUBSET
#include <sys/ioctl.h>
#endif
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *g_dir;

static int cloexec_of(int fd)
{
	int r = fcntl(fd, F_GETFD);

	return r < 0 ? -1 : (r & FD_CLOEXEC) != 0;
}

static void cloexec(void)
{
	struct sockaddr_un sa;
	socklen_t len = 0;
	int p[2] = { -1, -1 }, sv[2] = { -1, -1 };
	int fd = -1, lfd = -1, cfd = -1, afd = -1, d = -1;
	int one = 1, zero = 0;
	char path[512];

	(void)one;
	(void)zero;
	EXPECT(0, 0, pipe2(p, O_CLOEXEC));
	EXPECT(1, 0, cloexec_of(p[0]));
	EXPECT(1, 0, cloexec_of(p[1]));
	EXPECT(0, 0, close(p[0]) + close(p[1]));
	EXPECT(0, 0, pipe2(p, 0));
	EXPECT(0, 0, cloexec_of(p[0]));
	EXPECT(0, 0, cloexec_of(p[1]));
	EXPECT(0, 0, close(p[0]) + close(p[1]));
	EXPECT(0, 0, pipe(p));
	EXPECT(0, 0, cloexec_of(p[1]));
	EXPECT(TR_FD, 0, d = dup3(p[0], 20, O_CLOEXEC));
	EXPECT(1, 0, cloexec_of(d));
	EXPECT(0, 0, close(d));
	EXPECT(TR_FD, 0, d = fcntl(p[0], F_DUPFD_CLOEXEC, 10));
	EXPECT(1, 0, cloexec_of(d));
	EXPECT(0, 0, fcntl(d, F_SETFD, 0));
	EXPECT(0, 0, cloexec_of(d));
	EXPECT(0, 0, close(d));
	EXPECT(TR_FD, 0, d = fcntl(p[0], F_DUPFD, 10));
	EXPECT(0, 0, cloexec_of(d));
	EXPECT(0, 0, fcntl(d, F_SETFD, FD_CLOEXEC));
	EXPECT(1, 0, cloexec_of(d));
	EXPECT(TR_FD, 0, fd = dup(d));
	EXPECT(0, 0, cloexec_of(fd)); /* dup never copies the flag */
#ifndef TR_OPTEE_SUBSET
	/* the ioctls that are fcntls (CPython sets close-on-exec with FIOCLEX) */
	EXPECT(0, 0, ioctl(fd, FIOCLEX));
	EXPECT(1, 0, cloexec_of(fd));
	EXPECT(0, 0, ioctl(fd, FIONCLEX));
	EXPECT(0, 0, cloexec_of(fd));
	EXPECT(0, 0, ioctl(fd, FIONBIO, &one));
	EXPECT(O_NONBLOCK, 0, fcntl(fd, F_GETFL) & O_NONBLOCK);
	EXPECT(0, 0, ioctl(fd, FIONBIO, &zero));
	EXPECT(0, 0, fcntl(fd, F_GETFL) & O_NONBLOCK);
	EXPECT(-1, EBADF, ioctl(99, FIOCLEX));
#endif
	EXPECT(0, 0, close(d) + close(fd) + close(p[0]) + close(p[1]));

	EXPECT(0, 0, socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv));
	EXPECT(1, 0, cloexec_of(sv[0]));
	EXPECT(1, 0, cloexec_of(sv[1]));
	EXPECT(0, 0, close(sv[0]) + close(sv[1]));
	EXPECT(0, 0, socketpair(AF_UNIX, SOCK_DGRAM, 0, sv));
	EXPECT(0, 0, cloexec_of(sv[0]));
	EXPECT(0, 0, close(sv[0]) + close(sv[1]));

	EXPECT(TR_FD, 0, fd = epoll_create1(EPOLL_CLOEXEC));
	EXPECT(1, 0, cloexec_of(fd));
	EXPECT(0, 0, close(fd));
	EXPECT(TR_FD, 0, fd = epoll_create1(0));
	EXPECT(0, 0, cloexec_of(fd));
	EXPECT(0, 0, close(fd));

	tr_join(path, sizeof(path), g_dir, "cloexec.txt");
	EXPECT(TR_FD, 0, fd = open(path, O_CREAT | O_WRONLY | O_CLOEXEC, 0600));
	EXPECT(1, 0, cloexec_of(fd));
	EXPECT(0, 0, close(fd));
	EXPECT(TR_FD, 0, fd = open(path, O_RDONLY));
	EXPECT(0, 0, cloexec_of(fd));
	EXPECT(0, 0, close(fd));

	len = tr_unix_addr(&sa, g_dir, "cloexec.sock", 0);
	EXPECT(TR_FD, 0, lfd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
	EXPECT(1, 0, cloexec_of(lfd));
	EXPECT(0, 0, bind(lfd, (struct sockaddr *)&sa, len));
	EXPECT(0, 0, listen(lfd, 4));
	EXPECT(TR_FD, 0, cfd = socket(AF_UNIX, SOCK_STREAM, 0));
	EXPECT(0, 0, cloexec_of(cfd));
	EXPECT(0, 0, connect(cfd, (struct sockaddr *)&sa, len));
	EXPECT(TR_FD, 0, afd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC));
	EXPECT(1, 0, cloexec_of(afd));
	EXPECT(0, 0, close(afd) + close(cfd));
	EXPECT(TR_FD, 0, cfd = socket(AF_UNIX, SOCK_STREAM, 0));
	EXPECT(0, 0, connect(cfd, (struct sockaddr *)&sa, len));
	EXPECT(TR_FD, 0, afd = accept4(lfd, NULL, NULL, 0));
	EXPECT(0, 0, cloexec_of(afd));
	EXPECT(0, 0, close(afd) + close(cfd) + close(lfd));
}

/* isatty as a syscall-style result, so that the errno of a 0 answer is checked too */
static int tty_of(int fd)
{
	return isatty(fd) ? 1 : -1;
}

static void tty(void)
{
	char path[512];
	int fd = -1, p[2] = { -1, -1 }, sv[2] = { -1, -1 };

	tr_join(path, sizeof(path), g_dir, "tty.txt");
	EXPECT(TR_FD, 0, fd = open(path, O_CREAT | O_RDWR, 0600));
	EXPECT(-1, ENOTTY, tty_of(fd));
	EXPECT(0, 0, close(fd));
	EXPECT(-1, EBADF, tty_of(fd));
	EXPECT(-1, EBADF, tty_of(-1));
	EXPECT(0, 0, pipe(p));
	EXPECT(-1, ENOTTY, tty_of(p[0]));
	EXPECT(0, 0, close(p[0]) + close(p[1]));
	EXPECT(0, 0, socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
	EXPECT(-1, ENOTTY, tty_of(sv[0]));
	EXPECT(0, 0, close(sv[0]) + close(sv[1]));
	/* the runner sends stdout and stderr to files */
	EXPECT(-1, ENOTTY, tty_of(1));
	EXPECT(-1, ENOTTY, tty_of(2));
	NOTE("isatty(0) agrees: %d", isatty(0) == isatty(0));
}

static void mask(void)
{
	char path[512];
	struct stat st;
	mode_t old = 0, prev = 0;
	int fd = -1;

	old = umask(027);
	NOTE("umask(027) returned the inherited mask");
	prev = umask(027);
	EXPECT(027, 0, prev);
	tr_join(path, sizeof(path), g_dir, "umask.txt");
	EXPECT(TR_FD, 0, fd = open(path, O_CREAT | O_WRONLY, 0666));
	EXPECT(0, 0, fstat(fd, &st));
	EXPECT(0640, 0, st.st_mode & 0777);
	EXPECT(0, 0, close(fd));
	tr_join(path, sizeof(path), g_dir, "umask.dir");
	EXPECT(0, 0, mkdir(path, 0777));
	EXPECT(0, 0, stat(path, &st));
	EXPECT(0750, 0, st.st_mode & 0777);
	tr_join(path, sizeof(path), g_dir, "umask.fifo");
	EXPECT(027, 0, umask(0));
	EXPECT(0, 0, mkfifo(path, 0666));
	EXPECT(0, 0, stat(path, &st));
	EXPECT(0666, 0, st.st_mode & 0777);
	EXPECT(0, 0, umask(0777));
	EXPECT(0777, 0, umask(07777)); /* only the permission bits are kept */
	EXPECT(0777, 0, umask(old));
	ASSERT(umask(old) == old);
}

static void names(void)
{
	struct utsname u;
	char host[256], small[2], dom[256];

	memset(&u, 0, sizeof(u));
	EXPECT(0, 0, uname(&u));
	EXPECT(0, 0, strcmp(u.sysname, "Linux"));
	NOTE("machine %s", u.machine);
	NOTE("release %s", u.release);
	EXPECT(0, 0, gethostname(host, sizeof(host)));
	EXPECT(0, 0, strcmp(host, u.nodename));
	EXPECT(-1, ENAMETOOLONG, gethostname(small, sizeof(small)));
	EXPECT(0, 0, memcmp(small, u.nodename, sizeof(small)));
	EXPECT(0, 0, getdomainname(dom, sizeof(dom)));
	EXPECT(0, 0, strcmp(dom, u.domainname));
}

static void cwd(void)
{
	char buf[1024], want[1024], path[512];
	char *p = NULL;
	struct stat st;
	int fd = -1, dfd = -1;

	EXPECT_PTR(0, 0, getcwd(buf, sizeof(buf)));
	EXPECT(0, 0, strcmp(buf, g_dir));
	EXPECT_PTR(1, ERANGE, getcwd(buf, 2));
	EXPECT_PTR(1, EINVAL, getcwd(buf, 0));
	EXPECT_PTR(0, 0, p = getcwd(NULL, 0));
	EXPECT(0, 0, strcmp(p, g_dir));
	free(p);
	EXPECT_PTR(0, 0, p = getcwd(NULL, 4096));
	EXPECT(0, 0, strcmp(p, g_dir));
	free(p);
	EXPECT_PTR(1, ERANGE, getcwd(NULL, 2));

	EXPECT(0, 0, mkdir("sub", 0700));
	EXPECT(0, 0, chdir("sub"));
	tr_join(want, sizeof(want), g_dir, "sub");
	EXPECT_PTR(0, 0, getcwd(buf, sizeof(buf)));
	EXPECT(0, 0, strcmp(buf, want));
	EXPECT(TR_FD, 0, fd = open("inner.txt", O_CREAT | O_WRONLY, 0600));
	EXPECT(5, 0, write(fd, "inner", 5));
	EXPECT(0, 0, close(fd));
	tr_join(path, sizeof(path), want, "inner.txt");
	EXPECT(0, 0, stat(path, &st));
	EXPECT(5, 0, st.st_size);
	EXPECT(0, 0, stat("./inner.txt", &st));
	EXPECT(0, 0, mkdir("deeper", 0700));
	EXPECT(0, 0, chdir("deeper/../deeper/."));
	EXPECT_PTR(0, 0, getcwd(buf, sizeof(buf)));
	tr_join(path, sizeof(path), want, "deeper");
	EXPECT(0, 0, strcmp(buf, path));
	EXPECT(0, 0, chdir("../.."));
	EXPECT_PTR(0, 0, getcwd(buf, sizeof(buf)));
	EXPECT(0, 0, strcmp(buf, g_dir));
	EXPECT(-1, ENOENT, chdir("missing"));
	EXPECT(-1, ENOENT, chdir(""));
	EXPECT(-1, ENOTDIR, chdir("sub/inner.txt"));
	EXPECT(-1, ENOTDIR, chdir("sub/inner.txt/x"));

	EXPECT(TR_FD, 0, dfd = open("sub", O_RDONLY | O_DIRECTORY));
	EXPECT(0, 0, fchdir(dfd));
	EXPECT_PTR(0, 0, getcwd(buf, sizeof(buf)));
	EXPECT(0, 0, strcmp(buf, want));
	EXPECT(0, 0, access("inner.txt", R_OK));
	EXPECT(TR_FD, 0, fd = open("inner.txt", O_RDONLY));
	EXPECT(-1, ENOTDIR, fchdir(fd));
	EXPECT(0, 0, close(fd) + close(dfd));
	EXPECT(-1, EBADF, fchdir(dfd));
	EXPECT(-1, EBADF, fchdir(-1));
	EXPECT(0, 0, chdir(g_dir));
	EXPECT(0, 0, unlink("sub/inner.txt"));
	EXPECT(0, 0, rmdir("sub/deeper"));
	EXPECT(0, 0, rmdir("sub"));
	EXPECT_PTR(0, 0, p = get_current_dir_name());
	EXPECT(0, 0, strcmp(p, g_dir));
	free(p);
}

static void children(void)
{
	int status = 0;
	siginfo_t si;

	EXPECT(-1, ECHILD, wait(&status));
	EXPECT(-1, ECHILD, waitpid(-1, &status, 0));
	EXPECT(-1, ECHILD, waitpid(-1, &status, WNOHANG));
	EXPECT(-1, ECHILD, waitpid(12345, NULL, 0));
	EXPECT(-1, ECHILD, waitid(P_ALL, 0, &si, WEXITED));
}

static void groups(void)
{
	pid_t pg = getpgrp();
	int leader = pg == getpid();

	EXPECT(TR_OK, 0, pg); /* 0: the leader is in an ancestor pid namespace */
	EXPECT(pg, 0, getpgid(0));
	EXPECT(pg, 0, getpgid(getpid()));
	EXPECT(TR_OK, 0, getsid(0));
	EXPECT(getsid(0), 0, getsid(getpid()));
	NOTE("process group leader: %d, session leader: %d", leader, getsid(0) == getpid());
	EXPECT(-1, ESRCH, setpgid(1, 0)); /* not a child */
	EXPECT(-1, EINVAL, setpgid(0, -1));
	/* pg 0 (leader invisible) would mean "become a leader": not the no-op tried here */
	if (getsid(0) != getpid() && pg > 0) {
		EXPECT(0, 0, setpgid(0, pg)); /* already there */
		EXPECT(pg, 0, getpgrp());
	}
	if (leader) {
		EXPECT(-1, EPERM, setsid());
	}
}

#ifndef TR_OPTEE_SUBSET
static void nop(void)
{
}

/*
 * The user and group databases (the host's /etc/passwd and /etc/group, read under the
 * policy in a TA) and pthread_atfork, which a TA could not link.
 */
static void users(void)
{
	struct passwd pw, *pr = NULL;
	struct group gr, *gp = NULL;
	char buf[4096], small[8];

	pr = EXPECT_PTR(0, 0, getpwuid(0));
	if (pr) {
		NOTE("getpwuid(0): %s uid %u gid %u dir %s shell %s", pr->pw_name,
		     (unsigned)pr->pw_uid, (unsigned)pr->pw_gid, pr->pw_dir, pr->pw_shell);
	}
	pr = EXPECT_PTR(0, 0, getpwnam("root"));
	if (pr) {
		NOTE("getpwnam(root): uid %u", (unsigned)pr->pw_uid);
	}
	pr = EXPECT_PTR(0, 0, getpwuid(getuid()));
	if (pr) {
		NOTE("getpwuid(getuid()) found, uid matches: %d", pr->pw_uid == getuid());
	}
	EXPECT_PTR(1, 0, getpwnam("tzm-no-such-user"));
	EXPECT_PTR(1, 0, getpwuid(0x7ffffff0));
	EXPECT(0, 0, getpwnam_r("root", &pw, buf, sizeof(buf), &pr));
	ASSERT(pr == &pw && pw.pw_uid == 0);
	EXPECT(0, 0, getpwuid_r(0x7ffffff0, &pw, buf, sizeof(buf), &pr));
	ASSERT(pr == NULL);
	EXPECT(ERANGE, 0, getpwuid_r(0, &pw, small, sizeof(small), &pr));
	ASSERT(pr == NULL);
	gp = EXPECT_PTR(0, 0, getgrgid(0));
	if (gp) {
		NOTE("getgrgid(0): %s", gp->gr_name);
	}
	gp = EXPECT_PTR(0, 0, getgrnam("root"));
	if (gp) {
		NOTE("getgrnam(root): gid %u", (unsigned)gp->gr_gid);
	}
	EXPECT_PTR(1, 0, getgrnam("tzm-no-such-group"));
	EXPECT(0, 0, getgrgid_r(0, &gr, buf, sizeof(buf), &gp));
	ASSERT(gp == &gr && gr.gr_gid == 0);
	EXPECT(0, 0, getgrnam_r("tzm-no-such-group", &gr, buf, sizeof(buf), &gp));
	ASSERT(gp == NULL);
	EXPECT(0, 0, pthread_atfork(nop, nop, nop));
}
#endif

int main(int argc, char **argv)
{
	g_dir = tr_begin("proc", argc, argv);
	cloexec();
	tty();
	mask();
	names();
	cwd();
	children();
	groups();
#ifndef TR_OPTEE_SUBSET
	users();
#endif
	return tr_end();
}
