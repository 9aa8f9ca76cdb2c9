// SPDX-License-Identifier: BSD-2-Clause
/*
 * State machines. A table drives every granule-changing command against a granule in
 * each granule state, and every realm-state-dependent command against a realm in each
 * realm state: exactly the legal transitions succeed. Then a seeded random sequence of
 * RMI commands (valid and invalid arguments mixed) checks after every step:
 *   - a DELEGATED granule is all zero;
 *   - state != UNDELEGATED <=> GPI == REALM (and UNDELEGATED <=> GPI == NS);
 *   - no granule is in two objects, and every object granule is in exactly one:
 *     each RTT/DATA/REC_AUX granule is reached once from the RDs' tables and RECs;
 *   - RTT entries are consistent: TABLE entries point to RTT granules below level 3,
 *     protected ASSIGNED entries to DATA granules (blocks aligned, levels 1-3), an RTT's
 *     refcount is its number of live entries, an RD's its number of RECs.
 * Seeds: argv[1] (default a fixed list), printed so that a failure can be replayed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "realm_host.h"
#include "rmm_int.h"
#include "tzm_test.h"

#define IN TZM_RMI_ERROR_INPUT

enum {
	G_UNDEL,
	G_DEL,
	G_RD,
	G_REC,
	G_AUX,
	G_DATA,
	G_RTT,
	G_NUM
};
static const char *const gnames[G_NUM] = { "UNDELEGATED", "DELEGATED", "RD", "REC",
					   "REC_AUX",     "DATA",      "RTT" };

/* A machine with one realm (RTTs to level 3 at IPA 0, RAM there) and one granule of
 * each state. */
struct fixture {
	struct host h;
	struct realm r;
	uint64_t g[G_NUM];
};

static void fixture(struct fixture *f)
{
	struct realm_cfg c;
	host_init(&f->h, 64);
	realm_cfg_default(&c, 1);
	host_realm_create(&f->h, &c, &f->r);
	host_rtt_map_to(&f->h, &f->r, 0, 3);
	RMI_OK(rmi(&f->h, TZM_RMI_RTT_INIT_RIPAS, f->r.rd, 0, 0x10000, 0, 0).x0);
	f->g[G_UNDEL] = host_granule(&f->h);
	f->g[G_DEL] = host_delegated(&f->h);
	f->g[G_RD] = f->r.rd;
	f->g[G_RTT] = f->r.rtt_base;
	f->g[G_DATA] = host_delegated(&f->h);
	RMI_OK(rmi(&f->h, TZM_RMI_DATA_CREATE_UNKNOWN, f->r.rd, f->g[G_DATA], 0, 0, 0).x0);
	uint64_t aux[16];
	uint64_t params = host_rec_params(&f->h, 0, 0, NULL, 1, 4, aux);
	f->g[G_REC] = host_delegated(&f->h);
	RMI_OK(rmi(&f->h, TZM_RMI_REC_CREATE, f->r.rd, f->g[G_REC], params, 0, 0).x0);
	f->g[G_AUX] = aux[0];
}

enum {
	C_DELEGATE,
	C_UNDELEGATE,
	C_REALM_CREATE,
	C_REC_CREATE,
	C_RTT_CREATE,
	C_DATA_CREATE,
	C_REC_DESTROY,
	C_REALM_DESTROY,
	C_NUM
};
static const char *const cnames[C_NUM] = { "GRANULE_DELEGATE", "GRANULE_UNDELEGATE",
					   "REALM_CREATE",     "REC_CREATE",
					   "RTT_CREATE",       "DATA_CREATE_UNKNOWN",
					   "REC_DESTROY",      "REALM_DESTROY" };

/* The one state from which each command succeeds on its granule argument, and after. */
static const struct {
	int from, to;
} legal[C_NUM] = {
	[C_DELEGATE] = { G_UNDEL, G_DEL },  [C_UNDELEGATE] = { G_DEL, G_UNDEL },
	[C_REALM_CREATE] = { G_DEL, G_RD }, [C_REC_CREATE] = { G_DEL, G_REC },
	[C_RTT_CREATE] = { G_DEL, G_RTT },  [C_DATA_CREATE] = { G_DEL, G_DATA },
	[C_REC_DESTROY] = { G_REC, G_DEL }, [C_REALM_DESTROY] = { G_RD, -1 },
};

