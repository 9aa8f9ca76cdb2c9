/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * libFuzzer target for libtzm's response decoding (the TA side of the Iago boundary). A
 * fake transport answers every call with the next record of the input: a 64-byte
 * tzm_wire_resp header, a 32-bit blob length and the blob, copied into a data area whose
 * bytes beyond the announced length are ASan-poisoned, so a decoder reading past what the
 * shadow sent is caught, as is any write outside the caller's buffers. The first input
 * byte selects the POSIX call sequence. libtzm is linked as an object whose symbols carry
 * the prefix tzmf_ (rename-syms.sh), so it does not replace the fuzzer's own libc calls.
 */
#include <errno.h>
#include <fcntl.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netdb.h>
#include <poll.h>
#include <sanitizer/asan_interface.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <time.h>

/*
 * The libtzm internals this harness touches, under their renamed names. The entry hooks
 * libtzm calls (tzm__user_main, tzm__raw_exit) are defined here and keep their names.
 */
#define tzm__rt tzmf_tzm__rt
#define tzm__rt_start tzmf_tzm__rt_start
#define tzm__ep_reset tzmf_tzm__ep_reset
#include "../ta/tzm_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* libtzm's POSIX functions, renamed */
ssize_t tzmf_read(int fd, void *buf, size_t n);
ssize_t tzmf_write(int fd, const void *buf, size_t n);
ssize_t tzmf_readv(int fd, const struct iovec *iov, int n);
ssize_t tzmf_recvfrom(int fd, void *buf, size_t n, int flags, struct sockaddr *a, socklen_t *alen);
ssize_t tzmf_recvmsg(int fd, struct msghdr *m, int flags);
int tzmf_accept4(int fd, struct sockaddr *a, socklen_t *alen, int flags);
int tzmf_getsockname(int fd, struct sockaddr *a, socklen_t *alen);
int tzmf_getpeername(int fd, struct sockaddr *a, socklen_t *alen);
int tzmf_getsockopt(int fd, int level, int name, void *v, socklen_t *len);
int tzmf_socket(int d, int t, int p);
int tzmf_socketpair(int d, int t, int p, int sv[2]);
int tzmf_pipe2(int fds[2], int flags);
int tzmf_openat(int dirfd, const char *path, int flags, ...);
int tzmf_dup(int fd);
int tzmf_dup2(int fd, int nfd);
int tzmf_fcntl(int fd, int cmd, ...);
int tzmf_close(int fd);
off_t tzmf_lseek(int fd, off_t off, int whence);
int tzmf_fstat(int fd, struct stat *st);
int tzmf_stat(const char *path, struct stat *st);
int tzmf_poll(struct pollfd *fds, nfds_t n, int timeout);
int tzmf_select(int n, fd_set *r, fd_set *w, fd_set *e, struct timeval *tv);
int tzmf_epoll_create1(int flags);
int tzmf_epoll_ctl(int ep, int op, int fd, struct epoll_event *ev);
int tzmf_epoll_wait(int ep, struct epoll_event *evs, int max, int timeout);
void *tzmf_opendir(const char *path);
void *tzmf_readdir(void *d);
int tzmf_closedir(void *d);
int tzmf_getaddrinfo(const char *node, const char *serv, const struct addrinfo *hints,
		     struct addrinfo **res);
void tzmf_freeaddrinfo(struct addrinfo *ai);
int tzmf_getnameinfo(const struct sockaddr *sa, socklen_t salen, char *host, socklen_t hl,
		     char *serv, socklen_t sl, int flags);
ssize_t tzmf_mq_receive(int q, char *msg, size_t len, unsigned *prio);
int tzmf_mq_getattr(int q, void *attr);
int tzmf_mq_open(const char *name, int oflag, ...);
int tzmf_clock_gettime(clockid_t id, struct timespec *ts);
int tzmf_lockf(int fd, int cmd, off_t len);
int tzmf_getifaddrs(struct ifaddrs **ifap);
void tzmf_freeifaddrs(struct ifaddrs *ifa);
struct if_nameindex *tzmf_if_nameindex(void);
void tzmf_if_freenameindex(struct if_nameindex *p);
unsigned int tzmf_if_nametoindex(const char *name);
char *tzmf_if_indextoname(unsigned int index, char *name);

#define DATA_SIZE (256u * 1024u)

