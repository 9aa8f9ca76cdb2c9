/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The TA directory of the at-rest storage (storage_file.h): its file format, the commit
 * that makes a new generation current (protocol: storage_file.c), the storage lock and
 * per-TA access (storage__ta_open/close).
 *
 * Directory file (the TA key; sealed as a whole):
 *
 *    0        4        6        8           12         16                 24
 *   +--------+--------+--------+-----------+----------+------------------+
 *   | "TZSD" | ver=1  | hlen=52| count u32 | reserved | generation (u64) |
 *   +--------+--------+--------+-----------+----------+------------------+
 *   24: IV (96 bits) | 36: AES-256-GCM tag (128 bits) | 52: ciphertext of count entries:
 *   +--------+-------+-----------------------+----------------+------------------------+
 *   | id len | 0 0 0 | object file's tag (16)| file no (u64)  | id (64, zero-padded)   |
 *   +--------+-------+-----------------------+----------------+------------------------+
 *   0        1       4                       20               28                       92
 * AAD: header bytes 0..35 || TA UUID. The RPMB record of the TA holds the generation and
 * the SHA-256 of the whole file, so only the last committed directory is accepted, and the
 * directory holds each object's GCM tag, so only the last committed version of each object
 * is: an older authentic file (object or directory) is CORRUPT_OBJECT, and so is a listed
 * object whose file is gone.
 */
#include <errno.h>
#include <fcntl.h>
#include <openssl/crypto.h>
#include <openssl/rand.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "storage_file_priv.h"
#include "storage_rpmb.h"
#include "uuid.h"

#define SF_DIR_MAGIC "TZSD"
#define SF_DIR_VERSION 1u
#define SF_ENT_LEN 92u

static_assert(1 + 3 + SF_TAG_LEN + 8 + SF_ID_MAX == SF_ENT_LEN, "entry layout");
/* Test seam: TZM_STORAGE_TEST_CRASH=<point> kills the process at that point, to prove
 * that an interrupted update leaves the old (or the new) state, never a mix. */
static void crash_point(const char *point)
{
	const char *want = getenv("TZM_STORAGE_TEST_CRASH");

	if (want && strcmp(want, point) == 0) {
		raise(SIGKILL);
	}
}

int storage__lock(struct sf_store *store)
{
	if (store->lock_depth++ > 0) {
		return 0;
	}
	while (flock(store->state_fd, LOCK_EX) < 0) {
		if (errno != EINTR) {
			int rc = -errno;

			store->lock_depth--;
			return rc;
		}
	}
	return 0;
}

void storage__unlock(struct sf_store *store)
{
	if (store->lock_depth > 0 && --store->lock_depth == 0) {
		flock(store->state_fd, LOCK_UN);
	}
}

static void dir_slot_name(uint64_t gen, char name[16])
{
	snprintf(name, 16, "dir.%u.tzd", (unsigned int)(gen & 1));
}

static int seal_dir(const struct sf_ta *ta, uint64_t gen, const struct sf_entry *ents, size_t count,
		    uint8_t **out, size_t *out_len)
{
	size_t body = count * SF_ENT_LEN;
	uint8_t *plain = calloc(1, body + 1);
	uint8_t *file = malloc(SF_HDR_LEN + body + 16);
	int rc = 0;

	if (!plain || !file) {
		rc = -ENOMEM;
		goto out;
	}
	for (size_t i = 0; i < count; i++) {
		uint8_t *p = plain + i * SF_ENT_LEN;

		p[0] = (uint8_t)ents[i].id_len;
		memcpy(p + 4, ents[i].tag, SF_TAG_LEN);
		storage__put_le64(p + 4 + SF_TAG_LEN, ents[i].file_no);
		memcpy(p + 12 + SF_TAG_LEN, ents[i].id, ents[i].id_len);
	}
	memcpy(file, SF_DIR_MAGIC, 4);
	storage__put_le16(file + 4, SF_DIR_VERSION);
	storage__put_le16(file + 6, SF_HDR_LEN);
	storage__put_le32(file + 8, (uint32_t)count);
	storage__put_le32(file + 12, 0);
	storage__put_le64(file + 16, gen);
	if (RAND_bytes(file + SF_IV_OFF, SF_IV_LEN) != 1) {
		rc = -EIO;
		goto out;
	}
	rc = storage__gcm(true, ta, file, false, NULL, 0, plain, body, file + SF_HDR_LEN,
			  file + SF_TAG_OFF);
out:
	free(plain); /* ids and tags only: no object data */
	if (rc < 0) {
		free(file);
		return rc;
	}
	*out = file;
	*out_len = SF_HDR_LEN + body;
	return 0;
}

