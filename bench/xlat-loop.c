/* SPDX-License-Identifier: GPL-2.0-or-later */
/* xlat-loop IMAGE ROOT START SIZE: what a tool built on libaddrxlat does
 * to list a range: translate every 4K page with addrxlat_walk() from an
 * arm64 4K 48-bit table at ROOT, reading pages through ptwalk's image
 * layer (so both sides share the same I/O). Prints how many pages are
 * mapped and a checksum of their physical addresses. */
#include "config.h"

#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libkdumpfile/addrxlat.h>

#include "arch.h"
#include "image.h"
#include "../tests/xlat/xlat-pages.h"

static struct image *img;

static struct xlat_pages pages;

int main(int argc, char **argv)
{
	struct image_options opts = { .machines = &arch_machines };
	struct pt_error err = { 0 };

	if (argc != 5) {
		fprintf(stderr, "usage: xlat-loop IMAGE ROOT START SIZE\n");
		return 2;
	}
	opts.path = argv[1];
	opts.quiet = true;
	if (image_open(&opts, &img, &err)) {
		fprintf(stderr, "xlat-loop: %s\n", err.msg);
		return 3;
	}
	if (image_set_page_size(img, 4096, &err)) {
		fprintf(stderr, "%s\n", err.msg);
		return 3;
	}
	uint64_t root = strtoull(argv[2], NULL, 0);
	uint64_t start = strtoull(argv[3], NULL, 0), size = strtoull(argv[4], NULL, 0);

	addrxlat_ctx_t *ctx = addrxlat_ctx_new();
	addrxlat_cb_t *cb = addrxlat_ctx_add_cb(ctx);
	xlat_pages_attach(cb, &pages, img, 4096);

	addrxlat_meth_t meth = { 0 };
	meth.kind = ADDRXLAT_PGT;
	meth.target_as = ADDRXLAT_MACHPHYSADDR;
	meth.param.pgt.root.addr = root;
	meth.param.pgt.root.as = ADDRXLAT_MACHPHYSADDR;
	meth.param.pgt.pf.pte_format = ADDRXLAT_PTE_AARCH64;
	meth.param.pgt.pf.nfields = 5;
	meth.param.pgt.pf.fieldsz[0] = 12;
	for (int i = 1; i < 5; i++)
		meth.param.pgt.pf.fieldsz[i] = 9;

	uint64_t mapped = 0, check = 0, failed = 0;
	for (uint64_t va = start; va < start + size; va += 4096) {
		addrxlat_step_t step = { 0 };
		step.ctx = ctx;
		step.sys = NULL;
		step.meth = &meth;
		step.base.addr = va;
		step.base.as = ADDRXLAT_NOADDR;
		if (addrxlat_walk(&step) == ADDRXLAT_OK) {
			mapped++;
			check += step.base.addr;
		} else {
			if (!failed++)
				fprintf(stderr, "xlat-loop: 0x%" PRIx64 ": %s\n", va, addrxlat_ctx_get_err(ctx));
			addrxlat_ctx_clear_err(ctx);
		}
	}
	printf("%" PRIu64 " pages mapped, %" PRIu64 " not, checksum %016" PRIx64 "\n",
	       mapped, failed, check);
	addrxlat_ctx_decref(ctx);
	image_close(img);
	return 0;
}
