/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A third-party-style program in the differential suite: a small `ls -ln` / `stat` tool
 * written as an ordinary program would be (scandir + alphasort, lstat, readlink, strftime
 * on gmtime, getcwd for its header), unaware of the mediator. The fixture first builds a
 * small tree in the scratch dir with fixed modes and times (umask, chmod, utimensat,
 * symlink, link, mkfifo, truncate), then lists it; the listing (ownership printed as
 * "uid"/"gid" tokens, inode numbers left out) must be identical natively and as a TA.
 * Then the tree (and a dangling symlink) is walked with nftw (FTW_PHYS, FTW_DEPTH, none, a
 * file, a missing root, a callback that stops the walk) and ftw, entries sorted.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* ---------------- the tool ---------------- */

static void mode_string(mode_t m, char out[11])
{
	static const char *rwx = "rwxrwxrwx";

	out[0] = S_ISDIR(m) ? 'd' : S_ISLNK(m) ? 'l' : S_ISFIFO(m) ? 'p' : S_ISSOCK(m) ? 's' : '-';
	for (int i = 0; i < 9; i++) {
		out[i + 1] = (m & (0400 >> i)) ? rwx[i] : '-';
	}
	if (m & S_ISUID) {
		out[3] = (m & S_IXUSR) ? 's' : 'S';
	}
	if (m & S_ISVTX) {
		out[9] = (m & S_IXOTH) ? 't' : 'T';
	}
	out[10] = '\0';
}

static int list_one(const char *dir, const char *name)
{
	char path[4096], mode[11], when[32], target[256];
	struct stat st;
	struct tm tm;
	ssize_t n = 0;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (lstat(path, &st) != 0) {
		fprintf(stderr, "lsl: cannot access '%s': %s\n", name, strerror(errno));
		return 1;
	}
	mode_string(st.st_mode, mode);
	gmtime_r(&st.st_mtime, &tm);
	strftime(when, sizeof(when), "%Y-%m-%d %H:%M", &tm);
	printf("%s %2lu %s %s %6lld %s %s", mode, (unsigned long)st.st_nlink,
	       st.st_uid == getuid() ? "uid" : "other", st.st_gid == getgid() ? "gid" : "other",
	       S_ISDIR(st.st_mode) ? 0LL : (long long)st.st_size, when, name);
	if (S_ISLNK(st.st_mode)) {
		n = readlink(path, target, sizeof(target) - 1);
		if (n >= 0) {
			target[n] = '\0';
			printf(" -> %s", target);
		}
	}
	putchar('\n');
	return 0;
}

static int not_hidden(const struct dirent *d)
{
	return d->d_name[0] != '.';
}

static int lsl_main(int argc, char **argv)
{
	int status = 0;

	for (int i = 1; i < argc; i++) {
		struct dirent **names = NULL;
		int n = scandir(argv[i], &names, not_hidden, alphasort);

		if (n < 0) {
			fprintf(stderr, "lsl: cannot open directory '%s': %s\n", argv[i],
				strerror(errno));
			status = 2;
			continue;
		}
		printf("%s:\n", strcmp(argv[i], ".") == 0 ? "." : strrchr(argv[i], '/') + 1);
		for (int k = 0; k < n; k++) {
			status |= list_one(argv[i], names[k]->d_name);
			free(names[k]);
		}
		free(names);
	}
	return status;
}

/* ---------------- the fixture ---------------- */

static void must(int ok, const char *what)
{
	if (!ok) {
		fprintf(stderr, "lsl fixture: %s: %s\n", what, strerror(errno));
		exit(1);
	}
}

/* ---- the same tree walked with nftw and ftw (libtzm's; glibc's failed in a TA) ---- */

static char walk_lines[64][160];
static size_t walk_count;
static int walk_stop_after; /* > 0: the callback returns 7 at that entry */

static int walk_line(const char *path, const struct stat *st, int type, int base, int level)
{
	static const char *const names[] = {
		[FTW_F] = "F",   [FTW_D] = "D",   [FTW_DNR] = "DNR", [FTW_NS] = "NS",
		[FTW_SL] = "SL", [FTW_DP] = "DP", [FTW_SLN] = "SLN"
	};

	if (walk_count < sizeof(walk_lines) / sizeof(walk_lines[0])) {
		snprintf(walk_lines[walk_count++], sizeof(walk_lines[0]), "%s %d %s %s %o",
			 names[type], level, path + base, path,
			 type == FTW_NS ? 0 : (unsigned)(st->st_mode & 07777));
	}
	return walk_stop_after > 0 && (int)walk_count == walk_stop_after ? 7 : 0;
}

