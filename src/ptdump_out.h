/* SPDX-License-Identifier: GPL-2.0-or-later */
/* walk --format=ptdump: the kernel's debugfs page-table dump (see
 * ptdump_out.c). */
#ifndef PTWALK_PTDUMP_OUT_H
#define PTWALK_PTDUMP_OUT_H

#include <stdbool.h>
#include <stdint.h>

#include "arch.h"
#include "region.h"
#include "walk.h"

/* --ptdump-gangs: the gangs a line's range holds. */
#define PD_MAX_GANGS 4
#define PD_MAX_CHUNKS 65536
struct pd_gang {
	uint8_t form;
	uint64_t size, n, partial;
};
struct pd_chunk {
	char *text;
	size_t len;
	bool data;
	uint64_t start, end;
	unsigned ngangs;
	struct pd_gang gangs[PD_MAX_GANGS];
};

/* The state of the arch's note_page() (its struct pg_state). */
struct ptdump_out {
	const struct paging *pg;
	enum ptdump_style style;
	uint64_t addr_mask;		/* unsigned long: 32 bits on 8xx */
	const struct attr_word *words;
	size_t nwords;
	uint64_t mask;			/* the bits note_page() compares */
	int level;			/* -1 before the first note */
	uint64_t cur, eff, start, start_pa;
	uint64_t prot_levels[5];	/* x86 effective_prot() */
	unsigned long long lines;
	unsigned marker, nmarkers;
	struct pt_marker markers[PT_MAX_MARKERS + 1];
	/* The line being made; with ANNOTATE the lines not yet out. */
	char text[512];
	size_t text_len;
	bool line_data;
	uint64_t line_start, line_end;
	bool annotate;
	uint64_t span;			/* twice the largest gang's */
	struct pd_chunk *chunks;
	size_t nchunks, capchunks;
	unsigned run_ngangs;
	struct pd_gang run_gangs[PD_MAX_GANGS];
};

/* Ready PO for a dump of PG's tables with RG's markers; USER: a
 * process's table; ANNOTATE: each line followed by the gangs ptwalk
 * folded in it (--ptdump-gangs). */
void ptdump_init(struct ptdump_out *po, const struct paging *pg, const struct pt_regions *rg,
		 bool user, bool annotate);
/* walk_params.on_entry: the logical entries, for ANNOTATE. */
int ptdump_entry(void *arg, const struct logical_entry *le);
/* walk_params.on_step (ARG the struct ptdump_out). */
int ptdump_step(void *arg, const struct pt_step *s, uint64_t va);
/* The kernel's last note, which prints the last run; then what PO
 * holds is freed. */
void ptdump_finish(struct ptdump_out *po);

#endif
