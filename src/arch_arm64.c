/* SPDX-License-Identifier: GPL-2.0-or-later */
/* arm64 paging: 4K, 16K or 64K granules, 2 to 5 levels. */
#include "config.h"

#include <elf.h>
#include <stdio.h>

#include "ptwalk/arch-private.h"

static bool arm64_vmcoreinfo_matches(const struct vmcoreinfo *vi)
{
	/* kimage_voffset and TCR_EL1_T1SZ are arm64's own (Linux 6.1
	 * arch/arm64/kernel/crash_core.c). */
	return vi->kimage_voffset.set || vi->tcr_el1_t1sz.set;
}

static int arm64_setup(struct paging *pg, const struct image *img,
		       const struct paging_options *opts, struct pt_error *err)
{
	const struct vmcoreinfo *vi = &img->vmci;

	if (paging_page_size(pg, img, opts, 0, err))
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
	return 0;
}

const struct arch_ops arch_arm64 = {
	.name = "arm64",
	.kdump_arch = "aarch64",
	.elf_machine = EM_AARCH64,
	.elf_class = 64,
	.big_endian = false,
	.vmcoreinfo_matches = arm64_vmcoreinfo_matches,
	.setup = arm64_setup,
};
