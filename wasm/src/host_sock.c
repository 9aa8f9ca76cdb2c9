// SPDX-License-Identifier: BSD-2-Clause
/*
 * WASI preview 1 socket calls (sock_accept/recv/send/shutdown) on sockets the TA holds,
 * and poll_oneoff. Sockets reach the TA through libtzm like a C TA's: the policy decides
 * what may be bound or connected.
 */
#include <errno.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include "host.h"

#define WASI_IOV_MAX 1024u
#define FDF_NONBLOCK 4u
#define RI_PEEK 1u
#define RI_WAITALL 2u
#define RO_TRUNCATED 1u
#define SD_RD 1u
#define SD_WR 2u

static u32 sock_fd(u32 fd, int *h)
{
	struct tzm__wasm_fd *e = tzm__wasm_fd_get(fd);
	if (e == NULL) {
		return WASI_EBADF;
	}
	if (e->kind != TZM_WASM_FD_HOST) {
		return 57; /* ENOTSOCK */
	}
	*h = e->host;
	return WASI_ESUCCESS;
}

static u32 iovs_of(u32 iovs, u32 n, struct iovec *iov)
{
	if (n > WASI_IOV_MAX) {
		return WASI_EINVAL;
	}
	const uint8_t *arr = tzm__wasm_guest(iovs, n * 8u);
	if (arr == NULL) {
		return WASI_EFAULT;
	}
	for (u32 i = 0; i < n; i++) {
		u32 ptr = tzm__wasm_get32(arr + 8u * i);
		u32 len = tzm__wasm_get32(arr + 8u * i + 4);
		uint8_t *p = tzm__wasm_guest(ptr, len);
		if (p == NULL) {
			return WASI_EFAULT;
		}
		iov[i] = (struct iovec){ .iov_base = p, .iov_len = len };
	}
	return WASI_ESUCCESS;
}

u32 Z_wasi_snapshot_preview1Z_sock_accept(struct Z_wasi_snapshot_preview1_instance_t *self, u32 fd,
					  u32 flags, u32 fd_out)
{
	int h = -1;
	(void)self;
	u32 err = sock_fd(fd, &h);
	if (err != 0) {
		return err;
	}
	if (flags & ~FDF_NONBLOCK) {
		return WASI_EINVAL;
	}
	if (tzm__wasm_guest(fd_out, 4) == NULL) {
		return WASI_EFAULT;
	}
	int c = accept4(h, NULL, NULL, SOCK_CLOEXEC | (flags & FDF_NONBLOCK ? SOCK_NONBLOCK : 0));
	if (c < 0) {
		return tzm__wasm_errno(errno);
	}
	int w = tzm__wasm_fd_alloc_host(c);
	if (w < 0) {
		(void)close(c);
		return WASI_EMFILE;
	}
	return tzm__wasm_store32(fd_out, (uint32_t)w);
}

u32 Z_wasi_snapshot_preview1Z_sock_recv(struct Z_wasi_snapshot_preview1_instance_t *self, u32 fd,
					u32 iovs, u32 n, u32 riflags, u32 len_out, u32 flags_out)
{
	struct iovec iov[WASI_IOV_MAX];
	int h = -1;
	(void)self;
	u32 err = sock_fd(fd, &h);
	if (err == 0) {
		err = iovs_of(iovs, n, iov);
	}
	if (err == 0 && (riflags & ~(RI_PEEK | RI_WAITALL))) {
		err = WASI_EINVAL;
	}
	if (err == 0 &&
	    (tzm__wasm_guest(len_out, 4) == NULL || tzm__wasm_guest(flags_out, 2) == NULL)) {
		err = WASI_EFAULT;
	}
	if (err != 0) {
		return err;
	}
	struct msghdr msg = { .msg_iov = iov, .msg_iovlen = n };
	int fl = (riflags & RI_PEEK ? MSG_PEEK : 0) | (riflags & RI_WAITALL ? MSG_WAITALL : 0);
	ssize_t got = recvmsg(h, &msg, fl);
	if (got < 0) {
		return tzm__wasm_errno(errno);
	}
	uint16_t ro = msg.msg_flags & MSG_TRUNC ? RO_TRUNCATED : 0;
	memcpy(tzm__wasm_guest(flags_out, 2), &ro, 2);
	return tzm__wasm_store32(len_out, (uint32_t)got);
}

u32 Z_wasi_snapshot_preview1Z_sock_send(struct Z_wasi_snapshot_preview1_instance_t *self, u32 fd,
					u32 iovs, u32 n, u32 siflags, u32 len_out)
{
	struct iovec iov[WASI_IOV_MAX];
	int h = -1;
	(void)self;
	u32 err = sock_fd(fd, &h);
	if (err == 0) {
		err = iovs_of(iovs, n, iov);
	}
	if (err == 0 && siflags != 0) {
		err = WASI_EINVAL;
	}
	if (err == 0 && tzm__wasm_guest(len_out, 4) == NULL) {
		err = WASI_EFAULT;
	}
	if (err != 0) {
		return err;
	}
	struct msghdr msg = { .msg_iov = iov, .msg_iovlen = n };
	ssize_t sent = sendmsg(h, &msg, 0);
	if (sent < 0) {
		return tzm__wasm_errno(errno);
	}
	return tzm__wasm_store32(len_out, (uint32_t)sent);
}

u32 Z_wasi_snapshot_preview1Z_sock_shutdown(struct Z_wasi_snapshot_preview1_instance_t *self,
					    u32 fd, u32 how)
{
	int h = -1;
	(void)self;
	u32 err = sock_fd(fd, &h);
	if (err != 0) {
		return err;
	}
	int sh = how == SD_RD             ? SHUT_RD
		 : how == SD_WR           ? SHUT_WR
		 : how == (SD_RD | SD_WR) ? SHUT_RDWR
					  : -1;
	if (sh < 0) {
		return WASI_EINVAL;
	}
	return shutdown(h, sh) == 0 ? WASI_ESUCCESS : tzm__wasm_errno(errno);
}

u32 Z_wasi_snapshot_preview1Z_poll_oneoff(struct Z_wasi_snapshot_preview1_instance_t *self, u32 in,
					  u32 out, u32 n, u32 nevents)
{
	(void)self;
	(void)in;
	(void)out;
	(void)n;
	(void)nevents;
	return tzm__wasm_unsupported("poll_oneoff");
}
