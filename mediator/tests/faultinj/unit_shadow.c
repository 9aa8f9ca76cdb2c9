/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Fault-injection unit: the shadow's request handlers, called as serve.c calls them, with
 * a workload that creates every kind of descriptor (files, directories, FIFOs, UNIX and
 * inet sockets, pipes, epoll, message queues, eventfd, timerfd) and uses the path
 * operations (links, symlinks, renames, chdir...) in a private tree, under a policy that
 * grants that tree. Every answer must be well formed (what libtzm accepts); the request
 * that met the injected failure must fail with that errno (unless noted); and after the
 * TA's fds are closed, nothing may remain.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <mqueue.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include <tzm_test.h>

#include "../../shadow/shadow.h"
#include "units.h"

#define DATA_SIZE (256u * 1024u)

static const tzm__handler_fn handlers[] = {
#define H_ENTRY(name, ...) [TZM_OP_##name] = tzm__h_##name,
	TZM_WIRE_OPS(H_ENTRY)
#undef H_ENTRY
};
static const char *const op_names[] = {
#define H_NAME(name, ...) [TZM_OP_##name] = #name,
	TZM_WIRE_OPS(H_NAME)
#undef H_NAME
};

static char base[PATH_MAX], tree[PATH_MAX + 8], mq_name[64], abstract[64];
static struct tzm_policy *pol;
static struct tzm_shadow sh;
static uint8_t area[DATA_SIZE];
static struct tzm_wire_resp rs;

static uint8_t *unit_buffer(struct tzm_server_transport *t, size_t *cap)
{
	(void)t;
	*cap = DATA_SIZE;
	return area;
}

static const struct tzm_server_transport_ops unit_ops = {
	.name = "finj",
	.buffer = unit_buffer,
};
static struct tzm_server_transport unit_tp = { .ops = &unit_ops };

/* Answers that may succeed although an acquisition in them failed (by design). */
enum {
	STRICT,
	OPTIONAL
};

/*
 * One request: blob (len bytes) and up to six args. Returns rs.ret; the answer is in rs.
 */
static int64_t req(int mode, uint32_t op, const void *blob, size_t len, int64_t a0, int64_t a1,
		   int64_t a2, int64_t a3, int64_t a4, int64_t a5)
{
	struct tzm_wire_req rq;
	bool before = finj_fired();

	memset(&rq, 0, sizeof(rq));
	memset(&rs, 0, sizeof(rs));
	rq.opcode = op;
	rq.data_len = (uint32_t)len;
	rq.args[0] = a0;
	rq.args[1] = a1;
	rq.args[2] = a2;
	rq.args[3] = a3;
	rq.args[4] = a4;
	rq.args[5] = a5;
	if (len) {
		memcpy(area, blob, len);
	}
	finj_step("%s", op_names[op]);
	errno = 0;
	handlers[op](&sh, &rq, area, sh.max_chunk, &rs);
	if (getenv("FINJ_VERBOSE")) {
		fprintf(stderr, "finj: %s: ret %lld err %d\n", op_names[op], (long long)rs.ret,
			rs.err);
	}
	/* what libtzm accepts: the errno (and EAI_SYSTEM's) from the op's set (tzm_wire.h) */
	if (rs.err != 0) {
		ASSERT_EQ_INT(rs.ret, -1);
		ASSERT_TRUE(tzm_wire_errno_allowed(op, rs.err));
	} else {
		ASSERT_NE_INT(rs.ret, -1);
	}
	/* the resolvers answer ret 0 and an EAI code; EAI_SYSTEM carries its errno in aux[2] */
	bool resolver = op == TZM_OP_GETADDRINFO || op == TZM_OP_GETNAMEINFO;
	if (resolver && rs.ret == 0 && rs.aux[1] == EAI_SYSTEM) {
		ASSERT_TRUE(tzm_wire_errno_allowed(op, (int)rs.aux[2]));
	}
	ASSERT_LE_U64(rs.data_len, sh.max_chunk);
	if (!before && finj_fired() && mode == STRICT) {
		if (op == TZM_OP_GETADDRINFO) { /* the injected failure: EAI_MEMORY */
			ASSERT_EQ_INT(rs.aux[1], EAI_MEMORY);
		} else if (op == TZM_OP_GETNAMEINFO) { /* EAI_SYSTEM and the errno behind it */
			ASSERT_EQ_INT(rs.aux[1], EAI_SYSTEM);
			ASSERT_EQ_ERRNO(rs.aux[2], finj_fired_errno());
		} else { /* the request that met the failure fails with its errno */
			ASSERT_EQ_ERRNO(rs.err, finj_fired_errno());
		}
	}
	return rs.ret;
}
#define REQ(op, blob, len, ...) req(STRICT, TZM_OP_##op, blob, len, __VA_ARGS__)
#define REQ_OPT(op, blob, len, ...) req(OPTIONAL, TZM_OP_##op, blob, len, __VA_ARGS__)

