/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Secure storage at rest: device key, per-TA keys and the encrypted object file format.
 *
 * Layout under $TZM_STATE_DIR:
 *   device.key                        32 random bytes, 0600, created atomically
 *   storage/<ta-uuid>/<hex(id)>.obj   one file per object (hex: any id bytes are safe)
 *   storage/<ta-uuid>/<name>.tmp       in-flight writes (removed at start-up)
 *   storage/<ta-uuid>/rename.jnl      intent record of an interrupted rename
 *
 * Object file (all integers little-endian):
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
 * moved to another name or another TA, or any header byte changed, fails authentication.
 * The file size must be exactly 52 + data length.
 */
#include "storage_file.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/rand.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tee_storage_msg.h"
#include "uuid.h"

#define SF_MAGIC "TZSO"
#define SF_VERSION 1u
#define SF_HDR_LEN 52u
#define SF_AAD_HDR_LEN 36u
#define SF_IV_OFF 24u
#define SF_IV_LEN 12u
#define SF_TAG_OFF 36u
#define SF_TAG_LEN 16u
#define SF_JOURNAL "rename.jnl"
#define SF_JOURNAL_LEN (2u * (1u + SF_ID_MAX))

static_assert(SF_ID_MAX == TSM_ID_MAX, "id limits agree");
static_assert(SF_TAG_OFF + SF_TAG_LEN == SF_HDR_LEN, "header layout");
static_assert(SF_IV_OFF + SF_IV_LEN == SF_AAD_HDR_LEN, "header layout");

static uint8_t g_device_key[SF_KEY_LEN];
static int g_root_fd = -1;

/* Test seam: TZM_STORAGE_TEST_CRASH=<point> kills the process at that point, to prove
 * that an interrupted update leaves the old (or the new) object, never a mix. */
static void crash_point(const char *point)
{
	const char *want = getenv("TZM_STORAGE_TEST_CRASH");

	if (want && strcmp(want, point) == 0) {
		raise(SIGKILL);
	}
}

static void put_le16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static void put_le32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++) {
		p[i] = (uint8_t)(v >> (8 * i));
	}
}

static void put_le64(uint8_t *p, uint64_t v)
{
	for (int i = 0; i < 8; i++) {
		p[i] = (uint8_t)(v >> (8 * i));
	}
}

static uint32_t get_le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static uint64_t get_le64(const uint8_t *p)
{
	uint64_t v = 0;

	for (int i = 7; i >= 0; i--) {
		v = v << 8 | p[i];
	}
	return v;
}

static int write_all(int fd, const uint8_t *buf, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, buf, len);

		if (n < 0) {
			if (errno == EINTR) {
				continue;
			}
			return -errno;
		}
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

