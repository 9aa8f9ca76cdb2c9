/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * struct sockaddr_storage large enough for every address the "tzm" sockets take: 128
 * bytes as on Linux. wasi-libc 2022-05's is 48 bytes, less than a struct sockaddr_un with
 * its path, so a program that keeps a UNIX address in a sockaddr_storage (the usual
 * portable code) would write past it. Same alignment as wasi-libc's.
 */
#ifndef __wasilibc___struct_sockaddr_storage_h
#define __wasilibc___struct_sockaddr_storage_h

#define __need_STDDEF_H_misc
#include <stddef.h>

#include <__typedef_sa_family_t.h>

struct sockaddr_storage {
	_Alignas(max_align_t) sa_family_t ss_family;
	char __ss_data[126];
};

#endif
