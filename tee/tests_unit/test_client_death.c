/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * tee_client_death: a client killed in the middle of a call into a TA that spins forever
 * (ignoring cancellation) must not hang the TEE: tzm-teed notices the dead client, asks
 * the instance to stop, kills it after TZM_CANCEL_GRACE_MS, and keeps serving others.
 * Also: a client that exits with sessions and shared memory still open, and a client
 * SIGKILLed while holding 16 shared memories that its TA has mapped: tzm-teed's open
 * descriptors (it keeps one per shared memory) must return to where they were.
 */
#include <dirent.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <tee_client_api.h>

#include <tee_test.h>

static const TEEC_UUID counter = {
	0x19e2a039, 0x1247, 0x4870, { 0xb4, 0x2e, 0xa4, 0xa7, 0x5f, 0x18, 0x59, 0x99 }
};
static const TEEC_UUID cancel_ta = {
	0xcd7ea169, 0x78b6, 0x4aa8, { 0x8a, 0x78, 0x23, 0x60, 0x19, 0xfb, 0x98, 0x82 }
};
#define CANCEL_CMD_SPIN 2
#define COUNTER_INSTANCE "TA 19e2a039-1247-4870-b42e-a4a75f185999#"

static void sleep_ms(unsigned ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };
	nanosleep(&ts, NULL);
}

/* Child: opens a session and spins in the TA until killed. */
static void spinner(void)
{
	TEEC_Context ctx;
	TEEC_Session s;
	TEEC_Operation op;
	TEEC_SharedMemory shm;
	uint32_t origin;

	if (TEEC_InitializeContext(NULL, &ctx) ||
	    TEEC_OpenSession(&ctx, &s, &cancel_ta, TEEC_LOGIN_PUBLIC, NULL, NULL, &origin)) {
		_exit(2);
	}
	memset(&shm, 0, sizeof(shm));
	shm.size = 4096;
	shm.flags = TEEC_MEM_INPUT | TEEC_MEM_OUTPUT;
	TEEC_AllocateSharedMemory(&ctx, &shm);
	memset(&op, 0, sizeof(op));
	op.paramTypes = TEEC_PARAM_TYPES(TEEC_VALUE_INPUT, TEEC_NONE, TEEC_NONE, TEEC_NONE);
	op.params[0].value.a = 0; /* spin forever */
	printf("  ..   child %d: spinning in the TA\n", (int)getpid());
	fflush(stdout);
	TEEC_InvokeCommand(&s, CANCEL_CMD_SPIN, &op, &origin);
	_exit(3); /* only reached if the TEE answered */
}

#define SHM_COUNT 8 /* allocated, and as many registered */
#define COUNTER_CMD_FILL 3

/* Child: 2 x SHM_COUNT shared memories, each used once by the counter TA (so the TA
 * host maps them too); reports on ready_fd, then waits to be killed. */
static void shm_holder(int ready_fd)
{
	static uint8_t bufs[SHM_COUNT][8192];
	TEEC_SharedMemory shm[2 * SHM_COUNT];
	TEEC_Context ctx;
	TEEC_Session s;
	TEEC_Operation op;
	uint32_t origin;

	if (TEEC_InitializeContext(NULL, &ctx) ||
	    TEEC_OpenSession(&ctx, &s, &counter, TEEC_LOGIN_PUBLIC, NULL, NULL, &origin)) {
		_exit(2);
	}
	for (int i = 0; i < 2 * SHM_COUNT; i++) {
		memset(&shm[i], 0, sizeof(shm[i]));
		shm[i].size = 8192;
		shm[i].flags = TEEC_MEM_INPUT | TEEC_MEM_OUTPUT;
		if (i < SHM_COUNT ? TEEC_AllocateSharedMemory(&ctx, &shm[i])
				  : (shm[i].buffer = bufs[i - SHM_COUNT],
				     TEEC_RegisterSharedMemory(&ctx, &shm[i]))) {
			_exit(4);
		}
		memset(&op, 0, sizeof(op));
		op.paramTypes = TEEC_PARAM_TYPES(TEEC_MEMREF_PARTIAL_OUTPUT, TEEC_VALUE_INPUT,
						 TEEC_NONE, TEEC_NONE);
		op.params[0].memref.parent = &shm[i];
		op.params[0].memref.size = 8192;
		op.params[1].value.a = (uint32_t)i;
		if (TEEC_InvokeCommand(&s, COUNTER_CMD_FILL, &op, &origin) ||
		    ((uint8_t *)shm[i].buffer)[1] != (uint8_t)(i + 1)) {
			_exit(5);
		}
	}
	if (write(ready_fd, "r", 1) != 1) {
		_exit(6);
	}
	for (;;) {
		pause();
	}
}

/* Open descriptors of tzm-teed, or -1. */
static int teed_fds(void)
{
	char path[4200];
	int pid = 0, n = 0;
	FILE *f;
	DIR *d;

	snprintf(path, sizeof(path), "%s/tzm-teed.pid", getenv("TZM_RUNTIME_DIR"));
	f = fopen(path, "r");
	if (!f || fscanf(f, "%d", &pid) != 1) {
		if (f) {
			fclose(f);
		}
		return -1;
	}
	fclose(f);
	snprintf(path, sizeof(path), "/proc/%d/fd", pid);
	d = opendir(path);
	if (!d) {
		return -1;
	}
	while (readdir(d)) {
		n++;
	}
	closedir(d);
	return n - 2; /* . and .. */
}

