/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * tee_plugin: OP-TEE supplicant plugins. A TA calls tee_invoke_supp_plugin(); the core
 * relays the call to this client, whose libteec loads <uuid>.plugin from $TZM_PLUGIN_DIR
 * and runs it: data in and out, sub-command, the plugin's own result code, init run once,
 * and the plugin runs in this process (its getpid() is ours), not in the TEE. A plugin
 * that claims more output than the buffer and a plugin no directory has are errors the TA
 * sees, each with a line on our stderr. Then a hostile client on the raw protocol: a
 * plugin answer longer than the TA's buffer, or whose length disagrees with its data, is
 * refused by the core (the TA gets TEEC_ERROR_COMMUNICATION, nothing copied), a stray
 * answer is ignored, and an honest answer still works.
 */
#include <plugin_test_ta.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <tee_test.h>

#include "msgio.h"
#include "uuid.h"

/* Calls the plugin through the TA; buf (cap bytes, len used) in and out. */
static TEEC_Result call(TEEC_Session *s, uint32_t which, uint32_t cmd, char *buf, size_t cap,
			size_t *outlen, uint32_t *origin)
{
	TEEC_Operation op;
	TEEC_Result res;

	memset(&op, 0, sizeof(op));
	op.paramTypes = TEEC_PARAM_TYPES(TEEC_VALUE_INPUT, TEEC_MEMREF_TEMP_INOUT,
					 TEEC_VALUE_OUTPUT, TEEC_NONE);
	op.params[0].value.a = which;
	op.params[0].value.b = cmd;
	op.params[1].tmpref.buffer = buf;
	op.params[1].tmpref.size = cap;
	res = TEEC_InvokeCommand(s, TA_PLUGIN_TEST_CMD_CALL, &op, origin);
	*outlen = op.params[2].value.a;
	return res;
}

/*
 * Raw client: invokes CMD_CALL_LOCAL (plugin cmd UPPER) with seq, expects the core's
 * PLUGIN_CALL for it, answers with out_len and data bytes of "ABCDEFGHI", and returns
 * the invoke's result; *outlen and *first4 get the TA's view.
 */
static uint32_t raw_invoke(int s, uint32_t session, uint32_t seq, uint32_t out_len, size_t data,
			   uint32_t *outlen, uint32_t *first4)
{
	static struct tzm__msg m;
	struct tee_msg_invoke_req req;
	struct tee_msg_plugin_req preq;
	struct tee_msg_plugin_rsp rsp = { .out_len = out_len };
	struct tee_msg_invoke_rsp irsp;

	memset(&req, 0, sizeof(req));
	req.session_id = session;
	req.cmd_id = TA_PLUGIN_TEST_CMD_CALL_LOCAL;
	req.op.param_types = TEEC_PARAM_TYPES(TEEC_VALUE_INPUT, TEEC_VALUE_OUTPUT, 0, 0);
	req.op.params[0].type = TEEC_VALUE_INPUT;
	req.op.params[0].b = TEST_PLUGIN_UPPER;
	req.op.params[1].type = TEEC_VALUE_OUTPUT;
	if (tzm__msg_send(s, TEE_MSG_INVOKE, seq, 0, 0, &req, sizeof(req), NULL, 0, NULL, 0) ||
	    tzm__msg_recv(s, &m)) {
		return 0xdead;
	}
	TEST_STEP("the core relays the TA's plugin call to the client (cmd %u, seq %u)", m.hdr.cmd,
		  m.hdr.seq);
	ASSERT_EQ_INT(m.hdr.cmd, TEE_MSG_PLUGIN_CALL);
	ASSERT_EQ_INT(m.hdr.seq, seq);
	ASSERT_EQ_INT(m.hdr.len, sizeof(preq) + 8);
	memcpy(&preq, m.body, sizeof(preq));
	ASSERT_EQ_INT(preq.len, 8);
	ASSERT_EQ_MEM(m.body + sizeof(preq), "abcdefgh", 8);
	if (tzm__msg_send(s, TEE_MSG_PLUGIN_CALL | TEE_MSG_F_REPLY, seq, TEEC_SUCCESS, 0, &rsp,
			  sizeof(rsp), "ABCDEFGHI", data, NULL, 0) ||
	    tzm__msg_recv(s, &m) || m.hdr.cmd != (TEE_MSG_INVOKE | TEE_MSG_F_REPLY) ||
	    m.hdr.seq != seq || m.hdr.len < sizeof(irsp)) {
		return 0xdead;
	}
	memcpy(&irsp, m.body, sizeof(irsp));
	*outlen = (uint32_t)irsp.op.params[1].a;
	*first4 = (uint32_t)irsp.op.params[1].b;
	return m.hdr.ret;
}

