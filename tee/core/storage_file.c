/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Secure storage at rest: device key, per-TA keys, object and directory files, and the
 * commit protocol that anchors every update in the emulated RPMB (storage_rpmb.c).
 *
 * Layout under $TZM_STATE_DIR:
 *   device.key                        32 random bytes, 0600, created atomically
 *   rpmb.img                          emulated RPMB: per TA, generation + SHA-256 of its
 *                                     committed directory file (storage_rpmb.c)
 *   storage/<ta-uuid>/dir.<0|1>.tzd   the TA's directory, generation g in dir.<g % 2>.tzd
 *   storage/<ta-uuid>/<16 hex>.tzo    one file per object version (random file number)
 *   storage/<ta-uuid>/<name>.tmp       writes in flight; removed at start-up
 * Before rollback protection (still read once, to migrate): storage/<ta-uuid>/<hex(id)>.obj
 * and rename.jnl.
 *
 * Object file (all integers little-endian; the same format as before):
 *
 *    0        4        6        8          12         16                 24
 *   +--------+--------+--------+----------+----------+------------------+
 *   | "TZSO" | ver=1  | hlen=52| obj type | reserved | data length (u64)|
 *   +--------+--------+--------+----------+----------+------------------+
 *   24                          36                                      52
 *   +---------------------------+---------------------------------------+
 *   | IV (96 bits, fresh/write) | AES-256-GCM tag (128 bits)            |
 *   +---------------------------+---------------------------------------+
 *   52
 *   +-------------------------------------------------------------------+
 *   | ciphertext (data length bytes)                                    |
 *   +-------------------------------------------------------------------+
 *
 * Key: HKDF-SHA256(ikm = device key, salt = "tzmediator storage v1",
 *                  info = "tzm-storage-ta-key" || TA UUID (16 bytes, RFC 4122 order)).
 * AAD: bytes 0..35 of the header || TA UUID || id length (1 byte) || id bytes, so a file
 * moved to another id or another TA, or any header byte changed, fails authentication.
 * The file size must be exactly 52 + data length.
 *
 * Directory file (same key; sealed as a whole):
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
#include "storage_file.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/rand.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "storage_rpmb.h"
#include "tee_storage_msg.h"
#include "uuid.h"

#define SF_MAGIC "TZSO"
#define SF_VERSION 1u
#define SF_HDR_LEN 52u
#define SF_AAD_HDR_LEN 36u
#define SF_IV_OFF 24u
#define SF_IV_LEN 12u
#define SF_TAG_OFF 36u
#define SF_DIR_MAGIC "TZSD"
#define SF_DIR_VERSION 1u
#define SF_ENT_LEN 92u
/* Objects per TA: the directory is rewritten whole on every update, so it stays bounded
 * (65536 entries = 5.75 MiB). More → TEE_ERROR_STORAGE_NO_SPACE. */
#define SF_DIR_MAX_ENTRIES 65536u
#define SF_OBJ_EXT ".tzo"
/* Pre-rollback-protection layout, only read to migrate it. */
#define SF_V1_JOURNAL "rename.jnl"
#define SF_V1_JOURNAL_LEN (2u * (1u + SF_ID_MAX))

static_assert(SF_ID_MAX == TSM_ID_MAX, "id limits agree");
static_assert(SF_TAG_OFF + SF_TAG_LEN == SF_HDR_LEN, "header layout");
static_assert(SF_IV_OFF + SF_IV_LEN == SF_AAD_HDR_LEN, "header layout");
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

/* Reads (out: writes) exactly len bytes, retrying after signals. A read that ends early
 * means the file shrank under us: -EBADMSG (corrupt). */
static int transfer_all(int fd, uint8_t *buf, const uint8_t *out, size_t len)
{
	while (len > 0) {
		ssize_t n = out ? write(fd, out, len) : read(fd, buf, len);

		if (n < 0) {
			if (errno == EINTR) {
				continue;
			}
			return -errno;
		}
		if (n == 0) {
			return out ? -EIO : -EBADMSG;
		}
		if (out) {
			out += n;
		} else {
			buf += n;
		}
		len -= (size_t)n;
	}
	return 0;
}

static int write_all(int fd, const uint8_t *buf, size_t len)
{
	return transfer_all(fd, NULL, buf, len);
}

