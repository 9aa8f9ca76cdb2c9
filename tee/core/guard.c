/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * What peers may cost the core: descriptors they pass and resources they hold.
 *
 * Foreign descriptors. Every fd a peer passes (SCM_RIGHTS) is checked before anything
 * else: only memfds are used (F_GET_SEALS succeeds on shmem files only and never touches
 * another file system, unlike fstat on a FUSE file). Anything else is closed off the event
 * loop, on a closer thread: the last close of a socket with SO_LINGER and unsent data
 * blocks for the linger time, of a FUSE or NFS file until its server answers, of a tty
 * until its output drains. Sockets get SO_LINGER switched off first, so the closer
 * thread itself is normally not held either.
 *
 * Limits. Per client (a libteec context, or a TA instance acting as a client): sessions,
 * instances it caused to start, registered shared memories and their bytes, requests
 * queued or running; globally: clients, instances, shared memories and their bytes,
 * requests. Counted by walking the core's lists (no counter to drift). The global caps
 * are checked against the descriptor limit at start-up (raised to the hard limit): held
 * descriptors always leave room for a full datagram of fds plus a margin, so recvmsg
 * never has to drop fds in our thread and accept never runs dry in normal operation.
 * If it does anyway (EMFILE), a reserve descriptor is given up to accept the client and
 * tell it BUSY, and listening pauses instead of spinning on a ready socket.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include "teed.h"

/* fds besides the ones objects hold: std, log, epoll, signalfd, listen, lock, reserve,
 * closer pipe, files the core opens briefly (TA images, storage) */
#define FIXED_FD_MARGIN 64
#define CLOSER_BACKLOG_MAX 512

/* Runs with every signal blocked from its first instruction on (core_guard_init). */
static void *closer_main(void *arg)
{
	struct core *core = arg;
	int fd;
	for (;;) {
		ssize_t n = read(core->closer_pipe[0], &fd, sizeof(fd));

		if (n == (ssize_t)sizeof(fd)) {
			close(fd);
			__atomic_sub_fetch(&core->closer_backlog, 1, __ATOMIC_RELAXED);
		} else if (n < 0 && errno == EINTR) {
			continue;
		} else {
			break;
		}
	}
	return NULL;
}

bool core_fd_is_memfd(int fd)
{
	return fd >= 0 && fcntl(fd, F_GET_SEALS) >= 0;
}

void core_fd_discard(struct core *core, int fd)
{
	struct linger off = { 0, 0 };

	if (fd < 0) {
		return;
	}
	if (core_fd_is_memfd(fd)) {
		close(fd); /* shmem: releasing it never waits */
		return;
	}
	/* A socket: lingering switched off (ENOTSOCK for the rest). */
	setsockopt(fd, SOL_SOCKET, SO_LINGER, &off, sizeof(off));
	if (core->closer_pipe[1] >= 0 &&
	    __atomic_load_n(&core->closer_backlog, __ATOMIC_RELAXED) < CLOSER_BACKLOG_MAX) {
		__atomic_add_fetch(&core->closer_backlog, 1, __ATOMIC_RELAXED);
		if (write(core->closer_pipe[1], &fd, sizeof(fd)) == (ssize_t)sizeof(fd)) {
			return;
		}
		__atomic_sub_fetch(&core->closer_backlog, 1, __ATOMIC_RELAXED);
	}
	core_log(core, 'E', "descriptor closer backed up: closing a foreign fd in the event loop");
	close(fd);
}

void core_fd_discard_cb(void *ctx, int fd)
{
	core_fd_discard(ctx, fd);
}

unsigned core_fd_vet(struct core *core, struct tzm__msg *m)
{
	unsigned refused = 0;

	for (int i = 0; i < m->nfds; i++) {
		if (m->fds[i] >= 0 && !core_fd_is_memfd(m->fds[i])) {
			core_fd_discard(core, m->fds[i]);
			m->fds[i] = -1;
			refused++;
		}
	}
	return refused;
}

