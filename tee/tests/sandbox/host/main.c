/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * tee_sandbox: proves TA isolation. A TA that calls open("/etc/passwd"), socket(AF_INET)
 * and execve("/bin/sh") directly must see each call fail with ENOSYS (plus a tee.log line
 * naming the system call) or be killed (TEEC_ERROR_TARGET_DEAD, origin TEE); the same
 * calls succeed in this (unsandboxed) host process, so the refusal is the sandbox's doing;
 * and the TEE keeps serving afterwards.
 * Then the catalogue of escapes (SANDBOX_ATTACKS in sandbox_ta.h, issue 10): signals to a
 * victim process (kill, tgkill, tkill, rt_(tg)sigqueueinfo, pidfd_*, and the SIGIO route:
 * F_SETOWN/F_SETSIG/O_ASYNC on the TA's channel, then a storage call), rlimits of other
 * processes, path-taking calls (stat family, statx, access, readlink, open*), foreign
 * system call ABIs (x32, int 0x80), io_uring, bpf, userfaultfd, perf_event_open, keyctl,
 * mount and namespaces, executable mappings, process_vm_*, ptrace. Each runs in a fresh
 * instance and must have the outcome the table gives (killed, or ENOSYS with a log line);
 * after each, a victim child of this test (which a stray signal or rlimit would hit) must
 * be alive with its rlimit unchanged, and at the end tzm-teed must be the same live
 * process and a second client's session must still work. A call that never comes back
 * (a TA thread killed while its process lingers) fails the test after 30 s.
 * "Never a silent EPERM" (issue 11): a refused call logs exactly one line per system call
 * name and instance, "TA <uuid>: system call 'chmod' (90) is not supported in a TA: ENOSYS".
 * It also checks the rest of the lock-down: the instance's process is not dumpable (asked
 * from inside; and its /proc files refuse a same-uid reader when not run as root), the TA
 * thread runs under a seccomp filter with no_new_privs, the TA sees no descriptors but
 * /dev/null on 0-2 and its channel on 3 (found with fcntl and fstat, which the sandbox
 * serves), and libc malloc() in the TA is bounded by the data limit derived from
 * TA_DATA_SIZE.
 * Skipped (exit 77) when TZM_INSECURE_NO_SANDBOX=1: under qemu-user no seccomp filter can
 * be installed, so there is no sandbox to prove.
 *
 * tee_sandbox_unavailable (argument "unavailable"): what happens where seccomp cannot be
 * installed (qemu-user). A child process makes seccomp() fail for itself and everything
 * it starts, then starts its own private TEE: opening a session must be refused with
 * TEEC_ERROR_NOT_SUPPORTED / origin TEE and a tee.log line. A second private TEE started
 * with TZM_INSECURE_NO_SANDBOX=1 must run the TA (unconfined: its open() succeeds) and say
 * so loudly in tee.log. Runs under qemu-user too, where seccomp fails by itself.
 */
#include <errno.h>
#include <fcntl.h>
#include <sandbox_ta.h>
#include <seccomp.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <tee_test.h>

#if defined(__SANITIZE_ADDRESS__)
#define TEST_SANITIZER 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define TEST_SANITIZER 1
#endif
#endif

/* tzm-ta-host's RLIMIT_DATA backstop: data in use at lock-down + TA_DATA_SIZE + 8 MiB. */
#define MALLOC_BOUND_KIB ((TA_SANDBOX_DATA_SIZE + 8u * 1024 * 1024) / 1024)

