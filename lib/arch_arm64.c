/* SPDX-License-Identifier: GPL-2.0-or-later */
/* arm64 paging: 4K, 16K or 64K granules, 2 to 5 levels. */
#include "config.h"

#include <elf.h>
#include <stdio.h>

#include "arch-private.h"
#include "region.h"
#include "vmcoreinfo.h"
#include "walk.h"

static bool arm64_vmcoreinfo_matches(const struct vmcoreinfo *vi)
{
	/* kimage_voffset and TCR_EL1_T1SZ are arm64's own (Linux 6.1
	 * arch/arm64/kernel/crash_core.c). */
	return vi->kimage_voffset.set || vi->tcr_el1_t1sz.set;
}

/* Descriptor bits, Linux 6.1 and 6.12 arch/arm64/include/asm/pgtable-hwdef.h
 * and pgtable-prot.h. */
#define D_VALID		(1ull << 0)
#define D_TABLE		(1ull << 1)	/* with VALID: table (L0-L2) or page (L3) */
#define D_ATTRINDX_SHIFT 2		/* PTE_ATTRINDX, 3 bits */
#define D_USER		(1ull << 6)	/* AP[1] */
#define D_RDONLY	(1ull << 7)	/* AP[2] */
#define D_SH_SHIFT	8		/* SH[1:0]; PA[51:50] with LPA2 */
#define D_AF		(1ull << 10)
#define D_NG		(1ull << 11)	/* PTE_PRESENT_INVALID when !VALID (6.10+) */
#define D_GP		(1ull << 50)
#define D_DBM		(1ull << 51)	/* PTE_WRITE */
#define D_CONT		(1ull << 52)
#define D_PXN		(1ull << 53)
#define D_UXN		(1ull << 54)
#define D_DIRTY		(1ull << 55)	/* software */
#define D_SPECIAL	(1ull << 56)	/* software */
#define D_DEVMAP	(1ull << 57)	/* software */
#define D_BIT58		(1ull << 58)	/* PTE_PROT_NONE before 6.10, PTE_UFFD_WP since */
#define D_PMD_PRESENT_INVALID (1ull << 59) /* before 6.10 only */

/* Raw bits holding the output address: [47:PAGE_SHIFT]; with LPA2
 * [49:PAGE_SHIFT] plus bits [9:8] for PA[51:50]; with 64K pages bits
 * [15:12] for PA[51:48] (Linux 6.12 pgtable-hwdef.h PTE_ADDR_LOW,
 * PTE_ADDR_HIGH; a kernel without 52-bit PA leaves them zero, they are
 * RES0 then). */
static uint64_t arm64_oa_raw_mask(const struct paging *pg)
{
	unsigned top = pg->lpa2 ? 50 : 48;
	uint64_t m = ((1ull << top) - 1) & ~((1ull << pg->page_shift) - 1);
	if (pg->lpa2)
		m |= 3ull << D_SH_SHIFT;
	if (pg->page_shift == 16)
		m |= 0xfull << 12;
	return m;
}

static uint64_t arm64_oa(const struct paging *pg, uint64_t raw)
{
	if (pg->lpa2) {
		uint64_t low = raw & ((1ull << 50) - 1) & ~((1ull << pg->page_shift) - 1);
		return low | (((raw >> D_SH_SHIFT) & 3) << 50);
	}
	uint64_t low = raw & ((1ull << 48) - 1) & ~((1ull << pg->page_shift) - 1);
	if (pg->page_shift == 16)
		low |= ((raw >> 12) & 0xf) << 48;
	return low;
}

