/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Small portable SHA-256 (FIPS 180-4). Used where OpenSSL is not available or not wanted:
 * the tzm-ta-pack host tool (built natively even in cross builds) and the TA image checks.
 */
#ifndef TZM_SHA256_H
#define TZM_SHA256_H

#include <stddef.h>
#include <stdint.h>

struct tzm__sha256 {
	uint32_t h[8];
	uint64_t total;
	uint8_t buf[64];
	size_t used;
};

void tzm__sha256_init(struct tzm__sha256 *c);
void tzm__sha256_update(struct tzm__sha256 *c, const void *data, size_t len);
void tzm__sha256_final(struct tzm__sha256 *c, uint8_t out[32]);
void tzm__sha256(const void *data, size_t len, uint8_t out[32]);

#endif
