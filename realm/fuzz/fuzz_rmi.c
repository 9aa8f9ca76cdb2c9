// SPDX-License-Identifier: BSD-2-Clause
/*
 * libFuzzer entry point for the RMM's argument decoding: tzm-rmm's socket message decoder
 * (proto.c) and the parameter-granule decoders
 * and predicates of decode.c on the raw input, then the input as a program of RMI calls
 * (arguments drawn from granule addresses, IPAs, levels and raw values), NS parameter
 * pages written from the input, and REC entries whose realm code issues RSI and PSCI
 * calls with registers from the input. After every call the cheap invariants must hold:
 * RMI status in range, a DELEGATED granule all zero, GPI REALM exactly for delegated
 * granules. Also built without libFuzzer as a replay test (replay_main.c).
 *
 * Input: [op byte][operands...]*; each operand byte selects a value (see arg()).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rmm_int.h"
#include "tzm_rmm_proc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define GRANULES 40u

struct in {
	const uint8_t *p;
	size_t n;
};

static uint8_t byte(struct in *in)
{
	if (in->n == 0) {
		return 0;
	}
	in->n--;
	return *in->p++;
}

static uint64_t raw64(struct in *in)
{
	uint64_t v = 0;
	for (int i = 0; i < 8; i++) {
		v |= (uint64_t)byte(in) << (8 * i);
	}
	return v;
}

/* An argument: mostly something meaningful, sometimes odd, sometimes raw. */
static uint64_t arg(struct in *in, uint64_t dram)
{
	uint8_t s = byte(in);
	switch (s >> 5) {
	case 0:
	case 1:
	case 2:
		return dram + (uint64_t)(s % GRANULES) * TZM_GRANULE_SIZE; /* a granule */
	case 3:
		return (uint64_t)(s & 0x1F) * 0x1000 + (s & 0x10 ? 0x200000 : 0); /* an IPA */
	case 4:
		return (uint64_t)(s & 0x3) + 1; /* a level / small value */
	case 5:
		return dram + (uint64_t)(s & 0x1F) * TZM_GRANULE_SIZE + 8; /* misaligned */
	case 6:
		return 0x80000000ull + (uint64_t)(s & 0x1F) * 0x1000; /* unprotected IPA */
	default:
		return raw64(in);
	}
}

static void check(struct tzm_rmm *rmm, uint64_t x0, bool rmi)
{
	if (rmi && x0 != UINT64_MAX && ((x0 & 0xFF) > TZM_RMI_ERROR_RTT || (x0 >> 16) != 0)) {
		abort();
	}
	uint64_t base = 0, size = 0;
	tzm_rmm_dram(rmm, &base, &size);
	static const uint8_t zero[TZM_GRANULE_SIZE];
	for (uint64_t pa = base; pa < base + size; pa += TZM_GRANULE_SIZE) {
		unsigned gpi = 0, st = tzm__granule(rmm, pa)->state;
		if (tzm_gpt_lookup(rmm, pa, &gpi, NULL) != 0 ||
		    (gpi == TZM_GPI_REALM) != (st != 0)) {
			abort();
		}
		if (st == 1 && memcmp(tzm__mem(rmm, pa, TZM_GRANULE_SIZE), zero, sizeof(zero))) {
			abort();
		}
	}
}

/* The realm side: RSI/PSCI calls with registers taken from the input. */
static struct in *vcpu_in;

