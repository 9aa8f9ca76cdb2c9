/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Differential test: UNIX domain sockets. SOCK_STREAM on a path name, SOCK_SEQPACKET on an
 * abstract name, SOCK_DGRAM between two bound path names: bind/listen/connect/accept,
 * getsockname/getpeername, MSG_PEEK, MSG_DONTWAIT, MSG_TRUNC, message boundaries, shutdown,
 * EPIPE with MSG_NOSIGNAL, ENOENT/ECONNREFUSED/EADDRINUSE. The program is its own peer:
 * a connect to a listening UNIX socket completes from the backlog without an accept.
 */
#include "tr.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <unistd.h>

static const char *g_dir;

static socklen_t un_addr(struct sockaddr_un *sa, const char *name, int abstract)
{
	return tr_unix_addr(sa, g_dir, name, abstract);
}

static void stream_path(void)
{
	struct sockaddr_un sa, other;
	socklen_t len = un_addr(&sa, "stream.sock", 0);
	socklen_t olen = un_addr(&other, "missing.sock", 0);
	char buf[64] = "";
	int s = -1, s2 = -1, c = -1, a = -1;

	s = EXPECT(TR_FD, 0, socket(AF_UNIX, SOCK_STREAM, 0));
	EXPECT(0, 0, bind(s, (struct sockaddr *)&sa, len));
	s2 = EXPECT(TR_FD, 0, socket(AF_UNIX, SOCK_STREAM, 0));
	EXPECT(-1, EADDRINUSE, bind(s2, (struct sockaddr *)&sa, len));
	/* Bound but not listening: refused. */
	c = EXPECT(TR_FD, 0, socket(AF_UNIX, SOCK_STREAM, 0));
	EXPECT(-1, ECONNREFUSED, connect(c, (struct sockaddr *)&sa, len));
	EXPECT(-1, ENOENT, connect(c, (struct sockaddr *)&other, olen));
	EXPECT(0, 0, listen(s, 4));
	EXPECT(0, 0, connect(c, (struct sockaddr *)&sa, len));
	EXPECT(-1, EISCONN, connect(c, (struct sockaddr *)&sa, len));
	a = EXPECT(TR_FD, 0, accept(s, NULL, NULL));
	tr_print_name("listener name", s, 0);
	tr_print_name("client peer", c, 1);
	tr_print_name("client name", c, 0);
	tr_print_name("accepted peer", a, 1);
	EXPECT(-1, ENOTCONN, getpeername(s, (struct sockaddr *)&other, &olen));

	EXPECT(4, 0, send(c, "ping", 4, 0));
	EXPECT(4, 0, send(c, "pong", 4, 0));
	EXPECT_DATA(8, 0, buf, recv(a, buf, sizeof(buf), MSG_PEEK));
	EXPECT_DATA(5, 0, buf, recv(a, buf, 5, 0));
	EXPECT_DATA(3, 0, buf, recv(a, buf, sizeof(buf), 0));
	EXPECT(-1, EAGAIN, recv(a, buf, sizeof(buf), MSG_DONTWAIT));
	EXPECT(4, 0, write(a, "back", 4));
	EXPECT_DATA(4, 0, buf, read(c, buf, sizeof(buf)));

	/* Half close: the reader sees EOF, the other direction still works. */
	EXPECT(0, 0, shutdown(c, SHUT_WR));
	EXPECT(0, 0, recv(a, buf, sizeof(buf), 0));
	EXPECT(-1, EPIPE, send(c, "x", 1, MSG_NOSIGNAL));
	EXPECT(3, 0, send(a, "one", 3, 0));
	EXPECT_DATA(3, 0, buf, recv(c, buf, sizeof(buf), 0));
	EXPECT(0, 0, close(a));
	EXPECT(0, 0, recv(c, buf, sizeof(buf), 0));

	EXPECT(0, 0, close(c));
	EXPECT(0, 0, close(s2));
	EXPECT(0, 0, close(s));
	EXPECT(0, 0, unlink(sa.sun_path));
}

