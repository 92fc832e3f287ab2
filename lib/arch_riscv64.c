/* SPDX-License-Identifier: GPL-2.0-or-later */
/* riscv64 paging: Sv39, Sv48 or Sv57, 3 to 5 levels of 512 eight-byte
 * entries, 4K pages, leaves at any level, and Svnapot: a 64K page as 16
 * ptes holding one value (since Linux 6.3).
 *
 * Sources: the RISC-V privileged architecture (Sv39/48/57, Svnapot,
 * Svpbmt) and Linux 6.12 and 7.2 arch/riscv/include/asm/pgtable-bits.h,
 * pgtable-64.h, pgtable.h, arch/riscv/mm/hugetlbpage.c,
 * arch/riscv/kernel/vmcore_info.c; 6.1 where older releases differ. */
#include "config.h"

#include <elf.h>
#include <stdio.h>

#include "arch-private.h"
#include "region.h"
#include "vmcoreinfo.h"
#include "walk.h"

#ifndef EM_RISCV
#define EM_RISCV 243
#endif

/* PTE bits (Linux 6.12 arch/riscv/include/asm/pgtable-bits.h and
 * pgtable-64.h: | 63 N | 62-61 MT | 60-54 RSV | 53-10 PFN | 9-8 RSW |
 * D A G U X W R V). */
#define RV_V		(1ull << 0)	/* _PAGE_PRESENT */
#define RV_R		(1ull << 1)
#define RV_W		(1ull << 2)
#define RV_X		(1ull << 3)
#define RV_U		(1ull << 4)
#define RV_G		(1ull << 5)	/* _PAGE_PROT_NONE when !V */
#define RV_A		(1ull << 6)	/* _PAGE_SWP_EXCLUSIVE in swap entries (6.3+) */
#define RV_D		(1ull << 7)
#define RV_SPECIAL	(1ull << 8)	/* RSW bit 0 */
#define RV_DEVMAP	(1ull << 9)	/* RSW bit 1, 6.12 (not in 6.1 or 7.2) */
#define RV_LEAF		(RV_R | RV_W | RV_X)	/* _PAGE_LEAF */
#define RV_PFN_SHIFT	10
#define RV_PFN_MASK	(((1ull << 44) - 1) << RV_PFN_SHIFT)	/* GENMASK(53, 10) */
#define RV_SOFT_DIRTY	(1ull << 59)	/* Svrsw60t59b, 7.2 */
#define RV_UFFD_WP	(1ull << 60)	/* Svrsw60t59b, 7.2 */
#define RV_RSV_MASK	(0x7full << 54)	/* bits 60-54, reserved */
#define RV_MT_SHIFT	61		/* Svpbmt: 0 PMA, 1 NC, 2 IO, 3 reserved */
#define RV_MT_MASK	(3ull << RV_MT_SHIFT)
#define RV_NAPOT	(1ull << 63)
/* Swap entries (6.3+): exclusive 6, type 7-11, offset 12-63; 7.2 adds
 * soft-dirty in bit 3 and uffd-wp in bit 4 (_PAGE_SWP_SOFT_DIRTY,
 * _PAGE_SWP_UFFD_WP). 6.1: type 6-10, offset 11-63, no exclusive bit. */

/* Releases the layout changed in. */
#define RV_SWP_EXCLUSIVE_SINCE KVER(6, 3, 0)	/* "riscv/mm: support __HAVE_ARCH_PTE_SWP_EXCLUSIVE" */
#define RV_NAPOT_SINCE KVER(6, 3, 0)		/* "riscv: mm: support Svnapot in hugetlb page" */
/* 6.12 has none of these, 7.2 all: PAGE_SHADOWSTACK (a user leaf with W
 * and not R), and with Svrsw60t59b soft-dirty and uffd-wp in bits 59
 * and 60 of leaves and 3 and 4 of swap entries. Releases between are
 * given the benefit of the doubt. */
#define RV_72_BITS_AFTER KVER(6, 12, 255)

static bool rv_new(const struct paging *pg, uint32_t since)
{
	return !pg->version || pg->version >= since;
}