static void vcpu(void *arg_, struct tzm_vcpu *v)
{
	(void)arg_;
	unsigned calls = byte(vcpu_in) % 4;
	for (unsigned i = 0; i < calls; i++) {
		uint64_t *x = tzm_vcpu_gprs(v);
		uint8_t f = byte(vcpu_in);
		x[0] = f < 0xF0 ? TZM_RSI_VERSION + (f % 10) : 0x84000000u + (f & 0xF);
		if (f >= 0xF8) {
			x[0] |= 0x40000000u; /* SMC64 PSCI */
		}
		for (unsigned r = 1; r < 11; r++) {
			x[r] = arg(vcpu_in, 0x80000000ull);
		}
		uint8_t buf[64];
		(void)tzm_vcpu_read(v, arg(vcpu_in, 0), buf, byte(vcpu_in) % sizeof(buf));
		if (tzm_vcpu_smc(v) != 0) {
			return;
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t page[TZM_GRANULE_SIZE];
	struct in in = { data, size };

	/* The process protocol's decoder (tzm-rmm's sockets), both directions, every sender. */
	struct tzm_rmmp_hdr mh;
	const uint8_t *md = NULL;
	if (tzm_rmmp_decode(data, size, TZM_RMMP_HOST_REQUESTS | TZM_RMMP_REALM_REQUESTS, false,
			    &mh, &md) == 0 &&
	    (mh.data_len > TZM_RMMP_MAX_DATA || md != data + TZM_RMMP_HDR_SIZE)) {
		abort();
	}
	if (tzm_rmmp_decode(data, size, ~0u, true, &mh, &md) == 0 &&
	    (size != TZM_RMMP_HDR_SIZE + mh.data_len || (mh.status != 0 && mh.data_len != 0))) {
		abort();
	}

	/* The decoders and predicates on the raw bytes. */
	memset(page, 0, sizeof(page));
	memcpy(page, data, size < sizeof(page) ? size : sizeof(page));
	struct tzm__realm_params rp;
	struct tzm__rec_params cp;
	struct tzm__rec_enter e;
	tzm__realm_params_decode(page, &rp);
	(void)tzm__realm_params_valid(&rp);
	tzm__rec_params_decode(page, &cp);
	(void)tzm__rec_params_valid(&cp);
	tzm__rec_enter_decode(page, &e);
	(void)tzm__rec_enter_valid(&e);
	(void)tzm__rtt_num_start(page[0], (int64_t)(int8_t)page[1]);
	(void)tzm__mpidr_index(rp.flags);

	/* The program. */
	struct tzm_rmm_config cfg = { .dram_granules = GRANULES, .secure_granules = 1 };
	struct tzm_rmm *rmm = NULL;
	if (tzm_rmm_create(&cfg, &rmm) != 0) {
		abort();
	}
	vcpu_in = &in;
	tzm_rmm_set_vcpu_fn(rmm, vcpu, NULL);
	uint64_t dram = 0, dsize = 0;
	tzm_rmm_dram(rmm, &dram, &dsize);
	bool trace = getenv("TZM_REALM_FUZZ_TRACE") != NULL;
	for (unsigned steps = 0; in.n > 0 && steps < 256; steps++) {
		uint8_t op = byte(&in);
		if (op >= 0xF0) {
			/* Write input bytes into an NS page at a parameter offset. */
			uint64_t pa = dram + (uint64_t)(byte(&in) % GRANULES) * TZM_GRANULE_SIZE;
			size_t off = ((size_t)byte(&in) << 4) & (TZM_GRANULE_SIZE - 1);
			size_t n = byte(&in) % 64;
			uint8_t chunk[64] = { 0 };
			for (size_t k = 0; k < n; k++) {
				chunk[k] = byte(&in);
			}
			(void)tzm_rmm_ns_write(
				rmm, pa + off, chunk,
				n > TZM_GRANULE_SIZE - off ? TZM_GRANULE_SIZE - off : n, NULL);
			continue;
		}
		struct tzm_smc_regs regs;
		memset(&regs, 0, sizeof(regs));
		regs.x[0] = TZM_RMI_FID_BASE + (op % 0x1A);
		for (unsigned r = 1; r <= 5; r++) {
			regs.x[r] = arg(&in, dram);
		}
		uint64_t fid = regs.x[0];
		tzm_rmi_call(rmm, &regs);
		if (trace) { /* TZM_REALM_FUZZ_TRACE=1: see what an input reaches */
			fprintf(stderr, "%s -> 0x%llx\n", tzm_rmi_name(fid),
				(unsigned long long)regs.x[0]);
		}
		check(rmm, regs.x[0], true);
	}
	tzm_rmm_destroy(rmm);
	return 0;
}
