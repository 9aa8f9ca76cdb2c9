/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * At-rest layer of the secure storage: device key, per-TA keys, the encrypted object and
 * directory file formats (byte diagrams in storage_objfile.c and storage_dir.c), rollback
 * detection anchored in the emulated RPMB (storage_rpmb.c) and crash-safe updates
 * (storage_file.c). Knows nothing of handles or GP semantics; storage.c builds those on
 * top. All functions return 0 or -errno; -EBADMSG
 * means "failed authentication, malformed, rolled back or missing" (corrupt).
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
#define SF_TAG_LEN 16
#define SF_HASH_LEN 32
/* Largest attribute section in front of a key object's data (storage_keyobj.c: a 16-byte
 * key description + the TA host's blob of at most TSM_MAX_ATTR_LEN). */
#define SF_META_MAX (16u + 16u * 1024u)
/* "<128 hex>.obj" (pre-rollback-protection names) + NUL; longer than "<16 hex>.tzo" */
#define SF_NAME_MAX (2 * SF_ID_MAX + 5)

/* One committed object of a TA directory: its id and the file holding that version. */
struct sf_entry {
	uint64_t file_no;        /* file "<16 hex>.tzo" */
	uint8_t tag[SF_TAG_LEN]; /* its GCM tag: names exactly one sealed content */
	uint32_t id_len;
	uint8_t id[SF_ID_MAX];
};

/* Emulated RPMB state (storage_rpmb.c). */
struct sf_rpmb {
	int dirfd; /* the state directory (holds rpmb.img); -1: closed */
	uint8_t key[SF_KEY_LEN];
	uint64_t seen_counter; /* highest write counter read or written by this process */
};

/* The at-rest layer's state: one per storage service. */
struct sf_store {
	uint8_t device_key[SF_KEY_LEN];
	int state_fd; /* -1 until storage__file_init() */
	int root_fd;  /* <state_dir>/storage */
	unsigned int lock_depth;
	struct sf_rpmb rpmb;
};

/* One TA's storage while a request runs: between storage__ta_open() and
 * storage__ta_close() the caller holds the storage lock and a verified copy of the TA's
 * directory. */
struct sf_ta {
	struct sf_store *store; /* set by storage__ta_open() */
	uint8_t uuid[SF_UUID_LEN];
	uint8_t key[SF_KEY_LEN];
	int dirfd; /* -1 until opened */
	bool locked;
	uint64_t gen; /* committed directory generation; 0: nothing committed yet */
	struct sf_entry *ents;
	size_t count;
};

/* Identity of an object version as last written/read by us (to notice outside changes:
 * another version committed, or the file itself replaced or edited). */
struct sf_sig {
	uint64_t file_no;
	uint8_t tag[SF_TAG_LEN];
	dev_t dev;
	ino_t ino;
	off_t size;
	int64_t mtime_ns;
};

/* Loads (or creates, atomically, 0600) <state_dir>/device.key and rpmb.img and prepares
 * <state_dir>/storage: removes what interrupted updates left, migrates TA directories
 * of the format without rollback protection. */
/* store: closed (state_fd/root_fd/rpmb.dirfd -1) or used before (it is closed first). */
int storage__file_init(struct sf_store *store, const char *state_dir);
void storage__file_fini(struct sf_store *store);

/* Takes the storage lock, derives the TA's key, opens (create: creates) its directory
 * and loads its directory file, checked against the RPMB record (-EBADMSG if it does
 * not match: rollback or tampering). -ENOENT if the TA has no storage and !create.
 * On failure sta is left closed; storage__ta_close() is safe on it either way. */
int storage__ta_open(struct sf_store *store, struct sf_ta *ta, const uint8_t uuid[SF_UUID_LEN],
		     bool create);
void storage__ta_close(struct sf_ta *ta);

/* An object's plaintext is meta_len bytes of attribute section (key objects; opaque
 * here, at most SF_META_MAX) followed by its data; len counts both.
 * Reads and authenticates an object. *data is malloc'ed (never NULL on success).
 * -ENOENT if absent, -EBADMSG if corrupt, an older version, or its file is missing. */
int storage__obj_load(struct sf_ta *ta, const uint8_t *id, size_t id_len, uint32_t *type,
		      size_t *meta_len, uint8_t **data, size_t *len, struct sf_sig *sig);
/* Atomically replaces (or, exclusive: creates; -EEXIST if present) an object.
 * Each of these updates commits exactly once, in the RPMB (commit protocol: STORAGE.md). */
int storage__obj_store(struct sf_ta *ta, const uint8_t *id, size_t id_len, uint32_t type,
		       size_t meta_len, const uint8_t *data, size_t len, bool exclusive,
		       struct sf_sig *sig);
int storage__obj_remove(struct sf_ta *ta, const uint8_t *id, size_t id_len);
/* Atomic rename (re-encrypts for the new id); -EEXIST if the new id exists. */
int storage__obj_rename(struct sf_ta *ta, const uint8_t *old_id, size_t old_len,
			const uint8_t *new_id, size_t new_len, uint32_t type, size_t meta_len,
			const uint8_t *data, size_t len, struct sf_sig *sig);
/* Current signature of the object; -ENOENT if not in the directory, -EBADMSG if its file
 * is missing. */
int storage__obj_stat(struct sf_ta *ta, const uint8_t *id, size_t id_len, struct sf_sig *sig);
bool storage__sig_equal(const struct sf_sig *a, const struct sf_sig *b);

/* Lists object ids of a TA (from its directory).
 * *ids is an array of *count entries of {len, bytes}; free() it. */
struct sf_id {
	uint32_t len;
	uint8_t bytes[SF_ID_MAX];
};
int storage__obj_list(struct sf_ta *ta, struct sf_id **ids, size_t *count);

/* Name of the file holding the object's committed version (tests use it to tamper). */
int storage__obj_file_name(const struct sf_ta *ta, const uint8_t *id, size_t id_len,
			   char name[SF_NAME_MAX]);

#endif
