/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The public API of <ptwalk/ptwalk.h>: a thin layer over the engine that
 * the command uses too, so that a program linking libptwalk sees the
 * same walk, fold and translation as `ptwalk walk' and `vtop'. Only the
 * ptwalk_* functions here leave the library (libptwalk.sym). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ptwalk/ptwalk.h"
#include "diff.h"
#include "kmem.h"
#include "walk.h"

/* The public numbers are the engine's: checked here, once. */
#define SAME(a, b) ((long)(a) == (long)(b))
_Static_assert(SAME(PTWALK_E_USAGE, PT_EXIT_USAGE) && SAME(PTWALK_E_IMAGE, PT_EXIT_IMAGE) &&
	       SAME(PTWALK_E_CALLBACK, PT_EXIT_OUTPUT) && SAME(PTWALK_E_INTERNAL, PT_EXIT_INTERNAL),
	       "error codes");
_Static_assert(SAME(PTWALK_F_PRESENT, PTF_PRESENT) && SAME(PTWALK_F_READ, PTF_READ) &&
	       SAME(PTWALK_F_WRITE, PTF_WRITE) && SAME(PTWALK_F_EXEC_USER, PTF_EXEC_USER) &&
	       SAME(PTWALK_F_EXEC_KERNEL, PTF_EXEC_KERNEL) && SAME(PTWALK_F_USER, PTF_USER) &&
	       SAME(PTWALK_F_GLOBAL, PTF_GLOBAL) && SAME(PTWALK_F_DIRTY, PTF_DIRTY) &&
	       SAME(PTWALK_F_YOUNG, PTF_YOUNG) && SAME(PTWALK_F_SPECIAL, PTF_SPECIAL) &&
	       SAME(PTWALK_F_SHARED, PTF_SHARED) && SAME(PTWALK_F_UFFD_WP, PTF_UFFD_WP) &&
	       SAME(PTWALK_F_SOFT_DIRTY, PTF_SOFT_DIRTY) && SAME(PTWALK_F_PROTNONE, PTF_PROTNONE) &&
	       SAME(PTWALK_F_DEVMAP, PTF_DEVMAP) && SAME(PTWALK_F_GUARDED, PTF_GUARDED) &&
	       SAME(PTWALK_F_EXCLUSIVE, PTF_EXCLUSIVE) && SAME(PTWALK_F_CONT, PTF_CONT) &&
	       PTF_COUNT == 18, "flag bits");
_Static_assert(PTA_COUNT <= 32, "anomaly bits fit ptwalk_counts.by_anomaly");
_Static_assert(PT_MAX_LEVELS + 1 <= PTWALK_MAX_STEPS && PT_MAX_LEVELS + 1 <= 6, "steps");
_Static_assert(sizeof(((struct ptwalk_error *)0)->message) == sizeof(((struct pt_error *)0)->msg),
	       "error message size");

struct ptwalk {
	struct image *img;
	struct paging pg;
};

/* The engine's error as the caller's. */
static int fail_out(struct ptwalk_error *out, const struct pt_error *e)
{
	if (out) {
		out->code = e->exit_code ? e->exit_code : PTWALK_E_INTERNAL;
		memcpy(out->message, e->msg, sizeof out->message);
		out->message[sizeof out->message - 1] = 0;
	}
	return -1;
}

static int usage(struct ptwalk_error *out, const char *what)
{
	struct pt_error e = { .exit_code = PT_EXIT_USAGE };
	snprintf(e.msg, sizeof e.msg, "%s", what);
	return fail_out(out, &e);
}

static void clear(struct ptwalk_error *err)
{
	if (err) {
		err->code = PTWALK_OK;
		err->message[0] = 0;
	}
}

const char *ptwalk_version(void)
{
	return PACKAGE_VERSION;
}

/* OPTS, as much of it as the caller's version of the header has. */
static void take_options(const struct ptwalk_options *in, struct ptwalk_options *o)
{
	memset(o, 0, sizeof *o);
	if (in) {
		size_t n = in->size && in->size < sizeof *o ? in->size : sizeof *o;
		memcpy(o, in, n);
	}
}