static int on_nftw(const char *path, const struct stat *st, int type, struct FTW *where)
{
	return walk_line(path, st, type, where->base, where->level);
}

static int on_ftw(const char *path, const struct stat *st, int type)
{
	return walk_line(path, st, type, 0, -1);
}

static int by_text(const void *a, const void *b)
{
	return strcmp(a, b);
}

/* Runs one walk and prints its status, errno and its entries sorted (readdir order varies). */
static void walk_print(const char *what, int rc)
{
	int err = errno;

	qsort(walk_lines, walk_count, sizeof(walk_lines[0]), by_text);
	printf("%s = %d%s\n", what, rc, rc == -1 && err == ENOENT ? " ENOENT" : "");
	for (size_t i = 0; i < walk_count; i++) {
		printf("  %s\n", walk_lines[i]);
	}
	walk_count = 0;
}

static void walks(void)
{
	int fd = -1;

	must(symlink("nowhere", "tree/dangling") == 0, "dangling symlink");
	must(mkdir("tree/docs/deep", 0750) == 0, "mkdir deep");
	must((fd = open("tree/docs/deep/x", O_CREAT | O_WRONLY, 0640)) >= 0 && close(fd) == 0, "x");
	walk_print("nftw(tree, FTW_PHYS)", nftw("tree", on_nftw, 8, FTW_PHYS));
	walk_print("nftw(tree/, FTW_PHYS|FTW_DEPTH)",
		   nftw("tree/", on_nftw, 8, FTW_PHYS | FTW_DEPTH));
	walk_print("nftw(tree, 0)", nftw("tree", on_nftw, 8, 0));
	walk_print("ftw(tree)", ftw("tree", on_ftw, 8));
	walk_print("nftw(tree/a.txt, 0)", nftw("tree/a.txt", on_nftw, 8, 0));
	walk_print("nftw(missing, 0)", nftw("missing", on_nftw, 8, 0));
	walk_stop_after = 1;
	walk_print("nftw(tree, FTW_PHYS) stopped at the first entry",
		   nftw("tree", on_nftw, 8, FTW_PHYS));
	walk_stop_after = 0;
	must(unlink("tree/dangling") == 0 && unlink("tree/docs/deep/x") == 0 &&
		     rmdir("tree/docs/deep") == 0,
	     "clean up");
}

int main(int argc, char **argv)
{
	struct timespec t[2] = { { 1700000000, 0 }, { 1700000000, 0 } };
	const char *names[] = { "a.txt", "bin", "docs", "fifo", "hard.txt", "link", ".hidden" };
	char cwd[4096], sub[4200];
	char *args[3];
	int fd = -1, rc = 0;

	if (argc < 2) {
		return 2;
	}
	printf("# lsl: an ls -ln written as any program\n");
	must(chdir(argv[1]) == 0, "chdir");
	must(getcwd(cwd, sizeof(cwd)) != NULL, "getcwd");
	umask(022);
	must(mkdir("tree", 0777) == 0, "mkdir tree");
	must(chdir("tree") == 0, "chdir tree");
	must((fd = open("a.txt", O_CREAT | O_WRONLY, 0666)) >= 0, "create a.txt");
	must(write(fd, "hello, tree\n", 12) == 12, "write");
	must(close(fd) == 0, "close");
	must(truncate("a.txt", 1000) == 0, "truncate");
	must(link("a.txt", "hard.txt") == 0, "link");
	must(mkdir("bin", 0755) == 0 && chmod("bin", 01777) == 0, "bin");
	must(mkdir("docs", 0700) == 0, "docs");
	must(mkfifo("fifo", 0640) == 0, "fifo");
	must(symlink("docs/../a.txt", "link") == 0, "symlink");
	must((fd = open(".hidden", O_CREAT | O_WRONLY, 0600)) >= 0 && close(fd) == 0, "hidden");
	must(chmod("a.txt", 04755) == 0, "chmod");
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		t[1].tv_sec = 1700000000 + (time_t)i * 86400 * 31;
		must(utimensat(AT_FDCWD, names[i], t, AT_SYMLINK_NOFOLLOW) == 0, names[i]);
	}
	must(chdir("..") == 0, "chdir ..");
	snprintf(sub, sizeof(sub), "%s/tree", cwd);
	args[0] = "lsl";
	args[1] = sub;
	args[2] = "missing";
	rc = lsl_main(3, args);
	printf("lsl status %d\n", rc);
	walks();
	printf("# end\n");
	return rc == 2 ? 0 : 1;
}
