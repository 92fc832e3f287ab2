/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Logical entries as text, JSON Lines or CSV: one column model behind all
 * three formats (as util-linux does), so -o selects the same fields in
 * each. Column names and formats are an interface: see man/ptwalk.1. */
#ifndef PTWALK_ENTRY_OUT_H
#define PTWALK_ENTRY_OUT_H

#include "walk.h"

enum entry_format { EFMT_TEXT, EFMT_JSON, EFMT_CSV };

enum entry_col {
	COL_PID, COL_COMM, COL_ROOT,
	COL_VA, COL_END, COL_SIZE, COL_LEVEL, COL_FORM, COL_COUNT, COL_KIND,
	COL_PA, COL_PFN, COL_FLAGS, COL_CACHE, COL_PKEY, COL_SWAP, COL_RAW,
	COL_SLOT, COL_ANOMALIES, COL_ALIAS_OF, COL_MAPPED, COL_NOTE,
	COL_COUNT_ALL
};

#define ENTRY_MAX_COLS 32
/* The most bytes one column takes in any format, JSON key, quotes,
 * escapes and text padding included: the longest is a note (a swap kind
 * of at most 127 bytes with its type and offset, or a reserved entry's
 * reason of at most 96, and at most 255 of anomaly names), escaped. Every
 * line is built in a buffer of ENTRY_MAX_COLS such columns, so no -o
 * list can overflow it. */
#define ENTRY_COL_MAX 1280
#define ENTRY_LINE_MAX ((ENTRY_MAX_COLS + 1) * ENTRY_COL_MAX)

struct walk_target;

struct entry_out {
	const struct paging *pg;
	/* Walks of processes: the pid, comm and root columns say whose. */
	bool processes;
	const struct walk_target *target;
	enum entry_format format;
	bool headings;
	unsigned ncols;
	enum entry_col cols[ENTRY_MAX_COLS];
	/* --merge: coalesce neighbours with identical attributes and
	 * contiguous PA. */
	bool merge;
	bool pending;
	struct logical_entry held;
	bool header_done;
	/* Counted for callers. */
	uint64_t entries;
	/* Formatting caches: the text of each non-address column of the last
	 * plain leaf (see entry_out.c). */
	bool frag_valid;
	struct logical_entry frag_le;
	char frag[ENTRY_MAX_COLS][256];
	uint16_t frag_len[ENTRY_MAX_COLS];
	uint8_t run_end[ENTRY_MAX_COLS];
	uint64_t size_cached;
	char size_str[24];
	uint32_t flags_cached, jflags_cached;
	char flags_str[32];
	char jflags_str[256];
	/* The one line buffer every format builds in (see ENTRY_COL_MAX). */
	char line[ENTRY_LINE_MAX];
};

/* Parse -o LIST (comma-separated, case-insensitive, "+LIST" appends to
 * the defaults). Returns 0 or -1 with a message in ERR. */
/* Whether the columns need what aliased slots map (walk_params
 * summarize_aliases). */
bool entry_out_wants_subtrees(const struct entry_out *eo);
int entry_out_columns(struct entry_out *eo, const char *list, struct pt_error *err);
/* Defaults for the format, when -o is not given. */
void entry_out_default_columns(struct entry_out *eo);
int parse_entry_format(const char *arg, enum entry_format *fmt);
/* --list-columns: every column's name and what it holds, a line each. */
void entry_out_list_columns(void);
/* Sink for walk_params.on_entry (ARG is the struct entry_out). */
int entry_out_sink(void *arg, const struct logical_entry *le);
/* Emit what --merge holds back, and the heading of an empty output. */
void entry_out_finish(struct entry_out *eo);
/* "4K", "2M", "12K", "1T": exact, largest unit that divides. */
void format_size(char *buf, size_t len, uint64_t size);
/* The fixed-position flag string ("prwxXugdascSWDGhe"). */
void format_flags(char *buf, const struct pt_decoded *d);
/* Comma-free anomaly list "a;b", "" when none. */
void format_anomalies(char *buf, size_t len, uint32_t anomalies);
/* One entry as a JSON object (no newline), all columns. */
void entry_out_json_object(struct entry_out *eo, const struct logical_entry *le);

#endif
