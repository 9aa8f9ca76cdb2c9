/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * libFuzzer target for the shadow's request decoding (the normal-world side of the wire):
 * each input is a sequence of requests (64-byte tzm_wire_req, 32-bit blob length, blob)
 * fed to the real handlers of an executor under a deny-everything policy, and every answer
 * is checked the way libtzm would check it (blob within the data area, ret == -1 iff err,
 * errno in range). The data area is exactly sized, so ASan catches a handler reading or
 * writing past it.
 *
 * The handlers act on the host: the harness keeps that harmless by denying every path,
 * address and queue by policy, freeing TA fds 0..2 (so no request reaches our own stdio),
 * forcing non-blocking descriptors (eventfds and timerfds too), zero timeouts and locks
 * (record locks and flock) that do not wait, and
 * skipping the two operations
 * that would touch the network for real (GETADDRINFO resolves names, LISTEN autobinds).
 */
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include "../shadow/shadow.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define DATA_SIZE (256u * 1024u)

static const tzm__handler_fn handlers[] = {
#define H_ENTRY(name, ...) [TZM_OP_##name] = tzm__h_##name,
	TZM_WIRE_OPS(H_ENTRY)
#undef H_ENTRY
};

static struct tzm_shadow shadow;
static struct tzm_policy *pol;
static uint8_t *area;

static uint8_t *fz_buffer(struct tzm_server_transport *t, size_t *cap)
{
	(void)t;
	*cap = DATA_SIZE;
	return area;
}

static const struct tzm_server_transport_ops fz_ops = {
	.name = "fuzz",
	.buffer = fz_buffer,
};
static struct tzm_server_transport tp = { .ops = &fz_ops };

static void start(void)
{
	char path[] = "/tmp/tzm-fuzz-policy-XXXXXX";
	static const char rules[] = "log /dev/null\n";
	char err[256];
	int fd = mkstemp(path);

	if (fd < 0 || write(fd, rules, sizeof(rules) - 1) != (ssize_t)(sizeof(rules) - 1)) {
		abort();
	}
	close(fd);
	if (tzm_policy_load(path, &pol, err, sizeof(err)) != 0) {
		fprintf(stderr, "fuzz: policy: %s\n", err);
		abort();
	}
	unlink(path);
	area = malloc(DATA_SIZE);
	if (!area) {
		abort();
	}
}

/* Keeps the host safe from what the request asks: see the file comment. */
static bool tame(struct tzm_wire_req *rq)
{
	switch (rq->opcode) {
	case TZM_OP_GETADDRINFO:
	case TZM_OP_LISTEN:
		return false;
	case TZM_OP_OPENAT:
	case TZM_OP_PIPE2:
	case TZM_OP_MQ_OPEN:
		rq->args[0] |= O_NONBLOCK;
		break;
	case TZM_OP_SOCKET:
	case TZM_OP_SOCKETPAIR:
		rq->args[1] |= SOCK_NONBLOCK;
		break;
	case TZM_OP_ACCEPT4:
		rq->args[1] |= SOCK_NONBLOCK;
		break;
	case TZM_OP_SENDTO:
		rq->args[1] |= MSG_DONTWAIT;
		break;
	case TZM_OP_RECVFROM:
		rq->args[2] |= MSG_DONTWAIT;
		break;
	case TZM_OP_POLL:
		rq->args[1] = 0;
		break;
	case TZM_OP_EPOLL_WAIT:
		rq->args[2] = 0;
		break;
	case TZM_OP_FCNTL:
		if (rq->args[1] == F_SETFL) {
			rq->args[2] |= O_NONBLOCK;
		}
		break;
	case TZM_OP_GETNAMEINFO:
		rq->args[0] |= NI_NUMERICHOST | NI_NUMERICSERV;
		break;
	case TZM_OP_EVENTFD:
		rq->args[1] |= EFD_NONBLOCK; /* a read of a blocking eventfd at 0 waits for good */
		break;
	case TZM_OP_TIMERFD_CREATE:
		rq->args[1] |= TFD_NONBLOCK; /* so does one of an unarmed timerfd */
		break;
	case TZM_OP_FLOCK:
		/* two openings of one file: the second LOCK_EX would wait for the first */
		rq->args[1] |= LOCK_NB;
		break;
	case TZM_OP_RECLOCK:
		/* never waits (nobody else holds a lock here anyway) */
		if (rq->args[1] == F_SETLKW || rq->args[1] == F_OFD_SETLKW) {
			rq->args[1] = rq->args[1] == F_SETLKW ? F_SETLK : F_OFD_SETLK;
		}
		break;
	default:
		break;
	}
	return true;
}

static void check(uint32_t op, const struct tzm_wire_resp *rs)
{
	/* what libtzm would reject from an honest shadow is a bug here (errno: the op's set) */
	if (rs->data_len > DATA_SIZE || (rs->err != 0) != (rs->ret == -1) ||
	    (rs->err != 0 && !tzm_wire_errno_allowed(op, rs->err))) {
		fprintf(stderr, "fuzz: malformed answer to op %u: ret %lld err %d data_len %u\n",
			op, (long long)rs->ret, rs->err, rs->data_len);
		abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!area) {
		start();
	}
	tzm_shadow_init(&shadow, pol, &tp);
	for (int i = 0; i < 3; i++) {
		shadow.fds[i].kind = SFD_FREE; /* not our own stdio */
		shadow.fds[i].host = -1;
	}
	shadow.nopen = 0;
	while (size >= sizeof(struct tzm_wire_req) + sizeof(uint32_t)) {
		struct tzm_wire_req rq;
		struct tzm_wire_resp rs;
		uint32_t blen = 0;
		size_t n = 0;

		memcpy(&rq, data, sizeof(rq));
		memcpy(&blen, data + sizeof(rq), sizeof(blen));
		data += sizeof(rq) + sizeof(blen);
		size -= sizeof(rq) + sizeof(blen);
		n = blen < size ? blen : size;
		memcpy(area, data, n);
		data += n;
		size -= n;
		memset(&rs, 0, sizeof(rs));
		/* the generic checks of serve.c, then the handler */
		rq.opcode %= TZM_OP__COUNT;
		rq.data_len = rq.data_len > shadow.max_chunk ? (uint32_t)n : rq.data_len;
		if (!tame(&rq)) {
			continue;
		}
		errno = 0;
		handlers[rq.opcode](&shadow, &rq, area, shadow.max_chunk, &rs);
		check(rq.opcode, &rs);
	}
	tzm_shadow_close_all(&shadow);
	return 0;
}
