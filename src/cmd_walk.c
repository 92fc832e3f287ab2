/* SPDX-License-Identifier: GPL-2.0-or-later */
/* `ptwalk walk', `ptwalk check' and `ptwalk stats': one walk, three
 * consumers of its logical entries. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "field_out.h"
#include "output.h"
#include "ptdump_out.h"
#include "walk_cli.h"
#include "xalloc.h"

struct cmd_args {
	struct walk_cli w;
	const char *path;
	/* Counting consumers (stats): the tables the targets' walks share
	 * counted from one summary, given to ON_SUMMARY. */
	int (*on_summary)(void *arg, const struct walk_summary *s);
};

static error_t cmd_parse(int key, char *arg, struct argp_state *state)
{
	struct cmd_args *a = state->input;
	return walk_cli_parse_image(&a->w, &a->path, key, arg, state);
}

/* Per target, before and after its walk. */
struct target_hooks {
	void (*begin)(void *arg, struct cmd_args *a, const struct walk_target *t);
	int (*end)(void *arg, struct cmd_args *a, const struct walk_target *t,
		   const struct walk_stats *st);
};

/* Open, prepare and walk every target; SINK gets the entries. */
static int run_walk(struct cmd_args *a, entry_sink sink, void *arg,
		    int (*on_run)(void *, const struct logical_entry *, uint64_t),
		    const struct target_hooks *hooks, struct image **imgp, struct paging *pg)
{
	struct walk_params base, wp;
	struct walk_stats stats;
	struct pt_error err = { .exit_code = PT_EXIT_IMAGE };
	int rc = image_cli_open(&a->w.image, imgp, pg);
	if (rc)
		return rc;
	rc = walk_cli_prepare(&a->w, *imgp, pg, &base);
	if (rc)
		return rc;
	rc = walk_cli_targets(&a->w, *imgp, pg, &base);
	if (rc)
		return rc;
	/* -J: the document names the image, its architecture and the root
	 * walked when there is one. */
	struct json_doc *d = &a->w.out.doc;
	json_doc_image(d, (*imgp)->path, pg->arch ? pg->arch->name : NULL);
	if (a->w.ntargets == 1) {
		const struct walk_target *t = &a->w.targets[0];
		if (t->process) {
			d->has_root = t->have_user_root;
			d->root = t->user_root;
		} else if (base.have_user_root) {
			d->has_root = true;
			d->root = base.user_root;
		} else {
			d->has_root = base.have_kernel_root;
			d->root = base.kernel_root;
		}
	}
	struct walk_share *share = NULL;
	if (a->on_summary && a->w.ntargets > 1 && !(share = walk_share_new()))
		x_out_of_memory(sizeof(void *) * 64);
	for (size_t i = 0; i < a->w.ntargets; i++) {
		const struct walk_target *t = &a->w.targets[i];
		walk_cli_apply(&a->w, t, &base, &wp);
		wp.on_entry = sink;
		wp.on_run = on_run;
		wp.share = share;
		wp.on_summary = a->on_summary;
		wp.arg = arg ? arg : &a->w.out;
		/* Columns naming the process change: no cached text. */
		a->w.out.target = t;
		a->w.out.frag_valid = false;
		if (hooks && hooks->begin)
			hooks->begin(arg, a, t);
		if (walk_tables(&wp, &stats, &err)) {
			walk_cli_error(*imgp, &err);
			walk_share_free(share);
			return err.exit_code;
		}
		if (hooks && hooks->end && (rc = hooks->end(arg, a, t, &stats))) {
			walk_share_free(share);
			return rc;
		}
	}
	walk_share_free(share);
	return 0;
}

/* ---- walk --------------------------------------------------------------- */

static const struct argp walk_argp = {
	.parser = cmd_parse,
	.args_doc = "IMAGE",
	.doc = "Walk page tables and print their logical entries in VA order: "
	       "one line per leaf, or per contiguous gang folded into one entry.\v"
	       "By default the kernel's table is walked (from VMCOREINFO); --pgd "
	       "walks any root, e.g. a process's TTBR0_EL1 or CR3. On arm64 a "
	       "--pgd root covers the user half and the kernel root the kernel half.",
};

static void name_target(void *arg, struct cmd_args *a, const struct walk_target *t)
{
	(void)arg;
	/* Text names each process on a line of its own, then its entries
	 * under their own heading. */
	if (a->w.out.processes && a->w.out.format == EFMT_TEXT) {
		walk_cli_target_line(t);
		a->w.out.header_done = false;
	}
}

