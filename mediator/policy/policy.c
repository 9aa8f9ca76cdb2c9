/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Policy file parser and decisions (deny by default). See mediator/README.md for the
 * format. Path rules hold an O_PATH fd of their root, opened when the policy is loaded;
 * a TA path is matched as a string against the rule (component-wise prefix, longest rule
 * wins) only to pick the root, and the remainder is then resolved by the kernel with
 * openat2(RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS) relative to that root, which refuses
 * `..` and symlinks leading outside it, atomically.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "policy.h"

#define MAX_RULES 256

struct path_rule {
	char *path; /* normalised absolute path */
	size_t len;
	int rootfd;  /* O_PATH fd: the directory itself, or the parent for exact rules */
	char *exact; /* exact rules: final name (rel is this name) */
	bool rw;
	bool nolinks; /* refuse regular files with more than one link */
	bool uplinks; /* the TA may create symlinks whose target contains ".." */
	enum tzm_pol_kind kind;
};

struct net_rule {
	int proto;
	bool bind;
	int family; /* 0: any */
	uint8_t addr[16];
	unsigned prefix;
	uint16_t lo, hi;
};

struct name_rule {
	char *name;
	bool prefix; /* trailing '*' */
};

struct tzm_policy {
	bool allow_all;
	struct path_rule paths[MAX_RULES];
	size_t npaths;
	struct net_rule nets[MAX_RULES];
	size_t nnets;
	struct name_rule abstract[MAX_RULES];
	size_t nabstract;
	struct name_rule mqs[MAX_RULES];
	size_t nmqs;
	unsigned max_fds;
	size_t max_inflight;
	bool no_udp_reply; /* `udp_reply off` */
	FILE *log;
};

void tzm_policy_deny_log(const struct tzm_policy *p, const char *fmt, ...)
{
	FILE *out = p && p->log ? p->log : stderr;
	va_list ap;

	fputs("tzm-run: policy: denied ", out);
	va_start(ap, fmt);
	vfprintf(out, fmt, ap);
	va_end(ap);
	fputc('\n', out);
	fflush(out);
}

struct tzm_policy *tzm_policy_allow_all(void)
{
	struct tzm_policy *p = calloc(1, sizeof(*p));

	if (p) {
		p->allow_all = true;
		p->max_fds = 1024;
	}
	return p;
}

bool tzm_policy_is_allow_all(const struct tzm_policy *p)
{
	return p->allow_all;
}

void tzm_policy_free(struct tzm_policy *p)
{
	if (!p) {
		return;
	}
	for (size_t i = 0; i < p->npaths; i++) {
		free(p->paths[i].path);
		free(p->paths[i].exact);
		if (p->paths[i].rootfd >= 0) {
			close(p->paths[i].rootfd);
		}
	}
	for (size_t i = 0; i < p->nabstract; i++) {
		free(p->abstract[i].name);
	}
	for (size_t i = 0; i < p->nmqs; i++) {
		free(p->mqs[i].name);
	}
	if (p->log) {
		fclose(p->log);
	}
	free(p);
}

/* Absolute, no "." or ".." components, no empty components except a lone "/". */
static int normalise(const char *in, char *out, size_t outlen)
{
	size_t o = 0;
	const char *c = in;

	if (in[0] != '/') {
		return -EINVAL;
	}
	while (*c) {
		const char *e = NULL;
		size_t n = 0;

		while (*c == '/') {
			c++;
		}
		if (!*c) {
			break;
		}
		e = strchr(c, '/');
		n = e ? (size_t)(e - c) : strlen(c);
		if ((n == 1 && c[0] == '.') || (n == 2 && c[0] == '.' && c[1] == '.')) {
			return -EINVAL;
		}
		if (o + 1 + n + 1 > outlen) {
			return -ENAMETOOLONG;
		}
		out[o++] = '/';
		memcpy(out + o, c, n);
		o += n;
		c += n;
	}
	if (o == 0) {
		out[o++] = '/';
	}
	out[o] = '\0';
	return 0;
}

