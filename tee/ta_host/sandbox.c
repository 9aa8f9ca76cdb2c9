/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Locks the TA host down before any TA code runs:
 *  - not dumpable (no ptrace attach or core dumps by the same user), no new privileges,
 *    no READ_IMPLIES_EXEC personality;
 *  - RLIMIT_CORE 0; RLIMIT_DATA caps libc malloc at roughly TA_DATA_SIZE above what the
 *    host already uses (TEE_Malloc has its own fixed arena; this is only a backstop);
 *  - a seccomp allow-list applied to every thread (TSYNC). Every allowed call that takes
 *    a pid, a command or flags has its arguments checked (SECURITY.md, "The TA sandbox",
 *    lists each call and why it is needed):
 *      allowed: I/O on existing fds, fcntl(F_GETFD/F_SETFD/F_GETFL/F_SETFL without
 *        O_ASYNC/F_ADD_SEALS of shrink|grow|seal only/F_GET_SEALS), memory management without
 * PROT_EXEC (madvise: the advice malloc and thread stacks use), futex, static clocks and sleeps,
 * getrandom, signals to itself (tgkill of our tgid), threads (clone with exactly the thread flags),
 * memfd_create/ftruncate (TA-to-TA bounce buffers), prlimit64 on pid 0 read-only, sched_getaffinity
 * of itself, prctl(PR_GET_DUMPABLE), rt_sigaction except a new action for SIGSYS, exit; kill the
 * process in the kernel: foreign architectures (x32, i386 int 0x80), a new SIGSYS action;
 * forbidden, trapped, named in one line and then the process ends by SIGSYS (die_by_sigsys):
 * execve/execveat, fork/vfork, clone without CLONE_THREAD, ptrace, process_vm_*, socket
 * calls, signals to other processes (kill/tgkill/tkill/rt_(tg)sigqueueinfo/pidfd_*), prlimit64 of
 * another pid, bpf, perf_event_open, userfaultfd, io_uring, keyctl, mount and namespaces, modules,
 * kexec; everything else traps (SIGSYS) into on_sigsys() (executable mappings too:
 *        mmap/mprotect/pkey_mprotect with PROT_EXEC), which fails it with ENOSYS and
 *        logs one line per system call name and instance to tee.log (and, for POSIX TAs,
 *        to tzm-run's stderr through libtzm's tzm_ta_sandbox_notice hook). It serves
 *        glibc's fstat(): newfstatat(fd, "", buf, AT_EMPTY_PATH) becomes fstat(fd); any
 *        path (stat of a host file) gets ENOSYS; and, for POSIX TAs, a read-only openat
 *        glibc makes itself (time zone, locale files) through libtzm's
 *        tzm_ta_sandbox_open hook (and its stat, tzm_ta_sandbox_stat): the file is
 *        opened through the shadow under the TA's policy, and the TA's thread gets a
 *        memfd copy. clone3 fails with ENOSYS
 *        silently: that is libc's protocol for "use clone", whose flags we can check.
 * If seccomp cannot be installed (qemu-user), we refuse unless the explicit insecure
 * switch is set (then a loud warning goes to tee.log). Sanitizer builds filter only the
 * TA thread (HOST_SANITIZER in host.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/futex.h>
#include <sched.h>
#include <seccomp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <time.h>
#include <ucontext.h>
#include <unistd.h>

#include "host.h"

#if !defined(__x86_64__) && !defined(__aarch64__)
#error "sandbox.c reads system call arguments from the signal context: x86-64 and aarch64 only"
#endif

#ifndef SYS_SECCOMP
#define SYS_SECCOMP 1 /* si_code of a SIGSYS raised by SECCOMP_RET_TRAP */
#endif
#ifndef MFD_NOEXEC_SEAL
#define MFD_NOEXEC_SEAL 0x0008U
#endif

/* System call numbers we name in log lines; higher numbers share the "unknown" slot. */
#define SANDBOX_NR_MAX 512
#define SANDBOX_NAME_POOL 8192

/* Precomputed before the filter is loaded: the SIGSYS handler must not call libseccomp
 * (it allocates). name_at[nr] is an offset into name_pool, 0 for "no name". */
static char name_pool[SANDBOX_NAME_POOL] = "unknown";
static uint16_t name_at[SANDBOX_NR_MAX];
/* Calls allowed with some arguments: their log line says "with these arguments". */
static uint8_t allowed_with_args[SANDBOX_NR_MAX];
/* One bit per call name (and one for "unknown"): its ENOSYS line was logged already. */
static uint32_t reported[SANDBOX_NR_MAX / 32 + 1];
/* Calls that end the process whatever their arguments (killed_always). */
static uint8_t forbidden_always[SANDBOX_NR_MAX];
/* Calls that end it with some arguments: the rules, kept for the handler to match. */
#define SANDBOX_FORBID_RULES_MAX 16

#define ARG(i, cmp_op, a, b)                                                                       \
	{                                                                                          \
		.arg = (i), .op = (cmp_op), .datum_a = (scmp_datum_t)(a),                          \
		.datum_b = (scmp_datum_t)(b)                                                       \
	}

/*
 * A rule whose action is SCMP_ACT_KILL_PROCESS is a forbidden call: the filter traps it
 * (SECCOMP_RET_TRAP) and on_sigsys() names it in tee.log, then ends the process by
 * SIGSYS, as the kernel's kill would have, but with the call named ("killed by the
 * sandbox" alone told a user nothing). The call is never executed either way.
 */
struct sandbox_rule {
	uint32_t action;
	int nr;
	unsigned int ncmp;
	struct scmp_arg_cmp cmp[3];
};

static struct sandbox_rule forbid_rules[SANDBOX_FORBID_RULES_MAX];
static size_t nforbid_rules;

/* Allowed without argument checks: they act on descriptors the process already holds
 * (fd 3 to the core, memfds, /dev/null), on its own memory, or only read its own ids.
 * The reasons for each are in SECURITY.md. */
static const int allowed_plain[] = {
	SCMP_SYS(read),
	SCMP_SYS(write),
	SCMP_SYS(readv),
	SCMP_SYS(writev),
	SCMP_SYS(pread64),
	SCMP_SYS(pwrite64),
	SCMP_SYS(recvmsg),
	SCMP_SYS(sendmsg),
	SCMP_SYS(recvfrom),
	SCMP_SYS(sendto),
	SCMP_SYS(close),
	SCMP_SYS(lseek),
	SCMP_SYS(fstat),
	SCMP_SYS(ftruncate),
	SCMP_SYS(munmap),
	SCMP_SYS(mremap),
	SCMP_SYS(brk),
	SCMP_SYS(futex),
	SCMP_SYS(nanosleep),
	SCMP_SYS(gettimeofday),
	SCMP_SYS(getrandom),
	SCMP_SYS(exit),
	SCMP_SYS(exit_group),
	SCMP_SYS(rt_sigprocmask),
	SCMP_SYS(rt_sigreturn),
	SCMP_SYS(sigaltstack),
	SCMP_SYS(sched_yield),
	SCMP_SYS(gettid),
	SCMP_SYS(getpid),
	SCMP_SYS(set_robust_list),
	SCMP_SYS(rseq),
	SCMP_SYS(restart_syscall),
	SCMP_SYS(set_tid_address),
	SCMP_SYS(getuid),
	SCMP_SYS(geteuid),
	SCMP_SYS(getgid),
	SCMP_SYS(getegid),
	SCMP_SYS(getrlimit),
	SCMP_SYS(getcpu),
};

/* Kill the process whatever the arguments: no TA needs them, each is an escape or an
 * attack on other processes or the kernel. */
static const int killed_always[] = {
	SCMP_SYS(execve),
	SCMP_SYS(execveat),
	SCMP_SYS(fork),
	SCMP_SYS(vfork),
	SCMP_SYS(ptrace),
	SCMP_SYS(process_vm_readv),
	SCMP_SYS(process_vm_writev),
	SCMP_SYS(process_madvise),
	SCMP_SYS(socket),
	SCMP_SYS(socketpair),
	SCMP_SYS(connect),
	SCMP_SYS(bind),
	SCMP_SYS(listen),
	SCMP_SYS(accept),
	SCMP_SYS(accept4),
	SCMP_SYS(tkill),
	SCMP_SYS(pidfd_open),
	SCMP_SYS(pidfd_getfd),
	SCMP_SYS(pidfd_send_signal),
	SCMP_SYS(bpf),
	SCMP_SYS(perf_event_open),
	SCMP_SYS(userfaultfd),
	SCMP_SYS(io_uring_setup),
	SCMP_SYS(io_uring_enter),
	SCMP_SYS(io_uring_register),
	SCMP_SYS(keyctl),
	SCMP_SYS(add_key),
	SCMP_SYS(request_key),
	SCMP_SYS(mount),
	SCMP_SYS(umount2),
	SCMP_SYS(setns),
	SCMP_SYS(unshare),
	SCMP_SYS(pivot_root),
	SCMP_SYS(chroot),
	SCMP_SYS(open_tree),
	SCMP_SYS(move_mount),
	SCMP_SYS(fsopen),
	SCMP_SYS(fsconfig),
	SCMP_SYS(fsmount),
	SCMP_SYS(fspick),
	SCMP_SYS(mount_setattr),
	SCMP_SYS(init_module),
	SCMP_SYS(finit_module),
	SCMP_SYS(delete_module),
	SCMP_SYS(kexec_load),
	SCMP_SYS(kexec_file_load),
};

/* The flags glibc's pthread_create passes, within the bits that decide what clone
 * creates: a thread sharing memory, files, fs and signal handlers, in no new namespace. */
#define THREAD_FLAGS_MASK                                                                          \
	(CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD | CLONE_VFORK |          \
	 CLONE_PARENT | CLONE_PTRACE | CLONE_UNTRACED | CLONE_PIDFD | CLONE_NEWNS |                \
	 CLONE_NEWCGROUP | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWUSER | CLONE_NEWPID |            \
	 CLONE_NEWNET | CLONE_IO)
#define THREAD_FLAGS (CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD)

/* Highest static clock id (CLOCK_TAI is 11); negative ids name other processes' CPU
 * clocks, which must not be readable. */
#define STATIC_CLOCKS_END 16

/* madvise advice for malloc, thread stacks and the sanitizer runtime. Not: KSM merging
 * (a memory-deduplication side channel into other processes), MADV_REMOVE, COLD and
 * PAGEOUT (they act on the backing of shared memory), hwpoison/soft-offline. */
static const int madvise_allowed[] = {
	MADV_NORMAL,   MADV_RANDOM,   MADV_SEQUENTIAL, MADV_WILLNEED,   MADV_DONTNEED,
	MADV_FREE,     MADV_DONTFORK, MADV_DOFORK,     MADV_HUGEPAGE,   MADV_NOHUGEPAGE,
	MADV_DONTDUMP, MADV_DODUMP,   MADV_WIPEONFORK, MADV_KEEPONFORK,
};

static int add_rules(scmp_filter_ctx ctx, const struct sandbox_rule *rules, size_t n)
{
	int rc = 0;

	for (size_t i = 0; rc == 0 && i < n; i++) {
		uint32_t action = rules[i].action;

		if (rules[i].nr < 0) {
			continue; /* not a system call on this architecture */
		}
		if (action == SCMP_ACT_KILL_PROCESS) {
			/* trapped by the filter's default action (libseccomp refuses a rule
			 * repeating it): only on_sigsys() needs to know */
			if (nforbid_rules == SANDBOX_FORBID_RULES_MAX) {
				return -ENOSPC;
			}
			forbid_rules[nforbid_rules++] = rules[i];
			continue;
		}
		rc = seccomp_rule_add_array(ctx, action, rules[i].nr, rules[i].ncmp, rules[i].cmp);
		if (rc == 0 && rules[i].action == SCMP_ACT_ALLOW && rules[i].ncmp > 0 &&
		    rules[i].nr < SANDBOX_NR_MAX) {
			allowed_with_args[rules[i].nr] = 1;
		}
	}
	return rc;
}

static int add_plain(scmp_filter_ctx ctx, uint32_t action, const int *nrs, size_t n)
{
	int rc = 0;

	for (size_t i = 0; rc == 0 && i < n; i++) {
		if (nrs[i] < 0) {
			continue;
		}
		if (action == SCMP_ACT_KILL_PROCESS && nrs[i] < SANDBOX_NR_MAX) {
			/* forbidden: trapped by the default action, named, then the process
			 * ends (struct sandbox_rule) */
			forbidden_always[nrs[i]] = 1;
		} else {
			rc = seccomp_rule_add(ctx, action, nrs[i], 0);
		}
	}
	return rc;
}

static int add_checked(scmp_filter_ctx ctx)
{
	const scmp_datum_t self = (scmp_datum_t)getpid();
	const scmp_datum_t no_exec_mask = PROT_EXEC;
	const scmp_datum_t memfd_bad =
		~(scmp_datum_t)(MFD_CLOEXEC | MFD_ALLOW_SEALING | MFD_NOEXEC_SEAL);
	const struct sandbox_rule rules[] = {
		/* fcntl: the commands host, libc and TAs use; no owner, signal, lease or
		 * notification (they make the kernel signal a pid of the caller's choice). */
		{ SCMP_ACT_ALLOW, SCMP_SYS(fcntl), 1, { ARG(1, SCMP_CMP_EQ, F_GETFD, 0) } },
		{ SCMP_ACT_ALLOW, SCMP_SYS(fcntl), 1, { ARG(1, SCMP_CMP_EQ, F_SETFD, 0) } },
		{ SCMP_ACT_ALLOW, SCMP_SYS(fcntl), 1, { ARG(1, SCMP_CMP_EQ, F_GETFL, 0) } },
		{ SCMP_ACT_ALLOW,
		  SCMP_SYS(fcntl),
		  2,
		  { ARG(1, SCMP_CMP_EQ, F_SETFL, 0), ARG(2, SCMP_CMP_MASKED_EQ, O_ASYNC, 0) } },
		/* Seals: only the set TA-to-TA bounce buffers get (api_ta2ta.c). Any fd is
		 * accepted, so a write seal would let a TA freeze a client's registered
		 * shared memory (its writes and writable mappings would fail from then on). */
		{ SCMP_ACT_ALLOW,
		  SCMP_SYS(fcntl),
		  2,
		  { ARG(1, SCMP_CMP_EQ, F_ADD_SEALS, 0),
		    ARG(2, SCMP_CMP_EQ, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL, 0) } },
		{ SCMP_ACT_ALLOW, SCMP_SYS(fcntl), 1, { ARG(1, SCMP_CMP_EQ, F_GET_SEALS, 0) } },
		/* Resource limits: read our own only (glibc's getrlimit is prlimit64(0, r,
		 * NULL, old)); any other pid is an attack on another process. */
		{ SCMP_ACT_ALLOW,
		  SCMP_SYS(prlimit64),
		  2,
		  { ARG(0, SCMP_CMP_EQ, 0, 0), ARG(2, SCMP_CMP_EQ, 0, 0) } },
		{ SCMP_ACT_KILL_PROCESS, SCMP_SYS(prlimit64), 1, { ARG(0, SCMP_CMP_NE, 0, 0) } },
		{ SCMP_ACT_ALLOW, SCMP_SYS(sched_getaffinity), 1, { ARG(0, SCMP_CMP_EQ, 0, 0) } },
		{ SCMP_ACT_ALLOW,
		  SCMP_SYS(sched_getaffinity),
		  1,
		  { ARG(0, SCMP_CMP_EQ, self, 0) } },
		/* Signals: to ourselves only (raise/abort/pthread_kill use tgkill). */
		{ SCMP_ACT_ALLOW, SCMP_SYS(tgkill), 1, { ARG(0, SCMP_CMP_EQ, self, 0) } },
		{ SCMP_ACT_KILL_PROCESS, SCMP_SYS(tgkill), 1, { ARG(0, SCMP_CMP_NE, self, 0) } },
		{ SCMP_ACT_KILL_PROCESS, SCMP_SYS(kill), 1, { ARG(0, SCMP_CMP_NE, self, 0) } },
		{ SCMP_ACT_KILL_PROCESS,
		  SCMP_SYS(rt_sigqueueinfo),
		  1,
		  { ARG(0, SCMP_CMP_NE, self, 0) } },
		{ SCMP_ACT_KILL_PROCESS,
		  SCMP_SYS(rt_tgsigqueueinfo),
		  1,
		  { ARG(0, SCMP_CMP_NE, self, 0) } },
		/* Clocks with static ids only (also nanosleep's clock). */
		{ SCMP_ACT_ALLOW,
		  SCMP_SYS(clock_gettime),
		  1,
		  { ARG(0, SCMP_CMP_LT, STATIC_CLOCKS_END, 0) } },
		{ SCMP_ACT_ALLOW,
		  SCMP_SYS(clock_getres),
		  1,
		  { ARG(0, SCMP_CMP_LT, STATIC_CLOCKS_END, 0) } },
		{ SCMP_ACT_ALLOW,
		  SCMP_SYS(clock_nanosleep),
		  1,
		  { ARG(0, SCMP_CMP_LT, STATIC_CLOCKS_END, 0) } },
		/* No new executable memory: the TA's code is what was measured. A request for
		 * it traps to ENOSYS plus a log line, not a kill: programs that try a JIT or an
		 * executable stack fall back or report it (as under SELinux's execmem). */
		{ SCMP_ACT_ALLOW,
		  SCMP_SYS(mmap),
		  1,
		  { ARG(2, SCMP_CMP_MASKED_EQ, no_exec_mask, 0) } },
		{ SCMP_ACT_ALLOW,
		  SCMP_SYS(mprotect),
		  1,
		  { ARG(2, SCMP_CMP_MASKED_EQ, no_exec_mask, 0) } },
		/* TA-to-TA bounce buffers; no hugetlb or executable memfds. */
		{ SCMP_ACT_ALLOW,
		  SCMP_SYS(memfd_create),
		  1,
		  { ARG(1, SCMP_CMP_MASKED_EQ, memfd_bad, 0) } },
		/* Threads yes, processes no. clone3 hides its flags in memory: ENOSYS (no
		 * log line: it is libc's signal to fall back) makes libc use clone. */
		{ SCMP_ACT_ALLOW,
		  SCMP_SYS(clone),
		  1,
		  { ARG(0, SCMP_CMP_MASKED_EQ, THREAD_FLAGS_MASK, THREAD_FLAGS) } },
		{ SCMP_ACT_KILL_PROCESS,
		  SCMP_SYS(clone),
		  1,
		  { ARG(0, SCMP_CMP_MASKED_EQ, CLONE_THREAD, 0) } },
		{ SCMP_ACT_ERRNO(ENOSYS), SCMP_SYS(clone3), 0, { { .arg = 0 } } },
		/* Signal actions, except a new one for SIGSYS: the handler that answers and
		 * names refused calls stays the host's. Changing it kills the process in the
		 * kernel (not a trap): this is also how on_sigsys() ends the process after a
		 * forbidden call (die_by_sigsys). */
		{ SCMP_ACT_ALLOW, SCMP_SYS(rt_sigaction), 1, { ARG(0, SCMP_CMP_NE, SIGSYS, 0) } },
		{ SCMP_ACT_ALLOW,
		  SCMP_SYS(rt_sigaction),
		  2,
		  { ARG(0, SCMP_CMP_EQ, SIGSYS, 0), ARG(1, SCMP_CMP_EQ, 0, 0) } },
		/* prctl only to read the dumpable flag (lets a TA see it is not dumpable). */
		{ SCMP_ACT_ALLOW, SCMP_SYS(prctl), 1, { ARG(0, SCMP_CMP_EQ, PR_GET_DUMPABLE, 0) } },
	};

	for (size_t i = 0; i < sizeof(madvise_allowed) / sizeof(madvise_allowed[0]); i++) {
		const struct sandbox_rule advice = { SCMP_ACT_ALLOW,
						     SCMP_SYS(madvise),
						     1,
						     { ARG(2, SCMP_CMP_EQ, madvise_allowed[i],
							   0) } };
		int rc = add_rules(ctx, &advice, 1);

		if (rc) {
			return rc;
		}
	}
	/* SIGSYS's action cannot change (the rules above): a real kill, not a trap */
	{
		/* ARG, not libseccomp's SCMP_A0/A1: those leave datum_b out (clang -Werror) */
		const struct scmp_arg_cmp is_sigsys = ARG(0, SCMP_CMP_EQ, SIGSYS, 0);
		const struct scmp_arg_cmp sets_action = ARG(1, SCMP_CMP_NE, 0, 0);
		int rc = seccomp_rule_add(ctx, SCMP_ACT_KILL_PROCESS, SCMP_SYS(rt_sigaction), 2,
					  is_sigsys, sets_action);

		if (rc) {
			return rc;
		}
	}
	/* served by on_sigsys() for an empty path (fstat) */
	if (SCMP_SYS(newfstatat) >= 0 && SCMP_SYS(newfstatat) < SANDBOX_NR_MAX) {
		allowed_with_args[SCMP_SYS(newfstatat)] = 1;
	}
	return add_rules(ctx, rules, sizeof(rules) / sizeof(rules[0]));
}

/* ---- the SIGSYS handler: everything in it is async-signal-safe ---- */

static size_t put_str(char *buf, size_t pos, size_t cap, const char *s)
{
	while (*s && pos + 1 < cap) {
		buf[pos++] = *s++;
	}
	buf[pos] = '\0';
	return pos;
}

static size_t put_num(char *buf, size_t pos, size_t cap, unsigned long long v, unsigned base)
{
	char digits[24];
	size_t n = 0;

	do {
		digits[n++] = "0123456789abcdef"[v % base];
		v /= base;
	} while (v && n < sizeof(digits));
	if (base == 16) {
		pos = put_str(buf, pos, cap, "0x");
	}
	while (n > 0 && pos + 1 < cap) {
		buf[pos++] = digits[--n];
	}
	buf[pos] = '\0';
	return pos;
}

/* Raw system call returning -errno, errno untouched (the handler restores it anyway). */
static long raw_syscall3(long nr, long a, long b, long c)
{
	long r = syscall(nr, a, b, c);

	return r == -1 ? -errno : r;
}

/* Is the NUL-terminated string at p empty? A pointer we cannot read is "not empty" (the
 * call is then refused): futex(FUTEX_WAIT) with a zero timeout reads the aligned word
 * holding p[0] without sleeping, and fails with EFAULT instead of faulting. */
static bool path_is_empty(unsigned long p)
{
	const struct timespec zero = { 0, 0 };
	unsigned long word = p & ~3ul;
	long r;

	if (p == 0) {
		return false;
	}
	r = syscall(SYS_futex, word, FUTEX_WAIT_PRIVATE, 0, &zero, NULL, 0);
	if (r == -1 && errno == EFAULT) {
		return false;
	}
	return *(const volatile char *)p == '\0';
}

/*
 * A read-only openat of a file by a path relative to the working directory (or absolute):
 * what glibc makes itself to read a time zone, a locale or gconv's module cache. Not a
 * directory (opendir: O_DIRECTORY): that stays refused, and its line names the path.
 */
static bool is_plain_read_open(long nr, const unsigned long *a)
{
	const long refused = O_CREAT | O_TRUNC | O_PATH | O_DIRECTORY | O_TMPFILE;

	return nr == SYS_openat && (int)a[0] == AT_FDCWD && a[1] != 0 &&
	       ((long)a[2] & O_ACCMODE) == O_RDONLY && ((long)a[2] & refused) == 0;
}

/* glibc's stat or lstat of a path relative to the working directory (or absolute). */
static bool is_plain_stat(long nr, const unsigned long *a)
{
	const unsigned long ok_flags = AT_SYMLINK_NOFOLLOW | AT_NO_AUTOMOUNT;

	return nr == SYS_newfstatat && (int)a[0] == AT_FDCWD && a[1] != 0 && a[2] != 0 &&
	       (a[3] & ~ok_flags) == 0 && !path_is_empty(a[1]);
}

/* Can the first byte of the string at p be read? (futex, as path_is_empty) */
static bool path_readable(unsigned long p)
{
	const struct timespec zero = { 0, 0 };

	return p != 0 &&
	       !(syscall(SYS_futex, p & ~3ul, FUTEX_WAIT_PRIVATE, 0, &zero, NULL, 0) == -1 &&
		 errno == EFAULT);
}

/*
 * Appends ` on "<path>"` for the path at p (at most 96 bytes; each page it reaches is
 * probed first, as path_readable), so that a refused openat names its file.
 */
static size_t put_path(char *buf, size_t pos, size_t cap, unsigned long p)
{
	char path[100];
	size_t n = 0;

	while (n + 1 < 97) {
		if ((n == 0 || ((p + n) & 4095) == 0) && !path_readable(p + n)) {
			break;
		}
		path[n] = *(const volatile char *)(p + n);
		if (path[n] == '\0') {
			break;
		}
		n++;
	}
	if (n == 0) {
		return pos;
	}
	path[n] = '\0';
	pos = put_str(buf, pos, cap, " on \"");
	pos = put_str(buf, pos, cap, path);
	return put_str(buf, pos, cap, n == 96 ? "...\"" : "\"");
}

/*
 * Whether the path (readable) glibc opens or stats itself may go to libtzm's hooks, which
 * make forwarded calls on the calling thread's own lane. The TA thread (ta_tid): any.
 * Another thread the TA created (a POSIX TA's pthread_create): not /sys or /proc: glibc's
 * malloc opens /sys/devices/system/cpu/online (else /proc/stat) while it makes that
 * thread's arena, holding malloc's locks, and libtzm must not run there: the TA is a
 * dlopen'ed object, so its first touch of its thread-local variables on a thread allocates
 * them with malloc (a threads test died of it in 7 of 12 runs); such a path is no
 * policy's anyway. The host's main thread (tid == pid), which talks to tzm-teed and never
 * runs TA code: none.
 */
static bool hook_takes(unsigned long path)
{
	const char *p = (const char *)path;
	pid_t tid = (pid_t)syscall(SYS_gettid);

	if (tid == g_host.ta_tid) {
		return true;
	}
	return tid != getpid() && strncmp(p, "/sys/", 5) != 0 && strncmp(p, "/proc/", 6) != 0;
}

/*
 * Calls the sandbox answers itself instead of failing them; -ENOSYS = not served. *named:
 * the answer's own hook has told the user (no log line of ours).
 */
static long serve(long nr, const unsigned long *a, bool *named)
{
	if (((g_host.ta_open && is_plain_read_open(nr, a)) ||
	     (g_host.ta_stat && is_plain_stat(nr, a))) &&
	    path_readable(a[1]) && hook_takes(a[1])) {
		/* libtzm opens (stats) it through the shadow, under the TA's policy (the same
		 * access its own open() and stat() have), and answers with a memfd copy (the
		 * stat); it names what it cannot serve */
		int r = nr == SYS_openat ? g_host.ta_open((const char *)a[1], (int)a[2])
					 : g_host.ta_stat((const char *)a[1], (struct stat *)a[2],
							  (int)a[3]);

		if (r != INT_MIN) { /* INT_MIN: not taken (libtzm not ready) */
			*named = true;
			return r;
		}
		return -ENOSYS;
	}
	if (nr == SYS_newfstatat) {
		/* glibc's fstat(fd, buf): fstatat(fd, "", buf, AT_EMPTY_PATH). With any path
		 * it would tell a TA about host files (existence, size, mode). */
		const unsigned long ok_flags =
			AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW | AT_NO_AUTOMOUNT;

		if ((a[3] & AT_EMPTY_PATH) && (a[3] & ~ok_flags) == 0 && (int)a[0] >= 0 &&
		    path_is_empty(a[1])) {
			return raw_syscall3(SYS_fstat, (int)a[0], (long)a[2], 0);
		}
	} else if (nr == SYS_sched_getaffinity && (pid_t)a[0] == (pid_t)syscall(SYS_gettid)) {
		/* pthread_getattr_np asks for the calling thread by its tid */
		return raw_syscall3(SYS_sched_getaffinity, 0, (long)a[1], (long)a[2]);
	}
	return -ENOSYS;
}

/* Does argument a meet the comparison of a rule (the operators the rules use)? */
static bool arg_matches(const struct scmp_arg_cmp *c, const unsigned long *a)
{
	uint64_t v = c->arg < 6 ? a[c->arg] : 0;

	switch (c->op) {
	case SCMP_CMP_EQ:
		return v == c->datum_a;
	case SCMP_CMP_NE:
		return v != c->datum_a;
	case SCMP_CMP_LT:
		return v < c->datum_a;
	case SCMP_CMP_MASKED_EQ:
		return (v & c->datum_a) == c->datum_b;
	default:
		return false;
	}
}

/* Is this trapped call one the sandbox forbids (it ends the process)? */
static bool is_forbidden(long nr, const unsigned long *a)
{
	if (nr >= 0 && nr < SANDBOX_NR_MAX && forbidden_always[nr]) {
		return true;
	}
	for (size_t i = 0; i < nforbid_rules; i++) {
		bool all = forbid_rules[i].nr == nr;

		for (unsigned int k = 0; all && k < forbid_rules[i].ncmp; k++) {
			all = arg_matches(&forbid_rules[i].cmp[k], a);
		}
		if (all) {
			return true;
		}
	}
	return false;
}

/*
 * Logs a refused call: "TA <uuid>: system call 'chmod' (90) is not supported in a TA:
 * ENOSYS" once per call name, or for a forbidden one "... 'socket' (41) is forbidden in
 * a TA: the sandbox ends it" (always: it is the last line). To tee.log, and to the TA's
 * user through libtzm's notice hook when the TA's main thread made the call (a thread's
 * refused call may come from inside glibc's malloc, creating that thread's arena, where
 * libtzm must not run).
 */
static void report(long nr, const unsigned long *a, bool forbidden)
{
	size_t slot = nr >= 0 && nr < SANDBOX_NR_MAX ? (size_t)nr : SANDBOX_NR_MAX;
	uint32_t bit = 1u << (slot % 32);
	const char *name = name_pool + (slot < SANDBOX_NR_MAX ? name_at[slot] : 0);
	bool with_args = forbidden ? slot < SANDBOX_NR_MAX && !forbidden_always[slot]
				   : slot < SANDBOX_NR_MAX && allowed_with_args[slot];
	char line[256];
	size_t n = 0;

	if (!forbidden && (__atomic_fetch_or(&reported[slot / 32], bit, __ATOMIC_RELAXED) & bit)) {
		return;
	}
	n = put_str(line, n, sizeof(line), "TA ");
	n = put_str(line, n, sizeof(line), g_host.uuid_str);
	n = put_str(line, n, sizeof(line), ": system call '");
	n = put_str(line, n, sizeof(line), name);
	n = put_str(line, n, sizeof(line), "' (");
	if (nr < 0) {
		n = put_str(line, n, sizeof(line), "-");
	}
	n = put_num(line, n, sizeof(line),
		    nr < 0 ? -(unsigned long long)nr : (unsigned long long)nr, 10);
	n = put_str(line, n, sizeof(line), ")");
	if (nr == SYS_openat && !forbidden) {
		n = put_path(line, n, sizeof(line), a[1]);
	} else if (with_args) {
		n = put_str(line, n, sizeof(line), " with arguments (");
		for (int i = 0; i < 3; i++) {
			n = put_str(line, n, sizeof(line), i ? ", " : "");
			n = put_num(line, n, sizeof(line), a[i], 16);
		}
		n = put_str(line, n, sizeof(line), ", ...)");
	}
	n = put_str(line, n, sizeof(line),
		    forbidden ? " is forbidden in a TA: the sandbox ends it"
			      : " is not supported in a TA: ENOSYS");
	host_log_text(TRACE_ERROR, line, n);
	if (g_host.ta_notice && (pid_t)syscall(SYS_gettid) == g_host.ta_tid) {
		g_host.ta_notice(line);
	}
}

/*
 * Ends the process by SIGSYS, as SECCOMP_RET_KILL_PROCESS does. Restoring SIGSYS's
 * default action is itself a call the filter kills in the kernel (add_checked); the
 * steps after it only run if that ever failed to end us.
 */
static void __attribute__((noreturn)) die_by_sigsys(void)
{
	struct sigaction dfl;
	sigset_t set;

	memset(&dfl, 0, sizeof(dfl));
	dfl.sa_handler = SIG_DFL;
	sigaction(SIGSYS, &dfl, NULL);
	sigemptyset(&set);
	sigaddset(&set, SIGSYS);
	pthread_sigmask(SIG_UNBLOCK, &set, NULL);
	raise(SIGSYS);
	_exit(128 + SIGSYS);
}

static void on_sigsys(int sig, siginfo_t *info, void *context)
{
	ucontext_t *uc = context;
	int saved_errno = errno;
	unsigned long a[6];
	long nr, ret;
	bool named = false;

	(void)sig;
	if (info->si_code != SYS_SECCOMP) {
		return; /* a SIGSYS the TA sent itself: nothing to answer */
	}
	nr = info->si_syscall;
#if defined(__x86_64__)
	a[0] = (unsigned long)uc->uc_mcontext.gregs[REG_RDI];
	a[1] = (unsigned long)uc->uc_mcontext.gregs[REG_RSI];
	a[2] = (unsigned long)uc->uc_mcontext.gregs[REG_RDX];
	a[3] = (unsigned long)uc->uc_mcontext.gregs[REG_R10];
	a[4] = (unsigned long)uc->uc_mcontext.gregs[REG_R8];
	a[5] = (unsigned long)uc->uc_mcontext.gregs[REG_R9];
#else
	for (int i = 0; i < 6; i++) {
		a[i] = (unsigned long)uc->uc_mcontext.regs[i];
	}
#endif
	if (is_forbidden(nr, a)) {
		report(nr, a, true);
		die_by_sigsys();
	}
	ret = serve(nr, a, &named);
	if (ret == -ENOSYS && !named) {
		report(nr, a, false);
	}
	/* The system call's result is what the interrupted code finds in the return
	 * register when the handler returns. */
#if defined(__x86_64__)
	uc->uc_mcontext.gregs[REG_RAX] = (greg_t)ret;
#else
	uc->uc_mcontext.regs[0] = (unsigned long long)ret;
#endif
	errno = saved_errno;
}

/* Names of all system calls of this architecture, for the handler's log lines. */
static void name_table_init(void)
{
	size_t used = sizeof("unknown");

	for (int nr = 0; nr < SANDBOX_NR_MAX; nr++) {
		char *name = seccomp_syscall_resolve_num_arch(SCMP_ARCH_NATIVE, nr);
		size_t len = name ? strlen(name) + 1 : 0;

		if (name && used + len <= sizeof(name_pool)) {
			memcpy(name_pool + used, name, len);
			name_at[nr] = (uint16_t)used;
			used += len;
		}
		free(name);
	}
}

static int install_sigsys_handler(void)
{
	struct sigaction sa;
	sigset_t unblock;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_sigsys;
	sa.sa_flags = SA_SIGINFO;
	sigfillset(&sa.sa_mask);
	sigemptyset(&unblock);
	sigaddset(&unblock, SIGSYS);
	if (sigaction(SIGSYS, &sa, NULL) || pthread_sigmask(SIG_UNBLOCK, &unblock, NULL)) {
		return -errno;
	}
	return 0;
}

static int build_and_load(void)
{
	scmp_filter_ctx ctx = NULL;
	int rc = -ENOMEM;

	name_table_init();
	ctx = seccomp_init(SCMP_ACT_TRAP);
	if (!ctx) {
		goto out;
	}
	/* A system call of another ABI (x32 numbers, int 0x80 on x86-64) kills the whole
	 * process, not just the thread (libseccomp's default), which would leave the
	 * host waiting for a TA thread that is gone. */
	rc = seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_KILL_PROCESS);
#ifndef HOST_SANITIZER
	/* Only the calling (TA) thread in sanitizer builds: see HOST_SANITIZER in host.h. */
	if (rc == 0) {
		rc = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_TSYNC, 1);
	}
