/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The walker: descend from a root in VA order, emit physical entries to
 * the fold. Levels, index bits and entry meaning come from struct paging
 * and its arch ops; nothing here knows an architecture.
 *
 * Like the kernel's mm/pagewalk.c it is one recursive descent with the
 * levels as data. Unlike it, every table page is untrusted: a table the
 * image lacks, a table reached at two levels (a loop) or a reserved
 * descriptor becomes an anomaly on the entry and the walk goes on. A table
 * reached again at the same level (KASAN's early shadow maps terabytes
 * through a handful of tables) is reported once as an alias of the first
 * walk, so aliases cost no time per page they map. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "walk.h"
#include "fold.h"

const char *const pt_kind_names[PTK_COUNT] = {
	"none", "table", "leaf", "swap", "bad", "hugepd",
};

const char *const pt_flag_names[PTF_COUNT] = {
	"present", "read", "write", "exec_user", "exec_kernel", "user", "global",
	"dirty", "young", "special", "shared", "uffd_wp", "soft_dirty",
	"protnone", "devmap", "guarded", "exclusive", "cont",
};

const char *const pt_anomaly_names[PTA_COUNT] = {
	"gang-partial", "gang-va-misaligned", "gang-pa-misaligned",
	"gang-pfn-gap", "gang-attr-mismatch", "reserved", "table-filtered",
	"table-truncated", "table-outside", "table-error", "table-loop",
	"leaf-reserved-bits", "8m-unpaired", "hugepd-unexpected",
	"8m-pair-unexpected", "huge-without-sps", "table-part-missing",
};

const char *const pt_form_names[FORM_COUNT] = {
	"single", "cont-pte", "cont-pmd", "8xx-8m", "8xx-512k", "8xx-16k", "hugepd",
	"napot", "cont-pud", "alias", "table",
};

bool pt_form_is_gang(enum pt_form form)
{
	static const bool gang[FORM_COUNT] = {
		[FORM_CONT_PTE] = true, [FORM_CONT_PMD] = true, [FORM_8XX_8M] = true,
		[FORM_8XX_512K] = true, [FORM_8XX_16K] = true, [FORM_NAPOT] = true,
		[FORM_CONT_PUD] = true,
	};
	return (unsigned)form < FORM_COUNT && gang[form];
}

const char *pt_level_name(const struct paging *pg, unsigned level)
{
	/* The top level is the pgd; below it the kernel's names count from
	 * the leaf (a 3-level arm64 table is pgd, pmd, pte), as crash's
	 * vtop prints them. */
	static const char *const from_bottom[] = { "pte", "pmd", "pud", "p4d" };
	if (level + 1 >= pg->levels)
		return "pgd";
	return from_bottom[level];
}

void pt_decode(const struct paging *pg, unsigned level, uint64_t raw,
	       struct pt_decoded *d)
{
	pg->arch->decode(pg, level, raw, d);
}

unsigned pt_gang_span_shift(const struct paging *pg)
{
	return pg->arch->gang_span_shift ? pg->arch->gang_span_shift(pg) : 0;
}

int pt_root_from_register(const struct paging *pg, uint64_t reg, uint64_t *pa,
			  struct pt_error *err)
{
	return pg->arch->root_from_register(pg, reg, pa, err);
}

unsigned pt_va_halves(const struct paging *pg, struct va_half out[2])
{
	if (pg->arch->flat_space) {
		out[0] = (struct va_half){ 0, (1ull << pg->va_bits) - 1, false, 0 };
		return 1;
	}
	/* The lower half [0, 2^(n-1)) and the upper half down from 2^64;
	 * with separate roots (arm64 TTBR0/TTBR1) each half is the full
	 * va_bits wide, else the canonical halves of one table, whose slot 0
	 * maps the sign-extended 2^64 - 2^va_bits. A kernel half at its own
	 * base (ppc64's 0xc000000000000000) is va_bits wide from there. */
	unsigned bits = pg->arch->split_roots ? pg->va_bits : pg->va_bits - 1;
	uint64_t span = 1ull << bits;
	out[0] = (struct va_half){ 0, span - 1, false, 0 };
	if (pg->kernel_va_base)
		out[1] = (struct va_half){ pg->kernel_va_base, pg->kernel_va_base + span - 1, true,
					   pg->kernel_va_base };
	else
		out[1] = (struct va_half){ -span, UINT64_MAX, true, -(1ull << pg->va_bits) };
	return 2;
}

/* ---- Tables already walked ----------------------------------------------
 * An open-addressing set keyed by table PA, holding the level and the VA
 * where it was first walked. It grows to TABLE_SET_MAX_SLOTS (32 MiB);
 * past that new tables are not recorded, which costs only re-walking an
 * alias (the descent is bounded by the level count in any case). */
#define TABLE_SET_MAX_SLOTS (1u << 21)

struct table_slot {
	uint64_t key;		/* pa | (level + 1) (0 = empty); PA is 8-byte aligned */
	uint64_t first_va;
};

static inline unsigned slot_level(const struct table_slot *s)
{
	return (unsigned)(s->key & 7) - 1;
}

struct table_set {
	struct table_slot *slots;
	size_t nslots, used;
	bool full;
};

static size_t table_hash(uint64_t key, size_t nslots)
{
	key ^= key >> 29;
	key *= 0xbf58476d1ce4e5b9ull;
	key ^= key >> 32;
	return (size_t)key & (nslots - 1);
}

static struct table_slot *table_find(struct table_set *ts, uint64_t pa)
{
	for (size_t i = table_hash(pa, ts->nslots);; i = (i + 1) & (ts->nslots - 1)) {
		if (!ts->slots[i].key || (ts->slots[i].key & ~7ull) == pa)
			return &ts->slots[i];
	}
}

/* False when memory runs out: the set stays as it is. */
static bool table_grow(struct table_set *ts)
{
	struct table_set bigger = { .nslots = ts->nslots * 2 };
	bigger.slots = calloc(bigger.nslots, sizeof *bigger.slots);
	if (!bigger.slots)
		return false;
	for (size_t i = 0; i < ts->nslots; i++) {
		if (!ts->slots[i].key)
			continue;
		struct table_slot *s = table_find(&bigger, ts->slots[i].key & ~7ull);
		*s = ts->slots[i];
	}
	free(ts->slots);
	ts->slots = bigger.slots;
	ts->nslots = bigger.nslots;
	return true;
}

/* Look PA up; if new, record it and return NULL. */
static const struct table_slot *table_seen(struct table_set *ts, uint64_t pa,
					   unsigned level, uint64_t va)
{
	struct table_slot *s = table_find(ts, pa);
	if (s->key)
		return s;
	if (ts->full)
		return NULL;
	if ((ts->used + 1) * 4 > ts->nslots * 3) {
		/* Full, at its bound or where memory runs out: tables from
		 * here on are walked as new (the descent stays bounded by
		 * the levels). */
		if (ts->nslots >= TABLE_SET_MAX_SLOTS || !table_grow(ts)) {
			ts->full = true;
			return NULL;
		}
		s = table_find(ts, pa);
	}
	s->key = pa | (level + 1);
	s->first_va = va;
	ts->used++;
	return NULL;
}