/* Options of a path rule (`path rw DIR [nolinks] [uplinks]`). */
struct path_opts {
	bool nolinks;
	bool uplinks;
};

static int add_path(struct tzm_policy *p, const char *raw, bool rw, enum tzm_pol_kind kind,
		    struct path_opts opts)
{
	char norm[PATH_MAX], parent[PATH_MAX];
	struct path_rule r;
	struct stat st;
	const char *root = norm;
	int rc = normalise(raw, norm, sizeof(norm));

	memset(&r, 0, sizeof(r));
	r.rootfd = -1;
	if (rc != 0) {
		return rc;
	}
	if (p->npaths >= MAX_RULES) {
		return -E2BIG;
	}
	r.rw = rw;
	r.nolinks = opts.nolinks;
	r.uplinks = opts.uplinks;
	r.kind = kind;
	r.len = strlen(norm);
	r.path = strdup(norm);
	if (!r.path) {
		rc = -ENOMEM;
		goto out;
	}
	if (stat(norm, &st) != 0 || !S_ISDIR(st.st_mode)) {
		/* a single object (possibly not created yet): root is its parent */
		char *slash = strrchr(norm, '/');

		memcpy(parent, norm, (size_t)(slash - norm));
		parent[slash - norm] = '\0';
		root = parent[0] ? parent : "/";
		r.exact = strdup(slash + 1);
		if (!r.exact) {
			rc = -ENOMEM;
			goto out;
		}
	}
	r.rootfd = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (r.rootfd < 0) {
		rc = -errno;
		goto out;
	}
	p->paths[p->npaths++] = r;
	return 0;
out:
	free(r.path);
	free(r.exact);
	return rc;
}

static int add_name(struct name_rule *list, size_t *n, const char *name)
{
	size_t len = strlen(name);

	if (*n >= MAX_RULES || len == 0) {
		return -EINVAL;
	}
	list[*n].prefix = name[len - 1] == '*';
	list[*n].name = strndup(name, list[*n].prefix ? len - 1 : len);
	if (!list[*n].name) {
		return -ENOMEM;
	}
	(*n)++;
	return 0;
}

static int parse_ports(const char *s, uint16_t *lo, uint16_t *hi)
{
	char *end = NULL;
	unsigned long a = 0, b = 0;

	if (strcmp(s, "*") == 0) {
		*lo = 0;
		*hi = 65535;
		return 0;
	}
	a = strtoul(s, &end, 10);
	b = a;
	if (*end == '-') {
		b = strtoul(end + 1, &end, 10);
	}
	if (*end || a > 65535 || b > 65535 || a > b) {
		return -EINVAL;
	}
	*lo = (uint16_t)a;
	*hi = (uint16_t)b;
	return 0;
}

static int add_net(struct tzm_policy *p, const char *proto, const char *dir, const char *addr,
		   const char *ports)
{
	struct net_rule r;
	char a[64];
	char *slash = NULL;

	memset(&r, 0, sizeof(r));
	if (p->nnets >= MAX_RULES) {
		return -E2BIG;
	}
	r.proto = strcmp(proto, "tcp") == 0 ? IPPROTO_TCP : IPPROTO_UDP;
	if (strcmp(dir, "bind") == 0) {
		r.bind = true;
	} else if (strcmp(dir, "connect") != 0) {
		return -EINVAL;
	}
	if (parse_ports(ports, &r.lo, &r.hi) != 0) {
		return -EINVAL;
	}
	if (strcmp(addr, "*") != 0) {
		if (strlen(addr) >= sizeof(a)) {
			return -EINVAL;
		}
		strcpy(a, addr);
		slash = strchr(a, '/');
		if (slash) {
			*slash++ = '\0';
		}
		if (inet_pton(AF_INET, a, r.addr) == 1) {
			r.family = AF_INET;
			r.prefix = 32;
		} else if (inet_pton(AF_INET6, a, r.addr) == 1) {
			r.family = AF_INET6;
			r.prefix = 128;
		} else {
			return -EINVAL;
		}
		if (slash) {
			char *end = NULL;
			unsigned long pl = strtoul(slash, &end, 10);

			if (*end || pl > r.prefix) {
				return -EINVAL;
			}
			r.prefix = (unsigned)pl;
		}
	}
	p->nets[p->nnets++] = r;
	return 0;
}

