/* SPDX-License-Identifier: GPL-2.0-or-later */
/* `ptwalk diff A B': a semantic diff of two walks.
 *
 * Both sides stream their logical entries in VA order (diff_source.c);
 * one sweep pairs them. Entries with the same extent on both sides are
 * compared field by field. Where the extents differ, the overlapping
 * entries of both sides form a cluster, the smallest range on which both
 * sides' boundaries agree again, and the cluster is named by its shape:
 * one leaf become several (split, gang-broken), several become one
 * (folded), or several become several (remapped: only where entries are
 * not naturally aligned, as --merge's runs). A cluster is summarized by counters, never
 * held: memory stays constant whatever the sides hold.
 *
 * Neighbouring records that share one change (same kind, same fields
 * changed, same shape on each side, contiguous VA) merge into one range,
 * unless --no-merge. Output formats are an interface: man/ptwalk.1. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "diff.h"
#include "entry_out.h"
#include "field_out.h"
#include "output.h"
#include "walk_cli.h"
#include "xalloc.h"

/* ---- Records ------------------------------------------------------------ */

enum change {
	CH_ADDED, CH_REMOVED, CH_CHANGED, CH_MOVED, CH_SPLIT, CH_GANG_BROKEN,
	CH_FOLDED, CH_REMAPPED, CH_COUNT
};
static const char *const change_names[CH_COUNT] = {
	"added", "removed", "changed", "moved", "split", "gang-broken",
	"folded", "remapped",
};

struct diff_cfg {
	uint32_t compare;	/* DF_BIT of the fields compared */
	uint32_t flag_mask;	/* the flags compared */
	bool merge_records;	/* not --no-merge */
	bool coalesce;		/* --merge: each side's runs as walk --merge */
	bool json;
	bool headings;
};

/* One side of a record: the entries it covers, summarized. */
struct rside {
	uint64_t n, bytes;
	uint64_t mapped;		/* what the entries map (diff_entry.mapped) */
	uint64_t aliases;		/* alias entries among them */
	bool mapped_unknown;		/* some entry's is not known */
	struct diff_entry first;
	uint64_t lo, hi;		/* first VA, last byte */
	bool uniform;			/* every entry shaped as the first */
	bool flags_uniform;		/* every entry with the first's flags */
	bool linear;			/* PA - VA the same for every entry */
	uint64_t form_bytes[FORM_COUNT];
};

struct record {
	enum change kind;
	uint64_t va, end;		/* inclusive */
	uint32_t fields;		/* changed, moved: what differs */
	int pa_kept, flags_kept;	/* clusters: 1, 0, or -1 not known */
	struct rside a, b;
};

struct change_sum {
	uint64_t ranges, bytes, a_entries, b_entries;
	/* What the entries on each side map: differs from the bytes where
	 * aliases (or table entries) take part. */
	uint64_t a_mapped, b_mapped, aliases;
	bool a_unknown, b_unknown;
	uint64_t form_bytes[FORM_COUNT];
};

static bool str_eq(const char *a, const char *b)
{
	return a == b || (a && b && !strcmp(a, b));
}

/* Fields compared for A and B: known on both sides and not ignored. */
static uint32_t comparable(const struct diff_cfg *cfg, const struct diff_entry *a,
			   const struct diff_entry *b)
{
	return cfg->compare & a->known & b->known;
}