/* ---- Summaries -----------------------------------------------------------
 * Sums over logical entries, and the memo of each aliased table's
 * subtree summary: computed once per distinct table (its subtree walked
 * once more, nested aliases from the memo in turn), so counting what
 * every aliased slot maps costs O(distinct tables), not O(what they map). */

struct walk_summary *walk_summary_new(unsigned limit)
{
	struct walk_summary *s = calloc(1, sizeof *s);
	if (s)
		s->limit = limit;
	return s;
}

void walk_summary_free(struct walk_summary *s)
{
	if (s) {
		free(s->b);
		free(s);
	}
}

void walk_summary_reset(struct walk_summary *s)
{
	struct summary_bucket *b = s->b;
	unsigned cap = s->cap, limit = s->limit;
	memset(s, 0, sizeof *s);
	s->b = b;
	s->cap = cap;
	s->limit = limit;
}

/* Swap kinds are the paging's names per swap type; several types may
 * share a name ("swap"): one bucket per name. */
static bool bucket_is(const struct summary_bucket *b, unsigned kind, unsigned level,
		      unsigned form, uint64_t size, const char *swap_kind)
{
	return b->kind == kind && b->level == level && b->form == form && b->size == size &&
	       (b->swap_kind == swap_kind ||
		(b->swap_kind && swap_kind && !strcmp(b->swap_kind, swap_kind)));
}

/* The bucket for this key, made if there is room; NULL past the limit. */
static struct summary_bucket *bucket_get(struct walk_summary *s, unsigned kind, unsigned level,
					 unsigned form, uint64_t size, const char *swap_kind)
{
	if (s->last < s->nbuckets &&
	    bucket_is(&s->b[s->last], kind, level, form, size, swap_kind))
		return &s->b[s->last];
	for (unsigned i = s->nbuckets; i-- > 0;) {
		if (bucket_is(&s->b[i], kind, level, form, size, swap_kind)) {
			s->last = i;
			return &s->b[i];
		}
	}
	if (s->nbuckets == s->limit)
		return NULL;
	if (s->nbuckets == s->cap) {
		unsigned cap = s->cap ? s->cap * 2 : 4;
		if (cap > s->limit)
			cap = s->limit;
		/* Out of memory: the entries count as past the limit, and
		 * the summary says why. */
		struct summary_bucket *b = reallocarray(s->b, cap, sizeof *b);
		if (!b) {
			s->out_of_memory = true;
			return NULL;
		}
		s->b = b;
		s->cap = cap;
	}
	s->last = s->nbuckets;
	s->b[s->nbuckets] = (struct summary_bucket){ .kind = (uint8_t)kind, .level = (uint8_t)level,
						     .form = (uint8_t)form, .size = size,
						     .swap_kind = swap_kind };
	return &s->b[s->nbuckets++];
}

static void sum_subtree(struct walk_summary *s, const struct walk_summary *t, uint64_t n);

void walk_summary_add(struct walk_summary *s, const struct logical_entry *le, uint64_t n)
{
	const char *swap_kind = le->d.kind == PTK_SWAP ? le->d.swap_kind : NULL;

	s->entries += n;
	if (le->d.kind == PTK_LEAF)
		s->bytes_mapped += le->size * n;
	if (le->anomalies) {
		s->anomalous += n;
		for (unsigned i = 0; i < PTA_COUNT; i++) {
			if (le->anomalies & (1u << i))
				s->by_anomaly[i] += n;
		}
	}
	struct summary_bucket *b = bucket_get(s, le->d.kind, le->level, le->form, le->size,
					      swap_kind);
	if (b) {
		b->entries += n;
		b->physical += le->count * n;
		b->bytes += le->size * n;
	} else {
		s->overflow += n;
	}
	const struct walk_summary *t = le->form == FORM_ALIAS ? le->subtree : NULL;
	if (!t)
		return;
	/* What the aliased slot maps: the subtree's sums, N times. */
	s->aliased_entries += t->entries * n;
	sum_subtree(s, t, n);
}

void walk_summary_merge(struct walk_summary *s, const struct walk_summary *t, uint64_t n)
{
	s->aliased_entries += t->aliased_entries * n;
	sum_subtree(s, t, n);
}

static void sum_subtree(struct walk_summary *s, const struct walk_summary *t, uint64_t n)
{
	s->entries += t->entries * n;
	s->bytes_mapped += t->bytes_mapped * n;
	s->anomalous += t->anomalous * n;
	for (unsigned i = 0; i < PTA_COUNT; i++)
		s->by_anomaly[i] += t->by_anomaly[i] * n;
	s->overflow += t->overflow * n;
	s->out_of_memory |= t->out_of_memory;
	for (unsigned i = 0; i < t->nbuckets; i++) {
		const struct summary_bucket *tb = &t->b[i];
		struct summary_bucket *c = bucket_get(s, tb->kind, tb->level, tb->form, tb->size,
						      tb->swap_kind);
		if (!c) {
			s->overflow += tb->entries * n;
			continue;
		}
		c->entries += tb->entries * n;
		c->physical += tb->physical * n;
		c->bytes += tb->bytes * n;
	}
}

/* The memo: summaries of whole tables by PA and level, up to
 * SUMMARY_MEMO_MAX of them holding up to SUMMARY_MEMO_BYTES; past that a
 * summary is made anew at each alias, with memory still bounded. */
#define SUMMARY_MEMO_MAX 16384u
#define SUMMARY_MEMO_BYTES (32u << 20)

struct summary_memo {
	struct memo_slot {
		uint64_t key;		/* pa | (level + 1), 0 = empty */
		/* and what else the summary depends on: */
		uint64_t attrs;		/* the slot entry but its address */
		uint64_t phase;		/* the slot's VA within the largest gang */
		struct walk_summary *s;
	} *slots;
	size_t nslots, used;
	size_t bytes;			/* the kept summaries' */
	struct walk_summary *scratch;	/* the last one not kept */
};

/* The slot of (KEY, ATTRS, PHASE), or the empty one where it goes. */
static struct memo_slot *memo_find(struct summary_memo *m, uint64_t key, uint64_t attrs,
				   uint64_t phase)
{
	uint64_t h = key ^ (attrs * 0x9e3779b97f4a7c15ull) ^ (phase >> 12);
	for (size_t i = table_hash(h, m->nslots);; i = (i + 1) & (m->nslots - 1)) {
		struct memo_slot *s = &m->slots[i];
		if (!s->key || (s->key == key && s->attrs == attrs && s->phase == phase))
			return s;
	}
}

/* False when memory runs out: the memo stays as it is. */
static bool memo_grow(struct summary_memo *m)
{
	struct summary_memo bigger = { .nslots = m->nslots ? m->nslots * 2 : 64 };
	bigger.slots = calloc(bigger.nslots, sizeof *bigger.slots);
	if (!bigger.slots)
		return false;
	for (size_t i = 0; i < m->nslots; i++) {
		const struct memo_slot *o = &m->slots[i];
		if (o->key)
			*memo_find(&bigger, o->key, o->attrs, o->phase) = *o;
	}
	free(m->slots);
	m->slots = bigger.slots;
	m->nslots = bigger.nslots;
	return true;
}