static bool riscv64_vmcoreinfo_matches(const struct vmcoreinfo *vi)
{
	/* phys_ram_base and va_kernel_pa_offset are riscv's own (6.12
	 * arch/riscv/kernel/vmcore_info.c, since 6.2's crash_core.c). */
	return vi->phys_ram_base.set || vi->va_kernel_pa_offset.set;
}

/* The PPN of an entry as a physical address, NAPOT's size bits left in. */
static inline uint64_t rv_ppn_pa(uint64_t raw)
{
	return ((raw & RV_PFN_MASK) >> RV_PFN_SHIFT) << 12;
}

/* pte_pfn(): with Svnapot, a NAPOT pte's PFN with its lowest set bit
 * cleared (res & (res - 1)), the 64K page's first frame. */
static uint64_t riscv64_oa(const struct paging *pg, uint64_t raw)
{
	(void)pg;
	uint64_t pfn = (raw & RV_PFN_MASK) >> RV_PFN_SHIFT;
	if ((raw & RV_NAPOT) && (raw & RV_V) && (raw & RV_LEAF))
		pfn &= pfn - 1;
	return pfn << 12;
}

static int riscv64_setup(struct paging *pg, const struct paging_facts *f,
			 const struct paging_options *opts, struct pt_error *err)
{
	const struct vmcoreinfo *vi = f->vmci;

	if (paging_page_size(pg, f, opts, 4096, err))
		return -1;
	if (pg->page_shift != 12)
		return pt_fail(err, PT_EXIT_IMAGE, "riscv64 pages are 4096 bytes, not %u",
			       1u << pg->page_shift);
	/* VA_BITS is the mode the kernel runs in: 57, 48 or 39 as
	 * pgtable_l5_enabled and pgtable_l4_enabled say (6.12 pgtable.h),
	 * NUMBER(VA_BITS) since 6.2. Before 5.17 only Sv39 existed. */
	const char *how;
	if (opts->va_bits) {
		pg->va_bits = opts->va_bits;
		how = "--va-bits";
	} else if (opts->levels) {
		pg->va_bits = 12 + 9 * opts->levels;
		how = "--levels";
	} else if (vi->va_bits.set) {
		pg->va_bits = (unsigned)vi->va_bits.v;
		how = "NUMBER(VA_BITS)";
	} else if (pg->version && pg->version < KVER(5, 17, 0)) {
		pg->va_bits = 39;
		how = "the release (Sv39 only before 5.17)";
	} else {
		return pt_fail(err, PT_EXIT_IMAGE,
			       "no NUMBER(VA_BITS) in VMCOREINFO to tell Sv39, Sv48 or Sv57; give --va-bits");
	}
	if (pg->va_bits != 39 && pg->va_bits != 48 && pg->va_bits != 57)
		return pt_fail(err, PT_EXIT_IMAGE,
			       "VA size of %u bits (from %s) is none of Sv39, Sv48, Sv57", pg->va_bits, how);
	pg->levels = (pg->va_bits - 12) / 9;
	if (opts->levels && opts->levels != pg->levels)
		return pt_fail(err, PT_EXIT_USAGE, "--levels=%u does not match %u-bit VA (%u levels)",
			       opts->levels, pg->va_bits, pg->levels);

	/* 44-bit PPN: 56-bit physical addresses. */
	pg->phys_addr_mask = ((1ull << 56) - 1) & ~0xfffull;
	pg->entry_size = 8;
	for (unsigned l = 0; l < pg->levels; l++) {
		pg->level_shift[l] = 12 + 9 * l;
		pg->level_bits[l] = 9;
	}
	pg->oa_raw_mask = RV_PFN_MASK;
	pg->oa_simple = false;
	/* TASK_SIZE_64 = PGDIR_SIZE * PTRS_PER_PGD / 2: the lower half. */
	pg->user_end = (1ull << (pg->va_bits - 1)) - 1;
	if (vi->page_offset.set)
		pg->page_offset = vi->page_offset.v;

	/* swapper_pg_dir is in the kernel image, mapped at
	 * kernel_map.virt_addr: its PA is VA - va_kernel_pa_offset
	 * (kernel_mapping_va_to_pa(), 6.12 arch/riscv/include/asm/page.h). */
	if (vi->swapper_pg_dir.set && vi->va_kernel_pa_offset.set) {
		pg->kernel_root.set = true;
		pg->kernel_root.v = vi->swapper_pg_dir.v - vi->va_kernel_pa_offset.v;
		snprintf(pg->kernel_root_how, sizeof pg->kernel_root_how,
			 "SYMBOL(swapper_pg_dir) - NUMBER(va_kernel_pa_offset)");
	} else if (vi->swapper_pg_dir.set && vi->page_offset.set && vi->phys_ram_base.set &&
		   vi->swapper_pg_dir.v >= vi->page_offset.v) {
		/* Through the linear map: linear_mapping_va_to_pa(). */
		pg->kernel_root.set = true;
		pg->kernel_root.v = vi->swapper_pg_dir.v - vi->page_offset.v + vi->phys_ram_base.v;
		snprintf(pg->kernel_root_how, sizeof pg->kernel_root_how,
			 "SYMBOL(swapper_pg_dir) - NUMBER(PAGE_OFFSET) + NUMBER(phys_ram_base)");
	}
	if (vi->kerneloffset.set)
		pg->kaslr_offset = vi->kerneloffset;
	/* NUMBER(satp) (7.2): the root and mode the crashing CPU ran with. */
	if (vi->satp.set) {
		unsigned mode = (unsigned)(vi->satp.v >> 60);
		unsigned want = pg->va_bits == 39 ? 8 : pg->va_bits == 48 ? 9 : 10;
		if (mode != want && !opts->va_bits && !opts->levels)
			return pt_fail(err, PT_EXIT_IMAGE,
				       "NUMBER(satp) 0x%llx says mode %u, not Sv%u's %u as %s says",
				       (unsigned long long)vi->satp.v, mode, pg->va_bits, want, how);
	}
	return 0;
}

