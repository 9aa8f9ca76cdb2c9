// SPDX-License-Identifier: BSD-2-Clause
/*
 * End-to-end attestation through the emulated TEE: a client asks the attestation test TA
 * for a token (TEEC_InvokeCommand), then verifies it with the tzm_attest library against
 * the platform key kept by tzm-teed: both signatures, the binding, the challenge, the RIM
 * (= SHA-256 of the .ta file in TZM_TA_DIR), the RPV (= the TA's UUID), REM extension,
 * separate keys for separate instances, short-buffer semantics, reference values.
 */
#include <stdlib.h>
#include <string.h>

#include <attest_ta.h>
#include <openssl/evp.h>
#include <tee_client_api.h>

#include "attest_test.h"

static uint8_t token[64 * 1024];
static struct tzm_attest_report report;
static char platform_pem[1024];

static TEEC_Result get_token(TEEC_Session *s, const uint8_t chal[64], size_t cap, size_t *len)
{
	TEEC_Operation op;
	uint32_t origin = 0;
	memset(&op, 0, sizeof(op));
	op.paramTypes = TEEC_PARAM_TYPES(TEEC_MEMREF_TEMP_INPUT, TEEC_MEMREF_TEMP_OUTPUT, TEEC_NONE,
					 TEEC_NONE);
	op.params[0].tmpref.buffer = (void *)chal;
	op.params[0].tmpref.size = 64;
	op.params[1].tmpref.buffer = token;
	op.params[1].tmpref.size = cap;
	TEEC_Result res = TEEC_InvokeCommand(s, TA_ATTEST_CMD_TOKEN, &op, &origin);
	*len = op.params[1].tmpref.size;
	return res;
}

static TEEC_Result extend(TEEC_Session *s, uint32_t idx, const void *data, size_t n)
{
	TEEC_Operation op;
	uint32_t origin = 0;
	memset(&op, 0, sizeof(op));
	op.paramTypes =
		TEEC_PARAM_TYPES(TEEC_VALUE_INPUT, TEEC_MEMREF_TEMP_INPUT, TEEC_NONE, TEEC_NONE);
	op.params[0].value.a = idx;
	op.params[1].tmpref.buffer = (void *)data;
	op.params[1].tmpref.size = n;
	return TEEC_InvokeCommand(s, TA_ATTEST_CMD_EXTEND, &op, &origin);
}

static enum tzm_attest_status verify(size_t len, const uint8_t chal[64],
				     const struct tzm_attest_refvals *rv)
{
	struct tzm_attest_verify_opts o = { .platform_key_pem = platform_pem,
					    .platform_key_pem_len = strlen(platform_pem),
					    .challenge = chal,
					    .challenge_len = 64,
					    .refvals = rv };
	ASSERT_OK(tzm_attest_verify(token, len, &o, &report));
	return report.status;
}

static void sha256_file(const char *path, uint8_t out[32])
{
	static uint8_t buf[8 << 20];
	unsigned int l = 0;
	FILE *f = fopen(path, "rb");
	size_t n = f ? fread(buf, 1, sizeof(buf), f) : 0;
	ASSERT_NOT_NULL(f);
	ASSERT_GT_INT(n, 0);
	ASSERT_LT_INT(n, sizeof(buf));
	if (f) {
		fclose(f);
	}
	EVP_Digest(buf, n, out, &l, EVP_sha256(), NULL);
}

