/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * tzm-teed start-up: environment, runtime/state directories (mode 0700), log, the
 * listening socket $TZM_RUNTIME_DIR/tee.sock, the pid file, core services; then the
 * event loop; on exit the TA hosts are stopped and the socket and pid file removed.
 * Normally started on demand by libteec (see tee/client/transport.c).
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "system.h"
#include "teed.h"

#ifndef TZM_INSTALL_TA_DIR
#define TZM_INSTALL_TA_DIR "/usr/local/lib/optee_armtz"
#endif

static int set_dir(char *buf, size_t cap, const char *env, const char *xdg_env, const char *xdg_sub,
		   const char *fallback)
{
	const char *e = getenv(env), *x = getenv(xdg_env), *home = getenv("HOME");
	int n;

	if (e && *e) {
		n = snprintf(buf, cap, "%s", e);
	} else if (x && *x) {
		n = snprintf(buf, cap, "%s/%s", x, xdg_sub);
	} else if (fallback[0] == '~') {
		n = snprintf(buf, cap, "%s%s", home ? home : "/nonexistent", fallback + 1);
	} else {
		n = snprintf(buf, cap, "%s%u", fallback, (unsigned)getuid());
	}
	return n > 0 && (size_t)n < cap ? 0 : -ENAMETOOLONG;
}

static int mkdir_p(const char *path)
{
	char tmp[4096];

	if ((size_t)snprintf(tmp, sizeof(tmp), "%s", path) >= sizeof(tmp)) {
		return -ENAMETOOLONG;
	}
	for (char *p = tmp + 1; *p; p++) {
		if (*p == '/') {
			*p = '\0';
			if (mkdir(tmp, 0700) && errno != EEXIST) {
				return -errno;
			}
			*p = '/';
		}
	}
	if (mkdir(tmp, 0700) && errno != EEXIST) {
		return -errno;
	}
	return 0;
}

static uint64_t env_ms(const char *name, uint64_t def)
{
	const char *v = getenv(name);
	char *end = NULL;
	unsigned long long x;

	if (!v || !*v) {
		return def;
	}
	x = strtoull(v, &end, 10);
	return end && *end == '\0' ? (uint64_t)x : def;
}

static char **split_words(const char *s)
{
	char *copy, **argv;
	size_t n = 0;

	if (!s || !*s) {
		return NULL;
	}
	copy = strdup(s);
	argv = calloc(32, sizeof(char *));
	if (!copy || !argv) {
		free(copy);
		free(argv);
		return NULL;
	}
	for (char *t = strtok(copy, " \t"); t && n < 31; t = strtok(NULL, " \t")) {
		argv[n++] = t;
	}
	return argv;
}

/*
 * "--detach": start the real daemon in a new session (through $TZM_EXEC_WRAPPER when set)
 * with /dev/null on fds 0 and 1, a pipe on fd 2 and nothing else, relay what it writes
 * there (its start-up errors, before tee.log is open) to our stderr — the starting
 * client's — and exit once it lets go of the pipe: 0 if it is running (it moves fd 2 to
 * tee.log once it listens), 1 if it died. So the daemon keeps none of the client's
 * descriptors: a caller capturing the client's output (`out=$(prog 2>&1)`) gets EOF when
 * the client exits, not at the daemon's idle exit.
 */
