// SPDX-License-Identifier: BSD-2-Clause
/*
 * RSI (realm -> RMM) and the realm's PSCI calls, served while the REC runs:
 * VERSION, FEATURES, REALM_CONFIG, MEASUREMENT_READ/EXTEND, ATTEST_TOKEN_INIT/CONTINUE,
 * IPA_STATE_SET/GET, HOST_CALL; PSCI_VERSION, CPU_ON, CPU_OFF, AFFINITY_INFO, SYSTEM_OFF.
 * Calls the host must act on (HOST_CALL, IPA_STATE_SET, PSCI requests) make the REC exit;
 * tzm__rsi_complete() finishes them at the next REC_ENTER with the host's answers.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "rmm_int.h"

#define PSCI_VERSION 0x84000000u
#define PSCI_CPU_OFF 0x84000002u
#define PSCI_CPU_ON 0xC4000003u
#define PSCI_AFFINITY_INFO 0xC4000004u
#define PSCI_SYSTEM_OFF 0x84000008u
#define PSCI_NOT_SUPPORTED UINT64_MAX /* -1 */

static bool ipa_protected(const struct tzm__rd *rd, uint64_t ipa)
{
	return ipa < (1ull << (rd->s2sz - 1));
}

/* The REC's aux granules hold its attestation token (contiguous in the model's view). */
static int token_copy(struct tzm_rmm *rmm, const struct tzm__rec *rec, uint64_t off, void *dst,
		      const void *src, size_t len)
{
	while (len > 0) {
		uint64_t idx = off / TZM_GRANULE_SIZE, in = off % TZM_GRANULE_SIZE;
		if (idx >= rec->num_aux) {
			return -ENOSPC;
		}
		uint8_t *g = tzm__realm_granule(rmm, rec->aux[idx]);
		size_t chunk = TZM_GRANULE_SIZE - (size_t)in;
		if (chunk > len) {
			chunk = len;
		}
		if (src != NULL) {
			memcpy(g + in, src, chunk);
			src = (const uint8_t *)src + chunk;
		} else {
			memcpy(dst, g + in, chunk);
			dst = (uint8_t *)dst + chunk;
		}
		off += chunk;
		len -= chunk;
	}
	return 0;
}

static void rsi_attest_init(struct tzm_vcpu *vcpu, struct tzm_rmm *rmm, struct tzm__rd *rd,
			    struct tzm__rec *rec, uint64_t rd_pa, uint64_t *x)
{
	uint8_t challenge[64];
	uint8_t token[RMM_REC_AUX_COUNT * TZM_GRANULE_SIZE];
	size_t len = 0;
	(void)vcpu;
	memcpy(challenge, &x[1], sizeof(challenge)); /* X1..X8 */
	rec->token_ready = 0;
	if (tzm__realm_token(rmm, rd_pa, rd, challenge, token, sizeof(token), &len) != 0 ||
	    token_copy(rmm, rec, 0, NULL, token, len) != 0) {
		x[0] = TZM_RSI_ERROR_UNKNOWN;
		return;
	}
	rec->token_ready = 1;
	rec->token_len = len;
	rec->token_off = 0;
	x[0] = TZM_RSI_SUCCESS;
	x[1] = sizeof(token); /* upper bound of the token size */
}

static void rsi_attest_continue(struct tzm_vcpu *vcpu, struct tzm_rmm *rmm, struct tzm__rd *rd,
				struct tzm__rec *rec, uint64_t *x)
{
	uint64_t ipa = x[1], off = x[2], size = x[3];
	if (!rec->token_ready) {
		x[0] = TZM_RSI_ERROR_STATE;
		return;
	}
	if ((ipa & (TZM_GRANULE_SIZE - 1)) != 0 || !ipa_protected(rd, ipa) ||
	    off > TZM_GRANULE_SIZE || size > TZM_GRANULE_SIZE - off) {
		x[0] = TZM_RSI_ERROR_INPUT;
		return;
	}
	uint64_t left = rec->token_len - rec->token_off;
	uint64_t n = size < left ? size : left;
	uint8_t chunk[TZM_GRANULE_SIZE];
	(void)token_copy(rmm, rec, rec->token_off, chunk, NULL, n);
	if (tzm_vcpu_write(vcpu, ipa + off, chunk, n) != 0) {
		x[0] = TZM_RSI_ERROR_INPUT; /* the buffer is not realm RAM */
		return;
	}
	rec->token_off += n;
	x[1] = n;
	if (rec->token_off == rec->token_len) {
		rec->token_ready = 0;
		x[0] = TZM_RSI_SUCCESS;
	} else {
		x[0] = TZM_RSI_INCOMPLETE;
	}
}

