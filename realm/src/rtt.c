// SPDX-License-Identifier: BSD-2-Clause
/*
 * Realm Translation Tables and realm data: the RTT walk (starting level and concatenated
 * starting tables from s2sz), RTT_CREATE/DESTROY/FOLD/READ_ENTRY, MAP/UNMAP_UNPROTECTED,
 * INIT_RIPAS/SET_RIPAS, DATA_CREATE/DATA_CREATE_UNKNOWN/DATA_DESTROY.
 *
 * An RTT granule holds 512 64-bit entries (format in rmm_int.h). Its granule refcount is
 * the number of live entries (ASSIGNED or TABLE): an RTT without live entries can be
 * destroyed. ERROR_RTT carries the level at which the walk stopped or the entry failed.
 */
#include <string.h>

#include "rmm_int.h"

unsigned tzm__rtte_state(uint64_t e)
{
	return (unsigned)((e >> RTTE_STATE_SHIFT) & 0x3u);
}

unsigned tzm__rtte_ripas(uint64_t e)
{
	return (unsigned)((e >> RTTE_RIPAS_SHIFT) & 0x3u);
}

static uint64_t rtte(unsigned state, unsigned ripas, uint64_t addr, bool ns, uint64_t attr)
{
	return ((uint64_t)state << RTTE_STATE_SHIFT) | ((uint64_t)ripas << RTTE_RIPAS_SHIFT) |
	       (ns ? RTTE_NS : 0) | (addr & RTTE_ADDR_MASK) | (attr << RTTE_ATTR_SHIFT);
}

static uint64_t rtte_addr(uint64_t e)
{
	return e & RTTE_ADDR_MASK;
}

static uint64_t level_size(int level)
{
	return 1ull << tzm__level_shift(level);
}

static uint64_t *rtt_entries(struct tzm_rmm *rmm, uint64_t pa)
{
	return tzm__realm_granule(rmm, pa);
}

void tzm__rtt_walk(struct tzm_rmm *rmm, const struct tzm__rd *rd, uint64_t ipa, int target_level,
		   struct tzm__walk *w)
{
	int level = rd->rtt_level_start;
	/* Concatenated starting tables are indexed as one table of 512 * num_start entries. */
	uint64_t idx = (ipa >> tzm__level_shift(level)) & (RTT_ENTRIES * rd->rtt_num_start - 1);
	uint64_t rtt = rd->rtt_base + (idx / RTT_ENTRIES) * TZM_GRANULE_SIZE;
	idx %= RTT_ENTRIES;
	for (;;) {
		uint64_t *e = &rtt_entries(rmm, rtt)[idx];
		if (level >= target_level || tzm__rtte_state(*e) != TZM_RTT_TABLE) {
			w->level = level;
			w->rtt = rtt;
			w->index = (unsigned)idx;
			w->entry = e;
			return;
		}
		rtt = rtte_addr(*e);
		level++;
		idx = (ipa >> tzm__level_shift(level)) & (RTT_ENTRIES - 1);
	}
}

static bool ipa_protected(const struct tzm__rd *rd, uint64_t ipa)
{
	return ipa < (1ull << (rd->s2sz - 1));
}

/* validate_rtt_structure_cmds: level in (start, 3], ipa aligned to a level-1 entry. */
static bool rtt_level_ipa_ok(const struct tzm__rd *rd, int64_t level, uint64_t ipa,
			     int64_t min_level, int align_level)
{
	if (level < min_level || level > 3) {
		return false;
	}
	return ipa < (1ull << rd->s2sz) && (ipa & (level_size(align_level) - 1)) == 0;
}

static void rtt_ref(struct tzm_rmm *rmm, uint64_t rtt, int delta)
{
	struct tzm__granule *g = tzm__granule(rmm, rtt);
	g->refcount = (uint32_t)((int64_t)g->refcount + delta);
}

/* RTT_CREATE/DESTROY/FOLD (validate_rtt_structure_cmds): level in (start, 3], ipa aligned
 * to an entry of the parent level. The range is checked first, so level - 1 is safe. */
static bool rtt_structure_args_ok(const struct tzm__rd *rd, int64_t level, uint64_t ipa)
{
	return level > rd->rtt_level_start && level <= 3 &&
	       rtt_level_ipa_ok(rd, level, ipa, rd->rtt_level_start + 1, (int)level - 1);
}

