/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Attribute shorthands that OP-TEE TA sources use (OP-TEE's <compiler.h>). Each one is
 * guarded because glibc's <sys/cdefs.h> defines some of the same names.
 */
#ifndef TZM_COMPILER_H
#define TZM_COMPILER_H

#ifndef __unused
#define __unused __attribute__((unused))
#endif
#ifndef __maybe_unused
#define __maybe_unused __attribute__((unused))
#endif
#ifndef __used
#define __used __attribute__((__used__))
#endif
#ifndef __packed
#define __packed __attribute__((packed))
#endif
#ifndef __aligned
#define __aligned(x) __attribute__((aligned(x)))
#endif
#ifndef __noreturn
#define __noreturn __attribute__((__noreturn__))
#endif
#ifndef __section
#define __section(x) __attribute__((section(x)))
#endif
#ifndef __weak
#define __weak __attribute__((weak))
#endif
#ifndef __noinline
#define __noinline __attribute__((noinline))
#endif
#ifndef __always_inline
#define __always_inline inline __attribute__((always_inline))
#endif
#ifndef __pure
#define __pure __attribute__((pure))
#endif
#ifndef __must_check
#define __must_check __attribute__((warn_unused_result))
#endif
#ifndef __printf
#define __printf(a, b) __attribute__((format(printf, a, b)))
#endif
#ifndef __deprecated
#define __deprecated __attribute__((deprecated))
#endif
#ifndef __nex_bss
#define __nex_bss
#endif
#ifndef __nex_data
#define __nex_data
#endif
#ifndef __noprof
#define __noprof __attribute__((no_instrument_function))
#endif

#endif
