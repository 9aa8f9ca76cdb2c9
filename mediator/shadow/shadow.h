/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The shadow's executor (private): the TA's fd table mapped to host fds, and the request
 * handlers. One handler per opcode, dispatched through a table generated from
 * TZM_WIRE_OPS so the table and the opcode list cannot drift.
 */
#ifndef TZM_SHADOW_H
#define TZM_SHADOW_H

#include <dirent.h>
#include <limits.h>
#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include <tzm/tzm_transport.h>
#include <tzm/tzm_wire.h>

#include "../policy/policy.h"

enum tzm__sfd_kind {
	SFD_FREE = 0,
	SFD_STDIO,
	SFD_FILE,
	SFD_DIR,
	SFD_SOCK,
	SFD_PIPE,
	SFD_EPOLL,
	SFD_MQ,
};

/*
 * Sources a UDP socket received datagrams from (most recent TZM__REPLY_SLOTS): it may
 * answer them without a connect rule (`udp_reply`, like a firewall's "established").
 */
#define TZM__REPLY_SLOTS 16
struct tzm__peer {
	sa_family_t family;
	uint16_t port; /* network order */
	uint8_t addr[16];
};
struct tzm__replies {
	struct tzm__peer peer[TZM__REPLY_SLOTS];
	unsigned n, next;
};

struct tzm__sfd {
	int host;
	uint8_t kind;
	uint8_t cloexec;
	int sock_type;                /* SOCK_STREAM/DGRAM/SEQPACKET for sockets */
	int sock_domain;              /* AF_* for sockets */
	int sock_proto;               /* IPPROTO_TCP / IPPROTO_UDP for inet sockets */
	char *unix_name;              /* TA-visible bound UNIX path (getsockname) */
	char *path;                   /* directories: absolute TA path, base for *at() calls */
	struct tzm__replies *replies; /* UDP: recent sources (NULL until the first) */
	bool inet_bound;    /* an inet socket known to have a local port (no implicit bind) */
	uint8_t read_more;  /* how a linked read chunk reads it (h_io.c), 0 until known */
	bool no_rwf_nowait; /* preadv2(RWF_NOWAIT) is not supported: tzm__read_nowait polls */
	uint64_t gen;       /* which opening this entry holds (tzm_shadow.fd_gen when added) */
};

/*
 * Serving a TA with several threads (serve.c): one worker thread per lane of the channel
 * (a TA thread's calls, in submission order), started when a second lane shows up.
 */
struct tzm_shadow;
/*
 * How far the dispatcher got with a call before handing it to the lane's worker
 * (serve.c): tried without waiting, and the bytes of a write that try sent.
 */
struct tzm__serve_plan {
	bool try_only; /* the dispatcher: serve only if the call completes without waiting */
	bool tried;    /* tried without waiting already: it did not complete */
	size_t sent;   /* bytes of a write that try sent (the rest is to send) */
};
struct tzm__lane_worker {
	struct tzm_shadow *owner;
	pthread_t thread;
	bool started;
	pthread_cond_t cond;
	unsigned head, count; /* queue of calls taken from the ring, in lane order */
	struct {
		struct tzm_wire_req rq;
		uint32_t slot;
		struct tzm__serve_plan plan;
	} queue[TZM_WIRE_LANE_SLOTS];
	bool busy;            /* serves a call it dequeued (qlock) */
	volatile int in_call; /* executes a call (the signal thread reads it) */
	/*
	 * The seq of the call it serves (0: none; written under qlock, read atomically) and
	 * the seq another TA thread asked to interrupt (an INTERRUPT request): while they are
	 * equal, that call's waits end with EINTR and the signal thread kicks the worker.
	 */
	uint32_t serving_seq;
	uint32_t interrupt_seq;
	bool last_full; /* the lane's last call lets a linked one run */
	bool in_lookup; /* in a name lookup without the lock (tzm__unlock_lookup; lock) */
};

/*
 * A regular file's host number used by calls running without the lock (tzm__unlock, which
 * does not dup regular files: closing the dup would drop the TA's record locks, h_lock.c).
 * retired: the TA closed it meanwhile; the number holds tzm_shadow.inert until the last
 * such call is over.
 */
