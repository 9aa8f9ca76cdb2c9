/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The layout of OP-TEE's signed TA header (struct shdr, its magic and image types: facts
 * of OP-TEE's TA format), exported in OP-TEE's kit host_include and used by its regression
 * suite to corrupt TA images field by field. tzmediator's .ta files are not in this
 * format (tzm-ta-pack's own header, tee/README.md), so such a test corrupts other bytes;
 * the header is here so that those sources compile unchanged.
 */
#ifndef TZM_SIGNED_HDR_H
#define TZM_SIGNED_HDR_H

#include <inttypes.h>
#include <stddef.h>
#include <util.h>

enum shdr_img_type {
	SHDR_TA = 0,
	SHDR_BOOTSTRAP_TA = 1,
	SHDR_ENCRYPTED_TA = 2,
	SHDR_SUBKEY = 3,
};

#define SHDR_MAGIC 0x4f545348

/* followed by hash_size bytes of hash and sig_size bytes of signature */
struct shdr {
	uint32_t magic;
	uint32_t img_type;
	uint32_t img_size;
	uint32_t algo;
	uint16_t hash_size;
	uint16_t sig_size;
};

static inline size_t shdr_get_size(const struct shdr *shdr)
{
	size_t s = sizeof(*shdr);

	if (ADD_OVERFLOW(s, shdr->hash_size, &s) || ADD_OVERFLOW(s, shdr->sig_size, &s)) {
		return 0;
	}
	return s;
}

#define SHDR_GET_SIZE(x) shdr_get_size((x))
#define SHDR_GET_HASH(x) (uint8_t *)(((struct shdr *)(x)) + 1)
#define SHDR_GET_SIG(x) (SHDR_GET_HASH(x) + (x)->hash_size)

#endif
