/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Secure storage at rest: the operations on a TA's objects (storage_file.h) and the commit
 * protocol that anchors every update in the emulated RPMB (storage_rpmb.c). The pieces:
 * storage_objfile.c (keys, sealing, object files), storage_dir.c (the TA directory, the
 * commit, the storage lock), storage_init.c (device key, start-up clean-up and migration),
 * storage_io.c (durable file primitives).
 *
 * Layout under $TZM_STATE_DIR:
 *   device.key                        32 random bytes, 0600, created atomically
 *   rpmb.img                          emulated RPMB: per TA, generation + SHA-256 of its
 *                                     committed directory file (storage_rpmb.c)
 *   storage/<ta-uuid>/dir.<0|1>.tzd   the TA's directory, generation g in dir.<g % 2>.tzd
 *                                     (format: storage_dir.c)
 *   storage/<ta-uuid>/<16 hex>.tzo    one file per object version (random file number;
 *                                     format: storage_objfile.c)
 *   storage/<ta-uuid>/<name>.tmp       writes in flight; removed at start-up
 * Before rollback protection (still read once, to migrate: storage_init.c):
 * storage/<ta-uuid>/<hex(id)>.obj and rename.jnl.
 *
 * Commit protocol (every create, write, truncate, rename, delete): write the new object
 * file under a fresh number (fsync); write the directory of generation g+1 into the slot
 * g holds not (temp file, fsync, rename, fsync of the directory); then the commit point:
 * the RPMB record of the TA := (g+1, hash), itself an atomic file replacement; then the
 * superseded object file is removed. A crash before the commit point leaves generation g
 * and all its files untouched (the new files are unreferenced and removed at start-up);
 * after it, generation g+1 complete. Both pass the rollback check.
 * All of this runs under an exclusive flock on the state directory, so two cores sharing
 * a state directory serialise their updates and start-up clean-up.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "storage_file_priv.h"

bool storage__sig_equal(const struct sf_sig *a, const struct sf_sig *b)
{
	return a->file_no == b->file_no && memcmp(a->tag, b->tag, SF_TAG_LEN) == 0 &&
	       a->dev == b->dev && a->ino == b->ino && a->size == b->size &&
	       a->mtime_ns == b->mtime_ns;
}