static void paging_opts(const struct ptwalk_options *o, struct paging_options *p)
{
	memset(p, 0, sizeof *p);
	p->arch = o->arch;
	p->page_size = o->page_size;
	p->va_bits = o->va_bits;
	p->levels = o->levels;
	p->kernel_release = o->kernel_release;
	p->kernel_config = o->kernel_config;
	p->page_offset_set = o->page_offset_set != 0;
	p->page_offset = o->page_offset;
	p->mmu = o->mmu;
}

/* A handle on IMG, its paging set up as the command sets it up; IMG is
 * closed on failure. */
static int finish_open(struct image *img, const struct ptwalk_options *o, struct ptwalk **out,
		       struct ptwalk_error *err)
{
	struct pt_error e = { .exit_code = PT_EXIT_IMAGE };
	struct paging_options p;
	struct ptwalk *pw = calloc(1, sizeof *pw);
	if (!pw) {
		pt_oom(&e, sizeof *pw);
		goto fail;
	}
	pw->img = img;
	paging_opts(o, &p);
	if (paging_setup(&pw->pg, img, &p, &e))
		goto fail;
	if (o->kernel_root_set) {
		pw->pg.kernel_root.set = true;
		pw->pg.kernel_root.v = o->kernel_root;
		snprintf(pw->pg.kernel_root_how, sizeof pw->pg.kernel_root_how, "given");
	}
	/* The kernel's configuration from its own symbols, unless given. */
	if (!p.kernel_config)
		kernel_probe(&pw->pg, img);
	*out = pw;
	return 0;
fail:
	image_close(img);
	free(pw);
	return fail_out(err, &e);
}

int ptwalk_open(const char *path, const struct ptwalk_options *opts, ptwalk **out,
		struct ptwalk_error *err)
{
	struct pt_error e = { .exit_code = PT_EXIT_IMAGE };
	struct ptwalk_options o;

	clear(err);
	if (!out)
		return usage(err, "ptwalk_open: no place for the handle");
	*out = NULL;
	if (!path)
		return usage(err, "ptwalk_open: no image file");
	take_options(opts, &o);
	if (o.nparts > PT_MAX_PARTS)
		return usage(err, "ptwalk_open: too many parts of a split dump");
	if (o.vmcoreinfo)
		return usage(err, "ptwalk_open: VMCOREINFO text is for ptwalk_open_reader(); "
			     "give an image's as vmcoreinfo_file");
	struct image_options io = {
		.path = path,
		.raw = o.raw != 0,
		.raw_base = o.raw_base,
		.allow_truncated = o.allow_truncated != 0,
		.vmcoreinfo_file = o.vmcoreinfo_file,
		.arch = o.arch,
		.quiet = true,
		.parts = o.parts,
		.nparts = o.nparts,
		.machines = &arch_machines,
		.jobs = o.jobs > PT_MAX_JOBS ? PT_MAX_JOBS : o.jobs,
	};
	struct image *img;
	if (image_open(&io, &img, &e))
		return fail_out(err, &e);
	return finish_open(img, &o, out, err);
}

int ptwalk_open_reader(const char *name, ptwalk_read_fn read, void *arg,
		       const struct ptwalk_options *opts, ptwalk **out,
		       struct ptwalk_error *err)
{
	struct pt_error e = { .exit_code = PT_EXIT_IMAGE };
	struct ptwalk_options o;

	clear(err);
	if (!out)
		return usage(err, "ptwalk_open_reader: no place for the handle");
	*out = NULL;
	if (!read)
		return usage(err, "ptwalk_open_reader: no read function");
	take_options(opts, &o);
	if (o.raw || o.nparts || o.vmcoreinfo_file || o.allow_truncated)
		return usage(err, "ptwalk_open_reader: raw, parts, vmcoreinfo_file and "
			     "allow_truncated are for image files");
	if (!o.vmcoreinfo && !o.arch)
		return usage(err, "ptwalk_open_reader: give VMCOREINFO text or the architecture");
	const struct arch_ops *ops = o.arch ? arch_by_name(o.arch) : NULL;
	if (o.arch && !ops)
		return usage(err, "ptwalk_open_reader: unknown architecture");
	struct image_reader r = {
		.name = name && *name ? name : "memory",
		.read = read,
		.arg = arg,
		.big_endian = ops ? ops->big_endian : o.big_endian != 0,
		.vmcoreinfo = o.vmcoreinfo,
	};
	struct image *img;
	if (image_open_reader(&r, &img, &e))
		return fail_out(err, &e);
	/* Without --arch the byte order is the VMCOREINFO's architecture's. */
	if (!ops && (ops = arch_from_vmcoreinfo(&img->vmci)))
		img->big_endian = ops->big_endian;
	return finish_open(img, &o, out, err);
}

