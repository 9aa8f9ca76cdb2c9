/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The checks of tzm_test.h: compare, and on a mismatch print one report (location, check,
 * expression texts, both values, the current step) and end the test. Two backends chosen
 * at compile time: stdio + exit (programs, POSIX TAs) and trace_printf + TEE_Panic (GP TAs,
 * TZM_TEST_GP_TA=1). Everything is formatted into a fixed buffer first, so a report is one
 * write and the TA backend needs no allocation or file.
 */
#include "tzm_test.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <tee_api_defines.h>

#if TZM_TEST_GP_TA
#include <tee_internal_api.h>
#include <trace.h>
#else
#include <stdlib.h>
#endif

#define REPORT_MAX 2048
#define STEP_MAX 256
#define STR_SHOWN 200 /* characters of a string shown in a report */
#define MEM_CONTEXT 8 /* bytes shown before and after the first difference */

static char step[STEP_MAX];

/* STREAMS errors: wasi-libc has none (the WASI differential suite compiles this file too) */
#ifdef ENODATA
#define TZM_TEST_ERRNOS_STREAMS(X) X(ENODATA) X(ETIME)
#else
#define TZM_TEST_ERRNOS_STREAMS(X)
#endif

/* One list: errno value and its name (aliases after the name they share a value with). */
/* clang-format off */
#define TZM_TEST_ERRNOS(X) \
	X(EPERM) X(ENOENT) X(ESRCH) X(EINTR) X(EIO) X(ENXIO) X(E2BIG) X(ENOEXEC) X(EBADF) \
	X(ECHILD) X(EAGAIN) X(ENOMEM) X(EACCES) X(EFAULT) X(EBUSY) X(EEXIST) X(EXDEV) X(ENODEV) \
	X(ENOTDIR) X(EISDIR) X(EINVAL) X(ENFILE) X(EMFILE) X(ENOTTY) X(ETXTBSY) X(EFBIG) \
	X(ENOSPC) X(ESPIPE) X(EROFS) X(EMLINK) X(EPIPE) X(EDOM) X(ERANGE) X(EDEADLK) \
	X(ENAMETOOLONG) X(ENOLCK) X(ENOSYS) X(ENOTEMPTY) X(ELOOP) X(ENOMSG) X(EIDRM) \
	TZM_TEST_ERRNOS_STREAMS(X) X(EPROTO) X(EBADMSG) X(EOVERFLOW) X(EILSEQ) X(ENOTSOCK) \
	X(EDESTADDRREQ) X(EMSGSIZE) X(EPROTOTYPE) X(ENOPROTOOPT) X(EPROTONOSUPPORT) \
	X(EOPNOTSUPP) X(EAFNOSUPPORT) X(EADDRINUSE) X(EADDRNOTAVAIL) X(ENETDOWN) \
	X(ENETUNREACH) X(ECONNABORTED) X(ECONNRESET) X(ENOBUFS) X(EISCONN) X(ENOTCONN) \
	X(ETIMEDOUT) X(ECONNREFUSED) X(EHOSTUNREACH) X(EALREADY) X(EINPROGRESS) X(ESTALE) \
	X(EDQUOT) X(ECANCELED) X(EOWNERDEAD) X(ENOTRECOVERABLE) X(EWOULDBLOCK) X(ENOTSUP)
/* clang-format on */

const char *tzm_test_errno_name(int err)
{
	/* Per-thread would need TLS in TAs; unknown values are rare and only printed. */
	static char unknown[16];

	if (err == 0) {
		return "0";
	}
#define X(e)                                                                                       \
	if (err == (e)) {                                                                          \
		return #e;                                                                         \
	}
	TZM_TEST_ERRNOS(X)
#undef X
	snprintf(unknown, sizeof(unknown), "E%d", err);
	return unknown;
}

