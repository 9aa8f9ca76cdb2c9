/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * tee_guard: what one client can cost the others. Run through CTest with small limits
 * (TZM_CLIENT_MAX_SHM=8, TZM_CLIENT_MAX_SHM_BYTES=1 MiB, TZM_CLIENT_MAX_SESSIONS=3,
 * TZM_CLIENT_MAX_INSTANCES=2, TZM_MAX_CLIENTS=8).
 *  1. A client passes a TCP socket with SO_LINGER (600 s) and unsent data by SCM_RIGHTS
 *     and drops its own copy: the core must not block closing it. Another client's call
 *     must complete while the lingering peer is still held (we release it only after).
 *  2. Per-client limits: the 9th shared memory and the byte cap are OUT_OF_MEMORY, the
 *     4th session and the 3rd instance BUSY, while another client is served; freeing
 *     one makes room again.
 *  3. Global client cap: the context beyond TZM_MAX_CLIENTS gets TEEC_ERROR_BUSY.
 *  4. Descriptor exhaustion: with the core's RLIMIT_NOFILE lowered to what it uses, a
 *     new client gets TEEC_ERROR_BUSY at once (not a hang), the core logs it once, and
 *     serves again when descriptors are back.
 */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <tee_client_api.h>

#include "msgio.h"
#include <tee_test.h>

#define COUNTER_UUID "19e2a039-1247-4870-b42e-a4a75f185999"
#define CANCEL_UUID "cd7ea169-78b6-4aa8-8a78-236019fb9882"

static pid_t daemon_pid(void)
{
	char path[4096];
	FILE *f;
	int pid = -1;

	snprintf(path, sizeof(path), "%s/tzm-teed.pid", getenv("TZM_RUNTIME_DIR"));
	f = fopen(path, "r");
	if (f) {
		if (fscanf(f, "%d", &pid) != 1) {
			pid = -1;
		}
		fclose(f);
	}
	return pid;
}

/* One counter call in a fresh context, in a child; 0 when it completed within wait_ms
 * (a bounded wait for the event), 1 when it failed, 2 when the context was refused with
 * TEEC_ERROR_BUSY, -1 when still running (*child gets its pid). */
static int call_in_child(unsigned wait_ms, pid_t *child)
{
	pid_t pid = fork();

	if (pid == 0) {
		TEEC_Context ctx;
		TEEC_Session s;
		uint32_t a = 1, b = 0, origin;

		TEEC_Result res = TEEC_InitializeContext(NULL, &ctx);

		if (res) {
			_exit(res == TEEC_ERROR_BUSY ? 2 : 1);
		}
		tt_open_session(&ctx, &s, COUNTER_UUID);
		_exit(tt_invoke_value(&s, 0, &a, &b, &origin) == TEEC_SUCCESS ? 0 : 1);
	}
	*child = pid;
	for (unsigned waited = 0; waited < wait_ms; waited += 10) {
		int status;
		struct timespec t = { 0, 10 * 1000 * 1000 };

		if (waitpid(pid, &status, WNOHANG) == pid) {
			return WIFEXITED(status) && WEXITSTATUS(status) <= 2 ? WEXITSTATUS(status)
									     : 1;
		}
		nanosleep(&t, NULL);
	}
	return -1;
}

