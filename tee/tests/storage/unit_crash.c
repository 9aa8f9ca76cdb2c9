/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Crash safety: a child process performs an update and is killed (SIGKILL, through the
 * TZM_STORAGE_TEST_CRASH seam in storage_file.c) after the new file is written and synced
 * but before it is committed, or, for rename, just after the commit point. After a
 * "restart" (storage re-initialisation) the object must be wholly old or wholly new, and
 * no temp or journal file may remain. Also checks the device key's creation rules.
 */
#include <dirent.h>
#include <signal.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <tee_api_defines.h>
#include <unistd.h>

#include "sut.h"

#define ALL                                                                                \
	(TEE_DATA_FLAG_ACCESS_READ | TEE_DATA_FLAG_ACCESS_WRITE |                          \
	 TEE_DATA_FLAG_ACCESS_WRITE_META)
#define TAG 20u

static const char *g_state;

enum op { OP_WRITE, OP_TRUNCATE, OP_OVERWRITE, OP_RENAME };

static void run_killed(enum op op, const char *point)
{
	int status = 0;
	pid_t pid = fork();

	CHECK(pid >= 0);
	if (pid == 0) {
		struct core_ta_identity ta = sut_ta(TAG, 9999);
		uint32_t h = 0;

		setenv("TZM_STORAGE_TEST_CRASH", point, 1);
		if (op == OP_OVERWRITE) {
			sut_create(&ta, "obj", ALL | TEE_DATA_FLAG_OVERWRITE, "NEWNEWNEW", 9, &h);
			_exit(3);
		}
		if (sut_open(&ta, "obj", ALL, &h) != TEE_SUCCESS) {
			_exit(2);
		}
		if (op == OP_WRITE) {
			sut_write(&ta, h, "NEW", 3);
		} else if (op == OP_TRUNCATE) {
			sut_truncate(&ta, h, 1);
		} else {
			sut_rename(&ta, h, "moved");
		}
		_exit(3); /* not reached if the crash point fired */
	}
	CHECK(waitpid(pid, &status, 0) == pid);
	CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
}

/* Counts files in the TA directory whose name ends with suffix. */
static unsigned int count_suffix(const char *suffix)
{
	char path[512];
	char *slash = NULL;
	unsigned int n = 0;
	struct dirent *de = NULL;
	DIR *d = NULL;

	sut_obj_path(TAG, "x", path, sizeof(path));
	slash = strrchr(path, '/');
	*slash = '\0';
	d = opendir(path);
	CHECK(d != NULL);
	while ((de = readdir(d)) != NULL) {
		size_t l = strlen(de->d_name);
		size_t s = strlen(suffix);

		n += l >= s && strcmp(de->d_name + l - s, suffix) == 0;
	}
	closedir(d);
	return n;
}

static void expect_content(const char *id, const char *data, size_t len)
{
	struct core_ta_identity ta = sut_ta(TAG, 1);
	uint8_t got[64];
	uint32_t h = 0;
	uint32_t n = 0;

	CHECK_RES(sut_open(&ta, id, TEE_DATA_FLAG_ACCESS_READ, &h), TEE_SUCCESS);
	CHECK_RES(sut_read(&ta, h, got, sizeof(got), &n), TEE_SUCCESS);
	CHECK(n == len && memcmp(got, data, len) == 0);
	CHECK_RES(sut_close(&ta, h), TEE_SUCCESS);
}

static void reset_object(void)
{
	struct core_ta_identity ta = sut_ta(TAG, 1);
	uint32_t h = 0;

	CHECK_RES(sut_create(&ta, "obj", ALL | TEE_DATA_FLAG_OVERWRITE, "old-data", 8, &h),
		  TEE_SUCCESS);
	CHECK_RES(sut_close(&ta, h), TEE_SUCCESS);
}

static void test_killed_before_commit(void)
{
	const enum op ops[] = {OP_WRITE, OP_TRUNCATE, OP_OVERWRITE, OP_RENAME};

	for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
		struct core_ta_identity ta = sut_ta(TAG, 1);
		uint32_t h = 0;

		reset_object();
		run_killed(ops[i], "before_rename");
		CHECK(count_suffix(".tmp") == 1); /* the new version was written... */
		sut_restart();
		CHECK(count_suffix(".tmp") == 0); /* ...and is cleaned up at start-up */
		CHECK(count_suffix(".jnl") == 0);
		expect_content("obj", "old-data", 8);
		CHECK_RES(sut_open(&ta, "moved", TEE_DATA_FLAG_ACCESS_READ, &h),
			  TEE_ERROR_ITEM_NOT_FOUND);
	}
}