/* Loads the directory of generation gen, which must hash to the RPMB's hash. */
static int load_dir(struct sf_ta *ta, uint64_t gen, const uint8_t want[SF_HASH_LEN])
{
	char name[16];
	uint8_t hash[SF_HASH_LEN];
	struct stat st;
	uint8_t *file = NULL;
	uint8_t *plain = NULL;
	size_t file_len = 0;
	uint32_t count = 0;
	int rc = 0;

	dir_slot_name(gen, name);
	rc = storage__read_sealed_file(ta->dirfd, name,
				       SF_HDR_LEN + (size_t)SF_DIR_MAX_ENTRIES * SF_ENT_LEN, &st,
				       &file, &plain, &file_len);
	if (rc < 0) {
		/* the RPMB names this generation: its file must be there */
		return rc == -ENOENT ? -EBADMSG : rc;
	}
	rc = storage__sha256(file, file_len, hash);
	if (rc < 0) {
		goto out;
	}
	count = storage__get_le32(file + 8);
	if (CRYPTO_memcmp(hash, want, SF_HASH_LEN) != 0 || memcmp(file, SF_DIR_MAGIC, 4) != 0 ||
	    storage__get_le64(file + 16) != gen || count > SF_DIR_MAX_ENTRIES ||
	    file_len != SF_HDR_LEN + (size_t)count * SF_ENT_LEN) {
		rc = -EBADMSG;
		goto out;
	}
	rc = storage__gcm(false, ta, file, false, NULL, 0, file + SF_HDR_LEN, file_len - SF_HDR_LEN,
			  plain, file + SF_TAG_OFF);
	if (rc < 0) {
		goto out;
	}
	ta->ents = calloc(count + 1u, sizeof(*ta->ents));
	if (!ta->ents) {
		rc = -ENOMEM;
		goto out;
	}
	for (uint32_t i = 0; i < count; i++) {
		const uint8_t *p = plain + (size_t)i * SF_ENT_LEN;
		struct sf_entry *e = &ta->ents[i];

		if (p[0] > SF_ID_MAX) {
			rc = -EBADMSG;
			goto out;
		}
		e->id_len = p[0];
		memcpy(e->tag, p + 4, SF_TAG_LEN);
		e->file_no = storage__get_le64(p + 4 + SF_TAG_LEN);
		memcpy(e->id, p + 12 + SF_TAG_LEN, e->id_len);
	}
	ta->count = count;
	ta->gen = gen;
out:
	if (rc < 0) {
		free(ta->ents);
		ta->ents = NULL;
		ta->count = 0;
	}
	free(plain);
	free(file);
	return rc;
}

/*
 * Makes ents (malloc'ed, count entries) the TA's next generation; takes ownership of ents
 * on success. The RPMB write is the commit point: before it the old generation and every
 * file it names are untouched, after it the new one is complete.
 */
int storage__commit_dir(struct sf_ta *ta, struct sf_entry *ents, size_t count)
{
	struct sf_store *store = ta->store;
	char name[16];
	uint8_t hash[SF_HASH_LEN];
	uint8_t *file = NULL;
	size_t file_len = 0;
	uint64_t gen = ta->gen + 1;
	int rc = seal_dir(ta, gen, ents, count, &file, &file_len);

	if (rc < 0) {
		return rc;
	}
	rc = storage__sha256(file, file_len, hash);
	if (rc < 0) {
		goto out;
	}
	/* The other slot holds generation gen - 1, which nothing accepts any more. */
	dir_slot_name(gen, name);
	rc = storage__replace_file(ta->dirfd, name, file, file_len);
	if (rc < 0) {
		goto out;
	}
	crash_point("before_commit");
	rc = storage__rpmb_write(&store->rpmb, ta->uuid, gen, hash);
	if (rc < 0) {
		goto out;
	}
	crash_point("after_commit");
	free(ta->ents);
	ta->ents = ents;
	ta->count = count;
	ta->gen = gen;
out:
	free(file);
	return rc;
}

