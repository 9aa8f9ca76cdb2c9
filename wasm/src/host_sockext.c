// SPDX-License-Identifier: BSD-2-Clause
/*
 * The "tzm" import module's sockets: what WASI preview 1 lacks to create, bind and connect
 * a socket (socket, bind, listen, connect, sendto, recvfrom, getsockname, getpeername,
 * setsockopt), as libtzm's calls, so the policy decides every bind and connect as for a
 * C TA. include/tzm_wasm.h gives Wasm programs the BSD names on top of these.
 *
 * Guest addresses use wasi-libc's layout: family u16 at 0 with wasi-libc's numbers
 * (AF_INET 1, AF_INET6 2, AF_UNIX 3); sockaddr_in: port @2, address @4; sockaddr_in6:
 * port @2, flowinfo @4, address @8, scope @24; sockaddr_un: path @2 (108 bytes, as
 * tzm_wasm.h's struct tzm_sockaddr_un). Socket types: SOCK_DGRAM 5, SOCK_STREAM 6,
 * SOCK_NONBLOCK 0x4000, SOCK_CLOEXEC 0x2000.
 */
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "host.h"

#define W_AF_INET 1u
#define W_AF_INET6 2u
#define W_AF_UNIX 3u
#define W_SOCK_DGRAM 5u
#define W_SOCK_STREAM 6u
#define W_SOCK_NONBLOCK 0x4000u
#define W_SOCK_CLOEXEC 0x2000u
#define W_SOL_SOCKET 0x7fffffffu
#define WASI_EAFNOSUPPORT 5u
#define WASI_ENOPROTOOPT 50u

/* guest sockaddr -> Linux (copied once, then converted) */
static u32 addr_in(u32 ptr, u32 len, struct sockaddr_storage *ss, socklen_t *sl)
{
	uint8_t a[sizeof(struct sockaddr_un) + 8] = { 0 };
	if (len < 2 || len > sizeof(a)) {
		return WASI_EINVAL;
	}
	u32 err = tzm__wasm_copy_in(a, ptr, len);
	if (err != 0) {
		return err;
	}
	uint16_t fam = 0;
	memcpy(&fam, a, 2);
	memset(ss, 0, sizeof(*ss));
	if (fam == W_AF_INET && len >= 8) {
		struct sockaddr_in *in = (struct sockaddr_in *)ss;
		in->sin_family = AF_INET;
		memcpy(&in->sin_port, a + 2, 2);
		memcpy(&in->sin_addr, a + 4, 4);
		*sl = sizeof(*in);
	} else if (fam == W_AF_INET6 && len >= 28) {
		struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)ss;
		in6->sin6_family = AF_INET6;
		memcpy(&in6->sin6_port, a + 2, 2);
		memcpy(&in6->sin6_flowinfo, a + 4, 4);
		memcpy(&in6->sin6_addr, a + 8, 16);
		memcpy(&in6->sin6_scope_id, a + 24, 4);
		*sl = sizeof(*in6);
	} else if (fam == W_AF_UNIX) {
		struct sockaddr_un *un = (struct sockaddr_un *)ss;
		un->sun_family = AF_UNIX;
		memcpy(un->sun_path, a + 2,
		       len - 2 > sizeof(un->sun_path) ? sizeof(un->sun_path) : len - 2);
		*sl = (socklen_t)(len > sizeof(*un) ? sizeof(*un) : len);
	} else {
		return fam == W_AF_INET || fam == W_AF_INET6 ? WASI_EINVAL : WASI_EAFNOSUPPORT;
	}
	return WASI_ESUCCESS;
}

