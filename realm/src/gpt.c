// SPDX-License-Identifier: BSD-2-Clause
/*
 * RME hardware and EL3 firmware, modelled: physical memory in 4 KB granules, the Granule
 * Protection Table held in Root memory with the architectural descriptor encodings, the
 * Granule Protection Check applied to every access, and the EL3 GPT service
 * (RMM_GTSI_DELEGATE / RMM_GTSI_UNDELEGATE) that the RMM calls.
 *
 * GPT layout (4 KB granules, PPS 4 GB, L0GPTSZ 1 GB):
 *
 *   GPTBR -> level 0: 4 x 64-bit descriptors, one per 1 GB
 *            [3:0] = 0b0001 block: GPI in [7:4] for the whole 1 GB
 *            [3:0] = 0b0011 table: level-1 table PA in [51:12]
 *   level 1: 16384 x 64-bit descriptors, one per 64 KB
 *            granules descriptor: 16 GPIs, GPI of granule i in bits [4i+3:4i],
 *                                 i = (PA >> 12) & 0xF
 *            contiguous descriptor: [3:0] = 0b0001, GPI [7:4], contig [9:8]
 *                                 (1: 2 MB, 2: 32 MB, 3: 512 MB)
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "realm_int.h"

static bool gpi_is_valid(unsigned gpi)
{
	switch (gpi) {
	case TZM_GPI_NO_ACCESS:
	case TZM_GPI_SECURE:
	case TZM_GPI_NS:
	case TZM_GPI_ROOT:
	case TZM_GPI_REALM:
	case TZM_GPI_NSO:
	case TZM_GPI_ANY:
		return true;
	default:
		return false;
	}
}

static bool pa_in_mem(const struct tzm_rmm *rmm, uint64_t pa, size_t len)
{
	uint64_t size = (uint64_t)rmm->mem_granules * TZM_GRANULE_SIZE;
	return pa >= rmm->mem_base && pa - rmm->mem_base <= size &&
	       len <= size - (pa - rmm->mem_base);
}

uint8_t *tzm__mem(struct tzm_rmm *rmm, uint64_t pa, size_t len)
{
	if (!pa_in_mem(rmm, pa, len)) {
		return NULL;
	}
	return rmm->mem + (pa - rmm->mem_base);
}

bool tzm__pa_in_dram(const struct tzm_rmm *rmm, uint64_t pa)
{
	return pa >= rmm->dram_base &&
	       pa - rmm->dram_base < (uint64_t)rmm->dram_granules * TZM_GRANULE_SIZE;
}

static uint64_t load64(const uint8_t *p)
{
	uint64_t v = 0;
	memcpy(&v, p, sizeof(v)); /* the model runs little-endian like the GPT */
	return v;
}

static void store64(uint8_t *p, uint64_t v)
{
	memcpy(p, &v, sizeof(v));
}

static int walk_fault(struct tzm_gpf *gpf, uint64_t pa, unsigned level)
{
	if (gpf != NULL) {
		gpf->kind = TZM_GPF_WALK;
		gpf->pa = pa;
		gpf->level = level;
	}
	return -EFAULT;
}

