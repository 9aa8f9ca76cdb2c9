/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Descriptor I/O forwarded to the shadow: read/write and their vector and positional
 * forms, close, lseek, fsync, ftruncate, fcntl, dup, pipe. Data moves with one copy each
 * way (caller buffer <-> shared data area); transfers larger than one chunk are split,
 * never truncated (the shadow refuses to split a datagram: EMSGSIZE).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include "tzm_io.h"
#include "tzm_int.h"

/* ---- iovec cursor: the only place that walks caller iovecs ---- */

int tzm__iov_total(const struct iovec *iov, int iovcnt, size_t *total)
{
	size_t t = 0;

	if (iovcnt < 0 || iovcnt > IOV_MAX || (iovcnt > 0 && !iov)) {
		errno = EINVAL;
		return -1;
	}
	for (int i = 0; i < iovcnt; i++) {
		if (__builtin_add_overflow(t, iov[i].iov_len, &t) || t > SSIZE_MAX) {
			errno = EINVAL;
			return -1;
		}
	}
	*total = t;
	return 0;
}

static size_t gather(const struct iovec *iov, int iovcnt, size_t skip, uint8_t *dst, size_t max)
{
	size_t done = 0;

	for (int i = 0; i < iovcnt && done < max; i++) {
		size_t len = iov[i].iov_len;

		if (skip >= len) {
			skip -= len;
			continue;
		}
		len -= skip;
		if (len > max - done) {
			len = max - done;
		}
		memcpy(dst + done, (const uint8_t *)iov[i].iov_base + skip, len);
		done += len;
		skip = 0;
	}
	return done;
}

/* Copies len bytes of src into the iovecs, starting skip bytes into them. */
static void scatter(const struct iovec *iov, int iovcnt, size_t skip, const uint8_t *src,
		    size_t len)
{
	size_t done = 0;

	for (int i = 0; i < iovcnt && done < len; i++) {
		size_t room = iov[i].iov_len, n = 0;

		if (skip >= room) {
			skip -= room;
			continue;
		}
		room -= skip;
		n = room < len - done ? room : len - done;
		memcpy((uint8_t *)iov[i].iov_base + skip, src + done, n);
		done += n;
		skip = 0;
	}
}

/*
 * A large write with several chunks in flight: while the shadow writes chunk n, libtzm
 * copies chunk n + 1 into another slot. Each chunk after the first is linked
 * (TZM_REQ_F_LINK): the shadow runs it only if the one before wrote all of its bytes, so
 * the result is exactly that of writing the chunks one after the other, as the
 * one-at-a-time path does: the bytes the kernel accepted, up to the first short count or
 * error (reported only when nothing was written). Used for writes without a prefix.
 */
#define PIPE_CHUNK (64u * 1024u) /* smallest chunk when split below one call's capacity */
#define PIPE_DEPTH 2             /* chunks in flight */

/*
 * When to split. By default only a transfer that one call cannot carry (more than max,
 * the call's capacity: the slot area or the policy's max_inflight), in chunks of max: it
 * takes as many calls as before, and the chunks overlap. Splitting smaller transfers
 * trades one call for several; on the 2-vCPU machine every call costs CPU at both ends,
 * and measured at 256 KiB (docs/bench-design-note.md, "Split transfers") four calls per
 * transfer cost more CPU per byte than they saved by overlapping. TZM_SPLIT_MIN (bytes,
 * >= 4096) in the program's environment sets a lower threshold (chunks of a quarter, at
 * least min(64 KiB, half the threshold)): a knob for measurements and tests. Any value
 * gives the same results, only the number of calls changes.
 */
static size_t split_knob(void)
{
	static bool read_once;
	static size_t v; /* 0: not set */

	if (!read_once) {
		const char *e = getenv("TZM_SPLIT_MIN");
		size_t n = 0;
		bool ok = e && *e;

		for (; ok && *e; e++) {
			ok = *e >= '0' && *e <= '9' && n < (SIZE_MAX - 9) / 10;
			n = n * 10 + (size_t)(*e - '0');
		}
		v = ok && n >= 4096 ? n : 0;
		read_once = true;
	}
	return v;
}

/* Whether a transfer of total bytes, max per call, is split. */
static bool split_it(size_t total, size_t max)
{
	size_t knob = split_knob();

	return knob ? total >= knob : total > max;
}

