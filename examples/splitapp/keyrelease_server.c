/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * splitapp_keyrelease: the key-release party of the split application in a realm
 * (keyrelease.h). A relying party in the normal world that holds the signer's HMAC key and
 * releases it only to a realm whose attestation token it accepts: both signatures with
 * the pinned platform key, the realm's RIM among the pinned reference values (required),
 * and the challenge it expects for this connection (its nonce and the realm's ephemeral
 * key). The key then travels encrypted to that ephemeral key (X25519 here by OpenSSL, in
 * the realm by x25519.c), so the host that relays the bytes never sees it.
 *
 *   splitapp_keyrelease SOCKET --key-file FILE --platform-key PEM --ref-values FILE
 *                       [--count N]
 *
 * The key file is the party's own storage (created with a random key on first use, mode
 * 0600): in a deployment an HSM or key service, not the realm's host. Prints
 * "keyrelease: key id HEX" (the signer's key-id for this key), "keyrelease: ready SOCKET",
 * then one line per request: released or refused, with the verifier's reasons.
 */
#include <errno.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <tzm_attest.h>

#include "chanbind.h"
#include "hmac_sha256.h"
#include "io_all.h"
#include "keyrelease.h"

static char *read_text(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	long n = 0;
	if (f == NULL || fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 || n > 65536 ||
	    fseek(f, 0, SEEK_SET) != 0 || (buf = calloc(1, (size_t)n + 1)) == NULL ||
	    fread(buf, 1, (size_t)n, f) != (size_t)n) {
		fprintf(stderr, "keyrelease: cannot read %s\n", path);
		free(buf);
		buf = NULL;
	}
	if (f != NULL) {
		fclose(f);
	}
	return buf;
}

static int load_or_create_key(const char *path, uint8_t key[KR_KEY_LEN])
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	int rc = -EIO;
	if (fd >= 0) {
		rc = read(fd, key, KR_KEY_LEN) == KR_KEY_LEN ? 0 : -EIO;
		close(fd);
		return rc;
	}
	if (errno != ENOENT || RAND_bytes(key, KR_KEY_LEN) != 1) {
		return -EIO;
	}
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0) {
		return -errno;
	}
	rc = write(fd, key, KR_KEY_LEN) == KR_KEY_LEN ? 0 : -EIO;
	if (close(fd) != 0 && rc == 0) {
		rc = -EIO;
	}
	return rc;
}

struct party {
	const uint8_t *key;
	struct tzm_attest_verify_opts opts;
};

/* One realm's request on connection c: released (0), refused (1) or broken off (-1). */
static int serve(struct party *p, int c)
{
	static uint8_t token[KR_MAX_TOKEN];
	static struct tzm_attest_report report;
	uint8_t nonce[KR_NONCE_LEN], hello[KR_HELLO_LEN], hdr[KR_REQUEST_HDR_LEN];
	uint8_t out[KR_RESULT_LEN], epub[32], challenge[KR_CHALLENGE_LEN], shared[32];
	struct kr_result r;
	uint32_t len = 0;
	int rc = -1;

	memset(&r, 0, sizeof(r));
	if (RAND_bytes(nonce, sizeof(nonce)) != 1) {
		return -1;
	}
	kr_hello_encode(hello, nonce);
	if (io_write_all(c, hello, sizeof(hello)) != 0 || io_read_all(c, hdr, sizeof(hdr)) != 0 ||
	    kr_request_hdr_decode(hdr, epub, &len) != 0 || io_read_all(c, token, len) != 0) {
		printf("keyrelease: malformed or incomplete request\n");
		return -1;
	}
	kr_challenge(nonce, epub, challenge);
	p->opts.challenge = challenge;
	p->opts.challenge_len = sizeof(challenge);
	if (tzm_attest_verify(token, len, &p->opts, &report) != 0) {
		return -1;
	}
	if (report.status != TZM_ATTEST_AFFIRMING || !report.realm_decoded) {
		printf("keyrelease: refused: attestation %s:",
		       tzm_attest_status_name(report.status));
		for (size_t i = 0; i < report.num_findings && i < TZM_ATTEST_MAX_FINDINGS; i++) {
			printf(" %s", tzm_attest_reason_name(report.findings[i].reason));
		}
		printf("\n");
		r.status = KR_REFUSED;
		rc = 1;
	} else if (cb_agree_openssl(epub, r.spub, shared) != 0 ||
		   kr_seal(shared, nonce, epub, p->key, &r) != 0) {
		printf("keyrelease: refused: unusable ephemeral key\n");
		memset(&r, 0, sizeof(r));
		r.status = KR_REFUSED;
		rc = 1;
	} else {
		printf("keyrelease: released the key to an attested realm, RIM ");
		for (size_t i = 0; i < report.realm.digest_len; i++) {
			printf("%02x", report.realm.rim[i]);
		}
		printf("\n");
		rc = 0;
	}
	secure_wipe(shared, sizeof(shared));
	kr_result_encode(out, &r);
	fflush(stdout);
	return io_write_all(c, out, sizeof(out)) == 0 ? rc : -1;
}

