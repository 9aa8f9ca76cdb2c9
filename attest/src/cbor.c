// SPDX-License-Identifier: BSD-2-Clause
/*
 * Strict CBOR cursor and encoder (see cbor.h for the accepted subset). This is the only
 * file in attest/ that does pointer arithmetic on untrusted bytes: every read goes through
 * read_head()/take(), which bounds-check against the cursor length first.
 *
 * Head layout (RFC 8949 §3):  | major:3 | ai:5 | argument (0, 1, 2, 4 or 8 bytes, BE) |
 *   ai 0..23 = argument itself, 24..27 = 1/2/4/8 following bytes, 28..30 reserved,
 *   31 = indefinite length / break.
 */
#include "cbor.h"

#include <errno.h>
#include <string.h>

void tzm__cbor_init(struct tzm_cbor_cur *c, const uint8_t *buf, size_t len)
{
	memset(c, 0, sizeof(*c));
	c->buf = buf;
	c->len = len;
	if (len > TZM_CBOR_MAX_INPUT) {
		tzm__cbor_fail(c, -E2BIG, "input larger than the size limit");
	}
}

int tzm__cbor_fail(struct tzm_cbor_cur *c, int err, const char *why)
{
	if (c->err == 0) {
		c->err = err;
		c->why = why;
		c->err_pos = c->pos;
	}
	return c->err;
}

bool tzm__cbor_at_end(const struct tzm_cbor_cur *c)
{
	return c->err == 0 && c->pos == c->len;
}

/* Returns a pointer to n bytes at the cursor and advances, or NULL (error set). */
static const uint8_t *take(struct tzm_cbor_cur *c, uint64_t n)
{
	if (c->err != 0) {
		return NULL;
	}
	if (n > c->len - c->pos) {
		tzm__cbor_fail(c, -EBADMSG, "truncated item (length runs past the end)");
		return NULL;
	}
	const uint8_t *p = c->buf + c->pos;
	c->pos += (size_t)n;
	return p;
}

/* Reads one head; enforces definite length, minimal argument, known simple values. */
static int read_head(struct tzm_cbor_cur *c, uint8_t *major, uint64_t *arg)
{
	const uint8_t *p = take(c, 1);
	if (p == NULL) {
		return c->err;
	}
	uint8_t ib = p[0];
	uint8_t ai = ib & 0x1f;
	*major = ib >> 5;
	if (ai < 24) {
		*arg = ai;
	} else if (ai <= 27) {
		size_t n = (size_t)1 << (ai - 24);
		const uint8_t *q = take(c, n);
		if (q == NULL) {
			return c->err;
		}
		uint64_t v = 0;
		for (size_t i = 0; i < n; i++) {
			v = (v << 8) | q[i];
		}
		static const uint64_t min_for[4] = { 24, 0x100, 0x10000, 0x100000000ull };
		if (*major == TZM_CBOR_SIMPLE && ai != 24) {
			return tzm__cbor_fail(c, -EBADMSG, "floating point value not allowed");
		}
		if (v < min_for[ai - 24]) {
			return tzm__cbor_fail(c, -EBADMSG, "non-minimal integer/length encoding");
		}
		*arg = v;
	} else if (ai == 31) {
		return tzm__cbor_fail(c, -EBADMSG, "indefinite length or break not allowed");
	} else {
		return tzm__cbor_fail(c, -EBADMSG, "reserved additional information value");
	}
	if (*major == TZM_CBOR_SIMPLE && !(*arg >= 20 && *arg <= 22)) {
		return tzm__cbor_fail(c, -EBADMSG, "simple value other than false/true/null");
	}
	if ((*major == TZM_CBOR_BSTR || *major == TZM_CBOR_TSTR) && *arg > TZM_CBOR_MAX_INPUT) {
		return tzm__cbor_fail(c, -E2BIG, "string length over the size limit");
	}
	if (*major == TZM_CBOR_ARRAY && *arg > TZM_CBOR_MAX_ARRAY) {
		return tzm__cbor_fail(c, -E2BIG, "array has too many items");
	}
	if (*major == TZM_CBOR_MAP && *arg > TZM_CBOR_MAX_MAP) {
		return tzm__cbor_fail(c, -E2BIG, "map has too many entries");
	}
	return 0;
}

