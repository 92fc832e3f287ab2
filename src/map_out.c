/* SPDX-License-Identifier: GPL-2.0-or-later */
/* `ptwalk map': an address space drawn as one self-contained SVG, or as
 * HTML with zoom and a tooltip per range (inline script, nothing
 * fetched).
 *
 * Each band is a region of the kernel's table (lib/region.h), or one
 * process's user space. Along a band, mapped ranges sit in VA order, each
 * as wide as the log of its size (a 4K page 1 unit, a 2M block 5.5, a 1G
 * one 10) and each gap as a fixed sliver, so that sparse 48- and 57-bit
 * spaces stay readable and a 4K page next to a 1G block stays visible.
 * A range's colour is its form and size (the legend, with the totals per
 * form); anomalies are marked with a triangle above the range.
 *
 * Entries stream in and are aggregated as they come: neighbours of one
 * form and size that touch are one range; when a band holds MAP_SEGS
 * ranges, neighbours are merged into ranges spanning less than a growing
 * size (drawn in
 * the colour of the larger part, the tooltip says how many entries and
 * forms it holds). Memory and output are bounded by bands x MAP_SEGS,
 * whatever the number of entries. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "field_out.h"
#include "map_out.h"
#include "output.h"
#include "xalloc.h"

enum { SEG_MIXED = 1, SEG_GAPS = 2, SEG_ANOMALY = 4 };

struct map_seg {
	uint64_t va, end;		/* inclusive */
	uint64_t bytes, dom_bytes;	/* all, and the drawn class's */
	uint64_t entries;
	uint8_t cls, flags;
};

struct map_band {
	char label[96];
	int region;			/* -1: a process's band */
	unsigned group;			/* the table it belongs to */
	struct map_seg *seg;
	size_t n, cap;
	uint64_t gran;			/* ranges merge while they span less */
	uint64_t bytes, entries, anomalies;
};

struct map_class {
	uint8_t kind, form, level;
	uint64_t size;
	uint64_t entries, bytes;
	char label[48];
	const char *color;
};

struct map_out {
	const struct paging *pg;
	uint64_t page;
	const struct pt_regions *rg;
	unsigned hint;
	enum map_format fmt;
	bool diff;
	char title[512], subtitle[512];
	struct map_class cls[MAP_MAX_CLASSES];
	unsigned ncls;
	struct map_band *bands;
	size_t nbands, capb;
	char target[96];
	bool per_region;
	unsigned group;
	int cur;			/* the band entries go to, -1 none yet */
	uint64_t entries, bytes, anomalous, dropped_bands;
};

/* ---- Classes -------------------------------------------------------- */

static const char *const diff_colors[DC_COUNT] = {
	[DC_ADDED] = "#59a14f", [DC_REMOVED] = "#e15759", [DC_CHANGED] = "#f28e2b",
	[DC_MOVED] = "#4e79a7", [DC_SPLIT] = "#b07aa1", [DC_GANG_BROKEN] = "#9c755f",
	[DC_FOLDED] = "#76b7b2", [DC_REMAPPED] = "#edc948",
};

/* A leaf's colour: its form, and for single entries its level. */
static const char *class_color(unsigned kind, unsigned form, unsigned level)
{
	if (kind == PTK_SWAP)
		return "#bab0ac";
	if (kind == PTK_BAD || form == FORM_TABLE)
		return "#222222";
	switch (form) {
	case FORM_CONT_PTE: return "#59a14f";
	case FORM_CONT_PMD: return "#e15759";
	case FORM_8XX_8M: return "#9c755f";
	case FORM_8XX_512K: return "#76b7b2";
	case FORM_8XX_16K: return "#8cd17d";
	case FORM_HUGEPD: return "#ff9da7";
	case FORM_NAPOT: return "#499894";
	case FORM_CONT_PUD: return "#d37295";
	case FORM_ALIAS: return "#edc948";
	default: break;
	}
	static const char *const by_level[] = { "#4e79a7", "#f28e2b", "#b07aa1", "#9467bd", "#17becf" };
	return by_level[level < 5 ? level : 4];
}

