/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The image layer's inside: what a format backend implements and the
 * helpers it uses. Private to src/image*.c (and the image cache's unit
 * test); callers see include/ptwalk/image.h only. */
#ifndef PTWALK_IMAGE_PRIVATE_H
#define PTWALK_IMAGE_PRIVATE_H

#include <endian.h>
#include <string.h>

#include "image.h"

/* A 32- or 64-bit field of a dump's own headers at P, in the byte order
 * BE says (kdump headers, ELF notes found in memory). */
static inline uint32_t image_get32(const unsigned char *p, bool be)
{
	uint32_t v;
	memcpy(&v, p, 4);
	return be ? be32toh(v) : le32toh(v);
}

static inline uint64_t image_get64(const unsigned char *p, bool be)
{
	uint64_t v;
	memcpy(&v, p, 8);
	return be ? be64toh(v) : le64toh(v);
}

struct image_backend {
	const char *name;
	/* Read the cache unit at unit-aligned PA into BUF (img->unit bytes).
	 * A unit stored only in part returns why the rest is absent and sets
	 * *VALID (0 on entry) to the number of leading bytes it did read. */
	enum read_status (*read_unit)(struct image *img, uint64_t pa, void *buf, size_t *valid);
	/* Optional: [PA, PA+LEN) up to its first absent byte, for a unit
	 * whose stored bytes do not start it (*GOT bytes read). */
	enum read_status (*read_range)(struct image *img, uint64_t pa, void *buf, size_t len,
				       size_t *got);
	/* Optional zero-copy access to [PA, PA+LEN) inside one mapped run;
	 * returns NULL when not possible (the caller then uses read_unit). */
	const uint8_t *(*map)(struct image *img, uint64_t pa, size_t len);
	void (*close)(struct image *img);
	/* Optional: a reader of its own for a worker thread (NULL: none to
	 * be had), its read of the unit at BASE as read_unit's (CTX NULL:
	 * the image's own reader; a message into ERR, not last_error), and
	 * its end. A backend with these reads ahead when jobs > 1. */
	void *(*worker_new)(struct image *img);
	enum read_status (*worker_read)(struct image *img, void *ctx, uint64_t base, void *buf,
					size_t *valid, char *err, size_t errsz);
	void (*worker_free)(struct image *img, void *ctx);
};

/* A format: how its files begin, and the backend's open function, which
 * fills IMG (fd, path and file size already set). Probed in order by
 * image_open(); a raw image is never probed, only asked for. */
struct image_probe {
	const char *name;
	const char *magic;
	size_t magic_len;
	int (*open)(struct image *img, const struct image_options *opts, struct pt_error *err);
};

/* Helpers for backends. */
/* An empty image named PATH (no file open), its cache unset. */
int image_new(const char *path, struct image **out, struct pt_error *err);
/* Returns 0, or -1 with ERR set when memory runs out. */
int image_add_range(struct image *img, uint64_t start, uint64_t end, struct pt_error *err);
void image_finish_ranges(struct image *img);
int image_set_vmcoreinfo(struct image *img, const char *text, size_t len,
			 const char *source, struct pt_error *err);

/* Read-ahead (lib/prefetch.c). The ring's units for IMG with units of
 * UNIT bytes (0: no read-ahead); its start on NSLOTS units at MEM (0, or
 * -1 with ERR set; fewer workers than asked when threads cannot be had);
 * its stop; and the unit at BASE into cache slot CS if the ring has it
 * (false: read it as usual). */
size_t prefetch_slots(const struct image *img, size_t unit);
int prefetch_start(struct image *img, uint8_t *mem, size_t nslots, struct pt_error *err);
void prefetch_stop(struct image *img);
bool prefetch_take(struct image *img, uint64_t base, struct cache_slot *cs);

/* The backends' open functions. */
int elf_image_open(struct image *img, const struct image_options *opts,
		   struct pt_error *err);
int kdump_image_open(struct image *img, const struct image_options *opts,
		     struct pt_error *err);
int raw_image_open(struct image *img, const struct image_options *opts,
		   struct pt_error *err);

#endif
