// SPDX-License-Identifier: BSD-2-Clause
/*
 * WASI preview 1 socket calls (sock_accept/recv/send/shutdown) on sockets the TA holds,
 * and poll_oneoff. Sockets reach the TA through libtzm like a C TA's: the policy decides
 * what may be bound or connected.
 */
#include <errno.h>
#include <poll.h>
#include <time.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include "host.h"

#define FDF_NONBLOCK 4u
#define RI_PEEK 1u
#define RI_WAITALL 2u
#define RO_TRUNCATED 1u
#define SD_RD 1u
#define SD_WR 2u

u32 Z_wasi_snapshot_preview1Z_sock_accept(struct Z_wasi_snapshot_preview1_instance_t *self, u32 fd,
					  u32 flags, u32 fd_out)
{
	int h = -1;
	(void)self;
	u32 err = tzm__wasm_fd_host(fd, WASI_ENOTSOCK, &h);
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
	return tzm__wasm_fd_install(c, TZM_WASM_DIR_NO, fd_out);
}

u32 Z_wasi_snapshot_preview1Z_sock_recv(struct Z_wasi_snapshot_preview1_instance_t *self, u32 fd,
					u32 iovs, u32 n, u32 riflags, u32 len_out, u32 flags_out)
{
	struct iovec iov[TZM_WASM_IOV_MAX];
	int h = -1;
	(void)self;
	u32 err = tzm__wasm_fd_host(fd, WASI_ENOTSOCK, &h);
	if (err == 0) {
		err = tzm__wasm_iovecs(iovs, n, iov);
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
	u32 r = tzm__wasm_store16(flags_out, ro);
	return r != 0 ? r : tzm__wasm_store32(len_out, (uint32_t)got);
}

u32 Z_wasi_snapshot_preview1Z_sock_send(struct Z_wasi_snapshot_preview1_instance_t *self, u32 fd,
					u32 iovs, u32 n, u32 siflags, u32 len_out)
{
	struct iovec iov[TZM_WASM_IOV_MAX];
	int h = -1;
	(void)self;
	u32 err = tzm__wasm_fd_host(fd, WASI_ENOTSOCK, &h);
	if (err == 0) {
		err = tzm__wasm_iovecs(iovs, n, iov);
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
	u32 err = tzm__wasm_fd_host(fd, WASI_ENOTSOCK, &h);
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

/*
 * poll_oneoff: clock subscriptions become the timeout of one poll() over the fd
 * subscriptions (or a nanosleep when there are none). Subscription (48 bytes): userdata
 * u64 @0, tag u8 @8, clock: id u32 @16, timeout u64 @24, precision u64 @32, flags u16 @40
 * (1: absolute); fd_read/fd_write: fd u32 @16. Event (32 bytes): userdata u64 @0, errno
 * u16 @8, type u8 @10, nbytes u64 @16, flags u16 @24 (1: hangup).
 */
#define POLL_MAX_SUBS 1024u
#define SUB_SIZE 48u
#define EVENT_SIZE 32u

struct sub {
	u64 userdata;
	uint8_t tag;
	u32 fd_or_clock;
	u64 deadline_ns; /* clocks: nanoseconds from now */
	int pollfd;      /* fd subscriptions: index in the pollfd array, else -1 */
	u32 error;
};

static u64 now_ns(clockid_t clk)
{
	struct timespec ts = { 0, 0 };
	(void)clock_gettime(clk, &ts);
	return (u64)ts.tv_sec * 1000000000u + (u64)ts.tv_nsec;
}

static void put_event(uint8_t *ev, const struct sub *s, u32 error, uint16_t flags)
{
	memset(ev, 0, EVENT_SIZE);
	tzm__wasm_put64(ev, s->userdata);
	uint16_t e16 = (uint16_t)error;
	memcpy(ev + 8, &e16, 2);
	ev[10] = s->tag;
	if (s->tag != 0 && error == 0) {
		tzm__wasm_put64(ev + 16, 1); /* ready: at least one byte (no FIONREAD here) */
		memcpy(ev + 24, &flags, 2);
	}
}

u32 Z_wasi_snapshot_preview1Z_poll_oneoff(struct Z_wasi_snapshot_preview1_instance_t *self, u32 in,
					  u32 out, u32 n, u32 nevents)
{
	static struct sub subs[POLL_MAX_SUBS];
	static struct pollfd pfds[POLL_MAX_SUBS];
	(void)self;
	if (n == 0 || n > POLL_MAX_SUBS) {
		return WASI_EINVAL;
	}
	const uint8_t *src = tzm__wasm_guest(in, n * SUB_SIZE);
	uint8_t *dst = tzm__wasm_guest(out, n * EVENT_SIZE);
	if (src == NULL || dst == NULL || tzm__wasm_guest(nevents, 4) == NULL) {
		return WASI_EFAULT;
	}
	nfds_t k = 0;
	bool have_clock = false;
	u64 wait_ns = 0;
	for (u32 i = 0; i < n; i++) { /* copy and validate every subscription first */
		const uint8_t *p = src + i * SUB_SIZE;
		struct sub *s = &subs[i];
		*s = (struct sub){ .pollfd = -1 };
		memcpy(&s->userdata, p, 8);
		s->tag = p[8];
		s->fd_or_clock = tzm__wasm_get32(p + 16);
		if (s->tag == 0) {
			u64 timeout = 0;
			uint16_t flags = 0;
			clockid_t clk = s->fd_or_clock == 0 ? CLOCK_REALTIME : CLOCK_MONOTONIC;
			memcpy(&timeout, p + 24, 8);
			memcpy(&flags, p + 40, 2);
			if (s->fd_or_clock > 1) {
				s->error = WASI_EINVAL; /* CPU-time clocks cannot be waited on */
				continue;
			}
			if (flags & 1u) {
				u64 now = now_ns(clk);
				s->deadline_ns = timeout > now ? timeout - now : 0;
			} else {
				s->deadline_ns = timeout;
			}
			if (!have_clock || s->deadline_ns < wait_ns) {
				wait_ns = s->deadline_ns;
			}
			have_clock = true;
		} else if (s->tag == 1 || s->tag == 2) {
			struct tzm__wasm_fd *e = tzm__wasm_fd_get(s->fd_or_clock);
			if (e == NULL || e->kind != TZM_WASM_FD_HOST) {
				s->error = WASI_EBADF;
				continue;
			}
			s->pollfd = (int)k;
			pfds[k++] = (struct pollfd){ .fd = e->host,
						     .events = s->tag == 1 ? POLLIN : POLLOUT };
		} else {
			return WASI_EINVAL;
		}
	}
	bool errors = false;
	for (u32 i = 0; i < n; i++) {
		errors = errors || subs[i].error != 0;
	}
	int ready = 0;
	if (errors) {
		wait_ns = 0; /* report the errors at once, with whatever else is ready */
		have_clock = true;
	}
	if (k > 0) {
		int ms = -1;
		if (have_clock) {
			/* rounded up without overflow: 2^64-1 ns must not wrap to 0 */
			u64 m = wait_ns / 1000000u + (wait_ns % 1000000u != 0);
			ms = m > INT32_MAX ? INT32_MAX : (int)m;
		}
		ready = poll(pfds, k, ms);
		if (ready < 0) {
			return tzm__wasm_errno(errno);
		}
	} else if (have_clock && wait_ns > 0) {
		struct timespec ts = { .tv_sec = (time_t)(wait_ns / 1000000000u),
				       .tv_nsec = (long)(wait_ns % 1000000000u) };
		if (nanosleep(&ts, NULL) != 0) {
			return tzm__wasm_errno(
				errno); /* EINTR: a signal handler ran, as natively */
		}
	}
	u32 count = 0;
	for (u32 i = 0; i < n; i++) {
		const struct sub *s = &subs[i];
		uint8_t *ev = dst + count * EVENT_SIZE;
		if (s->error != 0) {
			put_event(ev, s, s->error, 0);
			count++;
		} else if (s->pollfd >= 0 && pfds[s->pollfd].revents != 0) {
			short r = pfds[s->pollfd].revents;
			u32 err = r & POLLNVAL ? WASI_EBADF : 0;
			put_event(ev, s, err, r & POLLHUP ? 1 : 0);
			count++;
		}
	}
	if (count == 0 && have_clock) {
		for (u32 i = 0; i < n; i++) { /* the earliest clock(s) expired */
			if (subs[i].tag == 0 && subs[i].deadline_ns == wait_ns) {
				put_event(dst + count * EVENT_SIZE, &subs[i], 0, 0);
				count++;
			}
		}
	}
	return tzm__wasm_store32(nevents, count);
}
