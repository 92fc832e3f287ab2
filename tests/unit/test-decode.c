/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Entry decoding against raw values read from real Debian kernels (the
 * anchors listed in the design brief) and against encodings built from
 * the kernel headers' macros. */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "arch.h"
#include "fold.h"
#include "walk.h"
#include "tap.h"

/* A paging format as paging_setup_facts() decides it for ARCH with the
 * given page size, VA bits and release, and the kernel .config file
 * CONFIG_FILE (NULL: none): from facts alone, no image. */
static struct paging setup_with(const char *arch, uint64_t page_size, unsigned va_bits,
				unsigned levels, const char *release, const char *config_file)
{
	static struct vmcoreinfo none;
	struct paging_facts facts = { .path = "anchor", .vmci = &none };
	struct paging_options opts = { 0 };
	struct paging pg;
	struct pt_error err = { 0 };

	opts.arch = arch;
	opts.page_size = page_size;
	opts.va_bits = va_bits;
	opts.levels = levels;
	opts.kernel_release = release;
	opts.kernel_config = config_file;
	if (paging_setup_facts(&pg, &facts, &opts, &err)) {
		printf("Bail out! paging_setup_facts(%s, %s): %s\n", arch, release, err.msg);
		exit(1);
	}
	return pg;
}

static struct paging setup(const char *arch, uint64_t page_size, unsigned va_bits,
			   unsigned levels, const char *release)
{
	return setup_with(arch, page_size, va_bits, levels, release, NULL);
}

/* PG for ARCH (4K pages) and RELEASE with a kernel .config holding
 * CONFIG (lines), written to a temporary file. */
static struct paging setup_config(const char *arch, const char *release, const char *config)
{
	char path[] = "/tmp/ptwalk-test-config.XXXXXX";
	int fd = mkstemp(path);
	FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
	if (!f || fputs(config, f) < 0 || fclose(f)) {
		printf("Bail out! cannot write %s\n", path);
		exit(1);
	}
	struct paging pg = setup_with(arch, 4096, !strcmp(arch, "arm64") ? 48 : 0,
				      !strcmp(arch, "x86_64") ? 4 : 0, release, path);
	unlink(path);
	return pg;
}

/* "KIND@TYPE ..." for types FROM down to TO. */
static const char *kinds(const struct paging *pg, unsigned from, unsigned to)
{
	static char buf[1024];
	size_t len = 0;
	buf[0] = 0;
	for (unsigned t = from; t + 1 > to; t--)
		len += (size_t)snprintf(buf + len, sizeof buf - len, "%s%s@%u", len ? " " : "",
					pt_swap_kind(pg, t), t);
	return buf;
}

/* OK when the kinds of types FROM down to TO are WANT; say what they are
 * otherwise. */
static void swap_ok(const struct paging *pg, unsigned from, unsigned to, const char *want,
		    const char *what)
{
	const char *got = kinds(pg, from, to);
	OK(!strcmp(got, want), "swap types: %s", what);
	if (strcmp(got, want))
		printf("# got  %s\n# want %s\n", got, want);
}

static struct pt_decoded dec(const struct paging *pg, unsigned level, uint64_t raw)
{
	struct pt_decoded d;
	pt_decode(pg, level, raw, &d);
	return d;
}

/* Slots in the gang of RAW at LEVEL under PARENT, 0 if none. */
static unsigned gang_n(const struct paging *pg, unsigned level, uint64_t raw, uint64_t parent)
{
	struct phys_entry pe = { .raw = raw, .parent_raw = parent, .level = level };
	struct gang_spec gs;
	pt_decode(pg, level, raw, &pe.d);
	return pt_gang_of(pg, &pe, &gs) ? gs.n : 0;
}

#define USER_RW_CLEAN_NX (PTF_PRESENT | PTF_READ | PTF_WRITE | PTF_USER | PTF_DIRTY | \
			  PTF_YOUNG | PTF_SHARED)

/* A powerpc64 format: PAGE_SIZE pages under radix (RADIX 1) or hash,
 * as NUMBER(RADIX_MMU) says it, for RELEASE. */
static struct paging setup_ppc64(uint64_t page_size, int radix, const char *release)
{
	static struct vmcoreinfo vi;
	memset(&vi, 0, sizeof vi);
	vi.present = true;
	vi.radix_mmu = (struct opt_u64){ true, (uint64_t)radix };
	struct paging_facts facts = { .path = "anchor", .vmci = &vi };
	struct paging_options opts = { .arch = "ppc64", .page_size = page_size,
				       .kernel_release = release };
	struct paging pg;
	struct pt_error err = { 0 };
	if (paging_setup_facts(&pg, &facts, &opts, &err)) {
		printf("Bail out! ppc64 setup: %s\n", err.msg);
		exit(1);
	}
	return pg;
}