static void memo_free(struct summary_memo *m)
{
	for (size_t i = 0; i < m->nslots; i++)
		walk_summary_free(m->slots[i].s);
	free(m->slots);
	walk_summary_free(m->scratch);
	memset(m, 0, sizeof *m);
}

/* A subtree's sums over [lo, hi]: entries overlapping it count, as a
 * ranged walk passes them (whole gangs, table entries clipped). */
struct summary_arg {
	struct walk_summary *s;
	uint64_t lo, hi;
};

static int summary_sink(void *arg, const struct logical_entry *le)
{
	struct summary_arg *sa = arg;
	if (le->va + (le->size - 1) < sa->lo || le->va > sa->hi)
		return 0;
	if ((le->form == FORM_ALIAS || le->form == FORM_TABLE) &&
	    (le->va < sa->lo || le->va + (le->size - 1) > sa->hi)) {
		struct logical_entry c = *le;
		uint64_t end = le->va + (le->size - 1) < sa->hi ? le->va + (le->size - 1) : sa->hi;
		c.va = le->va > sa->lo ? le->va : sa->lo;
		c.size = end - c.va + 1;
		walk_summary_add(sa->s, &c, 1);
		return 0;
	}
	walk_summary_add(sa->s, le, 1);
	return 0;
}

/* Only where the whole subtree counts: a run's later entries have no
 * VA of their own. */
static int summary_run(void *arg, const struct logical_entry *le, uint64_t n)
{
	struct summary_arg *sa = arg;
	walk_summary_add(sa->s, le, n);
	return 0;
}

void walk_params_init(struct walk_params *wp, struct image *img, const struct paging *pg,
		      bool have_user_root, uint64_t user_root)
{
	memset(wp, 0, sizeof *wp);
	wp->img = img;
	wp->pg = pg;
	if (pg->kernel_root.set) {
		wp->have_kernel_root = true;
		wp->kernel_root = pg->kernel_root.v;
	}
	wp->have_user_root = have_user_root;
	wp->user_root = have_user_root ? user_root : 0;
	if (pg->arch->split_roots) {
		/* A user root walks the user half, else the kernel half. */
		struct va_half halves[2];
		pt_va_halves(pg, halves);
		wp->start = halves[have_user_root ? 0 : 1].start;
		wp->end = halves[have_user_root ? 0 : 1].end;
	} else {
		wp->start = 0;
		wp->end = UINT64_MAX;
	}
}

/* ---- The walk ----------------------------------------------------------- */

struct walker {
	const struct walk_params *wp;
	const struct paging *pg;
	struct fold fold;
	struct table_set seen;
	struct summary_memo *memo;	/* the top walk's, shared by sub-walks */
	uint64_t start, end;		/* the range asked for (wp's may be wider) */
	struct walk_stats *stats;
	uint8_t *copy[PT_MAX_LEVELS];	/* upper tables, copied */
	uint64_t *ahead;		/* read-ahead: an upper table's children */
	/* walk_params.note_uniform: the last table of each level checked,
	 * and what was found (0 not uniform, 1 uniform with leaf value). */
	uint64_t uniform_pa[PT_MAX_LEVELS];
	uint64_t uniform_raw[PT_MAX_LEVELS];
	int8_t uniform_known[PT_MAX_LEVELS];	/* -1 unknown, 0, 1 */
	struct pt_error *err;
	/* progress */
	bool progress_shown;
	struct timespec last_progress;
};

/* A walker's own buffers: its set of the tables seen (NSLOTS to start),
 * a copy of each upper table from level 1 to TOP, its fold. Returns 0, or
 * -1 with its error set; walker_free() it either way. */
static int walker_alloc(struct walker *w, size_t nslots, unsigned top)
{
	memset(w->uniform_known, -1, sizeof w->uniform_known);
	w->seen.nslots = nslots;
	w->seen.slots = calloc(nslots, sizeof *w->seen.slots);
	if (!w->seen.slots)
		return pt_oom(w->err, nslots * sizeof *w->seen.slots);
	for (unsigned l = 1; l <= top; l++) {
		size_t bytes = (size_t)w->pg->entry_size << w->pg->level_bits[l];
		w->copy[l] = malloc(bytes);
		if (!w->copy[l])
			return pt_oom(w->err, bytes);
	}
	if (top && !w->wp->on_step && image_prefetching(w->wp->img)) {
		size_t most = 0;
		for (unsigned l = 1; l <= top; l++)
			if ((size_t)1 << w->pg->level_bits[l] > most)
				most = (size_t)1 << w->pg->level_bits[l];
		w->ahead = malloc(most * sizeof *w->ahead);
		if (!w->ahead)
			return pt_oom(w->err, most * sizeof *w->ahead);
	}
	return fold_init(&w->fold, w->pg, w->wp, w->err);
}

static void walker_free(struct walker *w)
{
	fold_free(&w->fold);
	for (unsigned l = 0; l < PT_MAX_LEVELS; l++)
		free(w->copy[l]);
	free(w->ahead);
	free(w->seen.slots);
}

static inline uint64_t load_entry(const uint8_t *p, unsigned i, unsigned size, bool be)
{
	if (size == 8) {
		uint64_t v;
		memcpy(&v, p + (size_t)i * 8, 8);
		return be ? __builtin_bswap64(v) : v;
	}
	uint32_t v;
	memcpy(&v, p + (size_t)i * 4, 4);
	return be ? __builtin_bswap32(v) : v;
}

enum read_status pt_read_entry(const struct paging *pg, struct image *img, uint64_t pa,
			       uint64_t *raw)
{
	uint8_t buf[8];
	enum read_status st = image_read(img, pa, buf, pg->entry_size);
	if (st == READ_OK)
		*raw = load_entry(buf, 0, pg->entry_size, pg->entry_big_endian);
	return st;
}

static uint32_t status_anomaly(enum read_status st)
{
	switch (st) {
	case READ_FILTERED: return PTA_TABLE_FILTERED;
	case READ_TRUNCATED: return PTA_TABLE_TRUNCATED;
	case READ_OUTSIDE: return PTA_TABLE_OUTSIDE;
	case READ_PART_MISSING: return PTA_TABLE_PART_MISSING;
	default: return PTA_TABLE_ERROR;
	}
}

static void show_progress(struct walker *w, uint64_t va)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	if ((now.tv_sec - w->last_progress.tv_sec) * 1000000000ll +
	    (now.tv_nsec - w->last_progress.tv_nsec) < 250000000ll)
		return;
	w->last_progress = now;
	/* Address spaces are sparse: a share of the VA range says little.
	 * Where the walk is and what it has read say more. */
	uint64_t tables = 0;
	for (unsigned l = 0; l < PT_MAX_LEVELS; l++)
		tables += w->stats->tables[l];
	w->progress_shown = true;
	w->wp->on_progress(w->wp->progress_arg, va, tables, false);
}

