/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Hostile shadow test, shadow half: one fabricator per attack of attacks.h. Each builds
 * the malicious answer to the request it was armed for (response header fields and blob
 * in the data area) instead of executing it; race attacks also register bytes that the
 * server keeps rewriting after publishing the answer. The paired checks are in
 * ta_cases.c.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netpacket/packet.h>
#include <poll.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "hostile_sh.h"

static void ans(struct tzm_wire_resp *rs, int64_t ret, uint32_t data_len)
{
	rs->ret = ret;
	rs->err = 0;
	rs->data_len = data_len;
}

static void err_ans(struct tzm_wire_resp *rs, int32_t err)
{
	rs->ret = -1;
	rs->err = err;
	rs->data_len = 0;
}

static void flip(struct hsh *h, volatile void *at, const void *a, const void *b, size_t len)
{
	struct hflip *f = &h->flip[h->nflip++];

	f->at = at;
	f->len = len;
	memcpy(f->a, a, len);
	memcpy(f->b, b, len);
}

/* ---- lengths ---- */

void sh_read_overlong(SH_ARGS)
{
	size_t n = (size_t)rq->args[1] + 100;

	memset(buf, 'X', n);
	ans(rs, (int64_t)n, (uint32_t)n);
}

void sh_read_blob_mismatch(SH_ARGS)
{
	memset(buf, 'X', 100);
	ans(rs, 4, 100);
}

void sh_read_blob_beyond_area(SH_ARGS)
{
	memset(buf, 'X', 4);
	ans(rs, 4, (uint32_t)cap + 4096u);
}

void sh_read_negative_ret(SH_ARGS)
{
	ans(rs, -7, 0);
}

void sh_read_errno_with_count(SH_ARGS)
{
	memset(buf, 'X', 3);
	ans(rs, 3, 3);
	rs->err = EAGAIN;
}

static void valid_stat(struct tzm_wire_stat *w)
{
	memset(w, 0, sizeof(*w));
	w->mode = S_IFREG | 0644;
	w->nlink = 1;
	w->size = 42;
	w->blksize = 4096;
	w->blocks = 8;
}

void sh_op_mismatch_read_stat(SH_ARGS)
{
	struct tzm_wire_stat w;

	valid_stat(&w);
	memcpy(buf, &w, sizeof(w));
	ans(rs, 0, sizeof(w)); /* what a STAT answer looks like */
}

void sh_log_write_malformed(SH_ARGS)
{
	err_ans(rs, 200); /* the log line about this one is answered the same way */
}

void sh_recv_overlong(SH_ARGS)
{
	size_t n = (size_t)rq->args[1] + 1;

	memset(buf, 'X', n);
	ans(rs, (int64_t)n, (uint32_t)n);
}

void sh_recv_trunc_huge(SH_ARGS)
{
	size_t n = (size_t)rq->args[1];

	memset(buf, 'X', n);
	ans(rs, (int64_t)1 << 40, (uint32_t)n);
	rs->aux[1] = MSG_TRUNC;
}

void sh_recvfrom_addrlen_huge(SH_ARGS)
{
	memset(buf, 'X', 8);
	ans(rs, 4, 8);
	rs->aux[0] = 4096;
}

static void recv_with_addr(uint8_t *buf, struct tzm_wire_resp *rs, sa_family_t fam)
{
	struct sockaddr_in sin;

	memset(&sin, 0, sizeof(sin));
	sin.sin_family = fam;
	sin.sin_port = htons(4242);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	memcpy(buf, "abcd", 4);
	memcpy(buf + 4, &sin, sizeof(sin));
	ans(rs, 4, 4 + sizeof(sin));
	rs->aux[0] = sizeof(sin);
}

void sh_recvfrom_addr_family(SH_ARGS)
{
	recv_with_addr(buf, rs, AF_INET6); /* 16 bytes cannot be a sockaddr_in6 */
}

void sh_recvfrom_addr_truncated(SH_ARGS)
{
	recv_with_addr(buf, rs, AF_INET);
}

void sh_recvmsg_overlong(SH_ARGS)
{
	sh_recv_overlong(h, rq, buf, cap, rs);
}

void sh_write_overlong(SH_ARGS)
{
	ans(rs, (int64_t)rq->data_len + 1, 0);
}

void sh_getsockopt_overlong(SH_ARGS)
{
	memset(buf, 1, 8);
	ans(rs, 0, 8);
}

void sh_mq_receive_overlong(SH_ARGS)
{
	sh_recv_overlong(h, rq, buf, cap, rs);
}

void sh_mq_receive_prio(SH_ARGS)
{
	memcpy(buf, "abcd", 4);
	ans(rs, 4, 4);
	rs->aux[0] = 40000; /* MQ_PRIO_MAX is 32768 */
}

void sh_mq_getattr_insane(SH_ARGS)
{
	ans(rs, 0, 0);
	rs->aux[1] = 10;
	rs->aux[2] = 8192;
	rs->aux[3] = 11; /* more messages queued than the queue holds */
}

/* ---- descriptor numbers ---- */

