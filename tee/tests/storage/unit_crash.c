/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Crash safety (a core killed mid-update, as by a power cut): a child process performs an
 * update and is killed (SIGKILL) either through the TZM_STORAGE_TEST_CRASH seam in
 * storage_dir.c, just before or just after the commit point (the RPMB write), or at
 * random moments while it runs a stream of updates. After a "restart" (storage
 * re-initialisation) every object must be wholly old or wholly new, never reported as
 * corrupt or rolled back, and nothing but the committed files may remain. Also checks
 * the device key's creation rules.
 */
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <tee_api_defines.h>
#include <time.h>
#include <unistd.h>

#include "sut.h"

#define ALL                                                                                        \
	(TEE_DATA_FLAG_ACCESS_READ | TEE_DATA_FLAG_ACCESS_WRITE | TEE_DATA_FLAG_ACCESS_WRITE_META)
#define TAG 20u
#define RANDOM_TAG 21u

static const char *g_state;

enum op {
	OP_WRITE,
	OP_TRUNCATE,
	OP_OVERWRITE,
	OP_RENAME,
	OP_DELETE,
	OP_CREATE
};

static void run_killed(enum op op, const char *point)
{
	int status = 0;
	pid_t pid = fork();

	ASSERT_GE_INT(pid, 0);
	if (pid == 0) {
		struct core_ta_identity ta = sut_ta(TAG, 9999);
		uint32_t h = 0;

		setenv("TZM_STORAGE_TEST_CRASH", point, 1);
		if (op == OP_OVERWRITE || op == OP_CREATE) {
			sut_create(&ta, op == OP_CREATE ? "fresh" : "obj",
				   ALL | TEE_DATA_FLAG_OVERWRITE, "NEWNEWNEW", 9, &h);
			_exit(3);
		}
		if (sut_open(&ta, "obj", ALL, &h) != TEE_SUCCESS) {
			_exit(2);
		}
		if (op == OP_WRITE) {
			sut_write(&ta, h, "NEW", 3);
		} else if (op == OP_TRUNCATE) {
			sut_truncate(&ta, h, 1);
		} else if (op == OP_RENAME) {
			sut_rename(&ta, h, "moved");
		} else {
			sut_delete(&ta, h);
		}
		_exit(3); /* not reached if the crash point fired */
	}
	ASSERT_EQ_INT(waitpid(pid, &status, 0), pid);
	ASSERT_TRUE(WIFSIGNALED(status));
	ASSERT_EQ_INT(WTERMSIG(status), SIGKILL);
}

/* Counts files in the TA directory whose name ends with suffix. */
static unsigned int count_suffix(uint32_t tag, const char *suffix)
{
	char path[512];
	unsigned int n = 0;
	struct dirent *de = NULL;
	DIR *d = NULL;

	sut_ta_dir(tag, path, sizeof(path));
	d = opendir(path);
	if (!d && errno == ENOENT) {
		return 0; /* killed before its first update made the TA directory */
	}
	ASSERT_NOT_NULL(d);
	while ((de = readdir(d)) != NULL) {
		size_t l = strlen(de->d_name);
		size_t s = strlen(suffix);

		n += l >= s && strcmp(de->d_name + l - s, suffix) == 0;
	}
	closedir(d);
	return n;
}

/* Temp files left in the state directory (interrupted rpmb.img replacements). */
static unsigned int count_state_tmp(void)
{
	unsigned int n = 0;
	struct dirent *de = NULL;
	DIR *d = opendir(g_state);

	ASSERT_NOT_NULL(d);
	while ((de = readdir(d)) != NULL) {
		size_t l = strlen(de->d_name);

		n += l > 4 && strcmp(de->d_name + l - 4, ".tmp") == 0;
	}
	closedir(d);
	return n;
}

static void expect_content(const char *id, const char *data)
{
	struct core_ta_identity ta = sut_ta(TAG, 1);

	sut_expect(&ta, id, data);
}

static void expect_absent(const char *id)
{
	struct core_ta_identity ta = sut_ta(TAG, 1);
	uint32_t h = 0;

	ASSERT_TEE_RES(sut_open(&ta, id, TEE_DATA_FLAG_ACCESS_READ, &h), TEE_ERROR_ITEM_NOT_FOUND);
}