int main(void)
{
	tap_plan(126);
	struct pt_decoded d;

	/* arm64 6.1, 4K pages, 48-bit VA: user, read-write, touched, no
	 * exec, from a Debian cloud kernel under QEMU. */
	struct paging a61 = setup("arm64", 4096, 48, 0, "6.1.0-13-cloud-arm64");
	OK(a61.levels == 4 && gang_n(&a61, 0, 0x00f8000040000f43, 0) == 16 &&
	   gang_n(&a61, 1, 0x00f80000d6000f41, 0) == 16 && gang_n(&a61, 0, 0x00e800004199ef43, 0) == 0,
	   "arm64 4K/48: 4 levels, gangs of 16 where PTE_CONT is set");
	d = dec(&a61, 0, 0x00e800004199ef43);
	OK(d.kind == PTK_LEAF && d.pa == 0x4199e000 && d.flags == USER_RW_CLEAN_NX && d.cache == 0,
	   "arm64 6.1 4K page: leaf at 0x4199e000, user rw dirty young, normal");
	d = dec(&a61, 0, 0x00f8000040000f43);
	OK(d.kind == PTK_LEAF && d.pa == 0x40000000 && d.flags == (USER_RW_CLEAN_NX | PTF_CONT),
	   "arm64 6.1 64K hugetlb: a contiguous page entry");
	d = dec(&a61, 1, 0x00e8000043400f41);
	OK(d.kind == PTK_LEAF && d.pa == 0x43400000 && d.flags == USER_RW_CLEAN_NX,
	   "arm64 6.1 2M hugetlb: a pmd block");
	d = dec(&a61, 1, 0x00f80000d6000f41);
	OK(d.kind == PTK_LEAF && d.pa == 0xd6000000 && (d.flags & PTF_CONT),
	   "arm64 6.1 32M hugetlb: a contiguous pmd block");
	d = dec(&a61, 2, 0x00e8000080000f41);
	OK(d.kind == PTK_LEAF && d.pa == 0x80000000 && !(d.flags & PTF_CONT),
	   "arm64 6.1 1G hugetlb: a pud block");
	d = dec(&a61, 0, 0x00e8000041700f41);
	OK(d.kind == PTK_BAD, "arm64: a block descriptor at the page level is reserved");
	d = dec(&a61, 3, 0x0800000041004003);
	OK(d.kind == PTK_TABLE && d.pa == 0x41004000, "arm64: a table descriptor with PXNTable");
	/* 6.1 swap: type at bit 3, offset at bit 8, exclusive bit 2 (Linux
	 * 6.1 arch/arm64/include/asm/pgtable.h __swp_entry). */
	d = dec(&a61, 0, (2ull << 3) | (0x777ull << 8) | 4);
	OK(d.kind == PTK_SWAP && d.swap_type == 2 && d.swap_offset == 0x777 &&
	   d.flags == PTF_EXCLUSIVE && !strcmp(d.swap_kind, "swap"), "arm64 6.1 swap entry");
	/* 6.1 protnone: PTE_PROT_NONE (bit 58) without PTE_VALID. */
	d = dec(&a61, 0, 0x0460000041820f42);
	OK(d.kind == PTK_LEAF && (d.flags & PTF_PROTNONE) && (d.flags & PTF_PRESENT) &&
	   !(d.flags & PTF_READ), "arm64 6.1 protnone");
	/* The same bits on 6.12 are not protnone: bit 58 is UFFD_WP there
	 * and protnone is PTE_PRESENT_INVALID (nG) without VALID. */
	struct paging a612 = setup("arm64", 4096, 48, 0, "6.12.48+deb12-arm64");
	d = dec(&a612, 0, 0x0060000041703f02);
	OK(d.kind == PTK_LEAF && (d.flags & PTF_PROTNONE), "arm64 6.12 protnone (present-invalid nG)");
	d = dec(&a612, 0, 0x04e8000041703f43);
	OK(d.kind == PTK_LEAF && (d.flags & PTF_UFFD_WP) && !(d.flags & PTF_PROTNONE),
	   "arm64 6.12: bit 58 of a valid entry is uffd-wp");
	/* 6.12 swap: type at bit 6, offset at bit 12; type 26 is
	 * migration-write once the pte-marker type exists. */
	d = dec(&a612, 0, (26ull << 6) | (0x41000ull << 12) | 4);
	OK(d.kind == PTK_SWAP && d.swap_type == 26 && d.swap_offset == 0x41000 &&
	   !strcmp(d.swap_kind, "migration-write|swap"),
	   "arm64 6.12 type 26: migration-write with CONFIG_DEVICE_PRIVATE, swap without");

	/* Each remaining software and hardware bit on its own (Linux 6.1
	 * and 6.12 arch/arm64/include/asm/pgtable-hwdef.h, pgtable-prot.h,
	 * memory.h). */
	d = dec(&a612, 0, 0x0128000041000f43 | (1ull << 50) | (1ull << 57));
	OK(d.kind == PTK_LEAF && (d.flags & PTF_SPECIAL) && (d.flags & PTF_GUARDED) &&
	   (d.flags & PTF_DEVMAP), "arm64: PTE_SPECIAL (56), PTE_GP (50), PTE_DEVMAP (57)");
	d = dec(&a612, 0, 0x0020000041000f43);
	OK((d.flags & PTF_EXEC_USER) && !(d.flags & PTF_EXEC_KERNEL),
	   "arm64: UXN clear is user-executable, PXN set is not kernel-executable");
	d = dec(&a612, 0, 0x0068000041000f53);
	OK(!strcmp(a612.arch->cache_names[d.cache], "device-nGnRE"), "arm64: AttrIndx 4 is MT_DEVICE_nGnRE");
	d = dec(&a612, 0, (1ull << 6) | (0x20ull << 12) | 8);
	OK(d.kind == PTK_SWAP && (d.flags & PTF_UFFD_WP), "arm64 6.12: PTE_SWP_UFFD_WP is bit 3 of a swap entry");

	/* arm64 6.12, 4K pages, LPA2 (52-bit VA, 5 levels). */
	struct paging l4 = setup("arm64", 4096, 52, 0, "6.12.48+deb12-arm64");
	OK(l4.levels == 5 && l4.lpa2 && l4.level_bits[4] == 4, "arm64 4K/52: 5 levels, LPA2, 16-entry top");
	d = dec(&l4, 0, 0x00e8000043fb5c43);
	OK(d.kind == PTK_LEAF && d.pa == 0x43fb5000 && (d.flags & PTF_SHARED), "arm64 6.12 LPA2 4K page");
	d = dec(&l4, 0, 0x00f8000047010c43);
	OK(d.kind == PTK_LEAF && d.pa == 0x47010000 && (d.flags & PTF_CONT), "arm64 6.12 LPA2 64K mTHP entry");
	d = dec(&l4, 1, 0x00e8000000200341);
	OK(d.kind == PTK_LEAF && d.pa == 0x000c000000200000, "LPA2: bits [9:8] are PA[51:50]");

	/* arm64 6.12, 16K pages, LPA2 (52-bit VA, 4 levels). */
	struct paging l16 = setup("arm64", 16384, 52, 0, "6.12.48+deb12-arm64-16k");
	OK(l16.levels == 4 && gang_n(&l16, 0, 0x00f8000043200c43, 0) == 128 &&
	   gang_n(&l16, 1, 0x00f8000080000c41, 0) == 32, "arm64 16K/52: 4 levels, gangs of 128 and 32");
	d = dec(&l16, 0, 0x00f8000043200c43);
	OK(d.kind == PTK_LEAF && d.pa == 0x43200000 && (d.flags & PTF_CONT), "arm64 16K 2M hugetlb entry");
	d = dec(&l16, 1, 0x00e800004c000c41);
	OK(d.kind == PTK_LEAF && d.pa == 0x4c000000 && !(d.flags & PTF_CONT), "arm64 16K 32M hugetlb block");
	d = dec(&l16, 1, 0x00f8000080000c41);
	OK(d.kind == PTK_LEAF && d.pa == 0x80000000 && (d.flags & PTF_CONT), "arm64 16K 1G hugetlb cont-pmd");

	/* arm64 64K pages: PA[51:48] in bits [15:12]. */
	struct paging a64 = setup("arm64", 65536, 52, 0, "6.12.48+deb12-arm64");
	d = dec(&a64, 1, 0x00e8000000009f41);
	OK(d.kind == PTK_LEAF && d.pa == 0x0009000000000000, "arm64 64K LPA: bits [15:12] are PA[51:48]");

	/* x86_64 6.1: a 1G hugetlb PUD leaf, user rw, soft-dirty, no exec. */
	struct paging x = setup("x86_64", 4096, 0, 4, "6.1.0-13-amd64");
	d = dec(&x, 2, 0x80000001000008e7);
	OK(d.kind == PTK_LEAF && d.pa == 0x100000000 &&
	   d.flags == (PTF_PRESENT | PTF_READ | PTF_WRITE | PTF_USER | PTF_DIRTY | PTF_YOUNG |
		       PTF_SOFT_DIRTY) && !strcmp(x.arch->cache_names[d.cache], "wb"),
	   "x86_64 6.1 1G hugetlb PUD leaf");
	d = dec(&x, 0, 0x8000000010004097);
	OK(d.kind == PTK_LEAF && !strcmp(x.arch->cache_names[d.cache], "uc-"),
	   "x86_64: PAT|PCD on a 4K entry is uc- with Linux's PAT");
	d = dec(&x, 1, 0x80000000108010ef);
	OK(d.kind == PTK_LEAF && d.pa == 0x10800000 && !strcmp(x.arch->cache_names[d.cache], "wp"),
	   "x86_64: PAT_LARGE|PWT on a 2M leaf is wp, bit 12 not an address bit");
	d = dec(&x, 0, 0x000fffffefcff166);
	OK(d.kind == PTK_LEAF && d.pa == 0x10300000 && (d.flags & PTF_PROTNONE),
	   "x86_64 protnone: the PFN is stored inverted (L1TF)");
	d = dec(&x, 0, 0x07ffffffffdffe00);
	OK(d.kind == PTK_SWAP && d.swap_type == 0 && d.swap_offset == 0x1000 && !strcmp(d.swap_kind, "swap"),
	   "x86_64 swap entry: offset stored inverted");
	d = dec(&x, 0, 0xcffffffffdf7fe0a);
	OK(d.kind == PTK_SWAP && d.swap_type == 25 && d.swap_offset == 0x10400 &&
	   (d.flags & PTF_SOFT_DIRTY) && (d.flags & PTF_EXCLUSIVE),
	   "x86_64 swap entry: type 25, offset, soft-dirty and exclusive bits");
	d = dec(&x, 0, 0x07ffffffffdffe04);
	OK(d.kind == PTK_SWAP && d.flags == PTF_UFFD_WP, "x86_64: _PAGE_SWP_UFFD_WP is _PAGE_USER in a swap entry");
	d = dec(&x, 0, 0x8000000010006167);
	OK(d.kind == PTK_LEAF && (d.flags & PTF_GLOBAL) && !(d.flags & PTF_PROTNONE),
	   "x86_64: _PAGE_GLOBAL on a present entry is global, not protnone");
	d = dec(&x, 0, 0xa800000010006067);
	OK(d.kind == PTK_LEAF && d.pkey == 5, "x86_64: protection key from bits 59-62");
	d = dec(&x, 3, 0x87);
	OK(d.kind == PTK_BAD, "x86_64: PS in a PML4 entry is reserved");
	/* 6.12 moved DEVMAP from bit 58 to 57 and made 58 SAVED_DIRTY. */
	struct paging x612 = setup("x86_64", 4096, 0, 4, "6.12.48+deb12-amd64");
	d = dec(&x612, 0, 0x8400000010007027);
	OK(d.kind == PTK_LEAF && (d.flags & PTF_DIRTY) && !(d.flags & PTF_DEVMAP),
	   "x86_64 6.12: bit 58 is SAVED_DIRTY");
	d = dec(&x, 0, 0x8400000010007027);
	OK(d.kind == PTK_LEAF && !(d.flags & PTF_DIRTY) && (d.flags & PTF_DEVMAP),
	   "x86_64 6.1: bit 58 is DEVMAP");
	d = dec(&x612, 0, 0xcffffffffdf7fe00 + (1ull << 59));
	OK(d.kind == PTK_SWAP && d.swap_type == 26, "x86_64 6.12: swap type 26");

	/* powerpc 8xx, Linux 6.12 pte-8xx.h: a user 4K page, rw, touched. */
	struct paging p12 = setup("ppc8xx", 4096, 0, 0, "6.12.0");
	OK(p12.entry_size == 4 && p12.big_endian && p12.levels == 2 && p12.level_shift[1] == 22,
	   "8xx: 2 levels of 4-byte big-endian entries, PGD entries of 4M");
	d = dec(&p12, 0, 0x03000121);
	OK(d.kind == PTK_LEAF && d.pa == 0x3000000 &&
	   d.flags == (PTF_PRESENT | PTF_READ | PTF_WRITE | PTF_USER | PTF_DIRTY | PTF_YOUNG),
	   "8xx 6.12: user rw page, ACCESSED 0x20, DIRTY 0x100");
	d = dec(&p12, 0, 0x00000665);
	OK(d.kind == PTK_LEAF && d.flags == (PTF_PRESENT | PTF_READ | PTF_GLOBAL | PTF_EXEC_KERNEL | PTF_YOUNG),
	   "8xx: kernel read-only executable page (_PAGE_SH, _PAGE_RO, _PAGE_EXEC)");
	d = dec(&p12, 0, 0x00000221);
	OK(d.kind == PTK_LEAF && !(d.flags & (PTF_READ | PTF_WRITE)), "8xx: _PAGE_NA is no access");
	d = dec(&p12, 0, 0xff000133);
	OK(d.kind == PTK_LEAF && d.cache == 1 && (d.flags & PTF_GUARDED),
	   "8xx: cache-inhibited and guarded");
	d = dec(&p12, 0, 0x00300821);
	OK(d.kind == PTK_LEAF && d.anomalies == PTA_HUGE_WITHOUT_SPS, "8xx: _PAGE_HUGE without _PAGE_SPS");
	d = dec(&p12, 0, 0x421c);
	OK(d.kind == PTK_SWAP && d.swap_type == 3 && d.swap_offset == 0x42 && (d.flags & PTF_EXCLUSIVE),
	   "8xx swap entry: the swap value shifted by 3, exclusive bit 2");
	d = dec(&p12, 1, 0x01008041);
	OK(d.kind == PTK_TABLE && d.pa == 0x1008000 && !d.paired, "8xx: a user PMD (_PMD_USER 0x40)");
	d = dec(&p12, 1, 0x0100904d);
	OK(d.kind == PTK_TABLE && d.paired, "8xx 6.12: an 8M PMD points to a table of its own");
	d = dec(&p12, 1, 0x01000045);
	OK(d.kind == PTK_BAD, "8xx: a PMD flagged 512K is reserved");
	OK(gang_n(&p12, 0, 0x03c12929, 0x0100a04d) == 2048 && gang_n(&p12, 0, 0x030ab929, 0x01008041) == 128 &&
	   gang_n(&p12, 0, 0x03012129, 0x01008041) == 4 && gang_n(&p12, 0, 0x03000121, 0x01008041) == 0,
	   "8xx 4K: 8M cells gang by 2048, 512K by 128, 16K by 4, 4K alone");
	struct paging p61 = setup("ppc8xx", 4096, 0, 0, "6.1.0");
	d = dec(&p61, 1, 0x0100504d);
	OK(d.kind == PTK_HUGEPD && d.pa == 0x1005000 && d.paired, "8xx 6.1: an 8M PMD points to a hugepd");
	struct paging p510 = setup("ppc8xx", 4096, 0, 0, "5.10.0");
	d = dec(&p510, 0, 0x010021a1);
	OK(d.kind == PTK_LEAF && (d.flags & PTF_YOUNG) && (d.flags & PTF_SPECIAL) &&
	   !(dec(&p12, 0, 0x01002121).flags & PTF_SPECIAL),
	   "8xx 5.10: ACCESSED 0x80 and SPECIAL 0x20, swapped in 5.11");
	d = dec(&p510, 1, 0x01004021);
	OK(d.kind == PTK_TABLE, "8xx 5.10: _PMD_USER 0x20");
	d = dec(&p510, 1, 0x01004041);
	OK(d.kind == PTK_BAD, "8xx 5.10: 0x40 is in _PMD_BAD there");
	struct paging p16 = setup("ppc8xx", 16384, 0, 0, "6.12.0");
	OK(gang_n(&p16, 0, 0x01004129, 0x01004041) == 4 && gang_n(&p16, 0, 0x01080929, 0x01004041) == 128,
	   "8xx 16K: each pte is 4 cells, a 512K page 128");

	/* Each version-dependent bit, read with the release that has it and
	 * with one that does not (the version table of ptwalk(1)). */
	struct paging a418 = setup("arm64", 4096, 48, 0, "4.18.0-553.el8");
	struct paging a510 = setup("arm64", 4096, 48, 0, "5.10.0-32-arm64");
	struct paging a72 = setup("arm64", 4096, 48, 0, "7.2.13+deb14-arm64");
	d = dec(&a510, 0, (3ull << 2) | (0x777ull << 8));
	OK(d.kind == PTK_SWAP && d.swap_type == 3 && d.swap_offset == 0x777 && !d.flags,
	   "arm64 5.10 swap: type in bits 2-7, no exclusive bit");
	d = dec(&a61, 0, (3ull << 2) | (0x777ull << 8));
	OK(d.kind == PTK_SWAP && d.swap_type == 1 && (d.flags & PTF_EXCLUSIVE),
	   "arm64 5.19 on: the same entry is type 1, exclusive");
	d = dec(&a510, 0, (1ull << 7) | (0x777ull << 8));
	OK(d.kind == PTK_BAD, "arm64 5.10: a swap type above 31 is no entry the kernel writes");
	d = dec(&a61, 0, 0x0220000041700f43);
	OK(d.kind == PTK_LEAF && (d.flags & PTF_DEVMAP), "arm64 6.1: bit 57 is PTE_DEVMAP");
	OK(!(dec(&a418, 0, 0x0220000041700f43).flags & PTF_DEVMAP) &&
	   !(dec(&a72, 0, 0x0220000041700f43).flags & PTF_DEVMAP),
	   "arm64: no PTE_DEVMAP before 5.7 or since 6.17");
	OK(dec(&a72, 0, 0x5060000041700f43).pkey == 5 && dec(&a61, 0, 0x5060000041700f43).pkey == 0,
	   "arm64: protection key in bits 60-62 since 6.12 (POE)");
	struct paging x72 = setup("x86_64", 4096, 0, 4, "7.2.13+deb14-amd64");
	OK(!(dec(&x72, 0, 0x0200000010007027).flags & PTF_DEVMAP) &&
	   (dec(&x612, 0, 0x0200000010007027).flags & PTF_DEVMAP),
	   "x86_64: DEVMAP at 57 from 6.6 until 6.17");
	OK((dec(&x, 0, 0x8000000010006867).flags & PTF_SOFT_DIRTY) &&
	   !(dec(&x72, 0, 0x8000000010006863).flags & PTF_SOFT_DIRTY),
	   "x86_64: bit 11 is soft-dirty on user entries only (_PAGE_KERNEL_4K on kernel ones in 7.2)");

	/* Reserved address bits of blocks: the PA is the kernel's pmd_pfn(),
	 * pud_pfn() (masked), the bits an anomaly. */
	d = dec(&x, 2, 0x80000000400030e7);
	OK(d.kind == PTK_LEAF && d.pa == 0x40000000 && (d.anomalies & PTA_LEAF_RESERVED_BITS),
	   "x86_64 1G leaf with bits 13 and 12 (PAT) set: PA 1G-aligned, leaf-reserved-bits");
	d = dec(&x, 1, 0x80000000108010ef);
	OK(d.pa == 0x10800000 && !d.anomalies, "x86_64 2M leaf: PAT_LARGE (bit 12) is no reserved bit");
	d = dec(&a61, 2, 0x00e8000080123f41);
	OK(d.kind == PTK_LEAF && d.pa == 0x80000000 && (d.anomalies & PTA_LEAF_RESERVED_BITS),
	   "arm64 1G block with RES0 address bits: PA 1G-aligned, leaf-reserved-bits");
	d = dec(&a61, 0, 0x00e8000080123f43);
	OK(d.pa == 0x80123000 && !d.anomalies, "arm64 page: every address bit is the PA's");

	/* Swap types from the top, by release and configuration
	 * (include/linux/swap.h of 4.18, 5.10, 5.14, 6.1, 6.12 and 7.2; see
	 * src/swap.c). Each release band with and without
	 * CONFIG_DEVICE_PRIVATE; "m" counts as set. */
#define dp "CONFIG_DEVICE_PRIVATE=y\nCONFIG_MIGRATION=y\nCONFIG_MEMORY_FAILURE=y\n"
#define nodp "# CONFIG_DEVICE_PRIVATE is not set\nCONFIG_MIGRATION=y\nCONFIG_MEMORY_FAILURE=y\n"
	struct paging s;
	s = setup_config("x86_64", "4.18.0-553.el8", dp);
	swap_ok(&s, 31, 26, "device-read@31 device-write@30 migration-write@29 migration-read@28 hwpoison@27 swap@26",
		"4.18: 2 device, 2 migration types");
	s = setup_config("arm64", "5.10.0-32-arm64", nodp);
	swap_ok(&s, 31, 28, "migration-write@31 migration-read@30 hwpoison@29 swap@28",
		"5.10 without CONFIG_DEVICE_PRIVATE (Debian's)");
	s = setup_config("x86_64", "5.14.0-427.el9", "CONFIG_DEVICE_PRIVATE=m\nCONFIG_MIGRATION=y\nCONFIG_MEMORY_FAILURE=y\n");
	swap_ok(&s, 31, 24, "device-exclusive-read@31 device-exclusive-write@30 device-read@29 device-write@28 "
		"migration-write@27 migration-read@26 hwpoison@25 swap@24", "5.14: exclusive device types");
	s = setup_config("x86_64", "5.19.0", dp "CONFIG_PTE_MARKER=y\n");
	swap_ok(&s, 31, 21, "swapin-error@31 pte-marker@30 device-exclusive-read@29 device-exclusive-write@28 "
		"device-read@27 device-write@26 migration-write@25 migration-read-exclusive@24 "
		"migration-read@23 hwpoison@22 swap@21", "5.19: swapin-error, pte-marker, read-exclusive migration");
	s = setup_config("x86_64", "6.1.0-56-amd64", nodp "CONFIG_PTE_MARKER=y\n");
	swap_ok(&s, 31, 25, "swapin-error@31 pte-marker@30 migration-write@29 migration-read-exclusive@28 "
		"migration-read@27 hwpoison@26 swap@25", "6.1 as Debian builds it for amd64");
	s = setup_config("arm64", "6.1.0-56-cloud-arm64", nodp);
	swap_ok(&s, 31, 26, "swapin-error@31 migration-write@30 migration-read-exclusive@29 "
		"migration-read@28 hwpoison@27 swap@26", "6.1 arm64: no PTE markers without userfaultfd-wp");
	s = setup_config("arm64", "6.12.117+deb12-arm64", nodp);
	swap_ok(&s, 31, 26, "pte-marker@31 migration-write@30 migration-read-exclusive@29 "
		"migration-read@28 hwpoison@27 swap@26", "6.2 on: PTE markers always, no swapin-error");
	s = setup_config("x86_64", "6.14.0", dp);
	swap_ok(&s, 31, 22, "pte-marker@31 device-exclusive-read@30 device-exclusive-write@29 device-read@28 "
		"device-write@27 migration-write@26 migration-read-exclusive@25 migration-read@24 "
		"hwpoison@23 swap@22", "6.14 with CONFIG_DEVICE_PRIVATE: 4 device types");
	s = setup_config("arm64", "7.2.13+deb14-arm64", dp);
	swap_ok(&s, 31, 23, "pte-marker@31 device-exclusive@30 device-read@29 device-write@28 "
		"migration-write@27 migration-read-exclusive@26 migration-read@25 hwpoison@24 swap@23",
		"6.15 on: one device-exclusive type (Debian's 7.2 has CONFIG_DEVICE_PRIVATE)");
	s = setup_config("x86_64", "7.2.13+deb14-amd64", "# CONFIG_MEMORY_FAILURE is not set\n# CONFIG_MIGRATION is not set\n");
	swap_ok(&s, 31, 30, "pte-marker@31 swap@30", "without MIGRATION, MEMORY_FAILURE or DEVICE_PRIVATE");
	s = setup("x86_64", 4096, 0, 4, "6.12.48+deb12-amd64");
	swap_ok(&s, 31, 22, "pte-marker@31 device-exclusive-read|migration-write@30 "
		"device-exclusive-write|migration-read-exclusive@29 device-read|migration-read@28 "
		"device-write|hwpoison|swap@27 migration-write|swap@26 "
		"migration-read-exclusive|swap@25 migration-read|swap@24 hwpoison|swap@23 swap@22",
		"unknown configuration (no VMCOREINFO, so no NUMBER(PG_hwpoison); no --kernel-config): each type named every way");
	swap_kinds_device_private(&s, false, "a test");
	OK(!strcmp(pt_swap_kind(&s, 30), "migration-write") && !strcmp(pt_swap_kind(&s, 27), "hwpoison|swap") &&
	   !strcmp(s.swap_how,
	   "the release, CONFIG_DEVICE_PRIVATE=n (a test)"), "swap types: CONFIG_DEVICE_PRIVATE learnt later");
	s = setup("ppc8xx", 4096, 0, 0, "6.12.0");
	OK(!strcmp(pt_swap_kind(&s, 31), "pte-marker") && !strcmp(pt_swap_kind(&s, 30), "migration-write") &&
	   !strcmp(pt_swap_kind(&s, 27), "swap"), "swap types: 8xx has no device types and no hwpoison");

	uint64_t pa;
	struct pt_error err = { 0 };
	OK(!pt_root_from_register(&x, 0x800000014234c001, &pa, &err) && pa == 0x14234c000,
	   "CR3: PCID and no-flush bits dropped");
	OK(!pt_root_from_register(&a61, 0x0001000048039001, &pa, &err) && pa == 0x48039000,
	   "TTBR0_EL1: ASID and CnP dropped");
	OK(!pt_root_from_register(&l4, 0x439f1701, &pa, &err) && pa == 0x439f1700,
	   "TTBR0_EL1 with LPA2: a 128-byte aligned 16-entry top table");
	OK(!pt_root_from_register(&l4, 0x439f1000 | (3 << 2), &pa, &err) && pa == 0x00030000439f1000,
	   "TTBR0_EL1 with 52-bit PA: bits [5:2] are PA[51:48]");
	OK(pt_root_from_register(&l4, 0x439f1740, &pa, &err) && err.exit_code == PT_EXIT_USAGE,
	   "TTBR0_EL1 not aligned to its top table: a usage error");
	OK(!pt_root_from_register(&p12, 0x01007123, &pa, &err) && pa == 0x1007000,
	   "8xx M_TWB: the L1 table's physical address");
	/* Protection keys: x86_64's four PKEY bits (6.12 pgtable_types.h
	 * _PAGE_BIT_PKEY_BIT0 = 59) decode, and only x86_64 has them. */
	struct paging xpk = setup("x86_64", 4096, 48, 4, "6.12.0");
	pt_decode(&xpk, 0, 0xd800000012345067ull, &d);
	OK(xpk.arch->has_pkeys && d.pkey == 0xb && !a61.arch->has_pkeys &&
	   !arch_ppc8xx.has_pkeys, "pkeys: x86_64's bits 59-62 (0x%x), on x86_64 only", d.pkey);

	/* riscv64 (Linux 6.12 and 7.2 arch/riscv/include/asm/pgtable*.h;
	 * 6.1 for the old swap layout). A NAPOT 64K pte: PPN 0x81208 (the
	 * page at 0x81200000, ppn[3:0] = 1000), N, D A U W R V. */
	struct paging r57 = setup("riscv64", 4096, 57, 0, "6.12.57+deb13-riscv64");
	struct paging r39 = setup("riscv64", 4096, 39, 0, "6.12.57+deb13-riscv64");
	struct paging r61 = setup("riscv64", 4096, 48, 0, "6.1.0-riscv64");
	struct paging r72 = setup("riscv64", 4096, 48, 0, "7.2.13+deb14-riscv64");
	const uint64_t napot = 0x80000000204820d7ull;
	OK(r57.levels == 5 && r39.levels == 3 && r61.levels == 4 && r57.user_end == (1ull << 56) - 1,
	   "riscv64: Sv57, Sv48 and Sv39 are 5, 4 and 3 levels; user space the lower half");
	d = dec(&r57, 0, napot);
	OK(d.kind == PTK_LEAF && d.pa == 0x81200000 && (d.flags & PTF_CONT) && (d.flags & PTF_USER) &&
	   gang_n(&r57, 0, napot, 0) == 16 && gang_n(&r57, 0, 0x20480cd7, 0) == 0,
	   "riscv64 NAPOT: pte_pfn() clears the size bit, a gang of 16; a plain pte alone");
	OK(dec(&r57, 0, 0x80000000204810d7ull).kind == PTK_BAD &&
	   dec(&r57, 1, 0x80000000208000d7ull).kind == PTK_BAD && dec(&r61, 0, napot).kind == PTK_BAD,
	   "riscv64 NAPOT: a size other than 64K, N above the pte level, N before 6.3: reserved");
	d = dec(&r57, 1, 0x20480cd7);
	OK(d.kind == PTK_LEAF && d.pa == 0x81203000 && (d.anomalies & PTA_LEAF_RESERVED_BITS),
	   "riscv64: a 2M leaf off 2M is a misaligned superpage");
	OK(dec(&r57, 2, 0x20480001).kind == PTK_TABLE && dec(&r57, 2, 0x20480041).kind == PTK_BAD &&
	   dec(&r57, 0, 0x20480001).kind == PTK_BAD,
	   "riscv64: V alone points to a table; with A, or at the pte level, reserved");
	OK(dec(&r57, 0, 0x206004d5).kind == PTK_BAD && dec(&r72, 0, 0x206004d5).kind == PTK_LEAF &&
	   dec(&r72, 0, 0x206004c5).kind == PTK_BAD,
	   "riscv64: W without R reserved in 6.12, a 7.2 user shadow stack page, never for the kernel");
	d = dec(&r72, 0, 0x18000000206008d7ull);
	OK(d.kind == PTK_LEAF && (d.flags & PTF_SOFT_DIRTY) && (d.flags & PTF_UFFD_WP) &&
	   dec(&r57, 0, 0x18000000206008d7ull).kind == PTK_BAD,
	   "riscv64: bits 59 and 60 soft-dirty and uffd-wp in 7.2 (Svrsw60t59b), reserved in 6.12");
	d = dec(&r57, 0, (0x1234ull << 12) | (3 << 7) | (1 << 6));
	OK(d.kind == PTK_SWAP && d.swap_type == 3 && d.swap_offset == 0x1234 && (d.flags & PTF_EXCLUSIVE),
	   "riscv64 6.3+ swap: exclusive bit 6, type 7-11, offset from 12");
	d = dec(&r61, 0, (0x1234ull << 11) | (3 << 6));
	OK(d.kind == PTK_SWAP && d.swap_type == 3 && d.swap_offset == 0x1234 && !d.flags,
	   "riscv64 6.1 swap: type 6-10, offset from 11, no exclusive bit");
	d = dec(&r72, 0, (0x1234ull << 12) | (3 << 7) | 0x18);
	OK(d.kind == PTK_SWAP && (d.flags & PTF_SOFT_DIRTY) && (d.flags & PTF_UFFD_WP) &&
	   dec(&r57, 0, (0x1234ull << 12) | 0x18).kind == PTK_BAD,
	   "riscv64 7.2 swap: soft-dirty bit 3, uffd-wp bit 4; left zero before");
	/* RSW bit 9 is _PAGE_DEVMAP in 6.12 only; bit 8 _PAGE_SPECIAL. */
	OK((dec(&r57, 0, 0x204803d7).flags & (PTF_DEVMAP | PTF_SPECIAL)) == (PTF_DEVMAP | PTF_SPECIAL) &&
	   !(dec(&r61, 0, 0x204803d7).flags & PTF_DEVMAP) && !(dec(&r72, 0, 0x204803d7).flags & PTF_DEVMAP),
	   "riscv64: RSW bit 9 is devmap in 6.12, not in 6.1 or 7.2; bit 8 special");
	/* Svpbmt memory types, bits 62-61: PMA 0, NC 1, IO 2. */
	OK(dec(&r57, 0, 0x20480cd7).cache == 0 && dec(&r57, 0, 0x20000000204808d7ull).cache == 1 &&
	   dec(&r57, 0, 0x40000000204808d7ull).cache == 2 &&
	   !strcmp(r57.arch->cache_names[2], "io") && !strcmp(r57.arch->cache_names[1], "nc"),
	   "riscv64: Svpbmt NC and IO from bits 61 and 62");
	d = dec(&r57, 0, 0x20601462);
	OK(d.kind == PTK_LEAF && (d.flags & PTF_PROTNONE) && !(d.flags & PTF_GLOBAL),
	   "riscv64: G without V is PROT_NONE, not global");
	d = dec(&r57, 1, 0x208800d6);
	OK(d.kind == PTK_LEAF && (d.flags & PTF_PRESENT) && d.pa == 0x82200000,
	   "riscv64: an invalidated THP pmd (V and G cleared) is present");
	OK(!pt_root_from_register(&r57, 0xa000a00000100b56ull, &pa, &err) && pa == 0x100b56000 &&
	   pt_root_from_register(&r39, 0xa000a00000100b56ull, &pa, &err),
	   "satp: the PPN of an Sv57 root; an Sv57 satp refused for Sv39");
	/* The fold of a NAPOT page: 16 slots of one value, A and D free to
	 * differ as huge_ptep_get() ORs them; X differing is not. */
	struct gang_spec gs;
	struct phys_entry pe = { .va = 0x100000, .raw = napot & ~0xc0ull, .level = 0 };
	pt_decode(&r57, 0, pe.raw, &pe.d);
	uint64_t raws[16];
	for (unsigned i = 0; i < 16; i++)
		raws[i] = pe.raw;
	raws[3] |= 0x40;	/* young */
	raws[9] |= 0x80;	/* dirty */
	struct logical_entry le;
	OK(pt_gang_of(&r57, &pe, &gs) && gs.form == FORM_NAPOT && fold_gang_whole(&r57, &gs, &pe, raws, &le) &&
	   le.size == 0x10000 &&
	   (le.d.flags & (PTF_DIRTY | PTF_YOUNG)) == (PTF_DIRTY | PTF_YOUNG) && le.d.pa == 0x81200000,
	   "fold: a NAPOT page whose ptes differ in A and D is one 64K entry, dirty and young");
	raws[5] |= 0x8;		/* executable */
	OK(!fold_gang_whole(&r57, &gs, &pe, raws, &le), "fold: a NAPOT pte differing in X is no whole gang");

	/* powerpc64 Book3S (Linux 6.12 and 7.2 arch/powerpc/include/asm/
	 * book3s/64/pgtable.h, radix*.h, hash*.h). A user rw leaf: PRESENT,
	 * PTE, ACCESSED, DIRTY, READ, WRITE. */
	struct paging pr64 = setup_ppc64(65536, 1, "6.12.57+deb13-powerpc64le");
	struct paging pr4 = setup_ppc64(4096, 1, "6.12.57+deb13-powerpc64le");
	struct paging ph64 = setup_ppc64(65536, 0, "6.12.57+deb13-powerpc64le");
	struct paging ph4 = setup_ppc64(4096, 0, "6.12.57-powerpc64");
	struct paging ph4_61 = setup_ppc64(4096, 0, "6.1.0-powerpc64");
	struct paging pr72 = setup_ppc64(65536, 1, "7.2.13+deb14-powerpc64le");
	OK(pr64.va_bits == 52 && pr4.va_bits == 52 && ph64.va_bits == 52 && ph4.va_bits == 46 &&
	   pr64.level_bits[0] == 5 && pr4.level_bits[3] == 13 && ph64.level_bits[1] == 10 &&
	   ph4.level_bits[1] == 7 && pr64.entry_big_endian && !pr64.big_endian &&
	   pr64.kernel_va_base == 0xc000000000000000ull && ph4.user_end == (1ull << 46) - 1,
	   "ppc64: radix 5/9/9/13 and 9/9/9/13, hash 8/10/10/8 and 9/7/9/9; entries big-endian; "
	   "the kernel's tables from 0xc000000000000000");
	d = dec(&pr64, 0, 0xc000000020010186ull);
	OK(d.kind == PTK_LEAF && d.pa == 0x20010000 && d.flags == (PTF_PRESENT | PTF_READ | PTF_WRITE |
	   PTF_USER | PTF_DIRTY | PTF_YOUNG) && d.cache == 0,
	   "ppc64: a user rw pte, its address in place (PTE_RPN_MASK)");
	d = dec(&pr64, 0, 0xc00000002001010dull);
	OK(d.kind == PTK_LEAF && (d.flags & PTF_EXEC_KERNEL) && !(d.flags & PTF_USER) &&
	   !(d.flags & PTF_WRITE), "ppc64: _PAGE_PRIVILEGED is a kernel page; EXEC its execute");
	OK(dec(&pr64, 0, 0xc0000000200101a6ull).cache == 2 && dec(&pr64, 0, 0xc0000000200101b6ull).cache == 3 &&
	   dec(&pr64, 0, 0xc000000020010196ull).cache == 1 &&
	   !strcmp(pr64.arch->cache_names[2], "non-idempotent") && !strcmp(pr64.arch->cache_names[3], "tolerant"),
	   "ppc64: SAO, non-idempotent and tolerant from bits 4-5");
	d = dec(&pr64, 0, 0xc000000020010100ull);
	OK(d.kind == PTK_LEAF && (d.flags & PTF_PROTNONE), "ppc64: present without R, W, X is PROT_NONE");
	d = dec(&pr64, 1, 0x6000000020000186ull);
	OK(d.kind == PTK_LEAF && (d.flags & PTF_PRESENT) && d.pa == 0x20000000,
	   "ppc64: _PAGE_INVALID with _PAGE_PTE (pmdp_invalidate()) is present");
	OK(dec(&pr64, 0, 0xe000000020010186ull).kind == PTK_BAD,
	   "ppc64: present with _PAGE_INVALID is reserved");
	d = dec(&pr64, 0, 0x4000000012340223ull);
	OK(d.kind == PTK_SWAP && d.swap_type == 3 && d.swap_offset == 0x1234 &&
	   (d.flags & (PTF_EXCLUSIVE | PTF_SOFT_DIRTY)) == (PTF_EXCLUSIVE | PTF_SOFT_DIRTY),
	   "ppc64 swap: type bits 0-4, offset in PTE_RPN_MASK, exclusive 0x20, soft-dirty 0x200");
	d = dec(&ph4, 0, 0x4000000001234003ull);
	OK(d.kind == PTK_SWAP && d.swap_offset == 0x1234 && dec(&pr64, 0, 0x4000000012340103ull).kind == PTK_BAD &&
	   dec(&pr64, 2, 0x4000000012340003ull).kind == PTK_BAD,
	   "ppc64 swap: the offset from PAGE_SHIFT; accessed, or above the pmd, reserved");
	OK(dec(&pr64, 1, 0x8000000001040005ull).kind == PTK_TABLE &&
	   dec(&pr64, 1, 0x8000000001040009ull).kind == PTK_BAD &&
	   dec(&pr64, 2, 0x8000000001040009ull).kind == PTK_TABLE &&
	   dec(&ph64, 1, 0x8000000001040000ull).kind == PTK_TABLE &&
	   dec(&ph64, 1, 0x8000000001040009ull).kind == PTK_BAD &&
	   dec(&pr64, 1, 0x8000000001040085ull).kind == PTK_BAD &&
	   dec(&pr64, 0, 0x8000000001040000ull).kind == PTK_BAD,
	   "ppc64 tables: radix's NLS is the next table's index size, hash's low bits zero, "
	   "none at the pte level");
	d = dec(&pr64, 1, 0x8000000001040005ull);
	OK(d.pa == 0x1040000, "ppc64 tables: the address with PMD_MASKED_BITS cleared");
	OK(dec(&pr64, 3, 0xc000000000000186ull).kind == PTK_BAD, "ppc64: a leaf in the pgd is reserved");
	d = dec(&pr64, 1, 0xc000000020010186ull);
	OK(d.kind == PTK_LEAF && (d.anomalies & PTA_LEAF_RESERVED_BITS) &&
	   !(dec(&pr64, 2, 0xc000000040000186ull).anomalies & PTA_LEAF_RESERVED_BITS),
	   "ppc64 radix: a 2M leaf off 2M has address bits below its size; a 1G leaf on 1G none");
	/* Hash's own bits: the slot record and keys, legal under hash only. */
	OK(dec(&ph64, 0, 0xc080000020010186ull | 0x40).kind == PTK_LEAF &&
	   dec(&pr64, 0, 0xc080000020010186ull).kind == PTK_BAD &&
	   dec(&pr64, 0, 0xc000000020010186ull | 0x40).kind == PTK_BAD,
	   "ppc64: HASHPTE (bit 55 with 64K) and BUSY (0x40) legal under hash, reserved under radix");
	d = dec(&ph4, 0, 0xca00000020003186ull);
	OK(d.kind == PTK_LEAF && d.pkey == 5 && dec(&ph64, 0, 0xd000000020010186ull).pkey == 0x10 &&
	   dec(&pr64, 0, 0xca00000020010186ull).kind == PTK_BAD,
	   "ppc64 hash pkeys: bits 57-59 with 4K pages, 56-60 with 64K; none in radix ptes");
	OK(dec(&ph4, 0, (1ull << 60) | (1ull << 56) | 0x40).kind == PTK_NONE &&
	   dec(&pr64, 0, 0x180).kind == PTK_NONE,
	   "ppc64 pte_none(): hash ignores its slot record, radix D and A");
	OK((dec(&pr64, 0, 0xc000000020010986ull).flags & PTF_DEVMAP) &&
	   !(dec(&pr72, 0, 0xc000000020010986ull).flags & PTF_DEVMAP) &&
	   (dec(&pr72, 0, 0xc000000020010586ull).flags & PTF_SPECIAL),
	   "ppc64: SW1 devmap in 6.12, not in 7.2; SW2 special");
	OK(dec(&ph4_61, 1, 0x8000000001040018ull).kind == PTK_BAD &&
	   !strcmp(dec(&ph4_61, 1, 0x8000000001040018ull).why, "hugepd (hash with 4K pages before 6.12), not decoded"),
	   "ppc64 hash-4K before 6.12: a hugepd is named, not decoded");
	/* Hash with 4K pages: 16M as 8 pmds, 16G as 64 puds; others alone. */
	OK(gang_n(&ph4, 1, 0xc000000041000186ull, 0) == 8 && gang_n(&ph4, 2, 0xc000000400000186ull, 0) == 64 &&
	   gang_n(&ph64, 1, 0xc000000041000186ull, 0) == 0 && gang_n(&pr4, 1, 0xc000000041000186ull, 0) == 0 &&
	   gang_n(&ph4, 0, 0xc000000041000186ull, 0) == 0,
	   "ppc64 hash-4K: a pmd leaf is one of 8 (16M), a pud leaf one of 64 (16G)");
	struct phys_entry ppe = { .va = 0x1000000, .raw = 0xc000000041000186ull, .level = 1 };
	pt_decode(&ph4, 1, ppe.raw, &ppe.d);
	uint64_t praws[8];
	for (unsigned i = 0; i < 8; i++)
		praws[i] = 0xc000000041000186ull + ((uint64_t)i << 21);
	praws[1] |= (1ull << 60) | (1ull << 56) | (3ull << 53);	/* the hash slot record */
	praws[2] &= ~0x182ull;	/* read-only, old and clean */
	OK(pt_gang_of(&ph4, &ppe, &gs) && gs.form == FORM_CONT_PMD && fold_gang_whole(&ph4, &gs, &ppe, praws, &le) &&
	   le.size == 16ull << 20 && le.d.pa == 0x41000000,
	   "fold: a 16M page of 8 pmds whose entries differ in the slot record, R W, A and D is one entry");
	praws[6] |= 0x20;	/* non-idempotent */
	OK(!fold_gang_whole(&ph4, &gs, &ppe, praws, &le), "fold: a 16M page whose pmds differ in caching is no whole gang");
	OK(!pt_root_from_register(&pr64, 0xc000000001010000ull, &pa, &err) && pa == 0x1010000 &&
	   pt_root_from_register(&pr64, 0x1010800, &pa, &err),
	   "ppc64 --pgd: a pgd's kernel address is __pa()'d; a radix pgd off 64K refused");
	return tap_done();
}
