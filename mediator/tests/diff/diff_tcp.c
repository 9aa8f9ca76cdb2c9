/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Differential test: TCP over IPv4 and IPv6 loopback, client and server in one program
 * (a blocking connect to a listening socket completes from the backlog, before accept).
 * bind/listen/accept/accept4/connect, send/recv, sendmsg/recvmsg with iovecs, shutdown,
 * socket options, getsockname/getpeername, ECONNREFUSED, EADDRINUSE, and the resolver
 * helpers getaddrinfo/getnameinfo/gai_strerror/inet_pton/inet_ntop.
 */
#include "tr.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#define BULK 65536

static unsigned char bulk[BULK];
static unsigned char bulk_back[BULK];

static void options(int c)
{
	int one = 1;
	int val = -1;
	socklen_t vlen = sizeof(val);

	EXPECT(0, 0, getsockopt(c, SOL_SOCKET, SO_TYPE, &val, &vlen));
	ASSERT(val == SOCK_STREAM && vlen == sizeof(int));
	EXPECT(0, 0, getsockopt(c, SOL_SOCKET, SO_ERROR, &val, &vlen));
	ASSERT(val == 0);
	EXPECT(0, 0, setsockopt(c, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one)));
	EXPECT(0, 0, getsockopt(c, IPPROTO_TCP, TCP_NODELAY, &val, &vlen));
	ASSERT(val == 1);
	val = 65536;
	EXPECT(0, 0, setsockopt(c, SOL_SOCKET, SO_RCVBUF, &val, sizeof(val)));
	EXPECT(0, 0, getsockopt(c, SOL_SOCKET, SO_RCVBUF, &val, &vlen));
	NOTE("SO_RCVBUF reads back %d", val); /* the kernel doubles it */
	EXPECT(0, 0, setsockopt(c, SOL_SOCKET, SO_KEEPALIVE, &one, sizeof(one)));
	EXPECT(0, 0, getsockopt(c, SOL_SOCKET, SO_KEEPALIVE, &val, &vlen));
	ASSERT(val == 1);
	EXPECT(-1, ENOPROTOOPT, getsockopt(c, SOL_SOCKET, 12345, &val, &vlen));
	EXPECT(-1, EINVAL, setsockopt(c, SOL_SOCKET, SO_RCVBUF, &val, 1));
}

static void run(int af)
{
	struct sockaddr_storage addr, peer;
	socklen_t alen = tr_loopback(af, &addr, 0);
	socklen_t plen = sizeof(peer);
	int one = 1;
	int val = 0;
	socklen_t vlen = sizeof(val);
	char buf[64] = "";
	char p1[8] = "", p2[8] = "";
	const char *hdr = "head:";
	const char *body = "body-bytes";
	const char *tail = ":tail";
	struct iovec out[3] = { { (void *)hdr, strlen(hdr) },
				{ (void *)body, strlen(body) },
				{ (void *)tail, strlen(tail) } };
	struct iovec in[2] = { { p1, sizeof(p1) }, { p2, sizeof(p2) } };
	struct msghdr msg;
	int s = -1, s2 = -1, c = -1, c2 = -1, a = -1, a2 = -1;

	NOTE("family %s", af == AF_INET ? "inet" : "inet6");
	s = EXPECT(TR_FD, 0, socket(af, SOCK_STREAM, 0));
	EXPECT(0, 0, setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)));
	EXPECT(0, 0, getsockopt(s, SOL_SOCKET, SO_REUSEADDR, &val, &vlen));
	ASSERT(val == 1);
	EXPECT(0, 0, bind(s, (struct sockaddr *)&addr, alen));
	EXPECT(0, 0, getsockname(s, (struct sockaddr *)&addr, &alen));
	NOTE("listener %s", tr_sockaddr((struct sockaddr *)&addr, alen));
	EXPECT(-1, EINVAL, bind(s, (struct sockaddr *)&addr, alen));
	EXPECT(0, 0, listen(s, 8));
	s2 = EXPECT(TR_FD, 0, socket(af, SOCK_STREAM, 0));
	EXPECT(-1, EADDRINUSE, bind(s2, (struct sockaddr *)&addr, alen));
	EXPECT(0, 0, close(s2));

	c = EXPECT(TR_FD, 0, socket(af, SOCK_STREAM, 0));
	/* Linux reports EPIPE, not ENOTCONN, for a send on an unconnected stream socket. */
	EXPECT(-1, EPIPE, send(c, "x", 1, MSG_NOSIGNAL));
	EXPECT(-1, ENOTCONN, recv(c, buf, sizeof(buf), 0));
	options(c);
	EXPECT(0, 0, connect(c, (struct sockaddr *)&addr, alen));
	memset(&peer, 0, sizeof(peer));
	a = EXPECT(TR_FD, 0, accept(s, (struct sockaddr *)&peer, &plen));
	NOTE("accepted from %s", tr_sockaddr((struct sockaddr *)&peer, plen));
	tr_print_name("client peer", c, 1);
	tr_print_name("client name", c, 0);
	tr_print_name("server name", a, 0);

	/* Plain send/recv; MSG_WAITALL makes the byte counts independent of segmenting. */
	EXPECT(4, 0, send(c, "ping", 4, 0));
	EXPECT_DATA(4, 0, buf, recv(a, buf, 4, MSG_PEEK | MSG_WAITALL));
	EXPECT_DATA(4, 0, buf, recv(a, buf, 4, MSG_WAITALL));
	EXPECT(-1, EAGAIN, recv(a, buf, sizeof(buf), MSG_DONTWAIT));
	EXPECT(4, 0, write(a, "pong", 4));
	EXPECT_DATA(4, 0, buf, read(c, buf, 4));

	/* Gathered send, scattered receive. */
	memset(&msg, 0, sizeof(msg));
	msg.msg_iov = out;
	msg.msg_iovlen = 3;
	EXPECT(20, 0, sendmsg(c, &msg, 0));
	memset(&msg, 0, sizeof(msg));
	msg.msg_iov = in;
	msg.msg_iovlen = 2;
	EXPECT(16, 0, recvmsg(a, &msg, MSG_WAITALL));
	EXPECT_DATA(8, 0, p1, (long)sizeof(p1));
	EXPECT_DATA(8, 0, p2, (long)sizeof(p2));
	ASSERT(msg.msg_flags == 0);
	EXPECT_DATA(4, 0, buf, recv(a, buf, 4, MSG_WAITALL));

	/* Bulk: larger than any single forwarding chunk. */
	tr_pattern(bulk, sizeof(bulk), (unsigned)af);
	EXPECT_DATA(BULK, 0, bulk, send(c, bulk, sizeof(bulk), 0));
	EXPECT_DATA(BULK, 0, bulk_back, recv(a, bulk_back, sizeof(bulk_back), MSG_WAITALL));
	ASSERT(memcmp(bulk, bulk_back, BULK) == 0);

	/* Half close each way. */
	EXPECT(0, 0, shutdown(c, SHUT_WR));
	EXPECT(0, 0, recv(a, buf, sizeof(buf), 0));
	EXPECT(-1, EPIPE, send(c, "x", 1, MSG_NOSIGNAL));
	EXPECT(3, 0, send(a, "bye", 3, MSG_NOSIGNAL));
	EXPECT(0, 0, shutdown(a, SHUT_RDWR));
	EXPECT_DATA(3, 0, buf, recv(c, buf, sizeof(buf), MSG_WAITALL));
	EXPECT(0, 0, recv(c, buf, sizeof(buf), 0));

	/* accept4 with flags; the accepted socket is non-blocking. */
	c2 = EXPECT(TR_FD, 0, socket(af, SOCK_STREAM, 0));
	EXPECT(-1, ENOTCONN, shutdown(c2, SHUT_RDWR));
	EXPECT(0, 0, connect(c2, (struct sockaddr *)&addr, alen));
	a2 = EXPECT(TR_FD, 0, accept4(s, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC));
	EXPECT(-1, EAGAIN, recv(a2, buf, sizeof(buf), 0));
	EXPECT(-1, EINVAL, accept4(s, NULL, NULL, 0x7fff0000));

	EXPECT(0, 0, close(a2));
	EXPECT(0, 0, close(c2));
	EXPECT(0, 0, close(a));
	EXPECT(0, 0, close(c));
	EXPECT(0, 0, close(s));

	/* Nobody listens on the port any more. */
	c = EXPECT(TR_FD, 0, socket(af, SOCK_STREAM, 0));
	EXPECT(-1, ECONNREFUSED, connect(c, (struct sockaddr *)&addr, alen));
	EXPECT(0, 0, close(c));
}

