/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Keys, sealing and the object file format of the at-rest storage (storage_file.h).
 *
 * Object file (all integers little-endian; version 1 = a data object, version 2 = a key
 * object whose plaintext starts with its attribute section):
 *
 *    0        4        6        8          12         16                 24
 *   +--------+--------+--------+----------+----------+------------------+
 *   | "TZSO" | ver    | hlen=52| obj type | meta len | data length (u64)|
 *   +--------+--------+--------+----------+----------+------------------+
 *   24                          36                                      52
 *   +---------------------------+---------------------------------------+
 *   | IV (96 bits, fresh/write) | AES-256-GCM tag (128 bits)            |
 *   +---------------------------+---------------------------------------+
 *   52
 *   +-------------------------------------------------------------------+
 *   | ciphertext (data length bytes)                                    |
 *   +-------------------------------------------------------------------+
 * "data length" counts the whole plaintext; its first "meta len" bytes (0 in version 1,
 * at least 1 in version 2, at most SF_META_MAX) are the key object's attribute section,
 * which this layer does not interpret (storage_keyobj.c builds and checks it).
 *
 * Key: HKDF-SHA256(ikm = device key, salt = "tzmediator storage v1",
 *                  info = "tzm-storage-ta-key" || TA UUID (16 bytes, RFC 4122 order)).
 * AAD: bytes 0..35 of the header || TA UUID || id length (1 byte) || id bytes, so a file
 * moved to another id or another TA, or any header byte changed, fails authentication.
 * The file size must be exactly 52 + data length.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/rand.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "storage_file_priv.h"
#include "tee_storage_msg.h"

#define SF_MAGIC "TZSO"
#define SF_VERSION 1u
#define SF_VERSION_KEY 2u
#define SF_OBJ_EXT ".tzo"

/* HKDF-SHA256(device key, salt "tzmediator storage v1", info label || ctx). */
int storage__derive_key(struct sf_store *store, const char *label, const uint8_t *ctx,
			size_t ctx_len, uint8_t out[SF_KEY_LEN])
{
	static const char salt[] = "tzmediator storage v1";
	uint8_t info[64];
	size_t label_len = strlen(label);
	size_t out_len = SF_KEY_LEN;
	int rc = -EIO;
	EVP_PKEY_CTX *pctx = NULL;

	if (label_len + ctx_len > sizeof(info)) {
		return -EINVAL;
	}
	memcpy(info, label, label_len);
	if (ctx_len > 0) {
		memcpy(info + label_len, ctx, ctx_len);
	}
	pctx = EVP_PKEY_CTX_new_id(EVP_PKEY_HKDF, NULL);
	if (!pctx || EVP_PKEY_derive_init(pctx) <= 0 ||
	    EVP_PKEY_CTX_set_hkdf_md(pctx, EVP_sha256()) <= 0 ||
	    EVP_PKEY_CTX_set1_hkdf_salt(pctx, (const unsigned char *)salt,
					(int)(sizeof(salt) - 1)) <= 0 ||
	    EVP_PKEY_CTX_set1_hkdf_key(pctx, store->device_key, SF_KEY_LEN) <= 0 ||
	    EVP_PKEY_CTX_add1_hkdf_info(pctx, info, (int)(label_len + ctx_len)) <= 0 ||
	    EVP_PKEY_derive(pctx, out, &out_len) <= 0 || out_len != SF_KEY_LEN) {
		goto out;
	}
	rc = 0;
out:
	EVP_PKEY_CTX_free(pctx);
	return rc;
}

