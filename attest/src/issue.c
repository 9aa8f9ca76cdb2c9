// SPDX-License-Identifier: BSD-2-Clause
/*
 * Token encoder: builds and signs the platform and realm-format (TA) tokens and wraps
 * them in an envelope. The produced token follows the CCA formats exactly, so the same
 * verifier appraises Realms and TAs:
 *
 *   realm (TA) claims: {265: realm profile, 10: challenge, 44235: RPV, 44236: "sha-256",
 *                       44237: bstr .cbor COSE_Key(RAK), 44238: RIM, 44239: [4 REMs],
 *                       44240: "sha-256"}
 *   platform claims:   {265: cca_platform profile, 10: SHA-256(44237 bytes),
 *                       2396: implementation id, 256: 0x01 || SHA-256(CPAK point),
 *                       2401: config, 2395: lifecycle, 2399: [components],
 *                       2402: "sha-256" [, 2400: verification service]}
 */
#include "attest_int.h"
#include "cose.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define SCRATCH_CAP TZM_ATTEST_MAX_TOKEN

static bool profile2(const struct tzm_attest_realm_in *r)
{
	return r->profile != NULL && strcmp(r->profile, TZM_CCA_REALM_PROFILE_2) == 0;
}

static bool short_str(const char *s)
{
	return s == NULL || strlen(s) < TZM_ATTEST_MAX_STR;
}

static bool validate_in(const struct tzm_attest_platform_in *p, const struct tzm_attest_realm_in *r,
			enum tzm_attest_envelope env)
{
	if (r != NULL && (r->digest_len != 0 && r->digest_len != 32 && r->digest_len != 64)) {
		return false;
	}
	if (r != NULL && r->profile != NULL && !profile2(r) &&
	    strcmp(r->profile, TZM_CCA_REALM_PROFILE) != 0) {
		return false;
	}
	if (p == NULL || r == NULL || p->cpak == NULL || r->rak == NULL ||
	    (env != TZM_ATTEST_ENV_CMW907 && env != TZM_ATTEST_ENV_LEGACY399)) {
		return false;
	}
	if (p->config == NULL || p->config_len == 0 || p->config_len > TZM_ATTEST_MAX_DIGEST ||
	    p->num_sw == 0 || p->num_sw > TZM_ATTEST_MAX_SW || p->sw == NULL ||
	    !short_str(p->verification_service)) {
		return false;
	}
	for (size_t i = 0; i < p->num_sw; i++) {
		if (!short_str(p->sw[i].type) || !short_str(p->sw[i].version)) {
			return false;
		}
	}
	return true;
}

static void realm_claims(struct tzm_cbor_enc *e, const struct tzm_attest_realm_in *r,
			 const uint8_t *rak_claim, size_t rak_claim_len)
{
	size_t dl = r->digest_len != 0 ? r->digest_len : sizeof(r->rim);
	const uint8_t *rim = r->digest_len != 0 ? r->rim512 : r->rim;
	tzm__cbor_put_map(e, profile2(r) ? 10 : 8);
	if (profile2(r)) {
		tzm__cbor_put_uint(e, TZM_CCA_REALM_CLAIM_256);
		tzm__cbor_put_bstr(e, r->claim_256, sizeof(r->claim_256));
		tzm__cbor_put_uint(e, TZM_CCA_REALM_CLAIM_44243);
		tzm__cbor_put_int(e, r->claim_44243);
	}
	tzm__cbor_put_uint(e, TZM_CCA_PROFILE);
	tzm__cbor_put_tstr(e, r->profile != NULL ? r->profile : TZM_CCA_REALM_PROFILE);
	tzm__cbor_put_uint(e, TZM_CCA_CHALLENGE);
	tzm__cbor_put_bstr(e, r->challenge, sizeof(r->challenge));
	tzm__cbor_put_uint(e, TZM_CCA_REALM_RPV);
	tzm__cbor_put_bstr(e, r->rpv, sizeof(r->rpv));
	tzm__cbor_put_uint(e, TZM_CCA_REALM_MEAS_ALG);
	tzm__cbor_put_tstr(e, dl == 64 ? "sha-512" : "sha-256");
	tzm__cbor_put_uint(e, TZM_CCA_REALM_PUBKEY);
	tzm__cbor_put_bstr(e, rak_claim, rak_claim_len);
	tzm__cbor_put_uint(e, TZM_CCA_REALM_RIM);
	tzm__cbor_put_bstr(e, rim, dl);
	tzm__cbor_put_uint(e, TZM_CCA_REALM_REMS);
	tzm__cbor_put_array(e, TZM_ATTEST_NUM_REMS);
	for (size_t i = 0; i < TZM_ATTEST_NUM_REMS; i++) {
		tzm__cbor_put_bstr(e, r->digest_len != 0 ? r->rem512[i] : r->rem[i], dl);
	}
	tzm__cbor_put_uint(e, TZM_CCA_REALM_PUBKEY_HASH_ALG);
	tzm__cbor_put_tstr(e, "sha-256");
}

