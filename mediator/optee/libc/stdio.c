/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * FILE streams of a libtzm TA on OP-TEE (the glibc build uses fopencookie instead): a
 * fixed table of streams over TA descriptors, each with one buffer used for either
 * reading or writing. stdout is line-buffered, stderr unbuffered; open streams are
 * flushed at exit (tzm__stdio_flush_all). Formatting is libutils' vsnprintf. fopen,
 * fdopen, printf & co., perror and dprintf: ta/stdio_common.c, over tzm__stdio_stream.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../ta/tzm_int.h"

#define MAX_STREAMS 16
#define STREAM_BUF 4096

struct tzm_file {
	int fd;
	bool used;
	bool writing; /* buf holds output (else input: pos..len unread) */
	bool eof;
	bool error;
	int mode; /* _IOFBF, _IOLBF, _IONBF */
	size_t pos, len;
	unsigned char buf[STREAM_BUF];
};

static struct tzm_file streams[MAX_STREAMS];
FILE *stdin;
FILE *stdout;
FILE *stderr;

static FILE *stream_new(int fd, int mode)
{
	for (size_t i = 0; i < MAX_STREAMS; i++) {
		if (!streams[i].used) {
			memset(&streams[i], 0, sizeof(streams[i]));
			streams[i].used = true;
			streams[i].fd = fd;
			streams[i].mode = mode;
			return &streams[i];
		}
	}
	errno = EMFILE;
	return NULL;
}

FILE *tzm__stdio_stream(int fd, const char *mode)
{
	(void)mode; /* one buffer serves reading and writing */
	return stream_new(fd, _IOFBF);
}

void tzm__stdio_init(void)
{
	memset(streams, 0, sizeof(streams));
	stdin = stream_new(0, _IOFBF);
	stdout = stream_new(1, _IOLBF);
	stderr = stream_new(2, _IONBF);
}

static bool stream_ok(FILE *f)
{
	return f && f >= streams && f < streams + MAX_STREAMS && f->used;
}

static int flush_out(FILE *f)
{
	size_t done = 0;

	while (f->writing && done < f->len) {
		ssize_t n = write(f->fd, f->buf + done, f->len - done);

		if (n < 0 && errno == EINTR) {
			continue;
		}
		if (n <= 0) {
			f->error = true;
			memmove(f->buf, f->buf + done, f->len - done);
			f->len -= done;
			return EOF;
		}
		done += (size_t)n;
	}
	f->len = 0;
	f->pos = 0;
	return 0;
}

int fflush(FILE *f)
{
	int rc = 0;

	if (!f) {
		for (size_t i = 0; i < MAX_STREAMS; i++) {
			if (streams[i].used && fflush(&streams[i]) != 0) {
				rc = EOF;
			}
		}
		return rc;
	}
	if (!stream_ok(f)) {
		errno = EBADF;
		return EOF;
	}
	if (!f->writing) {
		/* unread input is dropped, as glibc does for a non-seekable input */
		f->pos = f->len = 0;
		return 0;
	}
	return flush_out(f);
}

void tzm__stdio_flush_all(void)
{
	(void)fflush(NULL);
}

size_t fwrite(const void *p, size_t size, size_t n, FILE *f)
{
	const unsigned char *src = p;
	size_t total = 0;

	if (!stream_ok(f)) {
		errno = EBADF;
		return 0;
	}
	if (size == 0 || n == 0) {
		return 0;
	}
	if (n > (size_t)-1 / size) {
		errno = EOVERFLOW;
		f->error = true;
		return 0;
	}
	total = size * n;
	if (!f->writing) {
		f->pos = f->len = 0;
		f->writing = true;
	}
	for (size_t i = 0; i < total; i++) {
		f->buf[f->len++] = src[i];
		if (f->len == STREAM_BUF || (f->mode == _IOLBF && src[i] == '\n')) {
			if (flush_out(f) != 0) {
				return i / size;
			}
		}
	}
	if (f->mode == _IONBF && flush_out(f) != 0) {
		return 0;
	}
	return n;
}

int fputc(int c, FILE *f)
{
	unsigned char ch = (unsigned char)c;

	return fwrite(&ch, 1, 1, f) == 1 ? ch : EOF;
}

int putc(int c, FILE *f)
{
	return fputc(c, f);
}

int fputs(const char *s, FILE *f)
{
	size_t n = strlen(s);

	return fwrite(s, 1, n, f) == n ? 0 : EOF;
}

