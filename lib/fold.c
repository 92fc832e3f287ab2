/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The fold: turn physical entries into logical entries and check the
 * invariants the kernel relies on.
 *
 * A gang is a group of entries the kernel treats as one huge pte; the
 * arch says which (gang_of): n slots aligned to n slots of VA, laid out
 * in one of at most two ways, each with every rep consecutive slots
 * holding one identical value and the output address advancing by step
 * per rep slots. arm64 contiguous gangs are n = CONT_PTES or CONT_PMDS,
 * rep 1; an 8xx 8M page is the 2048 cells of a PMD pair; a 16K page on a
 * 16K 8xx kernel is 4 identical cells; a 512K page there is 128 cells
 * stepping 4K as set_huge_pte_at() writes them, or 32 groups of 4
 * identical cells stepping 16K as pte_update() rewrites them.
 *
 * A whole gang is one logical entry whose dirty and young are the OR over
 * its entries, as huge_ptep_get() and contpte_ptep_get() compute them
 * (Linux 6.12 arch/arm64/mm/hugetlbpage.c, arch/arm64/mm/contpte.c);
 * entries may differ in what the arch calls legal (arm64: AF, dirty,
 * RDONLY of writable entries), anything else is an anomaly. A group that
 * is not whole is one logical entry for each run of its slots that is
 * coherent (one layout, attributes alike), carrying the anomaly and which
 * slots it holds; slots that are not coherent are reported one by one. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "fold.h"

bool pt_gang_of(const struct paging *pg, const struct phys_entry *pe, struct gang_spec *gs)
{
	return pg->arch->gang_of && pe->d.kind == PTK_LEAF && pg->arch->gang_of(pg, pe, gs);
}

int fold_init(struct fold *f, const struct paging *pg, const struct walk_params *wp,
	      struct pt_error *err)
{
	memset(f, 0, sizeof *f);
	f->pg = pg;
	f->sink = wp->on_entry;
	f->arg = wp->arg;
	f->physical = wp->physical;
	f->err = err;
	/* Most gangs are 16 slots or fewer; a walk per process of
	 * thousands must not pay for the largest. */
	f->cap = 32;
	f->e = calloc(f->cap, sizeof *f->e);
	if (!f->e)
		return pt_oom(err, f->cap * sizeof *f->e);
	return 0;
}

void fold_free(struct fold *f)
{
	free(f->e);
	f->e = NULL;
}

int fold_emit(struct fold *f, const struct logical_entry *le)
{
	if (fold_flush(f))
		return -1;
	return f->sink(f->arg, le);
}

static void single_from(const struct fold *f, const struct phys_entry *pe,
			struct logical_entry *le)
{
	uint64_t size = 1ull << f->pg->level_shift[pe->level];
	*le = (struct logical_entry){ 0 };
	le->va = pe->va;
	le->size = size;
	le->level = pe->level;
	le->form = FORM_SINGLE;
	le->count = 1;
	le->slot_pa = pe->slot_pa;
	le->raw = pe->raw;
	le->alias_of = 0;
	le->d = pe->d;
	le->anomalies = pe->d.anomalies;
	if (pe->d.kind == PTK_BAD)
		le->anomalies |= PTA_RESERVED;
}

static int emit_single(struct fold *f, const struct phys_entry *pe, uint32_t extra)
{
	struct logical_entry le;
	single_from(f, pe, &le);
	le.anomalies |= extra;
	return f->sink(f->arg, &le);
}

/* Emit the pending entries one by one, each with ANOMALIES; SLOTS set
 * (the gang's n), each names its slot. */
static int emit_each(struct fold *f, uint32_t anomalies, unsigned slots)
{
	for (unsigned i = 0; i < f->n; i++) {
		struct logical_entry le;
		single_from(f, &f->e[i], &le);
		le.anomalies |= anomalies;
		if (slots) {
			le.gang_slots = (uint16_t)slots;
			le.gang_first = (uint16_t)(f->first + i);
		}
		if (f->sink(f->arg, &le))
			return -1;
	}
	return 0;
}

void pt_gang_translate(const struct paging *pg, const struct phys_entry *pe,
		       const struct gang_spec *gs, uint64_t va, uint64_t *pa,
		       uint64_t *avail)
{
	uint64_t size = 1ull << pg->level_shift[pe->level], base = pe->d.pa;
	if (gs && gs->mmu_page) {
		/* The MMU takes the entry as a page of mmu_page bytes and
		 * ignores the address bits below it. */
		size = gs->mmu_page;
		base &= ~(size - 1);
	} else if (gs) {
		/* Each entry maps its own share, step bytes from its own
		 * address. */
		size = gs->layout[0].step;
	}
	*pa = base + (va & (size - 1));
	*avail = size - (va & (size - 1));
}

