/* SPDX-License-Identifier: BSD-2-Clause */
/* OP-TEE's string.h plus strerror (Linux messages for the Linux errno values). */
#ifndef TZM_OPTEE_STRING_H
#define TZM_OPTEE_STRING_H

#include_next <string.h>

char *strerror(int errnum);

#endif
