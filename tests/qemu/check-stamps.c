/* SPDX-License-Identifier: GPL-2.0-or-later */
/* check-stamps [--expect-filtered] IMAGE TRUTH: every 4K page guest-truth
 * stamped is read back through ptwalk's physical reader at the PFN the
 * guest's pagemap reported, and holds its stamp (magic, its own VA, the
 * mapping size). With --expect-filtered (a makedumpfile -d 31 dump, which
 * leaves user data out) every such page must instead be reported as
 * filtered. Prints the number of pages checked; exit 0 only if all are
 * as expected. */
#include "config.h"

#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arch.h"
#include "image.h"

int main(int argc, char **argv)
{
	bool expect_filtered = false;
	const char *vmcoreinfo = NULL;
	for (; argc > 1 && !strncmp(argv[1], "--", 2); argv++, argc--) {
		if (!strcmp(argv[1], "--expect-filtered"))
			expect_filtered = true;
		else if (!strncmp(argv[1], "--vmcoreinfo=", 13))
			vmcoreinfo = argv[1] + 13;
		else
			break;
	}
	if (argc != 3) {
		fprintf(stderr, "usage: check-stamps [--expect-filtered] [--vmcoreinfo=FILE] IMAGE TRUTH\n");
		return 2;
	}
	struct image_options io = { .path = argv[1], .machines = &arch_machines,
				    .vmcoreinfo_file = vmcoreinfo };
	struct paging_options po = { 0 };
	struct pt_error err;
	struct image *img;
	struct paging pg;
	if (image_open(&io, &img, &err) || paging_setup(&pg, img, &po, &err)) {
		fprintf(stderr, "check-stamps: %s\n", err.msg);
		return 1;
	}
	FILE *truth = fopen(argv[2], "r");
	if (!truth) {
		perror(argv[2]);
		return 1;
	}
	char line[256];
	uint64_t map_size = 0, checked = 0, bad = 0;
	while (fgets(line, sizeof line, truth)) {
		unsigned long long va, pfn, n, size;
		if (sscanf(line, "map %llx %llx", &va, &size) == 2) {
			map_size = size;
			continue;
		}
		if (sscanf(line, "pfn %llx %llx %llu", &va, &pfn, &n) != 3)
			continue;
		for (uint64_t i = 0; i < n; i++) {
			uint64_t stamp[4] = { 0 };
			uint64_t pa = (pfn + i) * 4096, want_va = va + i * 4096;
			enum read_status st = image_read(img, pa, stamp, sizeof stamp);
			checked++;
			bool good = expect_filtered ? st == READ_FILTERED :
				    st == READ_OK && stamp[0] == 0x4b4c41575450ull &&
				    stamp[1] == want_va && stamp[3] == map_size;
			if (!good) {
				if (bad++ < 10)
					fprintf(stderr, "check-stamps: %s: VA 0x%" PRIx64 " at PA 0x%" PRIx64
						": %s, stamp VA 0x%" PRIx64 "\n", argv[1], want_va, pa,
						read_status_name(st), stamp[1]);
			}
		}
	}
	fclose(truth);
	image_close(img);
	printf("%" PRIu64 " pages checked, %" PRIu64 " wrong\n", checked, bad);
	return bad || !checked ? 1 : 0;
}
