/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * libteec's "driver": the connection to tzm-teed over $TZM_RUNTIME_DIR/tee.sock, starting
 * the daemon on demand, and request/reply matching for many threads on one socket.
 *
 * Start-up: connect; if nobody listens, take an flock on tzm-teed.lock, re-try (another
 * process may have won the race), else double-fork + exec tzm-teed (prefixed by the words
 * of $TZM_EXEC_WRAPPER) and poll until the socket accepts.
 *
 * Concurrency: replies are matched by sequence number. Whoever waits first becomes the
 * reader and hands replies for other threads over under the context lock; the others wait
 * on a condition variable (leader/follower), so no helper thread is needed.
 */
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "teec_priv.h"

#ifndef TZM_INSTALL_LIBEXEC
#define TZM_INSTALL_LIBEXEC "/usr/local/libexec/tzmediator"
#endif

struct tzm__teec_waiter {
	uint32_t seq;
	bool done;
	struct tzm__msg *reply;
	struct tzm__teec_waiter *next;
};

/*
 * Set-up failures are the user's to fix (a directory, a binary, a daemon that died): each
 * is named on stderr with its cause and its fix, as the GP API has no room for more than
 * TEEC_ERROR_COMMUNICATION.
 */
static void setup_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void setup_error(const char *fmt, ...)
{
	char why[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	fprintf(stderr, "libteec: cannot reach the TEE: %s\n", why);
}

/*
 * A system TEE (tzm-teed --system, tee/core/system.c) has a runtime directory owned by
 * its own user, whose group (the client group) may enter it but nobody else may write:
 * the caller must be in that group. Such a core is only connected to, never started.
 */
static bool system_runtime_dir(const struct stat *st)
{
	gid_t groups[256];
	int n = getgroups(256, groups);
	bool member = st->st_gid == getgid();

	for (int i = 0; i < n && !member; i++) {
		member = groups[i] == st->st_gid;
	}
	return member && (st->st_mode & 0050) == 0050 && (st->st_mode & 0027) == 0;
}

static int runtime_dir(char *buf, size_t cap, bool *system)
{
	const char *d = getenv("TZM_RUNTIME_DIR");
	const char *x = getenv("XDG_RUNTIME_DIR");
	struct stat st;
	int n;

	if (d && *d) {
		n = snprintf(buf, cap, "%s", d);
	} else if (x && *x) {
		n = snprintf(buf, cap, "%s/tzmediator", x);
	} else {
		n = snprintf(buf, cap, "/tmp/tzmediator-%u", (unsigned)getuid());
	}
	if (n < 0 || (size_t)n >= cap) {
		setup_error("runtime directory path too long (set TZM_RUNTIME_DIR to a shorter "
			    "one)");
		return -ENAMETOOLONG;
	}
	if (mkdir(buf, 0700) && errno != EEXIST) {
		int e = errno;

		setup_error("cannot create the runtime directory %s: %s (set TZM_RUNTIME_DIR to "
			    "a directory you can create, e.g. under $XDG_RUNTIME_DIR)",
			    buf, strerror(e));
		return -e;
	}
	/* Refuse a directory someone else could have planted or can write into. */
	if (lstat(buf, &st)) {
		int e = errno;

		setup_error("runtime directory %s: %s", buf, strerror(e));
		return -e;
	}
	if (!S_ISDIR(st.st_mode)) {
		setup_error("runtime directory %s is not a directory%s (remove it, or set "
			    "TZM_RUNTIME_DIR to another path)",
			    buf, S_ISLNK(st.st_mode) ? " but a symbolic link" : "");
		return -ENOTDIR;
	}
	*system = st.st_uid != getuid() && system_runtime_dir(&st);
	if (*system) {
		return 0;
	}
	if (st.st_uid != getuid()) {
		setup_error("runtime directory %s is owned by uid %u, not by you (uid %u): "
			    "another user could control the TEE there (set TZM_RUNTIME_DIR to a "
			    "directory of your own)",
			    buf, (unsigned)st.st_uid, (unsigned)getuid());
		return -EACCES;
	}
	if (st.st_mode & 0077) {
		setup_error("runtime directory %s has mode %04o: others could reach or replace "
			    "the TEE socket (chmod 700 %s)",
			    buf, (unsigned)(st.st_mode & 07777), buf);
		return -EACCES;
	}
	if (access(buf, R_OK | W_OK | X_OK)) {
		int e = errno;

		setup_error("runtime directory %s is not writable by you: %s (chmod 700 %s)", buf,
			    strerror(e), buf);
		return -e;
	}
	return 0;
}

static int try_connect(const char *dir)
{
	struct sockaddr_un sa;
	int s, n;

	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	n = snprintf(sa.sun_path, sizeof(sa.sun_path), "%s/tee.sock", dir);
	if (n < 0 || (size_t)n >= sizeof(sa.sun_path)) {
		return -ENAMETOOLONG;
	}
	s = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (s < 0) {
		return -errno;
	}
	if (connect(s, (struct sockaddr *)&sa, sizeof(sa))) {
		int e = -errno;
		close(s);
		return e;
	}
	return s;
}

/* Path of tzm-teed: $TZM_TEED, beside this library/executable, else the install path. */
static int teed_path(char *buf, size_t cap)
{
	const char *env = getenv("TZM_TEED");
	Dl_info info;

	if (env && *env) {
		return (size_t)snprintf(buf, cap, "%s", env) < cap ? 0 : -ENAMETOOLONG;
	}
	if (dladdr((void *)&tzm__teec_connect, &info) && info.dli_fname) {
		char self[PATH_MAX];
		char *dir;

		if (realpath(info.dli_fname, self)) {
			dir = dirname(self);
			if ((size_t)snprintf(buf, cap, "%s/../libexec/tzmediator/tzm-teed", dir) <
				    cap &&
			    access(buf, X_OK) == 0) {
				return 0;
			}
		}
	}
	return (size_t)snprintf(buf, cap, "%s/tzm-teed", TZM_INSTALL_LIBEXEC) < cap ? 0
										    : -ENAMETOOLONG;
}

/*
 * Starts "tzm-teed --detach" (through $TZM_EXEC_WRAPPER if set) with posix_spawn and
 * waits for it; the detach step re-spawns the daemon in a new session and exits, so the
 * daemon is not our child. posix_spawn rather than fork: it does not copy the
 * application, and it works under qemu-user, whose fork emulation is unreliable.
 */
static int spawn_teed(const char *dir)
{
	char path[PATH_MAX];
	char *argv[40];
	char *copy = NULL;
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t attr;
	sigset_t none;
	pid_t pid;
	int argc = 0, status = 0, rc = teed_path(path, sizeof(path));
	const char *wrap = getenv("TZM_EXEC_WRAPPER");

	if (rc) {
		setup_error("path of tzm-teed too long (set TZM_TEED)");
		return rc;
	}
	if (access(path, X_OK)) {
		rc = -errno;
		setup_error("the TEE core %s cannot be started: %s (set TZM_TEED to the tzm-teed "
			    "binary, or reinstall tzmediator)",
			    path, strerror(-rc));
		return rc;
	}
	if (wrap && *wrap) {
		copy = strdup(wrap);
		for (char *tok = copy ? strtok(copy, " \t") : NULL; tok && argc < 36;
		     tok = strtok(NULL, " \t")) {
			argv[argc++] = tok;
		}
	}
	argv[argc++] = path;
	argv[argc++] = "--detach";
	argv[argc] = NULL;
	sigemptyset(&none);
	posix_spawnattr_init(&attr);
	posix_spawnattr_setsigmask(&attr, &none);
	posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK);
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	/* stderr stays for "--detach", which relays the daemon's start-up failures to it */
	posix_spawn_file_actions_addclosefrom_np(&fa, 3);
	rc = posix_spawnp(&pid, argv[0], &fa, &attr, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&attr);
	free(copy);
	if (rc) {
		setup_error("cannot start %s (for the TEE core %s): %s (check TZM_EXEC_WRAPPER "
			    "and TZM_TEED)",
			    argv[0], path, strerror(rc));
		return -rc;
	}
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
	}
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		/* tzm-teed said why on our stderr, just above */
		setup_error("the TEE core %s failed to start (its message is above; its log, if "
			    "it got that far: %s/tee.log)",
			    path, dir);
		return -ECHILD;
	}
	return 0;
}

/*
 * Version handshake (tee_msg.h): a core of another tzmediator version, protocol or
 * install is refused, naming both sides, instead of being used silently.
 */
static int hello(int s, const char *dir)
{
	struct tee_msg_hello_req req;
	struct tee_msg_hello_rsp rsp;
	struct tzm__msg *m = malloc(sizeof(*m));
	char want[PATH_MAX], want_real[PATH_MAX] = "";
	struct pollfd p = { .fd = s, .events = POLLIN };
	int rc;

	if (!m) {
		return -ENOMEM;
	}
	memset(&req, 0, sizeof(req));
	req.protocol = TEE_MSG_PROTOCOL;
	snprintf(req.version, sizeof(req.version), "%s", TZM_VERSION);
	rc = tzm__msg_send(s, TEE_MSG_HELLO, 1, 0, 0, &req, sizeof(req), NULL, 0, NULL, 0);
	/* A core that cannot take us said so (seq 0) and closed: the send then fails, but
	 * its answer is there to read. 30 s: a core under qemu-user or valgrind is slow. */
	if (rc == 0 || rc == -EPIPE || rc == -ECONNRESET) {
		rc = poll(&p, 1, 30000) == 1 ? tzm__msg_recv(s, m) : -ETIMEDOUT;
		if (rc == -ECONNRESET) {
			/* the reset (our hello unread) is reported before the queued answer */
			rc = tzm__msg_recv(s, m);
		}
	}
	if (rc) {
		setup_error("no answer from the TEE core at %s/tee.sock (%s): see %s/tee.log", dir,
			    strerror(-rc), dir);
		goto out;
	}
	tzm__msg_close_fds(m);
	if (m->hdr.cmd != (TEE_MSG_HELLO | TEE_MSG_F_REPLY)) {
		setup_error("the TEE core at %s/tee.sock answered the version handshake with "
			    "message 0x%x",
			    dir, m->hdr.cmd);
		rc = -EPROTO;
		goto out;
	}
	if (m->hdr.ret == TEEC_ERROR_BUSY) {
		setup_error("the TEE core for %s is busy: it serves its maximum number of clients "
			    "(TZM_MAX_CLIENTS) or is out of descriptors; see %s/tee.log",
			    dir, dir);
		rc = -EBUSY;
		goto out;
	}
	if (m->hdr.ret != TEEC_SUCCESS || m->hdr.len != sizeof(rsp)) {
		setup_error("the TEE core running for %s predates the version handshake of "
			    "tzmediator %s: stop it (kill $(cat %s/tzm-teed.pid)) so that this "
			    "version's core starts",
			    dir, TZM_VERSION, dir);
		rc = -EPROTO;
		goto out;
	}
	memcpy(&rsp, m->body, sizeof(rsp));
	rsp.version[sizeof(rsp.version) - 1] = '\0';
	rsp.teed_path[sizeof(rsp.teed_path) - 1] = '\0';
	if (teed_path(want, sizeof(want)) == 0 && !realpath(want, want_real)) {
		want_real[0] = '\0'; /* nothing there: no opinion on which core to use */
	}
	if (rsp.protocol != TEE_MSG_PROTOCOL || strcmp(rsp.version, TZM_VERSION) != 0 ||
	    (want_real[0] && strcmp(rsp.teed_path, want_real) != 0)) {
		setup_error("the TEE core running for %s is %s (pid %d, tzmediator %s, protocol "
			    "%u), but this libteec is tzmediator %s, protocol %u, and uses %s%s: "
			    "stop that core (kill %d), or give this program its own "
			    "TZM_RUNTIME_DIR",
			    dir, rsp.teed_path, (int)rsp.pid, rsp.version, rsp.protocol,
			    TZM_VERSION, TEE_MSG_PROTOCOL, want_real[0] ? want_real : "any core",
			    strstr(rsp.teed_path, " (deleted)") ? " (the running core's binary was "
								  "replaced since it started)"
								: "",
			    (int)rsp.pid);
		rc = -EPROTO;
	}
out:
	free(m);
	return rc;
}

