/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * tzm_wasm.h: what a WebAssembly TA (a C program compiled to wasm32-wasi and made a TA with
 * `tzm wasm build`) can import from tzmediator beyond WASI preview 1: the import module
 * "tzm". Include it in the Wasm build only (it declares Wasm imports); the native build
 * of the same program uses <tzm_attest_ta.h>.
 *
 *     uint8_t tok[4096]; size_t len = sizeof(tok);
 *     uint32_t res = tzm_attest_token(nonce, tok, &len);   // nonce: 64 bytes
 */
#ifndef TZM_WASM_H
#define TZM_WASM_H

#include <errno.h>
#include <netinet/in.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#ifndef __wasm__
#error "tzm_wasm.h declares WebAssembly imports: include it in wasm32-wasi builds only"
#endif

#ifdef __cplusplus
extern "C" {
#endif

#define TZM_WASM_ATTEST_CHALLENGE_LEN 64
/* the TEE_Result values tzm_attest_token() returns (as <tee_api_defines.h>) */
#define TZM_WASM_TEE_SUCCESS 0x00000000u
#define TZM_WASM_TEE_ERROR_BAD_PARAMETERS 0xffff0006u
#define TZM_WASM_TEE_ERROR_OUT_OF_MEMORY 0xffff000cu
#define TZM_WASM_TEE_ERROR_COMMUNICATION 0xffff000eu
#define TZM_WASM_TEE_ERROR_SHORT_BUFFER 0xffff0010u

/*
 * The TA's CCA-format attestation token, as tzm_attest_token() of a C TA
 * (<tzm_attest_ta.h>): binds challenge (64 bytes) to the TA's measurement. *len: [in]
 * capacity of buf, [out] the token's size (TEE_ERROR_SHORT_BUFFER: the size needed).
 * A pointer or length outside the module's memory: TEE_ERROR_BAD_PARAMETERS.
 */
__attribute__((import_module("tzm"), import_name("attest_token"))) uint32_t
tzm_attest_token(const uint8_t *challenge, void *buf, size_t *len);

/*
 * Sockets beyond WASI preview 1: wasi-libc has accept, send, recv, shutdown (WASI's
 * sock_*) but no way to create, bind or connect a socket. These are the BSD calls on top of
 * the "tzm" import module; the shadow runs them under the TA's policy as for a C TA. TCP
 * and UDP over IPv4/IPv6 with wasi-libc's sockaddr_in/sockaddr_in6; UNIX sockets with
 * struct tzm_sockaddr_un (wasi-libc's sockaddr_un has no sun_path; include/compat's has,
 * and gives mkfifo() and getaddrinfo() on the imports below). errno values are
 * wasi-libc's (WASI's). Options: SOL_SOCKET and IPPROTO_TCP with int values.
 */
struct tzm_sockaddr_un {
	sa_family_t sun_family; /* AF_UNIX */
	char sun_path[108];
};
#ifndef SO_REUSEADDR
#define SO_REUSEADDR 2
#endif

#define TZM_WASM_IMPORT_(n) __attribute__((import_module("tzm"), import_name(#n)))
TZM_WASM_IMPORT_(sock_open) uint32_t __tzm_sock_open(uint32_t, uint32_t, uint32_t *);
TZM_WASM_IMPORT_(sock_bind) uint32_t __tzm_sock_bind(uint32_t, const void *, uint32_t);
TZM_WASM_IMPORT_(sock_connect) uint32_t __tzm_sock_connect(uint32_t, const void *, uint32_t);
TZM_WASM_IMPORT_(sock_listen) uint32_t __tzm_sock_listen(uint32_t, uint32_t);
TZM_WASM_IMPORT_(sock_sendto)
uint32_t __tzm_sock_sendto(uint32_t, const void *, uint32_t, uint32_t, const void *, uint32_t,
			   uint32_t *);
TZM_WASM_IMPORT_(sock_recvfrom)
uint32_t __tzm_sock_recvfrom(uint32_t, void *, uint32_t, uint32_t, void *, uint32_t *, uint32_t *);
TZM_WASM_IMPORT_(sock_getsockname) uint32_t __tzm_sock_getsockname(uint32_t, void *, uint32_t *);
TZM_WASM_IMPORT_(sock_getpeername) uint32_t __tzm_sock_getpeername(uint32_t, void *, uint32_t *);
TZM_WASM_IMPORT_(sock_setsockopt)
uint32_t __tzm_sock_setsockopt(uint32_t, uint32_t, uint32_t, const void *, uint32_t);
TZM_WASM_IMPORT_(path_mkfifo)
uint32_t __tzm_path_mkfifo(uint32_t dirfd, const char *path, uint32_t path_len, uint32_t mode);
TZM_WASM_IMPORT_(addr_resolve)
uint32_t __tzm_addr_resolve(const char *node, uint32_t node_len, const char *service,
			    uint32_t service_len, const void *hints, void *buf, uint32_t buf_len,
			    void *result);
#undef TZM_WASM_IMPORT_

/*
 * tzm.addr_resolve: getaddrinfo() run by the shadow (as a C TA's), its answer validated by
 * libtzm, then written to buf as records of struct tzm_wasm_ai (at most buf_len /
 * sizeof(struct tzm_wasm_ai) of them) followed by the canonical name when AI_CANONNAME
 * asked for one and it fits. node or service 0: none. hints: struct tzm_wasm_ai_hints or 0.
 * Returns a WASI errno (EFAULT: a range outside the memory; ENAMETOOLONG: node over 1024
 * or service over 255 bytes; EINVAL: a NUL inside one), or 0 with *result filled:
 * getaddrinfo's EAI code (0 on success), the records written and the canonical name's
 * length. Families and socket types use wasi-libc's numbers, flags and EAI codes musl's.
 * <netdb.h> of include/compat gives programs getaddrinfo() on top of it.
 */
struct tzm_wasm_ai_hints {
	int32_t flags;
	uint32_t family;
	uint32_t socktype;
	uint32_t protocol;
};
struct tzm_wasm_ai {
	int32_t flags;
	uint32_t family;   /* AF_INET or AF_INET6 */
	uint32_t socktype; /* SOCK_STREAM or SOCK_DGRAM */
	uint32_t protocol;
	uint32_t addrlen; /* bytes of addr used: sizeof(struct sockaddr_in) or _in6 */
	uint8_t addr[32];
};
struct tzm_wasm_ai_result {
	int32_t eai;
	uint32_t count;
	uint32_t canon_len;
};
_Static_assert(sizeof(struct tzm_wasm_ai) == 52, "tzm.addr_resolve's record layout");

static inline int __tzm_ret(uint32_t err, int value)
{
	if (err != 0) {
		errno = (int)err;
		return -1;
	}
	return value;
}

static inline int socket(int domain, int type, int protocol)
{
	uint32_t fd = 0;
	(void)protocol; /* the type implies it (TCP or UDP) */
	return __tzm_ret(__tzm_sock_open((uint32_t)domain, (uint32_t)type, &fd), (int)fd);
}

static inline int bind(int fd, const struct sockaddr *a, socklen_t len)
{
	return __tzm_ret(__tzm_sock_bind((uint32_t)fd, a, len), 0);
}

static inline int connect(int fd, const struct sockaddr *a, socklen_t len)
{
	return __tzm_ret(__tzm_sock_connect((uint32_t)fd, a, len), 0);
}

static inline int listen(int fd, int backlog)
{
	return __tzm_ret(__tzm_sock_listen((uint32_t)fd, backlog < 0 ? 0u : (uint32_t)backlog), 0);
}

static inline ssize_t sendto(int fd, const void *buf, size_t len, int flags,
			     const struct sockaddr *a, socklen_t alen)
{
	uint32_t n = 0;
	uint32_t e = __tzm_sock_sendto((uint32_t)fd, buf, (uint32_t)len, (uint32_t)flags, a,
				       a ? alen : 0, &n);
	return __tzm_ret(e, 0) < 0 ? -1 : (ssize_t)n;
}

static inline ssize_t recvfrom(int fd, void *buf, size_t len, int flags, struct sockaddr *a,
			       socklen_t *alen)
{
	uint32_t n = 0;
	uint32_t e = __tzm_sock_recvfrom((uint32_t)fd, buf, (uint32_t)len, (uint32_t)flags, a,
					 a ? (uint32_t *)alen : NULL, &n);
	return __tzm_ret(e, 0) < 0 ? -1 : (ssize_t)n;
}

static inline int getsockname(int fd, struct sockaddr *a, socklen_t *alen)
{
	return __tzm_ret(__tzm_sock_getsockname((uint32_t)fd, a, (uint32_t *)alen), 0);
}

static inline int getpeername(int fd, struct sockaddr *a, socklen_t *alen)
{
	return __tzm_ret(__tzm_sock_getpeername((uint32_t)fd, a, (uint32_t *)alen), 0);
}

static inline int setsockopt(int fd, int level, int name, const void *v, socklen_t len)
{
	return __tzm_ret(
		__tzm_sock_setsockopt((uint32_t)fd, (uint32_t)level, (uint32_t)name, v, len), 0);
}

#ifdef __cplusplus
}
#endif

#endif
