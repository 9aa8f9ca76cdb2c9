/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The old host lookups for a TA: gethostbyname gethostbyname2 gethostbyname_r
 * gethostbyname2_r gethostbyaddr gethostbyaddr_r, on top of libtzm's getaddrinfo and
 * getnameinfo (netdb.c: resolved by the shadow, every answer validated there), and
 * sethostent gethostent gethostent_r endhostent over /etc/hosts, read under the policy.
 *
 * glibc's versions run NSS inside the TA: its stat of nscd's socket, its open of
 * /etc/hosts and its DNS socket are system calls the TA sandbox refuses, so a TA got
 * NETDB_INTERNAL and log lines naming system calls, not the lookup. Differences from
 * glibc's, which the TA cannot see anyway: no aliases (h_aliases is empty; getaddrinfo
 * gives only the canonical name), and at most TZM_WIRE_MAX_AI addresses.
 *
 * A result is packed into the caller's buffer (the _r forms) or a static one:
 *
 *   | h_aliases: NULL | h_addr_list: n+1 pointers | n addresses | h_name, NUL |
 *   ^ buf rounded up to a pointer's alignment
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdalign.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "tzm_int.h"

#define HOST_NAME_CAP 1025 /* NI_MAXHOST */
#define HOST_ADDRS_MAX TZM_WIRE_MAX_AI
#define HOST_STATIC_BUF 8192

/* A lookup's answer, validated and in TA memory, before it is packed. */
struct host_answer {
	int family;
	size_t addr_len;
	size_t naddr;
	uint8_t addr[HOST_ADDRS_MAX][sizeof(struct in6_addr)];
	char name[HOST_NAME_CAP];
};

/* h_errno for a getaddrinfo/getnameinfo failure; *err: the _r functions' return value. */
static int herr_of_eai(int eai, int *err)
{
	*err = 0;
	switch (eai) {
	case EAI_NONAME:
	case EAI_ADDRFAMILY:
		return HOST_NOT_FOUND;
	case EAI_NODATA:
		return NO_DATA;
	case EAI_AGAIN:
		*err = EAGAIN;
		return TRY_AGAIN;
	case EAI_MEMORY:
		*err = ENOMEM;
		return NETDB_INTERNAL;
	case EAI_SYSTEM:
		*err = errno ? errno : EIO;
		return NETDB_INTERNAL;
	default: /* EAI_FAIL and codes a name lookup does not give */
		return NO_RECOVERY;
	}
}

static size_t addr_len_of(int af)
{
	return af == AF_INET ? sizeof(struct in_addr) : sizeof(struct in6_addr);
}

/* The address of a getaddrinfo entry (already checked by netdb.c for its family). */
static const void *ai_addr_bytes(const struct addrinfo *ai)
{
	if (ai->ai_family == AF_INET) {
		return &((const struct sockaddr_in *)(const void *)ai->ai_addr)->sin_addr;
	}
	return &((const struct sockaddr_in6 *)(const void *)ai->ai_addr)->sin6_addr;
}

/* Resolves name in family af into *a; 0 or an EAI code. */
static int lookup_name(const char *name, int af, struct host_answer *a)
{
	struct addrinfo hints, *res = NULL;
	int rc = 0;

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = af;
	hints.ai_socktype = SOCK_STREAM; /* one entry per address, not one per socket type */
	hints.ai_flags = AI_CANONNAME;
	rc = getaddrinfo(name, NULL, &hints, &res);
	if (rc != 0) {
		return rc;
	}
	a->family = af;
	a->addr_len = addr_len_of(af);
	a->naddr = 0;
	/* netdb.c checked the canonical name's length and NUL; without one, the name asked */
	snprintf(a->name, sizeof(a->name), "%s", res->ai_canonname ? res->ai_canonname : name);
	for (const struct addrinfo *ai = res; ai && a->naddr < HOST_ADDRS_MAX; ai = ai->ai_next) {
		const void *bytes = ai_addr_bytes(ai);
		bool seen = false;

		if (ai->ai_family != af) {
			continue;
		}
		for (size_t i = 0; i < a->naddr && !seen; i++) {
			seen = memcmp(a->addr[i], bytes, a->addr_len) == 0;
		}
		if (!seen) {
			memcpy(a->addr[a->naddr++], bytes, a->addr_len);
		}
	}
	freeaddrinfo(res);
	return a->naddr > 0 ? 0 : EAI_NODATA;
}

