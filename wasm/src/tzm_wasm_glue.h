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

/* glue -> host: ends the TA like a panic, after one message naming the trap. */
__attribute__((noreturn)) void tzm__wasm_trapped(const char *what);
/* glue -> host: a fatal set-up failure (message), ends the TA like a panic. */
__attribute__((noreturn)) void tzm__wasm_fatal(const char *what);

#endif