static void fd_ans(struct tzm_wire_resp *rs, int64_t fd)
{
	ans(rs, fd, 0);
}

void sh_accept_fd_range(SH_ARGS)
{
	fd_ans(rs, 5000);
}

void sh_accept_fd_in_use(SH_ARGS)
{
	fd_ans(rs, 1);
}

void sh_socket_fd_max(SH_ARGS)
{
	fd_ans(rs, h->s->max_fds);
}

void sh_open_fd_in_use(SH_ARGS)
{
	int64_t top = 0;

	for (unsigned i = 0; i < TZM_WIRE_MAX_FDS; i++) {
		if (h->s->fds[i].kind != SFD_FREE) {
			top = i;
		}
	}
	fd_ans(rs, top);
}

void sh_dup_fd_in_use(SH_ARGS)
{
	fd_ans(rs, 0);
}

void sh_dup2_other_fd(SH_ARGS)
{
	fd_ans(rs, rq->args[1] + 1);
}

void sh_dup2_out_of_range(SH_ARGS)
{
	fd_ans(rs, rq->args[1]); /* "success" for a number beyond the table */
}

void sh_fcntl_dupfd_below_min(SH_ARGS)
{
	fd_ans(rs, rq->args[2] - 20);
}

void sh_fcntl_getfd_bogus(SH_ARGS)
{
	ans(rs, 0x40, 0);
}

static void pair_ans(struct tzm_wire_resp *rs, int64_t a, int64_t b)
{
	ans(rs, 0, 0);
	rs->aux[0] = a;
	rs->aux[1] = b;
}

void sh_pipe_same_fds(SH_ARGS)
{
	pair_ans(rs, 50, 50);
}

void sh_pipe_fd_in_use(SH_ARGS)
{
	pair_ans(rs, 51, 0);
}

void sh_socketpair_fd_negative(SH_ARGS)
{
	pair_ans(rs, -1, 52);
}

void sh_epoll_create_fd_range(SH_ARGS)
{
	fd_ans(rs, 2000);
}

void sh_mq_open_fd_in_use(SH_ARGS)
{
	fd_ans(rs, 2);
}

/* ---- socket addresses ---- */

void sh_accept_addr_truncated(SH_ARGS)
{
	struct sockaddr_in6 a;
	int host = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	int tafd = -1;

	if (host < 0) {
		err_ans(rs, errno);
		return;
	}
	/* a real descriptor, so that the TA can use and close what it was given */
	tafd = tzm__sfd_add(h->s, host, SFD_SOCK, 0, rs);
	if (tafd < 0) {
		return;
	}
	memset(&a, 0, sizeof(a));
	a.sin6_family = AF_INET6;
	a.sin6_port = htons(4242);
	a.sin6_addr = in6addr_loopback;
	memcpy(buf, &a, sizeof(a));
	ans(rs, tafd, sizeof(a));
}

void sh_accept_addr_too_long(SH_ARGS)
{
	sa_family_t fam = AF_INET;

	memset(buf, 0, 200);
	memcpy(buf, &fam, sizeof(fam));
	ans(rs, 60, 200);
}

void sh_accept_addr_family_len(SH_ARGS)
{
	struct sockaddr_in6 a;

	memset(&a, 0, sizeof(a));
	a.sin6_family = AF_INET; /* with the length of a sockaddr_in6 */
	memcpy(buf, &a, sizeof(a));
	ans(rs, 60, sizeof(a));
}

void sh_getsockname_too_long(SH_ARGS)
{
	sa_family_t fam = AF_UNIX;

	memset(buf, 'u', TZM_WIRE_MAX_SOCKADDR + 1);
	memcpy(buf, &fam, sizeof(fam));
	ans(rs, 0, TZM_WIRE_MAX_SOCKADDR + 1);
}

void sh_getsockname_unix_overlong(SH_ARGS)
{
	sa_family_t fam = AF_UNIX;

	memset(buf, 'u', 120);
	memcpy(buf, &fam, sizeof(fam));
	ans(rs, 0, 120); /* longer than a sockaddr_un */
}

void sh_getpeername_truncated(SH_ARGS)
{
	struct sockaddr_un un;

	memset(&un, 0, sizeof(un));
	un.sun_family = AF_UNIX;
	memset(un.sun_path, 'p', sizeof(un.sun_path) - 1);
	memcpy(buf, &un, sizeof(un));
	ans(rs, 0, sizeof(un));
}

void sh_getpeername_bad_family(SH_ARGS)
{
	sa_family_t fam = 99;

	memset(buf, 0, 16);
	memcpy(buf, &fam, sizeof(fam));
	ans(rs, 0, 16);
}

/* ---- readiness ---- */

/* Echoes the TA's single pollfd with the given fd/revents. */
static void poll_ans(uint8_t *buf, struct tzm_wire_resp *rs, int64_t ret, int fd_delta,
		     int16_t revents, uint32_t data_len)
{
	struct tzm_wire_pollfd w;

	memcpy(&w, buf, sizeof(w)); /* the request's entry (copied once) */
	w.fd += fd_delta;
	w.revents = revents;
	memcpy(buf, &w, sizeof(w));
	ans(rs, ret, data_len);
}

