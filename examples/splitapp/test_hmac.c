/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Checks the splitapp's HMAC-SHA256 (hmac_sha256.c on tee/common/sha256.c) against the RFC 4231
 * test vectors (cases 1-4, 6, 7: key shorter than, equal to and longer than a block) and against
 * OpenSSL for random keys and messages of every length 0..300 (covers all padding boundaries).
 * Also X25519 (x25519.c, the realm signer's key agreement): RFC 7748's vectors and
 * OpenSSL for random inputs. Native only.
 */
#include "hmac_sha256.h"
#include "x25519.h"

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

/* RFC 7748 section 5.2 (two single products, the iterated one after 1 and 1000 steps)
 * and section 6.1 (Alice and Bob). */
static void check_x25519_vectors(void)
{
	static const char *const single[][3] = {
		{ "a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4",
		  "e6db6867583030db3594c1a424b15f7c726624ec26b3353b10a903a6d0ab1c4c",
		  "c3da55379de9c6908e94ea4df28d084f32eccf03491c71f754b4075577a28552" },
		{ "4b66e9d4d1b4673c5ad22691957d6af5c11b6421e0ea01d42ca4169e7918ba0d",
		  "e5210f12786811d3f4b7959d0538ae2c31dbe7106fc03c3efc4cd549c715a493",
		  "95cbde9476e8907d7aade45cb4b873f88b595a68799fa152e6f8f7647aac7957" },
	};
	uint8_t k[32], u[32], want[32], got[32], a[32], b[32];

	for (size_t i = 0; i < 2; i++) {
		TEST_STEP("RFC 7748 X25519 vector %zu", i + 1);
		unhex(single[i][0], k, 32);
		unhex(single[i][1], u, 32);
		unhex(single[i][2], want, 32);
		x25519(got, k, u);
		ASSERT_EQ_MEM(got, want, 32);
	}
	TEST_STEP("RFC 7748 iterated X25519, 1 and 1000 iterations");
	memset(k, 0, 32);
	k[0] = 9;
	memcpy(u, k, 32);
	for (int i = 1; i <= 1000; i++) {
		x25519(got, k, u);
		memcpy(u, k, 32);
		memcpy(k, got, 32);
		if (i == 1) {
			unhex("422c8e7a6227d7bca1350b3e2bb7279f7897b87bb6854b783c60e80311ae3079",
			      want, 32);
			ASSERT_EQ_MEM(k, want, 32);
		}
	}
	unhex("684cf59ba83309552800ef566f2f4d3c1c3887c49360e3875f2eb94d99532c51", want, 32);
	ASSERT_EQ_MEM(k, want, 32);
	TEST_STEP("RFC 7748 Diffie-Hellman (Alice and Bob)");
	unhex("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a", k, 32);
	unhex("5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb", u, 32);
	x25519_public(a, k);
	unhex("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a", want, 32);
	ASSERT_EQ_MEM(a, want, 32);
	x25519_public(b, u);
	unhex("de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f", want, 32);
	ASSERT_EQ_MEM(b, want, 32);
	unhex("4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742", want, 32);
	x25519(got, k, b);
	ASSERT_EQ_MEM(got, want, 32);
	x25519(got, u, a);
	ASSERT_EQ_MEM(got, want, 32);
}

/* Random scalars and u-coordinates (any 32 bytes, top bit and values >= p included)
 * against OpenSSL's X25519. */
static void check_x25519_openssl(void)
{
	TEST_STEP("X25519 cross-check with OpenSSL, 200 random pairs");
	for (int i = 0; i < 200; i++) {
		uint8_t k[32], u[32], want[32], got[32];
		size_t n = sizeof(want);
		ASSERT_EQ_INT(RAND_bytes(k, 32), 1);
		ASSERT_EQ_INT(RAND_bytes(u, 32), 1);
		if (i < 4) {
			memset(u, 0xff, 32); /* p + 3 .. p + 6 (top bit set): not reduced */
			u[0] = (uint8_t)(0xf0 + i);
		}
		EVP_PKEY *mine = EVP_PKEY_new_raw_private_key(EVP_PKEY_X25519, NULL, k, 32);
		EVP_PKEY *peer = EVP_PKEY_new_raw_public_key(EVP_PKEY_X25519, NULL, u, 32);
		EVP_PKEY_CTX *c = EVP_PKEY_CTX_new(mine, NULL);
		ASSERT_TRUE(mine != NULL && peer != NULL && c != NULL);
		ASSERT_EQ_INT(EVP_PKEY_derive_init(c), 1);
		ASSERT_EQ_INT(EVP_PKEY_derive_set_peer(c, peer), 1);
		ASSERT_EQ_INT(EVP_PKEY_derive(c, want, &n), 1);
		EVP_PKEY_CTX_free(c);
		EVP_PKEY_free(mine);
		EVP_PKEY_free(peer);
		x25519(got, k, u);
		ASSERT_EQ_MEM(got, want, 32);
	}
}

int main(void)
{
	uint8_t a[4] = { 1, 2, 3, 4 }, b[4] = { 1, 2, 3, 5 };

	check_vectors();
	check_openssl();
	check_x25519_vectors();
	check_x25519_openssl();
	TEST_STEP("hmac_equal");
	ASSERT_TRUE(hmac_equal(a, a, 4));
	ASSERT_FALSE(hmac_equal(a, b, 4));
	printf("test_hmac: HMAC (RFC 4231) and X25519 (RFC 7748) vectors and OpenSSL "
	       "cross-checks ok\n");
	return 0;
}