static int arm64_setup(struct paging *pg, const struct paging_facts *f,
		       const struct paging_options *opts, struct pt_error *err)
{
	const struct vmcoreinfo *vi = f->vmci;

	if (paging_page_size(pg, f, opts, 0, err))
		return -1;
	if (pg->page_shift != 12 && pg->page_shift != 14 && pg->page_shift != 16)
		return pt_fail(err, PT_EXIT_IMAGE, "arm64 granules are 4K, 16K or 64K, not %u bytes",
			       1u << pg->page_shift);

	/* The VA size the kernel runs with is 64 - TCR_EL1.T1SZ; VA_BITS
	 * is only the configured maximum (52 on a 48-bit CPU). */
	const char *how;
	if (opts->va_bits) {
		pg->va_bits = opts->va_bits;
		how = "--va-bits";
	} else if (vi->tcr_el1_t1sz.set && vi->tcr_el1_t1sz.v >= 12 && vi->tcr_el1_t1sz.v <= 39) {
		pg->va_bits = 64 - (unsigned)vi->tcr_el1_t1sz.v;
		how = "TCR_EL1_T1SZ";
	} else if (vi->va_bits.set && vi->va_bits.v >= 25 && vi->va_bits.v <= 52) {
		pg->va_bits = (unsigned)vi->va_bits.v;
		how = "VA_BITS";
	} else {
		return pt_fail(err, PT_EXIT_IMAGE,
			       "no usable NUMBER(TCR_EL1_T1SZ) or NUMBER(VA_BITS) in VMCOREINFO; give --va-bits");
	}
	if (pg->va_bits < 25 || pg->va_bits > 52)
		return pt_fail(err, PT_EXIT_IMAGE, "VA size of %u bits (from %s) is not one arm64 supports",
			       pg->va_bits, how);
	/* ARM64_HW_PGTABLE_LEVELS(va_bits) = ((va_bits) - 4) / (PAGE_SHIFT - 3)
	 * (Linux 6.1 arch/arm64/include/asm/pgtable-hwdef.h). */
	pg->levels = (pg->va_bits - 4) / (pg->page_shift - 3);
	if (opts->levels && opts->levels != pg->levels)
		return pt_fail(err, PT_EXIT_USAGE, "--levels=%u does not match %u-bit VA with %uK pages (%u levels)",
			       opts->levels, pg->va_bits, 1u << (pg->page_shift - 10), pg->levels);
	if (pg->levels < 2 || pg->levels > 5)
		return pt_fail(err, PT_EXIT_IMAGE, "%u-bit VA with %uK pages gives %u levels",
			       pg->va_bits, 1u << (pg->page_shift - 10), pg->levels);

	/* 52-bit VA with 4K or 16K pages runs only with FEAT_LPA2, whose
	 * descriptors carry PA[51:50] in bits [9:8] (Linux 6.12
	 * arch/arm64/include/asm/pgtable-hwdef.h PTE_ADDR_HIGH). */
	pg->lpa2 = pg->page_shift != 16 && pg->va_bits == 52;
	pg->phys_addr_mask = (pg->lpa2 || pg->page_shift == 16 ? (1ull << 52) : (1ull << 48)) - 1;
	pg->phys_addr_mask &= ~((1ull << pg->page_shift) - 1);

	/* swapper_pg_dir lives in the kernel image: __kimg_to_phys(addr) =
	 * addr - kimage_voffset (Linux 6.1 arch/arm64/include/asm/memory.h). */
	if (vi->swapper_pg_dir.set && vi->kimage_voffset.set) {
		pg->kernel_root.set = true;
		pg->kernel_root.v = vi->swapper_pg_dir.v - vi->kimage_voffset.v;
		snprintf(pg->kernel_root_how, sizeof pg->kernel_root_how,
			 "SYMBOL(swapper_pg_dir) - NUMBER(kimage_voffset)");
	}
	if (vi->kerneloffset.set)
		pg->kaslr_offset = vi->kerneloffset;

	/* Each level resolves PAGE_SHIFT - 3 bits; the top takes what is
	 * left of the VA (Linux 6.1 arch/arm64/include/asm/pgtable-hwdef.h,
	 * ARM64_HW_PGTABLE_LEVEL_SHIFT, PTRS_PER_PGD). */
	pg->entry_size = 8;
	for (unsigned l = 0; l < pg->levels; l++) {
		pg->level_shift[l] = pg->page_shift + l * (pg->page_shift - 3);
		pg->level_bits[l] = pg->page_shift - 3;
	}
	pg->level_bits[pg->levels - 1] = pg->va_bits - pg->level_shift[pg->levels - 1];
	pg->oa_raw_mask = arm64_oa_raw_mask(pg);
	pg->oa_simple = !pg->lpa2 && pg->page_shift != 16;
	pg->user_end = (1ull << pg->va_bits) - 1;	/* TTBR0's half */
	return 0;
}

