/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Field values as text, CSV or JSON, and rows of them (see field_out.h). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "field_out.h"
#include "output.h"
#include "walk.h"

int parse_entry_format(const char *arg, enum entry_format *fmt, bool *document)
{
	*document = false;
	if (!strcmp(arg, "text")) {
		*fmt = EFMT_TEXT;
	} else if (!strcmp(arg, "json")) {
		*fmt = EFMT_JSON;
		*document = true;
	} else if (!strcmp(arg, "jsonl")) {
		*fmt = EFMT_JSON;
	} else if (!strcmp(arg, "csv"))
		*fmt = EFMT_CSV;
	else
		return -1;
	return 0;
}


/* Two hex digits per byte value, for the fixed-width formatter. */
const char field_hex_pairs[513] =
	"000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
	"202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f"
	"404142434445464748494a4b4c4d4e4f505152535455565758595a5b5c5d5e5f"
	"606162636465666768696a6b6c6d6e6f707172737475767778797a7b7c7d7e7f"
	"808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f"
	"a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf"
	"c0c1c2c3c4c5c6c7c8c9cacbcccdcecfd0d1d2d3d4d5d6d7d8d9dadbdcdddedf"
	"e0e1e2e3e4e5e6e7e8e9eaebecedeeeff0f1f2f3f4f5f6f7f8f9fafbfcfdfeff";

bool field_exact_bytes;

void format_size(char *buf, size_t len, uint64_t size)
{
	static const char units[] = "BKMGTPE";
	char tmp[32], *p = tmp;
	unsigned u = 0;

	if (field_exact_bytes) {
		p = put_dec(p, size);
	} else {
		while (u < 6 && size >> (10 * (u + 1)))
			u++;
		uint64_t unit = 1ull << (10 * u), whole = size >> (10 * u);
		if (!(size & (unit - 1))) {
			p = put_dec(p, whole);
		} else {
			/* Tenths, rounded half up; 1023.95K is 1.0M. */
			uint64_t rest = size & (unit - 1);
			uint64_t tenths = whole * 10 + (uint64_t)(((unsigned __int128)rest * 10 + unit / 2) >> (10 * u));
			if (tenths >= 10240 && u < 6) {
				u++;
				tenths = (tenths + 512) / 1024;
			}
			p = put_dec(p, tenths / 10);
			*p++ = '.';
			*p++ = (char)('0' + tenths % 10);
		}
		*p++ = units[u];
	}
	size_t n = (size_t)(p - tmp);
	if (n >= len)
		n = len - 1;
	memcpy(buf, tmp, n);
	buf[n] = 0;
}

/* The FLAGS string: a letter per position, '-' when clear. */
static const struct { uint32_t flag; char c; } flag_pos[] = {
	{ PTF_PRESENT, 'p' }, { PTF_READ, 'r' }, { PTF_WRITE, 'w' },
	{ PTF_EXEC_USER, 'x' }, { PTF_EXEC_KERNEL, 'X' }, { PTF_USER, 'u' },
	{ PTF_GLOBAL, 'g' }, { PTF_DIRTY, 'd' }, { PTF_YOUNG, 'a' },
	{ PTF_SPECIAL, 's' }, { PTF_CONT, 'c' }, { PTF_SOFT_DIRTY, 'S' },
	{ PTF_UFFD_WP, 'W' }, { PTF_DEVMAP, 'D' }, { PTF_GUARDED, 'G' },
	{ PTF_SHARED, 'h' }, { PTF_EXCLUSIVE, 'e' },
};

void format_flags(char *buf, uint32_t flags)
{
	for (size_t i = 0; i < sizeof flag_pos / sizeof flag_pos[0]; i++)
		buf[i] = (flags & flag_pos[i].flag) ? flag_pos[i].c : '-';
	if (flags & PTF_PROTNONE)
		buf[0] = 'n';
	buf[sizeof flag_pos / sizeof flag_pos[0]] = 0;
}

