/* SPDX-License-Identifier: BSD-2-Clause */
/* Freestanding check: libutils' assert.h surface (see stdio.h). */
#ifndef __ASSERT_H
#define __ASSERT_H

void _assert_break(void) __attribute__((noreturn));
#define assert(expr) ((expr) ? (void)0 : _assert_break())
#ifndef static_assert
#define static_assert _Static_assert
#endif

#endif
