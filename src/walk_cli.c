/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Options shared by the commands that walk: roots, range, view, output. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "entry_out.h"
#include "host.h"
#include "field_out.h"
#include "output.h"
#include "walk_cli.h"
#include "xalloc.h"

enum {
	OPT_VMLINUX = 0x180,
	OPT_BTF,
	OPT_KALLSYMS,
	OPT_PID,
	OPT_COMM,
	OPT_MM,
	OPT_ALL,
	OPT_TASK,
	OPT_PGD = 0x200,
	OPT_RANGE,
	OPT_VIEW,
	OPT_MERGE,
	OPT_FORMAT,
	OPT_NOHEADINGS,
	OPT_EXPAND_ALIASES,
	OPT_LIST_COLUMNS,
	OPT_PTDUMP_GANGS,
};

static const struct argp_option walk_options[] = {
	{ NULL, 0, NULL, 0, "Walk options:", 20 },
	{ "pgd", OPT_PGD, "VALUE", 0,
	  "Walk from this root: a physical address, or a TTBR0_EL1 / CR3 value", 0 },
	{ "range", OPT_RANGE, "START-END", 0,
	  "Only virtual addresses in [START, END); also START+SIZE, or START- to the top", 0 },
	{ "view", OPT_VIEW, "VIEW", 0, "logical (default: gangs folded) or physical (one entry per slot)", 0 },
	{ "expand-aliases", OPT_EXPAND_ALIASES, NULL, 0,
	  "Walk a shared table again at every slot that reaches it, instead of one alias entry", 0 },
	{ NULL, 0, NULL, 0, "Processes (their user space; walk, check and stats may take several):", 25 },
	{ "pid", 'p', "PID", 0, "The process with this PID", 0 },
	{ "comm", 'c', "NAME", 0, "Every process whose command name is NAME", 0 },
	{ "task", OPT_TASK, "ADDR", 0, "The process whose struct task_struct (its leader's) is at ADDR", 0 },
	{ "mm", OPT_MM, "ADDR", 0, "The process whose struct mm_struct is at ADDR", 0 },
	{ "all", OPT_ALL, NULL, 0, "The kernel's table, then every distinct mm once", 0 },
	{ "kernel", 'k', NULL, 0, "The kernel's table (the default, but inside crash: there the "
	  "current context's process)", 0 },
	{ NULL, 0, NULL, 0, "Output options:", 30 },
	{ "format", OPT_FORMAT, "FORMAT", 0, "text (default), json (one document), jsonl (JSON Lines) or csv", 0 },
	{ "json", 'J', NULL, 0, "Same as --format=json", 0 },
	{ "output", 'o', "LIST", 0, "Columns to print (see the man page); +LIST adds to the default", 0 },
	{ "noheadings", 'n', NULL, 0, "No heading line", 0 },
	{ "raw", 'r', NULL, 0, "Text unaligned: one space between columns, blanks in values as \\x20", 0 },
	{ "bytes", 'b', NULL, 0, "Sizes in bytes, not 4K, 1.5G", 0 },
	{ "list-columns", OPT_LIST_COLUMNS, NULL, 0, "List the columns -o takes, and exit", 0 },
	{ "merge", OPT_MERGE, NULL, 0,
	  "Coalesce neighbouring entries with identical flags and contiguous PA", 0 },
	{ "ptdump-gangs", OPT_PTDUMP_GANGS, NULL, 0,
	  "With --format=ptdump: after each line, a line '# ptwalk: ...' naming the gangs folded in it", 0 },
	{ 0 }
};

/* A --range bound: an address (hex, with or without 0x), or a size with
 * its unit (4M, 1G: hex has no K, M, G or T). */
