/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The pure parts of the C library a POSIX TA needs that OP-TEE's libutils lacks: errno,
 * strerror, strtol & co., inet_pton/inet_ntop, gai_strerror. Nothing here reaches the
 * shadow.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <netdb.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../ta/tzm_int.h"

int tzm_errno;

const struct in6_addr in6addr_any = IN6ADDR_ANY_INIT;
const struct in6_addr in6addr_loopback = IN6ADDR_LOOPBACK_INIT;

static const struct {
	int num;
	const char *text;
} errtext[] = {
	{ EPERM, "Operation not permitted" },
	{ ENOENT, "No such file or directory" },
	{ ESRCH, "No such process" },
	{ EINTR, "Interrupted system call" },
	{ EIO, "Input/output error" },
	{ ENXIO, "No such device or address" },
	{ E2BIG, "Argument list too long" },
	{ EBADF, "Bad file descriptor" },
	{ ECHILD, "No child processes" },
	{ EAGAIN, "Resource temporarily unavailable" },
	{ ENOMEM, "Cannot allocate memory" },
	{ EACCES, "Permission denied" },
	{ EFAULT, "Bad address" },
	{ EBUSY, "Device or resource busy" },
	{ EEXIST, "File exists" },
	{ EXDEV, "Invalid cross-device link" },
	{ ENODEV, "No such device" },
	{ ENOTDIR, "Not a directory" },
	{ EISDIR, "Is a directory" },
	{ EINVAL, "Invalid argument" },
	{ ENFILE, "Too many open files in system" },
	{ EMFILE, "Too many open files" },
	{ ENOTTY, "Inappropriate ioctl for device" },
	{ ETXTBSY, "Text file busy" },
	{ EFBIG, "File too large" },
	{ ENOSPC, "No space left on device" },
	{ ESPIPE, "Illegal seek" },
	{ EROFS, "Read-only file system" },
	{ EMLINK, "Too many links" },
	{ EPIPE, "Broken pipe" },
	{ EDOM, "Numerical argument out of domain" },
	{ ERANGE, "Numerical result out of range" },
	{ ENAMETOOLONG, "File name too long" },
	{ ENOLCK, "No locks available" },
	{ ENOSYS, "Function not implemented" },
	{ ENOTEMPTY, "Directory not empty" },
	{ ELOOP, "Too many levels of symbolic links" },
	{ EPROTO, "Protocol error" },
	{ EOVERFLOW, "Value too large for defined data type" },
	{ ENOTSOCK, "Socket operation on non-socket" },
	{ EDESTADDRREQ, "Destination address required" },
	{ EMSGSIZE, "Message too long" },
	{ EPROTOTYPE, "Protocol wrong type for socket" },
	{ ENOPROTOOPT, "Protocol not available" },
	{ EPROTONOSUPPORT, "Protocol not supported" },
	{ ESOCKTNOSUPPORT, "Socket type not supported" },
	{ EOPNOTSUPP, "Operation not supported" },
	{ EAFNOSUPPORT, "Address family not supported by protocol" },
	{ EADDRINUSE, "Address already in use" },
	{ EADDRNOTAVAIL, "Cannot assign requested address" },
	{ ENETDOWN, "Network is down" },
	{ ENETUNREACH, "Network is unreachable" },
	{ ECONNABORTED, "Software caused connection abort" },
	{ ECONNRESET, "Connection reset by peer" },
	{ ENOBUFS, "No buffer space available" },
	{ EISCONN, "Transport endpoint is already connected" },
	{ ENOTCONN, "Transport endpoint is not connected" },
	{ ESHUTDOWN, "Cannot send after transport endpoint shutdown" },
	{ ETIMEDOUT, "Connection timed out" },
	{ ECONNREFUSED, "Connection refused" },
	{ EHOSTDOWN, "Host is down" },
	{ EHOSTUNREACH, "No route to host" },
	{ EALREADY, "Operation already in progress" },
	{ EINPROGRESS, "Operation now in progress" },
	{ ESTALE, "Stale file handle" },
	{ EDQUOT, "Disk quota exceeded" },
	{ ECANCELED, "Operation canceled" },
};

