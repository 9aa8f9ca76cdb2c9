/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Ed25519 with RFC 8032's dom2 (Ed25519ctx, Ed25519ph) on libsodium (crypto_eddsa.c).
 * Self-contained (libsodium only) so that the crypto test can link it directly.
 */
#ifndef TZM_TA_HOST_CRYPTO_EDDSA_H
#define TZM_TA_HOST_CRYPTO_EDDSA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CRYPTO_EDDSA_SIG_LEN 64
#define CRYPTO_EDDSA_MAX_CTX 255 /* dom2 carries the context's length in one octet */

/* Which member of the family: dom = false is pure Ed25519 (no ph, no context); with dom,
 * ph selects Ed25519ph (the message is hashed with SHA-512 first), and ctx/ctx_len is the
 * context (at most 255 bytes, and not empty for Ed25519ctx, as RFC 8032 asks). */
struct crypto_eddsa_variant {
	bool dom;
	bool ph;
	const uint8_t *ctx;
	size_t ctx_len;
};

bool crypto_eddsa_variant_ok(const struct crypto_eddsa_variant *v);

/* Signs msg with the key whose 32-byte seed (TEE_ATTR_ED25519_PRIVATE_VALUE) is seed;
 * pub must be its public key. 0, or -1 (bad variant, pub not seed's, or r = 0). */
int crypto_eddsa_sign(uint8_t sig[CRYPTO_EDDSA_SIG_LEN], const uint8_t seed[32],
		      const uint8_t pub[32], const struct crypto_eddsa_variant *v,
		      const uint8_t *msg, size_t msg_len);

/* Whether sig is a valid signature of msg under pub (rules in crypto_eddsa.c). */
bool crypto_eddsa_verify(const uint8_t *sig, size_t sig_len, const uint8_t pub[32],
			 const struct crypto_eddsa_variant *v, const uint8_t *msg, size_t msg_len);

/* libsodium's one-time set-up, before the sandbox; 0 or -1. */
int crypto_eddsa_init(void);

#endif
