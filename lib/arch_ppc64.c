/* SPDX-License-Identifier: GPL-2.0-or-later */
/* powerpc64 Book3S paging: Linux's own tables, four levels of big-endian
 * eight-byte entries whatever the kernel's byte order, under either MMU:
 *   radix (POWER9 on): the tables are the MMU's; 4K pages 9/9/9/13 index
 *     bits, 64K pages 5/9/9/13 (256-byte pte tables), 52-bit addresses,
 *     leaves at the pmd (2M) and pud (1G);
 *   hash: the MMU reads its hash table, which the kernel fills from these
 *     tables; 4K pages 9/7/9/9 (46-bit), 64K pages 8/10/10/8 (52-bit).
 *     With 64K pages a 16M page is a pmd leaf and a 16G page a pud leaf;
 *     with 4K pages (since 6.12, which removed hugepd) a 16M page is 8
 *     contiguous pmds of 2M and a 16G page 64 contiguous puds of 256M.
 * User tables map [0, TASK_SIZE); the kernel's (swapper_pg_dir, init_mm)
 * map 0xc000000000000000 up, pgd_index() dropping the top bits. Under
 * hash the linear map and vmemmap are bolted into the hash table and are
 * in no Linux table.
 *
 * Sources: Linux 6.12 and 7.2 arch/powerpc/include/asm/book3s/64/
 * pgtable.h, radix.h, radix-4k.h, radix-64k.h, hash.h, hash-4k.h,
 * hash-64k.h, hash-pkey.h, pgalloc.h; arch/powerpc/mm/pgtable.c
 * (set_huge_pte_at()), arch/powerpc/mm/book3s64/hugetlbpage.c,
 * arch/powerpc/kexec/vmcore_info.c, arch/powerpc/mm/ptdump/; 6.1 where
 * older releases differ. */
#include "config.h"

#include <elf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arch-private.h"
#include "image-private.h"
#include "region.h"
#include "vmcoreinfo.h"
#include "walk.h"

#ifndef EM_PPC64
#define EM_PPC64 21
#endif

/* Bits common to radix and hash (6.12 book3s/64/pgtable.h). */
#define P_EXEC		0x00001ull	/* _PAGE_EXEC */
#define P_WRITE		0x00002ull	/* _PAGE_WRITE */
#define P_READ		0x00004ull	/* _PAGE_READ */
#define P_RWX		(P_READ | P_WRITE | P_EXEC)
#define P_PRIV		0x00008ull	/* _PAGE_PRIVILEGED: kernel only */
#define P_CACHE		0x00030ull	/* _PAGE_SAO 0x10, _PAGE_NON_IDEMPOTENT 0x20, _PAGE_TOLERANT 0x30 */
#define P_NON_IDEMPOTENT 0x00020ull	/* also _PAGE_SWP_EXCLUSIVE */
#define P_RSV1		0x00040ull	/* _RPAGE_RSV1: hash's H_PAGE_BUSY */
#define P_DIRTY		0x00080ull	/* _PAGE_DIRTY (C) */
#define P_ACCESSED	0x00100ull	/* _PAGE_ACCESSED (R) */
#define P_SOFT_DIRTY	0x00200ull	/* _RPAGE_SW3 */
#define P_SPECIAL	0x00400ull	/* _RPAGE_SW2 */
#define P_DEVMAP	0x00800ull	/* _RPAGE_SW1, until devmap went (6.17) */
#define P_PKEY_BIT0	(1ull << 56)	/* _RPAGE_PKEY_BIT0 .. BIT4: bits 56-60 */
#define P_INVALID	(1ull << 61)	/* _RPAGE_SW0: _PAGE_INVALID */
#define P_PTE		(1ull << 62)	/* _PAGE_PTE: a leaf, not a pointer */
#define P_PRESENT	(1ull << 63)	/* _PAGE_PRESENT */
#define P_PA_MAX	53		/* _PAGE_PA_MAX: PTE_RPN_MASK's top */
/* Table entries: the next table's PA, and under radix its index size
 * (NLS) in the low 5 bits: RADIX_PMD_VAL_BITS = _PAGE_PRESENT |
 * RADIX_PTE_INDEX_SIZE; HASH_PMD_VAL_BITS = _PAGE_PRESENT (pgalloc.h
 * pmd_populate()). pud_pgtable() masks PUD_MASKED_BITS off. */
#define P_MASKED_BITS	0xc0000000000000ffull	/* PMD_MASKED_BITS */
#define P_RADIX_BAD	0x60000000000000e0ull	/* RADIX_PMD_BAD_BITS */

/* Hash's own bits (hash-4k.h, hash-64k.h): the hash table slot the pte
 * was loaded into, and its state. */
