/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Finds <uuid>.ta in the TA directory, reads and verifies it (header, size, architecture,
 * SHA-256, UUID, ELF checks), computes the TA measurement (SHA-256 of the whole file) and
 * hands the image over in a sealed memfd, so that the TA host never opens files.
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

int ta_load(const uint8_t uuid[16], int *memfd, uint64_t *size, uint32_t *flags,
	    uint8_t sha256[32], TEE_Result *res)
{
	char name[TZM_UUID_STR_LEN + 1], path[4096 + 64];
	struct ta_image_hdr hdr;
	struct stat st;
	uint8_t *buf = NULL;
	const char *why = "";
	int fd = -1, mfd = -1, rc;

	*memfd = -1;
	tzm__uuid_bytes_to_str(uuid, name);
	snprintf(path, sizeof(path), "%s/%s.ta", g_teed.ta_dir, name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		rc = -errno;
		*res = rc == -ENOENT ? TEE_ERROR_ITEM_NOT_FOUND : TEE_ERROR_ACCESS_DENIED;
		core_log('E', "TA %s: cannot open %s: %s", name, path, strerror(-rc));
		goto out;
	}
	if (fstat(fd, &st) || !S_ISREG(st.st_mode) || st.st_size < TA_IMAGE_HDR_SIZE ||
	    (uint64_t)st.st_size > TA_IMAGE_MAX_ELF_SIZE + TA_IMAGE_HDR_SIZE) {
		rc = -EBADMSG;
		*res = TEE_ERROR_BAD_FORMAT;
		core_log('E', "TA %s: %s: not a .ta image (bad file type or size)", name, path);
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
		core_log('E', "TA %s: reading %s: %s", name, path, strerror(-rc));
		goto out;
	}
	rc = tzm__ta_image_verify(buf, (size_t)st.st_size, uuid, tzm__host_e_machine(), &hdr,
				  &why);
	if (rc) {
		*res = (rc == -EKEYREJECTED || rc == -EPERM) ? TEE_ERROR_SECURITY
							     : TEE_ERROR_BAD_FORMAT;
		core_log('E', "TA %s: rejecting %s: %s", name, path, why);
		goto out;
	}
	tzm__sha256(buf, (size_t)st.st_size, sha256);
	mfd = memfd_create("ta-image", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	if (mfd < 0 || write(mfd, buf, (size_t)st.st_size) != st.st_size ||
	    fcntl(mfd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_SEAL)) {
		rc = -errno;
		*res = TEE_ERROR_OUT_OF_MEMORY;
		core_log('E', "TA %s: cannot stage image: %s", name, strerror(errno));
		goto out;
	}
	*memfd = mfd;
	mfd = -1;
	*size = (uint64_t)st.st_size;
	*flags = hdr.flags;
	*res = TEE_SUCCESS;
	rc = 0;
out:
	if (mfd >= 0) {
		close(mfd);
	}
	if (fd >= 0) {
		close(fd);
	}
	free(buf);
	return rc;
}
