/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The stdio calls both of libtzm's stream back ends share: opening a stream over a path or
 * a descriptor, the calls that use stdin/stdout/stderr implicitly, perror, and dprintf's
 * direct writes. The back end makes the FILE (tzm__stdio_stream): ta/stdio.c with glibc's
 * fopencookie, optee/libc/stdio.c with its own table of streams on OP-TEE.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tzm_int.h"

/* fopen's mode string as open(2) flags; -1 (EINVAL) for a mode that is none. */
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
	f = tzm__stdio_stream(fd, mode);
	if (!f) {
		saved = errno;
		close(fd);
		errno = saved;
	}
	return f;
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
	return tzm__stdio_stream(fd, mode);
}

int tzm__vformat(char *small, size_t cap, char **text, const char *fmt, va_list ap)
{
	va_list again;
	int n = 0;

	*text = small;
	va_copy(again, ap);
	n = vsnprintf(small, cap, fmt, ap);
	if (n >= 0 && (size_t)n >= cap) {
		*text = malloc((size_t)n + 1);
		if (!*text) {
			va_end(again);
			*text = small;
			errno = ENOMEM;
			return -1;
		}
		(void)vsnprintf(*text, (size_t)n + 1, fmt, again);
	}
	va_end(again);
	return n;
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
	char small[TZM_STDIO_FORMAT_STACK];
	char *text = NULL;
	size_t done = 0;
	int n = tzm__vformat(small, sizeof(small), &text, fmt, ap);

	while (n > 0 && done < (size_t)n) {
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
	return n < 0 ? -1 : n;
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