/* One list: GP results (TEE_ and TEEC_ share values and suffixes). */
/* clang-format off */
#define TZM_TEST_GP_RESULTS(X) \
	X(SUCCESS) X(ERROR_CORRUPT_OBJECT) X(ERROR_CORRUPT_OBJECT_2) \
	X(ERROR_STORAGE_NOT_AVAILABLE) X(ERROR_STORAGE_NOT_AVAILABLE_2) \
	X(ERROR_UNSUPPORTED_VERSION) X(ERROR_CIPHERTEXT_INVALID) X(ERROR_GENERIC) \
	X(ERROR_ACCESS_DENIED) X(ERROR_CANCEL) X(ERROR_ACCESS_CONFLICT) X(ERROR_EXCESS_DATA) \
	X(ERROR_BAD_FORMAT) X(ERROR_BAD_PARAMETERS) X(ERROR_BAD_STATE) X(ERROR_ITEM_NOT_FOUND) \
	X(ERROR_NOT_IMPLEMENTED) X(ERROR_NOT_SUPPORTED) X(ERROR_NO_DATA) X(ERROR_OUT_OF_MEMORY) \
	X(ERROR_BUSY) X(ERROR_COMMUNICATION) X(ERROR_SECURITY) X(ERROR_SHORT_BUFFER) \
	X(ERROR_EXTERNAL_CANCEL) X(ERROR_TIMEOUT) X(ERROR_OVERFLOW) X(ERROR_TARGET_DEAD) \
	X(ERROR_STORAGE_NO_SPACE) X(ERROR_MAC_INVALID) X(ERROR_SIGNATURE_INVALID) \
	X(ERROR_TIME_NOT_SET) X(ERROR_TIME_NEEDS_RESET)
#define TZM_TEST_GP_ORIGINS(X) X(ORIGIN_API) X(ORIGIN_COMMS) X(ORIGIN_TEE) X(ORIGIN_TRUSTED_APP)
/* clang-format on */

const char *tzm_test_gp_result_name(uint32_t res)
{
#define X(n)                                                                                       \
	if (res == (uint32_t)TEE_##n) {                                                            \
		return #n;                                                                         \
	}
	TZM_TEST_GP_RESULTS(X)
#undef X
	return NULL;
}

const char *tzm_test_gp_origin_name(uint32_t origin)
{
#define X(n)                                                                                       \
	if (origin == (uint32_t)TEE_##n) {                                                         \
		return #n;                                                                         \
	}
	TZM_TEST_GP_ORIGINS(X)
#undef X
	return NULL;
}

/* A report under construction: appends never overflow, a long report is cut. */
struct report {
	char text[REPORT_MAX];
	size_t len;
};

static void __attribute__((format(printf, 2, 0)))
vadd(struct report *r, const char *fmt, va_list ap)
{
	int n = 0;

	if (r->len >= sizeof(r->text) - 1) {
		return;
	}
	n = vsnprintf(r->text + r->len, sizeof(r->text) - r->len, fmt, ap);
	if (n > 0) {
		r->len += (size_t)n;
	}
	if (r->len >= sizeof(r->text)) {
		r->len = sizeof(r->text) - 1;
	}
}

static void __attribute__((format(printf, 2, 3))) add(struct report *r, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vadd(r, fmt, ap);
	va_end(ap);
}

static void begin(struct report *r, const char *file, int line)
{
	r->len = 0;
	r->text[0] = '\0';
	add(r, "FAIL %s:%d: ", file, line);
}

/* Adds "     <label> = " (the value follows). */
static void label(struct report *r, const char *text)
{
	add(r, "\n     %s = ", text);
}

/* Prints the report and ends the test (never returns). */
static void __attribute__((noreturn)) finish(struct report *r)
{
	if (step[0] != '\0') {
		add(r, "\n     step: %s", step);
	}
#if TZM_TEST_GP_TA
	/* tee.log takes one line per trace call: one call per report line. */
	char *line = r->text;

	while (line != NULL) {
		char *next = strchr(line, '\n');

		if (next != NULL) {
			*next++ = '\0';
		}
		trace_printf("tzm_test", 0, TRACE_ERROR, false, "%s", line);
		line = next;
	}
	TEE_Panic(TZM_TEST_PANIC_CODE);
	for (;;) {
	}
#else
	fflush(stdout);
	fprintf(stderr, "%s\n", r->text);
	fflush(stderr);
	exit(1);
#endif
}

