/* SPDX-License-Identifier: GPL-2.0-or-later */
/* arm64 paging: 4K, 16K or 64K granules, 2 to 5 levels. */
#include "config.h"

#include <elf.h>
#include <stdio.h>

#include "arch-private.h"
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
};
