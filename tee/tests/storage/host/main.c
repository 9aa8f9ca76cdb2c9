/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * tee_storage_e2e: secure storage through the whole stack (libteec -> tzm-teed -> TA host
 * -> core storage service), for a GP 1.3.1 TA and its GP 1.1 build: create/read/rename/
 * delete/enumerate, data surviving the TA instance, the TA's own GP semantics self-test,
 * isolation between the two TAs, a panic on a forged handle, tamper detection (the host
 * flips a byte of the object file under $TZM_STATE_DIR and the TA's read answers
 * TEE_ERROR_CORRUPT_OBJECT) and rollback detection (an older authentic copy of the TA
 * directory or of one object file, or an object file removed, is CORRUPT_OBJECT too).
 */
#include <dirent.h>
#include <fcntl.h>
#include <stdlib.h>
#include <storage_ta.h>
#include <string.h>
#include <sys/stat.h>
#include <tee_test.h>
#include <tzm_test_snap.h>
#include <unistd.h>

#define CORRUPT_OBJECT 0xF0100001u

/* Checks a call's result and the origin it stored in the caller's `origin`: the call runs
 * in its own statement, so the origin is read only after it (argument evaluation order
 * is unspecified). */
#define EXPECT_CALL(call, want_res, want_origin, what)                                             \
	do {                                                                                       \
		TEEC_Result res_ = (call);                                                         \
		TEST_STEP("%s", (what));                                                           \
		ASSERT_TEEC_RES_ORIGIN(res_, origin, (want_res), (want_origin));                   \
	} while (0)

static TEEC_Result invoke_ids(TEEC_Session *s, uint32_t cmd, const char *id, const void *data,
			      size_t len, uint32_t *origin)
{
	TEEC_Operation op;

	memset(&op, 0, sizeof(op));
	op.paramTypes =
		TEEC_PARAM_TYPES(TEEC_MEMREF_TEMP_INPUT, data ? TEEC_MEMREF_TEMP_INPUT : TEEC_NONE,
				 TEEC_NONE, TEEC_NONE);
	op.params[0].tmpref.buffer = (void *)id;
	op.params[0].tmpref.size = strlen(id);
	op.params[1].tmpref.buffer = (void *)data;
	op.params[1].tmpref.size = len;
	return TEEC_InvokeCommand(s, cmd, &op, origin);
}

static TEEC_Result read_obj(TEEC_Session *s, const char *id, void *buf, size_t *len,
			    uint32_t *origin)
{
	TEEC_Operation op;
	TEEC_Result res;

	memset(&op, 0, sizeof(op));
	op.paramTypes = TEEC_PARAM_TYPES(TEEC_MEMREF_TEMP_INPUT, TEEC_MEMREF_TEMP_OUTPUT, TEEC_NONE,
					 TEEC_NONE);
	op.params[0].tmpref.buffer = (void *)id;
	op.params[0].tmpref.size = strlen(id);
	op.params[1].tmpref.buffer = buf;
	op.params[1].tmpref.size = *len;
	res = TEEC_InvokeCommand(s, TA_STORAGE_CMD_READ, &op, origin);
	*len = op.params[1].tmpref.size;
	return res;
}

static void expect_data(TEEC_Session *s, const char *id, const void *want, size_t want_len)
{
	size_t len = want_len + 16;
	uint8_t *buf = malloc(len);
	uint32_t origin = 0;

	TEST_STEP("malloc");
	ASSERT_NOT_NULL(buf);
	EXPECT_CALL(read_obj(s, id, buf, &len, &origin), TEEC_SUCCESS, TZM_TEST_ANY_ORIGIN,
		    "CMD_READ");
	ASSERT_EQ_INT(len, want_len);
	ASSERT_EQ_MEM(buf, want, len);
	TEST_STEP("object '%s' reads back %zu bytes as written (want %zu)", id, len, want_len);
	free(buf);
}