void flags_list_letters(void)
{
	out_puts("\nFLAGS letters, each in its place (- when clear):\n");
	for (size_t i = 0; i < sizeof flag_pos / sizeof flag_pos[0]; i++) {
		unsigned bit = (unsigned)__builtin_ctz(flag_pos[i].flag);
		out_printf("  %2zu %c  %s%s\n", i + 1, flag_pos[i].c, pt_flag_names[bit],
			   flag_pos[i].flag == PTF_PRESENT ? " (n: protnone, present to the kernel only)" : "");
	}
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

int field_width(const struct pt_field *f)
{
	/* --bytes: room for a terabyte's 13 digits. */
	if (field_exact_bytes && f->type == FT_BYTES && (f->width > -13 && f->width < 13))
		return f->width < 0 ? -13 : 13;
	return f->width;
}

char *raw_escape(char *start, char *p)
{
	static const char digits[] = "0123456789abcdef";
	char tmp[FIELD_OUT_MAX], *q = tmp;
	bool any = false;
	for (const char *c = start; c < p; c++)
		any |= *c == ' ' || *c == '\\' || (unsigned char)*c < 0x20 || (unsigned char)*c >= 0x7f;
	if (!any)
		return p;
	/* Escaped, cut where it would pass FIELD_TEXT_MAX (as JSON's). */
	for (const char *c = start; c < p && q + 4 < tmp + FIELD_TEXT_MAX; c++) {
		unsigned char b = (unsigned char)*c;
		if (b == ' ' || b == '\\' || b < 0x20 || b >= 0x7f) {
			*q++ = '\\';
			*q++ = 'x';
			*q++ = digits[b >> 4];
			*q++ = digits[b & 15];
		} else {
			*q++ = (char)b;
		}
	}
	memcpy(start, tmp, (size_t)(q - tmp));
	return start + (q - tmp);
}

char *pad_to(char *start, char *p, int width)
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

/* ---- Values by type ------------------------------------------------------ */

/* S quoted and escaped per RFC 8259: control bytes and bytes >= 0x80
 * (which need not be UTF-8) as \u00XX; cut where the escaped form would
 * pass FIELD_TEXT_MAX. */
static char *put_json_str(char *p, const char *s)
{
	static const char digits[] = "0123456789abcdef";
	char *limit = p + FIELD_TEXT_MAX;
	*p++ = '"';
	for (const unsigned char *c = (const unsigned char *)(s ? s : ""); *c && p + 6 < limit; c++) {
		switch (*c) {
		case '"': *p++ = '\\'; *p++ = '"'; break;
		case '\\': *p++ = '\\'; *p++ = '\\'; break;
		case '\n': *p++ = '\\'; *p++ = 'n'; break;
		case '\t': *p++ = '\\'; *p++ = 't'; break;
		case '\r': *p++ = '\\'; *p++ = 'r'; break;
		default:
			if (*c < 0x20 || *c >= 0x7f) {
				p = put_str(p, "\\u00");
				*p++ = digits[*c >> 4];
				*p++ = digits[*c & 0xf];
			} else {
				*p++ = (char)*c;
			}
		}
	}
	*p++ = '"';
	return p;
}

/* S as one CSV field: quoted per RFC 4180 when it holds a comma, a
 * quote or a line break. */
static char *put_csv_str(char *p, const char *s)
{
	size_t n = strnlen(s, FIELD_TEXT_MAX / 2 - 2);
	if (!strpbrk(s, ",\"\r\n")) {
		memcpy(p, s, n);
		return p + n;
	}
	*p++ = '"';
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '"')
			*p++ = '"';
		*p++ = s[i];
	}
	*p++ = '"';
	return p;
}

/* Text as one line of printable ASCII: a name read from a saved walk
 * may hold anything. */
static char *put_text(char *p, const char *s)
{
	for (size_t n = 0; s && s[n] && n < FIELD_TEXT_MAX; n++)
		*p++ = (unsigned char)s[n] < 0x20 || (unsigned char)s[n] >= 0x7f ? '?' : s[n];
	return p;
}

static const char *value_name(const struct pt_field *f, const struct field_value *v)
{
	if (f->type == FT_ENUM)
		return v->u < f->nnames ? f->names[v->u] : "?";
	return v->s ? v->s : "";
}

/* The set bits' names joined by SEP, each through ONE (quoting). */
static char *put_names(char *p, const struct pt_field *f, uint64_t mask, char sep, bool quote)
{
	bool first = true;
	for (unsigned i = 0; i < f->nnames && i < 64; i++) {
		if (!(mask & (1ull << i)))
			continue;
		if (!first)
			*p++ = sep;
		first = false;
		if (quote)
			*p++ = '"';
		p = put_str(p, f->names[i]);
		if (quote)
			*p++ = '"';
	}
	return p;
}

char *field_text(char *p, const struct pt_field *f, const struct field_value *v)
{
	if (!v->present)
		return put_str(p, "-");
	switch (f->type) {
	case FT_ADDR:
	case FT_HEX: return field_text_hex(p, f, v);
	case FT_UINT: return put_dec(p, v->u);
	case FT_BYTES: {
		char size[24];
		format_size(size, sizeof size, v->u);
		return put_str(p, size);
	}
	case FT_NAME:
	case FT_ENUM:
	case FT_TEXT:
		return put_text(p, value_name(f, v));
	case FT_FLAGS: {
		char flags[32];
		format_flags(flags, (uint32_t)v->u);
		return put_str(p, flags);
	}
	case FT_NAMES:
		return v->u ? put_names(p, f, v->u, ';', false) : put_str(p, "-");
	case FT_SWAP:
		p = put_text(p, v->s);
		*p++ = ':';
		p = put_dec(p, v->swap_type);
		*p++ = ':';
		return put_hex(p, v->u);
	}
	return p;
}

