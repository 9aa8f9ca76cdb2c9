/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Per-TA policy enforced by the shadow: deny by default. Format in mediator/README.md
 * ("Policy files"). Path decisions return a root directory fd and a path relative to it;
 * the caller must resolve the relative path with openat2(RESOLVE_BENEATH |
 * RESOLVE_NO_MAGICLINKS) (tzm_policy_openat) so that `..`, symlinks and races cannot
 * escape the allowed tree.
 */
#ifndef TZM_POLICY_H
#define TZM_POLICY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/types.h>

struct tzm_policy;

enum tzm_pol_kind {
	TZM_POL_FILE, /* regular files and directories */
	TZM_POL_FIFO, /* named pipes */
	TZM_POL_UNIX, /* UNIX socket paths */
};

int tzm_policy_load(const char *file, struct tzm_policy **out, char *err, size_t errlen);
struct tzm_policy *tzm_policy_allow_all(void);
void tzm_policy_free(struct tzm_policy *p);
bool tzm_policy_is_allow_all(const struct tzm_policy *p);

/*
 * Path check. abspath must be absolute. On success returns 0, *rootfd (AT_FDCWD in
 * allow-all mode) and *rel (points into abspath or a static "."), *beneath = whether
 * openat2 RESOLVE_BENEATH must be used. -EACCES when denied.
 */
int tzm_policy_path(const struct tzm_policy *p, const char *abspath, bool write,
		    enum tzm_pol_kind kind, int *rootfd, const char **rel, bool *beneath);
/*
 * Whether the path rule holding abspath has `uplinks`: a symlink the TA creates there may
 * have ".." in its target (allow-all: true). Without it the shadow refuses such targets: a
 * ".." target changes meaning when the link, or a directory above it, is moved, and once
 * it follows another link it leaves the place the text names (SECURITY.md, Symlinks).
 */
bool tzm_policy_uplinks(const struct tzm_policy *p, const char *abspath);
/* openat2 with RESOLVE_BENEATH|RESOLVE_NO_MAGICLINKS when beneath; -errno on failure. */
int tzm_policy_openat(int rootfd, const char *rel, bool beneath, int flags, mode_t mode);

/*
 * Object kinds and checked opens. A rule grants only objects of its kind: path rules
 * regular files, directories, symlinks and devices; fifo rules FIFOs; unix rules sockets.
 * `kinds` is a mask of TZM_POL_MASK(kind) for the rule kinds an operation may use, plus
 * TZM_POL_STAT when the object is only examined (stat, access): then a path rule accepts
 * any object type.
 */
#define TZM_POL_MASK(kind) (1u << (kind))
#define TZM_POL_STAT (1u << 8)
enum tzm_pol_kind tzm_policy_kind_of(mode_t mode);
const char *tzm_policy_type_name(mode_t mode); /* "regular file", "FIFO", ... */
/*
 * Opens the object at abspath (absolute) under the first rule of `kinds` that grants it:
 * one openat2 with O_PATH under the rule's root (RESOLVE_BENEATH|RESOLVE_NO_MAGICLINKS,
 * plus RESOLVE_NO_SYMLINKS for single-object rules), fstat on that fd (type must be the
 * rule's kind; `nolinks` trees refuse regular files with st_nlink > 1), then the same inode
 * is reopened through /proc/self/fd/N with `flags` (unless flags has O_PATH). O_CREAT
 * creates a regular file (path rules only) with O_EXCL so the created object is the one
 * opened. Returns an fd or -errno; a denial is logged once ("<what> <abspath>...") and
 * gives -EACCES.
 */
int tzm_policy_open(const struct tzm_policy *p, const char *what, const char *abspath, bool write,
		    unsigned kinds, int flags, mode_t mode);
/* Whether a UDP socket may answer the sources it received from (`udp_reply`, default on). */
bool tzm_policy_udp_reply(const struct tzm_policy *p);

/* Network: proto IPPROTO_TCP/UDP; bind or connect/sendto. 0 or -EACCES. */
int tzm_policy_net(const struct tzm_policy *p, int proto, bool bind, const struct sockaddr *sa,
		   socklen_t len);
/* Abstract UNIX names (without the leading NUL) and message queue names. */
int tzm_policy_abstract(const struct tzm_policy *p, const char *name, size_t len);
int tzm_policy_mq(const struct tzm_policy *p, const char *name);

unsigned tzm_policy_max_fds(const struct tzm_policy *p);
size_t tzm_policy_max_inflight(const struct tzm_policy *p);

/* Denial log: one line per denied operation to stderr or to the file given by `log`. */
void tzm_policy_deny_log(const struct tzm_policy *p, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif
