/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The .ta image format: a fixed 128-byte header followed by the TA's ELF shared object.
 * Written by tzm-ta-pack, verified by tzm-teed (whole file) and again by tzm-ta-host
 * (header against the ELF's __tzm_ta_head). All integers little-endian.
 *
 *   offset  size  field
 *   0       8     magic "TZMTAIMG"
 *   8       4     format version (TA_IMAGE_VERSION = 1)
 *   12      4     header size (128)
 *   16      16    TA UUID, RFC 4122 byte order (as in the canonical text form)
 *   32      4     TA_FLAGS
 *   36      4     TA_STACK_SIZE
 *   40      4     TA_DATA_SIZE
 *   44      2     ELF e_machine of the image (62 = x86-64, 183 = aarch64)
 *   46      2     reserved, zero
 *   48      8     ELF image size in bytes (the rest of the file, exactly)
 *   56      32    SHA-256 of the ELF image
 *   88      4     module kind: TA_IMAGE_MODULE_NONE (0, a C TA) or TA_IMAGE_MODULE_WASM
 *                 (1, a Wasm TA made by `tzm wasm build`)
 *   92      32    TA_IMAGE_MODULE_WASM: SHA-256 of the .wasm module the TA was built from
 *                 (equal to the ELF's TA_IMAGE_WASM_MODULE_SYMBOL); kind 0: zero
 *   124     4     reserved, zero
 *   128     ...   ELF image
 *
 * The TA measurement used by attestation (the RIM of its token) is SHA-256 over the whole
 * file (header + ELF), so it covers the module fields too; the core also puts a Wasm TA's
 * module SHA-256 in the token's personalization value (attest/README.md). An image with a
 * module kind this loader does not know is refused (format extension without a new
 * version: images of C TAs, kind 0, are what version 1 always was).
 */
#ifndef TZM_TA_IMAGE_H
#define TZM_TA_IMAGE_H

#include <assert.h>
#include <stddef.h>
#include <stdint.h>

#include "../ta_include/ta_flags.h"

#define TA_IMAGE_MAGIC "TZMTAIMG"
#define TA_IMAGE_VERSION 1u
#define TA_IMAGE_HDR_SIZE 128u
/* Upper bound on an ELF image we are willing to load (sanity, not policy). */
#define TA_IMAGE_MAX_ELF_SIZE (64u * 1024u * 1024u)

struct ta_image_hdr {
	uint8_t magic[8];
	uint32_t version;
	uint32_t hdr_size;
	uint8_t uuid[16];
	uint32_t flags;
	uint32_t stack_size;
	uint32_t data_size;
	uint16_t e_machine;
	uint16_t reserved0;
	uint64_t elf_size;
	uint8_t elf_sha256[32];
	uint32_t module_kind;
	uint8_t module_sha256[32];
	uint8_t reserved[4];
};
static_assert(sizeof(struct ta_image_hdr) == TA_IMAGE_HDR_SIZE, "ta image header size");
static_assert(offsetof(struct ta_image_hdr, elf_size) == 48, "ta image header layout");
static_assert(offsetof(struct ta_image_hdr, elf_sha256) == 56, "ta image header layout");
static_assert(offsetof(struct ta_image_hdr, module_kind) == 88, "ta image header layout");
static_assert(offsetof(struct ta_image_hdr, module_sha256) == 92, "ta image header layout");

/* module_kind values */
#define TA_IMAGE_MODULE_NONE 0u
#define TA_IMAGE_MODULE_WASM 1u
/* The Wasm glue's definition of the module's SHA-256 (32 bytes, wasm/src/glue.c): the
 * packer copies it into the header and the loader checks that they agree. */
#define TA_IMAGE_WASM_MODULE_SYMBOL "tzm__wasm_module_sha256"

/* Flags a .ta may carry (TA_FLAG_*, OP-TEE values). Others are rejected. */
#define TA_FLAGS_MASK 0x3ffcu

#endif