static int parse_line(struct tzm_policy *p, char *line)
{
	char *tok[6] = { 0 };
	int n = 0;
	char *save = NULL;

	for (char *t = strtok_r(line, " \t", &save); t && n < 6; t = strtok_r(NULL, " \t", &save)) {
		tok[n++] = t;
	}
	if (n == 0) {
		return 0;
	}
	if (strcmp(tok[0], "path") == 0 && n >= 3 &&
	    (strcmp(tok[1], "ro") == 0 || strcmp(tok[1], "rw") == 0)) {
		struct path_opts opts = { false, false };

		for (int i = 3; i < n; i++) {
			if (strcmp(tok[i], "nolinks") == 0 && !opts.nolinks) {
				opts.nolinks = true;
			} else if (strcmp(tok[i], "uplinks") == 0 && !opts.uplinks) {
				opts.uplinks = true;
			} else {
				return -EINVAL;
			}
		}
		return add_path(p, tok[2], tok[1][1] == 'w', TZM_POL_FILE, opts);
	}
	if (strcmp(tok[0], "fifo") == 0 && n == 2) {
		return add_path(p, tok[1], true, TZM_POL_FIFO, (struct path_opts){ false, false });
	}
	if (strcmp(tok[0], "unix") == 0 && n == 2) {
		if (tok[1][0] == '@') {
			return add_name(p->abstract, &p->nabstract, tok[1] + 1);
		}
		return add_path(p, tok[1], true, TZM_POL_UNIX, (struct path_opts){ false, false });
	}
	if (strcmp(tok[0], "udp_reply") == 0 && n == 2 &&
	    (strcmp(tok[1], "on") == 0 || strcmp(tok[1], "off") == 0)) {
		p->no_udp_reply = strcmp(tok[1], "off") == 0;
		return 0;
	}
	if ((strcmp(tok[0], "tcp") == 0 || strcmp(tok[0], "udp") == 0) && n == 4) {
		return add_net(p, tok[0], tok[1], tok[2], tok[3]);
	}
	if (strcmp(tok[0], "mq") == 0 && n == 2 && tok[1][0] == '/') {
		return add_name(p->mqs, &p->nmqs, tok[1]);
	}
	if (strcmp(tok[0], "max_fds") == 0 && n == 2) {
		char *end = NULL;
		unsigned long v = strtoul(tok[1], &end, 10);

		if (*end || v < 3 || v > 1024) {
			return -EINVAL;
		}
		p->max_fds = (unsigned)v;
		return 0;
	}
	if (strcmp(tok[0], "max_inflight") == 0 && n == 2) {
		char *end = NULL;
		unsigned long v = strtoul(tok[1], &end, 10);

		if (*end == 'K' || *end == 'k') {
			v *= 1024;
			end++;
		} else if (*end == 'M' || *end == 'm') {
			v *= 1024 * 1024;
			end++;
		}
		if (*end || v < 4096) {
			return -EINVAL;
		}
		p->max_inflight = v;
		return 0;
	}
	if (strcmp(tok[0], "log") == 0 && n == 2) {
		if (p->log) {
			fclose(p->log);
		}
		p->log = fopen(tok[1], "ae");
		return p->log ? 0 : -errno;
	}
	return -EINVAL;
}

/* Whether f has nothing more to read (the character peeked at is put back). */
static bool at_eof(FILE *f)
{
	int c = getc(f);

	if (c == EOF) {
		return true;
	}
	(void)ungetc(c, f);
	return false;
}

