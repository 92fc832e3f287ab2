/* SPDX-License-Identifier: GPL-2.0-or-later */
/* walk --format=ptdump: the kernel's debugfs page-table dump, line for
 * line as Linux 6.12 prints it, from the same sequence of calls.
 *
 * The kernel's dump is mm/ptdump.c's walk (mm/pagewalk.c with
 * walk_page_range_novma()) calling the arch's note_page() for every
 * leaf at its depth, for every pte whatever it holds, and for every
 * empty upper slot (pte_hole) with the value 0; then once more with
 * level -1 to flush the last run. The walker's step callback
 * (walk_params.on_step) visits the same slots in the same order, so the
 * notes here are the kernel's, and each arch's note_page() below is a
 * transcription of its own:
 *   arm64   arch/arm64/mm/ptdump.c note_page(), dump_prot()
 *   x86_64  arch/x86/mm/dump_pagetables.c note_page(), printk_prot(),
 *           effective_prot()
 *   ppc8xx  arch/powerpc/mm/ptdump/ptdump.c note_page(), dump_addr(),
 *           pt_dump_size(), dump_flag_info()
 *   riscv64 arch/riscv/mm/ptdump.c note_page(), dump_addr(), dump_prot()
 * The attribute words are the arch files' tables of the kernel's
 * (pte_bits[], flag_array[]), as the image's release has them.
 *
 * Where ptwalk cannot be the kernel: a table missing from the image is
 * noted as a hole of its level. KASAN's early shadow is found by its
 * shape, not its symbols (walk_params.note_uniform): any table whose
 * slots all lead to one leaf value is noted as the kernel notes the
 * shadow, once at level 4; walked, such a table gives the same line. */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "output.h"
#include "ptdump_out.h"
#include "field_out.h"
#include "xalloc.h"

static const char *const arm64_levels[5] = { "PGD", "P4D", "PUD", "PMD", "PTE" };
static const char *const x86_levels[5] = { "pgd", "p4d", "pud", "pmd", "pte" };

void ptdump_init(struct ptdump_out *po, const struct paging *pg, const struct pt_regions *rg,
		 bool user, bool annotate)
{
	memset(po, 0, sizeof *po);
	po->annotate = annotate;
	po->span = 2ull << pt_gang_span_shift(pg);
	po->pg = pg;
	po->style = pg->arch->ptdump_style;
	po->level = -1;
	po->addr_mask = pg->arch->flat_space ? 0xffffffffull : UINT64_MAX;
	if (pg->arch->ptdump_words)
		po->words = pg->arch->ptdump_words(pg, &po->nwords);
	/* build_pgtable_complete_mask(), ptdump_initialize(): every word's
	 * mask; x86's PTE_FLAGS_MASK is what is not the PFN. */
	for (size_t i = 0; i < po->nwords; i++)
		po->mask |= po->words[i].mask;
	if (po->style == PTDUMP_X86)
		po->mask = ~(pg->phys_addr_mask & ~0xfffull);
	/* The markers, and the sentinel { -1, NULL } the kernel ends them
	 * with. A process's table has the kernel's markers on x86_64
	 * (current_user); elsewhere the kernel dumps no user table, and
	 * one "User Space" marker heads it. */
	if (user && po->style != PTDUMP_X86) {
		po->markers[po->nmarkers++] = (struct pt_marker){ 0, "User Space", 0 };
	} else {
		for (unsigned i = 0; i < rg->nmarkers && po->nmarkers < PT_MAX_MARKERS; i++)
			po->markers[po->nmarkers++] = rg->m[i];
	}
	po->markers[po->nmarkers] = (struct pt_marker){ po->addr_mask, NULL, 0 };
}

static inline uint64_t next_marker(const struct ptdump_out *po)
{
	return po->markers[po->marker + 1 <= po->nmarkers ? po->marker + 1 : po->nmarkers].start;
}


/* ---- Lines, and what ptwalk says of them ----------------------------
 * Without --ptdump-gangs each line goes out as it is made. With it, a
 * data line waits until the walk is past it by the largest gang's span,
 * so that every folded gang in its range (walk_params.on_entry, which
 * the fold calls after the slots) is counted; then it goes out followed
 * by a line "# ptwalk: ..." naming them. grep -v '^#' gives back the
 * kernel's lines exactly. */

static void pd_commit(struct ptdump_out *po);

