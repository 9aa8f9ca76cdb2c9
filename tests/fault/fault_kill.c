/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * kill -9 at random points of an echo stream, one victim per round: the TA (its
 * tzm-ta-host), the shadow (tzm-run), the CA (the normal-world client) or the core
 * (tzm-teed); and, for comparison, a native echo server. Rounds, victims, transports
 * (TCP, abstract UNIX socket), kill delays and data come from one seeded PRNG; the seed is
 * printed (TZM_FAULT_SEED reproduces a run).
 *
 *   fault_kill TZM_RUN UUID NATIVE_ECHO
 *   TZM_FAULT_SEED=N  TZM_FAULT_ROUNDS=N (per victim, default 2)
 *   TZM_FAULT_ONLY=ta,shadow,ca,core,native   TZM_FAULT_SLOW=N (bound multiplier)
 *
 * After each kill, within a bound (15 s, x10 under qemu-user/valgrind) and never by
 * sleeping for it:
 *  - TA killed: the CA sees EOF/ECONNRESET/EPIPE (what a native server's death gives,
 *    see the native rounds); tzm-run exits 134 saying the TA panicked;
 *  - shadow killed: the CA sees the same; the TEE ends the TA host;
 *  - CA killed: tzm-run keeps serving, its fd count returns to what it was before the
 *    CA connected, a new CA streams correctly; SIGTERM then ends it (the echo TA dies
 *    of it, and so does tzm-run: 143 in a shell);
 *  - core killed: the CA sees the same; tzm-run exits 70 reporting
 *    TEEC_ERROR_COMMUNICATION; a plain GP client with a session open gets
 *    TEEC_ERROR_COMMUNICATION / TEEC_ORIGIN_COMMS (no hang), then a new context starts a
 *    new core which works; the TA host of the dead core ends (no orphan);
 *  - every round: the surviving core has no TA host left and its fd (and memfd) count is
 *    back to its idle baseline; no process of the round is left (we are the child
 *    subreaper, so orphans would become ours and be seen); no echoed byte was wrong.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <tee_client_api.h>
#include <tzm_test.h>

#include "fault_util.h"
#include "uuid.h"

enum victim {
	V_TA,
	V_SHADOW,
	V_CA,
	V_CORE,
	V_NATIVE,
	V_COUNT
};
static const char *const victim_name[V_COUNT] = { "ta", "shadow", "ca", "core", "native" };

#define STALL_MS 10000u /* a CA that sees no progress this long reports a hang */
#define MAX_MSG 32768u
#define MAX_KILL_DELAY_MS 300u

struct core_state {
	struct fu_proc proc;
	int fds, memfds;
	bool known;
};

static struct {
	const char *tzm_run, *uuid_str, *native;
	TEEC_UUID uuid;
	char policy[PATH_MAX + 32];
	char tmp[PATH_MAX];
	unsigned bound_ms;
	struct core_state core;
	int outcome[V_COUNT][32];
	pid_t driver;
	pid_t round_pids[8]; /* the round's processes not reaped yet (0: free slot) */
} g;

/*
 * A failed check ends the test at once (tzm_test.h): the processes of the round must not
 * outlive it, so each one is recorded while it runs and killed at exit. The core is not
 * among them: cmake/run-test.sh stops the private core.
 */
static void round_own(pid_t pid)
{
	for (size_t i = 0; pid > 0 && i < sizeof(g.round_pids) / sizeof(g.round_pids[0]); i++) {
		if (g.round_pids[i] == 0) {
			g.round_pids[i] = pid;
			return;
		}
	}
	TEST_FAIL("more than %zu processes in one round", sizeof(g.round_pids) / sizeof(pid_t));
}

static void round_disown(pid_t pid)
{
	for (size_t i = 0; pid > 0 && i < sizeof(g.round_pids) / sizeof(g.round_pids[0]); i++) {
		if (g.round_pids[i] == pid) {
			g.round_pids[i] = 0;
		}
	}
}

static void kill_round_at_exit(void)
{
	int st = 0;

	if (getpid() != g.driver) { /* a forked child leaving through exit() */
		return;
	}
	for (size_t i = 0; i < sizeof(g.round_pids) / sizeof(g.round_pids[0]); i++) {
		if (g.round_pids[i] > 0) {
			kill(g.round_pids[i], SIGKILL);
			fu_wait(g.round_pids[i], g.bound_ms, &st);
			g.round_pids[i] = 0;
		}
	}
}

