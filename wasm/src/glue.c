// SPDX-License-Identifier: BSD-2-Clause
/*
 * Compiled into every Wasm TA by `tzm wasm build` (installed in the dev kit as
 * src/tzm_wasm_glue.c) together with the module's wasm2c output ("module.h", module name
 * tzmwasm) and the build's generated "tzm_wasm_config.h". It is the only code that sees
 * wasm2c's and wasm-rt's types: it instantiates the module, runs _start under a trap
 * handler, and answers the host's questions about the linear memory.
 *
 * Every load and store of the module is bounds-checked, in one of two ways (tzm wasm build
 * --bounds-checks, the kit's CFG_TZM_WASM_BOUNDS):
 *  - guard (default; WASM_RT_MEMCHECK_SIGNAL_HANDLER=1): the linear memory lies at the
 *    start of a PROT_NONE reservation that covers every address a load or store can
 *    form (a 32-bit address plus a 32-bit offset: under 8 GiB), and only its current
 *    size is readable and writable (mprotect as it grows: it never moves). An access
 *    beyond the size faults; our SIGSEGV handler turns a fault inside the reservation
 *    into wasm-rt's out-of-bounds trap and leaves every other fault to the previous
 *    disposition (the TA dies of it, as a C TA would). Call depth is still counted
 *    (WASM_RT_USE_STACK_DEPTH_COUNT=1, 500 frames), so stack exhaustion traps the same
 *    way in both modes;
 *  - explicit (WASM_RT_MEMCHECK_SIGNAL_HANDLER=0): the generated code range-checks every
 *    access and the memory is an ordinary heap block (calloc/realloc).
 * Either way the memory is capped at the TA's memory limit, and a trap is a longjmp back
 * here.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "wasm-rt-impl.h"

#include "module.h"
#include "tzm_wasm_config.h"
#include "tzm_wasm_glue.h"

#if WASM_RT_MEMCHECK_SIGNAL_HANDLER &&                                                             \
	(!WASM_RT_SKIP_SIGNAL_RECOVERY || !WASM_RT_USE_STACK_DEPTH_COUNT)
#error "guard-page Wasm TAs need WASM_RT_SKIP_SIGNAL_RECOVERY=1 (the glue owns SIGSEGV) and WASM_RT_USE_STACK_DEPTH_COUNT=1"
#endif

/* Exported: tzm-ta-pack copies it into the .ta header and the loader checks they agree
 * (tee/abi/ta_image.h, TA_IMAGE_WASM_MODULE_SYMBOL); the core reports it in the token. */
const uint8_t tzm__wasm_module_sha256[32] = TZM_WASM_MODULE_SHA256;
static const char *const preopens[] = { TZM_WASM_PREOPENS NULL };

const struct tzm__wasm_glue_info tzm__wasm_glue_info = {
	.module_sha256 = tzm__wasm_module_sha256,
	.preopens = preopens,
	.memory_limit = TZM_WASM_MEMORY_LIMIT,
};

static Z_tzmwasm_instance_t *instance;
static wasm_rt_memory_t *memory;
uintptr_t tzm__wasm_stack_floor;

#if WASM_RT_MEMCHECK_SIGNAL_HANDLER
/*
 * The reservation: a load or store forms a 33-bit address (32-bit base + 32-bit offset)
 * and reads up to 8 bytes (16 with SIMD, which wasm2c 1.0.32 does not translate) there,
 * so 8 GiB plus one Wasm page of PROT_NONE leaves no address it can reach outside.
 * (wasm-rt's own reservation is exactly 8 GiB: the last bytes of an access at the
 * highest address would land past it.)
 */
#define RESERVATION ((UINT64_C(1) << 33) + 65536u)

static uint8_t *reserved;         /* start of the reservation; the memory's data */
static struct sigaction previous; /* SIGSEGV's disposition before ours */

/* glibc's sigaction: libtzm's sigaction() is the TA program's emulated POSIX signals,
 * delivered at call boundaries; a fault needs the kernel's handler. */
extern int __sigaction(int sig, const struct sigaction *act, struct sigaction *old);

static void on_fault(int sig, siginfo_t *si, void *ctx)
{
	(void)ctx;
	if (reserved != NULL && (uintptr_t)si->si_addr - (uintptr_t)reserved < RESERVATION) {
		wasm_rt_trap(WASM_RT_TRAP_OOB); /* siglongjmp to the glue: no return */
	}
	/* Not the module's memory (a bug elsewhere): the previous disposition, normally the
	 * default, takes the fault when the instruction runs again. */
	(void)__sigaction(sig, &previous, NULL);
}

static void install_fault_handler(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_fault;
	sa.sa_flags = SA_SIGINFO;
	sigemptyset(&sa.sa_mask);
	if (__sigaction(SIGSEGV, &sa, &previous) != 0) {
		tzm__wasm_fatal("cannot install the handler of out-of-bounds accesses (SIGSEGV)");
	}
}
#endif

/*
 * The linear memory (wasm-rt's allocator is linked with --wrap, so it is ours): capped at
 * the TA's memory limit, and a failure to get it is a clear fatal error, not a NULL
 * memory (wasm-rt's calloc is unchecked) or an abort().
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
#if WASM_RT_MEMCHECK_SIGNAL_HANDLER
	if (reserved != NULL) {
		tzm__wasm_fatal("the module has more than one memory");
	}
	/* PROT_NONE, private: neither data (RLIMIT_DATA) nor committed memory until mprotect
	 * makes pages of it the memory, which then count like any heap of the TA. */
	void *at = mmap(NULL, RESERVATION, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
			-1, 0);
	if (at == MAP_FAILED) {
		tzm__wasm_fatal(
			"cannot reserve the 8 GiB of address space that guards the module's "
			"linear memory (is RLIMIT_AS set?); tzm wasm build --bounds-checks "
			"explicit makes a TA that needs no reservation");
	}
	if (initial > 0 && mprotect(at, (size_t)initial * 65536u, PROT_READ | PROT_WRITE) != 0) {
		tzm__wasm_fatal("cannot allocate the module's linear memory (TA memory exhausted)");
	}
	reserved = at;
	memory = mem;
	mem->data = at;
	mem->pages = initial;
	mem->max_pages = max;
	mem->size = initial * 65536u;
#else
	__real_wasm_rt_allocate_memory(mem, initial, max);
	if (mem->data == NULL && initial > 0) {
		tzm__wasm_fatal("cannot allocate the module's linear memory (TA heap exhausted)");
	}
	memory = mem;
#endif
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
		/* refused before calloc: a sanitizer's allocator aborts rather than fail */       \
		if ((uint64_t)elements * sizeof(*table->data) > TZM_WASM_MEMORY_LIMIT) {           \
			tzm__wasm_fatal("cannot allocate the module's table (larger than the "     \
					"TA's memory limit)");                                     \
		}                                                                                  \
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
#if WASM_RT_MEMCHECK_SIGNAL_HANDLER
	install_fault_handler();
#endif
	int trap = wasm_rt_impl_try();
	if (trap != 0) {
		tzm__wasm_trapped(wasm_rt_strerror((wasm_rt_trap_t)trap));
	}
	/* The host knows the memory from its allocation on (above): a start section's
	 * function runs inside instantiation and may already call the host. */
	Z_tzmwasm_instantiate(instance TZM_WASM_IMPORT_ARGS(host_instance));
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
