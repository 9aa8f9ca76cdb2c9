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
	int rootfd;   /* O_PATH fd: the directory itself, or the parent for exact rules */
	char *exact;  /* exact rules: final name (rel is this name) */
	bool rw;
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

static int add_path(struct tzm_policy *p, const char *raw, bool rw, enum tzm_pol_kind kind)
{
	char norm[PATH_MAX];
	struct path_rule *r = NULL;
	struct stat st;
	int rc = normalise(raw, norm, sizeof(norm));

	if (rc != 0) {
		return rc;
	}
	if (p->npaths >= MAX_RULES) {
		return -E2BIG;
	}
	r = &p->paths[p->npaths];
	memset(r, 0, sizeof(*r));
	r->rootfd = -1;
	r->rw = rw;
	r->kind = kind;
	r->path = strdup(norm);
	if (!r->path) {
		return -ENOMEM;
	}
	r->len = strlen(norm);
	if (stat(norm, &st) == 0 && S_ISDIR(st.st_mode)) {
		r->rootfd = open(norm, O_PATH | O_DIRECTORY | O_CLOEXEC);
	} else {
		/* a single object (possibly not created yet): root is its parent */
		char *slash = strrchr(r->path, '/');
		char parent[PATH_MAX];

		memcpy(parent, r->path, (size_t)(slash - r->path));
		parent[slash - r->path] = '\0';
		r->exact = strdup(slash + 1);
		r->rootfd = open(parent[0] ? parent : "/", O_PATH | O_DIRECTORY | O_CLOEXEC);
		if (!r->exact) {
			free(r->path);
			return -ENOMEM;
		}
	}
	if (r->rootfd < 0) {
		rc = -errno;
		free(r->path);
		free(r->exact);
		return rc;
	}
	p->npaths++;
	return 0;
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
	char *tok[6] = {0};
	int n = 0;
	char *save = NULL;

	for (char *t = strtok_r(line, " \t", &save); t && n < 6; t = strtok_r(NULL, " \t", &save)) {
		tok[n++] = t;
	}
	if (n == 0) {
		return 0;
	}
	if (strcmp(tok[0], "path") == 0 && n == 3 &&
	    (strcmp(tok[1], "ro") == 0 || strcmp(tok[1], "rw") == 0)) {
		return add_path(p, tok[2], tok[1][1] == 'w', TZM_POL_FILE);
	}
	if (strcmp(tok[0], "fifo") == 0 && n == 2) {
		return add_path(p, tok[1], true, TZM_POL_FIFO);
	}
	if (strcmp(tok[0], "unix") == 0 && n == 2) {
		if (tok[1][0] == '@') {
			return add_name(p->abstract, &p->nabstract, tok[1] + 1);
		}
		return add_path(p, tok[1], true, TZM_POL_UNIX);
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
		return -ENOMEM;
	}
	p->max_fds = 1024;
	f = fopen(file, "re");
	if (!f) {
		rc = -errno;
		snprintf(err, errlen, "%s: %s", file, strerror(errno));
		free(p);
		return rc;
	}
	while (fgets(line, sizeof(line), f)) {
		char *hash = strchr(line, '#');
		size_t len = 0;

		lineno++;
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
			fclose(f);
			tzm_policy_free(p);
			return rc;
		}
	}
	fclose(f);
	*out = p;
	return 0;
}

int tzm_policy_path(const struct tzm_policy *p, const char *abspath, bool write,
		    enum tzm_pol_kind kind, int *rootfd, const char **rel, bool *beneath)
{
	const struct path_rule *best = NULL;
	size_t alen = strlen(abspath);

	if (p->allow_all) {
		*rootfd = AT_FDCWD;
		*rel = abspath;
		*beneath = false;
		return 0;
	}
	if (abspath[0] != '/') {
		return -EACCES;
	}
	for (size_t i = 0; i < p->npaths; i++) {
		const struct path_rule *r = &p->paths[i];
		bool match = false;

		if (r->kind != kind) {
			continue;
		}
		if (r->exact) {
			match = alen == r->len && memcmp(abspath, r->path, alen) == 0;
		} else if (r->len == 1) {
			match = true; /* "/" */
		} else {
			match = alen >= r->len && memcmp(abspath, r->path, r->len) == 0 &&
				(abspath[r->len] == '\0' || abspath[r->len] == '/');
		}
		if (match && (!best || r->len > best->len)) {
			best = r;
		}
	}
	if (!best || (write && !best->rw)) {
		return -EACCES;
	}
	*rootfd = best->rootfd;
	*beneath = true;
	if (best->exact) {
		*rel = best->exact;
	} else {
		const char *r = abspath + (best->len == 1 ? 0 : best->len);

		while (*r == '/') {
			r++;
		}
		*rel = *r ? r : ".";
	}
	return 0;
}

int tzm_policy_openat(int rootfd, const char *rel, bool beneath, int flags, mode_t mode)
{
	struct open_how how;
	long fd = -1;

	if (!beneath) {
		fd = openat(rootfd, rel, flags, mode);
		return fd < 0 ? -errno : (int)fd;
	}
	memset(&how, 0, sizeof(how));
	how.flags = (uint64_t)(unsigned)flags;
	/* O_TMPFILE contains O_DIRECTORY's bit: test it whole (openat2 rejects a stray mode) */
	how.mode = ((flags & O_CREAT) || (flags & O_TMPFILE) == O_TMPFILE) ? mode : 0;
	how.resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS;
	fd = syscall(SYS_openat2, rootfd, rel, &how, sizeof(how));
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
	} else {
		return -EACCES;
	}
	for (size_t i = 0; i < p->nnets; i++) {
		const struct net_rule *r = &p->nets[i];

		if (r->proto != proto || r->bind != bind || port < r->lo || port > r->hi) {
			continue;
		}
		if (r->family == 0 || (r->family == fam && prefix_match(addr, r->addr, r->prefix))) {
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
