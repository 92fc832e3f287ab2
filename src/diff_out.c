/* SPDX-License-Identifier: GPL-2.0-or-later */
/* `ptwalk diff''s writers: records and the summary as text or JSON Lines
 * (see diff_out.h). Output formats are an interface: man/ptwalk.1. */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "diff_out.h"
#include "field_out.h"
#include "output.h"



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
static void put_flag_string(struct line *l, const struct diff_options *cfg, uint32_t flags)
{
	char buf[32];
	format_flags(buf, flags & cfg->flag_mask);
	put(l, "%s", buf);
}

static void put_pa(struct line *l, const struct diff_rside *s)
{
	if (!(s->first.has & DF_BIT(DF_PA)))
		put(l, "-");
	else
		put(l, "0x%llx%s", (unsigned long long)s->first.pa, s->n > 1 && !s->linear ? "..." : "");
}

/* "N x LEVEL FORM SIZE": what a side's entries are. */
static void put_shape(struct line *l, const struct diff_rside *s)
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
static void put_side(struct line *l, const struct diff_options *cfg, const struct diff_rside *s)
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

/* Field F of a side's first entry, as walk's text shows it; a PA is
 * marked when the side's entries are not linear, flags show only those
 * compared. */
static void put_field_value(struct line *l, const struct diff_options *cfg, enum diff_field f,
			    const struct diff_rside *s)
{
	const struct diff_entry *e = &s->first;
	if (!(e->has & DF_BIT(f))) {
		put(l, "-");
		return;
	}
	if (f == DF_PA) {
		put_pa(l, s);
		return;
	}
	if (f == DF_FLAGS) {
		put_flag_string(l, cfg, e->flags);
		return;
	}
	struct field_value v;
	char buf[FIELD_OUT_MAX + 1];
	diff_entry_get(e, f, &v);
	*field_text(buf, &entry_fields[diff_field_entry[f]], &v) = 0;
	put(l, "%s", buf);
}

static void text_header(struct diff_out *r)
{
	if (r->header_done)
		return;
	r->header_done = true;
	if (!r->headings)
		return;
	out_printf("--- %s (%s)\n+++ %s (%s)\n", r->path[0], r->desc[0], r->path[1], r->desc[1]);
}

static void text_record(struct diff_out *r, const struct diff_record *rec)
{
	static const char marks[DC_COUNT] = { '+', '-', '~', '~', '~', '~', '~', '~' };
	struct line l = { .n = 0 };
	char va[24], end[24], size[24];
	hex16(va, rec->va);
	hex16(end, rec->end);
	format_size(size, sizeof size, rec->end - rec->va + 1);
	put(&l, "%c %s-%s %6s %-11s ", marks[rec->kind], va, end, size, diff_change_names[rec->kind]);
	switch (rec->kind) {
	case DC_ADDED:
		put_side(&l, r->opt, &rec->b);
		break;
	case DC_REMOVED:
		put_side(&l, r->opt, &rec->a);
		break;
	case DC_CHANGED:
	case DC_MOVED: {
		if (rec->fields & DF_BIT(DF_KIND)) {
			/* Another kind of entry (a page swapped out): both
			 * in full say more than a field list. */
			put_side(&l, r->opt, &rec->a);
			put(&l, " -> ");
			put_side(&l, r->opt, &rec->b);
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
				uint32_t a = rec->a.first.flags & r->opt->flag_mask;
				uint32_t b = rec->b.first.flags & r->opt->flag_mask;
				put_flag_string(&l, r->opt, rec->a.first.flags);
				put(&l, " -> ");
				put_flag_string(&l, r->opt, rec->b.first.flags);
				put(&l, " (");
				struct line d = { .n = 0 };
				put_flag_names(&d, a & ~b, "-");
				put_flag_names(&d, b & ~a, "+");
				put(&l, "%s)", d.buf + 1);
				continue;
			}
			put_field_value(&l, r->opt, (enum diff_field)f, &rec->a);
			put(&l, " -> ");
			put_field_value(&l, r->opt, (enum diff_field)f, &rec->b);
		}
		break;
	}
	default:
		put_side(&l, r->opt, &rec->a);
		put(&l, " -> ");
		put_side(&l, r->opt, &rec->b);
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

/* An entry as walk --format=json writes it: the fields the input knew,
 * and pfn after pa where the side's page size is known (PAGE_SHIFT). */
static void json_entry(const struct diff_entry *e, unsigned page_shift)
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
		if (f == DF_PA && page_shift) {
			struct field_value pfn = { .present = v.present, .u = v.u >> page_shift };
			p = put_str(p, ",\"pfn\":");
			p = field_json(p, &entry_fields[EF_PFN], &pfn);
		}
		out_write(buf, (size_t)(p - buf));
	}
	out_write("}", 1);
}

