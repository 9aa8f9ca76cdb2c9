// SPDX-License-Identifier: BSD-2-Clause
/*
 * CCA envelope and claims decoding.
 *
 *   legacy: #6.399({ 44234: bstr .cbor platform-COSE_Sign1, 44241: bstr .cbor realm-COSE_Sign1 })
 *   CMW:    #6.907({ 44234: [263, bstr .cbor platform], 44241: [263, bstr .cbor realm] })
 *
 * Claims are read in one pass into spans (the claim order in a map is free), then
 * validated and copied into the report. A claim of the wrong CBOR type is skipped and
 * reported, not fatal for the decoding, so a report names every problem at once; only
 * syntactically broken CBOR stops the decoding.
 */
#include "attest_int.h"
#include "cose.h"

#include <errno.h>
#include <stddef.h>
#include <string.h>

/* Reads the CMW record [263, bstr] or the legacy bstr into *tok. */
static void envelope_entry(struct tzm_cbor_cur *c, bool cmw, struct tzm_span *tok)
{
	if (cmw) {
		size_t n = 0;
		uint64_t ct = 0;
		if (tzm__cbor_get_array(c, &n) == 0 && n != 2) {
			tzm__cbor_fail(c, -EBADMSG, "CMW record must be [content-type, token]");
		}
		if (tzm__cbor_get_uint(c, &ct) == 0 && ct != TZM_CCA_CMW_CT_EAT_CWT) {
			tzm__cbor_fail(c, -EBADMSG, "CMW record content type is not 263 (eat+cwt)");
		}
	}
	tzm__cbor_get_bstr(c, tok);
}

int tzm__envelope_decode(const uint8_t *buf, size_t len, struct tzm_cca_parts *parts,
			 const char **why, size_t *err_pos)
{
	struct tzm_cbor_cur c;
	uint64_t tag = 0;
	size_t n = 0;

	memset(parts, 0, sizeof(*parts));
	int rc = tzm__cbor_check(buf, len, why, err_pos);
	if (rc != 0) {
		return rc;
	}
	tzm__cbor_init(&c, buf, len);
	if (tzm__cbor_get_tag(&c, &tag) == 0 && tag != TZM_CCA_TAG_LEGACY &&
	    tag != TZM_CCA_TAG_CMW) {
		tzm__cbor_fail(&c, -EBADMSG, "envelope tag is neither 399 nor 907");
	}
	if (tzm__cbor_get_map(&c, &n) == 0 && n != 2) {
		tzm__cbor_fail(&c, -EBADMSG,
			       "envelope must hold exactly the platform and realm tokens");
	}
	for (size_t i = 0; i < n && c.err == 0; i++) {
		uint64_t key = 0;
		tzm__cbor_get_uint(&c, &key);
		if (c.err == 0 && key == TZM_CCA_KEY_PLATFORM) {
			envelope_entry(&c, tag == TZM_CCA_TAG_CMW, &parts->platform);
		} else if (c.err == 0 && key == TZM_CCA_KEY_REALM) {
			envelope_entry(&c, tag == TZM_CCA_TAG_CMW, &parts->realm);
		} else {
			tzm__cbor_fail(&c, -EBADMSG, "unknown envelope key");
		}
	}
	tzm__cbor_finish(&c);
	*why = c.why;
	*err_pos = c.err_pos;
	if (c.err == 0) {
		/* n == 2 and no duplicates (checked), so both keys were seen. */
		parts->envelope = (enum tzm_attest_envelope)tag;
	}
	return c.err;
}

/* ---- typed claim readers: wrong type -> skipped, false ---- */

static bool claim_is(struct tzm_cbor_cur *c, enum tzm_cbor_major want)
{
	enum tzm_cbor_major m = TZM_CBOR_UINT;
	if (tzm__cbor_peek(c, &m) != 0) {
		return false;
	}
	if (m != want) {
		tzm__cbor_skip(c, NULL);
		return false;
	}
	return true;
}