static bool utf8_valid(const uint8_t *s, size_t n)
{
	size_t i = 0;
	while (i < n) {
		uint8_t b = s[i];
		size_t extra;
		uint32_t cp;
		if (b < 0x80) {
			i++;
			continue;
		} else if ((b & 0xe0) == 0xc0) {
			extra = 1;
			cp = b & 0x1f;
		} else if ((b & 0xf0) == 0xe0) {
			extra = 2;
			cp = b & 0x0f;
		} else if ((b & 0xf8) == 0xf0) {
			extra = 3;
			cp = b & 0x07;
		} else {
			return false;
		}
		if (extra > n - i - 1) {
			return false;
		}
		for (size_t k = 1; k <= extra; k++) {
			if ((s[i + k] & 0xc0) != 0x80) {
				return false;
			}
			cp = (cp << 6) | (s[i + k] & 0x3f);
		}
		static const uint32_t min_cp[4] = { 0, 0x80, 0x800, 0x10000 };
		if (cp < min_cp[extra] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
			return false;
		}
		i += extra + 1;
	}
	return true;
}

/* Validates one item recursively; depth counts enclosing containers and tags. */
static int check_item(struct tzm_cbor_cur *c, unsigned depth)
{
	uint8_t major = 0;
	uint64_t arg = 0;
	if (depth > TZM_CBOR_MAX_DEPTH) {
		return tzm__cbor_fail(c, -ELOOP, "nesting deeper than the limit");
	}
	if (read_head(c, &major, &arg) != 0) {
		return c->err;
	}
	switch (major) {
	case TZM_CBOR_UINT:
	case TZM_CBOR_NINT:
	case TZM_CBOR_SIMPLE:
		return 0;
	case TZM_CBOR_BSTR:
		take(c, arg);
		return c->err;
	case TZM_CBOR_TSTR: {
		const uint8_t *s = take(c, arg);
		if (s != NULL && !utf8_valid(s, (size_t)arg)) {
			c->pos -= (size_t)arg;
			return tzm__cbor_fail(c, -EBADMSG, "text string is not valid UTF-8");
		}
		return c->err;
	}
	case TZM_CBOR_TAG:
		return check_item(c, depth + 1);
	case TZM_CBOR_ARRAY:
		for (uint64_t i = 0; i < arg && c->err == 0; i++) {
			check_item(c, depth + 1);
		}
		return c->err;
	case TZM_CBOR_MAP: {
		struct tzm_span keys[TZM_CBOR_MAX_MAP];
		for (uint64_t i = 0; i < arg && c->err == 0; i++) {
			size_t start = c->pos;
			if (check_item(c, depth + 1) != 0) {
				break;
			}
			keys[i].ptr = c->buf + start;
			keys[i].len = c->pos - start;
			for (uint64_t k = 0; k < i; k++) {
				if (keys[k].len == keys[i].len &&
				    memcmp(keys[k].ptr, keys[i].ptr, keys[i].len) == 0) {
					c->pos = start;
					return tzm__cbor_fail(c, -EBADMSG, "duplicate map key");
				}
			}
			check_item(c, depth + 1);
		}
		return c->err;
	}
	default:
		return tzm__cbor_fail(c, -EBADMSG, "unknown major type");
	}
}

int tzm__cbor_check(const uint8_t *buf, size_t len, const char **why, size_t *err_pos)
{
	struct tzm_cbor_cur c;
	tzm__cbor_init(&c, buf, len);
	if (len == 0) {
		tzm__cbor_fail(&c, -EBADMSG, "empty input");
	}
	check_item(&c, 0);
	tzm__cbor_finish(&c);
	if (why != NULL) {
		*why = c.why;
	}
	if (err_pos != NULL) {
		*err_pos = c.err_pos;
	}
	return c.err;
}