void sh_poll_count(SH_ARGS)
{
	poll_ans(buf, rs, 2, 0, POLLIN, sizeof(struct tzm_wire_pollfd));
}

void sh_poll_revents_unrequested(SH_ARGS)
{
	poll_ans(buf, rs, 1, 0, POLLOUT, sizeof(struct tzm_wire_pollfd));
}

void sh_poll_fd_changed(SH_ARGS)
{
	poll_ans(buf, rs, 1, 7, POLLIN, sizeof(struct tzm_wire_pollfd));
}

void sh_poll_count_mismatch(SH_ARGS)
{
	poll_ans(buf, rs, 1, 0, 0, sizeof(struct tzm_wire_pollfd));
}

void sh_poll_blob_short(SH_ARGS)
{
	poll_ans(buf, rs, 0, 0, 0, 0);
}

void sh_select_bogus_revents(SH_ARGS)
{
	sh_poll_revents_unrequested(h, rq, buf, cap, rs);
}

static void ep_ans(uint8_t *buf, struct tzm_wire_resp *rs, int64_t ret, uint32_t events,
		   uint64_t data, uint32_t data_len)
{
	struct tzm_wire_epoll_event w = { .events = events, .reserved = 0, .data = data };

	for (size_t i = 0; i * sizeof(w) < data_len; i++) {
		memcpy(buf + i * sizeof(w), &w, sizeof(w));
	}
	ans(rs, ret, data_len);
}

void sh_epoll_count(SH_ARGS)
{
	int64_t n = rq->args[1] + 1;

	ep_ans(buf, rs, n, EPOLLIN, H_EP_DATA, (uint32_t)n * sizeof(struct tzm_wire_epoll_event));
}

void sh_epoll_blob_mismatch(SH_ARGS)
{
	ep_ans(buf, rs, 1, EPOLLIN, H_EP_DATA, 2 * sizeof(struct tzm_wire_epoll_event));
}

void sh_epoll_unknown_data(SH_ARGS)
{
	/* a data value the TA never registered: it could be taken for a pointer */
	ep_ans(buf, rs, 1, EPOLLIN, 0xdeadbeefu, sizeof(struct tzm_wire_epoll_event));
}

void sh_epoll_unrequested_events(SH_ARGS)
{
	ep_ans(buf, rs, 1, EPOLLOUT, H_EP_DATA, sizeof(struct tzm_wire_epoll_event));
}

void sh_epoll_closed_fd_data(SH_ARGS)
{
	ep_ans(buf, rs, 1, EPOLLIN, H_EP_DATA_CLOSED, sizeof(struct tzm_wire_epoll_event));
}

void sh_epoll_legit(SH_ARGS)
{
	ep_ans(buf, rs, 1, EPOLLIN | EPOLLHUP, H_EP_DATA, sizeof(struct tzm_wire_epoll_event));
}

/* ---- stat ---- */

static void stat_ans(uint8_t *buf, struct tzm_wire_resp *rs, const struct tzm_wire_stat *w,
		     uint32_t len)
{
	memcpy(buf, w, sizeof(*w));
	ans(rs, 0, len);
}

void sh_stat_blob_size(SH_ARGS)
{
	struct tzm_wire_stat w;

	valid_stat(&w);
	stat_ans(buf, rs, &w, 100);
}

void sh_stat_bad_mode(SH_ARGS)
{
	struct tzm_wire_stat w;

	valid_stat(&w);
	w.mode = 0170000 | 0644;
	stat_ans(buf, rs, &w, sizeof(w));
}

void sh_stat_bad_nsec(SH_ARGS)
{
	struct tzm_wire_stat w;

	valid_stat(&w);
	w.mtime_nsec = 1000000000;
	stat_ans(buf, rs, &w, sizeof(w));
}

void sh_stat_negative_size(SH_ARGS)
{
	struct tzm_wire_stat w;

	valid_stat(&w);
	w.size = -1;
	stat_ans(buf, rs, &w, sizeof(w));
}

/* ---- directory entries ---- */

static size_t put_dirent(uint8_t *buf, uint8_t type, uint16_t namelen, uint32_t reclen,
			 const char *name)
{
	struct tzm_wire_dirent w = { .ino = 7, .type = type, .namelen = namelen, .reclen = reclen };
	size_t n = strlen(name);

	memcpy(buf, &w, sizeof(w));
	memcpy(buf + sizeof(w), name, n);
	return sizeof(w) + ((n + 7) & ~(size_t)7);
}

void sh_readdir_reclen_zero(SH_ARGS)
{
	size_t n = put_dirent(buf, DT_REG, 5, 0, "entry");

	ans(rs, (int64_t)n, (uint32_t)n);
}

void sh_readdir_namelen_overflow(SH_ARGS)
{
	char name[305];
	size_t n = 0;

	memset(name, 'n', 304);
	name[304] = '\0';
	n = put_dirent(buf, DT_REG, 300, 16 + 304, name); /* d_name holds 255 + NUL */
	ans(rs, (int64_t)n, (uint32_t)n);
}