/* fu_wait for a process of the round: 0 once it has ended (and is no longer owned). */
static int round_wait(pid_t pid, int *status)
{
	if (fu_wait(pid, g.bound_ms, status) != 0) {
		return -1;
	}
	round_disown(pid);
	return 0;
}

/* A TEEC_UUID has struct tzm__uuid's layout (tee/common/uuid.h). */
static int parse_uuid(const char *s, TEEC_UUID *u)
{
	return tzm__uuid_from_str(s, (struct tzm__uuid *)u) == 0 ? 0 : -1;
}

/* ---- a plain GP client (a forked child: the driver itself never holds a context) ---- */

/* One session and one call to the echo TA; a command other than RUN_MAIN is answered
 * TEE_ERROR_NOT_SUPPORTED by the TA itself: proof that the core and the TA work. */
static int gp_call_once(void)
{
	TEEC_Context ctx;
	TEEC_Session sess;
	TEEC_Operation op;
	uint32_t origin = 0;
	TEEC_Result res = TEEC_InitializeContext(NULL, &ctx);

	if (res != TEEC_SUCCESS) {
		fprintf(stderr, "gp: TEEC_InitializeContext: 0x%08x\n", res);
		return -1;
	}
	res = TEEC_OpenSession(&ctx, &sess, &g.uuid, TEEC_LOGIN_PUBLIC, NULL, NULL, &origin);
	if (res != TEEC_SUCCESS) {
		fprintf(stderr, "gp: TEEC_OpenSession: 0x%08x origin %u\n", res, origin);
		TEEC_FinalizeContext(&ctx);
		return -1;
	}
	memset(&op, 0, sizeof(op));
	res = TEEC_InvokeCommand(&sess, 0, &op, &origin);
	TEEC_CloseSession(&sess);
	TEEC_FinalizeContext(&ctx);
	if (res != TEEC_ERROR_NOT_SUPPORTED || origin != TEEC_ORIGIN_TRUSTED_APP) {
		fprintf(stderr, "gp: invoke: 0x%08x origin %u\n", res, origin);
		return -1;
	}
	return 0;
}

/*
 * Calls the TA in a loop until a call fails; reports 'S' after the first good call,
 * then the failing call's result and origin (two uint32_t) on report_fd. Once told on
 * go_fd that the old core has ended, a new context must work (it starts a new core).
 * Exit 0 if it did.
 */
static void gp_stream_child(int report_fd, int go_fd)
{
	char go = 0;
	TEEC_Context ctx;
	TEEC_Session sess;
	TEEC_Operation op;
	uint32_t origin = 0, rep[2];
	TEEC_Result res = TEEC_InitializeContext(NULL, &ctx);

	if (res != TEEC_SUCCESS || TEEC_OpenSession(&ctx, &sess, &g.uuid, TEEC_LOGIN_PUBLIC, NULL,
						    NULL, &origin) != TEEC_SUCCESS) {
		_exit(2);
	}
	for (unsigned long n = 0;; n++) {
		memset(&op, 0, sizeof(op));
		res = TEEC_InvokeCommand(&sess, 0, &op, &origin);
		if (res != TEEC_ERROR_NOT_SUPPORTED || origin != TEEC_ORIGIN_TRUSTED_APP) {
			break;
		}
		if (n == 0 && write(report_fd, "S", 1) != 1) {
			_exit(2);
		}
		fu_sleep_ms(1);
	}
	rep[0] = res;
	rep[1] = origin;
	if (write(report_fd, rep, sizeof(rep)) != (ssize_t)sizeof(rep)) {
		_exit(2);
	}
	TEEC_CloseSession(&sess); /* on a dead core: must return, not hang */
	TEEC_FinalizeContext(&ctx);
	/*
	 * Not before the old core has fully ended: while the kernel tears a SIGKILLed process
	 * down, our connection may be closed before its listening socket is, and a connect in
	 * that window lands in the dying queue (COMMUNICATION on the first call).
	 */
	if (read(go_fd, &go, 1) != 1) {
		_exit(2);
	}
	_exit(gp_call_once() == 0 ? 0 : 3);
}