static uint64_t apply(struct fixture *f, int cmd, uint64_t g)
{
	struct host *h = &f->h;
	switch (cmd) {
	case C_DELEGATE:
		return rmi(h, TZM_RMI_GRANULE_DELEGATE, g, 0, 0, 0, 0).x0;
	case C_UNDELEGATE:
		return rmi(h, TZM_RMI_GRANULE_UNDELEGATE, g, 0, 0, 0, 0).x0;
	case C_REALM_CREATE: {
		struct realm_cfg c;
		realm_cfg_default(&c, 2);
		uint64_t rtt = host_delegated(h);
		return rmi(h, TZM_RMI_REALM_CREATE, g, host_realm_params(h, &c, rtt), 0, 0, 0).x0;
	}
	case C_REC_CREATE:
		return rmi(h, TZM_RMI_REC_CREATE, f->r.rd, g,
			   host_rec_params(h, 1, 0, NULL, 1, 4, NULL), 0, 0)
			.x0;
	case C_RTT_CREATE:
		return rmi(h, TZM_RMI_RTT_CREATE, f->r.rd, g, 0x200000, 3, 0).x0;
	case C_DATA_CREATE:
		return rmi(h, TZM_RMI_DATA_CREATE_UNKNOWN, f->r.rd, g, 0x1000, 0, 0).x0;
	case C_REC_DESTROY:
		return rmi(h, TZM_RMI_REC_DESTROY, g, 0, 0, 0, 0).x0;
	case C_REALM_DESTROY:
		return rmi(h, TZM_RMI_REALM_DESTROY, g, 0, 0, 0, 0).x0;
	}
	return UINT64_MAX;
}

static void check_invariants(struct host *h);

static void test_granule_table(void)
{
	for (int cmd = 0; cmd < C_NUM; cmd++) {
		for (int st = 0; st < G_NUM; st++) {
			TEST_STEP("%s on a granule in state %s", cnames[cmd], gnames[st]);
			struct fixture f;
			fixture(&f);
			if (cmd == C_REALM_DESTROY && st == G_RD) {
				/* legal only once the realm is empty: prove the refusal first */
				ASSERT_EQ_U64(apply(&f, cmd, f.g[st]), TZM_RMI_ERROR_REALM);
				RMI_OK(rmi(&f.h, TZM_RMI_REC_DESTROY, f.g[G_REC], 0, 0, 0, 0).x0);
				RMI_OK(rmi(&f.h, TZM_RMI_DATA_DESTROY, f.r.rd, 0, 0, 0, 0).x0);
				for (int64_t l = 3; l > f.r.level_start; l--) {
					RMI_OK(rmi(&f.h, TZM_RMI_RTT_DESTROY, f.r.rd, 0,
						   (uint64_t)l, 0, 0)
						       .x0);
				}
			}
			unsigned before = tzm__granule(f.h.rmm, f.g[st])->state;
			uint64_t x0 = apply(&f, cmd, f.g[st]);
			if (legal[cmd].from == st) {
				RMI_OK(x0);
				int to = legal[cmd].to < 0 ? G_DEL : legal[cmd].to;
				static const unsigned gs[G_NUM] = { 0, 1, 2, 3, 4, 5, 6 };
				ASSERT_EQ_U64(tzm__granule(f.h.rmm, f.g[st])->state, gs[to]);
			} else {
				ASSERT_EQ_U64(x0, IN);
				ASSERT_EQ_U64(tzm__granule(f.h.rmm, f.g[st])->state, before);
			}
			check_invariants(&f.h);
			host_fini(&f.h);
		}
	}
}

