/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Logical entries as text, JSON Lines or CSV (see entry_out.h).
 *
 * Lines are built by hand into a buffer and written once: printf costs
 * more than the whole walk per entry, and a walk prints millions. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "entry_out.h"
#include "field_out.h"
#include "output.h"
#include "walk_cli.h"
#include "xalloc.h"

void entry_out_list_columns(void)
{
	fields_list_columns(entry_fields, EF_COUNT_ALL);
	flags_list_letters();
}

void entry_out_default_columns(struct entry_out *eo)
{
	/* What fits 80 columns (a note aside); END, COUNT, CACHE and the
	 * rest through -o +COL. */
	static const enum entry_field text_cols[] = {
		EF_VA, EF_SIZE, EF_LEVEL, EF_FORM, EF_PA, EF_FLAGS, EF_NOTE,
	};
	eo->ncols = 0;
	if (eo->format == EFMT_TEXT) {
		/* Text names the process on a line of its own. */
		for (size_t i = 0; i < sizeof text_cols / sizeof text_cols[0]; i++)
			eo->cols[eo->ncols++] = text_cols[i];
		return;
	}
	/* JSON and CSV carry every field but the human note; whose entries
	 * they are when processes are walked. */
	for (unsigned c = 0; c < EF_COUNT_ALL; c++) {
		if (c == EF_NOTE || c == EF_ATTRS ||
		    (!eo->processes && (c == EF_PID || c == EF_COMM || c == EF_ROOT)))
			continue;
		eo->cols[eo->ncols++] = (enum entry_field)c;
	}
}

bool entry_out_wants_regions(const struct entry_out *eo)
{
	if (eo->merge && eo->format == EFMT_TEXT)
		return true;
	for (unsigned i = 0; i < eo->ncols; i++)
		if (eo->cols[i] == EF_REGION)
			return true;
	return false;
}

int entry_out_columns(struct entry_out *eo, const char *list, struct pt_error *err)
{
	unsigned cols[ENTRY_MAX_COLS], n = eo->ncols;
	for (unsigned i = 0; i < n; i++)
		cols[i] = eo->cols[i];
	if (pt_field_list(entry_fields, EF_COUNT_ALL, list, cols, &n, ENTRY_MAX_COLS, err))
		return -1;
	for (unsigned i = 0; i < n; i++)
		eo->cols[i] = (enum entry_field)cols[i];
	eo->ncols = n;
	return 0;
}

static bool has_pa(const struct logical_entry *le)
{
	return pt_kind_has_pa(le->d.kind);
}

static const char *cache_name(const struct entry_out *eo, const struct logical_entry *le)
{
	if (le->d.kind != PTK_LEAF)
		return "";
	return eo->pg->arch->cache_names[le->d.cache];
}

static char *put_note(char *p, const struct logical_entry *le)
{
	char an[256];
	bool any = false;
	if (le->d.kind == PTK_SWAP) {
		p = put_str(p, le->d.swap_kind);
		p = put_str(p, " type=");
		p = put_dec(p, le->d.swap_type);
		p = put_str(p, " offset=");
		p = put_hex(p, le->d.swap_offset);
		any = true;
	}
	if (le->form == FORM_ALIAS) {
		p = put_str(p, "alias of ");
		p = put_hex16(p, le->alias_of);
		any = true;
	}
	if (le->d.kind == PTK_BAD) {
		/* An arch's reason: short fixed text, bounded all the same. */
		size_t n = strnlen(le->d.why, 96);
		if (any)
			*p++ = ' ';
		memcpy(p, le->d.why, n);
		p += n;
		any = true;
	}
	if (le->anomalies) {
		format_anomalies(an, sizeof an, le->anomalies);
		if (any)
			*p++ = ' ';
		*p++ = '!';
		p = put_str(p, an);
		any = true;
	}
	/* Which slots of a gang gone wrong: those the entry holds, or
	 * those that differ from the first. */
	if (le->gang_slots) {
		p = put_str(p, any ? " (" : "(");
		if (le->gang_odd > 1) {
			p = put_dec(p, le->gang_odd);
			p = put_str(p, " of ");
			p = put_dec(p, le->gang_slots);
			p = put_str(p, " slots differ, the first ");
			p = put_dec(p, le->gang_odd_first);
		} else if (le->gang_odd) {
			p = put_str(p, "slot ");
			p = put_dec(p, le->gang_odd_first);
			p = put_str(p, " of ");
			p = put_dec(p, le->gang_slots);
			p = put_str(p, " differs");
		} else {
			p = put_str(p, le->count > 1 ? "slots " : "slot ");
			p = put_dec(p, le->gang_first);
			if (le->count > 1) {
				*p++ = '-';
				p = put_dec(p, le->gang_first + le->count - 1);
			}
			p = put_str(p, " of ");
			p = put_dec(p, le->gang_slots);
		}
		*p++ = ')';
	}
	return p;
}

