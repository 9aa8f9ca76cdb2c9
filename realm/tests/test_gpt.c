// SPDX-License-Identifier: BSD-2-Clause
/*
 * The RME hardware model: GPT descriptor encodings as walked from Root memory, the
 * Granule Protection Check for each security state and PAS, and the EL3 GPT service
 * (delegate / undelegate with scrub, and its error codes).
 */
#include <errno.h>
#include <string.h>

#include "realm_int.h"
#include "tzm_test.h"

static struct tzm_rmm *machine(size_t dram, size_t secure)
{
	struct tzm_rmm_config cfg = { .dram_granules = dram, .secure_granules = secure };
	struct tzm_rmm *rmm = NULL;
	ASSERT_OK(tzm_rmm_create(&cfg, &rmm));
	return rmm;
}

static uint64_t desc_at(struct tzm_rmm *rmm, uint64_t pa)
{
	uint64_t d = 0;
	memcpy(&d, tzm__mem(rmm, pa, 8), 8);
	return d;
}

static void test_layout(void)
{
	TEST_STEP("GPT encodings in Root memory");
	struct tzm_rmm *rmm = machine(64, 4);
	uint64_t base = 0, size = 0;
	tzm_rmm_dram(rmm, &base, &size);
	ASSERT_EQ_U64(size, 64 * 4096);
	/* Level 0: 1 GB per entry; PA 0x80000000 is entry 2, a table; the others blocks. */
	uint64_t l0_2 = desc_at(rmm, rmm->gptbr + 2 * 8);
	ASSERT_EQ_U64(l0_2 & 0xF, 0x3);
	ASSERT_EQ_U64(desc_at(rmm, rmm->gptbr + 0 * 8), 0x01); /* block, GPI NO_ACCESS */
	ASSERT_EQ_U64(desc_at(rmm, rmm->gptbr + 3 * 8), 0x01);
	/* Level 1: 16 GPIs per descriptor, nibble (PA >> 12) & 0xF. */
	uint64_t l1 = l0_2 & 0x000FFFFFFFFFF000ull;
	uint64_t first = desc_at(rmm, l1 + ((base & 0x3FFFFFFF) >> 16) * 8);
	unsigned nib = (unsigned)((base >> 12) & 0xF);
	ASSERT_EQ_U64((first >> (4 * nib)) & 0xF, TZM_GPI_NS);
	/* The GPT itself (granule 0 of memory) is Root. */
	unsigned gpi = 0;
	ASSERT_OK(tzm_gpt_lookup(rmm, rmm->gptbr, &gpi, NULL));
	ASSERT_EQ_U64(gpi, TZM_GPI_ROOT);
	uint64_t sbase = 0, ssize = 0;
	tzm_rmm_secure(rmm, &sbase, &ssize);
	ASSERT_OK(tzm_gpt_lookup(rmm, sbase, &gpi, NULL));
	ASSERT_EQ_U64(gpi, TZM_GPI_SECURE);
	ASSERT_OK(tzm_gpt_lookup(rmm, 0x10000000, &gpi, NULL)); /* L0 block */
	ASSERT_EQ_U64(gpi, TZM_GPI_NO_ACCESS);
	struct tzm_gpf f;
	ASSERT_EQ_ERRNO(tzm_gpt_lookup(rmm, 1ull << 32, &gpi, &f), -EFAULT); /* beyond PPS */
	ASSERT_EQ_INT(f.kind, TZM_GPF_WALK);
	ASSERT_EQ_INT(f.level, 0);

	TEST_STEP("invalid descriptors are walk faults at their level");
	uint8_t *l1p = tzm__mem(rmm, l1 + ((base & 0x3FFFFFFF) >> 16) * 8, 8);
	uint64_t saved = 0, bad = first;
	memcpy(&saved, l1p, 8);
	bad = (bad & ~(0xFull << (4 * ((nib + 1) & 0xF)))) | (0x2ull << (4 * ((nib + 1) & 0xF)));
	memcpy(l1p, &bad, 8); /* 0x2 is not a GPI: the whole descriptor is invalid */
	ASSERT_EQ_ERRNO(tzm_gpt_lookup(rmm, base, &gpi, &f), -EFAULT);
	ASSERT_EQ_INT(f.kind, TZM_GPF_WALK);
	ASSERT_EQ_INT(f.level, 1);
	memcpy(l1p, &saved, 8);
	uint8_t *l0p = tzm__mem(rmm, rmm->gptbr + 2 * 8, 8);
	uint64_t l0bad = (l0_2 & ~0xFull) | 0x7; /* neither block nor table */
	memcpy(l0p, &l0bad, 8);
	ASSERT_EQ_ERRNO(tzm_gpt_lookup(rmm, base, &gpi, &f), -EFAULT);
	ASSERT_EQ_INT(f.level, 0);
	memcpy(l0p, &l0_2, 8);

	TEST_STEP("a contiguous level-1 descriptor covers 2 MB and is shattered on change");
	/* Turn the 2 MB block holding DRAM into 32 contiguous descriptors of GPI NS. */
	uint64_t block = base & ~((1ull << 21) - 1);
	uint64_t contig = (1ull << 8) | ((uint64_t)TZM_GPI_NS << 4) | 0x1;
	uint64_t saved_l1[32];
	for (unsigned i = 0; i < 32; i++) {
		uint8_t *p = tzm__mem(rmm, l1 + (((block & 0x3FFFFFFF) >> 16) + i) * 8, 8);
		memcpy(&saved_l1[i], p, 8);
		memcpy(p, &contig, 8);
	}
	ASSERT_OK(tzm_gpt_lookup(rmm, base + 5 * 4096, &gpi, NULL));
	ASSERT_EQ_U64(gpi, TZM_GPI_NS);
	ASSERT_OK(tzm__gpt_set_gpi(rmm, base + 5 * 4096, TZM_GPI_REALM));
	ASSERT_OK(tzm_gpt_lookup(rmm, base + 5 * 4096, &gpi, NULL));
	ASSERT_EQ_U64(gpi, TZM_GPI_REALM);
	ASSERT_OK(tzm_gpt_lookup(rmm, block + 31 * 65536, &gpi, NULL));
	ASSERT_EQ_U64(gpi, TZM_GPI_NS); /* the rest of the block kept its GPI */
	ASSERT_NE_U64(desc_at(rmm, l1 + ((block & 0x3FFFFFFF) >> 16) * 8) & 0xF, 0x1);
	for (unsigned i = 0; i < 32; i++) {
		uint8_t *p = tzm__mem(rmm, l1 + (((block & 0x3FFFFFFF) >> 16) + i) * 8, 8);
		memcpy(p, &saved_l1[i], 8);
	}
	tzm_rmm_destroy(rmm);
}

