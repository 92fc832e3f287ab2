/* SPDX-License-Identifier: GPL-2.0-or-later */
/* `ptwalk tasks': the processes of a kernel image, and each one's
 * page-table root, as crash's `ps' lists them; found from init_task with
 * symbols and struct layouts from the image itself or a vmlinux. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "field_out.h"
#include "output.h"
#include "walk_cli.h"
#include "xalloc.h"

enum { OPT_SIZES = 0x300, OPT_FORMAT, OPT_NOHEADINGS, OPT_LIST_COLUMNS, OPT_THREADS };

/* The columns of `ptwalk tasks', through the entry model (fields.h). */
enum task_field { TF_PID, TF_COMM, TF_TASK, TF_MM, TF_PGD, TF_ROOT, TF_MAPPED, TF_TGID, TF_COUNT_ALL };
static const struct pt_field task_fields[TF_COUNT_ALL] = {
	[TF_PID] = { "pid", "PID", 7, FT_UINT, "the thread-group leader's PID (with --threads, the thread's)",
		     NULL, 0 },
	[TF_TGID] = { "tgid", "TGID", 7, FT_UINT, "the PID of its thread-group leader", NULL, 0 },
	[TF_COMM] = { "comm", "COMM", -16, FT_TEXT, "its command name", NULL, 0 },
	[TF_TASK] = { "task", "TASK", -18, FT_ADDR, "kernel address of its task_struct", NULL, 0 },
	[TF_MM] = { "mm", "MM", -18, FT_ADDR, "kernel address of its mm_struct (none: a kernel thread)",
		    NULL, 0 },
	[TF_PGD] = { "pgd", "PGD", -18, FT_ADDR, "the mm's pgd, a kernel virtual address", NULL, 0 },
	[TF_ROOT] = { "root", "ROOT", -18, FT_ADDR,
		      "physical address of its page-table root: what --pgd takes", NULL, 0 },
	[TF_MAPPED] = { "mapped", "MAPPED", 0, FT_BYTES,
			"bytes its user space maps (--mapped walks it)", NULL, 0 },
};


struct tasks_args {
	struct image_cli image;
	struct kernel_info_options kopts;
	const char *path;
	enum entry_format format;
	bool document;		/* JSON: one document (-J), not JSON Lines */
	bool headings;
	bool raw;
	bool sizes;
	bool threads;		/* every thread, not the leaders only */
	const char *columns;
	char columns_buf[1024];		/* -o lists, added up */
	struct row_out *ro;
};

static const struct argp_option tasks_options[] = {
	{ "mapped", OPT_SIZES, NULL, 0, "Walk each process's user space and give the bytes it maps", 0 },
	{ "threads", OPT_THREADS, NULL, 0, "Every thread, each with its thread-group leader's PID (TGID)", 0 },
	{ "format", OPT_FORMAT, "FORMAT", 0, "text (default), json (one document), jsonl (JSON Lines) or csv", 0 },
	{ "json", 'J', NULL, 0, "Same as --format=json", 0 },
	{ "noheadings", 'n', NULL, 0, "No heading line", 0 },
	{ "raw", 'r', NULL, 0, "Text unaligned: one space between columns, blanks in values as \\x20", 0 },
	{ "bytes", 'b', NULL, 0, "Sizes in bytes, not 4K, 1.5G", 0 },
	{ "output", 'o', "LIST", 0, "Columns to print (see --list-columns); +LIST adds to the default", 0 },
	{ "list-columns", OPT_LIST_COLUMNS, NULL, 0, "List the columns -o takes, and exit", 0 },
	{ 0 }
};

/* The columns: text shows the process, its task and mm and its root;
 * CSV and JSON the pgd too; --mapped adds the bytes; -o chooses. */
