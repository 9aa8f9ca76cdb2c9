// SPDX-License-Identifier: BSD-2-Clause
/*
 * The real CCA tokens (tests/vectors, from TF-RMM/TF-M and Veraison test suites) verify
 * with their keys, decode to the documented claims, and every single-byte change at every
 * position (several replacement values each), every truncation and an appended byte are
 * rejected. Wrong keys and challenges are rejected with the right reason.
 *
 * usage: attest_test_vectors VECTOR_DIR                 good tokens, keys, challenges
 *        attest_test_vectors VECTOR_DIR --mutate 0|1    mutations of vector 0 or 1
 * (the mutation runs are separate CTests so they run in parallel; each is ~5000 verifies)
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "attest_test.h"

struct vector {
	const char *token;
	const char *key;
	const char *other_key; /* key of the other curve */
};

static const struct vector vectors[] = {
	{ "tfrmm_cca_token_legacy399.cbor", "cpak_p384_tfm_tools.pub.pem",
	  "veraison_test_iak_p256.pub.pem" },
	{ "veraison_good_cca_token_cmw907.cbor", "veraison_test_iak_p256.pub.pem",
	  "cpak_p384_tfm_tools.pub.pem" },
};

static struct tzm_attest_report report;

static enum tzm_attest_status verify(const uint8_t *tok, size_t len, const char *pem,
				     const uint8_t *challenge)
{
	struct tzm_attest_verify_opts o = { 0 };
	o.platform_key_pem = pem;
	o.platform_key_pem_len = pem != NULL ? strlen(pem) : 0;
	o.challenge = challenge;
	o.challenge_len = challenge != NULL ? TZM_ATTEST_CHALLENGE_LEN : 0;
	int rc = tzm_attest_verify(tok, len, &o, &report);
	ASSERT_EQ_INT(rc, 0);
	return rc == 0 ? report.status : TZM_ATTEST_CONTRAINDICATED;
}

static void check_good(const char *dir)
{
	size_t len = 0, klen = 0;
	uint8_t *tok = test_read(dir, vectors[0].token, &len);
	char *key = (char *)test_read(dir, vectors[0].key, &klen);
	uint8_t chal[64];

	/* Everything verifies; the deprecated legacy platform profile is the one warning. */
	ASSERT_EQ_INT(verify(tok, len, key, NULL), TZM_ATTEST_WARNING);
	if (report.status != TZM_ATTEST_WARNING) {
		test_dump(&report);
	}
	ASSERT_TRUE(test_has(&report, TZM_ATTEST_R_PROFILE_LEGACY));
	ASSERT_EQ_INT(report.num_findings, 1);
	ASSERT_EQ_INT(report.envelope, TZM_ATTEST_ENV_LEGACY399);
	ASSERT_TRUE(report.realm_signature_ok);
	ASSERT_TRUE(report.platform_signature_ok);
	ASSERT_EQ_INT(report.platform.alg, TZM_ATTEST_ES384);
	ASSERT_EQ_INT(report.realm.alg, TZM_ATTEST_ES384);
	ASSERT_EQ_INT(report.platform.lifecycle, 0x3003);
	ASSERT_EQ_INT(report.platform.num_sw, 4);
	ASSERT_EQ_INT(report.platform.challenge_len, 32);
	ASSERT_EQ_STR(report.platform.profile, "http://arm.com/CCA-SSD/1.0.0");
	ASSERT_EQ_INT(report.realm.profile[0], '\0');
	ASSERT_FALSE(report.realm.rak_is_cose_key);
	ASSERT_EQ_INT(report.realm.digest_len, 32);
	ASSERT_EQ_MEM(report.realm.rpv, "The quick brown fox jumps over 13 lazy dogs.", 44);
	static const uint8_t zero[32];
	ASSERT_EQ_MEM(report.realm.rim, zero, 32);
	memset(chal, 0xab, sizeof(chal));

	/* The right challenge passes, another one is contraindicated with reason CHALLENGE. */
	ASSERT_EQ_INT(verify(tok, len, key, chal), TZM_ATTEST_WARNING);
	chal[63] = 0xaa;
	ASSERT_EQ_INT(verify(tok, len, key, chal), TZM_ATTEST_CONTRAINDICATED);
	ASSERT_TRUE(test_has(&report, TZM_ATTEST_R_CHALLENGE));
	ASSERT_EQ_INT(report.num_findings, 2);

	/* Without a platform key: only a warning, and it says why. */
	ASSERT_EQ_INT(verify(tok, len, NULL, NULL), TZM_ATTEST_WARNING);
	ASSERT_TRUE(test_has(&report, TZM_ATTEST_R_PLATFORM_KEY_ABSENT));
	ASSERT_EQ_INT(report.num_findings, 2);
	free(tok);
	free(key);

	tok = test_read(dir, vectors[1].token, &len);
	key = (char *)test_read(dir, vectors[1].key, &klen);
	ASSERT_EQ_INT(verify(tok, len, key, NULL), TZM_ATTEST_AFFIRMING);
	if (report.status != TZM_ATTEST_AFFIRMING) {
		test_dump(&report);
	}
	ASSERT_EQ_INT(report.envelope, TZM_ATTEST_ENV_CMW907);
	ASSERT_EQ_INT(report.platform.alg, TZM_ATTEST_ES256);
	ASSERT_TRUE(report.realm.rak_is_cose_key);
	ASSERT_EQ_STR(report.realm.rak_hash_alg, "sha-512");
	ASSERT_EQ_INT(report.platform.challenge_len, 64);
	ASSERT_EQ_STR(report.realm.profile, "tag:arm.com,2023:realm#1.0.0");
	free(tok);
	free(key);
}

