/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The helper macros OP-TEE's libutils <util.h> gives TAs and, through the TA dev kit's
 * host_include, normal-world programs built against the kit (OP-TEE's regression suite
 * uses ARRAY_SIZE, MIN, MAX, BIT, ...). Same names and meanings; written for tzmediator.
 * Arguments of MIN/MAX are evaluated once.
 */
#ifndef TZM_UTIL_H
#define TZM_UTIL_H

#include <compiler.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(x) (sizeof(x) / sizeof((x)[0]))
#endif

#ifndef MIN
#define MIN(a, b)                                                                                  \
	(__extension__({                                                                           \
		__typeof__(a) _tzm_a = (a);                                                        \
		__typeof__(b) _tzm_b = (b);                                                        \
		_tzm_a < _tzm_b ? _tzm_a : _tzm_b;                                                 \
	}))
#endif
#ifndef MAX
#define MAX(a, b)                                                                                  \
	(__extension__({                                                                           \
		__typeof__(a) _tzm_a = (a);                                                        \
		__typeof__(b) _tzm_b = (b);                                                        \
		_tzm_a > _tzm_b ? _tzm_a : _tzm_b;                                                 \
	}))
#endif
/* For constant expressions (evaluate their arguments twice) */
#define MIN_UNSAFE(a, b) ((a) < (b) ? (a) : (b))
#define MAX_UNSAFE(a, b) ((a) > (b) ? (a) : (b))

/* size must be a power of two */
#define ROUNDUP(v, size) (((v) + ((__typeof__(v))(size)-1)) & ~((__typeof__(v))(size)-1))
#define ROUNDDOWN(v, size) ((v) & ~((__typeof__(v))(size)-1))
#define ROUNDUP_OVERFLOW(v, size, res)                                                             \
	(__extension__({                                                                           \
		__typeof__(*(res)) _tzm_mask = (__typeof__(*(res)))(size)-1;                       \
		__builtin_add_overflow((v), _tzm_mask, (res)) ? true                               \
							      : ((*(res) &= ~_tzm_mask), false);   \
	}))
#define DIV_ROUND_UP(x, y) (((x) + (y)-1) / (y))
#define ROUNDUP_DIV(x, y) DIV_ROUND_UP(x, y)
#define IS_ALIGNED(x, a) (((x) & ((a)-1)) == 0)
#define IS_ALIGNED_WITH_TYPE(x, type) IS_ALIGNED((uintptr_t)(x), __alignof__(type))
#define IS_POWER_OF_TWO(x) (((x) != 0) && (((x) & (~(x) + 1)) == (x)))

#define BIT32(nr) (UINT32_C(1) << (nr))
#define BIT64(nr) (UINT64_C(1) << (nr))
#define BIT(nr) BIT32(nr)
#define SHIFT_U32(v, shift) ((uint32_t)(v) << (shift))
#define SHIFT_U64(v, shift) ((uint64_t)(v) << (shift))
#define GENMASK_32(h, l) ((UINT32_MAX << (l)) & (UINT32_MAX >> (31 - (h))))
#define GENMASK_64(h, l) ((UINT64_MAX << (l)) & (UINT64_MAX >> (63 - (h))))

/* true on overflow, like OP-TEE's (and the compiler's) */
#define ADD_OVERFLOW(a, b, res) __builtin_add_overflow((a), (b), (res))
#define SUB_OVERFLOW(a, b, res) __builtin_sub_overflow((a), (b), (res))
#define MUL_OVERFLOW(a, b, res) __builtin_mul_overflow((a), (b), (res))

#ifndef container_of
#define container_of(ptr, type, member) ((type *)(void *)((uintptr_t)(ptr)-offsetof(type, member)))
#endif

static inline uint64_t reg_pair_to_64(uint32_t reg0, uint32_t reg1)
{
	return (uint64_t)reg0 << 32 | reg1;
}

static inline void reg_pair_from_64(uint64_t val, uint32_t *reg0, uint32_t *reg1)
{
	*reg0 = (uint32_t)(val >> 32);
	*reg1 = (uint32_t)val;
}

#endif
