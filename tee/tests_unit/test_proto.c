/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * tee_proto: tzm-teed's validation of what clients send, tested with a raw protocol
 * client on tee.sock (bypassing libteec's own checks): malformed datagrams, shared memory
 * registration rules, memref ids/offsets/sizes (unknown, foreign, out of bounds,
 * overflowing), inconsistent parameter types. Each bad request must be refused with
 * BAD_PARAMETERS / origin TEE while the core keeps serving; then the same checks at the
 * GP Client API level (origin API).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#include <tee_client_api.h>
#include <tee_test.h>

#include "msgio.h"
#include "uuid.h"

#define COUNTER_UUID "19e2a039-1247-4870-b42e-a4a75f185999"

static struct tzm__msg g_reply;
static uint32_t g_seq;

/* Sends one request and returns the reply's result (or 0xdead on transport failure). */
static uint32_t call(int s, uint16_t cmd, const void *body, size_t len, const int *fds, int nfds)
{
	uint32_t seq = ++g_seq;

	if (tzm__msg_send(s, cmd, seq, 0, 0, body, len, NULL, 0, fds, nfds) ||
	    tzm__msg_recv(s, &g_reply) || g_reply.hdr.seq != seq ||
	    g_reply.hdr.cmd != (cmd | TEE_MSG_F_REPLY)) {
		return 0xdead;
	}
	tzm__msg_close_fds(&g_reply);
	return g_reply.hdr.ret;
}

static int sealed_memfd(size_t size, bool seal)
{
	int fd = memfd_create("proto", MFD_CLOEXEC | MFD_ALLOW_SEALING);

	if (fd < 0 || ftruncate(fd, (off_t)size) ||
	    (seal && fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW))) {
		perror("memfd");
		exit(1);
	}
	return fd;
}

static uint64_t reg(int s, uint64_t declared, size_t real, bool seal, uint32_t *res)
{
	struct tee_msg_shm_register_req req = { .size = declared, .flags = 3 };
	struct tee_msg_shm_register_rsp rsp = { 0 };
	int fd = sealed_memfd(real, seal);

	*res = call(s, TEE_MSG_SHM_REGISTER, &req, sizeof(req), &fd, 1);
	close(fd);
	if (*res == TEEC_SUCCESS) {
		memcpy(&rsp, g_reply.body, sizeof(rsp));
	}
	return rsp.shm_id;
}

static void open_req(struct tee_msg_open_req *req)
{
	memset(req, 0, sizeof(*req));
	tzm__uuid_parse(COUNTER_UUID, req->uuid);
}

static void memref(struct tee_msg_open_req *req, uint64_t id, uint64_t off, uint64_t size)
{
	req->op.param_types = 7u;
	req->op.params[0].type = 7u;
	req->op.params[0].a = id;
	req->op.params[0].b = off;
	req->op.params[0].c = size;
}