/* Realm states x commands that depend on them. */
static void test_realm_table(void)
{
	static const char *const rs[] = { "NEW", "ACTIVE", "SYSTEM_OFF" };
	for (int st = 0; st < 3; st++) {
		struct fixture f;
		fixture(&f);
		struct tzm__rd *rd = tzm__realm_granule(f.h.rmm, f.r.rd);
		if (st >= 1) {
			RMI_OK(rmi(&f.h, TZM_RMI_REALM_ACTIVATE, f.r.rd, 0, 0, 0, 0).x0);
		}
		if (st == 2) {
			rd->state = TZM_REALM_SYSTEM_OFF; /* as PSCI SYSTEM_OFF leaves it */
		}
		TEST_STEP("realm %s: REALM_ACTIVATE", rs[st]);
		ASSERT_EQ_U64(rmi(&f.h, TZM_RMI_REALM_ACTIVATE, f.r.rd, 0, 0, 0, 0).x0,
			      st == 0 ? TZM_RMI_SUCCESS : TZM_RMI_ERROR_REALM);
		if (st == 0) {
			rd->state = TZM_REALM_NEW; /* back, for the rows below */
		}
		TEST_STEP("realm %s: DATA_CREATE (measured) needs NEW", rs[st]);
		uint64_t src = host_granule(&f.h);
		ASSERT_EQ_U64(
			rmi(&f.h, TZM_RMI_DATA_CREATE, f.r.rd, host_delegated(&f.h), 0x2000, src, 1)
				.x0,
			st == 0 ? TZM_RMI_SUCCESS : TZM_RMI_ERROR_REALM);
		TEST_STEP("realm %s: DATA_CREATE_UNKNOWN in any state", rs[st]);
		RMI_OK(rmi(&f.h, TZM_RMI_DATA_CREATE_UNKNOWN, f.r.rd, host_delegated(&f.h), 0x3000,
			   0, 0)
			       .x0);
		TEST_STEP("realm %s: REC_CREATE needs NEW", rs[st]);
		ASSERT_EQ_U64(rmi(&f.h, TZM_RMI_REC_CREATE, f.r.rd, host_delegated(&f.h),
				  host_rec_params(&f.h, 1, 0, NULL, 1, 4, NULL), 0, 0)
				      .x0,
			      st == 0 ? TZM_RMI_SUCCESS : TZM_RMI_ERROR_REALM);
		TEST_STEP("realm %s: RTT_INIT_RIPAS needs NEW", rs[st]);
		ASSERT_EQ_U64(rmi(&f.h, TZM_RMI_RTT_INIT_RIPAS, f.r.rd, 0x10000, 0x11000, 0, 0).x0,
			      st == 0 ? TZM_RMI_SUCCESS : TZM_RMI_ERROR_REALM);
		TEST_STEP("realm %s: REC_ENTER needs ACTIVE (index 0 NEW, 1 SYSTEM_OFF)", rs[st]);
		uint64_t x0 =
			rmi(&f.h, TZM_RMI_REC_ENTER, f.g[G_REC], host_granule(&f.h), 0, 0, 0).x0;
		static const uint64_t want[] = { TZM_RMI_RETURN(TZM_RMI_ERROR_REALM, 0), 0,
						 TZM_RMI_RETURN(TZM_RMI_ERROR_REALM, 1) };
		ASSERT_EQ_U64(x0, want[st]);
		check_invariants(&f.h);
		host_fini(&f.h);
	}
}

/* ---- invariants ---- */

struct refs {
	uint8_t *count; /* references per DRAM granule */
	struct host *h;
};

static size_t gidx(struct host *h, uint64_t pa)
{
	return (size_t)((pa - h->dram_base) / TZM_GRANULE_SIZE);
}

static void ref(struct refs *r, uint64_t pa, unsigned want_state)
{
	ASSERT_TRUE(tzm__pa_in_dram(r->h->rmm, pa));
	ASSERT_EQ_U64(tzm__granule(r->h->rmm, pa)->state, want_state);
	r->count[gidx(r->h, pa)]++;
}

static void walk_rtt(struct refs *r, const struct tzm__rd *rd, uint64_t rtt, int level,
		     uint64_t ipa)
{
	const uint64_t *e = tzm__realm_granule(r->h->rmm, rtt);
	ASSERT_NOT_NULL(e);
	unsigned live = 0;
	unsigned n = level == rd->rtt_level_start ? 512 : 512;
	uint64_t size = 1ull << tzm__level_shift(level);
	for (unsigned i = 0; i < n; i++) {
		uint64_t a = ipa + i * size;
		unsigned st = tzm__rtte_state(e[i]);
		ASSERT_LE_U64(st, TZM_RTT_TABLE);
		bool prot = a < (1ull << (rd->s2sz - 1));
		if (st != TZM_RTT_UNASSIGNED) {
			live++;
		}
		if (prot) {
			ASSERT_LE_U64(tzm__rtte_ripas(e[i]), TZM_RIPAS_DESTROYED);
		}
		if (st == TZM_RTT_TABLE) {
			ASSERT_LT_INT(level, 3);
			uint64_t child = e[i] & RTTE_ADDR_MASK;
			ref(r, child, 6);
			walk_rtt(r, rd, child, level + 1, a);
		} else if (st == TZM_RTT_ASSIGNED && prot) {
			ASSERT_GE_INT(level, 1);
			uint64_t pa = e[i] & RTTE_ADDR_MASK;
			ASSERT_EQ_U64(pa & (size - 1), 0);
			for (uint64_t off = 0; off < size; off += TZM_GRANULE_SIZE) {
				ref(r, pa + off, 5);
			}
		}
	}
	ASSERT_EQ_U64(tzm__granule(r->h->rmm, rtt)->refcount, live);
}