static unsigned class_of(struct map_out *m, const struct logical_entry *le)
{
	unsigned kind = le->d.kind, form = le->form, level = le->level;
	/* Swap entries and alias slots by kind alone; leaves by form,
	 * level and size. */
	uint64_t size = kind == PTK_LEAF ? le->size / (le->count ? le->count : 1) : 0;
	if (kind == PTK_LEAF && form != FORM_SINGLE)
		size = le->size;
	if (kind != PTK_LEAF)
		level = 0;
	for (unsigned i = 0; i < m->ncls; i++) {
		const struct map_class *c = &m->cls[i];
		if (c->kind == kind && c->form == form && c->level == level && c->size == size)
			return i;
	}
	if (m->ncls == MAP_MAX_CLASSES)
		return MAP_MAX_CLASSES - 1;
	struct map_class *c = &m->cls[m->ncls];
	c->kind = (uint8_t)kind;
	c->form = (uint8_t)form;
	c->level = (uint8_t)level;
	c->size = size;
	c->color = class_color(kind, form, level);
	char sz[32];
	format_size(sz, sizeof sz, size);
	if (kind == PTK_SWAP)
		snprintf(c->label, sizeof c->label, "swap entries");
	else if (form == FORM_ALIAS)
		snprintf(c->label, sizeof c->label, "alias (a shared table)");
	else if (kind == PTK_BAD || form == FORM_TABLE)
		snprintf(c->label, sizeof c->label, "%s", kind == PTK_BAD ? "reserved entry" : "table not walked");
	else if (form == FORM_SINGLE)
		snprintf(c->label, sizeof c->label, "%s %s%s", sz, m->pg ? pt_level_name(m->pg, level) : "", level ? " block" : "");
	else
		snprintf(c->label, sizeof c->label, "%s %s", pt_form_names[form], sz);
	return m->ncls++;
}

/* ---- Bands ---------------------------------------------------------- */

struct map_out *map_new(const struct paging *pg, uint64_t page, const struct pt_regions *rg,
			enum map_format fmt, bool diff)
{
	struct map_out *m = xcalloc(1, sizeof *m);
	m->pg = pg;
	m->page = pg ? 1ull << pg->page_shift : page ? page : 4096;
	m->rg = rg;
	m->fmt = fmt;
	m->diff = diff;
	m->cur = -1;
	if (diff) {
		for (unsigned k = 0; k < DC_COUNT; k++) {
			m->cls[k].color = diff_colors[k];
			snprintf(m->cls[k].label, sizeof m->cls[k].label, "%s", diff_change_names[k]);
		}
		m->ncls = DC_COUNT;
	}
	return m;
}

void map_free(struct map_out *m)
{
	if (!m)
		return;
	for (size_t i = 0; i < m->nbands; i++)
		free(m->bands[i].seg);
	free(m->bands);
	free(m);
}

/* DST, of at most MAX characters fitting 1280 pixels at its font size:
 * a longer SRC keeps its end (a path's file name), after "...". */
static void clamp_text(char *dst, size_t len, const char *src, size_t max)
{
	size_t n = strlen(src);
	if (n <= max) {
		snprintf(dst, len, "%s", src);
		return;
	}
	const char *tail = src + n - (max - 3);
	while ((*tail & 0xc0) == 0x80)	/* not inside a UTF-8 character */
		tail++;
	snprintf(dst, len, "...%s", tail);
}

void map_title(struct map_out *m, const char *title, const char *subtitle)
{
	/* 14 px monospace is 8.4 px a character, 10.5 px 6.3. */
	clamp_text(m->title, sizeof m->title, title, 148);
	clamp_text(m->subtitle, sizeof m->subtitle, subtitle ? subtitle : "", 198);
}

void map_target(struct map_out *m, const char *label, bool per_region)
{
	snprintf(m->target, sizeof m->target, "%s", label);
	m->per_region = per_region && m->rg;
	m->group++;
	m->cur = -1;
}

