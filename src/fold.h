/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The fold: physical entries in, logical entries out (see walk.h). */
#ifndef PTWALK_FOLD_H
#define PTWALK_FOLD_H

#include "ptwalk/walk.h"

/* The largest gang any architecture has (arm64 16K CONT_PTES). */
#define FOLD_MAX_GANG 128

struct fold {
	const struct paging *pg;
	entry_sink sink;
	void *arg;
	bool physical;			/* --view=physical: one entry per slot */
	/* The gang being collected: consecutive CONT slots of one aligned
	 * group, starting at slot `first' of the group. */
	unsigned n;			/* entries collected, 0 = none */
	unsigned level, gang, first;
	struct phys_entry e[FOLD_MAX_GANG];
	/* The last partial gang flushed, to mark both halves of a gang
	 * shifted off its aligned slots. */
	bool prev_shifted;
	uint64_t prev_end_pa, prev_end_va;
};

void fold_init(struct fold *f, const struct paging *pg, const struct walk_params *wp);
/* A non-table entry, in VA order. Returns 0 or -1 (the sink stopped). */
int fold_push(struct fold *f, const struct phys_entry *pe);
/* Nothing more of the current gang can follow: emit what is pending. */
int fold_flush(struct fold *f);
/* Emit an entry the walker made itself (after a flush). */
int fold_emit(struct fold *f, const struct logical_entry *le);

#endif
