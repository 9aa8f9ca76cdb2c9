/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Differential test: file metadata and links. chmod/fchmod/fchmodat/lchmod (EOPNOTSUPP on
 * a symlink), chown/fchown/lchown/fchownat, utimensat/futimens/utimes/lutimes/futimes/utime
 * (UTIME_NOW/UTIME_OMIT, EINVAL), truncate (EISDIR, EINVAL), symlink/symlinkat,
 * readlink/readlinkat (truncation, EINVAL on a non-link), link/linkat (AT_SYMLINK_FOLLOW,
 * EEXIST, EPERM on a directory), realpath/canonicalize_file_name, flock (EWOULDBLOCK
 * between two open files), sendfile (offset given or not, to a pipe and to a file),
 * mkstemp/mkstemps/mkostemp/mkdtemp (EINVAL on a bad template) and tmpfile, and the
 * *at forms relative to a directory descriptor.
 */
#include "tr.h"

#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>
#include <utime.h>

static const char *g_dir;
static char g_file[512], g_link[512];

static mode_t mode_of(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 ? st.st_mode & 07777 : (mode_t)-1;
}

static void modes(void)
{
	int fd = -1, dfd = -1;

	EXPECT(TR_FD, 0, fd = open(g_file, O_CREAT | O_RDWR, 0600));
	EXPECT(0, 0, chmod(g_file, 0640));
	EXPECT(0640, 0, mode_of(g_file));
	EXPECT(0, 0, fchmod(fd, 0604));
	EXPECT(0604, 0, mode_of(g_file));
	EXPECT(0, 0, fchmodat(AT_FDCWD, g_file, 0600, 0));
	EXPECT(0600, 0, mode_of(g_file));
	EXPECT(TR_FD, 0, dfd = open(g_dir, O_RDONLY | O_DIRECTORY));
	EXPECT(0, 0, fchmodat(dfd, "meta.txt", 0644, 0));
	EXPECT(0644, 0, mode_of(g_file));
	EXPECT(0, 0, chmod("meta.txt", 04755)); /* relative to the working directory */
	EXPECT(04755, 0, mode_of(g_file));
	EXPECT(0, 0, chmod("meta.txt", 0644));
	EXPECT(0, 0, symlink("meta.txt", g_link));
	EXPECT(-1, EOPNOTSUPP, fchmodat(AT_FDCWD, g_link, 0600, AT_SYMLINK_NOFOLLOW));
	EXPECT(0, 0, fchmodat(AT_FDCWD, g_file, 0600, AT_SYMLINK_NOFOLLOW));
	EXPECT(0, 0, chmod(g_link, 0640)); /* follows the link */
	EXPECT(0640, 0, mode_of(g_file));
	EXPECT(-1, EINVAL, fchmodat(AT_FDCWD, g_file, 0600, 0x4000));
	EXPECT(-1, ENOENT, chmod("missing", 0600));
	EXPECT(-1, ENOTDIR, chmod("meta.txt/x", 0600));
	EXPECT(-1, EBADF, fchmod(-1, 0600));

	EXPECT(0, 0, chown(g_file, (uid_t)-1, (gid_t)-1));
	EXPECT(0, 0, fchown(fd, getuid(), getgid()));
	EXPECT(0, 0, lchown(g_link, (uid_t)-1, (gid_t)-1));
	EXPECT(0, 0, fchownat(dfd, "meta.txt", (uid_t)-1, (gid_t)-1, 0));
	EXPECT(0, 0, fchownat(fd, "", (uid_t)-1, (gid_t)-1, AT_EMPTY_PATH));
	EXPECT(-1, ENOENT, chown("missing", (uid_t)-1, (gid_t)-1));
	EXPECT(-1, EBADF, fchown(-1, (uid_t)-1, (gid_t)-1));
	EXPECT(0, 0, close(fd) + close(dfd));
}

