/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The walk's step callback (walk_params.on_step, as mm_walk_ops) and the
 * descent built on it, on a small arm64 4K/48-bit table written here:
 * every slot read reported in order, holes included; a table outside the
 * image reported where it is met; a callback that stops the walk; and
 * each way a descent ends (leaf, hole, unread table, loop, an address
 * outside the VA space); and walk_params.note_uniform, which notes a
 * chain of uniform tables (KASAN's early shadow) once and goes no
 * deeper. */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "arch.h"
#include "walk.h"
#include "tap.h"

#define BASE 0x40000000ull
#define PGD (BASE)
#define PUD (BASE + 0x1000)
#define PMD (BASE + 0x2000)
#define PTE (BASE + 0x3000)
#define PAGE (BASE + 0x4000)
#define UPMD (BASE + 0x5000)	/* KASAN's early shadow: one value in each slot */
#define UPTE (BASE + 0x6000)
#define ZPAGE (BASE + 0x7000)
#define TABLE 0x3ull		/* arm64 table descriptor: valid, table */
#define LEAF 0x403ull		/* page descriptor: valid, page, AF */

struct steps {
	struct pt_step s[600];
	uint64_t va[600];
	unsigned n, stop_at;
	bool uniform;		/* walk with note_uniform and expand_aliases, as ptdump */
};

static int on_step(void *arg, const struct pt_step *s, uint64_t va)
{
	struct steps *st = arg;
	if (st->n < 600) {
		st->s[st->n] = *s;
		st->va[st->n] = va;
	}
	st->n++;
	return st->stop_at && st->n == st->stop_at;
}

static int no_entry(void *arg, const struct logical_entry *le)
{
	(void)arg;
	(void)le;
	return 0;
}

static int walk(struct image *img, const struct paging *pg, uint64_t start, uint64_t end,
		struct steps *st, struct pt_error *err)
{
	struct walk_params wp = {
		.img = img, .pg = pg, .start = start, .end = end,
		.have_user_root = true, .user_root = PGD,
		.on_entry = no_entry, .on_step = on_step, .step_arg = st,
		.note_uniform = st->uniform, .expand_aliases = st->uniform,
	};
	struct walk_stats ws;
	st->n = 0;
	memset(err, 0, sizeof *err);
	return walk_tables(&wp, &ws, err);
}

/* Counting walks for walk_params.share: sums and summaries taken. */
struct counted {
	struct walk_summary *s;
	unsigned summaries;
};

static int count_entry(void *arg, const struct logical_entry *le)
{
	walk_summary_add(((struct counted *)arg)->s, le, 1);
	return 0;
}

static int count_run(void *arg, const struct logical_entry *le, uint64_t n)
{
	walk_summary_add(((struct counted *)arg)->s, le, n);
	return 0;
}

static int count_summary(void *arg, const struct walk_summary *t)
{
	struct counted *c = arg;
	c->summaries++;
	walk_summary_merge(c->s, t, 1);
	return 0;
}

static int count_walk(struct image *img, const struct paging *pg, uint64_t root,
		      struct walk_share *sh, struct counted *c, struct walk_stats *ws)
{
	struct walk_params wp = {
		.img = img, .pg = pg, .start = 0x40000000, .end = 0xbfffffff,
		.have_user_root = true, .user_root = root,
		.on_entry = count_entry, .on_run = count_run, .arg = c,
		.summarize_aliases = true, .share = sh, .on_summary = count_summary,
	};
	struct pt_error err = { 0 };
	c->s = walk_summary_new(SUMMARY_BUCKET_LIMIT);
	c->summaries = 0;
	return walk_tables(&wp, ws, &err);
}

static bool same_counts(const struct counted *a, const struct walk_stats *wa,
			const struct counted *b, const struct walk_stats *wb)
{
	bool same = a->s->entries == b->s->entries && a->s->bytes_mapped == b->s->bytes_mapped &&
		    a->s->aliased_entries == b->s->aliased_entries &&
		    a->s->nbuckets == b->s->nbuckets && !memcmp(wa, wb, sizeof *wa);
	for (unsigned i = 0; same && i < a->s->nbuckets; i++)
		same = a->s->b[i].entries == b->s->b[i].entries && a->s->b[i].bytes == b->s->b[i].bytes;
	return same;
}

int main(void)
{
	tap_plan(22);
	static uint64_t mem[8][512];
	mem[0][0] = PUD | TABLE;
	mem[1][0] = PMD | TABLE;
	mem[2][0] = PTE | TABLE;
	mem[2][1] = 0x80000000ull | TABLE;	/* a pte table outside the image */
	mem[2][2] = PGD | TABLE;		/* back to the pgd: a loop */
	mem[3][0] = PAGE | LEAF;
	mem[3][2] = (PAGE + 0x1000) | LEAF;
	mem[1][1] = UPMD | TABLE;
	mem[1][2] = UPMD | TABLE;
	for (unsigned i = 0; i < 512; i++) {
		mem[5][i] = UPTE | TABLE;
		mem[6][i] = ZPAGE | LEAF;
	}
	mem[1][3] = PMD | TABLE;	/* the ordinary PMD again */
	char path[] = "/tmp/ptwalk-test-walk-XXXXXX";
	int fd = mkstemp(path);
	bool written = fd >= 0 && write(fd, mem, sizeof mem) == (ssize_t)sizeof mem;
	if (fd >= 0)
		close(fd);
	struct image_options io = { .path = path, .raw = true, .raw_base = BASE, .arch = "arm64",
				    .machines = &arch_machines };
	struct paging_options po = { .arch = "arm64", .page_size = 4096, .va_bits = 48 };
	struct image *img = NULL;
	struct paging pg;
	struct pt_error err = { 0 };
	OK(written && image_open(&io, &img, &err) == 0 && paging_setup(&pg, img, &po, &err) == 0 &&
	   pg.levels == 4, "a raw arm64 image with a 4-level table");
	if (!img) {
		unlink(path);
		return 1;
	}

	static struct steps st;
	OK(walk(img, &pg, 0, 0x1fffff, &st, &err) == 0 && st.n == 3 + 512,
	   "the first 2M: the pgd, pud and pmd slots, then all 512 pte slots");
	OK(st.s[0].level == 3 && st.s[0].d.kind == PTK_TABLE && st.s[0].slot == PGD &&
	   st.s[1].level == 2 && st.s[1].table == PUD && st.s[2].level == 1 && st.s[2].slot == PMD,
	   "each table entry before the table it points to, top first");
	OK(st.s[3].level == 0 && st.s[3].d.kind == PTK_LEAF && st.s[3].d.pa == PAGE && st.va[3] == 0,
	   "pte[0]: the leaf, mapping from 0");
	OK(st.s[4].d.kind == PTK_NONE && st.s[4].index == 1 && st.va[4] == 0x1000 &&
	   st.s[4].slot == PTE + 8, "pte[1]: a hole, reported as a step");
	OK(walk(img, &pg, 0x200000, 0x3fffff, &st, &err) == 0 && st.n == 4 &&
	   st.s[3].st == READ_OUTSIDE && st.s[3].level == 0 && st.s[3].table == 0x80000000ull &&
	   st.va[3] == 0x200000, "a pte table outside the image: a step at its first slot, outside");
	st.stop_at = 2;
	OK(walk(img, &pg, 0, 0x1fffff, &st, &err) == -1 && st.n == 2 &&
	   !strcmp(err.msg, "the step callback stopped the walk"),
	   "a step callback that stops the walk: an error, no more steps");
	st.stop_at = 0;

	OK(walk(img, &pg, 0x40000000, 0xbfffffff, &st, &err) == 0 && st.n == 1 + 2 + 512 + 512,
	   "two puds pointing at a uniform chain: walked once, every slot a step, then an alias");
	st.uniform = true;
	OK(walk(img, &pg, 0x40000000, 0xbfffffff, &st, &err) == 0 && st.n == 3 && st.s[1].uniform &&
	   st.s[1].level == 2 && st.s[1].uniform_raw == (ZPAGE | LEAF) && st.va[1] == 0x40000000 &&
	   st.s[2].uniform && st.va[2] == 0x80000000,
	   "note_uniform: each pud a step of its own with the shadow pte's value, nothing below");
	OK(walk(img, &pg, 0, 0x1fffff, &st, &err) == 0 && st.n == 3 + 512 && !st.s[2].uniform,
	   "note_uniform: a table of differing entries is walked as before");
	OK(walk(img, &pg, 0xc0000000, 0xc01fffff, &st, &err) == 0 && st.n == 3 + 512 &&
	   !st.s[1].uniform && st.s[1].d.kind == PTK_TABLE,
	   "note_uniform: a pud whose pmd table is not uniform is descended");
	st.uniform = false;

	struct pt_descent t;
	char why[160];
	pt_descend(&pg, img, PGD, 0x123, &t);
	OK(t.end == PT_DESCENT_LEAF && t.mapped && t.nsteps == 4 && t.pa == PAGE + 0x123 &&
	   t.avail == 0x1000 - 0x123, "descent to 0x123: four steps, the leaf, its PA");
	pt_descend(&pg, img, PGD, 0x1000, &t);
	pt_descent_why(&pg, &t, why, sizeof why);
	OK(t.end == PT_DESCENT_NOT_MAPPED && t.nsteps == 4 && !strcmp(why, "pte[1] is empty"),
	   "descent to a hole: not mapped, named by its slot");
	pt_descend(&pg, img, PGD, 0x2000, &t);
	OK(t.end == PT_DESCENT_LEAF && t.pa == PAGE + 0x1000 && t.nsteps == 4,
	   "descent past the hole: the next leaf (no run, no widening)");
	pt_descend(&pg, img, PGD, 0x200000, &t);
	pt_descent_why(&pg, &t, why, sizeof why);
	OK(t.end == PT_DESCENT_UNREAD && !strcmp(why, "pte table at 0x80000000: outside"),
	   "descent into a table outside the image: unread, where and why");
	pt_descend(&pg, img, PGD, 0x400000, &t);
	pt_descent_why(&pg, &t, why, sizeof why);
	OK(t.end == PT_DESCENT_LOOP && t.loop_level == 3 && t.nsteps == 3 &&
	   !strcmp(why, "pmd[2] points back to the pgd table at 0x40000000 (a loop)"),
	   "descent through a pmd pointing at the pgd: a loop, not followed");
	pt_descend(&pg, img, PGD, 0x1000000000000000ull, &t);
	pt_descent_why(&pg, &t, why, sizeof why);
	OK(t.end == PT_DESCENT_NONE && t.nsteps == 0 && !strcmp(why, "not a canonical 48-bit address"),
	   "an address in neither half: no step, said");
	pt_descend(&pg, img, 0x90000000ull, 0x123, &t);
	pt_descent_why(&pg, &t, why, sizeof why);
	OK(t.end == PT_DESCENT_UNREAD && t.nsteps == 1 && !strcmp(why, "pgd table at 0x90000000: outside"),
	   "a root outside the image: one unread step");

	/* Walks sharing tables: the first walks all, the second summarizes
	 * the pmd table it meets again, the third takes that summary; all
	 * count the same. */
	struct walk_share *sh = walk_share_new();
	struct counted c[4];
	struct walk_stats ws[4];
	OK(sh && count_walk(img, &pg, PGD, sh, &c[0], &ws[0]) == 0 && c[0].summaries == 0 &&
	   c[0].s->entries > 2 * 512 * 512 && ws[0].tables[1] == 1 && ws[0].tables[0] == 1,
	   "share: the first walk walks the shadow, %llu entries", (unsigned long long)c[0].s->entries);
	OK(count_walk(img, &pg, PGD, sh, &c[1], &ws[1]) == 0 && c[1].summaries == 1 &&
	   same_counts(&c[0], &ws[0], &c[1], &ws[1]),
	   "share: the second counts the pmd table met again from its summary, the same sums");
	OK(count_walk(img, &pg, PGD, sh, &c[2], &ws[2]) == 0 && c[2].summaries == 1 &&
	   same_counts(&c[0], &ws[0], &c[2], &ws[2]),
	   "share: a third takes the kept summary, the same sums and table counts");
	OK(count_walk(img, &pg, PGD, NULL, &c[3], &ws[3]) == 0 && c[3].summaries == 0 &&
	   same_counts(&c[0], &ws[0], &c[3], &ws[3]), "without a share: the same again");
	for (int i = 0; i < 4; i++)
		walk_summary_free(c[i].s);
	walk_share_free(sh);

	image_close(img);
	unlink(path);
	return tap_done();
}