#define H4_F_GIX	(7ull << 53)		/* _RPAGE_RPN41..43: H_PAGE_F_GIX */
#define H4_F_SECOND	P_PKEY_BIT0		/* H_PAGE_F_SECOND */
#define H4_HASHPTE	(1ull << 60)		/* _RPAGE_PKEY_BIT4: H_PAGE_HASHPTE */
#define H64_COMBO	(1ull << 12)		/* _RPAGE_RPN0: H_PAGE_COMBO */
#define H64_4K_PFN	(1ull << 13)		/* _RPAGE_RPN1: H_PAGE_4K_PFN, H_PAGE_THP_HUGE */
#define H64_HASHPTE	(1ull << 55)		/* _RPAGE_RPN43: H_PAGE_HASHPTE */

#define PPC64_KERNEL_BASE 0xc000000000000000ull	/* PAGE_OFFSET */
/* NUMBER(RADIX_MMU): "powerpc/vmcore: Add MMU information to vmcoreinfo",
 * Linux 6.7. */
#define PPC64_RADIX_MMU_SINCE KVER(6, 7, 0)
#define PPC64_DEVMAP_UNTIL KVER(6, 17, 0)
/* "powerpc/64s: Use contiguous PMD/PUD instead of HUGEPD", 6.12. */
#define PPC64_HUGEPD_UNTIL KVER(6, 12, 0)

static bool ppc64_vmcoreinfo_matches(const struct vmcoreinfo *vi)
{
	/* NUMBER(RADIX_MMU) (6.7 on) and SYMBOL(mmu_psize_defs) (with
	 * SPARSEMEM_VMEMMAP, every release) are powerpc64's own (6.12
	 * arch/powerpc/kexec/vmcore_info.c, 6.1 arch/powerpc/kexec/core.c). */
	return vi->radix_mmu.set || vi->mmu_psize_defs.set;
}

static bool ppc64_hash4k(const struct paging *pg)
{
	return !pg->radix && pg->page_shift == 12;
}

/* The geometry of each MMU and page size (radix-4k.h, radix-64k.h,
 * hash-4k.h, hash-64k.h: PTE, PMD, PUD, PGD index sizes). */
static void ppc64_geometry(struct paging *pg)
{
	static const unsigned bits[2][2][4] = {
		/* hash */  { { 9, 7, 9, 9 }, { 8, 10, 10, 8 } },
		/* radix */ { { 9, 9, 9, 13 }, { 5, 9, 9, 13 } },
	};
	const unsigned *b = bits[pg->radix][pg->page_shift == 16];
	unsigned shift = pg->page_shift;
	pg->levels = 4;
	for (unsigned l = 0; l < 4; l++) {
		pg->level_shift[l] = shift;
		pg->level_bits[l] = b[l];
		shift += b[l];
	}
	/* RADIX_PGTABLE_RANGE, H_PGTABLE_RANGE: 52 bits, 46 for hash-4K. */
	pg->va_bits = shift;
	/* TASK_SIZE_USER64: 4PB with 64K pages, 64TB with 4K
	 * (asm/task_size_64.h). */
	pg->user_end = pg->page_shift == 16 ? (1ull << 52) - 1 : (1ull << 46) - 1;
	pg->mmu = pg->radix ? "radix" : "hash";
}

