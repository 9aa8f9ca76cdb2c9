/* SPDX-License-Identifier: BSD-2-Clause */
/* The fault-injection units (unit_*.c) and their shared helpers (main.c). */
#ifndef FINJ_UNITS_H
#define FINJ_UNITS_H

#include <stddef.h>

#include "finj.h"

extern const struct finj_unit finj_unit_policy;
extern const struct finj_unit finj_unit_shadow;

/* A fresh private directory under $TMPDIR (or /tmp); 0 or -1. */
int finj_tmpdir(char *out, size_t len);
/* Removes path and everything below it (best effort). */
void finj_rmtree(const char *path);

#endif