static void test_wire(void)
{
	struct tee_msg_open_req oreq;
	struct tee_msg_invoke_req ireq;
	struct tee_msg_close_req creq;
	uint64_t mine, theirs;
	uint32_t res, sess = 0;
	int a = tt_raw_connect(), b = tt_raw_connect();
	uint8_t junk[40];

	printf("== malformed datagrams\n");
	memset(junk, 0xa5, sizeof(junk));
	TEST_STEP("sent 40 bytes of garbage");
	ASSERT_EQ_INT(send(a, junk, sizeof(junk), 0), (ssize_t)sizeof(junk));
	TEST_STEP("sent a 3-byte datagram");
	ASSERT_EQ_INT(send(a, junk, 3, 0), 3);
	{
		struct tee_msg_shm_release_req r = { .shm_id = 999 };
		res = call(a, TEE_MSG_SHM_RELEASE, &r, sizeof(r), NULL, 0);
		TEST_STEP("core still answers after garbage (0x%08x)", res);
		ASSERT_TEEC_RES(res, TEEC_ERROR_BAD_PARAMETERS);
	}
	res = call(a, 0x77, NULL, 0, NULL, 0);
	TEST_STEP("unknown command -> NOT_SUPPORTED (0x%08x)", res);
	ASSERT_TEEC_RES(res, TEEC_ERROR_NOT_SUPPORTED);

	printf("== shared memory registration\n");
	{
		struct tee_msg_shm_register_req req = { .size = 4096, .flags = 3 };
		res = call(a, TEE_MSG_SHM_REGISTER, &req, sizeof(req), NULL, 0);
		TEST_STEP("register without an fd refused (0x%08x)", res);
		ASSERT_TEEC_RES(res, TEEC_ERROR_BAD_PARAMETERS);
	}
	reg(a, 4096, 4096, false, &res);
	TEST_STEP("memfd not sealed against shrinking refused (0x%08x)", res);
	ASSERT_TEEC_RES(res, TEEC_ERROR_BAD_PARAMETERS);
	reg(a, 8192, 4096, true, &res);
	TEST_STEP("declared size larger than the memfd refused (0x%08x)", res);
	ASSERT_TEEC_RES(res, TEEC_ERROR_BAD_PARAMETERS);
	mine = reg(a, 4096, 4096, true, &res);
	TEST_STEP("valid registration -> id %llu", (unsigned long long)mine);
	ASSERT_TEEC_RES(res, TEEC_SUCCESS);
	ASSERT_GE_INT(mine, TEE_MSG_SHM_FIRST_ID);
	theirs = reg(b, 4096, 4096, true, &res);
	TEST_STEP("second connection registers its own memory");
	ASSERT_TEEC_RES(res, TEEC_SUCCESS);

	printf("== memref validation (open session to the counter TA)\n");
	static const struct {
		const char *what;
		int which; /* 0 mine, 1 theirs, 2 unknown, 3 op fd (none sent), 4 null */
		uint64_t off, size;
	} bad[] = {
		{ "unknown shm id", 2, 0, 16 },
		{ "another client's shm id", 1, 0, 16 },
		{ "offset + size beyond the shm", 0, 4000, 200 },
		{ "size beyond the shm", 0, 0, 4097 },
		{ "offset + size overflowing 64 bits", 0, UINT64_MAX - 7, 16 },
		{ "op-fd memref without an fd", 3, 0, 16 },
		{ "NULL memref with an offset", 4, 8, 0 },
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		uint64_t id = bad[i].which == 0   ? mine
			      : bad[i].which == 1 ? theirs
			      : bad[i].which == 2 ? 4242424242u
			      : bad[i].which == 3 ? TEE_MSG_SHM_OP_FD
						  : TEE_MSG_SHM_NULL;
		open_req(&oreq);
		memref(&oreq, id, bad[i].off, bad[i].size);
		res = call(a, TEE_MSG_OPEN_SESSION, &oreq, sizeof(oreq), NULL, 0);
		TEST_STEP("%-36s -> 0x%08x origin %u", bad[i].what, res, g_reply.hdr.origin);
		ASSERT_TEEC_RES(res, TEEC_ERROR_BAD_PARAMETERS);
		ASSERT_EQ_INT(g_reply.hdr.origin, TEEC_ORIGIN_TEE);
	}
	open_req(&oreq);
	oreq.op.param_types = 1u;
	oreq.op.params[0].type = 5u;
	res = call(a, TEE_MSG_OPEN_SESSION, &oreq, sizeof(oreq), NULL, 0);
	TEST_STEP("param type disagreeing with param_types (0x%08x)", res);
	ASSERT_TEEC_RES(res, TEEC_ERROR_BAD_PARAMETERS);
	open_req(&oreq);
	oreq.op.param_types = 4;
	oreq.op.params[0].type = 4;
	res = call(a, TEE_MSG_OPEN_SESSION, &oreq, sizeof(oreq), NULL, 0);
	TEST_STEP("reserved param type 4 (0x%08x)", res);
	ASSERT_TEEC_RES(res, TEEC_ERROR_BAD_PARAMETERS);
	open_req(&oreq);
	res = call(a, TEE_MSG_OPEN_SESSION, &oreq, sizeof(oreq) - 1, NULL, 0);
	TEST_STEP("short open request (0x%08x)", res);
	ASSERT_TEEC_RES(res, TEEC_ERROR_BAD_PARAMETERS);

	open_req(&oreq);
	res = call(a, TEE_MSG_OPEN_SESSION, &oreq, sizeof(oreq), NULL, 0);
	if (res == TEEC_SUCCESS) {
		struct tee_msg_open_rsp rsp;
		memcpy(&rsp, g_reply.body, sizeof(rsp));
		sess = rsp.session_id;
	}
	TEST_STEP("well-formed open session succeeds (0x%08x)", res);
	ASSERT_TEEC_RES(res, TEEC_SUCCESS);

	printf("== invoke validation\n");
	memset(&ireq, 0, sizeof(ireq));
	ireq.session_id = sess;
	ireq.op.param_types = 7u;
	ireq.op.params[0].type = 7u;
	ireq.op.params[0].a = theirs;
	ireq.op.params[0].c = 16;
	res = call(a, TEE_MSG_INVOKE, &ireq, sizeof(ireq), NULL, 0);
	TEST_STEP("invoke with another client's shm (0x%08x)", res);
	ASSERT_TEEC_RES(res, TEEC_ERROR_BAD_PARAMETERS);
	ireq.session_id = sess;
	memset(&ireq.op, 0, sizeof(ireq.op));
	res = call(b, TEE_MSG_INVOKE, &ireq, sizeof(ireq), NULL, 0);
	TEST_STEP("invoke on another client's session (0x%08x)", res);
	ASSERT_TEEC_RES(res, TEEC_ERROR_BAD_PARAMETERS);
	ireq.session_id = sess + 1000;
	res = call(a, TEE_MSG_INVOKE, &ireq, sizeof(ireq), NULL, 0);
	TEST_STEP("invoke on an unknown session (0x%08x)", res);
	ASSERT_TEEC_RES(res, TEEC_ERROR_BAD_PARAMETERS);
	{
		struct tee_msg_shm_release_req r = { .shm_id = theirs };
		res = call(a, TEE_MSG_SHM_RELEASE, &r, sizeof(r), NULL, 0);
		TEST_STEP("releasing another client's shm (0x%08x)", res);
		ASSERT_TEEC_RES(res, TEEC_ERROR_BAD_PARAMETERS);
		r.shm_id = mine;
		res = call(a, TEE_MSG_SHM_RELEASE, &r, sizeof(r), NULL, 0);
		TEST_STEP("releasing own shm (0x%08x)", res);
		ASSERT_TEEC_RES(res, TEEC_SUCCESS);
	}
	memset(&creq, 0, sizeof(creq));
	creq.session_id = sess;
	res = call(a, TEE_MSG_CLOSE_SESSION, &creq, sizeof(creq), NULL, 0);
	TEST_STEP("close session (0x%08x)", res);
	ASSERT_TEEC_RES(res, TEEC_SUCCESS);
	res = call(a, TEE_MSG_CLOSE_SESSION, &creq, sizeof(creq), NULL, 0);
	TEST_STEP("closing it twice refused (0x%08x)", res);
	ASSERT_TEEC_RES(res, TEEC_ERROR_BAD_PARAMETERS);
	close(a);
	close(b);
}

