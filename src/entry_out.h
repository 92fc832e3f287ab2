/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Logical entries as text, JSON Lines or CSV: one column model behind all
 * three formats (as util-linux does), so -o selects the same fields in
 * each. Column names and formats are an interface: see man/ptwalk.1. */
#ifndef PTWALK_ENTRY_OUT_H
#define PTWALK_ENTRY_OUT_H

#include "diff.h"
#include "field_out.h"
#include "walk.h"

#define ENTRY_MAX_COLS 32
/* The most bytes one column takes in any format, JSON key and quotes
 * included (FIELD_OUT_MAX and a key), and the most a note holds: a swap
 * kind of at most 127 bytes with its type and offset, or a reserved
 * entry's reason of at most 96, an alias's table, and at most 255 bytes of
 * anomaly names. Every line is built in a buffer of ENTRY_MAX_COLS such
 * columns, so no -o list can overflow it. */
#define ENTRY_COL_MAX (FIELD_OUT_MAX + 32)
#define ENTRY_NOTE_MAX 640
#define ENTRY_LINE_MAX ((ENTRY_MAX_COLS + 1) * ENTRY_COL_MAX)

struct walk_target;

struct entry_out {
	const struct paging *pg;
	/* Walks of processes: the pid, comm and root columns say whose. */
	bool processes;
	const struct walk_target *target;
	enum entry_format format;
	struct json_doc doc;	/* JSON: one document (-J), or JSON Lines */
	bool headings;
	bool raw;		/* text unaligned, values escaped (-r) */
	unsigned ncols;
	enum entry_field cols[ENTRY_MAX_COLS];
	/* --merge: coalesce neighbours with identical attributes and
	 * contiguous PA. */
	bool merge;
	bool pending;
	struct logical_entry held;
	/* The held entry, and the next, as the merge rule compares them. */
	struct diff_entry held_d, next_d;
	bool header_done;
	/* Bit i: column i varies per entry (entry_field_varies()), set by
	 * the first line. */
	uint32_t varies;
	/* Text: column i's address digits (as wide as the architecture's
	 * addresses; 0: not an address) and width, set with varies. */
	uint8_t hexw[ENTRY_MAX_COLS];
	int8_t width[ENTRY_MAX_COLS];
	/* Column i's JSON key, quoted, with its colon (set with varies). */
	char jkey[ENTRY_MAX_COLS][16];
	uint8_t jkey_len[ENTRY_MAX_COLS];
	/* Counted for callers: entries, and the bytes they map (aliases as
	 * what their slots reach, when the walk summarizes them). */
	uint64_t entries;
	uint64_t mapped;
	bool mapped_unknown;
	/* Formatting caches: the text of each non-address column of the last
	 * plain leaf (see entry_out.c). */
	bool frag_valid;
	struct logical_entry frag_le;
	char frag[ENTRY_MAX_COLS][256];
	uint16_t frag_len[ENTRY_MAX_COLS];
	uint8_t run_end[ENTRY_MAX_COLS];
	/* Kernel regions (the region column, --merge's section lines), or
	 * NULL; the lookup's hint; the region of the last text line. */
	const struct pt_regions *regions;
	unsigned region_hint;
	int section;
	int frag_region;
	/* The one line buffer every format builds in (see ENTRY_COL_MAX). */
	char line[ENTRY_LINE_MAX];
};

/* Parse -o LIST (comma-separated, case-insensitive, "+LIST" appends to
 * the defaults). Returns 0 or -1 with a message in ERR. */
/* Whether the output needs the kernel's regions (eo->regions). */
bool entry_out_wants_regions(const struct entry_out *eo);
/* Whether the columns need what aliased slots map (walk_params
 * summarize_aliases). */
bool entry_out_wants_subtrees(const struct entry_out *eo);
int entry_out_columns(struct entry_out *eo, const char *list, struct pt_error *err);
/* Defaults for the format, when -o is not given. */
void entry_out_default_columns(struct entry_out *eo);
/* --list-columns: every column's name and what it holds, a line each. */
void entry_out_list_columns(void);
/* Sink for walk_params.on_entry (ARG is the struct entry_out). */
int entry_out_sink(void *arg, const struct logical_entry *le);
/* Emit what --merge holds back, and the heading of an empty output. */
void entry_out_finish(struct entry_out *eo);
/* Hex digits of the architecture's virtual addresses in text: 8 on
 * 32-bit 8xx (as crash prints them), 16 elsewhere. */
unsigned entry_out_va_digits(const struct paging *pg);
/* One entry as a JSON object (no newline), all columns. */
void entry_out_json_object(struct entry_out *eo, const struct logical_entry *le);

#endif
