/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * fts for a TA: fts_open, fts_read, fts_children, fts_set, fts_close (and the fts64_ forms
 * that _FILE_OFFSET_BITS=64 redirects to) over libtzm's lstat/stat/opendir/readdir, so
 * every step of the walk goes through the shadow under the TA's policy.
 *
 * glibc's fts stats and opens with its own system calls, which the TA sandbox refuses (in
 * local mode they walked the host's tree past the policy): Tcl's `file delete -force` and
 * `file copy` of a directory failed. This one follows glibc's observable behaviour: the
 * same order (roots as given or sorted by the comparison, entries of a directory in
 * readdir order or sorted), the same fts_info values (FTS_D, FTS_DP, FTS_DNR after the
 * FTS_D of an unreadable directory, FTS_DC, FTS_DOT with FTS_SEEDOT, FTS_NS with
 * fts_errno, FTS_NSOK with FTS_NOSTAT on a physical walk when the entry type says it is
 * not a directory, FTS_SL, FTS_SLNONE, FTS_F, FTS_DEFAULT), the same root names (the last
 * component, "" for "dir/"), fts_set's FTS_AGAIN, FTS_FOLLOW and FTS_SKIP, fts_children
 * with and without FTS_NAMEONLY and its list reused by the next fts_read, FTS_XDEV.
 *
 * One difference: the walk never changes directory, as if FTS_NOCHDIR were always set, so
 * fts_accpath is the whole path (glibc's is the name relative to the directory it changed
 * into); both name the same file from the caller's working directory. Each entry keeps a
 * path of its own (glibc's share one buffer that later entries overwrite).
 */
#include <dirent.h>
#include <errno.h>
#include <fts.h>
#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "tzm_int.h"

/* how a directory is read: for fts_children, for fts_children names only, for fts_read */
enum build_kind {
	BUILD_CHILDREN,
	BUILD_NAMES,
	BUILD_READ
};

typedef int (*fts_cmp)(const FTSENT **, const FTSENT **);

static bool is_dot(const char *name)
{
	return name[0] == '.' && (name[1] == '\0' || (name[1] == '.' && name[2] == '\0'));
}

static void entry_free(FTSENT *p)
{
	if (p) {
		free(p->fts_path);
		free(p->fts_statp);
		free(p);
	}
}

static void list_free(FTSENT *head)
{
	while (head) {
		FTSENT *next = head->fts_link;

		entry_free(head);
		head = next;
	}
}

/*
 * A new entry named name (namelen bytes) whose path is dir, a '/' unless dir ends with one
 * (or is empty), and the name; NULL with errno ENOMEM or ENAMETOOLONG (fts_pathlen is an
 * unsigned short).
 */
static FTSENT *entry_new(const char *dir, const char *name, size_t namelen)
{
	size_t dirlen = strlen(dir), sep = dirlen > 0 && dir[dirlen - 1] != '/' ? 1 : 0;
	size_t size = 0, pathlen = 0;
	FTSENT *p = NULL;

	if (__builtin_add_overflow(dirlen + sep, namelen, &pathlen) || pathlen >= USHRT_MAX ||
	    namelen >= USHRT_MAX) {
		errno = ENAMETOOLONG;
		return NULL;
	}
	size = offsetof(FTSENT, fts_name) + namelen + 1;
	p = calloc(1, size < sizeof(*p) ? sizeof(*p) : size);
	if (!p) {
		return NULL;
	}
	p->fts_path = malloc(pathlen + 1);
	p->fts_statp = calloc(1, sizeof(*p->fts_statp));
	if (!p->fts_path || !p->fts_statp) {
		entry_free(p);
		errno = ENOMEM;
		return NULL;
	}
	memcpy(p->fts_path, dir, dirlen);
	if (sep) {
		p->fts_path[dirlen] = '/';
	}
	memcpy(p->fts_path + dirlen + sep, name, namelen);
	p->fts_path[pathlen] = '\0';
	p->fts_pathlen = (unsigned short)pathlen;
	memcpy(p->fts_name, name, namelen);
	p->fts_name[namelen] = '\0';
	p->fts_namelen = (unsigned short)namelen;
	p->fts_accpath = p->fts_path; /* no change of directory: the whole path */
	p->fts_instr = FTS_NOINSTR;
	return p;
}

/* The fts_info of p after a stat (follow: through a symbolic link); fills p->fts_statp. */
static unsigned short entry_stat(FTS *sp, FTSENT *p, bool follow)
{
	struct stat *st = p->fts_statp;

	if ((sp->fts_options & FTS_LOGICAL) || follow) {
		if (stat(p->fts_accpath, st) != 0) {
			int err = errno;

			if (lstat(p->fts_accpath, st) == 0) {
				errno = 0;
				return FTS_SLNONE;
			}
			p->fts_errno = err;
			memset(st, 0, sizeof(*st));
			return FTS_NS;
		}
	} else if (lstat(p->fts_accpath, st) != 0) {
		p->fts_errno = errno;
		memset(st, 0, sizeof(*st));
		return FTS_NS;
	}
	if (S_ISDIR(st->st_mode)) {
		p->fts_dev = st->st_dev;
		p->fts_ino = st->st_ino;
		p->fts_nlink = st->st_nlink;
		if (is_dot(p->fts_name)) {
			return FTS_DOT;
		}
		for (FTSENT *t = p->fts_parent; t && t->fts_level >= FTS_ROOTLEVEL;
		     t = t->fts_parent) {
			if (t->fts_ino == p->fts_ino && t->fts_dev == p->fts_dev) {
				p->fts_cycle = t;
				return FTS_DC;
			}
		}
		return FTS_D;
	}
	if (S_ISLNK(st->st_mode)) {
		return FTS_SL;
	}
	return S_ISREG(st->st_mode) ? FTS_F : FTS_DEFAULT;
}

/* Sorts a list of n entries with the stream's comparison; unsorted if memory runs out. */
static FTSENT *list_sort(FTS *sp, FTSENT *head, int n)
{
	FTSENT **a = NULL;
	int i = 0;

	if (n > sp->fts_nitems) {
		a = realloc(sp->fts_array, (size_t)(n + 40) * sizeof(*a));
		if (!a) {
			return head;
		}
		sp->fts_array = a;
		sp->fts_nitems = n + 40;
	}
	a = sp->fts_array;
	for (FTSENT *p = head; p; p = p->fts_link) {
		a[i++] = p;
	}
	qsort(a, (size_t)n, sizeof(*a), sp->fts_compar);
	for (i = 0; i + 1 < n; i++) {
		a[i]->fts_link = a[i + 1];
	}
	a[n - 1]->fts_link = NULL;
	return a[0];
}

/*
 * The entries of the current directory: a list, or NULL with the directory's fts_info set
 * (BUILD_READ: FTS_DNR when it cannot be opened, FTS_DP when it is empty) or, after an
 * allocation failure, FTS_STOP set and errno.
 */
static FTSENT *build(FTS *sp, enum build_kind kind)
{
	FTSENT *cur = sp->fts_cur, *head = NULL, *tail = NULL;
	struct dirent *e = NULL;
	DIR *d = opendir(cur->fts_accpath);
	long nlinks = -1; /* subdirectories still to find (FTS_NOSTAT), 0: stat nothing */
	bool nostat = false;
	int n = 0;

	if (!d) {
		if (kind == BUILD_READ) {
			cur->fts_info = FTS_DNR;
			cur->fts_errno = errno;
		}
		return NULL;
	}
	if (kind == BUILD_NAMES) {
		nlinks = 0;
	} else if ((sp->fts_options & FTS_NOSTAT) && (sp->fts_options & FTS_PHYSICAL)) {
		nlinks = (long)cur->fts_nlink - ((sp->fts_options & FTS_SEEDOT) ? 0 : 2);
		nostat = true;
	}
	while ((e = readdir(d)) != NULL) {
		FTSENT *p = NULL;

		if (!(sp->fts_options & FTS_SEEDOT) && is_dot(e->d_name)) {
			continue;
		}
		p = entry_new(cur->fts_path, e->d_name, strlen(e->d_name));
		if (!p) {
			int err = errno;

			list_free(head);
			closedir(d);
			cur->fts_info = FTS_ERR;
			sp->fts_options |= FTS_STOP;
			errno = err;
			return NULL;
		}
		p->fts_level = (short)(cur->fts_level + 1);
		p->fts_parent = cur;
		if (nlinks == 0 || (nostat && e->d_type != DT_DIR && e->d_type != DT_UNKNOWN)) {
			p->fts_info = FTS_NSOK;
		} else {
			p->fts_info = entry_stat(sp, p, false);
			if (nlinks > 0 && (p->fts_info == FTS_D || p->fts_info == FTS_DC ||
					   p->fts_info == FTS_DOT)) {
				nlinks--;
			}
		}
		if (tail) {
			tail->fts_link = p;
		} else {
			head = p;
		}
		tail = p;
		n++;
	}
	closedir(d);
	if (n == 0) {
		if (kind == BUILD_READ) {
			cur->fts_info = FTS_DP;
		}
		return NULL;
	}
	return sp->fts_compar && n > 1 ? list_sort(sp, head, n) : head;
}

/* A root becomes the current one: its name is its last component, as glibc's. */
static void root_load(FTS *sp, FTSENT *p)
{
	char *slash = strrchr(p->fts_name, '/');

	if (slash && (slash != p->fts_name || slash[1] != '\0')) {
		size_t len = strlen(slash + 1);

		memmove(p->fts_name, slash + 1, len + 1);
		p->fts_namelen = (unsigned short)len;
	}
	sp->fts_dev = p->fts_dev;
}

FTS *fts_open(char *const *argv, int options, fts_cmp compar)
{
	FTS *sp = NULL;
	FTSENT *parent = NULL, *root = NULL, *tail = NULL;
	int n = 0;

	if (tzm__null(argv)) {
		errno = EFAULT;
		return NULL;
	}
	if (options & ~FTS_OPTIONMASK) {
		errno = EINVAL;
		return NULL;
	}
	sp = calloc(1, sizeof(*sp));
	if (!sp) {
		return NULL;
	}
	sp->fts_compar = (int (*)(const void *, const void *))compar;
	sp->fts_options = options | FTS_NOCHDIR;
	sp->fts_rfd = -1;
	parent = entry_new("", "", 0);
	if (!parent) {
		goto fail;
	}
	parent->fts_level = FTS_ROOTPARENTLEVEL;
	for (; argv[n] != NULL; n++) {
		size_t len = strlen(argv[n]);
		FTSENT *p = NULL;

		if (len == 0) {
			errno = ENOENT;
			goto fail;
		}
		p = entry_new("", argv[n], len);
		if (!p) {
			goto fail;
		}
		p->fts_level = FTS_ROOTLEVEL;
		p->fts_parent = parent;
		p->fts_info = entry_stat(sp, p, (options & FTS_COMFOLLOW) != 0);
		if (p->fts_info == FTS_DOT) {
			p->fts_info = FTS_D; /* "." and ".." given as roots are directories */
		}
		if (tail) {
			tail->fts_link = p;
		} else {
			root = p;
		}
		tail = p;
	}
	if (compar && n > 1) {
		root = list_sort(sp, root, n);
	}
	/* a dummy current entry whose next one is the first root */
	sp->fts_cur = entry_new("", "", 0);
	if (!sp->fts_cur) {
		goto fail;
	}
	sp->fts_cur->fts_link = root;
	sp->fts_cur->fts_parent = parent;
	sp->fts_cur->fts_info = FTS_INIT;
	return sp;
fail:
	list_free(root);
	entry_free(parent);
	free(sp->fts_array);
	free(sp);
	return NULL;
}

FTSENT *fts_read(FTS *sp)
{
	FTSENT *p = NULL, *prev = NULL;
	int instr = 0;

	if (tzm__null(sp)) {
		errno = EFAULT;
		return NULL;
	}
	if (!sp->fts_cur || (sp->fts_options & FTS_STOP)) {
		return NULL;
	}
	p = sp->fts_cur;
	instr = p->fts_instr;
	p->fts_instr = FTS_NOINSTR;
	if (instr == FTS_AGAIN) {
		p->fts_info = entry_stat(sp, p, false);
		return p;
	}
	if (instr == FTS_FOLLOW && (p->fts_info == FTS_SL || p->fts_info == FTS_SLNONE)) {
		p->fts_info = entry_stat(sp, p, true);
		return p;
	}
	if (p->fts_info == FTS_D) {
		if (instr == FTS_SKIP ||
		    ((sp->fts_options & FTS_XDEV) && p->fts_dev != sp->fts_dev)) {
			list_free(sp->fts_child);
			sp->fts_child = NULL;
			p->fts_info = FTS_DP; /* not entered: its post-order visit at once */
			return p;
		}
		if (sp->fts_child && (sp->fts_options & FTS_NAMEONLY)) {
			sp->fts_options &= ~FTS_NAMEONLY;
			list_free(sp->fts_child);
			sp->fts_child = NULL;
		}
		if (!sp->fts_child) {
			sp->fts_child = build(sp, BUILD_READ);
			if (!sp->fts_child) {
				return (sp->fts_options & FTS_STOP) ? NULL : p;
			}
		}
		sp->fts_cur = sp->fts_child;
		sp->fts_child = NULL;
		return sp->fts_cur;
	}
	for (;;) { /* the next entry on this level, skipping those set FTS_SKIP */
		prev = p;
		p = p->fts_link;
		if (!p) {
			break;
		}
		sp->fts_cur = p;
		entry_free(prev);
		if (p->fts_level == FTS_ROOTLEVEL) {
			root_load(sp, p);
			return p;
		}
		if (p->fts_instr == FTS_SKIP) {
			continue;
		}
		if (p->fts_instr == FTS_FOLLOW) {
			p->fts_info = entry_stat(sp, p, true);
			p->fts_instr = FTS_NOINSTR;
		}
		return p;
	}
	p = prev->fts_parent; /* the level is done: the parent's post-order visit */
	sp->fts_cur = p;
	entry_free(prev);
	if (!p || p->fts_level == FTS_ROOTPARENTLEVEL) {
		entry_free(p);
		sp->fts_cur = NULL;
		errno = 0; /* the end, not an error */
		return NULL;
	}
	p->fts_info = p->fts_errno ? FTS_ERR : FTS_DP;
	return p;
}

int fts_set(FTS *sp, FTSENT *p, int instr)
{
	(void)sp;
	if (instr != 0 && instr != FTS_AGAIN && instr != FTS_FOLLOW && instr != FTS_NOINSTR &&
	    instr != FTS_SKIP) {
		errno = EINVAL;
		return 1;
	}
	if (tzm__null(p)) {
		errno = EFAULT;
		return 1;
	}
	p->fts_instr = (unsigned short)instr;
	return 0;
}

FTSENT *fts_children(FTS *sp, int instr)
{
	FTSENT *p = NULL;

	if (instr != 0 && instr != FTS_NAMEONLY) {
		errno = EINVAL;
		return NULL;
	}
	if (tzm__null(sp)) {
		errno = EFAULT;
		return NULL;
	}
	p = sp->fts_cur;
	errno = 0; /* an empty directory is not an error */
	if (!p || (sp->fts_options & FTS_STOP)) {
		return NULL;
	}
	if (p->fts_info == FTS_INIT) {
		return p->fts_link; /* before the first fts_read: the roots */
	}
	if (p->fts_info != FTS_D) {
		return NULL;
	}
	list_free(sp->fts_child);
	sp->fts_child = NULL;
	if (instr == FTS_NAMEONLY) {
		sp->fts_options |= FTS_NAMEONLY;
	}
	sp->fts_child = build(sp, instr == FTS_NAMEONLY ? BUILD_NAMES : BUILD_CHILDREN);
	return sp->fts_child;
}

int fts_close(FTS *sp)
{
	FTSENT *p = NULL;

	if (tzm__null(sp)) {
		errno = EFAULT;
		return -1;
	}
	/* what is left: the current entry, its later siblings, its ancestors and theirs */
	p = sp->fts_cur;
	while (p && p->fts_level >= FTS_ROOTLEVEL) {
		FTSENT *next = p->fts_link ? p->fts_link : p->fts_parent;

		entry_free(p);
		p = next;
	}
	entry_free(p); /* the roots' parent */
	list_free(sp->fts_child);
	free(sp->fts_array);
	free(sp);
	return 0;
}

/*
 * The 64 forms: on LP64 FTS64 and FTSENT64 are FTS and FTSENT (ino64_t is ino_t, struct
 * stat64 is struct stat), as glibc's own aliases there assume.
 */
_Static_assert(sizeof(FTS64) == sizeof(FTS) && sizeof(FTSENT64) == sizeof(FTSENT) &&
		       offsetof(FTSENT64, fts_statp) == offsetof(FTSENT, fts_statp) &&
		       offsetof(FTSENT64, fts_name) == offsetof(FTSENT, fts_name) &&
		       sizeof(struct stat64) == sizeof(struct stat),
	       "LP64: the fts64 types are the fts types");

FTS64 *fts64_open(char *const *argv, int options,
		  int (*compar)(const FTSENT64 **, const FTSENT64 **))
{
	return (FTS64 *)(void *)fts_open(argv, options, (fts_cmp)(void (*)(void))compar);
}

FTSENT64 *fts64_read(FTS64 *sp)
{
	return (FTSENT64 *)(void *)fts_read((FTS *)(void *)sp);
}

FTSENT64 *fts64_children(FTS64 *sp, int instr)
{
	return (FTSENT64 *)(void *)fts_children((FTS *)(void *)sp, instr);
}

int fts64_set(FTS64 *sp, FTSENT64 *p, int instr)
{
	return fts_set((FTS *)(void *)sp, (FTSENT *)(void *)p, instr);
}

int fts64_close(FTS64 *sp)
{
	return fts_close((FTS *)(void *)sp);
}
