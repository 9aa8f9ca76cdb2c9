/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Files and directories forwarded to the shadow: open/openat/creat, stat family, unlink,
 * rename, mkdir, rmdir, mkfifo, access, and the dirent stream (opendir/readdir/closedir).
 * Paths are resolved by the shadow under its policy; relative paths are relative to the
 * shadow's working directory, or to a directory fd (the shadow re-resolves dir + name under
 * the policy).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tzm_int.h"

int tzm__begin_path(struct tzm__call *c, uint32_t op, const char *path)
{
	size_t len = 0;

	tzm__begin(c, op);
	if (tzm__put_path(c, 0, path, &len) != 0) {
		return -1;
	}
	c->req.data_len = (uint32_t)len;
	return 0;
}

int64_t tzm__path_call(uint32_t op, const char *path, int64_t a0, int64_t a1, int64_t a2,
		       int64_t a3)
{
	struct tzm__call c;

	if (tzm__begin_path(&c, op, path) != 0) {
		return -1;
	}
	c.req.args[0] = a0;
	c.req.args[1] = a1;
	c.req.args[2] = a2;
	c.req.args[3] = a3;
	return tzm__invoke(&c);
}

int tzm__two_path_call(uint32_t op, const char *p1, const char *p2, int64_t a1, int64_t a2,
		       int64_t a3)
{
	struct tzm__call c;
	size_t l1 = 0, l2 = 0;

	tzm__begin(&c, op);
	if (tzm__put_path(&c, 0, p1, &l1) != 0 || tzm__put_path(&c, l1, p2, &l2) != 0) {
		return -1;
	}
	c.req.args[0] = (int64_t)l1;
	c.req.args[1] = a1;
	c.req.args[2] = a2;
	c.req.args[3] = a3;
	c.req.data_len = (uint32_t)(l1 + l2);
	return tzm__invoke(&c) < 0 ? -1 : 0;
}

/* The namespace calls: a path, a0, and the directory fd it is relative to. */
static int path_call(uint32_t op, const char *path, int64_t a0, int dirfd)
{
	return tzm__path_call(op, path, a0, dirfd, 0, 0) < 0 ? -1 : 0;
}

/*
 * O_TMPFILE includes O_DIRECTORY's bit, so `flags & O_TMPFILE` is also true for a plain
 * O_DIRECTORY open, which passes no mode: reading one then picks up garbage.
 */
static bool open_takes_mode(int flags)
{
	return (flags & O_CREAT) || (flags & O_TMPFILE) == O_TMPFILE;
}

int openat(int dirfd, const char *path, int flags, ...)
{
	struct tzm__call c;
	mode_t mode = 0;
	int64_t r = 0;

	if (open_takes_mode(flags)) {
		va_list ap;

		va_start(ap, flags);
		mode = va_arg(ap, mode_t);
		va_end(ap);
	}
	if (tzm__begin_path(&c, TZM_OP_OPENAT, path) != 0) {
		return -1;
	}
	c.req.args[0] = flags;
	c.req.args[1] = mode;
	c.req.args[2] = dirfd;
	r = tzm__invoke(&c);
	if (r < 0 || tzm__fd_accept_new(&c, r) != 0) {
		return -1;
	}
	return (int)r;
}

int open(const char *path, int flags, ...)
{
	mode_t mode = 0;

	if (open_takes_mode(flags)) {
		va_list ap;

		va_start(ap, flags);
		mode = va_arg(ap, mode_t);
		va_end(ap);
	}
	return openat(AT_FDCWD, path, flags, mode);
}

/* LFS names (same types on LP64) and the entry points fortified headers redirect to */
int open64(const char *path, int flags, ...) __attribute__((alias("open")));
int openat64(int dirfd, const char *path, int flags, ...) __attribute__((alias("openat")));
int __open_2(const char *path, int flags);
int __open_2(const char *path, int flags)
{
	return openat(AT_FDCWD, path, flags);
}
int __open64_2(const char *path, int flags) __attribute__((alias("__open_2")));

int creat(const char *path, mode_t mode)
{
	return openat(AT_FDCWD, path, O_CREAT | O_WRONLY | O_TRUNC, mode);
}
int creat64(const char *path, mode_t mode)
{
	return creat(path, mode);
}

/* ---- stat ---- */

static bool stat_sane(const struct tzm_wire_stat *w)
{
	switch (w->mode & S_IFMT) {
	case S_IFREG:
	case S_IFDIR:
	case S_IFCHR:
	case S_IFBLK:
	case S_IFIFO:
	case S_IFLNK:
	case S_IFSOCK:
		break;
	default:
		return false;
	}
	return w->size >= 0 && w->blocks >= 0 && w->blksize > 0 && w->atime_nsec >= 0 &&
	       w->atime_nsec < 1000000000 && w->mtime_nsec >= 0 && w->mtime_nsec < 1000000000 &&
	       w->ctime_nsec >= 0 && w->ctime_nsec < 1000000000;
}