static int band_for(struct map_out *m, int region)
{
	if (m->cur >= 0 && m->bands[m->cur].region == region)
		return m->cur;
	for (size_t i = m->nbands; i-- > 0 && m->bands[i].group == m->group;)
		if (m->bands[i].region == region)
			return m->cur = (int)i;
	if (m->nbands == MAP_MAX_BANDS) {
		m->dropped_bands++;
		return -1;
	}
	if (m->nbands == m->capb) {
		m->capb = m->capb ? m->capb * 2 : 16;
		m->bands = xrealloc(m->bands, m->capb * sizeof *m->bands);
	}
	struct map_band *b = &m->bands[m->nbands];
	memset(b, 0, sizeof *b);
	b->region = region;
	b->group = m->group;
	if (region >= 0 && m->target[0])
		snprintf(b->label, sizeof b->label, "%.80s: %s", m->target, region_names[region]);
	else if (region >= 0)
		snprintf(b->label, sizeof b->label, "%s", region_names[region]);
	else
		snprintf(b->label, sizeof b->label, "%s", m->target);
	return m->cur = (int)m->nbands++;
}

static void seg_merge(struct map_seg *a, const struct map_seg *b)
{
	if (b->va > a->end + 1)
		a->flags |= SEG_GAPS;
	if (a->cls != b->cls) {
		a->flags |= SEG_MIXED;
		if (b->dom_bytes > a->dom_bytes) {
			a->cls = b->cls;
			a->dom_bytes = b->dom_bytes;
		}
	} else {
		a->dom_bytes += b->dom_bytes;
	}
	a->flags |= b->flags;
	a->end = b->end > a->end ? b->end : a->end;
	a->bytes += b->bytes;
	a->entries += b->entries;
}

/* The most ranges a band keeps: fewer when there are many bands, so that
 * a picture of thousands of processes stays bounded too. */
static size_t band_cap(const struct map_out *m)
{
	return m->nbands > 256 ? 32 : m->nbands > 32 ? 128 : MAP_SEGS;
}

/* Merge neighbours into ranges spanning less than a growing size until
 * the band holds half its cap: a range then stands for at most that
 * much of the address space, wherever the entries are dense. */
static void band_compact(struct map_out *m, struct map_band *b)
{
	size_t cap = band_cap(m);
	while (b->n > cap / 2) {
		b->gran = b->gran ? b->gran * 4 : m->page * 16;
		size_t j = 0;
		for (size_t i = 1; i < b->n; i++) {
			if (b->seg[i].end - b->seg[j].va < b->gran)
				seg_merge(&b->seg[j], &b->seg[i]);
			else
				b->seg[++j] = b->seg[i];
		}
		b->n = j + 1;
		if (b->gran > UINT64_MAX / 8)
			break;
	}
}

static void band_add(struct map_out *m, struct map_band *b, const struct map_seg *s)
{
	b->bytes += s->bytes;
	b->entries += s->entries;
	if (s->flags & SEG_ANOMALY)
		b->anomalies++;
	if (b->n) {
		struct map_seg *last = &b->seg[b->n - 1];
		uint64_t gap = s->va > last->end ? s->va - last->end - 1 : 0;
		if ((gap == 0 && last->cls == s->cls && s->va > last->end) ||
		    (b->gran && s->end - last->va < b->gran)) {
			seg_merge(last, s);
			return;
		}
	}
	size_t cap = band_cap(m);
	if (b->n == b->cap) {
		b->cap = b->cap ? b->cap * 2 : 64;
		if (b->cap > cap)
			b->cap = cap;
		b->seg = xrealloc(b->seg, b->cap * sizeof *b->seg);
	}
	b->seg[b->n++] = *s;
	if (b->n >= cap)
		band_compact(m, b);
}

/* Count [VA, END] of class C in its band (by region when the table has
 * bands per region): the class's totals and the picture's. */
static void map_add(struct map_out *m, uint64_t va, uint64_t end, unsigned c, uint8_t flags)
{
	int region = m->per_region ? (int)region_of(m->rg, va, &m->hint) : -1;
	int bi = band_for(m, region);
	if (bi < 0)
		return;
	uint64_t bytes = end - va + 1;
	m->cls[c].entries++;
	m->cls[c].bytes += bytes;
	m->entries++;
	struct map_seg s = {
		.va = va, .end = end, .bytes = bytes, .dom_bytes = bytes,
		.entries = 1, .cls = (uint8_t)c, .flags = flags,
	};
	band_add(m, &m->bands[bi], &s);
}