static void test_lingering_socket(void)
{
	struct sockaddr_in a;
	socklen_t alen = sizeof(a);
	struct linger lg = { 1, 600 };
	struct tee_msg_shm_register_req req;
	struct tee_msg_cancel_req noise;
	struct tzm__msg *m = malloc(sizeof(*m));
	char chunk[65536];
	int lst, sender, receiver, core, rc, status;
	size_t queued = 0;
	pid_t child;

	printf("== a lingering socket passed to the core\n");
	/* warm up: the daemon runs, the counter TA is loaded */
	{
		TEST_STEP("a client is served before");
		ASSERT_EQ_INT(call_in_child(60000, &child), 0);
	}
	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	lst = socket(AF_INET, SOCK_STREAM, 0);
	if (lst < 0 || bind(lst, (struct sockaddr *)&a, sizeof(a)) || listen(lst, 1) ||
	    getsockname(lst, (struct sockaddr *)&a, &alen)) {
		perror("listen");
		exit(1);
	}
	sender = socket(AF_INET, SOCK_STREAM, 0);
	if (sender < 0 || connect(sender, (struct sockaddr *)&a, sizeof(a))) {
		perror("connect");
		exit(1);
	}
	receiver = accept(lst, NULL, NULL); /* never reads: the sender's data stays unsent */
	close(lst);
	fcntl(sender, F_SETFL, O_NONBLOCK);
	memset(chunk, 'x', sizeof(chunk));
	for (;;) {
		ssize_t n = send(sender, chunk, sizeof(chunk), MSG_NOSIGNAL);

		if (n <= 0) {
			break;
		}
		queued += (size_t)n;
	}
	setsockopt(sender, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
	printf("  info %zu bytes queued, SO_LINGER 600 s\n", queued);

	/* Harmless requests first keep the core busy while we drop our copy: its close
	 * is then the last one, the one that would linger. */
	core = tt_raw_connect();
	memset(&noise, 0, sizeof(noise));
	noise.op_id = 0x7777;
	for (int i = 0; i < 60; i++) {
		tzm__msg_send(core, TEE_MSG_CANCEL, (uint32_t)i + 1, 0, 0, &noise, sizeof(noise),
			      NULL, 0, NULL, 0);
	}
	memset(&req, 0, sizeof(req));
	req.size = 4096;
	rc = tzm__msg_send(core, TEE_MSG_SHM_REGISTER, 100, 0, 0, &req, sizeof(req), NULL, 0,
			   &sender, 1);
	close(sender);
	TEST_STEP("socket sent in a SHM_REGISTER request, our copy closed");
	ASSERT_EQ_INT(rc, 0);
	rc = tzm__msg_recv(core, m);
	TEST_STEP("the request is refused with BAD_PARAMETERS (0x%x)", rc ? 0 : m->hdr.ret);
	ASSERT_EQ_INT(rc, 0);
	ASSERT_EQ_INT(m->hdr.seq, 100);
	ASSERT_TEEC_RES(m->hdr.ret, TEEC_ERROR_BAD_PARAMETERS);
	rc = call_in_child(30000, &child);
	TEST_STEP("another client's call completed while the lingering peer is held "
		  "(%s)",
		  rc == 0  ? "served"
		  : rc > 0 ? "failed"
			   : "not within 30 s");
	ASSERT_EQ_INT(rc, 0);
	/* release the linger: the receiver's close with unread data resets the connection */
	close(receiver);
	if (rc < 0) {
		waitpid(child, &status, 0);
	}
	TEST_STEP("tee.log names the refused descriptor");
	ASSERT_TRUE(tt_log_wait("not a memfd", NULL, 1, 5000));
	close(core);
	free(m);
}

static TEEC_Result alloc(TEEC_Context *ctx, TEEC_SharedMemory *shm, size_t size)
{
	memset(shm, 0, sizeof(*shm));
	shm->size = size;
	shm->flags = TEEC_MEM_INPUT | TEEC_MEM_OUTPUT;
	return TEEC_AllocateSharedMemory(ctx, shm);
}

static void test_client_limits(void)
{
	TEEC_Context a, b;
	TEEC_SharedMemory shm[9], big[2], other;
	TEEC_Session s[4], inst[3], sb;
	TEEC_Result res;
	uint32_t origin;
	TEEC_UUID counter = tt_uuid(COUNTER_UUID), cancel = tt_uuid(CANCEL_UUID);
	int n = 0;

	printf("== per-client limits\n");
	tt_init_context(&a);
	tt_init_context(&b);
	for (n = 0; n < 8 && alloc(&a, &shm[n], 4096) == TEEC_SUCCESS; n++) {
	}
	TEST_STEP("8 shared memories registered (%d)", n);
	ASSERT_EQ_INT(n, 8);
	res = alloc(&a, &shm[8], 4096);
	TEST_STEP("the 9th: TEEC_ERROR_OUT_OF_MEMORY (%s)", tt_result_name(res));
	ASSERT_TEEC_RES(res, TEEC_ERROR_OUT_OF_MEMORY);
	res = alloc(&b, &other, 4096);
	TEST_STEP("another client registers meanwhile (%s)", tt_result_name(res));
	ASSERT_TEEC_RES(res, TEEC_SUCCESS);
	TEEC_ReleaseSharedMemory(&shm[0]);
	res = alloc(&a, &shm[0], 4096);
	TEST_STEP("after releasing one, room again (%s)", tt_result_name(res));
	ASSERT_TEEC_RES(res, TEEC_SUCCESS);
	for (int i = 0; i < 8; i++) {
		TEEC_ReleaseSharedMemory(&shm[i]);
	}
	res = alloc(&a, &big[0], 768 * 1024);
	TEST_STEP("768 KiB (%s)", tt_result_name(res));
	ASSERT_TEEC_RES(res, TEEC_SUCCESS);
	res = alloc(&a, &big[1], 512 * 1024);
	TEST_STEP("512 KiB more, past 1 MiB: OUT_OF_MEMORY (%s)", tt_result_name(res));
	ASSERT_TEEC_RES(res, TEEC_ERROR_OUT_OF_MEMORY);
	TEEC_ReleaseSharedMemory(&big[0]);

	for (n = 0; n < 3; n++) {
		res = TEEC_OpenSession(&a, &s[n], &counter, TEEC_LOGIN_PUBLIC, NULL, NULL, &origin);
		if (res != TEEC_SUCCESS) {
			break;
		}
	}
	TEST_STEP("3 sessions open (%d)", n);
	ASSERT_EQ_INT(n, 3);
	res = TEEC_OpenSession(&a, &s[3], &counter, TEEC_LOGIN_PUBLIC, NULL, NULL, &origin);
	TEST_STEP("the 4th: TEEC_ERROR_BUSY / TEE (%s)", tt_result_name(res));
	ASSERT_TEEC_RES(res, TEEC_ERROR_BUSY);
	ASSERT_EQ_INT(origin, TEEC_ORIGIN_TEE);
	res = TEEC_OpenSession(&b, &sb, &counter, TEEC_LOGIN_PUBLIC, NULL, NULL, &origin);
	TEST_STEP("another client opens a session meanwhile (%s)", tt_result_name(res));
	ASSERT_TEEC_RES(res, TEEC_SUCCESS);
	if (res == TEEC_SUCCESS) {
		TEEC_CloseSession(&sb);
	}
	for (int i = 0; i < n; i++) {
		TEEC_CloseSession(&s[i]);
	}
	/* the cancel TA is multi-instance: one instance per session. A fresh context: the
	 * counter instance a started may still be ending (its host not yet reaped), and a
	 * dying instance still counts. */
	TEEC_FinalizeContext(&a);
	tt_init_context(&a);
	for (n = 0; n < 2; n++) {
		res = TEEC_OpenSession(&a, &inst[n], &cancel, TEEC_LOGIN_PUBLIC, NULL, NULL,
				       &origin);
		if (res != TEEC_SUCCESS) {
			break;
		}
	}
	TEST_STEP("2 instances started (%d)", n);
	ASSERT_EQ_INT(n, 2);
	res = TEEC_OpenSession(&a, &inst[2], &cancel, TEEC_LOGIN_PUBLIC, NULL, NULL, &origin);
	TEST_STEP("a 3rd instance: TEEC_ERROR_BUSY (%s)", tt_result_name(res));
	ASSERT_TEEC_RES(res, TEEC_ERROR_BUSY);
	for (int i = 0; i < n; i++) {
		TEEC_CloseSession(&inst[i]);
	}
	TEST_STEP("tee.log names the limits and their knobs");
	ASSERT_TRUE(tt_log_wait("sessions per client limit 3", NULL, 1, 1000));
	ASSERT_TRUE(tt_log_wait("shared memories per client limit 8", NULL, 1, 1000));
	TEEC_ReleaseSharedMemory(&other);
	TEEC_FinalizeContext(&a);
	TEEC_FinalizeContext(&b);
}

static void test_client_cap(void)
{
	TEEC_Context ctx[9];
	TEEC_Result res = TEEC_SUCCESS;
	int n;

	printf("== global client cap (8)\n");
	for (n = 0; n < 9; n++) {
		res = TEEC_InitializeContext(NULL, &ctx[n]);
		if (res != TEEC_SUCCESS) {
			break;
		}
	}
	TEST_STEP("8 contexts, then TEEC_ERROR_BUSY (%d, %s)", n, tt_result_name(res));
	ASSERT_EQ_INT(n, 8);
	ASSERT_TEEC_RES(res, TEEC_ERROR_BUSY);
	if (n > 0) {
		unsigned gone = tt_log_count("disconnected", NULL);

		TEEC_FinalizeContext(&ctx[--n]);
		/* once the core has seen it leave */
		{
			TEST_STEP("one client left");
			ASSERT_TRUE(tt_log_wait("disconnected", NULL, gone + 1, 10000));
		}
	}
	res = TEEC_InitializeContext(NULL, &ctx[n]);
	TEST_STEP("after one leaves, a new one is served (%s)", tt_result_name(res));
	ASSERT_TEEC_RES(res, TEEC_SUCCESS);
	if (res == TEEC_SUCCESS) {
		n++;
	}
	while (n > 0) {
		TEEC_FinalizeContext(&ctx[--n]);
	}
}

static unsigned open_fds(pid_t pid)
{
	char path[64];
	unsigned n = 0;
	DIR *d;

	snprintf(path, sizeof(path), "/proc/%d/fd", (int)pid);
	d = opendir(path);
	while (d && readdir(d)) {
		n++;
	}
	if (d) {
		closedir(d);
	}
	return n > 2 ? n - 2 : 0;
}

static void test_fd_exhaustion(void)
{
	struct rlimit old, low;
	TEEC_Context ctx;
	pid_t pid, child;
	int rc;

	printf("== descriptor exhaustion\n");
	if (getenv("TZM_EXEC_WRAPPER") && *getenv("TZM_EXEC_WRAPPER")) {
		printf("  skip under an emulator or valgrind (prlimit on the wrapper)\n");
		return;
	}
	tt_init_context(&ctx); /* the daemon runs */
	pid = daemon_pid();
	TEST_STEP("read the core's RLIMIT_NOFILE");
	ASSERT_GT_INT(pid, 0);
	ASSERT_SYS(syscall(SYS_prlimit64, pid, RLIMIT_NOFILE, NULL, &old));
	low = old;
	low.rlim_cur = open_fds(pid);
	rc = (int)syscall(SYS_prlimit64, pid, RLIMIT_NOFILE, &low, NULL);
	TEST_STEP("the core's descriptor limit lowered to the %llu it uses",
		  (unsigned long long)low.rlim_cur);
	ASSERT_EQ_INT(rc, 0);
	/* Refused with BUSY at connect; or, if the core's closer thread freed a descriptor
	 * meanwhile, served or answered with an error: never left hanging. */
	rc = call_in_child(30000, &child);
	TEST_STEP("a new client gets its answer at once (%s)", rc == 0   ? "served"
							       : rc == 2 ? "TEEC_ERROR_BUSY"
							       : rc == 1 ? "an error"
									 : "no answer within 30 s");
	ASSERT_GE_INT(rc, 0);
	syscall(SYS_prlimit64, pid, RLIMIT_NOFILE, &old, NULL);
	if (rc < 0) {
		waitpid(child, NULL, 0);
	}
	rc = call_in_child(30000, &child);
	TEST_STEP("with descriptors back, a new client is served");
	ASSERT_EQ_INT(rc, 0);
	if (rc < 0) {
		waitpid(child, NULL, 0);
	}
	ASSERT_LE_INT(tt_log_count("out of file descriptors", NULL), 2);
	TEST_STEP("tee.log says so at most once per kind, no spinning (%u lines)",
		  tt_log_count("out of file descriptors", NULL));
	TEEC_FinalizeContext(&ctx);
}

int main(void)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	signal(SIGPIPE, SIG_IGN);
	if (!getenv("TZM_RUNTIME_DIR") || !getenv("TZM_CLIENT_MAX_SHM")) {
		fprintf(stderr, "run me through CTest (TZM_RUNTIME_DIR, limits)\n");
		return 2;
	}
	test_lingering_socket();
	test_client_limits();
	test_client_cap();
	test_fd_exhaustion();
	printf("tee_guard: all checks passed\n");
	return 0;
}
