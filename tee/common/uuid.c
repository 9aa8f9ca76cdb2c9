/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * UUID conversions; see uuid.h.
 */
#include "uuid.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

void tzm__uuid_to_bytes(const struct tzm__uuid *u, uint8_t out[16])
{
	out[0] = (uint8_t)(u->time_low >> 24);
	out[1] = (uint8_t)(u->time_low >> 16);
	out[2] = (uint8_t)(u->time_low >> 8);
	out[3] = (uint8_t)u->time_low;
	out[4] = (uint8_t)(u->time_mid >> 8);
	out[5] = (uint8_t)u->time_mid;
	out[6] = (uint8_t)(u->time_hi >> 8);
	out[7] = (uint8_t)u->time_hi;
	memcpy(out + 8, u->clock_seq_node, 8);
}

void tzm__uuid_from_bytes(const uint8_t in[16], struct tzm__uuid *u)
{
	u->time_low =
		((uint32_t)in[0] << 24) | ((uint32_t)in[1] << 16) | ((uint32_t)in[2] << 8) | in[3];
	u->time_mid = (uint16_t)((in[4] << 8) | in[5]);
	u->time_hi = (uint16_t)((in[6] << 8) | in[7]);
	memcpy(u->clock_seq_node, in + 8, 8);
}

void tzm__uuid_bytes_to_str(const uint8_t in[16], char *out)
{
	static const char hex[] = "0123456789abcdef";
	size_t o = 0;

	for (int i = 0; i < 16; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10) {
			out[o++] = '-';
		}
		out[o++] = hex[in[i] >> 4];
		out[o++] = hex[in[i] & 0xf];
	}
	out[o] = '\0';
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9') {
		return c - '0';
	}
	if (c >= 'a' && c <= 'f') {
		return c - 'a' + 10;
	}
	if (c >= 'A' && c <= 'F') {
		return c - 'A' + 10;
	}
	return -1;
}

int tzm__uuid_parse(const char *s, uint8_t out[16])
{
	size_t pos = 0;

	if (!s || strlen(s) != TZM_UUID_STR_LEN) {
		return -EINVAL;
	}
	for (int i = 0; i < 16; i++) {
		int hi, lo;

		if (pos == 8 || pos == 13 || pos == 18 || pos == 23) {
			if (s[pos] != '-') {
				return -EINVAL;
			}
			pos++;
		}
		hi = hexval(s[pos]);
		lo = hexval(s[pos + 1]);
		if (hi < 0 || lo < 0) {
			return -EINVAL;
		}
		out[i] = (uint8_t)(hi << 4 | lo);
		pos += 2;
	}
	return 0;
}

int tzm__uuid_from_str(const char *s, struct tzm__uuid *u)
{
	uint8_t b[16];
	int rc = tzm__uuid_parse(s, b);

	if (rc == 0) {
		tzm__uuid_from_bytes(b, u);
	}
	return rc;
}
