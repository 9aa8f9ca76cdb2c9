/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * What the two libtzm entries whose program is an ordinary Linux process linked with
 * -Wl,--wrap=main share: the local transport's (entry_local.c) and the realm's
 * (entry_realm.c). The GP entry runs inside the TEE's TA host and has its own.
 */
#ifndef TZM_ENTRY_PROCESS_H
#define TZM_ENTRY_PROCESS_H

/* Ends the process at once (raw exit_group: libtzm defines exit and _exit itself). */
void tzm__exit_group(int status) __attribute__((noreturn));
/* Blocks the signals the shadow forwards over the channel (TZM_WIRE_SIG_FORWARDED). */
void tzm__block_forwarded_signals(void);

#endif
