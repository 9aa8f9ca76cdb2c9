/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * tee_concurrency: two client processes (each with its own context), then two threads
 * (sharing one context), open sessions at the same time and add to an instance-wide
 * total. On the single-instance multi-session TA both see one instance and the sum of
 * both (no lost updates); on the multi-instance TA each has its own instance and total.
 * A single-instance TA without TA_FLAG_MULTI_SESSION refuses a second concurrent session
 * with TEEC_ERROR_BUSY. A client killed in the middle of a call on that TA does not leave
 * it blocked: the TEE ends the call and the session, and the TA takes a new session.
 */
#include <conc_ta.h>
#include <pthread.h>
#include <string.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>
#include <tee_test.h>

#define N 40

struct shared {
	pthread_barrier_t bar;
	uint32_t total[2];
	uint32_t id[2];
};

struct job {
	struct shared *sh;
	int idx;
	const char *uuid;
	TEEC_Context *ctx; /* NULL: the worker makes its own */
};

static void *worker(void *arg)
{
	struct job *j = arg;
	TEEC_Context own;
	TEEC_Context *ctx = j->ctx;
	TEEC_Session s;
	TEEC_Operation op;
	uint32_t origin = 0, a = 0;
	TEEC_Result res;

	if (!ctx) {
		tt_init_context(&own);
		ctx = &own;
	}
	tt_open_session(ctx, &s, j->uuid);
	pthread_barrier_wait(&j->sh->bar); /* both sessions are open */
	for (int i = 0; i < N; i++) {
		a = 1;
		res = tt_invoke_value(&s, TA_CONC_CMD_ADD, &a, NULL, &origin);
		if (res != TEEC_SUCCESS) {
			TEST_STEP("CMD_ADD");
			ASSERT_TEEC_RES(res, TEEC_SUCCESS);
		}
	}
	printf("  ..   client %d: %d additions done\n", j->idx, N);
	pthread_barrier_wait(&j->sh->bar); /* both are done adding */
	memset(&op, 0, sizeof(op));
	op.paramTypes = TEEC_PARAM_TYPES(TEEC_VALUE_OUTPUT, TEEC_NONE, TEEC_NONE, TEEC_NONE);
	res = TEEC_InvokeCommand(&s, TA_CONC_CMD_GET, &op, &origin);
	TEST_STEP("CMD_GET");
	ASSERT_TEEC_RES(res, TEEC_SUCCESS);
	j->sh->total[j->idx] = op.params[0].value.a;
	j->sh->id[j->idx] = op.params[0].value.b;
	pthread_barrier_wait(&j->sh->bar); /* both have read before either closes */
	TEEC_CloseSession(&s);
	if (ctx == &own) {
		TEEC_FinalizeContext(&own);
	}
	return NULL;
}

static void check(const struct shared *sh, bool single, const char *how)
{
	if (single) {
		TEST_STEP("%s, single instance: both clients on one instance", how);
		ASSERT_EQ_INT(sh->id[0], sh->id[1]);
		TEST_STEP("%s, single instance: shared total %u / %u (want %d, no lost updates)",
			  how, sh->total[0], sh->total[1], 2 * N);
		ASSERT_EQ_INT(sh->total[0], 2 * N);
		ASSERT_EQ_INT(sh->total[1], 2 * N);
	} else {
		TEST_STEP("%s, multi instance: two separate instances", how);
		ASSERT_NE_INT(sh->id[0], sh->id[1]);
		TEST_STEP("%s, multi instance: separate totals %u / %u (want %d each)", how,
			  sh->total[0], sh->total[1], N);
		ASSERT_EQ_INT(sh->total[0], N);
		ASSERT_EQ_INT(sh->total[1], N);
	}
}

static void run_processes(struct shared *sh, const char *uuid, bool single)
{
	pid_t pid[2];
	int status = 0;

	memset(sh->total, 0, sizeof(sh->total));
	memset(sh->id, 0, sizeof(sh->id));
	for (int i = 0; i < 2; i++) {
		fflush(stdout);
		pid[i] = fork();
		TEST_STEP("forked client process %d", i);
		ASSERT_GE_INT(pid[i], 0);
		if (pid[i] == 0) {
			struct job j = { sh, i, uuid, NULL };
			alarm(60); /* a failed sibling would leave us at a barrier */
			worker(&j);
			fflush(stdout);
			_exit(0);
		}
	}
	for (int i = 0; i < 2; i++) {
		ASSERT_EQ_INT(waitpid(pid[i], &status, 0), pid[i]);
		ASSERT_TRUE(WIFEXITED(status));
		ASSERT_EQ_INT(WEXITSTATUS(status), 0);
		TEST_STEP("client process %d exited cleanly", i);
	}
	check(sh, single, "two processes");
}

static void run_threads(struct shared *sh, const char *uuid, bool single)
{
	TEEC_Context ctx;
	pthread_t th[2];
	struct job j[2];

	memset(sh->total, 0, sizeof(sh->total));
	memset(sh->id, 0, sizeof(sh->id));
	tt_init_context(&ctx);
	for (int i = 0; i < 2; i++) {
		j[i] = (struct job){ sh, i, uuid, &ctx };
		ASSERT_EQ_INT(pthread_create(&th[i], NULL, worker, &j[i]), 0);
		TEST_STEP("thread %d started", i);
	}
	for (int i = 0; i < 2; i++) {
		pthread_join(th[i], NULL);
	}
	TEEC_FinalizeContext(&ctx);
	check(sh, single, "two threads sharing a context");
}

