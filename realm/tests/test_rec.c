// SPDX-License-Identifier: BSD-2-Clause
/*
 * RECs and RSI: REC_CREATE/DESTROY/ENTER and PSCI_COMPLETE with their failure
 * conditions in order; the realm side of REC_ENTER (a scripted vCPU) exercising every
 * RSI command, HOST_CALL and RIPAS_CHANGE exits completed by the host, stage-2 faults,
 * PSCI; the attestation token read out through ATTEST_TOKEN_CONTINUE and accepted by
 * the project's verifier; and which unprotected ranges a realm may map directly (the
 * shared NS region of the transport's fast path).
 */
#include <errno.h>
#include <openssl/evp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "realm_host.h"
#include "rmm_int.h"
#include "tzm_attest.h"
#include "tzm_test.h"

#define IN TZM_RMI_ERROR_INPUT
#define RE TZM_RMI_ERROR_REALM
#define RC TZM_RMI_ERROR_REC

#define SHARED_IPA 0x80000000ull /* unprotected (s2sz 32) */

/* A realm with RAM at IPA [0, 64 KB) (first 4 pages populated), a shared NS page. */
struct setup {
	struct host h;
	struct realm r;
	uint64_t shared; /* PA of the NS page mapped at SHARED_IPA */
	uint64_t run;    /* NS RmiRecRun granule */
};

static unsigned setup_alg = TZM_RMI_HASH_SHA_256;
static size_t setup_shared_granules; /* with a shared NS region of this size (memfd) */
static int setup_shared_fd = -1;

static void setup(struct setup *s, int activate)
{
	struct realm_cfg c;
	host_init_shared(&s->h, 256, setup_shared_granules, setup_shared_fd);
	realm_cfg_default(&c, 3);
	c.algorithm = (uint8_t)setup_alg;
	host_realm_create(&s->h, &c, &s->r);
	host_rtt_map_to(&s->h, &s->r, 0, 3);
	RMI_OK(rmi(&s->h, TZM_RMI_RTT_INIT_RIPAS, s->r.rd, 0, 0x10000, 0, 0).x0);
	uint8_t page[4096];
	uint64_t src = host_granule(&s->h);
	for (unsigned i = 0; i < 4; i++) {
		memset(page, 0x10 + i, sizeof(page));
		ASSERT_OK(tzm_rmm_ns_write(s->h.rmm, src, page, sizeof(page), NULL));
		RMI_OK(rmi(&s->h, TZM_RMI_DATA_CREATE, s->r.rd, host_delegated(&s->h), i * 4096ull,
			   src, TZM_RMI_MEASURE_CONTENT)
			       .x0);
	}
	host_rtt_map_to(&s->h, &s->r, SHARED_IPA, 3);
	s->shared = host_granule(&s->h);
	RMI_OK(rmi(&s->h, TZM_RMI_RTT_MAP_UNPROTECTED, s->r.rd, SHARED_IPA, 3, s->shared, 0).x0);
	s->run = host_granule(&s->h);
	if (activate) {
		RMI_OK(rmi(&s->h, TZM_RMI_REALM_ACTIVATE, s->r.rd, 0, 0, 0, 0).x0);
	}
}

static uint64_t run_get(struct setup *s, size_t off)
{
	uint8_t b[8];
	ASSERT_OK(tzm_rmm_ns_read(s->h.rmm, s->run + off, b, 8, NULL));
	return get64(b);
}

static void run_set(struct setup *s, size_t off, uint64_t v)
{
	uint8_t b[8];
	put64(b, v);
	ASSERT_OK(tzm_rmm_ns_write(s->h.rmm, s->run + off, b, 8, NULL));
}

static uint64_t enter(struct setup *s, uint64_t rec)
{
	return rmi(&s->h, TZM_RMI_REC_ENTER, rec, s->run, 0, 0, 0).x0;
}

