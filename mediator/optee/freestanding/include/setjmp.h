/* SPDX-License-Identifier: BSD-2-Clause */
/* Freestanding check: setjmp as libutils has it for aarch64 (see stdio.h). */
#ifndef __SETJMP_H
#define __SETJMP_H

/* x19-x30, sp, d8-d15 */
typedef unsigned long jmp_buf[22];

int setjmp(jmp_buf env);
void longjmp(jmp_buf env, int val) __attribute__((noreturn));

#endif
