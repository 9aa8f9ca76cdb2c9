// SPDX-License-Identifier: BSD-2-Clause
/*
 * filetool IN OUT [deny]: a file-processing program that builds natively and as a Wasm TA
 * from this one source. It counts lines, words and bytes of every regular file in IN
 * (sorted by name), writes a report into OUT and exercises the file calls a program
 * typically makes there: create, write, fsync, fstat, mkdir, rename, pwrite/pread, lseek,
 * ftruncate, symlink/readlink, lstat, unlink, rmdir. Its output is the same wherever it
 * runs (no inode numbers or times), so runs can be compared line by line. With "deny" it
 * also checks that writing into IN is refused (run it so under a policy where IN is
 * read-only).
 */
#include <tzm_test.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/*
 * A check of a file call: the first one that fails ends the run with tzm_test.h's report
 * (the check, errno at that point, the step) on stderr and exit status 1, so the run's
 * output never reaches "all ok".
 */
static void check(bool ok, const char *what)
{
	int err = errno;

	TEST_CONTEXT("%s (errno %s)", what, tzm_test_errno_name(err));
	ASSERT_TRUE(ok);
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void count(const char *dir, const char *name, FILE *report)
{
	char path[1024];
	char buf[4096];
	long lines = 0, words = 0, bytes = 0;
	int in_word = 0;
	ssize_t n = 0;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	int fd = open(path, O_RDONLY);
	check(fd >= 0, "open input");
	if (fd < 0) {
		return;
	}
	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		for (ssize_t i = 0; i < n; i++) {
			bytes++;
			lines += buf[i] == '\n';
			int space = buf[i] == ' ' || buf[i] == '\n' || buf[i] == '\t';
			words += !space && !in_word;
			in_word = !space;
		}
	}
	check(n == 0, "read input");
	close(fd);
	fprintf(report, "%s: %ld %ld %ld\n", name, lines, words, bytes);
	printf("%s: %ld %ld %ld\n", name, lines, words, bytes);
}

int main(int argc, char **argv)
{
	char p[1024], q[1024], link[1024];
	struct stat st;

	if (argc < 3) {
		fprintf(stderr, "usage: filetool IN OUT [deny]\n");
		return 2;
	}
	const char *in = argv[1], *out = argv[2];

	/* 1. the input directory, sorted */
	DIR *d = opendir(in);
	check(d != NULL, "opendir");
	if (d == NULL) {
		return 1;
	}
	char **names = NULL;
	size_t n = 0;
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) {
			continue;
		}
		names = realloc(names, (n + 1) * sizeof(*names));
		names[n++] = strdup(e->d_name);
	}
	closedir(d);
	qsort(names, n, sizeof(*names), by_name);
	printf("%zu entries in IN\n", n);

	/* 2. counts into OUT/report.txt */
	snprintf(p, sizeof(p), "%s/report.txt", out);
	FILE *report = fopen(p, "w");
	check(report != NULL, "create report");
	if (report == NULL) {
		return 1;
	}
	size_t files = 0;
	for (size_t i = 0; i < n; i++) {
		snprintf(q, sizeof(q), "%s/%s", in, names[i]);
		if (stat(q, &st) == 0 && S_ISREG(st.st_mode) && files++ < 5) {
			count(in, names[i], report);
		}
		free(names[i]);
	}
	free(names);
	printf("%zu regular files\n", files);
	check(fflush(report) == 0 && fsync(fileno(report)) == 0, "fsync");
	check(fstat(fileno(report), &st) == 0, "fstat");
	printf("report: %lld bytes, regular %d\n", (long long)st.st_size, S_ISREG(st.st_mode));
	fclose(report);

	/* 3. a subdirectory, rename into it */
	snprintf(q, sizeof(q), "%s/sub", out);
	check(mkdir(q, 0755) == 0, "mkdir");
	check(mkdir(q, 0755) != 0 && errno == EEXIST, "mkdir again: EEXIST");
	snprintf(q, sizeof(q), "%s/sub/report.txt", out);
	check(rename(p, q) == 0, "rename");
	check(stat(p, &st) != 0 && errno == ENOENT, "old name gone: ENOENT");
	check(stat(q, &st) == 0 && S_ISREG(st.st_mode), "stat new name");

	/* 4. positioned I/O, seek, truncate */
	int fd = open(q, O_RDWR);
	check(fd >= 0, "open rw");
	char six[7] = { 0 };
	check(pwrite(fd, "REPORT", 6, 0) == 6, "pwrite");
	check(pread(fd, six, 6, 0) == 6 && strcmp(six, "REPORT") == 0, "pread");
	off_t end = lseek(fd, 0, SEEK_END);
	printf("seek end: %lld\n", (long long)end);
	check(lseek(fd, 2, SEEK_SET) == 2 && read(fd, six, 4) == 4, "seek + read");
	printf("at 2: %.4s\n", six);
	check(ftruncate(fd, 6) == 0 && fstat(fd, &st) == 0 && st.st_size == 6, "ftruncate");
	check(lseek(fd, 0, SEEK_CUR) == 6, "tell");
	close(fd);
	fd = open(q, O_WRONLY | O_APPEND);
	check(fd >= 0 && write(fd, "+more\n", 6) == 6, "append");
	close(fd);
	check(stat(q, &st) == 0 && st.st_size == 12, "size after append");

	/* 5. symlink, readlink, lstat */
	snprintf(link, sizeof(link), "%s/sub/link", out);
	check(symlink("report.txt", link) == 0, "symlink");
	ssize_t len = readlink(link, p, sizeof(p) - 1);
	check(len == 10, "readlink");
	p[len > 0 ? len : 0] = '\0';
	printf("link -> %s\n", p);
	check(lstat(link, &st) == 0 && S_ISLNK(st.st_mode), "lstat");
	check(stat(link, &st) == 0 && S_ISREG(st.st_mode) && st.st_size == 12, "stat via link");

	/* 6. clean up */
	snprintf(p, sizeof(p), "%s/sub", out);
	check(rmdir(p) != 0 && errno == ENOTEMPTY, "rmdir non-empty: ENOTEMPTY");
	check(unlink(link) == 0 && unlink(q) == 0, "unlink");
	check(rmdir(p) == 0, "rmdir");
	check(open(q, O_RDONLY) < 0 && errno == ENOENT, "open removed: ENOENT");

	if (argc > 3 && strcmp(argv[3], "deny") == 0) {
		snprintf(p, sizeof(p), "%s/new.txt", in);
		fd = open(p, O_WRONLY | O_CREAT, 0644);
		check(fd < 0 && (errno == EACCES || errno == EPERM), "create in IN refused");
		printf("create in IN: %s\n", fd < 0 ? "refused" : "allowed");
	}
	printf("all ok\n");
	return 0;
}
