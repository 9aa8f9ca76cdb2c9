// SPDX-License-Identifier: BSD-2-Clause
/*
 * Strict CBOR decoder: a table of malformed inputs (each must be rejected, with the
 * expected error), a table of well-formed ones, encoder/decoder round trips, and COSE
 * header rules (crit, alg placement, tag, signature size).
 */
#include <errno.h>
#include <string.h>

#include "attest_test.h"
#include "cbor.h"
#include "cose.h"

struct vec {
	const char *name;
	int err; /* expected tzm__cbor_check() result */
	size_t len;
	uint8_t b[40];
};

#define V(name, err, ...)                                                                          \
	{                                                                                          \
		name, err, sizeof((uint8_t[]){ __VA_ARGS__ }),                                     \
		{                                                                                  \
			__VA_ARGS__                                                                \
		}                                                                                  \
	}

static const struct vec table[] = {
	V("uint", 0, 0x05),
	V("uint 1-byte", 0, 0x18, 0x18),
	V("negative", 0, 0x38, 0x22),
	V("map", 0, 0xa2, 0x01, 0x02, 0x03, 0x04),
	V("tagged bstr", 0, 0xd8, 0x20, 0x42, 0x01, 0x02),
	V("true/false/null", 0, 0x83, 0xf4, 0xf5, 0xf6),
	V("utf8 text", 0, 0x62, 0xc3, 0xa9),
	V("indefinite array", -EBADMSG, 0x9f, 0x01, 0xff),
	V("indefinite bstr", -EBADMSG, 0x5f, 0x41, 0x00, 0xff),
	V("indefinite map", -EBADMSG, 0xbf, 0x01, 0x02, 0xff),
	V("lone break", -EBADMSG, 0xff),
	V("duplicate int key", -EBADMSG, 0xa2, 0x01, 0x01, 0x01, 0x02),
	V("duplicate text key", -EBADMSG, 0xa2, 0x61, 0x61, 0x01, 0x61, 0x61, 0x02),
	V("trailing byte", -EBADMSG, 0x01, 0x00),
	V("trailing after map", -EBADMSG, 0xa0, 0xa0),
	V("truncated bstr", -EBADMSG, 0x43, 0x01, 0x02),
	V("truncated head", -EBADMSG, 0x19, 0x01),
	V("truncated array", -EBADMSG, 0x82, 0x01),
	V("truncated map value", -EBADMSG, 0xa1, 0x01),
	V("huge bstr length", -E2BIG, 0x5b, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff),
	V("bstr over 64 KiB", -E2BIG, 0x5a, 0x00, 0x01, 0x00, 0x01),
	V("huge array", -E2BIG, 0x9b, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00),
	V("array over item cap", -E2BIG, 0x99, 0x01, 0x01),
	V("map over entry cap", -E2BIG, 0xb8, 0x41),
	V("non-minimal uint", -EBADMSG, 0x18, 0x05),
	V("non-minimal uint16", -EBADMSG, 0x19, 0x00, 0xff),
	V("non-minimal uint32", -EBADMSG, 0x1a, 0x00, 0x00, 0xff, 0xff),
	V("non-minimal uint64", -EBADMSG, 0x1b, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff),
	V("non-minimal length", -EBADMSG, 0x58, 0x01, 0x00),
	V("non-minimal tag", -EBADMSG, 0xd8, 0x05, 0x00),
	V("half float", -EBADMSG, 0xf9, 0x00, 0x00),
	V("double", -EBADMSG, 0xfb, 0, 0, 0, 0, 0, 0, 0, 0),
	V("undefined", -EBADMSG, 0xf7),
	V("unassigned simple", -EBADMSG, 0xf8, 0x20),
	V("reserved ai", -EBADMSG, 0x1c),
	V("invalid utf8", -EBADMSG, 0x62, 0xc3, 0x28),
	V("overlong utf8", -EBADMSG, 0x62, 0xc0, 0x80),
	V("utf8 surrogate", -EBADMSG, 0x63, 0xed, 0xa0, 0x80),
	V("empty", -EBADMSG, 0x00), /* len patched to 0 below */
};