static int read_all(int fd, uint8_t *buf, size_t len)
{
	while (len > 0) {
		ssize_t n = read(fd, buf, len);

		if (n < 0) {
			if (errno == EINTR) {
				continue;
			}
			return -errno;
		}
		if (n == 0) {
			return -EBADMSG; /* shrank under us: treat as corrupt */
		}
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

void storage__obj_name(const uint8_t *id, size_t id_len, char name[SF_NAME_MAX])
{
	static const char hex[] = "0123456789abcdef";
	size_t i = 0;

	for (i = 0; i < id_len && i < SF_ID_MAX; i++) {
		name[2 * i] = hex[id[i] >> 4];
		name[2 * i + 1] = hex[id[i] & 15];
	}
	memcpy(name + 2 * i, ".obj", 5);
}

/* Parses "<hex>.obj"; false for anything else (temp files, journal, foreign files). */
static bool parse_obj_name(const char *name, struct sf_id *id)
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
	rc = write_all(fd, buf, len);
	if (rc == 0 && fsync(fd) < 0) {
		rc = -errno;
	}
	if (close(fd) < 0 && rc == 0) {
		rc = -errno;
	}
	if (rc < 0) {
		unlinkat(dirfd, tmp, 0);
	}
	return rc;
}

static int sync_dir(int dirfd)
{
	return fsync(dirfd) < 0 ? -errno : 0;
}

/* ---- device key ---- */

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

static int read_device_key(int state_fd)
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
	rc = read_all(fd, g_device_key, SF_KEY_LEN);
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

/* Removes *.tmp and completes (or drops) an interrupted rename in one TA directory. */
static void recover_ta_dir(int dirfd)
{
	uint8_t j[SF_JOURNAL_LEN];
	struct dirent *de = NULL;
	int fd = openat(dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	DIR *d = fd >= 0 ? fdopendir(fd) : NULL;

	if (!d) {
		if (fd >= 0) {
			close(fd);
		}
		return;
	}
	while ((de = readdir(d)) != NULL) {
		size_t n = strlen(de->d_name);

		if (n > 4 && strcmp(de->d_name + n - 4, ".tmp") == 0) {
			unlinkat(dirfd, de->d_name, 0);
		}
	}
	closedir(d);

	fd = openat(dirfd, SF_JOURNAL, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0) {
		return;
	}
	if (read_all(fd, j, sizeof(j)) == 0 && j[0] <= SF_ID_MAX && j[1 + SF_ID_MAX] <= SF_ID_MAX) {
		char old_name[SF_NAME_MAX];
		char new_name[SF_NAME_MAX];

		storage__obj_name(j + 1, j[0], old_name);
		storage__obj_name(j + 2 + SF_ID_MAX, j[1 + SF_ID_MAX], new_name);
		/* The new name only exists if the rename got past its commit point (link). */
		if (faccessat(dirfd, new_name, F_OK, AT_SYMLINK_NOFOLLOW) == 0) {
			unlinkat(dirfd, old_name, 0);
		}
	}
	close(fd);
	unlinkat(dirfd, SF_JOURNAL, 0);
	fsync(dirfd);
}

static void recover_all(void)
{
	struct dirent *de = NULL;
	int fd = openat(g_root_fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	DIR *d = fd >= 0 ? fdopendir(fd) : NULL;

	if (!d) {
		if (fd >= 0) {
			close(fd);
		}
		return;
	}
	while ((de = readdir(d)) != NULL) {
		uint8_t u[SF_UUID_LEN];
		int tfd = -1;

		if (tzm__uuid_parse(de->d_name, u) < 0) {
			continue;
		}
		tfd = openat(g_root_fd, de->d_name,
			     O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
		if (tfd >= 0) {
			recover_ta_dir(tfd);
			close(tfd);
		}
	}
	closedir(d);
}

int storage__file_init(const char *state_dir)
{
	int state_fd = -1;
	int rc = 0;

	storage__file_fini();
	rc = mkdir_p(state_dir);
	if (rc < 0) {
		return rc;
	}
	state_fd = open(state_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (state_fd < 0) {
		return -errno;
	}
	rc = read_device_key(state_fd);
	if (rc == -ENOENT) {
		rc = create_device_key(state_fd);
		if (rc == 0) {
			rc = read_device_key(state_fd);
		}
	}
	if (rc < 0) {
		goto out;
	}
	if (mkdirat(state_fd, "storage", 0700) < 0 && errno != EEXIST) {
		rc = -errno;
		goto out;
	}
	g_root_fd = openat(state_fd, "storage", O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
	if (g_root_fd < 0) {
		rc = -errno;
		goto out;
	}
	recover_all();
out:
	close(state_fd);
	if (rc < 0) {
		OPENSSL_cleanse(g_device_key, sizeof(g_device_key));
	}
	return rc;
}

void storage__file_fini(void)
{
	if (g_root_fd >= 0) {
		close(g_root_fd);
		g_root_fd = -1;
	}
	OPENSSL_cleanse(g_device_key, sizeof(g_device_key));
}

/* ---- per-TA key and directory ---- */

static int derive_ta_key(const uint8_t uuid[SF_UUID_LEN], uint8_t out[SF_KEY_LEN])
{
	static const char salt[] = "tzmediator storage v1";
	static const char label[] = "tzm-storage-ta-key";
	uint8_t info[sizeof(label) - 1 + SF_UUID_LEN];
	size_t out_len = SF_KEY_LEN;
	int rc = -EIO;
	EVP_PKEY_CTX *pctx = EVP_PKEY_CTX_new_id(EVP_PKEY_HKDF, NULL);

	memcpy(info, label, sizeof(label) - 1);
	memcpy(info + sizeof(label) - 1, uuid, SF_UUID_LEN);
	if (!pctx || EVP_PKEY_derive_init(pctx) <= 0 ||
	    EVP_PKEY_CTX_set_hkdf_md(pctx, EVP_sha256()) <= 0 ||
	    EVP_PKEY_CTX_set1_hkdf_salt(pctx, (const unsigned char *)salt,
					(int)(sizeof(salt) - 1)) <= 0 ||
	    EVP_PKEY_CTX_set1_hkdf_key(pctx, g_device_key, SF_KEY_LEN) <= 0 ||
	    EVP_PKEY_CTX_add1_hkdf_info(pctx, info, (int)sizeof(info)) <= 0 ||
	    EVP_PKEY_derive(pctx, out, &out_len) <= 0 || out_len != SF_KEY_LEN) {
		goto out;
	}
	rc = 0;
out:
	EVP_PKEY_CTX_free(pctx);
	return rc;
}

int storage__ta_open(struct sf_ta *ta, const uint8_t uuid[SF_UUID_LEN], bool create)
{
	char name[TZM_UUID_STR_LEN + 1];
	int rc = 0;

	memcpy(ta->uuid, uuid, SF_UUID_LEN);
	ta->dirfd = -1;
	if (g_root_fd < 0) {
		return -ENODEV;
	}
	rc = derive_ta_key(uuid, ta->key);
	if (rc < 0) {
		return rc;
	}
	tzm__uuid_bytes_to_str(uuid, name);
	if (create && mkdirat(g_root_fd, name, 0700) < 0 && errno != EEXIST) {
		rc = -errno;
		goto out;
	}
	ta->dirfd = openat(g_root_fd, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
	if (ta->dirfd < 0) {
		rc = -errno;
	}
out:
	if (rc < 0) {
		OPENSSL_cleanse(ta->key, sizeof(ta->key));
	}
	return rc;
}

void storage__ta_close(struct sf_ta *ta)
{
	if (ta->dirfd >= 0) {
		close(ta->dirfd);
		ta->dirfd = -1;
	}
	OPENSSL_cleanse(ta->key, sizeof(ta->key));
}

/* ---- object files ---- */

static int gcm(bool enc, const struct sf_ta *ta, const uint8_t *hdr, const uint8_t *id,
	       size_t id_len, const uint8_t *in, size_t len, uint8_t *out, uint8_t *tag)
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
	    EVP_CipherUpdate(c, NULL, &n, &idl, 1) != 1 ||
	    (id_len > 0 && EVP_CipherUpdate(c, NULL, &n, id, (int)id_len) != 1) ||
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

static void sig_from_stat(const struct stat *st, struct sf_sig *sig)
{
	sig->dev = st->st_dev;
	sig->ino = st->st_ino;
	sig->size = st->st_size;
	sig->mtime_ns = (int64_t)st->st_mtim.tv_sec * 1000000000 + st->st_mtim.tv_nsec;
}

bool storage__sig_equal(const struct sf_sig *a, const struct sf_sig *b)
{
	return a->dev == b->dev && a->ino == b->ino && a->size == b->size &&
	       a->mtime_ns == b->mtime_ns;
}

int storage__obj_stat(struct sf_ta *ta, const uint8_t *id, size_t id_len, struct sf_sig *sig)
{
	char name[SF_NAME_MAX];
	struct stat st;

	storage__obj_name(id, id_len, name);
	if (fstatat(ta->dirfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0) {
		return -errno;
	}
	sig_from_stat(&st, sig);
	return 0;
}

int storage__obj_load(struct sf_ta *ta, const uint8_t *id, size_t id_len, uint32_t *type,
		      uint8_t **data, size_t *len, struct sf_sig *sig)
{
	char name[SF_NAME_MAX];
	struct stat st;
	uint8_t *file = NULL;
	uint8_t *plain = NULL;
	uint64_t data_len = 0;
	size_t file_len = 0;
	int rc = 0;
	int fd = -1;

	if (id_len > SF_ID_MAX) {
		return -EINVAL;
	}
	storage__obj_name(id, id_len, name);
	fd = openat(ta->dirfd, name, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0) {
		/* A symlink planted in place of an object is not our object. */
		return errno == ELOOP ? -EBADMSG : -errno;
	}
	if (fstat(fd, &st) < 0) {
		rc = -errno;
		goto out;
	}
	if (!S_ISREG(st.st_mode) || st.st_size < (off_t)SF_HDR_LEN ||
	    st.st_size > (off_t)(SF_HDR_LEN + TSM_MAX_OBJECT_SIZE)) {
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
	rc = read_all(fd, file, file_len);
	if (rc < 0) {
		goto out;
	}
	data_len = get_le64(file + 16);
	if (memcmp(file, SF_MAGIC, 4) != 0 || file[4] != SF_VERSION || file[5] != 0 ||
	    file[6] != SF_HDR_LEN || file[7] != 0 || get_le32(file + 12) != 0 ||
	    data_len != file_len - SF_HDR_LEN) {
		rc = -EBADMSG;
		goto out;
	}
	rc = gcm(false, ta, file, id, id_len, file + SF_HDR_LEN, (size_t)data_len, plain,
		 file + SF_TAG_OFF);
	if (rc < 0) {
		goto out;
	}
	*type = get_le32(file + 8);
	*data = plain;
	*len = (size_t)data_len;
	plain = NULL;
	sig_from_stat(&st, sig);
out:
	if (plain) {
		OPENSSL_cleanse(plain, file_len - SF_HDR_LEN);
	}
	free(plain);
	free(file);
	close(fd);
	return rc;
}

/* Encrypts an object into a complete file image (header + ciphertext). */
static int seal(const struct sf_ta *ta, const uint8_t *id, size_t id_len, uint32_t type,
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
	put_le16(file + 4, SF_VERSION);
	put_le16(file + 6, SF_HDR_LEN);
	put_le32(file + 8, type);
	put_le32(file + 12, 0);
	put_le64(file + 16, len);
	if (RAND_bytes(file + SF_IV_OFF, SF_IV_LEN) != 1) {
		rc = -EIO;
		goto out;
	}
	rc = gcm(true, ta, file, id, id_len, data, len, file + SF_HDR_LEN, file + SF_TAG_OFF);
out:
	if (rc < 0) {
		free(file);
		return rc;
	}
	*out = file;
	*out_len = SF_HDR_LEN + len;
	return 0;
}

int storage__obj_store(struct sf_ta *ta, const uint8_t *id, size_t id_len, uint32_t type,
		       const uint8_t *data, size_t len, bool exclusive, struct sf_sig *sig)
{
	char name[SF_NAME_MAX];
	char tmp[SF_NAME_MAX + 16];
	uint8_t *file = NULL;
	size_t file_len = 0;
	int rc = seal(ta, id, id_len, type, data, len, &file, &file_len);

	if (rc < 0) {
		return rc;
	}
	storage__obj_name(id, id_len, name);
	rc = write_temp(ta->dirfd, name, file, file_len, tmp);
	if (rc < 0) {
		goto out;
	}
	crash_point("before_rename");
	if (exclusive) {
		if (linkat(ta->dirfd, tmp, ta->dirfd, name, 0) < 0) {
			rc = -errno;
		}
		unlinkat(ta->dirfd, tmp, 0);
	} else if (renameat(ta->dirfd, tmp, ta->dirfd, name) < 0) {
		rc = -errno;
		unlinkat(ta->dirfd, tmp, 0);
	}
	if (rc == 0) {
		rc = sync_dir(ta->dirfd);
	}
	if (rc == 0) {
		rc = storage__obj_stat(ta, id, id_len, sig);
	}
out:
	free(file);
	return rc;
}

int storage__obj_remove(struct sf_ta *ta, const uint8_t *id, size_t id_len)
{
	char name[SF_NAME_MAX];

	storage__obj_name(id, id_len, name);
	if (unlinkat(ta->dirfd, name, 0) < 0) {
		return -errno;
	}
	return sync_dir(ta->dirfd);
}

static int write_journal(struct sf_ta *ta, const uint8_t *old_id, size_t old_len,
			 const uint8_t *new_id, size_t new_len)
{
	uint8_t j[SF_JOURNAL_LEN] = {0};
	char tmp[SF_NAME_MAX + 16];
	int rc = 0;

	j[0] = (uint8_t)old_len;
	memcpy(j + 1, old_id, old_len);
	j[1 + SF_ID_MAX] = (uint8_t)new_len;
	memcpy(j + 2 + SF_ID_MAX, new_id, new_len);
	rc = write_temp(ta->dirfd, SF_JOURNAL, j, sizeof(j), tmp);
	if (rc < 0) {
		return rc;
	}
	if (renameat(ta->dirfd, tmp, ta->dirfd, SF_JOURNAL) < 0) {
		rc = -errno;
		unlinkat(ta->dirfd, tmp, 0);
		return rc;
	}
	return sync_dir(ta->dirfd);
}

/*
 * Commit point: link(temp, new name), which never replaces an existing file. Before it
 * only the old object exists; after it the journal tells start-up recovery to finish the
 * job by removing the old name, so a crash leaves exactly one of the two.
 */
int storage__obj_rename(struct sf_ta *ta, const uint8_t *old_id, size_t old_len,
			const uint8_t *new_id, size_t new_len, uint32_t type,
			const uint8_t *data, size_t len, struct sf_sig *sig)
{
	char old_name[SF_NAME_MAX];
	char new_name[SF_NAME_MAX];
	char tmp[SF_NAME_MAX + 16];
	uint8_t *file = NULL;
	size_t file_len = 0;
	int rc = 0;

	if (old_len > SF_ID_MAX || new_len > SF_ID_MAX) {
		return -EINVAL;
	}
	storage__obj_name(old_id, old_len, old_name);
	storage__obj_name(new_id, new_len, new_name);
	/* Checked before the journal exists, so recovery never deletes for a failed rename. */
	if (faccessat(ta->dirfd, new_name, F_OK, AT_SYMLINK_NOFOLLOW) == 0) {
		return -EEXIST;
	}
	rc = seal(ta, new_id, new_len, type, data, len, &file, &file_len);
	if (rc < 0) {
		return rc;
	}
	rc = write_journal(ta, old_id, old_len, new_id, new_len);
	if (rc < 0) {
		goto out;
	}
	rc = write_temp(ta->dirfd, new_name, file, file_len, tmp);
	if (rc < 0) {
		goto out_journal;
	}
	crash_point("before_rename");
	if (linkat(ta->dirfd, tmp, ta->dirfd, new_name, 0) < 0) {
		rc = -errno;
		unlinkat(ta->dirfd, tmp, 0);
		goto out_journal;
	}
	rc = sync_dir(ta->dirfd);
	crash_point("rename_linked");
	unlinkat(ta->dirfd, old_name, 0);
	unlinkat(ta->dirfd, tmp, 0);
	if (rc == 0) {
		rc = sync_dir(ta->dirfd);
	}
	if (rc == 0) {
		rc = storage__obj_stat(ta, new_id, new_len, sig);
	}
out_journal:
	unlinkat(ta->dirfd, SF_JOURNAL, 0);
	sync_dir(ta->dirfd);
out:
	free(file);
	return rc;
}

int storage__obj_list(struct sf_ta *ta, struct sf_id **ids, size_t *count)
{
	struct sf_id *arr = NULL;
	size_t n = 0;
	size_t cap = 0;
	struct dirent *de = NULL;
	int rc = 0;
	int fd = openat(ta->dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	DIR *d = fd >= 0 ? fdopendir(fd) : NULL;

	if (!d) {
		rc = -errno;
		if (fd >= 0) {
			close(fd);
		}
		return rc;
	}
	while ((de = readdir(d)) != NULL) {
		struct sf_id id;

		if (!parse_obj_name(de->d_name, &id)) {
			continue;
		}
		if (n == cap) {
			size_t ncap = cap ? cap * 2 : 16;
			struct sf_id *na = realloc(arr, ncap * sizeof(*arr));

			if (!na) {
				rc = -ENOMEM;
				goto out;
			}
			arr = na;
			cap = ncap;
		}
		arr[n++] = id;
	}
out:
	closedir(d);
	if (rc < 0) {
		free(arr);
		return rc;
	}
	*ids = arr;
	*count = n;
	return 0;
}
