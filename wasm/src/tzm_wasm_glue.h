/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The interface between the WASI host (libtzm_wasm.a, the same for every Wasm TA) and the
 * glue (tzm_wasm_glue.c, compiled into each Wasm TA with that module's wasm2c output): the
 * host never sees wasm2c's types, so it does not depend on the module or on the layout
 * of wasm-rt.h's structures. Installed in the dev kit's include/ as tzm_wasm_glue.h.
 */
#ifndef TZM_WASM_GLUE_H
#define TZM_WASM_GLUE_H

#include <stddef.h>
#include <stdint.h>

/* glue -> host */
struct tzm__wasm_glue_info {
	const uint8_t *module_sha256; /* 32 bytes: SHA-256 of the .wasm file */
	const char *const *preopens;  /* absolute paths, NULL-terminated */
	uint64_t memory_limit;        /* bytes of linear memory the build allowed */
};

/* host -> glue: instantiates the module and runs its _start; returns when _start returns.
 * A trap does not return: it ends the TA through tzm__wasm_trapped(). */
void tzm__wasm_glue_run(void *host_instance);
/* host -> glue: the module's linear memory now (it moves when the module grows it). */
void tzm__wasm_glue_memory(uint8_t **data, uint64_t *size);
extern const struct tzm__wasm_glue_info tzm__wasm_glue_info;
/* The module's SHA-256, a dynamic symbol of the TA: the .ta header carries the same bytes
 * (tee/abi/ta_image.h), the loader refuses an image where they differ. */
extern const uint8_t tzm__wasm_module_sha256[32];

/* glue -> host: ends the TA like a panic, after one message naming the trap. */
__attribute__((noreturn)) void tzm__wasm_trapped(const char *what);
/* glue -> host: a fatal set-up failure (message), ends the TA like a panic. */
__attribute__((noreturn)) void tzm__wasm_fatal(const char *what);

/*
 * Native stack. wasm2c bounds the number of nested calls (500), not the bytes of native
 * stack its functions use: functions that keep many values live across a call have frames
 * of kilobytes and would overflow the TA's stack before that depth (SIGSEGV, or with frames
 * larger than the guard page, writes below it). The kit includes this header first in
 * every source of a Wasm TA, so the generated code's depth check also fails, and traps
 * with "call stack exhausted", when a function's frame lies below tzm__wasm_stack_floor
 * (set by the glue: the TA's stack size below where _start begins; the TA host adds
 * headroom under it for host calls).
 */
extern uintptr_t tzm__wasm_stack_floor;
/* A local's address tells where the frame is, without forcing a frame pointer. */
#define WASM_RT_MAX_CALL_STACK_DEPTH                                                               \
	(__extension__({                                                                           \
		char tzm__wasm_frame;                                                              \
		(uintptr_t) & tzm__wasm_frame > tzm__wasm_stack_floor ? 500u : 0u;                 \
	}))

#endif