static bool table_uniform(struct walker *w, unsigned level, uint64_t pa, uint64_t *leaf);

/* walk_params.on_step: the slot at INDEX of the table at TABLE_PA of
 * LEVEL, mapping from VA, holding RAW; or not read (ST). With
 * walk_params.note_uniform a table entry whose tables below are uniform
 * (table_uniform()) is such a step, and 1 says not to descend. -1 when
 * the callback stops the walk, else 0. */
static int report_step(struct walker *w, unsigned level, uint64_t table_pa, uint64_t index,
		       uint64_t va, uint64_t raw, enum read_status st, bool hugepd)
{
	const struct paging *pg = w->pg;
	struct pt_step s = {
		.level = level, .index = (unsigned)index, .table = table_pa,
		.slot = table_pa + index * pg->entry_size, .raw = raw, .st = st, .hugepd = hugepd,
	};
	if (st == READ_OK) {
		pt_decode(pg, level, raw, &s.d);
		s.uniform = w->wp->note_uniform && level > 0 && s.d.kind == PTK_TABLE &&
			    table_uniform(w, level - 1, s.d.pa, &s.uniform_raw);
	}
	if (w->wp->on_step(w->wp->step_arg, &s, va))
		return pt_fail(w->err, PT_EXIT_INTERNAL, "the step callback stopped the walk");
	return s.uniform;
}

/* walk_params.note_uniform: whether the table at PA of LEVEL holds one
 * value in every slot, and below it likewise down to a leaf table
 * (the chain KASAN's early shadow is: kasan_early_shadow_p4d, _pud,
 * _pmd, _pte, each entry of one pointing to the next, mm/kasan/init.c
 * of 6.12). *LEAF gets the leaf table's value. A table not in the image
 * is not uniform: the walk reports it where it is. The last table
 * checked at each level is remembered: the slots of an upper shadow
 * table all point to one table. The copies below LEVEL + 1 are free:
 * the walk is at LEVEL + 1 and has not descended yet. */
static bool table_uniform(struct walker *w, unsigned level, uint64_t pa, uint64_t *leaf)
{
	const struct paging *pg = w->pg;
	if (w->uniform_known[level] >= 0 && w->uniform_pa[level] == pa) {
		*leaf = w->uniform_raw[level];
		return w->uniform_known[level] == 1;
	}
	size_t n = (size_t)1 << pg->level_bits[level];
	size_t bytes = (size_t)pg->entry_size << pg->level_bits[level];
	const uint8_t *tab;
	enum read_status st;
	if (level == 0) {
		st = image_peek(w->wp->img, pa, bytes, &tab);
	} else {
		st = image_read(w->wp->img, pa, w->copy[level], bytes);
		tab = w->copy[level];
	}
	bool ok = st == READ_OK;
	uint64_t first = ok ? load_entry(tab, 0, pg->entry_size, pg->entry_big_endian) : 0;
	for (size_t i = 1; ok && i < n; i++)
		ok = load_entry(tab, (unsigned)i, pg->entry_size, pg->entry_big_endian) == first;
	if (ok && level > 0) {
		struct pt_decoded d;
		pt_decode(pg, level, first, &d);
		ok = d.kind == PTK_TABLE && table_uniform(w, level - 1, d.pa, &first);
	}
	w->uniform_pa[level] = pa;
	w->uniform_known[level] = ok;
	w->uniform_raw[level] = first;
	*leaf = first;
	return ok;
}

/* Emit a table entry whose table is not walked (alias, loop, unreadable),
 * with SUBTREE: what an alias's table maps, or NULL. */
static int emit_table_entry(struct walker *w, const struct phys_entry *pe,
			    enum pt_form form, uint32_t anomalies, uint64_t alias_of,
			    uint64_t lo, uint64_t hi, const struct walk_summary *subtree)
{
	struct logical_entry le = {
		.subtree = subtree,
		.va = lo,
		.size = hi - lo + 1,
		.level = pe->level,
		.form = form,
		.count = 1,
		.slot_pa = pe->slot_pa,
		.raw = pe->raw,
		.alias_of = alias_of,
		.anomalies = anomalies,
		.d = pe->d,
	};
	return fold_emit(&w->fold, &le);
}

static int walk_table(struct walker *w, unsigned level, uint64_t table_pa,
		      uint64_t parent_raw, uint64_t base_va, uint64_t lo, uint64_t hi);

/* What the aliased table entry PE maps over [LO, HI]: the summary of its
 * table walked on its own (nested aliases summarized in turn). A whole
 * table's summary is kept in the memo by PA and level, so each distinct
 * table is walked once more however many slots reach it; a range end
 * cutting the table gets one of its own. The result lives until the
 * next call or the end of the walk. NULL with W's error set when memory
 * runs out or the walk of the table fails. */
static const struct walk_summary *alias_summary(struct walker *w, const struct phys_entry *pe,
						uint64_t lo, uint64_t hi)
{
	const struct paging *pg = w->pg;
	struct summary_memo *m = w->memo;
	unsigned level = pe->level - 1;
	uint64_t span = 1ull << pg->level_shift[pe->level];
	/* What counts: the slot's part of the range asked for. The walk
	 * covers [LO, HI], which may be wider to hold whole gangs. */
	struct summary_arg sa = {
		.lo = lo > w->start ? lo : w->start,
		.hi = hi < w->end ? hi : w->end,
	};
	bool whole = sa.lo == pe->va && sa.hi - sa.lo == span - 1;
	uint64_t key = pe->d.pa | (level + 1);
	/* Gangs and 8xx pages depend on the parent's attributes: a summary
	 * serves only slots whose entry differs in the address alone. */
	uint64_t attrs = pe->raw & ~pg->oa_raw_mask;
	/* A gang may span tables (an 8xx 8M pair spans two PMDs): where a
	 * table maps less than the largest gang (see walk_tables()), its
	 * summary holds for slots at the same place within one. */
	unsigned gang_shift = pt_gang_span_shift(pg);
	uint64_t phase = gang_shift < 64 ? pe->va & ((1ull << gang_shift) - 1) : pe->va;
	bool keep = whole && m->used < SUMMARY_MEMO_MAX && m->bytes < SUMMARY_MEMO_BYTES;

	if (whole) {
		const struct memo_slot *slot = memo_find(m, key, attrs, phase);
		if (slot->key)
			return slot->s;
	}

	struct walk_summary *s = walk_summary_new(SUMMARY_BUCKET_LIMIT);
	if (!s) {
		pt_oom(w->err, sizeof *s);
		return NULL;
	}
	struct walk_params wp = *w->wp;
	sa.s = s;
	wp.on_entry = summary_sink;
	wp.on_run = sa.lo == lo && sa.hi == hi ? summary_run : NULL;
	wp.arg = &sa;
	wp.start = lo;
	wp.end = hi;
	wp.on_progress = NULL;
	wp.expand_aliases = false;
	struct walk_stats stats;
	struct walker sub = {
		.wp = &wp, .pg = pg, .stats = &stats, .err = w->err, .memo = m,
		.start = sa.lo, .end = sa.hi,
	};
	memset(&stats, 0, sizeof stats);
	int st = walker_alloc(&sub, 1u << 6, level);
	if (!st) {
		table_seen(&sub.seen, pe->d.pa, level, pe->va);
		/* The sinks never stop: the walk ends with 0, a read status,
		 * or -1 where memory ran out below. */
		st = walk_table(&sub, level, pe->d.pa, pe->raw, pe->va, lo, hi);
		if (st > 0) {
			struct logical_entry le = {
				.va = lo, .size = hi - lo + 1, .level = pe->level, .form = FORM_TABLE,
				.count = 1, .slot_pa = pe->slot_pa, .raw = pe->raw,
				.anomalies = status_anomaly((enum read_status)st), .d = pe->d,
			};
			st = fold_emit(&sub.fold, &le);
		}
		if (!st)
			st = fold_flush(&sub.fold);
	}
	walker_free(&sub);
	if (st) {
		walk_summary_free(s);
		return NULL;
	}

	/* The walk above may have grown the memo: find the slot anew. A
	 * memo that cannot grow keeps no more. */
	if (keep && (m->used + 1) * 2 > m->nslots)
		keep = memo_grow(m);
	if (keep) {
		struct memo_slot *slot = memo_find(m, key, attrs, phase);
		if (slot->key) {
			walk_summary_free(s);
			return slot->s;
		}
		slot->key = key;
		slot->attrs = attrs;
		slot->phase = phase;
		slot->s = s;
		m->used++;
		m->bytes += sizeof *s + (size_t)s->cap * sizeof s->b[0];
		return s;
	}
	walk_summary_free(m->scratch);
	m->scratch = s;
	return s;
}

