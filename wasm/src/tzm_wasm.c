// SPDX-License-Identifier: BSD-2-Clause
/*
 * tzm-wasm (`tzm wasm ...`): makes a WASI module a TA.
 *
 *   tzm wasm build app.wasm -o <uuid>.ta [--uuid U] [--policy FILE] [--dir PATH]...
 *                  [--data-size N] [--stack-size N] [--bounds-checks guard|explicit]
 *                  [--kit DIR] [--keep DIR] [-v]
 *   tzm wasm check app.wasm        (what build would check, and the module's SHA-256)
 *   tzm wasm measure app.wasm --uuid U [the build options but -o and --keep]
 *                                  (the reference values of the .ta build would make)
 *
 * build: reads the module with our own structural reader (src/module.c) and refuses, with
 * a message naming each problem, a malformed module, imports we do not provide (or with
 * another type), a module without `_start` or an exported memory, and an initial memory
 * above the TA's limit. Then wasm2c translates it ahead of time and the TA dev kit
 * compiles and links the generated C with the WASI host (libtzm_wasm.a) and libtzm
 * exactly as it builds a C TA (CFG_TZM_POSIX=y + CFG_TZM_WASM=y), then packs <uuid>.ta.
 * The build is reproducible: the same module, options and kit give the same .ta, bit for
 * bit, wherever it is built (the kit maps the work directory out of the debug information),
 * so measure can build it once more and print what a verifier pins: the module's SHA-256,
 * the .ta's SHA-256 (the RIM of its tokens) and the token's RPV (UUID, module hash).
 * A build-machine tool like tzm-ta-pack: plain C, no OpenSSL.
 */
#include <ctype.h>
#include <errno.h>
#include <ftw.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../../tee/common/file_read.h"
#include "../../tee/common/sha256.h"
#include "../../tee/common/uuid.h"
#include "module.h"

#define MAX_MODULE_SIZE (512u * 1024 * 1024)
#define MAX_PREOPENS 64
#define DEFAULT_DATA_SIZE (64u * 1024 * 1024)
#define DEFAULT_STACK_SIZE (1024u * 1024)

typedef uint32_t u32;
typedef uint64_t u64;
struct provided {
	const char *module;
	const char *name;
	const char *sig;
};
static const struct provided provided[] = {
#define TZM_WASM_IMPORT(mod, name, sig, ret, params) { #mod, #name, sig },
#include "imports.def"
#undef TZM_WASM_IMPORT
};

struct opts {
	const char *input;
	const char *output;
	const char *uuid;
	const char *policy;
	const char *kit;
	const char *keep;
	const char *dirs[MAX_PREOPENS];
	int n_dirs;
	char *policy_dirs[MAX_PREOPENS]; /* those of dirs[] read from the policy (ours to free) */
	int n_policy_dirs;
	unsigned long data_size;
	unsigned long stack_size;
	const char *bounds; /* "guard" or "explicit" (the kit's CFG_TZM_WASM_BOUNDS) */
	bool verbose;
};

static void usage(FILE *f)
{
	fprintf(f,
		"usage: tzm wasm build MODULE.wasm -o <uuid>.ta [--uuid UUID] [--policy FILE]\n"
		"                      [--dir PATH]... [--data-size BYTES] [--stack-size BYTES]\n"
		"                      [--bounds-checks guard|explicit] [--kit DIR] [--keep DIR] "
		"[-v]\n"
		"       tzm wasm check MODULE.wasm\n"
		"       tzm wasm measure MODULE.wasm --uuid UUID [the options of build but -o "
		"and --keep]\n");
}

static int read_file(const char *path, uint8_t **out, size_t *len)
{
	return tzm_file_read(path, MAX_MODULE_SIZE, out, len);
}

/* A name from the module, printable (bytes outside ASCII graphic as \xNN). */
static void print_name(FILE *f, const char *s)
{
	for (; *s != '\0'; s++) {
		unsigned char ch = (unsigned char)*s;
		if (ch > 0x20 && ch < 0x7f && ch != '\\') {
			fputc(ch, f);
		} else {
			fprintf(f, "\\x%02x", ch);
		}
	}
}

static const struct provided *find_provided(const char *mod, const char *name)
{
	for (size_t i = 0; i < sizeof(provided) / sizeof(provided[0]); i++) {
		if (strcmp(provided[i].module, mod) == 0 && strcmp(provided[i].name, name) == 0) {
			return &provided[i];
		}
	}
	return NULL;
}

static const char *kind_name(u32 kind)
{
	static const char *const names[] = { "function", "table", "memory", "global" };
	return kind < 4 ? names[kind] : "?";
}