int tzm_policy_load(const char *file, struct tzm_policy **out, char *err, size_t errlen)
{
	struct tzm_policy *p = calloc(1, sizeof(*p));
	FILE *f = NULL;
	char line[1024];
	unsigned lineno = 0;
	int rc = 0;

	*out = NULL;
	if (!p) {
		snprintf(err, errlen, "out of memory");
		rc = -ENOMEM;
		goto out;
	}
	p->max_fds = 1024;
	f = fopen(file, "re");
	if (!f) {
		rc = -errno;
		snprintf(err, errlen, "%s: %s", file, strerror(errno));
		goto out;
	}
	while (fgets(line, sizeof(line), f)) {
		char *hash = strchr(line, '#');
		size_t len = strlen(line);

		lineno++;
		if (len == sizeof(line) - 1 && line[len - 1] != '\n' && !at_eof(f)) {
			/*
			 * fgets split the line: its tail would be read as a line of its own,
			 * e.g. a rule at the end of a long comment would be granted.
			 */
			snprintf(err, errlen, "%s:%u: line longer than %zu characters", file,
				 lineno, sizeof(line) - 2);
			rc = -EINVAL;
			goto out;
		}
		if (hash) {
			*hash = '\0';
		}
		len = strlen(line);
		while (len > 0 && isspace((unsigned char)line[len - 1])) {
			line[--len] = '\0';
		}
		rc = parse_line(p, line);
		if (rc != 0) {
			snprintf(err, errlen, "%s:%u: %s", file, lineno,
				 rc == -EINVAL ? "invalid rule" : strerror(-rc));
			goto out;
		}
	}
	*out = p;
	p = NULL;
out:
	if (f) {
		fclose(f);
	}
	tzm_policy_free(p);
	return rc;
}

/* path (normalised, absolute, plen bytes) is dir or lies below it, whole components. */
static bool path_within(const char *path, size_t plen, const char *dir, size_t dlen)
{
	if (dlen == 1) {
		return true; /* "/" */
	}
	return plen >= dlen && memcmp(path, dir, dlen) == 0 &&
	       (path[dlen] == '\0' || path[dlen] == '/');
}

/* The longest rule of `kind` matching abspath (component-wise prefix), or NULL. */
static const struct path_rule *find_rule(const struct tzm_policy *p, const char *abspath,
					 enum tzm_pol_kind kind, const char **rel)
{
	const struct path_rule *best = NULL;
	size_t alen = strlen(abspath);

	if (abspath[0] != '/') {
		return NULL;
	}
	for (size_t i = 0; i < p->npaths; i++) {
		const struct path_rule *r = &p->paths[i];
		bool match = false;

		if (r->kind != kind) {
			continue;
		}
		if (r->exact) {
			match = alen == r->len && memcmp(abspath, r->path, alen) == 0;
		} else {
			match = path_within(abspath, alen, r->path, r->len);
		}
		if (match && (!best || r->len > best->len)) {
			best = r;
		}
	}
	if (best && best->exact) {
		*rel = best->exact;
	} else if (best) {
		const char *r = abspath + (best->len == 1 ? 0 : best->len);

		while (*r == '/') {
			r++;
		}
		*rel = *r ? r : ".";
	}
	return best;
}

int tzm_policy_path(const struct tzm_policy *p, const char *abspath, bool write,
		    enum tzm_pol_kind kind, int *rootfd, const char **rel, bool *beneath)
{
	const struct path_rule *best = NULL;

	if (p->allow_all) {
		*rootfd = AT_FDCWD;
		*rel = abspath;
		*beneath = false;
		return 0;
	}
	best = find_rule(p, abspath, kind, rel);
	if (!best || (write && !best->rw)) {
		return -EACCES;
	}
	*rootfd = best->rootfd;
	*beneath = true;
	return 0;
}

bool tzm_policy_uplinks(const struct tzm_policy *p, const char *abspath)
{
	const struct path_rule *r = NULL;
	const char *rel = NULL;

	if (p->allow_all) {
		return true;
	}
	r = find_rule(p, abspath, TZM_POL_FILE, &rel);
	return r && r->uplinks;
}

