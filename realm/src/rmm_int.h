// SPDX-License-Identifier: BSD-2-Clause
/*
 * Private interfaces of the RMM half of the model (granule states, objects, commands).
 */
#ifndef TZM_RMM_INT_H
#define TZM_RMM_INT_H

#include "realm_int.h"

/* Granule states (RMM spec RmmGranuleState). */
enum tzm__gstate {
	GS_UNDELEGATED = 0,
	GS_DELEGATED = 1,
	GS_RD = 2,
	GS_REC = 3,
	GS_REC_AUX = 4,
	GS_DATA = 5,
	GS_RTT = 6,
};

struct tzm__granule {
	uint8_t state;
	uint32_t refcount; /* RD: RECs; RTT: live entries; REC: 1 while running */
};

int tzm__rmm_init(struct tzm_rmm *rmm, const char *platform_key_path);
void tzm__rmm_fini(struct tzm_rmm *rmm);

/* Metadata of the delegable granule at pa, NULL when pa is unaligned or not delegable. */
struct tzm__granule *tzm__granule(struct tzm_rmm *rmm, uint64_t pa);

/* ---- Objects kept inside their Realm PAS granules (the RMM's view) ---- */

/* The Realm Descriptor, stored in its RD granule. */
struct tzm__rd {
	uint32_t state;     /* TZM_REALM_* */
	uint32_t algorithm; /* TZM_RMI_HASH_* */
	uint32_t s2sz;      /* IPA width */
	int32_t rtt_level_start;
	uint32_t rtt_num_start;
	uint32_t rec_index; /* MPIDR index of the next REC */
	uint32_t vmid;
	uint32_t pad;
	uint64_t rtt_base;
	uint8_t rpv[64];
	uint8_t meas[5][64]; /* 0: RIM, 1..4: REMs; digest in the low bytes */
};

enum tzm__rec_pending {
	REC_PENDING_NONE = 0,
	REC_PENDING_HOST_CALL,
	REC_PENDING_RIPAS,
	REC_PENDING_PSCI,
};

/* A REC, stored in its REC granule; its attestation token lives in its aux granules. */
struct tzm__rec {
	uint64_t rd;    /* PA of the owning RD */
	uint64_t mpidr; /* as given to REC_CREATE */
	uint64_t pc;
	uint64_t gprs[31];
	uint32_t runnable;
	uint32_t num_aux;
	uint64_t aux[TZM_REC_MAX_AUX];
	uint32_t pending; /* enum tzm__rec_pending: what the next REC_ENTER completes */
	uint32_t psci_fid;
	uint64_t host_call_ipa;
	uint64_t ripas_base, ripas_top, ripas_addr;
	uint32_t ripas_value;
	uint32_t token_ready; /* ATTEST_TOKEN_INIT done */
	uint64_t psci_target, psci_entry, psci_context;
	uint64_t token_len, token_off;
};

#define RMM_REC_AUX_COUNT 4u /* REC_AUX_COUNT's answer: 16 KB for the token */
#define RMM_MAX_IPA_BITS 48u
#define RMM_MIN_IPA_BITS 32u
#define RMM_MAX_BPS 6u
#define RMM_MAX_WPS 4u
#define RMM_MAX_VMID 0xFFFFu

/* Maps a granule the RMM owns (GPI must be REALM); NULL means a broken invariant. */
void *tzm__realm_granule(struct tzm_rmm *rmm, uint64_t pa);
/* Returns a granule to DELEGATED, zeroed (scrubbed before reuse, as TF-RMM does). */
void tzm__granule_scrub(struct tzm_rmm *rmm, uint64_t pa);

/* RMI handlers: args = X1.., res = X1.. results; return X0. */
typedef uint64_t (*tzm__rmi_handler)(struct tzm_rmm *rmm, const uint64_t *args, uint64_t *res);
#define TZM_RMI_X_DECL(NAME, n, a, r)                                                              \
	uint64_t tzm__rmi_##NAME(struct tzm_rmm *rmm, const uint64_t *args, uint64_t *res);
TZM_RMI_COMMANDS(TZM_RMI_X_DECL)
#undef TZM_RMI_X_DECL

/* ---- Decoded arguments (decode.c: the one place that reads host-provided bytes) ---- */

struct tzm__realm_params {
	uint64_t flags;
	uint8_t s2sz, sve_vl, num_bps, num_wps, pmu_num_ctrs, algorithm;
	uint8_t rpv[64];
	uint16_t vmid;
	uint64_t rtt_base;
	int64_t rtt_level_start;
	uint32_t rtt_num_start;
};

struct tzm__rec_params {
	uint64_t flags, mpidr, pc;
	uint64_t gprs[8];
	uint64_t num_aux;
	uint64_t aux[TZM_REC_MAX_AUX];
};

struct tzm__rec_enter {
	uint64_t flags;
	uint64_t gprs[31];
};