/* All checks on the module; prints every problem; 0 when it can become a TA. */
static int check_module(const char *path, const struct tzm__wasm_module *m, u64 memory_limit)
{
	int bad = 0;
	bool header = false;

	for (u32 i = 0; i < m->n_imports; i++) {
		const struct tzm__wasm_import *im = &m->imports[i];
		const struct provided *p =
			im->kind == 0 ? find_provided(im->module, im->name) : NULL;
		if (p != NULL && strcmp(p->sig, im->sig) == 0) {
			continue;
		}
		if (!header) {
			fprintf(stderr, "tzm wasm: %s imports what tzmediator does not provide:\n",
				path);
			header = true;
		}
		fputs("  ", stderr);
		print_name(stderr, im->module);
		fputc('.', stderr);
		print_name(stderr, im->name);
		if (im->kind != 0) {
			fprintf(stderr, " (a %s: only functions can be imported)\n",
				kind_name(im->kind));
		} else if (p != NULL) {
			fprintf(stderr, " with type (%s), provided as (%s)\n", im->sig, p->sig);
		} else {
			fprintf(stderr, " (function %s)\n", im->sig);
		}
		bad = 1;
	}
	if (!m->exports_start) {
		fprintf(stderr,
			"tzm wasm: %s has no exported function _start (a WASI command "
			"module is needed: build with wasi-libc's crt1)\n",
			path);
		bad = 1;
	}
	if (!m->has_memory || !m->exports_memory) {
		fprintf(stderr,
			"tzm wasm: %s does not define and export its memory as \"memory\"\n", path);
		bad = 1;
	}
	if (m->has_memory && (u64)m->mem_min_pages * TZM__WASM_PAGE > memory_limit) {
		fprintf(stderr,
			"tzm wasm: %s needs %llu KiB of memory at start, over the TA's memory "
			"limit "
			"of %llu KiB (--data-size)\n",
			path, (unsigned long long)m->mem_min_pages * 64,
			(unsigned long long)(memory_limit / 1024));
		bad = 1;
	}
	return bad;
}