void ptwalk_close(ptwalk *pw)
{
	if (!pw)
		return;
	image_close(pw->img);
	free(pw);
}

void ptwalk_get_info(const ptwalk *pw, struct ptwalk_info *info)
{
	const struct paging *pg = &pw->pg;
	memset(info, 0, sizeof *info);
	info->arch = pg->arch->name;
	info->format = pw->img->format_name;
	info->page_size = 1u << pg->page_shift;
	info->va_bits = pg->va_bits;
	info->levels = pg->levels;
	info->big_endian = pg->big_endian;
	info->kernel_release = pg->release;
	info->have_kernel_root = pg->kernel_root.set;
	info->kernel_root = pg->kernel_root.v;
	info->user_end = pg->user_end;
}

int ptwalk_read_phys(ptwalk *pw, uint64_t pa, void *buf, size_t len,
		     struct ptwalk_error *err)
{
	size_t got;
	clear(err);
	enum read_status st = image_read_partial(pw->img, pa, buf, len, &got);
	if (st == READ_OK)
		return 0;
	struct pt_error e = { .exit_code = PT_EXIT_IMAGE };
	pt_fail(&e, PT_EXIT_IMAGE, "%s: physical 0x%llx: %s", pw->img->path,
		(unsigned long long)(pa + got), read_status_name(st));
	return fail_out(err, &e);
}

int ptwalk_root_from_register(ptwalk *pw, uint64_t reg, uint64_t *root,
			      struct ptwalk_error *err)
{
	struct pt_error e = { .exit_code = PT_EXIT_USAGE };
	clear(err);
	if (pt_root_from_register(&pw->pg, reg, root, &e))
		return fail_out(err, &e);
	return 0;
}

const char *ptwalk_flag_name(unsigned bit)
{
	return bit < PTF_COUNT ? pt_flag_names[bit] : NULL;
}

const char *ptwalk_vmcoreinfo_key(unsigned i)
{
	return vmcoreinfo_key(i);
}

const char *ptwalk_anomaly_name(unsigned bit)
{
	return bit < PTA_COUNT ? pt_anomaly_names[bit] : NULL;
}

/* ---- Walking ----------------------------------------------------------- */

static void to_entry(const struct paging *pg, const struct logical_entry *le,
		     struct ptwalk_entry *e)
{
	memset(e, 0, sizeof *e);
	e->va = le->va;
	e->size = le->size;
	e->level = le->level;
	e->level_name = pt_level_name(pg, le->level);
	e->kind = pt_kind_names[le->d.kind];
	e->form = pt_form_names[le->form];
	e->count = le->count;
	e->has_pa = pt_kind_has_pa(le->d.kind);
	e->pa = e->has_pa ? le->d.pa : 0;
	e->slot_pa = le->slot_pa;
	e->raw = le->raw;
	e->flags = le->d.flags;
	e->anomalies = le->anomalies;
	e->cache = pg->arch->cache_names[le->d.cache];
	e->pkey = pg->arch->has_pkeys ? le->d.pkey : -1;
	if (le->d.kind == PTK_SWAP) {
		e->swap_type = le->d.swap_type;
		e->swap_offset = le->d.swap_offset;
		e->swap_kind = le->d.swap_kind;
	}
	if (le->d.kind == PTK_BAD)
		e->why = le->d.why;
	e->alias_of = le->form == FORM_ALIAS ? le->alias_of : 0;
	e->pfn = e->has_pa ? e->pa >> pg->page_shift : 0;
	if (le->form == FORM_ALIAS) {
		e->has_mapped = le->subtree != NULL;
		e->mapped = le->subtree ? le->subtree->bytes_mapped : 0;
	} else {
		e->has_mapped = 1;
		e->mapped = le->d.kind == PTK_LEAF ? le->size : 0;
	}
}

