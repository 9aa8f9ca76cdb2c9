// SPDX-License-Identifier: BSD-2-Clause
/*
 * Attestation key pairs (ECDSA P-384): generation, the persistent platform key file,
 * public-key export. The key file is created atomically (written to a private temporary
 * file, then link()ed into place, which fails if another process won the race, in which
 * case that process's key is used) and must be a regular file owned by us with mode 0600.
 */
#include "cose.h"
#include "tzm_attest.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/core_names.h>
#include <openssl/pem.h>

#define KEY_FILE_MAX 4096

int tzm_attest_key_generate(struct tzm_attest_key **key)
{
	struct tzm_attest_key *k = calloc(1, sizeof(*k));
	if (k == NULL) {
		return -ENOMEM;
	}
	k->pkey = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-384");
	if (k->pkey == NULL) {
		free(k);
		return -EIO;
	}
	*key = k;
	return 0;
}

void tzm_attest_key_free(struct tzm_attest_key *key)
{
	if (key != NULL) {
		EVP_PKEY_free(key->pkey);
		free(key);
	}
}

static int load_key_file(const char *path, struct tzm_attest_key **key)
{
	char buf[KEY_FILE_MAX];
	struct stat st;
	ssize_t n = 0;
	BIO *bio = NULL;
	int rc = 0;
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0) {
		return -errno;
	}
	if (fstat(fd, &st) != 0) {
		rc = -errno;
		goto out;
	}
	if (!S_ISREG(st.st_mode) || st.st_uid != geteuid() || (st.st_mode & 077) != 0 ||
	    st.st_size <= 0 || st.st_size >= KEY_FILE_MAX) {
		rc = -EPERM; /* someone else could have read or planted it */
		goto out;
	}
	n = read(fd, buf, sizeof(buf));
	if (n != st.st_size) {
		rc = n < 0 ? -errno : -EIO;
		goto out;
	}
	struct tzm_attest_key *k = calloc(1, sizeof(*k));
	bio = BIO_new_mem_buf(buf, (int)n);
	if (k == NULL || bio == NULL) {
		free(k);
		rc = -ENOMEM;
		goto out;
	}
	k->pkey = PEM_read_bio_PrivateKey(bio, NULL, NULL, NULL);
	if (k->pkey == NULL || tzm__pkey_ec_bits(k->pkey) != 384) {
		tzm_attest_key_free(k);
		rc = -EBADMSG;
		goto out;
	}
	*key = k;
out:
	BIO_free(bio);
	OPENSSL_cleanse(buf, sizeof(buf));
	close(fd);
	return rc;
}

static int write_all(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);
		if (w < 0 && errno == EINTR) {
			continue;
		}
		if (w <= 0) {
			return w < 0 ? -errno : -EIO;
		}
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

static int create_key_file(const char *path, struct tzm_attest_key *k)
{
	char tmp[4096];
	char *pem = NULL;
	long pem_len = 0;
	BIO *bio = NULL;
	int fd = -1;
	int rc = 0;

	if ((size_t)snprintf(tmp, sizeof(tmp), "%s.tmp.XXXXXX", path) >= sizeof(tmp)) {
		return -ENAMETOOLONG;
	}
	fd = mkstemp(tmp); /* mode 0600, O_EXCL */
	if (fd < 0) {
		return -errno;
	}
	bio = BIO_new(BIO_s_mem());
	if (bio == NULL || PEM_write_bio_PrivateKey(bio, k->pkey, NULL, NULL, 0, NULL, NULL) != 1) {
		rc = -EIO;
		goto out;
	}
	pem_len = BIO_get_mem_data(bio, &pem);
	rc = write_all(fd, pem, (size_t)pem_len);
	if (rc == 0 && fsync(fd) != 0) {
		rc = -errno;
	}
	if (rc == 0 && link(tmp, path) != 0) {
		rc = -errno; /* -EEXIST: another creator won; the caller loads its key */
	}
out:
	unlink(tmp);
	if (fd >= 0) {
		close(fd);
	}
	BIO_free(bio);
	return rc;
}

int tzm_attest_key_load_or_create(const char *path, struct tzm_attest_key **key)
{
	struct tzm_attest_key *k = NULL;
	int rc = load_key_file(path, key);
	if (rc != -ENOENT) {
		return rc;
	}
	rc = tzm_attest_key_generate(&k);
	if (rc != 0) {
		return rc;
	}
	rc = create_key_file(path, k);
	if (rc == 0) {
		*key = k;
		return 0;
	}
	tzm_attest_key_free(k);
	return rc == -EEXIST ? load_key_file(path, key) : rc;
}

int tzm_attest_key_public_raw(const struct tzm_attest_key *key, uint8_t out[97])
{
	size_t len = 0;
	if (EVP_PKEY_get_octet_string_param(key->pkey, OSSL_PKEY_PARAM_PUB_KEY, out, 97, &len) !=
		    1 ||
	    len != 97 || out[0] != 0x04) {
		return -EIO;
	}
	return 0;
}

int tzm_attest_key_public_pem(const struct tzm_attest_key *key, char *buf, size_t cap, size_t *len)
{
	char *pem = NULL;
	BIO *bio = BIO_new(BIO_s_mem());
	int rc = -EIO;
	if (bio != NULL && PEM_write_bio_PUBKEY(bio, key->pkey) == 1) {
		long n = BIO_get_mem_data(bio, &pem);
		*len = (size_t)n;
		rc = (size_t)n < cap ? 0 : -ENOSPC;
		if (rc == 0) {
			memcpy(buf, pem, (size_t)n);
			buf[n] = '\0';
		}
	}
	BIO_free(bio);
	return rc;
}

/* mkdir -p with mode 0700 for the components we create. */
static int make_dirs(char *path)
{
	for (char *p = path + 1;; p++) {
		if (*p == '/' || *p == '\0') {
			char saved = *p;
			*p = '\0';
			int rc = mkdir(path, 0700) == 0 || errno == EEXIST ? 0 : -errno;
			*p = saved;
			if (rc != 0) {
				return rc;
			}
			if (saved == '\0') {
				return 0;
			}
		}
	}
}

int tzm_attest_platform_key_path(const char *state_dir, char *buf, size_t cap)
{
	char dir[4096];
	const char *env = NULL;
	int n = 0;
	if (state_dir != NULL && state_dir[0] != '\0') {
		n = snprintf(dir, sizeof(dir), "%s", state_dir);
	} else if ((env = getenv("TZM_STATE_DIR")) != NULL && env[0] != '\0') {
		n = snprintf(dir, sizeof(dir), "%s", env);
	} else if ((env = getenv("XDG_DATA_HOME")) != NULL && env[0] != '\0') {
		n = snprintf(dir, sizeof(dir), "%s/tzmediator", env);
	} else if ((env = getenv("HOME")) != NULL && env[0] != '\0') {
		n = snprintf(dir, sizeof(dir), "%s/.local/share/tzmediator", env);
	} else {
		return -ENOENT;
	}
	if (n < 0 || (size_t)n >= sizeof(dir)) {
		return -ENAMETOOLONG;
	}
	int rc = make_dirs(dir);
	if (rc != 0) {
		return rc;
	}
	n = snprintf(buf, cap, "%s/attest-platform-key.pem", dir);
	return n < 0 || (size_t)n >= cap ? -ENAMETOOLONG : 0;
}