/* A request whose blob is one path below the tree (absolute). */
static int64_t path_req(uint32_t op, const char *rel, int64_t a0, int64_t a1, int64_t a2,
			int64_t a3)
{
	char path[PATH_MAX + 64];
	int n = snprintf(path, sizeof(path), "%s%s%s", rel[0] == '/' ? "" : tree,
			 rel[0] == '/' ? "" : "/", rel);

	return req(STRICT, op, path, (size_t)n + 1, a0, a1, a2, a3, 0, 0);
}

/* old\0new\0 (rename, link, symlink); returns the blob length, *oldlen the first's. */
static size_t two_paths(char *out, size_t cap, const char *a, const char *b, int64_t *oldlen)
{
	int n = snprintf(out, cap, "%s", a);
	int m = snprintf(out + n + 1, cap - (size_t)n - 1, "%s", b);

	*oldlen = n + 1;
	return (size_t)n + 1 + (size_t)m + 1;
}

static socklen_t unix_addr(struct sockaddr_un *un, const char *path, bool is_abstract)
{
	size_t n = strlen(path);

	memset(un, 0, sizeof(*un));
	un->sun_family = AF_UNIX;
	memcpy(un->sun_path + (is_abstract ? 1 : 0), path, n);
	return (socklen_t)(offsetof(struct sockaddr_un, sun_path) + n + (is_abstract ? 1 : 0));
}

static void paths(void)
{
	char blob[3 * PATH_MAX], p1[PATH_MAX + 32], p2[PATH_MAX + 32];
	int64_t dir = -1, file = -1, oldlen = 0;
	size_t n = 0;

	path_req(TZM_OP_MKDIR, "d", 0700, AT_FDCWD, 0, 0);
	dir = path_req(TZM_OP_OPENAT, "d", O_RDONLY | O_DIRECTORY, 0, AT_FDCWD, 0);
	file = REQ(OPENAT, "f", 2, O_RDWR | O_CREAT, 0600, dir, 0, 0, 0);
	REQ(WRITE, "hello", 5, file, 0, 0, 0, 0, 0);
	REQ(DUP, NULL, 0, dir, -1, 0, 0, 0, 0);
	REQ(FCNTL, NULL, 0, dir, F_DUPFD_CLOEXEC, 10, 0, 0, 0);
	REQ(GETDENTS, NULL, 0, dir, 4096, 0, 0, 0, 0);
	REQ(CHDIR, NULL, 0, dir, 0, 0, 0, 0, 0);
	path_req(TZM_OP_STAT, "d/f", 0, AT_FDCWD, 0, 0);
	path_req(TZM_OP_ACCESS, "d/f", R_OK | W_OK, AT_FDCWD, 0, 0);
	path_req(TZM_OP_CHMOD, "d/f", 0640, AT_FDCWD, 0, 0);
	REQ(FCHMOD, NULL, 0, file, 0600, 0, 0, 0, 0);
	path_req(TZM_OP_CHOWN, "d/f", (int64_t)getuid(), (int64_t)getgid(), AT_FDCWD, 0);
	snprintf(p1, sizeof(p1), "%s/d/f", tree);
	req(STRICT, TZM_OP_UTIMENS, p1, strlen(p1) + 1, AT_FDCWD, 0, 0, UTIME_NOW, 0, UTIME_NOW);
	path_req(TZM_OP_TRUNCATE, "d/f", 2, 0, 0, 0);
	snprintf(p2, sizeof(p2), "%s/d/l", tree);
	n = two_paths(blob, sizeof(blob), "f", p2, &oldlen);
	REQ(SYMLINK, blob, n, oldlen, AT_FDCWD, 0, 0, 0, 0);
	path_req(TZM_OP_READLINK, "d/l", AT_FDCWD, 64, 0, 0);
	path_req(TZM_OP_REALPATH, "d/l", 0, 0, 0, 0);
	snprintf(p2, sizeof(p2), "%s/d/g", tree);
	n = two_paths(blob, sizeof(blob), p1, p2, &oldlen);
	REQ(LINK, blob, n, oldlen, AT_FDCWD, AT_FDCWD, 0, 0, 0);
	snprintf(p1, sizeof(p1), "%s/d/l", tree);
	snprintf(p2, sizeof(p2), "%s/d/h", tree);
	n = two_paths(blob, sizeof(blob), p1, p2, &oldlen);
	REQ(LINK, blob, n, oldlen, AT_FDCWD, AT_FDCWD, AT_SYMLINK_FOLLOW, 0, 0);
	snprintf(p1, sizeof(p1), "%s/d/g", tree);
	snprintf(p2, sizeof(p2), "%s/d/g2", tree);
	n = two_paths(blob, sizeof(blob), p1, p2, &oldlen);
	REQ(RENAME, blob, n, oldlen, AT_FDCWD, AT_FDCWD, 0, 0, 0);
	path_req(TZM_OP_CHDIR, "d", -1, 0, 0, 0);
	REQ(GETCWD, NULL, 0, 0, 0, 0, 0, 0, 0);
	path_req(TZM_OP_MKFIFO, "fifo", 0600, AT_FDCWD, 0, 0);
	path_req(TZM_OP_OPENAT, "fifo", O_RDONLY | O_NONBLOCK, 0, AT_FDCWD, 0);
	path_req(TZM_OP_UNLINK, "fifo", 0, AT_FDCWD, 0, 0);
	REQ(CLOSE, NULL, 0, dir, 0, 0, 0, 0, 0);
	REQ(OPENAT, "h", 2, O_RDONLY, 0, AT_FDCWD, 0, 0, 0); /* relative to the cwd: d */
	for (const char *const *name = (const char *const[]){ "d/g2", "d/h", "d/l", "d/f", NULL };
	     *name; name++) {
		path_req(TZM_OP_UNLINK, *name, 0, AT_FDCWD, 0, 0);
	}
	path_req(TZM_OP_UNLINK, "d", 1, AT_FDCWD, 0, 0);
}