static int ppc64_setup(struct paging *pg, const struct paging_facts *f,
		       const struct paging_options *opts, struct pt_error *err)
{
	const struct vmcoreinfo *vi = f->vmci;

	if (paging_page_size(pg, f, opts, 65536, err))
		return -1;
	if (pg->page_shift != 12 && pg->page_shift != 16)
		return pt_fail(err, PT_EXIT_IMAGE, "powerpc64 pages are 4096 or 65536 bytes, not %u",
			       1u << pg->page_shift);
	if (opts->levels && opts->levels != 4)
		return pt_fail(err, PT_EXIT_USAGE, "--levels=%u: powerpc64 tables have 4 levels",
			       opts->levels);
	pg->entry_size = 8;
	/* PTE_RPN_MASK: bits PAGE_SHIFT to _PAGE_PA_MAX - 1. */
	pg->oa_raw_mask = ((1ull << P_PA_MAX) - 1) & ~((1ull << pg->page_shift) - 1);
	pg->phys_addr_mask = pg->oa_raw_mask;
	pg->oa_simple = true;
	pg->kernel_va_base = PPC64_KERNEL_BASE;
	pg->page_offset = PPC64_KERNEL_BASE;

	/* swapper_pg_dir is in the kernel image, which lies in the linear
	 * map: __pa() clears the top nibble (book3s64 asm/page.h). */
	if (vi->swapper_pg_dir.set) {
		if (vi->swapper_pg_dir.v < PPC64_KERNEL_BASE)
			return pt_fail(err, PT_EXIT_IMAGE,
				       "SYMBOL(swapper_pg_dir) 0x%llx is below PAGE_OFFSET 0x%llx",
				       (unsigned long long)vi->swapper_pg_dir.v,
				       (unsigned long long)PPC64_KERNEL_BASE);
		pg->kernel_root.set = true;
		pg->kernel_root.v = vi->swapper_pg_dir.v & 0x0fffffffffffffffull;
		snprintf(pg->kernel_root_how, sizeof pg->kernel_root_how,
			 "__pa(SYMBOL(swapper_pg_dir))");
	}
	if (vi->kerneloffset.set)
		pg->kaslr_offset = vi->kerneloffset;

	if (opts->mmu && strcmp(opts->mmu, "radix") && strcmp(opts->mmu, "hash"))
		return pt_fail(err, PT_EXIT_USAGE, "--mmu=%s: expected radix or hash", opts->mmu);
	if (vi->radix_mmu.set && vi->radix_mmu.v > 1)
		return pt_fail(err, PT_EXIT_IMAGE, "NUMBER(RADIX_MMU)=%lld is neither 0 nor 1",
			       (long long)vi->radix_mmu.v);
	if (opts->mmu && vi->radix_mmu.set && !strcmp(opts->mmu, "radix") != (vi->radix_mmu.v == 1))
		return pt_fail(err, PT_EXIT_USAGE, "--mmu=%s, but NUMBER(RADIX_MMU)=%d says %s",
			       opts->mmu, (int)vi->radix_mmu.v, vi->radix_mmu.v ? "radix" : "hash");
	if (opts->mmu) {
		pg->radix = !strcmp(opts->mmu, "radix");
		pg->mmu_how = "--mmu";
		ppc64_geometry(pg);
	} else if (vi->radix_mmu.set) {
		pg->radix = vi->radix_mmu.v == 1;
		pg->mmu_how = "NUMBER(RADIX_MMU)";
		ppc64_geometry(pg);
	} else {
		/* Before 6.7: ppc64_probe() looks at swapper_pg_dir. */
		pg->mmu = NULL;
	}
	if (opts->va_bits && pg->mmu && opts->va_bits != pg->va_bits)
		return pt_fail(err, PT_EXIT_USAGE, "--va-bits=%u: %s tables with %uK pages map %u bits",
			       opts->va_bits, pg->mmu, 1u << (pg->page_shift - 10), pg->va_bits);
	return 0;
}

/* Without NUMBER(RADIX_MMU) (before 6.7), which MMU's tables the kernel
 * keeps shows in swapper_pg_dir itself: each radix table entry holds its
 * next table's index size (RADIX_PGD_VAL_BITS = _PAGE_PRESENT |
 * RADIX_PUD_INDEX_SIZE, 9), each hash one none (HASH_PGD_VAL_BITS).
 * swapper_pg_dir is MAX_PTRS_PER_PGD entries, radix's 8192. */
static int ppc64_probe_mmu(struct paging *pg, struct image *img, struct pt_error *err)
{
	if (pg->mmu)
		return 0;
	if (!pg->kernel_root.set)
		return pt_fail(err, PT_EXIT_IMAGE,
			       "no NUMBER(RADIX_MMU) (before 6.7) and no swapper_pg_dir to tell radix from "
			       "hash by: give --mmu");
	size_t n = 8192, radix = 0, hash = 0;
	uint8_t *buf = malloc(n * 8);
	if (!buf)
		return pt_oom(err, n * 8);
	enum read_status st = image_read(img, pg->kernel_root.v, buf, n * 8);
	if (st != READ_OK) {
		/* A hash pgd is 256 or 512 entries: read what there is. */
		n = 512;
		st = image_read(img, pg->kernel_root.v, buf, n * 8);
	}
	if (st != READ_OK) {
		free(buf);
		return pt_fail(err, PT_EXIT_IMAGE,
			       "no NUMBER(RADIX_MMU) (before 6.7), and swapper_pg_dir at 0x%llx: %s; give --mmu",
			       (unsigned long long)pg->kernel_root.v, read_status_name(st));
	}
	for (size_t i = 0; i < n; i++) {
		uint64_t raw = image_get64(buf + i * 8, true);
		if ((raw & (P_PRESENT | P_PTE)) != P_PRESENT)
			continue;
		if ((raw & 0xff) == 9)
			radix++;
		else if (!(raw & 0xff))
			hash++;
	}
	free(buf);
	if (!radix == !hash)
		return pt_fail(err, PT_EXIT_IMAGE,
			       "no NUMBER(RADIX_MMU) (before 6.7), and swapper_pg_dir at 0x%llx has %s; give --mmu",
			       (unsigned long long)pg->kernel_root.v,
			       radix ? "both radix and hash table entries" : "no table entries");
	pg->radix = radix > 0;
	pg->mmu_how = "swapper_pg_dir's table entries";
	ppc64_geometry(pg);
	return 0;
}

