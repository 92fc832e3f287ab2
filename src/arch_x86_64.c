/* SPDX-License-Identifier: GPL-2.0-or-later */
/* x86_64 paging: 4 or 5 levels of 512 eight-byte entries, 4K pages. */
#include "config.h"

#include <elf.h>
#include <stdio.h>

#include "ptwalk/arch-private.h"

/* Linux 6.1 arch/x86/include/asm/page_64_types.h */
#define START_KERNEL_MAP 0xffffffff80000000ull	/* __START_KERNEL_map */
#define PHYSICAL_MASK_SHIFT 52			/* __PHYSICAL_MASK_SHIFT */

static bool x86_64_vmcoreinfo_matches(const struct vmcoreinfo *vi)
{
	/* Only x86_64 exports init_top_pgt and phys_base (Linux 6.1
	 * arch/x86/kernel/crash_core_64.c). */
	return vi->init_top_pgt.set;
}

static int x86_64_setup(struct paging *pg, const struct image *img,
			const struct paging_options *opts, struct pt_error *err)
{
	const struct vmcoreinfo *vi = &img->vmci;

	if (paging_page_size(pg, img, opts, 4096, err))
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
	if (vi->init_top_pgt.set && vi->init_top_pgt.v >= START_KERNEL_MAP) {
		uint64_t phys_base = vi->phys_base.set ? vi->phys_base.v : 0;
		pg->kernel_root.set = true;
		pg->kernel_root.v = (vi->init_top_pgt.v - START_KERNEL_MAP + phys_base) &
				    pg->phys_addr_mask;
		snprintf(pg->kernel_root_how, sizeof pg->kernel_root_how,
			 "SYMBOL(init_top_pgt) - 0x%llx + NUMBER(phys_base)",
			 START_KERNEL_MAP);
	}
	if (vi->kerneloffset.set)
		pg->kaslr_offset = vi->kerneloffset;
	return 0;
}

const struct arch_ops arch_x86_64 = {
	.name = "x86_64",
	.kdump_arch = "x86_64",
	.elf_machine = EM_X86_64,
	.elf_class = 64,
	.big_endian = false,
	.vmcoreinfo_matches = x86_64_vmcoreinfo_matches,
	.setup = x86_64_setup,
};
