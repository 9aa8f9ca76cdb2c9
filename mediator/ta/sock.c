/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Sockets forwarded to the shadow: UNIX (stream, dgram, seqpacket; path and abstract
 * names), TCP and UDP over IPv4/IPv6. Addresses travel as raw Linux sockaddr bytes (same
 * architecture on both sides); every address coming back is length-checked against
 * TZM_WIRE_MAX_SOCKADDR and family-checked before it is copied to the caller, with the
 * usual truncation rule (copy min(provided, actual), report actual).
 */
/* glibc's _GNU_SOURCE prototypes use a transparent union for addresses; define the
 * functions against the plain POSIX prototypes instead. */
#undef _GNU_SOURCE
#define _DEFAULT_SOURCE 1

#include <errno.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>

#include "tzm_io.h"
#include "tzm_int.h"

#define MAX_OPTLEN 256

#ifndef TZM_TA_OPTEE /* glibc declares it only with _GNU_SOURCE; the OP-TEE headers do */
int accept4(int fd, struct sockaddr *addr, socklen_t *addrlen, int flags);
#endif

static int check_addr_in(const struct sockaddr *addr, socklen_t len)
{
	if (len > 0 && !addr) {
		errno = EFAULT;
		return -1;
	}
	if (len > TZM_WIRE_MAX_SOCKADDR) {
		errno = EINVAL;
		return -1;
	}
	return 0;
}

bool tzm__sockaddr_ok(const uint8_t *a, size_t alen)
{
	sa_family_t fam = 0;

	if (alen == 0) {
		return true; /* no address (e.g. a connected stream socket) */
	}
	if (alen < sizeof(fam) || alen > TZM_WIRE_MAX_SOCKADDR) {
		return false;
	}
	memcpy(&fam, a, sizeof(fam));
	switch (fam) {
	case AF_INET:
		return alen == sizeof(struct sockaddr_in);
	case AF_INET6:
		return alen == sizeof(struct sockaddr_in6);
	case AF_UNIX:
		/*
		 * Linux reports a 108-byte path with the NUL it keeps after sun_path: one
		 * byte longer than a sockaddr_un, and that byte is always NUL.
		 */
		return alen <= sizeof(struct sockaddr_un) ||
		       (alen == sizeof(struct sockaddr_un) + 1 && a[alen - 1] == '\0');
	default:
		return false;
	}
}

/*
 * Hands an address from the shadow (a local copy) to the caller with the usual
 * truncation rule: copy min(provided, actual) bytes, report the actual length.
 */
static int give_addr(const struct tzm__call *c, const uint8_t *a, size_t alen,
		     struct sockaddr *addr, socklen_t *addrlen)
{
	if (!tzm__sockaddr_ok(a, alen)) {
		return (int)tzm__malformed(c, "bad address family/length");
	}
	if (addr && addrlen) {
		size_t n = alen < *addrlen ? alen : *addrlen;

		memcpy(addr, a, n);
		*addrlen = (socklen_t)alen;
	} else if (addrlen) {
		*addrlen = (socklen_t)alen;
	}
	return 0;
}

static int new_fd_call(struct tzm__call *c)
{
	int64_t r = tzm__invoke(c);

	if (r < 0 || tzm__fd_accept_new(c, r) != 0) {
		return -1;
	}
	return (int)r;
}

int socket(int domain, int type, int protocol)
{
	struct tzm__call c;

	tzm__begin(&c, TZM_OP_SOCKET);
	c.req.args[0] = domain;
	c.req.args[1] = type;
	c.req.args[2] = protocol;
	return new_fd_call(&c);
}

int socketpair(int domain, int type, int protocol, int sv[2])
{
	struct tzm__call c;

	tzm__begin(&c, TZM_OP_SOCKETPAIR);
	c.req.args[0] = domain;
	c.req.args[1] = type;
	c.req.args[2] = protocol;
	if (tzm__invoke(&c) < 0) {
		return -1;
	}
	return tzm__fd_accept_pair(&c, c.resp.aux[0], c.resp.aux[1], sv);
}

static int addr_call(uint32_t op, int fd, const struct sockaddr *addr, socklen_t len)
{
	struct tzm__call c;

	if (check_addr_in(addr, len) != 0) {
		return -1;
	}
	tzm__begin(&c, op);
	c.req.args[0] = fd;
	memcpy(c.buf, addr, len);
	c.req.data_len = len;
	return tzm__invoke(&c) < 0 ? -1 : 0;
}