int sf_read_all(int fd, uint8_t *buf, size_t len)
{
	return transfer_all(fd, buf, NULL, len);
}

/* Fills fd, a file just created as dirfd/name, with buf, syncs and closes it; on failure
 * the file is removed. */
static int fill_new_file(int dirfd, const char *name, int fd, const uint8_t *buf, size_t len)
{
	int rc = write_all(fd, buf, len);

	if (rc == 0 && fsync(fd) < 0) {
		rc = -errno;
	}
	if (close(fd) < 0 && rc == 0) {
		rc = -errno;
	}
	if (rc < 0) {
		unlinkat(dirfd, name, 0);
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

static void obj_file_name(uint64_t file_no, char name[SF_NAME_MAX])
{
	snprintf(name, SF_NAME_MAX, "%016" PRIx64 SF_OBJ_EXT, file_no);
}

/* Parses "<16 hex>.tzo"; false for anything else. */
static bool parse_obj_file_name(const char *name, uint64_t *file_no)
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

static void dir_slot_name(uint64_t gen, char name[16])
{
	snprintf(name, 16, "dir.%u.tzd", (unsigned int)(gen & 1));
}

static bool has_suffix(const char *name, const char *suffix)
{
	size_t n = strlen(name);
	size_t s = strlen(suffix);

	return n >= s && strcmp(name + n - s, suffix) == 0;
}

static int random_suffix(char out[9])
{
	uint8_t r[4];

	if (RAND_bytes(r, sizeof(r)) != 1) {
		return -EIO;
	}
	snprintf(out, 9, "%02x%02x%02x%02x", r[0], r[1], r[2], r[3]);
	return 0;
}

/* Writes buf to a fresh temp file in dirfd and fsyncs it; tmp receives its name. */
static int write_temp(int dirfd, const char *base, const uint8_t *buf, size_t len,
		      char tmp[SF_NAME_MAX + 16])
{
	char sfx[9];
	int fd = -1;
	int rc = random_suffix(sfx);

	if (rc < 0) {
		return rc;
	}
	snprintf(tmp, SF_NAME_MAX + 16, "%s.%s.tmp", base, sfx);
	fd = openat(dirfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0) {
		return -errno;
	}
	return fill_new_file(dirfd, tmp, fd, buf, len);
}

static int sync_dir(int dirfd)
{
	return fsync(dirfd) < 0 ? -errno : 0;
}

int sf_replace_file(int dirfd, const char *name, const uint8_t *buf, size_t len)
{
	char tmp[SF_NAME_MAX + 16];
	int rc = write_temp(dirfd, name, buf, len, tmp);

	if (rc < 0) {
		return rc;
	}
	if (renameat(dirfd, tmp, dirfd, name) < 0) {
		rc = -errno;
		unlinkat(dirfd, tmp, 0);
		return rc;
	}
	/* The rename is done, so the replacement has happened for every later reader: report
	 * it as such even if making it durable failed (a power cut may then undo it). */
	if (sync_dir(dirfd) < 0) {
		fprintf(stderr, "tzm-teed: storage: fsync of the directory of %s failed\n", name);
	}
	return 0;
}

/* ---- the storage lock: one update or recovery at a time per state directory ---- */

static int lock_storage(struct sf_store *store)
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

static void unlock_storage(struct sf_store *store)
{
	if (store->lock_depth > 0 && --store->lock_depth == 0) {
		flock(store->state_fd, LOCK_UN);
	}
}

/* ---- keys ---- */

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
	rc = sf_read_all(fd, store->device_key, SF_KEY_LEN);
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
	rc = write_temp(state_fd, "device.key", key, sizeof(key), tmp);
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
		rc = sync_dir(state_fd);
	}
	return rc;
}

/* HKDF-SHA256(device key, salt "tzmediator storage v1", info label || ctx). */
static int derive_key(struct sf_store *store, const char *label, const uint8_t *ctx, size_t ctx_len,
		      uint8_t out[SF_KEY_LEN])
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

/* ---- sealing ---- */