int map_entry(void *arg, const struct logical_entry *le)
{
	struct map_out *m = arg;
	bool drawn = le->d.kind == PTK_LEAF || le->d.kind == PTK_SWAP || le->d.kind == PTK_BAD ||
		     le->form == FORM_ALIAS || le->form == FORM_TABLE;
	if (!drawn || !le->size)
		return 0;
	uint64_t entries = m->entries;
	map_add(m, le->va, le->va + (le->size - 1), class_of(m, le), le->anomalies ? SEG_ANOMALY : 0);
	if (m->entries == entries)
		return 0;	/* no band left for it */
	m->bytes += le->d.kind == PTK_LEAF ? le->size : 0;
	if (le->anomalies)
		m->anomalous++;
	return 0;
}

int map_record(void *arg, const struct diff_record *rec)
{
	struct map_out *m = arg;
	uint64_t entries = m->entries;
	map_add(m, rec->va, rec->end, rec->kind, 0);
	if (m->entries != entries)
		m->bytes += rec->end - rec->va + 1;
	return 0;
}

/* ---- Drawing -------------------------------------------------------- */

#define PIC_W 1280
#define LABEL_W 262
#define BAR_X 272
#define BAR_W 990
#define ROW_H 40
#define TOP_H 64
#define LEGEND_H 18

static void put_escaped(const char *s)
{
	char buf[1024];
	size_t n = 0;
	for (; *s; s++) {
		const char *rep = NULL;
		switch (*s) {
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '"': rep = "&quot;"; break;
		case '\'': rep = "&#39;"; break;
		default: break;
		}
		if (n + 8 > sizeof buf) {
			out_write(buf, n);
			n = 0;
		}
		/* Control characters are not XML, nor is broken UTF-8 (a
		 * path's bytes): each such byte is a '?'. */
		unsigned char c = (unsigned char)*s;
		if (!rep && c < 0x20) {
			buf[n++] = '?';
			continue;
		}
		if (c >= 0x80) {
			size_t k = c >= 0xf5 ? 0 : c >= 0xf0 ? 3 : c >= 0xe0 ? 2 : c >= 0xc2 ? 1 : 0;
			size_t ok = k;
			for (size_t i = 1; i <= k && ok; i++)
				if (((unsigned char)s[i] & 0xc0) != 0x80)
					ok = 0;
			if (!ok) {
				buf[n++] = '?';
				continue;
			}
			memcpy(buf + n, s, k + 1);
			n += k + 1;
			s += k;
			continue;
		}
		if (rep) {
			memcpy(buf + n, rep, strlen(rep));
			n += strlen(rep);
		} else {
			buf[n++] = *s;
		}
	}
	out_write(buf, n);
}

/* log2 of V >= 1, linear between powers of two: widths need no more
 * (and no libm). */
static double lg2(double v)
{
	if (v < 2)
		return v > 1 ? v - 1 : 0;
	uint64_t u = v >= 1.8e19 ? UINT64_MAX : (uint64_t)v;
	int b = 63 - __builtin_clzll(u);
	return b + (double)(u - (1ull << b)) / (double)(1ull << b);
}

static double seg_weight(const struct map_out *m, const struct map_seg *s)
{
	double pages = (double)(s->end - s->va) / (double)m->page + 1.0;
	return 1.0 + 0.5 * lg2(pages);
}

static double gap_weight(const struct map_out *m, uint64_t gap)
{
	double pages = (double)gap / (double)m->page + 1.0;
	double w = 0.4 + 0.12 * lg2(pages);
	return w > 3.0 ? 3.0 : w;
}

static unsigned addr_digits(const struct map_out *m)
{
	return m->pg && m->pg->arch && m->pg->arch->flat_space ? 8 : 16;
}

static void seg_tip(const struct map_out *m, const struct map_seg *s, char *buf, size_t len)
{
	char sz[32];
	unsigned d = addr_digits(m);
	format_size(sz, sizeof sz, s->bytes);
	const struct map_class *c = &m->cls[s->cls];
	int n = snprintf(buf, len, "0x%0*llx-0x%0*llx: %s, %llu %s%s, %s", d,
			 (unsigned long long)s->va, d, (unsigned long long)s->end, c->label,
			 (unsigned long long)s->entries,
			 m->diff ? (s->entries == 1 ? "record" : "records") :
				   (s->entries == 1 ? "entry" : "entries"),
			 (s->flags & SEG_MIXED) ? " of several kinds (the most bytes drawn)" : "", sz);
	if ((s->flags & SEG_ANOMALY) && n > 0 && (size_t)n < len)
		snprintf(buf + n, len - (size_t)n, ", with anomalies (ptwalk check lists them)");
}