static void platform_claims(struct tzm_cbor_enc *e, const struct tzm_attest_platform_in *p,
			    const uint8_t challenge[32], const uint8_t instance_id[33])
{
	tzm__cbor_put_map(e, p->verification_service != NULL ? 9 : 8);
	tzm__cbor_put_uint(e, TZM_CCA_PROFILE);
	tzm__cbor_put_tstr(e, TZM_CCA_PLATFORM_PROFILE);
	tzm__cbor_put_uint(e, TZM_CCA_CHALLENGE);
	tzm__cbor_put_bstr(e, challenge, 32);
	tzm__cbor_put_uint(e, TZM_CCA_PLAT_IMPL_ID);
	tzm__cbor_put_bstr(e, p->implementation_id, sizeof(p->implementation_id));
	tzm__cbor_put_uint(e, TZM_CCA_PLAT_INSTANCE_ID);
	tzm__cbor_put_bstr(e, instance_id, 33);
	tzm__cbor_put_uint(e, TZM_CCA_PLAT_CONFIG);
	tzm__cbor_put_bstr(e, p->config, p->config_len);
	tzm__cbor_put_uint(e, TZM_CCA_PLAT_LIFECYCLE);
	tzm__cbor_put_uint(e, p->lifecycle);
	tzm__cbor_put_uint(e, TZM_CCA_PLAT_SW_COMPONENTS);
	tzm__cbor_put_array(e, p->num_sw);
	for (size_t i = 0; i < p->num_sw; i++) {
		const struct tzm_attest_sw_in *sw = &p->sw[i];
		tzm__cbor_put_map(e, 3 + (sw->type != NULL) + (sw->version != NULL));
		if (sw->type != NULL) {
			tzm__cbor_put_uint(e, 1);
			tzm__cbor_put_tstr(e, sw->type);
		}
		tzm__cbor_put_uint(e, 2);
		tzm__cbor_put_bstr(e, sw->measurement, sizeof(sw->measurement));
		if (sw->version != NULL) {
			tzm__cbor_put_uint(e, 4);
			tzm__cbor_put_tstr(e, sw->version);
		}
		tzm__cbor_put_uint(e, 5);
		tzm__cbor_put_bstr(e, sw->signer_id, sizeof(sw->signer_id));
		tzm__cbor_put_uint(e, 6);
		tzm__cbor_put_tstr(e, "sha-256");
	}
	tzm__cbor_put_uint(e, TZM_CCA_PLAT_HASH_ALG);
	tzm__cbor_put_tstr(e, "sha-256");
	if (p->verification_service != NULL) {
		tzm__cbor_put_uint(e, TZM_CCA_PLAT_VERIFICATION_SERVICE);
		tzm__cbor_put_tstr(e, p->verification_service);
	}
}

static void envelope_entry(struct tzm_cbor_enc *e, enum tzm_attest_envelope env, uint64_t key,
			   const uint8_t *tok, size_t len)
{
	tzm__cbor_put_uint(e, key);
	if (env == TZM_ATTEST_ENV_CMW907) {
		tzm__cbor_put_array(e, 2);
		tzm__cbor_put_uint(e, TZM_CCA_CMW_CT_EAT_CWT);
	}
	tzm__cbor_put_bstr(e, tok, len);
}