#define RTT_STATE_BIT(st) (1u << (st))

/*
 * Walks to the entry of ipa at level. The walk must reach that level and the entry be in
 * one of the states of state_mask (RTT_STATE_BIT(TZM_RTT_*)): TZM_RMI_SUCCESS with *w at
 * the entry, else ERROR_RTT with the level at which the walk stopped.
 */
static uint64_t walk_to_entry(struct tzm_rmm *rmm, const struct tzm__rd *rd, uint64_t ipa,
			      int level, unsigned state_mask, struct tzm__walk *w)
{
	tzm__rtt_walk(rmm, rd, ipa, level, w);
	if (w->level != level || (RTT_STATE_BIT(tzm__rtte_state(*w->entry)) & state_mask) == 0) {
		return TZM_RMI_RETURN(TZM_RMI_ERROR_RTT, w->level);
	}
	return TZM_RMI_SUCCESS;
}

uint64_t tzm__rmi_RTT_CREATE(struct tzm_rmm *rmm, const uint64_t *args, uint64_t *res)
{
	(void)res;
	uint64_t rd_pa = args[0], rtt_pa = args[1], ipa = args[2];
	int64_t level = (int64_t)args[3];
	struct tzm__rd *rd = tzm__rd_of(rmm, rd_pa);
	/* rd_*, level_bound, ipa_align, ipa_bound, rtt_align, rtt_bound, rtt_state */
	if (rd == NULL) {
		return TZM_RMI_ERROR_INPUT;
	}
	if (!rtt_structure_args_ok(rd, level, ipa)) {
		return TZM_RMI_ERROR_INPUT;
	}
	struct tzm__granule *g = tzm__granule(rmm, rtt_pa);
	if (g == NULL || g->state != GS_DELEGATED) {
		return TZM_RMI_ERROR_INPUT;
	}
	struct tzm__walk w;
	uint64_t rc =
		walk_to_entry(rmm, rd, ipa, (int)level - 1, ~RTT_STATE_BIT(TZM_RTT_TABLE), &w);
	if (rc != TZM_RMI_SUCCESS) {
		return rc;
	}
	uint64_t parent = *w.entry;
	/* Unfold the parent entry into 512 entries of the same state (an RTT "unfold"). */
	uint64_t *child = rtt_entries(rmm, rtt_pa);
	bool ns = (parent & RTTE_NS) != 0 || !ipa_protected(rd, ipa);
	unsigned st = tzm__rtte_state(parent), ripas = tzm__rtte_ripas(parent);
	uint64_t attr = parent >> RTTE_ATTR_SHIFT;
	for (unsigned i = 0; i < RTT_ENTRIES; i++) {
		uint64_t addr =
			st == TZM_RTT_ASSIGNED ? rtte_addr(parent) + i * level_size((int)level) : 0;
		child[i] = rtte(st, ns ? 0 : ripas, addr, ns, attr);
	}
	g->state = GS_RTT;
	g->refcount = st == TZM_RTT_ASSIGNED ? RTT_ENTRIES : 0;
	if (st == TZM_RTT_UNASSIGNED) {
		rtt_ref(rmm, w.rtt, +1); /* the parent entry becomes live */
	}
	*w.entry = rtte(TZM_RTT_TABLE, 0, rtt_pa, ns, 0);
	return TZM_RMI_SUCCESS;
}

/*
 * RTT_DESTROY and RTT_FOLD take the same arguments (rd, ipa, level of the RTT to remove)
 * and check them alike: *w at the TABLE entry at level - 1 that points to that RTT.
 */
static uint64_t walk_to_table_entry(struct tzm_rmm *rmm, const uint64_t *args, struct tzm__rd **rd,
				    struct tzm__walk *w)
{
	uint64_t rd_pa = args[0], ipa = args[1];
	int64_t level = (int64_t)args[2];

	*rd = tzm__rd_of(rmm, rd_pa);
	if (*rd == NULL) {
		return TZM_RMI_ERROR_INPUT;
	}
	if (!rtt_structure_args_ok(*rd, level, ipa)) {
		return TZM_RMI_ERROR_INPUT;
	}
	return walk_to_entry(rmm, *rd, ipa, (int)level - 1, RTT_STATE_BIT(TZM_RTT_TABLE), w);
}

