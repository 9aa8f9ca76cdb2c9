/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * tzm-wire-doc: writes the tables of docs/wire-protocol.md from tzm_wire.h, the wire's one
 * source, so the page cannot drift from the code. The page holds named blocks
 *
 *   <!-- BEGIN tzm-wire-doc NAME -->
 *   ...generated, do not edit...
 *   <!-- END tzm-wire-doc NAME -->
 *
 * for NAME in limits, errnos, errsets, ops. `--check FILE` fails (exit 1) if any block
 * differs from what this build generates or is missing; `--update FILE` rewrites the
 * blocks in place (the `wire-doc` build target). Everything outside the blocks is prose
 * and stays as written.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <tzm/tzm_wire.h>

#define DOC_MAX (1024u * 1024u)
#define BEGIN_MARK "<!-- BEGIN tzm-wire-doc "
#define END_MARK "<!-- END tzm-wire-doc "
#define MARK_TAIL " -->"

struct errset_bits {
	uint64_t w[TZM_WIRE_ERRNO_WORDS];
};

static const struct {
	const char *name;
	int num;
} wire_errnos[] = {
#define DOC_ERRNO(name, num) { #name, num },
	TZM_WIRE_ERRNOS(DOC_ERRNO)
#undef DOC_ERRNO
};
#define N_ERRNOS (sizeof(wire_errnos) / sizeof(wire_errnos[0]))

static const struct {
	const char *name;
	struct errset_bits bits;
} errsets[] = {
#define DOC_ERRSET(set)                                                                            \
	{ #set,                                                                                    \
	  { { TZM_WIRE_ERRSET_WORD(set, 0), TZM_WIRE_ERRSET_WORD(set, 1),                          \
	      TZM_WIRE_ERRSET_WORD(set, 2) } } },
	TZM_WIRE_ERRSETS(DOC_ERRSET)
#undef DOC_ERRSET
};
#define N_ERRSETS (sizeof(errsets) / sizeof(errsets[0]))

static const struct {
	const char *name;
	int num;
	const char *set;
	uint32_t flags;
	const char *in;
	const char *out;
} ops[] = {
#define DOC_OP(name, num, set, flags, in, out) { #name, num, #set, flags, in, out },
	TZM_WIRE_OPS(DOC_OP)
#undef DOC_OP
};
#define N_OPS (sizeof(ops) / sizeof(ops[0]))
static_assert(N_OPS == TZM_OP__COUNT, "one row per opcode");

static bool has(const struct errset_bits *b, int num)
{
	return (b->w[num / 64] >> (num % 64)) & 1u;
}

/* A comma-separated list wrapped before `width` columns (0: one line, for a table row). */
struct list_out {
	FILE *f;
	size_t width;
	size_t col;
	bool first;
};

static void list_item(struct list_out *l, const char *item)
{
	size_t n = strlen(item);

	if (!l->first) {
		if (l->width && l->col + 2 + n > l->width) {
			fputs(",\n", l->f);
			l->col = 0;
		} else {
			fputs(", ", l->f);
			l->col += 2;
		}
	}
	fputs(item, l->f);
	l->col += n;
	l->first = false;
}

/* 262144 -> "256 KiB" */
static void put_size(FILE *f, unsigned long v)
{
	if (v >= 1024u * 1024u && v % (1024u * 1024u) == 0) {
		fprintf(f, "%lu MiB", v / (1024u * 1024u));
	} else if (v >= 1024u && v % 1024u == 0) {
		fprintf(f, "%lu KiB", v / 1024u);
	} else {
		fprintf(f, "%lu B", v);
	}
}

