/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The calls that must NOT drop a process's POSIX record locks on a file, for
 * test_lockkeep.sh: the program write-locks DIR/kept.db, then makes calls that name the
 * file without closing a descriptor of it, and after each group prints a step name and
 * waits for a line on stdin, while the script checks from another process that the lock
 * is still held. As a TA every such call makes the shadow (the process holding the TA's
 * locks) touch the file: by path through O_PATH descriptors (stat, access, realpath,
 * chmod, utimes, truncate), and an open refused with EMFILE because the TA's table is
 * full (the shadow opened the file and closed it again: a402ddd). Natively none of these
 * drops the lock; the last step closes a second descriptor, which does (POSIX).
 *
 *   lockkeep DIR       (a bad argument: status 64, for common.sh's warm-up)
 *   lockkeep --stdout  (stdout the locked file: closing fd 1 drops the lock)
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

static void step(const char *name)
{
	char line[16];

	printf("%s\n", name);
	fflush(stdout);
	if (!fgets(line, sizeof(line), stdin)) {
		exit(3);
	}
}

static void check(int ok, const char *what)
{
	if (!ok) {
		printf("FAIL %s (errno %d)\n", what, errno);
		fflush(stdout);
		exit(1);
	}
}

/*
 * lockkeep --stdout: stdout is DIR/kept.db (the script redirects it); the lock is taken
 * through fd 1 and closing fd 1 must drop it, also as a TA, whose fd 1 is tzm-run's own
 * stdout, which the shadow keeps open. Steps on stderr.
 */
static int stdout_locked(void)
{
	struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 0 };
	char line[16];

	if (fcntl(1, F_SETLK, &fl) != 0) {
		fprintf(stderr, "FAIL F_SETLK on stdout (errno %d)\n", errno);
		return 1;
	}
	fprintf(stderr, "locked\n");
	if (!fgets(line, sizeof(line), stdin)) {
		return 3;
	}
	if (close(1) != 0) {
		fprintf(stderr, "FAIL close(1) (errno %d)\n", errno);
		return 1;
	}
	fprintf(stderr, "closed\n");
	if (!fgets(line, sizeof(line), stdin)) {
		return 3;
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 0 };
	char path[PATH_MAX], real[PATH_MAX];
	struct stat st;
	int fd = -1, first = -1, n = 0;

	if (argc == 2 && strcmp(argv[1], "--stdout") == 0) {
		return stdout_locked();
	}
	if (argc != 2 || argv[1][0] != '/' ||
	    snprintf(path, sizeof(path), "%s/kept.db", argv[1]) >= (int)sizeof(path)) {
		fprintf(stderr, "usage: lockkeep DIR (absolute)\n");
		return 64;
	}
	fd = open(path, O_CREAT | O_RDWR, 0600);
	check(fd >= 0 && write(fd, "0123456789", 10) == 10, "create");
	check(fcntl(fd, F_SETLK, &fl) == 0, "F_SETLK");
	step("locked");
	check(stat(path, &st) == 0 && lstat(path, &st) == 0, "stat");
	check(access(path, R_OK | W_OK) == 0, "access");
	check(realpath(path, real) != NULL, "realpath");
	check(chmod(path, 0640) == 0, "chmod");
	check(utimes(path, NULL) == 0, "utimes");
	check(truncate(path, 10) == 0, "truncate");
	check(fsync(fd) == 0, "fsync");
	step("paths");
	/* fill the descriptor table with openings of the file itself, until EMFILE */
	for (int f = 0; n < 4096 && (f = open(path, O_RDONLY)) >= 0; n++) {
		first = first < 0 ? f : first;
	}
	check(n < 4096 && errno == EMFILE, "EMFILE");
	step("full");
	/* closing any descriptor of the file drops the lock (POSIX) */
	check(first >= 0 && close(first) == 0, "close");
	step("closed");
	return 0;
}