static void pd_printf(struct ptdump_out *po, const char *fmt, ...)
{
	va_list ap;
	size_t room = sizeof po->text - po->text_len;
	va_start(ap, fmt);
	int n = vsnprintf(po->text + po->text_len, room, fmt, ap);
	va_end(ap);
	if (n > 0)
		po->text_len += (size_t)n < room ? (size_t)n : room - 1;
	if (po->text_len && po->text[po->text_len - 1] == '\n')
		pd_commit(po);
}

/* The data line about to be printed covers [po->start, END). */
static void line_begin(struct ptdump_out *po, uint64_t end)
{
	po->line_data = true;
	po->line_start = po->start;
	po->line_end = end;
}

static void pd_out_chunk(struct ptdump_out *po, const struct pd_chunk *c)
{
	out_write(c->text, c->len);
	if (!c->data || !c->ngangs)
		return;
	out_printf("# ptwalk:");
	for (unsigned i = 0; i < c->ngangs; i++) {
		char size[32];
		format_size(size, sizeof size, c->gangs[i].size);
		out_printf("%s %llu %s %s", i ? "," : "", (unsigned long long)c->gangs[i].n,
			   pt_form_names[c->gangs[i].form], size);
		if (c->gangs[i].partial)
			out_printf(" (%llu partial or with anomalies)", (unsigned long long)c->gangs[i].partial);
	}
	out_printf(" folded\n");
}

static void pd_flush(struct ptdump_out *po, uint64_t upto, bool all)
{
	size_t i = 0;
	for (; i < po->nchunks; i++) {
		const struct pd_chunk *c = &po->chunks[i];
		if (!all && c->data && !(c->end && c->end + po->span <= upto && c->end > c->start))
			break;
		pd_out_chunk(po, c);
		free(c->text);
	}
	if (i) {
		memmove(po->chunks, po->chunks + i, (po->nchunks - i) * sizeof *po->chunks);
		po->nchunks -= i;
	}
}

static void pd_commit(struct ptdump_out *po)
{
	if (!po->annotate) {
		out_write(po->text, po->text_len);
	} else {
		if (po->nchunks == PD_MAX_CHUNKS)
			pd_flush(po, 0, true);	/* bounded: notes may be lost */
		if (po->nchunks == po->capchunks) {
			po->capchunks = po->capchunks ? po->capchunks * 2 : 64;
			po->chunks = xrealloc(po->chunks, po->capchunks * sizeof *po->chunks);
		}
		struct pd_chunk *c = &po->chunks[po->nchunks++];
		memset(c, 0, sizeof *c);
		c->text = xmalloc(po->text_len);
		memcpy(c->text, po->text, po->text_len);
		c->len = po->text_len;
		c->data = po->line_data;
		c->start = po->line_start;
		c->end = po->line_end;
		/* The gangs already counted for the run this line ends. */
		if (c->data) {
			c->ngangs = po->run_ngangs;
			memcpy(c->gangs, po->run_gangs, sizeof c->gangs);
			po->run_ngangs = 0;
		}
	}
	po->text_len = 0;
	po->line_data = false;
}

static void gang_add(struct pd_gang *g, unsigned *n, const struct logical_entry *le)
{
	for (unsigned i = 0; i < *n; i++) {
		if (g[i].form == le->form && g[i].size == le->size) {
			g[i].n++;
			g[i].partial += le->anomalies != 0;
			return;
		}
	}
	if (*n == PD_MAX_GANGS)
		return;
	g[*n] = (struct pd_gang){ .form = le->form, .size = le->size, .n = 1,
				  .partial = le->anomalies != 0 };
	++*n;
}

int ptdump_entry(void *arg, const struct logical_entry *le)
{
	struct ptdump_out *po = arg;
	if (!po->annotate || le->d.kind != PTK_LEAF || le->form == FORM_SINGLE ||
	    le->form == FORM_ALIAS || le->form == FORM_TABLE)
		return 0;
	/* A line already made holds it, or the run still open does. */
	for (size_t i = po->nchunks; i-- > 0;) {
		struct pd_chunk *c = &po->chunks[i];
		if (c->data && le->va >= c->start && le->va < c->end) {
			gang_add(c->gangs, &c->ngangs, le);
			return 0;
		}
	}
	gang_add(po->run_gangs, &po->run_ngangs, le);
	return 0;
}