static bool field_differs(const struct diff_cfg *cfg, enum diff_field f,
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

static uint32_t changed_fields(const struct diff_cfg *cfg, const struct diff_entry *a,
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
static bool shape_eq(const struct diff_cfg *cfg, const struct diff_entry *a,
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

static void rside_add(const struct diff_cfg *cfg, struct rside *s, const struct diff_entry *e)
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
static bool rside_continues(const struct diff_cfg *cfg, const struct rside *x,
			    const struct rside *y)
{
	if (!x->n || !y->n)
		return !x->n && !y->n;
	return x->uniform && y->uniform && shape_eq(cfg, &x->first, &y->first);
}

static void rside_merge(struct rside *x, const struct rside *y)
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

/* ---- Sides -------------------------------------------------------------- */

struct diff_side {
	char name;			/* 'a' or 'b' */
	const char *path;
	struct walk_cli w;
	bool json;
	FILE *json_file;
	struct image *img;
	struct paging pg;
	struct diff_source *src;
	char desc[160];
	/* The stream, checked for VA order. */
	const struct diff_entry *raw;
	bool any;
	uint64_t prev_end;
	/* --merge: entries coalesced as walk --merge does. */
	struct diff_entry acc;
	bool have_look;
	struct diff_entry look;
	bool raw_eof;
	/* The entry being compared, NULL at the end. */
	const struct diff_entry *cur;
	uint64_t entries;
	int fail_rc;			/* exit code of an error that ended it */
	struct walk_params wp;		/* an image's walk, until it starts */
	struct diff_side *peer;		/* the other side */
};

/* The next entry of the stream itself. An error is reported here and
 * ends the stream; the sweep stops at it (see diff_failed()). */
static const struct diff_entry *side_raw_next(struct diff_side *s)
{
	const struct diff_entry *e;
	struct pt_error err = { .exit_code = PT_EXIT_IMAGE };
	/* One error is reported, the first: the sweep stops there. */
	if (s->fail_rc || s->peer->fail_rc)
		return NULL;
	int rc = diff_source_next(s->src, &e, &err);
	if (rc < 0) {
		if (s->json)
			fprintf(stderr, "%s: %s\n", pt_progname, err.msg);
		else
			walk_cli_error(s->img, &err);
		s->fail_rc = err.exit_code ? err.exit_code : PT_EXIT_IMAGE;
		return NULL;
	}
	if (rc == 0)
		return NULL;
	if (s->any && e->va <= s->prev_end) {
		fprintf(stderr, "%s: %s: entries not in VA order: 0x%llx after an entry ending at 0x%llx\n",
			pt_progname, s->path, (unsigned long long)e->va, (unsigned long long)s->prev_end);
		s->fail_rc = PT_EXIT_IMAGE;
		return NULL;
	}
	s->any = true;
	s->prev_end = diff_entry_end(e);
	return e;
}

static void side_advance(const struct diff_cfg *cfg, struct diff_side *s)
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

/* ---- Output ------------------------------------------------------------- */

struct diff_run {
	struct diff_cfg cfg;
	struct diff_side *a, *b;
	struct record held;
	bool pending;
	bool header_done;
	uint64_t records;
	struct change_sum sum[CH_COUNT];
};

static void hex16(char *buf, uint64_t v)
{
	sprintf(buf, "0x%016llx", (unsigned long long)v);
}

/* Append to a line buffer, never past its end. */
struct line {
	char buf[2048];
	size_t n;
};

static void put(struct line *l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(struct line *l, const char *fmt, ...)
{
	va_list ap;
	if (l->n >= sizeof l->buf - 1)
		return;
	va_start(ap, fmt);
	int w = vsnprintf(l->buf + l->n, sizeof l->buf - l->n, fmt, ap);
	va_end(ap);
	if (w > 0)
		l->n += (size_t)w < sizeof l->buf - l->n ? (size_t)w : sizeof l->buf - l->n - 1;
}

static void put_flag_names(struct line *l, uint32_t flags, const char *sign)
{
	for (unsigned i = 0; i < PTF_COUNT; i++) {
		if (flags & (1u << i))
			put(l, " %s%s", sign, pt_flag_names[i]);
	}
}

/* The flag string, ignored flags shown as '-'. */
static void put_flag_string(struct line *l, const struct diff_cfg *cfg, uint32_t flags)
{
	char buf[32];
	format_flags(buf, flags & cfg->flag_mask);
	put(l, "%s", buf);
}

static void put_pa(struct line *l, const struct rside *s)
{
	if (!(s->first.has & DF_BIT(DF_PA)))
		put(l, "-");
	else
		put(l, "0x%llx%s", (unsigned long long)s->first.pa, s->n > 1 && !s->linear ? "..." : "");
}

/* "N x LEVEL FORM SIZE": what a side's entries are. */
static void put_shape(struct line *l, const struct rside *s)
{
	char size[24];
	format_size(size, sizeof size, s->first.size);
	if (s->n > 1)
		put(l, "%llu x ", (unsigned long long)s->n);
	if (s->first.known & DF_BIT(DF_LEVEL))
		put(l, "%s ", s->first.level);
	if (s->first.known & DF_BIT(DF_FORM))
		put(l, "%s ", pt_form_names[s->first.form]);
	put(l, "%s", size);
	if ((s->first.known & DF_BIT(DF_KIND)) && s->first.kind != PTK_LEAF)
		put(l, " %s", pt_kind_names[s->first.kind]);
	if (!s->uniform)
		put(l, " (mixed)");
}

/* A side in full: shape, PA, flags, cache, swap, anomalies. */
static void put_side(struct line *l, const struct diff_cfg *cfg, const struct rside *s)
{
	const struct diff_entry *e = &s->first;
	uint32_t show = e->has & cfg->compare;
	put_shape(l, s);
	if (show & DF_BIT(DF_PA)) {
		put(l, " pa ");
		put_pa(l, s);
	}
	if (e->known & cfg->compare & DF_BIT(DF_FLAGS)) {
		put(l, " ");
		put_flag_string(l, cfg, e->flags);
		if (!s->flags_uniform)
			put(l, "*");
	}
	if (show & DF_BIT(DF_CACHE))
		put(l, " %s", e->cache);
	if (show & DF_BIT(DF_SWAP))
		put(l, " %s:%u:0x%llx", e->swap_kind, e->swap_type,
		    (unsigned long long)e->swap_offset);
	if (show & DF_BIT(DF_ALIAS_OF)) {
		put(l, " alias of 0x%016llx", (unsigned long long)e->alias_of);
		if ((e->known & cfg->compare & DF_BIT(DF_MAPPED)) && (e->has & DF_BIT(DF_MAPPED))) {
			char size[24];
			format_size(size, sizeof size, e->mapped);
			put(l, " mapping %s", size);
		}
	}
	if (e->anomalies && (show & DF_BIT(DF_ANOMALIES))) {
		char an[256];
		format_anomalies(an, sizeof an, e->anomalies);
		put(l, " !%s", an);
	}
}

static void put_field_value(struct line *l, const struct diff_cfg *cfg, enum diff_field f,
			    const struct rside *s)
{
	const struct diff_entry *e = &s->first;
	if (!(e->has & DF_BIT(f))) {
		put(l, "-");
		return;
	}
	switch (f) {
	case DF_LEVEL: put(l, "%s", e->level); break;
	case DF_FORM: put(l, "%s", pt_form_names[e->form]); break;
	case DF_COUNT: put(l, "%llu", (unsigned long long)e->count); break;
	case DF_KIND: put(l, "%s", pt_kind_names[e->kind]); break;
	case DF_PA: put_pa(l, s); break;
	case DF_FLAGS: put_flag_string(l, cfg, e->flags); break;
	case DF_CACHE: put(l, "%s", e->cache); break;
	case DF_PKEY: put(l, "%u", e->pkey); break;
	case DF_SWAP:
		put(l, "%s:%u:0x%llx", e->swap_kind, e->swap_type, (unsigned long long)e->swap_offset);
		break;
	case DF_RAW: put(l, "0x%016llx", (unsigned long long)e->raw); break;
	case DF_SLOT: put(l, "0x%016llx", (unsigned long long)e->slot); break;
	case DF_ANOMALIES:
		if (!e->anomalies) {
			put(l, "-");
		} else {
			char an[256];
			format_anomalies(an, sizeof an, e->anomalies);
			put(l, "%s", an);
		}
		break;
	case DF_ALIAS_OF: put(l, "0x%016llx", (unsigned long long)e->alias_of); break;
	case DF_MAPPED: {
		char size[24];
		format_size(size, sizeof size, e->mapped);
		put(l, "%s", size);
		break;
	}
	default: break;
	}
}

static void text_header(struct diff_run *r)
{
	if (r->header_done)
		return;
	r->header_done = true;
	if (!r->cfg.headings)
		return;
	out_printf("--- %s (%s)\n+++ %s (%s)\n", r->a->path, r->a->desc, r->b->path, r->b->desc);
}

static void text_record(struct diff_run *r, const struct record *rec)
{
	static const char marks[CH_COUNT] = { '+', '-', '~', '~', '~', '~', '~', '~' };
	struct line l = { .n = 0 };
	char va[24], end[24], size[24];
	hex16(va, rec->va);
	hex16(end, rec->end);
	format_size(size, sizeof size, rec->end - rec->va + 1);
	put(&l, "%c %s-%s %6s %-11s ", marks[rec->kind], va, end, size, change_names[rec->kind]);
	switch (rec->kind) {
	case CH_ADDED:
		put_side(&l, &r->cfg, &rec->b);
		break;
	case CH_REMOVED:
		put_side(&l, &r->cfg, &rec->a);
		break;
	case CH_CHANGED:
	case CH_MOVED: {
		if (rec->fields & DF_BIT(DF_KIND)) {
			/* Another kind of entry (a page swapped out): both
			 * in full say more than a field list. */
			put_side(&l, &r->cfg, &rec->a);
			put(&l, " -> ");
			put_side(&l, &r->cfg, &rec->b);
			break;
		}
		put_shape(&l, &rec->a);
		const char *sep = ":";
		for (unsigned f = 0; f < DF_COUNT_ALL; f++) {
			if (!(rec->fields & DF_BIT(f)))
				continue;
			put(&l, "%s %s ", sep, diff_field_names[f]);
			sep = ";";
			if (f == DF_FLAGS && (rec->a.first.has & rec->b.first.has & DF_BIT(DF_FLAGS))) {
				/* The flags that went and came, by name. */
				uint32_t a = rec->a.first.flags & r->cfg.flag_mask;
				uint32_t b = rec->b.first.flags & r->cfg.flag_mask;
				put_flag_string(&l, &r->cfg, rec->a.first.flags);
				put(&l, " -> ");
				put_flag_string(&l, &r->cfg, rec->b.first.flags);
				put(&l, " (");
				struct line d = { .n = 0 };
				put_flag_names(&d, a & ~b, "-");
				put_flag_names(&d, b & ~a, "+");
				put(&l, "%s)", d.buf + 1);
				continue;
			}
			put_field_value(&l, &r->cfg, (enum diff_field)f, &rec->a);
			put(&l, " -> ");
			put_field_value(&l, &r->cfg, (enum diff_field)f, &rec->b);
		}
		break;
	}
	default:
		put_side(&l, &r->cfg, &rec->a);
		put(&l, " -> ");
		put_side(&l, &r->cfg, &rec->b);
		if (rec->pa_kept >= 0)
			put(&l, "; %s", rec->pa_kept ? "same pa" : "pa changed");
		if (rec->flags_kept >= 0)
			put(&l, "; %s", rec->flags_kept ? "same flags" : "flags changed");
		break;
	}
	put(&l, "\n");
	text_header(r);
	out_write(l.buf, l.n);
}

/* ---- JSON output -------------------------------------------------------- */

/* An entry as walk --format=json writes it: the fields the input knew. */
static void json_entry(const struct diff_entry *e)
{
	char buf[FIELD_OUT_MAX + 64], *p = buf;
	p = put_str(p, "{\"va\":\"");
	p = put_hex(p, e->va);
	p = put_str(p, "\",\"end\":\"");
	p = put_hex(p, diff_entry_end(e));
	p = put_str(p, "\",\"size\":");
	p = put_dec(p, e->size);
	out_write(buf, (size_t)(p - buf));
	for (unsigned f = 0; f < DF_COUNT_ALL; f++) {
		const struct pt_field *fd = &entry_fields[diff_field_entry[f]];
		struct field_value v;
		if (!(e->known & DF_BIT(f)))
			continue;
		diff_entry_get(e, (enum diff_field)f, &v);
		p = buf;
		*p++ = ',';
		*p++ = '"';
		p = put_str(p, fd->name);
		*p++ = '"';
		*p++ = ':';
		p = field_json(p, fd, &v);
		out_write(buf, (size_t)(p - buf));
	}
	out_write("}", 1);
}

static void json_side(const struct rside *s)
{
	if (!s->n) {
		out_printf("null");
		return;
	}
	out_printf("{\"entries\":%llu,\"bytes\":%llu,\"uniform\":%s,\"linear\":%s,\"first\":",
		   (unsigned long long)s->n, (unsigned long long)s->bytes,
		   s->uniform ? "true" : "false", s->linear ? "true" : "false");
	json_entry(&s->first);
	out_printf("}");
}

static const char *json_tristate(int v)
{
	return v < 0 ? "null" : v ? "true" : "false";
}

static void json_record(const struct record *rec)
{
	out_printf("{\"change\":\"%s\",\"va\":\"0x%llx\",\"end\":\"0x%llx\",\"size\":%llu,\"fields\":",
		   change_names[rec->kind], (unsigned long long)rec->va,
		   (unsigned long long)rec->end, (unsigned long long)(rec->end - rec->va + 1));
	out_json_names(rec->fields, diff_field_names, DF_COUNT_ALL);
	out_printf(",\"pa_kept\":%s,\"flags_kept\":%s,\"a\":", json_tristate(rec->pa_kept),
		   json_tristate(rec->flags_kept));
	json_side(&rec->a);
	out_printf(",\"b\":");
	json_side(&rec->b);
	out_printf("}\n");
}

/* ---- Records in, merged, out -------------------------------------------- */

static void emit(struct diff_run *r, const struct record *rec)
{
	struct change_sum *cs = &r->sum[rec->kind];
	const struct rside *by = rec->kind == CH_ADDED ? &rec->b : &rec->a;
	r->records++;
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
	if (r->cfg.json)
		json_record(rec);
	else
		text_record(r, rec);
}

static bool record_continues(const struct diff_cfg *cfg, const struct record *h,
			     const struct record *n)
{
	return h->kind == n->kind && h->end != UINT64_MAX && n->va == h->end + 1 &&
	       h->fields == n->fields && h->pa_kept == n->pa_kept &&
	       h->flags_kept == n->flags_kept && rside_continues(cfg, &h->a, &n->a) &&
	       rside_continues(cfg, &h->b, &n->b);
}

static void submit(struct diff_run *r, const struct record *rec)
{
	if (!r->cfg.merge_records) {
		emit(r, rec);
		return;
	}
	if (r->pending && record_continues(&r->cfg, &r->held, rec)) {
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

static void flush(struct diff_run *r)
{
	if (r->pending) {
		emit(r, &r->held);
		r->pending = false;
	}
}

static void record_init(struct record *rec, enum change kind)
{
	memset(rec, 0, sizeof *rec);
	rec->kind = kind;
	rec->pa_kept = rec->flags_kept = -1;
}

static void one_side(struct diff_run *r, enum change kind, const struct diff_entry *e)
{
	struct record rec;
	record_init(&rec, kind);
	rec.va = e->va;
	rec.end = diff_entry_end(e);
	rside_add(&r->cfg, kind == CH_ADDED ? &rec.b : &rec.a, e);
	submit(r, &rec);
}

static void pair(struct diff_run *r, const struct diff_entry *a, const struct diff_entry *b)
{
	static const uint32_t move = DF_BIT(DF_PA) | DF_BIT(DF_RAW);
	uint32_t f = changed_fields(&r->cfg, a, b);
	if (!f)
		return;
	struct record rec;
	record_init(&rec, (f & DF_BIT(DF_PA)) && !(f & ~move) ? CH_MOVED : CH_CHANGED);
	rec.va = a->va;
	rec.end = diff_entry_end(a);
	rec.fields = f;
	rside_add(&r->cfg, &rec.a, a);
	rside_add(&r->cfg, &rec.b, b);
	submit(r, &rec);
}

/* The entries of both sides overlapping without shared boundaries, up to
 * where the boundaries agree again. */
static void cluster(struct diff_run *r)
{
	struct diff_side *A = r->a, *B = r->b;
	struct record rec;
	record_init(&rec, CH_REMAPPED);
	rec.va = A->cur->va < B->cur->va ? A->cur->va : B->cur->va;
	rec.end = diff_entry_end(A->cur) > diff_entry_end(B->cur) ? diff_entry_end(A->cur)
								     : diff_entry_end(B->cur);
	rside_add(&r->cfg, &rec.a, A->cur);
	rside_add(&r->cfg, &rec.b, B->cur);
	side_advance(&r->cfg, A);
	side_advance(&r->cfg, B);
	for (bool grew = true; grew && !A->fail_rc && !B->fail_rc;) {
		grew = false;
		if (A->cur && A->cur->va <= rec.end) {
			rside_add(&r->cfg, &rec.a, A->cur);
			if (diff_entry_end(A->cur) > rec.end)
				rec.end = diff_entry_end(A->cur);
			side_advance(&r->cfg, A);
			grew = true;
		}
		if (B->cur && B->cur->va <= rec.end) {
			rside_add(&r->cfg, &rec.b, B->cur);
			if (diff_entry_end(B->cur) > rec.end)
				rec.end = diff_entry_end(B->cur);
			side_advance(&r->cfg, B);
			grew = true;
		}
	}
	if (A->fail_rc || B->fail_rc)
		return;
	const struct rside *a = &rec.a, *b = &rec.b;
	if (a->n == 1 && b->lo >= a->lo && b->hi <= a->hi)
		rec.kind = pt_form_is_gang(a->first.form) ? CH_GANG_BROKEN : CH_SPLIT;
	else if (b->n == 1 && a->lo >= b->lo && a->hi <= b->hi)
		rec.kind = CH_FOLDED;
	if ((r->cfg.compare & DF_BIT(DF_PA)) && (a->first.has & b->first.has & DF_BIT(DF_PA)))
		rec.pa_kept = a->linear && b->linear &&
			      a->first.pa - a->first.va == b->first.pa - b->first.va;
	if ((r->cfg.compare & a->first.known & b->first.known & DF_BIT(DF_FLAGS)))
		rec.flags_kept = a->flags_uniform && b->flags_uniform &&
				 !((a->first.flags ^ b->first.flags) & r->cfg.flag_mask & ~PTF_CONT);
	submit(r, &rec);
}

static void diff_sweep(struct diff_run *r)
{
	struct diff_side *A = r->a, *B = r->b;
	side_advance(&r->cfg, A);
	side_advance(&r->cfg, B);
	while ((A->cur || B->cur) && !A->fail_rc && !B->fail_rc) {
		if (A->cur && B->cur && A->cur->va <= diff_entry_end(B->cur) &&
		    B->cur->va <= diff_entry_end(A->cur)) {
			if (A->cur->va == B->cur->va && A->cur->size == B->cur->size) {
				pair(r, A->cur, B->cur);
				side_advance(&r->cfg, A);
				side_advance(&r->cfg, B);
			} else {
				cluster(r);
			}
		} else if (A->cur && (!B->cur || A->cur->va < B->cur->va)) {
			one_side(r, CH_REMOVED, A->cur);
			side_advance(&r->cfg, A);
		} else {
			one_side(r, CH_ADDED, B->cur);
			side_advance(&r->cfg, B);
		}
	}
	if (!A->fail_rc && !B->fail_rc)
		flush(r);
}

static void put_forms(struct line *l, const uint64_t *form_bytes)
{
	/* " (single 8K, cont-pte 64K)"; nothing when no form is known. */
	const char *sep = " (";
	for (unsigned f = 0; f < FORM_COUNT; f++) {
		char size[24];
		if (!form_bytes[f])
			continue;
		format_size(size, sizeof size, form_bytes[f]);
		put(l, "%s%s %s", sep, pt_form_names[f], size);
		sep = ", ";
	}
	if (*sep == ',')
		put(l, ")");
}

/* Where aliases take part, what the ranges map through them: an alias
 * slot's VA span says little of it (" mapping 64M", or for changes
 * " mapping 64M in a, 128M in b"). */
static void put_mapped(struct line *l, unsigned k, const struct change_sum *cs)
{
	char a[24] = "?", b[24] = "?";
	if (!cs->a_unknown)
		format_size(a, sizeof a, cs->a_mapped);
	if (!cs->b_unknown)
		format_size(b, sizeof b, cs->b_mapped);
	if (k == CH_ADDED)
		put(l, " mapping %s", b);
	else if (k == CH_REMOVED)
		put(l, " mapping %s", a);
	else
		put(l, " mapping %s in a, %s in b", a, b);
}

static void summary(struct diff_run *r)
{
	if (r->cfg.json) {
		out_printf("{\"summary\":{\"identical\":%s,\"a_entries\":%llu,\"b_entries\":%llu,\"changes\":{",
			   r->records ? "false" : "true", (unsigned long long)r->a->entries,
			   (unsigned long long)r->b->entries);
		for (unsigned k = 0; k < CH_COUNT; k++) {
			const struct change_sum *cs = &r->sum[k];
			out_printf("%s\"%s\":{\"ranges\":%llu,\"bytes\":%llu,\"a_entries\":%llu,"
				   "\"b_entries\":%llu,", k ? "," : "", change_names[k],
				   (unsigned long long)cs->ranges, (unsigned long long)cs->bytes,
				   (unsigned long long)cs->a_entries, (unsigned long long)cs->b_entries);
			if (cs->a_unknown)
				out_printf("\"a_mapped\":null,");
			else
				out_printf("\"a_mapped\":%llu,", (unsigned long long)cs->a_mapped);
			if (cs->b_unknown)
				out_printf("\"b_mapped\":null,");
			else
				out_printf("\"b_mapped\":%llu,", (unsigned long long)cs->b_mapped);
			out_printf("\"forms\":{");
			for (unsigned f = 0, first = 1; f < FORM_COUNT; f++) {
				if (!cs->form_bytes[f])
					continue;
				out_printf("%s\"%s\":%llu", first ? "" : ",", pt_form_names[f],
					   (unsigned long long)cs->form_bytes[f]);
				first = 0;
			}
			out_printf("}}");
		}
		out_printf("}}}\n");
		return;
	}
	struct line l = { .n = 0 };
	if (!r->records) {
		put(&l, "no differences: %llu entries in a, %llu in b\n",
		    (unsigned long long)r->a->entries, (unsigned long long)r->b->entries);
		out_write(l.buf, l.n);
		return;
	}
	put(&l, "differences:");
	const char *sep = " ";
	for (unsigned k = 0; k < CH_COUNT; k++) {
		const struct change_sum *cs = &r->sum[k];
		char size[24];
		if (!cs->ranges)
			continue;
		format_size(size, sizeof size, cs->bytes);
		put(&l, "%s%s %s in %llu range%s", sep, change_names[k], size,
		    (unsigned long long)cs->ranges, cs->ranges == 1 ? "" : "s");
		put_forms(&l, cs->form_bytes);
		if (cs->aliases)
			put_mapped(&l, k, cs);
		sep = "; ";
	}
	put(&l, "; %llu entries in a, %llu in b\n", (unsigned long long)r->a->entries,
	    (unsigned long long)r->b->entries);
	out_write(l.buf, l.n);
}

/* ---- Command line ------------------------------------------------------- */

enum {
	OPT_IGNORE = 0x300,
	OPT_FORMAT,
	OPT_NOHEADINGS,
	OPT_NO_MERGE,
	OPT_MERGE,
	/* Options of one or both sides: SIDE_KEY(which, index). */
	SIDE_BOTH = 1, SIDE_A = 2, SIDE_B = 3,
};
#define SIDE_KEY(which, i) (((which) << 16) | (i))

/* The walk options a side takes, by their long name. */
static const char *const side_option_names[] = {
	"arch", "raw", "page-size", "va-bits", "levels", "kernel-release", "kernel-config",
	"page-offset", "vmcoreinfo", "truncated", "part", "pgd", "pid", "comm", "mm", "vmlinux", "btf", "kallsyms",
};
/* Options that apply to both sides only: one range, one view. */
static const char *const both_option_names[] = { "range", "view" };

struct side_option {
	const struct argp *owner;	/* whose parser takes it */
	int key;			/* its key there */
};

#define MAX_SIDE_OPTIONS 32

struct diff_args {
	struct diff_side side[2];
	const char *ignore;
	struct diff_cfg cfg;
	bool quiet;
	unsigned nargs;
	struct side_option opts[MAX_SIDE_OPTIONS];
	unsigned nopts;
};

static void *side_input(struct diff_side *s, const struct argp *owner)
{
	if (owner == &image_cli_argp)
		return &s->w.image;
	if (owner == &kernel_info_argp)
		return &s->w.kopts;
	return &s->w;
}

static void side_parse(struct argp_state *state, struct diff_side *s,
		       const struct side_option *so, char *arg)
{
	struct argp_state st = *state;
	st.input = side_input(s, so->owner);
	so->owner->parser(so->key, arg, &st);
}

static int parse_ignore(struct diff_args *a, const char *list, struct argp_state *state)
{
	char *copy = xstrdup(list), *save = NULL;
	for (char *tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		unsigned i;
		if (!strcasecmp(tok, "pfn"))
			tok = "pa";
		for (i = 0; i < DF_COUNT_ALL; i++) {
			if (!strcasecmp(tok, diff_field_names[i])) {
				a->cfg.compare &= ~DF_BIT(i);
				break;
			}
		}
		if (i < DF_COUNT_ALL)
			continue;
		for (i = 0; i < PTF_COUNT; i++) {
			if (!strcasecmp(tok, pt_flag_names[i])) {
				a->cfg.flag_mask &= ~(1u << i);
				break;
			}
		}
		if (i == PTF_COUNT) {
			char name[64], fields[256];
			snprintf(name, sizeof name, "%s", tok);
			for (char *c = name; *c; c++) {
				if (*c < 0x20 || *c >= 0x7f)
					*c = '?';
			}
			free(copy);
			/* The compared fields, as the entry model names them. */
			size_t n = 0;
			fields[0] = 0;
			for (i = 0; i < DF_COUNT_ALL && n < sizeof fields; i++)
				n += (size_t)snprintf(fields + n, sizeof fields - n, "%s, ", diff_field_names[i]);
			argp_error(state, "--ignore: unknown field '%s' (fields: %sor a flag name such as "
				   "young or dirty)", name, fields);
		}
	}
	free(copy);
	return 0;
}

static error_t diff_parse(int key, char *arg, struct argp_state *state)
{
	struct diff_args *a = state->input;
	unsigned which = (unsigned)key >> 16;

	if (which >= SIDE_BOTH && which <= SIDE_B) {
		const struct side_option *so = &a->opts[key & 0xffff];
		if (which != SIDE_B)
			side_parse(state, &a->side[0], so, arg);
		if (which != SIDE_A)
			side_parse(state, &a->side[1], so, arg);
		return 0;
	}
	switch (key) {
	case OPT_IGNORE:
		a->ignore = arg;
		return parse_ignore(a, arg, state);
	case OPT_FORMAT:
		if (!strcmp(arg, "text"))
			a->cfg.json = false;
		else if (!strcmp(arg, "json"))
			a->cfg.json = true;
		else
			argp_error(state, "--format=%s: expected text or json", arg);
		break;
	case 'J':
		a->cfg.json = true;
		break;
	case OPT_NOHEADINGS:
		a->cfg.headings = false;
		break;
	case OPT_NO_MERGE:
		a->cfg.merge_records = false;
		break;
	case OPT_MERGE:
		a->cfg.coalesce = true;
		break;
	case 'q':
		a->quiet = true;
		for (int i = 0; i < 2; i++)
			a->side[i].w.image.quiet = a->side[i].w.image.image.quiet = true;
		break;
	case ARGP_KEY_ARG:
		if (a->nargs == 2)
			argp_error(state, "too many arguments: expected A and B");
		a->side[a->nargs].path = arg;
		a->side[a->nargs].w.image.image.path = arg;
		a->nargs++;
		break;
	case ARGP_KEY_END:
		if (a->nargs < 2)
			argp_error(state, "expected two inputs, A and B");
		if (!strcmp(a->side[0].path, "-") && !strcmp(a->side[1].path, "-"))
			argp_error(state, "only one side can be standard input");
		for (int i = 0; i < 2; i++) {
			struct argp_state st = *state;
			st.input = &a->side[i].w;
			walk_cli_argp.parser(ARGP_KEY_END, NULL, &st);
		}
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

static const struct argp_option diff_own_options[] = {
	{ NULL, 0, NULL, 0, "Comparison:", 10 },
	{ "ignore", OPT_IGNORE, "LIST", 0,
	  "Fields not compared: level, form, count, kind, pa, flags, cache, pkey, swap, raw, "
	  "slot, anomalies, alias_of, mapped, or flag names (young, dirty, ...); slot is never compared", 0 },
	{ "merge", OPT_MERGE, NULL, 0,
	  "Coalesce each side's neighbouring leaves as walk --merge does before comparing", 0 },
	{ NULL, 0, NULL, 0, "Output options:", 30 },
	{ "format", OPT_FORMAT, "FORMAT", 0, "text (default) or json (JSON Lines)", 0 },
	{ "json", 'J', NULL, 0, "Same as --format=json", 0 },
	{ "noheadings", OPT_NOHEADINGS, NULL, 0, "No ---/+++ lines naming the sides", 0 },
	{ "no-merge", OPT_NO_MERGE, NULL, 0,
	  "One record per entry or cluster: do not merge neighbours that share one change", 0 },
	{ "quiet", 'q', NULL, 0, "No progress or warnings on stderr", 0 },
};

static const struct argp_option *find_option(const struct argp *argp, const char *name,
					     const struct argp **owner)
{
	for (const struct argp_option *o = argp->options; o && (o->name || o->doc); o++) {
		if (o->name && !strcmp(o->name, name)) {
			*owner = argp;
			return o;
		}
	}
	for (const struct argp_child *c = argp->children; c && c->argp; c++) {
		const struct argp_option *o = find_option(c->argp, name, owner);
		if (o)
			return o;
	}
	return NULL;
}

/* The option table: diff's own, then each side option three times
 * (--NAME for both sides, --a-NAME and --b-NAME, the last two hidden
 * from --help, which explains them once). */
static struct argp_option *build_options(struct diff_args *a, char ***names)
{
	size_t nside = sizeof side_option_names / sizeof side_option_names[0];
	size_t nboth = sizeof both_option_names / sizeof both_option_names[0];
	size_t nown = sizeof diff_own_options / sizeof diff_own_options[0];
	size_t cap = nown + 2 + nside * 3 + nboth + 1, n = 0;
	struct argp_option *opts = xcalloc(cap, sizeof *opts);
	*names = xcalloc(nside * 2 + 1, sizeof **names);
	size_t nnames = 0;

	memcpy(opts, diff_own_options, sizeof diff_own_options);
	n = nown;
	opts[n++] = (struct argp_option){ NULL, 0, NULL, 0,
		"Inputs (each option applies to both sides; --a-NAME and --b-NAME, e.g. "
		"--a-pgd=VALUE or --b-pid=PID, apply to side A or B only):", 20 };
	for (size_t i = 0; i < nside + nboth; i++) {
		bool both_only = i >= nside;
		const char *name = both_only ? both_option_names[i - nside] : side_option_names[i];
		const struct argp *owner = NULL;
		const struct argp_option *o = find_option(&walk_cli_argp, name, &owner);
		if (!o || a->nopts == MAX_SIDE_OPTIONS)
			abort();
		unsigned idx = a->nopts++;
		a->opts[idx] = (struct side_option){ owner, o->key };
		opts[n] = *o;
		opts[n].key = SIDE_KEY(SIDE_BOTH, idx);
		opts[n].group = 0;
		n++;
		if (both_only)
			continue;
		for (int s = 0; s < 2; s++) {
			char *pn = xmalloc(strlen(name) + 3);
			sprintf(pn, "%c-%s", s ? 'b' : 'a', name);
			(*names)[nnames++] = pn;
			opts[n] = *o;
			opts[n].name = pn;
			opts[n].key = SIDE_KEY(s ? SIDE_B : SIDE_A, idx);
			opts[n].flags |= OPTION_HIDDEN;
			opts[n].group = 0;
			n++;
		}
	}
	return opts;
}

/* Saved walks start with '{'; anything else is opened as an image. */
static bool looks_like_json(struct diff_side *s)
{
	if (!strcmp(s->path, "-")) {
		s->json_file = stdin;
		return true;
	}
	FILE *f = fopen(s->path, "r");
	if (!f)
		return false;
	int c;
	size_t n = 0;
	while ((c = getc(f)) != EOF && (c == ' ' || c == '\t' || c == '\n' || c == '\r') && n < 4096)
		n++;
	/* An empty file is a saved walk of nothing (walk --json of an
	 * empty range); no image is empty. */
	if (c == '{' || (c == EOF && !ferror(f))) {
		rewind(f);
		s->json_file = f;
		return true;
	}
	fclose(f);
	return false;
}

static int side_open(struct diff_args *da, struct diff_side *s, bool *progress_taken)
{
	struct walk_cli *w = &s->w;
	if (looks_like_json(s)) {
		s->json = true;
		if (w->have_pgd || w->have_mm || w->image.image.raw || w->kopts.vmlinux ||
		    w->kopts.btf || w->kopts.kallsyms || w->physical) {
			fprintf(stderr, "%s: %s: a saved walk: --pgd, --mm, --raw, --view, --vmlinux, "
				"--btf and --kallsyms apply to images only (give the image's as --%c-NAME)\n",
				pt_progname, s->path, s->name == 'a' ? 'b' : 'a');
			return PT_EXIT_USAGE;
		}
		struct pt_error perr = { .exit_code = PT_EXIT_INTERNAL };
		s->src = diff_source_json(s->json_file, s->path, w->have_range ? w->start : 0,
					  w->have_range ? w->end : UINT64_MAX,
					  w->have_pid ? w->pid : -1, w->comm, &perr);
		if (!s->src) {
			fprintf(stderr, "%s: %s\n", pt_progname, perr.msg);
			return perr.exit_code;
		}
		if (w->have_pid)
			snprintf(s->desc, sizeof s->desc, "saved walk, pid %d", w->pid);
		else if (w->comm)
			snprintf(s->desc, sizeof s->desc, "saved walk, comm %s", w->comm);
		else
			snprintf(s->desc, sizeof s->desc, "saved walk");
		return 0;
	}
	struct walk_params base, wp;
	int rc = image_cli_open(&w->image, &s->img, &s->pg);
	if (rc)
		return rc;
	if ((rc = walk_cli_prepare(w, s->img, &s->pg, &base)) ||
	    (rc = walk_cli_targets(w, s->img, &s->pg, &base)))
		return rc;
	if (w->ntargets != 1) {
		fprintf(stderr, "%s: %s: %zu processes match: choose one with --%c-pid\n",
			pt_progname, s->path, w->ntargets, s->name);
		return PT_EXIT_USAGE;
	}
	const struct walk_target *t = &w->targets[0];
	walk_cli_apply(w, t, &base, &wp);

	/* One progress line: the first walk's; the other runs alongside. */
	wp.on_progress = !da->quiet && !*progress_taken && isatty(STDERR_FILENO) ? cli_progress : NULL;
	*progress_taken = true;
	if (t->process)
		snprintf(s->desc, sizeof s->desc, "pid %d %s, root 0x%llx", t->pid, t->comm,
			 (unsigned long long)t->user_root);
	else if (w->have_pgd)
		snprintf(s->desc, sizeof s->desc, "--pgd root 0x%llx",
			 (unsigned long long)wp.user_root);
	else
		snprintf(s->desc, sizeof s->desc, "kernel root 0x%llx",
			 (unsigned long long)wp.kernel_root);
	if (w->physical)
		strncat(s->desc, ", physical view", sizeof s->desc - strlen(s->desc) - 1);
	/* Started once both sides are open: opening reads VMCOREINFO through
	 * a shared buffer (vmcoreinfo_lookup()). */
	s->wp = wp;
	return 0;
}

static const char diff_doc[] =
	"Compare two walks: of images (each with its own root: the kernel's, --pgd, "
	"or a process), or saved with `ptwalk walk --format=json'. Reports ranges added "
	"(+) and removed (-), entries changed (~), and structural changes by name: moved, "
	"split, gang-broken, folded, remapped.\v"
	"A and B are images or saved walks (JSON Lines; - reads standard input). "
	"Neighbouring records that share one change are merged into one range. "
	"Exit status: 0 when the walks are the same, 1 when they differ, 2 usage error, "
	"3 an input unreadable or invalid, 4 output error, 5 internal error.";

int cmd_diff(int argc, char **argv)
{
	/* On the stack: a usage error exits during parsing, and nothing
	 * allocated before it should be left behind (the command-line
	 * fuzzer runs many commands in one process). */
	struct diff_args args = { 0 }, *a = &args;
	char **names = NULL;
	int rc = 0;

	for (int i = 0; i < 2; i++) {
		walk_cli_init(&a->side[i].w);
		a->side[i].name = (char)('a' + i);
		a->side[i].peer = &a->side[1 - i];
	}
	a->cfg.compare = DF_ALL & ~DF_BIT(DF_SLOT);
	a->cfg.flag_mask = (1u << PTF_COUNT) - 1;
	a->cfg.merge_records = true;
	a->cfg.headings = true;
	struct argp_option *opts = build_options(a, &names);
	const struct argp argp = {
		.options = opts,
		.parser = diff_parse,
		.args_doc = "A B",
		.doc = diff_doc,
	};
	command_parse(&argp, argc, argv, "diff", a);

	bool progress_taken = false;
	for (int i = 0; i < 2 && !rc; i++)
		rc = side_open(a, &a->side[i], &progress_taken);
	for (int i = 0; i < 2 && !rc; i++) {
		struct pt_error err = { 0 };
		if (a->side[i].json)
			continue;
		a->side[i].src = diff_source_walk(&a->side[i].wp, &err);
		if (!a->side[i].src) {
			fprintf(stderr, "%s: %s\n", pt_progname, err.msg);
			rc = err.exit_code;
		}
	}
	if (!rc) {
		struct diff_run *r = xcalloc(1, sizeof *r);
		r->cfg = a->cfg;
		r->a = &a->side[0];
		r->b = &a->side[1];
		diff_sweep(r);
		if (a->side[0].fail_rc || a->side[1].fail_rc) {
			rc = a->side[0].fail_rc ? a->side[0].fail_rc : a->side[1].fail_rc;
		} else {
			summary(r);
			rc = r->records ? PT_EXIT_FOUND : PT_EXIT_OK;
		}
		free(r);
	}
	for (int i = 0; i < 2; i++) {
		struct diff_side *s = &a->side[i];
		diff_source_close(s->src);
		if (s->json_file && s->json_file != stdin)
			fclose(s->json_file);
		walk_cli_free(&s->w);
		image_close(s->img);
	}
	for (char **n = names; n && *n; n++)
		free(*n);
	free(names);
	free(opts);
	out_finish();
	return rc;
}
