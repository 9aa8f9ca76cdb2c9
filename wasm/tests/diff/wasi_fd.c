/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * WASI differential test: calls on descriptors. open (access modes, O_CREAT/O_EXCL/
 * O_TRUNC/O_APPEND/O_DIRECTORY/O_NOFOLLOW), read/write/readv/writev, pread/pwrite, lseek,
 * fstat, ftruncate, fsync/fdatasync, fcntl flags, isatty, close, and stdin (a pipe from the
 * runner), descriptors of directories (and, by raw WASI calls, their rights), with their
 * errors (ENOENT, EEXIST, ENOTDIR, EISDIR, EBADF, EINVAL, ESPIPE, ELOOP, ENOTTY). Built
 * natively and as a Wasm TA (wasi_fd.wasm through tzm wasm build): the two transcripts
 * must be identical. Everything lives under the scratch directory argv[1].
 */
#include "wasi_diff.h"

#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#define BIG 200000 /* more than one forwarding chunk */

static unsigned char big[BIG];
static unsigned char big_back[BIG];

static const char *type_of(mode_t m)
{
	return S_ISREG(m) ? "reg" : S_ISDIR(m) ? "dir" : S_ISLNK(m) ? "lnk" : "other";
}

static void note_stat(int fd)
{
	struct stat st;

	if (EXPECT(0, 0, fstat(fd, &st)) == 0) {
		/* a directory's size is the file system's business */
		NOTE("fstat: %s size %lld nlink %lu", type_of(st.st_mode),
		     S_ISDIR(st.st_mode) ? -1LL : (long long)st.st_size,
		     (unsigned long)st.st_nlink);
	}
}

/*
 * What only raw WASI calls show (wasi-libc hides rights): a directory, opened or
 * preopened (fd 3), reports a directory's rights (fd_readdir, but no seek, tell, read,
 * write or truncation), a directory asked for with read and write rights is EISDIR even
 * with O_DIRECTORY, dropping rights is ENOTSUP (this host does not enforce rights, so it
 * cannot honour a drop), and fd_allocate on a directory is EBADF. Linux has no rights:
 * natively nothing to check. Returns the number of failed checks, each named on stderr.
 */
static long raw_wasi_dir_checks(int dfd)
{
	long bad = 0;
#ifdef __wasi__
	const __wasi_rights_t data = __WASI_RIGHTS_FD_SEEK | __WASI_RIGHTS_FD_TELL |
				     __WASI_RIGHTS_FD_READ | __WASI_RIGHTS_FD_WRITE |
				     __WASI_RIGHTS_FD_FILESTAT_SET_SIZE |
				     __WASI_RIGHTS_PATH_FILESTAT_SET_SIZE;
	const int dirs[2] = { dfd, 3 };
	__wasi_prestat_t pre;
	__wasi_fdstat_t st;
	__wasi_fd_t opened = 0;

	if (__wasi_fd_prestat_get(3, &pre) != 0) {
		fprintf(stderr, "raw: fd 3 is not a preopen\n");
		bad++;
	}
	for (int i = 0; i < 2; i++) {
		if (__wasi_fd_fdstat_get(dirs[i], &st) != 0 || (st.fs_rights_base & data) != 0 ||
		    !(st.fs_rights_base & __WASI_RIGHTS_FD_READDIR)) {
			fprintf(stderr, "raw: the rights of directory fd %d\n", dirs[i]);
			bad++;
		}
		if (__wasi_fd_fdstat_set_rights(dirs[i], st.fs_rights_base,
						st.fs_rights_inheriting) != __WASI_ERRNO_NOTSUP) {
			fprintf(stderr, "raw: fd_fdstat_set_rights on fd %d\n", dirs[i]);
			bad++;
		}
		if (__wasi_fd_allocate(dirs[i], 0, 1) != __WASI_ERRNO_BADF) {
			fprintf(stderr, "raw: fd_allocate on directory fd %d\n", dirs[i]);
			bad++;
		}
		if (__wasi_path_open(dirs[i], 0, ".", __WASI_OFLAGS_DIRECTORY,
				     __WASI_RIGHTS_FD_READ | __WASI_RIGHTS_FD_WRITE, 0, 0,
				     &opened) != __WASI_ERRNO_ISDIR) {
			fprintf(stderr, "raw: path_open(O_DIRECTORY, read|write) on fd %d\n",
				dirs[i]);
			bad++;
		}
		/* what a raw caller does: reopen a directory with the rights it reports */
		if (__wasi_path_open(dirs[i], 0, ".", __WASI_OFLAGS_DIRECTORY, st.fs_rights_base,
				     st.fs_rights_inheriting, 0, &opened) != 0 ||
		    __wasi_fd_close(opened) != 0) {
			fprintf(stderr, "raw: reopening directory fd %d\n", dirs[i]);
			bad++;
		}
	}
#else
	(void)dfd;
#endif
	return bad;
}

