/* SPDX-License-Identifier: BSD-2-Clause */
/* Channel binding for attested key release (chanbind.h). */
#include "chanbind.h"

#include <errno.h>
#include <string.h>

#include "hmac_sha256.h"
#include "sha256.h"

void cb_challenge(const char *label, const uint8_t nonce[CB_NONCE_LEN],
		  const uint8_t epub[CB_PUB_LEN], uint8_t challenge[CB_CHALLENGE_LEN])
{
	struct tzm__sha256 c;
	tzm__sha256_init(&c);
	tzm__sha256_update(&c, label, strlen(label) + 1);
	tzm__sha256_update(&c, nonce, CB_NONCE_LEN);
	tzm__sha256_update(&c, epub, CB_PUB_LEN);
	memcpy(challenge, nonce, CB_NONCE_LEN);
	tzm__sha256_final(&c, challenge + CB_NONCE_LEN);
}

static int all_zero(const uint8_t *p, size_t len)
{
	uint8_t acc = 0;
	for (size_t i = 0; i < len; i++) {
		acc |= p[i];
	}
	return acc == 0;
}

/* enc and mac keys from the shared secret and the whole transcript */
static void derive(const struct cb_transcript *t, const uint8_t shared[32], uint8_t enc[32],
		   uint8_t mac[32])
{
	uint8_t prk[32];
	struct tzm__sha256 c;
	uint8_t digest[32];
	/* the transcript is hashed first: the label's length varies */
	tzm__sha256_init(&c);
	tzm__sha256_update(&c, t->label, strlen(t->label) + 1);
	tzm__sha256_update(&c, t->nonce, CB_NONCE_LEN);
	tzm__sha256_update(&c, t->epub, CB_PUB_LEN);
	tzm__sha256_update(&c, t->spub, CB_PUB_LEN);
	tzm__sha256_final(&c, digest);
	hmac_sha256(shared, 32, digest, sizeof(digest), prk);
	hmac_sha256(prk, sizeof(prk), "enc", 3, enc);
	hmac_sha256(prk, sizeof(prk), "mac", 3, mac);
	secure_wipe(prk, sizeof(prk));
}

static void put_be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

/* out = in XOR the keystream of enc (in and out may alias) */
static void crypt(const uint8_t enc[32], const uint8_t *in, size_t len, uint8_t *out)
{
	uint8_t block[32], ctr[4];
	for (size_t off = 0; off < len; off += sizeof(block)) {
		put_be32(ctr, (uint32_t)(off / sizeof(block)));
		hmac_sha256(enc, 32, ctr, sizeof(ctr), block);
		for (size_t i = 0; i < sizeof(block) && off + i < len; i++) {
			out[off + i] = in[off + i] ^ block[i];
		}
	}
	secure_wipe(block, sizeof(block));
}

static void tag_of(const struct cb_transcript *t, const uint8_t mac[32], const uint8_t *ct,
		   size_t len, uint8_t tag[CB_TAG_LEN])
{
	uint8_t m[CB_NONCE_LEN + 2 * CB_PUB_LEN + 4 + 32];
	memcpy(m, t->nonce, CB_NONCE_LEN);
	memcpy(m + CB_NONCE_LEN, t->epub, CB_PUB_LEN);
	memcpy(m + CB_NONCE_LEN + CB_PUB_LEN, t->spub, CB_PUB_LEN);
	put_be32(m + CB_NONCE_LEN + 2 * CB_PUB_LEN, (uint32_t)len);
	tzm__sha256(ct, len, m + CB_NONCE_LEN + 2 * CB_PUB_LEN + 4);
	hmac_sha256(mac, 32, m, sizeof(m), tag);
}

int cb_seal(const struct cb_transcript *t, const uint8_t shared[32], const uint8_t *msg, size_t len,
	    uint8_t *ct, uint8_t tag[CB_TAG_LEN])
{
	uint8_t enc[32], mac[32];
	if (all_zero(shared, 32) || len > UINT32_MAX) {
		return -EINVAL;
	}
	derive(t, shared, enc, mac);
	crypt(enc, msg, len, ct);
	tag_of(t, mac, ct, len, tag);
	secure_wipe(enc, sizeof(enc));
	secure_wipe(mac, sizeof(mac));
	return 0;
}

int cb_open(const struct cb_transcript *t, const uint8_t shared[32], const uint8_t *ct, size_t len,
	    const uint8_t tag[CB_TAG_LEN], uint8_t *msg)
{
	uint8_t enc[32], mac[32], want[CB_TAG_LEN];
	int rc = 0;
	if (all_zero(shared, 32) || len > UINT32_MAX) {
		return -EINVAL;
	}
	derive(t, shared, enc, mac);
	tag_of(t, mac, ct, len, want);
	if (!hmac_equal(want, tag, sizeof(want))) {
		rc = -EBADMSG;
		goto out;
	}
	crypt(enc, ct, len, msg);
out:
	secure_wipe(enc, sizeof(enc));
	secure_wipe(mac, sizeof(mac));
	return rc;
}