/* ---- Fragment cache ------------------------------------------------------
 * Neighbouring entries mostly differ only in their addresses. For a plain
 * leaf whose other fields equal the previous plain leaf's, every column
 * but the address ones is copied from the previous line's text. */

/* Bytes LE maps: a leaf its size, an alias what its slot maps through
 * the shared table (when the walk summarized it), anything else none.
 * False when not known. */
static bool entry_mapped(const struct logical_entry *le, uint64_t *bytes)
{
	if (le->form == FORM_ALIAS) {
		if (!le->subtree)
			return false;
		*bytes = le->subtree->bytes_mapped;
		return true;
	}
	*bytes = le->d.kind == PTK_LEAF ? le->size : 0;
	return true;
}

bool entry_out_wants_subtrees(const struct entry_out *eo)
{
	for (unsigned i = 0; i < eo->ncols; i++) {
		if (eo->cols[i] == EF_MAPPED)
			return true;
	}
	return false;
}

/* Returns whether LE's fragments may come from the cache; updates the
 * remembered attributes otherwise. */
static inline int entry_region(struct entry_out *eo, const struct logical_entry *le)
{
	return eo->regions ? (int)region_of(eo->regions, le->va, &eo->region_hint) : RG_NONE;
}

static bool frags_reusable(struct entry_out *eo, const struct logical_entry *le)
{
	bool plain = le->d.kind == PTK_LEAF && !le->anomalies && le->form != FORM_ALIAS;
	if (!plain) {
		eo->frag_valid = false;
		return false;
	}
	int region = entry_region(eo, le);
	if (eo->frag_valid && eo->frag_region == region && eo->frag_le.size == le->size &&
	    eo->frag_le.count == le->count &&
	    eo->frag_le.level == le->level && eo->frag_le.form == le->form &&
	    eo->frag_le.d.flags == le->d.flags && eo->frag_le.d.cache == le->d.cache &&
	    eo->frag_le.d.pkey == le->d.pkey)
		return true;
	eo->frag_le = *le;
	eo->frag_region = region;
	eo->frag_valid = true;
	return false;
}

static void frag_save(struct entry_out *eo, unsigned i, const char *start, const char *end)
{
	size_t n = (size_t)(end - start);
	if (n > sizeof eo->frag[i]) {
		eo->frag_valid = false;
		return;
	}
	memcpy(eo->frag[i], start, n);
	eo->frag_len[i] = (uint16_t)n;
}

/* ---- Text --------------------------------------------------------------- */

/* Field F of LE, with whose entry it is from the target. NOTE is where
 * a note is built (ENTRY_NOTE_MAX bytes). */