/* Memory's byte order, which the dump's headers may not tell: QEMU 7.2
 * writes a ppc64le guest's ELF dump big-endian (its EI_DATA and notes
 * MSB, memory LE). kallsyms_num_syms (an unsigned int, VMCOREINFO since
 * 6.0) in the kernel image, __pa() of its symbol, is a count below 2^24
 * in the kernel's own order only. */
static void ppc64_probe_endian(struct paging *pg, struct image *img)
{
	const struct vmcoreinfo *vi = &img->vmci;
	uint8_t b[4];
	if (!vi->kallsyms_num_syms.set || vi->kallsyms_num_syms.v < PPC64_KERNEL_BASE ||
	    image_read(img, vi->kallsyms_num_syms.v & 0x0fffffffffffffffull, b, 4) != READ_OK)
		return;
	uint32_t le = image_get32(b, false), be = image_get32(b, true);
	bool le_ok = le && le < (1u << 24), be_ok = be && be < (1u << 24);
	if (le_ok == be_ok || be_ok == pg->big_endian)
		return;
	pg->big_endian = be_ok;
	pg->endian_how = "kallsyms_num_syms";
}

/* KERN_VIRT_START, where vmalloc begins and the linear map ends:
 * H_KERN_VIRT_START with 4K hash pages (hash-4k.h), else
 * RADIX_KERN_VIRT_START and 64K hash's H_KERN_VIRT_START (radix.h,
 * hash-64k.h). */
static uint64_t ppc64_kern_virt_start(const struct paging *pg)
{
	return ppc64_hash4k(pg) ? 0xc0003d0000000000ull : 0xc008000000000000ull;
}

static int ppc64_probe(struct paging *pg, struct image *img, struct pt_error *err)
{
	ppc64_probe_endian(pg, img);
	return ppc64_probe_mmu(pg, img, err);
}

/* Under hash the linear map is bolted into the hash table and in no
 * Linux table: __pa() is how the kernel itself translates it
 * (book3s64 asm/page.h), from PAGE_OFFSET to KERN_VIRT_START. */
static bool ppc64_untabled(const struct paging *pg, uint64_t va, uint64_t *pa, uint64_t *avail)
{
	if (pg->radix || va < PPC64_KERNEL_BASE || va >= ppc64_kern_virt_start(pg))
		return false;
	uint64_t page = 1ull << pg->page_shift;
	*pa = va - PPC64_KERNEL_BASE;
	*avail = page - (va & (page - 1));
	return true;
}

/* The _PAGE_HPTEFLAGS of the build: hash's record of the hash table slot
 * (hash-4k.h, hash-64k.h). */
static uint64_t ppc64_hpteflags(const struct paging *pg)
{
	return pg->page_shift == 12 ? P_RSV1 | H4_HASHPTE | H4_F_SECOND | H4_F_GIX :
				      P_RSV1 | H64_HASHPTE | H64_COMBO;
}

/* Bits a leaf may hold besides the address and the common flags. */
static uint64_t ppc64_leaf_extra(const struct paging *pg)
{
	if (pg->radix)
		return 0;
	uint64_t m = ppc64_hpteflags(pg);
	if (pg->page_shift == 16)
		m |= H64_4K_PFN;
	/* Protection keys in the pte under hash only (pkeys.h
	 * vmflag_to_pte_pkey_bits(): radix BUG()s): H_PTE_PKEY_BIT0..4, bits
	 * 56-60 with 64K pages, 57-59 with 4K (hash-4k.h, 8 keys). */
	m |= pg->page_shift == 16 ? 0x1full << 56 : 0x7ull << 57;
	return m;
}

/* pte_to_pkey_bits(): H_PTE_PKEY_BIT0 is the key's bit 0 (hash-pkey.h
 * hash__pte_to_pkey_bits()). */
static unsigned ppc64_pkey(const struct paging *pg, uint64_t raw)
{
	if (pg->radix)
		return 0;
	if (pg->page_shift == 16)
		return (unsigned)((raw >> 56) & 0x1f);
	return (unsigned)((raw >> 57) & 7);
}

static const char *const ppc64_cache_names[] = {
	"normal", "sao", "non-idempotent", "tolerant",
};

static void ppc64_decode(const struct paging *pg, unsigned level, uint64_t raw,
			 struct pt_decoded *d)
{
	*d = (struct pt_decoded){ 0 };
	/* pte_none(): radix ignores D and A the nest MMU may set after a
	 * clear (RADIX_PTE_NONE_MASK), hash its slot record
	 * (H_PTE_NONE_MASK). */
	uint64_t none_mask = pg->radix ? P_DIRTY | P_ACCESSED : ppc64_hpteflags(pg);
	if (!(raw & ~none_mask))
		return;
	unsigned top = pg->levels - 1;