static int walk_end(void *arg, struct cmd_args *a, const struct walk_target *t,
		    const struct walk_stats *st)
{
	(void)arg, (void)t, (void)st;
	entry_out_finish(&a->w.out);
	return 0;
}

/* --format=ptdump: the kernel's dump of the one table the options name,
 * over the ranges its ptdump walks (the kernel's) cut to --range. */
static int walk_ptdump(struct cmd_args *a)
{
	struct image *img = NULL;
	struct paging pg;
	struct walk_params base, wp;
	struct walk_stats stats;
	struct pt_error err = { .exit_code = PT_EXIT_IMAGE };
	struct ptdump_out po;
	int rc = image_cli_open(&a->w.image, &img, &pg);

	if (!rc)
		rc = walk_cli_prepare(&a->w, img, &pg, &base);
	if (!rc)
		rc = walk_cli_targets(&a->w, img, &pg, &base);
	if (rc)
		goto out;
	if (!pg.arch->ptdump_style) {
		fprintf(stderr, "%s: %s: the kernel has no ptdump format for %s\n", pt_progname,
			img->path, pg.arch->name);
		rc = PT_EXIT_USAGE;
		goto out;
	}
	const struct walk_target *t = &a->w.targets[0];
	walk_cli_apply(&a->w, t, &base, &wp);
	bool user = t->process || base.have_user_root;
	ptdump_init(&po, &pg, &a->w.regions, user, a->w.ptdump_gangs);
	wp.on_entry = ptdump_entry;
	wp.arg = &po;
	wp.on_run = NULL;
	wp.on_step = ptdump_step;
	wp.step_arg = &po;
	wp.expand_aliases = true;
	wp.note_uniform = true;
	wp.summarize_aliases = false;
	wp.physical = false;	/* gangs folded, for --ptdump-gangs */
	/* The kernel's ranges (x86's for a process's table too: its
	 * current_user dump walks the same), else the table's own. */
	const struct pt_regions *rg = &a->w.regions;
	unsigned n = user && po.style != PTDUMP_X86 ? 0 : rg->nranges;
	uint64_t starts[2] = { wp.start, 0 }, ends[2] = { wp.end, 0 };
	if (n) {
		for (unsigned i = 0; i < n; i++) {
			starts[i] = rg->range_start[i];
			ends[i] = rg->range_end[i];
		}
	} else {
		n = 1;
	}
	uint64_t lo = wp.start, hi = wp.end;
	/* x86's current_user dumps a process's whole table, kernel half
	 * included. */
	if (user && po.style == PTDUMP_X86 && !a->w.have_range) {
		lo = 0;
		hi = UINT64_MAX;
	}
	for (unsigned i = 0; i < n; i++) {
		wp.start = starts[i] > lo ? starts[i] : lo;
		wp.end = ends[i] < hi ? ends[i] : hi;
		if (wp.start > wp.end)
			continue;
		if (walk_tables(&wp, &stats, &err)) {
			walk_cli_error(img, &err);
			rc = err.exit_code;
			ptdump_finish(&po);
			goto out;
		}
	}
	ptdump_finish(&po);
out:
	walk_cli_free(&a->w);
	image_close(img);
	out_finish();
	return rc;
}

int cmd_walk(int argc, char **argv)
{
	struct cmd_args a = { 0 };
	struct image *img = NULL;
	struct paging pg;
	static const struct target_hooks hooks = { name_target, walk_end };

	walk_cli_init(&a.w, WC_PTDUMP);
	command_parse(walk_cli_command(&a.w, &walk_argp), argc, argv, "walk", &a);
	if (a.w.ptdump)
		return walk_ptdump(&a);
	a.w.out.doc.key = "entries";
	a.w.out.doc.root_member = true;
	/* A person at a terminal reads a totals line last: what aliases map
	 * is counted for it. */
	bool totals = a.w.out.format == EFMT_TEXT && isatty(STDOUT_FILENO);
	a.w.summarize_aliases |= totals;
	int rc = run_walk(&a, entry_out_sink, NULL, NULL, &hooks, &img, &pg);
	if (!rc && a.w.out.format == EFMT_JSON)
		json_doc_close(&a.w.out.doc);
	if (!rc && totals) {
		char size[32];
		format_size(size, sizeof size, a.w.out.mapped);
		out_printf("%llu %s, %s mapped%s\n", (unsigned long long)a.w.out.entries,
			   a.w.out.entries == 1 ? "entry" : "entries", size,
			   a.w.out.mapped_unknown ? " (and what aliases reach)" : "");
	}
	walk_cli_free(&a.w);
	image_close(img);
	out_finish();
	return rc;
}

