// SPDX-License-Identifier: BSD-2-Clause
/*
 * WASI fd_* calls that work on any descriptor: read/write (vectors), pread/pwrite, seek,
 * tell, close, fdstat, sync, renumber. Each vector is copied out of guest memory entry by
 * entry and every buffer range-checked before the POSIX call (libtzm) sees it.
 */
#include <errno.h>
#include <limits.h>
#include <fcntl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include "host.h"
#include "tzm_int.h"

/* WASI file types */
enum {
	FT_UNKNOWN,
	FT_BLOCK,
	FT_CHAR,
	FT_DIR,
	FT_REG,
	FT_DGRAM,
	FT_STREAM,
	FT_SYMLINK
};
/* fdflags */
#define FDF_APPEND 1u
#define FDF_DSYNC 2u
#define FDF_NONBLOCK 4u
#define FDF_RSYNC 8u
#define FDF_SYNC 16u
#define RIGHT_FD_SEEK 0x4ull
#define RIGHT_FD_TELL 0x20ull
/* fd_read, fd_readdir; fd_datasync, fd_write, fd_allocate, fd_filestat_set_size */
#define RIGHTS_READ ((1ull << 1) | (1ull << 14))
#define RIGHTS_WRITE ((1ull << 0) | (1ull << 6) | (1ull << 8) | (1ull << 22))

/*
 * Host fd behind a WASI fd that holds data at positions (fd_seek, fd_tell, fd_allocate):
 * EBADF for a directory, preopened or opened, as WASI gives directories no such rights
 * (Linux would lseek a directory's readdir position). Whether a host fd is a directory is
 * known from its open or asked once (fstat).
 */
static u32 data_fd(u32 fd, int *host)
{
	struct tzm__wasm_fd *e = tzm__wasm_fd_get(fd);
	if (e == NULL || e->kind != TZM_WASM_FD_HOST) {
		return WASI_EBADF;
	}
	if (e->is_dir == TZM_WASM_DIR_UNKNOWN) {
		struct stat st;
		if (fstat(e->host, &st) != 0) {
			return tzm__wasm_errno(errno);
		}
		e->is_dir = S_ISDIR(st.st_mode) ? TZM_WASM_DIR_YES : TZM_WASM_DIR_NO;
	}
	if (e->is_dir == TZM_WASM_DIR_YES) {
		return WASI_EBADF;
	}
	*host = e->host;
	return WASI_ESUCCESS;
}

/* pread/pwrite per buffer (libtzm has no preadv/pwritev), stopping at a short transfer */
static ssize_t positioned_rw(int h, const struct iovec *iov, u32 n, bool write_, u64 off)
{
	ssize_t total = 0;
	for (u32 i = 0; i < n; i++) {
		if (iov[i].iov_len == 0) {
			continue;
		}
		ssize_t r = write_ ? pwrite(h, iov[i].iov_base, iov[i].iov_len, (off_t)off)
				   : pread(h, iov[i].iov_base, iov[i].iov_len, (off_t)off);
		if (r < 0) {
			return total > 0 ? total : -1;
		}
		total += r;
		off += (u64)r;
		if ((size_t)r < iov[i].iov_len) {
			break;
		}
	}
	return total;
}

static u32 rw(u32 fd, u32 iovs, u32 n, u32 done_ptr, bool write_, bool positioned, u64 off)
{
	struct iovec iov[TZM_WASM_IOV_MAX];
	int h = -1;
	u32 r = tzm__wasm_fd_host(fd, WASI_EISDIR, &h);
	if (r == 0) {
		r = tzm__wasm_iovecs(iovs, n, iov);
	}
	if (r == 0 && tzm__wasm_guest(done_ptr, 4) == NULL) {
		r = WASI_EFAULT;
	}
	if (r == 0 && positioned && off > INT64_MAX) {
		r = WASI_EINVAL;
	}
	if (r != 0) {
		return r;
	}
	ssize_t got = 0;
	if (positioned) {
		got = positioned_rw(h, iov, n, write_, off);
	} else {
		got = write_ ? writev(h, iov, (int)n) : readv(h, iov, (int)n);
	}
	if (got < 0) {
		return tzm__wasm_errno(errno);
	}
	return tzm__wasm_store32(done_ptr, (uint32_t)got);
}

