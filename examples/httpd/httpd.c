/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * tzm-httpd: a small HTTP/1.1 static-file server, the application benchmark's server. One
 * source built natively and (tzm_add_posix_program) as a TA; as a TA every call below is
 * forwarded to the shadow, so a browser, curl or a load generator sees an ordinary server.
 *
 *   httpd [--poll] [--max-requests N] ADDR:PORT ROOT
 *
 * ADDR:PORT: an IPv4 address (or [IPv6]) and a port (0: any free one). Once listening it
 * prints "httpd: ready ADDR:PORT" with the real port. GET and HEAD of regular files under
 * ROOT ("/" and any path ending in "/" serve index.html), HTTP/1.0 and 1.1, keep-alive
 * and pipelined requests, bodies sent with sendfile. One event loop over epoll (default)
 * or poll (--poll), non-blocking sockets, at most MAX_CONNS connections (more wait in the
 * listen queue). --max-requests N: exit 0 after N responses (tests); otherwise it runs
 * until killed. Errors: 400 (malformed, "..", missing Host in 1.1, request bodies), 403,
 * 404, 405 (with Allow), 431 (header over IN_MAX bytes), 500, 505; each closes the
 * connection except 404 and 405, which keep it as a real server does.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/epoll.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define MAX_CONNS 128
#define IN_MAX 8192
#define HEAD_MAX 512
#define PATH_MAX_LEN 1024
#define SENDFILE_CHUNK (1u << 20)

struct conn {
	int fd; /* -1: free slot */
	size_t in_len;
	char in[IN_MAX];
	/* the response being sent: header bytes, then body [body_off, body_end) of file */
	char head[HEAD_MAX];
	size_t head_len, head_off;
	int file;
	off_t body_off, body_end;
	bool responding;
	bool keep_alive; /* after this response */
	bool want_out;   /* the loop waits for writability (else readability) */
	bool polled_out; /* what epoll watches now: writability (else readability) */
};

static struct conn g_conns[MAX_CONNS];
static int g_root = -1; /* the document root directory */
static long g_max_requests, g_served;

static int fail(const char *what)
{
	fprintf(stderr, "httpd: %s: %s\n", what, strerror(errno));
	return 1;
}

static const char *content_type(const char *path)
{
	static const struct {
		const char *ext, *type;
	} types[] = {
		{ ".html", "text/html; charset=utf-8" },
		{ ".txt", "text/plain; charset=utf-8" },
		{ ".css", "text/css" },
		{ ".js", "text/javascript" },
		{ ".json", "application/json" },
		{ ".png", "image/png" },
		{ ".jpg", "image/jpeg" },
		{ ".svg", "image/svg+xml" },
	};
	const char *dot = strrchr(path, '.');

	for (size_t i = 0; dot && i < sizeof(types) / sizeof(types[0]); i++) {
		if (strcmp(dot, types[i].ext) == 0) {
			return types[i].type;
		}
	}
	return "application/octet-stream";
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9') {
		return c - '0';
	}
	c = (char)(c | 0x20);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/*
 * The request target as a path relative to the root: percent-decoded, the query dropped,
 * "index.html" appended to a directory path. False (400) for anything that is not an
 * absolute path, decodes to a NUL, or has a "." or ".." component.
 */
static bool target_to_path(const char *target, size_t len, char *out, size_t cap)
{
	size_t o = 0;

	if (len == 0 || target[0] != '/') {
		return false;
	}
	for (size_t i = 1; i < len && target[i] != '?' && target[i] != '#'; i++) {
		char c = target[i];

		if (c == '%') {
			int hi = i + 2 < len ? hexval(target[i + 1]) : -1;
			int lo = i + 2 < len ? hexval(target[i + 2]) : -1;

			if (hi < 0 || lo < 0 || (hi == 0 && lo == 0)) {
				return false;
			}
			c = (char)(hi * 16 + lo);
			i += 2;
		}
		if (o + 1 >= cap) {
			return false;
		}
		out[o++] = c;
	}
	if (o == 0 || out[o - 1] == '/') {
		static const char index[] = "index.html";

		if (o + sizeof(index) > cap) {
			return false;
		}
		memcpy(out + o, index, sizeof(index));
		o += sizeof(index) - 1;
	}
	out[o] = '\0';
	for (const char *c = out; *c;) { /* components: none empty, ".", ".." */
		size_t n = strcspn(c, "/");

		if (n == 0 || (n == 1 && c[0] == '.') || (n == 2 && c[0] == '.' && c[1] == '.')) {
			return false;
		}
		c += n;
		c += *c == '/';
	}
	return true;
}

