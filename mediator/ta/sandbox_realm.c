/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The realm process's seccomp sandbox, installed by libtzm's realm entry before the
 * program's main() runs (the TA host's approach, tee/ta_host/sandbox.c, for a process that
 * needs far less): its only channel is fd 3 to tzm-rmm, so it may use that socket, its
 * own memory without new executable mappings, clocks, sleeps and signals to itself. A
 * realm may not create processes, sockets or executable memory, trace, or load code:
 * those kill it. Anything else traps into a handler that fails the call with ENOSYS and
 * writes one line per system call number to stderr (the host's). Hand-written classic
 * BPF with raw system calls: libseccomp would call syscall(), which libtzm defines.
 * If the filter cannot be installed (qemu-user) the realm refuses to run unless
 * TZM_INSECURE_NO_SANDBOX=1 (then a loud warning).
 */
#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <ucontext.h>

#include "../transport/rawsys.h"
#include "tzm_int.h"

#if defined(__x86_64__)
#define REALM_AUDIT_ARCH AUDIT_ARCH_X86_64
#elif defined(__aarch64__)
#define REALM_AUDIT_ARCH AUDIT_ARCH_AARCH64
#else
#error "sandbox_realm.c: x86-64 and aarch64 only"
#endif

#define NR_OFF offsetof(struct seccomp_data, nr)
#define ARG_LO(i) (offsetof(struct seccomp_data, args) + 8 * (i)) /* little endian */
#define RET(v) BPF_STMT(BPF_RET | BPF_K, (v))
#define LOAD(off) BPF_STMT(BPF_LD | BPF_W | BPF_ABS, (off))
#define ALLOW_NR(n) BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (n), 0, 1), RET(SECCOMP_RET_ALLOW)
#define KILL_NR(n) BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (n), 0, 1), RET(SECCOMP_RET_KILL_PROCESS)
/* allowed without PROT_EXEC in argument 2 (mmap, mprotect) */
#define NOEXEC_NR(n)                                                                               \
	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (n), 0, 4), LOAD(ARG_LO(2)),                           \
		BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, PROT_EXEC, 0, 1), RET(SECCOMP_RET_TRAP),      \
		RET(SECCOMP_RET_ALLOW), LOAD(NR_OFF)
/* allowed on the channel to tzm-rmm only (fd 3) */
#define FD3_NR(n)                                                                                  \
	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (n), 0, 4), LOAD(ARG_LO(0)),                           \
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 3, 0, 1), RET(SECCOMP_RET_ALLOW),              \
		RET(SECCOMP_RET_TRAP), LOAD(NR_OFF)

static const struct sock_filter filter[] = {
	LOAD(offsetof(struct seccomp_data, arch)),
	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, REALM_AUDIT_ARCH, 1, 0),
	RET(SECCOMP_RET_KILL_PROCESS),
	LOAD(NR_OFF),
#if defined(__x86_64__)
	BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, 0x40000000u, 0, 1), /* x32 */
	RET(SECCOMP_RET_KILL_PROCESS),
	ALLOW_NR(SYS_arch_prctl), /* glibc's TLS set-up only */
	KILL_NR(SYS_fork),
	KILL_NR(SYS_vfork),
#endif
	ALLOW_NR(SYS_read),
	ALLOW_NR(SYS_write),
	ALLOW_NR(SYS_readv),
	ALLOW_NR(SYS_writev),
	ALLOW_NR(SYS_close),
	ALLOW_NR(SYS_exit),
	ALLOW_NR(SYS_exit_group),
	ALLOW_NR(SYS_rt_sigreturn),
	ALLOW_NR(SYS_rt_sigprocmask),
	ALLOW_NR(SYS_rt_sigaction),
	ALLOW_NR(SYS_sigaltstack),
	ALLOW_NR(SYS_nanosleep),
	ALLOW_NR(SYS_clock_nanosleep),
	ALLOW_NR(SYS_clock_gettime),
	ALLOW_NR(SYS_clock_getres),
	ALLOW_NR(SYS_gettimeofday),
	ALLOW_NR(SYS_getpid),
	ALLOW_NR(SYS_gettid),
	ALLOW_NR(SYS_getrandom),
	ALLOW_NR(SYS_brk),
	ALLOW_NR(SYS_munmap),
	ALLOW_NR(SYS_mremap),
	ALLOW_NR(SYS_madvise),
	ALLOW_NR(SYS_futex),
	ALLOW_NR(SYS_sched_yield),
	ALLOW_NR(SYS_restart_syscall),
	NOEXEC_NR(SYS_mmap),
	NOEXEC_NR(SYS_mprotect),
	FD3_NR(SYS_sendmsg),
	FD3_NR(SYS_recvfrom),
	KILL_NR(SYS_execve),
	KILL_NR(SYS_execveat),
	KILL_NR(SYS_clone),