void sh_readdir_name_slash(SH_ARGS)
{
	size_t n = put_dirent(buf, DT_REG, 3, 24, "a/b");

	ans(rs, (int64_t)n, (uint32_t)n);
}

void sh_readdir_reclen_beyond(SH_ARGS)
{
	size_t n = put_dirent(buf, DT_REG, 5, 64, "entry");

	ans(rs, (int64_t)n, (uint32_t)n);
}

void sh_readdir_count_mismatch(SH_ARGS)
{
	size_t n = put_dirent(buf, DT_REG, 5, 24, "entry");

	ans(rs, (int64_t)n + 8, (uint32_t)n);
}

void sh_readdir_bad_type(SH_ARGS)
{
	size_t n = put_dirent(buf, 200, 5, 24, "entry");

	ans(rs, (int64_t)n, (uint32_t)n);
}

/* ---- name resolution ---- */

static void put_ai(uint8_t *buf, size_t i, int family, int socktype, int proto, uint32_t addrlen)
{
	struct tzm_wire_ai w;
	struct sockaddr_in sin;

	memset(&w, 0, sizeof(w));
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = (sa_family_t)family;
	sin.sin_port = htons(80);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	w.family = family;
	w.socktype = socktype;
	w.protocol = proto;
	w.addrlen = addrlen;
	memcpy(w.addr, &sin, sizeof(sin));
	memcpy(buf + i * sizeof(w), &w, sizeof(w));
}

static void gai_ans(struct tzm_wire_resp *rs, int64_t code, int64_t count, size_t len)
{
	ans(rs, 0, (uint32_t)len);
	rs->aux[0] = count;
	rs->aux[1] = code;
}

#define AI_SZ sizeof(struct tzm_wire_ai)

void sh_gai_count_zero(SH_ARGS)
{
	gai_ans(rs, 0, 0, 0);
}

void sh_gai_count_huge(SH_ARGS)
{
	for (size_t i = 0; i <= TZM_WIRE_MAX_AI; i++) {
		put_ai(buf, i, AF_INET, SOCK_STREAM, IPPROTO_TCP, sizeof(struct sockaddr_in));
	}
	gai_ans(rs, 0, TZM_WIRE_MAX_AI + 1, (TZM_WIRE_MAX_AI + 1) * AI_SZ);
}

void sh_gai_family_mismatch(SH_ARGS)
{
	put_ai(buf, 0, AF_INET6, SOCK_STREAM, IPPROTO_TCP, sizeof(struct sockaddr_in6));
	gai_ans(rs, 0, 1, AI_SZ);
}

void sh_gai_addrlen(SH_ARGS)
{
	put_ai(buf, 0, AF_INET, SOCK_STREAM, IPPROTO_TCP, 28);
	gai_ans(rs, 0, 1, AI_SZ);
}

void sh_gai_protocol_mismatch(SH_ARGS)
{
	put_ai(buf, 0, AF_INET, SOCK_STREAM, IPPROTO_UDP, sizeof(struct sockaddr_in));
	gai_ans(rs, 0, 1, AI_SZ);
}

void sh_gai_canon_unterminated(SH_ARGS)
{
	put_ai(buf, 0, AF_INET, SOCK_STREAM, IPPROTO_TCP, sizeof(struct sockaddr_in));
	memcpy(buf + AI_SZ, "abc", 3);
	gai_ans(rs, 0, 1, AI_SZ + 3);
}

void sh_gai_canon_unrequested(SH_ARGS)
{
	put_ai(buf, 0, AF_INET, SOCK_STREAM, IPPROTO_TCP, sizeof(struct sockaddr_in));
	memcpy(buf + AI_SZ, "abc", 4);
	gai_ans(rs, 0, 1, AI_SZ + 4);
}

void sh_gai_unknown_code(SH_ARGS)
{
	gai_ans(rs, -999, 0, 0);
}

void sh_gai_system_errno(SH_ARGS)
{
	gai_ans(rs, EAI_SYSTEM, 0, 0);
	rs->aux[2] = EEXIST; /* an errno, but not one of the resolver's */
}

void sh_gai_legit(SH_ARGS)
{
	static const char canon[] = "hostile.example";

	put_ai(buf, 0, AF_INET, SOCK_STREAM, IPPROTO_TCP, sizeof(struct sockaddr_in));
	memcpy(buf + AI_SZ, canon, sizeof(canon));
	gai_ans(rs, 0, 1, AI_SZ + sizeof(canon));
}

void sh_gni_overlong(SH_ARGS)
{
	static const char blob[] = "averylonghostname\0http";

	memcpy(buf, blob, sizeof(blob));
	gai_ans(rs, 0, 0, sizeof(blob));
}

void sh_gni_unterminated(SH_ARGS)
{
	memcpy(buf, "host\0serv", 9);
	gai_ans(rs, 0, 0, 9);
}

void sh_gni_system_errno(SH_ARGS)
{
	gai_ans(rs, EAI_SYSTEM, 0, 0);
	rs->aux[2] = EEXIST; /* an errno, but not one of the resolver's */
}