static void test_rec_create(void)
{
	struct setup s;
	setup(&s, 0);
	struct host *h = &s.h;
	uint64_t aux[16];
	uint64_t params = host_rec_params(h, 0, 0x1000, NULL, 1, 4, aux);
	uint64_t rec = host_delegated(h);

	TEST_STEP("REC_CREATE: rec, rd, params, realm state, mpidr, num_aux, aux granules");
	RMI_ERR(rmi(h, TZM_RMI_REC_CREATE, s.r.rd, rec + 8, params, 0, 0).x0, IN, 0);
	RMI_ERR(rmi(h, TZM_RMI_REC_CREATE, s.r.rd, host_granule(h), params, 0, 0).x0, IN, 0);
	RMI_ERR(rmi(h, TZM_RMI_REC_CREATE, rec, rec, params, 0, 0).x0, IN, 0); /* rd */
	RMI_ERR(rmi(h, TZM_RMI_REC_CREATE, s.r.rd, rec, params + 8, 0, 0).x0, IN, 0);
	RMI_ERR(rmi(h, TZM_RMI_REC_CREATE, s.r.rd, rec, aux[0], 0, 0).x0, IN, 0); /* Realm PAS */
	uint8_t page[4096];
	struct {
		const char *what;
		size_t off;
		uint64_t v;
	} bad[] = {
		{ "flags", TZM_RECP_FLAGS, 2 },
		{ "mpidr with Aff0[7:4]", TZM_RECP_MPIDR, 0x10 },
		{ "mpidr with bit 31", TZM_RECP_MPIDR, 1ull << 31 },
		{ "mpidr index 1 first", TZM_RECP_MPIDR, 1 },
		{ "num_aux 17", TZM_RECP_NUM_AUX, 17 },
		{ "num_aux 3", TZM_RECP_NUM_AUX, 3 },
		{ "aux not delegated", TZM_RECP_AUX + 8, 0 },
		{ "aux == rec", TZM_RECP_AUX + 16, rec },
		{ "aux twice", TZM_RECP_AUX + 24, 0 },
	};
	bad[6].v = host_granule(h);
	bad[8].v = aux[0];
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		TEST_STEP("REC_CREATE refuses %s", bad[i].what);
		ASSERT_OK(tzm_rmm_ns_read(h->rmm, params, page, sizeof(page), NULL));
		put64(page + bad[i].off, bad[i].v);
		uint64_t p2 = host_granule(h);
		ASSERT_OK(tzm_rmm_ns_write(h->rmm, p2, page, sizeof(page), NULL));
		RMI_ERR(rmi(h, TZM_RMI_REC_CREATE, s.r.rd, rec, p2, 0, 0).x0, IN, 0);
		ASSERT_EQ_U64(tzm__granule(h->rmm, rec)->state, 1);
		ASSERT_EQ_U64(tzm__granule(h->rmm, aux[0])->state, 1);
	}
	TEST_STEP("REC_CREATE succeeds; a second with the same MPIDR fails");
	RMI_OK(rmi(h, TZM_RMI_REC_CREATE, s.r.rd, rec, params, 0, 0).x0);
	ASSERT_EQ_U64(tzm__granule(h->rmm, rec)->state, 3);
	ASSERT_EQ_U64(tzm__granule(h->rmm, aux[3])->state, 4);
	ASSERT_EQ_U64(tzm__granule(h->rmm, s.r.rd)->refcount, 1);
	uint64_t p3 = host_rec_params(h, 0, 0x1000, NULL, 1, 4, NULL);
	RMI_ERR(rmi(h, TZM_RMI_REC_CREATE, s.r.rd, host_delegated(h), p3, 0, 0).x0, IN, 0);
	uint64_t p4 = host_rec_params(h, 1, 0x1000, NULL, 0, 4, NULL);
	uint64_t rec1 = host_delegated(h);
	RMI_OK(rmi(h, TZM_RMI_REC_CREATE, s.r.rd, rec1, p4, 0, 0).x0);

	TEST_STEP("REC_CREATE after activation: ERROR_REALM (after the input checks)");
	RMI_OK(rmi(h, TZM_RMI_REALM_ACTIVATE, s.r.rd, 0, 0, 0, 0).x0);
	uint64_t p5 = host_rec_params(h, 2, 0x1000, NULL, 1, 4, NULL);
	RMI_ERR(rmi(h, TZM_RMI_REC_CREATE, s.r.rd, host_delegated(h), p5, 0, 0).x0, RE, 0);
	RMI_ERR(rmi(h, TZM_RMI_REC_CREATE, s.r.rd, host_delegated(h), p5 + 1, 0, 0).x0, IN, 0);

	TEST_STEP("REC_DESTROY: rec checks; scrubs REC and aux; the RD can go afterwards");
	RMI_ERR(rmi(h, TZM_RMI_REC_DESTROY, rec + 8, 0, 0, 0, 0).x0, IN, 0);
	RMI_ERR(rmi(h, TZM_RMI_REC_DESTROY, s.r.rd, 0, 0, 0, 0).x0, IN, 0);
	RMI_OK(rmi(h, TZM_RMI_REC_DESTROY, rec, 0, 0, 0, 0).x0);
	ASSERT_EQ_U64(tzm__granule(h->rmm, rec)->state, 1);
	ASSERT_EQ_U64(tzm__granule(h->rmm, aux[2])->state, 1);
	RMI_ERR(rmi(h, TZM_RMI_REC_DESTROY, rec, 0, 0, 0, 0).x0, IN, 0);
	RMI_OK(rmi(h, TZM_RMI_REC_DESTROY, rec1, 0, 0, 0, 0).x0);
	ASSERT_EQ_U64(tzm__granule(h->rmm, s.r.rd)->refcount, 0);
	host_fini(h);
}

/* ---- the scripted realm ---- */

struct prog {
	int step;
	int done;
	uint64_t seen[12];
	uint8_t buf[4096];
	void (*fn)(struct prog *p, struct tzm_vcpu *v);
};

static void vcpu_main(void *arg, struct tzm_vcpu *v)
{
	struct prog *p = arg;
	p->fn(p, v);
}

static uint64_t *regs_for(struct tzm_vcpu *v, uint64_t fid)
{
	uint64_t *x = tzm_vcpu_gprs(v);
	memset(x, 0, 31 * sizeof(uint64_t));
	x[0] = fid;
	return x;
}