/* Copies the NS granule at pa (Realm state, NS PAS: a GPF if the host delegated it). */
int tzm__ns_granule_read(struct tzm_rmm *rmm, uint64_t pa, uint8_t page[TZM_GRANULE_SIZE]);
void tzm__realm_params_decode(const uint8_t page[TZM_GRANULE_SIZE], struct tzm__realm_params *p);
bool tzm__realm_params_valid(const struct tzm__realm_params *p);
void tzm__rec_params_decode(const uint8_t page[TZM_GRANULE_SIZE], struct tzm__rec_params *p);
bool tzm__rec_params_valid(const struct tzm__rec_params *p);
void tzm__rec_enter_decode(const uint8_t page[TZM_GRANULE_SIZE], struct tzm__rec_enter *e);
bool tzm__rec_enter_valid(const struct tzm__rec_enter *e);
/* Number of starting-level tables s2sz needs from level sl, 0 if the pair is invalid. */
unsigned tzm__rtt_num_start(unsigned s2sz, int64_t sl);
/* REC index of an MPIDR (Aff0[3:0], Aff1, Aff2, Aff3), -1 if it has other bits set. */
int64_t tzm__mpidr_index(uint64_t mpidr);

/* ---- Measurements (measure.c) ---- */
size_t tzm__digest_len(unsigned algorithm);
/* out (64 bytes) = H(data) zero-padded. */
int tzm__meas_hash(unsigned algorithm, const void *data, size_t len, uint8_t out[64]);
void tzm__measure_realm_params(const struct tzm__realm_params *p, uint8_t rim[64]);
void tzm__measure_data(unsigned alg, uint8_t rim[64], uint64_t ipa, uint64_t flags,
		       const uint8_t page[TZM_GRANULE_SIZE]);
void tzm__measure_rec(unsigned alg, uint8_t rim[64], const struct tzm__rec_params *p);
void tzm__measure_ripas(unsigned alg, uint8_t rim[64], uint64_t base, uint64_t top);

/* ---- Stage-2 translation tables (rtt.c) ---- */

/* RTT entries, the model's own format (not the VMSA descriptor bits): */
#define RTTE_STATE_SHIFT 2                   /* [3:2] TZM_RTT_UNASSIGNED / ASSIGNED / TABLE */
#define RTTE_RIPAS_SHIFT 4                   /* [5:4] TZM_RIPAS_* (protected IPAs) */
#define RTTE_NS (1ull << 6)                  /* an unprotected (NS) entry */
#define RTTE_ADDR_MASK 0x0000FFFFFFFFF000ull /* [47:12] output PA or next table */
#define RTTE_ATTR_SHIFT 52 /* [59:52] the host's descriptor bits [9:2] (NS entries) */
#define RTT_ENTRIES 512u

unsigned tzm__rtte_state(uint64_t e);
unsigned tzm__rtte_ripas(uint64_t e);
static inline unsigned tzm__level_shift(int level)
{
	return 12u + 9u * (unsigned)(3 - level);
}

struct tzm__walk {
	int level;       /* level of the entry reached */
	uint64_t rtt;    /* PA of the table holding it */
	unsigned index;  /* its index there */
	uint64_t *entry; /* the entry (in Realm memory) */
};

/* Walks rd's RTTs for ipa down to at most target_level (stops at a non-TABLE entry). */
void tzm__rtt_walk(struct tzm_rmm *rmm, const struct tzm__rd *rd, uint64_t ipa, int target_level,
		   struct tzm__walk *w);

/* The running REC (rec.c) as the RSI code needs it. */
void tzm__vcpu_exit(struct tzm_vcpu *vcpu, uint64_t reason);
bool tzm__vcpu_exiting(const struct tzm_vcpu *vcpu);
void tzm__vcpu_clear_exit(struct tzm_vcpu *vcpu);
uint64_t *tzm__vcpu_exit_gprs(struct tzm_vcpu *vcpu);
void tzm__vcpu_exit_imm(struct tzm_vcpu *vcpu, uint64_t imm);
int tzm__rsi_call(struct tzm_vcpu *vcpu, struct tzm_rmm *rmm, struct tzm__rd *rd,
		  struct tzm__rec *rec, uint64_t rd_pa);
void tzm__rsi_complete(struct tzm_vcpu *vcpu, struct tzm__rec *rec,
		       const struct tzm__rec_enter *enter);

/* Attestation (token.c): the realm's token in *buf; the RAK is made on first use. */
int tzm__realm_token(struct tzm_rmm *rmm, uint64_t rd_pa, const struct tzm__rd *rd,
		     const uint8_t challenge[64], uint8_t *buf, size_t cap, size_t *len);
void tzm__rak_drop(struct tzm_rmm *rmm, uint64_t rd_pa);
int tzm__attest_init(struct tzm_rmm *rmm, const char *platform_key_path);
void tzm__attest_fini(struct tzm_rmm *rmm);

struct tzm__rd *tzm__rd_of(struct tzm_rmm *rmm, uint64_t rd_pa);

#endif
