/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * fts in the differential suite: the walks `find`, `du` and `rm -rf` make (and Tcl's `file
 * delete -force`), over a tree the fixture builds in the scratch dir: files, an empty
 * directory, a FIFO, a symbolic link to a directory, a dangling one and one back to an
 * ancestor. Walks (entries sorted by name, so readdir order does not matter): physical,
 * logical (a followed link, FTS_SLNONE, FTS_DC), FTS_NOSTAT (FTS_NSOK), FTS_SEEDOT,
 * FTS_COMFOLLOW, roots as given ("tree/", a file, a missing one: FTS_NS ENOENT) and
 * sorted, fts_children before the first read and on a directory (with FTS_NAMEONLY),
 * fts_set FTS_SKIP, FTS_FOLLOW and FTS_AGAIN, the option and path errors, a walk without
 * a comparison (its lines sorted), fts_close in mid-walk, and an `rm -rf` of the tree in
 * post-order through fts_accpath. libtzm's fts: glibc's failed in a TA (ENOSYS at first,
 * then the sandbox's refusal of its own system calls).
 */
#include <errno.h>
#include <fcntl.h>
#include <fts.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tr.h"

static const char *info_name(int info)
{
	static const char *const names[] = {
		[FTS_D] = "D",           [FTS_DC] = "DC",     [FTS_DEFAULT] = "DEFAULT",
		[FTS_DNR] = "DNR",       [FTS_DOT] = "DOT",   [FTS_DP] = "DP",
		[FTS_ERR] = "ERR",       [FTS_F] = "F",       [FTS_INIT] = "INIT",
		[FTS_NS] = "NS",         [FTS_NSOK] = "NSOK", [FTS_SL] = "SL",
		[FTS_SLNONE] = "SLNONE", [FTS_W] = "W",
	};

	return info >= 0 && info <= FTS_W && names[info] ? names[info] : "?";
}

static int by_name(const FTSENT **a, const FTSENT **b)
{
	return strcmp((*a)->fts_name, (*b)->fts_name);
}

/*
 * One entry: info, level, name, lengths, errno, (for FTS_D/F/SL/DP/DEFAULT) its mode, and,
 * with path set, its path and its length (glibc's fts_path is valid only for the entry
 * fts_read returned last: the entries share one buffer; a root's fts_pathlen is set when
 * fts_read reaches it).
 */
static void entry_line(char *out, size_t size, const FTSENT *e, int options, int path)
{
	int with_stat = !(options & FTS_NOSTAT) &&
			(e->fts_info == FTS_D || e->fts_info == FTS_F || e->fts_info == FTS_DP ||
			 e->fts_info == FTS_SL || e->fts_info == FTS_DEFAULT);
	char mode[16] = "";

	if (with_stat) {
		snprintf(mode, sizeof(mode), " mode=%o", (unsigned)(e->fts_statp->st_mode & 07777));
	}
	snprintf(out, size, "%s %d '%s' %s %u/%d err=%s%s%s%s", info_name(e->fts_info),
		 e->fts_level, e->fts_name, path ? e->fts_path : "-", e->fts_namelen,
		 path ? e->fts_pathlen : -1,
		 e->fts_errno == 0        ? "0"
		 : e->fts_errno == ENOENT ? "ENOENT"
					  : "other",
		 mode, e->fts_info == FTS_DC ? " cycle=" : "",
		 e->fts_info == FTS_DC ? e->fts_cycle->fts_name : "");
}

/* A whole walk in order; every entry's fts_accpath must name it from here. */
static void walk(const char *what, char *const *roots, int options,
		 int (*cmp)(const FTSENT **, const FTSENT **))
{
	FTS *fts = fts_open(roots, options, cmp);
	FTSENT *e = NULL;
	char line[512];
	struct stat st;

	printf("%s\n", what);
	ASSERT(fts != NULL);
	while ((errno = 0, e = fts_read(fts)) != NULL) {
		entry_line(line, sizeof(line), e, options, 1);
		printf("  %s\n", line);
		if (e->fts_info != FTS_NS && e->fts_info != FTS_DP) {
			ASSERT(lstat(e->fts_accpath, &st) == 0);
		}
	}
	printf("  end errno=%d\n", errno);
	EXPECT(0, 0, fts_close(fts));
}

static int by_text(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* A walk without a comparison: readdir order, so its lines are printed sorted. */
static void walk_unsorted(char *const *roots, int options)
{
	FTS *fts = fts_open(roots, options, NULL);
	FTSENT *e = NULL;
	char *lines[64];
	size_t n = 0;
	char line[512];

	printf("unsorted walk, lines sorted\n");
	ASSERT(fts != NULL);
	while ((e = fts_read(fts)) != NULL && n < 64) {
		entry_line(line, sizeof(line), e, options, 1);
		lines[n++] = strdup(line);
	}
	EXPECT(0, 0, fts_close(fts));
	qsort(lines, n, sizeof(lines[0]), by_text);
	for (size_t i = 0; i < n; i++) {
		printf("  %s\n", lines[i]);
		free(lines[i]);
	}
}

static void list(const char *what, const FTSENT *e, int options)
{
	char line[512];

	printf("%s (errno=%d)\n", what, errno);
	for (; e; e = e->fts_link) {
		entry_line(line, sizeof(line), e, options, 0);
		printf("  %s\n", line);
	}
}

/* fts_children and fts_set in the middle of a walk. */
static void steer(void)
{
	char *roots[] = { "tree", NULL };
	FTS *fts = fts_open(roots, FTS_PHYSICAL, by_name);
	FTSENT *e = NULL;
	char line[512];

	printf("steered walk\n");
	ASSERT(fts != NULL);
	list("children before the first read", fts_children(fts, 0), FTS_PHYSICAL);
	e = fts_read(fts); /* tree, FTS_D */
	list("children of tree, names only", fts_children(fts, FTS_NAMEONLY), FTS_NOSTAT);
	list("children of tree", fts_children(fts, 0), FTS_PHYSICAL);
	EXPECT(1, EINVAL, fts_set(fts, e, 99));
	EXPECT_PTR(1, EINVAL, fts_children(fts, 99));
	while ((e = fts_read(fts)) != NULL) {
		entry_line(line, sizeof(line), e, FTS_PHYSICAL, 1);
		printf("  %s\n", line);
		if (strcmp(e->fts_name, "sub") == 0 && e->fts_info == FTS_D) {
			EXPECT(0, 0, fts_set(fts, e, FTS_SKIP)); /* not entered */
		}
		if (strcmp(e->fts_name, "up") == 0 && e->fts_info == FTS_SL) {
			EXPECT(0, 0, fts_set(fts, e, FTS_FOLLOW)); /* read again, followed */
		}
		if (strcmp(e->fts_name, "a.txt") == 0 && e->fts_number == 0) {
			e->fts_number = 1;
			EXPECT(0, 0, fts_set(fts, e, FTS_AGAIN)); /* read again */
		}
		if (strcmp(e->fts_name, "empty") == 0 && e->fts_info == FTS_D) {
			list("children of the empty directory", fts_children(fts, 0), FTS_PHYSICAL);
		}
		if (strcmp(e->fts_name, "b.txt") == 0) {
			list("children of a file", fts_children(fts, 0), FTS_PHYSICAL);
		}
	}
	EXPECT(0, 0, fts_close(fts));
}

/* rm -rf: files and links on their visit, directories in post-order, by fts_accpath. */
static void remove_tree(const char *root)
{
	char *roots[] = { (char *)root, NULL };
	FTS *fts = fts_open(roots, FTS_PHYSICAL | FTS_NOSTAT | FTS_NOCHDIR, NULL);
	FTSENT *e = NULL;
	int removed = 0, failed = 0;

	ASSERT(fts != NULL);
	while ((e = fts_read(fts)) != NULL) {
		switch (e->fts_info) {
		case FTS_D:
			break;
		case FTS_DP:
			failed += rmdir(e->fts_accpath) != 0;
			removed++;
			break;
		default:
			failed += unlink(e->fts_accpath) != 0;
			removed++;
		}
	}
	EXPECT(0, 0, fts_close(fts));
	printf("rm -rf %s: %d removed, %d failed\n", root, removed, failed);
	EXPECT(-1, ENOENT, access(root, F_OK));
}

static void must(int ok, const char *what)
{
	if (!ok) {
		fprintf(stderr, "fts fixture: %s: %s\n", what, strerror(errno));
		exit(1);
	}
}

static void make_file(const char *path, const char *text, mode_t mode)
{
	int fd = open(path, O_CREAT | O_WRONLY | O_TRUNC, mode);

	must(fd >= 0, path);
	must(write(fd, text, strlen(text)) == (ssize_t)strlen(text), path);
	must(close(fd) == 0, path);
}

int main(int argc, char **argv)
{
	const char *dir = tr_begin("fts", argc, argv);
	char *one[] = { "tree", NULL };
	char *several[] = { "tree/empty/", "tree/a.txt", "missing", "tree/sub/deep", NULL };
	char *empty_path[] = { "tree", "", NULL };
	char *link_root[] = { "tree/up", NULL };

	must(chdir(dir) == 0, "chdir");
	umask(022);
	must(mkdir("tree", 0755) == 0, "mkdir tree");
	make_file("tree/a.txt", "alpha\n", 0644);
	make_file("tree/b.txt", "beta\n", 0600);
	must(mkdir("tree/empty", 0700) == 0, "mkdir empty");
	must(mkdir("tree/sub", 0750) == 0, "mkdir sub");
	make_file("tree/sub/c.txt", "gamma\n", 0640);
	must(mkdir("tree/sub/deep", 0755) == 0, "mkdir deep");
	make_file("tree/sub/deep/d.txt", "delta\n", 0444);
	must(mkfifo("tree/fifo", 0640) == 0, "mkfifo");
	must(symlink("sub", "tree/up") == 0, "symlink up");
	must(symlink("nowhere", "tree/dangling") == 0, "symlink dangling");
	must(symlink("..", "tree/sub/loop") == 0, "symlink loop");

	walk("physical", one, FTS_PHYSICAL, by_name);
	walk("physical, nochdir, seedot", one, FTS_PHYSICAL | FTS_NOCHDIR | FTS_SEEDOT, by_name);
	walk("physical, nostat", one, FTS_PHYSICAL | FTS_NOSTAT, by_name);
	walk("logical", one, FTS_LOGICAL, by_name);
	walk("roots as given", several, FTS_PHYSICAL, NULL);
	walk("roots sorted", several, FTS_PHYSICAL, by_name);
	walk("a link as the root, physical", link_root, FTS_PHYSICAL, by_name);
	walk("a link as the root, comfollow", link_root, FTS_PHYSICAL | FTS_COMFOLLOW, by_name);
	walk_unsorted(one, FTS_PHYSICAL | FTS_NOCHDIR);
	steer();

	EXPECT_PTR(1, EINVAL, fts_open(one, 0x1000, NULL));
	EXPECT_PTR(1, ENOENT, fts_open(empty_path, FTS_PHYSICAL, NULL));
	{
		FTS *fts = fts_open(one, FTS_PHYSICAL, by_name);

		ASSERT(fts != NULL);
		ASSERT(fts_read(fts) != NULL && fts_read(fts) != NULL);
		EXPECT(0, 0, fts_close(fts)); /* in mid-walk: everything is freed */
	}
	remove_tree("tree");
	return tr_end();
}
