/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Hostile shadow test, TA half: one checker per attack of attacks.h. Each makes the call
 * the shadow is about to answer maliciously and asserts the documented outcome: -1/EIO
 * (or EAI_SYSTEM with errno EIO for the resolver) with the caller's memory untouched, or,
 * for answers that are legal but unusual (a truncated address), Linux's clamping rule.
 * The paired fabricators are in sh_attacks.c.
 */
#include <dirent.h>
#include <errno.h>
#include <arpa/inet.h>
#include <fcntl.h>
#include <ifaddrs.h>
#include <mqueue.h>
#include <net/if.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netpacket/packet.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "hostile_ta.h"

/* ---- lengths ---- */

static int read_eio(void)
{
	struct guarded g;
	uint8_t *buf = g_init(&g, 16);

	if (h_want_eio(read(H.p[0], buf, 16), "read") != 0) {
		return -1;
	}
	return g_untouched(&g) ? 0 : h_fail("caller buffer changed");
}

int ta_read_overlong(void)
{
	return read_eio();
}

int ta_read_blob_mismatch(void)
{
	return read_eio();
}

int ta_read_blob_beyond_area(void)
{
	return read_eio();
}

int ta_read_negative_ret(void)
{
	return read_eio();
}

int ta_read_errno_with_count(void)
{
	return read_eio();
}

int ta_op_mismatch_read_stat(void)
{
	return read_eio();
}

int ta_log_write_malformed(void)
{
	return read_eio(); /* and libtzm does not recurse logging its own log's failure */
}

static int recv_eio(int flags)
{
	struct guarded g;
	uint8_t *buf = g_init(&g, 16);

	if (h_want_eio(recv(H.sv[0], buf, 16, flags), "recv") != 0) {
		return -1;
	}
	return g_untouched(&g) ? 0 : h_fail("caller buffer changed");
}

int ta_recv_overlong(void)
{
	return recv_eio(0);
}

int ta_recv_trunc_huge(void)
{
	return recv_eio(MSG_TRUNC);
}

static int recvfrom_eio(void)
{
	struct guarded g, ga;
	uint8_t *buf = g_init(&g, 16);
	struct sockaddr *sa = (struct sockaddr *)(void *)g_init(&ga, sizeof(struct sockaddr_in6));
	socklen_t alen = sizeof(struct sockaddr_in6);

	if (h_want_eio(recvfrom(H.sv[0], buf, 16, 0, sa, &alen), "recvfrom") != 0) {
		return -1;
	}
	if (!g_untouched(&g) || !g_untouched(&ga) || alen != sizeof(struct sockaddr_in6)) {
		return h_fail("caller memory changed");
	}
	return 0;
}

int ta_recvfrom_addrlen_huge(void)
{
	return recvfrom_eio();
}

int ta_recvfrom_addr_family(void)
{
	return recvfrom_eio();
}

int ta_recvfrom_addr_truncated(void)
{
	struct guarded g, ga;
	uint8_t *buf = g_init(&g, 16);
	uint8_t *a = g_init(&ga, 4);
	struct sockaddr_in want;
	socklen_t alen = 4;
	ssize_t r = recvfrom(H.sv[0], buf, 16, 0, (struct sockaddr *)(void *)a, &alen);

	memset(&want, 0, sizeof(want));
	want.sin_family = AF_INET;
	want.sin_port = htons(4242);
	if (r != 4 || memcmp(buf, "abcd", 4) != 0) {
		return h_fail("recvfrom %zd", r);
	}
	if (alen != sizeof(struct sockaddr_in) || memcmp(a, &want, 4) != 0) {
		return h_fail("address not truncated as Linux does (len %u)", (unsigned)alen);
	}
	return g_intact(&g) && g_intact(&ga) ? 0 : h_fail("guard bytes changed");
}