/* The value of header `name` in the header block [h, end), or NULL; *vlen its length. */
static const char *header(const char *h, const char *end, const char *name, size_t *vlen)
{
	size_t nlen = strlen(name);

	while (h < end) {
		const char *eol = memchr(h, '\r', (size_t)(end - h));

		if (!eol) {
			eol = end;
		}
		if ((size_t)(eol - h) > nlen && h[nlen] == ':' && strncasecmp(h, name, nlen) == 0) {
			const char *v = h + nlen + 1;

			while (v < eol && (*v == ' ' || *v == '\t')) {
				v++;
			}
			*vlen = (size_t)(eol - v);
			while (*vlen && (v[*vlen - 1] == ' ' || v[*vlen - 1] == '\t')) {
				(*vlen)--;
			}
			return v;
		}
		h = eol + 2;
	}
	return NULL;
}

static bool value_has_token(const char *v, size_t len, const char *token)
{
	size_t tl = strlen(token);

	for (size_t i = 0; i + tl <= len; i++) {
		if (strncasecmp(v + i, token, tl) == 0 &&
		    (i == 0 || v[i - 1] == ' ' || v[i - 1] == ',') &&
		    (i + tl == len || v[i + tl] == ' ' || v[i + tl] == ',')) {
			return true;
		}
	}
	return false;
}

static void start_response(struct conn *c, int status, const char *reason, const char *type,
			   off_t length, const char *extra)
{
	char date[64] = "";
	time_t now = time(NULL);
	struct tm tm;
	int n;

	if (gmtime_r(&now, &tm)) {
		strftime(date, sizeof(date), "Date: %a, %d %b %Y %H:%M:%S GMT\r\n", &tm);
	}
	n = snprintf(c->head, sizeof(c->head),
		     "HTTP/1.1 %d %s\r\nServer: tzm-httpd\r\n%sContent-Type: %s\r\n"
		     "Content-Length: %lld\r\n%s%s\r\n",
		     status, reason, date, type, (long long)length, extra ? extra : "",
		     c->keep_alive ? "" : "Connection: close\r\n");
	c->head_len = n > 0 && (size_t)n < sizeof(c->head) ? (size_t)n : 0;
	c->head_off = 0;
	c->responding = true;
}

/* An error response with a one-line text body (none for HEAD). */
static void error_response(struct conn *c, int status, const char *reason, bool head, bool keep,
			   const char *extra)
{
	char body[128];
	int n = snprintf(body, sizeof(body), "%d %s\n", status, reason);
	size_t len = n > 0 ? (size_t)n : 0;

	c->keep_alive = keep && c->keep_alive;
	start_response(c, status, reason, "text/plain; charset=utf-8", (off_t)len, extra);
	if (!head && c->head_len + len < sizeof(c->head)) {
		memcpy(c->head + c->head_len, body, len);
		c->head_len += len;
	}
}

/*
 * Parses the first complete request in c->in (whose header block ends at hdr_end) and
 * prepares its response. Returns the request's length in bytes.
 */
