/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * TZmediator wire protocol: the only contract between the TA-side library (libtzm) and the
 * shadow process. Everything that crosses the world boundary is defined here: the layout
 * of the shared memory channel, the request/response headers, the opcodes, the errno set
 * and the fixed-layout records carried in the data area. docs/wire-protocol.md explains it.
 *
 * Shared memory channel (one per TA instance, allocated by the shadow):
 *
 *   offset 0      +-------------------------------------------+
 *                 | struct tzm_wire_ctrl (4096 bytes)          |
 *                 |   line 0: magic, version, sizes (shadow)   |
 *                 |   line 1: req_seq, ta_waiting  (TA)        |
 *                 |   line 2: resp_seq, shadow_waiting,        |
 *                 |           shadow_blocking (shadow)         |
 *                 |   line 3: request header  (TA writes)      |
 *                 |   line 4: response header (shadow writes)  |
 *                 |   line 5: signals (both, see below)        |
 *   4096          +-------------------------------------------+
 *                 | data area (data_size bytes, 64 KiB..4 MiB) |
 *                 |   request blob, then response blob         |
 *                 +-------------------------------------------+
 *
 * One call is in flight at a time. The TA writes the request blob and header, then
 * publishes req_seq = n (release). The shadow copies the header, validates, acts, writes
 * the response blob and header, then publishes resp_seq = n. A side that is about to sleep
 * sets its *_waiting word; the peer wakes it only then (no useless wake syscalls).
 *
 * All fields are fixed-width little/host-endian integers; both worlds run on the same CPU
 * architecture (checked through tzm_wire_setup.arch), so raw Linux sockaddr, open flags and
 * errno numbers of that architecture are used as is.
 */
#ifndef TZM_WIRE_H
#define TZM_WIRE_H

#include <assert.h>
#include <stddef.h>
#include <stdint.h>

#define TZM_WIRE_MAGIC 0x314d5a54u /* "TZM1" */
#define TZM_WIRE_VERSION 1u
#define TZM_WIRE_MAX_ARGS 6
#define TZM_WIRE_CTRL_SIZE 4096u
#define TZM_WIRE_DATA_MIN (256u * 1024u)
#define TZM_WIRE_DATA_DEFAULT (1024u * 1024u)
#define TZM_WIRE_DATA_MAX (4u * 1024u * 1024u)
#define TZM_WIRE_MAX_FDS 1024u /* TA fd numbers are 0..TZM_WIRE_MAX_FDS-1 */
#define TZM_WIRE_MAX_PATH 4096u
#define TZM_WIRE_MAX_SOCKADDR 128u
#define TZM_WIRE_MAX_AI 64u /* addrinfo entries per getaddrinfo */
#define TZM_WIRE_MAX_POLLFDS 4096u
#define TZM_WIRE_MAX_EVENTS 1024u /* epoll_wait maxevents */

/*
 * The TA command that runs main(): [in/out] param 0 MEMREF_INOUT = the whole channel,
 * [out] param 1 VALUE_OUTPUT a = exit status (0..255), b = TZM_RUN_F_* flags.
 */
#define TZM_TA_CMD_RUN_MAIN 0x545a0001u
#define TZM_RUN_F_CANCELLED 0x1u
/* The program died of a signal: value a = its number (Linux numbering), not an exit status. */
#define TZM_RUN_F_SIGNALED 0x2u

#if defined(__x86_64__)
#define TZM_WIRE_ARCH 1u
#elif defined(__aarch64__)
#define TZM_WIRE_ARCH 2u
#else
#define TZM_WIRE_ARCH 0u
#endif

/*
 * Opcodes. X(name, errno class). A dirfd argument is a TA directory fd or AT_FDCWD (-100)
 * for paths relative to the shadow's working directory. Each opcode's arguments are documented in
 * docs/wire-protocol.md; [in] = request args/blob, [out] = response ret/aux/blob.
 * The order is the ABI: append only.
 */
