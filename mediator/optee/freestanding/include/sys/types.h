/* SPDX-License-Identifier: BSD-2-Clause */
/* Freestanding check: libutils' sys/types.h (see stdio.h). */
#ifndef SYS_TYPES_H
#define SYS_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef uintptr_t vaddr_t;
typedef uintptr_t paddr_t;

#endif
