/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Freestanding check: minimal definitions of the libutils/libutee functions libtzm for
 * OP-TEE may use, so that libtzm and a POSIX TA (examples/echo) link with -nostdlib and
 * nothing else: any glibc (or other) symbol they needed would be an undefined reference.
 * Written for the check; behaviour is only as good as a link needs (the TEE_* calls do
 * nothing, the console functions discard), except where the check's own run uses it.
 */
#include <ctype.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <tee_internal_api.h>

void *memcpy(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	while (n--) {
		*d++ = *s++;
	}
	return dst;
}

void *memmove(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	if (d < s) {
		return memcpy(dst, src, n);
	}
	while (n--) {
		d[n] = s[n];
	}
	return dst;
}

void *memset(void *p, int c, size_t n)
{
	unsigned char *d = p;

	while (n--) {
		*d++ = (unsigned char)c;
	}
	return p;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *x = a, *y = b;

	for (size_t i = 0; i < n; i++) {
		if (x[i] != y[i]) {
			return x[i] - y[i];
		}
	}
	return 0;
}

void *memchr(const void *p, int c, size_t n)
{
	const unsigned char *s = p;

	for (size_t i = 0; i < n; i++) {
		if (s[i] == (unsigned char)c) {
			return (void *)(s + i);
		}
	}
	return NULL;
}

size_t strnlen(const char *s, size_t max)
{
	size_t n = 0;

	while (n < max && s[n]) {
		n++;
	}
	return n;
}

size_t strlen(const char *s)
{
	size_t n = 0;

	while (s[n]) {
		n++;
	}
	return n;
}

int strncmp(const char *a, const char *b, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (a[i] != b[i] || !a[i]) {
			return (unsigned char)a[i] - (unsigned char)b[i];
		}
	}
	return 0;
}

int strcmp(const char *a, const char *b)
{
	while (*a && *a == *b) {
		a++;
		b++;
	}
	return (unsigned char)*a - (unsigned char)*b;
}

char *strchr(const char *s, int c)
{
	for (;; s++) {
		if (*s == (char)c) {
			return (char *)s;
		}
		if (!*s) {
			return NULL;
		}
	}
}

char *strrchr(const char *s, int c)
{
	const char *last = NULL;

	for (;; s++) {
		if (*s == (char)c) {
			last = s;
		}
		if (!*s) {
			return (char *)last;
		}
	}
}

char *strcpy(char *dst, const char *src)
{
	return memcpy(dst, src, strlen(src) + 1);
}

char *strncpy(char *dst, const char *src, size_t n)
{
	size_t len = strnlen(src, n);

	memcpy(dst, src, len);
	memset(dst + len, 0, n - len);
	return dst;
}

char *strstr(const char *h, const char *n)
{
	size_t len = strlen(n);

	for (; *h; h++) {
		if (strncmp(h, n, len) == 0) {
			return (char *)h;
		}
	}
	return len == 0 ? (char *)h : NULL;
}

/* ---- heap: a bump allocator over a static pool, sizes kept in front of each block ---- */
static unsigned char pool[1 << 20] __attribute__((aligned(16)));
static size_t pool_used;

void *malloc(size_t size)
{
	size_t need = (size + 16 + 15) & ~(size_t)15;
	unsigned char *p = NULL;

	if (size > sizeof(pool) || need > sizeof(pool) - pool_used) {
		return NULL;
	}
	p = pool + pool_used;
	pool_used += need;
	*(size_t *)p = size;
	return p + 16;
}

void free(void *p)
{
	(void)p;
}

void *calloc(size_t n, size_t size)
{
	void *p = NULL;

	if (size != 0 && n > SIZE_MAX / size) {
		return NULL;
	}
	p = malloc(n * size);
	return p ? memset(p, 0, n * size) : NULL;
}

void *realloc(void *old, size_t size)
{
	void *p = malloc(size);
	size_t old_size = old ? *(size_t *)((unsigned char *)old - 16) : 0;

	if (p && old) {
		memcpy(p, old, old_size < size ? old_size : size);
	}
	return p;
}

char *strdup(const char *s)
{
	return strndup(s, strlen(s));
}

char *strndup(const char *s, size_t n)
{
	size_t len = strnlen(s, n);
	char *p = malloc(len + 1);

	if (p) {
		memcpy(p, s, len);
		p[len] = '\0';
	}
	return p;
}

void abort(void)
{
	TEE_Panic(0);
	__builtin_unreachable();
}

int abs(int i)
{
	return i < 0 ? -i : i;
}

unsigned long strtoul(const char *s, char **end, int base)
{
	unsigned long v = 0;

	(void)base; /* decimal is all the check's own run needs */
	while (isdigit((unsigned char)*s)) {
		v = v * 10 + (unsigned long)(*s++ - '0');
	}
	if (end) {
		*end = (char *)s;
	}
	return v;
}

