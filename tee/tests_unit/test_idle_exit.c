/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * tee_idle_exit: tzm-teed exits when idle and libteec starts it again on demand; no
 * client may be lost in between. Run with TZM_IDLE_EXIT_MS=1, so that the daemon exits
 * after nearly every client: several processes then open contexts back to back, and
 * every one of them must be served (a connection queued just before the daemon exits,
 * or a daemon that exits before the client that started it connects, used to end in
 * TEEC_ERROR_COMMUNICATION after a 30 s wait). Slow builds (sanitizers, qemu) keep the
 * TA host alive across those short pauses, so then clients come one at a time, timed
 * from tee.log: the daemon really exits and restarts on every build, or the test fails.
 */
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <tee_client_api.h>

#include <tee_test.h>

static const TEEC_UUID counter = {
	0x19e2a039, 0x1247, 0x4870, { 0xb4, 0x2e, 0xa4, 0xa7, 0x5f, 0x18, 0x59, 0x99 }
};
#define COUNTER_CMD_INC 0
#define WORKERS 3
#define ROUNDS 40
#define SEQUENTIAL_ROUNDS 20
/* Bound of the waits for the daemon's exit and its reaping of a TA host: generous (a
 * TA host that ignores its channel's close is killed after 5 s; qemu-user under load is
 * slow), it costs time only when the event does not come. */
#define EVENT_WAIT_S 60

/* pid of the daemon serving the last client (read while it was connected), or 0 */
static int g_served_by;

/* One client's whole life: context, session, one call, close; each must succeed. */
static void one_client(int round)
{
	TEEC_Context ctx;
	TEEC_Session s;
	TEEC_Operation op;
	uint32_t origin = 0;

	ASSERT_TEEC_OK(TEEC_InitializeContext(NULL, &ctx));
	ASSERT_TEEC_RES_ORIGIN(
		TEEC_OpenSession(&ctx, &s, &counter, TEEC_LOGIN_PUBLIC, NULL, NULL, &origin),
		origin, TEEC_SUCCESS, TZM_TEST_ANY_ORIGIN);
	{
		char path[4096];
		FILE *f;

		/* while we are connected, the pid file is our daemon's */
		g_served_by = 0;
		snprintf(path, sizeof(path), "%s/tzm-teed.pid", getenv("TZM_RUNTIME_DIR"));
		f = fopen(path, "r");
		if (!f || fscanf(f, "%d", &g_served_by) != 1) {
			g_served_by = 0;
		}
		if (f) {
			fclose(f);
		}
	}
	memset(&op, 0, sizeof(op));
	op.paramTypes = TEEC_PARAM_TYPES(TEEC_VALUE_INOUT, TEEC_NONE, TEEC_NONE, TEEC_NONE);
	op.params[0].value.a = (uint32_t)round;
	ASSERT_TEEC_RES_ORIGIN(TEEC_InvokeCommand(&s, COUNTER_CMD_INC, &op, &origin), origin,
			       TEEC_SUCCESS, TZM_TEST_ANY_ORIGIN);
	ASSERT_EQ_U64(op.params[0].value.a, (uint32_t)round + 1);
	TEEC_CloseSession(&s);
	TEEC_FinalizeContext(&ctx);
}

/* ROUNDS clients back to back, 0-4 ms apart: sometimes the daemon is still up,
 * sometimes it is leaving. */
static void worker(unsigned seed)
{
	srand(seed);
	for (int i = 0; i < ROUNDS; i++) {
		struct timespec pause = { 0, (long)(rand() % 5) * 1000000L };

		one_client(i);
		nanosleep(&pause, NULL);
	}
}

/* Waits (at most EVENT_WAIT_S) for the idle exit of the daemon that served the last client
 * (its "core[<pid>] I: idle for" line in tee.log); 0 when it came. Named by pid: that
 * daemon may exit before we look (a count of exit lines read afterwards would then wait
 * for a further exit), and an older daemon's late exit must not count. */
