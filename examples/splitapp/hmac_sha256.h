/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * SHA-256 (FIPS 180-4) and HMAC-SHA256 (RFC 2104), small and portable so the signer TA
 * needs no crypto library. Also used natively by the tests' key scanner.
 */
#ifndef SPLITAPP_HMAC_SHA256_H
#define SPLITAPP_HMAC_SHA256_H

#include <stddef.h>
#include <stdint.h>

#define SHA256_DIGEST_SIZE 32
#define SHA256_BLOCK_SIZE 64

struct sha256_ctx {
	uint32_t h[8];
	uint64_t total; /* bytes hashed so far */
	uint8_t block[SHA256_BLOCK_SIZE];
	size_t used; /* bytes pending in block */
};

void sha256_init(struct sha256_ctx *c);
void sha256_update(struct sha256_ctx *c, const void *data, size_t len);
void sha256_final(struct sha256_ctx *c, uint8_t out[SHA256_DIGEST_SIZE]);

void hmac_sha256(const void *key, size_t key_len, const void *msg, size_t msg_len,
		 uint8_t out[SHA256_DIGEST_SIZE]);
/* Constant-time comparison: 1 when equal. */
int hmac_equal(const uint8_t *a, const uint8_t *b, size_t len);
/* Best-effort wipe the compiler may not elide. */
void secure_wipe(void *p, size_t len);

#endif