struct tzm__inuse {
	int host;
	unsigned users;
	bool retired;
};
/* each lane's worker and the server thread: one call each, two descriptors per call */
#define TZM__INUSE_MAX (2 * (TZM_WIRE_MAX_LANES + 1))

struct tzm_shadow {
	struct tzm__sfd fds[TZM_WIRE_MAX_FDS];
	unsigned nopen;
	unsigned max_fds;
	const struct tzm_policy *pol;
	struct tzm_server_transport *tp;
	char cwd[PATH_MAX];
	size_t max_chunk;
	uint64_t calls;
	uint64_t fd_gen; /* openings so far: tells an entry from a later one in its place */
	bool last_full;  /* the last call served lets a linked one run (tzm_wire_link_full) */
	volatile int cancelled; /* set by the signal thread: blocking calls return EINTR */
	volatile int in_call;   /* the server thread executes a request (signal thread reads) */
	bool strict_errno;      /* TZM_SHADOW_STRICT_ERRNO: an errno outside the op's set aborts */
	/*
	 * The READ, RECVFROM, ACCEPT4, WRITE or SENDTO being run must not wait (serve.c, a TA
	 * with several threads: it waits without the lock, on a pin, when nothing is there;
	 * a socket write sends what fits, MSG_DONTWAIT); set and read under `lock`, which
	 * those handlers keep until they have read it. skip: the bytes of a socket write a
	 * try sent already: the handler sends the rest and answers its own count.
	 */
	bool call_nowait;
	size_t skip;
	bool rcvlowat; /* the TA set SO_RCVLOWAT: socket reads are not tried before waiting */
	struct tzm__inuse inuse[TZM__INUSE_MAX]; /* serve.c, under `lock` */
	int inert; /* O_PATH descriptor of "/" that takes a retired number's place; -1: none yet */
	/*
	 * Concurrent serving. `lock` guards everything above while a call is served: calls
	 * run one at a time except while waiting in the kernel for the outside world
	 * (serve.c: prewait) and the syscalls that may block inside (tzm__unlock). `qlock` guards
	 * the workers' queues, `threaded` (a second lane was seen: calls go to the lane workers)
	 * and `stopping`.
	 */
	pthread_mutex_t lock;
	pthread_mutex_t qlock;
	bool threaded;
	volatile int stopping;
	struct tzm__lane_worker *workers; /* TZM_WIRE_MAX_LANES, allocated when threaded */
	/*
	 * Called (without either lock) after an INTERRUPT request marked a call: wakes
	 * whoever repeats the kicks (tzm-run's signal thread, tzm_shadow_kick_workers), as a
	 * kick that lands just before the call's syscall starts is lost. NULL: one kick.
	 */
	void (*interrupt_wake)(void);
};

typedef void (*tzm__handler_fn)(struct tzm_shadow *s, const struct tzm_wire_req *rq, uint8_t *buf,
				size_t cap, struct tzm_wire_resp *rs);

#define TZM__H_DECL(name, ...)                                                                     \
	void tzm__h_##name(struct tzm_shadow *s, const struct tzm_wire_req *rq, uint8_t *buf,      \
			   size_t cap, struct tzm_wire_resp *rs);
TZM_WIRE_OPS(TZM__H_DECL)
#undef TZM__H_DECL

/* h_lock.c: a RECLOCK that may wait for another process's lock (F_SETLKW, F_OFD_SETLKW) */
bool tzm__lock_waits(const struct tzm_wire_req *rq);

/* serve.c */
void tzm_shadow_init(struct tzm_shadow *s, const struct tzm_policy *pol,
		     struct tzm_server_transport *tp);
/* Serves until the transport stops; returns 0 or -EPROTO (the TA broke the protocol). */
int tzm_shadow_serve(struct tzm_shadow *s);
/*
 * Interrupts (TZM_KICK_SIG = sig) the lane workers whose call an INTERRUPT request marked
 * and, with for_signal (a forwarded signal the TA catches is posted and not yet taken),
 * one worker in a call: main's lane's if it is in one, else the lowest lane's (the TA
 * thread that takes the signal hands it on to a thread that does not block it: libtzm).
 * The server thread itself is the caller's to kick (when s->in_call). Returns whether a
 * worker was kicked (the caller repeats the kicks while this is true).
 */