static void check_table(void)
{
	for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++) {
		const char *why = NULL;
		size_t len = strcmp(table[i].name, "empty") == 0 ? 0 : table[i].len;
		int rc = tzm__cbor_check(table[i].b, len, &why, NULL);
		if (rc != table[i].err) {
			fprintf(stderr, "case '%s': got %d (%s), want %d\n", table[i].name, rc,
				why ? why : "-", table[i].err);
		}
		ASSERT_EQ_INT(rc, table[i].err);
		ASSERT_TRUE(rc == 0 || why != NULL);
	}
}

static void check_depth(void)
{
	uint8_t buf[40];
	/* TZM_CBOR_MAX_DEPTH nested arrays around a leaf are fine, one more is not. */
	for (size_t depth = TZM_CBOR_MAX_DEPTH; depth <= TZM_CBOR_MAX_DEPTH + 1; depth++) {
		memset(buf, 0x81, depth);
		buf[depth] = 0x01;
		int rc = tzm__cbor_check(buf, depth + 1, NULL, NULL);
		ASSERT_EQ_INT(rc, (depth == TZM_CBOR_MAX_DEPTH ? 0 : -ELOOP));
	}
}

static void check_round_trip(void)
{
	static const int64_t ints[] = { 0,     1,     23,           24,           255, 256,
					65535, 65536, 4294967295LL, 4294967296LL, -1,  -24,
					-25,   -257,  INT64_MIN,    INT64_MAX };
	uint8_t buf[256];
	struct tzm_cbor_enc e;
	struct tzm_cbor_cur c;
	size_t len = 0, n = 0;

	tzm__cbor_enc_init(&e, buf, sizeof(buf));
	tzm__cbor_put_array(&e, sizeof(ints) / sizeof(ints[0]) + 2);
	for (size_t i = 0; i < sizeof(ints) / sizeof(ints[0]); i++) {
		tzm__cbor_put_int(&e, ints[i]);
	}
	tzm__cbor_put_tstr(&e, "sha-256");
	tzm__cbor_put_bstr(&e, "\x01\x02", 2);
	ASSERT_OK(tzm__cbor_enc_done(&e, &len));
	ASSERT_OK(tzm__cbor_check(buf, len, NULL, NULL));

	tzm__cbor_init(&c, buf, len);
	tzm__cbor_get_array(&c, &n);
	ASSERT_EQ_INT(n, sizeof(ints) / sizeof(ints[0]) + 2);
	for (size_t i = 0; i < sizeof(ints) / sizeof(ints[0]); i++) {
		int64_t v = 0;
		ASSERT_OK(tzm__cbor_get_int(&c, &v));
		ASSERT_EQ_INT(v, ints[i]);
	}
	struct tzm_span s;
	ASSERT_OK(tzm__cbor_get_tstr(&c, &s));
	ASSERT_TRUE(tzm__span_eq_str(s, "sha-256"));
	ASSERT_OK(tzm__cbor_get_bstr(&c, &s));
	ASSERT_EQ_INT(s.len, 2);
	ASSERT_EQ_INT(s.ptr[1], 2);
	ASSERT_OK(tzm__cbor_finish(&c));

	/* The error is sticky: a type mismatch fails this and every later call. */
	tzm__cbor_init(&c, buf, len);
	ASSERT_EQ_ERRNO(tzm__cbor_get_map(&c, &n), -EBADMSG);
	ASSERT_EQ_ERRNO(tzm__cbor_get_array(&c, &n), -EBADMSG);
	ASSERT_NOT_NULL(c.why);

	/* Short output buffer: encoder counts the size needed and reports -ENOSPC. */
	tzm__cbor_enc_init(&e, buf, 3);
	tzm__cbor_put_bstr(&e, "abcdef", 6);
	ASSERT_EQ_ERRNO(tzm__cbor_enc_done(&e, &len), -ENOSPC);
	ASSERT_EQ_INT(len, 7);

	/* Integers beyond int64 are refused by the signed getter. */
	static const uint8_t big[] = { 0x3b, 0x80, 0, 0, 0, 0, 0, 0, 0 };
	int64_t v = 0;
	tzm__cbor_init(&c, big, sizeof(big));
	ASSERT_EQ_ERRNO(tzm__cbor_get_int(&c, &v), -ERANGE);
}