/* A child opens the single-session TA and is killed (SIGKILL) during a 30 s call. */
static void client_dies_mid_call(void)
{
	TEEC_Context ctx;
	TEEC_Session s;
	TEEC_UUID excl = tt_uuid(TA_CONC_EXCLUSIVE_UUID_STR);
	uint32_t origin = 0;
	TEEC_Result res = TEEC_ERROR_GENERIC;
	int ready[2];
	char c = 0;
	pid_t pid;
	uint64_t t0;

	TEST_STEP("pipe");
	ASSERT_EQ_INT(pipe(ready), 0);
	fflush(stdout);
	pid = fork();
	TEST_STEP("forked the client that will die");
	ASSERT_GE_INT(pid, 0);
	if (pid == 0) {
		TEEC_Context cctx;
		TEEC_Session cs;
		TEEC_Operation op;

		alarm(60);
		close(ready[0]);
		tt_init_context(&cctx);
		tt_open_session(&cctx, &cs, TA_CONC_EXCLUSIVE_UUID_STR);
		memset(&op, 0, sizeof(op));
		op.paramTypes = TEEC_PARAM_TYPES(TEEC_VALUE_INPUT, TEEC_NONE, TEEC_NONE, TEEC_NONE);
		op.params[0].value.a =
			0xFFFFFFFFu; /* TEE_TIMEOUT_INFINITE: only the cleanup ends it */
		fflush(stdout);
		TEST_STEP("child: ready");
		ASSERT_EQ_INT(write(ready[1], "r", 1), 1);
		TEEC_InvokeCommand(&cs, TA_CONC_CMD_WAIT, &op, &origin);
		_exit(3); /* not reached: killed during the call */
	}
	close(ready[1]);
	TEST_STEP("the child holds the only session and is calling "
		  "TEE_Wait(TEE_TIMEOUT_INFINITE)");
	ASSERT_EQ_INT(read(ready[0], &c, 1), 1);
	close(ready[0]);
	usleep(300 * 1000);
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	printf("  ..   killed the client (pid %d) in the middle of its call\n", (int)pid);

	tt_init_context(&ctx);
	t0 = tt_now_ms();
	/* no time bound: the call never ends by itself, so only the core's cleanup of the dead
	 * client lets a session open; a missing cleanup hangs here until the test's timeout */
	for (;;) {
		res = TEEC_OpenSession(&ctx, &s, &excl, TEEC_LOGIN_PUBLIC, NULL, NULL, &origin);
		if (res != TEEC_ERROR_BUSY) {
			break;
		}
		usleep(50 * 1000);
	}
	TEST_STEP("a new client opens the single-session TA");
	ASSERT_TEEC_RES(res, TEEC_SUCCESS);
	TEST_STEP("the dead client's endless call and its session were cleaned up after %llu ms",
		  (unsigned long long)(tt_now_ms() - t0));
	TEEC_CloseSession(&s);
	TEEC_FinalizeContext(&ctx);
}

int main(void)
{
	pthread_barrierattr_t attr;
	struct shared *sh =
		mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	TEEC_Context ctx;
	TEEC_Session s1, s2, s3;
	TEEC_UUID excl = tt_uuid(TA_CONC_EXCLUSIVE_UUID_STR);
	uint32_t origin = 0;
	TEEC_Result res;

	TEST_STEP("shared result page mapped");
	ASSERT_NE_INT(sh, MAP_FAILED);
	pthread_barrierattr_init(&attr);
	pthread_barrierattr_setpshared(&attr, PTHREAD_PROCESS_SHARED);
	pthread_barrier_init(&sh->bar, &attr, 2);

	/* Processes first: no libteec state exists yet in the parent when it forks. */
	tt_section("a client killed in the middle of a call");
	client_dies_mid_call();
	tt_section("two client processes, single-instance multi-session TA");
	run_processes(sh, TA_CONC_SINGLE_UUID_STR, true);
	tt_section("two client processes, multi-instance TA");
	run_processes(sh, TA_CONC_MULTI_UUID_STR, false);
	tt_section("two threads, single-instance multi-session TA");
	run_threads(sh, TA_CONC_SINGLE_UUID_STR, true);
	tt_section("two threads, multi-instance TA");
	run_threads(sh, TA_CONC_MULTI_UUID_STR, false);

	tt_section("single-instance TA without multi-session");
	tt_init_context(&ctx);
	tt_open_session(&ctx, &s1, TA_CONC_EXCLUSIVE_UUID_STR);
	res = TEEC_OpenSession(&ctx, &s2, &excl, TEEC_LOGIN_PUBLIC, NULL, NULL, &origin);
	TEST_STEP("second concurrent session on a single-session TA");
	ASSERT_TEEC_RES_ORIGIN(res, origin, TEEC_ERROR_BUSY, TEEC_ORIGIN_TEE);
	TEEC_CloseSession(&s1);
	tt_open_session(&ctx, &s3, TA_CONC_EXCLUSIVE_UUID_STR);
	printf("  ok   a session can be opened again once the first one closed\n");
	TEEC_CloseSession(&s3);
	TEEC_FinalizeContext(&ctx);

	pthread_barrier_destroy(&sh->bar);
	munmap(sh, sizeof(*sh));
	printf("tee_concurrency: all checks passed\n");
	return 0;
}
