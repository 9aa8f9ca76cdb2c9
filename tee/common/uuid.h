/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * UUID conversions shared by libteec, the core, the TA host and tzm-ta-pack. On the wire
 * and in .ta headers a UUID is 16 bytes in RFC 4122 order; in the APIs it is the
 * TEEC_UUID / TEE_UUID struct (host-endian fields, identical layouts).
 */
#ifndef TZM_UUID_H
#define TZM_UUID_H

#include <stddef.h>
#include <stdint.h>

/* Same layout as TEEC_UUID and TEE_UUID. */
struct tzm__uuid {
	uint32_t time_low;
	uint16_t time_mid;
	uint16_t time_hi;
	uint8_t clock_seq_node[8];
};

#define TZM_UUID_STR_LEN 36

void tzm__uuid_to_bytes(const struct tzm__uuid *u, uint8_t out[16]);
void tzm__uuid_from_bytes(const uint8_t in[16], struct tzm__uuid *u);
/* out must hold TZM_UUID_STR_LEN + 1 bytes; lower-case canonical form. */
void tzm__uuid_bytes_to_str(const uint8_t in[16], char *out);
/* Parses the canonical 8-4-4-4-12 form (either case). Returns 0 or -EINVAL. */
int tzm__uuid_parse(const char *s, uint8_t out[16]);
/* The same into the struct (a TEEC_UUID or TEE_UUID may be passed cast). 0 or -EINVAL. */
int tzm__uuid_from_str(const char *s, struct tzm__uuid *u);

#endif
