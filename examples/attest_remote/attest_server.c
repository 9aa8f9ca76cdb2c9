/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * attest_remote server: an ordinary POSIX TCP server that runs as a TA through the
 * mediator (`tzm run <uuid> -- ADDR PORT`). For each client it answers the client's
 * challenge with the TA's attestation token (tzm_attest_token(): measurement of this
 * .ta file, UUID, per-instance key, platform token) and only then receives the secret,
 * which never leaves the TA (it prints its length and a digest prefix, not the secret).
 * The token's challenge binds a per-connection X25519 key whose private half exists only
 * in the TA, and the client encrypts the secret to it (proto.h, protocol v2): tzm-run,
 * which relays every byte of the connection, sees only ciphertext.
 *
 * usage: attest_server ADDR PORT [--count N]     (PORT 0: any; the port is printed)
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "chanbind.h"
#include "hmac_sha256.h"
#include "io_all.h"
#include "proto.h"
#include "x25519.h"

#if defined(TZM_POSIX_TA) || defined(TZM_POSIX_REALM)
#include <tee_api_defines.h>
#include <tzm_attest_ta.h>
#endif
#if defined(TZM_POSIX_TA)
#include <tee_internal_api.h>
#else
#include <sys/random.h>
#endif

static uint8_t token[PROTO_MAX_TOKEN];

/* The token for this challenge; only a TA or a realm has one. */
static int get_token(const uint8_t challenge[CB_CHALLENGE_LEN], size_t *len)
{
#if defined(TZM_POSIX_TA) || defined(TZM_POSIX_REALM)
	*len = sizeof(token);
	uint32_t res = tzm_attest_token(challenge, token, len); /* TA or realm: same call */
	if (res != TEE_SUCCESS) {
		fprintf(stderr, "attest_server: tzm_attest_token failed: 0x%08x\n", res);
		return -1;
	}
	return 0;
#else
	(void)challenge;
	(void)len;
	fprintf(stderr, "attest_server: only the TA build can attest (run it with tzm run)\n");
	return -1;
#endif
}

/* The ephemeral private key must come from the secure side: a TA asks the TEE (getrandom
 * would be forwarded to the untrusted shadow), a realm its own kernel (stands for RNDR). */
static int random_bytes(uint8_t *p, size_t len)
{
#if defined(TZM_POSIX_TA)
	TEE_GenerateRandom(p, len);
	return 0;
#else
	/* up to 256 bytes: getrandom() returns all of them or fails (getrandom(2)) */
	return getrandom(p, len, 0) == (ssize_t)len ? 0 : -1;
#endif
}

/* A tiny non-cryptographic fingerprint, enough to show which secret arrived. */
static uint32_t fnv1a(const uint8_t *p, size_t n)
{
	uint32_t h = 2166136261u;
	for (size_t i = 0; i < n; i++) {
		h = (h ^ p[i]) * 16777619u;
	}
	return h;
}

/* After the token: spub | ct_len | ct | tag, opened with e. 0 with the secret in
 * secret/secret_len, or -1 (reason printed). */
static int receive_secret(int c, const uint8_t e[32], const struct cb_transcript *t,
			  uint8_t secret[PROTO_MAX_SECRET], uint32_t *secret_len)
{
	uint8_t spub[CB_PUB_LEN], tag[CB_TAG_LEN], shared[32];
	static uint8_t ct[PROTO_MAX_SECRET];
	struct cb_transcript full = *t;
	int rc = -1;

	if (io_read_all(c, spub, sizeof(spub)) != 0) {
		fprintf(stderr,
			"attest_server: client withheld the secret (attestation refused)\n");
		return -1;
	}
	if (proto_read_u32(c, secret_len) != 0 || *secret_len == 0 ||
	    *secret_len > PROTO_MAX_SECRET || io_read_all(c, ct, *secret_len) != 0 ||
	    io_read_all(c, tag, sizeof(tag)) != 0) {
		fprintf(stderr, "attest_server: bad secret\n");
		return -1;
	}
	full.spub = spub;
	x25519(shared, e, spub);
	if (cb_open(&full, shared, ct, *secret_len, tag, secret) != 0) {
		fprintf(stderr, "attest_server: the secret does not authenticate (not sealed to "
				"this connection's key): dropped\n");
		goto out;
	}
	rc = 0;
out:
	secure_wipe(shared, sizeof(shared));
	return rc;
}

