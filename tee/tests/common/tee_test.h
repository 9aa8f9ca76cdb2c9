/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * GlobalPlatform helpers for the TEE test hosts (tt_*: UUIDs, the usual context/session
 * boilerplate, tee.log and stderr capture). The checks themselves are tzm_test.h's
 * (tests/support), included here.
 */
#ifndef TEE_TEST_H
#define TEE_TEST_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <tee_client_api.h>
#include <tzm_test.h>

#define TT_SKIP 77

/* Aborts the test with a message (file:line) unless cond holds. */
#define TT_CHECK(cond, ...) tt__check((cond), __FILE__, __LINE__, #cond, __VA_ARGS__)

/* Asserts a GP result and origin: TT_EXPECT(res, origin, TEEC_SUCCESS, TEEC_ORIGIN_X). */
#define TT_EXPECT(res, origin, want_res, want_origin, what)                                        \
	tt__expect((res), (origin), (want_res), (want_origin), __FILE__, __LINE__, (what))

/* Origin value meaning "do not check the origin". */
#define TT_ANY_ORIGIN 0xffffffffu

void tt__check(bool ok, const char *file, int line, const char *expr, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
void tt__expect(TEEC_Result res, uint32_t origin, TEEC_Result want_res, uint32_t want_origin,
		const char *file, int line, const char *what);

/* Printable names for results and origins ("TEEC_ERROR_TARGET_DEAD", ...). */
const char *tt_result_name(TEEC_Result res);
const char *tt_origin_name(uint32_t origin);

/* Parses a canonical UUID string; exits on malformed input (test data bug). */
TEEC_UUID tt_uuid(const char *text);

/* Opens a context, exiting the test on failure. */
void tt_init_context(TEEC_Context *ctx);
/* Opens a session with TEEC_LOGIN_PUBLIC and no operation, expecting success. */
void tt_open_session(TEEC_Context *ctx, TEEC_Session *sess, const char *uuid);
/* Invokes cmd with one VALUE_INOUT (a, b); returns the result, stores the output. */
TEEC_Result tt_invoke_value(TEEC_Session *sess, uint32_t cmd, uint32_t *a, uint32_t *b,
			    uint32_t *origin);

/* Prints a section header. */
void tt_section(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Monotonic milliseconds. */
uint64_t tt_now_ms(void);

/* Captures what is written to stderr between the two calls (echoed at the end). */
void tt_stderr_begin(void);
const char *tt_stderr_end(void);

/* Lines of $TZM_RUNTIME_DIR/tee.log containing a (and b, unless NULL). */
unsigned tt_log_count(const char *a, const char *b);
/* Waits up to timeout_ms until at least count such lines are there. */
bool tt_log_wait(const char *a, const char *b, unsigned count, unsigned timeout_ms);

#endif