/* One comparison, instantiated for the signed and the unsigned operands of the checks. */
#define DEFINE_COMPARE(name, type)                                                                 \
	static bool name(enum tzm_test_op op, type a, type b)                                      \
	{                                                                                          \
		switch (op) {                                                                      \
		case TZM_TEST_EQ:                                                                  \
			return a == b;                                                             \
		case TZM_TEST_NE:                                                                  \
			return a != b;                                                             \
		case TZM_TEST_LT:                                                                  \
			return a < b;                                                              \
		case TZM_TEST_LE:                                                                  \
			return a <= b;                                                             \
		case TZM_TEST_GT:                                                                  \
			return a > b;                                                              \
		case TZM_TEST_GE:                                                                  \
			return a >= b;                                                             \
		}                                                                                  \
		return false;                                                                      \
	}

DEFINE_COMPARE(compare_ll, long long)
DEFINE_COMPARE(compare_ull, unsigned long long)

void tzm_test_step(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(step, sizeof(step), fmt, ap);
	va_end(ap);
#if TZM_TEST_GP_TA
	/* Steps are context for a failure: a TA keeps them quiet (tee.log is shared). */
#else
	printf("-- %s\n", step);
	fflush(stdout);
#endif
}

void tzm_test_context(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(step, sizeof(step), fmt, ap);
	va_end(ap);
}

void tzm_test_skip(const char *fmt, ...)
{
	struct report r;
	va_list ap;

	r.len = 0;
	add(&r, "SKIP ");
	va_start(ap, fmt);
	vadd(&r, fmt, ap);
	va_end(ap);
#if TZM_TEST_GP_TA
	trace_printf("tzm_test", 0, TRACE_ERROR, false, "%s", r.text);
	TEE_Panic(TZM_TEST_PANIC_CODE);
	for (;;) {
	}
#else
	fflush(stdout);
	fprintf(stderr, "%s\n", r.text);
	exit(TZM_TEST_SKIP_STATUS);
#endif
}

void tzm_test__fail(const char *file, int line, const char *fmt, ...)
{
	struct report r;
	va_list ap;

	begin(&r, file, line);
	va_start(ap, fmt);
	vadd(&r, fmt, ap);
	va_end(ap);
	finish(&r);
}

void tzm_test__bool(const char *file, int line, const char *check, const char *expr, bool got,
		    bool want)
{
	struct report r;

	if (got == want) {
		return;
	}
	begin(&r, file, line);
	add(&r, "%s(%s)", check, expr);
	label(&r, expr);
	add(&r, "%s", got ? "true" : "false");
	finish(&r);
}

static const char *op_text(enum tzm_test_op op)
{
	static const char *const text[] = { "==", "!=", "<", "<=", ">", ">=" };

	return (size_t)op < sizeof(text) / sizeof(text[0]) ? text[op] : "?";
}

void tzm_test__int(const char *file, int line, const char *check, const char *ea, const char *eb,
		   enum tzm_test_op op, long long a, long long b)
{
	struct report r;

	if (compare_ll(op, a, b)) {
		return;
	}
	begin(&r, file, line);
	add(&r, "%s(%s, %s): want %s %s %s", check, ea, eb, ea, op_text(op), eb);
	label(&r, ea);
	add(&r, "%lld (0x%llx)", a, (unsigned long long)a);
	label(&r, eb);
	add(&r, "%lld (0x%llx)", b, (unsigned long long)b);
	finish(&r);
}

void tzm_test__u64(const char *file, int line, const char *check, const char *ea, const char *eb,
		   enum tzm_test_op op, unsigned long long a, unsigned long long b)
{
	struct report r;

	if (compare_ull(op, a, b)) {
		return;
	}
	begin(&r, file, line);
	add(&r, "%s(%s, %s): want %s %s %s", check, ea, eb, ea, op_text(op), eb);
	label(&r, ea);
	add(&r, "%llu (0x%llx)", a, a);
	label(&r, eb);
	add(&r, "%llu (0x%llx)", b, b);
	finish(&r);
}