static inline __attribute__((always_inline)) void
entry_value(struct entry_out *eo, enum entry_field f, const struct logical_entry *le,
	    struct field_value *v, char *note)
{
	const struct walk_target *t = eo->target;
	bool leaf = le->d.kind == PTK_LEAF;
	v->present = true;
	v->s = NULL;
	v->u = 0;
	switch (f) {
	case EF_PID: v->present = t && t->process; v->u = v->present ? (uint64_t)t->pid : 0; break;
	case EF_COMM: v->present = t && t->process; v->s = v->present ? t->comm : NULL; break;
	case EF_ROOT:
		v->present = t && t->have_user_root;
		v->u = v->present ? t->user_root : 0;
		break;
	case EF_VA: v->u = le->va; break;
	case EF_END: v->u = le->va + le->size - 1; break;
	case EF_SIZE: v->u = le->size; break;
	case EF_LEVEL: v->s = pt_level_name(eo->pg, le->level); break;
	case EF_FORM: v->u = le->form; break;
	case EF_COUNT: v->u = le->count; break;
	case EF_KIND: v->u = le->d.kind; break;
	case EF_PA: v->present = has_pa(le); v->u = le->d.pa; break;
	case EF_PFN: v->present = has_pa(le); v->u = le->d.pa >> eo->pg->page_shift; break;
	case EF_FLAGS: v->u = le->d.flags; break;
	case EF_CACHE: v->present = leaf; v->s = cache_name(eo, le); break;
	/* x86_64's alone: null elsewhere. */
	case EF_PKEY: v->present = leaf && eo->pg->arch->has_pkeys; v->u = le->d.pkey; break;
	case EF_SWAP:
		v->present = le->d.kind == PTK_SWAP;
		v->s = le->d.swap_kind;
		v->swap_type = le->d.swap_type;
		v->u = le->d.swap_offset;
		break;
	case EF_RAW: v->u = le->raw; break;
	case EF_SLOT: v->u = le->slot_pa; break;
	case EF_ANOMALIES: v->u = le->anomalies; break;
	case EF_ALIAS_OF: v->present = le->form == FORM_ALIAS; v->u = le->alias_of; break;
	case EF_MAPPED: v->present = entry_mapped(le, &v->u); break;
	case EF_REGION:
		v->u = (uint64_t)entry_region(eo, le);
		v->present = v->u != RG_NONE;
		break;
	case EF_NOTE:
		*put_note(note, le) = 0;
		v->s = note;
		break;
	case EF_ATTRS:
		/* A leaf's, in the words of the kernel's ptdump. */
		v->present = le->d.kind == PTK_LEAF && eo->pg->arch->attr_words;
		if (v->present) {
			attr_words_format(eo->pg, le->level, le->raw, note, ENTRY_NOTE_MAX);
			v->s = note;
		}
		break;
	default: v->present = false; break;
	}
}

/* ---- Text --------------------------------------------------------------- */

unsigned entry_out_va_digits(const struct paging *pg)
{
	return pg && pg->arch && pg->arch->elf_class == 32 ? 8 : 16;
}

/* Hex digits of the architecture's virtual and physical addresses and
 * of its entries: 8 on 32-bit 8xx, what the physical address mask
 * spans (12 or 13 on arm64 and x86_64), 16 for 64-bit addresses. */
static void text_widths(struct entry_out *eo)
{
	const struct paging *pg = eo->pg;
	unsigned va = entry_out_va_digits(pg), pa = 16, raw = 16;
	if (pg && pg->arch) {
		pa = pg->phys_addr_mask ? hex_digits(pg->phys_addr_mask) : 16;
		if (pa < 8)
			pa = 8;
		raw = pg->entry_size ? pg->entry_size * 2 : 16;
	}
	for (unsigned i = 0; i < eo->ncols; i++) {
		enum entry_field c = eo->cols[i];
		unsigned d = 0;
		switch (c) {
		case EF_VA: case EF_END: d = va; break;
		case EF_PA: case EF_SLOT: d = pa; break;
		case EF_RAW: d = raw; break;
		default: break;
		}
		eo->hexw[i] = (uint8_t)d;
		eo->width[i] = (int8_t)(d ? -(int)(d + 2) : field_width(&entry_fields[c]));
	}
}

static void text_header(struct entry_out *eo)
{
	char *line = eo->line, *p = line;
	for (unsigned i = 0; i < eo->ncols; i++) {
		const struct pt_field *cd = &entry_fields[eo->cols[i]];
		char *start = p;
		p = put_str(p, cd->heading);
		if (i + 1 < eo->ncols) {
			if (!eo->raw)
				p = pad_to(start, p, eo->width[i]);
			*p++ = ' ';
		}
	}
	*p++ = '\n';
	out_write(line, (size_t)(p - line));
}

/* The columns of LE from P on, each by ONE: address columns formatted
 * every time, the runs between them copied from the previous line when
 * the entry's other fields are the same (see frags_reusable()). Inlined
 * into each format's line function, so ONE is a direct call there. */
typedef char *column_fn(struct entry_out *eo, char *p, unsigned i, const struct logical_entry *le);

static inline __attribute__((always_inline)) char *
put_columns(struct entry_out *eo, char *p, const struct logical_entry *le, column_fn *one)
{
	bool reuse = frags_reusable(eo, le);
	for (unsigned i = 0; i < eo->ncols;) {
		if (eo->varies >> i & 1) {
			p = one(eo, p, i++, le);
			continue;
		}
		/* A run of non-address columns: one cached fragment. */
		if (reuse) {
			memcpy(p, eo->frag[i], eo->frag_len[i]);
			p += eo->frag_len[i];
			i = eo->run_end[i];
			continue;
		}
		char *start = p;
		unsigned j = i;
		while (j < eo->ncols && !(eo->varies >> j & 1))
			p = one(eo, p, j++, le);
		eo->run_end[i] = j;
		if (eo->frag_valid)
			frag_save(eo, i, start, p);
		i = j;
	}
	return p;
}