static int detach(void)
{
	char self[4096], buf[4096];
	char *argv[40];
	char **wrap = split_words(getenv("TZM_EXEC_WRAPPER"));
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t attr;
	uint64_t give_up;
	bool reaped = false;
	pid_t pid;
	int argc = 0, rc, pipefd[2], status = 0;

	if (!realpath("/proc/self/exe", self)) {
		fprintf(stderr, "tzm-teed: cannot find myself: %s\n", strerror(errno));
		return 1;
	}
	if (pipe2(pipefd, O_CLOEXEC)) {
		fprintf(stderr, "tzm-teed: cannot start: pipe: %s\n", strerror(errno));
		return 1;
	}
	for (char **w = wrap; w && *w && argc < 36; w++) {
		argv[argc++] = *w;
	}
	argv[argc++] = self;
	argv[argc++] = "--relayed";
	argv[argc] = NULL;
	posix_spawnattr_init(&attr);
	posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSID);
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	posix_spawn_file_actions_adddup2(&fa, pipefd[1], 2);
	posix_spawn_file_actions_addclosefrom_np(&fa, 3);
	rc = posix_spawnp(&pid, argv[0], &fa, &attr, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&attr);
	close(pipefd[1]);
	if (rc) {
		fprintf(stderr, "tzm-teed: cannot start %s: %s\n", argv[0], strerror(rc));
		close(pipefd[0]);
		return 1;
	}
	/* Until the daemon's "ready" byte (a NUL, see main), or its death (EOF first). A
	 * wrapper keeping fd 2 must not hold the client for ever: after 30 s (qemu-user
	 * start-up) the client's own connect loop decides. */
	give_up = core_now_ms() + 30000;
	for (;;) {
		struct pollfd p = { .fd = pipefd[0], .events = POLLIN };
		int n = poll(&p, 1, 100);
		ssize_t got = 0;
		char *nul = NULL;

		if (n > 0) {
			got = read(pipefd[0], buf, sizeof(buf));
			if (got > 0) {
				nul = memchr(buf, '\0', (size_t)got);
				if (write(2, buf, nul ? (size_t)(nul - buf) : (size_t)got) < 0) {
					/* nobody to tell: keep draining */
				}
			}
		}
		if (nul) {
			break; /* running */
		}
		if (n > 0 && got <= 0) {
			/* EOF without "ready": it exited (or a wrapper of it closed fd 2) */
			while (!(reaped = waitpid(pid, &status, WNOHANG) == pid) &&
			       core_now_ms() < give_up) {
				usleep(10 * 1000);
			}
			break;
		}
		reaped = waitpid(pid, &status, WNOHANG) == pid;
		if (reaped || core_now_ms() >= give_up) {
			break;
		}
	}
	close(pipefd[0]);
	if (reaped) {
		if (WIFEXITED(status)) {
			fprintf(stderr, "tzm-teed: exited at start-up with status %d\n",
				WEXITSTATUS(status));
		} else {
			fprintf(stderr, "tzm-teed: killed at start-up by signal %d\n",
				WIFSIGNALED(status) ? WTERMSIG(status) : 0);
		}
		return 1;
	}
	return 0;
}

/* The runtime directory holds the socket that gives access to every TA: ours alone. */
static int check_runtime_dir(const char *dir)
{
	struct stat st;

	if (lstat(dir, &st)) {
		fprintf(stderr, "tzm-teed: runtime directory %s: %s\n", dir, strerror(errno));
		return -1;
	}
	if (!S_ISDIR(st.st_mode) || st.st_uid != getuid() || (st.st_mode & 0077)) {
		fprintf(stderr,
			"tzm-teed: runtime directory %s must be a directory owned by uid "
			"%u with mode 0700 (it is %s, uid %u, mode %04o): chmod 700 it, or set "
			"TZM_RUNTIME_DIR to another directory\n",
			dir, (unsigned)getuid(),
			S_ISDIR(st.st_mode) ? "a directory" : "not a directory",
			(unsigned)st.st_uid, (unsigned)(st.st_mode & 07777));
		return -1;
	}
	return 0;
}

static int run(struct core *core, int argc, char **argv)
{
	char path[4096 + 32];
	const char *host_env = getenv("TZM_TA_HOST");
	const char *insecure = NULL;
	bool relayed = false;     /* started by "--detach": fd 2 is its relay pipe */
	bool system_mode = false; /* "--system": runs as its own user (system.c) */
	int rc;

	for (int i = 1; i < argc; i++) {
		relayed = relayed || strcmp(argv[i], "--relayed") == 0;
		system_mode = system_mode || strcmp(argv[i], "--system") == 0;
	}
	umask(077);
	/* A client that started us may be gone before we write to it (see detach()). */
	signal(SIGPIPE, SIG_IGN);
	if (system_mode) {
		if (core_system_setup(&core->sys, core->runtime_dir, sizeof(core->runtime_dir),
				      core->state_dir, sizeof(core->state_dir))) {
			return 1;
		}
	} else if (set_dir(core->runtime_dir, sizeof(core->runtime_dir), "TZM_RUNTIME_DIR",
			   "XDG_RUNTIME_DIR", "tzmediator", "/tmp/tzmediator-") ||
		   set_dir(core->state_dir, sizeof(core->state_dir), "TZM_STATE_DIR",
			   "XDG_DATA_HOME", "tzmediator", "~/.local/share/tzmediator")) {
		fprintf(stderr, "tzm-teed: runtime or state directory path too long (set "
				"TZM_RUNTIME_DIR / TZM_STATE_DIR)\n");
		return 1;
	}
	/* The core holds the device key, the attestation key and storage plaintext: a
	 * same-uid process must not ptrace it or read its /proc/<pid>/mem (TA hosts do the
	 * same in their sandbox). After --system's change of user, which may reset the flag.
	 * Not in sanitizer builds: LeakSanitizer's exit check attaches to our own threads. */
#ifndef CORE_SANITIZER /* teed.h */
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0) {
		fprintf(stderr, "tzm-teed: cannot make the core non-dumpable: %s\n",
			strerror(errno));
		return 1;
	}