char *strerror(int errnum)
{
	static char unknown[32];

	for (size_t i = 0; i < sizeof(errtext) / sizeof(errtext[0]); i++) {
		if (errtext[i].num == errnum) {
			return (char *)errtext[i].text;
		}
	}
	snprintf(unknown, sizeof(unknown), "Unknown error %d", errnum);
	return unknown;
}

/* strtoull's digits with C's base rules; *neg tells the caller about a leading '-' */
static unsigned long long parse_digits(const char *s, char **end, int base, bool *neg,
				       bool *overflow)
{
	const char *p = s;
	unsigned long long v = 0;
	bool any = false;

	*neg = false;
	*overflow = false;
	while (isspace((unsigned char)*p)) {
		p++;
	}
	if (*p == '+' || *p == '-') {
		*neg = *p == '-';
		p++;
	}
	if ((base == 0 || base == 16) && p[0] == '0' && (p[1] == 'x' || p[1] == 'X') &&
	    isxdigit((unsigned char)p[2])) {
		p += 2;
		base = 16;
	} else if (base == 0) {
		base = p[0] == '0' ? 8 : 10;
	}
	if (base < 2 || base > 36) {
		errno = EINVAL;
		if (end) {
			*end = (char *)s;
		}
		return 0;
	}
	for (;; p++) {
		int d = 0;

		if (isdigit((unsigned char)*p)) {
			d = *p - '0';
		} else if (isalpha((unsigned char)*p)) {
			d = tolower((unsigned char)*p) - 'a' + 10;
		} else {
			break;
		}
		if (d >= base) {
			break;
		}
		any = true;
		if (v > (ULLONG_MAX - (unsigned)d) / (unsigned)base) {
			*overflow = true;
		} else {
			v = v * (unsigned)base + (unsigned)d;
		}
	}
	if (end) {
		*end = (char *)(any ? p : s);
	}
	return v;
}

unsigned long long strtoull(const char *s, char **end, int base)
{
	bool neg = false, overflow = false;
	unsigned long long v = parse_digits(s, end, base, &neg, &overflow);

	if (overflow) {
		errno = ERANGE;
		return ULLONG_MAX;
	}
	return neg ? -v : v;
}

long long strtoll(const char *s, char **end, int base)
{
	bool neg = false, overflow = false;
	unsigned long long v = parse_digits(s, end, base, &neg, &overflow);

	if (!neg && (overflow || v > (unsigned long long)LLONG_MAX)) {
		errno = ERANGE;
		return LLONG_MAX;
	}
	if (neg && (overflow || v > (unsigned long long)LLONG_MAX + 1)) {
		errno = ERANGE;
		return LLONG_MIN;
	}
	return neg ? (long long)(0 - v) : (long long)v;
}

long strtol(const char *s, char **end, int base)
{
	return (long)strtoll(s, end, base); /* long is long long on LP64 */
}

int atoi(const char *s)
{
	return (int)strtol(s, NULL, 10);
}

long labs(long v)
{
	return v < 0 ? -v : v;
}

static int pton4(const char *s, uint8_t out[4])
{
	for (int i = 0; i < 4; i++) {
		unsigned v = 0;
		int digits = 0;

		while (isdigit((unsigned char)*s) && digits < 4) {
			v = v * 10 + (unsigned)(*s++ - '0');
			digits++;
		}
		if (digits == 0 || digits > 3 || v > 255) {
			return 0;
		}
		out[i] = (uint8_t)v;
		if (i < 3 && *s++ != '.') {
			return 0;
		}
	}
	return *s == '\0';
}

