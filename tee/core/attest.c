/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Attestation service of tzm-teed: issues CCA-format tokens to TA instances (wire format
 * in tee/abi/tee_attest_msg.h, token format and claim meanings in attest/README.md).
 *
 * The emulated platform has one P-384 key (CPAK), created on first use and kept in
 * $TZM_STATE_DIR/attest-platform-key.pem (0600). Its token describes the TEE: the
 * implementation id, the instance id (0x01 || SHA-256 of the CPAK point), lifecycle
 * "secured", and as software components the SHA-256 of tzm-teed and tzm-ta-host as
 * measured at start-up. Each TA instance gets its own P-384 attestation key (RAK) at its
 * first request, kept here (never in the TA host's memory) and dropped when the instance
 * ends, plus four run-time measurement registers (REMs) that only it can extend.
 *
 * Runs on the core's event-loop thread only, so the state needs no lock.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <tee_api_defines.h>

#include <openssl/evp.h>

#include "core_services.h"
#include "ta_image.h"
#include "tee_attest_msg.h"
#include "teed.h"
#include "tzm_attest.h"
#include "uuid.h"

#define ATTEST_MAX_BINARIES 8

struct ta_attest {
	uint64_t instance_id;
	struct tzm_attest_key *rak;
	uint8_t rem[TAM_NUM_REMS][32];
	struct ta_attest *next;
};

struct core_attest {
	const struct core *log; /* where core_log writes (NULL: stderr) */
	bool ready;
	char key_path[4096];
	struct tzm_attest_key *cpak; /* loaded or created at the first token request */
	size_t num_sw;
	char sw_type[ATTEST_MAX_BINARIES][64];
	uint8_t sw_hash[ATTEST_MAX_BINARIES][32];
	struct ta_attest *tas;
};

/* Identifies the implementation (the software TEE), not the machine: constant. */
static const char impl_id_seed[] = "tzmediator emulated GlobalPlatform TEE, CCA token v1";

static int hash_file(const char *path, uint8_t out[32])
{
	uint8_t buf[65536];
	unsigned int len = 0;
	int rc = 0;
	FILE *f = fopen(path, "rbe");
	EVP_MD_CTX *md = EVP_MD_CTX_new();

	if (!f || !md) {
		rc = !f ? -errno : -ENOMEM;
		goto out;
	}
	if (EVP_DigestInit_ex(md, EVP_sha256(), NULL) != 1) {
		rc = -EIO;
		goto out;
	}
	for (;;) {
		size_t n = fread(buf, 1, sizeof(buf), f);
		if (n > 0 && EVP_DigestUpdate(md, buf, n) != 1) {
			rc = -EIO;
			goto out;
		}
		if (n < sizeof(buf)) {
			break;
		}
	}
	if (ferror(f) || EVP_DigestFinal_ex(md, out, &len) != 1 || len != 32)
		rc = -EIO;
out:
	EVP_MD_CTX_free(md);
	if (f)
		fclose(f);
	return rc;
}

struct core_attest *core__attest_new(const struct core *log)
{
	struct core_attest *att = calloc(1, sizeof(*att));

	if (att)
		att->log = log;
	return att;
}

void core__attest_free(struct core_attest *att)
{
	if (!att)
		return;
	while (att->tas)
		core__attest_instance_gone(att, att->tas->instance_id);
	tzm_attest_key_free(att->cpak);
	free(att);
}

int core__attest_init(struct core_attest *att, const char *state_dir,
		      const char *const *tee_binaries)
{
	int rc = tzm_attest_platform_key_path(state_dir, att->key_path, sizeof(att->key_path));

	if (rc)
		return rc;
	att->num_sw = 0;
	for (size_t i = 0; tee_binaries && tee_binaries[i]; i++) {
		const char *base = strrchr(tee_binaries[i], '/');

		if (att->num_sw == ATTEST_MAX_BINARIES)
			return -E2BIG;
		rc = hash_file(tee_binaries[i], att->sw_hash[att->num_sw]);
		if (rc) {
			core_log(att->log, 'E', "attest: cannot measure %s: %s", tee_binaries[i],
				 strerror(-rc));
			return rc;
		}
		snprintf(att->sw_type[att->num_sw], sizeof(att->sw_type[0]), "%s",
			 base ? base + 1 : tee_binaries[i]);
		att->num_sw++;
	}
	if (att->num_sw == 0)
		return -EINVAL; /* a platform token needs at least one component */
	att->ready = true;
	return 0;
}

static struct ta_attest *find_ta(struct core_attest *att, uint64_t instance_id)
{
	for (struct ta_attest *t = att->tas; t; t = t->next) {
		if (t->instance_id == instance_id)
			return t;
	}
	return NULL;
}

/* The instance's state, created (with a fresh RAK) on its first request. */
static int get_ta(struct core_attest *att, uint64_t instance_id, struct ta_attest **out)
{
	struct ta_attest *t = find_ta(att, instance_id);
	int rc;

	if (!t) {
		t = calloc(1, sizeof(*t));
		if (!t)
			return -ENOMEM;
		rc = tzm_attest_key_generate(&t->rak);
		if (rc) {
			free(t);
			return rc;
		}
		t->instance_id = instance_id;
		t->next = att->tas;
		att->tas = t;
	}
	*out = t;
	return 0;
}

void core__attest_instance_gone(struct core_attest *att, uint64_t instance_id)
{
	for (struct ta_attest **pp = &att->tas; *pp; pp = &(*pp)->next) {
		struct ta_attest *t = *pp;

		if (t->instance_id == instance_id) {
			*pp = t->next;
			tzm_attest_key_free(t->rak);
			free(t);
			return;
		}
	}
}

static TEE_Result to_tee(int rc)
{
	switch (rc) {
	case 0:
		return TEE_SUCCESS;
	case -ENOMEM:
		return TEE_ERROR_OUT_OF_MEMORY;
	case -EINVAL:
		return TEE_ERROR_BAD_PARAMETERS;
	default:
		return TEE_ERROR_GENERIC;
	}
}

static bool hdr_ok(const struct tam_hdr *h)
{
	return h->version == TAM_VERSION && h->reserved0 == 0 && h->reserved1 == 0;
}

/* Pure checks of the (already copied) requests. */
static bool validate_token_req(const struct tam_token_req *r, size_t resp_cap)
{
	return hdr_ok(&r->hdr) && resp_cap >= sizeof(struct tam_token_rsp);
}

static bool validate_extend_req(const struct tam_extend_req *r)
{
	return hdr_ok(&r->hdr) && r->rem_index >= 1 && r->rem_index <= TAM_NUM_REMS &&
	       r->data_len >= 1 && r->data_len <= TAM_MAX_EXTEND;
}

static TEE_Result cmd_token(struct core_attest *att, const struct core_ta_identity *ta,
			    const void *req_bytes, void *resp, size_t resp_cap, size_t *resp_len)
{
	struct tam_token_req req;
	struct tam_token_rsp rsp;
	struct tzm_attest_platform_in p;
	struct tzm_attest_realm_in r;
	struct tzm_attest_sw_in sw[ATTEST_MAX_BINARIES];
	static const uint8_t config[4]; /* no platform configuration options */
	uint8_t cpak_point[97], signer[32];
	unsigned int hl = 0;
	struct ta_attest *t = NULL;
	size_t len = 0;
	int rc;

	memcpy(&req, req_bytes, sizeof(req)); /* copy once; only the copy is used */
	if (!validate_token_req(&req, resp_cap))
		return TEE_ERROR_BAD_PARAMETERS;
	if (!att->cpak) {
		rc = tzm_attest_key_load_or_create(att->key_path, &att->cpak);
		if (rc) {
			core_log(att->log, 'E', "attest: platform key %s: %s", att->key_path,
				 strerror(-rc));
			return TEE_ERROR_SECURITY;
		}
	}
	rc = get_ta(att, ta->instance_id, &t);
	if (rc)
		return to_tee(rc);

	/* The platform signs its own components: signer id = SHA-256 of the CPAK point. */
	if (tzm_attest_key_public_raw(att->cpak, cpak_point) ||
	    EVP_Digest(cpak_point, sizeof(cpak_point), signer, &hl, EVP_sha256(), NULL) != 1)
		return TEE_ERROR_GENERIC;
	memset(&p, 0, sizeof(p));
	memset(sw, 0, sizeof(sw));
	p.cpak = att->cpak;
	EVP_Digest(impl_id_seed, sizeof(impl_id_seed) - 1, p.implementation_id, &hl, EVP_sha256(),
		   NULL);
	p.lifecycle = 0x3000; /* secured */
	p.config = config;
	p.config_len = sizeof(config);
	for (size_t i = 0; i < att->num_sw; i++) {
		sw[i].type = att->sw_type[i];
		memcpy(sw[i].measurement, att->sw_hash[i], 32);
		memcpy(sw[i].signer_id, signer, 32);
	}
	p.sw = sw;
	p.num_sw = att->num_sw;

	memset(&r, 0, sizeof(r));
	r.rak = t->rak;
	memcpy(r.challenge, req.challenge, sizeof(r.challenge));
	/* RPV: the UUID, then a Wasm TA's module SHA-256 (from the header the core verified
	 * and measured), zero-padded to 64 bytes (attest/README.md). */
	tzm__uuid_to_bytes((const struct tzm__uuid *)&ta->uuid, r.rpv);
	if (ta->module_kind == TA_IMAGE_MODULE_WASM) {
		memcpy(r.rpv + 16, ta->module_sha256, sizeof(ta->module_sha256));
	}
	memcpy(r.rim, ta->ta_sha256, sizeof(r.rim));
	memcpy(r.rem, t->rem, sizeof(r.rem));

	rc = tzm_attest_issue(&p, &r, TZM_ATTEST_ENV_CMW907, (uint8_t *)resp + sizeof(rsp),
			      resp_cap - sizeof(rsp), &len);
	if (rc || len > TAM_MAX_TOKEN) {
		core_log(att->log, 'E', "attest: cannot issue a token: %s",
			 strerror(rc ? -rc : E2BIG));
		return rc ? to_tee(rc) : TEE_ERROR_GENERIC;
	}
	rsp.version = TAM_VERSION;
	rsp.reserved = 0;
	rsp.token_len = (uint32_t)len;
	memcpy(resp, &rsp, sizeof(rsp));
	*resp_len = sizeof(rsp) + len;
	return TEE_SUCCESS;
}

static TEE_Result cmd_extend(struct core_attest *att, const struct core_ta_identity *ta,
			     const void *req_bytes, void *resp, size_t resp_cap, size_t *resp_len)
{
	struct tam_extend_req req;
	struct ta_attest *t = NULL;
	uint8_t buf[32 + TAM_MAX_EXTEND];
	unsigned int hl = 0;
	int rc;

	(void)resp;
	(void)resp_cap;
	memcpy(&req, req_bytes, sizeof(req)); /* copy once; only the copy is used */
	if (!validate_extend_req(&req))
		return TEE_ERROR_BAD_PARAMETERS;
	rc = get_ta(att, ta->instance_id, &t);
	if (rc)
		return to_tee(rc);
	/* REM_i = H(REM_i || data), as the RMM's RSI MEASUREMENT_EXTEND. */
	memcpy(buf, t->rem[req.rem_index - 1], 32);
	memcpy(buf + 32, req.data, req.data_len);
	if (EVP_Digest(buf, 32 + req.data_len, t->rem[req.rem_index - 1], &hl, EVP_sha256(),
		       NULL) != 1)
		return TEE_ERROR_GENERIC;
	*resp_len = 0;
	return TEE_SUCCESS;
}

typedef TEE_Result (*attest_handler)(struct core_attest *, const struct core_ta_identity *,
				     const void *, void *, size_t, size_t *);

static const struct {
	attest_handler fn;
	size_t req_size;
} handlers[] = {
	[TAM_CMD_TOKEN - TAM_CMD_FIRST] = { cmd_token, sizeof(struct tam_token_req) },
	[TAM_CMD_EXTEND - TAM_CMD_FIRST] = { cmd_extend, sizeof(struct tam_extend_req) },
};
static_assert(sizeof(handlers) / sizeof(handlers[0]) == TAM_CMD_LAST - TAM_CMD_FIRST + 1,
	      "one handler per attestation command");

TEE_Result core__attest_dispatch(struct core_attest *att, const struct core_ta_identity *ta,
				 uint32_t cmd, const void *req, size_t req_len, void *resp,
				 size_t resp_cap, size_t *resp_len)
{
	*resp_len = 0;
	if (cmd < TAM_CMD_FIRST || cmd > TAM_CMD_LAST)
		return TEE_ERROR_NOT_SUPPORTED;
	if (!att->ready)
		return TEE_ERROR_BAD_STATE;
	if (!req || req_len != handlers[cmd - TAM_CMD_FIRST].req_size)
		return TEE_ERROR_BAD_PARAMETERS;
	return handlers[cmd - TAM_CMD_FIRST].fn(att, ta, req, resp, resp_cap, resp_len);
}
