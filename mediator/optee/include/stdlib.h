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

/* ta/fsmeta.c */
char *realpath(const char *path, char *resolved);
char *canonicalize_file_name(const char *path);
int mkstemp(char *tmpl);
int mkstemp64(char *tmpl);
int mkostemp(char *tmpl, int flags);
int mkstemps(char *tmpl, int suffixlen);
int mkostemps(char *tmpl, int suffixlen, int flags);
char *mkdtemp(char *tmpl);
#endif
