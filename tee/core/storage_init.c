/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Start-up of the at-rest storage (storage_file.h): the device key, the RPMB image, and
 * per TA the clean-up of interrupted updates and the migration of the format without
 * rollback protection (object files named by hex id, rename.jnl).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <openssl/crypto.h>
#include <openssl/rand.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "storage_file_priv.h"
#include "storage_rpmb.h"
#include "uuid.h"

/* Pre-rollback-protection layout, only read to migrate it. */
#define SF_V1_JOURNAL "rename.jnl"
#define SF_V1_JOURNAL_LEN (2u * (1u + SF_ID_MAX))

static int mkdir_p(const char *path)
{
	char buf[PATH_MAX];
	size_t n = strlen(path);

	if (n == 0 || n >= sizeof(buf)) {
		return -ENAMETOOLONG;
	}
	memcpy(buf, path, n + 1);
	for (size_t i = 1; i <= n; i++) {
		if (buf[i] == '/' || buf[i] == '\0') {
			char saved = buf[i];

			buf[i] = '\0';
			if (mkdir(buf, 0700) < 0 && errno != EEXIST) {
				return -errno;
			}
			buf[i] = saved;
		}
	}
	return 0;
}

static int read_device_key(struct sf_store *store, int state_fd)
{
	struct stat st;
	int rc = 0;
	int fd = openat(state_fd, "device.key", O_RDONLY | O_CLOEXEC | O_NOFOLLOW);

	if (fd < 0) {
		return -errno;
	}
	if (fstat(fd, &st) < 0) {
		rc = -errno;
		goto out;
	}
	/* A key others can read protects nothing; a wrong size is not our key. */
	if (!S_ISREG(st.st_mode) || st.st_size != SF_KEY_LEN || (st.st_mode & 077) != 0) {
		fprintf(stderr, "tzm-teed: storage: device.key must be a 0600 file of %d bytes\n",
			SF_KEY_LEN);
		rc = -EPERM;
		goto out;
	}
	rc = storage__read_all(fd, store->device_key, SF_KEY_LEN);
out:
	close(fd);
	return rc;
}

static int create_device_key(int state_fd)
{
	uint8_t key[SF_KEY_LEN];
	char tmp[SF_NAME_MAX + 16];
	int rc = 0;

	if (RAND_bytes(key, sizeof(key)) != 1) {
		return -EIO;
	}
	rc = storage__write_temp(state_fd, "device.key", key, sizeof(key), tmp);
	OPENSSL_cleanse(key, sizeof(key));
	if (rc < 0) {
		return rc;
	}
	/* link() never replaces: if another tzm-teed won the race, its key stays. */
	if (linkat(state_fd, tmp, state_fd, "device.key", 0) < 0 && errno != EEXIST) {
		rc = -errno;
	}
	unlinkat(state_fd, tmp, 0);
	if (rc == 0) {
		rc = storage__sync_dir(state_fd);
	}
	return rc;
}

/* Name of an object file before rollback protection: lower-case hex of the id + ".obj". */
static void v1_obj_name(const uint8_t *id, size_t id_len, char name[SF_NAME_MAX])
{
	static const char hex[] = "0123456789abcdef";
	size_t i = 0;

	for (i = 0; i < id_len && i < SF_ID_MAX; i++) {
		name[2 * i] = hex[id[i] >> 4];
		name[2 * i + 1] = hex[id[i] & 15];
	}
	memcpy(name + 2 * i, ".obj", 5);
}

/* Parses a v1 "<hex>.obj"; false for anything else. */
static bool parse_v1_obj_name(const char *name, struct sf_id *id)
{
	size_t n = strlen(name);
	size_t hex_len = 0;

	if (n < 4 || strcmp(name + n - 4, ".obj") != 0) {
		return false;
	}
	hex_len = n - 4;
	if (hex_len % 2 != 0 || hex_len / 2 > SF_ID_MAX) {
		return false;
	}
	for (size_t i = 0; i < hex_len; i += 2) {
		int v = 0;

		for (size_t k = 0; k < 2; k++) {
			char c = name[i + k];

			if (c >= '0' && c <= '9') {
				v = v << 4 | (c - '0');
			} else if (c >= 'a' && c <= 'f') {
				v = v << 4 | (c - 'a' + 10);
			} else {
				return false;
			}
		}
		id->bytes[i / 2] = (uint8_t)v;
	}
	id->len = (uint32_t)(hex_len / 2);
	return true;
}

