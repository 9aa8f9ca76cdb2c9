// SPDX-License-Identifier: BSD-2-Clause
/*
 * Realm Execution Contexts: REC_CREATE/DESTROY, REC_ENTER (runs the realm's vCPU code and
 * reports why it exited through the NS RmiRecRun granule), PSCI_COMPLETE, and the
 * realm-side view of a running REC (registers, SMCs, memory through stage 2 + GPC).
 */
#include <errno.h>
#include <string.h>

#include "rmm_int.h"

/* The REC while REC_ENTER runs it, plus the exit being built. */
struct tzm_vcpu {
	struct tzm_rmm *rmm;
	uint64_t rec_pa;
	struct tzm__rec *rec;
	struct tzm__rd *rd;
	bool exiting; /* an exit reason below is set */
	uint64_t exit_reason, esr, far, hpfar, imm;
	uint64_t exit_gprs[31];
};

static struct tzm__rec *rec_of(struct tzm_rmm *rmm, uint64_t pa)
{
	struct tzm__granule *g = tzm__granule(rmm, pa);
	if (g == NULL || g->state != GS_REC) {
		return NULL;
	}
	return tzm__realm_granule(rmm, pa);
}

uint64_t tzm__rmi_REC_CREATE(struct tzm_rmm *rmm, const uint64_t *args, uint64_t *res)
{
	(void)res;
	uint64_t rd_pa = args[0], rec_pa = args[1], params_pa = args[2];
	uint8_t page[TZM_GRANULE_SIZE];
	struct tzm__rec_params p;

	/* rec_align, rec_bound, rec_state */
	struct tzm__granule *g_rec = tzm__granule(rmm, rec_pa);
	if (g_rec == NULL || g_rec->state != GS_DELEGATED) {
		return TZM_RMI_ERROR_INPUT;
	}
	/* rd_align, rd_bound, rd_state */
	struct tzm__rd *rd = tzm__rd_of(rmm, rd_pa);
	if (rd == NULL) {
		return TZM_RMI_ERROR_INPUT;
	}
	/* params_align, params_bound, params_pas, params_valid */
	if (tzm__ns_granule_read(rmm, params_pa, page) != 0) {
		return TZM_RMI_ERROR_INPUT;
	}
	tzm__rec_params_decode(page, &p);
	if (!tzm__rec_params_valid(&p)) {
		return TZM_RMI_ERROR_INPUT;
	}
	/* realm_state */
	if (rd->state != TZM_REALM_NEW) {
		return TZM_RMI_ERROR_REALM;
	}
	/* mpidr_index: RECs are created in MPIDR order; num_aux; aux granules */
	if (tzm__mpidr_index(p.mpidr) != (int64_t)rd->rec_index || p.num_aux != RMM_REC_AUX_COUNT) {
		return TZM_RMI_ERROR_INPUT;
	}
	for (uint64_t i = 0; i < p.num_aux; i++) {
		struct tzm__granule *g = tzm__granule(rmm, p.aux[i]);
		if (g == NULL || g->state != GS_DELEGATED || p.aux[i] == rec_pa) {
			return TZM_RMI_ERROR_INPUT;
		}
		for (uint64_t j = 0; j < i; j++) {
			if (p.aux[j] == p.aux[i]) {
				return TZM_RMI_ERROR_INPUT; /* aux_alias */
			}
		}
	}

	struct tzm__rec *rec = tzm__realm_granule(rmm, rec_pa);
	memset(rec, 0, sizeof(*rec));
	rec->rd = rd_pa;
	rec->mpidr = p.mpidr;
	rec->pc = p.pc;
	memcpy(rec->gprs, p.gprs, sizeof(p.gprs));
	rec->runnable = (p.flags & TZM_REC_PARAMS_FLAG_RUNNABLE) != 0;
	rec->num_aux = (uint32_t)p.num_aux;
	for (uint64_t i = 0; i < p.num_aux; i++) {
		rec->aux[i] = p.aux[i];
		tzm__granule(rmm, p.aux[i])->state = GS_REC_AUX;
	}
	tzm__measure_rec(rd->algorithm, rd->meas[0], &p);
	rd->rec_index++;
	g_rec->state = GS_REC;
	g_rec->refcount = 0;
	tzm__granule(rmm, rd_pa)->refcount++;
	return TZM_RMI_SUCCESS;
}

