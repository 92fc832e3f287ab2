/* SPDX-License-Identifier: GPL-2.0-or-later */
/* xlat-check IMAGE FORMAT ROOT PAGE_SHIFT VA_BITS LEVELS [PTE_MASK] < VAS
 *
 * A translation ptwalk does not make: libaddrxlat's addrxlat_walk() from
 * the table at ROOT, in FORMAT (x86_64, aarch64, aarch64-lpa for 64K
 * pages with 52-bit addresses, aarch64-lpa2), reading pages through
 * ptwalk's image layer. For each virtual address on standard input prints
 * "VA PA", or "VA -" when libaddrxlat finds no mapping. PTE_MASK: bits to
 * clear from every entry first (the SME C-bit). tests/xlat.test and the
 * real-image checks compare this with `ptwalk vtop'. */
#include "config.h"

#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libkdumpfile/addrxlat.h>

#include "arch.h"
#include "image.h"
#include "xlat-pages.h"

static struct image *img;
static struct xlat_pages pages;

int main(int argc, char **argv)
{
	struct image_options opts = { .quiet = true, .allow_truncated = true,
				      .machines = &arch_machines };
	struct pt_error err = { 0 };

	if (argc != 7 && argc != 8) {
		fprintf(stderr, "usage: xlat-check IMAGE FORMAT ROOT PAGE_SHIFT VA_BITS LEVELS [PTE_MASK]\n");
		return 2;
	}
	addrxlat_pte_format_t format =
		!strcmp(argv[2], "x86_64") ? ADDRXLAT_PTE_X86_64 :
		!strcmp(argv[2], "aarch64") ? ADDRXLAT_PTE_AARCH64 :
		!strcmp(argv[2], "aarch64-lpa") ? ADDRXLAT_PTE_AARCH64_LPA :
		!strcmp(argv[2], "aarch64-lpa2") ? ADDRXLAT_PTE_AARCH64_LPA2 : ADDRXLAT_PTE_INVALID;
	uint64_t root = strtoull(argv[3], NULL, 0);
	unsigned shift = (unsigned)strtoul(argv[4], NULL, 0);
	unsigned va_bits = (unsigned)strtoul(argv[5], NULL, 0);
	unsigned levels = (unsigned)strtoul(argv[6], NULL, 0);
	if (format == ADDRXLAT_PTE_INVALID || shift < 12 || shift > 16 || levels < 2 || levels > 5 ||
	    va_bits <= shift || va_bits > 57) {
		fprintf(stderr, "xlat-check: bad format or geometry\n");
		return 2;
	}
	unsigned page_size = 1u << shift;
	opts.path = argv[1];
	if (image_open(&opts, &img, &err)) {
		fprintf(stderr, "xlat-check: %s\n", err.msg);
		return 3;
	}
	if (image_set_page_size(img, page_size, &err)) {
		fprintf(stderr, "%s\n", err.msg);
		return 3;
	}

	addrxlat_ctx_t *ctx = addrxlat_ctx_new();
	addrxlat_cb_t *cb = addrxlat_ctx_add_cb(ctx);
	xlat_pages_attach(cb, &pages, img, page_size);

	addrxlat_meth_t meth = { 0 };
	meth.kind = ADDRXLAT_PGT;
	meth.target_as = ADDRXLAT_MACHPHYSADDR;
	meth.param.pgt.root.addr = root;
	meth.param.pgt.root.as = ADDRXLAT_MACHPHYSADDR;
	meth.param.pgt.pte_mask = argc == 8 ? strtoull(argv[7], NULL, 0) : 0;
	meth.param.pgt.pf.pte_format = format;
	meth.param.pgt.pf.nfields = (unsigned short)(levels + 1);
	meth.param.pgt.pf.fieldsz[0] = (unsigned short)shift;
	for (unsigned i = 1; i < levels; i++)
		meth.param.pgt.pf.fieldsz[i] = (unsigned short)(shift - 3);
	meth.param.pgt.pf.fieldsz[levels] =
		(unsigned short)(va_bits - shift - (levels - 1) * (shift - 3));

	char line[64];
	while (fgets(line, sizeof line, stdin)) {
		uint64_t va = strtoull(line, NULL, 0);
		addrxlat_step_t step = { 0 };
		step.ctx = ctx;
		step.meth = &meth;
		/* arm64: the table indexes the low VA_BITS (an upper-half
		 * address goes through its own root); x86_64 takes the
		 * canonical address. */
		step.base.addr = format != ADDRXLAT_PTE_X86_64 ? va & ((1ull << va_bits) - 1) : va;
		step.base.as = ADDRXLAT_NOADDR;
		if (addrxlat_walk(&step) == ADDRXLAT_OK)
			printf("0x%" PRIx64 " 0x%" PRIx64 "\n", va, step.base.addr);
		else
			printf("0x%" PRIx64 " -\n", va);
		addrxlat_ctx_clear_err(ctx);
	}
	addrxlat_ctx_decref(ctx);
	image_close(img);
	return 0;
}
