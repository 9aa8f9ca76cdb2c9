/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * X25519 (RFC 7748, section 5): the key agreement of the attested party in the examples'
 * channel binding (chanbind.h) where OpenSSL is not at hand (a TA, a realm). Own code, constant
 * time in the scalar (Montgomery ladder with conditional swaps, no secret-dependent branches or
 * indices); checked against RFC 7748's vectors and OpenSSL by examples/splitapp/test_hmac.c.
 */
#ifndef TZM_EXAMPLES_X25519_H
#define TZM_EXAMPLES_X25519_H

#include <stdint.h>

#define X25519_LEN 32

/* out = X25519(scalar, u). The scalar is clamped as RFC 7748 requires. */
void x25519(uint8_t out[X25519_LEN], const uint8_t scalar[X25519_LEN], const uint8_t u[X25519_LEN]);
/* out = X25519(scalar, 9): the public key of scalar. */
void x25519_public(uint8_t out[X25519_LEN], const uint8_t scalar[X25519_LEN]);

#endif
