/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * tee_lifecycle: who the TA sees, how long its instance lives, what it may log.
 *  - login methods: PUBLIC gives the nil UUID; USER, GROUP, APPLICATION,
 *    USER_APPLICATION and GROUP_APPLICATION give the documented name-based UUIDs
 *    (version 8, SHA-256 of "tzmediator:uid=<uid>[:app=<exe>]" / "gid=<gid>..."), with
 *    the GP login constant; a group the client is not in is refused (ACCESS_DENIED), an
 *    undefined method is refused (BAD_PARAMETERS);
 *  - TA_FLAGS: a single-instance multi-session TA shares one instance between concurrent
 *    sessions; with TA_FLAG_INSTANCE_KEEP_ALIVE the instance (and its state) outlives its
 *    last session, without it the next session gets a fresh instance; a multi-instance TA
 *    gets one instance per session;
 *  - CFG_TEE_TA_LOG_LEVEL: a TA built with level 4 logs E/I/D/F lines to tee.log, level 2
 *    only E/I, and the default (1) only E.
 * Under an exec wrapper (qemu-user) the core sees the emulator as the client executable,
 * so the application-based identities are only checked for being distinct.
 */
#include <grp.h>
#include <lifecycle_ta.h>
#include <openssl/sha.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <tee_test.h>

struct ident {
	uint32_t login;
	uint8_t uuid[16];
};

static void expected_uuid(const char *label, uint8_t out[16])
{
	uint8_t d[SHA256_DIGEST_LENGTH];

	SHA256((const unsigned char *)label, strlen(label), d);
	memcpy(out, d, 16);
	out[6] = (uint8_t)((out[6] & 0x0f) | 0x80);
	out[8] = (uint8_t)((out[8] & 0x3f) | 0x80);
}

static TEEC_Result open_as(TEEC_Context *ctx, TEEC_Session *s, const char *uuid, uint32_t method,
			   uint32_t *gid, uint32_t *origin)
{
	TEEC_UUID u = tt_uuid(uuid);

	return TEEC_OpenSession(ctx, s, &u, method, gid, NULL, origin);
}

static struct ident identity_of(TEEC_Session *s)
{
	uint8_t buf[TA_LIFE_IDENTITY_SIZE];
	struct ident id;

	tt_get_bytes(s, TA_LIFE_CMD_IDENTITY, buf, sizeof(buf), "CMD_IDENTITY");
	memcpy(&id.login, buf, 4);
	memcpy(id.uuid, buf + 4, 16);
	return id;
}

static struct ident login_as(TEEC_Context *ctx, uint32_t method, uint32_t *gid, const char *what)
{
	TEEC_Session s;
	uint32_t origin = 0;
	TEEC_Result res = open_as(ctx, &s, TA_LIFE_QUIET_UUID_STR, method, gid, &origin);
	struct ident id;

	TEST_STEP("%s", what);
	ASSERT_TEEC_RES(res, TEEC_SUCCESS);
	id = identity_of(&s);
	TEEC_CloseSession(&s);
	return id;
}

static void check_ident(struct ident got, uint32_t login, const char *label, const char *what)
{
	uint8_t want[16] = { 0 };

	if (label) {
		expected_uuid(label, want);
	}
	TEST_STEP("%s: the TA sees login 0x%x (want 0x%x)", what, got.login, login);
	ASSERT_EQ_INT(got.login, login);
	ASSERT_EQ_MEM(got.uuid, want, 16);
	TEST_STEP("%s: identity UUID is %s%s", what, label ? "the name-based UUID of " : "nil",
		  label ? label : "");
}

static uint32_t foreign_gid(void)
{
	gid_t groups[256];
	int n = getgroups(256, groups);

	for (uint32_t g = 61000;; g++) {
		bool member = g == (uint32_t)getgid();
		for (int i = 0; i < n; i++) {
			member = member || (uint32_t)groups[i] == g;
		}
		if (!member) {
			return g;
		}
	}
}

