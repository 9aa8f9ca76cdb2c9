/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * mediator_faultinj UNIT [CALL]: fails each acquiring call of the unit's workload in turn
 * (finj.h). Units: policy (the policy loader), shadow (the shadow's request handlers).
 */
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "units.h"

int finj_tmpdir(char *out, size_t len)
{
	const char *tmp = getenv("TMPDIR");
	int n = snprintf(out, len, "%s/tzm-finj-XXXXXX", tmp && tmp[0] ? tmp : "/tmp");

	if (n < 0 || (size_t)n >= len || !mkdtemp(out)) {
		perror("finj: mkdtemp");
		return -1;
	}
	return 0;
}

static int rm_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	(void)remove(path);
	return 0;
}

void finj_rmtree(const char *path)
{
	(void)nftw(path, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

int main(int argc, char **argv)
{
	static const struct finj_unit *const all[] = { &finj_unit_policy, &finj_unit_shadow };
	struct finj_unit units[sizeof(all) / sizeof(all[0])];

	for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++) {
		units[i] = *all[i];
	}
	return finj_main(argc, argv, units, sizeof(units) / sizeof(units[0]));
}