static void try_escape(TEEC_Context *ctx, uint32_t cmd, const char *what)
{
	TEEC_Session s;
	TEEC_Operation op;
	uint32_t origin = 0;
	unsigned killed = 0;
	TEEC_Result res;

	tt_open_session(ctx, &s, TA_SANDBOX_UUID_STR);
	memset(&op, 0, sizeof(op));
	op.paramTypes = TEEC_PARAM_TYPES(TEEC_VALUE_OUTPUT, TEEC_NONE, TEEC_NONE, TEEC_NONE);
	res = TEEC_InvokeCommand(&s, TA_SANDBOX_CMD_PING, &op, &origin);
	TEST_STEP("the sandboxed TA runs (CMD_PING)");
	ASSERT_TEEC_RES(res, TEEC_SUCCESS);
	TEST_STEP("CMD_PING answered 0x%x", op.params[0].value.a);
	ASSERT_EQ_INT(op.params[0].value.a, 0x600d);

	memset(&op, 0, sizeof(op));
	op.paramTypes = TEEC_PARAM_TYPES(TEEC_VALUE_OUTPUT, TEEC_NONE, TEEC_NONE, TEEC_NONE);
	killed = tt_log_count(TA_SANDBOX_UUID_STR, "killed by the sandbox");
	res = TEEC_InvokeCommand(&s, cmd, &op, &origin);
	if (res == TEEC_ERROR_TARGET_DEAD) {
		TEST_STEP("%s inside the TA: the instance was killed (TARGET_DEAD, origin %s)",
			  what, tt_origin_name(origin));
		ASSERT_EQ_INT(origin, TEEC_ORIGIN_TEE);
		TEST_STEP("tee.log: \"killed by the sandbox (forbidden system call)\"");
		ASSERT_TRUE(tt_log_wait(TA_SANDBOX_UUID_STR, "killed by the sandbox", killed + 1,
					10000));
	} else {
		TEST_STEP("%s", what);
		ASSERT_TEEC_RES(res, TEEC_SUCCESS);
		TEST_STEP(
			"%s inside the TA was refused: returned %d, errno %u (%s; want -1, ENOSYS)",
			what, (int32_t)op.params[0].value.a, op.params[0].value.b,
			strerror((int)op.params[0].value.b));
		ASSERT_EQ_INT((int32_t)op.params[0].value.a, -1);
		ASSERT_EQ_ERRNO(op.params[0].value.b, ENOSYS);
	}
	TEEC_CloseSession(&s);
}

/* ---- the catalogue of escapes ---- */

enum outcome {
	OUTCOME_KILL,
	OUTCOME_ENOSYS,
	OUTCOME_OK
};

static const struct attack_case {
	const char *name;
	enum outcome outcome;
	const char *what;
} attacks[SANDBOX_ATTACK_COUNT] = {
#define ATTACK_CASE(name, outcome, what) { #name, OUTCOME_##outcome, what },
	SANDBOX_ATTACKS(ATTACK_CASE)
#undef ATTACK_CASE
};

#define ENOSYS_LINE "is not supported in a TA: ENOSYS"
#define KILLED_LINE "killed by the sandbox"

/* A child of this test that any signal of the attacks would kill: it answers each byte
 * on one pipe with a byte on another, so "alive" is asked, not timed. */
static pid_t victim = -1;
static int victim_ask = -1, victim_answer = -1;
static struct rlimit victim_nofile;

static void start_victim(void)
{
	int ask[2], answer[2];

	TEST_STEP("victim pipes");
	ASSERT_EQ_INT(pipe2(ask, O_CLOEXEC), 0);
	ASSERT_EQ_INT(pipe2(answer, O_CLOEXEC), 0);
	fflush(stdout);
	victim = fork();
	TEST_STEP("fork the victim");
	ASSERT_GE_INT(victim, 0);
	if (victim == 0) {
		char c;

		prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
		close(ask[1]);
		close(answer[0]);
		while (read(ask[0], &c, 1) == 1) {
			if (write(answer[1], &c, 1) != 1) {
				break;
			}
		}
		_exit(0);
	}
	close(ask[0]);
	close(answer[1]);
	victim_ask = ask[1];
	victim_answer = answer[0];
	ASSERT_EQ_INT(prlimit(victim, RLIMIT_NOFILE, NULL, &victim_nofile), 0);
	TEST_STEP("victim %d started, RLIMIT_NOFILE %llu/%llu", (int)victim,
		  (unsigned long long)victim_nofile.rlim_cur,
		  (unsigned long long)victim_nofile.rlim_max);
}

/* The victim answers (alive), or its end of the pipe closes (dead: EOF). */
static bool victim_alive(void)
{
	char c = '?';

	return write(victim_ask, &c, 1) == 1 && read(victim_answer, &c, 1) == 1;
}

static void check_victim(const char *after)
{
	struct rlimit now;

	ASSERT_TRUE(victim_alive());
	TEST_STEP("after %s: the victim process %d is alive", after, (int)victim);
	ASSERT_EQ_INT(prlimit(victim, RLIMIT_NOFILE, NULL, &now), 0);
	ASSERT_EQ_INT(now.rlim_cur, victim_nofile.rlim_cur);
	ASSERT_EQ_INT(now.rlim_max, victim_nofile.rlim_max);
	TEST_STEP("after %s: the victim's RLIMIT_NOFILE is unchanged", after);
}

static void stop_victim(void)
{
	close(victim_ask);
	close(victim_answer);
	kill(victim, SIGKILL);
	waitpid(victim, NULL, 0);
}