static bool has_suffix(const char *name, const char *suffix)
{
	size_t n = strlen(name);
	size_t s = strlen(suffix);

	return n >= s && strcmp(name + n - s, suffix) == 0;
}

/* Pre-rollback-protection recovery: finishes (or drops) an interrupted rename. */
static void v1_recover_journal(int dirfd)
{
	uint8_t j[SF_V1_JOURNAL_LEN];
	int fd = openat(dirfd, SF_V1_JOURNAL, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);

	if (fd < 0) {
		return;
	}
	if (storage__read_all(fd, j, sizeof(j)) == 0 && j[0] <= SF_ID_MAX &&
	    j[1 + SF_ID_MAX] <= SF_ID_MAX) {
		char old_name[SF_NAME_MAX];
		char new_name[SF_NAME_MAX];

		v1_obj_name(j + 1, j[0], old_name);
		v1_obj_name(j + 2 + SF_ID_MAX, j[1 + SF_ID_MAX], new_name);
		/* The new name only exists if the rename got past its commit point (link). */
		if (faccessat(dirfd, new_name, F_OK, AT_SYMLINK_NOFOLLOW) == 0) {
			unlinkat(dirfd, old_name, 0);
		}
	}
	close(fd);
	unlinkat(dirfd, SF_V1_JOURNAL, 0);
	fsync(dirfd);
}

/* Lists the names in a directory that pass keep(); *names is an array of *n strings. */
static int list_names(int dirfd, bool (*keep)(const char *), char ***names, size_t *n)
{
	char **arr = NULL;
	size_t cnt = 0;
	size_t cap = 0;
	struct dirent *de = NULL;
	int rc = 0;
	int fd = openat(dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	DIR *d = fd >= 0 ? fdopendir(fd) : NULL;

	if (!d) {
		rc = -errno;
		if (fd >= 0) {
			close(fd);
		}
		return rc;
	}
	while ((de = readdir(d)) != NULL) {
		if (!keep(de->d_name)) {
			continue;
		}
		if (cnt == cap) {
			size_t ncap = cap ? cap * 2 : 16;
			char **na = realloc(arr, ncap * sizeof(*arr));

			if (!na) {
				rc = -ENOMEM;
				break;
			}
			arr = na;
			cap = ncap;
		}
		arr[cnt] = strdup(de->d_name);
		if (!arr[cnt]) {
			rc = -ENOMEM;
			break;
		}
		cnt++;
	}
	closedir(d);
	if (rc < 0) {
		while (cnt > 0) {
			free(arr[--cnt]);
		}
		free(arr);
		return rc;
	}
	*names = arr;
	*n = cnt;
	return 0;
}

static void free_names(char **names, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(names[i]);
	}
	free(names);
}

static bool is_v1_obj(const char *name)
{
	struct sf_id id;

	return parse_v1_obj_name(name, &id);
}

static bool is_any(const char *name)
{
	return strcmp(name, ".") != 0 && strcmp(name, "..") != 0;
}

static bool is_dir_slot(const char *name)
{
	return strcmp(name, "dir.0.tzd") == 0 || strcmp(name, "dir.1.tzd") == 0;
}

/*
 * A TA directory from before rollback protection (object files named by hex id, no
 * directory file, no RPMB record): its authentic objects become generation 1. Trust on
 * first use: whatever authentic v1 files are there at the upgrade are taken. A crash
 * before the commit leaves the v1 files (and this runs again); after it, they are
 * superseded and removed by the clean-up.
 */