uint64_t tzm__rmi_RTT_DESTROY(struct tzm_rmm *rmm, const uint64_t *args, uint64_t *res)
{
	uint64_t ipa = args[1];
	int64_t level = (int64_t)args[2];
	struct tzm__rd *rd = NULL;
	struct tzm__walk w;
	uint64_t rc = walk_to_table_entry(rmm, args, &rd, &w);
	if (rc != TZM_RMI_SUCCESS) {
		return rc;
	}
	uint64_t child = rtte_addr(*w.entry);
	if (tzm__granule(rmm, child)->refcount != 0) {
		return TZM_RMI_RETURN(TZM_RMI_ERROR_RTT, level); /* rtt_live */
	}
	bool ns = !ipa_protected(rd, ipa);
	/* Protected IPAs lose their RIPAS: the realm sees DESTROYED there. */
	*w.entry = rtte(TZM_RTT_UNASSIGNED, ns ? 0 : TZM_RIPAS_DESTROYED, 0, ns, 0);
	rtt_ref(rmm, w.rtt, -1);
	tzm__granule_scrub(rmm, child);
	res[0] = child;
	res[1] = ipa + level_size((int)level - 1); /* top: end of the range now non-live */
	return TZM_RMI_SUCCESS;
}

uint64_t tzm__rmi_RTT_FOLD(struct tzm_rmm *rmm, const uint64_t *args, uint64_t *res)
{
	int64_t level = (int64_t)args[2];
	struct tzm__rd *rd = NULL;
	struct tzm__walk w;
	uint64_t rc = walk_to_table_entry(rmm, args, &rd, &w);
	if (rc != TZM_RMI_SUCCESS) {
		return rc;
	}
	uint64_t child_pa = rtte_addr(*w.entry);
	const uint64_t *child = rtt_entries(rmm, child_pa);
	uint64_t first = child[0];
	unsigned st = tzm__rtte_state(first);
	/* rtt_homo: all entries the same state and RIPAS; ASSIGNED ones contiguous and the
	 * block aligned; blocks exist at levels 1 and 2 only (4 KB granule). */
	bool ok = st != TZM_RTT_TABLE && (st == TZM_RTT_UNASSIGNED || level - 1 >= 1);
	uint64_t block = level_size((int)level - 1);
	if (ok && st == TZM_RTT_ASSIGNED && (rtte_addr(first) & (block - 1)) != 0) {
		ok = false;
	}
	for (unsigned i = 1; ok && i < RTT_ENTRIES; i++) {
		uint64_t want = first;
		if (st == TZM_RTT_ASSIGNED) {
			want = (first & ~RTTE_ADDR_MASK) |
			       (rtte_addr(first) + i * level_size((int)level));
		}
		ok = child[i] == want;
	}
	if (!ok) {
		return TZM_RMI_RETURN(TZM_RMI_ERROR_RTT, level);
	}
	*w.entry = first;
	if (st == TZM_RTT_UNASSIGNED) {
		rtt_ref(rmm, w.rtt, -1); /* TABLE (live) -> UNASSIGNED */
	}
	tzm__granule_scrub(rmm, child_pa);
	res[0] = child_pa;
	return TZM_RMI_SUCCESS;
}

uint64_t tzm__rmi_RTT_READ_ENTRY(struct tzm_rmm *rmm, const uint64_t *args, uint64_t *res)
{
	uint64_t rd_pa = args[0], ipa = args[1];
	int64_t level = (int64_t)args[2];
	struct tzm__rd *rd = tzm__rd_of(rmm, rd_pa);
	if (rd == NULL) {
		return TZM_RMI_ERROR_INPUT;
	}
	if (!rtt_level_ipa_ok(rd, level, ipa, rd->rtt_level_start, (int)level)) {
		return TZM_RMI_ERROR_INPUT;
	}
	struct tzm__walk w;
	tzm__rtt_walk(rmm, rd, ipa, (int)level, &w);
	uint64_t e = *w.entry;
	unsigned st = tzm__rtte_state(e);
	res[0] = (uint64_t)w.level;
	res[1] = st;
	res[2] = 0;
	res[3] = 0;
	if (st == TZM_RTT_TABLE || st == TZM_RTT_ASSIGNED) {
		res[2] = rtte_addr(e);
		if ((e & RTTE_NS) && st == TZM_RTT_ASSIGNED) {
			res[2] |= (e >> RTTE_ATTR_SHIFT) << 2; /* the host's attributes */
		}
	}
	if (ipa_protected(rd, ipa)) {
		res[3] = tzm__rtte_ripas(e);
	}
	return TZM_RMI_SUCCESS;
}