int ta_recvmsg_overlong(void)
{
	struct guarded g1, g2;
	struct iovec iov[2];
	struct msghdr m;

	iov[0].iov_base = g_init(&g1, 3);
	iov[0].iov_len = 3;
	iov[1].iov_base = g_init(&g2, 5);
	iov[1].iov_len = 5;
	memset(&m, 0, sizeof(m));
	m.msg_iov = iov;
	m.msg_iovlen = 2;
	if (h_want_eio(recvmsg(H.sv[0], &m, 0), "recvmsg") != 0) {
		return -1;
	}
	return g_untouched(&g1) && g_untouched(&g2) ? 0 : h_fail("caller buffers changed");
}

int ta_write_overlong(void)
{
	return h_want_eio(write(H.p[1], "hello", 5), "write");
}

int ta_getsockopt_overlong(void)
{
	struct guarded g;
	uint8_t *v = g_init(&g, sizeof(int));
	socklen_t len = sizeof(int);

	if (h_want_eio(getsockopt(H.sv[0], SOL_SOCKET, SO_TYPE, v, &len), "getsockopt") != 0) {
		return -1;
	}
	return g_untouched(&g) && len == sizeof(int) ? 0 : h_fail("caller memory changed");
}

static int mq_receive_eio(void)
{
	struct guarded g;
	char *buf = (char *)g_init(&g, 16);
	unsigned prio = 77;

	if (h_want_eio(mq_receive((mqd_t)H.sv[0], buf, 16, &prio), "mq_receive") != 0) {
		return -1;
	}
	return g_untouched(&g) && prio == 77 ? 0 : h_fail("caller memory changed");
}

int ta_mq_receive_overlong(void)
{
	return mq_receive_eio();
}

int ta_mq_receive_prio(void)
{
	return mq_receive_eio();
}

int ta_mq_getattr_insane(void)
{
	struct mq_attr a;

	memset(&a, 0x5a, sizeof(a));
	if (h_want_eio(mq_getattr((mqd_t)H.sv[0], &a), "mq_getattr") != 0) {
		return -1;
	}
	return a.mq_maxmsg == (long)0x5a5a5a5a5a5a5a5aLL ? 0 : h_fail("attributes changed");
}

/* ---- descriptor numbers ---- */

int ta_accept_fd_range(void)
{
	return h_want_eio(accept(H.sv[0], NULL, NULL), "accept");
}

int ta_accept_fd_in_use(void)
{
	return h_want_eio(accept(H.sv[0], NULL, NULL), "accept");
}

int ta_socket_fd_max(void)
{
	return h_want_eio(socket(AF_INET, SOCK_STREAM, 0), "socket");
}

int ta_open_fd_in_use(void)
{
	return h_want_eio(open("hostile-no-such-file", O_RDONLY), "open");
}

int ta_dup_fd_in_use(void)
{
	return h_want_eio(dup(H.p[0]), "dup");
}

int ta_dup2_other_fd(void)
{
	return h_want_eio(dup2(H.p[0], 40), "dup2");
}

int ta_dup2_out_of_range(void)
{
	return h_want_eio(dup2(H.p[0], 5000), "dup2");
}

int ta_fcntl_dupfd_below_min(void)
{
	return h_want_eio(fcntl(H.p[0], F_DUPFD, 30), "fcntl(F_DUPFD)");
}

int ta_fcntl_getfd_bogus(void)
{
	return h_want_eio(fcntl(H.p[0], F_GETFD), "fcntl(F_GETFD)");
}

static int pair_eio(int (*fn)(int fds[2]), const char *what)
{
	int q[2] = { -7, -7 };

	if (h_want_eio(fn(q), what) != 0) {
		return -1;
	}
	return q[0] == -7 && q[1] == -7 ? 0 : h_fail("result array changed");
}

static int make_socketpair(int fds[2])
{
	return socketpair(AF_UNIX, SOCK_STREAM, 0, fds);
}

int ta_pipe_same_fds(void)
{
	return pair_eio(pipe, "pipe");
}

int ta_pipe_fd_in_use(void)
{
	return pair_eio(pipe, "pipe");
}

int ta_socketpair_fd_negative(void)
{
	return pair_eio(make_socketpair, "socketpair");
}

int ta_epoll_create_fd_range(void)
{
	return h_want_eio(epoll_create1(0), "epoll_create1");
}