static int migrate_v1(struct sf_ta *ta, const char *uuid_str)
{
	char **names = NULL;
	size_t n = 0;
	struct sf_entry *ents = NULL;
	size_t count = 0;
	int rc = list_names(ta->dirfd, is_v1_obj, &names, &n);

	if (rc < 0 || n == 0) {
		goto out;
	}
	if (n > SF_DIR_MAX_ENTRIES) {
		rc = -ENOSPC;
		goto out;
	}
	ents = calloc(n, sizeof(*ents));
	if (!ents) {
		rc = -ENOMEM;
		goto out;
	}
	for (size_t k = 0; k < n; k++) {
		struct sf_id id;
		struct stat st;
		uint8_t *data = NULL;
		size_t len = 0;
		uint32_t type = 0;
		size_t meta_len = 0;

		parse_v1_obj_name(names[k], &id);
		rc = storage__load_obj_file(ta, names[k], id.bytes, id.len, NULL, &type, &meta_len,
					    &data, &len, &st);
		if (rc == -EBADMSG) {
			fprintf(stderr,
				"tzm-teed: storage: TA %s: old-format object file %s fails "
				"authentication; not migrated\n",
				uuid_str, names[k]);
			continue;
		}
		if (rc == 0) {
			rc = storage__write_obj_file(ta, id.bytes, id.len, type, meta_len, data,
						     len, &ents[count]);
			OPENSSL_cleanse(data, len);
			free(data);
		}
		if (rc < 0) {
			goto out;
		}
		count++;
	}
	rc = storage__commit_dir(ta, ents, count);
	if (rc == 0) {
		ents = NULL;
		fprintf(stderr,
			"tzm-teed: storage: TA %s: %zu object(s) migrated to the "
			"rollback-protected "
			"format\n",
			uuid_str, count);
	}
out:
	if (ents) {
		for (size_t k = 0; k < count; k++) {
			storage__remove_obj_file(ta, ents[k].file_no);
		}
	}
	free(ents);
	free_names(names, n);
	return rc;
}

/* Removes what the committed generation does not name: temp files, object files of
 * interrupted or superseded updates, the v1 leftovers once migrated. */
static void collect_garbage(const struct sf_ta *ta)
{
	char **names = NULL;
	size_t n = 0;

	if (list_names(ta->dirfd, is_any, &names, &n) < 0) {
		return;
	}
	for (size_t k = 0; k < n; k++) {
		const char *name = names[k];
		uint64_t file_no = 0;
		bool drop = has_suffix(name, ".tmp");

		if (storage__parse_objfile_name(name, &file_no)) {
			drop = true;
			for (size_t i = 0; i < ta->count; i++) {
				drop = drop && ta->ents[i].file_no != file_no;
			}
		} else if (ta->gen > 0) {
			drop = drop || is_v1_obj(name) || strcmp(name, SF_V1_JOURNAL) == 0;
		} else {
			drop = drop || is_dir_slot(name); /* an uncommitted first generation */
		}
		if (drop) {
			unlinkat(ta->dirfd, name, 0);
		}
	}
	free_names(names, n);
}

static int recover_ta(struct sf_store *store, const uint8_t uuid[SF_UUID_LEN], const char *uuid_str)
{
	struct sf_ta ta;
	int rc = storage__ta_open(store, &ta, uuid, false);

	if (rc == -EBADMSG) {
		/* Evidence stays as it is; every access of the TA reports CORRUPT_OBJECT. */
		fprintf(stderr, "tzm-teed: storage: TA %s: left untouched\n", uuid_str);
		return 0;
	}
	if (rc < 0) {
		return 0;
	}
	if (ta.gen == 0) {
		char **tmp = NULL;
		size_t n = 0;

		/* v1 temp files first, so that migration sees only committed v1 objects. */
		if (list_names(ta.dirfd, is_any, &tmp, &n) == 0) {
			for (size_t k = 0; k < n; k++) {
				if (has_suffix(tmp[k], ".tmp")) {
					unlinkat(ta.dirfd, tmp[k], 0);
				}
			}
			free_names(tmp, n);
		}
		v1_recover_journal(ta.dirfd);
		rc = migrate_v1(&ta, uuid_str);
		if (rc < 0) {
			fprintf(stderr, "tzm-teed: storage: TA %s: migration failed (%s)\n",
				uuid_str, strerror(-rc));
		}
	}
	if (rc == 0) {
		collect_garbage(&ta);
		storage__sync_dir(ta.dirfd);
	}
	storage__ta_close(&ta);
	return rc;
}

/* Calls fn for every TA directory (named by a UUID) under storage/. */
static int for_each_ta(struct sf_store *store,
		       int (*fn)(struct sf_store *, const uint8_t *, const char *))
{
	char **names = NULL;
	size_t n = 0;
	int rc = list_names(store->root_fd, is_any, &names, &n);

	for (size_t k = 0; rc == 0 && k < n; k++) {
		uint8_t u[SF_UUID_LEN];

		if (tzm__uuid_parse(names[k], u) == 0) {
			rc = fn(store, u, names[k]);
		}
	}
	free_names(names, n);
	return rc;
}

