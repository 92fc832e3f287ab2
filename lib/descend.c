/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The descent: from a root, one slot per level down to what maps one
 * address, each step recorded. It is the whole-table walk of a single
 * address, its steps taken through the walk's step callback (as
 * mm/pagewalk.c's walk_page_range() with mm_walk_ops): one way down for
 * walk, vtop's step record and kernel-virtual reads (kmem.c), the 8xx
 * hugepd and pairs included. What each step is comes from the arch's
 * decode; nothing here knows an architecture. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "walk.h"

enum read_status pt_hugepd_entry(const struct paging *pg, struct image *img,
				 struct phys_entry *pe)
{
	uint64_t cell;
	enum read_status st = pt_read_entry(pg, img, pe->d.pa, &cell);
	if (st != READ_OK)
		return st;
	/* The directory's entry stands in the PMD's place: its slot is the
	 * directory, its value the cell, the PMD entry above it; it keeps
	 * the PMD's level (and VA span), decoded as a leaf table's cell. */
	pe->parent_raw = pe->raw;
	pe->slot_pa = pe->d.pa;
	pe->raw = cell;
	pg->arch->decode(pg, 0, cell, &pe->d);
	return READ_OK;
}

bool pt_descent_gang(const struct paging *pg, const struct pt_descent *t,
		     struct phys_entry *pe, struct gang_spec *gs)
{
	const struct pt_step *last = &t->steps[t->nsteps - 1];
	*pe = (struct phys_entry){
		.va = t->va,
		.slot_pa = last->slot,
		.raw = last->raw,
		.level = last->level,
		.index = last->index,
		.d = last->d,
		.parent_raw = t->nsteps > 1 ? t->steps[t->nsteps - 2].raw : 0,
	};
	/* A hugepd's cell stands at the level of the PMD that points to
	 * it (pt_hugepd_entry()). */
	if (last->hugepd)
		pe->level = t->steps[t->nsteps - 2].level;
	return pt_gang_of(pg, pe, gs);
}

/* The leaf at the last step maps VA: where to, and how far. */
static void leaf_reached(const struct paging *pg, struct pt_descent *t)
{
	const struct pt_step *s = &t->steps[t->nsteps - 1];
	struct gang_spec gs;
	struct phys_entry pe;
	bool gang = pt_descent_gang(pg, t, &pe, &gs);
	t->end = PT_DESCENT_LEAF;
	t->mapped = true;
	t->protnone = (s->d.flags & PTF_PROTNONE) != 0;
	pt_gang_translate(pg, &pe, gang ? &gs : NULL, t->va, &t->pa, &t->avail);
}

enum pt_root_choice pt_root_for(const struct walk_params *wp, uint64_t va, uint64_t *root)
{
	const struct paging *pg = wp->pg;
	struct va_half h[2];
	unsigned nh = pt_va_halves(pg, h);
	bool inside = false, upper = false;
	for (unsigned i = 0; i < nh && !inside; i++) {
		inside = va >= h[i].start && va <= h[i].end;
		upper = h[i].kernel;
	}
	if (!inside)
		return PT_ROOT_NOT_CANONICAL;
	if (pg->arch->split_roots ? upper : !wp->have_user_root) {
		if (!wp->have_kernel_root)
			return PT_ROOT_NO_KERNEL;
		*root = wp->kernel_root;
		return PT_ROOT_KERNEL;
	}
	if (!wp->have_user_root)
		return PT_ROOT_NO_USER;
	*root = wp->user_root;
	return PT_ROOT_USER;
}

struct descent_rec {
	const struct paging *pg;
	struct image *img;
	struct pt_descent *t;
};

/* walk_params.on_step of a descent: a walk of one address reads one slot
 * per level (and a hugepd's cell), each recorded. */
static int record_step(void *arg, const struct pt_step *s, uint64_t va)
{
	struct descent_rec *r = arg;
	struct pt_descent *t = r->t;
	(void)va;
	if (t->nsteps == PT_MAX_LEVELS + 1)
		return 1;
	struct pt_step *rec = &t->steps[t->nsteps++];
	*rec = *s;
	if (rec->st == READ_OK && rec->d.paired && r->pg->arch->pair_slot) {
		/* The other half of the pair, for the record. */
		rec->buddy_slot = r->pg->arch->pair_slot(r->pg, rec->slot);
		rec->have_buddy = pt_read_entry(r->pg, r->img, rec->buddy_slot, &rec->buddy_raw) == READ_OK;
	}
	return 0;
}

static int ignore_entry(void *arg, const struct logical_entry *le)
{
	(void)arg;
	(void)le;
	return 0;
}

void pt_descend(const struct paging *pg, struct image *img, uint64_t root, uint64_t va,
		struct pt_descent *t)
{
	memset(t, 0, sizeof *t);
	t->va = va;
	t->root = root;

