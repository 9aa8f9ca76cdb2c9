/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Sandbox-proof TA: a hostile TA that calls open(), socket() and execve() itself, and
 * CMD_ATTACK's catalogue of escapes (SANDBOX_ATTACKS in sandbox_ta.h), each made with the
 * raw system call so that no libc wrapper changes what the kernel sees. In a locked-down
 * instance each must fail with ENOSYS or kill the instance; the host side (tee_sandbox)
 * asserts which, and that nothing leaked out. It also reports what a TA
 * can see of its process (pid, open descriptors) and how far libc malloc() gets, so the
 * host can check "not dumpable", "no inherited descriptors" and the heap bound.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* gettid() */
#endif
#include <errno.h>
#include <fcntl.h>
#include <sandbox_ta.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <tee_internal_api.h>
#include <time.h>
#include <unistd.h>

static void report(TEE_Param *p, int ret, int err)
{
	p->value.a = (uint32_t)ret;
	p->value.b = (uint32_t)err;
}

/* fcntl and fstat are allowed in the sandbox: probe every descriptor number. */
static TEE_Result list_fds(TEE_Param *p)
{
	struct sandbox_fd *out = p->memref.buffer;
	size_t cap = p->memref.size / sizeof(*out), n = 0;

	for (int fd = 0; fd < TA_SANDBOX_MAX_FD; fd++) {
		struct stat st;

		if (fcntl(fd, F_GETFD) < 0) {
			continue;
		}
		if (n < cap) {
			out[n].fd = (uint32_t)fd;
			out[n].mode = fstat(fd, &st) == 0 ? (uint32_t)st.st_mode : 0;
			out[n].nlink = (uint32_t)st.st_nlink;
			out[n].rdev = (uint32_t)st.st_rdev;
		}
		n++;
	}
	p->memref.size = n * sizeof(*out);
	return n <= cap ? TEE_SUCCESS : TEE_ERROR_SHORT_BUFFER;
}

/* libc malloc() is not TEE_Malloc: it must still hit the instance's data limit. Blocks
 * are chained through their first word and all freed before returning. */
static void malloc_until_failure(TEE_Param *p)
{
	const size_t blk = 256 * 1024;
	void **head = NULL;
	uint32_t kib = 0;

	for (;;) {
		void **b = malloc(blk);

		if (!b) {
			break;
		}
		*b = head;
		head = b;
		kib += (uint32_t)(blk / 1024);
		if (kib >= 1024u * 1024u) {
			break; /* 1 GiB: no bound worth the name */
		}
	}
	p->value.a = kib;
	p->value.b = kib >= 1024u * 1024u;
	while (head) {
		void **next = *head;
		free(head);
		head = next;
	}
}

#define PAGE 4096

/* The raw system call's result as (ret, errno). */
static void report_sys(TEE_Param *p, long ret)
{
	report(p, (int)ret, ret == -1 ? errno : 0);
}

static void not_here(TEE_Param *p)
{
	p->value.a = SANDBOX_NOT_HERE;
	p->value.b = 0;
}

/* fd 3 is the instance's channel to the core (tee/README.md). */
#define CHANNEL_FD 3

static long sigio_replay(pid_t victim)
{
	struct f_owner_ex owner = { F_OWNER_PID, victim };
	TEE_ObjectHandle obj = TEE_HANDLE_NULL;
	long ret = syscall(SYS_fcntl, CHANNEL_FD, F_SETOWN, victim);
	int err = errno;
	long fl = syscall(SYS_fcntl, CHANNEL_FD, F_GETFL);

	(void)syscall(SYS_fcntl, CHANNEL_FD, F_SETOWN_EX, &owner);
	(void)syscall(SYS_fcntl, CHANNEL_FD, F_SETSIG, SIGKILL);
	(void)syscall(SYS_fcntl, CHANNEL_FD, F_SETFL, fl | O_ASYNC);
	/* the core's reply arrives on fd 3: with O_ASYNC and an owner, the kernel signals */
	if (TEE_OpenPersistentObject(TEE_STORAGE_PRIVATE, "no-such-object", 14,
				     TEE_DATA_FLAG_ACCESS_READ, &obj) == TEE_SUCCESS) {
		TEE_CloseObject(obj);
	}
	errno = err;
	return ret;
}

