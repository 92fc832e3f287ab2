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
#include "output.h"
#include "walk_cli.h"
#include "xalloc.h"

struct col_def {
	const char *name;	/* -o name, JSON key, CSV heading (lower case) */
	const char *heading;	/* text heading */
	int width;		/* text width; negative = left-aligned */
	const char *help;	/* --list-columns (man page: Walk columns) */
};

static const struct col_def col_defs[COL_COUNT_ALL] = {
	[COL_PID]	= { "pid", "PID", 7, "the process's PID (several processes)" },
	[COL_COMM]	= { "comm", "COMM", -16, "the process's command name (several processes)" },
	[COL_ROOT]	= { "root", "ROOT", -18, "the process's root table (several processes)" },
	[COL_VA]	= { "va", "VA", -18, "first virtual address" },
	[COL_END]	= { "end", "END", -18, "last virtual address (inclusive)" },
	[COL_SIZE]	= { "size", "SIZE", 5, "bytes mapped" },
	[COL_LEVEL]	= { "level", "LEVEL", -5, "level of the leaf entries (pgd, p4d, pud, pmd, pte)" },
	[COL_FORM]	= { "form", "FORM", -8, "single, a gang (cont-pte, cont-pmd, 8xx-8m, 8xx-512k, 8xx-16k), hugepd, alias or table" },
	[COL_COUNT]	= { "count", "COUNT", 5, "physical entries folded into this one" },
	[COL_KIND]	= { "kind", "KIND", -5, "leaf (present or protnone), swap, bad or table" },
	[COL_PA]	= { "pa", "PA", -18, "physical address of the first byte mapped (of the table for alias and table)" },
	[COL_PFN]	= { "pfn", "PFN", -14, "page frame number of pa" },
	[COL_FLAGS]	= { "flags", "FLAGS", -17, "permission and state flags (prwxXugdascSWDGhe)" },
	[COL_CACHE]	= { "cache", "CACHE", -13, "memory type" },
	[COL_PKEY]	= { "pkey", "PKEY", 4, "protection key" },
	[COL_SWAP]	= { "swap", "SWAP", -40, "swap entry: kind, type and offset" },
	[COL_RAW]	= { "raw", "RAW", -18, "raw value of the first physical entry" },
	[COL_SLOT]	= { "slot", "SLOT", -18, "physical address of the first slot" },
	[COL_ANOMALIES]	= { "anomalies", "ANOMALIES", -20, "what is wrong with the entry (see ANOMALIES)" },
	[COL_ALIAS_OF]	= { "alias_of", "ALIAS_OF", -18, "where an aliased table was walked" },
	[COL_MAPPED]	= { "mapped", "MAPPED", 6, "bytes an entry maps, aliased slots as what they reach" },
	[COL_NOTE]	= { "note", "NOTE", 0, "swap entry, alias or anomalies, in words" },
};

void entry_out_list_columns(void)
{
	for (unsigned i = 0; i < COL_COUNT_ALL; i++)
		out_printf("%-10s %s\n", col_defs[i].name, col_defs[i].help);
}

int parse_entry_format(const char *arg, enum entry_format *fmt)
{
	if (!strcmp(arg, "text"))
		*fmt = EFMT_TEXT;
	else if (!strcmp(arg, "json"))
		*fmt = EFMT_JSON;
	else if (!strcmp(arg, "csv"))
		*fmt = EFMT_CSV;
	else
		return -1;
	return 0;
}

