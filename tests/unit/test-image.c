/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The physical read cache, on raw images this test writes itself. */
#include "config.h"

#include <pthread.h>
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

/* A backend with read-ahead workers (lib/prefetch.c): each reader
 * counts its reads; unit 7 is filtered, unit 9 an error with a message. */
static pthread_mutex_t rd_lock = PTHREAD_MUTEX_INITIALIZER;
static unsigned main_reads, worker_reads, workers_made, workers_freed;
static bool workers_fail;

static enum read_status worker_fill(struct image *img, uint64_t pa, void *buf, char *err,
				    size_t errsz)
{
	if (pa / img->unit == 7)
		return READ_FILTERED;
	if (pa / img->unit == 9) {
		snprintf(err, errsz, "unit 9 is broken");
		return READ_ERROR;
	}
	for (size_t off = 0; off < img->unit; off += 8) {
		uint64_t w = word_at(pa + off);
		memcpy((uint8_t *)buf + off, &w, 8);
	}
	return READ_OK;
}

static enum read_status ahead_read(struct image *img, uint64_t pa, void *buf, size_t *valid)
{
	(void)valid;
	pthread_mutex_lock(&rd_lock);
	main_reads++;
	pthread_mutex_unlock(&rd_lock);
	return worker_fill(img, pa, buf, img->last_error, sizeof img->last_error);
}

static void *ahead_new(struct image *img)
{
	(void)img;
	if (workers_fail)
		return NULL;
	pthread_mutex_lock(&rd_lock);
	workers_made++;
	pthread_mutex_unlock(&rd_lock);
	return malloc(1);
}

static enum read_status ahead_worker_read(struct image *img, void *ctx, uint64_t pa, void *buf,
					  size_t *valid, char *err, size_t errsz)
{
	(void)valid;
	pthread_mutex_lock(&rd_lock);
	if (ctx)
		worker_reads++;
	else
		main_reads++;
	pthread_mutex_unlock(&rd_lock);
	return worker_fill(img, pa, buf, err, errsz);
}

static void ahead_free(struct image *img, void *ctx)
{
	(void)img;
	workers_freed++;
	free(ctx);
}

static const struct image_backend ahead_backend = {
	.name = "ahead",
	.read_unit = ahead_read,
	.worker_new = ahead_new,
	.worker_read = ahead_worker_read,
	.worker_free = ahead_free,
};

static struct image *ahead_image(unsigned jobs)
{
	struct image *img = calloc(1, sizeof *img);
	img->fd = -1;
	img->backend = &ahead_backend;
	img->jobs = jobs;
	return img;
}

static void ahead_close(struct image *img)
{
	prefetch_stop(img);
	free(img->cache_mem);
	free(img);
}