struct walk_call {
	const struct paging *pg;
	ptwalk_entry_fn fn;
	void *arg;
	bool stopped;
	struct ptwalk_counts *counts;
	void (*on_progress)(void *arg, uint64_t va, uint64_t tables, int done);
	void *progress_arg;
};

static int entry_sink_api(void *arg, const struct logical_entry *le)
{
	struct walk_call *c = arg;
	struct ptwalk_entry e;
	to_entry(c->pg, le, &e);
	if (c->fn(c->arg, &e)) {
		c->stopped = true;
		return -1;
	}
	return 0;
}

static void count_entries(struct ptwalk_counts *k, const struct logical_entry *le, uint64_t n)
{
	k->entries += n;
	if (le->d.kind == PTK_LEAF) {
		k->leaves += n;
		k->leaf_bytes += n * le->size;
	}
	if (pt_form_is_gang(le->form))
		k->gangs += n;
	if (le->anomalies) {
		k->anomalous += n;
		for (unsigned b = 0; b < PTA_COUNT; b++)
			if (le->anomalies & (1u << b))
				k->by_anomaly[b] += n;
	}
}

static int count_sink(void *arg, const struct logical_entry *le)
{
	struct walk_call *c = arg;
	count_entries(c->counts, le, 1);
	return 0;
}

static int count_run(void *arg, const struct logical_entry *first, uint64_t n)
{
	struct walk_call *c = arg;
	count_entries(c->counts, first, n);
	return 0;
}

static void progress_api(void *arg, uint64_t va, uint64_t tables, bool done)
{
	struct walk_call *c = arg;
	c->on_progress(c->progress_arg, va, tables, done);
}

/* The walk's parameters from the caller's options, as `ptwalk walk'
 * sets them from --pgd and --range. */
static int walk_setup(ptwalk *pw, const struct ptwalk_walk_options *in, struct walk_call *c,
		      struct walk_params *wp, struct ptwalk_error *err)
{
	struct ptwalk_walk_options o = { 0 };
	if (in)
		memcpy(&o, in, in->size && in->size < sizeof o ? in->size : sizeof o);
	const struct paging *pg = &pw->pg;
	walk_params_init(wp, pw->img, pg, o.have_root != 0, o.root);
	wp->physical = o.physical != 0;
	wp->expand_aliases = o.expand_aliases != 0;
	/* What an alias maps, as walk --format=json says it. */
	wp->summarize_aliases = !wp->expand_aliases;
	if (o.start || o.end) {
		if (o.end < o.start)
			return usage(err, "ptwalk_walk: the range ends before it starts");
		wp->start = o.start;
		wp->end = o.end;
	} else if (o.have_root && !pg->arch->split_roots) {
		/* A process's own part, as `ptwalk walk --pid' walks it. */
		wp->end = pg->user_end;
	}
	if (o.on_progress) {
		c->on_progress = o.on_progress;
		c->progress_arg = o.progress_arg;
		wp->on_progress = progress_api;
		wp->progress_arg = c;
	}
	wp->arg = c;
	c->pg = pg;
	return 0;
}

static int walk_run(struct walk_params *wp, struct walk_call *c, struct walk_stats *ws,
		    struct ptwalk_error *err)
{
	struct pt_error e = { .exit_code = PT_EXIT_IMAGE };
	if (walk_tables(wp, ws, &e)) {
		if (c->stopped)
			pt_fail(&e, PT_EXIT_OUTPUT, "the entry callback stopped the walk");
		return fail_out(err, &e);
	}
	return 0;
}

