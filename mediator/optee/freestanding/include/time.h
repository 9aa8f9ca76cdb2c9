/* SPDX-License-Identifier: BSD-2-Clause */
/* Freestanding check: libutils' time.h (see stdio.h). */
#ifndef __TIME_H
#define __TIME_H

#include <stdint.h>

typedef int64_t time_t;

#endif
