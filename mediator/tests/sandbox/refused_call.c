/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Makes, twice, a system call that the TEE's sandbox refuses (chmod; fchmodat on
 * architectures without chmod) with the system call instruction itself (libtzm answers
 * libc's chmod and syscall() without reaching the kernel: tzm__rawsys is the mediator's
 * own raw path), and prints how each ended. Natively the path does not exist (ENOENT); as a TA the
 * sandbox answers ENOSYS and tzm-run's stderr gets one line saying so.
 *
 * With an argument it then makes a call the sandbox forbids, which ends the TA: "socket"
 * (named on tzm-run's stderr), "kill" (kill(1, 0): forbidden for its argument, named with
 * its arguments) or "sigsys" (a new action for SIGSYS, whose handler is the sandbox's:
 * killed by the kernel, without a line). "opendir": an openat with O_DIRECTORY, which the
 * sandbox refuses (its line names the path). "doublefree": glibc's malloc check aborts the
 * TA; its message, written to the TA host's fd 2, reaches tzm-run's stderr
 * (host_stderr.c), as natively it reaches the program's stderr.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "../../transport/rawsys.h"

static long refused_call(void)
{
#ifdef SYS_chmod
	return TZM__SYS2(SYS_chmod, "/nonexistent-tzm-sandbox-notice", 0777);
#else
	return tzm__rawsys(SYS_fchmodat, AT_FDCWD, (long)"/nonexistent-tzm-sandbox-notice", 0777, 0,
			   0, 0);
#endif
}

int main(int argc, char **argv)
{
	for (int i = 0; i < 2; i++) {
		long ret = refused_call();
		int err = errno;

		printf("chmod: %ld %s\n", ret,
		       ret != -1       ? "-"
		       : err == ENOSYS ? "ENOSYS"
		       : err == ENOENT ? "ENOENT"
				       : "other");
	}
	if (argc > 1) {
		/* the kernel's struct sigaction: a handler address that is not SIG_DFL */
		uint64_t act[4] = { 0x1000, 0, 0, 0 };

		fflush(stdout);
		if (strcmp(argv[1], "socket") == 0) {
			(void)TZM__SYS3(SYS_socket, AF_UNIX, SOCK_STREAM, 0);
		} else if (strcmp(argv[1], "kill") == 0) {
			(void)TZM__SYS2(SYS_kill, 1, 0);
		} else if (strcmp(argv[1], "sigsys") == 0) {
			(void)TZM__SYS6(SYS_rt_sigaction, SIGSYS, act, 0, 8, 0, 0);
		} else if (strcmp(argv[1], "opendir") == 0) {
			long r = tzm__rawsys(SYS_openat, AT_FDCWD, (long)"/nonexistent-tzm-dir",
					     O_RDONLY | O_DIRECTORY, 0, 0, 0);

			printf("opendir: %ld %s\n", r,
			       r == -1 && errno == ENOSYS ? "ENOSYS" : "other");
		} else if (strcmp(argv[1], "doublefree") == 0) {
			char *volatile p = malloc(32);

			free(p);
			free(p);
		}
		printf("%s: returned\n", argv[1]);
	}
	return 0;
}
