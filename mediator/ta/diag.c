/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Diagnostics a program prints about itself: err/errx/verr/verrx, warn/warnx/vwarn/vwarnx
 * (BSD <err.h>), error/error_at_line (GNU <error.h>) and the program name variables they
 * use. glibc's own versions write to glibc's stderr (the TA host's, not the TA's) and end
 * with glibc's exit (which would end the process hosting the TA), so a TA calling them lost
 * its message and panicked. These print the same text as glibc, to the TA's stderr, and
 * exit through libtzm's exit.
 *
 *   warn:  "<short name>: <message>: <strerror(errno)>\n"  (no message: "<name>: <strerror>")
 *   warnx: "<short name>: <message>\n"
 *   error: flush stdout, "<full name>: <message>[: <strerror(errnum)>]\n"
 *   error_at_line: "<full name>:<file>:<line>: <message>[: <strerror(errnum)>]\n"
 *   assert:        "<short name>: <file>:<line>: <function>: Assertion `<expr>' failed.\n"
 */
#include <err.h>
#include <errno.h>
#include <error.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tzm_int.h"

/* glibc's names for argv[0] and its last component; set from the TA's argv at start */
char *program_invocation_name;
char *program_invocation_short_name;

/* GNU error(): the caller may replace the name printer, count and de-duplicate messages */
void (*error_print_progname)(void);
unsigned int error_message_count;
int error_one_per_line;

static char empty_name[] = "";
/* error_at_line's last place, for error_one_per_line */
static const char *last_file;
static unsigned int last_line;

void tzm__diag_init(char *argv0)
{
	char *slash = NULL;

	if (!argv0) {
		argv0 = empty_name;
	}
	slash = strrchr(argv0, '/');
	program_invocation_name = argv0;
	program_invocation_short_name = slash ? slash + 1 : argv0;
	error_print_progname = NULL;
	error_message_count = 0;
	error_one_per_line = 0;
	last_file = NULL;
	last_line = 0;
}

static const char *short_name(void)
{
	return program_invocation_short_name ? program_invocation_short_name : "";
}

static const char *full_name(void)
{
	return program_invocation_name ? program_invocation_name : "";
}

void vwarn(const char *fmt, va_list ap)
{
	int e = errno;

	if (fmt) {
		fprintf(stderr, "%s: ", short_name());
		vfprintf(stderr, fmt, ap);
		fprintf(stderr, ": %s\n", strerror(e));
	} else {
		fprintf(stderr, "%s: %s\n", short_name(), strerror(e));
	}
	errno = e;
}

void vwarnx(const char *fmt, va_list ap)
{
	int e = errno;

	fprintf(stderr, "%s: ", short_name());
	if (fmt) {
		vfprintf(stderr, fmt, ap);
	}
	fputc('\n', stderr);
	errno = e;
}

void warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vwarn(fmt, ap);
	va_end(ap);
}

void warnx(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vwarnx(fmt, ap);
	va_end(ap);
}

void verr(int status, const char *fmt, va_list ap)
{
	vwarn(fmt, ap);
	exit(status);
}

void verrx(int status, const char *fmt, va_list ap)
{
	vwarnx(fmt, ap);
	exit(status);
}

void err(int status, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vwarn(fmt, ap);
	va_end(ap);
	exit(status);
}

void errx(int status, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vwarnx(fmt, ap);
	va_end(ap);
	exit(status);
}

/* The common tail of error() and error_at_line(), as glibc's error_tail. */
static void error_tail(int status, int errnum, const char *fmt, va_list ap)
	__attribute__((format(printf, 3, 0)));
static void error_tail(int status, int errnum, const char *fmt, va_list ap)
{
	vfprintf(stderr, fmt, ap);
	++error_message_count;
	if (errnum) {
		fprintf(stderr, ": %s", strerror(errnum));
	}
	fputc('\n', stderr);
	fflush(stderr);
	if (status) {
		exit(status);
	}
}

void error(int status, int errnum, const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	if (error_print_progname) {
		error_print_progname();
	} else {
		fprintf(stderr, "%s: ", full_name());
	}
	va_start(ap, fmt);
	error_tail(status, errnum, fmt, ap);
	va_end(ap);
}

void error_at_line(int status, int errnum, const char *file, unsigned int line, const char *fmt,
		   ...)
{
	va_list ap;

	if (error_one_per_line) {
		if (last_line == line &&
		    (file == last_file || (last_file && file && strcmp(last_file, file) == 0))) {
			return; /* the same place again: glibc prints nothing */
		}
		last_file = file;
		last_line = line;
	}
	fflush(stdout);
	if (error_print_progname) {
		error_print_progname();
	} else {
		fprintf(stderr, "%s:", full_name());
	}
	if (file) {
		fprintf(stderr, "%s:%u: ", file, line);
	} else {
		fputc(' ', stderr);
	}
	va_start(ap, fmt);
	error_tail(status, errnum, fmt, ap);
	va_end(ap);
}

#ifndef TZM_TA_OPTEE /* OP-TEE's libutils has its own assert() */
/*
 * A failed assert(). glibc's __assert_fail writes to the TA host's stderr, so the TA
 * "panicked" without a word; this writes glibc's text to the TA's stderr first. Then
 * abort() as glibc's does (no stream is flushed): libtzm's (signal.c), so the program
 * dies of SIGABRT after any handler for it ran.
 * Declared here: <assert.h> declares it only without NDEBUG.
 */
void __assert_fail(const char *assertion, const char *file, unsigned int line, const char *function)
	__attribute__((noreturn));
void __assert_fail(const char *assertion, const char *file, unsigned int line, const char *function)
{
	const char *name = short_name();

	fprintf(stderr, "%s%s%s:%u: %s%sAssertion `%s' failed.\n", name, *name ? ": " : "", file,
		line, function ? function : "", function ? ": " : "", assertion);
	abort();
}
#endif