int ta_mq_open_fd_in_use(void)
{
	return h_want_eio((long)mq_open("/hostile", O_RDONLY), "mq_open");
}

/* ---- socket addresses ---- */

static int accept_eio(void)
{
	struct guarded g;
	struct sockaddr *sa = (struct sockaddr *)(void *)g_init(&g, sizeof(struct sockaddr_in6));
	socklen_t alen = sizeof(struct sockaddr_in6);

	if (h_want_eio(accept(H.sv[0], sa, &alen), "accept") != 0) {
		return -1;
	}
	return g_untouched(&g) && alen == sizeof(struct sockaddr_in6)
		       ? 0
		       : h_fail("caller memory changed");
}

int ta_accept_addr_too_long(void)
{
	return accept_eio();
}

int ta_accept_addr_family_len(void)
{
	return accept_eio();
}

int ta_accept_addr_truncated(void)
{
	struct guarded g;
	uint8_t *a = g_init(&g, 16);
	socklen_t alen = 16;
	sa_family_t fam = 0;
	int fd = accept(H.sv[0], (struct sockaddr *)(void *)a, &alen);

	if (fd < 3) {
		return h_fail("accept %d errno %d", fd, errno);
	}
	memcpy(&fam, a, sizeof(fam));
	if (alen != sizeof(struct sockaddr_in6) || fam != AF_INET6 || !g_intact(&g)) {
		return h_fail("address not truncated as Linux does (len %u)", (unsigned)alen);
	}
	/* the new descriptor is a real one of the shadow's: it closes cleanly */
	return close(fd) == 0 ? 0 : h_fail("close(accepted) errno %d", errno);
}

static int name_eio(int (*fn)(int, struct sockaddr *, socklen_t *), const char *what)
{
	struct guarded g;
	struct sockaddr *sa = (struct sockaddr *)(void *)g_init(&g, sizeof(struct sockaddr_un));
	socklen_t alen = sizeof(struct sockaddr_un);

	if (h_want_eio(fn(H.sv[0], sa, &alen), what) != 0) {
		return -1;
	}
	return g_untouched(&g) && alen == sizeof(struct sockaddr_un)
		       ? 0
		       : h_fail("caller memory changed");
}

int ta_getsockname_too_long(void)
{
	return name_eio(getsockname, "getsockname");
}

int ta_getsockname_unix_overlong(void)
{
	return name_eio(getsockname, "getsockname");
}

int ta_getpeername_bad_family(void)
{
	return name_eio(getpeername, "getpeername");
}

int ta_getpeername_truncated(void)
{
	struct guarded g;
	uint8_t *a = g_init(&g, 20);
	socklen_t alen = 20;
	struct sockaddr_un un;

	if (getpeername(H.sv[0], (struct sockaddr *)(void *)a, &alen) != 0) {
		return h_fail("getpeername errno %d", errno);
	}
	memset(&un, 0, sizeof(un));
	un.sun_family = AF_UNIX;
	memset(un.sun_path, 'p', sizeof(un.sun_path) - 1);
	if (alen != sizeof(struct sockaddr_un) || memcmp(a, &un, 20) != 0 || !g_intact(&g)) {
		return h_fail("address not truncated as Linux does (len %u)", (unsigned)alen);
	}
	return 0;
}

/* ---- readiness ---- */

static int poll_eio(void)
{
	struct pollfd pfd = { .fd = H.p[0], .events = POLLIN, .revents = 0x77 };

	if (h_want_eio(poll(&pfd, 1, 0), "poll") != 0) {
		return -1;
	}
	return pfd.revents == 0x77 && pfd.fd == H.p[0] ? 0 : h_fail("pollfd changed");
}

int ta_poll_count(void)
{
	return poll_eio();
}

int ta_poll_revents_unrequested(void)
{
	return poll_eio();
}

int ta_poll_fd_changed(void)
{
	return poll_eio();
}

int ta_poll_count_mismatch(void)
{
	return poll_eio();
}

int ta_poll_blob_short(void)
{
	return poll_eio();
}