#define TZM_WIRE_OPS(X)                                                                            \
	X(NOP, MISC)           /* [in] -            [out] ret 0 */                                 \
	X(CLOSE, IO)           /* [in] a0 fd */                                                    \
	X(READ, IO)            /* [in] a0 fd a1 count          [out] blob data */                  \
	X(WRITE, IO)           /* [in] a0 fd blob data         [out] ret count */                  \
	X(PREAD, IO)           /* [in] a0 fd a1 count a2 off   [out] blob data */                  \
	X(PWRITE, IO)          /* [in] a0 fd a2 off blob data */                                   \
	X(LSEEK, FILE)         /* [in] a0 fd a1 off a2 whence  [out] ret offset */                 \
	X(FSYNC, FILE)         /* [in] a0 fd */                                                    \
	X(FTRUNCATE, FILE)     /* [in] a0 fd a1 length */                                          \
	X(FSTAT, FILE)         /* [in] a0 fd                   [out] blob tzm_wire_stat */         \
	X(FCNTL, IO)           /* [in] a0 fd a1 cmd a2 arg     [out] ret */                        \
	X(DUP, IO)             /* [in] a0 fd a1 newfd(-1: lowest) [out] ret new fd */              \
	X(OPENAT, FILE)        /* [in] a0 flags a1 mode a2 dirfd blob path [out] ret fd */         \
	X(STAT, FILE)          /* [in] a0 nofollow a1 dirfd blob path [out] tzm_wire_stat */       \
	X(UNLINK, FILE)        /* [in] a0 is_rmdir a1 dirfd blob path */                           \
	X(RENAME, FILE)        /* [in] a0 len(old) a1 olddirfd a2 newdirfd blob old\0new\0 */      \
	X(MKDIR, FILE)         /* [in] a0 mode a1 dirfd blob path */                               \
	X(MKFIFO, FILE)        /* [in] a0 mode a1 dirfd blob path */                               \
	X(GETDENTS, FILE)      /* [in] a0 fd a1 max bytes      [out] blob tzm_wire_dirent... */    \
	X(PIPE2, IO)           /* [in] a0 flags                [out] aux0 rfd aux1 wfd */          \
	X(SOCKET, SOCK)        /* [in] a0 domain a1 type a2 proto [out] ret fd */                  \
	X(SOCKETPAIR, SOCK)    /* [in] a0 domain a1 type a2 proto [out] aux0, aux1 fds */          \
	X(BIND, SOCK)          /* [in] a0 fd blob sockaddr */                                      \
	X(LISTEN, SOCK)        /* [in] a0 fd a1 backlog */                                         \
	X(ACCEPT4, SOCK)       /* [in] a0 fd a1 flags a2 want addr [out] ret fd blob sockaddr */   \
	X(CONNECT, SOCK)       /* [in] a0 fd blob sockaddr */                                      \
	X(SENDTO, SOCK)        /* [in] a0 fd a1 flags a2 addrlen blob addr+data [out] ret */       \
	X(RECVFROM, SOCK)      /* [in] a0 fd a1 count a2 flags a3 want addr                        \
				  [out] ret count, aux0 addrlen, aux1 msg_flags, blob data+addr */ \
	X(SHUTDOWN, SOCK)      /* [in] a0 fd a1 how */                                             \
	X(GETSOCKOPT, SOCK)    /* [in] a0 fd a1 level a2 name a3 optlen [out] blob optval */       \
	X(SETSOCKOPT, SOCK)    /* [in] a0 fd a1 level a2 name blob optval */                       \
	X(GETSOCKNAME, SOCK)   /* [in] a0 fd                   [out] blob sockaddr */              \
	X(GETPEERNAME, SOCK)   /* [in] a0 fd                   [out] blob sockaddr */              \
	X(GETADDRINFO, NETDB)  /* [in] a0 flags a1 family a2 socktype a3 proto a4 has node         \
				  a5 has service blob node\0service\0                              \
				  [out] ret gai code, aux0 count, blob tzm_wire_ai... canon */     \
	X(GETNAMEINFO, NETDB)  /* [in] a0 flags a1 hostlen a2 servlen blob sockaddr                \
				  [out] ret gai code, blob host\0serv\0 */                         \
	X(POLL, POLL)          /* [in] a0 nfds a1 timeout ms blob tzm_wire_pollfd[]                \
				  [out] ret, blob tzm_wire_pollfd[] */                             \
	X(EPOLL_CREATE1, POLL) /* [in] a0 flags                [out] ret fd */                     \
	X(EPOLL_CTL, POLL)     /* [in] a0 epfd a1 op a2 fd a3 events a4 data */                    \
	X(EPOLL_WAIT, POLL)    /* [in] a0 epfd a1 maxevents a2 timeout                             \
				  [out] ret, blob tzm_wire_epoll_event[] */                        \
	X(MQ_OPEN, MQ)         /* [in] a0 oflag a1 mode a2 has attr a3 maxmsg a4 msgsize           \
				  blob name [out] ret fd */                                        \
	X(MQ_SEND, MQ)         /* [in] a0 fd a1 prio blob msg */                                   \
	X(MQ_RECEIVE, MQ)      /* [in] a0 fd a1 len [out] ret len, aux0 prio, blob msg */          \
	X(MQ_UNLINK, MQ)       /* [in] blob name */                                                \
	X(MQ_GETATTR, MQ)      /* [in] a0 fd [out] aux0 flags aux1 maxmsg aux2 msgsize aux3 cur*/  \
	X(CLOCK_GETTIME, MISC) /* [in] a0 clock id [out] aux0 sec aux1 nsec */                     \
	X(ACCESS, FILE)        /* [in] a0 mode a1 dirfd blob path */                               \
	X(ISATTY, IO)          /* [in] a0 fd                   [out] ret 1 (or ENOTTY) */          \
	X(UMASK, MISC)         /* [in] a0 new mask (0..0777)   [out] ret old mask */               \
	X(UNAME, MISC)         /* [in] -                       [out] blob tzm_wire_utsname */      \
	X(GETCWD, FILE)        /* [in] -                 [out] ret len, blob path\0 (len B) */     \
	X(CHDIR, FILE)         /* [in] a0 fd (fchdir) or -1 with blob path */                      \
	X(FCHMOD, FILE)        /* [in] a0 fd a1 mode */                                            \
	X(CHMOD, FILE)         /* [in] a0 mode a1 dirfd a2 nofollow blob path */                   \
	X(FCHOWN, FILE)        /* [in] a0 fd a1 uid a2 gid */                                      \
	X(CHOWN, FILE)         /* [in] a0 uid a1 gid a2 dirfd a3 nofollow blob path */             \
	X(UTIMENS, FILE)       /* [in] a0 dirfd, or fd if no blob a1 nofollow a2 atime sec         \
				  a3 atime nsec a4 mtime sec a5 mtime nsec [blob path] */          \
	X(TRUNCATE, FILE)      /* [in] a0 length blob path */                                      \
	X(SYMLINK, FILE)       /* [in] a0 len(target) a1 dirfd blob target\0path\0 */              \
	X(READLINK, FILE)      /* [in] a0 dirfd a1 bufsize blob path [out] ret len blob text */    \
	X(LINK, FILE)          /* [in] a0 len(old) a1 olddirfd a2 newdirfd a3 flags                \
				  blob old\0new\0 */                                               \
	X(REALPATH, FILE)      /* [in] blob path     [out] ret len, blob resolved path\0 */        \
	X(FLOCK, FILE)         /* [in] a0 fd a1 operation */                                       \
	X(SENDFILE, IO)        /* [in] a0 out fd a1 in fd a2 count a3 has offset a4 offset         \
				  [out] ret count, aux0 new offset */                              \
	X(EVENTFD, IO)         /* [in] a0 initial value a1 flags [out] ret fd */                   \
	X(TIMERFD_CREATE, IO)  /* [in] a0 clock id a1 flags      [out] ret fd */                   \
	X(TIMERFD_SETTIME, IO) /* [in] a0 fd a1 flags a2 interval sec a3 interval nsec             \
				  a4 value sec a5 value nsec [out] aux0-3 old interval, value */   \
	X(TIMERFD_GETTIME, IO) /* [in] a0 fd [out] aux0-3 interval sec/nsec, value sec/nsec */     \
	X(SETITIMER, MISC)     /* [in] a0 which (ITIMER_REAL) a1 value us a2 interval us           \
				  a3 1: only read it [out] aux0 old value us aux1 old interval */  \
	X(GETPGSID, MISC)      /* [in] -        [out] aux0 shadow's process group aux1 session */

