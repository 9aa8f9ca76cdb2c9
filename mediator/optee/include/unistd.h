/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * POSIX unistd.h for libtzm TAs on OP-TEE. Stands in for libutils' unistd.h (which only
 * declares its console write()); write here is libtzm's (symbol tzm_write).
 */
#ifndef TZM_OPTEE_UNISTD_H
#define TZM_OPTEE_UNISTD_H
/* libutils' header guard: its unistd.h must not also declare write() */
#define __UNISTD_H

#include <sys/types.h>
#include <tzm_optee_libc.h>

#define STDIN_FILENO 0
#define STDOUT_FILENO 1
#define STDERR_FILENO 2

#define SEEK_SET 0
#define SEEK_CUR 1
#define SEEK_END 2

#define F_OK 0
#define X_OK 1
#define W_OK 2
#define R_OK 4

ssize_t read(int fd, void *buf, size_t count);
ssize_t write(int fd, const void *buf, size_t count) TZM_NAME(write);
ssize_t pread(int fd, void *buf, size_t count, off_t off);
ssize_t pwrite(int fd, const void *buf, size_t count, off_t off);
off_t lseek(int fd, off_t off, int whence);
int close(int fd);
int dup(int fd);
int dup2(int oldfd, int newfd);
int dup3(int oldfd, int newfd, int flags);
int pipe(int fds[2]);
int pipe2(int fds[2], int flags);
int unlink(const char *path);
int unlinkat(int dirfd, const char *path, int flags);
int rmdir(const char *path);
int access(const char *path, int mode);
int faccessat(int dirfd, const char *path, int mode, int flags);
int ftruncate(int fd, off_t len);
int fsync(int fd);
int fdatasync(int fd);
int isatty(int fd);
void _exit(int status) __attribute__((noreturn));
pid_t getpid(void);
pid_t getppid(void);
uid_t getuid(void);
uid_t geteuid(void);
gid_t getgid(void);
gid_t getegid(void);
unsigned int sleep(unsigned int seconds);
int usleep(useconds_t usec);
ssize_t pread64(int fd, void *buf, size_t count, off64_t off);
ssize_t pwrite64(int fd, const void *buf, size_t count, off64_t off);
off64_t lseek64(int fd, off64_t off, int whence);
int ftruncate64(int fd, off64_t len);

/* ta/fsmeta.c */
int chown(const char *path, uid_t uid, gid_t gid);
int lchown(const char *path, uid_t uid, gid_t gid);
int fchown(int fd, uid_t uid, gid_t gid);
int fchownat(int dirfd, const char *path, uid_t uid, gid_t gid, int flags);
int truncate(const char *path, off_t len);
int truncate64(const char *path, off64_t len);
int symlink(const char *target, const char *linkpath);
int symlinkat(const char *target, int dirfd, const char *linkpath);
ssize_t readlink(const char *path, char *buf, size_t size);
ssize_t readlinkat(int dirfd, const char *path, char *buf, size_t size);
int link(const char *oldpath, const char *newpath);
int linkat(int olddir, const char *oldpath, int newdir, const char *newpath, int flags);
long syscall(long number, ...); /* always -1/ENOSYS (raw system calls never reach a kernel) */
/* ta/proc.c */
int gethostname(char *name, size_t len);
int getdomainname(char *name, size_t len);
char *getcwd(char *buf, size_t size);
char *get_current_dir_name(void);
int chdir(const char *path);
int fchdir(int fd);
pid_t getpgrp(void);
pid_t getpgid(pid_t pid);
pid_t getsid(pid_t pid);
pid_t setsid(void);
int setpgid(pid_t pid, pid_t pgid);
int setpgrp(void);
#endif
