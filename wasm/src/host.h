/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * WASI host internals (libtzm_wasm.a): the guest-memory accessors every import uses, the
 * WASI fd table and errno mapping. Every guest pointer and length goes through
 * tzm__wasm_guest() before the host touches it: a range outside the module's linear
 * memory is the WASI errno FAULT, never a host access.
 */
#ifndef TZM_WASM_HOST_H
#define TZM_WASM_HOST_H

#include <dirent.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

typedef uint32_t u32;
typedef uint64_t u64;

/* wasm2c's prototypes of every import (src/imports.def) */
#define TZM_WASM_IMPORT(mod, name, sig, ret, params) ret Z_##mod##Z_##name params;
struct Z_wasi_snapshot_preview1_instance_t;
struct Z_tzm_instance_t;
#include "imports.def"
#undef TZM_WASM_IMPORT

#if __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "the WASI host stores guest integers in host byte order: little-endian only"
#endif

/* WASI errno values (preview 1) used by name in the host */
enum {
	WASI_ESUCCESS = 0,
	WASI_E2BIG = 1,
	WASI_EACCES = 2,
	WASI_EBADF = 8,
	WASI_EFAULT = 21,
	WASI_EINVAL = 28,
	WASI_EIO = 29,
	WASI_EISDIR = 31,
	WASI_ENAMETOOLONG = 37,
	WASI_ENOENT = 44,
	WASI_ENOMEM = 48,
	WASI_ENOSYS = 52,
	WASI_ENOTDIR = 54,
	WASI_ENOTSOCK = 57,
	WASI_ENOTSUP = 58,
	WASI_EMFILE = 33,
	WASI_ENOTCAPABLE = 76,
};

/* Linux errno -> WASI errno (EIO for anything WASI has no name for) */
u32 tzm__wasm_errno(int err);

/*
 * Guest memory. tzm__wasm_guest() is the one place that validates a guest address: it
 * alone asks the glue for the memory's current base and size. Every other accessor below
 * is built on it, and no host function computes a host address from a guest one itself.
 */
/* Host pointer for guest bytes [ptr, ptr + len), or NULL when outside the linear memory. */
uint8_t *tzm__wasm_guest(u32 ptr, u32 len);
/* Copies guest bytes [ptr, ptr + len) to dst: WASI_EFAULT when out of range. */
u32 tzm__wasm_copy_in(void *dst, u32 ptr, u32 len);
/* Reads the guest u32 at ptr into *v: WASI_EFAULT when out of range. */
u32 tzm__wasm_load32(u32 ptr, uint32_t *v);
/* A guest iovec array (n entries of {u32 buf, u32 len}) as host iovecs, each buffer
 * checked: WASI_EINVAL for n > TZM_WASM_IOV_MAX, WASI_EFAULT for any range outside. */
#define TZM_WASM_IOV_MAX 1024u
struct iovec;
u32 tzm__wasm_iovecs(u32 iovs, u32 n, struct iovec *iov);

static inline void tzm__wasm_put32(uint8_t *p, uint32_t v)
{
	memcpy(p, &v, 4);
}
static inline void tzm__wasm_put64(uint8_t *p, uint64_t v)
{
	memcpy(p, &v, 8);
}
static inline uint32_t tzm__wasm_get32(const uint8_t *p)
{
	uint32_t v = 0;
	memcpy(&v, p, 4);
	return v;
}
/* Stores v at guest address ptr: WASI_EFAULT when out of range. */
u32 tzm__wasm_store16(u32 ptr, uint16_t v);
u32 tzm__wasm_store32(u32 ptr, uint32_t v);
u32 tzm__wasm_store64(u32 ptr, uint64_t v);

/* ---- the WASI fd table ---- */
enum tzm__wasm_fd_kind {
	TZM_WASM_FD_FREE = 0,
	TZM_WASM_FD_HOST,    /* an fd of the TA (libtzm): file, directory, pipe, socket */
	TZM_WASM_FD_PREOPEN, /* a preopened directory: a path, resolved at each use */
};

/* Whether a host fd is a directory: WASI gives directories no data rights (seek, tell...). */
enum tzm__wasm_is_dir {
	TZM_WASM_DIR_UNKNOWN = 0, /* not asked yet: fstat on first need */
	TZM_WASM_DIR_YES,
	TZM_WASM_DIR_NO,
};

struct tzm__wasm_fd {
	enum tzm__wasm_fd_kind kind;
	int host;         /* TZM_WASM_FD_HOST: the TA's fd */
	const char *path; /* TZM_WASM_FD_PREOPEN: absolute path (a policy rule's) */
	const char *name; /* TZM_WASM_FD_PREOPEN: the name the module sees (fd_prestat_*) */
	DIR *dir;         /* fd_readdir's stream, opened on first use */
	u64 dir_next;     /* cookie of the next entry dir would return */
	enum tzm__wasm_is_dir is_dir; /* TZM_WASM_FD_HOST: learnt at open or on first need */
};

#define TZM_WASM_MAX_FDS 1024u

/* The entry of a WASI fd, or NULL (WASI_EBADF) when the fd is not open. */
struct tzm__wasm_fd *tzm__wasm_fd_get(u32 fd);
/*
 * The TA's fd behind a WASI fd, in *host: WASI_EBADF when the fd is not open, not_host
 * when it is a preopened directory (which has no fd of its own).
 */
u32 tzm__wasm_fd_host(u32 fd, u32 not_host, int *host);
/*
 * Gives the TA's new fd host the lowest free WASI fd and stores that at guest fd_out
 * (checked by the caller before host was made). WASI_EMFILE when the table is full: then
 * host is closed.
 */
u32 tzm__wasm_fd_install(int host, enum tzm__wasm_is_dir is_dir, u32 fd_out);
/* Moves entry from to the free entry to (fd_renumber). */
void tzm__wasm_fd_move(u32 from, u32 to);
/* WASI filetype of a host fd with st_mode mode (sockets: by SO_TYPE). */
uint8_t tzm__wasm_filetype(int h, unsigned mode);
/* Releases the entry (closing its directory stream, not its host fd). */
void tzm__wasm_fd_release(u32 fd);
/* One log line per unsupported function; returns WASI_ENOSYS. */
u32 tzm__wasm_unsupported(const char *name);
/*
 * WASI rights (preview 1) that this host reports. It does not enforce rights (the policy
 * decides what the TA may do): fd_fdstat_get reports what the descriptor can do, and
 * fd_fdstat_set_rights, which would have to enforce a drop, answers ENOTSUP.
 */
#define TZM_WASM_RIGHTS_ALL 0x1fffffffull
/* a directory's: the path_* calls, fd_readdir and its own status and times (wasmtime's) */
#define TZM_WASM_RIGHTS_DIR                                                                        \
	((1ull << 9) | (1ull << 10) | (1ull << 11) | (1ull << 12) | (1ull << 13) | (1ull << 14) |  \
	 (1ull << 15) | (1ull << 16) | (1ull << 17) | (1ull << 18) | (1ull << 20) | (1ull << 21) | \
	 (1ull << 23) | (1ull << 24) | (1ull << 25) | (1ull << 26))

/* set-up (host.c) */
void tzm__wasm_fd_init(const char *const *preopens);

#endif