static int parse_bound(const char *s, uint64_t *v)
{
	size_t n = strlen(s);
	if (n && strchr("kKmMgGtT", s[n - 1]))
		return parse_size(s, v);
	return parse_addr(s, v);
}

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
	if (parse_bound(buf, start))
		return -1;
	if (kind == '-' && !sep[1]) {
		*end = UINT64_MAX;
		return 0;
	}
	uint64_t v;
	if (kind == '+' ? parse_size(sep + 1, &v) : parse_bound(sep + 1, &v))
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
		state->child_inputs[1] = &w->kopts;
		break;
	case 'p': {
		uint64_t v;
		if (parse_u64(arg, &v) || v > INT32_MAX)
			argp_error(state, "--pid=%s: expected a process ID", arg);
		w->pid = (int32_t)v;
		w->have_pid = true;
		break;
	}
	case OPT_TASK:
		if (parse_addr(arg, &w->task))
			argp_error(state, "--task=%s: expected a kernel address", arg);
		w->have_task = true;
		break;
	case 'k':
		w->kernel = true;
		break;
	case 'c':
		if (!*arg || strlen(arg) > 16)
			argp_error(state, "--comm=%s: expected a command name of 1 to 16 characters", arg);
		w->comm = arg;
		break;
	case OPT_MM:
		if (parse_addr(arg, &w->mm))
			argp_error(state, "--mm=%s: expected a kernel address", arg);
		w->have_mm = true;
		break;
	case OPT_ALL:
		w->all = true;
		break;
	case OPT_PGD:
		if (parse_addr(arg, &w->pgd_value))
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
		w->ptdump = false;
		if ((w->refuse & WC_PTDUMP) && !strcmp(arg, "ptdump")) {
			w->ptdump = true;
			w->out.format = EFMT_TEXT;
			w->out.doc.on = false;
			break;
		}
		if (parse_entry_format(arg, &w->out.format, &w->out.doc.on) ||
		    (w->out.format == EFMT_CSV && (w->refuse & WC_NO_CSV)))
			argp_error(state, "--format=%s: expected %s", arg,
				   (w->refuse & WC_NO_CSV) ? "text, json or jsonl" :
				   (w->refuse & WC_PTDUMP) ? "text, json, jsonl, csv or ptdump" :
				   "text, json, jsonl or csv");
		break;
	case 'J':
		w->out.format = EFMT_JSON;
		w->out.doc.on = true;
		w->ptdump = false;
		break;
	case 'o':
		if (!(w->columns = cli_columns_add(w->columns_buf, sizeof w->columns_buf, w->columns, arg)))
			argp_error(state, "-o: the column lists are too long");
		break;
	case 'n':
		w->out.headings = false;
		break;
	case 'r':
		w->out.raw = true;
		break;
	case 'b':
		field_exact_bytes = true;
		break;
	case OPT_MERGE:
		w->out.merge = true;
		break;
	case OPT_PTDUMP_GANGS:
		w->ptdump_gangs = true;
		break;
	case OPT_EXPAND_ALIASES:
		w->expand_aliases = true;
		break;
	case OPT_LIST_COLUMNS:
		/* As --help: said at once, then the command ends. */
		entry_out_list_columns();
		out_finish();
		exit(PT_EXIT_OK);
	case ARGP_KEY_END:
		if ((w->have_pid + !!w->comm + w->have_task + w->have_mm + w->all + w->have_pgd +
		     w->kernel) > 1)
			argp_error(state, "--pid, --comm, --task, --mm, --all, --pgd and --kernel exclude each other");
		if (cli_path_is_host(w->image.image.path) && pt_host->current &&
		    !(w->have_pid || w->comm || w->have_task || w->have_mm || w->all ||
		      w->have_pgd || w->kernel)) {
			/* Inside crash: its current context, as its own
			 * commands do; a kernel thread's is the kernel's table. */
			int32_t pid = pt_host->current(pt_host->arg);
			if (pid >= 0) {
				w->pid = pid;
				w->have_pid = true;
			}
		}
		w->out.processes = w->have_pid || w->comm || w->have_task || w->have_mm || w->all;
		/* The kernel's format has its own lines and one table. */
		if (w->ptdump && (w->columns || w->out.merge || w->physical || !w->out.headings ||
				  w->out.raw || w->all || w->comm || field_exact_bytes))
			argp_error(state, "--format=ptdump takes none of -o, --merge, --view, -n, -r, -b, --all, --comm");
		if (w->ptdump_gangs && !w->ptdump)
			argp_error(state, "--ptdump-gangs goes with --format=ptdump");
		entry_out_default_columns(&w->out);
		if (w->columns && entry_out_columns(&w->out, w->columns, &err))
			argp_error(state, "%s", err.msg);
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

/* ---- Where symbols and types come from ------------------------------ */