struct access_case {
	enum tzm_sec_state state;
	enum tzm_pas pas;
	unsigned gpi;
	bool ok;
	enum tzm_gpf_kind fault;
};

/* Every security state against every PAS and GPI the model produces. */
static const struct access_case access_table[] = {
	{ TZM_SS_NONSECURE, TZM_PAS_NS, TZM_GPI_NS, true, TZM_GPF_NONE },
	{ TZM_SS_NONSECURE, TZM_PAS_NS, TZM_GPI_REALM, false, TZM_GPF_GPI },
	{ TZM_SS_NONSECURE, TZM_PAS_NS, TZM_GPI_SECURE, false, TZM_GPF_GPI },
	{ TZM_SS_NONSECURE, TZM_PAS_NS, TZM_GPI_ROOT, false, TZM_GPF_GPI },
	{ TZM_SS_NONSECURE, TZM_PAS_NS, TZM_GPI_NO_ACCESS, false, TZM_GPF_GPI },
	{ TZM_SS_NONSECURE, TZM_PAS_NS, TZM_GPI_ANY, true, TZM_GPF_NONE },
	{ TZM_SS_NONSECURE, TZM_PAS_NS, TZM_GPI_NSO, true, TZM_GPF_NONE },
	{ TZM_SS_NONSECURE, TZM_PAS_REALM, TZM_GPI_REALM, false, TZM_GPF_STATE },
	{ TZM_SS_NONSECURE, TZM_PAS_SECURE, TZM_GPI_SECURE, false, TZM_GPF_STATE },
	{ TZM_SS_SECURE, TZM_PAS_SECURE, TZM_GPI_SECURE, true, TZM_GPF_NONE },
	{ TZM_SS_SECURE, TZM_PAS_NS, TZM_GPI_NS, true, TZM_GPF_NONE },
	{ TZM_SS_SECURE, TZM_PAS_NS, TZM_GPI_NSO, false, TZM_GPF_GPI },
	{ TZM_SS_SECURE, TZM_PAS_SECURE, TZM_GPI_REALM, false, TZM_GPF_GPI },
	{ TZM_SS_SECURE, TZM_PAS_REALM, TZM_GPI_REALM, false, TZM_GPF_STATE },
	{ TZM_SS_REALM, TZM_PAS_REALM, TZM_GPI_REALM, true, TZM_GPF_NONE },
	{ TZM_SS_REALM, TZM_PAS_NS, TZM_GPI_NS, true, TZM_GPF_NONE },
	{ TZM_SS_REALM, TZM_PAS_REALM, TZM_GPI_SECURE, false, TZM_GPF_GPI },
	{ TZM_SS_REALM, TZM_PAS_NS, TZM_GPI_REALM, false, TZM_GPF_GPI },
	{ TZM_SS_REALM, TZM_PAS_SECURE, TZM_GPI_SECURE, false, TZM_GPF_STATE },
	{ TZM_SS_REALM, TZM_PAS_ROOT, TZM_GPI_ROOT, false, TZM_GPF_STATE },
	{ TZM_SS_ROOT, TZM_PAS_ROOT, TZM_GPI_ROOT, true, TZM_GPF_NONE },
	{ TZM_SS_ROOT, TZM_PAS_REALM, TZM_GPI_REALM, true, TZM_GPF_NONE },
	{ TZM_SS_ROOT, TZM_PAS_SECURE, TZM_GPI_SECURE, true, TZM_GPF_NONE },
	{ TZM_SS_ROOT, TZM_PAS_NS, TZM_GPI_NS, true, TZM_GPF_NONE },
	{ TZM_SS_ROOT, TZM_PAS_ROOT, TZM_GPI_REALM, false, TZM_GPF_GPI },
	{ TZM_SS_ROOT, TZM_PAS_NS, TZM_GPI_NO_ACCESS, false, TZM_GPF_GPI },
};

