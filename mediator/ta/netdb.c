/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Name resolution: getaddrinfo/getnameinfo are resolved by the shadow (the TA has no
 * resolver configuration or network), the results are validated and rebuilt in TA
 * memory; freeaddrinfo frees what we built. gai_strerror, inet_pton and inet_ntop are pure
 * functions and stay local (libc's).
 */
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "tzm_int.h"

#define MAX_NAME 1025

static bool gai_code_ok(int64_t code)
{
	switch (code) {
	case 0:
	case EAI_BADFLAGS:
	case EAI_NONAME:
	case EAI_AGAIN:
	case EAI_FAIL:
	case EAI_FAMILY:
	case EAI_SOCKTYPE:
	case EAI_SERVICE:
	case EAI_MEMORY:
	case EAI_SYSTEM:
	case EAI_OVERFLOW:
	case EAI_NODATA:
	case EAI_ADDRFAMILY:
		return true;
	default:
		return false;
	}
}

/*
 * Runs the resolver call c; its EAI code (aux[1]) into *code, and with EAI_SYSTEM the errno
 * behind it (aux[2]) into errno. false: no valid answer.
 */
static bool gai_answer(struct tzm__call *c, int64_t *code)
{
	if (tzm__invoke(c) < 0) {
		return false;
	}
	*code = c->resp.aux[1];
	if (!gai_code_ok(*code)) {
		tzm__malformed(c, "unknown EAI code");
		return false;
	}
	if (*code == EAI_SYSTEM) {
		/* the errno behind EAI_SYSTEM is an answer's errno too: the call's set only */
		if (!tzm_wire_errno_allowed(c->req.opcode, c->resp.aux[2])) {
			tzm__malformed(c, "errno not allowed for this call");
			return false;
		}
		errno = (int)c->resp.aux[2];
	}
	return true;
}

void freeaddrinfo(struct addrinfo *ai)
{
	while (ai) {
		struct addrinfo *next = ai->ai_next;

		free(ai->ai_canonname);
		free(ai);
		ai = next;
	}
}

static bool ai_ok(const struct tzm_wire_ai *w, const struct addrinfo *hints)
{
	sa_family_t fam = 0;

	if (!((w->family == AF_INET && w->addrlen == sizeof(struct sockaddr_in)) ||
	      (w->family == AF_INET6 && w->addrlen == sizeof(struct sockaddr_in6)))) {
		return false;
	}
	if (w->socktype != SOCK_STREAM && w->socktype != SOCK_DGRAM && w->socktype != SOCK_RAW &&
	    w->socktype != SOCK_SEQPACKET) {
		return false;
	}
	if (w->protocol < 0 || w->protocol > 255) {
		return false;
	}
	if (hints && hints->ai_family != AF_UNSPEC && hints->ai_family != w->family) {
		return false;
	}
	if (hints && hints->ai_socktype != 0 && hints->ai_socktype != w->socktype) {
		return false;
	}
	if (hints && hints->ai_protocol != 0 && hints->ai_protocol != w->protocol) {
		return false;
	}
	/* the family inside the address must agree with the entry */
	memcpy(&fam, w->addr, sizeof(fam));
	return fam == w->family;
}

/* Largest getaddrinfo answer: the records, then the canonical name. */
#define GAI_BLOB_MAX (TZM_WIRE_MAX_AI * sizeof(struct tzm_wire_ai) + MAX_NAME)

/*
 * Decodes a getaddrinfo answer from a private copy of the blob (copy -> validate -> act):
 * count records matching the hints, then an optional NUL-terminated canonical name, only
 * when AI_CANONNAME was asked for. Returns 0 or an EAI_* code.
 */
static int decode_ai(const struct tzm__call *c, const uint8_t *blob, size_t len, int64_t n,
		     const struct addrinfo *hints, struct addrinfo **res)
{
	struct addrinfo *head = NULL, **tail = &head;
	size_t count = 0, canon_len = 0;
	const char *canon = NULL;

	if (n <= 0 || n > (int64_t)TZM_WIRE_MAX_AI ||
	    (size_t)n * sizeof(struct tzm_wire_ai) > len) {
		tzm__malformed(c, "addrinfo count");
		return EAI_SYSTEM;
	}
	count = (size_t)n;
	canon_len = len - count * sizeof(struct tzm_wire_ai);
	canon = (const char *)blob + count * sizeof(struct tzm_wire_ai);
	if (canon_len > MAX_NAME ||
	    (canon_len > 0 && (!hints || !(hints->ai_flags & AI_CANONNAME) ||
			       strnlen(canon, canon_len) != canon_len - 1))) {
		tzm__malformed(c, "canonical name");
		return EAI_SYSTEM;
	}
	for (size_t i = 0; i < count; i++) {
		struct tzm_wire_ai w;
		struct addrinfo *ai = NULL;

		memcpy(&w, blob + i * sizeof(w), sizeof(w));
		if (!ai_ok(&w, hints)) {
			freeaddrinfo(head);
			tzm__malformed(c, "addrinfo entry");
			return EAI_SYSTEM;
		}
		ai = calloc(1, sizeof(*ai) + sizeof(struct sockaddr_in6));
		if (!ai) {
			freeaddrinfo(head);
			return EAI_MEMORY;
		}
		ai->ai_flags = w.flags;
		ai->ai_family = w.family;
		ai->ai_socktype = w.socktype;
		ai->ai_protocol = w.protocol;
		ai->ai_addrlen = w.addrlen;
		ai->ai_addr = (struct sockaddr *)(void *)(ai + 1);
		memcpy(ai->ai_addr, w.addr, w.addrlen);
		if (i == 0 && canon_len > 0) {
			ai->ai_canonname = malloc(canon_len);
			if (!ai->ai_canonname) {
				free(ai);
				freeaddrinfo(head);
				return EAI_MEMORY;
			}
			memcpy(ai->ai_canonname, canon, canon_len);
		}
		*tail = ai;
		tail = &ai->ai_next;
	}
	*res = head;
	return 0;
}

int getaddrinfo(const char *node, const char *service, const struct addrinfo *hints,
		struct addrinfo **res)
{
	struct tzm__call c;
	uint8_t blob[GAI_BLOB_MAX];
	size_t l1 = 0, l2 = 0;
	int64_t code = 0;

	if (!res || (!node && !service)) {
		return EAI_NONAME;
	}
	tzm__begin(&c, TZM_OP_GETADDRINFO);
	if ((node && tzm__put_path(&c, 0, node, &l1) != 0) ||
	    (service && tzm__put_path(&c, l1, service, &l2) != 0)) {
		return EAI_OVERFLOW;
	}
	if (hints) {
		c.req.args[0] = hints->ai_flags;
		c.req.args[1] = hints->ai_family;
		c.req.args[2] = hints->ai_socktype;
		c.req.args[3] = hints->ai_protocol;
	}
	c.req.args[4] = node != NULL;
	c.req.args[5] = service != NULL;
	c.req.data_len = (uint32_t)(l1 + l2);
	if (!gai_answer(&c, &code)) {
		return EAI_SYSTEM;
	}
	if (code != 0) {
		return (int)code;
	}
	if (c.resp.data_len > sizeof(blob)) {
		tzm__malformed(&c, "addrinfo blob too long");
		return EAI_SYSTEM;
	}
	memcpy(blob, c.buf, c.resp.data_len); /* the only read of the answer */
	return decode_ai(&c, blob, c.resp.data_len, c.resp.aux[0], hints, res);
}

int getnameinfo(const struct sockaddr *sa, socklen_t salen, char *host, socklen_t hostlen,
		char *serv, socklen_t servlen, int flags)
{
	struct tzm__call c;
	char blob[2 * MAX_NAME];
	size_t hl = 0, sl = 0;
	int64_t code = 0;

	if (!sa || salen > TZM_WIRE_MAX_SOCKADDR) {
		return EAI_FAMILY;
	}
	if (!host) {
		hostlen = 0;
	}
	if (!serv) {
		servlen = 0;
	}
	if (hostlen > MAX_NAME) {
		hostlen = MAX_NAME;
	}
	if (servlen > MAX_NAME) {
		servlen = MAX_NAME;
	}
	tzm__begin(&c, TZM_OP_GETNAMEINFO);
	memcpy(c.buf, sa, salen);
	c.req.data_len = salen;
	c.req.args[0] = flags;
	c.req.args[1] = hostlen;
	c.req.args[2] = servlen;
	if (!gai_answer(&c, &code)) {
		return EAI_SYSTEM;
	}
	if (code != 0) {
		return (int)code;
	}
	/* blob: host\0serv\0, each within the caller's buffer; parsed from a private copy */
	if (c.resp.data_len < 2 || c.resp.data_len > sizeof(blob)) {
		tzm__malformed(&c, "name blob");
		return EAI_SYSTEM;
	}
	memcpy(blob, c.buf, c.resp.data_len);
	hl = strnlen(blob, c.resp.data_len);
	if (hl + 1 >= c.resp.data_len) {
		tzm__malformed(&c, "name blob");
		return EAI_SYSTEM;
	}
	sl = strnlen(blob + hl + 1, c.resp.data_len - hl - 1);
	if (hl + 1 + sl + 1 != c.resp.data_len || (hostlen && hl >= hostlen) ||
	    (servlen && sl >= servlen) || (!hostlen && hl) || (!servlen && sl)) {
		tzm__malformed(&c, "name longer than the buffer");
		return EAI_SYSTEM;
	}
	if (hostlen) {
		memcpy(host, blob, hl + 1);
	}
	if (servlen) {
		memcpy(serv, blob + hl + 1, sl + 1);
	}
	return 0;
}
