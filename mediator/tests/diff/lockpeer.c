/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The other process of the locks family (diff_locks.c): a native program, started by
 * run_diff.sh --peer beside each variant (native, local, TA), that takes and tests record
 * locks on the same file when the program asks, so that each variant contends with a
 * real second process. Its answers are normalised (errno names, pid=ta / pid=peer /
 * pid=-1 / pid=other) so the transcripts of the variants can be equal.
 *
 *   lockpeer DIR ready-fifo   serve: listen on the abstract socket tr_unix_addr(DIR,
 *                             "lockpeer", 1), write "ready" into the FIFO, serve one
 *                             connection, exit 0 after "quit" (1 on a failure)
 *   lockpeer DIR --check F    exit 0 if nobody holds a lock on DIR/F, else 1 (run after
 *                             the variant ended: its locks must be gone with it)
 *
 * Requests, one line each, one line answered:
 *   open NAME          opens DIR/NAME read-write                 -> ok
 *   pid N              the program's pid, for pid=ta              -> ok
 *   lock T S L         F_SETLK (T: r, w, u) on [S, S+L)           -> 0 | -1 ERRNO
 *   get T S L          F_GETLK                                    -> unlck | rdlck/wrlck S L
 * pid=... block T S L        F_SETLKW in a thread; answered once the kernel lists that thread's
 *                      wait (/proc/locks)                         -> blocked
 *   result             the blocked F_SETLKW's result              -> 0 | -1 ERRNO
 *   waiter             answered once a wait of the program's pid is listed -> waiting
 *   unlock-on-wait S L answered at once; then, once a wait of the program is listed,
 *                      unlocks [S, S+L)                           -> ok
 *   quit                                                          -> bye
 * The waits poll /proc/locks until the state is there (no time limit: CTest's timeout).
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "tr.h"

static int fd = -1;
static long ta_pid = -1;
static pthread_t blocker;
static struct flock blocked_fl;
static int blocked_ret, blocked_err;

static const char *err_name(int e)
{
	switch (e) {
	case EAGAIN:
		return "EAGAIN";
	case EACCES:
		return "EACCES";
	case EDEADLK:
		return "EDEADLK";
	case EBADF:
		return "EBADF";
	case EINVAL:
		return "EINVAL";
	case EINTR:
		return "EINTR";
	default:
		return "E?";
	}
}

static bool parse_fl(const char *args, struct flock *fl)
{
	char t = 0;
	long long s = 0, l = 0;

	if (sscanf(args, " %c %lld %lld", &t, &s, &l) != 3) {
		return false;
	}
	memset(fl, 0, sizeof(*fl));
	fl->l_type = t == 'r' ? F_RDLCK : t == 'w' ? F_WRLCK : F_UNLCK;
	fl->l_whence = SEEK_SET;
	fl->l_start = s;
	fl->l_len = l;
	return true;
}

/* Whether /proc/locks lists a blocked POSIX request of pid on our file. */
static bool waiting(long pid)
{
	char line[256];
	struct stat st;
	bool found = false;
	FILE *f = NULL;

	if (fd < 0 || fstat(fd, &st) != 0) {
		return false;
	}
	f = fopen("/proc/locks", "re");
	if (!f) {
		return false;
	}
	while (!found && fgets(line, sizeof(line), f)) {
		char n[16], arrow[8], kind[16], adv[16], rw[16], devino[64];
		unsigned long ino = 0;
		long p = 0;
		char *c = NULL;

		if (sscanf(line, "%15s %7s %15s %15s %15s %ld %63s", n, arrow, kind, adv, rw, &p,
			   devino) != 7 ||
		    strcmp(arrow, "->") != 0 || strcmp(kind, "POSIX") != 0) {
			continue;
		}
		c = strrchr(devino, ':');
		ino = c ? strtoul(c + 1, NULL, 10) : 0;
		found = p == pid && ino == (unsigned long)st.st_ino;
	}
	fclose(f);
	return found;
}

static void wait_until_waiting(long pid)
{
	const struct timespec tick = { 0, 2 * 1000 * 1000 };

	while (!waiting(pid)) {
		nanosleep(&tick, NULL);
	}
}

static void *block_thread(void *arg)
{
	(void)arg;
	blocked_ret = fcntl(fd, F_SETLKW, &blocked_fl);
	blocked_err = errno;
	return NULL;
}

static void answer_lock(char *out, size_t n, int r)
{
	if (r == 0) {
		snprintf(out, n, "0");
	} else {
		snprintf(out, n, "-1 %s", err_name(errno));
	}
}

/* One request; false: quit. */
static bool serve_one(const char *dir, char *req, char *out, size_t n)
{
	struct flock fl;
	char path[4096];

	snprintf(out, n, "bad request");
	if (strncmp(req, "open ", 5) == 0) {
		tr_join(path, sizeof(path), dir, req + 5);
		fd = open(path, O_RDWR | O_CLOEXEC);
		snprintf(out, n, fd >= 0 ? "ok" : "open failed");
	} else if (strncmp(req, "pid ", 4) == 0) {
		ta_pid = strtol(req + 4, NULL, 10);
		snprintf(out, n, "ok");
	} else if (strncmp(req, "lock ", 5) == 0 && parse_fl(req + 5, &fl)) {
		answer_lock(out, n, fcntl(fd, F_SETLK, &fl));
	} else if (strncmp(req, "get ", 4) == 0 && parse_fl(req + 4, &fl)) {
		if (fcntl(fd, F_GETLK, &fl) != 0) {
			answer_lock(out, n, -1);
		} else if (fl.l_type == F_UNLCK) {
			snprintf(out, n, "unlck");
		} else {
			snprintf(out, n, "%s %lld %lld pid=%s",
				 fl.l_type == F_RDLCK ? "rdlck" : "wrlck", (long long)fl.l_start,
				 (long long)fl.l_len,
				 fl.l_pid == ta_pid     ? "ta"
				 : fl.l_pid == -1       ? "-1"
				 : fl.l_pid == getpid() ? "peer"
							: "other");
		}
	} else if (strncmp(req, "block ", 6) == 0 && parse_fl(req + 6, &blocked_fl)) {
		if (pthread_create(&blocker, NULL, block_thread, NULL) == 0) {
			wait_until_waiting(getpid());
			snprintf(out, n, "blocked");
		}
	} else if (strcmp(req, "result") == 0) {
		pthread_join(blocker, NULL);
		errno = blocked_err;
		answer_lock(out, n, blocked_ret);
	} else if (strcmp(req, "waiter") == 0) {
		wait_until_waiting(ta_pid);
		snprintf(out, n, "waiting");
	} else if (strncmp(req, "unlock-on-wait ", 15) == 0) {
		snprintf(out, n, "ok");
	} else if (strcmp(req, "quit") == 0) {
		snprintf(out, n, "bye");
		return false;
	}
	return true;
}

static int serve(const char *dir, const char *ready)
{
	struct sockaddr_un sa;
	socklen_t len = tr_unix_addr(&sa, dir, "lockpeer", 1);
	char req[256], out[256];
	FILE *in = NULL;
	/* opened first: run_diff.sh's read of it ends even if the socket fails */
	FILE *r = fopen(ready, "we");
	int ls = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0), c = -1;
	bool ok = ls >= 0 && bind(ls, (struct sockaddr *)&sa, len) == 0 && listen(ls, 1) == 0;

	if (!ok) {
		perror("lockpeer: socket");
	}
	if (!r || fputs(ok ? "ready\n" : "failed\n", r) < 0 || fclose(r) != 0) {
		perror("lockpeer: ready fifo");
		return 1;
	}
	if (!ok) {
		return 1;
	}
	c = accept(ls, NULL, NULL);
	in = c >= 0 ? fdopen(c, "r") : NULL;
	if (!in) {
		perror("lockpeer: accept");
		return 1;
	}
	snprintf(out, sizeof(out), "hello %ld\n", (long)getpid());
	if (write(c, out, strlen(out)) < 0) {
		return 1;
	}
	while (fgets(req, sizeof(req), in)) {
		bool more = false;

		req[strcspn(req, "\n")] = '\0';
		more = serve_one(dir, req, out, sizeof(out));
		strcat(out, "\n");
		if (write(c, out, strlen(out)) < 0) {
			return 1;
		}
		if (strncmp(req, "unlock-on-wait ", 15) == 0) {
			long long s = 0, l = 0;
			struct flock fl = { .l_type = F_UNLCK, .l_whence = SEEK_SET };

			if (sscanf(req + 15, "%lld %lld", &s, &l) != 2) {
				return 1;
			}
			fl.l_start = s;
			fl.l_len = l;
			wait_until_waiting(ta_pid);
			if (fcntl(fd, F_SETLK, &fl) != 0) {
				return 1;
			}
		}
		if (!more) {
			return 0;
		}
	}
	fprintf(stderr, "lockpeer: the program left without quit\n");
	return 1;
}

static int check(const char *dir, const char *name)
{
	struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 0 };
	char path[4096];

	tr_join(path, sizeof(path), dir, name);
	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0 || fcntl(fd, F_GETLK, &fl) != 0) {
		perror("lockpeer --check");
		return 1;
	}
	if (fl.l_type != F_UNLCK) {
		fprintf(stderr, "lockpeer: %s still locked by pid %ld after the program ended\n",
			path, (long)fl.l_pid);
		return 1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 4 && strcmp(argv[2], "--check") == 0) {
		return check(argv[1], argv[3]);
	}
	if (argc != 3) {
		fprintf(stderr, "usage: lockpeer DIR READY-FIFO | lockpeer DIR --check FILE\n");
		return 2;
	}
	return serve(argv[1], argv[2]);
}