	if ((raw & (P_PRESENT | P_PTE)) == P_PRESENT) {
		/* A pointer to the next table (pmd_populate() and kin). */
		if (level == 0) {
			d->kind = PTK_BAD;
			d->why = "present pte without _PAGE_PTE";
			return;
		}
		uint64_t pa = raw & ~P_MASKED_BITS;
		uint64_t bytes = 8ull << pg->level_bits[level - 1];
		if (raw & (P_INVALID | (0x1full << 56))) {
			d->kind = PTK_BAD;
			d->why = "table entry with bits 56-61 set";
		} else if (pg->radix && (raw & P_RADIX_BAD)) {
			d->kind = PTK_BAD;
			d->why = "table entry with bits radix's pmd_bad() refuses";
		} else if (pg->radix && (raw & 0x1f) != pg->level_bits[level - 1]) {
			/* The MMU sizes the next table by NLS. */
			d->kind = PTK_BAD;
			d->why = "table entry whose next-level size is not the kernel's";
		} else if (ppc64_hash4k(pg) && pg->version && pg->version < PPC64_HUGEPD_UNTIL &&
			   (raw & 0x3f)) {
			/* hash__hugepd_ok(): present, no _PAGE_PTE, a shift in
			 * HUGEPD_SHIFT_MASK (6.1 book3s/64/hash-4k.h,
			 * asm/page.h): the 16M and 16G pages' directory
			 * before 6.12. */
			d->kind = PTK_BAD;
			d->why = "hugepd (hash with 4K pages before 6.12), not decoded";
		} else if (!pg->radix && (raw & 0xff)) {
			d->kind = PTK_BAD;
			d->why = "table entry with low bits set (hash's pmd_bad())";
		} else if (pa & (bytes - 1)) {
			d->kind = PTK_BAD;
			d->why = "table address not aligned to the table's size";
		} else {
			d->kind = PTK_TABLE;
			d->pa = pa;
		}
		return;
	}

	if (!(raw & P_PTE)) {
		d->kind = PTK_BAD;
		d->why = "neither present nor a swap entry (no _PAGE_PTE)";
		return;
	}
	if (level == top) {
		d->kind = PTK_BAD;
		d->why = "leaf in the pgd (Linux maps none there)";
		return;
	}
	if (raw & P_PRESENT) {
		if (raw & P_INVALID) {
			d->kind = PTK_BAD;
			d->why = "present with _PAGE_INVALID (only a cleared entry has it)";
			return;
		}
	} else if (!(raw & P_INVALID)) {
		/* A swap entry: __swp_entry_to_pte() sets _PAGE_PTE over the
		 * type (bits 0-4), _PAGE_SWP_EXCLUSIVE, _PAGE_SWP_SOFT_DIRTY
		 * and the offset in PTE_RPN_MASK; at the pmd a THP migration
		 * entry (book3s64 selects ARCH_ENABLE_THP_MIGRATION). */
		if (level > 1) {
			d->kind = PTK_BAD;
			d->why = "swap entry above the pmd level";
			return;
		}
		uint64_t allowed = P_PTE | 0x1f | P_NON_IDEMPOTENT | P_SOFT_DIRTY | pg->oa_raw_mask;
		if (raw & ~allowed) {
			d->kind = PTK_BAD;
			d->why = "not present, with bits a swap entry leaves zero";
			return;
		}
		d->kind = PTK_SWAP;
		d->swap_type = (uint8_t)(raw & 0x1f);
		d->swap_offset = (raw & pg->oa_raw_mask) >> pg->page_shift;
		if (raw & P_NON_IDEMPOTENT)
			d->flags |= PTF_EXCLUSIVE;
		if (raw & P_SOFT_DIRTY)
			d->flags |= PTF_SOFT_DIRTY;
		d->swap_kind = pt_swap_kind(pg, d->swap_type);
		return;
	}
	/* Present, or made invalid for an update (pte_present(): _PAGE_INVALID
	 * with _PAGE_PTE; pmdp_invalidate()). */
	uint64_t known = P_PRESENT | P_PTE | P_INVALID | 0xfff | pg->oa_raw_mask |
			 ppc64_leaf_extra(pg);
	if (raw & ~known) {
		d->kind = PTK_BAD;
		d->why = pg->radix ? "leaf with bits radix leaves zero set" :
				     "leaf with bits hash leaves zero set";
		return;
	}
	if (pg->radix && (raw & P_RSV1)) {
		d->kind = PTK_BAD;
		d->why = "leaf with bit 6 set (hash's busy bit, unused under radix)";
		return;
	}
	d->kind = PTK_LEAF;
	d->flags = PTF_PRESENT;
	d->pa = raw & pg->oa_raw_mask;
	/* pte_protnone(): present and _PAGE_PTE without R, W, X. */
	if ((raw & P_PRESENT) && !(raw & P_RWX))
		d->flags |= PTF_PROTNONE;
	if (level > 0) {
		if (ppc64_hash4k(pg))
			d->flags |= PTF_CONT;	/* part of a 16M or 16G page */
		else if (d->pa & ((1ull << pg->level_shift[level]) - 1))
			d->anomalies |= PTA_LEAF_RESERVED_BITS;
	}
	if (raw & P_READ)
		d->flags |= PTF_READ;
	if (raw & P_WRITE)
		d->flags |= PTF_WRITE;
	if (!(raw & P_PRIV)) {
		d->flags |= PTF_USER;
		if (raw & P_EXEC)
			d->flags |= PTF_EXEC_USER;
	} else if (raw & P_EXEC) {
		d->flags |= PTF_EXEC_KERNEL;
	}
	if (raw & P_DIRTY)
		d->flags |= PTF_DIRTY;
	if (raw & P_ACCESSED)
		d->flags |= PTF_YOUNG;
	if (raw & P_SOFT_DIRTY)
		d->flags |= PTF_SOFT_DIRTY;
	if (raw & P_SPECIAL)
		d->flags |= PTF_SPECIAL;
	/* _PAGE_DEVMAP: SW1 from 4.13 until devmap went in 6.17 (7.2 has no
	 * user of the bit). */
	if ((raw & P_DEVMAP) && (!pg->version || pg->version < PPC64_DEVMAP_UNTIL))
		d->flags |= PTF_DEVMAP;
	d->cache = (uint8_t)((raw & P_CACHE) >> 4);
	d->pkey = (uint8_t)ppc64_pkey(pg, raw);
}

