/* SPDX-License-Identifier: BSD-2-Clause */
/* OP-TEE's stdlib.h (malloc, qsort, strtoul, abort) plus the process and number parts. */
#ifndef TZM_OPTEE_STDLIB_H
#define TZM_OPTEE_STDLIB_H

#include_next <stdlib.h>

#define EXIT_SUCCESS 0
#define EXIT_FAILURE 1

void exit(int status) __attribute__((noreturn));
void _Exit(int status) __attribute__((noreturn));
int atexit(void (*fn)(void));
char *getenv(const char *name);
char *secure_getenv(const char *name);
long strtol(const char *s, char **end, int base);
long long strtoll(const char *s, char **end, int base);
unsigned long long strtoull(const char *s, char **end, int base);
int atoi(const char *s);
long labs(long v);

#endif