/* The chunk of a split transfer of total bytes, max per call. */
static size_t split_chunk(size_t total, size_t max)
{
	size_t knob = split_knob(), least = 0, chunk = max;

	if (knob) {
		least = knob / 2 < PIPE_CHUNK ? knob / 2 : PIPE_CHUNK;
		chunk = total / 4 > least ? total / 4 : least;
	}
	return chunk < max ? chunk : max;
}

/*
 * The per-call capacity of a transfer: the data area a call may use (max_chunk), less
 * room for an address when reading.
 */
static size_t call_capacity(bool read)
{
	size_t cap = tzm__rt.max_chunk;

	return read ? (cap > TZM_WIRE_MAX_SOCKADDR ? cap - TZM_WIRE_MAX_SOCKADDR : 0) : cap;
}

/*
 * The common end of one chunk of a split transfer (write or read): its file offset, its
 * link to the chunk before, then the submission. 1: a signal to deliver (or a
 * cancellation) came first, so no more chunks go out — those in flight are interrupted or
 * end by themselves, and what they moved counts, as in the count of a transfer a signal
 * cut short (*unsent: not one chunk went out); -1: the channel failed; 0: submitted.
 */
static int send_chunk(struct tzm__call *c, const struct tzm__xfer *x, size_t submitted, bool link,
		      bool *unsent)
{
	if (x->offset_arg >= 0) {
		c->req.args[x->offset_arg] = x->args[x->offset_arg] + (int64_t)submitted;
	}
	c->req.flags = link ? TZM_REQ_F_LINK : 0;
	if (tzm__sig_chain_next(c->slot) != 0) {
		*unsent = submitted == 0;
		return 1;
	}
	return tzm__submit(c, false) != 0 ? -1 : 0;
}

static ssize_t send_pipelined(const struct tzm__xfer *x, const struct iovec *iov, int iovcnt,
			      size_t total)
{
	struct tzm__call q[PIPE_DEPTH];
	size_t qlen[PIPE_DEPTH];
	size_t submitted = 0, done = 0, chunk = 0;
	uint64_t mine = 0; /* tzm__submits after our last submission */
	int head = 0, n = 0, err = 0, rc = 0;
	bool stop = false, first = true, nomore = false, unsent = false;

	while ((!stop && !nomore) || n > 0) {
		while (!stop && !nomore && n < PIPE_DEPTH && submitted < total) {
			struct tzm__call *c = &q[(head + n) % PIPE_DEPTH];

			if (!first && mine != tzm__submits) {
				/*
				 * A signal handler made calls since our last chunk: a link would
				 * bind to its call. Once ours are done, go on with a fresh chain.
				 */
				if (n > 0) {
					break;
				}
				first = true;
			}
			if (first && submitted == 0) {
				tzm__begin(c, x->op);
			} else {
				tzm__begin_more(c, x->op);
			}
			if (chunk == 0) {
				chunk = split_chunk(total, c->cap);
			}
			memcpy(c->req.args, x->args, sizeof(c->req.args));
			qlen[(head + n) % PIPE_DEPTH] =
				gather(iov, iovcnt, submitted, c->buf,
				       chunk < total - submitted ? chunk : total - submitted);
			c->req.data_len = (uint32_t)qlen[(head + n) % PIPE_DEPTH];
			c->req.args[x->total_arg] = (int64_t)(total - submitted);
			rc = send_chunk(c, x, submitted, !first, &unsent);
			if (rc != 0) {
				nomore = rc > 0;
				stop = rc < 0;
				err = rc < 0 ? EIO : err;
				break;
			}
			mine = tzm__submits;
			first = false;
			submitted += qlen[(head + n) % PIPE_DEPTH];
			n++;
		}
		if (n == 0) {
			break;
		}
		{
			struct tzm__call *c = &q[head];
			size_t len = qlen[head];
			int64_t r = tzm__complete(c);
			int again = 0;

			tzm__sig_call_done(c->slot);
			head = (head + 1) % PIPE_DEPTH;
			n--;
			if (stop) {
				continue; /* the rest of a chain that ended: skipped (checked) */
			}
			if (r >= 0 && (uint64_t)r > len) {
				r = tzm__malformed(c, "wrote more than requested");
			}
			again = tzm__sig_after_call(c, r, false);
			if (r < 0 || again != 0) {
				/*
				 * An error, or EINTR with SA_RESTART: with bytes written, Linux
				 * reports them and does not restart; without, the call restarts
				 * (the chunks still in flight are skipped first).
				 */
				err = again < 0 ? EIO : errno;
				if (again > 0 && done == 0) {
					err = -1;
				}
				stop = true;
				continue;
			}
			done += (size_t)r;
			if ((size_t)r < len) {
				stop = true;
			}
		}
	}
	tzm__sig_call_end();
	if (unsent) {
		/* nothing went out: deliver, then the write starts (as after a boundary) */
		errno = EINTR;
		err = tzm__sig_after_call(&q[head], -1, true);
		if (err <= 0) {
			return -1; /* EIO (malformed signal set), or EINTR (the run is cancelled) */
		}
		err = -1;
	}
	if (err == -1) {
		return send_pipelined(x, iov, iovcnt, total); /* SA_RESTART, nothing written */
	}
	if (done == 0 && err != 0) {
		errno = err;
		return -1;
	}
	return (ssize_t)done;
}