/* MAIR_EL1 as Linux programs it: MT_NORMAL 0, MT_NORMAL_TAGGED 1,
 * MT_NORMAL_NC 2, MT_DEVICE_nGnRnE 3, MT_DEVICE_nGnRE 4 (Linux 6.1 and
 * 6.12 arch/arm64/include/asm/memory.h); 5-7 are not programmed. */
static const char *const arm64_cache_names[] = {
	"normal", "normal-tagged", "normal-nc", "device-nGnRnE", "device-nGnRE",
	"attr5", "attr6", "attr7",
};

/* May a block descriptor appear at LEVEL (0 = L3)? L2 blocks always; L1
 * blocks with 4K pages, or with FEAT_LPA2 (16K) / 52-bit PA (64K) (Arm ARM
 * D8.3). The kernel creates none elsewhere. */
static bool arm64_block_allowed(const struct paging *pg, unsigned level)
{
	if (level == 1)
		return true;
	if (level == 2)
		return pg->page_shift == 12 || pg->lpa2;
	return false;
}

static void arm64_decode(const struct paging *pg, unsigned level, uint64_t raw,
			 struct pt_decoded *d)
{
	/* Linux 6.10 moved the software bits: PTE_PROT_NONE (58) and
	 * PMD_PRESENT_INVALID (59) became PTE_PRESENT_INVALID overlaying nG,
	 * bit 58 became PTE_UFFD_WP, and the swap type/offset moved from
	 * bits 3/8 to 6/12 (compare 6.1 and 6.12 arch/arm64/include/asm/
	 * pgtable-prot.h and pgtable.h). */
	bool v610 = !pg->version || pg->version >= KVER(6, 10, 0);

	*d = (struct pt_decoded){ 0 };
	if (!raw)
		return;
	if (raw & D_VALID) {
		if (raw & D_TABLE) {
			if (level > 0) {
				d->kind = PTK_TABLE;
				d->pa = arm64_oa(pg, raw);
				return;
			}
		} else if (level == 0 || !arm64_block_allowed(pg, level)) {
			d->kind = PTK_BAD;
			d->why = level == 0 ? "block descriptor at the page level (reserved)"
					    : "block descriptor at a level the granule forbids";
			return;
		}
		d->kind = PTK_LEAF;
		d->flags = PTF_PRESENT | PTF_READ;
		if (!(raw & D_NG))
			d->flags |= PTF_GLOBAL;
	} else {
		bool present_invalid, protnone;
		if (v610) {
			/* pte_present_invalid(), pte_protnone() (Linux 6.12
			 * arch/arm64/include/asm/pgtable.h). */
			present_invalid = raw & D_NG;
			protnone = present_invalid && !(raw & D_USER) && (raw & D_UXN);
		} else {
			/* pte_protnone(), pmd_present_invalid() (Linux 6.1). */
			protnone = raw & D_BIT58;
			present_invalid = protnone || (level == 1 && (raw & D_PMD_PRESENT_INVALID));
		}
		if (present_invalid && level <= 2 && (level == 0 || !(raw & D_TABLE))) {
			d->kind = PTK_LEAF;
			d->flags = PTF_PRESENT;
			if (protnone)
				d->flags |= PTF_PROTNONE;
		} else if (level <= 1 && !(raw & D_TABLE) && !present_invalid) {
			/* Swap entry: pte, or pmd for THP migration. */
			d->kind = PTK_SWAP;
			if (v610) {
				d->swap_type = (uint8_t)((raw >> 6) & 31);
				d->swap_offset = (raw >> 12) & ((1ull << 50) - 1);
				if (raw & (1ull << 3))
					d->flags |= PTF_UFFD_WP;	/* PTE_SWP_UFFD_WP */
			} else if (pg->version >= KVER(5, 19, 0) || !pg->version) {
				d->swap_type = (uint8_t)((raw >> 3) & 31);
				d->swap_offset = (raw >> 8) & ((1ull << 50) - 1);
			} else {
				/* Before 5.19 ("arm64/pgtable: support
				 * __HAVE_ARCH_PTE_SWP_EXCLUSIVE"): type in bits
				 * 2-7 (__SWP_TYPE_SHIFT 2, __SWP_TYPE_BITS 6), no
				 * exclusive bit (4.18, 5.10 and 5.14
				 * arch/arm64/include/asm/pgtable.h). Types stop at
				 * 31 (MAX_SWAPFILES_SHIFT 5). */
				if (raw & (1ull << 7)) {
					d->kind = PTK_BAD;
					d->why = "swap type above 31";
					return;
				}
				d->swap_type = (uint8_t)((raw >> 2) & 31);
				d->swap_offset = (raw >> 8) & ((1ull << 50) - 1);
				d->swap_kind = pt_swap_kind(pg, d->swap_type);
				return;
			}
			if (raw & (1ull << 2))
				d->flags |= PTF_EXCLUSIVE;		/* PTE_SWP_EXCLUSIVE */
			d->swap_kind = pt_swap_kind(pg, d->swap_type);
			return;
		} else {
			d->kind = PTK_BAD;
			d->why = "invalid descriptor that is neither swap nor present-invalid";
			return;
		}
	}