void tzm_test__ptr(const char *file, int line, const char *check, const char *ea, const char *eb,
		   enum tzm_test_op op, const void *a, const void *b)
{
	struct report r;

	if ((op == TZM_TEST_EQ) == (a == b)) {
		return;
	}
	begin(&r, file, line);
	if (strcmp(eb, "NULL") == 0 && b == NULL) {
		add(&r, "%s(%s)", check, ea);
	} else {
		add(&r, "%s(%s, %s)", check, ea, eb);
	}
	label(&r, ea);
	add(&r, "%p", a);
	label(&r, eb);
	add(&r, "%p", b);
	finish(&r);
}

/* Adds s quoted, with C escapes, cut after STR_SHOWN characters. */
static void add_quoted(struct report *r, const char *s, size_t n)
{
	size_t shown = n < STR_SHOWN ? n : STR_SHOWN;

	if (s == NULL) {
		add(r, "NULL");
		return;
	}
	add(r, "\"");
	for (size_t i = 0; i < shown; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '"' || c == '\\') {
			add(r, "\\%c", c);
		} else if (c == '\n') {
			add(r, "\\n");
		} else if (c == '\t') {
			add(r, "\\t");
		} else if (c < 0x20 || c >= 0x7f) {
			add(r, "\\x%02x", c);
		} else {
			add(r, "%c", c);
		}
	}
	add(r, "\"");
	if (shown < n) {
		add(r, "... (%zu bytes)", n);
	}
}

void tzm_test__str(const char *file, int line, const char *check, const char *ea, const char *eb,
		   bool equal, const char *a, const char *b)
{
	bool same = (a == NULL || b == NULL) ? a == b : strcmp(a, b) == 0;
	struct report r;

	if (same == equal) {
		return;
	}
	begin(&r, file, line);
	add(&r, "%s(%s, %s)", check, ea, eb);
	label(&r, ea);
	add_quoted(&r, a, a ? strlen(a) : 0);
	label(&r, eb);
	add_quoted(&r, b, b ? strlen(b) : 0);
	finish(&r);
}

void tzm_test__contains(const char *file, int line, const char *ehay, const char *eneedle,
			const char *hay, const char *needle, bool want)
{
	bool found = hay != NULL && needle != NULL && strstr(hay, needle) != NULL;
	struct report r;

	if (found == want) {
		return;
	}
	begin(&r, file, line);
	add(&r, "%s(%s, %s)", want ? "ASSERT_STR_CONTAINS" : "ASSERT_STR_NOT_CONTAINS", ehay,
	    eneedle);
	label(&r, ehay);
	add_quoted(&r, hay, hay ? strlen(hay) : 0);
	label(&r, eneedle);
	add_quoted(&r, needle, needle ? strlen(needle) : 0);
	finish(&r);
}

static void add_hex(struct report *r, const unsigned char *p, size_t from, size_t to)
{
	add(r, "[%zu..%zu)", from, to);
	for (size_t i = from; i < to; i++) {
		add(r, " %02x", p[i]);
	}
}

void tzm_test__mem(const char *file, int line, const char *check, const char *ea, const char *eb,
		   const char *en, bool equal, const void *a, const void *b, size_t n)
{
	const unsigned char *pa = a, *pb = b;
	size_t diff = 0, from = 0, to = 0;
	struct report r;

	if (a == NULL || b == NULL) {
		begin(&r, file, line);
		add(&r, "%s(%s, %s, %s): NULL buffer (%p, %p)", check, ea, eb, en, a, b);
		finish(&r);
	}
	while (diff < n && pa[diff] == pb[diff]) {
		diff++;
	}
	if ((diff == n) == equal) {
		return;
	}
	begin(&r, file, line);
	add(&r, "%s(%s, %s, %s) over %zu bytes", check, ea, eb, en, n);
	if (!equal) {
		add(&r, ": the buffers are equal");
		finish(&r);
	}
	from = diff > MEM_CONTEXT ? diff - MEM_CONTEXT : 0;
	to = n - diff > MEM_CONTEXT ? diff + MEM_CONTEXT : n;
	add(&r, ": first difference at offset %zu", diff);
	label(&r, ea);
	add_hex(&r, pa, from, to);
	label(&r, eb);
	add_hex(&r, pb, from, to);
	finish(&r);
}

