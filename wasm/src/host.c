// SPDX-License-Identifier: BSD-2-Clause
/*
 * The WASI host of a Wasm TA (libtzm_wasm.a): main() of the TA, the WASI fd table, guest
 * memory access, errno mapping, and the process-level imports (args, environ, clocks,
 * random, sched_yield, proc_exit) plus tzmediator's own "tzm" module. The Wasm program's
 * I/O calls become the POSIX calls of libtzm, which forwards them to the shadow: same
 * policy, same validation of every answer as for a C TA.
 *
 * Trust: the module is the TA's own code, but the host treats every pointer and length it
 * passes as untrusted: each guest range is checked against the linear memory's current
 * size before use (tzm__wasm_guest) and answers WASI_EFAULT otherwise.
 */
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include <tee_internal_api.h>
#include <tzm_attest_ta.h>

#include "host.h"
#include "tzm_int.h"
#include "tzm_wasm_glue.h"

/* ---- errno: Linux -> WASI ---- */
/* WASI preview 1 numbers its errno values 1.. in this order (wasi/api.h). */
static const int linux_errnos[] = {
	E2BIG,        EACCES,          EADDRINUSE, EADDRNOTAVAIL, EAFNOSUPPORT, EAGAIN,
	EALREADY,     EBADF,           EBADMSG,    EBUSY,         ECANCELED,    ECHILD,
	ECONNABORTED, ECONNREFUSED,    ECONNRESET, EDEADLK,       EDESTADDRREQ, EDOM,
	EDQUOT,       EEXIST,          EFAULT,     EFBIG,         EHOSTUNREACH, EIDRM,
	EILSEQ,       EINPROGRESS,     EINTR,      EINVAL,        EIO,          EISCONN,
	EISDIR,       ELOOP,           EMFILE,     EMLINK,        EMSGSIZE,     EMULTIHOP,
	ENAMETOOLONG, ENETDOWN,        ENETRESET,  ENETUNREACH,   ENFILE,       ENOBUFS,
	ENODEV,       ENOENT,          ENOEXEC,    ENOLCK,        ENOLINK,      ENOMEM,
	ENOMSG,       ENOPROTOOPT,     ENOSPC,     ENOSYS,        ENOTCONN,     ENOTDIR,
	ENOTEMPTY,    ENOTRECOVERABLE, ENOTSOCK,   EOPNOTSUPP,    ENOTTY,       ENXIO,
	EOVERFLOW,    EOWNERDEAD,      EPERM,      EPIPE,         EPROTO,       EPROTONOSUPPORT,
	EPROTOTYPE,   ERANGE,          EROFS,      ESPIPE,        ESRCH,        ESTALE,
	ETIMEDOUT,    ETXTBSY,         EXDEV,
};

u32 tzm__wasm_errno(int err)
{
	if (err == 0) {
		return WASI_ESUCCESS;
	}
	for (size_t i = 0; i < sizeof(linux_errnos) / sizeof(linux_errnos[0]); i++) {
		if (linux_errnos[i] == err) {
			return (u32)i + 1;
		}
	}
	return WASI_EIO;
}

/* ---- guest memory ---- */
uint8_t *tzm__wasm_guest(u32 ptr, u32 len)
{
	uint8_t *data = NULL;
	uint64_t size = 0;

	tzm__wasm_glue_memory(&data, &size);
	if (data == NULL || (uint64_t)ptr + len > size) {
		return NULL;
	}
	return data + ptr;
}

u32 tzm__wasm_copy_in(void *dst, u32 ptr, u32 len)
{
	const uint8_t *p = tzm__wasm_guest(ptr, len);
	if (p == NULL) {
		return WASI_EFAULT;
	}
	memcpy(dst, p, len);
	return WASI_ESUCCESS;
}

u32 tzm__wasm_load32(u32 ptr, uint32_t *v)
{
	uint32_t x = 0;
	u32 r = tzm__wasm_copy_in(&x, ptr, 4);
	if (r == WASI_ESUCCESS) {
		*v = x;
	}
	return r;
}