static void test_gpc(void)
{
	struct tzm_rmm *rmm = machine(8, 1);
	uint64_t base = 0, size = 0;
	tzm_rmm_dram(rmm, &base, &size);
	uint64_t pa = base + 3 * 4096;
	for (size_t i = 0; i < sizeof(access_table) / sizeof(access_table[0]); i++) {
		const struct access_case *c = &access_table[i];
		TEST_STEP("GPC case %zu: state %d, PAS %d, GPI 0x%x", i, c->state, c->pas, c->gpi);
		ASSERT_OK(tzm__gpt_set_gpi(rmm, pa, c->gpi));
		uint8_t buf[16] = { 0 };
		uint8_t pat[16];
		memset(pat, 0xA5, sizeof(pat));
		struct tzm_gpf f;
		memset(tzm__mem(rmm, pa, 16), 0x5A, 16);
		int wr = tzm_phys_write(rmm, c->state, c->pas, pa, pat, sizeof(pat), &f);
		ASSERT_EQ_ERRNO(wr, c->ok ? 0 : -EFAULT);
		ASSERT_EQ_INT(f.kind, c->fault);
		/* A refused write moved no byte. */
		ASSERT_EQ_U64(tzm__mem(rmm, pa, 1)[0], c->ok ? 0xA5 : 0x5A);
		int rd = tzm_phys_read(rmm, c->state, c->pas, pa, buf, sizeof(buf), &f);
		ASSERT_EQ_ERRNO(rd, c->ok ? 0 : -EFAULT);
		if (!c->ok) {
			ASSERT_EQ_U64(f.pa, pa);
			ASSERT_EQ_U64(buf[0], 0);
		}
	}
	ASSERT_OK(tzm__gpt_set_gpi(rmm, pa, TZM_GPI_NS));

	TEST_STEP("an access spanning granules is checked granule by granule, all or nothing");
	ASSERT_OK(tzm__gpt_set_gpi(rmm, pa + 4096, TZM_GPI_REALM));
	uint8_t big[4200];
	memset(big, 0x11, sizeof(big));
	memset(tzm__mem(rmm, pa, 8192), 0, 8192);
	struct tzm_gpf f;
	ASSERT_EQ_ERRNO(tzm_rmm_ns_write(rmm, pa + 100, big, sizeof(big), &f), -EFAULT);
	ASSERT_EQ_INT(f.kind, TZM_GPF_GPI);
	ASSERT_EQ_U64(f.pa, pa + 4096);
	ASSERT_EQ_U64(f.gpi, TZM_GPI_REALM);
	ASSERT_EQ_U64(tzm__mem(rmm, pa + 100, 1)[0], 0);
	ASSERT_OK(tzm__gpt_set_gpi(rmm, pa + 4096, TZM_GPI_NS));
	ASSERT_OK(tzm_rmm_ns_write(rmm, pa + 100, big, sizeof(big), NULL));

	TEST_STEP("accesses past memory or wrapping around are refused");
	ASSERT_EQ_ERRNO(tzm_rmm_ns_read(rmm, base + size - 8, big, 16, &f), -EFAULT);
	ASSERT_EQ_ERRNO(tzm_rmm_ns_read(rmm, UINT64_MAX - 4, big, 16, &f), -EFAULT);
	ASSERT_EQ_INT(f.kind, TZM_GPF_ADDRESS);
	ASSERT_EQ_ERRNO(tzm_rmm_ns_read(rmm, 0x10000000, big, 16, &f), -EFAULT);
	ASSERT_EQ_INT(f.kind, TZM_GPF_GPI); /* NO_ACCESS level-0 block */
	tzm_rmm_destroy(rmm);
}

