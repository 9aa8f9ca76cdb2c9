/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * tee_crypto: the GP cryptography of tzm-ta-host, through a test TA built for GP 1.3.1 and
 * for GP 1.1:
 *  1. the TA's self-checks (operation state and information, short buffers, object rules);
 *  2. published known-answer vectors (data/<family>.txt: FIPS 180, RFC 1321/2202/4231, FIPS 197,
 *     SP 800-38A/B, GCM, RFC 3610, FIPS 81, RFC 8032, RFC 7748, RFC 5869, RFC 6070,
 *     RFC 5903), each in one call and in chunks, both ways;
 *  3. the differential check: random symmetric cases and TA-generated asymmetric keys,
 *     GP API against OpenSSL directly, byte for byte; the TEE_BigInt* functions against
 *     OpenSSL's BN on random values;
 *  4. every misuse case: a panic is seen here as TEE_ERROR_TARGET_DEAD, otherwise the code
 *     the spec names;
 *  5. persistent key objects: stored from transient keys, used from a new session, equal
 *     results; attribute read-out rules; corrupt attribute blobs on disk (persist.c);
 *  6. the sandbox: after all of it, tee.log has no system call the filter refused for the
 *     crypto TAs (OpenSSL was initialised before lockdown and needs nothing more).
 * usage: tee_crypto_host <data dir>
 */
#include <assert.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <tee_api_defines.h>
#include <tee_test.h>

#include "crypto_host.h"
#include "crypto_ta.h"

struct misuse_case {
	uint32_t which;
	const char *what;
	TEEC_Result want; /* TEEC_ERROR_TARGET_DEAD: the TA must panic ... */
	uint32_t panic;   /* ... with this code (tee.log) */
};

#define PANICS(code) TEEC_ERROR_TARGET_DEAD, (code)
#define RETURNS(code) (code), 0

