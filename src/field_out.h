/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Field values (lib/fields.h) as text, CSV or JSON: the one rendering of
 * each value type that the entry, diff, tasks and stats writers share,
 * and a row writer for tables of struct pt_field (tasks, stats).
 *
 * Values are built into the caller's buffer: printf costs more than the
 * whole walk per entry, and a walk prints millions. Every renderer writes
 * at most FIELD_OUT_MAX bytes. */
#ifndef PTWALK_FIELD_OUT_H
#define PTWALK_FIELD_OUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "fields.h"
#include "output.h"

enum entry_format { EFMT_TEXT, EFMT_JSON, EFMT_CSV };
/* --format=NAME: text, json (one document: *DOCUMENT), jsonl (JSON
 * Lines) or csv; 0, or -1 for another name. */
int parse_entry_format(const char *arg, enum entry_format *fmt, bool *document);

/* The most one value takes in any format: free text is cut so that its
 * escaped form fits (a note is at most a swap kind of 127 bytes with its
 * type and offset, or a reason of 96, and 255 of anomaly names). */
#define FIELD_TEXT_MAX 1024
#define FIELD_OUT_MAX (FIELD_TEXT_MAX + 64)

/* The small formatters, inline: a walk writes millions of lines. */
extern const char field_hex_pairs[513];

static inline char *put_str(char *p, const char *s)
{
	size_t n = strlen(s);
	memcpy(p, s, n);
	return p + n;
}

/* "0x" and 16 hex digits, fixed width: columns line up and sort. */
static inline char *put_hex16(char *p, uint64_t v)
{
	/* Unrolled: every line of a walk has two or three of these. */
#define HEX_BYTE(i) memcpy(p + 2 + 2 * (7 - (i)), &field_hex_pairs[((v >> ((i) * 8)) & 0xff) * 2], 2)
	p[0] = '0';
	p[1] = 'x';
	HEX_BYTE(7); HEX_BYTE(6); HEX_BYTE(5); HEX_BYTE(4);
	HEX_BYTE(3); HEX_BYTE(2); HEX_BYTE(1); HEX_BYTE(0);
#undef HEX_BYTE
	return p + 18;
}

/* The hex digits V needs (1 to 16). */
static inline unsigned hex_digits(uint64_t v)
{
	unsigned d = 1;
	while (d < 16 && v >> (4 * d))
		d++;
	return d;
}

/* "0x" and V in DIGITS hex digits (more when V needs them: never cut),
 * written from the right a byte at a time. */
static inline char *put_hexw(char *p, uint64_t v, unsigned digits)
{
	unsigned need = v ? (unsigned)(67 - __builtin_clzll(v)) / 4 : 1;
	unsigned n = need > digits ? need : digits;
	if (n > 16)
		n = 16;
	p[0] = '0';
	p[1] = 'x';
	char *e = p + 2 + n, *q = e;
	for (; n >= 2; n -= 2) {
		q -= 2;
		memcpy(q, &field_hex_pairs[(v & 0xff) * 2], 2);
		v >>= 8;
	}
	if (n)
		q[-1] = field_hex_pairs[(v & 0xf) * 2 + 1];
	return e;
}

/* "0x" and the shortest hex. */
static inline char *put_hex(char *p, uint64_t v)
{
	return put_hexw(p, v, 1);
}

static inline char *put_dec(char *p, uint64_t v)
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

/* FT_ADDR and FT_HEX values, which change with every entry: inline for
 * the writers' per-entry columns, and what field_text() and field_json()
 * use for them. */
static inline char *field_text_hex(char *p, const struct pt_field *f, const struct field_value *v)
{
	if (!v->present)
		return put_str(p, "-");
	return f->type == FT_ADDR ? put_hex16(p, v->u) : put_hex(p, v->u);
}

static inline char *field_json_hex(char *p, const struct field_value *v)
{
	if (!v->present)
		return put_str(p, "null");
	*p++ = '"';
	p = put_hex(p, v->u);
	*p++ = '"';
	return p;
}

/* A size as a person reads it, in the largest unit it reaches: "4K",
 * "2M", "12K", "1T" when exact, one decimal when not ("1.5G", "6.0M":
 * the decimal says it is rounded), "512B" below 1K. With
 * field_exact_bytes (--bytes) the number of bytes. */
void format_size(char *buf, size_t len, uint64_t size);
extern bool field_exact_bytes;
/* The fixed-position flag string ("prwxXugdascSWDGhe") of enum pt_flag
 * bits. */
void format_flags(char *buf, uint32_t flags);
/* For --list-columns, after a blank line: each FLAGS letter's place and
 * the flag it stands for (the names JSON lists). */
void flags_list_letters(void);
/* The anomaly list "a;b", "" when none. */
void format_anomalies(char *buf, size_t len, uint32_t anomalies);

/* Value V of field F in each format; absent values are "-" in text,
 * empty in CSV and null in JSON. */
char *field_text(char *p, const struct pt_field *f, const struct field_value *v);
char *field_csv(char *p, const struct pt_field *f, const struct field_value *v);
char *field_json(char *p, const struct pt_field *f, const struct field_value *v);
/* Raw output's value (util-linux -r): START..P with blanks, backslashes
 * and control bytes as \xHH, so that one space parts the columns.
 * Returns the new end. */
char *raw_escape(char *start, char *p);
/* F's text width (negative: left-aligned), wider for sizes in bytes. */
int field_width(const struct pt_field *f);
/* Text of P..END padded to WIDTH (negative: left-aligned). */
char *pad_to(char *start, char *p, int width);

/* A table of rows of struct pt_field columns (tasks). */
#define ROW_MAX_COLS 32
struct row_out {
	const struct pt_field *fields;
	unsigned nfields;
	enum entry_format format;
	struct json_doc doc;	/* JSON: one document, or JSON Lines */
	bool headings;
	bool raw;		/* text unaligned, values escaped (-r) */
	bool header_done;
	unsigned ncols;
	unsigned cols[ROW_MAX_COLS];
	char line[ROW_MAX_COLS * (FIELD_OUT_MAX + 32) + 2];
};
/* --list-columns: each field's name and what it holds, a line each. */
void fields_list_columns(const struct pt_field *fields, unsigned n);
/* For an argp help_filter: "Columns for -o: a, b, ..." (malloc'd, NULL
 * when out of memory: argp then prints nothing). */
char *fields_help(const struct pt_field *fields, unsigned n);
/* One row: VALUES[i] is field i's value (all fields, chosen or not). */
void row_out_line(struct row_out *ro, const struct field_value *values);
/* The heading of an empty table. */
void row_out_finish(struct row_out *ro);

#endif