static void test_el3(void)
{
	struct tzm_rmm *rmm = machine(8, 1);
	uint64_t base = 0, size = 0, sbase = 0, ssize = 0;
	tzm_rmm_dram(rmm, &base, &size);
	tzm_rmm_secure(rmm, &sbase, &ssize);
	unsigned gpi = 0;

	TEST_STEP("EL3 GTSI calls exist for the RMM (Realm state) only");
	ASSERT_EQ_INT(tzm_el3_smc(rmm, TZM_SS_NONSECURE, TZM_SMC_RMM_GTSI_DELEGATE, base),
		      TZM_E_RMM_UNK);
	ASSERT_EQ_INT(tzm_el3_smc(rmm, TZM_SS_SECURE, TZM_SMC_RMM_GTSI_DELEGATE, base),
		      TZM_E_RMM_UNK);
	ASSERT_EQ_INT(tzm_el3_smc(rmm, TZM_SS_REALM, 0xC40001BFu, base), TZM_E_RMM_UNK);
	ASSERT_OK(tzm_gpt_lookup(rmm, base, &gpi, NULL));
	ASSERT_EQ_U64(gpi, TZM_GPI_NS);

	TEST_STEP("delegate: NS -> REALM; errors BAD_ADDR and BAD_PAS");
	ASSERT_EQ_INT(tzm_el3_smc(rmm, TZM_SS_REALM, TZM_SMC_RMM_GTSI_DELEGATE, base + 8),
		      TZM_E_RMM_BAD_ADDR);
	ASSERT_EQ_INT(tzm_el3_smc(rmm, TZM_SS_REALM, TZM_SMC_RMM_GTSI_DELEGATE, 1ull << 40),
		      TZM_E_RMM_BAD_ADDR);
	ASSERT_EQ_INT(tzm_el3_smc(rmm, TZM_SS_REALM, TZM_SMC_RMM_GTSI_DELEGATE, base + size),
		      TZM_E_RMM_BAD_ADDR);
	ASSERT_EQ_INT(tzm_el3_smc(rmm, TZM_SS_REALM, TZM_SMC_RMM_GTSI_DELEGATE, sbase),
		      TZM_E_RMM_BAD_PAS);
	ASSERT_EQ_INT(tzm_el3_smc(rmm, TZM_SS_REALM, TZM_SMC_RMM_GTSI_DELEGATE, rmm->gptbr),
		      TZM_E_RMM_BAD_PAS);
	ASSERT_EQ_INT(tzm_el3_smc(rmm, TZM_SS_REALM, TZM_SMC_RMM_GTSI_UNDELEGATE, base),
		      TZM_E_RMM_BAD_PAS); /* not REALM yet */
	static const char secret[] = "host data before delegation";
	ASSERT_OK(tzm_rmm_ns_write(rmm, base, secret, sizeof(secret), NULL));
	ASSERT_EQ_INT(tzm_el3_smc(rmm, TZM_SS_REALM, TZM_SMC_RMM_GTSI_DELEGATE, base),
		      TZM_E_RMM_OK);
	ASSERT_OK(tzm_gpt_lookup(rmm, base, &gpi, NULL));
	ASSERT_EQ_U64(gpi, TZM_GPI_REALM);
	ASSERT_EQ_INT(tzm_el3_smc(rmm, TZM_SS_REALM, TZM_SMC_RMM_GTSI_DELEGATE, base),
		      TZM_E_RMM_BAD_PAS); /* twice */

	TEST_STEP("the host faults on a delegated granule; the realm reaches it");
	char buf[sizeof(secret)];
	struct tzm_gpf f;
	ASSERT_EQ_ERRNO(tzm_rmm_ns_read(rmm, base, buf, sizeof(buf), &f), -EFAULT);
	ASSERT_EQ_INT(f.kind, TZM_GPF_GPI);
	ASSERT_EQ_ERRNO(tzm_rmm_ns_write(rmm, base, buf, 1, &f), -EFAULT);
	static const char realm_secret[] = "realm data";
	ASSERT_OK(tzm_phys_write(rmm, TZM_SS_REALM, TZM_PAS_REALM, base, realm_secret,
				 sizeof(realm_secret), NULL));

	TEST_STEP("undelegate scrubs the granule before the host sees it again");
	ASSERT_EQ_INT(tzm_el3_smc(rmm, TZM_SS_REALM, TZM_SMC_RMM_GTSI_UNDELEGATE, base + 1),
		      TZM_E_RMM_BAD_ADDR);
	ASSERT_EQ_INT(tzm_el3_smc(rmm, TZM_SS_REALM, TZM_SMC_RMM_GTSI_UNDELEGATE, base),
		      TZM_E_RMM_OK);
	ASSERT_OK(tzm_gpt_lookup(rmm, base, &gpi, NULL));
	ASSERT_EQ_U64(gpi, TZM_GPI_NS);
	uint8_t page[4096], zero[4096] = { 0 };
	ASSERT_OK(tzm_rmm_ns_read(rmm, base, page, sizeof(page), NULL));
	ASSERT_EQ_MEM(page, zero, sizeof(page));
	ASSERT_EQ_INT(tzm_el3_smc(rmm, TZM_SS_REALM, TZM_SMC_RMM_GTSI_UNDELEGATE, base),
		      TZM_E_RMM_BAD_PAS);
	tzm_rmm_destroy(rmm);
}