int bind(int fd, const struct sockaddr *addr, socklen_t len)
{
	return addr_call(TZM_OP_BIND, fd, addr, len);
}

int connect(int fd, const struct sockaddr *addr, socklen_t len)
{
	return addr_call(TZM_OP_CONNECT, fd, addr, len);
}

int listen(int fd, int backlog)
{
	return tzm__args_call(TZM_OP_LISTEN, fd, backlog, 0) < 0 ? -1 : 0;
}

int accept4(int fd, struct sockaddr *addr, socklen_t *addrlen, int flags)
{
	struct tzm__call c;
	uint8_t a[TZM_WIRE_MAX_SOCKADDR];
	int64_t r = 0;
	size_t alen = 0;

	if (addr && !addrlen) {
		errno = EFAULT;
		return -1;
	}
	tzm__begin(&c, TZM_OP_ACCEPT4);
	c.req.args[0] = fd;
	c.req.args[1] = flags;
	c.req.args[2] = addr != NULL;
	r = tzm__invoke(&c);
	if (r < 0) {
		return -1;
	}
	alen = c.resp.data_len;
	if (alen > sizeof(a)) {
		return (int)tzm__malformed(&c, "address too long");
	}
	memcpy(a, c.buf, alen);
	/* the whole answer is checked before the new descriptor enters the table */
	if (addr && !tzm__sockaddr_ok(a, alen)) {
		return (int)tzm__malformed(&c, "bad address family/length");
	}
	if (tzm__fd_accept_new(&c, r) != 0) {
		return -1;
	}
	if (addr) {
		(void)give_addr(&c, a, alen, addr, addrlen);
	}
	return (int)r;
}

int accept(int fd, struct sockaddr *addr, socklen_t *addrlen)
{
	return accept4(fd, addr, addrlen, 0);
}

ssize_t sendto(int fd, const void *buf, size_t len, int flags, const struct sockaddr *addr,
	       socklen_t addrlen)
{
	struct iovec iov = { .iov_base = (void *)buf, .iov_len = len };
	struct tzm__xfer x = { .op = TZM_OP_SENDTO,
			       .args = { fd, flags, addr ? addrlen : 0 },
			       .total_arg = 3,
			       .offset_arg = -1,
			       .prefix = addr,
			       .prefix_len = addr ? addrlen : 0 };

	if (addr && check_addr_in(addr, addrlen) != 0) {
		return -1;
	}
	return tzm__send_iov(&x, &iov, 1);
}

ssize_t send(int fd, const void *buf, size_t len, int flags)
{
	return sendto(fd, buf, len, flags, NULL, 0);
}

ssize_t sendmsg(int fd, const struct msghdr *msg, int flags)
{
	struct tzm__xfer x = { .op = TZM_OP_SENDTO, .total_arg = 3, .offset_arg = -1 };

	if (!msg) {
		errno = EFAULT;
		return -1;
	}
	if (msg->msg_controllen > 0) {
		return tzm__unsupported("sendmsg(msg_control)");
	}
	if (msg->msg_name && check_addr_in(msg->msg_name, msg->msg_namelen) != 0) {
		return -1;
	}
	x.args[0] = fd;
	x.args[1] = flags;
	x.args[2] = msg->msg_name ? msg->msg_namelen : 0;
	x.prefix = msg->msg_name;
	x.prefix_len = msg->msg_name ? msg->msg_namelen : 0;
	return tzm__send_iov(&x, msg->msg_iov, (int)msg->msg_iovlen);
}

static ssize_t do_recv(int fd, const struct iovec *iov, int iovcnt, int flags,
		       struct sockaddr *addr, socklen_t *addrlen, int *msg_flags)
{
	struct tzm__xfer x = { .op = TZM_OP_RECVFROM,
			       .args = { fd, 0, flags, addr != NULL },
			       .total_arg = 1,
			       .offset_arg = -1 };
	struct tzm__recv_out out;
	struct tzm__call c;
	ssize_t r = 0;

