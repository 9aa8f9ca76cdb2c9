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
	/* Shared Non-secure granules after DRAM (GPI NS, not delegable: never realm memory),
	 * backed by shared_fd (a memfd of that size) so that the host and a realm can map
	 * them: the fast path of the realm transport. 0: none (shared_fd unused). */
	size_t shared_granules;
	int shared_fd;
	/* PEM file of the emulated platform's attestation key (CPAK, P-384), created if
	 * missing (tzm_attest_key_load_or_create); NULL: a fresh key for this machine. */
	const char *platform_key_path;
};

/* Memory layout: [Root: GPT L0 table, L1 tables][Secure][NS DRAM]. */
int tzm_rmm_create(const struct tzm_rmm_config *cfg, struct tzm_rmm **out);
void tzm_rmm_destroy(struct tzm_rmm *rmm);

/* PA range of the delegable DRAM: [*base, *base + *size). */
void tzm_rmm_dram(const struct tzm_rmm *rmm, uint64_t *base, uint64_t *size);
/* PA range of the Secure region. */
void tzm_rmm_secure(const struct tzm_rmm *rmm, uint64_t *base, uint64_t *size);
/* PA range of the shared NS region (size 0: none). */
void tzm_rmm_shared(const struct tzm_rmm *rmm, uint64_t *base, uint64_t *size);

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

/* ---- RMI: host -> RMM (SMCCC: X0 = FID, X1.. arguments; X0 = status, X1.. results) ---- */

struct tzm_smc_regs {
	uint64_t x[11];
};

/* The registers of an RMI call: X0 = fid, X1..X5 = its arguments, the others 0. */
static inline struct tzm_smc_regs tzm_rmi_regs(uint64_t fid, uint64_t a1, uint64_t a2, uint64_t a3,
					       uint64_t a4, uint64_t a5)
{
	struct tzm_smc_regs r = { { fid, a1, a2, a3, a4, a5 } };

	return r;
}

/* X(NAME, n, args, results): FID = 0xC4000000 | (0x150 + n). One list for the enum,
 * the names and the dispatch table. */
#define TZM_RMI_COMMANDS(X)                                                                        \
	X(VERSION, 0x00, 1, 2)                                                                     \
	X(GRANULE_DELEGATE, 0x01, 1, 0)                                                            \
	X(GRANULE_UNDELEGATE, 0x02, 1, 0)                                                          \
	X(DATA_CREATE, 0x03, 5, 0)                                                                 \
	X(DATA_CREATE_UNKNOWN, 0x04, 3, 0)                                                         \
	X(DATA_DESTROY, 0x05, 2, 2)                                                                \
	X(REALM_ACTIVATE, 0x07, 1, 0)                                                              \
	X(REALM_CREATE, 0x08, 2, 0)                                                                \
	X(REALM_DESTROY, 0x09, 1, 0)                                                               \
	X(REC_CREATE, 0x0A, 3, 0)                                                                  \
	X(REC_DESTROY, 0x0B, 1, 0)                                                                 \
	X(REC_ENTER, 0x0C, 2, 0)                                                                   \
	X(RTT_CREATE, 0x0D, 4, 0)                                                                  \
	X(RTT_DESTROY, 0x0E, 3, 2)                                                                 \
	X(RTT_MAP_UNPROTECTED, 0x0F, 4, 0)                                                         \
	X(RTT_READ_ENTRY, 0x11, 3, 4)                                                              \
	X(RTT_UNMAP_UNPROTECTED, 0x12, 3, 1)                                                       \
	X(PSCI_COMPLETE, 0x14, 3, 0)                                                               \
	X(FEATURES, 0x15, 1, 1)                                                                    \
	X(RTT_FOLD, 0x16, 3, 1)                                                                    \
	X(REC_AUX_COUNT, 0x17, 1, 1)                                                               \
	X(RTT_INIT_RIPAS, 0x18, 3, 1)                                                              \
	X(RTT_SET_RIPAS, 0x19, 4, 1)