/* A call that never returns (a TA thread killed, its process lingering) fails the test. */
#define CALL_WATCHDOG_S 30
static const char *watched_call = "";

static void on_watchdog(int sig)
{
	static const char msg1[] = "  FAIL no answer within 30 s to: ";
	static const char msg2[] = " (the instance neither answers nor dies)\n";

	(void)sig;
	(void)!write(1, msg1, sizeof(msg1) - 1);
	(void)!write(1, watched_call, strlen(watched_call));
	(void)!write(1, msg2, sizeof(msg2) - 1);
	_exit(1);
}

static TEEC_Result attack_call(TEEC_Session *s, unsigned which, uint32_t *ret, uint32_t *err,
			       uint32_t *origin)
{
	TEEC_Operation op;
	TEEC_Result res;

	memset(&op, 0, sizeof(op));
	op.paramTypes = TEEC_PARAM_TYPES(TEEC_VALUE_INPUT, TEEC_VALUE_OUTPUT, TEEC_NONE, TEEC_NONE);
	op.params[0].value.a = which;
	op.params[0].value.b = (uint32_t)victim;
	watched_call = attacks[which].what;
	alarm(CALL_WATCHDOG_S);
	res = TEEC_InvokeCommand(s, TA_SANDBOX_CMD_ATTACK, &op, origin);
	alarm(0);
	*ret = op.params[1].value.a;
	*err = op.params[1].value.b;
	return res;
}

static void ping(TEEC_Session *s, const char *what)
{
	TEEC_Operation op;
	uint32_t origin = 0;
	TEEC_Result res;

	memset(&op, 0, sizeof(op));
	op.paramTypes = TEEC_PARAM_TYPES(TEEC_VALUE_OUTPUT, TEEC_NONE, TEEC_NONE, TEEC_NONE);
	watched_call = what;
	alarm(CALL_WATCHDOG_S);
	res = TEEC_InvokeCommand(s, TA_SANDBOX_CMD_PING, &op, &origin);
	alarm(0);
	TEST_STEP("%s", what);
	ASSERT_TEEC_RES(res, TEEC_SUCCESS);
	TEST_STEP("CMD_PING answered 0x%x", op.params[0].value.a);
	ASSERT_EQ_INT(op.params[0].value.a, 0x600d);
}

/* Does this kernel run i386 system calls (int 0x80) of a 64-bit process? Without
 * IA32 emulation int 0x80 faults (SIGSEGV) before seccomp sees it: nothing to prove. */
static bool kernel_has_int80(void)
{
#if defined(__x86_64__)
	int status = 0;
	pid_t child;

	fflush(stdout);
	child = fork();
	if (child == 0) {
		long ret = 20; /* __NR_getpid of i386 */

		__asm__ volatile("int $0x80" : "+a"(ret) : : "r8", "r9", "r10", "r11", "memory");
		_exit(ret == (long)getpid() ? 0 : 1);
	}
	return child > 0 && waitpid(child, &status, 0) == child && WIFEXITED(status) &&
	       WEXITSTATUS(status) == 0;
#else
	return false;
#endif
}

