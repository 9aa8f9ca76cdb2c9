/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Key storage for the signer (see keystore.h): GP secure storage in the TA build, a plain
 * developer file in native builds. Exactly one implementation is compiled.
 */
#include "keystore.h"

#include <errno.h>
#include <stddef.h>
#include <string.h>

#include "hmac_sha256.h"

#if defined(TZM_POSIX_TA)

#include <tee_internal_api.h>

static const char key_id[] = "splitapp.hmac-sha256.key.v1";

static int read_key(uint8_t key[SPLITAPP_KEY_SIZE])
{
	TEE_ObjectHandle h = TEE_HANDLE_NULL;
	size_t count = 0;
	TEE_Result res = TEE_OpenPersistentObject(TEE_STORAGE_PRIVATE, key_id, sizeof(key_id) - 1,
						  TEE_DATA_FLAG_ACCESS_READ, &h);

	if (res == TEE_ERROR_ITEM_NOT_FOUND) {
		return -ENOENT;
	}
	if (res != TEE_SUCCESS) {
		return -EIO;
	}
	res = TEE_ReadObjectData(h, key, SPLITAPP_KEY_SIZE, &count);
	TEE_CloseObject(h);
	if (res != TEE_SUCCESS || count != SPLITAPP_KEY_SIZE) {
		secure_wipe(key, SPLITAPP_KEY_SIZE);
		return -EIO;
	}
	return 0;
}

int keystore_load(uint8_t key[SPLITAPP_KEY_SIZE], const char *dev_file, int *created)
{
	TEE_ObjectHandle h = TEE_HANDLE_NULL;
	TEE_Result res = TEE_SUCCESS;
	int rc = 0;

	*created = 0;
	if (dev_file != NULL) {
		return -EINVAL; /* a TA never takes its key from the normal world */
	}
	rc = read_key(key);
	if (rc != -ENOENT) {
		return rc;
	}
	TEE_GenerateRandom(key, SPLITAPP_KEY_SIZE);
	/* No OVERWRITE flag: if another instance won the race, use the key it stored. */
	res = TEE_CreatePersistentObject(TEE_STORAGE_PRIVATE, key_id, sizeof(key_id) - 1,
					 TEE_DATA_FLAG_ACCESS_READ, TEE_HANDLE_NULL, key,
					 SPLITAPP_KEY_SIZE, &h);
	if (res == TEE_ERROR_ACCESS_CONFLICT) {
		secure_wipe(key, SPLITAPP_KEY_SIZE);
		return read_key(key);
	}
	if (res != TEE_SUCCESS) {
		secure_wipe(key, SPLITAPP_KEY_SIZE);
		return -EIO;
	}
	TEE_CloseObject(h);
	*created = 1;
	return 0;
}

#else /* native and local-transport builds: no secure world */

#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

static int read_full(int fd, uint8_t *p, size_t len)
{
	while (len > 0) {
		ssize_t n = read(fd, p, len);

		if (n <= 0) {
			return n == 0 ? -EIO : -errno;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

int keystore_load(uint8_t key[SPLITAPP_KEY_SIZE], const char *dev_file, int *created)
{
	int fd = -1;
	int rc = 0;

	*created = 0;
	if (dev_file == NULL) {
		return -EINVAL;
	}
	fprintf(stderr, "signer: WARNING: not a TA build; the key is kept in the plain file %s\n",
		dev_file);
	fd = open(dev_file, O_RDONLY);
	if (fd >= 0) {
		rc = read_full(fd, key, SPLITAPP_KEY_SIZE);
		close(fd);
		return rc;
	}
	if (errno != ENOENT) {
		return -errno;
	}
	fd = open("/dev/urandom", O_RDONLY);
	if (fd < 0) {
		return -errno;
	}
	rc = read_full(fd, key, SPLITAPP_KEY_SIZE);
	close(fd);
	if (rc != 0) {
		return rc;
	}
	fd = open(dev_file, O_WRONLY | O_CREAT | O_EXCL, 0600);
	if (fd < 0) {
		return -errno;
	}
	if (write(fd, key, SPLITAPP_KEY_SIZE) != SPLITAPP_KEY_SIZE) {
		rc = -EIO;
	}
	if (close(fd) != 0 && rc == 0) {
		rc = -errno;
	}
	*created = rc == 0;
	return rc;
}

#endif
