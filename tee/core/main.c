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
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "teed.h"

#ifndef TZM_INSTALL_TA_DIR
#define TZM_INSTALL_TA_DIR "/usr/local/lib/optee_armtz"
#endif


static int set_dir(char *buf, size_t cap, const char *env, const char *xdg_env,
		   const char *xdg_sub, const char *fallback)
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
 * and exit, so that the daemon is not a child of the client that started it.
 */
static int detach(void)
{
	char self[4096];
	char *argv[40];
	char **wrap = split_words(getenv("TZM_EXEC_WRAPPER"));
	posix_spawnattr_t attr;
	pid_t pid;
	int argc = 0, rc;

	if (!realpath("/proc/self/exe", self)) {
		fprintf(stderr, "tzm-teed: cannot find myself: %s\n", strerror(errno));
		return 1;
	}
	for (char **w = wrap; w && *w && argc < 36; w++) {
		argv[argc++] = *w;
	}
	argv[argc++] = self;
	argv[argc] = NULL;
	posix_spawnattr_init(&attr);
	posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSID);
	rc = posix_spawnp(&pid, argv[0], NULL, &attr, argv, environ);
	posix_spawnattr_destroy(&attr);
	if (rc) {
		fprintf(stderr, "tzm-teed: cannot start: %s\n", strerror(rc));
		return 1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	char path[4096 + 32];
	const char *host_env = getenv("TZM_TA_HOST");
	const char *insecure = NULL;
	int rc;

	if (argc > 1 && strcmp(argv[1], "--detach") == 0) {
		return detach();
	}
	umask(077);
	if (set_dir(g_teed.runtime_dir, sizeof(g_teed.runtime_dir), "TZM_RUNTIME_DIR",
		    "XDG_RUNTIME_DIR", "tzmediator", "/tmp/tzmediator-") ||
	    set_dir(g_teed.state_dir, sizeof(g_teed.state_dir), "TZM_STATE_DIR", "XDG_DATA_HOME",
		    "tzmediator", "~/.local/share/tzmediator") ||
	    mkdir_p(g_teed.runtime_dir) || mkdir_p(g_teed.state_dir)) {
		fprintf(stderr, "tzm-teed: cannot set up runtime/state directories\n");
		return 1;
	}
	snprintf(path, sizeof(path), "%s/tee.log", g_teed.runtime_dir);
	if (core_log_open(path)) {
		fprintf(stderr, "tzm-teed: cannot open %s: %s\n", path, strerror(errno));
		return 1;
	}
	{
		const char *d = getenv("TZM_TA_DIR");
		snprintf(g_teed.ta_dir, sizeof(g_teed.ta_dir), "%s",
			 d && *d ? d : TZM_INSTALL_TA_DIR);
	}
	if (!realpath("/proc/self/exe", g_teed.self_path)) {
		snprintf(g_teed.self_path, sizeof(g_teed.self_path), "tzm-teed");
	}
	if (host_env && *host_env) {
		snprintf(g_teed.host_path, sizeof(g_teed.host_path), "%s", host_env);
	} else {
		char self[4096];

		snprintf(self, sizeof(self), "%s", g_teed.self_path);
		snprintf(g_teed.host_path, sizeof(g_teed.host_path), "%s/tzm-ta-host",
			 dirname(self));
	}
	g_teed.wrapper = split_words(getenv("TZM_EXEC_WRAPPER"));
	insecure = getenv("TZM_INSECURE_NO_SANDBOX");
	g_teed.insecure = insecure && strcmp(insecure, "1") == 0;
	g_teed.idle_exit_ms = env_ms("TZM_IDLE_EXIT_MS", 30000);
	g_teed.cancel_grace_ms = env_ms("TZM_CANCEL_GRACE_MS", 2000);
	g_teed.next_session_id = 1;
	if (g_teed.insecure) {
		const char *w = "WARNING: TZM_INSECURE_NO_SANDBOX=1: TAs will run WITHOUT the "
				"seccomp sandbox if it cannot be installed. Not a secure TEE.";
		core_log('W', "%s", w);
		fprintf(stderr, "tzm-teed: %s\n", w);
	}

	g_teed.listen_fd = core_listen_socket(g_teed.runtime_dir);
	if (g_teed.listen_fd < 0) {
		core_log('E', "cannot listen on %s/tee.sock: %s", g_teed.runtime_dir,
			 strerror(-g_teed.listen_fd));
		return 1;
	}
	snprintf(path, sizeof(path), "%s/tzm-teed.pid", g_teed.runtime_dir);
	{
		FILE *f = fopen(path, "we");
		if (f) {
			fprintf(f, "%d\n", (int)getpid());
			fclose(f);
		}
	}
#ifdef TZM_HAVE_STORAGE
	rc = core__storage_init(g_teed.state_dir);
	if (rc) {
		core_log('E', "secure storage init failed: %s", strerror(-rc));
	}
#endif
#ifdef TZM_HAVE_ATTEST
	{
		const char *bins[] = { g_teed.self_path, g_teed.host_path, NULL };
		rc = core__attest_init(g_teed.state_dir, bins);
		if (rc) {
			core_log('E', "attestation init failed: %s", strerror(-rc));
		}
	}
#endif
	core_log('I', "tzm-teed started: runtime %s, TA dir %s, TA host %s", g_teed.runtime_dir,
		 g_teed.ta_dir, g_teed.host_path);
#ifdef CORE_SANITIZER
	/* Our own sanitizer reports (e.g. leaks at exit) would otherwise go to the stderr of
	 * whichever client started us, long after it stopped listening. */
	if (dup2(core_log_fd(), 2) < 0) {
		core_log('E', "cannot send sanitizer output to tee.log: %s", strerror(errno));
	}
#endif
	rc = teed_loop();

	/* Shut down: end every TA host (their channels close; stragglers are killed). */
	for (struct instance *i = g_teed.instances; i; i = i->next) {
		if (i->pid > 0) {
			kill(i->pid, SIGKILL);
			waitpid(i->pid, NULL, 0);
		}
	}
	snprintf(path, sizeof(path), "%s/tee.sock", g_teed.runtime_dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/tzm-teed.pid", g_teed.runtime_dir);
	unlink(path);
	core_log('I', "tzm-teed stopped");
	return rc ? 1 : 0;
}
