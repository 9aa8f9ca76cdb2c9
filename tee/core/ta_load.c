/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Gets a TA image — from a client (the sealed memfd libteec made of the file the user
 * named) or from a TA directory — verifies it (header, size, architecture, SHA-256, UUID,
 * ELF checks), computes the TA measurement (SHA-256 of the whole image) and hands it over
 * in a sealed memfd of our own, so that the TA host never opens files.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sha256.h"
#include "ta_image.h"
#include "teed.h"
#include "uuid.h"

static int read_all(int fd, uint8_t *buf, size_t len)
{
	size_t done = 0;

	while (done < len) {
		ssize_t n = read(fd, buf + done, len - done);
		if (n < 0 && errno == EINTR) {
			continue;
		}
		if (n <= 0) {
			return n < 0 ? -errno : -EIO;
		}
		done += (size_t)n;
	}
	return 0;
}

/* Verifies the image in buf (path: for the log), measures it and stages it in a sealed
 * memfd for the TA host. */
static int stage(struct core *core, const uint8_t uuid[16], const char *name, const char *path,
		 const uint8_t *buf, size_t len, struct ta_image *img, TEE_Result *res)
{
	struct ta_image_hdr hdr;
	const char *why = "";
	int mfd = -1, rc;

	rc = tzm__ta_image_verify(buf, len, uuid, tzm__host_e_machine(), &hdr, &why);
	if (rc) {
		*res = (rc == -EKEYREJECTED || rc == -EPERM) ? TEE_ERROR_SECURITY
							     : TEE_ERROR_BAD_FORMAT;
		core_log(core, 'E', "TA %s: rejecting %s: %s", name, path, why);
		return rc;
	}
	tzm__sha256(buf, len, img->sha256);
	mfd = memfd_create("ta-image", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	if (mfd < 0 || write(mfd, buf, len) != (ssize_t)len ||
	    fcntl(mfd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_SEAL)) {
		rc = -errno;
		*res = TEE_ERROR_OUT_OF_MEMORY;
		core_log(core, 'E', "TA %s: cannot stage image: %s", name, strerror(errno));
		if (mfd >= 0) {
			close(mfd);
		}
		return rc ? rc : -EIO;
	}
	img->memfd = mfd;
	img->size = len;
	img->flags = hdr.flags;
	img->module_kind = hdr.module_kind;
	memcpy(img->module_sha256, hdr.module_sha256, sizeof(img->module_sha256));
	*res = TEE_SUCCESS;
	return 0;
}

static bool size_ok(int64_t size)
{
	return size >= TA_IMAGE_HDR_SIZE &&
	       (uint64_t)size <= TA_IMAGE_MAX_ELF_SIZE + TA_IMAGE_HDR_SIZE;
}

/* Reads <dir>/<uuid>.ta; -ENOENT when there is none (the caller tries the next dir). */
static int load_file(struct core *core, const uint8_t uuid[16], const char *name, const char *dir,
		     struct ta_image *img, TEE_Result *res)
{
	char path[4096 + 64];
	struct stat st;
	uint8_t *buf = NULL;
	int fd, rc;

	snprintf(path, sizeof(path), "%s/%s.ta", dir, name);
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0) {
		rc = -errno;
		if (rc != -ENOENT) {
			*res = TEE_ERROR_ACCESS_DENIED;
			core_log(core, 'E', "TA %s: cannot open %s: %s", name, path, strerror(-rc));
		}
		return rc;
	}
	if (fstat(fd, &st) || !S_ISREG(st.st_mode) || !size_ok(st.st_size)) {
		rc = -EBADMSG;
		*res = TEE_ERROR_BAD_FORMAT;
		core_log(core, 'E', "TA %s: %s: not a .ta image (bad file type or size)", name,
			 path);
		goto out;
	}
	buf = malloc((size_t)st.st_size);
	if (!buf) {
		rc = -ENOMEM;
		*res = TEE_ERROR_OUT_OF_MEMORY;
		goto out;
	}
	rc = read_all(fd, buf, (size_t)st.st_size);
	if (rc) {
		*res = TEE_ERROR_STORAGE_NOT_AVAILABLE;
		core_log(core, 'E', "TA %s: reading %s: %s", name, path, strerror(-rc));
		goto out;
	}
	rc = stage(core, uuid, name, path, buf, (size_t)st.st_size, img, res);
	if (rc == 0) {
		snprintf(img->dir, sizeof(img->dir), "%s", dir);
	}
out:
	close(fd);
	free(buf);
	return rc;
}