/* Columns other than the addresses: mostly copied from the previous
 * line (frags_reusable()), formatted here when not, out of line. */
static __attribute__((noinline)) char *
put_value(struct entry_out *eo, char *p, enum entry_field c, const struct logical_entry *le,
	  enum entry_format fmt)
{
	struct field_value v;
	char note[ENTRY_NOTE_MAX];
	entry_value(eo, c, le, &v, note);
	switch (fmt) {
	case EFMT_TEXT: return field_text(p, &entry_fields[c], &v);
	case EFMT_CSV: return field_csv(p, &entry_fields[c], &v);
	case EFMT_JSON: return field_json(p, &entry_fields[c], &v);
	}
	return p;
}

/* An address column (entry_field_varies()), inline: every line has a
 * few. */
static inline __attribute__((always_inline)) void
addr_value(struct entry_out *eo, enum entry_field c, const struct logical_entry *le,
	   struct field_value *v)
{
	entry_value(eo, c, le, v, NULL);
}

static char *text_one(struct entry_out *eo, char *p, unsigned i, const struct logical_entry *le)
{
	enum entry_field c = eo->cols[i];
	char *start = p;
	if (eo->varies >> i & 1) {
		struct field_value v;
		addr_value(eo, c, le, &v);
		p = eo->hexw[i] && v.present ? put_hexw(p, v.u, eo->hexw[i]) : field_text_hex(p, &entry_fields[c], &v);
	} else {
		p = put_value(eo, p, c, le, EFMT_TEXT);
		if (eo->raw)
			p = raw_escape(start, p);
	}
	if (i + 1 < eo->ncols) {
		if (!eo->raw)
			p = pad_to(start, p, eo->width[i]);
		*p++ = ' ';
	}
	return p;
}

static void text_line(struct entry_out *eo, const struct logical_entry *le)
{
	char *line = out_reserve(ENTRY_LINE_MAX), *p = line;
	p = put_columns(eo, p, le, text_one);
	/* No trailing blanks when the last column is empty. */
	while (!eo->raw && p > line && p[-1] == ' ')
		p--;
	*p++ = '\n';
	out_commit(p);
}

/* ---- CSV ---------------------------------------------------------------- */

static void csv_header(struct entry_out *eo)
{
	char *line = eo->line, *p = line;
	for (unsigned i = 0; i < eo->ncols; i++) {
		if (i)
			*p++ = ',';
		p = put_str(p, entry_fields[eo->cols[i]].name);
	}
	*p++ = '\n';
	out_write(line, (size_t)(p - line));
}

static char *csv_one(struct entry_out *eo, char *p, unsigned i, const struct logical_entry *le)
{
	enum entry_field c = eo->cols[i];
	if (i)
		*p++ = ',';
	if (eo->varies >> i & 1) {
		struct field_value v;
		addr_value(eo, c, le, &v);
		return v.present ? field_text_hex(p, &entry_fields[c], &v) : p;
	}
	return put_value(eo, p, c, le, EFMT_CSV);
}

static void csv_line(struct entry_out *eo, const struct logical_entry *le)
{
	char *p = out_reserve(ENTRY_LINE_MAX);
	p = put_columns(eo, p, le, csv_one);
	*p++ = '\n';
	out_commit(p);
}

/* ---- JSON Lines --------------------------------------------------------- */

static inline char *json_key_value(struct entry_out *eo, char *p, enum entry_field c,
				   const struct logical_entry *le, bool varies)
{
	*p++ = '"';
	p = put_str(p, entry_fields[c].name);
	*p++ = '"';
	*p++ = ':';
	if (varies) {
		struct field_value v;
		addr_value(eo, c, le, &v);
		return field_json_hex(p, &v);
	}
	return put_value(eo, p, c, le, EFMT_JSON);
}

static char *json_field(struct entry_out *eo, char *p, enum entry_field c,
			const struct logical_entry *le)
{
	return json_key_value(eo, p, c, le, entry_field_varies(c));
}