static void times(void)
{
	struct timespec ts[2] = { { 1000, 500 }, { 2000, 600 } };
	struct timeval tv[2] = { { 4000, 7 }, { 5000, 8 } };
	struct utimbuf ub = { 6000, 7000 };
	struct stat st;
	int fd = -1;

	EXPECT(0, 0, utimensat(AT_FDCWD, g_file, ts, 0));
	EXPECT(0, 0, stat(g_file, &st));
	EXPECT(1000, 0, st.st_atim.tv_sec);
	EXPECT(500, 0, st.st_atim.tv_nsec);
	EXPECT(2000, 0, st.st_mtim.tv_sec);
	EXPECT(600, 0, st.st_mtim.tv_nsec);
	EXPECT(TR_FD, 0, fd = open(g_file, O_RDWR));
	ts[0].tv_sec = 3000;
	ts[0].tv_nsec = 0;
	ts[1].tv_nsec = UTIME_OMIT;
	EXPECT(0, 0, futimens(fd, ts));
	EXPECT(0, 0, fstat(fd, &st));
	EXPECT(3000, 0, st.st_atim.tv_sec);
	EXPECT(2000, 0, st.st_mtim.tv_sec);
	EXPECT(0, 0, utimes(g_file, tv));
	EXPECT(0, 0, stat(g_file, &st));
	EXPECT(4000, 0, st.st_atim.tv_sec);
	EXPECT(7000, 0, st.st_atim.tv_nsec);
	EXPECT(8000, 0, st.st_mtim.tv_nsec);
	EXPECT(0, 0, utime(g_file, &ub));
	EXPECT(0, 0, stat(g_file, &st));
	EXPECT(6000, 0, st.st_atim.tv_sec);
	EXPECT(7000, 0, st.st_mtim.tv_sec);
	tv[1].tv_sec = 9000;
	EXPECT(0, 0, lutimes(g_link, tv));
	EXPECT(0, 0, lstat(g_link, &st));
	EXPECT(9000, 0, st.st_mtim.tv_sec);
	EXPECT(0, 0, stat(g_file, &st));
	EXPECT(7000, 0, st.st_mtim.tv_sec); /* the target was left alone */
	tv[1].tv_sec = 9500;
	EXPECT(0, 0, futimes(fd, tv));
	EXPECT(0, 0, fstat(fd, &st));
	EXPECT(9500, 0, st.st_mtim.tv_sec);
	ts[0].tv_sec = 100;
	ts[0].tv_nsec = 0;
	ts[1].tv_sec = 200;
	ts[1].tv_nsec = 0;
	EXPECT(0, 0, utimensat(AT_FDCWD, "meta-link", ts, AT_SYMLINK_NOFOLLOW));
	EXPECT(0, 0, lstat(g_link, &st));
	EXPECT(200, 0, st.st_mtim.tv_sec);
	EXPECT(0, 0, utimensat(fd, "", ts, AT_EMPTY_PATH));
	EXPECT(0, 0, fstat(fd, &st));
	EXPECT(200, 0, st.st_mtim.tv_sec);
	EXPECT(0, 0, utimes(g_file, NULL));
	EXPECT(0, 0, stat(g_file, &st));
	ASSERT(st.st_mtim.tv_sec > 1600000000);
	EXPECT(0, 0, utimensat(AT_FDCWD, g_file, NULL, 0));
	ts[0].tv_nsec = 1000000000;
	EXPECT(-1, EINVAL, utimensat(AT_FDCWD, g_file, ts, 0));
	tv[0].tv_usec = 1000000;
	EXPECT(-1, EINVAL, utimes(g_file, tv));
	EXPECT(-1, ENOENT, utimensat(AT_FDCWD, "missing", NULL, 0));
	EXPECT(-1, EBADF, futimens(-1, NULL));
	EXPECT(0, 0, close(fd));
}

static void sizes(void)
{
	struct stat st;

	EXPECT(0, 0, truncate(g_file, 100));
	EXPECT(0, 0, stat(g_file, &st));
	EXPECT(100, 0, st.st_size);
	EXPECT(0, 0, truncate("meta.txt", 3));
	EXPECT(0, 0, stat(g_file, &st));
	EXPECT(3, 0, st.st_size);
	EXPECT(0, 0, truncate(g_file, 0));
	EXPECT(-1, EISDIR, truncate(g_dir, 0));
	EXPECT(-1, EINVAL, truncate(g_file, -1));
	EXPECT(-1, ENOENT, truncate("missing", 0));
}