static void run_attack(TEEC_Context *ctx, unsigned which)
{
	const struct attack_case *a = &attacks[which];
	unsigned killed = tt_log_count(TA_SANDBOX_UUID_STR, KILLED_LINE);
	unsigned refused = tt_log_count(TA_SANDBOX_UUID_STR, ENOSYS_LINE);
	uint32_t ret = 0, err = 0, origin = 0;
	TEEC_Session s;
	TEEC_Result res;

	tt_section("%s: %s", a->name, a->what);
	if (which == SANDBOX_INT80_SYSCALL && !kernel_has_int80()) {
		printf("       (this kernel has no i386 system call ABI: int 0x80 faults before "
		       "seccomp sees it; skipped)\n");
		return;
	}
	tt_open_session(ctx, &s, TA_SANDBOX_UUID_STR);
	res = attack_call(&s, which, &ret, &err, &origin);
	if (res == TEEC_SUCCESS && ret == SANDBOX_NOT_HERE) {
		printf("       (not on this architecture, skipped)\n");
		TEEC_CloseSession(&s);
		return;
	}
	if (res == TEEC_SUCCESS) {
		/* the core writes to the instance's channel again: with an owner and O_ASYNC
		 * set on it, this is where the kernel would signal */
		ping(&s, "CMD_PING after the attempt");
	}
	/* the harm first, then the sandbox's answer */
	check_victim(a->name);
	switch (a->outcome) {
	case OUTCOME_KILL:
		TEST_STEP("the instance was killed");
		ASSERT_TEEC_RES_ORIGIN(res, origin, TEEC_ERROR_TARGET_DEAD, TEEC_ORIGIN_TEE);
		TEST_STEP("tee.log: \"" KILLED_LINE " (forbidden system call)\"");
		ASSERT_TRUE(tt_log_wait(TA_SANDBOX_UUID_STR, KILLED_LINE, killed + 1, 10000));
		break;
	case OUTCOME_ENOSYS:
		TEST_STEP("the call returned to the TA");
		ASSERT_TEEC_RES(res, TEEC_SUCCESS);
		TEST_STEP("it failed: returned %d, errno %u (%s; want -1, ENOSYS)", (int32_t)ret,
			  err, strerror((int)err));
		ASSERT_EQ_INT((int32_t)ret, -1);
		ASSERT_EQ_ERRNO(err, ENOSYS);
		TEST_STEP("tee.log names the refused system call (\"..." ENOSYS_LINE "\")");
		ASSERT_TRUE(tt_log_wait(TA_SANDBOX_UUID_STR, ENOSYS_LINE, refused + 1, 10000));
		break;
	case OUTCOME_OK:
		TEST_STEP("the call returned to the TA");
		ASSERT_TEEC_RES(res, TEEC_SUCCESS);
		TEST_STEP("it works: returned %d, errno %u (%s)", (int32_t)ret, err,
			  strerror((int)err));
		ASSERT_GE_INT((int32_t)ret, 0);
		break;
	}
	TEEC_CloseSession(&s);
}

/* Issue 11: one line per system call name and instance, naming the call. */
static void check_refusal_log(TEEC_Context *ctx)
{
#if defined(__x86_64__)
	const char *line = "TA " TA_SANDBOX_UUID_STR ": system call 'chmod' (90) " ENOSYS_LINE;
#elif defined(__aarch64__)
	const char *line = "TA " TA_SANDBOX_UUID_STR ": system call 'fchmodat' (53) " ENOSYS_LINE;
#endif
	const char *barrier = "TA " TA_SANDBOX_UUID_STR ": system call 'fcntl' (";
	unsigned before = tt_log_count(line, NULL), fences = tt_log_count(barrier, NULL);
	uint32_t ret = 0, err = 0, origin = 0;
	TEEC_Session s;

	tt_section("a refused system call: ENOSYS and one tee.log line per call name");
	tt_open_session(ctx, &s, TA_SANDBOX_UUID_STR);
	for (int i = 0; i < 3; i++) {
		TEST_STEP("chmod(\"/tmp\", 0777) in the TA");
		ASSERT_TEEC_RES(attack_call(&s, SANDBOX_CHMOD, &ret, &err, &origin), TEEC_SUCCESS);
		TEST_STEP("try %d: -1/ENOSYS (got %d, %s)", i + 1, (int32_t)ret,
			  strerror((int)err));
		ASSERT_EQ_INT((int32_t)ret, -1);
		ASSERT_EQ_ERRNO(err, ENOSYS);
	}
	/* a later line of the same instance: once it is in tee.log, so is any repeat */
	{
		TEST_STEP("fcntl(3, F_DUPFD) in the TA");
		ASSERT_TEEC_RES(attack_call(&s, SANDBOX_F_DUPFD, &ret, &err, &origin),
				TEEC_SUCCESS);
	}
	TEST_STEP("tee.log: the fcntl line came");
	ASSERT_TRUE(tt_log_wait(barrier, NULL, fences + 1, 10000));
	ASSERT_EQ_INT(tt_log_count(line, NULL), before + 1);
	TEST_STEP("tee.log has exactly one \"%s\" (%u)", line, tt_log_count(line, NULL) - before);
	TEEC_CloseSession(&s);
}

static pid_t teed_pid(void)
{
	const char *run = getenv("TZM_RUNTIME_DIR");
	char path[4200];
	int pid = -1;
	FILE *f;

	snprintf(path, sizeof(path), "%s/tzm-teed.pid", run ? run : ".");
	f = fopen(path, "re");
	if (f) {
		if (fscanf(f, "%d", &pid) != 1) {
			pid = -1;
		}
		fclose(f);
	}
	return (pid_t)pid;
}

/* only: NULL for everything, else one attack's name or "refusal-log" (for debugging,
 * and for running one case against another build of tzm-ta-host) */