/* AES-256-GCM with the TA key; AAD = hdr[0..36) || TA UUID [|| id length || id]. */
static int gcm(bool enc, const struct sf_ta *ta, const uint8_t *hdr, bool bind_id,
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

static int sha256(const uint8_t *buf, size_t len, uint8_t out[SF_HASH_LEN])
{
	unsigned int n = 0;

	if (EVP_Digest(buf, len, out, &n, EVP_sha256(), NULL) != 1 || n != SF_HASH_LEN) {
		return -EIO;
	}
	return 0;
}

/* Encrypts an object into a complete file image (header + ciphertext). */
static int seal_obj(const struct sf_ta *ta, const uint8_t *id, size_t id_len, uint32_t type,
		    const uint8_t *data, size_t len, uint8_t **out, size_t *out_len)
{
	uint8_t *file = NULL;
	int rc = 0;

	if (id_len > SF_ID_MAX || len > TSM_MAX_OBJECT_SIZE) {
		return -EINVAL;
	}
	file = malloc(SF_HDR_LEN + len + 16); /* + a block of slack for the final call */
	if (!file) {
		return -ENOMEM;
	}
	memcpy(file, SF_MAGIC, 4);
	sf_put_le16(file + 4, SF_VERSION);
	sf_put_le16(file + 6, SF_HDR_LEN);
	sf_put_le32(file + 8, type);
	sf_put_le32(file + 12, 0);
	sf_put_le64(file + 16, len);
	if (RAND_bytes(file + SF_IV_OFF, SF_IV_LEN) != 1) {
		rc = -EIO;
		goto out;
	}
	rc = gcm(true, ta, file, true, id, id_len, data, len, file + SF_HDR_LEN, file + SF_TAG_OFF);
out:
	if (rc < 0) {
		free(file);
		return rc;
	}
	*out = file;
	*out_len = SF_HDR_LEN + len;
	return 0;
}

static void sig_from_stat(const struct stat *st, struct sf_sig *sig)
{
	sig->dev = st->st_dev;
	sig->ino = st->st_ino;
	sig->size = st->st_size;
	sig->mtime_ns = (int64_t)st->st_mtim.tv_sec * 1000000000 + st->st_mtim.tv_nsec;
}

/* Reads and authenticates the object file `name` as object `id`; want_tag (if not NULL)
 * must be its GCM tag. -ENOENT if the file is absent. */
static int load_obj_file(const struct sf_ta *ta, const char *name, const uint8_t *id, size_t id_len,
			 const uint8_t *want_tag, uint32_t *type, uint8_t **data, size_t *len,
			 struct stat *st)
{
	uint8_t *file = NULL;
	uint8_t *plain = NULL;
	uint64_t data_len = 0;
	size_t file_len = 0;
	int rc = 0;
	int fd = openat(ta->dirfd, name, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);

	if (fd < 0) {
		/* A symlink planted in place of an object is not our object. */
		return errno == ELOOP ? -EBADMSG : -errno;
	}
	if (fstat(fd, st) < 0) {
		rc = -errno;
		goto out;
	}
	if (!S_ISREG(st->st_mode) || st->st_size < (off_t)SF_HDR_LEN ||
	    st->st_size > (off_t)(SF_HDR_LEN + TSM_MAX_OBJECT_SIZE)) {
		rc = -EBADMSG;
		goto out;
	}
	file_len = (size_t)st->st_size;
	file = malloc(file_len);
	plain = malloc(file_len - SF_HDR_LEN + 1);
	if (!file || !plain) {
		rc = -ENOMEM;
		goto out;
	}
	rc = sf_read_all(fd, file, file_len);
	if (rc < 0) {
		goto out;
	}
	data_len = sf_get_le64(file + 16);
	if (memcmp(file, SF_MAGIC, 4) != 0 || file[4] != SF_VERSION || file[5] != 0 ||
	    file[6] != SF_HDR_LEN || file[7] != 0 || sf_get_le32(file + 12) != 0 ||
	    data_len != file_len - SF_HDR_LEN ||
	    (want_tag && CRYPTO_memcmp(file + SF_TAG_OFF, want_tag, SF_TAG_LEN) != 0)) {
		rc = -EBADMSG;
		goto out;
	}
	rc = gcm(false, ta, file, true, id, id_len, file + SF_HDR_LEN, (size_t)data_len, plain,
		 file + SF_TAG_OFF);
	if (rc < 0) {
		goto out;
	}
	*type = sf_get_le32(file + 8);
	*data = plain;
	*len = (size_t)data_len;
	plain = NULL;
out:
	if (plain) {
		OPENSSL_cleanse(plain, file_len - SF_HDR_LEN);
	}
	free(plain);
	free(file);
	close(fd);
	return rc;
}

/* Seals an object into a new file under a fresh random number; *e describes it. */
static int write_obj_file(const struct sf_ta *ta, const uint8_t *id, size_t id_len, uint32_t type,
			  const uint8_t *data, size_t len, struct sf_entry *e)
{
	char name[SF_NAME_MAX];
	uint8_t *file = NULL;
	size_t file_len = 0;
	int fd = -1;
	int rc = seal_obj(ta, id, id_len, type, data, len, &file, &file_len);

	if (rc < 0) {
		return rc;
	}
	memset(e, 0, sizeof(*e));
	for (int tries = 0; fd < 0 && tries < 8; tries++) {
		if (RAND_bytes((uint8_t *)&e->file_no, sizeof(e->file_no)) != 1) {
			rc = -EIO;
			goto out;
		}
		obj_file_name(e->file_no, name);
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
	rc = fill_new_file(ta->dirfd, name, fd, file, file_len);
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

static void remove_obj_file(const struct sf_ta *ta, uint64_t file_no)
{
	char name[SF_NAME_MAX];

	obj_file_name(file_no, name);
	unlinkat(ta->dirfd, name, 0);
}

/* ---- the TA directory ---- */

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
		sf_put_le64(p + 4 + SF_TAG_LEN, ents[i].file_no);
		memcpy(p + 12 + SF_TAG_LEN, ents[i].id, ents[i].id_len);
	}
	memcpy(file, SF_DIR_MAGIC, 4);
	sf_put_le16(file + 4, SF_DIR_VERSION);
	sf_put_le16(file + 6, SF_HDR_LEN);
	sf_put_le32(file + 8, (uint32_t)count);
	sf_put_le32(file + 12, 0);
	sf_put_le64(file + 16, gen);
	if (RAND_bytes(file + SF_IV_OFF, SF_IV_LEN) != 1) {
		rc = -EIO;
		goto out;
	}
	rc = gcm(true, ta, file, false, NULL, 0, plain, body, file + SF_HDR_LEN, file + SF_TAG_OFF);
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
	int fd = -1;

	dir_slot_name(gen, name);
	fd = openat(ta->dirfd, name, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0) {
		return errno == ENOENT || errno == ELOOP ? -EBADMSG : -errno;
	}
	if (fstat(fd, &st) < 0) {
		rc = -errno;
		goto out;
	}
	if (!S_ISREG(st.st_mode) || st.st_size < (off_t)SF_HDR_LEN ||
	    st.st_size > (off_t)(SF_HDR_LEN + (size_t)SF_DIR_MAX_ENTRIES * SF_ENT_LEN)) {
		rc = -EBADMSG;
		goto out;
	}
	file_len = (size_t)st.st_size;
	file = malloc(file_len);
	plain = malloc(file_len - SF_HDR_LEN + 1);
	if (!file || !plain) {
		rc = -ENOMEM;
		goto out;
	}
	rc = sf_read_all(fd, file, file_len);
	if (rc == 0) {
		rc = sha256(file, file_len, hash);
	}
	if (rc < 0) {
		goto out;
	}
	count = sf_get_le32(file + 8);
	if (CRYPTO_memcmp(hash, want, SF_HASH_LEN) != 0 || memcmp(file, SF_DIR_MAGIC, 4) != 0 ||
	    sf_get_le64(file + 16) != gen || count > SF_DIR_MAX_ENTRIES ||
	    file_len != SF_HDR_LEN + (size_t)count * SF_ENT_LEN) {
		rc = -EBADMSG;
		goto out;
	}
	rc = gcm(false, ta, file, false, NULL, 0, file + SF_HDR_LEN, file_len - SF_HDR_LEN, plain,
		 file + SF_TAG_OFF);
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
		e->file_no = sf_get_le64(p + 4 + SF_TAG_LEN);
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
	close(fd);
	return rc;
}

/*
 * Makes ents (malloc'ed, count entries) the TA's next generation; takes ownership of ents
 * on success. The RPMB write is the commit point: before it the old generation and every
 * file it names are untouched, after it the new one is complete.
 */
static int commit_dir(struct sf_ta *ta, struct sf_entry *ents, size_t count)
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
	rc = sha256(file, file_len, hash);
	if (rc < 0) {
		goto out;
	}
	/* The other slot holds generation gen - 1, which nothing accepts any more. */
	dir_slot_name(gen, name);
	rc = sf_replace_file(ta->dirfd, name, file, file_len);
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

static long find_entry(const struct sf_ta *ta, const uint8_t *id, size_t id_len)
{
	for (size_t i = 0; i < ta->count; i++) {
		if (ta->ents[i].id_len == id_len && memcmp(ta->ents[i].id, id, id_len) == 0) {
			return (long)i;
		}
	}
	return -1;
}

/* A copy of the TA's entries with room for one more. */
static struct sf_entry *copy_entries(const struct sf_ta *ta)
{
	struct sf_entry *ents = calloc(ta->count + 1, sizeof(*ents));

	if (ents && ta->count > 0) {
		memcpy(ents, ta->ents, ta->count * sizeof(*ents));
	}
	return ents;
}

/* ---- per-TA access ---- */

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
	rc = lock_storage(store);
	if (rc < 0) {
		return rc;
	}
	ta->locked = true;
	rc = derive_key(store, "tzm-storage-ta-key", uuid, SF_UUID_LEN, ta->key);
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
		unlock_storage(store);
	}
}