static uint8_t *area;
static const uint8_t *in;
static size_t in_left;
static struct tzm_transport tp;

static uint8_t *fz_buffer(struct tzm_transport *t, size_t *cap)
{
	(void)t;
	ASAN_UNPOISON_MEMORY_REGION(area, DATA_SIZE); /* the TA writes its request here */
	*cap = DATA_SIZE;
	return area;
}

static int fz_call(struct tzm_transport *t, const struct tzm_wire_req *req,
		   struct tzm_wire_resp *resp)
{
	uint32_t blen = 0;
	size_t n = 0;

	(void)t;
	(void)req;
	if (in_left < sizeof(*resp) + sizeof(blen)) {
		return -EIO; /* the shadow went away: the channel is broken */
	}
	memcpy(resp, in, sizeof(*resp));
	memcpy(&blen, in + sizeof(*resp), sizeof(blen));
	in += sizeof(*resp) + sizeof(blen);
	in_left -= sizeof(*resp) + sizeof(blen);
	n = blen < in_left ? blen : in_left;
	n = n < DATA_SIZE ? n : DATA_SIZE;
	memcpy(area, in, n);
	in += n;
	in_left -= n;
	/* whatever lies beyond what the header announces is off limits to the decoder */
	if (resp->data_len < DATA_SIZE) {
		ASAN_POISON_MEMORY_REGION(area + resp->data_len, DATA_SIZE - resp->data_len);
	}
	return 0;
}

static int fz_sleep(struct tzm_transport *t, uint32_t ms)
{
	(void)t;
	(void)ms;
	return 0;
}

static bool fz_cancelled(struct tzm_transport *t)
{
	(void)t;
	return false;
}

static const struct tzm_transport_ops fz_ops = {
	.name = "fuzz",
	.buffer = fz_buffer,
	.call = fz_call,
	.sleep_ms = fz_sleep,
	.cancelled = fz_cancelled,
};

int tzm__user_main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return 0;
}

void tzm__raw_exit(int status)
{
	(void)status;
	abort(); /* libtzm must not end the program from a decoder */
}

static void start(void)
{
	struct tzm_wire_setup s;

	area = malloc(DATA_SIZE);
	if (!area) {
		abort();
	}
	memset(&s, 0, sizeof(s));
	s.version = TZM_WIRE_VERSION;
	s.arch = TZM_WIRE_ARCH;
	s.argc = 1;
	s.strings_len = 5;
	s.max_chunk = DATA_SIZE;
	s.max_fds = 64;
	memcpy(area, &s, sizeof(s));
	memcpy(area + sizeof(s), "fuzz", 5);
	tp.ops = &fz_ops;
	if (tzm__rt_start(&tp, sizeof(s) + 5) != 0) {
		abort();
	}
}

/* A buffer of n bytes exactly (ASan catches a write past it). */
static void *exact(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (!p) {
		abort();
	}
	return p;
}