static void attack_catalogue(const char *only)
{
	TEEC_Context ctx, bystander;
	TEEC_Session other;
	bool found = only == NULL;
	pid_t teed;

	signal(SIGPIPE, SIG_IGN);
	signal(SIGALRM, on_watchdog);
	start_victim();
	tt_init_context(&ctx);
	tt_init_context(&bystander);
	tt_open_session(&bystander, &other, TA_SANDBOX_UUID_STR);
	teed = teed_pid();
	ASSERT_GT_INT(teed, 0);
	ASSERT_EQ_INT(kill(teed, 0), 0);
	TEST_STEP("tzm-teed runs (pid %d)", (int)teed);
	if (!only || strcmp(only, "refusal-log") == 0) {
		check_refusal_log(&ctx);
		found = true;
	}
	for (unsigned i = 0; i < SANDBOX_ATTACK_COUNT; i++) {
		if (!only || strcmp(only, attacks[i].name) == 0) {
			run_attack(&ctx, i);
			found = true;
		}
	}
	TEST_STEP("\"%s\" names a case", only);
	ASSERT_TRUE(found);
	tt_section("after the attacks");
	ASSERT_EQ_INT(kill(teed, 0), 0);
	ASSERT_EQ_INT(teed_pid(), teed);
	TEST_STEP("tzm-teed (pid %d) is alive, the same", (int)teed);
	ping(&other, "another client's session, opened before the attacks, still works");
	check_victim("all attacks");
	TEEC_CloseSession(&other);
	TEEC_FinalizeContext(&bystander);
	TEEC_FinalizeContext(&ctx);
	stop_victim();
}

/* Value of "Name:\t<value>" in a /proc status file, or -1. */
static long status_field(const char *path, const char *name)
{
	char line[256];
	long v = -1;
	size_t n = strlen(name);
	FILE *f = fopen(path, "re");

	TEST_STEP("read %s", path);
	ASSERT_NOT_NULL(f);
	while (fgets(line, sizeof(line), f)) {
		if (strncmp(line, name, n) == 0 && line[n] == ':') {
			v = strtol(line + n + 1, NULL, 10);
			break;
		}
	}
	fclose(f);
	return v;
}

/*
 * Non-dumpable processes have their /proc/<pid> files guarded by a ptrace access check
 * that a same-uid caller passes only with CAP_SYS_PTRACE: an unprivileged child must read
 * its parent's environ (dumpable: the control) but not the TA's. As root the check cannot
 * tell (capabilities decide), so only the TA's own PR_GET_DUMPABLE answer is used.
 */
static void check_not_dumpable(pid_t ta_pid, uint32_t ta_dumpable)
{
	char path[64];
	pid_t child;
	int status = 0;

	TEST_STEP("prctl(PR_GET_DUMPABLE) in the TA answers 0 (got %u)", ta_dumpable);
	ASSERT_EQ_INT(ta_dumpable, 0);
	if (geteuid() == 0) {
		printf("       (running as root: the /proc probe from a same-uid process is not "
		       "meaningful, skipped)\n");
		return;
	}
	fflush(stdout);
	child = fork();
	if (child == 0) {
		int fd;

		snprintf(path, sizeof(path), "/proc/%d/environ", (int)getppid());
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0) {
			_exit(11); /* the control failed: the probe proves nothing */
		}
		close(fd);
		snprintf(path, sizeof(path), "/proc/%d/environ", (int)ta_pid);
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd >= 0) {
			_exit(12); /* readable: the TA process is dumpable */
		}
		_exit(errno == EACCES || errno == EPERM ? 0 : 13);
	}
	TEST_STEP("fork the probe");
	ASSERT_GT_INT(child, 0);
	TEST_STEP("probe finished");
	ASSERT_EQ_INT(waitpid(child, &status, 0), child);
	ASSERT_TRUE(WIFEXITED(status));
	TEST_STEP("control: a dumpable same-uid process is readable");
	ASSERT_NE_INT(WEXITSTATUS(status), 11);
	ASSERT_EQ_INT(WEXITSTATUS(status), 0);
	TEST_STEP("/proc/%d/environ of the TA instance refused to a same-uid reader: the "
		  "instance is not dumpable (probe status %d)",
		  (int)ta_pid, WEXITSTATUS(status));
}

