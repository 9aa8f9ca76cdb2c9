/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The single RPC path of libtzm: every forwarded POSIX call goes through tzm__invoke(),
 * which checks the parts of a response that do not depend on the call (Iago defence):
 * errno within the opcode's errno set (TZM_WIRE_OPS in tzm_wire.h), ret/err consistency,
 * blob length within the data area. Call-specific checks (count <= requested, fd in
 * range, sockaddr length <= provided ...) are done by each caller on its local copy.
 */
#include <errno.h>
#include <stdarg.h>
#include <string.h>
#include <unistd.h>

#include "tzm_int.h"

struct tzm__rt tzm__rt;

/* The wire carries Linux's generic errno numbers: this libc must use the same ones. */
TZM_WIRE_ERRNOS(TZM_WIRE_ERRNO_CHECK)

static const char *const op_name[TZM_OP__COUNT] = {
#define TZM__OP_NAME(name, ...) [TZM_OP_##name] = #name,
	TZM_WIRE_OPS(TZM__OP_NAME)
#undef TZM__OP_NAME
};

void tzm__log(const char *fmt, ...)
{
	/* a malformed answer to the log line itself must not log again (unbounded recursion) */
#if defined(TZM_TA_OPTEE)
	static bool busy;
#else
	static _Thread_local bool busy;
#endif
	char line[256];
	struct tzm__call c;
	va_list ap;
	int n = 0;

	if (busy) {
		return;
	}
	va_start(ap, fmt);
	n = vsnprintf(line, sizeof(line) - 1, fmt, ap);
	va_end(ap);
	if (n < 0 || !tzm__rt.tp) {
		return;
	}
	if ((size_t)n > sizeof(line) - 2) {
		n = (int)sizeof(line) - 2;
	}
	line[n++] = '\n';
	busy = true;
	tzm__sig_hold(true); /* the log line is not the program's write: no SIGPIPE */
	tzm__begin(&c, TZM_OP_WRITE);
	if (c.cap >= (size_t)n + 5) {
		memcpy(c.buf, "tzm: ", 5);
		memcpy(c.buf + 5, line, (size_t)n);
		c.req.args[0] = 2;
		c.req.data_len = (uint32_t)n + 5;
		(void)tzm__invoke(&c);
	}
	tzm__sig_hold(false);
	busy = false;
}

bool tzm__pipelined(void)
{
	return tzm__rt.tp && tzm__rt.tp->ops->submit != NULL;
}

void tzm__begin_more(struct tzm__call *c, uint32_t op)
{
	const struct tzm_transport_ops *ops = tzm__rt.tp ? tzm__rt.tp->ops : NULL;
	size_t cap = 0;

	memset(&c->req, 0, sizeof(c->req));
	memset(&c->resp, 0, sizeof(c->resp));
	c->req.opcode = op;
	c->slot = -1;
	c->buf = NULL;
	if (ops && ops->submit) {
		int slot = ops->slot_get(tzm__rt.tp);

		/* a broken channel: slot 0's area stays valid, the submission then fails */
		c->slot = slot < 0 ? 0 : slot;
		c->buf = ops->slot_buffer(tzm__rt.tp, (uint32_t)c->slot, &cap);
	} else if (ops) {
		c->buf = ops->buffer(tzm__rt.tp, &cap);
	}
	c->cap = cap < tzm__rt.max_chunk ? cap : tzm__rt.max_chunk;
}

void tzm__begin(struct tzm__call *c, uint32_t op)
{
	/* a call boundary: signals are delivered before the request is built */
	tzm__sig_boundary();
	tzm__begin_more(c, op);
}

int64_t tzm__malformed(const struct tzm__call *c, const char *why)
{
	uint32_t op = c->req.opcode;

	tzm__log("malformed response to %s: %s", op < TZM_OP__COUNT ? op_name[op] : "?", why);
	errno = EIO;
	return -1;
}

