/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * attest_remote server: an ordinary POSIX TCP server that runs as a TA through the
 * mediator (`tzm run <uuid> -- ADDR PORT`). For each client it answers the client's
 * challenge with the TA's attestation token (tzm_attest_token(): measurement of this
 * .ta file, UUID, per-instance key, platform token) and only then receives the secret,
 * which never leaves the TA (it prints its length and a digest prefix, not the secret).
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

#include "proto.h"

#if defined(TZM_POSIX_TA) || defined(TZM_POSIX_REALM)
#include <tee_api_defines.h>
#include <tzm_attest_ta.h>
#endif

static uint8_t token[PROTO_MAX_TOKEN];

/* The token for this challenge; only a TA or a realm has one. */
static int get_token(const uint8_t challenge[PROTO_CHALLENGE_LEN], size_t *len)
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

/* A tiny non-cryptographic fingerprint, enough to show which secret arrived. */
static uint32_t fnv1a(const uint8_t *p, size_t n)
{
	uint32_t h = 2166136261u;
	for (size_t i = 0; i < n; i++) {
		h = (h ^ p[i]) * 16777619u;
	}
	return h;
}

static void serve(int c)
{
	char magic[4];
	uint8_t challenge[PROTO_CHALLENGE_LEN];
	uint8_t secret[PROTO_MAX_SECRET];
	uint32_t secret_len = 0;
	size_t len = 0;

	if (proto_read_all(c, magic, sizeof(magic)) != 0 || memcmp(magic, PROTO_MAGIC, 4) != 0 ||
	    proto_read_all(c, challenge, sizeof(challenge)) != 0) {
		fprintf(stderr, "attest_server: bad request\n");
		return;
	}
	if (get_token(challenge, &len) != 0 || proto_write_u32(c, (uint32_t)len) != 0 ||
	    proto_write_all(c, token, len) != 0) {
		return;
	}
	if (proto_read_u32(c, &secret_len) != 0) {
		fprintf(stderr,
			"attest_server: client withheld the secret (attestation refused)\n");
		return;
	}
	if (secret_len == 0 || secret_len > sizeof(secret) ||
	    proto_read_all(c, secret, secret_len) != 0) {
		fprintf(stderr, "attest_server: bad secret\n");
		return;
	}
	fprintf(stderr, "attest_server: received a secret of %u bytes (fingerprint %08x)\n",
		secret_len, fnv1a(secret, secret_len));
	memset(secret, 0, sizeof(secret));
	proto_write_all(c, "OK\n", 3);
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
