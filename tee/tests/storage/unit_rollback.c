/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Rollback detection (anchored in the emulated RPMB, rpmb.img): an older authentic copy
 * of an object file or of a whole TA directory, an object file or a TA directory removed
 * behind the TEE's back, and a replayed or forged rpmb.img are TEE_ERROR_CORRUPT_OBJECT
 * (or refuse the storage at start-up), never old data or ITEM_NOT_FOUND. Also: a TA can
 * replace a corrupt object (create with OVERWRITE); restoring the whole state directory
 * (rpmb.img included) while the core is stopped is the emulation's limit and is accepted;
 * storage written before rollback protection is migrated at start-up.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <string.h>
#include <sys/stat.h>
#include <tee_api_defines.h>
#include <unistd.h>

#include <tzm_test_snap.h>

#include "sut.h"

#define ALL                                                                                        \
	(TEE_DATA_FLAG_ACCESS_READ | TEE_DATA_FLAG_ACCESS_WRITE | TEE_DATA_FLAG_ACCESS_WRITE_META)
#define RD TEE_DATA_FLAG_ACCESS_READ

static const char *g_state;

static TEE_Result try_open(const struct core_ta_identity *ta, const char *id)
{
	uint32_t h = 0;
	TEE_Result res = sut_open(ta, id, RD, &h);

	if (res == TEE_SUCCESS) {
		sut_close(ta, h);
	}
	return res;
}

static TEE_Result enum_start(const struct core_ta_identity *ta)
{
	struct tsm_hdr alloc = { .version = TSM_VERSION };
	struct tsm_obj_rsp o = { 0 };
	TEE_Result res = TEE_SUCCESS;

	ASSERT_TEE_RES(sut_call(ta, TSM_CMD_ENUM_ALLOC, &alloc, sizeof(alloc), &o, sizeof(o), NULL),
		       TEE_SUCCESS);
	struct tsm_enum_start_req st = { .hdr = { .version = TSM_VERSION, .handle = o.handle },
					 .storage_id = TEE_STORAGE_PRIVATE };
	struct tsm_hdr fr = { .version = TSM_VERSION, .handle = o.handle };

	res = sut_call(ta, TSM_CMD_ENUM_START, &st, sizeof(st), NULL, 0, NULL);
	ASSERT_TEE_RES(sut_call(ta, TSM_CMD_ENUM_FREE, &fr, sizeof(fr), NULL, 0, NULL),
		       TEE_SUCCESS);
	return res;
}

static void rpmb_path(char *out, size_t cap)
{
	snprintf(out, cap, "%s/rpmb.img", g_state);
}

/* A whole TA directory restored from a backup: every object of the TA is refused, also
 * after a restart, until the current directory is back. */
static void test_dir_rollback(void)
{
	struct core_ta_identity ta = sut_ta(30, 3000);
	struct tzm_test_snap old_dir, cur_dir;
	char dir[PATH_MAX];

	sut_put(&ta, "a", "a-one");
	sut_put(&ta, "b", "b-one");
	sut_ta_dir(30, dir, sizeof(dir));
	tzm_test_snap_take(dir, &old_dir);
	sut_put(&ta, "a", "a-two");
	tzm_test_snap_take(dir, &cur_dir);

	tzm_test_snap_restore(dir, &old_dir);
	ASSERT_TEE_RES(try_open(&ta, "a"), TEE_ERROR_CORRUPT_OBJECT);
	ASSERT_TEE_RES(try_open(&ta, "b"), TEE_ERROR_CORRUPT_OBJECT); /* unchanged, same dir */
	ASSERT_TEE_RES(enum_start(&ta), TEE_ERROR_CORRUPT_OBJECT);
	{
		uint32_t h = 0;

		/* No update on top of a rolled-back directory either. */
		ASSERT_TEE_RES(sut_create(&ta, "c", ALL, "x", 1, &h), TEE_ERROR_CORRUPT_OBJECT);
	}
	sut_restart(); /* start-up leaves the evidence alone and still refuses */
	ASSERT_TEE_RES(try_open(&ta, "a"), TEE_ERROR_CORRUPT_OBJECT);

	tzm_test_snap_restore(dir, &cur_dir);
	sut_expect(&ta, "a", "a-two");
	sut_expect(&ta, "b", "b-one");
	tzm_test_snap_free(&old_dir);
	tzm_test_snap_free(&cur_dir);
}