int ptwalk_walk(ptwalk *pw, const struct ptwalk_walk_options *opts, ptwalk_entry_fn fn,
		void *arg, struct ptwalk_error *err)
{
	struct walk_call c = { .fn = fn, .arg = arg };
	struct walk_params wp;
	struct walk_stats ws;

	clear(err);
	if (!fn)
		return usage(err, "ptwalk_walk: no entry callback");
	if (walk_setup(pw, opts, &c, &wp, err))
		return -1;
	wp.on_entry = entry_sink_api;
	return walk_run(&wp, &c, &ws, err);
}

/* ---- A walk pulled ------------------------------------------------------- */

struct ptwalk_iter {
	struct walk_call call;		/* the progress callback's, from the walk's thread */
	struct walk_pipe *pipe;
};

static void to_entry_rec(void *rec, const struct logical_entry *le, const struct paging *pg)
{
	to_entry(pg, le, rec);
}

ptwalk_iter *ptwalk_walk_iter(ptwalk *pw, const struct ptwalk_walk_options *opts,
			      struct ptwalk_error *err)
{
	struct walk_params wp;
	struct pt_error e = { .exit_code = PT_EXIT_INTERNAL };
	clear(err);
	struct ptwalk_iter *it = calloc(1, sizeof *it);
	if (!it) {
		pt_oom(&e, sizeof *it);
		fail_out(err, &e);
		return NULL;
	}
	if (walk_setup(pw, opts, &it->call, &wp, err)) {
		free(it);
		return NULL;
	}
	if (!(it->pipe = walk_pipe_start(&wp, sizeof(struct ptwalk_entry), to_entry_rec, &e))) {
		free(it);
		fail_out(err, &e);
		return NULL;
	}
	return it;
}

int ptwalk_iter_next(ptwalk_iter *it, struct ptwalk_entry *e, struct ptwalk_error *err)
{
	const void *rec;
	struct pt_error we = { 0 };
	clear(err);
	int rc = walk_pipe_next(it->pipe, &rec, &we);
	if (rc > 0)
		*e = *(const struct ptwalk_entry *)rec;
	else if (rc < 0)
		fail_out(err, &we);
	return rc;
}

void ptwalk_iter_free(ptwalk_iter *it)
{
	if (!it)
		return;
	walk_pipe_close(it->pipe);
	free(it);
}

int ptwalk_count(ptwalk *pw, const struct ptwalk_walk_options *opts,
		 struct ptwalk_counts *counts, struct ptwalk_error *err)
{
	struct walk_call c = { .counts = counts };
	struct walk_params wp;
	struct walk_stats ws;

	clear(err);
	memset(counts, 0, sizeof *counts);
	if (walk_setup(pw, opts, &c, &wp, err))
		return -1;
	wp.on_entry = count_sink;
	wp.on_run = count_run;
	if (walk_run(&wp, &c, &ws, err))
		return -1;
	for (unsigned l = 0; l < PT_MAX_LEVELS; l++)
		counts->tables[l] = ws.tables[l];
	return 0;
}

/* ---- Comparing ---------------------------------------------------------- */

const char *ptwalk_diff_field_name(unsigned bit)
{
	return bit < DF_COUNT_ALL ? diff_field_names[bit] : NULL;
}

/* A diff's entry as the public one: what the walk gave, as to_entry(). */
static void from_diff_entry(const struct paging *pg, const struct diff_entry *d,
			    struct ptwalk_entry *e)
{
	memset(e, 0, sizeof *e);
	e->va = d->va;
	e->size = d->size;
	e->level_name = d->level;
	for (unsigned l = 0; l < PT_MAX_LEVELS; l++) {
		if (!strcmp(pt_level_name(pg, l), d->level)) {
			e->level = l;
			break;
		}
	}
	e->kind = pt_kind_names[d->kind];
	e->form = pt_form_names[d->form];
	e->count = d->count;
	e->has_pa = (d->has & DF_BIT(DF_PA)) != 0;
	e->pa = e->has_pa ? d->pa : 0;
	e->slot_pa = d->slot;
	e->raw = d->raw;
	e->flags = d->flags;
	e->anomalies = d->anomalies;
	e->cache = d->has & DF_BIT(DF_CACHE) ? d->cache : NULL;
	e->pkey = pg->arch->has_pkeys && (d->has & DF_BIT(DF_PKEY)) ? d->pkey : -1;
	if (d->kind == PTK_SWAP) {
		e->swap_type = d->swap_type;
		e->swap_offset = d->swap_offset;
		e->swap_kind = d->swap_kind;
	}
	e->alias_of = d->has & DF_BIT(DF_ALIAS_OF) ? d->alias_of : 0;
	e->pfn = e->has_pa ? e->pa >> pg->page_shift : 0;
	e->has_mapped = (d->has & DF_BIT(DF_MAPPED)) != 0;
	e->mapped = e->has_mapped ? d->mapped : 0;
}