#define TZM_RMI_FID_BASE 0xC4000150u
enum tzm_rmi_fid {
#define TZM_RMI_X_ENUM(NAME, n, a, r) TZM_RMI_##NAME = TZM_RMI_FID_BASE + (n),
	TZM_RMI_COMMANDS(TZM_RMI_X_ENUM)
#undef TZM_RMI_X_ENUM
};

/* RMI status (X0 bits [7:0]); bits [15:8] carry the index (RTT level for ERROR_RTT). */
#define TZM_RMI_SUCCESS 0u
#define TZM_RMI_ERROR_INPUT 1u
#define TZM_RMI_ERROR_REALM 2u
#define TZM_RMI_ERROR_REC 3u
#define TZM_RMI_ERROR_RTT 4u
#define TZM_RMI_RETURN(status, index) ((uint64_t)(status) | ((uint64_t)(index) << 8))
#define TZM_RMI_STATUS(x0) ((unsigned)((x0)&0xFFu))
#define TZM_RMI_INDEX(x0) ((unsigned)(((x0) >> 8) & 0xFFu))

#define TZM_RMI_ABI_VERSION 0x10000u /* 1.0: major << 16 | minor */

/* Realm states, RIPAS, RTT entry states, hash algorithms, REC exit reasons. */
#define TZM_REALM_NEW 0u
#define TZM_REALM_ACTIVE 1u
#define TZM_REALM_SYSTEM_OFF 2u
#define TZM_RIPAS_EMPTY 0u
#define TZM_RIPAS_RAM 1u
#define TZM_RIPAS_DESTROYED 2u
#define TZM_RTT_UNASSIGNED 0u
#define TZM_RTT_ASSIGNED 1u
#define TZM_RTT_TABLE 2u
#define TZM_RMI_HASH_SHA_256 0u
#define TZM_RMI_HASH_SHA_512 1u
#define TZM_RMI_MEASURE_CONTENT 1u
#define TZM_REC_EXIT_SYNC 0u
#define TZM_REC_EXIT_IRQ 1u
#define TZM_REC_EXIT_FIQ 2u
#define TZM_REC_EXIT_PSCI 3u
#define TZM_REC_EXIT_RIPAS_CHANGE 4u
#define TZM_REC_EXIT_HOST_CALL 5u
#define TZM_REC_EXIT_SERROR 6u

/*
 * Offsets in the 4096-byte parameter granules the host passes in NS memory (RMM spec 1.0
 * RmiRealmParams, RmiRecParams, RmiRecRun).
 */
#define TZM_RP_FLAGS 0x0
#define TZM_RP_S2SZ 0x8
#define TZM_RP_SVE_VL 0x10
#define TZM_RP_NUM_BPS 0x18
#define TZM_RP_NUM_WPS 0x20
#define TZM_RP_PMU_NUM_CTRS 0x28
#define TZM_RP_ALGORITHM 0x30
#define TZM_RP_RPV 0x400
#define TZM_RP_VMID 0x800
#define TZM_RP_RTT_BASE 0x808
#define TZM_RP_RTT_LEVEL_START 0x810
#define TZM_RP_RTT_NUM_START 0x818

#define TZM_RECP_FLAGS 0x0
#define TZM_RECP_MPIDR 0x100
#define TZM_RECP_PC 0x200
#define TZM_RECP_GPRS 0x300 /* 8 x u64 */
#define TZM_RECP_NUM_AUX 0x800
#define TZM_RECP_AUX 0x808 /* 16 x u64 */
#define TZM_REC_PARAMS_FLAG_RUNNABLE 1u
#define TZM_REC_MAX_AUX 16u

