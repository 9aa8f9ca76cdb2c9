// SPDX-License-Identifier: BSD-2-Clause
/*
 * tzm_attest_optee — the attestation token of a TA on genuine OP-TEE, and its verifier.
 *
 * This is NOT an Arm CCA token (OP-TEE has none). On OP-TEE, tzm_attest_token() asks
 * OP-TEE's attestation PTA (CFG_ATTESTATION_PTA=y; lib/libutee/include/pta_attestation.h)
 * for PTA_ATTESTATION_HASH_TA_MEMORY: SHA-256 of the calling TA's read-only memory (its
 * code and read-only data as loaded) and an RSASSA-PSS signature (SHA-256, MGF1-SHA-256,
 * salt 32) by the PTA's RSA key over SHA-256(nonce | measurement). The PTA answers this
 * command only to a TA, about that TA itself; the normal world cannot obtain it.
 *
 * Format "tzm-optee-pta", version 1: a fixed layout, integers big-endian.
 *
 *   offset  size  field
 *   0       4     magic "TZOP"
 *   4       1     version = 1
 *   5       1     kind = 1 (PTA_ATTESTATION_HASH_TA_MEMORY)
 *   6       2     nonce_len: 1..64 (the verifier's challenge, echoed)
 *   8       2     sig_len: 256..512 (the PTA key's modulus size in bytes)
 *   10      2     reserved, 0
 *   12      N     nonce
 *   12+N    32    measurement (the PTA's SHA-256 of the TA's read-only memory)
 *   44+N    S     signature
 * The token is exactly 44 + N + S bytes (at most TZM_ATTEST_OPTEE_MAX_TOKEN); anything
 * else is malformed. Only tzm_attest_optee_decode() reads this layout.
 *
 * The verifier trusts the PTA's public key (obtained with PTA_ATTESTATION_GET_PUBKEY and
 * pinned by the user) and an expected measurement computed from the .ta file with
 * tzm_attest_optee_measure_ta(), which repeats what OP-TEE's loader (ldelf) maps read-only
 * and the PTA hashes. This header is also included by the TA side (constants only).
 */
#ifndef TZM_ATTEST_OPTEE_H
#define TZM_ATTEST_OPTEE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define TZM_ATTEST_OPTEE_MAGIC "TZOP"
#define TZM_ATTEST_OPTEE_FORMAT_VERSION 1
#define TZM_ATTEST_OPTEE_KIND_TA_MEMORY 1
#define TZM_ATTEST_OPTEE_HEADER_LEN 12
#define TZM_ATTEST_OPTEE_MAX_NONCE 64
#define TZM_ATTEST_OPTEE_DIGEST_LEN 32
#define TZM_ATTEST_OPTEE_MIN_SIG 256 /* RSA-2048 */
#define TZM_ATTEST_OPTEE_MAX_SIG 512 /* RSA-4096, the PTA's largest key */
#define TZM_ATTEST_OPTEE_MAX_TOKEN                                                                 \
	(TZM_ATTEST_OPTEE_HEADER_LEN + TZM_ATTEST_OPTEE_MAX_NONCE + TZM_ATTEST_OPTEE_DIGEST_LEN +  \
	 TZM_ATTEST_OPTEE_MAX_SIG)

/* A decoded token (copied out of the bytes). */
struct tzm_attest_optee_token {
	uint8_t version;
	uint8_t kind;
	size_t nonce_len;
	uint8_t nonce[TZM_ATTEST_OPTEE_MAX_NONCE];
	uint8_t measurement[TZM_ATTEST_OPTEE_DIGEST_LEN];
	size_t sig_len;
	uint8_t sig[TZM_ATTEST_OPTEE_MAX_SIG];
};