static int decode_stat(const struct tzm__call *c, struct stat *st)
{
	struct tzm_wire_stat w;

	if (c->resp.data_len != sizeof(w)) {
		return (int)tzm__malformed(c, "stat blob size");
	}
	memcpy(&w, c->buf, sizeof(w));
	if (!stat_sane(&w)) {
		return (int)tzm__malformed(c, "insane stat fields");
	}
	memset(st, 0, sizeof(*st));
	st->st_dev = w.dev;
	st->st_ino = w.ino;
	st->st_mode = w.mode;
	st->st_nlink = w.nlink;
	st->st_uid = w.uid;
	st->st_gid = w.gid;
	st->st_rdev = w.rdev;
	st->st_size = w.size;
	st->st_blksize = w.blksize;
	st->st_blocks = w.blocks;
	st->st_atim.tv_sec = w.atime_sec;
	st->st_atim.tv_nsec = w.atime_nsec;
	st->st_mtim.tv_sec = w.mtime_sec;
	st->st_mtim.tv_nsec = w.mtime_nsec;
	st->st_ctim.tv_sec = w.ctime_sec;
	st->st_ctim.tv_nsec = w.ctime_nsec;
	return 0;
}

int fstat(int fd, struct stat *st)
{
	struct tzm__call c;

	if (tzm__null(st)) {
		errno = EFAULT;
		return -1;
	}
	tzm__begin(&c, TZM_OP_FSTAT);
	c.req.args[0] = fd;
	if (tzm__invoke(&c) < 0) {
		return -1;
	}
	return decode_stat(&c, st);
}

static int stat_path(int dirfd, const char *path, struct stat *st, int nofollow)
{
	struct tzm__call c;

	if (!st) {
		errno = EFAULT;
		return -1;
	}
	if (tzm__begin_path(&c, TZM_OP_STAT, path) != 0) {
		return -1;
	}
	c.req.args[0] = nofollow;
	c.req.args[1] = dirfd;
	if (tzm__invoke(&c) < 0) {
		return -1;
	}
	return decode_stat(&c, st);
}

int stat(const char *path, struct stat *st)
{
	return stat_path(AT_FDCWD, path, st, 0);
}

int lstat(const char *path, struct stat *st)
{
	return stat_path(AT_FDCWD, path, st, 1);
}

int fstatat(int dirfd, const char *path, struct stat *st, int flags)
{
	if (!tzm__null(path) && path[0] == '\0' && (flags & AT_EMPTY_PATH)) {
		return fstat(dirfd, st);
	}
	return stat_path(dirfd, path, st, (flags & AT_SYMLINK_NOFOLLOW) ? 1 : 0);
}

/* struct stat64 has the layout of struct stat on LP64 */
int fstat64(int fd, struct stat64 *st)
{
	return fstat(fd, (struct stat *)st);
}

int stat64(const char *path, struct stat64 *st)
{
	return stat(path, (struct stat *)st);
}

int lstat64(const char *path, struct stat64 *st)
{
	return lstat(path, (struct stat *)st);
}

int fstatat64(int dirfd, const char *path, struct stat64 *st, int flags)
{
	return fstatat(dirfd, path, (struct stat *)st, flags);
}

/* ---- namespace operations ---- */

int unlink(const char *path)
{
	return path_call(TZM_OP_UNLINK, path, 0, AT_FDCWD);
}

int rmdir(const char *path)
{
	return path_call(TZM_OP_UNLINK, path, 1, AT_FDCWD);
}

int unlinkat(int dirfd, const char *path, int flags)
{
	return path_call(TZM_OP_UNLINK, path, (flags & AT_REMOVEDIR) ? 1 : 0, dirfd);
}

int mkdir(const char *path, mode_t mode)
{
	return path_call(TZM_OP_MKDIR, path, mode, AT_FDCWD);
}

int mkdirat(int dirfd, const char *path, mode_t mode)
{
	return path_call(TZM_OP_MKDIR, path, mode, dirfd);
}

int mkfifo(const char *path, mode_t mode)
{
	return path_call(TZM_OP_MKFIFO, path, mode, AT_FDCWD);
}

int mkfifoat(int dirfd, const char *path, mode_t mode)
{
	return path_call(TZM_OP_MKFIFO, path, mode, dirfd);
}

int access(const char *path, int mode)
{
	return path_call(TZM_OP_ACCESS, path, mode, AT_FDCWD);
}

int rename(const char *oldpath, const char *newpath)
{
	return renameat(AT_FDCWD, oldpath, AT_FDCWD, newpath);
}

