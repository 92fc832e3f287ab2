/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Command-line options of the commands that walk (walk, check, stats). */
#ifndef PTWALK_WALK_CLI_H
#define PTWALK_WALK_CLI_H

#include "cli.h"
#include "entry_out.h"
#include "kmem.h"
#include "walk.h"

/* What one walk covers: the kernel's table, a --pgd root, or a process. */
struct walk_target {
	bool process;		/* chosen by --pid, --comm, --mm or --all */
	int32_t pid;
	char comm[17];
	uint64_t mm;
	bool have_user_root;
	uint64_t user_root;
};

/* Options that find processes, shared with `tasks'. */
extern const struct argp kernel_info_argp;

/* Options a command does not honour (walk_cli_init()): not offered, so
 * that giving one is a usage error and --help does not list it. */
enum {
	WC_NO_MERGE = 1u << 0,		/* --merge */
	WC_NO_COLUMNS = 1u << 1,	/* -o, --list-columns: not entry rows */
	WC_NO_HEADINGS = 1u << 2,	/* -n, -r: no text table */
	WC_NO_RANGE = 1u << 3,		/* --range */
	WC_NO_EXPAND = 1u << 4,		/* --expand-aliases */
	WC_NO_CSV = 1u << 5,		/* --format=csv */
	WC_NO_ALL = 1u << 6,		/* --all: one table only */
	WC_NO_FORMAT = 1u << 7,		/* --format, -J */
	WC_NO_VIEW = 1u << 8,		/* --view */
	WC_NO_BYTES = 1u << 9,		/* -b, --bytes: no sizes printed */
	/* Not a refusal: --format=ptdump is offered (walk alone). */
	WC_PTDUMP = 1u << 10,
	/* read --virt: a root, nothing of a walk's output. */
	WC_READ = WC_NO_MERGE | WC_NO_COLUMNS | WC_NO_HEADINGS | WC_NO_RANGE | WC_NO_EXPAND |
		  WC_NO_CSV | WC_NO_ALL | WC_NO_FORMAT | WC_NO_VIEW | WC_NO_BYTES,
};

#define WALK_CLI_MAX_OPTIONS 32

struct walk_cli {
	struct image_cli image;
	/* The command's argp, with this walk_cli's option set as its child. */
	unsigned refuse;
	struct argp_option options[WALK_CLI_MAX_OPTIONS];
	struct argp argp, cmd_argp;
	struct argp_child children[2];
	bool have_pgd;
	uint64_t pgd_value;
	bool have_range;
	uint64_t start, end;		/* inclusive */
	bool physical;
	bool expand_aliases;		/* --expand-aliases */
	bool summarize_aliases;		/* the command sums what aliases map */
	const char *columns;
	char columns_buf[1024];		/* -o lists, added up */
	struct entry_out out;
	/* Process selection. */
	struct kernel_info_options kopts;
	bool have_pid, have_task, have_mm, all, kernel;
	int32_t pid;
	const char *comm;
	uint64_t task, mm;
	struct walk_target *targets;
	size_t ntargets;
	struct pt_regions regions;	/* when the output wants them */
	bool ptdump;			/* --format=ptdump */
	bool ptdump_gangs;		/* --ptdump-gangs */
	bool want_regions;		/* the command draws or names regions */
};

/* argp child parsing struct walk_cli (which holds the image options). */
extern const struct argp walk_cli_argp;
/* W empty, offering every option but those REFUSE (WC_NO_*) names. */
void walk_cli_init(struct walk_cli *w, unsigned refuse);
/* CMD (its parser, usage and doc) with W's options as its child: what
 * the command gives command_parse(). */
const struct argp *walk_cli_command(struct walk_cli *w, const struct argp *cmd);
/* For a command parser taking one IMAGE: the keys every such command
 * parses alike (W as its child's input; the IMAGE, into *PATH and W;
 * "too many arguments", "expected IMAGE"). ARGP_ERR_UNKNOWN for others. */
error_t walk_cli_parse_image(struct walk_cli *w, const char **path, int key, char *arg,
			     struct argp_state *state);
/* Free what walk_cli_targets() allocated. */
void walk_cli_free(struct walk_cli *w);
/* Roots and range for a walk of IMG; prints an error and returns an exit
 * code on failure. */
int walk_cli_prepare(struct walk_cli *w, struct image *img, const struct paging *pg,
		     struct walk_params *wp);
/* The targets to walk (after walk_cli_prepare): one unless a process
 * selection matches several. Prints an error and returns an exit code on
 * failure. */
int walk_cli_targets(struct walk_cli *w, struct image *img, const struct paging *pg,
		     const struct walk_params *base);
/* The one table vtop and read --virt translate through: the roots of
 * walk_cli_prepare() narrowed to the one process the options choose, in
 * WP. Prints an error and returns an exit code on failure (a --comm
 * naming several processes included). */
int walk_cli_one_root(struct walk_cli *w, struct image *img, const struct paging *pg,
		      struct walk_params *wp);
/* WP for target T: its roots, and for a process its user space unless
 * --range says otherwise. */
void walk_cli_apply(const struct walk_cli *w, const struct walk_target *t,
		    const struct walk_params *base, struct walk_params *wp);
/* FN for each process of IMG (with THREADS, each thread of each): from
 * the host (crash) when IMG is its memory, else from the kernel's symbols
 * and types as KOPTS say. */
int cli_tasks_for_each(struct image *img, const struct paging *pg,
		       const struct kernel_info_options *kopts, bool threads,
		       int (*fn)(void *arg, const struct task_info *t), void *arg,
		       struct pt_error *err);
/* A text line naming target T, for outputs that cover several. */
void walk_cli_target_line(const struct walk_target *t);

/* "ptwalk: IMAGE: message" */
void walk_cli_error(const struct image *img, const struct pt_error *err);

int cmd_walk(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_stats(int argc, char **argv);
int cmd_vtop(int argc, char **argv);
int cmd_tasks(int argc, char **argv);
int cmd_diff(int argc, char **argv);
int cmd_map(int argc, char **argv);

#endif
