/* SPDX-License-Identifier: BSD-2-Clause */
/* GNU diagnostics (ta/diag.c). */
#ifndef TZM_OPTEE_ERROR_H
#define TZM_OPTEE_ERROR_H

void error(int status, int errnum, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void error_at_line(int status, int errnum, const char *file, unsigned int line, const char *fmt,
		   ...) __attribute__((format(printf, 5, 6)));
extern void (*error_print_progname)(void);
extern unsigned int error_message_count;
extern int error_one_per_line;
extern char *program_invocation_name;
extern char *program_invocation_short_name;

#endif
