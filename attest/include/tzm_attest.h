// SPDX-License-Identifier: BSD-2-Clause
/*
 * tzm_attest — Arm CCA-format attestation tokens: a strict verifier (for real CCA tokens
 * and for the tokens our emulated TEE issues to TAs) and the matching issuer.
 *
 * Verifying:
 *     struct tzm_attest_verify_opts o = { .platform_key_pem = pem, .platform_key_pem_len = n,
 *                                          .challenge = nonce, .challenge_len = 64 };
 *     struct tzm_attest_report *r = malloc(sizeof(*r));
 *     if (tzm_attest_verify(token, token_len, &o, r) == 0 && r->status == TZM_ATTEST_AFFIRMING)
 *         ... trust it ...
 * The report is self-contained (claims are copied out of the token) and lists every
 * finding with its reason and severity; the status is the worst severity found.
 *
 * Issuing (used by the TEE core): keys are opaque P-384 keys; tzm_attest_issue() builds a
 * platform token and a realm-format (TA) token, signs both with ES384 and wraps them in a
 * CMW collection (tag 907) or the legacy tag-399 envelope.
 *
 * All functions return 0 or a negative errno value. Nothing here keeps global state;
 * the functions are thread-safe for distinct objects. See attest/README.md for the claim
 * semantics, the verification policy and the reference-value file format.
 */
#ifndef TZM_ATTEST_H
#define TZM_ATTEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

#define TZM_ATTEST_MAX_TOKEN (64u * 1024u) /* largest token accepted or produced */
#define TZM_ATTEST_CHALLENGE_LEN 64        /* realm/TA challenge (claim 10) */
#define TZM_ATTEST_RPV_LEN 64              /* realm personalization value (44235) */
#define TZM_ATTEST_RPV_MODULE_OFF 16       /* a Wasm TA's module SHA-256 in the RPV */
#define TZM_ATTEST_MAX_DIGEST 64           /* largest measurement digest (SHA-512) */
#define TZM_ATTEST_NUM_REMS 4
#define TZM_ATTEST_MAX_SW 16 /* platform software components kept in a report */
#define TZM_ATTEST_MAX_FINDINGS 24
#define TZM_ATTEST_MAX_STR 96 /* text claims longer than this are "invalid" */

/* COSE algorithm identifiers accepted for signatures. */
#define TZM_ATTEST_ES256 (-7)
#define TZM_ATTEST_ES384 (-35)

/* Veraison/EAR-style appraisal status, ordered from best to worst. */
enum tzm_attest_status {
	TZM_ATTEST_AFFIRMING = 0,
	TZM_ATTEST_WARNING = 1,
	TZM_ATTEST_CONTRAINDICATED = 2,
};

/*
 * Reasons a finding is reported: X(NAME, name, severity, description). One list generates
 * the enum, the names and the default texts, so they cannot drift apart.
 */
#define TZM_ATTEST_REASONS(X)                                                                      \
	X(MALFORMED, malformed, CONTRAINDICATED, "token is not a well-formed CCA token")           \
	X(ALGORITHM, algorithm, CONTRAINDICATED,                                                   \
	  "signature algorithm not supported or not matching the key")                             \
	X(REALM_SIGNATURE, realm_signature, CONTRAINDICATED,                                       \
	  "realm token signature does not verify with its RAK")                                    \
	X(PLATFORM_SIGNATURE, platform_signature, CONTRAINDICATED,                                 \
	  "platform token signature does not verify")                                              \
	X(PLATFORM_KEY_ABSENT, platform_key_absent, WARNING,                                       \
	  "no platform key given: platform signature not checked")                                 \
	X(BINDING, binding, CONTRAINDICATED,                                                       \
	  "platform challenge is not the hash of the realm key claim")                             \
	X(CHALLENGE, challenge, CONTRAINDICATED,                                                   \
	  "realm challenge differs from the expected challenge")                                   \
	X(PROFILE, profile, CONTRAINDICATED, "unknown or inconsistent profile")                    \
	X(PROFILE_LEGACY, profile_legacy, WARNING,                                                 \
	  "platform token uses the deprecated legacy profile http://arm.com/CCA-SSD/1.0.0")        \
	X(CLAIM_MISSING, claim_missing, CONTRAINDICATED, "mandatory claim missing")                \
	X(CLAIM_INVALID, claim_invalid, CONTRAINDICATED,                                           \
	  "claim has the wrong type, size or value")                                               \
	X(LIFECYCLE_DEBUG, lifecycle_debug, WARNING, "platform is in a debug lifecycle state")     \
	X(LIFECYCLE_UNTRUSTED, lifecycle_untrusted, CONTRAINDICATED,                               \
	  "platform lifecycle is decommissioned or unknown")                                       \
	X(REFVAL_MISMATCH, refval_mismatch, CONTRAINDICATED,                                       \
	  "measurement does not match the reference values")

