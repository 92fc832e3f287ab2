/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The fold: turn physical entries into logical entries and check the
 * invariants the kernel relies on.
 *
 * A gang is the aligned group of paging.gang[level] slots around an entry
 * with the contiguous bit (arm64 CONT_PTES / CONT_PMDS). A whole group of
 * CONT leaves is one logical entry (form cont-pte or cont-pmd) whose dirty
 * and young are the OR over its entries, as huge_ptep_get() and
 * contpte_ptep_get() compute them (Linux 6.12 arch/arm64/mm/hugetlbpage.c,
 * arch/arm64/mm/contpte.c); entries may differ in what the arch calls
 * legal (AF, dirty, RDONLY of writable entries), anything else is an
 * anomaly. A group that is not whole is reported entry by entry, each
 * CONT entry carrying the anomaly. */
#include "config.h"

#include <string.h>

#include "fold.h"

void fold_init(struct fold *f, const struct paging *pg, const struct walk_params *wp)
{
	memset(f, 0, sizeof *f);
	f->pg = pg;
	f->sink = wp->on_entry;
	f->arg = wp->arg;
	f->physical = wp->physical;
}

int fold_emit(struct fold *f, const struct logical_entry *le)
{
	return f->sink(f->arg, le);
}

static void single_from(const struct fold *f, const struct phys_entry *pe,
			struct logical_entry *le)
{
	uint64_t size = 1ull << f->pg->level_shift[pe->level];
	le->va = pe->va;
	le->size = size;
	le->level = pe->level;
	le->form = FORM_SINGLE;
	le->count = 1;
	le->slot_pa = pe->slot_pa;
	le->raw = pe->raw;
	le->alias_of = 0;
	le->d = pe->d;
	le->anomalies = 0;
	if (pe->d.kind == PTK_BAD)
		le->anomalies |= PTA_RESERVED;
	else if (pe->d.kind == PTK_LEAF && (pe->d.pa & (size - 1)))
		le->anomalies |= PTA_LEAF_MISALIGNED;
}

static int emit_single(struct fold *f, const struct phys_entry *pe, uint32_t extra)
{
	struct logical_entry le;
	single_from(f, pe, &le);
	le.anomalies |= extra;
	return f->sink(f->arg, &le);
}

/* Emit the pending entries one by one, each with ANOMALIES. */
static int emit_each(struct fold *f, uint32_t anomalies)
{
	for (unsigned i = 0; i < f->n; i++) {
		if (emit_single(f, &f->e[i], anomalies))
			return -1;
	}
	return 0;
}

static bool pfns_consecutive(const struct fold *f, uint64_t size)
{
	for (unsigned i = 1; i < f->n; i++) {
		if (f->e[i].d.pa != f->e[0].d.pa + i * size)
			return false;
	}
	return true;
}

/* A whole aligned group of CONT leaves. */
static int emit_gang(struct fold *f)
{
	const struct paging *pg = f->pg;
	uint64_t size = 1ull << pg->level_shift[f->level];
	uint64_t gang_bytes = size * f->gang;
	uint32_t anomalies = 0;
	uint32_t dirty_young = 0;
	uint64_t attr_mask = ~pg->oa_raw_mask;

	if (!pfns_consecutive(f, size))
		anomalies |= PTA_CONT_PFN_GAP;
	if (f->e[0].d.pa & (gang_bytes - 1))
		anomalies |= PTA_CONT_PA_MISALIGNED;
	for (unsigned i = 0; i < f->n; i++) {
		uint64_t legal = pg->arch->gang_legal_diff ?
			pg->arch->gang_legal_diff(pg, f->e[0].raw, f->e[i].raw) : 0;
		if ((f->e[i].raw ^ f->e[0].raw) & attr_mask & ~legal)
			anomalies |= PTA_CONT_ATTR_MISMATCH;
		dirty_young |= f->e[i].d.flags & (PTF_DIRTY | PTF_YOUNG);
	}
	if (f->physical) {
		int rc = emit_each(f, anomalies);
		f->n = 0;
		return rc;
	}
	struct logical_entry le;
	single_from(f, &f->e[0], &le);
	le.size = gang_bytes;
	le.form = f->level == 0 ? FORM_CONT_PTE : FORM_CONT_PMD;
	le.count = f->n;
	le.d.flags = (le.d.flags & ~(PTF_DIRTY | PTF_YOUNG)) | dirty_young;
	le.anomalies = anomalies;
	for (unsigned i = 0; i < f->n; i++) {
		if (f->e[i].d.pa & (size - 1))
			le.anomalies |= PTA_LEAF_MISALIGNED;
	}
	f->n = 0;
	f->prev_shifted = false;
	return f->sink(f->arg, &le);
}

int fold_flush(struct fold *f)
{
	if (!f->n)
		return 0;
	if (f->first == 0 && f->n == f->gang)
		return emit_gang(f);

	/* A partial group. If its entries have consecutive PFNs starting
	 * at a gang-aligned PA, or continue the run of the previous such
	 * group, the gang exists but sits across two aligned groups. */
	const struct paging *pg = f->pg;
	uint64_t size = 1ull << pg->level_shift[f->level];
	uint64_t gang_bytes = size * f->gang;
	uint32_t anomalies = PTA_CONT_PARTIAL;
	bool shifted = false;
	if (pfns_consecutive(f, size)) {
		if (f->first != 0 && !(f->e[0].d.pa & (gang_bytes - 1)))
			shifted = true;
		else if (f->prev_shifted && f->first == 0 &&
			 f->e[0].va == f->prev_end_va && f->e[0].d.pa == f->prev_end_pa)
			shifted = true;
	}
	if (shifted)
		anomalies |= PTA_CONT_VA_MISALIGNED;
	f->prev_shifted = shifted && f->first != 0;
	f->prev_end_va = f->e[f->n - 1].va + size;
	f->prev_end_pa = f->e[f->n - 1].d.pa + size;
	int rc = emit_each(f, anomalies);
	f->n = 0;
	return rc;
}

int fold_push(struct fold *f, const struct phys_entry *pe)
{
	unsigned gang = f->pg->gang[pe->level];

	if (gang > 1 && pe->d.kind == PTK_LEAF && (pe->d.flags & PTF_CONT)) {
		unsigned slot = pe->index & (gang - 1);
		uint64_t size = 1ull << f->pg->level_shift[pe->level];
		if (f->n && (f->level != pe->level || slot != f->first + f->n ||
			     pe->va != f->e[f->n - 1].va + size)) {
			if (fold_flush(f))
				return -1;
		}
		if (!f->n) {
			f->level = pe->level;
			f->gang = gang;
			f->first = slot;
		}
		f->e[f->n++] = *pe;
		if (f->first + f->n == gang)
			return fold_flush(f);
		return 0;
	}
	if (f->n && fold_flush(f))
		return -1;
	f->prev_shifted = false;
	return emit_single(f, pe, 0);
}
