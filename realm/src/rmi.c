// SPDX-License-Identifier: BSD-2-Clause
/*
 * RMI entry point: the dispatch table (FID -> handler, argument and result counts, one
 * X-macro list), and the commands on granules and realms: VERSION, FEATURES,
 * GRANULE_DELEGATE/UNDELEGATE, REALM_CREATE/ACTIVATE/DESTROY, REC_AUX_COUNT.
 *
 * Each handler checks its failure conditions in the order of the RMM specification's
 * "failure condition ordering" (as TF-RMM rmm-spec-v1.0-rel0 checks them), then acts.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "rmm_int.h"

struct rmi_entry {
	const char *name;
	tzm__rmi_handler handler;
	unsigned args, results;
};

#define RMI_SLOTS 0x20u
static const struct rmi_entry rmi_table[RMI_SLOTS] = {
#define TZM_RMI_X_TABLE(NAME, n, a, r) [n] = { "RMI_" #NAME, tzm__rmi_##NAME, a, r },
	TZM_RMI_COMMANDS(TZM_RMI_X_TABLE)
#undef TZM_RMI_X_TABLE
};

static const struct rmi_entry *rmi_lookup(uint64_t fid)
{
	if (fid < TZM_RMI_FID_BASE || fid - TZM_RMI_FID_BASE >= RMI_SLOTS) {
		return NULL;
	}
	const struct rmi_entry *e = &rmi_table[fid - TZM_RMI_FID_BASE];
	return e->handler != NULL ? e : NULL;
}

const char *tzm_rmi_name(uint64_t fid)
{
	const struct rmi_entry *e = rmi_lookup(fid);
	return e != NULL ? e->name : NULL;
}

void tzm_rmi_call(struct tzm_rmm *rmm, struct tzm_smc_regs *regs)
{
	uint64_t args[10], res[10];
	const struct rmi_entry *e = rmi_lookup(regs->x[0]);

	if (e == NULL || rmm->in_rec_enter) {
		/* SMCCC: unknown function. A realm's vCPU code cannot issue RMI either. */
		if (e == NULL) {
			fprintf(stderr, "tzm_realm: RMI FID 0x%llx not supported\n",
				(unsigned long long)regs->x[0]);
		}
		memset(regs, 0, sizeof(*regs));
		regs->x[0] = UINT64_MAX; /* SMC_UNKNOWN (-1) */
		return;
	}
	/* Copy the argument registers once; the handler sees only the copy. */
	memset(args, 0, sizeof(args));
	memset(res, 0, sizeof(res));
	memcpy(args, &regs->x[1], sizeof(uint64_t) * e->args);
	uint64_t x0 = e->handler(rmm, args, res);
	memset(regs, 0, sizeof(*regs));
	regs->x[0] = x0;
	memcpy(&regs->x[1], res, sizeof(uint64_t) * e->results);
}

/* ---- granules ---- */

void *tzm__realm_granule(struct tzm_rmm *rmm, uint64_t pa)
{
	unsigned gpi = 0;
	if (tzm_gpt_lookup(rmm, pa, &gpi, NULL) != 0 || gpi != TZM_GPI_REALM) {
		return NULL;
	}
	return tzm__mem(rmm, pa, TZM_GRANULE_SIZE);
}

void tzm__granule_scrub(struct tzm_rmm *rmm, uint64_t pa)
{
	uint8_t *p = tzm__realm_granule(rmm, pa);
	if (p != NULL) {
		memset(p, 0, TZM_GRANULE_SIZE);
	}
	tzm__granule(rmm, pa)->state = GS_DELEGATED;
	tzm__granule(rmm, pa)->refcount = 0;
}

/* The granule at pa if it is aligned, delegable and in state; else NULL (ERROR_INPUT). */
static struct tzm__granule *granule_in(struct tzm_rmm *rmm, uint64_t pa, unsigned state)
{
	struct tzm__granule *g = tzm__granule(rmm, pa);
	return g != NULL && g->state == state ? g : NULL;
}

struct tzm__rd *tzm__rd_of(struct tzm_rmm *rmm, uint64_t rd_pa)
{
	if (granule_in(rmm, rd_pa, GS_RD) == NULL) {
		return NULL;
	}
	return tzm__realm_granule(rmm, rd_pa);
}