/* ---- objects ---- */

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

	obj_file_name(e->file_no, name);
	if (fstatat(ta->dirfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0) {
		/* Listed in the authentic directory but gone: deleted behind our back. */
		return errno == ENOENT ? -EBADMSG : -errno;
	}
	memset(sig, 0, sizeof(*sig));
	sig->file_no = e->file_no;
	memcpy(sig->tag, e->tag, SF_TAG_LEN);
	sig_from_stat(&st, sig);
	return 0;
}

int storage__obj_stat(struct sf_ta *ta, const uint8_t *id, size_t id_len, struct sf_sig *sig)
{
	long i = find_entry(ta, id, id_len);

	return i < 0 ? -ENOENT : entry_sig(ta, &ta->ents[i], sig);
}

int storage__obj_file_name(const struct sf_ta *ta, const uint8_t *id, size_t id_len,
			   char name[SF_NAME_MAX])
{
	long i = find_entry(ta, id, id_len);

	if (i < 0) {
		return -ENOENT;
	}
	obj_file_name(ta->ents[i].file_no, name);
	return 0;
}

int storage__obj_load(struct sf_ta *ta, const uint8_t *id, size_t id_len, uint32_t *type,
		      uint8_t **data, size_t *len, struct sf_sig *sig)
{
	char name[SF_NAME_MAX];
	struct stat st;
	const struct sf_entry *e = NULL;
	long i = find_entry(ta, id, id_len);
	int rc = 0;

	if (i < 0) {
		return -ENOENT;
	}
	e = &ta->ents[i];
	obj_file_name(e->file_no, name);
	rc = load_obj_file(ta, name, id, id_len, e->tag, type, data, len, &st);
	if (rc < 0) {
		return rc == -ENOENT ? -EBADMSG : rc;
	}
	memset(sig, 0, sizeof(*sig));
	sig->file_no = e->file_no;
	memcpy(sig->tag, e->tag, SF_TAG_LEN);
	sig_from_stat(&st, sig);
	return 0;
}

