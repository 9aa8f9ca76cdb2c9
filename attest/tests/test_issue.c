// SPDX-License-Identifier: BSD-2-Clause
/*
 * Issuer and appraisal policy: tokens from tzm_attest_issue() verify in both envelopes;
 * hand-built tokens (our own encoder and signer, one defect each) are rejected with the
 * right reason: wrong platform key, wrong challenge, missing claim, wrong binding, realm
 * key mismatch, bad sizes, profiles, lifecycles; reference values match and mismatch;
 * the platform key file is private and stable.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "attest_int.h"
#include "attest_test.h"
#include "cose.h"

static struct tzm_attest_report report;
static struct tzm_attest_key *cpak, *rak, *other;
static char cpak_pem[1024];

static enum tzm_attest_status verify_with(const uint8_t *tok, size_t len, const char *pem,
					  const uint8_t *chal, const struct tzm_attest_refvals *rv)
{
	struct tzm_attest_verify_opts o = { 0 };
	o.platform_key_pem = pem;
	o.platform_key_pem_len = pem ? strlen(pem) : 0;
	o.challenge = chal;
	o.challenge_len = chal ? 64 : 0;
	o.refvals = rv;
	ASSERT_OK(tzm_attest_verify(tok, len, &o, &report));
	return report.status;
}

/* ---- issued tokens ---- */

static void fill_in(struct tzm_attest_platform_in *p, struct tzm_attest_realm_in *r,
		    struct tzm_attest_sw_in *sw)
{
	static const uint8_t config[4] = { 1, 2, 3, 4 };
	memset(p, 0, sizeof(*p));
	memset(r, 0, sizeof(*r));
	memset(sw, 0, 2 * sizeof(*sw));
	p->cpak = cpak;
	memset(p->implementation_id, 0x5a, sizeof(p->implementation_id));
	p->lifecycle = 0x3000;
	p->config = config;
	p->config_len = sizeof(config);
	p->verification_service = "https://verifier.example";
	sw[0].type = "tzm-teed";
	sw[0].version = "0.1.0";
	memset(sw[0].measurement, 0x31, 32);
	memset(sw[1].measurement, 0x32, 32);
	p->sw = sw;
	p->num_sw = 2;
	r->rak = rak;
	memset(r->challenge, 0x11, sizeof(r->challenge));
	memcpy(r->rpv, "uuid-goes-here", 14);
	memset(r->rim, 0x22, sizeof(r->rim));
	for (int i = 0; i < 4; i++) {
		memset(r->rem[i], 0x40 + i, sizeof(r->rem[i]));
	}
}

