/* SPDX-License-Identifier: BSD-2-Clause */
/* Key release protocol (keyrelease.h), shared by the realm signer and the key-release
 * party; the channel's crypto is examples/common/chanbind.c. */
#include "keyrelease.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <tzm_util.h>

#include "chanbind.h"

static const char label[] = "tzm splitapp key release v1";

void kr_challenge(const uint8_t nonce[KR_NONCE_LEN], const uint8_t epub[32],
		  uint8_t challenge[KR_CHALLENGE_LEN])
{
	cb_challenge(label, nonce, epub, challenge);
}

int kr_seal(const uint8_t shared[32], const uint8_t nonce[KR_NONCE_LEN], const uint8_t epub[32],
	    const uint8_t key[KR_KEY_LEN], struct kr_result *r)
{
	const struct cb_transcript t = { label, nonce, epub, r->spub };
	int rc = cb_seal(&t, shared, key, KR_KEY_LEN, r->ct, r->tag);
	if (rc == 0) {
		r->status = KR_RELEASED;
	}
	return rc;
}

int kr_open(const uint8_t shared[32], const uint8_t nonce[KR_NONCE_LEN], const uint8_t epub[32],
	    const struct kr_result *r, uint8_t key[KR_KEY_LEN])
{
	const struct cb_transcript t = { label, nonce, epub, r->spub };
	return cb_open(&t, shared, r->ct, KR_KEY_LEN, r->tag, key);
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
	tzm_util_put_le32(out + 36, token_len);
}

int kr_request_hdr_decode(const uint8_t in[KR_REQUEST_HDR_LEN], uint8_t epub[32],
			  uint32_t *token_len)
{
	uint32_t len = tzm_util_get_le32(in + 36);
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
	tzm_util_put_le32(out + 4, r->status);
	memcpy(out + 8, r->spub, 32);
	memcpy(out + 40, r->ct, KR_KEY_LEN);
	memcpy(out + 72, r->tag, 32);
}

int kr_result_decode(const uint8_t in[KR_RESULT_LEN], struct kr_result *r)
{
	uint32_t status = tzm_util_get_le32(in + 4);
	if (memcmp(in, "KRR1", 4) != 0 || (status != KR_RELEASED && status != KR_REFUSED)) {
		return -EBADMSG;
	}
	r->status = status;
	memcpy(r->spub, in + 8, 32);
	memcpy(r->ct, in + 40, KR_KEY_LEN);
	memcpy(r->tag, in + 72, 32);
	return 0;
}
