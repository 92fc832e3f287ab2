/* SPDX-License-Identifier: GPL-2.0-or-later */
/* x86_64 paging: 4 or 5 levels of 512 eight-byte entries, 4K pages. */
#include "config.h"

#include <elf.h>
#include <stdio.h>

#include "arch-private.h"
#include "region.h"
#include "vmcoreinfo.h"
#include "walk.h"

/* Linux 6.1 arch/x86/include/asm/page_64_types.h */
#define START_KERNEL_MAP 0xffffffff80000000ull	/* __START_KERNEL_map */
#define PHYSICAL_MASK_SHIFT 52			/* __PHYSICAL_MASK_SHIFT */

static bool x86_64_vmcoreinfo_matches(const struct vmcoreinfo *vi)
{
	/* Only x86_64 exports init_top_pgt and phys_base (Linux 6.1
	 * arch/x86/kernel/crash_core_64.c); before Linux 4.13 the root was
	 * init_level4_pgt. */
	return vi->init_top_pgt.set || vi->init_level4_pgt.set;
}

static int x86_64_setup(struct paging *pg, const struct paging_facts *f,
			const struct paging_options *opts, struct pt_error *err)
{
	const struct vmcoreinfo *vi = f->vmci;

	if (paging_page_size(pg, f, opts, 4096, err))
		return -1;
	if (pg->page_shift != 12)
		return pt_fail(err, PT_EXIT_IMAGE, "x86_64 pages are 4096 bytes, not %u",
			       1u << pg->page_shift);

	/* NUMBER(pgtable_l5_enabled) says whether the kernel runs 5-level
	 * paging (Linux 6.1 arch/x86/kernel/crash_core_64.c). */
	pg->levels = 4;
	if (opts->levels)
		pg->levels = opts->levels;
	else if (vi->pgtable_l5_enabled.set && vi->pgtable_l5_enabled.v == 1)
		pg->levels = 5;
	if (pg->levels != 4 && pg->levels != 5)
		return pt_fail(err, PT_EXIT_USAGE, "x86_64 has 4 or 5 levels, not %u", pg->levels);
	pg->va_bits = pg->levels == 5 ? 57 : 48;
	if (opts->va_bits && opts->va_bits != pg->va_bits)
		return pt_fail(err, PT_EXIT_USAGE, "--va-bits=%u does not match %u-level x86_64 paging (%u bits)",
			       opts->va_bits, pg->levels, pg->va_bits);

	/* With SME the C-bit is set in entries; the kernel strips it with
	 * __sme_clr() (Linux 6.1 include/linux/mem_encrypt.h). */
	pg->phys_addr_mask = ((1ull << PHYSICAL_MASK_SHIFT) - 1) & ~0xfffull;
	if (vi->sme_mask.set)
		pg->phys_addr_mask &= ~vi->sme_mask.v;

	/* init_top_pgt is a kernel-image symbol: __pa_symbol(x) =
	 * x - __START_KERNEL_map + phys_base (Linux 6.1
	 * arch/x86/include/asm/page_64.h). */
	/* Linux 4.13 renamed init_level4_pgt to init_top_pgt (x86/boot/64:
	 * "Rename init_level4_pgt and early_level4_pgt"); 4.10 to 4.12
	 * export SYMBOL(init_level4_pgt) with NUMBER(phys_base), both from
	 * arch_crash_save_vmcoreinfo() in arch/x86/kernel/machine_kexec_64.c. */
	const struct opt_u64 *top = vi->init_top_pgt.set ? &vi->init_top_pgt : &vi->init_level4_pgt;
	if (top->set && top->v >= START_KERNEL_MAP) {
		uint64_t phys_base = vi->phys_base.set ? vi->phys_base.v : 0;
		pg->kernel_root.set = true;
		pg->kernel_root.v = (top->v - START_KERNEL_MAP + phys_base) & pg->phys_addr_mask;
		snprintf(pg->kernel_root_how, sizeof pg->kernel_root_how,
			 "SYMBOL(%s) - 0x%llx + NUMBER(phys_base)",
			 vi->init_top_pgt.set ? "init_top_pgt" : "init_level4_pgt", START_KERNEL_MAP);
	}
	if (vi->kerneloffset.set)
		pg->kaslr_offset = vi->kerneloffset;

	/* 512 entries of 8 bytes per level (Linux 6.1
	 * arch/x86/include/asm/pgtable_64_types.h). */
	pg->entry_size = 8;
	for (unsigned l = 0; l < pg->levels; l++) {
		pg->level_shift[l] = 12 + 9 * l;
		pg->level_bits[l] = 9;
	}
	pg->oa_raw_mask = pg->phys_addr_mask;
	pg->oa_simple = true;
	pg->user_end = (1ull << (pg->va_bits - 1)) - 1;
	return 0;
}