/* Finds the level-1 descriptor for pa: its address in Root memory, or NULL for a block. */
static int gpt_walk(struct tzm_rmm *rmm, uint64_t pa, unsigned *gpi, uint8_t **l1desc,
		    struct tzm_gpf *gpf)
{
	*l1desc = NULL;
	if (pa >> GPT_PPS_BITS) {
		return walk_fault(gpf, pa, 0); /* outside the protected physical space */
	}
	uint8_t *l0 = tzm__mem(rmm, rmm->gptbr + (pa >> GPT_L0GPTSZ_BITS) * 8u, 8);
	if (l0 == NULL) {
		return walk_fault(gpf, pa, 0);
	}
	uint64_t d0 = load64(l0);
	switch (d0 & 0xFu) {
	case GPT_L0_TYPE_BLOCK:
		if (!gpi_is_valid((d0 >> 4) & 0xFu) || (d0 >> 8) != 0) {
			return walk_fault(gpf, pa, 0);
		}
		*gpi = (d0 >> 4) & 0xFu;
		return 0;
	case GPT_L0_TYPE_TABLE:
		break;
	default:
		return walk_fault(gpf, pa, 0);
	}
	uint64_t l1pa = d0 & GPT_L0_TABLE_ADDR_MASK;
	uint64_t idx = (pa & ((1ull << GPT_L0GPTSZ_BITS) - 1)) >> GPT_L1_DESC_SHIFT;
	uint8_t *l1 = tzm__mem(rmm, l1pa + idx * 8u, 8);
	if (l1 == NULL || (d0 & ~(GPT_L0_TABLE_ADDR_MASK | 0xFull)) != 0) {
		return walk_fault(gpf, pa, 0);
	}
	uint64_t d1 = load64(l1);
	if ((d1 & 0xFu) == GPT_L1_TYPE_CONTIG) {
		unsigned contig = (d1 >> 8) & 0x3u;
		if (contig == 0 || !gpi_is_valid((d1 >> 4) & 0xFu) || (d1 >> 10) != 0) {
			return walk_fault(gpf, pa, 1);
		}
		*gpi = (d1 >> 4) & 0xFu;
		*l1desc = l1;
		return 0;
	}
	for (unsigned i = 0; i < 16; i++) {
		if (!gpi_is_valid((d1 >> (4 * i)) & 0xFu)) {
			return walk_fault(gpf, pa, 1); /* every field must be a valid GPI */
		}
	}
	*gpi = (d1 >> (4 * ((pa >> TZM_GRANULE_SHIFT) & 0xFu))) & 0xFu;
	*l1desc = l1;
	return 0;
}

int tzm_gpt_lookup(struct tzm_rmm *rmm, uint64_t pa, unsigned *gpi, struct tzm_gpf *gpf)
{
	uint8_t *l1 = NULL;
	return gpt_walk(rmm, pa, gpi, &l1, gpf);
}

/* Rewrites a contiguous descriptor's whole block as granules descriptors of its GPI. */
static void gpt_shatter(struct tzm_rmm *rmm, uint64_t pa, uint64_t d1)
{
	static const unsigned contig_shift[4] = { 0, 21, 25, 29 };
	unsigned shift = contig_shift[(d1 >> 8) & 0x3u];
	uint64_t gpi = (d1 >> 4) & 0xFu;
	uint64_t granules = 0;
	for (unsigned i = 0; i < 16; i++) {
		granules |= gpi << (4 * i);
	}
	uint64_t block = pa & ~((1ull << shift) - 1);
	for (uint64_t a = block; a < block + (1ull << shift); a += 1ull << GPT_L1_DESC_SHIFT) {
		unsigned g = 0;
		uint8_t *l1 = NULL;
		if (gpt_walk(rmm, a, &g, &l1, NULL) == 0 && l1 != NULL) {
			store64(l1, granules);
		}
	}
}

int tzm__gpt_set_gpi(struct tzm_rmm *rmm, uint64_t pa, unsigned gpi)
{
	unsigned old = 0;
	uint8_t *l1 = NULL;
	if (!gpi_is_valid(gpi) || gpt_walk(rmm, pa, &old, &l1, NULL) != 0) {
		return -EINVAL;
	}
	if (l1 == NULL) {
		return -EINVAL; /* level-0 block: not transitionable per granule (as in TF-A) */
	}
	uint64_t d1 = load64(l1);
	if ((d1 & 0xFu) == GPT_L1_TYPE_CONTIG) {
		gpt_shatter(rmm, pa, d1);
		d1 = load64(l1);
	}
	unsigned shift = 4 * ((pa >> TZM_GRANULE_SHIFT) & 0xFu);
	d1 = (d1 & ~(0xFull << shift)) | ((uint64_t)gpi << shift);
	store64(l1, d1);
	return 0;
}

/* Which PAS each security state may target (Arm ARM: Secure and Realm exclude each other). */
static bool state_may_target(enum tzm_sec_state state, enum tzm_pas pas)
{
	switch (state) {
	case TZM_SS_NONSECURE:
		return pas == TZM_PAS_NS;
	case TZM_SS_SECURE:
		return pas == TZM_PAS_SECURE || pas == TZM_PAS_NS;
	case TZM_SS_REALM:
		return pas == TZM_PAS_REALM || pas == TZM_PAS_NS;
	case TZM_SS_ROOT:
		return pas <= TZM_PAS_ROOT;
	}
	return false;
}

