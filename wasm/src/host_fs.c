// SPDX-License-Identifier: BSD-2-Clause
/*
 * WASI path_* calls, preopens (fd_prestat_*), fd_readdir and file status. A path is
 * resolved against its directory fd without the host ever leaving the policy's view:
 *  - under a preopen (a policy rule's path), the guest's relative path is appended to the
 *    rule's absolute path and the POSIX call gets that absolute path;
 *  - under a directory the module opened, the *at() call gets that directory's fd.
 * Either way the shadow resolves it under the policy (openat2 RESOLVE_BENEATH). Before
 * that, a path that is absolute or climbs above its directory with ".." is refused here
 * with WASI's ENOTCAPABLE, as WASI's capability model says.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "host.h"

#define WASI_PATH_MAX 4096u

/* oflags */
#define OF_CREAT 1u
#define OF_DIRECTORY 2u
#define OF_EXCL 4u
#define OF_TRUNC 8u
/* lookupflags */
#define LOOKUP_FOLLOW 1u
/* fdflags */
#define FDF_APPEND 1u
#define FDF_DSYNC 2u
#define FDF_NONBLOCK 4u
#define FDF_RSYNC 8u
#define FDF_SYNC 16u
/* rights that mean reading / writing data */
#define R_READ ((1ull << 1) | (1ull << 14))
#define R_WRITE ((1ull << 0) | (1ull << 6) | (1ull << 8) | (1ull << 22))
/* fstflags */
#define FST_ATIM 1u
#define FST_ATIM_NOW 2u
#define FST_MTIM 4u
#define FST_MTIM_NOW 8u

struct resolved {
	int dirfd; /* AT_FDCWD with an absolute path, or a directory fd of the TA */
	char path[WASI_PATH_MAX + PATH_MAX + 2];
};

/* A guest path, copied: NUL-free, at most WASI_PATH_MAX bytes. */
static u32 copy_path(u32 ptr, u32 len, char out[WASI_PATH_MAX + 1])
{
	if (len > WASI_PATH_MAX) {
		return WASI_ENAMETOOLONG;
	}
	u32 err = tzm__wasm_copy_in(out, ptr, len);
	if (err != 0) {
		return err;
	}
	if (memchr(out, '\0', len) != NULL) {
		return WASI_EINVAL;
	}
	out[len] = '\0';
	return WASI_ESUCCESS;
}

/* true when a relative path never climbs above its starting directory */
static bool stays_beneath(const char *p)
{
	long depth = 0;
	while (*p != '\0') {
		const char *end = strchr(p, '/');
		size_t n = end ? (size_t)(end - p) : strlen(p);
		if (n == 2 && p[0] == '.' && p[1] == '.') {
			if (--depth < 0) {
				return false;
			}
		} else if (n > 0 && !(n == 1 && p[0] == '.')) {
			depth++;
		}
		p += n;
		while (*p == '/') {
			p++;
		}
	}
	return true;
}

static u32 resolve(u32 fd, u32 ptr, u32 len, struct resolved *r)
{
	char rel[WASI_PATH_MAX + 1];
	struct tzm__wasm_fd *e = tzm__wasm_fd_get(fd);
	if (e == NULL) {
		return WASI_EBADF;
	}
	u32 err = copy_path(ptr, len, rel);
	if (err != 0) {
		return err;
	}
	if (rel[0] == '/' || !stays_beneath(rel)) {
		return WASI_ENOTCAPABLE;
	}
	if (e->kind == TZM_WASM_FD_HOST) {
		r->dirfd = e->host;
		memcpy(r->path, rel, len + 1);
		if (len == 0) {
			return WASI_ENOENT; /* as openat with "" */
		}
		return WASI_ESUCCESS;
	}
	r->dirfd = AT_FDCWD;
	bool base_only = len == 0 || strcmp(rel, ".") == 0;
	int n = base_only ? snprintf(r->path, sizeof(r->path), "%s", e->path)
			  : snprintf(r->path, sizeof(r->path), "%s/%s", e->path, rel);
	return n < 0 || (size_t)n >= sizeof(r->path) ? WASI_ENAMETOOLONG : WASI_ESUCCESS;
}

