/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Differential test, fortify family: glibc's _FORTIFY_SOURCE entry points, called the way
 * a library built with _FORTIFY_SOURCE=2 calls them (Debian's libtcl8.6.a does), must act
 * as the plain calls: __printf_chk (its output went to the TA host's /dev/null),
 * __dprintf_chk, __read_chk, __pread64_chk, __recv_chk, __recvfrom_chk, __readlink_chk,
 * __readlinkat_chk, __getcwd_chk, __realpath_chk (its readlink was refused by the
 * sandbox), __gethostname_chk, __poll_chk, __openat_2. They are declared here and called
 * directly, so the test does not depend on the build's optimisation level.
 */
#include "tr.h"

#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

ssize_t __read_chk(int fd, void *buf, size_t n, size_t buflen);
ssize_t __pread64_chk(int fd, void *buf, size_t n, off_t off, size_t buflen);
ssize_t __recv_chk(int fd, void *buf, size_t n, size_t buflen, int flags);
ssize_t __recvfrom_chk(int fd, void *buf, size_t n, size_t buflen, int flags, struct sockaddr *addr,
		       socklen_t *addrlen);
ssize_t __readlink_chk(const char *path, char *buf, size_t n, size_t buflen);
ssize_t __readlinkat_chk(int dirfd, const char *path, char *buf, size_t n, size_t buflen);
char *__getcwd_chk(char *buf, size_t size, size_t buflen);
char *__realpath_chk(const char *path, char *resolved, size_t resolvedlen);
int __gethostname_chk(char *buf, size_t len, size_t buflen);
int __poll_chk(struct pollfd *fds, nfds_t nfds, int timeout, size_t fdslen);
int __printf_chk(int flag, const char *fmt, ...);
int __dprintf_chk(int fd, int flag, const char *fmt, ...);
int __openat_2(int dirfd, const char *path, int flags);

static const char *g_dir;

static void files(void)
{
	char path[PATH_MAX], link[PATH_MAX], buf[PATH_MAX], real[PATH_MAX];
	int fd = -1;

	tr_join(path, sizeof(path), g_dir, "data.txt");
	tr_join(link, sizeof(link), g_dir, "link");
	fd = (int)EXPECT(TR_FD, 0, open(path, O_CREAT | O_RDWR | O_TRUNC, 0644));
	EXPECT(15, 0, __dprintf_chk(fd, 1, "dprintf_chk %d\n", 42));
	EXPECT(0, 0, lseek(fd, 0, SEEK_SET));
	EXPECT_DATA(8, 0, buf, __read_chk(fd, buf, 8, sizeof(buf)));
	EXPECT_DATA(5, 0, buf, __pread64_chk(fd, buf, 5, 3, sizeof(buf)));
	EXPECT(0, 0, close(fd));
	fd = (int)EXPECT(TR_FD, 0, __openat_2(AT_FDCWD, path, O_RDONLY));
	EXPECT_DATA(15, 0, buf, __read_chk(fd, buf, sizeof(buf), sizeof(buf)));
	EXPECT(0, 0, close(fd));
	EXPECT(-1, ENOENT, __openat_2(AT_FDCWD, "no-such-file", O_RDONLY));

	EXPECT(0, 0, symlink("data.txt", link));
	EXPECT_DATA(8, 0, buf, __readlink_chk(link, buf, sizeof(buf), sizeof(buf)));
	EXPECT_DATA(4, 0, buf, __readlink_chk(link, buf, 4, sizeof(buf)));
	EXPECT_DATA(8, 0, buf, __readlinkat_chk(AT_FDCWD, "link", buf, sizeof(buf), sizeof(buf)));
	EXPECT(-1, EINVAL, __readlink_chk(path, buf, sizeof(buf), sizeof(buf)));
	EXPECT_PTR(0, 0, __realpath_chk(link, real, sizeof(real)));
	ASSERT(strcmp(real, path) == 0);
	EXPECT_PTR(1, ENOENT, __realpath_chk("no-such-file", real, sizeof(real)));
	EXPECT_PTR(0, 0, __getcwd_chk(buf, sizeof(buf), sizeof(buf)));
	ASSERT(strcmp(buf, g_dir) == 0);
	EXPECT_PTR(1, ERANGE, __getcwd_chk(buf, 1, sizeof(buf)));
	EXPECT(0, 0, unlink(link));
	EXPECT(0, 0, unlink(path));
}

static void streams(void)
{
	struct pollfd pfd = { .events = POLLIN };
	char buf[64], host[256], plain[256];
	int sv[2] = { -1, -1 };

	EXPECT(0, 0, socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
	pfd.fd = sv[1];
	EXPECT(0, 0, __poll_chk(&pfd, 1, 0, sizeof(pfd)));
	EXPECT(5, 0, send(sv[0], "hello", 5, 0));
	EXPECT(1, 0, __poll_chk(&pfd, 1, 1000, sizeof(pfd)));
	EXPECT_DATA(3, 0, buf, __recv_chk(sv[1], buf, 3, sizeof(buf), 0));
	EXPECT_DATA(2, 0, buf, __recvfrom_chk(sv[1], buf, sizeof(buf), sizeof(buf), 0, NULL, NULL));
	EXPECT(-1, EAGAIN, __recv_chk(sv[1], buf, sizeof(buf), sizeof(buf), MSG_DONTWAIT));
	EXPECT(0, 0, close(sv[0]));
	EXPECT(0, 0, close(sv[1]));

	EXPECT(0, 0, gethostname(plain, sizeof(plain)));
	EXPECT(0, 0, __gethostname_chk(host, sizeof(host), sizeof(host)));
	ASSERT(strcmp(host, plain) == 0);
}

int main(int argc, char **argv)
{
	g_dir = tr_begin("fortify", argc, argv);
	files();
	streams();
	fflush(stdout);
	EXPECT(21, 0, __printf_chk(1, "printf_chk %d %s done\n", 7, "is"));
	return tr_end();
}
