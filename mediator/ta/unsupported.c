/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Calls a TA cannot make through the mediator. Defining them keeps libc's versions (which
 * would act on the process hosting the TA) out of reach: each fails with -1/ENOSYS and a
 * one-time log line, never a crash.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <signal.h>
#include <spawn.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "../transport/rawsys.h"
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

/*
 * ioctl: the requests that are another name for an fcntl run as libtzm's fcntl (FIOCLEX,
 * FIONCLEX: close-on-exec; FIONBIO: O_NONBLOCK); any other request -1/ENOSYS with one log
 * line. CPython sets close-on-exec with ioctl(FIOCLEX) and reports every error but ENOTTY
 * and EACCES: as a TA it could not open a script ("[Errno 38] Function not implemented").
 */
int ioctl(int fd, unsigned long req, ...)
{
	va_list ap;
	const int *arg = NULL;
	int fl = 0, on = 0;

	va_start(ap, req);
	arg = va_arg(ap, const int *);
	va_end(ap);
	switch (req) {
	case FIOCLEX:
	case FIONCLEX:
		fl = fcntl(fd, F_GETFD);
		if (fl < 0) {
			return -1;
		}
		return fcntl(fd, F_SETFD, req == FIOCLEX ? fl | FD_CLOEXEC : fl & ~FD_CLOEXEC);
	case FIONBIO:
		if (tzm__null(arg)) {
			errno = EFAULT;
			return -1;
		}
		on = *arg;
		fl = fcntl(fd, F_GETFL);
		if (fl < 0) {
			return -1;
		}
		return fcntl(fd, F_SETFL, on ? fl | O_NONBLOCK : fl & ~O_NONBLOCK) < 0 ? -1 : 0;
	default:
		return tzm__unsupported("ioctl");
	}
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

/*
 * Extended attributes: a TA's files have none it can reach (glibc's make the *xattr
 * system calls, which the TA sandbox refuses with ENOSYS). ENOTSUP, what Linux answers
 * for a file system without them, and what programs that copy metadata expect and skip
 * (CPython's shutil.copytree/copystat, cp -a, tar), with one log line naming the call.
 */
static ssize_t no_xattr(const char *fn)
{
	tzm__log_once(fn,
		      "%s(): extended attributes are not supported by the mediator "
		      "(ENOTSUP)",
		      fn);
	errno = ENOTSUP;
	return -1;
}

ssize_t listxattr(const char *path, char *list, size_t size)
{
	(void)path;
	(void)list;
	(void)size;
	return no_xattr("listxattr");
}

ssize_t llistxattr(const char *path, char *list, size_t size)
{
	(void)path;
	(void)list;
	(void)size;
	return no_xattr("llistxattr");
}

ssize_t flistxattr(int fd, char *list, size_t size)
{
	(void)fd;
	(void)list;
	(void)size;
	return no_xattr("flistxattr");
}

ssize_t getxattr(const char *path, const char *name, void *value, size_t size)
{
	(void)path;
	(void)name;
	(void)value;
	(void)size;
	return no_xattr("getxattr");
}

ssize_t lgetxattr(const char *path, const char *name, void *value, size_t size)
{
	(void)path;
	(void)name;
	(void)value;
	(void)size;
	return no_xattr("lgetxattr");
}

ssize_t fgetxattr(int fd, const char *name, void *value, size_t size)
{
	(void)fd;
	(void)name;
	(void)value;
	(void)size;
	return no_xattr("fgetxattr");
}

int setxattr(const char *path, const char *name, const void *value, size_t size, int flags)
{
	(void)path;
	(void)name;
	(void)value;
	(void)size;
	(void)flags;
	return (int)no_xattr("setxattr");
}

int lsetxattr(const char *path, const char *name, const void *value, size_t size, int flags)
{
	(void)path;
	(void)name;
	(void)value;
	(void)size;
	(void)flags;
	return (int)no_xattr("lsetxattr");
}

int fsetxattr(int fd, const char *name, const void *value, size_t size, int flags)
{
	(void)fd;
	(void)name;
	(void)value;
	(void)size;
	(void)flags;
	return (int)no_xattr("fsetxattr");
}

int removexattr(const char *path, const char *name)
{
	(void)path;
	(void)name;
	return (int)no_xattr("removexattr");
}

int lremovexattr(const char *path, const char *name)
{
	(void)path;
	(void)name;
	return (int)no_xattr("lremovexattr");
}

int fremovexattr(int fd, const char *name)
{
	(void)fd;
	(void)name;
	return (int)no_xattr("fremovexattr");
}

/*
 * mmap: anonymous memory is the process's own (the raw system call: glibc's mmap would do
 * the same); a file cannot be mapped, since a TA descriptor is a number in the shadow's
 * table, not one of this process: glibc's mmap mapped whatever this process has under
 * that number, or failed with EBADF, silently (SQLite's WAL mode maps its -shm file
 * shared and failed as "disk I/O error"). ENOSYS and one line naming it.
 */
void *mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off)
{
	if (flags & MAP_ANONYMOUS) {
		return (void *)TZM__SYS6(SYS_mmap, addr, len, prot, flags, fd, off);
	}
	tzm__log_once("mmap(file)", "mmap of a file (fd %d, %s) is not supported in a TA: ENOSYS",
		      fd, (flags & MAP_SHARED) ? "shared" : "private");
	errno = ENOSYS;
	return MAP_FAILED;
}

void *mmap64(void *addr, size_t len, int prot, int flags, int fd, off64_t off)
{
	return mmap(addr, len, prot, flags, fd, off);
}