static void seqpacket_abstract(void)
{
	struct sockaddr_un sa;
	socklen_t len = un_addr(&sa, "seqpacket", 1);
	char buf[64] = "";
	int s = -1, c = -1, a = -1;

	s = EXPECT(TR_FD, 0, socket(AF_UNIX, SOCK_SEQPACKET, 0));
	EXPECT(0, 0, bind(s, (struct sockaddr *)&sa, len));
	EXPECT(0, 0, listen(s, 4));
	c = EXPECT(TR_FD, 0, socket(AF_UNIX, SOCK_SEQPACKET, 0));
	EXPECT(0, 0, connect(c, (struct sockaddr *)&sa, len));
	a = EXPECT(TR_FD, 0, accept4(s, NULL, NULL, SOCK_CLOEXEC));
	tr_print_name("seqpacket listener", s, 0);
	tr_print_name("seqpacket client peer", c, 1);

	/* Each send is one record; a short read truncates and drops the rest. */
	EXPECT(3, 0, send(c, "aaa", 3, 0));
	EXPECT(5, 0, send(c, "bbbbb", 5, 0));
	EXPECT(10, 0, send(c, "0123456789", 10, 0));
	EXPECT_DATA(3, 0, buf, recv(a, buf, sizeof(buf), MSG_PEEK));
	EXPECT_DATA(3, 0, buf, recv(a, buf, sizeof(buf), 0));
	EXPECT_DATA(5, 0, buf, recv(a, buf, sizeof(buf), 0));
	EXPECT_DATA(4, 0, buf, recv(a, buf, 4, 0));
	EXPECT(-1, EAGAIN, recv(a, buf, sizeof(buf), MSG_DONTWAIT));
	EXPECT(0, 0, shutdown(c, SHUT_WR));
	EXPECT(0, 0, recv(a, buf, sizeof(buf), 0));
	EXPECT(0, 0, close(a));
	EXPECT(0, 0, close(c));
	EXPECT(0, 0, close(s));
}

static void dgram_path(void)
{
	struct sockaddr_un sa1, sa2, from;
	socklen_t len1 = un_addr(&sa1, "dgram1.sock", 0);
	socklen_t len2 = un_addr(&sa2, "dgram2.sock", 0);
	socklen_t flen = sizeof(from);
	char buf[64] = "";
	int d1 = -1, d2 = -1;

	d1 = EXPECT(TR_FD, 0, socket(AF_UNIX, SOCK_DGRAM, 0));
	d2 = EXPECT(TR_FD, 0, socket(AF_UNIX, SOCK_DGRAM, 0));
	EXPECT(0, 0, bind(d1, (struct sockaddr *)&sa1, len1));
	EXPECT(0, 0, bind(d2, (struct sockaddr *)&sa2, len2));
	EXPECT(-1, ENOTCONN, send(d2, "x", 1, 0));
	EXPECT(3, 0, sendto(d2, "one", 3, 0, (struct sockaddr *)&sa1, len1));
	EXPECT(5, 0, sendto(d2, "three", 5, 0, (struct sockaddr *)&sa1, len1));
	EXPECT(9, 0, sendto(d2, "truncated", 9, 0, (struct sockaddr *)&sa1, len1));
	memset(&from, 0, sizeof(from));
	EXPECT_DATA(3, 0, buf,
		    recvfrom(d1, buf, sizeof(buf), MSG_PEEK, (struct sockaddr *)&from, &flen));
	NOTE("from %s", tr_sockaddr((struct sockaddr *)&from, flen));
	EXPECT_DATA(3, 0, buf, recvfrom(d1, buf, sizeof(buf), 0, NULL, NULL));
	EXPECT_DATA(5, 0, buf, recv(d1, buf, sizeof(buf), 0));
	/* MSG_TRUNC returns the real datagram length; the tail is discarded. */
	EXPECT(9, 0, recv(d1, buf, 4, MSG_TRUNC));
	EXPECT(-1, EAGAIN, recv(d1, buf, sizeof(buf), MSG_DONTWAIT));

	/* Connected datagram socket: send without an address, reply with sendto. */
	EXPECT(0, 0, connect(d2, (struct sockaddr *)&sa1, len1));
	tr_print_name("dgram peer", d2, 1);
	EXPECT(2, 0, send(d2, "hi", 2, 0));
	EXPECT_DATA(2, 0, buf, recv(d1, buf, sizeof(buf), 0));
	EXPECT(5, 0, sendto(d1, "reply", 5, 0, (struct sockaddr *)&sa2, len2));
	EXPECT_DATA(5, 0, buf, recv(d2, buf, sizeof(buf), 0));
	EXPECT(0, 0, close(d1));
	EXPECT(-1, ECONNREFUSED, send(d2, "x", 1, 0));
	EXPECT(0, 0, close(d2));
	EXPECT(0, 0, unlink(sa1.sun_path));
	EXPECT(0, 0, unlink(sa2.sun_path));
}

