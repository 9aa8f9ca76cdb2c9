/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * stdio for TAs: stdin/stdout/stderr and fopen/fdopen streams are libc FILEs created with
 * fopencookie whose read/write/seek/close go through the mediator, so the whole printf
 * machinery of libc is reused. libtzm defines its own stdin/stdout/stderr objects and the
 * functions that use them implicitly (printf, puts, putchar, getchar, perror, scanf): the
 * TA's references bind to these (-Bsymbolic), leaving the hosting process's streams alone.
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

static FILE *wrap_fd(int fd, const char *mode)
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
	stdin = wrap_fd(0, "r");
	stdout = wrap_fd(1, "w");
	stderr = wrap_fd(2, "w");
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

static int mode_flags(const char *mode, int *flags)
{
	int f = 0;

	switch (mode ? mode[0] : 0) {
	case 'r':
		f = O_RDONLY;
		break;
	case 'w':
		f = O_WRONLY | O_CREAT | O_TRUNC;
		break;
	case 'a':
		f = O_WRONLY | O_CREAT | O_APPEND;
		break;
	default:
		errno = EINVAL;
		return -1;
	}
	for (const char *p = mode + 1; *p; p++) {
		if (*p == '+') {
			f = (f & ~(O_RDONLY | O_WRONLY)) | O_RDWR;
		} else if (*p == 'x') {
			f |= O_EXCL;
		} else if (*p == 'e') {
			f |= O_CLOEXEC;
		}
	}
	*flags = f;
	return 0;
}

FILE *fopen(const char *path, const char *mode)
{
	int flags = 0, fd = -1, saved = 0;
	FILE *f = NULL;

	if (mode_flags(mode, &flags) != 0) {
		return NULL;
	}
	fd = open(path, flags, 0666);
	if (fd < 0) {
		return NULL;
	}
	f = wrap_fd(fd, mode);
	if (!f) {
		saved = errno;
		close(fd);
		errno = saved;
	}
	return f;
}
FILE *fopen64(const char *path, const char *mode)
{
	return fopen(path, mode);
}

FILE *fdopen(int fd, const char *mode)
{
	int flags = 0;

	if (mode_flags(mode, &flags) != 0) {
		return NULL;
	}
	if (!tzm__fd_valid(fd)) {
		errno = EBADF;
		return NULL;
	}
	return wrap_fd(fd, mode);
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

int vprintf(const char *fmt, va_list ap)
{
	return vfprintf(stdout, fmt, ap);
}

int printf(const char *fmt, ...)
{
	va_list ap;
	int r = 0;

	va_start(ap, fmt);
	r = vfprintf(stdout, fmt, ap);
	va_end(ap);
	return r;
}

int puts(const char *s)
{
	if (fputs(s, stdout) == EOF || fputc('\n', stdout) == EOF) {
		return EOF;
	}
	return 1;
}

int putchar(int c)
{
	return fputc(c, stdout);
}

int getchar(void)
{
	return fgetc(stdin);
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

void perror(const char *s)
{
	int e = errno;

	if (s && *s) {
		fprintf(stderr, "%s: %s\n", s, strerror(e));
	} else {
		fprintf(stderr, "%s\n", strerror(e));
	}
	errno = e;
}

/* glibc's dprintf writes through an internal stream with its own (direct) write calls */
int vdprintf(int fd, const char *fmt, va_list ap)
{
	char small[512];
	char *text = small;
	va_list again;
	size_t done = 0;
	int n = 0;

	va_copy(again, ap);
	n = vsnprintf(small, sizeof(small), fmt, ap);
	if (n < 0) {
		va_end(again);
		return -1;
	}
	if ((size_t)n >= sizeof(small)) {
		text = malloc((size_t)n + 1);
		if (!text) {
			va_end(again);
			errno = ENOMEM;
			return -1;
		}
		(void)vsnprintf(text, (size_t)n + 1, fmt, again);
	}
	va_end(again);
	while (done < (size_t)n) {
		ssize_t w = write(fd, text + done, (size_t)n - done);

		if (w <= 0) {
			n = -1;
			break;
		}
		done += (size_t)w;
	}
	if (text != small) {
		free(text);
	}
	return n;
}

int dprintf(int fd, const char *fmt, ...)
{
	va_list ap;
	int r = 0;

	va_start(ap, fmt);
	r = vdprintf(fd, fmt, ap);
	va_end(ap);
	return r;
}