ssize_t tzm__send_iov(const struct tzm__xfer *x, const struct iovec *iov, int iovcnt)
{
	size_t total = 0, done = 0;

	if (tzm__iov_total(iov, iovcnt, &total) != 0) {
		return -1;
	}
	if (split_it(total, call_capacity(false)) && x->prefix_len == 0 &&
	    tzm_wire_linkable(x->op) && tzm__pipelined()) {
		return send_pipelined(x, iov, iovcnt, total);
	}
	do {
		struct tzm__call c;
		size_t chunk = 0;
		int64_t r = 0;

		tzm__begin(&c, x->op);
		memcpy(c.req.args, x->args, sizeof(c.req.args));
		if (c.cap <= x->prefix_len) {
			errno = ENOMEM;
			return -1;
		}
		if (x->prefix_len) {
			memcpy(c.buf, x->prefix, x->prefix_len);
		}
		chunk = gather(iov, iovcnt, done, c.buf + x->prefix_len, c.cap - x->prefix_len);
		c.req.data_len = (uint32_t)(x->prefix_len + chunk);
		c.req.args[x->total_arg] = (int64_t)(total - done);
		if (x->offset_arg >= 0) {
			c.req.args[x->offset_arg] = x->args[x->offset_arg] + (int64_t)done;
		}
		r = tzm__invoke(&c);
		if (r < 0) {
			return done > 0 ? (ssize_t)done : -1;
		}
		if ((uint64_t)r > chunk) {
			tzm__malformed(&c, "wrote more than requested");
			return done > 0 ? (ssize_t)done : -1;
		}
		done += (size_t)r;
		if ((size_t)r < chunk) {
			break;
		}
	} while (done < total);
	return (ssize_t)done;
}

/*
 * A large read with several chunks in flight: while the shadow reads chunk n + 1, libtzm
 * copies chunk n out. Each chunk after the first is linked: the shadow runs it only if
 * the one before was full, and then it takes only what is available without waiting and
 * never a socket's pending error (shadow: tzm__read_more). So the result is one a single
 * read could have returned: data in order, the first chunk's blocking, EOF or error; a
 * later chunk's end only shortens the count. A chunk's count is never more than the
 * caller's buffer has left, and what a chunk reports is checked as a single read's is
 * (at most its count, blob = count): a malformed chunk fails the read with EIO when
 * nothing was delivered, else the read returns the bytes delivered before it.
 * Used for read/readv/pread and recv/recvfrom/recvmsg with flags 0 or MSG_DONTWAIT and no
 * address.
 */