/* Entry bits, Linux 6.1 arch/x86/include/asm/pgtable_types.h. */
#define X86_P		(1ull << 0)
#define X86_RW		(1ull << 1)
#define X86_US		(1ull << 2)
#define X86_PWT		(1ull << 3)
#define X86_PCD		(1ull << 4)
#define X86_A		(1ull << 5)
#define X86_D		(1ull << 6)
#define X86_PSE		(1ull << 7)	/* _PAGE_BIT_PAT on 4K entries */
#define X86_G		(1ull << 8)	/* _PAGE_BIT_PROTNONE when !P */
#define X86_SPECIAL	(1ull << 9)	/* _PAGE_BIT_SOFTW1 */
#define X86_UFFD_WP	(1ull << 10)	/* _PAGE_BIT_SOFTW2 */
#define X86_SOFT_DIRTY	(1ull << 11)	/* _PAGE_BIT_SOFTW3 */
#define X86_PAT_LARGE	(1ull << 12)
#define X86_NX		(1ull << 63)
#define X86_PKEY_SHIFT	59		/* _PAGE_BIT_PKEY_BIT0, four bits */
/* Swap entries reuse low bits (same header): _PAGE_SWP_SOFT_DIRTY is
 * _PAGE_RW, _PAGE_SWP_UFFD_WP is _PAGE_USER, _PAGE_SWP_EXCLUSIVE is
 * _PAGE_PWT. Type and offset: Linux 6.1 arch/x86/include/asm/pgtable_64.h,
 * SWP_TYPE_BITS 5 at the top, the offset stored inverted (L1TF) from
 * SWP_OFFSET_FIRST_BIT = _PAGE_BIT_PROTNONE + 1. */
#define X86_SWP_TYPE_BITS	5
#define X86_SWP_OFFSET_SHIFT	(9 + X86_SWP_TYPE_BITS)

/* The PAT MSR Linux programs (Linux 6.1 arch/x86/mm/pat/memtype.c,
 * pat_init(): WB, WC, UC-, UC, WB, WP, UC-, WT), indexed by
 * PAT<<2 | PCD<<1 | PWT. */
static const char *const x86_cache_names[] = {
	"wb", "wc", "uc-", "uc", "wb", "wp", "uc-", "wt",
};

static void x86_64_decode(const struct paging *pg, unsigned level, uint64_t raw,
			  struct pt_decoded *d)
{
	/* The software bits DEVMAP and SAVED_DIRTY moved with the shadow
	 * stack series in Linux 6.6: 4.18, 5.10 and 6.1 have
	 * _PAGE_BIT_DEVMAP 58, 6.12 has _PAGE_BIT_DEVMAP 57 and
	 * _PAGE_BIT_SAVED_DIRTY 58; 6.17 removed DEVMAP ("mm: Remove devmap
	 * related functions and page table bits"; 7.2 has none). */
	bool new_softw = !pg->version || pg->version >= KVER(6, 6, 0);
	bool has_devmap = pg->version && pg->version < KVER(6, 17, 0);
	uint64_t devmap = has_devmap ? 1ull << (new_softw ? 57 : 58) : 0;
	uint64_t saved_dirty = new_softw ? 1ull << 58 : 0;