#endif
	if (rc == 0) {
		rc = add_plain(ctx, SCMP_ACT_ALLOW, allowed_plain,
			       sizeof(allowed_plain) / sizeof(allowed_plain[0]));
	}
	if (rc == 0) {
		rc = add_plain(ctx, SCMP_ACT_KILL_PROCESS, killed_always,
			       sizeof(killed_always) / sizeof(killed_always[0]));
	}
	if (rc == 0) {
		rc = add_checked(ctx);
	}
	if (rc == 0) {
		rc = install_sigsys_handler();
	}
	if (rc == 0) {
		rc = seccomp_load(ctx);
	}
out:
	seccomp_release(ctx);
	return rc;
}

static long vm_data_bytes(void)
{
	char line[256];
	long kb = -1;
	FILE *f = fopen("/proc/self/status", "re");

	if (!f) {
		return -1;
	}
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "VmData: %ld kB", &kb) == 1) {
			break;
		}
	}
	fclose(f);
	return kb < 0 ? -1 : kb * 1024;
}

int sandbox_lockdown(size_t data_size)
{
	struct rlimit rl = { 0, 0 };
	long used = vm_data_bytes();
	int persona = personality(0xffffffff);
	int rc;

	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) || prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)) {
		return -errno;
	}
	/* READ_IMPLIES_EXEC (setarch -X) would make every PROT_READ mapping executable
	 * behind the filter's back. */
	if (persona != -1 && (persona & READ_IMPLIES_EXEC)) {
		personality((unsigned long)persona & ~(unsigned long)READ_IMPLIES_EXEC);
	}
	setrlimit(RLIMIT_CORE, &rl);
#ifndef HOST_SANITIZER
	/* ASan reserves terabytes of shadow as data; the backstop is skipped under it. */
	if (used > 0) {
		rl.rlim_cur = rl.rlim_max = (rlim_t)used + data_size + 8u * 1024 * 1024;
		setrlimit(RLIMIT_DATA, &rl);
	}
#else
	(void)used;
	(void)data_size;
#endif
	rc = build_and_load();
	if (rc == 0) {
		g_host.sandboxed = true;
		return 0;
	}
	if (g_host.insecure) {
		host_log(TRACE_ERROR,
			 "WARNING: seccomp sandbox unavailable (%s); running TA WITHOUT it because "
			 "TZM_INSECURE_NO_SANDBOX=1. This TEE is NOT isolating this TA.",
			 strerror(-rc));
		return 0;
	}
	host_log(TRACE_ERROR,
		 "seccomp sandbox cannot be installed (%s): refusing to run the TA (set "
		 "TZM_INSECURE_NO_SANDBOX=1 to override, e.g. under qemu-user)",
		 strerror(-rc));
	return rc;
}
