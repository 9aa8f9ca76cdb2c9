// SPDX-License-Identifier: BSD-2-Clause
/*
 * Structural reader of the WebAssembly binary format (core spec 1.0 + the reference-types
 * and bulk-memory encodings wasm2c accepts), only as deep as `tzm wasm build` needs:
 *
 *   "\0asm" | version 1 (u32 LE) | section*
 *   section = id (u8) | size (LEB128 u32) | contents (size bytes)
 *   ids 1..12 at most once each and in order (12, data count, belongs before 10);
 *   0 (custom) anywhere.
 *
 * Sections 1 (type), 2 (import), 5 (memory) and 7 (export) are decoded completely and must
 * end exactly at their size; the others are skipped by size (wasm2c validates them).
 * All reads go through one cursor with a sticky error.
 */
#include "module.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct cursor {
	const uint8_t *buf;
	size_t len;
	size_t pos;
	int err; /* sticky: first failure */
	char *msg;
	size_t msg_cap;
};

__attribute__((format(printf, 2, 3))) static void fail(struct cursor *c, const char *fmt, ...)
{
	if (c->err != 0) {
		return;
	}
	c->err = -EINVAL;
	int n = snprintf(c->msg, c->msg_cap, "byte %zu: ", c->pos);
	if (n < 0 || (size_t)n >= c->msg_cap) {
		return;
	}
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(c->msg + n, c->msg_cap - (size_t)n, fmt, ap);
	va_end(ap);
}

static uint8_t get_u8(struct cursor *c)
{
	if (c->err != 0) {
		return 0;
	}
	if (c->pos >= c->len) {
		fail(c, "unexpected end of module (truncated?)");
		return 0;
	}
	return c->buf[c->pos++];
}

/* unsigned LEB128, at most 5 bytes, no bits beyond 32 */
static uint32_t get_u32(struct cursor *c)
{
	uint32_t v = 0;
	for (unsigned shift = 0; shift < 35; shift += 7) {
		uint8_t b = get_u8(c);
		if (c->err != 0) {
			return 0;
		}
		if (shift == 28 && (b & 0x70) != 0) {
			fail(c, "integer too large");
			return 0;
		}
		v |= (uint32_t)(b & 0x7f) << shift;
		if ((b & 0x80) == 0) {
			return v;
		}
	}
	fail(c, "integer representation too long");
	return 0;
}

static const uint8_t *get_bytes(struct cursor *c, size_t n)
{
	if (c->err != 0) {
		return NULL;
	}
	if (n > c->len - c->pos) {
		fail(c, "length %zu runs past the end of its section or module", n);
		return NULL;
	}
	const uint8_t *p = c->buf + c->pos;
	c->pos += n;
	return p;
}

/* A name as a NUL-terminated copy; names with NUL bytes are refused (C strings later). */
static char *get_name(struct cursor *c)
{
	uint32_t n = get_u32(c);
	const uint8_t *p = get_bytes(c, n);
	if (p == NULL) {
		return NULL;
	}
	if (memchr(p, 0, n) != NULL) {
		fail(c, "name contains a NUL byte");
		return NULL;
	}
	char *s = malloc((size_t)n + 1);
	if (s == NULL) {
		c->err = -ENOMEM;
		return NULL;
	}
	memcpy(s, p, n);
	s[n] = '\0';
	return s;
}

static char valtype_letter(struct cursor *c, uint8_t t)
{
	switch (t) {
	case 0x7f:
		return 'i';
	case 0x7e:
		return 'I';
	case 0x7d:
		return 'f';
	case 0x7c:
		return 'F';
	case 0x7b:
		return 'v'; /* v128 */
	case 0x70:
		return 'r'; /* funcref */
	case 0x6f:
		return 'e'; /* externref */
	default:
		fail(c, "unknown value type 0x%02x", t);
		return '?';
	}
}

