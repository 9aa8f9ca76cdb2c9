// SPDX-License-Identifier: BSD-2-Clause
#include <string.h>

#include "realm_host.h"
#include "tzm_test.h"

void put64(uint8_t *p, uint64_t v)
{
	memcpy(p, &v, sizeof(v));
}

uint64_t get64(const uint8_t *p)
{
	uint64_t v = 0;
	memcpy(&v, p, sizeof(v));
	return v;
}

void host_init(struct host *h, size_t dram_granules)
{
	host_init_shared(h, dram_granules, 0, -1);
}

void host_init_shared(struct host *h, size_t dram_granules, size_t shared_granules, int shared_fd)
{
	struct tzm_rmm_config cfg = { .dram_granules = dram_granules,
				      .secure_granules = 2,
				      .shared_granules = shared_granules,
				      .shared_fd = shared_fd };
	memset(h, 0, sizeof(*h));
	ASSERT_OK(tzm_rmm_create(&cfg, &h->rmm));
	tzm_rmm_dram(h->rmm, &h->dram_base, &h->dram_size);
	h->next = h->dram_base;
}

void host_fini(struct host *h)
{
	tzm_rmm_destroy(h->rmm);
	h->rmm = NULL;
}

uint64_t host_granule(struct host *h)
{
	ASSERT_LT_U64(h->next, h->dram_base + h->dram_size);
	uint64_t pa = h->next;
	h->next += TZM_GRANULE_SIZE;
	return pa;
}

uint64_t host_delegated(struct host *h)
{
	uint64_t pa = host_granule(h);
	RMI_OK(rmi(h, TZM_RMI_GRANULE_DELEGATE, pa, 0, 0, 0, 0).x0);
	return pa;
}

struct rmi_result rmi(struct host *h, uint64_t fid, uint64_t a1, uint64_t a2, uint64_t a3,
		      uint64_t a4, uint64_t a5)
{
	struct tzm_smc_regs regs = tzm_rmi_regs(fid, a1, a2, a3, a4, a5);
	struct rmi_result r;
	tzm_rmi_call(h->rmm, &regs);
	r.x0 = regs.x[0];
	memcpy(r.x, &regs.x[1], sizeof(r.x));
	return r;
}

void realm_cfg_default(struct realm_cfg *c, uint16_t vmid)
{
	memset(c, 0, sizeof(*c));
	c->s2sz = 32;
	c->level_start = 1;
	c->num_start = 1;
	c->algorithm = TZM_RMI_HASH_SHA_256;
	c->vmid = vmid;
	for (unsigned i = 0; i < 64; i++) {
		c->rpv[i] = (uint8_t)(0xA0 + i);
	}
}

uint64_t host_realm_params(struct host *h, const struct realm_cfg *c, uint64_t rtt_base)
{
	uint8_t page[TZM_GRANULE_SIZE];
	uint64_t pa = host_granule(h);
	memset(page, 0, sizeof(page));
	page[TZM_RP_S2SZ] = c->s2sz;
	page[TZM_RP_ALGORITHM] = c->algorithm;
	memcpy(page + TZM_RP_RPV, c->rpv, 64);
	page[TZM_RP_VMID] = (uint8_t)c->vmid;
	page[TZM_RP_VMID + 1] = (uint8_t)(c->vmid >> 8);
	put64(page + TZM_RP_RTT_BASE, rtt_base);
	put64(page + TZM_RP_RTT_LEVEL_START, (uint64_t)c->level_start);
	uint32_t n = c->num_start;
	memcpy(page + TZM_RP_RTT_NUM_START, &n, 4);
	ASSERT_OK(tzm_rmm_ns_write(h->rmm, pa, page, sizeof(page), NULL));
	return pa;
}

void host_realm_create(struct host *h, const struct realm_cfg *c, struct realm *r)
{
	memset(r, 0, sizeof(*r));
	r->rd = host_delegated(h);
	/* rtt_align: the starting tables are aligned to their total size */
	while ((h->next & ((uint64_t)c->num_start * TZM_GRANULE_SIZE - 1)) != 0) {
		(void)host_granule(h);
	}
	r->rtt_base = host_delegated(h);
	for (uint32_t i = 1; i < c->num_start; i++) {
		uint64_t pa = host_delegated(h);
		ASSERT_EQ_U64(pa, r->rtt_base + i * TZM_GRANULE_SIZE);
	}
	r->num_start = c->num_start;
	r->level_start = c->level_start;
	r->s2sz = c->s2sz;
	uint64_t params = host_realm_params(h, c, r->rtt_base);
	RMI_OK(rmi(h, TZM_RMI_REALM_CREATE, r->rd, params, 0, 0, 0).x0);
}

void host_rtt_map_to(struct host *h, const struct realm *r, uint64_t ipa, int64_t level)
{
	for (int64_t l = r->level_start + 1; l <= level; l++) {
		uint64_t mask = (1ull << (12 + 9 * (3 - (l - 1)))) - 1;
		uint64_t x0 = rmi(h, TZM_RMI_RTT_CREATE, r->rd, host_delegated(h), ipa & ~mask,
				  (uint64_t)l, 0)
				      .x0;
		/* An existing table is fine (ERROR_RTT at l - 1 means "already there"). */
		if (x0 != TZM_RMI_SUCCESS) {
			ASSERT_EQ_U64(x0, TZM_RMI_RETURN(TZM_RMI_ERROR_RTT, l - 1));
		}
	}
}

uint64_t host_rec_params(struct host *h, uint64_t mpidr, uint64_t pc, const uint64_t gprs[8],
			 int runnable, uint64_t num_aux, uint64_t *aux_out)
{
	uint8_t page[TZM_GRANULE_SIZE];
	memset(page, 0, sizeof(page));
	put64(page + TZM_RECP_FLAGS, runnable ? TZM_REC_PARAMS_FLAG_RUNNABLE : 0);
	put64(page + TZM_RECP_MPIDR, mpidr);
	put64(page + TZM_RECP_PC, pc);
	for (unsigned i = 0; i < 8; i++) {
		put64(page + TZM_RECP_GPRS + 8 * i, gprs != NULL ? gprs[i] : 0);
	}
	put64(page + TZM_RECP_NUM_AUX, num_aux);
	for (uint64_t i = 0; i < num_aux && i < TZM_REC_MAX_AUX; i++) {
		uint64_t a = host_delegated(h);
		put64(page + TZM_RECP_AUX + 8 * i, a);
		if (aux_out != NULL) {
			aux_out[i] = a;
		}
	}
	uint64_t pa = host_granule(h);
	ASSERT_OK(tzm_rmm_ns_write(h->rmm, pa, page, sizeof(page), NULL));
	return pa;
}

uint64_t host_rec_create(struct host *h, const struct realm *r, uint64_t mpidr, int runnable)
{
	struct rmi_result a = rmi(h, TZM_RMI_REC_AUX_COUNT, r->rd, 0, 0, 0, 0);
	RMI_OK(a.x0);
	uint64_t params = host_rec_params(h, mpidr, 0x1000, NULL, runnable, a.x[0], NULL);
	uint64_t rec = host_delegated(h);
	RMI_OK(rmi(h, TZM_RMI_REC_CREATE, r->rd, rec, params, 0, 0).x0);
	return rec;
}
