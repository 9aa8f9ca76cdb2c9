// SPDX-License-Identifier: BSD-2-Clause
/*
 * wasm_traps: each argument makes the module trap one way (or pass bad pointers to WASI):
 *   div0 unreachable oob stack indirect   -> a trap: the TA ends like a panicked TA
 *   oob_store oob_far oob_f64 oob_dropped oob_grown
 *                                         -> out-of-bounds traps of every shape: a store, an
 *                                            address + offset near 8 GiB, a float load, a
 *                                            load whose value is unused (it must still
 *                                            trap), just past memory that grew
 *   efault                                -> WASI calls with ranges outside the memory
 *                                            answer EFAULT (21) and the TA goes on
 *   grow                                  -> memory.grow within the TA's limit works (new
 *                                            pages zero and usable), beyond it answers -1
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <wasi/api.h>

#include <tzm_wasm.h>

static volatile int zero;

static int recurse(int n)
{
	volatile char pad[64];
	pad[0] = (char)n;
	if (n < 0) {
		return 0; /* never: n only grows */
	}
	return recurse(n + 1) + pad[0];
}

/* i64.load at base + the largest offset (0xffffffff): the highest address a load can
 * form, just under 8 GiB, its 8 bytes past it (C cannot say this; clang would fold the
 * offset into a wrapping i32.add) */
static uint64_t load_far(uint32_t base)
{
	uint64_t v;
	__asm__ volatile("local.get %1\n\ti64.load 4294967295\n\tlocal.set %0"
			 : "=r"(v)
			 : "r"(base));
	return v;
}

static uint32_t memory_top(void)
{
	return (uint32_t)__builtin_wasm_memory_size(0) * 65536u;
}

/* memory.grow by the TA's whole limit fails; by 2 pages works; the new pages are zero */
static int grow(void)
{
	uint32_t pages = (uint32_t)__builtin_wasm_memory_size(0);
	if (__builtin_wasm_memory_grow(0, 65536u - pages) != (size_t)-1) {
		printf("grow: growing to 4 GiB succeeded\n");
		return 1;
	}
	uint32_t top = memory_top();
	if (__builtin_wasm_memory_grow(0, 2) != pages) {
		printf("grow: 2 pages refused\n");
		return 1;
	}
	volatile uint8_t *fresh = (volatile uint8_t *)(uintptr_t)top;
	for (uint32_t i = 0; i < 2 * 65536u; i += 4093) {
		if (fresh[i] != 0) {
			printf("grow: new page not zero at +%u\n", i);
			return 1;
		}
		fresh[i] = 0xa5;
	}
	fresh[2 * 65536u - 1] = 1;
	printf("grow: ok\n");
	return 0;
}

static int efault(void)
{
	__wasi_size_t n = 0;
	uint32_t top = (uint32_t)__builtin_wasm_memory_size(0) * 65536u;
	__wasi_ciovec_t bad_buf = { .buf = (const uint8_t *)(uintptr_t)(top - 4), .buf_len = 8 };
	__wasi_ciovec_t good = { .buf = (const uint8_t *)"x\n", .buf_len = 2 };
	int fails = 0;
	/* iovec array out of bounds, buffer running past the end, result pointer out */
	fails += __wasi_fd_write(1, (const __wasi_ciovec_t *)(uintptr_t)(top - 4), 1, &n) != 21;
	fails += __wasi_fd_write(1, &bad_buf, 1, &n) != 21;
	fails += __wasi_fd_write(1, &good, 1, (__wasi_size_t *)(uintptr_t)(top - 2)) != 21;
	fails += __wasi_random_get((uint8_t *)(uintptr_t)(top - 16), 17) != 21;
	fails += __wasi_args_sizes_get((__wasi_size_t *)(uintptr_t)0xfffffffcu, &n) != 21;
	fails += __wasi_clock_time_get(1, 1, (__wasi_timestamp_t *)(uintptr_t)(top - 7)) != 21;
	fails += __wasi_fd_read(0, (const __wasi_iovec_t *)(uintptr_t)0xfffffff8u, 2, &n) != 21;
	/* the socket calls, on fd 1 (a host fd: the range is checked before the call) */
	__wasi_roflags_t ro = 0;
	__wasi_iovec_t in = { .buf = (uint8_t *)&n, .buf_len = 1 };
	fails += __wasi_sock_send(1, (const __wasi_ciovec_t *)(uintptr_t)(top - 4), 1, 0, &n) != 21;
	fails += __wasi_sock_recv(1, &in, 1, 0, &n, (__wasi_roflags_t *)(uintptr_t)(top - 1)) != 21;
	fails += __wasi_sock_recv(1, &in, 1, 0, (__wasi_size_t *)(uintptr_t)(top - 3), &ro) != 21;
	fails += __tzm_sock_setsockopt(1, 1, 2, (const void *)(uintptr_t)(top - 2), 4) != 21;
	fails += __tzm_sock_connect(1, (const void *)(uintptr_t)(top - 8), 16) != 21;
	printf("efault: %d of 12 calls did not answer EFAULT\n", fails);
	return fails != 0;
}

int main(int argc, char **argv)
{
	const char *what = argc > 1 ? argv[1] : "";
	printf("trap test: %s\n", what);
	fflush(stdout);
	if (strcmp(what, "div0") == 0) {
		return 10 / zero;
	}
	if (strcmp(what, "unreachable") == 0) {
		__builtin_trap();
	}
	if (strcmp(what, "oob") == 0) {
		uint32_t top = (uint32_t)__builtin_wasm_memory_size(0) * 65536u;
		return *(volatile int *)(uintptr_t)(top + 64);
	}
	if (strcmp(what, "oob_store") == 0) {
		*(volatile int *)(uintptr_t)(memory_top() + 4096) = 1;
		return 0;
	}
	if (strcmp(what, "oob_far") == 0) {
		return (int)load_far(0xffffffffu + (uint32_t)zero);
	}
	if (strcmp(what, "oob_f64") == 0) {
		return (int)*(volatile double *)(uintptr_t)(memory_top() - 4);
	}
	if (strcmp(what, "oob_dropped") == 0) {
		(void)*(volatile float *)(uintptr_t)(memory_top() + zero);
		(void)*(volatile int *)(uintptr_t)(memory_top() + zero);
		return 0;
	}
	if (strcmp(what, "oob_grown") == 0) {
		if (grow() != 0) {
			return 1;
		}
		return *(volatile uint8_t *)(uintptr_t)memory_top();
	}
	if (strcmp(what, "grow") == 0) {
		return grow();
	}
	if (strcmp(what, "stack") == 0) {
		return recurse(zero);
	}
	if (strcmp(what, "indirect") == 0) {
		int (*volatile fn)(void) = (int (*)(void))(uintptr_t)(12345 + zero);
		return fn();
	}
	if (strcmp(what, "efault") == 0) {
		return efault();
	}
	return 2;
}