static void test_rec_enter(void)
{
	struct setup s;
	setup(&s, 0);
	struct host *h = &s.h;
	uint64_t rec = host_rec_create(h, &s.r, 0, 1);
	uint64_t rec_off = host_rec_create(h, &s.r, 1, 0);

	TEST_STEP("REC_ENTER: rec, run granule, realm NEW, runnable, flags");
	RMI_ERR(rmi(h, TZM_RMI_REC_ENTER, rec + 8, s.run, 0, 0, 0).x0, IN, 0);
	RMI_ERR(rmi(h, TZM_RMI_REC_ENTER, s.r.rd, s.run, 0, 0, 0).x0, IN, 0);
	RMI_ERR(rmi(h, TZM_RMI_REC_ENTER, rec, s.run + 8, 0, 0, 0).x0, IN, 0);
	RMI_ERR(rmi(h, TZM_RMI_REC_ENTER, rec, rec, 0, 0, 0).x0, IN, 0); /* run is Realm */
	RMI_ERR(enter(&s, rec), RE, 0);
	RMI_OK(rmi(h, TZM_RMI_REALM_ACTIVATE, s.r.rd, 0, 0, 0, 0).x0);
	RMI_ERR(enter(&s, rec_off), RC, 0);
	run_set(&s, TZM_RUN_ENTER_FLAGS, 1ull << 5);
	RMI_ERR(enter(&s, rec), IN, 0);
	run_set(&s, TZM_RUN_ENTER_FLAGS, 0);

	TEST_STEP("without realm code the REC just runs out its time slice (IRQ exit)");
	tzm_rmm_set_vcpu_fn(h->rmm, NULL, NULL);
	RMI_OK(enter(&s, rec));
	ASSERT_EQ_U64(run_get(&s, TZM_RUN_EXIT_REASON), TZM_REC_EXIT_IRQ);
	host_fini(h);
}

/* RSI commands answered by the RMM without an exit. */
static void prog_rsi(struct prog *p, struct tzm_vcpu *v)
{
	uint64_t *x;
	switch (p->step++) {
	case 0:
		x = regs_for(v, TZM_RSI_VERSION);
		x[1] = TZM_RSI_ABI_VERSION;
		ASSERT_EQ_INT(tzm_vcpu_smc(v), 0);
		ASSERT_EQ_U64(x[0], TZM_RSI_SUCCESS);
		ASSERT_EQ_U64(x[1], 0x10000);
		x = regs_for(v, TZM_RSI_VERSION);
		x[1] = 0x20000;
		tzm_vcpu_smc(v);
		ASSERT_EQ_U64(x[0], TZM_RSI_ERROR_INPUT);
		x = regs_for(v, TZM_RSI_FEATURES);
		tzm_vcpu_smc(v);
		ASSERT_EQ_U64(x[0], TZM_RSI_SUCCESS);
		ASSERT_EQ_U64(x[1], 0);

		TEST_STEP("RSI_REALM_CONFIG writes ipa_width, algorithm, RPV");
		x = regs_for(v, TZM_RSI_REALM_CONFIG);
		x[1] = 0x2000;
		ASSERT_EQ_INT(tzm_vcpu_smc(v), 0);
		ASSERT_EQ_U64(x[0], TZM_RSI_SUCCESS);
		ASSERT_OK(tzm_vcpu_read(v, 0x2000, p->buf, 4096));
		ASSERT_EQ_U64(get64(p->buf), 32);
		ASSERT_EQ_U64(get64(p->buf + 8), TZM_RMI_HASH_SHA_256);
		ASSERT_EQ_U64(p->buf[0x200], 0xA0);
		ASSERT_EQ_U64(p->buf[0x23F], 0xA0 + 63);
		x = regs_for(v, TZM_RSI_REALM_CONFIG);
		x[1] = 0x2008;
		tzm_vcpu_smc(v);
		ASSERT_EQ_U64(x[0], TZM_RSI_ERROR_INPUT);
		x = regs_for(v, TZM_RSI_REALM_CONFIG);
		x[1] = SHARED_IPA;
		tzm_vcpu_smc(v);
		ASSERT_EQ_U64(x[0], TZM_RSI_ERROR_INPUT);

		TEST_STEP("RSI_MEASUREMENT_READ / EXTEND");
		x = regs_for(v, TZM_RSI_MEASUREMENT_READ);
		x[1] = 5;
		tzm_vcpu_smc(v);
		ASSERT_EQ_U64(x[0], TZM_RSI_ERROR_INPUT);
		x = regs_for(v, TZM_RSI_MEASUREMENT_EXTEND);
		x[1] = 0;
		x[2] = 8;
		tzm_vcpu_smc(v);
		ASSERT_EQ_U64(x[0], TZM_RSI_ERROR_INPUT);
		x = regs_for(v, TZM_RSI_MEASUREMENT_EXTEND);
		x[1] = 2;
		x[2] = 65;
		tzm_vcpu_smc(v);
		ASSERT_EQ_U64(x[0], TZM_RSI_ERROR_INPUT);
		x = regs_for(v, TZM_RSI_MEASUREMENT_EXTEND);
		x[1] = 2;
		x[2] = 5;
		memcpy(&x[3], "hello", 5);
		tzm_vcpu_smc(v);
		ASSERT_EQ_U64(x[0], TZM_RSI_SUCCESS);
		{
			uint8_t in[37] = { 0 }, want[32];
			unsigned n = 0;
			memcpy(in + 32, "hello", 5); /* REM_2 was zero */
			EVP_Digest(in, sizeof(in), want, &n, EVP_sha256(), NULL);
			x = regs_for(v, TZM_RSI_MEASUREMENT_READ);
			x[1] = 2;
			tzm_vcpu_smc(v);
			ASSERT_EQ_U64(x[0], TZM_RSI_SUCCESS);
			ASSERT_EQ_MEM((uint8_t *)&x[1], want, 32);
			ASSERT_EQ_U64(x[5], 0); /* zero after the digest */
		}

		TEST_STEP("RSI_IPA_STATE_GET");
		x = regs_for(v, TZM_RSI_IPA_STATE_GET);
		x[1] = 0;
		x[2] = 0x20000;
		tzm_vcpu_smc(v);
		ASSERT_EQ_U64(x[0], TZM_RSI_SUCCESS);
		ASSERT_EQ_U64(x[1], 0x10000); /* RAM up to 64 KB, EMPTY after */
		ASSERT_EQ_U64(x[2], TZM_RIPAS_RAM);
		x = regs_for(v, TZM_RSI_IPA_STATE_GET);
		x[1] = 0x10000;
		x[2] = 0x11000;
		tzm_vcpu_smc(v);
		ASSERT_EQ_U64(x[2], TZM_RIPAS_EMPTY);
		x = regs_for(v, TZM_RSI_IPA_STATE_GET);
		x[1] = 0x10;
		x[2] = 0x11000;
		tzm_vcpu_smc(v);
		ASSERT_EQ_U64(x[0], TZM_RSI_ERROR_INPUT);

		TEST_STEP("unknown realm SMC: SMCCC unknown, no exit");
		x = regs_for(v, 0xC4000180);
		ASSERT_EQ_INT(tzm_vcpu_smc(v), 0);
		ASSERT_EQ_U64(x[0], UINT64_MAX);

		TEST_STEP("memory: RAM readable, EMPTY fails without exit, shared page");
		ASSERT_OK(tzm_vcpu_read(v, 0x1000, p->buf, 16));
		ASSERT_EQ_U64(p->buf[0], 0x11); /* DATA_CREATE content of page 1 */
		ASSERT_EQ_ERRNO(tzm_vcpu_read(v, 0x20000, p->buf, 16), -EFAULT);
		ASSERT_OK(tzm_vcpu_write(v, SHARED_IPA + 16, "to the host", 12));
		p->done = 1;
		return; /* IRQ exit */
	case 1:
		TEST_STEP("a stage-2 fault on unassigned RAM exits with a data abort");
		ASSERT_EQ_ERRNO(tzm_vcpu_write(v, 0x5000, "x", 1), -EFAULT);
		return;
	default:
		TEST_FAIL("unexpected entry %d", p->step);
	}
}