int vfprintf(FILE *f, const char *fmt, va_list ap)
{
	char small[TZM_STDIO_FORMAT_STACK];
	char *text = NULL;
	int n = tzm__vformat(small, sizeof(small), &text, fmt, ap);

	if (n > 0 && fwrite(text, 1, (size_t)n, f) != (size_t)n) {
		n = -1;
	}
	if (text != small) {
		free(text);
	}
	return n;
}

int fprintf(FILE *f, const char *fmt, ...)
{
	va_list ap;
	int n = 0;

	va_start(ap, fmt);
	n = vfprintf(f, fmt, ap);
	va_end(ap);
	return n;
}

static int fill(FILE *f)
{
	ssize_t n = 0;

	if (f->writing && flush_out(f) != 0) {
		return EOF;
	}
	f->writing = false;
	if (stdout->writing && f != stdout) {
		(void)flush_out(stdout); /* a prompt is seen before the program waits for input */
	}
	do {
		n = read(f->fd, f->buf, STREAM_BUF);
	} while (n < 0 && errno == EINTR);
	if (n <= 0) {
		if (n == 0) {
			f->eof = true;
		} else {
			f->error = true;
		}
		return EOF;
	}
	f->pos = 0;
	f->len = (size_t)n;
	return 0;
}

int fgetc(FILE *f)
{
	if (!stream_ok(f)) {
		errno = EBADF;
		return EOF;
	}
	if ((f->writing || f->pos == f->len) && fill(f) != 0) {
		return EOF;
	}
	return f->buf[f->pos++];
}

int getc(FILE *f)
{
	return fgetc(f);
}

size_t fread(void *p, size_t size, size_t n, FILE *f)
{
	unsigned char *dst = p;
	size_t total = 0;

	if (size == 0 || n == 0 || n > (size_t)-1 / size) {
		return 0;
	}
	for (total = 0; total < size * n; total++) {
		int c = fgetc(f);

		if (c == EOF) {
			break;
		}
		dst[total] = (unsigned char)c;
	}
	return total / size;
}

char *fgets(char *s, int size, FILE *f)
{
	int i = 0;

	if (size <= 0) {
		errno = EINVAL;
		return NULL;
	}
	while (i < size - 1) {
		int c = fgetc(f);

		if (c == EOF) {
			break;
		}
		s[i++] = (char)c;
		if (c == '\n') {
			break;
		}
	}
	if (i == 0) {
		return NULL;
	}
	s[i] = '\0';
	return s;
}

int fclose(FILE *f)
{
	int rc = 0;

	if (!stream_ok(f)) {
		errno = EBADF;
		return EOF;
	}
	rc = fflush(f);
	if (close(f->fd) != 0) {
		rc = EOF;
	}
	f->used = false;
	return rc;
}

int fileno(FILE *f)
{
	if (!stream_ok(f)) {
		errno = EBADF;
		return -1;
	}
	return f->fd;
}

int feof(FILE *f)
{
	return stream_ok(f) && f->eof;
}

int ferror(FILE *f)
{
	return stream_ok(f) && f->error;
}

void clearerr(FILE *f)
{
	if (stream_ok(f)) {
		f->eof = false;
		f->error = false;
	}
}

/* The stream's position: the descriptor's, less unread input, plus unwritten output. */
long ftell(FILE *f)
{
	off_t at = 0;

	if (!stream_ok(f)) {
		errno = EBADF;
		return -1;
	}
	at = lseek(f->fd, 0, SEEK_CUR);
	if (at < 0) {
		return -1;
	}
	return (long)(f->writing ? at + (off_t)f->len : at - (off_t)(f->len - f->pos));
}

int fseek(FILE *f, long off, int whence)
{
	if (!stream_ok(f)) {
		errno = EBADF;
		return -1;
	}
	if (whence == SEEK_CUR) {
		long at = ftell(f);

		if (at < 0) {
			return -1;
		}
		off += at;
		whence = SEEK_SET;
	}
	if (f->writing && flush_out(f) != 0) {
		return -1;
	}
	f->writing = false;
	f->pos = f->len = 0; /* buffered input is dropped */
	if (lseek(f->fd, (off_t)off, whence) < 0) {
		return -1;
	}
	f->eof = false;
	return 0;
}

void rewind(FILE *f)
{
	if (fseek(f, 0, SEEK_SET) == 0) {
		clearerr(f);
	}
}

int setvbuf(FILE *f, char *buf, int mode, size_t size)
{
	(void)buf; /* the stream keeps its own buffer */
	(void)size;
	if (!stream_ok(f) || (mode != _IOFBF && mode != _IOLBF && mode != _IONBF)) {
		errno = EINVAL;
		return -1;
	}
	f->mode = mode;
	return 0;
}