/* Verdicts, best first; the verifier reports the first check that failed. */
#define TZM_ATTEST_OPTEE_RESULTS(X)                                                                \
	X(OK, ok,                                                                                  \
	  "token verified: signed by the pinned PTA key over this nonce and the expected "         \
	  "measurement")                                                                           \
	X(MALFORMED, malformed,                                                                    \
	  "token is not a well-formed tzm-optee-pta token (size, magic or fields)")                \
	X(VERSION, version, "unsupported token version or kind")                                   \
	X(NONCE, nonce, "token answers another nonce (replay or wrong session)")                   \
	X(MEASUREMENT, measurement,                                                                \
	  "TA measurement differs from the expected one (another TA or build)")                    \
	X(KEY, key, "signature size does not match the pinned PTA key")                            \
	X(SIGNATURE, signature, "signature does not verify with the pinned PTA key")

enum tzm_attest_optee_result {
#define TZM_ATTEST_OPTEE_X_ENUM(NAME, name, text) TZM_ATTEST_OPTEE_##NAME,
	TZM_ATTEST_OPTEE_RESULTS(TZM_ATTEST_OPTEE_X_ENUM)
#undef TZM_ATTEST_OPTEE_X_ENUM
};

struct tzm_attest_optee_expect {
	const char *pta_key_pem; /* the PTA's RSA public key (SubjectPublicKeyInfo PEM) */
	size_t pta_key_pem_len;
	const uint8_t *nonce; /* the challenge sent, 1..64 bytes */
	size_t nonce_len;
	const uint8_t *measurement; /* TZM_ATTEST_OPTEE_DIGEST_LEN bytes */
};

/*
 * Decodes a token. Returns 0, -EBADMSG (truncated, oversized, bad magic or field) or
 * -EPROTONOSUPPORT (another version or kind).
 */
int tzm_attest_optee_decode(const void *token, size_t len, struct tzm_attest_optee_token *out);

/*
 * Verifies a token. Returns 0 with *result set (TZM_ATTEST_OPTEE_OK only if every check
 * passed), -EINVAL for bad arguments or a PEM that is not an RSA public key of 2048..4096
 * bits, -ENOMEM. If decoded is not NULL it receives the token's fields when it decoded.
 */
int tzm_attest_optee_verify(const void *token, size_t len,
			    const struct tzm_attest_optee_expect *expect,
			    enum tzm_attest_optee_result *result,
			    struct tzm_attest_optee_token *decoded);

const char *tzm_attest_optee_result_name(enum tzm_attest_optee_result r); /* "nonce", ... */
const char *tzm_attest_optee_result_text(enum tzm_attest_optee_result r);

/*
 * The measurement the PTA reports for a TA loaded from this .ta file (a signed, not
 * encrypted, 64-bit ELF TA without shared libraries): SHA-256 over the read-only regions
 * ldelf maps — the first page of the ELF (its header) and each PT_LOAD segment without
 * PF_W (after ldelf's merging of segments that share a page), each zero-padded to whole
 * pages — ordered by size, then by content. Returns 0, -EBADMSG (not a TA file this
 * understands; err says why) or -ENOTSUP (encrypted TA, subkey chain, 32-bit ELF).
 */
int tzm_attest_optee_measure_ta(const void *ta, size_t len,
				uint8_t out[TZM_ATTEST_OPTEE_DIGEST_LEN], char *err,
				size_t err_cap);
/* The same for a file (at most 64 MiB); -errno if it cannot be read. */
int tzm_attest_optee_measure_ta_file(const char *path, uint8_t out[TZM_ATTEST_OPTEE_DIGEST_LEN],
				     char *err, size_t err_cap);

/*
 * PEM (SubjectPublicKeyInfo) of the RSA key that PTA_ATTESTATION_GET_PUBKEY returns as
 * big-endian exponent and modulus. *len excludes the terminating NUL. Returns 0,
 * -EINVAL (not a 2048..4096-bit key), -ENOSPC (buf too small; *len = size needed),
 * -ENOMEM.
 */
int tzm_attest_optee_pubkey_pem(const uint8_t *e, size_t e_len, const uint8_t *n, size_t n_len,
				char *buf, size_t cap, size_t *len);

#ifdef __cplusplus
}
#endif

#endif