static void json_side(const struct diff_rside *s, unsigned page_shift)
{
	if (!s->n) {
		out_printf("null");
		return;
	}
	out_printf("{\"entries\":%llu,\"bytes\":%llu,\"uniform\":%s,\"linear\":%s,\"first\":",
		   (unsigned long long)s->n, (unsigned long long)s->bytes,
		   s->uniform ? "true" : "false", s->linear ? "true" : "false");
	json_entry(&s->first, page_shift);
	out_printf("}");
}

static const char *json_tristate(int v)
{
	return v < 0 ? "null" : v ? "true" : "false";
}

static void json_record(struct diff_out *r, const struct diff_record *rec)
{
	json_doc_item(&r->doc);
	out_printf("{\"change\":\"%s\",\"va\":\"0x%llx\",\"end\":\"0x%llx\",\"size\":%llu,\"fields\":",
		   diff_change_names[rec->kind], (unsigned long long)rec->va,
		   (unsigned long long)rec->end, (unsigned long long)(rec->end - rec->va + 1));
	out_json_names(rec->fields, diff_field_names, DF_COUNT_ALL);
	out_printf(",\"pa_kept\":%s,\"flags_kept\":%s,\"a\":", json_tristate(rec->pa_kept),
		   json_tristate(rec->flags_kept));
	json_side(&rec->a, r->page_shift[0]);
	out_printf(",\"b\":");
	json_side(&rec->b, r->page_shift[1]);
	out_printf("}\n");
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
static void put_mapped(struct line *l, unsigned k, const struct diff_change_sum *cs)
{
	char a[24] = "?", b[24] = "?";
	if (!cs->a_unknown)
		format_size(a, sizeof a, cs->a_mapped);
	if (!cs->b_unknown)
		format_size(b, sizeof b, cs->b_mapped);
	if (k == DC_ADDED)
		put(l, " mapping %s", b);
	else if (k == DC_REMOVED)
		put(l, " mapping %s", a);
	else
		put(l, " mapping %s in a, %s in b", a, b);
}

void diff_out_summary(struct diff_out *r, const struct diff_result *res)
{
	if (r->json) {
		if (r->doc.on) {
			json_doc_end_items(&r->doc);
			out_puts(",\"summary\":");
		} else {
			out_puts("{\"summary\":");
		}
		out_printf("{\"identical\":%s,\"a_entries\":%llu,\"b_entries\":%llu,\"changes\":{",
			   res->records ? "false" : "true", (unsigned long long)res->a_entries,
			   (unsigned long long)res->b_entries);
		for (unsigned k = 0; k < DC_COUNT; k++) {
			const struct diff_change_sum *cs = &res->sum[k];
			out_printf("%s\"%s\":{\"ranges\":%llu,\"bytes\":%llu,\"a_entries\":%llu,"
				   "\"b_entries\":%llu,", k ? "," : "", diff_change_names[k],
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
	if (!res->records) {
		put(&l, "no differences: %llu entries in a, %llu in b\n",
		    (unsigned long long)res->a_entries, (unsigned long long)res->b_entries);
		out_write(l.buf, l.n);
		return;
	}
	put(&l, "differences:");
	const char *sep = " ";
	for (unsigned k = 0; k < DC_COUNT; k++) {
		const struct diff_change_sum *cs = &res->sum[k];
		char size[24];
		if (!cs->ranges)
			continue;
		format_size(size, sizeof size, cs->bytes);
		put(&l, "%s%s %s in %llu range%s", sep, diff_change_names[k], size,
		    (unsigned long long)cs->ranges, cs->ranges == 1 ? "" : "s");
		put_forms(&l, cs->form_bytes);
		if (cs->aliases)
			put_mapped(&l, k, cs);
		sep = "; ";
	}
	put(&l, "; %llu entries in a, %llu in b\n", (unsigned long long)res->a_entries,
	    (unsigned long long)res->b_entries);
	out_write(l.buf, l.n);
}


int diff_out_record(void *arg, const struct diff_record *rec)
{
	struct diff_out *r = arg;
	if (r->json)
		json_record(r, rec);
	else
		text_record(r, rec);
	return 0;
}
