/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * glibc's own messages on file descriptor 2: its fatal checks (malloc's "free(): double
 * free detected in tcache 2", "*** stack smashing detected ***: terminated", "Fatal glibc
 * error: ...") write straight to the process's fd 2 and abort. A TA's fd 2 is tzm-run's
 * stderr only through libtzm; the TA host's own fd 2 is /dev/null (tzm-teed spawns it so),
 * so a TA that died of such a check showed only "the TA panicked" while the native program
 * said why.
 *
 * At start the TA host's fd 2, when it is /dev/null, is replaced by a memfd (close(2), and
 * memfd_create takes the lowest free number; the sandbox has no dup2), and a SIGABRT
 * handler (the process's real one: libtzm's signal layer keeps the TA's own dispositions
 * apart) sends what glibc wrote there to tzm-run's stderr as "tzm: glibc: <line>" lines,
 * then lets glibc's abort end the process as before. Whatever is there when main returns
 * is sent the same way. A sanitizer build's TA host has tee.log on fd 2: left alone.
 */
#include <dlfcn.h>
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>

#include "../transport/rawsys.h"
#include "tzm_int.h"

static int stderr_memfd = -1;
static long sent; /* bytes of the memfd already sent */

/* Sends the new lines glibc wrote to fd 2 as log lines. */
static void send_new(void)
{
	char buf[1024];
	long n = 0;

	if (stderr_memfd < 0) {
		return;
	}
	n = TZM__SYS6(SYS_pread64, stderr_memfd, buf, sizeof(buf) - 1, sent, 0, 0);
	if (n <= 0) {
		return;
	}
	sent += n;
	buf[n] = '\0';
	for (char *line = buf, *end = NULL; *line; line = end) {
		end = strchr(line, '\n');
		if (end) {
			*end++ = '\0';
		} else {
			end = line + strlen(line);
		}
		if (*line) {
			tzm__log("glibc: %s", line);
		}
	}
}

static void on_abort(int sig)
{
	int saved = errno;

	(void)sig;
	send_new(); /* SA_RESETHAND: glibc's abort then raises SIGABRT again, by default */
	errno = saved;
}

void tzm__host_stderr_start(void)
{
	struct stat st;
	struct sigaction act;
	int (*real_sigaction)(int, const struct sigaction *, struct sigaction *) = NULL;
	long fd = -1;

	memset(&st, 0, sizeof(st));
	if (TZM__SYS2(SYS_fstat, 2, &st) != 0 || !S_ISCHR(st.st_mode) ||
	    st.st_rdev != makedev(1, 3)) {
		return; /* not /dev/null: somebody reads it (a sanitizer build's tee.log) */
	}
	TZM__SYS1(SYS_close, 2);
	fd = TZM__SYS2(SYS_memfd_create, "tzm-glibc-stderr", MFD_CLOEXEC);
	if (fd != 2) {
		if (fd >= 0) {
			TZM__SYS1(SYS_close, fd);
		}
		return; /* fd 2 stays closed: glibc's writes fail, as unseen as before */
	}
	stderr_memfd = 2;
	*(void **)&real_sigaction = dlsym(RTLD_NEXT, "sigaction");
	if (real_sigaction) {
		memset(&act, 0, sizeof(act));
		act.sa_handler = on_abort;
		act.sa_flags = SA_RESETHAND | SA_NODEFER;
		sigemptyset(&act.sa_mask);
		(void)real_sigaction(SIGABRT, &act, NULL);
	}
}

void tzm__host_stderr_flush(void)
{
	send_new();
}