static int has_rim(const struct tzm_attest_refvals *rv)
{
	for (size_t i = 0; i < rv->count; i++) {
		if (rv->entry[i].kind == TZM_ATTEST_RV_RIM) {
			return 1;
		}
	}
	return 0;
}

int main(int argc, char **argv)
{
	static struct tzm_attest_refvals rv;
	const char *key_path = NULL, *pk_path = NULL, *rv_path = NULL;
	struct sockaddr_un sa;
	struct party p;
	uint8_t key[KR_KEY_LEN], id[32];
	char err[256];
	char *pem = NULL;
	long count = 0, served = 0;
	int s = -1, rc = 1;

	for (int i = 2; i + 1 < argc; i += 2) {
		if (strcmp(argv[i], "--key-file") == 0) {
			key_path = argv[i + 1];
		} else if (strcmp(argv[i], "--platform-key") == 0) {
			pk_path = argv[i + 1];
		} else if (strcmp(argv[i], "--ref-values") == 0) {
			rv_path = argv[i + 1];
		} else if (strcmp(argv[i], "--count") == 0) {
			count = strtol(argv[i + 1], NULL, 10);
		} else {
			key_path = NULL;
			break;
		}
	}
	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	if (argc < 2 || argc % 2 != 0 || key_path == NULL || pk_path == NULL || rv_path == NULL ||
	    count < 0 || strlen(argv[1]) >= sizeof(sa.sun_path)) {
		fprintf(stderr, "usage: splitapp_keyrelease SOCKET --key-file FILE --platform-key "
				"PEM --ref-values FILE [--count N]\n");
		return 2;
	}
	memcpy(sa.sun_path, argv[1], strlen(argv[1]) + 1);
	memset(&p, 0, sizeof(p));
	if (tzm_attest_refvals_load(rv_path, &rv, err, sizeof(err)) != 0) {
		fprintf(stderr, "keyrelease: %s\n", err);
		return 1;
	}
	if (!has_rim(&rv)) {
		fprintf(stderr,
			"keyrelease: %s pins no RIM: refusing to release the key to any "
			"realm\n",
			rv_path);
		return 1;
	}
	pem = read_text(pk_path);
	if (pem == NULL) {
		return 1;
	}
	if (load_or_create_key(key_path, key) != 0) {
		fprintf(stderr, "keyrelease: cannot load or create the key file %s\n", key_path);
		goto out;
	}
	p.key = key;
	p.opts.platform_key_pem = pem;
	p.opts.platform_key_pem_len = strlen(pem);
	p.opts.refvals = &rv;
	hmac_sha256(key, sizeof(key), "splitapp key id", 15, id);
	printf("keyrelease: key id ");
	for (size_t i = 0; i < sizeof(id); i++) {
		printf("%02x", id[i]);
	}
	printf("\n");
	s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	(void)unlink(sa.sun_path);
	if (s < 0 || bind(s, (const struct sockaddr *)&sa, sizeof(sa)) != 0 || listen(s, 4) != 0) {
		perror("keyrelease: socket");
		goto out;
	}
	printf("keyrelease: ready %s\n", sa.sun_path);
	fflush(stdout);
	while (count == 0 || served < count) {
		int c = accept(s, NULL, NULL);
		if (c < 0) {
			if (errno == EINTR) {
				continue;
			}
			perror("keyrelease: accept");
			goto out;
		}
		(void)serve(&p, c);
		close(c);
		served++;
	}
	rc = 0;
out:
	if (s >= 0) {
		close(s);
		unlink(sa.sun_path);
	}
	secure_wipe(key, sizeof(key));
	free(pem);
	return rc;
}
