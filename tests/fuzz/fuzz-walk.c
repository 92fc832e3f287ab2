/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Fuzz the walker and the fold on arbitrary table bytes: the input's
 * first byte picks an architecture and geometry; the second the view
 * (bit 0), the release (bits 1-3) and the page of the user root (bits
 * 4-7); the next four the physical address where the rest lies (in 64K
 * units, little-endian: where tests/ptwalk-gen puts its tables, so that
 * its images' tables make seeds), a raw image whose first page is the
 * kernel root. Every table is untrusted: loops, aliases, gangs, reserved
 * entries and addresses outside the image must end as anomalies. */
#include "config.h"

#include "fuzz.h"

static const struct geometry {
	const char *arch;
	uint64_t page_size;
	unsigned va_bits, levels;
	const char *mmu;
} geometries[] = {
	{ "x86_64", 0, 0, 4 },
	{ "x86_64", 0, 0, 5 },
	{ "arm64", 4096, 39, 0 },
	{ "arm64", 4096, 48, 0 },
	{ "arm64", 4096, 52, 0 },
	{ "arm64", 16384, 36, 0 },
	{ "arm64", 16384, 47, 0 },
	{ "arm64", 16384, 52, 0 },
	{ "arm64", 65536, 42, 0 },
	{ "arm64", 65536, 52, 0 },
	{ "ppc8xx", 4096, 0, 0 },
	{ "ppc8xx", 16384, 0, 0 },
	{ "riscv64", 4096, 39, 0 },
	{ "riscv64", 4096, 48, 0 },
	{ "riscv64", 4096, 57, 0 },
	{ "ppc64", 4096, 0, 0, "radix" },
	{ "ppc64", 65536, 0, 0, "radix" },
	{ "ppc64", 4096, 0, 0, "hash" },
	{ "ppc64", 65536, 0, 0, "hash" },
};
#define NGEOMETRIES (sizeof geometries / sizeof geometries[0])

static const char *const releases[] = {
	"6.12.0", "6.1.0", "5.10.0", "4.18.0", "7.2.0", "5.14.0", "6.6.0", "6.10.0",
};


int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int file = -1;
	if (size < 7)
		return 0;
	uint64_t base = (uint64_t)(data[2] | data[3] << 8 | data[4] << 16 | (uint32_t)data[5] << 24) << 16;
	const struct geometry *g = &geometries[data[0] % NGEOMETRIES];
	struct image_options opts = { .raw = true, .raw_base = base, .quiet = true,
				      .machines = &arch_machines,
				      .arch = g->arch };
	struct paging_options popts = {
		.arch = g->arch,
		.page_size = g->page_size,
		.va_bits = g->va_bits,
		.levels = g->levels,
		.mmu = g->mmu,
		.kernel_release = releases[(data[1] >> 1) & 7],
	};
	struct image *img = NULL;
	struct pt_error err = { 0 };
	opts.path = fuzz_file(&file, data + 6, size - 6);
	if (image_open(&opts, &img, &err) == 0) {
		struct paging pg;
		if (paging_setup(&pg, img, &popts, &err) == 0) {
			uint64_t page = 1ull << pg.page_shift;
			pg.kernel_root.set = true;
			pg.kernel_root.v = base;
			fuzz_walk(img, &pg, data[1] & 1, base + (data[1] >> 4) * page, true);
		}
	}
	image_close(img);
	return 0;
}