static void expect_count(TEEC_Session *s, uint32_t objects, uint32_t bytes)
{
	TEEC_Operation op;
	uint32_t origin = 0;

	memset(&op, 0, sizeof(op));
	op.paramTypes = TEEC_PARAM_TYPES(TEEC_VALUE_OUTPUT, TEEC_NONE, TEEC_NONE, TEEC_NONE);
	EXPECT_CALL(TEEC_InvokeCommand(s, TA_STORAGE_CMD_COUNT, &op, &origin), TEEC_SUCCESS,
		    TZM_TEST_ANY_ORIGIN, "CMD_COUNT");
	TEST_STEP("enumeration sees %u objects / %u bytes (want %u / %u)", op.params[0].value.a,
		  op.params[0].value.b, objects, bytes);
	ASSERT_EQ_INT(op.params[0].value.a, objects);
	ASSERT_EQ_INT(op.params[0].value.b, bytes);
}

static TEEC_Result hold(TEEC_Session *s, const char *id, uint32_t flags, uint32_t *origin)
{
	TEEC_Operation op;

	memset(&op, 0, sizeof(op));
	op.paramTypes =
		TEEC_PARAM_TYPES(TEEC_MEMREF_TEMP_INPUT, TEEC_VALUE_INPUT, TEEC_NONE, TEEC_NONE);
	op.params[0].tmpref.buffer = (void *)id;
	op.params[0].tmpref.size = strlen(id);
	op.params[1].value.a = flags;
	return TEEC_InvokeCommand(s, TA_STORAGE_CMD_HOLD, &op, origin);
}

/* Sharing rules hold between instances: the open-handle table is the core's. */
static void cross_instance(TEEC_Context *ctx, TEEC_Session *s, const char *uuid)
{
	TEEC_Session other;
	TEEC_Operation op;
	uint32_t origin = 0;
	uint8_t buf[16];
	size_t len = sizeof(buf);

	tt_section("%s: sharing rules across TA instances", uuid);
	EXPECT_CALL(invoke_ids(s, TA_STORAGE_CMD_WRITE, "held", "hold me", 7, &origin),
		    TEEC_SUCCESS, TZM_TEST_ANY_ORIGIN, "CMD_WRITE held");
	tt_open_session(ctx, &other, uuid); /* multi-instance TA: a second instance */
	EXPECT_CALL(hold(&other, "held", 0x1 /* ACCESS_READ, no sharing */, &origin), TEEC_SUCCESS,
		    TZM_TEST_ANY_ORIGIN, "other instance holds 'held' exclusively");
	EXPECT_CALL(read_obj(s, "held", buf, &len, &origin), TEEC_ERROR_ACCESS_CONFLICT,
		    TEEC_ORIGIN_TRUSTED_APP, "reading it from this instance conflicts");
	memset(&op, 0, sizeof(op));
	EXPECT_CALL(TEEC_InvokeCommand(&other, TA_STORAGE_CMD_RELEASE, &op, &origin), TEEC_SUCCESS,
		    TZM_TEST_ANY_ORIGIN, "other instance releases it");
	expect_data(s, "held", "hold me", 7);
	EXPECT_CALL(hold(&other, "held", 0x11 /* ACCESS_READ | SHARE_READ */, &origin),
		    TEEC_SUCCESS, TZM_TEST_ANY_ORIGIN, "other instance holds it, sharing reads");
	expect_data(s, "held", "hold me", 7);
	EXPECT_CALL(hold(&other, "held", 0x4 /* ACCESS_WRITE_META */, &origin), TEEC_SUCCESS,
		    TZM_TEST_ANY_ORIGIN, "other instance holds it with WRITE_META");
	len = sizeof(buf);
	EXPECT_CALL(read_obj(s, "held", buf, &len, &origin), TEEC_ERROR_ACCESS_CONFLICT,
		    TEEC_ORIGIN_TRUSTED_APP, "reading it from this instance conflicts");
	memset(&op, 0, sizeof(op));
	EXPECT_CALL(TEEC_InvokeCommand(&other, TA_STORAGE_CMD_BAD_HANDLE, &op, &origin),
		    TEEC_ERROR_TARGET_DEAD, TEEC_ORIGIN_TEE, "the holding instance panics");
	expect_data(s, "held", "hold me", 7); /* a dead instance's handles are gone */
	TEEC_CloseSession(&other);
	EXPECT_CALL(invoke_ids(s, TA_STORAGE_CMD_DELETE, "held", NULL, 0, &origin), TEEC_SUCCESS,
		    TZM_TEST_ANY_ORIGIN, "CMD_DELETE held");
}