static int run(char *const argv[], bool verbose)
{
	if (verbose) {
		for (size_t i = 0; argv[i] != NULL; i++) {
			fprintf(stderr, "%s%s", i ? " " : "+ ", argv[i]);
		}
		fputc('\n', stderr);
	}
	pid_t pid = fork();
	if (pid < 0) {
		return -errno;
	}
	if (pid == 0) {
		execvp(argv[0], argv);
		fprintf(stderr, "tzm wasm: cannot run %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	int status = 0;
	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR) {
			return -errno;
		}
	}
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

static bool is_file(const char *p)
{
	struct stat st;
	return stat(p, &st) == 0 && S_ISREG(st.st_mode);
}

/* Directory of this executable ("" when unknown). */
static void self_dir(char *dir, size_t cap)
{
	ssize_t n = readlink("/proc/self/exe", dir, cap - 1);
	dir[n > 0 ? n : 0] = '\0';
	char *slash = strrchr(dir, '/');
	if (slash != NULL) {
		*slash = '\0';
	} else {
		dir[0] = '\0';
	}
}

/* The dev kit: --kit, $TZM_TA_DEV_KIT_DIR, or <exe>/../share/tzmediator/ta_dev_kit. */
static int find_kit(const char *given, char *out, size_t cap)
{
	char dir[PATH_MAX];
	const char *env = getenv("TZM_TA_DEV_KIT_DIR");
	int n = 0;
	if (given != NULL || (env != NULL && env[0] != '\0')) {
		n = snprintf(out, cap, "%s", given != NULL ? given : env);
	} else {
		self_dir(dir, sizeof(dir));
		n = snprintf(out, cap, "%s/../share/tzmediator/ta_dev_kit", dir);
	}
	if (n < 0 || (size_t)n >= cap) {
		fprintf(stderr, "tzm wasm: the dev kit's path is too long\n");
		return -1;
	}
	char mk[PATH_MAX + 64];
	snprintf(mk, sizeof(mk), "%s/mk/ext/tzm_wasm.mk", out);
	if (!is_file(mk)) {
		fprintf(stderr,
			"tzm wasm: no TA dev kit with Wasm support at %s (give --kit DIR or set "
			"TZM_TA_DEV_KIT_DIR)\n",
			out);
		return -1;
	}
	char *real = realpath(out, NULL);
	if (real != NULL) {
		snprintf(out, cap, "%s", real);
		free(real);
	}
	return 0;
}

/* wasm2c's runtime sources: $TZM_WASM_RT_DIR or where Debian's wabt puts them. */
static int find_rt(char *out, size_t cap)
{
	static const char *const dirs[] = { "/usr/src/wasm2c", "/usr/share/wabt/wasm2c",
					    "/usr/local/src/wasm2c" };
	const char *env = getenv("TZM_WASM_RT_DIR");
	for (size_t i = 0; i < 4; i++) {
		const char *d = i == 0 ? env : dirs[i - 1];
		char c[PATH_MAX + 32], h[PATH_MAX + 32];
		if (d == NULL || d[0] == '\0') {
			continue;
		}
		snprintf(c, sizeof(c), "%s/wasm-rt-impl.c", d);
		snprintf(h, sizeof(h), "%s/wasm-rt.h", d);
		if (is_file(c) && (is_file(h) || is_file("/usr/include/wasm-rt.h"))) {
			snprintf(out, cap, "%s", d);
			return 0;
		}
	}
	fprintf(stderr, "tzm wasm: wasm2c's runtime (wasm-rt-impl.c) not found: install wabt "
			"1.0.32 or set TZM_WASM_RT_DIR\n");
	return -1;
}

/* Preopens: --dir options, then the path and fifo rules of --policy. */
static int collect_preopens(struct opts *o)
{
	if (o->policy == NULL) {
		return 0;
	}
	FILE *f = fopen(o->policy, "r");
	if (f == NULL) {
		fprintf(stderr, "tzm wasm: cannot read policy %s: %s\n", o->policy,
			strerror(errno));
		return -1;
	}
	char line[PATH_MAX + 256];
	int rc = 0;
	while (fgets(line, sizeof(line), f) != NULL) {
		char *hash = strchr(line, '#');
		if (hash != NULL) {
			*hash = '\0';
		}
		char *save = NULL;
		char *kind = strtok_r(line, " \t\r\n", &save);
		char *path = NULL;
		if (kind == NULL) {
			continue;
		}
		if (strcmp(kind, "path") == 0) {
			(void)strtok_r(NULL, " \t\r\n", &save); /* ro | rw */
			path = strtok_r(NULL, " \t\r\n", &save);
		} else if (strcmp(kind, "fifo") == 0) {
			path = strtok_r(NULL, " \t\r\n", &save);
		}
		if (path == NULL || path[0] != '/') {
			continue;
		}
		bool dup = false;
		for (int i = 0; i < o->n_dirs; i++) {
			dup = dup || strcmp(o->dirs[i], path) == 0;
		}
		if (dup) {
			continue;
		}
		if (o->n_dirs >= MAX_PREOPENS) {
			fprintf(stderr, "tzm wasm: more than %d preopened paths\n", MAX_PREOPENS);
			rc = -1;
			break;
		}
		char *copy = strdup(path);
		if (copy == NULL) {
			rc = -1;
			break;
		}
		o->policy_dirs[o->n_policy_dirs++] = copy;
		o->dirs[o->n_dirs++] = copy;
	}
	fclose(f);
	return rc;
}

/*
 * wasm2c 1.0.32 keeps every load (it must trap under guard pages even when its value is
 * unused) with `asm("" :: "r"(result))`: for an f32/f64 that copies the value from its
 * floating-point register into a general one and defeats folding the load into the
 * arithmetic (measured: a sixth of a matrix multiply's time). The patch keeps the asm and
 * only lets a floating-point value stay in a floating-point register. Another wasm2c's
 * output is left as it is (correct, only slower), with one line saying so.
 */
static const char force_read_line[] =
	"    wasm_asm(\"\" ::\"r\"(result));                            \\\n";
static const char force_read_new[] =
	"    TZM_WASM_FORCE_READ(t1, result);                       \\\n";
static const char force_read_def[] =
	"/* tzm wasm build: loads kept in a register of their own kind (see tzm_wasm.c) */\n"
	"#if defined(__GNUC__) && defined(__x86_64__)\n"
	"#define TZM_WASM_FP_REG \"x\"\n"
	"#elif defined(__GNUC__) && defined(__aarch64__)\n"
	"#define TZM_WASM_FP_REG \"w\"\n"
	"#endif\n"
	"#ifdef TZM_WASM_FP_REG\n"
	"#define TZM_WASM_FORCE_READ(t, v)                                                   \\\n"
	"  do {                                                                              \\\n"
	"    if (__builtin_types_compatible_p(t, f32) || __builtin_types_compatible_p(t, f64)) \\\n"
	"      __asm__(\"\" ::TZM_WASM_FP_REG(v));                                           \\\n"
	"    else                                                                            \\\n"
	"      __asm__(\"\" ::\"r\"(v));                                                      \\\n"
	"  } while (0)\n"
	"#else\n"
	"#define TZM_WASM_FORCE_READ(t, v) wasm_asm(\"\" ::\"r\"(v))\n"
	"#endif\n";

static int patch_force_read(const char *module_c)
{
	uint8_t *src = NULL;
	size_t len = 0;
	int rc = -1;
	if (read_file(module_c, &src, &len) != 0) {
		fprintf(stderr, "tzm wasm: cannot read back %s\n", module_c);
		return -1;
	}
	/* read_file leaves room for a terminating NUL */
	src[len] = '\0';
	char *text = (char *)src;
	/* the little-endian DEFINE_LOAD: exactly one such line after the #else */
	char *be = strstr(text, "#if WABT_BIG_ENDIAN");
	char *le = be != NULL ? strstr(be, "\n#else\n") : NULL;
	char *at = le != NULL ? strstr(le, force_read_line) : NULL;
	if (at == NULL || strstr(at + 1, force_read_line) != NULL) {
		fprintf(stderr, "tzm wasm: note: wasm2c's output is not 1.0.32's: its loads are "
				"left unpatched (slower floating-point code)\n");
		rc = 0;
		goto out;
	}
	FILE *f = fopen(module_c, "w");
	bool ok = f != NULL && fputs(force_read_def, f) >= 0 &&
		  fwrite(text, 1, (size_t)(at - text), f) == (size_t)(at - text) &&
		  fputs(force_read_new, f) >= 0 && fputs(at + strlen(force_read_line), f) >= 0;
	ok = f != NULL && fclose(f) == 0 && ok;
	if (!ok) {
		fprintf(stderr, "tzm wasm: cannot write %s: %s\n", module_c, strerror(errno));
		goto out;
	}
	rc = 0;
out:
	free(src);
	return rc;
}

static int write_text(const char *dir, const char *name, const char *text)
{
	char p[PATH_MAX + 64];
	snprintf(p, sizeof(p), "%s/%s", dir, name);
	FILE *f = fopen(p, "w");
	if (f == NULL || fputs(text, f) < 0) {
		fprintf(stderr, "tzm wasm: cannot write %s: %s\n", p, strerror(errno));
		if (f != NULL) {
			fclose(f);
		}
		return -1;
	}
	return fclose(f) == 0 ? 0 : -1;
}

/* C string literal of s */
static void put_c_string(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s != '\0'; s++) {
		unsigned char ch = (unsigned char)*s;
		if (ch == '"' || ch == '\\' || ch < 0x20 || ch >= 0x7f) {
			fprintf(f, "\\%03o", ch);
		} else {
			fputc(ch, f);
		}
	}
	fputc('"', f);
}