static void check_process(TEEC_Context *ctx)
{
	struct sandbox_fd fds[64];
	struct stat devnull;
	TEEC_Session s;
	TEEC_Operation op;
	uint32_t origin = 0, tid = 0, unbounded = 0, kib;
	TEEC_Result res;
	pid_t pid;
	char path[96];
	size_t n;

	tt_open_session(ctx, &s, TA_SANDBOX_UUID_STR);
	pid = (pid_t)tt_get_value(&s, TA_SANDBOX_CMD_PID, &tid, "CMD_PID");
	ASSERT_GT_INT(pid, 0);
	ASSERT_NE_INT(pid, getpid());
	TEST_STEP("the TA runs in its own process (pid %d, TA thread %u)", (int)pid, tid);

	tt_section("the instance's process: seccomp, no_new_privs, not dumpable");
	snprintf(path, sizeof(path), "/proc/%d/task/%u/status", (int)pid, tid);
	TEST_STEP("the TA thread runs under a seccomp filter");
	ASSERT_EQ_INT(status_field(path, "Seccomp"), 2);
	TEST_STEP("the TA thread has no_new_privs");
	ASSERT_EQ_INT(status_field(path, "NoNewPrivs"), 1);
#ifndef TEST_SANITIZER
	/* sanitizer builds leave the host's main thread unfiltered (tee/README.md) */
	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	TEST_STEP("the host's main thread is filtered too");
	ASSERT_EQ_INT(status_field(path, "Seccomp"), 2);
#endif
	check_not_dumpable(pid, tt_get_value(&s, TA_SANDBOX_CMD_DUMPABLE, NULL, "CMD_DUMPABLE"));

	tt_section("the TA sees no inherited descriptors");
	TEST_STEP("stat /dev/null");
	ASSERT_EQ_INT(stat("/dev/null", &devnull), 0);
	memset(&op, 0, sizeof(op));
	op.paramTypes = TEEC_PARAM_TYPES(TEEC_MEMREF_TEMP_OUTPUT, TEEC_NONE, TEEC_NONE, TEEC_NONE);
	op.params[0].tmpref.buffer = fds;
	op.params[0].tmpref.size = sizeof(fds);
	res = TEEC_InvokeCommand(&s, TA_SANDBOX_CMD_FDS, &op, &origin);
	TEST_STEP("CMD_FDS");
	ASSERT_TEEC_RES(res, TEEC_SUCCESS);
	n = op.params[0].tmpref.size / sizeof(fds[0]);
	for (size_t i = 0; i < n; i++) {
		printf("       fd %u: mode 0%o, links %u\n", fds[i].fd, fds[i].mode, fds[i].nlink);
	}
	TEST_STEP("exactly 4 descriptors open in the TA (found %zu)", n);
	ASSERT_EQ_INT(n, 4);
	for (uint32_t i = 0; i < 3; i++) {
		bool is_null = S_ISCHR(fds[i].mode) && fds[i].rdev == (uint32_t)devnull.st_rdev;
#ifdef TEST_SANITIZER
		/* sanitizer builds: fd 2 is tee.log, so that sanitizer reports are kept */
		is_null = is_null || (i == 2 && S_ISREG(fds[i].mode));
#endif
		{
			TEST_STEP("fd %u is /dev/null", i);
			ASSERT_EQ_INT(fds[i].fd, i);
			ASSERT_TRUE(is_null);
		}
	}
	TEST_STEP("fd 3 is the channel socket to the core");
	ASSERT_EQ_INT(fds[3].fd, 3);
	ASSERT_TRUE(S_ISSOCK(fds[3].mode));

	tt_section("libc malloc() in the TA is bounded");
	kib = tt_get_value(&s, TA_SANDBOX_CMD_MALLOC, &unbounded, "CMD_MALLOC");
#ifdef TEST_SANITIZER
	printf("       malloc gave %u KiB (the RLIMIT_DATA backstop is off under ASan)\n", kib);
	TEST_STEP("malloc works in the TA");
	ASSERT_GT_INT(kib, 0);
#else
	{
		TEST_STEP("malloc() gave %u KiB before failing (bound: TA_DATA_SIZE + 8 MiB = %u "
			  "KiB)",
			  kib, MALLOC_BOUND_KIB);
		ASSERT_FALSE(unbounded);
		ASSERT_LE_INT(kib, MALLOC_BOUND_KIB);
	}
#endif
	{
		TEST_STEP("the instance survives malloc() failing");
		ASSERT_EQ_INT(tt_get_value(&s, TA_SANDBOX_CMD_PING, NULL,
					   "CMD_PING after malloc failure"),
			      0x600d);
	}
	TEEC_CloseSession(&s);
}