void sh_gni_system_legit(SH_ARGS)
{
	gai_ans(rs, EAI_SYSTEM, 0, 0);
	rs->aux[2] = EMFILE; /* e.g. no descriptor left for /etc/hosts or the DNS socket */
}

/* ---- network interfaces ---- */

static void put_inet(uint8_t *dst, uint8_t *len, uint32_t addr)
{
	struct sockaddr_in sin;

	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(addr);
	memcpy(dst, &sin, sizeof(sin));
	*len = sizeof(sin);
}

static void put_inet6(uint8_t *dst, uint8_t *len, uint8_t first, uint8_t fill)
{
	struct sockaddr_in6 sin6;

	memset(&sin6, 0, sizeof(sin6));
	sin6.sin6_family = AF_INET6;
	memset(&sin6.sin6_addr, fill, sizeof(sin6.sin6_addr));
	sin6.sin6_addr.s6_addr[0] = first;
	memcpy(dst, &sin6, sizeof(sin6));
	*len = sizeof(sin6);
}

/* A link's entry: sockaddr_ll of H_IF_INDEX with a 6-byte hardware address. */
static void put_packet(uint8_t *dst, uint8_t *len, uint8_t fill)
{
	struct sockaddr_ll ll;

	memset(&ll, 0, sizeof(ll));
	ll.sll_family = AF_PACKET;
	ll.sll_ifindex = (int)H_IF_INDEX;
	ll.sll_hatype = 1; /* ARPHRD_ETHER */
	ll.sll_halen = 6;
	memset(ll.sll_addr, fill, 6);
	memcpy(dst, &ll, sizeof(ll));
	*len = sizeof(ll);
}

/*
 * The legitimate answer the attacks start from: H_IF_NAME's link (AF_PACKET), its IPv4
 * address 10.1.2.3/24 labelled H_IF_NAME ":1" with broadcast 10.1.2.255, and an IPv6
 * address fe80::/64 (all 0x11 after the prefix).
 */
#define IFA_LEGIT 3
static void ifa_legit(struct tzm_wire_ifaddr w[IFA_LEGIT])
{
	memset(w, 0, IFA_LEGIT * sizeof(*w));
	for (int i = 0; i < IFA_LEGIT; i++) {
		memcpy(w[i].name, H_IF_NAME, sizeof(H_IF_NAME));
		w[i].flags = IFF_UP | IFF_BROADCAST | IFF_RUNNING | IFF_MULTICAST;
	}
	put_packet(w[0].addr, &w[0].addr_len, 0x02);
	put_packet(w[0].ifu, &w[0].ifu_len, 0xff);
	memcpy(w[1].name, H_IF_NAME ":1", sizeof(H_IF_NAME ":1"));
	put_inet(w[1].addr, &w[1].addr_len, 0x0a010203);
	put_inet(w[1].netmask, &w[1].netmask_len, 0xffffff00);
	put_inet(w[1].ifu, &w[1].ifu_len, 0x0a0102ff);
	put_inet6(w[2].addr, &w[2].addr_len, 0xfe, 0x11);
	put_inet6(w[2].netmask, &w[2].netmask_len, 0xff, 0);
	memset(w[2].netmask + offsetof(struct sockaddr_in6, sin6_addr), 0xff, 8);
	w[2].addr[offsetof(struct sockaddr_in6, sin6_addr) + 1] = 0x80;
	memset(w[2].addr + offsetof(struct sockaddr_in6, sin6_addr) + 2, 0, 6);
}

static void ifa_ans(uint8_t *buf, struct tzm_wire_resp *rs, const struct tzm_wire_ifaddr *w,
		    size_t n)
{
	memcpy(buf, w, n * sizeof(*w));
	ans(rs, (int64_t)n, (uint32_t)(n * sizeof(*w)));
	rs->aux[0] = TZM_WIRE_IF_VERSION;
}

void sh_ifa_version(SH_ARGS)
{
	struct tzm_wire_ifaddr w[IFA_LEGIT];

	ifa_legit(w);
	ifa_ans(buf, rs, w, IFA_LEGIT);
	rs->aux[0] = TZM_WIRE_IF_VERSION + 1;
}

void sh_ifa_count_huge(SH_ARGS)
{
	struct tzm_wire_ifaddr w[IFA_LEGIT];

	ifa_legit(w);
	for (size_t i = 0; i <= TZM_WIRE_MAX_IFS; i++) {
		memcpy(buf + i * sizeof(w[0]), &w[1], sizeof(w[0]));
	}
	ans(rs, TZM_WIRE_MAX_IFS + 1, (TZM_WIRE_MAX_IFS + 1) * sizeof(w[0]));
	rs->aux[0] = TZM_WIRE_IF_VERSION;
}

void sh_ifa_blob_mismatch(SH_ARGS)
{
	struct tzm_wire_ifaddr w[IFA_LEGIT];

	ifa_legit(w);
	ifa_ans(buf, rs, w, IFA_LEGIT);
	rs->ret = IFA_LEGIT + 1;
}