static const struct misuse_case cases[] = {
	{ MU_DIGEST_ON_CIPHER, "TEE_DigestUpdate on a cipher operation",
	  PANICS(TEE_ERROR_BAD_PARAMETERS) },
	{ MU_CIPHER_UPDATE_NO_INIT, "TEE_CipherUpdate before TEE_CipherInit",
	  PANICS(TEE_ERROR_BAD_STATE) },
	{ MU_CIPHER_INIT_NO_KEY, "TEE_CipherInit without a key", PANICS(TEE_ERROR_BAD_STATE) },
	{ MU_CIPHER_FINAL_PARTIAL, "AES-CBC-NOPAD final on 15 bytes",
	  PANICS(TEE_ERROR_BAD_PARAMETERS) },
	{ MU_KEY_TOO_BIG, "256-bit key on a 128-bit operation", PANICS(TEE_ERROR_BAD_PARAMETERS) },
	{ MU_KEY_WRONG_TYPE, "HMAC key on an AES operation", PANICS(TEE_ERROR_BAD_PARAMETERS) },
	{ MU_KEY_NO_USAGE, "key without TEE_USAGE_ENCRYPT on an encryption",
	  PANICS(TEE_ERROR_BAD_PARAMETERS) },
	{ MU_ALLOC_BAD_MODE, "AES-CBC in TEE_MODE_SIGN", RETURNS(TEE_ERROR_NOT_SUPPORTED) },
	{ MU_ALLOC_BAD_SIZE, "AES with maxKeySize 100", RETURNS(TEE_ERROR_NOT_SUPPORTED) },
	{ MU_ALLOC_UNKNOWN_ALG, "TEE_ALG_ILLEGAL_VALUE", RETURNS(TEE_ERROR_NOT_SUPPORTED) },
	{ MU_POPULATE_TWICE, "populating an initialized object", PANICS(TEE_ERROR_BAD_PARAMETERS) },
	{ MU_POPULATE_MISSING_ATTR, "RSA key pair without its private exponent",
	  PANICS(TEE_ERROR_BAD_PARAMETERS) },
	{ MU_POPULATE_FOREIGN_ATTR, "an ECC attribute in an AES object",
	  PANICS(TEE_ERROR_BAD_PARAMETERS) },
	{ MU_POPULATE_BAD_SIZE, "a 17-byte AES key", RETURNS(TEE_ERROR_BAD_PARAMETERS) },
	{ MU_EXTRACT_PROTECTED, "secret value of a non-extractable key",
	  PANICS(TEE_ERROR_BAD_PARAMETERS) },
	{ MU_BAD_OP_HANDLE, "an operation handle that is no handle",
	  PANICS(TEE_ERROR_BAD_PARAMETERS) },
	{ MU_BAD_OBJ_HANDLE, "an object handle that is no handle",
	  PANICS(TEE_ERROR_BAD_PARAMETERS) },
	{ MU_MAC_COMPARE_WRONG, "TEE_MACCompareFinal with a wrong MAC",
	  RETURNS(TEE_ERROR_MAC_INVALID) },
	{ MU_AE_TAG_WRONG, "AES-GCM decryption with a wrong tag", RETURNS(TEE_ERROR_MAC_INVALID) },
	{ MU_AE_BAD_TAGLEN, "AES-GCM with a 64-bit tag", RETURNS(TEE_ERROR_NOT_SUPPORTED) },
	{ MU_SIGN_WRONG_DIGEST_LEN, "RSASSA-SHA256 sign of a 20-byte digest",
	  PANICS(TEE_ERROR_BAD_PARAMETERS) },
	{ MU_VERIFY_BAD_SIG, "Ed25519 verification of a modified signature",
	  RETURNS(TEE_ERROR_SIGNATURE_INVALID) },
	{ MU_GENKEY_TOO_BIG, "generating 256 bits into a 128-bit object",
	  PANICS(TEE_ERROR_NOT_SUPPORTED) },
	{ MU_AAD_AFTER_PAYLOAD, "TEE_AEUpdateAAD after TEE_AEUpdate", PANICS(TEE_ERROR_BAD_STATE) },
	{ MU_SET_KEY_WHILE_ACTIVE, "TEE_SetOperationKey on an initialized cipher",
	  PANICS(TEE_ERROR_BAD_STATE) },
	{ MU_DERIVE_INTO_RSA_OBJECT, "ECDH result into an RSA object",
	  PANICS(TEE_ERROR_BAD_PARAMETERS) },
	{ MU_RSA_DECRYPT_GARBAGE, "RSAES-PKCS1-v1_5 decryption of garbage",
	  RETURNS(TEE_ERROR_CIPHERTEXT_INVALID) },
	{ MU_PERSIST_UNINIT_KEY, "TEE_CreatePersistentObject from an uninitialized key object",
	  PANICS(TEE_ERROR_BAD_PARAMETERS) },
	{ MU_PERSIST_DATA_AS_KEY, "TEE_SetOperationKey with a persistent data object",
	  PANICS(TEE_ERROR_BAD_PARAMETERS) },
	{ MU_PERSIST_FREE_AS_TRANSIENT, "TEE_FreeTransientObject on a persistent key object",
	  PANICS(TEE_ERROR_BAD_PARAMETERS) },
	{ MU_EDDSA_CTX_TOO_LONG, "Ed25519 with a 256-byte TEE_ATTR_EDDSA_CTX",
	  PANICS(TEE_ERROR_BAD_PARAMETERS) },
	{ MU_EDDSA_CTX_MAX, "Ed25519ctx with a 255-byte context, signed and verified",
	  RETURNS(TEE_SUCCESS) },
	{ MU_EDDSA_PREHASH_NOT_BOOL, "TEE_ATTR_EDDSA_PREHASH of 2",
	  PANICS(TEE_ERROR_BAD_PARAMETERS) },
	{ MU_EDDSA_TWO_CTX, "two TEE_ATTR_EDDSA_CTX", PANICS(TEE_ERROR_BAD_PARAMETERS) },
	{ MU_EDDSA_FOREIGN_PARAM, "an RSA PSS parameter on Ed25519",
	  PANICS(TEE_ERROR_BAD_PARAMETERS) },
	{ MU_EDDSA_OTHER_CTX, "Ed25519ctx verification with another context",
	  RETURNS(TEE_ERROR_SIGNATURE_INVALID) },
	{ MU_EDDSA_CTX_AS_PURE, "an Ed25519ctx signature verified as pure Ed25519",
	  RETURNS(TEE_ERROR_SIGNATURE_INVALID) },
	{ MU_EDDSA_PH_AS_PURE, "an Ed25519ph signature verified as pure Ed25519",
	  RETURNS(TEE_ERROR_SIGNATURE_INVALID) },
	{ MU_EDDSA_PH_AS_CTX_EMPTY, "an Ed25519ph signature verified as Ed25519ctx",
	  RETURNS(TEE_ERROR_SIGNATURE_INVALID) },
	{ MU_DIGEST_UPDATE_AFTER_EXTRACT, "TEE_DigestUpdate after TEE_DigestExtract",
	  PANICS(TEE_ERROR_BAD_STATE) },
	{ MU_POPULATE_OVERSIZE, "a 129-byte secret in an HMAC-SHA256 object",
	  PANICS(TEE_ERROR_SECURITY) },
	{ MU_OAEP_BAD_MGF_HASH, "a 2-byte TEE_ATTR_RSA_OAEP_MGF_HASH",
	  PANICS(TEE_ERROR_BAD_PARAMETERS) },
	{ MU_ED25519_MISMATCHED_PAIR, "an Ed25519 key pair whose public value is another key's",
	  RETURNS(TEE_ERROR_BAD_PARAMETERS) },
};