static void ta_dir(const char *uuid, char *out, size_t cap)
{
	const char *state = getenv("TZM_STATE_DIR");

	TEST_STEP("TZM_STATE_DIR is set by the test runner");
	ASSERT_NOT_NULL(state);
	snprintf(out, cap, "%s/storage/%s", state, uuid);
}

/* A copy of the regular files of a TA directory (what a backup would hold). */
static void snap_take(const char *uuid, struct tzm_test_snap *s)
{
	char dir[512];

	ta_dir(uuid, dir, sizeof(dir));
	tzm_test_snap_take(dir, s);
}

/* Makes the TA directory hold exactly the snapshot's files (a restored backup). */
static void snap_restore(const char *uuid, const struct tzm_test_snap *s)
{
	char dir[512];

	ta_dir(uuid, dir, sizeof(dir));
	tzm_test_snap_restore(dir, s);
}

/* Object files (named by random numbers) in the TA directory; *first gets one name. */
static size_t obj_files(const char *uuid, char *first, size_t cap)
{
	struct tzm_test_snap s;
	size_t n = 0;

	snap_take(uuid, &s);
	for (size_t i = 0; i < s.count; i++) {
		size_t l = strlen(s.name[i]);

		if (l > 4 && strcmp(s.name[i] + l - 4, ".tzo") == 0) {
			if (n++ == 0 && first) {
				ta_dir(uuid, first, cap);
				strncat(first, "/", cap - strlen(first) - 1);
				strncat(first, s.name[i], cap - strlen(first) - 1);
			}
		}
	}
	tzm_test_snap_free(&s);
	return n;
}

/* The name of the .tzo file in `now` that is not in `before` (the object just written). */
static const char *new_file(const struct tzm_test_snap *before, const struct tzm_test_snap *now)
{
	for (size_t i = 0; i < now->count; i++) {
		bool seen = false;

		for (size_t k = 0; k < before->count; k++) {
			seen = seen || strcmp(before->name[k], now->name[i]) == 0;
		}
		if (!seen && strstr(now->name[i], ".tzo")) {
			return now->name[i];
		}
	}
	TEST_FAIL("a new object file appeared");
	return NULL;
}

/* Rollback: older authentic copies of files, or of the whole directory, are refused, and
 * a file removed behind the TEE's back is tampering, not a missing object. */