static void links(void)
{
	char buf[64], path[512];
	struct stat a, b;
	int dfd = -1, fd = -1;

	memset(buf, 0, sizeof(buf));
	EXPECT_DATA(8, 0, buf, readlink(g_link, buf, sizeof(buf)));
	EXPECT_DATA(3, 0, buf, readlink("meta-link", buf, 3)); /* truncated, no NUL */
	EXPECT(-1, EINVAL, readlink(g_link, buf, 0));
	EXPECT(-1, EINVAL, readlink(g_file, buf, sizeof(buf)));
	EXPECT(-1, ENOENT, readlink("missing", buf, sizeof(buf)));
	EXPECT(-1, EEXIST, symlink("other", g_link));
	EXPECT(-1, ENOENT, symlink("", "empty-link"));
	EXPECT(TR_FD, 0, dfd = open(g_dir, O_RDONLY | O_DIRECTORY));
	EXPECT(0, 0, symlinkat("sub/../meta.txt", dfd, "link2"));
	EXPECT_DATA(15, 0, buf, readlinkat(dfd, "link2", buf, sizeof(buf)));
	EXPECT(0, 0, mkdir("sub", 0700));
	EXPECT(0, 0, symlink("../meta.txt", "sub/up"));
	EXPECT(0, 0, stat("sub/up", &a));
	EXPECT(0, 0, stat(g_file, &b));
	EXPECT(1, 0, a.st_ino == b.st_ino);
	EXPECT(0, 0, lstat("sub/up", &a));
	EXPECT(1, 0, S_ISLNK(a.st_mode));
	EXPECT(0, 0, symlink("dangling-target", "dangling"));
	EXPECT(-1, ENOENT, stat("dangling", &a));
	EXPECT(0, 0, lstat("dangling", &a));

	EXPECT(0, 0, link(g_file, "hard"));
	EXPECT(0, 0, stat(g_file, &a));
	EXPECT(2, 0, a.st_nlink);
	EXPECT(-1, EEXIST, link(g_file, "hard"));
	EXPECT(-1, ENOENT, link("missing", "hard2"));
	EXPECT(0, 0, linkat(AT_FDCWD, "meta-link", AT_FDCWD, "hard-link", 0));
	EXPECT(0, 0, lstat("hard-link", &a));
	EXPECT(1, 0, S_ISLNK(a.st_mode));
	EXPECT(0, 0, linkat(dfd, "meta-link", dfd, "hard-follow", AT_SYMLINK_FOLLOW));
	EXPECT(0, 0, lstat("hard-follow", &a));
	EXPECT(1, 0, S_ISREG(a.st_mode) && a.st_ino == b.st_ino);
	EXPECT(-1, EPERM, link("sub", "hard-dir"));
	EXPECT(-1, EINVAL, linkat(AT_FDCWD, g_file, AT_FDCWD, "x", 0x1));

	EXPECT_PTR(0, 0, realpath("meta-link", path));
	EXPECT(0, 0, strcmp(path, g_file));
	EXPECT_PTR(0, 0, realpath("sub/up", path));
	EXPECT(0, 0, strcmp(path, g_file));
	EXPECT_PTR(0, 0, realpath("sub/../meta.txt", path));
	EXPECT(0, 0, strcmp(path, g_file));
	{
		char *p = NULL;

		EXPECT_PTR(0, 0, p = realpath(".", NULL));
		EXPECT(0, 0, strcmp(p, g_dir));
		free(p);
		EXPECT_PTR(0, 0, p = canonicalize_file_name("link2"));
		EXPECT(0, 0, strcmp(p, g_file));
		free(p);
	}
	EXPECT_PTR(1, ENOENT, realpath("missing", path));
	EXPECT_PTR(1, ENOENT, realpath("dangling", path));
	EXPECT_PTR(1, ENOTDIR, realpath("meta.txt/x", path));

	/* O_CREAT through a dangling link creates its target; O_EXCL does not follow it */
	EXPECT(-1, EEXIST, open("dangling", O_WRONLY | O_CREAT | O_EXCL, 0600));
	EXPECT(TR_FD, 0, fd = open("dangling", O_WRONLY | O_CREAT, 0600));
	EXPECT(0, 0, close(fd));
	EXPECT(0, 0, stat("dangling-target", &a));
	EXPECT(1, 0, S_ISREG(a.st_mode));
	EXPECT(0, 0, symlink("../up-target", "sub/dangling-up"));
	EXPECT(TR_FD, 0, fd = open("sub/dangling-up", O_RDWR | O_CREAT, 0600));
	EXPECT(0, 0, close(fd));
	EXPECT(0, 0, lstat("up-target", &a));
	EXPECT(1, 0, S_ISREG(a.st_mode));
	EXPECT(0, 0, symlink("no-dir/x", "dangling-nodir"));
	EXPECT(-1, ENOENT, open("dangling-nodir", O_WRONLY | O_CREAT, 0600));
	/* "." and ".." as the final component: Linux's errno for each call */
	EXPECT(-1, EINVAL, rmdir("sub/."));
	EXPECT(-1, ENOTEMPTY, rmdir("sub/.."));
	EXPECT(-1, EISDIR, unlink("sub/."));
	EXPECT(-1, EEXIST, mkdir("sub/.", 0700));
	EXPECT(-1, EEXIST, mkdir("sub/..", 0700));
	EXPECT(-1, EBUSY, rename("sub/.", "renamed"));
	EXPECT(-1, EBUSY, rename(g_file, "sub/.."));
	EXPECT(-1, EEXIST, link(g_file, "sub/."));
	EXPECT(-1, EPERM, link("sub/.", "hard-dot"));
	EXPECT(-1, EEXIST, symlink("x", "sub/."));
	/* a trailing slash names a directory: no new link or symlink is one, unlink refuses one */
	EXPECT(-1, ENOENT, link(g_file, "new-dir/"));
	EXPECT(-1, EEXIST, link(g_file, "sub/"));
	EXPECT(-1, ENOENT, symlink("x", "new-dir/"));
	EXPECT(-1, EEXIST, symlink("x", "sub/"));
	EXPECT(-1, ENOTDIR, unlink("hard/"));
	EXPECT(-1, EISDIR, unlink("sub/"));
	EXPECT(-1, ENOENT, unlink("new-dir/"));
	EXPECT(-1, ENOENT, rmdir("missing/."));
	EXPECT(-1, ENOTDIR, mkdir("meta.txt/.", 0700));
	EXPECT(0, 0,
	       unlink("dangling-target") + unlink("sub/dangling-up") + unlink("up-target") +
		       unlink("dangling-nodir"));

	EXPECT(0, 0, unlink("hard") + unlink("hard-link") + unlink("hard-follow"));
	EXPECT(0, 0, unlink("sub/up") + unlink("dangling") + unlinkat(dfd, "link2", 0));
	EXPECT(0, 0, rmdir("sub"));
	EXPECT(0, 0, close(dfd));
}

