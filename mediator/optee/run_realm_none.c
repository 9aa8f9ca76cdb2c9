/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * tzm-run for real OP-TEE (normal-world.mk) has no RMM model to start realms with
 * (shadow/run_realm.c needs realm/'s library): --realm says so and fails.
 */
#include <stdio.h>

#include "../shadow/run.h"

int tzm__run_realm(struct tzm_run *r)
{
	(void)r;
	fprintf(stderr, "tzm-run: --realm is not supported by this build (tzm-run for real "
			"OP-TEE has no RMM model)\n");
	return 64;
}
