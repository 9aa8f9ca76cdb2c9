// SPDX-License-Identifier: BSD-2-Clause
/*
 * Reference-value files: one entry per line, "KIND HEX", '#' starts a comment.
 *
 *   # the TA we expect (SHA-256 of its .ta file)
 *   rim 3f1c...e0
 *   sw  0706...18        # any number of acceptable values per kind
 *   wasm-module 9b2e...  # a Wasm TA's module (SHA-256 of the .wasm, in the RPV)
 *
 * KIND is one of the names in TZM_ATTEST_REFVAL_KINDS; HEX is 1..64 bytes.
 */
#include "attest_int.h"

#include <errno.h>
#include <string.h>

static const char *const kind_names[] = {
#define X(name, key) key,
	TZM_ATTEST_REFVAL_KINDS(X)
#undef X
};

_Static_assert(sizeof(kind_names) / sizeof(kind_names[0]) == TZM_ATTEST_RV_COUNT, "kinds");

static int hexval(char ch)
{
	if (ch >= '0' && ch <= '9') {
		return ch - '0';
	}
	if (ch >= 'a' && ch <= 'f') {
		return ch - 'a' + 10;
	}
	if (ch >= 'A' && ch <= 'F') {
		return ch - 'A' + 10;
	}
	return -1;
}

static bool is_space(char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\r';
}

/* Parses one line (without '\n'); returns NULL or a static error text. */
static const char *parse_line(const char *s, size_t n, struct tzm_attest_refvals *rv)
{
	size_t i = 0, k0, k1, h0, h1;
	for (size_t j = 0; j < n; j++) {
		if (s[j] == '#') {
			n = j;
			break;
		}
	}
	while (i < n && is_space(s[i])) {
		i++;
	}
	if (i == n) {
		return NULL; /* blank or comment */
	}
	k0 = i;
	while (i < n && !is_space(s[i])) {
		i++;
	}
	k1 = i;
	while (i < n && is_space(s[i])) {
		i++;
	}
	h0 = i;
	while (i < n && !is_space(s[i])) {
		i++;
	}
	h1 = i;
	while (i < n && is_space(s[i])) {
		i++;
	}
	if (i != n) {
		return "extra text after the value";
	}
	size_t kind = TZM_ATTEST_RV_COUNT;
	for (size_t k = 0; k < TZM_ATTEST_RV_COUNT; k++) {
		if (strlen(kind_names[k]) == k1 - k0 &&
		    memcmp(kind_names[k], s + k0, k1 - k0) == 0) {
			kind = k;
		}
	}
	if (kind == TZM_ATTEST_RV_COUNT) {
		return "unknown kind (expected rim, rem0..rem3, rpv, implementation-id, "
		       "instance-id, sw, wasm-module)";
	}
	size_t hl = h1 - h0;
	if (hl == 0 || hl % 2 != 0 || hl / 2 > TZM_ATTEST_MAX_DIGEST) {
		return "value must be 1..64 bytes of hex";
	}
	if (rv->count >= TZM_ATTEST_MAX_REFVALS) {
		return "too many reference values";
	}
	uint8_t *out = rv->entry[rv->count].value;
	for (size_t j = 0; j < hl / 2; j++) {
		int hi = hexval(s[h0 + 2 * j]), lo = hexval(s[h0 + 2 * j + 1]);
		if (hi < 0 || lo < 0) {
			return "value is not hex";
		}
		out[j] = (uint8_t)(hi << 4 | lo);
	}
	rv->entry[rv->count].kind = (enum tzm_attest_refval_kind)kind;
	rv->entry[rv->count].len = hl / 2;
	rv->count++;
	return NULL;
}

int tzm_attest_refvals_parse(const char *text, size_t len, struct tzm_attest_refvals *rv, char *err,
			     size_t err_cap)
{
	size_t start = 0, line = 1;
	if (rv == NULL || (text == NULL && len != 0)) {
		return -EINVAL;
	}
	memset(rv, 0, sizeof(*rv));
	while (start < len) {
		const char *nl = memchr(text + start, '\n', len - start);
		size_t end = nl != NULL ? (size_t)(nl - text) : len;
		const char *why = memchr(text + start, '\0', end - start) != NULL
					  ? "NUL byte in the file"
					  : parse_line(text + start, end - start, rv);
		if (why != NULL) {
			if (err != NULL && err_cap > 0) {
				snprintf(err, err_cap, "line %zu: %s", line, why);
			}
			return -EINVAL;
		}
		start = end + 1;
		line++;
	}
	return 0;
}

int tzm_attest_refvals_load(const char *path, struct tzm_attest_refvals *rv, char *err,
			    size_t err_cap)
{
	char buf[32 * 1024];
	size_t n = 0;
	FILE *f = fopen(path, "r");
	if (f == NULL) {
		int e = errno;
		snprintf(err, err_cap, "%s: %s", path, strerror(e));
		return -e;
	}
	n = fread(buf, 1, sizeof(buf), f);
	bool too_big = n == sizeof(buf) && fgetc(f) != EOF;
	bool failed = ferror(f) != 0;
	fclose(f);
	if (too_big || failed) {
		snprintf(err, err_cap, "%s: %s", path, too_big ? "file too large" : "read error");
		return too_big ? -EFBIG : -EIO;
	}
	char msg[160] = "";
	int rc = tzm_attest_refvals_parse(buf, n, rv, msg, sizeof(msg));
	if (rc != 0) {
		snprintf(err, err_cap, "%s: %s", path, msg);
	}
	return rc;
}
