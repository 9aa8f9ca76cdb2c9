/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The services, protocols and networks databases for a TA: getservbyname getservbyport
 * getservent setservent endservent getprotobyname getprotobynumber getprotoent
 * setprotoent endprotoent getnetbyname getnetbyaddr getnetent setnetent endnetent and
 * the _r forms of the first two families.
 *
 * glibc's asked nscd over a socket of their own (services: the TA sandbox killed the
 * TA) or opened /etc/services, /etc/protocols and /etc/networks with system calls the
 * sandbox refuses (a NULL answer and log lines naming system calls). Here the shadow's
 * host's files are read through the mediator under the TA's policy (`path ro
 * /etc/services` and so on; without a rule the lookup fails with the policy's EACCES and
 * its log line) and parsed in the TA. The normal world wrote those files: a line longer
 * than LINE_MAX_LEN is skipped whole, at most ALIASES_MAX aliases are kept, a number out
 * of range or a malformed field skips the line, and nothing in a line is trusted before
 * it is checked. Line format (NSS "files"; '#' starts a comment):
 *
 *   services:  name  port/proto  [alias...]
 *   protocols: name  number      [alias...]
 *   networks:  name  a[.b[.c[.d]]] [alias...]
 *
 * A result is packed into the caller's buffer (_r) or a static one:
 *   | aliases: k+1 pointers | name NUL | aliases NUL... | proto NUL (services) |
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <stdalign.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tzm_int.h"

#define LINE_MAX_LEN 1024
#define ALIASES_MAX 32
#define STATIC_BUF 4096

enum db_kind {
	DB_SERVICES,
	DB_PROTOCOLS,
	DB_NETWORKS
};

static const char *const db_path[] = {
	[DB_SERVICES] = "/etc/services",
	[DB_PROTOCOLS] = "/etc/protocols",
	[DB_NETWORKS] = "/etc/networks",
};

/* One parsed line; the strings point into the line buffer. */
struct db_entry {
	const char *name;
	const char *proto; /* services only */
	uint32_t number;   /* port (host order), protocol number or network number */
	size_t naliases;
	const char *aliases[ALIASES_MAX];
};

/* What a lookup wants: a name (or alias), or a number, and for services a protocol. */
struct db_query {
	const char *name;
	uint32_t number;
	bool by_number;
	const char *proto; /* NULL: any */
};

/* Splits line (NUL-terminated, comment cut) into at most cap tokens; their count. */
static size_t tokenize(char *line, char **tok, size_t cap)
{
	size_t n = 0;
	char *save = NULL;

	for (char *t = strtok_r(line, " \t\r\n", &save); t && n < cap;
	     t = strtok_r(NULL, " \t\r\n", &save)) {
		tok[n++] = t;
	}
	return n;
}

/* A decimal number within [0, max] making up the whole string. */
static bool parse_number(const char *s, uint32_t max, uint32_t *out)
{
	char *end = NULL;
	unsigned long v = 0;

	if (*s < '0' || *s > '9') {
		return false;
	}
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno != 0 || *end != '\0' || v > max) {
		return false;
	}
	*out = (uint32_t)v;
	return true;
}

/* Fills e from the tokens of one line of kind; false: a malformed line (skipped). */
static bool parse_entry(enum db_kind kind, char **tok, size_t n, struct db_entry *e)
{
	if (n < 2) {
		return false;
	}
	memset(e, 0, sizeof(*e));
	e->name = tok[0];
	if (kind == DB_SERVICES) {
		char *slash = strchr(tok[1], '/');

		if (!slash || slash[1] == '\0') {
			return false;
		}
		*slash = '\0';
		e->proto = slash + 1;
		if (!parse_number(tok[1], 65535, &e->number)) {
			return false;
		}
	} else if (kind == DB_PROTOCOLS) {
		if (!parse_number(tok[1], 255, &e->number)) {
			return false;
		}
	} else {
		in_addr_t net = inet_network(tok[1]);

		if (net == (in_addr_t)-1) {
			return false;
		}
		e->number = net;
	}
	e->naliases = n - 2;
	for (size_t i = 0; i < e->naliases; i++) {
		e->aliases[i] = tok[i + 2];
	}
	return true;
}