static bool key_is_int(struct tzm_cbor_cur *c)
{
	enum tzm_cbor_major m = TZM_CBOR_TSTR;
	return tzm__cbor_peek(c, &m) == 0 && (m == TZM_CBOR_UINT || m == TZM_CBOR_NINT);
}

static bool claim_bstr(struct tzm_cbor_cur *c, struct tzm_span *s)
{
	return claim_is(c, TZM_CBOR_BSTR) && tzm__cbor_get_bstr(c, s) == 0;
}

static bool claim_tstr(struct tzm_cbor_cur *c, struct tzm_span *s)
{
	return claim_is(c, TZM_CBOR_TSTR) && tzm__cbor_get_tstr(c, s) == 0;
}

/* Copies a text claim into a NUL-terminated field; false if too long or if it holds
 * control characters (NUL included), which no CCA text claim needs and which could inject
 * terminal escapes into reports. */
static bool copy_str(char *dst, size_t cap, struct tzm_span s)
{
	if (s.len >= cap || !tzm__text_is_printable(s.ptr, s.len)) {
		return false;
	}
	memcpy(dst, s.ptr, s.len);
	dst[s.len] = '\0';
	return true;
}

static void bad_claim(struct tzm_attest_report *r, bool realm, int64_t key, const char *what)
{
	tzm__finding(r, TZM_ATTEST_R_CLAIM_INVALID, "%s claim %lld (%s) %s",
		     realm ? "realm" : "platform", (long long)key,
		     tzm__claim_name(key, realm ? TZM_CLAIM_REALM : TZM_CLAIM_PLATFORM), what);
}

static void missing_claim(struct tzm_attest_report *r, bool realm, int64_t key)
{
	tzm__finding(r, TZM_ATTEST_R_CLAIM_MISSING, "%s claim %lld (%s) is missing",
		     realm ? "realm" : "platform", (long long)key,
		     tzm__claim_name(key, realm ? TZM_CLAIM_REALM : TZM_CLAIM_PLATFORM));
}

/* Bits of a token's seen/typed sets, one a claim. */
enum {
	C_CHALLENGE = 1u << 0,
	C_PROFILE = 1u << 1,
	C_RPV = 1u << 2,
	C_MEAS_ALG = 1u << 3,
	C_RAK = 1u << 4,
	C_RIM = 1u << 5,
	C_REMS = 1u << 6,
	C_RAK_ALG = 1u << 7,
	C_256 = 1u << 8,   /* realm profile 2.0 */
	C_44243 = 1u << 9, /* realm profile 2.0 */
};

enum {
	P_CHALLENGE = 1u << 0,
	P_PROFILE = 1u << 1,
	P_INSTANCE = 1u << 2,
	P_LIFECYCLE = 1u << 3,
	P_IMPL = 1u << 4,
	P_SW = 1u << 5,
	P_VS = 1u << 6,
	P_CONFIG = 1u << 7,
	P_HASH_ALG = 1u << 8,
};

struct realm_raw {
	struct tzm_span challenge, profile, rpv, meas_alg, rak, rim, rak_alg, claim_256;
	int64_t claim_44243;
	size_t num_rems;
	struct tzm_span rems[TZM_ATTEST_NUM_REMS];
};

/* How realm_read reads a realm claim (platform claims: platform_read, by key). */
enum claim_read {
	READ_CODE, /* code of its own */
	READ_BSTR, /* a byte string into the span at .span of struct realm_raw */
	READ_TSTR, /* a text string into the span at .span of struct realm_raw */
};

#define RAW(field) offsetof(struct realm_raw, field)

/*
 * The claims we know, one row each: the name in findings and in `tzm attest show`, the bit
 * in the token's seen/typed sets, whether a token must have it, and what a present claim of
 * the wrong type or size must be (NULL: its validation says so itself). The rows of a map
 * are checked in table order, which is the order of the findings.
 */