void qsort(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *))
{
	unsigned char *b = base, tmp[64];

	for (size_t i = 1; i < n && size <= sizeof(tmp); i++) {
		for (size_t j = i; j > 0 && cmp(b + (j - 1) * size, b + j * size) > 0; j--) {
			memcpy(tmp, b + j * size, size);
			memcpy(b + j * size, b + (j - 1) * size, size);
			memcpy(b + (j - 1) * size, tmp, size);
		}
	}
}

int isdigit(int c)
{
	return c >= '0' && c <= '9';
}

int islower(int c)
{
	return c >= 'a' && c <= 'z';
}

int isupper(int c)
{
	return c >= 'A' && c <= 'Z';
}

int isalpha(int c)
{
	return islower(c) || isupper(c);
}

int isalnum(int c)
{
	return isalpha(c) || isdigit(c);
}

int isxdigit(int c)
{
	return isdigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

int isspace(int c)
{
	return c == ' ' || (c >= '\t' && c <= '\r');
}

int isprint(int c)
{
	return c >= 0x20 && c < 0x7f;
}

int tolower(int c)
{
	return isupper(c) ? c - 'A' + 'a' : c;
}

int toupper(int c)
{
	return islower(c) ? c - 'a' + 'A' : c;
}

/* ---- formatting: the conversions libtzm and the examples use ---- */
struct out {
	char *buf;
	size_t size, len;
};

static void put(struct out *o, char c)
{
	if (o->len + 1 < o->size) {
		o->buf[o->len] = c;
	}
	o->len++;
}

static void put_num(struct out *o, unsigned long long v, unsigned base, bool neg, int width,
		    char pad, bool upper)
{
	char digits[24];
	int n = 0;

	do {
		unsigned d = (unsigned)(v % base);

		digits[n++] = (char)(d < 10 ? '0' + d : (upper ? 'A' : 'a') + d - 10);
		v /= base;
	} while (v);
	if (neg) {
		digits[n++] = '-';
	}
	for (int i = n; i < width; i++) {
		put(o, pad);
	}
	while (n) {
		put(o, digits[--n]);
	}
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct out o = { buf, size, 0 };

	for (; *fmt; fmt++) {
		int width = 0, prec = -1, lng = 0;
		char pad = ' ';
		bool left = false;

		if (*fmt != '%') {
			put(&o, *fmt);
			continue;
		}
		fmt++;
		for (; *fmt == '-' || *fmt == '0'; fmt++) {
			if (*fmt == '-') {
				left = true;
			} else {
				pad = '0';
			}
		}
		if (*fmt == '*') {
			width = va_arg(ap, int);
			fmt++;
		}
		for (; isdigit((unsigned char)*fmt); fmt++) {
			width = width * 10 + (*fmt - '0');
		}
		if (*fmt == '.') {
			prec = 0;
			fmt++;
			if (*fmt == '*') {
				prec = va_arg(ap, int);
				fmt++;
			}
			for (; isdigit((unsigned char)*fmt); fmt++) {
				prec = prec * 10 + (*fmt - '0');
			}
		}
		for (; *fmt == 'l' || *fmt == 'z' || *fmt == 'h'; fmt++) {
			lng += *fmt != 'h';
		}
		switch (*fmt) {
		case 'd':
		case 'i': {
			long long v = lng ? va_arg(ap, long long) : va_arg(ap, int);

			put_num(&o, v < 0 ? 0ull - (unsigned long long)v : (unsigned long long)v,
				10, v < 0, width, pad, false);
			break;
		}
		case 'u':
		case 'x':
		case 'X': {
			unsigned long long v =
				lng ? va_arg(ap, unsigned long long) : va_arg(ap, unsigned int);

			put_num(&o, v, *fmt == 'u' ? 10 : 16, false, width, pad, *fmt == 'X');
			break;
		}
		case 'p':
			put(&o, '0');
			put(&o, 'x');
			put_num(&o, (uintptr_t)va_arg(ap, void *), 16, false, 0, ' ', false);
			break;
		case 'c':
			put(&o, (char)va_arg(ap, int));
			break;
		case 's': {
			const char *s = va_arg(ap, const char *);
			size_t n = 0;

			s = s ? s : "(null)";
			n = strnlen(s, prec < 0 ? SIZE_MAX : (size_t)prec);
			for (int i = (int)n; !left && i < width; i++) {
				put(&o, ' ');
			}
			for (size_t i = 0; i < n; i++) {
				put(&o, s[i]);
			}
			for (int i = (int)n; left && i < width; i++) {
				put(&o, ' ');
			}
			break;
		}
		case '%':
			put(&o, '%');
			break;
		default:
			return -1;
		}
	}
	if (size > 0) {
		buf[o.len < size ? o.len : size - 1] = '\0';
	}
	return (int)o.len;
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n = 0;

	va_start(ap, fmt);
	n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

/* ---- the secure console: libutils' names, which libtzm's stdio must never bind to ---- */
static struct _FILE {
	int unused;
} console_out, console_err;
FILE *stdout = &console_out;
FILE *stderr = &console_err;

int fputs(const char *s, FILE *f)
{
	(void)s;
	(void)f;
	return 0;
}

size_t fwrite(const void *p, size_t size, size_t n, FILE *f)
{
	(void)p;
	(void)size;
	(void)f;
	return n;
}

int fputc(int c, FILE *f)
{
	(void)f;
	return c;
}

int puts(const char *s)
{
	(void)s;
	return 0;
}

int putchar(int c)
{
	return c;
}

int printf(const char *fmt, ...)
{
	(void)fmt;
	return 0;
}

/* ---- setjmp/longjmp (aarch64 callee-saved registers) ---- */
__asm__(".text\n"
	".global setjmp\n"
	".type setjmp, %function\n"
	"setjmp:\n"
	"	stp x19, x20, [x0, #0]\n"
	"	stp x21, x22, [x0, #16]\n"
	"	stp x23, x24, [x0, #32]\n"
	"	stp x25, x26, [x0, #48]\n"
	"	stp x27, x28, [x0, #64]\n"
	"	stp x29, x30, [x0, #80]\n"
	"	mov x2, sp\n"
	"	str x2, [x0, #96]\n"
	"	stp d8, d9, [x0, #104]\n"
	"	stp d10, d11, [x0, #120]\n"
	"	stp d12, d13, [x0, #136]\n"
	"	stp d14, d15, [x0, #152]\n"
	"	mov w0, #0\n"
	"	ret\n"
	".size setjmp, .-setjmp\n"
	".global longjmp\n"
	".type longjmp, %function\n"
	"longjmp:\n"
	"	ldp x19, x20, [x0, #0]\n"
	"	ldp x21, x22, [x0, #16]\n"
	"	ldp x23, x24, [x0, #32]\n"
	"	ldp x25, x26, [x0, #48]\n"
	"	ldp x27, x28, [x0, #64]\n"
	"	ldp x29, x30, [x0, #80]\n"
	"	ldr x2, [x0, #96]\n"
	"	mov sp, x2\n"
	"	ldp d8, d9, [x0, #104]\n"
	"	ldp d10, d11, [x0, #120]\n"
	"	ldp d12, d13, [x0, #136]\n"
	"	ldp d14, d15, [x0, #152]\n"
	"	cmp w1, #0\n"
	"	csinc w0, w1, wzr, ne\n"
	"	ret\n"
	".size longjmp, .-longjmp\n");

/* ---- libutee: the GP calls libtzm makes ---- */
void TEE_Panic(TEE_Result code)
{
	(void)code;
	for (;;) {
	}
}

TEE_Result TEE_Wait(uint32_t ms)
{
	(void)ms;
	return TEE_SUCCESS;
}

/* tzm_attest_token() (libc/attest.c) opens OP-TEE's attestation PTA; here there is none */
TEE_Result TEE_OpenTASession(const TEE_UUID *destination, uint32_t cancellationRequestTimeout,
			     uint32_t paramTypes, TEE_Param params[TEE_NUM_PARAMS],
			     TEE_TASessionHandle *session, uint32_t *returnOrigin)
{
	(void)destination;
	(void)cancellationRequestTimeout;
	(void)paramTypes;
	(void)params;
	*session = TEE_HANDLE_NULL;
	*returnOrigin = TEE_ORIGIN_TEE;
	return TEE_ERROR_ITEM_NOT_FOUND;
}

TEE_Result TEE_InvokeTACommand(TEE_TASessionHandle session, uint32_t cancellationRequestTimeout,
			       uint32_t commandID, uint32_t paramTypes,
			       TEE_Param params[TEE_NUM_PARAMS], uint32_t *returnOrigin)
{
	(void)session;
	(void)cancellationRequestTimeout;
	(void)commandID;
	(void)paramTypes;
	(void)params;
	*returnOrigin = TEE_ORIGIN_TEE;
	return TEE_ERROR_ITEM_NOT_FOUND;
}

void TEE_CloseTASession(TEE_TASessionHandle session)
{
	(void)session;
}

bool TEE_MaskCancellation(void)
{
	return false;
}

bool TEE_UnmaskCancellation(void)
{
	return true;
}

void TEE_GetSystemTime(TEE_Time *t)
{
	t->seconds = 0;
	t->millis = 0;
}

/* ---- stack protector, as libutils provides it ---- */
uintptr_t __stack_chk_guard = 0x5a5a5a5a5a5a5a5aul;

void __stack_chk_fail(void)
{
	TEE_Panic(0xdeadbeef);
	__builtin_unreachable();
}

/* The entry point of the check's link: what OP-TEE's libutee would call. */
void tzm_check_entry(void);
void tzm_check_entry(void)
{
	TEE_Param params[TEE_NUM_PARAMS];

	memset(params, 0, sizeof(params));
	(void)TA_CreateEntryPoint();
	(void)TA_InvokeCommandEntryPoint(NULL, 0, 0, params);
	TA_DestroyEntryPoint();
}