/* ---- check -------------------------------------------------------------- */

struct check_state {
	struct entry_out *out;
	/* The sums, aliased slots included; no buckets. */
	struct walk_summary *sum;
	uint64_t listed;
};

static int check_sink(void *arg, const struct logical_entry *le)
{
	struct check_state *cs = arg;
	walk_summary_add(cs->sum, le, 1);
	if (!le->anomalies)
		return 0;
	cs->listed++;
	return entry_out_sink(cs->out, le);
}

/* Plain 4K-style singles carry no anomaly: count them and go on. */
static int check_run(void *arg, const struct logical_entry *first, uint64_t n)
{
	struct check_state *cs = arg;
	if (first->anomalies) {
		for (uint64_t i = 0; i < n; i++) {
			if (check_sink(arg, first))
				return -1;
		}
		return 0;
	}
	walk_summary_add(cs->sum, first, n);
	return 0;
}

static const struct argp check_argp = {
	.parser = cmd_parse,
	.args_doc = "IMAGE",
	.doc = "Walk page tables and list the entries with anomalies (gangs that "
	       "are incomplete, misaligned or inconsistent, reserved descriptors, "
	       "table pages missing from the image, loops).\v"
	       "Exit status: 0 when no anomaly was found, 1 when some were, "
	       "3 when the image cannot be walked.",
};

int cmd_check(int argc, char **argv)
{
	struct cmd_args a = { 0 };
	struct image *img = NULL;
	struct paging pg;
	struct check_state cs = { 0 };

	/* Anomalies are listed entry by entry: nothing merged. */
	walk_cli_init(&a.w, WC_NO_MERGE);
	command_parse(walk_cli_command(&a.w, &check_argp), argc, argv, "check", &a);
	a.w.out.doc.key = "entries";
	a.w.out.doc.root_member = true;
	a.w.summarize_aliases = true;
	cs.out = &a.w.out;
	cs.sum = walk_summary_new(0);
	if (!cs.sum)
		x_out_of_memory(sizeof *cs.sum);
	static const struct target_hooks hooks = { name_target, NULL };
	int rc = run_walk(&a, check_sink, &cs, check_run, &hooks, &img, &pg);
	if (!rc) {
		const struct walk_summary *s = cs.sum;
		/* No heading over an empty list: the summary says it. */
		if (cs.listed)
			entry_out_finish(&a.w.out);
		if (a.w.out.format == EFMT_TEXT) {
			if (!s->anomalous) {
				out_printf("no anomalies in %llu entries", (unsigned long long)s->entries);
			} else {
				out_printf("%llu of %llu entries with anomalies:",
					   (unsigned long long)s->anomalous,
					   (unsigned long long)s->entries);
				for (unsigned i = 0; i < PTA_COUNT; i++) {
					if (s->by_anomaly[i])
						out_printf(" %s %llu", pt_anomaly_names[i],
							   (unsigned long long)s->by_anomaly[i]);
				}
			}
			/* Entries through aliased slots are counted, listed
			 * once where their table was walked. */
			if (s->aliased_entries)
				out_printf(" (%llu %s through aliased slots)",
					   (unsigned long long)s->aliased_entries,
					   s->aliased_entries == 1 ? "entry" : "entries");
			out_printf("\n");
		} else if (a.w.out.format == EFMT_JSON) {
			json_doc_close(&a.w.out.doc);
		}
		rc = s->anomalous ? PT_EXIT_FOUND : PT_EXIT_OK;
	}
	walk_summary_free(cs.sum);
	walk_cli_free(&a.w);
	image_close(img);
	out_finish();
	return rc;
}

/* ---- stats -------------------------------------------------------------- */

/* The walk's sums (struct walk_summary): an alias adds what its slot
 * maps through the shared table, from the walker's memo. */
static int stats_sink(void *arg, const struct logical_entry *le)
{
	walk_summary_add(arg, le, 1);
	return 0;
}