static size_t handle_request(struct conn *c, size_t hdr_end)
{
	const char *req = c->in, *end = c->in + hdr_end - 2; /* end: the blank line's CRLF */
	const char *eol = memchr(req, '\r', hdr_end);
	const char *sp1 = eol ? memchr(req, ' ', (size_t)(eol - req)) : NULL;
	const char *sp2 = sp1 ? memchr(sp1 + 1, ' ', (size_t)(eol - sp1 - 1)) : NULL;
	char path[PATH_MAX_LEN];
	const char *v = NULL;
	size_t vlen = 0, mlen = 0;
	bool head = false, http11 = false;
	struct stat st;
	int fd = -1;

	c->keep_alive = false;
	if (!sp2 || eol[1] != '\n') {
		error_response(c, 400, "Bad Request", false, false, NULL);
		return hdr_end;
	}
	mlen = (size_t)(sp1 - req);
	head = mlen == 4 && memcmp(req, "HEAD", 4) == 0;
	if ((size_t)(eol - sp2 - 1) != 8 || memcmp(sp2 + 1, "HTTP/1.", 7) != 0) {
		error_response(c, 400, "Bad Request", head, false, NULL);
		return hdr_end;
	}
	if (sp2[8] != '0' && sp2[8] != '1') {
		error_response(c, 505, "HTTP Version Not Supported", head, false, NULL);
		return hdr_end;
	}
	http11 = sp2[8] == '1';
	v = header(eol + 2, end, "Connection", &vlen);
	c->keep_alive = http11 ? !(v && value_has_token(v, vlen, "close"))
			       : (v && value_has_token(v, vlen, "keep-alive"));
	if (http11 && !header(eol + 2, end, "Host", &vlen)) {
		error_response(c, 400, "Bad Request", head, false, NULL);
		return hdr_end;
	}
	/* no request bodies: a GET/HEAD with one would desynchronise the stream */
	v = header(eol + 2, end, "Content-Length", &vlen);
	if (header(eol + 2, end, "Transfer-Encoding", &vlen) ||
	    (v && !(vlen == 1 && v[0] == '0'))) {
		error_response(c, 400, "Bad Request", head, false, NULL);
		return hdr_end;
	}
	if (!head && !(mlen == 3 && memcmp(req, "GET", 3) == 0)) {
		error_response(c, 405, "Method Not Allowed", false, true, "Allow: GET, HEAD\r\n");
		return hdr_end;
	}
	if (!target_to_path(sp1 + 1, (size_t)(sp2 - sp1 - 1), path, sizeof(path))) {
		error_response(c, 400, "Bad Request", head, false, NULL);
		return hdr_end;
	}
	fd = openat(g_root, path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		int err = fd < 0 ? errno : ENOENT;

		if (fd >= 0) {
			close(fd);
		}
		if (err == ENOENT || err == ENOTDIR || err == EISDIR) {
			error_response(c, 404, "Not Found", head, true, NULL);
		} else if (err == EACCES || err == EPERM) {
			error_response(c, 403, "Forbidden", head, false, NULL);
		} else {
			error_response(c, 500, "Internal Server Error", head, false, NULL);
		}
		return hdr_end;
	}
	start_response(c, 200, "OK", content_type(path), st.st_size, NULL);
	if (head || st.st_size == 0) {
		close(fd);
	} else {
		c->file = fd;
		c->body_off = 0;
		c->body_end = st.st_size;
	}
	return hdr_end;
}

static void conn_close(struct conn *c)
{
	if (c->file >= 0) {
		close(c->file);
	}
	close(c->fd);
	c->fd = -1;
	c->file = -1;
}

/* Sends what it can of the current response. 1: done, 0: would block, -1: close. */
static int send_response(struct conn *c)
{
	while (c->head_off < c->head_len) {
		ssize_t n =
			send(c->fd, c->head + c->head_off, c->head_len - c->head_off, MSG_NOSIGNAL);

		if (n < 0) {
			return errno == EAGAIN || errno == EWOULDBLOCK ? 0 : -1;
		}
		c->head_off += (size_t)n;
	}
	while (c->file >= 0 && c->body_off < c->body_end) {
		off_t left = c->body_end - c->body_off;
		ssize_t n = sendfile(c->fd, c->file, &c->body_off,
				     left > SENDFILE_CHUNK ? SENDFILE_CHUNK : (size_t)left);

		if (n < 0) {
			return errno == EAGAIN || errno == EWOULDBLOCK ? 0 : -1;
		}
		if (n == 0) {
			return -1; /* the file shrank: the promised length cannot be kept */
		}
	}
	if (c->file >= 0) {
		close(c->file);
		c->file = -1;
	}
	c->responding = false;
	g_served++;
	return c->keep_alive ? 1 : -1;
}

/*
 * Works on one connection after an event: sends, reads, answers every complete request
 * buffered (pipelining). False when the connection is to be closed. *want_out: whether it
 * now waits for writability.
 *
 * At most one recv per call: a client that sends its next request as soon as it has the
 * answer would otherwise be served again and again while the other connections wait
 * (as a TA, whose calls take longer, with 16 keep-alive connections: a median of 23 us
 * and a p99 of 14-33 ms). The loop's poll and epoll are level-triggered, so what is left
 * in the socket is reported again.
 */