static void check_issue(void)
{
	struct tzm_attest_platform_in p;
	struct tzm_attest_realm_in r;
	struct tzm_attest_sw_in sw[2];
	uint8_t buf[4096];
	size_t len = 0;
	uint8_t chal[64];
	size_t sizes[2] = { 0, 0 };

	fill_in(&p, &r, sw);
	memset(chal, 0x11, sizeof(chal));
	static const enum tzm_attest_envelope envs[] = { TZM_ATTEST_ENV_CMW907,
							 TZM_ATTEST_ENV_LEGACY399 };
	for (size_t i = 0; i < 2; i++) {
		ASSERT_OK(tzm_attest_issue(&p, &r, envs[i], buf, sizeof(buf), &len));
		ASSERT_EQ_INT(verify_with(buf, len, cpak_pem, chal, NULL), TZM_ATTEST_AFFIRMING);
		if (report.status != TZM_ATTEST_AFFIRMING) {
			test_dump(&report);
		}
		ASSERT_EQ_INT(report.envelope, envs[i]);
		sizes[i] = len;
		ASSERT_TRUE(report.realm.rak_is_cose_key);
		ASSERT_EQ_MEM(report.realm.rim, r.rim, 32);
		ASSERT_EQ_INT(report.realm.digest_len, 32);
		ASSERT_EQ_MEM(report.realm.rem[3], r.rem[3], 32);
		ASSERT_EQ_MEM(report.realm.rpv, r.rpv, 64);
		ASSERT_EQ_INT(report.platform.num_sw, 2);
		ASSERT_EQ_STR(report.platform.sw[0].type, "tzm-teed");
		ASSERT_EQ_STR(report.platform.verification_service, "https://verifier.example");
		uint8_t point[97], inst[32];
		size_t hl = 0;
		ASSERT_OK(tzm_attest_key_public_raw(cpak, point));
		ASSERT_OK(tzm__hash("sha-256", point, 97, inst, &hl));
		ASSERT_EQ_INT(report.platform.instance_id[0], 0x01);
		ASSERT_EQ_MEM(report.platform.instance_id + 1, inst, 32);
	}
	/* The realm model's tokens: profile 2.0 with claims 256 and 44243, SHA-512 RIM/REMs. */
	r.profile = TZM_ATTEST_REALM_PROFILE_2;
	r.digest_len = 64;
	memset(r.rim512, 0x61, 64);
	memset(r.rem512[2], 0x62, 64);
	memset(r.claim_256, 0x01, 33);
	r.claim_44243 = -3;
	ASSERT_OK(tzm_attest_issue(&p, &r, TZM_ATTEST_ENV_CMW907, buf, sizeof(buf), &len));
	ASSERT_EQ_INT(verify_with(buf, len, cpak_pem, chal, NULL), TZM_ATTEST_AFFIRMING);
	ASSERT_EQ_STR(report.realm.profile, TZM_ATTEST_REALM_PROFILE_2);
	ASSERT_EQ_STR(report.realm.measurement_alg, "sha-512");
	ASSERT_EQ_INT(report.realm.digest_len, 64);
	ASSERT_EQ_MEM(report.realm.rim, r.rim512, 64);
	ASSERT_EQ_MEM(report.realm.rem[2], r.rem512[2], 64);
	ASSERT_TRUE(report.realm.has_claim_44243);
	ASSERT_EQ_INT(report.realm.claim_44243, -3);
	r.digest_len = 48; /* neither SHA-256 nor SHA-512 */
	ASSERT_EQ_ERRNO(tzm_attest_issue(&p, &r, TZM_ATTEST_ENV_CMW907, buf, sizeof(buf), &len),
			-EINVAL);
	r.digest_len = 0;
	r.profile = "tag:arm.com,2099:realm#9";
	ASSERT_EQ_ERRNO(tzm_attest_issue(&p, &r, TZM_ATTEST_ENV_CMW907, buf, sizeof(buf), &len),
			-EINVAL);
	r.profile = NULL;

	/* Short buffer: -ENOSPC and the size needed; that size then suffices. */
	size_t need = 0;
	ASSERT_EQ_ERRNO(tzm_attest_issue(&p, &r, TZM_ATTEST_ENV_CMW907, buf, 16, &need), -ENOSPC);
	ASSERT_EQ_INT(need,
		      sizes[0]); /* ECDSA signatures are fixed-size r || s: sizes are stable */
	{
		ASSERT_OK(tzm_attest_issue(&p, &r, TZM_ATTEST_ENV_CMW907, buf, need, &len));
		ASSERT_EQ_INT(len, need);
	}
	/* Bad input. */
	p.num_sw = 0;
	ASSERT_EQ_ERRNO(tzm_attest_issue(&p, &r, TZM_ATTEST_ENV_CMW907, buf, sizeof(buf), &len),
			-EINVAL);
	p.num_sw = 2;
	ASSERT_EQ_ERRNO(
		tzm_attest_issue(&p, &r, (enum tzm_attest_envelope)1, buf, sizeof(buf), &len),
		-EINVAL);

	/* Issued token with a realm challenge mismatch and with another platform key. */
	ASSERT_OK(tzm_attest_issue(&p, &r, TZM_ATTEST_ENV_CMW907, buf, sizeof(buf), &len));
	chal[0] ^= 1;
	ASSERT_EQ_INT(verify_with(buf, len, cpak_pem, chal, NULL), TZM_ATTEST_CONTRAINDICATED);
	ASSERT_TRUE(test_has(&report, TZM_ATTEST_R_CHALLENGE));
	ASSERT_EQ_INT(report.num_findings, 1);
	char other_pem[1024];
	size_t pl = 0;
	ASSERT_OK(tzm_attest_key_public_pem(other, other_pem, sizeof(other_pem), &pl));
	ASSERT_EQ_INT(verify_with(buf, len, other_pem, NULL, NULL), TZM_ATTEST_CONTRAINDICATED);
	ASSERT_TRUE(test_has(&report, TZM_ATTEST_R_PLATFORM_SIGNATURE));
	ASSERT_EQ_INT(report.num_findings, 1);
}

/* ---- hand-built tokens: a list of claims, each defect made by editing one entry ---- */