u32 tzm__wasm_iovecs(u32 iovs, u32 n, struct iovec *iov)
{
	if (n > TZM_WASM_IOV_MAX) {
		return WASI_EINVAL;
	}
	/* n * 8 <= 8 KiB; the sum of the lengths (< 2^42) fits ssize_t */
	const uint8_t *arr = tzm__wasm_guest(iovs, n * 8u);
	if (arr == NULL) {
		return WASI_EFAULT;
	}
	for (u32 i = 0; i < n; i++) {
		u32 ptr = tzm__wasm_get32(arr + 8u * i);
		u32 len = tzm__wasm_get32(arr + 8u * i + 4);
		uint8_t *p = tzm__wasm_guest(ptr, len);
		if (p == NULL) {
			return WASI_EFAULT;
		}
		iov[i] = (struct iovec){ .iov_base = p, .iov_len = len };
	}
	return WASI_ESUCCESS;
}

u32 tzm__wasm_store16(u32 ptr, uint16_t v)
{
	uint8_t *p = tzm__wasm_guest(ptr, 2);
	if (p == NULL) {
		return WASI_EFAULT;
	}
	memcpy(p, &v, 2);
	return WASI_ESUCCESS;
}

u32 tzm__wasm_store32(u32 ptr, uint32_t v)
{
	uint8_t *p = tzm__wasm_guest(ptr, 4);
	if (p == NULL) {
		return WASI_EFAULT;
	}
	tzm__wasm_put32(p, v);
	return WASI_ESUCCESS;
}

u32 tzm__wasm_store64(u32 ptr, uint64_t v)
{
	uint8_t *p = tzm__wasm_guest(ptr, 8);
	if (p == NULL) {
		return WASI_EFAULT;
	}
	tzm__wasm_put64(p, v);
	return WASI_ESUCCESS;
}

u32 tzm__wasm_unsupported(const char *name)
{
	tzm__log_once(name, "wasm: %s is not supported (ENOSYS)", name);
	return WASI_ENOSYS;
}

/* ---- fd table ---- */
#define PREOPEN_VAR "TZM_WASM_PREOPEN"

static struct tzm__wasm_fd fds[TZM_WASM_MAX_FDS];

/* A preopen shown to the module as name; the first of a name wins. */
static void add_preopen(u32 *next, const char *path, const char *name)
{
	for (u32 i = 3; i < *next; i++) {
		if (strcmp(fds[i].name, name) == 0) {
			return;
		}
	}
	if (*next < TZM_WASM_MAX_FDS) {
		fds[(*next)++] = (struct tzm__wasm_fd){
			.kind = TZM_WASM_FD_PREOPEN, .host = -1, .path = path, .name = name
		};
	}
}

/*
 * fds 0-2: the TA's stdio; then the preopens: those of the build (tzm wasm build --policy,
 * --dir), then those named at run time in TZM_WASM_PREOPEN (absolute paths separated by
 * ':', passed with tzm run --env). An entry PATH=NAME shows the directory PATH to the
 * module under the name NAME (e.g. "/", as other runtimes' --dir PATH::NAME); otherwise
 * its name is PATH. A preopen is only a name: the policy decides what the TA may do under
 * it, by PATH.
 */
void tzm__wasm_fd_init(const char *const *preopens)
{
	for (u32 i = 0; i < 3; i++) {
		fds[i] = (struct tzm__wasm_fd){ .kind = TZM_WASM_FD_HOST, .host = (int)i };
	}
	u32 next = 3;
	for (size_t i = 0; preopens[i] != NULL; i++) {
		add_preopen(&next, preopens[i], preopens[i]);
	}
	const char *run = getenv(PREOPEN_VAR);
	char *copy = run != NULL ? strdup(run) : NULL; /* kept: the table points into it */
	char *save = NULL;
	for (char *p = copy != NULL ? strtok_r(copy, ":", &save) : NULL; p != NULL;
	     p = strtok_r(NULL, ":", &save)) {
		char *name = strchr(p, '=');
		if (name != NULL) {
			*name++ = '\0';
		}
		if (p[0] == '/' && (name == NULL || name[0] != '\0')) {
			add_preopen(&next, p, name != NULL ? name : p);
		} else {
			tzm__log("wasm: " PREOPEN_VAR ": %s: not an absolute path or no name", p);
		}
	}
}

struct tzm__wasm_fd *tzm__wasm_fd_get(u32 fd)
{
	if (fd >= TZM_WASM_MAX_FDS || fds[fd].kind == TZM_WASM_FD_FREE) {
		return NULL;
	}
	return &fds[fd];
}

u32 tzm__wasm_fd_host(u32 fd, u32 not_host, int *host)
{
	struct tzm__wasm_fd *e = tzm__wasm_fd_get(fd);
	if (e == NULL) {
		return WASI_EBADF;
	}
	if (e->kind != TZM_WASM_FD_HOST) {
		return not_host;
	}
	*host = e->host;
	return WASI_ESUCCESS;
}