char *field_csv(char *p, const struct pt_field *f, const struct field_value *v)
{
	if (!v->present)
		return p;
	switch (f->type) {
	case FT_BYTES: return put_dec(p, v->u);
	case FT_NAMES: return v->u ? put_names(p, f, v->u, ';', false) : p;
	case FT_NAME:
	case FT_TEXT:
	case FT_SWAP:
		if (v->s && strpbrk(v->s, ",\"\r\n")) {
			if (f->type != FT_SWAP)
				return put_csv_str(p, v->s);
			char buf[FIELD_OUT_MAX];
			char *e = field_text(buf, f, v);
			*e = 0;
			return put_csv_str(p, buf);
		}
		return field_text(p, f, v);
	default: return field_text(p, f, v);
	}
}

char *field_json(char *p, const struct pt_field *f, const struct field_value *v)
{
	if (!v->present)
		return put_str(p, "null");
	switch (f->type) {
	case FT_ADDR:
	case FT_HEX:
		return field_json_hex(p, v);
	case FT_UINT:
	case FT_BYTES:
		return put_dec(p, v->u);
	case FT_NAME:
	case FT_ENUM:
	case FT_TEXT:
		return put_json_str(p, value_name(f, v));
	case FT_FLAGS:
	case FT_NAMES:
		*p++ = '[';
		p = put_names(p, f, v->u, ',', true);
		*p++ = ']';
		return p;
	case FT_SWAP:
		p = put_str(p, "{\"kind\":");
		p = put_json_str(p, v->s);
		p = put_str(p, ",\"type\":");
		p = put_dec(p, v->swap_type);
		p = put_str(p, ",\"offset\":\"");
		p = put_hex(p, v->u);
		return put_str(p, "\"}");
	}
	return p;
}

/* ---- Rows ----------------------------------------------------------------- */

void fields_list_columns(const struct pt_field *fields, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		out_printf("%-10s %s\n", fields[i].name, fields[i].help);
}

char *fields_help(const struct pt_field *fields, unsigned n)
{
	char names[1024], *out;
	pt_field_names(fields, n, names, sizeof names);
	if (asprintf(&out, "Columns for -o (see --list-columns): %s.", names) < 0)
		return NULL;
	return out;
}

static void row_header(struct row_out *ro)
{
	char *p = ro->line;
	ro->header_done = true;
	if (!ro->headings || ro->format == EFMT_JSON)
		return;
	for (unsigned i = 0; i < ro->ncols; i++) {
		const struct pt_field *f = &ro->fields[ro->cols[i]];
		char *start = p;
		if (ro->format == EFMT_CSV) {
			if (i)
				*p++ = ',';
			p = put_str(p, f->name);
			continue;
		}
		p = put_str(p, f->heading);
		if (i + 1 < ro->ncols) {
			if (!ro->raw)
				p = pad_to(start, p, field_width(f));
			*p++ = ' ';
		}
	}
	while (ro->format == EFMT_TEXT && !ro->raw && p > ro->line && p[-1] == ' ')
		p--;
	*p++ = '\n';
	out_write(ro->line, (size_t)(p - ro->line));
}

void row_out_line(struct row_out *ro, const struct field_value *values)
{
	char *p = ro->line;
	if (!ro->header_done)
		row_header(ro);
	if (ro->format == EFMT_JSON) {
		json_doc_item(&ro->doc);
		*p++ = '{';
	}
	for (unsigned i = 0; i < ro->ncols; i++) {
		const struct pt_field *f = &ro->fields[ro->cols[i]];
		const struct field_value *v = &values[ro->cols[i]];
		char *start = p;
		switch (ro->format) {
		case EFMT_TEXT:
			p = field_text(p, f, v);
			if (ro->raw)
				p = raw_escape(start, p);
			if (i + 1 < ro->ncols) {
				if (!ro->raw)
					p = pad_to(start, p, field_width(f));
				*p++ = ' ';
			}
			break;
		case EFMT_CSV:
			if (i)
				*p++ = ',';
			p = field_csv(p, f, v);
			break;
		case EFMT_JSON:
			if (i)
				*p++ = ',';
			*p++ = '"';
			p = put_str(p, f->name);
			*p++ = '"';
			*p++ = ':';
			p = field_json(p, f, v);
			break;
		}
	}
	if (ro->format == EFMT_JSON)
		*p++ = '}';
	/* No trailing blanks when the last column is empty. */
	while (ro->format == EFMT_TEXT && !ro->raw && p > ro->line && p[-1] == ' ')
		p--;
	*p++ = '\n';
	out_write(ro->line, (size_t)(p - ro->line));
}

void row_out_finish(struct row_out *ro)
{
	if (!ro->header_done)
		row_header(ro);
	if (ro->format == EFMT_JSON)
		json_doc_close(&ro->doc);
}
