// SPDX-License-Identifier: BSD-2-Clause
/*
 * wasm_attest: a Wasm TA asks for its attestation token with the challenge given in hex
 * (128 hex digits) through tzm_attest_token (the "tzm" import module) and writes the token
 * to stdout; with "bad" it passes a length pointer outside its memory first.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <tzm_wasm.h>

static uint8_t token[8192];

int main(int argc, char **argv)
{
	uint8_t challenge[TZM_WASM_ATTEST_CHALLENGE_LEN];
	if (argc < 2 || strlen(argv[1]) != 2 * sizeof(challenge)) {
		fprintf(stderr, "usage: attest <128 hex digits> [bad]\n");
		return 2;
	}
	for (size_t i = 0; i < sizeof(challenge); i++) {
		unsigned v = 0;
		if (sscanf(argv[1] + 2 * i, "%2x", &v) != 1) {
			return 2;
		}
		challenge[i] = (uint8_t)v;
	}
	if (argc > 2 && strcmp(argv[2], "bad") == 0) {
		uint32_t top = (uint32_t)__builtin_wasm_memory_size(0) * 65536u;
		uint32_t r = tzm_attest_token(challenge, token, (size_t *)(uintptr_t)(top - 2));
		fprintf(stderr, "out-of-range length pointer: 0x%08x\n", (unsigned)r);
		return r == TZM_WASM_TEE_ERROR_BAD_PARAMETERS ? 0 : 1;
	}
	size_t len = 0;
	uint32_t r = tzm_attest_token(challenge, NULL, &len);
	if (r != TZM_WASM_TEE_ERROR_SHORT_BUFFER || len == 0 || len > sizeof(token)) {
		fprintf(stderr, "size query: 0x%08x, %zu\n", (unsigned)r, len);
		return 1;
	}
	r = tzm_attest_token(challenge, token, &len);
	if (r != TZM_WASM_TEE_SUCCESS) {
		fprintf(stderr, "tzm_attest_token: 0x%08x\n", (unsigned)r);
		return 1;
	}
	return write(1, token, len) == (ssize_t)len ? 0 : 1;
}
