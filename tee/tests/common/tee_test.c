/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Implementation of the test host helpers (see tee_test.h): checks of GP
 * results and origins, UUID parsing and the usual open-context/open-session boilerplate.
 */
#include <tee_test.h>

#include "uuid.h"

#include <stdarg.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

const char *tt_result_name(TEEC_Result res)
{
	static char text[64];
	const char *name = tzm_test_gp_result_name(res);

	if (name == NULL) {
		return "(unknown result)";
	}
	snprintf(text, sizeof(text), "TEEC_%s", name);
	return text;
}

const char *tt_origin_name(uint32_t origin)
{
	static char text[64];
	const char *name = tzm_test_gp_origin_name(origin);

	if (name == NULL) {
		return "(unknown origin)";
	}
	snprintf(text, sizeof(text), "TEEC_%s", name);
	return text;
}

TEEC_UUID tt_uuid(const char *text)
{
	TEEC_UUID u;

	_Static_assert(sizeof(u) == sizeof(struct tzm__uuid), "TEEC_UUID is a struct tzm__uuid");
	if (tzm__uuid_from_str(text, (struct tzm__uuid *)&u) != 0) {
		fprintf(stderr, "tt_uuid: malformed UUID '%s'\n", text);
		exit(2);
	}
	return u;
}

void tt_init_context(TEEC_Context *ctx)
{
	TEEC_Result res = TEEC_InitializeContext(NULL, ctx);

	ASSERT_TEEC_OK(res);
}

void tt_open_session(TEEC_Context *ctx, TEEC_Session *sess, const char *uuid)
{
	TEEC_UUID u = tt_uuid(uuid);
	uint32_t origin = 0;
	TEEC_Result res = TEEC_OpenSession(ctx, sess, &u, TEEC_LOGIN_PUBLIC, NULL, NULL, &origin);

	TEST_STEP("TEEC_OpenSession(%s)", uuid);
	ASSERT_TEEC_RES(res, TEEC_SUCCESS);
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

uint32_t tt_get_value(TEEC_Session *sess, uint32_t cmd, uint32_t *b, const char *what)
{
	TEEC_Operation op;
	uint32_t origin = 0;
	TEEC_Result res;

	memset(&op, 0, sizeof(op));
	op.paramTypes = TEEC_PARAM_TYPES(TEEC_VALUE_OUTPUT, TEEC_NONE, TEEC_NONE, TEEC_NONE);
	res = TEEC_InvokeCommand(sess, cmd, &op, &origin);
	TEST_STEP("%s", what);
	ASSERT_TEEC_RES(res, TEEC_SUCCESS);
	if (b) {
		*b = op.params[0].value.b;
	}
	return op.params[0].value.a;
}

void tt_get_bytes(TEEC_Session *sess, uint32_t cmd, void *buf, size_t len, const char *what)
{
	TEEC_Operation op;
	uint32_t origin = 0;
	TEEC_Result res;

	memset(&op, 0, sizeof(op));
	op.paramTypes = TEEC_PARAM_TYPES(TEEC_MEMREF_TEMP_OUTPUT, TEEC_NONE, TEEC_NONE, TEEC_NONE);
	op.params[0].tmpref.buffer = buf;
	op.params[0].tmpref.size = len;
	res = TEEC_InvokeCommand(sess, cmd, &op, &origin);
	TEST_STEP("%s", what);
	ASSERT_TEEC_RES(res, TEEC_SUCCESS);
	TEST_STEP("%s: tmpref size after the call %zu (want %zu)", what, op.params[0].tmpref.size,
		  len);
	ASSERT_EQ_U64(op.params[0].tmpref.size, len);
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
	ASSERT_NOT_NULL(stderr_capture);
	stderr_saved = (int)ASSERT_SYS(dup(2));
	ASSERT_EQ_INT(ASSERT_SYS(dup2(fileno(stderr_capture), 2)), 2);
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

int tt_raw_connect(void)
{
	struct sockaddr_un sa;
	const char *dir = getenv("TZM_RUNTIME_DIR");
	int s = (int)ASSERT_SYS(socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0));

	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s/tee.sock", dir ? dir : ".");
	TEST_CONTEXT("connect to %s", sa.sun_path);
	ASSERT_SYS(connect(s, (struct sockaddr *)&sa, sizeof(sa)));
	return s;
}