static void resolver(void)
{
	struct addrinfo hints;
	struct addrinfo *res = NULL;
	struct sockaddr_storage ss;
	socklen_t len = tr_loopback(AF_INET6, &ss, 8080);
	char host[NI_MAXHOST] = "";
	char serv[NI_MAXSERV] = "";
	unsigned char bin[16];
	char text[INET6_ADDRSTRLEN] = "";

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_INET;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_NUMERICSERV;
	EXPECT(0, 0, getaddrinfo("localhost", "8080", &hints, &res));
	for (struct addrinfo *ai = res; ai != NULL; ai = ai->ai_next) {
		NOTE("localhost -> %s socktype %d proto %d",
		     tr_sockaddr(ai->ai_addr, ai->ai_addrlen), ai->ai_socktype, ai->ai_protocol);
	}
	freeaddrinfo(res);
	res = NULL;
	hints.ai_family = AF_UNSPEC;
	hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV;
	EXPECT(0, 0, getaddrinfo("::1", "443", &hints, &res));
	NOTE("::1 -> %s", tr_sockaddr(res->ai_addr, res->ai_addrlen));
	freeaddrinfo(res);
	res = NULL;
	EXPECT(EAI_NONAME, 0, getaddrinfo("not-an-address", "1", &hints, &res));
	NOTE("gai_strerror(EAI_NONAME) = %s", gai_strerror(EAI_NONAME));
	NOTE("gai_strerror(EAI_SERVICE) = %s", gai_strerror(EAI_SERVICE));
	EXPECT(0, 0,
	       getnameinfo((struct sockaddr *)&ss, len, host, sizeof(host), serv, sizeof(serv),
			   NI_NUMERICHOST | NI_NUMERICSERV));
	NOTE("getnameinfo -> host %s serv %s", host, serv);
	EXPECT(1, 0, inet_pton(AF_INET, "192.0.2.33", bin));
	EXPECT_DATA(4, 0, bin, 4L);
	EXPECT(0, 0, inet_pton(AF_INET, "192.0.2.333", bin));
	EXPECT(-1, EAFNOSUPPORT, inet_pton(12345, "1.2.3.4", bin));
	EXPECT(1, 0, inet_pton(AF_INET6, "2001:db8::7", bin));
	EXPECT_DATA(16, 0, bin, 16L);
	EXPECT_PTR(0, 0, inet_ntop(AF_INET6, bin, text, sizeof(text)));
	NOTE("inet_ntop -> %s", text);
	EXPECT_PTR(1, ENOSPC, inet_ntop(AF_INET6, bin, text, 4));
}

int main(int argc, char **argv)
{
	tr_begin("tcp", argc, argv);
	run(AF_INET);
	run(AF_INET6);
	resolver();
	return tr_end();
}