bool tzm_shadow_kick_workers(struct tzm_shadow *s, int sig, bool for_signal);
/* Closes every host fd the TA held (peers see EOF/ECONNRESET). */
void tzm_shadow_close_all(struct tzm_shadow *s);
/* Builds the start record in the data area; returns its length or -errno. */
int tzm_shadow_setup(struct tzm_shadow *s, uint8_t *buf, size_t cap, int argc, char *const argv[],
		     int envc, char *const envp[]);

/* fd table helpers */
void tzm__set_ret(struct tzm_wire_resp *rs, int64_t r); /* r < 0: -1 + errno */
void tzm__set_err(struct tzm_wire_resp *rs, int err);
struct tzm__sfd *tzm__sfd_get(struct tzm_shadow *s, int64_t tafd, struct tzm_wire_resp *rs);
/* Maps a new host fd; returns the TA fd or -1 (host fd closed, rs has EMFILE). */
int tzm__sfd_add(struct tzm_shadow *s, int host, enum tzm__sfd_kind kind, int min,
		 struct tzm_wire_resp *rs);
void tzm__sfd_release(struct tzm_shadow *s, int tafd);
/* The entry of tafd if it still holds the opening `gen` (else another call closed it). */
struct tzm__sfd *tzm__sfd_same(struct tzm_shadow *s, int64_t tafd, uint64_t gen);
/*
 * A call's syscall that may block in the kernel (a FIFO open, connect, flock, a full or
 * empty message queue, a large write, sendfile, recv MSG_WAITALL, name resolution) runs
 * without s->lock when the TA has several threads, so that the TA's other threads' calls
 * go on meanwhile. tzm__unlock (lock held) pins host0 and host1 (< 0: none) with a dup
 * each, so that another thread's close() or dup2() of the TA fd cannot make the syscall
 * act on a reused number, and releases the lock. A regular file is not dup'ed (closing
 * the dup would drop the TA's record locks on it, h_lock.c): its own number is used, and a
 * TA close of it meanwhile leaves an inert descriptor in its place until tzm__relock.
 * Until tzm__relock the handler touches nothing the lock guards (fd table entries,
 * s->cwd, ...): only its own copies, its slot's buffer and u->fd; afterwards an entry may
 * hold another opening (tzm__sfd_same). With one TA thread nothing changes and no syscall
 * is added: u->fd are host0 and host1. tzm__unlock returns false when a dup failed (rs
 * holds the errno, the lock is held).
 */
struct tzm__unlocked {
	int fd[2];   /* the host fds the syscall uses: pinned dups while unlocked */
	bool raw[2]; /* fd[i] is a regular file's own number, not a dup (tzm__inuse) */
	bool active; /* s->lock was released */
	bool lookup; /* tzm__unlock_lookup */
};
bool tzm__unlock(struct tzm_shadow *s, struct tzm__unlocked *u, int host0, int host1,
		 struct tzm_wire_resp *rs);
/*
 * tzm__unlock for getaddrinfo/getnameinfo (pins nothing, cannot fail). glibc's resolver
 * takes the kick's EINTR as a reason to poll again, until its own timeout (seconds per
 * server and try): when the TA ends meanwhile, the shadow leaves the lookup to itself
 * instead of waiting for it (serve.c stop_workers). Until tzm__relock the handler must
 * not touch the data area either.
 */
void tzm__unlock_lookup(struct tzm_shadow *s, struct tzm__unlocked *u, struct tzm_wire_resp *rs);
/* Closes the pins and re-takes s->lock (errno kept). */
void tzm__relock(struct tzm_shadow *s, struct tzm__unlocked *u);
/*
 * Answers a call that created host (< 0: the creating call failed, errno set) with a new
 * TA fd of `kind` mapped to it. Returns the TA fd, or -1 (rs holds the error).
 */
int tzm__sfd_answer(struct tzm_shadow *s, int host, enum tzm__sfd_kind kind, bool cloexec,
		    struct tzm_wire_resp *rs);
/* The same for a pair (pipe2, socketpair): ta[0], ta[1] in aux[0], aux[1]; 0 or -1. */
int tzm__sfd_answer_pair(struct tzm_shadow *s, const int host[2], enum tzm__sfd_kind kind,
			 bool cloexec, struct tzm_wire_resp *rs, int ta[2]);