static_assert(sizeof(cases) / sizeof(cases[0]) == MU_LAST - 1, "one row per misuse case");

static void selftest(TEEC_Session *s, const char *which)
{
	TEEC_Operation op;
	uint32_t origin = 0;

	memset(&op, 0, sizeof(op));
	op.paramTypes = TEEC_PARAM_TYPES(TEEC_NONE, TEEC_NONE, TEEC_NONE, TEEC_NONE);
	/* A failed self-check panics the TA; its report (file:line, both values) is in
	 * tee.log, which cmake/run-test.sh prints when the test fails. */
	TEST_STEP("%s: self-checks inside the TA", which);
	ASSERT_TEEC_RES_ORIGIN(TEEC_InvokeCommand(s, TA_CRYPTO_CMD_SELFTEST, &op, &origin), origin,
			       TEEC_SUCCESS, TZM_TEST_ANY_ORIGIN);
	printf("  ok   %s: self-checks\n", which);
}

static void misuse(TEEC_Context *ctx, const char *uuid, const char *which)
{
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		TEEC_Session s;
		TEEC_Operation op;
		uint32_t origin = 0;
		TEEC_Result res;
		char what[160];
		char line[64];
		unsigned panics = 0;

		tt_open_session(ctx, &s, uuid);
		memset(&op, 0, sizeof(op));
		op.paramTypes = TEEC_PARAM_TYPES(TEEC_VALUE_INPUT, TEEC_NONE, TEEC_NONE, TEEC_NONE);
		op.params[0].value.a = cases[i].which;
		snprintf(line, sizeof(line), "panicked with code 0x%08x", cases[i].panic);
		panics = tt_log_count(line, uuid);
		res = TEEC_InvokeCommand(&s, TA_CRYPTO_CMD_MISUSE, &op, &origin);
		snprintf(what, sizeof(what), "%s: %s", which, cases[i].what);
		TEST_STEP("%s", what);
		ASSERT_TEEC_RES_ORIGIN(res, origin, cases[i].want,
				       cases[i].want == TEEC_ERROR_TARGET_DEAD
					       ? TEEC_ORIGIN_TEE
					       : TEEC_ORIGIN_TRUSTED_APP);
		if (cases[i].want == TEEC_ERROR_TARGET_DEAD) {
			/* the panic is the spec's, not the test TA's own guard (0xbad00xx) */
			QCHECK(tt_log_wait(line, uuid, panics + 1, 10000), "tee.log: %s: %s", what,
			       line);
		}
		TEEC_CloseSession(&s);
	}
}

static unsigned vectors(TEEC_Session *s, const char *dir)
{
	struct dirent **names = NULL;
	int n = scandir(dir, &names, NULL, alphasort);
	unsigned total = 0;
	char path[4096];

	QCHECK(n > 0, "vector directory %s", dir);
	for (int i = 0; i < n; i++) {
		size_t len = strlen(names[i]->d_name);

		if (len > 4 && !strcmp(names[i]->d_name + len - 4, ".txt")) {
			unsigned c = 0;

			snprintf(path, sizeof(path), "%s/%s", dir, names[i]->d_name);
			c = run_vector_file(s, path);
			printf("  ok   %-22s %u vectors\n", names[i]->d_name, c);
			total += c;
		}
		free(names[i]);
	}
	free(names);
	return total;
}

static TEEC_Result time_call(TEEC_Session *s, uint32_t which, uint32_t *seconds, uint32_t *millis)
{
	TEEC_Operation op;
	uint32_t origin = 0;
	TEEC_Result res;

	memset(&op, 0, sizeof(op));
	op.paramTypes = TEEC_PARAM_TYPES(TEEC_VALUE_INPUT, TEEC_VALUE_INOUT, TEEC_NONE, TEEC_NONE);
	op.params[0].value.a = which;
	op.params[1].value.a = *seconds;
	op.params[1].value.b = *millis;
	res = TEEC_InvokeCommand(s, TA_CRYPTO_CMD_TIME, &op, &origin);
	*seconds = op.params[1].value.a;
	*millis = op.params[1].value.b;
	return res;
}

/* TA persistent time: not set, set, kept across instances, hidden from the TA's
 * enumerators, overflow past 2^32 seconds. */
