// SPDX-License-Identifier: BSD-2-Clause
/*
 * Appraisal of a CCA token: envelope -> two COSE_Sign1 -> claims -> signatures, binding,
 * challenge, lifecycle, reference values. Every check that can run does run, so one
 * report names all problems; the status is the worst severity among the findings.
 *
 * Lifecycle policy (Veraison-like, see README.md): secured (0x3000-0x30FF) is fine;
 * non-CCA-platform-debug (0x4000-0x40FF) leaves the CCA platform itself secured, so it is
 * a WARNING; recoverable CCA platform debug, decommissioned and every other value are
 * CONTRAINDICATED.
 */
#include "attest_int.h"
#include "cose.h"

#include <errno.h>
#include <string.h>

#include <openssl/pem.h>

static EVP_PKEY *load_pem_pubkey(const char *pem, size_t len)
{
	if (len > TZM_ATTEST_MAX_TOKEN || len > INT32_MAX) {
		return NULL;
	}
	BIO *bio = BIO_new_mem_buf(pem, (int)len);
	EVP_PKEY *k = bio == NULL ? NULL : PEM_read_bio_PUBKEY(bio, NULL, NULL, NULL);
	BIO_free(bio);
	return k;
}

static void check_lifecycle(struct tzm_attest_report *r)
{
	uint64_t lc = r->platform.lifecycle;
	uint64_t range = lc & ~(uint64_t)0xff;
	if (range == 0x3000) {
		return;
	}
	if (range == 0x4000) {
		tzm__finding(r, TZM_ATTEST_R_LIFECYCLE_DEBUG,
			     "lifecycle 0x%04llx: non-CCA platform debug", (unsigned long long)lc);
		return;
	}
	tzm__finding(r, TZM_ATTEST_R_LIFECYCLE_UNTRUSTED, "lifecycle 0x%04llx: %s",
		     (unsigned long long)lc,
		     range == 0x5000   ? "recoverable CCA platform debug"
		     : range == 0x6000 ? "decommissioned"
				       : "not a deployed (secured) state");
}

static void check_binding(struct tzm_attest_report *r, struct tzm_span rak_claim)
{
	uint8_t h[TZM_ATTEST_MAX_DIGEST];
	size_t hlen = 0;
	if (rak_claim.ptr == NULL || r->realm.rak_hash_alg[0] == '\0' ||
	    r->platform.challenge_len == 0) {
		tzm__finding(r, TZM_ATTEST_R_BINDING,
			     "binding not checkable: claims missing or invalid");
		return;
	}
	if (tzm__hash(r->realm.rak_hash_alg, rak_claim.ptr, rak_claim.len, h, &hlen) != 0 ||
	    hlen != r->platform.challenge_len || memcmp(h, r->platform.challenge, hlen) != 0) {
		tzm__finding(r, TZM_ATTEST_R_BINDING,
			     "platform challenge is not %s of the realm public-key claim",
			     r->realm.rak_hash_alg);
	}
}

/* Is value among the reference values of this kind? true if the kind has none. */
static bool refval_ok(const struct tzm_attest_refvals *rv, enum tzm_attest_refval_kind kind,
		      const uint8_t *v, size_t len, size_t *count)
{
	*count = 0;
	for (size_t i = 0; i < rv->count && i < TZM_ATTEST_MAX_REFVALS; i++) {
		if (rv->entry[i].kind != kind) {
			continue;
		}
		(*count)++;
		if (rv->entry[i].len == len && memcmp(rv->entry[i].value, v, len) == 0) {
			return true;
		}
	}
	return *count == 0;
}

static void refval_check(struct tzm_attest_report *r, const struct tzm_attest_refvals *rv,
			 enum tzm_attest_refval_kind kind, const char *what, const uint8_t *v,
			 size_t len)
{
	size_t count = 0;
	char hex[2 * 16 + 4];
	if (!refval_ok(rv, kind, v, len, &count)) {
		tzm__hex(hex, sizeof(hex), v, len);
		tzm__finding(r, TZM_ATTEST_R_REFVAL_MISMATCH,
			     "%s %s matches none of %zu reference values", what, hex, count);
	}
}