static void tasks_columns(struct tasks_args *a, struct argp_state *state)
{
	static const unsigned text_cols[] = { TF_PID, TF_COMM, TF_TASK, TF_MM, TF_ROOT };
	struct row_out *ro = a->ro;
	struct pt_error err = { 0 };
	ro->fields = task_fields;
	ro->nfields = TF_COUNT_ALL;
	ro->format = a->format;
	ro->headings = a->headings;
	ro->raw = a->raw;
	ro->ncols = 0;
	if (a->format == EFMT_TEXT) {
		for (size_t i = 0; i < sizeof text_cols / sizeof text_cols[0]; i++)
			ro->cols[ro->ncols++] = text_cols[i];
	} else {
		for (unsigned i = TF_PID; i <= TF_ROOT; i++)
			ro->cols[ro->ncols++] = i;
	}
	/* --threads: the leader's PID beside each thread's. */
	if (a->threads) {
		memmove(&ro->cols[2], &ro->cols[1], (ro->ncols - 1) * sizeof ro->cols[0]);
		ro->cols[1] = TF_TGID;
		ro->ncols++;
	}
	if (a->sizes)
		ro->cols[ro->ncols++] = TF_MAPPED;
	if (a->columns && pt_field_list(task_fields, TF_COUNT_ALL, a->columns, ro->cols,
					&ro->ncols, ROW_MAX_COLS, &err))
		argp_error(state, "%s", err.msg);
	/* The mapped column walks each process: -o mapped asks for it. */
	for (unsigned i = 0; i < ro->ncols; i++)
		a->sizes |= ro->cols[i] == TF_MAPPED;
}