static uint64_t env_u64(struct core *core, const char *name, uint64_t def, bool *set)
{
	const char *v = getenv(name);
	char *end = NULL;
	unsigned long long x;

	if (!v || !*v) {
		return def;
	}
	errno = 0;
	x = strtoull(v, &end, 10);
	if (errno || !end || *end || x == 0) {
		core_log(core, 'E', "%s=%s: not a positive number; using %llu", name, v,
			 (unsigned long long)def);
		return def;
	}
	if (set) {
		*set = true;
	}
	return (uint64_t)x;
}

int core_guard_init(struct core *core)
{
	struct rlimit rl;
	uint64_t need, fd_cap;
	pthread_t t;
	pthread_attr_t attr;
	sigset_t all, old;
	int rc;
	bool set = false;

	core->limits.client_sessions = env_u64(core, "TZM_CLIENT_MAX_SESSIONS", 64, NULL);
	core->limits.client_instances = env_u64(core, "TZM_CLIENT_MAX_INSTANCES", 16, NULL);
	core->limits.client_shm = env_u64(core, "TZM_CLIENT_MAX_SHM", 256, NULL);
	core->limits.client_shm_bytes = env_u64(core, "TZM_CLIENT_MAX_SHM_BYTES", 1ull << 30, NULL);
	core->limits.client_requests = env_u64(core, "TZM_CLIENT_MAX_REQUESTS", 64, NULL);
	core->limits.clients = env_u64(core, "TZM_MAX_CLIENTS", 256, &set);
	core->limits.instances = env_u64(core, "TZM_MAX_INSTANCES", 128, &set);
	core->limits.shm = env_u64(core, "TZM_MAX_SHM", 4096, &set);
	core->limits.shm_bytes = env_u64(core, "TZM_MAX_SHM_BYTES", 8ull << 30, NULL);
	core->limits.requests = env_u64(core, "TZM_MAX_REQUESTS", 1024, &set);

	/* Descriptors: raise the soft limit to the hard one, then make the global caps fit
	 * (each client 1, shared memory 1, instance 2, request 1 for its bounce memfd). */
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0) {
		if (rl.rlim_cur < rl.rlim_max) {
			rl.rlim_cur = rl.rlim_max;
			setrlimit(RLIMIT_NOFILE, &rl);
			getrlimit(RLIMIT_NOFILE, &rl);
		}
		fd_cap = rl.rlim_cur == RLIM_INFINITY ? UINT32_MAX : (uint64_t)rl.rlim_cur;
		core->limits.fd_limit = fd_cap;
		need = core->limits.clients + core->limits.shm + 2 * core->limits.instances +
		       core->limits.requests + CLOSER_BACKLOG_MAX + TZM_MSG_SCM_MAX_FD +
		       FIXED_FD_MARGIN;
		if (need > fd_cap) {
			uint64_t room = fd_cap > CLOSER_BACKLOG_MAX + TZM_MSG_SCM_MAX_FD +
								FIXED_FD_MARGIN + 40
						? fd_cap - CLOSER_BACKLOG_MAX - TZM_MSG_SCM_MAX_FD -
							  FIXED_FD_MARGIN
						: 40;
			uint64_t want =
				need - CLOSER_BACKLOG_MAX - TZM_MSG_SCM_MAX_FD - FIXED_FD_MARGIN;

			/* scale every fd-holding cap by room/want (at least a few of each) */
			core->limits.clients = core->limits.clients * room / want + 2;
			core->limits.shm = core->limits.shm * room / want + 2;
			core->limits.instances = core->limits.instances * room / want / 2 + 2;
			core->limits.requests = core->limits.requests * room / want + 2;
			core_log(core, 'W',
				 "descriptor limit %llu is low%s: global caps lowered to %llu "
				 "clients, %llu shared memories, %llu instances, %llu requests",
				 (unsigned long long)fd_cap, set ? " for the configured caps" : "",
				 (unsigned long long)core->limits.clients,
				 (unsigned long long)core->limits.shm,
				 (unsigned long long)core->limits.instances,
				 (unsigned long long)core->limits.requests);
		}
	}
	core_log(core, 'I',
		 "limits per client: %llu sessions, %llu instances, %llu shared memories, "
		 "%llu shared bytes, %llu requests; in all: %llu clients, %llu instances, %llu "
		 "shared memories, %llu shared bytes, %llu requests",
		 (unsigned long long)core->limits.client_sessions,
		 (unsigned long long)core->limits.client_instances,
		 (unsigned long long)core->limits.client_shm,
		 (unsigned long long)core->limits.client_shm_bytes,
		 (unsigned long long)core->limits.client_requests,
		 (unsigned long long)core->limits.clients,
		 (unsigned long long)core->limits.instances, (unsigned long long)core->limits.shm,
		 (unsigned long long)core->limits.shm_bytes,
		 (unsigned long long)core->limits.requests);

	core->reserve_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	if (pipe2(core->closer_pipe, O_CLOEXEC) ||
	    fcntl(core->closer_pipe[1], F_SETFL, O_NONBLOCK)) {
		core_log(core, 'E', "descriptor closer: %s", strerror(errno));
		return -1;
	}
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	pthread_attr_setstacksize(&attr, 64 * 1024);
	/*
	 * The thread is created with every signal blocked: the event loop takes SIGCHLD
	 * through a signalfd (teed.c), and a thread that has not blocked it yet (one that
	 * blocked it itself, but had not run since it was created) is where the kernel
	 * delivers it, to be dropped (SIG_DFL): the TA host was never reaped and the daemon
	 * never idle-exited.
	 */
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	rc = pthread_create(&t, &attr, closer_main, core);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	pthread_attr_destroy(&attr);
	if (rc) {
		core_log(core, 'E', "cannot start the descriptor closer thread");
		return -1;
	}
	return 0;
}