static void rollback(TEEC_Session *s, const char *uuid)
{
	struct tzm_test_snap v1, v2, v3;
	char dir[512];
	char path[700];
	uint8_t buf[32];
	size_t len = 0;
	uint32_t origin = 0;
	const char *f2 = NULL;
	const char *f3 = NULL;

	tt_section("%s: rollback of the TA directory or of one object is detected", uuid);
	ta_dir(uuid, dir, sizeof(dir));
	EXPECT_CALL(invoke_ids(s, TA_STORAGE_CMD_WRITE, "roll", "version one", 11, &origin),
		    TEEC_SUCCESS, TZM_TEST_ANY_ORIGIN, "CMD_WRITE roll v1");
	snap_take(uuid, &v1);
	EXPECT_CALL(invoke_ids(s, TA_STORAGE_CMD_WRITE, "roll", "version two", 11, &origin),
		    TEEC_SUCCESS, TZM_TEST_ANY_ORIGIN, "CMD_WRITE roll v2");
	snap_take(uuid, &v2);
	f2 = new_file(&v1, &v2);

	snap_restore(uuid, &v1);
	len = sizeof(buf);
	EXPECT_CALL(read_obj(s, "roll", buf, &len, &origin), CORRUPT_OBJECT,
		    TEEC_ORIGIN_TRUSTED_APP,
		    "CMD_READ roll after the whole directory was rolled back");
	len = sizeof(buf);
	EXPECT_CALL(read_obj(s, "beta", buf, &len, &origin), CORRUPT_OBJECT,
		    TEEC_ORIGIN_TRUSTED_APP, "CMD_READ of an unchanged object in that directory");
	snap_restore(uuid, &v2);
	expect_data(s, "roll", "version two", 11);

	EXPECT_CALL(invoke_ids(s, TA_STORAGE_CMD_WRITE, "roll", "version 3!!", 11, &origin),
		    TEEC_SUCCESS, TZM_TEST_ANY_ORIGIN, "CMD_WRITE roll v3");
	snap_take(uuid, &v3);
	f3 = new_file(&v2, &v3);
	/* The old version's bytes under the current file's name. */
	for (size_t i = 0; i < v2.count; i++) {
		if (strcmp(v2.name[i], f2) == 0) {
			int fd = -1;

			snprintf(path, sizeof(path), "%s/%s", dir, f3);
			fd = open(path, O_WRONLY | O_TRUNC);
			ASSERT_GE_INT(fd, 0);
			ASSERT_EQ_INT(write(fd, v2.data[i], v2.len[i]), (ssize_t)v2.len[i]);
			TEST_STEP("old object file copied over %s", path);
			close(fd);
		}
	}
	len = sizeof(buf);
	EXPECT_CALL(read_obj(s, "roll", buf, &len, &origin), CORRUPT_OBJECT,
		    TEEC_ORIGIN_TRUSTED_APP, "CMD_READ roll after its file was rolled back");
	snap_restore(uuid, &v3);
	expect_data(s, "roll", "version 3!!", 11);

	snprintf(path, sizeof(path), "%s/%s", dir, f3);
	ASSERT_EQ_INT(unlink(path), 0);
	TEST_STEP("remove %s behind the TEE's back", path);
	len = sizeof(buf);
	EXPECT_CALL(read_obj(s, "roll", buf, &len, &origin), CORRUPT_OBJECT,
		    TEEC_ORIGIN_TRUSTED_APP, "CMD_READ roll after its file was removed");
	snap_restore(uuid, &v3);
	EXPECT_CALL(invoke_ids(s, TA_STORAGE_CMD_DELETE, "roll", NULL, 0, &origin), TEEC_SUCCESS,
		    TZM_TEST_ANY_ORIGIN, "CMD_DELETE roll");
	tzm_test_snap_free(&v1);
	tzm_test_snap_free(&v2);
	tzm_test_snap_free(&v3);
}

static void flip_byte(const char *path, off_t at)
{
	uint8_t b = 0;
	int fd = open(path, O_RDWR);

	TEST_STEP("object file %s exists", path);
	ASSERT_GE_INT(fd, 0);
	ASSERT_EQ_INT(pread(fd, &b, 1, at), 1);
	TEST_STEP("read byte %lld", (long long)at);
	b ^= 0x01;
	ASSERT_EQ_INT(pwrite(fd, &b, 1, at), 1);
	TEST_STEP("write byte %lld", (long long)at);
	close(fd);
}