static TEEC_Result counter_roundtrip(void)
{
	TEEC_Context ctx;
	TEEC_Session s;
	uint32_t origin;
	TEEC_Result res = TEEC_InitializeContext(NULL, &ctx);

	if (res) {
		return res;
	}
	res = TEEC_OpenSession(&ctx, &s, &counter, TEEC_LOGIN_PUBLIC, NULL, NULL, &origin);
	if (res == TEEC_SUCCESS) {
		TEEC_CloseSession(&s);
	}
	TEEC_FinalizeContext(&ctx);
	return res;
}

int main(void)
{
	TEEC_Context keep;
	pid_t pid;
	int status = 0;
	unsigned closed_before;

	setvbuf(stdout, NULL, _IONBF, 0);
	TEST_STEP("reach the TEE");
	ASSERT_TEEC_OK(TEEC_InitializeContext(NULL, &keep));
	printf("== client killed while its TA spins\n");
	pid = fork();
	if (pid == 0) {
		spinner();
	}
	/* Kill it only once the TA is inside the call: on a loaded machine opening the
	 * session alone can take longer than any fixed delay. */
	{
		TEST_STEP("the TA reports it spins");
		ASSERT_TRUE(tt_log_wait("spinning until killed", NULL, 1, 30000));
	}
	sleep_ms(100);
	TEST_STEP("SIGKILL the client mid-call");
	ASSERT_EQ_INT(kill(pid, SIGKILL), 0);
	waitpid(pid, &status, 0);
	TEST_STEP("client died by the signal (not answered early)");
	ASSERT_TRUE(WIFSIGNALED(status));
	TEST_STEP("another client is served right away");
	ASSERT_TEEC_RES(counter_roundtrip(), TEEC_SUCCESS);
	TEST_STEP("tee.log: the orphaned spinning instance was killed after the grace period");
	ASSERT_TRUE(tt_log_wait("ignored cancellation", NULL, 1, 20000));
	TEST_STEP("TEE still serving afterwards");
	ASSERT_TEEC_RES(counter_roundtrip(), TEEC_SUCCESS);

	printf("== client exits with a session and shared memory open\n");
	closed_before = tt_log_count(COUNTER_INSTANCE, "last session closed");
	pid = fork();
	if (pid == 0) {
		TEEC_Context ctx;
		TEEC_Session s;
		TEEC_SharedMemory shm;
		uint32_t origin;

		if (TEEC_InitializeContext(NULL, &ctx) ||
		    TEEC_OpenSession(&ctx, &s, &counter, TEEC_LOGIN_PUBLIC, NULL, NULL, &origin)) {
			_exit(2);
		}
		memset(&shm, 0, sizeof(shm));
		shm.size = 100;
		shm.flags = TEEC_MEM_INPUT;
		_exit(TEEC_AllocateSharedMemory(&ctx, &shm) == TEEC_SUCCESS ? 0 : 4);
	}
	waitpid(pid, &status, 0);
	TEST_STEP("child opened a session and exited");
	ASSERT_TRUE(WIFEXITED(status));
	ASSERT_EQ_INT(WEXITSTATUS(status), 0);
	TEST_STEP("tee.log: its session was closed and the instance ended");
	ASSERT_TRUE(tt_log_wait(COUNTER_INSTANCE, "last session closed", closed_before + 1, 20000));
	TEST_STEP("TEE still serving");
	ASSERT_TEEC_RES(counter_roundtrip(), TEEC_SUCCESS);

	printf("== client killed while holding %d shared memories mapped by its TA\n",
	       2 * SHM_COUNT);
	{
		int pfd[2], base = -1, during = -1, after = -1;
		char c = 0;

		sleep_ms(300); /* let the previous instance finish ending */
		base = teed_fds();
		TEST_STEP("tzm-teed has %d descriptors open", base);
		ASSERT_GT_INT(base, 0);
		TEST_STEP("pipe");
		ASSERT_EQ_INT(pipe(pfd), 0);
		pid = fork();
		if (pid == 0) {
			close(pfd[0]);
			shm_holder(pfd[1]);
		}
		close(pfd[1]);
		ASSERT_EQ_INT(read(pfd[0], &c, 1), 1);
		TEST_STEP("child allocated, registered and used %d shared "
			  "memories",
			  2 * SHM_COUNT);
		close(pfd[0]);
		during = teed_fds();
		TEST_STEP("tzm-teed holds them: %d descriptors (was %d)", during, base);
		ASSERT_GE_INT(during, base + 2 * SHM_COUNT);
		kill(pid, SIGKILL);
		waitpid(pid, &status, 0);
		for (int i = 0; i < 100; i++) {
			after = teed_fds();
			if (after >= 0 && after <= base) {
				break;
			}
			sleep_ms(50);
		}
		TEST_STEP("after the client died tzm-teed is back to %d descriptors (was %d, %d "
			  "during)",
			  after, base, during);
		ASSERT_GE_INT(after, 0);
		ASSERT_LE_INT(after, base);
	}
	TEST_STEP("TEE still serving");
	ASSERT_TEEC_RES(counter_roundtrip(), TEEC_SUCCESS);
	TEEC_FinalizeContext(&keep);
	printf("tee_client_death: all checks passed\n");
	return 0;
}