/* Linux sockaddr -> its guest layout in a; returns the guest length (0: unnamed) */
static u32 addr_layout(const struct sockaddr_storage *ss, socklen_t sl,
		       uint8_t a[sizeof(struct sockaddr_un) + 8])
{
	u32 n = 0;
	if (ss->ss_family == AF_INET) {
		const struct sockaddr_in *in = (const struct sockaddr_in *)ss;
		uint16_t f = W_AF_INET;
		memcpy(a, &f, 2);
		memcpy(a + 2, &in->sin_port, 2);
		memcpy(a + 4, &in->sin_addr, 4);
		n = 16;
	} else if (ss->ss_family == AF_INET6) {
		const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)ss;
		uint16_t f = W_AF_INET6;
		memcpy(a, &f, 2);
		memcpy(a + 2, &in6->sin6_port, 2);
		memcpy(a + 4, &in6->sin6_flowinfo, 4);
		memcpy(a + 8, &in6->sin6_addr, 16);
		memcpy(a + 24, &in6->sin6_scope_id, 4);
		n = 32;
	} else if (ss->ss_family == AF_UNIX) {
		uint16_t f = W_AF_UNIX;
		memcpy(a, &f, 2);
		n = sl > 2 ? (u32)sl : 2;
		memcpy(a + 2, ((const struct sockaddr_un *)ss)->sun_path, n - 2);
	}
	return n;
}

/* Linux sockaddr -> guest buffer of *lenptr bytes (truncated as the kernel does) */
static u32 addr_out(const struct sockaddr_storage *ss, socklen_t sl, u32 ptr, u32 lenptr)
{
	uint8_t a[sizeof(struct sockaddr_un) + 8] = { 0 };
	u32 cap = 0;
	u32 err = tzm__wasm_load32(lenptr, &cap);
	if (err != 0) {
		return err;
	}
	u32 n = addr_layout(ss, sl, a);
	u32 copy = cap < n ? cap : n;
	uint8_t *dst = tzm__wasm_guest(ptr, copy);
	if (dst == NULL) {
		return WASI_EFAULT;
	}
	memcpy(dst, a, copy);
	return tzm__wasm_store32(lenptr, n);
}

u32 Z_tzmZ_sock_open(struct Z_tzm_instance_t *self, u32 domain, u32 type, u32 fd_out)
{
	(void)self;
	int d = domain == W_AF_INET    ? AF_INET
		: domain == W_AF_INET6 ? AF_INET6
		: domain == W_AF_UNIX  ? AF_UNIX
				       : -1;
	u32 base = type & ~(W_SOCK_NONBLOCK | W_SOCK_CLOEXEC);
	int t = base == W_SOCK_STREAM ? SOCK_STREAM : base == W_SOCK_DGRAM ? SOCK_DGRAM : -1;
	if (d < 0) {
		return WASI_EAFNOSUPPORT;
	}
	if (t < 0) {
		return WASI_EINVAL;
	}
	if (tzm__wasm_guest(fd_out, 4) == NULL) {
		return WASI_EFAULT;
	}
	t |= SOCK_CLOEXEC | (type & W_SOCK_NONBLOCK ? SOCK_NONBLOCK : 0);
	int h = socket(d, t, 0);
	if (h < 0) {
		return tzm__wasm_errno(errno);
	}
	return tzm__wasm_fd_install(h, TZM_WASM_DIR_NO, fd_out);
}

static u32 bind_or_connect(u32 fd, u32 addr, u32 len, bool do_bind)
{
	struct sockaddr_storage ss;
	socklen_t sl = 0;
	int h = -1;
	u32 err = tzm__wasm_fd_host(fd, WASI_ENOTSOCK, &h);
	if (err == 0) {
		err = addr_in(addr, len, &ss, &sl);
	}
	if (err != 0) {
		return err;
	}
	int rc = do_bind ? bind(h, (struct sockaddr *)&ss, sl)
			 : connect(h, (struct sockaddr *)&ss, sl);
	return rc == 0 ? WASI_ESUCCESS : tzm__wasm_errno(errno);
}

u32 Z_tzmZ_sock_bind(struct Z_tzm_instance_t *self, u32 fd, u32 addr, u32 len)
{
	(void)self;
	return bind_or_connect(fd, addr, len, true);
}

u32 Z_tzmZ_sock_connect(struct Z_tzm_instance_t *self, u32 fd, u32 addr, u32 len)
{
	(void)self;
	return bind_or_connect(fd, addr, len, false);
}