/* Unprotected descriptor bits the host may set: MemAttr [5:2], S2AP [7:6], SH [9:8]. */
#define NS_DESC_ATTR_MASK 0x3FCull

/*
 * The realm and unprotected entry that RTT_MAP_UNPROTECTED and RTT_UNMAP_UNPROTECTED name
 * (args: rd, ipa, level): the realm, or NULL (RMI_ERROR_INPUT) when rd is not a realm or
 * fails level_bound (1..3 only), ipa_align or ipa_bound (unprotected).
 */
static struct tzm__rd *unprotected_target(struct tzm_rmm *rmm, const uint64_t *args)
{
	uint64_t ipa = args[1];
	int64_t level = (int64_t)args[2];
	struct tzm__rd *rd = tzm__rd_of(rmm, args[0]);
	if (rd == NULL || level < 1 ||
	    !rtt_level_ipa_ok(rd, level, ipa, rd->rtt_level_start, (int)level) ||
	    ipa_protected(rd, ipa)) {
		return NULL;
	}
	return rd;
}

uint64_t tzm__rmi_RTT_MAP_UNPROTECTED(struct tzm_rmm *rmm, const uint64_t *args, uint64_t *res)
{
	(void)res;
	uint64_t ipa = args[1], desc = args[3];
	int64_t level = (int64_t)args[2];
	struct tzm__rd *rd = unprotected_target(rmm, args);
	if (rd == NULL) {
		return TZM_RMI_ERROR_INPUT;
	}
	/* desc_valid */
	uint64_t out = desc & RTTE_ADDR_MASK;
	if ((desc & ~(RTTE_ADDR_MASK | NS_DESC_ATTR_MASK)) != 0 ||
	    (out & (level_size((int)level) - 1)) != 0) {
		return TZM_RMI_ERROR_INPUT;
	}
	struct tzm__walk w;
	uint64_t rc =
		walk_to_entry(rmm, rd, ipa, (int)level, RTT_STATE_BIT(TZM_RTT_UNASSIGNED), &w);
	if (rc != TZM_RMI_SUCCESS) {
		return rc;
	}
	*w.entry = rtte(TZM_RTT_ASSIGNED, 0, out, true, (desc & NS_DESC_ATTR_MASK) >> 2);
	rtt_ref(rmm, w.rtt, +1);
	return TZM_RMI_SUCCESS;
}

uint64_t tzm__rmi_RTT_UNMAP_UNPROTECTED(struct tzm_rmm *rmm, const uint64_t *args, uint64_t *res)
{
	uint64_t ipa = args[1];
	int64_t level = (int64_t)args[2];
	struct tzm__rd *rd = unprotected_target(rmm, args);
	if (rd == NULL) {
		return TZM_RMI_ERROR_INPUT;
	}
	struct tzm__walk w;
	uint64_t rc = walk_to_entry(rmm, rd, ipa, (int)level, RTT_STATE_BIT(TZM_RTT_ASSIGNED), &w);
	if (rc != TZM_RMI_SUCCESS) {
		return rc;
	}
	*w.entry = rtte(TZM_RTT_UNASSIGNED, 0, 0, true, 0);
	rtt_ref(rmm, w.rtt, -1);
	res[0] = ipa + level_size((int)level);
	return TZM_RMI_SUCCESS;
}

/*
 * Applies ripas to the entries of one table from base on, up to top. Entries must be
 * whole inside [base, top). Returns the end of what was changed (== base: nothing).
 */