/*
 * Reads the next well-formed entry of kind from f into e (strings in line). 1: an entry,
 * 0: the end of the file. Over-long lines are skipped whole.
 */
static int next_entry(FILE *f, enum db_kind kind, char *line, size_t cap, struct db_entry *e)
{
	char *tok[ALIASES_MAX + 2];

	while (fgets(line, (int)cap, f)) {
		size_t len = strlen(line);
		char *hash = NULL;

		if (len == cap - 1 && line[len - 1] != '\n') {
			int c = 0;

			while ((c = fgetc(f)) != EOF && c != '\n') {
			}
			continue;
		}
		hash = strchr(line, '#');
		if (hash) {
			*hash = '\0';
		}
		if (parse_entry(kind, tok, tokenize(line, tok, sizeof(tok) / sizeof(tok[0])), e)) {
			return 1;
		}
	}
	return 0;
}

static bool entry_matches(const struct db_entry *e, const struct db_query *q)
{
	bool hit = false;

	if (q->proto && (!e->proto || strcmp(e->proto, q->proto) != 0)) {
		return false;
	}
	if (q->by_number) {
		return e->number == q->number;
	}
	hit = strcmp(e->name, q->name) == 0;
	for (size_t i = 0; i < e->naliases && !hit; i++) {
		hit = strcmp(e->aliases[i], q->name) == 0;
	}
	return hit;
}

/* Packs e's strings into buf (layout in the file comment); 0 or ERANGE. */
static int pack_strings(const struct db_entry *e, char *buf, size_t len, char **name,
			char ***aliases, char **proto)
{
	size_t pad = (alignof(char *) - (uintptr_t)buf % alignof(char *)) % alignof(char *);
	size_t need = pad + (e->naliases + 1) * sizeof(char *);
	char **list = NULL;
	char *p = NULL;

	need += strlen(e->name) + 1 + (e->proto ? strlen(e->proto) + 1 : 0);
	for (size_t i = 0; i < e->naliases; i++) {
		need += strlen(e->aliases[i]) + 1; /* each < LINE_MAX_LEN: no overflow */
	}
	if (need > len) {
		return ERANGE;
	}
	list = (char **)(void *)(buf + pad);
	p = buf + pad + (e->naliases + 1) * sizeof(char *);
	*name = p;
	p = stpcpy(p, e->name) + 1;
	for (size_t i = 0; i < e->naliases; i++) {
		list[i] = p;
		p = stpcpy(p, e->aliases[i]) + 1;
	}
	list[e->naliases] = NULL;
	*aliases = list;
	if (proto) {
		*proto = p;
		stpcpy(p, e->proto ? e->proto : "");
	}
	return 0;
}

/* One result record of any kind; pack() fills the one of its kind. */
union db_result {
	struct servent s;
	struct protoent p;
	struct netent n;
};

static int pack(enum db_kind kind, const struct db_entry *e, union db_result *r, char *buf,
		size_t len)
{
	switch (kind) {
	case DB_SERVICES:
		r->s.s_port = (int)htons((uint16_t)e->number);
		return pack_strings(e, buf, len, &r->s.s_name, &r->s.s_aliases, &r->s.s_proto);
	case DB_PROTOCOLS:
		r->p.p_proto = (int)e->number;
		return pack_strings(e, buf, len, &r->p.p_name, &r->p.p_aliases, NULL);
	default:
		r->n.n_addrtype = AF_INET;
		r->n.n_net = e->number;
		return pack_strings(e, buf, len, &r->n.n_name, &r->n.n_aliases, NULL);
	}
}

/*
 * Scans the file of kind for the first entry matching q. 0 with *found set (true: r
 * filled), or an error number (the open's, ERANGE). errno is left alone unless an error
 * is returned, as glibc's lookups that find nothing do.
 */
