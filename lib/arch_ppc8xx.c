/* SPDX-License-Identifier: GPL-2.0-or-later */
/* powerpc 8xx paging: 32-bit big-endian, two levels (1024 PGD entries of
 * 4M, 4K tables of 1024 cells), 4K or 16K pages. */
#include "config.h"

#include <elf.h>
#include <stdio.h>

#include "arch-private.h"
#include "region.h"
#include "vmcoreinfo.h"
#include "walk.h"

/* CONFIG_PAGE_OFFSET's default (Linux 6.1 arch/powerpc/Kconfig). */
#define DEFAULT_PAGE_OFFSET 0xc0000000ull

static bool ppc8xx_vmcoreinfo_matches(const struct vmcoreinfo *vi)
{
	/* Nothing in VMCOREINFO is 8xx's own; it is chosen from the ELF
	 * machine or --arch. */
	return false;
}

static int ppc8xx_setup(struct paging *pg, const struct paging_facts *f,
			const struct paging_options *opts, struct pt_error *err)
{
	const struct vmcoreinfo *vi = f->vmci;

	if (paging_page_size(pg, f, opts, 4096, err))
		return -1;
	/* CONFIG_PPC_4K_PAGES or CONFIG_PPC_16K_PAGES (Linux 6.1
	 * arch/powerpc/Kconfig, PPC_8xx). */
	if (pg->page_shift != 12 && pg->page_shift != 14)
		return pt_fail(err, PT_EXIT_IMAGE, "8xx pages are 4K or 16K, not %u bytes",
			       1u << pg->page_shift);
	pg->levels = 2;
	pg->va_bits = 32;
	if ((opts->levels && opts->levels != 2) || (opts->va_bits && opts->va_bits != 32))
		return pt_fail(err, PT_EXIT_USAGE, "8xx has 2 levels and 32-bit addresses");
	pg->phys_addr_mask = 0xfffff000u;

	/* va = pa + PAGE_OFFSET - MEMORY_START, MEMORY_START being 0 on 8xx
	 * (Linux 6.1 arch/powerpc/include/asm/page.h). kcore shows
	 * PAGE_OFFSET as the p_vaddr - p_paddr of its RAM segments. */
	uint64_t page_offset = DEFAULT_PAGE_OFFSET;
	const char *how = "CONFIG_PAGE_OFFSET default 0xc0000000";
	if (opts->page_offset_set) {
		page_offset = opts->page_offset;
		how = "--page-offset";
	} else if (f->linear_offset_known) {
		page_offset = f->linear_offset & 0xffffffffu;
		how = "PAGE_OFFSET seen in PT_LOADs";
	}
	if (vi->swapper_pg_dir.set && vi->swapper_pg_dir.v >= page_offset &&
	    vi->swapper_pg_dir.v <= 0xffffffffu) {
		pg->kernel_root.set = true;
		pg->kernel_root.v = vi->swapper_pg_dir.v - page_offset;
		snprintf(pg->kernel_root_how, sizeof pg->kernel_root_how,
			 "SYMBOL(swapper_pg_dir) - PAGE_OFFSET (%s)", how);
	}
	if (vi->kerneloffset.set)
		pg->kaslr_offset = vi->kerneloffset;

	/* The hardware's tables whatever the page size: 1024 L1 entries of
	 * 4M, L2 tables of 1024 cells of 4 bytes each mapping 4K; a 16K
	 * pte_t is 4 cells (Linux 6.12 arch/powerpc/include/asm/page_32.h
	 * PTE_SHIFT, pgtable-types.h). */
	pg->entry_size = 4;
	pg->level_shift[0] = 12;
	pg->level_bits[0] = 10;
	pg->level_shift[1] = 22;
	pg->level_bits[1] = 10;
	pg->oa_raw_mask = 0xfffff000u;
	pg->oa_simple = true;
	/* TASK_SIZE is CONFIG_TASK_SIZE (Linux 6.12 arch/powerpc/include/
	 * asm/task_size_32.h), 0x80000000 on 8xx by default (6.1 and 6.12
	 * arch/powerpc/Kconfig); at most PAGE_OFFSET. */
	pg->page_offset = page_offset;
	pg->user_end = (page_offset < 0x80000000u ? page_offset : 0x80000000u) - 1;
	return 0;
}

