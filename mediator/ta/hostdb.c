/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The old host lookups for a TA: gethostbyname gethostbyname2 gethostbyname_r
 * gethostbyname2_r gethostbyaddr gethostbyaddr_r, on top of libtzm's getaddrinfo and
 * getnameinfo (netdb.c: resolved by the shadow, every answer validated there), and
 * sethostent gethostent gethostent_r endhostent, which fail with one log line.
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
 * Enumerating the hosts database: the shadow has no call for it (getaddrinfo answers
 * names, not the list). NULL with h_errno NO_RECOVERY, errno ENOSYS and one log line.
 */
void sethostent(int stay_open)
{
	(void)stay_open;
}

void endhostent(void)
{
}

struct hostent *gethostent(void)
{
	tzm__unsupported("gethostent");
	h_errno = NO_RECOVERY;
	return NULL;
}

int gethostent_r(struct hostent *h, char *buf, size_t len, struct hostent **result, int *herr)
{
	(void)h;
	(void)buf;
	(void)len;
	if (!tzm__null(result)) {
		*result = NULL;
	}
	if (!tzm__null(herr)) {
		*herr = NO_RECOVERY;
	}
	tzm__unsupported("gethostent_r");
	return ENOSYS;
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