static void logins(TEEC_Context *ctx)
{
	char label[4200], exe[4096];
	const bool wrapped = getenv("TZM_EXEC_WRAPPER") && *getenv("TZM_EXEC_WRAPPER");
	uint32_t gid = (uint32_t)getgid(), other = foreign_gid(), origin = 0;
	struct ident pub, user, group, app, uapp, gapp;
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	TEEC_Session s;
	TEEC_Result res;

	TEST_STEP("readlink /proc/self/exe");
	ASSERT_GT_INT(n, 0);
	exe[n] = '\0';
	tt_section("login methods and gpd.client.identity");
	pub = login_as(ctx, TEEC_LOGIN_PUBLIC, NULL, "TEEC_LOGIN_PUBLIC");
	check_ident(pub, TEEC_LOGIN_PUBLIC, NULL, "PUBLIC");
	user = login_as(ctx, TEEC_LOGIN_USER, NULL, "TEEC_LOGIN_USER");
	snprintf(label, sizeof(label), "tzmediator:uid=%u", (unsigned)getuid());
	check_ident(user, TEEC_LOGIN_USER, label, "USER");
	TEST_STEP("USER identity is stable across sessions");
	ASSERT_EQ_MEM(login_as(ctx, TEEC_LOGIN_USER, NULL, "TEEC_LOGIN_USER again").uuid, user.uuid,
		      16);
	group = login_as(ctx, TEEC_LOGIN_GROUP, &gid, "TEEC_LOGIN_GROUP (own gid)");
	snprintf(label, sizeof(label), "tzmediator:gid=%u", gid);
	check_ident(group, TEEC_LOGIN_GROUP, label, "GROUP");
	app = login_as(ctx, TEEC_LOGIN_APPLICATION, NULL, "TEEC_LOGIN_APPLICATION");
	uapp = login_as(ctx, TEEC_LOGIN_USER_APPLICATION, NULL, "TEEC_LOGIN_USER_APPLICATION");
	gapp = login_as(ctx, TEEC_LOGIN_GROUP_APPLICATION, &gid, "TEEC_LOGIN_GROUP_APPLICATION");
	if (!wrapped) {
		snprintf(label, sizeof(label), "tzmediator:app=%s", exe);
		check_ident(app, TEEC_LOGIN_APPLICATION, label, "APPLICATION");
		snprintf(label, sizeof(label), "tzmediator:uid=%u:app=%s", (unsigned)getuid(), exe);
		check_ident(uapp, TEEC_LOGIN_USER_APPLICATION, label, "USER_APPLICATION");
		snprintf(label, sizeof(label), "tzmediator:gid=%u:app=%s", gid, exe);
		check_ident(gapp, TEEC_LOGIN_GROUP_APPLICATION, label, "GROUP_APPLICATION");
	} else {
		TEST_STEP(
			"application logins reach the TA (exec wrapper: executable not compared)");
		ASSERT_EQ_INT(app.login, TEEC_LOGIN_APPLICATION);
		ASSERT_EQ_INT(uapp.login, TEEC_LOGIN_USER_APPLICATION);
		ASSERT_EQ_INT(gapp.login, TEEC_LOGIN_GROUP_APPLICATION);
	}
	TEST_STEP("the identities of different methods differ");
	ASSERT_NE_MEM(user.uuid, group.uuid, 16);
	ASSERT_NE_MEM(user.uuid, app.uuid, 16);
	ASSERT_NE_MEM(app.uuid, uapp.uuid, 16);
	ASSERT_NE_MEM(uapp.uuid, gapp.uuid, 16);
	ASSERT_NE_MEM(pub.uuid, user.uuid, 16);

	res = open_as(ctx, &s, TA_LIFE_QUIET_UUID_STR, TEEC_LOGIN_GROUP, &other, &origin);
	TEST_STEP("TEEC_LOGIN_GROUP for a group the client is not in");
	ASSERT_TEEC_RES(res, TEEC_ERROR_ACCESS_DENIED);
	res = open_as(ctx, &s, TA_LIFE_QUIET_UUID_STR, TEEC_LOGIN_GROUP_APPLICATION, &other,
		      &origin);
	TEST_STEP("TEEC_LOGIN_GROUP_APPLICATION for a group the client is not in");
	ASSERT_TEEC_RES(res, TEEC_ERROR_ACCESS_DENIED);
	res = open_as(ctx, &s, TA_LIFE_QUIET_UUID_STR, 3, NULL, &origin);
	TEST_STEP("undefined login method 3");
	ASSERT_TEEC_RES(res, TEEC_ERROR_BAD_PARAMETERS);
}

static void count(TEEC_Session *s, uint32_t *calls, uint32_t *sessions, const char *what)
{
	*calls = tt_get_value(s, TA_LIFE_CMD_COUNT, sessions, what);
}

