/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Transcript helpers for the differential suite. Every test program runs the same
 * sequence of POSIX calls natively and as a TA; each call prints one canonical line
 *
 *     <line>: <call source text> = <ret> errno=<NAME> [data=<hex>|data=<len>:<fnv64>]
 *
 * with nondeterministic values (fd numbers, kernel-chosen ports, pids, times, addresses)
 * replaced by stable tokens, so the two transcripts must be byte-identical. Each call
 * also carries its expected outcome: a mismatch fails through the test harness
 * (tests/support, tzm_test.h: FAIL file:line with the call, its result and the expected
 * one on stderr, exit 1), so a native run alone is a real test. The transcript format
 * is this file's own; errno names come from the harness's one list.
 */
#ifndef TZM_TESTS_TR_H
#define TZM_TESTS_TR_H

#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/types.h>

/* Expectation tokens accepted wherever an exact return value may be given. */
#define TR_OK (-100)  /* any value >= 0, printed as "ok" (fds, ports, pids, counts) */
#define TR_FD (-101)  /* a valid descriptor (>= 0), printed as "fd" */
#define TR_POS (-102) /* any value > 0, printed as "pos" */

/*
 * Checks one call's result: 'want' is an exact return value or a TR_* token; when the
 * call is expected to fail (want == -1) 'werr' is the errno it must set. errno is read
 * at entry, i.e. right after the call (the macros clear it just before).
 */
long tr_check(const char *file, int line, const char *call, long ret, long want, int werr);
/* As tr_check, and appends data=<first ret bytes of buf> when ret > 0. */
long tr_check_data(const char *file, int line, const char *call, long ret, long want, int werr,
		   const void *buf);
/* Pointer-returning calls (fopen, opendir, ...): want_null selects the expected outcome. */
void *tr_check_ptr(const char *file, int line, const char *call, void *ret, int want_null,
		   int werr);

#define EXPECT(want, werr, expr)                                                                   \
	tr_check(__FILE__, __LINE__, #expr, (errno = 0, (long)(expr)), (want), (werr))
#define EXPECT_DATA(want, werr, buf, expr)                                                         \
	tr_check_data(__FILE__, __LINE__, #expr, (errno = 0, (long)(expr)), (want), (werr), (buf))
#define EXPECT_PTR(want_null, werr, expr)                                                          \
	tr_check_ptr(__FILE__, __LINE__, #expr, (errno = 0, (void *)(expr)), (want_null), (werr))

/* A free-form transcript line ("note: ...") for values the program derived itself. */
void tr_note(int line, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
#define NOTE(...) tr_note(__LINE__, __VA_ARGS__)

/* Asserts a condition the program computed (data equality, flags); fails like EXPECT. */
void tr_assert(const char *file, int line, const char *what, int cond);
#define ASSERT(cond) tr_assert(__FILE__, __LINE__, #cond, !!(cond))

/* 64-bit FNV-1a digest, used for data longer than the hex cut-off. */
uint64_t tr_fnv64(const void *buf, size_t len);
/* Fills buf with a deterministic pattern derived from seed. */
void tr_pattern(void *buf, size_t len, unsigned seed);
/*
 * Normalised socket address: family, address and port, with the port replaced by "*"
 * when it is ephemeral (>= 32768) and abstract names printed with a leading '@'.
 */
const char *tr_sockaddr(const struct sockaddr *sa, socklen_t len);
/* Checks getpeername (peer) or getsockname of fd and notes "<what> <tr_sockaddr>". */
void tr_print_name(const char *what, int fd, int peer);
/* The port of an AF_INET/AF_INET6 address in host order (0 for other families). */
unsigned tr_port(const struct sockaddr *sa);

/* Loopback address of family af (AF_INET/AF_INET6) with the given port; returns its length. */
socklen_t tr_loopback(int af, struct sockaddr_storage *ss, unsigned port);

struct sockaddr_un;
/*
 * UNIX socket address for 'name': a path in the scratch dir 'dir', or (abstract) an
 * abstract name derived from a digest of dir, so that runs never collide. Exits 2 if the
 * path does not fit. Returns the address length to pass to bind/connect.
 */
socklen_t tr_unix_addr(struct sockaddr_un *sa, const char *dir, const char *name, int abstract);

/*
 * Prints the transcript header and returns the scratch directory (argv[1], absolute),
 * in which the program creates every file, FIFO and socket path; exits 2 on bad usage.
 */
const char *tr_begin(const char *family, int argc, char **argv);
/* out = dir + "/" + name; exits 2 if it does not fit. */
void tr_join(char *out, size_t size, const char *dir, const char *name);
/* Prints the trailer and returns the exit status for main(). */
int tr_end(void);

#endif