static void draw_band_label(const struct map_out *m, const struct map_band *b, unsigned row)
{
	unsigned y = TOP_H + row * ROW_H;
	unsigned d = addr_digits(m);
	char sz[32], line[160];

	if (row & 1)
		out_printf("<rect x=\"0\" y=\"%u\" width=\"%u\" height=\"%u\" fill=\"#f4f4f4\"/>\n", y,
			   PIC_W, ROW_H);
	out_printf("<g class=\"band-label\" data-row=\"%u\">", row);
	out_printf("<text class=\"label\" x=\"8\" y=\"%u\" font-weight=\"bold\">", y + 15);
	put_escaped(b->label);
	out_printf("</text>");
	if (b->n)
		snprintf(line, sizeof line, "0x%0*llx-0x%0*llx", d, (unsigned long long)b->seg[0].va, d,
			 (unsigned long long)b->seg[b->n - 1].end);
	else
		line[0] = 0;
	out_printf("<text class=\"label\" x=\"8\" y=\"%u\">%s</text>", y + 30, line);
	format_size(sz, sizeof sz, b->bytes);
	out_printf("<text class=\"label\" x=\"%u\" y=\"%u\" text-anchor=\"end\">%s, %llu %s</text></g>\n",
		   BAR_X + BAR_W, y + 38, sz, (unsigned long long)b->entries,
		   m->diff ? "records" : "entries");
}

static void draw_band_bar(const struct map_out *m, const struct map_band *b, unsigned row)
{
	unsigned y = TOP_H + row * ROW_H;

	out_printf("<g class=\"band\" data-row=\"%u\" data-label=\"", row);
	put_escaped(b->label);
	out_printf("\">\n");
	double total = 0;
	for (size_t i = 0; i < b->n; i++) {
		total += seg_weight(m, &b->seg[i]);
		if (i + 1 < b->n)
			total += gap_weight(m, b->seg[i + 1].va - b->seg[i].end - 1);
	}
	double scale = total > 0 ? BAR_W / total : 0, x = BAR_X;
	out_printf("<line x1=\"%u\" y1=\"%u\" x2=\"%u\" y2=\"%u\" stroke=\"#999\" stroke-width=\"1\"/>\n",
		   BAR_X, y + 19, BAR_X + BAR_W, y + 19);
	for (size_t i = 0; i < b->n; i++) {
		const struct map_seg *s = &b->seg[i];
		double w = seg_weight(m, s) * scale;
		char tip[320];
		seg_tip(m, s, tip, sizeof tip);
		out_printf("<rect class=\"seg\" x=\"%.2f\" y=\"%u\" width=\"%.2f\" height=\"18\" fill=\"%s\"%s",
			   x, y + 10, w < 0.6 ? 0.6 : w, m->cls[s->cls].color,
			   (s->flags & SEG_MIXED) ? " stroke=\"#555\" stroke-width=\"0.5\"" : "");
		out_printf(" data-class=\"%u\"", s->cls);
		if (m->fmt == MAP_HTML) {
			out_printf(" data-t=\"");
			put_escaped(tip);
			out_printf("\"/>\n");
		} else {
			out_printf("><title>");
			put_escaped(tip);
			out_printf("</title></rect>\n");
		}
		if (s->flags & SEG_ANOMALY)
			out_printf("<path class=\"anomaly\" d=\"M%.2f %u l-4 -7 h8 z\" fill=\"#d62728\"/>\n",
				   x + w / 2, y + 9);
		x += w;
		if (i + 1 < b->n) {
			uint64_t gap = b->seg[i + 1].va - s->end - 1;
			double gw = gap_weight(m, gap) * scale;
			/* A break mark where a gigabyte or more is left out. */
			if (gap >= (1ull << 30) && gw >= 2)
				out_printf("<path class=\"gap\" d=\"M%.2f %u l-1.5 6 l3 6 l-1.5 6\" stroke=\"#666\" fill=\"none\"/>\n",
					   x + gw / 2, y + 10);
			x += gw;
		}
	}
	out_printf("</g>\n");
}