/* The legitimate answer with entry 1 (the IPv4 one) spoilt by `spoil`. */
static void ifa_spoilt(uint8_t *buf, struct tzm_wire_resp *rs,
		       void (*spoil)(struct tzm_wire_ifaddr *w))
{
	struct tzm_wire_ifaddr w[IFA_LEGIT];

	ifa_legit(w);
	spoil(&w[1]);
	ifa_ans(buf, rs, w, IFA_LEGIT);
}

static void spoil_name_unterminated(struct tzm_wire_ifaddr *w)
{
	memset(w->name, 'a', sizeof(w->name));
}

void sh_ifa_name_unterminated(SH_ARGS)
{
	ifa_spoilt(buf, rs, spoil_name_unterminated);
}

static void spoil_name_empty(struct tzm_wire_ifaddr *w)
{
	memset(w->name, 0, sizeof(w->name));
}

void sh_ifa_name_empty(SH_ARGS)
{
	ifa_spoilt(buf, rs, spoil_name_empty);
}

static void spoil_name_slash(struct tzm_wire_ifaddr *w)
{
	memcpy(w->name, "../etc", 7);
}

void sh_ifa_name_slash(SH_ARGS)
{
	ifa_spoilt(buf, rs, spoil_name_slash);
}

static void spoil_family_unix(struct tzm_wire_ifaddr *w)
{
	sa_family_t fam = AF_UNIX;

	memcpy(w->addr, &fam, sizeof(fam));
}

void sh_ifa_family_unix(SH_ARGS)
{
	ifa_spoilt(buf, rs, spoil_family_unix);
}

static void spoil_inet_len(struct tzm_wire_ifaddr *w)
{
	w->addr_len = sizeof(struct sockaddr_in6); /* an AF_INET address of 28 bytes */
}

void sh_ifa_inet_len(SH_ARGS)
{
	ifa_spoilt(buf, rs, spoil_inet_len);
}

void sh_ifa_packet_halen(SH_ARGS)
{
	struct tzm_wire_ifaddr w[IFA_LEGIT];

	ifa_legit(w);
	w[0].addr[offsetof(struct sockaddr_ll, sll_halen)] = 20; /* needs 32 bytes, has 20 */
	ifa_ans(buf, rs, w, IFA_LEGIT);
}

void sh_ifa_packet_index_zero(SH_ARGS)
{
	struct tzm_wire_ifaddr w[IFA_LEGIT];
	int zero = 0;

	ifa_legit(w);
	memcpy(w[0].ifu + offsetof(struct sockaddr_ll, sll_ifindex), &zero, sizeof(zero));
	ifa_ans(buf, rs, w, IFA_LEGIT);
}

static void spoil_netmask_family(struct tzm_wire_ifaddr *w)
{
	put_inet6(w->netmask, &w->netmask_len, 0xff, 0);
}

void sh_ifa_netmask_family(SH_ARGS)
{
	ifa_spoilt(buf, rs, spoil_netmask_family);
}

static void spoil_netmask_holes(struct tzm_wire_ifaddr *w)
{
	put_inet(w->netmask, &w->netmask_len, 0xff00ff00);
}

void sh_ifa_netmask_holes(SH_ARGS)
{
	ifa_spoilt(buf, rs, spoil_netmask_holes);
}

static void spoil_netmask_no_addr(struct tzm_wire_ifaddr *w)
{
	w->addr_len = 0;
	w->ifu_len = 0;
}

void sh_ifa_netmask_no_addr(SH_ARGS)
{
	ifa_spoilt(buf, rs, spoil_netmask_no_addr);
}

void sh_ifa_netmask_packet(SH_ARGS)
{
	struct tzm_wire_ifaddr w[IFA_LEGIT];

	ifa_legit(w);
	put_packet(w[0].netmask, &w[0].netmask_len, 0xff); /* a link has no netmask */
	ifa_ans(buf, rs, w, IFA_LEGIT);
}

static void spoil_ifu_family(struct tzm_wire_ifaddr *w)
{
	put_inet6(w->ifu, &w->ifu_len, 0xff, 0x22);
}

void sh_ifa_ifu_family(SH_ARGS)
{
	ifa_spoilt(buf, rs, spoil_ifu_family);
}

void sh_ifa_enobufs_legit(SH_ARGS)
{
	err_ans(rs, ENOBUFS); /* a host with more entries than an answer carries */
}

void sh_ifa_legit(SH_ARGS)
{
	struct tzm_wire_ifaddr w[IFA_LEGIT];

	ifa_legit(w);
	ifa_ans(buf, rs, w, IFA_LEGIT);
}

/* The legitimate if_nameindex answer: lo (1) and H_IF_NAME (H_IF_INDEX). */
#define IFN_LEGIT 2
static void ifn_legit(struct tzm_wire_ifindex w[IFN_LEGIT])
{
	memset(w, 0, IFN_LEGIT * sizeof(*w));
	w[0].index = 1;
	memcpy(w[0].name, "lo", 3);
	w[1].index = H_IF_INDEX;
	memcpy(w[1].name, H_IF_NAME, sizeof(H_IF_NAME));
}