/* AES-256-GCM with the TA key; AAD = hdr[0..36) || TA UUID [|| id length || id]. */
int storage__gcm(bool enc, const struct sf_ta *ta, const uint8_t *hdr, bool bind_id,
		 const uint8_t *id, size_t id_len, const uint8_t *in, size_t len, uint8_t *out,
		 uint8_t *tag)
{
	uint8_t idl = (uint8_t)id_len;
	int n = 0;
	int rc = -EIO;
	EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();

	if (!c || len > INT_MAX ||
	    EVP_CipherInit_ex(c, EVP_aes_256_gcm(), NULL, NULL, NULL, enc) != 1 ||
	    EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_SET_IVLEN, SF_IV_LEN, NULL) != 1 ||
	    EVP_CipherInit_ex(c, NULL, NULL, ta->key, hdr + SF_IV_OFF, enc) != 1 ||
	    EVP_CipherUpdate(c, NULL, &n, hdr, SF_AAD_HDR_LEN) != 1 ||
	    EVP_CipherUpdate(c, NULL, &n, ta->uuid, SF_UUID_LEN) != 1 ||
	    (bind_id && EVP_CipherUpdate(c, NULL, &n, &idl, 1) != 1) ||
	    (bind_id && id_len > 0 && EVP_CipherUpdate(c, NULL, &n, id, (int)id_len) != 1) ||
	    (len > 0 && EVP_CipherUpdate(c, out, &n, in, (int)len) != 1)) {
		goto out;
	}
	if (!enc && EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_SET_TAG, SF_TAG_LEN, tag) != 1) {
		goto out;
	}
	if (EVP_CipherFinal_ex(c, out + len, &n) != 1) {
		rc = enc ? -EIO : -EBADMSG;
		goto out;
	}
	if (enc && EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_GET_TAG, SF_TAG_LEN, tag) != 1) {
		goto out;
	}
	rc = 0;
out:
	EVP_CIPHER_CTX_free(c);
	return rc;
}

int storage__sha256(const uint8_t *buf, size_t len, uint8_t out[SF_HASH_LEN])
{
	unsigned int n = 0;

	if (EVP_Digest(buf, len, out, &n, EVP_sha256(), NULL) != 1 || n != SF_HASH_LEN) {
		return -EIO;
	}
	return 0;
}

void storage__objfile_name(uint64_t file_no, char name[SF_NAME_MAX])
{
	snprintf(name, SF_NAME_MAX, "%016" PRIx64 SF_OBJ_EXT, file_no);
}

/* Parses "<16 hex>.tzo"; false for anything else. */
bool storage__parse_objfile_name(const char *name, uint64_t *file_no)
{
	uint64_t v = 0;

	if (strlen(name) != 16 + strlen(SF_OBJ_EXT) || strcmp(name + 16, SF_OBJ_EXT) != 0) {
		return false;
	}
	for (size_t i = 0; i < 16; i++) {
		char c = name[i];

		if (c >= '0' && c <= '9') {
			v = v << 4 | (uint64_t)(c - '0');
		} else if (c >= 'a' && c <= 'f') {
			v = v << 4 | (uint64_t)(c - 'a' + 10);
		} else {
			return false;
		}
	}
	*file_no = v;
	return true;
}

/* Encrypts an object into a complete file image (header + ciphertext). */
static int seal_obj(const struct sf_ta *ta, const uint8_t *id, size_t id_len, uint32_t type,
		    size_t meta_len, const uint8_t *data, size_t len, uint8_t **out,
		    size_t *out_len)
{
	uint8_t *file = NULL;
	int rc = 0;

	if (id_len > SF_ID_MAX || meta_len > SF_META_MAX || meta_len > len ||
	    len - meta_len > TSM_MAX_OBJECT_SIZE) {
		return -EINVAL;
	}
	file = malloc(SF_HDR_LEN + len + 16); /* + a block of slack for the final call */
	if (!file) {
		return -ENOMEM;
	}
	memcpy(file, SF_MAGIC, 4);
	storage__put_le16(file + 4, meta_len ? SF_VERSION_KEY : SF_VERSION);
	storage__put_le16(file + 6, SF_HDR_LEN);
	storage__put_le32(file + 8, type);
	storage__put_le32(file + 12, (uint32_t)meta_len);
	storage__put_le64(file + 16, len);
	if (RAND_bytes(file + SF_IV_OFF, SF_IV_LEN) != 1) {
		rc = -EIO;
		goto out;
	}
	rc = storage__gcm(true, ta, file, true, id, id_len, data, len, file + SF_HDR_LEN,
			  file + SF_TAG_OFF);
out:
	if (rc < 0) {
		free(file);
		return rc;
	}
	*out = file;
	*out_len = SF_HDR_LEN + len;
	return 0;
}