static void locks(void)
{
	int a = -1, b = -1;

	EXPECT(TR_FD, 0, a = open(g_file, O_RDWR));
	EXPECT(TR_FD, 0, b = open(g_file, O_RDONLY));
	EXPECT(0, 0, flock(a, LOCK_EX));
	EXPECT(-1, EWOULDBLOCK, flock(b, LOCK_EX | LOCK_NB));
	EXPECT(-1, EWOULDBLOCK, flock(b, LOCK_SH | LOCK_NB));
	EXPECT(0, 0, flock(a, LOCK_UN));
	EXPECT(0, 0, flock(b, LOCK_SH | LOCK_NB));
	EXPECT(0, 0, flock(a, LOCK_SH));
	EXPECT(-1, EWOULDBLOCK, flock(a, LOCK_EX | LOCK_NB));
	EXPECT(0, 0, flock(b, LOCK_UN));
	EXPECT(0, 0, flock(a, LOCK_EX | LOCK_NB)); /* converts the shared lock */
	EXPECT(-1, EINVAL, flock(a, 0x40));
	EXPECT(-1, EBADF, flock(-1, LOCK_EX));
	EXPECT(0, 0, close(a) + close(b));
}

static void copies(void)
{
	char buf[64], path[512];
	int in = -1, out = -1, p[2] = { -1, -1 };
	off_t off = 6;

	EXPECT(TR_FD, 0, in = open(g_file, O_RDWR | O_TRUNC));
	EXPECT(11, 0, write(in, "hello world", 11));
	EXPECT(0, 0, lseek(in, 0, SEEK_SET));
	EXPECT(0, 0, pipe(p));
	EXPECT(5, 0, sendfile(p[1], in, &off, 5));
	EXPECT(11, 0, off);
	EXPECT(0, 0, lseek(in, 0, SEEK_CUR)); /* an offset given: the file position stays */
	EXPECT_DATA(5, 0, buf, read(p[0], buf, sizeof(buf)));
	EXPECT(11, 0, sendfile(p[1], in, NULL, 100));
	EXPECT(11, 0, lseek(in, 0, SEEK_CUR));
	EXPECT_DATA(11, 0, buf, read(p[0], buf, sizeof(buf)));
	EXPECT(0, 0, sendfile(p[1], in, NULL, 100)); /* at the end */
	tr_join(path, sizeof(path), g_dir, "copy.txt");
	EXPECT(TR_FD, 0, out = open(path, O_CREAT | O_RDWR, 0600));
	off = 0;
	EXPECT(11, 0, sendfile(out, in, &off, 11));
	EXPECT_DATA(11, 0, buf, pread(out, buf, sizeof(buf), 0));
	EXPECT(-1, EBADF, sendfile(-1, in, NULL, 1));
	EXPECT(-1, EBADF, sendfile(out, -1, NULL, 1));
	EXPECT(-1, EINVAL, sendfile(out, p[0], NULL, 1)); /* a pipe cannot be the source */
	EXPECT(0, 0, close(in) + close(out) + close(p[0]) + close(p[1]));
	EXPECT(0, 0, unlink(path));
}

