/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Raw Linux system calls for the mediator's own plumbing (futex doorbell, monotonic clock,
 * sched_yield, the local transport's start-up). libtzm defines syscall() for TAs (refused
 * with ENOSYS and a log line, as the TA host's sandbox would), and a TA is linked with
 * -Bsymbolic, so libtzm's internals must not call syscall() by that name.
 * Returns the result, or -1 with errno set, like syscall().
 */
#ifndef TZM_RAWSYS_H
#define TZM_RAWSYS_H

#include <errno.h>

static inline long tzm__rawsys(long nr, long a, long b, long c, long d, long e, long f)
{
	long ret = 0;
#if defined(__x86_64__)
	register long r10 __asm__("r10") = d;
	register long r8 __asm__("r8") = e;
	register long r9 __asm__("r9") = f;

	__asm__ volatile("syscall"
			 : "=a"(ret)
			 : "a"(nr), "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8), "r"(r9)
			 : "rcx", "r11", "memory");
#elif defined(__aarch64__)
	register long x8 __asm__("x8") = nr;
	register long x0 __asm__("x0") = a;
	register long x1 __asm__("x1") = b;
	register long x2 __asm__("x2") = c;
	register long x3 __asm__("x3") = d;
	register long x4 __asm__("x4") = e;
	register long x5 __asm__("x5") = f;

	__asm__ volatile("svc 0"
			 : "+r"(x0)
			 : "r"(x8), "r"(x1), "r"(x2), "r"(x3), "r"(x4), "r"(x5)
			 : "memory");
	ret = x0;
#else
#error "tzm__rawsys: add this architecture's system call sequence"
#endif
	if (ret < 0 && ret > -4096) {
		errno = (int)-ret;
		return -1;
	}
	return ret;
}

#define TZM__SYS0(nr) tzm__rawsys((nr), 0, 0, 0, 0, 0, 0)
#define TZM__SYS1(nr, a) tzm__rawsys((nr), (long)(a), 0, 0, 0, 0, 0)
#define TZM__SYS2(nr, a, b) tzm__rawsys((nr), (long)(a), (long)(b), 0, 0, 0, 0)
#define TZM__SYS3(nr, a, b, c) tzm__rawsys((nr), (long)(a), (long)(b), (long)(c), 0, 0, 0)
#define TZM__SYS6(nr, a, b, c, d, e, f)                                                            \
	tzm__rawsys((nr), (long)(a), (long)(b), (long)(c), (long)(d), (long)(e), (long)(f))

#endif
