/* SPDX-License-Identifier: GPL-2.0-or-later */
/* `ptwalk diff''s writers: the engine's records (lib/diff.h) as text or
 * JSON Lines, and the summary line. */
#ifndef PTWALK_DIFF_OUT_H
#define PTWALK_DIFF_OUT_H

#include <stdbool.h>

#include "diff.h"
#include "output.h"

struct diff_out {
	const struct diff_options *opt;	/* what is compared: what text shows */
	bool json;
	/* JSON: one document {"a":A,"b":B,"records":[...],"summary":{...}}
	 * (-J, doc.on), or JSON Lines (--format=jsonl). */
	struct json_doc doc;
	bool headings;			/* text: the ---/+++ lines naming the sides */
	bool header_done;
	const char *path[2], *desc[2];	/* A and B */
	unsigned page_shift[2];		/* an image side's, for pfn; 0: a saved walk's */
};

/* A diff_record_fn: ARG is the struct diff_out. */
int diff_out_record(void *arg, const struct diff_record *rec);
/* The summary of the whole comparison. */
void diff_out_summary(struct diff_out *r, const struct diff_result *res);

#endif