	*d = (struct pt_decoded){ 0 };
	if (!raw)
		return;
	if (raw & X86_P) {
		bool large = (raw & X86_PSE) && level > 0;
		if (level > 0 && !large) {
			d->kind = PTK_TABLE;
			d->pa = raw & pg->phys_addr_mask;
			return;
		}
		if (large && level > 2) {
			/* PS is reserved in PML5/PML4 entries (Intel SDM
			 * vol. 3 4.5); Linux never sets it there. */
			d->kind = PTK_BAD;
			d->why = "page-size bit in a top-level entry";
			return;
		}
		d->kind = PTK_LEAF;
		d->flags = PTF_PRESENT | PTF_READ;
	} else if ((raw & X86_G) && (level == 0 || (level <= 2 && (raw & X86_PSE)))) {
		/* pte_protnone(): _PAGE_PROTNONE without _PAGE_PRESENT
		 * (Linux 6.1 arch/x86/include/asm/pgtable.h). */
		d->kind = PTK_LEAF;
		d->flags = PTF_PRESENT | PTF_PROTNONE;
	} else if (level <= 1) {
		/* A swap entry: pte, or pmd for THP migration. */
		d->kind = PTK_SWAP;
		d->swap_type = (uint8_t)(raw >> (64 - X86_SWP_TYPE_BITS));
		d->swap_offset = (~raw << X86_SWP_TYPE_BITS) >> X86_SWP_OFFSET_SHIFT;
		d->swap_kind = pt_swap_kind(pg, d->swap_type);
		if (raw & X86_RW)
			d->flags |= PTF_SOFT_DIRTY;
		if (raw & X86_US)
			d->flags |= PTF_UFFD_WP;
		if (raw & X86_PWT)
			d->flags |= PTF_EXCLUSIVE;
		return;
	} else {
		d->kind = PTK_BAD;
		d->why = "not present, yet neither empty nor a swap entry";
		return;
	}

	/* A leaf, present or protnone. A non-present entry holds its PFN
	 * inverted against L1TF (Linux 6.1 arch/x86/include/asm/pgtable-invert.h,
	 * __pte_needs_invert()). */
	uint64_t val = (raw & X86_P) ? raw : ~raw;
	bool large = level > 0;
	d->pa = val & pg->phys_addr_mask & ~(large ? X86_PAT_LARGE : 0);
	if (large) {
		/* A 2M or 1G leaf's address bits below its size, but PAT
		 * (bit 12), are reserved: the CPU faults on them, and
		 * pmd_pfn()/pud_pfn() mask them off (PHYSICAL_PMD_PAGE_MASK,
		 * PHYSICAL_PUD_PAGE_MASK; Linux 6.12 arch/x86/include/asm/
		 * pgtable.h, pgtable_types.h). */
		uint64_t low = d->pa & ((1ull << pg->level_shift[level]) - 1);
		if (low) {
			d->pa -= low;
			d->anomalies |= PTA_LEAF_RESERVED_BITS;
		}
	}
	if (raw & X86_RW)
		d->flags |= PTF_WRITE;
	if (raw & X86_US)
		d->flags |= PTF_USER;
	if (!(raw & X86_NX))
		d->flags |= (raw & X86_US) ? PTF_EXEC_USER : PTF_EXEC_KERNEL;
	if ((raw & X86_G) && (raw & X86_P))
		d->flags |= PTF_GLOBAL;
	if (raw & (X86_D | saved_dirty))
		d->flags |= PTF_DIRTY;
	if (raw & X86_A)
		d->flags |= PTF_YOUNG;
	if (raw & X86_SPECIAL)
		d->flags |= PTF_SPECIAL;
	if (raw & X86_UFFD_WP)
		d->flags |= PTF_UFFD_WP;
	/* Soft-dirty tracks user memory (clear_refs); on a kernel entry
	 * bit 11 is _PAGE_KERNEL_4K in 7.2 ("x86/mm/pat: restore large ROX
	 * pages after fragmentation", posted 2025-01; not in 6.12). */
	if ((raw & X86_SOFT_DIRTY) && (raw & X86_US))
		d->flags |= PTF_SOFT_DIRTY;
	if (raw & devmap)
		d->flags |= PTF_DEVMAP;
	d->pkey = (uint8_t)((raw >> X86_PKEY_SHIFT) & 0xf);
	unsigned pat = (raw & (large ? X86_PAT_LARGE : X86_PSE)) ? 4 : 0;
	d->cache = (uint8_t)(pat | ((raw & X86_PCD) ? 2 : 0) | ((raw & X86_PWT) ? 1 : 0));
}