	d->pa = arm64_oa(pg, raw);
	if (level > 0) {
		/* A block's output address bits below its size are RES0;
		 * pmd_pfn() and pud_pfn() mask them off (PMD_MASK, PUD_MASK;
		 * Linux 6.12 arch/arm64/include/asm/pgtable.h). */
		uint64_t low = d->pa & ((1ull << pg->level_shift[level]) - 1);
		if (low) {
			d->pa -= low;
			d->anomalies |= PTA_LEAF_RESERVED_BITS;
		}
	}
	if (raw & D_USER)
		d->flags |= PTF_USER;
	if (raw & D_DBM)
		d->flags |= PTF_WRITE;
	if (!(raw & D_UXN))
		d->flags |= PTF_EXEC_USER;
	if (!(raw & D_PXN))
		d->flags |= PTF_EXEC_KERNEL;
	/* pte_dirty() = PTE_DIRTY || (PTE_WRITE && !PTE_RDONLY). */
	if ((raw & D_DIRTY) || ((raw & D_DBM) && !(raw & D_RDONLY)))
		d->flags |= PTF_DIRTY;
	if (raw & D_AF)
		d->flags |= PTF_YOUNG;
	if (raw & D_SPECIAL)
		d->flags |= PTF_SPECIAL;
	/* PTE_DEVMAP from 5.7 ("arm64: mm: implement pte_devmap support")
	 * until 6.17 ("mm: Remove devmap related functions and page table
	 * bits"; absent from 4.18 and 7.2). */
	if ((raw & D_DEVMAP) && (!pg->version || (pg->version >= KVER(5, 7, 0) &&
						 pg->version < KVER(6, 17, 0))))
		d->flags |= PTF_DEVMAP;
	if (v610 && (raw & D_BIT58))
		d->flags |= PTF_UFFD_WP;
	if (raw & D_GP)
		d->flags |= PTF_GUARDED;
	/* Protection keys (FEAT_S1POE) in POIndex, bits [62:60], since 6.12
	 * (6.12 arch/arm64/include/asm/pgtable-hwdef.h PTE_PO_IDX_*,
	 * ARM64_POE); earlier kernels leave these PBHA bits zero. */
	if (!pg->version || pg->version >= KVER(6, 12, 0))
		d->pkey = (uint8_t)((raw >> 60) & 7);
	if (raw & D_CONT)
		d->flags |= PTF_CONT;
	/* With LPA2 bits [9:8] are address bits; shareability comes from
	 * TCR_EL1.SH0/SH1, which Linux sets inner shareable (Linux 6.12
	 * arch/arm64/mm/proc.S, TCR_SHARED). */
	if (pg->lpa2 || ((raw >> D_SH_SHIFT) & 3))
		d->flags |= PTF_SHARED;
	d->cache = (uint8_t)((raw >> D_ATTRINDX_SHIFT) & 7);
}

/* A contiguous gang: CONT_PTES entries at the page level, CONT_PMDS at the
 * level above (Linux 6.1 arch/arm64/include/asm/pgtable-hwdef.h, from
 * CONFIG_ARM64_CONT_PTE_SHIFT / CONT_PMD_SHIFT): 16 and 16 with 4K pages,
 * 128 and 32 with 16K, 32 and 32 with 64K. The kernel sets PTE_CONT at no
 * other level. */
