/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * tzm_test.h: the one assertion library of tzmediator's C tests (tee, mediator, attest,
 * tests/fault, examples), on the host, in POSIX programs run as TAs through libtzm, and
 * inside GlobalPlatform test TAs. Contract in tests/support/README.md.
 *
 * Design
 *  - Typed checks. ASSERT_EQ_INT(got, want) compares as long long, ASSERT_EQ_U64 as
 *    unsigned long long, ASSERT_EQ_STR with strcmp (NULL-safe), ASSERT_EQ_MEM with memcmp,
 *    ASSERT_EQ_ERRNO / ASSERT_ERRNO / ASSERT_SYS with errno names, ASSERT_TEEC_RES /
 *    ASSERT_TEE_RES with GlobalPlatform result names. Each argument is evaluated exactly
 *    once (the macros pass values to a function), so `ASSERT_EQ_INT(read(fd, b, 4), 4)` is
 *    fine. A failure prints file:line, the check with its expression text and both values:
 *
 *        FAIL tee/tests/counter/host/main.c:57: ASSERT_EQ_INT(b, 3)
 *             b = 2 (0x2)
 *             3 = 3 (0x3)
 *             step: value after the third increment
 *
 *  - Fatal. The first failing check ends the test: exit(1) in a program (after flushing
 *    stdout, so the transcript so far stays ordered before the report), TEE_Panic() in a
 *    GP TA (the host then sees TEE_ERROR_TARGET_DEAD and cmake/run-test.sh prints the
 *    report from tee.log). Our tests are sequences in which each step needs the previous
 *    one (a context, a session, an fd, a handle); continuing after a failure produces a
 *    cascade of follow-on failures or a crash that hides the first cause, while the first
 *    failure with both values and its location is the report one needs. There is therefore
 *    one family of checks and no "non-fatal" variant.
 *  - Context. TEST_STEP("fmt", ...) prints "-- <step>" on stdout and is repeated in the
 *    failure report: tests use it where the expression text alone does not say what is
 *    being checked (it replaces the old per-check messages). TEST_CONTEXT sets the same
 *    text without printing it, for context that changes at every request.
 *  - Skips. TEST_SKIP("why") exits 77 (CTest SKIP_RETURN_CODE, tzm_add_test()).
 *  - Backends. The default backend writes to stdout/stderr with stdio only, so the same
 *    object works natively and in a POSIX program run as a TA (libtzm forwards stdio).
 *    Compiled with TZM_TEST_GP_TA=1 (CMake target tzm_test_ta, for tzm_add_ta()), reports
 *    go through the TA's trace_printf() (tee.log; a GP TA's fds 0-2 are /dev/null) and a
 *    failure calls TEE_Panic(TZM_TEST_PANIC_CODE). The library uses no syscall itself
 *    there: formatting is vsnprintf into a stack buffer, no allocation, no files.
 *  - Not thread-aware beyond this: a check may fail in any thread or forked child (the
 *    process exits 1; a parent must check its children's status), and TEST_STEP's text is
 *    one process-wide buffer (set it from the main thread).
 *
 * Names: macros ASSERT_* / TEST_*; public functions tzm_test_*, internals tzm_test__*.
 */
#ifndef TZM_TEST_H
#define TZM_TEST_H

#include <errno.h> /* ASSERT_ERRNO and ASSERT_SYS read errno at the call site */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Exit status meaning "skipped" (CTest SKIP_RETURN_CODE of every tzm test). */
#define TZM_TEST_SKIP_STATUS 77
/* TEE_Panic() code of a failed check inside a GP TA ("7e57 fa11"). */
#define TZM_TEST_PANIC_CODE 0x7e57fa11u
/* ASSERT_TEEC_RES_ORIGIN's want_origin meaning "any origin". */
#define TZM_TEST_ANY_ORIGIN 0xffffffffu

/* clang-format off */
/* Comparison operators of the relational checks. */
enum tzm_test_op { TZM_TEST_EQ, TZM_TEST_NE, TZM_TEST_LT, TZM_TEST_LE, TZM_TEST_GT, TZM_TEST_GE };
/* clang-format on */

#define TZM_TEST__LOC __FILE__, __LINE__

/* ---- truth ---------------------------------------------------------------------------- */
#define ASSERT_TRUE(cond) tzm_test__bool(TZM_TEST__LOC, "ASSERT_TRUE", #cond, !!(cond), true)
#define ASSERT_FALSE(cond) tzm_test__bool(TZM_TEST__LOC, "ASSERT_FALSE", #cond, !!(cond), false)

/* ---- signed integers (compared as long long) ----------------------------------------- */
#define TZM_TEST__INT(name, op, a, b)                                                              \
	tzm_test__int(TZM_TEST__LOC, name, #a, #b, op, (long long)(a), (long long)(b))
#define ASSERT_EQ_INT(a, b) TZM_TEST__INT("ASSERT_EQ_INT", TZM_TEST_EQ, a, b)
#define ASSERT_NE_INT(a, b) TZM_TEST__INT("ASSERT_NE_INT", TZM_TEST_NE, a, b)
#define ASSERT_LT_INT(a, b) TZM_TEST__INT("ASSERT_LT_INT", TZM_TEST_LT, a, b)
#define ASSERT_LE_INT(a, b) TZM_TEST__INT("ASSERT_LE_INT", TZM_TEST_LE, a, b)
#define ASSERT_GT_INT(a, b) TZM_TEST__INT("ASSERT_GT_INT", TZM_TEST_GT, a, b)
#define ASSERT_GE_INT(a, b) TZM_TEST__INT("ASSERT_GE_INT", TZM_TEST_GE, a, b)

/* ---- unsigned integers, sizes, flags, handles (compared as unsigned long long) -------- */
#define TZM_TEST__U64(name, op, a, b)                                                              \
	tzm_test__u64(TZM_TEST__LOC, name, #a, #b, op, (unsigned long long)(a),                    \
		      (unsigned long long)(b))
#define ASSERT_EQ_U64(a, b) TZM_TEST__U64("ASSERT_EQ_U64", TZM_TEST_EQ, a, b)
#define ASSERT_NE_U64(a, b) TZM_TEST__U64("ASSERT_NE_U64", TZM_TEST_NE, a, b)
#define ASSERT_LT_U64(a, b) TZM_TEST__U64("ASSERT_LT_U64", TZM_TEST_LT, a, b)
#define ASSERT_LE_U64(a, b) TZM_TEST__U64("ASSERT_LE_U64", TZM_TEST_LE, a, b)
#define ASSERT_GT_U64(a, b) TZM_TEST__U64("ASSERT_GT_U64", TZM_TEST_GT, a, b)
#define ASSERT_GE_U64(a, b) TZM_TEST__U64("ASSERT_GE_U64", TZM_TEST_GE, a, b)

/* ---- pointers ------------------------------------------------------------------------- */
#define ASSERT_NULL(p)                                                                             \
	tzm_test__ptr(TZM_TEST__LOC, "ASSERT_NULL", #p, "NULL", TZM_TEST_EQ, (const void *)(p),    \
		      NULL)
#define ASSERT_NOT_NULL(p)                                                                         \
	tzm_test__ptr(TZM_TEST__LOC, "ASSERT_NOT_NULL", #p, "NULL", TZM_TEST_NE,                   \
		      (const void *)(p), NULL)
#define ASSERT_EQ_PTR(a, b)                                                                        \
	tzm_test__ptr(TZM_TEST__LOC, "ASSERT_EQ_PTR", #a, #b, TZM_TEST_EQ, (const void *)(a),      \
		      (const void *)(b))
#define ASSERT_NE_PTR(a, b)                                                                        \
	tzm_test__ptr(TZM_TEST__LOC, "ASSERT_NE_PTR", #a, #b, TZM_TEST_NE, (const void *)(a),      \
		      (const void *)(b))

/* ---- strings and bytes ---------------------------------------------------------------- */
/* NUL-terminated strings; NULL equals only NULL. Printed quoted with C escapes. */
#define ASSERT_EQ_STR(a, b) tzm_test__str(TZM_TEST__LOC, "ASSERT_EQ_STR", #a, #b, true, (a), (b))
#define ASSERT_NE_STR(a, b) tzm_test__str(TZM_TEST__LOC, "ASSERT_NE_STR", #a, #b, false, (a), (b))
/* strstr(hay, needle) != NULL. */
#define ASSERT_STR_CONTAINS(hay, needle)                                                           \
	tzm_test__contains(TZM_TEST__LOC, #hay, #needle, (hay), (needle), true)
#define ASSERT_STR_NOT_CONTAINS(hay, needle)                                                       \
	tzm_test__contains(TZM_TEST__LOC, #hay, #needle, (hay), (needle), false)
/* n bytes; a failure shows the first differing offset and the bytes around it. */
#define ASSERT_EQ_MEM(a, b, n)                                                                     \
	tzm_test__mem(TZM_TEST__LOC, "ASSERT_EQ_MEM", #a, #b, #n, true, (a), (b), (size_t)(n))
#define ASSERT_NE_MEM(a, b, n)                                                                     \
	tzm_test__mem(TZM_TEST__LOC, "ASSERT_NE_MEM", #a, #b, #n, false, (a), (b), (size_t)(n))

/* ---- errors --------------------------------------------------------------------------- */
/* Internal convention (0 or -errno): expr must be 0; a failure names the error. */
#define ASSERT_OK(expr)                                                                            \
	tzm_test__errval(TZM_TEST__LOC, "ASSERT_OK", #expr, "0", (long long)(expr), 0)
/* Two errno values (either sign: -ENOENT is printed as such): got == want, by name. */
#define ASSERT_EQ_ERRNO(got, want)                                                                 \
	tzm_test__errval(TZM_TEST__LOC, "ASSERT_EQ_ERRNO", #got, #want, (long long)(got),          \
			 (long long)(want))
/*
 * A system call in the -1/errno convention must fail with errno == err. errno is cleared
 * before the call and read by the check at its entry, i.e. right after the call (the
 * other arguments are constants, so nothing runs in between).
 */
#define ASSERT_ERRNO(call, err)                                                                    \
	tzm_test__errno(TZM_TEST__LOC, #call, #err, (err), (errno = 0, (long long)(call)))
/* A system call in the -1/errno convention must succeed; evaluates to its result. */
#define ASSERT_SYS(call) tzm_test__sys(TZM_TEST__LOC, #call, (errno = 0, (long long)(call)))

/*
 * GlobalPlatform results, printed by name. TEEC_ and TEE_ codes share their values; the
 * two spellings only choose the prefix of the printed names.
 */
#define ASSERT_TEEC_RES(res, want)                                                                 \
	tzm_test__gp(TZM_TEST__LOC, "ASSERT_TEEC_RES", "TEEC_", #res, #want, (uint32_t)(res),      \
		     (uint32_t)(want), 0, TZM_TEST_ANY_ORIGIN)
#define ASSERT_TEEC_OK(res) ASSERT_TEEC_RES(res, 0)
/* Result and returnOrigin; want_origin TZM_TEST_ANY_ORIGIN checks the result only. */
#define ASSERT_TEEC_RES_ORIGIN(res, origin, want, want_origin)                                     \
	tzm_test__gp(TZM_TEST__LOC, "ASSERT_TEEC_RES_ORIGIN", "TEEC_", #res, #want,                \
		     (uint32_t)(res), (uint32_t)(want), (uint32_t)(origin),                        \
		     (uint32_t)(want_origin))
#define ASSERT_TEE_RES(res, want)                                                                  \
	tzm_test__gp(TZM_TEST__LOC, "ASSERT_TEE_RES", "TEE_", #res, #want, (uint32_t)(res),        \
		     (uint32_t)(want), 0, TZM_TEST_ANY_ORIGIN)
#define ASSERT_TEE_OK(res) ASSERT_TEE_RES(res, 0)

/* ---- control -------------------------------------------------------------------------- */
/* Unconditional failure with a message (a state the test cannot continue from). */
#define TEST_FAIL(...) tzm_test__fail(TZM_TEST__LOC, __VA_ARGS__)
/* Context for the following checks: printed now ("-- ...") and in a failure report. */
#define TEST_STEP(...) tzm_test_step(__VA_ARGS__)
/*
 * The same context, shown only in a failure report: for a step that changes so often that
 * printing each would drown the transcript (each request of a fault-injection run).
 */
#define TEST_CONTEXT(...) tzm_test_context(__VA_ARGS__)
/* Ends the program with status 77 after printing "SKIP <why>" (not in a GP TA). */
#define TEST_SKIP(...) tzm_test_skip(__VA_ARGS__)

void tzm_test_step(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void tzm_test_context(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void tzm_test_skip(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
/* Name of an errno value ("EAGAIN"); "0" for 0, "E<n>" for values it does not know. */
const char *tzm_test_errno_name(int err);
/* Name of a GP result without prefix ("ERROR_TARGET_DEAD"), NULL if unknown. */
const char *tzm_test_gp_result_name(uint32_t res);
/* Name of a GP origin without prefix ("ORIGIN_TEE"), NULL if unknown. */
const char *tzm_test_gp_origin_name(uint32_t origin);

/* Internals called by the macros. */
void tzm_test__fail(const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4), noreturn));
void tzm_test__bool(const char *file, int line, const char *check, const char *expr, bool got,
		    bool want);
void tzm_test__int(const char *file, int line, const char *check, const char *ea, const char *eb,
		   enum tzm_test_op op, long long a, long long b);
void tzm_test__u64(const char *file, int line, const char *check, const char *ea, const char *eb,
		   enum tzm_test_op op, unsigned long long a, unsigned long long b);
void tzm_test__ptr(const char *file, int line, const char *check, const char *ea, const char *eb,
		   enum tzm_test_op op, const void *a, const void *b);
void tzm_test__str(const char *file, int line, const char *check, const char *ea, const char *eb,
		   bool equal, const char *a, const char *b);
void tzm_test__contains(const char *file, int line, const char *ehay, const char *eneedle,
			const char *hay, const char *needle, bool want);
void tzm_test__mem(const char *file, int line, const char *check, const char *ea, const char *eb,
		   const char *en, bool equal, const void *a, const void *b, size_t n);
void tzm_test__errval(const char *file, int line, const char *check, const char *ea, const char *eb,
		      long long a, long long b);
void tzm_test__errno(const char *file, int line, const char *call, const char *eerr, int want,
		     long long ret);
long long tzm_test__sys(const char *file, int line, const char *call, long long ret);
void tzm_test__gp(const char *file, int line, const char *check, const char *prefix,
		  const char *eres, const char *ewant, uint32_t res, uint32_t want, uint32_t origin,
		  uint32_t want_origin);

#ifdef __cplusplus
}
#endif

#endif