int core_accept_emfile(struct core *core, int listen_fd)
{
	int fd;

	if (core->reserve_fd < 0) {
		return -1;
	}
	close(core->reserve_fd);
	core->reserve_fd = -1;
	fd = accept4(listen_fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
	core->reserve_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		/* too full to serve it: say so instead of leaving it to time out */
		tzm__msg_send(fd, TEE_MSG_HELLO | TEE_MSG_F_REPLY, 0, TEE_ERROR_BUSY,
			      TEE_ORIGIN_TEE, NULL, 0, NULL, 0, NULL, 0);
		close(fd);
	}
	return fd >= 0 ? 0 : -1;
}

/* ---- counting ---- */

struct usage {
	uint64_t sessions, instances, shm, shm_bytes, requests;
};

static void usage_of(struct core *core, const struct conn *c, struct usage *u)
{
	memset(u, 0, sizeof(*u));
	for (const struct session *s = core->sessions; s; s = s->next) {
		u->sessions += !c || s->owner == c;
	}
	for (const struct instance *i = core->instances; i; i = i->next) {
		u->instances += !c || i->creator == c;
		for (const struct op *op = i->queue; op; op = op->next) {
			u->requests += op->kind != OP_INIT && (!c || op->from == c);
		}
	}
	for (const struct shm *s = core->shms; s; s = s->next) {
		if (!c || s->owner == c) {
			u->shm++;
			u->shm_bytes += s->held;
		}
	}
}

static void refuse_log(struct core *core, struct conn *c, unsigned bit, const char *what,
		       uint64_t limit, const char *knob)
{
	if (c->limits_logged & bit) {
		return; /* once per client and kind: a hostile client must not flood the log */
	}
	c->limits_logged |= bit;
	core_log(core, 'E', "client %llu (pid %d): refused: %s limit %llu reached (%s)",
		 (unsigned long long)c->id, (int)c->pid, what, (unsigned long long)limit, knob);
}