uint64_t tzm__rmi_REC_DESTROY(struct tzm_rmm *rmm, const uint64_t *args, uint64_t *res)
{
	(void)res;
	uint64_t rec_pa = args[0];
	struct tzm__rec *rec = rec_of(rmm, rec_pa);
	if (rec == NULL) {
		return TZM_RMI_ERROR_INPUT;
	}
	if (tzm__granule(rmm, rec_pa)->refcount != 0) {
		return TZM_RMI_ERROR_REC; /* running */
	}
	uint64_t rd_pa = rec->rd;
	uint32_t n = rec->num_aux;
	uint64_t aux[TZM_REC_MAX_AUX];
	memcpy(aux, rec->aux, sizeof(aux));
	for (uint32_t i = 0; i < n; i++) {
		tzm__granule_scrub(rmm, aux[i]);
	}
	tzm__granule_scrub(rmm, rec_pa);
	tzm__granule(rmm, rd_pa)->refcount--;
	return TZM_RMI_SUCCESS;
}

/* ---- the realm's view of a running REC ---- */

void tzm_rmm_set_vcpu_fn(struct tzm_rmm *rmm, tzm_vcpu_fn fn, void *arg)
{
	rmm->vcpu_fn = fn;
	rmm->vcpu_arg = arg;
}

uint64_t *tzm_vcpu_gprs(struct tzm_vcpu *vcpu)
{
	return vcpu->rec->gprs;
}

uint64_t tzm_vcpu_pc(const struct tzm_vcpu *vcpu)
{
	return vcpu->rec->pc;
}

uint64_t tzm_vcpu_rec(const struct tzm_vcpu *vcpu)
{
	return vcpu->rec_pa;
}

uint64_t tzm_vcpu_rd(const struct tzm_vcpu *vcpu)
{
	return vcpu->rec->rd;
}

void tzm__vcpu_exit(struct tzm_vcpu *vcpu, uint64_t reason)
{
	vcpu->exiting = true;
	vcpu->exit_reason = reason;
}

bool tzm__vcpu_exiting(const struct tzm_vcpu *vcpu)
{
	return vcpu->exiting;
}

/* A completion that touched realm memory must not leave a stale fault exit behind. */
void tzm__vcpu_clear_exit(struct tzm_vcpu *vcpu)
{
	vcpu->exiting = false;
	vcpu->exit_reason = 0;
	vcpu->esr = vcpu->far = vcpu->hpfar = 0;
}

uint64_t *tzm__vcpu_exit_gprs(struct tzm_vcpu *vcpu)
{
	return vcpu->exit_gprs;
}

void tzm__vcpu_exit_imm(struct tzm_vcpu *vcpu, uint64_t imm)
{
	vcpu->imm = imm;
}

#define ESR_EC_DABT_LOWER (0x24ull << 26)
#define ESR_IL (1ull << 25)
#define ESR_WNR (1ull << 6)
#define ESR_DFSC_TRANSLATION_L3 0x07ull

/*
 * Translates [ipa, ipa + len) (one granule at most per step) and copies. A fault the
 * host must resolve makes the REC exit with a data abort.
 */
static int vcpu_access(struct tzm_vcpu *vcpu, uint64_t ipa, void *buf, size_t len, bool write)
{
	struct tzm_rmm *rmm = vcpu->rmm;
	uint8_t *p = buf;
	if (vcpu->exiting) {
		return -EFAULT; /* the REC is leaving: nothing more runs */
	}
	while (len > 0) {
		uint64_t end = 0;
		if (__builtin_add_overflow(ipa, (uint64_t)len, &end) ||
		    end > (1ull << vcpu->rd->s2sz)) {
			return -EFAULT;
		}
		struct tzm__walk w;
		tzm__rtt_walk(rmm, vcpu->rd, ipa, 3, &w);
		uint64_t e = *w.entry;
		bool prot = ipa < (1ull << (vcpu->rd->s2sz - 1));
		bool mapped = tzm__rtte_state(e) == TZM_RTT_ASSIGNED &&
			      (!prot || tzm__rtte_ripas(e) == TZM_RIPAS_RAM);
		if (!mapped) {
			if (prot && tzm__rtte_ripas(e) == TZM_RIPAS_EMPTY) {
				return -EFAULT; /* SEA injected into the realm, no exit */
			}
			tzm__vcpu_exit(vcpu, TZM_REC_EXIT_SYNC);
			vcpu->esr = ESR_EC_DABT_LOWER | ESR_IL | (write ? ESR_WNR : 0) |
				    ESR_DFSC_TRANSLATION_L3;
			vcpu->hpfar = (ipa >> 12) << 4;
			vcpu->far =
				prot ? 0 : ipa; /* the host sees FAR only for unprotected IPAs */
			return -EFAULT;
		}
		uint64_t lsize = 1ull << tzm__level_shift(w.level);
		uint64_t pa = (e & RTTE_ADDR_MASK) + (ipa & (lsize - 1));
		size_t chunk = TZM_GRANULE_SIZE - (size_t)(pa & (TZM_GRANULE_SIZE - 1));
		if (chunk > len) {
			chunk = len;
		}
		enum tzm_pas pas = prot ? TZM_PAS_REALM : TZM_PAS_NS;
		int rc = write ? tzm_phys_write(rmm, TZM_SS_REALM, pas, pa, p, chunk, NULL)
			       : tzm_phys_read(rmm, TZM_SS_REALM, pas, pa, p, chunk, NULL);
		if (rc != 0) {
			/* A GPF at stage 2 output (e.g. the host delegated a shared page). */
			tzm__vcpu_exit(vcpu, TZM_REC_EXIT_SYNC);
			vcpu->esr = ESR_EC_DABT_LOWER | ESR_IL | (write ? ESR_WNR : 0) | 0x28ull;
			vcpu->hpfar = (ipa >> 12) << 4;
			vcpu->far = prot ? 0 : ipa;
			return -EFAULT;
		}
		p += chunk;
		ipa += chunk;
		len -= chunk;
	}
	return 0;
}

