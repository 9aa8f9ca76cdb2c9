/* SPDX-License-Identifier: BSD-2-Clause */
/* Whole-file reads for the build-machine tools (tzm-ta-pack, tzm-wasm). */
#ifndef TZM_FILE_READ_H
#define TZM_FILE_READ_H

#include <stddef.h>
#include <stdint.h>

/*
 * Reads the file at path into *out (malloc'ed, one spare byte after its *len bytes, so a
 * caller may NUL-terminate). 0; -errno from fopen; -EFBIG over max bytes; -ENOMEM; -EIO
 * on a read or seek error.
 */
int tzm_file_read(const char *path, size_t max, uint8_t **out, size_t *len);

#endif
