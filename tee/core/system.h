/* SPDX-License-Identifier: BSD-2-Clause */
/* `tzm-teed --system`: the core as its own system user (system.c). */
#ifndef TZM_CORE_SYSTEM_H
#define TZM_CORE_SYSTEM_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/socket.h>
#include <sys/types.h>

/* Who a system core runs as and which group its clients are in (part of struct core). */
struct core_system {
	bool on;
	uid_t uid;
	gid_t user_gid;
	gid_t client_gid;
	char user[64];
	char group[64];
};

/* Picks and prepares the runtime and state directories of a system core and, started
 * as root, becomes the TEE user. 0, or -1 with the reason on stderr. */
int core_system_setup(struct core_system *sys, char *runtime_dir, size_t rcap, char *state_dir,
		      size_t scap);
bool core_system_mode(struct core_system *sys);
/* Gives the listening socket its mode: 0600, or (system) group "tzm" 0660. 0 or -errno. */
int core_system_socket_mode(struct core_system *sys, const char *path);
/* Same uid; or, in system mode, root or a member of the client group. When the answer is
 * no because the peer's supplementary groups could not be read (SO_PEERGROUPS failed),
 * *groups_err is that errno (else 0), so the refusal can name the real cause. */
bool core_client_allowed(struct core_system *sys, int fd, const struct ucred *cred,
			 int *groups_err);

#endif