static error_t tasks_parse(int key, char *arg, struct argp_state *state)
{
	struct tasks_args *a = state->input;

	switch (key) {
	case ARGP_KEY_INIT:
		state->child_inputs[0] = &a->image;
		state->child_inputs[1] = &a->kopts;
		break;
	case OPT_SIZES:
		a->sizes = true;
		break;
	case OPT_THREADS:
		a->threads = true;
		break;
	case OPT_FORMAT:
		if (parse_entry_format(arg, &a->format, &a->document))
			argp_error(state, "--format=%s: expected text, json, jsonl or csv", arg);
		break;
	case 'J':
		a->format = EFMT_JSON;
		a->document = true;
		break;
	case 'n':
		a->headings = false;
		break;
	case 'r':
		a->raw = true;
		break;
	case 'b':
		field_exact_bytes = true;
		break;
	case 'o':
		if (!(a->columns = cli_columns_add(a->columns_buf, sizeof a->columns_buf, a->columns, arg)))
			argp_error(state, "-o: the column lists are too long");
		break;
	case OPT_LIST_COLUMNS:
		fields_list_columns(task_fields, TF_COUNT_ALL);
		out_finish();
		exit(PT_EXIT_OK);
	case ARGP_KEY_ARG:
		if (state->arg_num > 0)
			argp_error(state, "too many arguments");
		a->path = arg;
		a->image.image.path = arg;
		break;
	case ARGP_KEY_END:
		if (!a->path)
			argp_error(state, "expected IMAGE");
		tasks_columns(a, state);
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

static const struct argp_child tasks_children[] = {
	{ &image_cli_argp, 0, NULL, 0 },
	{ &kernel_info_argp, 0, NULL, 0 },
	{ 0 }
};

/* --help ends with the columns -o takes. */
static char *tasks_help(int key, const char *text, void *input)
{
	(void)input;
	if (key == ARGP_KEY_HELP_EXTRA)
		return fields_help(task_fields, TF_COUNT_ALL);
	return (char *)text;
}

static const struct argp tasks_argp = {
	.help_filter = tasks_help,
	.options = tasks_options,
	.parser = tasks_parse,
	.args_doc = "IMAGE",
	.doc = "List the processes (thread-group leaders; with --threads every thread) "
	       "from init_task on: PID, "
	       "command, task and mm addresses, and the physical address of each "
	       "page-table root, the value --pgd takes.\v"
	       "Symbols come from the kallsyms tables VMCOREINFO points to and struct "
	       "layouts from the kernel's BTF in the image, or from --vmlinux "
	       "(DWARF), --kallsyms and --btf.",
	.children = tasks_children,
};

struct tasks_state {
	struct tasks_args *a;
	struct row_out *ro;
	struct image *img;
	const struct paging *pg;
	uint64_t count;
	/* Tables processes share, counted once (walk_params.share). */
	struct walk_share *share;
};

/* Leaves' bytes, counted into the uint64_t ARG points to; an alias
 * counts what its slot maps. */
static int count_run(void *arg, const struct logical_entry *le, uint64_t n)
{
	if (le->d.kind == PTK_LEAF)
		*(uint64_t *)arg += le->size * n;
	else if (le->form == FORM_ALIAS && le->subtree)
		*(uint64_t *)arg += le->subtree->bytes_mapped * n;
	return 0;
}

static int count_one(void *arg, const struct logical_entry *le)
{
	return count_run(arg, le, 1);
}

static int count_summary(void *arg, const struct walk_summary *s)
{
	*(uint64_t *)arg += s->bytes_mapped;
	return 0;
}

/* Bytes mapped by T's user space. */
static int user_mapped(struct tasks_state *ts, const struct task_info *t, uint64_t *bytes,
		       struct pt_error *err)
{
	const struct paging *pg = ts->pg;
	struct walk_params wp = {
		.img = ts->img,
		.pg = pg,
		.start = 0,
		.end = pg->user_end,
		.have_user_root = true,
		.user_root = t->root,
		.have_kernel_root = pg->kernel_root.set,
		.kernel_root = pg->kernel_root.v,
		.on_entry = count_one,
		.on_run = count_run,
		.arg = bytes,
		.summarize_aliases = true,
		.share = ts->share,
		.on_summary = count_summary,
	};
	struct walk_stats st;
	*bytes = 0;
	return walk_tables(&wp, &st, err);
}

static int print_task(void *arg, const struct task_info *t)
{
	struct tasks_state *ts = arg;
	struct tasks_args *a = ts->a;
	uint64_t bytes = 0;
	bool have_bytes = false;

	if (a->sizes && t->have_root) {
		struct pt_error err = { 0 };
		if (user_mapped(ts, t, &bytes, &err) == 0)
			have_bytes = true;
	}
	struct field_value v[TF_COUNT_ALL] = {
		[TF_PID] = { .present = true, .u = (uint64_t)t->pid },
		[TF_TGID] = { .present = true, .u = (uint64_t)t->tgid },
		[TF_COMM] = { .present = true, .s = t->comm },
		[TF_TASK] = { .present = true, .u = t->task },
		[TF_MM] = { .present = t->mm != 0, .u = t->mm },
		[TF_PGD] = { .present = t->mm != 0, .u = t->pgd },
		[TF_ROOT] = { .present = t->have_root, .u = t->root },
		[TF_MAPPED] = { .present = have_bytes, .u = bytes },
	};
	ts->count++;
	row_out_line(ts->ro, v);
	return 0;
}

int cmd_tasks(int argc, char **argv)
{
	static struct row_out ro;
	struct tasks_args a = { .headings = true, .format = EFMT_TEXT, .ro = &ro };
	struct image *img = NULL;
	struct paging pg;
	struct pt_error err = { .exit_code = PT_EXIT_IMAGE };

	command_parse(&tasks_argp, argc, argv, "tasks", &a);
	int rc = image_cli_open(&a.image, &img, &pg);
	if (!rc) {
		struct tasks_state ts = { .a = &a, .ro = &ro, .img = img, .pg = &pg };
		if (a.sizes && !(ts.share = walk_share_new()))
			x_out_of_memory(sizeof(void *) * 64);
		ro.doc = (struct json_doc){ .on = a.document, .key = "tasks" };
		json_doc_image(&ro.doc, img->path, pg.arch ? pg.arch->name : NULL);
		if (cli_tasks_for_each(img, &pg, &a.kopts, a.threads, print_task, &ts, &err)) {
			fprintf(stderr, "%s: %s: %s\n", pt_progname, img->path, err.msg);
			rc = err.exit_code;
		}
		walk_share_free(ts.share);
	}
	if (!rc)
		row_out_finish(&ro);
	image_close(img);
	out_finish();
	return rc;
}
