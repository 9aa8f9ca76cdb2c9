/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Channel binding for attested key release, shared by the examples that release a secret
 * to an attested party through a host that relays the bytes (splitapp's key release to a
 * realm, attest_remote's secret to a TA or realm). The attested party makes an ephemeral
 * X25519 key pair per connection (private e, public epub) and asks for its token with
 *
 *   challenge = nonce || SHA-256(label || 0 || nonce || epub)          (64 bytes)
 *
 * so a verifier that recomputes the challenge from its own fresh nonce and the epub it
 * received knows the token vouches for that key. The verifier then makes its own
 * ephemeral pair (spub) and seals the secret to epub under keys derived from
 * shared = X25519(s, epub) and the transcript (label, nonce, epub, spub):
 *
 *   prk = HMAC(shared, SHA-256(label || 0 || nonce || epub || spub))
 *   enc = HMAC(prk, "enc"), mac = HMAC(prk, "mac")
 *   ct  = msg XOR (HMAC(enc, be32(0)) || HMAC(enc, be32(1)) || ...)
 *   tag = HMAC(mac, nonce || epub || spub || be32(len) || SHA-256(ct))
 *
 * (encrypt-then-MAC; HMAC-SHA256 on tee/common/sha256.c in every build, so the same code
 * runs in a TA, a realm and natively). Only the holder of e can derive the keys; the keys
 * are fresh per connection because epub and spub are.
 */
#ifndef TZM_EXAMPLES_CHANBIND_H
#define TZM_EXAMPLES_CHANBIND_H

#include <stddef.h>
#include <stdint.h>

#define CB_NONCE_LEN 32
#define CB_PUB_LEN 32
#define CB_CHALLENGE_LEN 64
#define CB_TAG_LEN 32

/* Everything both ends agree on before the secret moves. label names the protocol and its
 * version (domain separation between the examples). */
struct cb_transcript {
	const char *label;
	const uint8_t *nonce; /* CB_NONCE_LEN, the verifier's */
	const uint8_t *epub;  /* CB_PUB_LEN, the attested party's, in its token's challenge */
	const uint8_t *spub;  /* CB_PUB_LEN, the verifier's ephemeral public key */
};

void cb_challenge(const char *label, const uint8_t nonce[CB_NONCE_LEN],
		  const uint8_t epub[CB_PUB_LEN], uint8_t challenge[CB_CHALLENGE_LEN]);
/* ct = msg encrypted (len bytes, may alias msg), tag over it and the transcript.
 * -EINVAL for an all-zero shared secret (a low-order public key). */
int cb_seal(const struct cb_transcript *t, const uint8_t shared[32], const uint8_t *msg, size_t len,
	    uint8_t *ct, uint8_t tag[CB_TAG_LEN]);
/* msg = ct decrypted if tag verifies (checked before anything is decrypted): 0,
 * -EINVAL (low-order key) or -EBADMSG (not sealed for this transcript). */
int cb_open(const struct cb_transcript *t, const uint8_t shared[32], const uint8_t *ct, size_t len,
	    const uint8_t tag[CB_TAG_LEN], uint8_t *msg);

/* The verifier's side with OpenSSL (chanbind_openssl.c, native builds only): a fresh
 * X25519 pair, spub its public key, shared = X25519(s, epub). 0, or -1 (also for a
 * low-order epub, which OpenSSL refuses). */
int cb_agree_openssl(const uint8_t epub[CB_PUB_LEN], uint8_t spub[CB_PUB_LEN], uint8_t shared[32]);

#endif
