/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * `tzm-teed --system`: the TEE core as its own system user, so that normal-world processes
 * of other users (including the clients themselves) cannot read the device key, the
 * storage or the RPMB file, nor ptrace the core. In the default (same-uid) mode any
 * process of the user running the TEE can do all of that (SECURITY.md).
 *
 *   user  $TZM_TEE_USER  (default "tzm-tee"): owns the core, its state and runtime dirs
 *   group $TZM_TEE_GROUP (default "tzm"):     the clients allowed to use the TEE
 *   $TZM_RUNTIME_DIR (default /run/tzmediator)    tee user, group tzm, 0750 (group may
 *                                                 enter, not create or replace files)
 *   $TZM_RUNTIME_DIR/tee.sock                     tee user, group tzm, 0660
 *   $TZM_STATE_DIR   (default /var/lib/tzmediator) tee user, 0700: keys, storage, RPMB
 *
 * Started as root, the core creates/fixes those directories, then drops to the tee user
 * (supplementary groups: the client group only, so it can give the socket that group).
 * Started as the tee user (systemd User=, RuntimeDirectory=, StateDirectory=), it checks
 * them. A client is accepted if it runs as the tee user, as root, or has the client group
 * as its primary or a supplementary group (SO_PEERCRED, SO_PEERGROUPS). No idle exit: the
 * clients cannot start a system core; libteec only connects to it.
 */
#include "system.h"

#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#define DEFAULT_USER "tzm-tee"
#define DEFAULT_GROUP "tzm"
#define DEFAULT_RUNTIME "/run/tzmediator"
#define DEFAULT_STATE "/var/lib/tzmediator"

bool core_system_mode(struct core_system *sys)
{
	return sys->on;
}

static const char *env_or(const char *name, const char *def)
{
	const char *v = getenv(name);

	return v && *v ? v : def;
}

static int lookup(struct core_system *sys)
{
	const char *user = env_or("TZM_TEE_USER", DEFAULT_USER);
	const char *group = env_or("TZM_TEE_GROUP", DEFAULT_GROUP);
	struct passwd *pw = getpwnam(user);
	struct group *gr = getgrnam(group);

	if (!pw || !gr) {
		fprintf(stderr,
			"tzm-teed: --system: no %s '%s' (create it, e.g. useradd --system %s; "
			"groupadd --system %s; or set TZM_TEE_USER / TZM_TEE_GROUP)\n",
			!pw ? "user" : "group", !pw ? user : group, user, group);
		return -1;
	}
	sys->uid = pw->pw_uid;
	sys->user_gid = pw->pw_gid;
	sys->client_gid = gr->gr_gid;
	snprintf(sys->user, sizeof(sys->user), "%s", user);
	snprintf(sys->group, sizeof(sys->group), "%s", group);
	if (sys->uid == 0) {
		fprintf(stderr, "tzm-teed: --system: the TEE user must not be root\n");
		return -1;
	}
	return 0;
}

/* Creates dir if missing; as root also gives it owner, group and mode. Then checks. */
static int prepare_dir(struct core_system *sys, const char *what, const char *dir, gid_t gid,
		       mode_t mode)
{
	struct stat st;

	if (mkdir(dir, 0700) && errno != EEXIST) {
		fprintf(stderr, "tzm-teed: --system: cannot create the %s directory %s: %s\n", what,
			dir, strerror(errno));
		return -1;
	}
	if (lstat(dir, &st) || !S_ISDIR(st.st_mode)) {
		fprintf(stderr, "tzm-teed: --system: %s directory %s is not a directory\n", what,
			dir);
		return -1;
	}
	if (geteuid() == 0 && (chown(dir, sys->uid, gid) || chmod(dir, mode))) {
		fprintf(stderr, "tzm-teed: --system: cannot give %s to %s: %s\n", dir, sys->user,
			strerror(errno));
		return -1;
	}
	if (geteuid() != 0 && st.st_uid == sys->uid && st.st_gid != gid &&
	    (chown(dir, (uid_t)-1, gid) || chmod(dir, mode))) {
		fprintf(stderr, "tzm-teed: --system: cannot set the group of %s: %s\n", dir,
			strerror(errno));
		return -1;
	}
	if (lstat(dir, &st) || st.st_uid != sys->uid || st.st_gid != gid ||
	    (st.st_mode & 07777 & ~mode) != 0) {
		fprintf(stderr,
			"tzm-teed: --system: %s directory %s must be owned by %s, group %u, "
			"mode %04o or stricter (it is uid %u, group %u, mode %04o)\n",
			what, dir, sys->user, (unsigned)gid, (unsigned)mode, (unsigned)st.st_uid,
			(unsigned)st.st_gid, (unsigned)(st.st_mode & 07777));
		return -1;
	}
	return 0;
}