int tzm__teec_connect(void)
{
	char dir[PATH_MAX - 32], lock[PATH_MAX];
	bool system = false;
	int s, lfd, rc;

	rc = runtime_dir(dir, sizeof(dir), &system);
	if (rc) {
		return rc;
	}
	s = try_connect(dir);
	if (s >= 0) {
		goto connected;
	}
	if (system) {
		setup_error("cannot connect to the system TEE at %s/tee.sock: %s (is tzm-teed "
			    "--system running, and are you in the group of %s?)",
			    dir, strerror(-s), dir);
		return s;
	}
	if (s != -ENOENT && s != -ECONNREFUSED) {
		setup_error("cannot connect to %s/tee.sock: %s", dir, strerror(-s));
		return s;
	}
	snprintf(lock, sizeof(lock), "%s/tzm-teed.lock", dir);
	lfd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (lfd < 0) {
		rc = -errno;
		setup_error("cannot create %s: %s (the runtime directory must be writable by you: "
			    "chmod 700 %s)",
			    lock, strerror(-rc), dir);
		return rc;
	}
	while (flock(lfd, LOCK_EX) && errno == EINTR) {
	}
	s = try_connect(dir);
	if (s == -ENOENT || s == -ECONNREFUSED) {
		rc = spawn_teed(dir);
		if (rc) {
			s = rc;
		} else {
			/* qemu-user start-up can be slow: allow up to 30 s. */
			for (int i = 0; i < 3000; i++) {
				struct timespec ts = { 0, 10 * 1000 * 1000 };

				s = try_connect(dir);
				if (s >= 0 || (s != -ENOENT && s != -ECONNREFUSED)) {
					break;
				}
				nanosleep(&ts, NULL);
			}
			if (s < 0) {
				setup_error("the TEE core started but %s/tee.sock does not accept "
					    "connections (%s): see %s/tee.log",
					    dir, strerror(-s), dir);
			}
		}
	} else if (s < 0) {
		setup_error("cannot connect to %s/tee.sock: %s", dir, strerror(-s));
	}
	flock(lfd, LOCK_UN);
	close(lfd);
	if (s < 0) {
		return s;
	}
connected:
	rc = hello(s, dir);
	if (rc) {
		close(s);
		return rc;
	}
	return s;
}

