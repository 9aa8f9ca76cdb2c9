/* SPDX-License-Identifier: BSD-2-Clause */
/* Freestanding check: the part of inttypes.h the GP headers use (see stdio.h). */
#ifndef __INTTYPES_H
#define __INTTYPES_H

#include <stdint.h>

#define PRIu32 "u"
#define PRIx32 "x"
#define PRIu64 "lu"
#define PRIx64 "lx"

#endif