static const struct claim {
	enum tzm_claim_map map;
	int64_t key;
	const char *name;
	unsigned bit;
	bool required;
	const char *form;
	enum claim_read read;
	size_t span;
} claims[] = {
	/* clang-format off */
	{ TZM_CLAIM_REALM, TZM_CCA_CHALLENGE, "challenge", C_CHALLENGE, true,
	  "must be a 64-byte byte string", READ_BSTR, RAW(challenge) },
	{ TZM_CLAIM_REALM, TZM_CCA_PROFILE, "profile", C_PROFILE, false,
	  NULL, READ_TSTR, RAW(profile) },
	{ TZM_CLAIM_REALM, TZM_CCA_REALM_RPV, "personalization-value", C_RPV, true,
	  "must be a 64-byte byte string", READ_BSTR, RAW(rpv) },
	{ TZM_CLAIM_REALM, TZM_CCA_REALM_MEAS_ALG, "measurement-hash-algorithm", C_MEAS_ALG, true,
	  "must be a text string", READ_TSTR, RAW(meas_alg) },
	{ TZM_CLAIM_REALM, TZM_CCA_REALM_PUBKEY, "public-key", C_RAK, true,
	  "must be a byte string", READ_BSTR, RAW(rak) },
	{ TZM_CLAIM_REALM, TZM_CCA_REALM_RIM, "initial-measurement", C_RIM, true,
	  "must be a byte string", READ_BSTR, RAW(rim) },
	{ TZM_CLAIM_REALM, TZM_CCA_REALM_REMS, "extensible-measurements", C_REMS, true,
	  "must be an array of 4 byte strings", READ_CODE, 0 },
	{ TZM_CLAIM_REALM, TZM_CCA_REALM_PUBKEY_HASH_ALG, "public-key-hash-algorithm", C_RAK_ALG,
	  true, "must be a text string", READ_TSTR, RAW(rak_alg) },
	{ TZM_CLAIM_REALM, TZM_CCA_REALM_CLAIM_256, "realm-2.0-claim-256", C_256, false,
	  NULL, READ_BSTR, RAW(claim_256) },
	{ TZM_CLAIM_REALM, TZM_CCA_REALM_CLAIM_44243, "realm-2.0-claim-44243", C_44243, false,
	  NULL, READ_CODE, 0 },

	{ TZM_CLAIM_PLATFORM, TZM_CCA_PROFILE, "profile", P_PROFILE, true,
	  "has the wrong type or is too long", READ_CODE, 0 },
	{ TZM_CLAIM_PLATFORM, TZM_CCA_CHALLENGE, "challenge", P_CHALLENGE, true,
	  "must be a 32, 48 or 64-byte byte string", READ_CODE, 0 },
	{ TZM_CLAIM_PLATFORM, TZM_CCA_PLAT_IMPL_ID, "implementation-id", P_IMPL, true,
	  "must be a 32-byte byte string", READ_CODE, 0 },
	{ TZM_CLAIM_PLATFORM, TZM_CCA_PLAT_INSTANCE_ID, "instance-id", P_INSTANCE, true,
	  "must be a 33-byte byte string starting with 0x01", READ_CODE, 0 },
	{ TZM_CLAIM_PLATFORM, TZM_CCA_PLAT_CONFIG, "platform-config", P_CONFIG, true,
	  "must be a byte string of at most 64 bytes", READ_CODE, 0 },
	{ TZM_CLAIM_PLATFORM, TZM_CCA_PLAT_LIFECYCLE, "security-lifecycle", P_LIFECYCLE, true,
	  "has the wrong type or is too long", READ_CODE, 0 },
	{ TZM_CLAIM_PLATFORM, TZM_CCA_PLAT_SW_COMPONENTS, "software-components", P_SW, true,
	  "must be an array of 1..16 valid components", READ_CODE, 0 },
	{ TZM_CLAIM_PLATFORM, TZM_CCA_PLAT_HASH_ALG, "platform-hash-algorithm", P_HASH_ALG, true,
	  "has the wrong type or is too long", READ_CODE, 0 },
	{ TZM_CLAIM_PLATFORM, TZM_CCA_PLAT_VERIFICATION_SERVICE, "verification-service", P_VS,
	  false, "must be a short text string", READ_CODE, 0 },

	/* a software component's map (in platform claim 2399), read by sw_read */
	{ TZM_CLAIM_SW_COMPONENT, TZM_CCA_SW_TYPE, "component-type", 0, false,
	  NULL, READ_CODE, 0 },
	{ TZM_CLAIM_SW_COMPONENT, TZM_CCA_SW_MEASUREMENT, "measurement-value", 0, false,
	  NULL, READ_CODE, 0 },
	{ TZM_CLAIM_SW_COMPONENT, TZM_CCA_SW_VERSION, "version", 0, false,
	  NULL, READ_CODE, 0 },
	{ TZM_CLAIM_SW_COMPONENT, TZM_CCA_SW_SIGNER_ID, "signer-id", 0, false,
	  NULL, READ_CODE, 0 },
	{ TZM_CLAIM_SW_COMPONENT, TZM_CCA_SW_HASH_ALG, "hash-algorithm", 0, false,
	  NULL, READ_CODE, 0 },
	/* clang-format on */
};