/* Cell and PMD bits, Linux 6.1 and 6.12 arch/powerpc/include/asm/nohash/
 * 32/pte-8xx.h (the two agree). */
#define P_PRESENT	0x0001
#define P_NO_CACHE	0x0002
#define P_SH		0x0004	/* no ASID compare: kernel pages */
#define P_SPS		0x0008	/* small page size: 16K, 512K or 8M */
#define P_GUARDED	0x0010
#define P_EXEC		0x0040
#define P_DIRTY		0x0100
#define P_NA		0x0200
#define P_RO		0x0600	/* NA | 0x400 */
#define P_HUGE		0x0800	/* 512K (or 8M) */
#define P_SWP_EXCLUSIVE	0x0004	/* swap entries only (nohash/32/pgtable.h) */
#define PMD_PRESENT	0x0001
#define PMD_PAGE_MASK	0x000c
#define PMD_PAGE_8M	0x000c

/* Bits that moved: "powerpc/8xx: Manage _PAGE_ACCESSED through APG bits
 * in L1 entry" (Linux 5.11) swapped _PAGE_ACCESSED and _PAGE_SPECIAL and
 * moved _PMD_USER from 0x20 to 0x40, adding _PMD_ACCESSED 0x20. */
static bool ppc8xx_new_bits(const struct paging *pg)
{
	return !pg->version || pg->version >= KVER(5, 11, 0);
}

/* Since Linux 6.11 (commit 0549e766 "powerpc/8xx: rework support for 8M
 * pages using contiguous PTE entries") an 8M page is a PMD pair with a
 * table each; before, both PMDs point to one hugepd. */
static bool ppc8xx_8m_tables(const struct paging *pg)
{
	return !pg->version || pg->version >= KVER(6, 11, 0);
}

static const char *const ppc8xx_cache_names[] = { "cached", "inhibited" };

static void ppc8xx_decode(const struct paging *pg, unsigned level, uint64_t raw,
			  struct pt_decoded *d)
{
	bool nb = ppc8xx_new_bits(pg);
	uint32_t v = (uint32_t)raw;

	*d = (struct pt_decoded){ 0 };
	if (!v)
		return;
	if (level == 1) {
		/* pmd_bad(): _PMD_BAD 0x0f90 (0x0fd0 before 5.11). */
		uint32_t bad = nb ? 0x0f90 : 0x0fd0;
		if (!(v & PMD_PRESENT) || (v & bad)) {
			d->kind = PTK_BAD;
			d->why = !(v & PMD_PRESENT) ? "PMD not present, yet not empty"
						    : "PMD with _PMD_BAD bits";
			return;
		}
		d->pa = v & 0xfffff000u;
		switch (v & PMD_PAGE_MASK) {
		case 0:
			d->kind = PTK_TABLE;
			break;
		case PMD_PAGE_8M:
			d->kind = ppc8xx_8m_tables(pg) ? PTK_TABLE : PTK_HUGEPD;
			d->paired = true;
			break;
		default:
			/* _PMD_PAGE_512K lives in MD_TWC, copied from the
			 * cell's _PAGE_HUGE at TLB miss; Linux never stores
			 * it in a PMD (Linux 6.12 head_8xx.S). */
			d->kind = PTK_BAD;
			d->why = "PMD with a page size other than 8M";
			break;
		}
		return;
	}