static void draw_legend(const struct map_out *m, unsigned y)
{
	unsigned row = 0;
	out_printf("<g class=\"legend\">\n");
	out_printf("<text class=\"label\" x=\"8\" y=\"%u\" font-weight=\"bold\">%s</text>\n", y + 12,
		   m->diff ? "Changes (ranges and bytes)" : "Forms (entries and bytes)");
	row++;
	for (unsigned i = 0; i < m->ncls; i++) {
		const struct map_class *c = &m->cls[i];
		if (!c->entries)
			continue;
		char sz[32];
		format_size(sz, sizeof sz, c->bytes);
		unsigned ly = y + row * LEGEND_H;
		out_printf("<g class=\"key\" data-class=\"%u\"><rect x=\"8\" y=\"%u\" width=\"28\" height=\"12\" fill=\"%s\"/>",
			   i, ly + 2, c->color);
		out_printf("<text class=\"label\" x=\"44\" y=\"%u\">", ly + 12);
		put_escaped(c->label);
		out_printf(": %llu %s, %s</text></g>\n", (unsigned long long)c->entries,
			   m->diff ? (c->entries == 1 ? "range" : "ranges") :
				     (c->entries == 1 ? "entry" : "entries"), sz);
		row++;
	}
	if (m->anomalous) {
		unsigned ly = y + row * LEGEND_H;
		out_printf("<g class=\"key anomaly-key\"><path d=\"M22 %u l-4 -6 h8 z\" fill=\"#d62728\"/>", ly + 12);
		out_printf("<text class=\"label\" x=\"44\" y=\"%u\">anomaly: %llu %s (see ptwalk check)</text></g>\n",
			   ly + 12, (unsigned long long)m->anomalous, m->anomalous == 1 ? "entry" : "entries");
		row++;
	}
	out_printf("</g>\n");
}

static unsigned legend_rows(const struct map_out *m)
{
	unsigned rows = 1 + (m->anomalous != 0);
	for (unsigned i = 0; i < m->ncls; i++)
		rows += m->cls[i].entries != 0;
	return rows;
}

static const char html_head[] =
	"<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
	"<meta name=\"generator\" content=\"ptwalk " PACKAGE_VERSION "\">\n<title>";

static const char html_style[] =
	"</title>\n<style>\n"
	"body{margin:0;font:13px sans-serif;background:#fff}\n"
	"#bar{position:sticky;top:0;background:#eee;padding:4px 8px;border-bottom:1px solid #ccc}\n"
	"#bar button{margin-right:4px}\n"
	"#wrap{overflow:auto}\n"
	"#tip{position:fixed;display:none;background:#ffffe0;border:1px solid #888;padding:3px 6px;"
	"font:12px monospace;pointer-events:none;white-space:nowrap}\n"
	"rect.seg:hover{stroke:#000;stroke-width:1}\n"
	"</style></head><body>\n"
	"<div id=\"bar\">zoom <button id=\"zin\">+</button><button id=\"zout\">&#8722;</button>"
	"<button id=\"zreset\">1:1</button> wheel: zoom the bars at the pointer; drag: pan</div>\n"
	"<div id=\"wrap\">\n";

/* Zoom scales the bars' group around the pointer (the labels stay);
 * the tooltip shows a range's data-t. No network, no external script. */
