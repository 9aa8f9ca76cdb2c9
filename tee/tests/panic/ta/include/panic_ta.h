/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Panic test TA, built twice: a multi-instance TA (one instance per session) and a
 * single-instance multi-session TA (every session on one instance).
 * Open session: p0 VALUE_INPUT a == TA_PANIC_IN_OPEN makes the open itself panic.
 * CMD_PING:  p0 VALUE_OUTPUT a = invocations seen by this instance (including this one).
 * CMD_PANIC: TEE_Panic(TA_PANIC_CODE).
 */
#ifndef PANIC_TA_H
#define PANIC_TA_H

#define TA_PANIC_MULTI_UUID_STR "df713d0c-8ee4-48e2-9d7d-0f49465aaf1e"
#define TA_PANIC_SINGLE_UUID_STR "683da4a1-4991-4cea-af03-4be9bfb22365"

#define TA_PANIC_CMD_PING 0
#define TA_PANIC_CMD_PANIC 1
#define TA_PANIC_CODE 0x0badc0deu
#define TA_PANIC_IN_OPEN 0xdeadu

#endif