static bool arm64_gang_of(const struct paging *pg, const struct phys_entry *pe,
			  struct gang_spec *gs)
{
	if (!(pe->d.flags & PTF_CONT) || pe->level > 1)
		return false;
	unsigned n = pe->level == 0 ? (pg->page_shift == 12 ? 16 : pg->page_shift == 14 ? 128 : 32)
				    : (pg->page_shift == 12 ? 16 : 32);
	uint64_t span = 1ull << pg->level_shift[pe->level];
	*gs = (struct gang_spec){
		.n = n, .layout = { { .rep = 1, .step = span } }, .nlayouts = 1, .size = span * n,
		.form = pe->level == 0 ? FORM_CONT_PTE : FORM_CONT_PMD,
		.rep_anomaly = PTA_GANG_ATTR_MISMATCH,
	};
	return true;
}

/* The largest gang: CONT_PMDS blocks of the level above the leaves (16
 * with 4K pages, 32 with 16K and 64K; 16G with 64K pages). */
static unsigned arm64_gang_span_shift(const struct paging *pg)
{
	return pg->level_shift[1] + (pg->page_shift == 12 ? 4 : 5);
}

/* contpte_ptep_get() and huge_ptep_get() accept entries of one gang that
 * differ in AF and dirty, where dirty is PTE_DIRTY or the hardware
 * clearing PTE_RDONLY of a writable entry (Linux 6.12
 * arch/arm64/mm/contpte.c, arch/arm64/mm/hugetlbpage.c). */
static uint64_t arm64_gang_legal_diff(const struct paging *pg, uint64_t first,
				      uint64_t other)
{
	(void)pg;
	uint64_t legal = D_AF | D_DIRTY;
	if ((first & D_DBM) && (other & D_DBM))
		legal |= D_RDONLY;
	return legal;
}

static int arm64_root_from_register(const struct paging *pg, uint64_t reg,
				    uint64_t *pa, struct pt_error *err)
{
	/* TTBRn_EL1: ASID [63:48], BADDR [47:1], CnP [0]; with a 52-bit
	 * output address BADDR[51:48] sits in bits [5:2] (Arm ARM D19.2,
	 * TTBR0_EL1; Linux 6.12 arch/arm64/include/asm/pgtable.h
	 * phys_to_ttbr()). */
	uint64_t p;
	if (pg->phys_addr_mask >> 48)
		p = (reg & 0x0000ffffffffffc0ull) | (((reg >> 2) & 0xf) << 48);
	else
		p = reg & 0x0000fffffffffffeull;
	uint64_t top_bytes = (uint64_t)pg->entry_size << pg->level_bits[pg->levels - 1];
	if (top_bytes < 64)
		top_bytes = 64;
	if (p & (top_bytes - 1))
		return pt_fail(err, PT_EXIT_USAGE,
			       "--pgd=0x%llx: table base 0x%llx is not aligned to the %llu-byte top table",
			       (unsigned long long)reg, (unsigned long long)p,
			       (unsigned long long)top_bytes);
	*pa = p;
	return 0;
}

/* The attributes as the kernel's ptdump prints them: pte_bits[] of
 * arch/arm64/mm/ptdump.c, the same in Linux 6.1 and 6.12 (one table at
 * every level), its
 * bits from arch/arm64/include/asm/pgtable-hwdef.h and the MT_ indexes
 * from asm/memory.h. */
#define ARM64_ATTRINDX(mt) ((uint64_t)(mt) << 2)
#define ARM64_WORDS(shd_val, shd_set, shd_clear) \
	{ 1ull << 0, 1ull << 0, " ", "F", 0 },			/* PTE_VALID */ \
	{ 1ull << 6, 1ull << 6, "USR", "   ", 0 },		/* PTE_USER */ \
	{ 1ull << 7, 1ull << 7, "ro", "RW", 0 },		/* PTE_RDONLY */ \
	{ 1ull << 53, 1ull << 53, "NX", "x ", 0 },		/* PTE_PXN */ \
	{ 3ull << 8, shd_val, shd_set, shd_clear, 0 },		/* PTE_SHARED */ \
	{ 1ull << 10, 1ull << 10, "AF", "  ", 0 },		/* PTE_AF */ \
	{ 1ull << 11, 1ull << 11, "NG", "  ", 0 },		/* PTE_NG */ \
	{ 1ull << 52, 1ull << 52, "CON", "   ", 0 },		/* PTE_CONT */ \
	{ 1ull << 1, 1ull << 1, "   ", "BLK", 0 },		/* PTE_TABLE_BIT */ \
	{ 1ull << 54, 1ull << 54, "UXN", "   ", 0 },		/* PTE_UXN */ \
	{ 1ull << 50, 1ull << 50, "GP", "  ", 0 },		/* PTE_GP */ \
	{ 7ull << 2, ARM64_ATTRINDX(3), "DEVICE/nGnRnE", NULL, 0 }, \
	{ 7ull << 2, ARM64_ATTRINDX(4), "DEVICE/nGnRE", NULL, 0 }, \
	{ 7ull << 2, ARM64_ATTRINDX(2), "MEM/NORMAL-NC", NULL, 0 }, \
	{ 7ull << 2, ARM64_ATTRINDX(0), "MEM/NORMAL", NULL, 0 }, \
	{ 7ull << 2, ARM64_ATTRINDX(1), "MEM/NORMAL-TAGGED", NULL, 0 },