static void test_rsi(void)
{
	struct setup s;
	setup(&s, 0);
	struct host *h = &s.h;
	struct prog p = { .fn = prog_rsi };
	tzm_rmm_set_vcpu_fn(h->rmm, vcpu_main, &p);
	uint64_t rec = host_rec_create(h, &s.r, 0, 1);
	TEST_STEP("RSI commands answered by the RMM");
	RMI_OK(rmi(h, TZM_RMI_REALM_ACTIVATE, s.r.rd, 0, 0, 0, 0).x0);
	RMI_OK(enter(&s, rec));
	ASSERT_EQ_INT(p.done, 1);
	ASSERT_EQ_U64(run_get(&s, TZM_RUN_EXIT_REASON), TZM_REC_EXIT_IRQ);
	char msg[12];
	ASSERT_OK(tzm_rmm_ns_read(h->rmm, s.shared + 16, msg, sizeof(msg), NULL));
	ASSERT_EQ_STR(msg, "to the host");
	RMI_OK(enter(&s, rec));
	ASSERT_EQ_U64(run_get(&s, TZM_RUN_EXIT_REASON), TZM_REC_EXIT_SYNC);
	ASSERT_EQ_U64(run_get(&s, TZM_RUN_EXIT_HPFAR), (0x5000ull >> 12) << 4);
	ASSERT_EQ_U64(run_get(&s, TZM_RUN_EXIT_FAR), 0); /* protected IPA: FAR hidden */
	ASSERT_EQ_U64(run_get(&s, TZM_RUN_EXIT_ESR) >> 26, 0x24);
	ASSERT_NE_U64(run_get(&s, TZM_RUN_EXIT_ESR) & (1ull << 6), 0); /* write */
	TEST_STEP("the host cannot read or write realm memory");
	uint64_t data_pa = rmi(h, TZM_RMI_RTT_READ_ENTRY, s.r.rd, 0x1000, 3, 0, 0).x[2];
	struct tzm_gpf f;
	ASSERT_EQ_ERRNO(tzm_rmm_ns_read(h->rmm, data_pa, msg, 1, &f), -EFAULT);
	ASSERT_EQ_INT(f.kind, TZM_GPF_GPI);
	ASSERT_EQ_ERRNO(tzm_rmm_ns_write(h->rmm, data_pa, msg, 1, &f), -EFAULT);
	ASSERT_EQ_ERRNO(tzm_rmm_ns_read(h->rmm, rec, msg, 1, &f), -EFAULT);
	ASSERT_EQ_ERRNO(tzm_rmm_ns_read(h->rmm, s.r.rtt_base, msg, 1, &f), -EFAULT);
	ASSERT_EQ_ERRNO(tzm_rmm_ns_read(h->rmm, s.r.rd, msg, 1, &f), -EFAULT);
	TEST_STEP("nor change a measured page after activation");
	uint64_t src = host_granule(h);
	RMI_OK(rmi(h, TZM_RMI_DATA_DESTROY, s.r.rd, 0x1000, 0, 0, 0).x0); /* realm sees DESTROYED */
	RMI_ERR(rmi(h, TZM_RMI_DATA_CREATE, s.r.rd, host_delegated(h), 0x1000, src, 1).x0, RE, 0);
	host_fini(h);
}

