// SPDX-License-Identifier: BSD-2-Clause
/*
 * Compiled into every Wasm TA by `tzm wasm build` (installed in the dev kit as
 * src/tzm_wasm_glue.c) together with the module's wasm2c output ("module.h", module name
 * tzmwasm) and the build's generated "tzm_wasm_config.h". It is the only code that sees
 * wasm2c's and wasm-rt's types: it instantiates the module, runs _start under a trap
 * handler, and answers the host's questions about the linear memory.
 *
 * The runtime is built with WASM_RT_MEMCHECK_SIGNAL_HANDLER=0: every load and store of the
 * module is range-checked in the generated code, the memory is an ordinary heap block
 * (calloc/realloc within the TA's data size) and a trap is a longjmp back here.
 */
#include <stdio.h>
#include <stdlib.h>

#include "wasm-rt-impl.h"

#include "module.h"
#include "tzm_wasm_config.h"
#include "tzm_wasm_glue.h"

#if WASM_RT_MEMCHECK_SIGNAL_HANDLER
#error "Wasm TAs are built with WASM_RT_MEMCHECK_SIGNAL_HANDLER=0 (explicit bounds checks)"
#endif

static const uint8_t module_sha256[32] = TZM_WASM_MODULE_SHA256;
static const char *const preopens[] = { TZM_WASM_PREOPENS NULL };

const struct tzm__wasm_glue_info tzm__wasm_glue_info = {
	.module_sha256 = module_sha256,
	.preopens = preopens,
	.memory_limit = TZM_WASM_MEMORY_LIMIT,
};

static Z_tzmwasm_instance_t *instance;
static wasm_rt_memory_t *memory;
uintptr_t tzm__wasm_stack_floor;

/*
 * wasm-rt's allocator does not check calloc (a NULL memory would be written at address 0
 * by the data segments): linked with --wrap, so the check and the limit are ours.
 */
void __real_wasm_rt_allocate_memory(wasm_rt_memory_t *mem, uint32_t initial, uint32_t max);
void __wrap_wasm_rt_allocate_memory(wasm_rt_memory_t *mem, uint32_t initial, uint32_t max);
void __wrap_wasm_rt_allocate_memory(wasm_rt_memory_t *mem, uint32_t initial, uint32_t max)
{
	uint64_t limit_pages = TZM_WASM_MEMORY_LIMIT / 65536u;
	if (initial > limit_pages) {
		tzm__wasm_fatal("the module's initial memory exceeds the TA's memory limit");
	}
	if (max > limit_pages) {
		max = (uint32_t)limit_pages;
	}
	__real_wasm_rt_allocate_memory(mem, initial, max);
	if (mem->data == NULL && initial > 0) {
		tzm__wasm_fatal("cannot allocate the module's linear memory (TA heap exhausted)");
	}
}

/* wasm-rt does not check the tables' calloc either: a huge declared table would be NULL. */
#define TZM_WASM_WRAP_TABLE(type)                                                                  \
	void __real_wasm_rt_allocate_##type##_table(wasm_rt_##type##_table_t *table,               \
						    uint32_t elements, uint32_t max_elements);     \
	void __wrap_wasm_rt_allocate_##type##_table(wasm_rt_##type##_table_t *table,               \
						    uint32_t elements, uint32_t max_elements);     \
	void __wrap_wasm_rt_allocate_##type##_table(wasm_rt_##type##_table_t *table,               \
						    uint32_t elements, uint32_t max_elements)      \
	{                                                                                          \
		__real_wasm_rt_allocate_##type##_table(table, elements, max_elements);             \
		if (table->data == NULL && elements > 0) {                                         \
			tzm__wasm_fatal("cannot allocate the module's table (TA heap exhausted)"); \
		}                                                                                  \
	}
TZM_WASM_WRAP_TABLE(funcref)
TZM_WASM_WRAP_TABLE(externref)

void tzm__wasm_glue_run(void *host_instance)
{
	(void)host_instance;
	/* the module's frames may use the TA's stack size from here (tzm_wasm_glue.h) */
	tzm__wasm_stack_floor = (uintptr_t)__builtin_frame_address(0) - TZM_WASM_STACK_SIZE;
	wasm_rt_init();
	Z_tzmwasm_init_module();
	instance = calloc(1, sizeof(*instance));
	if (instance == NULL) {
		tzm__wasm_fatal("out of memory for the module instance");
	}
	int trap = wasm_rt_impl_try();
	if (trap != 0) {
		tzm__wasm_trapped(wasm_rt_strerror((wasm_rt_trap_t)trap));
	}
	Z_tzmwasm_instantiate(instance TZM_WASM_IMPORT_ARGS(host_instance));
	memory = Z_tzmwasmZ_memory(instance);
	Z_tzmwasmZ__start(instance);
}

void tzm__wasm_glue_memory(uint8_t **data, uint64_t *size)
{
	if (memory == NULL) {
		*data = NULL;
		*size = 0;
		return;
	}
	*data = memory->data;
	*size = memory->size;
}