	struct descent_rec rec = { .pg = pg, .img = img, .t = t };
	struct walk_params wp = {
		.img = img, .pg = pg, .start = va, .end = va,
		.have_user_root = true, .user_root = root,
		.have_kernel_root = true, .kernel_root = root,
		.on_entry = ignore_entry,
		.on_step = record_step, .step_arg = &rec,
	};
	struct walk_stats ws;
	struct pt_error err = { 0 };
	/* The walk's own verdict adds nothing: its steps say where it
	 * ended, and a walk that cannot start (memory) leaves none. */
	(void)walk_tables(&wp, &ws, &err);
	if (!t->nsteps) {
		t->end = PT_DESCENT_NONE;
		return;
	}
	const struct pt_step *s = &t->steps[t->nsteps - 1];
	if (s->st != READ_OK) {
		t->end = PT_DESCENT_UNREAD;
		return;
	}
	switch (s->d.kind) {
	case PTK_LEAF:
		leaf_reached(pg, t);
		return;
	case PTK_TABLE:
		/* The walk does not follow a table met again on the way
		 * down: a loop, as it reports it. */
		t->end = PT_DESCENT_LOOP;
		for (unsigned k = 0; k < t->nsteps; k++) {
			if (t->steps[k].table == s->d.pa) {
				t->loop_level = t->steps[k].level;
				break;
			}
		}
		return;
	default:
		/* Empty, swap, reserved, or a hugepd's cell that is not a
		 * page. */
		t->end = PT_DESCENT_NOT_MAPPED;
		/* The kernel may map it where no table does (ppc64 hash's
		 * bolted linear map): the MMU's translation, said so. */
		if (pg->arch->untabled && pg->arch->untabled(pg, va, &t->pa, &t->avail))
			t->mapped = t->untabled = true;
		return;
	}
}

void pt_descent_why(const struct paging *pg, const struct pt_descent *t, char *buf,
		    size_t size)
{
	const struct pt_step *s = t->nsteps ? &t->steps[t->nsteps - 1] : NULL;
	buf[0] = 0;
	if (!s) {
		snprintf(buf, size, "not a canonical %u-bit address", pg->va_bits);
		return;
	}
	switch (t->end) {
	case PT_DESCENT_NONE:
		return;
	case PT_DESCENT_LEAF:
		if (t->protnone)
			snprintf(buf, size, "protnone %s", pt_level_name(pg, s->level));
		return;
	case PT_DESCENT_UNREAD:
		if (s->hugepd)
			snprintf(buf, size, "hugepd at 0x%llx: %s", (unsigned long long)s->slot,
				 read_status_name(s->st));
		else
			snprintf(buf, size, "%s table at 0x%llx: %s", pt_level_name(pg, s->level),
				 (unsigned long long)s->table, read_status_name(s->st));
		return;
	case PT_DESCENT_LOOP:
		snprintf(buf, size, "%s[%u] points back to the %s table at 0x%llx (a loop)",
			 pt_level_name(pg, s->level), s->index, pt_level_name(pg, t->loop_level),
			 (unsigned long long)s->d.pa);
		return;
	case PT_DESCENT_NOT_MAPPED:
		if (t->untabled) {
			snprintf(buf, size, "in no table (%s[%u]): the hash MMU's bolted linear map, __pa()",
				 pt_level_name(pg, s->level), s->index);
			return;
		}
		break;
	}
	if (s->hugepd) {
		snprintf(buf, size, "the hugepd entry is %s",
			 s->d.kind == PTK_NONE ? "empty" : "not a page");
		return;
	}
	switch (s->d.kind) {
	case PTK_NONE:
		snprintf(buf, size, "%s[%u] is empty", pt_level_name(pg, s->level), s->index);
		break;
	case PTK_SWAP:
		snprintf(buf, size, "%s[%u] is a %s entry, type %u offset 0x%llx",
			 pt_level_name(pg, s->level), s->index, s->d.swap_kind, s->d.swap_type,
			 (unsigned long long)s->d.swap_offset);
		break;
	default:
		snprintf(buf, size, "%s[%u] is reserved: %s", pt_level_name(pg, s->level), s->index,
			 s->d.why);
		break;
	}
}

struct find_entry {
	uint64_t va;
	bool found;
	struct logical_entry le;
};

static int find_sink(void *arg, const struct logical_entry *le)
{
	struct find_entry *fe = arg;
	if (le->va <= fe->va && fe->va - le->va < le->size) {
		fe->le = *le;
		fe->found = true;
	}
	return 0;
}

bool pt_descent_entry(const struct walk_params *base, const struct pt_descent *t,
		      struct logical_entry *le)
{
	const struct paging *pg = base->pg;
	if (!t->nsteps)
		return false;
	const struct pt_step *last = &t->steps[t->nsteps - 1];
	if (last->st != READ_OK || last->d.kind == PTK_NONE)
		return false;
	/* A leaf's gang, or the whole span of the entry where the descent
	 * stopped (a loop is reported on that entry): the walk of that
	 * aligned span folds it as a whole walk does. */
	uint64_t span = 1ull << pg->level_shift[last->level];
	struct gang_spec gs;
	struct phys_entry pe;
	if (t->end != PT_DESCENT_LOOP && pt_descent_gang(pg, t, &pe, &gs) && gs.size > span)
		span = gs.size;
	struct walk_params wp = *base;
	struct find_entry fe = { .va = t->va };
	struct walk_stats ws;
	struct pt_error err = { 0 };
	wp.start = t->va & ~(span - 1);
	wp.end = wp.start + span - 1;
	wp.on_entry = find_sink;
	wp.on_run = NULL;
	wp.arg = &fe;
	wp.on_progress = NULL;
	if (walk_tables(&wp, &ws, &err) || !fe.found)
		return false;
	*le = fe.le;
	return true;
}