static int db_find(enum db_kind kind, const struct db_query *q, union db_result *r, char *buf,
		   size_t len, bool *found)
{
	char line[LINE_MAX_LEN];
	struct db_entry e;
	int saved = errno, rc = 0;
	FILE *f = fopen(db_path[kind], "re");

	*found = false;
	if (!f) {
		return errno;
	}
	while (next_entry(f, kind, line, sizeof(line), &e) == 1) {
		if (entry_matches(&e, q)) {
			rc = pack(kind, &e, r, buf, len);
			*found = rc == 0;
			break;
		}
	}
	fclose(f);
	errno = saved;
	return rc;
}

/* ---- enumeration: one open file per database, as glibc's set/get/end*ent ---- */

static FILE *db_open[3];

static void db_set(enum db_kind kind)
{
	tzm__ent_rewind(db_open[kind]);
}

static void db_end(enum db_kind kind)
{
	tzm__ent_close(&db_open[kind]);
}

/* The next entry of kind: 0 with *found (false at the end), or an error number. */
static int db_next(enum db_kind kind, union db_result *r, char *buf, size_t len, bool *found)
{
	char line[LINE_MAX_LEN];
	struct db_entry e;
	int saved = errno, rc = 0;

	*found = false;
	rc = tzm__ent_open(&db_open[kind], db_path[kind]);
	if (rc != 0) {
		return rc;
	}
	if (next_entry(db_open[kind], kind, line, sizeof(line), &e) != 1) {
		errno = saved;
		return 0;
	}
	errno = saved;
	*found = true;
	return pack(kind, &e, r, buf, len);
}

/* ---- the public functions ---- */

static union db_result serv_static, proto_static, net_static;
static alignas(char *) char serv_buf[STATIC_BUF];
static alignas(char *) char proto_buf[STATIC_BUF];
static alignas(char *) char net_buf[STATIC_BUF];

/* An _r function's answer: 0 (*result set or NULL) or the error, *result NULL. */
static int r_answer(int rc, bool found, void *rec, void **result)
{
	*result = rc == 0 && found ? rec : NULL;
	return rc;
}

/* A non-reentrant function's answer: the record, or NULL (errno set on an error). */
static void *static_answer(int rc, bool found, void *rec)
{
	if (rc != 0) {
		errno = rc;
		return NULL;
	}
	return found ? rec : NULL;
}

int getservbyname_r(const char *name, const char *proto, struct servent *s, char *buf, size_t len,
		    struct servent **result)
{
	struct db_query q = { .name = name, .proto = proto };
	union db_result r;
	bool found = false;
	int rc = 0;

	if (tzm__null(name) || tzm__null(s) || tzm__null(buf) || tzm__null(result)) {
		return EFAULT;
	}
	rc = db_find(DB_SERVICES, &q, &r, buf, len, &found);
	if (found) {
		*s = r.s;
	}
	return r_answer(rc, found, s, (void **)result);
}

int getservbyport_r(int port, const char *proto, struct servent *s, char *buf, size_t len,
		    struct servent **result)
{
	struct db_query q = { .number = ntohs((uint16_t)port), .by_number = true, .proto = proto };
	union db_result r;
	bool found = false;
	int rc = 0;

	if (tzm__null(s) || tzm__null(buf) || tzm__null(result)) {
		return EFAULT;
	}
	rc = db_find(DB_SERVICES, &q, &r, buf, len, &found);
	if (found) {
		*s = r.s;
	}
	return r_answer(rc, found, s, (void **)result);
}

struct servent *getservbyname(const char *name, const char *proto)
{
	struct db_query q = { .name = name, .proto = proto };
	bool found = false;
	int rc = EFAULT;

	if (!tzm__null(name)) {
		rc = db_find(DB_SERVICES, &q, &serv_static, serv_buf, sizeof(serv_buf), &found);
	}
	return static_answer(rc, found, &serv_static.s);
}

struct servent *getservbyport(int port, const char *proto)
{
	struct db_query q = { .number = ntohs((uint16_t)port), .by_number = true, .proto = proto };
	bool found = false;
	int rc = db_find(DB_SERVICES, &q, &serv_static, serv_buf, sizeof(serv_buf), &found);

