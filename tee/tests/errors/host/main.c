/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * tee_errors: bad input from clients and misbehaving TAs. NULL pointers where GP allows
 * an error return (with OP-TEE libteec's answers: an unknown TEE name, a NULL registered
 * buffer of any size), an undefined parameter type, a UUID with no TA, wrong parameter types
 * for a command, heap exhaustion (handled, and fatal), a NULL pointer write and abort()
 * in a TA. Each gets its GP code and origin and a line saying what happened (libteec's
 * on stderr for Client API misuse, tee.log for the rest), and a fresh session on a good
 * TA works afterwards.
 *
 * tee_bad_images (argument "images <elf>"): copies the build's TA directory into the test
 * scratch directory, points TZM_TA_DIR there before the TEE starts, then plants corrupt
 * (flipped byte in the image, in the header, truncated) and foreign (renamed TA, random
 * bytes, a bare ELF, empty, header only) .ta files and checks that each is refused with
 * TEEC_ERROR_BAD_FORMAT or TEEC_ERROR_SECURITY, origin TEE, without disturbing the TEE.
 */
#include <dirent.h>
#include <errno.h>
#include <errors_ta.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <tee_test.h>

#define HDR_SIZE 128 /* .ta header (tee/abi/ta_image.h) */

static void expect_good_ta(TEEC_Context *ctx, const char *what)
{
	TEEC_Session s;
	TEEC_Operation op;
	uint32_t origin = 0;
	TEEC_Result res;

	tt_open_session(ctx, &s, TA_ERRORS_UUID_STR);
	memset(&op, 0, sizeof(op));
	op.paramTypes = TEEC_PARAM_TYPES(TEEC_VALUE_OUTPUT, TEEC_NONE, TEEC_NONE, TEEC_NONE);
	res = TEEC_InvokeCommand(&s, TA_ERRORS_CMD_PING, &op, &origin);
	TEST_STEP("%s", what);
	ASSERT_TEEC_RES(res, TEEC_SUCCESS);
	TEST_STEP("%s: the TA answered", what);
	ASSERT_EQ_INT(op.params[0].value.a, 0x600d);
	TEEC_CloseSession(&s);
}

/* log: what tee.log must say about it (a new line with the TA's UUID and this text). */
static void expect_dies(TEEC_Context *ctx, uint32_t cmd, uint32_t ptypes, const char *what,
			const char *log)
{
	TEEC_Session s;
	TEEC_Operation op;
	uint32_t origin = 0;
	TEEC_Result res;
	unsigned seen = tt_log_count(TA_ERRORS_UUID_STR, log);

	tt_open_session(ctx, &s, TA_ERRORS_UUID_STR);
	memset(&op, 0, sizeof(op));
	op.paramTypes = ptypes;
	res = TEEC_InvokeCommand(&s, cmd, &op, &origin);
	TEST_STEP("%s", what);
	ASSERT_TEEC_RES_ORIGIN(res, origin, TEEC_ERROR_TARGET_DEAD, TEEC_ORIGIN_TEE);
	ASSERT_TRUE(tt_log_wait(TA_ERRORS_UUID_STR, log, seen + 1, 10000));
	TEST_STEP("tee.log: \"%s\"", log);
	TEEC_CloseSession(&s);
	expect_good_ta(ctx, "afterwards, a fresh session on a good TA");
}

