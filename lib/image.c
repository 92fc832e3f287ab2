/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Opening an image (format probe) and the physical read cache. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "image-private.h"

const char *read_status_name(enum read_status st)
{
	switch (st) {
	case READ_OK: return "ok";
	case READ_OUTSIDE: return "outside";
	case READ_FILTERED: return "filtered";
	case READ_TRUNCATED: return "truncated";
	case READ_ERROR: return "error";
	case READ_PART_MISSING: return "in a --split part not given";
	}
	return "?";
}

/* Signatures: ELF; diskdump ("KDUMP   ", "DISKDUMP"); makedumpfile's
 * flattened stream ("makedumpfile" in a 16-byte field). */
/* The formats ptwalk reads, told apart by how their files begin. */
static const struct image_probe formats[] = {
	{ "ELF", "\177ELF", 4, elf_image_open },
	{ "kdump-compressed", "KDUMP   ", 8, kdump_image_open },
	{ "diskdump", "DISKDUMP", 8, kdump_image_open },
};
static const char flat_magic[12] = "makedumpfile";

static int read_vmcoreinfo_file(struct image *img, const char *path,
				struct pt_error *err)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return pt_fail(err, PT_EXIT_IMAGE, "%s: %s", path, strerror(errno));
	char *buf = malloc(VMCOREINFO_MAX_SIZE + 1);
	if (!buf) {
		fclose(f);
		return pt_oom(err, VMCOREINFO_MAX_SIZE + 1);
	}
	size_t n = fread(buf, 1, VMCOREINFO_MAX_SIZE + 1, f);
	int bad = ferror(f);
	fclose(f);
	if (bad) {
		free(buf);
		return pt_fail(err, PT_EXIT_IMAGE, "%s: read error", path);
	}
	if (n > VMCOREINFO_MAX_SIZE) {
		free(buf);
		return pt_fail(err, PT_EXIT_IMAGE, "%s: larger than %u bytes, not a VMCOREINFO",
			       path, VMCOREINFO_MAX_SIZE);
	}
	int r = image_set_vmcoreinfo(img, buf, n, "--vmcoreinfo", err);
	free(buf);
	if (r)
		return pt_prefix(err, "%s", path);
	return 0;
}

/* --vmcoreinfo=memory: the note the kernel keeps in memory for a dump
 * to carry, found where it lies. crash_save_vmcoreinfo_init() puts it at
 * the start of pages of its own (alloc_pages_exact(), Linux 6.12
 * kernel/vmcore_info.c; the address /sys/kernel/vmcoreinfo shows) and
 * fills it at boot (update_vmcoreinfo_note()), so a dump made without
 * one (QEMU 7.2's riscv64 virt machine has no vmcoreinfo device) or a
 * raw capture still holds it. Each page of the image is checked for
 * the note's header, "VMCOREINFO" and a text starting "OSRELEASE=";
 * the first whose text parses is taken. Reads go through the image, so
 * a kdump file decompresses as it is scanned. */
#define VMCI_NOTE_HDR 24	/* namesz, descsz, type; "VMCOREINFO\0" padded to 12 */
#define VMCI_SCAN_STEP 4096	/* pages are at least 4K */

