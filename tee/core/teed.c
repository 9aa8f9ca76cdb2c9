/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * tzm-teed event loop: accepts same-uid clients, reads datagrams from clients and TA
 * hosts, reaps TA host processes, runs timers (cancellation grace, idle exit).
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/file.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "system.h"
#include "teed.h"

void core_state_init(struct core *core)
{
	memset(core, 0, sizeof(*core));
	core->ep = -1;
	core->listen_fd = -1;
	core->sig_fd = -1;
	core->log_fd = 2;
	core->reserve_fd = -1;
	core->closer_pipe[0] = -1;
	core->closer_pipe[1] = -1;
}

uint64_t core_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

int core_ep_add(struct core *core, int fd, void *ptr)
{
	struct epoll_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.events = EPOLLIN;
	ev.data.ptr = ptr;
	return epoll_ctl(core->ep, EPOLL_CTL_ADD, fd, &ev) ? -errno : 0;
}

void core_ep_del(struct core *core, int fd)
{
	epoll_ctl(core->ep, EPOLL_CTL_DEL, fd, NULL);
}

int core_listen_socket(struct core *core, const char *dir)
{
	struct sockaddr_un sa;
	struct stat st;
	int s;

	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	if ((size_t)snprintf(sa.sun_path, sizeof(sa.sun_path), "%s/tee.sock", dir) >=
	    sizeof(sa.sun_path)) {
		return -ENAMETOOLONG;
	}
	s = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (s < 0) {
		return -errno;
	}
	/* A stale socket: at start-up libteec holds the start lock while it starts us, and
	 * when listening again (idle_exit) we hold it ourselves. */
	unlink(sa.sun_path);
	if (bind(s, (struct sockaddr *)&sa, sizeof(sa)) ||
	    core_system_socket_mode(&core->sys, sa.sun_path) || listen(s, 64) ||
	    lstat(sa.sun_path, &st)) {
		int e = -errno;
		close(s);
		return e;
	}
	core->sock_dev = st.st_dev;
	core->sock_ino = st.st_ino;
	return s;
}

/*
 * Is tee.sock still the socket we bound? A runtime directory removed by a tmp cleaner or
 * at logout (or a socket replaced by another daemon) leaves us unreachable for good:
 * we then exit instead of idling on for ever.
 */
static bool socket_still_ours(struct core *core)
{
	char path[sizeof(core->runtime_dir) + 32];
	struct stat st;

	if (lstat(core->runtime_dir, &st) == 0) {
		if (st.st_dev != core->dir_dev || st.st_ino != core->dir_ino) {
			return false;
		}
	} else if (errno == ENOENT || errno == ENOTDIR) {
		return false;
	}
	if (core->sock_ino == 0) {
		return true; /* not listening (see idle_exit): serving those still connected */
	}
	snprintf(path, sizeof(path), "%s/tee.sock", core->runtime_dir);
	if (lstat(path, &st) == 0) {
		return st.st_dev == core->sock_dev && st.st_ino == core->sock_ino;
	}
	return errno != ENOENT && errno != ENOTDIR;
}

int core_send_reply(struct core *core, struct conn *c, uint16_t cmd, uint32_t seq, TEE_Result res,
		    uint32_t origin, const void *body, size_t len)
{
	int rc;

	if (!c || c->fd < 0) {
		return -ENOTCONN;
	}
	rc = tzm__msg_send(c->fd, cmd | TEE_MSG_F_REPLY, seq, res, origin, body, len, NULL, 0, NULL,
			   0);
	if (rc == -EAGAIN) {
		/* A peer that does not read its replies is not served any more. */
		core_log(core, 'E', "peer %llu does not read its socket; dropping it",
			 (unsigned long long)c->id);
		shutdown(c->fd, SHUT_RDWR);
	}
	return rc;
}

/* Out of descriptors: stop watching the listening socket for a while rather than spin
 * on it (it stays ready while the accept queue is not empty). */
static void pause_listening(struct core *core)
{
	if (!core->listen_paused) {
		core_ep_del(core, core->listen_fd);
		core->listen_paused = true;
		core->listen_resume_ms = core_now_ms() + 100;
	}
}