static const char html_script[] =
	"</div><div id=\"tip\"></div>\n<script>\n"
	"(function(){\n"
	"var svg=document.querySelector('svg'),bars=document.getElementById('bars'),tip=document.getElementById('tip');\n"
	"var X0=" "272" ",W=" "990" ",k=1,off=0,drag=null;\n"
	"function apply(){if(k<1)k=1;"
	"if(off<X0+W-k*(X0+W))off=X0+W-k*(X0+W);if(off>X0-k*X0)off=X0-k*X0;"
	"bars.setAttribute('transform','translate('+off+' 0) scale('+k+' 1)');}\n"
	"function zoom(f,cx){var nk=Math.min(1e6,Math.max(1,k*f));off=cx-(cx-off)*nk/k;k=nk;apply();}\n"
	"document.getElementById('zin').onclick=function(){zoom(2,X0+W/2);};\n"
	"document.getElementById('zout').onclick=function(){zoom(0.5,X0+W/2);};\n"
	"document.getElementById('zreset').onclick=function(){k=1;off=0;apply();};\n"
	"function svgX(e){var r=svg.getBoundingClientRect();return (e.clientX-r.left)*svg.viewBox.baseVal.width/r.width;}\n"
	"svg.addEventListener('wheel',function(e){e.preventDefault();zoom(e.deltaY<0?1.25:0.8,svgX(e));},{passive:false});\n"
	"svg.addEventListener('mousedown',function(e){drag={x:svgX(e),off:off};});\n"
	"window.addEventListener('mouseup',function(){drag=null;});\n"
	"svg.addEventListener('mousemove',function(e){if(drag){off=drag.off+svgX(e)-drag.x;apply();}\n"
	"var t=e.target.getAttribute&&e.target.getAttribute('data-t');"
	"if(t){tip.textContent=t;tip.style.display='block';tip.style.left=(e.clientX+12)+'px';tip.style.top=(e.clientY+12)+'px';}"
	"else tip.style.display='none';});\n"
	"svg.addEventListener('mouseleave',function(){tip.style.display='none';});\n"
	"apply();\n"
	"})();\n</script>\n</body></html>\n";

void map_write(struct map_out *m)
{
	unsigned nb = (unsigned)m->nbands;
	unsigned legend_y = TOP_H + nb * ROW_H + 12;
	unsigned h = legend_y + legend_rows(m) * LEGEND_H + 12;
	char sz[32];

	if (m->fmt == MAP_HTML) {
		out_printf("%s", html_head);
		put_escaped(m->title);
		out_printf("%s", html_style);
	}
	out_printf("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%u\" height=\"%u\" viewBox=\"0 0 %u %u\" "
		   "font-family=\"DejaVu Sans Mono, monospace\" font-size=\"10.5\">\n",
		   PIC_W, h, PIC_W, h);
	out_printf("<title>");
	put_escaped(m->title);
	out_printf("</title>\n<desc>Drawn by ptwalk %s: each band a region or a process, ranges in VA order, "
		   "widths by the log of their size, gaps compressed.</desc>\n", PACKAGE_VERSION);
	out_printf("<defs><clipPath id=\"clip\"><rect x=\"%u\" y=\"0\" width=\"%u\" height=\"%u\"/></clipPath></defs>\n",
		   BAR_X, BAR_W, h);
	out_printf("<rect x=\"0\" y=\"0\" width=\"%u\" height=\"%u\" fill=\"#fff\"/>\n", PIC_W, h);
	out_printf("<text class=\"label\" x=\"8\" y=\"20\" font-size=\"14\" font-weight=\"bold\">");
	put_escaped(m->title);
	out_printf("</text>\n<text class=\"label\" x=\"8\" y=\"38\">");
	put_escaped(m->subtitle);
	out_printf("</text>\n");
	format_size(sz, sizeof sz, m->bytes);
	out_printf("<text class=\"label\" x=\"8\" y=\"54\">%llu %s, %s %s; %zu %s%s</text>\n",
		   (unsigned long long)m->entries,
		   m->diff ? "records" : "entries", sz, m->diff ? "changed" : "mapped", m->nbands,
		   m->nbands == 1 ? "band" : "bands",
		   m->dropped_bands ? " (more tables than a picture holds: the rest left out)" : "");
	/* Bands: the labels outside the group that zooms. */
	for (unsigned i = 0; i < nb; i++)
		draw_band_label(m, &m->bands[i], i);
	out_printf("<g clip-path=\"url(#clip)\"><g id=\"bars\">\n");
	for (unsigned i = 0; i < nb; i++)
		draw_band_bar(m, &m->bands[i], i);
	out_printf("</g></g>\n");
	draw_legend(m, legend_y);
	out_printf("</svg>\n");
	if (m->fmt == MAP_HTML)
		out_printf("%s", html_script);
}
