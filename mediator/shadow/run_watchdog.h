/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * tzm-run's watchdog process for real OP-TEE (run_watchdog.c): cancels the TEE session
 * when tzm-run dies while its thread runs the TA, so that the TA ends and the killed
 * process can leave the invoke ioctl.
 */
#ifndef TZM_SHADOW_RUN_WATCHDOG_H
#define TZM_SHADOW_RUN_WATCHDOG_H

#include <stdint.h>

/* Forks the watchdog for `session` of the TEE context open on tee_fd; 0 or -errno. */
int tzm__watchdog_start(int tee_fd, uint32_t session);
/* The run ended normally: the watchdog must not cancel anything when tzm-run exits. */
void tzm__watchdog_done(void);

#endif
