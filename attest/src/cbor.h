// SPDX-License-Identifier: BSD-2-Clause
/*
 * Strict CBOR (RFC 8949) decoder cursor and a small encoder, private to attest/.
 *
 * Only the subset that CCA attestation tokens use is accepted: unsigned and negative
 * integers, byte and text strings, arrays, maps, tags, and the simple values false, true
 * and null. Everything is rejected that could make two different byte strings decode to
 * the same value, or one byte string decode in two ways:
 *   - indefinite lengths (additional info 31) and reserved additional info (28..30);
 *   - non-minimal heads (e.g. 0x18 0x05 instead of 0x05);
 *   - duplicate map keys (keys compared by their encoded bytes, which is exact equality
 *     once encodings are minimal and definite);
 *   - floating point, undefined and unassigned simple values;
 *   - invalid UTF-8 in text strings;
 *   - bytes after the top-level item;
 *   - nesting deeper than TZM_CBOR_MAX_DEPTH, maps over TZM_CBOR_MAX_MAP entries, arrays
 *     over TZM_CBOR_MAX_ARRAY items, inputs over TZM_CBOR_MAX_INPUT bytes.
 *
 * The cursor carries a sticky error: after the first failure every call is a no-op that
 * returns the same error, so decoders can read a whole structure and check once. All
 * pointer arithmetic on untrusted input lives in cbor.c; other files only see spans.
 */
#ifndef TZM_ATTEST_CBOR_H
#define TZM_ATTEST_CBOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define TZM_CBOR_MAX_DEPTH 16
#define TZM_CBOR_MAX_MAP 64
#define TZM_CBOR_MAX_ARRAY 256
#define TZM_CBOR_MAX_INPUT (64u * 1024u)

enum tzm_cbor_major {
	TZM_CBOR_UINT = 0,
	TZM_CBOR_NINT = 1,
	TZM_CBOR_BSTR = 2,
	TZM_CBOR_TSTR = 3,
	TZM_CBOR_ARRAY = 4,
	TZM_CBOR_MAP = 5,
	TZM_CBOR_TAG = 6,
	TZM_CBOR_SIMPLE = 7,
};

/* A read-only view of bytes inside a decoded buffer (never owns memory). */
struct tzm_span {
	const uint8_t *ptr;
	size_t len;
};

struct tzm_cbor_cur {
	const uint8_t *buf;
	size_t len;
	size_t pos;
	int err;         /* 0 or -errno, sticky */
	const char *why; /* static text describing the first error */
	size_t err_pos;  /* offset of the first error */
};

void tzm__cbor_init(struct tzm_cbor_cur *c, const uint8_t *buf, size_t len);
/* Checks that buf holds exactly one item obeying every strictness rule above. */
int tzm__cbor_check(const uint8_t *buf, size_t len, const char **why, size_t *err_pos);

int tzm__cbor_peek(struct tzm_cbor_cur *c, enum tzm_cbor_major *major);
bool tzm__cbor_at_end(const struct tzm_cbor_cur *c);
int tzm__cbor_get_uint(struct tzm_cbor_cur *c, uint64_t *v);
int tzm__cbor_get_int(struct tzm_cbor_cur *c, int64_t *v);
int tzm__cbor_get_bstr(struct tzm_cbor_cur *c, struct tzm_span *s);
int tzm__cbor_get_tstr(struct tzm_cbor_cur *c, struct tzm_span *s);
int tzm__cbor_get_array(struct tzm_cbor_cur *c, size_t *n);
int tzm__cbor_get_map(struct tzm_cbor_cur *c, size_t *n);
int tzm__cbor_get_tag(struct tzm_cbor_cur *c, uint64_t *tag);
int tzm__cbor_get_simple(struct tzm_cbor_cur *c, uint8_t *simple);
/* Skips one complete item; *raw (may be NULL) receives its encoded bytes. */
int tzm__cbor_skip(struct tzm_cbor_cur *c, struct tzm_span *raw);
/* Fails with -EBADMSG if bytes remain; returns the sticky error otherwise. */
int tzm__cbor_finish(struct tzm_cbor_cur *c);
/* Records an error found by a caller (semantic, not syntactic) in the cursor. */
int tzm__cbor_fail(struct tzm_cbor_cur *c, int err, const char *why);
bool tzm__span_eq_str(struct tzm_span s, const char *str);

/*
 * Encoder: appends to a caller buffer; on overflow it keeps counting (so a first pass
 * with cap 0 sizes the output) and tzm__cbor_enc_done() returns -ENOSPC.
 */
struct tzm_cbor_enc {
	uint8_t *buf;
	size_t cap;
	size_t len;
	int err;
};

void tzm__cbor_enc_init(struct tzm_cbor_enc *e, uint8_t *buf, size_t cap);
void tzm__cbor_put_uint(struct tzm_cbor_enc *e, uint64_t v);
void tzm__cbor_put_int(struct tzm_cbor_enc *e, int64_t v);
void tzm__cbor_put_bstr(struct tzm_cbor_enc *e, const void *p, size_t n);
void tzm__cbor_put_tstr(struct tzm_cbor_enc *e, const char *s);
void tzm__cbor_put_array(struct tzm_cbor_enc *e, size_t n);
void tzm__cbor_put_map(struct tzm_cbor_enc *e, size_t n);
void tzm__cbor_put_tag(struct tzm_cbor_enc *e, uint64_t tag);
/* Appends already-encoded CBOR bytes verbatim. */
void tzm__cbor_put_raw(struct tzm_cbor_enc *e, const void *p, size_t n);
int tzm__cbor_enc_done(const struct tzm_cbor_enc *e, size_t *len);

#endif