int ta_select_bogus_revents(void)
{
	fd_set rd;
	struct timeval tv = { 0, 0 };

	FD_ZERO(&rd);
	FD_SET(H.p[0], &rd);
	if (h_want_eio(select(H.p[0] + 1, &rd, NULL, NULL, &tv), "select") != 0) {
		return -1;
	}
	return FD_ISSET(H.p[0], &rd) ? 0 : h_fail("fd_set changed");
}

static int epoll_eio(void)
{
	struct epoll_event ev[4];

	memset(ev, 0x5a, sizeof(ev));
	if (h_want_eio(epoll_wait(H.ep, ev, 4, 0), "epoll_wait") != 0) {
		return -1;
	}
	return ev[0].events == 0x5a5a5a5au ? 0 : h_fail("events array changed");
}

int ta_epoll_count(void)
{
	return epoll_eio();
}

int ta_epoll_blob_mismatch(void)
{
	return epoll_eio();
}

int ta_epoll_unknown_data(void)
{
	return epoll_eio();
}

int ta_epoll_unrequested_events(void)
{
	return epoll_eio();
}

int ta_epoll_closed_fd_data(void)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.u64 = H_EP_DATA_CLOSED };
	int q[2] = { -1, -1 };

	/* registered, then closed without EPOLL_CTL_DEL: the kernel drops it */
	if (pipe(q) != 0 || epoll_ctl(H.ep, EPOLL_CTL_ADD, q[0], &ev) != 0) {
		return h_fail("set-up: errno %d", errno);
	}
	close(q[0]);
	close(q[1]);
	return epoll_eio();
}

int ta_epoll_legit(void)
{
	struct epoll_event ev[4];
	int r = epoll_wait(H.ep, ev, 4, 0);

	if (r != 1 || ev[0].data.u64 != H_EP_DATA || ev[0].events != (EPOLLIN | EPOLLHUP)) {
		return h_fail("epoll_wait %d errno %d", r, errno);
	}
	return 0;
}

/* ---- stat ---- */

static int stat_eio(bool by_fd)
{
	struct stat st;

	memset(&st, 0x5a, sizeof(st));
	if (h_want_eio(by_fd ? fstat(H.p[0], &st) : stat("hostile-file", &st), "stat") != 0) {
		return -1;
	}
	return st.st_size == (off_t)0x5a5a5a5a5a5a5a5aLL ? 0 : h_fail("struct stat changed");
}

int ta_stat_blob_size(void)
{
	return stat_eio(false);
}

int ta_stat_bad_mode(void)
{
	return stat_eio(true);
}

int ta_stat_bad_nsec(void)
{
	return stat_eio(true);
}

int ta_stat_negative_size(void)
{
	return stat_eio(false);
}

int ta_errno_wrong_class(void)
{
	return stat_eio(false);
}

/* ---- directory entries ---- */

static int readdir_eio(void)
{
	DIR *d = opendir(H_DIR_NAME);
	struct dirent *e = NULL;
	int rc = 0;

	if (!d) {
		return h_fail("opendir errno %d", errno);
	}
	errno = 0;
	e = readdir(d);
	if (e || errno != EIO) {
		rc = h_fail("readdir %s errno %d", e ? e->d_name : "NULL", errno);
	}
	closedir(d);
	return rc;
}

int ta_readdir_reclen_zero(void)
{
	return readdir_eio();
}

int ta_readdir_namelen_overflow(void)
{
	return readdir_eio();
}

int ta_readdir_name_slash(void)
{
	return readdir_eio();
}

int ta_readdir_reclen_beyond(void)
{
	return readdir_eio();
}

int ta_readdir_count_mismatch(void)
{
	return readdir_eio();
}

int ta_readdir_bad_type(void)
{
	return readdir_eio();
}

/* ---- name resolution ---- */

