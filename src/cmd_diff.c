/* SPDX-License-Identifier: GPL-2.0-or-later */
/* `ptwalk diff A B': its options and its inputs. The comparison is the
 * engine's (lib/diff_engine.c), the output diff_out.c's.
 *
 * Each image, root and symbol option is declared once, by the parser
 * that owns it (image_cli_argp, walk_cli_argp, kernel_info_argp); diff
 * offers each for both sides and as --a-NAME and --b-NAME, and hands the
 * value to the owner's parser with that side's state. */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "diff.h"
#include "diff_out.h"
#include "entry_out.h"
#include "field_out.h"
#include "host.h"
#include "map_out.h"
#include "output.h"
#include "walk_cli.h"
#include "xalloc.h"

/* ---- Sides -------------------------------------------------------------- */

struct diff_side {
	char name;			/* 'a' or 'b' */
	const char *path;
	struct walk_cli w;
	bool json;
	FILE *json_file;
	struct image *img;
	struct paging pg;
	struct diff_source *src;
	char desc[160];
	struct walk_params wp;		/* an image's walk, until it starts */
};

/* ---- Command line ------------------------------------------------------- */

enum {
	OPT_IGNORE = 0x300,
	OPT_LIST_FIELDS,
	OPT_FORMAT,
	OPT_NOHEADINGS,
	OPT_NO_MERGE,
	OPT_MERGE,
	/* Options of one or both sides: SIDE_KEY(which, index). */
	SIDE_BOTH = 1, SIDE_A = 2, SIDE_B = 3,
};
#define SIDE_KEY(which, i) (((which) << 16) | (i))

/* The walk options a side takes, by their long name. */
static const char *const side_option_names[] = {
	"arch", "raw-image", "page-size", "va-bits", "levels", "kernel-release", "kernel-config",
	"page-offset", "mmu", "vmcoreinfo", "truncated", "part", "jobs", "pgd", "pid", "comm", "task", "mm", "kernel",
	"vmlinux", "btf", "kallsyms",
};
/* Options that apply to both sides only: one range, one view. */
static const char *const both_option_names[] = { "range", "view" };

struct side_option {
	const struct argp *owner;	/* whose parser takes it */
	int key;			/* its key there */
};

#define MAX_SIDE_OPTIONS 32

struct diff_args {
	struct diff_side side[2];
	const char *ignore;
	struct diff_options cfg;
	bool json, document, headings;
	bool picture;			/* --format=svg or html */
	enum map_format picture_fmt;
	bool quiet;
	unsigned nargs;
	struct side_option opts[MAX_SIDE_OPTIONS];
	unsigned nopts;
};

static void *side_input(struct diff_side *s, const struct argp *owner)
{
	if (owner == &image_cli_argp)
		return &s->w.image;
	if (owner == &kernel_info_argp)
		return &s->w.kopts;
	return &s->w;
}

static void side_parse(struct argp_state *state, struct diff_side *s,
		       const struct side_option *so, char *arg)
{
	struct argp_state st = *state;
	st.input = side_input(s, so->owner);
	so->owner->parser(so->key, arg, &st);
}

static int parse_ignore(struct diff_args *a, const char *list, struct argp_state *state)
{
	char bad[64];
	if (diff_options_ignore(&a->cfg, list, bad, sizeof bad)) {
		/* The compared fields, as the entry model names them. */
		char fields[256];
		size_t n = 0;
		fields[0] = 0;
		for (unsigned i = 0; i < DF_COUNT_ALL && n < sizeof fields; i++)
			n += (size_t)snprintf(fields + n, sizeof fields - n, "%s, ", diff_field_names[i]);
		argp_error(state, "--ignore: unknown field '%s' (fields: %sor a flag name such as "
			   "young or dirty)", bad, fields);
	}
	return 0;
}