static void get_limits(struct cursor *c, uint32_t *min, bool *has_max, uint32_t *max)
{
	uint8_t flags = get_u8(c);
	if (flags > 1) {
		fail(c, "limits flags 0x%02x (shared or 64-bit memories are not supported)", flags);
		return;
	}
	*min = get_u32(c);
	*has_max = flags == 1;
	*max = *has_max ? get_u32(c) : 0;
	if (c->err == 0 && *has_max && *max < *min) {
		fail(c, "limits maximum %u below minimum %u", *max, *min);
	}
}

struct types {
	char (*sig)[TZM__WASM_MAX_SIG];
	uint32_t n;
};

static void read_types(struct cursor *c, struct types *t)
{
	uint32_t n = get_u32(c);
	if (c->err != 0) {
		return;
	}
	if (n > c->len - c->pos) { /* each type takes at least 3 bytes */
		fail(c, "type count %u exceeds the section", n);
		return;
	}
	t->sig = calloc(n ? n : 1, sizeof(*t->sig));
	if (t->sig == NULL) {
		c->err = -ENOMEM;
		return;
	}
	t->n = n;
	for (uint32_t i = 0; i < n && c->err == 0; i++) {
		if (get_u8(c) != 0x60 && c->err == 0) {
			fail(c, "type %u is not a function type", i);
			return;
		}
		size_t k = 0;
		for (int part = 0; part < 2 && c->err == 0; part++) {
			uint32_t cnt = get_u32(c);
			for (uint32_t j = 0; j < cnt && c->err == 0; j++) {
				char l = valtype_letter(c, get_u8(c));
				if (k + 2 >= TZM__WASM_MAX_SIG) {
					fail(c, "type %u has too many parameters or results", i);
					return;
				}
				t->sig[i][k++] = l;
			}
			if (part == 0) {
				t->sig[i][k++] = ':';
			}
		}
		t->sig[i][k] = '\0';
	}
}

static void read_imports(struct cursor *c, const struct types *t, struct tzm__wasm_module *m)
{
	uint32_t n = get_u32(c);
	if (c->err != 0) {
		return;
	}
	if (n > c->len - c->pos) {
		fail(c, "import count %u exceeds the section", n);
		return;
	}
	m->imports = calloc(n ? n : 1, sizeof(*m->imports));
	if (m->imports == NULL) {
		c->err = -ENOMEM;
		return;
	}
	for (uint32_t i = 0; i < n && c->err == 0; i++) {
		struct tzm__wasm_import *im = &m->imports[i];
		im->module = get_name(c);
		im->name = get_name(c);
		m->n_imports = i + 1; /* owned strings are freed from here on */
		im->kind = get_u8(c);
		uint32_t min = 0, max = 0;
		bool has_max = false;
		switch (im->kind) {
		case 0: {
			uint32_t ti = get_u32(c);
			if (c->err == 0 && ti >= t->n) {
				fail(c, "import %u uses type %u of %u", i, ti, t->n);
			} else if (c->err == 0) {
				memcpy(im->sig, t->sig[ti], sizeof(im->sig));
			}
			break;
		}
		case 1:
			(void)valtype_letter(c, get_u8(c));
			get_limits(c, &min, &has_max, &max);
			break;
		case 2:
			get_limits(c, &min, &has_max, &max);
			break;
		case 3:
			(void)valtype_letter(c, get_u8(c));
			if (get_u8(c) > 1 && c->err == 0) {
				fail(c, "import %u: bad global mutability", i);
			}
			break;
		default:
			fail(c, "import %u: unknown kind %u", i, im->kind);
		}
	}
}

static void read_memories(struct cursor *c, struct tzm__wasm_module *m)
{
	uint32_t n = get_u32(c);
	if (c->err == 0 && n > 1) {
		fail(c, "%u memories (multi-memory is not supported)", n);
	}
	if (c->err == 0 && n == 1) {
		m->has_memory = true;
		get_limits(c, &m->mem_min_pages, &m->mem_has_max, &m->mem_max_pages);
		if (c->err == 0 && (m->mem_min_pages > 65536 || m->mem_max_pages > 65536)) {
			fail(c, "memory limits above 65536 pages (4 GiB)");
		}
	}
}

