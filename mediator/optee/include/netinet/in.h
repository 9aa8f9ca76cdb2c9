/* SPDX-License-Identifier: BSD-2-Clause */
#ifndef TZM_OPTEE_NETINET_IN_H
#define TZM_OPTEE_NETINET_IN_H

#include <stdint.h>
#include <sys/socket.h>

typedef uint16_t in_port_t;
typedef uint32_t in_addr_t;

struct in_addr {
	in_addr_t s_addr;
};

struct in6_addr {
	uint8_t s6_addr[16];
};
#define IN6ADDR_ANY_INIT                                                                           \
	{                                                                                          \
		{                                                                                  \
			0                                                                          \
		}                                                                                  \
	}
#define IN6ADDR_LOOPBACK_INIT                                                                      \
	{                                                                                          \
		{                                                                                  \
			0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1                             \
		}                                                                                  \
	}
extern const struct in6_addr in6addr_any;      /* libc/libc.c */
extern const struct in6_addr in6addr_loopback; /* libc/libc.c */

struct TZM_SOCKADDR_ALIAS sockaddr_in {
	sa_family_t sin_family;
	in_port_t sin_port;
	struct in_addr sin_addr;
	uint8_t sin_zero[8];
};

struct TZM_SOCKADDR_ALIAS sockaddr_in6 {
	sa_family_t sin6_family;
	in_port_t sin6_port;
	uint32_t sin6_flowinfo;
	struct in6_addr sin6_addr;
	uint32_t sin6_scope_id;
};

#define IPPROTO_IP 0
#define IPPROTO_TCP 6
#define IPPROTO_UDP 17
#define IPPROTO_IPV6 41
#define IPV6_V6ONLY 26
#define TCP_NODELAY 1
#define INADDR_ANY ((in_addr_t)0x00000000)
#define INADDR_LOOPBACK ((in_addr_t)0x7f000001)
#define INET_ADDRSTRLEN 16
#define INET6_ADDRSTRLEN 46

#if __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "libtzm on OP-TEE: only little-endian aarch64 is supported"
#endif
static inline uint16_t htons(uint16_t v)
{
	return __builtin_bswap16(v);
}
static inline uint16_t ntohs(uint16_t v)
{
	return __builtin_bswap16(v);
}
static inline uint32_t htonl(uint32_t v)
{
	return __builtin_bswap32(v);
}
static inline uint32_t ntohl(uint32_t v)
{
	return __builtin_bswap32(v);
}

#endif
