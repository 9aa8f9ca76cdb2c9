// SPDX-License-Identifier: BSD-2-Clause
/*
 * wasm_traps: each argument makes the module trap one way (or pass bad pointers to WASI):
 *   div0 unreachable oob stack indirect   -> a trap: the TA ends like a panicked TA
 *   efault                                -> WASI calls with ranges outside the memory
 *                                            answer EFAULT (21) and the TA goes on
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <wasi/api.h>

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
	printf("efault: %d of 7 calls did not answer EFAULT\n", fails);
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