static void serve(int c)
{
	char magic[4];
	uint8_t nonce[CB_NONCE_LEN], challenge[CB_CHALLENGE_LEN], e[32], epub[CB_PUB_LEN];
	uint8_t secret[PROTO_MAX_SECRET];
	uint32_t secret_len = 0;
	size_t len = 0;

	if (io_read_all(c, magic, sizeof(magic)) != 0) {
		fprintf(stderr, "attest_server: bad request\n");
		return;
	}
	if (memcmp(magic, PROTO_MAGIC_V1, 4) == 0) {
		fprintf(stderr, "attest_server: refused a protocol v1 client (\"TZMA\": its secret "
				"would cross the relay in clear); this server speaks v2 "
				"(\"TZA2\", secret encrypted to a key in the token)\n");
		return;
	}
	if (memcmp(magic, PROTO_MAGIC, 4) != 0 || io_read_all(c, nonce, sizeof(nonce)) != 0) {
		fprintf(stderr, "attest_server: bad request\n");
		return;
	}
	if (random_bytes(e, sizeof(e)) != 0) {
		fprintf(stderr, "attest_server: no randomness for the ephemeral key\n");
		return;
	}
	x25519_public(epub, e);
	cb_challenge(PROTO_LABEL, nonce, epub, challenge);
	const struct cb_transcript t = { PROTO_LABEL, nonce, epub, NULL };
	if (get_token(challenge, &len) != 0 || io_write_all(c, PROTO_MAGIC, 4) != 0 ||
	    io_write_all(c, epub, sizeof(epub)) != 0 || proto_write_u32(c, (uint32_t)len) != 0 ||
	    io_write_all(c, token, len) != 0 ||
	    receive_secret(c, e, &t, secret, &secret_len) != 0) {
		goto out;
	}
	fprintf(stderr, "attest_server: received a secret of %u bytes (fingerprint %08x)\n",
		secret_len, fnv1a(secret, secret_len));
	io_write_all(c, "OK\n", 3);
out:
	secure_wipe(e, sizeof(e));
	secure_wipe(secret, sizeof(secret));
}

int main(int argc, char **argv)
{
	struct sockaddr_in sa;
	socklen_t sl = sizeof(sa);
	long count = -1;
	int one = 1;

	if (argc == 5 && strcmp(argv[3], "--count") == 0) {
		count = strtol(argv[4], NULL, 10);
	} else if (argc != 3) {
		fprintf(stderr, "usage: attest_server ADDR PORT [--count N]\n");
		return 64;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_port = htons((uint16_t)atoi(argv[2]));
	if (inet_pton(AF_INET, argv[1], &sa.sin_addr) != 1) {
		fprintf(stderr, "attest_server: bad IPv4 address %s\n", argv[1]);
		return 64;
	}
	int s = socket(AF_INET, SOCK_STREAM, 0);
	if (s < 0 || setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) != 0 ||
	    bind(s, (struct sockaddr *)&sa, sizeof(sa)) != 0 || listen(s, 4) != 0 ||
	    getsockname(s, (struct sockaddr *)&sa, &sl) != 0) {
		perror("attest_server: listen");
		return 1;
	}
	fprintf(stderr, "attest_server: listening on %s:%u\n", argv[1], ntohs(sa.sin_port));
	for (long served = 0; count < 0 || served < count; served++) {
		int c = accept(s, NULL, NULL);
		if (c < 0) {
			if (errno == EINTR) {
				break;
			}
			perror("attest_server: accept");
			return 1;
		}
		serve(c);
		close(c);
	}
	close(s);
	return 0;
}