u32 Z_tzmZ_sock_listen(struct Z_tzm_instance_t *self, u32 fd, u32 backlog)
{
	int h = -1;
	(void)self;
	u32 err = tzm__wasm_fd_host(fd, WASI_ENOTSOCK, &h);
	if (err != 0) {
		return err;
	}
	return listen(h, (int)(backlog > 4096 ? 4096 : backlog)) == 0 ? WASI_ESUCCESS
								      : tzm__wasm_errno(errno);
}

u32 Z_tzmZ_sock_sendto(struct Z_tzm_instance_t *self, u32 fd, u32 buf, u32 len, u32 flags, u32 addr,
		       u32 addr_len, u32 sent_out)
{
	struct sockaddr_storage ss;
	socklen_t sl = 0;
	int h = -1;
	(void)self;
	u32 err = tzm__wasm_fd_host(fd, WASI_ENOTSOCK, &h);
	if (err == 0 && addr_len != 0) {
		err = addr_in(addr, addr_len, &ss, &sl);
	}
	const uint8_t *p = tzm__wasm_guest(buf, len);
	if (err == 0 && (p == NULL || tzm__wasm_guest(sent_out, 4) == NULL)) {
		err = WASI_EFAULT;
	}
	if (err == 0 && flags != 0) {
		err = WASI_EINVAL;
	}
	if (err != 0) {
		return err;
	}
	ssize_t n = sendto(h, p, len, 0, addr_len ? (struct sockaddr *)&ss : NULL, sl);
	return n < 0 ? tzm__wasm_errno(errno) : tzm__wasm_store32(sent_out, (uint32_t)n);
}

u32 Z_tzmZ_sock_recvfrom(struct Z_tzm_instance_t *self, u32 fd, u32 buf, u32 len, u32 flags,
			 u32 addr, u32 addr_len_ptr, u32 got_out)
{
	struct sockaddr_storage ss;
	socklen_t sl = sizeof(ss);
	int h = -1;
	(void)self;
	u32 err = tzm__wasm_fd_host(fd, WASI_ENOTSOCK, &h);
	uint8_t *p = tzm__wasm_guest(buf, len);
	if (err == 0 && (p == NULL || tzm__wasm_guest(got_out, 4) == NULL)) {
		err = WASI_EFAULT;
	}
	if (err == 0 && flags != 0) {
		err = WASI_EINVAL;
	}
	if (err != 0) {
		return err;
	}
	memset(&ss, 0, sizeof(ss));
	ssize_t n = recvfrom(h, p, len, 0, (struct sockaddr *)&ss, &sl);
	if (n < 0) {
		return tzm__wasm_errno(errno);
	}
	if (addr_len_ptr != 0) {
		err = addr_out(&ss, sl, addr, addr_len_ptr);
		if (err != 0) {
			return err;
		}
	}
	return tzm__wasm_store32(got_out, (uint32_t)n);
}

static u32 name_of(u32 fd, u32 addr, u32 len_ptr, bool peer)
{
	struct sockaddr_storage ss;
	socklen_t sl = sizeof(ss);
	int h = -1;
	u32 err = tzm__wasm_fd_host(fd, WASI_ENOTSOCK, &h);
	if (err != 0) {
		return err;
	}
	memset(&ss, 0, sizeof(ss));
	int rc = peer ? getpeername(h, (struct sockaddr *)&ss, &sl)
		      : getsockname(h, (struct sockaddr *)&ss, &sl);
	return rc != 0 ? tzm__wasm_errno(errno) : addr_out(&ss, sl, addr, len_ptr);
}

u32 Z_tzmZ_sock_getsockname(struct Z_tzm_instance_t *self, u32 fd, u32 addr, u32 len_ptr)
{
	(void)self;
	return name_of(fd, addr, len_ptr, false);
}