static void hostile_client(void)
{
	static struct tzm__msg m;
	struct tee_msg_open_req oreq;
	struct tee_msg_open_rsp orsp;
	struct tee_msg_plugin_rsp rsp = { .out_len = 8 };
	uint32_t outlen = 0, first4 = 0, res;
	int s = tt_raw_connect();

	tt_section("a hostile client answering the plugin call (raw protocol)");
	memset(&oreq, 0, sizeof(oreq));
	tzm__uuid_parse(TA_PLUGIN_TEST_UUID_STR, oreq.uuid);
	if (tzm__msg_send(s, TEE_MSG_OPEN_SESSION, 1, 0, 0, &oreq, sizeof(oreq), NULL, 0, NULL,
			  0) ||
	    tzm__msg_recv(s, &m)) {
		ASSERT_TRUE(!"raw open session");
	}
	TEST_STEP("raw open session (0x%08x)", m.hdr.ret);
	ASSERT_TEEC_RES(m.hdr.ret, TEEC_SUCCESS);
	memcpy(&orsp, m.body, sizeof(orsp));

	res = raw_invoke(s, orsp.session_id, 2, 9, 9, &outlen, &first4);
	TEST_STEP("answer of 9 bytes for the TA's 8: the TA gets COMMUNICATION (0x%08x)", res);
	ASSERT_TEEC_RES(res, TEEC_ERROR_COMMUNICATION);
	TEST_STEP("nothing reached the TA's buffer (outlen %u)", outlen);
	ASSERT_EQ_INT(outlen, 0);
	ASSERT_EQ_MEM(&first4, "abcd", 4);

	res = raw_invoke(s, orsp.session_id, 3, 4, 8, &outlen, &first4);
	TEST_STEP("out_len 4 with 8 bytes of data: COMMUNICATION (0x%08x)", res);
	ASSERT_TEEC_RES(res, TEEC_ERROR_COMMUNICATION);
	ASSERT_EQ_MEM(&first4, "abcd", 4);

	/* A plugin answer nobody asked for: dropped, the connection keeps working. */
	ASSERT_EQ_INT(tzm__msg_send(s, TEE_MSG_PLUGIN_CALL | TEE_MSG_F_REPLY, 77, 0, 0, &rsp,
				    sizeof(rsp), "ABCDEFGH", 8, NULL, 0),
		      0);
	res = raw_invoke(s, orsp.session_id, 4, 8, 8, &outlen, &first4);
	TEST_STEP("after a stray answer, an honest one: SUCCESS (0x%08x), \"ABCD\"", res);
	ASSERT_TEEC_RES(res, TEEC_SUCCESS);
	ASSERT_EQ_INT(outlen, 8);
	ASSERT_EQ_MEM(&first4, "ABCD", 4);
	close(s);
}

