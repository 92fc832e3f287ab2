/* SPDX-License-Identifier: GPL-2.0-or-later */
/* `ptwalk diff': the entries both sides are compared by, and where they
 * come from (a walk of an image, or a walk saved as JSON Lines).
 *
 * An entry here is a logical entry with its names resolved, so that a
 * walk of an image and a saved walk (which holds names, not the image's
 * paging) compare field by field. */
#ifndef PTWALK_DIFF_H
#define PTWALK_DIFF_H

#include <stdio.h>
#include "fields.h"
#include "walk.h"

struct diff_entry {
	uint64_t va, size;	/* size >= 1, va + size - 1 does not wrap */
	uint64_t count;
	uint64_t pa;		/* when has & DF_BIT(DF_PA) */
	uint64_t raw, slot, alias_of;
	uint64_t swap_offset;
	const char *level;	/* "pte" ... "pgd" */
	const char *cache;	/* leaves: the arch's cache type name */
	const char *swap_kind;	/* swap entries */
	uint32_t flags;		/* enum pt_flag */
	uint32_t anomalies;	/* enum pt_anomaly */
	uint8_t form;		/* enum pt_form */
	uint8_t kind;		/* enum pt_kind */
	uint8_t swap_type;
	uint8_t pkey;
	/* Bytes the entry maps (a leaf its size, an alias what its slot maps
	 * through the shared table), when has & DF_BIT(DF_MAPPED). */
	uint64_t mapped;
	/* Fields the input holds (a saved walk may lack columns), and
	 * those with a value (pa, cache, pkey, swap and alias_of exist
	 * for some kinds only; mapped is worked out for a saved walk that
	 * lacks it, but for an alias): DF_BIT masks. */
	uint32_t known, has;
};

static inline uint64_t diff_entry_end(const struct diff_entry *e)
{
	return e->va + (e->size - 1);
}

/* Field F of E as a value (present as E->has says), and back (setting
 * E->has): the one map from the compared fields to diff_entry's members,
 * through which the saved-walk reader, the comparison and the JSON
 * writer go. */
void diff_entry_get(const struct diff_entry *e, enum diff_field f, struct field_value *v);
/* diff_entry_set() returns -1 when V does not fit the member (a pkey
 * above 255). */
int diff_entry_set(struct diff_entry *e, enum diff_field f, const struct field_value *v);

/* The merge rule of `walk --merge' and `diff --merge': can B extend A?
 * Leaves without anomalies, alike in every attribute (level, form, kind,
 * flags, cache, pkey, and the fields known), contiguous in VA and PA: the
 * ranges the kernel's ptdump prints as one. */
bool diff_entry_extends(const struct diff_entry *a, const struct diff_entry *b);

/* A stream of entries in VA order, without overlaps. */
struct diff_source;

/* Walk of an image: runs WP (on_entry and arg are set here) in a thread
 * of its own that hands entries over through a bounded queue. NULL with
 * ERR set when the thread cannot start. */
struct diff_source *diff_source_walk(const struct walk_params *wp, struct pt_error *err);

/* A saved walk: `ptwalk walk -J''s document, its entries read from its
 * "entries" array as they come, or JSON Lines (--format=jsonl).
 * Lines outside [START, END] are skipped; with PID >= 0 (or COMM) only
 * that process's lines are read. PATH names the input in errors. NULL
 * with ERR set when memory runs out or the input cannot be read. */
struct diff_source *diff_source_json(FILE *f, const char *path, uint64_t start,
				     uint64_t end, int32_t pid, const char *comm,
				     struct pt_error *err);
/* The architecture a saved walk's document names ("arch"), once its
 * entries are read; NULL when it names none (JSON Lines). */
const char *diff_source_json_arch(const struct diff_source *s);

/* The next entry, valid until the next call: 1, 0 at the end, or -1
 * with ERR set. */
int diff_source_next(struct diff_source *s, const struct diff_entry **e,
		     struct pt_error *err);
/* Stops a walk still running and frees everything. */
void diff_source_close(struct diff_source *s);

/* Entry E from logical entry LE of a walk with paging PG. */
void diff_entry_from_logical(struct diff_entry *e, const struct logical_entry *le,
			     const struct paging *pg);

/* ---- The engine ----------------------------------------------------------
 * diff_compare() sweeps two streams and hands out records: ranges added
 * or removed, entries changed or moved, and structural changes by name. */

enum diff_change {
	DC_ADDED, DC_REMOVED, DC_CHANGED, DC_MOVED, DC_SPLIT, DC_GANG_BROKEN,
	DC_FOLDED, DC_REMAPPED, DC_COUNT
};
extern const char *const diff_change_names[DC_COUNT];

struct diff_options {
	uint32_t compare;	/* DF_BIT of the fields compared */
	uint32_t flag_mask;	/* the flags compared (bits of enum pt_flag) */
	bool merge_records;	/* merge neighbouring records of one change */
	bool coalesce;		/* each side's runs first, as walk --merge */
};

/* One side of a record: the entries it covers, summarized. */
struct diff_rside {
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

struct diff_record {
	enum diff_change kind;
	uint64_t va, end;		/* inclusive */
	uint32_t fields;		/* changed, moved: what differs */
	int pa_kept, flags_kept;	/* clusters: 1, 0, or -1 not known */
	struct diff_rside a, b;
};

/* A kind of change, summed over the records. */
struct diff_change_sum {
	uint64_t ranges, bytes, a_entries, b_entries;
	/* What the entries on each side map: differs from the bytes where
	 * aliases (or table entries) take part. */
	uint64_t a_mapped, b_mapped, aliases;
	bool a_unknown, b_unknown;
	uint64_t form_bytes[FORM_COUNT];
};

struct diff_result {
	uint64_t a_entries, b_entries;	/* entries each side gave */
	uint64_t records;
	struct diff_change_sum sum[DC_COUNT];
	int failed_side;		/* the side whose stream failed, or -1 */
	uint32_t unknown[2];		/* compared fields (DF_BIT) a side's input lacked */
};

/* A record, valid during the call: 0 goes on, anything else stops the
 * comparison (an error). */
/* The defaults of `ptwalk diff': every field but slot, every flag,
 * records of one change merged. */
void diff_options_init(struct diff_options *o);
/* Leave out what LIST names (comma-separated field names, "pfn" for pa,
 * or flag names), as --ignore. -1 with the first unknown name in BAD
 * (BADSZ bytes, made printable) when there is one. */
int diff_options_ignore(struct diff_options *o, const char *list, char *bad, size_t badsz);

typedef int diff_record_fn(void *arg, const struct diff_record *rec);

/* Compare A and B (named A_NAME and B_NAME in errors) under OPT, handing
 * each record to ON_RECORD (NULL: only count them) in VA order. 0 with
 * RES filled, or -1 with ERR set (a stream's error, or entries out of
 * order, the first one met) and RES->failed_side saying whose. Records
 * before the error have been handed out. */
int diff_compare(const struct diff_options *opt, struct diff_source *a, const char *a_name,
		 struct diff_source *b, const char *b_name, diff_record_fn *on_record, void *arg,
		 struct diff_result *res, struct pt_error *err);

/* A stream of N entries from memory (not copied: valid while the source
 * is), checked as any other: for tests and for callers holding entries. */
struct diff_source *diff_source_entries(const struct diff_entry *e, size_t n,
					struct pt_error *err);


#endif