/* An address longer than a sockaddr_un: EINVAL from bind, connect and sendto. */
static void overlong_address(void)
{
	struct sockaddr_storage ss;
	socklen_t len = (socklen_t)sizeof(struct sockaddr_un) + 10;
	int s = -1, d = -1;

	memset(&ss, 'a', sizeof(ss));
	ss.ss_family = AF_UNIX;
	s = EXPECT(TR_FD, 0, socket(AF_UNIX, SOCK_STREAM, 0));
	EXPECT(-1, EINVAL, bind(s, (struct sockaddr *)&ss, len));
	EXPECT(-1, EINVAL, connect(s, (struct sockaddr *)&ss, len));
	d = EXPECT(TR_FD, 0, socket(AF_UNIX, SOCK_DGRAM, 0));
	EXPECT(-1, EINVAL, sendto(d, "x", 1, 0, (struct sockaddr *)&ss, len));
	EXPECT(0, 0, close(d));
	EXPECT(0, 0, close(s));
}

/* A path that fills sun_path (108 bytes, no NUL): getsockname gives it back whole. */
static void full_length_path(void)
{
	struct sockaddr_un sa, got;
	char path[sizeof(sa.sun_path) + 1];
	socklen_t glen = sizeof(got);
	size_t dl = strlen(g_dir);
	int s = -1;

	if (dl + 2 > sizeof(sa.sun_path)) {
		NOTE("scratch directory too long for a full-length name: skipped");
		return;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	memcpy(sa.sun_path, g_dir, dl);
	sa.sun_path[dl] = '/';
	memset(sa.sun_path + dl + 1, 'f', sizeof(sa.sun_path) - dl - 1);
	memcpy(path, sa.sun_path, sizeof(sa.sun_path));
	path[sizeof(sa.sun_path)] = '\0';
	s = EXPECT(TR_FD, 0, socket(AF_UNIX, SOCK_STREAM, 0));
	EXPECT(0, 0, bind(s, (struct sockaddr *)&sa, sizeof(sa)));
	memset(&got, 0, sizeof(got));
	EXPECT(0, 0, getsockname(s, (struct sockaddr *)&got, &glen));
	/* Linux reports the length with the terminating NUL it keeps: one more than fits */
	NOTE("getsockname length %u", (unsigned)glen);
	ASSERT(memcmp(got.sun_path, sa.sun_path, sizeof(sa.sun_path)) == 0);
	EXPECT(0, 0, close(s));
	EXPECT(0, 0, unlink(path));
}

/*
 * Reads of 128 KiB or more: libtzm splits them into linked chunks of 64 KiB with two in
 * flight (wire v2; run_diff.sh sets TZM_SPLIT_MIN=131072). The result must be a single
 * read's: what is there (never waiting for more once some data came), never more than
 * asked (the rest stays for the next read), end of file and a pending error reported by
 * the next read, not lost. The hard cases end the data exactly at a chunk boundary, where
 * the next chunk finds nothing.
 */
#define SPLIT (256 * 1024)
static unsigned char split_out[SPLIT];
static unsigned char split_in[SPLIT];

static void split_reads(void)
{
	struct iovec iov[3];
	int sv[2] = { -1, -1 };
	char one = 'x';

	tr_pattern(split_out, sizeof(split_out), 7);
	EXPECT(0, 0, socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
	/* partial: 100000 bytes there, 256 KiB asked */
	EXPECT(100000, 0, write(sv[0], split_out, 100000));
	EXPECT_DATA(100000, 0, split_in, read(sv[1], split_in, SPLIT));
	ASSERT(memcmp(split_in, split_out, 100000) == 0);
	/* two chunks' worth exactly: the third finds nothing and must not wait */
	EXPECT(131072, 0, write(sv[0], split_out, 131072));
	EXPECT_DATA(131072, 0, split_in, recv(sv[1], split_in, SPLIT, 0));
	ASSERT(memcmp(split_in, split_out, 131072) == 0);
	/* more there than asked: the rest stays for the next read */
	EXPECT(180000, 0, write(sv[0], split_out, 180000));
	EXPECT_DATA(150000, 0, split_in, read(sv[1], split_in, 150000));
	EXPECT_DATA(30000, 0, split_in + 150000, read(sv[1], split_in + 150000, SPLIT - 150000));
	ASSERT(memcmp(split_in, split_out, 180000) == 0);
	/* vectors across chunk boundaries */
	EXPECT(150000, 0, write(sv[0], split_out, 150000));
	iov[0] = (struct iovec){ .iov_base = split_in, .iov_len = 70000 };
	iov[1] = (struct iovec){ .iov_base = split_in + 70000, .iov_len = 1000 };
	iov[2] = (struct iovec){ .iov_base = split_in + 71000, .iov_len = SPLIT - 71000 };
	EXPECT_DATA(150000, 0, split_in, readv(sv[1], iov, 3));
	ASSERT(memcmp(split_in, split_out, 150000) == 0);
	EXPECT(-1, EAGAIN, recv(sv[1], split_in, SPLIT, MSG_DONTWAIT));
	/* end of file after two chunks' worth */
	EXPECT(131072, 0, write(sv[0], split_out, 131072));
	EXPECT(0, 0, shutdown(sv[0], SHUT_WR));
	EXPECT_DATA(131072, 0, split_in, read(sv[1], split_in, SPLIT));
	EXPECT(0, 0, read(sv[1], split_in, SPLIT));
	EXPECT(0, 0, close(sv[0]));
	EXPECT(0, 0, close(sv[1]));

	/*
	 * An error after two chunks' worth: the peer closes with unread data, so this end has
	 * ECONNRESET pending behind the data. The split read returns the data; the error is
	 * the next read's (a read that found no data would have taken it), then end of file.
	 */
	EXPECT(0, 0, socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
	EXPECT(1, 0, write(sv[1], &one, 1));
	EXPECT(131072, 0, write(sv[0], split_out, 131072));
	EXPECT(0, 0, close(sv[0]));
	EXPECT_DATA(131072, 0, split_in, read(sv[1], split_in, SPLIT));
	ASSERT(memcmp(split_in, split_out, 131072) == 0);
	EXPECT(-1, ECONNRESET, read(sv[1], split_in, SPLIT));
	EXPECT(0, 0, read(sv[1], split_in, SPLIT));
	EXPECT(0, 0, close(sv[1]));
}

int main(int argc, char **argv)
{
	g_dir = tr_begin("unix", argc, argv);
	split_reads();
	stream_path();
	seqpacket_abstract();
	dgram_path();
	overlong_address();
	full_length_path();
	return tr_end();
}