uint64_t tzm__rmi_VERSION(struct tzm_rmm *rmm, const uint64_t *args, uint64_t *res)
{
	(void)rmm;
	res[0] = TZM_RMI_ABI_VERSION; /* lower = higher = 1.0 */
	res[1] = TZM_RMI_ABI_VERSION;
	return args[0] == TZM_RMI_ABI_VERSION ? TZM_RMI_SUCCESS : TZM_RMI_ERROR_INPUT;
}

uint64_t tzm__rmi_FEATURES(struct tzm_rmm *rmm, const uint64_t *args, uint64_t *res)
{
	(void)rmm;
	/* Register 0: S2SZ [7:0], NUM_BPS [17:14], NUM_WPS [21:18], HASH_SHA_256 [28],
	 * HASH_SHA_512 [29]; no LPA2, SVE, PMU. Other registers are zero. */
	res[0] = args[0] != 0 ? 0
			      : (uint64_t)RMM_MAX_IPA_BITS | ((uint64_t)RMM_MAX_BPS << 14) |
					((uint64_t)RMM_MAX_WPS << 18) | (1ull << 28) | (1ull << 29);
	return TZM_RMI_SUCCESS;
}

uint64_t tzm__rmi_GRANULE_DELEGATE(struct tzm_rmm *rmm, const uint64_t *args, uint64_t *res)
{
	(void)res;
	uint64_t addr = args[0];
	/* addr_align, addr_bound (delegable = NS DRAM), granule_state, then EL3's GPI check. */
	struct tzm__granule *g = granule_in(rmm, addr, GS_UNDELEGATED);
	if (g == NULL) {
		return TZM_RMI_ERROR_INPUT;
	}
	if (tzm_el3_smc(rmm, TZM_SS_REALM, TZM_SMC_RMM_GTSI_DELEGATE, addr) != TZM_E_RMM_OK) {
		return TZM_RMI_ERROR_INPUT; /* the GPI is not NS */
	}
	/* The host may have left data there; a DELEGATED granule holds only zeroes. */
	memset(tzm__mem(rmm, addr, TZM_GRANULE_SIZE), 0, TZM_GRANULE_SIZE);
	g->state = GS_DELEGATED;
	return TZM_RMI_SUCCESS;
}

uint64_t tzm__rmi_GRANULE_UNDELEGATE(struct tzm_rmm *rmm, const uint64_t *args, uint64_t *res)
{
	(void)res;
	uint64_t addr = args[0];
	struct tzm__granule *g = granule_in(rmm, addr, GS_DELEGATED);
	if (g == NULL) {
		return TZM_RMI_ERROR_INPUT;
	}
	if (tzm_el3_smc(rmm, TZM_SS_REALM, TZM_SMC_RMM_GTSI_UNDELEGATE, addr) != TZM_E_RMM_OK) {
		return TZM_RMI_ERROR_INPUT;
	}
	g->state = GS_UNDELEGATED;
	return TZM_RMI_SUCCESS;
}

/* ---- realms ---- */

static bool vmid_test(const struct tzm_rmm *rmm, unsigned vmid)
{
	return (rmm->vmid_used[vmid / 8] >> (vmid % 8)) & 1u;
}

static void vmid_set(struct tzm_rmm *rmm, unsigned vmid, bool used)
{
	if (used) {
		rmm->vmid_used[vmid / 8] |= (uint8_t)(1u << (vmid % 8));
	} else {
		rmm->vmid_used[vmid / 8] &= (uint8_t) ~(1u << (vmid % 8));
	}
}