static uint64_t ripas_top_of_run(struct tzm_rmm *rmm, struct tzm__rd *rd, uint64_t base,
				 uint64_t top, unsigned *ripas)
{
	struct tzm__walk w;
	tzm__rtt_walk(rmm, rd, base, 3, &w);
	uint64_t size = 1ull << tzm__level_shift(w.level);
	*ripas = tzm__rtte_ripas(*w.entry);
	uint64_t addr = base & ~(size - 1);
	for (unsigned i = w.index; i < RTT_ENTRIES && addr < top; i++, addr += size) {
		uint64_t e = w.entry[i - w.index];
		if (tzm__rtte_state(e) == TZM_RTT_TABLE || tzm__rtte_ripas(e) != *ripas) {
			break;
		}
	}
	return addr < top ? addr : top;
}

static void psci_exit(struct tzm_vcpu *vcpu, struct tzm__rec *rec, const uint64_t *x)
{
	uint64_t *g = tzm__vcpu_exit_gprs(vcpu);
	memcpy(g, x, 4 * sizeof(uint64_t)); /* the host sees the PSCI function and arguments */
	tzm__vcpu_exit(vcpu, TZM_REC_EXIT_PSCI);
	(void)rec;
}

int tzm__rsi_call(struct tzm_vcpu *vcpu, struct tzm_rmm *rmm, struct tzm__rd *rd,
		  struct tzm__rec *rec, uint64_t rd_pa)
{
	uint64_t *x = rec->gprs;
	uint64_t fid = x[0];
	uint8_t buf[TZM_GRANULE_SIZE];