/* The request limits, shared by a new session (which is a request) and any request. */
static TEE_Result check_requests(struct core *core, struct conn *c, const struct usage *mine,
				 const struct usage *all)
{
	if (mine->requests >= core->limits.client_requests) {
		refuse_log(core, c, 1u << 1, "requests per client", core->limits.client_requests,
			   "TZM_CLIENT_MAX_REQUESTS");
		return TEE_ERROR_BUSY;
	}
	if (all->requests >= core->limits.requests) {
		refuse_log(core, c, 1u << 2, "requests in all", core->limits.requests,
			   "TZM_MAX_REQUESTS");
		return TEE_ERROR_BUSY;
	}
	return TEE_SUCCESS;
}

TEE_Result core_limit_session(struct core *core, struct conn *c)
{
	struct usage mine, all;

	usage_of(core, c, &mine);
	usage_of(core, NULL, &all);
	if (mine.sessions >= core->limits.client_sessions) {
		refuse_log(core, c, 1u << 0, "sessions per client", core->limits.client_sessions,
			   "TZM_CLIENT_MAX_SESSIONS");
		return TEE_ERROR_BUSY;
	}
	return check_requests(core, c, &mine, &all);
}

TEE_Result core_limit_instance(struct core *core, struct conn *c)
{
	struct usage mine, all;

	usage_of(core, c, &mine);
	usage_of(core, NULL, &all);
	if (mine.instances >= core->limits.client_instances) {
		refuse_log(core, c, 1u << 3, "instances started per client",
			   core->limits.client_instances, "TZM_CLIENT_MAX_INSTANCES");
		return TEE_ERROR_BUSY;
	}
	if (all.instances >= core->limits.instances) {
		refuse_log(core, c, 1u << 4, "instances in all", core->limits.instances,
			   "TZM_MAX_INSTANCES");
		return TEE_ERROR_BUSY;
	}
	return TEE_SUCCESS;
}

TEE_Result core_limit_request(struct core *core, struct conn *c)
{
	struct usage mine, all;

	usage_of(core, c, &mine);
	usage_of(core, NULL, &all);
	return check_requests(core, c, &mine, &all);
}

TEE_Result core_limit_shm(struct core *core, struct conn *c, uint64_t size)
{
	struct usage mine, all;

	usage_of(core, c, &mine);
	usage_of(core, NULL, &all);
	if (mine.shm >= core->limits.client_shm) {
		refuse_log(core, c, 1u << 5, "shared memories per client", core->limits.client_shm,
			   "TZM_CLIENT_MAX_SHM");
		return TEE_ERROR_OUT_OF_MEMORY;
	}
	if (size > core->limits.client_shm_bytes - mine.shm_bytes ||
	    mine.shm_bytes > core->limits.client_shm_bytes) {
		refuse_log(core, c, 1u << 6, "shared memory bytes per client",
			   core->limits.client_shm_bytes, "TZM_CLIENT_MAX_SHM_BYTES");
		return TEE_ERROR_OUT_OF_MEMORY;
	}
	if (all.shm >= core->limits.shm) {
		refuse_log(core, c, 1u << 7, "shared memories in all", core->limits.shm,
			   "TZM_MAX_SHM");
		return TEE_ERROR_OUT_OF_MEMORY;
	}
	if (size > core->limits.shm_bytes - all.shm_bytes ||
	    all.shm_bytes > core->limits.shm_bytes) {
		refuse_log(core, c, 1u << 8, "shared memory bytes in all", core->limits.shm_bytes,
			   "TZM_MAX_SHM_BYTES");
		return TEE_ERROR_OUT_OF_MEMORY;
	}
	return TEE_SUCCESS;
}

bool core_limit_client(struct core *core)
{
	uint64_t n = 0;

	for (const struct conn *c = core->conns; c; c = c->next) {
		n++;
	}
	return n < core->limits.clients;
}