static int gai_fails(int flags, int proto)
{
	struct addrinfo hints, *res = (struct addrinfo *)(uintptr_t)1;
	int r = 0;

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_INET;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_protocol = proto;
	hints.ai_flags = flags;
	errno = 0;
	r = getaddrinfo("hostile.example", "80", &hints, &res);
	if (r != EAI_SYSTEM || errno != EIO) {
		return h_fail("getaddrinfo %d errno %d", r, errno);
	}
	return res == (struct addrinfo *)(uintptr_t)1 ? 0 : h_fail("*res changed");
}

int ta_gai_count_zero(void)
{
	return gai_fails(0, 0);
}

int ta_gai_count_huge(void)
{
	return gai_fails(0, 0);
}

int ta_gai_family_mismatch(void)
{
	return gai_fails(0, 0);
}

int ta_gai_addrlen(void)
{
	return gai_fails(0, 0);
}

int ta_gai_protocol_mismatch(void)
{
	return gai_fails(0, IPPROTO_TCP);
}

int ta_gai_canon_unterminated(void)
{
	return gai_fails(AI_CANONNAME, 0);
}

int ta_gai_canon_unrequested(void)
{
	return gai_fails(0, 0);
}

int ta_gai_unknown_code(void)
{
	return gai_fails(0, 0);
}

int ta_gai_system_errno(void)
{
	return gai_fails(0, 0);
}

int ta_gai_legit(void)
{
	struct addrinfo hints, *res = NULL;
	struct sockaddr_in sin;
	int r = 0, rc = 0;

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_INET;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_CANONNAME;
	r = getaddrinfo("hostile.example", "80", &hints, &res);
	if (r != 0 || !res) {
		return h_fail("getaddrinfo %d", r);
	}
	memcpy(&sin, res->ai_addr, sizeof(sin));
	if (res->ai_next || res->ai_family != AF_INET || res->ai_addrlen != sizeof(sin) ||
	    sin.sin_port != htons(80) || !res->ai_canonname ||
	    strcmp(res->ai_canonname, "hostile.example") != 0) {
		rc = h_fail("unexpected addrinfo");
	}
	freeaddrinfo(res);
	return rc;
}

void gni_addr(struct sockaddr_in *sin)
{
	memset(sin, 0, sizeof(*sin));
	sin->sin_family = AF_INET;
	sin->sin_port = htons(80);
	sin->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
}

/* getnameinfo must answer EAI_SYSTEM with errno want and leave the caller's buffers alone */
static int gni_system(int want)
{
	struct guarded gh, gs;
	char *host = (char *)g_init(&gh, 8), *serv = (char *)g_init(&gs, 8);
	struct sockaddr_in sin;
	int r = 0;

	gni_addr(&sin);
	errno = 0;
	r = getnameinfo((struct sockaddr *)&sin, sizeof(sin), host, 8, serv, 8, 0);
	if (r != EAI_SYSTEM || errno != want) {
		return h_fail("getnameinfo %d errno %d, want EAI_SYSTEM errno %d", r, errno, want);
	}
	return g_untouched(&gh) && g_untouched(&gs) ? 0 : h_fail("caller buffers changed");
}

int ta_gni_overlong(void)
{
	return gni_system(EIO);
}

int ta_gni_unterminated(void)
{
	return gni_system(EIO);
}

int ta_gni_system_errno(void)
{
	return gni_system(EIO);
}

/* EAI_SYSTEM with an errno of the resolver's set: the caller sees that errno */
int ta_gni_system_legit(void)
{
	return gni_system(EMFILE);
}

/* ---- network interfaces ---- */

/* getifaddrs must fail with errno want, *ifap untouched (nothing built, nothing leaked). */
static int ifa_fails(int want)
{
	struct ifaddrs *sentinel = (struct ifaddrs *)(void *)&H, *res = sentinel;
	int r = getifaddrs(&res);

	if (r != -1 || errno != want) {
		return h_fail("getifaddrs returned %d (errno %d), expected -1/%d", r, errno, want);
	}
	return res == sentinel ? 0 : h_fail("*ifap changed");
}

int ta_ifa_version(void)
{
	return ifa_fails(EIO);
}

int ta_ifa_count_huge(void)
{
	return ifa_fails(EIO);
}

int ta_ifa_blob_mismatch(void)
{
	return ifa_fails(EIO);
}