	if (!(v & P_PRESENT)) {
		/* Swap PTEs: the swap entry shifted left by 3, type in its
		 * low 5 bits, offset above (Linux 6.12 arch/powerpc/include/
		 * asm/nohash/32/pgtable.h __swp_type, __pte_to_swp_entry). */
		d->kind = PTK_SWAP;
		d->swap_type = (uint8_t)((v >> 3) & 0x1f);
		d->swap_offset = v >> 8;
		d->swap_kind = pt_swap_kind(pg, d->swap_type);
		if (v & P_SWP_EXCLUSIVE)
			d->flags |= PTF_EXCLUSIVE;
		return;
	}
	d->kind = PTK_LEAF;
	d->pa = v & 0xfffff000u;
	d->flags = PTF_PRESENT;
	/* pte_read(): (val & _PAGE_RO) != _PAGE_NA; pte_write(): no RO bit. */
	if ((v & P_RO) != P_NA)
		d->flags |= PTF_READ;
	if (!(v & P_RO))
		d->flags |= PTF_WRITE;
	/* Kernel mappings carry _PAGE_SH (_PAGE_KERNEL_*), user ones never. */
	if (v & P_SH)
		d->flags |= PTF_GLOBAL;
	else
		d->flags |= PTF_USER;
	if (v & P_EXEC)
		d->flags |= (v & P_SH) ? PTF_EXEC_KERNEL : PTF_EXEC_USER;
	if (v & P_DIRTY)
		d->flags |= PTF_DIRTY;
	if (v & (nb ? 0x20 : 0x80))
		d->flags |= PTF_YOUNG;
	if (v & (nb ? 0x80 : 0x20))
		d->flags |= PTF_SPECIAL;
	if (v & P_GUARDED)
		d->flags |= PTF_GUARDED;
	d->cache = (v & P_NO_CACHE) ? 1 : 0;
	/* pte_mkhuge() sets both; HUGE alone is no size the TLB knows. */
	if ((v & P_HUGE) && !(v & P_SPS))
		d->anomalies |= PTA_HUGE_WITHOUT_SPS;
}

/* How the kernel lays out the cells of one huge page or 16K pte. Cells
 * are the hardware's 4K slots whatever PAGE_SIZE; the MMU takes a 16K,
 * 512K or 8M page from any one cell and ignores the address bits below
 * the page size, so the kernel's paths disagree on the low bits without
 * harm, and each writes a page whole (Linux 5.10, 6.1, 6.12 and 7.2
 * arch/powerpc/mm/pgtable.c set_huge_pte_at(); 6.1
 * arch/powerpc/include/asm/nohash/32/pgtable.h and 6.12
 * nohash/32/pte-8xx.h pte_update(); nohash/pgtable.h __set_pte_at()):
 *   - set_huge_pte_at() writes every cell of a 512K or 8M page (or of a
 *     16K page on a 4K kernel) with the address stepping 4K;
 *   - __set_pte_at() writes a 16K pte as 4 identical cells;
 *   - pte_update(), on every flag change, rewrites the page: up to 6.1
 *     every cell stepping 4K, a 16K pte included; since "powerpc/8xx:
 *     Simplify pte_update() with 16k pages" (posted 2022-09-28 for 6.2:
 *     Debian's 6.1.192 has the old loop, 6.12 the new) groups of 4
 *     identical cells stepping PAGE_SIZE.
 * On a 4K kernel all of these are cells stepping 4K. */
#define PPC8XX_PTE_UPDATE_GROUPS KVER(6, 2, 0)

static const struct gang_layout cells_4k = { .rep = 1, .step = 4096 };
static const struct gang_layout groups_16k = { .rep = 4, .step = 16384 };

/* The largest gang: an 8M page, a pair of PMDs of 4M each. */
static unsigned ppc8xx_gang_span_shift(const struct paging *pg)
{
	return pg->level_shift[1] + 1;
}

/* The two PMDs of an 8M page are neighbours, the first at an even index
 * (Linux 6.12 arch/powerpc/mm/nohash/8xx.c __early_map_kernel_hugepage(),
 * arch/powerpc/mm/pgtable.c set_huge_pte_at()). */
static uint64_t ppc8xx_pair_slot(const struct paging *pg, uint64_t slot)
{
	return slot ^ pg->entry_size;
}

