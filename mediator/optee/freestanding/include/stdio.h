/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Freestanding check (mediator/optee/freestanding): the C library surface OP-TEE's
 * libutils offers a TA, reduced to what libtzm may use. Written for this check, not
 * copied; it mirrors libutils' names, guards and console functions.
 */
#ifndef __STDIO_H
#define __STDIO_H

#include <stdarg.h>
#include <stddef.h>

typedef struct _FILE FILE;
extern FILE *stdout;
extern FILE *stderr;
int printf(const char *fmt, ...);
int snprintf(char *str, size_t size, const char *fmt, ...);
int vsnprintf(char *str, size_t size, const char *fmt, va_list ap);
int puts(const char *str);
int putchar(int c);
int fputc(int c, FILE *stream);
int fputs(const char *s, FILE *stream);
size_t fwrite(const void *ptr, size_t size, size_t nmemb, FILE *stream);

#endif