/* ---- the core ---- */

static int count_children(pid_t parent)
{
	struct fu_proc kids[16];

	return fu_children(parent, kids, 16);
}

/* Records the running core and its idle fd counts (no instance, stable). */
static void core_measure(void)
{
	uint64_t deadline = fu_now_ms() + g.bound_ms;
	pid_t pid = fu_teed_pid();
	int prev = -1, same = 0;

	g.core.known = false;
	if (pid <= 0 || fu_proc_stat(pid, NULL, &g.core.proc.start, NULL) != 0) {
		TEST_FAIL("no tzm-teed running (pid file: %d)", (int)pid);
	}
	g.core.proc.pid = pid;
	while (fu_now_ms() < deadline) {
		int mem = 0, n = 0;

		if (count_children(pid) != 0) {
			fu_sleep_ms(20);
			continue;
		}
		n = fu_fd_count(pid, &mem);
		same = n == prev ? same + 1 : 0;
		prev = n;
		if (same == 3) {
			g.core.fds = n;
			g.core.memfds = mem;
			g.core.known = true;
			printf("core pid %d idle: %d fds (%d memfds)\n", (int)pid, n, mem);
			return;
		}
		fu_sleep_ms(50);
	}
	TEST_FAIL("tzm-teed (pid %d) did not become idle within %u ms", (int)pid, g.bound_ms);
}

/* The surviving core: alive, no TA host, fds back to the idle baseline. */
static void core_check_clean(void)
{
	uint64_t deadline = fu_now_ms() + g.bound_ms;
	int n = 0, mem = 0, kids = 0;

	for (;;) {
		if (!fu_alive(&g.core.proc)) {
			TEST_FAIL("the core (pid %d) died", (int)g.core.proc.pid);
		}
		kids = count_children(g.core.proc.pid);
		n = fu_fd_count(g.core.proc.pid, &mem);
		if (kids == 0 && n == g.core.fds && mem == g.core.memfds) {
			return;
		}
		if (fu_now_ms() >= deadline) {
			break;
		}
		fu_sleep_ms(20);
	}
	fprintf(stderr, "the core is not back to idle %u ms after the round:\n", g.bound_ms);
	fu_fd_dump(g.core.proc.pid, "tzm-teed");
	ASSERT_EQ_INT(kids, 0); /* TA hosts left */
	ASSERT_EQ_INT(n, g.core.fds);
	ASSERT_EQ_INT(mem, g.core.memfds);
}

/* No process of ours is left but the core (orphans would have become our children). */
static void check_no_leftovers(void)
{
	struct fu_proc kids[32];
	uint64_t deadline = fu_now_ms() + g.bound_ms;
	int n = 0, extra = 0;

	for (;;) {
		fu_reap();
		n = fu_children(getpid(), kids, 32);
		extra = 0;
		for (int i = 0; i < n && i < 32; i++) {
			if (!(g.core.known && kids[i].pid == g.core.proc.pid &&
			      kids[i].start == g.core.proc.start)) {
				extra++;
			}
		}
		if (extra == 0 || fu_now_ms() >= deadline) {
			break;
		}
		fu_sleep_ms(20);
	}
	for (int i = 0; extra > 0 && i < n && i < 32; i++) {
		char path[64], cmd[256] = "";
		FILE *f = NULL;

		if (g.core.known && kids[i].pid == g.core.proc.pid) {
			continue;
		}
		snprintf(path, sizeof(path), "/proc/%d/cmdline", (int)kids[i].pid);
		f = fopen(path, "r");
		if (f) {
			size_t len = fread(cmd, 1, sizeof(cmd) - 1, f);

			for (size_t k = 0; k < len; k++) {
				cmd[k] = cmd[k] ? cmd[k] : ' ';
			}
			cmd[len] = '\0';
			fclose(f);
		}
		fprintf(stderr, "leftover process %d: %s\n", (int)kids[i].pid, cmd);
		kill(kids[i].pid, SIGKILL);
	}
	ASSERT_EQ_INT(extra, 0); /* processes of the round left after it */
}

/* ---- one round ---- */

struct round {
	int number; /* 1.. */
	enum victim victim;
	bool unix_sock;
	unsigned delay_ms;
	uint64_t seed;
};

