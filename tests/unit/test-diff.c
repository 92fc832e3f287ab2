/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The entry model (lib/fields.h) and the diff engine (lib/diff_engine.c)
 * on entry streams held in memory: each kind of record, record merging,
 * --merge's runs, ignored fields and flags, and the errors a stream can
 * end with. No image and no walk: the engine alone. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "diff.h"
#include "fields.h"
#include "tap.h"

#define K4 0x1000ull
#define M2 0x200000ull

/* A present, writable 4K leaf at VA mapping PA. */
static struct diff_entry leaf(uint64_t va, uint64_t size, uint64_t pa)
{
	struct diff_entry e = {
		.va = va, .size = size, .count = 1, .pa = pa, .raw = pa | 0x63, .slot = 0x5000,
		.level = size == M2 ? "pmd" : "pte", .cache = "normal",
		.flags = PTF_PRESENT | PTF_READ | PTF_WRITE,
		.form = FORM_SINGLE, .kind = PTK_LEAF, .mapped = size,
		.known = DF_ALL,
	};
	e.has = DF_ALL & ~(DF_BIT(DF_SWAP) | DF_BIT(DF_ALIAS_OF));
	return e;
}

struct collected {
	struct diff_record rec[64];
	unsigned n;
	int stop_after;		/* > 0: the callback fails at that record */
};

static int collect(void *arg, const struct diff_record *rec)
{
	struct collected *c = arg;
	if (c->n < 64)
		c->rec[c->n] = *rec;
	c->n++;
	return c->stop_after && (int)c->n >= c->stop_after;
}

static struct diff_options defaults(void)
{
	return (struct diff_options){
		.compare = DF_ALL & ~DF_BIT(DF_SLOT),
		.flag_mask = (1u << PTF_COUNT) - 1,
		.merge_records = true,
	};
}

/* Compare A[NA] with B[NB]: the engine's return, records in C. */
static int run(const struct diff_options *o, const struct diff_entry *a, size_t na,
	       const struct diff_entry *b, size_t nb, struct collected *c, struct diff_result *res,
	       struct pt_error *err)
{
	struct diff_source *sa = diff_source_entries(a, na, err);
	struct diff_source *sb = diff_source_entries(b, nb, err);
	memset(c->rec, 0, sizeof c->rec);
	c->n = 0;
	int rc = diff_compare(o, sa, "a.jsonl", sb, "b.jsonl", collect, c, res, err);
	diff_source_close(sa);
	diff_source_close(sb);
	return rc;
}

