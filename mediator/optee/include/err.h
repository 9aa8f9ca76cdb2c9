/* SPDX-License-Identifier: BSD-2-Clause */
/* BSD diagnostics (ta/diag.c): to the TA's stderr, ending through libtzm's exit. */
#ifndef TZM_OPTEE_ERR_H
#define TZM_OPTEE_ERR_H

#include <stdarg.h>

void warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void vwarn(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));
void warnx(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void vwarnx(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));
void err(int status, const char *fmt, ...) __attribute__((noreturn, format(printf, 2, 3)));
void verr(int status, const char *fmt, va_list ap) __attribute__((noreturn, format(printf, 2, 0)));
void errx(int status, const char *fmt, ...) __attribute__((noreturn, format(printf, 2, 3)));
void verrx(int status, const char *fmt, va_list ap) __attribute__((noreturn, format(printf, 2, 0)));

#endif