static void reset_object(void)
{
	struct core_ta_identity ta = sut_ta(TAG, 1);
	uint32_t h = 0;

	ASSERT_TEE_RES(sut_create(&ta, "obj", ALL | TEE_DATA_FLAG_OVERWRITE, "old-data", 8, &h),
		       TEE_SUCCESS);
	ASSERT_TEE_RES(sut_close(&ta, h), TEE_SUCCESS);
	if (sut_open(&ta, "fresh", ALL, &h) == TEE_SUCCESS) {
		ASSERT_TEE_RES(sut_delete(&ta, h), TEE_SUCCESS);
	}
	if (sut_open(&ta, "moved", ALL, &h) == TEE_SUCCESS) {
		ASSERT_TEE_RES(sut_delete(&ta, h), TEE_SUCCESS);
	}
	ASSERT_EQ_INT(count_suffix(TAG, ".tzo"), 1);
}

static void test_killed_before_commit(void)
{
	const enum op ops[] = {
		OP_WRITE, OP_TRUNCATE, OP_OVERWRITE, OP_RENAME, OP_DELETE, OP_CREATE
	};

	for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
		reset_object();
		run_killed(ops[i], "before_commit");
		/* the new version was written (delete writes only a directory)... */
		ASSERT_EQ_INT(count_suffix(TAG, ".tzo"), (ops[i] == OP_DELETE ? 1u : 2u));
		sut_restart();
		/* ...and is removed at start-up; the old generation stands. */
		ASSERT_EQ_INT(count_suffix(TAG, ".tmp"), 0);
		ASSERT_EQ_INT(count_suffix(TAG, ".tzo"), 1);
		expect_content("obj", "old-data");
		expect_absent("moved");
		expect_absent("fresh");
	}
}

static void test_killed_after_commit(void)
{
	const enum op ops[] = {
		OP_WRITE, OP_TRUNCATE, OP_OVERWRITE, OP_RENAME, OP_DELETE, OP_CREATE
	};

	for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
		reset_object();
		run_killed(ops[i], "after_commit");
		sut_restart();
		ASSERT_EQ_INT(count_suffix(TAG, ".tmp"), 0);
		switch (ops[i]) {
		case OP_WRITE:
			expect_content("obj", "NEW-data");
			break;
		case OP_TRUNCATE:
			expect_content("obj", "o");
			break;
		case OP_OVERWRITE:
			expect_content("obj", "NEWNEWNEW");
			break;
		case OP_RENAME:
			expect_absent("obj");
			expect_content("moved", "old-data");
			break;
		case OP_DELETE:
			expect_absent("obj");
			break;
		case OP_CREATE:
			expect_content("obj", "old-data");
			expect_content("fresh", "NEWNEWNEW");
			break;
		}
		/* the superseded file is gone too: one file per object */
		ASSERT_EQ_INT(count_suffix(TAG, ".tzo"), (ops[i] == OP_DELETE   ? 0u
							  : ops[i] == OP_CREATE ? 2u
										: 1u));
	}
}

/*
 * Power cuts at random moments: a child runs random updates (overwrite, write in place,
 * rename, delete) on a few objects and records in shared memory what it is about to do
 * and what is committed; the parent kills it after a random delay, restarts the storage
 * and checks that every object is exactly as before or as after the update in flight.
 * Bounded: at most RANDOM_ROUNDS kills and RANDOM_SECONDS seconds.
 */
#define RANDOM_ROUNDS 40
#define RANDOM_SECONDS 20
#define NOBJ 4

struct model {
	int seq[NOBJ]; /* object k<i> holds "k<i>:<seq>" padded to 12 bytes; -1: absent */
};

struct shared {
	struct model done;    /* committed and acknowledged */
	struct model pending; /* what the update in flight will make of it */
	int busy;             /* an update is in flight */
	unsigned int ops;     /* updates completed by the child */
};

static void value_of(int i, int seq, char out[13])
{
	/* Bounded operands: gcc's -Wformat-truncation (at -O2) proves the 12 bytes suffice. */
	snprintf(out, 13, "k%u:%-9u", (unsigned)i % 10u, (unsigned)seq % 1000000000u);
}

static void id_of(int i, char out[4])
{
	snprintf(out, 4, "k%d", i);
}

