/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Wire protocol between the normal-world service and the signer TA. One request or
 * response per SOCK_SEQPACKET record; integers little-endian; no pointers, no padding.
 *
 * Request (SPLITAPP_REQ_HDR = 44 bytes + message):
 *   0        4      6      8          12                            44
 *   +--------+------+------+----------+-----------------------------+----------------+
 *   | magic  | ver  | op   | msg_len  | mac[32] (VERIFY, else zero) | msg[msg_len]   |
 *   +--------+------+------+----------+-----------------------------+----------------+
 * Response (SPLITAPP_RESP_SIZE = 44 bytes):
 *   0        4      6        8          12                            44
 *   +--------+------+--------+----------+-----------------------------+
 *   | magic  | ver  | status | reserved | mac[32] (SIGN, else zero)   |
 *   +--------+------+--------+----------+-----------------------------+
 *
 * op: SIGN returns HMAC-SHA256(key, msg); VERIFY answers OK or MISMATCH for (msg, mac);
 * KEY_ID returns HMAC-SHA256(key, "splitapp key id"), a public fingerprint that lets the
 * service see that the key survived a restart. The key itself is never sent.
 * Encoding and decoding happen only in splitapp_proto.c (copy -> validate -> use).
 */
#ifndef SPLITAPP_PROTO_H
#define SPLITAPP_PROTO_H

#include <assert.h>
#include <stddef.h>
#include <stdint.h>

#define SPLITAPP_MAGIC 0x53504c54u /* "TLPS" little-endian on the wire: 'T','L','P','S' */
#define SPLITAPP_VERSION 1u
#define SPLITAPP_MAC_SIZE 32u
#define SPLITAPP_MAX_MSG 4096u
#define SPLITAPP_REQ_HDR 44u
#define SPLITAPP_RESP_SIZE 44u
#define SPLITAPP_MAX_REQ (SPLITAPP_REQ_HDR + SPLITAPP_MAX_MSG)

enum splitapp_op {
	SPLITAPP_OP_SIGN = 1,
	SPLITAPP_OP_VERIFY = 2,
	SPLITAPP_OP_KEY_ID = 3,
};

enum splitapp_status {
	SPLITAPP_OK = 0,
	SPLITAPP_MISMATCH = 1,    /* VERIFY: the MAC does not match */
	SPLITAPP_BAD_REQUEST = 2, /* malformed record */
	SPLITAPP_INTERNAL = 3,    /* key unavailable */
};

/* Decoded request: msg points into the caller's record buffer (validated bounds). */
struct splitapp_req {
	uint16_t op;
	uint32_t msg_len;
	uint8_t mac[SPLITAPP_MAC_SIZE];
	const uint8_t *msg;
};

struct splitapp_resp {
	uint16_t status;
	uint8_t mac[SPLITAPP_MAC_SIZE];
};

static_assert(SPLITAPP_REQ_HDR == 4 + 2 + 2 + 4 + SPLITAPP_MAC_SIZE, "request header layout");
static_assert(SPLITAPP_RESP_SIZE == 4 + 2 + 2 + 4 + SPLITAPP_MAC_SIZE, "response layout");

/* Encodes a request into buf (cap bytes); returns the record length or -EINVAL/-EMSGSIZE. */
long splitapp_encode_req(uint8_t *buf, size_t cap, const struct splitapp_req *r);
/* Decodes one received record; returns 0 or -EPROTO (bad magic/version/op/length). */
int splitapp_decode_req(const uint8_t *buf, size_t len, struct splitapp_req *r);
/* Encodes a response into buf (SPLITAPP_RESP_SIZE bytes). */
void splitapp_encode_resp(uint8_t buf[SPLITAPP_RESP_SIZE], const struct splitapp_resp *r);
/* Decodes a response record; returns 0 or -EPROTO. */
int splitapp_decode_resp(const uint8_t *buf, size_t len, struct splitapp_resp *r);

#endif