/* ---- Tables walks share ----------------------------------------------- */

#define SHARE_MAX 16384u
#define SHARE_BYTES (32u << 20)

struct share_slot {
	uint64_t key, attrs, phase;	/* as the memo's */
	struct walk_summary *s;
	struct walk_stats st;		/* what walking the subtree adds */
	/* The subtree's tables: key (pa | level + 1) and first VA less the
	 * subtree's, in pairs. */
	uint64_t *tables;
	size_t ntables;
};

struct walk_share {
	struct table_set met;		/* tables of the walks so far */
	struct share_slot *slots;
	size_t nslots, used, bytes;
};

struct walk_share *walk_share_new(void)
{
	struct walk_share *sh = calloc(1, sizeof *sh);
	if (!sh)
		return NULL;
	sh->met.nslots = 256;
	sh->met.slots = calloc(sh->met.nslots, sizeof *sh->met.slots);
	sh->nslots = 64;
	sh->slots = calloc(sh->nslots, sizeof *sh->slots);
	if (!sh->met.slots || !sh->slots) {
		walk_share_free(sh);
		return NULL;
	}
	return sh;
}

void walk_share_free(struct walk_share *sh)
{
	if (!sh)
		return;
	for (size_t i = 0; i < sh->nslots; i++) {
		walk_summary_free(sh->slots[i].s);
		free(sh->slots[i].tables);
	}
	free(sh->slots);
	free(sh->met.slots);
	free(sh);
}

static struct share_slot *share_find(struct walk_share *sh, uint64_t key, uint64_t attrs,
				     uint64_t phase)
{
	uint64_t h = key ^ (attrs * 0x9e3779b97f4a7c15ull) ^ (phase >> 12);
	for (size_t i = table_hash(h, sh->nslots);; i = (i + 1) & (sh->nslots - 1)) {
		struct share_slot *s = &sh->slots[i];
		if (!s->key || (s->key == key && s->attrs == attrs && s->phase == phase))
			return s;
	}
}

static bool share_grow(struct walk_share *sh)
{
	struct walk_share bigger = { .nslots = sh->nslots * 2 };
	bigger.slots = calloc(bigger.nslots, sizeof *bigger.slots);
	if (!bigger.slots)
		return false;
	for (size_t i = 0; i < sh->nslots; i++) {
		const struct share_slot *o = &sh->slots[i];
		if (o->key)
			*share_find(&bigger, o->key, o->attrs, o->phase) = *o;
	}
	free(sh->slots);
	sh->slots = bigger.slots;
	sh->nslots = bigger.nslots;
	return true;
}

/* The walk's tables, met: the next walk to meet one summarizes it. */
static void share_note_walk(struct walk_share *sh, const struct table_set *seen)
{
	for (size_t i = 0; i < seen->nslots; i++)
		if (seen->slots[i].key)
			table_seen(&sh->met, seen->slots[i].key & ~7ull, slot_level(&seen->slots[i]), 0);
}

/* Summarize the whole subtree at PE (a table entry of a walk of SH's),
 * walked as the walk would walk it, into a new slot. NULL when it cannot
 * be kept (memory, the bounds) or the walk stopped (W's error set,
 * *FAILED). */
static struct share_slot *share_record(struct walker *w, const struct phys_entry *pe,
				       uint64_t key, uint64_t attrs, uint64_t phase, bool *failed)
{
	struct walk_share *sh = w->wp->share;
	const struct paging *pg = w->pg;
	unsigned level = pe->level - 1;
	uint64_t lo = pe->va, hi = pe->va + ((1ull << pg->level_shift[pe->level]) - 1);

	if (sh->used >= SHARE_MAX || sh->bytes >= SHARE_BYTES ||
	    ((sh->used + 1) * 2 > sh->nslots && !share_grow(sh)))
		return NULL;
	struct walk_summary *s = walk_summary_new(SUMMARY_BUCKET_LIMIT);
	if (!s)
		return NULL;
	struct walk_params wp = *w->wp;
	struct summary_arg sa = { .s = s, .lo = lo, .hi = hi };
	wp.on_entry = summary_sink;
	wp.on_run = summary_run;
	wp.arg = &sa;
	wp.start = lo;
	wp.end = hi;
	wp.on_progress = NULL;
	wp.share = NULL;
	struct walk_stats stats;
	struct walker sub = {
		.wp = &wp, .pg = pg, .stats = &stats, .err = w->err, .memo = w->memo,
		.start = lo, .end = hi,
	};
	memset(&stats, 0, sizeof stats);
	int st = walker_alloc(&sub, 1u << 6, level);
	if (!st) {
		table_seen(&sub.seen, pe->d.pa, level, pe->va);
		st = walk_table(&sub, level, pe->d.pa, pe->raw, pe->va, lo, hi);
		if (st > 0) {
			/* Not in the image: the walk's own table entry says so. */
			st = 0;
			sub.seen.full = true;	/* nothing kept */
		}
		if (!st)
			st = fold_flush(&sub.fold);
	}
	uint64_t *tables = NULL;
	size_t n = 0;
	if (!st && !sub.seen.full) {
		tables = malloc(2 * sub.seen.used * sizeof *tables);
		for (size_t i = 0; tables && i < sub.seen.nslots; i++) {
			if (!sub.seen.slots[i].key)
				continue;
			tables[2 * n] = sub.seen.slots[i].key;
			tables[2 * n + 1] = sub.seen.slots[i].first_va - pe->va;
			n++;
		}
	}
	/* A partial gang ending at the subtree's end could run on into the
	 * next table (fold_flush()'s shifted gangs): not kept. */
	bool seen_full = sub.seen.full || sub.fold.prev_end_va == hi + 1;
	walker_free(&sub);
	if (st < 0)
		*failed = true;
	if (st || seen_full || !tables) {
		walk_summary_free(s);
		free(tables);
		return NULL;
	}
	struct share_slot *slot = share_find(sh, key, attrs, phase);
	*slot = (struct share_slot){ key, attrs, phase, s, stats, tables, n };
	sh->used++;
	sh->bytes += sizeof *s + (size_t)s->cap * sizeof s->b[0] + 16 * n;
	return slot;
}

