// SPDX-License-Identifier: BSD-2-Clause
/*
 * RMI commands one by one: the success path and each failure condition, in the order the
 * model checks them (two failing conditions at once must report the earlier one).
 */
#include <string.h>

#include "realm_host.h"
#include "rmm_int.h"
#include "tzm_test.h"

#define IN TZM_RMI_ERROR_INPUT
#define RE TZM_RMI_ERROR_REALM
#define RC TZM_RMI_ERROR_REC
#define RT TZM_RMI_ERROR_RTT

static unsigned gstate(struct host *h, uint64_t pa)
{
	return tzm__granule(h->rmm, pa)->state;
}

static void test_dispatch(void)
{
	struct host h;
	host_init(&h, 16);
	TEST_STEP("unknown FIDs answer SMC_UNKNOWN; names come from the one command list");
	ASSERT_EQ_U64(rmi(&h, 0xC4000156, 0, 0, 0, 0, 0).x0, UINT64_MAX); /* hole in the range */
	ASSERT_EQ_U64(rmi(&h, 0xC4000170, 0, 0, 0, 0, 0).x0, UINT64_MAX);
	ASSERT_EQ_U64(rmi(&h, 0x84000000, 0, 0, 0, 0, 0).x0, UINT64_MAX);
	ASSERT_EQ_STR(tzm_rmi_name(TZM_RMI_RTT_SET_RIPAS), "RMI_RTT_SET_RIPAS");
	ASSERT_EQ_U64(TZM_RMI_RTT_SET_RIPAS, 0xC4000169);
	ASSERT_EQ_U64(TZM_RMI_REC_AUX_COUNT, 0xC4000167);
	ASSERT_NULL(tzm_rmi_name(0xC4000160));

	TEST_STEP("VERSION and FEATURES");
	struct rmi_result r = rmi(&h, TZM_RMI_VERSION, 0x10000, 0, 0, 0, 0);
	RMI_OK(r.x0);
	ASSERT_EQ_U64(r.x[0], 0x10000);
	ASSERT_EQ_U64(r.x[1], 0x10000);
	r = rmi(&h, TZM_RMI_VERSION, 0x20000, 0, 0, 0, 0);
	RMI_ERR(r.x0, IN, 0);
	ASSERT_EQ_U64(r.x[0], 0x10000);
	r = rmi(&h, TZM_RMI_FEATURES, 0, 0, 0, 0, 0);
	RMI_OK(r.x0);
	ASSERT_EQ_U64(r.x[0] & 0xFF, 48);     /* S2SZ */
	ASSERT_EQ_U64((r.x[0] >> 28) & 3, 3); /* SHA-256 and SHA-512 */
	ASSERT_EQ_U64((r.x[0] >> 8) & 1, 0);  /* no LPA2 */
	ASSERT_EQ_U64(rmi(&h, TZM_RMI_FEATURES, 1, 0, 0, 0, 0).x[0], 0);
	host_fini(&h);
}