static void check_wrong_keys(const char *dir)
{
	struct tzm_attest_key *k = NULL;
	char pem[1024];
	size_t pem_len = 0, len = 0, klen = 0;
	ASSERT_OK(tzm_attest_key_generate(&k));
	ASSERT_OK(tzm_attest_key_public_pem(k, pem, sizeof(pem), &pem_len));

	for (size_t v = 0; v < 2; v++) {
		uint8_t *tok = test_read(dir, vectors[v].token, &len);
		char *other = (char *)test_read(dir, vectors[v].other_key, &klen);
		/* Key of the other curve: the algorithm does not fit. */
		ASSERT_EQ_INT(verify(tok, len, other, NULL), TZM_ATTEST_CONTRAINDICATED);
		ASSERT_TRUE(test_has(&report, TZM_ATTEST_R_ALGORITHM));
		ASSERT_FALSE(report.platform_signature_ok);
		ASSERT_TRUE(report.realm_signature_ok);
		free(other);
		free(tok);
	}
	/* A P-384 key that did not sign the legacy token. */
	uint8_t *tok = test_read(dir, vectors[0].token, &len);
	ASSERT_EQ_INT(verify(tok, len, pem, NULL), TZM_ATTEST_CONTRAINDICATED);
	ASSERT_TRUE(test_has(&report, TZM_ATTEST_R_PLATFORM_SIGNATURE));
	ASSERT_EQ_INT(report.num_findings, 2);
	free(tok);

	/* A key that is not a PEM key is an argument error, not a verdict. */
	struct tzm_attest_verify_opts o = { .platform_key_pem = "garbage",
					    .platform_key_pem_len = 7 };
	ASSERT_EQ_ERRNO(tzm_attest_verify("x", 1, &o, &report), -EINVAL);
	tzm_attest_key_free(k);
}

/* Every single-byte change, truncation and extension must be rejected. */
static void check_mutations(const char *dir, size_t v)
{
	/* XOR 0x01 (low bit), XOR 0xFF (all bits), set 0x00, set 0xFF; duplicates skipped. */
	static const int variants[] = { 0x01, 0xff, -1 /* set 0x00 */, -2 /* set 0xff */ };
	size_t len = 0, klen = 0, tried = 0, accepted = 0;
	uint8_t *tok = test_read(dir, vectors[v].token, &len);
	char *key = (char *)test_read(dir, vectors[v].key, &klen);

	for (size_t pos = 0; pos < len; pos++) {
		uint8_t orig = tok[pos];
		uint8_t flipped = orig;
		flipped ^= 0xff;
		for (size_t i = 0; i < sizeof(variants) / sizeof(variants[0]); i++) {
			int x = variants[i];
			uint8_t b = x > 0 ? (uint8_t)(orig ^ x) : x == -1 ? 0x00 : 0xff;
			if (b == orig || (x < 0 && b == flipped)) {
				continue; /* no change, or already tried as XOR 0xFF */
			}
			tok[pos] = b;
			tried++;
			if (verify(tok, len, key, NULL) != TZM_ATTEST_CONTRAINDICATED) {
				fprintf(stderr, "%s: byte %zu 0x%02x -> 0x%02x accepted\n",
					vectors[v].token, pos, orig, b);
				accepted++;
			}
		}
		tok[pos] = orig;
	}
	ASSERT_GE_INT(tried, 2 * len); /* at least XOR 0x01 and XOR 0xFF everywhere */
	for (size_t cut = 0; cut < len; cut++) {
		if (verify(tok, cut, key, NULL) != TZM_ATTEST_CONTRAINDICATED ||
		    !test_has(&report, TZM_ATTEST_R_MALFORMED)) {
			fprintf(stderr, "%s: truncation to %zu accepted\n", vectors[v].token, cut);
			accepted++;
		}
	}
	tok[len] = 0x00;
	ASSERT_EQ_INT(verify(tok, len + 1, key, NULL), TZM_ATTEST_CONTRAINDICATED);
	ASSERT_TRUE(test_has(&report, TZM_ATTEST_R_MALFORMED));
	ASSERT_EQ_INT(accepted, 0);
	printf("%s: %zu single-byte mutations and %zu truncations rejected\n", vectors[v].token,
	       tried, len);
	free(key);
	free(tok);
}

int main(int argc, char **argv)
{
	if (argc == 2) {
		check_good(argv[1]);
		check_wrong_keys(argv[1]);
	} else if (argc == 4 && strcmp(argv[2], "--mutate") == 0 && strlen(argv[3]) == 1 &&
		   (argv[3][0] == '0' || argv[3][0] == '1')) {
		check_mutations(argv[1], (size_t)(argv[3][0] - '0'));
	} else {
		fprintf(stderr, "usage: %s VECTOR_DIR [--mutate 0|1]\n", argv[0]);
		return 2;
	}
	return test_result("attest_vectors");
}