int main(void)
{
	static const TEEC_UUID uuid = TA_ATTEST_TEST_UUID;
	static const uint8_t uuid_bytes[16] = { 0xc4, 0x3a, 0x57, 0x97, 0x1d, 0x3b, 0x45, 0x94,
						0xad, 0x7f, 0xaf, 0x5d, 0x02, 0x35, 0x76, 0x33 };
	TEEC_Context ctx;
	TEEC_Session s1, s2;
	uint32_t origin = 0;
	uint8_t chal[64], ta_hash[32], rak1[97];
	size_t len = 0, plen = 0;
	char path[4096], key_path[4096];
	const char *ta_dir = getenv("TZM_TA_DIR");

	ASSERT_NOT_NULL(ta_dir);
	ASSERT_TEEC_RES(TEEC_InitializeContext(NULL, &ctx), TEEC_SUCCESS);
	ASSERT_TEEC_RES(TEEC_OpenSession(&ctx, &s1, &uuid, TEEC_LOGIN_PUBLIC, NULL, NULL, &origin),
			TEEC_SUCCESS);
	for (size_t i = 0; i < sizeof(chal); i++) {
		chal[i] = (uint8_t)(i * 7 + 1);
	}

	/* Short buffer first: the TA reports the size it needs. */
	ASSERT_TEEC_RES(get_token(&s1, chal, 16, &len), TEEC_ERROR_SHORT_BUFFER);
	ASSERT_GT_INT(len, 16);
	ASSERT_LT_INT(len, sizeof(token));
	size_t needed = len;
	ASSERT_TEEC_RES(get_token(&s1, chal, sizeof(token), &len), TEEC_SUCCESS);
	ASSERT_EQ_INT(len, needed);

	/* The verifier's copy of the platform public key (normally obtained out of band with
	 * `tzm attest platform-key` on the device). */
	struct tzm_attest_key *cpak = NULL;
	ASSERT_OK(tzm_attest_platform_key_path(NULL, key_path, sizeof(key_path)));
	ASSERT_OK(tzm_attest_key_load_or_create(key_path, &cpak));
	ASSERT_NOT_NULL(cpak);
	ASSERT_OK(tzm_attest_key_public_pem(cpak, platform_pem, sizeof(platform_pem), &plen));
	tzm_attest_key_free(cpak);

	ASSERT_EQ_INT(verify(len, chal, NULL), TZM_ATTEST_AFFIRMING);
	if (report.status != TZM_ATTEST_AFFIRMING) {
		test_dump(&report);
	}
	ASSERT_TRUE(report.realm_signature_ok);
	ASSERT_TRUE(report.platform_signature_ok);
	snprintf(path, sizeof(path), "%s/%s.ta", ta_dir ? ta_dir : ".", TA_ATTEST_TEST_UUID_STR);
	sha256_file(path, ta_hash);
	ASSERT_EQ_INT(report.realm.digest_len, 32);
	ASSERT_EQ_MEM(report.realm.rim, ta_hash, 32);
	ASSERT_EQ_MEM(report.realm.rpv, uuid_bytes, 16);
	ASSERT_EQ_INT(report.platform.num_sw, 2);
	memcpy(rak1, report.realm.rak, sizeof(rak1));

	/* Another challenge than the one asked for is caught. */
	uint8_t other[64];
	memcpy(other, chal, 64);
	other[0] ^= 0xff;
	ASSERT_EQ_INT(verify(len, other, NULL), TZM_ATTEST_CONTRAINDICATED);
	ASSERT_TRUE(test_has(&report, TZM_ATTEST_R_CHALLENGE));

	/* Reference values: the .ta hash matches, a different build does not. */
	struct tzm_attest_refvals rv;
	char text[256], hex[65];
	for (int i = 0; i < 32; i++) {
		snprintf(hex + 2 * i, 3, "%02x", ta_hash[i]);
	}
	snprintf(text, sizeof(text), "rim %s\n", hex);
	ASSERT_OK(tzm_attest_refvals_parse(text, strlen(text), &rv, NULL, 0));
	ASSERT_EQ_INT(verify(len, chal, &rv), TZM_ATTEST_AFFIRMING);
	text[4] = text[4] == '0' ? '1' : '0';
	ASSERT_OK(tzm_attest_refvals_parse(text, strlen(text), &rv, NULL, 0));
	ASSERT_EQ_INT(verify(len, chal, &rv), TZM_ATTEST_CONTRAINDICATED);
	ASSERT_TRUE(test_has(&report, TZM_ATTEST_R_REFVAL_MISMATCH));

	/* REM extension shows up in the next token: REM1 = SHA-256(0^32 || data). */
	static const char data[] = "configuration v2";
	uint8_t buf[32 + sizeof(data) - 1], want[32];
	unsigned int hl = 0;
	memset(buf, 0, 32);
	memcpy(buf + 32, data, sizeof(data) - 1);
	EVP_Digest(buf, sizeof(buf), want, &hl, EVP_sha256(), NULL);
	ASSERT_TEEC_RES(extend(&s1, 1, data, sizeof(data) - 1), TEEC_SUCCESS);
	ASSERT_TEEC_RES(extend(&s1, 0, data, 1), TEEC_ERROR_BAD_PARAMETERS);
	ASSERT_TEEC_RES(extend(&s1, 5, data, 1), TEEC_ERROR_BAD_PARAMETERS);
	ASSERT_TEEC_RES(get_token(&s1, chal, sizeof(token), &len), TEEC_SUCCESS);
	ASSERT_EQ_INT(verify(len, chal, NULL), TZM_ATTEST_AFFIRMING);
	ASSERT_EQ_MEM(report.realm.rem[0], want, 32);
	ASSERT_EQ_MEM(report.realm.rak, rak1, 97);

	/* A second instance (TA_FLAGS 0: one instance per session) has its own key and REMs. */
	ASSERT_TEEC_RES(TEEC_OpenSession(&ctx, &s2, &uuid, TEEC_LOGIN_PUBLIC, NULL, NULL, &origin),
			TEEC_SUCCESS);
	ASSERT_TEEC_RES(get_token(&s2, chal, sizeof(token), &len), TEEC_SUCCESS);
	ASSERT_EQ_INT(verify(len, chal, NULL), TZM_ATTEST_AFFIRMING);
	ASSERT_NE_MEM(report.realm.rak, rak1, 97);
	static const uint8_t zero[32];
	ASSERT_EQ_MEM(report.realm.rem[0], zero, 32);

	TEEC_CloseSession(&s2);
	TEEC_CloseSession(&s1);
	TEEC_FinalizeContext(&ctx);
	return test_result("attest_e2e");
}
