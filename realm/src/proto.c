// SPDX-License-Identifier: BSD-2-Clause
/*
 * The one decoder of tzm-rmm's socket messages (tzm_rmm_proc.h), used by all three
 * parties (host, RMM, realm): nothing else reads a received message's bytes. Pure: no
 * system calls, no libc function libtzm overrides (the realm side links it into libtzm).
 */
#include <errno.h>
#include <string.h>

#include "tzm_rmm_proc.h"

_Static_assert(sizeof(struct tzm_rmmp_hdr) == TZM_RMMP_HDR_SIZE, "tzm_rmmp_hdr layout");

void tzm_rmmp_header(struct tzm_rmmp_hdr *hdr, unsigned type, int32_t status, const uint64_t *x,
		     unsigned nx, uint32_t data_len)
{
	memset(hdr, 0, sizeof(*hdr));
	hdr->magic = TZM_RMMP_MAGIC;
	hdr->version = TZM_RMMP_VERSION;
	hdr->type = (uint16_t)type;
	hdr->status = status;
	hdr->data_len = data_len;
	if (x != NULL) {
		memcpy(hdr->x, x, (nx > 31 ? 31 : nx) * sizeof(uint64_t));
	}
}

/* A request's arguments: lengths bounded, no data where none belongs. */
static bool request_valid(const struct tzm_rmmp_hdr *h)
{
	switch (h->type) {
	case TZM_RMMP_RMI:
	case TZM_RMMP_PLATFORM_KEY:
	case TZM_RMMP_INFO:
	case TZM_RMMP_SMC:
	case TZM_RMMP_RUN:
		return h->data_len == 0;
	case TZM_RMMP_NS_READ:
	case TZM_RMMP_MEM_READ:
		return h->data_len == 0 && h->x[1] >= 1 && h->x[1] <= TZM_RMMP_MAX_DATA;
	case TZM_RMMP_NS_WRITE:
	case TZM_RMMP_MEM_WRITE:
		return h->data_len >= 1;
	case TZM_RMMP_MAP_SHARED:
		return h->data_len == 0 && h->x[1] >= 1 && h->x[1] <= (1u << 20);
	default:
		return false;
	}
}

int tzm_rmmp_decode(const void *msg, size_t len, uint32_t allowed, bool reply,
		    struct tzm_rmmp_hdr *hdr, const uint8_t **data)
{
	struct tzm_rmmp_hdr h;

	if (msg == NULL || len < sizeof(h) || len > TZM_RMMP_MSG_MAX) {
		return -EBADMSG;
	}
	memcpy(&h, msg, sizeof(h)); /* copy once, then validate the copy */
	if (h.magic != TZM_RMMP_MAGIC || h.version != TZM_RMMP_VERSION || h.type >= 32 ||
	    (allowed & TZM_RMMP_BIT(h.type)) == 0 || h.data_len > TZM_RMMP_MAX_DATA ||
	    len != sizeof(h) + h.data_len) {
		return -EBADMSG;
	}
	if (reply) {
		if (h.status > 0 || h.status < -4095 || (h.status != 0 && h.data_len != 0)) {
			return -EBADMSG;
		}
	} else if (h.status != 0 || !request_valid(&h)) {
		return -EBADMSG;
	}
	*hdr = h;
	*data = (const uint8_t *)msg + sizeof(h);
	return 0;
}