int storage__obj_store(struct sf_ta *ta, const uint8_t *id, size_t id_len, uint32_t type,
		       const uint8_t *data, size_t len, bool exclusive, struct sf_sig *sig)
{
	struct sf_entry e;
	struct sf_entry *ents = NULL;
	long i = find_entry(ta, id, id_len);
	size_t count = ta->count;
	uint64_t old_file = 0;
	int rc = 0;

	if (i >= 0 && exclusive) {
		return -EEXIST;
	}
	if (i < 0 && ta->count >= SF_DIR_MAX_ENTRIES) {
		return -ENOSPC;
	}
	rc = write_obj_file(ta, id, id_len, type, data, len, &e);
	if (rc < 0) {
		return rc;
	}
	ents = copy_entries(ta);
	if (!ents) {
		rc = -ENOMEM;
		goto fail;
	}
	if (i >= 0) {
		old_file = ents[i].file_no;
		ents[i] = e;
	} else {
		ents[count++] = e;
	}
	rc = commit_dir(ta, ents, count);
	if (rc < 0) {
		goto fail;
	}
	if (i >= 0) {
		remove_obj_file(ta, old_file);
	}
	return entry_sig(ta, &e, sig);
fail:
	free(ents);
	remove_obj_file(ta, e.file_no);
	return rc;
}