static void from_diff_side(const struct paging *pg, const struct diff_rside *r,
			   struct ptwalk_diff_side *s)
{
	memset(s, 0, sizeof *s);
	s->entries = r->n;
	s->bytes = r->bytes;
	s->uniform = r->uniform;
	s->linear = r->linear;
	if (r->n)
		from_diff_entry(pg, &r->first, &s->first);
}

struct diff_call {
	const struct paging *pg[2];
	ptwalk_diff_fn fn;
	void *arg;
	bool stopped;
};

static int diff_sink(void *arg, const struct diff_record *rec)
{
	struct diff_call *c = arg;
	struct ptwalk_diff_record r = {
		.change = diff_change_names[rec->kind],
		.va = rec->va,
		.end = rec->end,
		.fields = rec->fields,
		.pa_kept = rec->pa_kept,
		.flags_kept = rec->flags_kept,
	};
	from_diff_side(c->pg[0], &rec->a, &r.a);
	from_diff_side(c->pg[1], &rec->b, &r.b);
	if (c->fn(c->arg, &r)) {
		c->stopped = true;
		return -1;
	}
	return 0;
}

long long ptwalk_diff(ptwalk *a, const struct ptwalk_walk_options *aopts,
		      ptwalk *b, const struct ptwalk_walk_options *bopts,
		      const struct ptwalk_diff_options *opts, ptwalk_diff_fn fn, void *arg,
		      struct ptwalk_error *err)
{
	struct ptwalk_diff_options o = { 0 };
	struct diff_options cfg;
	clear(err);
	if (!a || !b || !fn)
		return usage(err, "ptwalk_diff: two handles and a record callback, please");
	if (a == b)
		return usage(err, "ptwalk_diff: A and B are one handle; open the image twice");
	if (opts)
		memcpy(&o, opts, opts->size && opts->size < sizeof o ? opts->size : sizeof o);
	diff_options_init(&cfg);
	cfg.coalesce = o.merge != 0;
	cfg.merge_records = !o.separate;
	char bad[64];
	if (o.ignore && diff_options_ignore(&cfg, o.ignore, bad, sizeof bad)) {
		struct pt_error e;
		pt_fail(&e, PT_EXIT_USAGE, "ptwalk_diff: ignore: unknown field or flag '%s'", bad);
		return fail_out(err, &e);
	}
	struct walk_call ca = { 0 }, cb = { 0 };
	struct walk_params wa, wb;
	if (walk_setup(a, aopts, &ca, &wa, err) || walk_setup(b, bopts, &cb, &wb, err))
		return -1;
	struct pt_error e = { .exit_code = PT_EXIT_IMAGE };
	struct diff_source *sa = diff_source_walk(&wa, &e);
	struct diff_source *sb = sa ? diff_source_walk(&wb, &e) : NULL;
	struct diff_call c = { .pg = { &a->pg, &b->pg }, .fn = fn, .arg = arg };
	struct diff_result res;
	int rc = -1;
	if (sb)
		rc = diff_compare(&cfg, sa, wa.img->path, sb, wb.img->path, diff_sink, &c, &res, &e);
	diff_source_close(sb);
	diff_source_close(sa);
	if (rc) {
		if (c.stopped)
			pt_fail(&e, PT_EXIT_OUTPUT, "the record callback stopped the comparison");
		return fail_out(err, &e);
	}
	return (long long)res.records;
}

/* ---- Translating ------------------------------------------------------- */

int ptwalk_translate(ptwalk *pw, int have_root, uint64_t root, uint64_t va,
		     struct ptwalk_translation *t, struct ptwalk_error *err)
{
	const struct paging *pg = &pw->pg;
	struct walk_params wp;
	struct pt_descent d;
	uint64_t top;