static ssize_t recv_pipelined(const struct tzm__xfer *x, const struct iovec *iov, int iovcnt,
			      size_t total, struct tzm__recv_out *out)
{
	struct tzm__call q[PIPE_DEPTH];
	size_t qlen[PIPE_DEPTH];
	size_t submitted = 0, done = 0, chunk = 0;
	uint64_t mine = 0; /* tzm__submits after our last submission */
	int head = 0, n = 0, err = 0, msg_flags = 0, rc = 0;
	bool ended = false, nomore = false, unsent = false;

	while ((!ended && !nomore && submitted < total) || n > 0) {
		while (!ended && !nomore && n < PIPE_DEPTH && submitted < total) {
			struct tzm__call *c = &q[(head + n) % PIPE_DEPTH];
			size_t len = 0;

			if (submitted > 0 && mine != tzm__submits) {
				/*
				 * A signal handler made calls since our last chunk: a link would
				 * bind to its call, and an unlinked chunk could wait. Stop here.
				 */
				nomore = true;
				break;
			}
			if (submitted == 0) {
				tzm__begin(c, x->op);
			} else {
				tzm__begin_more(c, x->op);
			}
			if (chunk == 0) {
				chunk = split_chunk(total, c->cap - TZM_WIRE_MAX_SOCKADDR);
			}
			len = chunk < total - submitted ? chunk : total - submitted;
			memcpy(c->req.args, x->args, sizeof(c->req.args));
			c->req.args[x->total_arg] = (int64_t)len;
			rc = send_chunk(c, x, submitted, submitted != 0, &unsent);
			if (rc != 0) {
				nomore = rc > 0;
				ended = rc < 0;
				err = rc < 0 ? EIO : err;
				break;
			}
			mine = tzm__submits;
			qlen[(head + n) % PIPE_DEPTH] = len;
			submitted += len;
			n++;
		}
		if (n == 0) {
			break;
		}
		{
			struct tzm__call *c = &q[head];
			size_t len = qlen[head], addrlen = 0;
			int64_t r = tzm__complete(c);
			int again = 0;

			tzm__sig_call_done(c->slot);
			head = (head + 1) % PIPE_DEPTH;
			n--;
			if (ended) {
				continue; /* the rest of a chain that ended: skipped (checked) */
			}
			if (r >= 0 && (uint64_t)r > len) {
				r = tzm__malformed(c, "read more than requested");
			} else if (r >= 0 && out &&
				   (c->resp.aux[0] < 0 ||
				    c->resp.aux[0] > (int64_t)TZM_WIRE_MAX_SOCKADDR)) {
				r = tzm__malformed(c, "address length out of range");
			} else if (r >= 0) {
				addrlen = out ? (size_t)c->resp.aux[0] : 0;
				if (c->resp.data_len != addrlen + (size_t)r) {
					r = tzm__malformed(c,
							   "blob length does not match the count");
				}
			}
			if (r > 0) {
				/* (a stream recv's address, not asked for, is ignored) */
				scatter(iov, iovcnt, done, c->buf, (size_t)r);
				done += (size_t)r;
				msg_flags |= out ? (int)c->resp.aux[1] : 0;
			}
			again = tzm__sig_after_call(c, r, false);
			if (r < 0 || again != 0) {
				/*
				 * An error, or EINTR with SA_RESTART: with bytes read, Linux
				 * reports them; without, the call restarts (the linked chunks still
				 * in flight are skipped first).
				 */
				err = again < 0 ? EIO : errno;
				if (again > 0 && done == 0) {
					err = -1;
				}
				ended = true;
				continue;
			}
			if ((size_t)r < len) {
				ended = true;
			}
		}
	}
	tzm__sig_call_end();
	if (unsent) {
		errno = EINTR;
		err = tzm__sig_after_call(&q[head], -1, true);
		if (err <= 0) {
			return -1;
		}
		err = -1;
	}
	if (err == -1) {
		return recv_pipelined(x, iov, iovcnt, total, out); /* SA_RESTART, nothing read */
	}
	if (done == 0 && err != 0) {
		errno = err;
		return -1;
	}
	if (out) {
		out->addrlen = 0;
		out->msg_flags = msg_flags;
	}
	return (ssize_t)done;
}

static bool recv_splittable(const struct tzm__xfer *x, size_t total,
			    const struct tzm__recv_out *out)
{
	if (!split_it(total, call_capacity(true)) || !tzm__pipelined() ||
	    !tzm_wire_link_reads(x->op)) {
		return false;
	}
	/* recv: no flag but MSG_DONTWAIT, no address (a stream read; the shadow checks) */
	return x->op != TZM_OP_RECVFROM || ((x->args[2] & ~(int64_t)MSG_DONTWAIT) == 0 &&
					    x->args[3] == 0 && out && !out->trunc_ok);
}