static void accept_clients(struct core *core)
{
	for (;;) {
		struct ucred cred;
		socklen_t len = sizeof(cred);
		int groups_err = 0;
		struct conn *c;
		int fd = accept4(core->listen_fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);

		if (fd < 0 && (errno == EMFILE || errno == ENFILE)) {
			if (core->emfile_logged++ == 0) {
				core_log(core, 'E',
					 "out of file descriptors (%s): refusing new clients "
					 "with BUSY until some are free",
					 strerror(errno));
			}
			if (core_accept_emfile(core, core->listen_fd)) {
				pause_listening(core);
				return;
			}
			continue;
		}
		if (fd < 0) {
			return;
		}
		if (!core_limit_client(core)) {
			if (core->clients_cap_logged++ == 0) {
				core_log(core, 'E',
					 "refusing a client: %llu clients connected "
					 "(TZM_MAX_CLIENTS)",
					 (unsigned long long)core->limits.clients);
			}
			tzm__msg_send(fd, TEE_MSG_HELLO | TEE_MSG_F_REPLY, 0, TEE_ERROR_BUSY,
				      TEE_ORIGIN_TEE, NULL, 0, NULL, 0, NULL, 0);
			close(fd);
			continue;
		}
		if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len)) {
			core_log(core, 'E', "refusing a client: SO_PEERCRED: %s", strerror(errno));
			close(fd);
			continue;
		}
		if (!core_client_allowed(&core->sys, fd, &cred, &groups_err)) {
			if (groups_err) {
				core_log(core, 'E',
					 "refusing client pid %d uid %u: not our uid, and its "
					 "groups "
					 "cannot be read (SO_PEERGROUPS: %s)",
					 (int)cred.pid, (unsigned)cred.uid, strerror(groups_err));
			} else {
				core_log(core, 'E', "refusing client pid %d uid %u: not our uid%s",
					 (int)cred.pid, (unsigned)cred.uid,
					 core_system_mode(&core->sys) ? " nor in the client group"
								      : "");
			}
			close(fd);
			continue;
		}
		c = calloc(1, sizeof(*c));
		if (!c || core_ep_add(core, fd, c)) {
			free(c);
			close(fd);
			continue;
		}
		c->kind = CONN_CLIENT;
		c->fd = fd;
		c->id = ++core->next_id;
		c->pid = cred.pid;
		c->uid = cred.uid;
		c->gid = cred.gid;
		c->next = core->conns;
		core->conns = c;
		core_log(core, 'I', "client %llu connected (pid %d)", (unsigned long long)c->id,
			 (int)c->pid);
	}
}

void core_conn_drop(struct core *core, struct conn *c)
{
	struct conn **pp;

	for (pp = &core->conns; *pp; pp = &(*pp)->next) {
		if (*pp == c) {
			*pp = c->next;
			break;
		}
	}
	core_log(core, 'I', "client %llu disconnected", (unsigned long long)c->id);
	core_conn_gone(core, c);
	core_ep_del(core, c->fd);
	/* Datagrams still queued on it may carry fds whose release could block: the
	 * socket's last close belongs to the closer thread too. */
	shutdown(c->fd, SHUT_RDWR);
	core_fd_discard(core, c->fd);
	free(c);
}

