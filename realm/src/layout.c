// SPDX-License-Identifier: BSD-2-Clause
/*
 * The load layout of tzm_realm.h: defaults and the checks the RMM would apply. No
 * cryptography here: the host side (tzm_realm_client) needs it too.
 */
#include <errno.h>
#include <string.h>

#include "tzm_realm.h"

/* as rmm_int.h: the IPA widths the RMM supports */
#define RMM_MIN_IPA_BITS 32u
#define RMM_MAX_IPA_BITS 48u

#define TWO_MB (2ull << 20)

void tzm_realm_layout_default(struct tzm_realm_layout *l, size_t image_len)
{
	memset(l, 0, sizeof(*l));
	l->s2sz = 32;
	l->algorithm = TZM_RMI_HASH_SHA_256;
	l->ram_size = ((uint64_t)image_len + TWO_MB - 1) & ~(TWO_MB - 1);
	if (l->ram_size == 0) {
		l->ram_size = TWO_MB;
	}
	l->num_recs = 1;
}

int tzm_realm_layout_check(const struct tzm_realm_layout *l, size_t image_len)
{
	uint64_t end = 0;
	if (l->s2sz < RMM_MIN_IPA_BITS || l->s2sz > RMM_MAX_IPA_BITS ||
	    (l->algorithm != TZM_RMI_HASH_SHA_256 && l->algorithm != TZM_RMI_HASH_SHA_512) ||
	    (l->ipa_base & (TZM_GRANULE_SIZE - 1)) != 0 || l->ram_size == 0 ||
	    (l->ram_size & (TZM_GRANULE_SIZE - 1)) != 0 || l->ram_size < image_len ||
	    l->num_recs == 0 || l->num_recs > 16) {
		return -EINVAL;
	}
	if (__builtin_add_overflow(l->ipa_base, l->ram_size, &end) ||
	    end > (1ull << (l->s2sz - 1))) {
		return -EINVAL; /* RAM must be protected IPA space */
	}
	return 0;
}
