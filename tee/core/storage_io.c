/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Durable file primitives of the at-rest storage (storage_file.h): complete reads and
 * writes, new files filled and synced, atomic replacement (temp file, fsync, rename,
 * fsync of the directory). Used by the object and directory files and the RPMB image.
 */
#include <errno.h>
#include <fcntl.h>
#include <openssl/rand.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "storage_file_priv.h"

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

int storage__read_all(int fd, uint8_t *buf, size_t len)
{
	return transfer_all(fd, buf, NULL, len);
}

int storage__read_sealed_file(int dirfd, const char *name, size_t max_len, struct stat *st,
			      uint8_t **file, uint8_t **plain, size_t *file_len)
{
	int fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	int rc = 0;

	*file = NULL;
	*plain = NULL;
	*file_len = 0;
	if (fd < 0) {
		return errno == ELOOP ? -EBADMSG : -errno;
	}
	if (fstat(fd, st) < 0) {
		rc = -errno;
		goto out;
	}
	if (!S_ISREG(st->st_mode) || st->st_size < (off_t)SF_HDR_LEN ||
	    (uint64_t)st->st_size > (uint64_t)max_len) {
		rc = -EBADMSG;
		goto out;
	}
	*file_len = (size_t)st->st_size;
	*file = malloc(*file_len);
	*plain = malloc(*file_len - SF_HDR_LEN + 1);
	if (!*file || !*plain) {
		rc = -ENOMEM;
		goto out;
	}
	rc = storage__read_all(fd, *file, *file_len);
out:
	if (rc < 0) {
		free(*file);
		free(*plain);
		*file = NULL;
		*plain = NULL;
		*file_len = 0;
	}
	close(fd);
	return rc;
}

/* Fills fd, a file just created as dirfd/name, with buf, syncs and closes it; on failure
 * the file is removed. */
int storage__fill_new_file(int dirfd, const char *name, int fd, const uint8_t *buf, size_t len)
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
int storage__write_temp(int dirfd, const char *base, const uint8_t *buf, size_t len,
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
	return storage__fill_new_file(dirfd, tmp, fd, buf, len);
}

int storage__sync_dir(int dirfd)
{
	return fsync(dirfd) < 0 ? -errno : 0;
}

int storage__replace_file(int dirfd, const char *name, const uint8_t *buf, size_t len)
{
	char tmp[SF_NAME_MAX + 16];
	int rc = storage__write_temp(dirfd, name, buf, len, tmp);

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
	if (storage__sync_dir(dirfd) < 0) {
		fprintf(stderr, "tzm-teed: storage: fsync of the directory of %s failed\n", name);
	}
	return 0;
}
