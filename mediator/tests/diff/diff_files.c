/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Differential test: files and directories. open/openat/read/write/readv/writev/pread/
 * pwrite/lseek/fstat/stat/lstat/ftruncate/fsync/unlink/rename/mkdir/rmdir and
 * opendir/readdir/closedir, with the usual errno cases (ENOENT, EEXIST, ENOTDIR, EISDIR,
 * EBADF, ENOTEMPTY, ESPIPE). Everything lives under the scratch directory argv[1].
 * Times, inode numbers and devices are not printed: they differ between runs.
 */
#include "tr.h"

#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#define BIG 300000 /* spans several forwarding chunks */

static unsigned char big[BIG];
static unsigned char big_back[BIG];

static void print_stat(const char *what, const struct stat *st)
{
	NOTE("%s: type %s mode %04o size %lld nlink %lu", what,
	     S_ISREG(st->st_mode)    ? "reg"
	     : S_ISDIR(st->st_mode)  ? "dir"
	     : S_ISLNK(st->st_mode)  ? "lnk"
	     : S_ISFIFO(st->st_mode) ? "fifo"
				     : "other",
	     (unsigned)(st->st_mode & 07777), (long long)st->st_size, (unsigned long)st->st_nlink);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* readdir order is file-system specific: collect, sort, print. */
static void list_dir(const char *path)
{
	char *names[32];
	size_t n = 0;
	DIR *d = EXPECT_PTR(0, 0, opendir(path));
	struct dirent *e = NULL;

	if (d == NULL) {
		return;
	}
	while ((e = readdir(d)) != NULL && n < 32) {
		names[n++] = strdup(e->d_name);
	}
	qsort(names, n, sizeof(names[0]), cmp_str);
	for (size_t i = 0; i < n; i++) {
		NOTE("entry %s", names[i]);
		free(names[i]);
	}
	EXPECT(0, 0, closedir(d));
}

int main(int argc, char **argv)
{
	const char *dir = tr_begin("files", argc, argv);
	char sub[PATH_MAX], file[PATH_MAX], moved[PATH_MAX];
	char missing[PATH_MAX], under_file[PATH_MAX], rel[PATH_MAX];
	char buf[64] = "";
	char a[4] = "", b[6] = "";
	struct iovec wv[3] = { { "one-", 4 }, { "two-", 4 }, { "three", 5 } };
	struct iovec rv[2] = { { a, sizeof(a) }, { b, sizeof(b) } };
	struct stat st;
	int fd = -1, dfd = -1, fd2 = -1;

	tr_join(sub, sizeof(sub), dir, "sub");
	tr_join(file, sizeof(file), dir, "sub/data.txt");
	tr_join(moved, sizeof(moved), dir, "sub/moved.txt");
	tr_join(missing, sizeof(missing), dir, "missing/x");
	tr_join(rel, sizeof(rel), dir, "sub/rel.txt");
	tr_join(under_file, sizeof(under_file), dir, "sub/data.txt/x");
	memset(&st, 0, sizeof(st));

	EXPECT(0, 0, mkdir(sub, 0755));
	EXPECT(-1, EEXIST, mkdir(sub, 0755));
	EXPECT(-1, ENOENT, mkdir(missing, 0755));
	EXPECT(-1, ENOENT, open(missing, O_RDONLY));
	fd = EXPECT(TR_FD, 0, open(file, O_RDWR | O_CREAT | O_EXCL, 0640));
	EXPECT(-1, EEXIST, open(file, O_RDWR | O_CREAT | O_EXCL, 0640));
	EXPECT(-1, ENOTDIR, open(under_file, O_RDONLY));
	EXPECT(-1, EISDIR, open(sub, O_WRONLY));

	EXPECT(11, 0, write(fd, "hello world", 11));
	EXPECT(0, 0, lseek(fd, 0, SEEK_SET));
	EXPECT_DATA(5, 0, buf, read(fd, buf, 5));
	EXPECT(5, 0, lseek(fd, 0, SEEK_CUR));
	EXPECT(11, 0, lseek(fd, 0, SEEK_END));
	EXPECT(0, 0, read(fd, buf, sizeof(buf)));
	EXPECT(-1, EINVAL, lseek(fd, -100, SEEK_SET));
	EXPECT(5, 0, pwrite(fd, "WORLD", 5, 6));
	EXPECT(11, 0, lseek(fd, 0, SEEK_CUR)); /* pwrite leaves the offset alone */
	EXPECT_DATA(11, 0, buf, pread(fd, buf, sizeof(buf), 0));
	EXPECT(13, 0, writev(fd, wv, 3));
	EXPECT(4, 0, lseek(fd, 4, SEEK_SET));
	EXPECT(10, 0, readv(fd, rv, 2));
	EXPECT_DATA(4, 0, a, 4L);
	EXPECT_DATA(6, 0, b, 6L);
	EXPECT(0, 0, fstat(fd, &st));
	print_stat("fstat", &st);
	EXPECT(0, 0, fsync(fd));
	EXPECT(0, 0, ftruncate(fd, 5));
	EXPECT(0, 0, fstat(fd, &st));
	print_stat("after ftruncate 5", &st);
	EXPECT(0, 0, ftruncate(fd, 100));
	EXPECT_DATA(8, 0, buf, pread(fd, buf, 8, 0));
	EXPECT(-1, EINVAL, ftruncate(fd, -1));

	/* Large transfers: one call each way, bigger than any forwarding chunk. */
	tr_pattern(big, sizeof(big), 42);
	EXPECT(0, 0, lseek(fd, 0, SEEK_SET));
	EXPECT_DATA(BIG, 0, big, write(fd, big, sizeof(big)));
	EXPECT_DATA(BIG, 0, big_back, pread(fd, big_back, sizeof(big_back), 0));
	ASSERT(memcmp(big, big_back, BIG) == 0);
	/* split reads (linked chunks in flight): offsets advance, end of file mid-chunk */
	memset(big_back, 0, sizeof(big_back));
	EXPECT(100000, 0, lseek(fd, 100000, SEEK_SET));
	EXPECT_DATA(150000, 0, big_back, read(fd, big_back, 150000));
	EXPECT_DATA(50000, 0, big_back + 150000, read(fd, big_back + 150000, BIG - 150000));
	ASSERT(memcmp(big + 100000, big_back, 200000) == 0);
	EXPECT(0, 0, read(fd, big_back, BIG));
	EXPECT(BIG, 0, lseek(fd, 0, SEEK_CUR));
	EXPECT_DATA(BIG - 7, 0, big_back, pread(fd, big_back, BIG, 7));
	ASSERT(memcmp(big + 7, big_back, BIG - 7) == 0);
	EXPECT(BIG, 0, lseek(fd, 0, SEEK_CUR)); /* pread leaves the offset alone */
	EXPECT(0, 0, close(fd));
	EXPECT(-1, EBADF, close(fd));
	EXPECT(-1, EBADF, write(fd, "x", 1));
	EXPECT(-1, EBADF, fstat(fd, &st));

	/* Read-only descriptor refuses writes. */
	fd = EXPECT(TR_FD, 0, open(file, O_RDONLY));
	EXPECT(-1, EBADF, write(fd, "x", 1));
	EXPECT_DATA(4, 0, buf, read(fd, buf, 4));
	EXPECT(0, 0, close(fd));

	/*
	 * openat: the mediator forwards AT_FDCWD only (a TA dirfd is ENOSYS there), so the
	 * directory descriptor is exercised with fstat and the paths are absolute.
	 */
	dfd = EXPECT(TR_FD, 0, open(sub, O_RDONLY | O_DIRECTORY));
	EXPECT(0, 0, fstat(dfd, &st));
	print_stat("fstat dir", &st);
	fd2 = EXPECT(TR_FD, 0, openat(AT_FDCWD, rel, O_WRONLY | O_CREAT | O_TRUNC, 0600));
	EXPECT(3, 0, write(fd2, "rel", 3));
	EXPECT(0, 0, close(fd2));
	EXPECT(-1, ENOENT, openat(AT_FDCWD, missing, O_RDONLY));
	EXPECT(-1, ENOTDIR, open(file, O_RDONLY | O_DIRECTORY));

	/* stat and lstat (symlinks are not in the forwarded call set). */
	EXPECT(0, 0, stat(file, &st));
	print_stat("stat", &st);
	EXPECT(-1, ENOENT, stat(missing, &st));
	EXPECT(-1, ENOTDIR, stat(under_file, &st));
	EXPECT(0, 0, lstat(sub, &st));
	print_stat("lstat dir", &st);

	/* rename, unlink, rmdir. */
	EXPECT(0, 0, rename(file, moved));
	EXPECT(-1, ENOENT, rename(file, moved));
	EXPECT(-1, ENOENT, stat(file, &st));
	list_dir(sub);
	EXPECT(-1, ENOTEMPTY, rmdir(sub));
	EXPECT(-1, EISDIR, unlink(sub));
	EXPECT(-1, ENOTDIR, rmdir(moved));
	EXPECT(0, 0, unlink(moved));
	EXPECT(-1, ENOENT, unlink(moved));
	EXPECT(0, 0, unlink(rel));
	EXPECT(0, 0, close(dfd));
	list_dir(sub);
	EXPECT_PTR(1, ENOENT, opendir(missing));
	EXPECT(0, 0, rmdir(sub));
	EXPECT(-1, ENOENT, rmdir(sub));
	return tr_end();
}