/* A CA streaming to endpoint (owned by the round); *progress gets a byte per echo. */
static pid_t start_ca(const char *endpoint, uint64_t seed, unsigned long messages, int *progress)
{
	int p[2];
	pid_t pid = -1;

	ASSERT_SYS(pipe2(p, O_CLOEXEC));
	fflush(NULL);
	pid = (pid_t)ASSERT_SYS(fork());
	if (pid == 0) {
		close(p[0]);
		_exit(fu_ca_stream(endpoint, seed, MAX_MSG, messages, p[1], STALL_MS));
	}
	round_own(pid);
	close(p[1]);
	*progress = p[0];
	return pid;
}

/* Waits (bounded) for n bytes on fd. */
static int read_bounded(int fd, void *buf, size_t n, unsigned timeout_ms)
{
	uint64_t deadline = fu_now_ms() + timeout_ms;
	size_t got = 0;

	while (got < n) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		uint64_t now = fu_now_ms();
		ssize_t r = 0;

		if (now >= deadline || poll(&p, 1, (int)(deadline - now)) <= 0) {
			return -1;
		}
		r = read(fd, (char *)buf + got, n - got);
		if (r <= 0) {
			return -1;
		}
		got += (size_t)r;
	}
	return 0;
}

static bool file_has(const char *path, const char *needle)
{
	char buf[8192];
	FILE *f = fopen(path, "r");
	size_t n = 0;

	if (!f) {
		return false;
	}
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	return strstr(buf, needle) != NULL;
}

static void show_file(const char *path)
{
	char buf[4096];
	FILE *f = fopen(path, "r");
	size_t n = 0;

	if (!f) {
		return;
	}
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	fprintf(stderr, "---- %s ----\n%s", path, buf);
}

/* Waits for the CA killed out from under: it must report what a native peer's death
 * gives, and no byte may have come back wrong. */
static void expect_ca_saw_death(pid_t ca, enum victim v)
{
	int st = 0, r = 0;
	char s[32];

	if (round_wait(ca, &st) != 0) {
		TEST_FAIL("the CA is still running %u ms after the kill (hang)", g.bound_ms);
	}
	r = WIFEXITED(st) ? WEXITSTATUS(st) : 31;
	g.outcome[v][r < 32 ? r : 31]++;
	if (r != FU_CA_EOF && r != FU_CA_RESET && r != FU_CA_PIPE) {
		TEST_FAIL("the CA saw %s (%s), not EOF/ECONNRESET/EPIPE", fu_ca_result_text(r),
			  fu_status_text(st, s, sizeof(s)));
	}
}

/* code 128+N also accepts death by signal N: tzm-run dies of the signal the TA died of */
static void expect_exit(pid_t pid, const char *who, int code)
{
	int st = 0;
	char s[32];

	if (round_wait(pid, &st) != 0) {
		TEST_FAIL("%s still running %u ms after the kill (hang)", who, g.bound_ms);
	}
	if (WIFSIGNALED(st) && code > 128 && WTERMSIG(st) == code - 128) {
		return;
	}
	if (!WIFEXITED(st) || WEXITSTATUS(st) != code) {
		TEST_FAIL("%s ended with %s, expected exit %d", who,
			  fu_status_text(st, s, sizeof(s)), code);
	}
}

/* tzm-run's stderr (errpath) must say needle. */
static void expect_said(const char *errpath, const char *needle, const char *what)
{
	if (!file_has(errpath, needle)) {
		show_file(errpath);
		TEST_FAIL("tzm-run did not %s (no \"%s\" in its stderr)", what, needle);
	}
}

static void expect_gone(const struct fu_proc *p, const char *who)
{
	if (fu_wait_gone(p, g.bound_ms) != 0) {
		kill(p->pid, SIGKILL);
		TEST_FAIL("%s (pid %d) still running %u ms after the kill", who, (int)p->pid,
			  g.bound_ms);
	}
}

