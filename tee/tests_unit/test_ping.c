/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * tee_ping [uuid] [cmd] [hold]: the smallest GP client, for shell tests of set-up and
 * lookup: opens a context and a session to the TA (default: the counter TA), invokes cmd
 * (default 0) with one VALUE_INOUT and prints "tee_ping: <uuid>: a=<value a>"; with
 * "hold", keeps the session open until stdin reaches EOF.
 * Exit status 0 on success, 1 on any failure (the GP result is printed on stderr, after
 * whatever libteec said there).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <tee_client_api.h>

#include "uuid.h"

int main(int argc, char **argv)
{
	const char *uuid_str = argc > 1 ? argv[1] : "19e2a039-1247-4870-b42e-a4a75f185999";
	uint32_t cmd = argc > 2 ? (uint32_t)strtoul(argv[2], NULL, 0) : 0;
	TEEC_Context ctx;
	TEEC_Session sess;
	TEEC_Operation op;
	TEEC_UUID uuid;
	TEEC_Result res;
	uint32_t origin = 0;
	uint8_t bytes[16];

	if (tzm__uuid_parse(uuid_str, bytes)) {
		fprintf(stderr, "tee_ping: %s: not a UUID\n", uuid_str);
		return 2;
	}
	tzm__uuid_from_bytes(bytes, (struct tzm__uuid *)&uuid);
	res = TEEC_InitializeContext(NULL, &ctx);
	if (res != TEEC_SUCCESS) {
		fprintf(stderr, "tee_ping: TEEC_InitializeContext: 0x%08x\n", res);
		return 1;
	}
	res = TEEC_OpenSession(&ctx, &sess, &uuid, TEEC_LOGIN_PUBLIC, NULL, NULL, &origin);
	if (res != TEEC_SUCCESS) {
		fprintf(stderr, "tee_ping: TEEC_OpenSession: 0x%08x origin %u\n", res, origin);
		TEEC_FinalizeContext(&ctx);
		return 1;
	}
	memset(&op, 0, sizeof(op));
	op.paramTypes = TEEC_PARAM_TYPES(TEEC_VALUE_INOUT, TEEC_NONE, TEEC_NONE, TEEC_NONE);
	op.params[0].value.a = 42;
	res = TEEC_InvokeCommand(&sess, cmd, &op, &origin);
	if (res != TEEC_SUCCESS) {
		fprintf(stderr, "tee_ping: TEEC_InvokeCommand: 0x%08x origin %u\n", res, origin);
	} else {
		printf("tee_ping: %s: a=%u\n", uuid_str, op.params[0].value.a);
		fflush(stdout);
		if (argc > 3 && strcmp(argv[3], "hold") == 0) {
			while (getchar() != EOF) {
			}
		}
	}
	TEEC_CloseSession(&sess);
	TEEC_FinalizeContext(&ctx);
	return res == TEEC_SUCCESS ? 0 : 1;
}