/* The two paths of path_rename and path_link (the old one's error first). */
static u32 resolve_pair(u32 fd, u32 old, u32 old_len, u32 new_fd, u32 new_path, u32 new_len,
			struct resolved *a, struct resolved *b)
{
	u32 err = resolve(fd, old, old_len, a);
	return err != 0 ? err : resolve(new_fd, new_path, new_len, b);
}

static u32 put_filestat(u32 out, int h, const struct stat *st)
{
	uint8_t *p = tzm__wasm_guest(out, 64);
	if (p == NULL) {
		return WASI_EFAULT;
	}
	memset(p, 0, 64);
	tzm__wasm_put64(p + 0, (uint64_t)st->st_dev);
	tzm__wasm_put64(p + 8, (uint64_t)st->st_ino);
	p[16] = tzm__wasm_filetype(h, st->st_mode);
	tzm__wasm_put64(p + 24, (uint64_t)st->st_nlink);
	tzm__wasm_put64(p + 32, (uint64_t)st->st_size);
	tzm__wasm_put64(p + 40,
			(uint64_t)st->st_atim.tv_sec * 1000000000u + (uint64_t)st->st_atim.tv_nsec);
	tzm__wasm_put64(p + 48,
			(uint64_t)st->st_mtim.tv_sec * 1000000000u + (uint64_t)st->st_mtim.tv_nsec);
	tzm__wasm_put64(p + 56,
			(uint64_t)st->st_ctim.tv_sec * 1000000000u + (uint64_t)st->st_ctim.tv_nsec);
	return WASI_ESUCCESS;
}

/* ---- preopens ---- */
u32 Z_wasi_snapshot_preview1Z_fd_prestat_get(struct Z_wasi_snapshot_preview1_instance_t *self,
					     u32 fd, u32 out)
{
	(void)self;
	struct tzm__wasm_fd *e = tzm__wasm_fd_get(fd);
	if (e == NULL || e->kind != TZM_WASM_FD_PREOPEN) {
		return WASI_EBADF;
	}
	uint8_t *p = tzm__wasm_guest(out, 8);
	if (p == NULL) {
		return WASI_EFAULT;
	}
	memset(p, 0, 8); /* tag 0: a directory */
	tzm__wasm_put32(p + 4, (uint32_t)strlen(e->name));
	return WASI_ESUCCESS;
}

u32 Z_wasi_snapshot_preview1Z_fd_prestat_dir_name(struct Z_wasi_snapshot_preview1_instance_t *self,
						  u32 fd, u32 buf, u32 len)
{
	(void)self;
	struct tzm__wasm_fd *e = tzm__wasm_fd_get(fd);
	if (e == NULL || e->kind != TZM_WASM_FD_PREOPEN) {
		return WASI_EBADF;
	}
	size_t n = strlen(e->name);
	if (len < n) {
		return WASI_ENAMETOOLONG;
	}
	uint8_t *p = tzm__wasm_guest(buf, (u32)n);
	if (p == NULL) {
		return WASI_EFAULT;
	}
	memcpy(p, e->name, n);
	return WASI_ESUCCESS;
}

