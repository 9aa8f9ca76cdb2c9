/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Makes, twice, a system call that the TEE's sandbox refuses (chmod; fchmodat on
 * architectures without chmod) with the system call instruction itself (libtzm answers
 * libc's chmod and syscall() without reaching the kernel: tzm__rawsys is the mediator's
 * own raw path), and prints how each ended. Natively the path does not exist (ENOENT); as a TA the
 * sandbox answers ENOSYS and tzm-run's stderr gets one line saying so.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
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

int main(void)
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
	return 0;
}