void entry_out_default_columns(struct entry_out *eo)
{
	static const enum entry_col text_cols[] = {
		COL_VA, COL_END, COL_SIZE, COL_LEVEL, COL_FORM, COL_COUNT, COL_PA,
		COL_FLAGS, COL_CACHE, COL_NOTE,
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
	for (unsigned c = 0; c < COL_COUNT_ALL; c++) {
		if (c == COL_NOTE || (!eo->processes && (c == COL_PID || c == COL_COMM || c == COL_ROOT)))
			continue;
		eo->cols[eo->ncols++] = (enum entry_col)c;
	}
}

int entry_out_columns(struct entry_out *eo, const char *list, struct pt_error *err)
{
	if (*list == '+')
		list++;
	else
		eo->ncols = 0;
	char *copy = xstrdup(list), *save = NULL;
	for (char *tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		unsigned c;
		for (c = 0; c < COL_COUNT_ALL; c++) {
			if (!strcasecmp(tok, col_defs[c].name))
				break;
		}
		if (c == COL_COUNT_ALL) {
			pt_fail(err, PT_EXIT_USAGE, "unknown column '%s' (columns: pid, comm, root, va, end, "
				"size, level, form, count, kind, pa, pfn, flags, cache, pkey, swap, raw, "
				"slot, anomalies, alias_of, mapped, note)", tok);
			free(copy);
			return -1;
		}
		if (eo->ncols == ENTRY_MAX_COLS) {
			free(copy);
			return pt_fail(err, PT_EXIT_USAGE, "too many columns: at most %d", ENTRY_MAX_COLS);
		}
		eo->cols[eo->ncols++] = (enum entry_col)c;
	}
	free(copy);
	if (!eo->ncols)
		return pt_fail(err, PT_EXIT_USAGE, "no columns given");
	return 0;
}

/* ---- Small formatters -------------------------------------------------- */

static char *put_str(char *p, const char *s)
{
	size_t n = strlen(s);
	memcpy(p, s, n);
	return p + n;
}

/* Two hex digits per byte value, for the fixed-width formatter. */
static const char hex_pairs[513] =
	"000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
	"202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f"
	"404142434445464748494a4b4c4d4e4f505152535455565758595a5b5c5d5e5f"
	"606162636465666768696a6b6c6d6e6f707172737475767778797a7b7c7d7e7f"
	"808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f"
	"a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf"
	"c0c1c2c3c4c5c6c7c8c9cacbcccdcecfd0d1d2d3d4d5d6d7d8d9dadbdcdddedf"
	"e0e1e2e3e4e5e6e7e8e9eaebecedeeeff0f1f2f3f4f5f6f7f8f9fafbfcfdfeff";

/* "0x" and 16 hex digits, fixed width: columns line up and sort. */
static char *put_hex16(char *p, uint64_t v)
{
	*p++ = '0';
	*p++ = 'x';
	for (int i = 7; i >= 0; i--) {
		memcpy(p, &hex_pairs[((v >> (i * 8)) & 0xff) * 2], 2);
		p += 2;
	}
	return p;
}

/* "0x" and the shortest hex. */
static char *put_hex(char *p, uint64_t v)
{
	static const char digits[] = "0123456789abcdef";
	int n = v ? (67 - __builtin_clzll(v)) / 4 : 1;
	*p++ = '0';
	*p++ = 'x';
	if (n & 1)
		*p++ = digits[(v >> (4 * --n)) & 0xf];
	while (n) {
		n -= 2;
		memcpy(p, &hex_pairs[((v >> (4 * n)) & 0xff) * 2], 2);
		p += 2;
	}
	return p;
}

static char *put_dec(char *p, uint64_t v)
{
	char tmp[20];
	int n = 0;
	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n)
		*p++ = tmp[--n];
	return p;
}

void format_size(char *buf, size_t len, uint64_t size)
{
	static const char units[] = "KMGTPE";
	char tmp[24], *p = tmp;
	if (size == 0 || (size & 1023)) {
		p = put_dec(p, size);
	} else {
		int u = -1;
		while (!(size & 1023) && u < 5) {
			size >>= 10;
			u++;
		}
		p = put_dec(p, size);
		*p++ = units[u];
	}
	size_t n = (size_t)(p - tmp);
	if (n >= len)
		n = len - 1;
	memcpy(buf, tmp, n);
	buf[n] = 0;
}