struct cose_vec {
	const char *name;
	size_t len;
	uint8_t b[120];
};

#define SIG96 0x58, 0x60 /* bstr(96) head; the 96 bytes are the zero-initialised rest */
#define SIGLEN 98

static int decode(const uint8_t *b, size_t head_len, const char **why)
{
	struct tzm_cose_sign1 s;
	return tzm__cose_sign1_decode((struct tzm_span){ b, head_len + SIGLEN }, &s, why);
}

static void check_cose(void)
{
	const char *why = NULL;
	/* [<<{1: -35}>>, {}, h'a0', sig] */
	static const uint8_t good[128] = { 0xd2, 0x84, 0x44, 0xa1, 0x01, 0x38,
					   0x22, 0xa0, 0x41, 0xa0, SIG96 };
	ASSERT_EQ_INT(decode(good, 10, &why), 0);
	/* Same without tag 18. */
	ASSERT_EQ_ERRNO(decode(good + 1, 9, &why), -EBADMSG);
	/* crit header in the protected bucket: {1: -35, 2: [1]} */
	static const uint8_t crit[128] = { 0xd2, 0x84, 0x47, 0xa2, 0x01, 0x38, 0x22,
					   0x02, 0x81, 0x01, 0xa0, 0x41, 0xa0, SIG96 };
	ASSERT_EQ_ERRNO(decode(crit, 13, &why), -EBADMSG);
	ASSERT_NOT_NULL(why);
	ASSERT_STR_CONTAINS(why, "crit");
	/* crit in the unprotected bucket. */
	static const uint8_t ucrit[128] = { 0xd2, 0x84, 0x44, 0xa1, 0x01, 0x38, 0x22,
					    0xa1, 0x02, 0x81, 0x01, 0x41, 0xa0, SIG96 };
	ASSERT_EQ_ERRNO(decode(ucrit, 13, &why), -EBADMSG);
	/* alg repeated in the unprotected bucket. */
	static const uint8_t ualg[128] = { 0xd2, 0x84, 0x44, 0xa1, 0x01, 0x38, 0x22,
					   0xa1, 0x01, 0x38, 0x22, 0x41, 0xa0, SIG96 };
	ASSERT_EQ_ERRNO(decode(ualg, 13, &why), -EBADMSG);
	/* No alg at all. */
	static const uint8_t noalg[128] = { 0xd2, 0x84, 0x41, 0xa0, 0xa0, 0x41, 0xa0, SIG96 };
	ASSERT_EQ_ERRNO(decode(noalg, 7, &why), -EBADMSG);
	/* Unsupported alg -36 (ES512). */
	static const uint8_t es512[128] = { 0xd2, 0x84, 0x44, 0xa1, 0x01, 0x38,
					    0x23, 0xa0, 0x41, 0xa0, SIG96 };
	ASSERT_EQ_ERRNO(decode(es512, 10, &why), -ENOTSUP);
	/* ES256 with a 96-byte signature. */
	static const uint8_t es256[128] = { 0xd2, 0x84, 0x43, 0xa1, 0x01,
					    0x26, 0xa0, 0x41, 0xa0, SIG96 };
	ASSERT_EQ_ERRNO(decode(es256, 9, &why), -EBADMSG);
	ASSERT_NOT_NULL(why);
	ASSERT_STR_CONTAINS(why, "signature length");
	/* Detached (null) payload. */
	static const uint8_t det[128] = { 0xd2, 0x84, 0x44, 0xa1, 0x01,
					  0x38, 0x22, 0xa0, 0xf6, SIG96 };
	ASSERT_EQ_ERRNO(decode(det, 9, &why), -EBADMSG);
	/* Array of 5. */
	static const uint8_t five[128] = { 0xd2, 0x85, 0x44, 0xa1, 0x01, 0x38,
					   0x22, 0xa0, 0x41, 0xa0, 0x00, SIG96 };
	ASSERT_EQ_ERRNO(decode(five, 11, &why), -EBADMSG);
}

int main(void)
{
	check_table();
	check_depth();
	check_round_trip();
	check_cose();
	return test_result("attest_cbor");
}
