/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The part of loading a Wasm module that tzmediator's own code does before wasm2c sees it:
 * a structural reader of the binary format (header, section framing, LEB128, and the type,
 * import, memory and export sections) that collects what `tzm wasm build` checks: the
 * imported functions with their types, the memory limits, the exports `_start` and
 * `memory`. wasm2c validates the code itself afterwards. Untrusted input: every length is
 * checked against the bytes that remain, nothing is read twice.
 */
#ifndef TZM_WASM_MODULE_H
#define TZM_WASM_MODULE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define TZM__WASM_PAGE 65536u
#define TZM__WASM_MAX_SIG 64 /* "params:results" text of one function type, NUL included */

struct tzm__wasm_import {
	char *module;
	char *name;
	uint32_t kind;               /* 0 function, 1 table, 2 memory, 3 global */
	char sig[TZM__WASM_MAX_SIG]; /* functions: e.g. "iiii:i"; i i32, I i64, f f32, F f64 */
};

struct tzm__wasm_module {
	struct tzm__wasm_import *imports;
	uint32_t n_imports;
	bool has_memory; /* defined (not imported) memory */
	uint32_t mem_min_pages;
	bool mem_has_max;
	uint32_t mem_max_pages;
	bool exports_start;  /* function export "_start" */
	bool exports_memory; /* memory export "memory" */
};

/*
 * Reads a module. 0 on success (release m with tzm__wasm_module_free), else -EINVAL
 * (malformed or unsupported: err says what and at which byte offset) or -ENOMEM.
 */
int tzm__wasm_module_parse(const uint8_t *buf, size_t len, struct tzm__wasm_module *m, char *err,
			   size_t err_cap);
void tzm__wasm_module_free(struct tzm__wasm_module *m);

#endif