static void drop_msg(struct tzm__msg *m)
{
	tzm__msg_close_fds(m);
}

/* Called with c->lock held; returns with it held. */
static int read_one(struct tzm__teec_ctx *c)
{
	struct tzm__msg *m = malloc(sizeof(*m));
	int rc;

	if (!m) {
		return -ENOMEM;
	}
	c->reader_active = true;
	pthread_mutex_unlock(&c->lock);
	rc = tzm__msg_recv(c->sock, m);
	/* A TA's plugin call arrives while its client waits for the open/invoke: run it here,
	 * still the only reader and without the lock, then go on waiting. */
	while (rc == 0 && m->hdr.cmd == TEE_MSG_PLUGIN_CALL) {
		tzm__msg_close_fds(m);
		rc = tzm__teec_plugin_call(c, m);
		if (rc == 0) {
			rc = tzm__msg_recv(c->sock, m);
		}
	}
	pthread_mutex_lock(&c->lock);
	c->reader_active = false;
	if (rc == 0) {
		struct tzm__teec_waiter *w = c->waiters;

		while (w && (w->done || w->seq != m->hdr.seq)) {
			w = w->next;
		}
		if (w && (m->hdr.cmd & TEE_MSG_F_REPLY)) {
			memcpy(&w->reply->hdr, &m->hdr, sizeof(m->hdr));
			memcpy(w->reply->body, m->body, m->hdr.len);
			memcpy(w->reply->fds, m->fds, sizeof(m->fds));
			w->reply->nfds = m->nfds;
			w->done = true;
		} else {
			drop_msg(m);
		}
	} else if (rc != -EBADMSG) {
		c->dead = true;
	}
	free(m);
	pthread_cond_broadcast(&c->cond);
	return rc == -EBADMSG ? 0 : rc;
}

