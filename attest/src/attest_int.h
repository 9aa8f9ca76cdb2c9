// SPDX-License-Identifier: BSD-2-Clause
/*
 * Internal interfaces between the verifier's parts: envelope and claims decoding
 * (claims.c), report building (report.c), hex helpers. Private to attest/.
 */
#ifndef TZM_ATTEST_INT_H
#define TZM_ATTEST_INT_H

#include "tzm_attest.h"
#include "cbor.h"

/* Envelope tags and keys. */
#define TZM_CCA_TAG_LEGACY 399
#define TZM_CCA_TAG_CMW 907
#define TZM_CCA_CMW_CT_EAT_CWT 263 /* CoAP content format application/eat+cwt */
#define TZM_CCA_KEY_PLATFORM 44234
#define TZM_CCA_KEY_REALM 44241

/* Realm claim keys. */
#define TZM_CCA_CHALLENGE 10
#define TZM_CCA_PROFILE 265
#define TZM_CCA_REALM_RPV 44235
#define TZM_CCA_REALM_MEAS_ALG 44236
#define TZM_CCA_REALM_PUBKEY 44237
#define TZM_CCA_REALM_RIM 44238
#define TZM_CCA_REALM_REMS 44239
#define TZM_CCA_REALM_PUBKEY_HASH_ALG 44240

/* Platform claim keys. */
#define TZM_CCA_PLAT_INSTANCE_ID 256
#define TZM_CCA_PLAT_LIFECYCLE 2395
#define TZM_CCA_PLAT_IMPL_ID 2396
#define TZM_CCA_PLAT_SW_COMPONENTS 2399
#define TZM_CCA_PLAT_VERIFICATION_SERVICE 2400
#define TZM_CCA_PLAT_CONFIG 2401
#define TZM_CCA_PLAT_HASH_ALG 2402

/* Keys of a software component map (platform claim 2399). */
#define TZM_CCA_SW_TYPE 1
#define TZM_CCA_SW_MEASUREMENT 2
#define TZM_CCA_SW_VERSION 4
#define TZM_CCA_SW_SIGNER_ID 5
#define TZM_CCA_SW_HASH_ALG 6

#define TZM_CCA_REALM_PROFILE TZM_ATTEST_REALM_PROFILE_1
#define TZM_CCA_REALM_PROFILE_2 TZM_ATTEST_REALM_PROFILE_2
#define TZM_CCA_REALM_CLAIM_256 256
#define TZM_CCA_REALM_CLAIM_44243 44243
#define TZM_CCA_PLATFORM_PROFILE "tag:arm.com,2023:cca_platform#1.0.0"
#define TZM_CCA_PLATFORM_PROFILE_LEGACY "http://arm.com/CCA-SSD/1.0.0"

/* The two COSE_Sign1 tokens inside an envelope. */
struct tzm_cca_parts {
	enum tzm_attest_envelope envelope;
	struct tzm_span platform;
	struct tzm_span realm;
};

int tzm__envelope_decode(const uint8_t *buf, size_t len, struct tzm_cca_parts *parts,
			 const char **why, size_t *err_pos);

/*
 * Decode a claims map into the report. Syntax errors return -EBADMSG with *why set;
 * semantic problems (missing claims, wrong sizes) become findings and return 0.
 * *rak_claim receives the bytes of claim 44237 (for the binding).
 */
int tzm__realm_claims_parse(struct tzm_span payload, struct tzm_attest_report *r,
			    struct tzm_span *rak_claim, const char **why);
int tzm__platform_claims_parse(struct tzm_span payload, struct tzm_attest_report *r,
			       const char **why);

/* The maps whose claim keys claims.c knows (a key's meaning depends on its map). */
enum tzm_claim_map {
	TZM_CLAIM_PLATFORM,
	TZM_CLAIM_REALM,
	TZM_CLAIM_SW_COMPONENT,
};

/* The name of claim key in map ("public-key"), NULL if unknown. */
const char *tzm__claim_name(int64_t key, enum tzm_claim_map map);

void tzm__finding(struct tzm_attest_report *r, enum tzm_attest_reason reason, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Lower-case hex of n bytes into out (2n+1 bytes); truncated with "..." if cap is short. */
void tzm__hex(char *out, size_t cap, const uint8_t *p, size_t n);
void tzm__fprint_hex(FILE *f, const uint8_t *p, size_t n);
/* False if the text holds C0/C1 control characters or DEL (terminal escape injection). */
bool tzm__text_is_printable(const uint8_t *p, size_t n);
/* Prints text with such characters escaped as \xNN. */
void tzm__fprint_text(FILE *f, const uint8_t *p, size_t n);

#endif
