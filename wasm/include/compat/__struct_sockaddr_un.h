/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * struct sockaddr_un with sun_path, for Wasm TAs (wasm/README.md, "POSIX compatibility headers").
 * wasi-libc 2022-05's <sys/un.h> takes the structure from this file name; its own has no
 * sun_path (WASI has no UNIX sockets, the "tzm" import module has). Layout: family (u16,
 * AF_UNIX = 3) at 0, path at 2, as Linux's and as tzm_wasm.h's struct tzm_sockaddr_un.
 */
#ifndef __wasilibc___struct_sockaddr_un_h
#define __wasilibc___struct_sockaddr_un_h

#include <__typedef_sa_family_t.h>

struct sockaddr_un {
	sa_family_t sun_family;
	char sun_path[108];
};

#endif
