/* SPDX-License-Identifier: GPL-2.0-or-later */
/* `ptwalk map': a picture of an address space (map_out.c draws it), of
 * the kernel's table, a process, or all of them; `map --diff A B' is
 * `diff --format=svg A B'. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "map_out.h"
#include "output.h"
#include "walk_cli.h"
#include "xalloc.h"

enum { OPT_MAP_FORMAT = 0x400, OPT_MAP_DIFF };

struct map_args {
	struct walk_cli w;
	const char *path;
	enum map_format fmt;
};

static const struct argp_option map_options[] = {
	{ "format", OPT_MAP_FORMAT, "FORMAT", 0, "svg (default) or html (zoom and tooltips, self-contained)", 0 },
	{ "diff", OPT_MAP_DIFF, NULL, 0,
	  "map --diff A B: draw what changed between two walks (the inputs and options of diff)", 0 },
	{ 0 }
};

static error_t map_parse(int key, char *arg, struct argp_state *state)
{
	struct map_args *a = state->input;

	switch (key) {
	case OPT_MAP_FORMAT:
		if (!strcmp(arg, "svg"))
			a->fmt = MAP_SVG;
		else if (!strcmp(arg, "html"))
			a->fmt = MAP_HTML;
		else
			argp_error(state, "--format=%s: expected svg or html", arg);
		break;
	default:
		return walk_cli_parse_image(&a->w, &a->path, key, arg, state);
	}
	return 0;
}

static const struct argp map_argp = {
	.options = map_options,
	.parser = map_parse,
	.args_doc = "IMAGE",
	.doc = "Draw an address space as one self-contained SVG (or HTML with zoom and tooltips) "
	       "on standard output: a band per kernel region (or per process), mapped ranges in "
	       "VA order coloured by form and size (4K, contpte 64K, 2M block, cont-pmd 32M, 1G, "
	       "8xx 512K and 8M, hugepd), gaps compressed, anomalies marked, a legend with the "
	       "totals per form.\v"
	       "The kernel's table by default; --pid, --comm, --pgd for one process's, --all for "
	       "the kernel's and then a band per process. `ptwalk map --diff A B' draws the changes "
	       "between two walks (`ptwalk diff --format=svg'). A band holds at most 512 ranges "
	       "(fewer with many bands): closer neighbours are drawn as one, so the picture's size "
	       "is bounded whatever the walk's.",
};

static void target_label(const struct walk_target *t, const struct walk_cli *w, char *buf,
			 size_t len)
{
	if (t->process)
		snprintf(buf, len, "pid %d %s", t->pid, t->comm);
	else if (t->have_user_root || w->have_pgd)
		snprintf(buf, len, "root 0x%llx", (unsigned long long)t->user_root);
	else
		snprintf(buf, len, "kernel");
}

/* `map --diff ...' is `diff --format=svg ...' (or =html). */
static int map_diff(int argc, char **argv)
{
	char **args = xcalloc((size_t)argc + 2, sizeof *args);
	static char name[] = "diff", svg[] = "--format=svg", html[] = "--format=html";
	int n = 0;
	bool format = false;

	args[n++] = name;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--diff"))
			continue;
		if (!strcmp(argv[i], "--format=html")) {
			args[n++] = html;
			format = true;
			continue;
		}
		if (!strcmp(argv[i], "--format=svg"))
			format = true;
		args[n++] = argv[i];
	}
	if (!format)
		args[n++] = svg;
	args[n] = NULL;
	int rc = cmd_diff(n, args);
	free(args);
	return rc;
}

int cmd_map(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--"))
			break;
		if (!strcmp(argv[i], "--diff"))
			return map_diff(argc, argv);
	}

	struct map_args a = { .fmt = MAP_SVG };
	struct image *img = NULL;
	struct paging pg;
	struct walk_params base, wp;
	struct walk_stats stats;
	struct pt_error err = { .exit_code = PT_EXIT_IMAGE };
	struct map_out *m = NULL;

	walk_cli_init(&a.w, WC_NO_MERGE | WC_NO_COLUMNS | WC_NO_HEADINGS | WC_NO_CSV | WC_NO_FORMAT);
	command_parse(walk_cli_command(&a.w, &map_argp), argc, argv, "map", &a);
	a.w.want_regions = true;
	int rc = image_cli_open(&a.w.image, &img, &pg);
	if (!rc)
		rc = walk_cli_prepare(&a.w, img, &pg, &base);
	if (!rc)
		rc = walk_cli_targets(&a.w, img, &pg, &base);
	if (rc)
		goto out;

	m = map_new(&pg, 0, &a.w.regions, a.fmt, false);
	char title[512], sub[512], size[32];
	snprintf(title, sizeof title, "ptwalk map: %s", img->path);
	format_size(size, sizeof size, 1ull << pg.page_shift);
	snprintf(sub, sizeof sub, "%s, %s pages, %u levels, kernel %s%s%s", pg.arch->name, size,
		 pg.levels, pg.release[0] ? pg.release : "release unknown",
		 a.w.ntargets == 1 && a.w.targets[0].process ? "; " : "",
		 a.w.ntargets == 1 && a.w.targets[0].process ? a.w.targets[0].comm : "");
	map_title(m, title, sub);
	for (size_t i = 0; i < a.w.ntargets; i++) {
		const struct walk_target *t = &a.w.targets[i];
		char label[96];
		walk_cli_apply(&a.w, t, &base, &wp);
		target_label(t, &a.w, label, sizeof label);
		/* The kernel's table a band per region; a process's one. */
		map_target(m, a.w.ntargets > 1 || t->process || wp.have_user_root ? label : "",
			   !t->process && !wp.have_user_root);
		wp.on_entry = map_entry;
		wp.on_run = NULL;
		wp.arg = m;
		if (walk_tables(&wp, &stats, &err)) {
			walk_cli_error(img, &err);
			rc = err.exit_code;
			goto out;
		}
	}
	map_write(m);
out:
	map_free(m);
	walk_cli_free(&a.w);
	image_close(img);
	out_finish();
	return rc;
}