static error_t diff_parse(int key, char *arg, struct argp_state *state)
{
	struct diff_args *a = state->input;
	unsigned which = (unsigned)key >> 16;

	if (key > 0 && key < 0x80 && isalpha(key)) {
		/* A short form of a side option: both sides. */
		for (unsigned i = 0; i < a->nopts; i++) {
			if (a->opts[i].key == key) {
				key = SIDE_KEY(SIDE_BOTH, i);
				which = SIDE_BOTH;
				break;
			}
		}
	}
	if (which >= SIDE_BOTH && which <= SIDE_B) {
		const struct side_option *so = &a->opts[key & 0xffff];
		if (which != SIDE_B)
			side_parse(state, &a->side[0], so, arg);
		if (which != SIDE_A)
			side_parse(state, &a->side[1], so, arg);
		return 0;
	}
	switch (key) {
	case OPT_LIST_FIELDS:
		/* What --ignore takes: the compared fields (from the entry
		 * model), then the flag names. */
		for (unsigned f = 0; f < DF_COUNT_ALL; f++)
			out_printf("%-12s %s\n", diff_field_names[f], entry_fields[diff_field_entry[f]].help);
		for (unsigned f = 0; f < PTF_COUNT; f++)
			out_printf("%-12s a flag of the flags field\n", pt_flag_names[f]);
		out_finish();
		exit(PT_EXIT_OK);
	case OPT_IGNORE:
		a->ignore = arg;
		return parse_ignore(a, arg, state);
	case OPT_FORMAT:
		a->picture = false;
		if (!strcmp(arg, "svg") || !strcmp(arg, "html")) {
			a->picture = true;
			a->picture_fmt = !strcmp(arg, "svg") ? MAP_SVG : MAP_HTML;
			a->json = a->document = false;
		} else if (!strcmp(arg, "text"))
			a->json = a->document = false;
		else if (!strcmp(arg, "json"))
			a->json = a->document = true;
		else if (!strcmp(arg, "jsonl"))
			a->json = true, a->document = false;
		else
			argp_error(state, "--format=%s: expected text, json, jsonl, svg or html", arg);
		break;
	case 'J':
		a->json = a->document = true;
		a->picture = false;
		break;
	case 'n':
		a->headings = false;
		break;
	case 'b':
		field_exact_bytes = true;
		break;
	case OPT_NO_MERGE:
		a->cfg.merge_records = false;
		break;
	case OPT_MERGE:
		a->cfg.coalesce = true;
		break;
	case 'q':
		a->quiet = true;
		for (int i = 0; i < 2; i++)
			a->side[i].w.image.quiet = a->side[i].w.image.image.quiet = true;
		break;
	case ARGP_KEY_ARG:
		if (a->nargs == 2)
			argp_error(state, "too many arguments: expected A and B");
		a->side[a->nargs].path = arg;
		a->side[a->nargs].w.image.image.path = arg;
		a->nargs++;
		break;
	case ARGP_KEY_END:
		if (a->nargs < 2)
			argp_error(state, "expected two inputs, A and B");
		if (!strcmp(a->side[0].path, "-") && !strcmp(a->side[1].path, "-"))
			argp_error(state, "only one side can be standard input");
		for (int i = 0; i < 2; i++) {
			struct argp_state st = *state;
			st.input = &a->side[i].w;
			walk_cli_argp.parser(ARGP_KEY_END, NULL, &st);
		}
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

static const struct argp_option diff_own_options[] = {
	{ NULL, 0, NULL, 0, "Comparison:", 10 },
	{ "ignore", OPT_IGNORE, "LIST", 0,
	  "Fields not compared, or flag names (young, dirty, ...): see --list-fields; slot is "
	  "never compared", 0 },
	{ "list-fields", OPT_LIST_FIELDS, NULL, 0, "List the names --ignore takes, and exit", 0 },
	{ "merge", OPT_MERGE, NULL, 0,
	  "Coalesce each side's neighbouring leaves as walk --merge does before comparing", 0 },
	{ NULL, 0, NULL, 0, "Output options:", 30 },
	{ "format", OPT_FORMAT, "FORMAT", 0, "text (default), json (one document), jsonl (JSON Lines), "
	  "or a picture of the changes: svg or html (as ptwalk map --diff)", 0 },
	{ "json", 'J', NULL, 0, "Same as --format=json", 0 },
	{ "noheadings", 'n', NULL, 0, "No ---/+++ lines naming the sides", 0 },
	{ "bytes", 'b', NULL, 0, "Sizes in bytes, not 4K, 1.5G", 0 },
	{ "no-merge", OPT_NO_MERGE, NULL, 0,
	  "One record per entry or cluster: do not merge neighbours that share one change", 0 },
	{ "quiet", 'q', NULL, 0, "No progress or warnings on stderr", 0 },
};

/* The option table: diff's own, then each side option three times
 * (--NAME for both sides, --a-NAME and --b-NAME, the last two hidden
 * from --help, which explains them once). */
static struct argp_option *build_options(struct diff_args *a, char ***names)
{
	size_t nside = sizeof side_option_names / sizeof side_option_names[0];
	size_t nboth = sizeof both_option_names / sizeof both_option_names[0];
	size_t nown = sizeof diff_own_options / sizeof diff_own_options[0];
	size_t cap = nown + 2 + nside * 4 + nboth + 1, n = 0;
	struct argp_option *opts = xcalloc(cap, sizeof *opts);
	*names = xcalloc(nside * 2 + 1, sizeof **names);
	size_t nnames = 0;

	memcpy(opts, diff_own_options, sizeof diff_own_options);
	n = nown;
	opts[n++] = (struct argp_option){ NULL, 0, NULL, 0,
		"Inputs (each option applies to both sides; --a-NAME and --b-NAME, e.g. "
		"--a-pgd=VALUE or --b-pid=PID, apply to side A or B only):", 20 };
	for (size_t i = 0; i < nside + nboth; i++) {
		bool both_only = i >= nside;
		const char *name = both_only ? both_option_names[i - nside] : side_option_names[i];
		const struct argp *owner = NULL;
		const struct argp_option *o = cli_find_option(&walk_cli_argp, name, &owner, NULL);
		if (!o || a->nopts == MAX_SIDE_OPTIONS)
			abort();
		unsigned idx = a->nopts++;
		a->opts[idx] = (struct side_option){ owner, o->key };
		opts[n] = *o;
		opts[n].key = SIDE_KEY(SIDE_BOTH, idx);
		opts[n].group = 0;
		n++;
		/* Its short form (-p, -c, -k), for both sides too. */
		if (o->key > 0 && o->key < 0x80 && isalpha(o->key))
			opts[n++] = (struct argp_option){ NULL, o->key, NULL, OPTION_ALIAS, NULL, 0 };
		if (both_only)
			continue;
		for (int s = 0; s < 2; s++) {
			char *pn = xmalloc(strlen(name) + 3);
			sprintf(pn, "%c-%s", s ? 'b' : 'a', name);
			(*names)[nnames++] = pn;
			opts[n] = *o;
			opts[n].name = pn;
			opts[n].key = SIDE_KEY(s ? SIDE_B : SIDE_A, idx);
			opts[n].flags |= OPTION_HIDDEN;
			opts[n].group = 0;
			n++;
		}
	}
	return opts;
}

/* Saved walks start with '{'; anything else is opened as an image. */
static bool looks_like_json(struct diff_side *s)
{
	if (cli_path_is_host(s->path))
		return false;
	if (!strcmp(s->path, "-")) {
		s->json_file = stdin;
		return true;
	}
	FILE *f = fopen(s->path, "r");
	if (!f)
		return false;
	int c;
	size_t n = 0;
	while ((c = getc(f)) != EOF && (c == ' ' || c == '\t' || c == '\n' || c == '\r') && n < 4096)
		n++;
	/* An empty file is a saved walk of nothing (walk --json of an
	 * empty range); no image is empty. */
	if (c == '{' || (c == EOF && !ferror(f))) {
		rewind(f);
		s->json_file = f;
		return true;
	}
	fclose(f);
	return false;
}

/* What a person reading "no differences" must know: fields a side's
 * saved walk did not hold were not compared, and two architectures'
 * entries compare field by field though their flags and levels differ
 * in meaning. One line each, after the output. */
static void warn_uncompared(const struct diff_args *a, const struct diff_result *res)
{
	if (a->quiet)
		return;
	for (int i = 0; i < 2; i++) {
		if (!res->unknown[i])
			continue;
		char names[256];
		size_t n = 0;
		names[0] = 0;
		for (unsigned f = 0; f < DF_COUNT_ALL && n < sizeof names; f++) {
			if (res->unknown[i] & DF_BIT(f))
				n += (size_t)snprintf(names + n, sizeof names - n, "%s%s", n ? ", " : "",
						      diff_field_names[f]);
		}
		cli_warn_later("%s: a saved walk without %s: not compared", a->side[i].path, names);
	}
	/* An image's architecture, or the one a saved walk's document
	 * names (JSON Lines name none). */
	const char *arch[2];
	for (int i = 0; i < 2; i++) {
		const struct diff_side *s = &a->side[i];
		arch[i] = s->json ? diff_source_json_arch(s->src) : s->pg.arch ? s->pg.arch->name : NULL;
	}
	if (arch[0] && arch[1] && strcmp(arch[0], arch[1]))
		cli_warn_later("%s is %s and %s is %s: their entries compare field by field, "
			       "though flags, levels and memory types mean different things",
			       a->side[0].path, arch[0], a->side[1].path, arch[1]);
}

static int side_open(struct diff_args *da, struct diff_side *s, bool *progress_taken)
{
	struct walk_cli *w = &s->w;
	if (looks_like_json(s)) {
		s->json = true;
		if (w->have_pgd || w->have_mm || w->have_task || w->image.image.raw || w->kopts.vmlinux ||
		    w->kopts.btf || w->kopts.kallsyms || w->physical) {
			fprintf(stderr, "%s: %s: a saved walk: --pgd, --mm, --task, --raw-image, --view, --vmlinux, "
				"--btf and --kallsyms apply to images only (give the image's as --%c-NAME)\n",
				pt_progname, s->path, s->name == 'a' ? 'b' : 'a');
			return PT_EXIT_USAGE;
		}
		struct pt_error perr = { .exit_code = PT_EXIT_INTERNAL };
		s->src = diff_source_json(s->json_file, s->path, w->have_range ? w->start : 0,
					  w->have_range ? w->end : UINT64_MAX,
					  w->have_pid ? w->pid : -1, w->comm, &perr);
		if (!s->src) {
			fprintf(stderr, "%s: %s\n", pt_progname, perr.msg);
			return perr.exit_code;
		}
		if (w->have_pid)
			snprintf(s->desc, sizeof s->desc, "saved walk, pid %d", w->pid);
		else if (w->comm)
			snprintf(s->desc, sizeof s->desc, "saved walk, comm %s", w->comm);
		else
			snprintf(s->desc, sizeof s->desc, "saved walk");
		return 0;
	}
	struct walk_params base, wp;
	int rc = image_cli_open(&w->image, &s->img, &s->pg);
	if (rc)
		return rc;
	if ((rc = walk_cli_prepare(w, s->img, &s->pg, &base)) ||
	    (rc = walk_cli_targets(w, s->img, &s->pg, &base)))
		return rc;
	if (w->ntargets != 1) {
		fprintf(stderr, "%s: %s: %zu processes match: choose one with --%c-pid\n",
			pt_progname, s->path, w->ntargets, s->name);
		return PT_EXIT_USAGE;
	}
	const struct walk_target *t = &w->targets[0];
	walk_cli_apply(w, t, &base, &wp);

	/* One progress line: the first walk's; the other runs alongside. */
	wp.on_progress = !*progress_taken && cli_progress_wanted(da->quiet) ? cli_progress : NULL;
	*progress_taken = true;
	if (t->process)
		snprintf(s->desc, sizeof s->desc, "pid %d %s, root 0x%llx", t->pid, t->comm,
			 (unsigned long long)t->user_root);
	else if (w->have_pgd)
		snprintf(s->desc, sizeof s->desc, "--pgd root 0x%llx",
			 (unsigned long long)wp.user_root);
	else
		snprintf(s->desc, sizeof s->desc, "kernel root 0x%llx",
			 (unsigned long long)wp.kernel_root);
	if (w->physical)
		strncat(s->desc, ", physical view", sizeof s->desc - strlen(s->desc) - 1);
	/* Started once both sides are open: opening reads VMCOREINFO through
	 * a shared buffer (vmcoreinfo_lookup()). */
	s->wp = wp;
	return 0;
}

static const char diff_doc[] =
	"Compare two walks: of images (each with its own root: the kernel's, --pgd, "
	"or a process), or saved with `ptwalk walk --format=json'. Reports ranges added "
	"(+) and removed (-), entries changed (~), and structural changes by name: moved, "
	"split, gang-broken, folded, remapped.\v"
	"A and B are images or saved walks (JSON Lines; - reads standard input). "
	"Neighbouring records that share one change are merged into one range. "
	"Exit status: 0 when the walks are the same, 1 when they differ, 2 usage error, "
	"3 an input unreadable or invalid, 4 output error, 5 internal error.";

int cmd_diff(int argc, char **argv)
{
	/* On the stack: a usage error exits during parsing, and nothing
	 * allocated before it should be left behind (the command-line
	 * fuzzer runs many commands in one process). */
	struct diff_args args = { 0 }, *a = &args;
	char **names = NULL;
	int rc = 0;

	for (int i = 0; i < 2; i++) {
		walk_cli_init(&a->side[i].w, 0);
		a->side[i].name = (char)('a' + i);
	}
	diff_options_init(&a->cfg);
	a->headings = true;
	struct argp_option *opts = build_options(a, &names);
	const struct argp argp = {
		.options = opts,
		.parser = diff_parse,
		.args_doc = "A B",
		.doc = diff_doc,
	};
	command_parse(&argp, argc, argv, "diff", a);

	bool progress_taken = false;
	for (int i = 0; i < 2 && !rc; i++)
		rc = side_open(a, &a->side[i], &progress_taken);
	for (int i = 0; i < 2 && !rc; i++) {
		struct pt_error err = { 0 };
		if (a->side[i].json)
			continue;
		a->side[i].src = diff_source_walk(&a->side[i].wp, &err);
		if (!a->side[i].src) {
			fprintf(stderr, "%s: %s\n", pt_progname, err.msg);
			rc = err.exit_code;
		}
	}
	if (!rc) {
		struct diff_out out = {
			.opt = &a->cfg, .json = a->json,
			.doc = { .on = a->document, .name = { "a", "b" },
				 .value = { a->side[0].path, a->side[1].path }, .key = "records" },
			.headings = a->headings,
			.path = { a->side[0].path, a->side[1].path },
			.desc = { a->side[0].desc, a->side[1].desc },
			.page_shift = { a->side[0].json ? 0 : a->side[0].pg.page_shift,
					a->side[1].json ? 0 : a->side[1].pg.page_shift },
		};
		struct diff_result res;
		struct pt_error err = { 0 };
		/* A picture: bands by side A's regions when it is an image. */
		struct map_out *m = NULL;
		struct pt_regions *rg = NULL;
		if (a->picture) {
			struct diff_side *s = &a->side[0];
			if (!s->json) {
				rg = xcalloc(1, sizeof *rg);
				regions_setup(rg, s->img, &s->pg, &s->w.kopts);
			}
			m = map_new(s->json ? NULL : &s->pg, 0, rg, a->picture_fmt, true);
			char title[512], sub[512];
			snprintf(title, sizeof title, "ptwalk diff: %.200s and %.200s", a->side[0].path,
				 a->side[1].path);
			snprintf(sub, sizeof sub, "a: %.200s; b: %.200s",
				 a->side[0].desc[0] ? a->side[0].desc : a->side[0].path,
				 a->side[1].desc[0] ? a->side[1].desc : a->side[1].path);
			map_title(m, title, sub);
			map_target(m, rg ? "" : "changes", rg != NULL);
		}
		if (diff_compare(&a->cfg, a->side[0].src, a->side[0].path, a->side[1].src,
				 a->side[1].path, m ? map_record : diff_out_record, m ? (void *)m : &out,
				 &res, &err)) {
			/* Every stream's error names its input. */
			fprintf(stderr, "%s: %s\n", pt_progname, err.msg);
			rc = err.exit_code;
		} else {
			if (m)
				map_write(m);
			else
				diff_out_summary(&out, &res);
			rc = res.records ? PT_EXIT_FOUND : PT_EXIT_OK;
			warn_uncompared(a, &res);
		}
		map_free(m);
		free(rg);
	}
	for (int i = 0; i < 2; i++) {
		struct diff_side *s = &a->side[i];
		diff_source_close(s->src);
		if (s->json_file && s->json_file != stdin)
			fclose(s->json_file);
		walk_cli_free(&s->w);
		image_close(s->img);
	}
	for (char **n = names; n && *n; n++)
		free(*n);
	free(names);
	free(opts);
	out_finish();
	return rc;
}
