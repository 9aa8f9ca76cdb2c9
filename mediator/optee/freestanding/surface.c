/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Part of the freestanding check (check.sh): a TA program's use of the calls the OP-TEE
 * build gained from ta/fsmeta.c, ta/diag.c, ta/mq.c and ta/proc.c, and of the stdio
 * calls added with them (fseek, ftell, rewind). It must compile against
 * mediator/optee/include alone (the headers declare them, with Linux aarch64 constants)
 * and link with libtzm (each call is defined). Never run: the link is the check.
 */
#include <dirent.h>
#include <err.h>
#include <error.h>
#include <fcntl.h>
#include <mqueue.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/eventfd.h>
#include <sys/file.h>
#include <sys/select.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/timerfd.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <threads.h>
#include <unistd.h>
#include <utime.h>

int tzm_check_surface(int argc, char **argv);

int tzm_check_surface(int argc, char **argv)
{
	struct timespec ts[2] = { { 0, UTIME_NOW }, { 0, UTIME_OMIT } };
	struct timeval tv[2] = { { 0, 0 }, { 0, 0 } };
	struct utimbuf ub = { 0, 0 };
	struct itimerspec its = { { 0, 0 }, { 1, 0 } };
	struct mq_attr attr = { 0, 4, 64, 0, { 0, 0, 0, 0 } };
	struct pollfd pfd = { 0, POLLIN, 0 };
	struct dirent **names = NULL;
	struct utsname uts;
	char tmpl[] = "/tmp/tzmXXXXXX", dtmpl[] = "/tmp/tzmdXXXXXX", buf[64];
	const char *p = argc > 1 ? argv[1] : "/tmp/x";
	off_t off = 0;
	eventfd_t ev = 0;
	sigset_t mask;
	FILE *f = tmpfile();
	int fd = mkstemp(tmpl), n = 0;
	mqd_t q = mq_open("/tzm", O_CREAT | O_RDWR, 0600, &attr);

	sigemptyset(&mask);
	n += uname(&uts);
	n += chmod(p, 0600) + fchmod(fd, 0600) + fchmodat(AT_FDCWD, p, 0600, 0) + lchmod(p, 0600);
	n += chown(p, 0, 0) + fchown(fd, 0, 0) + lchown(p, 0, 0) +
	     fchownat(AT_FDCWD, p, 0, 0, AT_SYMLINK_NOFOLLOW);
	n += utimensat(AT_FDCWD, p, ts, 0) + futimens(fd, ts) + utimes(p, tv) + lutimes(p, tv) +
	     futimes(fd, tv) + utime(p, &ub);
	n += truncate(p, 0) + symlink(p, "/tmp/l") + symlinkat(p, AT_FDCWD, "/tmp/m");
	n += (int)readlink("/tmp/l", buf, sizeof(buf)) +
	     (int)readlinkat(AT_FDCWD, "/tmp/l", buf, sizeof(buf));
	n += link(p, "/tmp/h") + linkat(AT_FDCWD, p, AT_FDCWD, "/tmp/i", 0) + flock(fd, LOCK_EX);
	n += (int)sendfile(fd, fd, &off, 1);
	n += eventfd_read(eventfd(0, EFD_CLOEXEC), &ev) + eventfd_write(fd, 1);
	n += timerfd_settime(timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC), 0, &its, NULL) +
	     timerfd_gettime(fd, &its);
	n += ppoll(&pfd, 1, ts, &mask) + pselect(0, NULL, NULL, NULL, ts, &mask);
	n += scandir("/tmp", &names, NULL, NULL) + (int)syscall(0);
	n += mq_send(q, "x", 1, 0) + (int)mq_receive(q, buf, sizeof(buf), NULL) +
	     mq_getattr(q, &attr) + mq_close(q) + mq_unlink("/tzm");
	n += isatty(0) + (int)umask(022) + gethostname(buf, sizeof(buf)) +
	     getdomainname(buf, sizeof(buf)) + chdir("/tmp") + fchdir(fd);
	n += (int)wait(NULL) + (int)waitpid(-1, NULL, WNOHANG) + (int)wait3(NULL, 0, NULL) +
	     (int)wait4(-1, NULL, 0, NULL) + waitid(P_ALL, 0, NULL, WEXITED);
	n += (int)getpgrp() + (int)getpgid(0) + (int)getsid(0) + (int)setsid() + setpgid(0, 0) +
	     setpgrp();
	n += pthread_create(NULL, NULL, NULL, NULL) + thrd_create(NULL, NULL, NULL);
	n += fseek(f, 0, SEEK_END) + (int)ftell(f) + (in6addr_loopback.s6_addr[15] == 1);
	rewind(f);
	free(getcwd(NULL, 0));
	free(get_current_dir_name());
	free(realpath(p, NULL));
	free(canonicalize_file_name(p));
	if (!mkdtemp(dtmpl) || !f) {
		warn("%s", dtmpl);
		warnx("%d", n);
		error(0, 0, "%s", p);
		error_at_line(0, 0, __FILE__, __LINE__, "%s", p);
		err(1, "%s", p);
	}
	if (n < -1000) {
		errx(2, "%d", n);
	}
	return n;
}