static bool gpi_permits(unsigned gpi, enum tzm_sec_state state, enum tzm_pas pas)
{
	switch (gpi) {
	case TZM_GPI_ANY:
		return true;
	case TZM_GPI_NS:
		return pas == TZM_PAS_NS;
	case TZM_GPI_NSO: /* Non-secure only: the NS PAS from Non-secure state */
		return pas == TZM_PAS_NS && state == TZM_SS_NONSECURE;
	case TZM_GPI_SECURE:
		return pas == TZM_PAS_SECURE;
	case TZM_GPI_REALM:
		return pas == TZM_PAS_REALM;
	case TZM_GPI_ROOT:
		return pas == TZM_PAS_ROOT;
	default:
		return false; /* NO_ACCESS */
	}
}

/* The Granule Protection Check for every granule of [pa, pa + len). */
static int gpc(struct tzm_rmm *rmm, enum tzm_sec_state state, enum tzm_pas pas, uint64_t pa,
	       size_t len, struct tzm_gpf *gpf)
{
	struct tzm_gpf local;
	if (gpf == NULL) {
		gpf = &local;
	}
	memset(gpf, 0, sizeof(*gpf));
	gpf->state = state;
	gpf->pas = pas;
	gpf->pa = pa;
	if (!state_may_target(state, pas)) {
		gpf->kind = TZM_GPF_STATE;
		return -EFAULT;
	}
	uint64_t end = 0;
	if (len == 0 || __builtin_add_overflow(pa, (uint64_t)len - 1, &end)) {
		gpf->kind = len == 0 ? TZM_GPF_NONE : TZM_GPF_ADDRESS;
		return len == 0 ? 0 : -EFAULT;
	}
	for (uint64_t g = pa & ~(uint64_t)(TZM_GRANULE_SIZE - 1); g <= end; g += TZM_GRANULE_SIZE) {
		unsigned gpi = 0;
		uint64_t at = g < pa ? pa : g;
		if (tzm_gpt_lookup(rmm, at, &gpi, gpf) != 0) {
			return -EFAULT;
		}
		if (!gpi_permits(gpi, state, pas)) {
			gpf->kind = TZM_GPF_GPI;
			gpf->pa = at;
			gpf->gpi = gpi;
			return -EFAULT;
		}
		if (g + TZM_GRANULE_SIZE < g) {
			break;
		}
	}
	if (!pa_in_mem(rmm, pa, len)) {
		gpf->kind = TZM_GPF_ADDRESS;
		return -EFAULT;
	}
	return 0;
}

int tzm_phys_read(struct tzm_rmm *rmm, enum tzm_sec_state state, enum tzm_pas pas, uint64_t pa,
		  void *buf, size_t len, struct tzm_gpf *gpf)
{
	int rc = gpc(rmm, state, pas, pa, len, gpf);
	if (rc == 0 && len > 0) {
		memcpy(buf, tzm__mem(rmm, pa, len), len);
	}
	return rc;
}

int tzm_phys_write(struct tzm_rmm *rmm, enum tzm_sec_state state, enum tzm_pas pas, uint64_t pa,
		   const void *buf, size_t len, struct tzm_gpf *gpf)
{
	int rc = gpc(rmm, state, pas, pa, len, gpf);
	if (rc == 0 && len > 0) {
		memcpy(tzm__mem(rmm, pa, len), buf, len);
	}
	return rc;
}

int tzm_rmm_ns_read(struct tzm_rmm *rmm, uint64_t pa, void *buf, size_t len, struct tzm_gpf *gpf)
{
	return tzm_phys_read(rmm, TZM_SS_NONSECURE, TZM_PAS_NS, pa, buf, len, gpf);
}

int tzm_rmm_ns_write(struct tzm_rmm *rmm, uint64_t pa, const void *buf, size_t len,
		     struct tzm_gpf *gpf)
{
	return tzm_phys_write(rmm, TZM_SS_NONSECURE, TZM_PAS_NS, pa, buf, len, gpf);
}

const char *tzm_gpf_kind_name(enum tzm_gpf_kind kind)
{
	switch (kind) {
	case TZM_GPF_NONE:
		return "none";
	case TZM_GPF_WALK:
		return "gpt_walk_fault";
	case TZM_GPF_GPI:
		return "granule_protection_fault";
	case TZM_GPF_STATE:
		return "pas_not_reachable_from_state";
	case TZM_GPF_ADDRESS:
		return "external_abort_no_memory";
	}
	return "unknown";
}

