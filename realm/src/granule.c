// SPDX-License-Identifier: BSD-2-Clause
/*
 * The RMM's per-granule bookkeeping (as TF-RMM's granule.c): one state and one reference
 * count per delegable granule.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "rmm_int.h"

int tzm__rmm_init(struct tzm_rmm *rmm, const char *platform_key_path)
{
	rmm->granules = calloc(rmm->dram_granules, sizeof(*rmm->granules));
	if (rmm->granules == NULL) {
		return -ENOMEM;
	}
	return tzm__attest_init(rmm, platform_key_path);
}

void tzm__rmm_fini(struct tzm_rmm *rmm)
{
	tzm__attest_fini(rmm);
	free(rmm->granules);
	rmm->granules = NULL;
}

struct tzm__granule *tzm__granule(struct tzm_rmm *rmm, uint64_t pa)
{
	if ((pa & (TZM_GRANULE_SIZE - 1)) != 0 || !tzm__pa_in_dram(rmm, pa)) {
		return NULL;
	}
	return &rmm->granules[(pa - rmm->dram_base) >> TZM_GRANULE_SHIFT];
}