void format_flags(char *buf, const struct pt_decoded *d)
{
	static const struct { uint32_t flag; char c; } pos[] = {
		{ PTF_PRESENT, 'p' }, { PTF_READ, 'r' }, { PTF_WRITE, 'w' },
		{ PTF_EXEC_USER, 'x' }, { PTF_EXEC_KERNEL, 'X' }, { PTF_USER, 'u' },
		{ PTF_GLOBAL, 'g' }, { PTF_DIRTY, 'd' }, { PTF_YOUNG, 'a' },
		{ PTF_SPECIAL, 's' }, { PTF_CONT, 'c' }, { PTF_SOFT_DIRTY, 'S' },
		{ PTF_UFFD_WP, 'W' }, { PTF_DEVMAP, 'D' }, { PTF_GUARDED, 'G' },
		{ PTF_SHARED, 'h' }, { PTF_EXCLUSIVE, 'e' },
	};
	for (size_t i = 0; i < sizeof pos / sizeof pos[0]; i++)
		buf[i] = (d->flags & pos[i].flag) ? pos[i].c : '-';
	if (d->flags & PTF_PROTNONE)
		buf[0] = 'n';
	buf[sizeof pos / sizeof pos[0]] = 0;
}

void format_anomalies(char *buf, size_t len, uint32_t anomalies)
{
	size_t n = 0;
	buf[0] = 0;
	for (unsigned i = 0; i < PTA_COUNT; i++) {
		if (!(anomalies & (1u << i)))
			continue;
		int w = snprintf(buf + n, len - n, "%s%s", n ? ";" : "", pt_anomaly_names[i]);
		if (w < 0 || (size_t)w >= len - n)
			break;
		n += (size_t)w;
	}
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
		if (eo->cols[i] == COL_MAPPED)
			return true;
	}
	return false;
}

static bool is_address_col(enum entry_col c)
{
	return c == COL_VA || c == COL_END || c == COL_PA || c == COL_PFN ||
	       c == COL_RAW || c == COL_SLOT;
}

/* Returns whether LE's fragments may come from the cache; updates the
 * remembered attributes otherwise. */