static int pton6(const char *s, uint8_t out[16])
{
	uint16_t words[8];
	int n = 0, gap = -1;

	if (s[0] == ':' && s[1] == ':') {
		gap = 0;
		s += 2;
	}
	while (*s && n < 8) {
		unsigned v = 0;
		int digits = 0;

		if (strchr(s, '.') && !strchr(s, ':') && n <= 6) {
			uint8_t v4[4];

			if (!pton4(s, v4)) {
				return 0;
			}
			words[n++] = (uint16_t)(v4[0] << 8 | v4[1]);
			words[n++] = (uint16_t)(v4[2] << 8 | v4[3]);
			s += strlen(s);
			break;
		}
		while (isxdigit((unsigned char)*s) && digits < 5) {
			int c = tolower((unsigned char)*s++);

			v = v * 16 + (unsigned)(isdigit(c) ? c - '0' : c - 'a' + 10);
			digits++;
		}
		if (digits == 0 || digits > 4) {
			return 0;
		}
		words[n++] = (uint16_t)v;
		if (*s == ':') {
			s++;
			if (*s == ':') {
				if (gap >= 0) {
					return 0;
				}
				gap = n;
				s++;
			} else if (*s == '\0') {
				return 0;
			}
		}
	}
	if (*s != '\0' || (gap < 0 && n != 8) || (gap >= 0 && n > 7)) {
		return 0;
	}
	memset(out, 0, 16);
	for (int i = 0, j = 0; i < n; i++, j++) {
		if (i == gap) {
			j += 8 - n;
		}
		out[2 * j] = (uint8_t)(words[i] >> 8);
		out[2 * j + 1] = (uint8_t)words[i];
	}
	return 1;
}

int inet_pton(int af, const char *src, void *dst)
{
	if (af == AF_INET) {
		return pton4(src, dst);
	}
	if (af == AF_INET6) {
		return pton6(src, dst);
	}
	errno = EAFNOSUPPORT;
	return -1;
}

const char *inet_ntop(int af, const void *src, char *dst, socklen_t size)
{
	const uint8_t *a = src;
	char text[INET6_ADDRSTRLEN];
	size_t len = 0;

	if (af == AF_INET) {
		snprintf(text, sizeof(text), "%u.%u.%u.%u", a[0], a[1], a[2], a[3]);
	} else if (af == AF_INET6) {
		/* the longest run of two or more zero words becomes "::" (RFC 5952) */
		int best = -1, best_len = 1;

		for (int i = 0; i < 8;) {
			int j = i;

			while (j < 8 && a[2 * j] == 0 && a[2 * j + 1] == 0) {
				j++;
			}
			if (j - i > best_len) {
				best = i;
				best_len = j - i;
			}
			i = j > i ? j : i + 1;
		}
		for (int i = 0; i < 8; i++) {
			if (i == best) {
				len += (size_t)snprintf(text + len, sizeof(text) - len, "::");
				i += best_len - 1;
				continue;
			}
			len += (size_t)snprintf(text + len, sizeof(text) - len, "%s%x",
						len > 0 && text[len - 1] != ':' ? ":" : "",
						(unsigned)(a[2 * i] << 8 | a[2 * i + 1]));
		}
	} else {
		errno = EAFNOSUPPORT;
		return NULL;
	}
	if (strlen(text) + 1 > size) {
		errno = ENOSPC;
		return NULL;
	}
	memcpy(dst, text, strlen(text) + 1);
	return dst;
}

const char *gai_strerror(int code)
{
	switch (code) {
	case EAI_BADFLAGS:
		return "Bad value for ai_flags";
	case EAI_NONAME:
		return "Name or service not known";
	case EAI_AGAIN:
		return "Temporary failure in name resolution";
	case EAI_FAIL:
		return "Non-recoverable failure in name resolution";
	case EAI_FAMILY:
		return "ai_family not supported";
	case EAI_SOCKTYPE:
		return "ai_socktype not supported";
	case EAI_SERVICE:
		return "Servname not supported for ai_socktype";
	case EAI_MEMORY:
		return "Memory allocation failure";
	case EAI_SYSTEM:
		return "System error";
	case EAI_OVERFLOW:
		return "Argument buffer overflow";
	default:
		return "Unknown error";
	}
}