u32 Z_wasi_snapshot_preview1Z_fd_write(struct Z_wasi_snapshot_preview1_instance_t *self, u32 fd,
				       u32 iovs, u32 n, u32 nwritten)
{
	(void)self;
	return rw(fd, iovs, n, nwritten, true, false, 0);
}

u32 Z_wasi_snapshot_preview1Z_fd_read(struct Z_wasi_snapshot_preview1_instance_t *self, u32 fd,
				      u32 iovs, u32 n, u32 nread)
{
	(void)self;
	return rw(fd, iovs, n, nread, false, false, 0);
}

u32 Z_wasi_snapshot_preview1Z_fd_pwrite(struct Z_wasi_snapshot_preview1_instance_t *self, u32 fd,
					u32 iovs, u32 n, u64 off, u32 nwritten)
{
	(void)self;
	return rw(fd, iovs, n, nwritten, true, true, off);
}

u32 Z_wasi_snapshot_preview1Z_fd_pread(struct Z_wasi_snapshot_preview1_instance_t *self, u32 fd,
				       u32 iovs, u32 n, u64 off, u32 nread)
{
	(void)self;
	return rw(fd, iovs, n, nread, false, true, off);
}

u32 Z_wasi_snapshot_preview1Z_fd_seek(struct Z_wasi_snapshot_preview1_instance_t *self, u32 fd,
				      u64 off, u32 whence, u32 out)
{
	int h = -1;
	(void)self;
	u32 r = data_fd(fd, &h);
	if (r != 0) {
		return r;
	}
	if (whence > 2) { /* WASI's SET/CUR/END are 0/1/2, as Linux's */
		return WASI_EINVAL;
	}
	if (tzm__wasm_guest(out, 8) == NULL) {
		return WASI_EFAULT;
	}
	off_t pos = lseek(h, (off_t)(int64_t)off, (int)whence);
	if (pos < 0) {
		return tzm__wasm_errno(errno);
	}
	return tzm__wasm_store64(out, (uint64_t)pos);
}

u32 Z_wasi_snapshot_preview1Z_fd_tell(struct Z_wasi_snapshot_preview1_instance_t *self, u32 fd,
				      u32 out)
{
	return Z_wasi_snapshot_preview1Z_fd_seek(self, fd, 0, SEEK_CUR, out);
}

u32 Z_wasi_snapshot_preview1Z_fd_close(struct Z_wasi_snapshot_preview1_instance_t *self, u32 fd)
{
	(void)self;
	struct tzm__wasm_fd *e = tzm__wasm_fd_get(fd);
	if (e == NULL) {
		return WASI_EBADF;
	}
	int rc = 0;
	if (e->dir != NULL) {
		/* the stream owns its own descriptor (restart_dir: a dup, or a preopen's path) */
		(void)closedir(e->dir);
		e->dir = NULL;
	}
	if (e->kind == TZM_WASM_FD_HOST) {
		rc = close(e->host);
	}
	int err = errno;
	tzm__wasm_fd_release(fd);
	return rc != 0 && err != EINTR ? tzm__wasm_errno(err) : WASI_ESUCCESS;
}

static uint8_t filetype_of(int h, mode_t mode)
{
	if (S_ISREG(mode)) {
		return FT_REG;
	}
	if (S_ISDIR(mode)) {
		return FT_DIR;
	}
	if (S_ISCHR(mode)) {
		return FT_CHAR;
	}
	if (S_ISBLK(mode)) {
		return FT_BLOCK;
	}
	if (S_ISLNK(mode)) {
		return FT_SYMLINK;
	}
	if (S_ISSOCK(mode) && h >= 0) {
		int type = 0;
		socklen_t len = sizeof(type);
		if (getsockopt(h, SOL_SOCKET, SO_TYPE, &type, &len) == 0) {
			return type == SOCK_DGRAM ? FT_DGRAM : FT_STREAM;
		}
	}
	return FT_UNKNOWN; /* FIFOs: WASI has no type for them */
}