static void run_ta(TEEC_Context *ctx, const char *uuid)
{
	static uint8_t big[200000];
	TEEC_Session s;
	TEEC_Operation op;
	uint32_t origin = 0;
	char path[512];
	uint8_t small[8];
	size_t len = 0;
	struct stat st;
	int rc;

	for (size_t i = 0; i < sizeof(big); i++) {
		big[i] = (uint8_t)(i * 31 + 7);
	}
	tt_section("%s: create, read back, overwrite", uuid);
	tt_open_session(ctx, &s, uuid);
	expect_count(&s, 0, 0);
	EXPECT_CALL(invoke_ids(&s, TA_STORAGE_CMD_WRITE, "alpha", "first value", 11, &origin),
		    TEEC_SUCCESS, TZM_TEST_ANY_ORIGIN, "CMD_WRITE alpha");
	expect_data(&s, "alpha", "first value", 11);
	EXPECT_CALL(invoke_ids(&s, TA_STORAGE_CMD_WRITE, "alpha", "second", 6, &origin),
		    TEEC_SUCCESS, TZM_TEST_ANY_ORIGIN, "CMD_WRITE alpha again (OVERWRITE)");
	expect_data(&s, "alpha", "second", 6);
	len = 2;
	EXPECT_CALL(read_obj(&s, "alpha", small, &len, &origin), TEEC_ERROR_SHORT_BUFFER,
		    TEEC_ORIGIN_TRUSTED_APP, "CMD_READ into 2 bytes");
	TEST_STEP("needed size %zu reported (want 6)", len);
	ASSERT_EQ_INT(len, 6);
	len = sizeof(small);
	EXPECT_CALL(read_obj(&s, "missing", small, &len, &origin), TEEC_ERROR_ITEM_NOT_FOUND,
		    TEEC_ORIGIN_TRUSTED_APP, "CMD_READ missing");

	tt_section("%s: a multi-message object", uuid);
	EXPECT_CALL(invoke_ids(&s, TA_STORAGE_CMD_WRITE, "big", big, sizeof(big), &origin),
		    TEEC_SUCCESS, TZM_TEST_ANY_ORIGIN, "CMD_WRITE big");
	expect_data(&s, "big", big, sizeof(big));
	expect_count(&s, 2, 6 + sizeof(big));

	tt_section("%s: data outlives the TA instance", uuid);
	TEEC_CloseSession(&s);
	tt_open_session(ctx, &s, uuid);
	expect_data(&s, "alpha", "second", 6);

	tt_section("%s: rename and delete", uuid);
	EXPECT_CALL(invoke_ids(&s, TA_STORAGE_CMD_RENAME, "alpha", "beta", 4, &origin),
		    TEEC_SUCCESS, TZM_TEST_ANY_ORIGIN, "CMD_RENAME alpha -> beta");
	EXPECT_CALL(invoke_ids(&s, TA_STORAGE_CMD_RENAME, "beta", "big", 3, &origin),
		    TEEC_ERROR_ACCESS_CONFLICT, TEEC_ORIGIN_TRUSTED_APP,
		    "CMD_RENAME beta -> big (exists)");
	len = sizeof(small);
	EXPECT_CALL(read_obj(&s, "alpha", small, &len, &origin), TEEC_ERROR_ITEM_NOT_FOUND,
		    TEEC_ORIGIN_TRUSTED_APP, "CMD_READ old name");
	expect_data(&s, "beta", "second", 6);
	EXPECT_CALL(invoke_ids(&s, TA_STORAGE_CMD_DELETE, "big", NULL, 0, &origin), TEEC_SUCCESS,
		    TZM_TEST_ANY_ORIGIN, "CMD_DELETE big");
	expect_count(&s, 1, 6);
	TEST_STEP("one object file left (beta's)");
	ASSERT_EQ_INT(obj_files(uuid, path, sizeof(path)), 1);

	tt_section("%s: tampering is detected, never returned as data", uuid);
	/* stat first: the message's arguments may be evaluated before the condition */
	memset(&st, 0, sizeof(st));
	rc = stat(path, &st);
	TEST_STEP("object file %s: size %lld (want 58), private", path, (long long)st.st_size);
	ASSERT_EQ_INT(rc, 0);
	ASSERT_EQ_INT(st.st_size, 52 + 6);
	ASSERT_EQ_INT((st.st_mode & 077), 0);
	for (off_t at = 0; at < st.st_size; at += 9) {
		flip_byte(path, at);
		len = sizeof(small);
		EXPECT_CALL(read_obj(&s, "beta", small, &len, &origin), CORRUPT_OBJECT,
			    TEEC_ORIGIN_TRUSTED_APP, "CMD_READ of a tampered object");
		flip_byte(path, at);
	}
	expect_data(&s, "beta", "second", 6);

	rollback(&s, uuid);
	cross_instance(ctx, &s, uuid);

	tt_section("%s: the TA's own GP semantics checks", uuid);
	memset(&op, 0, sizeof(op));
	op.paramTypes = TEEC_PARAM_TYPES(TEEC_VALUE_OUTPUT, TEEC_NONE, TEEC_NONE, TEEC_NONE);
	EXPECT_CALL(TEEC_InvokeCommand(&s, TA_STORAGE_CMD_SELFTEST, &op, &origin), TEEC_SUCCESS,
		    TZM_TEST_ANY_ORIGIN, "CMD_SELFTEST");
	TEST_STEP("TA self-test passed (failed at storage_ta.c:%u)", op.params[0].value.a);
	ASSERT_EQ_INT(op.params[0].value.a, 0);
	expect_count(&s, 1, 6);

	tt_section("%s: a forged object handle panics the TA", uuid);
	memset(&op, 0, sizeof(op));
	EXPECT_CALL(TEEC_InvokeCommand(&s, TA_STORAGE_CMD_BAD_HANDLE, &op, &origin),
		    TEEC_ERROR_TARGET_DEAD, TEEC_ORIGIN_TEE, "CMD_BAD_HANDLE");
	TEEC_CloseSession(&s);
	tt_open_session(ctx, &s, uuid);
	expect_data(&s, "beta", "second", 6);
	EXPECT_CALL(invoke_ids(&s, TA_STORAGE_CMD_DELETE, "beta", NULL, 0, &origin), TEEC_SUCCESS,
		    TZM_TEST_ANY_ORIGIN, "CMD_DELETE beta");
	expect_count(&s, 0, 0);
	TEEC_CloseSession(&s);
}