/* HOST_CALL and IPA_STATE_SET: exits completed at the next entry. */
static void prog_exits(struct prog *p, struct tzm_vcpu *v)
{
	uint64_t *x = tzm_vcpu_gprs(v);
	uint8_t hc[8 + 31 * 8];
	switch (p->step++) {
	case 0:
		memset(hc, 0, sizeof(hc));
		hc[0] = 0x42;
		put64(hc + 8, 0x1111);
		put64(hc + 8 + 30 * 8, 0x3030);
		ASSERT_OK(tzm_vcpu_write(v, 0x3000, hc, sizeof(hc)));
		x = regs_for(v, TZM_RSI_HOST_CALL);
		x[1] = 0x3008; /* not 256-byte aligned */
		tzm_vcpu_smc(v);
		ASSERT_EQ_U64(x[0], TZM_RSI_ERROR_INPUT);
		x = regs_for(v, TZM_RSI_HOST_CALL);
		x[1] = 0x3000;
		ASSERT_EQ_INT(tzm_vcpu_smc(v), 1);
		return;
	case 1:
		ASSERT_EQ_U64(x[0], TZM_RSI_SUCCESS);
		ASSERT_OK(tzm_vcpu_read(v, 0x3000, hc, sizeof(hc)));
		ASSERT_EQ_U64(get64(hc + 8), 0xA0);     /* the host's X0 */
		ASSERT_EQ_U64(get64(hc + 8 + 8), 0xA1); /* X1 */
		ASSERT_EQ_U64(hc[0], 0x42);             /* imm untouched */
		x = regs_for(v, TZM_RSI_IPA_STATE_SET);
		x[1] = 0x10000;
		x[2] = 0x8000; /* top < base */
		tzm_vcpu_smc(v);
		ASSERT_EQ_U64(x[0], TZM_RSI_ERROR_INPUT);
		x = regs_for(v, TZM_RSI_IPA_STATE_SET);
		x[1] = 0x10000;
		x[2] = 0x14000;
		x[3] = TZM_RIPAS_RAM;
		ASSERT_EQ_INT(tzm_vcpu_smc(v), 1);
		return;
	case 2:
		ASSERT_EQ_U64(x[0], TZM_RSI_SUCCESS);
		ASSERT_EQ_U64(x[1], 0x14000);
		ASSERT_EQ_U64(x[2], 0); /* accepted */
		x = regs_for(v, TZM_RSI_IPA_STATE_SET);
		x[1] = 0x14000;
		x[2] = 0x15000;
		x[3] = TZM_RIPAS_RAM;
		ASSERT_EQ_INT(tzm_vcpu_smc(v), 1);
		return;
	case 3:
		ASSERT_EQ_U64(x[1], 0x14000); /* the host did nothing */
		ASSERT_EQ_U64(x[2], 1);       /* and rejected */
		TEST_STEP("PSCI: CPU_ON of REC 1 goes to the host");
		x = regs_for(v, 0x84000000u);
		ASSERT_EQ_INT(tzm_vcpu_smc(v), 0);
		ASSERT_EQ_U64(x[0], 0x10001);
		x = regs_for(v, 0xC4000003u);
		x[1] = 5; /* no such REC */
		ASSERT_EQ_INT(tzm_vcpu_smc(v), 0);
		ASSERT_EQ_U64(x[0], (uint64_t)-2);
		x = regs_for(v, 0xC4000003u);
		x[1] = 1;
		x[2] = 0x8000;
		x[3] = 0x77;
		ASSERT_EQ_INT(tzm_vcpu_smc(v), 1);
		return;
	case 4:
		ASSERT_EQ_U64(x[0], 0); /* PSCI SUCCESS */
		x = regs_for(v, 0xC4000003u);
		x[1] = 1;
		ASSERT_EQ_INT(tzm_vcpu_smc(v), 1);
		return;
	case 5:
		ASSERT_EQ_U64(x[0], (uint64_t)-4); /* ALREADY_ON */
		x = regs_for(v, 0x84000008u);      /* SYSTEM_OFF */
		ASSERT_EQ_INT(tzm_vcpu_smc(v), 1);
		return;
	default:
		TEST_FAIL("unexpected entry %d", p->step);
	}
}

