/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Attestation requests from the TA-side API (tee/ta_host/attest.c, tzm_attest_token() /
 * tzm_attest_extend()) to the attestation service in tzm-teed (tee/core/attest.c),
 * carried as HOST_CALL payloads by ta_host__core_call(), command ids 0x0200-0x02FF.
 *
 * The TA host is untrusted from the core's point of view: a request must be exactly the
 * size of its struct; the core copies it into a local once, validates the copy
 * (version, reserved fields zero, ranges) and only then acts. Which TA is asking comes
 * from the core's own records (struct core_ta_identity), never from the request.
 *
 *   TOKEN   [in]  tam_token_req  (72 B)  | version 2 | rsvd 2 | rsvd 4 | challenge 64 |
 *           [out] tam_token_rsp  (8 B) followed by token_len bytes of CCA token
 *   EXTEND  [in]  tam_extend_req (80 B)  | hdr 8 | rem_index 4 | data_len 4 | data 64 |
 *           [out] nothing
 *
 * All integers are host-endian (both ends run on the same machine).
 */
#ifndef TZM_TEE_ATTEST_MSG_H
#define TZM_TEE_ATTEST_MSG_H

#include <assert.h>
#include <stdint.h>

#define TAM_VERSION 1u
#define TAM_CHALLENGE_LEN 64u
#define TAM_NUM_REMS 4u
#define TAM_MAX_EXTEND 64u
#define TAM_MAX_TOKEN (60u * 1024u) /* fits TEE_MSG_MAX_PAYLOAD with the response header */

enum tam_cmd {
	TAM_CMD_TOKEN = 0x0201,  /* [in] tam_token_req   [out] tam_token_rsp + token */
	TAM_CMD_EXTEND = 0x0202, /* [in] tam_extend_req  [out] nothing */
};
#define TAM_CMD_FIRST TAM_CMD_TOKEN
#define TAM_CMD_LAST TAM_CMD_EXTEND

struct tam_hdr {
	uint16_t version;   /* TAM_VERSION */
	uint16_t reserved0; /* 0 */
	uint32_t reserved1; /* 0 */
};
static_assert(sizeof(struct tam_hdr) == 8, "tam_hdr layout");

struct tam_token_req {
	struct tam_hdr hdr;
	uint8_t challenge[TAM_CHALLENGE_LEN]; /* realm claim 10, chosen by the verifier */
};
static_assert(sizeof(struct tam_token_req) == 72, "tam_token_req layout");

struct tam_token_rsp {
	uint16_t version;   /* TAM_VERSION */
	uint16_t reserved;  /* 0 */
	uint32_t token_len; /* bytes following this header, <= TAM_MAX_TOKEN */
};
static_assert(sizeof(struct tam_token_rsp) == 8, "tam_token_rsp layout");

struct tam_extend_req {
	struct tam_hdr hdr;
	uint32_t rem_index; /* 1..TAM_NUM_REMS (REM slot, as RSI MEASUREMENT_EXTEND) */
	uint32_t data_len;  /* 1..TAM_MAX_EXTEND */
	uint8_t data[TAM_MAX_EXTEND];
};
static_assert(sizeof(struct tam_extend_req) == 80, "tam_extend_req layout");

#endif