/* a scoped lookup that raced a rename or mount is tried again, this many times in all */
#define OPENAT2_TRIES 16

static long openat2_resolve(int rootfd, const char *rel, int flags, mode_t mode, uint64_t resolve)
{
	struct open_how how;

	memset(&how, 0, sizeof(how));
	how.flags = (uint64_t)(unsigned)flags;
	/* O_TMPFILE contains O_DIRECTORY's bit: test it whole (openat2 rejects a stray mode) */
	how.mode = ((flags & O_CREAT) || (flags & O_TMPFILE) == O_TMPFILE) ? mode : 0;
	how.resolve = resolve;
	for (int tries = 1;; tries++) {
		long fd = syscall(SYS_openat2, rootfd, rel, &how, sizeof(how));

		/*
		 * EAGAIN: a rename or mount anywhere in the system raced the scoped lookup of a
		 * ".." component, and the kernel asks the caller to try again (openat2(2)). With
		 * TA hosts setting up mount namespaces beside us this is not rare: a Wasm TA
		 * listing a directory 1,500 times saw it within tens of rounds under ASan.
		 */
		if (fd >= 0 || errno != EAGAIN || tries == OPENAT2_TRIES) {
			return fd;
		}
	}
}

int tzm_policy_openat(int rootfd, const char *rel, bool beneath, int flags, mode_t mode)
{
	long fd = -1;

	if (!beneath) {
		fd = openat(rootfd, rel, flags, mode);
		return fd < 0 ? -errno : (int)fd;
	}
	fd = openat2_resolve(rootfd, rel, flags, mode, RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS);
	if (fd < 0) {
		if (errno == ENOSYS) {
			/* no safe resolution available: refuse rather than race */
			tzm_policy_deny_log(NULL, "%s: openat2 unavailable, path access refused",
					    rel);
			return -EACCES;
		}
		return -errno;
	}
	return (int)fd;
}

enum tzm_pol_kind tzm_policy_kind_of(mode_t mode)
{
	if (S_ISFIFO(mode)) {
		return TZM_POL_FIFO;
	}
	if (S_ISSOCK(mode)) {
		return TZM_POL_UNIX;
	}
	return TZM_POL_FILE;
}

const char *tzm_policy_type_name(mode_t mode)
{
	switch (mode & S_IFMT) {
	case S_IFREG:
		return "regular file";
	case S_IFDIR:
		return "directory";
	case S_IFLNK:
		return "symlink";
	case S_IFIFO:
		return "FIFO";
	case S_IFSOCK:
		return "socket";
	default:
		return "device";
	}
}

static const char *const rule_names[] = { "path", "fifo", "unix" };

/* Why no rule granted an open; the most specific reason is logged. */
enum open_refusal {
	NO_RULE,
	READ_ONLY,
	CREATE_KIND,
	WRONG_TYPE
};

/*
 * O_CREAT without O_EXCL on a name that is a dangling symlink creates the link's target, as
 * Linux does: *rel becomes the target (relative to the link's directory, in buf) and the
 * creation is retried, still resolved beneath the rule's root. Returns 1 when *rel was
 * replaced, 0 when the name is not a symlink (a plain EEXIST race), or -errno.
 */