	memset(&out, 0, sizeof(out));
	out.trunc_ok = (flags & MSG_TRUNC) != 0;
	r = tzm__recv_iov(&x, iov, iovcnt, &out);
	if (r < 0) {
		return -1;
	}
	memset(&c, 0, sizeof(c));
	c.req.opcode = TZM_OP_RECVFROM;
	/* out.addr passed tzm__sockaddr_ok in tzm__recv_iov, before any data was delivered */
	(void)give_addr(&c, out.addr, out.addrlen, addr, addrlen);
	if (msg_flags) {
		*msg_flags = out.msg_flags & (MSG_TRUNC | MSG_CTRUNC | MSG_EOR | MSG_OOB);
	}
	return r;
}

ssize_t recvfrom(int fd, void *buf, size_t len, int flags, struct sockaddr *addr,
		 socklen_t *addrlen)
{
	struct iovec iov = { .iov_base = buf, .iov_len = len };

	if (addr && !addrlen) {
		errno = EFAULT;
		return -1;
	}
	return do_recv(fd, &iov, 1, flags, addr, addrlen, NULL);
}

ssize_t recv(int fd, void *buf, size_t len, int flags)
{
	return recvfrom(fd, buf, len, flags, NULL, NULL);
}

ssize_t recvmsg(int fd, struct msghdr *msg, int flags)
{
	socklen_t alen = 0;
	int mflags = 0;
	ssize_t r = 0;

	if (!msg) {
		errno = EFAULT;
		return -1;
	}
	alen = msg->msg_namelen;
	r = do_recv(fd, msg->msg_iov, (int)msg->msg_iovlen, flags, msg->msg_name,
		    msg->msg_name ? &alen : NULL, &mflags);
	if (r < 0) {
		return -1;
	}
	if (msg->msg_name) {
		msg->msg_namelen = alen;
	}
	msg->msg_controllen = 0;
	msg->msg_flags = mflags;
	return r;
}

int shutdown(int fd, int how)
{
	return tzm__args_call(TZM_OP_SHUTDOWN, fd, how, 0) < 0 ? -1 : 0;
}

int getsockopt(int fd, int level, int name, void *val, socklen_t *len)
{
	struct tzm__call c;
	size_t want = 0;

	if (!len || (*len > 0 && !val)) {
		errno = EFAULT;
		return -1;
	}
	want = *len < MAX_OPTLEN ? *len : MAX_OPTLEN;
	tzm__begin(&c, TZM_OP_GETSOCKOPT);
	c.req.args[0] = fd;
	c.req.args[1] = level;
	c.req.args[2] = name;
	c.req.args[3] = (int64_t)want;
	if (tzm__invoke(&c) < 0) {
		return -1;
	}
	if (c.resp.data_len > want) {
		return (int)tzm__malformed(&c, "option longer than the buffer");
	}
	memcpy(val, c.buf, c.resp.data_len);
	*len = c.resp.data_len;
	return 0;
}

int setsockopt(int fd, int level, int name, const void *val, socklen_t len)
{
	struct tzm__call c;

	if (len > MAX_OPTLEN) {
		errno = EINVAL;
		return -1;
	}
	if (len > 0 && !val) {
		errno = EFAULT;
		return -1;
	}
	tzm__begin(&c, TZM_OP_SETSOCKOPT);
	c.req.args[0] = fd;
	c.req.args[1] = level;
	c.req.args[2] = name;
	memcpy(c.buf, val, len);
	c.req.data_len = len;
	return tzm__invoke(&c) < 0 ? -1 : 0;
}

static int name_call(uint32_t op, int fd, struct sockaddr *addr, socklen_t *addrlen)
{
	struct tzm__call c;
	uint8_t a[TZM_WIRE_MAX_SOCKADDR];

	if (!addrlen || !addr) {
		errno = EFAULT;
		return -1;
	}
	tzm__begin(&c, op);
	c.req.args[0] = fd;
	if (tzm__invoke(&c) < 0) {
		return -1;
	}
	if (c.resp.data_len > sizeof(a)) {
		return (int)tzm__malformed(&c, "address too long");
	}
	memcpy(a, c.buf, c.resp.data_len);
	return give_addr(&c, a, c.resp.data_len, addr, addrlen);
}

int getsockname(int fd, struct sockaddr *addr, socklen_t *addrlen)
{
	return name_call(TZM_OP_GETSOCKNAME, fd, addr, addrlen);
}

int getpeername(int fd, struct sockaddr *addr, socklen_t *addrlen)
{
	return name_call(TZM_OP_GETPEERNAME, fd, addr, addrlen);
}