static bool conn_work(struct conn *c)
{
	bool received = false;

	for (;;) {
		char *blank = NULL;

		if (c->responding) {
			int r = send_response(c);

			if (r < 0) {
				return false;
			}
			if (r == 0) {
				c->want_out = true;
				return true;
			}
			if (g_max_requests && g_served >= g_max_requests) {
				return false;
			}
		}
		c->want_out = false;
		blank = memmem(c->in, c->in_len, "\r\n\r\n", 4);
		if (blank) {
			size_t used = handle_request(c, (size_t)(blank - c->in) + 4);

			memmove(c->in, c->in + used, c->in_len - used);
			c->in_len -= used;
			continue;
		}
		if (c->in_len == sizeof(c->in)) {
			c->keep_alive = false;
			error_response(c, 431, "Request Header Fields Too Large", false, false,
				       NULL);
			c->in_len = 0;
			continue;
		}
		if (received) {
			return true; /* the other connections' turn */
		}
		received = true;
		ssize_t n = recv(c->fd, c->in + c->in_len, sizeof(c->in) - c->in_len, 0);

		if (n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK)) {
			return false;
		}
		if (n < 0) {
			return true;
		}
		c->in_len += (size_t)n;
	}
}

static struct conn *conn_new(int fd)
{
	for (size_t i = 0; i < MAX_CONNS; i++) {
		if (g_conns[i].fd < 0) {
			struct conn *c = &g_conns[i];
			int one = 1;

			c->fd = fd;
			c->file = -1;
			c->in_len = 0;
			c->responding = false;
			c->want_out = false;
			c->polled_out = false; /* accept_all adds it for readability */
			setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
			return c;
		}
	}
	return NULL;
}

static int conns_open(void)
{
	int n = 0;

	for (size_t i = 0; i < MAX_CONNS; i++) {
		n += g_conns[i].fd >= 0;
	}
	return n;
}

/* Accepts every pending connection while there is room. */
static void accept_all(int lfd, int ep)
{
	while (conns_open() < MAX_CONNS) {
		int fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		struct conn *c = NULL;

		if (fd < 0) {
			if (errno != EAGAIN && errno != EWOULDBLOCK && errno != ECONNABORTED) {
				fail("accept4");
			}
			return;
		}
		c = conn_new(fd);
		if (ep >= 0) {
			struct epoll_event ev = { .events = EPOLLIN, .data.ptr = c };

			if (epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev) != 0) {
				fail("epoll_ctl");
				conn_close(c);
			}
		}
	}
}

/* After work on c: close it, or tell epoll what it waits for next. */
static void after_work(struct conn *c, bool keep, int ep)
{
	if (!keep) {
		conn_close(c); /* close removes it from the epoll set */
		return;
	}
	if (ep >= 0 && c->want_out != c->polled_out) {
		struct epoll_event ev = { .events = c->want_out ? EPOLLOUT : EPOLLIN,
					  .data.ptr = c };

		if (epoll_ctl(ep, EPOLL_CTL_MOD, c->fd, &ev) != 0) {
			fail("epoll_ctl");
			conn_close(c);
			return;
		}
		c->polled_out = c->want_out;
	}
}

static bool done(void)
{
	return g_max_requests && g_served >= g_max_requests;
}

static int loop_epoll(int lfd)
{
	struct epoll_event evs[64], lev = { .events = EPOLLIN, .data.ptr = NULL };
	int ep = epoll_create1(EPOLL_CLOEXEC);

	if (ep < 0 || epoll_ctl(ep, EPOLL_CTL_ADD, lfd, &lev) != 0) {
		return fail("epoll");
	}
	while (!done()) {
		int n = epoll_wait(ep, evs, 64, -1);

		if (n < 0 && errno != EINTR) {
			return fail("epoll_wait");
		}
		for (int i = 0; i < n && !done(); i++) {
			struct conn *c = evs[i].data.ptr;

			if (!c) {
				accept_all(lfd, ep);
			} else if (c->fd >= 0) {
				after_work(c, conn_work(c), ep);
			}
		}
	}
	close(ep);
	return 0;
}