void storage__sig_from_stat(const struct stat *st, struct sf_sig *sig)
{
	sig->dev = st->st_dev;
	sig->ino = st->st_ino;
	sig->size = st->st_size;
	sig->mtime_ns = (int64_t)st->st_mtim.tv_sec * 1000000000 + st->st_mtim.tv_nsec;
}

/* Reads and authenticates the object file `name` as object `id`; want_tag (if not NULL)
 * must be its GCM tag. -ENOENT if the file is absent. */
int storage__load_obj_file(const struct sf_ta *ta, const char *name, const uint8_t *id,
			   size_t id_len, const uint8_t *want_tag, uint32_t *type, size_t *meta_len,
			   uint8_t **data, size_t *len, struct stat *st)
{
	uint8_t *file = NULL;
	uint8_t *plain = NULL;
	uint64_t data_len = 0;
	uint32_t meta = 0;
	size_t file_len = 0;
	int rc = storage__read_sealed_file(ta->dirfd, name,
					   SF_HDR_LEN + SF_META_MAX + TSM_MAX_OBJECT_SIZE, st,
					   &file, &plain, &file_len);

	if (rc < 0) {
		return rc;
	}
	data_len = storage__get_le64(file + 16);
	meta = storage__get_le32(file + 12);
	if (memcmp(file, SF_MAGIC, 4) != 0 || file[5] != 0 || file[6] != SF_HDR_LEN ||
	    file[7] != 0 || !(file[4] == SF_VERSION ? meta == 0 : file[4] == SF_VERSION_KEY) ||
	    (file[4] == SF_VERSION_KEY && (meta == 0 || meta > SF_META_MAX)) ||
	    data_len != file_len - SF_HDR_LEN || meta > data_len ||
	    data_len - meta > TSM_MAX_OBJECT_SIZE ||
	    (want_tag && CRYPTO_memcmp(file + SF_TAG_OFF, want_tag, SF_TAG_LEN) != 0)) {
		rc = -EBADMSG;
		goto out;
	}
	rc = storage__gcm(false, ta, file, true, id, id_len, file + SF_HDR_LEN, (size_t)data_len,
			  plain, file + SF_TAG_OFF);
	if (rc < 0) {
		goto out;
	}
	*type = storage__get_le32(file + 8);
	*meta_len = meta;
	*data = plain;
	*len = (size_t)data_len;
	plain = NULL;
out:
	if (plain) {
		OPENSSL_cleanse(plain, file_len - SF_HDR_LEN);
	}
	free(plain);
	free(file);
	return rc;
}

/* Seals an object into a new file under a fresh random number; *e describes it. */
int storage__write_obj_file(const struct sf_ta *ta, const uint8_t *id, size_t id_len, uint32_t type,
			    size_t meta_len, const uint8_t *data, size_t len, struct sf_entry *e)
{
	char name[SF_NAME_MAX];
	uint8_t *file = NULL;
	size_t file_len = 0;
	int fd = -1;
	int rc = seal_obj(ta, id, id_len, type, meta_len, data, len, &file, &file_len);

	if (rc < 0) {
		return rc;
	}
	memset(e, 0, sizeof(*e));
	for (int tries = 0; fd < 0 && tries < 8; tries++) {
		if (RAND_bytes((uint8_t *)&e->file_no, sizeof(e->file_no)) != 1) {
			rc = -EIO;
			goto out;
		}
		storage__objfile_name(e->file_no, name);
		fd = openat(ta->dirfd, name, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW,
			    0600);
		if (fd < 0 && errno != EEXIST) {
			rc = -errno;
			goto out;
		}
	}
	if (fd < 0) {
		rc = -EEXIST;
		goto out;
	}
	rc = storage__fill_new_file(ta->dirfd, name, fd, file, file_len);
	if (rc < 0) {
		goto out;
	}
	memcpy(e->tag, file + SF_TAG_OFF, SF_TAG_LEN);
	e->id_len = (uint32_t)id_len;
	memcpy(e->id, id, id_len);
out:
	free(file);
	return rc;
}

void storage__remove_obj_file(const struct sf_ta *ta, uint64_t file_no)
{
	char name[SF_NAME_MAX];

	storage__objfile_name(file_no, name);
	unlinkat(ta->dirfd, name, 0);
}