int main(void)
{
	TEEC_Context ctx;
	TEEC_Session s;
	char buf[64], want[64];
	size_t outlen = 0;
	uint32_t origin = 0;
	const char *said;
	TEEC_Result res;

	tt_init_context(&ctx);
	tt_open_session(&ctx, &s, TA_PLUGIN_TEST_UUID_STR);

	tt_section("data in and out");
	memset(buf, 0, sizeof(buf));
	strcpy(buf, "hello, plugin");
	res = call(&s, 0, TEST_PLUGIN_UPPER, buf, 13, &outlen, &origin);
	TEST_STEP("the TA's tee_invoke_supp_plugin(UPPER) succeeds");
	ASSERT_TEEC_RES(res, TEEC_SUCCESS);
	TEST_STEP("13 bytes came back upper-cased: \"%.13s\"", buf);
	ASSERT_EQ_INT(outlen, 13);
	ASSERT_EQ_MEM(buf, "HELLO, PLUGIN", 13);

	tt_section("the plugin runs in the client, not in the TEE");
	memset(buf, 0, sizeof(buf));
	res = call(&s, 0, TEST_PLUGIN_PID, buf, sizeof(buf), &outlen, &origin);
	ASSERT_TEEC_RES(res, TEEC_SUCCESS);
	snprintf(want, sizeof(want), "pid=%lu", (unsigned long)getpid());
	TEST_STEP("the plugin's getpid() is this client's: \"%.*s\"", (int)outlen, buf);
	ASSERT_EQ_INT(outlen, strlen(want));
	ASSERT_EQ_MEM(buf, want, outlen);

	tt_section("the plugin's result code reaches the TA");
	res = call(&s, 0, TEST_PLUGIN_ERROR, buf, 8, &outlen, &origin);
	TEST_STEP("TEST_PLUGIN_ERROR: 0x%08x from the TA", res);
	ASSERT_TEEC_RES_ORIGIN(res, origin, TEST_PLUGIN_ERROR_CODE, TEEC_ORIGIN_TRUSTED_APP);

	tt_section("init runs once per client process");
	memset(buf, 0, sizeof(buf));
	res = call(&s, 0, TEST_PLUGIN_INITS, buf, sizeof(buf), &outlen, &origin);
	ASSERT_TEEC_RES(res, TEEC_SUCCESS);
	TEST_STEP("after four calls: \"%.*s\"", (int)outlen, buf);
	ASSERT_EQ_INT(outlen, 6);
	ASSERT_EQ_MEM(buf, "init=1", 6);

	tt_section("a plugin claiming more output than the buffer");
	tt_stderr_begin();
	res = call(&s, 0, TEST_PLUGIN_OVERRUN, buf, 8, &outlen, &origin);
	said = tt_stderr_end();
	TEST_STEP("the TA gets TEEC_ERROR_SHORT_BUFFER, nothing copied");
	ASSERT_TEEC_RES(res, TEEC_ERROR_SHORT_BUFFER);
	ASSERT_EQ_INT(outlen, 0);
	TEST_STEP("libteec says why");
	ASSERT_STR_CONTAINS(said, "output of 9 bytes for a buffer of 8");

	tt_section("a plugin no directory has");
	tt_stderr_begin();
	res = call(&s, 1, TEST_PLUGIN_UPPER, buf, 8, &outlen, &origin);
	said = tt_stderr_end();
	TEST_STEP("the TA gets TEEC_ERROR_ITEM_NOT_FOUND");
	ASSERT_TEEC_RES(res, TEEC_ERROR_ITEM_NOT_FOUND);
	TEST_STEP("libteec names the plugin and where it looked");
	ASSERT_STR_CONTAINS(said, "6e2d8f14-0c7b-4a39-b25e-913f40a86c08.plugin");

	tt_section("a buffer of 0 bytes that is not NULL");
	/* the TA hands a 1-byte allocation with length 0: refused as OP-TEE refuses it (its
	 * regression suite, case 1033, checks it) */
	res = call(&s, 0, TEST_PLUGIN_UPPER, buf, 0, &outlen, &origin);
	TEST_STEP("the TA gets TEEC_ERROR_BAD_PARAMETERS");
	ASSERT_TEEC_RES(res, TEEC_ERROR_BAD_PARAMETERS);

	tt_section("the session still works");
	strcpy(buf, "abc");
	res = call(&s, 0, TEST_PLUGIN_UPPER, buf, 3, &outlen, &origin);
	ASSERT_TEEC_RES(res, TEEC_SUCCESS);
	ASSERT_EQ_MEM(buf, "ABC", 3);
	TEST_STEP("UPPER again: \"ABC\"");
	TEEC_CloseSession(&s);
	hostile_client();
	TEEC_FinalizeContext(&ctx);
	printf("tee_plugin: all checks passed\n");
	return 0;
}