/* An older authentic copy of one object file, under its current name or its old one. */
static void test_object_rollback(void)
{
	struct core_ta_identity ta = sut_ta(31, 3100);
	char old_path[PATH_MAX];
	char cur_path[PATH_MAX];
	uint8_t *old = NULL;
	uint8_t *cur = NULL;
	size_t old_len = 0;
	size_t cur_len = 0;

	sut_put(&ta, "obj", "version-1");
	sut_obj_path(31, "obj", old_path, sizeof(old_path));
	old = sut_read_file(old_path, &old_len);
	sut_put(&ta, "obj", "version-2");
	sut_obj_path(31, "obj", cur_path, sizeof(cur_path));
	cur = sut_read_file(cur_path, &cur_len);

	sut_write_file(cur_path, old, old_len);
	ASSERT_TEE_RES(try_open(&ta, "obj"), TEE_ERROR_CORRUPT_OBJECT);
	sut_write_file(cur_path, cur, cur_len);
	sut_expect(&ta, "obj", "version-2");

	/* Put back under its old name, the old version is just an unreferenced file. */
	if (strcmp(old_path, cur_path) != 0) {
		int fd = open(old_path, O_WRONLY | O_CREAT | O_EXCL, 0600);

		ASSERT_GE_INT(fd, 0);
		ASSERT_EQ_INT(write(fd, old, old_len), (ssize_t)old_len);
		close(fd);
		sut_expect(&ta, "obj", "version-2");
		sut_restart(); /* and start-up removes it */
		ASSERT_NE_INT(access(old_path, F_OK), 0);
		sut_expect(&ta, "obj", "version-2");
	}
	free(old);
	free(cur);
}

/* Removing an object's file, or the TA's directory, is tampering, not "no such object". */
static void test_removed(void)
{
	struct core_ta_identity ta = sut_ta(32, 3200);
	char path[PATH_MAX];
	char dir[PATH_MAX];
	struct tzm_test_snap keep;

	sut_put(&ta, "gone", "data");
	sut_put(&ta, "stays", "other");
	sut_obj_path(32, "gone", path, sizeof(path));
	ASSERT_EQ_INT(unlink(path), 0);
	ASSERT_TEE_RES(try_open(&ta, "gone"), TEE_ERROR_CORRUPT_OBJECT);
	sut_restart();
	ASSERT_TEE_RES(try_open(&ta, "gone"), TEE_ERROR_CORRUPT_OBJECT);
	sut_expect(&ta, "stays", "other");
	/* The TA can start over with OVERWRITE (GP: replaces whatever is there). */
	sut_put(&ta, "gone", "again");
	sut_expect(&ta, "gone", "again");

	sut_ta_dir(32, dir, sizeof(dir));
	tzm_test_snap_take(dir, &keep);
	tzm_test_snap_restore(dir, &(struct tzm_test_snap){ 0 });
	ASSERT_EQ_INT(rmdir(dir), 0);
	ASSERT_TEE_RES(try_open(&ta, "stays"), TEE_ERROR_CORRUPT_OBJECT);
	ASSERT_TEE_RES(enum_start(&ta), TEE_ERROR_CORRUPT_OBJECT);
	{
		uint32_t h = 0;

		ASSERT_TEE_RES(sut_create(&ta, "new", ALL, "x", 1, &h), TEE_ERROR_CORRUPT_OBJECT);
	}
	tzm_test_snap_restore(dir, &keep);
	sut_expect(&ta, "stays", "other");

	/* The directory files alone (the RPMB names a generation whose file is gone). */
	for (int slot = 0; slot < 2; slot++) {
		char dir_file[PATH_MAX + 16];

		snprintf(dir_file, sizeof(dir_file), "%s/dir.%d.tzd", dir, slot);
		ASSERT_TRUE(unlink(dir_file) == 0 || errno == ENOENT);
	}
	ASSERT_TEE_RES(try_open(&ta, "stays"), TEE_ERROR_CORRUPT_OBJECT);
	ASSERT_TEE_RES(enum_start(&ta), TEE_ERROR_CORRUPT_OBJECT);
	tzm_test_snap_restore(dir, &keep);
	sut_expect(&ta, "stays", "other");
	tzm_test_snap_free(&keep);
}

/* rpmb.img replayed while the core runs, forged, or deleted while stopped. */
static void test_rpmb(void)
{
	struct core_ta_identity ta = sut_ta(33, 3300);
	char path[PATH_MAX];
	uint8_t *old = NULL;
	uint8_t *cur = NULL;
	size_t old_len = 0;
	size_t cur_len = 0;

	sut_put(&ta, "r", "one");
	rpmb_path(path, sizeof(path));
	old = sut_read_file(path, &old_len);
	sut_put(&ta, "r", "two");
	cur = sut_read_file(path, &cur_len);

	/* Its write counter went back: replay, even with a matching directory around. */
	sut_write_file(path, old, old_len);
	ASSERT_TEE_RES(try_open(&ta, "r"), TEE_ERROR_CORRUPT_OBJECT);
	sut_write_file(path, cur, cur_len);
	sut_expect(&ta, "r", "two");

	/* Any flipped byte: not authentic; at start-up the storage refuses to run. */
	for (size_t i = 0; i < cur_len; i += 7) {
		cur[i] ^= 0x20;
		sut_write_file(path, cur, cur_len);
		ASSERT_TEE_RES(try_open(&ta, "r"), TEE_ERROR_CORRUPT_OBJECT);
		cur[i] ^= 0x20;
	}
	cur[cur_len - 1] ^= 1;
	sut_write_file(path, cur, cur_len);
	ASSERT_LT_INT(core__storage_init(g_sut, g_state), 0);
	ASSERT_TEE_RES(try_open(&ta, "r"), TEE_ERROR_STORAGE_NOT_AVAILABLE);
	cur[cur_len - 1] ^= 1;
	sut_write_file(path, cur, cur_len);
	sut_restart();
	sut_expect(&ta, "r", "two");

	/* Deleted: TA directories with a committed generation exist, so that is not a first
	 * start; the storage refuses to run rather than accepting any directory. */
	ASSERT_EQ_INT(unlink(path), 0);
	ASSERT_LT_INT(core__storage_init(g_sut, g_state), 0);
	ASSERT_NE_INT(access(path, F_OK), 0); /* and did not make a fresh, empty anchor */
	sut_write_file_new(path, cur, cur_len);
	sut_restart();
	sut_expect(&ta, "r", "two");
	free(old);
	free(cur);
}