long storage__find_entry(const struct sf_ta *ta, const uint8_t *id, size_t id_len)
{
	for (size_t i = 0; i < ta->count; i++) {
		if (ta->ents[i].id_len == id_len && memcmp(ta->ents[i].id, id, id_len) == 0) {
			return (long)i;
		}
	}
	return -1;
}

/* A copy of the TA's entries with room for one more. */
struct sf_entry *storage__copy_entries(const struct sf_ta *ta)
{
	struct sf_entry *ents = calloc(ta->count + 1, sizeof(*ents));

	if (ents && ta->count > 0) {
		memcpy(ents, ta->ents, ta->count * sizeof(*ents));
	}
	return ents;
}

int storage__ta_open(struct sf_store *store, struct sf_ta *ta, const uint8_t uuid[SF_UUID_LEN],
		     bool create)
{
	char name[TZM_UUID_STR_LEN + 1];
	uint8_t hash[SF_HASH_LEN];
	uint64_t gen = 0;
	int rc = 0;

	memset(ta, 0, sizeof(*ta));
	ta->store = store;
	memcpy(ta->uuid, uuid, SF_UUID_LEN);
	ta->dirfd = -1;
	if (store->root_fd < 0) {
		return -ENODEV;
	}
	rc = storage__lock(store);
	if (rc < 0) {
		return rc;
	}
	ta->locked = true;
	rc = storage__derive_key(store, "tzm-storage-ta-key", uuid, SF_UUID_LEN, ta->key);
	if (rc < 0) {
		goto out;
	}
	rc = storage__rpmb_read(&store->rpmb, uuid, &gen, hash);
	if (rc < 0 && rc != -ENOENT) {
		goto out;
	}
	tzm__uuid_bytes_to_str(uuid, name);
	ta->dirfd = openat(store->root_fd, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
	if (ta->dirfd < 0 && errno == ENOENT) {
		if (gen > 0) {
			fprintf(stderr,
				"tzm-teed: storage: TA %s: directory gone, but the RPMB records "
				"generation %llu (deleted or rolled back)\n",
				name, (unsigned long long)gen);
			rc = -EBADMSG;
			goto out;
		}
		if (!create) {
			rc = -ENOENT;
			goto out;
		}
		if (mkdirat(store->root_fd, name, 0700) < 0 && errno != EEXIST) {
			rc = -errno;
			goto out;
		}
		ta->dirfd = openat(store->root_fd, name,
				   O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
	}
	if (ta->dirfd < 0) {
		rc = errno == ENOTDIR || errno == ELOOP ? -EBADMSG : -errno;
		goto out;
	}
	rc = 0;
	if (gen > 0) {
		rc = load_dir(ta, gen, hash);
		if (rc == -EBADMSG) {
			fprintf(stderr,
				"tzm-teed: storage: TA %s: directory does not match the RPMB "
				"record of generation %llu (rolled back or tampered with)\n",
				name, (unsigned long long)gen);
		}
	}
out:
	if (rc < 0) {
		storage__ta_close(ta);
	}
	return rc;
}

void storage__ta_close(struct sf_ta *ta)
{
	struct sf_store *store = ta->store;
	if (ta->dirfd >= 0) {
		close(ta->dirfd);
		ta->dirfd = -1;
	}
	free(ta->ents);
	ta->ents = NULL;
	ta->count = 0;
	OPENSSL_cleanse(ta->key, sizeof(ta->key));
	if (ta->locked) {
		ta->locked = false;
		storage__unlock(store);
	}
}