static int wait_idle_exit(void)
{
	char who[32];

	if (g_served_by <= 0) {
		return -1;
	}
	snprintf(who, sizeof(who), "core[%d] I: idle for", g_served_by);
	return tt_log_wait(who, NULL, 1, EVENT_WAIT_S * 1000) ? 0 : -1;
}

/* Prints the lines of /proc/<pid>/<file> that start with one of `keys` (all when NULL). */
static void print_proc(pid_t pid, const char *file, const char *const *keys)
{
	char path[64], line[512];
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid, file);
	f = fopen(path, "re");
	if (!f) {
		printf("       %s: %s\n", path, strerror(errno));
		return;
	}
	while (fgets(line, sizeof(line), f)) {
		bool want = !keys;

		for (const char *const *k = keys; k && *k && !want; k++) {
			want = strncmp(line, *k, strlen(*k)) == 0;
		}
		if (want) {
			printf("       %s: %s", path, line);
		}
	}
	fclose(f);
}

/*
 * After a failed wait: what the daemon is doing, so that a failure says whether the core
 * or the test is at fault. Its state and signal masks (a SIGCHLD pending in ShdPnd that
 * no thread takes is a lost reap), each thread's, its children (a "Z" TA host: exited,
 * not reaped) and who holds the start lock (/proc/locks: the daemon exits only when it
 * can take it).
 */
static void describe_daemon(pid_t pid)
{
	static const char *const keys[] = { "State:", "SigPnd:", "ShdPnd:", "SigBlk:", NULL };
	char path[4096], line[512], lock_ino[32];
	struct stat st;
	struct dirent *e;
	DIR *d;
	FILE *f;

	printf("  info daemon %d after the failed wait:\n", (int)pid);
	if (pid <= 0 || (kill(pid, 0) && errno == ESRCH)) {
		printf("       not running\n");
		return;
	}
	print_proc(pid, "status", keys);
	snprintf(path, sizeof(path), "/proc/%d/task", (int)pid);
	d = opendir(path);
	while (d && (e = readdir(d))) {
		if (e->d_name[0] != '.') {
			char task[300];

			snprintf(task, sizeof(task), "task/%s/status", e->d_name);
			print_proc(pid, task, keys);
		}
	}
	if (d) {
		closedir(d);
	}
	d = opendir("/proc");
	while (d && (e = readdir(d))) {
		int child = atoi(e->d_name), ppid = 0;
		char state = '?';

		snprintf(path, sizeof(path), "/proc/%d/stat", child);
		f = child > 0 ? fopen(path, "re") : NULL;
		if (f && fgets(line, sizeof(line), f)) {
			const char *p = strrchr(line, ')');

			if (p && sscanf(p, ") %c %d", &state, &ppid) == 2 && ppid == pid) {
				printf("       child: %s", line);
			}
		}
		if (f) {
			fclose(f);
		}
	}
	if (d) {
		closedir(d);
	}
	snprintf(path, sizeof(path), "%s/tzm-teed.lock", getenv("TZM_RUNTIME_DIR"));
	lock_ino[0] = '\0';
	if (stat(path, &st) == 0) {
		snprintf(lock_ino, sizeof(lock_ino), ":%llu ", (unsigned long long)st.st_ino);
	}
	f = fopen("/proc/locks", "re");
	while (f && fgets(line, sizeof(line), f)) {
		if (lock_ino[0] && strstr(line, lock_ino)) {
			printf("       /proc/locks: %s", line);
		}
	}
	if (f) {
		fclose(f);
	}
}

/* The TA host pid of the newest instance in tee.log, or -1. */
static pid_t last_host_pid(void)
{
	char path[4096], line[4096];
	pid_t pid = -1;
	FILE *f;

	snprintf(path, sizeof(path), "%s/tee.log", getenv("TZM_RUNTIME_DIR"));
	f = fopen(path, "r");
	while (f && fgets(line, sizeof(line), f)) {
		const char *p = strstr(line, "(host pid ");
		int v;

		if (p && sscanf(p, "(host pid %d)", &v) == 1) {
			pid = v;
		}
	}
	if (f) {
		fclose(f);
	}
	return pid;
}

