/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Calls a TA cannot make through the mediator. Defining them keeps libc's versions (which
 * would act on the process hosting the TA) out of reach: each fails with -1/ENOSYS and a
 * one-time log line, never a crash.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "tzm_int.h"

pid_t fork(void)
{
	return tzm__unsupported("fork");
}

pid_t vfork(void)
{
	return tzm__unsupported("vfork");
}

int execve(const char *path, char *const argv[], char *const envp[])
{
	(void)path;
	(void)argv;
	(void)envp;
	return tzm__unsupported("execve");
}

int execv(const char *path, char *const argv[])
{
	(void)path;
	(void)argv;
	return tzm__unsupported("execv");
}

int execvp(const char *file, char *const argv[])
{
	(void)file;
	(void)argv;
	return tzm__unsupported("execvp");
}

int system(const char *cmd)
{
	(void)cmd;
	return tzm__unsupported("system");
}

FILE *popen(const char *cmd, const char *mode)
{
	(void)cmd;
	(void)mode;
	tzm__unsupported("popen");
	return NULL;
}

int ioctl(int fd, unsigned long req, ...)
{
	(void)fd;
	(void)req;
	return tzm__unsupported("ioctl");
}