static void test_config(void)
{
	TEST_STEP("bad machine configurations are refused");
	struct tzm_rmm *rmm = NULL;
	struct tzm_rmm_config cfg = { .dram_granules = 0 };
	ASSERT_EQ_ERRNO(tzm_rmm_create(&cfg, &rmm), -EINVAL);
	cfg.dram_granules = 4;
	cfg.mem_base = 0x80000100;
	ASSERT_EQ_ERRNO(tzm_rmm_create(&cfg, &rmm), -EINVAL);
	cfg.mem_base = 0xFFFF0000; /* would cross the 4 GB protected space */
	ASSERT_EQ_ERRNO(tzm_rmm_create(&cfg, &rmm), -EINVAL);
	ASSERT_NULL(rmm);
	TEST_STEP("memory straddling two 1 GB regions gets two level-1 tables");
	cfg.mem_base = 0x7FFF0000;
	ASSERT_OK(tzm_rmm_create(&cfg, &rmm));
	uint64_t base = 0, size = 0;
	tzm_rmm_dram(rmm, &base, &size);
	ASSERT_GE_U64(base, 0x80000000);
	unsigned gpi = 0;
	ASSERT_OK(tzm_gpt_lookup(rmm, base, &gpi, NULL));
	ASSERT_EQ_U64(gpi, TZM_GPI_NS);
	ASSERT_OK(tzm_gpt_lookup(rmm, 0x7FFF0000, &gpi, NULL));
	ASSERT_EQ_U64(gpi, TZM_GPI_ROOT);
	tzm_rmm_destroy(rmm);
}

int main(void)
{
	test_layout();
	test_gpc();
	test_el3();
	test_config();
	return 0;
}
