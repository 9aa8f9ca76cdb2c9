/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Ed25519ctx and Ed25519ph (RFC 8032 section 5.1) on libsodium's constant-time primitives.
 * Debian's OpenSSL 3.0 has pure Ed25519 only (the context and pre-hash instances arrived
 * in 3.2), so TEE_ALG_ED25519 with TEE_ATTR_EDDSA_CTX or TEE_ATTR_EDDSA_PREHASH comes
 * here; pure Ed25519 stays with OpenSSL. This file depends on libsodium alone, so the
 * crypto test links it to cross-check its pure form (no dom2) against OpenSSL.
 *
 * Signing (5.1.6), with dom2(F, C) = "SigEd25519 no Ed25519 collisions" || F || |C| || C
 * (omitted for pure Ed25519) and M' = SHA-512(M) for Ed25519ph, M' = M otherwise:
 *   h = SHA-512(seed); s = clamp(h[0..31]); prefix = h[32..63]; A = [s]B
 *   r = SHA-512(dom2 || prefix || M') mod L; R = [r]B
 *   k = SHA-512(dom2 || R || A || M') mod L; S = (r + k s) mod L; signature = R || S
 * The public key is derived from the seed, never taken from the caller: signing with a
 * mismatched A would disclose s.
 *
 * Verification (5.1.7) is libsodium's strict form of the cofactorless check
 * R == [S]B - [k]A: S must be below L (no malleable second signature), A must be a
 * canonical encoding of a point of the prime-order subgroup other than the identity
 * (RFC 8032 and OpenSSL also accept small-order and mixed-order keys; an honest key never
 * is one), and R must equal the canonical encoding of the computed point, which rejects
 * every non-canonical R as OpenSSL does.
 */
#include <sodium.h>
#include <string.h>

#include "crypto_eddsa.h"

static const char dom2_prefix[32] = "SigEd25519 no Ed25519 collisions";

/* The group order L = 2^252 + 27742317777372353535851937790883648493, little-endian. */
static const uint8_t group_order[32] = { 0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58,
					 0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9, 0xde, 0x14,
					 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
					 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x10 };

/* The encoding of the neutral element (0, 1). */
static const uint8_t identity[32] = { 1 };

bool crypto_eddsa_variant_ok(const struct crypto_eddsa_variant *v)
{
	if (!v->dom) {
		return !v->ph && v->ctx_len == 0;
	}
	/* Ed25519ctx with an empty context is what RFC 8032 says not to use (OP-TEE, and
	 * crypto_asym.c, run pure Ed25519 for it) */
	return v->ctx_len <= CRYPTO_EDDSA_MAX_CTX && (v->ctx || v->ctx_len == 0) &&
	       (v->ph || v->ctx_len > 0);
}

/* Starts SHA-512(dom2 || ...); pure Ed25519 has no dom2. */
static void hash_start(crypto_hash_sha512_state *st, const struct crypto_eddsa_variant *v)
{
	uint8_t flags[2] = { v->ph ? 1 : 0, (uint8_t)v->ctx_len };

	crypto_hash_sha512_init(st);
	if (v->dom) {
		crypto_hash_sha512_update(st, (const uint8_t *)dom2_prefix, sizeof(dom2_prefix));
		crypto_hash_sha512_update(st, flags, sizeof(flags));
		crypto_hash_sha512_update(st, v->ctx, v->ctx_len);
	}
}

/* M' of the variant: msg itself, or SHA-512(msg) in ph_buf for Ed25519ph. */
static void message_of(const struct crypto_eddsa_variant *v, const uint8_t **msg, size_t *msg_len,
		       uint8_t ph_buf[crypto_hash_sha512_BYTES])
{
	if (v->ph) {
		crypto_hash_sha512(ph_buf, *msg, *msg_len);
		*msg = ph_buf;
		*msg_len = crypto_hash_sha512_BYTES;
	}
}

/* SHA-512(dom2 || a || b || msg) mod L; b may be NULL. */
static void hash_to_scalar(uint8_t out[32], const struct crypto_eddsa_variant *v, const uint8_t *a,
			   size_t a_len, const uint8_t *b, size_t b_len, const uint8_t *msg,
			   size_t msg_len)
{
	crypto_hash_sha512_state st;
	uint8_t h[crypto_hash_sha512_BYTES];

	hash_start(&st, v);
	crypto_hash_sha512_update(&st, a, a_len);
	if (b) {
		crypto_hash_sha512_update(&st, b, b_len);
	}
	crypto_hash_sha512_update(&st, msg, msg_len);
	crypto_hash_sha512_final(&st, h);
	crypto_core_ed25519_scalar_reduce(out, h);
	sodium_memzero(h, sizeof(h));
	sodium_memzero(&st, sizeof(st));
}

int crypto_eddsa_sign(uint8_t sig[CRYPTO_EDDSA_SIG_LEN], const uint8_t seed[32],
		      const uint8_t pub[32], const struct crypto_eddsa_variant *v,
		      const uint8_t *msg, size_t msg_len)
{
	uint8_t h[crypto_hash_sha512_BYTES];
	uint8_t ph_buf[crypto_hash_sha512_BYTES];
	uint8_t derived_pub[32], r[32], k[32];
	uint8_t ks[64] = { 0 }, sum[64] = { 0 }; /* reduced below: 512-bit room */
	int rc = -1;

	if (!crypto_eddsa_variant_ok(v) || (!msg && msg_len)) {
		return -1;
	}
	crypto_hash_sha512(h, seed, 32);
	h[0] &= 248;
	h[31] &= 127;
	h[31] |= 64;
	if (crypto_scalarmult_ed25519_base_noclamp(derived_pub, h) != 0 ||
	    sodium_memcmp(derived_pub, pub, 32) != 0) {
		goto out;
	}
	message_of(v, &msg, &msg_len, ph_buf);
	hash_to_scalar(r, v, h + 32, 32, NULL, 0, msg, msg_len);
	/* r = 0 (probability 2^-252) has no base multiple libsodium encodes: an error */
	if (crypto_scalarmult_ed25519_base_noclamp(sig, r) != 0) {
		goto out;
	}
	hash_to_scalar(k, v, sig, 32, derived_pub, 32, msg, msg_len);
	/* s < 2^255, as scalar_mul's 256-bit input wants; the result is reduced */
	crypto_core_ed25519_scalar_mul(ks, k, h);
	/* r + ks < 2L: the sum libsodium's scalar_add makes, in buffers wiped here */
	memcpy(sum, r, sizeof(r));
	sodium_add(sum, ks, sizeof(sum));
	crypto_core_ed25519_scalar_reduce(sig + 32, sum);
	rc = 0;
out:
	sodium_memzero(h, sizeof(h));
	sodium_memzero(r, sizeof(r));
	sodium_memzero(ks, sizeof(ks));
	sodium_memzero(sum, sizeof(sum));
	sodium_memzero(ph_buf, sizeof(ph_buf));
	if (rc != 0) {
		sodium_memzero(sig, CRYPTO_EDDSA_SIG_LEN);
	}
	return rc;
}

/* Whether the little-endian 256-bit s is below L (public data: variable time is fine). */
static bool scalar_is_canonical(const uint8_t s[32])
{
	for (size_t i = 32; i-- > 0;) {
		if (s[i] != group_order[i]) {
			return s[i] < group_order[i];
		}
	}
	return false;
}

bool crypto_eddsa_verify(const uint8_t *sig, size_t sig_len, const uint8_t pub[32],
			 const struct crypto_eddsa_variant *v, const uint8_t *msg, size_t msg_len)
{
	uint8_t ph_buf[crypto_hash_sha512_BYTES];
	uint8_t k[32], sb[32], ka[32], r_check[32];

	if (!crypto_eddsa_variant_ok(v) || (!msg && msg_len) || !sig ||
	    sig_len != CRYPTO_EDDSA_SIG_LEN || !scalar_is_canonical(sig + 32) ||
	    !crypto_core_ed25519_is_valid_point(pub)) {
		return false;
	}
	message_of(v, &msg, &msg_len, ph_buf);
	hash_to_scalar(k, v, sig, 32, pub, 32, msg, msg_len);
	/* libsodium refuses a zero scalar: its multiple is the identity */
	if (sodium_is_zero(sig + 32, 32)) {
		memcpy(sb, identity, sizeof(sb));
	} else if (crypto_scalarmult_ed25519_base_noclamp(sb, sig + 32) != 0) {
		return false;
	}
	if (sodium_is_zero(k, sizeof(k))) {
		memcpy(ka, identity, sizeof(ka));
	} else if (crypto_scalarmult_ed25519_noclamp(ka, k, pub) != 0) {
		return false;
	}
	if (crypto_core_ed25519_sub(r_check, sb, ka) != 0) {
		return false;
	}
	return memcmp(r_check, sig, 32) == 0;
}

int crypto_eddsa_init(void)
{
	/* 0: initialised now, 1: already; either way no later lazy set-up */
	return sodium_init() < 0 ? -1 : 0;
}