/* Whether entries A and B of one repeat differ beyond what the arch
 * allows (riscv64: A and D of a NAPOT page's ptes, huge_ptep_get()):
 * a repeat holds one value, its address included. */
static inline bool rep_differs(const struct paging *pg, uint64_t a, uint64_t b)
{
	uint64_t diff = a ^ b;
	if (diff && pg->arch->gang_legal_diff)
		diff &= ~pg->arch->gang_legal_diff(pg, a, b);
	return diff != 0;
}

/* The entry a repeat starts with, among E[0..i] of a run from slot
 * FIRST: what slot I is compared with. */
static inline unsigned rep_start(const struct gang_layout *l, unsigned first, unsigned i)
{
	unsigned into = (first + i) % l->rep;
	return into > i ? 0 : i - into;
}

/* Output address expected at slot I of a gang laid out as L, starting
 * (at slot FIRST of its group) with address BASE. */
static inline uint64_t expected_pa(const struct gang_layout *l, uint64_t base,
				   unsigned first, unsigned i)
{
	return base + ((first + i) / l->rep - first / l->rep) * l->step;
}

/* The anomalies of entries E[0..n) of a gang that layout L explains
 * away: differing values within a repeat, addresses off the step. */
static uint32_t layout_anomalies(const struct paging *pg, const struct gang_spec *gs,
				 const struct gang_layout *l, const struct phys_entry *e,
				 unsigned first, unsigned n)
{
	uint32_t anomalies = 0;
	for (unsigned i = 0; i < n; i++) {
		if (l->rep > 1 && (first + i) % l->rep && i &&
		    rep_differs(pg, e[rep_start(l, first, i)].raw, e[i].raw))
			anomalies |= gs->rep_anomaly;
		if (e[i].d.pa != expected_pa(l, e[0].d.pa, first, i))
			anomalies |= PTA_GANG_PFN_GAP;
	}
	return anomalies;
}

/* The layout entries E[0..n) (from slot FIRST of the gang) follow: the
 * first that fits whole; if none does, the one whose repeats the first
 * two entries show, to name what is wrong. */
static const struct gang_layout *pick_layout(const struct paging *pg, const struct gang_spec *gs,
					     const struct phys_entry *e,
					     unsigned first, unsigned n, bool *fits)
{
	*fits = true;
	for (unsigned k = 0; k < gs->nlayouts; k++) {
		if (!layout_anomalies(pg, gs, &gs->layout[k], e, first, n))
			return &gs->layout[k];
	}
	*fits = false;
	bool same = n > 1 && !rep_differs(pg, e[0].raw, e[1].raw);
	for (unsigned k = 0; k < gs->nlayouts; k++) {
		if ((gs->layout[k].rep > 1) == same)
			return &gs->layout[k];
	}
	return &gs->layout[0];
}

/* Slots of a gang that differ from its first, for the note. */
struct odd_slots {
	unsigned count, first;
};

static void odd_slot(struct odd_slots *odd, unsigned slot)
{
	if (!odd->count++)
		odd->first = slot;
}

/* The anomalies of entries E[0..n), slots FIRST on of a gang laid out
 * as L (FITS: whole), their folded flags, and which slots differ. */
static uint32_t check_run(const struct paging *pg, const struct gang_spec *gs,
			  const struct gang_layout *l, bool fits, const struct phys_entry *e,
			  unsigned first, unsigned n, uint32_t *dirty_young, struct odd_slots *odd)
{
	uint32_t anomalies = 0;
	uint64_t attr_mask = ~pg->oa_raw_mask;

	*dirty_young = 0;
	*odd = (struct odd_slots){ 0 };
	for (unsigned i = 0; i < n; i++) {
		uint64_t raw = e[i].raw;
		uint64_t diff = (raw ^ e[0].raw) & attr_mask;
		bool differs = false;
		if (diff) {
			uint64_t legal = pg->arch->gang_legal_diff ?
				pg->arch->gang_legal_diff(pg, e[0].raw, raw) : 0;
			if (diff & ~legal) {
				anomalies |= PTA_GANG_ATTR_MISMATCH;
				differs = true;
			}
		}
		/* What the layout does not explain, as layout_anomalies()
		 * names it, slot by slot. */
		if (!fits && l->rep > 1 && (first + i) % l->rep && i &&
		    rep_differs(pg, e[rep_start(l, first, i)].raw, raw)) {
			anomalies |= gs->rep_anomaly;
			differs = true;
		}
		if (!fits && e[i].d.pa != expected_pa(l, e[0].d.pa, first, i)) {
			anomalies |= PTA_GANG_PFN_GAP;
			differs = true;
		}
		if (differs)
			odd_slot(odd, first + i);
		*dirty_young |= e[i].d.flags & (PTF_DIRTY | PTF_YOUNG);
		anomalies |= e[i].d.anomalies;
	}
	return anomalies;
}