int ta_ifa_name_unterminated(void)
{
	return ifa_fails(EIO);
}

int ta_ifa_name_empty(void)
{
	return ifa_fails(EIO);
}

int ta_ifa_name_slash(void)
{
	return ifa_fails(EIO);
}

int ta_ifa_family_unix(void)
{
	return ifa_fails(EIO);
}

int ta_ifa_inet_len(void)
{
	return ifa_fails(EIO);
}

int ta_ifa_packet_halen(void)
{
	return ifa_fails(EIO);
}

int ta_ifa_packet_index_zero(void)
{
	return ifa_fails(EIO);
}

int ta_ifa_netmask_family(void)
{
	return ifa_fails(EIO);
}

int ta_ifa_netmask_holes(void)
{
	return ifa_fails(EIO);
}

int ta_ifa_netmask_no_addr(void)
{
	return ifa_fails(EIO);
}

int ta_ifa_netmask_packet(void)
{
	return ifa_fails(EIO);
}

int ta_ifa_ifu_family(void)
{
	return ifa_fails(EIO);
}

/* a legal error: the caller sees it, nothing is logged */
int ta_ifa_enobufs_legit(void)
{
	return ifa_fails(ENOBUFS);
}

/* The fabricated list (sh_attacks.c, ifa_legit): a link, an IPv4 and an IPv6 address. */
int ta_ifa_legit(void)
{
	struct ifaddrs *res = NULL, *a = NULL, *b = NULL, *c = NULL;
	struct sockaddr_ll ll;
	struct sockaddr_in in, mask, brd;
	struct sockaddr_in6 in6;
	char text[INET6_ADDRSTRLEN] = "";
	int rc = 0;

	if (getifaddrs(&res) != 0 || !res) {
		return h_fail("getifaddrs failed (errno %d)", errno);
	}
	a = res;
	b = a->ifa_next;
	c = b ? b->ifa_next : NULL;
	if (!b || !c || c->ifa_next || strcmp(a->ifa_name, H_IF_NAME) != 0 ||
	    strcmp(b->ifa_name, H_IF_NAME ":1") != 0 || strcmp(c->ifa_name, H_IF_NAME) != 0 ||
	    !a->ifa_addr || a->ifa_netmask || !a->ifa_broadaddr || !b->ifa_addr ||
	    !b->ifa_netmask || !b->ifa_broadaddr || !c->ifa_addr || !c->ifa_netmask ||
	    c->ifa_broadaddr || a->ifa_data || b->ifa_data || c->ifa_data ||
	    !(b->ifa_flags & IFF_UP)) {
		rc = h_fail("unexpected interface list");
	}
	memcpy(&ll, a->ifa_addr, sizeof(ll));
	memcpy(&in, b->ifa_addr, sizeof(in));
	memcpy(&mask, b->ifa_netmask, sizeof(mask));
	memcpy(&brd, b->ifa_broadaddr, sizeof(brd));
	memcpy(&in6, c->ifa_addr, sizeof(in6));
	inet_ntop(AF_INET6, &in6.sin6_addr, text, sizeof(text));
	if (ll.sll_family != AF_PACKET || ll.sll_ifindex != (int)H_IF_INDEX || ll.sll_halen != 6 ||
	    ll.sll_addr[5] != 0x02 || in.sin_family != AF_INET ||
	    in.sin_addr.s_addr != htonl(0x0a010203) || mask.sin_addr.s_addr != htonl(0xffffff00) ||
	    brd.sin_addr.s_addr != htonl(0x0a0102ff) || in6.sin6_family != AF_INET6 ||
	    strcmp(text, "fe80::1111:1111:1111:1111") != 0) {
		rc = h_fail("unexpected addresses (%s)", text);
	}
	freeifaddrs(res);
	return rc;
}

/* if_nameindex must return NULL with errno EIO. */
static int ifn_fails(void)
{
	struct if_nameindex *p = if_nameindex();

	if (p) {
		if_freenameindex(p);
		return h_fail("if_nameindex accepted the answer");
	}
	return errno == EIO ? 0 : h_fail("if_nameindex errno %d, expected EIO", errno);
}