/*
 * Copies the NUL-terminated string at buf[off..len) out of shared memory into out (the
 * only read); returns its length + 1, or -1 when missing/unterminated/too long.
 */
long tzm__req_str(const uint8_t *buf, size_t len, size_t off, char *out, size_t outlen);
/* tzm__req_str of a path at off in the request blob; false with ENAMETOOLONG/EFAULT in rs. */
bool tzm__req_path(const struct tzm_wire_req *rq, const uint8_t *buf, size_t off, char *out,
		   size_t outlen, struct tzm_wire_resp *rs);
/*
 * The blob old\0new\0 of a two-path request (rename, link, symlink; args[0] = the first
 * one's length with its NUL) copied to p1 and p2, len bytes each; false with EFAULT in rs.
 */
bool tzm__req_two_paths(const struct tzm_wire_req *rq, const uint8_t *buf, char *p1, char *p2,
			size_t len, struct tzm_wire_resp *rs);
/* A length argument of a call that answers in the data area: 0..cap, else EINVAL in rs. */
bool tzm__req_count(int64_t count, size_t cap, struct tzm_wire_resp *rs);
/*
 * A linked read chunk (TZM_REQ_F_LINK, run after a full one): reads at most count bytes
 * of what is available now, never waits and never consumes a pending socket error (h_io.c).
 * Returns the byte count; 0 ends the chain (nothing available, or a kind of descriptor
 * that is not read ahead); -1 with errno only for a regular file's read error.
 */
ssize_t tzm__read_more(struct tzm__sfd *f, uint8_t *buf, size_t count, bool positional, off_t off);
/*
 * A read of f that does not wait (s->call_nowait): -1/EAGAIN when nothing is there now.
 * Per call (preadv2 RWF_NOWAIT; regular files are read as they are), never by setting
 * O_NONBLOCK on the open file description, which the TA may share with other processes
 * (its stdio, dup2(0, n)). Where RWF_NOWAIT is not supported (some character devices):
 * poll, then read what it reported, which only a reader outside the shadow could take
 * first.
 */
ssize_t tzm__read_nowait(struct tzm__sfd *f, uint8_t *buf, size_t count);
/* Whether host has `events` now (poll with timeout 0): accept's test before accepting. */
bool tzm__ready_now(int host, short events);
/*
 * Resolves the parent directory of a TA path under the first policy rule kind in `kinds`
 * (a TZM__K() mask) that allows it, copying the final component to base; logs a denial
 * once. Returns a directory fd or -errno.
 */
#define TZM__K(kind) (1u << TZM_POL_##kind)
int tzm__resolve_parent(struct tzm_shadow *s, int64_t dirfd, const char *path, bool write,
			unsigned kinds, char *base, size_t baselen, const char *what);
/*
 * For creations (mkdir, mkfifo, bind): like tzm__resolve_parent (write access), but a path
 * naming a rule's root directory, which exists, gives -EEXIST (no log), as on Linux.
 */
int tzm__resolve_create(struct tzm_shadow *s, int64_t dirfd, const char *path, unsigned kinds,
			char *base, size_t baselen, const char *what);
/*
 * For operations on an existing name (unlink, rmdir, rename): the parent directory under
 * a rule of `kinds` whose kind is the type of the object found there (fstatat
 * AT_SYMLINK_NOFOLLOW in that directory fd): a fifo rule reaches only FIFOs, a unix rule
 * only sockets, a path rule everything else. *kind receives the rule kind. Returns the
 * directory fd or -errno (-ENOENT when the name does not exist); denials logged once.
 */
int tzm__resolve_existing(struct tzm_shadow *s, int64_t dirfd, const char *path, unsigned kinds,
			  char *base, size_t baselen, const char *what, enum tzm_pol_kind *kind);
/*
 * Absolute path for a TA path: relative ones are relative to the TA directory fd dirfd
 * (its recorded path) or, for AT_FDCWD, to the shadow's working directory. 0 or -errno.
 */
int tzm__abs_path(struct tzm_shadow *s, int64_t dirfd, const char *path, char *out, size_t outlen);

#endif
