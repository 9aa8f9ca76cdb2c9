/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The HTTP server's behaviour, checked from a client: http_check ADDR:PORT ROOT.
 * ROOT is the directory the server serves, prepared by test_httpd.sh (small.txt, big.bin,
 * index.html, sub/); bodies are compared byte for byte with the files. Each case prints
 * "ok NAME"; the first failure ends the program with the harness's message. The server
 * must answer exactly HTTPD_CHECK_RESPONSES responses (test_httpd.sh runs it with
 * --max-requests that many and waits for it to exit 0).
 */
#include "tzm_test.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

struct response {
	int status;
	char head[4096];  /* status line and headers, NUL-terminated */
	long long length; /* Content-Length, -1 if none */
	char *body;       /* length bytes (malloc), NULL for HEAD or none */
};

static struct sockaddr_in g_addr;
static const char *g_root;

static int dial(void)
{
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	ASSERT_SYS(fd);
	ASSERT_SYS(connect(fd, (struct sockaddr *)&g_addr, sizeof(g_addr)));
	return fd;
}

static void send_text(int fd, const char *text)
{
	size_t len = strlen(text), off = 0;

	while (off < len) {
		ssize_t n = send(fd, text + off, len - off, MSG_NOSIGNAL);

		ASSERT_SYS(n);
		off += (size_t)n;
	}
}

/* Reads exactly n bytes; false on EOF before the first byte. */
static bool read_exact(int fd, char *buf, size_t n)
{
	size_t got = 0;

	while (got < n) {
		ssize_t r = read(fd, buf + got, n - got);

		ASSERT_SYS(r);
		if (r == 0) {
			ASSERT_EQ_U64(got, 0);
			return false;
		}
		got += (size_t)r;
	}
	return true;
}

static const char *find_header(const struct response *r, const char *name)
{
	size_t nl = strlen(name);

	for (const char *h = strstr(r->head, "\r\n"); h && h[2]; h = strstr(h + 2, "\r\n")) {
		if (strncasecmp(h + 2, name, nl) == 0 && h[2 + nl] == ':') {
			return h + 3 + nl + strspn(h + 3 + nl, " ");
		}
	}
	return NULL;
}

/* Reads one response (header byte by byte, then Content-Length bytes unless head_only). */
static void read_response(int fd, struct response *r, bool head_only)
{
	size_t n = 0;
	const char *cl = NULL;

	memset(r, 0, sizeof(*r));
	while (n < 4 || memcmp(r->head + n - 4, "\r\n\r\n", 4) != 0) {
		ASSERT_LT_U64(n, sizeof(r->head) - 1);
		ASSERT_TRUE(read_exact(fd, r->head + n, 1));
		n++;
	}
	r->head[n] = '\0';
	ASSERT_EQ_INT(strncmp(r->head, "HTTP/1.1 ", 9), 0);
	r->status = atoi(r->head + 9);
	cl = find_header(r, "Content-Length");
	r->length = cl ? atoll(cl) : -1;
	if (!head_only && r->length > 0) {
		r->body = malloc((size_t)r->length);
		ASSERT_NOT_NULL(r->body);
		ASSERT_TRUE(read_exact(fd, r->body, (size_t)r->length));
	}
}