/* The checks of a response that do not depend on the call. */
static int64_t validate(struct tzm__call *c)
{
	const struct tzm_wire_resp *r = &c->resp;

	if (r->data_len > c->cap) {
		return tzm__malformed(c, "blob larger than the data area");
	}
	if (r->err != 0) {
		if (!tzm_wire_errno_allowed(c->req.opcode, r->err)) {
			return tzm__malformed(c, "errno not allowed for this call");
		}
		if (r->ret != -1) {
			return tzm__malformed(c, "errno set with a non-error return");
		}
		errno = r->err;
		return -1;
	}
	if (r->ret < 0) {
		return tzm__malformed(c, "negative return without errno");
	}
	return r->ret;
}

uint64_t tzm__submits;

/*
 * The channel is dead (the shadow is gone, cancelled the run, or broke the protocol): the
 * call fails with EIO, and so will every later one. On real OP-TEE nothing in the normal
 * world can end a TA (a dying tzm-run's thread waits in the invoke until the TA returns),
 * so a program that retries a failing call forever would hold it there for good (the
 * splitapp signer's accept loop did, 2026-12-07): libtzm ends the run instead, as closing
 * the session does on the emulated TEE. No log line: nothing reaches the shadow any more.
 */
static void channel_dead(void)
{
#ifdef TZM_TA_OPTEE
	if (tzm__rt.in_main) {
		_exit(70); /* EX_SOFTWARE; tzm-run, if still there, reports it */
	}
#endif
	errno = EIO;
}

int tzm__submit(struct tzm__call *c, bool detached)
{
	__atomic_fetch_add(&tzm__submits, 1u, __ATOMIC_RELAXED);
	if (!tzm__pipelined() || c->slot < 0) {
		errno = EIO;
		return -1;
	}
	if (tzm__rt.tp->ops->submit(tzm__rt.tp, (uint32_t)c->slot, &c->req, detached) != 0) {
		channel_dead();
		return -1;
	}
	return 0;
}

int64_t tzm__complete(struct tzm__call *c)
{
	memset(&c->resp, 0, sizeof(c->resp));
	if (tzm__rt.tp->ops->wait(tzm__rt.tp, (uint32_t)c->slot, &c->resp) != 0) {
		channel_dead();
		return -1;
	}
	return validate(c);
}

void tzm__drain(void)
{
	if (tzm__pipelined() && tzm__rt.tp->ops->drain) {
		(void)tzm__rt.tp->ops->drain(tzm__rt.tp);
	}
}

/* *not_sent: the call was answered EINTR without going out (tzm__sig_call_start) */
static int64_t invoke_once(struct tzm__call *c, bool *not_sent)
{
	int64_t r = 0;
	int rc = 0;

	*not_sent = false;
	if (!tzm__rt.tp) {
		errno = ENOSYS;
		return -1;
	}
	if (c->slot >= 0) {
		if (tzm__sig_call_start(c->slot) != 0) {
			memset(&c->resp, 0, sizeof(c->resp));
			*not_sent = true;
			errno = EINTR;
			return -1;
		}
		r = tzm__submit(c, false) != 0 ? -1 : tzm__complete(c);
		tzm__sig_call_end();
		return r;
	}
	memset(&c->resp, 0, sizeof(c->resp));
	rc = tzm__rt.tp->ops->call(tzm__rt.tp, &c->req, &c->resp);
	if (rc != 0) {
		channel_dead();
		return -1;
	}
	return validate(c);
}

/*
 * A poll or epoll_wait sent again after an interruption no handler answered waits only
 * for the rest of its timeout (Linux's restart keeps the end time).
 */
static void timeout_left(struct tzm__call *c, int64_t timeout_ms, uint64_t start_ns)
{
	int idx = c->req.opcode == TZM_OP_POLL ? 1 : c->req.opcode == TZM_OP_EPOLL_WAIT ? 2 : -1;
	uint64_t spent_ms = (tzm__monotonic_ns() - start_ns) / 1000000u;

	if (idx < 0 || timeout_ms <= 0) {
		return;
	}
	c->req.args[idx] = (uint64_t)timeout_ms > spent_ms ? timeout_ms - (int64_t)spent_ms : 0;
}

