// SPDX-License-Identifier: BSD-2-Clause
/*
 * The core-side attestation service (tee/core/attest.c) driven directly through its
 * dispatch entry point, as tzm-teed's HOST_CALL handler does: tokens verify with the
 * platform key from the state directory and carry the TA's measurement, UUID, challenge
 * and REMs; each instance has its own key; hostile requests (sizes, versions, reserved
 * fields, indices, lengths, unknown commands) are refused.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <tee_api_defines.h>

#include "attest_test.h"
#include "core_services.h"
#include "tee_attest_msg.h"

/* tzm-teed's logger, replaced here by stderr (the service logs failures only). */
void core_log(const struct core *core, char level, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void core_log(const struct core *core, char level, const char *fmt, ...)
{
	va_list ap;
	(void)core;
	va_start(ap, fmt);
	fprintf(stderr, "[core %c] ", level);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

static struct core_attest *g_att; /* the service under test */
static uint8_t resp[64 * 1024];
static struct tzm_attest_report report;
static char platform_pem[1024];

static TEE_Result token(const struct core_ta_identity *ta, const uint8_t chal[64], size_t *tok_len)
{
	struct tam_token_req req;
	size_t len = 0;
	memset(&req, 0, sizeof(req));
	req.hdr.version = TAM_VERSION;
	memcpy(req.challenge, chal, 64);
	TEE_Result res = core__attest_dispatch(g_att, ta, TAM_CMD_TOKEN, &req, sizeof(req), resp,
					       sizeof(resp), &len);
	if (res == TEE_SUCCESS) {
		struct tam_token_rsp rsp;
		memcpy(&rsp, resp, sizeof(rsp));
		ASSERT_EQ_INT(rsp.version, TAM_VERSION);
		ASSERT_EQ_INT(rsp.token_len + sizeof(rsp), len);
		*tok_len = rsp.token_len;
	}
	return res;
}

static enum tzm_attest_status verify_token(size_t len, const uint8_t chal[64])
{
	struct tzm_attest_verify_opts o = { .platform_key_pem = platform_pem,
					    .platform_key_pem_len = strlen(platform_pem),
					    .challenge = chal,
					    .challenge_len = 64 };
	ASSERT_OK(tzm_attest_verify(resp + sizeof(struct tam_token_rsp), len, &o, &report));
	if (report.status != TZM_ATTEST_AFFIRMING) {
		test_dump(&report);
	}
	return report.status;
}

static TEE_Result extend(const struct core_ta_identity *ta, uint32_t idx, const void *d, uint32_t n)
{
	struct tam_extend_req req;
	size_t len = 0;
	memset(&req, 0, sizeof(req));
	req.hdr.version = TAM_VERSION;
	req.rem_index = idx;
	req.data_len = n;
	memcpy(req.data, d, n < sizeof(req.data) ? n : sizeof(req.data));
	return core__attest_dispatch(g_att, ta, TAM_CMD_EXTEND, &req, sizeof(req), resp,
				     sizeof(resp), &len);
}

static void sha256(const void *p, size_t n, uint8_t out[32])
{
	unsigned int l = 0;
	EVP_Digest(p, n, out, &l, EVP_sha256(), NULL);
}

static void hash_path(const char *path, uint8_t out[32])
{
	static uint8_t buf[16 << 20];
	FILE *f = fopen(path, "rb");
	size_t n = f ? fread(buf, 1, sizeof(buf), f) : 0;
	ASSERT_NOT_NULL(f);
	ASSERT_LT_INT(n, sizeof(buf));
	if (f) {
		fclose(f);
	}
	sha256(buf, n, out);
}

int main(int argc, char **argv)
{
	const char *tmp = getenv("TZM_TEST_TMPDIR");
	char state[4096], key_path[4200];
	const char *bins[] = { argv[0], NULL };
	struct core_ta_identity a, b;
	uint8_t chal[64], rak_a[97], self_hash[32];
	size_t len = 0, plen = 0;
	struct tzm_attest_key *cpak = NULL;
	(void)argc;

	snprintf(state, sizeof(state), "%s/core-state", tmp ? tmp : "/tmp");
	g_att = core__attest_new(NULL);
	ASSERT_NOT_NULL(g_att);
	memset(&a, 0, sizeof(a));
	a.uuid.timeLow = 0x11223344;
	a.uuid.timeMid = 0x5566;
	a.uuid.timeHiAndVersion = 0x7788;
	memcpy(a.uuid.clockSeqAndNode, "\x99\xaa\xbb\xcc\xdd\xee\xff\x00", 8);
	a.instance_id = 7;
	memset(a.ta_sha256, 0x33, 32);
	b = a;
	b.instance_id = 8;
	memset(chal, 0x5c, sizeof(chal));

	/* Before init the service refuses to work. */
	ASSERT_TEE_RES(token(&a, chal, &len), TEE_ERROR_BAD_STATE);
	ASSERT_EQ_INT(core__attest_init(g_att, state, bins), 0);

	ASSERT_TEE_RES(token(&a, chal, &len), TEE_SUCCESS);
	/* The platform key now exists in the state directory; verify against it. */
	ASSERT_OK(tzm_attest_platform_key_path(state, key_path, sizeof(key_path)));
	ASSERT_OK(tzm_attest_key_load_or_create(key_path, &cpak));
	ASSERT_NOT_NULL(cpak);
	ASSERT_OK(tzm_attest_key_public_pem(cpak, platform_pem, sizeof(platform_pem), &plen));
	ASSERT_EQ_INT(verify_token(len, chal), TZM_ATTEST_AFFIRMING);
	ASSERT_EQ_INT(report.envelope, TZM_ATTEST_ENV_CMW907);
	ASSERT_EQ_MEM(report.realm.rim, a.ta_sha256, 32);
	static const uint8_t uuid_bytes[16] = { 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88,
						0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff, 0x00 };
	static const uint8_t zero[64];
	ASSERT_EQ_MEM(report.realm.rpv, uuid_bytes, 16);
	ASSERT_EQ_MEM(report.realm.rpv + 16, zero, 48);
	ASSERT_EQ_MEM(report.realm.rem[1], zero, 32);
	ASSERT_EQ_INT(report.platform.num_sw, 1);
	ASSERT_EQ_INT(report.platform.lifecycle, 0x3000);
	hash_path(argv[0], self_hash);
	ASSERT_EQ_MEM(report.platform.sw[0].measurement, self_hash, 32);
	memcpy(rak_a, report.realm.rak, 97);

	/* Extending REM 2 of instance a: REM = SHA-256(REM || data); b is unaffected. */
	ASSERT_TEE_RES(extend(&a, 2, "abc", 3), TEE_SUCCESS);
	uint8_t buf[35] = { 0 }, want[32];
	memcpy(buf + 32, "abc", 3);
	sha256(buf, sizeof(buf), want);
	ASSERT_TEE_RES(token(&a, chal, &len), TEE_SUCCESS);
	ASSERT_EQ_INT(verify_token(len, chal), TZM_ATTEST_AFFIRMING);
	ASSERT_EQ_MEM(report.realm.rem[1], want, 32);
	ASSERT_EQ_MEM(report.realm.rem[0], zero, 32);
	ASSERT_EQ_MEM(report.realm.rak, rak_a, 97); /* same instance, same key */

	{
		ASSERT_TEE_RES(token(&b, chal, &len), TEE_SUCCESS);
		ASSERT_EQ_INT(verify_token(len, chal), TZM_ATTEST_AFFIRMING);
	}
	ASSERT_EQ_MEM(report.realm.rem[1], zero, 32);
	ASSERT_NE_MEM(report.realm.rak, rak_a, 97); /* each instance has its own key */

	/* A Wasm TA (module kind 1 in its .ta header): the module's SHA-256 follows the UUID
	 * in the RPV; the rest stays zero. */
	{
		struct core_ta_identity w = a;
		uint8_t module[32];

		w.instance_id = 9;
		w.module_kind = 1; /* TA_IMAGE_MODULE_WASM */
		memset(w.module_sha256, 0x6d, 32);
		memcpy(module, w.module_sha256, 32);
		ASSERT_TEE_RES(token(&w, chal, &len), TEE_SUCCESS);
		ASSERT_EQ_INT(verify_token(len, chal), TZM_ATTEST_AFFIRMING);
		ASSERT_EQ_MEM(report.realm.rpv, uuid_bytes, 16);
		ASSERT_EQ_MEM(report.realm.rpv + 16, module, 32);
		ASSERT_EQ_MEM(report.realm.rpv + 48, zero, 16);
		ASSERT_EQ_MEM(report.realm.rim, w.ta_sha256, 32);
		core__attest_instance_gone(g_att, 9);
	}

	/* A gone instance loses its key and REMs; the id reused gets fresh ones. */
	core__attest_instance_gone(g_att, 7);
	ASSERT_TEE_RES(token(&a, chal, &len), TEE_SUCCESS);
	ASSERT_EQ_INT(verify_token(len, chal), TZM_ATTEST_AFFIRMING);
	ASSERT_NE_MEM(report.realm.rak, rak_a, 97);
	ASSERT_EQ_MEM(report.realm.rem[1], zero, 32);
	core__attest_instance_gone(g_att, 12345); /* unknown: harmless */

	/* Hostile requests. */
	struct tam_token_req req;
	memset(&req, 0, sizeof(req));
	req.hdr.version = TAM_VERSION;
	ASSERT_TEE_RES(core__attest_dispatch(g_att, &a, TAM_CMD_TOKEN, &req, sizeof(req) - 1, resp,
					     sizeof(resp), &len),
		       TEE_ERROR_BAD_PARAMETERS);
	ASSERT_TEE_RES(core__attest_dispatch(g_att, &a, TAM_CMD_TOKEN, &req, sizeof(req) + 1, resp,
					     sizeof(resp), &len),
		       TEE_ERROR_BAD_PARAMETERS);
	ASSERT_TEE_RES(core__attest_dispatch(g_att, &a, TAM_CMD_TOKEN, NULL, sizeof(req), resp,
					     sizeof(resp), &len),
		       TEE_ERROR_BAD_PARAMETERS);
	req.hdr.version = 2;
	ASSERT_TEE_RES(core__attest_dispatch(g_att, &a, TAM_CMD_TOKEN, &req, sizeof(req), resp,
					     sizeof(resp), &len),
		       TEE_ERROR_BAD_PARAMETERS);
	req.hdr.version = TAM_VERSION;
	req.hdr.reserved1 = 1;
	ASSERT_TEE_RES(core__attest_dispatch(g_att, &a, TAM_CMD_TOKEN, &req, sizeof(req), resp,
					     sizeof(resp), &len),
		       TEE_ERROR_BAD_PARAMETERS);
	ASSERT_TEE_RES(core__attest_dispatch(g_att, &a, 0x0200, &req, sizeof(req), resp,
					     sizeof(resp), &len),
		       TEE_ERROR_NOT_SUPPORTED);
	ASSERT_TEE_RES(core__attest_dispatch(g_att, &a, 0x0203, &req, sizeof(req), resp,
					     sizeof(resp), &len),
		       TEE_ERROR_NOT_SUPPORTED);
	ASSERT_TEE_RES(core__attest_dispatch(g_att, &a, 0x02ff, &req, sizeof(req), resp,
					     sizeof(resp), &len),
		       TEE_ERROR_NOT_SUPPORTED);
	ASSERT_TEE_RES(extend(&a, 0, "x", 1), TEE_ERROR_BAD_PARAMETERS);
	ASSERT_TEE_RES(extend(&a, 5, "x", 1), TEE_ERROR_BAD_PARAMETERS);
	ASSERT_TEE_RES(extend(&a, 1, "x", 0), TEE_ERROR_BAD_PARAMETERS);
	ASSERT_TEE_RES(extend(&a, 1, zero, TAM_MAX_EXTEND + 1), TEE_ERROR_BAD_PARAMETERS);
	ASSERT_TEE_RES(extend(&a, 4, zero, TAM_MAX_EXTEND), TEE_SUCCESS);
	/* A response buffer too small for the header is refused, not overrun. */
	req.hdr.reserved1 = 0;
	ASSERT_TEE_RES(
		core__attest_dispatch(g_att, &a, TAM_CMD_TOKEN, &req, sizeof(req), resp, 4, &len),
		TEE_ERROR_BAD_PARAMETERS);

	core__attest_instance_gone(g_att, 7);
	core__attest_instance_gone(g_att, 8);
	core__attest_free(g_att);
	tzm_attest_key_free(cpak);
	return test_result("attest_core");
}