static uint64_t ripas_range(struct tzm__walk *w, uint64_t base, uint64_t top, unsigned ripas,
			    bool unassigned_only, bool *bad_state)
{
	uint64_t size = level_size(w->level), addr = base;
	*bad_state = false;
	for (unsigned i = w->index; i < RTT_ENTRIES && addr + size <= top; i++, addr += size) {
		uint64_t *e = w->entry + (i - w->index);
		unsigned st = tzm__rtte_state(*e);
		if (st == TZM_RTT_TABLE || (unassigned_only && st != TZM_RTT_UNASSIGNED)) {
			*bad_state = addr == base;
			break;
		}
		*e = (*e & ~(0x3ull << RTTE_RIPAS_SHIFT)) | ((uint64_t)ripas << RTTE_RIPAS_SHIFT);
	}
	return addr;
}

uint64_t tzm__rmi_RTT_INIT_RIPAS(struct tzm_rmm *rmm, const uint64_t *args, uint64_t *res)
{
	uint64_t rd_pa = args[0], base = args[1], top = args[2];
	struct tzm__rd *rd = tzm__rd_of(rmm, rd_pa);
	if (rd == NULL) {
		return TZM_RMI_ERROR_INPUT;
	}
	/* size_valid, base_align, top_align, top_bound (protected IPA space) */
	if (top <= base || (base & (TZM_GRANULE_SIZE - 1)) != 0 ||
	    (top & (TZM_GRANULE_SIZE - 1)) != 0 || top > (1ull << (rd->s2sz - 1))) {
		return TZM_RMI_ERROR_INPUT;
	}
	if (rd->state != TZM_REALM_NEW) {
		return TZM_RMI_ERROR_REALM;
	}
	struct tzm__walk w;
	tzm__rtt_walk(rmm, rd, base, 3, &w);
	bool bad = false;
	if ((base & (level_size(w.level) - 1)) != 0) {
		return TZM_RMI_RETURN(TZM_RMI_ERROR_RTT, w.level);
	}
	uint64_t out = ripas_range(&w, base, top, TZM_RIPAS_RAM, true, &bad);
	if (out == base) {
		return TZM_RMI_RETURN(TZM_RMI_ERROR_RTT, w.level);
	}
	tzm__measure_ripas(rd->algorithm, rd->meas[0], base, out);
	res[0] = out;
	return TZM_RMI_SUCCESS;
}

uint64_t tzm__rmi_RTT_SET_RIPAS(struct tzm_rmm *rmm, const uint64_t *args, uint64_t *res)
{
	uint64_t rd_pa = args[0], rec_pa = args[1], base = args[2], top = args[3];
	struct tzm__rd *rd = tzm__rd_of(rmm, rd_pa);
	struct tzm__granule *g_rec = tzm__granule(rmm, rec_pa);
	if (rd == NULL || g_rec == NULL || g_rec->state != GS_REC) {
		return TZM_RMI_ERROR_INPUT;
	}
	struct tzm__rec *rec = tzm__realm_granule(rmm, rec_pa);
	/* rec_owner, rec_pending: the REC of this realm asked for exactly this change. */
	if (rec->rd != rd_pa || rec->pending != REC_PENDING_RIPAS) {
		return TZM_RMI_ERROR_REC;
	}
	if (base != rec->ripas_addr || top <= base || top > rec->ripas_top ||
	    (top & (TZM_GRANULE_SIZE - 1)) != 0) {
		return TZM_RMI_ERROR_INPUT;
	}
	struct tzm__walk w;
	tzm__rtt_walk(rmm, rd, base, 3, &w);
	bool bad = false;
	if ((base & (level_size(w.level) - 1)) != 0) {
		return TZM_RMI_RETURN(TZM_RMI_ERROR_RTT, w.level);
	}
	uint64_t out = ripas_range(&w, base, top, rec->ripas_value, false, &bad);
	if (out == base) {
		return TZM_RMI_RETURN(TZM_RMI_ERROR_RTT, w.level);
	}
	rec->ripas_addr = out;
	res[0] = out;
	return TZM_RMI_SUCCESS;
}

/* ---- data ---- */