static const struct attr_word arm64_words[] = {
	ARM64_WORDS(3ull << 8, "SHD", "   ")
};
/* With LPA2 bits 8-9 of a descriptor are OA[51:50], not SH[1:0]
 * (Linux 6.12 pgtable-hwdef.h PTE_ADDR_HIGH): no SHD word (a value its
 * mask never yields, and no word when clear). */
static const struct attr_word arm64_words_lpa2[] = {
	ARM64_WORDS(1ull << 7, NULL, NULL)
};

static const struct attr_word *arm64_attr_words(const struct paging *pg, uint64_t raw, size_t *n)
{
	(void)raw;
	*n = sizeof arm64_words / sizeof arm64_words[0];
	return pg->lpa2 ? arm64_words_lpa2 : arm64_words;
}

/* ---- Regions ---------------------------------------------------------
 * The kernel half as Linux lays it out (6.12 arch/arm64/include/asm/
 * memory.h, pgtable.h, fixmap.h; 6.1's where they differ), boundaries
 * from VMCOREINFO where the kernel exports them (NUMBER(MODULES_VADDR),
 * MODULES_END, VMALLOC_START, VMALLOC_END, VMEMMAP_START, VMEMMAP_END:
 * 6.12 arch/arm64/kernel/vmcore_info.c, 6.1 crash_core.c). Kernels that
 * export none (5.10) get the linear map, the image and "kernel". */

#define SZ_1M (1ull << 20)

/* __end_of_fixed_addresses (6.12 fixmap.h, FIXADDR_TOT_SIZE: 6.12's
 * ptdump marks FIXADDR_TOT_START) or __end_of_permanent_fixed_addresses
 * (6.1, FIXADDR_SIZE: 6.1's ptdump marks FIXADDR_START) in pages, for
 * Debian's configuration (ACPI_APEI_GHES, ARM_SDE_INTERFACE,
 * UNMAP_KERNEL_AT_EL0, RELOCATABLE; NR_CPUS 512), as the enum's values in
 * the DWARF of Debian's 6.1, 6.12 and 7.2 vmlinux have it: 1035, 985
 * (4K) and 265 (16K), 1498. */
static uint64_t arm64_fixmap_pages(const struct paging *pg, bool layout_612)
{
	uint64_t page = 1ull << pg->page_shift, idx;
	if (layout_612) {
		/* FIX_FDT = FIX_FDT_END + DIV_ROUND_UP(MAX_FDT_SIZE, PAGE_SIZE) + 1 */
		idx = 1 + (2 * SZ_1M + page - 1) / page + 1;
	} else {
		/* FIX_FDT = FIX_FDT_END + (MAX_FDT_SIZE + SZ_2M) / PAGE_SIZE - 1 */
		idx = 1 + 4 * SZ_1M / page - 1;
	}
	/* EARLYCON_MEM_BASE, TEXT_POKE0, four GHES, four ENTRY_TRAMP */
	uint64_t perm_end = idx + 1 + 1 + 4 + 4 + 1;
	/* FIX_VNCR_END and NR_CPUS FIX_VNCR slots after TEXT_POKE0, from
	 * Linux 6.16 (nested virtualization's VNCR page; in 7.2's fixmap.h). */
	if (pg->version >= KVER(6, 16, 0))
		perm_end += 1 + 512;
	if (!layout_612)
		return perm_end;
	/* NR_FIX_BTMAPS (SZ_256K / PAGE_SIZE + 1 in Debian's kernels) times
	 * FIX_BTMAPS_SLOTS (7), then FIX_PTE to FIX_PGD */
	return perm_end + (256 * 1024 / page + 1) * 7 + 5;
}