enum tzm_wire_op {
#define TZM__OP_ENUM(name, cls) TZM_OP_##name,
	TZM_WIRE_OPS(TZM__OP_ENUM)
#undef TZM__OP_ENUM
	TZM_OP__COUNT
};

/* Errno classes: which errno values a response to an opcode may carry (Iago defence). */
enum tzm_wire_errclass {
	TZM_ERRCLASS_MISC,
	TZM_ERRCLASS_IO,
	TZM_ERRCLASS_FILE,
	TZM_ERRCLASS_SOCK,
	TZM_ERRCLASS_NETDB,
	TZM_ERRCLASS_POLL,
	TZM_ERRCLASS_MQ,
	TZM_ERRCLASS__COUNT
};

/* Request header. Written by the TA only; the shadow copies it once before use. */
struct tzm_wire_req {
	uint32_t opcode;
	uint32_t seq;      /* equals ctrl.req_seq when published */
	uint32_t data_len; /* request blob length at the start of the data area */
	uint32_t flags;    /* reserved, 0 */
	int64_t args[TZM_WIRE_MAX_ARGS];
};
static_assert(sizeof(struct tzm_wire_req) == 64, "tzm_wire_req layout");

/* Response header. Written by the shadow only; libtzm copies and validates it. */
struct tzm_wire_resp {
	uint32_t seq;      /* echoes the request seq */
	int32_t err;       /* Linux errno, 0 on success; ret == -1 iff err != 0 (syscall ops) */
	int64_t ret;       /* return value */
	uint32_t data_len; /* response blob length at the start of the data area */
	uint32_t reserved;
	int64_t aux[5];
};
static_assert(sizeof(struct tzm_wire_resp) == 64, "tzm_wire_resp layout");