/* tzm_wasm_config.h: what the glue needs to know about this module and build. */
static int write_config(const char *work, const struct opts *o, const struct tzm__wasm_module *m,
			const uint8_t sha[32], u64 memory_limit)
{
	char p[PATH_MAX + 64];
	snprintf(p, sizeof(p), "%s/tzm_wasm_config.h", work);
	FILE *f = fopen(p, "w");
	if (f == NULL) {
		fprintf(stderr, "tzm wasm: cannot write %s: %s\n", p, strerror(errno));
		return -1;
	}
	fprintf(f, "/* Generated by tzm wasm build for %s. */\n", o->input);
	fprintf(f, "#define TZM_WASM_MODULE_SHA256 {");
	for (int i = 0; i < 32; i++) {
		fprintf(f, "%s0x%02x", i ? ", " : "", sha[i]);
	}
	fprintf(f, "}\n#define TZM_WASM_PREOPENS");
	for (int i = 0; i < o->n_dirs; i++) {
		fputc(' ', f);
		put_c_string(f, o->dirs[i]);
		fputc(',', f);
	}
	fprintf(f, "\n#define TZM_WASM_MEMORY_LIMIT %lluull\n", (unsigned long long)memory_limit);
	fprintf(f, "#define TZM_WASM_STACK_SIZE %luul\n", o->stack_size);
	/* wasm2c passes one instance per imported module, in the modules' sorted order */
	const char *mods[8];
	int n_mods = 0;
	for (u32 i = 0; i < m->n_imports; i++) {
		bool seen = false;
		for (int j = 0; j < n_mods; j++) {
			seen = seen || strcmp(mods[j], m->imports[i].module) == 0;
		}
		if (!seen && n_mods < 8) {
			mods[n_mods++] = m->imports[i].module;
		}
	}
	for (int i = 0; i < n_mods; i++) {
		for (int j = i + 1; j < n_mods; j++) {
			if (strcmp(mods[j], mods[i]) < 0) {
				const char *t = mods[i];
				mods[i] = mods[j];
				mods[j] = t;
			}
		}
	}
	fprintf(f, "#define TZM_WASM_IMPORT_ARGS(h)");
	for (int i = 0; i < n_mods; i++) {
		fprintf(f, " , (struct Z_%s_instance_t *)(h)", mods[i]);
	}
	fputc('\n', f);
	return fclose(f) == 0 ? 0 : -1;
}

static int rm_entry(const char *p, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(p);
}