uint64_t tzm__rmi_REALM_CREATE(struct tzm_rmm *rmm, const uint64_t *args, uint64_t *res)
{
	(void)res;
	uint64_t rd_pa = args[0], params_pa = args[1];
	uint8_t page[TZM_GRANULE_SIZE];
	struct tzm__realm_params p;

	/* rd_align, rd_bound, rd_state */
	struct tzm__granule *g_rd = granule_in(rmm, rd_pa, GS_DELEGATED);
	if (g_rd == NULL) {
		return TZM_RMI_ERROR_INPUT;
	}
	/* params_align, params_bound, params_pas: copy once, then only the copy is used. */
	if (tzm__ns_granule_read(rmm, params_pa, page) != 0) {
		return TZM_RMI_ERROR_INPUT;
	}
	tzm__realm_params_decode(page, &p);
	/* params_valid (features, s2sz/level/num_start, algorithm), vmid_valid */
	if (!tzm__realm_params_valid(&p) || vmid_test(rmm, p.vmid)) {
		return TZM_RMI_ERROR_INPUT;
	}
	/* rtt_align, rtt_num_level... : every starting-level table DELEGATED, none the RD. */
	for (uint32_t i = 0; i < p.rtt_num_start; i++) {
		uint64_t pa = p.rtt_base + (uint64_t)i * TZM_GRANULE_SIZE;
		if (granule_in(rmm, pa, GS_DELEGATED) == NULL || pa == rd_pa) {
			return TZM_RMI_ERROR_INPUT;
		}
	}

	struct tzm__rd *rd = tzm__realm_granule(rmm, rd_pa);
	memset(rd, 0, sizeof(*rd));
	rd->state = TZM_REALM_NEW;
	rd->algorithm = p.algorithm;
	rd->s2sz = p.s2sz;
	rd->rtt_level_start = (int32_t)p.rtt_level_start;
	rd->rtt_num_start = p.rtt_num_start;
	rd->vmid = p.vmid;
	rd->rtt_base = p.rtt_base;
	memcpy(rd->rpv, p.rpv, sizeof(rd->rpv));
	tzm__measure_realm_params(&p, rd->meas[0]);
	for (uint32_t i = 0; i < p.rtt_num_start; i++) {
		struct tzm__granule *g = tzm__granule(rmm, p.rtt_base + (uint64_t)i * 4096);
		g->state = GS_RTT; /* zeroed: all entries UNASSIGNED, RIPAS EMPTY */
		g->refcount = 0;
	}
	vmid_set(rmm, p.vmid, true);
	g_rd->state = GS_RD;
	g_rd->refcount = 0;
	return TZM_RMI_SUCCESS;
}

uint64_t tzm__rmi_REALM_ACTIVATE(struct tzm_rmm *rmm, const uint64_t *args, uint64_t *res)
{
	(void)res;
	struct tzm__rd *rd = tzm__rd_of(rmm, args[0]);
	if (rd == NULL) {
		return TZM_RMI_ERROR_INPUT;
	}
	if (rd->state != TZM_REALM_NEW) {
		return TZM_RMI_ERROR_REALM;
	}
	rd->state = TZM_REALM_ACTIVE;
	return TZM_RMI_SUCCESS;
}

uint64_t tzm__rmi_REALM_DESTROY(struct tzm_rmm *rmm, const uint64_t *args, uint64_t *res)
{
	(void)res;
	uint64_t rd_pa = args[0];
	struct tzm__rd *rd = tzm__rd_of(rmm, rd_pa);
	if (rd == NULL) {
		return TZM_RMI_ERROR_INPUT;
	}
	/* realm_live: RECs left, or live entries in the starting-level tables. */
	if (tzm__granule(rmm, rd_pa)->refcount != 0) {
		return TZM_RMI_ERROR_REALM;
	}
	for (uint32_t i = 0; i < rd->rtt_num_start; i++) {
		if (tzm__granule(rmm, rd->rtt_base + (uint64_t)i * 4096)->refcount != 0) {
			return TZM_RMI_ERROR_REALM;
		}
	}
	uint64_t rtt_base = rd->rtt_base;
	uint32_t n = rd->rtt_num_start;
	vmid_set(rmm, rd->vmid, false);
	tzm__rak_drop(rmm, rd_pa);
	for (uint32_t i = 0; i < n; i++) {
		tzm__granule_scrub(rmm, rtt_base + (uint64_t)i * TZM_GRANULE_SIZE);
	}
	tzm__granule_scrub(rmm, rd_pa);
	return TZM_RMI_SUCCESS;
}

uint64_t tzm__rmi_REC_AUX_COUNT(struct tzm_rmm *rmm, const uint64_t *args, uint64_t *res)
{
	if (tzm__rd_of(rmm, args[0]) == NULL) {
		return TZM_RMI_ERROR_INPUT;
	}
	res[0] = RMM_REC_AUX_COUNT;
	return TZM_RMI_SUCCESS;
}
