// SPDX-License-Identifier: BSD-2-Clause
/* wasm_bad_modules: a module importing what tzmediator does not provide. */
#include <stdint.h>

__attribute__((import_module("env"), import_name("not_provided"))) int32_t not_provided(int32_t);
__attribute__((import_module("wasi_snapshot_preview1"), import_name("sock_open")))
int32_t sock_open(int32_t, int32_t, int32_t);
/* a function we do provide, imported with another type */
__attribute__((import_module("wasi_snapshot_preview1"), import_name("sched_yield")))
int32_t odd_yield(int32_t);

int main(int argc, char **argv)
{
	(void)argv;
	return not_provided(argc) + sock_open(1, 2, 3) + odd_yield(argc);
}