static int drop_privileges(struct core_system *sys)
{
	gid_t groups[1] = { sys->client_gid };

	if (setgroups(1, groups) || setgid(sys->user_gid) || setuid(sys->uid)) {
		fprintf(stderr, "tzm-teed: --system: cannot become %s: %s\n", sys->user,
			strerror(errno));
		return -1;
	}
	if (setuid(0) == 0 || geteuid() == 0) {
		fprintf(stderr, "tzm-teed: --system: root privileges could be regained\n");
		return -1;
	}
	return 0;
}

int core_system_setup(struct core_system *sys, char *runtime_dir, size_t rcap, char *state_dir,
		      size_t scap)
{
	const char *rt = env_or("TZM_RUNTIME_DIR", DEFAULT_RUNTIME);
	const char *st = env_or("TZM_STATE_DIR", DEFAULT_STATE);

	if ((size_t)snprintf(runtime_dir, rcap, "%s", rt) >= rcap ||
	    (size_t)snprintf(state_dir, scap, "%s", st) >= scap) {
		fprintf(stderr, "tzm-teed: --system: directory path too long\n");
		return -1;
	}
	if (lookup(sys)) {
		return -1;
	}
	if (geteuid() != 0 && getuid() != sys->uid) {
		fprintf(stderr,
			"tzm-teed: --system: start it as root (it then becomes %s) or as "
			"%s itself\n",
			sys->user, sys->user);
		return -1;
	}
	if (prepare_dir(sys, "runtime", runtime_dir, sys->client_gid, 0750) ||
	    prepare_dir(sys, "state", state_dir, sys->user_gid, 0700)) {
		return -1;
	}
	if (geteuid() == 0 && drop_privileges(sys)) {
		return -1;
	}
	sys->on = true;
	return 0;
}

int core_system_socket_mode(struct core_system *sys, const char *path)
{
	if (!sys->on) {
		return chmod(path, 0600) ? -errno : 0;
	}
	if (chown(path, (uid_t)-1, sys->client_gid) || chmod(path, 0660)) {
		return -errno;
	}
	return 0;
}

/* 1: gid is among the peer's groups, 0: it is not, -errno: they cannot be read (ERANGE:
 * more than 256 groups; ENOPROTOOPT: a kernel without SO_PEERGROUPS). */
static int peer_in_group(int fd, gid_t gid)
{
	gid_t groups[256];
	socklen_t len = sizeof(groups);

	if (getsockopt(fd, SOL_SOCKET, SO_PEERGROUPS, groups, &len)) {
		return -errno;
	}
	for (size_t i = 0; i < len / sizeof(gid_t); i++) {
		if (groups[i] == gid) {
			return 1;
		}
	}
	return 0;
}

bool core_client_allowed(struct core_system *sys, int fd, const struct ucred *cred, int *groups_err)
{
	int in_group = 0;

	*groups_err = 0;
	if (cred->uid == getuid()) {
		return true;
	}
	if (!sys->on) {
		return false;
	}
	if (cred->uid == 0 || cred->gid == sys->client_gid) {
		return true;
	}
	in_group = peer_in_group(fd, sys->client_gid);
	if (in_group < 0) {
		*groups_err = -in_group; /* not proven to be in the group */
	}
	return in_group > 0;
}