static void test_exits(void)
{
	struct setup s;
	setup(&s, 0);
	struct host *h = &s.h;
	struct prog p = { .fn = prog_exits };
	tzm_rmm_set_vcpu_fn(h->rmm, vcpu_main, &p);
	uint64_t rec = host_rec_create(h, &s.r, 0, 1);
	uint64_t rec1 = host_rec_create(h, &s.r, 1, 0);
	RMI_OK(rmi(h, TZM_RMI_REALM_ACTIVATE, s.r.rd, 0, 0, 0, 0).x0);

	TEST_STEP("HOST_CALL: exit with imm and the realm's registers; answer on entry");
	RMI_OK(enter(&s, rec));
	ASSERT_EQ_U64(run_get(&s, TZM_RUN_EXIT_REASON), TZM_REC_EXIT_HOST_CALL);
	ASSERT_EQ_U64(run_get(&s, TZM_RUN_EXIT_IMM), 0x42);
	ASSERT_EQ_U64(run_get(&s, TZM_RUN_EXIT_GPRS), 0x1111);
	ASSERT_EQ_U64(run_get(&s, TZM_RUN_EXIT_GPRS + 30 * 8), 0x3030);
	for (unsigned i = 0; i < 31; i++) {
		run_set(&s, TZM_RUN_ENTER_GPRS + 8 * i, 0xA0 + i);
	}

	TEST_STEP("IPA_STATE_SET: RIPAS_CHANGE exit; RTT_SET_RIPAS checks; progress returned");
	RMI_OK(enter(&s, rec));
	ASSERT_EQ_U64(run_get(&s, TZM_RUN_EXIT_REASON), TZM_REC_EXIT_RIPAS_CHANGE);
	ASSERT_EQ_U64(run_get(&s, TZM_RUN_EXIT_RIPAS_BASE), 0x10000);
	ASSERT_EQ_U64(run_get(&s, TZM_RUN_EXIT_RIPAS_TOP), 0x14000);
	ASSERT_EQ_U64(run_get(&s, TZM_RUN_EXIT_RIPAS_VALUE), TZM_RIPAS_RAM);
	RMI_ERR(rmi(h, TZM_RMI_RTT_SET_RIPAS, s.r.rd, rec + 8, 0x10000, 0x14000, 0).x0, IN, 0);
	RMI_ERR(rmi(h, TZM_RMI_RTT_SET_RIPAS, s.r.rd, rec1, 0x10000, 0x14000, 0).x0, RC, 0);
	RMI_ERR(rmi(h, TZM_RMI_RTT_SET_RIPAS, s.r.rd, rec, 0x11000, 0x14000, 0).x0, IN, 0);
	RMI_ERR(rmi(h, TZM_RMI_RTT_SET_RIPAS, s.r.rd, rec, 0x10000, 0x15000, 0).x0, IN, 0);
	struct rmi_result sr = rmi(h, TZM_RMI_RTT_SET_RIPAS, s.r.rd, rec, 0x10000, 0x12000, 0);
	RMI_OK(sr.x0);
	ASSERT_EQ_U64(sr.x[0], 0x12000);
	sr = rmi(h, TZM_RMI_RTT_SET_RIPAS, s.r.rd, rec, 0x12000, 0x14000, 0);
	RMI_OK(sr.x0);
	ASSERT_EQ_U64(rmi(h, TZM_RMI_RTT_READ_ENTRY, s.r.rd, 0x13000, 3, 0, 0).x[3], TZM_RIPAS_RAM);
	RMI_OK(enter(&s, rec));
	ASSERT_EQ_U64(run_get(&s, TZM_RUN_EXIT_REASON), TZM_REC_EXIT_RIPAS_CHANGE);
	run_set(&s, TZM_RUN_ENTER_FLAGS, TZM_REC_ENTER_FLAG_RIPAS_RESPONSE);
	RMI_OK(enter(&s, rec));
	run_set(&s, TZM_RUN_ENTER_FLAGS, 0);

	TEST_STEP("PSCI_COMPLETE: recs, pending request, target, status");
	ASSERT_EQ_U64(run_get(&s, TZM_RUN_EXIT_REASON), TZM_REC_EXIT_PSCI);
	ASSERT_EQ_U64(run_get(&s, TZM_RUN_EXIT_GPRS), 0xC4000003u);
	ASSERT_EQ_U64(run_get(&s, TZM_RUN_EXIT_GPRS + 8), 1);
	RMI_ERR(enter(&s, rec), RC, 0); /* must complete the request first */
	RMI_ERR(rmi(h, TZM_RMI_PSCI_COMPLETE, rec + 8, rec1, 0, 0, 0).x0, IN, 0);
	RMI_ERR(rmi(h, TZM_RMI_PSCI_COMPLETE, rec, rec, 0, 0, 0).x0, IN, 0);
	RMI_ERR(rmi(h, TZM_RMI_PSCI_COMPLETE, rec1, rec, 0, 0, 0).x0, IN, 0); /* rec1: none */
	RMI_ERR(rmi(h, TZM_RMI_PSCI_COMPLETE, rec, rec1, 7, 0, 0).x0, IN, 0); /* status */
	RMI_ERR(enter(&s, rec1), RC, 0);                                      /* not runnable */
	RMI_OK(rmi(h, TZM_RMI_PSCI_COMPLETE, rec, rec1, 0, 0, 0).x0);
	struct tzm__rec *r1 = tzm__realm_granule(h->rmm, rec1);
	ASSERT_EQ_U64(r1->runnable, 1);
	ASSERT_EQ_U64(r1->pc, 0x8000);
	ASSERT_EQ_U64(r1->gprs[0], 0x77);
	RMI_OK(enter(&s, rec));
	RMI_OK(rmi(h, TZM_RMI_PSCI_COMPLETE, rec, rec1, 0, 0, 0).x0);
	TEST_STEP("SYSTEM_OFF: the realm stops; REC_ENTER answers ERROR_REALM index 1");
	RMI_OK(enter(&s, rec));
	ASSERT_EQ_U64(run_get(&s, TZM_RUN_EXIT_REASON), TZM_REC_EXIT_PSCI);
	RMI_ERR(enter(&s, rec), RE, 1);
	RMI_ERR(enter(&s, rec1), RE, 1);
	host_fini(h);
}