static void ifn_ans(uint8_t *buf, struct tzm_wire_resp *rs, const struct tzm_wire_ifindex *w)
{
	memcpy(buf, w, IFN_LEGIT * sizeof(*w));
	ans(rs, IFN_LEGIT, IFN_LEGIT * sizeof(*w));
	rs->aux[0] = TZM_WIRE_IF_VERSION;
}

void sh_ifn_version(SH_ARGS)
{
	struct tzm_wire_ifindex w[IFN_LEGIT];

	ifn_legit(w);
	ifn_ans(buf, rs, w);
	rs->aux[0] = 0;
}

void sh_ifn_count_mismatch(SH_ARGS)
{
	struct tzm_wire_ifindex w[IFN_LEGIT];

	ifn_legit(w);
	ifn_ans(buf, rs, w);
	rs->data_len += sizeof(w[0]);
}

void sh_ifn_index_zero(SH_ARGS)
{
	struct tzm_wire_ifindex w[IFN_LEGIT];

	ifn_legit(w);
	w[1].index = 0;
	ifn_ans(buf, rs, w);
}

void sh_ifn_index_duplicate(SH_ARGS)
{
	struct tzm_wire_ifindex w[IFN_LEGIT];

	ifn_legit(w);
	w[1].index = w[0].index;
	ifn_ans(buf, rs, w);
}

void sh_ifn_name_duplicate(SH_ARGS)
{
	struct tzm_wire_ifindex w[IFN_LEGIT];

	ifn_legit(w);
	memcpy(w[1].name, w[0].name, sizeof(w[1].name));
	ifn_ans(buf, rs, w);
}

void sh_ifn_name_unterminated(SH_ARGS)
{
	struct tzm_wire_ifindex w[IFN_LEGIT];

	ifn_legit(w);
	memset(w[1].name, 'b', sizeof(w[1].name));
	ifn_ans(buf, rs, w);
}

void sh_ifn_legit(SH_ARGS)
{
	struct tzm_wire_ifindex w[IFN_LEGIT];

	ifn_legit(w);
	ifn_ans(buf, rs, w);
}

void sh_n2i_zero(SH_ARGS)
{
	ans(rs, 0, 0); /* "success" with index 0, which no interface has */
}

void sh_n2i_huge(SH_ARGS)
{
	ans(rs, (int64_t)1 << 32, 0);
}

void sh_n2i_enodev_legit(SH_ARGS)
{
	err_ans(rs, ENODEV);
}

void sh_i2n_unterminated(SH_ARGS)
{
	memset(buf, 'c', TZM_WIRE_IFNAMSIZ);
	ans(rs, TZM_WIRE_IFNAMSIZ, TZM_WIRE_IFNAMSIZ);
}

void sh_i2n_length_mismatch(SH_ARGS)
{
	memcpy(buf, "eth0\0\0", 6);
	ans(rs, 5, 6);
}

void sh_i2n_errno_foreign(SH_ARGS)
{
	err_ans(rs, ECONNREFUSED); /* not one of the interface calls' errnos */
}

/* ---- time ---- */

static void clock_ans(struct tzm_wire_resp *rs, int64_t sec, int64_t nsec)
{
	ans(rs, 0, 0);
	rs->aux[0] = sec;
	rs->aux[1] = nsec;
}

void sh_clock_nsec(SH_ARGS)
{
	clock_ans(rs, 1700000000, 1000000000);
}

void sh_clock_negative(SH_ARGS)
{
	clock_ans(rs, -1, 0);
}

void sh_clock_overflow(SH_ARGS)
{
	clock_ans(rs, INT64_MAX, 0);
}

void sh_clock_monotonic_local(SH_ARGS)
{
	static int64_t t = 1000000;

	clock_ans(rs, t--, 0); /* backwards, if anyone asked */
}

/* ---- errno values ---- */

/* fsync "succeeds", and the answer comes with signals posted in ctrl.sig_pending */
static void post_ans(struct hsh *h, struct tzm_wire_resp *rs, uint32_t bits)
{
	__atomic_fetch_or(&h->chan->ctrl->sig_pending, bits, __ATOMIC_SEQ_CST);
	rs->ret = 0;
	rs->err = 0;
	rs->data_len = 0;
}

void sh_signal_bogus_kill(SH_ARGS)
{
	post_ans(h, rs, 1u << 9); /* SIGKILL */
}

void sh_signal_zero(SH_ARGS)
{
	post_ans(h, rs, 1u); /* "signal 0" */
}

void sh_signal_blocked_legit(SH_ARGS)
{
	post_ans(h, rs, 1u << 10); /* SIGUSR1, which the TA blocks */
}

void sh_errno_out_of_range(SH_ARGS)
{
	err_ans(rs, 200);
}

void sh_errno_wrong_class(SH_ARGS)
{
	err_ans(rs, ECONNREFUSED); /* a socket error for stat() */
}

void sh_errno_negative(SH_ARGS)
{
	err_ans(rs, -5);
}

void sh_errno_not_in_op_set(SH_ARGS)
{
	err_ans(rs, EEXIST); /* a file error, in the old FILE class, but not one of lseek's */
}

/* ---- double fetch ---- */

