// SPDX-License-Identifier: BSD-2-Clause
/*
 * Verification reports: findings, status and their printing for people and as JSON.
 * Names, severities and texts come from the TZM_ATTEST_REASONS X-macro only.
 */
#include "attest_int.h"

#include <stdarg.h>
#include <string.h>

static const struct {
	const char *name;
	enum tzm_attest_status severity;
	const char *text;
} reasons[] = {
#define X(NAME, name, sev, text) { #name, TZM_ATTEST_##sev, text },
	TZM_ATTEST_REASONS(X)
#undef X
};

_Static_assert(sizeof(reasons) / sizeof(reasons[0]) == TZM_ATTEST_R_COUNT, "reason table");

const char *tzm_attest_status_name(enum tzm_attest_status s)
{
	switch (s) {
	case TZM_ATTEST_AFFIRMING:
		return "affirming";
	case TZM_ATTEST_WARNING:
		return "warning";
	case TZM_ATTEST_CONTRAINDICATED:
		return "contraindicated";
	}
	return "unknown";
}

const char *tzm_attest_reason_name(enum tzm_attest_reason r)
{
	return (unsigned)r < TZM_ATTEST_R_COUNT ? reasons[r].name : "unknown";
}

const char *tzm_attest_reason_text(enum tzm_attest_reason r)
{
	return (unsigned)r < TZM_ATTEST_R_COUNT ? reasons[r].text : "unknown reason";
}

void tzm__finding(struct tzm_attest_report *r, enum tzm_attest_reason reason, const char *fmt, ...)
{
	enum tzm_attest_status sev = reasons[reason].severity;
	if (sev > r->status) {
		r->status = sev;
	}
	if (r->num_findings < TZM_ATTEST_MAX_FINDINGS) {
		struct tzm_attest_finding *f = &r->findings[r->num_findings];
		va_list ap;
		f->reason = reason;
		f->severity = sev;
		va_start(ap, fmt);
		vsnprintf(f->detail, sizeof(f->detail), fmt, ap);
		va_end(ap);
	}
	r->num_findings++;
}

void tzm__hex(char *out, size_t cap, const uint8_t *p, size_t n)
{
	static const char digits[] = "0123456789abcdef";
	size_t o = 0;
	if (cap == 0) {
		return;
	}
	for (size_t i = 0; i < n; i++) {
		if (o + 3 > cap) {
			if (cap >= 4) {
				memcpy(out + cap - 4, "...", 3);
				o = cap - 1;
			}
			break;
		}
		out[o++] = digits[p[i] >> 4];
		out[o++] = digits[p[i] & 15];
	}
	out[o] = '\0';
}

void tzm__fprint_hex(FILE *f, const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		fprintf(f, "%02x", p[i]);
	}
}

/* C1 controls U+0080..U+009F are encoded as 0xC2 0x80..0x9F in UTF-8. */
static size_t control_len(const uint8_t *p, size_t n)
{
	if (p[0] < 0x20 || p[0] == 0x7f) {
		return 1;
	}
	if (n >= 2 && p[0] == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f) {
		return 2;
	}
	return 0;
}

bool tzm__text_is_printable(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (control_len(p + i, n - i) != 0) {
			return false;
		}
	}
	return true;
}

void tzm__fprint_text(FILE *f, const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		size_t c = control_len(p + i, n - i);
		if (c == 0) {
			fputc(p[i], f);
			continue;
		}
		for (size_t k = 0; k < c; k++) {
			fprintf(f, "\\x%02x", p[i + k]);
		}
		i += c - 1;
	}
}

static size_t stored_findings(const struct tzm_attest_report *r)
{
	return r->num_findings < TZM_ATTEST_MAX_FINDINGS ? r->num_findings
							 : TZM_ATTEST_MAX_FINDINGS;
}