/* Hash with 4K pages: set_huge_pte_at() writes a 16M page as sz / pdsize
 * = 8 pmds of 2M and a 16G page as 64 puds of 256M, each entry's address
 * pdsize on from the one before (6.12 arch/powerpc/mm/pgtable.c); the MMU
 * takes the 16M or 16G page from whichever entry the fault came through
 * (__hash_page_huge(): pte_pfn() into hpte_insert_repeating() at the
 * huge page size; pmd_leaf_size(), pud_leaf_size()). */
static bool ppc64_gang_of(const struct paging *pg, const struct phys_entry *pe,
			  struct gang_spec *gs)
{
	if (!ppc64_hash4k(pg) || !(pe->d.flags & PTF_CONT) || (pe->level != 1 && pe->level != 2))
		return false;
	bool pud = pe->level == 2;
	uint64_t step = 1ull << pg->level_shift[pe->level];
	uint64_t size = pud ? 1ull << 34 : 1ull << 24;
	*gs = (struct gang_spec){
		.n = (unsigned)(size / step), .layout = { { .rep = 1, .step = step } }, .nlayouts = 1,
		.size = size, .mmu_page = size, .form = pud ? FORM_CONT_PUD : FORM_CONT_PMD,
	};
	return true;
}

static unsigned ppc64_gang_span_shift(const struct paging *pg)
{
	return ppc64_hash4k(pg) ? 34 : 0;
}

/* What may differ between the entries of a hash-4K gang: the hash slot
 * record, kept in the entry the fault came through (__hash_page_huge()),
 * and what hash__ptep_set_access_flags() sets in the first entry only
 * (huge_ptep_set_access_flags() is given huge_pte_offset()'s first
 * entry): dirty, accessed, R, W, X and soft-dirty. pte_update() with
 * huge set, used to clear them, changes all (hash.h hash__pte_update()). */
static uint64_t ppc64_gang_legal_diff(const struct paging *pg, uint64_t first, uint64_t other)
{
	(void)first, (void)other;
	return ppc64_hpteflags(pg) | P_DIRTY | P_ACCESSED | P_RWX | P_SOFT_DIRTY;
}

/* A register value is taken as the root's PA: the PRTB's entries and the
 * PID's context are not in a dump. */
static int ppc64_root_from_register(const struct paging *pg, uint64_t reg, uint64_t *pa,
				    struct pt_error *err)
{
	uint64_t align = 8ull << pg->level_bits[pg->levels - 1];
	if (reg >= PPC64_KERNEL_BASE)
		reg &= 0x0fffffffffffffffull;	/* a pgd's kernel address: __pa() */
	if (reg & (align - 1))
		return pt_fail(err, PT_EXIT_USAGE, "--pgd=0x%llx: not a %llu-byte aligned pgd address",
			       (unsigned long long)reg, (unsigned long long)align);
	*pa = reg;
	return 0;
}

