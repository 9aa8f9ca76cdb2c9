// SPDX-License-Identifier: BSD-2-Clause
/*
 * `tzm attest show`: prints every claim of both tokens, naming the keys we know and
 * printing byte strings in hex. Decoding is as strict as verification; the printer stops
 * at the first malformation and says where and why.
 */
#include "attest_int.h"
#include "cose.h"

#include <errno.h>
#include <inttypes.h>

enum names {
	N_NONE,
	N_REALM,
	N_PLATFORM,
	N_SW
};

static void print_item(FILE *out, struct tzm_cbor_cur *c, int indent, enum names names,
		       int64_t key);

static void print_map(FILE *out, struct tzm_cbor_cur *c, int indent, enum names names)
{
	size_t n = 0;
	tzm__cbor_get_map(c, &n);
	for (size_t i = 0; i < n && c->err == 0; i++) {
		enum tzm_cbor_major m = TZM_CBOR_UINT;
		int64_t key = 0;
		const char *name = NULL;
		fprintf(out, "%*s", indent, "");
		if (tzm__cbor_peek(c, &m) == 0 && (m == TZM_CBOR_UINT || m == TZM_CBOR_NINT)) {
			tzm__cbor_get_int(c, &key);
			name = names == N_SW         ? tzm__claim_name(key, TZM_CLAIM_SW_COMPONENT)
			       : names == N_REALM    ? tzm__claim_name(key, TZM_CLAIM_REALM)
			       : names == N_PLATFORM ? tzm__claim_name(key, TZM_CLAIM_PLATFORM)
						     : NULL;
			fprintf(out, "%" PRId64, key);
			if (name != NULL) {
				fprintf(out, " (%s)", name);
			}
		} else {
			print_item(out, c, 0, N_NONE, 0);
		}
		fprintf(out, ": ");
		enum names sub =
			names == N_PLATFORM && key == TZM_CCA_PLAT_SW_COMPONENTS ? N_SW : N_NONE;
		print_item(out, c, indent + 2, sub, key);
		fprintf(out, "\n");
	}
}

static void print_item(FILE *out, struct tzm_cbor_cur *c, int indent, enum names names, int64_t key)
{
	enum tzm_cbor_major m = TZM_CBOR_UINT;
	struct tzm_span s = { NULL, 0 };
	if (tzm__cbor_peek(c, &m) != 0) {
		return;
	}
	switch (m) {
	case TZM_CBOR_UINT:
	case TZM_CBOR_NINT: {
		int64_t v = 0;
		if (tzm__cbor_get_int(c, &v) == 0) {
			fprintf(out, "%" PRId64, v);
			if (key == TZM_CCA_PLAT_LIFECYCLE && names == N_NONE) {
				fprintf(out, " (0x%04" PRIx64 ")", (uint64_t)v);
			}
		}
		break;
	}
	case TZM_CBOR_BSTR:
		if (tzm__cbor_get_bstr(c, &s) == 0) {
			fprintf(out, "h'");
			tzm__fprint_hex(out, s.ptr, s.len);
			fprintf(out, "' (%zu bytes)", s.len);
		}
		break;
	case TZM_CBOR_TSTR:
		if (tzm__cbor_get_tstr(c, &s) == 0) {
			fputc('"', out);
			tzm__fprint_text(out, s.ptr, s.len); /* token text may hold escapes */
			fputc('"', out);
		}
		break;
	case TZM_CBOR_ARRAY: {
		size_t n = 0;
		tzm__cbor_get_array(c, &n);
		fprintf(out, "[\n");
		for (size_t i = 0; i < n && c->err == 0; i++) {
			fprintf(out, "%*s", indent + 2, "");
			print_item(out, c, indent + 2, names, key);
			fprintf(out, "\n");
		}
		fprintf(out, "%*s]", indent, "");
		break;
	}
	case TZM_CBOR_MAP:
		fprintf(out, "{\n");
		print_map(out, c, indent + 2, names == N_SW ? N_SW : N_NONE);
		fprintf(out, "%*s}", indent, "");
		break;
	case TZM_CBOR_TAG: {
		uint64_t tag = 0;
		tzm__cbor_get_tag(c, &tag);
		fprintf(out, "%" PRIu64 "(", tag);
		print_item(out, c, indent, names, key);
		fprintf(out, ")");
		break;
	}
	case TZM_CBOR_SIMPLE: {
		uint8_t v = 0;
		if (tzm__cbor_get_simple(c, &v) == 0) {
			fprintf(out, "%s", v == 20 ? "false" : v == 21 ? "true" : "null");
		}
		break;
	}
	}
}

static int show_token(FILE *out, const char *what, struct tzm_span tok, enum names names)
{
	struct tzm_cose_sign1 s;
	struct tzm_cbor_cur c;
	const char *why = NULL;
	int rc = tzm__cose_sign1_decode(tok, &s, &why);
	fprintf(out, "%s token (COSE_Sign1, %zu bytes)", what, tok.len);
	if (rc != 0 && rc != -ENOTSUP) {
		fprintf(out, ": malformed: %s\n", why ? why : "bad COSE_Sign1");
		return -EBADMSG;
	}
	fprintf(out, ", alg %" PRId64 " (%s):\n", s.alg,
		s.alg == TZM_ATTEST_ES384   ? "ES384"
		: s.alg == TZM_ATTEST_ES256 ? "ES256"
					    : "unsupported");
	rc = tzm__cbor_check(s.payload.ptr, s.payload.len, &why, NULL);
	if (rc != 0) {
		fprintf(out, "  claims malformed: %s\n", why ? why : "bad CBOR");
		return -EBADMSG;
	}
	tzm__cbor_init(&c, s.payload.ptr, s.payload.len);
	print_map(out, &c, 2, names);
	fprintf(out, "  signature: h'");
	tzm__fprint_hex(out, s.signature.ptr, s.signature.len);
	fprintf(out, "'\n");
	return tzm__cbor_finish(&c) == 0 ? 0 : -EBADMSG;
}

int tzm_attest_show(FILE *out, const void *token, size_t len)
{
	struct tzm_cca_parts parts;
	const char *why = NULL;
	size_t pos = 0;
	if (tzm__envelope_decode(token, len, &parts, &why, &pos) != 0) {
		fprintf(out, "malformed envelope at offset %zu: %s\n", pos, why ? why : "bad CBOR");
		return -EBADMSG;
	}
	fprintf(out, "envelope: %s\n",
		parts.envelope == TZM_ATTEST_ENV_CMW907 ? "CMW collection (tag 907)"
							: "legacy (tag 399)");
	int rc1 = show_token(out, "platform", parts.platform, N_PLATFORM);
	int rc2 = show_token(out, "realm", parts.realm, N_REALM);
	return rc1 != 0 ? rc1 : rc2;
}