#define TZM_RUN_ENTER_FLAGS 0x0
#define TZM_RUN_ENTER_GPRS 0x200 /* 31 x u64 */
#define TZM_RUN_EXIT 0x800
#define TZM_RUN_EXIT_REASON (0x800 + 0x0)
#define TZM_RUN_EXIT_ESR (0x800 + 0x100)
#define TZM_RUN_EXIT_FAR (0x800 + 0x108)
#define TZM_RUN_EXIT_HPFAR (0x800 + 0x110)
#define TZM_RUN_EXIT_GPRS (0x800 + 0x200) /* 31 x u64 */
#define TZM_RUN_EXIT_RIPAS_BASE (0x800 + 0x500)
#define TZM_RUN_EXIT_RIPAS_TOP (0x800 + 0x508)
#define TZM_RUN_EXIT_RIPAS_VALUE (0x800 + 0x510)
#define TZM_RUN_EXIT_IMM (0x800 + 0x600)
#define TZM_REC_ENTER_FLAG_RIPAS_RESPONSE (1u << 4) /* 1: reject the RIPAS change */

/*
 * Runs one RMI command for the host (Non-secure state). regs->x[0] is the FID, x[1..]
 * the arguments; on return x[0] holds the status and x[1..] the results. An unknown FID
 * returns SMC_UNKNOWN (-1) in x[0], as the SMCCC requires.
 */
void tzm_rmi_call(struct tzm_rmm *rmm, struct tzm_smc_regs *regs);

/* "RMI_DATA_CREATE" etc., NULL for an unknown FID. */
const char *tzm_rmi_name(uint64_t fid);

/* ---- RSI: realm -> RMM (FIDs in X0 of tzm_vcpu_smc()) ---- */

#define TZM_RSI_VERSION 0xC4000190u
#define TZM_RSI_FEATURES 0xC4000191u
#define TZM_RSI_MEASUREMENT_READ 0xC4000192u      /* X1 index 0..4 -> X1..X8 */
#define TZM_RSI_MEASUREMENT_EXTEND 0xC4000193u    /* X1 index 1..4, X2 size, X3..X10 data */
#define TZM_RSI_ATTEST_TOKEN_INIT 0xC4000194u     /* X1..X8 challenge -> X1 size bound */
#define TZM_RSI_ATTEST_TOKEN_CONTINUE 0xC4000195u /* X1 IPA, X2 offset, X3 size -> X1 */
#define TZM_RSI_REALM_CONFIG 0xC4000196u          /* X1 IPA of a 4 KB buffer */
#define TZM_RSI_IPA_STATE_SET 0xC4000197u         /* X1 base, X2 top, X3 RIPAS -> X1 new base */
#define TZM_RSI_IPA_STATE_GET 0xC4000198u         /* X1 base, X2 top -> X1 top, X2 RIPAS */
#define TZM_RSI_HOST_CALL 0xC4000199u             /* X1 IPA of RsiHostCall {u16 imm; u64 x[31]} */
#define TZM_RSI_SUCCESS 0u
#define TZM_RSI_ERROR_INPUT 1u
#define TZM_RSI_ERROR_STATE 2u
#define TZM_RSI_INCOMPLETE 3u
#define TZM_RSI_ERROR_UNKNOWN 4u
#define TZM_RSI_ABI_VERSION 0x10000u
/* RsiRealmConfig (written by REALM_CONFIG): ipa_width u64 @0x0, algorithm u64 @0x8,
 * rpv 64 B @0x200. */

/* PEM of the platform key's public half (for `tzm attest verify --platform-key`). */
int tzm_rmm_platform_key_pem(const struct tzm_rmm *rmm, char *buf, size_t cap, size_t *len);

/* ---- Realm execution: the realm side of a REC ---- */

struct tzm_vcpu; /* a REC while RMI_REC_ENTER runs it */

/*
 * The realm's code, called by RMI_REC_ENTER: it runs the REC with the registers in
 * tzm_vcpu_gprs() and returns when the REC exits. If it made an SMC that exits to the host
 * (tzm_vcpu_smc() returned 1) or took a stage-2 fault, that is the exit reason; if it
 * returns without, the exit is an IRQ (its time slice ended). Results of an exiting SMC
 * are in the registers at the next entry.
 */
typedef void (*tzm_vcpu_fn)(void *arg, struct tzm_vcpu *vcpu);
void tzm_rmm_set_vcpu_fn(struct tzm_rmm *rmm, tzm_vcpu_fn fn, void *arg);