struct claim {
	int64_t key;
	size_t len;
	uint8_t val[512]; /* encoded CBOR value */
};

struct claims {
	size_t n;
	struct claim c[12];
};

static struct claim *set_claim(struct claims *cl, int64_t key)
{
	for (size_t i = 0; i < cl->n; i++) {
		if (cl->c[i].key == key) {
			return &cl->c[i];
		}
	}
	struct claim *c = &cl->c[cl->n++];
	c->key = key;
	return c;
}

static void drop_claim(struct claims *cl, int64_t key)
{
	for (size_t i = 0; i < cl->n; i++) {
		if (cl->c[i].key == key) {
			cl->c[i] = cl->c[--cl->n];
			return;
		}
	}
}

static void claim_bstr(struct claims *cl, int64_t key, const void *p, size_t n)
{
	struct claim *c = set_claim(cl, key);
	struct tzm_cbor_enc e;
	tzm__cbor_enc_init(&e, c->val, sizeof(c->val));
	tzm__cbor_put_bstr(&e, p, n);
	tzm__cbor_enc_done(&e, &c->len);
}

static void claim_tstr(struct claims *cl, int64_t key, const char *s)
{
	struct claim *c = set_claim(cl, key);
	struct tzm_cbor_enc e;
	tzm__cbor_enc_init(&e, c->val, sizeof(c->val));
	tzm__cbor_put_tstr(&e, s);
	tzm__cbor_enc_done(&e, &c->len);
}

static void claim_uint(struct claims *cl, int64_t key, uint64_t v)
{
	struct claim *c = set_claim(cl, key);
	struct tzm_cbor_enc e;
	tzm__cbor_enc_init(&e, c->val, sizeof(c->val));
	tzm__cbor_put_uint(&e, v);
	tzm__cbor_enc_done(&e, &c->len);
}

static void claim_rems(struct claims *cl, size_t n, size_t size)
{
	struct claim *c = set_claim(cl, TZM_CCA_REALM_REMS);
	struct tzm_cbor_enc e;
	uint8_t rem[64];
	memset(rem, 0x44, sizeof(rem));
	tzm__cbor_enc_init(&e, c->val, sizeof(c->val));
	tzm__cbor_put_array(&e, n);
	for (size_t i = 0; i < n; i++) {
		tzm__cbor_put_bstr(&e, rem, size);
	}
	tzm__cbor_enc_done(&e, &c->len);
}

static void claim_sw(struct claims *cl, size_t meas_len)
{
	struct claim *c = set_claim(cl, TZM_CCA_PLAT_SW_COMPONENTS);
	struct tzm_cbor_enc e;
	uint8_t m[64];
	memset(m, 0x55, sizeof(m));
	tzm__cbor_enc_init(&e, c->val, sizeof(c->val));
	tzm__cbor_put_array(&e, 1);
	tzm__cbor_put_map(&e, 2);
	tzm__cbor_put_uint(&e, 2);
	tzm__cbor_put_bstr(&e, m, meas_len);
	tzm__cbor_put_uint(&e, 5);
	tzm__cbor_put_bstr(&e, m, 32);
	tzm__cbor_enc_done(&e, &c->len);
}

static size_t rak_claim(uint8_t *out, size_t cap)
{
	uint8_t point[97];
	struct tzm_cbor_enc e;
	size_t len = 0;
	tzm_attest_key_public_raw(rak, point);
	tzm__cbor_enc_init(&e, out, cap);
	tzm__cose_key_encode(point, &e);
	tzm__cbor_enc_done(&e, &len);
	return len;
}