static int scan_vmcoreinfo(struct image *img, struct pt_error *err)
{
	static const unsigned char name[12] = "VMCOREINFO";
	unsigned char hdr[VMCI_NOTE_HDR + 10];
	char *text = NULL;
	int rc = 1;

	for (size_t r = 0; r < img->nranges && rc > 0; r++) {
		uint64_t pa = (img->ranges[r].start + VMCI_SCAN_STEP - 1) & ~(uint64_t)(VMCI_SCAN_STEP - 1);
		for (; pa + sizeof hdr <= img->ranges[r].end && rc > 0; pa += VMCI_SCAN_STEP) {
			if (image_read(img, pa, hdr, sizeof hdr) != READ_OK ||
			    memcmp(hdr + 12, name, sizeof name) || memcmp(hdr + VMCI_NOTE_HDR, "OSRELEASE=", 10))
				continue;
			bool be = hdr[0] == 0;	/* namesz 11: one byte set */
			uint32_t namesz = image_get32(hdr, be), descsz = image_get32(hdr + 4, be);
			if (namesz != 11 || image_get32(hdr + 8, be) != 0 || descsz < 10 ||
			    descsz > VMCOREINFO_MAX_SIZE)
				continue;
			if (!text && !(text = malloc(VMCOREINFO_MAX_SIZE)))
				return pt_oom(err, VMCOREINFO_MAX_SIZE);
			if (image_read(img, pa + VMCI_NOTE_HDR, text, descsz) != READ_OK)
				continue;
			/* The note's text ends at its first NUL, if short. */
			size_t len = strnlen(text, descsz);
			struct pt_error perr = { 0 };
			if (image_set_vmcoreinfo(img, text, len, "memory", &perr) == 0)
				rc = 0;
		}
	}
	free(text);
	if (rc)
		return pt_fail(err, PT_EXIT_IMAGE,
			       "%s: --vmcoreinfo=memory: no VMCOREINFO note in the image's memory",
			       img->path);
	return 0;
}

static bool vmcoreinfo_from_memory(const struct image_options *opts)
{
	return opts->vmcoreinfo_file && !strcmp(opts->vmcoreinfo_file, "memory");
}

int image_new(const char *path, struct image **out, struct pt_error *err)
{
	struct image *img = calloc(1, sizeof *img);

	*out = NULL;
	if (!img)
		return pt_oom(err, sizeof *img);
	img->fd = -1;
	img->path = strdup(path);
	if (!img->path) {
		pt_oom(err, strlen(path) + 1);
		free(img);
		return -1;
	}
	for (size_t i = 0; i < IMAGE_CACHE_SLOTS; i++)
		img->slots[i].pa = UINT64_MAX;
	img->unit = 4096;
	img->jobs = 1;
	*out = img;
	return 0;
}

int image_open(const struct image_options *opts, struct image **out,
	       struct pt_error *err)
{
	struct image *img;
	struct stat st;
	char magic[16];
	int r;

	*out = NULL;
	if (image_new(opts->path, &img, err))
		return -1;
	if (opts->jobs > 1)
		img->jobs = opts->jobs;

	/* O_RDONLY: ptwalk never writes to its input. */
	img->fd = open(opts->path, O_RDONLY | O_CLOEXEC);
	if (img->fd < 0) {
		pt_fail(err, PT_EXIT_IMAGE, "%s: %s", opts->path, strerror(errno));
		goto fail;
	}
	if (fstat(img->fd, &st) < 0) {
		pt_fail(err, PT_EXIT_IMAGE, "%s: %s", opts->path, strerror(errno));
		goto fail;
	}
	if (S_ISDIR(st.st_mode)) {
		pt_fail(err, PT_EXIT_IMAGE, "%s: is a directory, not a memory image", opts->path);
		goto fail;
	}
	img->file_size = (uint64_t)st.st_size;

	ssize_t n = pread(img->fd, magic, sizeof magic, 0);
	if (n < 0) {
		pt_fail(err, PT_EXIT_IMAGE, "%s: %s", opts->path, strerror(errno));
		goto fail;
	}
	if (n == 0) {
		pt_fail(err, PT_EXIT_IMAGE, "%s: empty file, not a memory image", opts->path);
		goto fail;
	}

