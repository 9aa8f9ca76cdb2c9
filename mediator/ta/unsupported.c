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
#include <spawn.h>
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

/*
 * The rest of the exec family, posix_spawn and daemon: glibc's make the execve, clone or
 * fork system calls for which the TA sandbox kills the TA. A TA cannot start programs.
 */
int execl(const char *path, const char *arg, ...)
{
	(void)path;
	(void)arg;
	return tzm__unsupported("execl");
}

int execlp(const char *file, const char *arg, ...)
{
	(void)file;
	(void)arg;
	return tzm__unsupported("execlp");
}

int execle(const char *path, const char *arg, ...)
{
	(void)path;
	(void)arg;
	return tzm__unsupported("execle");
}

int execvpe(const char *file, char *const argv[], char *const envp[])
{
	(void)file;
	(void)argv;
	(void)envp;
	return tzm__unsupported("execvpe");
}

int fexecve(int fd, char *const argv[], char *const envp[])
{
	(void)fd;
	(void)argv;
	(void)envp;
	return tzm__unsupported("fexecve");
}

int posix_spawn(pid_t *pid, const char *path, const posix_spawn_file_actions_t *actions,
		const posix_spawnattr_t *attr, char *const argv[], char *const envp[])
{
	(void)pid;
	(void)path;
	(void)actions;
	(void)attr;
	(void)argv;
	(void)envp;
	tzm__unsupported("posix_spawn");
	return ENOSYS; /* the error number is the result; errno is not part of the answer */
}

int posix_spawnp(pid_t *pid, const char *file, const posix_spawn_file_actions_t *actions,
		 const posix_spawnattr_t *attr, char *const argv[], char *const envp[])
{
	(void)pid;
	(void)file;
	(void)actions;
	(void)attr;
	(void)argv;
	(void)envp;
	tzm__unsupported("posix_spawnp");
	return ENOSYS;
}

int daemon(int nochdir, int noclose)
{
	(void)nochdir;
	(void)noclose;
	return tzm__unsupported("daemon");
}
