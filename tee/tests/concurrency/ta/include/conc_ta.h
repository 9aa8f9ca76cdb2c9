/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Concurrency test TA, built three times:
 *   single    - TA_FLAG_SINGLE_INSTANCE | TA_FLAG_MULTI_SESSION: one shared instance
 *   multi     - flags 0: an instance per session
 *   exclusive - TA_FLAG_SINGLE_INSTANCE only: a second concurrent session is refused
 * CMD_ADD: p0 VALUE_INOUT: the instance total += a; a = new total.
 * CMD_GET: p0 VALUE_OUTPUT: a = instance total, b = random instance id.
 * CMD_WAIT: p0 VALUE_INPUT: TEE_Wait(a ms) with cancellation unmasked.
 */
#ifndef CONC_TA_H
#define CONC_TA_H

#define TA_CONC_SINGLE_UUID_STR "45dc3278-8546-4161-91bd-ce8b23c81658"
#define TA_CONC_MULTI_UUID_STR "af746f69-633d-465c-b4d9-f3f3e78bdaab"
#define TA_CONC_EXCLUSIVE_UUID_STR "d3f744a3-5cc4-4264-bdbe-c5694906c7a5"

#define TA_CONC_CMD_ADD 0
#define TA_CONC_CMD_GET 1
#define TA_CONC_CMD_WAIT 2

#endif