static void gen_limits(FILE *f)
{
	static const struct {
		const char *name;
		unsigned long value;
		bool bytes;
		const char *what;
	} rows[] = {
		{ "TZM_WIRE_VERSION", TZM_WIRE_VERSION, false, "protocol version (ctrl line 0)" },
		{ "TZM_WIRE_MAX_LANES", TZM_WIRE_MAX_LANES, false,
		  "lanes: TA threads with calls (v3)" },
		{ "TZM_WIRE_LANE_SLOTS", TZM_WIRE_LANE_SLOTS, false, "call slots per lane (v3)" },
		{ "TZM_WIRE_SLOTS", TZM_WIRE_SLOTS, false, "call slots (all lanes)" },
		{ "TZM_WIRE_RING", TZM_WIRE_RING, false, "entries per ring" },
		{ "TZM_WIRE_LANE_DATA", TZM_WIRE_LANE_DATA, true,
		  "data area per lane (lanes = size / it)" },
		{ "TZM_WIRE_CTRL_SIZE", TZM_WIRE_CTRL_SIZE, true, "ctrl page" },
		{ "TZM_WIRE_DATA_MIN", TZM_WIRE_DATA_MIN, true, "smallest data area" },
		{ "TZM_WIRE_DATA_DEFAULT", TZM_WIRE_DATA_DEFAULT, true, "default data area" },
		{ "TZM_WIRE_DATA_MAX", TZM_WIRE_DATA_MAX, true, "largest data area" },
		{ "TZM_WIRE_MAX_ARGS", TZM_WIRE_MAX_ARGS, false, "request arguments a0..a5" },
		{ "TZM_WIRE_MAX_FDS", TZM_WIRE_MAX_FDS, false, "TA descriptors 0..n-1" },
		{ "TZM_WIRE_MAX_PATH", TZM_WIRE_MAX_PATH, true, "largest path, its NUL included" },
		{ "TZM_WIRE_MAX_SOCKADDR", TZM_WIRE_MAX_SOCKADDR, true, "largest socket address" },
		{ "TZM_WIRE_MAX_AI", TZM_WIRE_MAX_AI, false, "addrinfo results per call" },
		{ "TZM_WIRE_MAX_POLLFDS", TZM_WIRE_MAX_POLLFDS, false, "pollfds per call" },
		{ "TZM_WIRE_MAX_EVENTS", TZM_WIRE_MAX_EVENTS, false, "epoll events per call" },
		{ "TZM_WIRE_MAX_ARGV", TZM_WIRE_MAX_ARGV, false, "argc in the start record" },
		{ "TZM_WIRE_MAX_IFS", TZM_WIRE_MAX_IFS, false,
		  "getifaddrs / if_nameindex records per answer" },
		{ "TZM_WIRE_IF_VERSION", TZM_WIRE_IF_VERSION, false,
		  "layout of those records (aux0 of the answer)" },
	};
	static const struct {
		const char *name;
		size_t size;
	} records[] = {
		{ "tzm_wire_req", sizeof(struct tzm_wire_req) },
		{ "tzm_wire_resp", sizeof(struct tzm_wire_resp) },
		{ "tzm_wire_slot", sizeof(struct tzm_wire_slot) },
		{ "tzm_wire_setup", sizeof(struct tzm_wire_setup) },
		{ "tzm_wire_stat", sizeof(struct tzm_wire_stat) },
		{ "tzm_wire_dirent", sizeof(struct tzm_wire_dirent) },
		{ "tzm_wire_pollfd", sizeof(struct tzm_wire_pollfd) },
		{ "tzm_wire_epoll_event", sizeof(struct tzm_wire_epoll_event) },
		{ "tzm_wire_ai", sizeof(struct tzm_wire_ai) },
		{ "tzm_wire_utsname", sizeof(struct tzm_wire_utsname) },
		{ "tzm_wire_ifaddr", sizeof(struct tzm_wire_ifaddr) },
		{ "tzm_wire_ifindex", sizeof(struct tzm_wire_ifindex) },
	};
	struct list_out l = { f, 92, 0, true };

	fprintf(f, "| constant | value | |\n|---|---|---|\n");
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		fprintf(f, "| `%s` | ", rows[i].name);
		if (rows[i].bytes) {
			put_size(f, rows[i].value);
		} else {
			fprintf(f, "%lu", rows[i].value);
		}
		fprintf(f, " | %s |\n", rows[i].what);
	}
	fprintf(f, "\nRecord sizes (`static_assert`ed in the header):\n");
	for (size_t i = 0; i < sizeof(records) / sizeof(records[0]); i++) {
		char item[64];

		snprintf(item, sizeof(item), "`%s` %zu B", records[i].name, records[i].size);
		list_item(&l, item);
	}
	fprintf(f, ".\n");
}

static void gen_errnos(FILE *f)
{
	struct list_out l = { f, 92, 0, true };

	for (size_t i = 0; i < N_ERRNOS; i++) {
		char item[48];

		snprintf(item, sizeof(item), "`%s` %d", wire_errnos[i].name, wire_errnos[i].num);
		list_item(&l, item);
	}
	fprintf(f, ".\n");
}

static bool subset(const struct errset_bits *a, const struct errset_bits *b)
{
	for (size_t w = 0; w < TZM_WIRE_ERRNO_WORDS; w++) {
		if (a->w[w] & ~b->w[w]) {
			return false;
		}
	}
	return true;
}