	/* A raw image has nothing but its VMCOREINFO to name the arch. */
	if (opts->raw && opts->vmcoreinfo_file && !vmcoreinfo_from_memory(opts) &&
	    read_vmcoreinfo_file(img, opts->vmcoreinfo_file, err))
		goto fail;
	const struct image_probe *fmt = NULL;
	for (size_t i = 0; !opts->raw && i < sizeof formats / sizeof formats[0]; i++) {
		if ((size_t)n >= formats[i].magic_len &&
		    !memcmp(magic, formats[i].magic, formats[i].magic_len)) {
			fmt = &formats[i];
			break;
		}
	}
	if (opts->raw)
		r = raw_image_open(img, opts, err);
	else if (fmt)
		r = fmt->open(img, opts, err);
	else if (n >= 12 && !memcmp(magic, flat_magic, 12))
		r = pt_fail(err, PT_EXIT_IMAGE,
			    "%s: makedumpfile flattened format, which cannot be read in place; "
			    "rebuild it with: makedumpfile -R OUTPUT < %s",
			    opts->path, opts->path);
	else
		r = pt_fail(err, PT_EXIT_IMAGE,
			    "%s: not a memory image (no ELF or kdump signature; "
			    "for a raw physical image give --raw-image=BASE and --arch)",
			    opts->path);
	if (r)
		goto fail;
	if (opts->nparts && img->format != IMAGE_KDUMP) {
		pt_fail(err, PT_EXIT_USAGE, "%s: --part names the other files of a kdump-compressed "
			"dump that makedumpfile --split wrote; this is no such file", opts->path);
		goto fail;
	}

	if (!opts->raw && opts->vmcoreinfo_file && !vmcoreinfo_from_memory(opts) &&
	    read_vmcoreinfo_file(img, opts->vmcoreinfo_file, err))
		goto fail;
	image_finish_ranges(img);
	if (image_set_page_size(img, img->unit, err))
		goto fail;
	if (vmcoreinfo_from_memory(opts) && scan_vmcoreinfo(img, err))
		goto fail;
	*out = img;
	return 0;

fail:
	image_close(img);
	*out = NULL;
	return -1;
}

void image_close(struct image *img)
{
	if (!img)
		return;
	prefetch_stop(img);
	if (img->backend && img->backend->close)
		img->backend->close(img);
	if (img->fd >= 0)
		close(img->fd);
	vmcoreinfo_free(&img->vmci);
	for (size_t i = 0; i < img->nsplit; i++)
		free(img->split[i].path);
	free(img->split);
	free(img->ranges);
	free(img->cache_mem);
	free(img->path);
	free(img);
}

int image_set_vmcoreinfo(struct image *img, const char *text, size_t len,
			 const char *source, struct pt_error *err)
{
	if (vmcoreinfo_parse(&img->vmci, text, len, err))
		return -1;
	img->vmcoreinfo_source = source;
	return 0;
}

int image_add_range(struct image *img, uint64_t start, uint64_t end, struct pt_error *err)
{
	if (end <= start)
		return 0;
	/* The count is bounded by the image's own segments or bitmap runs. */
	if (pt_grow(&img->ranges, img->nranges, sizeof *img->ranges, err))
		return -1;
	img->ranges[img->nranges++] = (struct phys_range){ start, end };
	return 0;
}

static int range_cmp(const void *a, const void *b)
{
	const struct phys_range *x = a, *y = b;
	return x->start < y->start ? -1 : x->start > y->start;
}

void image_finish_ranges(struct image *img)
{
	size_t out = 0;

	if (img->nranges == 0)
		return;		/* no array at all: qsort(NULL, 0) is undefined */
	qsort(img->ranges, img->nranges, sizeof *img->ranges, range_cmp);
	for (size_t i = 0; i < img->nranges; i++) {
		if (out && img->ranges[i].start <= img->ranges[out - 1].end) {
			if (img->ranges[i].end > img->ranges[out - 1].end)
				img->ranges[out - 1].end = img->ranges[i].end;
		} else {
			img->ranges[out++] = img->ranges[i];
		}
	}
	img->nranges = out;
}

int image_set_page_size(struct image *img, size_t page_size, struct pt_error *err)
{
	size_t unit = page_size;

	if (img->block_size > unit)
		unit = img->block_size;
	if (img->cache_mem && unit == img->unit)
		return 0;
	/* The cache's units and the read-ahead ring's, in one block: a
	 * unit taken from the ring swaps buffers with a cache slot. */
	size_t ring = prefetch_slots(img, unit);
	uint8_t *mem = malloc(unit * (IMAGE_CACHE_SLOTS + ring));
	if (!mem)
		return pt_oom(err, unit * (IMAGE_CACHE_SLOTS + ring));
	prefetch_stop(img);
	free(img->cache_mem);
	img->cache_mem = mem;
	img->unit = unit;
	for (size_t i = 0; i < IMAGE_CACHE_SLOTS; i++) {
		img->slots[i].pa = UINT64_MAX;
		img->slots[i].data = img->cache_mem + i * unit;
	}
	if (ring)
		return prefetch_start(img, mem + IMAGE_CACHE_SLOTS * unit, ring, err);
	return 0;
}

