/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The entry model: every field of a logical entry, described once.
 *
 * One table (ENTRY_FIELDS below, an X-macro as vmcoreinfo.h's) gives each
 * field its name (the -o name, JSON key and CSV heading), text width, value
 * type, whether `ptwalk diff' compares it, and what it holds. From it come
 * the column enum, the compared-field enum and names, -o and --ignore
 * validation, --list-columns (checked against the man page's "Walk
 * columns" by tests/columns.test), the writers' rendering by type, the
 * saved-walk reader's parsing by type, and the merge rule. The tasks and
 * stats columns are tables of the same struct pt_field.
 *
 * Field names and types are an interface: see man/ptwalk.1. */
#ifndef PTWALK_FIELDS_H
#define PTWALK_FIELDS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common.h"
#include "region.h"

/* How a value is written, and read back from a saved walk. */
enum field_type {
	FT_ADDR,	/* address: text and CSV 0x and 16 digits, JSON "0x..." */
	FT_HEX,		/* number in hex: "0x..." shortest, JSON "0x..." */
	FT_UINT,	/* count: decimal, JSON number */
	FT_BYTES,	/* bytes: text human ("2M"), CSV and JSON decimal */
	FT_NAME,	/* a name the image or the arch gives: JSON string */
	FT_ENUM,	/* one of the field's names: JSON string */
	FT_TEXT,	/* free text: JSON escaped, CSV quoted when needed */
	FT_FLAGS,	/* flag set: text position string, JSON list of names */
	FT_NAMES,	/* set of the field's names: text "a;b", JSON list */
	FT_SWAP,	/* swap entry: text kind:type:offset, JSON object */
};

/* One value of a field, as the writers render it and the saved-walk
 * reader parses it. */
struct field_value {
	bool present;		/* false: "-" in text, empty in CSV, null in JSON */
	uint64_t u;		/* ADDR HEX UINT BYTES; ENUM index; FLAGS NAMES mask;
				 * SWAP offset */
	const char *s;		/* NAME TEXT; SWAP kind */
	uint8_t swap_type;	/* SWAP */
};

/* Whether A and B, two values of a field of type T, are equal. */
bool field_value_equal(enum field_type t, const struct field_value *a,
		       const struct field_value *b);

/* A column of some output: entries, tasks or stats. */
struct pt_field {
	const char *name;	/* -o name, JSON key, CSV heading (lower case) */
	const char *heading;	/* text heading */
	int width;		/* text width; negative: left-aligned; 0: last */
	enum field_type type;
	const char *help;	/* --list-columns, and the man page */
	/* FT_ENUM, FT_FLAGS and FT_NAMES: the names a value indexes. */
	const char *const *names;
	unsigned nnames;
};

/* The index of the field called NAME (case-insensitive), or -1. */
int pt_field_lookup(const struct pt_field *fields, unsigned n, const char *name);
/* "a, b, c": the names of N fields, for an error message. Returns BUF. */
char *pt_field_names(const struct pt_field *fields, unsigned n, char *buf, size_t len);
/* Parse an -o LIST into COLS (at most MAX, case-insensitive names; a
 * leading '+' appends to the *NCOLS there). WHAT names the option in
 * errors ("column"). 0, or -1 with a usage error in ERR. */
int pt_field_list(const struct pt_field *fields, unsigned n, const char *list,
		  unsigned *cols, unsigned *ncols, unsigned max, struct pt_error *err);

/* ---- Logical entries ----------------------------------------------------
 * X(ID, name, width, type, names, nnames, compared, help): COMPARED is yes
 * for the fields `ptwalk diff' compares (in this order: the order of
 * enum diff_field and of a diff record's "fields"), no otherwise. */
#define ENTRY_FIELDS(X) \
	X(PID, "pid", 7, FT_UINT, NULL, 0, no, \
	  "the process's PID (several processes)") \
	X(COMM, "comm", -16, FT_TEXT, NULL, 0, no, \
	  "the process's command name (several processes)") \
	X(ROOT, "root", -18, FT_ADDR, NULL, 0, no, \
	  "the process's root table (several processes)") \
	X(VA, "va", -18, FT_ADDR, NULL, 0, no, "first virtual address") \
	X(END, "end", -18, FT_ADDR, NULL, 0, no, "last virtual address (inclusive)") \
	X(SIZE, "size", 5, FT_BYTES, NULL, 0, no, "bytes mapped") \
	X(LEVEL, "level", -5, FT_NAME, NULL, 0, yes, \
	  "level of the leaf entries (pgd, p4d, pud, pmd, pte)") \
	X(FORM, "form", -8, FT_ENUM, pt_form_names, FORM_COUNT, yes, \
	  "single, a gang (cont-pte, cont-pmd, 8xx-8m, 8xx-512k, 8xx-16k), hugepd, alias or table") \
	X(COUNT, "count", 5, FT_UINT, NULL, 0, yes, "physical entries folded into this one") \
	X(KIND, "kind", -5, FT_ENUM, pt_kind_names, PTK_COUNT, yes, \
	  "leaf (present or protnone), swap, bad or table") \
	X(PA, "pa", -18, FT_ADDR, NULL, 0, yes, \
	  "physical address of the first byte mapped (of the table for alias and table)") \
	X(PFN, "pfn", -14, FT_HEX, NULL, 0, no, "page frame number of pa") \
	X(FLAGS, "flags", -17, FT_FLAGS, pt_flag_names, PTF_COUNT, yes, \
	  "permission and state flags, a letter each (prwxXugdascSWDGhe; see below)") \
	X(CACHE, "cache", -13, FT_NAME, NULL, 0, yes, "memory type") \
	X(PKEY, "pkey", 4, FT_UINT, NULL, 0, yes, "protection key") \
	X(SWAP, "swap", -40, FT_SWAP, NULL, 0, yes, "swap entry: kind, type and offset") \
	X(RAW, "raw", -18, FT_ADDR, NULL, 0, yes, "raw value of the first physical entry") \
	X(SLOT, "slot", -18, FT_ADDR, NULL, 0, yes, "physical address of the first slot") \
	X(ANOMALIES, "anomalies", -20, FT_NAMES, pt_anomaly_names, PTA_COUNT, yes, \
	  "what is wrong with the entry (see ANOMALIES)") \
	X(ALIAS_OF, "alias_of", -18, FT_ADDR, NULL, 0, yes, "where an aliased table was walked") \
	X(MAPPED, "mapped", 6, FT_BYTES, NULL, 0, yes, \
	  "bytes an entry maps, aliased slots as what they reach") \
	X(ATTRS, "attrs", -32, FT_TEXT, NULL, 0, no, \
	  "a leaf's attributes in the words of the kernel's ptdump (RW NX USR AF CON BLK ...)") \
	X(REGION, "region", -13, FT_ENUM, region_names, RG_COUNT, no, \
	  "the kernel region the entry starts in (user, linear, vmalloc, modules, kernel-text, ...)") \
	X(NOTE, "note", 0, FT_TEXT, NULL, 0, no, "swap entry, alias or anomalies, in words")

#define ENTRY_FIELD_ENUM(id, name, w, t, nm, nn, cmp, help) EF_##id,
enum entry_field {
	ENTRY_FIELDS(ENTRY_FIELD_ENUM)
	EF_COUNT_ALL
};
#undef ENTRY_FIELD_ENUM

#define DIFF_FIELD_ENUM_yes(id) DF_##id,
#define DIFF_FIELD_ENUM_no(id)
#define DIFF_FIELD_ENUM(id, name, w, t, nm, nn, cmp, help) DIFF_FIELD_ENUM_##cmp(id)
/* The fields `ptwalk diff' compares; --ignore names them. */
enum diff_field {
	ENTRY_FIELDS(DIFF_FIELD_ENUM)
	DF_COUNT_ALL
};
#undef DIFF_FIELD_ENUM
#undef DIFF_FIELD_ENUM_yes
#undef DIFF_FIELD_ENUM_no

#define DF_BIT(f) (1u << (f))
#define DF_ALL ((1u << DF_COUNT_ALL) - 1)

/* Every entry field. */
extern const struct pt_field entry_fields[EF_COUNT_ALL];
/* The compared fields' entry fields, and their names (for --ignore,
 * a record's "fields" and the JSON writer's keys). */
extern const enum entry_field diff_field_entry[DF_COUNT_ALL];
extern const char *const diff_field_names[DF_COUNT_ALL];
/* Fields whose value changes from one entry to the next (addresses):
 * the writers format them every time and reuse the text of the rest. */
static inline bool entry_field_varies(enum entry_field f)
{
	/* Addresses (and the PFN, an address shifted) move with every
	 * entry; the root is the process's, fixed for a walk, and only an
	 * alias has an alias_of (an alias's text is never reused). */
	return f < EF_COUNT_ALL && (entry_fields[f].type == FT_ADDR || entry_fields[f].type == FT_HEX) &&
	       f != EF_ROOT && f != EF_ALIAS_OF;
}

#endif
