// SPDX-License-Identifier: BSD-2-Clause
/*
 * Private interfaces of the RMM half of the model (granule states, objects, commands).
 */
#ifndef TZM_RMM_INT_H
#define TZM_RMM_INT_H

#include "realm_int.h"

/* Granule states (RMM spec RmmGranuleState). */
enum tzm__gstate {
	GS_UNDELEGATED = 0,
	GS_DELEGATED = 1,
	GS_RD = 2,
	GS_REC = 3,
	GS_REC_AUX = 4,
	GS_DATA = 5,
	GS_RTT = 6,
};

struct tzm__granule {
	uint8_t state;
	uint32_t refcount; /* RD: RECs; RTT: live entries; REC: 1 while running */
};

int tzm__rmm_init(struct tzm_rmm *rmm);
void tzm__rmm_fini(struct tzm_rmm *rmm);

/* Metadata of the delegable granule at pa, NULL when pa is unaligned or not delegable. */
struct tzm__granule *tzm__granule(struct tzm_rmm *rmm, uint64_t pa);

#endif