static int x86_64_root_from_register(const struct paging *pg, uint64_t reg,
				     uint64_t *pa, struct pt_error *err)
{
	(void)err;
	/* CR3: PCID in bits 11:0, bit 63 "no flush" (Intel SDM vol. 3 4.5). */
	*pa = reg & pg->phys_addr_mask & ~0xfffull;
	return 0;
}

/* The attributes as the kernel's ptdump prints them: printk_prot() of
 * arch/x86/mm/dump_pagetables.c, the same in Linux 6.1 and 6.12, bits from
 * arch/x86/include/asm/pgtable_types.h. PSE at the levels above the pte,
 * PAT from bit 7 in a pte and bit 12 (_PAGE_PAT_LARGE) in a pmd or pud
 * leaf; nothing for an entry that is not present. */
static const struct attr_word x86_words[] = {
	{ 1ull << 2, 1ull << 2, "USR", NULL, 0 },		/* _PAGE_USER */
	{ 1ull << 1, 1ull << 1, "RW", "ro", 0 },		/* _PAGE_RW */
	{ 1ull << 3, 1ull << 3, "PWT", NULL, 0 },		/* _PAGE_PWT */
	{ 1ull << 4, 1ull << 4, "PCD", NULL, 0 },		/* _PAGE_PCD */
	{ 1ull << 7, 1ull << 7, "PSE", NULL, 0x1e },		/* _PAGE_PSE */
	{ 1ull << 7, 1ull << 7, "PAT", NULL, 0x01 },		/* _PAGE_PAT */
	{ 1ull << 12, 1ull << 12, "PAT", NULL, 0x06 },		/* _PAGE_PAT_LARGE */
	{ 1ull << 8, 1ull << 8, "GLB", NULL, 0 },		/* _PAGE_GLOBAL */
	{ 1ull << 63, 1ull << 63, "NX", "x", 0 },		/* _PAGE_NX */
};

static const struct attr_word *x86_attr_words(const struct paging *pg, uint64_t raw, size_t *n)
{
	(void)pg;
	*n = raw & 1 ? sizeof x86_words / sizeof x86_words[0] : 0;	/* _PAGE_PRESENT */
	return x86_words;
}

/* ---- Regions ---------------------------------------------------------
 * Linux 6.12 Documentation/arch/x86/x86_64/mm.rst and
 * arch/x86/include/asm/pgtable_64_types.h, page_64_types.h, fixmap.h:
 * fixed slots, and three bases KASLR moves (CONFIG_RANDOMIZE_MEMORY,
 * arch/x86/mm/kaslr.c) that the kernel keeps in page_offset_base,
 * vmalloc_base and vmemmap_base: read from the image. */

#define X86_TB (1ull << 40)

static void x86_64_regions(const struct paging *pg, const struct region_facts *f,
			   struct pt_regions *rg)
{
	const struct vmcoreinfo *vi = f->vi;
	bool l5 = pg->levels == 5;
	unsigned pgdir_shift = l5 ? 48 : 39, p4d_shift = 39;
	uint64_t kernel_start = -(1ull << (pg->va_bits - 1));
	uint64_t pob = 0, vmb = 0, vmm = 0;
	bool have_pob = region_read_sym(f, RS_PAGE_OFFSET_BASE, &pob);
	bool have_vmb = region_read_sym(f, RS_VMALLOC_BASE, &vmb);
	bool have_vmm = region_read_sym(f, RS_VMEMMAP_BASE, &vmm);