/* Svpbmt memory types (6.12 pgtable-64.h). */
static const char *const riscv64_cache_names[] = { "pma", "nc", "io", "mt-reserved" };

static void riscv64_decode(const struct paging *pg, unsigned level, uint64_t raw,
			   struct pt_decoded *d)
{
	bool v72 = !pg->version || pg->version > RV_72_BITS_AFTER;

	*d = (struct pt_decoded){ 0 };
	if (!raw)
		return;
	if (raw & RV_V) {
		if (!(raw & RV_LEAF)) {
			/* A pointer to the next level. The spec reserves D, A,
			 * U, N and PBMT in non-leaf entries; the kernel writes
			 * _PAGE_TABLE (V) and the PFN only (pfn_pmd(...,
			 * __pgprot(_PAGE_TABLE))). */
			if (level == 0) {
				d->kind = PTK_BAD;
				d->why = "pointer to a table at the page level";
			} else if (raw & (RV_D | RV_A | RV_U | RV_NAPOT | RV_MT_MASK | RV_RSV_MASK)) {
				d->kind = PTK_BAD;
				d->why = "table entry with bits the spec reserves in non-leaf entries";
			} else {
				d->kind = PTK_TABLE;
				d->pa = rv_ppn_pa(raw);
			}
			return;
		}
		if ((raw & (RV_R | RV_W)) == RV_W && !(v72 && level == 0 && (raw & RV_U) && !(raw & RV_X))) {
			/* W without R is reserved, but for 7.2's user shadow
			 * stack pages (PAGE_SHADOWSTACK: _PAGE_BASE |
			 * _PAGE_WRITE). */
			d->kind = PTK_BAD;
			d->why = "writable and not readable (reserved)";
			return;
		}
		if ((raw & RV_MT_MASK) == RV_MT_MASK) {
			d->kind = PTK_BAD;
			d->why = "memory type 3 (reserved by Svpbmt)";
			return;
		}
		uint64_t rsv = raw & RV_RSV_MASK;
		if (v72)
			rsv &= ~(RV_SOFT_DIRTY | RV_UFFD_WP);
		if (rsv) {
			/* T-Head C9xx kernels keep their memory types in bits
			 * 63-59 (_PAGE_MTMASK_THEAD): such images read as this. */
			d->kind = PTK_BAD;
			d->why = "reserved bits 54-60 set (a T-Head memory type?)";
			return;
		}
		if (raw & RV_NAPOT) {
			/* Svnapot: only at the page level, only 64K (ppn[3:0]
			 * = 1000, napot_cont_order() 4; NAPOT_ORDER_MAX 5). */
			uint64_t ppn = (raw & RV_PFN_MASK) >> RV_PFN_SHIFT;
			if (level != 0) {
				d->kind = PTK_BAD;
				d->why = "NAPOT bit above the page level (reserved)";
				return;
			}
			if ((ppn & 0xf) != 0x8) {
				d->kind = PTK_BAD;
				d->why = "NAPOT size other than 64K (reserved)";
				return;
			}
			if (!rv_new(pg, RV_NAPOT_SINCE)) {
				d->kind = PTK_BAD;
				d->why = "NAPOT pte before 6.3";
				return;
			}
			d->flags |= PTF_CONT;
		}
		d->kind = PTK_LEAF;
		d->flags |= PTF_PRESENT;
	} else {
		if ((raw & (RV_V | RV_G)) == RV_G) {
			/* pte_protnone(): G without V; PAGE_NONE is
			 * _PAGE_PROT_NONE | _PAGE_READ. */
			d->kind = PTK_LEAF;
			d->flags = PTF_PRESENT | PTF_PROTNONE;
		} else if (level == 1 && (raw & RV_LEAF)) {
			/* pmd_present() counts a leaf without V or PROT_NONE
			 * (pmdp_invalidate(): pmd_mkinvalid() clears both). */
			d->kind = PTK_LEAF;
			d->flags = PTF_PRESENT;
		} else if (level <= 1) {
			/* Swap (a pte, or a pmd for THP migration). */
			uint64_t zero = RV_R | RV_W | (v72 ? 0 : RV_X | RV_U);
			bool old = !rv_new(pg, RV_SWP_EXCLUSIVE_SINCE);
			if (old)
				zero = RV_LEAF | RV_U;
			if (raw & zero) {
				d->kind = PTK_BAD;
				d->why = "not present, with bits a swap entry leaves zero";
				return;
			}
			d->kind = PTK_SWAP;
			if (old) {
				d->swap_type = (uint8_t)((raw >> 6) & 31);
				d->swap_offset = raw >> 11;
			} else {
				d->swap_type = (uint8_t)((raw >> 7) & 31);
				d->swap_offset = raw >> 12;
				if (raw & RV_A)
					d->flags |= PTF_EXCLUSIVE;
				if (raw & RV_X)
					d->flags |= PTF_SOFT_DIRTY;
				if (raw & RV_U)
					d->flags |= PTF_UFFD_WP;
			}
			d->swap_kind = pt_swap_kind(pg, d->swap_type);
			return;
		} else {
			d->kind = PTK_BAD;
			d->why = "not present above the pmd level";
			return;
		}
	}