#endif
	rc = mkdir_p(core->runtime_dir);
	if (rc || (!system_mode && check_runtime_dir(core->runtime_dir))) {
		if (rc) {
			fprintf(stderr,
				"tzm-teed: cannot create the runtime directory %s: %s (set "
				"TZM_RUNTIME_DIR to a directory you can create)\n",
				core->runtime_dir, strerror(-rc));
		}
		return 1;
	}
	rc = mkdir_p(core->state_dir);
	if (rc) {
		fprintf(stderr,
			"tzm-teed: cannot create the state directory %s: %s (set "
			"TZM_STATE_DIR, or XDG_DATA_HOME or HOME, to a place you can write)\n",
			core->state_dir, strerror(-rc));
		return 1;
	}
	snprintf(path, sizeof(path), "%s/tee.log", core->runtime_dir);
	if (core_log_open(core, path)) {
		fprintf(stderr, "tzm-teed: cannot open %s: %s\n", path, strerror(errno));
		return 1;
	}
	{
		const char *d = getenv("TZM_TA_DIR");
		snprintf(core->ta_dir, sizeof(core->ta_dir), "%s",
			 d && *d ? d : TZM_INSTALL_TA_DIR);
	}
	if (!realpath("/proc/self/exe", core->self_path)) {
		snprintf(core->self_path, sizeof(core->self_path), "tzm-teed");
	}
	if (host_env && *host_env) {
		snprintf(core->host_path, sizeof(core->host_path), "%s", host_env);
	} else {
		char self[4096];

		snprintf(self, sizeof(self), "%s", core->self_path);
		snprintf(core->host_path, sizeof(core->host_path), "%s/tzm-ta-host", dirname(self));
	}
	core->wrapper = split_words(getenv("TZM_EXEC_WRAPPER"));
	insecure = getenv("TZM_INSECURE_NO_SANDBOX");
	core->insecure = insecure && strcmp(insecure, "1") == 0;
	/* A system core is not started on demand, so it must not leave when idle. */
	core->idle_exit_ms = env_ms("TZM_IDLE_EXIT_MS", system_mode ? UINT64_C(1) << 62 : 30000);
	core->cancel_grace_ms = env_ms("TZM_CANCEL_GRACE_MS", 2000);
	core->dir_check_ms = env_ms("TZM_DIR_CHECK_MS", 10000);
	if (core->dir_check_ms == 0) {
		core->dir_check_ms = 1;
	}
	core->next_session_id = 1;
	if (core->insecure) {
		const char *w = "WARNING: TZM_INSECURE_NO_SANDBOX=1: TAs will run WITHOUT the "
				"seccomp sandbox if it cannot be installed. Not a secure TEE.";
		core_log(core, 'W', "%s", w);
		fprintf(stderr, "tzm-teed: %s\n", w);
	}

	if (core_guard_init(core)) {
		fprintf(stderr, "tzm-teed: cannot set up (see %s/tee.log)\n", core->runtime_dir);
		return 1;
	}
	core->listen_fd = core_listen_socket(core, core->runtime_dir);
	if (core->listen_fd < 0) {
		core_log(core, 'E', "cannot listen on %s/tee.sock: %s", core->runtime_dir,
			 strerror(-core->listen_fd));
		fprintf(stderr, "tzm-teed: cannot listen on %s/tee.sock: %s\n", core->runtime_dir,
			strerror(-core->listen_fd));
		return 1;
	}
	snprintf(path, sizeof(path), "%s/tzm-teed.pid", core->runtime_dir);
	{
		FILE *f = fopen(path, "we");
		if (f) {
			fprintf(f, "%d\n", (int)getpid());
			fclose(f);
		}
	}
	core->storage = core__storage_new();
	rc = core->storage ? core__storage_init(core->storage, core->state_dir) : -ENOMEM;
	if (rc) {
		core_log(core, 'E', "secure storage init failed: %s", strerror(-rc));
	}
	{
		const char *bins[] = { core->self_path, core->host_path, NULL };
		core->attest = core__attest_new(core);
		rc = core->attest ? core__attest_init(core->attest, core->state_dir, bins)
				  : -ENOMEM;
		if (rc) {
			core_log(core, 'E', "attestation init failed: %s", strerror(-rc));
		}
	}
	core_log(core, 'I', "tzm-teed started: runtime %s, TA dir %s, TA host %s",
		 core->runtime_dir, core->ta_dir, core->host_path);
	/* Running: from now on everything we (or a library, or in sanitizer builds our leak
	 * report at exit) write to stderr goes to tee.log, and whoever started us — the
	 * "--detach" relay of a client — sees EOF and lets that client go. */
	if (relayed && write(2, "", 1) != 1) {
		core_log(core, 'E', "cannot tell the starter that we run: %s", strerror(errno));
	}
	{
		int null_fd = open("/dev/null", O_RDWR | O_CLOEXEC);

		if (null_fd < 0 || dup2(null_fd, 0) < 0 || dup2(null_fd, 1) < 0 ||
		    dup2(core_log_fd(core), 2) < 0) {
			core_log(core, 'E', "cannot detach fds 0-2 from the starter: %s",
				 strerror(errno));
		}
		if (null_fd > 2) {
			close(null_fd);
		}
	}
	rc = core_loop(core);

	/* Shut down: clients see EOF; every TA host sees its channel close and runs
	 * TA_DestroyEntryPoint; stragglers are killed after a grace period. */
	for (struct conn *c = core->conns; c; c = c->next) {
		shutdown(c->fd, SHUT_RDWR);
	}
	for (struct instance *i = core->instances; i; i = i->next) {
		if (i->fd >= 0) {
			close(i->fd);
			i->fd = -1;
		}
	}
	for (int waited = 0;; waited += 10) {
		bool left = false;

		for (struct instance *i = core->instances; i; i = i->next) {
			if (i->pid > 0 && waitpid(i->pid, NULL, WNOHANG) == i->pid) {
				i->pid = 0;
			}
			left = left || i->pid > 0;
		}
		if (!left || waited >= 2000) {
			break;
		}
		usleep(10 * 1000);
	}
	for (struct instance *i = core->instances; i; i = i->next) {
		if (i->pid > 0) {
			kill(i->pid, SIGKILL);
			waitpid(i->pid, NULL, 0);
		}
	}
	/* Remove only what is still ours (another daemon may have taken the directory). */
	snprintf(path, sizeof(path), "%s/tee.sock", core->runtime_dir);
	{
		struct stat st;

		if (core->sock_ino && lstat(path, &st) == 0 && st.st_ino == core->sock_ino &&
		    st.st_dev == core->sock_dev) {
			unlink(path);
			snprintf(path, sizeof(path), "%s/tzm-teed.pid", core->runtime_dir);
			unlink(path);
		}
	}
	core_log(core, 'I', "tzm-teed stopped");
	return rc ? 1 : 0;
}

int main(int argc, char **argv)
{
	struct core *core;

	if (argc > 1 && strcmp(argv[1], "--detach") == 0) {
		return detach();
	}
	core = malloc(sizeof(*core));
	if (!core) {
		fprintf(stderr, "tzm-teed: out of memory\n");
		return 1;
	}
	core_state_init(core);
	/* exit(), not return: what core holds stays reachable for LeakSanitizer's exit check,
	 * as it was when this state was a global. */
	exit(run(core, argc, argv));
}
