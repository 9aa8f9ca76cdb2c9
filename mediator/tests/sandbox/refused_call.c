/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Makes, twice, a system call that the TEE's sandbox refuses (chmod; fchmodat on
 * architectures without chmod) with the raw syscall(), which libtzm does not forward,
 * and prints how each ended. Natively the path does not exist (ENOENT); as a TA the
 * sandbox answers ENOSYS and tzm-run's stderr gets one line saying so.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <unistd.h>

static long refused_call(void)
{
#ifdef SYS_chmod
	return syscall(SYS_chmod, "/nonexistent-tzm-sandbox-notice", 0777);
#else
	return syscall(SYS_fchmodat, AT_FDCWD, "/nonexistent-tzm-sandbox-notice", 0777, 0);
#endif
}

int main(void)
{
	for (int i = 0; i < 2; i++) {
		long ret = refused_call();
		int err = errno;

		printf("chmod: %ld %s\n", ret,
		       ret != -1 ? "-" : err == ENOSYS ? "ENOSYS" : err == ENOENT ? "ENOENT" : "other");
	}
	return 0;
}