	d->pa = riscv64_oa(pg, raw);
	if (level > 0 && (d->pa & ((1ull << pg->level_shift[level]) - 1))) {
		/* A misaligned superpage: the MMU faults on it (privileged
		 * spec 12.3.2, step 6); the kernel never writes one. */
		d->anomalies |= PTA_LEAF_RESERVED_BITS;
	}
	if (raw & RV_R)
		d->flags |= PTF_READ;
	if (raw & RV_W)
		d->flags |= PTF_WRITE;
	if (raw & RV_U) {
		d->flags |= PTF_USER;
		if (raw & RV_X)
			d->flags |= PTF_EXEC_USER;
	} else if (raw & RV_X) {
		/* Supervisor mode never executes U pages. */
		d->flags |= PTF_EXEC_KERNEL;
	}
	/* Without V, G is _PAGE_PROT_NONE. */
	if ((raw & RV_G) && (raw & RV_V))
		d->flags |= PTF_GLOBAL;
	if (raw & RV_D)
		d->flags |= PTF_DIRTY;
	if (raw & RV_A)
		d->flags |= PTF_YOUNG;
	if (raw & RV_SPECIAL)
		d->flags |= PTF_SPECIAL;
	/* _PAGE_DEVMAP: in 6.12, gone with devmap in 6.17, absent from 6.1
	 * (whose RSW bit 1 no kernel path writes); which release between
	 * added it is not pinned here. */
	if ((raw & RV_DEVMAP) && (!pg->version || (pg->version >= KVER(6, 2, 0) &&
						 pg->version < KVER(6, 17, 0))))
		d->flags |= PTF_DEVMAP;
	if (v72 && (raw & RV_SOFT_DIRTY))
		d->flags |= PTF_SOFT_DIRTY;
	if (v72 && (raw & RV_UFFD_WP))
		d->flags |= PTF_UFFD_WP;
	d->cache = (uint8_t)((raw & RV_MT_MASK) >> RV_MT_SHIFT);
}