/* Adds v as an errno value with its sign: "-ENOENT (-2)", "0", "EINTR (4)". */
static void add_errval(struct report *r, long long v)
{
	long long mag = v < 0 ? -v : v;

	if (v == 0) {
		add(r, "0");
	} else if (mag <= 4095) {
		add(r, "%s%s (%lld)", v < 0 ? "-" : "", tzm_test_errno_name((int)mag), v);
	} else if (v > 0 && v <= 0xffffffffLL && tzm_test_gp_result_name((uint32_t)v) != NULL) {
		/* ASSERT_OK on a TEE_Result / TEEC_Result */
		add(r, "TEE_%s (0x%08llx)", tzm_test_gp_result_name((uint32_t)v), v);
	} else {
		add(r, "%lld (0x%llx)", v, (unsigned long long)v);
	}
}

void tzm_test__errval(const char *file, int line, const char *check, const char *ea, const char *eb,
		      long long a, long long b)
{
	struct report r;

	if (a == b) {
		return;
	}
	begin(&r, file, line);
	if (strcmp(check, "ASSERT_OK") == 0) {
		add(&r, "%s(%s)", check, ea);
	} else {
		add(&r, "%s(%s, %s)", check, ea, eb);
	}
	label(&r, ea);
	add_errval(&r, a);
	label(&r, eb);
	add_errval(&r, b);
	finish(&r);
}

void tzm_test__errno(const char *file, int line, const char *call, const char *eerr, int want,
		     long long ret)
{
	int err = errno; /* first: the call just returned */
	struct report r;

	if (ret == -1 && err == want) {
		return;
	}
	begin(&r, file, line);
	add(&r, "ASSERT_ERRNO(%s, %s): want -1 with errno %s", call, eerr,
	    tzm_test_errno_name(want));
	label(&r, call);
	if (ret == -1) {
		add(&r, "-1, errno %s", tzm_test_errno_name(err));
	} else {
		add(&r, "%lld (success)", ret);
	}
	finish(&r);
}

long long tzm_test__sys(const char *file, int line, const char *call, long long ret)
{
	int err = errno; /* first: the call just returned */
	struct report r;

	if (ret != -1) {
		return ret;
	}
	begin(&r, file, line);
	add(&r, "ASSERT_SYS(%s)", call);
	label(&r, call);
	add(&r, "-1, errno %s", tzm_test_errno_name(err));
	finish(&r);
}

static void add_gp(struct report *r, const char *prefix, uint32_t v, bool origin)
{
	const char *name = origin ? tzm_test_gp_origin_name(v) : tzm_test_gp_result_name(v);

	if (name != NULL) {
		add(r, "%s%s (0x%08x)", prefix, name, (unsigned)v);
	} else {
		add(r, "0x%08x", (unsigned)v);
	}
}

void tzm_test__gp(const char *file, int line, const char *check, const char *prefix,
		  const char *eres, const char *ewant, uint32_t res, uint32_t want, uint32_t origin,
		  uint32_t want_origin)
{
	bool any = want_origin == TZM_TEST_ANY_ORIGIN;
	struct report r;

	if (res == want && (any || origin == want_origin)) {
		return;
	}
	begin(&r, file, line);
	add(&r, "%s(%s, %s)", check, eres, ewant);
	label(&r, eres);
	add_gp(&r, prefix, res, false);
	if (!any) {
		add(&r, ", origin ");
		add_gp(&r, prefix, origin, true);
	}
	label(&r, "want");
	add_gp(&r, prefix, want, false);
	if (!any) {
		add(&r, ", origin ");
		add_gp(&r, prefix, want_origin, true);
	}
	finish(&r);
}