static void gen_errsets(FILE *f)
{
	const struct errset_bits *common = &errsets[0].bits;

	fprintf(f, "| set | errno values |\n|---|---|\n");
	for (size_t i = 0; i < N_ERRSETS; i++) {
		const struct errset_bits *b = &errsets[i].bits;
		bool extends = i > 0 && subset(common, b);

		struct list_out l = { f, 0, 0, true }; /* a table row: one line */

		fprintf(f, "| `%s` | ", errsets[i].name);
		if (extends && memcmp(b, common, sizeof(*b)) == 0) {
			fprintf(f, "`COMMON`");
		} else {
			fprintf(f, "%s", extends ? "`COMMON` + " : "");
			for (size_t e = 0; e < N_ERRNOS; e++) {
				int num = wire_errnos[e].num;
				char item[48];

				if (!has(b, num) || (extends && has(common, num))) {
					continue;
				}
				snprintf(item, sizeof(item), "`%s`", wire_errnos[e].name);
				list_item(&l, item);
			}
		}
		fprintf(f, " |\n");
	}
}

/* The flags column's words, as the prose above the table explains them. */
static const struct {
	uint32_t flag;
	const char *word;
} op_flags[] = {
	{ TZM_OPF_INTR, "intr" },
	{ TZM_OPF_RESTART, "restart" },
};
static_assert(TZM_OPF__ALL == (TZM_OPF_INTR | TZM_OPF_RESTART), "a word for every flag");

static void gen_ops(FILE *f)
{
	fprintf(f, "| # | opcode | errno set | flags | [in] | [out] |\n"
		   "|---|---|---|---|---|---|\n");
	for (size_t i = 0; i < N_OPS; i++) {
		struct list_out l = { f, 0, 0, true };

		fprintf(f, "| %d | `%s` | `%s` | ", ops[i].num, ops[i].name, ops[i].set);
		for (size_t k = 0; k < sizeof(op_flags) / sizeof(op_flags[0]); k++) {
			if (ops[i].flags & op_flags[k].flag) {
				list_item(&l, op_flags[k].word);
			}
		}
		fprintf(f, "%s | %s | %s |\n", l.first ? "-" : "", ops[i].in, ops[i].out);
	}
}

static const struct {
	const char *name;
	void (*gen)(FILE *f);
} blocks[] = {
	{ "limits", gen_limits },
	{ "errnos", gen_errnos },
	{ "errsets", gen_errsets },
	{ "ops", gen_ops },
};
#define N_BLOCKS (sizeof(blocks) / sizeof(blocks[0]))

/* The block named by a marker line "<prefix>NAME -->", or -1. */
static int block_of(const char *line, size_t len, const char *prefix)
{
	size_t pl = strlen(prefix), tl = strlen(MARK_TAIL);

	if (len < pl + tl || memcmp(line, prefix, pl) != 0 ||
	    memcmp(line + len - tl, MARK_TAIL, tl) != 0) {
		return -1;
	}
	for (size_t i = 0; i < N_BLOCKS; i++) {
		if (strlen(blocks[i].name) == len - pl - tl &&
		    memcmp(line + pl, blocks[i].name, len - pl - tl) == 0) {
			return (int)i;
		}
	}
	return -1;
}

/*
 * Rebuilds the page: prose copied, each block's body regenerated. Returns 0, or -1 with a
 * message (unknown, unterminated, repeated or missing block).
 */
static int rebuild(const char *doc, size_t len, FILE *out, const char *path)
{
	bool seen[N_BLOCKS] = { false };
	size_t pos = 0;
	unsigned lineno = 0;

	while (pos < len) {
		const char *line = doc + pos;
		const char *nl = memchr(line, '\n', len - pos);
		size_t ll = nl ? (size_t)(nl - line) : len - pos;
		int b = -1;

		lineno++;
		pos += ll + (nl ? 1 : 0);
		fwrite(line, 1, ll + (nl ? 1 : 0), out);
		if (ll < strlen(BEGIN_MARK) || memcmp(line, BEGIN_MARK, strlen(BEGIN_MARK)) != 0) {
			continue;
		}
		b = block_of(line, ll, BEGIN_MARK);
		if (b < 0 || seen[b]) {
			fprintf(stderr, "%s:%u: unknown or repeated block: %.*s\n", path, lineno,
				(int)ll, line);
			return -1;
		}
		seen[b] = true;
		blocks[b].gen(out);
		/* skip the old body up to this block's END line, which is kept */
		for (;;) {
			if (pos >= len) {
				fprintf(stderr, "%s: block %s has no END line\n", path,
					blocks[b].name);
				return -1;
			}
			line = doc + pos;
			nl = memchr(line, '\n', len - pos);
			ll = nl ? (size_t)(nl - line) : len - pos;
			lineno++;
			pos += ll + (nl ? 1 : 0);
			if (block_of(line, ll, END_MARK) == b) {
				fwrite(line, 1, ll + (nl ? 1 : 0), out);
				break;
			}
		}
	}
	for (size_t i = 0; i < N_BLOCKS; i++) {
		if (!seen[i]) {
			fprintf(stderr, "%s: block %s is missing\n", path, blocks[i].name);
			return -1;
		}
	}
	return 0;
}