static void print_marker(struct ptdump_out *po)
{
	const char *name = po->markers[po->marker].name;
	pd_printf(po, "---[ %s ]---\n", name ? name : "(null)");
}

static void advance_marker(struct ptdump_out *po)
{
	if (po->marker < po->nmarkers)
		po->marker++;
	print_marker(po);
}

/* dump_prot(): " %s" for each word, set or clear. */
static void words_out(struct ptdump_out *po, uint64_t prot, const char *sep)
{
	for (size_t i = 0; i < po->nwords; i++) {
		const struct attr_word *w = &po->words[i];
		const char *s = (prot & w->mask) == w->val ? w->set : w->clear;
		if (s)
			pd_printf(po, "%s%s", sep, s);
	}
}

/* ---- arm64 ---------------------------------------------------------- */

static void note_arm64(struct ptdump_out *po, uint64_t addr, int level, uint64_t val)
{
	static const char units[] = "KMGTPE";
	uint64_t prot = level >= 0 ? val & po->mask : 0;

	if (po->level == -1) {
		po->level = level;
		po->cur = prot;
		po->start = addr;
		print_marker(po);
	} else if (prot != po->cur || level != po->level || addr >= next_marker(po)) {
		const char *unit = units;
		line_begin(po, addr);
		pd_printf(po, "0x%016llx-0x%016llx   ", (unsigned long long)po->start,
			   (unsigned long long)addr);
		uint64_t delta = (addr - po->start) >> 10;
		while (!(delta & 1023) && unit[1]) {
			delta >>= 10;
			unit++;
		}
		pd_printf(po, "%9llu%c %s", (unsigned long long)delta, *unit,
			   po->level >= 0 ? arm64_levels[po->level] : "");
		if (po->cur)
			words_out(po, po->cur, " ");
		pd_printf(po, "\n");
		if (addr >= next_marker(po))
			advance_marker(po);
		po->start = addr;
		po->cur = prot;
		po->level = level;
	}
	if (addr >= next_marker(po))
		advance_marker(po);
}

/* ---- x86_64 --------------------------------------------------------- */

#define X86_PRESENT (1ull << 0)
#define X86_RW (1ull << 1)
#define X86_USER (1ull << 2)
#define X86_PWT (1ull << 3)
#define X86_PCD (1ull << 4)
#define X86_PSE (1ull << 7)
#define X86_PAT (1ull << 7)
#define X86_GLOBAL (1ull << 8)
#define X86_PAT_LARGE (1ull << 12)
#define X86_NX (1ull << 63)

static void printk_prot(struct ptdump_out *po, uint64_t pr, int level)
{
	char buf[64], *p = buf;
	if (!(pr & X86_PRESENT)) {
		p += sprintf(p, "                              ");
	} else {
		p += sprintf(p, "%s", pr & X86_USER ? "USR " : "    ");
		p += sprintf(p, "%s", pr & X86_RW ? "RW " : "ro ");
		p += sprintf(p, "%s", pr & X86_PWT ? "PWT " : "    ");
		p += sprintf(p, "%s", pr & X86_PCD ? "PCD " : "    ");
		/* Bit 7 has a different meaning on level 3 vs 4 */
		p += sprintf(p, "%s", level <= 3 && (pr & X86_PSE) ? "PSE " : "    ");
		p += sprintf(p, "%s", (level == 4 && (pr & X86_PAT)) ||
				      ((level == 3 || level == 2) && (pr & X86_PAT_LARGE)) ? "PAT " : "    ");
		p += sprintf(p, "%s", pr & X86_GLOBAL ? "GLB " : "    ");
		p += sprintf(p, "%s", pr & X86_NX ? "NX " : "x  ");
	}
	pd_printf(po, "%s%s\n", buf, level >= 0 && level <= 4 ? x86_levels[level] : "");
}

/* effective_prot(): USR and RW only where every level above allows
 * them, NX where any level sets it. */
static void x86_effective(struct ptdump_out *po, int level, uint64_t val)
{
	uint64_t prot = val & po->mask, eff;
	if (level > 0) {
		uint64_t higher = po->prot_levels[level - 1];
		eff = (higher & prot & (X86_USER | X86_RW)) | ((higher | prot) & X86_NX);
	} else {
		eff = prot;
	}
	po->prot_levels[level] = eff;
}