int tzm_vcpu_shared_offset(struct tzm_vcpu *vcpu, uint64_t ipa, size_t len, uint64_t *offset)
{
	struct tzm_rmm *rmm = vcpu->rmm;
	uint64_t top = (uint64_t)rmm->shared_granules * TZM_GRANULE_SIZE, first = 0, end = 0;
	if (len == 0 || (ipa & (TZM_GRANULE_SIZE - 1)) != 0 ||
	    (len & (TZM_GRANULE_SIZE - 1)) != 0 ||
	    __builtin_add_overflow(ipa, (uint64_t)len, &end) || end > (1ull << vcpu->rd->s2sz) ||
	    ipa < (1ull << (vcpu->rd->s2sz - 1))) {
		return -EACCES; /* only unprotected IPA can be shared */
	}
	for (uint64_t off = 0; off < len; off += TZM_GRANULE_SIZE) {
		struct tzm__walk w;
		tzm__rtt_walk(rmm, vcpu->rd, ipa + off, 3, &w);
		uint64_t e = *w.entry;
		uint64_t lsize = 1ull << tzm__level_shift(w.level);
		uint64_t pa = (e & RTTE_ADDR_MASK) + ((ipa + off) & (lsize - 1));
		if (tzm__rtte_state(e) != TZM_RTT_ASSIGNED || pa < rmm->shared_base ||
		    pa - rmm->shared_base >= top) {
			return -EACCES; /* unmapped, or NS memory that is not the shared region */
		}
		if (off == 0) {
			first = pa - rmm->shared_base;
		} else if (pa - rmm->shared_base != first + off) {
			return -EACCES;
		}
	}
	if (first + len > top) {
		return -EACCES;
	}
	*offset = first;
	return 0;
}

int tzm_vcpu_read(struct tzm_vcpu *vcpu, uint64_t ipa, void *buf, size_t len)
{
	return vcpu_access(vcpu, ipa, buf, len, false);
}

int tzm_vcpu_write(struct tzm_vcpu *vcpu, uint64_t ipa, const void *buf, size_t len)
{
	return vcpu_access(vcpu, ipa, (void *)buf, len, true);
}

int tzm_vcpu_smc(struct tzm_vcpu *vcpu)
{
	if (vcpu->exiting) {
		return 1;
	}
	return tzm__rsi_call(vcpu, vcpu->rmm, vcpu->rd, vcpu->rec, vcpu->rec->rd);
}

/* ---- REC_ENTER ---- */

static void put64(uint8_t *p, uint64_t v)
{
	memcpy(p, &v, sizeof(v));
}

