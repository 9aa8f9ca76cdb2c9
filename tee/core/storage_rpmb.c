/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Emulated RPMB (replay-protected memory block): the anchor of rollback detection for the
 * secure storage. Real OP-TEE keeps the root hash of its REE-FS hash tree in the eMMC's
 * RPMB partition, whose authenticated frames and write counter the normal world cannot
 * forge or roll back. Here the "partition" is one file outside the per-TA directories,
 * authenticated with a key derived from the device key, whose write counter only grows:
 *
 *   $TZM_STATE_DIR/rpmb.img (all integers little-endian)
 *
 *    0        4        6        8                  16         20         24
 *   +--------+--------+--------+------------------+----------+----------+
 *   | "TZRP" | ver=1  | rsvd=0 | write counter u64| count u32| rsvd=0   |
 *   +--------+--------+--------+------------------+----------+----------+
 *   24: count records of 56 bytes, sorted by nothing in particular:
 *   +-------------------+-------------------------+----------------------------------+
 *   | TA UUID (16)      | directory generation u64| SHA-256 of the TA's dir file (32)|
 *   +-------------------+-------------------------+----------------------------------+
 *   then HMAC-SHA256(rpmb key, every byte before it) (32)
 *
 * rpmb key = HKDF-SHA256(device key, salt "tzmediator storage v1", info "tzm-rpmb-key").
 * Every write replaces the file atomically (temp file, fsync, rename, fsync of the state
 * directory) with the counter + 1; that rename is the commit point of every storage
 * update (storage_file.c). Every read checks the MAC and that the counter never went
 * down since this process last saw it, so a file rolled back while the core runs is
 * tampering. The limit of the emulation: a core starting up has no memory, so whoever
 * restores the whole state directory (rpmb.img included) rolls everything back.
 * Callers hold the storage lock (storage_dir.c) around every call.
 */
#include "storage_file_priv.h"
#include "storage_rpmb.h"

#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define RPMB_FILE "rpmb.img"
#define RPMB_MAGIC "TZRP"
#define RPMB_VERSION 1u
#define RPMB_HDR_LEN 24u
#define RPMB_REC_LEN 56u
#define RPMB_MAC_LEN 32u
/* One record per TA that ever stored something; bounds what a read may allocate. */
#define RPMB_MAX_RECORDS 65536u

static_assert(SF_UUID_LEN + 8 + SF_HASH_LEN == RPMB_REC_LEN, "record layout");

struct rpmb_image {
	uint8_t *buf; /* header + records (+ room for one more record and the MAC) */
	uint64_t counter;
	uint32_t count;
};

static int mac(struct sf_rpmb *r, const uint8_t *buf, size_t len, uint8_t out[RPMB_MAC_LEN])
{
	unsigned int out_len = 0;

	if (!HMAC(EVP_sha256(), r->key, SF_KEY_LEN, buf, len, out, &out_len) ||
	    out_len != RPMB_MAC_LEN) {
		return -EIO;
	}
	return 0;
}

static size_t image_len(uint32_t count)
{
	return RPMB_HDR_LEN + (size_t)count * RPMB_REC_LEN + RPMB_MAC_LEN;
}

/* Reads and authenticates rpmb.img. -ENOENT if absent, -EBADMSG if forged or older. */
static int image_read(struct sf_rpmb *r, struct rpmb_image *img)
{
	uint8_t want[RPMB_MAC_LEN];
	struct stat st;
	size_t len = 0;
	int rc = 0;
	int fd = openat(r->dirfd, RPMB_FILE, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);

	memset(img, 0, sizeof(*img));
	if (fd < 0) {
		return errno == ELOOP ? -EBADMSG : -errno;
	}
	if (fstat(fd, &st) < 0) {
		rc = -errno;
		goto out;
	}
	if (!S_ISREG(st.st_mode) || st.st_size < (off_t)image_len(0) ||
	    st.st_size > (off_t)image_len(RPMB_MAX_RECORDS)) {
		rc = -EBADMSG;
		goto out;
	}
	len = (size_t)st.st_size;
	img->buf = malloc(len + RPMB_REC_LEN);
	if (!img->buf) {
		rc = -ENOMEM;
		goto out;
	}
	rc = storage__read_all(fd, img->buf, len);
	if (rc < 0) {
		goto out;
	}
	img->count = storage__get_le32(img->buf + 16);
	img->counter = storage__get_le64(img->buf + 8);
	if (memcmp(img->buf, RPMB_MAGIC, 4) != 0 || img->buf[4] != RPMB_VERSION ||
	    img->buf[5] != 0 || img->buf[6] != 0 || img->buf[7] != 0 ||
	    storage__get_le32(img->buf + 20) != 0 || img->count > RPMB_MAX_RECORDS ||
	    len != image_len(img->count)) {
		rc = -EBADMSG;
		goto out;
	}
	rc = mac(r, img->buf, len - RPMB_MAC_LEN, want);
	if (rc < 0) {
		goto out;
	}
	if (CRYPTO_memcmp(want, img->buf + len - RPMB_MAC_LEN, RPMB_MAC_LEN) != 0) {
		fprintf(stderr, "tzm-teed: storage: %s fails authentication\n", RPMB_FILE);
		rc = -EBADMSG;
		goto out;
	}
	if (img->counter < r->seen_counter) {
		fprintf(stderr,
			"tzm-teed: storage: %s write counter went back from %llu to %llu "
			"(replayed)\n",
			RPMB_FILE, (unsigned long long)r->seen_counter,
			(unsigned long long)img->counter);
		rc = -EBADMSG;
		goto out;
	}
	r->seen_counter = img->counter;
out:
	close(fd);
	if (rc < 0) {
		free(img->buf);
		img->buf = NULL;
	}
	return rc;
}