	switch (fid) {
	case TZM_RSI_VERSION:
		x[0] = x[1] == TZM_RSI_ABI_VERSION ? TZM_RSI_SUCCESS : TZM_RSI_ERROR_INPUT;
		x[1] = TZM_RSI_ABI_VERSION;
		x[2] = TZM_RSI_ABI_VERSION;
		return 0;
	case TZM_RSI_FEATURES:
		x[0] = TZM_RSI_SUCCESS;
		x[1] = 0; /* no optional features in any register */
		return 0;
	case TZM_RSI_REALM_CONFIG: {
		uint64_t ipa = x[1];
		if ((ipa & (TZM_GRANULE_SIZE - 1)) != 0 || !ipa_protected(rd, ipa)) {
			x[0] = TZM_RSI_ERROR_INPUT;
			return 0;
		}
		memset(buf, 0, sizeof(buf));
		uint64_t ipa_width = rd->s2sz, alg = rd->algorithm;
		memcpy(buf + 0x0, &ipa_width, 8);
		memcpy(buf + 0x8, &alg, 8);
		memcpy(buf + 0x200, rd->rpv, 64);
		x[0] = tzm_vcpu_write(vcpu, ipa, buf, sizeof(buf)) == 0 ? TZM_RSI_SUCCESS
									: TZM_RSI_ERROR_INPUT;
		return tzm__vcpu_exiting(vcpu);
	}
	case TZM_RSI_MEASUREMENT_READ:
		if (x[1] > 4) {
			x[0] = TZM_RSI_ERROR_INPUT;
			return 0;
		}
		memcpy(&x[1], rd->meas[x[1]], 64); /* X1..X8 */
		x[0] = TZM_RSI_SUCCESS;
		return 0;
	case TZM_RSI_MEASUREMENT_EXTEND: {
		uint64_t idx = x[1], size = x[2];
		if (idx < 1 || idx > 4 || size > 64) {
			x[0] = TZM_RSI_ERROR_INPUT;
			return 0;
		}
		size_t dl = tzm__digest_len(rd->algorithm);
		memcpy(buf, rd->meas[idx], dl);
		memcpy(buf + dl, &x[3], size); /* X3..X10 */
		(void)tzm__meas_hash(rd->algorithm, buf, dl + size, rd->meas[idx]);
		x[0] = TZM_RSI_SUCCESS;
		return 0;
	}
	case TZM_RSI_ATTEST_TOKEN_INIT:
		rsi_attest_init(vcpu, rmm, rd, rec, rd_pa, x);
		return 0;
	case TZM_RSI_ATTEST_TOKEN_CONTINUE:
		rsi_attest_continue(vcpu, rmm, rd, rec, x);
		return tzm__vcpu_exiting(vcpu);
	case TZM_RSI_IPA_STATE_SET: {
		uint64_t base = x[1], top = x[2], ripas = x[3];
		if ((base & (TZM_GRANULE_SIZE - 1)) != 0 || (top & (TZM_GRANULE_SIZE - 1)) != 0 ||
		    top <= base || !ipa_protected(rd, top - 1) ||
		    (ripas != TZM_RIPAS_EMPTY && ripas != TZM_RIPAS_RAM)) {
			x[0] = TZM_RSI_ERROR_INPUT;
			return 0;
		}
		rec->pending = REC_PENDING_RIPAS;
		rec->ripas_base = base;
		rec->ripas_top = top;
		rec->ripas_addr = base;
		rec->ripas_value = (uint32_t)ripas;
		tzm__vcpu_exit(vcpu, TZM_REC_EXIT_RIPAS_CHANGE);
		return 1;
	}
	case TZM_RSI_IPA_STATE_GET: {
		uint64_t base = x[1], top = x[2];
		unsigned ripas = 0;
		if ((base & (TZM_GRANULE_SIZE - 1)) != 0 || (top & (TZM_GRANULE_SIZE - 1)) != 0 ||
		    top <= base || !ipa_protected(rd, top - 1)) {
			x[0] = TZM_RSI_ERROR_INPUT;
			return 0;
		}
		x[1] = ripas_top_of_run(rmm, rd, base, top, &ripas);
		x[2] = ripas;
		x[0] = TZM_RSI_SUCCESS;
		return 0;
	}
	case TZM_RSI_HOST_CALL: {
		/* RsiHostCall: imm u16 @0x0, gprs[31] @0x8; must not cross a granule. */
		uint64_t ipa = x[1];
		uint8_t hc[8 + 31 * 8];
		if ((ipa & 0xFF) != 0 || !ipa_protected(rd, ipa)) {
			x[0] = TZM_RSI_ERROR_INPUT;
			return 0;
		}
		if (tzm_vcpu_read(vcpu, ipa, hc, sizeof(hc)) != 0) {
			if (tzm__vcpu_exiting(vcpu)) {
				return 1;
			}
			x[0] = TZM_RSI_ERROR_INPUT;
			return 0;
		}
		uint16_t imm = (uint16_t)(hc[0] | (hc[1] << 8));
		memcpy(tzm__vcpu_exit_gprs(vcpu), hc + 8, 31 * 8);
		tzm__vcpu_exit_imm(vcpu, imm);
		rec->pending = REC_PENDING_HOST_CALL;
		rec->host_call_ipa = ipa;
		tzm__vcpu_exit(vcpu, TZM_REC_EXIT_HOST_CALL);
		return 1;
	}
	case PSCI_VERSION:
		x[0] = 0x10001; /* PSCI 1.1 */
		return 0;
	case PSCI_CPU_OFF:
		rec->runnable = 0;
		psci_exit(vcpu, rec, x);
		x[0] = 0;
		return 1;
	case PSCI_SYSTEM_OFF:
		rd->state = TZM_REALM_SYSTEM_OFF;
		psci_exit(vcpu, rec, x);
		return 1;
	case PSCI_CPU_ON:
	case PSCI_AFFINITY_INFO:
		if (tzm__mpidr_index(x[1]) < 0 ||
		    tzm__mpidr_index(x[1]) >= (int64_t)rd->rec_index) {
			x[0] = (uint64_t)-2; /* INVALID_PARAMETERS: no such REC */
			return 0;
		}
		rec->pending = REC_PENDING_PSCI;
		rec->psci_fid = (uint32_t)fid;
		rec->psci_target = x[1];
		rec->psci_entry = x[2];
		rec->psci_context = x[3];
		psci_exit(vcpu, rec, x);
		return 1;
	default:
		fprintf(stderr, "tzm_realm: realm SMC 0x%llx not supported\n",
			(unsigned long long)fid);
		x[0] = PSCI_NOT_SUPPORTED; /* SMCCC unknown function */
		return 0;
	}
}

void tzm__rsi_complete(struct tzm_vcpu *vcpu, struct tzm__rec *rec,
		       const struct tzm__rec_enter *enter)
{
	switch (rec->pending) {
	case REC_PENDING_HOST_CALL: {
		/* The host's answer (its X0..X30) goes back into the RsiHostCall structure. */
		uint8_t regs[31 * 8];
		memcpy(regs, enter->gprs, sizeof(regs));
		rec->pending = REC_PENDING_NONE;
		rec->gprs[0] = tzm_vcpu_write(vcpu, rec->host_call_ipa + 8, regs, sizeof(regs)) == 0
				       ? TZM_RSI_SUCCESS
				       : TZM_RSI_ERROR_INPUT;
		tzm__vcpu_clear_exit(vcpu);
		break;
	}
	case REC_PENDING_RIPAS:
		rec->pending = REC_PENDING_NONE;
		rec->gprs[0] = TZM_RSI_SUCCESS;
		rec->gprs[1] = rec->ripas_addr; /* how far the host got */
		rec->gprs[2] = (enter->flags & TZM_REC_ENTER_FLAG_RIPAS_RESPONSE) ? 1 : 0;
		break;
	default:
		break;
	}
}
