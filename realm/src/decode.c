// SPDX-License-Identifier: BSD-2-Clause
/*
 * The one place that reads what the host hands the RMM: NS parameter granules are copied
 * once into a local page (tzm__ns_granule_read), decoded into a struct by offset, and
 * checked by pure predicates before any handler acts on them. Handlers never look at NS
 * memory again (no double fetch).
 *
 * RmiRealmParams (4096 B)           RmiRecParams (4096 B)        RmiRecRun.enter (0x800 B)
 *   0x000 flags        u64            0x000 flags    u64           0x000 flags    u64
 *   0x008 s2sz         u8             0x100 mpidr    u64           0x200 gprs[31] u64
 *   0x010 sve_vl       u8             0x200 pc       u64
 *   0x018 num_bps      u8             0x300 gprs[8]  u64
 *   0x020 num_wps      u8             0x800 num_aux  u64
 *   0x028 pmu_num_ctrs u8             0x808 aux[16]  u64
 *   0x030 algorithm    u8
 *   0x400 rpv          64 B
 *   0x800 vmid         u16
 *   0x808 rtt_base     u64
 *   0x810 rtt_level_start i64
 *   0x818 rtt_num_start u32
 */
#include <errno.h>
#include <string.h>

#include "rmm_int.h"

static uint64_t get64(const uint8_t *page, size_t off)
{
	uint64_t v = 0;
	memcpy(&v, page + off, sizeof(v));
	return v;
}

int tzm__ns_granule_read(struct tzm_rmm *rmm, uint64_t pa, uint8_t page[TZM_GRANULE_SIZE])
{
	if ((pa & (TZM_GRANULE_SIZE - 1)) != 0) {
		return -EINVAL;
	}
	/* The RMM runs in Realm state; NS memory is the NS PAS, Granule Protection Checked. */
	return tzm_phys_read(rmm, TZM_SS_REALM, TZM_PAS_NS, pa, page, TZM_GRANULE_SIZE, NULL);
}

void tzm__realm_params_decode(const uint8_t page[TZM_GRANULE_SIZE], struct tzm__realm_params *p)
{
	memset(p, 0, sizeof(*p));
	p->flags = get64(page, TZM_RP_FLAGS);
	p->s2sz = page[TZM_RP_S2SZ];
	p->sve_vl = page[TZM_RP_SVE_VL];
	p->num_bps = page[TZM_RP_NUM_BPS];
	p->num_wps = page[TZM_RP_NUM_WPS];
	p->pmu_num_ctrs = page[TZM_RP_PMU_NUM_CTRS];
	p->algorithm = page[TZM_RP_ALGORITHM];
	memcpy(p->rpv, page + TZM_RP_RPV, sizeof(p->rpv));
	p->vmid = (uint16_t)(page[TZM_RP_VMID] | (page[TZM_RP_VMID + 1] << 8));
	p->rtt_base = get64(page, TZM_RP_RTT_BASE);
	p->rtt_level_start = (int64_t)get64(page, TZM_RP_RTT_LEVEL_START);
	uint32_t n = 0;
	memcpy(&n, page + TZM_RP_RTT_NUM_START, sizeof(n));
	p->rtt_num_start = n;
}

unsigned tzm__rtt_num_start(unsigned s2sz, int64_t sl)
{
	if (sl < 0 || sl > 3 || s2sz < RMM_MIN_IPA_BITS || s2sz > RMM_MAX_IPA_BITS) {
		return 0;
	}
	/* Levels sl..3 resolve 9 bits each above the 12-bit page offset. */
	unsigned bits = 12u + 9u * (unsigned)(4 - sl);
	if (s2sz > bits + 4 || s2sz + 9 <= bits) {
		return 0; /* more than 16 concatenated tables, or the level should start lower */
	}
	return s2sz > bits ? 1u << (s2sz - bits) : 1u;
}

/*
 * The features this RMM offers (RMI_FEATURES register 0): no LPA2, SVE or PMU; SHA-256
 * and SHA-512; up to RMM_MAX_BPS breakpoints and RMM_MAX_WPS watchpoints.
 */
bool tzm__realm_params_valid(const struct tzm__realm_params *p)
{
	if (p->flags != 0 || p->sve_vl != 0 || p->pmu_num_ctrs != 0) {
		return false; /* LPA2, SVE, PMU: not supported */
	}
	if (p->num_bps > RMM_MAX_BPS || p->num_wps > RMM_MAX_WPS) {
		return false;
	}
	if (p->algorithm != TZM_RMI_HASH_SHA_256 && p->algorithm != TZM_RMI_HASH_SHA_512) {
		return false;
	}
	unsigned n = tzm__rtt_num_start(p->s2sz, p->rtt_level_start);
	if (n == 0 || n != p->rtt_num_start) {
		return false; /* rtt_num_level */
	}
	/* rtt_align: the concatenated starting tables are aligned to their total size. */
	return (p->rtt_base & ((uint64_t)n * TZM_GRANULE_SIZE - 1)) == 0;
}

void tzm__rec_params_decode(const uint8_t page[TZM_GRANULE_SIZE], struct tzm__rec_params *p)
{
	memset(p, 0, sizeof(*p));
	p->flags = get64(page, TZM_RECP_FLAGS);
	p->mpidr = get64(page, TZM_RECP_MPIDR);
	p->pc = get64(page, TZM_RECP_PC);
	for (unsigned i = 0; i < 8; i++) {
		p->gprs[i] = get64(page, TZM_RECP_GPRS + 8u * i);
	}
	p->num_aux = get64(page, TZM_RECP_NUM_AUX);
	for (unsigned i = 0; i < TZM_REC_MAX_AUX; i++) {
		p->aux[i] = get64(page, TZM_RECP_AUX + 8u * i);
	}
}

int64_t tzm__mpidr_index(uint64_t mpidr)
{
	/* Aff0 [3:0] (16 per cluster, as RMM spec MpidrToRecIndex), Aff1 [15:8],
	 * Aff2 [23:16], Aff3 [39:32]; nothing else may be set. */
	const uint64_t valid = 0xFull | (0xFFull << 8) | (0xFFull << 16) | (0xFFull << 32);
	if ((mpidr & ~valid) != 0) {
		return -1;
	}
	return (int64_t)((mpidr & 0xF) | (((mpidr >> 8) & 0xFF) << 4) |
			 (((mpidr >> 16) & 0xFF) << 12) | (((mpidr >> 32) & 0xFF) << 20));
}

bool tzm__rec_params_valid(const struct tzm__rec_params *p)
{
	return (p->flags & ~(uint64_t)TZM_REC_PARAMS_FLAG_RUNNABLE) == 0 &&
	       tzm__mpidr_index(p->mpidr) >= 0 && p->num_aux <= TZM_REC_MAX_AUX;
}

void tzm__rec_enter_decode(const uint8_t page[TZM_GRANULE_SIZE], struct tzm__rec_enter *e)
{
	memset(e, 0, sizeof(*e));
	e->flags = get64(page, TZM_RUN_ENTER_FLAGS);
	for (unsigned i = 0; i < 31; i++) {
		e->gprs[i] = get64(page, TZM_RUN_ENTER_GPRS + 8u * i);
	}
}

bool tzm__rec_enter_valid(const struct tzm__rec_enter *e)
{
	/* EMUL_MMIO, INJECT_SEA, TRAP_WFI, TRAP_WFE, RIPAS_RESPONSE. */
	return (e->flags & ~0x1Full) == 0;
}