static void read_exports(struct cursor *c, struct tzm__wasm_module *m)
{
	uint32_t n = get_u32(c);
	for (uint32_t i = 0; i < n && c->err == 0; i++) {
		char *name = get_name(c);
		uint8_t kind = get_u8(c);
		(void)get_u32(c);
		if (c->err == 0 && kind > 3) {
			fail(c, "export %u: unknown kind %u", i, kind);
		}
		if (c->err == 0 && strcmp(name, "_start") == 0 && kind == 0) {
			m->exports_start = true;
		}
		if (c->err == 0 && strcmp(name, "memory") == 0 && kind == 2) {
			m->exports_memory = true;
		}
		free(name);
	}
}

/* Section order of the spec: id -> rank (data count, 12, sits between 9 and 10). */
static int section_rank(uint8_t id)
{
	static const int rank[13] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 12, 10 };
	return id < 13 ? rank[id] : -1;
}

int tzm__wasm_module_parse(const uint8_t *buf, size_t len, struct tzm__wasm_module *m, char *err,
			   size_t err_cap)
{
	struct cursor c = { .buf = buf, .len = len, .msg = err, .msg_cap = err_cap };
	struct types types = { 0 };
	int last_rank = 0;

	memset(m, 0, sizeof(*m));
	if (err_cap > 0) {
		err[0] = '\0';
	}
	const uint8_t *hdr = get_bytes(&c, 8);
	if (hdr == NULL) {
		c.err = 0;
		fail(&c, "not a WebAssembly module: %zu bytes, shorter than the 8-byte header",
		     len);
		goto out;
	}
	if (memcmp(hdr, "\0asm", 4) != 0) {
		c.pos = 0;
		fail(&c, "not a WebAssembly module (no \\0asm magic)");
		goto out;
	}
	if (memcmp(hdr + 4, "\1\0\0\0", 4) != 0) {
		c.pos = 4;
		fail(&c, "WebAssembly binary version %u, expected 1",
		     (unsigned)hdr[4] | (unsigned)hdr[5] << 8 | (unsigned)hdr[6] << 16 |
			     (unsigned)hdr[7] << 24);
		goto out;
	}
	while (c.err == 0 && c.pos < c.len) {
		size_t start = c.pos;
		uint8_t id = get_u8(&c);
		uint32_t size = get_u32(&c);
		const uint8_t *body = get_bytes(&c, size);
		if (body == NULL) {
			break;
		}
		int rank = section_rank(id);
		if (rank < 0) {
			c.pos = start;
			fail(&c, "unknown section id %u", id);
			break;
		}
		if (id != 0 && rank <= last_rank) {
			c.pos = start;
			fail(&c, "section %u duplicated or out of order", id);
			break;
		}
		if (id != 0) {
			last_rank = rank;
		}
		/* decode the body with a cursor bounded by the section */
		struct cursor s = { .buf = buf,
				    .len = (size_t)(body - buf) + size,
				    .pos = (size_t)(body - buf),
				    .msg = err,
				    .msg_cap = err_cap };
		switch (id) {
		case 1:
			read_types(&s, &types);
			break;
		case 2:
			read_imports(&s, &types, m);
			break;
		case 5:
			read_memories(&s, m);
			break;
		case 7:
			read_exports(&s, m);
			break;
		default:
			s.pos = s.len;
		}
		if (s.err == 0 && s.pos != s.len) {
			fail(&s, "section %u has %zu bytes after its contents", id, s.len - s.pos);
		}
		c.err = s.err;
	}
out:
	free(types.sig);
	if (c.err != 0) {
		tzm__wasm_module_free(m);
	}
	return c.err;
}

void tzm__wasm_module_free(struct tzm__wasm_module *m)
{
	for (uint32_t i = 0; i < m->n_imports; i++) {
		free(m->imports[i].module);
		free(m->imports[i].name);
	}
	free(m->imports);
	memset(m, 0, sizeof(*m));
}
