/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * HMAC-SHA256 (RFC 2104) for the native builds (the signer's developer build, the tests'
 * key scanner) on tee/common/sha256.c; constant-time compare and wipe for every build.
 */
#ifndef TZM_EXAMPLES_HMAC_SHA256_H
#define TZM_EXAMPLES_HMAC_SHA256_H

#include <stddef.h>
#include <stdint.h>

#define SHA256_DIGEST_SIZE 32
#define SHA256_BLOCK_SIZE 64

/* Not in TA builds (TZM_POSIX_TA) unless TZM_PORTABLE_HMAC is defined: the splitapp
 * signer TA MACs with the TEE's (signer_mac.c); attest_server's channel uses this one. */
void hmac_sha256(const void *key, size_t key_len, const void *msg, size_t msg_len,
		 uint8_t out[SHA256_DIGEST_SIZE]);
/* Constant-time comparison: 1 when equal. */
int hmac_equal(const uint8_t *a, const uint8_t *b, size_t len);
/* Best-effort wipe the compiler may not elide. */
void secure_wipe(void *p, size_t len);

#endif