/* Writes the image with counter + 1; once the rename is done the write has happened. */
static int image_write(struct sf_rpmb *r, struct rpmb_image *img)
{
	size_t body = RPMB_HDR_LEN + (size_t)img->count * RPMB_REC_LEN;
	int rc = 0;

	img->counter++;
	memcpy(img->buf, RPMB_MAGIC, 4);
	img->buf[4] = RPMB_VERSION;
	memset(img->buf + 5, 0, 3);
	storage__put_le64(img->buf + 8, img->counter);
	storage__put_le32(img->buf + 16, img->count);
	storage__put_le32(img->buf + 20, 0);
	rc = mac(r, img->buf, body, img->buf + body);
	if (rc == 0) {
		rc = storage__replace_file(r->dirfd, RPMB_FILE, img->buf, body + RPMB_MAC_LEN);
	}
	if (rc == 0) {
		r->seen_counter = img->counter;
	}
	return rc;
}

static uint8_t *find_record(const struct rpmb_image *img, const uint8_t uuid[SF_UUID_LEN])
{
	for (uint32_t i = 0; i < img->count; i++) {
		uint8_t *r = img->buf + RPMB_HDR_LEN + (size_t)i * RPMB_REC_LEN;

		if (memcmp(r, uuid, SF_UUID_LEN) == 0) {
			return r;
		}
	}
	return NULL;
}

int storage__rpmb_open(struct sf_rpmb *r, int state_fd, const uint8_t key[SF_KEY_LEN], bool create)
{
	struct rpmb_image img;
	int rc = 0;

	storage__rpmb_close(r);
	r->dirfd = fcntl(state_fd, F_DUPFD_CLOEXEC, 0);
	if (r->dirfd < 0) {
		return -errno;
	}
	memcpy(r->key, key, SF_KEY_LEN);
	rc = image_read(r, &img);
	if (rc == -ENOENT && create) {
		img.buf = calloc(1, image_len(0));
		if (!img.buf) {
			rc = -ENOMEM;
			goto out;
		}
		img.count = 0;
		img.counter = 0;
		rc = image_write(r, &img);
	}
out:
	free(img.buf);
	if (rc < 0) {
		storage__rpmb_close(r);
	}
	return rc;
}

void storage__rpmb_close(struct sf_rpmb *r)
{
	if (r->dirfd >= 0) {
		close(r->dirfd);
		r->dirfd = -1;
	}
	OPENSSL_cleanse(r->key, sizeof(r->key));
	r->seen_counter = 0;
}

/* The image as it is now, for a read or an update after start-up. */
static int image_load(struct sf_rpmb *r, struct rpmb_image *img)
{
	int rc = 0;

	if (r->dirfd < 0) {
		return -ENODEV;
	}
	rc = image_read(r, img);
	/* The file was there at start-up: losing it now is tampering. */
	return rc == -ENOENT ? -EBADMSG : rc;
}

int storage__rpmb_read(struct sf_rpmb *r, const uint8_t uuid[SF_UUID_LEN], uint64_t *gen,
		       uint8_t hash[SF_HASH_LEN])
{
	struct rpmb_image img;
	const uint8_t *rec = NULL;
	int rc = image_load(r, &img);

	if (rc < 0) {
		return rc;
	}
	rec = find_record(&img, uuid);
	if (!rec) {
		rc = -ENOENT;
		goto out;
	}
	*gen = storage__get_le64(rec + SF_UUID_LEN);
	memcpy(hash, rec + SF_UUID_LEN + 8, SF_HASH_LEN);
out:
	free(img.buf);
	return rc;
}

int storage__rpmb_write(struct sf_rpmb *r, const uint8_t uuid[SF_UUID_LEN], uint64_t gen,
			const uint8_t hash[SF_HASH_LEN])
{
	struct rpmb_image img;
	uint8_t *rec = NULL;
	int rc = image_load(r, &img);

	if (rc < 0) {
		return rc;
	}
	rec = find_record(&img, uuid);
	if (!rec) {
		if (img.count >= RPMB_MAX_RECORDS) {
			rc = -ENOSPC;
			goto out;
		}
		/* image_read left room for one more record. */
		rec = img.buf + RPMB_HDR_LEN + (size_t)img.count * RPMB_REC_LEN;
		img.count++;
		memcpy(rec, uuid, SF_UUID_LEN);
	}
	storage__put_le64(rec + SF_UUID_LEN, gen);
	memcpy(rec + SF_UUID_LEN + 8, hash, SF_HASH_LEN);
	rc = image_write(r, &img);
out:
	free(img.buf);
	return rc;
}