static bool parse_size(const char *s, unsigned long *out)
{
	char *end = NULL;
	errno = 0;
	unsigned long v = strtoul(s, &end, 10);
	if (errno != 0 || end == s) {
		return false;
	}
	if (*end == 'K' || *end == 'k') {
		v *= 1024, end++;
	} else if (*end == 'M' || *end == 'm') {
		v *= 1024 * 1024, end++;
	}
	*out = v;
	return *end == '\0';
}

static int parse_args(int argc, char **argv, struct opts *o)
{
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i];
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;
		bool takes = strcmp(a, "-o") == 0 || strcmp(a, "--uuid") == 0 ||
			     strcmp(a, "--policy") == 0 || strcmp(a, "--dir") == 0 ||
			     strcmp(a, "--kit") == 0 || strcmp(a, "--keep") == 0 ||
			     strcmp(a, "--data-size") == 0 || strcmp(a, "--stack-size") == 0 ||
			     strcmp(a, "--bounds-checks") == 0;
		if (takes && v == NULL) {
			fprintf(stderr, "tzm wasm: %s needs a value\n", a);
			return -1;
		}
		if (strcmp(a, "-o") == 0) {
			o->output = v;
		} else if (strcmp(a, "--uuid") == 0) {
			o->uuid = v;
		} else if (strcmp(a, "--policy") == 0) {
			o->policy = v;
		} else if (strcmp(a, "--kit") == 0) {
			o->kit = v;
		} else if (strcmp(a, "--keep") == 0) {
			o->keep = v;
		} else if (strcmp(a, "--dir") == 0) {
			if (v[0] != '/' || o->n_dirs >= MAX_PREOPENS) {
				fprintf(stderr,
					"tzm wasm: --dir needs an absolute path (at most %d)\n",
					MAX_PREOPENS);
				return -1;
			}
			o->dirs[o->n_dirs++] = v;
		} else if (strcmp(a, "--data-size") == 0 || strcmp(a, "--stack-size") == 0) {
			unsigned long *dst = a[2] == 'd' ? &o->data_size : &o->stack_size;
			if (!parse_size(v, dst) || *dst < 65536 ||
			    *dst > (a[2] == 'd' ? 1024ul : 64ul) * 1024 * 1024) {
				fprintf(stderr, "tzm wasm: bad %s '%s' (64K..%s)\n", a, v,
					a[2] == 'd' ? "1024M" : "64M");
				return -1;
			}
		} else if (strcmp(a, "--bounds-checks") == 0) {
			if (strcmp(v, "guard") != 0 && strcmp(v, "explicit") != 0) {
				fprintf(stderr,
					"tzm wasm: --bounds-checks is guard or explicit, not "
					"'%s'\n",
					v);
				return -1;
			}
			o->bounds = v;
		} else if (strcmp(a, "-v") == 0) {
			o->verbose = true;
		} else if (a[0] == '-') {
			fprintf(stderr, "tzm wasm: unknown option %s\n", a);
			return -1;
		} else if (o->input == NULL) {
			o->input = a;
		} else {
			fprintf(stderr, "tzm wasm: more than one module given (%s)\n", a);
			return -1;
		}
		if (takes) {
			i++;
		}
	}
	if (o->input == NULL) {
		fprintf(stderr, "tzm wasm: no module given\n");
		return -1;
	}
	return 0;
}

/* The TA's UUID: --uuid or the output's file name; both must agree, lower-case canonical. */
static int output_uuid(const struct opts *o, char uuid[TZM_UUID_STR_LEN + 1])
{
	const char *base = strrchr(o->output, '/');
	base = base != NULL ? base + 1 : o->output;
	size_t n = strlen(base);
	char from_name[TZM_UUID_STR_LEN + 1] = "";
	if (n == TZM_UUID_STR_LEN + 3 && strcmp(base + TZM_UUID_STR_LEN, ".ta") == 0) {
		memcpy(from_name, base, TZM_UUID_STR_LEN);
		from_name[TZM_UUID_STR_LEN] = '\0';
	}
	const char *u = o->uuid != NULL ? o->uuid : from_name;
	uint8_t bytes[16];
	char canon[TZM_UUID_STR_LEN + 1];
	if (tzm__uuid_parse(u, bytes) != 0) {
		fprintf(stderr, "tzm wasm: %s: give --uuid or name the output <uuid>.ta\n",
			u[0] ? u : o->output);
		return -1;
	}
	tzm__uuid_bytes_to_str(bytes, canon);
	canon[TZM_UUID_STR_LEN] = '\0';
	if (strcmp(canon, u) != 0) {
		fprintf(stderr, "tzm wasm: UUID %s is not in lower-case canonical form\n", u);
		return -1;
	}
	if (strcmp(from_name, u) != 0) {
		fprintf(stderr,
			"tzm wasm: the output must be named %s.ta (tzm run finds a TA by "
			"its file name)\n",
			u);
		return -1;
	}
	memcpy(uuid, canon, sizeof(canon));
	return 0;
}

