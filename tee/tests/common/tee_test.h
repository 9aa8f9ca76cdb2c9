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

/* Printable names for results and origins ("TEEC_ERROR_TARGET_DEAD", ...), for messages. */
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

/*
 * Invokes cmd with one VALUE_OUTPUT; the call must succeed (what: the step's text).
 * Returns value.a and stores value.b in *b unless b is NULL.
 */
uint32_t tt_get_value(TEEC_Session *sess, uint32_t cmd, uint32_t *b, const char *what);
/* Invokes cmd with one MEMREF_TEMP_OUTPUT of len bytes; it must succeed and fill all len. */
void tt_get_bytes(TEEC_Session *sess, uint32_t cmd, void *buf, size_t len, const char *what);
/*
 * A raw protocol client: a SOCK_SEQPACKET connection to $TZM_RUNTIME_DIR/tee.sock (the
 * core must be running); a failure ends the test.
 */
int tt_raw_connect(void);

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
