/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * At-rest layer of the secure storage: device key, per-TA keys, the encrypted object file
 * format (byte diagram in storage_file.c) and crash-safe file updates. Knows nothing of
 * handles or GP semantics; storage.c builds those on top. All functions return 0 or
 * -errno; -EBADMSG means "the file failed authentication or is malformed" (corrupt).
 */
#ifndef TZM_STORAGE_FILE_H
#define TZM_STORAGE_FILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define SF_KEY_LEN 32
#define SF_UUID_LEN 16
#define SF_ID_MAX 64
/* "<128 hex>.obj" + NUL */
#define SF_NAME_MAX (2 * SF_ID_MAX + 5)

/* One TA's storage: its directory (opened lazily) and its object key. */
struct sf_ta {
	uint8_t uuid[SF_UUID_LEN];
	uint8_t key[SF_KEY_LEN];
	int dirfd; /* -1 until opened */
};

/* Identity of an object file as last written/read by us (to notice outside changes). */
struct sf_sig {
	dev_t dev;
	ino_t ino;
	off_t size;
	int64_t mtime_ns;
};

/* Loads (or creates, atomically, 0600) <state_dir>/device.key and prepares
 * <state_dir>/storage. Cleans stray temp files and finishes interrupted renames. */
int storage__file_init(const char *state_dir);
void storage__file_fini(void);

/* Derives the TA's key and opens (create: creates) its directory. */
int storage__ta_open(struct sf_ta *ta, const uint8_t uuid[SF_UUID_LEN], bool create);
void storage__ta_close(struct sf_ta *ta);

/* Reads and authenticates an object. *data is malloc'ed (never NULL on success).
 * -ENOENT if absent, -EBADMSG if corrupt. */
int storage__obj_load(struct sf_ta *ta, const uint8_t *id, size_t id_len, uint32_t *type,
		      uint8_t **data, size_t *len, struct sf_sig *sig);
/* Atomically replaces (or, exclusive: creates; -EEXIST if present) an object. */
int storage__obj_store(struct sf_ta *ta, const uint8_t *id, size_t id_len, uint32_t type,
		       const uint8_t *data, size_t len, bool exclusive, struct sf_sig *sig);
int storage__obj_remove(struct sf_ta *ta, const uint8_t *id, size_t id_len);
/* Atomic rename (re-encrypts for the new id); -EEXIST if the new id exists. */
int storage__obj_rename(struct sf_ta *ta, const uint8_t *old_id, size_t old_len,
			const uint8_t *new_id, size_t new_len, uint32_t type,
			const uint8_t *data, size_t len, struct sf_sig *sig);
/* Current signature of the object file; -ENOENT if absent. */
int storage__obj_stat(struct sf_ta *ta, const uint8_t *id, size_t id_len, struct sf_sig *sig);
bool storage__sig_equal(const struct sf_sig *a, const struct sf_sig *b);

/* Lists object ids of a TA (decoded from file names; unrelated names skipped).
 * *ids is an array of *count entries of {len, bytes}; free() it. */
struct sf_id {
	uint32_t len;
	uint8_t bytes[SF_ID_MAX];
};
int storage__obj_list(struct sf_ta *ta, struct sf_id **ids, size_t *count);

/* Object file name for an id: lower-case hex of the id bytes + ".obj". */
void storage__obj_name(const uint8_t *id, size_t id_len, char name[SF_NAME_MAX]);

#endif