int ta_ifn_version(void)
{
	return ifn_fails();
}

int ta_ifn_count_mismatch(void)
{
	return ifn_fails();
}

int ta_ifn_index_zero(void)
{
	return ifn_fails();
}

int ta_ifn_index_duplicate(void)
{
	return ifn_fails();
}

int ta_ifn_name_duplicate(void)
{
	return ifn_fails();
}

int ta_ifn_name_unterminated(void)
{
	return ifn_fails();
}

int ta_ifn_legit(void)
{
	struct if_nameindex *p = if_nameindex();
	int rc = 0;

	if (!p) {
		return h_fail("if_nameindex failed (errno %d)", errno);
	}
	if (p[0].if_index != 1 || strcmp(p[0].if_name, "lo") != 0 || p[1].if_index != H_IF_INDEX ||
	    strcmp(p[1].if_name, H_IF_NAME) != 0 || p[2].if_index != 0 || p[2].if_name != NULL) {
		rc = h_fail("unexpected interface index list");
	}
	if_freenameindex(p);
	return rc;
}

static int n2i_fails(int want)
{
	unsigned int r = if_nametoindex(H_IF_NAME);

	if (r != 0 || errno != want) {
		return h_fail("if_nametoindex returned %u (errno %d), expected 0/%d", r, errno,
			      want);
	}
	return 0;
}

int ta_n2i_zero(void)
{
	return n2i_fails(EIO);
}

int ta_n2i_huge(void)
{
	return n2i_fails(EIO);
}

int ta_n2i_enodev_legit(void)
{
	return n2i_fails(ENODEV);
}

/* if_indextoname must return NULL with errno EIO, the caller's buffer untouched. */
static int i2n_eio(void)
{
	struct guarded g;
	char *name = (char *)g_init(&g, IF_NAMESIZE);

	if (if_indextoname(H_IF_INDEX, name) != NULL || errno != EIO) {
		return h_fail("if_indextoname did not fail with EIO (errno %d)", errno);
	}
	return g_untouched(&g) ? 0 : h_fail("caller buffer changed");
}

int ta_i2n_unterminated(void)
{
	return i2n_eio();
}

int ta_i2n_length_mismatch(void)
{
	return i2n_eio();
}

int ta_i2n_errno_foreign(void)
{
	return i2n_eio();
}

/* ---- time ---- */

static int clock_eio(void)
{
	struct timespec ts = { 77, 77 };

	if (h_want_eio(clock_gettime(CLOCK_REALTIME, &ts), "clock_gettime") != 0) {
		return -1;
	}
	return ts.tv_sec == 77 && ts.tv_nsec == 77 ? 0 : h_fail("timespec changed");
}

int ta_clock_nsec(void)
{
	return clock_eio();
}

int ta_clock_negative(void)
{
	return clock_eio();
}

int ta_clock_overflow(void)
{
	return clock_eio();
}

int ta_clock_monotonic_local(void)
{
	struct timespec prev = { 0, 0 };

	/* the shadow is armed to answer with a clock running backwards: it must not be asked */
	for (int i = 0; i < 1000; i++) {
		struct timespec ts;

		if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0) {
			return h_fail("clock_gettime errno %d", errno);
		}
		if (ts.tv_sec < prev.tv_sec ||
		    (ts.tv_sec == prev.tv_sec && ts.tv_nsec < prev.tv_nsec)) {
			return h_fail("CLOCK_MONOTONIC went backwards");
		}
		prev = ts;
	}
	return 0;
}

/* ---- errno values ---- */

/* a posted signal no peer can send fails the call; the program must not die of it */
int ta_signal_bogus_kill(void)
{
	return h_want_eio(fsync(H.p[0]), "fsync answered with SIGKILL posted");
}

int ta_signal_zero(void)
{
	return h_want_eio(fsync(H.p[0]), "fsync answered with signal 0 posted");
}

