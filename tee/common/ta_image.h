/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Verification of .ta images (tee/abi/ta_image.h) and of the ELF shared object inside,
 * shared by tzm-teed, tzm-ta-host, tzm-ta-pack and the unit tests. Pure functions over a
 * (buffer, length); every field is read through the bounds-checked readers in ta_image.c.
 *
 * Errors: -EBADMSG malformed/foreign (→ TEE_ERROR_BAD_FORMAT), -ENOEXEC wrong architecture
 * (→ BAD_FORMAT), -EKEYREJECTED hash or UUID mismatch (→ TEE_ERROR_SECURITY),
 * -EPERM the ELF has initializers or unexpected dependencies (→ TEE_ERROR_SECURITY).
 * `*why` (optional) receives a static human-readable reason for the log.
 */
#ifndef TZM_COMMON_TA_IMAGE_H
#define TZM_COMMON_TA_IMAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../abi/ta_image.h"

#define TZM_EM_X86_64 62
#define TZM_EM_AARCH64 183

/* The e_machine of the architecture this code was compiled for. */
uint16_t tzm__host_e_machine(void);

/* Decodes and validates the header fields alone (no hash). out gets host-endian fields.
 * The one place that decides which header values are valid (module kind 0 or 1, module
 * hash zero for kind 0, reserved bytes zero, sizes). */
int tzm__ta_image_parse_hdr(const uint8_t *file, size_t len, struct ta_image_hdr *out,
			    const char **why);

/*
 * Full verification: header, exact size, architecture, SHA-256, expected UUID (NULL to
 * skip), the ELF checks below, and for a Wasm TA (TA_IMAGE_MODULE_WASM) that the ELF's
 * TA_IMAGE_WASM_MODULE_SYMBOL equals the header's module hash (-EKEYREJECTED if not).
 */
int tzm__ta_image_verify(const uint8_t *file, size_t len, const uint8_t *expect_uuid,
			 uint16_t machine, struct ta_image_hdr *out, const char **why);

/*
 * ELF64 little-endian ET_DYN checks: machine, program headers in bounds, no DT_INIT /
 * DT_INIT_ARRAY / DT_PREINIT_ARRAY (they would run before the sandbox is in place), no
 * text relocations, DT_NEEDED limited to the C runtime libraries.
 */
int tzm__elf_check(const uint8_t *elf, size_t len, uint16_t machine, const char **why);

/*
 * Finds a defined dynamic symbol by name and returns a pointer to its initialised bytes
 * in the file and its size. -ENOENT when absent, -EBADMSG when malformed.
 */
int tzm__elf_find_symbol(const uint8_t *elf, size_t len, const char *name, const uint8_t **data,
			 size_t *size);

/*
 * Calls fn(name, defined, arg) for every named symbol of the dynamic symbol table
 * (SHT_DYNSYM) of an ELF64 little-endian ET_DYN image (a TA or a PIE executable); stops
 * at the first non-zero return of fn and returns it. -EBADMSG when malformed.
 */
int tzm__elf_for_each_dynsym(const uint8_t *elf, size_t len,
			     int (*fn)(const char *name, bool defined, void *arg), void *arg);

#endif