static void arm64_regions(const struct paging *pg, const struct region_facts *f,
			  struct pt_regions *rg)
{
	const struct vmcoreinfo *vi = f->vi;
	unsigned va = pg->va_bits;		/* vabits_actual */
	unsigned va_cfg = vi->va_bits.set ? (unsigned)vi->va_bits.v : va;
	uint64_t page_offset = -(1ull << va);	/* _PAGE_OFFSET(vabits_actual) */
	uint64_t page_offset_cfg = -(1ull << va_cfg);	/* PAGE_OFFSET */
	/* The new layout (vmemmap at the top, VMEMMAP_END = -SZ_1G) came
	 * with 52-bit LPA2 support; it is told by the exported bounds. */
	bool layout_612 = vi->vmemmap_end.set && vi->vmemmap_end.v == -(1ull << 30);
	unsigned va_min = va_cfg > 48 ? (layout_612 && pg->page_shift == 14 ? 47 : 48) : va_cfg;
	uint64_t page_end = -(1ull << (va_min - 1));	/* _PAGE_END(VA_BITS_MIN) */
	uint64_t linear_end = vi->modules_vaddr.set ? vi->modules_vaddr.v : page_end;

	region_paint(rg, 0, pg->user_end + 1, RG_USER);
	region_paint(rg, page_offset, 0, RG_KERNEL);
	rg->nranges = 1;
	rg->range_start[0] = page_offset;
	rg->range_end[0] = UINT64_MAX;
	if (pg->version && pg->version < KVER(5, 4, 0)) {
		/* Before 5.4 flipped the kernel half, the linear map was its
		 * upper half: PAGE_OFFSET = 0xffffffffffffffff -
		 * (1 << (VA_BITS - 1)) + 1 (4.18 memory.h). */
		region_paint(rg, -(1ull << (va_cfg - 1)), 0, RG_LINEAR);
		region_marker(rg, -(1ull << (va_cfg - 1)), "Linear Mapping");
		region_how(rg, "the linear map from VA_BITS (before 5.4's layout)");
		region_kernel_image(rg, f);
		return;
	}
	region_marker(rg, page_offset_cfg, "Linear Mapping start");
	region_marker(rg, linear_end, "Linear Mapping end");