void sh_race_getnameinfo(SH_ARGS)
{
	static const uint8_t nul = 0, x = 'X';

	memset(buf, 'h', H_HOST_LEN);
	memcpy(buf + H_HOST_LEN, "\0serv", 6);
	gai_ans(rs, 0, 0, H_HOST_LEN + 6);
	/* the host name's terminator: checked, then copied, by a decoder reading twice */
	flip(h, buf + H_HOST_LEN, &nul, &x, 1);
}

void sh_race_canon(SH_ARGS)
{
	static const uint8_t nul = 0, x = 'X';

	put_ai(buf, 0, AF_INET, SOCK_STREAM, IPPROTO_TCP, sizeof(struct sockaddr_in));
	memset(buf + AI_SZ, 'c', H_CANON_LEN);
	buf[AI_SZ + H_CANON_LEN] = '\0';
	gai_ans(rs, 0, 1, AI_SZ + H_CANON_LEN + 1);
	flip(h, buf + AI_SZ + H_CANON_LEN, &nul, &x, 1);
}

void sh_race_stat(SH_ARGS)
{
	struct tzm_wire_stat w;
	int64_t bad = 1000000000;

	valid_stat(&w);
	stat_ans(buf, rs, &w, sizeof(w));
	flip(h, buf + offsetof(struct tzm_wire_stat, ctime_nsec), &w.ctime_nsec, &bad, sizeof(bad));
}

void sh_race_dirent(SH_ARGS)
{
	char longname[H_LONG_NAME + 1];
	uint16_t good = 5, bad = 300;
	size_t first = 0, n = 0;

	memset(longname, 'd', H_LONG_NAME);
	longname[H_LONG_NAME] = '\0';
	first = put_dirent(buf, DT_REG, H_LONG_NAME, 16 + ((H_LONG_NAME + 7) & ~7u), longname);
	n = first + put_dirent(buf + first, DT_REG, good, 24, "entry");
	ans(rs, (int64_t)n, (uint32_t)n);
	flip(h, buf + first + offsetof(struct tzm_wire_dirent, namelen), &good, &bad, sizeof(good));
}

void sh_race_resp_header(SH_ARGS)
{
	uint32_t len_a = 4, len_b = 0x7fffffffu;
	int64_t ret_a = 4, ret_b = (int64_t)1 << 40;

	memcpy(buf, "abcd", 4);
	ans(rs, 4, 4);
	/* the header the TA copies out of the ctrl page, rewritten after publication */
	flip(h, &h->chan->ctrl->slots[h->chan->cur_slot].resp.data_len, &len_a, &len_b,
	     sizeof(len_a));
	flip(h, &h->chan->ctrl->slots[h->chan->cur_slot].resp.ret, &ret_a, &ret_b, sizeof(ret_a));
}

/* ---- record locks (the TA asks F_GETLK/F_SETLK for [10, 20)) ---- */

static void holder(struct tzm_wire_resp *rs, int64_t type, int64_t whence, int64_t start,
		   int64_t len, int64_t pid)
{
	ans(rs, 0, 0);
	rs->aux[0] = type;
	rs->aux[1] = whence;
	rs->aux[2] = start;
	rs->aux[3] = len;
	rs->aux[4] = pid;
}

void sh_getlk_bad_type(SH_ARGS)
{
	holder(rs, 7, SEEK_SET, 10, 10, 4242);
}

void sh_getlk_read_vs_read(SH_ARGS)
{
	holder(rs, F_RDLCK, SEEK_SET, 10, 10, 4242); /* the TA asked for a read lock */
}

void sh_getlk_whence_cur(SH_ARGS)
{
	holder(rs, F_WRLCK, SEEK_CUR, 10, 10, 4242);
}

void sh_getlk_negative_start(SH_ARGS)
{
	holder(rs, F_WRLCK, SEEK_SET, -5, 20, 4242);
}

void sh_getlk_range_overflow(SH_ARGS)
{
	holder(rs, F_WRLCK, SEEK_SET, INT64_MAX - 1, 10, 4242);
}

void sh_getlk_disjoint(SH_ARGS)
{
	holder(rs, F_WRLCK, SEEK_SET, 30, 5, 4242);
}

void sh_getlk_pid_range(SH_ARGS)
{
	holder(rs, F_WRLCK, SEEK_SET, 10, 10, (int64_t)1 << 40);
}

void sh_getlk_own_pid(SH_ARGS)
{
	holder(rs, F_WRLCK, SEEK_SET, 10, 10, getpid()); /* the TA's pid is ours */
}

void sh_getlk_unlocked_legit(SH_ARGS)
{
	holder(rs, F_UNLCK, 99, -7, -7, -7); /* only l_type counts */
}

void sh_getlk_ofd_holder_legit(SH_ARGS)
{
	holder(rs, F_WRLCK, SEEK_SET, 0, 0, -1); /* an OFD lock on the whole file */
}

void sh_setlk_ret_nonzero(SH_ARGS)
{
	ans(rs, 5, 0);
}

void sh_setlk_errno_foreign(SH_ARGS)
{
	err_ans(rs, ECONNREFUSED); /* not one a lock can answer */
}