/* The anomalies of a whole gang, and its folded flags. */
static uint32_t check_gang(const struct paging *pg, const struct gang_spec *gs,
			   const struct phys_entry *e, uint32_t *dirty_young, struct odd_slots *odd)
{
	bool fits;
	const struct gang_layout *l = pick_layout(pg, gs, e, 0, gs->n, &fits);
	uint32_t anomalies = check_run(pg, gs, l, fits, e, 0, gs->n, dirty_young, odd);
	if (e[0].d.pa & (gs->size - 1))
		anomalies |= PTA_GANG_PA_MISALIGNED;
	return anomalies;
}

static void gang_entry(const struct gang_spec *gs, const struct phys_entry *first,
		       uint32_t anomalies, uint32_t dirty_young, struct logical_entry *le)
{
	*le = (struct logical_entry){
		.va = first->va,
		.size = gs->size,
		.level = first->level,
		.form = gs->form,
		.count = gs->n,
		.slot_pa = first->slot_pa,
		.raw = first->raw,
		.anomalies = anomalies,
		.d = first->d,
	};
	le->d.flags = (first->d.flags & ~(PTF_DIRTY | PTF_YOUNG)) | dirty_young;
}

bool fold_gang_whole(const struct paging *pg, const struct gang_spec *gs,
		     const struct phys_entry *first, const uint64_t *raws,
		     struct logical_entry *le)
{
	/* One pass: entries equal to the first but for their address need
	 * no decoding; others must differ only legally, and are decoded for
	 * the dirty/young OR. Anything off leaves it to the fold. */
	const uint64_t not_oa = ~pg->oa_raw_mask;
	uint32_t dirty_young = first->d.flags & (PTF_DIRTY | PTF_YOUNG);

	if ((first->d.pa & (gs->size - 1)) || first->d.anomalies)
		return false;
	/* The layouts of one gang differ from the second slot on: try each
	 * in turn. */
	for (unsigned k = 0; k < gs->nlayouts; k++) {
		const struct gang_layout *l = &gs->layout[k];
		uint32_t dy = dirty_young;
		unsigned i;
		for (i = 1; i < gs->n; i++) {
			uint64_t r = raws[i], pa;
			if (l->rep > 1 && i % l->rep && r != raws[i - 1] &&
			    rep_differs(pg, raws[i - i % l->rep], r))
				break;
			uint64_t diff = (r ^ first->raw) & not_oa;
			if (diff) {
				uint64_t legal = pg->arch->gang_legal_diff ?
					pg->arch->gang_legal_diff(pg, first->raw, r) : 0;
				struct pt_decoded d;
				if (diff & ~legal)
					return false;
				pg->arch->decode(pg, first->level, r, &d);
				if (d.kind != PTK_LEAF || d.anomalies)
					return false;
				dy |= d.flags & (PTF_DIRTY | PTF_YOUNG);
				pa = d.pa;
			} else {
				pa = pg->oa_simple ? r & pg->oa_raw_mask : pg->arch->oa(pg, r);
			}
			if (pa != expected_pa(l, first->d.pa, 0, i))
				break;
		}
		if (i == gs->n) {
			gang_entry(gs, first, 0, dy, le);
			return true;
		}
	}
	return false;
}

/* A whole aligned group. */
static int emit_gang(struct fold *f)
{
	uint32_t dirty_young;
	struct odd_slots odd;
	uint32_t anomalies = check_gang(f->pg, &f->spec, f->e, &dirty_young, &odd);

	f->prev_shifted = false;
	if (f->physical) {
		int rc = emit_each(f, anomalies, anomalies ? f->spec.n : 0);
		f->n = 0;
		return rc;
	}
	struct logical_entry le;
	gang_entry(&f->spec, &f->e[0], anomalies, dirty_young, &le);
	if (odd.count) {
		le.gang_slots = (uint16_t)f->spec.n;
		le.gang_odd = (uint16_t)odd.count;
		le.gang_odd_first = (uint16_t)odd.first;
	}
	f->n = 0;
	return f->sink(f->arg, &le);
}


