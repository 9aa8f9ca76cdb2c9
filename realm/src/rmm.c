// SPDX-License-Identifier: BSD-2-Clause
/*
 * The machine: allocation of physical memory, the GPT set-up and the RMM's per-granule
 * bookkeeping. Everything belongs to one struct tzm_rmm (no globals), so the owner of
 * that struct — a test today, an RMM process later — is the only way in.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "rmm_int.h"

static size_t l0_regions(uint64_t base, uint64_t size)
{
	uint64_t first = base >> GPT_L0GPTSZ_BITS;
	uint64_t last = (base + size - 1) >> GPT_L0GPTSZ_BITS;
	return (size_t)(last - first + 1);
}

int tzm_rmm_create(const struct tzm_rmm_config *cfg, struct tzm_rmm **out)
{
	struct tzm_rmm *rmm = NULL;
	int rc = -EINVAL;

	*out = NULL;
	uint64_t base = cfg->mem_base != 0 ? cfg->mem_base : TZM_DEFAULT_MEM_BASE;
	if (cfg->dram_granules == 0 || (base & (TZM_GRANULE_SIZE - 1)) != 0 ||
	    cfg->dram_granules > (1u << 20) || cfg->secure_granules > (1u << 16) ||
	    cfg->shared_granules > (1u << 12) ||
	    (cfg->shared_granules > 0 && sysconf(_SC_PAGESIZE) != TZM_GRANULE_SIZE)) {
		return -EINVAL;
	}
	/* The Root region holds the level-0 table and one level-1 table per 1 GB touched. */
	size_t root = 1 + GPT_L1_TABLE_GRANULES;
	for (;;) {
		size_t total =
			root + cfg->secure_granules + cfg->dram_granules + cfg->shared_granules;
		size_t need = 1 + GPT_L1_TABLE_GRANULES *
					  l0_regions(base, (uint64_t)total * TZM_GRANULE_SIZE);
		if (need == root) {
			break;
		}
		root = need;
	}
	size_t total = root + cfg->secure_granules + cfg->dram_granules + cfg->shared_granules;
	if (base + (uint64_t)total * TZM_GRANULE_SIZE > (1ull << GPT_PPS_BITS)) {
		return -EINVAL; /* must lie inside the protected physical space */
	}
	rmm = calloc(1, sizeof(*rmm));
	if (rmm == NULL) {
		return -ENOMEM;
	}
	rmm->mem_base = base;
	rmm->mem_granules = total;
	rmm->secure_base = base + (uint64_t)root * TZM_GRANULE_SIZE;
	rmm->secure_granules = cfg->secure_granules;
	rmm->dram_base = rmm->secure_base + (uint64_t)cfg->secure_granules * TZM_GRANULE_SIZE;
	rmm->dram_granules = cfg->dram_granules;
	rmm->shared_base = rmm->dram_base + (uint64_t)cfg->dram_granules * TZM_GRANULE_SIZE;
	rc = -ENOMEM;
	/* page-aligned, zeroed; the shared region is the memfd's pages, mapped over it */
	void *mem = mmap(NULL, total * TZM_GRANULE_SIZE, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (mem == MAP_FAILED) {
		goto out;
	}
	rmm->mem = mem;
	if (cfg->shared_granules > 0) {
		uint8_t *at = rmm->mem + (rmm->shared_base - base);
		if (mmap(at, cfg->shared_granules * TZM_GRANULE_SIZE, PROT_READ | PROT_WRITE,
			 MAP_SHARED | MAP_FIXED, cfg->shared_fd, 0) != at) {
			rc = -EINVAL;
			goto out;
		}
		rmm->shared_granules = cfg->shared_granules;
	}
	rc = tzm__gpt_init(rmm, root);
	if (rc != 0) {
		goto out;
	}
	rc = tzm__rmm_init(rmm, cfg->platform_key_path);
	if (rc != 0) {
		goto out;
	}
	*out = rmm;
	return 0;
out:
	tzm_rmm_destroy(rmm);
	return rc;
}

void tzm_rmm_destroy(struct tzm_rmm *rmm)
{
	if (rmm == NULL) {
		return;
	}
	tzm__rmm_fini(rmm);
	if (rmm->mem != NULL) {
		munmap(rmm->mem, rmm->mem_granules * TZM_GRANULE_SIZE);
	}
	free(rmm);
}

void tzm_rmm_dram(const struct tzm_rmm *rmm, uint64_t *base, uint64_t *size)
{
	*base = rmm->dram_base;
	*size = (uint64_t)rmm->dram_granules * TZM_GRANULE_SIZE;
}

void tzm_rmm_shared(const struct tzm_rmm *rmm, uint64_t *base, uint64_t *size)
{
	*base = rmm->shared_base;
	*size = (uint64_t)rmm->shared_granules * TZM_GRANULE_SIZE;
}

void tzm_rmm_secure(const struct tzm_rmm *rmm, uint64_t *base, uint64_t *size)
{
	*base = rmm->secure_base;
	*size = (uint64_t)rmm->secure_granules * TZM_GRANULE_SIZE;
}