static void test_delegate(void)
{
	struct host h;
	host_init(&h, 16);
	uint64_t sbase = 0, ssize = 0;
	tzm_rmm_secure(h.rmm, &sbase, &ssize);
	uint64_t g = host_granule(&h);

	TEST_STEP("GRANULE_DELEGATE: align, bound, state, GPI; success zeroes the granule");
	RMI_ERR(rmi(&h, TZM_RMI_GRANULE_DELEGATE, g + 8, 0, 0, 0, 0).x0, IN, 0);
	RMI_ERR(rmi(&h, TZM_RMI_GRANULE_DELEGATE, sbase, 0, 0, 0, 0).x0, IN, 0); /* not DRAM */
	RMI_ERR(rmi(&h, TZM_RMI_GRANULE_DELEGATE, h.dram_base + h.dram_size, 0, 0, 0, 0).x0, IN, 0);
	uint8_t junk[4096];
	memset(junk, 0x77, sizeof(junk));
	ASSERT_OK(tzm_rmm_ns_write(h.rmm, g, junk, sizeof(junk), NULL));
	RMI_OK(rmi(&h, TZM_RMI_GRANULE_DELEGATE, g, 0, 0, 0, 0).x0);
	ASSERT_EQ_U64(gstate(&h, g), 1);
	uint8_t zero[4096] = { 0 };
	ASSERT_EQ_MEM(tzm__mem(h.rmm, g, 4096), zero, 4096);
	RMI_ERR(rmi(&h, TZM_RMI_GRANULE_DELEGATE, g, 0, 0, 0, 0).x0, IN, 0); /* state */
	/* GPI check: an UNDELEGATED granule whose GPI is not NS (changed behind the RMM's
	 * back, as only a broken EL3 could) is refused by EL3 and reported as input error. */
	uint64_t g2 = host_granule(&h);
	ASSERT_OK(tzm__gpt_set_gpi(h.rmm, g2, TZM_GPI_SECURE));
	RMI_ERR(rmi(&h, TZM_RMI_GRANULE_DELEGATE, g2, 0, 0, 0, 0).x0, IN, 0);
	ASSERT_EQ_U64(gstate(&h, g2), 0);
	ASSERT_OK(tzm__gpt_set_gpi(h.rmm, g2, TZM_GPI_NS));

	TEST_STEP("GRANULE_UNDELEGATE: align, bound, state; scrubs");
	ASSERT_OK(tzm_phys_write(h.rmm, TZM_SS_REALM, TZM_PAS_REALM, g, junk, 64, NULL));
	RMI_ERR(rmi(&h, TZM_RMI_GRANULE_UNDELEGATE, g + 1, 0, 0, 0, 0).x0, IN, 0);
	RMI_ERR(rmi(&h, TZM_RMI_GRANULE_UNDELEGATE, g2, 0, 0, 0, 0).x0, IN, 0);
	RMI_OK(rmi(&h, TZM_RMI_GRANULE_UNDELEGATE, g, 0, 0, 0, 0).x0);
	uint8_t back[4096];
	ASSERT_OK(tzm_rmm_ns_read(h.rmm, g, back, sizeof(back), NULL));
	ASSERT_EQ_MEM(back, zero, 4096);
	ASSERT_EQ_U64(gstate(&h, g), 0);
	host_fini(&h);
}