static const struct claim *claim_find(int64_t key, enum tzm_claim_map map)
{
	for (size_t i = 0; i < sizeof(claims) / sizeof(claims[0]); i++) {
		if (claims[i].key == key && claims[i].map == map) {
			return &claims[i];
		}
	}
	return NULL;
}

const char *tzm__claim_name(int64_t key, enum tzm_claim_map map)
{
	const struct claim *cl = claim_find(key, map);

	return cl != NULL ? cl->name : NULL;
}

/* Reads one claim's value into dst: true if it has the right type (for some, size). */
typedef bool (*claim_reader)(struct tzm_cbor_cur *c, void *dst, const struct claim *cl);

/*
 * Reads a token's claims map in one pass: each claim map knows through read, recording
 * the claims seen (whatever their type) and typed (present with the right type).
 */
static int claims_read(struct tzm_span payload, enum tzm_claim_map map, claim_reader read,
		       void *dst, unsigned *seen, unsigned *typed, const char **why)
{
	struct tzm_cbor_cur c;
	size_t n = 0;

	int rc = tzm__cbor_check(payload.ptr, payload.len, why, NULL);
	if (rc != 0) {
		return rc;
	}
	tzm__cbor_init(&c, payload.ptr, payload.len);
	tzm__cbor_get_map(&c, &n);
	for (size_t i = 0; i < n && c.err == 0; i++) {
		int64_t key = 0;
		const struct claim *cl = NULL;
		if (!key_is_int(&c)) {
			/* text keys name no claim we know: skip key and value */
			tzm__cbor_skip(&c, NULL);
			tzm__cbor_skip(&c, NULL);
			continue;
		}
		tzm__cbor_get_int(&c, &key);
		cl = claim_find(key, map);
		if (cl == NULL) {
			tzm__cbor_skip(&c, NULL); /* unknown claims are not critical (EAT) */
			continue;
		}
		*seen |= cl->bit;
		if (read(&c, dst, cl)) {
			*typed |= cl->bit;
		}
	}
	if (tzm__cbor_finish(&c) != 0) {
		*why = c.why;
		return c.err;
	}
	return 0;
}

/* Findings for the claims of map that are required but missing, or present but invalid. */
static void claims_check(struct tzm_attest_report *r, enum tzm_claim_map map, unsigned seen,
			 unsigned typed)
{
	bool realm = map == TZM_CLAIM_REALM;

	for (size_t i = 0; i < sizeof(claims) / sizeof(claims[0]); i++) {
		const struct claim *cl = &claims[i];
		if (cl->map != map) {
			continue;
		}
		if (!(seen & cl->bit)) {
			if (cl->required) {
				missing_claim(r, realm, cl->key);
			}
		} else if (!(typed & cl->bit) && cl->form != NULL) {
			bad_claim(r, realm, cl->key, cl->form);
		}
	}
}