/* ---- path calls ---- */
u32 Z_wasi_snapshot_preview1Z_path_open(struct Z_wasi_snapshot_preview1_instance_t *self, u32 fd,
					u32 lookup, u32 path, u32 len, u32 oflags, u64 rights,
					u64 inheriting, u32 fdflags, u32 fd_out)
{
	struct resolved r;
	(void)self;
	(void)inheriting;
	u32 err = resolve(fd, path, len, &r);
	if (err != 0) {
		return err;
	}
	if (tzm__wasm_guest(fd_out, 4) == NULL) {
		return WASI_EFAULT;
	}
	if (oflags & ~(OF_CREAT | OF_DIRECTORY | OF_EXCL | OF_TRUNC) ||
	    fdflags & ~(FDF_APPEND | FDF_DSYNC | FDF_NONBLOCK | FDF_RSYNC | FDF_SYNC)) {
		return WASI_EINVAL;
	}
	bool rd = (rights & R_READ) != 0;
	bool wr = (rights & R_WRITE) != 0 || (oflags & OF_TRUNC);
	int flags = O_CLOEXEC | (wr && rd ? O_RDWR : wr ? O_WRONLY : O_RDONLY);
	flags |= (oflags & OF_CREAT ? O_CREAT : 0) | (oflags & OF_DIRECTORY ? O_DIRECTORY : 0) |
		 (oflags & OF_EXCL ? O_EXCL : 0) | (oflags & OF_TRUNC ? O_TRUNC : 0);
	flags |= (fdflags & FDF_APPEND ? O_APPEND : 0) | (fdflags & FDF_DSYNC ? O_DSYNC : 0) |
		 (fdflags & FDF_NONBLOCK ? O_NONBLOCK : 0) | (fdflags & FDF_RSYNC ? O_RSYNC : 0) |
		 (fdflags & FDF_SYNC ? O_SYNC : 0);
	if (!(lookup & LOOKUP_FOLLOW)) {
		flags |= O_NOFOLLOW;
	}
	/*
	 * A directory asked for with write rights is EISDIR, with or without O_DIRECTORY, as
	 * open(2) says. Raw WASI callers open a directory with the rights its fd_fdstat_get
	 * reports, which are a directory's (no fd_write): they open it for reading.
	 */
	int h = openat(r.dirfd, r.path, flags, 0666);
	if (h < 0) {
		return tzm__wasm_errno(errno);
	}
	/* opened for writing or with O_DIRECTORY, whether it is a directory is known */
	enum tzm__wasm_is_dir is_dir = (oflags & OF_DIRECTORY) ? TZM_WASM_DIR_YES
				       : wr                    ? TZM_WASM_DIR_NO
							       : TZM_WASM_DIR_UNKNOWN;
	return tzm__wasm_fd_install(h, is_dir, fd_out);
}

/* The path_* calls that take one path and answer only success or an errno. */
enum path_op {
	PATH_MKDIR,
	PATH_MKFIFO,
	PATH_UNLINK,
	PATH_RMDIR,
};

static u32 path_op(u32 fd, u32 path, u32 len, enum path_op op, u32 mode)
{
	struct resolved r;
	u32 err = resolve(fd, path, len, &r);
	if (err != 0) {
		return err;
	}
	int rc = -1;
	switch (op) {
	case PATH_MKDIR:
		rc = mkdirat(r.dirfd, r.path, 0777);
		break;
	case PATH_MKFIFO:
		if (mode & ~07777u) {
			return WASI_EINVAL;
		}
		rc = mkfifoat(r.dirfd, r.path, (mode_t)mode);
		break;
	case PATH_UNLINK:
		rc = unlinkat(r.dirfd, r.path, 0);
		break;
	case PATH_RMDIR:
		rc = unlinkat(r.dirfd, r.path, AT_REMOVEDIR);
		break;
	}
	return rc == 0 ? WASI_ESUCCESS : tzm__wasm_errno(errno);
}

u32 Z_wasi_snapshot_preview1Z_path_create_directory(
	struct Z_wasi_snapshot_preview1_instance_t *self, u32 fd, u32 path, u32 len)
{
	(void)self;
	return path_op(fd, path, len, PATH_MKDIR, 0);
}

/* tzm.path_mkfifo (include/compat/sys/stat.h's mkfifo): as path_create_directory */
u32 Z_tzmZ_path_mkfifo(struct Z_tzm_instance_t *self, u32 fd, u32 path, u32 len, u32 mode)
{
	(void)self;
	return path_op(fd, path, len, PATH_MKFIFO, mode);
}