enum tzm_attest_reason {
#define TZM_ATTEST_X_ENUM(NAME, name, sev, text) TZM_ATTEST_R_##NAME,
	TZM_ATTEST_REASONS(TZM_ATTEST_X_ENUM)
#undef TZM_ATTEST_X_ENUM
	TZM_ATTEST_R_COUNT
};

enum tzm_attest_envelope {
	TZM_ATTEST_ENV_NONE = 0,
	TZM_ATTEST_ENV_CMW907 = 907,    /* {44234: [263, bstr], 44241: [263, bstr]} */
	TZM_ATTEST_ENV_LEGACY399 = 399, /* {44234: bstr, 44241: bstr} */
};

struct tzm_attest_finding {
	enum tzm_attest_reason reason;
	enum tzm_attest_status severity;
	char detail[160];
};

struct tzm_attest_sw_component {
	char type[TZM_ATTEST_MAX_STR]; /* "" when absent */
	uint8_t measurement[TZM_ATTEST_MAX_DIGEST];
	size_t measurement_len;
	char version[TZM_ATTEST_MAX_STR];
	uint8_t signer_id[TZM_ATTEST_MAX_DIGEST];
	size_t signer_id_len;
	char hash_alg[TZM_ATTEST_MAX_STR];
};

/* Claims copied out of the platform token (fields are zero when absent or invalid). */
struct tzm_attest_platform_claims {
	int alg; /* COSE alg of the platform signature */
	char profile[TZM_ATTEST_MAX_STR];
	uint8_t challenge[TZM_ATTEST_MAX_DIGEST];
	size_t challenge_len;
	uint8_t implementation_id[32];
	uint8_t instance_id[33];
	uint8_t config[TZM_ATTEST_MAX_DIGEST];
	size_t config_len;
	uint64_t lifecycle;
	char hash_alg[TZM_ATTEST_MAX_STR];
	char verification_service[TZM_ATTEST_MAX_STR * 2];
	size_t num_sw;
	struct tzm_attest_sw_component sw[TZM_ATTEST_MAX_SW];
};

/* Realm token profiles (claim 265). 2.0 adds claims 256 (33-byte byte string) and 44243
 * (an integer), both mandatory under it. */
#define TZM_ATTEST_REALM_PROFILE_1 "tag:arm.com,2023:realm#1.0.0"
#define TZM_ATTEST_REALM_PROFILE_2 "tag:arm.com,2024:realm#2.0.0"

/* Claims copied out of the realm (or TA) token. */
struct tzm_attest_realm_claims {
	int alg;
	char profile[TZM_ATTEST_MAX_STR]; /* "" when the claim is absent (legacy tokens) */
	bool has_claim_256;               /* profile 2.0 claims */
	uint8_t claim_256[33];
	bool has_claim_44243;
	int64_t claim_44243;
	uint8_t challenge[TZM_ATTEST_CHALLENGE_LEN];
	uint8_t rpv[TZM_ATTEST_RPV_LEN];
	char measurement_alg[TZM_ATTEST_MAX_STR];
	size_t digest_len; /* size of RIM and REMs: measurement_alg's digest size, or 64 */
	uint8_t rim[TZM_ATTEST_MAX_DIGEST];
	uint8_t rem[TZM_ATTEST_NUM_REMS][TZM_ATTEST_MAX_DIGEST];
	char rak_hash_alg[TZM_ATTEST_MAX_STR];
	bool rak_is_cose_key;
	uint8_t rak[97]; /* public key as 0x04 || X || Y */
};