/* Attestation: the token is copied out in pieces and verified by the project's verifier. */
static void prog_attest(struct prog *p, struct tzm_vcpu *v)
{
	uint64_t *x;
	size_t len = 0;
	x = regs_for(v, TZM_RSI_ATTEST_TOKEN_CONTINUE);
	x[1] = 0x2000;
	x[3] = 100;
	tzm_vcpu_smc(v);
	ASSERT_EQ_U64(x[0], TZM_RSI_ERROR_STATE);
	x = regs_for(v, TZM_RSI_ATTEST_TOKEN_INIT);
	memset(&x[1], 0xC5, 64);
	tzm_vcpu_smc(v);
	ASSERT_EQ_U64(x[0], TZM_RSI_SUCCESS);
	ASSERT_GE_U64(x[1], 4096);
	x = regs_for(v, TZM_RSI_ATTEST_TOKEN_CONTINUE);
	x[1] = 0x2000;
	x[2] = 4000;
	x[3] = 200; /* past the granule */
	tzm_vcpu_smc(v);
	ASSERT_EQ_U64(x[0], TZM_RSI_ERROR_INPUT);
	static uint8_t token[16384];
	for (int i = 0;; i++) {
		ASSERT_LT_INT(i, 100);
		x = regs_for(v, TZM_RSI_ATTEST_TOKEN_CONTINUE);
		x[1] = 0x2000;
		x[2] = 96;
		x[3] = 700;
		tzm_vcpu_smc(v);
		uint64_t st = x[0], n = x[1];
		ASSERT_TRUE(st == TZM_RSI_SUCCESS || st == TZM_RSI_INCOMPLETE);
		ASSERT_LE_U64(n, 700);
		ASSERT_OK(tzm_vcpu_read(v, 0x2000 + 96, token + len, n));
		len += n;
		if (st == TZM_RSI_SUCCESS) {
			break;
		}
		ASSERT_EQ_U64(n, 700);
	}
	memcpy(p->buf, token, len < sizeof(p->buf) ? len : sizeof(p->buf));
	p->seen[0] = len;
	x = regs_for(v, TZM_RSI_MEASUREMENT_READ);
	x[1] = 0;
	tzm_vcpu_smc(v);
	memcpy(&p->seen[1], &x[1], 64);
	p->done = 1;
}

static void test_attest(unsigned alg)
{
	struct setup s;
	setup_alg = alg;
	setup(&s, 0);
	setup_alg = TZM_RMI_HASH_SHA_256;
	struct host *h = &s.h;
	struct prog p = { .fn = prog_attest };
	tzm_rmm_set_vcpu_fn(h->rmm, vcpu_main, &p);
	uint64_t rec = host_rec_create(h, &s.r, 0, 1);
	RMI_OK(rmi(h, TZM_RMI_REALM_ACTIVATE, s.r.rd, 0, 0, 0, 0).x0);
	TEST_STEP("ATTEST_TOKEN_INIT/CONTINUE hand out a CCA token the verifier accepts (%s)",
		  alg == TZM_RMI_HASH_SHA_512 ? "SHA-512" : "SHA-256");
	RMI_OK(enter(&s, rec));
	ASSERT_EQ_INT(p.done, 1);
	char pem[1024];
	size_t pem_len = 0;
	ASSERT_OK(tzm_rmm_platform_key_pem(h->rmm, pem, sizeof(pem), &pem_len));
	uint8_t challenge[64];
	memset(challenge, 0xC5, sizeof(challenge));
	struct tzm_attest_verify_opts o = { .platform_key_pem = pem,
					    .platform_key_pem_len = pem_len,
					    .challenge = challenge,
					    .challenge_len = 64 };
	struct tzm_attest_report *rep = calloc(1, sizeof(*rep));
	ASSERT_NOT_NULL(rep);
	ASSERT_OK(tzm_attest_verify(p.buf, p.seen[0], &o, rep));
	if (rep->status != TZM_ATTEST_AFFIRMING) {
		tzm_attest_report_print(stdout, rep);
	}
	ASSERT_EQ_INT(rep->status, TZM_ATTEST_AFFIRMING);
	ASSERT_EQ_STR(rep->realm.profile, TZM_ATTEST_REALM_PROFILE_2);
	size_t dl = alg == TZM_RMI_HASH_SHA_512 ? 64 : 32;
	ASSERT_EQ_STR(rep->realm.measurement_alg, dl == 64 ? "sha-512" : "sha-256");
	ASSERT_EQ_U64(rep->realm.digest_len, dl);
	ASSERT_EQ_MEM(rep->realm.rim, (uint8_t *)&p.seen[1], dl);
	ASSERT_EQ_U64(rep->realm.rpv[0], 0xA0);
	ASSERT_EQ_U64(rep->realm.claim_44243, 3); /* the VMID */
	ASSERT_EQ_INT(rep->envelope, TZM_ATTEST_ENV_CMW907);
	free(rep);
	host_fini(h);
}

/* What tzm_vcpu_shared_offset answers for a list of ranges, asked from inside the realm. */
#define SHARED_QUERIES 8
struct shared_probe {
	uint64_t ipa[SHARED_QUERIES], len[SHARED_QUERIES], off[SHARED_QUERIES];
	int rc[SHARED_QUERIES];
	unsigned n;
};

static void vcpu_shared(void *arg, struct tzm_vcpu *vcpu)
{
	struct shared_probe *p = arg;
	for (unsigned i = 0; i < p->n; i++) {
		p->off[i] = UINT64_MAX;
		p->rc[i] = tzm_vcpu_shared_offset(vcpu, p->ipa[i], (size_t)p->len[i], &p->off[i]);
	}
}