/*
 * Builds the GPT in the Root region at the start of memory: a level-1 table for every
 * 1 GB region that holds memory, level-0 blocks of NO_ACCESS elsewhere.
 */
int tzm__gpt_init(struct tzm_rmm *rmm, size_t root_granules)
{
	rmm->gptbr = rmm->mem_base;
	uint8_t *l0 = tzm__mem(rmm, rmm->gptbr, GPT_L0_ENTRIES * 8u);
	uint64_t next_l1 = rmm->mem_base + TZM_GRANULE_SIZE;
	uint64_t mem_end = rmm->mem_base + (uint64_t)rmm->mem_granules * TZM_GRANULE_SIZE;
	for (uint64_t i = 0; i < GPT_L0_ENTRIES; i++) {
		uint64_t lo = i << GPT_L0GPTSZ_BITS, hi = (i + 1) << GPT_L0GPTSZ_BITS;
		if (hi <= rmm->mem_base || lo >= mem_end) {
			store64(l0 + i * 8u,
				((uint64_t)TZM_GPI_NO_ACCESS << 4) | GPT_L0_TYPE_BLOCK);
			continue;
		}
		if (next_l1 + GPT_L1_TABLE_BYTES >
		    rmm->mem_base + (uint64_t)root_granules * TZM_GRANULE_SIZE) {
			return -EINVAL;
		}
		store64(l0 + i * 8u, next_l1 | GPT_L0_TYPE_TABLE);
		/* Everything not memory: NO_ACCESS (all-zero granules descriptors). */
		next_l1 += GPT_L1_TABLE_BYTES;
	}
	for (uint64_t pa = rmm->mem_base; pa < mem_end; pa += TZM_GRANULE_SIZE) {
		unsigned gpi = TZM_GPI_NS;
		if (pa < rmm->secure_base) {
			gpi = TZM_GPI_ROOT;
		} else if (pa < rmm->dram_base) {
			gpi = TZM_GPI_SECURE;
		}
		if (tzm__gpt_set_gpi(rmm, pa, gpi) != 0) {
			return -EINVAL;
		}
	}
	return 0;
}

/* ---- EL3 GPT service ---- */

/* TF-A's gpt_delegate_pas / gpt_undelegate_pas argument checks: -EINVAL / -EPERM. */
static int el3_transition(struct tzm_rmm *rmm, uint64_t pa, bool delegate)
{
	unsigned gpi = 0;
	if ((pa & (TZM_GRANULE_SIZE - 1)) != 0 || tzm_gpt_lookup(rmm, pa, &gpi, NULL) != 0 ||
	    !pa_in_mem(rmm, pa, TZM_GRANULE_SIZE)) {
		return -EINVAL;
	}
	if (gpi != (delegate ? TZM_GPI_NS : TZM_GPI_REALM)) {
		return -EPERM;
	}
	/* Both directions pass through NO_ACCESS so no alias is usable mid-way. */
	if (tzm__gpt_set_gpi(rmm, pa, TZM_GPI_NO_ACCESS) != 0) {
		return -EINVAL; /* a level-0 block: cannot change one granule */
	}
	if (!delegate) {
		/* Scrub: nothing the realm wrote may reach the normal world. */
		memset(tzm__mem(rmm, pa, TZM_GRANULE_SIZE), 0, TZM_GRANULE_SIZE);
	}
	return tzm__gpt_set_gpi(rmm, pa, delegate ? TZM_GPI_REALM : TZM_GPI_NS);
}

int64_t tzm_el3_smc(struct tzm_rmm *rmm, enum tzm_sec_state caller_state, uint64_t fid, uint64_t x1)
{
	if (caller_state != TZM_SS_REALM) {
		return TZM_E_RMM_UNK; /* the RMM-EL3 interface is for the RMM only */
	}
	switch (fid) {
	case TZM_SMC_RMM_GTSI_DELEGATE:
	case TZM_SMC_RMM_GTSI_UNDELEGATE: {
		int rc = el3_transition(rmm, x1, fid == TZM_SMC_RMM_GTSI_DELEGATE);
		if (rc == -EINVAL) {
			return TZM_E_RMM_BAD_ADDR;
		}
		return rc == -EPERM ? TZM_E_RMM_BAD_PAS : TZM_E_RMM_OK;
	}
	default:
		return TZM_E_RMM_UNK;
	}
}