/* The array of the four REMs: each a byte string. */
static bool rems_read(struct tzm_cbor_cur *c, struct realm_raw *w)
{
	size_t n = 0;
	bool ok = false;
	if (!claim_is(c, TZM_CBOR_ARRAY) || tzm__cbor_get_array(c, &n) != 0) {
		return false;
	}
	ok = n == TZM_ATTEST_NUM_REMS;
	for (size_t i = 0; i < n && c->err == 0; i++) {
		struct tzm_span s = { NULL, 0 };
		bool b = claim_bstr(c, &s);
		if (i < TZM_ATTEST_NUM_REMS) {
			w->rems[i] = s;
		}
		ok = ok && b;
	}
	w->num_rems = n;
	return ok;
}

static bool realm_read(struct tzm_cbor_cur *c, void *dst, const struct claim *cl)
{
	struct realm_raw *w = dst;
	switch (cl->read) {
	case READ_BSTR:
		return claim_bstr(c, (struct tzm_span *)((char *)w + cl->span));
	case READ_TSTR:
		return claim_tstr(c, (struct tzm_span *)((char *)w + cl->span));
	case READ_CODE:
		break;
	}
	if (cl->key == TZM_CCA_REALM_REMS) {
		return rems_read(c, w);
	}
	/* TZM_CCA_REALM_CLAIM_44243: an integer */
	if (key_is_int(c)) {
		return tzm__cbor_get_int(c, &w->claim_44243) == 0;
	}
	tzm__cbor_skip(c, NULL);
	return false;
}

/* Profile 2.0 adds two mandatory claims: 256 (33-byte byte string), 44243 (integer). */
static void realm_validate_profile2(const struct realm_raw *w, unsigned seen, unsigned typed,
				    struct tzm_attest_report *r)
{
	struct tzm_attest_realm_claims *rc = &r->realm;
	bool v2 = strcmp(rc->profile, TZM_CCA_REALM_PROFILE_2) == 0;
	if (typed & C_256) {
		if (w->claim_256.len == sizeof(rc->claim_256)) {
			memcpy(rc->claim_256, w->claim_256.ptr, sizeof(rc->claim_256));
			rc->has_claim_256 = true;
		} else if (v2) {
			bad_claim(r, true, TZM_CCA_REALM_CLAIM_256, "must be 33 bytes long");
		}
	} else if (v2) {
		if (seen & C_256) {
			bad_claim(r, true, TZM_CCA_REALM_CLAIM_256, "must be a byte string");
		} else {
			missing_claim(r, true, TZM_CCA_REALM_CLAIM_256);
		}
	}
	if (typed & C_44243) {
		rc->claim_44243 = w->claim_44243;
		rc->has_claim_44243 = true;
	} else if (v2) {
		if (seen & C_44243) {
			bad_claim(r, true, TZM_CCA_REALM_CLAIM_44243, "must be an integer");
		} else {
			missing_claim(r, true, TZM_CCA_REALM_CLAIM_44243);
		}
	}
}

static void realm_validate(const struct realm_raw *w, unsigned seen, unsigned typed,
			   struct tzm_attest_report *r)
{
	struct tzm_attest_realm_claims *rc = &r->realm;
	const char *why = NULL;