#define TZM_WIRE_LINE 64

/* ctrl.flags (set by the shadow at setup) */
#define TZM_CTRL_F_SHADOW_FUTEX 0x1u /* the shadow sleeps on a futex: TA may wake it */
/* ctrl.ta_caps (set by the TA when it attaches) */
#define TZM_CAP_TA_FUTEX 0x1u   /* the TA sleeps on a futex: shadow wakes it, else polls */
#define TZM_CAP_TA_SIGNALS 0x2u /* the TA takes sig_pending and publishes ta_sig_* (line 5) */

/*
 * Signals (line 5). The shadow forwards the signals a normal-world peer or user can send
 * to `tzm run` (TZM_WIRE_SIG_FORWARDED; bit n = Linux signal n of the architecture): it
 * ORs the bit into sig_pending (atomic) and wakes a TA sleeping on that word (futex);
 * the TA takes the whole set with an atomic exchange to 0 at every call boundary and in
 * its waits, and rejects a set holding any other bit (EIO). The TA publishes in
 * ta_sig_catch the forwarded signals that would interrupt it now (not blocked, not
 * ignored) and in ta_sig_default those of them whose action ends it; both are hints for
 * the shadow (whether to interrupt the call it serves, whether to end a TA that does not
 * react), never trusted for anything else. ta_exit_signal: the signal the program died of
 * (local transport, where the exit path is the process status; GP: TZM_RUN_F_SIGNALED).
 */
#define TZM_WIRE_SIG_BIT(n) (1u << (n))
#define TZM_WIRE_SIG_FORWARDED                                                                     \
	(TZM_WIRE_SIG_BIT(1) | TZM_WIRE_SIG_BIT(2) | TZM_WIRE_SIG_BIT(3) | TZM_WIRE_SIG_BIT(10) |  \
	 TZM_WIRE_SIG_BIT(12) | TZM_WIRE_SIG_BIT(14) |                                             \
	 TZM_WIRE_SIG_BIT(15)) /* HUP INT QUIT USR1 USR2 ALRM TERM */

struct tzm_wire_ctrl {
	/* line 0: written by the shadow before the TA starts, read-only afterwards */
	uint32_t magic;
	uint32_t version;
	uint32_t data_size;
	uint32_t flags;
	uint32_t setup_len; /* tzm_wire_setup + strings at the start of the data area */
	uint32_t reserved0[11];
	/* line 1: written by the TA */
	uint32_t req_seq;
	uint32_t ta_waiting;
	uint32_t ta_caps;
	uint32_t ta_attached;
	/*
	 * Diagnostics, not protocol: per TA wait kind (quick, input, output, event) the number
	 * of answers found while spinning and after sleeping. The shadow only prints them
	 * (TZM_CHAN_STATS=1); nothing depends on their values.
	 */
	uint32_t ta_stats[8];
	/*
	 * Scheduling hints, not protocol: 1 + the CPU the side last ran on when it published
	 * (0: unknown). A waiter whose peer sits on its own CPU yields instead of spinning.
	 * A wrong value only costs speed.
	 */
	uint32_t ta_cpu;
	/*
	 * Diagnostics, not protocol: low 32 bits of the TA's CPU counter when it published
	 * the current request and when it saw the last answer. With TZM_CHAN_STATS=1 the
	 * shadow turns them into a per-call timeline; nothing else reads them.
	 */
	uint32_t ta_post_tick;
	uint32_t ta_seen_tick;
	uint32_t reserved1[1];
	/* line 2: written by the shadow */
	uint32_t resp_seq;
	uint32_t shadow_waiting;
	uint32_t cancel;   /* set when the user interrupted the run (Ctrl-C, SIGTERM) */
	uint32_t shutdown; /* set by the shadow when it stops serving */
	/*
	 * Channel control (not part of any call's layout): seq of the call whose syscall the
	 * shadow is about to block in (read without data, accept...). The TA's doorbell wait
	 * uses it to choose its spin budget; 0 / an older seq means "not blocking".
	 */
	uint32_t shadow_blocking;
	uint32_t shadow_cpu; /* like ta_cpu */
	uint32_t reserved2[10];
	/* line 3, 4: headers */
	struct tzm_wire_req req;
	struct tzm_wire_resp resp;
	/* line 5: signals (see TZM_WIRE_SIG_FORWARDED) */
	uint32_t sig_pending;    /* shadow ORs bits in, the TA exchanges them out */
	uint32_t ta_sig_catch;   /* TA */
	uint32_t ta_sig_default; /* TA */
	uint32_t ta_exit_signal; /* TA */
	uint32_t reserved5[12];
	uint8_t reserved3[TZM_WIRE_CTRL_SIZE - 6 * TZM_WIRE_LINE];
};
static_assert(sizeof(struct tzm_wire_ctrl) == TZM_WIRE_CTRL_SIZE, "tzm_wire_ctrl layout");
static_assert(offsetof(struct tzm_wire_ctrl, sig_pending) == 5 * TZM_WIRE_LINE,
	      "tzm_wire_ctrl line 5");