static int entry_sig(const struct sf_ta *ta, const struct sf_entry *e, struct sf_sig *sig)
{
	char name[SF_NAME_MAX];
	struct stat st;

	storage__objfile_name(e->file_no, name);
	if (fstatat(ta->dirfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0) {
		/* Listed in the authentic directory but gone: deleted behind our back. */
		return errno == ENOENT ? -EBADMSG : -errno;
	}
	memset(sig, 0, sizeof(*sig));
	sig->file_no = e->file_no;
	memcpy(sig->tag, e->tag, SF_TAG_LEN);
	storage__sig_from_stat(&st, sig);
	return 0;
}

int storage__obj_stat(struct sf_ta *ta, const uint8_t *id, size_t id_len, struct sf_sig *sig)
{
	long i = storage__find_entry(ta, id, id_len);

	return i < 0 ? -ENOENT : entry_sig(ta, &ta->ents[i], sig);
}

int storage__obj_file_name(const struct sf_ta *ta, const uint8_t *id, size_t id_len,
			   char name[SF_NAME_MAX])
{
	long i = storage__find_entry(ta, id, id_len);

	if (i < 0) {
		return -ENOENT;
	}
	storage__objfile_name(ta->ents[i].file_no, name);
	return 0;
}

int storage__obj_load(struct sf_ta *ta, const uint8_t *id, size_t id_len, uint32_t *type,
		      size_t *meta_len, uint8_t **data, size_t *len, struct sf_sig *sig)
{
	char name[SF_NAME_MAX];
	struct stat st;
	const struct sf_entry *e = NULL;
	long i = storage__find_entry(ta, id, id_len);
	int rc = 0;

	if (i < 0) {
		return -ENOENT;
	}
	e = &ta->ents[i];
	storage__objfile_name(e->file_no, name);
	rc = storage__load_obj_file(ta, name, id, id_len, e->tag, type, meta_len, data, len, &st);
	if (rc < 0) {
		return rc == -ENOENT ? -EBADMSG : rc;
	}
	memset(sig, 0, sizeof(*sig));
	sig->file_no = e->file_no;
	memcpy(sig->tag, e->tag, SF_TAG_LEN);
	storage__sig_from_stat(&st, sig);
	return 0;
}

/*
 * Seals data as object `id` into a new file and commits a directory whose entry `slot`
 * (a new last entry if slot < 0) names it. The file it replaces is removed after the
 * commit; the new file is removed if the commit fails.
 */
static int store_entry(struct sf_ta *ta, long slot, const uint8_t *id, size_t id_len, uint32_t type,
		       size_t meta_len, const uint8_t *data, size_t len, struct sf_sig *sig)
{
	struct sf_entry e;
	struct sf_entry *ents = NULL;
	size_t count = ta->count;
	uint64_t old_file = 0;
	int rc = storage__write_obj_file(ta, id, id_len, type, meta_len, data, len, &e);

	if (rc < 0) {
		return rc;
	}
	ents = storage__copy_entries(ta);
	if (!ents) {
		rc = -ENOMEM;
		goto fail;
	}
	if (slot >= 0) {
		old_file = ents[slot].file_no;
		ents[slot] = e;
	} else {
		ents[count++] = e;
	}
	rc = storage__commit_dir(ta, ents, count);
	if (rc < 0) {
		goto fail;
	}
	if (slot >= 0) {
		storage__remove_obj_file(ta, old_file);
	}
	return entry_sig(ta, &e, sig);
fail:
	free(ents);
	storage__remove_obj_file(ta, e.file_no);
	return rc;
}

int storage__obj_store(struct sf_ta *ta, const uint8_t *id, size_t id_len, uint32_t type,
		       size_t meta_len, const uint8_t *data, size_t len, bool exclusive,
		       struct sf_sig *sig)
{
	long i = storage__find_entry(ta, id, id_len);

	if (i >= 0 && exclusive) {
		return -EEXIST;
	}
	if (i < 0 && ta->count >= SF_DIR_MAX_ENTRIES) {
		return -ENOSPC;
	}
	return store_entry(ta, i, id, id_len, type, meta_len, data, len, sig);
}

int storage__obj_remove(struct sf_ta *ta, const uint8_t *id, size_t id_len)
{
	struct sf_entry *ents = NULL;
	long i = storage__find_entry(ta, id, id_len);
	uint64_t old_file = 0;
	int rc = 0;

	if (i < 0) {
		return -ENOENT;
	}
	ents = storage__copy_entries(ta);
	if (!ents) {
		return -ENOMEM;
	}
	old_file = ents[i].file_no;
	ents[i] = ents[ta->count - 1];
	rc = storage__commit_dir(ta, ents, ta->count - 1);
	if (rc < 0) {
		free(ents);
		return rc;
	}
	storage__remove_obj_file(ta, old_file);
	return 0;
}

/* Re-seals the data for the new id (the id is in the AAD); one commit like any update. */
int storage__obj_rename(struct sf_ta *ta, const uint8_t *old_id, size_t old_len,
			const uint8_t *new_id, size_t new_len, uint32_t type, size_t meta_len,
			const uint8_t *data, size_t len, struct sf_sig *sig)
{
	long i = storage__find_entry(ta, old_id, old_len);

	if (old_len > SF_ID_MAX || new_len > SF_ID_MAX) {
		return -EINVAL;
	}
	if (storage__find_entry(ta, new_id, new_len) >= 0) {
		return -EEXIST;
	}
	if (i < 0) {
		return -EBADMSG; /* open, yet gone from the directory */
	}
	return store_entry(ta, i, new_id, new_len, type, meta_len, data, len, sig);
}

int storage__obj_list(struct sf_ta *ta, struct sf_id **ids, size_t *count)
{
	struct sf_id *arr = calloc(ta->count + 1, sizeof(*arr));

	if (!arr) {
		return -ENOMEM;
	}
	for (size_t i = 0; i < ta->count; i++) {
		arr[i].len = ta->ents[i].id_len;
		memcpy(arr[i].bytes, ta->ents[i].id, ta->ents[i].id_len);
	}
	*ids = arr;
	*count = ta->count;
	return 0;
}