static int stats_run(void *arg, const struct logical_entry *le, uint64_t n)
{
	walk_summary_add(arg, le, n);
	return 0;
}

static int stats_summary(void *arg, const struct walk_summary *s)
{
	walk_summary_merge(arg, s, 1);
	return 0;
}

static int bucket_cmp(const void *pa, const void *pb)
{
	const struct summary_bucket *a = pa, *b = pb;
	if (a->kind != b->kind)
		return a->kind < b->kind ? -1 : 1;
	if (a->level != b->level)
		return a->level > b->level ? -1 : 1;
	if (a->size != b->size)
		return a->size > b->size ? -1 : 1;
	if (a->form != b->form)
		return a->form < b->form ? -1 : 1;
	return strcmp(a->swap_kind ? a->swap_kind : "", b->swap_kind ? b->swap_kind : "");
}

/* The columns of a stats bucket, through the entry model (fields.h):
 * text headings and widths, JSON keys and value types. */
enum bucket_field { BF_KIND, BF_LEVEL, BF_FORM, BF_SIZE, BF_ENTRIES, BF_PHYSICAL, BF_BYTES, BF_SWAP,
		    BF_COUNT_ALL };
static const struct pt_field bucket_fields[BF_COUNT_ALL] = {
	[BF_KIND] = { "kind", "KIND", -5, FT_ENUM, "kind of the entries", pt_kind_names, PTK_COUNT },
	[BF_LEVEL] = { "level", "LEVEL", -5, FT_NAME, "their level", NULL, 0 },
	[BF_FORM] = { "form", "FORM", -8, FT_ENUM, "their form", pt_form_names, FORM_COUNT },
	[BF_SIZE] = { "size", "SIZE", 6, FT_BYTES, "bytes each maps", NULL, 0 },
	[BF_ENTRIES] = { "entries", "ENTRIES", 12, FT_UINT, "logical entries", NULL, 0 },
	[BF_PHYSICAL] = { "physical", "PHYSICAL", 12, FT_UINT, "physical entries folded into them",
			  NULL, 0 },
	[BF_BYTES] = { "bytes", "BYTES", 8, FT_BYTES, "bytes they map", NULL, 0 },
	[BF_SWAP] = { "swap", "NOTE", 0, FT_NAME, "the swap kind of swap entries", NULL, 0 },
};

static void bucket_values(const struct summary_bucket *b, const struct paging *pg,
			  struct field_value *v)
{
	memset(v, 0, BF_COUNT_ALL * sizeof *v);
	for (unsigned i = 0; i < BF_COUNT_ALL; i++)
		v[i].present = true;
	v[BF_KIND].u = b->kind;
	v[BF_LEVEL].s = pt_level_name(pg, b->level);
	v[BF_FORM].u = b->form;
	v[BF_SIZE].u = b->size;
	v[BF_ENTRIES].u = b->entries;
	v[BF_PHYSICAL].u = b->physical;
	v[BF_BYTES].u = b->bytes;
	v[BF_SWAP].s = b->swap_kind;
	v[BF_SWAP].present = b->swap_kind != NULL;
}

static void stats_text(const struct walk_summary *ss, const struct walk_stats *ws,
		       const struct paging *pg, bool headings, bool raw)
{
	char line[BF_COUNT_ALL * (FIELD_OUT_MAX + 16)];
	/* Columns padded to their widths; the note set off by two spaces,
	 * and empty (not "-") for entries that are not swap entries. */
	for (unsigned i = headings ? 0 : 1; i <= ss->nbuckets; i++) {
		struct field_value v[BF_COUNT_ALL];
		char *p = line;
		if (i)
			bucket_values(&ss->b[i - 1], pg, v);
		for (unsigned c = 0; c < BF_COUNT_ALL; c++) {
			const struct pt_field *f = &bucket_fields[c];
			char *start = p;
			if (!i)
				p = put_str(p, f->heading);
			else if (c == BF_SWAP)
				p = put_str(p, v[c].present ? v[c].s : "");
			else
				p = field_text(p, f, &v[c]);
			if (raw) {
				p = raw_escape(start, p);
				if (c + 1 < BF_COUNT_ALL)
					*p++ = ' ';
				continue;
			}
			p = pad_to(start, p, field_width(f));
			if (c + 1 < BF_COUNT_ALL)
				p = put_str(p, c + 2 == BF_COUNT_ALL ? "  " : " ");
		}
		*p++ = '\n';
		out_write(line, (size_t)(p - line));
	}
	char mapped[32];
	format_size(mapped, sizeof mapped, ss->bytes_mapped);
	out_printf("mapped: %s by leaves; %llu entries", mapped, (unsigned long long)ss->entries);
	if (ss->aliased_entries)
		out_printf(", %llu of them through aliased slots",
			   (unsigned long long)ss->aliased_entries);
	out_printf("\n");
	out_printf("table pages:");
	for (unsigned l = pg->levels; l-- > 0;)
		out_printf(" %s %llu", pt_level_name(pg, l), (unsigned long long)ws->tables[l]);
	out_printf("; aliases %llu\n", (unsigned long long)ws->aliases);
	if (!ss->anomalous) {
		out_printf("anomalies: none\n");
	} else {
		out_printf("anomalies: %llu entries:", (unsigned long long)ss->anomalous);
		for (unsigned i = 0; i < PTA_COUNT; i++) {
			if (ss->by_anomaly[i])
				out_printf(" %s %llu", pt_anomaly_names[i],
					   (unsigned long long)ss->by_anomaly[i]);
		}
		out_printf("\n");
	}
}

