/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Key release to an attested realm. RMM 1.0 gives a realm no sealing key, so the realm
 * build of the signer gets its HMAC key from a key-release party (splitapp_keyrelease, a
 * relying party in the normal world, pinned to the platform key and the signer's RIM)
 * over a channel bound to the realm's attestation token:
 *
 *   party -> realm   HELLO    "KRH1" nonce[32]
 *   realm -> party   REQUEST  "KRQ1" epub[32] token_len(u32 LE, 1..KR_MAX_TOKEN) token
 *   party -> realm   RESULT   "KRR1" status(u32 LE: 0 released, 1 refused) spub[32]
 *                             ct[32] tag[32] (zeros when refused)
 *
 * epub is the realm's ephemeral X25519 public key; the token's challenge must be
 * kr_challenge(nonce, epub), so the token vouches for the key that the party encrypts to
 * (nobody without the realm's ephemeral secret can read the key) and is fresh (nonce).
 * The party answers with its own ephemeral spub and the key encrypted and authenticated
 * under keys derived from X25519(e, spub) and the transcript (kr_seal / kr_open).
 */
#ifndef SPLITAPP_KEYRELEASE_H
#define SPLITAPP_KEYRELEASE_H

#include <stddef.h>
#include <stdint.h>

#define KR_NONCE_LEN 32
#define KR_KEY_LEN 32
#define KR_CHALLENGE_LEN 64
#define KR_MAX_TOKEN 16384
#define KR_HELLO_LEN (4 + KR_NONCE_LEN)
#define KR_REQUEST_HDR_LEN (4 + 32 + 4)
#define KR_RESULT_LEN (4 + 4 + 32 + 32 + 32)
#define KR_RELEASED 0u
#define KR_REFUSED 1u

struct kr_result {
	uint32_t status;
	uint8_t spub[32], ct[KR_KEY_LEN], tag[32];
};

/* chanbind.h's challenge, seal and open with the label "tzm splitapp key release v1":
 * challenge = nonce || SHA-256(label || 0 || nonce || epub) */
void kr_challenge(const uint8_t nonce[KR_NONCE_LEN], const uint8_t epub[32],
		  uint8_t challenge[KR_CHALLENGE_LEN]);
/* Encrypts key to the holder of epub's secret: shared = X25519(s, epub) from the party's
 * ephemeral secret s (spub its public key). -EINVAL for a low-order epub (shared = 0). */
int kr_seal(const uint8_t shared[32], const uint8_t nonce[KR_NONCE_LEN], const uint8_t epub[32],
	    const uint8_t key[KR_KEY_LEN], struct kr_result *r);
/* The realm's side: shared = X25519(e, r->spub). 0 with key, -EINVAL (low-order spub) or
 * -EBADMSG (the tag does not verify: not from the party this token was for). */
int kr_open(const uint8_t shared[32], const uint8_t nonce[KR_NONCE_LEN], const uint8_t epub[32],
	    const struct kr_result *r, uint8_t key[KR_KEY_LEN]);

/* Fixed-layout encoding, decoded only here. Decoders return 0 or -EBADMSG. */
void kr_hello_encode(uint8_t out[KR_HELLO_LEN], const uint8_t nonce[KR_NONCE_LEN]);
int kr_hello_decode(const uint8_t in[KR_HELLO_LEN], uint8_t nonce[KR_NONCE_LEN]);
void kr_request_hdr_encode(uint8_t out[KR_REQUEST_HDR_LEN], const uint8_t epub[32],
			   uint32_t token_len);
int kr_request_hdr_decode(const uint8_t in[KR_REQUEST_HDR_LEN], uint8_t epub[32],
			  uint32_t *token_len);
void kr_result_encode(uint8_t out[KR_RESULT_LEN], const struct kr_result *r);
int kr_result_decode(const uint8_t in[KR_RESULT_LEN], struct kr_result *r);

#endif
