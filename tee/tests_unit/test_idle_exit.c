/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * tee_idle_exit: tzm-teed exits when idle and libteec starts it again on demand; no
 * client may be lost in between. Run with TZM_IDLE_EXIT_MS=1, so that the daemon exits
 * after nearly every client: several processes then open contexts back to back, and
 * every one of them must be served (a connection queued just before the daemon exits,
 * or a daemon that exits before the client that started it connects, used to end in
 * TEEC_ERROR_COMMUNICATION after a 30 s wait). The test also requires that the daemon
 * really did exit and restart several times, or it proved nothing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <tee_client_api.h>

static const TEEC_UUID counter = { 0x19e2a039, 0x1247, 0x4870,
				   { 0xb4, 0x2e, 0xa4, 0xa7, 0x5f, 0x18, 0x59, 0x99 } };
#define COUNTER_CMD_INC 0
#define WORKERS 3
#define ROUNDS 40

/* One client's whole life: context, session, one call, close. 0 when served right. */
static int one_client(int round)
{
	TEEC_Context ctx;
	TEEC_Session s;
	TEEC_Operation op;
	TEEC_Result res;
	uint32_t origin = 0;

	res = TEEC_InitializeContext(NULL, &ctx);
	if (res != TEEC_SUCCESS) {
		fprintf(stderr, "round %d: TEEC_InitializeContext: 0x%x\n", round, res);
		return -1;
	}
	res = TEEC_OpenSession(&ctx, &s, &counter, TEEC_LOGIN_PUBLIC, NULL, NULL, &origin);
	if (res != TEEC_SUCCESS) {
		fprintf(stderr, "round %d: TEEC_OpenSession: 0x%x origin %u\n", round, res, origin);
		TEEC_FinalizeContext(&ctx);
		return -1;
	}
	memset(&op, 0, sizeof(op));
	op.paramTypes = TEEC_PARAM_TYPES(TEEC_VALUE_INOUT, TEEC_NONE, TEEC_NONE, TEEC_NONE);
	op.params[0].value.a = (uint32_t)round;
	res = TEEC_InvokeCommand(&s, COUNTER_CMD_INC, &op, &origin);
	TEEC_CloseSession(&s);
	TEEC_FinalizeContext(&ctx);
	if (res != TEEC_SUCCESS || op.params[0].value.a != (uint32_t)round + 1) {
		fprintf(stderr, "round %d: invoke: 0x%x origin %u, a=%u\n", round, res, origin,
			op.params[0].value.a);
		return -1;
	}
	return 0;
}

static int worker(unsigned seed)
{
	int failed = 0;

	srand(seed);
	for (int i = 0; i < ROUNDS; i++) {
		/* 0-4 ms apart: sometimes the daemon is still up, sometimes it is leaving. */
		struct timespec pause = { 0, (long)(rand() % 5) * 1000000L };

		failed += one_client(i) != 0;
		nanosleep(&pause, NULL);
	}
	return failed;
}

static int count_log_lines(const char *needle)
{
	char path[4096], line[4096];
	int n = 0;
	FILE *f;

	snprintf(path, sizeof(path), "%s/tee.log", getenv("TZM_RUNTIME_DIR"));
	f = fopen(path, "r");
	while (f && fgets(line, sizeof(line), f)) {
		n += strstr(line, needle) != NULL;
	}
	if (f) {
		fclose(f);
	}
	return n;
}

int main(void)
{
	pid_t pids[WORKERS];
	int failed = 0, exits;

	setvbuf(stdout, NULL, _IONBF, 0);
	if (!getenv("TZM_RUNTIME_DIR") || !getenv("TZM_IDLE_EXIT_MS")) {
		fprintf(stderr, "run me through CTest (TZM_RUNTIME_DIR, TZM_IDLE_EXIT_MS=1)\n");
		return 2;
	}
	for (int w = 0; w < WORKERS; w++) {
		pids[w] = fork();
		if (pids[w] == 0) {
			_exit(worker(1000u + (unsigned)w) ? 1 : 0);
		}
	}
	for (int w = 0; w < WORKERS; w++) {
		int status = 0;

		waitpid(pids[w], &status, 0);
		if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
			printf("  FAIL worker %d: a client was not served (status 0x%x)\n", w, status);
			failed++;
		} else {
			printf("  ok   worker %d: %d clients served\n", w, ROUNDS);
		}
	}
	exits = count_log_lines("idle for");
	if (exits < 2) {
		printf("  FAIL the daemon exited %d times: the race was not exercised\n", exits);
		failed++;
	} else {
		printf("  ok   the daemon exited when idle and was restarted %d times meanwhile\n",
		       exits);
	}
	printf(failed ? "tee_idle_exit: FAILED\n" : "tee_idle_exit: all checks passed\n");
	return failed ? 1 : 0;
}