static void unix_sockets(void)
{
	struct sockaddr_un un;
	char path[PATH_MAX + 16];
	int64_t srv = -1, cli = -1, dg = -1;
	socklen_t sl = 0;

	snprintf(path, sizeof(path), "%s/sock", tree);
	srv = REQ(SOCKET, NULL, 0, AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, 0, 0, 0);
	sl = unix_addr(&un, path, false);
	REQ(BIND, &un, sl, srv, 0, 0, 0, 0, 0);
	REQ(LISTEN, NULL, 0, srv, 4, 0, 0, 0, 0);
	REQ(GETSOCKNAME, NULL, 0, srv, 0, 0, 0, 0, 0);
	cli = REQ(SOCKET, NULL, 0, AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, 0, 0, 0);
	REQ(CONNECT, &un, sl, cli, 0, 0, 0, 0, 0);
	REQ(ACCEPT4, NULL, 0, srv, SOCK_NONBLOCK, 1, 0, 0, 0);
	REQ(SENDTO, "x", 1, cli, 0, 0, 1, 0, 0);
	path_req(TZM_OP_UNLINK, "sock", 0, AT_FDCWD, 0, 0);
	dg = REQ(SOCKET, NULL, 0, AF_UNIX, SOCK_DGRAM, 0, 0, 0, 0);
	sl = unix_addr(&un, abstract, true);
	REQ(BIND, &un, sl, dg, 0, 0, 0, 0, 0);
	REQ(SOCKETPAIR, NULL, 0, AF_UNIX, SOCK_STREAM, 0, 0, 0, 0);
}

static void inet_sockets(void)
{
	struct sockaddr_in in, at;
	int64_t rcv = -1, snd = -1, tcp = -1;

	memset(&in, 0, sizeof(in));
	in.sin_family = AF_INET;
	in.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	rcv = REQ(SOCKET, NULL, 0, AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0, 0, 0, 0);
	REQ(BIND, &in, sizeof(in), rcv, 0, 0, 0, 0, 0);
	memset(&at, 0, sizeof(at));
	if (REQ(GETSOCKNAME, NULL, 0, rcv, 0, 0, 0, 0, 0) == 0 && rs.data_len >= sizeof(at)) {
		memcpy(&at, area, sizeof(at));
	}
	snd = REQ(SOCKET, NULL, 0, AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0, 0, 0, 0);
	if (at.sin_port != 0) {
		uint8_t blob[sizeof(at) + 1];

		memcpy(blob, &at, sizeof(at));
		blob[sizeof(at)] = 'u';
		/* unbound: an implicit bind, to the address routed to 127.0.0.1 (the rules) */
		REQ(SENDTO, blob, sizeof(blob), snd, 0, sizeof(at), 1, 0, 0);
		/* the source is remembered for replies: a failure there only loses that */
		req(OPTIONAL, TZM_OP_RECVFROM, NULL, 0, rcv, 16, MSG_DONTWAIT, 1, 0, 0);
	}
	tcp = REQ(SOCKET, NULL, 0, AF_INET, SOCK_STREAM, 0, 0, 0, 0);
	REQ(LISTEN, NULL, 0, tcp, 4, 0, 0, 0, 0); /* the implicit wildcard bind: denied */
	REQ(GETADDRINFO,
	    "127.0.0.1\0"
	    "7\0",
	    12, AI_NUMERICHOST | AI_NUMERICSERV, AF_INET, SOCK_STREAM, 0, 1, 1);
	struct sockaddr_in lo = { .sin_family = AF_INET, .sin_port = htons(7) };
	lo.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	/* the service's name from /etc/services: a lookup that opens a file */
	REQ(GETNAMEINFO, &lo, sizeof(lo), NI_NUMERICHOST, 64, 32, 0, 0, 0);
}