int tzm__cbor_peek(struct tzm_cbor_cur *c, enum tzm_cbor_major *major)
{
	if (c->err == 0 && c->pos >= c->len) {
		return tzm__cbor_fail(c, -EBADMSG, "truncated input (item expected)");
	}
	if (c->err == 0) {
		*major = (enum tzm_cbor_major)(c->buf[c->pos] >> 5);
	}
	return c->err;
}

/* Reads a head and requires the given major type. */
static int expect(struct tzm_cbor_cur *c, uint8_t want, uint64_t *arg, const char *what)
{
	uint8_t major = 0;
	size_t start = c->pos;
	if (read_head(c, &major, arg) != 0) {
		return c->err;
	}
	if (major != want) {
		c->pos = start;
		return tzm__cbor_fail(c, -EBADMSG, what);
	}
	return 0;
}

int tzm__cbor_get_uint(struct tzm_cbor_cur *c, uint64_t *v)
{
	return expect(c, TZM_CBOR_UINT, v, "unsigned integer expected");
}

int tzm__cbor_get_int(struct tzm_cbor_cur *c, int64_t *v)
{
	enum tzm_cbor_major m = TZM_CBOR_UINT;
	uint64_t arg = 0;
	if (tzm__cbor_peek(c, &m) != 0) {
		return c->err;
	}
	if (m != TZM_CBOR_UINT && m != TZM_CBOR_NINT) {
		return tzm__cbor_fail(c, -EBADMSG, "integer expected");
	}
	if (expect(c, (uint8_t)m, &arg, "integer expected") != 0) {
		return c->err;
	}
	if (arg > INT64_MAX) {
		return tzm__cbor_fail(c, -ERANGE, "integer out of range");
	}
	*v = m == TZM_CBOR_UINT ? (int64_t)arg : -1 - (int64_t)arg;
	return 0;
}

static int get_string(struct tzm_cbor_cur *c, uint8_t major, struct tzm_span *s)
{
	uint64_t n = 0;
	if (expect(c, major, &n,
		   major == TZM_CBOR_BSTR ? "byte string expected" : "text string expected") != 0) {
		return c->err;
	}
	const uint8_t *p = take(c, n);
	if (p == NULL) {
		return c->err;
	}
	if (major == TZM_CBOR_TSTR && !utf8_valid(p, (size_t)n)) {
		return tzm__cbor_fail(c, -EBADMSG, "text string is not valid UTF-8");
	}
	s->ptr = p;
	s->len = (size_t)n;
	return 0;
}

int tzm__cbor_get_bstr(struct tzm_cbor_cur *c, struct tzm_span *s)
{
	return get_string(c, TZM_CBOR_BSTR, s);
}

int tzm__cbor_get_tstr(struct tzm_cbor_cur *c, struct tzm_span *s)
{
	return get_string(c, TZM_CBOR_TSTR, s);
}

int tzm__cbor_get_array(struct tzm_cbor_cur *c, size_t *n)
{
	uint64_t v = 0;
	if (expect(c, TZM_CBOR_ARRAY, &v, "array expected") == 0) {
		*n = (size_t)v;
	}
	return c->err;
}

int tzm__cbor_get_map(struct tzm_cbor_cur *c, size_t *n)
{
	uint64_t v = 0;
	if (expect(c, TZM_CBOR_MAP, &v, "map expected") == 0) {
		*n = (size_t)v;
	}
	return c->err;
}

int tzm__cbor_get_tag(struct tzm_cbor_cur *c, uint64_t *tag)
{
	return expect(c, TZM_CBOR_TAG, tag, "tag expected");
}

int tzm__cbor_get_simple(struct tzm_cbor_cur *c, uint8_t *simple)
{
	uint64_t v = 0;
	if (expect(c, TZM_CBOR_SIMPLE, &v, "simple value expected") == 0) {
		*simple = (uint8_t)v;
	}
	return c->err;
}