static void note_x86(struct ptdump_out *po, uint64_t addr, int level, uint64_t val)
{
	static const char units[] = "BKMGTPE";
	uint64_t new_prot = val & po->mask;
	uint64_t new_eff = !val ? 0 : level >= 0 ? po->prot_levels[level] : 0;

	if (po->level == -1) {
		po->cur = new_prot;
		po->eff = new_eff;
		po->level = level;
		po->marker = 0;
		po->lines = 0;
		print_marker(po);
	} else if (new_prot != po->cur || new_eff != po->eff || level != po->level ||
		   addr >= next_marker(po)) {
		const char *unit = units;
		const struct pt_marker *m = &po->markers[po->marker];
		if (!m->max_lines || po->lines < m->max_lines) {
			line_begin(po, addr);
			pd_printf(po, "0x%016llx-0x%016llx   ", (unsigned long long)po->start,
				   (unsigned long long)addr);
			uint64_t delta = addr - po->start;
			while (!(delta & 1023) && unit[1]) {
				delta >>= 10;
				unit++;
			}
			pd_printf(po, "%9llu%c ", (unsigned long long)delta, *unit);
			printk_prot(po, po->cur, po->level);
		}
		po->lines++;
		if (addr >= next_marker(po)) {
			if (m->max_lines && po->lines > m->max_lines) {
				unsigned long long nskip = po->lines - m->max_lines;
				pd_printf(po, "... %llu entr%s skipped ... \n", nskip, nskip == 1 ? "y" : "ies");
			}
			po->lines = 0;
			advance_marker(po);
		}
		po->start = addr;
		po->cur = new_prot;
		po->eff = new_eff;
		po->level = level;
	}
}

/* ---- powerpc -------------------------------------------------------- */

static void ppc_update_state(struct ptdump_out *po, uint64_t addr, int level, uint64_t val)
{
	po->level = level;
	po->cur = level >= 0 ? val & po->mask : 0;
	po->start = addr;
	/* PTE_RPN_MASK: ~((1 << PAGE_SHIFT) - 1), 32 bits (nohash/32/pgtable.h);
	 * book3s64's is the entry's address bits (book3s/64/pgtable.h). */
	if (po->pg->arch->flat_space)
		po->start_pa = val & ~((1ull << po->pg->page_shift) - 1) & 0xffffffffull;
	else
		po->start_pa = val & po->pg->oa_raw_mask;
	while (addr >= next_marker(po) && po->marker < po->nmarkers)
		advance_marker(po);
}

static void note_ppc(struct ptdump_out *po, uint64_t addr, int level, uint64_t val)
{
	static const char units[] = " KMGTPE";
	uint64_t flag = level >= 0 ? val & po->mask : 0;

	if (po->level == -1) {
		print_marker(po);
		ppc_update_state(po, addr, level, val);
	} else if (flag != po->cur || level != po->level || addr >= next_marker(po)) {
		if (po->cur) {
			const char *unit = units;
			uint64_t size = (addr - po->start) & po->addr_mask;
			line_begin(po, addr);
			/* REG: "0x%016lx" on PPC64, "0x%08lx" else (6.12
			 * arch/powerpc/mm/ptdump/ptdump.c dump_addr()). */
			int w = po->pg->arch->flat_space ? 8 : 16;
			pd_printf(po, "0x%0*llx-0x%0*llx ", w, (unsigned long long)po->start, w,
				  (unsigned long long)((addr - 1) & po->addr_mask));
			pd_printf(po, " 0x%0*llx ", w, (unsigned long long)po->start_pa);
			while (!(size & 1023) && unit[1]) {
				size >>= 10;
				unit++;
			}
			pd_printf(po, "%9llu%c ", (unsigned long long)size, *unit);
			words_out(po, po->cur, "  ");
			pd_printf(po, "\n");
		}
		ppc_update_state(po, addr, level, val);
	}
}

/* ---- riscv64 -------------------------------------------------------- */

/* pg_level[].name after ptdump_init(): a folded level is named as the
 * pgd (6.12 arch/riscv/mm/ptdump.c). */
static const char *riscv_level(const struct ptdump_out *po, int level)
{
	static const char *const names[5] = { "PGD", "P4D", "PUD", "PMD", "PTE" };
	if (level < 0 || level > 4)
		return "";
	if ((level == 1 && po->pg->levels < 5) || (level == 2 && po->pg->levels < 4))
		return "PGD";
	return names[level];
}