/* The shadow's fd count back at want (a killed CA's connection closed). */
static void expect_shadow_fds(pid_t shadow, int want, const char *when)
{
	uint64_t deadline = fu_now_ms() + g.bound_ms;
	int n = -1;

	for (;;) {
		n = fu_fd_count(shadow, NULL);
		if (n == want) {
			return;
		}
		if (fu_now_ms() >= deadline) {
			break;
		}
		fu_sleep_ms(20);
	}
	fu_fd_dump(shadow, "tzm-run");
	TEST_FAIL("tzm-run has %d fds %s, %d before the CA connected", n, when, want);
}

static void run_native(const struct round *r, const char *addr)
{
	char *argv[] = { (char *)g.native, r->unix_sock ? "unix" : "tcp", (char *)addr, NULL };
	char line[256];
	int out = -1, progress = -1, st = 0;
	pid_t srv = fu_spawn(argv, &out, NULL), ca = -1;
	char c = 0;

	round_own(srv);
	if (srv < 0 || fu_read_line(out, "ready ", line, sizeof(line), g.bound_ms) != 0) {
		TEST_FAIL("the native server did not start");
	}
	ca = start_ca(line + 6, r->seed, 0, &progress);
	if (read_bounded(progress, &c, 1, g.bound_ms) != 0) {
		TEST_FAIL("the CA did not get its first echo");
	}
	fu_sleep_ms(r->delay_ms);
	kill(srv, SIGKILL);
	expect_ca_saw_death(ca, V_NATIVE);
	(void)round_wait(srv, &st);
	close(out);
	close(progress);
}

/*
 * A plain GP client calling the echo TA in a loop (gp_stream_child), owned by the round;
 * returns once it has had its first answer. *report and *go: gp_stream_child's pipes.
 */
static pid_t start_gp_client(int *report, int *go)
{
	int p[2], q[2];
	char c = 0;
	pid_t gp = -1;

	ASSERT_SYS(pipe2(p, O_CLOEXEC));
	ASSERT_SYS(pipe2(q, O_CLOEXEC));
	fflush(NULL);
	gp = (pid_t)ASSERT_SYS(fork());
	if (gp == 0) {
		close(p[0]);
		close(q[1]);
		gp_stream_child(p[1], q[0]);
	}
	round_own(gp);
	close(p[1]);
	close(q[0]);
	*report = p[0];
	*go = q[1];
	if (read_bounded(*report, &c, 1, g.bound_ms) != 0) {
		TEST_FAIL("the GP client did not get its first answer");
	}
	return gp;
}