#ifdef SYS_clone3
	KILL_NR(SYS_clone3),
#endif
	KILL_NR(SYS_ptrace),
	KILL_NR(SYS_process_vm_readv),
	KILL_NR(SYS_process_vm_writev),
	KILL_NR(SYS_socket),
	KILL_NR(SYS_socketpair),
	KILL_NR(SYS_connect),
	KILL_NR(SYS_bind),
	KILL_NR(SYS_kill),
	KILL_NR(SYS_tkill),
	KILL_NR(SYS_bpf),
	KILL_NR(SYS_perf_event_open),
	KILL_NR(SYS_userfaultfd),
	KILL_NR(SYS_keyctl),
	KILL_NR(SYS_mount),
	KILL_NR(SYS_unshare),
	KILL_NR(SYS_setns),
	KILL_NR(SYS_init_module),
	KILL_NR(SYS_finit_module),
	RET(SECCOMP_RET_TRAP),
};

extern int __sigaction(int sig, const struct sigaction *act, struct sigaction *old);

static uint8_t reported[1024 / 8];

static size_t put_num(char *buf, size_t pos, unsigned long v)
{
	char tmp[24];
	size_t n = 0;
	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v != 0);
	while (n > 0) {
		buf[pos++] = tmp[--n];
	}
	return pos;
}

/* A refused call: ENOSYS to the program, one line per system call number. */
static void on_sigsys(int sig, siginfo_t *info, void *context)
{
	ucontext_t *uc = context;
	unsigned long nr = (unsigned long)info->si_syscall;
	(void)sig;
#if defined(__x86_64__)
	uc->uc_mcontext.gregs[REG_RAX] = -ENOSYS;
#else
	uc->uc_mcontext.regs[0] = (unsigned long long)-ENOSYS;
#endif
	if (nr < 1024 && (reported[nr / 8] & (1u << (nr % 8))) == 0) {
		static const char a[] = "tzm: realm: system call ";
		static const char b[] = " is not supported in a realm: ENOSYS\n";
		char line[128];
		size_t n = 0;
		reported[nr / 8] |= (uint8_t)(1u << (nr % 8));
		memcpy(line, a, sizeof(a) - 1);
		n = put_num(line, sizeof(a) - 1, nr);
		memcpy(line + n, b, sizeof(b) - 1);
		(void)TZM__SYS3(SYS_write, 2, line, n + sizeof(b) - 1);
	}
}

static void say(const char *m)
{
	(void)TZM__SYS3(SYS_write, 2, m, strlen(m));
}

int tzm__realm_sandbox(bool insecure_ok)
{
	struct sock_fprog prog = { (unsigned short)(sizeof(filter) / sizeof(filter[0])),
				   (struct sock_filter *)filter };
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_sigsys;
	sa.sa_flags = SA_SIGINFO;
	if (__sigaction(SIGSYS, &sa, NULL) != 0) {
		return -EIO;
	}
	if (TZM__SYS6(SYS_prctl, PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0, 0) != 0 ||
	    TZM__SYS6(SYS_prctl, PR_SET_DUMPABLE, 0, 0, 0, 0, 0) != 0 ||
	    TZM__SYS3(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) != 0) {
		if (!insecure_ok) {
			say("tzm: realm: cannot install the seccomp sandbox (set "
			    "TZM_INSECURE_NO_SANDBOX=1 to run without it)\n");
			return -EPERM;
		}
		say("tzm: realm: WARNING: TZM_INSECURE_NO_SANDBOX=1: the realm runs WITHOUT its "
		    "seccomp sandbox\n");
	}
	return 0;
}