static void api_misuse(void)
{
	TEEC_Context ctx;
	TEEC_Session s;
	TEEC_SharedMemory shm;
	TEEC_Operation op;
	TEEC_UUID uuid = tt_uuid(TA_ERRORS_UUID_STR);
	TEEC_UUID nobody = tt_uuid("0badc0de-0000-4000-8000-000000000002");
	uint32_t origin = 0;
	const char *said = NULL;
	TEEC_Result res;

	tt_section("NULL pointers and undefined values at the Client API");
	tt_stderr_begin();
	res = TEEC_InitializeContext(NULL, NULL);
	said = tt_stderr_end();
	TEST_STEP("TEEC_InitializeContext(NULL, NULL)");
	ASSERT_TEEC_RES(res, TEEC_ERROR_BAD_PARAMETERS);
	TEST_STEP("libteec says why on stderr");
	ASSERT_STR_CONTAINS(said, "libteec: TEEC_InitializeContext: context is NULL");
	memset(&ctx, 0, sizeof(ctx));
	tt_stderr_begin();
	res = TEEC_InitializeContext("Invalid TEE name", &ctx);
	said = tt_stderr_end();
	TEST_STEP("TEEC_InitializeContext(\"Invalid TEE name\") fails as on OP-TEE");
	ASSERT_TEEC_RES(res, TEEC_ERROR_ITEM_NOT_FOUND);
	TEST_STEP("libteec names the TEE it does not know");
	ASSERT_STR_CONTAINS(said, "no TEE named \"Invalid TEE name\"");
	res = TEEC_InitializeContext("optee-tz", &ctx);
	TEST_STEP("TEEC_InitializeContext(\"optee-tz\") selects this TEE, as on OP-TEE");
	ASSERT_TEEC_RES(res, TEEC_SUCCESS);
	TEEC_FinalizeContext(&ctx);
	tt_init_context(&ctx);
	res = TEEC_OpenSession(NULL, &s, &uuid, TEEC_LOGIN_PUBLIC, NULL, NULL, &origin);
	TEST_STEP("TEEC_OpenSession with a NULL context");
	ASSERT_TEEC_RES_ORIGIN(res, origin, TEEC_ERROR_BAD_PARAMETERS, TEEC_ORIGIN_API);
	tt_stderr_begin();
	res = TEEC_OpenSession(&ctx, NULL, &uuid, TEEC_LOGIN_PUBLIC, NULL, NULL, &origin);
	said = tt_stderr_end();
	TEST_STEP("TEEC_OpenSession with a NULL session");
	ASSERT_TEEC_RES_ORIGIN(res, origin, TEEC_ERROR_BAD_PARAMETERS, TEEC_ORIGIN_API);
	TEST_STEP("libteec says why on stderr");
	ASSERT_STR_CONTAINS(said, "libteec: TEEC_OpenSession: session is NULL");
	res = TEEC_OpenSession(&ctx, &s, NULL, TEEC_LOGIN_PUBLIC, NULL, NULL, &origin);
	TEST_STEP("TEEC_OpenSession with a NULL destination");
	ASSERT_TEEC_RES_ORIGIN(res, origin, TEEC_ERROR_BAD_PARAMETERS, TEEC_ORIGIN_API);
	res = TEEC_InvokeCommand(NULL, 0, NULL, &origin);
	TEST_STEP("TEEC_InvokeCommand with a NULL session");
	ASSERT_TEEC_RES_ORIGIN(res, origin, TEEC_ERROR_BAD_PARAMETERS, TEEC_ORIGIN_API);
	memset(&shm, 0, sizeof(shm));
	shm.size = 16;
	shm.flags = TEEC_MEM_INPUT;
	res = TEEC_AllocateSharedMemory(NULL, &shm);
	TEST_STEP("TEEC_AllocateSharedMemory with a NULL context");
	ASSERT_TEEC_RES(res, TEEC_ERROR_BAD_PARAMETERS);
	res = TEEC_AllocateSharedMemory(&ctx, NULL);
	TEST_STEP("TEEC_AllocateSharedMemory with a NULL shared memory");
	ASSERT_TEEC_RES(res, TEEC_ERROR_BAD_PARAMETERS);
	res = TEEC_RegisterSharedMemory(NULL, &shm);
	TEST_STEP("TEEC_RegisterSharedMemory with a NULL context");
	ASSERT_TEEC_RES(res, TEEC_ERROR_BAD_PARAMETERS);
	res = TEEC_RegisterSharedMemory(&ctx, NULL);
	TEST_STEP("TEEC_RegisterSharedMemory with a NULL shared memory");
	ASSERT_TEEC_RES(res, TEEC_ERROR_BAD_PARAMETERS);
	/* OP-TEE's libteec (and xtest 1000-series) refuse a NULL buffer whatever the size, and
	 * accept a non-NULL buffer of size 0. */
	shm.buffer = NULL;
	shm.size = 0;
	tt_stderr_begin();
	res = TEEC_RegisterSharedMemory(&ctx, &shm);
	said = tt_stderr_end();
	TEST_STEP("TEEC_RegisterSharedMemory with buffer NULL, size 0");
	ASSERT_TEEC_RES(res, TEEC_ERROR_BAD_PARAMETERS);
	TEST_STEP("libteec says why on stderr");
	ASSERT_STR_CONTAINS(said, "TEEC_RegisterSharedMemory: buffer is NULL");
	shm.size = 16;
	res = TEEC_RegisterSharedMemory(&ctx, &shm);
	TEST_STEP("TEEC_RegisterSharedMemory with buffer NULL, size 16");
	ASSERT_TEEC_RES(res, TEEC_ERROR_BAD_PARAMETERS);
	{
		char byte = 0;

		shm.buffer = &byte;
		shm.size = 0;
		res = TEEC_RegisterSharedMemory(&ctx, &shm);
		TEST_STEP("TEEC_RegisterSharedMemory with a buffer of size 0 (accepted)");
		ASSERT_TEEC_RES(res, TEEC_SUCCESS);
		TEEC_ReleaseSharedMemory(&shm);
	}
	shm.buffer = NULL;
	shm.size = 16;
	shm.flags = 0;
	res = TEEC_RegisterSharedMemory(&ctx, &shm);
	TEST_STEP("TEEC_RegisterSharedMemory with flags 0");
	ASSERT_TEEC_RES(res, TEEC_ERROR_BAD_PARAMETERS);
	shm.flags = TEEC_MEM_INPUT;
	TEEC_CloseSession(NULL);
	TEEC_ReleaseSharedMemory(NULL);
	TEEC_RequestCancellation(NULL);
	TEEC_FinalizeContext(NULL);
	printf("  ok   TEEC_CloseSession/ReleaseSharedMemory/RequestCancellation/"
	       "FinalizeContext(NULL) return quietly\n");

	tt_section("a UUID with no TA");
	res = TEEC_OpenSession(&ctx, &s, &nobody, TEEC_LOGIN_PUBLIC, NULL, NULL, &origin);
	TEST_STEP("TEEC_OpenSession(0badc0de-...)");
	ASSERT_TEEC_RES_ORIGIN(res, origin, TEEC_ERROR_ITEM_NOT_FOUND, TEEC_ORIGIN_TEE);
	TEST_STEP("tee.log: \"cannot open .../0badc0de-0000-4000-8000-000000000002.ta\"");
	ASSERT_TRUE(tt_log_wait("0badc0de-0000-4000-8000-000000000002", "cannot open", 1, 5000));

	tt_section("parameter types");
	tt_open_session(&ctx, &s, TA_ERRORS_UUID_STR);
	memset(&op, 0, sizeof(op));
	op.paramTypes = TEEC_PARAM_TYPES(TEEC_VALUE_INPUT, TEEC_NONE, TEEC_NONE, TEEC_NONE);
	res = TEEC_InvokeCommand(&s, TA_ERRORS_CMD_PING, &op, &origin);
	TEST_STEP("CMD_PING with VALUE_INPUT instead of VALUE_OUTPUT");
	ASSERT_TEEC_RES_ORIGIN(res, origin, TEEC_ERROR_BAD_PARAMETERS, TEEC_ORIGIN_TRUSTED_APP);
	memset(&op, 0, sizeof(op));
	op.paramTypes = TEEC_PARAM_TYPES(TEEC_NONE, TEEC_NONE, TEEC_NONE, 0x8);
	tt_stderr_begin();
	res = TEEC_InvokeCommand(&s, TA_ERRORS_CMD_PING, &op, &origin);
	said = tt_stderr_end();
	TEST_STEP("undefined parameter type 0x8 in slot 3");
	ASSERT_TEEC_RES_ORIGIN(res, origin, TEEC_ERROR_BAD_PARAMETERS, TEEC_ORIGIN_API);
	TEST_STEP("libteec says why on stderr");
	ASSERT_STR_CONTAINS(said, "TEEC_InvokeCommand: parameter 3: undefined type 0x8");
	memset(&op, 0, sizeof(op));
	op.paramTypes = TEEC_PARAM_TYPES(TEEC_MEMREF_TEMP_INPUT, TEEC_NONE, TEEC_NONE, TEEC_NONE);
	op.params[0].tmpref.buffer = NULL;
	op.params[0].tmpref.size = 64;
	res = TEEC_InvokeCommand(&s, TA_ERRORS_CMD_PING, &op, &origin);
	TEST_STEP("temporary memref with a NULL buffer but a size of 64");
	ASSERT_TEEC_RES(res, TEEC_ERROR_BAD_PARAMETERS);
	TEEC_CloseSession(&s);
	expect_good_ta(&ctx, "a fresh session after the refused calls");
	TEEC_FinalizeContext(&ctx);
}