static void persistent_time(TEEC_Context *ctx, const char *uuid)
{
	TEEC_Session s;
	uint32_t sec = 0, ms = 0;

	tt_open_session(ctx, &s, uuid);
	TEST_STEP("TEE_GetTAPersistentTime before any TEE_SetTAPersistentTime");
	ASSERT_TEEC_RES(time_call(&s, TIME_GET, &sec, &ms), TEE_ERROR_TIME_NOT_SET);
	TEST_STEP("TEE_SetTAPersistentTime(1000000.500), then get it back");
	sec = 1000000;
	ms = 500;
	ASSERT_TEEC_OK(time_call(&s, TIME_SET, &sec, &ms));
	ASSERT_TEEC_OK(time_call(&s, TIME_GET, &sec, &ms));
	ASSERT_GE_U64(sec, 1000000);
	ASSERT_LT_U64(sec, 1000000 + 600); /* it runs on from the set value, not elsewhere */
	TEST_STEP("the time record is not among the TA's objects");
	ASSERT_TEEC_OK(time_call(&s, TIME_COUNT_OBJECTS, &sec, &ms));
	ASSERT_EQ_U64(sec, 0);
	TEEC_CloseSession(&s);

	TEST_STEP("a new instance of the TA reads the time it set");
	tt_open_session(ctx, &s, uuid);
	ASSERT_TEEC_OK(time_call(&s, TIME_GET, &sec, &ms));
	ASSERT_GE_U64(sec, 1000000);
	ASSERT_LT_U64(sec, 1000000 + 600);
	TEST_STEP("seconds past 2^32: TEE_ERROR_OVERFLOW");
	sec = 0xFFFFFFFFu;
	ms = 999;
	ASSERT_TEEC_OK(time_call(&s, TIME_SET, &sec, &ms));
	usleep(5000); /* at least 1 ms more: the next get is past 2^32 s */
	ASSERT_TEEC_RES(time_call(&s, TIME_GET, &sec, &ms), TEE_ERROR_OVERFLOW);
	TEEC_CloseSession(&s);
	printf("  ok   TA persistent time: not set, set, kept across instances, hidden, "
	       "overflow\n");
}

int main(int argc, char **argv)
{
	static const struct {
		const char *uuid;
		const char *name;
	} tas[] = { { TA_CRYPTO_UUID_STR, "GP 1.3.1 TA" },
		    { TA_CRYPTO_GP11_UUID_STR, "GP 1.1 TA" } };
	TEEC_Context ctx;
	TEEC_Session s;

	QCHECK(argc == 2, "usage: %s <vector directory>", argv[0]);
	tt_init_context(&ctx);
	/* first, while the TA's storage holds no object of its own */
	tt_section("TA persistent time");
	persistent_time(&ctx, TA_CRYPTO_UUID_STR);
	for (size_t t = 0; t < 2; t++) {
		tt_section("%s: self-checks", tas[t].name);
		tt_open_session(&ctx, &s, tas[t].uuid);
		selftest(&s, tas[t].name);
		tt_section("%s: known-answer vectors", tas[t].name);
		printf("  ok   %u vectors in all\n", vectors(&s, argv[1]));
		tt_section("%s: GP API against OpenSSL", tas[t].name);
		printf("  ok   %u symmetric cases identical\n", diff_sym(&s));
		/* the GP 1.1 twins only convert sizes: the big keys and operands once suffice */
		printf("  ok   %u asymmetric checks\n", diff_asym(&s, t == 1));
		printf("  ok   %u generated keys' relations hold\n", keygen_relations(&s, t == 1));
		printf("  ok   %u arithmetic cases identical\n", diff_bigint(&s, t == 1));
		TEEC_CloseSession(&s);
		tt_section("%s: misuse", tas[t].name);
		misuse(&ctx, tas[t].uuid, tas[t].name);
		printf("  ok   %zu misuse cases\n", sizeof(cases) / sizeof(cases[0]));
	}
	for (size_t t = 0; t < 2; t++) {
		tt_section("%s: persistent key objects", tas[t].name);
		printf("  ok   %u kinds of persistent key, same results as transient\n",
		       persistent_keys(&ctx, tas[t].uuid, t == 1));
	}
	TEEC_FinalizeContext(&ctx);

	tt_section("sandbox: nothing refused");
	if (getenv("TZM_INSECURE_NO_SANDBOX")) {
		printf("  --   no seccomp filter in this run (TZM_INSECURE_NO_SANDBOX)\n");
	} else {
		unsigned refused = tt_log_count(TA_CRYPTO_UUID_STR, "not supported in a TA") +
				   tt_log_count(TA_CRYPTO_GP11_UUID_STR, "not supported in a TA") +
				   tt_log_count(TA_CRYPTO_UUID_STR, "killed by the sandbox") +
				   tt_log_count(TA_CRYPTO_GP11_UUID_STR, "killed by the sandbox");

		QCHECK(refused == 0, "tee.log: %u system calls refused to the crypto TAs", refused);
		printf("  ok   no system call of the crypto TAs was refused\n");
	}
	return 0;
}