static void test_rename_killed_after_commit(void)
{
	struct core_ta_identity ta = sut_ta(TAG, 1);
	uint32_t h = 0;

	reset_object();
	run_killed(OP_RENAME, "rename_linked");
	CHECK(count_suffix(".jnl") == 1);
	sut_restart();
	CHECK(count_suffix(".jnl") == 0 && count_suffix(".tmp") == 0);
	CHECK_RES(sut_open(&ta, "obj", TEE_DATA_FLAG_ACCESS_READ, &h), TEE_ERROR_ITEM_NOT_FOUND);
	expect_content("moved", "old-data", 8);
	CHECK_RES(sut_open(&ta, "moved", ALL, &h), TEE_SUCCESS);
	CHECK_RES(sut_delete(&ta, h), TEE_SUCCESS);
}

/* A full disk (here: a file size limit) is STORAGE_NO_SPACE and changes nothing. */
static void test_no_space(void)
{
	int status = 0;
	pid_t pid = 0;

	reset_object();
	pid = fork();
	CHECK(pid >= 0);
	if (pid == 0) {
		struct core_ta_identity ta = sut_ta(TAG, 9998);
		struct rlimit rl = {.rlim_cur = 1000, .rlim_max = 1000};
		static uint8_t big[4000];
		uint32_t h = 0;

		signal(SIGXFSZ, SIG_IGN); /* get EFBIG from write() instead of a signal */
		CHECK(setrlimit(RLIMIT_FSIZE, &rl) == 0);
		CHECK_RES(sut_open(&ta, "obj", ALL, &h), TEE_SUCCESS);
		CHECK_RES(sut_write(&ta, h, big, sizeof(big)), TEE_ERROR_STORAGE_NO_SPACE);
		CHECK_RES(sut_create(&ta, "huge", ALL, big, sizeof(big), &h),
			  TEE_ERROR_STORAGE_NO_SPACE);
		_exit(0);
	}
	CHECK(waitpid(pid, &status, 0) == pid);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	CHECK(count_suffix(".tmp") == 0); /* failed writes clean up after themselves */
	expect_content("obj", "old-data", 8);
}

static void test_device_key(void)
{
	char path[512];
	struct stat st;

	reset_object();
	snprintf(path, sizeof(path), "%s/device.key", g_state);
	CHECK(stat(path, &st) == 0);
	CHECK(st.st_size == 32 && (st.st_mode & 0777) == 0600);
	/* A key readable by others is refused rather than used. */
	CHECK(chmod(path, 0644) == 0);
	CHECK(core__storage_init(g_state) < 0);
	{
		/* A core whose storage failed to start answers, rather than guessing. */
		struct core_ta_identity ta = sut_ta(TAG, 1);
		uint32_t h = 0;

		CHECK_RES(sut_open(&ta, "obj", TEE_DATA_FLAG_ACCESS_READ, &h),
			  TEE_ERROR_STORAGE_NOT_AVAILABLE);
		CHECK_RES(sut_create(&ta, "new", ALL, "x", 1, &h), TEE_ERROR_STORAGE_NOT_AVAILABLE);
	}
	CHECK(chmod(path, 0600) == 0);
	sut_restart();
	expect_content("obj", "old-data", 8); /* same key after a restart */
	/* A different device key makes existing objects unreadable, not wrong. */
	uint8_t *key = NULL;
	size_t len = 0;
	struct core_ta_identity ta = sut_ta(TAG, 1);
	uint32_t h = 0;

	key = sut_read_file(path, &len);
	key[0] ^= 0xff;
	sut_write_file(path, key, len);
	sut_restart();
	CHECK_RES(sut_open(&ta, "obj", TEE_DATA_FLAG_ACCESS_READ, &h), TEE_ERROR_CORRUPT_OBJECT);
	key[0] ^= 0xff;
	sut_write_file(path, key, len);
	sut_restart();
	expect_content("obj", "old-data", 8);
	free(key);
}

int main(void)
{
	g_state = sut_setup();
	test_killed_before_commit();
	test_rename_killed_after_commit();
	test_no_space();
	test_device_key();
	core__storage_instance_gone(1);
	printf("tee_storage_crash: all checks passed\n");
	return 0;
}