static void run_tee_round(const struct round *r, const char *addr)
{
	char errpath[PATH_MAX + 32];
	char *argv[] = { (char *)g.tzm_run,  "--policy", g.policy,
			 (char *)g.uuid_str, "--",       r->unix_sock ? "unix" : "tcp",
			 (char *)addr,       NULL };
	char line[256], endpoint[256], c = 0;
	struct fu_proc host = { 0, 0 }, kids[4];
	int out = -1, progress = -1, gp_report = -1, gp_go = -1, st = 0, sh_fds = -1;
	pid_t shadow = -1, ca = -1, gp = -1;
	uint32_t rep[2] = { 0, 0 };
	uint64_t t_kill = 0;

	snprintf(errpath, sizeof(errpath), "%s/round-%d.tzm-run.err", g.tmp, r->number);
	shadow = fu_spawn(argv, &out, errpath);
	round_own(shadow);
	if (shadow < 0 || fu_read_line(out, "ready ", line, sizeof(line), g.bound_ms) != 0) {
		show_file(errpath);
		TEST_FAIL("tzm-run did not start the echo TA");
	}
	snprintf(endpoint, sizeof(endpoint), "%s", line + 6);
	/* tzm-run must talk to the running core */
	ASSERT_EQ_INT(fu_teed_pid(), g.core.proc.pid);
	/* one TA host for one tzm-run */
	ASSERT_EQ_INT(fu_children(g.core.proc.pid, kids, 4), 1);
	host = kids[0];
	sh_fds = fu_fd_count(shadow, NULL);
	if (r->victim == V_CORE) {
		gp = start_gp_client(&gp_report, &gp_go);
	}
	ca = start_ca(endpoint, r->seed, 0, &progress);
	if (read_bounded(progress, &c, 1, g.bound_ms) != 0) {
		TEST_FAIL("the CA did not get its first echo");
	}
	fu_sleep_ms(r->delay_ms);
	t_kill = fu_now_ms();

	switch (r->victim) {
	case V_TA:
		kill(host.pid, SIGKILL);
		expect_ca_saw_death(ca, V_TA);
		expect_exit(shadow, "tzm-run", 134);
		expect_said(errpath, "the TA panicked", "say that the TA died");
		expect_gone(&host, "the killed TA host");
		break;
	case V_SHADOW:
		kill(shadow, SIGKILL);
		expect_ca_saw_death(ca, V_SHADOW);
		(void)round_wait(shadow, &st);
		expect_gone(&host, "the TA host of the killed tzm-run");
		break;
	case V_CA:
		kill(ca, SIGKILL);
		(void)round_wait(ca, &st);
		g.outcome[V_CA][0]++;
		expect_shadow_fds(shadow, sh_fds, "after the CA was killed");
		close(progress);
		ca = start_ca(endpoint, r->seed + 1, 20, &progress);
		if (round_wait(ca, &st) != 0) {
			TEST_FAIL("a new CA did not finish 20 round trips in %u ms", g.bound_ms);
		}
		if (!WIFEXITED(st) || WEXITSTATUS(st) != FU_CA_OK) {
			TEST_FAIL("a new CA after the kill saw %s",
				  fu_ca_result_text(WIFEXITED(st) ? WEXITSTATUS(st) : 31));
		}
		expect_shadow_fds(shadow, sh_fds, "after the second CA left");
		kill(shadow, SIGTERM);
		expect_exit(shadow, "tzm-run (SIGTERM)", 128 + SIGTERM);
		expect_gone(&host, "the TA host after tzm-run ended");
		break;
	case V_CORE:
		kill(g.core.proc.pid, SIGKILL);
		expect_ca_saw_death(ca, V_CORE);
		expect_exit(shadow, "tzm-run", 70);
		expect_said(errpath, "0xffff000e", "report TEEC_ERROR_COMMUNICATION");
		if (read_bounded(gp_report, rep, sizeof(rep), g.bound_ms) != 0) {
			TEST_FAIL("the GP client's call did not return within %u ms", g.bound_ms);
		}
		ASSERT_TEEC_RES_ORIGIN(rep[0], rep[1], TEEC_ERROR_COMMUNICATION, TEEC_ORIGIN_COMMS);
		expect_gone(&host, "the TA host of the killed core");
		expect_gone(&g.core.proc, "the killed core");
		ASSERT_EQ_INT(write(gp_go, "G", 1), 1); /* the GP client may go on */
		expect_exit(gp, "the GP client (new context after the kill)", 0);
		core_measure(); /* the new core the client started */
		close(gp_report);
		close(gp_go);
		break;
	default:
		break;
	}
	close(out);
	close(progress);
	core_check_clean();
	printf("  every check passed %llu ms after the kill\n",
	       (unsigned long long)(fu_now_ms() - t_kill));
}

static bool selected(const char *only, enum victim v)
{
	const char *p = only;
	size_t n = strlen(victim_name[v]);

	if (!only || !*only) {
		return true;
	}
	while ((p = strstr(p, victim_name[v]))) {
		if ((p == only || p[-1] == ',') && (p[n] == '\0' || p[n] == ',')) {
			return true;
		}
		p += n;
	}
	return false;
}