/* A table entry PE over [LO, HI] of a walk with walk_params.share: its
 * subtree counted from the share when it can be. 1 when it was (the
 * caller goes on past it), 0 when it is to be walked, -1 on a stop. */
static int share_try(struct walker *w, const struct phys_entry *pe, uint64_t lo, uint64_t hi)
{
	struct walk_share *sh = w->wp->share;
	const struct paging *pg = w->pg;
	unsigned level = pe->level - 1;
	uint64_t span = 1ull << pg->level_shift[pe->level];

	unsigned gang_shift = pt_gang_span_shift(pg);
	/* Whole tables above the leaves, spanning whole gangs, nothing held
	 * in the fold nor a partial gang ending where the table begins. */
	if (!level || w->fold.n || w->wp->expand_aliases || w->wp->physical || lo != pe->va ||
	    hi - lo != span - 1 || lo < w->start || hi > w->end ||
	    (gang_shift < 64 && pg->level_shift[pe->level] < gang_shift) ||
	    (w->fold.prev_shifted && w->fold.prev_end_va == pe->va))
		return 0;
	uint64_t key = pe->d.pa | (level + 1);
	uint64_t attrs = pe->raw & ~pg->oa_raw_mask;
	uint64_t phase = gang_shift < 64 ? pe->va & ((1ull << gang_shift) - 1) : pe->va;
	struct share_slot *slot = share_find(sh, key, attrs, phase);
	if (!slot->key) {
		const struct table_slot *met = table_find(&sh->met, pe->d.pa);
		if (!met->key || slot_level(met) != level)
			return 0;
		bool failed = false;
		slot = share_record(w, pe, key, attrs, phase, &failed);
		if (failed)
			return -1;
		if (!slot)
			return 0;
	}
	/* The walk so far has met none of the subtree's tables (but its
	 * top, just recorded by the caller): they are new here as they
	 * were where the summary was made. */
	for (size_t i = 0; i < slot->ntables; i++) {
		uint64_t k = slot->tables[2 * i];
		if (k == key)
			continue;
		if (table_find(&w->seen, k & ~7ull)->key)
			return 0;
	}
	for (size_t i = 0; i < slot->ntables; i++) {
		uint64_t k = slot->tables[2 * i];
		if (k != key)
			table_seen(&w->seen, k & ~7ull, (unsigned)(k & 7) - 1, pe->va + slot->tables[2 * i + 1]);
	}
	for (unsigned l = 0; l < PT_MAX_LEVELS; l++)
		w->stats->tables[l] += slot->st.tables[l];
	w->stats->aliases += slot->st.aliases;
	w->stats->hugepds += slot->st.hugepds;
	w->stats->bytes_read += slot->st.bytes_read;
	return w->wp->on_summary(w->wp->arg, slot->s) ? -1 : 1;
}

/* A whole gang inside this table, checked straight from the table: the
 * fold's result for the common case without buffering the entries. */
static bool fast_gang(struct walker *w, const uint8_t *tab, uint64_t i,
		      const struct gang_spec *gs, const struct phys_entry *pe,
		      struct logical_entry *le)
{
	const struct paging *pg = w->pg;
	uint64_t raws[128];

	if (gs->n > 128)
		return false;
	for (unsigned j = 0; j < gs->n; j++) {
		raws[j] = load_entry(tab, (unsigned)i + j, pg->entry_size, pg->entry_big_endian);
		if (!raws[j])
			return false;
	}
	return fold_gang_whole(pg, gs, pe, raws, le);
}

/* A hugepd entry: the huge page's one entry lives in the directory it
 * points to. Returns 0, -1 on a stop. */
static int walk_hugepd(struct walker *w, struct phys_entry *pe, uint64_t lo, uint64_t hi)
{
	const struct paging *pg = w->pg;
	uint64_t dir = pe->d.pa;
	enum read_status st = pt_hugepd_entry(pg, w->wp->img, pe);
	uint64_t span = 1ull << pg->level_shift[pe->level];
	/* The directory's one cell, as a level-0 entry (pt_hugepd_entry()). */
	if (w->wp->on_step &&
	    report_step(w, 0, dir, 0, pe->va, st == READ_OK ? pe->raw : 0, st, true) < 0)
		return -1;
	uint64_t clo = pe->va > lo ? pe->va : lo;
	uint64_t chi = pe->va + span - 1 < hi ? pe->va + span - 1 : hi;

	if (st != READ_OK) {
		/* PE is still the PMD's entry: its directory is not there. */
		struct logical_entry le = {
			.va = clo, .size = chi - clo + 1, .level = pe->level, .form = FORM_TABLE,
			.count = 1, .slot_pa = pe->slot_pa, .raw = pe->raw,
			.anomalies = status_anomaly(st), .d = pe->d,
		};
		return fold_emit(&w->fold, &le);
	}
	w->stats->hugepds++;
	if (!pe->raw)
		return 0;
	return fold_push(&w->fold, pe);
}