/* Packs a into h and buf (layout in the file comment); 0 or ERANGE. */
static int pack(const struct host_answer *a, struct hostent *h, char *buf, size_t len)
{
	uintptr_t base = (uintptr_t)buf;
	size_t pad = (alignof(char *) - base % alignof(char *)) % alignof(char *);
	size_t ptrs = (1 + a->naddr + 1) * sizeof(char *);
	size_t name_len = strlen(a->name) + 1;
	size_t need = 0;
	char **aliases = NULL, **list = NULL;
	char *addrs = NULL;

	if (__builtin_add_overflow(pad, ptrs, &need) ||
	    __builtin_add_overflow(need, a->naddr * a->addr_len, &need) ||
	    __builtin_add_overflow(need, name_len, &need) || need > len) {
		return ERANGE;
	}
	aliases = (char **)(void *)(buf + pad);
	list = aliases + 1;
	addrs = buf + pad + ptrs;
	aliases[0] = NULL;
	for (size_t i = 0; i < a->naddr; i++) {
		list[i] = addrs + i * a->addr_len;
		memcpy(list[i], a->addr[i], a->addr_len);
	}
	list[a->naddr] = NULL;
	h->h_name = addrs + a->naddr * a->addr_len;
	memcpy(h->h_name, a->name, name_len);
	h->h_aliases = aliases;
	h->h_addrtype = a->family;
	h->h_length = (int)a->addr_len;
	h->h_addr_list = list;
	return 0;
}

/* The common tail of the _r functions: 0 with *result, or the error with *herr set. */
static int finish(int eai, const struct host_answer *a, struct hostent *h, char *buf, size_t len,
		  struct hostent **result, int *herr)
{
	int err = 0;

	if (eai != 0) {
		*herr = herr_of_eai(eai, &err);
		if (err) {
			errno = err;
		}
		return err;
	}
	err = pack(a, h, buf, len);
	if (err) {
		*herr = NETDB_INTERNAL;
		errno = err;
		return err;
	}
	*herr = NETDB_SUCCESS;
	*result = h;
	return 0;
}

int gethostbyname2_r(const char *name, int af, struct hostent *h, char *buf, size_t len,
		     struct hostent **result, int *herr)
{
	struct host_answer *a = NULL;
	int rc = 0;

	if (tzm__null(name) || tzm__null(h) || tzm__null(buf) || tzm__null(result) ||
	    tzm__null(herr)) {
		return EFAULT;
	}
	*result = NULL;
	if (af != AF_INET && af != AF_INET6) {
		*herr = NO_DATA;
		errno = EAFNOSUPPORT;
		return EAFNOSUPPORT;
	}
	a = malloc(sizeof(*a));
	if (!a) {
		*herr = NETDB_INTERNAL;
		return ENOMEM;
	}
	rc = finish(lookup_name(name, af, a), a, h, buf, len, result, herr);
	free(a);
	return rc;
}

int gethostbyname_r(const char *name, struct hostent *h, char *buf, size_t len,
		    struct hostent **result, int *herr)
{
	return gethostbyname2_r(name, AF_INET, h, buf, len, result, herr);
}

int gethostbyaddr_r(const void *addr, socklen_t addr_len, int af, struct hostent *h, char *buf,
		    size_t len, struct hostent **result, int *herr)
{
	struct sockaddr_storage ss;
	struct host_answer *a = NULL;
	socklen_t sl = 0;
	int eai = 0, rc = 0;

	if (tzm__null(addr) || tzm__null(h) || tzm__null(buf) || tzm__null(result) ||
	    tzm__null(herr)) {
		return EFAULT;
	}
	*result = NULL;
	if ((af != AF_INET && af != AF_INET6) || addr_len != addr_len_of(af)) {
		*herr = NETDB_INTERNAL;
		errno = EAFNOSUPPORT;
		return EAFNOSUPPORT;
	}
	memset(&ss, 0, sizeof(ss));
	if (af == AF_INET) {
		struct sockaddr_in *sin = (struct sockaddr_in *)(void *)&ss;

		sin->sin_family = AF_INET;
		memcpy(&sin->sin_addr, addr, addr_len);
		sl = sizeof(*sin);
	} else {
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)(void *)&ss;

		sin6->sin6_family = AF_INET6;
		memcpy(&sin6->sin6_addr, addr, addr_len);
		sl = sizeof(*sin6);
	}
	a = malloc(sizeof(*a));
	if (!a) {
		*herr = NETDB_INTERNAL;
		return ENOMEM;
	}
	a->family = af;
	a->addr_len = addr_len;
	a->naddr = 1;
	memcpy(a->addr[0], addr, addr_len);
	/* getnameinfo (netdb.c) checked that the name fits and ends in its NUL */
	eai = getnameinfo((const struct sockaddr *)&ss, sl, a->name, sizeof(a->name), NULL, 0,
			  NI_NAMEREQD);
	rc = finish(eai, a, h, buf, len, result, herr);
	free(a);
	return rc;
}