ssize_t tzm__recv_iov(const struct tzm__xfer *x, const struct iovec *iov, int iovcnt,
		      struct tzm__recv_out *out)
{
	struct tzm__call c;
	size_t total = 0, count = 0, addrlen = 0, copied = 0;
	int64_t r = 0;

	if (tzm__iov_total(iov, iovcnt, &total) != 0) {
		return -1;
	}
	if (recv_splittable(x, total, out)) {
		return recv_pipelined(x, iov, iovcnt, total, out);
	}
	tzm__begin(&c, x->op);
	memcpy(c.req.args, x->args, sizeof(c.req.args));
	if (c.cap <= TZM_WIRE_MAX_SOCKADDR) {
		errno = ENOMEM;
		return -1;
	}
	count = total < c.cap - TZM_WIRE_MAX_SOCKADDR ? total : c.cap - TZM_WIRE_MAX_SOCKADDR;
	c.req.args[x->total_arg] = (int64_t)count;
	r = tzm__invoke(&c);
	if (r < 0) {
		return -1;
	}
	if (out) {
		if (c.resp.aux[0] < 0 || c.resp.aux[0] > (int64_t)TZM_WIRE_MAX_SOCKADDR) {
			return tzm__malformed(&c, "address length out of range");
		}
		addrlen = (size_t)c.resp.aux[0];
	}
	copied = (uint64_t)r < count ? (size_t)r : count;
	/* MSG_TRUNC: the datagram's real length, which may exceed the buffer (Linux) */
	if ((uint64_t)r > count && !(out && out->trunc_ok && r <= INT_MAX)) {
		return tzm__malformed(&c, "read more than requested");
	}
	/* blob: the data, then the sender address */
	if (c.resp.data_len != addrlen + copied) {
		return tzm__malformed(&c, "blob length does not match the count");
	}
	if (out) {
		/* copy, then validate, before any data reaches the caller */
		memcpy(out->addr, c.buf + copied, addrlen);
		if (!tzm__sockaddr_ok(out->addr, addrlen)) {
			return tzm__malformed(&c, "bad address family/length");
		}
		out->addrlen = addrlen;
		out->msg_flags = (int)c.resp.aux[1];
	}
	scatter(iov, iovcnt, 0, c.buf, copied);
	return (ssize_t)r;
}

ssize_t read(int fd, void *buf, size_t count)
{
	struct iovec iov = { .iov_base = buf, .iov_len = count };
	struct tzm__xfer x = {
		.op = TZM_OP_READ, .args = { fd }, .total_arg = 1, .offset_arg = -1
	};

	return tzm__recv_iov(&x, &iov, 1, NULL);
}

ssize_t write(int fd, const void *buf, size_t count)
{
	struct iovec iov = { .iov_base = (void *)buf, .iov_len = count };
	struct tzm__xfer x = {
		.op = TZM_OP_WRITE, .args = { fd }, .total_arg = 1, .offset_arg = -1
	};

	return tzm__send_iov(&x, &iov, 1);
}

ssize_t readv(int fd, const struct iovec *iov, int iovcnt)
{
	struct tzm__xfer x = {
		.op = TZM_OP_READ, .args = { fd }, .total_arg = 1, .offset_arg = -1
	};

	return tzm__recv_iov(&x, iov, iovcnt, NULL);
}

ssize_t writev(int fd, const struct iovec *iov, int iovcnt)
{
	struct tzm__xfer x = {
		.op = TZM_OP_WRITE, .args = { fd }, .total_arg = 1, .offset_arg = -1
	};

	return tzm__send_iov(&x, iov, iovcnt);
}

ssize_t pread(int fd, void *buf, size_t count, off_t off)
{
	struct iovec iov = { .iov_base = buf, .iov_len = count };
	struct tzm__xfer x = {
		.op = TZM_OP_PREAD, .args = { fd, 0, off }, .total_arg = 1, .offset_arg = 2
	};

	return tzm__recv_iov(&x, &iov, 1, NULL);
}

ssize_t pwrite(int fd, const void *buf, size_t count, off_t off)
{
	struct iovec iov = { .iov_base = (void *)buf, .iov_len = count };
	struct tzm__xfer x = {
		.op = TZM_OP_PWRITE, .args = { fd, 0, off }, .total_arg = 1, .offset_arg = 2
	};

	return tzm__send_iov(&x, &iov, 1);
}