u32 Z_wasi_snapshot_preview1Z_path_unlink_file(struct Z_wasi_snapshot_preview1_instance_t *self,
					       u32 fd, u32 path, u32 len)
{
	(void)self;
	return path_op(fd, path, len, PATH_UNLINK, 0);
}

u32 Z_wasi_snapshot_preview1Z_path_remove_directory(
	struct Z_wasi_snapshot_preview1_instance_t *self, u32 fd, u32 path, u32 len)
{
	(void)self;
	return path_op(fd, path, len, PATH_RMDIR, 0);
}

u32 Z_wasi_snapshot_preview1Z_path_rename(struct Z_wasi_snapshot_preview1_instance_t *self, u32 fd,
					  u32 old, u32 old_len, u32 new_fd, u32 new_path,
					  u32 new_len)
{
	static struct resolved a, b; /* large: kept off the TA's stack */
	(void)self;
	u32 err = resolve_pair(fd, old, old_len, new_fd, new_path, new_len, &a, &b);
	if (err != 0) {
		return err;
	}
	return renameat(a.dirfd, a.path, b.dirfd, b.path) == 0 ? WASI_ESUCCESS
							       : tzm__wasm_errno(errno);
}

u32 Z_wasi_snapshot_preview1Z_path_link(struct Z_wasi_snapshot_preview1_instance_t *self, u32 fd,
					u32 lookup, u32 old, u32 old_len, u32 new_fd, u32 new_path,
					u32 new_len)
{
	static struct resolved a, b; /* large: kept off the TA's stack */
	(void)self;
	u32 err = resolve_pair(fd, old, old_len, new_fd, new_path, new_len, &a, &b);
	if (err != 0) {
		return err;
	}
	int flags = lookup & LOOKUP_FOLLOW ? AT_SYMLINK_FOLLOW : 0;
	return linkat(a.dirfd, a.path, b.dirfd, b.path, flags) == 0 ? WASI_ESUCCESS
								    : tzm__wasm_errno(errno);
}

u32 Z_wasi_snapshot_preview1Z_path_symlink(struct Z_wasi_snapshot_preview1_instance_t *self,
					   u32 target, u32 target_len, u32 fd, u32 path, u32 len)
{
	static char text[WASI_PATH_MAX + 1];
	struct resolved r;
	(void)self;
	u32 err = copy_path(target, target_len, text);
	if (err == 0) {
		err = resolve(fd, path, len, &r);
	}
	if (err != 0) {
		return err;
	}
	/* the target is text: the shadow checks that it lies inside a rule */
	return symlinkat(text, r.dirfd, r.path) == 0 ? WASI_ESUCCESS : tzm__wasm_errno(errno);
}

u32 Z_wasi_snapshot_preview1Z_path_readlink(struct Z_wasi_snapshot_preview1_instance_t *self,
					    u32 fd, u32 path, u32 len, u32 buf, u32 buf_len,
					    u32 used)
{
	struct resolved r;
	(void)self;
	u32 err = resolve(fd, path, len, &r);
	if (err != 0) {
		return err;
	}
	uint8_t *p = tzm__wasm_guest(buf, buf_len);
	if (p == NULL || tzm__wasm_guest(used, 4) == NULL) {
		return WASI_EFAULT;
	}
	ssize_t n = readlinkat(r.dirfd, r.path, (char *)p, buf_len);
	if (n < 0) {
		return tzm__wasm_errno(errno);
	}
	return tzm__wasm_store32(used, (uint32_t)n);
}