static void read_conn(struct core *core, struct conn *c)
{
	if (c->fd < 0) {
		return; /* instance channel closed earlier in this batch */
	}
	/* Bounded so that one busy peer cannot starve the others. */
	for (int i = 0; i < 64; i++) {
		int rc = tzm__msg_recv_ex(c->fd, core->msg, core_fd_discard_cb, core);

		if (rc == -EAGAIN) {
			return;
		}
		if (rc == 0 && core_fd_vet(core, core->msg) && !c->fds_refused_logged) {
			c->fds_refused_logged = true;
			core_log(core, 'E',
				 "peer %llu (pid %d) passed a descriptor that is not a memfd: "
				 "closed unused (its request fails)",
				 (unsigned long long)c->id, (int)c->pid);
		}
		if (rc == -EBADMSG) {
			core_log(core, 'E', "malformed message from peer %llu ignored",
				 (unsigned long long)c->id);
			continue;
		}
		if (rc == -ENOBUFS) {
			/* its fds could not be taken (descriptors exhausted): answer, do not
			 * leave the requester waiting */
			if (core->enobufs_logged++ == 0) {
				core_log(core, 'E',
					 "out of file descriptors: a request's descriptors "
					 "were lost; answering OUT_OF_MEMORY");
			}
			if (!(core->msg->hdr.cmd & TEE_MSG_F_REPLY) &&
			    core->msg->hdr.cmd != TEE_MSG_CANCEL) {
				core_send_reply(core, c, core->msg->hdr.cmd, core->msg->hdr.seq,
						TEE_ERROR_OUT_OF_MEMORY, TEE_ORIGIN_TEE, NULL, 0);
			}
			continue;
		}
		if (rc) {
			if (c->kind == CONN_HOST) {
				core_instance_channel_gone(core, c->inst);
			} else {
				core_conn_drop(core, c);
			}
			return;
		}
		if (c->kind == CONN_HOST) {
			core_instance_handle(core, c->inst, core->msg);
			if (c->inst->state == INST_DEAD) {
				return;
			}
		} else {
			core_conn_handle(core, c, core->msg);
		}
		tzm__msg_close_fds(core->msg);
	}
}

static void reap(struct core *core)
{
	struct signalfd_siginfo si;

	while (read(core->sig_fd, &si, sizeof(si)) == sizeof(si)) {
		if (si.ssi_signo == SIGTERM || si.ssi_signo == SIGINT) {
			core_log(core, 'I', "signal %u: shutting down", si.ssi_signo);
			core->stop = true;
		}
	}
	for (;;) {
		int status = 0;
		pid_t pid = waitpid(-1, &status, WNOHANG);

		if (pid <= 0) {
			break;
		}
		core_instance_reaped(core, pid, status);
	}
}

/*
 * Idle exit that strands no client. libteec connects without a lock; only when nobody
 * listens does it take tzm-teed.lock, start a daemon and wait for it to listen. So the
 * daemon exits only while it holds that lock itself (a client holding it is starting
 * this daemon or about to connect to it: stay), and it unlinks tee.sock before its last
 * look at the accept queue: a client connecting from then on finds no daemon and waits
 * for the lock instead of landing in a queue nobody will read. Whoever was queued before
 * the unlink is accepted and served on a freshly bound socket. The lock stays held until
 * the process is gone, so no new daemon binds tee.sock while this one still cleans up.
 * Returns true when the daemon should exit.
 */
static bool idle_exit(struct core *core)
{
	char path[sizeof(core->runtime_dir) + 32];
	int lock_fd, fd;

	snprintf(path, sizeof(path), "%s/tzm-teed.lock", core->runtime_dir);
	lock_fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (lock_fd < 0) {
		core_log(core, 'E', "idle, but cannot open %s (%s): staying up", path,
			 strerror(errno));
		return false;
	}
	if (flock(lock_fd, LOCK_EX | LOCK_NB)) {
		close(lock_fd);
		return false;
	}
	snprintf(path, sizeof(path), "%s/tee.sock", core->runtime_dir);
	unlink(path);
	/* A client that looked tee.sock up before the unlink may reach the socket after our
	 * last accept below: shut down, it is refused (and takes the lock) instead of being
	 * queued on a socket that closes with us, unserved. Those queued already are kept. */
	shutdown(core->listen_fd, SHUT_RD);
	accept_clients(core);
	if (!core->conns) {
		/* lock_fd stays open: released when the process ends */
		snprintf(path, sizeof(path), "%s/tzm-teed.pid", core->runtime_dir);
		unlink(path);
		core->sock_ino = 0;
		return true;
	}
	fd = core_listen_socket(core, core->runtime_dir);
	if (fd < 0 || core_ep_add(core, fd, &core->tag_listen)) {
		core_log(core, 'E',
			 "cannot listen on %s again (%s): serving the clients already "
			 "connected, new ones will start another daemon",
			 path, strerror(fd < 0 ? -fd : errno));
		if (fd >= 0) {
			close(fd);
		}
		/* shut down: it would be readable for ever */
		core_ep_del(core, core->listen_fd);
		core->listen_paused = false;
		core->sock_ino = 0;
	} else {
		core_ep_del(core, core->listen_fd);
		close(core->listen_fd);
		core->listen_fd = fd;
	}
	flock(lock_fd, LOCK_UN);
	close(lock_fd);
	return false;
}