static bool ppc8xx_gang_of(const struct paging *pg, const struct phys_entry *pe,
			   struct gang_spec *gs)
{
	uint32_t v = (uint32_t)pe->raw;
	bool k16 = pg->page_shift == 14;
	/* Unknown release: accept what any release writes. */
	bool old_update = !pg->version || pg->version < PPC8XX_PTE_UPDATE_GROUPS;
	bool new_update = !pg->version || pg->version >= PPC8XX_PTE_UPDATE_GROUPS;

	*gs = (struct gang_spec){ .rep_anomaly = PTA_GANG_ATTR_MISMATCH };
	if (pe->level == 1) {
		/* The hugepd entry, met through each PMD of the pair. */
		gs->n = 2;
		gs->layout[0] = (struct gang_layout){ .rep = 2, .step = 8u << 20 };
		gs->nlayouts = 1;
		gs->size = gs->mmu_page = 8u << 20;
		gs->form = FORM_HUGEPD;
		gs->half_anomaly = PTA_8M_UNPAIRED;
		gs->rep_anomaly = PTA_8M_PAIR_UNEXPECTED;
		return true;
	}
	if ((pe->parent_raw & PMD_PAGE_MASK) == PMD_PAGE_8M) {
		gs->n = 2048;
		gs->size = 8u << 20;
		gs->form = FORM_8XX_8M;
		gs->half_anomaly = PTA_8M_UNPAIRED;
	} else if ((v & P_HUGE) && (v & P_SPS)) {
		gs->n = 128;
		gs->size = 512u << 10;
		gs->form = FORM_8XX_512K;
	} else if ((v & P_SPS) && !(v & P_HUGE)) {
		gs->n = 4;
		gs->size = 16384;
		gs->form = k16 ? FORM_SINGLE : FORM_8XX_16K;
	} else {
		return false;
	}
	gs->mmu_page = gs->size;
	if (!k16) {
		gs->layout[gs->nlayouts++] = cells_4k;
	} else if (gs->n == 4) {
		/* A 16K pte: __set_pte_at(), or an old pte_update(). */
		gs->layout[gs->nlayouts++] = groups_16k;
		if (old_update)
			gs->layout[gs->nlayouts++] = cells_4k;
	} else {
		/* set_huge_pte_at(), or a new pte_update(). */
		gs->layout[gs->nlayouts++] = cells_4k;
		if (new_update)
			gs->layout[gs->nlayouts++] = groups_16k;
	}
	return true;
}

static int ppc8xx_root_from_register(const struct paging *pg, uint64_t reg,
				     uint64_t *pa, struct pt_error *err)
{
	(void)pg;
	/* M_TWB holds the physical address of the current L1 table, 4K
	 * aligned (Linux 6.12 arch/powerpc/kernel/head_8xx.S). */
	if (reg > 0xffffffffu)
		return pt_fail(err, PT_EXIT_USAGE, "--pgd=0x%llx: 8xx addresses are 32-bit",
			       (unsigned long long)reg);
	*pa = reg & 0xfffff000u;
	return 0;
}

/* The attributes as the kernel's ptdump prints them: flag_array[] of
 * arch/powerpc/mm/ptdump/8xx.c (every level), bits from
 * arch/powerpc/include/asm/nohash/32/pte-8xx.h; "huge" is _PAGE_HUGE on a
 * 16K kernel, _PAGE_SPS on a 4K one. Linux 6.1 prints "user" for an
 * entry without _PAGE_SH; 6.12 no longer does. Between them the 8xx
 * page flags were reworked by the execute-only series merged in 6.7:
 * that release is taken as the first without it. */