/* Waits (at most EVENT_WAIT_S) until the daemon reaped process `pid`; 0 when it did. */
static int wait_reaped(pid_t pid)
{
	for (int i = 0; i < EVENT_WAIT_S * 1000; i++) {
		struct timespec tick = { 0, 1000000L };

		if (kill(pid, 0) && errno == ESRCH) {
			return 0;
		}
		nanosleep(&tick, NULL);
	}
	return -1;
}

int main(void)
{
	pid_t pids[WORKERS];

	setvbuf(stdout, NULL, _IONBF, 0);
	if (!getenv("TZM_RUNTIME_DIR") || !getenv("TZM_IDLE_EXIT_MS")) {
		fprintf(stderr, "run me through CTest (TZM_RUNTIME_DIR, TZM_IDLE_EXIT_MS=1)\n");
		return 2;
	}
	/* Phase 1: parallel clients 0-4 ms apart. On slow builds (sanitizers, qemu) the TA
	 * host outlives the pauses, the daemon is never idle and phase 1 alone may prove
	 * nothing; phase 2 makes sure the daemon does exit, every time. A worker's failed
	 * check reports itself and exits 1. */
	for (int w = 0; w < WORKERS; w++) {
		pids[w] = fork();
		if (pids[w] == 0) {
			TEST_STEP("worker %d: %d clients back to back", w, ROUNDS);
			worker(1000u + (unsigned)w);
			_exit(0);
		}
	}
	for (int w = 0; w < WORKERS; w++) {
		int status = 0;

		TEST_STEP("worker %d: every client served", w);
		ASSERT_EQ_INT(ASSERT_SYS(waitpid(pids[w], &status, 0)), pids[w]);
		ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	}
	/* Phase 2: one client at a time. Even rounds: the next client starts as soon as
	 * the daemon logged its exit (it still holds the start lock and cleans up), so it
	 * must start a daemon of its own, behind the lock. Odd rounds: the next client
	 * starts 0-2 ms after the daemon reaped the TA host, that is while the daemon
	 * waits out its 1 ms idle time or leaves. Either way it must be served. */
	printf("  info phase 1: the daemon exited %u times while clients came and went\n",
	       tt_log_count("idle for", NULL));
	srand(3000u);
	for (int i = 0; i < SEQUENTIAL_ROUNDS; i++) {
		TEST_STEP("client %d, one at a time", i);
		one_client(i);
		if (i % 2 == 0) {
			TEST_STEP("the daemon (pid %d) exits within %d s of its last client",
				  g_served_by, EVENT_WAIT_S);
			if (wait_idle_exit()) {
				describe_daemon(g_served_by);
				TEST_FAIL("no idle exit of daemon %d in %d s", g_served_by,
					  EVENT_WAIT_S);
			}
		} else {
			pid_t host = last_host_pid();
			struct timespec pause = { 0, (long)(rand() % 3) * 1000000L };

			TEST_STEP("the TA host (pid %d) of client %d is reaped within %d s",
				  (int)host, i, EVENT_WAIT_S);
			ASSERT_GE_INT(host, 0);
			if (wait_reaped(host)) {
				describe_daemon(g_served_by);
				TEST_FAIL("TA host %d not reaped in %d s", (int)host, EVENT_WAIT_S);
			}
			nanosleep(&pause, NULL);
		}
	}
	printf("  ok   %d clients one at a time, %d of them right after a daemon exit\n",
	       SEQUENTIAL_ROUNDS, (SEQUENTIAL_ROUNDS + 1) / 2);
	printf("  info the daemon exited %u times in all\n", tt_log_count("idle for", NULL));
	printf("tee_idle_exit: all checks passed\n");
	return 0;
}