static void test_read_ahead(void)
{
	struct pt_error err = { 0 };
	struct image *img = ahead_image(3);
	OK(image_set_page_size(img, 4096, &err) == 0 && image_prefetching(img) && workers_made == 2,
	   "three jobs: two read-ahead workers (%u)", workers_made);

	/* Units named ahead, then read in order: the same bytes and
	 * statuses, the message of the failed one, each unit read once. */
	uint64_t pas[300];
	for (unsigned i = 0; i < 300; i++)
		pas[i] = i * 4096ull + 64;	/* any address inside the unit */
	image_prefetch(img, pas, 300);
	/* Let the workers start (the caller would otherwise read them all
	 * itself on a busy machine). */
	for (int spin = 0; spin < 5000; spin++) {
		pthread_mutex_lock(&rd_lock);
		unsigned started = worker_reads;
		pthread_mutex_unlock(&rd_lock);
		if (started >= 10)
			break;
		usleep(1000);
	}
	bool good = true;
	enum read_status st7 = READ_OK, st9 = READ_OK;
	for (unsigned i = 0; i < 300; i++) {
		uint64_t v = 0;
		enum read_status st = image_read(img, i * 4096ull + 8, &v, 8);
		if (i == 7)
			st7 = st;
		else if (i == 9)
			st9 = st;
		else
			good &= st == READ_OK && v == word_at(i * 4096ull + 8);
	}
	OK(good, "298 units named ahead read back right");
	OK(st7 == READ_FILTERED, "a unit's status comes through the ring (filtered)");
	OK(st9 == READ_ERROR && !strcmp(img->last_error, "unit 9 is broken"),
	   "a worker's error and its message come through the ring (%s)", img->last_error);
	OK(main_reads + worker_reads == 300 && worker_reads > 0,
	   "every unit read once, %u of them by workers", worker_reads);

	/* Naming what the cache holds reads nothing more. */
	unsigned before = main_reads + worker_reads;
	image_prefetch(img, pas + 290, 10);
	for (unsigned i = 290; i < 300; i++) {
		uint64_t v;
		image_read(img, i * 4096ull, &v, 8);
	}
	OK(main_reads + worker_reads == before, "units in the cache are not read ahead again");

	/* More than the ring holds: the rest is dropped, read when needed. */
	static uint64_t many[5000];
	for (unsigned i = 0; i < 5000; i++)
		many[i] = (1000 + i) * 4096ull;
	main_reads = worker_reads = 0;
	image_prefetch(img, many, 5000);
	good = true;
	for (unsigned i = 0; i < 5000; i++) {
		uint64_t v = 0;
		good &= image_read(img, many[i], &v, 8) == READ_OK && v == word_at(many[i]);
	}
	OK(good && main_reads + worker_reads == 5000,
	   "5000 named at once, the ring bounded: all read right, each once (%u)",
	   main_reads + worker_reads);

	/* Units named and never read are given up two batches later. */
	for (unsigned i = 0; i < 1024; i++)
		many[i] = (100000 + i) * 4096ull;
	image_prefetch(img, many, 1024);
	image_prefetch(img, many, 1);
	image_prefetch(img, many + 1, 1);
	/* Wait for the workers to finish the abandoned batch. */
	for (int spin = 0; spin < 2000; spin++) {
		pthread_mutex_lock(&rd_lock);
		unsigned done = worker_reads + main_reads;
		pthread_mutex_unlock(&rd_lock);
		if (done >= 5000 + 1024)
			break;
		usleep(1000);
	}
	main_reads = worker_reads = 0;
	uint64_t next[8];
	for (unsigned i = 0; i < 8; i++)
		next[i] = (200000 + i) * 4096ull;
	image_prefetch(img, next, 8);
	for (int spin = 0; spin < 5000; spin++) {
		pthread_mutex_lock(&rd_lock);
		unsigned done = worker_reads;
		pthread_mutex_unlock(&rd_lock);
		if (done >= 8)
			break;
		usleep(1000);
	}
	for (unsigned i = 0; i < 8; i++) {
		uint64_t v;
		image_read(img, next[i], &v, 8);
	}
	OK(worker_reads == 8 && main_reads == 0,
	   "a full ring of abandoned units makes room for new ones (%u read ahead)", worker_reads);
	ahead_close(img);
	OK(workers_freed == 2, "stopping frees each worker's reader");

	/* One job, or no reader for a worker: no read-ahead, reads as ever. */
	img = ahead_image(1);
	OK(image_set_page_size(img, 4096, &err) == 0 && !image_prefetching(img), "one job: no read-ahead");
	image_prefetch(img, pas, 10);
	uint64_t v = 0;
	OK(image_read(img, 4096, &v, 8) == READ_OK && v == word_at(4096), "one job reads as ever");
	ahead_close(img);
	workers_fail = true;
	img = ahead_image(4);
	OK(image_set_page_size(img, 4096, &err) == 0 && !image_prefetching(img),
	   "no reader for a worker: no read-ahead");
	ahead_close(img);
	workers_fail = false;
	/* Stopped with units queued: no hang, nothing left (ASan). */
	img = ahead_image(2);
	image_set_page_size(img, 4096, &err);
	for (unsigned i = 0; i < 1024; i++)
		many[i] = (300000 + i) * 4096ull;
	image_prefetch(img, many, 1024);
	ahead_close(img);
	OK(workers_freed == 3, "stopped with units queued: its worker ended and freed");
}

int main(void)
{
	tap_plan(35);
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
	test_read_ahead();
	return tap_done();
}