static char *slurp(const char *name, size_t *len)
{
	char path[4096];
	struct stat st;
	char *buf = NULL;
	int fd = -1;

	snprintf(path, sizeof(path), "%s/%s", g_root, name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	ASSERT_SYS(fd);
	ASSERT_SYS(fstat(fd, &st));
	buf = malloc((size_t)st.st_size + 1);
	ASSERT_NOT_NULL(buf);
	ASSERT_TRUE(st.st_size == 0 || read_exact(fd, buf, (size_t)st.st_size));
	close(fd);
	*len = (size_t)st.st_size;
	return buf;
}

/* GET name on fd; the body must be the file's bytes. */
static void get_file(int fd, const char *target, const char *file, const char *type)
{
	char req[512];
	struct response r;
	size_t len = 0;
	char *want = slurp(file, &len);

	snprintf(req, sizeof(req), "GET %s HTTP/1.1\r\nHost: test\r\n\r\n", target);
	send_text(fd, req);
	read_response(fd, &r, false);
	ASSERT_EQ_INT(r.status, 200);
	ASSERT_EQ_U64((unsigned long long)r.length, len);
	ASSERT_EQ_MEM(r.body, want, len);
	ASSERT_NOT_NULL(find_header(&r, "Date"));
	if (type) {
		ASSERT_EQ_INT(strncmp(find_header(&r, "Content-Type"), type, strlen(type)), 0);
	}
	ASSERT_NULL(find_header(&r, "Connection"));
	free(r.body);
	free(want);
}

static void expect_closed(int fd)
{
	char c;

	ASSERT_EQ_INT((int)read(fd, &c, 1), 0);
	close(fd);
}

static void expect_status(int fd, const char *request, int status, bool closes)
{
	struct response r;

	send_text(fd, request);
	read_response(fd, &r, false);
	ASSERT_EQ_INT(r.status, status);
	free(r.body);
	if (closes) {
		ASSERT_NOT_NULL(find_header(&r, "Connection"));
		expect_closed(fd);
	}
}

int main(int argc, char **argv)
{
	char big_req[8192 +
		     1]; /* exactly the server's header limit, all of it read by the server */
	struct response r;
	char *colon = argc == 3 ? strrchr(argv[1], ':') : NULL;
	int fd = -1, responses = 0;

	if (!colon) {
		fprintf(stderr, "usage: http_check ADDR:PORT ROOT\n");
		return 2;
	}
	*colon = '\0';
	g_addr.sin_family = AF_INET;
	g_addr.sin_port = htons((uint16_t)atoi(colon + 1));
	ASSERT_EQ_INT(inet_pton(AF_INET, argv[1], &g_addr.sin_addr), 1);
	g_root = argv[2];

	/* one keep-alive connection: small, 1 MiB, index, HEAD, 404, 405, all in order */
	fd = dial();
	get_file(fd, "/small.txt", "small.txt", "text/plain");
	get_file(fd, "/big.bin", "big.bin", "application/octet-stream");
	get_file(fd, "/", "index.html", "text/html");
	get_file(fd, "/sub/", "sub/index.html", "text/html");
	get_file(fd, "/small%2Etxt?x=1", "small.txt", NULL);
	send_text(fd, "HEAD /big.bin HTTP/1.1\r\nHost: test\r\n\r\n");
	read_response(fd, &r, true);
	ASSERT_EQ_INT(r.status, 200);
	ASSERT_EQ_INT((int)r.length, 1 << 20);
	expect_status(fd, "GET /missing HTTP/1.1\r\nHost: t\r\n\r\n", 404, false);
	expect_status(fd, "GET /sub HTTP/1.1\r\nHost: t\r\n\r\n", 404, false);
	expect_status(fd, "POST /small.txt HTTP/1.1\r\nHost: t\r\nContent-Length: 0\r\n\r\n", 405,
		      false);
	responses += 9;
	printf("ok keep-alive: 200 small/1 MiB/index/sub index/encoded, HEAD, 404, 405\n");

	/* pipelined: three requests in one write, three responses in order */
	send_text(fd, "GET /small.txt HTTP/1.1\r\nHost: t\r\n\r\n"
		      "HEAD /small.txt HTTP/1.1\r\nHost: t\r\n\r\n"
		      "GET /nope HTTP/1.1\r\nHost: t\r\n\r\n");
	read_response(fd, &r, false);
	ASSERT_EQ_INT(r.status, 200);
	ASSERT_EQ_MEM(r.body, "hello tzm!\n", 11);
	free(r.body);
	read_response(fd, &r, true);
	ASSERT_EQ_INT(r.status, 200);
	ASSERT_EQ_INT((int)r.length, 11);
	read_response(fd, &r, false);
	ASSERT_EQ_INT(r.status, 404);
	free(r.body);
	responses += 3;
	printf("ok pipelined\n");

	/* the client asks to close; HTTP/1.0 closes unless asked to keep the connection */
	expect_status(fd, "GET /small.txt HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n", 200,
		      true);
	expect_status(dial(), "GET /small.txt HTTP/1.0\r\n\r\n", 200, true);
	fd = dial();
	expect_status(fd, "GET /small.txt HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n", 200, false);
	expect_status(fd, "GET /small.txt HTTP/1.0\r\n\r\n", 200, true);
	responses += 4;
	printf("ok connection close / HTTP/1.0\n");

	/* bad requests: 400 and the connection closed; the server stays up */
	expect_status(dial(), "GET /../etc/passwd HTTP/1.1\r\nHost: t\r\n\r\n", 400, true);
	expect_status(dial(), "GET /sub/%2e%2e/small.txt HTTP/1.1\r\nHost: t\r\n\r\n", 400, true);
	expect_status(dial(), "GET /a%00b HTTP/1.1\r\nHost: t\r\n\r\n", 400, true);
	expect_status(dial(), "GET /small.txt HTTP/1.1\r\n\r\n", 400, true); /* no Host */
	expect_status(dial(), "GET /small.txt HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\n\r\n",
		      400, true);
	expect_status(dial(), "GET /small.txt HTTP/2.0\r\nHost: t\r\n\r\n", 400, true);
	expect_status(dial(), "GET /small.txt HTTP/1.7\r\nHost: t\r\n\r\n", 505, true);
	expect_status(dial(), "garbage\r\n\r\n", 400, true);
	memset(big_req, 'a', sizeof(big_req) - 1);
	memcpy(big_req, "GET / HTTP/1.1\r\nX: ", 19);
	big_req[sizeof(big_req) - 1] = '\0';
	expect_status(dial(), big_req, 431, true);
	responses += 9;
	printf("ok bad requests: .., %%2e%%2e, %%00, no Host, body, version, garbage, 431\n");

	/* still serving after all that */
	fd = dial();
	get_file(fd, "/small.txt", "small.txt", NULL);
	close(fd);
	responses += 1;
	printf("ok still serving; %d responses\n", responses);
	return 0;
}
