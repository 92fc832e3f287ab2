/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The diff engine: two streams of entries in, records out (see diff.h).
 *
 * Both sides stream their logical entries in VA order (diff_source.c);
 * one sweep pairs them. Entries with the same extent on both sides are
 * compared field by field. Where the extents differ, the overlapping
 * entries of both sides form a cluster, the smallest range on which both
 * sides' boundaries agree again, and the cluster is named by its shape:
 * one leaf become several (split, gang-broken), several become one
 * (folded), or several become several (remapped: only where entries are
 * not naturally aligned, as --merge's runs). A cluster is summarized by
 * counters, never held: memory stays constant whatever the sides hold.
 *
 * Neighbouring records that share one change (same kind, same fields
 * changed, same shape on each side, contiguous VA) merge into one range,
 * unless the options say not to. */
#include "config.h"

#include <string.h>
#include <strings.h>

#include "diff.h"

const char *const diff_change_names[DC_COUNT] = {
	"added", "removed", "changed", "moved", "split", "gang-broken",
	"folded", "remapped",
};

/* One side's stream, and with --merge its runs coalesced. */
struct diff_stream {
	struct diff_engine *r;
	int index;			/* 0: A, 1: B */
	const char *name;		/* in errors */
	struct diff_source *src;
	bool any;
	uint64_t prev_end;
	struct diff_entry acc;
	bool have_look;
	struct diff_entry look;
	bool raw_eof;
	/* The entry being compared, NULL at the end. */
	const struct diff_entry *cur;
	uint64_t entries;
};

struct diff_engine {
	const struct diff_options *opt;
	struct diff_stream a, b;
	struct diff_record held;
	bool pending;
	bool failed;
	diff_record_fn *on_record;
	void *arg;
	struct diff_result *res;
	struct pt_error *err;
};

/* ---- Comparing entries ---------------------------------------------------- */

static bool str_eq(const char *a, const char *b)
{
	return a == b || (a && b && !strcmp(a, b));
}

/* Fields compared for A and B: known on both sides and not ignored. */
static uint32_t comparable(const struct diff_options *cfg, const struct diff_entry *a,
			   const struct diff_entry *b)
{
	return cfg->compare & a->known & b->known;
}

static bool field_differs(const struct diff_options *cfg, enum diff_field f,
			  const struct diff_entry *a, const struct diff_entry *b)
{
	struct field_value x, y;
	diff_entry_get(a, f, &x);
	diff_entry_get(b, f, &y);
	/* Ignored flags (--ignore=young) do not count. */
	if (f == DF_FLAGS) {
		x.u &= cfg->flag_mask;
		y.u &= cfg->flag_mask;
	}
	return !field_value_equal(entry_fields[diff_field_entry[f]].type, &x, &y);
}

static uint32_t changed_fields(const struct diff_options *cfg, const struct diff_entry *a,
			       const struct diff_entry *b)
{
	/* Most pairs are equal entries of one walk's shape: settle those
	 * without the field loop (names compare by pointer here, which
	 * only ever errs towards the loop). */
	if (a->known == b->known && a->has == b->has && a->raw == b->raw && a->pa == b->pa &&
	    a->flags == b->flags && a->count == b->count && a->form == b->form &&
	    a->kind == b->kind && a->anomalies == b->anomalies && a->level == b->level &&
	    a->cache == b->cache && a->pkey == b->pkey && a->swap_kind == b->swap_kind &&
	    a->swap_type == b->swap_type && a->swap_offset == b->swap_offset &&
	    a->alias_of == b->alias_of && a->mapped == b->mapped &&
	    (a->slot == b->slot || !(cfg->compare & DF_BIT(DF_SLOT))))
		return 0;
	uint32_t cmp = comparable(cfg, a, b), out = 0;
	for (unsigned f = 0; f < DF_COUNT_ALL; f++) {
		if ((cmp & DF_BIT(f)) && field_differs(cfg, (enum diff_field)f, a, b))
			out |= DF_BIT(f);
	}
	return out;
}

/* Same shape: every compared field equal but the addresses (VA, PA,
 * raw value, slot, swap offset). */
static bool shape_eq(const struct diff_options *cfg, const struct diff_entry *a,
		     const struct diff_entry *b)
{
	static const uint32_t shape = DF_BIT(DF_LEVEL) | DF_BIT(DF_FORM) | DF_BIT(DF_COUNT) |
		DF_BIT(DF_KIND) | DF_BIT(DF_FLAGS) | DF_BIT(DF_CACHE) | DF_BIT(DF_PKEY) |
		DF_BIT(DF_ANOMALIES);
	if (a->size != b->size || a->known != b->known || a->has != b->has)
		return false;
	/* Aliases of one table, mapping as much, are alike (KASAN's
	 * shadow slots make one range). */
	if (a->form == FORM_ALIAS || b->form == FORM_ALIAS)
		return a->form == b->form && a->alias_of == b->alias_of &&
		       a->mapped == b->mapped && str_eq(a->level, b->level);
	uint32_t cmp = comparable(cfg, a, b) & shape;
	for (unsigned f = 0; f < DF_COUNT_ALL; f++) {
		if ((cmp & DF_BIT(f)) && field_differs(cfg, (enum diff_field)f, a, b))
			return false;
	}
	if ((cfg->compare & DF_BIT(DF_SWAP)) && (a->has & DF_BIT(DF_SWAP)) &&
	    (!str_eq(a->swap_kind, b->swap_kind) || a->swap_type != b->swap_type))
		return false;
	return true;
}

static bool pa_linear_with(const struct diff_entry *first, const struct diff_entry *e)
{
	return (first->has & e->has & DF_BIT(DF_PA)) && e->pa - first->pa == e->va - first->va;
}

static void rside_add(const struct diff_options *cfg, struct diff_rside *s, const struct diff_entry *e)
{
	if (!s->n) {
		s->first = *e;
		s->lo = e->va;
		s->uniform = s->flags_uniform = true;
		s->linear = (e->has & DF_BIT(DF_PA)) != 0;
	} else {
		s->uniform = s->uniform && shape_eq(cfg, &s->first, e);
		s->flags_uniform = s->flags_uniform &&
			!((s->first.flags ^ e->flags) & cfg->flag_mask & ~PTF_CONT);
		s->linear = s->linear && pa_linear_with(&s->first, e);
	}
	s->hi = diff_entry_end(e);
	s->n++;
	s->bytes += e->size;
	s->mapped += e->mapped;
	s->mapped_unknown |= !(e->has & DF_BIT(DF_MAPPED));
	s->aliases += (e->has & DF_BIT(DF_FORM)) && e->form == FORM_ALIAS;
	if (e->known & DF_BIT(DF_FORM))
		s->form_bytes[e->form] += e->size;
}

/* Can side Y continue side X in one merged record? */
static bool rside_continues(const struct diff_options *cfg, const struct diff_rside *x,
			    const struct diff_rside *y)
{
	if (!x->n || !y->n)
		return !x->n && !y->n;
	return x->uniform && y->uniform && shape_eq(cfg, &x->first, &y->first);
}

static void rside_merge(struct diff_rside *x, const struct diff_rside *y)
{
	if (!y->n)
		return;
	x->linear = x->linear && y->linear && pa_linear_with(&x->first, &y->first);
	x->flags_uniform = x->flags_uniform && y->flags_uniform;
	x->n += y->n;
	x->bytes += y->bytes;
	x->mapped += y->mapped;
	x->mapped_unknown |= y->mapped_unknown;
	x->aliases += y->aliases;
	x->hi = y->hi;
	for (unsigned f = 0; f < FORM_COUNT; f++)
		x->form_bytes[f] += y->form_bytes[f];
}

/* ---- Streams ------------------------------------------------------------ */

/* The next entry of the stream itself, checked for VA order. An error
 * ends the comparison: the first is the one reported. */
static const struct diff_entry *side_raw_next(struct diff_stream *s)
{
	struct diff_engine *r = s->r;
	const struct diff_entry *e;
	if (r->failed)
		return NULL;
	int rc = diff_source_next(s->src, &e, r->err);
	if (rc < 0) {
		if (!r->err->exit_code)
			r->err->exit_code = PT_EXIT_IMAGE;
		r->failed = true;
		r->res->failed_side = s->index;
		return NULL;
	}
	if (rc == 0)
		return NULL;
	if (s->any && e->va <= s->prev_end) {
		pt_fail(r->err, PT_EXIT_IMAGE, "%s: entries not in VA order: 0x%llx after an entry "
			"ending at 0x%llx", s->name, (unsigned long long)e->va,
			(unsigned long long)s->prev_end);
		r->failed = true;
		r->res->failed_side = s->index;
		return NULL;
	}
	s->any = true;
	/* Compared fields this side's input does not hold (a saved walk
	 * without some columns): said once the comparison ends. */
	r->res->unknown[s->index] |= r->opt->compare & ~e->known;
	s->prev_end = diff_entry_end(e);
	return e;
}

static void side_advance(const struct diff_options *cfg, struct diff_stream *s)
{
	if (!cfg->coalesce) {
		s->cur = side_raw_next(s);
		if (s->cur)
			s->entries++;
		return;
	}
	const struct diff_entry *e;
	if (s->have_look) {
		s->acc = s->look;
		s->have_look = false;
	} else if (s->raw_eof || !(e = side_raw_next(s))) {
		s->raw_eof = true;
		s->cur = NULL;
		return;
	} else {
		s->acc = *e;
	}
	while ((e = side_raw_next(s))) {
		if (!diff_entry_extends(&s->acc, e)) {
			s->look = *e;
			s->have_look = true;
			break;
		}
		s->acc.size += e->size;
		s->acc.count += e->count;
		s->acc.mapped += e->mapped;
	}
	if (!e)
		s->raw_eof = true;
	s->cur = &s->acc;
	s->entries++;
}

/* ---- Records in, merged, out -------------------------------------------- */

static void emit(struct diff_engine *r, const struct diff_record *rec)
{
	struct diff_change_sum *cs = &r->res->sum[rec->kind];
	const struct diff_rside *by = rec->kind == DC_ADDED ? &rec->b : &rec->a;
	r->res->records++;
	cs->ranges++;
	cs->bytes += rec->end - rec->va + 1;
	cs->a_entries += rec->a.n;
	cs->b_entries += rec->b.n;
	cs->a_mapped += rec->a.mapped;
	cs->b_mapped += rec->b.mapped;
	cs->a_unknown |= rec->a.mapped_unknown;
	cs->b_unknown |= rec->b.mapped_unknown;
	cs->aliases += rec->a.aliases + rec->b.aliases;
	for (unsigned f = 0; f < FORM_COUNT; f++)
		cs->form_bytes[f] += by->form_bytes[f];
	if (r->failed || !r->on_record)
		return;
	if (r->on_record(r->arg, rec)) {
		if (!r->err->msg[0])
			pt_fail(r->err, PT_EXIT_INTERNAL, "the record callback stopped the comparison");
		r->failed = true;
	}
}

static bool record_continues(const struct diff_options *cfg, const struct diff_record *h,
			     const struct diff_record *n)
{
	return h->kind == n->kind && h->end != UINT64_MAX && n->va == h->end + 1 &&
	       h->fields == n->fields && h->pa_kept == n->pa_kept &&
	       h->flags_kept == n->flags_kept && rside_continues(cfg, &h->a, &n->a) &&
	       rside_continues(cfg, &h->b, &n->b);
}

static void submit(struct diff_engine *r, const struct diff_record *rec)
{
	if (!r->opt->merge_records) {
		emit(r, rec);
		return;
	}
	if (r->pending && record_continues(r->opt, &r->held, rec)) {
		r->held.end = rec->end;
		rside_merge(&r->held.a, &rec->a);
		rside_merge(&r->held.b, &rec->b);
		return;
	}
	if (r->pending)
		emit(r, &r->held);
	r->held = *rec;
	r->pending = true;
}

static void flush(struct diff_engine *r)
{
	if (r->pending) {
		emit(r, &r->held);
		r->pending = false;
	}
}

static void record_init(struct diff_record *rec, enum diff_change kind)
{
	memset(rec, 0, sizeof *rec);
	rec->kind = kind;
	rec->pa_kept = rec->flags_kept = -1;
}

static void one_side(struct diff_engine *r, enum diff_change kind, const struct diff_entry *e)
{
	struct diff_record rec;
	record_init(&rec, kind);
	rec.va = e->va;
	rec.end = diff_entry_end(e);
	rside_add(r->opt, kind == DC_ADDED ? &rec.b : &rec.a, e);
	submit(r, &rec);
}

static void pair(struct diff_engine *r, const struct diff_entry *a, const struct diff_entry *b)
{
	static const uint32_t move = DF_BIT(DF_PA) | DF_BIT(DF_RAW);
	uint32_t f = changed_fields(r->opt, a, b);
	if (!f)
		return;
	struct diff_record rec;
	record_init(&rec, (f & DF_BIT(DF_PA)) && !(f & ~move) ? DC_MOVED : DC_CHANGED);
	rec.va = a->va;
	rec.end = diff_entry_end(a);
	rec.fields = f;
	rside_add(r->opt, &rec.a, a);
	rside_add(r->opt, &rec.b, b);
	submit(r, &rec);
}

/* The entries of both sides overlapping without shared boundaries, up to
 * where the boundaries agree again. */
static void cluster(struct diff_engine *r)
{
	struct diff_stream *A = &r->a, *B = &r->b;
	struct diff_record rec;
	record_init(&rec, DC_REMAPPED);
	rec.va = A->cur->va < B->cur->va ? A->cur->va : B->cur->va;
	rec.end = diff_entry_end(A->cur) > diff_entry_end(B->cur) ? diff_entry_end(A->cur)
								     : diff_entry_end(B->cur);
	rside_add(r->opt, &rec.a, A->cur);
	rside_add(r->opt, &rec.b, B->cur);
	side_advance(r->opt, A);
	side_advance(r->opt, B);
	for (bool grew = true; grew && !r->failed;) {
		grew = false;
		if (A->cur && A->cur->va <= rec.end) {
			rside_add(r->opt, &rec.a, A->cur);
			if (diff_entry_end(A->cur) > rec.end)
				rec.end = diff_entry_end(A->cur);
			side_advance(r->opt, A);
			grew = true;
		}
		if (B->cur && B->cur->va <= rec.end) {
			rside_add(r->opt, &rec.b, B->cur);
			if (diff_entry_end(B->cur) > rec.end)
				rec.end = diff_entry_end(B->cur);
			side_advance(r->opt, B);
			grew = true;
		}
	}
	if (r->failed)
		return;
	const struct diff_rside *a = &rec.a, *b = &rec.b;
	if (a->n == 1 && b->lo >= a->lo && b->hi <= a->hi)
		rec.kind = pt_form_is_gang(a->first.form) ? DC_GANG_BROKEN : DC_SPLIT;
	else if (b->n == 1 && a->lo >= b->lo && a->hi <= b->hi)
		rec.kind = DC_FOLDED;
	if ((r->opt->compare & DF_BIT(DF_PA)) && (a->first.has & b->first.has & DF_BIT(DF_PA)))
		rec.pa_kept = a->linear && b->linear &&
			      a->first.pa - a->first.va == b->first.pa - b->first.va;
	if ((r->opt->compare & a->first.known & b->first.known & DF_BIT(DF_FLAGS)))
		rec.flags_kept = a->flags_uniform && b->flags_uniform &&
				 !((a->first.flags ^ b->first.flags) & r->opt->flag_mask & ~PTF_CONT);
	submit(r, &rec);
}

static void diff_sweep(struct diff_engine *r)
{
	struct diff_stream *A = &r->a, *B = &r->b;
	side_advance(r->opt, A);
	side_advance(r->opt, B);
	while ((A->cur || B->cur) && !r->failed) {
		if (A->cur && B->cur && A->cur->va <= diff_entry_end(B->cur) &&
		    B->cur->va <= diff_entry_end(A->cur)) {
			if (A->cur->va == B->cur->va && A->cur->size == B->cur->size) {
				pair(r, A->cur, B->cur);
				side_advance(r->opt, A);
				side_advance(r->opt, B);
			} else {
				cluster(r);
			}
		} else if (A->cur && (!B->cur || A->cur->va < B->cur->va)) {
			one_side(r, DC_REMOVED, A->cur);
			side_advance(r->opt, A);
		} else {
			one_side(r, DC_ADDED, B->cur);
			side_advance(r->opt, B);
		}
	}
	if (!r->failed)
		flush(r);
}


void diff_options_init(struct diff_options *o)
{
	memset(o, 0, sizeof *o);
	o->compare = DF_ALL & ~DF_BIT(DF_SLOT);
	o->flag_mask = (1u << PTF_COUNT) - 1;
	o->merge_records = true;
}

int diff_options_ignore(struct diff_options *o, const char *list, char *bad, size_t badsz)
{
	for (const char *tok = list; *tok;) {
		size_t n = strcspn(tok, ",");
		char name[64];
		snprintf(name, sizeof name, "%.*s", (int)(n < sizeof name ? n : sizeof name - 1), tok);
		tok += n + (tok[n] == ',');
		if (!*name)
			continue;
		const char *field = strcasecmp(name, "pfn") ? name : "pa";
		unsigned i;
		for (i = 0; i < DF_COUNT_ALL && strcasecmp(field, diff_field_names[i]); i++)
			;
		if (i < DF_COUNT_ALL) {
			o->compare &= ~DF_BIT(i);
			continue;
		}
		for (i = 0; i < PTF_COUNT && strcasecmp(name, pt_flag_names[i]); i++)
			;
		if (i < PTF_COUNT) {
			o->flag_mask &= ~(1u << i);
			continue;
		}
		for (char *c = name; *c; c++) {
			if (*c < 0x20 || *c >= 0x7f)
				*c = '?';
		}
		snprintf(bad, badsz, "%s", name);
		return -1;
	}
	return 0;
}

int diff_compare(const struct diff_options *opt, struct diff_source *a, const char *a_name,
		 struct diff_source *b, const char *b_name, diff_record_fn *on_record, void *arg,
		 struct diff_result *res, struct pt_error *err)
{
	/* On the stack: a few records and entries, whatever the sides hold. */
	struct diff_engine r = {
		.opt = opt,
		.a = { .index = 0, .name = a_name, .src = a },
		.b = { .index = 1, .name = b_name, .src = b },
		.on_record = on_record,
		.arg = arg,
		.res = res,
		.err = err,
	};
	r.a.r = r.b.r = &r;
	memset(res, 0, sizeof *res);
	res->failed_side = -1;
	diff_sweep(&r);
	res->a_entries = r.a.entries;
	res->b_entries = r.b.entries;
	return r.failed ? -1 : 0;
}
