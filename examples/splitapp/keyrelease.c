/* SPDX-License-Identifier: BSD-2-Clause */
/* Key release protocol and channel crypto (keyrelease.h), shared by the realm signer and
 * the key-release party. */
#include "keyrelease.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "hmac_sha256.h"
#include "sha256.h"

static const char label[] = "tzm splitapp key release v1";

void kr_challenge(const uint8_t nonce[KR_NONCE_LEN], const uint8_t epub[32],
		  uint8_t challenge[KR_CHALLENGE_LEN])
{
	struct tzm__sha256 c;
	tzm__sha256_init(&c);
	tzm__sha256_update(&c, label, sizeof(label) - 1);
	tzm__sha256_update(&c, nonce, KR_NONCE_LEN);
	tzm__sha256_update(&c, epub, 32);
	memcpy(challenge, nonce, KR_NONCE_LEN);
	tzm__sha256_final(&c, challenge + KR_NONCE_LEN);
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
static void derive(const uint8_t shared[32], const uint8_t nonce[KR_NONCE_LEN],
		   const uint8_t epub[32], const uint8_t spub[32], uint8_t enc[32], uint8_t mac[32])
{
	uint8_t t[sizeof(label) - 1 + KR_NONCE_LEN + 64], prk[32];
	memcpy(t, label, sizeof(label) - 1);
	memcpy(t + sizeof(label) - 1, nonce, KR_NONCE_LEN);
	memcpy(t + sizeof(label) - 1 + KR_NONCE_LEN, epub, 32);
	memcpy(t + sizeof(label) - 1 + KR_NONCE_LEN + 32, spub, 32);
	hmac_sha256(shared, 32, t, sizeof(t), prk);
	hmac_sha256(prk, sizeof(prk), "enc", 3, enc);
	hmac_sha256(prk, sizeof(prk), "mac", 3, mac);
	secure_wipe(prk, sizeof(prk));
}

static void tag_of(const uint8_t mac[32], const uint8_t nonce[KR_NONCE_LEN], const uint8_t epub[32],
		   const struct kr_result *r, uint8_t tag[32])
{
	uint8_t m[KR_KEY_LEN + KR_NONCE_LEN + 64];
	memcpy(m, r->ct, KR_KEY_LEN);
	memcpy(m + KR_KEY_LEN, nonce, KR_NONCE_LEN);
	memcpy(m + KR_KEY_LEN + KR_NONCE_LEN, epub, 32);
	memcpy(m + KR_KEY_LEN + KR_NONCE_LEN + 32, r->spub, 32);
	hmac_sha256(mac, 32, m, sizeof(m), tag);
}

int kr_seal(const uint8_t shared[32], const uint8_t nonce[KR_NONCE_LEN], const uint8_t epub[32],
	    const uint8_t key[KR_KEY_LEN], struct kr_result *r)
{
	uint8_t enc[32], mac[32];
	if (all_zero(shared, 32)) {
		return -EINVAL;
	}
	derive(shared, nonce, epub, r->spub, enc, mac);
	for (size_t i = 0; i < KR_KEY_LEN; i++) {
		r->ct[i] = key[i] ^ enc[i];
	}
	tag_of(mac, nonce, epub, r, r->tag);
	r->status = KR_RELEASED;
	secure_wipe(enc, sizeof(enc));
	secure_wipe(mac, sizeof(mac));
	return 0;
}

int kr_open(const uint8_t shared[32], const uint8_t nonce[KR_NONCE_LEN], const uint8_t epub[32],
	    const struct kr_result *r, uint8_t key[KR_KEY_LEN])
{
	uint8_t enc[32], mac[32], tag[32];
	int rc = 0;
	if (all_zero(shared, 32)) {
		return -EINVAL;
	}
	derive(shared, nonce, epub, r->spub, enc, mac);
	tag_of(mac, nonce, epub, r, tag);
	if (!hmac_equal(tag, r->tag, sizeof(tag))) {
		rc = -EBADMSG;
		goto out;
	}
	for (size_t i = 0; i < KR_KEY_LEN; i++) {
		key[i] = r->ct[i] ^ enc[i];
	}
out:
	secure_wipe(enc, sizeof(enc));
	secure_wipe(mac, sizeof(mac));
	return rc;
}

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

void kr_hello_encode(uint8_t out[KR_HELLO_LEN], const uint8_t nonce[KR_NONCE_LEN])
{
	memcpy(out, "KRH1", 4);
	memcpy(out + 4, nonce, KR_NONCE_LEN);
}

int kr_hello_decode(const uint8_t in[KR_HELLO_LEN], uint8_t nonce[KR_NONCE_LEN])
{
	if (memcmp(in, "KRH1", 4) != 0) {
		return -EBADMSG;
	}
	memcpy(nonce, in + 4, KR_NONCE_LEN);
	return 0;
}

void kr_request_hdr_encode(uint8_t out[KR_REQUEST_HDR_LEN], const uint8_t epub[32],
			   uint32_t token_len)
{
	memcpy(out, "KRQ1", 4);
	memcpy(out + 4, epub, 32);
	put32(out + 36, token_len);
}

int kr_request_hdr_decode(const uint8_t in[KR_REQUEST_HDR_LEN], uint8_t epub[32],
			  uint32_t *token_len)
{
	uint32_t len = get32(in + 36);
	if (memcmp(in, "KRQ1", 4) != 0 || len == 0 || len > KR_MAX_TOKEN) {
		return -EBADMSG;
	}
	memcpy(epub, in + 4, 32);
	*token_len = len;
	return 0;
}

void kr_result_encode(uint8_t out[KR_RESULT_LEN], const struct kr_result *r)
{
	memcpy(out, "KRR1", 4);
	put32(out + 4, r->status);
	memcpy(out + 8, r->spub, 32);
	memcpy(out + 40, r->ct, KR_KEY_LEN);
	memcpy(out + 72, r->tag, 32);
}

int kr_result_decode(const uint8_t in[KR_RESULT_LEN], struct kr_result *r)
{
	uint32_t status = get32(in + 4);
	if (memcmp(in, "KRR1", 4) != 0 || (status != KR_RELEASED && status != KR_REFUSED)) {
		return -EBADMSG;
	}
	r->status = status;
	memcpy(r->spub, in + 8, 32);
	memcpy(r->ct, in + 40, KR_KEY_LEN);
	memcpy(r->tag, in + 72, 32);
	return 0;
}

int kr_read_all(int fd, void *buf, size_t len)
{
	uint8_t *p = buf;
	while (len > 0) {
		ssize_t n = recv(fd, p, len, 0);
		if (n < 0 && errno == EINTR) {
			continue;
		}
		if (n <= 0) {
			return n == 0 ? -EPIPE : -errno;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

int kr_write_all(int fd, const void *buf, size_t len)
{
	const uint8_t *p = buf;
	while (len > 0) {
		ssize_t n = send(fd, p, len, MSG_NOSIGNAL);
		if (n < 0 && errno == EINTR) {
			continue;
		}
		if (n <= 0) {
			return n == 0 ? -EPIPE : -errno;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}
