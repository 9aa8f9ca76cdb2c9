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
			TT_EXPECT(res, origin, TEEC_SUCCESS, TT_ANY_ORIGIN, "CMD_ADD");
		}
	}
	printf("  ..   client %d: %d additions done\n", j->idx, N);
	pthread_barrier_wait(&j->sh->bar); /* both are done adding */
	memset(&op, 0, sizeof(op));
	op.paramTypes = TEEC_PARAM_TYPES(TEEC_VALUE_OUTPUT, TEEC_NONE, TEEC_NONE, TEEC_NONE);
	res = TEEC_InvokeCommand(&s, TA_CONC_CMD_GET, &op, &origin);
	TT_EXPECT(res, origin, TEEC_SUCCESS, TT_ANY_ORIGIN, "CMD_GET");
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
		TT_CHECK(sh->id[0] == sh->id[1],
			 "%s, single instance: both clients on one instance", how);
		TT_CHECK(sh->total[0] == 2 * N && sh->total[1] == 2 * N,
			 "%s, single instance: shared total %u / %u (want %d, no lost updates)",
			 how, sh->total[0], sh->total[1], 2 * N);
	} else {
		TT_CHECK(sh->id[0] != sh->id[1], "%s, multi instance: two separate instances", how);
		TT_CHECK(sh->total[0] == N && sh->total[1] == N,
			 "%s, multi instance: separate totals %u / %u (want %d each)", how,
			 sh->total[0], sh->total[1], N);
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
		TT_CHECK(pid[i] >= 0, "forked client process %d", i);
		if (pid[i] == 0) {
			struct job j = { sh, i, uuid, NULL };
			alarm(60); /* a failed sibling would leave us at a barrier */
			worker(&j);
			fflush(stdout);
			_exit(0);
		}
	}
	for (int i = 0; i < 2; i++) {
		TT_CHECK(waitpid(pid[i], &status, 0) == pid[i] && WIFEXITED(status) &&
				 WEXITSTATUS(status) == 0,
			 "client process %d exited cleanly", i);
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
		TT_CHECK(pthread_create(&th[i], NULL, worker, &j[i]) == 0, "thread %d started", i);
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

	TT_CHECK(pipe(ready) == 0, "pipe");
	fflush(stdout);
	pid = fork();
	TT_CHECK(pid >= 0, "forked the client that will die");
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
		op.params[0].value.a = 30000;
		fflush(stdout);
		TT_CHECK(write(ready[1], "r", 1) == 1, "child: ready");
		TEEC_InvokeCommand(&cs, TA_CONC_CMD_WAIT, &op, &origin);
		_exit(3); /* not reached: killed during the call */
	}
	close(ready[1]);
	TT_CHECK(read(ready[0], &c, 1) == 1, "the child holds the only session and is calling "
					     "TEE_Wait(30 s)");
	close(ready[0]);
	usleep(300 * 1000);
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	printf("  ..   killed the client (pid %d) in the middle of its call\n", (int)pid);

	tt_init_context(&ctx);
	t0 = tt_now_ms();
	while (tt_now_ms() - t0 < 15000) {
		res = TEEC_OpenSession(&ctx, &s, &excl, TEEC_LOGIN_PUBLIC, NULL, NULL, &origin);
		if (res != TEEC_ERROR_BUSY) {
			break;
		}
		usleep(50 * 1000);
	}
	TT_EXPECT(res, origin, TEEC_SUCCESS, TT_ANY_ORIGIN,
		  "a new client opens the single-session TA");
	TT_CHECK(tt_now_ms() - t0 < 15000,
		 "the dead client's call and session were cleaned up after %llu ms (its call "
		 "had 29 s left)",
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

	TT_CHECK(sh != MAP_FAILED, "shared result page mapped");
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
	TT_EXPECT(res, origin, TEEC_ERROR_BUSY, TEEC_ORIGIN_TEE,
		  "second concurrent session on a single-session TA");
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