/* The non-reentrant forms: one static result, h_errno set. */
static struct hostent host_static;
static alignas(char *) char host_buf[HOST_STATIC_BUF];

static struct hostent *static_answer(struct hostent *r, int herr)
{
	h_errno = herr;
	return r;
}

struct hostent *gethostbyname2(const char *name, int af)
{
	struct hostent *r = NULL;
	int herr = NETDB_INTERNAL; /* unless the lookup sets it */
	(void)gethostbyname2_r(name, af, &host_static, host_buf, sizeof(host_buf), &r, &herr);
	return static_answer(r, herr);
}

struct hostent *gethostbyname(const char *name)
{
	return gethostbyname2(name, AF_INET);
}

struct hostent *gethostbyaddr(const void *addr, socklen_t len, int af)
{
	struct hostent *r = NULL;
	int herr = NETDB_INTERNAL; /* unless the lookup sets it */
	(void)gethostbyaddr_r(addr, len, af, &host_static, host_buf, sizeof(host_buf), &r, &herr);
	return static_answer(r, herr);
}

/*
 * Enumerating the hosts database: sethostent gethostent gethostent_r endhostent read the
 * shadow's host's /etc/hosts through the mediator under the TA's policy (`path ro
 * /etc/hosts`; without it the enumeration fails with the policy's EACCES, h_errno
 * NETDB_INTERNAL, and its log line) and parse it in the TA, as glibc's "files" backend
 * does for gethostent: one AF_INET entry per line "address name [alias...]" ('#' starts
 * a comment); an IPv6 address is the IPv4 one it maps (::ffff:a.b.c.d), ::1 is
 * 127.0.0.1, any other IPv6 line is skipped, as is a malformed one. A line over
 * HOSTS_LINE_MAX is skipped whole; at most HOSTS_ALIASES_MAX aliases are kept.
 * Packed as the lookups: | h_aliases: k+1 | h_addr_list: 2 | 4-byte address | name NUL |
 * aliases NUL... |
 */
#define HOSTS_FILE "/etc/hosts"
#define HOSTS_LINE_MAX 1024
#define HOSTS_ALIASES_MAX 32

static FILE *hosts_ent;

struct hosts_line {
	struct in_addr addr;
	const char *name;
	size_t naliases;
	const char *aliases[HOSTS_ALIASES_MAX];
};

/* The IPv4 address a hosts line's address field stands for, as glibc's gethostent. */
static bool hosts_addr(const char *s, struct in_addr *out)
{
	struct in6_addr a6;

	if (inet_pton(AF_INET, s, out) == 1) {
		return true;
	}
	if (inet_pton(AF_INET6, s, &a6) != 1) {
		return false;
	}
	if (IN6_IS_ADDR_V4MAPPED(&a6)) {
		memcpy(out, &a6.s6_addr[12], sizeof(*out));
		return true;
	}
	if (IN6_IS_ADDR_LOOPBACK(&a6)) {
		out->s_addr = htonl(INADDR_LOOPBACK);
		return true;
	}
	return false;
}

/* The next usable line of f into e (strings in line): 1, or 0 at the end. */
static int hosts_next(FILE *f, char *line, size_t cap, struct hosts_line *e)
{
	while (fgets(line, (int)cap, f)) {
		size_t len = strlen(line), n = 0;
		char *save = NULL, *tok = NULL, *hash = strchr(line, '#');

		if (len == cap - 1 && line[len - 1] != '\n') {
			int c = 0;

			while ((c = fgetc(f)) != EOF && c != '\n') {
			}
			continue;
		}
		if (hash) {
			*hash = '\0';
		}
		memset(e, 0, sizeof(*e));
		tok = strtok_r(line, " \t\r\n", &save);
		if (!tok || !hosts_addr(tok, &e->addr)) {
			continue;
		}
		e->name = strtok_r(NULL, " \t\r\n", &save);
		if (!e->name) {
			continue;
		}
		while (n < HOSTS_ALIASES_MAX && (tok = strtok_r(NULL, " \t\r\n", &save)) != NULL) {
			e->aliases[n++] = tok;
		}
		e->naliases = n;
		return 1;
	}
	return 0;
}