static char *json_one(struct entry_out *eo, char *p, unsigned i, const struct logical_entry *le)
{
	enum entry_field c = eo->cols[i];
	if (i)
		*p++ = ',';
	memcpy(p, eo->jkey[i], sizeof eo->jkey[i]);
	p += eo->jkey_len[i];
	if (eo->varies >> i & 1) {
		struct field_value v;
		addr_value(eo, c, le, &v);
		return field_json_hex(p, &v);
	}
	return put_value(eo, p, c, le, EFMT_JSON);
}

static void json_line(struct entry_out *eo, const struct logical_entry *le)
{
	json_doc_item(&eo->doc);
	char *p = out_reserve(ENTRY_LINE_MAX);
	*p++ = '{';
	p = put_columns(eo, p, le, json_one);
	*p++ = '}';
	*p++ = '\n';
	out_commit(p);
}

void entry_out_json_object(struct entry_out *eo, const struct logical_entry *le)
{
	char *line = eo->line, *p = line;
	*p++ = '{';
	bool first = true;
	for (unsigned c = 0; c < EF_COUNT_ALL; c++) {
		if (c == EF_NOTE || c == EF_ATTRS ||
		    (!eo->processes && (c == EF_PID || c == EF_COMM || c == EF_ROOT)))
			continue;
		if (!first)
			*p++ = ',';
		first = false;
		p = json_field(eo, p, (enum entry_field)c, le);
	}
	*p++ = '}';
	out_write(line, (size_t)(p - line));
}

/* ---- The sink ----------------------------------------------------------- */

static void emit(struct entry_out *eo, const struct logical_entry *le)
{
	if (!eo->header_done) {
		eo->header_done = true;
		/* The columns are chosen: which vary per entry, once. */
		eo->varies = 0;
		for (unsigned i = 0; i < eo->ncols; i++) {
			eo->varies |= (uint32_t)entry_field_varies(eo->cols[i]) << i;
			int n = snprintf(eo->jkey[i], sizeof eo->jkey[i], "\"%s\":",
					 entry_fields[eo->cols[i]].name);
			eo->jkey_len[i] = (uint8_t)(n > 0 && (size_t)n < sizeof eo->jkey[i] ? n : 0);
		}
		text_widths(eo);
		if (eo->headings && eo->format == EFMT_TEXT)
			text_header(eo);
		else if (eo->headings && eo->format == EFMT_CSV)
			csv_header(eo);
	}
	eo->entries++;
	uint64_t mapped;
	if (entry_mapped(le, &mapped))
		eo->mapped += mapped;
	else if (le->form == FORM_ALIAS)
		eo->mapped_unknown = true;
	/* --merge's text names each region as it starts, as ptdump's
	 * markers do. */
	if (eo->merge && eo->regions && eo->format == EFMT_TEXT) {
		int region = entry_region(eo, le);
		if (region != eo->section) {
			eo->section = region;
			out_printf("---[ %s ]---\n", region_names[region]);
		}
	}
	switch (eo->format) {
	case EFMT_TEXT: text_line(eo, le); break;
	case EFMT_CSV: csv_line(eo, le); break;
	case EFMT_JSON: json_line(eo, le); break;
	}
}

int entry_out_sink(void *arg, const struct logical_entry *le)
{
	struct entry_out *eo = arg;

	if (!eo->merge) {
		emit(eo, le);
		return 0;
	}
	/* The rule diff --merge applies (diff_entry_extends()). */
	diff_entry_from_logical(&eo->next_d, le, eo->pg);
	if (eo->pending && diff_entry_extends(&eo->held_d, &eo->next_d)) {
		eo->held_d.size += le->size;
		eo->held_d.count += le->count;
		eo->held.size += le->size;
		eo->held.count += le->count;
		return 0;
	}
	if (eo->pending) {
		emit(eo, &eo->held);
		eo->pending = false;
	}
	/* Only a leaf may be extended; anything else goes now (an alias's
	 * subtree lives only until the sink returns). */
	if (le->d.kind != PTK_LEAF || le->anomalies) {
		emit(eo, le);
		return 0;
	}
	eo->held = *le;
	eo->held_d = eo->next_d;
	eo->pending = true;
	return 0;
}

void entry_out_finish(struct entry_out *eo)
{
	if (eo->pending) {
		emit(eo, &eo->held);
		eo->pending = false;
	}
	if (!eo->header_done && eo->headings) {
		eo->header_done = true;
		text_widths(eo);
		if (eo->format == EFMT_TEXT)
			text_header(eo);
		else if (eo->format == EFMT_CSV)
			csv_header(eo);
	}
}