u32 tzm__wasm_fd_install(int host, enum tzm__wasm_is_dir is_dir, u32 fd_out)
{
	for (u32 i = 0; i < TZM_WASM_MAX_FDS; i++) {
		if (fds[i].kind == TZM_WASM_FD_FREE) {
			fds[i] = (struct tzm__wasm_fd){ .kind = TZM_WASM_FD_HOST,
							.host = host,
							.is_dir = is_dir };
			return tzm__wasm_store32(fd_out, i);
		}
	}
	(void)close(host);
	return WASI_EMFILE;
}

void tzm__wasm_fd_move(u32 from, u32 to)
{
	fds[to] = fds[from];
	fds[from] = (struct tzm__wasm_fd){ .kind = TZM_WASM_FD_FREE, .host = -1 };
}

void tzm__wasm_fd_release(u32 fd)
{
	if (fd < TZM_WASM_MAX_FDS) {
		if (fds[fd].dir != NULL) {
			(void)closedir(fds[fd].dir);
		}
		fds[fd] = (struct tzm__wasm_fd){ .kind = TZM_WASM_FD_FREE, .host = -1 };
	}
}

/* ---- args and environment ---- */
static char **host_argv;

/* The variable that names run-time preopens is the host's, not the program's. */
static bool hidden(char *const *v, const char *s)
{
	size_t n = sizeof(PREOPEN_VAR) - 1;
	return v == tzm__rt.envp && strncmp(s, PREOPEN_VAR "=", n + 1) == 0;
}

/* Sizes of a NULL-terminated string vector: count and bytes with NULs. */
static u32 vec_sizes(char *const *v, u32 count_ptr, u32 size_ptr)
{
	uint64_t n = 0, bytes = 0;
	for (size_t i = 0; v != NULL && v[i] != NULL; i++) {
		if (hidden(v, v[i])) {
			continue;
		}
		n++;
		bytes += strlen(v[i]) + 1;
	}
	if (bytes > UINT32_MAX) {
		return WASI_E2BIG;
	}
	u32 r = tzm__wasm_store32(count_ptr, (uint32_t)n);
	return r != 0 ? r : tzm__wasm_store32(size_ptr, (uint32_t)bytes);
}

static u32 vec_get(char *const *v, u32 ptrs, u32 buf)
{
	u32 at = buf;
	u32 k = 0;
	for (size_t i = 0; v != NULL && v[i] != NULL; i++) {
		if (hidden(v, v[i])) {
			continue;
		}
		size_t len = strlen(v[i]) + 1;
		uint8_t *dst = len <= UINT32_MAX ? tzm__wasm_guest(at, (u32)len) : NULL;
		if (dst == NULL || k > (UINT32_MAX - ptrs) / 4 ||
		    tzm__wasm_store32(ptrs + k * 4, at) != 0) {
			return WASI_EFAULT;
		}
		memcpy(dst, v[i], len);
		at += (u32)len;
		k++;
	}
	return WASI_ESUCCESS;
}

u32 Z_wasi_snapshot_preview1Z_args_sizes_get(struct Z_wasi_snapshot_preview1_instance_t *self,
					     u32 argc_ptr, u32 size_ptr)
{
	(void)self;
	return vec_sizes(host_argv, argc_ptr, size_ptr);
}

u32 Z_wasi_snapshot_preview1Z_args_get(struct Z_wasi_snapshot_preview1_instance_t *self, u32 argv,
				       u32 buf)
{
	(void)self;
	return vec_get(host_argv, argv, buf);
}

u32 Z_wasi_snapshot_preview1Z_environ_sizes_get(struct Z_wasi_snapshot_preview1_instance_t *self,
						u32 count_ptr, u32 size_ptr)
{
	(void)self;
	return vec_sizes(tzm__rt.envp, count_ptr, size_ptr);
}

u32 Z_wasi_snapshot_preview1Z_environ_get(struct Z_wasi_snapshot_preview1_instance_t *self, u32 env,
					  u32 buf)
{
	(void)self;
	return vec_get(tzm__rt.envp, env, buf);
}

/* ---- clocks, randomness, scheduling, exit ---- */
static int clock_of(u32 id, clockid_t *out)
{
	switch (id) {
	case 0:
		*out = CLOCK_REALTIME;
		return 0;
	case 1:
		*out = CLOCK_MONOTONIC;
		return 0;
	case 2:
		*out = CLOCK_PROCESS_CPUTIME_ID;
		return 0;
	case 3:
		*out = CLOCK_THREAD_CPUTIME_ID;
		return 0;
	default:
		return -1;
	}
}