struct tzm_attest_report {
	enum tzm_attest_status status;
	enum tzm_attest_envelope envelope;
	bool realm_decoded;    /* realm claims below are meaningful */
	bool platform_decoded; /* platform claims below are meaningful */
	bool realm_signature_ok;
	bool platform_signature_ok; /* false also when no key was given */
	struct tzm_attest_realm_claims realm;
	struct tzm_attest_platform_claims platform;
	size_t num_findings; /* findings beyond the array are counted but not stored */
	struct tzm_attest_finding findings[TZM_ATTEST_MAX_FINDINGS];
};

/*
 * Reference values: lists of acceptable measurements. For each kind that has at least
 * one entry, the token's value must equal one of that kind's entries (for SW, every
 * software component's measurement must be listed). Kinds without entries are not checked.
 * WASM_MODULE is the SHA-256 of the .wasm module a Wasm TA was built from, which the TEE
 * puts in bytes 16..47 of the RPV (TZM_ATTEST_RPV_MODULE_OFF) after the TA's UUID.
 */
#define TZM_ATTEST_REFVAL_KINDS(X)                                                                 \
	X(RIM, "rim")                                                                              \
	X(REM0, "rem0")                                                                            \
	X(REM1, "rem1")                                                                            \
	X(REM2, "rem2")                                                                            \
	X(REM3, "rem3")                                                                            \
	X(RPV, "rpv")                                                                              \
	X(IMPLEMENTATION_ID, "implementation-id")                                                  \
	X(INSTANCE_ID, "instance-id")                                                              \
	X(SW, "sw")                                                                                \
	X(WASM_MODULE, "wasm-module")

enum tzm_attest_refval_kind {
#define TZM_ATTEST_X_ENUM(name, key) TZM_ATTEST_RV_##name,
	TZM_ATTEST_REFVAL_KINDS(TZM_ATTEST_X_ENUM)
#undef TZM_ATTEST_X_ENUM
	TZM_ATTEST_RV_COUNT
};

#define TZM_ATTEST_MAX_REFVALS 128

struct tzm_attest_refvals {
	size_t count;
	struct {
		enum tzm_attest_refval_kind kind;
		size_t len;
		uint8_t value[TZM_ATTEST_MAX_DIGEST];
	} entry[TZM_ATTEST_MAX_REFVALS];
};

struct tzm_attest_verify_opts {
	/* PEM public key (P-384 for ES384, P-256 for ES256) of the platform; NULL: the
	 * platform signature is not checked and the result is at best WARNING. */
	const char *platform_key_pem;
	size_t platform_key_pem_len;
	/* Expected realm challenge (claim 10); NULL: not checked. */
	const uint8_t *challenge;
	size_t challenge_len;
	/* Reference values; NULL: measurements are not appraised. */
	const struct tzm_attest_refvals *refvals;
};

/*
 * Decodes and appraises a CCA token. Returns 0 when *report was filled (look at
 * report->status), -EINVAL for bad arguments or an unusable platform key, -ENOMEM.
 */
int tzm_attest_verify(const void *token, size_t len, const struct tzm_attest_verify_opts *opts,
		      struct tzm_attest_report *report);

/* Prints the report for people, or as one JSON object (followed by a newline). */
void tzm_attest_report_print(FILE *out, const struct tzm_attest_report *report);
void tzm_attest_report_print_json(FILE *out, const struct tzm_attest_report *report);

/* Pretty-prints every claim of a token (names for known keys, hex for bytes).
 * Returns 0, or -EBADMSG (after printing what could be decoded and why it stopped). */
int tzm_attest_show(FILE *out, const void *token, size_t len);

const char *tzm_attest_status_name(enum tzm_attest_status s); /* "affirming", ... */
const char *tzm_attest_reason_name(enum tzm_attest_reason r); /* "realm_signature", ... */
const char *tzm_attest_reason_text(enum tzm_attest_reason r);