static void child_updates(struct shared *sh, unsigned int seed)
{
	struct core_ta_identity ta = sut_ta(RANDOM_TAG, 7777);
	int seq = (int)(seed % 100000) * 1000;

	srand(seed);
	for (;;) {
		int a = rand() % NOBJ;
		int b = rand() % NOBJ;
		int kind = rand() % 4;
		char id[4];
		char val[13];
		uint32_t h = 0;

		sh->pending = sh->done;
		id_of(a, id);
		seq++;
		__atomic_store_n(&sh->busy, 1, __ATOMIC_SEQ_CST);
		if (kind == 0 || sh->done.seq[a] < 0) { /* (re)create with OVERWRITE */
			sh->pending.seq[a] = seq;
			value_of(a, seq, val);
			ASSERT_TEE_RES(
				sut_create(&ta, id, ALL | TEE_DATA_FLAG_OVERWRITE, val, 12, &h),
				TEE_SUCCESS);
			ASSERT_TEE_RES(sut_close(&ta, h), TEE_SUCCESS);
		} else if (kind == 1) { /* rewrite in place */
			sh->pending.seq[a] = seq;
			value_of(a, seq, val);
			ASSERT_TEE_RES(sut_open(&ta, id, ALL, &h), TEE_SUCCESS);
			ASSERT_TEE_RES(sut_write(&ta, h, val, 12), TEE_SUCCESS);
			ASSERT_TEE_RES(sut_close(&ta, h), TEE_SUCCESS);
		} else if (kind == 2 && sh->done.seq[b] < 0) { /* rename a -> b */
			char to[4];

			id_of(b, to);
			sh->pending.seq[b] = sh->done.seq[a];
			sh->pending.seq[a] = -1;
			ASSERT_TEE_RES(sut_open(&ta, id, ALL, &h), TEE_SUCCESS);
			ASSERT_TEE_RES(sut_rename(&ta, h, to), TEE_SUCCESS);
			ASSERT_TEE_RES(sut_close(&ta, h), TEE_SUCCESS);
		} else { /* delete */
			sh->pending.seq[a] = -1;
			ASSERT_TEE_RES(sut_open(&ta, id, ALL, &h), TEE_SUCCESS);
			ASSERT_TEE_RES(sut_delete(&ta, h), TEE_SUCCESS);
		}
		sh->done = sh->pending;
		__atomic_store_n(&sh->busy, 0, __ATOMIC_SEQ_CST);
		sh->ops++;
	}
}

/* The object's stored sequence (-1: absent), after a rename the value names the object
 * it was written as, so the content is compared with the model's expectation. */
static bool matches(const struct model *m)
{
	struct core_ta_identity ta = sut_ta(RANDOM_TAG, 1);

	for (int i = 0; i < NOBJ; i++) {
		char id[4];
		char got[32];
		uint32_t h = 0;
		uint32_t n = 0;
		TEE_Result res = TEE_SUCCESS;

		id_of(i, id);
		res = sut_open(&ta, id, TEE_DATA_FLAG_ACCESS_READ, &h);
		/* Never tampering, never half-written: only present or absent. */
		ASSERT_TRUE(res == TEE_SUCCESS || res == TEE_ERROR_ITEM_NOT_FOUND);
		if (res == TEE_ERROR_ITEM_NOT_FOUND) {
			if (m->seq[i] >= 0) {
				return false;
			}
			continue;
		}
		ASSERT_TEE_RES(sut_read(&ta, h, got, sizeof(got), &n), TEE_SUCCESS);
		ASSERT_TEE_RES(sut_close(&ta, h), TEE_SUCCESS);
		ASSERT_EQ_INT(n, 12);
		if (m->seq[i] < 0 || atoi(got + 3) != m->seq[i]) {
			return false;
		}
	}
	return true;
}