static long fcntl_used(void)
{
	long fd_flags = syscall(SYS_fcntl, CHANNEL_FD, F_GETFD);
	long fl = syscall(SYS_fcntl, CHANNEL_FD, F_GETFL);

	if (fd_flags < 0 || fl < 0) {
		return -1;
	}
	if (syscall(SYS_fcntl, CHANNEL_FD, F_SETFD, fd_flags) != 0) {
		return -1;
	}
	return syscall(SYS_fcntl, CHANNEL_FD, F_SETFL, fl & ~(long)O_ASYNC);
}

static long map_then(int how)
{
	void *p = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED) {
		return -1;
	}
	if (how == 0) {
		return syscall(SYS_mprotect, p, PAGE, PROT_READ | PROT_EXEC);
	}
	return syscall(SYS_pkey_mprotect, p, PAGE, PROT_READ | PROT_EXEC, -1);
}

static long advise(int advice)
{
	void *p = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	long ret;

	if (p == MAP_FAILED) {
		return -1;
	}
	ret = syscall(SYS_madvise, p, PAGE, advice);
	munmap(p, PAGE);
	return ret;
}

static long memfd_exec(void)
{
	long fd = syscall(SYS_memfd_create, "code", MFD_CLOEXEC);

	if (fd < 0 || syscall(SYS_ftruncate, fd, PAGE) != 0) {
		return -1;
	}
	return (long)syscall(SYS_mmap, NULL, PAGE, PROT_READ | PROT_EXEC, MAP_SHARED, fd, 0);
}