static int sandbox_proof(void)
{
	TEEC_Context ctx;
	TEEC_Session s;
	TEEC_Operation op;
	uint32_t origin = 0;
	TEEC_Result res;
	int fd = -1;

	tt_section("control: the same calls work outside the sandbox");
	fd = open("/etc/passwd", O_RDONLY);
	TEST_STEP("open(\"/etc/passwd\") succeeds in the host process");
	ASSERT_GE_INT(fd, 0);
	close(fd);
	fd = socket(AF_INET, SOCK_STREAM, 0);
	TEST_STEP("socket(AF_INET) succeeds in the host process");
	ASSERT_GE_INT(fd, 0);
	close(fd);

	tt_init_context(&ctx);
	tt_section("open(\"/etc/passwd\", O_RDONLY) from a TA");
	try_escape(&ctx, TA_SANDBOX_CMD_OPEN, "open(\"/etc/passwd\")");
	tt_section("socket(AF_INET, SOCK_STREAM) from a TA");
	try_escape(&ctx, TA_SANDBOX_CMD_SOCKET, "socket(AF_INET)");
	tt_section("execve(\"/bin/sh\") from a TA");
	try_escape(&ctx, TA_SANDBOX_CMD_EXEC, "execve(\"/bin/sh\")");
	check_process(&ctx);
	attack_catalogue(NULL);

	tt_section("the TEE keeps serving");
	tt_open_session(&ctx, &s, TA_SANDBOX_UUID_STR);
	memset(&op, 0, sizeof(op));
	op.paramTypes = TEEC_PARAM_TYPES(TEEC_VALUE_OUTPUT, TEEC_NONE, TEEC_NONE, TEEC_NONE);
	res = TEEC_InvokeCommand(&s, TA_SANDBOX_CMD_PING, &op, &origin);
	TEST_STEP("fresh session, CMD_PING");
	ASSERT_TEEC_RES(res, TEEC_SUCCESS);
	TEEC_CloseSession(&s);
	TEEC_FinalizeContext(&ctx);
	printf("tee_sandbox: all checks passed\n");
	return 0;
}

/* ---- tee_sandbox_unavailable ---- */

/* Makes seccomp() and prctl(PR_SET_SECCOMP) fail for this process and its descendants,
 * as they do under qemu-user. Returns false if no filter could be installed (qemu-user
 * itself: there, seccomp already fails by itself). */
static bool break_seccomp(void)
{
	scmp_filter_ctx f = seccomp_init(SCMP_ACT_ALLOW);
	bool ok = f != NULL;

	ok = ok && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == 0;
	ok = ok && seccomp_rule_add(f, SCMP_ACT_ERRNO(ENOSYS), SCMP_SYS(seccomp), 0) == 0;
	ok = ok && seccomp_rule_add(f, SCMP_ACT_ERRNO(EINVAL), SCMP_SYS(prctl), 1,
				    SCMP_A0(SCMP_CMP_EQ, PR_SET_SECCOMP, 0)) == 0;
	ok = ok && seccomp_load(f) == 0;
	if (f) {
		seccomp_release(f);
	}
	return ok;
}

static void stop_teed(const char *run)
{
	char path[4200];
	FILE *f;
	int pid = 0;

	snprintf(path, sizeof(path), "%s/tzm-teed.pid", run);
	f = fopen(path, "re");
	if (f) {
		if (fscanf(f, "%d", &pid) == 1 && pid > 0) {
			kill(pid, SIGTERM);
		}
		fclose(f);
	}
}