static uint64_t data_create(struct tzm_rmm *rmm, uint64_t rd_pa, uint64_t data_pa, uint64_t ipa,
			    const uint8_t *src, uint64_t flags)
{
	struct tzm__granule *g = tzm__granule(rmm, data_pa);
	if (g == NULL || g->state != GS_DELEGATED) {
		return TZM_RMI_ERROR_INPUT; /* data_align, data_bound, data_state */
	}
	struct tzm__rd *rd = tzm__rd_of(rmm, rd_pa);
	if (rd == NULL) {
		return TZM_RMI_ERROR_INPUT;
	}
	if (src != NULL && rd->state != TZM_REALM_NEW) {
		return TZM_RMI_ERROR_REALM; /* measured data only before activation */
	}
	if ((ipa & (TZM_GRANULE_SIZE - 1)) != 0 || !ipa_protected(rd, ipa)) {
		return TZM_RMI_ERROR_INPUT;
	}
	struct tzm__walk w;
	uint64_t rc = walk_to_entry(rmm, rd, ipa, 3, RTT_STATE_BIT(TZM_RTT_UNASSIGNED), &w);
	if (rc != TZM_RMI_SUCCESS) {
		return rc;
	}
	uint8_t *dst = tzm__realm_granule(rmm, data_pa);
	if (src != NULL) {
		memcpy(dst, src, TZM_GRANULE_SIZE);
		tzm__measure_data(rd->algorithm, rd->meas[0], ipa, flags, src);
	}
	/* DATA_CREATE makes the page RAM (spec success condition rtte_ripas); an unknown
	 * page keeps the RIPAS the realm or RTT_INIT_RIPAS gave it. */
	unsigned ripas = src != NULL ? TZM_RIPAS_RAM : tzm__rtte_ripas(*w.entry);
	*w.entry = rtte(TZM_RTT_ASSIGNED, ripas, data_pa, false, 0);
	rtt_ref(rmm, w.rtt, +1);
	g->state = GS_DATA;
	return TZM_RMI_SUCCESS;
}

uint64_t tzm__rmi_DATA_CREATE(struct tzm_rmm *rmm, const uint64_t *args, uint64_t *res)
{
	(void)res;
	uint64_t rd_pa = args[0], data_pa = args[1], ipa = args[2], src_pa = args[3];
	uint64_t flags = args[4];
	uint8_t page[TZM_GRANULE_SIZE];
	if (flags > TZM_RMI_MEASURE_CONTENT) {
		return TZM_RMI_ERROR_INPUT;
	}
	/* src_align, src_bound, src_pas: the content is copied once before anything else. */
	if (tzm__ns_granule_read(rmm, src_pa, page) != 0) {
		return TZM_RMI_ERROR_INPUT;
	}
	return data_create(rmm, rd_pa, data_pa, ipa, page, flags);
}

uint64_t tzm__rmi_DATA_CREATE_UNKNOWN(struct tzm_rmm *rmm, const uint64_t *args, uint64_t *res)
{
	(void)res;
	return data_create(rmm, args[0], args[1], args[2], NULL, 0);
}

uint64_t tzm__rmi_DATA_DESTROY(struct tzm_rmm *rmm, const uint64_t *args, uint64_t *res)
{
	uint64_t rd_pa = args[0], ipa = args[1];
	struct tzm__rd *rd = tzm__rd_of(rmm, rd_pa);
	if (rd == NULL) {
		return TZM_RMI_ERROR_INPUT;
	}
	if ((ipa & (TZM_GRANULE_SIZE - 1)) != 0 || !ipa_protected(rd, ipa)) {
		return TZM_RMI_ERROR_INPUT;
	}
	struct tzm__walk w;
	uint64_t rc = walk_to_entry(rmm, rd, ipa, 3, RTT_STATE_BIT(TZM_RTT_ASSIGNED), &w);
	if (rc != TZM_RMI_SUCCESS) {
		return rc;
	}
	uint64_t data_pa = rtte_addr(*w.entry);
	unsigned ripas = tzm__rtte_ripas(*w.entry);
	/* RAM the host takes away is DESTROYED for the realm; EMPTY stays EMPTY. */
	*w.entry =
		rtte(TZM_RTT_UNASSIGNED,
		     ripas == TZM_RIPAS_EMPTY ? TZM_RIPAS_EMPTY : TZM_RIPAS_DESTROYED, 0, false, 0);
	rtt_ref(rmm, w.rtt, -1);
	tzm__granule_scrub(rmm, data_pa);
	res[0] = data_pa;
	res[1] = ipa + TZM_GRANULE_SIZE;
	return TZM_RMI_SUCCESS;
}