static void default_claims(struct claims *realm, struct claims *plat)
{
	uint8_t b[256];
	size_t n = rak_claim(b, sizeof(b)), hl = 0;
	uint8_t h[32], inst[33];
	memset(realm, 0, sizeof(*realm));
	memset(plat, 0, sizeof(*plat));
	claim_tstr(realm, TZM_CCA_PROFILE, TZM_CCA_REALM_PROFILE);
	memset(h, 0x11, sizeof(h));
	uint8_t chal[64];
	memset(chal, 0x11, sizeof(chal));
	claim_bstr(realm, TZM_CCA_CHALLENGE, chal, 64);
	claim_bstr(realm, TZM_CCA_REALM_RPV, chal, 64);
	claim_tstr(realm, TZM_CCA_REALM_MEAS_ALG, "sha-256");
	claim_bstr(realm, TZM_CCA_REALM_PUBKEY, b, n);
	claim_bstr(realm, TZM_CCA_REALM_RIM, h, 32);
	claim_rems(realm, 4, 32);
	claim_tstr(realm, TZM_CCA_REALM_PUBKEY_HASH_ALG, "sha-256");

	claim_tstr(plat, TZM_CCA_PROFILE, TZM_CCA_PLATFORM_PROFILE);
	tzm__hash("sha-256", b, n, h, &hl);
	claim_bstr(plat, TZM_CCA_CHALLENGE, h, 32);
	memset(inst, 0x01, sizeof(inst));
	claim_bstr(plat, TZM_CCA_PLAT_IMPL_ID, inst, 32);
	claim_bstr(plat, TZM_CCA_PLAT_INSTANCE_ID, inst, 33);
	claim_bstr(plat, TZM_CCA_PLAT_CONFIG, inst, 4);
	claim_uint(plat, TZM_CCA_PLAT_LIFECYCLE, 0x3001);
	claim_sw(plat, 32);
	claim_tstr(plat, TZM_CCA_PLAT_HASH_ALG, "sha-256");
}

static void sign_claims(const struct claims *cl, struct tzm_attest_key *key, uint8_t *out,
			size_t cap, size_t *len)
{
	static uint8_t payload[8192];
	struct tzm_cbor_enc e;
	size_t plen = 0;
	tzm__cbor_enc_init(&e, payload, sizeof(payload));
	tzm__cbor_put_map(&e, cl->n);
	for (size_t i = 0; i < cl->n; i++) {
		tzm__cbor_put_int(&e, cl->c[i].key);
		tzm__cbor_put_raw(&e, cl->c[i].val, cl->c[i].len);
	}
	ASSERT_OK(tzm__cbor_enc_done(&e, &plen));
	tzm__cbor_enc_init(&e, out, cap);
	ASSERT_OK(tzm__cose_sign1_sign(key->pkey, payload, plen, &e));
	ASSERT_OK(tzm__cbor_enc_done(&e, len));
}

static size_t build(const struct claims *realm, struct tzm_attest_key *realm_key,
		    const struct claims *plat, uint8_t *out, size_t cap)
{
	static uint8_t rt[8192], pt[8192];
	size_t rl = 0, pl = 0, len = 0;
	struct tzm_cbor_enc e;
	sign_claims(realm, realm_key, rt, sizeof(rt), &rl);
	sign_claims(plat, cpak, pt, sizeof(pt), &pl);
	tzm__cbor_enc_init(&e, out, cap);
	tzm__cbor_put_tag(&e, TZM_CCA_TAG_LEGACY);
	tzm__cbor_put_map(&e, 2);
	tzm__cbor_put_uint(&e, TZM_CCA_KEY_PLATFORM);
	tzm__cbor_put_bstr(&e, pt, pl);
	tzm__cbor_put_uint(&e, TZM_CCA_KEY_REALM);
	tzm__cbor_put_bstr(&e, rt, rl);
	ASSERT_OK(tzm__cbor_enc_done(&e, &len));
	return len;
}

/* Builds the token, verifies it and checks the status and that `reason` is reported. */
static void expect(const char *what, const struct claims *realm, struct tzm_attest_key *rk,
		   const struct claims *plat, enum tzm_attest_status status,
		   enum tzm_attest_reason reason)
{
	static uint8_t tok[16384];
	size_t len = build(realm, rk, plat, tok, sizeof(tok));
	enum tzm_attest_status got = verify_with(tok, len, cpak_pem, NULL, NULL);
	bool has = status == TZM_ATTEST_AFFIRMING ? report.num_findings == 0
						  : test_has(&report, reason);
	if (got != status || !has) {
		fprintf(stderr, "case '%s': unexpected verdict\n", what);
		test_dump(&report);
	}
	ASSERT_EQ_INT(got, status);
	ASSERT_TRUE(has);
}