static char *read_doc(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;

	if (!f) {
		fprintf(stderr, "tzm-wire-doc: %s: %s\n", path, strerror(errno));
		return NULL;
	}
	buf = malloc(DOC_MAX + 1);
	if (buf) {
		*len = fread(buf, 1, DOC_MAX + 1, f);
		if (ferror(f) || *len > DOC_MAX) {
			fprintf(stderr, "tzm-wire-doc: %s: unreadable or larger than %u bytes\n",
				path, DOC_MAX);
			free(buf);
			buf = NULL;
		}
	}
	fclose(f);
	return buf;
}

/* Writes text to path through a temporary file and rename (no half-written page). */
static int write_doc(const char *path, const char *text, size_t len)
{
	char tmp[4096];
	FILE *f = NULL;
	int n = snprintf(tmp, sizeof(tmp), "%s.tmp", path);

	if (n < 0 || (size_t)n >= sizeof(tmp)) {
		fprintf(stderr, "tzm-wire-doc: path too long\n");
		return -1;
	}
	f = fopen(tmp, "wb");
	if (!f) {
		fprintf(stderr, "tzm-wire-doc: %s: %s\n", tmp, strerror(errno));
		return -1;
	}
	if (fwrite(text, 1, len, f) != len || fclose(f) != 0) {
		fprintf(stderr, "tzm-wire-doc: writing %s failed\n", tmp);
		remove(tmp);
		return -1;
	}
	if (rename(tmp, path) != 0) {
		fprintf(stderr, "tzm-wire-doc: %s: %s\n", path, strerror(errno));
		remove(tmp);
		return -1;
	}
	return 0;
}

/* Reports the first line where the committed page and the generated one differ. */
static void report_drift(const char *path, const char *old, size_t oldlen, const char *new_,
			 size_t newlen)
{
	size_t i = 0, line = 1, start = 0;

	while (i < oldlen && i < newlen && old[i] == new_[i]) {
		if (old[i] == '\n') {
			line++;
			start = i + 1;
		}
		i++;
	}
	fprintf(stderr,
		"%s:%zu: differs from tzm_wire.h (regenerate: cmake --build <build> --target "
		"wire-doc)\n",
		path, line);
	fprintf(stderr, "  committed: %.*s\n", (int)strcspn(old + start, "\n"),
		start < oldlen ? old + start : "");
	fprintf(stderr, "  generated: %.*s\n", (int)strcspn(new_ + start, "\n"),
		start < newlen ? new_ + start : "");
}

int main(int argc, char **argv)
{
	char *doc = NULL, *text = NULL;
	size_t len = 0, tlen = 0;
	FILE *out = NULL;
	int rc = 2;

	if (argc != 3 || (strcmp(argv[1], "--check") != 0 && strcmp(argv[1], "--update") != 0)) {
		fprintf(stderr, "usage: tzm-wire-doc --check|--update docs/wire-protocol.md\n");
		return 2;
	}
	doc = read_doc(argv[2], &len);
	if (!doc) {
		goto out;
	}
	doc[len] = '\0';
	out = open_memstream(&text, &tlen);
	if (!out) {
		perror("tzm-wire-doc: open_memstream");
		goto out;
	}
	if (rebuild(doc, len, out, argv[2]) != 0) {
		fclose(out);
		goto out;
	}
	fclose(out);
	if (tlen == len && memcmp(text, doc, len) == 0) {
		rc = 0;
	} else if (strcmp(argv[1], "--update") == 0) {
		rc = write_doc(argv[2], text, tlen) == 0 ? 0 : 2;
	} else {
		report_drift(argv[2], doc, len, text, tlen);
		rc = 1;
	}
out:
	free(text);
	free(doc);
	return rc;
}
