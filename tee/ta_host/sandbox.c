/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Locks the TA host down before any TA code runs:
 *  - not dumpable (no ptrace attach or core dumps by the same user), no new privileges;
 *  - RLIMIT_CORE 0; RLIMIT_DATA caps libc malloc at roughly TA_DATA_SIZE above what the
 *    host already uses (TEE_Malloc has its own fixed arena; this is only a backstop);
 *  - a seccomp allowlist applied to every thread (TSYNC). Syscall policy:
 *      allowed: I/O on existing fds (read/write/sendmsg/recvmsg/close...), memory
 *        management without PROT_EXEC, futex, clocks and sleeps, getrandom, signals to
 *        itself, thread creation, memfd_create/ftruncate/fcntl (TA-to-TA bounce buffers),
 *        exit, prctl(PR_GET_DUMPABLE);
 *      kill the process: execve/execveat, fork/vfork, clone without CLONE_THREAD,
 *        ptrace, process_vm_*, socket/socketpair/connect/bind/listen/accept, kill of
 *        other processes, bpf, perf_event_open, userfaultfd, mount/namespaces, modules;
 *      everything else fails with EPERM — notably open/openat/openat2/creat/stat, so a TA
 *        that tries to read files gets an error.
 * If seccomp cannot be installed (qemu-user), we refuse unless the explicit insecure
 * switch is set (then a loud warning goes to tee.log). Sanitizer builds filter only the
 * TA thread (HOST_SANITIZER in host.h).
 */
#include <errno.h>
#include <sched.h>
#include <seccomp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <unistd.h>

#include "host.h"

static const int allowed[] = {
	SCMP_SYS(read), SCMP_SYS(write), SCMP_SYS(readv), SCMP_SYS(writev),
	SCMP_SYS(pread64), SCMP_SYS(pwrite64), SCMP_SYS(recvmsg), SCMP_SYS(sendmsg),
	SCMP_SYS(recvfrom), SCMP_SYS(sendto), SCMP_SYS(close), SCMP_SYS(lseek),
	SCMP_SYS(fstat), SCMP_SYS(newfstatat), SCMP_SYS(munmap), SCMP_SYS(madvise),
	SCMP_SYS(mremap), SCMP_SYS(brk), SCMP_SYS(futex), SCMP_SYS(clock_gettime),
	SCMP_SYS(clock_getres), SCMP_SYS(clock_nanosleep), SCMP_SYS(nanosleep),
	SCMP_SYS(gettimeofday), SCMP_SYS(getrandom), SCMP_SYS(exit), SCMP_SYS(exit_group),
	SCMP_SYS(rt_sigaction), SCMP_SYS(rt_sigprocmask), SCMP_SYS(rt_sigreturn),
	SCMP_SYS(sigaltstack), SCMP_SYS(sched_yield), SCMP_SYS(gettid), SCMP_SYS(getpid),
	SCMP_SYS(set_robust_list), SCMP_SYS(rseq), SCMP_SYS(restart_syscall),
	SCMP_SYS(memfd_create), SCMP_SYS(ftruncate), SCMP_SYS(fcntl), SCMP_SYS(set_tid_address),
	SCMP_SYS(getuid), SCMP_SYS(geteuid), SCMP_SYS(getgid), SCMP_SYS(getegid),
	SCMP_SYS(sched_getaffinity), SCMP_SYS(prlimit64), SCMP_SYS(getrlimit),
	SCMP_SYS(futex_waitv), SCMP_SYS(membarrier), SCMP_SYS(getcpu),
};