u32 Z_wasi_snapshot_preview1Z_path_filestat_get(struct Z_wasi_snapshot_preview1_instance_t *self,
						u32 fd, u32 lookup, u32 path, u32 len, u32 out)
{
	struct resolved r;
	struct stat st;
	(void)self;
	u32 err = resolve(fd, path, len, &r);
	if (err != 0) {
		return err;
	}
	if (tzm__wasm_guest(out, 64) == NULL) {
		return WASI_EFAULT;
	}
	int flags = lookup & LOOKUP_FOLLOW ? 0 : AT_SYMLINK_NOFOLLOW;
	if (fstatat(r.dirfd, r.path, &st, flags) != 0) {
		return tzm__wasm_errno(errno);
	}
	return put_filestat(out, -1, &st);
}

static u32 times_of(u64 atim, u64 mtim, u32 fst, struct timespec ts[2])
{
	if ((fst & FST_ATIM && fst & FST_ATIM_NOW) || (fst & FST_MTIM && fst & FST_MTIM_NOW) ||
	    fst & ~0xfu) {
		return WASI_EINVAL;
	}
	ts[0] = (struct timespec){ .tv_sec = (time_t)(atim / 1000000000u),
				   .tv_nsec = (long)(atim % 1000000000u) };
	ts[1] = (struct timespec){ .tv_sec = (time_t)(mtim / 1000000000u),
				   .tv_nsec = (long)(mtim % 1000000000u) };
	if (!(fst & (FST_ATIM | FST_ATIM_NOW))) {
		ts[0].tv_nsec = UTIME_OMIT;
	} else if (fst & FST_ATIM_NOW) {
		ts[0].tv_nsec = UTIME_NOW;
	}
	if (!(fst & (FST_MTIM | FST_MTIM_NOW))) {
		ts[1].tv_nsec = UTIME_OMIT;
	} else if (fst & FST_MTIM_NOW) {
		ts[1].tv_nsec = UTIME_NOW;
	}
	return WASI_ESUCCESS;
}

u32 Z_wasi_snapshot_preview1Z_path_filestat_set_times(
	struct Z_wasi_snapshot_preview1_instance_t *self, u32 fd, u32 lookup, u32 path, u32 len,
	u64 atim, u64 mtim, u32 fst)
{
	struct resolved r;
	struct timespec ts[2];
	(void)self;
	u32 err = resolve(fd, path, len, &r);
	if (err == 0) {
		err = times_of(atim, mtim, fst, ts);
	}
	if (err != 0) {
		return err;
	}
	int flags = lookup & LOOKUP_FOLLOW ? 0 : AT_SYMLINK_NOFOLLOW;
	return utimensat(r.dirfd, r.path, ts, flags) == 0 ? WASI_ESUCCESS : tzm__wasm_errno(errno);
}

/* ---- status of an fd ---- */
u32 Z_wasi_snapshot_preview1Z_fd_filestat_get(struct Z_wasi_snapshot_preview1_instance_t *self,
					      u32 fd, u32 out)
{
	struct stat st;
	(void)self;
	struct tzm__wasm_fd *e = tzm__wasm_fd_get(fd);
	if (e == NULL) {
		return WASI_EBADF;
	}
	if (tzm__wasm_guest(out, 64) == NULL) {
		return WASI_EFAULT;
	}
	int rc = e->kind == TZM_WASM_FD_HOST ? fstat(e->host, &st) : stat(e->path, &st);
	if (rc != 0) {
		return tzm__wasm_errno(errno);
	}
	return put_filestat(out, e->kind == TZM_WASM_FD_HOST ? e->host : -1, &st);
}

u32 Z_wasi_snapshot_preview1Z_fd_filestat_set_size(struct Z_wasi_snapshot_preview1_instance_t *self,
						   u32 fd, u64 size)
{
	int h = -1;
	(void)self;
	u32 err = tzm__wasm_fd_host(fd, WASI_EISDIR, &h);
	if (err != 0) {
		return err;
	}
	if (size > INT64_MAX) {
		return WASI_EINVAL;
	}
	return ftruncate(h, (off_t)size) == 0 ? WASI_ESUCCESS : tzm__wasm_errno(errno);
}

