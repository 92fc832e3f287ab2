/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The physical read cache, on raw images this test writes itself. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "arch.h"
#include "image.h"
#include "image-private.h"
#include "tap.h"

#define BASE 0x80000000ull
#define PAGES 300

/* Every 8 bytes hold their own physical address. */
static uint64_t word_at(uint64_t pa)
{
	return pa ^ 0x5a5a5a5a5a5a5a5aull;
}

/* A backend without a mapping, counting its reads: the LRU cache. */
static unsigned unit_reads;

static enum read_status counting_read(struct image *img, uint64_t pa, void *buf, size_t *valid)
{
	(void)valid;
	unit_reads++;
	if (pa >= (1ull << 40))
		return READ_FILTERED;
	for (size_t off = 0; off < img->unit; off += 8) {
		uint64_t w = word_at(pa + off);
		memcpy((uint8_t *)buf + off, &w, 8);
	}
	return READ_OK;
}

static const struct image_backend counting_backend = {
	.name = "counting",
	.read_unit = counting_read,
};

static void test_cache(void)
{
	struct image *img = calloc(1, sizeof *img);
	img->fd = -1;
	img->backend = &counting_backend;
	img->block_size = 65536;	/* as QEMU's aarch64 kdump */
	struct pt_error err = { 0 };
	OK(image_set_page_size(img, 4096, &err) == 0 && img->unit == 65536,
	   "cache unit is the larger of page and block");

	uint64_t v;
	bool good = true;
	for (uint64_t pa = 0; pa < 65536; pa += 4096)
		good &= image_read(img, pa, &v, 8) == READ_OK && v == word_at(pa);
	OK(good && unit_reads == 1, "16 pages of one 64K block cost one backend read (%u)", unit_reads);

	unit_reads = 0;
	for (uint64_t i = 0; i < IMAGE_CACHE_SLOTS; i++)
		image_read(img, i * 65536, &v, 8);
	OK(unit_reads == IMAGE_CACHE_SLOTS - 1, "filling the cache reads each new unit once (%u)", unit_reads);
	unit_reads = 0;
	for (uint64_t i = 0; i < IMAGE_CACHE_SLOTS; i++)
		image_read(img, i * 65536 + 8, &v, 8);
	OK(unit_reads == 0, "a full cache serves every unit again without reads");
	image_read(img, IMAGE_CACHE_SLOTS * 65536ull, &v, 8);
	image_read(img, 0, &v, 8);
	OK(unit_reads == 2, "one more unit evicts the least recently used, unit 0 (%u)", unit_reads);

	const uint8_t *held;
	image_peek(img, 5 * 65536, 8, &held);
	for (uint64_t i = 100; i < 100 + IMAGE_CACHE_SLOTS - 1; i++)
		image_read(img, i * 65536, &v, 8);
	memcpy(&v, held, 8);
	OK(v == word_at(5 * 65536), "a peeked pointer survives IMAGE_CACHE_SLOTS - 1 further reads");

	unit_reads = 0;
	OK(image_read(img, 1ull << 40, &v, 8) == READ_FILTERED, "backend status is passed on");
	OK(image_read(img, (1ull << 40) + 8, &v, 8) == READ_FILTERED && unit_reads == 1,
	   "a failed unit is cached too");
	free(img->cache_mem);
	free(img);
}

int main(void)
{
	tap_plan(22);
	char path[] = "/tmp/ptwalk-test-image-XXXXXX";
	int fd = mkstemp(path);
	struct pt_error err;
	struct image *img = NULL;
	struct paging pg;

	OK(fd >= 0, "temporary image created");
	for (uint64_t off = 0; off < PAGES * 4096ull; off += 8) {
		uint64_t w = word_at(BASE + off);
		if (write(fd, &w, 8) != 8)
			return 1;
	}
	/* A final partial page: the file ends inside it. */
	if (write(fd, "tail", 4) != 4)
		return 1;
	close(fd);

	struct image_options io = { .path = path, .raw = true, .raw_base = BASE, .arch = "arm64",
				    .machines = &arch_machines };
	struct paging_options po = { .arch = "arm64", .page_size = 4096, .va_bits = 48 };
	OK(image_open(&io, &img, &err) == 0, "raw image opens");
	OK(paging_setup(&pg, img, &po, &err) == 0 && pg.levels == 4, "arm64 4K/48 paging: 4 levels");

	bool all = true;
	for (int pass = 0; pass < 2; pass++)
		for (uint64_t p = 0; p < PAGES; p++) {
			uint64_t pa = BASE + ((p * 37) % PAGES) * 4096 + 8 * (p % 512);
			uint64_t v = 0;
			all &= image_read(img, pa, &v, 8) == READ_OK && v == word_at(pa);
		}
	OK(all, "scattered reads return the right words, twice over");

	uint8_t buf[10000];
	OK(image_read(img, BASE + 4090, buf, sizeof buf) == READ_OK, "read across pages");
	uint64_t w;
	memcpy(&w, buf + 6, 8);
	OK(w == word_at(BASE + 4096), "cross-page read joins pages correctly");

	OK(image_read(img, BASE - 8, buf, 8) == READ_OUTSIDE, "below the image: outside");
	OK(image_read(img, BASE + PAGES * 4096ull + 4096, buf, 8) == READ_OUTSIDE, "above the image: outside");
	OK(image_read(img, BASE + PAGES * 4096ull + 2, buf, 2) == READ_OK && !memcmp(buf, "il", 2),
	   "bytes present in the last partial page read");
	OK(image_read(img, BASE + PAGES * 4096ull, buf, 8) == READ_TRUNCATED, "past the end of the file: truncated");
	OK(image_read(img, BASE + PAGES * 4096ull - 4, buf, 16) == READ_TRUNCATED,
	   "read running off the end: truncated");
	size_t got = 0;
	OK(image_read_partial(img, BASE + PAGES * 4096ull - 4, buf, 16, &got) == READ_TRUNCATED &&
	   got == 8 && !memcmp(buf + 4, "tail", 4),
	   "a partial read gives the 8 bytes up to the file's end");
	OK(image_read(img, UINT64_MAX - 3, buf, 8) != READ_OK, "read wrapping past 2^64 fails");

	const uint8_t *p0;
	OK(image_peek(img, BASE + 8, 8, &p0) == READ_OK && !memcmp(p0, &(uint64_t){ word_at(BASE + 8) }, 8),
	   "peek returns the data");

	image_close(img);
	unlink(path);

	test_cache();
	return tap_done();
}