static void check_defects(void)
{
	struct claims realm, plat;
	uint8_t junk[64];
	memset(junk, 0x99, sizeof(junk));

	default_claims(&realm, &plat);
	expect("baseline", &realm, rak, &plat, TZM_ATTEST_AFFIRMING, 0);

	static const int64_t realm_keys[] = { TZM_CCA_CHALLENGE,
					      TZM_CCA_REALM_RPV,
					      TZM_CCA_REALM_MEAS_ALG,
					      TZM_CCA_REALM_PUBKEY,
					      TZM_CCA_REALM_RIM,
					      TZM_CCA_REALM_REMS,
					      TZM_CCA_REALM_PUBKEY_HASH_ALG };
	for (size_t i = 0; i < sizeof(realm_keys) / sizeof(realm_keys[0]); i++) {
		default_claims(&realm, &plat);
		drop_claim(&realm, realm_keys[i]);
		expect("missing realm claim", &realm, rak, &plat, TZM_ATTEST_CONTRAINDICATED,
		       TZM_ATTEST_R_CLAIM_MISSING);
	}
	static const int64_t plat_keys[] = { TZM_CCA_PROFILE,
					     TZM_CCA_CHALLENGE,
					     TZM_CCA_PLAT_IMPL_ID,
					     TZM_CCA_PLAT_INSTANCE_ID,
					     TZM_CCA_PLAT_CONFIG,
					     TZM_CCA_PLAT_LIFECYCLE,
					     TZM_CCA_PLAT_SW_COMPONENTS,
					     TZM_CCA_PLAT_HASH_ALG };
	for (size_t i = 0; i < sizeof(plat_keys) / sizeof(plat_keys[0]); i++) {
		default_claims(&realm, &plat);
		drop_claim(&plat, plat_keys[i]);
		expect("missing platform claim", &realm, rak, &plat, TZM_ATTEST_CONTRAINDICATED,
		       TZM_ATTEST_R_CLAIM_MISSING);
	}

	default_claims(&realm, &plat);
	claim_bstr(&plat, TZM_CCA_CHALLENGE, junk, 32);
	expect("wrong binding", &realm, rak, &plat, TZM_ATTEST_CONTRAINDICATED,
	       TZM_ATTEST_R_BINDING);

	default_claims(&realm, &plat);
	claim_tstr(&realm, TZM_CCA_REALM_PUBKEY_HASH_ALG, "sha-512");
	expect("binding hash algorithm mismatch", &realm, rak, &plat, TZM_ATTEST_CONTRAINDICATED,
	       TZM_ATTEST_R_BINDING);

	default_claims(&realm, &plat);
	expect("realm signed by another key", &realm, other, &plat, TZM_ATTEST_CONTRAINDICATED,
	       TZM_ATTEST_R_REALM_SIGNATURE);

	default_claims(&realm, &plat);
	claim_bstr(&realm, TZM_CCA_CHALLENGE, junk, 32);
	expect("short realm challenge", &realm, rak, &plat, TZM_ATTEST_CONTRAINDICATED,
	       TZM_ATTEST_R_CLAIM_INVALID);

	default_claims(&realm, &plat);
	claim_tstr(&realm, TZM_CCA_CHALLENGE, "not bytes");
	expect("realm challenge of the wrong type", &realm, rak, &plat, TZM_ATTEST_CONTRAINDICATED,
	       TZM_ATTEST_R_CLAIM_INVALID);

	default_claims(&realm, &plat);
	claim_bstr(&realm, TZM_CCA_REALM_RIM, junk, 48);
	expect("RIM size vs sha-256", &realm, rak, &plat, TZM_ATTEST_CONTRAINDICATED,
	       TZM_ATTEST_R_CLAIM_INVALID);

	default_claims(&realm, &plat);
	claim_rems(&realm, 3, 32);
	expect("three REMs", &realm, rak, &plat, TZM_ATTEST_CONTRAINDICATED,
	       TZM_ATTEST_R_CLAIM_INVALID);

	default_claims(&realm, &plat);
	claim_tstr(&realm, TZM_CCA_REALM_MEAS_ALG, "md5");
	expect("unknown measurement algorithm", &realm, rak, &plat, TZM_ATTEST_CONTRAINDICATED,
	       TZM_ATTEST_R_CLAIM_INVALID);

	default_claims(&realm, &plat);
	claim_tstr(&realm, TZM_CCA_PROFILE, "tag:arm.com,2099:realm#9");
	expect("unknown realm profile", &realm, rak, &plat, TZM_ATTEST_CONTRAINDICATED,
	       TZM_ATTEST_R_PROFILE);

	default_claims(&realm, &plat);
	claim_tstr(&plat, TZM_CCA_PROFILE, "psa");
	expect("unknown platform profile", &realm, rak, &plat, TZM_ATTEST_CONTRAINDICATED,
	       TZM_ATTEST_R_PROFILE);

	/* Realm profile 2.0 (Arm's current sample token): claims 256 (33 bytes) and 44243
	 * (an integer) join the 1.0 claims, and both are mandatory under it. */
	uint8_t c256[33];
	memset(c256, 0x01, sizeof(c256));
	default_claims(&realm, &plat);
	claim_tstr(&realm, TZM_CCA_PROFILE, "tag:arm.com,2024:realm#2.0.0");
	claim_bstr(&realm, 256, c256, 33);
	claim_uint(&realm, 44243, 7);
	expect("realm profile 2.0", &realm, rak, &plat, TZM_ATTEST_AFFIRMING, 0);
	ASSERT_TRUE(report.realm.has_claim_256);
	ASSERT_TRUE(report.realm.has_claim_44243);
	ASSERT_EQ_INT(report.realm.claim_44243, 7);
	ASSERT_EQ_MEM(report.realm.claim_256, c256, 33);
	drop_claim(&realm, 256);
	expect("realm profile 2.0 without claim 256", &realm, rak, &plat,
	       TZM_ATTEST_CONTRAINDICATED, TZM_ATTEST_R_CLAIM_MISSING);
	claim_bstr(&realm, 256, c256, 32);
	expect("realm profile 2.0, claim 256 of 32 bytes", &realm, rak, &plat,
	       TZM_ATTEST_CONTRAINDICATED, TZM_ATTEST_R_CLAIM_INVALID);
	claim_bstr(&realm, 256, c256, 33);
	drop_claim(&realm, 44243);
	expect("realm profile 2.0 without claim 44243", &realm, rak, &plat,
	       TZM_ATTEST_CONTRAINDICATED, TZM_ATTEST_R_CLAIM_MISSING);
	claim_tstr(&realm, 44243, "seven");
	expect("realm profile 2.0, claim 44243 not an integer", &realm, rak, &plat,
	       TZM_ATTEST_CONTRAINDICATED, TZM_ATTEST_R_CLAIM_INVALID);
	default_claims(&realm, &plat);
	claim_tstr(&realm, 44243, "seven"); /* under 1.0 an unknown claim: ignored */
	expect("realm profile 1.0 ignores claim 44243", &realm, rak, &plat, TZM_ATTEST_AFFIRMING,
	       0);

	/* The legacy platform profile still verifies, with a warning naming it. */
	default_claims(&realm, &plat);
	claim_tstr(&plat, TZM_CCA_PROFILE, "http://arm.com/CCA-SSD/1.0.0");
	expect("legacy platform profile", &realm, rak, &plat, TZM_ATTEST_WARNING,
	       TZM_ATTEST_R_PROFILE_LEGACY);
	ASSERT_EQ_INT(report.num_findings, 1);

	default_claims(&realm, &plat);
	drop_claim(&realm, TZM_CCA_PROFILE); /* then the RAK must be a raw point, not COSE_Key */
	expect("COSE_Key RAK without profile", &realm, rak, &plat, TZM_ATTEST_CONTRAINDICATED,
	       TZM_ATTEST_R_CLAIM_INVALID);

	default_claims(&realm, &plat);
	uint8_t inst[33];
	memset(inst, 0x02, sizeof(inst));
	claim_bstr(&plat, TZM_CCA_PLAT_INSTANCE_ID, inst, 33);
	expect("instance id type byte", &realm, rak, &plat, TZM_ATTEST_CONTRAINDICATED,
	       TZM_ATTEST_R_CLAIM_INVALID);

	default_claims(&realm, &plat);
	claim_sw(&plat, 20);
	expect("software component measurement size", &realm, rak, &plat,
	       TZM_ATTEST_CONTRAINDICATED, TZM_ATTEST_R_CLAIM_INVALID);

	default_claims(&realm, &plat);
	claim_uint(&plat, TZM_CCA_PLAT_LIFECYCLE, 0x4001);
	expect("non-CCA platform debug", &realm, rak, &plat, TZM_ATTEST_WARNING,
	       TZM_ATTEST_R_LIFECYCLE_DEBUG);
	static const uint64_t bad_lc[] = { 0x5000, 0x6000, 0x2000, 0x0000, 0x3100 };
	for (size_t i = 0; i < sizeof(bad_lc) / sizeof(bad_lc[0]); i++) {
		default_claims(&realm, &plat);
		claim_uint(&plat, TZM_CCA_PLAT_LIFECYCLE, bad_lc[i]);
		expect("untrusted lifecycle", &realm, rak, &plat, TZM_ATTEST_CONTRAINDICATED,
		       TZM_ATTEST_R_LIFECYCLE_UNTRUSTED);
	}

	/* Control characters in text claims could inject terminal escapes: invalid. */
	default_claims(&realm, &plat);
	claim_tstr(&plat, TZM_CCA_PLAT_HASH_ALG, "sha-256\x1b[2J");
	expect("escape sequence in a text claim", &realm, rak, &plat, TZM_ATTEST_CONTRAINDICATED,
	       TZM_ATTEST_R_CLAIM_INVALID);
	default_claims(&realm, &plat);
	claim_tstr(&realm, TZM_CCA_PROFILE, "tag:arm.com,2023:realm#1.0.0\xc2\x9b");
	expect("C1 control in a text claim", &realm, rak, &plat, TZM_ATTEST_CONTRAINDICATED,
	       TZM_ATTEST_R_CLAIM_INVALID);

	/* `show` prints unknown text claims with control characters escaped. */
	{
		static uint8_t tok[16384];
		char *text = NULL;
		size_t text_len = 0;
		default_claims(&realm, &plat);
		claim_tstr(&realm, 77777, "evil\x1b]0;title\x07");
		size_t len = build(&realm, rak, &plat, tok, sizeof(tok));
		FILE *mem = open_memstream(&text, &text_len);
		ASSERT_NOT_NULL(mem);
		ASSERT_OK(tzm_attest_show(mem, tok, len));
		if (mem != NULL) {
			fclose(mem);
		}
		ASSERT_NOT_NULL(text);
		ASSERT_STR_CONTAINS(text, "evil\\x1b]0;title\\x07");
		ASSERT_NOT_NULL(text);
		ASSERT_NULL(memchr(text, 0x1b, text_len));
		free(text);
	}

	/* Unknown claims are not critical and are ignored. */
	default_claims(&realm, &plat);
	claim_tstr(&realm, 99999, "extension");
	claim_uint(&plat, -70000, 7);
	expect("unknown claims", &realm, rak, &plat, TZM_ATTEST_AFFIRMING, 0);
}