/* The same object id in two TAs names two different objects. */
static void isolation(TEEC_Context *ctx)
{
	TEEC_Session a, b;
	uint32_t origin = 0;
	uint8_t buf[16];
	size_t len = sizeof(buf);

	tt_section("objects are private to their TA");
	tt_open_session(ctx, &a, TA_STORAGE_UUID_STR);
	tt_open_session(ctx, &b, TA_STORAGE11_UUID_STR);
	EXPECT_CALL(invoke_ids(&a, TA_STORAGE_CMD_WRITE, "same", "from A", 6, &origin),
		    TEEC_SUCCESS, TZM_TEST_ANY_ORIGIN, "TA A writes 'same'");
	EXPECT_CALL(read_obj(&b, "same", buf, &len, &origin), TEEC_ERROR_ITEM_NOT_FOUND,
		    TEEC_ORIGIN_TRUSTED_APP, "TA B reads 'same'");
	EXPECT_CALL(invoke_ids(&b, TA_STORAGE_CMD_WRITE, "same", "from B!", 7, &origin),
		    TEEC_SUCCESS, TZM_TEST_ANY_ORIGIN, "TA B writes 'same'");
	expect_data(&a, "same", "from A", 6);
	expect_data(&b, "same", "from B!", 7);
	expect_count(&a, 1, 6);
	TEEC_CloseSession(&a);
	TEEC_CloseSession(&b);
}

int main(void)
{
	TEEC_Context ctx;

	tt_init_context(&ctx);
	run_ta(&ctx, TA_STORAGE_UUID_STR);
	run_ta(&ctx, TA_STORAGE11_UUID_STR);
	isolation(&ctx);
	TEEC_FinalizeContext(&ctx);
	printf("tee_storage_e2e: all checks passed\n");
	return 0;
}