static int follow_dangling(const struct path_rule *r, const char **rel, char *buf, size_t buflen,
			   uint64_t resolve, unsigned *hops)
{
	char target[PATH_MAX];
	const char *slash = NULL;
	size_t dirlen = 0, tlen = 0;
	struct stat st;
	ssize_t n = 0;
	long fd = openat2_resolve(r->rootfd, *rel, O_PATH | O_NOFOLLOW | O_CLOEXEC, 0, resolve);
	int rc = 0;

	if (fd < 0) {
		return errno == ENOENT ? 0 : -errno; /* gone again: the caller retries */
	}
	if (fstat((int)fd, &st) != 0) {
		rc = -errno;
		goto out;
	}
	if (!S_ISLNK(st.st_mode)) {
		goto out;
	}
	if (++*hops > 40) { /* Linux's limit of links followed in one lookup */
		rc = -ELOOP;
		goto out;
	}
	n = readlinkat((int)fd, "", target, sizeof(target) - 1);
	if (n < 0) {
		rc = -errno;
		goto out;
	}
	target[n] = '\0';
	tlen = (size_t)n;
	if (target[0] == '/') {
		rc = -EXDEV; /* an absolute target leaves the tree, as RESOLVE_BENEATH says */
		goto out;
	}
	slash = strrchr(*rel, '/');
	dirlen = slash ? (size_t)(slash - *rel) + 1 : 0;
	if (dirlen + tlen + 1 > buflen) {
		rc = -ENAMETOOLONG;
		goto out;
	}
	memmove(buf, *rel, dirlen); /* *rel may point into buf */
	memcpy(buf + dirlen, target, tlen + 1);
	*rel = buf;
	rc = 1;
out:
	close((int)fd);
	return rc;
}

/*
 * One rule's attempt for tzm_policy_open: the object is opened with O_PATH under the
 * rule's root (the only path resolution), its type checked on that fd, then reopened
 * through /proc/self/fd/N, which names the inode already checked: a rename or symlink
 * swapped in meanwhile cannot redirect the open. Returns an fd, -errno (final), or 1: not
 * this rule (*why says why, *seen the type found).
 */
static int open_under(const struct tzm_policy *p, const char *what, const char *abspath,
		      const struct path_rule *r, const char *rel, unsigned kinds, int flags,
		      mode_t mode, enum open_refusal *why, mode_t *seen)
{
	uint64_t resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS;
	bool excl = (flags & O_CREAT) && (flags & O_EXCL);
	char proc[40], followed[PATH_MAX];
	unsigned hops = 0;
	struct stat st;
	long fd = -1;
	int rc = 0;

	if (r->exact) {
		/* the root is the parent, which is not granted: never follow a link in it */
		resolve |= RESOLVE_NO_SYMLINKS;
	}
	for (int attempt = 0;; attempt++) {
		if (!excl) {
			fd = openat2_resolve(r->rootfd, rel,
					     O_PATH | O_CLOEXEC |
						     (flags & (O_NOFOLLOW | O_DIRECTORY)),
					     0, resolve);
			if (fd >= 0 || errno != ENOENT || !(flags & O_CREAT)) {
				break;
			}
		}
		if (r->kind != TZM_POL_FILE) {
			*why = CREATE_KIND;
			return 1;
		}
		/* creation: O_EXCL makes sure the object is the new regular file */
		fd = openat2_resolve(r->rootfd, rel, flags | O_EXCL | O_CLOEXEC, mode, resolve);
		if (fd >= 0) {
			return (int)fd;
		}
		if (errno != EEXIST || excl || attempt >= 8 + (int)hops) {
			break; /* EEXIST 8 times: something keeps recreating it; report that */
		}
		if (!r->exact && !(flags & O_NOFOLLOW)) {
			/* a single-object rule never follows a link (RESOLVE_NO_SYMLINKS above) */
			rc = follow_dangling(r, &rel, followed, sizeof(followed), resolve, &hops);
			if (rc < 0) {
				errno = -rc;
				fd = -1;
				break;
			}
		}
	}
	if (fd < 0) {
		int err = errno;

		if (err == EXDEV) {
			tzm_policy_deny_log(p, "%s %s: escapes the allowed tree", what, abspath);
			return -EACCES;
		}
		if (err == ELOOP && r->exact) {
			tzm_policy_deny_log(p,
					    "%s %s: a symlink (a single-object rule follows none)",
					    what, abspath);
			return -EACCES;
		}
		if (err == ENOSYS) {
			tzm_policy_deny_log(p, "%s %s: openat2 unavailable, path access refused",
					    what, abspath);
			return -EACCES;
		}
		return -err;
	}
	if (fstat((int)fd, &st) != 0) {
		rc = -errno;
		goto out;
	}
	if (tzm_policy_kind_of(st.st_mode) != r->kind &&
	    !((kinds & TZM_POL_STAT) && r->kind == TZM_POL_FILE)) {
		*why = WRONG_TYPE;
		*seen = st.st_mode;
		rc = 1;
		goto out;
	}
	if (r->nolinks && S_ISREG(st.st_mode) && st.st_nlink > 1) {
		tzm_policy_deny_log(p, "%s %s: a regular file with %lu links in a nolinks tree",
				    what, abspath, (unsigned long)st.st_nlink);
		rc = -EACCES;
		goto out;
	}
	if (flags & O_PATH) {
		rc = (int)fd;
		fd = -1; /* the caller's now */
		goto out;
	}
	if (S_ISLNK(st.st_mode)) { /* O_NOFOLLOW on a symlink, as Linux */
		rc = -ELOOP;
		goto out;
	}
	snprintf(proc, sizeof(proc), "/proc/self/fd/%ld", fd);
	rc = open(proc, (flags & ~(O_CREAT | O_EXCL | O_NOFOLLOW)) | O_CLOEXEC);
	if (rc < 0) {
		rc = -errno;
	}
out:
	if (fd >= 0) {
		close((int)fd);
	}
	return rc;
}