uint64_t *tzm_vcpu_gprs(struct tzm_vcpu *vcpu); /* X0..X30 */
uint64_t tzm_vcpu_pc(const struct tzm_vcpu *vcpu);
uint64_t tzm_vcpu_rec(const struct tzm_vcpu *vcpu); /* PA of the REC (identifies it) */
uint64_t tzm_vcpu_rd(const struct tzm_vcpu *vcpu);  /* PA of its realm's RD */

/*
 * An SMC from the realm (RSI or PSCI) with the FID in X0. Returns 0 when the RMM
 * answered it (results in the registers), 1 when the REC must exit to the host first
 * (HOST_CALL, IPA_STATE_SET, PSCI requests the host completes).
 */
int tzm_vcpu_smc(struct tzm_vcpu *vcpu);

/*
 * Realm memory through stage 2 (the realm's RTTs) and the GPC (Realm state). Protected
 * IPAs need an ASSIGNED entry with RIPAS RAM, unprotected ones an ASSIGNED_NS entry.
 * -EFAULT: an unmapped IPA; the REC exits with a data abort (SYNC) at that IPA when the
 * fault is the host's to fix (unassigned RAM or unprotected), else the access simply
 * fails (RIPAS EMPTY: a synchronous external abort in the realm).
 */
int tzm_vcpu_read(struct tzm_vcpu *vcpu, uint64_t ipa, void *buf, size_t len);
int tzm_vcpu_write(struct tzm_vcpu *vcpu, uint64_t ipa, const void *buf, size_t len);
/*
 * Where [ipa, ipa + len) lives if the realm may map it directly: every granule must be an
 * unprotected IPA whose stage-2 entry is ASSIGNED to a granule of the shared NS region,
 * the granules contiguous. *offset: the first one's offset in that region. 0 or -EACCES
 * (no exit: the caller simply does not get a mapping).
 */
int tzm_vcpu_shared_offset(struct tzm_vcpu *vcpu, uint64_t ipa, size_t len, uint64_t *offset);

/* ---- Offline RIM prediction (`tzm realm measure`) ---- */

/*
 * How a host loads a realm image; the load sequence is fixed so that its RIM can be
 * predicted before the realm runs (realm/README.md, "Load sequence"):
 *   1. REALM_CREATE (flags 0, s2sz, algorithm; no SVE/PMU/debug)
 *   2. RTT_INIT_RIPAS over [ipa_base, ipa_base + ram_size), one call per 2 MB level-3
 *      table (the RMM stops at a table's end; the host continues from where it stopped)
 *   3. DATA_CREATE with MEASURE_CONTENT for each 4 KB page of the image, zero-padded,
 *      at ipa_base + 4096 * i, in order
 *   4. REC_CREATE for RECs 0..num_recs-1 (MPIDR index order): REC 0 RUNNABLE with
 *      pc = entry, the others not runnable with pc 0; all gprs zero
 */
struct tzm_realm_layout {
	unsigned s2sz;      /* IPA width, 32..48 */
	unsigned algorithm; /* TZM_RMI_HASH_SHA_256 or _512 */
	uint64_t ipa_base;  /* 4 KB aligned, protected */
	uint64_t ram_size;  /* 4 KB multiple >= image size; base + size protected */
	uint64_t entry;     /* REC 0's pc */
	unsigned num_recs;  /* >= 1 */
};

/* Defaults: s2sz 32, SHA-256, base 0, RAM = image rounded up to 2 MB, entry = base, 1 REC. */
void tzm_realm_layout_default(struct tzm_realm_layout *l, size_t image_len);
/* -EINVAL for a layout the RMM would refuse or that does not hold the image. */
int tzm_realm_layout_check(const struct tzm_realm_layout *l, size_t image_len);
/* The RIM the RMM computes for that sequence; rim holds the digest zero-padded to 64. */
int tzm_realm_predict_rim(const struct tzm_realm_layout *l, const void *image, size_t image_len,
			  uint8_t rim[64]);

#ifdef __cplusplus
}
#endif

#endif
