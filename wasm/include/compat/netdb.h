/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * <netdb.h> for Wasm TAs (wasi-libc has none): getaddrinfo, freeaddrinfo and gai_strerror
 * on the "tzm" import addr_resolve, which runs getaddrinfo() in the shadow as for a C TA
 * and validates the answer (libtzm) before the module sees it. IPv4 and IPv6 addresses,
 * stream and datagram sockets; flags and EAI codes have musl's (and glibc's) values. A
 * failure of the import itself (a name too long, a pointer outside the memory) is
 * EAI_SYSTEM with errno set. Not provided: getnameinfo, gethostbyname and the other
 * legacy resolver calls.
 */
#ifndef TZM_WASM_COMPAT_NETDB_H
#define TZM_WASM_COMPAT_NETDB_H

#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <tzm_wasm.h>

#ifdef __cplusplus
extern "C" {
#endif

struct addrinfo {
	int ai_flags;
	int ai_family;
	int ai_socktype;
	int ai_protocol;
	socklen_t ai_addrlen;
	struct sockaddr *ai_addr;
	char *ai_canonname;
	struct addrinfo *ai_next;
};

#define AI_PASSIVE 0x01
#define AI_CANONNAME 0x02
#define AI_NUMERICHOST 0x04
#define AI_V4MAPPED 0x08
#define AI_ALL 0x10
#define AI_ADDRCONFIG 0x20
#define AI_NUMERICSERV 0x400

#define NI_MAXHOST 1025
#define NI_MAXSERV 32

#define EAI_BADFLAGS -1
#define EAI_NONAME -2
#define EAI_AGAIN -3
#define EAI_FAIL -4
#define EAI_NODATA -5
#define EAI_FAMILY -6
#define EAI_SOCKTYPE -7
#define EAI_SERVICE -8
#define EAI_ADDRFAMILY -9
#define EAI_MEMORY -10
#define EAI_SYSTEM -11
#define EAI_OVERFLOW -12

/* addresses one call returns at most (the shadow's own limit is below it) */
#define TZM_WASM_AI_MAX 32

static inline void freeaddrinfo(struct addrinfo *ai)
{
	while (ai != NULL) {
		struct addrinfo *next = ai->ai_next;
		free(ai); /* the address and the canonical name live in the same block */
		ai = next;
	}
}

static inline int getaddrinfo(const char *node, const char *service, const struct addrinfo *hints,
			      struct addrinfo **res)
{
	struct tzm_wasm_ai_hints h = { 0, 0, 0, 0 };
	struct tzm_wasm_ai_result r = { 0, 0, 0 };
	const uint32_t cap = TZM_WASM_AI_MAX * sizeof(struct tzm_wasm_ai) + NI_MAXHOST;
	struct addrinfo *head = NULL, **tail = &head;
	uint8_t *buf = NULL;
	uint32_t err = 0;

	if (res == NULL || (node == NULL && service == NULL)) {
		return EAI_NONAME;
	}
	if (hints != NULL) {
		h.flags = hints->ai_flags;
		h.family = (uint32_t)hints->ai_family;
		h.socktype = (uint32_t)hints->ai_socktype;
		h.protocol = (uint32_t)hints->ai_protocol;
	}
	buf = (uint8_t *)malloc(cap);
	if (buf == NULL) {
		return EAI_MEMORY;
	}
	err = __tzm_addr_resolve(node, node ? (uint32_t)strlen(node) : 0, service,
				 service ? (uint32_t)strlen(service) : 0, hints ? &h : NULL, buf,
				 cap, &r);
	if (err != 0 || r.eai != 0) {
		free(buf);
		if (err != 0) {
			errno = (int)err;
			return EAI_SYSTEM;
		}
		return r.eai;
	}
	for (uint32_t i = 0; i < r.count; i++) {
		struct tzm_wasm_ai w;
		size_t canon = i == 0 && r.canon_len > 0 ? r.canon_len + 1 : 0;
		struct addrinfo *ai = NULL;

		memcpy(&w, buf + i * sizeof(w), sizeof(w));
		ai = (struct addrinfo *)calloc(1, sizeof(*ai) + sizeof(w.addr) + canon);
		if (ai == NULL) {
			freeaddrinfo(head);
			free(buf);
			return EAI_MEMORY;
		}
		ai->ai_flags = w.flags;
		ai->ai_family = (int)w.family;
		ai->ai_socktype = (int)w.socktype;
		ai->ai_protocol = (int)w.protocol;
		ai->ai_addrlen = w.addrlen;
		ai->ai_addr = (struct sockaddr *)(void *)(ai + 1);
		memcpy(ai->ai_addr, w.addr, sizeof(w.addr));
		if (canon > 0) {
			ai->ai_canonname = (char *)(ai + 1) + sizeof(w.addr);
			memcpy(ai->ai_canonname, buf + r.count * sizeof(w), r.canon_len);
		}
		*tail = ai;
		tail = &ai->ai_next;
	}
	free(buf);
	*res = head;
	return head != NULL ? 0 : EAI_NONAME;
}

static inline const char *gai_strerror(int code)
{
	switch (code) {
	case 0:
		return "Success";
	case EAI_BADFLAGS:
		return "Invalid flags";
	case EAI_NONAME:
		return "Name does not resolve";
	case EAI_AGAIN:
		return "Try again";
	case EAI_FAIL:
		return "Non-recoverable error";
	case EAI_NODATA:
		return "No address for the name";
	case EAI_FAMILY:
		return "Unrecognized address family or invalid length";
	case EAI_SOCKTYPE:
		return "Unrecognized socket type";
	case EAI_SERVICE:
		return "Unrecognized service";
	case EAI_ADDRFAMILY:
		return "No address in the family";
	case EAI_MEMORY:
		return "Out of memory";
	case EAI_SYSTEM:
		return "System error";
	case EAI_OVERFLOW:
		return "Overflow";
	default:
		return "Unknown error";
	}
}

#ifdef __cplusplus
}
#endif

#endif