int main(int argc, char **argv)
{
	struct round rounds[V_COUNT * 64];
	struct fu_rng rng;
	const char *only = getenv("TZM_FAULT_ONLY");
	long per_victim = fu_env_long("TZM_FAULT_ROUNDS", 2);
	const char *tmp = getenv("TZM_TEST_TMPDIR");
	uint64_t seed = 0, t0 = fu_now_ms();
	int nrounds = 0;
	pid_t first = -1;
	FILE *f = NULL;

	if (argc != 4 || parse_uuid(argv[2], &g.uuid) != 0) {
		fprintf(stderr, "usage: fault_kill TZM_RUN UUID NATIVE_ECHO\n");
		return 64;
	}
	if (!getenv("TZM_RUNTIME_DIR") || !tmp) {
		fprintf(stderr, "fault_kill: run me through ctest (private TEE: TZM_RUNTIME_DIR, "
				"TZM_TEST_TMPDIR)\n");
		return 64;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	g.tzm_run = argv[1];
	g.uuid_str = argv[2];
	g.native = argv[3];
	g.bound_ms = 15000u * fu_slow();
	g.driver = getpid();
	atexit(kill_round_at_exit);
	snprintf(g.tmp, sizeof(g.tmp), "%s", tmp);
	snprintf(g.policy, sizeof(g.policy), "%s/fault.policy", g.tmp);
	f = fopen(g.policy, "w");
	if (!f) {
		TEST_FAIL("%s: %s", g.policy, strerror(errno));
	}
	fprintf(f, "tcp bind 127.0.0.1 *\nunix @tzm-fault-*\nmax_fds 64\n");
	ASSERT_SYS(fclose(f));
	/* The core must not leave on its own between rounds: only our kills end it. */
	setenv("TZM_IDLE_EXIT_MS", "3600000", 1);
	signal(SIGPIPE, SIG_IGN);
	fu_subreaper();

	seed = fu_seed_from_env("TZM_FAULT_SEED");
	fu_rng_seed(&rng, seed);
	if (per_victim < 1 || per_victim > 64) {
		per_victim = 2;
	}
	for (int v = 0; v < V_COUNT; v++) {
		for (long i = 0; i < per_victim && selected(only, (enum victim)v); i++) {
			rounds[nrounds++].victim = (enum victim)v;
		}
	}
	for (int i = nrounds - 1; i > 0; i--) { /* seeded shuffle */
		int j = (int)fu_rng_below(&rng, (uint32_t)i + 1);
		enum victim t = rounds[i].victim;

		rounds[i].victim = rounds[j].victim;
		rounds[j].victim = t;
	}
	for (int i = 0; i < nrounds; i++) {
		rounds[i].number = i + 1;
		rounds[i].unix_sock = fu_rng_below(&rng, 2) == 1;
		rounds[i].delay_ms = fu_rng_below(&rng, MAX_KILL_DELAY_MS + 1);
		rounds[i].seed = fu_rng_next(&rng);
	}
	printf("%d rounds, liveness bound %u ms\n", nrounds, g.bound_ms);

	TEST_STEP("set-up: a plain GP client starts the core and reaches the echo TA "
		  "(TZM_FAULT_SEED=%llu)",
		  (unsigned long long)seed);
	fflush(NULL);
	first = (pid_t)ASSERT_SYS(fork());
	if (first == 0) {
		_exit(gp_call_once() == 0 ? 0 : 1);
	}
	round_own(first);
	expect_exit(first, "the first GP client", 0);
	core_measure();

	for (int i = 0; i < nrounds; i++) {
		const struct round *r = &rounds[i];
		char addr[96];

		if (r->unix_sock) {
			snprintf(addr, sizeof(addr), "@tzm-fault-%d-%d", (int)getpid(), i);
		} else {
			snprintf(addr, sizeof(addr), "127.0.0.1:0");
		}
		/* the step is repeated in a failure report, with what reproduces the run */
		TEST_STEP("round %d: kill -9 %s over %s after %u ms of streaming "
			  "(TZM_FAULT_SEED=%llu)",
			  r->number, victim_name[r->victim], r->unix_sock ? "UNIX" : "TCP",
			  r->delay_ms, (unsigned long long)seed);
		if (r->victim == V_NATIVE) {
			run_native(r, addr);
		} else {
			run_tee_round(r, addr);
		}
		check_no_leftovers();
	}

	printf("what the CA saw when its server side was killed:\n");
	for (int v = 0; v < V_COUNT; v++) {
		if (v == V_CA) {
			continue;
		}
		printf("  %-6s EOF %d, ECONNRESET %d, EPIPE %d, other %d\n", victim_name[v],
		       g.outcome[v][FU_CA_EOF], g.outcome[v][FU_CA_RESET], g.outcome[v][FU_CA_PIPE],
		       g.outcome[v][FU_CA_MISMATCH] + g.outcome[v][FU_CA_TIMEOUT] +
			       g.outcome[v][FU_CA_ERROR] + g.outcome[v][31]);
	}
	printf("%d rounds in %llu ms\n", nrounds, (unsigned long long)(fu_now_ms() - t0));
	printf("all rounds passed (seed %llu)\n", (unsigned long long)seed);
	return 0;
}