/* The kernel's ptdump words, flag_array[] of 6.12
 * arch/powerpc/mm/ptdump/book3s64.c (hash's f_gix printed by value). */
static const struct attr_word ppc64_words_4k[] = {
	{ P_PRIV, 0, "user", "    ", 0 },
	{ P_READ, P_READ, "r", " ", 0 },
	{ P_WRITE, P_WRITE, "w", " ", 0 },
	{ P_EXEC, P_EXEC, " X ", "   ", 0 },
	{ P_PTE, P_PTE, "pte", "   ", 0 },
	{ P_PRESENT, P_PRESENT, "valid", "     ", 0 },
	{ P_PRESENT | P_INVALID, 0, "       ", "present", 0 },
	{ H4_HASHPTE, H4_HASHPTE, "hpte", "    ", 0 },
	{ P_DIRTY, P_DIRTY, "dirty", "     ", 0 },
	{ P_ACCESSED, P_ACCESSED, "accessed", "        ", 0 },
	{ P_NON_IDEMPOTENT, P_NON_IDEMPOTENT, "non-idempotent", "              ", 0 },
	{ P_CACHE, P_CACHE, "tolerant", "        ", 0 },
	{ P_RSV1, P_RSV1, "busy", NULL, 0 },
	{ H4_F_GIX, 0ull << 53, "f_gix:0", NULL, 0 },
	{ H4_F_GIX, 1ull << 53, "f_gix:1", NULL, 0 },
	{ H4_F_GIX, 2ull << 53, "f_gix:2", NULL, 0 },
	{ H4_F_GIX, 3ull << 53, "f_gix:3", NULL, 0 },
	{ H4_F_GIX, 4ull << 53, "f_gix:4", NULL, 0 },
	{ H4_F_GIX, 5ull << 53, "f_gix:5", NULL, 0 },
	{ H4_F_GIX, 6ull << 53, "f_gix:6", NULL, 0 },
	{ H4_F_GIX, 7ull << 53, "f_gix:7", NULL, 0 },
	{ H4_F_SECOND, H4_F_SECOND, "f_second", NULL, 0 },
	{ P_SPECIAL, P_SPECIAL, "special", NULL, 0 },
};

static const struct attr_word ppc64_words_64k[] = {
	{ P_PRIV, 0, "user", "    ", 0 },
	{ P_READ, P_READ, "r", " ", 0 },
	{ P_WRITE, P_WRITE, "w", " ", 0 },
	{ P_EXEC, P_EXEC, " X ", "   ", 0 },
	{ P_PTE, P_PTE, "pte", "   ", 0 },
	{ P_PRESENT, P_PRESENT, "valid", "     ", 0 },
	{ P_PRESENT | P_INVALID, 0, "       ", "present", 0 },
	{ H64_HASHPTE, H64_HASHPTE, "hpte", "    ", 0 },
	{ P_DIRTY, P_DIRTY, "dirty", "     ", 0 },
	{ P_ACCESSED, P_ACCESSED, "accessed", "        ", 0 },
	{ P_NON_IDEMPOTENT, P_NON_IDEMPOTENT, "non-idempotent", "              ", 0 },
	{ P_CACHE, P_CACHE, "tolerant", "        ", 0 },
	{ P_RSV1, P_RSV1, "busy", NULL, 0 },
	{ H64_COMBO, H64_COMBO, "combo", NULL, 0 },
	{ H64_4K_PFN, H64_4K_PFN, "4K_pfn", NULL, 0 },
	{ P_SPECIAL, P_SPECIAL, "special", NULL, 0 },
};

static const struct attr_word *ppc64_attr_words(const struct paging *pg, uint64_t raw, size_t *n)
{
	(void)raw;
	if (pg->page_shift == 12) {
		*n = sizeof ppc64_words_4k / sizeof ppc64_words_4k[0];
		return ppc64_words_4k;
	}
	*n = sizeof ppc64_words_64k / sizeof ppc64_words_64k[0];
	return ppc64_words_64k;
}

/* ---- Regions ---------------------------------------------------------
 * 6.12 book3s/64/radix.h and hash.h, hash-4k.h, hash-64k.h: the linear
 * map from PAGE_OFFSET up to KERN_VIRT_START, then vmalloc, I/O and
 * vmemmap, KERN_MAP_SIZE each: RADIX_KERN_VIRT_START and
 * H_KERN_VIRT_START with 64K pages 0xc008000000000000 and 2^49 bytes,
 * hash with 4K pages 0xc0003d0000000000 and 2^40. The I/O region starts
 * with ISA I/O (64K) and PHB I/O (to 2G), then ioremap up to the
 * fixmap's FIXADDR_SIZE (32M) at its end (pgtable.h). */