static const int killed[] = {
	SCMP_SYS(execve), SCMP_SYS(execveat), SCMP_SYS(fork), SCMP_SYS(vfork),
	SCMP_SYS(ptrace), SCMP_SYS(process_vm_readv), SCMP_SYS(process_vm_writev),
	SCMP_SYS(socket), SCMP_SYS(socketpair), SCMP_SYS(connect), SCMP_SYS(bind),
	SCMP_SYS(listen), SCMP_SYS(accept), SCMP_SYS(accept4), SCMP_SYS(kill),
	SCMP_SYS(bpf), SCMP_SYS(perf_event_open), SCMP_SYS(userfaultfd), SCMP_SYS(mount),
	SCMP_SYS(umount2), SCMP_SYS(setns), SCMP_SYS(unshare), SCMP_SYS(pivot_root),
	SCMP_SYS(chroot), SCMP_SYS(init_module), SCMP_SYS(finit_module),
	SCMP_SYS(delete_module), SCMP_SYS(kexec_load), SCMP_SYS(keyctl), SCMP_SYS(add_key),
	SCMP_SYS(request_key), SCMP_SYS(io_uring_setup), SCMP_SYS(pidfd_open),
	SCMP_SYS(pidfd_getfd), SCMP_SYS(process_madvise),
};

static int build_and_load(void)
{
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ERRNO(EPERM));
	int rc = -ENOMEM;

	if (!ctx) {
		return rc;
	}
#ifdef HOST_SANITIZER
	/* Only the calling (TA) thread: see HOST_SANITIZER in host.h. */
	rc = 0;
#else
	rc = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_TSYNC, 1);
#endif
	for (size_t i = 0; rc == 0 && i < sizeof(allowed) / sizeof(allowed[0]); i++) {
		if (allowed[i] < 0) {
			continue; /* not a syscall on this architecture */
		}
		rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, allowed[i], 0);
	}
	for (size_t i = 0; rc == 0 && i < sizeof(killed) / sizeof(killed[0]); i++) {
		if (killed[i] < 0) {
			continue;
		}
		rc = seccomp_rule_add(ctx, SCMP_ACT_KILL_PROCESS, killed[i], 0);
	}
	/* No new executable memory. */
	if (rc == 0) {
		rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(mmap), 1,
				      SCMP_A2(SCMP_CMP_MASKED_EQ, PROT_EXEC, 0));
	}
	if (rc == 0) {
		rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(mprotect), 1,
				      SCMP_A2(SCMP_CMP_MASKED_EQ, PROT_EXEC, 0));
	}
	/* Threads yes, processes no. clone3 hides its flags in memory: ENOSYS makes libc
	 * fall back to clone, which we can inspect. */
	if (rc == 0) {
		rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(clone), 1,
				      SCMP_A0(SCMP_CMP_MASKED_EQ, CLONE_THREAD, CLONE_THREAD));
	}
	if (rc == 0) {
		rc = seccomp_rule_add(ctx, SCMP_ACT_KILL_PROCESS, SCMP_SYS(clone), 1,
				      SCMP_A0(SCMP_CMP_MASKED_EQ, CLONE_THREAD, 0));
	}
	if (rc == 0) {
		rc = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(ENOSYS), SCMP_SYS(clone3), 0);
	}
	/* prctl only to read the dumpable flag (harmless; lets a TA see it is not dumpable). */
	if (rc == 0) {
		rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(prctl), 1,
				      SCMP_A0(SCMP_CMP_EQ, PR_GET_DUMPABLE, 0));
	}
	/* Signals only to ourselves (abort() uses tgkill). datum_b is spelled out: SCMP_A0
	 * is a positional compound literal, and clang warns about the missing field. */
	if (rc == 0) {
		rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(tgkill), 1,
				      SCMP_A0(SCMP_CMP_EQ, (scmp_datum_t)getpid(), 0));
	}
	if (rc == 0) {
		rc = seccomp_rule_add(ctx, SCMP_ACT_KILL_PROCESS, SCMP_SYS(tgkill), 1,
				      SCMP_A0(SCMP_CMP_NE, (scmp_datum_t)getpid(), 0));
	}
	if (rc == 0) {
		rc = seccomp_load(ctx);
	}
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
	int rc;

	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) || prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)) {
		return -errno;
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
