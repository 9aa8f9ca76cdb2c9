/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * tzm_attest_extend() in a realm (test_attest_extend.sh). Usage:
 *
 *     realm_extend CHALLENGE_HEX [INDEX:DATA_HEX]...
 *
 * extends REM INDEX with DATA for each argument in order (RSI_MEASUREMENT_EXTEND), prints
 * one line per extension ("extend INDEX LEN: ok" or "extend INDEX LEN: refused
 * (TEE_ERROR_...)"), then asks for the realm's token with the 64-byte challenge and
 * prints "token HEX". The indices and lengths are passed as given (0, 5, 65 bytes...), so
 * the refusals are the RMM's. Natively there is no realm: it says so and exits 77.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#if defined(TZM_POSIX_REALM)
#include <tzm_attest_ta.h>
#endif

#define MAX_DATA 128
#define TOKEN_CAP 16384

static int hexval(char c)
{
	if (c >= '0' && c <= '9') {
		return c - '0';
	}
	if (c >= 'a' && c <= 'f') {
		return c - 'a' + 10;
	}
	return -1;
}

/* Lower-case hex of at most cap bytes; the byte count, or -1. */
static long unhex(const char *s, uint8_t *out, size_t cap)
{
	size_t n = strlen(s);
	if (n % 2 != 0 || n / 2 > cap) {
		return -1;
	}
	for (size_t i = 0; i < n / 2; i++) {
		int hi = hexval(s[2 * i]), lo = hexval(s[2 * i + 1]);
		if (hi < 0 || lo < 0) {
			return -1;
		}
		out[i] = (uint8_t)(hi << 4 | lo);
	}
	return (long)(n / 2);
}

#if defined(TZM_POSIX_REALM)
static const char *tee_name(uint32_t res)
{
	switch (res) {
	case 0xFFFF0006u:
		return "TEE_ERROR_BAD_PARAMETERS";
	case 0xFFFF000Eu:
		return "TEE_ERROR_COMMUNICATION";
	default:
		return "TEE_ERROR_?";
	}
}

int main(int argc, char **argv)
{
	static uint8_t token[TOKEN_CAP];
	uint8_t challenge[TZM_ATTEST_TA_CHALLENGE_LEN];
	size_t len = sizeof(token);

	if (argc < 2 || unhex(argv[1], challenge, sizeof(challenge)) != (long)sizeof(challenge)) {
		fprintf(stderr,
			"usage: realm_extend CHALLENGE_HEX(64 bytes) [INDEX:DATA_HEX]...\n");
		return 64;
	}
	for (int i = 2; i < argc; i++) {
		uint8_t data[MAX_DATA];
		char *colon = NULL;
		unsigned long index = strtoul(argv[i], &colon, 10);
		long n = colon != NULL && *colon == ':' ? unhex(colon + 1, data, sizeof(data)) : -1;
		if (n < 0) {
			fprintf(stderr, "realm_extend: bad argument %s (INDEX:DATA_HEX)\n",
				argv[i]);
			return 64;
		}
		uint32_t res = tzm_attest_extend((uint32_t)index, data, (size_t)n);
		if (res == 0) {
			printf("extend %lu %ld: ok\n", index, n);
		} else {
			printf("extend %lu %ld: refused (%s)\n", index, n, tee_name(res));
		}
	}
	uint32_t res = tzm_attest_token(challenge, token, &len);
	if (res != 0) {
		fprintf(stderr, "realm_extend: tzm_attest_token failed: 0x%08x\n", res);
		return 1;
	}
	printf("token ");
	for (size_t i = 0; i < len; i++) {
		printf("%02x", token[i]);
	}
	printf("\n");
	return 0;
}
#else
int main(int argc, char **argv)
{
	uint8_t challenge[64];
	(void)unhex(argc > 1 ? argv[1] : "", challenge, sizeof(challenge));
	fprintf(stderr, "realm_extend: not a realm build: no measurements to extend\n");
	return 77;
}
#endif