static bool frags_reusable(struct entry_out *eo, const struct logical_entry *le)
{
	bool plain = le->d.kind == PTK_LEAF && !le->anomalies && le->form != FORM_ALIAS;
	if (!plain) {
		eo->frag_valid = false;
		return false;
	}
	if (eo->frag_valid && eo->frag_le.size == le->size && eo->frag_le.count == le->count &&
	    eo->frag_le.level == le->level && eo->frag_le.form == le->form &&
	    eo->frag_le.d.flags == le->d.flags && eo->frag_le.d.cache == le->d.cache &&
	    eo->frag_le.d.pkey == le->d.pkey)
		return true;
	eo->frag_le = *le;
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

static char *pad_to(char *start, char *p, int width)
{
	int w = width < 0 ? -width : width;
	int n = (int)(p - start);
	if (width > 0 && n < w) {
		memmove(start + (w - n), start, (size_t)n);
		memset(start, ' ', (size_t)(w - n));
		return start + w;
	}
	if (n < w) {
		memset(p, ' ', (size_t)(w - n));
		p += w - n;
	}
	return p;
}

static char *text_field(struct entry_out *eo, char *p, enum entry_col c,
			const struct logical_entry *le)
{
	const struct walk_target *t = eo->target;
	switch (c) {
	case COL_PID:
		return t && t->process ? put_dec(p, (uint64_t)t->pid) : put_str(p, "-");
	case COL_COMM:
		return t && t->process ? put_str(p, t->comm) : put_str(p, "-");
	case COL_ROOT:
		return t && t->have_user_root ? put_hex16(p, t->user_root) : put_str(p, "-");
	case COL_VA: return put_hex16(p, le->va);
	case COL_END: return put_hex16(p, le->va + le->size - 1);
	case COL_SIZE:
		/* Neighbours mostly share a size and flags: format once. */
		if (le->size != eo->size_cached) {
			format_size(eo->size_str, sizeof eo->size_str, le->size);
			eo->size_cached = le->size;
		}
		return put_str(p, eo->size_str);
	case COL_LEVEL: return put_str(p, pt_level_name(eo->pg, le->level));
	case COL_FORM: return put_str(p, pt_form_names[le->form]);
	case COL_COUNT: return put_dec(p, le->count);
	case COL_KIND: return put_str(p, pt_kind_names[le->d.kind]);
	case COL_PA: return has_pa(le) ? put_hex16(p, le->d.pa) : put_str(p, "-");
	case COL_PFN:
		return has_pa(le) ? put_hex(p, le->d.pa >> eo->pg->page_shift) : put_str(p, "-");
	case COL_FLAGS:
		if (le->d.flags != eo->flags_cached || !eo->flags_str[0]) {
			format_flags(eo->flags_str, &le->d);
			eo->flags_cached = le->d.flags;
		}
		return put_str(p, eo->flags_str);
	case COL_CACHE: return put_str(p, le->d.kind == PTK_LEAF ? cache_name(eo, le) : "-");
	case COL_PKEY: return le->d.kind == PTK_LEAF ? put_dec(p, le->d.pkey) : put_str(p, "-");
	case COL_SWAP:
		if (le->d.kind != PTK_SWAP)
			return put_str(p, "-");
		p = put_str(p, le->d.swap_kind);
		*p++ = ':';
		p = put_dec(p, le->d.swap_type);
		*p++ = ':';
		return put_hex(p, le->d.swap_offset);
	case COL_RAW: return put_hex16(p, le->raw);
	case COL_SLOT: return put_hex16(p, le->slot_pa);
	case COL_ANOMALIES:
		if (!le->anomalies)
			return put_str(p, "-");
		{
			char an[256];
			format_anomalies(an, sizeof an, le->anomalies);
			return put_str(p, an);
		}
	case COL_ALIAS_OF:
		return le->form == FORM_ALIAS ? put_hex16(p, le->alias_of) : put_str(p, "-");
	case COL_MAPPED: {
		uint64_t m;
		if (!entry_mapped(le, &m))
			return put_str(p, "-");
		char size[24];
		format_size(size, sizeof size, m);
		return put_str(p, size);
	}
	case COL_NOTE: return put_note(p, le);
	default: return p;
	}
}

static void text_header(struct entry_out *eo)
{
	char *line = eo->line, *p = line;
	for (unsigned i = 0; i < eo->ncols; i++) {
		const struct col_def *cd = &col_defs[eo->cols[i]];
		char *start = p;
		p = put_str(p, cd->heading);
		if (i + 1 < eo->ncols) {
			p = pad_to(start, p, cd->width);
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
		if (is_address_col(eo->cols[i])) {
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
		while (j < eo->ncols && !is_address_col(eo->cols[j]))
			p = one(eo, p, j++, le);
		eo->run_end[i] = j;
		if (eo->frag_valid)
			frag_save(eo, i, start, p);
		i = j;
	}
	return p;
}

static char *text_one(struct entry_out *eo, char *p, unsigned i, const struct logical_entry *le)
{
	enum entry_col c = eo->cols[i];
	char *start = p;
	p = text_field(eo, p, c, le);
	if (i + 1 < eo->ncols) {
		p = pad_to(start, p, col_defs[c].width);
		*p++ = ' ';
	}
	return p;
}

static void text_line(struct entry_out *eo, const struct logical_entry *le)
{
	char *line = eo->line, *p = line;
	p = put_columns(eo, p, le, text_one);
	/* No trailing blanks when the last column is empty. */
	while (p > line && p[-1] == ' ')
		p--;
	*p++ = '\n';
	out_write(line, (size_t)(p - line));
}

/* ---- CSV ---------------------------------------------------------------- */

static void csv_header(struct entry_out *eo)
{
	char *line = eo->line, *p = line;
	for (unsigned i = 0; i < eo->ncols; i++) {
		if (i)
			*p++ = ',';
		p = put_str(p, col_defs[eo->cols[i]].name);
	}
	*p++ = '\n';
	out_write(line, (size_t)(p - line));
}

static char *csv_one(struct entry_out *eo, char *p, unsigned i, const struct logical_entry *le)
{
	enum entry_col c = eo->cols[i];
	if (i)
		*p++ = ',';
	if (c == COL_SIZE)
		return put_dec(p, le->size);
	if (c == COL_MAPPED) {
		uint64_t m;
		return entry_mapped(le, &m) ? put_dec(p, m) : p;
	}
	if (c == COL_COMM && eo->target && eo->target->process) {
		/* A command name may hold a comma or a quote: RFC 4180. */
		const char *q = eo->target->comm;
		if (!strpbrk(q, ",\""))
			return put_str(p, q);
		*p++ = '"';
		for (; *q; q++) {
			if (*q == '"')
				*p++ = '"';
			*p++ = *q;
		}
		*p++ = '"';
		return p;
	}
	/* Empty rather than "-" for absent values; no field holds a comma
	 * or a quote (anomalies use ';', the note a space). */
	char *start = p;
	p = text_field(eo, p, c, le);
	if (p - start == 1 && *start == '-' && c != COL_FLAGS)
		p = start;
	return p;
}

static void csv_line(struct entry_out *eo, const struct logical_entry *le)
{
	char *line = eo->line, *p = line;
	p = put_columns(eo, p, le, csv_one);
	*p++ = '\n';
	out_write(line, (size_t)(p - line));
}

/* ---- JSON Lines --------------------------------------------------------- */

static char *json_hex(char *p, uint64_t v)
{
	*p++ = '"';
	p = put_hex(p, v);
	*p++ = '"';
	return p;
}

static char *json_str(char *p, const char *s)
{
	/* Only fixed names and hex go through here: no escaping needed. */
	*p++ = '"';
	p = put_str(p, s);
	*p++ = '"';
	return p;
}

static char *json_field(struct entry_out *eo, char *p, enum entry_col c,
			const struct logical_entry *le)
{
	*p++ = '"';
	p = put_str(p, col_defs[c].name);
	*p++ = '"';
	*p++ = ':';
	const struct walk_target *t = eo->target;
	switch (c) {
	case COL_PID:
		return t && t->process ? put_dec(p, (uint64_t)t->pid) : put_str(p, "null");
	case COL_COMM:
		if (!(t && t->process))
			return put_str(p, "null");
		/* comm is the kernel's text: escape it. */
		*p++ = '"';
		for (const char *q = t->comm; *q; q++) {
			if (*q == '"' || *q == '\\')
				*p++ = '\\';
			*p++ = *q;
		}
		*p++ = '"';
		return p;
	case COL_ROOT:
		return t && t->have_user_root ? json_hex(p, t->user_root) : put_str(p, "null");
	case COL_VA: return json_hex(p, le->va);
	case COL_END: return json_hex(p, le->va + le->size - 1);
	case COL_SIZE: return put_dec(p, le->size);
	case COL_LEVEL: return json_str(p, pt_level_name(eo->pg, le->level));
	case COL_FORM: return json_str(p, pt_form_names[le->form]);
	case COL_COUNT: return put_dec(p, le->count);
	case COL_KIND: return json_str(p, pt_kind_names[le->d.kind]);
	case COL_PA: return has_pa(le) ? json_hex(p, le->d.pa) : put_str(p, "null");
	case COL_PFN:
		return has_pa(le) ? json_hex(p, le->d.pa >> eo->pg->page_shift) : put_str(p, "null");
	case COL_FLAGS:
		if (le->d.flags != eo->jflags_cached || !eo->jflags_str[0]) {
			char *q = eo->jflags_str;
			*q++ = '[';
			bool first = true;
			for (unsigned i = 0; i < PTF_COUNT; i++) {
				if (!(le->d.flags & (1u << i)))
					continue;
				if (!first)
					*q++ = ',';
				first = false;
				q = json_str(q, pt_flag_names[i]);
			}
			*q++ = ']';
			*q = 0;
			eo->jflags_cached = le->d.flags;
		}
		return put_str(p, eo->jflags_str);
	case COL_CACHE:
		return le->d.kind == PTK_LEAF ? json_str(p, cache_name(eo, le)) : put_str(p, "null");
	case COL_PKEY: return le->d.kind == PTK_LEAF ? put_dec(p, le->d.pkey) : put_str(p, "null");
	case COL_SWAP:
		if (le->d.kind != PTK_SWAP)
			return put_str(p, "null");
		p = put_str(p, "{\"kind\":");
		p = json_str(p, le->d.swap_kind);
		p = put_str(p, ",\"type\":");
		p = put_dec(p, le->d.swap_type);
		p = put_str(p, ",\"offset\":");
		p = json_hex(p, le->d.swap_offset);
		*p++ = '}';
		return p;
	case COL_RAW: return json_hex(p, le->raw);
	case COL_SLOT: return json_hex(p, le->slot_pa);
	case COL_ANOMALIES: {
		*p++ = '[';
		bool first = true;
		for (unsigned i = 0; i < PTA_COUNT; i++) {
			if (!(le->anomalies & (1u << i)))
				continue;
			if (!first)
				*p++ = ',';
			first = false;
			p = json_str(p, pt_anomaly_names[i]);
		}
		*p++ = ']';
		return p;
	}
	case COL_ALIAS_OF:
		return le->form == FORM_ALIAS ? json_hex(p, le->alias_of) : put_str(p, "null");
	case COL_MAPPED: {
		uint64_t m;
		return entry_mapped(le, &m) ? put_dec(p, m) : put_str(p, "null");
	}
	case COL_NOTE: {
		char note[ENTRY_COL_MAX / 2];
		char *e = put_note(note, le);
		*e = 0;
		/* The note of a reserved entry holds arch text: escape it. */
		*p++ = '"';
		for (const char *s = note; *s; s++) {
			if (*s == '"' || *s == '\\')
				*p++ = '\\';
			*p++ = *s;
		}
		*p++ = '"';
		return p;
	}
	default: return p;
	}
}

static char *json_one(struct entry_out *eo, char *p, unsigned i, const struct logical_entry *le)
{
	if (i)
		*p++ = ',';
	return json_field(eo, p, eo->cols[i], le);
}

static void json_line(struct entry_out *eo, const struct logical_entry *le)
{
	char *line = eo->line, *p = line;
	*p++ = '{';
	p = put_columns(eo, p, le, json_one);
	*p++ = '}';
	*p++ = '\n';
	out_write(line, (size_t)(p - line));
}

void entry_out_json_object(struct entry_out *eo, const struct logical_entry *le)
{
	char *line = eo->line, *p = line;
	*p++ = '{';
	bool first = true;
	for (unsigned c = 0; c < COL_COUNT_ALL; c++) {
		if (c == COL_NOTE || (!eo->processes && (c == COL_PID || c == COL_COMM || c == COL_ROOT)))
			continue;
		if (!first)
			*p++ = ',';
		first = false;
		p = json_field(eo, p, (enum entry_col)c, le);
	}
	*p++ = '}';
	out_write(line, (size_t)(p - line));
}

/* ---- The sink ----------------------------------------------------------- */

static void emit(struct entry_out *eo, const struct logical_entry *le)
{
	if (!eo->header_done) {
		eo->header_done = true;
		if (eo->headings && eo->format == EFMT_TEXT)
			text_header(eo);
		else if (eo->headings && eo->format == EFMT_CSV)
			csv_header(eo);
	}
	eo->entries++;
	switch (eo->format) {
	case EFMT_TEXT: text_line(eo, le); break;
	case EFMT_CSV: csv_line(eo, le); break;
	case EFMT_JSON: json_line(eo, le); break;
	}
}

/* Can B extend A? Same attributes, contiguous VA and PA, no anomalies:
 * the ranges the kernel's ptdump would print as one. */
static bool mergeable(const struct logical_entry *a, const struct logical_entry *b)
{
	return a->d.kind == PTK_LEAF && b->d.kind == PTK_LEAF &&
	       !a->anomalies && !b->anomalies &&
	       a->form == b->form && a->level == b->level &&
	       a->d.flags == b->d.flags && a->d.cache == b->d.cache &&
	       a->d.pkey == b->d.pkey &&
	       a->va + a->size == b->va && a->va + a->size != 0 &&
	       a->d.pa + a->size == b->d.pa;
}

int entry_out_sink(void *arg, const struct logical_entry *le)
{
	struct entry_out *eo = arg;

	if (!eo->merge) {
		emit(eo, le);
		return 0;
	}
	if (eo->pending && mergeable(&eo->held, le)) {
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
		if (eo->format == EFMT_TEXT)
			text_header(eo);
		else if (eo->format == EFMT_CSV)
			csv_header(eo);
	}
}