/* Find or load the cache unit holding PA. */
static struct cache_slot *cache_get(struct image *img, uint64_t pa)
{
	uint64_t base = pa & ~(uint64_t)(img->unit - 1);
	struct cache_slot *victim = &img->slots[0];

	img->clock++;
	for (size_t i = 0; i < IMAGE_CACHE_SLOTS; i++) {
		struct cache_slot *s = &img->slots[i];
		if (s->pa == base) {
			s->stamp = img->clock;
			return s;
		}
		if (s->stamp < victim->stamp)
			victim = s;
	}
	victim->pa = base;
	victim->stamp = img->clock;
	img->units_read++;
	victim->valid = 0;
	if (!img->pf || !prefetch_take(img, base, victim))
		victim->status = img->backend->read_unit(img, base, victim->data, &victim->valid);
	if (victim->status == READ_OK || victim->valid > img->unit)
		victim->valid = victim->status == READ_OK ? img->unit : 0;
	return victim;
}

enum read_status image_peek(struct image *img, uint64_t pa, size_t len,
			    const uint8_t **data)
{
	if (img->backend->map) {
		const uint8_t *p = img->backend->map(img, pa, len);
		if (p) {
			*data = p;
			return READ_OK;
		}
	}
	uint64_t off = pa & (img->unit - 1);
	if (off + len > img->unit) {
		snprintf(img->last_error, sizeof img->last_error,
			 "read of %zu bytes at 0x%llx crosses a page", len,
			 (unsigned long long)pa);
		return READ_ERROR;
	}
	struct cache_slot *s = cache_get(img, pa);
	if (s->status != READ_OK && off + len > s->valid)
		return s->status;
	*data = s->data + off;
	return READ_OK;
}

/* A unit image_peek() could not give whole (status ST): the bytes it
 * stores from PA on, CHUNK at most, into DST, *N of them -- those of the
 * slot image_peek() just loaded, or the backend's own reading where they
 * are not the unit's first. READ_OK when all CHUNK were read. */
static enum read_status read_unit_partial(struct image *img, uint64_t pa, size_t off,
					  uint8_t *dst, size_t chunk, enum read_status st,
					  size_t *n)
{
	struct cache_slot *s = cache_get(img, pa);
	*n = 0;
	if (s->status != READ_OK && s->valid > off) {
		*n = s->valid - off < chunk ? s->valid - off : chunk;
		memcpy(dst, s->data + off, *n);
		return st;
	}
	if (!img->backend->read_range)
		return st;
	st = img->backend->read_range(img, pa, dst, chunk, n);
	if (st == READ_OK)
		*n = chunk;
	return st;
}

enum read_status image_read_partial(struct image *img, uint64_t pa, void *buf, size_t len,
				    size_t *got)
{
	uint8_t *dst = buf;

	*got = 0;
	while (len) {
		uint64_t off = pa & (img->unit - 1);
		size_t chunk = img->unit - off;
		const uint8_t *src;
		if (chunk > len)
			chunk = len;
		enum read_status st = image_peek(img, pa, chunk, &src);
		if (st == READ_OK) {
			memcpy(dst, src, chunk);
		} else {
			size_t n;
			st = read_unit_partial(img, pa, off, dst, chunk, st, &n);
			if (st != READ_OK) {
				*got += n;
				return st;
			}
		}
		dst += chunk;
		*got += chunk;
		len -= chunk;
		if (pa + chunk < pa && len)
			return READ_OUTSIDE; /* wrapped past the top */
		pa += chunk;
	}
	return READ_OK;
}

enum read_status image_read(struct image *img, uint64_t pa, void *buf, size_t len)
{
	size_t got;
	return image_read_partial(img, pa, buf, len, &got);
}
