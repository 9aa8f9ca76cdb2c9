/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * tzm-ta-host internals. Two threads: the main thread owns the channel to tzm-teed
 * (fd 3) and receives everything; the TA thread (stack TA_STACK_SIZE + headroom) runs
 * the TA's entry points one job at a time and makes synchronous calls to the core
 * (host_rpc) whose replies the main thread hands over.
 */
#ifndef TZM_TA_HOST_H
#define TZM_TA_HOST_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <tee_internal_api.h>
#include <user_ta_header.h>

#include "msgio.h"

#define HOST_CHANNEL_FD 3

/*
 * Sanitizer builds (ASan/LSan, TZM_SANITIZE=ON) run the seccomp filter on the TA thread
 * and the threads it starts, not on the host's main thread: LeakSanitizer's end-of-process
 * check needs clone, ptrace and /proc/self/maps, which the filter (rightly) forbids. The
 * main thread then leaves through exit() so that the check runs. TA code is still confined
 * exactly as in a normal build; the main thread is host code. Never ship such a build.
 */
#if defined(__SANITIZE_ADDRESS__)
#define HOST_SANITIZER 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define HOST_SANITIZER 1
#endif
#endif
#define HOST_EXIT_PANIC 70
#define HOST_EXIT_PROTOCOL 71

struct host_session {
	uint32_t id;
	void *ctx; /* TA's session context */
	uint32_t login;
	TEE_UUID client_uuid;
	bool cancel_masked;
	struct host_session *next;
};

struct host_shm {
	uint64_t id;
	uint8_t *addr;
	size_t size;
	bool released; /* unmap once the current job no longer uses it */
	struct host_shm *next;
};

struct host_state {
	int chan;
	TEE_UUID uuid;
	char uuid_str[37];
	uint64_t instance_id;
	uint32_t flags, stack_size, data_size;
	volatile uint32_t *ctl_cancel;
	bool insecure;
	bool sandboxed;
	int lockdown_rc; /* sanitizer builds: the TA thread's result, 1 = pending */
	TEE_UUID device_id;
	const struct tzm_ta_props *props;
	/* libtzm's tzm_ta_sandbox_notice (POSIX TAs only): shows a sandbox log line to the
	 * user (tzm-run's stderr); called from the SIGSYS handler, see sandbox.c */
	void (*ta_notice)(const char *line);
	/* libtzm's tzm_ta_sandbox_open (POSIX TAs only): a read-only openat glibc makes
	 * itself (time zones, locales), answered under the TA's policy with a memfd copy of
	 * the file, or -errno (it has named what it cannot serve), or INT_MIN: not taken;
	 * called from the SIGSYS handler, see sandbox.c */
	int (*ta_open)(const char *path, int flags);
	/* libtzm's tzm_ta_sandbox_stat: the same for glibc's stat/lstat of a path (tzset
	 * checks whether the zone file changed): 0 or -errno, INT_MIN: not taken */
	int (*ta_stat)(const char *path, struct stat *st, int flags);
	pid_t ta_tid; /* the TA thread's tid: ta_notice runs only there */

	TEE_Result (*create)(void);
	void (*destroy)(void);
	void *open; /* TA_OpenSessionEntryPoint or its __GP11_ twin */
	void (*close)(void *);
	void *invoke; /* TA_InvokeCommandEntryPoint or its __GP11_ twin */
	bool gp11;

	/* TA thread state while a job runs */
	struct host_session *sessions;
	struct host_session *cur_sess;
	uint32_t cur_seq; /* core's seq of the running request (cancellation id) */
	uint32_t cur_types;
	TEE_Param cur_params[TEE_NUM_PARAMS];
	uint8_t *stack_lo, *stack_hi;
	const void *instance_data;

	/* shared with the main thread, under lock */
	pthread_mutex_t lock;
	pthread_cond_t cond;
	struct host_shm *shms;
	uint8_t *op_map; /* the running request's bounce region */
	size_t op_map_len;
	struct tzm__msg *job; /* request handed to the TA thread, NULL when idle */
	int job_fd;
	bool quit;
	uint32_t rpc_seq; /* seq of the TA thread's outstanding core call, 0 if none */
	bool rpc_done;
	bool rpc_failed;
	struct tzm__msg *rpc_reply;
	uint32_t next_seq;
};

extern struct host_state g_host;

/* heap.c: TEE_Malloc arena of exactly TA_DATA_SIZE bytes */
int heap_init(size_t size);
void *heap_alloc(size_t size, bool zero);
void *heap_realloc(void *p, size_t size);
void heap_free(void *p);
bool heap_contains(const void *p, size_t size);

/* sandbox.c: locks the process down (every thread, or only the calling thread in
 * sanitizer builds, see HOST_SANITIZER); 0 or -errno (then the TA must not run) */
int sandbox_lockdown(size_t data_size);

/* rpc.c */
int host_send(uint16_t cmd, const void *p1, size_t l1, const void *p2, size_t l2, const int *fds,
	      int nfds);
int host_rpc(uint16_t cmd, const void *p1, size_t l1, const void *p2, size_t l2, const int *fds,
	     int nfds, struct tzm__msg *reply);
void host_rpc_deliver(struct tzm__msg *m);
void host_rpc_fail(void);
void host_log(int level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* One tee.log line of len bytes, no formatting: async-signal-safe (one sendmsg). */
void host_log_text(int level, const char *text, size_t len);

/* api_misc.c */
bool host_cancel_requested(void);
void host_panic(TEE_Result code, const char *why) __attribute__((noreturn));

/* api_mem.c: is [p, p+size) inside a shared memref of the current operation? */
bool host_in_shared_param(const void *p, size_t size);

/* api_props.c */
void host_props_init(void);

/* crypto_op.c: OpenSSL set up before lockdown (no file or call needed afterwards) */
void host_crypto_init(void);

#endif