#define PPC8XX_WORDS(huge, user) \
	{ huge, huge, "huge", "    ", 0 }, \
	{ 0x0004, user, "user", "    ", 0 },			/* _PAGE_SH clear */ \
	{ 0x0600, 0, "rw", NULL, 0 },				/* _PAGE_RO | _PAGE_NA */ \
	{ 0x0600, 0x0600, "r ", NULL, 0 },			/* _PAGE_RO */ \
	{ 0x0600, 0x0200, "  ", NULL, 0 },			/* _PAGE_NA */ \
	{ 0x0040, 0x0040, " X ", "   ", 0 },			/* _PAGE_EXEC */ \
	{ 0x0001, 0x0001, "present", "       ", 0 },		/* _PAGE_PRESENT */ \
	{ 0x0010, 0x0010, "guarded", "       ", 0 },		/* _PAGE_GUARDED */ \
	{ 0x0100, 0x0100, "dirty", "     ", 0 },		/* _PAGE_DIRTY */ \
	{ 0x0020, 0x0020, "accessed", "        ", 0 },		/* _PAGE_ACCESSED */ \
	{ 0x0002, 0x0002, "no cache", "        ", 0 },		/* _PAGE_NO_CACHE */ \
	{ 0x0080, 0x0080, "special", NULL, 0 },			/* _PAGE_SPECIAL */

/* Without "user": a value its mask never yields. */
static const struct attr_word ppc8xx_words[2][2][12] = {
	{ { PPC8XX_WORDS(0x0008, 0) }, { PPC8XX_WORDS(0x0800, 0) } },		/* to 6.6 */
	{ { PPC8XX_WORDS(0x0008, 1) }, { PPC8XX_WORDS(0x0800, 1) } },		/* 6.7 on */
};

static const struct attr_word *ppc8xx_attr_words(const struct paging *pg, uint64_t raw, size_t *n);
static const struct attr_word *ppc8xx_attr_words_ptdump(const struct paging *pg, size_t *n)
{
	return ppc8xx_attr_words(pg, 0, n);
}

static const struct attr_word *ppc8xx_attr_words(const struct paging *pg, uint64_t raw, size_t *n)
{
	(void)raw;
	bool old = pg->version && pg->version < KVER(6, 7, 0);
	*n = 12;
	return ppc8xx_words[!old][pg->page_shift == 14];
}

/* ---- Regions ---------------------------------------------------------
 * Linux 6.1 and 6.12 arch/powerpc/include/asm/nohash/32/pgtable.h,
 * mmu-8xx.h, fixmap.h and Kconfig: user space to TASK_SIZE
 * (CONFIG_TASK_SIZE, 0x80000000 on 8xx), modules below PAGE_OFFSET,
 * lowmem's linear map from PAGE_OFFSET to high_memory, vmalloc from 16M
 * above it to ioremap_bot, ioremap up to the fixmap, the fixmap below
 * FIXADDR_TOP = -PAGE_SIZE and the IMMR's 512K in it. high_memory and
 * ioremap_bot are variables: read from the image. */

static void ppc8xx_regions(const struct paging *pg, const struct region_facts *f,
			   struct pt_regions *rg)
{
	uint64_t page = 1ull << pg->page_shift;
	uint64_t page_offset = pg->page_offset;
	uint64_t task_size = page_offset < 0x80000000u ? page_offset : 0x80000000u;
	uint64_t high = 0, bot = 0;
	bool have_high = region_read_sym(f, RS_HIGH_MEMORY, &high);
	bool have_bot = region_read_sym(f, RS_IOREMAP_BOT, &bot);