static void note_access_mode(int fd)
{
	int fl = (int)EXPECT(TR_OK, 0, fcntl(fd, F_GETFL));
	int acc = fl & O_ACCMODE;

	NOTE("F_GETFL: %s%s%s%s%s",
	     acc == O_RDONLY   ? "O_RDONLY"
	     : acc == O_WRONLY ? "O_WRONLY"
			       : "O_RDWR",
	     fl & O_APPEND ? "|O_APPEND" : "", fl & O_NONBLOCK ? "|O_NONBLOCK" : "",
	     (fl & O_SYNC) == O_SYNC ? "|O_SYNC" : "", fl & O_DSYNC ? "|O_DSYNC" : "");
}

int main(int argc, char **argv)
{
	const char *dir = tr_begin("wasi_fd", argc, argv);
	char file[PATH_MAX], other[PATH_MAX], sub[PATH_MAX], link[PATH_MAX], path[PATH_MAX];
	char buf[64] = "";
	char ab[10] = ""; /* one buffer read into as two vectors */
	struct iovec wv[3] = { { "one-", 4 }, { "two-", 4 }, { "three", 5 } };
	struct iovec rv[2] = { { ab, 4 }, { ab + 4, 6 } };
	int fd = -1, ro = -1, wo = -1, dfd = -1;

	tr_join(file, sizeof(file), dir, "data.txt");
	tr_join(other, sizeof(other), dir, "other.txt");
	tr_join(sub, sizeof(sub), dir, "sub");
	tr_join(link, sizeof(link), dir, "link");

	/* open: creation and its errors */
	EXPECT(-1, ENOENT, open(file, O_RDONLY));
	fd = (int)EXPECT(TR_FD, 0, open(file, O_RDWR | O_CREAT | O_EXCL, 0644));
	EXPECT(-1, EEXIST, open(file, O_RDWR | O_CREAT | O_EXCL, 0644));
	tr_join(path, sizeof(path), dir, "missing/x");
	EXPECT(-1, ENOENT, open(path, O_RDWR | O_CREAT, 0644));
	tr_join(path, sizeof(path), dir, "data.txt/x");
	EXPECT(-1, ENOTDIR, open(path, O_RDONLY));
	EXPECT(-1, ENOTDIR, open(file, O_RDONLY | O_DIRECTORY));
	EXPECT(0, 0, mkdir(sub, 0755));
	EXPECT(-1, EISDIR, open(sub, O_WRONLY));
	EXPECT(-1, EISDIR, open(sub, O_RDWR));
	EXPECT(-1, EISDIR, open(sub, O_RDWR | O_DIRECTORY));
	EXPECT(-1, EISDIR, open(sub, O_WRONLY | O_DIRECTORY));
	dfd = (int)EXPECT(TR_FD, 0, open(sub, O_RDONLY | O_DIRECTORY));
	EXPECT(0, 0, symlink("data.txt", link));
	EXPECT(-1, ELOOP, open(link, O_RDONLY | O_NOFOLLOW));

	/* write, read, positions */
	EXPECT(5, 0, write(fd, "hello", 5));
	EXPECT(13, 0, writev(fd, wv, 3));
	EXPECT(18, 0, lseek(fd, 0, SEEK_CUR));
	EXPECT(0, 0, lseek(fd, 0, SEEK_SET));
	EXPECT_DATA(5, 0, buf, read(fd, buf, 5));
	EXPECT_DATA(10, 0, ab, readv(fd, rv, 2));
	EXPECT_DATA(3, 0, buf, read(fd, buf, sizeof(buf)));
	EXPECT(0, 0, read(fd, buf, sizeof(buf)));
	EXPECT(18, 0, lseek(fd, 0, SEEK_END));
	EXPECT(14, 0, lseek(fd, -4, SEEK_END));
	EXPECT(16, 0, lseek(fd, 2, SEEK_CUR));
	EXPECT(-1, EINVAL, lseek(fd, -100, SEEK_SET));
	EXPECT(-1, EINVAL, lseek(fd, -100, SEEK_CUR));
	EXPECT(-1, EINVAL, lseek(fd, 0, 42));
	EXPECT(16, 0, lseek(fd, 0, SEEK_CUR));
	EXPECT(100, 0, lseek(fd, 100, SEEK_SET)); /* beyond the end: a hole when written */
	EXPECT(1, 0, write(fd, "!", 1));
	note_stat(fd);
	EXPECT_DATA(4, 0, buf, pread(fd, buf, 4, 5));
	EXPECT_DATA(2, 0, buf, pread(fd, buf, 2, 99)); /* a hole reads as zeros */
	EXPECT(0, 0, pread(fd, buf, 4, 1000));
	EXPECT(3, 0, pwrite(fd, "XYZ", 3, 1));
	EXPECT(101, 0, lseek(fd, 0, SEEK_CUR)); /* pread/pwrite do not move the offset */
	EXPECT(-1, EINVAL, pread(fd, buf, 4, -1));
	EXPECT(-1, EINVAL, pwrite(fd, "x", 1, -1));
	EXPECT_DATA(6, 0, buf, pread(fd, buf, 6, 0));

	/* a large transfer */
	tr_pattern(big, sizeof(big), 7);
	EXPECT(BIG, 0, pwrite(fd, big, BIG, 0));
	EXPECT_DATA(BIG, 0, big_back, pread(fd, big_back, BIG, 0));
	ASSERT(memcmp(big, big_back, BIG) == 0);

	/* truncate, sync */
	EXPECT(0, 0, ftruncate(fd, 10));
	note_stat(fd);
	EXPECT(0, 0, ftruncate(fd, 4096));
	note_stat(fd);
	EXPECT(-1, EINVAL, ftruncate(fd, -1));
	EXPECT(0, 0, fsync(fd));
	EXPECT(0, 0, fdatasync(fd));

	/* access modes: what the descriptor permits, and what fcntl reports */
	note_access_mode(fd);
	ro = (int)EXPECT(TR_FD, 0, open(file, O_RDONLY));
	wo = (int)EXPECT(TR_FD, 0, open(file, O_WRONLY));
	note_access_mode(ro);
	note_access_mode(wo);
	EXPECT(-1, EBADF, write(ro, "x", 1));
	EXPECT(-1, EBADF, pwrite(ro, "x", 1, 0));
	EXPECT(-1, EBADF, read(wo, buf, 1));
	EXPECT(-1, EBADF, pread(wo, buf, 1, 0));
	EXPECT(-1, EINVAL, ftruncate(ro, 0));
	EXPECT(0, 0, close(wo));

	/* O_APPEND: at open and through fcntl; O_NONBLOCK through fcntl */
	wo = (int)EXPECT(TR_FD, 0, open(file, O_WRONLY | O_APPEND));
	note_access_mode(wo);
	EXPECT(0, 0, lseek(wo, 0, SEEK_SET));
	EXPECT(2, 0, write(wo, "ap", 2));
	EXPECT(4098, 0, lseek(wo, 0, SEEK_CUR));
	EXPECT(0, 0, fcntl(wo, F_SETFL, 0));
	note_access_mode(wo);
	EXPECT(0, 0, lseek(wo, 0, SEEK_SET));
	EXPECT(2, 0, write(wo, "AP", 2));
	EXPECT(2, 0, lseek(wo, 0, SEEK_CUR));
	EXPECT(0, 0, fcntl(wo, F_SETFL, O_APPEND | O_NONBLOCK));
	note_access_mode(wo);
	EXPECT(0, 0, close(wo));
	EXPECT_DATA(4, 0, buf, pread(ro, buf, 4, 0));
	EXPECT(0, 0, close(ro));

	/* O_SYNC and O_DSYNC, as opened */
	wo = (int)EXPECT(TR_FD, 0, open(file, O_WRONLY | O_SYNC));
	note_access_mode(wo);
	EXPECT(0, 0, close(wo));
	wo = (int)EXPECT(TR_FD, 0, open(file, O_WRONLY | O_DSYNC));
	note_access_mode(wo);
	EXPECT(0, 0, close(wo));

	/* O_TRUNC */
	ro = (int)EXPECT(TR_FD, 0, open(file, O_WRONLY | O_TRUNC));
	note_stat(ro);
	EXPECT(0, 0, close(ro));

	/* descriptors of directories */
	note_stat(dfd);
	EXPECT(-1, EISDIR, read(dfd, buf, 1));
	EXPECT(-1, EISDIR, pread(dfd, buf, 1, 0));
	EXPECT(-1, EBADF, write(dfd, "x", 1));
	EXPECT(-1, EINVAL, ftruncate(dfd, 0));
	EXPECT(0, 0, fsync(dfd));
	note_access_mode(dfd);
	EXPECT_WASI_DIFFERS("a directory has no seek right in WASI: EBADF (Linux seeks readdir)", 0,
			    0, -1, EBADF, lseek(dfd, 0, SEEK_CUR));
	EXPECT(0, 0, raw_wasi_dir_checks(dfd));
	EXPECT(0, 0, close(dfd));

	/* closed and invalid descriptors */
	EXPECT(0, 0, isatty(fd));
	EXPECT(0, 0, close(fd));
	EXPECT(-1, EBADF, close(fd));
	EXPECT(-1, EBADF, read(fd, buf, 1));
	EXPECT(-1, EBADF, write(fd, "x", 1));
	EXPECT(-1, EBADF, lseek(fd, 0, SEEK_SET));
	EXPECT(-1, EBADF, fsync(fd));
	EXPECT(-1, EBADF, ftruncate(fd, 0));
	EXPECT(-1, EBADF, fcntl(fd, F_GETFL));
	EXPECT(-1, EBADF, pread(fd, buf, 1, 0));
	EXPECT(-1, EBADF, read(-1, buf, 1));
	EXPECT(-1, EBADF, write(1000, "x", 1));

	/* stdin: a pipe from the runner */
	EXPECT(-1, ESPIPE, lseek(0, 0, SEEK_CUR));
	EXPECT(-1, ESPIPE, pread(0, buf, 1, 0));
	EXPECT_DATA(11, 0, buf, read(0, buf, sizeof(buf)));
	EXPECT(0, 0, read(0, buf, sizeof(buf)));
	EXPECT(0, 0, isatty(0));

	EXPECT(0, 0, unlink(link));
	EXPECT(0, 0, rmdir(sub));
	EXPECT(0, 0, unlink(file));
	(void)other;
	return tr_end();
}