static void test_fields(void)
{
	/* The table and its derived names agree. */
	bool names_ok = true;
	for (unsigned f = 0; f < DF_COUNT_ALL; f++)
		names_ok &= !strcmp(diff_field_names[f], entry_fields[diff_field_entry[f]].name);
	OK(names_ok && DF_COUNT_ALL == 14 && EF_COUNT_ALL == 24,
	   "14 compared fields of 24, their names the entry fields' names");
	bool unique = true;
	for (unsigned i = 0; i < EF_COUNT_ALL; i++)
		for (unsigned j = i + 1; j < EF_COUNT_ALL; j++)
			unique &= strcmp(entry_fields[i].name, entry_fields[j].name) != 0;
	OK(unique, "every entry field has a name of its own");
	OK(pt_field_lookup(entry_fields, EF_COUNT_ALL, "ALIAS_OF") == EF_ALIAS_OF &&
	   pt_field_lookup(entry_fields, EF_COUNT_ALL, "alias") == -1,
	   "lookup: case-insensitive, whole names only");
	OK(entry_field_varies(EF_VA) && entry_field_varies(EF_PFN) && !entry_field_varies(EF_ROOT) &&
	   !entry_field_varies(EF_FLAGS), "the addresses vary per entry; the root and flags do not");

	unsigned cols[4], n = 2;
	struct pt_error err = { 0 };
	cols[0] = EF_VA;
	cols[1] = EF_END;
	OK(pt_field_list(entry_fields, EF_COUNT_ALL, "+pa,,Flags", cols, &n, 4, &err) == 0 && n == 4 &&
	   cols[2] == EF_PA && cols[3] == EF_FLAGS, "-o +pa,,Flags appends two columns");
	OK(pt_field_list(entry_fields, EF_COUNT_ALL, "va,va,va,va,va", cols, &n, 4, &err) == -1 &&
	   err.exit_code == PT_EXIT_USAGE && !strcmp(err.msg, "too many columns: at most 4"),
	   "-o past the limit: a usage error naming it");
	OK(pt_field_list(entry_fields, EF_COUNT_ALL, "va,bo\ngus", cols, &n, 4, &err) == -1 &&
	   !strncmp(err.msg, "unknown column 'bo?gus' (columns: pid, comm, root, va,", 52),
	   "-o an unknown name: named, on one line, with the columns");
	OK(pt_field_list(entry_fields, EF_COUNT_ALL, ",", cols, &n, 4, &err) == -1 &&
	   !strcmp(err.msg, "no columns given"), "-o , : no columns given");

	/* diff_entry_get() and _set(): each compared field round-trips. */
	struct diff_entry a = leaf(0x400000, K4, 0x41000000), b;
	a.has |= DF_BIT(DF_SWAP) | DF_BIT(DF_ALIAS_OF);
	a.swap_kind = "swap";
	a.swap_type = 3;
	a.swap_offset = 0x1234;
	a.alias_of = 0x7000;
	a.pkey = 5;
	a.anomalies = 1u << 2;
	memset(&b, 0, sizeof b);
	bool round = true;
	for (unsigned f = 0; f < DF_COUNT_ALL; f++) {
		struct field_value x, y;
		diff_entry_get(&a, f, &x);
		round &= diff_entry_set(&b, f, &x) == 0;
		diff_entry_get(&b, f, &y);
		round &= field_value_equal(entry_fields[diff_field_entry[f]].type, &x, &y);
	}
	OK(round && b.has == a.has && b.pa == a.pa && b.swap_offset == 0x1234 && b.pkey == 5,
	   "every compared field survives get and set");
	struct field_value big = { .present = true, .u = 256 };
	OK(diff_entry_set(&b, DF_PKEY, &big) == -1 && b.pkey == 5, "a pkey above 255 is refused");
	struct field_value none = { .present = false };
	OK(diff_entry_set(&b, DF_PA, &none) == 0 && !(b.has & DF_BIT(DF_PA)),
	   "an absent value clears the field");

	/* The merge rule walk --merge and diff --merge share. */
	struct diff_entry x = leaf(0x400000, K4, 0x41000000), y = leaf(0x401000, K4, 0x41001000);
	OK(diff_entry_extends(&x, &y), "contiguous VA and PA, alike: extends");
	y.pa += K4;
	OK(!diff_entry_extends(&x, &y), "a PA gap: does not extend");
	y = leaf(0x401000, K4, 0x41001000);
	y.flags |= PTF_DIRTY;
	OK(!diff_entry_extends(&x, &y), "other flags: does not extend");
	y = leaf(0x401000, K4, 0x41001000);
	y.anomalies = 1;
	OK(!diff_entry_extends(&x, &y), "an anomaly: does not extend");
	y = leaf(0x401000, K4, 0x41001000);
	y.cache = "device";
	OK(!diff_entry_extends(&x, &y), "another cache type (compared by name): does not extend");
	x = leaf(0xfffffffffffff000ull, K4, 0x41000000);
	y = leaf(0, K4, 0x41001000);
	OK(!diff_entry_extends(&x, &y), "no run across the top of the address space");
}