/*
 * Parses a reference-value file: one "KIND HEX" per line (KIND from
 * TZM_ATTEST_REFVAL_KINDS, HEX of 1..64 bytes), '#' comments, blank lines. On error
 * returns -EINVAL and writes "line N: why" into err.
 */
int tzm_attest_refvals_parse(const char *text, size_t len, struct tzm_attest_refvals *rv, char *err,
			     size_t err_cap);
int tzm_attest_refvals_load(const char *path, struct tzm_attest_refvals *rv, char *err,
			    size_t err_cap);

/* ---- issuing ---- */

struct tzm_attest_key; /* an ECDSA P-384 key pair */

int tzm_attest_key_generate(struct tzm_attest_key **key);
/* Loads the PEM private key at path, or creates it (mode 0600, atomically: concurrent
 * creators end up with the same key). */
int tzm_attest_key_load_or_create(const char *path, struct tzm_attest_key **key);
/* Public key as 0x04 || X || Y (97 bytes). */
int tzm_attest_key_public_raw(const struct tzm_attest_key *key, uint8_t out[97]);
/* Public key as PEM (SubjectPublicKeyInfo); *len excludes the terminating NUL. */
int tzm_attest_key_public_pem(const struct tzm_attest_key *key, char *buf, size_t cap, size_t *len);
void tzm_attest_key_free(struct tzm_attest_key *key);

/*
 * Path of the emulated platform's key file, "<state>/attest-platform-key.pem", where
 * <state> is state_dir, else $TZM_STATE_DIR, else $XDG_DATA_HOME/tzmediator, else
 * ~/.local/share/tzmediator. The directory is created (mode 0700) if missing.
 */
int tzm_attest_platform_key_path(const char *state_dir, char *buf, size_t cap);

struct tzm_attest_sw_in {
	const char *type;        /* may be NULL */
	const char *version;     /* may be NULL */
	uint8_t measurement[32]; /* SHA-256 */
	uint8_t signer_id[32];
};

struct tzm_attest_platform_in {
	const struct tzm_attest_key *cpak; /* signs the platform token (ES384) */
	uint8_t implementation_id[32];
	uint64_t lifecycle;    /* e.g. 0x3000 (secured) */
	const uint8_t *config; /* platform config bytes (1..64) */
	size_t config_len;
	const char *verification_service; /* may be NULL */
	size_t num_sw;
	const struct tzm_attest_sw_in *sw;
};

/*
 * Realm-format claims. For a TA (the fields after rem left zero): profile 1.0, SHA-256
 * measurements in rim/rem. The realm model sets profile (TZM_ATTEST_REALM_PROFILE_2 adds
 * claims 256 and 44243) and digest_len 32 or 64 with the measurements in rim512/rem512
 * (SHA-256 or SHA-512). The RAK is always hashed with SHA-256 for the binding.
 */
struct tzm_attest_realm_in {
	const struct tzm_attest_key *rak; /* signs the realm token (ES384) */
	uint8_t challenge[TZM_ATTEST_CHALLENGE_LEN];
	uint8_t rpv[TZM_ATTEST_RPV_LEN];
	uint8_t rim[32];
	uint8_t rem[TZM_ATTEST_NUM_REMS][32];
	const char *profile; /* NULL: TZM_ATTEST_REALM_PROFILE_1 */
	size_t digest_len;   /* 0: rim/rem above; 32 or 64: rim512/rem512 */
	uint8_t rim512[TZM_ATTEST_MAX_DIGEST];
	uint8_t rem512[TZM_ATTEST_NUM_REMS][TZM_ATTEST_MAX_DIGEST];
	uint8_t claim_256[33]; /* profile 2.0 only */
	int64_t claim_44243;   /* profile 2.0 only */
};

/*
 * Builds and signs a complete token (platform instance id = 0x01 || SHA-256 of the CPAK
 * public point; platform challenge = SHA-256 of the realm key claim bytes). If buf is
 * too small (or NULL), returns -ENOSPC with *len = the size needed.
 */
int tzm_attest_issue(const struct tzm_attest_platform_in *platform,
		     const struct tzm_attest_realm_in *realm, enum tzm_attest_envelope envelope,
		     void *buf, size_t cap, size_t *len);

#ifdef __cplusplus
}
#endif

#endif