static void check_invariants(struct host *h)
{
	struct tzm_rmm *rmm = h->rmm;
	size_t n = (size_t)(h->dram_size / TZM_GRANULE_SIZE);
	struct refs r = { calloc(n, 1), h };
	uint32_t *recs = calloc(n, sizeof(uint32_t));
	ASSERT_NOT_NULL(r.count);
	ASSERT_NOT_NULL(recs);
	static const uint8_t zero[TZM_GRANULE_SIZE];
	for (size_t i = 0; i < n; i++) {
		uint64_t pa = h->dram_base + i * TZM_GRANULE_SIZE;
		unsigned st = tzm__granule(rmm, pa)->state, gpi = 0;
		ASSERT_OK(tzm_gpt_lookup(rmm, pa, &gpi, NULL));
		ASSERT_EQ_U64(gpi, st == 0 ? TZM_GPI_NS : TZM_GPI_REALM);
		if (st == 1) {
			ASSERT_EQ_MEM(tzm__mem(rmm, pa, TZM_GRANULE_SIZE), zero, TZM_GRANULE_SIZE);
		}
		if (st == 3) {
			const struct tzm__rec *rec = tzm__realm_granule(rmm, pa);
			ASSERT_EQ_U64(tzm__granule(rmm, rec->rd)->state, 2);
			recs[gidx(h, rec->rd)]++;
			for (uint32_t k = 0; k < rec->num_aux; k++) {
				ref(&r, rec->aux[k], 4);
			}
		}
	}
	for (size_t i = 0; i < n; i++) {
		uint64_t pa = h->dram_base + i * TZM_GRANULE_SIZE;
		if (tzm__granule(rmm, pa)->state != 2) {
			continue;
		}
		const struct tzm__rd *rd = tzm__realm_granule(rmm, pa);
		ASSERT_EQ_U64(tzm__granule(rmm, pa)->refcount, recs[i]);
		for (uint32_t k = 0; k < rd->rtt_num_start; k++) {
			uint64_t t = rd->rtt_base + k * TZM_GRANULE_SIZE;
			ref(&r, t, 6);
			uint64_t span = 512ull << tzm__level_shift(rd->rtt_level_start);
			walk_rtt(&r, rd, t, rd->rtt_level_start, k * span);
		}
	}
	for (size_t i = 0; i < n; i++) {
		unsigned st = tzm__granule(rmm, h->dram_base + i * TZM_GRANULE_SIZE)->state;
		bool owned = st == 4 || st == 5 || st == 6;
		ASSERT_EQ_U64(r.count[i], owned ? 1 : 0); /* in exactly one object, or none */
	}
	free(r.count);
	free(recs);
}

/* ---- random sequences ---- */

static uint64_t rng;
static uint64_t rnd(uint64_t n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return n == 0 ? 0 : rng % n;
}

/* Mostly a granule in the state a command needs (so deep states are reached), sometimes
 * any granule. The last DRAM granule is the host's scratch page: never handed out. */
static uint64_t pick(struct host *h, unsigned state)
{
	size_t n = (size_t)(h->dram_size / TZM_GRANULE_SIZE) - 1;
	size_t start = (size_t)rnd(n);
	if (rnd(4) != 0) {
		for (size_t k = 0; k < n; k++) {
			uint64_t pa = h->dram_base + ((start + k) % n) * TZM_GRANULE_SIZE;
			if (tzm__granule(h->rmm, pa)->state == state) {
				return pa;
			}
		}
	}
	return h->dram_base + start * TZM_GRANULE_SIZE;
}