static void stats_json(const struct walk_summary *ss, const struct walk_stats *ws,
		       const struct paging *pg, const struct walk_target *t)
{
	out_printf("{");
	if (t) {
		if (t->process) {
			out_printf("\"pid\":%d,\"comm\":", t->pid);
			out_json_string(t->comm);
			out_printf(",\"root\":");
			out_json_hex(t->user_root);
		} else {
			out_printf("\"pid\":null,\"comm\":null,\"root\":null");
		}
		out_printf(",");
	}
	out_printf("\"buckets\":[");
	for (unsigned i = 0; i < ss->nbuckets; i++) {
		struct field_value v[BF_COUNT_ALL];
		char line[BF_COUNT_ALL * (FIELD_OUT_MAX + 16)], *p = line;
		bucket_values(&ss->b[i], pg, v);
		if (i)
			*p++ = ',';
		*p++ = '{';
		for (unsigned c = 0; c < BF_COUNT_ALL; c++) {
			if (c)
				*p++ = ',';
			*p++ = '"';
			p = put_str(p, bucket_fields[c].name);
			*p++ = '"';
			*p++ = ':';
			p = field_json(p, &bucket_fields[c], &v[c]);
		}
		*p++ = '}';
		out_write(line, (size_t)(p - line));
	}
	out_printf("],\"entries\":%llu,\"aliased_entries\":%llu,\"bytes_mapped\":%llu,"
		   "\"tables\":{", (unsigned long long)ss->entries,
		   (unsigned long long)ss->aliased_entries, (unsigned long long)ss->bytes_mapped);
	for (unsigned l = pg->levels, first = 1; l-- > 0; first = 0)
		out_printf("%s\"%s\":%llu", first ? "" : ",", pt_level_name(pg, l),
			   (unsigned long long)ws->tables[l]);
	out_printf("},\"aliases\":%llu,\"anomalous_entries\":%llu,\"anomalies\":{",
		   (unsigned long long)ws->aliases, (unsigned long long)ss->anomalous);
	for (unsigned i = 0, first = 1; i < PTA_COUNT; i++) {
		if (!ss->by_anomaly[i])
			continue;
		out_printf("%s\"%s\":%llu", first ? "" : ",", pt_anomaly_names[i],
			   (unsigned long long)ss->by_anomaly[i]);
		first = 0;
	}
	out_printf("}}\n");
}

/* One CSV row per bucket, the process's columns first when the walk
 * covers processes; the heading once, on top. */