static void temps(void)
{
	char t1[512], t2[512], t3[512], bad[512], line[32];
	struct stat st;
	FILE *f = NULL;
	int fd = -1;

	tr_join(t1, sizeof(t1), g_dir, "tmpXXXXXX");
	EXPECT(TR_FD, 0, fd = mkstemp(t1));
	EXPECT(0, 0, strstr(t1, "XXXXXX") != NULL);
	EXPECT(0, 0, fstat(fd, &st));
	EXPECT(0600, 0, st.st_mode & 0777);
	EXPECT(0, 0, close(fd) + unlink(t1));
	tr_join(t2, sizeof(t2), g_dir, "tmpXXXXXX.suf");
	EXPECT(TR_FD, 0, fd = mkstemps(t2, 4));
	EXPECT(0, 0, strcmp(t2 + strlen(t2) - 4, ".suf"));
	EXPECT(0, 0, close(fd) + unlink(t2));
	tr_join(t1, sizeof(t1), g_dir, "tmpoXXXXXX");
	EXPECT(TR_FD, 0, fd = mkostemp(t1, O_CLOEXEC));
	EXPECT(FD_CLOEXEC, 0, fcntl(fd, F_GETFD));
	EXPECT(0, 0, close(fd) + unlink(t1));
	tr_join(t3, sizeof(t3), g_dir, "dirXXXXXX");
	EXPECT_PTR(0, 0, mkdtemp(t3));
	EXPECT(0, 0, stat(t3, &st));
	EXPECT(1, 0, S_ISDIR(st.st_mode) && (st.st_mode & 0777) == 0700);
	EXPECT(0, 0, rmdir(t3));
	tr_join(bad, sizeof(bad), g_dir, "tmpXXXX");
	EXPECT(-1, EINVAL, mkstemp(bad));
	EXPECT_PTR(1, EINVAL, mkdtemp(bad));
	EXPECT_PTR(0, 0, f = tmpfile());
	EXPECT(1, 0, fputs("scratch\n", f) >= 0);
	rewind(f);
	EXPECT_PTR(0, 0, fgets(line, sizeof(line), f));
	EXPECT(0, 0, strcmp(line, "scratch\n"));
	EXPECT(0, 0, fclose(f));
}

int main(int argc, char **argv)
{
	g_dir = tr_begin("fsmeta", argc, argv);
	umask(022);
	tr_join(g_file, sizeof(g_file), g_dir, "meta.txt");
	tr_join(g_link, sizeof(g_link), g_dir, "meta-link");
	modes();
	times();
	sizes();
	links();
	locks();
	copies();
	temps();
	EXPECT(0, 0, unlink(g_link) + unlink(g_file));
	return tr_end();
}