/* a legal forwarded signal is a peer's signal: pending while blocked, then discarded */
int ta_signal_blocked_legit(void)
{
	sigset_t usr1, pend;

	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);
	if (sigprocmask(SIG_BLOCK, &usr1, NULL) != 0) {
		return h_fail("sigprocmask: errno %d", errno);
	}
	if (fsync(H.p[0]) != 0) {
		return h_fail("fsync answered with SIGUSR1 posted: errno %d", errno);
	}
	if (sigpending(&pend) != 0 || sigismember(&pend, SIGUSR1) != 1) {
		return h_fail("the posted SIGUSR1 is not pending");
	}
	signal(SIGUSR1, SIG_IGN); /* discards it */
	if (sigprocmask(SIG_UNBLOCK, &usr1, NULL) != 0) {
		return h_fail("sigprocmask: errno %d", errno);
	}
	return 0;
}

int ta_errno_out_of_range(void)
{
	return h_want_eio(fsync(H.p[0]), "fsync");
}

int ta_errno_negative(void)
{
	return h_want_eio((long)lseek(H.p[0], 0, SEEK_CUR), "lseek");
}

int ta_errno_not_in_op_set(void)
{
	return h_want_eio((long)lseek(H.p[0], 0, SEEK_CUR), "lseek");
}

/* ---- record locks (H.lk: the shadow's fabricated answers, never a real lock) ---- */

static int getlk_eio(short type)
{
	struct flock fl, before;

	memset(&fl, 0x5a, sizeof(fl));
	fl.l_type = type;
	fl.l_whence = SEEK_SET;
	fl.l_start = 10;
	fl.l_len = 10;
	before = fl;
	if (h_want_eio(fcntl(H.lk, F_GETLK, &fl), "fcntl(F_GETLK)") != 0) {
		return -1;
	}
	return memcmp(&fl, &before, sizeof(fl)) == 0 ? 0 : h_fail("struct flock changed");
}

int ta_getlk_bad_type(void)
{
	return getlk_eio(F_WRLCK);
}

int ta_getlk_read_vs_read(void)
{
	return getlk_eio(F_RDLCK);
}

int ta_getlk_whence_cur(void)
{
	return getlk_eio(F_WRLCK);
}

int ta_getlk_negative_start(void)
{
	return getlk_eio(F_WRLCK);
}

int ta_getlk_range_overflow(void)
{
	return getlk_eio(F_WRLCK);
}

int ta_getlk_disjoint(void)
{
	return getlk_eio(F_WRLCK);
}

int ta_getlk_pid_range(void)
{
	return getlk_eio(F_WRLCK);
}

int ta_getlk_own_pid(void)
{
	return getlk_eio(F_WRLCK);
}

int ta_getlk_unlocked_legit(void)
{
	struct flock fl, before;

	memset(&fl, 0x5a, sizeof(fl));
	fl.l_type = F_WRLCK;
	fl.l_whence = SEEK_SET;
	fl.l_start = 10;
	fl.l_len = 10;
	before = fl;
	if (fcntl(H.lk, F_GETLK, &fl) != 0) {
		return h_fail("F_GETLK failed (errno %d)", errno);
	}
	before.l_type = F_UNLCK; /* and nothing else, as on Linux */
	return memcmp(&fl, &before, sizeof(fl)) == 0 ? 0 : h_fail("fields beyond l_type changed");
}

int ta_getlk_ofd_holder_legit(void)
{
	struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 10, .l_len = 10 };

	if (fcntl(H.lk, F_GETLK, &fl) != 0) {
		return h_fail("F_GETLK failed (errno %d)", errno);
	}
	return fl.l_type == F_WRLCK && fl.l_start == 0 && fl.l_len == 0 && fl.l_pid == -1
		       ? 0
		       : h_fail("holder not reported as answered");
}

static int setlk_eio(void)
{
	struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 10, .l_len = 10 };

	return h_want_eio(fcntl(H.lk, F_SETLK, &fl), "fcntl(F_SETLK)");
}

int ta_setlk_ret_nonzero(void)
{
	return setlk_eio();
}

int ta_setlk_errno_foreign(void)
{
	return setlk_eio();
}