static void test_realm_create(void)
{
	struct host h;
	host_init(&h, 64);
	struct realm_cfg c;
	realm_cfg_default(&c, 5);
	uint64_t rd = host_delegated(&h), rtt = host_delegated(&h);
	uint64_t params = host_realm_params(&h, &c, rtt);
	uint64_t undel = host_granule(&h);

	TEST_STEP("REALM_CREATE: rd checks before params checks");
	RMI_ERR(rmi(&h, TZM_RMI_REALM_CREATE, rd + 1, params + 1, 0, 0, 0).x0, IN, 0);
	RMI_ERR(rmi(&h, TZM_RMI_REALM_CREATE, undel, params, 0, 0, 0).x0, IN, 0);
	TEST_STEP("params must be an aligned NS granule");
	RMI_ERR(rmi(&h, TZM_RMI_REALM_CREATE, rd, params + 8, 0, 0, 0).x0, IN, 0);
	RMI_ERR(rmi(&h, TZM_RMI_REALM_CREATE, rd, rtt, 0, 0, 0).x0, IN, 0); /* Realm PAS: GPF */
	TEST_STEP("params validity: features, algorithm, s2sz/level/num_start, vmid, rtt");
	struct {
		const char *what;
		size_t off;
		uint64_t val;
		unsigned width;
	} bad[] = {
		{ "flags (LPA2)", TZM_RP_FLAGS, 1, 8 },
		{ "sve_vl", TZM_RP_SVE_VL, 1, 1 },
		{ "num_bps", TZM_RP_NUM_BPS, 7, 1 },
		{ "num_wps", TZM_RP_NUM_WPS, 5, 1 },
		{ "pmu_num_ctrs", TZM_RP_PMU_NUM_CTRS, 1, 1 },
		{ "algorithm", TZM_RP_ALGORITHM, 2, 1 },
		{ "s2sz too small", TZM_RP_S2SZ, 31, 1 },
		{ "s2sz too large", TZM_RP_S2SZ, 49, 1 },
		{ "s2sz 40 needs 2 tables at level 1", TZM_RP_S2SZ, 40, 1 },
		{ "level start 0 with s2sz 32", TZM_RP_RTT_LEVEL_START, 0, 8 },
		{ "level start 4", TZM_RP_RTT_LEVEL_START, 4, 8 },
		{ "level start -1", TZM_RP_RTT_LEVEL_START, UINT64_MAX, 8 },
		{ "num_start 2", TZM_RP_RTT_NUM_START, 2, 4 },
		{ "rtt_base unaligned", TZM_RP_RTT_BASE, rtt + 8, 8 },
		{ "rtt_base not delegated", TZM_RP_RTT_BASE, undel, 8 },
		{ "rtt_base == rd", TZM_RP_RTT_BASE, rd, 8 },
	};
	uint8_t page[4096];
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		TEST_STEP("REALM_CREATE refuses %s", bad[i].what);
		ASSERT_OK(tzm_rmm_ns_read(h.rmm, params, page, sizeof(page), NULL));
		uint64_t v = bad[i].val;
		memcpy(page + bad[i].off, &v, bad[i].width);
		uint64_t p2 = host_granule(&h);
		ASSERT_OK(tzm_rmm_ns_write(h.rmm, p2, page, sizeof(page), NULL));
		RMI_ERR(rmi(&h, TZM_RMI_REALM_CREATE, rd, p2, 0, 0, 0).x0, IN, 0);
		ASSERT_EQ_U64(gstate(&h, rd), 1);
	}
	TEST_STEP("REALM_CREATE succeeds; RD and RTT change state; vmid in use");
	RMI_OK(rmi(&h, TZM_RMI_REALM_CREATE, rd, params, 0, 0, 0).x0);
	ASSERT_EQ_U64(gstate(&h, rd), 2);
	ASSERT_EQ_U64(gstate(&h, rtt), 6);
	struct tzm_gpf f;
	ASSERT_EQ_ERRNO(tzm_rmm_ns_read(h.rmm, rd, page, 8, &f), -EFAULT);
	uint64_t rd2 = host_delegated(&h), rtt2 = host_delegated(&h);
	RMI_ERR(rmi(&h, TZM_RMI_REALM_CREATE, rd2, host_realm_params(&h, &c, rtt2), 0, 0, 0).x0, IN,
		0);                                                            /* same vmid */
	RMI_ERR(rmi(&h, TZM_RMI_REALM_CREATE, rd, params, 0, 0, 0).x0, IN, 0); /* rd is RD now */

	TEST_STEP("concatenated starting tables: s2sz 40 from level 1 needs 2");
	struct realm_cfg c2;
	realm_cfg_default(&c2, 6);
	c2.s2sz = 40;
	c2.num_start = 2;
	c2.algorithm = TZM_RMI_HASH_SHA_512;
	struct realm r2;
	host_realm_create(&h, &c2, &r2);
	ASSERT_EQ_U64(gstate(&h, r2.rtt_base + 4096), 6);
	TEST_STEP("two starting tables must be aligned to 8 KB (rtt_align)");
	uint64_t odd = host_delegated(&h);
	if ((odd & 0x1FFF) == 0) {
		odd = host_delegated(&h);
	}
	ASSERT_EQ_U64(host_delegated(&h), odd + 4096); /* odd and odd + 4 KB both DELEGATED */
	c2.vmid = 8;
	RMI_ERR(rmi(&h, TZM_RMI_REALM_CREATE, host_delegated(&h), host_realm_params(&h, &c2, odd),
		    0, 0, 0)
			.x0,
		IN, 0);

	TEST_STEP("REALM_ACTIVATE: rd checks, then realm state");
	RMI_ERR(rmi(&h, TZM_RMI_REALM_ACTIVATE, rd + 8, 0, 0, 0, 0).x0, IN, 0);
	RMI_ERR(rmi(&h, TZM_RMI_REALM_ACTIVATE, rtt, 0, 0, 0, 0).x0, IN, 0);
	RMI_OK(rmi(&h, TZM_RMI_REALM_ACTIVATE, rd, 0, 0, 0, 0).x0);
	RMI_ERR(rmi(&h, TZM_RMI_REALM_ACTIVATE, rd, 0, 0, 0, 0).x0, RE, 0);

	TEST_STEP("REC_AUX_COUNT");
	struct rmi_result a = rmi(&h, TZM_RMI_REC_AUX_COUNT, rd, 0, 0, 0, 0);
	RMI_OK(a.x0);
	ASSERT_EQ_U64(a.x[0], 4);
	RMI_ERR(rmi(&h, TZM_RMI_REC_AUX_COUNT, rtt, 0, 0, 0, 0).x0, IN, 0);

	TEST_STEP("REALM_DESTROY: rd checks, then liveness (RECs, live RTT entries)");
	struct realm r3;
	struct realm_cfg c3;
	realm_cfg_default(&c3, 7);
	host_realm_create(&h, &c3, &r3);
	uint64_t rec = host_rec_create(&h, &r3, 0, 1);
	RMI_ERR(rmi(&h, TZM_RMI_REALM_DESTROY, r3.rd + 8, 0, 0, 0, 0).x0, IN, 0);
	RMI_ERR(rmi(&h, TZM_RMI_REALM_DESTROY, rec, 0, 0, 0, 0).x0, IN, 0);
	RMI_ERR(rmi(&h, TZM_RMI_REALM_DESTROY, r3.rd, 0, 0, 0, 0).x0, RE, 0);
	RMI_OK(rmi(&h, TZM_RMI_REC_DESTROY, rec, 0, 0, 0, 0).x0);
	uint64_t l2 = host_delegated(&h);
	RMI_OK(rmi(&h, TZM_RMI_RTT_CREATE, r3.rd, l2, 0, 2, 0).x0);
	RMI_ERR(rmi(&h, TZM_RMI_REALM_DESTROY, r3.rd, 0, 0, 0, 0).x0, RE, 0);
	RMI_OK(rmi(&h, TZM_RMI_RTT_DESTROY, r3.rd, 0, 2, 0, 0).x0);
	RMI_OK(rmi(&h, TZM_RMI_REALM_DESTROY, r3.rd, 0, 0, 0, 0).x0);
	ASSERT_EQ_U64(gstate(&h, r3.rd), 1);
	ASSERT_EQ_U64(gstate(&h, r3.rtt_base), 1);
	ASSERT_EQ_MEM(tzm__mem(h.rmm, r3.rd, 4096), (uint8_t[4096]){ 0 }, 4096);
	/* the VMID is free again */
	struct realm r4;
	host_realm_create(&h, &c3, &r4);
	host_fini(&h);
}