static void misbehaving_tas(void)
{
	TEEC_Context ctx;
	TEEC_Session s;
	TEEC_Operation op;
	uint32_t origin = 0;
	TEEC_Result res;
	const uint32_t vin = TEEC_PARAM_TYPES(TEEC_VALUE_INPUT, TEEC_NONE, TEEC_NONE, TEEC_NONE);

	tt_init_context(&ctx);
	tt_section("a TA that exhausts its heap and handles it");
	tt_open_session(&ctx, &s, TA_ERRORS_UUID_STR);
	memset(&op, 0, sizeof(op));
	op.paramTypes = TEEC_PARAM_TYPES(TEEC_VALUE_OUTPUT, TEEC_NONE, TEEC_NONE, TEEC_NONE);
	res = TEEC_InvokeCommand(&s, TA_ERRORS_CMD_HEAP, &op, &origin);
	TEST_STEP("CMD_HEAP");
	ASSERT_TEEC_RES(res, TEEC_SUCCESS);
	TEST_STEP("TEE_Malloc(SIZE_MAX / 2) returned NULL");
	ASSERT_TRUE(op.params[0].value.b & 1);
	TEST_STEP("TEE_Malloc gave %u KiB before NULL: bounded by TA_DATA_SIZE (%u KiB)",
		  op.params[0].value.a, TA_ERRORS_DATA_SIZE / 1024);
	ASSERT_GE_INT(op.params[0].value.a, 8);
	ASSERT_LE_INT(op.params[0].value.a * 1024u, TA_ERRORS_DATA_SIZE);
	TEST_STEP("after freeing, TEE_Malloc works again");
	ASSERT_TRUE(op.params[0].value.b & 2);
	res = TEEC_InvokeCommand(&s, TA_ERRORS_CMD_HEAP, &op, &origin);
	TEST_STEP("CMD_HEAP again on the same instance");
	ASSERT_TEEC_RES(res, TEEC_SUCCESS);
	TEST_STEP("the instance recovered its whole heap");
	ASSERT_TRUE(op.params[0].value.b & 2);
	TEEC_CloseSession(&s);

	tt_section("a TA that panics when out of memory");
	expect_dies(&ctx, TA_ERRORS_CMD_OOM_PANIC, 0, "CMD_OOM_PANIC", "TA panicked");
	tt_section("a TA writing through a NULL pointer");
	/* SIGSEGV; in sanitizer builds ASan reports it and aborts */
	expect_dies(&ctx, TA_ERRORS_CMD_POKE, vin, "CMD_POKE(NULL)", "crashed (signal");
	tt_section("a TA calling abort()");
	expect_dies(&ctx, TA_ERRORS_CMD_ABORT, 0, "CMD_ABORT", "crashed (signal 6)");
	TEEC_FinalizeContext(&ctx);
}