static void test_client_api(void)
{
	TEEC_Context ctx;
	TEEC_Session s;
	TEEC_SharedMemory shm;
	TEEC_Operation op;
	TEEC_UUID uuid;
	uint8_t b[16];
	uint32_t origin = 0;
	TEEC_Result res;

	printf("== GP Client API argument checks (origin API)\n");
	TEST_STEP("TEEC_InitializeContext(NULL context)");
	ASSERT_TEEC_RES(TEEC_InitializeContext(NULL, NULL), TEEC_ERROR_BAD_PARAMETERS);
	ASSERT_TEEC_OK(TEEC_InitializeContext(NULL, &ctx));
	tzm__uuid_parse(COUNTER_UUID, b);
	tzm__uuid_from_bytes(b, (struct tzm__uuid *)&uuid);
	res = TEEC_OpenSession(&ctx, &s, NULL, TEEC_LOGIN_PUBLIC, NULL, NULL, &origin);
	TEST_STEP("TEEC_OpenSession(NULL destination) -> 0x%08x origin %u", res, origin);
	ASSERT_TEEC_RES(res, TEEC_ERROR_BAD_PARAMETERS);
	ASSERT_EQ_INT(origin, TEEC_ORIGIN_API);
	res = TEEC_OpenSession(&ctx, &s, &uuid, TEEC_LOGIN_GROUP, NULL, NULL, &origin);
	TEST_STEP("TEEC_LOGIN_GROUP without a group -> 0x%08x origin %u", res, origin);
	ASSERT_TEEC_RES(res, TEEC_ERROR_BAD_PARAMETERS);
	ASSERT_EQ_INT(origin, TEEC_ORIGIN_API);
	res = TEEC_OpenSession(&ctx, &s, &uuid, 0x77, NULL, NULL, &origin);
	TEST_STEP("unknown login method -> 0x%08x", res);
	ASSERT_TEEC_RES(res, TEEC_ERROR_BAD_PARAMETERS);
	res = TEEC_OpenSession(&ctx, &s, &uuid, TEEC_LOGIN_USER, NULL, NULL, &origin);
	TEST_STEP("TEEC_LOGIN_USER session -> 0x%08x", res);
	ASSERT_TEEC_RES(res, TEEC_SUCCESS);
	if (res != TEEC_SUCCESS) {
		TEEC_FinalizeContext(&ctx);
		return;
	}
	memset(&op, 0, sizeof(op));
	op.paramTypes = TEEC_PARAM_TYPES(0x4, TEEC_NONE, TEEC_NONE, TEEC_NONE);
	res = TEEC_InvokeCommand(&s, 0, &op, &origin);
	TEST_STEP("reserved parameter type -> 0x%08x origin %u", res, origin);
	ASSERT_TEEC_RES(res, TEEC_ERROR_BAD_PARAMETERS);
	ASSERT_EQ_INT(origin, TEEC_ORIGIN_API);
	memset(&shm, 0, sizeof(shm));
	shm.size = 64;
	shm.flags = 0;
	TEST_STEP("shared memory without direction flags refused");
	ASSERT_TEEC_RES(TEEC_AllocateSharedMemory(&ctx, &shm), TEEC_ERROR_BAD_PARAMETERS);
	shm.flags = TEEC_MEM_INPUT;
	TEST_STEP("allocate 64 bytes (input)");
	ASSERT_TEEC_RES(TEEC_AllocateSharedMemory(&ctx, &shm), TEEC_SUCCESS);
	memset(&op, 0, sizeof(op));
	op.paramTypes =
		TEEC_PARAM_TYPES(TEEC_MEMREF_PARTIAL_INPUT, TEEC_NONE, TEEC_NONE, TEEC_NONE);
	op.params[0].memref.parent = &shm;
	op.params[0].memref.offset = 60;
	op.params[0].memref.size = 8;
	res = TEEC_InvokeCommand(&s, 0, &op, &origin);
	TEST_STEP("partial memref beyond its parent -> 0x%08x origin %u", res, origin);
	ASSERT_TEEC_RES(res, TEEC_ERROR_BAD_PARAMETERS);
	ASSERT_EQ_INT(origin, TEEC_ORIGIN_API);
	op.paramTypes =
		TEEC_PARAM_TYPES(TEEC_MEMREF_PARTIAL_OUTPUT, TEEC_NONE, TEEC_NONE, TEEC_NONE);
	op.params[0].memref.offset = 0;
	res = TEEC_InvokeCommand(&s, 0, &op, &origin);
	TEST_STEP("output memref on input-only memory -> 0x%08x origin %u", res, origin);
	ASSERT_TEEC_RES(res, TEEC_ERROR_BAD_PARAMETERS);
	ASSERT_EQ_INT(origin, TEEC_ORIGIN_API);
	op.params[0].memref.parent = NULL;
	res = TEEC_InvokeCommand(&s, 0, &op, &origin);
	TEST_STEP("registered memref without parent -> 0x%08x", res);
	ASSERT_TEEC_RES(res, TEEC_ERROR_BAD_PARAMETERS);
	TEEC_ReleaseSharedMemory(&shm);
	TEEC_CloseSession(&s);
	TEEC_FinalizeContext(&ctx);
}

int main(void)
{
	TEEC_Context keep;

	setvbuf(stdout, NULL, _IONBF, 0);
	/* starts tzm-teed on demand and keeps it from idling out */
	TEST_STEP("reach the TEE");
	ASSERT_TEEC_OK(TEEC_InitializeContext(NULL, &keep));
	test_wire();
	test_client_api();
	TEEC_FinalizeContext(&keep);
	printf("tee_proto: all checks passed\n");
	return 0;
}