static void check_refvals(void)
{
	struct tzm_attest_platform_in p;
	struct tzm_attest_realm_in r;
	struct tzm_attest_sw_in sw[2];
	struct tzm_attest_refvals rv;
	uint8_t buf[4096];
	size_t len = 0;
	char err[160], text[1024];
	char rim[65], sw0[65], sw1[65];

	fill_in(&p, &r, sw);
	ASSERT_OK(tzm_attest_issue(&p, &r, TZM_ATTEST_ENV_CMW907, buf, sizeof(buf), &len));
	tzm__hex(rim, sizeof(rim), r.rim, 32);
	tzm__hex(sw0, sizeof(sw0), sw[0].measurement, 32);
	tzm__hex(sw1, sizeof(sw1), sw[1].measurement, 32);

	snprintf(text, sizeof(text), "# ours\nrim %s\n\nrim 00ff  # an older build\nsw %s\nsw %s\n",
		 rim, sw0, sw1);
	ASSERT_OK(tzm_attest_refvals_parse(text, strlen(text), &rv, err, sizeof(err)));
	ASSERT_EQ_INT(rv.count, 4);
	ASSERT_EQ_INT(verify_with(buf, len, cpak_pem, NULL, &rv), TZM_ATTEST_AFFIRMING);

	snprintf(text, sizeof(text), "rim %.62s00\nsw %s\n", rim, sw0);
	ASSERT_OK(tzm_attest_refvals_parse(text, strlen(text), &rv, err, sizeof(err)));
	ASSERT_EQ_INT(verify_with(buf, len, cpak_pem, NULL, &rv), TZM_ATTEST_CONTRAINDICATED);
	ASSERT_TRUE(test_has(&report, TZM_ATTEST_R_REFVAL_MISMATCH));
	ASSERT_EQ_INT(report.num_findings, 2);
	ASSERT_STR_CONTAINS(report.findings[0].detail, "RIM");
	ASSERT_STR_CONTAINS(report.findings[1].detail, "software component 1");

	snprintf(text, sizeof(text), "rem2 %s\n", rim);
	ASSERT_OK(tzm_attest_refvals_parse(text, strlen(text), &rv, err, sizeof(err)));
	ASSERT_EQ_INT(verify_with(buf, len, cpak_pem, NULL, &rv), TZM_ATTEST_CONTRAINDICATED);
	ASSERT_TRUE(test_has(&report, TZM_ATTEST_R_REFVAL_MISMATCH));

	/* wasm-module: a Wasm TA's module SHA-256, RPV bytes 16..47 (after the UUID) */
	char module[65];
	memset(r.rpv + TZM_ATTEST_RPV_MODULE_OFF, 0x6d, 32);
	ASSERT_OK(tzm_attest_issue(&p, &r, TZM_ATTEST_ENV_CMW907, buf, sizeof(buf), &len));
	tzm__hex(module, sizeof(module), r.rpv + TZM_ATTEST_RPV_MODULE_OFF, 32);
	snprintf(text, sizeof(text), "wasm-module %s\n", module);
	ASSERT_OK(tzm_attest_refvals_parse(text, strlen(text), &rv, err, sizeof(err)));
	ASSERT_EQ_INT(verify_with(buf, len, cpak_pem, NULL, &rv), TZM_ATTEST_AFFIRMING);
	module[63] = module[63] == '0' ? '1' : '0';
	snprintf(text, sizeof(text), "wasm-module %s\n", module);
	ASSERT_OK(tzm_attest_refvals_parse(text, strlen(text), &rv, err, sizeof(err)));
	ASSERT_EQ_INT(verify_with(buf, len, cpak_pem, NULL, &rv), TZM_ATTEST_CONTRAINDICATED);
	ASSERT_TRUE(test_has(&report, TZM_ATTEST_R_REFVAL_MISMATCH));
	ASSERT_STR_CONTAINS(report.findings[0].detail, "Wasm module SHA-256");

	static const struct {
		const char *text;
		const char *err;
	} bad[] = {
		{ "rim zz\n", "line 1: value is not hex" },
		{ "\nfoo 00\n", "line 2: unknown kind" },
		{ "rim 0\n", "line 1: value must be" },
		{ "rim\n", "line 1: value must be" },
		{ "rim 00 11\n", "line 1: extra text" },
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err[0] = '\0';
		ASSERT_EQ_ERRNO(tzm_attest_refvals_parse(bad[i].text, strlen(bad[i].text), &rv, err,
							 sizeof(err)),
				-EINVAL);
		ASSERT_EQ_INT(strncmp(err, bad[i].err, strlen(bad[i].err)), 0);
	}
}