	region_paint(rg, 0, task_size, RG_USER);
	region_paint(rg, task_size, 1ull << 32, RG_KERNEL);
	/* ptdump_range[]: TASK_SIZE_MAX to the top; populate_markers(). */
	rg->nranges = 1;
	rg->range_start[0] = task_size;
	rg->range_end[0] = 0xffffffffu;
	region_marker(rg, task_size, "Start of kernel VM");
	/* MODULES_VADDR: PAGE_OFFSET - SZ_256M in 6.1; from 6.10 (EXECMEM)
	 * MODULES_END - CONFIG_MODULES_SIZE (32M by default on 8xx). */
	uint64_t modules = page_offset - (pg->version >= KVER(6, 10, 0) ? 32 : 256) * (1ull << 20);
	region_paint(rg, modules, page_offset, RG_MODULES);
	region_marker(rg, modules, "modules start");
	region_marker(rg, page_offset, "modules end");
	/* fixmap.h: FIX_EARLY_DEBUG (128K), the IMMR aligned to 512K, then
	 * NR_FIX_BTMAPS (256K) times 16 slots; no HIGHMEM on 8xx. */
	uint64_t fixaddr_top = (1ull << 32) - page;
	uint64_t dbg = (128 * 1024) / page, immr_size = (512 * 1024) / page;
	uint64_t immr_start = dbg;
	uint64_t immr_base = ((immr_start + immr_size - 1) & ~(immr_size - 1)) - 1 + immr_size;
	uint64_t fix_end = immr_base + 1 + (256 * 1024 / page) * 16;
	uint64_t fixaddr_start = fixaddr_top - fix_end * page;
	uint64_t immr = fixaddr_top - immr_base * page;	/* __fix_to_virt(FIX_IMMR_BASE) */
	if (have_high) {
		/* VMALLOC_START = (high_memory + VMALLOC_OFFSET) & ~(16M - 1) */
		uint64_t vs = (high + (1ull << 24)) & ~((1ull << 24) - 1);
		region_paint(rg, page_offset, high, RG_LINEAR);
		if (have_bot && bot > vs) {
			region_paint(rg, vs, bot, RG_VMALLOC);
			region_marker(rg, vs, "vmalloc() Area");
			region_marker(rg, bot, "vmalloc() End");
		}
	}
	if (have_bot && bot < fixaddr_start) {
		region_paint(rg, bot, fixaddr_start, RG_IOREMAP);
		region_marker(rg, bot, "Early I/O remap start");
		region_marker(rg, fixaddr_start, "Early I/O remap end");
	}
	region_paint(rg, fixaddr_start, fixaddr_top, RG_FIXMAP);
	region_paint(rg, immr, immr + 512 * 1024, RG_IMMR);
	region_marker(rg, fixaddr_start, "Fixmap start");
	region_marker(rg, fixaddr_top, "Fixmap end");
	region_how(rg, "%s, %s", have_high ? "high_memory read" : "high_memory not known",
		   have_bot ? "ioremap_bot read" : "ioremap_bot not known");
	region_kernel_image(rg, f);
}

/* mm/pagewalk.c on two levels: the pmd is the top (depth 3). */
static unsigned ppc8xx_ptdump_depth(const struct paging *pg, unsigned level)
{
	(void)pg;
	return 4 - level;
}

const struct arch_ops arch_ppc8xx = {
	.name = "ppc8xx",
	.kdump_arch = "ppc",
	.elf_machine = EM_PPC,
	.elf_class = 32,
	.big_endian = true,
	.vmcoreinfo_matches = ppc8xx_vmcoreinfo_matches,
	.setup = ppc8xx_setup,
	.decode = ppc8xx_decode,
	.gang_of = ppc8xx_gang_of,
	.gang_span_shift = ppc8xx_gang_span_shift,
	.pair_slot = ppc8xx_pair_slot,
	.root_from_register = ppc8xx_root_from_register,
	.flat_space = true,
	/* RELOCATABLE depends on PPC64, 44x or 85xx (Linux 6.12 and 7.2
	 * arch/powerpc/Kconfig). */
	.relocatable = false,
	/* No ZONE_DEVICE (it needs SPARSEMEM_VMEMMAP), no
	 * ARCH_SUPPORTS_MEMORY_FAILURE, no userfaultfd-wp on 32-bit powerpc
	 * (6.12 arch/powerpc/Kconfig, mm/Kconfig). */
	.device_private = false,
	.memory_failure = false,
	.uffd_wp_since = 0,
	.cache_names = ppc8xx_cache_names,
	.attr_words = ppc8xx_attr_words,
	.regions = ppc8xx_regions,
	.ptdump_style = PTDUMP_PPC,
	.ptdump_depth = ppc8xx_ptdump_depth,
	.ptdump_words = ppc8xx_attr_words_ptdump,
};