uint8_t tzm__wasm_filetype(int h, unsigned mode)
{
	return filetype_of(h, (mode_t)mode);
}

u32 Z_wasi_snapshot_preview1Z_fd_fdstat_get(struct Z_wasi_snapshot_preview1_instance_t *self,
					    u32 fd, u32 out)
{
	(void)self;
	struct tzm__wasm_fd *e = tzm__wasm_fd_get(fd);
	if (e == NULL) {
		return WASI_EBADF;
	}
	uint8_t *p = tzm__wasm_guest(out, 24);
	if (p == NULL) {
		return WASI_EFAULT;
	}
	uint8_t type = FT_DIR;
	uint16_t flags = 0;
	uint64_t rights = TZM_WASM_RIGHTS_DIR;
	if (e->kind == TZM_WASM_FD_HOST) {
		struct stat st;
		if (fstat(e->host, &st) != 0) {
			return tzm__wasm_errno(errno);
		}
		type = filetype_of(e->host, st.st_mode);
		e->is_dir = type == FT_DIR ? TZM_WASM_DIR_YES : TZM_WASM_DIR_NO;
		int fl = fcntl(e->host, F_GETFL);
		if (fl < 0) {
			return tzm__wasm_errno(errno);
		}
		/* Linux's O_SYNC includes O_DSYNC, and its O_RSYNC is O_SYNC */
		flags = (uint16_t)((fl & O_APPEND ? FDF_APPEND : 0) |
				   (fl & O_NONBLOCK ? FDF_NONBLOCK : 0) |
				   (fl & O_DSYNC ? FDF_DSYNC : 0) |
				   ((fl & O_SYNC) == O_SYNC ? FDF_SYNC | FDF_RSYNC : 0));
		/*
		 * The access mode, as rights (wasi-libc's fcntl(F_GETFL) derives it from them);
		 * a directory keeps a directory's rights: no data ones, fd_readdir for reading.
		 */
		if (type == FT_DIR) {
			rights = TZM_WASM_RIGHTS_DIR;
		} else if ((fl & O_ACCMODE) == O_RDONLY) {
			rights = TZM_WASM_RIGHTS_ALL & ~RIGHTS_WRITE;
		} else if ((fl & O_ACCMODE) == O_WRONLY) {
			rights = TZM_WASM_RIGHTS_ALL & ~RIGHTS_READ;
		} else {
			rights = TZM_WASM_RIGHTS_ALL;
		}
		/* wasi-libc's isatty(): a character device without seek/tell rights */
		if (type == FT_CHAR && isatty(e->host)) {
			rights &= ~(RIGHT_FD_SEEK | RIGHT_FD_TELL);
		}
	}
	memset(p, 0, 24);
	p[0] = type;
	memcpy(p + 2, &flags, 2);
	tzm__wasm_put64(p + 8, rights);
	tzm__wasm_put64(p + 16, TZM_WASM_RIGHTS_ALL);
	return WASI_ESUCCESS;
}

u32 Z_wasi_snapshot_preview1Z_fd_fdstat_set_flags(struct Z_wasi_snapshot_preview1_instance_t *self,
						  u32 fd, u32 flags)
{
	int h = -1;
	(void)self;
	u32 r = tzm__wasm_fd_host(fd, WASI_EISDIR, &h);
	if (r != 0) {
		return r == WASI_EISDIR ? WASI_EBADF : r;
	}
	if (flags & ~(FDF_APPEND | FDF_NONBLOCK)) {
		/* the sync flags cannot be changed after open on Linux either */
		return WASI_ENOTSUP;
	}
	int fl = fcntl(h, F_GETFL);
	if (fl < 0) {
		return tzm__wasm_errno(errno);
	}
	fl &= ~(O_APPEND | O_NONBLOCK);
	fl |= (flags & FDF_APPEND ? O_APPEND : 0) | (flags & FDF_NONBLOCK ? O_NONBLOCK : 0);
	return fcntl(h, F_SETFL, fl) == 0 ? WASI_ESUCCESS : tzm__wasm_errno(errno);
}