static int walk_entries(struct walker *w, unsigned level, const uint8_t *tab,
			uint64_t table_pa, uint64_t parent_raw, uint64_t base_va,
			uint64_t lo, uint64_t hi)
{
	const struct paging *pg = w->pg;
	unsigned shift = pg->level_shift[level];
	unsigned esize = pg->entry_size;
	bool be = pg->entry_big_endian;
	uint64_t first = (lo - base_va) >> shift;
	uint64_t last = (hi - base_va) >> shift;
	uint64_t span = 1ull << shift;
	/* Entries of a leaf table differing only in their output address
	 * decode alike: decode once, then only swap the address in. Such an
	 * entry without the contiguous bit is a single logical entry of its
	 * own, built here from a template instead of through the fold. */
	uint64_t prev_attr = 0;
	bool have_prev = false, prev_single = false;
	struct phys_entry pe;
	struct logical_entry single = { .level = level, .form = FORM_SINGLE, .count = 1,
					.size = span };
	struct gang_spec gang;
	bool have_gang = false;
	int (*on_run)(void *, const struct logical_entry *, uint64_t) = w->wp->on_run;
	uint64_t run_n = 0;
	const uint64_t not_oa = ~pg->oa_raw_mask;
	/* Read once: the loop's stores (the fold) may alias the params. */
	const bool stepping = w->wp->on_step != NULL;

	for (uint64_t i = first; i <= last; i++) {
		uint64_t raw = load_entry(tab, (unsigned)i, esize, be);
		if (stepping) {
			int rs = report_step(w, level, table_pa, i, base_va + (i << shift), raw,
					     READ_OK, false);
			if (rs < 0)
				return -1;
			if (rs)
				continue;	/* noted whole: a uniform table */
		}
		if (!raw) {
			/* Empty slots, most of a sparse table: eight at a time
			 * while all eight are (a walk of thousands of processes
			 * reads pgds and puds of two slots each). */
			if (!stepping && esize == 8) {
				while (i + 8 <= last) {
					uint64_t q[8];
					memcpy(q, tab + (i + 1) * 8, sizeof q);
					if (q[0] | q[1] | q[2] | q[3] | q[4] | q[5] | q[6] | q[7])
						break;
					i += 8;
				}
			}
			continue;
		}
		uint64_t va = base_va + (i << shift);
		if (level == 0 && have_prev && (raw & not_oa) == prev_attr) {
			uint64_t pa = pg->oa_simple ? raw & pg->oa_raw_mask : pg->arch->oa(pg, raw);
			if (prev_single && !w->fold.n) {
				if (on_run) {
					/* Counting only: extend the run, and scan
					 * on while entries keep matching (empty
					 * slots between them map nothing). */
					if (!run_n++) {
						single.va = va;
						single.slot_pa = table_pa + i * esize;
						single.raw = raw;
						single.d.pa = pa;
					}
					if (esize == 8 && !be) {
						/* The common layout, without the
						 * per-entry size and order tests. */
						while (i < last) {
							uint64_t next;
							memcpy(&next, tab + (i + 1) * 8, 8);
							if (next && (next & not_oa) != prev_attr)
								break;
							run_n += next != 0;
							i++;
						}
					} else {
						while (i < last) {
							uint64_t next = load_entry(tab, (unsigned)i + 1, esize, be);
							if (next && (next & not_oa) != prev_attr)
								break;
							run_n += next != 0;
							i++;
						}
					}
					continue;
				}
				single.va = va;
				single.slot_pa = table_pa + i * esize;
				single.raw = raw;
				single.d.pa = pa;
				if (w->fold.sink(w->fold.arg, &single))
					return -1;
				continue;
			}
			pe.d.pa = pa;
		} else {
			if (run_n) {
				if (on_run(w->wp->arg, &single, run_n))
					return -1;
				run_n = 0;
			}
			pg->arch->decode(pg, level, raw, &pe.d);
			pe.level = level;
			pe.parent_raw = parent_raw;
			pe.raw = raw;
			have_prev = level == 0 && pe.d.kind == PTK_LEAF &&
				    !(pe.d.flags & PTF_PROTNONE) && !pe.d.anomalies;
			/* Whether the entry is in a gang depends on its
			 * attributes and its parent only: alike for all
			 * entries with these attributes in this table. */
			have_gang = pt_gang_of(pg, &pe, &gang);
			prev_single = have_prev && !have_gang;
			prev_attr = raw & ~pg->oa_raw_mask;
			single.d = pe.d;
		}
		if (run_n) {
			if (on_run(w->wp->arg, &single, run_n))
				return -1;
			run_n = 0;
		}
		pe.va = va;
		pe.slot_pa = table_pa + i * esize;
		pe.raw = raw;
		pe.parent_raw = parent_raw;
		pe.level = level;
		pe.index = (unsigned)i;
		if (pe.d.kind == PTK_HUGEPD) {
			have_prev = false;
			if (walk_hugepd(w, &pe, lo, hi))
				return -1;
			continue;
		}
		if (pe.d.kind != PTK_TABLE) {
			if (have_gang && !w->fold.n && !w->wp->physical &&
			    !((va >> shift) & (gang.n - 1)) && i + gang.n - 1 <= last) {
				struct logical_entry le;
				if (fast_gang(w, tab, i, &gang, &pe, &le)) {
					if (w->fold.sink(w->fold.arg, &le))
						return -1;
					i += gang.n - 1;
					w->fold.prev_shifted = false;
					continue;
				}
			}
			if (fold_push(&w->fold, &pe))
				return -1;
			continue;
		}

		uint64_t clo = pe.va > lo ? pe.va : lo;
		uint64_t chi = pe.va + span - 1;
		if (chi > hi)
			chi = hi;
		const struct table_slot *seen = table_seen(&w->seen, pe.d.pa, level - 1, pe.va);
		if (seen && slot_level(seen) == level - 1 && w->wp->expand_aliases) {
			/* --expand-aliases: walk the table again here. The
			 * descent stays bounded by the levels. */
			w->stats->aliases++;
			seen = NULL;
		}
		if (seen) {
			int rc;
			if (slot_level(seen) == level - 1) {
				/* Both halves of an 8xx 8M pair have their own
				 * table since 6.11; one shared page is the
				 * older hugepd. */
				w->stats->aliases++;
				const struct walk_summary *sum = NULL;
				if (w->wp->summarize_aliases) {
					sum = alias_summary(w, &pe, clo, chi);
					if (!sum)
						return -1;
				}
				rc = emit_table_entry(w, &pe, FORM_ALIAS,
						      pe.d.paired ? PTA_HUGEPD_UNEXPECTED : 0,
						      seen->first_va, clo, chi, sum);
			} else {
				rc = emit_table_entry(w, &pe, FORM_TABLE, PTA_TABLE_LOOP, 0, clo, chi, NULL);
			}
			if (rc)
				return -1;
			continue;
		}
		if (w->wp->share) {
			int sr = share_try(w, &pe, clo, chi);
			if (sr < 0)
				return -1;
			if (sr)
				continue;
		}
		int st = walk_table(w, level - 1, pe.d.pa, raw, pe.va, clo, chi);
		if (st < 0)
			return -1;
		if (st > 0 && emit_table_entry(w, &pe, FORM_TABLE,
					       status_anomaly((enum read_status)st), 0, clo, chi, NULL))
			return -1;
	}
	if (run_n && on_run(w->wp->arg, &single, run_n))
		return -1;
	/* A gang may go on in the next table (an 8xx 8M pair): the fold
	 * flushes when the next entry does not continue it. */
	return 0;
}

/* Name the tables the upper table TAB of LEVEL points to over [LO, HI],
 * in the order the walk will read them, for the image to read ahead. */
static void read_ahead(struct walker *w, unsigned level, const uint8_t *tab, uint64_t base_va,
		       uint64_t lo, uint64_t hi)
{
	const struct paging *pg = w->pg;
	unsigned shift = pg->level_shift[level];
	uint64_t last = (hi - base_va) >> shift;
	size_t n = 0;
	struct pt_decoded d;

	for (uint64_t i = (lo - base_va) >> shift; i <= last; i++) {
		uint64_t raw = load_entry(tab, (unsigned)i, pg->entry_size, pg->entry_big_endian);
		if (!raw)
			continue;
		pg->arch->decode(pg, level, raw, &d);
		if (d.kind == PTK_TABLE)
			w->ahead[n++] = d.pa;
	}
	image_prefetch(w->wp->img, w->ahead, n);
}

