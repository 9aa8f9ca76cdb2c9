// SPDX-License-Identifier: BSD-2-Clause
/*
 * Offline RIM prediction: replays the load sequence of tzm_realm_layout (tzm_realm.h)
 * through the same measurement descriptors the RMM hashes, without a machine.
 */
#include <errno.h>
#include <string.h>

#include "rmm_int.h"

#define TWO_MB (2ull << 20)

int tzm_realm_predict_rim(const struct tzm_realm_layout *l, const void *image, size_t image_len,
			  uint8_t rim[64])
{
	if (tzm_realm_layout_check(l, image_len) != 0) {
		return -EINVAL;
	}
	struct tzm__realm_params p;
	memset(&p, 0, sizeof(p));
	p.s2sz = (uint8_t)l->s2sz;
	p.algorithm = (uint8_t)l->algorithm;
	tzm__measure_realm_params(&p, rim);

	/* RTT_INIT_RIPAS stops at the end of each level-3 table (2 MB). */
	uint64_t top = l->ipa_base + l->ram_size;
	for (uint64_t base = l->ipa_base; base < top;) {
		uint64_t next = (base & ~(TWO_MB - 1)) + TWO_MB;
		if (next > top) {
			next = top;
		}
		tzm__measure_ripas(l->algorithm, rim, base, next);
		base = next;
	}

	uint8_t page[TZM_GRANULE_SIZE];
	const uint8_t *img = image;
	for (size_t off = 0; off < image_len; off += TZM_GRANULE_SIZE) {
		size_t n = image_len - off < TZM_GRANULE_SIZE ? image_len - off : TZM_GRANULE_SIZE;
		memset(page, 0, sizeof(page));
		memcpy(page, img + off, n);
		tzm__measure_data(l->algorithm, rim, l->ipa_base + off, TZM_RMI_MEASURE_CONTENT,
				  page);
	}

	for (unsigned i = 0; i < l->num_recs; i++) {
		struct tzm__rec_params rp;
		memset(&rp, 0, sizeof(rp));
		rp.flags = i == 0 ? TZM_REC_PARAMS_FLAG_RUNNABLE : 0;
		rp.pc = i == 0 ? l->entry : 0;
		tzm__measure_rec(l->algorithm, rim, &rp);
	}
	return 0;
}
