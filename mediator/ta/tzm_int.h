/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * libtzm internals: the TA-side runtime state and the RPC helper every POSIX function
 * uses. Not installed.
 *
 * libtzm defines POSIX functions (read, socket, printf, ...) with their libc names; the TA
 * is linked with -Bsymbolic so the TA's own references bind to these. libtzm itself must
 * therefore never call a POSIX function it overrides expecting libc's behaviour.
 */
#ifndef TZM_TA_INT_H
#define TZM_TA_INT_H

#if !defined(TZM_TA_OPTEE) && !defined(TZM_POSIX_REALM)
#include <pthread.h>
#endif
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <tzm/tzm_transport.h>
#include <tzm/tzm_wire.h>

struct tzm__rt {
	struct tzm_transport *tp;
	struct tzm_wire_setup setup; /* validated copy */
	char **argv;
	char **envp;
	char *strings;
	size_t max_chunk;
	uint8_t fd_open[TZM_WIRE_MAX_FDS];
	bool in_main;
	bool in_exit;
	bool cancel_seen;
	int exit_status;
	int exit_signal; /* the program died of this signal (0: it exited) */
	jmp_buf exit_jmp;
};

extern struct tzm__rt tzm__rt;

struct tzm__call {
	struct tzm_wire_req req;
	struct tzm_wire_resp resp;
	uint8_t *buf; /* the call slot's shared data area: write the request blob here */
	size_t cap;   /* its size, bounded by the per-call chunk limit */
	int slot;     /* the call slot (-1: the transport has one call at a time) */
};

/* Starts a call: zeroes the headers and points c->buf at the data area. */
void tzm__begin(struct tzm__call *c, uint32_t op);
/*
 * Runs the call and validates the generic parts of the response (errno in the allowed set
 * for the opcode, ret/err consistency, blob length within the buffer). Returns resp.ret
 * (>= 0) or -1 with errno set (the peer's errno, or EIO for a malformed response).
 */
int64_t tzm__invoke(struct tzm__call *c);
/*
 * Calls in flight (transports with slots; tzm__pipelined() says whether this one has them).
 * tzm__begin_more: tzm__begin without the signal boundary, for the later parts of one
 * operation (a split write). tzm__submit: posts the call (detached: nobody waits for it;
 * only for calls whose answer is known in advance); 0, or -1 with errno EIO.
 * tzm__complete: waits for a submitted call and validates it as tzm__invoke does (no
 * signal handling, no restart); its result.
 */
bool tzm__pipelined(void);
extern uint64_t tzm__submits; /* calls submitted so far (a split write sees others') */
void tzm__begin_more(struct tzm__call *c, uint32_t op);
int tzm__submit(struct tzm__call *c, bool detached);
int64_t tzm__complete(struct tzm__call *c);
/* Waits for every call in flight (before the runtime stops). */
void tzm__drain(void);
/* Reports a malformed response to op (one log line), sets errno = EIO, returns -1. */
int64_t tzm__malformed(const struct tzm__call *c, const char *why);
/* One log line to the shadow's stderr, prefixed "tzm: ". */
void tzm__log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* -1/ENOSYS with a one-time log line per function name. */
int tzm__unsupported(const char *fn);
/* true the first time a key (a call name) is seen in this process */
bool tzm__first_time(const char *key);
/*
 * glibc's own writes to the TA host's fd 2 (its fatal messages) reach tzm-run's stderr
 * (host_stderr.c; GP TAs on the emulated TEE): start before main, flush after it.
 */