/* abspath (normalised, absolute) is a directory above some rule's path, "/" included. */
static bool above_a_rule(const struct tzm_policy *p, const char *abspath)
{
	size_t alen = strlen(abspath);

	for (size_t i = 0; i < p->npaths; i++) {
		const struct path_rule *r = &p->paths[i];

		if (r->len > alen && path_within(r->path, r->len, abspath, alen)) {
			return true;
		}
	}
	return false;
}

/*
 * Examining (stat, lstat, access without W_OK, realpath) a directory above a rule's path
 * is answered, where no rule grants it: programs walk to their files from "/" (Tcl's
 * `file mkdir` and `file normalize`, mkdir -p, realpath implementations stat every
 * ancestor), and these directories' names are already in the policy. Only a directory
 * qualifies, looked up without following a final symlink, and only as an O_PATH fd: its
 * metadata, never its entries or contents. Returns the fd, or -1 (not such a directory).
 */
static int open_above_rule(const struct tzm_policy *p, const char *abspath, unsigned kinds,
			   bool write, int flags)
{
	struct stat st;

	if (write || !(kinds & TZM_POL_STAT) || !(flags & O_PATH) || !above_a_rule(p, abspath)) {
		return -1;
	}
	int fd = open(abspath, O_PATH | O_CLOEXEC | O_NOFOLLOW | O_DIRECTORY);
	if (fd < 0) {
		return -1;
	}
	if (fstat(fd, &st) != 0 || !S_ISDIR(st.st_mode)) {
		close(fd);
		return -1;
	}
	return fd;
}

int tzm_policy_open(const struct tzm_policy *p, const char *what, const char *abspath, bool write,
		    unsigned kinds, int flags, mode_t mode)
{
	enum open_refusal why = NO_RULE;
	enum tzm_pol_kind wrong = TZM_POL_FILE;
	mode_t seen = 0;

	if (p->allow_all) {
		int fd = openat(AT_FDCWD, abspath, flags, mode);

		return fd < 0 ? -errno : fd;
	}
	for (unsigned k = 0; k < 3; k++) {
		const char *rel = NULL;
		const struct path_rule *r = NULL;
		enum open_refusal w = NO_RULE;
		int rc = 0;

		if (!(kinds & (1u << k)) ||
		    !(r = find_rule(p, abspath, (enum tzm_pol_kind)k, &rel))) {
			continue;
		}
		if (write && !r->rw) {
			w = READ_ONLY;
		} else {
			rc = open_under(p, what, abspath, r, rel, kinds, flags, mode, &w, &seen);
			if (rc != 1) {
				return rc;
			}
		}
		if (w >= why) {
			why = w;
			wrong = (enum tzm_pol_kind)k;
		}
	}
	if (why == NO_RULE) {
		int fd = open_above_rule(p, abspath, kinds, write, flags);

		if (fd >= 0) {
			return fd;
		}
	}
	switch (why) {
	case WRONG_TYPE:
		tzm_policy_deny_log(p, "%s %s: a %s is not granted by a %s rule", what, abspath,
				    tzm_policy_type_name(seen), rule_names[wrong]);
		break;
	case CREATE_KIND:
		tzm_policy_deny_log(p, "%s %s: creating a regular file needs a path rule", what,
				    abspath);
		break;
	default:
		tzm_policy_deny_log(p, "%s %s %s", what, write ? "rw" : "ro", abspath);
		break;
	}
	return -EACCES;
}