/* Adds seals to a fresh sealable memfd (its fd is closed either way). */
static long add_seals(long seals)
{
	long fd = syscall(SYS_memfd_create, "seals", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	long rc;
	int saved;

	if (fd < 0) {
		return -1;
	}
	rc = syscall(SYS_fcntl, fd, F_ADD_SEALS, seals);
	saved = errno;
	syscall(SYS_close, fd);
	errno = saved;
	return rc;
}

static long stat_at(int dirfd, const char *path, int flags)
{
	struct stat st;

	return syscall(SYS_newfstatat, dirfd, path, &st, flags);
}

static long statx_at(int dirfd, const char *path, int flags)
{
	uint8_t buf[256]; /* struct statx, whatever this libc's headers say */

	return syscall(SYS_statx, dirfd, path, flags, 0x7ffu /* STATX_BASIC_STATS */, buf);
}

#if defined(__x86_64__)
static long int80_getpid(void)
{
	long ret = 20; /* __NR_getpid of i386 */

	__asm__ volatile("int $0x80" : "+a"(ret) : : "r8", "r9", "r10", "r11", "memory");
	return ret;
}
#endif

static void attack(uint32_t which, pid_t victim, TEE_Param *out)
{
	const struct rlimit one = { 1, 1 }, zero = { 0, 0 };
	struct rlimit cur = { 0, 0 };
	siginfo_t si;
	char buf[64];
	struct iovec local = { buf, sizeof(buf) }, remote = { buf, sizeof(buf) };
	struct {
		uint64_t flags, mode, resolve;
	} how = { O_RDONLY, 0, 0 };
	uint8_t params[256];
	const unsigned long thread_newns =
		CLONE_VM | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD | CLONE_NEWNS;
	/* MAKE_PROCESS_CPUCLOCK(victim, CPUCLOCK_SCHED) of the kernel's posix-timers.h */
	const long victim_clock = (long)((~(unsigned long)victim) << 3) | 2;
	struct timespec ts;

	memset(&si, 0, sizeof(si));
	si.si_code = SI_QUEUE;
	si.si_pid = getpid();
	memset(params, 0, sizeof(params));
	errno = 0;
	switch (which) {
	case SANDBOX_KILL_OTHER:
		report_sys(out, syscall(SYS_kill, victim, SIGKILL));
		break;
	case SANDBOX_KILL_GROUP:
		report_sys(out, syscall(SYS_kill, 0, SIGKILL));
		break;
	case SANDBOX_TGKILL_OTHER:
		report_sys(out, syscall(SYS_tgkill, victim, victim, SIGKILL));
		break;
	case SANDBOX_TKILL_OTHER:
		report_sys(out, syscall(SYS_tkill, victim, SIGKILL));
		break;
	case SANDBOX_SIGQUEUE_OTHER:
		report_sys(out, syscall(SYS_rt_sigqueueinfo, victim, SIGKILL, &si));
		break;
	case SANDBOX_TGSIGQUEUE_OTHER:
		report_sys(out, syscall(SYS_rt_tgsigqueueinfo, victim, victim, SIGKILL, &si));
		break;
	case SANDBOX_PIDFD_OPEN:
		report_sys(out, syscall(SYS_pidfd_open, victim, 0));
		break;
	case SANDBOX_PIDFD_SEND_SIGNAL:
		report_sys(out, syscall(SYS_pidfd_send_signal, CHANNEL_FD, SIGKILL, NULL, 0));
		break;
	case SANDBOX_PIDFD_GETFD:
		report_sys(out, syscall(SYS_pidfd_getfd, CHANNEL_FD, 0, 0));
		break;
	case SANDBOX_KILL_SELF:
		report_sys(out, syscall(SYS_kill, getpid(), 0));
		break;
	case SANDBOX_TGKILL_SELF:
		report_sys(out, syscall(SYS_tgkill, getpid(), gettid(), 0));
		break;
	case SANDBOX_PRLIMIT_SET_OTHER:
		report_sys(out, syscall(SYS_prlimit64, victim, RLIMIT_NOFILE, &one, NULL));
		break;
	case SANDBOX_PRLIMIT_CPU_OTHER:
		report_sys(out, syscall(SYS_prlimit64, victim, RLIMIT_CPU, &zero, NULL));
		break;
	case SANDBOX_PRLIMIT_GET_OTHER:
		report_sys(out, syscall(SYS_prlimit64, victim, RLIMIT_NOFILE, NULL, &cur));
		break;
	case SANDBOX_PRLIMIT_SET_SELF:
		if (getrlimit(RLIMIT_NOFILE, &cur) != 0) {
			report_sys(out, -1);
			break;
		}
		report_sys(out, syscall(SYS_prlimit64, 0, RLIMIT_NOFILE, &cur, NULL));
		break;
	case SANDBOX_GETRLIMIT_SELF:
		report_sys(out, getrlimit(RLIMIT_NOFILE, &cur));
		break;
	case SANDBOX_F_SETOWN:
		report_sys(out, syscall(SYS_fcntl, CHANNEL_FD, F_SETOWN, victim));
		break;
	case SANDBOX_F_SETOWN_EX: {
		struct f_owner_ex owner = { F_OWNER_PID, victim };

		report_sys(out, syscall(SYS_fcntl, CHANNEL_FD, F_SETOWN_EX, &owner));
		break;
	}
	case SANDBOX_F_SETSIG:
		report_sys(out, syscall(SYS_fcntl, CHANNEL_FD, F_SETSIG, SIGKILL));
		break;
	case SANDBOX_F_SETFL_ASYNC:
		report_sys(out, syscall(SYS_fcntl, CHANNEL_FD, F_SETFL,
					syscall(SYS_fcntl, CHANNEL_FD, F_GETFL) | O_ASYNC));
		break;
	case SANDBOX_F_NOTIFY:
		report_sys(out, syscall(SYS_fcntl, CHANNEL_FD, F_NOTIFY, DN_MODIFY));
		break;
	case SANDBOX_F_DUPFD:
		report_sys(out, syscall(SYS_fcntl, CHANNEL_FD, F_DUPFD, 100));
		break;
	case SANDBOX_SIGIO_REPLAY:
		report_sys(out, sigio_replay(victim));
		break;
	case SANDBOX_FCNTL_USED:
		report_sys(out, fcntl_used());
		break;
	case SANDBOX_STAT_PATH:
		report_sys(out, stat_at(AT_FDCWD, "/etc/passwd", 0));
		break;
	case SANDBOX_STAT_SYSCALL:
	case SANDBOX_LSTAT_SYSCALL:
#if defined(SYS_stat) && defined(SYS_lstat)
	{
		struct stat st;

		report_sys(out, syscall(which == SANDBOX_STAT_SYSCALL ? SYS_stat : SYS_lstat,
					"/etc/passwd", &st));
	}
#else
		not_here(out);
#endif
	break;
	case SANDBOX_STAT_CWD:
		report_sys(out, stat_at(AT_FDCWD, "", AT_EMPTY_PATH));
		break;
	case SANDBOX_STAT_PATH_EMPTY_FLAG:
		report_sys(out, stat_at(CHANNEL_FD, "/etc/passwd", AT_EMPTY_PATH));
		break;
	case SANDBOX_STAT_BAD_POINTER:
		report_sys(out, stat_at(CHANNEL_FD, (const char *)8, AT_EMPTY_PATH));
		break;
	case SANDBOX_FSTAT_LIBC: {
		struct stat st;
		int ret = fstat(CHANNEL_FD, &st);

		report(out, ret == 0 && !S_ISSOCK(st.st_mode) ? -1 : ret, errno);
		break;
	}
	case SANDBOX_STATX_PATH:
		report_sys(out, statx_at(AT_FDCWD, "/etc/passwd", 0));
		break;
	case SANDBOX_STATX_EMPTY:
		report_sys(out, statx_at(CHANNEL_FD, "", AT_EMPTY_PATH));
		break;
	case SANDBOX_ACCESS:
#ifdef SYS_access
		report_sys(out, syscall(SYS_access, "/etc/passwd", R_OK));
#else
		not_here(out);
#endif
		break;
	case SANDBOX_FACCESSAT:
		report_sys(out, syscall(SYS_faccessat, AT_FDCWD, "/etc/passwd", R_OK));
		break;
	case SANDBOX_FACCESSAT2:
		report_sys(out, syscall(SYS_faccessat2, AT_FDCWD, "/etc/passwd", R_OK, 0));
		break;
	case SANDBOX_READLINK:
#ifdef SYS_readlink
		report_sys(out, syscall(SYS_readlink, "/proc/self/exe", buf, sizeof(buf)));
#else
		not_here(out);
#endif
		break;
	case SANDBOX_READLINKAT:
		report_sys(out,
			   syscall(SYS_readlinkat, AT_FDCWD, "/proc/self/exe", buf, sizeof(buf)));
		break;
	case SANDBOX_OPEN:
#ifdef SYS_open
		report_sys(out, syscall(SYS_open, "/etc/passwd", O_RDONLY));
#else
		not_here(out);
#endif
		break;
	case SANDBOX_OPENAT:
		report_sys(out, syscall(SYS_openat, AT_FDCWD, "/etc/passwd", O_RDONLY));
		break;
	case SANDBOX_OPENAT2:
		report_sys(out, syscall(SYS_openat2, AT_FDCWD, "/etc/passwd", &how, sizeof(how)));
		break;
	case SANDBOX_X32_SYSCALL:
#if defined(__x86_64__)
		report_sys(out, syscall(0x40000000L | SYS_getpid));
#else
		not_here(out);
#endif
		break;
	case SANDBOX_INT80_SYSCALL:
#if defined(__x86_64__)
		report(out, (int)int80_getpid(), 0);
#else
		not_here(out);
#endif
		break;
	case SANDBOX_IO_URING_SETUP:
		report_sys(out, syscall(SYS_io_uring_setup, 1, params));
		break;
	case SANDBOX_IO_URING_ENTER:
		report_sys(out, syscall(SYS_io_uring_enter, CHANNEL_FD, 0, 0, 0, NULL, 0));
		break;
	case SANDBOX_IO_URING_REGISTER:
		report_sys(out, syscall(SYS_io_uring_register, CHANNEL_FD, 0, NULL, 0));
		break;
	case SANDBOX_BPF:
		report_sys(out, syscall(SYS_bpf, 0, params, 64));
		break;
	case SANDBOX_USERFAULTFD:
		report_sys(out, syscall(SYS_userfaultfd, 0));
		break;
	case SANDBOX_PERF_EVENT_OPEN:
		report_sys(out, syscall(SYS_perf_event_open, params, 0, -1, -1, 0));
		break;
	case SANDBOX_KEYCTL:
		report_sys(out, syscall(SYS_keyctl, 0 /* KEYCTL_GET_KEYRING_ID */, -3, 0));
		break;
	case SANDBOX_MOUNT:
		report_sys(out, syscall(SYS_mount, "none", "/tmp", "tmpfs", 0, NULL));
		break;
	case SANDBOX_UNSHARE:
		report_sys(out, syscall(SYS_unshare, CLONE_NEWUSER));
		break;
	case SANDBOX_SETNS:
		report_sys(out, syscall(SYS_setns, CHANNEL_FD, 0));
		break;
	case SANDBOX_PIVOT_ROOT:
		report_sys(out, syscall(SYS_pivot_root, "/tmp", "/tmp"));
		break;
	case SANDBOX_CHROOT:
		report_sys(out, syscall(SYS_chroot, "/"));
		break;
	case SANDBOX_MMAP_EXEC:
		report_sys(out, (long)syscall(SYS_mmap, NULL, PAGE, PROT_READ | PROT_EXEC,
					      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
		break;
	case SANDBOX_MPROTECT_EXEC:
		report_sys(out, map_then(0));
		break;
	case SANDBOX_PKEY_MPROTECT_EXEC:
		report_sys(out, map_then(1));
		break;
	case SANDBOX_ADD_SEALS_WRITE:
		report_sys(out, add_seals(F_SEAL_FUTURE_WRITE));
		break;
	case SANDBOX_ADD_SEALS_USED:
		report_sys(out, add_seals(F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL));
		break;
	case SANDBOX_MEMFD_EXEC:
		report_sys(out, memfd_exec());
		break;
	case SANDBOX_MMAP_RW: {
		void *p = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1,
			       0);

		report(out, p == MAP_FAILED ? -1 : 0, errno);
		if (p != MAP_FAILED) {
			munmap(p, PAGE);
		}
		break;
	}
	case SANDBOX_MADV_DONTNEED:
		report_sys(out, advise(MADV_DONTNEED));
		break;
	case SANDBOX_MADV_MERGEABLE:
		report_sys(out, advise(MADV_MERGEABLE));
		break;
	case SANDBOX_PROCESS_VM_READV:
		report_sys(out, syscall(SYS_process_vm_readv, victim, &local, 1, &remote, 1, 0));
		break;
	case SANDBOX_PROCESS_VM_WRITEV:
		report_sys(out, syscall(SYS_process_vm_writev, victim, &local, 1, &remote, 1, 0));
		break;
	case SANDBOX_PTRACE:
		report_sys(out, syscall(SYS_ptrace, 16 /* PTRACE_ATTACH */, victim, NULL, NULL));
		break;
	case SANDBOX_CLONE_PROCESS: {
		long pid = syscall(SYS_clone, (unsigned long)SIGCHLD, NULL, NULL, NULL, NULL);

		if (pid == 0) {
			syscall(SYS_exit, 0); /* only reached if the sandbox let it through */
		}
		report_sys(out, pid);
		break;
	}
	case SANDBOX_CLONE_THREAD_NEWNS: {
		/* a child without its own stack would share ours: it must never run, and the
		 * kernel refuses CLONE_NEWNS without CAP_SYS_ADMIN even if the filter did not */
		long pid = syscall(SYS_clone, thread_newns, NULL, NULL, NULL, NULL);

		if (pid == 0) {
			syscall(SYS_exit, 0);
		}
		report_sys(out, pid);
		break;
	}
	case SANDBOX_PRCTL_SET_DUMPABLE:
		report_sys(out, syscall(SYS_prctl, PR_SET_DUMPABLE, 1, 0, 0, 0));
		break;
	case SANDBOX_MEMFD_HUGETLB:
		report_sys(out, syscall(SYS_memfd_create, "huge", MFD_HUGETLB));
		break;
	case SANDBOX_CLOCK_OTHER_CPU:
		report_sys(out, syscall(SYS_clock_gettime, victim_clock, &ts));
		break;
	case SANDBOX_CLOCK_OWN_CPU:
		report_sys(out, syscall(SYS_clock_gettime, CLOCK_THREAD_CPUTIME_ID, &ts));
		break;
	case SANDBOX_AFFINITY_OTHER:
		report_sys(out, syscall(SYS_sched_getaffinity, victim, sizeof(buf), buf));
		break;
	case SANDBOX_AFFINITY_OWN_TID:
		report_sys(out, syscall(SYS_sched_getaffinity, gettid(), sizeof(buf), buf));
		break;
	case SANDBOX_CHMOD:
#ifdef SYS_chmod
		report_sys(out, syscall(SYS_chmod, "/tmp", 0777));
#else
		report_sys(out, syscall(SYS_fchmodat, AT_FDCWD, "/tmp", 0777, 0));
#endif
		break;
	default:
		not_here(out);
		break;
	}
}

TEE_Result TA_InvokeCommandEntryPoint(void *sess_ctx, uint32_t cmd_id, uint32_t param_types,
				      TEE_Param params[TEE_NUM_PARAMS])
{
	char *const argv[] = { (char *)"sh", (char *)"-c", (char *)"true", NULL };
	char *const envp[] = { NULL };
	int ret = -1;

	(void)sess_ctx;
	if (cmd_id == TA_SANDBOX_CMD_FDS) {
		if (param_types != TEE_PARAM_TYPES(TEE_PARAM_TYPE_MEMREF_OUTPUT,
						   TEE_PARAM_TYPE_NONE, TEE_PARAM_TYPE_NONE,
						   TEE_PARAM_TYPE_NONE)) {
			return TEE_ERROR_BAD_PARAMETERS;
		}
		return list_fds(&params[0]);
	}
	if (cmd_id == TA_SANDBOX_CMD_ATTACK) {
		if (param_types != TEE_PARAM_TYPES(TEE_PARAM_TYPE_VALUE_INPUT,
						   TEE_PARAM_TYPE_VALUE_OUTPUT, TEE_PARAM_TYPE_NONE,
						   TEE_PARAM_TYPE_NONE)) {
			return TEE_ERROR_BAD_PARAMETERS;
		}
		attack(params[0].value.a, (pid_t)params[0].value.b, &params[1]);
		return TEE_SUCCESS;
	}
	if (param_types != TEE_PARAM_TYPES(TEE_PARAM_TYPE_VALUE_OUTPUT, TEE_PARAM_TYPE_NONE,
					   TEE_PARAM_TYPE_NONE, TEE_PARAM_TYPE_NONE)) {
		return TEE_ERROR_BAD_PARAMETERS;
	}
	errno = 0;
	switch (cmd_id) {
	case TA_SANDBOX_CMD_PING:
		report(&params[0], 0x600d, 0);
		return TEE_SUCCESS;
	case TA_SANDBOX_CMD_OPEN:
		ret = open("/etc/passwd", O_RDONLY);
		report(&params[0], ret, errno);
		return TEE_SUCCESS;
	case TA_SANDBOX_CMD_SOCKET:
		ret = socket(AF_INET, SOCK_STREAM, 0);
		report(&params[0], ret, errno);
		return TEE_SUCCESS;
	case TA_SANDBOX_CMD_EXEC:
		ret = execve("/bin/sh", argv, envp);
		report(&params[0], ret, errno);
		return TEE_SUCCESS;
	case TA_SANDBOX_CMD_PID:
		report(&params[0], (int)getpid(), (int)gettid());
		return TEE_SUCCESS;
	case TA_SANDBOX_CMD_DUMPABLE:
		ret = prctl(PR_GET_DUMPABLE, 0, 0, 0, 0);
		report(&params[0], ret, errno);
		return TEE_SUCCESS;
	case TA_SANDBOX_CMD_MALLOC:
		malloc_until_failure(&params[0]);
		return TEE_SUCCESS;
	default:
		return TEE_ERROR_NOT_SUPPORTED;
	}
}