static void test_random_kills(void)
{
	struct shared *sh =
		mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	struct timespec t0;
	unsigned int mid_update = 0;
	unsigned int rounds = 0;
	unsigned int total_ops = 0;

	ASSERT_NE_INT(sh, MAP_FAILED);
	memset(sh, 0, sizeof(*sh));
	for (int i = 0; i < NOBJ; i++) {
		sh->done.seq[i] = -1;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	srand((unsigned int)getpid());
	for (rounds = 0; rounds < RANDOM_ROUNDS; rounds++) {
		struct timespec now;
		/* An update takes 0.5 ms (tmpfs) to 50 ms (a disk honouring fsync). */
		struct timespec delay = { .tv_nsec = (long)(1 + rand() % 150) * 1000000L };
		unsigned int seed = (unsigned int)rand();
		int status = 0;
		pid_t pid = 0;

		clock_gettime(CLOCK_MONOTONIC, &now);
		if (now.tv_sec - t0.tv_sec >= RANDOM_SECONDS) {
			break;
		}
		sh->ops = 0;
		pid = fork();
		ASSERT_GE_INT(pid, 0);
		if (pid == 0) {
			child_updates(sh, seed);
			_exit(0);
		}
		nanosleep(&delay, NULL);
		ASSERT_EQ_INT(kill(pid, SIGKILL), 0);
		ASSERT_EQ_INT(waitpid(pid, &status, 0), pid);
		ASSERT_TRUE(WIFSIGNALED(status));
		ASSERT_EQ_INT(WTERMSIG(status), SIGKILL); /* no CHECK failed */
		total_ops += sh->ops;
		sut_restart();
		if (sh->busy) {
			mid_update++;
			if (matches(&sh->pending)) {
				sh->done = sh->pending;
			} else {
				ASSERT_TRUE(matches(&sh->done));
			}
		} else {
			ASSERT_TRUE(matches(&sh->done));
		}
		sh->busy = 0;
		/* Start-up left exactly one file per object and no temp files. */
		{
			unsigned int present = 0;

			for (int i = 0; i < NOBJ; i++) {
				present += sh->done.seq[i] >= 0;
			}
			ASSERT_EQ_INT(count_suffix(RANDOM_TAG, ".tmp"), 0);
			ASSERT_EQ_INT(count_suffix(RANDOM_TAG, ".tzo"), present);
			ASSERT_EQ_INT(count_state_tmp(), 0); /* nor interrupted rpmb.img writes */
		}
	}
	printf("random power cuts: %u kills (%u in the middle of an update), %u updates "
	       "completed\n",
	       rounds, mid_update, total_ops);
	ASSERT_GT_INT(rounds, 0);
	munmap(sh, sizeof(*sh));
}

/* A full disk (here: a file size limit) is STORAGE_NO_SPACE and changes nothing. */
static void test_no_space(void)
{
	int status = 0;
	pid_t pid = 0;

	reset_object();
	pid = fork();
	ASSERT_GE_INT(pid, 0);
	if (pid == 0) {
		struct core_ta_identity ta = sut_ta(TAG, 9998);
		struct rlimit rl = { .rlim_cur = 1000, .rlim_max = 1000 };
		static uint8_t big[4000];
		uint32_t h = 0;

		signal(SIGXFSZ, SIG_IGN); /* get EFBIG from write() instead of a signal */
		ASSERT_EQ_INT(setrlimit(RLIMIT_FSIZE, &rl), 0);
		ASSERT_TEE_RES(sut_open(&ta, "obj", ALL, &h), TEE_SUCCESS);
		ASSERT_TEE_RES(sut_write(&ta, h, big, sizeof(big)), TEE_ERROR_STORAGE_NO_SPACE);
		ASSERT_TEE_RES(sut_create(&ta, "huge", ALL, big, sizeof(big), &h),
			       TEE_ERROR_STORAGE_NO_SPACE);
		_exit(0);
	}
	ASSERT_EQ_INT(waitpid(pid, &status, 0), pid);
	ASSERT_TRUE(WIFEXITED(status));
	ASSERT_EQ_INT(WEXITSTATUS(status), 0);
	ASSERT_EQ_INT(count_suffix(TAG, ".tmp"), 0); /* failed writes clean up after themselves */
	ASSERT_EQ_INT(count_suffix(TAG, ".tzo"), 1);
	expect_content("obj", "old-data");
}

/*
 * A directory that no longer fits (the file size limit again, now below the directory's
 * size but above a small object's): the new object's file is written, the commit fails,
 * and that file is removed; the object does not exist and the others are intact.
 */
static void test_no_space_at_commit(void)
{
	enum {
		TAG_DIR = 22u,
		OBJECTS = 12
	};
	struct core_ta_identity ta = sut_ta(TAG_DIR, 9997);
	int status = 0;
	pid_t pid = 0;

	for (int i = 0; i < OBJECTS; i++) {
		char id[4];
		uint32_t h = 0;

		id_of(i, id);
		ASSERT_TEE_RES(sut_create(&ta, id, ALL | TEE_DATA_FLAG_OVERWRITE, "v", 1, &h),
			       TEE_SUCCESS);
		ASSERT_TEE_RES(sut_close(&ta, h), TEE_SUCCESS);
	}
	/* 12 entries of up to 64-byte ids: the directory file is over 1000 bytes */
	pid = fork();
	ASSERT_GE_INT(pid, 0);
	if (pid == 0) {
		struct rlimit rl = { .rlim_cur = 1000, .rlim_max = 1000 };
		uint32_t h = 0;

		signal(SIGXFSZ, SIG_IGN);
		ASSERT_EQ_INT(setrlimit(RLIMIT_FSIZE, &rl), 0);
		ASSERT_TEE_RES(sut_create(&ta, "one more", ALL, "x", 1, &h),
			       TEE_ERROR_STORAGE_NO_SPACE);
		_exit(0);
	}
	ASSERT_EQ_INT(waitpid(pid, &status, 0), pid);
	ASSERT_TRUE(WIFEXITED(status));
	ASSERT_EQ_INT(WEXITSTATUS(status), 0);
	ASSERT_EQ_INT(count_suffix(TAG_DIR, ".tmp"), 0);
	ASSERT_EQ_INT(count_suffix(TAG_DIR, ".tzo"), OBJECTS); /* the new file is gone */
	{
		uint32_t h = 0;

		ASSERT_TEE_RES(sut_open(&ta, "one more", ALL, &h), TEE_ERROR_ITEM_NOT_FOUND);
	}
}

static void test_device_key(void)
{
	char path[512];
	struct stat st;

	reset_object();
	snprintf(path, sizeof(path), "%s/device.key", g_state);
	ASSERT_EQ_INT(stat(path, &st), 0);
	ASSERT_EQ_INT(st.st_size, 32);
	ASSERT_EQ_INT((st.st_mode & 0777), 0600);
	/* A key readable by others is refused rather than used. */
	ASSERT_EQ_INT(chmod(path, 0644), 0);
	ASSERT_LT_INT(core__storage_init(g_sut, g_state), 0);
	{
		/* A core whose storage failed to start answers, rather than guessing. */
		struct core_ta_identity ta = sut_ta(TAG, 1);
		uint32_t h = 0;

		ASSERT_TEE_RES(sut_open(&ta, "obj", TEE_DATA_FLAG_ACCESS_READ, &h),
			       TEE_ERROR_STORAGE_NOT_AVAILABLE);
		ASSERT_TEE_RES(sut_create(&ta, "new", ALL, "x", 1, &h),
			       TEE_ERROR_STORAGE_NOT_AVAILABLE);
	}
	ASSERT_EQ_INT(chmod(path, 0600), 0);
	sut_restart();
	expect_content("obj", "old-data"); /* same key after a restart */
	/* A different device key makes the storage unavailable, never wrong data. */
	uint8_t *key = NULL;
	size_t len = 0;
	struct core_ta_identity ta = sut_ta(TAG, 1);
	uint32_t h = 0;

	key = sut_read_file(path, &len);
	key[0] ^= 0xff;
	sut_write_file(path, key, len);
	/* (The RPMB's key derives from it: the storage refuses to run rather than guess.) */
	ASSERT_LT_INT(core__storage_init(g_sut, g_state), 0);
	ASSERT_TEE_RES(sut_open(&ta, "obj", TEE_DATA_FLAG_ACCESS_READ, &h),
		       TEE_ERROR_STORAGE_NOT_AVAILABLE);
	key[0] ^= 0xff;
	sut_write_file(path, key, len);
	sut_restart();
	expect_content("obj", "old-data");
	free(key);
}

int main(void)
{
	g_state = sut_setup();
	test_killed_before_commit();
	test_killed_after_commit();
	test_random_kills();
	test_no_space();
	test_no_space_at_commit();
	test_device_key();
	core__storage_instance_gone(g_sut, 1);
	printf("tee_storage_crash: all checks passed\n");
	return 0;
}