	claims_check(r, TZM_CLAIM_REALM, seen, typed);
	if (seen & C_PROFILE) {
		if (!(typed & C_PROFILE) ||
		    !copy_str(rc->profile, sizeof(rc->profile), w->profile)) {
			bad_claim(r, true, TZM_CCA_PROFILE, "must be a short text string");
		} else if (strcmp(rc->profile, TZM_CCA_REALM_PROFILE) != 0 &&
			   strcmp(rc->profile, TZM_CCA_REALM_PROFILE_2) != 0) {
			tzm__finding(r, TZM_ATTEST_R_PROFILE,
				     "realm profile \"%s\" is neither \"%s\" nor \"%s\"",
				     rc->profile, TZM_CCA_REALM_PROFILE, TZM_CCA_REALM_PROFILE_2);
		}
	}
	realm_validate_profile2(w, seen, typed, r);
	if (typed & C_CHALLENGE) {
		if (w->challenge.len == TZM_ATTEST_CHALLENGE_LEN) {
			memcpy(rc->challenge, w->challenge.ptr, TZM_ATTEST_CHALLENGE_LEN);
		} else {
			bad_claim(r, true, TZM_CCA_CHALLENGE, "must be 64 bytes long");
		}
	}
	if (typed & C_RPV) {
		if (w->rpv.len == TZM_ATTEST_RPV_LEN) {
			memcpy(rc->rpv, w->rpv.ptr, TZM_ATTEST_RPV_LEN);
		} else {
			bad_claim(r, true, TZM_CCA_REALM_RPV, "must be 64 bytes long");
		}
	}
	if (typed & C_MEAS_ALG) {
		if (!copy_str(rc->measurement_alg, sizeof(rc->measurement_alg), w->meas_alg) ||
		    (rc->digest_len = tzm__hash_len(rc->measurement_alg)) == 0) {
			bad_claim(r, true, TZM_CCA_REALM_MEAS_ALG,
				  "names no supported hash algorithm");
			rc->measurement_alg[0] = '\0';
		}
	}
	/* Measurements are the algorithm's digest size, or 64 bytes: the RMM keeps every
	 * measurement in a 64-byte slot and some producers (Veraison's test tokens) send the
	 * whole slot. RIM and REMs must agree. */
	if ((typed & C_RIM) && rc->digest_len != 0) {
		if (w->rim.len == rc->digest_len || w->rim.len == TZM_ATTEST_MAX_DIGEST) {
			memcpy(rc->rim, w->rim.ptr, w->rim.len);
			rc->digest_len = w->rim.len;
		} else {
			bad_claim(r, true, TZM_CCA_REALM_RIM,
				  "size does not match the measurement algorithm");
		}
	}
	if ((typed & C_REMS) && rc->digest_len != 0) {
		for (size_t i = 0; i < TZM_ATTEST_NUM_REMS; i++) {
			if (w->rems[i].len == rc->digest_len) {
				memcpy(rc->rem[i], w->rems[i].ptr, w->rems[i].len);
			} else {
				bad_claim(r, true, TZM_CCA_REALM_REMS,
					  "REM size differs from the RIM size");
				break;
			}
		}
	}
	if (typed & C_RAK_ALG) {
		if (!copy_str(rc->rak_hash_alg, sizeof(rc->rak_hash_alg), w->rak_alg) ||
		    tzm__hash_len(rc->rak_hash_alg) == 0) {
			bad_claim(r, true, TZM_CCA_REALM_PUBKEY_HASH_ALG,
				  "names no supported hash algorithm");
			rc->rak_hash_alg[0] = '\0';
		}
	}
	if (typed & C_RAK) {
		/* The profile decides the key format: COSE_Key with it, raw point without. */
		if (rc->profile[0] != '\0') {
			if (tzm__cose_key_decode(w->rak, rc->rak, &why) == 0) {
				rc->rak_is_cose_key = true;
			} else {
				tzm__finding(r, TZM_ATTEST_R_CLAIM_INVALID,
					     "realm claim 44237 (public-key) is not a valid "
					     "COSE_Key: %s",
					     why != NULL ? why : "bad encoding");
			}
		} else if (w->rak.len == sizeof(rc->rak) && w->rak.ptr[0] == 0x04) {
			memcpy(rc->rak, w->rak.ptr, sizeof(rc->rak));
		} else {
			bad_claim(r, true, TZM_CCA_REALM_PUBKEY,
				  "must be a 97-byte uncompressed P-384 point without a profile");
		}
	}
}

int tzm__realm_claims_parse(struct tzm_span payload, struct tzm_attest_report *r,
			    struct tzm_span *rak_claim, const char **why)
{
	struct realm_raw w;
	unsigned seen = 0, typed = 0;