/* A NAPOT 64K page: 16 ptes holding one value (set_huge_pte_at():
 * set_ptes() of pte_num copies; 6.12 arch/riscv/mm/hugetlbpage.c). */
static bool riscv64_gang_of(const struct paging *pg, const struct phys_entry *pe,
			    struct gang_spec *gs)
{
	(void)pg;
	if (pe->level != 0 || !(pe->d.flags & PTF_CONT))
		return false;
	*gs = (struct gang_spec){
		.n = 16, .layout = { { .rep = 16, .step = 1ull << 16 } }, .nlayouts = 1,
		.size = 1ull << 16, .mmu_page = 1ull << 16, .form = FORM_NAPOT,
		.rep_anomaly = PTA_GANG_ATTR_MISMATCH,
	};
	return true;
}

static unsigned riscv64_gang_span_shift(const struct paging *pg)
{
	(void)pg;
	return 16;
}

/* huge_ptep_get() ORs dirty and young over the 16 ptes: they may
 * differ in A and D (6.12 arch/riscv/mm/hugetlbpage.c). */
static uint64_t riscv64_gang_legal_diff(const struct paging *pg, uint64_t first, uint64_t other)
{
	(void)pg, (void)first, (void)other;
	return RV_A | RV_D;
}

/* satp: MODE [63:60] (8 Sv39, 9 Sv48, 10 Sv57), ASID [59:44], PPN
 * [43:0]; a bare value is taken as the root's PA. */
static int riscv64_root_from_register(const struct paging *pg, uint64_t reg, uint64_t *pa,
				      struct pt_error *err)
{
	unsigned mode = (unsigned)(reg >> 60);
	if (!mode) {
		if (reg & 0xfff)
			return pt_fail(err, PT_EXIT_USAGE,
				       "--pgd=0x%llx: not a page-aligned table address",
				       (unsigned long long)reg);
		*pa = reg;
		return 0;
	}
	unsigned want = pg->va_bits == 39 ? 8 : pg->va_bits == 48 ? 9 : 10;
	if (mode != want)
		return pt_fail(err, PT_EXIT_USAGE, "--pgd=0x%llx: satp mode %u is not Sv%u's %u",
			       (unsigned long long)reg, mode, pg->va_bits, want);
	*pa = (reg & ((1ull << 44) - 1)) << 12;
	return 0;
}

/* The kernel's ptdump words, pte_bits[] of 6.12 arch/riscv/mm/ptdump.c
 * (its MT(%s) and RSW(%d) printed with their values). */
