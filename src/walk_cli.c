/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Options shared by the commands that walk: roots, range, view, output. */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "ptwalk/walk_cli.h"

enum {
	OPT_PGD = 0x200,
	OPT_RANGE,
	OPT_VIEW,
	OPT_MERGE,
	OPT_FORMAT,
	OPT_NOHEADINGS,
};

static const struct argp_option walk_options[] = {
	{ NULL, 0, NULL, 0, "Walk options:", 20 },
	{ "pgd", OPT_PGD, "VALUE", 0,
	  "Walk from this root: a physical address, or a TTBR0_EL1 / CR3 value", 0 },
	{ "range", OPT_RANGE, "START-END", 0,
	  "Only virtual addresses in [START, END); also START+SIZE, or START- to the top", 0 },
	{ "view", OPT_VIEW, "VIEW", 0, "logical (default: gangs folded) or physical (one entry per slot)", 0 },
	{ NULL, 0, NULL, 0, "Output options:", 30 },
	{ "format", OPT_FORMAT, "FORMAT", 0, "text (default), json (JSON Lines) or csv", 0 },
	{ "json", 'J', NULL, 0, "Same as --format=json", 0 },
	{ "output", 'o', "LIST", 0, "Columns to print (see the man page); +LIST adds to the default", 0 },
	{ "noheadings", OPT_NOHEADINGS, NULL, 0, "No heading line", 0 },
	{ "merge", OPT_MERGE, NULL, 0,
	  "Coalesce neighbouring entries with identical flags and contiguous PA", 0 },
	{ 0 }
};

static int parse_range(const char *arg, uint64_t *start, uint64_t *end)
{
	char buf[128];
	if (strlen(arg) >= sizeof buf)
		return -1;
	strcpy(buf, arg);
	char *sep = strpbrk(buf, "-+");
	if (!sep)
		return -1;
	char kind = *sep;
	*sep = 0;
	if (parse_u64(buf, start))
		return -1;
	if (kind == '-' && !sep[1]) {
		*end = UINT64_MAX;
		return 0;
	}
	uint64_t v;
	if (kind == '+' ? parse_size(sep + 1, &v) : parse_u64(sep + 1, &v))
		return -1;
	if (kind == '+') {
		if (!v || *start + v - 1 < *start)
			return -1;
		*end = *start + v - 1;
	} else {
		if (v <= *start)
			return -1;
		*end = v - 1;
	}
	return 0;
}

static error_t walk_cli_parse(int key, char *arg, struct argp_state *state)
{
	struct walk_cli *w = state->input;
	struct pt_error err = { 0 };

	switch (key) {
	case ARGP_KEY_INIT:
		state->child_inputs[0] = &w->image;
		break;
	case OPT_PGD:
		if (parse_u64(arg, &w->pgd_value))
			argp_error(state, "--pgd=%s: expected an address or register value", arg);
		w->have_pgd = true;
		break;
	case OPT_RANGE:
		if (parse_range(arg, &w->start, &w->end))
			argp_error(state, "--range=%s: expected START-END with START < END, START+SIZE or START-", arg);
		w->have_range = true;
		break;
	case OPT_VIEW:
		if (!strcmp(arg, "logical"))
			w->physical = false;
		else if (!strcmp(arg, "physical"))
			w->physical = true;
		else
			argp_error(state, "--view=%s: expected logical or physical", arg);
		break;
	case OPT_FORMAT:
		if (parse_entry_format(arg, &w->out.format))
			argp_error(state, "--format=%s: expected text, json or csv", arg);
		break;
	case 'J':
		w->out.format = EFMT_JSON;
		break;
	case 'o':
		w->columns = arg;
		break;
	case OPT_NOHEADINGS:
		w->out.headings = false;
		break;
	case OPT_MERGE:
		w->out.merge = true;
		break;
	case ARGP_KEY_END:
		entry_out_default_columns(&w->out);
		if (w->columns && entry_out_columns(&w->out, w->columns, &err))
			argp_error(state, "%s", err.msg);
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

static const struct argp_child walk_cli_children[] = {
	{ &image_cli_argp, 0, NULL, 0 },
	{ 0 }
};

const struct argp walk_cli_argp = {
	.options = walk_options,
	.parser = walk_cli_parse,
	.children = walk_cli_children,
};

void walk_cli_init(struct walk_cli *w)
{
	memset(w, 0, sizeof *w);
	w->out.headings = true;
	w->out.format = EFMT_TEXT;
}

int walk_cli_prepare(struct walk_cli *w, struct image *img, const struct paging *pg,
		     struct walk_params *wp)
{
	struct pt_error err = { .exit_code = PT_EXIT_USAGE };

	memset(wp, 0, sizeof *wp);
	wp->img = img;
	wp->pg = pg;
	wp->physical = w->physical;
	wp->progress = !w->image.quiet && isatty(STDERR_FILENO);
	if (pg->kernel_root.set) {
		wp->have_kernel_root = true;
		wp->kernel_root = pg->kernel_root.v;
	}
	if (w->have_pgd) {
		if (!pg->arch->root_from_register) {
			fprintf(stderr, "%s: %s: walking %s page tables is not supported yet\n",
				pt_progname, img->path, pg->arch->name);
			return PT_EXIT_IMAGE;
		}
		if (pt_root_from_register(pg, w->pgd_value, &wp->user_root, &err)) {
			fprintf(stderr, "%s: %s\n", pt_progname, err.msg);
			return err.exit_code;
		}
		wp->have_user_root = true;
	}

	struct va_half halves[2];
	pt_va_halves(pg, halves);
	if (w->have_range) {
		wp->start = w->start;
		wp->end = w->end;
	} else if (pg->arch->split_roots) {
		/* A user root walks the user half, else the kernel half. */
		const struct va_half *h = &halves[w->have_pgd ? 0 : 1];
		wp->start = h->start;
		wp->end = h->end;
	} else {
		wp->start = 0;
		wp->end = UINT64_MAX;
	}
	w->out.pg = pg;
	return 0;
}

void walk_cli_error(const struct image *img, const struct pt_error *err)
{
	fprintf(stderr, "%s: %s: %s\n", pt_progname, img->path, err->msg);
}
