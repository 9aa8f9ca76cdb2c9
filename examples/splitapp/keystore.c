/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Key storage for the signer (see keystore.h): GP secure storage in the TA build, key
 * release to the attested realm in the realm build, a plain developer file in native
 * builds. Exactly one implementation is compiled.
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

#elif defined(TZM_POSIX_REALM)

/*
 * A realm (RMM 1.0) has no sealing key and no storage of its own: the key comes from the
 * key-release party at `where` (a UNIX stream socket), which hands it only to a realm
 * whose token it accepts (platform key, RIM) and only over a channel bound to that token
 * (keyrelease.h). Nothing is stored: every start asks again.
 */
#include <stdio.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <tzm_attest_ta.h>

#include "io_all.h"
#include "keyrelease.h"
#include "x25519.h"

static int random_bytes(uint8_t *p, size_t len)
{
	/* stands for the CPU's RNDR: the realm process asks its kernel */
	while (len > 0) {
		ssize_t n = getrandom(p, len, 0);
		if (n < 0 && errno == EINTR) {
			continue;
		}
		if (n <= 0) {
			return -EIO;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

static int fetch_key(int s, uint8_t key[SPLITAPP_KEY_SIZE])
{
	static uint8_t token[KR_MAX_TOKEN];
	uint8_t hello[KR_HELLO_LEN], req[KR_REQUEST_HDR_LEN], res[KR_RESULT_LEN];
	uint8_t nonce[KR_NONCE_LEN], challenge[KR_CHALLENGE_LEN], e[32], epub[32], shared[32];
	struct kr_result r;
	size_t len = sizeof(token);
	int rc = -EIO;

	if (random_bytes(e, sizeof(e)) != 0) {
		fprintf(stderr, "signer: no randomness for the ephemeral key\n");
		goto out;
	}
	x25519_public(epub, e);
	if (io_read_all(s, hello, sizeof(hello)) != 0 || kr_hello_decode(hello, nonce) != 0) {
		fprintf(stderr, "signer: key release: no greeting from the key-release party\n");
		goto out;
	}
	kr_challenge(nonce, epub, challenge);
	uint32_t res_code = tzm_attest_token(challenge, token, &len);
	if (res_code != 0) {
		fprintf(stderr, "signer: key release: no attestation token (0x%08x)\n", res_code);
		goto out;
	}
	kr_request_hdr_encode(req, epub, (uint32_t)len);
	if (io_write_all(s, req, sizeof(req)) != 0 || io_write_all(s, token, len) != 0 ||
	    io_read_all(s, res, sizeof(res)) != 0 || kr_result_decode(res, &r) != 0) {
		fprintf(stderr, "signer: key release: the key-release party broke off\n");
		goto out;
	}
	if (r.status == KR_REFUSED) {
		fprintf(stderr, "signer: key release refused: the key-release party did not "
				"accept this realm's attestation\n");
		rc = -EACCES;
		goto out;
	}
	x25519(shared, e, r.spub);
	rc = kr_open(shared, nonce, epub, &r, key);
	if (rc != 0) {
		fprintf(stderr, "signer: key release: the answer does not authenticate\n");
	}
out:
	secure_wipe(e, sizeof(e));
	secure_wipe(shared, sizeof(shared));
	return rc;
}

int keystore_load(uint8_t key[SPLITAPP_KEY_SIZE], const char *where, int *created)
{
	struct sockaddr_un sa;
	int s = -1, rc = 0;

	*created = 0;
	if (where == NULL || strlen(where) >= sizeof(sa.sun_path)) {
		return -EINVAL;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	memcpy(sa.sun_path, where, strlen(where) + 1);
	s = socket(AF_UNIX, SOCK_STREAM, 0);
	if (s < 0 || connect(s, (const struct sockaddr *)&sa, sizeof(sa)) != 0) {
		rc = -errno;
		fprintf(stderr, "signer: cannot reach the key-release party at %s: %s\n", where,
			strerror(errno));
		goto out;
	}
	rc = fetch_key(s, key);
out:
	if (s >= 0) {
		close(s);
	}
	return rc;
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