uint64_t tzm__rmi_REC_ENTER(struct tzm_rmm *rmm, const uint64_t *args, uint64_t *res)
{
	(void)res;
	uint64_t rec_pa = args[0], run_pa = args[1];
	uint8_t run[TZM_GRANULE_SIZE];
	struct tzm__rec_enter enter;

	struct tzm__rec *rec = rec_of(rmm, rec_pa);
	if (rec == NULL) {
		return TZM_RMI_ERROR_INPUT;
	}
	if (tzm__ns_granule_read(rmm, run_pa, run) != 0) {
		return TZM_RMI_ERROR_INPUT;
	}
	tzm__rec_enter_decode(run, &enter);
	struct tzm__rd *rd = tzm__realm_granule(rmm, rec->rd);
	if (rd->state == TZM_REALM_NEW) {
		return TZM_RMI_RETURN(TZM_RMI_ERROR_REALM, 0);
	}
	if (rd->state == TZM_REALM_SYSTEM_OFF) {
		return TZM_RMI_RETURN(TZM_RMI_ERROR_REALM, 1);
	}
	if (!rec->runnable || (rec->pending == REC_PENDING_PSCI)) {
		return TZM_RMI_ERROR_REC; /* not runnable, or a PSCI request awaits PSCI_COMPLETE */
	}
	if (!tzm__rec_enter_valid(&enter)) {
		return TZM_RMI_ERROR_INPUT;
	}

	struct tzm_vcpu vcpu;
	memset(&vcpu, 0, sizeof(vcpu));
	vcpu.rmm = rmm;
	vcpu.rec_pa = rec_pa;
	vcpu.rec = rec;
	vcpu.rd = rd;
	tzm__granule(rmm, rec_pa)->refcount = 1; /* running */
	rmm->in_rec_enter = true;
	tzm__rsi_complete(&vcpu, rec, &enter);
	if (rmm->vcpu_fn != NULL) {
		rmm->vcpu_fn(rmm->vcpu_arg, &vcpu);
	}
	rmm->in_rec_enter = false;
	tzm__granule(rmm, rec_pa)->refcount = 0;
	if (!vcpu.exiting) {
		vcpu.exit_reason = TZM_REC_EXIT_IRQ; /* the time slice ended */
	}

	/* The exit record goes to the host's NS granule (a GPF there would be the host's
	 * own doing: the exit is lost, as on hardware). */
	uint8_t exit[0x800];
	memset(exit, 0, sizeof(exit));
	put64(exit + 0x0, vcpu.exit_reason);
	put64(exit + 0x100, vcpu.esr);
	put64(exit + 0x108, vcpu.far);
	put64(exit + 0x110, vcpu.hpfar);
	for (unsigned i = 0; i < 31; i++) {
		put64(exit + 0x200 + 8 * i, vcpu.exit_gprs[i]);
	}
	if (vcpu.exit_reason == TZM_REC_EXIT_RIPAS_CHANGE) {
		put64(exit + 0x500, rec->ripas_base);
		put64(exit + 0x508, rec->ripas_top);
		put64(exit + 0x510, rec->ripas_value);
	}
	put64(exit + 0x600, vcpu.imm);
	(void)tzm_phys_write(rmm, TZM_SS_REALM, TZM_PAS_NS, run_pa + TZM_RUN_EXIT, exit,
			     sizeof(exit), NULL);
	return TZM_RMI_SUCCESS;
}

/* PSCI return codes */
#define PSCI_SUCCESS 0
#define PSCI_NOT_SUPPORTED (-1)
#define PSCI_INVALID_PARAMETERS (-2)
#define PSCI_DENIED (-3)
#define PSCI_ALREADY_ON (-4)
#define PSCI_CPU_ON_FID 0xC4000003u
#define PSCI_AFFINITY_INFO_FID 0xC4000004u

uint64_t tzm__rmi_PSCI_COMPLETE(struct tzm_rmm *rmm, const uint64_t *args, uint64_t *res)
{
	(void)res;
	uint64_t calling_pa = args[0], target_pa = args[1];
	int64_t status = (int64_t)args[2];
	struct tzm__rec *calling = rec_of(rmm, calling_pa);
	struct tzm__rec *target = rec_of(rmm, target_pa);
	if (calling == NULL || target == NULL || calling_pa == target_pa) {
		return TZM_RMI_ERROR_INPUT;
	}
	if (calling->pending != REC_PENDING_PSCI || target->rd != calling->rd ||
	    target->mpidr != calling->psci_target) {
		return TZM_RMI_ERROR_INPUT;
	}
	if (status != PSCI_SUCCESS && status != PSCI_DENIED) {
		return TZM_RMI_ERROR_INPUT;
	}
	int64_t ret = status;
	if (calling->psci_fid == PSCI_CPU_ON_FID && status == PSCI_SUCCESS) {
		if (target->runnable) {
			ret = PSCI_ALREADY_ON;
		} else {
			target->runnable = 1;
			target->pc = calling->psci_entry;
			memset(target->gprs, 0, sizeof(target->gprs));
			target->gprs[0] = calling->psci_context;
		}
	} else if (calling->psci_fid == PSCI_AFFINITY_INFO_FID && status == PSCI_SUCCESS) {
		ret = target->runnable ? 0 : 1; /* ON / OFF */
	}
	calling->gprs[0] = (uint64_t)ret;
	calling->pending = REC_PENDING_NONE;
	return TZM_RMI_SUCCESS;
}
