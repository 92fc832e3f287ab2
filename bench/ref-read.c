/* SPDX-License-Identifier: GPL-2.0-or-later */
/* ref-read IMAGE ROOT: the floor any walk stands on. Descends an arm64 4K
 * 48-bit table from ROOT (the user half) and reads every table page once
 * through ptwalk's own image layer, summing its words so that every byte
 * is touched; it decodes nothing beyond "is this a table descriptor".
 * bench/run compares `ptwalk stats' (walk, decode, fold, count) with it. */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arch.h"
#include "image.h"

static struct image *img;
static uint64_t pages, sum;

static void descend(uint64_t table, unsigned level)
{
	const uint8_t *tab;
	uint64_t copy[512];

	if (image_peek(img, table, 4096, &tab) != READ_OK)
		return;
	pages++;
	if (level == 0) {
		for (unsigned i = 0; i < 512; i++) {
			uint64_t v;
			memcpy(&v, tab + i * 8, 8);
			sum += v;
		}
		return;
	}
	/* Upper tables are copied, as ptwalk does: children evict them. */
	memcpy(copy, tab, sizeof copy);
	for (unsigned i = 0; i < 512; i++) {
		sum += copy[i];
		if ((copy[i] & 3) == 3)
			descend(copy[i] & 0x0000fffffffff000ull, level - 1);
	}
}

int main(int argc, char **argv)
{
	struct image_options opts = { .machines = &arch_machines };
	struct pt_error err = { 0 };

	if (argc != 3) {
		fprintf(stderr, "usage: ref-read IMAGE ROOT\n");
		return 2;
	}
	opts.path = argv[1];
	opts.quiet = true;
	if (image_open(&opts, &img, &err)) {
		fprintf(stderr, "ref-read: %s\n", err.msg);
		return 3;
	}
	if (image_set_page_size(img, 4096, &err)) {
		fprintf(stderr, "%s\n", err.msg);
		return 3;
	}
	descend(strtoull(argv[2], NULL, 0), 3);
	printf("%" PRIu64 " table pages read, sum %016" PRIx64 "\n", pages, sum);
	image_close(img);
	return 0;
}