	/* KASAN (generic: 1/8 of the space, scale 3; software tags: 1/16,
	 * scale 4; mm/kasan/kasan.h) sits at the linear map's end:
	 * KASAN_SHADOW_END = _PAGE_END(VA_BITS_MIN) for the Kconfig default
	 * KASAN_SHADOW_OFFSET, KASAN_SHADOW_START from vabits_actual. */
	if (f->have[RS_KASAN_EARLY_SHADOW]) {
		unsigned scale = f->have[RS_HWASAN_LOAD8] ? 4 : 3;
		uint64_t start = linear_end - (1ull << (va - scale));
		region_paint(rg, page_offset, start, RG_LINEAR);
		region_paint(rg, start, linear_end, RG_KASAN);
		rg->m[rg->nmarkers - 1].start = start;
		region_marker(rg, start, "Kasan shadow start");
		region_marker(rg, linear_end, "Kasan shadow end");
		region_how(rg, "KASAN from kasan_early_shadow_page");
	} else {
		region_paint(rg, page_offset, linear_end, RG_LINEAR);
	}
	if (vi->modules_vaddr.set && vi->modules_end.set) {
		region_paint(rg, vi->modules_vaddr.v, vi->modules_end.v, RG_MODULES);
		region_marker(rg, vi->modules_vaddr.v, "Modules start");
		region_marker(rg, vi->modules_end.v, "Modules end");
	}
	if (vi->vmalloc_start.set && vi->vmalloc_end.set) {
		region_paint(rg, vi->vmalloc_start.v, vi->vmalloc_end.v, RG_VMALLOC);
		region_marker(rg, vi->vmalloc_start.v, "vmalloc() area");
		region_marker(rg, vi->vmalloc_end.v, "vmalloc() end");
	}
	if (vi->vmemmap_start.set && vi->vmemmap_end.set) {
		uint64_t vs = vi->vmemmap_start.v, ve = vi->vmemmap_end.v;
		region_paint(rg, vs, ve, RG_VMEMMAP);
		/* ptdump_init(): virt_to_page(_PAGE_OFFSET(vabits_actual)),
		 * struct page being 64 bytes (STRUCT_PAGE_MAX_SHIFT 6). */
		region_marker(rg, vs + ((page_offset - page_offset_cfg) >> pg->page_shift) * 64,
			      "vmemmap start");
		region_marker(rg, ve, "vmemmap end");
		uint64_t pci_start, fixaddr_top;
		if (layout_612) {
			/* PCI_IO_START = VMEMMAP_END + SZ_8M, FIXADDR_TOP = -SZ_8M */
			pci_start = ve + 8 * SZ_1M;
			fixaddr_top = -(8 * SZ_1M);
		} else {
			/* 6.1: PCI_IO_END = VMEMMAP_START - SZ_8M,
			 * FIXADDR_TOP = VMEMMAP_START - SZ_32M */
			pci_start = vs - 8 * SZ_1M - 16 * SZ_1M;
			fixaddr_top = vs - 32 * SZ_1M;
		}
		uint64_t fix_start = fixaddr_top - (arm64_fixmap_pages(pg, layout_612) << pg->page_shift);
		region_paint(rg, pci_start, pci_start + 16 * SZ_1M, RG_PCI_IO);
		region_paint(rg, fix_start, fixaddr_top, RG_FIXMAP);
		region_marker(rg, pci_start, "PCI I/O start");
		region_marker(rg, pci_start + 16 * SZ_1M, "PCI I/O end");
		region_marker(rg, fix_start, "Fixmap start");
		region_marker(rg, fixaddr_top, "Fixmap end");
		region_how(rg, "bounds from VMCOREINFO, the %s layout", layout_612 ? "6.12" : "6.1");
	} else {
		region_how(rg, "the linear map from VA_BITS; no bounds in VMCOREINFO");
	}
	region_kernel_image(rg, f);
}

/* The depth note_page() sees (6.12 arch/arm64/mm/ptdump.c): what
 * mm/pagewalk.c reports, a folded p4d or pud counted as the pgd
 * (mm_p4d_folded(), mm_pud_folded()); with two levels the pmd is the top
 * and keeps its depth. */
static unsigned arm64_ptdump_depth(const struct paging *pg, unsigned level)
{
	if (level + 1 == pg->levels && pg->levels >= 3)
		return 0;
	return 4 - level;
}

/* ptdump prints pte_bits[] as it is, SHD included under LPA2 (6.12
 * arch/arm64/mm/ptdump.c has no LPA2 case). */
static const struct attr_word *arm64_ptdump_words(const struct paging *pg, size_t *n)
{
	(void)pg;
	*n = sizeof arm64_words / sizeof arm64_words[0];
	return arm64_words;
}

const struct arch_ops arch_arm64 = {
	.name = "arm64",
	.kdump_arch = "aarch64",
	.elf_machine = EM_AARCH64,
	.elf_class = 64,
	.big_endian = false,
	.vmcoreinfo_matches = arm64_vmcoreinfo_matches,
	.setup = arm64_setup,
	.decode = arm64_decode,
	.oa = arm64_oa,
	.gang_of = arm64_gang_of,
	.gang_legal_diff = arm64_gang_legal_diff,
	.gang_span_shift = arm64_gang_span_shift,
	.root_from_register = arm64_root_from_register,
	.has_lpa2 = true,
	.split_roots = true,
	.relocatable = true,
	/* ZONE_DEVICE and MEMORY_FAILURE are arm64's too; userfaultfd-wp
	 * since 6.10 (6.12 arch/arm64/Kconfig HAVE_ARCH_USERFAULTFD_WP). */
	.device_private = true,
	.memory_failure = true,
	.uffd_wp_since = KVER(6, 10, 0),
	.cache_names = arm64_cache_names,
	.attr_words = arm64_attr_words,
	.regions = arm64_regions,
	.ptdump_style = PTDUMP_ARM64,
	.ptdump_depth = arm64_ptdump_depth,
	.ptdump_words = arm64_ptdump_words,
};