u32 Z_wasi_snapshot_preview1Z_fd_fdstat_set_rights(struct Z_wasi_snapshot_preview1_instance_t *self,
						   u32 fd, u64 base, u64 inheriting)
{
	(void)self;
	(void)base;
	(void)inheriting;
	if (tzm__wasm_fd_get(fd) == NULL) {
		return WASI_EBADF;
	}
	/*
	 * This host does not enforce rights (the policy decides), so it cannot honour a drop:
	 * accepting one would let the program believe a capability is gone that is not.
	 * ENOTSUP is WASI's answer for a host without rights (wasmtime's; the wasi-testsuite
	 * then skips its rights tests), not ENOSYS: the function exists, rights do not.
	 */
	tzm__log_once("fd_fdstat_set_rights",
		      "wasm: fd_fdstat_set_rights: rights are not enforced by this host (ENOTSUP)");
	return WASI_ENOTSUP;
}

static u32 sync_fd(u32 fd, bool data_only)
{
	int h = -1;
	u32 r = tzm__wasm_fd_host(fd, WASI_EISDIR, &h);
	if (r != 0) {
		return r == WASI_EISDIR ? WASI_ESUCCESS : r; /* nothing buffered for a preopen */
	}
	int rc = data_only ? fdatasync(h) : fsync(h);
	return rc == 0 ? WASI_ESUCCESS : tzm__wasm_errno(errno);
}

u32 Z_wasi_snapshot_preview1Z_fd_sync(struct Z_wasi_snapshot_preview1_instance_t *self, u32 fd)
{
	(void)self;
	return sync_fd(fd, false);
}

u32 Z_wasi_snapshot_preview1Z_fd_datasync(struct Z_wasi_snapshot_preview1_instance_t *self, u32 fd)
{
	(void)self;
	return sync_fd(fd, true);
}

u32 Z_wasi_snapshot_preview1Z_fd_advise(struct Z_wasi_snapshot_preview1_instance_t *self, u32 fd,
					u64 off, u64 len, u32 advice)
{
	int h = -1;
	(void)self;
	(void)off;
	(void)len;
	u32 r = tzm__wasm_fd_host(fd, WASI_EISDIR, &h);
	if (r != 0) {
		return r == WASI_EISDIR ? WASI_EBADF : r;
	}
	/* advice is a hint: accepted and not forwarded (as a kernel may ignore it) */
	return advice <= 5 ? WASI_ESUCCESS : WASI_EINVAL;
}

u32 Z_wasi_snapshot_preview1Z_fd_allocate(struct Z_wasi_snapshot_preview1_instance_t *self, u32 fd,
					  u64 off, u64 len)
{
	int h = -1;
	(void)self;
	(void)off;
	(void)len;
	u32 r = data_fd(fd, &h); /* a bad fd or a directory is EBADF before "unsupported" */
	return r != 0 ? r : tzm__wasm_unsupported("fd_allocate");
}

u32 Z_wasi_snapshot_preview1Z_fd_renumber(struct Z_wasi_snapshot_preview1_instance_t *self,
					  u32 from, u32 to)
{
	(void)self;
	struct tzm__wasm_fd *f = tzm__wasm_fd_get(from);
	struct tzm__wasm_fd *t = tzm__wasm_fd_get(to);
	if (f == NULL || t == NULL) {
		return WASI_EBADF;
	}
	if (from == to) {
		return WASI_ESUCCESS;
	}
	(void)Z_wasi_snapshot_preview1Z_fd_close(self, to);
	tzm__wasm_fd_move(from, to);
	return WASI_ESUCCESS;
}