static const struct attr_word riscv64_words[] = {
	{ RV_NAPOT, RV_NAPOT, "N", ".", 0 },
	{ RV_MT_MASK, 1ull << RV_MT_SHIFT, "MT(NC)", NULL, 0 },
	{ RV_MT_MASK, 2ull << RV_MT_SHIFT, "MT(IO)", NULL, 0 },
	{ RV_MT_MASK, 3ull << RV_MT_SHIFT, "MT(?" "?)", NULL, 0 },
	{ RV_MT_MASK, 0, "  ..  ", NULL, 0 },
	{ 3ull << 8, 1ull << 8, "RSW(1)", NULL, 0 },
	{ 3ull << 8, 2ull << 8, "RSW(2)", NULL, 0 },
	{ 3ull << 8, 3ull << 8, "RSW(3)", NULL, 0 },
	{ 3ull << 8, 0, "  ..  ", NULL, 0 },
	{ RV_D, RV_D, "D", ".", 0 },
	{ RV_A, RV_A, "A", ".", 0 },
	{ RV_G, RV_G, "G", ".", 0 },
	{ RV_U, RV_U, "U", ".", 0 },
	{ RV_X, RV_X, "X", ".", 0 },
	{ RV_W, RV_W, "W", ".", 0 },
	{ RV_R, RV_R, "R", ".", 0 },
	{ RV_V, RV_V, "V", ".", 0 },
};

static const struct attr_word *riscv64_attr_words(const struct paging *pg, uint64_t raw, size_t *n)
{
	(void)pg, (void)raw;
	*n = sizeof riscv64_words / sizeof riscv64_words[0];
	return riscv64_words;
}

/* ---- Regions ---------------------------------------------------------
 * 6.12 arch/riscv/include/asm/pgtable.h, top down from the linear map:
 * VMALLOC_END = PAGE_OFFSET, VMALLOC_START = VMEMMAP_END,
 * VMEMMAP_START, PCI_IO [VMEMMAP_START - 16M, VMEMMAP_START), the fixmap
 * below it (FIXADDR_SIZE = PMD_SIZE + FIX_FDT_SIZE, 6M); the linear map
 * is KERN_VIRT_SIZE (a quarter of the space) from PAGE_OFFSET; modules
 * below the kernel image at KERNEL_LINK_ADDR, KASAN's shadow ending at
 * MODULES_LOWEST_VADDR. The bounds come from VMCOREINFO (since 6.2). */
#define RV_SZ_1M (1ull << 20)

static void riscv64_regions(const struct paging *pg, const struct region_facts *f,
			    struct pt_regions *rg)
{
	const struct vmcoreinfo *vi = f->vi;
	uint64_t kstart = -(1ull << (pg->va_bits - 1));

	region_paint(rg, 0, pg->user_end + 1, RG_USER);
	region_paint(rg, kstart, 0, RG_KERNEL);
	rg->nranges = 1;
	rg->range_start[0] = kstart;
	rg->range_end[0] = UINT64_MAX;
	if (!vi->page_offset.set || !vi->vmemmap_start.set || !vi->vmemmap_end.set ||
	    !vi->vmalloc_end.set) {
		region_how(rg, "no layout in VMCOREINFO (before 6.2)");
		region_kernel_image(rg, f);
		return;
	}
	uint64_t po = vi->page_offset.v;
	uint64_t vs = vi->vmemmap_start.v, ve = vi->vmemmap_end.v;
	uint64_t pci = vs - 16 * RV_SZ_1M;
	uint64_t fix = pci - 6 * RV_SZ_1M;
	uint64_t kvirt = 1ull << (pg->va_bits - 2);	/* KERN_VIRT_SIZE */

