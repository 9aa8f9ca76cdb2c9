// SPDX-License-Identifier: BSD-2-Clause
/*
 * tzm_realm — a software model of Arm RME and of the Realm Management Monitor (RMM
 * specification 1.0 as TF-RMM implements it). See realm/README.md for what is exact and
 * what is simplified.
 *
 * All state of one machine (physical memory, the Granule Protection Table, the RMM's
 * granule and realm bookkeeping) lives in one struct tzm_rmm: there are no globals, so a
 * process that owns a struct tzm_rmm is the RMM, and everybody else (the host, a realm)
 * reaches it only through the entry points below:
 *
 *   host (Non-secure)   tzm_rmi_call()            RMI commands (SMCCC registers)
 *                       tzm_rmm_ns_read/write()   NS memory, Granule Protection Checked
 *   RMM (Realm, EL2)    tzm_el3_smc()             the EL3 GPT service (RMM_GTSI_*)
 *   realm (Realm, EL1)  tzm_rsi_call()            RSI commands, only while its REC runs
 *
 * Functions return 0 or a negative errno value unless they implement a specification
 * entry point, which return the specification's codes.
 */
#ifndef TZM_REALM_H
#define TZM_REALM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define TZM_GRANULE_SIZE 4096u
#define TZM_GRANULE_SHIFT 12

/* ---- Security states, physical address spaces, GPIs ---- */

enum tzm_sec_state {
	TZM_SS_NONSECURE = 0,
	TZM_SS_SECURE = 1,
	TZM_SS_REALM = 2,
	TZM_SS_ROOT = 3,
};

/* Physical address spaces an access targets (same numbering as the states). */
enum tzm_pas {
	TZM_PAS_NS = 0,
	TZM_PAS_SECURE = 1,
	TZM_PAS_REALM = 2,
	TZM_PAS_ROOT = 3,
};

/* GPI encodings (Arm ARM, RME). */
#define TZM_GPI_NO_ACCESS 0x0u
#define TZM_GPI_SECURE 0x8u
#define TZM_GPI_NS 0x9u
#define TZM_GPI_ROOT 0xAu
#define TZM_GPI_REALM 0xBu
#define TZM_GPI_NSO 0xDu
#define TZM_GPI_ANY 0xFu

/* Why a Granule Protection Check failed. */
enum tzm_gpf_kind {
	TZM_GPF_NONE = 0,
	TZM_GPF_WALK,    /* GPT walk fault: invalid descriptor, or PA outside the PPS */
	TZM_GPF_GPI,     /* the granule's GPI does not permit the access's PAS */
	TZM_GPF_STATE,   /* the security state may not target that PAS at all */
	TZM_GPF_ADDRESS, /* GPC passed but no memory there (external abort) */
};

struct tzm_gpf {
	enum tzm_gpf_kind kind;
	uint64_t pa;    /* faulting physical address */
	unsigned level; /* GPT level of a walk fault (0 or 1) */
	unsigned gpi;   /* the granule's GPI for TZM_GPF_GPI */
	enum tzm_sec_state state;
	enum tzm_pas pas;
};

/* ---- The machine ---- */

struct tzm_rmm;

struct tzm_rmm_config {
	/* Physical address of the first byte of memory (granule aligned, below 4 GB).
	 * 0: 0x80000000. */
	uint64_t mem_base;
	/* Non-secure DRAM granules (delegable). */
	size_t dram_granules;
	/* Secure granules (GPI SECURE, not delegable), between the GPT and DRAM. */
	size_t secure_granules;
};

/* Memory layout: [Root: GPT L0 table, L1 tables][Secure][NS DRAM]. */
int tzm_rmm_create(const struct tzm_rmm_config *cfg, struct tzm_rmm **out);
void tzm_rmm_destroy(struct tzm_rmm *rmm);

/* PA range of the delegable DRAM: [*base, *base + *size). */
void tzm_rmm_dram(const struct tzm_rmm *rmm, uint64_t *base, uint64_t *size);
/* PA range of the Secure region. */
void tzm_rmm_secure(const struct tzm_rmm *rmm, uint64_t *base, uint64_t *size);

/*
 * A physical memory access by a given security state to a given PAS, Granule
 * Protection Checked for every granule it touches, before any byte moves. On a fault
 * returns -EFAULT and describes it in *gpf (may be NULL); nothing is transferred.
 */
int tzm_phys_read(struct tzm_rmm *rmm, enum tzm_sec_state state, enum tzm_pas pas, uint64_t pa,
		  void *buf, size_t len, struct tzm_gpf *gpf);
int tzm_phys_write(struct tzm_rmm *rmm, enum tzm_sec_state state, enum tzm_pas pas, uint64_t pa,
		   const void *buf, size_t len, struct tzm_gpf *gpf);

/* The host's (Non-secure state, NS PAS) view of memory. */
int tzm_rmm_ns_read(struct tzm_rmm *rmm, uint64_t pa, void *buf, size_t len, struct tzm_gpf *gpf);
int tzm_rmm_ns_write(struct tzm_rmm *rmm, uint64_t pa, const void *buf, size_t len,
		     struct tzm_gpf *gpf);

/*
 * Walks the GPT held in Root memory for pa. Returns 0 and the GPI, or -EFAULT with a
 * walk fault in *gpf.
 */
int tzm_gpt_lookup(struct tzm_rmm *rmm, uint64_t pa, unsigned *gpi, struct tzm_gpf *gpf);

const char *tzm_gpf_kind_name(enum tzm_gpf_kind kind);

/* ---- EL3 (Root) services for the RMM ---- */

#define TZM_SMC_RMM_GTSI_DELEGATE 0xC40001B0u
#define TZM_SMC_RMM_GTSI_UNDELEGATE 0xC40001B1u
#define TZM_SMC_RMM_GET_REALM_ATTEST_KEY 0xC40001B2u
#define TZM_SMC_RMM_GET_PLAT_TOKEN 0xC40001B3u

#define TZM_E_RMM_OK 0
#define TZM_E_RMM_UNK (-1)
#define TZM_E_RMM_BAD_ADDR (-2)
#define TZM_E_RMM_BAD_PAS (-3)
#define TZM_E_RMM_NOMEM (-4)
#define TZM_E_RMM_INVAL (-5)

/*
 * An SMC to EL3 from caller_state. The GTSI calls are accepted from Realm state only (the
 * RMM); from any other state they are unknown (E_RMM_UNK), as in TF-A. Delegate moves a
 * granule NS -> REALM; undelegate REALM -> NO_ACCESS, scrubs it, -> NS.
 */
int64_t tzm_el3_smc(struct tzm_rmm *rmm, enum tzm_sec_state caller_state, uint64_t fid,
		    uint64_t x1);

#ifdef __cplusplus
}
#endif

#endif