	return static_answer(rc, found, &serv_static.s);
}

void setservent(int stay_open)
{
	(void)stay_open;
	db_set(DB_SERVICES);
}

void endservent(void)
{
	db_end(DB_SERVICES);
}

struct servent *getservent(void)
{
	bool found = false;
	int rc = db_next(DB_SERVICES, &serv_static, serv_buf, sizeof(serv_buf), &found);

	return static_answer(rc, found, &serv_static.s);
}

int getprotobyname_r(const char *name, struct protoent *p, char *buf, size_t len,
		     struct protoent **result)
{
	struct db_query q = { .name = name };
	union db_result r;
	bool found = false;
	int rc = 0;

	if (tzm__null(name) || tzm__null(p) || tzm__null(buf) || tzm__null(result)) {
		return EFAULT;
	}
	rc = db_find(DB_PROTOCOLS, &q, &r, buf, len, &found);
	if (found) {
		*p = r.p;
	}
	return r_answer(rc, found, p, (void **)result);
}

int getprotobynumber_r(int proto, struct protoent *p, char *buf, size_t len,
		       struct protoent **result)
{
	struct db_query q = { .number = (uint32_t)proto, .by_number = true };
	union db_result r;
	bool found = false;
	int rc = 0;

	if (tzm__null(p) || tzm__null(buf) || tzm__null(result)) {
		return EFAULT;
	}
	rc = db_find(DB_PROTOCOLS, &q, &r, buf, len, &found);
	if (found) {
		*p = r.p;
	}
	return r_answer(rc, found, p, (void **)result);
}

struct protoent *getprotobyname(const char *name)
{
	struct db_query q = { .name = name };
	bool found = false;
	int rc = EFAULT;

	if (!tzm__null(name)) {
		rc = db_find(DB_PROTOCOLS, &q, &proto_static, proto_buf, sizeof(proto_buf), &found);
	}
	return static_answer(rc, found, &proto_static.p);
}

struct protoent *getprotobynumber(int proto)
{
	struct db_query q = { .number = (uint32_t)proto, .by_number = true };
	bool found = false;
	int rc = db_find(DB_PROTOCOLS, &q, &proto_static, proto_buf, sizeof(proto_buf), &found);

	return static_answer(rc, found, &proto_static.p);
}

void setprotoent(int stay_open)
{
	(void)stay_open;
	db_set(DB_PROTOCOLS);
}

void endprotoent(void)
{
	db_end(DB_PROTOCOLS);
}

struct protoent *getprotoent(void)
{
	bool found = false;
	int rc = db_next(DB_PROTOCOLS, &proto_static, proto_buf, sizeof(proto_buf), &found);

	return static_answer(rc, found, &proto_static.p);
}

struct netent *getnetbyname(const char *name)
{
	struct db_query q = { .name = name };
	bool found = false;
	int rc = EFAULT;

	if (!tzm__null(name)) {
		rc = db_find(DB_NETWORKS, &q, &net_static, net_buf, sizeof(net_buf), &found);
	}
	return static_answer(rc, found, &net_static.n);
}

struct netent *getnetbyaddr(uint32_t net, int type)
{
	struct db_query q = { .number = net, .by_number = true };
	bool found = false;
	int rc = 0;

	if (type != AF_INET) {
		return NULL; /* the file holds IPv4 networks only, as for glibc's */
	}
	rc = db_find(DB_NETWORKS, &q, &net_static, net_buf, sizeof(net_buf), &found);
	return static_answer(rc, found, &net_static.n);
}

void setnetent(int stay_open)
{
	(void)stay_open;
	db_set(DB_NETWORKS);
}

void endnetent(void)
{
	db_end(DB_NETWORKS);
}

struct netent *getnetent(void)
{
	bool found = false;
	int rc = db_next(DB_NETWORKS, &net_static, net_buf, sizeof(net_buf), &found);

	return static_answer(rc, found, &net_static.n);
}