/* ---- bad images ---- */

static char scratch[4096];

static void path_of(char *buf, size_t len, const char *uuid)
{
	int n = snprintf(buf, len, "%s/%s.ta", scratch, uuid);

	TEST_STEP("path for %s fits", uuid);
	ASSERT_GT_INT(n, 0);
	ASSERT_LT_INT((size_t)n, len);
}

static void *read_file(const char *path, size_t *len)
{
	struct stat st;
	int fd = open(path, O_RDONLY);
	uint8_t *buf = NULL;

	ASSERT_GE_INT(fd, 0);
	ASSERT_EQ_INT(fstat(fd, &st), 0);
	TEST_STEP("read %s", path);
	buf = malloc((size_t)st.st_size + 1);
	ASSERT_NOT_NULL(buf);
	ASSERT_EQ_INT(read(fd, buf, (size_t)st.st_size), st.st_size);
	TEST_STEP("read %s (%lld bytes)", path, (long long)st.st_size);
	close(fd);
	*len = (size_t)st.st_size;
	return buf;
}

static void write_file(const char *path, const void *buf, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);

	ASSERT_GE_INT(fd, 0);
	ASSERT_EQ_INT(write(fd, buf, len), (ssize_t)len);
	ASSERT_EQ_INT(close(fd), 0);
	TEST_STEP("wrote %zu bytes to %s", len, path);
}