/* Up to n distinct DELEGATED granules (fewer if there are not enough). */
static size_t pick_delegated(struct host *h, uint64_t *out, size_t n)
{
	size_t total = (size_t)(h->dram_size / TZM_GRANULE_SIZE) - 1, got = 0;
	size_t start = (size_t)rnd(total);
	for (size_t k = 0; k < total && got < n; k++) {
		uint64_t pa = h->dram_base + ((start + k) % total) * TZM_GRANULE_SIZE;
		if (tzm__granule(h->rmm, pa)->state == 1) {
			out[got++] = pa;
		}
	}
	return got;
}

static void random_run(uint64_t seed, unsigned steps)
{
	struct host h;
	host_init(&h, 96);
	rng = seed * 0x9E3779B97F4A7C15ull + 1;
	uint64_t ns_scratch = h.dram_base + (h.dram_size - TZM_GRANULE_SIZE);
	uint64_t rds[4] = { 0 };
	unsigned nrd = 0, vmid = 1, ok = 0, done[14] = { 0 };
	for (unsigned step = 0; step < steps; step++) {
		/* Arguments: mostly real granules, sometimes odd addresses. */
		uint64_t g = pick(&h, (unsigned)rnd(7));
		if (rnd(32) == 0) {
			g += 8;
		}
		uint64_t del = pick(&h, 1);
		/* The host scribbles on its own memory: delegation must not carry it over. */
		uint64_t mine = pick(&h, 0);
		if (tzm__granule(h.rmm, mine)->state == 0) {
			uint8_t junk[64];
			memset(junk, (int)(step | 1), sizeof(junk));
			ASSERT_OK(tzm_rmm_ns_write(h.rmm, mine + rnd(64) * 64, junk, sizeof(junk),
						   NULL));
		}
		uint64_t rd = nrd > 0 && rnd(8) != 0 ? rds[rnd(nrd)] : g;
		uint64_t ipa = rnd(4) * 0x1000 + rnd(3) * 0x200000 + (rnd(8) == 0 ? 0x80000000 : 0);
		uint64_t level = 2 + rnd(2) - (rnd(8) == 0);
		uint64_t x0 = TZM_RMI_ERROR_INPUT; /* a skipped step counts as refused */
		/* Weighted: creating is more frequent than destroying, so objects pile up. */
		static const uint8_t weight[14] = { 2, 1, 1, 2, 1, 4, 1, 4, 1, 2, 1, 2, 1, 1 };
		unsigned total = 0, cmd = 0;
		for (unsigned k = 0; k < 14; k++) {
			total += weight[k];
		}
		for (unsigned pickw = (unsigned)rnd(total); pickw >= weight[cmd]; cmd++) {
			pickw -= weight[cmd];
		}
		TEST_STEP("seed %llu step %u: command %u", (unsigned long long)seed, step, cmd);
		switch (cmd) {
		case 0:
		case 1:
			x0 = rmi(&h, TZM_RMI_GRANULE_DELEGATE, rnd(2) ? pick(&h, 0) : g, 0, 0, 0, 0)
				     .x0;
			break;
		case 2:
			x0 = rmi(&h, TZM_RMI_GRANULE_UNDELEGATE, rnd(2) ? del : g, 0, 0, 0, 0).x0;
			break;
		case 3: {
			if (nrd >= 2 && rnd(4) != 0) {
				break; /* enough realms: let them grow */
			}
			struct realm_cfg c;
			realm_cfg_default(&c, (uint16_t)(vmid + rnd(3)));
			uint64_t rtt = pick(&h, 1);
			uint8_t page[4096] = { 0 };
			page[TZM_RP_S2SZ] = 32;
			page[TZM_RP_VMID] = (uint8_t)c.vmid;
			put64(page + TZM_RP_RTT_BASE, rtt);
			put64(page + TZM_RP_RTT_LEVEL_START, 1);
			page[TZM_RP_RTT_NUM_START] = 1;
			if (tzm_rmm_ns_write(h.rmm, ns_scratch, page, sizeof(page), NULL) != 0) {
				break;
			}
			uint64_t rdg = pick(&h, 1);
			x0 = rmi(&h, TZM_RMI_REALM_CREATE, rdg == rtt ? g : rdg, ns_scratch, 0, 0,
				 0)
				     .x0;
			if (x0 == 0) {
				if (nrd < 2) {
					rds[nrd++] = rdg == rtt ? g : rdg;
				} else {
					rds[rnd(2)] = rdg == rtt ? g : rdg;
				}
				vmid += 3;
			}
			break;
		}
		case 4: /* rarely: realms should live long enough to fill up */
			x0 = rmi(&h, TZM_RMI_REALM_DESTROY, rnd(4) ? g : rd, 0, 0, 0, 0).x0;
			break;
		case 5:
			x0 = rmi(&h, TZM_RMI_RTT_CREATE, rd, rnd(4) ? del : g,
				 level == 2 ? 0 : ipa & ~0x1FFFFFull, level, 0)
				     .x0;
			break;
		case 6:
			x0 = rmi(&h, TZM_RMI_RTT_DESTROY, rd, level == 2 ? 0 : ipa & ~0x1FFFFFull,
				 level, 0, 0)
				     .x0;
			break;
		case 7:
			x0 = rmi(&h, TZM_RMI_DATA_CREATE_UNKNOWN, rd, rnd(4) ? del : g, ipa, 0, 0)
				     .x0;
			break;
		case 8:
			x0 = rmi(&h, TZM_RMI_DATA_DESTROY, rd, ipa, 0, 0, 0).x0;
			break;
		case 9:
			x0 = rmi(&h, TZM_RMI_RTT_INIT_RIPAS, rd, ipa & ~0xFFFull,
				 (ipa & ~0xFFFull) + 0x1000 * (1 + rnd(4)), 0, 0)
				     .x0;
			break;
		case 10:
			x0 = rmi(&h, TZM_RMI_RTT_FOLD, rd, ipa & ~0x1FFFFFull, level, 0, 0).x0;
			break;
		case 11: {
			uint8_t page[4096] = { 0 };
			const struct tzm__rd *r = tzm__rd_of(h.rmm, rd);
			put64(page + TZM_RECP_MPIDR, r != NULL && rnd(4) ? r->rec_index : rnd(3));
			uint64_t five[5] = { g, g, g, g, g };
			(void)pick_delegated(&h, five, 5);
			put64(page + TZM_RECP_NUM_AUX, 4);
			for (unsigned k = 0; k < 4; k++) {
				put64(page + TZM_RECP_AUX + 8 * k, rnd(16) ? five[k + 1] : g);
			}
			if (tzm_rmm_ns_write(h.rmm, ns_scratch, page, sizeof(page), NULL) != 0) {
				break;
			}
			x0 = rmi(&h, TZM_RMI_REC_CREATE, rd, rnd(4) ? five[0] : g, ns_scratch, 0, 0)
				     .x0;
			break;
		}
		case 12:
			x0 = rmi(&h, TZM_RMI_REC_DESTROY, rnd(4) ? pick(&h, 3) : g, 0, 0, 0, 0).x0;
			break;
		case 13:
			x0 = rmi(&h, TZM_RMI_RTT_MAP_UNPROTECTED, rd, ipa, 3, ns_scratch, 0).x0;
			if (rnd(2) == 0) {
				x0 = rmi(&h, TZM_RMI_RTT_UNMAP_UNPROTECTED, rd, ipa, 3, 0, 0).x0;
			}
			break;
		}
		ASSERT_LE_U64(x0 & 0xFF, TZM_RMI_ERROR_RTT);
		ok += x0 == 0;
		done[cmd] += x0 == 0;
		check_invariants(&h);
	}
	printf("seed %llu: %u steps, %u succeeded (realms %u, RTTs %u, data %u, RECs %u)\n",
	       (unsigned long long)seed, steps, ok, done[3], done[5], done[7], done[11]);
	/* The sequence reached real states: realms, tables, data and RECs were made and
	 * destroyed again. */
	ASSERT_GT_U64(done[3], 0);
	ASSERT_GT_U64(done[5], 0);
	ASSERT_GT_U64(done[7], 0);
	ASSERT_GT_U64(done[8] + done[6] + done[4], 0);
	ASSERT_GT_U64(done[11], 0);
	host_fini(&h);
}

int main(int argc, char **argv)
{
	test_granule_table();
	test_realm_table();
	if (argc > 1) {
		random_run(strtoull(argv[1], NULL, 0), 3000);
	} else {
		static const uint64_t seeds[] = { 1, 2, 3, 0xC0FFEE, 20261206 };
		for (size_t i = 0; i < sizeof(seeds) / sizeof(seeds[0]); i++) {
			random_run(seeds[i], 1500);
		}
	}
	return 0;
}