int fold_flush(struct fold *f)
{
	if (!f->n)
		return 0;
	if (f->first == 0 && f->n == f->spec.n)
		return emit_gang(f);

	/* A partial group. If its entries run on from an address aligned
	 * to the gang size, or continue the run of the previous such group,
	 * the gang exists but sits across two aligned groups. */
	const struct gang_spec *gs = &f->spec;
	uint64_t slot_size = 1ull << f->pg->level_shift[f->level];
	uint32_t anomalies = PTA_GANG_PARTIAL;
	if (gs->half_anomaly && f->n == gs->n / 2 && f->first % (gs->n / 2) == 0)
		anomalies = gs->half_anomaly;
	bool shifted = false, consecutive;
	const struct gang_layout *l = pick_layout(f->pg, gs, f->e, f->first, f->n, &consecutive);
	uint64_t group_va = f->e[0].va - (uint64_t)f->first * slot_size;
	if (consecutive && l->rep >= gs->n) {
		/* One value in every slot (riscv64 NAPOT): the address says
		 * nothing of the slot. A run from mid-group to the group's
		 * end, with no other run of the group before it, is a gang
		 * moved up; the next group's run from slot 0 of the same value
		 * making up the rest is its other half. */
		if (f->first != 0 && f->first + f->n == gs->n && f->prev_group_va != group_va + 1)
			shifted = true;
		else if (f->prev_shifted && f->first == 0 && f->n == f->prev_first &&
			 f->e[0].va == f->prev_end_va && f->e[0].d.pa == f->prev_end_pa)
			shifted = true;
	} else if (consecutive && f->first % l->rep == 0) {
		if (f->first != 0 && !(f->e[0].d.pa & (gs->size - 1)))
			shifted = true;
		else if (f->prev_shifted && f->first == 0 &&
			 f->e[0].va == f->prev_end_va && f->e[0].d.pa == f->prev_end_pa)
			shifted = true;
	}
	if (shifted)
		anomalies |= PTA_GANG_VA_MISALIGNED;
	f->prev_shifted = shifted && f->first != 0;
	f->prev_first = f->first;
	/* +1: 0 is a group's VA too; 0 is "none" here. */
	f->prev_group_va = group_va + 1;
	f->prev_end_va = f->e[f->n - 1].va + slot_size;
	f->prev_end_pa = l->rep >= gs->n ? f->e[0].d.pa : expected_pa(l, f->e[0].d.pa, f->first, f->n);
	/* A coherent run of a gang is one logical entry that says which
	 * slots it holds; slots that differ are shown each on its own. */
	uint32_t dirty_young;
	struct odd_slots odd;
	uint32_t run = check_run(f->pg, gs, l, consecutive, f->e, f->first, f->n, &dirty_young, &odd);
	if (f->physical || run) {
		int rc = emit_each(f, anomalies, gs->n);
		f->n = 0;
		return rc;
	}
	struct logical_entry le;
	gang_entry(gs, &f->e[0], anomalies, dirty_young, &le);
	le.size = (uint64_t)f->n * slot_size;
	le.count = f->n;
	le.gang_slots = (uint16_t)gs->n;
	le.gang_first = (uint16_t)f->first;
	f->n = 0;
	return f->sink(f->arg, &le);
}

int fold_push(struct fold *f, const struct phys_entry *pe)
{
	struct gang_spec gs;

	if (pt_gang_of(f->pg, pe, &gs) && gs.n <= FOLD_MAX_GANG) {
		uint64_t slot_size = 1ull << f->pg->level_shift[pe->level];
		unsigned slot = (unsigned)((pe->va / slot_size) & (gs.n - 1));
		if (f->n && (f->level != pe->level || f->spec.n != gs.n || f->spec.form != gs.form ||
			     slot != f->first + f->n || pe->va != f->e[f->n - 1].va + slot_size)) {
			if (fold_flush(f))
				return -1;
		}
		if (!f->n) {
			f->level = pe->level;
			f->spec = gs;
			f->first = slot;
		}
		if (f->n == f->cap) {
			unsigned cap = f->cap * 2 < FOLD_MAX_GANG ? f->cap * 2 : FOLD_MAX_GANG;
			struct phys_entry *e = reallocarray(f->e, cap, sizeof *e);
			if (!e)
				return pt_oom(f->err, cap * sizeof *e);
			f->e = e;
			f->cap = cap;
		}
		f->e[f->n++] = *pe;
		if (f->first + f->n == gs.n)
			return fold_flush(f);
		return 0;
	}
	if (f->n && fold_flush(f))
		return -1;
	f->prev_shifted = false;
	return emit_single(f, pe, 0);
}
