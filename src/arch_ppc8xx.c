/* SPDX-License-Identifier: GPL-2.0-or-later */
/* powerpc 8xx paging: 32-bit big-endian, two levels (1024 PGD entries of
 * 4M, 4K tables of 1024 cells), 4K or 16K pages. */
#include "config.h"

#include <elf.h>
#include <stdio.h>

#include "ptwalk/arch-private.h"

/* CONFIG_PAGE_OFFSET's default (Linux 6.1 arch/powerpc/Kconfig). */
#define DEFAULT_PAGE_OFFSET 0xc0000000ull

static bool ppc8xx_vmcoreinfo_matches(const struct vmcoreinfo *vi)
{
	/* Nothing in VMCOREINFO is 8xx's own; it is chosen from the ELF
	 * machine or --arch. */
	return false;
}

static int ppc8xx_setup(struct paging *pg, const struct image *img,
			const struct paging_options *opts, struct pt_error *err)
{
	const struct vmcoreinfo *vi = &img->vmci;

	if (paging_page_size(pg, img, opts, 4096, err))
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
	} else if (img->linear_offset_known) {
		page_offset = img->linear_offset & 0xffffffffu;
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
	return 0;
}

const struct arch_ops arch_ppc8xx = {
	.name = "ppc8xx",
	.kdump_arch = "ppc",
	.elf_machine = EM_PPC,
	.elf_class = 32,
	.big_endian = true,
	.vmcoreinfo_matches = ppc8xx_vmcoreinfo_matches,
	.setup = ppc8xx_setup,
};