bool tzm_policy_udp_reply(const struct tzm_policy *p)
{
	return p->allow_all || !p->no_udp_reply;
}

static bool prefix_match(const uint8_t *a, const uint8_t *b, unsigned bits)
{
	unsigned full = bits / 8, rest = bits % 8;

	if (memcmp(a, b, full) != 0) {
		return false;
	}
	if (rest) {
		uint8_t mask = (uint8_t)(0xff << (8 - rest));

		return (a[full] & mask) == (b[full] & mask);
	}
	return true;
}

int tzm_policy_net(const struct tzm_policy *p, int proto, bool bind, const struct sockaddr *sa,
		   socklen_t len)
{
	const uint8_t *addr = NULL;
	uint16_t port = 0;
	int fam = sa->sa_family;

	if (p->allow_all) {
		return 0;
	}
	if (fam == AF_INET && len >= sizeof(struct sockaddr_in)) {
		const struct sockaddr_in *in = (const struct sockaddr_in *)sa;

		addr = (const uint8_t *)&in->sin_addr;
		port = ntohs(in->sin_port);
	} else if (fam == AF_INET6 && len >= sizeof(struct sockaddr_in6)) {
		const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)sa;

		addr = (const uint8_t *)&in6->sin6_addr;
		port = ntohs(in6->sin6_port);
		/* ::ffff:a.b.c.d reaches the IPv4 host a.b.c.d (dual-stack sockets): it is
		 * matched as that host, so an IPv6 rule (::/0) grants no IPv4 host and an
		 * IPv4 rule covers its mapped form */
		if (IN6_IS_ADDR_V4MAPPED(&in6->sin6_addr)) {
			addr += 12;
			fam = AF_INET;
		}
	} else {
		return -EACCES;
	}
	for (size_t i = 0; i < p->nnets; i++) {
		const struct net_rule *r = &p->nets[i];

		if (r->proto != proto || r->bind != bind || port < r->lo || port > r->hi) {
			continue;
		}
		if (r->family == 0 ||
		    (r->family == fam && prefix_match(addr, r->addr, r->prefix))) {
			return 0;
		}
	}
	return -EACCES;
}

static bool name_match(const struct name_rule *list, size_t n, const char *name, size_t len)
{
	for (size_t i = 0; i < n; i++) {
		size_t rl = strlen(list[i].name);

		if (list[i].prefix ? (len >= rl && memcmp(name, list[i].name, rl) == 0)
				   : (len == rl && memcmp(name, list[i].name, rl) == 0)) {
			return true;
		}
	}
	return false;
}

int tzm_policy_abstract(const struct tzm_policy *p, const char *name, size_t len)
{
	if (p->allow_all) {
		return 0;
	}
	return name_match(p->abstract, p->nabstract, name, len) ? 0 : -EACCES;
}

int tzm_policy_mq(const struct tzm_policy *p, const char *name)
{
	if (p->allow_all) {
		return 0;
	}
	return name_match(p->mqs, p->nmqs, name, strlen(name)) ? 0 : -EACCES;
}

unsigned tzm_policy_max_fds(const struct tzm_policy *p)
{
	return p->max_fds ? p->max_fds : 1024;
}

size_t tzm_policy_max_inflight(const struct tzm_policy *p)
{
	return p->max_inflight;
}
