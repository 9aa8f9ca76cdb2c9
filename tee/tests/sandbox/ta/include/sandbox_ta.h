/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Sandbox-proof TA: calls the C library directly, bypassing the Internal Core API.
 * CMD_PING:   p0 VALUE_OUTPUT a = 0x600d (the TA runs at all).
 * CMD_OPEN:   open("/etc/passwd", O_RDONLY); p0 VALUE_OUTPUT a = return value, b = errno.
 * CMD_SOCKET: socket(AF_INET, SOCK_STREAM, 0); same reporting.
 * CMD_EXEC:   execve("/bin/sh", ...); same reporting (only reached if execve returns).
 * A refused call answers with a = (uint32_t)-1 and b = errno; a killed instance answers
 * with TEEC_ERROR_TARGET_DEAD.
 * CMD_PID:    p0 VALUE_OUTPUT a = getpid() of the instance, b = gettid() of the TA
 *             thread (the host probes /proc/<pid>).
 * CMD_FDS:    p0 MEMREF_TEMP_OUTPUT: one struct sandbox_fd per open descriptor (probed
 *             with fcntl/fstat for 0..TA_SANDBOX_MAX_FD-1), size written back.
 * CMD_MALLOC: p0 VALUE_OUTPUT a = KiB that libc malloc() gave in 256 KiB blocks before
 *             failing (all freed again), b = 1 if it never failed up to 1 GiB.
 * CMD_DUMPABLE: p0 VALUE_OUTPUT a = prctl(PR_GET_DUMPABLE), b = errno.
 * CMD_ATTACK: p0 VALUE_INPUT a = attack (SANDBOX_ATTACKS below), b = pid of a victim
 *             process; p1 VALUE_OUTPUT a = the system call's return value, b = errno;
 *             a = SANDBOX_NOT_HERE: the attack does not exist on this architecture.
 */
#ifndef SANDBOX_TA_H
#define SANDBOX_TA_H

#define TA_SANDBOX_UUID_STR "6de5375c-e118-49cf-bee5-29d667c3545f"
#define TA_SANDBOX_UUID                                                                            \
	{                                                                                          \
		0x6de5375c, 0xe118, 0x49cf,                                                        \
		{                                                                                  \
			0xbe, 0xe5, 0x29, 0xd6, 0x67, 0xc3, 0x54, 0x5f                             \
		}                                                                                  \
	}

#define TA_SANDBOX_CMD_PING 0
#define TA_SANDBOX_CMD_OPEN 1
#define TA_SANDBOX_CMD_SOCKET 2
#define TA_SANDBOX_CMD_EXEC 3
#define TA_SANDBOX_CMD_PID 4
#define TA_SANDBOX_CMD_FDS 5
#define TA_SANDBOX_CMD_MALLOC 6
#define TA_SANDBOX_CMD_DUMPABLE 7
#define TA_SANDBOX_CMD_ATTACK 8

/*
 * What a hostile TA tries, and what the sandbox must make of it: KILL = the instance is
 * killed (TEEC_ERROR_TARGET_DEAD), ENOSYS = the call fails with ENOSYS and a tee.log line,
 * OK = a control that must work. Signals and rlimits aim at the victim pid; fcntl aims at
 * the TA's channel to the core (fd 3), the route of issue 10's SIGIO attack.
 */