static const struct argp_option kernel_info_options[] = {
	{ NULL, 0, NULL, 0, "Kernel symbols and types (default: kallsyms and BTF in the image):", 40 },
	{ "vmlinux", OPT_VMLINUX, "FILE", 0, "Symbols and struct layouts from this vmlinux (its debug info)", 0 },
	{ "btf", OPT_BTF, "FILE", 0, "Struct layouts from this BTF file (e.g. /sys/kernel/btf/vmlinux)", 0 },
	{ "kallsyms", OPT_KALLSYMS, "FILE", 0, "Symbols from this kallsyms file (e.g. /proc/kallsyms)", 0 },
	{ 0 }
};

static error_t kernel_info_parse(int key, char *arg, struct argp_state *state)
{
	struct kernel_info_options *k = state->input;
	switch (key) {
	case OPT_VMLINUX:
		k->vmlinux = arg;
		break;
	case OPT_BTF:
		k->btf = arg;
		break;
	case OPT_KALLSYMS:
		k->kallsyms = arg;
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

const struct argp kernel_info_argp = {
	.options = kernel_info_options,
	.parser = kernel_info_parse,
};

static const struct argp_child walk_cli_children[] = {
	{ &image_cli_argp, 0, NULL, 0 },
	{ &kernel_info_argp, 0, NULL, 0 },
	{ 0 }
};

/* --help ends with the columns -o takes, from the entry model. */
static char *walk_cli_help(int key, const char *text, void *input)
{
	(void)input;
	if (key == ARGP_KEY_HELP_EXTRA)
		return fields_help(entry_fields, EF_COUNT_ALL);
	return (char *)text;
}

const struct argp walk_cli_argp = {
	.options = walk_options,
	.parser = walk_cli_parse,
	.children = walk_cli_children,
	.help_filter = walk_cli_help,
};

void walk_cli_init(struct walk_cli *w, unsigned refuse)
{
	static const struct { int key; unsigned flag; } refusable[] = {
		{ OPT_MERGE, WC_NO_MERGE }, { 'o', WC_NO_COLUMNS }, { OPT_LIST_COLUMNS, WC_NO_COLUMNS },
		{ 'n', WC_NO_HEADINGS }, { 'r', WC_NO_HEADINGS }, { OPT_RANGE, WC_NO_RANGE },
		{ OPT_EXPAND_ALIASES, WC_NO_EXPAND }, { OPT_ALL, WC_NO_ALL },
		{ OPT_FORMAT, WC_NO_FORMAT }, { 'J', WC_NO_FORMAT }, { OPT_VIEW, WC_NO_VIEW },
		{ 'b', WC_NO_BYTES },
	};
	unsigned n = 0;

	memset(w, 0, sizeof *w);
	w->image.probe_kernel = true;
	w->out.headings = true;
	w->out.format = EFMT_TEXT;
	w->refuse = refuse;
	for (const struct argp_option *o = walk_options; o->name || o->key || o->doc; o++) {
		bool drop = false;
		for (size_t i = 0; i < sizeof refusable / sizeof refusable[0]; i++)
			drop |= o->key == refusable[i].key && (refuse & refusable[i].flag);
		/* walk's alone (WC_PTDUMP offers it). */
		drop |= o->key == OPT_PTDUMP_GANGS && !(refuse & WC_PTDUMP);
		if (drop || n + 1 >= WALK_CLI_MAX_OPTIONS)
			continue;
		w->options[n] = *o;
		if (o->key == OPT_FORMAT && (refuse & WC_NO_CSV))
			w->options[n].doc = "text (default), json (one document) or jsonl (JSON Lines)";
		if (o->key == OPT_FORMAT && (refuse & WC_PTDUMP))
			w->options[n].doc = "text (default), json (one document), jsonl (JSON Lines), csv, "
					    "or ptdump (the kernel's debugfs page-table dump)";
		n++;
	}
	/* A group's heading without an option under it goes too. */
	unsigned m = 0;
	for (unsigned i = 0; i < n; i++) {
		bool heading = !w->options[i].name && !w->options[i].key;
		if (heading && (i + 1 == n || (!w->options[i + 1].name && !w->options[i + 1].key)))
			continue;
		w->options[m++] = w->options[i];
	}
	memset(&w->options[m], 0, sizeof w->options[m]);
	w->argp = walk_cli_argp;
	w->argp.options = w->options;
	/* The columns -o takes close --help only where -o is offered. */
	if (refuse & WC_NO_COLUMNS)
		w->argp.help_filter = NULL;
}

const struct argp *walk_cli_command(struct walk_cli *w, const struct argp *cmd)
{
	w->children[0] = (struct argp_child){ &w->argp, 0, NULL, 0 };
	w->cmd_argp = *cmd;
	w->cmd_argp.children = w->children;
	return &w->cmd_argp;
}

void walk_cli_free(struct walk_cli *w)
{
	free(w->targets);
	w->targets = NULL;
	w->ntargets = 0;
}

int walk_cli_prepare(struct walk_cli *w, struct image *img, const struct paging *pg,
		     struct walk_params *wp)
{
	struct pt_error err = { .exit_code = PT_EXIT_USAGE };

	uint64_t user_root = 0;
	if (w->have_pgd && pt_root_from_register(pg, w->pgd_value, &user_root, &err)) {
		fprintf(stderr, "%s: %s\n", pt_progname, err.msg);
		return err.exit_code;
	}
	walk_params_init(wp, img, pg, w->have_pgd, user_root);
	wp->physical = w->physical;
	wp->expand_aliases = w->expand_aliases;
	wp->summarize_aliases = (w->summarize_aliases || entry_out_wants_subtrees(&w->out)) &&
				!w->expand_aliases;
	wp->on_progress = cli_progress_wanted(w->image.quiet) ? cli_progress : NULL;
	if (w->have_range) {
		wp->start = w->start;
		wp->end = w->end;
	}
	w->out.pg = pg;
	if (w->ptdump || w->want_regions || entry_out_wants_regions(&w->out)) {
		regions_setup(&w->regions, img, pg, &w->kopts);
		w->out.regions = &w->regions;
		w->out.section = -1;
	}
	return 0;
}

/* From a host's public task record to the command's. */
struct host_tasks {
	int (*fn)(void *arg, const struct task_info *t);
	void *arg;
};

static int host_task(void *arg, const struct ptwalk_task *pt)
{
	struct host_tasks *h = arg;
	struct task_info t = {
		.task = pt->task, .pid = pt->pid, .tgid = pt->tgid, .mm = pt->mm,
		.pgd = pt->pgd, .have_root = pt->have_root != 0, .root = pt->root,
	};
	memcpy(t.comm, pt->comm, sizeof t.comm);
	t.comm[sizeof t.comm - 1] = 0;
	return h->fn(h->arg, &t);
}

int cli_tasks_for_each(struct image *img, const struct paging *pg,
		       const struct kernel_info_options *kopts, bool threads,
		       int (*fn)(void *arg, const struct task_info *t), void *arg,
		       struct pt_error *err)
{
	if (cli_image_is_host(img)) {
		if (threads)
			return pt_fail(err, PT_EXIT_USAGE, "--threads: inside %s, its ps lists the threads",
				       pt_host->program);
		/* Inside crash its task table is the truth, as for its own
		 * commands; symbols of ours would only disagree with it. */
		if (kopts->vmlinux || kopts->btf || kopts->kallsyms)
			return pt_fail(err, PT_EXIT_USAGE, "--vmlinux, --btf and --kallsyms are for "
				       "image files: inside %s the processes are %s's", pt_host->program,
				       pt_host->program);
		/* The host says why it cannot list them (src/host.h). */
		char why[256] = "no list of processes";
		struct host_tasks h = { fn, arg };
		if (pt_host->tasks(pt_host->arg, host_task, &h, why, sizeof why) < 0)
			return pt_fail(err, PT_EXIT_IMAGE, "%s lists no processes: %s", pt_host->program, why);
		return 0;
	}
	struct kernel_info ki;
	if (kernel_info_setup(&ki, img, pg, kopts, err))
		return -1;
	return threads ? threads_for_each(&ki, fn, arg, err) : tasks_for_each(&ki, fn, arg, err);
}

struct target_search {
	struct walk_cli *w;
	size_t cap;
	/* --all: the mms taken, an open-addressed set (0 is no mm), so that
	 * thousands of processes cost time linear in their number. */
	uint64_t *seen;
	size_t seen_cap, seen_n;
};

static size_t mm_slot(uint64_t mm, size_t cap)
{
	/* struct mm_struct is at least 64-byte aligned; Fibonacci hashing
	 * spreads what is left. */
	return (size_t)(((mm >> 6) * 0x9e3779b97f4a7c15ull) >> 32) & (cap - 1);
}

/* Whether MM was seen; adds it if not. */
static bool mm_seen_add(struct target_search *ts, uint64_t mm)
{
	if (2 * (ts->seen_n + 1) > ts->seen_cap) {
		size_t cap = ts->seen_cap ? ts->seen_cap * 2 : 1024;
		uint64_t *set = xcalloc(cap, sizeof *set);
		for (size_t i = 0; i < ts->seen_cap; i++) {
			if (!ts->seen[i])
				continue;
			size_t j = mm_slot(ts->seen[i], cap);
			while (set[j])
				j = (j + 1) & (cap - 1);
			set[j] = ts->seen[i];
		}
		free(ts->seen);
		ts->seen = set;
		ts->seen_cap = cap;
	}
	size_t j = mm_slot(mm, ts->seen_cap);
	while (ts->seen[j]) {
		if (ts->seen[j] == mm)
			return true;
		j = (j + 1) & (ts->seen_cap - 1);
	}
	ts->seen[j] = mm;
	ts->seen_n++;
	return false;
}

/* T as a target: the process whose address space is walked. */
static void add_target(struct target_search *ts, const struct task_info *t)
{
	struct walk_cli *w = ts->w;
	if (w->ntargets == ts->cap) {
		ts->cap = ts->cap ? ts->cap * 2 : 16;
		w->targets = xreallocarray(w->targets, ts->cap, sizeof *w->targets);
	}
	struct walk_target *wt = &w->targets[w->ntargets++];
	memset(wt, 0, sizeof *wt);
	wt->process = true;
	wt->pid = t->pid;
	memcpy(wt->comm, t->comm, sizeof wt->comm);
	wt->mm = t->mm;
	wt->have_user_root = t->have_root;
	wt->user_root = t->root;
}

/* --pid of a thread that leads no process: its process's address
 * space (the mm all its threads share), under the thread's PID and
 * name, which the user asked for. */
static int collect_thread(void *arg, const struct task_info *t)
{
	struct target_search *ts = arg;
	if (t->pid == ts->w->pid && !ts->w->ntargets)
		add_target(ts, t);
	return 0;
}

static int collect_target(void *arg, const struct task_info *t)
{
	struct target_search *ts = arg;
	struct walk_cli *w = ts->w;
	bool match;

	if (w->have_pid)
		match = t->pid == w->pid;
	else if (w->have_task)
		match = t->task == w->task;
	else if (w->comm)
		match = !strcmp(t->comm, w->comm);
	else if (w->have_mm)
		match = t->mm == w->mm;
	else
		match = t->mm != 0;
	/* Kernel threads have no user space; threads of one process share
	 * an mm, walked once. */
	if (!match || (w->all && (!t->mm || mm_seen_add(ts, t->mm))))
		return 0;
	add_target(ts, t);
	return 0;
}

int walk_cli_targets(struct walk_cli *w, struct image *img, const struct paging *pg,
		     const struct walk_params *base)
{
	struct pt_error err = { .exit_code = PT_EXIT_IMAGE };
	bool select = w->have_pid || w->comm || w->have_task || w->have_mm || w->all;

	free(w->targets);
	w->targets = NULL;
	w->ntargets = 0;
	if (!select) {
		w->targets = xcalloc(1, sizeof *w->targets);
		w->ntargets = 1;
		w->targets[0].have_user_root = base->have_user_root;
		w->targets[0].user_root = base->user_root;
		return 0;
	}
	struct target_search ts = { .w = w };
	if (w->all) {
		/* The kernel's own table first. */
		ts.cap = 16;
		w->targets = xcalloc(ts.cap, sizeof *w->targets);
		w->ntargets = 1;
		w->targets[0].pid = -1;
		snprintf(w->targets[0].comm, sizeof w->targets[0].comm, "(kernel)");
	}
	int listed = cli_tasks_for_each(img, pg, &w->kopts, false, collect_target, &ts, &err);
	free(ts.seen);
	if (listed) {
		walk_cli_error(img, &err);
		return err.exit_code;
	}
	/* A PID no process has may be a thread's. Inside crash its task
	 * table holds the threads already; without the kernel's thread
	 * list the PID is simply not found. */
	if (w->have_pid && !w->ntargets && !cli_image_is_host(img)) {
		struct pt_error terr = { .exit_code = PT_EXIT_IMAGE };
		if (cli_tasks_for_each(img, pg, &w->kopts, true, collect_thread, &ts, &terr) &&
		    w->ntargets == 0 && strncmp(terr.msg, PT_NO_THREAD_LIST, strlen(PT_NO_THREAD_LIST))) {
			walk_cli_error(img, &terr);
			return terr.exit_code;
		}
	}
	if (!w->all && !w->ntargets) {
		if (w->have_pid)
			fprintf(stderr, "%s: %s: no process with PID %d\n", pt_progname, img->path, w->pid);
		else if (w->comm)
			fprintf(stderr, "%s: %s: no process named '%s'\n", pt_progname, img->path, w->comm);
		else if (w->have_task)
			fprintf(stderr, "%s: %s: no process with its task_struct at 0x%llx\n", pt_progname,
				img->path, (unsigned long long)w->task);
		else
			fprintf(stderr, "%s: %s: no process with mm 0x%llx\n", pt_progname, img->path,
				(unsigned long long)w->mm);
		/* Not in the image: never 1, which says anomalies or changes. */
		return PT_EXIT_IMAGE;
	}
	for (size_t i = 0; i < w->ntargets; i++) {
		if (w->targets[i].process && !w->targets[i].have_user_root) {
			fprintf(stderr, "%s: %s: pid %d (%s): its page-table root cannot be read\n",
				pt_progname, img->path, w->targets[i].pid, w->targets[i].comm);
			return PT_EXIT_IMAGE;
		}
	}
	return 0;
}

int walk_cli_one_root(struct walk_cli *w, struct image *img, const struct paging *pg,
		      struct walk_params *wp)
{
	struct walk_params base;
	int rc = walk_cli_prepare(w, img, pg, &base);
	*wp = base;
	if (rc || !pg->arch->decode)
		return rc;
	if ((rc = walk_cli_targets(w, img, pg, &base)))
		return rc;
	if (w->ntargets > 1) {
		fprintf(stderr, "%s: %s: --comm=%s matches %zu processes; give --pid\n",
			pt_progname, img->path, w->comm, w->ntargets);
		return PT_EXIT_USAGE;
	}
	walk_cli_apply(w, &w->targets[0], &base, wp);
	return 0;
}

void walk_cli_apply(const struct walk_cli *w, const struct walk_target *t,
		    const struct walk_params *base, struct walk_params *wp)
{
	*wp = *base;
	if (!t->process) {
		if (w->all) {
			/* --all: the kernel's table alone, over the kernel's
			 * part of the address space (within --range: a range
			 * of user addresses leaves it nothing to walk). */
			wp->have_user_root = false;
			if (wp->pg->arch->split_roots) {
				/* The kernel root's own half (ppc64's starts at
				 * 0xc000000000000000, above no user_end). */
				struct va_half h[2];
				pt_va_halves(wp->pg, h);
				if (wp->start < h[1].start)
					wp->start = h[1].start;
				if (wp->end > h[1].end)
					wp->end = h[1].end;
			} else if (!w->have_range) {
				wp->start = wp->pg->user_end + 1;
				wp->end = wp->pg->arch->flat_space ? (1ull << wp->pg->va_bits) - 1 : UINT64_MAX;
			} else if (wp->start <= wp->pg->user_end) {
				wp->start = wp->pg->user_end + 1;
			}
		}
		return;
	}
	wp->have_user_root = t->have_user_root;
	wp->user_root = t->user_root;
	if (!w->have_range) {
		wp->start = 0;
		wp->end = wp->pg->user_end;
	}
}

void walk_cli_target_line(const struct walk_target *t)
{
	if (t->pid < 0)
		out_printf("== the kernel\n");
	else
		out_printf("== pid %d (%s) mm 0x%llx root 0x%llx\n", t->pid, t->comm,
			   (unsigned long long)t->mm, (unsigned long long)t->user_root);
}

void walk_cli_error(const struct image *img, const struct pt_error *err)
{
	fprintf(stderr, "%s: %s: %s\n", pt_progname, img->path, err->msg);
}

error_t walk_cli_parse_image(struct walk_cli *w, const char **path, int key, char *arg,
			     struct argp_state *state)
{
	switch (key) {
	case ARGP_KEY_INIT:
		state->child_inputs[0] = w;
		break;
	case ARGP_KEY_ARG:
		if (state->arg_num > 0)
			argp_error(state, "too many arguments");
		*path = arg;
		w->image.image.path = arg;
		break;
	case ARGP_KEY_END:
		if (!*path)
			argp_error(state, "expected IMAGE");
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}