void tzm__host_stderr_start(void);
void tzm__host_stderr_flush(void);
/* One log line, only the first time for this key. */
void tzm__log_once(const char *key, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/*
 * The enumeration files of set/get/end*ent (passwd, group, services, protocols, networks):
 * one FILE per database, opened at the first get, rewound by set, closed by end.
 * tzm__ent_open: 0 or the error number of fopen.
 */
int tzm__ent_open(FILE **f, const char *path);
void tzm__ent_rewind(FILE *f);
void tzm__ent_close(FILE **f);

/* TA fd table (mirror of what the shadow told us; used to validate fd numbers). */
bool tzm__fd_valid(int fd);
int tzm__fd_accept_new(const struct tzm__call *c, int64_t fd); /* 0 or -1 (EIO) */
/* Two new distinct fds (pipe, socketpair), stored in fds only when both are acceptable. */
int tzm__fd_accept_pair(const struct tzm__call *c, int64_t a, int64_t b, int fds[2]);
void tzm__fd_closed(int fd);

/*
 * epoll registrations the TA made (poll.c), so that epoll_wait answers can be checked:
 * an event must carry a data value the TA registered on that epoll set, with events it
 * asked for. Closing a descriptor forgets its registrations (and its set, if it was an
 * epoll descriptor); duplicating an epoll descriptor shares the set.
 */
void tzm__ep_forget_fd(int fd);
void tzm__ep_dup(int oldfd, int newfd);
void tzm__ep_reset(void);

/* Pure predicate: a sockaddr from the shadow has a known family and a consistent length. */
bool tzm__sockaddr_ok(const uint8_t *a, size_t alen);

/*
 * libtzm defines libc functions whose glibc prototypes declare some pointers nonnull; a
 * TA may still pass NULL. Comparing through a volatile copy keeps the defensive check
 * from being optimised away (and from clang's -Wpointer-bool-conversion).
 */
static inline bool tzm__null(const void *p)
{
	const void *volatile q = p;

	return q == NULL;
}

/* Copies a NUL-terminated string into the request blob; -1/ENAMETOOLONG or EFAULT. */
int tzm__put_path(struct tzm__call *c, size_t off, const char *path, size_t *len_out);
/*
 * Path calls (file.c). tzm__begin_path: starts a call whose blob is one path (data_len
 * set); 0, or -1 with errno. tzm__path_call: such a call with args a0..a3, run; returns
 * tzm__invoke's result. tzm__two_path_call: blob old\0new\0 (rename, link, symlink),
 * args[0] its first length, then a1..a3; 0 or -1.
 */
#if !defined(TZM_TA_OPTEE)
struct flock;
/* fcntl's record lock commands (lock.c): 0, or -1 with errno */
int tzm__fcntl_lock(int fd, int cmd, struct flock *fl);
#endif
/* A call with three arguments and no blob, run (io.c); tzm__invoke's result. */
int64_t tzm__args_call(uint32_t op, int64_t a0, int64_t a1, int64_t a2);
int tzm__begin_path(struct tzm__call *c, uint32_t op, const char *path);
int64_t tzm__path_call(uint32_t op, const char *path, int64_t a0, int64_t a1, int64_t a2,
		       int64_t a3);
int tzm__two_path_call(uint32_t op, const char *p1, const char *p2, int64_t a1, int64_t a2,
		       int64_t a3);

/*
 * Signals (signal.c). tzm__sig_boundary: takes the signals the shadow posted and runs the
 * actions of the deliverable ones (called before each call starts). tzm__sig_after_call:
 * the same after a call answered with r (-1: errno set): may raise SIGPIPE for EPIPE,
 * keeps the call's answer through the handlers; returns 1 when the call must be sent
 * again (SA_RESTART), 0 to return r as is, -1 with errno EIO when the shadow posted a
 * malformed signal set. tzm__sig_take_bad: such a set arrived outside a call (the next
 * call fails with EIO). tzm__sig_sleep: a sleep that signals interrupt (0, or -1 with
 * EINTR and *left). Default actions that end the program do not return.
 * tzm__sig_run_end: main has returned or jumped out (exit, a default action): what main's
 * thread kept for calls whose handlers never came back is freed.
 */
void tzm__sig_reset(void);
void tzm__sig_run_end(void);
void tzm__sig_boundary(void);
int tzm__sig_after_call(struct tzm__call *c, int64_t r, bool not_sent);
bool tzm__sig_take_bad(void);
int tzm__sig_sleep(uint64_t ns, uint64_t *left);
/* the calling thread's own log line is being written: no delivery (no SIGPIPE) */
void tzm__sig_hold(bool on);
/*
 * A call on slot is about to be submitted (0), or must not be (-1: something is
 * deliverable or a cancellation is due: the caller answers it EINTR unsent and
 * tzm__sig_after_call delivers and sends it again); tzm__sig_call_end: it was answered.
 * Between them another thread can have the call interrupted (pthread_kill...).
 */
int tzm__sig_call_start(int slot);
void tzm__sig_call_end(void);
/*
 * A split transfer's chunks (io.c): tzm__sig_chain_next before each chunk is submitted
 * (as tzm__sig_call_start; -1: submit no more, the chunks in flight still complete), so
 * that another thread interrupts every chunk of the lane in flight; tzm__sig_call_done
 * when the chunk on slot was answered; tzm__sig_call_end once the transfer is over.
 */
int tzm__sig_chain_next(int slot);
void tzm__sig_call_done(int slot);
#if !defined(TZM_TA_OPTEE) && !defined(TZM_POSIX_REALM)
/*
 * Threads' signal state (proc.c): the creator's mask (inherited); a lane's record made
 * before the thread exists (id NULL) and its thread id once known; dropped if the thread
 * was not made; the thread binds it when it starts and frees it when it ends.
 */
uint64_t tzm__sig_thread_mask(void);
void tzm__sig_thread_add(uint32_t lane, uint64_t mask, const pthread_t *id);
void tzm__sig_thread_drop(uint32_t lane);
void tzm__sig_thread_start(uint32_t lane);
void tzm__sig_thread_end(void);
#endif

/*
 * Threads (proc.c): whether the calling thread is one the program created (not the one
 * running main).
 */
#if defined(TZM_TA_OPTEE) || defined(TZM_POSIX_REALM)
static inline bool tzm__in_thread(void)
{
	return false;
}
static inline bool tzm__threads_made(void)
{
	return false;
}
static inline void tzm__note_main_thread(void)
{
}
static inline bool tzm__hook_may_call(void)
{
	return true; /* one thread */
}
#else
bool tzm__in_thread(void);
/* whether the program ever made a thread: from then on calls may run in any lane order */
bool tzm__threads_made(void);
/* entry_gp.c, on the thread that runs main: that thread's identity for the next call */
void tzm__note_main_thread(void);
/*
 * Whether the calling thread may make forwarded calls from the TA sandbox's hooks (glibc's
 * own opens and stats), which run in its SIGSYS handler: main's thread, or one the
 * program created while it holds its lane; not a thread glibc is still starting or
 * already ending, which has no lane of its own (a call would take another).
 */
bool tzm__hook_may_call(void);
#endif

/* Runtime start/stop (entry_*.c) */
/* setup_len: ctrl.setup_len as read once by the entry code */
int tzm__rt_start(struct tzm_transport *tp, uint32_t setup_len);
int tzm__run_main(void);
void tzm__rt_stop(void);
int tzm__user_main(int argc, char **argv);
void tzm__stdio_init(void);
/* program_invocation_name & co. for err()/warn()/error() (diag.c) */
void tzm__diag_init(char *argv0);
void tzm__stdio_flush_all(void);
/*
 * stdio_common.c (fopen, fdopen, printf & co., perror, dprintf) over a stream back end,
 * ta/stdio.c (glibc's fopencookie) or optee/libc/stdio.c (OP-TEE): the back end's stream
 * over fd, opened with fopen's mode; NULL with errno.
 */
FILE *tzm__stdio_stream(int fd, const char *mode);
/* printf-style formatting into small (cap bytes) or, when longer, a malloc'ed *text (to be
 * freed when it is not small): the length, or -1 with errno. */
#define TZM_STDIO_FORMAT_STACK 512
int tzm__vformat(char *small, size_t cap, char **text, const char *fmt, va_list ap)
	__attribute__((format(printf, 4, 0)));
uint64_t tzm__monotonic_ns(void);
void tzm__raw_exit(int status) __attribute__((noreturn));
/* sandbox_realm.c (realm images only): the realm process's seccomp filter; 0 or -errno,
 * then the program must not run */
int tzm__realm_sandbox(bool insecure_ok);

#endif