int64_t tzm__invoke(struct tzm__call *c)
{
	int64_t r = 0, timeout_ms = 0;
	uint64_t start_ns = 0;
	int again = 0;

	if (tzm__sig_take_bad()) {
		/* the shadow posted a malformed signal set since the last call */
		errno = EIO;
		return -1;
	}
	if (c->req.opcode == TZM_OP_POLL || c->req.opcode == TZM_OP_EPOLL_WAIT) {
		timeout_ms = c->req.args[c->req.opcode == TZM_OP_POLL ? 1 : 2];
		start_ns = tzm__monotonic_ns();
	}
	do {
		bool not_sent = false;

		r = invoke_once(c, &not_sent);
		again = tzm__sig_after_call(c, r, not_sent);
		if (again < 0) {
			return -1;
		}
		if (again > 0) {
			timeout_left(c, timeout_ms, start_ns);
		}
	} while (again > 0);
	return r;
}

bool tzm__first_time(const char *key)
{
	/* small fixed set of names; a linear list keeps "one line per function" */
	static const char *seen[128];
	static size_t nseen;
	static int lock; /* TA threads */
	bool first = true;

	while (__atomic_exchange_n(&lock, 1, __ATOMIC_ACQUIRE) != 0) {
	}
	for (size_t i = 0; i < nseen; i++) {
		if (seen[i] == key || strcmp(seen[i], key) == 0) {
			first = false;
			break;
		}
	}
	if (first && nseen < sizeof(seen) / sizeof(seen[0])) {
		seen[nseen++] = key;
	}
	__atomic_store_n(&lock, 0, __ATOMIC_RELEASE);
	return first;
}

void tzm__log_once(const char *key, const char *fmt, ...)
{
	char line[200];
	va_list ap;

	if (!tzm__first_time(key)) {
		return;
	}
	va_start(ap, fmt);
	(void)vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	tzm__log("%s", line);
}

int tzm__unsupported(const char *fn)
{
	tzm__log_once(fn, "%s() is not supported by the mediator (ENOSYS)", fn);
	errno = ENOSYS;
	return -1;
}

bool tzm__fd_valid(int fd)
{
	/* atomic: TA threads open and close descriptors concurrently */
	return fd >= 0 && (unsigned)fd < TZM_WIRE_MAX_FDS &&
	       __atomic_load_n(&tzm__rt.fd_open[fd], __ATOMIC_ACQUIRE);
}

int tzm__fd_accept_new(const struct tzm__call *c, int64_t fd)
{
	if (fd < 0 || fd >= (int64_t)TZM_WIRE_MAX_FDS || fd >= (int64_t)tzm__rt.setup.max_fds) {
		return (int)tzm__malformed(c, "fd out of range");
	}
	if (__atomic_exchange_n(&tzm__rt.fd_open[fd], 1, __ATOMIC_ACQ_REL)) {
		return (int)tzm__malformed(c, "fd already in use");
	}
	return 0;
}

int tzm__fd_accept_pair(const struct tzm__call *c, int64_t a, int64_t b, int fds[2])
{
	if (a == b) {
		return (int)tzm__malformed(c, "the same fd twice");
	}
	if (tzm__fd_accept_new(c, a) != 0) {
		return -1;
	}
	if (tzm__fd_accept_new(c, b) != 0) {
		tzm__fd_closed((int)a);
		return -1;
	}
	fds[0] = (int)a;
	fds[1] = (int)b;
	return 0;
}

void tzm__fd_closed(int fd)
{
	if (fd >= 0 && (unsigned)fd < TZM_WIRE_MAX_FDS) {
		__atomic_store_n(&tzm__rt.fd_open[fd], 0, __ATOMIC_RELEASE);
		tzm__ep_forget_fd(fd);
	}
}

int tzm__put_path(struct tzm__call *c, size_t off, const char *path, size_t *len_out)
{
	size_t n = 0;

	if (!path) {
		errno = EFAULT;
		return -1;
	}
	n = strnlen(path, TZM_WIRE_MAX_PATH);
	if (n >= TZM_WIRE_MAX_PATH) {
		errno = ENAMETOOLONG;
		return -1;
	}
	if (off > c->cap || c->cap - off < n + 1) {
		errno = ENAMETOOLONG;
		return -1;
	}
	memcpy(c->buf + off, path, n + 1);
	*len_out = n + 1;
	return 0;
}
