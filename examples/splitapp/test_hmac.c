/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Checks the splitapp's HMAC-SHA256 (hmac_sha256.c on tee/common/sha256.c) against the RFC 4231
 * test vectors (cases 1-4, 6, 7: key shorter than, equal to and longer than a block) and against
 * OpenSSL for random keys and messages of every length 0..300 (covers all padding boundaries).
 * Native only.
 */
#include "hmac_sha256.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <stdio.h>
#include <string.h>
#include <tzm_test.h>

/* RFC 4231 cases 6 and 7: a 131-byte key of 0xaa, longer than one block. */
#define KEY_131_AA                                                                                 \
	"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" \
	"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" \
	"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"

struct vec {
	const char *key_hex;
	const char *msg;
	const char *mac_hex;
};

static size_t unhex(const char *hex, uint8_t *out, size_t cap)
{
	size_t n = strlen(hex) / 2;

	for (size_t i = 0; i < n && i < cap; i++) {
		unsigned v = 0;

		sscanf(hex + 2 * i, "%2x", &v);
		out[i] = (uint8_t)v;
	}
	return n < cap ? n : cap;
}

static void check_vectors(void)
{
	static const struct vec v[] = {
		{ "0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b", "Hi There",
		  "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7" },
		{ "4a656665", "what do ya want for nothing?",
		  "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843" },
		{ "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
		  "\xdd\xdd\xdd\xdd\xdd\xdd\xdd\xdd\xdd\xdd\xdd\xdd\xdd\xdd\xdd\xdd\xdd\xdd\xdd\xdd"
		  "\xdd\xdd\xdd\xdd\xdd\xdd\xdd\xdd\xdd\xdd\xdd\xdd\xdd\xdd\xdd\xdd\xdd\xdd\xdd\xdd"
		  "\xdd\xdd\xdd\xdd\xdd\xdd\xdd\xdd\xdd\xdd",
		  "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe" },
		{ "0102030405060708090a0b0c0d0e0f10111213141516171819",
		  "\xcd\xcd\xcd\xcd\xcd\xcd\xcd\xcd\xcd\xcd\xcd\xcd\xcd\xcd\xcd\xcd\xcd\xcd\xcd\xcd"
		  "\xcd\xcd\xcd\xcd\xcd\xcd\xcd\xcd\xcd\xcd\xcd\xcd\xcd\xcd\xcd\xcd\xcd\xcd\xcd\xcd"
		  "\xcd\xcd\xcd\xcd\xcd\xcd\xcd\xcd\xcd\xcd",
		  "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b" },
		{ KEY_131_AA, "Test Using Larger Than Block-Size Key - Hash Key First",
		  "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54" },
		{ KEY_131_AA,
		  "This is a test using a larger than block-size key and a larger than block-size "
		  "data. "
		  "The key needs to be hashed before being used by the HMAC algorithm.",
		  "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2" },
	};

	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		uint8_t key[200], want[32], got[32];
		size_t klen = unhex(v[i].key_hex, key, sizeof(key));

		TEST_STEP("RFC 4231 vector %zu (key of %zu bytes)", i, klen);
		unhex(v[i].mac_hex, want, sizeof(want));
		hmac_sha256(key, klen, v[i].msg, strlen(v[i].msg), got);
		ASSERT_EQ_MEM(got, want, sizeof(want));
	}
}

static void check_openssl(void)
{
	uint8_t key[100], msg[300], want[32], got[32];
	unsigned wlen = 0;

	TEST_STEP("cross-check with OpenSSL, messages of 0..%zu bytes", sizeof(msg));
	for (size_t mlen = 0; mlen <= sizeof(msg); mlen++) {
		size_t klen = 1 + mlen % sizeof(key);

		ASSERT_EQ_INT(RAND_bytes(key, (int)klen), 1);
		ASSERT_EQ_INT(RAND_bytes(msg, (int)sizeof(msg)), 1);
		ASSERT_NOT_NULL(HMAC(EVP_sha256(), key, (int)klen, msg, mlen, want, &wlen));
		ASSERT_EQ_U64(wlen, 32);
		hmac_sha256(key, klen, msg, mlen, got);
		ASSERT_EQ_MEM(got, want, sizeof(want));
	}
}

int main(void)
{
	uint8_t a[4] = { 1, 2, 3, 4 }, b[4] = { 1, 2, 3, 5 };

	check_vectors();
	check_openssl();
	TEST_STEP("hmac_equal");
	ASSERT_TRUE(hmac_equal(a, a, 4));
	ASSERT_FALSE(hmac_equal(a, b, 4));
	printf("test_hmac: RFC 4231 vectors and OpenSSL cross-check ok\n");
	return 0;
}