int tzm__cbor_skip(struct tzm_cbor_cur *c, struct tzm_span *raw)
{
	size_t start = c->pos;
	if (check_item(c, 0) == 0 && raw != NULL) {
		raw->ptr = c->buf + start;
		raw->len = c->pos - start;
	}
	return c->err;
}

int tzm__cbor_finish(struct tzm_cbor_cur *c)
{
	if (c->err == 0 && c->pos != c->len) {
		return tzm__cbor_fail(c, -EBADMSG, "trailing bytes after the item");
	}
	return c->err;
}

bool tzm__span_eq_str(struct tzm_span s, const char *str)
{
	size_t n = strlen(str);
	return s.len == n && memcmp(s.ptr, str, n) == 0;
}

/* ---- encoder ---- */

void tzm__cbor_enc_init(struct tzm_cbor_enc *e, uint8_t *buf, size_t cap)
{
	e->buf = buf;
	e->cap = buf == NULL ? 0 : cap;
	e->len = 0;
	e->err = 0;
}

void tzm__cbor_put_raw(struct tzm_cbor_enc *e, const void *p, size_t n)
{
	size_t end = 0;
	if (__builtin_add_overflow(e->len, n, &end)) {
		e->err = -EOVERFLOW;
		return;
	}
	if (end <= e->cap && n > 0) {
		memcpy(e->buf + e->len, p, n);
	} else if (end > e->cap && e->err == 0) {
		e->err = -ENOSPC;
	}
	e->len = end;
}

static void put_head(struct tzm_cbor_enc *e, uint8_t major, uint64_t v)
{
	uint8_t h[9];
	size_t n = 1;
	if (v < 24) {
		h[0] = (uint8_t)(major << 5 | v);
	} else {
		unsigned ai = v <= 0xff ? 24 : v <= 0xffff ? 25 : v <= 0xffffffffull ? 26 : 27;
		size_t bytes = (size_t)1 << (ai - 24);
		h[0] = (uint8_t)(major << 5 | ai);
		for (size_t i = 0; i < bytes; i++) {
			h[1 + i] = (uint8_t)(v >> (8 * (bytes - 1 - i)));
		}
		n += bytes;
	}
	tzm__cbor_put_raw(e, h, n);
}

void tzm__cbor_put_uint(struct tzm_cbor_enc *e, uint64_t v)
{
	put_head(e, TZM_CBOR_UINT, v);
}

void tzm__cbor_put_int(struct tzm_cbor_enc *e, int64_t v)
{
	if (v >= 0) {
		put_head(e, TZM_CBOR_UINT, (uint64_t)v);
	} else {
		put_head(e, TZM_CBOR_NINT, (uint64_t)(-1 - v));
	}
}

void tzm__cbor_put_bstr(struct tzm_cbor_enc *e, const void *p, size_t n)
{
	put_head(e, TZM_CBOR_BSTR, n);
	tzm__cbor_put_raw(e, p, n);
}

void tzm__cbor_put_tstr(struct tzm_cbor_enc *e, const char *s)
{
	size_t n = strlen(s);
	put_head(e, TZM_CBOR_TSTR, n);
	tzm__cbor_put_raw(e, s, n);
}

void tzm__cbor_put_array(struct tzm_cbor_enc *e, size_t n)
{
	put_head(e, TZM_CBOR_ARRAY, n);
}

void tzm__cbor_put_map(struct tzm_cbor_enc *e, size_t n)
{
	put_head(e, TZM_CBOR_MAP, n);
}

void tzm__cbor_put_tag(struct tzm_cbor_enc *e, uint64_t tag)
{
	put_head(e, TZM_CBOR_TAG, tag);
}

int tzm__cbor_enc_done(const struct tzm_cbor_enc *e, size_t *len)
{
	if (len != NULL) {
		*len = e->len;
	}
	return e->err;
}