static int refuse_if_committed(struct sf_store *store, const uint8_t *uuid, const char *uuid_str)
{
	char path[TZM_UUID_STR_LEN + 16];

	(void)uuid;
	for (unsigned int slot = 0; slot < 2; slot++) {
		snprintf(path, sizeof(path), "%s/dir.%u.tzd", uuid_str, slot);
		if (faccessat(store->root_fd, path, F_OK, AT_SYMLINK_NOFOLLOW) == 0) {
			fprintf(stderr,
				"tzm-teed: storage: rpmb.img is missing but storage/%s has a "
				"committed directory: the rollback anchor was removed; refusing to "
				"run the storage (restore rpmb.img, or remove storage/ to start "
				"empty)\n",
				uuid_str);
			return -EBADMSG;
		}
	}
	return 0;
}

static bool is_state_tmp(const char *name)
{
	return has_suffix(name, ".tmp") &&
	       (strncmp(name, "rpmb.img.", 9) == 0 || strncmp(name, "device.key.", 11) == 0);
}

static int open_rpmb(struct sf_store *store)
{
	uint8_t key[SF_KEY_LEN];
	char **tmp = NULL;
	size_t n = 0;
	int rc = storage__derive_key(store, "tzm-rpmb-key", NULL, 0, key);

	/* Replacements of rpmb.img (or device.key) interrupted before their rename. */
	if (list_names(store->state_fd, is_state_tmp, &tmp, &n) == 0) {
		for (size_t k = 0; k < n; k++) {
			unlinkat(store->state_fd, tmp[k], 0);
		}
		free_names(tmp, n);
	}

	if (rc < 0) {
		return rc;
	}
	rc = storage__rpmb_open(&store->rpmb, store->state_fd, key, false);
	if (rc == -ENOENT) {
		/* First start (or an upgrade): only if no TA ever committed a directory. */
		rc = for_each_ta(store, refuse_if_committed);
		if (rc == 0) {
			rc = storage__rpmb_open(&store->rpmb, store->state_fd, key, true);
		}
	} else if (rc == -EBADMSG) {
		fprintf(stderr, "tzm-teed: storage: rpmb.img is not authentic; refusing to run "
				"the storage\n");
	}
	OPENSSL_cleanse(key, sizeof(key));
	return rc;
}

int storage__file_init(struct sf_store *store, const char *state_dir)
{
	int rc = 0;

	storage__file_fini(store);
	rc = mkdir_p(state_dir);
	if (rc < 0) {
		return rc;
	}
	store->state_fd = open(state_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (store->state_fd < 0) {
		return -errno;
	}
	rc = storage__lock(store);
	if (rc < 0) {
		goto out;
	}
	rc = read_device_key(store, store->state_fd);
	if (rc == -ENOENT) {
		rc = create_device_key(store->state_fd);
		if (rc == 0) {
			rc = read_device_key(store, store->state_fd);
		}
	}
	if (rc < 0) {
		goto out_unlock;
	}
	if (mkdirat(store->state_fd, "storage", 0700) < 0 && errno != EEXIST) {
		rc = -errno;
		goto out_unlock;
	}
	store->root_fd =
		openat(store->state_fd, "storage", O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
	if (store->root_fd < 0) {
		rc = -errno;
		goto out_unlock;
	}
	rc = open_rpmb(store);
	if (rc == 0) {
		rc = for_each_ta(store, recover_ta);
	}
out_unlock:
	storage__unlock(store);
out:
	if (rc < 0) {
		storage__file_fini(store);
	}
	return rc;
}

void storage__file_fini(struct sf_store *store)
{
	storage__rpmb_close(&store->rpmb);
	if (store->root_fd >= 0) {
		close(store->root_fd);
		store->root_fd = -1;
	}
	if (store->state_fd >= 0) {
		close(store->state_fd); /* drops the lock too */
		store->state_fd = -1;
	}
	store->lock_depth = 0;
	OPENSSL_cleanse(store->device_key, sizeof(store->device_key));
}
