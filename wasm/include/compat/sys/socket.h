/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * <sys/socket.h> for Wasm TAs: wasi-libc's, plus the BSD calls it lacks (socket, bind,
 * connect, listen, sendto, recvfrom, getsockname, getpeername, setsockopt: tzm_wasm.h,
 * on the "tzm" import module) and the constants ordinary socket code names.
 */
#ifndef TZM_WASM_COMPAT_SYS_SOCKET_H
#define TZM_WASM_COMPAT_SYS_SOCKET_H

#include_next <sys/socket.h>

/* WASI has no signals, so no SIGPIPE to suppress: send() takes no flags. */
#ifndef MSG_NOSIGNAL
#define MSG_NOSIGNAL 0
#endif
/* SOL_SOCKET options with int values, Linux's numbers (the host passes them on) */
#ifndef SO_REUSEADDR
#define SO_REUSEADDR 2
#endif
#ifndef SO_BROADCAST
#define SO_BROADCAST 6
#endif
#ifndef SO_SNDBUF
#define SO_SNDBUF 7
#endif
#ifndef SO_RCVBUF
#define SO_RCVBUF 8
#endif
#ifndef SO_KEEPALIVE
#define SO_KEEPALIVE 9
#endif
#ifndef SO_REUSEPORT
#define SO_REUSEPORT 15
#endif
#ifndef PF_UNSPEC
#define PF_UNSPEC AF_UNSPEC
#define PF_INET AF_INET
#define PF_INET6 AF_INET6
#define PF_UNIX AF_UNIX
#endif
#ifndef AF_LOCAL
#define AF_LOCAL AF_UNIX
#define PF_LOCAL AF_UNIX
#endif

#include <tzm_wasm.h>

#endif
