/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * tzm_wasm.h: what a WebAssembly TA (a C program compiled to wasm32-wasi and made a TA with
 * `tzm wasm build`) can import from tzmediator beyond WASI preview 1: the import module
 * "tzm". Include it in the Wasm build only (it declares Wasm imports); the native build
 * of the same program uses <tzm_attest_ta.h>.
 *
 *     uint8_t tok[4096]; size_t len = sizeof(tok);
 *     uint32_t res = tzm_attest_token(nonce, tok, &len);   // nonce: 64 bytes
 */
#ifndef TZM_WASM_H
#define TZM_WASM_H

#include <stddef.h>
#include <stdint.h>

#ifndef __wasm__
#error "tzm_wasm.h declares WebAssembly imports: include it in wasm32-wasi builds only"
#endif

#ifdef __cplusplus
extern "C" {
#endif

#define TZM_WASM_ATTEST_CHALLENGE_LEN 64
/* the TEE_Result values tzm_attest_token() returns (as <tee_api_defines.h>) */
#define TZM_WASM_TEE_SUCCESS 0x00000000u
#define TZM_WASM_TEE_ERROR_BAD_PARAMETERS 0xffff0006u
#define TZM_WASM_TEE_ERROR_OUT_OF_MEMORY 0xffff000cu
#define TZM_WASM_TEE_ERROR_COMMUNICATION 0xffff000eu
#define TZM_WASM_TEE_ERROR_SHORT_BUFFER 0xffff0010u

/*
 * The TA's CCA-format attestation token, as tzm_attest_token() of a C TA
 * (<tzm_attest_ta.h>): binds challenge (64 bytes) to the TA's measurement. *len: [in]
 * capacity of buf, [out] the token's size (TEE_ERROR_SHORT_BUFFER: the size needed).
 * A pointer or length outside the module's memory: TEE_ERROR_BAD_PARAMETERS.
 */
__attribute__((import_module("tzm"), import_name("attest_token"))) uint32_t
tzm_attest_token(const uint8_t *challenge, void *buf, size_t *len);

#ifdef __cplusplus
}
#endif

#endif