u32 Z_wasi_snapshot_preview1Z_clock_res_get(struct Z_wasi_snapshot_preview1_instance_t *self,
					    u32 id, u32 res_ptr)
{
	clockid_t clk = 0;
	(void)self;
	if (clock_of(id, &clk) != 0) {
		return WASI_EINVAL;
	}
	/* Linux reports 1 ns for every clock of high-resolution timers (clock_getres) */
	return tzm__wasm_store64(res_ptr, 1);
}

u32 Z_wasi_snapshot_preview1Z_clock_time_get(struct Z_wasi_snapshot_preview1_instance_t *self,
					     u32 id, u64 precision, u32 time_ptr)
{
	clockid_t clk = 0;
	struct timespec ts = { 0, 0 };
	(void)self;
	(void)precision;
	if (clock_of(id, &clk) != 0) {
		return WASI_EINVAL;
	}
	if (tzm__wasm_guest(time_ptr, 8) == NULL) {
		return WASI_EFAULT;
	}
	if (clock_gettime(clk, &ts) != 0) {
		return tzm__wasm_errno(errno);
	}
	return tzm__wasm_store64(time_ptr,
				 (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec);
}

u32 Z_wasi_snapshot_preview1Z_random_get(struct Z_wasi_snapshot_preview1_instance_t *self, u32 buf,
					 u32 len)
{
	(void)self;
	uint8_t *p = tzm__wasm_guest(buf, len);
	if (p == NULL) {
		return WASI_EFAULT;
	}
	TEE_GenerateRandom(p, len); /* the TEE's generator, as TEE_GenerateRandom for C TAs */
	return WASI_ESUCCESS;
}

u32 Z_wasi_snapshot_preview1Z_sched_yield(struct Z_wasi_snapshot_preview1_instance_t *self)
{
	(void)self;
	(void)sched_yield();
	return WASI_ESUCCESS;
}

void Z_wasi_snapshot_preview1Z_proc_exit(struct Z_wasi_snapshot_preview1_instance_t *self, u32 code)
{
	(void)self;
	exit((int)(code & 0xff)); /* libtzm's exit: ends main, tzm run exits with this status */
}

u32 Z_wasi_snapshot_preview1Z_proc_raise(struct Z_wasi_snapshot_preview1_instance_t *self, u32 sig)
{
	(void)self;
	(void)sig;
	return tzm__wasm_unsupported("proc_raise");
}

/* ---- module "tzm" ---- */
u32 Z_tzmZ_attest_token(struct Z_tzm_instance_t *self, u32 challenge_ptr, u32 buf_ptr, u32 len_ptr)
{
	uint8_t challenge[TZM_ATTEST_TA_CHALLENGE_LEN];
	uint32_t len32 = 0;
	(void)self;
	if (tzm__wasm_copy_in(challenge, challenge_ptr, sizeof(challenge)) != 0 ||
	    tzm__wasm_load32(len_ptr, &len32) != 0) {
		return TEE_ERROR_BAD_PARAMETERS;
	}
	size_t len = len32;
	uint8_t *buf = tzm__wasm_guest(buf_ptr, (u32)len);
	if (buf == NULL) {
		return TEE_ERROR_BAD_PARAMETERS;
	}
	TEE_Result res = tzm_attest_token(challenge, len ? buf : NULL, &len);
	if ((res == TEE_SUCCESS || res == TEE_ERROR_SHORT_BUFFER) && len <= UINT32_MAX) {
		(void)tzm__wasm_store32(len_ptr, (uint32_t)len); /* checked above */
	}
	return res;
}

/* ---- the end of the TA ---- */
void tzm__wasm_trapped(const char *what)
{
	fprintf(stderr, "tzm wasm: the module trapped: %s\n", what);
	TEE_Panic(0x5457a000u);
	__builtin_unreachable();
}

void tzm__wasm_fatal(const char *what)
{
	fprintf(stderr, "tzm wasm: %s\n", what);
	TEE_Panic(0x5457a001u);
	__builtin_unreachable();
}

int main(int argc, char **argv)
{
	(void)argc;
	host_argv = argv;
	tzm__wasm_fd_init(tzm__wasm_glue_info.preopens);
	tzm__wasm_glue_run(NULL);
	return 0;
}