static void test_shared_region(void)
{
	const size_t granules = 4;
	int fd = memfd_create("test-shared", MFD_CLOEXEC);
	ASSERT_TRUE(fd >= 0);
	ASSERT_OK(ftruncate(fd, (off_t)(granules * TZM_GRANULE_SIZE)));
	uint8_t *view =
		mmap(NULL, granules * TZM_GRANULE_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	ASSERT_TRUE(view != MAP_FAILED);
	struct setup s;
	setup_shared_granules = granules;
	setup_shared_fd = fd;
	setup(&s, 0);
	setup_shared_granules = 0;
	setup_shared_fd = -1;
	struct host *h = &s.h;
	uint64_t base = 0, size = 0;
	tzm_rmm_shared(h->rmm, &base, &size);

	TEST_STEP("the shared region: after DRAM, NS, the memfd's pages, never delegable");
	ASSERT_EQ_U64(size, granules * TZM_GRANULE_SIZE);
	ASSERT_EQ_U64(base, h->dram_base + h->dram_size);
	uint8_t b[4] = { 1, 2, 3, 4 }, back[4];
	ASSERT_OK(tzm_rmm_ns_write(h->rmm, base + TZM_GRANULE_SIZE + 8, b, sizeof(b), NULL));
	ASSERT_EQ_MEM(view + TZM_GRANULE_SIZE + 8, b, sizeof(b));
	view[3 * TZM_GRANULE_SIZE] = 0x5a;
	ASSERT_OK(tzm_rmm_ns_read(h->rmm, base + 3 * TZM_GRANULE_SIZE, back, 1, NULL));
	ASSERT_EQ_U64(back[0], 0x5a);
	for (size_t i = 0; i < granules; i++) {
		RMI_ERR(rmi(h, TZM_RMI_GRANULE_DELEGATE, base + i * TZM_GRANULE_SIZE, 0, 0, 0, 0)
				.x0,
			IN, 0);
	}

	TEST_STEP("direct mappings: only unprotected IPA on shared granules, contiguous");
	/* SHARED_IPA is a DRAM NS granule (setup); +1..+2 pages: shared 0, 1; +4: shared 3;
	 * +5: shared 2 (out of order); +6: unmapped */
	for (unsigned i = 0; i < 2; i++) {
		RMI_OK(rmi(h, TZM_RMI_RTT_MAP_UNPROTECTED, s.r.rd, SHARED_IPA + (1 + i) * 4096ull,
			   3, base + i * 4096ull, 0)
			       .x0);
	}
	RMI_OK(rmi(h, TZM_RMI_RTT_MAP_UNPROTECTED, s.r.rd, SHARED_IPA + 4 * 4096ull, 3,
		   base + 3 * 4096ull, 0)
		       .x0);
	RMI_OK(rmi(h, TZM_RMI_RTT_MAP_UNPROTECTED, s.r.rd, SHARED_IPA + 5 * 4096ull, 3,
		   base + 2 * 4096ull, 0)
		       .x0);
	uint64_t rec = host_rec_create(h, &s.r, 0, 1);
	RMI_OK(rmi(h, TZM_RMI_REALM_ACTIVATE, s.r.rd, 0, 0, 0, 0).x0);
	static const struct {
		uint64_t ipa, len;
		int rc;
		uint64_t off;
	} want[] = {
		{ SHARED_IPA + 4096, 8192, 0, 0 },           /* shared 0..1 */
		{ SHARED_IPA + 8192, 4096, 0, 4096 },        /* shared 1 */
		{ SHARED_IPA, 4096, -EACCES, 0 },            /* NS DRAM: not shareable */
		{ 0, 4096, -EACCES, 0 },                     /* protected (realm RAM) */
		{ SHARED_IPA + 4 * 4096, 8192, -EACCES, 0 }, /* not contiguous */
		{ SHARED_IPA + 6 * 4096, 4096, -EACCES, 0 }, /* unmapped */
		{ SHARED_IPA + 4096 + 8, 4096, -EACCES, 0 }, /* unaligned */
		{ SHARED_IPA + 4096, 3 * 4096, -EACCES, 0 }, /* runs into an unmapped page */
	};
	struct shared_probe p;
	memset(&p, 0, sizeof(p));
	for (unsigned i = 0; i < SHARED_QUERIES; i++) {
		p.ipa[i] = want[i].ipa;
		p.len[i] = want[i].len;
	}
	p.n = SHARED_QUERIES;
	tzm_rmm_set_vcpu_fn(h->rmm, vcpu_shared, &p);
	RMI_OK(enter(&s, rec));
	for (unsigned i = 0; i < SHARED_QUERIES; i++) {
		TEST_CONTEXT("range %u: IPA 0x%llx + 0x%llx", i, (unsigned long long)want[i].ipa,
			     (unsigned long long)want[i].len);
		ASSERT_EQ_INT(p.rc[i], want[i].rc);
		if (want[i].rc == 0) {
			ASSERT_EQ_U64(p.off[i], want[i].off);
		}
	}

	TEST_STEP("after RTT_UNMAP_UNPROTECTED the range is no longer granted");
	RMI_OK(rmi(h, TZM_RMI_RTT_UNMAP_UNPROTECTED, s.r.rd, SHARED_IPA + 4096, 3, 0, 0).x0);
	p.n = 1;
	RMI_OK(enter(&s, rec));
	ASSERT_EQ_INT(p.rc[0], -EACCES);
	tzm_rmm_set_vcpu_fn(h->rmm, NULL, NULL);
	host_fini(h);
	munmap(view, granules * TZM_GRANULE_SIZE);
	close(fd);
}

int main(void)
{
	test_rec_create();
	test_rec_enter();
	test_rsi();
	test_exits();
	test_attest(TZM_RMI_HASH_SHA_256);
	test_attest(TZM_RMI_HASH_SHA_512);
	test_shared_region();
	return 0;
}
