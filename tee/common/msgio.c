/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * tee_msg datagram I/O over SOCK_SEQPACKET; see msgio.h.
 */
#include "msgio.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

int tzm__msg_send(int sock, uint16_t cmd, uint32_t seq, uint32_t ret, uint32_t origin,
		  const void *part1, size_t len1, const void *part2, size_t len2, const int *fds,
		  int nfds)
{
	struct tee_msg_hdr hdr;
	struct iovec iov[3];
	struct msghdr mh;
	union {
		struct cmsghdr align;
		char buf[CMSG_SPACE(sizeof(int) * TEE_MSG_MAX_FDS)];
	} ctl;
	int niov = 0;
	ssize_t n;

	if (len1 > TEE_MSG_MAX_FIXED + TEE_MSG_MAX_PAYLOAD ||
	    len2 > TEE_MSG_MAX_FIXED + TEE_MSG_MAX_PAYLOAD - len1 || nfds < 0 ||
	    nfds > TEE_MSG_MAX_FDS) {
		return -EMSGSIZE;
	}
	memset(&hdr, 0, sizeof(hdr));
	hdr.magic = TEE_MSG_MAGIC;
	hdr.version = TEE_MSG_VERSION;
	hdr.cmd = cmd;
	hdr.seq = seq;
	hdr.ret = ret;
	hdr.origin = origin;
	hdr.len = (uint32_t)(len1 + len2);
	iov[niov].iov_base = &hdr;
	iov[niov++].iov_len = sizeof(hdr);
	if (len1) {
		iov[niov].iov_base = (void *)part1;
		iov[niov++].iov_len = len1;
	}
	if (len2) {
		iov[niov].iov_base = (void *)part2;
		iov[niov++].iov_len = len2;
	}
	memset(&mh, 0, sizeof(mh));
	mh.msg_iov = iov;
	mh.msg_iovlen = (size_t)niov;
	if (nfds > 0) {
		struct cmsghdr *c;

		memset(&ctl, 0, sizeof(ctl));
		mh.msg_control = ctl.buf;
		mh.msg_controllen = CMSG_SPACE(sizeof(int) * (size_t)nfds);
		c = CMSG_FIRSTHDR(&mh);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(sizeof(int) * (size_t)nfds);
		memcpy(CMSG_DATA(c), fds, sizeof(int) * (size_t)nfds);
	}
	do {
		n = sendmsg(sock, &mh, MSG_NOSIGNAL);
	} while (n < 0 && errno == EINTR);
	if (n < 0) {
		return -errno;
	}
	return (size_t)n == sizeof(hdr) + len1 + len2 ? 0 : -EIO;
}

static void discard_fds(struct tzm__msg *m, void (*discard)(void *ctx, int fd), void *ctx)
{
	for (int i = 0; i < m->nfds; i++) {
		if (m->fds[i] >= 0) {
			discard(ctx, m->fds[i]);
		}
		m->fds[i] = -1;
	}
	m->nfds = 0;
}

static void close_fd(void *ctx, int fd)
{
	(void)ctx;
	close(fd);
}

void tzm__msg_close_fds(struct tzm__msg *m)
{
	discard_fds(m, close_fd, NULL);
}

int tzm__msg_recv(int sock, struct tzm__msg *m)
{
	int rc = tzm__msg_recv_ex(sock, m, close_fd, NULL);

	return rc == -ENOBUFS ? -EBADMSG : rc;
}

int tzm__msg_recv_ex(int sock, struct tzm__msg *m, void (*discard)(void *ctx, int fd), void *ctx)
{
	struct iovec iov[2];
	struct msghdr mh;
	union {
		struct cmsghdr align;
		/* Room for every fd one datagram can carry (SCM_MAX_FD), so that extra ones are
		 * installed and handed to discard: fds that do not fit are released by the
		 * kernel in our thread, where a hostile one (a lingering socket) could block. */
		char buf[CMSG_SPACE(sizeof(int) * TZM_MSG_SCM_MAX_FD)];
	} ctl;
	ssize_t n;
	int rc = 0;

	m->nfds = 0;
	memset(&mh, 0, sizeof(mh));
	iov[0].iov_base = &m->hdr;
	iov[0].iov_len = sizeof(m->hdr);
	iov[1].iov_base = m->body;
	iov[1].iov_len = sizeof(m->body);
	mh.msg_iov = iov;
	mh.msg_iovlen = 2;
	mh.msg_control = ctl.buf;
	mh.msg_controllen = sizeof(ctl.buf);
	do {
		n = recvmsg(sock, &mh, MSG_CMSG_CLOEXEC);
	} while (n < 0 && errno == EINTR);
	if (n < 0) {
		return errno == EWOULDBLOCK ? -EAGAIN : -errno;
	}
	if (n == 0) {
		return -ECONNRESET;
	}
	for (struct cmsghdr *c = CMSG_FIRSTHDR(&mh); c; c = CMSG_NXTHDR(&mh, c)) {
		if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS) {
			size_t cnt = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
			for (size_t i = 0; i < cnt; i++) {
				int fd;
				memcpy(&fd, CMSG_DATA(c) + i * sizeof(int), sizeof(int));
				if (m->nfds < TEE_MSG_MAX_FDS) {
					m->fds[m->nfds++] = fd;
				} else {
					discard(ctx, fd);
					rc = -EBADMSG;
				}
			}
		}
	}
	if (mh.msg_flags & MSG_TRUNC) {
		rc = -EBADMSG;
	} else if (mh.msg_flags & MSG_CTRUNC) {
		/* fds lost: we are out of descriptors (the buffer holds SCM_MAX_FD) */
		rc = -ENOBUFS;
	}
	if ((size_t)n < sizeof(m->hdr) || m->hdr.magic != TEE_MSG_MAGIC ||
	    m->hdr.version != TEE_MSG_VERSION || m->hdr.len != (size_t)n - sizeof(m->hdr)) {
		rc = -EBADMSG;
	}
	if (rc) {
		discard_fds(m, discard, ctx);
	}
	return rc;
}

int tzm__msg_take(const struct tzm__msg *m, void *dst, size_t n)
{
	if (m->hdr.len < n) {
		return -EBADMSG;
	}
	memcpy(dst, m->body, n);
	return 0;
}