int tzm__teec_call(struct tzm__teec_ctx *c, uint16_t cmd, const void *req, size_t req_len,
		   const int *fds, int nfds, struct tzm__msg *reply)
{
	return tzm__teec_call_op(c, cmd, req, req_len, fds, nfds, reply, NULL, 0, NULL);
}

int tzm__teec_call_op(struct tzm__teec_ctx *c, uint16_t cmd, const void *req, size_t req_len,
		      const int *fds, int nfds, struct tzm__msg *reply, uint32_t *id_slot,
		      uint32_t op_id, uint32_t *cancel)
{
	struct tzm__teec_waiter w;
	struct tzm__teec_waiter **pp;
	int rc = 0;

	memset(&w, 0, sizeof(w));
	w.reply = reply;
	reply->nfds = 0;
	pthread_mutex_lock(&c->lock);
	if (c->dead) {
		pthread_mutex_unlock(&c->lock);
		return -ECONNRESET;
	}
	w.seq = ++c->next_seq;
	w.next = c->waiters;
	c->waiters = &w;
	rc = tzm__msg_send(c->sock, cmd, w.seq, 0, 0, req, req_len, NULL, 0, fds, nfds);
	if (rc == 0 && id_slot) {
		/* Dekker with TEEC_RequestCancellation (cancel, then id): one of the two sees
		 * the other's store, so the cancellation is sent at least once, and after the
		 * request (a second one for the same operation changes nothing in the core:
		 * the queued call is already gone, the running one's flag already set) */
		__atomic_store_n(id_slot, op_id, __ATOMIC_SEQ_CST);
		if (__atomic_load_n(cancel, __ATOMIC_SEQ_CST)) {
			struct tee_msg_cancel_req creq = { .op_id = op_id };

			(void)tzm__msg_send(c->sock, TEE_MSG_CANCEL, ++c->next_seq, 0, 0, &creq,
					    sizeof(creq), NULL, 0, NULL, 0);
		}
	}
	while (rc == 0 && !w.done) {
		if (c->dead) {
			rc = -ECONNRESET;
		} else if (!c->reader_active) {
			rc = read_one(c);
		} else {
			pthread_cond_wait(&c->cond, &c->lock);
		}
	}
	for (pp = &c->waiters; *pp; pp = &(*pp)->next) {
		if (*pp == &w) {
			*pp = w.next;
			break;
		}
	}
	pthread_mutex_unlock(&c->lock);
	return rc;
}

int tzm__teec_post(struct tzm__teec_ctx *c, uint16_t cmd, const void *req, size_t req_len)
{
	uint32_t seq;

	pthread_mutex_lock(&c->lock);
	seq = ++c->next_seq;
	pthread_mutex_unlock(&c->lock);
	return tzm__msg_send(c->sock, cmd, seq, 0, 0, req, req_len, NULL, 0, NULL, 0);
}