int storage__obj_remove(struct sf_ta *ta, const uint8_t *id, size_t id_len)
{
	struct sf_entry *ents = NULL;
	long i = find_entry(ta, id, id_len);
	uint64_t old_file = 0;
	int rc = 0;

	if (i < 0) {
		return -ENOENT;
	}
	ents = copy_entries(ta);
	if (!ents) {
		return -ENOMEM;
	}
	old_file = ents[i].file_no;
	ents[i] = ents[ta->count - 1];
	rc = commit_dir(ta, ents, ta->count - 1);
	if (rc < 0) {
		free(ents);
		return rc;
	}
	remove_obj_file(ta, old_file);
	return 0;
}

/* Re-seals the data for the new id (the id is in the AAD); one commit like any update. */
int storage__obj_rename(struct sf_ta *ta, const uint8_t *old_id, size_t old_len,
			const uint8_t *new_id, size_t new_len, uint32_t type, const uint8_t *data,
			size_t len, struct sf_sig *sig)
{
	struct sf_entry e;
	struct sf_entry *ents = NULL;
	long i = find_entry(ta, old_id, old_len);
	uint64_t old_file = 0;
	int rc = 0;

	if (old_len > SF_ID_MAX || new_len > SF_ID_MAX) {
		return -EINVAL;
	}
	if (find_entry(ta, new_id, new_len) >= 0) {
		return -EEXIST;
	}
	if (i < 0) {
		return -EBADMSG; /* open, yet gone from the directory */
	}
	rc = write_obj_file(ta, new_id, new_len, type, data, len, &e);
	if (rc < 0) {
		return rc;
	}
	ents = copy_entries(ta);
	if (!ents) {
		rc = -ENOMEM;
		goto fail;
	}
	old_file = ents[i].file_no;
	ents[i] = e;
	rc = commit_dir(ta, ents, ta->count);
	if (rc < 0) {
		goto fail;
	}
	remove_obj_file(ta, old_file);
	return entry_sig(ta, &e, sig);
fail:
	free(ents);
	remove_obj_file(ta, e.file_no);
	return rc;
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

/* ---- start-up: clean-up and migration ---- */

/* Pre-rollback-protection recovery: finishes (or drops) an interrupted rename. */
static void v1_recover_journal(int dirfd)
{
	uint8_t j[SF_V1_JOURNAL_LEN];
	int fd = openat(dirfd, SF_V1_JOURNAL, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);

	if (fd < 0) {
		return;
	}
	if (sf_read_all(fd, j, sizeof(j)) == 0 && j[0] <= SF_ID_MAX &&
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

		parse_v1_obj_name(names[k], &id);
		rc = load_obj_file(ta, names[k], id.bytes, id.len, NULL, &type, &data, &len, &st);
		if (rc == -EBADMSG) {
			fprintf(stderr,
				"tzm-teed: storage: TA %s: old-format object file %s fails "
				"authentication; not migrated\n",
				uuid_str, names[k]);
			continue;
		}
		if (rc == 0) {
			rc = write_obj_file(ta, id.bytes, id.len, type, data, len, &ents[count]);
			OPENSSL_cleanse(data, len);
			free(data);
		}
		if (rc < 0) {
			goto out;
		}
		count++;
	}
	rc = commit_dir(ta, ents, count);
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
			remove_obj_file(ta, ents[k].file_no);
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

		if (parse_obj_file_name(name, &file_no)) {
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
		sync_dir(ta.dirfd);
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
	int rc = derive_key(store, "tzm-rpmb-key", NULL, 0, key);

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
	rc = lock_storage(store);
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
	unlock_storage(store);
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
