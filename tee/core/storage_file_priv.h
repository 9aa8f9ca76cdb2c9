/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Internals shared by the files of the at-rest storage layer (storage_file.h): the
 * durable file primitives (storage_io.c), keys and sealing and the object file
 * (storage_objfile.c), the directory and its commit (storage_dir.c). Only those files,
 * storage_init.c and storage_rpmb.c include this.
 *
 * Names: types and constants of the layer are sf_ / SF_; functions used across its files
 * are storage__*, like the layer's API; functions of one file are static, unprefixed.
 */
#ifndef TZM_STORAGE_FILE_PRIV_H
#define TZM_STORAGE_FILE_PRIV_H

#include <assert.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>

#include "storage_file.h"
#include "tee_storage_msg.h"

/* Header shared by the object and directory files (diagrams: storage_objfile.c and
 * storage_dir.c): 36 authenticated bytes ending with the IV, then the GCM tag. */
#define SF_HDR_LEN 52u
#define SF_AAD_HDR_LEN 36u
#define SF_IV_OFF 24u
#define SF_IV_LEN 12u
#define SF_TAG_OFF 36u
/* Objects per TA: the directory is rewritten whole on every update, so it stays bounded
 * (65536 entries = 5.75 MiB). More → TEE_ERROR_STORAGE_NO_SPACE. */
#define SF_DIR_MAX_ENTRIES 65536u

static_assert(SF_ID_MAX == TSM_ID_MAX, "id limits agree");
static_assert(SF_TAG_OFF + SF_TAG_LEN == SF_HDR_LEN, "header layout");
static_assert(SF_IV_OFF + SF_IV_LEN == SF_AAD_HDR_LEN, "header layout");

/* ---- little-endian fields of the on-disk formats ---- */
static inline void storage__put_le16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static inline void storage__put_le32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++) {
		p[i] = (uint8_t)(v >> (8 * i));
	}
}

static inline void storage__put_le64(uint8_t *p, uint64_t v)
{
	for (int i = 0; i < 8; i++) {
		p[i] = (uint8_t)(v >> (8 * i));
	}
}

static inline uint32_t storage__get_le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static inline uint64_t storage__get_le64(const uint8_t *p)
{
	uint64_t v = 0;

	for (int i = 7; i >= 0; i--) {
		v = v << 8 | p[i];
	}
	return v;
}

/* ---- durable file primitives (storage_io.c) ---- */
/* Reads exactly len bytes; a file that ends early is -EBADMSG (it shrank: corrupt). */
int storage__read_all(int fd, uint8_t *buf, size_t len);
/*
 * Reads the sealed file dirfd/name whole, without following a symlink (one planted in
 * place of ours is not ours: -EBADMSG): a regular file of SF_HDR_LEN..max_len bytes, else
 * -EBADMSG. On success *file holds its *file_len bytes and *plain is a buffer for its
 * decrypted body (*file_len - SF_HDR_LEN + 1 bytes), both the caller's to free; *st is
 * its stat. -ENOENT if absent, another -errno otherwise; nothing is held on failure.
 */
int storage__read_sealed_file(int dirfd, const char *name, size_t max_len, struct stat *st,
			      uint8_t **file, uint8_t **plain, size_t *file_len);
/* Fills fd, a file just created as dirfd/name, with buf, syncs and closes it; on failure
 * the file is removed. */
int storage__fill_new_file(int dirfd, const char *name, int fd, const uint8_t *buf, size_t len);
/* Writes buf to a fresh temp file "<base>.<random>.tmp" in dirfd and fsyncs it; tmp
 * receives its name. */
int storage__write_temp(int dirfd, const char *base, const uint8_t *buf, size_t len,
			char tmp[SF_NAME_MAX + 16]);
int storage__sync_dir(int dirfd);
/* Atomically replaces dirfd/name with buf: temp file, fsync, rename, fsync of dirfd. */
int storage__replace_file(int dirfd, const char *name, const uint8_t *buf, size_t len);

/* ---- keys, sealing, object files (storage_objfile.c) ---- */
/* HKDF-SHA256(device key, salt "tzmediator storage v1", info label || ctx). */
int storage__derive_key(struct sf_store *store, const char *label, const uint8_t *ctx,
			size_t ctx_len, uint8_t out[SF_KEY_LEN]);
/* AES-256-GCM with the TA key; AAD = hdr[0..36) || TA UUID [|| id length || id]. */
int storage__gcm(bool enc, const struct sf_ta *ta, const uint8_t *hdr, bool bind_id,
		 const uint8_t *id, size_t id_len, const uint8_t *in, size_t len, uint8_t *out,
		 uint8_t *tag);
int storage__sha256(const uint8_t *buf, size_t len, uint8_t out[SF_HASH_LEN]);
/* "<16 hex>.tzo", and its parser (false for anything else). */
void storage__objfile_name(uint64_t file_no, char name[SF_NAME_MAX]);
bool storage__parse_objfile_name(const char *name, uint64_t *file_no);
void storage__sig_from_stat(const struct stat *st, struct sf_sig *sig);
/* Reads and authenticates the object file `name` as object `id`; want_tag (if not NULL)
 * must be its GCM tag. -ENOENT if the file is absent. */
int storage__load_obj_file(const struct sf_ta *ta, const char *name, const uint8_t *id,
			   size_t id_len, const uint8_t *want_tag, uint32_t *type, size_t *meta_len,
			   uint8_t **data, size_t *len, struct stat *st);
/* Seals an object into a new file under a fresh random number; *e describes it. */
int storage__write_obj_file(const struct sf_ta *ta, const uint8_t *id, size_t id_len, uint32_t type,
			    size_t meta_len, const uint8_t *data, size_t len, struct sf_entry *e);
void storage__remove_obj_file(const struct sf_ta *ta, uint64_t file_no);

/* ---- the TA directory and the storage lock (storage_dir.c) ---- */
/* The storage lock (flock of the state directory), recursive within the process. */
int storage__lock(struct sf_store *store);
void storage__unlock(struct sf_store *store);
/* Makes ents (malloc'ed, count entries) the TA's next generation; takes ownership of ents
 * on success. */
int storage__commit_dir(struct sf_ta *ta, struct sf_entry *ents, size_t count);
/* Index of the entry of id in the TA's directory, -1 if none. */
long storage__find_entry(const struct sf_ta *ta, const uint8_t *id, size_t id_len);
/* A copy of the TA's entries with room for one more. */
struct sf_entry *storage__copy_entries(const struct sf_ta *ta);

#endif