/* In a child: a private TEE in <tmp>/<name> that cannot install seccomp filters. */
static void unavailable_child(const char *tmp, const char *name, bool insecure)
{
	char run[4096];
	TEEC_Context ctx;
	TEEC_Session s;
	TEEC_UUID uuid = tt_uuid(TA_SANDBOX_UUID_STR);
	TEEC_Operation op;
	uint32_t origin = 0;
	TEEC_Result res;

	snprintf(run, sizeof(run), "%s/%s", tmp, name);
	ASSERT_EQ_INT(mkdir(run, 0700), 0);
	TEST_STEP("private runtime directory %s", run);
	ASSERT_EQ_INT(setenv("TZM_RUNTIME_DIR", run, 1), 0);
	ASSERT_EQ_INT(setenv("TZM_IDLE_EXIT_MS", "2000", 1), 0);
	TEST_STEP("TZM_RUNTIME_DIR=%s", run);
	if (insecure) {
		TEST_STEP("TZM_INSECURE_NO_SANDBOX=1");
		ASSERT_EQ_INT(setenv("TZM_INSECURE_NO_SANDBOX", "1", 1), 0);
	} else {
		TEST_STEP("TZM_INSECURE_NO_SANDBOX unset");
		ASSERT_EQ_INT(unsetenv("TZM_INSECURE_NO_SANDBOX"), 0);
	}
	if (break_seccomp()) {
		printf("  ok   seccomp() now fails for this process and the TEE it starts\n");
	} else {
		printf("       (cannot install a filter here: seccomp is unavailable already)\n");
	}
	tt_init_context(&ctx);
	res = TEEC_OpenSession(&ctx, &s, &uuid, TEEC_LOGIN_PUBLIC, NULL, NULL, &origin);
	if (!insecure) {
		TEST_STEP("no seccomp, no switch: opening a session is refused");
		ASSERT_TEEC_RES_ORIGIN(res, origin, TEEC_ERROR_NOT_SUPPORTED, TEEC_ORIGIN_TEE);
		TEST_STEP("tee.log says why the TA was refused");
		ASSERT_TRUE(tt_log_count("seccomp sandbox cannot be installed", NULL) > 0);
		ASSERT_TRUE(tt_log_count("refusing to run the TA", NULL) > 0);
	} else {
		TEST_STEP("no seccomp, TZM_INSECURE_NO_SANDBOX=1: the session opens");
		ASSERT_TEEC_RES(res, TEEC_SUCCESS);
		memset(&op, 0, sizeof(op));
		op.paramTypes =
			TEEC_PARAM_TYPES(TEEC_VALUE_OUTPUT, TEEC_NONE, TEEC_NONE, TEEC_NONE);
		res = TEEC_InvokeCommand(&s, TA_SANDBOX_CMD_OPEN, &op, &origin);
		TEST_STEP("CMD_OPEN");
		ASSERT_TEEC_RES(res, TEEC_SUCCESS);
		TEST_STEP("the TA really runs unconfined: its open(\"/etc/passwd\") succeeded");
		ASSERT_GE_INT((int32_t)op.params[0].value.a, 0);
		TEEC_CloseSession(&s);
		TEST_STEP("tee.log warns at TEE start-up");
		ASSERT_TRUE(tt_log_count("WARNING: TZM_INSECURE_NO_SANDBOX=1", NULL) > 0);
		TEST_STEP("tee.log warns for the instance that runs without a sandbox");
		ASSERT_TRUE(tt_log_count("running TA WITHOUT it", NULL) > 0);
	}
	TEEC_FinalizeContext(&ctx);
	stop_teed(run);
	exit(0);
}

static int sandbox_unavailable(void)
{
	const char *tmp = getenv("TZM_TEST_TMPDIR");
	const char *names[2] = { "run-refuse", "run-insecure" };

	TEST_STEP("TZM_TEST_TMPDIR is set (run through CTest)");
	ASSERT_NOT_NULL(tmp);
	for (int i = 0; i < 2; i++) {
		int status = 0;
		pid_t child;

		tt_section("seccomp unavailable, TZM_INSECURE_NO_SANDBOX %s", i ? "=1" : "unset");
		fflush(stdout);
		child = fork();
		if (child == 0) {
			unavailable_child(tmp, names[i], i == 1);
		}
		TEST_STEP("fork");
		ASSERT_GT_INT(child, 0);
		TEST_STEP("the checks in the child passed");
		ASSERT_EQ_INT(waitpid(child, &status, 0), child);
		ASSERT_TRUE(WIFEXITED(status));
		ASSERT_EQ_INT(WEXITSTATUS(status), 0);
	}
	printf("tee_sandbox_unavailable: all checks passed\n");
	return 0;
}

int main(int argc, char **argv)
{
	const char *insecure = getenv("TZM_INSECURE_NO_SANDBOX");

	if (argc == 2 && strcmp(argv[1], "unavailable") == 0) {
		return sandbox_unavailable();
	}
	if (argc == 2 && !(insecure && strcmp(insecure, "1") == 0)) {
		attack_catalogue(argv[1]);
		printf("tee_sandbox %s: all checks passed\n", argv[1]);
		return 0;
	}
	if (insecure && strcmp(insecure, "1") == 0) {
		printf("tee_sandbox: SKIPPED: TZM_INSECURE_NO_SANDBOX=1 (qemu-user cannot install "
		       "seccomp filters, so TAs run without a sandbox and there is nothing to "
		       "prove)\n");
		return TZM_TEST_SKIP_STATUS;
	}
	return sandbox_proof();
}