static void lifetimes(TEEC_Context *ctx)
{
	TEEC_Session a, b;
	uint32_t calls = 0, sess = 0;

	tt_section("TA_FLAG_SINGLE_INSTANCE | MULTI_SESSION | INSTANCE_KEEP_ALIVE");
	tt_open_session(ctx, &a, TA_LIFE_KEEP_UUID_STR);
	tt_open_session(ctx, &b, TA_LIFE_KEEP_UUID_STR);
	count(&a, &calls, &sess, "CMD_COUNT on session 1");
	count(&b, &calls, &sess, "CMD_COUNT on session 2");
	TEST_STEP("two concurrent sessions share one instance (%u calls, "
		  "%u sessions)",
		  calls, sess);
	ASSERT_EQ_INT(calls, 2);
	ASSERT_EQ_INT(sess, 2);
	TEEC_CloseSession(&a);
	TEEC_CloseSession(&b);
	tt_open_session(ctx, &a, TA_LIFE_KEEP_UUID_STR);
	count(&a, &calls, &sess, "CMD_COUNT after the last session had closed");
	TEST_STEP("keep-alive: the instance and its state outlived its last session (%u calls, %u "
		  "sessions)",
		  calls, sess);
	ASSERT_EQ_INT(calls, 3);
	ASSERT_EQ_INT(sess, 3);
	TEEC_CloseSession(&a);

	tt_section("TA_FLAG_SINGLE_INSTANCE | MULTI_SESSION without keep-alive");
	tt_open_session(ctx, &a, TA_LIFE_PLAIN_UUID_STR);
	tt_open_session(ctx, &b, TA_LIFE_PLAIN_UUID_STR);
	count(&a, &calls, &sess, "CMD_COUNT on session 1");
	count(&b, &calls, &sess, "CMD_COUNT on session 2");
	TEST_STEP("two concurrent sessions share one instance");
	ASSERT_EQ_INT(calls, 2);
	ASSERT_EQ_INT(sess, 2);
	TEEC_CloseSession(&a);
	TEEC_CloseSession(&b);
	tt_open_session(ctx, &a, TA_LIFE_PLAIN_UUID_STR);
	count(&a, &calls, &sess, "CMD_COUNT after the last session had closed");
	TEST_STEP("no keep-alive: a fresh instance (%u calls, %u sessions)", calls, sess);
	ASSERT_EQ_INT(calls, 1);
	ASSERT_EQ_INT(sess, 1);
	TEEC_CloseSession(&a);

	tt_section("no TA_FLAG_SINGLE_INSTANCE: one instance per session");
	tt_open_session(ctx, &a, TA_LIFE_QUIET_UUID_STR);
	tt_open_session(ctx, &b, TA_LIFE_QUIET_UUID_STR);
	count(&a, &calls, &sess, "CMD_COUNT on session 1");
	count(&b, &calls, &sess, "CMD_COUNT on session 2");
	TEST_STEP("session 2 has an instance of its own");
	ASSERT_EQ_INT(calls, 1);
	ASSERT_EQ_INT(sess, 1);
	TEEC_CloseSession(&a);
	TEEC_CloseSession(&b);
}

static void traces(TEEC_Context *ctx)
{
	static const struct {
		const char *uuid, *name, *levels;
	} v[] = {
		{ TA_LIFE_KEEP_UUID_STR, "CFG_TEE_TA_LOG_LEVEL=4", "EIDF" },
		{ TA_LIFE_PLAIN_UUID_STR, "CFG_TEE_TA_LOG_LEVEL=2", "EI" },
		{ TA_LIFE_QUIET_UUID_STR, "default level (1)", "E" },
	};
	const char *run = getenv("TZM_RUNTIME_DIR");
	uint32_t nonce = (uint32_t)getpid() * 1000u + (uint32_t)(tt_now_ms() % 1000);
	char text[64];

	TEST_STEP("TZM_RUNTIME_DIR is set (run through CTest)");
	ASSERT_NOT_NULL(run);
	tt_section("CFG_TEE_TA_LOG_LEVEL: EMSG/IMSG/DMSG/FMSG in tee.log");
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		TEEC_Session s;
		TEEC_Operation op;
		uint32_t origin = 0;
		TEEC_Result res;

		tt_open_session(ctx, &s, v[i].uuid);
		memset(&op, 0, sizeof(op));
		op.paramTypes = TEEC_PARAM_TYPES(TEEC_VALUE_INPUT, TEEC_NONE, TEEC_NONE, TEEC_NONE);
		op.params[0].value.a = nonce + (uint32_t)i;
		res = TEEC_InvokeCommand(&s, TA_LIFE_CMD_TRACE, &op, &origin);
		TEST_STEP("CMD_TRACE");
		ASSERT_TEEC_RES(res, TEEC_SUCCESS);
		TEEC_CloseSession(&s);
		/* The E line is always there; wait for it, then everything was written. */
		snprintf(text, sizeof(text), "lifecycle-trace E %u", nonce + (uint32_t)i);
		(void)tt_log_wait(v[i].uuid, text, 1, 10000);
		for (const char *lv = "EIDF"; *lv; lv++) {
			bool want = strchr(v[i].levels, *lv) != NULL;
			snprintf(text, sizeof(text), "lifecycle-trace %c %u", *lv,
				 nonce + (uint32_t)i);
			ASSERT_EQ_INT(tt_log_count(v[i].uuid, text) > 0, want);
			TEST_STEP("%s: %cMSG line %s tee.log", v[i].name, *lv,
				  want ? "in" : "not in");
		}
	}
}

int main(void)
{
	TEEC_Context ctx;

	tt_init_context(&ctx);
	logins(&ctx);
	lifetimes(&ctx);
	traces(&ctx);
	TEEC_FinalizeContext(&ctx);
	printf("tee_lifecycle: all checks passed\n");
	return 0;
}