static void other_fds(void)
{
	struct tzm_wire_pollfd pfd;
	int64_t ep = -1, mq = -1;

	if (REQ(PIPE2, NULL, 0, O_NONBLOCK, 0, 0, 0, 0, 0) == 0) {
		int64_t rd = rs.aux[0];

		ep = REQ(EPOLL_CREATE1, NULL, 0, 0, 0, 0, 0, 0, 0);
		REQ(EPOLL_CTL, NULL, 0, ep, EPOLL_CTL_ADD, rd, EPOLLIN, 7, 0);
		pfd.fd = (int32_t)rd;
		pfd.events = POLLIN;
		pfd.revents = 0;
		REQ(POLL, &pfd, sizeof(pfd), 1, 0, 0, 0, 0, 0);
	}
	mq = REQ(MQ_OPEN, mq_name, strlen(mq_name) + 1, O_RDWR | O_CREAT | O_NONBLOCK, 0600, 0, 0,
		 0, 0);
	if (mq >= 0) {
		REQ(MQ_UNLINK, mq_name, strlen(mq_name) + 1, 0, 0, 0, 0, 0, 0);
	}
	REQ(EVENTFD, NULL, 0, 0, 0, 0, 0, 0, 0);
	REQ(TIMERFD_CREATE, NULL, 0, CLOCK_MONOTONIC, 0, 0, 0, 0, 0);
}

static void shadow_run(void)
{
	tzm_shadow_init(&sh, pol, &unit_tp);
	for (int i = 0; i < 3; i++) { /* not our own stdio */
		sh.fds[i].kind = SFD_FREE;
		sh.fds[i].host = -1;
	}
	sh.nopen = 0;
	paths();
	unix_sockets();
	inet_sockets();
	other_fds();
	finj_step("close all");
	tzm_shadow_close_all(&sh);
}

static int shadow_setup(void)
{
	char file[PATH_MAX + 16], err[256];
	FILE *f = NULL;

	if (finj_tmpdir(base, sizeof(base)) != 0) {
		return -1;
	}
	snprintf(tree, sizeof(tree), "%s/tree", base);
	snprintf(mq_name, sizeof(mq_name), "/tzm-finj-%ld", (long)getpid());
	snprintf(abstract, sizeof(abstract), "tzm-finj-%ld", (long)getpid());
	snprintf(file, sizeof(file), "%s/policy", base);
	f = fopen(file, "w");
	if (mkdir(tree, 0700) != 0 || !f) {
		perror("finj: set-up");
		return -1;
	}
	fprintf(f,
		"path rw %s\n"
		"fifo %s/fifo\n"
		"unix %s/sock\n"
		"unix @%s*\n"
		"tcp bind 127.0.0.1 *\n"
		"udp bind 127.0.0.1 *\n"
		"udp connect 127.0.0.1 *\n"
		"mq %s\n"
		"log %s/denials.log\n",
		tree, tree, tree, abstract, mq_name, base);
	if (fclose(f) != 0 || tzm_policy_load(file, &pol, err, sizeof(err)) != 0) {
		fprintf(stderr, "finj: policy: %s\n", err);
		return -1;
	}
	return 0;
}

/* What a run may have left behind when a failure stopped its own clean-up. */
static void shadow_reset(void)
{
	static const char *const names[] = { "d", "fifo", "sock" };
	char path[PATH_MAX + 16];

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", tree, names[i]);
		finj_rmtree(path);
	}
	(void)mq_unlink(mq_name);
}

static void shadow_teardown(void)
{
	shadow_reset();
	tzm_policy_free(pol);
	finj_rmtree(base);
}

const struct finj_unit finj_unit_shadow = {
	.name = "shadow",
	.setup = shadow_setup,
	.reset = shadow_reset,
	.run = shadow_run,
	.teardown = shadow_teardown,
};
