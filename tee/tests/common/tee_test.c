/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Implementation of the test host helpers (see tee_test.h): checks of GP
 * results and origins, UUID parsing and the usual open-context/open-session boilerplate.
 */
#include <tee_test.h>

#include <stdarg.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

void tt__check(bool ok, const char *file, int line, const char *expr, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	if (ok) {
		fputs("  ok   ", stdout);
		vfprintf(stdout, fmt, ap);
		fputc('\n', stdout);
		fflush(stdout);
	} else {
		fflush(stdout);
		fprintf(stderr, "  FAIL %s:%d: ", file, line);
		vfprintf(stderr, fmt, ap);
		fprintf(stderr, "\n       (assertion `%s` is false)\n", expr);
		va_end(ap);
		exit(1);
	}
	va_end(ap);
}

#define TT_RESULTS(X)                                                                              \
	X(TEEC_SUCCESS)                                                                            \
	X(TEEC_ERROR_STORAGE_NOT_AVAILABLE)                                                        \
	X(TEEC_ERROR_GENERIC)                                                                      \
	X(TEEC_ERROR_ACCESS_DENIED)                                                                \
	X(TEEC_ERROR_CANCEL)                                                                       \
	X(TEEC_ERROR_ACCESS_CONFLICT)                                                              \
	X(TEEC_ERROR_EXCESS_DATA)                                                                  \
	X(TEEC_ERROR_BAD_FORMAT)                                                                   \
	X(TEEC_ERROR_BAD_PARAMETERS)                                                               \
	X(TEEC_ERROR_BAD_STATE)                                                                    \
	X(TEEC_ERROR_ITEM_NOT_FOUND)                                                               \
	X(TEEC_ERROR_NOT_IMPLEMENTED)                                                              \
	X(TEEC_ERROR_NOT_SUPPORTED)                                                                \
	X(TEEC_ERROR_NO_DATA)                                                                      \
	X(TEEC_ERROR_OUT_OF_MEMORY)                                                                \
	X(TEEC_ERROR_BUSY)                                                                         \
	X(TEEC_ERROR_COMMUNICATION)                                                                \
	X(TEEC_ERROR_SECURITY)                                                                     \
	X(TEEC_ERROR_SHORT_BUFFER)                                                                 \
	X(TEEC_ERROR_EXTERNAL_CANCEL)                                                              \
	X(TEEC_ERROR_TARGET_DEAD)

const char *tt_result_name(TEEC_Result res)
{
#define TT_CASE(n)                                                                                 \
	case n:                                                                                    \
		return #n;
	switch (res) {
		TT_RESULTS(TT_CASE)
	default:
		return "(unknown result)";
	}
#undef TT_CASE
}

const char *tt_origin_name(uint32_t origin)
{
	switch (origin) {
	case TEEC_ORIGIN_API:
		return "TEEC_ORIGIN_API";
	case TEEC_ORIGIN_COMMS:
		return "TEEC_ORIGIN_COMMS";
	case TEEC_ORIGIN_TEE:
		return "TEEC_ORIGIN_TEE";
	case TEEC_ORIGIN_TRUSTED_APP:
		return "TEEC_ORIGIN_TRUSTED_APP";
	default:
		return "(unknown origin)";
	}
}

void tt__expect(TEEC_Result res, uint32_t origin, TEEC_Result want_res, uint32_t want_origin,
		const char *file, int line, const char *what)
{
	bool ok = res == want_res && (want_origin == TT_ANY_ORIGIN || origin == want_origin);

	if (want_origin == TT_ANY_ORIGIN) {
		tt__check(ok, file, line, "result matches", "%s -> %s (0x%08x) [want %s]", what,
			  tt_result_name(res), (unsigned)res, tt_result_name(want_res));
	} else {
		tt__check(ok, file, line, "result and origin match",
			  "%s -> %s (0x%08x), origin %s [want %s, %s]", what, tt_result_name(res),
			  (unsigned)res, tt_origin_name(origin), tt_result_name(want_res),
			  tt_origin_name(want_origin));
	}
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9') {
		return c - '0';
	}
	if (c >= 'a' && c <= 'f') {
		return c - 'a' + 10;
	}
	if (c >= 'A' && c <= 'F') {
		return c - 'A' + 10;
	}
	return -1;
}