/*
 * Start record, placed by the shadow at the start of the data area before CMD_RUN_MAIN:
 * the header, then argc NUL-terminated arguments, then envc NUL-terminated NAME=VALUE.
 */
struct tzm_wire_setup {
	uint32_t version;
	uint32_t arch;
	uint32_t argc;
	uint32_t envc;
	uint32_t strings_len;
	uint32_t max_chunk; /* max blob bytes per call ("bytes in flight") */
	uint32_t max_fds;
	uint32_t stdio_tty; /* bit n: shadow fd n is a terminal */
	int32_t pid;
	int32_t ppid;
	uint32_t uid;
	uint32_t gid;
	uint32_t euid;
	uint32_t egid;
	uint32_t reserved[2];
};
static_assert(sizeof(struct tzm_wire_setup) == 64, "tzm_wire_setup layout");
#define TZM_WIRE_MAX_ARGV 1024u

/* struct stat in fixed layout */
struct tzm_wire_stat {
	uint64_t dev;
	uint64_t ino;
	uint32_t mode;
	uint32_t nlink;
	uint32_t uid;
	uint32_t gid;
	uint64_t rdev;
	int64_t size;
	int64_t blksize;
	int64_t blocks;
	int64_t atime_sec;
	int64_t atime_nsec;
	int64_t mtime_sec;
	int64_t mtime_nsec;
	int64_t ctime_sec;
	int64_t ctime_nsec;
};
static_assert(sizeof(struct tzm_wire_stat) == 112, "tzm_wire_stat layout");

/* Directory entry record; name follows (namelen bytes, no NUL), record padded to 8. */
struct tzm_wire_dirent {
	uint64_t ino;
	uint8_t type;
	uint8_t reserved;
	uint16_t namelen;
	uint32_t reclen; /* header + name, rounded up to 8 */
};
static_assert(sizeof(struct tzm_wire_dirent) == 16, "tzm_wire_dirent layout");

struct tzm_wire_pollfd {
	int32_t fd;
	int16_t events;
	int16_t revents;
};
static_assert(sizeof(struct tzm_wire_pollfd) == 8, "tzm_wire_pollfd layout");

struct tzm_wire_epoll_event {
	uint32_t events;
	uint32_t reserved;
	uint64_t data;
};
static_assert(sizeof(struct tzm_wire_epoll_event) == 16, "tzm_wire_epoll_event layout");

/* uname(): six NUL-terminated fields of 65 bytes, as Linux's struct utsname */
#define TZM_WIRE_UTS_LEN 65u
struct tzm_wire_utsname {
	char sysname[TZM_WIRE_UTS_LEN];
	char nodename[TZM_WIRE_UTS_LEN];
	char release[TZM_WIRE_UTS_LEN];
	char version[TZM_WIRE_UTS_LEN];
	char machine[TZM_WIRE_UTS_LEN];
	char domainname[TZM_WIRE_UTS_LEN];
};
static_assert(sizeof(struct tzm_wire_utsname) == 390, "tzm_wire_utsname layout");

/* One getaddrinfo result; the canonical name (if any) follows the array, NUL-terminated. */
struct tzm_wire_ai {
	int32_t flags;
	int32_t family;
	int32_t socktype;
	int32_t protocol;
	uint32_t addrlen;
	uint32_t reserved;
	uint8_t addr[32]; /* sockaddr_in or sockaddr_in6 */
};
static_assert(sizeof(struct tzm_wire_ai) == 56, "tzm_wire_ai layout");

#endif /* TZM_WIRE_H */