int remove(const char *path)
{
	/* libc's remove would call unlink/rmdir itself, outside the mediator */
	if (unlink(path) == 0) {
		return 0;
	}
	return errno == EISDIR ? rmdir(path) : -1;
}

int faccessat(int dirfd, const char *path, int mode, int flags)
{
	(void)flags;
	return path_call(TZM_OP_ACCESS, path, mode, dirfd);
}

int renameat(int olddir, const char *oldpath, int newdir, const char *newpath)
{
	return tzm__two_path_call(TZM_OP_RENAME, oldpath, newpath, olddir, newdir, 0);
}

/* ---- directory streams: glibc declares DIR as an incomplete struct __dirstream ---- */

#define DIRBUF 8192

struct __dirstream {
	int fd;
	size_t pos;
	size_t len;
	int eof;
	struct dirent ent;
	uint8_t buf[DIRBUF];
};

DIR *fdopendir(int fd)
{
	DIR *d = NULL;
	struct stat st;

	if (fstat(fd, &st) != 0) {
		return NULL;
	}
	if (!S_ISDIR(st.st_mode)) {
		errno = ENOTDIR;
		return NULL;
	}
	d = calloc(1, sizeof(*d));
	if (!d) {
		errno = ENOMEM;
		return NULL;
	}
	d->fd = fd;
	return d;
}

DIR *opendir(const char *path)
{
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	DIR *d = NULL;
	int saved = 0;

	if (fd < 0) {
		return NULL;
	}
	d = fdopendir(fd);
	if (!d) {
		saved = errno;
		close(fd);
		errno = saved;
	}
	return d;
}

static int refill(DIR *d)
{
	struct tzm__call c;
	int64_t r = 0;

	tzm__begin(&c, TZM_OP_GETDENTS);
	c.req.args[0] = d->fd;
	c.req.args[1] = DIRBUF < c.cap ? DIRBUF : (int64_t)c.cap;
	r = tzm__invoke(&c);
	if (r < 0) {
		return -1;
	}
	if (c.resp.data_len > DIRBUF || (uint64_t)r != c.resp.data_len) {
		return (int)tzm__malformed(&c, "getdents length");
	}
	memcpy(d->buf, c.buf, c.resp.data_len); /* the records are parsed from this copy */
	d->len = c.resp.data_len;
	d->pos = 0;
	d->eof = d->len == 0;
	return 0;
}

static bool dtype_ok(uint8_t t)
{
	switch (t) {
	case DT_UNKNOWN:
	case DT_FIFO:
	case DT_CHR:
	case DT_DIR:
	case DT_BLK:
	case DT_REG:
	case DT_LNK:
	case DT_SOCK:
	case DT_WHT:
		return true;
	default:
		return false;
	}
}

struct dirent *readdir(DIR *d)
{
	struct tzm_wire_dirent w;
	int saved = errno;

	if (tzm__null(d)) {
		errno = EBADF;
		return NULL;
	}
	if (d->pos >= d->len) {
		if (!d->eof && refill(d) != 0) {
			return NULL; /* errno says why */
		}
		errno = saved; /* POSIX: the end of the stream leaves errno unchanged */
		if (d->eof) {
			return NULL;
		}
	}
	if (d->len - d->pos < sizeof(w)) {
		tzm__log("malformed response to GETDENTS: short record");
		errno = EIO;
		return NULL;
	}
	memcpy(&w, d->buf + d->pos, sizeof(w));
	if (w.reclen < sizeof(w) || (w.reclen & 7u) || w.reclen > d->len - d->pos ||
	    w.namelen == 0 || w.namelen > 255 || w.namelen > w.reclen - sizeof(w) ||
	    memchr(d->buf + d->pos + sizeof(w), '\0', w.namelen) ||
	    memchr(d->buf + d->pos + sizeof(w), '/', w.namelen) || !dtype_ok(w.type)) {
		tzm__log("malformed response to GETDENTS: bad record");
		d->pos = d->len;
		errno = EIO;
		return NULL;
	}
	memset(&d->ent, 0, sizeof(d->ent));
	d->ent.d_ino = w.ino;
	d->ent.d_type = w.type;
	d->ent.d_reclen = sizeof(d->ent);
	memcpy(d->ent.d_name, d->buf + d->pos + sizeof(w), w.namelen);
	d->ent.d_name[w.namelen] = '\0';
	d->pos += w.reclen;
	return &d->ent;
}

struct dirent64 *readdir64(DIR *d)
{
	return (struct dirent64 *)(void *)readdir(d);
}

int closedir(DIR *d)
{
	int r = 0;

	if (tzm__null(d)) {
		errno = EBADF;
		return -1;
	}
	r = close(d->fd);
	free(d);
	return r;
}

int dirfd(DIR *d)
{
	return tzm__null(d) ? -1 : d->fd;
}