/* The limit of the emulation: the core keeps no memory across restarts, so restoring the
 * whole state directory (rpmb.img and the TA directory together) while it is stopped
 * rolls the storage back. Documented in STORAGE.md and SECURITY.md. */
static void test_whole_state_restore_is_the_limit(void)
{
	struct core_ta_identity ta = sut_ta(34, 3400);
	char rpmb[PATH_MAX];
	char dir[PATH_MAX];
	struct tzm_test_snap old_dir;
	uint8_t *old = NULL;
	size_t old_len = 0;

	sut_put(&ta, "w", "old");
	rpmb_path(rpmb, sizeof(rpmb));
	sut_ta_dir(34, dir, sizeof(dir));
	tzm_test_snap_take(dir, &old_dir);
	old = sut_read_file(rpmb, &old_len);
	sut_put(&ta, "w", "new");
	sut_stop();
	sut_write_file(rpmb, old, old_len);
	tzm_test_snap_restore(dir, &old_dir);
	sut_restart();
	sut_expect(&ta, "w", "old");
	tzm_test_snap_free(&old_dir);
	free(old);
}

/* Storage written before rollback protection: <hex(id)>.obj files, no directory file, no
 * RPMB record. Start-up migrates the authentic objects and drops a forged one. */
static void test_migration(void)
{
	struct core_ta_identity ta = sut_ta(35, 3500);
	const char *ids[] = { "m1", "m2", "" };
	char dir[512];
	char path[PATH_MAX];
	char v1[PATH_MAX];
	struct tzm_test_snap s;

	g_state = sut_setup(); /* a state directory of its own: rpmb.img goes away */
	sut_put(&ta, "m1", "first");
	sut_put(&ta, "m2", "second");
	sut_put(&ta, "", "empty id");
	sut_ta_dir(35, dir, sizeof(dir));
	for (size_t i = 0; i < 3; i++) {
		size_t n = (size_t)snprintf(v1, sizeof(v1), "%s/", dir);

		for (const char *p = ids[i]; *p; p++) {
			n += (size_t)snprintf(v1 + n, sizeof(v1) - n, "%02x", (unsigned char)*p);
		}
		snprintf(v1 + n, sizeof(v1) - n, ".obj");
		sut_obj_path(35, ids[i], path, sizeof(path));
		ASSERT_EQ_INT(rename(path, v1), 0);
	}
	sut_stop();
	snprintf(path, sizeof(path), "%s/dir.1.tzd", dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/dir.0.tzd", dir);
	unlink(path);
	rpmb_path(path, sizeof(path));
	ASSERT_EQ_INT(unlink(path), 0);
	/* A forged v1 object is not taken over. */
	snprintf(path, sizeof(path), "%s/666f726765.obj", dir);
	sut_write_file_new(path, (const uint8_t *)"not an object", 13);

	sut_restart();
	sut_expect(&ta, "m1", "first");
	sut_expect(&ta, "m2", "second");
	sut_expect(&ta, "", "empty id");
	ASSERT_TEE_RES(try_open(&ta, "forge"), TEE_ERROR_ITEM_NOT_FOUND);
	tzm_test_snap_take(dir, &s);
	for (size_t i = 0; i < s.count; i++) {
		size_t l = strlen(s.name[i]);

		ASSERT_TRUE(l < 4 || strcmp(s.name[i] + l - 4, ".obj") != 0); /* v1 files gone */
	}
	tzm_test_snap_free(&s);
	/* ...and from now on it is protected like any other. */
	sut_obj_path(35, "m1", path, sizeof(path));
	ASSERT_EQ_INT(unlink(path), 0);
	ASSERT_TEE_RES(try_open(&ta, "m1"), TEE_ERROR_CORRUPT_OBJECT);
}

int main(void)
{
	g_state = sut_setup();
	test_dir_rollback();
	test_object_rollback();
	test_removed();
	test_rpmb();
	test_whole_state_restore_is_the_limit();
	test_migration();
	core__storage_instance_gone(g_sut, 1);
	printf("tee_storage_rollback: all checks passed\n");
	return 0;
}