	/* Newer kernels export VMALLOC_START and vmemmap in VMCOREINFO. */
	if (!have_vmb && vi->vmalloc_start.set) {
		vmb = vi->vmalloc_start.v;
		have_vmb = true;
	}
	if (!have_vmm && vi->vmemmap.set) {
		vmm = vi->vmemmap.v;
		have_vmm = true;
	}
	region_paint(rg, 0, pg->user_end + 1, RG_USER);
	region_paint(rg, kernel_start, 0, RG_KERNEL);
	/* ptdump_walk_pgd_level_core(): user half, then from the guard
	 * hole's end (GUARD_HOLE_PGD_ENTRY -256, 16 PGD entries). */
	rg->nranges = 2;
	rg->range_start[0] = 0;
	rg->range_end[0] = pg->user_end;
	rg->range_start[1] = (-256ull << pgdir_shift) + (16ull << pgdir_shift);
	rg->range_end[1] = UINT64_MAX;

	/* dump_pagetables.c address_markers[], in its order. */
	region_marker(rg, 0, "User Space");
	region_marker(rg, 1ull << 63, "Kernel Space");
	/* LDT_PGD_ENTRY -240: one PGD entry (CONFIG_MODIFY_LDT_SYSCALL). */
	uint64_t ldt = -240ull << pgdir_shift;
	region_paint(rg, ldt, ldt + (1ull << pgdir_shift), RG_LDT);
	region_marker(rg, ldt, "LDT remap");
	if (have_pob) {
		region_paint(rg, pob, have_vmb ? vmb : pob + (l5 ? 32768 : 64) * X86_TB, RG_LINEAR);
		region_marker(rg, pob, "Low Kernel Mapping");
	}
	if (have_vmb) {
		/* VMALLOC_SIZE_TB_L4 32, _L5 12800 */
		region_paint(rg, vmb, vmb + (l5 ? 12800 : 32) * X86_TB, RG_VMALLOC);
		region_marker(rg, vmb, "vmalloc() Area");
	}
	if (have_vmm) {
		/* mm.rst: 1 TB (4 levels), 0.5 PB (5 levels) unrandomized;
		 * randomized, kernel_randomize_memory() (arch/x86/mm/kaslr.c)
		 * sizes it by the memory, and may place it near the top: at
		 * most up to the CPU entry area. */
		uint64_t cea_start = -4ull << 39, size = (l5 ? 512 : 1) * X86_TB;
		uint64_t end = vmm < cea_start && cea_start - vmm > size ? vmm + size : cea_start;
		region_paint(rg, vmm, end, RG_VMEMMAP);
		region_marker(rg, vmm, "Vmemmap");
	}
	if (f->have[RS_KASAN_EARLY_SHADOW]) {
		/* mm.rst: ffffec0000000000 (4 levels), ffdf000000000000 (5),
		 * both to fffffbffffffffff, for the default
		 * KASAN_SHADOW_OFFSET. */
		uint64_t ks = l5 ? 0xffdf000000000000ull : 0xffffec0000000000ull;
		region_paint(rg, ks, 0xfffffc0000000000ull, RG_KASAN);
		region_marker(rg, ks, "KASAN shadow");
		region_marker(rg, 0xfffffc0000000000ull, "KASAN shadow end");
	}
	/* CPU_ENTRY_AREA_PGD -4, ESPFIX_PGD_ENTRY -2: one P4D entry each. */
	uint64_t cea = -4ull << p4d_shift, espfix = -2ull << p4d_shift;
	region_paint(rg, cea, cea + (1ull << p4d_shift), RG_CPU_ENTRY);
	region_marker(rg, cea, "CPU entry Area");
	region_paint(rg, espfix, espfix + (1ull << p4d_shift), RG_ESPFIX);
	region_marker(rg, espfix, "ESPfix Area");
	rg->m[rg->nmarkers - 1].max_lines = 16;	/* address_markers[] */
	/* EFI_VA_END -68G to EFI_VA_START -4G; the marker at its end. */
	region_paint(rg, -(68ull << 30), -(4ull << 30), RG_EFI);
	region_marker(rg, -(68ull << 30), "EFI Runtime Services");
	/* __START_KERNEL_map; MODULES_VADDR = it + KERNEL_IMAGE_SIZE (1G
	 * with KASLR, else 512M; VMCOREINFO says), MODULES_END -16M. */
	uint64_t kmap = 0xffffffff80000000ull;
	uint64_t kimage_size = vi->kernel_image_size.set ? vi->kernel_image_size.v : 1ull << 30;
	uint64_t modules = kmap + kimage_size, modules_end = 0xffffffffff000000ull;
	region_paint(rg, kmap, modules, RG_KERNEL_IMAGE);
	region_marker(rg, kmap, "High Kernel Mapping");
	region_paint(rg, modules, modules_end, RG_MODULES);
	region_marker(rg, modules, "Modules");
	region_marker(rg, modules_end, "End Modules");
	/* FIXADDR_TOP = round_up(VSYSCALL_ADDR + PAGE_SIZE, PMD_SIZE) -
	 * PAGE_SIZE; FIXADDR_START below it by __end_of_permanent_fixed_
	 * addresses pages: 646 in Debian's 6.1 and 7.2 (the DWARF of their
	 * vmlinux), the slots depending on configuration. */
	uint64_t fixaddr_top = 0xffffffffff800000ull - 4096;
	uint64_t fixaddr_start = fixaddr_top - 646 * 4096ull;
	region_paint(rg, modules_end, fixaddr_top + 4096, RG_FIXMAP);
	region_marker(rg, fixaddr_start, "Fixmap Area");
	region_how(rg, "%s%s%s", have_pob ? "page_offset_base read" : "page_offset_base not known",
		   have_vmb ? ", vmalloc base known" : "", have_vmm ? ", vmemmap base known" : "");
	region_kernel_image(rg, f);
}