static void copy_ta_dir(const char *from)
{
	DIR *d = opendir(from);
	struct dirent *e = NULL;
	char src[8192], dst[8192];
	size_t len = 0;
	unsigned n = 0;

	TEST_STEP("open TA directory %s", from);
	ASSERT_NOT_NULL(d);
	while ((e = readdir(d)) != NULL) {
		size_t l = strlen(e->d_name);
		if (l < 4 || strcmp(e->d_name + l - 3, ".ta") != 0) {
			continue;
		}
		snprintf(src, sizeof(src), "%s/%s", from, e->d_name);
		snprintf(dst, sizeof(dst), "%s/%s", scratch, e->d_name);
		void *buf = read_file(src, &len);
		write_file(dst, buf, len);
		free(buf);
		n++;
	}
	closedir(d);
	TEST_STEP("copied %u TAs into the scratch TA directory", n);
	ASSERT_GT_INT(n, 0);
}

static void expect_refused(TEEC_Context *ctx, const char *uuid, const char *what)
{
	TEEC_Session s;
	TEEC_UUID u = tt_uuid(uuid);
	uint32_t origin = 0;
	const unsigned refused_before[2] = { tt_log_count(uuid, "rejecting"),
					     tt_log_count(uuid, "not a .ta image") };
	TEEC_Result res = TEEC_OpenSession(ctx, &s, &u, TEEC_LOGIN_PUBLIC, NULL, NULL, &origin);

	if (res == TEEC_SUCCESS) {
		TEEC_CloseSession(&s);
	}
	TEST_STEP("%s: refused with %s, origin %s (want BAD_FORMAT or SECURITY, origin TEE)", what,
		  tt_result_name(res), tt_origin_name(origin));
	ASSERT_TRUE(res == TEEC_ERROR_BAD_FORMAT || res == TEEC_ERROR_SECURITY);
	ASSERT_EQ_INT(origin, TEEC_ORIGIN_TEE);
	/* "rejecting <path>: <reason>", or "<path>: not a .ta image" for files too small */
	{
		ASSERT_TRUE(tt_log_wait(uuid, "rejecting", refused_before[0] + 1, 100) ||
			    tt_log_wait(uuid, "not a .ta image", refused_before[1] + 1, 5000));
		TEST_STEP("tee.log says why %s.ta was refused", uuid);
	}
	expect_good_ta(ctx, "a good TA still works");
}