u32 Z_wasi_snapshot_preview1Z_fd_filestat_set_times(
	struct Z_wasi_snapshot_preview1_instance_t *self, u32 fd, u64 atim, u64 mtim, u32 fst)
{
	struct timespec ts[2];
	(void)self;
	struct tzm__wasm_fd *e = tzm__wasm_fd_get(fd);
	if (e == NULL) {
		return WASI_EBADF;
	}
	u32 err = times_of(atim, mtim, fst, ts);
	if (err != 0) {
		return err;
	}
	int rc = e->kind == TZM_WASM_FD_HOST ? futimens(e->host, ts)
					     : utimensat(AT_FDCWD, e->path, ts, 0);
	return rc == 0 ? WASI_ESUCCESS : tzm__wasm_errno(errno);
}

/* ---- fd_readdir: cookie n = the n-th entry of the stream ---- */
static u32 restart_dir(struct tzm__wasm_fd *e)
{
	if (e->dir != NULL) {
		(void)closedir(e->dir);
		e->dir = NULL;
	}
	e->dir_next = 0;
	if (e->kind == TZM_WASM_FD_PREOPEN) {
		e->dir = opendir(e->path);
	} else {
		/* a second descriptor of the same open directory, rewound */
		int d = dup(e->host);
		if (d < 0) {
			return tzm__wasm_errno(errno);
		}
		if (lseek(d, 0, SEEK_SET) < 0 || (e->dir = fdopendir(d)) == NULL) {
			int err = errno;
			(void)close(d);
			errno = err;
		}
	}
	return e->dir != NULL ? WASI_ESUCCESS : tzm__wasm_errno(errno);
}

u32 Z_wasi_snapshot_preview1Z_fd_readdir(struct Z_wasi_snapshot_preview1_instance_t *self, u32 fd,
					 u32 buf, u32 buf_len, u64 cookie, u32 used_ptr)
{
	(void)self;
	struct tzm__wasm_fd *e = tzm__wasm_fd_get(fd);
	if (e == NULL) {
		return WASI_EBADF;
	}
	uint8_t *out = tzm__wasm_guest(buf, buf_len);
	if (out == NULL || tzm__wasm_guest(used_ptr, 4) == NULL) {
		return WASI_EFAULT;
	}
	if (e->dir == NULL || cookie < e->dir_next) {
		u32 err = restart_dir(e);
		if (err != 0) {
			return err;
		}
	}
	u32 used = 0;
	while (used < buf_len) {
		errno = 0;
		struct dirent *d = readdir(e->dir);
		if (d == NULL) {
			if (errno != 0) {
				return tzm__wasm_errno(errno);
			}
			break;
		}
		e->dir_next++;
		if (e->dir_next <= cookie) {
			continue; /* before the requested position */
		}
		uint8_t hdr[24] = { 0 };
		size_t nlen = strlen(d->d_name);
		tzm__wasm_put64(hdr, e->dir_next);
		tzm__wasm_put64(hdr + 8, (uint64_t)d->d_ino);
		tzm__wasm_put32(hdr + 16, (uint32_t)nlen);
		hdr[20] = d->d_type == DT_DIR    ? 3
			  : d->d_type == DT_REG  ? 4
			  : d->d_type == DT_LNK  ? 7
			  : d->d_type == DT_CHR  ? 2
			  : d->d_type == DT_BLK  ? 1
			  : d->d_type == DT_SOCK ? 6
						 : 0;
		/* an entry that does not fit is cut: used == buf_len tells the caller */
		size_t room = buf_len - used;
		size_t n = room < sizeof(hdr) ? room : sizeof(hdr);
		memcpy(out + used, hdr, n);
		used += (u32)n;
		room -= n;
		n = room < nlen ? room : nlen;
		memcpy(out + used, d->d_name, n);
		used += (u32)n;
	}
	return tzm__wasm_store32(used_ptr, used);
}
