// SPDX-License-Identifier: BSD-2-Clause
/*
 * Realm attestation: one Realm Attestation Key (P-384) per realm, made on the realm's
 * first token request and dropped with the realm; the emulated platform's key (CPAK)
 * signs the platform token, whose challenge binds it to the RAK (SHA-256 of the realm
 * token's key claim). The realm token uses the realm profile 2.0
 * (tag:arm.com,2024:realm#2.0.0) and the realm's own hash algorithm for RIM and REMs.
 */
#include <errno.h>
#include <openssl/evp.h>
#include <stdlib.h>
#include <string.h>

#include "rmm_int.h"

int tzm__attest_init(struct tzm_rmm *rmm, const char *platform_key_path)
{
	int rc = platform_key_path != NULL
			 ? tzm_attest_key_load_or_create(platform_key_path, &rmm->platform_key)
			 : tzm_attest_key_generate(&rmm->platform_key);
	rmm->platform_lifecycle = 0x3000; /* secured */
	return rc;
}

void tzm__attest_fini(struct tzm_rmm *rmm)
{
	for (size_t i = 0; i < rmm->num_raks; i++) {
		tzm_attest_key_free(rmm->raks[i].key);
	}
	free(rmm->raks);
	rmm->raks = NULL;
	rmm->num_raks = 0;
	tzm_attest_key_free(rmm->platform_key);
	rmm->platform_key = NULL;
}

int tzm_rmm_platform_key_pem(const struct tzm_rmm *rmm, char *buf, size_t cap, size_t *len)
{
	return tzm_attest_key_public_pem(rmm->platform_key, buf, cap, len);
}

void tzm__rak_drop(struct tzm_rmm *rmm, uint64_t rd_pa)
{
	for (size_t i = 0; i < rmm->num_raks; i++) {
		if (rmm->raks[i].rd == rd_pa) {
			tzm_attest_key_free(rmm->raks[i].key);
			rmm->raks[i] = rmm->raks[--rmm->num_raks];
			return;
		}
	}
}

static int rak_of(struct tzm_rmm *rmm, uint64_t rd_pa, struct tzm_attest_key **key)
{
	for (size_t i = 0; i < rmm->num_raks; i++) {
		if (rmm->raks[i].rd == rd_pa) {
			*key = rmm->raks[i].key;
			return 0;
		}
	}
	struct tzm__rak *n = realloc(rmm->raks, (rmm->num_raks + 1) * sizeof(*n));
	if (n == NULL) {
		return -ENOMEM;
	}
	rmm->raks = n;
	int rc = tzm_attest_key_generate(key);
	if (rc != 0) {
		return rc;
	}
	rmm->raks[rmm->num_raks].rd = rd_pa;
	rmm->raks[rmm->num_raks].key = *key;
	rmm->num_raks++;
	return 0;
}

static void sha256(const void *data, size_t len, uint8_t out[32])
{
	unsigned n = 0;
	(void)EVP_Digest(data, len, out, &n, EVP_sha256(), NULL);
}

int tzm__realm_token(struct tzm_rmm *rmm, uint64_t rd_pa, const struct tzm__rd *rd,
		     const uint8_t challenge[64], uint8_t *buf, size_t cap, size_t *len)
{
	static const char impl[] = "tzmediator software RMM model (realm/)";
	static const char sw_name[] = "tzm-rmm-model";
	struct tzm_attest_key *rak = NULL;
	uint8_t cpak_point[97];
	int rc = rak_of(rmm, rd_pa, &rak);
	if (rc != 0 || (rc = tzm_attest_key_public_raw(rmm->platform_key, cpak_point)) != 0) {
		return rc;
	}
	struct tzm_attest_sw_in sw;
	memset(&sw, 0, sizeof(sw));
	sw.type = sw_name;
	sw.version = "1.0";
	sha256(sw_name, sizeof(sw_name) - 1, sw.measurement);
	sha256(cpak_point, sizeof(cpak_point), sw.signer_id);
	static const uint8_t config[4];
	struct tzm_attest_platform_in p;
	memset(&p, 0, sizeof(p));
	p.cpak = rmm->platform_key;
	sha256(impl, sizeof(impl) - 1, p.implementation_id);
	p.lifecycle = rmm->platform_lifecycle;
	p.config = config;
	p.config_len = sizeof(config);
	p.num_sw = 1;
	p.sw = &sw;

	struct tzm_attest_realm_in *r = calloc(1, sizeof(*r));
	if (r == NULL) {
		return -ENOMEM;
	}
	r->rak = rak;
	memcpy(r->challenge, challenge, 64);
	memcpy(r->rpv, rd->rpv, 64);
	r->profile = TZM_ATTEST_REALM_PROFILE_2;
	r->digest_len = tzm__digest_len(rd->algorithm);
	memcpy(r->rim512, rd->meas[0], 64);
	for (unsigned i = 0; i < TZM_ATTEST_NUM_REMS; i++) {
		memcpy(r->rem512[i], rd->meas[1 + i], 64);
	}
	/* Profile 2.0's claim 256: 0x01 || SHA-256(RAK point), like a UEID; 44243: the
	 * realm's VMID (an integer identifying it on this platform). */
	uint8_t rak_point[97];
	rc = tzm_attest_key_public_raw(rak, rak_point);
	r->claim_256[0] = 0x01;
	sha256(rak_point, sizeof(rak_point), r->claim_256 + 1);
	r->claim_44243 = rd->vmid;
	if (rc == 0) {
		rc = tzm_attest_issue(&p, r, TZM_ATTEST_ENV_CMW907, buf, cap, len);
	}
	free(r);
	return rc;
}