	clear(err);
	memset(t, 0, sizeof *t);
	t->va = va;
	walk_params_init(&wp, pw->img, pg, have_root != 0, root);
	switch (pt_root_for(&wp, va, &top)) {
	case PT_ROOT_NOT_CANONICAL: {
		struct pt_error e;
		pt_fail(&e, PT_EXIT_USAGE, "0x%llx is not a canonical %u-bit address",
			(unsigned long long)va, pg->va_bits);
		return fail_out(err, &e);
	}
	case PT_ROOT_NO_KERNEL:
		return usage(err, "no kernel root in the image's VMCOREINFO: give a root");
	case PT_ROOT_NO_USER:
		return usage(err, "a user address needs a root");
	case PT_ROOT_KERNEL:
	case PT_ROOT_USER:
		break;
	}
	pt_descend(pg, pw->img, top, va, &d);
	t->root = top;
	t->mapped = d.mapped;
	t->pa = d.pa;
	pt_descent_why(pg, &d, t->why, sizeof t->why);
	t->nsteps = d.nsteps;
	for (unsigned i = 0; i < d.nsteps; i++) {
		const struct pt_step *s = &d.steps[i];
		struct ptwalk_step *o = &t->steps[i];
		o->level = s->level;
		o->level_name = s->hugepd ? "hugepd" : pt_level_name(pg, s->level);
		o->index = s->index;
		o->slot = s->slot;
		o->read_ok = s->st == READ_OK;
		o->raw = s->raw;
		o->kind = o->read_ok ? pt_kind_names[s->d.kind] : NULL;
		o->pa = o->read_ok && pt_kind_has_pa(s->d.kind) ? s->d.pa : 0;
		o->have_buddy = s->have_buddy;
		o->buddy_slot = s->buddy_slot;
		o->buddy_raw = s->buddy_raw;
	}
	struct logical_entry le;
	if (pt_descent_entry(&wp, &d, &le)) {
		t->have_entry = 1;
		to_entry(pg, &le, &t->entry);
	}
	return 0;
}

/* ---- Processes ------------------------------------------------------------ */

struct task_call {
	ptwalk_task_fn fn;
	void *arg;
	bool stopped;
};

static int task_sink(void *arg, const struct task_info *ti)
{
	struct task_call *c = arg;
	struct ptwalk_task t = {
		.task = ti->task, .pid = ti->pid, .tgid = ti->tgid, .mm = ti->mm, .pgd = ti->pgd,
		.have_root = ti->have_root, .root = ti->root,
	};
	memcpy(t.comm, ti->comm, sizeof t.comm);
	t.comm[sizeof t.comm - 1] = 0;
	if (c->fn(c->arg, &t)) {
		c->stopped = true;
		return -1;
	}
	return 0;
}

int ptwalk_tasks(ptwalk *pw, const struct ptwalk_symbols *syms, ptwalk_task_fn fn,
		 void *arg, struct ptwalk_error *err)
{
	struct ptwalk_symbols s = { 0 };
	struct pt_error e = { .exit_code = PT_EXIT_IMAGE };
	struct kernel_info ki;
	struct task_call c = { .fn = fn, .arg = arg };

	clear(err);
	if (!fn)
		return usage(err, "ptwalk_tasks: no task callback");
	if (syms)
		memcpy(&s, syms, syms->size && syms->size < sizeof s ? syms->size : sizeof s);
	struct kernel_info_options ko = {
		.vmlinux = s.vmlinux, .btf = s.btf, .kallsyms = s.kallsyms,
		.lookup = s.lookup, .lookup_arg = s.lookup_arg,
	};
	if (kernel_info_setup(&ki, pw->img, &pw->pg, &ko, &e))
		return fail_out(err, &e);
	if (tasks_for_each(&ki, task_sink, &c, &e)) {
		if (c.stopped)
			pt_fail(&e, PT_EXIT_OUTPUT, "the task callback stopped the list");
		return fail_out(err, &e);
	}
	return 0;
}