/* The depth printk_prot() names (6.12 arch/x86/mm/dump_pagetables.c
 * level_name[]) as mm/pagewalk.c reports it: a 4-level kernel's top
 * entries are p4d ones (pgd_none() is 0 without pgtable_l5_enabled()). */
static unsigned x86_64_ptdump_depth(const struct paging *pg, unsigned level)
{
	(void)pg;
	return 4 - level;
}

const struct arch_ops arch_x86_64 = {
	.name = "x86_64",
	.kdump_arch = "x86_64",
	.elf_machine = EM_X86_64,
	.elf_class = 64,
	.big_endian = false,
	.vmcoreinfo_matches = x86_64_vmcoreinfo_matches,
	.setup = x86_64_setup,
	.decode = x86_64_decode,
	.root_from_register = x86_64_root_from_register,
	/* Four bits of memory protection key in every leaf (Linux 6.12
	 * arch/x86/include/asm/pgtable_types.h _PAGE_PKEY_BIT0..3). */
	.has_pkeys = true,
	.split_roots = false,
	.relocatable = true,
	/* x86_64 selects ARCH_HAS_... for both (Linux 5.10 to 7.2
	 * arch/x86/Kconfig: ZONE_DEVICE, ARCH_SUPPORTS_MEMORY_FAILURE), and
	 * HAVE_ARCH_USERFAULTFD_WP since 5.7. */
	.device_private = true,
	.memory_failure = true,
	.uffd_wp_since = KVER(5, 7, 0),
	.cache_names = x86_cache_names,
	.attr_words = x86_attr_words,
	.regions = x86_64_regions,
	.ptdump_style = PTDUMP_X86,
	.ptdump_depth = x86_64_ptdump_depth,
};