static void stats_csv(const struct walk_summary *ss, const struct paging *pg,
		      const struct walk_target *t, bool heading)
{
	static const struct pt_field owner[] = {
		{ "pid", "PID", 0, FT_UINT, NULL, NULL, 0 },
		{ "comm", "COMM", 0, FT_TEXT, NULL, NULL, 0 },
		{ "root", "ROOT", 0, FT_HEX, NULL, NULL, 0 },
	};
	char line[(BF_COUNT_ALL + 3) * (FIELD_OUT_MAX + 16)];
	char *p = line;
	if (heading) {
		for (unsigned c = 0; t && c < 3; c++) {
			p = put_str(p, owner[c].name);
			*p++ = ',';
		}
		for (unsigned c = 0; c < BF_COUNT_ALL; c++) {
			p = put_str(p, bucket_fields[c].name);
			*p++ = c + 1 < BF_COUNT_ALL ? ',' : '\n';
		}
		out_write(line, (size_t)(p - line));
	}
	for (unsigned i = 0; i < ss->nbuckets; i++) {
		struct field_value v[BF_COUNT_ALL], o[3] = { 0 };
		p = line;
		if (t) {
			o[0] = (struct field_value){ .present = t->process, .u = (uint64_t)t->pid };
			o[1] = (struct field_value){ .present = t->process, .s = t->comm };
			o[2] = (struct field_value){ .present = t->process, .u = t->user_root };
			for (unsigned c = 0; c < 3; c++) {
				p = field_csv(p, &owner[c], &o[c]);
				*p++ = ',';
			}
		}
		bucket_values(&ss->b[i], pg, v);
		for (unsigned c = 0; c < BF_COUNT_ALL; c++) {
			p = field_csv(p, &bucket_fields[c], &v[c]);
			*p++ = c + 1 < BF_COUNT_ALL ? ',' : '\n';
		}
		out_write(line, (size_t)(p - line));
	}
}

static const struct argp stats_argp = {
	.parser = cmd_parse,
	.args_doc = "IMAGE",
	.doc = "Walk page tables and count: logical entries and bytes by kind, "
	       "level, form and size; table pages per level; anomalies.\v"
	       "Buckets are ordered by kind, then level from the top, then size "
	       "from the largest. -J prints one JSON document whose \"walks\" "
	       "hold an object per walk (buckets and totals), --format=jsonl "
	       "those objects a line each; --format=csv one row per bucket.",
};

static int stats_end(void *arg, struct cmd_args *a, const struct walk_target *t,
		     const struct walk_stats *ws)
{
	struct walk_summary *ss = arg;
	/* No entries, no buckets allocated: qsort() wants an array. */
	if (ss->nbuckets)
		qsort(ss->b, ss->nbuckets, sizeof ss->b[0], bucket_cmp);
	if (a->w.out.format == EFMT_JSON) {
		json_doc_item(&a->w.out.doc);
		stats_json(ss, ws, a->w.out.pg, a->w.out.processes ? t : NULL);
	} else if (a->w.out.format == EFMT_CSV) {
		stats_csv(ss, a->w.out.pg, a->w.out.processes ? t : NULL,
			  a->w.out.headings && !a->w.out.header_done);
		a->w.out.header_done = true;
	} else {
		if (a->w.out.processes)
			walk_cli_target_line(t);
		stats_text(ss, ws, a->w.out.pg, a->w.out.headings, a->w.out.raw);
	}
	/* Sums short of entries: memory ran out (an error, as any other
	 * allocation failing), or more kinds than the limit (said). */
	if (ss->out_of_memory) {
		pt_warn("out of memory: %llu entries were not counted", (unsigned long long)ss->overflow);
		return PT_EXIT_INTERNAL;
	}
	if (ss->overflow)
		pt_warn("%llu entries in more than %u distinct buckets were not counted",
			(unsigned long long)ss->overflow, ss->limit);
	walk_summary_reset(ss);
	return 0;
}

int cmd_stats(int argc, char **argv)
{
	struct cmd_args a = { 0 };
	struct image *img = NULL;
	struct paging pg;
	struct walk_summary *ss = walk_summary_new(SUMMARY_BUCKET_LIMIT);
	if (!ss)
		x_out_of_memory(sizeof *ss);
	static const struct target_hooks hooks = { NULL, stats_end };

	/* Buckets, not entries: no entry columns, nothing to merge. */
	walk_cli_init(&a.w, WC_NO_MERGE | WC_NO_COLUMNS);
	command_parse(walk_cli_command(&a.w, &stats_argp), argc, argv, "stats", &a);
	a.w.out.doc.key = "walks";
	a.w.summarize_aliases = true;
	a.on_summary = stats_summary;
	int rc = run_walk(&a, stats_sink, ss, stats_run, &hooks, &img, &pg);
	if (!rc && a.w.out.format == EFMT_JSON)
		json_doc_close(&a.w.out.doc);
	walk_summary_free(ss);
	walk_cli_free(&a.w);
	image_close(img);
	out_finish();
	return rc;
}