static void bad_images(const char *elf_path)
{
	const char *tmp = getenv("TZM_TEST_TMPDIR");
	const char *ta_dir = getenv("TZM_TA_DIR");
	char path[8192];
	TEEC_Context ctx;
	uint8_t *img = NULL, *elf = NULL;
	uint8_t junk[4096];
	size_t len = 0, elf_len = 0;

	TEST_STEP("TZM_TEST_TMPDIR and TZM_TA_DIR are set (run through CTest)");
	ASSERT_NOT_NULL(tmp);
	ASSERT_NOT_NULL(ta_dir);
	snprintf(scratch, sizeof(scratch), "%s/ta", tmp);
	ASSERT_TRUE(mkdir(scratch, 0700) == 0 || errno == EEXIST);
	TEST_STEP("scratch TA dir %s", scratch);
	copy_ta_dir(ta_dir);
	/* Before anything starts the TEE, so that tzm-teed inherits it. */
	{
		ASSERT_EQ_INT(setenv("TZM_TA_DIR", scratch, 1), 0);
		TEST_STEP("TZM_TA_DIR=%s", scratch);
	}

	tt_init_context(&ctx);
	expect_good_ta(&ctx, "the scratch TA directory serves good TAs");

	tt_section("corrupt images");
	path_of(path, sizeof(path), TA_VICTIM1_UUID_STR);
	img = read_file(path, &len);
	TEST_STEP("victim image has a header and an ELF (%zu bytes)", len);
	ASSERT_GT_INT(len, HDR_SIZE + 64);
	img[HDR_SIZE + (len - HDR_SIZE) / 2] ^= 0x01;
	write_file(path, img, len);
	expect_refused(&ctx, TA_VICTIM1_UUID_STR, "one bit flipped in the middle of the ELF");
	free(img);

	path_of(path, sizeof(path), TA_VICTIM2_UUID_STR);
	img = read_file(path, &len);
	img[0] ^= 0x20;
	write_file(path, img, len);
	expect_refused(&ctx, TA_VICTIM2_UUID_STR, "one bit flipped in the header magic");
	free(img);

	path_of(path, sizeof(path), TA_VICTIM3_UUID_STR);
	img = read_file(path, &len);
	write_file(path, img, HDR_SIZE + (len - HDR_SIZE) / 2);
	expect_refused(&ctx, TA_VICTIM3_UUID_STR, "image truncated to half its ELF");
	write_file(path, img, HDR_SIZE);
	expect_refused(&ctx, TA_VICTIM3_UUID_STR, "header only");
	free(img);

	tt_section("foreign files");
	path_of(path, sizeof(path), TA_ERRORS_UUID_STR);
	img = read_file(path, &len);
	path_of(path, sizeof(path), "0badc0de-0000-4000-8000-000000000010");
	write_file(path, img, len);
	expect_refused(&ctx, "0badc0de-0000-4000-8000-000000000010",
		       "a valid TA renamed to another UUID");
	free(img);

	for (size_t i = 0; i < sizeof(junk); i++) {
		junk[i] = (uint8_t)(i * 131 + 7 + (i >> 5));
	}
	path_of(path, sizeof(path), "0badc0de-0000-4000-8000-000000000011");
	write_file(path, junk, sizeof(junk));
	expect_refused(&ctx, "0badc0de-0000-4000-8000-000000000011", "4 KiB of noise");

	elf = read_file(elf_path, &elf_len);
	path_of(path, sizeof(path), "0badc0de-0000-4000-8000-000000000012");
	write_file(path, elf, elf_len);
	expect_refused(&ctx, "0badc0de-0000-4000-8000-000000000012",
		       "a bare ELF shared object without the .ta header");
	free(elf);

	path_of(path, sizeof(path), "0badc0de-0000-4000-8000-000000000013");
	write_file(path, "", 0);
	expect_refused(&ctx, "0badc0de-0000-4000-8000-000000000013", "an empty file");

	TEEC_FinalizeContext(&ctx);
}

int main(int argc, char **argv)
{
	if (argc == 3 && strcmp(argv[1], "images") == 0) {
		bad_images(argv[2]);
		printf("tee_bad_images: all checks passed\n");
		return 0;
	}
	api_misuse();
	misbehaving_tas();
	printf("tee_errors: all checks passed\n");
	return 0;
}