static void put_hex(FILE *f, const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		fprintf(f, "%02x", p[i]);
	}
}

/* A new directory $TMPDIR/<name>-XXXXXX (/tmp without TMPDIR) in dir: 0 or -errno. */
static int make_temp_dir(char *dir, size_t size, const char *name)
{
	const char *tmp = getenv("TMPDIR");

	snprintf(dir, size, "%s/%s-XXXXXX", tmp && tmp[0] ? tmp : "/tmp", name);
	return mkdtemp(dir) != NULL ? 0 : -errno;
}

static int build(struct opts *o, const uint8_t *mod, size_t mod_len,
		 const struct tzm__wasm_module *m)
{
	char uuid[TZM_UUID_STR_LEN + 1];
	char kit[PATH_MAX], rt[PATH_MAX], work[PATH_MAX], path[PATH_MAX + 64];
	static char text[4 * PATH_MAX + 1024];
	char abs_in[PATH_MAX];
	uint8_t sha[32];
	int rc = 1;
	bool made_work = false;

	if (o->output == NULL) {
		fprintf(stderr, "tzm wasm: give the output with -o <uuid>.ta\n");
		return 64;
	}
	if (output_uuid(o, uuid) != 0 || find_kit(o->kit, kit, sizeof(kit)) != 0 ||
	    find_rt(rt, sizeof(rt)) != 0 || collect_preopens(o) != 0) {
		return 1;
	}
	if (realpath(o->input, abs_in) == NULL) {
		fprintf(stderr, "tzm wasm: %s: %s\n", o->input, strerror(errno));
		return 1;
	}
	tzm__sha256(mod, mod_len, sha);

	if (o->keep != NULL) {
		if (mkdir(o->keep, 0700) != 0 && errno != EEXIST) {
			fprintf(stderr, "tzm wasm: cannot create %s: %s\n", o->keep,
				strerror(errno));
			return 1;
		}
		snprintf(work, sizeof(work), "%s", o->keep);
	} else {
		int err = make_temp_dir(work, sizeof(work), "tzm-wasm");
		if (err != 0) {
			fprintf(stderr, "tzm wasm: cannot create a work directory: %s\n",
				strerror(-err));
			return 1;
		}
		made_work = true;
	}

	/* 1. wasm2c: module.c + module.h, module name "tzmwasm" (the glue's prefix) */
	snprintf(path, sizeof(path), "%s/module.c", work);
	char *w2c_env = getenv("TZM_WASM2C");
	char *w2c[] = { w2c_env && w2c_env[0] ? w2c_env : "wasm2c",
			abs_in,
			"-n",
			"tzmwasm",
			"-o",
			path,
			NULL };
	int r = run(w2c, o->verbose);
	if (r != 0) {
		fprintf(stderr, "tzm wasm: wasm2c rejected %s (status %d)\n", o->input, r);
		goto out;
	}
	if (patch_force_read(path) != 0) {
		goto out;
	}
	/* 2. what the glue needs, and the dev kit's view of the TA */
	u64 limit = o->data_size;
	if (write_config(work, o, m, sha, limit) != 0) {
		goto out;
	}
	snprintf(text, sizeof(text),
		 "# Generated by tzm wasm build: the Wasm TA %s from %s\n"
		 "BINARY = %s\n"
		 "CFG_TZM_POSIX = y\n"
		 "CFG_TZM_WASM = y\n"
		 "CFG_TZM_POSIX_STACK_SIZE = %lu\n"
		 "CFG_TZM_POSIX_DATA_SIZE = %lu\n"
		 "CFG_TZM_WASM_BOUNDS = %s\n"
		 "TZM_WASM_RT_DIR = %s\n"
		 "include $(TA_DEV_KIT_DIR)/mk/ta_dev_kit.mk\n",
		 uuid, o->input, uuid, o->stack_size, o->data_size, o->bounds, rt);
	if (write_text(work, "Makefile", text) != 0) {
		goto out;
	}
	/* the generated code gets wasm2c's recommended flags; its warnings are not ours */
	snprintf(text, sizeof(text),
		 "srcs-y += module.c %s/wasm-rt-impl.c %s/src/tzm_wasm_glue.c\n"
		 "cflags-module.c-y += -w -fno-optimize-sibling-calls -frounding-math \\\n"
		 "\t$(if $(findstring clang,$(shell $(TA_CC) --version 2>/dev/null)),,"
		 "-fsignaling-nans)\n"
		 "cflags-%s/wasm-rt-impl.c-y += -w\n",
		 rt, kit, rt);
	if (write_text(work, "sub.mk", text) != 0) {
		goto out;
	}
	/* 3. the dev kit builds and packs it like any C TA */
	char kit_arg[PATH_MAX + 32], out_arg[PATH_MAX + 16];
	snprintf(kit_arg, sizeof(kit_arg), "TA_DEV_KIT_DIR=%s", kit);
	snprintf(out_arg, sizeof(out_arg), "O=%s/out", work);
	char *mk[] = { "make",  "--no-print-directory",     "-C", work, kit_arg,
		       out_arg, o->verbose ? "V=1" : "V=0", NULL };
	/* a parent make's jobserver descriptors are not ours (we are not a `+` rule) */
	const char *mf = getenv("MAKEFLAGS");
	if (mf != NULL && strstr(mf, "jobserver") != NULL) {
		(void)unsetenv("MAKEFLAGS");
	}
	r = run(mk, o->verbose);
	if (r != 0) {
		fprintf(stderr, "tzm wasm: building the TA failed (make status %d)\n", r);
		goto out;
	}
	/* 4. <uuid>.ta into place atomically */
	snprintf(path, sizeof(path), "%s/out/%s.ta", work, uuid);
	uint8_t *ta = NULL;
	size_t ta_len = 0;
	if (read_file(path, &ta, &ta_len) != 0) {
		fprintf(stderr, "tzm wasm: the kit wrote no %s\n", path);
		goto out;
	}
	char tmp_out[PATH_MAX + 16];
	snprintf(tmp_out, sizeof(tmp_out), "%s.tmp", o->output);
	FILE *f = fopen(tmp_out, "wb");
	bool ok = f != NULL && fwrite(ta, 1, ta_len, f) == ta_len;
	ok = f != NULL && fclose(f) == 0 && ok;
	free(ta);
	if (!ok || rename(tmp_out, o->output) != 0) {
		fprintf(stderr, "tzm wasm: cannot write %s: %s\n", o->output, strerror(errno));
		(void)unlink(tmp_out);
		goto out;
	}
	if (o->verbose) {
		fprintf(stderr, "tzm wasm: wrote %s (module SHA-256 ", o->output);
		put_hex(stderr, sha, sizeof(sha));
		fprintf(stderr, ")\n");
	}
	rc = 0;
out:
	if (made_work) {
		(void)nftw(work, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
	}
	return rc;
}

/*
 * One argument of the comment line that names measure's command: as it is when a shell
 * reads it so, else in single quotes; control characters, which would end the comment,
 * become '?'.
 */
static void put_comment_arg(const char *a)
{
	bool plain = *a != '\0';

	for (const char *c = a; *c != '\0'; c++) {
		if (!isalnum((unsigned char)*c) && !strchr("_./:=@%+,-", *c)) {
			plain = false;
		}
	}
	if (plain) {
		fputs(a, stdout);
		return;
	}
	putchar('\'');
	for (const char *c = a; *c != '\0'; c++) {
		if (*c == '\'') {
			fputs("'\\''", stdout);
		} else {
			putchar((unsigned char)*c < 0x20 || *c == 0x7f ? '?' : *c);
		}
	}
	putchar('\'');
}

/*
 * measure: builds the TA as build would, into a directory of our own, and prints the
 * reference values of the result in `tzm attest verify --ref-values` format. The RIM is
 * the SHA-256 of the whole .ta; the RPV is what the core puts in the token (UUID, module
 * SHA-256, zeros: attest/README.md).
 */
static int measure(struct opts *o, const uint8_t *mod, size_t mod_len,
		   const struct tzm__wasm_module *m)
{
	char dir[PATH_MAX], ta_path[PATH_MAX + 64];
	uint8_t uuid[16], sha[32], rim[32];
	uint8_t *ta = NULL;
	size_t ta_len = 0;
	int rc, cli_dirs = 0;

	if (o->output != NULL || o->keep != NULL) {
		fprintf(stderr, "tzm wasm measure: writes no TA: no -o or --keep\n");
		return 64;
	}
	if (o->uuid == NULL) {
		fprintf(stderr, "tzm wasm measure: give --uuid (the UUID is part of the TA's "
				"measurement)\n");
		return 64;
	}
	if (tzm__uuid_parse(o->uuid, uuid) != 0) {
		fprintf(stderr, "tzm wasm measure: '%s' is not a UUID\n", o->uuid);
		return 64;
	}
	int err = make_temp_dir(dir, sizeof(dir), "tzm-wasm-measure");
	if (err != 0) {
		fprintf(stderr, "tzm wasm measure: cannot create a directory: %s\n",
			strerror(-err));
		return 1;
	}
	snprintf(ta_path, sizeof(ta_path), "%s/%s.ta", dir, o->uuid);
	/* stdout is the reference values: what the build's tools print goes to stderr */
	fflush(stdout);
	int saved_stdout = dup(STDOUT_FILENO);
	if (saved_stdout < 0 || dup2(STDERR_FILENO, STDOUT_FILENO) < 0) {
		fprintf(stderr, "tzm wasm measure: %s\n", strerror(errno));
		if (saved_stdout >= 0) {
			close(saved_stdout);
		}
		(void)rmdir(dir);
		return 1;
	}
	o->output = ta_path;
	cli_dirs = o->n_dirs; /* build adds the policy's paths after the --dir options */
	rc = build(o, mod, mod_len, m);
	o->output = NULL;
	fflush(stdout);
	if (dup2(saved_stdout, STDOUT_FILENO) < 0) {
		fprintf(stderr, "tzm wasm measure: %s\n", strerror(errno));
		rc = 1;
	}
	close(saved_stdout);
	if (rc == 0 && read_file(ta_path, &ta, &ta_len) != 0) {
		fprintf(stderr, "tzm wasm measure: cannot read the TA built in %s\n", dir);
		rc = 1;
	}
	if (rc == 0) {
		tzm__sha256(mod, mod_len, sha);
		tzm__sha256(ta, ta_len, rim);
		/* the command that measures this again, every option that changes the .ta named */
		printf("# tzm wasm measure ");
		put_comment_arg(o->input);
		printf(" --uuid %s", o->uuid);
		if (o->policy != NULL) {
			printf(" --policy ");
			put_comment_arg(o->policy);
		}
		for (int i = 0; i < cli_dirs; i++) {
			printf(" --dir ");
			put_comment_arg(o->dirs[i]);
		}
		printf(" --data-size %lu --stack-size %lu --bounds-checks %s", o->data_size,
		       o->stack_size, o->bounds);
		if (o->kit != NULL) {
			printf(" --kit ");
			put_comment_arg(o->kit);
		}
		printf(": the reference values of the .ta that tzm wasm build makes from this "
		       "module with these options and this kit\n");
		printf("wasm-module ");
		put_hex(stdout, sha, sizeof(sha));
		printf("\nrim ");
		put_hex(stdout, rim, sizeof(rim));
		printf("\nrpv ");
		put_hex(stdout, uuid, sizeof(uuid));
		put_hex(stdout, sha, sizeof(sha));
		for (size_t i = 0; i < 64 - sizeof(uuid) - sizeof(sha); i++) {
			printf("00");
		}
		printf("\n");
		if (fflush(stdout) != 0) {
			fprintf(stderr, "tzm wasm measure: cannot write: %s\n", strerror(errno));
			rc = 1;
		}
	}
	free(ta);
	(void)unlink(ta_path);
	(void)rmdir(dir);
	return rc;
}

int main(int argc, char **argv)
{
	struct opts o = { .data_size = DEFAULT_DATA_SIZE,
			  .stack_size = DEFAULT_STACK_SIZE,
			  .bounds = "guard" };
	struct tzm__wasm_module m;
	uint8_t *mod = NULL;
	size_t mod_len = 0;
	char err[256];

	if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? 64 : 0;
	}
	bool is_build = strcmp(argv[1], "build") == 0;
	bool is_measure = strcmp(argv[1], "measure") == 0;
	if (!is_build && !is_measure && strcmp(argv[1], "check") != 0) {
		fprintf(stderr, "tzm wasm: unknown command '%s'\n", argv[1]);
		usage(stderr);
		return 64;
	}
	if (parse_args(argc - 2, argv + 2, &o) != 0) {
		usage(stderr);
		return 64;
	}
	int rc = read_file(o.input, &mod, &mod_len);
	if (rc != 0) {
		fprintf(stderr, "tzm wasm: cannot read %s: %s\n", o.input,
			rc == -EFBIG ? "larger than 512 MiB" : strerror(-rc));
		return 1;
	}
	rc = tzm__wasm_module_parse(mod, mod_len, &m, err, sizeof(err));
	if (rc != 0) {
		fprintf(stderr, "tzm wasm: %s: not a valid WebAssembly module: %s\n", o.input,
			rc == -ENOMEM ? "out of memory" : err);
		free(mod);
		return 1;
	}
	rc = check_module(o.input, &m, o.data_size);
	if (rc == 0 && is_build) {
		rc = build(&o, mod, mod_len, &m);
	} else if (rc == 0 && is_measure) {
		rc = measure(&o, mod, mod_len, &m);
	} else if (rc == 0) {
		uint8_t sha[32];
		tzm__sha256(mod, mod_len, sha);
		printf("%s: ok: %u imports, memory %u pages", o.input, m.n_imports,
		       m.mem_min_pages);
		if (m.mem_has_max) {
			printf(" (max %u)", m.mem_max_pages);
		}
		printf(", SHA-256 ");
		put_hex(stdout, sha, sizeof(sha));
		printf("\n");
	}
	tzm__wasm_module_free(&m);
	free(mod);
	for (int i = 0; i < o.n_policy_dirs; i++) {
		free(o.policy_dirs[i]);
	}
	return rc;
}