	memset(&w, 0, sizeof(w));
	int rc = claims_read(payload, TZM_CLAIM_REALM, realm_read, &w, &seen, &typed, why);
	if (rc != 0) {
		return rc;
	}
	r->realm_decoded = true;
	realm_validate(&w, seen, typed, r);
	*rak_claim = (typed & C_RAK) ? w.rak : (struct tzm_span){ NULL, 0 };
	return 0;
}

/* ---- platform ---- */

static bool digest_size_ok(size_t n)
{
	return n == 32 || n == 48 || n == 64;
}

/* One software component map; returns false (finding added) if invalid. */
static bool sw_read(struct tzm_cbor_cur *c, struct tzm_attest_report *r,
		    struct tzm_attest_sw_component *sw, size_t idx)
{
	size_t n = 0;
	bool ok = true, have_meas = false, have_signer = false;
	if (!claim_is(c, TZM_CBOR_MAP) || tzm__cbor_get_map(c, &n) != 0) {
		tzm__finding(r, TZM_ATTEST_R_CLAIM_INVALID, "software component %zu is not a map",
			     idx);
		return false;
	}
	for (size_t i = 0; i < n && c->err == 0; i++) {
		uint64_t key = 0;
		struct tzm_span s = { NULL, 0 };
		if (!claim_is(c, TZM_CBOR_UINT) || tzm__cbor_get_uint(c, &key) != 0) {
			tzm__cbor_skip(c, NULL);
			continue;
		}
		switch (key) {
		case TZM_CCA_SW_TYPE:
			ok = claim_tstr(c, &s) && copy_str(sw->type, sizeof(sw->type), s) && ok;
			break;
		case TZM_CCA_SW_VERSION:
			ok = claim_tstr(c, &s) && copy_str(sw->version, sizeof(sw->version), s) &&
			     ok;
			break;
		case TZM_CCA_SW_HASH_ALG:
			ok = claim_tstr(c, &s) && copy_str(sw->hash_alg, sizeof(sw->hash_alg), s) &&
			     ok;
			break;
		case TZM_CCA_SW_MEASUREMENT:
			have_meas = claim_bstr(c, &s) && digest_size_ok(s.len);
			if (have_meas) {
				memcpy(sw->measurement, s.ptr, s.len);
				sw->measurement_len = s.len;
			}
			ok = ok && have_meas;
			break;
		case TZM_CCA_SW_SIGNER_ID:
			have_signer = claim_bstr(c, &s) && digest_size_ok(s.len);
			if (have_signer) {
				memcpy(sw->signer_id, s.ptr, s.len);
				sw->signer_id_len = s.len;
			}
			ok = ok && have_signer;
			break;
		default:
			tzm__cbor_skip(c, NULL);
			break;
		}
	}
	if (c->err != 0) {
		return false;
	}
	if (!ok || !have_meas || !have_signer) {
		tzm__finding(
			r, TZM_ATTEST_R_CLAIM_INVALID,
			"software component %zu needs a 32/48/64-byte measurement (2) and signer "
			"id (5); texts (1, 4, 6) must be short strings",
			idx);
		return false;
	}
	if (sw->hash_alg[0] != '\0' && tzm__hash_len(sw->hash_alg) != 0 &&
	    tzm__hash_len(sw->hash_alg) != sw->measurement_len) {
		tzm__finding(r, TZM_ATTEST_R_CLAIM_INVALID,
			     "software component %zu measurement size does not match %s", idx,
			     sw->hash_alg);
		return false;
	}
	return true;
}

