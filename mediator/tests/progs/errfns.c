/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The diagnostics functions of <err.h> and <error.h>, and assert(), one per run (argv[1]
 * names it), for test_errfns.sh, which runs this program natively and as a TA and requires
 * the same stdout+stderr (program name normalised) and the same exit status. Each mode first
 * writes a line to (buffered) stdout, so the order of the two streams is part of the
 * comparison: error() flushes stdout first, warn() does not.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* program_invocation_name */
#endif
#undef NDEBUG /* the assert mode needs assert() in every build type */
#include <assert.h>
#include <err.h>
#include <errno.h>
#include <error.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void call_vwarn(int x, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void call_vwarn(int x, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	if (x) {
		vwarnx(fmt, ap);
	} else {
		vwarn(fmt, ap);
	}
	va_end(ap);
}

static void call_verr(int x, int status, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void call_verr(int x, int status, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	if (x) {
		verrx(status, fmt, ap);
	} else {
		verr(status, fmt, ap);
	}
	va_end(ap);
}

static void print_name(void)
{
	fprintf(stderr, "custom-name> ");
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "";

	printf("out: before %s\n", mode);
	errno = ENOENT;
	if (strcmp(mode, "names") == 0) {
		const char *slash = strrchr(argv[0], '/');

		/* the glibc variables name argv[0] and its last component */
		printf("full %s\n", strcmp(program_invocation_name, argv[0]) ? "differs" : "argv0");
		printf("short %s\n",
		       strcmp(program_invocation_short_name, slash ? slash + 1 : argv[0])
			       ? "differs"
			       : "basename");
		return 0;
	} else if (strcmp(mode, "warn") == 0) {
		warn("cannot open %s", "a.txt");
		errno = EACCES;
		warn(NULL);
		errno = EPERM;
		warn("%d%%", 42);
		printf("errno kept: %s\n", errno == EPERM ? "yes" : "no");
	} else if (strcmp(mode, "warnx") == 0) {
		warnx("plain %s", "message");
		warnx(NULL);
	} else if (strcmp(mode, "vwarn") == 0) {
		call_vwarn(0, "v%s", "warn");
		call_vwarn(1, "v%s", "warnx");
	} else if (strcmp(mode, "err") == 0) {
		err(3, "cannot open %s", "b.txt");
	} else if (strcmp(mode, "errx") == 0) {
		errx(4, "bad value %d", 17);
	} else if (strcmp(mode, "verr") == 0) {
		errno = ECONNREFUSED;
		call_verr(0, 5, "connect %s", "host");
	} else if (strcmp(mode, "verrx") == 0) {
		call_verr(1, 6, "usage: %s", "prog");
	} else if (strcmp(mode, "error") == 0) {
		error(0, EEXIST, "first %s", "message");
		error(0, 0, "no errno");
		printf("count %u\n", error_message_count);
		error(9, EISDIR, "fatal %d", 9);
	} else if (strcmp(mode, "error_at_line") == 0) {
		error_at_line(0, ENOTDIR, "in.conf", 12, "bad key %s", "k");
		error_one_per_line = 1;
		error_at_line(0, 0, "in.conf", 13, "once");
		error_at_line(0, 0, "in.conf", 13, "twice (not printed)");
		error_at_line(0, 0, NULL, 0, "no file");
		error_print_progname = print_name;
		error_at_line(11, EINVAL, "in.conf", 14, "fatal");
	} else if (strcmp(mode, "assert") == 0) {
		/* one file name in every build (a TA's __FILE__ is relative to its directory) */
#line 1000 "errfns.c"
		assert(argc < 0 && "a failed assertion");
	} else if (strcmp(mode, "progname") == 0) {
		/* GNU programs may set the names themselves */
		program_invocation_name = "renamed-full";
		program_invocation_short_name = "renamed";
		warnx("short");
		error(0, 0, "full");
	} else {
		fprintf(stderr, "usage: errfns MODE\n");
		return 2;
	}
	printf("out: after %s\n", mode);
	return 0;
}
