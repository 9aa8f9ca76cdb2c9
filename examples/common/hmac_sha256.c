/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * HMAC-SHA256 (RFC 2104) on the tree's one portable SHA-256 (tee/common/sha256.c), for the
 * native builds (the signer's developer build and the key scanner; the TA build MACs
 * through the GP API, signer_mac.c), and the constant-time compare and wipe every build
 * uses. Checked against the RFC 4231 vectors and OpenSSL by test_hmac.c.
 */
#include "hmac_sha256.h"

#include <string.h>

#if !defined(TZM_POSIX_TA) || defined(TZM_PORTABLE_HMAC)
#include "sha256.h"

void hmac_sha256(const void *key, size_t key_len, const void *msg, size_t msg_len,
		 uint8_t out[SHA256_DIGEST_SIZE])
{
	uint8_t k[SHA256_BLOCK_SIZE];
	uint8_t pad[SHA256_BLOCK_SIZE];
	uint8_t inner[SHA256_DIGEST_SIZE];
	struct tzm__sha256 c;

	memset(k, 0, sizeof(k));
	if (key_len > SHA256_BLOCK_SIZE) {
		/* RFC 2104: longer keys are hashed first (in c, which is wiped at the end). */
		tzm__sha256_init(&c);
		tzm__sha256_update(&c, key, key_len);
		tzm__sha256_final(&c, k);
	} else {
		memcpy(k, key, key_len);
	}
	for (size_t i = 0; i < sizeof(pad); i++) {
		pad[i] = k[i] ^ 0x36;
	}
	tzm__sha256_init(&c);
	tzm__sha256_update(&c, pad, sizeof(pad));
	tzm__sha256_update(&c, msg, msg_len);
	tzm__sha256_final(&c, inner);
	for (size_t i = 0; i < sizeof(pad); i++) {
		pad[i] = k[i] ^ 0x5c;
	}
	tzm__sha256_init(&c);
	tzm__sha256_update(&c, pad, sizeof(pad));
	tzm__sha256_update(&c, inner, sizeof(inner));
	tzm__sha256_final(&c, out);
	secure_wipe(k, sizeof(k));
	secure_wipe(pad, sizeof(pad));
	secure_wipe(inner, sizeof(inner));
	secure_wipe(&c, sizeof(c));
}
#endif

int hmac_equal(const uint8_t *a, const uint8_t *b, size_t len)
{
	uint8_t diff = 0;

	for (size_t i = 0; i < len; i++) {
		diff |= a[i] ^ b[i];
	}
	return diff == 0;
}

void secure_wipe(void *p, size_t len)
{
	volatile uint8_t *v = p;

	while (len-- > 0) {
		*v++ = 0;
	}
}