static void test_rtt(void)
{
	struct host h;
	host_init(&h, 96);
	struct realm_cfg c;
	realm_cfg_default(&c, 1);
	struct realm r;
	host_realm_create(&h, &c, &r);
	uint64_t t2 = host_delegated(&h), t3 = host_delegated(&h);
	const uint64_t ipa = 0x200000; /* 2 MB: the second level-2 entry */

	TEST_STEP("RTT_CREATE: rd, level, ipa alignment and bound, rtt granule, walk");
	RMI_ERR(rmi(&h, TZM_RMI_RTT_CREATE, r.rd + 1, t2, 0, 2, 0).x0, IN, 0);
	RMI_ERR(rmi(&h, TZM_RMI_RTT_CREATE, r.rd, t2, 0, 1, 0).x0, IN, 0);          /* = start */
	RMI_ERR(rmi(&h, TZM_RMI_RTT_CREATE, r.rd, t2, 0, 4, 0).x0, IN, 0);          /* > 3 */
	RMI_ERR(rmi(&h, TZM_RMI_RTT_CREATE, r.rd, t2, 0x1000, 2, 0).x0, IN, 0);     /* not 1G */
	RMI_ERR(rmi(&h, TZM_RMI_RTT_CREATE, r.rd, t2, 1ull << 32, 2, 0).x0, IN, 0); /* s2sz */
	RMI_ERR(rmi(&h, TZM_RMI_RTT_CREATE, r.rd, host_granule(&h), 0, 2, 0).x0, IN, 0);
	RMI_ERR(rmi(&h, TZM_RMI_RTT_CREATE, r.rd, t3, ipa, 3, 0).x0, RT, 1); /* no level 2 */
	RMI_OK(rmi(&h, TZM_RMI_RTT_CREATE, r.rd, t2, 0, 2, 0).x0);
	RMI_ERR(rmi(&h, TZM_RMI_RTT_CREATE, r.rd, t3, 0, 2, 0).x0, RT, 1);   /* already a table */
	RMI_ERR(rmi(&h, TZM_RMI_RTT_CREATE, r.rd, t2, ipa, 3, 0).x0, IN, 0); /* t2 is RTT */
	RMI_OK(rmi(&h, TZM_RMI_RTT_CREATE, r.rd, t3, ipa, 3, 0).x0);
	ASSERT_EQ_U64(tzm__granule(h.rmm, t2)->refcount, 1);

	TEST_STEP("RTT_READ_ENTRY: level and ipa checks; walk result");
	RMI_ERR(rmi(&h, TZM_RMI_RTT_READ_ENTRY, r.rd, ipa + 8, 3, 0, 0).x0, IN, 0);
	RMI_ERR(rmi(&h, TZM_RMI_RTT_READ_ENTRY, r.rd, ipa, 0, 0, 0).x0, IN, 0);
	struct rmi_result e = rmi(&h, TZM_RMI_RTT_READ_ENTRY, r.rd, ipa, 2, 0, 0);
	RMI_OK(e.x0);
	ASSERT_EQ_U64(e.x[0], 2);
	ASSERT_EQ_U64(e.x[1], TZM_RTT_TABLE);
	ASSERT_EQ_U64(e.x[2], t3);
	e = rmi(&h, TZM_RMI_RTT_READ_ENTRY, r.rd, 0x40000000 - 0x200000, 3, 0, 0);
	RMI_OK(e.x0);
	ASSERT_EQ_U64(e.x[0], 2); /* the walk stopped at level 2 */
	ASSERT_EQ_U64(e.x[1], TZM_RTT_UNASSIGNED);
	ASSERT_EQ_U64(e.x[3], TZM_RIPAS_EMPTY);

	TEST_STEP("RTT_INIT_RIPAS: rd, range checks, realm state, walk; measured");
	RMI_ERR(rmi(&h, TZM_RMI_RTT_INIT_RIPAS, r.rd + 8, ipa, ipa + 0x3000, 0, 0).x0, IN, 0);
	RMI_ERR(rmi(&h, TZM_RMI_RTT_INIT_RIPAS, r.rd, ipa, ipa, 0, 0).x0, IN, 0);
	RMI_ERR(rmi(&h, TZM_RMI_RTT_INIT_RIPAS, r.rd, ipa + 1, ipa + 0x3000, 0, 0).x0, IN, 0);
	RMI_ERR(rmi(&h, TZM_RMI_RTT_INIT_RIPAS, r.rd, ipa, ipa + 0x3001, 0, 0).x0, IN, 0);
	RMI_ERR(rmi(&h, TZM_RMI_RTT_INIT_RIPAS, r.rd, 0x80000000, 0x80002000, 0, 0).x0, IN, 0);
	/* base inside a level-2 block that is not a table: alignment fails at level 2 */
	RMI_ERR(rmi(&h, TZM_RMI_RTT_INIT_RIPAS, r.rd, 0x401000, 0x402000, 0, 0).x0, RT, 2);
	/* a level-2 block is not covered by a 4 KB range */
	RMI_ERR(rmi(&h, TZM_RMI_RTT_INIT_RIPAS, r.rd, 0x400000, 0x401000, 0, 0).x0, RT, 2);
	struct rmi_result ir = rmi(&h, TZM_RMI_RTT_INIT_RIPAS, r.rd, ipa, ipa + 0x3000, 0, 0);
	RMI_OK(ir.x0);
	ASSERT_EQ_U64(ir.x[0], ipa + 0x3000);
	/* the range stops at the end of the level-3 table */
	ir = rmi(&h, TZM_RMI_RTT_INIT_RIPAS, r.rd, ipa + 0x1FF000, ipa + 0x300000, 0, 0);
	RMI_OK(ir.x0);
	ASSERT_EQ_U64(ir.x[0], ipa + 0x200000);
	e = rmi(&h, TZM_RMI_RTT_READ_ENTRY, r.rd, ipa + 0x1000, 3, 0, 0);
	ASSERT_EQ_U64(e.x[3], TZM_RIPAS_RAM);

	TEST_STEP("DATA_CREATE: flags, src, data granule, rd, realm state, ipa, walk, entry");
	uint64_t src = host_granule(&h), data = host_delegated(&h);
	uint8_t page[4096];
	memset(page, 0x3C, sizeof(page));
	ASSERT_OK(tzm_rmm_ns_write(h.rmm, src, page, sizeof(page), NULL));
	RMI_ERR(rmi(&h, TZM_RMI_DATA_CREATE, r.rd, data, ipa, src, 2).x0, IN, 0);
	RMI_ERR(rmi(&h, TZM_RMI_DATA_CREATE, r.rd, data, ipa, src + 8, 1).x0, IN, 0);
	RMI_ERR(rmi(&h, TZM_RMI_DATA_CREATE, r.rd, data, ipa, data, 1).x0, IN, 0); /* src PAS */
	RMI_ERR(rmi(&h, TZM_RMI_DATA_CREATE, r.rd, src, ipa, src, 1).x0, IN, 0);   /* data */
	RMI_ERR(rmi(&h, TZM_RMI_DATA_CREATE, data, data, ipa, src, 1).x0, IN, 0);  /* rd */
	RMI_ERR(rmi(&h, TZM_RMI_DATA_CREATE, r.rd, data, ipa + 8, src, 1).x0, IN, 0);
	RMI_ERR(rmi(&h, TZM_RMI_DATA_CREATE, r.rd, data, 0x80000000, src, 1).x0, IN, 0);
	RMI_ERR(rmi(&h, TZM_RMI_DATA_CREATE, r.rd, data, 0x400000, src, 1).x0, RT, 2);
	RMI_OK(rmi(&h, TZM_RMI_DATA_CREATE, r.rd, data, ipa, src, 1).x0);
	ASSERT_EQ_U64(gstate(&h, data), 5);
	ASSERT_EQ_MEM(tzm__mem(h.rmm, data, 4096), page, 4096);
	uint64_t data2 = host_delegated(&h);
	RMI_ERR(rmi(&h, TZM_RMI_DATA_CREATE, r.rd, data2, ipa, src, 1).x0, RT, 3); /* assigned */
	e = rmi(&h, TZM_RMI_RTT_READ_ENTRY, r.rd, ipa, 3, 0, 0);
	ASSERT_EQ_U64(e.x[1], TZM_RTT_ASSIGNED);
	ASSERT_EQ_U64(e.x[2], data);
	ASSERT_EQ_U64(e.x[3], TZM_RIPAS_RAM);
	TEST_STEP("DATA_CREATE makes an EMPTY page RAM");
	ASSERT_EQ_U64(rmi(&h, TZM_RMI_RTT_READ_ENTRY, r.rd, ipa + 0x5000, 3, 0, 0).x[3],
		      TZM_RIPAS_EMPTY);
	RMI_OK(rmi(&h, TZM_RMI_DATA_CREATE, r.rd, host_delegated(&h), ipa + 0x5000, src, 0).x0);
	ASSERT_EQ_U64(rmi(&h, TZM_RMI_RTT_READ_ENTRY, r.rd, ipa + 0x5000, 3, 0, 0).x[3],
		      TZM_RIPAS_RAM);
	RMI_OK(rmi(&h, TZM_RMI_DATA_DESTROY, r.rd, ipa + 0x5000, 0, 0, 0).x0);
	TEST_STEP("DATA_CREATE_UNKNOWN: same checks, no content, allowed after activation");
	RMI_ERR(rmi(&h, TZM_RMI_DATA_CREATE_UNKNOWN, r.rd, data, ipa + 0x1000, 0, 0).x0, IN, 0);
	RMI_OK(rmi(&h, TZM_RMI_DATA_CREATE_UNKNOWN, r.rd, data2, ipa + 0x1000, 0, 0).x0);

	TEST_STEP("RTT_MAP_UNPROTECTED / UNMAP: unprotected IPA only, desc checks, walk");
	const uint64_t uipa = 0x80000000; /* top half of a 32-bit IPA space */
	uint64_t t2u = host_delegated(&h), t3u = host_delegated(&h);
	RMI_OK(rmi(&h, TZM_RMI_RTT_CREATE, r.rd, t2u, uipa, 2, 0).x0);
	RMI_OK(rmi(&h, TZM_RMI_RTT_CREATE, r.rd, t3u, uipa, 3, 0).x0);
	uint64_t shared = host_granule(&h);
	uint64_t desc = shared | (0x3ull << 6) | (0x1ull << 2);
	RMI_ERR(rmi(&h, TZM_RMI_RTT_MAP_UNPROTECTED, r.rd + 8, uipa, 3, desc, 0).x0, IN, 0);
	RMI_ERR(rmi(&h, TZM_RMI_RTT_MAP_UNPROTECTED, r.rd, ipa, 3, desc, 0).x0, IN, 0);
	RMI_ERR(rmi(&h, TZM_RMI_RTT_MAP_UNPROTECTED, r.rd, uipa + 8, 3, desc, 0).x0, IN, 0);
	RMI_ERR(rmi(&h, TZM_RMI_RTT_MAP_UNPROTECTED, r.rd, uipa, 3, desc | 1, 0).x0, IN, 0);
	RMI_ERR(rmi(&h, TZM_RMI_RTT_MAP_UNPROTECTED, r.rd, uipa, 2, desc, 0).x0, IN, 0); /* PA */
	RMI_ERR(rmi(&h, TZM_RMI_RTT_MAP_UNPROTECTED, r.rd, uipa + 0x200000, 3, desc, 0).x0, RT, 2);
	RMI_OK(rmi(&h, TZM_RMI_RTT_MAP_UNPROTECTED, r.rd, uipa, 3, desc, 0).x0);
	RMI_ERR(rmi(&h, TZM_RMI_RTT_MAP_UNPROTECTED, r.rd, uipa, 3, desc, 0).x0, RT, 3);
	e = rmi(&h, TZM_RMI_RTT_READ_ENTRY, r.rd, uipa, 3, 0, 0);
	ASSERT_EQ_U64(e.x[1], TZM_RTT_ASSIGNED);
	ASSERT_EQ_U64(e.x[2], desc);
	RMI_ERR(rmi(&h, TZM_RMI_RTT_UNMAP_UNPROTECTED, r.rd, ipa, 3, 0, 0).x0, IN, 0);
	RMI_ERR(rmi(&h, TZM_RMI_RTT_UNMAP_UNPROTECTED, r.rd, uipa + 0x1000, 3, 0, 0).x0, RT, 3);
	struct rmi_result u = rmi(&h, TZM_RMI_RTT_UNMAP_UNPROTECTED, r.rd, uipa, 3, 0, 0);
	RMI_OK(u.x0);
	ASSERT_EQ_U64(u.x[0], uipa + 0x1000);

	TEST_STEP("DATA_DESTROY: rd, ipa, walk, entry state; RAM becomes DESTROYED");
	RMI_ERR(rmi(&h, TZM_RMI_DATA_DESTROY, r.rd, ipa + 1, 0, 0, 0).x0, IN, 0);
	RMI_ERR(rmi(&h, TZM_RMI_DATA_DESTROY, r.rd, 0x400000, 0, 0, 0).x0, RT, 2);
	RMI_ERR(rmi(&h, TZM_RMI_DATA_DESTROY, r.rd, ipa + 0x2000, 0, 0, 0).x0, RT, 3);
	struct rmi_result d = rmi(&h, TZM_RMI_DATA_DESTROY, r.rd, ipa + 0x1000, 0, 0, 0);
	RMI_OK(d.x0);
	ASSERT_EQ_U64(d.x[0], data2);
	ASSERT_EQ_U64(d.x[1], ipa + 0x2000);
	ASSERT_EQ_U64(gstate(&h, data2), 1);
	e = rmi(&h, TZM_RMI_RTT_READ_ENTRY, r.rd, ipa + 0x1000, 3, 0, 0);
	ASSERT_EQ_U64(e.x[1], TZM_RTT_UNASSIGNED);
	ASSERT_EQ_U64(e.x[3], TZM_RIPAS_DESTROYED);

	TEST_STEP("RTT_DESTROY: rd, level, ipa, walk, table, liveness");
	RMI_ERR(rmi(&h, TZM_RMI_RTT_DESTROY, r.rd, ipa, 1, 0, 0).x0, IN, 0);
	RMI_ERR(rmi(&h, TZM_RMI_RTT_DESTROY, r.rd, ipa + 0x1000, 3, 0, 0).x0, IN, 0);
	RMI_ERR(rmi(&h, TZM_RMI_RTT_DESTROY, r.rd, 0x400000, 3, 0, 0).x0, RT, 2);
	RMI_ERR(rmi(&h, TZM_RMI_RTT_DESTROY, r.rd, ipa, 3, 0, 0).x0, RT, 3); /* DATA inside */
	RMI_OK(rmi(&h, TZM_RMI_DATA_DESTROY, r.rd, ipa, 0, 0, 0).x0);
	struct rmi_result dr = rmi(&h, TZM_RMI_RTT_DESTROY, r.rd, ipa, 3, 0, 0);
	RMI_OK(dr.x0);
	ASSERT_EQ_U64(dr.x[0], t3);
	ASSERT_EQ_U64(dr.x[1], ipa + 0x200000);
	ASSERT_EQ_U64(gstate(&h, t3), 1);
	e = rmi(&h, TZM_RMI_RTT_READ_ENTRY, r.rd, ipa, 3, 0, 0);
	ASSERT_EQ_U64(e.x[0], 2);
	ASSERT_EQ_U64(e.x[3], TZM_RIPAS_DESTROYED);

	TEST_STEP("RTT_FOLD: homogeneous tables fold, others do not");
	uint64_t t3b = host_delegated(&h);
	RMI_OK(rmi(&h, TZM_RMI_RTT_CREATE, r.rd, t3b, 0x600000, 3, 0).x0);
	RMI_ERR(rmi(&h, TZM_RMI_RTT_FOLD, r.rd, 0x600000, 2, 0, 0).x0, IN,
		0); /* level 2 = L1+1, ipa needs 1 GB */
	RMI_ERR(rmi(&h, TZM_RMI_RTT_FOLD, r.rd, 0x601000, 3, 0, 0).x0, IN, 0);
	RMI_ERR(rmi(&h, TZM_RMI_RTT_FOLD, r.rd, 0x800000, 3, 0, 0).x0, RT, 2);
	ASSERT_OK(0);
	uint64_t d3 = host_delegated(&h);
	RMI_OK(rmi(&h, TZM_RMI_DATA_CREATE_UNKNOWN, r.rd, d3, 0x600000, 0, 0).x0);
	RMI_ERR(rmi(&h, TZM_RMI_RTT_FOLD, r.rd, 0x600000, 3, 0, 0).x0, RT, 3); /* mixed */
	RMI_OK(rmi(&h, TZM_RMI_DATA_DESTROY, r.rd, 0x600000, 0, 0, 0).x0);
	/* now entry 0 is EMPTY (not RAM, so stays EMPTY) like the others: foldable */
	struct rmi_result fo = rmi(&h, TZM_RMI_RTT_FOLD, r.rd, 0x600000, 3, 0, 0);
	RMI_OK(fo.x0);
	ASSERT_EQ_U64(fo.x[0], t3b);
	ASSERT_EQ_U64(gstate(&h, t3b), 1);
	host_fini(&h);
}