	region_paint(rg, fix, pci, RG_FIXMAP);
	region_paint(rg, pci, vs, RG_PCI_IO);
	region_paint(rg, vs, ve, RG_VMEMMAP);
	region_paint(rg, ve, vi->vmalloc_end.v, RG_VMALLOC);
	region_paint(rg, po, po + kvirt, RG_LINEAR);
	/* ptdump's address_markers[] (6.12 arch/riscv/mm/ptdump.c). */
	region_marker(rg, fix, "Fixmap start");
	region_marker(rg, pci, "Fixmap end");
	region_marker(rg, pci, "PCI I/O start");
	region_marker(rg, vs, "PCI I/O end");
	region_marker(rg, vs, "vmemmap start");
	region_marker(rg, ve, "vmemmap end");
	region_marker(rg, ve, "vmalloc() area");
	region_marker(rg, vi->vmalloc_end.v, "vmalloc() end");
	region_marker(rg, po, "Linear mapping");
	if (f->have[RS_KASAN_EARLY_SHADOW] && vi->kernel_link_addr.set) {
		/* KASAN_SHADOW_END = KERNEL_LINK_ADDR - SZ_2G, its size
		 * 2^(VA_BITS - 1 - 3), the start PGDIR-aligned down. */
		uint64_t end = vi->kernel_link_addr.v - 2048 * RV_SZ_1M;
		uint64_t pgdir = 1ull << pg->level_shift[pg->levels - 1];
		uint64_t start = (end - (1ull << (pg->va_bits - 4))) & ~(pgdir - 1);
		region_paint(rg, start, end, RG_KASAN);
		region_marker(rg, start, "Kasan shadow start");
		region_marker(rg, end, "Kasan shadow end");
		region_how(rg, "KASAN from kasan_early_shadow_page");
	}
	if (vi->modules_vaddr.set && vi->modules_end.set) {
		region_paint(rg, vi->modules_vaddr.v, vi->modules_end.v, RG_MODULES);
		region_marker(rg, vi->modules_vaddr.v, "Modules/BPF mapping");
	}
	/* kernel_map.virt_addr: KERNEL_LINK_ADDR moved by KASLR, which is
	 * MODULES_END (PFN_ALIGN(_start)). */
	uint64_t kva = vi->modules_end.set ? vi->modules_end.v :
		       vi->kernel_link_addr.set ? vi->kernel_link_addr.v : 0;
	if (kva) {
		region_paint(rg, kva, 0, RG_KERNEL_IMAGE);
		region_marker(rg, kva, "Kernel mapping");
	}
	region_how(rg, "bounds from VMCOREINFO");
	region_kernel_image(rg, f);
}

/* The depth mm/ptdump.c reports a level at: a leaf or hole of the top
 * table at 0 (pgd_entry(), walk_pgd_range()'s pte_hole), the others at
 * 4 - LEVEL; the folded p4d and pud of Sv48 and Sv39 add nothing
 * (p4d_offset() and pud_offset() return the entry above when
 * pgtable_l5_enabled / pgtable_l4_enabled are off, 6.12 pgtable-64.h). */
static unsigned riscv64_ptdump_depth(const struct paging *pg, unsigned level)
{
	return level + 1 == pg->levels ? 0 : 4 - level;
}

static const struct attr_word *riscv64_ptdump_words(const struct paging *pg, size_t *n)
{
	(void)pg;
	*n = sizeof riscv64_words / sizeof riscv64_words[0];
	return riscv64_words;
}

const struct arch_ops arch_riscv64 = {
	.name = "riscv64",
	.kdump_arch = "riscv64",
	.elf_machine = EM_RISCV,
	.elf_class = 64,
	.big_endian = false,
	.vmcoreinfo_matches = riscv64_vmcoreinfo_matches,
	.setup = riscv64_setup,
	.decode = riscv64_decode,
	.oa = riscv64_oa,
	.gang_of = riscv64_gang_of,
	.gang_legal_diff = riscv64_gang_legal_diff,
	.gang_span_shift = riscv64_gang_span_shift,
	.root_from_register = riscv64_root_from_register,
	.relocatable = true,
	/* ZONE_DEVICE and MEMORY_FAILURE are riscv64's too (6.12
	 * arch/riscv/Kconfig); userfaultfd-wp with 7.2's Svrsw60t59b. */
	.device_private = true,
	.memory_failure = true,
	.uffd_wp_since = KVER(6, 13, 0),
	.cache_names = riscv64_cache_names,
	.attr_words = riscv64_attr_words,
	.regions = riscv64_regions,
	.ptdump_style = PTDUMP_RISCV,
	.ptdump_depth = riscv64_ptdump_depth,
	.ptdump_words = riscv64_ptdump_words,
};
