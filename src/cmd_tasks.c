/* SPDX-License-Identifier: GPL-2.0-or-later */
/* `ptwalk tasks': the processes of a kernel image, and each one's
 * page-table root, as crash's `ps' lists them; found from init_task with
 * symbols and struct layouts from the image itself or a vmlinux. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "output.h"
#include "walk_cli.h"
#include "xalloc.h"

enum { OPT_SIZES = 0x300, OPT_FORMAT, OPT_NOHEADINGS };

struct tasks_args {
	struct image_cli image;
	struct kernel_info_options kopts;
	const char *path;
	enum entry_format format;
	bool headings;
	bool sizes;
};

static const struct argp_option tasks_options[] = {
	{ "mapped", OPT_SIZES, NULL, 0, "Walk each process's user space and give the bytes it maps", 0 },
	{ "format", OPT_FORMAT, "FORMAT", 0, "text (default), json (JSON Lines) or csv", 0 },
	{ "json", 'J', NULL, 0, "Same as --format=json", 0 },
	{ "noheadings", OPT_NOHEADINGS, NULL, 0, "No heading line", 0 },
	{ 0 }
};

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
	case OPT_FORMAT:
		if (parse_entry_format(arg, &a->format))
			argp_error(state, "--format=%s: expected text, json or csv", arg);
		break;
	case 'J':
		a->format = EFMT_JSON;
		break;
	case OPT_NOHEADINGS:
		a->headings = false;
		break;
	case ARGP_KEY_ARG:
		if (state->arg_num > 0)
			argp_error(state, "too many arguments");
		a->path = arg;
		a->image.image.path = arg;
		break;
	case ARGP_KEY_END:
		if (!a->path)
			argp_error(state, "expected IMAGE");
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

static const struct argp tasks_argp = {
	.options = tasks_options,
	.parser = tasks_parse,
	.args_doc = "IMAGE",
	.doc = "List the processes (thread-group leaders) from init_task on: PID, "
	       "command, task and mm addresses, and the physical address of each "
	       "page-table root, the value --pgd takes.\v"
	       "Symbols come from the kallsyms tables VMCOREINFO points to and struct "
	       "layouts from the kernel's BTF in the image, or from --vmlinux "
	       "(DWARF), --kallsyms and --btf.",
	.children = tasks_children,
};

struct tasks_state {
	struct tasks_args *a;
	struct image *img;
	const struct paging *pg;
	uint64_t count;
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
	if (ts->count++ == 0 && a->headings) {
		if (a->format == EFMT_TEXT)
			out_printf("%7s %-16s %-18s %-18s %-18s%s\n", "PID", "COMM", "TASK", "MM", "ROOT",
				   a->sizes ? " MAPPED" : "");
		else if (a->format == EFMT_CSV)
			out_printf("pid,comm,task,mm,pgd,root%s\n", a->sizes ? ",mapped" : "");
	}
	switch (a->format) {
	case EFMT_TEXT:
		out_printf("%7d %-16s 0x%016llx ", t->pid, t->comm, (unsigned long long)t->task);
		if (t->mm)
			out_printf("0x%016llx ", (unsigned long long)t->mm);
		else
			out_printf("%-18s ", "-");
		if (t->have_root)
			out_printf("0x%016llx", (unsigned long long)t->root);
		else
			out_printf("%-18s", "-");
		if (a->sizes) {
			if (have_bytes)
				out_printf(" %llu", (unsigned long long)bytes);
			else
				out_printf(" -");
		}
		out_printf("\n");
		break;
	case EFMT_CSV:
		out_printf("%d,", t->pid);
		if (strpbrk(t->comm, ",\"")) {
			/* RFC 4180 quoting for a name with a comma or quote. */
			out_printf("\"");
			for (const char *q = t->comm; *q; q++)
				out_printf(*q == '"' ? "\"\"" : "%c", *q);
			out_printf("\"");
		} else {
			out_printf("%s", t->comm);
		}
		out_printf(",0x%llx,", (unsigned long long)t->task);
		if (t->mm)
			out_printf("0x%llx,0x%llx,", (unsigned long long)t->mm, (unsigned long long)t->pgd);
		else
			out_printf(",,");
		if (t->have_root)
			out_printf("0x%llx", (unsigned long long)t->root);
		if (a->sizes) {
			out_printf(",");
			if (have_bytes)
				out_printf("%llu", (unsigned long long)bytes);
		}
		out_printf("\n");
		break;
	case EFMT_JSON:
		out_printf("{\"pid\":%d,\"comm\":", t->pid);
		out_json_string(t->comm);
		out_printf(",\"task\":");
		out_json_hex(t->task);
		out_printf(",\"mm\":");
		if (t->mm)
			out_json_hex(t->mm);
		else
			out_printf("null");
		out_printf(",\"pgd\":");
		if (t->mm)
			out_json_hex(t->pgd);
		else
			out_printf("null");
		out_printf(",\"root\":");
		if (t->have_root)
			out_json_hex(t->root);
		else
			out_printf("null");
		if (a->sizes) {
			out_printf(",\"mapped\":");
			if (have_bytes)
				out_printf("%llu", (unsigned long long)bytes);
			else
				out_printf("null");
		}
		out_printf("}\n");
		break;
	}
	return 0;
}

int cmd_tasks(int argc, char **argv)
{
	struct tasks_args a = { .headings = true, .format = EFMT_TEXT };
	struct image *img = NULL;
	struct paging pg;
	struct kernel_info ki;
	struct pt_error err = { .exit_code = PT_EXIT_IMAGE };

	command_parse(&tasks_argp, argc, argv, "tasks", &a);
	int rc = image_cli_open(&a.image, &img, &pg);
	if (!rc) {
		struct tasks_state ts = { .a = &a, .img = img, .pg = &pg };
		if (kernel_info_setup(&ki, img, &pg, &a.kopts, &err) ||
		    tasks_for_each(&ki, print_task, &ts, &err)) {
			fprintf(stderr, "%s: %s: %s\n", pt_progname, img->path, err.msg);
			rc = err.exit_code;
		}
	}
	image_close(img);
	out_finish();
	return rc;
}
