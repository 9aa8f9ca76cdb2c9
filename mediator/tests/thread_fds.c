/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A TA thread's blocked call while another thread closes its descriptor and gives the
 * number to another object (test_thread_fds.sh runs it over the local transport and as a
 * TA; the script paces it through stdin). Mode:
 *   stale-read   thread A reads pipe a (fd 3). After the line "1" on stdin, main closes
 *                fd 3, parks a copy of a's write end on fd 10 (it takes the host number
 *                that fd 3 had in the shadow), makes fd 3 the read end of a new, empty
 *                pipe b, closes fd 10 (that host number is now unused) and writes a
 *                byte to pipe a, which ends the shadow's wait for A's read. Then it
 *                prints "window" and waits for the line "2" (the script watches the
 *                shadow meanwhile: its wait for A must not spin), writes a byte to pipe
 *                b and joins A.
 *                Output: "window", then "A read x": A's blocked read holds pipe a, as
 *                on Linux (the shadow once looked fd 3 up again after its wait and
 *                read pipe b's "y").
 *   close-dup2 N N rounds of: main closes fd 5 (a copy of a pipe's write end); once
 *                close has returned, thread B makes fd 5 a copy again with dup2 and
 *                writes a byte through it. Every write must succeed, as natively: the
 *                close must not reach the shadow after B's dup2 (its calls run on
 *                another lane). Output: "close-dup2 failed writes: 0".
 *   stdin-pair   two threads each read(0) once (the script waits until the shadow
 *                waits for both, then writes one line, then, once that line was
 *                printed, another): each prints "got <line>". The thread that finds
 *                stdin empty again must not wait holding the shadow's lock: the other
 *                thread's print must go on. Output: "got one", "got two", "done".
 *   dup-stdin N  a thread reads N lines through fd 5, a dup2 of fd 0 (the script
 *                writes them one at a time, each after the last was printed): prints
 *                "line <text>" each, then "done". The shadow must not set O_NONBLOCK on
 *                the open file description it shares with tzm-run's caller (the
 *                script's LD_PRELOAD shim in tzm-run reports any F_SETFL on it).
 *   resolve-end NAME  a thread looks NAME up (getaddrinfo) while main waits for the
 *                line "end" on stdin, prints "ending" and returns from main: the
 *                script's name server never answers, and tzm-run must end with the TA,
 *                not when the resolver gives up.
 *   cancel       thread A blocks in read of a pipe; main's pthread_cancel(A) interrupts
 *                that read (a cancellation point) and A unwinds; main then writes a byte
 *                and joins A. Output, as natively: "cancel: 0", "joined: canceled"
 *                (before: ENOSYS and a log line; earlier still, pthread_cancel returned
 *                0, A's read was never interrupted and the join hung, or the TA panicked
 *                in the unwinder, which opens libgcc_s inside the sandbox).
 *   slow DIR fsync|getdents  thread A fsyncs a new file in DIR, or lists DIR, while
 *                the script's shim holds that call in tzm-run (a slow disk); main waits
 *                for the line "go" on stdin and prints "main goes on": its call must not
 *                wait for A's. After the release A prints "A done".
 */
#include <errno.h>
#include <dirent.h>
#include <fcntl.h>
#include <netdb.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int fail(const char *what, int err)
{
	printf("%s FAILED (%s)\n", what, strerror(err));
	fflush(stdout);
	return 1;
}

/* returns the byte read, or -1 */
static void *reader(void *arg)
{
	char byte = 0;
	ssize_t n = read((int)(intptr_t)arg, &byte, 1);

	return (void *)(intptr_t)(n == 1 ? (unsigned char)byte : -1);
}

/* waits for the line `want` on stdin */
static int await_line(const char *want)
{
	char line[16];

	if (!fgets(line, sizeof(line), stdin)) {
		return -1;
	}
	line[strcspn(line, "\n")] = '\0';
	return strcmp(line, want) == 0 ? 0 : -1;
}

static int stale_read(void)
{
	int a[2] = { -1, -1 }, b[2] = { -1, -1 };
	pthread_t t;
	void *res = NULL;
	int parked = -1, rc = 0;

	if (pipe(a) != 0) {
		return fail("pipe a", errno);
	}
	if (a[0] != 3) {
		return fail("pipe a on fd 3", EBADF);
	}
	rc = pthread_create(&t, NULL, reader, (void *)(intptr_t)a[0]);
	if (rc != 0) {
		return fail("pthread_create", rc);
	}
	if (await_line("1") != 0) {
		return fail("line 1", EINVAL);
	}
	if (close(a[0]) != 0) {
		return fail("close", errno);
	}
	parked = fcntl(a[1], F_DUPFD, 10);
	if (parked < 0) {
		return fail("F_DUPFD", errno);
	}
	if (pipe(b) != 0) {
		return fail("pipe b", errno);
	}
	if (b[0] != 3) {
		return fail("pipe b on fd 3", EBADF);
	}
	if (close(parked) != 0) {
		return fail("close parked", errno);
	}
	if (write(a[1], "x", 1) != 1) {
		return fail("write a", errno);
	}
	printf("window\n");
	fflush(stdout);
	if (await_line("2") != 0) {
		return fail("line 2", EINVAL);
	}
	if (write(b[1], "y", 1) != 1) {
		return fail("write b", errno);
	}
	pthread_join(t, &res);
	if ((intptr_t)res < 0) {
		return fail("A's read", EIO);
	}
	printf("A read %c\n", (char)(intptr_t)res);
	fflush(stdout);
	return (intptr_t)res == 'x' ? 0 : 1;
}

/* one read of fd 0, printed as "got <text>" (without its newline) */
static void *stdin_reader(void *arg)
{
	char line[64];
	ssize_t n = read(0, line, sizeof(line) - 1);

	(void)arg;
	if (n <= 0) {
		printf("read FAILED (%zd, %s)\n", n, n < 0 ? strerror(errno) : "EOF");
		fflush(stdout);
		return (void *)1;
	}
	line[n] = '\0';
	line[strcspn(line, "\n")] = '\0';
	printf("got %s\n", line);
	fflush(stdout);
	return NULL;
}

static int stdin_pair(void)
{
	pthread_t t[2];
	void *res[2] = { NULL, NULL };
	int rc = 0;

	for (int i = 0; i < 2; i++) {
		rc = pthread_create(&t[i], NULL, stdin_reader, NULL);
		if (rc != 0) {
			return fail("pthread_create", rc);
		}
	}
	for (int i = 0; i < 2; i++) {
		pthread_join(t[i], &res[i]);
	}
	printf("done\n");
	fflush(stdout);
	return res[0] || res[1] ? 1 : 0;
}

static void *dup_stdin_reader(void *arg)
{
	int lines = (int)(intptr_t)arg;
	char line[64];

	if (dup2(0, 5) != 5) {
		fail("dup2", errno);
		return (void *)1;
	}
	for (int i = 0; i < lines; i++) {
		ssize_t n = read(5, line, sizeof(line) - 1);

		if (n <= 0) {
			fail("read", n < 0 ? errno : EIO);
			return (void *)1;
		}
		line[n] = '\0';
		line[strcspn(line, "\n")] = '\0';
		printf("line %s\n", line);
		fflush(stdout);
	}
	return NULL;
}

static int dup_stdin(int lines)
{
	pthread_t t;
	void *res = NULL;
	int rc = pthread_create(&t, NULL, dup_stdin_reader, (void *)(intptr_t)lines);

	if (rc != 0) {
		return fail("pthread_create", rc);
	}
	pthread_join(t, &res);
	printf("done\n");
	fflush(stdout);
	return res ? 1 : 0;
}

static atomic_int round_no; /* odd: main has closed fd 5; even: B is done */
static atomic_int failed_writes;

struct cd_args {
	int rounds, src, dst;
};

static void *cd_thread(void *arg)
{
	const struct cd_args *a = arg;

	for (int i = 0; i < a->rounds; i++) {
		while (atomic_load(&round_no) != 2 * i + 1) {
			sched_yield();
		}
		if (dup2(a->src, a->dst) != a->dst || write(a->dst, "z", 1) != 1) {
			atomic_fetch_add(&failed_writes, 1);
		}
		atomic_store(&round_no, 2 * i + 2);
	}
	return NULL;
}

static int close_dup2(int rounds)
{
	struct cd_args a = { rounds, -1, -1 };
	int p[2] = { -1, -1 };
	pthread_t t;
	int rc = 0;
	char byte = 0;

	if (rounds < 1 || pipe(p) != 0) {
		return fail("pipe", errno);
	}
	a.src = p[1];
	a.dst = dup(p[1]);
	if (a.dst < 0) {
		return fail("dup", errno);
	}
	rc = pthread_create(&t, NULL, cd_thread, &a);
	if (rc != 0) {
		return fail("pthread_create", rc);
	}
	for (int i = 0; i < rounds; i++) {
		int before = atomic_load(&failed_writes);

		if (close(a.dst) != 0) {
			return fail("close", errno);
		}
		atomic_store(&round_no, 2 * i + 1);
		while (atomic_load(&round_no) != 2 * i + 2) {
			sched_yield();
		}
		/* drain B's byte (none when its write failed) */
		if (atomic_load(&failed_writes) == before && read(p[0], &byte, 1) != 1) {
			return fail("read", errno);
		}
	}
	pthread_join(t, NULL);
	printf("close-dup2 failed writes: %d\n", atomic_load(&failed_writes));
	fflush(stdout);
	return atomic_load(&failed_writes) == 0 ? 0 : 1;
}

static void *resolver(void *arg)
{
	struct addrinfo hints, *res = NULL;

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_INET;
	hints.ai_socktype = SOCK_STREAM;
	if (getaddrinfo(arg, NULL, &hints, &res) == 0) {
		freeaddrinfo(res);
	}
	return NULL;
}

static int resolve_end(char *name)
{
	pthread_t t;
	int rc = pthread_create(&t, NULL, resolver, name);

	if (rc != 0) {
		return fail("pthread_create", rc);
	}
	if (await_line("end") != 0) {
		return fail("line end", EINVAL);
	}
	printf("ending\n");
	fflush(stdout);
	return 0; /* the resolver thread is still in its lookup */
}

struct slow_args {
	const char *dir;
	bool fsync;
};

static void *slow_call(void *arg)
{
	const struct slow_args *a = arg;
	char path[4096];
	DIR *d = NULL;
	int fd = -1;

	if (a->fsync) {
		snprintf(path, sizeof(path), "%s/synced", a->dir);
		fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		if (fd < 0 || write(fd, "x", 1) != 1 || fsync(fd) != 0) {
			fail("fsync", errno);
			return (void *)1;
		}
		close(fd);
	} else {
		d = opendir(a->dir);
		if (!d || !readdir(d)) {
			fail("readdir", errno);
			return (void *)1;
		}
		closedir(d);
	}
	printf("A done\n");
	fflush(stdout);
	return NULL;
}

static int slow(const char *dir, const char *what)
{
	struct slow_args a = { dir, strcmp(what, "fsync") == 0 };
	pthread_t t;
	void *res = NULL;
	int rc = pthread_create(&t, NULL, slow_call, &a);

	if (rc != 0) {
		return fail("pthread_create", rc);
	}
	if (await_line("go") != 0) {
		return fail("line go", EINVAL);
	}
	printf("main goes on\n");
	fflush(stdout);
	pthread_join(t, &res);
	return res ? 1 : 0;
}

static void *cancel_reader(void *arg)
{
	char c = 0;

	return (void *)(intptr_t)read((int)(intptr_t)arg, &c, 1);
}

static int cancel_mode(void)
{
	int p[2] = { -1, -1 };
	pthread_t t;
	void *res = NULL;
	int rc = 0;

	if (pipe(p) != 0) {
		return fail("pipe", errno);
	}
	rc = pthread_create(&t, NULL, cancel_reader, (void *)(intptr_t)p[0]);
	if (rc != 0) {
		return fail("pthread_create", rc);
	}
	rc = pthread_cancel(t);
	printf("cancel: %s\n", rc == ENOSYS ? "ENOSYS" : rc == 0 ? "0" : strerror(rc));
	fflush(stdout);
	if (write(p[1], "x", 1) != 1) {
		return fail("write", errno);
	}
	pthread_join(t, &res);
	printf("joined: %s\n", res == PTHREAD_CANCELED ? "canceled" : "returned");
	fflush(stdout);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 2 && strcmp(argv[1], "stale-read") == 0) {
		return stale_read();
	}
	if (argc == 3 && strcmp(argv[1], "close-dup2") == 0) {
		return close_dup2(atoi(argv[2]));
	}
	if (argc == 2 && strcmp(argv[1], "stdin-pair") == 0) {
		return stdin_pair();
	}
	if (argc == 3 && strcmp(argv[1], "dup-stdin") == 0) {
		return dup_stdin(atoi(argv[2]));
	}
	if (argc == 3 && strcmp(argv[1], "resolve-end") == 0) {
		return resolve_end(argv[2]);
	}
	if (argc == 2 && strcmp(argv[1], "cancel") == 0) {
		return cancel_mode();
	}
	if (argc == 4 && strcmp(argv[1], "slow") == 0 &&
	    (strcmp(argv[3], "fsync") == 0 || strcmp(argv[3], "getdents") == 0)) {
		return slow(argv[2], argv[3]);
	}
	fprintf(stderr,
		"usage: %s stale-read | close-dup2 ROUNDS | stdin-pair | dup-stdin N | "
		"resolve-end NAME | slow DIR fsync|getdents | cancel\n",
		argv[0]);
	return 64;
}
