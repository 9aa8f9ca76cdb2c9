// SPDX-License-Identifier: BSD-2-Clause
/*
 * Fuzz target for the Wasm module reader of `tzm wasm build` (src/module.c), the part of
 * loading a module that tzmediator's own code does. Any input must come back as a parsed
 * module or an error with a message, without reading outside the input; a parsed module's
 * imports have NUL-terminated names and type strings.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "module.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tzm__wasm_module m;
	char err[256];

	if (tzm__wasm_module_parse(data, size, &m, err, sizeof(err)) != 0) {
		if (memchr(err, '\0', sizeof(err)) == NULL || err[0] == '\0') {
			abort(); /* every refusal explains itself */
		}
		return 0;
	}
	for (uint32_t i = 0; i < m.n_imports; i++) {
		if (m.imports[i].module == NULL || m.imports[i].name == NULL ||
		    memchr(m.imports[i].sig, '\0', sizeof(m.imports[i].sig)) == NULL) {
			abort();
		}
	}
	if (m.mem_has_max && m.mem_max_pages < m.mem_min_pages) {
		abort();
	}
	tzm__wasm_module_free(&m);
	return 0;
}
