/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * FILE streams for libtzm TAs on OP-TEE, over the TA's descriptors (read/write go to the
 * shadow). Replaces libutils' stdio.h, whose printf & co. write to the secure console;
 * the stream functions here have symbol names tzm_* (tzm_optee_libc.h). Formatting is
 * libutils' vsnprintf (no floating point).
 */
#ifndef TZM_OPTEE_STDIO_H
#define TZM_OPTEE_STDIO_H
/* libutils' header guard: its declarations of printf & co. must not be seen */
#define __STDIO_H

#include <stdarg.h>
#include <stddef.h>
#include <sys/types.h>
#include <tzm_optee_libc.h>

typedef struct tzm_file FILE;

#define EOF (-1)
#define BUFSIZ 4096
#define P_tmpdir "/tmp"
#define SEEK_SET 0
#define SEEK_CUR 1
#define SEEK_END 2
#define _IOFBF 0
#define _IOLBF 1
#define _IONBF 2

extern FILE *stdin TZM_NAME(stdin);
extern FILE *stdout TZM_NAME(stdout);
extern FILE *stderr TZM_NAME(stderr);

/* libutils' formatting into memory */
int snprintf(char *str, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
int vsnprintf(char *str, size_t size, const char *fmt, va_list ap)
	__attribute__((format(printf, 3, 0)));

int printf(const char *fmt, ...) TZM_NAME(printf) __attribute__((format(printf, 1, 2)));
int fprintf(FILE *f, const char *fmt, ...) TZM_NAME(fprintf) __attribute__((format(printf, 2, 3)));
int dprintf(int fd, const char *fmt, ...) TZM_NAME(dprintf) __attribute__((format(printf, 2, 3)));
int vprintf(const char *fmt, va_list ap) TZM_NAME(vprintf) __attribute__((format(printf, 1, 0)));
int vfprintf(FILE *f, const char *fmt, va_list ap) TZM_NAME(vfprintf)
	__attribute__((format(printf, 2, 0)));
int vdprintf(int fd, const char *fmt, va_list ap) TZM_NAME(vdprintf)
	__attribute__((format(printf, 2, 0)));
int puts(const char *s) TZM_NAME(puts);
int fputs(const char *s, FILE *f) TZM_NAME(fputs);
int fputc(int c, FILE *f) TZM_NAME(fputc);
int putc(int c, FILE *f) TZM_NAME(putc);
int putchar(int c) TZM_NAME(putchar);
size_t fwrite(const void *p, size_t size, size_t n, FILE *f) TZM_NAME(fwrite);
size_t fread(void *p, size_t size, size_t n, FILE *f) TZM_NAME(fread);
int fgetc(FILE *f) TZM_NAME(fgetc);
int getc(FILE *f) TZM_NAME(getc);
int getchar(void) TZM_NAME(getchar);
char *fgets(char *s, int size, FILE *f) TZM_NAME(fgets);
int fflush(FILE *f) TZM_NAME(fflush);
FILE *fopen(const char *path, const char *mode) TZM_NAME(fopen);
FILE *fdopen(int fd, const char *mode) TZM_NAME(fdopen);
int fclose(FILE *f) TZM_NAME(fclose);
int fileno(FILE *f) TZM_NAME(fileno);
int feof(FILE *f) TZM_NAME(feof);
int ferror(FILE *f) TZM_NAME(ferror);
void clearerr(FILE *f) TZM_NAME(clearerr);
int setvbuf(FILE *f, char *buf, int mode, size_t size) TZM_NAME(setvbuf);
long ftell(FILE *f) TZM_NAME(ftell);
int fseek(FILE *f, long off, int whence) TZM_NAME(fseek);
void rewind(FILE *f) TZM_NAME(rewind);
void perror(const char *s) TZM_NAME(perror);
FILE *tmpfile(void) TZM_NAME(tmpfile);
FILE *tmpfile64(void) TZM_NAME(tmpfile64);
int remove(const char *path);
int rename(const char *oldpath, const char *newpath);
int renameat(int olddirfd, const char *oldpath, int newdirfd, const char *newpath);

#endif