static void run(uint8_t sel, uint8_t arg)
{
	size_t n = 1 + (size_t)arg * 37; /* caller buffer sizes 1..9436 */
	struct sockaddr_storage ss;
	socklen_t alen = (socklen_t)(arg % (sizeof(ss) + 1));
	struct stat st;
	uint8_t *b = NULL;

	switch (sel % 24) {
	case 0:
		b = exact(n);
		(void)tzmf_read(3, b, n);
		break;
	case 1: {
		struct iovec iov[3];
		uint8_t *b2 = exact(7), *b3 = exact(n);

		b = exact(1);
		iov[0] = (struct iovec){ b, 1 };
		iov[1] = (struct iovec){ b2, 7 };
		iov[2] = (struct iovec){ b3, n };
		(void)tzmf_readv(3, iov, 3);
		free(b2);
		free(b3);
		break;
	}
	case 2: {
		uint8_t *a = exact(alen);

		b = exact(n);
		(void)tzmf_recvfrom(3, b, n, (arg & 1) ? MSG_TRUNC : 0, (struct sockaddr *)a,
				    &alen);
		free(a);
		break;
	}
	case 3: {
		struct msghdr m;
		struct iovec iov = { NULL, n };
		uint8_t *a = exact(alen);

		b = exact(n);
		iov.iov_base = b;
		memset(&m, 0, sizeof(m));
		m.msg_name = a;
		m.msg_namelen = alen;
		m.msg_iov = &iov;
		m.msg_iovlen = 1;
		(void)tzmf_recvmsg(3, &m, 0);
		free(a);
		break;
	}
	case 4:
		b = exact(alen);
		(void)tzmf_accept4(3, (struct sockaddr *)b, &alen, 0);
		break;
	case 5:
		b = exact(alen);
		(void)((arg & 1) ? tzmf_getsockname : tzmf_getpeername)(3, (struct sockaddr *)b,
									&alen);
		break;
	case 6: {
		socklen_t len = (socklen_t)(arg % 64);

		b = exact(len);
		(void)tzmf_getsockopt(3, SOL_SOCKET, SO_TYPE, b, &len);
		break;
	}
	case 7: {
		int sv[2] = { -1, -1 };

		(void)tzmf_socket(AF_INET, SOCK_STREAM, 0);
		(void)tzmf_socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
		(void)tzmf_pipe2(sv, 0);
		(void)tzmf_openat(AT_FDCWD, "f", O_RDONLY);
		break;
	}
	case 8:
		(void)tzmf_dup(3);
		(void)tzmf_dup2(3, arg % 80);
		(void)tzmf_fcntl(3, F_DUPFD, arg % 80);
		(void)tzmf_fcntl(3, F_GETFD);
		(void)tzmf_fcntl(3, F_GETFL);
		(void)tzmf_close(arg % 80);
		(void)tzmf_lseek(3, 0, SEEK_CUR);
		break;
	case 9:
		(void)tzmf_fstat(3, &st);
		(void)tzmf_stat("f", &st);
		break;
	case 10: {
		struct pollfd *p = exact(sizeof(*p) * 3);

		for (int i = 0; i < 3; i++) {
			p[i] = (struct pollfd){ .fd = i == 2 ? -1 : 3 + i, .events = POLLIN };
		}
		(void)tzmf_poll(p, 3, 0);
		free(p);
		break;
	}
	case 11: {
		fd_set r, w;
		struct timeval tv = { 0, 0 };

		FD_ZERO(&r);
		FD_ZERO(&w);
		FD_SET(3, &r);
		FD_SET(4, &w);
		(void)tzmf_select(5, &r, &w, NULL, &tv);
		break;
	}
	case 12: {
		int ep = tzmf_epoll_create1(0);
		struct epoll_event ev = { .events = EPOLLIN, .data.u64 = arg };
		int max = 1 + arg % 8;
		struct epoll_event *evs = exact(sizeof(*evs) * (size_t)max);

		(void)tzmf_epoll_ctl(ep, EPOLL_CTL_ADD, 3, &ev);
		(void)tzmf_epoll_ctl(ep, EPOLL_CTL_MOD, 3, &ev);
		(void)tzmf_epoll_wait(ep, evs, max, 0);
		(void)tzmf_epoll_ctl(ep, EPOLL_CTL_DEL, 3, NULL);
		(void)tzmf_epoll_wait(ep, evs, max, 0);
		free(evs);
		break;
	}
	case 13: {
		void *d = tzmf_opendir("d");

		for (int i = 0; d && i < 16; i++) {
			(void)tzmf_readdir(d);
		}
		if (d) {
			(void)tzmf_closedir(d);
		}
		break;
	}
	case 14:
	case 15: {
		struct addrinfo hints, *res = NULL;

		memset(&hints, 0, sizeof(hints));
		hints.ai_family = (arg & 1) ? AF_UNSPEC : AF_INET;
		hints.ai_socktype = (arg & 2) ? 0 : SOCK_STREAM;
		hints.ai_protocol = (arg & 4) ? 0 : IPPROTO_TCP;
		hints.ai_flags = (arg & 8) ? AI_CANONNAME : 0;
		if (tzmf_getaddrinfo("h", (arg & 16) ? NULL : "80", &hints, &res) == 0) {
			for (struct addrinfo *ai = res; ai; ai = ai->ai_next) {
				volatile uint8_t sink =
					((const uint8_t *)ai->ai_addr)[ai->ai_addrlen - 1];

				(void)sink;
				if (ai->ai_canonname) {
					(void)strlen(ai->ai_canonname);
				}
			}
			tzmf_freeaddrinfo(res);
		}
		break;
	}
	case 16: {
		struct sockaddr_in sin = { .sin_family = AF_INET };
		size_t hl = arg % 40, sl = arg % 9;
		char *host = exact(hl), *serv = exact(sl);

		if (tzmf_getnameinfo((struct sockaddr *)&sin, sizeof(sin), hl ? host : NULL,
				     (socklen_t)hl, sl ? serv : NULL, (socklen_t)sl, 0) == 0) {
			(void)(hl ? strlen(host) : 0);
			(void)(sl ? strlen(serv) : 0);
		}
		free(host);
		free(serv);
		break;
	}
	case 17: {
		unsigned prio = 0;
		long attr[8];

		b = exact(n);
		(void)tzmf_mq_receive(3, (char *)b, n, &prio);
		(void)tzmf_mq_getattr(3, attr);
		(void)tzmf_mq_open("/q", O_RDONLY);
		break;
	}
	case 18: {
		struct timespec ts;

		(void)tzmf_clock_gettime(CLOCK_REALTIME, &ts);
		(void)tzmf_clock_gettime(CLOCK_MONOTONIC, &ts);
		break;
	}
	case 20: {
		/* record locks: F_GETLK's holder decoding, the setters' results */
		struct flock *fl = (struct flock *)(void *)exact(sizeof(struct flock));

		fl->l_type = arg & 1 ? F_RDLCK : F_WRLCK;
		fl->l_whence = arg & 2 ? SEEK_CUR : SEEK_SET;
		fl->l_start = arg;
		fl->l_len = (off_t)(arg % 7) - 3;
		fl->l_pid = 0;
		(void)tzmf_fcntl(3, arg & 4 ? F_OFD_GETLK : F_GETLK, fl);
		(void)tzmf_fcntl(3, arg & 8 ? F_OFD_SETLK : F_SETLKW, fl);
		(void)tzmf_lockf(3, F_TEST, arg);
		free(fl);
		break;
	}
	case 21: {
		/* interface lists: every byte of what was built is read, then freed */
		struct ifaddrs *list = NULL;

		if (tzmf_getifaddrs(&list) == 0) {
			for (struct ifaddrs *ifa = list; ifa; ifa = ifa->ifa_next) {
				(void)strlen(ifa->ifa_name);
				for (struct sockaddr *sa = ifa->ifa_addr; sa; sa = NULL) {
					volatile uint8_t sink = ((const uint8_t *)sa)[1];

					(void)sink;
				}
				if (ifa->ifa_netmask || ifa->ifa_broadaddr) {
					volatile int sink = ifa->ifa_netmask
								    ? ifa->ifa_netmask->sa_family
								    : ifa->ifa_broadaddr->sa_family;

					(void)sink;
				}
			}
			tzmf_freeifaddrs(list);
		}
		break;
	}
	case 22: {
		struct if_nameindex *ni = tzmf_if_nameindex();
		char *name = exact(IF_NAMESIZE);

		for (struct if_nameindex *p = ni; p && (p->if_index || p->if_name); p++) {
			(void)strlen(p->if_name);
		}
		tzmf_if_freenameindex(ni);
		(void)tzmf_if_nametoindex((arg & 1) ? "eth0" : "a-name-too-long-for-it");
		if (tzmf_if_indextoname(arg, name)) {
			(void)strlen(name);
		}
		free(name);
		break;
	}
	case 19:
		b = exact(n + DATA_SIZE);
		memset(b, 'w', n + DATA_SIZE);
		(void)tzmf_write(3, b, n + DATA_SIZE); /* two chunks: two answers */
		break;
	default: {
		/* sequences: a few reads then a close, as a program would */
		b = exact(n);
		for (int i = 0; i < 4; i++) {
			(void)tzmf_read(3 + i, b, n);
		}
		(void)tzmf_close(3);
		break;
	}
	}
	free(b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!area) {
		start();
	}
	if (size < 2) {
		return 0;
	}
	/* every input starts from the same TA state: fds 0..9 open, no epoll sets */
	tzm__ep_reset();
	memset(tzm__rt.fd_open, 0, sizeof(tzm__rt.fd_open));
	for (int i = 0; i < 10; i++) {
		tzm__rt.fd_open[i] = 1;
	}
	in = data + 2;
	in_left = size - 2;
	run(data[0], data[1]);
	return 0;
}
