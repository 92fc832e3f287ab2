/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Command-line options of the commands that walk (walk, check, stats). */
#ifndef PTWALK_WALK_CLI_H
#define PTWALK_WALK_CLI_H

#include "ptwalk/cli.h"
#include "ptwalk/entry_out.h"
#include "ptwalk/walk.h"

struct walk_cli {
	struct image_cli image;
	bool have_pgd;
	uint64_t pgd_value;
	bool have_range;
	uint64_t start, end;		/* inclusive */
	bool physical;
	const char *columns;
	struct entry_out out;
};

/* argp child parsing struct walk_cli (which holds the image options). */
extern const struct argp walk_cli_argp;
void walk_cli_init(struct walk_cli *w);
/* Roots and range for a walk of IMG; prints an error and returns an exit
 * code on failure. */
int walk_cli_prepare(struct walk_cli *w, struct image *img, const struct paging *pg,
		     struct walk_params *wp);
/* "ptwalk: IMAGE: message" */
void walk_cli_error(const struct image *img, const struct pt_error *err);

int cmd_walk(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_stats(int argc, char **argv);
int cmd_vtop(int argc, char **argv);

#endif