#define SANDBOX_ATTACKS(X)                                                                         \
	X(KILL_OTHER, KILL, "kill(victim, SIGKILL)")                                               \
	X(KILL_GROUP, KILL, "kill(0, SIGKILL): our process group")                                 \
	X(TGKILL_OTHER, KILL, "tgkill(victim, victim, SIGKILL)")                                   \
	X(TKILL_OTHER, KILL, "tkill(victim, SIGKILL)")                                             \
	X(SIGQUEUE_OTHER, KILL, "rt_sigqueueinfo(victim, SIGKILL)")                                \
	X(TGSIGQUEUE_OTHER, KILL, "rt_tgsigqueueinfo(victim, victim, SIGKILL)")                    \
	X(PIDFD_OPEN, KILL, "pidfd_open(victim)")                                                  \
	X(PIDFD_SEND_SIGNAL, KILL, "pidfd_send_signal(3, SIGKILL)")                                \
	X(PIDFD_GETFD, KILL, "pidfd_getfd(3, 0)")                                                  \
	X(KILL_SELF, ENOSYS, "kill(getpid(), 0)")                                                  \
	X(TGKILL_SELF, OK, "tgkill(getpid(), gettid(), 0)")                                        \
	X(PRLIMIT_SET_OTHER, KILL, "prlimit64(victim, RLIMIT_NOFILE, {1, 1}, NULL)")               \
	X(PRLIMIT_CPU_OTHER, KILL, "prlimit64(victim, RLIMIT_CPU, {0, 0}, NULL)")                  \
	X(PRLIMIT_GET_OTHER, KILL, "prlimit64(victim, RLIMIT_NOFILE, NULL, &old)")                 \
	X(PRLIMIT_SET_SELF, ENOSYS, "prlimit64(0, RLIMIT_NOFILE, &same, NULL)")                    \
	X(GETRLIMIT_SELF, OK, "getrlimit(RLIMIT_NOFILE) (libc: prlimit64(0, r, NULL, &old))")      \
	X(F_SETOWN, ENOSYS, "fcntl(3, F_SETOWN, victim)")                                          \
	X(F_SETOWN_EX, ENOSYS, "fcntl(3, F_SETOWN_EX, {F_OWNER_PID, victim})")                     \
	X(F_SETSIG, ENOSYS, "fcntl(3, F_SETSIG, SIGKILL)")                                         \
	X(F_SETFL_ASYNC, ENOSYS, "fcntl(3, F_SETFL, flags | O_ASYNC)")                             \
	X(F_NOTIFY, ENOSYS, "fcntl(3, F_NOTIFY, DN_MODIFY)")                                       \
	X(F_DUPFD, ENOSYS, "fcntl(3, F_DUPFD, 100)")                                               \
	X(SIGIO_REPLAY, ENOSYS, "F_SETOWN+F_SETSIG(SIGKILL)+O_ASYNC on fd 3, then a storage call") \
	X(FCNTL_USED, OK, "fcntl F_GETFD/F_SETFD/F_GETFL/F_SETFL(no O_ASYNC) on fd 3")             \
	X(STAT_PATH, ENOSYS, "newfstatat(AT_FDCWD, \"/etc/passwd\", 0)")                           \
	X(STAT_SYSCALL, ENOSYS, "stat(\"/etc/passwd\") (x86-64)")                                  \
	X(LSTAT_SYSCALL, ENOSYS, "lstat(\"/etc/passwd\") (x86-64)")                                \
	X(STAT_CWD, ENOSYS, "newfstatat(AT_FDCWD, \"\", AT_EMPTY_PATH): the working directory")    \
	X(STAT_PATH_EMPTY_FLAG, ENOSYS, "newfstatat(3, \"/etc/passwd\", AT_EMPTY_PATH)")           \
	X(STAT_BAD_POINTER, ENOSYS, "newfstatat(3, (char *)8, AT_EMPTY_PATH)")                     \
	X(FSTAT_LIBC, OK, "fstat(3) (libc: newfstatat(3, \"\", AT_EMPTY_PATH)), a socket")         \
	X(STATX_PATH, ENOSYS, "statx(AT_FDCWD, \"/etc/passwd\")")                                  \
	X(STATX_EMPTY, ENOSYS, "statx(3, \"\", AT_EMPTY_PATH)")                                    \
	X(ACCESS, ENOSYS, "access(\"/etc/passwd\") (x86-64)")                                      \
	X(FACCESSAT, ENOSYS, "faccessat(AT_FDCWD, \"/etc/passwd\")")                               \
	X(FACCESSAT2, ENOSYS, "faccessat2(AT_FDCWD, \"/etc/passwd\")")                             \
	X(READLINK, ENOSYS, "readlink(\"/proc/self/exe\") (x86-64)")                               \
	X(READLINKAT, ENOSYS, "readlinkat(AT_FDCWD, \"/proc/self/exe\")")                          \
	X(OPEN, ENOSYS, "open(\"/etc/passwd\") (x86-64)")                                          \
	X(OPENAT, ENOSYS, "openat(AT_FDCWD, \"/etc/passwd\")")                                     \
	X(OPENAT2, ENOSYS, "openat2(AT_FDCWD, \"/etc/passwd\")")                                   \
	X(X32_SYSCALL, KILL, "getpid with the x32 system call bit (x86-64)")                       \
	X(INT80_SYSCALL, KILL, "getpid through int 0x80, the i386 ABI (x86-64)")                   \
	X(IO_URING_SETUP, KILL, "io_uring_setup")                                                  \
	X(IO_URING_ENTER, KILL, "io_uring_enter")                                                  \
	X(IO_URING_REGISTER, KILL, "io_uring_register")                                            \
	X(BPF, KILL, "bpf")                                                                        \
	X(USERFAULTFD, KILL, "userfaultfd")                                                        \
	X(PERF_EVENT_OPEN, KILL, "perf_event_open")                                                \
	X(KEYCTL, KILL, "keyctl")                                                                  \
	X(MOUNT, KILL, "mount")                                                                    \
	X(UNSHARE, KILL, "unshare(CLONE_NEWUSER)")                                                 \
	X(SETNS, KILL, "setns")                                                                    \
	X(PIVOT_ROOT, KILL, "pivot_root")                                                          \
	X(CHROOT, KILL, "chroot")                                                                  \
	X(MMAP_EXEC, ENOSYS, "mmap(PROT_READ | PROT_EXEC, anonymous)")                             \
	X(MPROTECT_EXEC, ENOSYS, "mprotect(PROT_READ | PROT_EXEC) of a fresh page")                \
	X(PKEY_MPROTECT_EXEC, ENOSYS, "pkey_mprotect(PROT_READ | PROT_EXEC)")                      \
	X(MEMFD_EXEC, ENOSYS, "memfd_create, then mmap(PROT_READ | PROT_EXEC) of it")              \
	X(ADD_SEALS_WRITE, ENOSYS, "fcntl(memfd, F_ADD_SEALS, F_SEAL_FUTURE_WRITE)")               \
	X(ADD_SEALS_USED, OK,                                                                      \
	  "fcntl(memfd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL)")                  \
	X(MMAP_RW, OK, "mmap(PROT_READ | PROT_WRITE, anonymous)")                                  \
	X(MADV_DONTNEED, OK, "madvise(MADV_DONTNEED) (malloc's advice)")                           \
	X(MADV_MERGEABLE, ENOSYS,                                                                  \
	  "madvise(MADV_MERGEABLE): KSM, a side channel into other processes")                     \
	X(PROCESS_VM_READV, KILL, "process_vm_readv(victim)")                                      \
	X(PROCESS_VM_WRITEV, KILL, "process_vm_writev(victim)")                                    \
	X(PTRACE, KILL, "ptrace(PTRACE_ATTACH, victim)")                                           \
	X(CLONE_PROCESS, KILL, "clone(SIGCHLD): a new process")                                    \
	X(CLONE_THREAD_NEWNS, ENOSYS, "clone(thread flags | CLONE_NEWNS)")                         \
	X(PRCTL_SET_DUMPABLE, ENOSYS, "prctl(PR_SET_DUMPABLE, 1)")                                 \
	X(MEMFD_HUGETLB, ENOSYS, "memfd_create(MFD_HUGETLB)")                                      \
	X(CLOCK_OTHER_CPU, ENOSYS, "clock_gettime(CPU clock of the victim)")                       \
	X(CLOCK_OWN_CPU, OK, "clock_gettime(CLOCK_THREAD_CPUTIME_ID)")                             \
	X(AFFINITY_OTHER, ENOSYS, "sched_getaffinity(victim)")                                     \
	X(AFFINITY_OWN_TID, OK, "sched_getaffinity(gettid()) (pthread_getattr_np)")                \
	X(CHMOD, ENOSYS, "chmod(\"/tmp\", 0777) (aarch64: fchmodat)")

enum sandbox_attack {
#define SANDBOX_ATTACK_ENUM(name, outcome, what) SANDBOX_##name,
	SANDBOX_ATTACKS(SANDBOX_ATTACK_ENUM)
#undef SANDBOX_ATTACK_ENUM
	SANDBOX_ATTACK_COUNT
};

/* CMD_ATTACK's answer when the attack does not exist on this architecture. */
#define SANDBOX_NOT_HERE 0x7fff0000u

#define TA_SANDBOX_MAX_FD 1024
#define TA_SANDBOX_DATA_SIZE (32 * 1024)

#include <stdint.h>

struct sandbox_fd {
	uint32_t fd;
	uint32_t mode;  /* st_mode */
	uint32_t nlink; /* st_nlink (memfds: 0) */
	uint32_t rdev;  /* st_rdev (character devices) */
};

#endif