#define PPC64_FIXADDR_SIZE (32ull << 20)
static void ppc64_regions(const struct paging *pg, const struct region_facts *f,
			  struct pt_regions *rg)
{
	uint64_t kvs = ppc64_kern_virt_start(pg);
	uint64_t map = ppc64_hash4k(pg) ? 1ull << 40 : 1ull << 49;
	uint64_t io = kvs + map, vmemmap = io + map;

	region_paint(rg, 0, pg->user_end + 1, RG_USER);
	region_paint(rg, PPC64_KERNEL_BASE, PPC64_KERNEL_BASE + (1ull << pg->va_bits), RG_KERNEL);
	rg->nranges = 1;
	/* ptdump walks from PAGE_OFFSET under radix, from KERN_VIRT_START
	 * under hash (ptdump_init()). */
	rg->range_start[0] = pg->radix ? PPC64_KERNEL_BASE : kvs;
	rg->range_end[0] = PPC64_KERNEL_BASE + (1ull << pg->va_bits) - 1;
	region_paint(rg, PPC64_KERNEL_BASE, kvs, RG_LINEAR);
	region_paint(rg, kvs, io, RG_VMALLOC);
	region_paint(rg, io, io + 0x80000000ull, RG_PCI_IO);
	region_paint(rg, io + 0x80000000ull, vmemmap - PPC64_FIXADDR_SIZE, RG_IOREMAP);
	region_paint(rg, vmemmap - PPC64_FIXADDR_SIZE, vmemmap, RG_FIXMAP);
	region_paint(rg, vmemmap, vmemmap + map, RG_VMEMMAP);
	/* ptdump's address_markers[] (6.12 arch/powerpc/mm/ptdump/ptdump.c). */
	region_marker(rg, PPC64_KERNEL_BASE, "Start of kernel VM");
	region_marker(rg, kvs, "vmalloc() Area");
	region_marker(rg, io, "vmalloc() End");
	region_marker(rg, io, "isa I/O start");
	region_marker(rg, io + 0x10000, "isa I/O end");
	region_marker(rg, io + 0x10000, "phb I/O start");
	region_marker(rg, io + 0x80000000ull, "phb I/O end");
	region_marker(rg, io + 0x80000000ull, "I/O remap start");
	region_marker(rg, vmemmap - PPC64_FIXADDR_SIZE, "I/O remap end");
	region_marker(rg, vmemmap, "vmemmap start");
	region_how(rg, "%s layout of %uK pages", pg->radix ? "radix" : "hash",
		   1u << (pg->page_shift - 10));
	if (!pg->radix)
		region_how(rg, "the linear map and vmemmap are in the hash table, not here");
	region_kernel_image(rg, f);
}

/* The depth mm/ptdump.c reports a level at: the pgd 0, the folded p4d
 * adds nothing (pgtable-nop4d.h), the pud 2, the pmd 3, the pte 4. */
static unsigned ppc64_ptdump_depth(const struct paging *pg, unsigned level)
{
	(void)pg;
	return level == 3 ? 0 : 4 - level;
}

static const struct attr_word *ppc64_ptdump_words(const struct paging *pg, size_t *n)
{
	return ppc64_attr_words(pg, 0, n);
}

const struct arch_ops arch_ppc64 = {
	.name = "ppc64",
	.kdump_arch = "ppc64",
	.elf_machine = EM_PPC64,
	.elf_class = 64,
	.big_endian = false,	/* a raw image: ppc64le, as Debian's ppc64el */
	.either_endian = true,
	.entries_big_endian = true,
	.vmcoreinfo_matches = ppc64_vmcoreinfo_matches,
	.setup = ppc64_setup,
	.probe = ppc64_probe,
	.untabled = ppc64_untabled,
	.decode = ppc64_decode,
	.gang_of = ppc64_gang_of,
	.gang_legal_diff = ppc64_gang_legal_diff,
	.gang_span_shift = ppc64_gang_span_shift,
	.root_from_register = ppc64_root_from_register,
	.has_pkeys = true,
	.split_roots = true,
	.relocatable = true,
	/* ZONE_DEVICE and MEMORY_FAILURE are book3s64's (6.12
	 * arch/powerpc/Kconfig, platforms/Kconfig.cputype); userfaultfd-wp
	 * is not. */
	.device_private = true,
	.memory_failure = true,
	.uffd_wp_since = 0,
	.cache_names = ppc64_cache_names,
	.attr_words = ppc64_attr_words,
	.regions = ppc64_regions,
	.ptdump_style = PTDUMP_PPC,
	.ptdump_depth = ppc64_ptdump_depth,
	.ptdump_words = ppc64_ptdump_words,
};