static void check_refvals(struct tzm_attest_report *r, const struct tzm_attest_refvals *rv)
{
	const struct tzm_attest_realm_claims *rc = &r->realm;
	const struct tzm_attest_platform_claims *p = &r->platform;
	if (r->realm_decoded && rc->digest_len != 0) {
		refval_check(r, rv, TZM_ATTEST_RV_RIM, "RIM", rc->rim, rc->digest_len);
		for (size_t i = 0; i < TZM_ATTEST_NUM_REMS; i++) {
			char what[8];
			snprintf(what, sizeof(what), "REM%zu", i);
			refval_check(r, rv, (enum tzm_attest_refval_kind)(TZM_ATTEST_RV_REM0 + i),
				     what, rc->rem[i], rc->digest_len);
		}
	}
	if (r->realm_decoded) {
		refval_check(r, rv, TZM_ATTEST_RV_RPV, "RPV", rc->rpv, sizeof(rc->rpv));
		refval_check(r, rv, TZM_ATTEST_RV_WASM_MODULE,
			     "Wasm module SHA-256 (RPV bytes 16..47)",
			     rc->rpv + TZM_ATTEST_RPV_MODULE_OFF, 32);
	}
	if (r->platform_decoded) {
		refval_check(r, rv, TZM_ATTEST_RV_IMPLEMENTATION_ID, "implementation id",
			     p->implementation_id, sizeof(p->implementation_id));
		refval_check(r, rv, TZM_ATTEST_RV_INSTANCE_ID, "instance id", p->instance_id,
			     sizeof(p->instance_id));
		for (size_t i = 0; i < p->num_sw; i++) {
			char what[48];
			snprintf(what, sizeof(what), "software component %zu", i);
			refval_check(r, rv, TZM_ATTEST_RV_SW, what, p->sw[i].measurement,
				     p->sw[i].measurement_len);
		}
	}
}

static void check_realm(struct tzm_attest_report *r, struct tzm_span tok,
			struct tzm_span *rak_claim)
{
	struct tzm_cose_sign1 s;
	const char *why = NULL;
	int rc = tzm__cose_sign1_decode(tok, &s, &why);
	if (rc == -ENOTSUP) {
		tzm__finding(r, TZM_ATTEST_R_ALGORITHM, "realm token: %s", why);
		return;
	}
	if (rc != 0) {
		tzm__finding(r, TZM_ATTEST_R_MALFORMED, "realm token: %s",
			     why ? why : "bad COSE_Sign1");
		return;
	}
	r->realm.alg = (int)s.alg;
	if (tzm__realm_claims_parse(s.payload, r, rak_claim, &why) != 0) {
		tzm__finding(r, TZM_ATTEST_R_MALFORMED, "realm claims: %s", why ? why : "bad CBOR");
		return;
	}
	if (s.alg != TZM_ATTEST_ES384) {
		tzm__finding(r, TZM_ATTEST_R_ALGORITHM, "realm token must be signed with ES384");
		return;
	}
	if (rak_claim->ptr == NULL || r->realm.rak[0] != 0x04) {
		tzm__finding(r, TZM_ATTEST_R_REALM_SIGNATURE,
			     "realm signature not checkable: no RAK");
		return;
	}
	EVP_PKEY *rak = tzm__pkey_from_point(r->realm.rak, sizeof(r->realm.rak));
	if (rak == NULL) {
		tzm__finding(r, TZM_ATTEST_R_CLAIM_INVALID,
			     "realm claim 44237 (public-key) is not a point on P-384");
		return;
	}
	if (tzm__cose_sign1_verify(rak, &s) == 0) {
		r->realm_signature_ok = true;
	} else {
		tzm__finding(r, TZM_ATTEST_R_REALM_SIGNATURE, "realm token signature is invalid");
	}
	EVP_PKEY_free(rak);
}