u32 Z_tzmZ_sock_getpeername(struct Z_tzm_instance_t *self, u32 fd, u32 addr, u32 len_ptr)
{
	(void)self;
	return name_of(fd, addr, len_ptr, true);
}

/* SOL_SOCKET (wasi-libc's 0x7fffffff or 1) and IPPROTO_TCP options with Linux numbers */
u32 Z_tzmZ_sock_setsockopt(struct Z_tzm_instance_t *self, u32 fd, u32 level, u32 name, u32 val,
			   u32 len)
{
	int h = -1;
	int v = 0;
	(void)self;
	u32 err = tzm__wasm_fd_host(fd, WASI_ENOTSOCK, &h);
	if (err != 0) {
		return err;
	}
	if (len != sizeof(int)) {
		return WASI_EINVAL;
	}
	err = tzm__wasm_copy_in(&v, val, len);
	if (err != 0) {
		return err;
	}
	int lvl = level == W_SOL_SOCKET || level == 1 ? SOL_SOCKET
		  : level == IPPROTO_TCP              ? IPPROTO_TCP
						      : -1;
	if (lvl < 0) {
		return WASI_ENOPROTOOPT;
	}
	return setsockopt(h, lvl, (int)name, &v, sizeof(v)) == 0 ? WASI_ESUCCESS
								 : tzm__wasm_errno(errno);
}

/* ---- tzm.addr_resolve: getaddrinfo (include/compat/netdb.h) ---- */
#define AI_NODE_MAX 1024u   /* NI_MAXHOST without the NUL */
#define AI_SERVICE_MAX 255u /* what the shadow takes */
#define AI_RECORD 52u       /* struct tzm_wasm_ai */
#define AI_KNOWN_FLAGS                                                                             \
	(AI_PASSIVE | AI_CANONNAME | AI_NUMERICHOST | AI_V4MAPPED | AI_ALL | AI_ADDRCONFIG |       \
	 AI_NUMERICSERV)

/* A guest string of len bytes, copied and NUL-terminated; ptr 0: none (*out = NULL). */
static u32 copy_name(u32 ptr, u32 len, u32 max, char *buf, const char **out)
{
	*out = NULL;
	if (ptr == 0) {
		return WASI_ESUCCESS;
	}
	if (len > max) {
		return WASI_ENAMETOOLONG;
	}
	const uint8_t *p = tzm__wasm_guest(ptr, len);
	if (p == NULL) {
		return WASI_EFAULT;
	}
	if (memchr(p, '\0', len) != NULL) {
		return WASI_EINVAL;
	}
	memcpy(buf, p, len);
	buf[len] = '\0';
	*out = buf;
	return WASI_ESUCCESS;
}

/* Guest hints (wasi-libc's numbers) -> Linux's; an EAI code when they cannot be. */
static int hints_in(const uint8_t *p, struct addrinfo *h)
{
	int32_t flags = 0;
	memcpy(&flags, p, 4);
	u32 fam = tzm__wasm_get32(p + 4);
	u32 type = tzm__wasm_get32(p + 8);
	u32 proto = tzm__wasm_get32(p + 12);
	memset(h, 0, sizeof(*h));
	if (flags & ~AI_KNOWN_FLAGS) {
		return EAI_BADFLAGS;
	}
	h->ai_flags = flags;
	h->ai_family = fam == 0            ? AF_UNSPEC
		       : fam == W_AF_INET  ? AF_INET
		       : fam == W_AF_INET6 ? AF_INET6
					   : -1;
	h->ai_socktype = type == 0               ? 0
			 : type == W_SOCK_STREAM ? SOCK_STREAM
			 : type == W_SOCK_DGRAM  ? SOCK_DGRAM
						 : -1;
	if (h->ai_family < 0) {
		return EAI_FAMILY;
	}
	if (h->ai_socktype < 0 || proto > 255) {
		return EAI_SOCKTYPE;
	}
	h->ai_protocol = (int)proto;
	return 0;
}