static void test_fold_assigned(void)
{
	struct host h;
	host_init(&h, 1200);
	struct realm_cfg c;
	realm_cfg_default(&c, 1);
	struct realm r;
	host_realm_create(&h, &c, &r);
	TEST_STEP("RTT_FOLD of 512 contiguous aligned DATA granules makes a level-2 block");
	uint64_t t2 = host_delegated(&h), t3 = host_delegated(&h);
	RMI_OK(rmi(&h, TZM_RMI_RTT_CREATE, r.rd, t2, 0, 2, 0).x0);
	RMI_OK(rmi(&h, TZM_RMI_RTT_CREATE, r.rd, t3, 0x200000, 3, 0).x0);
	/* 2 MB-aligned PA run: skip to the next 2 MB boundary */
	while ((h.next & 0x1FFFFF) != 0) {
		host_granule(&h);
	}
	uint64_t first = h.next;
	for (unsigned i = 0; i < 512; i++) {
		uint64_t d = host_delegated(&h);
		ASSERT_EQ_U64(d, first + i * 4096ull);
		RMI_OK(rmi(&h, TZM_RMI_DATA_CREATE_UNKNOWN, r.rd, d, 0x200000 + i * 4096ull, 0, 0)
			       .x0);
	}
	RMI_OK(rmi(&h, TZM_RMI_RTT_FOLD, r.rd, 0x200000, 3, 0, 0).x0);
	struct rmi_result e = rmi(&h, TZM_RMI_RTT_READ_ENTRY, r.rd, 0x200000, 2, 0, 0);
	ASSERT_EQ_U64(e.x[1], TZM_RTT_ASSIGNED);
	ASSERT_EQ_U64(e.x[2], first);
	TEST_STEP("RTT_CREATE unfolds the block again");
	uint64_t t3c = host_delegated(&h);
	RMI_OK(rmi(&h, TZM_RMI_RTT_CREATE, r.rd, t3c, 0x200000, 3, 0).x0);
	e = rmi(&h, TZM_RMI_RTT_READ_ENTRY, r.rd, 0x200000 + 5 * 4096, 3, 0, 0);
	ASSERT_EQ_U64(e.x[1], TZM_RTT_ASSIGNED);
	ASSERT_EQ_U64(e.x[2], first + 5 * 4096);
	ASSERT_EQ_U64(tzm__granule(h.rmm, t3c)->refcount, 512);
	host_fini(&h);
}

int main(void)
{
	test_dispatch();
	test_delegate();
	test_realm_create();
	test_rtt();
	test_fold_assigned();
	return 0;
}