void tzm_attest_report_print(FILE *out, const struct tzm_attest_report *r)
{
	fprintf(out, "status: %s\n", tzm_attest_status_name(r->status));
	fprintf(out, "envelope: %s\n",
		r->envelope == TZM_ATTEST_ENV_CMW907      ? "CMW collection (tag 907)"
		: r->envelope == TZM_ATTEST_ENV_LEGACY399 ? "legacy (tag 399)"
							  : "not decoded");
	fprintf(out, "realm signature: %s\n", r->realm_signature_ok ? "valid" : "NOT verified");
	fprintf(out, "platform signature: %s\n",
		r->platform_signature_ok ? "valid" : "NOT verified");
	if (r->realm_decoded) {
		fprintf(out, "realm: profile %s, measurements %s\n",
			r->realm.profile[0] ? r->realm.profile : "(none, legacy)",
			r->realm.measurement_alg[0] ? r->realm.measurement_alg : "?");
		fprintf(out, "  RIM  ");
		tzm__fprint_hex(out, r->realm.rim, r->realm.digest_len);
		fprintf(out, "\n");
	}
	if (r->platform_decoded) {
		fprintf(out, "platform: profile %s, lifecycle 0x%04llx, %zu software components\n",
			r->platform.profile, (unsigned long long)r->platform.lifecycle,
			r->platform.num_sw);
	}
	if (r->num_findings == 0) {
		fprintf(out, "no findings\n");
	}
	for (size_t i = 0; i < stored_findings(r); i++) {
		fprintf(out, "%s: %s: %s\n", tzm_attest_status_name(r->findings[i].severity),
			tzm_attest_reason_name(r->findings[i].reason), r->findings[i].detail);
	}
	if (r->num_findings > stored_findings(r)) {
		fprintf(out, "... %zu more findings\n", r->num_findings - stored_findings(r));
	}
}

static void json_str(FILE *out, const char *s)
{
	fputc('"', out);
	for (; *s != '\0'; s++) {
		unsigned char ch = (unsigned char)*s;
		if (ch == '"' || ch == '\\') {
			fprintf(out, "\\%c", ch);
		} else if (ch < 0x20) {
			fprintf(out, "\\u%04x", ch);
		} else {
			fputc(ch, out);
		}
	}
	fputc('"', out);
}

static void json_hex(FILE *out, const char *key, const uint8_t *p, size_t n)
{
	fprintf(out, ",\"%s\":\"", key);
	tzm__fprint_hex(out, p, n);
	fputc('"', out);
}

void tzm_attest_report_print_json(FILE *out, const struct tzm_attest_report *r)
{
	fprintf(out, "{\"status\":\"%s\",\"envelope\":%d", tzm_attest_status_name(r->status),
		(int)r->envelope);
	fprintf(out, ",\"realm_signature\":%s,\"platform_signature\":%s",
		r->realm_signature_ok ? "true" : "false",
		r->platform_signature_ok ? "true" : "false");
	fprintf(out, ",\"reasons\":[");
	for (size_t i = 0; i < stored_findings(r); i++) {
		fprintf(out, "%s{\"reason\":\"%s\",\"severity\":\"%s\",\"detail\":", i ? "," : "",
			tzm_attest_reason_name(r->findings[i].reason),
			tzm_attest_status_name(r->findings[i].severity));
		json_str(out, r->findings[i].detail);
		fputc('}', out);
	}
	fputc(']', out);
	if (r->realm_decoded) {
		const struct tzm_attest_realm_claims *c = &r->realm;
		fprintf(out, ",\"realm\":{\"profile\":");
		json_str(out, c->profile);
		fprintf(out, ",\"measurement_alg\":");
		json_str(out, c->measurement_alg);
		json_hex(out, "challenge", c->challenge, sizeof(c->challenge));
		json_hex(out, "rpv", c->rpv, sizeof(c->rpv));
		json_hex(out, "rim", c->rim, c->digest_len);
		fprintf(out, ",\"rems\":[");
		for (size_t i = 0; i < TZM_ATTEST_NUM_REMS; i++) {
			fprintf(out, "%s\"", i ? "," : "");
			tzm__fprint_hex(out, c->rem[i], c->digest_len);
			fputc('"', out);
		}
		fprintf(out, "]");
		json_hex(out, "public_key", c->rak, sizeof(c->rak));
		fputc('}', out);
	}
	if (r->platform_decoded) {
		const struct tzm_attest_platform_claims *p = &r->platform;
		fprintf(out, ",\"platform\":{\"profile\":");
		json_str(out, p->profile);
		fprintf(out, ",\"lifecycle\":%llu", (unsigned long long)p->lifecycle);
		json_hex(out, "implementation_id", p->implementation_id,
			 sizeof(p->implementation_id));
		json_hex(out, "instance_id", p->instance_id, sizeof(p->instance_id));
		fprintf(out, ",\"software_components\":[");
		for (size_t i = 0; i < p->num_sw; i++) {
			fprintf(out, "%s{\"type\":", i ? "," : "");
			json_str(out, p->sw[i].type);
			json_hex(out, "measurement", p->sw[i].measurement,
				 p->sw[i].measurement_len);
			fputc('}', out);
		}
		fprintf(out, "]}");
	}
	fprintf(out, "}\n");
}
