/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The fold: physical entries in, logical entries out (see walk.h). */
#ifndef PTWALK_FOLD_H
#define PTWALK_FOLD_H

#include "walk.h"

/* The largest gang any architecture has: the 2048 cells of an 8xx 8M
 * page. */
#define FOLD_MAX_GANG 2048

struct fold {
	const struct paging *pg;
	entry_sink sink;
	void *arg;
	bool physical;			/* --view=physical: one entry per slot */
	/* The gang being collected: consecutive slots of one aligned group,
	 * starting at slot `first' of the group. */
	unsigned n;			/* entries collected, 0 = none */
	unsigned level, first;
	struct gang_spec spec;
	struct phys_entry *e;		/* CAP entries, grown to FOLD_MAX_GANG */
	unsigned cap;
	struct pt_error *err;		/* where running out of memory is said */
	/* The last partial gang flushed, to mark both halves of a gang
	 * shifted off its aligned slots. */
	bool prev_shifted;
	uint64_t prev_end_pa, prev_end_va;
	unsigned prev_first;		/* the slot that partial run started at */
	uint64_t prev_group_va;		/* its group's first VA + 1; 0: none */
};

/* Returns 0, or -1 with ERR set when memory runs out (fold_free() it
 * all the same). */
int fold_init(struct fold *f, const struct paging *pg, const struct walk_params *wp,
	      struct pt_error *err);
void fold_free(struct fold *f);
/* A non-table entry, in VA order. Returns 0 or -1 (the sink stopped). */
int fold_push(struct fold *f, const struct phys_entry *pe);
/* Nothing more of the current gang can follow: emit what is pending. */
int fold_flush(struct fold *f);
/* Emit an entry the walker made itself (pending entries go first). */
int fold_emit(struct fold *f, const struct logical_entry *le);
/* Check a whole gang already in memory (SLOTS[0..gs->n), all present)
 * and fill LE; false when anything is off. Used by the walker for gangs
 * inside one table without buffering them. */
bool fold_gang_whole(const struct paging *pg, const struct gang_spec *gs,
		     const struct phys_entry *first, const uint64_t *raws,
		     struct logical_entry *le);

#endif