int core_loop(struct core *core)
{
	struct epoll_event ev[32];
	sigset_t mask;

	sigemptyset(&mask);
	sigaddset(&mask, SIGCHLD);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGHUP);
	sigprocmask(SIG_BLOCK, &mask, NULL);
	signal(SIGPIPE, SIG_IGN);
	core->sig_fd = signalfd(-1, &mask, SFD_NONBLOCK | SFD_CLOEXEC);
	core->ep = epoll_create1(EPOLL_CLOEXEC);
	core->msg = malloc(sizeof(*core->msg));
	if (core->sig_fd < 0 || core->ep < 0 || !core->msg ||
	    core_ep_add(core, core->listen_fd, &core->tag_listen) ||
	    core_ep_add(core, core->sig_fd, &core->tag_signal)) {
		core_log(core, 'E', "event loop set-up failed: %s", strerror(errno));
		return -1;
	}
	{
		struct stat st;

		if (lstat(core->runtime_dir, &st)) {
			core_log(core, 'E', "runtime directory %s: %s", core->runtime_dir,
				 strerror(errno));
			return -1;
		}
		core->dir_dev = st.st_dev;
		core->dir_ino = st.st_ino;
	}
	core->idle_since_ms = core_now_ms();
	core->next_dir_check_ms = core->idle_since_ms + core->dir_check_ms;
	while (!core->stop) {
		uint64_t now = core_now_ms(), next = UINT64_MAX;
		int n, timeout;

		if (core->listen_paused && now >= core->listen_resume_ms) {
			core->listen_paused = false;
			if (core_ep_add(core, core->listen_fd, &core->tag_listen)) {
				pause_listening(core);
			}
		}

		if (now >= core->next_dir_check_ms) {
			if (!socket_still_ours(core)) {
				core_log(
					core, 'E',
					"%s/tee.sock was removed or replaced (runtime directory "
					"deleted?): nobody can reach this daemon any more; exiting",
					core->runtime_dir);
				break;
			}
			core->next_dir_check_ms = now + core->dir_check_ms;
		}
		next = core->next_dir_check_ms;
		if (core->listen_paused && core->listen_resume_ms < next) {
			next = core->listen_resume_ms;
		}
		core_instance_tick(core, now, &next);
		if (!core->conns && !core->instances) {
			if (now - core->idle_since_ms >= core->idle_exit_ms) {
				if (idle_exit(core)) {
					core_log(core, 'I', "idle for %llu ms: exiting",
						 (unsigned long long)core->idle_exit_ms);
					break;
				}
				core->idle_since_ms = now;
				continue;
			}
			if (core->idle_since_ms + core->idle_exit_ms < next) {
				next = core->idle_since_ms + core->idle_exit_ms;
			}
		} else {
			core->idle_since_ms = now;
		}
		timeout = next == UINT64_MAX ? -1 : next <= now ? 0 : (int)(next - now);
		n = epoll_wait(core->ep, ev, 32, timeout);
		if (n < 0 && errno != EINTR) {
			core_log(core, 'E', "epoll_wait: %s", strerror(errno));
			return -1;
		}
		for (int i = 0; i < n; i++) {
			if (ev[i].data.ptr == &core->tag_listen) {
				accept_clients(core);
			} else if (ev[i].data.ptr == &core->tag_signal) {
				reap(core);
			} else {
				read_conn(core, ev[i].data.ptr);
			}
		}
	}
	return 0;
}