ssize_t pread64(int fd, void *buf, size_t count, off64_t off)
{
	return pread(fd, buf, count, off);
}

ssize_t pwrite64(int fd, const void *buf, size_t count, off64_t off)
{
	return pwrite(fd, buf, count, off);
}

int close(int fd)
{
	struct tzm__call c;
	int64_t r = 0;

	if (!tzm__fd_valid(fd)) {
		errno = EBADF;
		return -1;
	}
	tzm__begin(&c, TZM_OP_CLOSE);
	c.req.args[0] = fd;
	if (tzm__pipelined() && !tzm__threads_made()) {
		/*
		 * The shadow's close of a descriptor it gave us cannot fail (it never reports
		 * the host's close errors, and EBADF was checked above), so nobody waits for
		 * the answer: it is checked when it arrives, and the close rides along with the
		 * next call's wake-up instead of costing a round trip. Calls run in submission
		 * order, so the number is free for the next call that creates a descriptor.
		 * Not once the program has threads: the shadow runs other threads' calls
		 * (lanes) concurrently, so another thread's dup2 onto this number could run
		 * before the close, which would then close what dup2 made.
		 */
		/* released first: another thread's call may get the number as soon as it runs */
		tzm__fd_closed(fd);
		if (tzm__submit(&c, true) != 0) {
			return -1;
		}
		return 0;
	}
	r = tzm__invoke(&c);
	/* Linux: the descriptor is released even when close reports an error */
	if (r >= 0 || errno != EBADF) {
		tzm__fd_closed(fd);
	}
	return r < 0 ? -1 : 0;
}

int64_t tzm__args_call(uint32_t op, int64_t a0, int64_t a1, int64_t a2)
{
	struct tzm__call c;

	tzm__begin(&c, op);
	c.req.args[0] = a0;
	c.req.args[1] = a1;
	c.req.args[2] = a2;
	return tzm__invoke(&c);
}

off_t lseek(int fd, off_t off, int whence)
{
	return (off_t)tzm__args_call(TZM_OP_LSEEK, fd, off, whence);
}
off64_t lseek64(int fd, off64_t off, int whence)
{
	return lseek(fd, off, whence);
}

int fsync(int fd)
{
	return tzm__args_call(TZM_OP_FSYNC, fd, 0, 0) < 0 ? -1 : 0;
}

int fdatasync(int fd)
{
	return fsync(fd);
}

int ftruncate(int fd, off_t len)
{
	return tzm__args_call(TZM_OP_FTRUNCATE, fd, len, 0) < 0 ? -1 : 0;
}
int ftruncate64(int fd, off64_t len)
{
	return ftruncate(fd, len);
}

/*
 * An fcntl command the mediator does not forward: -1/ENOSYS and one line naming it (the
 * line said only "fcntl(cmd)"). Record locks are forwarded (ta/lock.c). The names are
 * static: tzm__log_once keeps the pointer.
 */
static int fcntl_unsupported(int cmd)
{
	static const struct {
		int cmd;
		const char *name;
	} names[] = {
#ifndef TZM_TA_OPTEE /* OP-TEE's small libc defines only the commands it forwards */
		{ F_SETOWN, "fcntl(F_SETOWN)" },
		{ F_GETOWN, "fcntl(F_GETOWN)" },
		{ F_SETSIG, "fcntl(F_SETSIG)" },
		{ F_SETLEASE, "fcntl(F_SETLEASE)" },
		{ F_GETLEASE, "fcntl(F_GETLEASE)" },
		{ F_NOTIFY, "fcntl(F_NOTIFY)" },
		{ F_SETPIPE_SZ, "fcntl(F_SETPIPE_SZ)" },
		{ F_GETPIPE_SZ, "fcntl(F_GETPIPE_SZ)" },
		{ F_ADD_SEALS, "fcntl(F_ADD_SEALS)" },
		{ F_GET_SEALS, "fcntl(F_GET_SEALS)" },
#endif
		{ -1, "fcntl(cmd)" },
	};
	const char *name = "fcntl(cmd)";

	for (size_t i = 0; i + 1 < sizeof(names) / sizeof(names[0]); i++) {
		if (names[i].cmd == cmd) {
			name = names[i].name;
		}
	}
	tzm__log_once(name, "%s is not supported by the mediator (ENOSYS)", name);
	errno = ENOSYS;
	return -1;
}

