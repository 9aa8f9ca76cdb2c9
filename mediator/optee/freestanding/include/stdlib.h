/* SPDX-License-Identifier: BSD-2-Clause */
/* Freestanding check: libutils' stdlib.h surface (see stdio.h). */
#ifndef __STDLIB_H
#define __STDLIB_H

#include <stddef.h>

void *malloc(size_t size);
void *calloc(size_t n, size_t size);
void *realloc(void *p, size_t size);
void free(void *p);
void qsort(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *));
void abort(void) __attribute__((noreturn));
int abs(int i);
unsigned long strtoul(const char *s, char **end, int base);

#endif
