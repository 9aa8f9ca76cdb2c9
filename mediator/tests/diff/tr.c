/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Transcript printer and expectation checker shared by the differential test programs
 * (see tr.h). Output goes through stdio only, so the same code prints through the
 * mediator when the program runs as a TA. stdout is flushed after every line so that a
 * program killed mid-run still leaves a comparable prefix.
 */
#include "tr.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifndef __wasi__
#include <sys/un.h>
#endif
#include <tzm_test.h>

#define HEX_MAX 32   /* longer data is printed as length + digest */
#define LINE_WIDTH 4 /* source line numbers, right-aligned */

uint64_t tr_fnv64(const void *buf, size_t len)
{
	const unsigned char *p = buf;
	uint64_t h = 0xcbf29ce484222325ULL;

	for (size_t i = 0; i < len; i++) {
		h ^= p[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}

void tr_pattern(void *buf, size_t len, unsigned seed)
{
	unsigned char *p = buf;
	uint32_t x = seed * 2654435761u + 1u;

	for (size_t i = 0; i < len; i++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		p[i] = (unsigned char)x;
	}
}

static void __attribute__((noreturn))
fail(const char *file, int line, const char *what, const char *detail)
{
	tzm_test__fail(file, line, "%s: %s", what, detail);
}

static void print_ret(long ret, long want)
{
	if (ret >= 0 && want == TR_FD) {
		fputs("fd", stdout);
	} else if (ret >= 0 && want == TR_OK) {
		fputs("ok", stdout);
	} else if (ret > 0 && want == TR_POS) {
		fputs("pos", stdout);
	} else {
		printf("%ld", ret);
	}
}

static int ret_matches(long ret, long want)
{
	switch (want) {
	case TR_OK:
	case TR_FD:
		return ret >= 0;
	case TR_POS:
		return ret > 0;
	default:
		return ret == want;
	}
}

static void print_data(const void *buf, long n)
{
	const unsigned char *p = buf;

	if (n <= HEX_MAX) {
		fputs(" data=", stdout);
		for (long i = 0; i < n; i++) {
			printf("%02x", p[i]);
		}
	} else {
		printf(" data=%ld:%016llx", n, (unsigned long long)tr_fnv64(buf, (size_t)n));
	}
}

static long check(const char *file, int line, const char *call, long ret, int err, long want,
		  int werr, const void *buf)
{
	char detail[160];

	printf("%*d: %s = ", LINE_WIDTH, line, call);
	print_ret(ret, want);
	printf(" errno=%s", ret == -1 ? tzm_test_errno_name(err) : "0");
	if (buf != NULL && ret > 0) {
		print_data(buf, ret);
	}
	putchar('\n');
	fflush(stdout);
	if (!ret_matches(ret, want)) {
		snprintf(detail, sizeof(detail), "returned %ld (errno %s), expected %ld", ret,
			 tzm_test_errno_name(err), want);
		fail(file, line, call, detail);
	}
	if (want == -1 && err != werr) {
		snprintf(detail, sizeof(detail), "errno %s, expected %s", tzm_test_errno_name(err),
			 tzm_test_errno_name(werr));
		fail(file, line, call, detail);
	}
	return ret;
}

long tr_check(const char *file, int line, const char *call, long ret, long want, int werr)
{
	int err = errno;

	return check(file, line, call, ret, err, want, werr, NULL);
}

long tr_check_data(const char *file, int line, const char *call, long ret, long want, int werr,
		   const void *buf)
{
	int err = errno;

	return check(file, line, call, ret, err, want, werr, buf);
}

void *tr_check_ptr(const char *file, int line, const char *call, void *ret, int want_null, int werr)
{
	int err = errno;
	char detail[160];

	printf("%*d: %s = %s errno=%s\n", LINE_WIDTH, line, call, ret ? "ptr" : "NULL",
	       ret ? "0" : tzm_test_errno_name(err));
	fflush(stdout);
	if ((ret == NULL) != (want_null != 0)) {
		snprintf(detail, sizeof(detail), "returned %s (errno %s)", ret ? "ptr" : "NULL",
			 tzm_test_errno_name(err));
		fail(file, line, call, detail);
	}
	if (ret == NULL && err != werr) {
		snprintf(detail, sizeof(detail), "errno %s, expected %s", tzm_test_errno_name(err),
			 tzm_test_errno_name(werr));
		fail(file, line, call, detail);
	}
	return ret;
}

void tr_note(int line, const char *fmt, ...)
{
	va_list ap;

	printf("%*d: note: ", LINE_WIDTH, line);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
}

void tr_assert(const char *file, int line, const char *what, int cond)
{
	printf("%*d: assert %s = %s\n", LINE_WIDTH, line, what, cond ? "true" : "false");
	fflush(stdout);
	if (!cond) {
		fail(file, line, what, "assertion false");
	}
}

unsigned tr_port(const struct sockaddr *sa)
{
	if (sa->sa_family == AF_INET) {
		return ntohs(((const struct sockaddr_in *)(const void *)sa)->sin_port);
	}
	if (sa->sa_family == AF_INET6) {
		return ntohs(((const struct sockaddr_in6 *)(const void *)sa)->sin6_port);
	}
	return 0;
}

static void port_text(char *out, size_t size, unsigned port)
{
	if (port >= 32768) {
		snprintf(out, size, "*");
	} else {
		snprintf(out, size, "%u", port);
	}
}

socklen_t tr_loopback(int af, struct sockaddr_storage *ss, unsigned port)
{
	memset(ss, 0, sizeof(*ss));
	if (af == AF_INET6) {
		struct sockaddr_in6 *in6 = (void *)ss;

		in6->sin6_family = AF_INET6;
		in6->sin6_addr = in6addr_loopback;
		in6->sin6_port = htons((uint16_t)port);
		return sizeof(*in6);
	}
	struct sockaddr_in *in = (void *)ss;

	in->sin_family = AF_INET;
	in->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	in->sin_port = htons((uint16_t)port);
	return sizeof(*in);
}

#ifndef __wasi__ /* wasi-libc's sockaddr_un has no sun_path (wasm/tests/diff uses this file) */
socklen_t tr_unix_addr(struct sockaddr_un *sa, const char *dir, const char *name, int abstract)
{
	char path[PATH_MAX];
	int n = 0;

	memset(sa, 0, sizeof(*sa));
	sa->sun_family = AF_UNIX;
	if (abstract) {
		n = snprintf(sa->sun_path + 1, sizeof(sa->sun_path) - 1, "tzmd-%016llx-%s",
			     (unsigned long long)tr_fnv64(dir, strlen(dir)), name);
		if (n < 0 || (size_t)n >= sizeof(sa->sun_path) - 1) {
			fprintf(stderr, "abstract socket name too long: %s\n", name);
			exit(2);
		}
		return (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 + (size_t)n);
	}
	tr_join(path, sizeof(path), dir, name);
	if (strlen(path) >= sizeof(sa->sun_path)) {
		fprintf(stderr, "socket path too long: %s\n", path);
		exit(2);
	}
	memcpy(sa->sun_path, path, strlen(path) + 1);
	return (socklen_t)(offsetof(struct sockaddr_un, sun_path) + strlen(path) + 1);
}
#endif

const char *tr_sockaddr(const struct sockaddr *sa, socklen_t len)
{
	static char text[160];
	char addr[INET6_ADDRSTRLEN] = "";
	char port[16] = "";

	if (len < sizeof(sa_family_t)) {
		snprintf(text, sizeof(text), "(len %u)", (unsigned)len);
		return text;
	}
	if (sa->sa_family == AF_INET) {
		const struct sockaddr_in *in = (const void *)sa;

		inet_ntop(AF_INET, &in->sin_addr, addr, sizeof(addr));
		port_text(port, sizeof(port), ntohs(in->sin_port));
		snprintf(text, sizeof(text), "inet:%s:%s", addr, port);
	} else if (sa->sa_family == AF_INET6) {
		const struct sockaddr_in6 *in6 = (const void *)sa;

		inet_ntop(AF_INET6, &in6->sin6_addr, addr, sizeof(addr));
		port_text(port, sizeof(port), ntohs(in6->sin6_port));
		snprintf(text, sizeof(text), "inet6:[%s]:%s", addr, port);
#ifndef __wasi__
	} else if (sa->sa_family == AF_UNIX) {
		const struct sockaddr_un *un = (const void *)sa;
		size_t n = len - offsetof(struct sockaddr_un, sun_path);

		if (n == 0) {
			snprintf(text, sizeof(text), "unix:(unnamed)");
		} else if (un->sun_path[0] == '\0') {
			/* Abstract names are derived from the scratch dir: print the length only.
			 */
			snprintf(text, sizeof(text), "unix:@(%zu bytes)", n - 1);
		} else {
			/* Path names live in the scratch dir: print the base name only. */
			const char *base = strrchr(un->sun_path, '/');

			snprintf(text, sizeof(text), "unix:%s", base ? base + 1 : un->sun_path);
		}
#endif
	} else {
		snprintf(text, sizeof(text), "family:%d", sa->sa_family);
	}
	return text;
}

void tr_print_name(const char *what, int fd, int peer)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);
	long rc = 0;

	memset(&ss, 0, sizeof(ss));
	if (peer) {
		rc = EXPECT(0, 0, getpeername(fd, (struct sockaddr *)&ss, &len));
	} else {
		rc = EXPECT(0, 0, getsockname(fd, (struct sockaddr *)&ss, &len));
	}
	if (rc == 0) {
		NOTE("%s %s", what, tr_sockaddr((struct sockaddr *)&ss, len));
	}
}

const char *tr_begin(const char *family, int argc, char **argv)
{
	if (argc < 2 || argv[1][0] != '/') {
		fprintf(stderr, "usage: %s ABSOLUTE_SCRATCH_DIR [args...]\n",
			argc > 0 ? argv[0] : family);
		exit(2);
	}
	printf("# tzmediator differential transcript: %s\n", family);
	fflush(stdout);
	return argv[1];
}

void tr_join(char *out, size_t size, const char *dir, const char *name)
{
	int n = snprintf(out, size, "%s/%s", dir, name);

	if (n < 0 || (size_t)n >= size) {
		fprintf(stderr, "path too long: %s/%s\n", dir, name);
		exit(2);
	}
}

int tr_end(void)
{
	printf("# end\n");
	fflush(stdout);
	return 0;
}
