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
 *                 | struct tzm_wire_ctrl (TZM_WIRE_CTRL_SIZE)  |
 *                 |   line 0: magic, version, sizes, lanes     |
 *                 |           (shadow)                         |
 *                 |   line 1: req_seq, ta_waiting, sq_last     |
 *                 |           (TA)                             |
 *                 |   line 2: resp_seq, shadow_waiting,        |
 *                 |           shadow_blocking, cq_last (shadow)|
 *                 |   line 3: TA diagnostics (TA)              |
 *                 |   line 5: signals (both, see below)        |
 *                 |   lines 8-11: submission ring (TA writes)  |
 *                 |   lines 12-15: completion ring (shadow)    |
 *                 |   lines 16-143: TZM_WIRE_SLOTS call slots: |
 *                 |     request header (TA), response (shadow) |
 *                 |   lines 144-175: one doorbell per lane     |
 *                 |     (lane_bell: shadow counts, TA sleeps)  |
 *   CTRL_SIZE     +-------------------------------------------+
 *                 | data area (data_size bytes,                |
 *                 |   TZM_WIRE_DATA_MIN..TZM_WIRE_DATA_MAX),   |
 *                 |   cut into 2 * lanes equal slot areas      |
 *                 |   (request blob, then response blob)       |
 *                 +-------------------------------------------+
 *
 * Version 3: lanes. The slots are grouped in lanes of TZM_WIRE_LANE_SLOTS (slot i belongs
 * to lane i / TZM_WIRE_LANE_SLOTS); the shadow says at setup how many lanes the channel
 * has (ctrl.lanes, 1..TZM_WIRE_MAX_LANES, from the data area's size); only the slots of
 * those lanes may be used. libtzm gives each TA thread a lane of its own. The TA writes a
 * call's request blob into a free slot's area and its header into that slot, puts the
 * slot number into the submission ring at sq[n % TZM_WIRE_RING] with req.seq = n + 1,
 * and publishes req_seq = n + 1 (release). The shadow takes submissions strictly in ring
 * order and copies each header once; it runs the calls of one lane one after another in
 * submission order, and those of different lanes concurrently (a call blocked in the
 * kernel for one TA thread does not stall the others). It writes the response blob and
 * header into the call's slot, puts the call's seq into the completion ring at
 * cq[m % TZM_WIRE_RING] and publishes resp_seq = m + 1. Completions of one lane come in
 * that lane's submission order; those of different lanes in any order. The TA refuses
 * anything else: a completion for a seq never submitted or already completed, one that
 * overtakes an older call of its lane, or more completions than calls in flight (the
 * channel is then broken: every call fails with EIO).
 * A call with TZM_REQ_F_LINK runs only if the call submitted just before it on the same
 * lane transferred everything it asked for (tzm_wire_link_full); otherwise the shadow
 * completes it with TZM_RESP_F_SKIPPED and does nothing (the shape of io_uring's
 * IOSQE_IO_LINK), so a split write keeps the result a single write would have had. A side
 * that is about to sleep counts itself in its *_waiting word; the peer wakes it only then
 * (no useless wake syscalls).
 * Version 4 adds to version 3 the last submission and the last completion in the
 * sequence words' own lines (sq_last, cq_last: the peer finds the call it expects
 * without reading a ring line, one cache-line transfer less each way) and moves the TA's
 * diagnostics out of line 1, which the shadow polls.
 * Version 5 has version 4's layout and adds the INTERRUPT request (one TA
 * thread has the shadow interrupt another thread's blocked call: pthread_kill,
 * pthread_cancel) and lets the shadow interrupt any lane's blocked call for a forwarded
 * signal, not only lane 0's; a version-4 libtzm would hand such an EINTR to the program.
 * Version 6 (this one) adds a doorbell per lane (lane_bell, lines 144-175): after
 * publishing a completion the shadow also counts it in the doorbell of the call's lane and
 * wakes only a TA thread asleep on that doorbell. A TA thread waits (spins, then sleeps)
 * on its own lane's doorbell, not on resp_seq, so a completion wakes the one thread it is
 * for instead of every waiting thread (with 16 TA threads each completion woke 15 for
 * nothing, each of which took the channel's lock to find nothing); a TA thread alone on
 * the channel (one lane given out) still waits on resp_seq (ta_waiting), whose line it
 * reads anyway, and the shadow wakes it there as before. A doorbell is a hint:
 * the TA reads the completion ring after every ring of it and validates what it finds
 * there exactly as before; a version-5 shadow would never ring it.
 * Versions 1 to 5 are refused by both sides.
 *
 * All fields are fixed-width little/host-endian integers; both worlds run on the same CPU
 * architecture (checked through tzm_wire_setup.arch), so raw Linux sockaddr and open flags
 * of that architecture are used as is. Errno values are Linux's generic numbers, listed in
 * TZM_WIRE_ERRNOS below.
 */
#ifndef TZM_WIRE_H
#define TZM_WIRE_H

#include <assert.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define TZM_WIRE_MAGIC 0x314d5a54u /* "TZM1" */
#define TZM_WIRE_VERSION 6u
#define TZM_WIRE_MAX_LANES 32u /* lanes per channel: TA threads with calls at a time */
#define TZM_WIRE_LANE_SLOTS 2u /* call slots per lane (one slot area each) */
#define TZM_WIRE_SLOTS (TZM_WIRE_MAX_LANES * TZM_WIRE_LANE_SLOTS)
#define TZM_WIRE_RING 64u /* entries of each ring (a power of two, >= TZM_WIRE_SLOTS) */
#define TZM_WIRE_MAX_ARGS 6
#define TZM_WIRE_CTRL_SIZE 12288u
#define TZM_WIRE_DATA_MIN (256u * 1024u)
/* data bytes per lane the shadow plans for: lanes = data_size / this, 1..MAX_LANES */
#define TZM_WIRE_LANE_DATA (2u * 1024u * 1024u) /* 1 MiB per slot */
#define TZM_WIRE_DATA_DEFAULT (TZM_WIRE_MAX_LANES * TZM_WIRE_LANE_DATA)
#define TZM_WIRE_DATA_MAX TZM_WIRE_DATA_DEFAULT
#define TZM_WIRE_MAX_FDS 1024u /* TA fd numbers are 0..TZM_WIRE_MAX_FDS-1 */
#define TZM_WIRE_MAX_PATH 4096u
#define TZM_WIRE_MAX_SOCKADDR 128u
#define TZM_WIRE_MAX_AI 64u /* addrinfo entries per getaddrinfo */
#define TZM_WIRE_MAX_POLLFDS 4096u
#define TZM_WIRE_MAX_EVENTS 1024u /* epoll_wait maxevents */
#define TZM_WIRE_MAX_IFS 512u     /* getifaddrs / if_nameindex records per answer */

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
 * Errno values on the wire. `err` (and the resolvers' EAI_SYSTEM errno in aux[2]) carries
 * Linux's generic errno numbers (asm-generic/errno*.h: x86_64 and aarch64 both use them);
 * only the values listed here may cross the wire at all. Each side checks at compile time
 * that its <errno.h> agrees (TZM_WIRE_ERRNO_CHECK), so a port to an ABI with other numbers
 * fails to build instead of misreporting errors. X(name, Linux number), ascending.
 */
#define TZM_WIRE_ERRNOS(X)                                                                         \
	X(EPERM, 1)                                                                                \
	X(ENOENT, 2)                                                                               \
	X(EINTR, 4)                                                                                \
	X(EIO, 5)                                                                                  \
	X(ENXIO, 6)                                                                                \
	X(EBADF, 9)                                                                                \
	X(EAGAIN, 11)                                                                              \
	X(ENOMEM, 12)                                                                              \
	X(EACCES, 13)                                                                              \
	X(EFAULT, 14)                                                                              \
	X(EBUSY, 16)                                                                               \
	X(EEXIST, 17)                                                                              \
	X(EXDEV, 18)                                                                               \
	X(ENODEV, 19)                                                                              \
	X(ENOTDIR, 20)                                                                             \
	X(EISDIR, 21)                                                                              \
	X(EINVAL, 22)                                                                              \
	X(ENFILE, 23)                                                                              \
	X(EMFILE, 24)                                                                              \
	X(ENOTTY, 25)                                                                              \
	X(ETXTBSY, 26)                                                                             \
	X(EFBIG, 27)                                                                               \
	X(ENOSPC, 28)                                                                              \
	X(ESPIPE, 29)                                                                              \
	X(EROFS, 30)                                                                               \
	X(EMLINK, 31)                                                                              \
	X(EPIPE, 32)                                                                               \
	X(EDEADLK, 35)                                                                             \
	X(ENAMETOOLONG, 36)                                                                        \
	X(ENOLCK, 37)                                                                              \
	X(ENOSYS, 38)                                                                              \
	X(ENOTEMPTY, 39)                                                                           \
	X(ELOOP, 40)                                                                               \
	X(EPROTO, 71)                                                                              \
	X(EOVERFLOW, 75)                                                                           \
	X(ENOTSOCK, 88)                                                                            \
	X(EDESTADDRREQ, 89)                                                                        \
	X(EMSGSIZE, 90)                                                                            \
	X(EPROTOTYPE, 91)                                                                          \
	X(ENOPROTOOPT, 92)                                                                         \
	X(EPROTONOSUPPORT, 93)                                                                     \
	X(ESOCKTNOSUPPORT, 94)                                                                     \
	X(EOPNOTSUPP, 95)                                                                          \
	X(EAFNOSUPPORT, 97)                                                                        \
	X(EADDRINUSE, 98)                                                                          \
	X(EADDRNOTAVAIL, 99)                                                                       \
	X(ENETDOWN, 100)                                                                           \
	X(ENETUNREACH, 101)                                                                        \
	X(ECONNABORTED, 103)                                                                       \
	X(ECONNRESET, 104)                                                                         \
	X(ENOBUFS, 105)                                                                            \
	X(EISCONN, 106)                                                                            \
	X(ENOTCONN, 107)                                                                           \
	X(ESHUTDOWN, 108)                                                                          \
	X(ETIMEDOUT, 110)                                                                          \
	X(ECONNREFUSED, 111)                                                                       \
	X(EHOSTDOWN, 112)                                                                          \
	X(EHOSTUNREACH, 113)                                                                       \
	X(EALREADY, 114)                                                                           \
	X(EINPROGRESS, 115)                                                                        \
	X(ESTALE, 116)                                                                             \
	X(EDQUOT, 122)

enum tzm_wire_errno {
#define TZM__ERRNO_ENUM(name, num) TZM_WIRE_##name = (num),
	TZM_WIRE_ERRNOS(TZM__ERRNO_ENUM)
#undef TZM__ERRNO_ENUM
};

/* Errno sets are bitmaps of TZM_WIRE_ERRNO_WORDS 64-bit words indexed by the number. */
#define TZM_WIRE_ERRNO_WORDS 3
#define TZM_WIRE_ERRNO_LIMIT (64 * TZM_WIRE_ERRNO_WORDS)
#define TZM__ERRNO_RANGE(name, num)                                                                \
	static_assert((num) > 0 && (num) < TZM_WIRE_ERRNO_LIMIT, #name " fits the errno bitmaps");
TZM_WIRE_ERRNOS(TZM__ERRNO_RANGE)
#undef TZM__ERRNO_RANGE

/*
 * In a file that includes <errno.h>: TZM_WIRE_ERRNOS(TZM_WIRE_ERRNO_CHECK) fails the build
 * if the C library's number for a wire errno differs from the wire's.
 */
#define TZM_WIRE_ERRNO_CHECK(name, num)                                                            \
	static_assert(name == (num), #name " is not the wire's (Linux generic) number");

/*
 * Named errno sets: which errno values an answer to an opcode may carry. This is an Iago
 * defence, not documentation: libtzm rejects an answer whose errno is outside its
 * opcode's set as malformed (EIO), and the shadow treats a handler producing one as its
 * own bug (serve.c). Sets compose other sets; duplicates are harmless. Each set is
 * X(arg, errno name) so the users can pass an argument through (the bitmap word).
 */
/*
 * What any call may answer: the serve loop's own EINVAL/EINTR/ENOSYS, policy denials, the
 * shadow's resource limits.
 */
#define TZM_ERRS_COMMON(X, a)                                                                      \
	X(a, EINTR)                                                                                \
	X(a, EIO)                                                                                  \
	X(a, ENOMEM)                                                                               \
	X(a, EINVAL)                                                                               \
	X(a, EBADF)                                                                                \
	X(a, EACCES)                                                                               \
	X(a, EPERM)                                                                                \
	X(a, ENOSYS)                                                                               \
	X(a, EOPNOTSUPP)                                                                           \
	X(a, EMFILE)                                                                               \
	X(a, ENFILE)                                                                               \
	X(a, EAGAIN)                                                                               \
	X(a, ENOBUFS)                                                                              \
	X(a, EFAULT)
#define TZM_ERRS_MISC(X, a) TZM_ERRS_COMMON(X, a)
/* calls on one descriptor that do no I/O (close never reports the host's close errors) */
#define TZM_ERRS_FD(X, a) TZM_ERRS_COMMON(X, a)
#define TZM_ERRS_FSTAT(X, a) TZM_ERRS_COMMON(X, a) X(a, EOVERFLOW)
#define TZM_ERRS_SEEK(X, a) TZM_ERRS_COMMON(X, a) X(a, ESPIPE) X(a, EOVERFLOW) X(a, ENXIO)
#define TZM_ERRS_SYNC(X, a) TZM_ERRS_COMMON(X, a) X(a, EROFS) X(a, ENOSPC) X(a, EDQUOT)
#define TZM_ERRS_TTY(X, a) TZM_ERRS_COMMON(X, a) X(a, ENOTTY)
/* descriptors of any kind: files, pipes, sockets, terminals */
#define TZM_ERRS_IO(X, a)                                                                          \
	TZM_ERRS_COMMON(X, a)                                                                      \
	X(a, EPIPE)                                                                                \
	X(a, ECONNRESET)                                                                           \
	X(a, ENOTCONN)                                                                             \
	X(a, ENOSPC)                                                                               \
	X(a, EFBIG)                                                                                \
	X(a, EDQUOT)                                                                               \
	X(a, EISDIR)                                                                               \
	X(a, EDESTADDRREQ)                                                                         \
	X(a, ETIMEDOUT)                                                                            \
	X(a, ESPIPE)                                                                               \
	X(a, ENXIO)                                                                                \
	X(a, EOVERFLOW)                                                                            \
	X(a, EBUSY)                                                                                \
	X(a, EMSGSIZE)                                                                             \
	X(a, ECONNREFUSED)                                                                         \
	X(a, EHOSTUNREACH)                                                                         \
	X(a, ENETUNREACH)                                                                          \
	X(a, ENETDOWN)                                                                             \
	X(a, ENOTSOCK)                                                                             \
	X(a, ENOTTY)                                                                               \
	X(a, EROFS)
/* path names and file system objects */
#define TZM_ERRS_FILE(X, a)                                                                        \
	TZM_ERRS_COMMON(X, a)                                                                      \
	X(a, ENOENT)                                                                               \
	X(a, EEXIST)                                                                               \
	X(a, ENOTDIR)                                                                              \
	X(a, EISDIR)                                                                               \
	X(a, ENAMETOOLONG)                                                                         \
	X(a, ELOOP)                                                                                \
	X(a, EROFS)                                                                                \
	X(a, ENOTEMPTY)                                                                            \
	X(a, EXDEV)                                                                                \
	X(a, EBUSY)                                                                                \
	X(a, ETXTBSY)                                                                              \
	X(a, ENXIO)                                                                                \
	X(a, ENOSPC)                                                                               \
	X(a, EDQUOT)                                                                               \
	X(a, EFBIG)                                                                                \
	X(a, EOVERFLOW)                                                                            \
	X(a, ESPIPE)                                                                               \
	X(a, EMLINK)                                                                               \
	X(a, ENODEV)                                                                               \
	X(a, ESTALE)                                                                               \
	X(a, ENOLCK)
/* sockets (UNIX sockets have path names) */
#define TZM_ERRS_SOCK(X, a)                                                                        \
	TZM_ERRS_COMMON(X, a)                                                                      \
	X(a, EADDRINUSE)                                                                           \
	X(a, EADDRNOTAVAIL)                                                                        \
	X(a, EAFNOSUPPORT)                                                                         \
	X(a, EPROTONOSUPPORT)                                                                      \
	X(a, EPROTOTYPE)                                                                           \
	X(a, ENOPROTOOPT)                                                                          \
	X(a, ESOCKTNOSUPPORT)                                                                      \
	X(a, EISCONN)                                                                              \
	X(a, ENOTCONN)                                                                             \
	X(a, ECONNREFUSED)                                                                         \
	X(a, ECONNRESET)                                                                           \
	X(a, ECONNABORTED)                                                                         \
	X(a, EALREADY)                                                                             \
	X(a, EINPROGRESS)                                                                          \
	X(a, ENETUNREACH)                                                                          \
	X(a, EHOSTUNREACH)                                                                         \
	X(a, ENETDOWN)                                                                             \
	X(a, ETIMEDOUT)                                                                            \
	X(a, EPIPE)                                                                                \
	X(a, EMSGSIZE)                                                                             \
	X(a, EDESTADDRREQ)                                                                         \
	X(a, ENOTSOCK)                                                                             \
	X(a, ENOENT)                                                                               \
	X(a, EPROTO)                                                                               \
	X(a, ENOTDIR)                                                                              \
	X(a, ELOOP)                                                                                \
	X(a, ENAMETOOLONG)                                                                         \
	X(a, EROFS)                                                                                \
	X(a, ESHUTDOWN)                                                                            \
	X(a, EHOSTDOWN)                                                                            \
	X(a, EEXIST)
/* the resolver: `err` and, with EAI_SYSTEM, the errno in aux[2] */
#define TZM_ERRS_NETDB(X, a)                                                                       \
	TZM_ERRS_COMMON(X, a)                                                                      \
	X(a, ENOENT)                                                                               \
	X(a, ETIMEDOUT)                                                                            \
	X(a, ECONNREFUSED)                                                                         \
	X(a, EAFNOSUPPORT)                                                                         \
	X(a, ENOSPC)                                                                               \
	X(a, EOVERFLOW)
#define TZM_ERRS_POLL(X, a)                                                                        \
	TZM_ERRS_COMMON(X, a)                                                                      \
	X(a, EEXIST)                                                                               \
	X(a, ENOENT)                                                                               \
	X(a, ELOOP)
#define TZM_ERRS_MQ(X, a)                                                                          \
	TZM_ERRS_COMMON(X, a)                                                                      \
	X(a, ENOENT)                                                                               \
	X(a, EEXIST)                                                                               \
	X(a, ENAMETOOLONG)                                                                         \
	X(a, EMSGSIZE)                                                                             \
	X(a, ETIMEDOUT)                                                                            \
	X(a, ENOSPC)
/*
 * record locks (fcntl F_GETLK/F_SETLK/F_SETLKW and the F_OFD_ forms): a lock held
 * elsewhere (EAGAIN, EACCES), a deadlock the kernel found (EDEADLK), the kernel's lock
 * table full (ENOLCK), a range beyond the file offsets (EOVERFLOW)
 */
#define TZM_ERRS_LOCK(X, a) TZM_ERRS_COMMON(X, a) X(a, EDEADLK) X(a, ENOLCK) X(a, EOVERFLOW)
/*
 * network interfaces (getifaddrs, if_nameindex, if_nametoindex, if_indextoname): the
 * netlink or ioctl socket glibc opens (EAFNOSUPPORT, EPROTONOSUPPORT, the COMMON limits),
 * no such interface name (ENODEV) or index (ENXIO)
 */
#define TZM_ERRS_NETIF(X, a)                                                                       \
	TZM_ERRS_COMMON(X, a) X(a, ENODEV) X(a, ENXIO) X(a, EAFNOSUPPORT) X(a, EPROTONOSUPPORT)

/* Every named set, for the generated documentation. */
#define TZM_WIRE_ERRSETS(X)                                                                        \
	X(COMMON)                                                                                  \
	X(MISC)                                                                                    \
	X(FD)                                                                                      \
	X(FSTAT)                                                                                   \
	X(SEEK)                                                                                    \
	X(SYNC)                                                                                    \
	X(TTY)                                                                                     \
	X(IO)                                                                                      \
	X(FILE)                                                                                    \
	X(SOCK)                                                                                    \
	X(NETDB)                                                                                   \
	X(POLL)                                                                                    \
	X(MQ)                                                                                      \
	X(LOCK)                                                                                    \
	X(NETIF)

/* Word w of set S's bitmap, a constant expression. */
#define TZM__EBIT(w, num) ((num) / 64 == (w) ? (uint64_t)1 << ((num) % 64) : 0)
#define TZM__EBIT_OR(w, name) | TZM__EBIT(w, TZM_WIRE_##name)
#define TZM_WIRE_ERRSET_WORD(set, w) ((uint64_t)0 TZM_ERRS_##set(TZM__EBIT_OR, w))

/*
 * Per-op flags: what both sides must agree on about a call when a signal comes, stated
 * once here (the shadow and libtzm each read them, tzm_wire_op_flags).
 *   TZM_OPF_INTR     serving it may wait in the kernel for the outside world (a peer, a
 *                    lock, a name server): the shadow answers EINTR at once when the run was
 *                    cancelled or a signal the TA catches is already posted, instead of
 *                    starting a wait the TA would have to interrupt (serve.c, may_block) —
 *                    for a signal, only if this call could sleep at all (a regular file's
 *                    read, a non-blocking descriptor's, MSG_DONTWAIT, epoll_wait with
 *                    timeout 0, an open of anything but a FIFO never do: serve.c,
 *                    could_sleep).
 *   TZM_OPF_RESTART  Linux restarts it after a handler installed with SA_RESTART
 *                    (signal(7)): libtzm sends an interrupted one again (ta/signal.c;
 *                    GETADDRINFO after any handler: glibc's resolver goes on waiting).
 */
#define TZM_OPF_INTR 0x1u
#define TZM_OPF_RESTART 0x2u
#define TZM_OPF__ALL (TZM_OPF_INTR | TZM_OPF_RESTART)

/*
 * Opcodes: X(name, number, errno set, flags, [in], [out]). The number is the ABI (append
 * only; checked below against the position). flags: TZM_OPF_* (above) or 0. [in] names the
 * request fields a call uses (a0..a5 = args[0..5], blob = the request blob), [out] the
 * response fields (ret, aux0..aux4, blob); fields not named are unused (0). `err` is 0 or an
 * errno of the set (TZM_ERRS_<set>), with ret == -1 iff err != 0. A dirfd argument is a TA
 * directory fd or AT_FDCWD (-100) for paths relative to the shadow's working directory.
 * docs/wire-protocol.md's tables are generated from this list (tzm-wire-doc; the
 * mediator_wire_doc test fails on drift).
 */
#define TZM_WIRE_OPS(X)                                                                            \
	X(NOP, 0, MISC, 0, "-", "ret 0")                                                           \
	X(CLOSE, 1, FD, 0, "a0 fd", "-")                                                           \
	X(READ, 2, IO, TZM_OPF_INTR | TZM_OPF_RESTART, "a0 fd, a1 count", "ret count, blob data")  \
	X(WRITE, 3, IO, TZM_OPF_INTR | TZM_OPF_RESTART, "a0 fd, blob data", "ret count")           \
	X(PREAD, 4, IO, TZM_OPF_INTR | TZM_OPF_RESTART, "a0 fd, a1 count, a2 offset",              \
	  "ret count, blob data")                                                                  \
	X(PWRITE, 5, IO, TZM_OPF_INTR | TZM_OPF_RESTART, "a0 fd, a2 offset, blob data",            \
	  "ret count")                                                                             \
	X(LSEEK, 6, SEEK, 0, "a0 fd, a1 offset, a2 whence", "ret offset")                          \
	X(FSYNC, 7, SYNC, 0, "a0 fd", "-")                                                         \
	X(FTRUNCATE, 8, FILE, 0, "a0 fd, a1 length", "-")                                          \
	X(FSTAT, 9, FSTAT, 0, "a0 fd", "blob tzm_wire_stat")                                       \
	X(FCNTL, 10, IO, 0, "a0 fd, a1 cmd, a2 arg", "ret")                                        \
	X(DUP, 11, IO, 0, "a0 fd, a1 newfd (-1: lowest free)", "ret new fd")                       \
	X(OPENAT, 12, FILE, TZM_OPF_INTR | TZM_OPF_RESTART,                                        \
	  "a0 flags, a1 mode, a2 dirfd, blob path", "ret fd")                                      \
	X(STAT, 13, FILE, 0, "a0 nofollow, a1 dirfd, blob path", "blob tzm_wire_stat")             \
	X(UNLINK, 14, FILE, 0, "a0 is_rmdir, a1 dirfd, blob path", "-")                            \
	X(RENAME, 15, FILE, 0, "a0 len(old), a1 olddirfd, a2 newdirfd, blob old\\0new\\0", "-")    \
	X(MKDIR, 16, FILE, 0, "a0 mode, a1 dirfd, blob path", "-")                                 \
	X(MKFIFO, 17, FILE, 0, "a0 mode, a1 dirfd, blob path", "-")                                \
	X(GETDENTS, 18, FILE, 0, "a0 fd, a1 max bytes", "ret bytes, blob tzm_wire_dirent...")      \
	X(PIPE2, 19, IO, 0, "a0 flags", "aux0 read fd, aux1 write fd")                             \
	X(SOCKET, 20, SOCK, 0, "a0 domain, a1 type, a2 protocol", "ret fd")                        \
	X(SOCKETPAIR, 21, SOCK, 0, "a0 domain, a1 type, a2 protocol", "aux0, aux1 fds")            \
	X(BIND, 22, SOCK, 0, "a0 fd, blob sockaddr", "-")                                          \
	X(LISTEN, 23, SOCK, 0, "a0 fd, a1 backlog", "-")                                           \
	X(ACCEPT4, 24, SOCK, TZM_OPF_INTR | TZM_OPF_RESTART, "a0 fd, a1 flags, a2 want address",   \
	  "ret fd, blob sockaddr")                                                                 \
	X(CONNECT, 25, SOCK, TZM_OPF_INTR | TZM_OPF_RESTART, "a0 fd, blob sockaddr", "-")          \
	X(SENDTO, 26, SOCK, TZM_OPF_INTR | TZM_OPF_RESTART,                                        \
	  "a0 fd, a1 flags, a2 addrlen, blob address then data", "ret count")                      \
	X(RECVFROM, 27, SOCK, TZM_OPF_INTR | TZM_OPF_RESTART,                                      \
	  "a0 fd, a1 count, a2 flags, a3 want address",                                            \
	  "ret count, aux0 addrlen, aux1 msg_flags, blob data then address")                       \
	X(SHUTDOWN, 28, SOCK, 0, "a0 fd, a1 how", "-")                                             \
	X(GETSOCKOPT, 29, SOCK, 0, "a0 fd, a1 level, a2 name, a3 optlen", "blob optval")           \
	X(SETSOCKOPT, 30, SOCK, 0, "a0 fd, a1 level, a2 name, blob optval", "-")                   \
	X(GETSOCKNAME, 31, SOCK, 0, "a0 fd", "blob sockaddr")                                      \
	X(GETPEERNAME, 32, SOCK, 0, "a0 fd", "blob sockaddr")                                      \
	X(GETADDRINFO, 33, NETDB, TZM_OPF_INTR | TZM_OPF_RESTART,                                  \
	  "a0 flags, a1 family, a2 socktype, a3 protocol, a4 has node, a5 has service, "           \
	  "blob node\\0service\\0",                                                                \
	  "ret 0, aux0 count, aux1 EAI code, aux2 errno (EAI_SYSTEM), "                            \
	  "blob tzm_wire_ai... canonical name\\0")                                                 \
	X(GETNAMEINFO, 34, NETDB, TZM_OPF_RESTART,                                                 \
	  "a0 flags, a1 hostlen, a2 servlen, blob sockaddr",                                       \
	  "ret 0, aux1 EAI code, aux2 errno (EAI_SYSTEM), blob host\\0serv\\0")                    \
	X(POLL, 35, POLL, TZM_OPF_INTR, "a0 nfds, a1 timeout ms, blob tzm_wire_pollfd[]",          \
	  "ret ready, blob tzm_wire_pollfd[]")                                                     \
	X(EPOLL_CREATE1, 36, POLL, 0, "a0 flags", "ret fd")                                        \
	X(EPOLL_CTL, 37, POLL, 0, "a0 epfd, a1 op, a2 fd, a3 events, a4 data", "-")                \
	X(EPOLL_WAIT, 38, POLL, TZM_OPF_INTR, "a0 epfd, a1 maxevents, a2 timeout ms",              \
	  "ret count, blob tzm_wire_epoll_event[]")                                                \
	X(MQ_OPEN, 39, MQ, 0, "a0 oflag, a1 mode, a2 has attr, a3 maxmsg, a4 msgsize, blob name",  \
	  "ret fd")                                                                                \
	X(MQ_SEND, 40, MQ, TZM_OPF_INTR | TZM_OPF_RESTART, "a0 fd, a1 priority, blob message",     \
	  "-")                                                                                     \
	X(MQ_RECEIVE, 41, MQ, TZM_OPF_INTR | TZM_OPF_RESTART, "a0 fd, a1 length",                  \
	  "ret length, aux0 priority, blob message")                                               \
	X(MQ_UNLINK, 42, MQ, 0, "blob name", "-")                                                  \
	X(MQ_GETATTR, 43, MQ, 0, "a0 fd", "aux0 flags, aux1 maxmsg, aux2 msgsize, aux3 curmsgs")   \
	X(CLOCK_GETTIME, 44, MISC, 0, "a0 clock id", "aux0 sec, aux1 nsec")                        \
	X(ACCESS, 45, FILE, 0, "a0 mode, a1 dirfd, blob path", "-")                                \
	X(ISATTY, 46, TTY, 0, "a0 fd", "ret 1 (or ENOTTY)")                                        \
	X(UMASK, 47, MISC, 0, "a0 new mask (0..0777)", "ret old mask")                             \
	X(UNAME, 48, MISC, 0, "-", "blob tzm_wire_utsname")                                        \
	X(GETCWD, 49, FILE, 0, "-", "ret length with NUL, blob path\\0")                           \
	X(CHDIR, 50, FILE, 0, "a0 fd (fchdir), or -1 with blob path", "-")                         \
	X(FCHMOD, 51, FILE, 0, "a0 fd, a1 mode", "-")                                              \
	X(CHMOD, 52, FILE, 0, "a0 mode, a1 dirfd, a2 nofollow, blob path", "-")                    \
	X(FCHOWN, 53, FILE, 0, "a0 fd, a1 uid, a2 gid", "-")                                       \
	X(CHOWN, 54, FILE, 0, "a0 uid, a1 gid, a2 dirfd, a3 nofollow, blob path", "-")             \
	X(UTIMENS, 55, FILE, 0,                                                                    \
	  "a0 dirfd (no blob: the fd), a1 nofollow, a2 atime sec, a3 atime nsec, "                 \
	  "a4 mtime sec, a5 mtime nsec, [blob path]",                                              \
	  "-")                                                                                     \
	X(TRUNCATE, 56, FILE, 0, "a0 length, blob path", "-")                                      \
	X(SYMLINK, 57, FILE, 0, "a0 len(target), a1 dirfd, blob target\\0path\\0", "-")            \
	X(READLINK, 58, FILE, 0, "a0 dirfd, a1 bufsize, blob path", "ret length, blob text")       \
	X(LINK, 59, FILE, 0, "a0 len(old), a1 olddirfd, a2 newdirfd, a3 flags, blob old\\0new\\0", \
	  "-")                                                                                     \
	X(REALPATH, 60, FILE, 0, "blob path", "ret length, blob resolved path\\0")                 \
	X(FLOCK, 61, FILE, TZM_OPF_INTR | TZM_OPF_RESTART, "a0 fd, a1 operation", "-")             \
	X(SENDFILE, 62, IO, TZM_OPF_INTR,                                                          \
	  "a0 out fd, a1 in fd, a2 count, a3 has offset, a4 offset", "ret count, aux0 new offset") \
	X(EVENTFD, 63, IO, 0, "a0 initial value, a1 flags", "ret fd")                              \
	X(TIMERFD_CREATE, 64, IO, 0, "a0 clock id, a1 flags", "ret fd")                            \
	X(TIMERFD_SETTIME, 65, IO, 0,                                                              \
	  "a0 fd, a1 flags, a2 interval sec, a3 interval nsec, a4 value sec, a5 value nsec",       \
	  "aux0-3 old interval sec/nsec, value sec/nsec")                                          \
	X(TIMERFD_GETTIME, 66, IO, 0, "a0 fd", "aux0-3 interval sec/nsec, value sec/nsec")         \
	X(SETITIMER, 67, MISC, 0,                                                                  \
	  "a0 which (ITIMER_REAL), a1 value us, a2 interval us, a3 1: only read it",               \
	  "aux0 old value us, aux1 old interval us")                                               \
	X(GETPGSID, 68, MISC, 0, "-", "aux0 the shadow's process group, aux1 its session")         \
	X(INTERRUPT, 69, MISC, 0, "a0 lane, a1 seq of a call in flight on that lane",              \
	  "ret 1: that call was in flight and is interrupted (EINTR), 0: it was not")              \
	X(RECLOCK, 70, LOCK, TZM_OPF_INTR | TZM_OPF_RESTART,                                       \
	  "a0 fd, a1 cmd (F_GETLK F_SETLK F_SETLKW F_OFD_GETLK F_OFD_SETLK F_OFD_SETLKW), "        \
	  "a2 l_type, a3 l_whence, a4 l_start, a5 l_len",                                          \
	  "ret 0; the GETLKs: aux0 l_type, aux1 l_whence, aux2 l_start, aux3 l_len, aux4 l_pid")   \
	X(GETIFADDRS, 71, NETIF, 0, "-",                                                           \
	  "ret count (0..TZM_WIRE_MAX_IFS), aux0 TZM_WIRE_IF_VERSION, "                            \
	  "blob tzm_wire_ifaddr[count]")                                                           \
	X(IF_NAMEINDEX, 72, NETIF, 0, "-",                                                         \
	  "ret count (0..TZM_WIRE_MAX_IFS), aux0 TZM_WIRE_IF_VERSION, "                            \
	  "blob tzm_wire_ifindex[count]")                                                          \
	X(IF_NAMETOINDEX, 73, NETIF, 0, "blob name\\0", "ret index (1..2^31-1)")                   \
	X(IF_INDEXTONAME, 74, NETIF, 0, "a0 index", "ret length with NUL (2..16), blob name\\0")

enum tzm_wire_op {
#define TZM__OP_ENUM(name, ...) TZM_OP_##name,
	TZM_WIRE_OPS(TZM__OP_ENUM)
#undef TZM__OP_ENUM
	TZM_OP__COUNT
};
#define TZM__OP_NUMBER(name, num, ...)                                                             \
	static_assert(TZM_OP_##name == (num), "TZM_OP_" #name " keeps its number (append only)");
TZM_WIRE_OPS(TZM__OP_NUMBER)
#undef TZM__OP_NUMBER
#define TZM__OP_FLAGS_KNOWN(name, num, set, flags, ...)                                            \
	static_assert(((flags) & ~TZM_OPF__ALL) == 0, "TZM_OP_" #name ": only TZM_OPF_* flags");
TZM_WIRE_OPS(TZM__OP_FLAGS_KNOWN)
#undef TZM__OP_FLAGS_KNOWN

/* The TZM_OPF_* flags of opcode op; 0 for an opcode this build does not know. */
static inline uint32_t tzm_wire_op_flags(uint32_t op)
{
	static const uint8_t flags[TZM_OP__COUNT] = {
#define TZM__OP_FLAGS(name, num, set, flags, ...) [TZM_OP_##name] = (flags),
		TZM_WIRE_OPS(TZM__OP_FLAGS)
#undef TZM__OP_FLAGS
	};

	return op < TZM_OP__COUNT ? flags[op] : 0u;
}

/* Whether err may answer opcode op (an errno of the op's set); false for 0. */
static inline bool tzm_wire_errno_allowed(uint32_t op, int64_t err)
{
	static const uint64_t sets[TZM_OP__COUNT][TZM_WIRE_ERRNO_WORDS] = {
#define TZM__OP_ERRSET(name, num, set, ...)                                                        \
	[TZM_OP_##name] = { TZM_WIRE_ERRSET_WORD(set, 0), TZM_WIRE_ERRSET_WORD(set, 1),            \
			    TZM_WIRE_ERRSET_WORD(set, 2) },
		TZM_WIRE_OPS(TZM__OP_ERRSET)
#undef TZM__OP_ERRSET
	};
	static_assert(TZM_WIRE_ERRNO_WORDS == 3, "one initializer per bitmap word");

	if (op >= TZM_OP__COUNT || err <= 0 || err >= TZM_WIRE_ERRNO_LIMIT) {
		return false;
	}
	return (sets[op][err / 64] >> (err % 64)) & 1u;
}

/* Request header. Written by the TA only; the shadow copies it once before use. */
struct tzm_wire_req {
	uint32_t opcode;
	uint32_t seq;      /* equals ctrl.req_seq when published */
	uint32_t data_len; /* request blob length at the start of the data area */
	uint32_t flags;    /* TZM_REQ_F_* */
	int64_t args[TZM_WIRE_MAX_ARGS];
};
static_assert(sizeof(struct tzm_wire_req) == 64, "tzm_wire_req layout");

/* Response header. Written by the shadow only; libtzm copies and validates it. */
struct tzm_wire_resp {
	uint32_t seq;      /* echoes the request seq */
	int32_t err;       /* 0 or a wire errno of the op's set; ret == -1 iff err != 0 */
	int64_t ret;       /* return value */
	uint32_t data_len; /* response blob length at the start of the slot's area */
	uint32_t flags;    /* TZM_RESP_F_* */
	int64_t aux[5];
};
static_assert(sizeof(struct tzm_wire_resp) == 64, "tzm_wire_resp layout");

/* req.flags: run only if the call submitted just before it was "full" (see below) */
#define TZM_REQ_F_LINK 0x1u
/* resp.flags: a linked call that did not run (ret 0, err 0, no blob) */
#define TZM_RESP_F_SKIPPED 0x1u

/*
 * Opcodes that may carry TZM_REQ_F_LINK: the chunks of one split write, and of one split
 * read. A linked read chunk takes only data available now, without waiting (see
 * docs/wire-protocol.md, "Links"); a linked RECVFROM has flags 0 or MSG_DONTWAIT and asks
 * for no address.
 */
static inline bool tzm_wire_linkable(uint32_t op)
{
	return op == TZM_OP_WRITE || op == TZM_OP_PWRITE || op == TZM_OP_READ ||
	       op == TZM_OP_PREAD || op == TZM_OP_RECVFROM;
}

/* Whether a linkable opcode reads (its count is args[1]) rather than writes its blob. */
static inline bool tzm_wire_link_reads(uint32_t op)
{
	return op == TZM_OP_READ || op == TZM_OP_PREAD || op == TZM_OP_RECVFROM;
}

/*
 * Whether a completed call lets the call linked after it run: it transferred everything
 * it asked for, i.e. wrote its whole blob or read its whole count (args[1]); a short
 * count, an error or a skip ends the chain, as a single read or write would have
 * returned there.
 */
static inline bool tzm_wire_link_full(const struct tzm_wire_req *rq, const struct tzm_wire_resp *rs)
{
	int64_t want = tzm_wire_link_reads(rq->opcode) ? rq->args[1] : (int64_t)rq->data_len;

	return tzm_wire_linkable(rq->opcode) && rs->err == 0 && !(rs->flags & TZM_RESP_F_SKIPPED) &&
	       want > 0 && rs->ret == want;
}

/* A call slot's headers (ctrl lines 8 + 2i and 9 + 2i). */
struct tzm_wire_slot {
	struct tzm_wire_req req;   /* written by the TA */
	struct tzm_wire_resp resp; /* written by the shadow */
};
static_assert(sizeof(struct tzm_wire_slot) == 128, "tzm_wire_slot layout");

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

/*
 * A lane's doorbell (version 6): rings counts the completions the shadow published for
 * calls of that lane (it adds 1 after storing resp_seq, then wakes the TA thread if
 * ta_waiting is set); ta_waiting is set by the lane's TA thread just before it sleeps on
 * rings (the same store-then-load handshake as the other *_waiting words). Its own line,
 * so that one lane's traffic does not disturb a thread spinning on another's. Only a
 * wake-up hint: the TA learns what completed from the completion ring, checked as ever.
 */
struct tzm_wire_lane_bell {
	uint32_t rings;
	uint32_t ta_waiting;
	uint32_t reserved[14];
};
static_assert(sizeof(struct tzm_wire_lane_bell) == 64, "tzm_wire_lane_bell layout");

struct tzm_wire_ctrl {
	/* line 0: written by the shadow before the TA starts, read-only afterwards */
	uint32_t magic;
	uint32_t version;
	uint32_t data_size;
	uint32_t flags;
	uint32_t setup_len; /* tzm_wire_setup + strings at the start of the data area */
	uint32_t lanes;     /* lanes in use (1..TZM_WIRE_MAX_LANES), see tzm_wire_lanes() */
	uint32_t reserved0[10];
	/* line 1: written by the TA */
	uint32_t req_seq;
	uint32_t ta_waiting; /* TA threads asleep on resp_seq: one that is alone on the channel */
	uint32_t ta_caps;
	uint32_t ta_attached;
	/*
	 * The last submission, (req.seq << 32) | slot, stored before req_seq: the shadow takes
	 * the slot from here when the seq matches the one it expects (the call is then found
	 * without reading the submission ring's line), from sq[] otherwise. Validated exactly
	 * as a ring entry is.
	 */
	uint64_t sq_last;
	uint32_t reserved1[6];
	/*
	 * Scheduling hints, not protocol: 1 + the CPU the side last ran on when it published
	 * (0: unknown). A waiter whose peer sits on its own CPU yields instead of spinning.
	 * A wrong value only costs speed.
	 */
	uint32_t ta_cpu;
	/*
	 * Diagnostics, not protocol: low 32 bits of the TA's CPU counter when it published
	 * the current request (ta_seen_tick, when it saw the last answer, is in line 3: a
	 * store here after the answer would pull this line, which the shadow polls for the
	 * next request, away from the shadow once more per call).
	 */
	uint32_t ta_post_tick;
	uint32_t reserved1b;
	/*
	 * The wire version the TA's libtzm speaks, written when it attaches, before it checks
	 * ours (version 2 on), so that tzm-run can name the mismatch; 0: a version-1 libtzm.
	 * At the same offset in every version.
	 */
	uint32_t ta_version;
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
	/*
	 * The last completion, (resp_seq after it << 32) | its seq, stored before resp_seq:
	 * like sq_last, it spares the TA the completion ring's line when it is the one
	 * expected. Validated exactly as a ring entry is.
	 */
	uint64_t cq_last;
	uint32_t reserved2[8];
	/*
	 * line 3: written by the TA, diagnostics, not protocol: per TA wait kind (quick,
	 * input, output, event) the number of answers found while spinning and after
	 * sleeping, and the low 32 bits of the TA's CPU counter when it saw the last answer.
	 * The shadow only prints them (TZM_CHAN_STATS=1); nothing depends on their values.
	 */
	uint32_t ta_stats[8];
	uint32_t ta_seen_tick;
	uint32_t reserved3a[7];
	/* line 4: unused */
	uint8_t reserved4[TZM_WIRE_LINE];
	/* line 5: signals (see TZM_WIRE_SIG_FORWARDED) */
	uint32_t sig_pending;    /* shadow ORs bits in, the TA exchanges them out */
	uint32_t ta_sig_catch;   /* TA */
	uint32_t ta_sig_default; /* TA */
	uint32_t ta_exit_signal; /* TA */
	/*
	 * Not signals; a free word of a TA-written line. Scheduling hint, not protocol: how
	 * many lanes the TA has given to threads. The shadow serves calls concurrently once
	 * it exceeds 1 (before, one at a time, without a hand-off between its threads); a
	 * wrong value only costs speed or stalls the TA itself.
	 */
	uint32_t ta_lanes;
	uint32_t reserved5[11];
	/* lines 6, 7: version 2's rings, unused since version 3 */
	uint8_t reserved6[2 * TZM_WIRE_LINE];
	/* lines 8-11: submission ring (TA): slot numbers, in the order of req.seq */
	uint32_t sq[TZM_WIRE_RING];
	/* lines 12-15: completion ring (shadow): the seq of each completed call, in order */
	uint32_t cq[TZM_WIRE_RING];
	/* lines 16-143: the call slots */
	struct tzm_wire_slot slots[TZM_WIRE_SLOTS];
	/* lines 144-175: one doorbell per lane (version 6), a line each */
	struct tzm_wire_lane_bell lane_bell[TZM_WIRE_MAX_LANES];
	uint8_t reserved3[TZM_WIRE_CTRL_SIZE -
			  (16 + 2 * TZM_WIRE_SLOTS + TZM_WIRE_MAX_LANES) * TZM_WIRE_LINE];
};
static_assert(sizeof(struct tzm_wire_ctrl) == TZM_WIRE_CTRL_SIZE, "tzm_wire_ctrl layout");
static_assert(offsetof(struct tzm_wire_ctrl, req_seq) == 1 * TZM_WIRE_LINE, "tzm_wire_ctrl line 1");
static_assert(offsetof(struct tzm_wire_ctrl, ta_version) == 2 * TZM_WIRE_LINE - 4,
	      "ta_version keeps its offset in every version");
static_assert(offsetof(struct tzm_wire_ctrl, resp_seq) == 2 * TZM_WIRE_LINE,
	      "tzm_wire_ctrl line 2");
static_assert(offsetof(struct tzm_wire_ctrl, ta_stats) == 3 * TZM_WIRE_LINE,
	      "tzm_wire_ctrl line 3");
static_assert(offsetof(struct tzm_wire_ctrl, sig_pending) == 5 * TZM_WIRE_LINE,
	      "tzm_wire_ctrl line 5");
static_assert(offsetof(struct tzm_wire_ctrl, sq) == 8 * TZM_WIRE_LINE, "tzm_wire_ctrl line 8");
static_assert(offsetof(struct tzm_wire_ctrl, cq) == 12 * TZM_WIRE_LINE, "tzm_wire_ctrl line 12");
static_assert(offsetof(struct tzm_wire_ctrl, slots) == 16 * TZM_WIRE_LINE, "tzm_wire_ctrl line 16");
static_assert(offsetof(struct tzm_wire_ctrl, lane_bell) == 144 * TZM_WIRE_LINE,
	      "tzm_wire_ctrl line 144");
static_assert(TZM_WIRE_RING >= TZM_WIRE_SLOTS && (TZM_WIRE_RING & (TZM_WIRE_RING - 1)) == 0,
	      "ring size");
static_assert(TZM_WIRE_RING * sizeof(uint32_t) == 4 * TZM_WIRE_LINE, "a ring is 4 lines");

/* The lanes a channel of data_size data bytes has (what the shadow writes in ctrl.lanes). */
static inline uint32_t tzm_wire_lanes(uint32_t data_size)
{
	uint32_t lanes = data_size / TZM_WIRE_LANE_DATA;

	return lanes < 1 ? 1 : lanes > TZM_WIRE_MAX_LANES ? TZM_WIRE_MAX_LANES : lanes;
}

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

/*
 * Network interfaces: the records of GETIFADDRS and IF_NAMEINDEX (ret = their count, at
 * most TZM_WIRE_MAX_IFS; a host with more answers ENOBUFS), in the layout version
 * TZM_WIRE_IF_VERSION, which the answer carries in aux0 (libtzm refuses any other).
 *
 *   tzm_wire_ifaddr (136 B), one per getifaddrs entry, in glibc's order:
 *     0   name[16]     NUL-terminated, 1..15 bytes (IPv4 entries: the label, "eth0:1")
 *     16  flags        ifa_flags (IFF_*)
 *     20  addr_len     ifa_addr's length, 0: NULL
 *     21  netmask_len  ifa_netmask's, 0: NULL (an address of AF_INET/AF_INET6 only)
 *     22  ifu_len      ifa_broadaddr's (ifa_dstaddr's with IFF_POINTOPOINT), 0: NULL
 *     23  reserved
 *     24  addr[36], 60 netmask[36], 96 ifu[36]   raw Linux sockaddrs: AF_INET (16 B),
 *         AF_INET6 (28 B) or AF_PACKET (sockaddr_ll, 20 B, or 12 + sll_halen for a
 *         hardware address of 9..24 bytes)
 *     132 reserved2
 *   tzm_wire_ifindex (24 B), one per interface: index (nonzero), reserved, name[16].
 */
#define TZM_WIRE_IF_VERSION 1u
#define TZM_WIRE_IFNAMSIZ 16u
#define TZM_WIRE_IF_SA 36u /* sockaddr_ll with glibc's largest hardware address (24 B) */
struct tzm_wire_ifaddr {
	char name[TZM_WIRE_IFNAMSIZ];
	uint32_t flags;
	uint8_t addr_len;
	uint8_t netmask_len;
	uint8_t ifu_len;
	uint8_t reserved;
	uint8_t addr[TZM_WIRE_IF_SA];
	uint8_t netmask[TZM_WIRE_IF_SA];
	uint8_t ifu[TZM_WIRE_IF_SA];
	uint32_t reserved2;
};
static_assert(sizeof(struct tzm_wire_ifaddr) == 136, "tzm_wire_ifaddr layout");

struct tzm_wire_ifindex {
	uint32_t index;
	uint32_t reserved;
	char name[TZM_WIRE_IFNAMSIZ];
};
static_assert(sizeof(struct tzm_wire_ifindex) == 24, "tzm_wire_ifindex layout");

#endif /* TZM_WIRE_H */