int tzm_attest_issue(const struct tzm_attest_platform_in *platform,
		     const struct tzm_attest_realm_in *realm, enum tzm_attest_envelope envelope,
		     void *buf, size_t cap, size_t *len)
{
	uint8_t rak_point[97], cpak_point[97];
	uint8_t rak_claim[128];
	uint8_t challenge[32], instance_id[33];
	size_t rak_claim_len = 0, hlen = 0, claims_len = 0, realm_len = 0, plat_len = 0;
	struct tzm_cbor_enc e;
	uint8_t *claims = NULL, *realm_tok = NULL, *plat_tok = NULL;
	int rc = -EINVAL;

	if (len == NULL || !validate_in(platform, realm, envelope)) {
		return -EINVAL;
	}
	claims = malloc(SCRATCH_CAP);
	realm_tok = malloc(SCRATCH_CAP);
	plat_tok = malloc(SCRATCH_CAP);
	if (claims == NULL || realm_tok == NULL || plat_tok == NULL) {
		rc = -ENOMEM;
		goto out;
	}
	if ((rc = tzm_attest_key_public_raw(realm->rak, rak_point)) != 0 ||
	    (rc = tzm_attest_key_public_raw(platform->cpak, cpak_point)) != 0) {
		goto out;
	}
	tzm__cbor_enc_init(&e, rak_claim, sizeof(rak_claim));
	tzm__cose_key_encode(rak_point, &e);
	if ((rc = tzm__cbor_enc_done(&e, &rak_claim_len)) != 0) {
		goto out;
	}

	/* Realm (TA) token. */
	tzm__cbor_enc_init(&e, claims, SCRATCH_CAP);
	realm_claims(&e, realm, rak_claim, rak_claim_len);
	if ((rc = tzm__cbor_enc_done(&e, &claims_len)) != 0) {
		goto out;
	}
	tzm__cbor_enc_init(&e, realm_tok, SCRATCH_CAP);
	if ((rc = tzm__cose_sign1_sign(realm->rak->pkey, claims, claims_len, &e)) != 0 ||
	    (rc = tzm__cbor_enc_done(&e, &realm_len)) != 0) {
		goto out;
	}

	/* Platform token, bound to the realm key. */
	instance_id[0] = 0x01;
	if ((rc = tzm__hash("sha-256", rak_claim, rak_claim_len, challenge, &hlen)) != 0 ||
	    (rc = tzm__hash("sha-256", cpak_point, sizeof(cpak_point), instance_id + 1, &hlen)) !=
		    0) {
		goto out;
	}
	tzm__cbor_enc_init(&e, claims, SCRATCH_CAP);
	platform_claims(&e, platform, challenge, instance_id);
	if ((rc = tzm__cbor_enc_done(&e, &claims_len)) != 0) {
		goto out;
	}
	tzm__cbor_enc_init(&e, plat_tok, SCRATCH_CAP);
	if ((rc = tzm__cose_sign1_sign(platform->cpak->pkey, claims, claims_len, &e)) != 0 ||
	    (rc = tzm__cbor_enc_done(&e, &plat_len)) != 0) {
		goto out;
	}

	/* Envelope; with a short buffer the encoder still counts, giving the size needed. */
	tzm__cbor_enc_init(&e, buf, cap);
	tzm__cbor_put_tag(&e, envelope);
	tzm__cbor_put_map(&e, 2);
	envelope_entry(&e, envelope, TZM_CCA_KEY_PLATFORM, plat_tok, plat_len);
	envelope_entry(&e, envelope, TZM_CCA_KEY_REALM, realm_tok, realm_len);
	rc = tzm__cbor_enc_done(&e, len);
	if (rc == 0 && *len > TZM_ATTEST_MAX_TOKEN) {
		rc = -E2BIG;
	}
out:
	free(claims);
	free(realm_tok);
	free(plat_tok);
	return rc;
}
