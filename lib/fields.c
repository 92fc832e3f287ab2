/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The entry model (see fields.h). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "fields.h"
#include "walk.h"

#define ENTRY_FIELD_DEF(id, nm, w, t, names_, nn, cmp, help_) \
	[EF_##id] = { .name = nm, .heading = #id, .width = w, .type = t, \
		      .help = help_, .names = names_, .nnames = nn },
const struct pt_field entry_fields[EF_COUNT_ALL] = {
	ENTRY_FIELDS(ENTRY_FIELD_DEF)
};

#define DIFF_ENTRY_yes(id) EF_##id,
#define DIFF_ENTRY_no(id)
#define DIFF_ENTRY(id, nm, w, t, names_, nn, cmp, help_) DIFF_ENTRY_##cmp(id)
const enum entry_field diff_field_entry[DF_COUNT_ALL] = {
	ENTRY_FIELDS(DIFF_ENTRY)
};

#define DIFF_NAME_yes(nm) nm,
#define DIFF_NAME_no(nm)
#define DIFF_NAME(id, nm, w, t, names_, nn, cmp, help_) DIFF_NAME_##cmp(nm)
const char *const diff_field_names[DF_COUNT_ALL] = {
	ENTRY_FIELDS(DIFF_NAME)
};

int pt_field_lookup(const struct pt_field *fields, unsigned n, const char *name)
{
	for (unsigned i = 0; i < n; i++) {
		if (!strcasecmp(name, fields[i].name))
			return (int)i;
	}
	return -1;
}

char *pt_field_names(const struct pt_field *fields, unsigned n, char *buf, size_t len)
{
	size_t used = 0;
	buf[0] = 0;
	for (unsigned i = 0; i < n; i++) {
		int w = snprintf(buf + used, len - used, "%s%s", i ? ", " : "", fields[i].name);
		if (w < 0 || (size_t)w >= len - used)
			break;
		used += (size_t)w;
	}
	return buf;
}

int pt_field_list(const struct pt_field *fields, unsigned n, const char *list,
		  unsigned *cols, unsigned *ncols, unsigned max, struct pt_error *err)
{
	if (*list == '+')
		list++;
	else
		*ncols = 0;
	/* Token by token, without a copy: a name is at most 63 bytes. */
	for (const char *p = list; *p;) {
		size_t len = strcspn(p, ",");
		if (len) {
			char tok[64];
			int c = -1;
			snprintf(tok, sizeof tok, "%.*s", (int)(len < 63 ? len : 63), p);
			/* The message quotes it: one printable line. */
			for (char *t = tok; *t; t++) {
				if (*t < 0x20 || *t >= 0x7f)
					*t = '?';
			}
			if (len < 64 && !strchr(tok, '?'))
				c = pt_field_lookup(fields, n, tok);
			if (c < 0) {
				char names[512];
				return pt_fail(err, PT_EXIT_USAGE, "unknown column '%s%s' (columns: %s)", tok,
					       len < 64 ? "" : "...", pt_field_names(fields, n, names, sizeof names));
			}
			if (*ncols == max)
				return pt_fail(err, PT_EXIT_USAGE, "too many columns: at most %u", max);
			cols[(*ncols)++] = (unsigned)c;
		}
		p += len;
		if (*p == ',')
			p++;
	}
	if (!*ncols)
		return pt_fail(err, PT_EXIT_USAGE, "no columns given");
	return 0;
}

bool field_value_equal(enum field_type t, const struct field_value *a,
		       const struct field_value *b)
{
	if (a->present != b->present)
		return false;
	if (!a->present)
		return true;
	switch (t) {
	case FT_NAME:
	case FT_TEXT:
		return a->s == b->s || (a->s && b->s && !strcmp(a->s, b->s));
	case FT_SWAP:
		return a->u == b->u && a->swap_type == b->swap_type &&
		       (a->s == b->s || (a->s && b->s && !strcmp(a->s, b->s)));
	default:
		return a->u == b->u;
	}
}
