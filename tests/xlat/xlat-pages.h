/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Pages for libaddrxlat read through ptwalk's image layer: shared by
 * tests/xlat/xlat-check (the cross-check) and bench/xlat-loop (the
 * per-page translation loop a libaddrxlat tool runs). */
#ifndef XLAT_PAGES_H
#define XLAT_PAGES_H

#include <stdbool.h>
#include <stdint.h>

#include <libkdumpfile/addrxlat.h>

#include "image.h"

/* libaddrxlat holds a page from get_page to put_page, across steps and
 * translations, longer than the image layer's own buffers live: pages
 * are pinned copies in a small least-recently-used cache. */
#define XLAT_PAGE_SLOTS 16
#define XLAT_PAGE_MAX 65536

struct xlat_pages {
	struct image *img;
	unsigned page_size; /* a power of two, at most XLAT_PAGE_MAX */
	uint64_t clock;
	struct xlat_page_slot {
		uint64_t pa, stamp;
		unsigned pins;
		bool used;
		uint8_t data[XLAT_PAGE_MAX];
	} slots[XLAT_PAGE_SLOTS];
};

/* Sets CB's get_page and read_caps to read through PAGES, which must
 * outlive the context. Returns false if PAGE_SIZE is not one it holds. */
bool xlat_pages_attach(addrxlat_cb_t *cb, struct xlat_pages *pages, struct image *img,
		       unsigned page_size);

#endif
