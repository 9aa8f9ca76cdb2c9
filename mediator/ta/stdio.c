/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * stdio for TAs, glibc back end: stdin/stdout/stderr and fopen/fdopen streams are libc
 * FILEs created with fopencookie whose read/write/seek/close go through the mediator, so
 * the whole printf machinery of libc is reused. libtzm defines its own stdin/stdout/stderr
 * objects and the functions that use them implicitly (stdio_common.c: printf, puts,
 * putchar, getchar, perror; here: scanf): the TA's references bind to these (-Bsymbolic),
 * leaving the hosting process's streams alone. OP-TEE's back end: optee/libc/stdio.c.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tzm_int.h"

FILE *stdin;
FILE *stdout;
FILE *stderr;

struct tzm__stream {
	int fd;
	FILE *f;
	struct tzm__stream *next;
};

static struct tzm__stream *streams;

static ssize_t ck_read(void *cookie, char *buf, size_t n)
{
	struct tzm__stream *s = cookie;

	return read(s->fd, buf, n);
}

static ssize_t ck_write(void *cookie, const char *buf, size_t n)
{
	struct tzm__stream *s = cookie;
	ssize_t r = write(s->fd, buf, n);

	return r < 0 ? 0 : r; /* fopencookie: 0 reports a write error */
}

static int ck_seek(void *cookie, off64_t *off, int whence)
{
	struct tzm__stream *s = cookie;
	off_t r = lseek(s->fd, (off_t)*off, whence);

	if (r < 0) {
		return -1;
	}
	*off = r;
	return 0;
}

static int ck_close(void *cookie)
{
	struct tzm__stream *s = cookie;
	struct tzm__stream **pp = &streams;
	int r = 0;

	while (*pp && *pp != s) {
		pp = &(*pp)->next;
	}
	if (*pp) {
		*pp = s->next;
	}
	/* the standard streams do not own the shadow's 0/1/2 beyond the TA's view */
	r = close(s->fd);
	free(s);
	return r;
}

static const cookie_io_functions_t ck_funcs = {
	.read = ck_read,
	.write = ck_write,
	.seek = ck_seek,
	.close = ck_close,
};

FILE *tzm__stdio_stream(int fd, const char *mode)
{
	struct tzm__stream *s = calloc(1, sizeof(*s));

	if (!s) {
		errno = ENOMEM;
		return NULL;
	}
	s->fd = fd;
	s->f = fopencookie(s, mode, ck_funcs);
	if (!s->f) {
		free(s);
		return NULL;
	}
	s->next = streams;
	streams = s;
	return s->f;
}

void tzm__stdio_init(void)
{
	streams = NULL;
	stdin = tzm__stdio_stream(0, "r");
	stdout = tzm__stdio_stream(1, "w");
	stderr = tzm__stdio_stream(2, "w");
	if (stdout) {
		(void)setvbuf(stdout, NULL, (tzm__rt.setup.stdio_tty & 2u) ? _IOLBF : _IOFBF,
			      BUFSIZ);
	}
	if (stderr) {
		(void)setvbuf(stderr, NULL, _IONBF, 0);
	}
}

void tzm__stdio_flush_all(void)
{
	for (struct tzm__stream *s = streams; s; s = s->next) {
		(void)fflush(s->f);
	}
}

FILE *fopen64(const char *path, const char *mode)
{
	return fopen(path, mode);
}

int fileno(FILE *f)
{
	for (struct tzm__stream *s = streams; s; s = s->next) {
		if (s->f == f) {
			return s->fd;
		}
	}
	errno = EBADF;
	return -1;
}

int vscanf(const char *fmt, va_list ap)
{
	return vfscanf(stdin, fmt, ap);
}

int scanf(const char *fmt, ...)
{
	va_list ap;
	int r = 0;

	va_start(ap, fmt);
	r = vfscanf(stdin, fmt, ap);
	va_end(ap);
	return r;
}
