/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Differential test: UDP over IPv4 and IPv6 loopback between two sockets of the same
 * program: sendto/recvfrom, connect/send/recv, sendmsg/recvmsg, MSG_PEEK, MSG_DONTWAIT,
 * truncation (MSG_TRUNC as a recv flag and in msg_flags), datagram boundaries, large
 * datagrams, ECONNREFUSED from an ICMP port unreachable, EMSGSIZE.
 */
#include "tr.h"

#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#define LARGE 60000 /* one datagram, larger than a forwarding chunk */

static unsigned char large[LARGE];
static unsigned char large_back[LARGE];
static unsigned char too_big[70000];

static void run(int af)
{
	struct sockaddr_storage a1, a2, from;
	socklen_t l1 = tr_loopback(af, &a1, 0);
	socklen_t l2 = tr_loopback(af, &a2, 0);
	socklen_t flen = sizeof(from);
	char buf[64] = "";
	char small[4] = "";
	struct iovec iov[2] = { { small, sizeof(small) }, { buf, 6 } };
	struct msghdr msg;
	int u1 = -1, u2 = -1;

	NOTE("family %s", af == AF_INET ? "inet" : "inet6");
	u1 = EXPECT(TR_FD, 0, socket(af, SOCK_DGRAM, 0));
	u2 = EXPECT(TR_FD, 0, socket(af, SOCK_DGRAM, 0));
	EXPECT(0, 0, bind(u1, (struct sockaddr *)&a1, l1));
	EXPECT(0, 0, bind(u2, (struct sockaddr *)&a2, l2));
	EXPECT(0, 0, getsockname(u1, (struct sockaddr *)&a1, &l1));
	EXPECT(0, 0, getsockname(u2, (struct sockaddr *)&a2, &l2));
	NOTE("u1 %s", tr_sockaddr((struct sockaddr *)&a1, l1));
	EXPECT(-1, EDESTADDRREQ, send(u2, "x", 1, 0));
	EXPECT(-1, EAGAIN, recv(u1, buf, sizeof(buf), MSG_DONTWAIT));

	/* Boundaries are kept; MSG_PEEK leaves the datagram queued. */
	EXPECT(3, 0, sendto(u2, "one", 3, 0, (struct sockaddr *)&a1, l1));
	EXPECT(5, 0, sendto(u2, "three", 5, 0, (struct sockaddr *)&a1, l1));
	EXPECT(0, 0, sendto(u2, "", 0, 0, (struct sockaddr *)&a1, l1));
	EXPECT(10, 0, sendto(u2, "0123456789", 10, 0, (struct sockaddr *)&a1, l1));
	EXPECT(10, 0, sendto(u2, "abcdefghij", 10, 0, (struct sockaddr *)&a1, l1));
	memset(&from, 0, sizeof(from));
	EXPECT_DATA(3, 0, buf,
		    recvfrom(u1, buf, sizeof(buf), MSG_PEEK, (struct sockaddr *)&from, &flen));
	NOTE("from %s same-as-u2 %d", tr_sockaddr((struct sockaddr *)&from, flen),
	     flen == l2 && tr_port((struct sockaddr *)&from) == tr_port((struct sockaddr *)&a2));
	EXPECT_DATA(3, 0, buf, recvfrom(u1, buf, sizeof(buf), 0, NULL, NULL));
	EXPECT_DATA(5, 0, buf, recv(u1, buf, sizeof(buf), 0));
	EXPECT(0, 0, recv(u1, buf, sizeof(buf), 0));
	/* Truncation: plain recv returns the copied part, MSG_TRUNC the datagram length. */
	EXPECT_DATA(4, 0, buf, recv(u1, buf, 4, 0));
	EXPECT(10, 0, recv(u1, buf, 4, MSG_TRUNC));
	EXPECT(-1, EAGAIN, recv(u1, buf, sizeof(buf), MSG_DONTWAIT));

	/* recvmsg scatters one datagram and flags the truncation. */
	EXPECT(12, 0, sendto(u2, "scattered-12", 12, 0, (struct sockaddr *)&a1, l1));
	memset(&msg, 0, sizeof(msg));
	msg.msg_name = &from;
	msg.msg_namelen = sizeof(from);
	msg.msg_iov = iov;
	msg.msg_iovlen = 2;
	EXPECT(10, 0, recvmsg(u1, &msg, 0));
	EXPECT_DATA(4, 0, small, 4L);
	EXPECT_DATA(6, 0, buf, 6L);
	ASSERT((msg.msg_flags & MSG_TRUNC) != 0);
	NOTE("recvmsg from %s", tr_sockaddr((struct sockaddr *)&from, msg.msg_namelen));

	/* Large datagram in one piece; oversized one rejected. */
	tr_pattern(large, sizeof(large), (unsigned)af);
	EXPECT_DATA(LARGE, 0, large,
		    sendto(u2, large, sizeof(large), 0, (struct sockaddr *)&a1, l1));
	EXPECT_DATA(LARGE, 0, large_back, recv(u1, large_back, sizeof(large_back), 0));
	ASSERT(memcmp(large, large_back, LARGE) == 0);
	EXPECT(-1, EMSGSIZE, sendto(u2, too_big, sizeof(too_big), 0, (struct sockaddr *)&a1, l1));

	/* Connected: send/recv without addresses; datagrams from others are filtered. */
	EXPECT(0, 0, connect(u2, (struct sockaddr *)&a1, l1));
	EXPECT(2, 0, send(u2, "hi", 2, 0));
	EXPECT_DATA(2, 0, buf, recv(u1, buf, sizeof(buf), 0));
	EXPECT(5, 0, sendto(u1, "reply", 5, 0, (struct sockaddr *)&a2, l2));
	EXPECT_DATA(5, 0, buf, recv(u2, buf, sizeof(buf), 0));
	memset(&msg, 0, sizeof(msg));
	iov[0].iov_base = "gath";
	iov[0].iov_len = 4;
	iov[1].iov_base = "ered";
	iov[1].iov_len = 4;
	msg.msg_iov = iov;
	msg.msg_iovlen = 2;
	EXPECT(8, 0, sendmsg(u2, &msg, 0));
	EXPECT_DATA(8, 0, buf, recv(u1, buf, sizeof(buf), 0));

	/* The peer goes away: the ICMP error surfaces on the connected socket. */
	EXPECT(0, 0, close(u1));
	EXPECT(1, 0, send(u2, "x", 1, 0));
	EXPECT(-1, ECONNREFUSED, recv(u2, buf, sizeof(buf), 0));
	EXPECT(0, 0, close(u2));
}

int main(int argc, char **argv)
{
	tr_begin("udp", argc, argv);
	run(AF_INET);
	run(AF_INET6);
	return tr_end();
}