static void test_records(void)
{
	struct diff_options o = defaults();
	struct collected c = { 0 };
	struct diff_result res;
	struct pt_error err = { 0 };

	struct diff_entry a[4] = {
		leaf(0x400000, K4, 0x41000000), leaf(0x401000, K4, 0x41001000),
		leaf(0x402000, K4, 0x41002000), leaf(0x600000, M2, 0x42000000),
	};
	struct diff_entry b[4];
	memcpy(b, a, sizeof a);
	OK(run(&o, a, 4, b, 4, &c, &res, &err) == 0 && c.n == 0 && res.records == 0 &&
	   res.a_entries == 4 && res.b_entries == 4, "identical streams: no record, 4 entries each");

	/* One page gone, one added, one moved, one changed. */
	b[0].pa = 0x43000000;
	b[0].raw = 0x43000063;
	b[1].flags &= ~PTF_WRITE;
	struct diff_entry b2[5] = { b[0], b[1], b[3], leaf(0x800000, K4, 0x44000000) };
	OK(run(&o, a, 4, b2, 4, &c, &res, &err) == 0 && c.n == 4, "four differences: four records");
	OK(c.rec[0].kind == DC_MOVED && c.rec[0].fields == (DF_BIT(DF_PA) | DF_BIT(DF_RAW)),
	   "a new PA (and raw value) alone: moved");
	OK(c.rec[1].kind == DC_CHANGED && c.rec[1].fields == DF_BIT(DF_FLAGS) &&
	   c.rec[1].va == 0x401000 && c.rec[1].end == 0x401fff, "a flag gone: changed, flags");
	OK(c.rec[2].kind == DC_REMOVED && c.rec[2].a.n == 1 && c.rec[2].b.n == 0 &&
	   c.rec[2].va == 0x402000, "an entry only A has: removed");
	OK(c.rec[3].kind == DC_ADDED && c.rec[3].va == 0x800000 && res.sum[DC_ADDED].bytes == K4 &&
	   res.records == 4, "an entry only B has: added, summed");

	/* Ignored: the flags field, or one flag. */
	o.compare &= ~DF_BIT(DF_FLAGS);
	OK(run(&o, a, 4, b2, 4, &c, &res, &err) == 0 && c.n == 3 && c.rec[1].kind == DC_REMOVED,
	   "--ignore=flags: the flag change is not a record");
	o = defaults();
	o.flag_mask &= ~PTF_WRITE;
	OK(run(&o, a, 4, b2, 4, &c, &res, &err) == 0 && c.n == 3, "--ignore=write: neither");
	o = defaults();

	/* A 2M leaf become 512 pages, and back. */
	struct diff_entry big[1] = { leaf(0x600000, M2, 0x42000000) };
	struct diff_entry *pages = calloc(512, sizeof *pages);
	for (unsigned i = 0; i < 512; i++)
		pages[i] = leaf(0x600000 + i * K4, K4, 0x42000000 + i * K4);
	OK(run(&o, big, 1, pages, 512, &c, &res, &err) == 0 && c.n == 1 && c.rec[0].kind == DC_SPLIT &&
	   c.rec[0].b.n == 512 && c.rec[0].pa_kept == 1 && c.rec[0].flags_kept == 1,
	   "a 2M leaf become 512 pages, same PA and flags: one split record");
	OK(run(&o, pages, 512, big, 1, &c, &res, &err) == 0 && c.n == 1 && c.rec[0].kind == DC_FOLDED,
	   "512 pages become one 2M leaf: folded");
	big[0].form = FORM_CONT_PMD;
	OK(run(&o, big, 1, pages, 512, &c, &res, &err) == 0 && c.rec[0].kind == DC_GANG_BROKEN,
	   "a gang become pages: gang-broken");
	big[0].form = FORM_SINGLE;
	/* --merge: B's pages coalesced as walk --merge does are one run. */
	o.coalesce = true;
	OK(run(&o, big, 1, pages, 512, &c, &res, &err) == 0 && c.n == 1 && c.rec[0].kind == DC_CHANGED &&
	   res.b_entries == 1, "--merge: 512 contiguous pages are one run, one changed record");
	o = defaults();

	/* Neighbouring records of one change merge, unless told not to. */
	struct diff_entry *moved = calloc(512, sizeof *moved);
	for (unsigned i = 0; i < 512; i++) {
		moved[i] = pages[i];
		moved[i].pa += 0x10000000;
		moved[i].raw += 0x10000000;
	}
	OK(run(&o, pages, 512, moved, 512, &c, &res, &err) == 0 && c.n == 1 &&
	   c.rec[0].kind == DC_MOVED && c.rec[0].a.n == 512 && c.rec[0].a.linear,
	   "512 pages moved alike: one merged record, linear");
	o.merge_records = false;
	OK(run(&o, pages, 512, moved, 512, &c, &res, &err) == 0 && c.n == 512 && res.records == 512,
	   "--no-merge: a record per page");
	o = defaults();

	/* The callback stops the comparison. */
	c.stop_after = 2;
	o.merge_records = false;
	OK(run(&o, pages, 512, moved, 512, &c, &res, &err) == -1 && c.n == 2 &&
	   err.exit_code == PT_EXIT_INTERNAL, "a callback that fails stops it: an error");
	c.stop_after = 0;
	o = defaults();
	free(moved);

	/* A stream out of order is an error naming its input. */
	struct diff_entry disorder[2] = { leaf(0x401000, K4, 0x41000000), leaf(0x400000, K4, 0) };
	memset(&err, 0, sizeof err);
	OK(run(&o, a, 1, disorder, 2, &c, &res, &err) == -1 && res.failed_side == 1 &&
	   err.exit_code == PT_EXIT_IMAGE &&
	   !strcmp(err.msg, "b.jsonl: entries not in VA order: 0x400000 after an entry ending at 0x401fff"),
	   "entries out of order: side B's error, named, exit 3");
	free(pages);
}

int main(void)
{
	tap_plan(33);
	test_fields();
	test_records();
	return tap_done();
}
