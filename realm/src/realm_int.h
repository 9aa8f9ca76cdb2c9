// SPDX-License-Identifier: BSD-2-Clause
/*
 * Private definitions of the realm model: the machine (struct tzm_rmm), the GPT
 * geometry, and the internal interfaces between gpt.c (RME hardware + EL3) and the RMM.
 */
#ifndef TZM_REALM_INT_H
#define TZM_REALM_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tzm_attest.h"
#include "tzm_realm.h"

/*
 * GPT geometry (GPCCR_EL3 as TF-A configures it for a 4 GB protected space):
 * PPS = 32 bits, L0GPTSZ = 30 bits (one level-0 descriptor per 1 GB), PGS = 4 KB.
 * A level-1 descriptor holds 16 GPIs, so covers 64 KB; a level-1 table for one 1 GB
 * region has 16384 descriptors (128 KB, 32 granules).
 */
#define GPT_PPS_BITS 32u
#define GPT_L0GPTSZ_BITS 30u
#define GPT_L0_ENTRIES (1u << (GPT_PPS_BITS - GPT_L0GPTSZ_BITS))
#define GPT_L1_DESC_SHIFT 16u /* 16 granules of 4 KB per level-1 descriptor */
#define GPT_L1_ENTRIES (1u << (GPT_L0GPTSZ_BITS - GPT_L1_DESC_SHIFT))
#define GPT_L1_TABLE_BYTES (GPT_L1_ENTRIES * 8u)
#define GPT_L1_TABLE_GRANULES (GPT_L1_TABLE_BYTES / TZM_GRANULE_SIZE)

/* Level-0 descriptor types (bits [3:0]). */
#define GPT_L0_TYPE_BLOCK 0x1u
#define GPT_L0_TYPE_TABLE 0x3u
#define GPT_L0_TABLE_ADDR_MASK 0x000FFFFFFFFFF000ull /* [51:12] */
/* Level-1 contiguous descriptor: [3:0] = 1, GPI [7:4], contig [9:8]. */
#define GPT_L1_TYPE_CONTIG 0x1u

#define TZM_DEFAULT_MEM_BASE 0x80000000ull

struct tzm__granule; /* RMM metadata, rmm.c */

struct tzm_rmm {
	/* ---- hardware: physical memory and GPT registers ---- */
	uint8_t *mem;           /* all modelled memory, PA mem_base.. */
	uint64_t mem_base;      /* PA of mem[0] */
	size_t mem_granules;    /* Root + Secure + DRAM + shared NS */
	uint64_t gptbr;         /* GPTBR_EL3: PA of the level-0 table */
	uint64_t secure_base;   /* PA of the Secure region */
	size_t secure_granules; /* its size */
	uint64_t dram_base;     /* PA of the delegable NS DRAM */
	size_t dram_granules;   /* its size */
	uint64_t shared_base;   /* PA of the shared NS region (not delegable), after DRAM */
	size_t shared_granules; /* its size (0: none) */

	/* ---- RMM (Realm EL2) state ---- */
	struct tzm__granule *granules; /* one per DRAM granule */
	uint8_t vmid_used[(0xFFFFu + 1) / 8];
	tzm_vcpu_fn vcpu_fn; /* the realm side of REC_ENTER */
	void *vcpu_arg;
	bool in_rec_enter; /* a REC runs: RMI is not re-entrant */
	/* Attestation keys live outside modelled memory (OpenSSL objects). */
	struct tzm_attest_key *platform_key;
	bool platform_key_owned;
	size_t num_raks;
	struct tzm__rak {
		uint64_t rd; /* PA of the realm's RD */
		struct tzm_attest_key *key;
	} * raks;
	uint64_t platform_lifecycle;
};

/* Raw memory for the hardware model only (GPT walker, EL3 scrub): no GPC. */
uint8_t *tzm__mem(struct tzm_rmm *rmm, uint64_t pa, size_t len);

/* Writes one granule's GPI into the GPT (shattering a contiguous descriptor). Root only. */
int tzm__gpt_set_gpi(struct tzm_rmm *rmm, uint64_t pa, unsigned gpi);

bool tzm__pa_in_dram(const struct tzm_rmm *rmm, uint64_t pa);

/* Builds the GPT in the first root_granules of memory (gpt.c). */
int tzm__gpt_init(struct tzm_rmm *rmm, size_t root_granules);

#endif