/* Walk the table at TABLE_PA of LEVEL whose slot 0 maps BASE_VA, over
 * [LO, HI]. Returns 0, -1 on a stop, or a read_status (> 0) when the
 * table is not in the image. */
static int walk_table(struct walker *w, unsigned level, uint64_t table_pa,
		      uint64_t parent_raw, uint64_t base_va, uint64_t lo, uint64_t hi)
{
	const struct paging *pg = w->pg;
	size_t bytes = (size_t)pg->entry_size << pg->level_bits[level];
	const uint8_t *tab;
	enum read_status st;

	if (level == 0) {
		/* Leaf tables are used in place; nothing reads the image
		 * until they are done. */
		st = image_peek(w->wp->img, table_pa, bytes, &tab);
		if (w->wp->on_progress)
			show_progress(w, lo);
	} else {
		/* Upper tables are copied: their children's reads may evict
		 * them from the image cache. */
		st = image_read(w->wp->img, table_pa, w->copy[level], bytes);
		tab = w->copy[level];
	}
	if (st != READ_OK) {
		if (w->wp->on_step &&
		    report_step(w, level, table_pa, (lo - base_va) >> pg->level_shift[level], lo, 0, st,
				false) < 0)
			return -1;
		return st;
	}
	w->stats->tables[level]++;
	w->stats->bytes_read += bytes;
	if (level && w->ahead)
		read_ahead(w, level, tab, base_va, lo, hi);
	return walk_entries(w, level, tab, table_pa, parent_raw, base_va, lo, hi);
}

/* Entries of a widened walk (see walk_tables()) that overlap the range
 * asked for; ARG is the caller's walk_params. */
static int range_filter(void *arg, const struct logical_entry *le)
{
	const struct walk_params *asked = arg;
	uint64_t end = le->va + (le->size - 1);
	if (end < asked->start || le->va > asked->end)
		return 0;
	/* A gang goes whole; a table entry covers only the range. */
	if ((le->form == FORM_ALIAS || le->form == FORM_TABLE) &&
	    (le->va < asked->start || end > asked->end)) {
		struct logical_entry c = *le;
		c.va = le->va > asked->start ? le->va : asked->start;
		c.size = (end < asked->end ? end : asked->end) - c.va + 1;
		return asked->on_entry(asked->arg, &c);
	}
	return asked->on_entry(asked->arg, le);
}

int walk_tables(const struct walk_params *asked, struct walk_stats *stats,
		struct pt_error *err)
{
	const struct paging *pg = asked->pg;
	const struct walk_params *wp = asked;
	struct walk_params widened;
	/* A range that cuts a gang would fold only the gang's slots inside
	 * it, and call a healthy gang partial. Walk whole gangs, up to the
	 * largest the arch has (its gang_span_shift), and pass on the
	 * entries that overlap it. Counting runs may reach outside it:
	 * those go one by one. */
	unsigned gang_shift = pt_gang_span_shift(pg);
	uint64_t gang_mask = gang_shift < 64 ? (1ull << gang_shift) - 1 : UINT64_MAX;
	if (wp->on_step) {
		/* A descent: the slots asked for, nothing counted in runs. */
		widened = *wp;
		widened.on_run = NULL;
		wp = &widened;
	} else if ((wp->start & gang_mask) || (~wp->end & gang_mask)) {
		widened = *wp;
		widened.start = wp->start & ~gang_mask;
		widened.end = wp->end | gang_mask;
		widened.on_entry = range_filter;
		widened.on_run = NULL;
		widened.arg = (void *)asked;
		wp = &widened;
	}
	struct walker w = {
		.wp = wp,
		.pg = pg,
		.stats = stats,
		.err = err,
		.start = asked->start,
		.end = asked->end,
	};
	struct va_half halves[2];
	unsigned nh = pt_va_halves(pg, halves);
	int rc = 0;

	memset(stats, 0, sizeof *stats);
	struct summary_memo memo = { 0 };
	/* A descent meets a table per level; a walk, thousands, and the set
	 * grows as they come (a walk per process, thousands of processes,
	 * must not start each with a large set). */
	rc = walker_alloc(&w, wp->on_step ? 16 : 1u << 8, pg->levels - 1);
	if (!rc && wp->summarize_aliases) {
		if (!memo_grow(&memo))
			rc = pt_oom(err, 64 * sizeof *memo.slots);
		w.memo = &memo;
	}

	for (unsigned h = 0; h < nh && rc == 0; h++) {
		uint64_t lo = halves[h].start > wp->start ? halves[h].start : wp->start;
		uint64_t hi = halves[h].end < wp->end ? halves[h].end : wp->end;
		if (lo > hi)
			continue;
		uint64_t root;
		const char *which;
		if (pg->arch->split_roots && halves[h].kernel) {
			if (!wp->have_kernel_root) {
				rc = pt_fail(err, PT_EXIT_IMAGE,
					     "no kernel root for addresses from 0x%llx (no swapper_pg_dir in VMCOREINFO)",
					     (unsigned long long)lo);
				break;
			}
			root = wp->kernel_root;
			which = "kernel root";
		} else if (pg->arch->split_roots || wp->have_user_root) {
			if (!wp->have_user_root) {
				rc = pt_fail(err, PT_EXIT_USAGE,
					     "addresses below 0x%llx need a user root: give --pgd",
					     (unsigned long long)hi + 1);
				break;
			}
			root = wp->user_root;
			which = "--pgd root";
		} else {
			if (!wp->have_kernel_root) {
				rc = pt_fail(err, PT_EXIT_IMAGE,
					     "no kernel root in VMCOREINFO: give --pgd");
				break;
			}
			root = wp->kernel_root;
			which = "kernel root";
		}
		unsigned top = pg->levels - 1;
		/* The address slot 0 of the top table maps. */
		uint64_t base = halves[h].base;
		table_seen(&w.seen, root, top, base);
		int st = walk_table(&w, top, root, 0, base, lo, hi);
		if (st > 0) {
			rc = pt_fail(err, PT_EXIT_IMAGE, "%s table at 0x%llx: %s",
				     which, (unsigned long long)root,
				     read_status_name((enum read_status)st));
		} else if (st < 0) {
			rc = -1;
		}
	}
	if (rc == 0)
		rc = fold_flush(&w.fold);
	if (rc == 0 && wp->share)
		share_note_walk(wp->share, &w.seen);
	if (w.progress_shown)
		wp->on_progress(wp->progress_arg, 0, 0, true);
	if (rc && !err->msg[0])
		pt_fail(err, PT_EXIT_OUTPUT, "walk stopped");
	walker_free(&w);
	memo_free(&memo);
	return rc;
}