static int loop_poll(int lfd)
{
	static struct pollfd pfd[MAX_CONNS + 1];
	static struct conn *who[MAX_CONNS + 1];

	while (!done()) {
		nfds_t n = 0;
		int r;

		if (conns_open() < MAX_CONNS) {
			pfd[n] = (struct pollfd){ .fd = lfd, .events = POLLIN };
			who[n++] = NULL;
		}
		for (size_t i = 0; i < MAX_CONNS; i++) {
			struct conn *c = &g_conns[i];

			if (c->fd >= 0) {
				pfd[n] =
					(struct pollfd){ c->fd, c->want_out ? POLLOUT : POLLIN, 0 };
				who[n++] = c;
			}
		}
		r = poll(pfd, n, -1);
		if (r < 0 && errno != EINTR) {
			return fail("poll");
		}
		for (nfds_t i = 0; r > 0 && i < n && !done(); i++) {
			if (!pfd[i].revents) {
				continue;
			}
			if (!who[i]) {
				accept_all(lfd, -1);
			} else {
				after_work(who[i], conn_work(who[i]), -1);
			}
		}
	}
	return 0;
}

/* "ADDR:PORT" or "[ADDR6]:PORT" into a socket address. */
static bool parse_addr(const char *text, struct sockaddr_storage *ss, socklen_t *len)
{
	char host[64];
	const char *colon = strrchr(text, ':');
	size_t hl = colon ? (size_t)(colon - text) : 0;
	char *end = NULL;
	long port = colon ? strtol(colon + 1, &end, 10) : -1;

	if (!colon || !*(colon + 1) || *end || port < 0 || port > 65535 || hl == 0 ||
	    hl >= sizeof(host)) {
		return false;
	}
	memset(ss, 0, sizeof(*ss));
	if (text[0] == '[' && text[hl - 1] == ']') {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;

		memcpy(host, text + 1, hl - 2);
		host[hl - 2] = '\0';
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons((uint16_t)port);
		*len = sizeof(*s6);
		return inet_pton(AF_INET6, host, &s6->sin6_addr) == 1;
	}
	struct sockaddr_in *s4 = (struct sockaddr_in *)ss;

	memcpy(host, text, hl);
	host[hl] = '\0';
	s4->sin_family = AF_INET;
	s4->sin_port = htons((uint16_t)port);
	*len = sizeof(*s4);
	return inet_pton(AF_INET, host, &s4->sin_addr) == 1;
}

int main(int argc, char **argv)
{
	struct sockaddr_storage ss;
	socklen_t len = 0;
	bool use_poll = false;
	char shown[INET6_ADDRSTRLEN];
	int lfd = -1, one = 1, a = 1, rc = 0;

	for (; a < argc && strncmp(argv[a], "--", 2) == 0; a++) {
		if (strcmp(argv[a], "--poll") == 0) {
			use_poll = true;
		} else if (strcmp(argv[a], "--max-requests") == 0 && a + 1 < argc) {
			g_max_requests = strtol(argv[++a], NULL, 10);
		} else {
			break;
		}
	}
	if (argc - a != 2 || !parse_addr(argv[a], &ss, &len) || g_max_requests < 0) {
		fprintf(stderr, "usage: httpd [--poll] [--max-requests N] ADDR:PORT ROOT\n");
		return 2;
	}
	signal(SIGPIPE, SIG_IGN);
	for (size_t i = 0; i < MAX_CONNS; i++) {
		g_conns[i].fd = -1;
		g_conns[i].file = -1;
	}
	g_root = open(argv[a + 1], O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (g_root < 0) {
		return fail(argv[a + 1]);
	}
	lfd = socket(ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (lfd < 0 || setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) != 0 ||
	    bind(lfd, (struct sockaddr *)&ss, len) != 0 || listen(lfd, 128) != 0 ||
	    getsockname(lfd, (struct sockaddr *)&ss, &len) != 0) {
		return fail("listen");
	}
	if (ss.ss_family == AF_INET6) {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;

		inet_ntop(AF_INET6, &s6->sin6_addr, shown, sizeof(shown));
		printf("httpd: ready [%s]:%u\n", shown, ntohs(s6->sin6_port));
	} else {
		struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;

		inet_ntop(AF_INET, &s4->sin_addr, shown, sizeof(shown));
		printf("httpd: ready %s:%u\n", shown, ntohs(s4->sin_port));
	}
	fflush(stdout);
	rc = use_poll ? loop_poll(lfd) : loop_epoll(lfd);
	for (size_t i = 0; i < MAX_CONNS; i++) {
		if (g_conns[i].fd >= 0) {
			conn_close(&g_conns[i]);
		}
	}
	close(lfd);
	close(g_root);
	return rc;
}
