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
};

/* Ready PO for a dump of PG's tables with RG's markers; USER: a
 * process's table. */
void ptdump_init(struct ptdump_out *po, const struct paging *pg, const struct pt_regions *rg,
		 bool user);
/* walk_params.on_step (ARG the struct ptdump_out). */
int ptdump_step(void *arg, const struct pt_step *s, uint64_t va);
/* The kernel's last note, which prints the last run. */
void ptdump_finish(struct ptdump_out *po);

#endif