int fcntl(int fd, int cmd, ...)
{
	struct tzm__call c;
	va_list ap;
	long arg = 0;
	int64_t r = 0;

	va_start(ap, cmd);
	switch (cmd) {
	case F_GETFL:
	case F_GETFD:
		break;
	case F_SETFL:
	case F_SETFD:
	case F_DUPFD:
	case F_DUPFD_CLOEXEC:
		arg = va_arg(ap, int);
		break;
#ifndef TZM_TA_OPTEE /* OP-TEE's small libc has no record locks */
	case F_GETLK:
	case F_SETLK:
	case F_SETLKW:
	case F_OFD_GETLK:
	case F_OFD_SETLK:
	case F_OFD_SETLKW: {
		struct flock *fl = va_arg(ap, struct flock *);

		va_end(ap);
		return tzm__fcntl_lock(fd, cmd, fl);
	}
#endif
	default:
		va_end(ap);
		return fcntl_unsupported(cmd);
	}
	va_end(ap);
	tzm__begin(&c, TZM_OP_FCNTL);
	c.req.args[0] = fd;
	c.req.args[1] = cmd;
	c.req.args[2] = arg;
	r = tzm__invoke(&c);
	if (r < 0) {
		return -1;
	}
	if (cmd == F_DUPFD || cmd == F_DUPFD_CLOEXEC) {
		if (r < arg) {
			return (int)tzm__malformed(&c, "dup below the minimum");
		}
		if (tzm__fd_accept_new(&c, r) != 0) {
			return -1;
		}
		tzm__ep_dup(fd, (int)r);
		return (int)r;
	}
	/* F_GETFD knows one flag; the setters return 0; F_GETFL is an int of flags */
	if ((cmd == F_GETFD && r != 0 && r != FD_CLOEXEC) ||
	    ((cmd == F_SETFD || cmd == F_SETFL) && r != 0) || r > INT_MAX) {
		return (int)tzm__malformed(&c, "fcntl result out of range");
	}
	return (int)r;
}
int fcntl64(int fd, int cmd, ...) __attribute__((alias("fcntl")));

static int do_dup(int fd, int newfd, int flags)
{
	struct tzm__call c;
	int64_t r = 0;

	tzm__begin(&c, TZM_OP_DUP);
	c.req.args[0] = fd;
	c.req.args[1] = newfd;
	c.req.args[2] = flags;
	r = tzm__invoke(&c);
	if (r < 0) {
		return -1;
	}
	if (newfd >= 0) {
		if (r != newfd) {
			return (int)tzm__malformed(&c, "dup2 returned another fd");
		}
		if (newfd != fd) {
			/* dup2 closes newfd first; a newfd out of range cannot have succeeded */
			tzm__fd_closed(newfd);
			if (tzm__fd_accept_new(&c, r) != 0) {
				return -1;
			}
			tzm__ep_dup(fd, newfd);
		}
		return (int)r;
	}
	if (tzm__fd_accept_new(&c, r) != 0) {
		return -1;
	}
	tzm__ep_dup(fd, (int)r);
	return (int)r;
}

int dup(int fd)
{
	return do_dup(fd, -1, 0);
}

int dup2(int fd, int newfd)
{
	if (newfd < 0) {
		errno = EBADF;
		return -1;
	}
	return do_dup(fd, newfd, 0);
}

int dup3(int fd, int newfd, int flags)
{
	if (newfd < 0 || fd == newfd) {
		errno = fd == newfd ? EINVAL : EBADF;
		return -1;
	}
	return do_dup(fd, newfd, flags);
}

int pipe2(int fds[2], int flags)
{
	struct tzm__call c;
	int64_t r = 0;

	tzm__begin(&c, TZM_OP_PIPE2);
	c.req.args[0] = flags;
	r = tzm__invoke(&c);
	if (r < 0) {
		return -1;
	}
	return tzm__fd_accept_pair(&c, c.resp.aux[0], c.resp.aux[1], fds);
}

int pipe(int fds[2])
{
	return pipe2(fds, 0);
}