u32 Z_tzmZ_addr_resolve(struct Z_tzm_instance_t *self, u32 node, u32 node_len, u32 service,
			u32 service_len, u32 hints, u32 buf, u32 buf_len, u32 result)
{
	static char node_buf[AI_NODE_MAX + 1], service_buf[AI_SERVICE_MAX + 1];
	const char *n = NULL, *sv = NULL;
	struct addrinfo h, *res = NULL;
	int eai = 0;
	(void)self;
	/* copy -> validate every argument before anything is asked or written */
	u32 err = copy_name(node, node_len, AI_NODE_MAX, node_buf, &n);
	if (err == 0) {
		err = copy_name(service, service_len, AI_SERVICE_MAX, service_buf, &sv);
	}
	const uint8_t *hp = hints != 0 ? tzm__wasm_guest(hints, 16) : NULL;
	uint8_t *out = tzm__wasm_guest(buf, buf_len);
	if (err == 0 &&
	    ((hints != 0 && hp == NULL) || out == NULL || tzm__wasm_guest(result, 12) == NULL)) {
		err = WASI_EFAULT;
	}
	if (err != 0) {
		return err;
	}
	if (hp != NULL) {
		eai = hints_in(hp, &h);
	}
	if (eai == 0 && n == NULL && sv == NULL) {
		eai = EAI_NONAME;
	}
	if (eai == 0) {
		/* libtzm: resolved by the shadow, the answer validated and rebuilt here */
		eai = getaddrinfo(n, sv, hp != NULL ? &h : NULL, &res);
		if (eai == EAI_SYSTEM) {
			return tzm__wasm_errno(errno);
		}
	}
	u32 count = 0, used = 0, canon_len = 0;
	bool no_room = false;
	for (const struct addrinfo *ai = res; eai == 0 && ai != NULL; ai = ai->ai_next) {
		uint8_t rec[AI_RECORD] = { 0 };
		uint8_t a[sizeof(struct sockaddr_un) + 8] = { 0 };
		struct sockaddr_storage ss;
		u32 type = ai->ai_socktype == SOCK_STREAM  ? W_SOCK_STREAM
			   : ai->ai_socktype == SOCK_DGRAM ? W_SOCK_DGRAM
							   : 0;
		if (type == 0 || (ai->ai_family != AF_INET && ai->ai_family != AF_INET6) ||
		    ai->ai_addrlen > sizeof(ss)) {
			continue; /* no Wasm equivalent (raw sockets) */
		}
		if (buf_len - used < AI_RECORD) {
			no_room = true;
			break;
		}
		memset(&ss, 0, sizeof(ss));
		memcpy(&ss, ai->ai_addr, ai->ai_addrlen);
		u32 alen = addr_layout(&ss, ai->ai_addrlen, a);
		tzm__wasm_put32(rec, (uint32_t)ai->ai_flags);
		tzm__wasm_put32(rec + 4, ai->ai_family == AF_INET ? W_AF_INET : W_AF_INET6);
		tzm__wasm_put32(rec + 8, type);
		tzm__wasm_put32(rec + 12, (uint32_t)ai->ai_protocol);
		tzm__wasm_put32(rec + 16, alen);
		memcpy(rec + 20, a, alen);
		memcpy(out + used, rec, AI_RECORD);
		used += AI_RECORD;
		count++;
	}
	if (count > 0 && res->ai_canonname != NULL) {
		size_t cl = strlen(res->ai_canonname);
		if (cl <= buf_len - used) {
			memcpy(out + used, res->ai_canonname, cl);
			canon_len = (u32)cl;
		}
	}
	if (res != NULL) {
		freeaddrinfo(res);
	}
	if (eai == 0 && count == 0) {
		/* no room for one record, or nothing a Wasm program could use */
		eai = no_room ? EAI_OVERFLOW : EAI_NONAME;
	}
	uint8_t *r = tzm__wasm_guest(result, 12);
	tzm__wasm_put32(r, (uint32_t)eai);
	tzm__wasm_put32(r + 4, count);
	tzm__wasm_put32(r + 8, canon_len);
	return WASI_ESUCCESS;
}