/* PFN_PHYS(pte_pfn(__pte(val))): with Svnapot, a value with N set has
 * the lowest set bit of its PFN cleared (6.12 pgtable.h pte_pfn()). */
static uint64_t riscv_pa(uint64_t val)
{
	uint64_t pfn = (val >> 10) & ((1ull << 44) - 1);
	if (val >> 63)
		pfn &= pfn - 1;
	return pfn << 12;
}

static void note_riscv(struct ptdump_out *po, uint64_t addr, int level, uint64_t val)
{
	static const char units[] = "KMGTPE";
	uint64_t pa = riscv_pa(val);
	uint64_t prot = level >= 0 ? val & po->mask : 0;

	if (po->level == -1) {
		po->level = level;
		po->cur = prot;
		po->start = addr;
		po->start_pa = pa;
		print_marker(po);
	} else if (prot != po->cur || level != po->level || addr >= next_marker(po)) {
		if (po->cur) {
			const char *unit = units;
			line_begin(po, addr);
			pd_printf(po, "0x%016llx-0x%016llx   ", (unsigned long long)po->start,
				   (unsigned long long)addr);
			pd_printf(po, " 0x%016llx ", (unsigned long long)po->start_pa);
			uint64_t delta = (addr - po->start) >> 10;
			while (!(delta & 1023) && unit[1]) {
				delta >>= 10;
				unit++;
			}
			pd_printf(po, "%9llu%c %s", (unsigned long long)delta, *unit,
				   riscv_level(po, po->level));
			words_out(po, po->cur, " ");
			pd_printf(po, "\n");
		}
		while (addr >= next_marker(po) && po->marker < po->nmarkers)
			advance_marker(po);
		po->start = addr;
		po->start_pa = pa;
		po->cur = prot;
		po->level = level;
	}
}

static void note(struct ptdump_out *po, uint64_t addr, int level, uint64_t val)
{
	addr &= po->addr_mask;
	switch (po->style) {
	case PTDUMP_ARM64: note_arm64(po, addr, level, val); break;
	case PTDUMP_X86: note_x86(po, addr, level, val); break;
	case PTDUMP_PPC: note_ppc(po, addr, level, val); break;
	case PTDUMP_RISCV: note_riscv(po, addr, level, val); break;
	case PTDUMP_NONE: break;
	}
}

int ptdump_step(void *arg, const struct pt_step *s, uint64_t va)
{
	struct ptdump_out *po = arg;
	const struct paging *pg = po->pg;
	if (po->annotate && po->nchunks)
		pd_flush(po, va, false);
	/* A hugepd directory's entry is the huge page's pte. */
	int depth = s->hugepd ? 4 : (int)pg->arch->ptdump_depth(pg, s->level);

	if (s->st != READ_OK) {
		note(po, va, depth, 0);
		return 0;
	}
	if (s->uniform) {
		/* mm/ptdump.c note_kasan_page_table(): an entry pointing to
		 * KASAN's early shadow is one note at level 4 of the shadow
		 * pte's value, before and instead of effective_prot(). */
		note(po, va, 4, s->uniform_raw);
		return 0;
	}
	/* x86's effective_prot() runs for every entry the walk meets, a
	 * 4-level table's top ones at the folded pgd and at the p4d. */
	if (po->style == PTDUMP_X86 && s->d.kind != PTK_NONE) {
		if (depth == 1 && pg->levels == 4)
			x86_effective(po, 0, s->raw);
		x86_effective(po, depth, s->raw);
	}
	switch (s->d.kind) {
	case PTK_TABLE:
	case PTK_HUGEPD:
		return 0;
	case PTK_NONE:
		/* pte_entry() notes every pte as it is; pte_hole() notes
		 * an empty upper slot with 0. */
		note(po, va, depth, depth == 4 ? s->raw : 0);
		return 0;
	default:
		note(po, va, depth, s->raw);
		return 0;
	}
}

void ptdump_finish(struct ptdump_out *po)
{
	/* ptdump_walk_pgd(): "Flush out the last page". */
	note(po, 0, -1, 0);
	pd_flush(po, 0, true);
	free(po->chunks);
	po->chunks = NULL;
	po->capchunks = 0;
}
