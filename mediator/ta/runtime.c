/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * libtzm runtime: decodes the start record the shadow placed in the data area (argv, the
 * environment the shadow passes, identity), runs the program's main() and implements
 * exit/_exit/atexit so that ending the program ends the invocation instead of the process
 * hosting the TA (libc's exit would kill the TA host): exit longjmps back to
 * tzm__run_main(), which ran setjmp before calling main.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tzm_int.h"

#define ATEXIT_MAX 32

static void (*atexit_fns[ATEXIT_MAX])(void);
static size_t atexit_count;

#if !defined(TZM_TA_OPTEE)
/*
 * glibc builds: the program's environment is glibc's environ, pointed at what the shadow
 * passed, so that getenv, setenv, unsetenv, putenv, clearenv, the environ array itself
 * (Tcl builds its env() array from it) and glibc's own lookups (TZ, LANG) all see the
 * same variables. Before, libtzm's getenv read a list of its own: environ was the TA
 * host's, setenv's variables were invisible to getenv, and Tcl saw no variables at all.
 */
extern char **environ;
static bool environ_set;
#endif

static void free_setup(void)
{
#if !defined(TZM_TA_OPTEE)
	if (environ_set) {
		clearenv(); /* frees the array setenv may have made; environ = NULL */
		environ_set = false;
	}
#endif
	free(tzm__rt.argv);
	free(tzm__rt.envp);
	free(tzm__rt.strings);
	tzm__rt.argv = NULL;
	tzm__rt.envp = NULL;
	tzm__rt.strings = NULL;
}

/* copy -> validate -> act on the start record */
static int decode_setup(const uint8_t *data, size_t cap, uint32_t setup_len)
{
	struct tzm_wire_setup s;
	char *str = NULL;
	size_t nstr = 0, pos = 0;

	if (setup_len < sizeof(s) || setup_len > cap) {
		return -EPROTO;
	}
	memcpy(&s, data, sizeof(s));
	if (s.version != TZM_WIRE_VERSION || s.arch != TZM_WIRE_ARCH) {
		return -EPROTO;
	}
	if (s.argc == 0 || s.argc > TZM_WIRE_MAX_ARGV || s.envc > TZM_WIRE_MAX_ARGV ||
	    s.strings_len != setup_len - sizeof(s) || s.max_fds < 3 ||
	    s.max_fds > TZM_WIRE_MAX_FDS || s.max_chunk < 4096) {
		return -EPROTO;
	}
	str = malloc(s.strings_len + 1);
	tzm__rt.argv = calloc((size_t)s.argc + 1, sizeof(char *));
	tzm__rt.envp = calloc((size_t)s.envc + 1, sizeof(char *));
	if (!str || !tzm__rt.argv || !tzm__rt.envp) {
		free(str);
		free_setup();
		return -ENOMEM;
	}
	memcpy(str, data + sizeof(s), s.strings_len); /* the only read of the strings */
	str[s.strings_len] = '\0';
	tzm__rt.strings = str;
	nstr = (size_t)s.argc + s.envc;
	for (size_t i = 0; i < nstr; i++) {
		size_t len = 0;

		if (pos >= s.strings_len) {
			free_setup();
			return -EPROTO;
		}
		len = strnlen(str + pos, s.strings_len - pos);
		if (pos + len >= s.strings_len) { /* missing terminator */
			free_setup();
			return -EPROTO;
		}
		if (i < s.argc) {
			tzm__rt.argv[i] = str + pos;
		} else {
			if (!strchr(str + pos, '=')) {
				free_setup();
				return -EPROTO;
			}
			tzm__rt.envp[i - s.argc] = str + pos;
		}
		pos += len + 1;
	}
	if (pos != s.strings_len) { /* trailing bytes */
		free_setup();
		return -EPROTO;
	}
	tzm__rt.setup = s;
	return 0;
}

int tzm__rt_start(struct tzm_transport *tp, uint32_t setup_len)
{
	size_t cap = 0;
	uint8_t *data = tp->ops->buffer(tp, &cap);
	int rc = decode_setup(data, cap, setup_len);

	if (rc != 0) {
		return rc;
	}
	memset(tzm__rt.fd_open, 0, sizeof(tzm__rt.fd_open));
	tzm__ep_reset();
	tzm__rt.fd_open[0] = tzm__rt.fd_open[1] = tzm__rt.fd_open[2] = 1;
	tzm__rt.max_chunk = tzm__rt.setup.max_chunk < cap ? tzm__rt.setup.max_chunk : cap;
	tzm__rt.tp = tp;
	tzm__rt.in_main = false;
	tzm__rt.in_exit = false;
	tzm__rt.cancel_seen = false;
	tzm__rt.exit_status = 0;
	tzm__rt.exit_signal = 0;
	atexit_count = 0;
	tzm__sig_reset();
	tzm__stdio_init();
	tzm__diag_init(tzm__rt.argv[0]);
#if !defined(TZM_TA_OPTEE)
	environ = tzm__rt.envp;
	environ_set = true;
#endif
	return 0;
}

static void run_atexit(void)
{
	while (atexit_count > 0) {
		void (*fn)(void) = atexit_fns[--atexit_count];

		fn();
	}
}

int tzm__run_main(void)
{
	volatile int status = 0;

	if (setjmp(tzm__rt.exit_jmp) == 0) {
		tzm__rt.in_main = true;
		status = tzm__user_main((int)tzm__rt.setup.argc, tzm__rt.argv);
		tzm__rt.exit_status = status;
		tzm__rt.in_exit = true;
		run_atexit();
		tzm__stdio_flush_all();
	}
	/* exit()/_exit() arrive here through longjmp with exit_status set */
	tzm__sig_run_end();
	status = tzm__rt.exit_status & 0xff;
	tzm__rt.in_main = false;
	return status;
}

void tzm__rt_stop(void)
{
	tzm__drain(); /* detached calls (close) still in flight */
	tzm__ep_reset();
	tzm__rt.tp = NULL;
	free_setup();
}

void exit(int status)
{
	if (tzm__in_thread()) {
		/* main's stack is not ours to longjmp to: the TA ends as a panic (README) */
		tzm__stdio_flush_all();
		tzm__raw_exit(status);
	}
	if (!tzm__rt.in_main) {
		tzm__raw_exit(status);
	}
	if (!tzm__rt.in_exit) {
		tzm__rt.in_exit = true;
		tzm__rt.exit_status = status;
		run_atexit();
		tzm__stdio_flush_all();
	}
	longjmp(tzm__rt.exit_jmp, 1);
}

void _exit(int status)
{
	if (!tzm__rt.in_main || tzm__in_thread()) {
		tzm__raw_exit(status);
	}
	tzm__rt.in_exit = true;
	tzm__rt.exit_status = status;
	longjmp(tzm__rt.exit_jmp, 1);
}

void _Exit(int status)
{
	_exit(status);
}

int atexit(void (*fn)(void))
{
	if (atexit_count >= ATEXIT_MAX) {
		return -1;
	}
	atexit_fns[atexit_count++] = fn;
	return 0;
}

/* ---- environment: only what the shadow passed (glibc builds: glibc's, above) ---- */

#if defined(TZM_TA_OPTEE)
char *getenv(const char *name)
{
	size_t n = 0;

	if (!tzm__rt.envp) {
		return NULL;
	}
	n = strlen(name);
	for (size_t i = 0; tzm__rt.envp[i]; i++) {
		if (strncmp(tzm__rt.envp[i], name, n) == 0 && tzm__rt.envp[i][n] == '=') {
			return tzm__rt.envp[i] + n + 1;
		}
	}
	return NULL;
}

char *secure_getenv(const char *name)
{
	return getenv(name);
}
#endif

/* ---- identity: the shadow's, as the TA acts through it ---- */

pid_t getpid(void)
{
	return tzm__rt.setup.pid;
}

pid_t getppid(void)
{
	return tzm__rt.setup.ppid;
}

uid_t getuid(void)
{
	return tzm__rt.setup.uid;
}

uid_t geteuid(void)
{
	return tzm__rt.setup.euid;
}

gid_t getgid(void)
{
	return tzm__rt.setup.gid;
}

gid_t getegid(void)
{
	return tzm__rt.setup.egid;
}