/* Packs e into h and buf; 0 or ERANGE. */
static int hosts_pack(const struct hosts_line *e, struct hostent *h, char *buf, size_t len)
{
	size_t pad = (alignof(char *) - (uintptr_t)buf % alignof(char *)) % alignof(char *);
	size_t need = pad + (e->naliases + 1 + 2) * sizeof(char *) + sizeof(e->addr);
	char **aliases = NULL, **list = NULL;
	char *p = NULL;

	need += strlen(e->name) + 1;
	for (size_t i = 0; i < e->naliases; i++) {
		need += strlen(e->aliases[i]) + 1; /* each < HOSTS_LINE_MAX: no overflow */
	}
	if (need > len) {
		return ERANGE;
	}
	aliases = (char **)(void *)(buf + pad);
	list = aliases + e->naliases + 1;
	p = (char *)(list + 2);
	memcpy(p, &e->addr, sizeof(e->addr));
	list[0] = p;
	list[1] = NULL;
	p += sizeof(e->addr);
	h->h_name = p;
	p = stpcpy(p, e->name) + 1;
	for (size_t i = 0; i < e->naliases; i++) {
		aliases[i] = p;
		p = stpcpy(p, e->aliases[i]) + 1;
	}
	aliases[e->naliases] = NULL;
	h->h_aliases = aliases;
	h->h_addrtype = AF_INET;
	h->h_length = (int)sizeof(e->addr);
	h->h_addr_list = list;
	return 0;
}

void sethostent(int stay_open)
{
	(void)stay_open;
	tzm__ent_rewind(hosts_ent);
}

void endhostent(void)
{
	tzm__ent_close(&hosts_ent);
}

/*
 * 0 with *result, or with *result NULL an error number: ENOENT at the end, ERANGE (errno
 * ERANGE; the same entry comes again with a larger buffer), both leaving *herr as it was
 * (glibc 2.36's do), or the open's (the policy's EACCES; *herr NETDB_INTERNAL).
 */
int gethostent_r(struct hostent *h, char *buf, size_t len, struct hostent **result, int *herr)
{
	char line[HOSTS_LINE_MAX];
	struct hosts_line e;
	int saved = errno, rc = 0;
	long where = -1;

	if (tzm__null(h) || tzm__null(buf) || tzm__null(result) || tzm__null(herr)) {
		return EINVAL;
	}
	*result = NULL;
	rc = tzm__ent_open(&hosts_ent, HOSTS_FILE);
	if (rc != 0) {
		*herr = NETDB_INTERNAL;
		errno = rc;
		return rc;
	}
	where = ftell(hosts_ent);
	if (hosts_next(hosts_ent, line, sizeof(line), &e) != 1) {
		errno = saved; /* *herr untouched, as glibc 2.36's */
		return ENOENT;
	}
	rc = hosts_pack(&e, h, buf, len);
	if (rc != 0) {
		if (where >= 0) {
			(void)fseek(hosts_ent, where, SEEK_SET); /* as glibc's: retry the entry */
		}
		errno = rc; /* *herr untouched, as glibc 2.36's */
		return rc;
	}
	*herr = NETDB_SUCCESS;
	*result = h;
	errno = saved;
	return 0;
}

struct hostent *gethostent(void)
{
	struct hostent *r = NULL;
	int herr = NETDB_INTERNAL;
	int rc = gethostent_r(&host_static, host_buf, sizeof(host_buf), &r, &herr);

	return static_answer(r, rc == ENOENT ? HOST_NOT_FOUND : herr);
}

/*
 * gethostid as glibc's computes it: the 32 bits of /etc/hostid if the policy lets the TA
 * read it (`path ro /etc/hostid`), else the host name's first IPv4 address with its
 * halves swapped, else 0. glibc's opened the file and looked the name up with system
 * calls the TA sandbox refuses (0 and log lines naming system calls).
 */
long gethostid(void)
{
	struct hostent h, *r = NULL;
	char name[HOST_NAME_CAP] = "";
	alignas(char *) char buf[HOST_NAME_CAP + 256];
	int32_t id = 0;
	uint32_t in = 0;
	int saved = errno, herr = 0;
	FILE *f = fopen("/etc/hostid", "re");

	if (f) {
		size_t got = fread(&id, sizeof(id), 1, f);

		fclose(f);
		if (got == 1) {
			errno = saved;
			return id;
		}
	}
	errno = saved;
	if (gethostname(name, sizeof(name) - 1) != 0 ||
	    gethostbyname_r(name, &h, buf, sizeof(buf), &r, &herr) != 0 || !r) {
		return 0;
	}
	memcpy(&in, r->h_addr_list[0], sizeof(in));
	return (int32_t)(in << 16 | in >> 16);
}
