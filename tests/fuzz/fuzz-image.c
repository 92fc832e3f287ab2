/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Fuzz an image reader: the input is an ELF core (FUZZ_FORMAT 0), a
 * kdump-compressed file (1), or a raw image with its VMCOREINFO (2: a
 * two-byte length, that much VMCOREINFO text, four bytes of the physical
 * address where the memory starts, in 64K units, little-endian, then the
 * memory), or the files of a makedumpfile --split dump (3: a two-byte
 * length, that many bytes of the first file, the second file after
 * them; each must start as a kdump file). The image is opened, its paging set up, some of every range
 * read, and the kernel's table walked, as `ptwalk info', `read' and
 * `walk' would. Any outcome but a crash, a hang or a leak is fine. */
#include "config.h"

#include "fuzz.h"

#ifndef FUZZ_FORMAT
#define FUZZ_FORMAT 0
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int file = -1, vmci = -1, part = -1;
	struct image_options opts = { .allow_truncated = true, .quiet = true,
				      .machines = &arch_machines };
	const char *parts[1];
	struct image *img = NULL;
	struct pt_error err = { 0 };

	if (FUZZ_FORMAT == 2) {
		if (size < 2)
			return 0;
		size_t len = (size_t)data[0] << 8 | data[1];
		if (len > size - 2)
			len = size - 2;
		opts.vmcoreinfo_file = fuzz_file(&vmci, data + 2, len);
		const uint8_t *b = data + 2 + len;
		size_t rest = size - 2 - len;
		if (rest < 4)
			return 0;
		opts.raw = true;
		opts.raw_base = (uint64_t)(b[0] | b[1] << 8 | b[2] << 16 | (uint32_t)b[3] << 24) << 16;
		opts.path = fuzz_file(&file, b + 4, rest - 4);
	} else if (FUZZ_FORMAT == 3) {
		if (size < 2)
			return 0;
		size_t len = (size_t)data[0] << 8 | data[1];
		if (len > size - 2)
			len = size - 2;
		const uint8_t *first = data + 2, *second = first + len;
		size_t rest = size - 2 - len;
		if (len < 8 || rest < 8 || memcmp(first, "KDUMP   ", 8) || memcmp(second, "KDUMP   ", 8))
			return 0;
		opts.path = fuzz_file(&file, first, len);
		parts[0] = fuzz_file(&part, second, rest);
		opts.parts = parts;
		opts.nparts = 1;
	} else {
		/* The formats are told apart by their magic: keep each
		 * harness on its own reader. */
		static const char magic[2][8] = { "\177ELF", "KDUMP   " };
		size_t m = FUZZ_FORMAT == 0 ? 4 : 8;
		if (size < m || memcmp(data, magic[FUZZ_FORMAT], m))
			return 0;
		opts.path = fuzz_file(&file, data, size);
	}
	if (image_open(&opts, &img, &err) == 0) {
		struct paging pg;
		struct paging_options popts = { 0 };
		uint8_t buf[64];
		for (size_t i = 0; i < img->nranges && i < 8; i++) {
			image_read(img, img->ranges[i].start, buf, sizeof buf);
			image_read(img, img->ranges[i].end - 8, buf, 16);
		}
		if (paging_setup(&pg, img, &popts, &err) == 0)
			fuzz_walk(img, &pg, size & 1, 0, false);
	}
	image_close(img);
	return 0;
}
