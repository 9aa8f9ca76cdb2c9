/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The only encoder/decoder of the splitapp wire protocol (layout in splitapp_proto.h).
 * Decoding copies the fixed header into locals first, validates them as a whole, and only
 * then fills the caller's struct, so nothing is read twice or trusted before checking.
 */
#include "splitapp_proto.h"

#include <errno.h>
#include <string.h>

#include <tzm_util.h>

static int valid_op(uint16_t op)
{
	return op == SPLITAPP_OP_SIGN || op == SPLITAPP_OP_VERIFY || op == SPLITAPP_OP_KEY_ID;
}

long splitapp_encode_req(uint8_t *buf, size_t cap, const struct splitapp_req *r)
{
	size_t total = 0;

	if (!valid_op(r->op) || r->msg_len > SPLITAPP_MAX_MSG ||
	    (r->msg_len > 0 && r->msg == NULL)) {
		return -EINVAL;
	}
	total = SPLITAPP_REQ_HDR + (size_t)r->msg_len; /* bounded by SPLITAPP_MAX_REQ */
	if (total > cap) {
		return -EMSGSIZE;
	}
	tzm_util_put_le32(buf, SPLITAPP_MAGIC);
	tzm_util_put_le16(buf + 4, SPLITAPP_VERSION);
	tzm_util_put_le16(buf + 6, r->op);
	tzm_util_put_le32(buf + 8, r->msg_len);
	memcpy(buf + 12, r->mac, SPLITAPP_MAC_SIZE);
	if (r->msg_len > 0) {
		memcpy(buf + SPLITAPP_REQ_HDR, r->msg, r->msg_len);
	}
	return (long)total;
}

int splitapp_decode_req(const uint8_t *buf, size_t len, struct splitapp_req *r)
{
	uint8_t hdr[SPLITAPP_REQ_HDR];
	uint32_t magic = 0, msg_len = 0;
	uint16_t ver = 0, op = 0;

	if (len < SPLITAPP_REQ_HDR || len > SPLITAPP_MAX_REQ) {
		return -EPROTO;
	}
	memcpy(hdr, buf, sizeof(hdr));
	magic = tzm_util_get_le32(hdr);
	ver = tzm_util_get_le16(hdr + 4);
	op = tzm_util_get_le16(hdr + 6);
	msg_len = tzm_util_get_le32(hdr + 8);
	if (magic != SPLITAPP_MAGIC || ver != SPLITAPP_VERSION || !valid_op(op) ||
	    msg_len > SPLITAPP_MAX_MSG || (size_t)msg_len != len - SPLITAPP_REQ_HDR) {
		return -EPROTO;
	}
	r->op = op;
	r->msg_len = msg_len;
	memcpy(r->mac, hdr + 12, SPLITAPP_MAC_SIZE);
	r->msg = buf + SPLITAPP_REQ_HDR;
	return 0;
}

void splitapp_encode_resp(uint8_t buf[SPLITAPP_RESP_SIZE], const struct splitapp_resp *r)
{
	tzm_util_put_le32(buf, SPLITAPP_MAGIC);
	tzm_util_put_le16(buf + 4, SPLITAPP_VERSION);
	tzm_util_put_le16(buf + 6, r->status);
	tzm_util_put_le32(buf + 8, 0);
	memcpy(buf + 12, r->mac, SPLITAPP_MAC_SIZE);
}

int splitapp_decode_resp(const uint8_t *buf, size_t len, struct splitapp_resp *r)
{
	uint8_t rec[SPLITAPP_RESP_SIZE];
	uint16_t status = 0;

	if (len != SPLITAPP_RESP_SIZE) {
		return -EPROTO;
	}
	memcpy(rec, buf, sizeof(rec));
	status = tzm_util_get_le16(rec + 6);
	if (tzm_util_get_le32(rec) != SPLITAPP_MAGIC ||
	    tzm_util_get_le16(rec + 4) != SPLITAPP_VERSION || status > SPLITAPP_INTERNAL ||
	    tzm_util_get_le32(rec + 8) != 0) {
		return -EPROTO;
	}
	r->status = status;
	memcpy(r->mac, rec + 12, SPLITAPP_MAC_SIZE);
	return 0;
}