int core_ta_load(struct core *core, const uint8_t uuid[16], const char *const *dirs,
		 struct ta_image *img, TEE_Result *res)
{
	char name[TZM_UUID_STR_LEN + 1], tried[1024] = "";
	size_t used = 0;
	int rc = -ENOENT;

	memset(img, 0, sizeof(*img));
	img->memfd = -1;
	tzm__uuid_bytes_to_str(uuid, name);
	for (const char *const *d = dirs; *d; d++) {
		int n;

		if (!**d) {
			continue;
		}
		rc = load_file(core, uuid, name, *d, img, res);
		if (rc != -ENOENT) {
			return rc;
		}
		n = snprintf(tried + used, sizeof(tried) - used, "%s%s/%s.ta", used ? ", " : "", *d,
			     name);
		if (n > 0 && (size_t)n < sizeof(tried) - used) {
			used += (size_t)n;
		}
	}
	*res = TEE_ERROR_ITEM_NOT_FOUND;
	core_log(core, 'E', "TA %s: cannot open %s: %s", name, used ? tried : "(no TA directory)",
		 strerror(ENOENT));
	return rc;
}

int core_ta_load_memfd(struct core *core, const uint8_t uuid[16], int fd, const char *path,
		       struct ta_image *img, TEE_Result *res)
{
	char name[TZM_UUID_STR_LEN + 1], dir[4096];
	struct stat st;
	uint8_t *buf = NULL;
	int seals = fcntl(fd, F_GET_SEALS), rc = 0;
	const int need = F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE;
	size_t done = 0;

	memset(img, 0, sizeof(*img));
	img->memfd = -1;
	tzm__uuid_bytes_to_str(uuid, name);
	if (seals < 0 || (seals & need) != need || fstat(fd, &st)) {
		*res = TEE_ERROR_BAD_PARAMETERS;
		core_log(core, 'E',
			 "TA %s: image of %s refused: not a memfd sealed against writing, "
			 "shrinking and growing",
			 name, path);
		return -EINVAL;
	}
	if (!size_ok(st.st_size)) {
		*res = TEE_ERROR_BAD_FORMAT;
		core_log(core, 'E', "TA %s: %s: not a .ta image (bad file type or size)", name,
			 path);
		return -EBADMSG;
	}
	buf = malloc((size_t)st.st_size);
	if (!buf) {
		*res = TEE_ERROR_OUT_OF_MEMORY;
		return -ENOMEM;
	}
	/* sealed shmem: never blocks, cannot change under us */
	while (done < (size_t)st.st_size) {
		ssize_t n = pread(fd, buf + done, (size_t)st.st_size - done, (off_t)done);

		if (n <= 0) {
			rc = n < 0 ? -errno : -EIO;
			*res = TEE_ERROR_BAD_PARAMETERS;
			core_log(core, 'E', "TA %s: reading the image of %s: %s", name, path,
				 strerror(-rc));
			goto out;
		}
		done += (size_t)n;
	}
	rc = stage(core, uuid, name, path, buf, done, img, res);
	if (rc == 0) {
		const char *slash = strrchr(path, '/');

		snprintf(dir, sizeof(dir), "%.*s", slash ? (int)(slash - path) : 0, path);
		snprintf(img->dir, sizeof(img->dir), "%s", slash == path ? "/" : dir);
	}
out:
	free(buf);
	return rc;
}