static void check_platform(struct tzm_attest_report *r, struct tzm_span tok, EVP_PKEY *key)
{
	struct tzm_cose_sign1 s;
	const char *why = NULL;
	int rc = tzm__cose_sign1_decode(tok, &s, &why);
	if (rc == -ENOTSUP) {
		tzm__finding(r, TZM_ATTEST_R_ALGORITHM, "platform token: %s", why);
		return;
	}
	if (rc != 0) {
		tzm__finding(r, TZM_ATTEST_R_MALFORMED, "platform token: %s",
			     why ? why : "bad COSE_Sign1");
		return;
	}
	r->platform.alg = (int)s.alg;
	if (tzm__platform_claims_parse(s.payload, r, &why) != 0) {
		tzm__finding(r, TZM_ATTEST_R_MALFORMED, "platform claims: %s",
			     why ? why : "bad CBOR");
		return;
	}
	if (key == NULL) {
		tzm__finding(r, TZM_ATTEST_R_PLATFORM_KEY_ABSENT,
			     "platform signature not checked (no platform key given)");
	} else if (tzm__pkey_ec_bits(key) != (s.alg == TZM_ATTEST_ES384 ? 384 : 256)) {
		tzm__finding(r, TZM_ATTEST_R_ALGORITHM,
			     "platform token alg %lld does not match the %d-bit platform key",
			     (long long)s.alg, tzm__pkey_ec_bits(key));
	} else if (tzm__cose_sign1_verify(key, &s) == 0) {
		r->platform_signature_ok = true;
	} else {
		tzm__finding(r, TZM_ATTEST_R_PLATFORM_SIGNATURE,
			     "platform token signature is invalid with the given key");
	}
}

int tzm_attest_verify(const void *token, size_t len, const struct tzm_attest_verify_opts *opts,
		      struct tzm_attest_report *r)
{
	static const struct tzm_attest_verify_opts no_opts;
	struct tzm_cca_parts parts;
	struct tzm_span rak_claim = { NULL, 0 };
	EVP_PKEY *pkey = NULL;
	const char *why = NULL;
	size_t err_pos = 0;

	if (r == NULL || (token == NULL && len != 0)) {
		return -EINVAL;
	}
	if (opts == NULL) {
		opts = &no_opts;
	}
	memset(r, 0, sizeof(*r));
	if (opts->platform_key_pem != NULL) {
		pkey = load_pem_pubkey(opts->platform_key_pem, opts->platform_key_pem_len);
		if (pkey == NULL || tzm__pkey_ec_bits(pkey) == 0) {
			EVP_PKEY_free(pkey);
			return -EINVAL;
		}
	}
	if (len > TZM_ATTEST_MAX_TOKEN) {
		tzm__finding(r, TZM_ATTEST_R_MALFORMED, "token larger than %u bytes",
			     TZM_ATTEST_MAX_TOKEN);
		goto out;
	}
	if (tzm__envelope_decode(token, len, &parts, &why, &err_pos) != 0) {
		tzm__finding(r, TZM_ATTEST_R_MALFORMED, "envelope at offset %zu: %s", err_pos,
			     why ? why : "bad CBOR");
		goto out;
	}
	r->envelope = parts.envelope;
	check_realm(r, parts.realm, &rak_claim);
	check_platform(r, parts.platform, pkey);
	if (!r->realm_decoded || !r->platform_decoded) {
		goto out; /* malformed: nothing else is meaningful */
	}
	check_binding(r, rak_claim);
	if (opts->challenge != NULL &&
	    (opts->challenge_len != TZM_ATTEST_CHALLENGE_LEN ||
	     memcmp(opts->challenge, r->realm.challenge, TZM_ATTEST_CHALLENGE_LEN) != 0)) {
		tzm__finding(r, TZM_ATTEST_R_CHALLENGE,
			     "realm challenge differs from the expected one");
	}
	check_lifecycle(r); /* a missing lifecycle reads as 0 (unknown): contraindicated too */
	if (opts->refvals != NULL) {
		check_refvals(r, opts->refvals);
	}
out:
	EVP_PKEY_free(pkey);
	return 0;
}