TEEC_UUID tt_uuid(const char *text)
{
	uint8_t b[16] = { 0 };
	size_t n = 0;
	TEEC_UUID u;

	for (size_t i = 0; text[i] != '\0'; i++) {
		if (text[i] == '-') {
			continue;
		}
		int hi = hexval(text[i]);
		int lo = text[i + 1] != '\0' ? hexval(text[i + 1]) : -1;
		if (hi < 0 || lo < 0 || n >= sizeof(b)) {
			fprintf(stderr, "tt_uuid: malformed UUID '%s'\n", text);
			exit(2);
		}
		b[n++] = (uint8_t)(hi << 4 | lo);
		i++;
	}
	if (n != sizeof(b)) {
		fprintf(stderr, "tt_uuid: malformed UUID '%s'\n", text);
		exit(2);
	}
	u.timeLow = (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
	u.timeMid = (uint16_t)(b[4] << 8 | b[5]);
	u.timeHiAndVersion = (uint16_t)(b[6] << 8 | b[7]);
	memcpy(u.clockSeqAndNode, b + 8, 8);
	return u;
}

void tt_init_context(TEEC_Context *ctx)
{
	TEEC_Result res = TEEC_InitializeContext(NULL, ctx);

	TT_EXPECT(res, TEEC_ORIGIN_API, TEEC_SUCCESS, TT_ANY_ORIGIN, "TEEC_InitializeContext");
}

void tt_open_session(TEEC_Context *ctx, TEEC_Session *sess, const char *uuid)
{
	TEEC_UUID u = tt_uuid(uuid);
	uint32_t origin = 0;
	TEEC_Result res = TEEC_OpenSession(ctx, sess, &u, TEEC_LOGIN_PUBLIC, NULL, NULL, &origin);
	char what[96];

	snprintf(what, sizeof(what), "TEEC_OpenSession(%s)", uuid);
	TT_EXPECT(res, origin, TEEC_SUCCESS, TT_ANY_ORIGIN, what);
}

TEEC_Result tt_invoke_value(TEEC_Session *sess, uint32_t cmd, uint32_t *a, uint32_t *b,
			    uint32_t *origin)
{
	TEEC_Operation op;
	TEEC_Result res;

	memset(&op, 0, sizeof(op));
	op.paramTypes = TEEC_PARAM_TYPES(TEEC_VALUE_INOUT, TEEC_NONE, TEEC_NONE, TEEC_NONE);
	op.params[0].value.a = a ? *a : 0;
	op.params[0].value.b = b ? *b : 0;
	res = TEEC_InvokeCommand(sess, cmd, &op, origin);
	if (a) {
		*a = op.params[0].value.a;
	}
	if (b) {
		*b = op.params[0].value.b;
	}
	return res;
}

void tt_section(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("== ", stdout);
	vfprintf(stdout, fmt, ap);
	fputc('\n', stdout);
	fflush(stdout);
	va_end(ap);
}

uint64_t tt_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

unsigned tt_log_count(const char *a, const char *b)
{
	const char *run = getenv("TZM_RUNTIME_DIR");
	char path[4200], line[4096];
	unsigned n = 0;
	FILE *f;

	if (!run) {
		return 0;
	}
	snprintf(path, sizeof(path), "%s/tee.log", run);
	f = fopen(path, "re");
	while (f && fgets(line, sizeof(line), f)) {
		n += strstr(line, a) && (!b || strstr(line, b));
	}
	if (f) {
		fclose(f);
	}
	return n;
}

/* tee.log lines are written by tzm-teed, some of them when it reaps a TA host, a moment
 * after the client got its answer: poll for a while. */
bool tt_log_wait(const char *a, const char *b, unsigned count, unsigned timeout_ms)
{
	uint64_t deadline = tt_now_ms() + timeout_ms;
	struct timespec pause = { 0, 20 * 1000 * 1000 };

	while (tt_log_count(a, b) < count) {
		if (tt_now_ms() >= deadline) {
			return false;
		}
		nanosleep(&pause, NULL);
	}
	return true;
}

static int stderr_saved = -1;
static FILE *stderr_capture;

void tt_stderr_begin(void)
{
	fflush(stderr);
	stderr_capture = tmpfile();
	stderr_saved = dup(2);
	TT_CHECK(stderr_capture && stderr_saved >= 0 && dup2(fileno(stderr_capture), 2) == 2,
		 "capture stderr");
}

const char *tt_stderr_end(void)
{
	static char text[8192];
	size_t n = 0;

	fflush(stderr);
	dup2(stderr_saved, 2);
	close(stderr_saved);
	stderr_saved = -1;
	rewind(stderr_capture);
	n = fread(text, 1, sizeof(text) - 1, stderr_capture);
	text[n] = '\0';
	fclose(stderr_capture);
	stderr_capture = NULL;
	fputs(text, stderr); /* still part of the test's output */
	return text;
}