static void check_key_file(void)
{
	const char *tmp = getenv("TZM_TEST_TMPDIR");
	char dir[4096], path[4200];
	struct tzm_attest_key *a = NULL, *b = NULL;
	uint8_t pa[97], pb[97];
	struct stat st;

	snprintf(dir, sizeof(dir), "%s/state/sub", tmp != NULL ? tmp : "/tmp");
	ASSERT_OK(tzm_attest_platform_key_path(dir, path, sizeof(path)));
	unlink(path);
	ASSERT_OK(tzm_attest_key_load_or_create(path, &a));
	ASSERT_EQ_INT(stat(path, &st), 0);
	ASSERT_EQ_INT((st.st_mode & 0777), 0600);
	ASSERT_OK(tzm_attest_key_load_or_create(path, &b));
	ASSERT_NOT_NULL(a);
	ASSERT_NOT_NULL(b);
	ASSERT_OK(tzm_attest_key_public_raw(a, pa));
	ASSERT_OK(tzm_attest_key_public_raw(b, pb));
	ASSERT_EQ_MEM(pa, pb, sizeof(pa));
	tzm_attest_key_free(b);
	b = NULL;
	ASSERT_EQ_INT(chmod(path, 0644), 0);
	ASSERT_EQ_ERRNO(tzm_attest_key_load_or_create(path, &b), -EPERM);
	unlink(path);
	tzm_attest_key_free(a);
}

int main(void)
{
	size_t pl = 0;
	if (tzm_attest_key_generate(&cpak) != 0 || tzm_attest_key_generate(&rak) != 0 ||
	    tzm_attest_key_generate(&other) != 0 ||
	    tzm_attest_key_public_pem(cpak, cpak_pem, sizeof(cpak_pem), &pl) != 0) {
		fprintf(stderr, "key generation failed\n");
		return 1;
	}
	check_issue();
	check_defects();
	check_refvals();
	check_key_file();
	tzm_attest_key_free(cpak);
	tzm_attest_key_free(rak);
	tzm_attest_key_free(other);
	return test_result("attest_issue");
}