static bool platform_read(struct tzm_cbor_cur *c, void *dst, const struct claim *cl)
{
	struct tzm_attest_report *r = dst;
	struct tzm_attest_platform_claims *p = &r->platform;
	struct tzm_span s = { NULL, 0 };
	bool ok = false;
	switch (cl->key) {
	case TZM_CCA_PROFILE:
		ok = claim_tstr(c, &s) && copy_str(p->profile, sizeof(p->profile), s);
		break;
	case TZM_CCA_CHALLENGE:
		ok = claim_bstr(c, &s) && digest_size_ok(s.len);
		if (ok) {
			memcpy(p->challenge, s.ptr, s.len);
			p->challenge_len = s.len;
		}
		break;
	case TZM_CCA_PLAT_IMPL_ID:
		ok = claim_bstr(c, &s) && s.len == sizeof(p->implementation_id);
		if (ok) {
			memcpy(p->implementation_id, s.ptr, s.len);
		}
		break;
	case TZM_CCA_PLAT_INSTANCE_ID:
		ok = claim_bstr(c, &s) && s.len == sizeof(p->instance_id) && s.ptr[0] == 0x01;
		if (ok) {
			memcpy(p->instance_id, s.ptr, s.len);
		}
		break;
	case TZM_CCA_PLAT_CONFIG:
		ok = claim_bstr(c, &s) && s.len <= sizeof(p->config);
		if (ok) {
			memcpy(p->config, s.ptr, s.len);
			p->config_len = s.len;
		}
		break;
	case TZM_CCA_PLAT_LIFECYCLE:
		ok = claim_is(c, TZM_CBOR_UINT) && tzm__cbor_get_uint(c, &p->lifecycle) == 0;
		break;
	case TZM_CCA_PLAT_HASH_ALG:
		ok = claim_tstr(c, &s) && copy_str(p->hash_alg, sizeof(p->hash_alg), s);
		break;
	case TZM_CCA_PLAT_VERIFICATION_SERVICE:
		ok = claim_tstr(c, &s) &&
		     copy_str(p->verification_service, sizeof(p->verification_service), s);
		break;
	case TZM_CCA_PLAT_SW_COMPONENTS: {
		size_t n = 0;
		if (!claim_is(c, TZM_CBOR_ARRAY) || tzm__cbor_get_array(c, &n) != 0) {
			break;
		}
		ok = n >= 1 && n <= TZM_ATTEST_MAX_SW;
		for (size_t i = 0; i < n && c->err == 0; i++) {
			if (i < TZM_ATTEST_MAX_SW) {
				ok = sw_read(c, r, &p->sw[i], i) && ok;
			} else {
				tzm__cbor_skip(c, NULL);
			}
		}
		p->num_sw = n < TZM_ATTEST_MAX_SW ? n : TZM_ATTEST_MAX_SW;
		break;
	}
	default: /* a row of claims[] without code here */
		tzm__cbor_skip(c, NULL);
		break;
	}
	return ok;
}

int tzm__platform_claims_parse(struct tzm_span payload, struct tzm_attest_report *r,
			       const char **why)
{
	unsigned seen = 0, typed = 0;
	struct tzm_attest_platform_claims *p = &r->platform;

	int rc = claims_read(payload, TZM_CLAIM_PLATFORM, platform_read, r, &seen, &typed, why);
	if (rc != 0) {
		return rc;
	}
	r->platform_decoded = true;
	claims_check(r, TZM_CLAIM_PLATFORM, seen, typed);
	if ((typed & P_PROFILE) && strcmp(p->profile, TZM_CCA_PLATFORM_PROFILE) != 0 &&
	    strcmp(p->profile, TZM_CCA_PLATFORM_PROFILE_LEGACY) != 0) {
		tzm__finding(r, TZM_ATTEST_R_PROFILE,
			     "platform profile \"%s\" is not a CCA profile", p->profile);
	} else if ((typed & P_PROFILE) &&
		   strcmp(p->profile, TZM_CCA_PLATFORM_PROFILE_LEGACY) == 0) {
		tzm__finding(r, TZM_ATTEST_R_PROFILE_LEGACY,
			     "platform profile \"%s\" is deprecated (use \"%s\")", p->profile,
			     TZM_CCA_PLATFORM_PROFILE);
	}
	if (!(typed & P_LIFECYCLE)) {
		p->lifecycle = 0;
	}
	return 0;
}
