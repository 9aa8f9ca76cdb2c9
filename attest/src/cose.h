// SPDX-License-Identifier: BSD-2-Clause
/*
 * COSE_Sign1 (RFC 9052) decoding, verification and signing with ECDSA (ES256/ES384),
 * EC2 COSE_Key and raw-point public keys, and the opaque tzm_attest_key. Private to attest/.
 */
#ifndef TZM_ATTEST_COSE_H
#define TZM_ATTEST_COSE_H

#include <openssl/evp.h>

#include "cbor.h"

#define TZM_CBOR_TAG_COSE_SIGN1 18

struct tzm_attest_key {
	EVP_PKEY *pkey;
};

struct tzm_cose_sign1 {
	int64_t alg;
	struct tzm_span protected_hdr; /* encoded protected header map (signed) */
	struct tzm_span payload;
	struct tzm_span signature;
};

/*
 * Decodes tag 18 [protected, unprotected, payload, signature]. Rejects: missing tag,
 * alg absent/unsupported or in the unprotected bucket, crit headers (we understand none),
 * detached payloads, signatures of the wrong length for the algorithm.
 */
int tzm__cose_sign1_decode(struct tzm_span in, struct tzm_cose_sign1 *out, const char **why);
/* 0 if the signature verifies, -EBADMSG if not, -EINVAL if the key does not fit the alg. */
int tzm__cose_sign1_verify(EVP_PKEY *pkey, const struct tzm_cose_sign1 *s);
/* Appends tag 18 COSE_Sign1 over payload signed with key (alg ES384 for P-384). */
int tzm__cose_sign1_sign(EVP_PKEY *key, const uint8_t *payload, size_t payload_len,
			 struct tzm_cbor_enc *e);

/* Public key from 0x04 || X || Y on P-256 (65 B) or P-384 (97 B); NULL on error. */
EVP_PKEY *tzm__pkey_from_point(const uint8_t *point, size_t len);
/* EC2 P-384 COSE_Key {1: 2, -1: 2, -2: x, -3: y [, 3: -35] [, 2: kid]} -> 0x04||X||Y. */
int tzm__cose_key_decode(struct tzm_span in, uint8_t point[97], const char **why);
void tzm__cose_key_encode(const uint8_t point[97], struct tzm_cbor_enc *e);
/* Curve size in bits of an EC public key (256 or 384), 0 if not a supported EC key. */
int tzm__pkey_ec_bits(EVP_PKEY *pkey);
/* Digest by COSE-style hash name ("sha-256", "sha-384", "sha-512"); -EINVAL if unknown. */
int tzm__hash(const char *name, const uint8_t *p, size_t n, uint8_t *out, size_t *out_len);
size_t tzm__hash_len(const char *name); /* 0 if unknown */

#endif
