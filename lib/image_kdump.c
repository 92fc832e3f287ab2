/* SPDX-License-Identifier: GPL-2.0-or-later */
/* kdump-compressed (diskdump) images through libkdumpfile, which knows
 * every compression makedumpfile and QEMU write. */
#include "config.h"

#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <libkdumpfile/kdumpfile.h>

#include "image-private.h"

/* Flags in the header's status word and in page descriptors, as
 * makedumpfile's diskdump_mod.h and QEMU's dump.h define them. */
#define DUMP_DH_COMPRESSED_ZLIB   0x01
#define DUMP_DH_COMPRESSED_LZO    0x02
#define DUMP_DH_COMPRESSED_SNAPPY 0x04
#define DUMP_DH_COMPRESSED_ZSTD   0x20

/* Offsets in struct disk_dump_header: signature[8], header_version,
 * new_utsname (6 * 65 bytes), then a struct timeval aligned to the
 * target's long: 2 bytes of padding on 32-bit, 6 on 64-bit targets. */
#define DH_STATUS_32 (12 + 390 + 2 + 8)
#define DH_STATUS_64 (12 + 390 + 6 + 16)

/* Values read from the header, in host order. */
struct dh_fields {
	bool is64, big_endian;
	int32_t version, block_size, sub_hdr_size;
	uint32_t status, bitmap_blocks, max_mapnr;
	uint64_t max_mapnr_64;
	/* makedumpfile --split: this file holds blocks [start, end). */
	bool split;
	uint64_t start, end;
};

/* One file of the dump: the image's own, or another part of a
 * makedumpfile --split dump (--part). */
struct kfile {
	int fd;
	const char *path;
	uint64_t size;
	struct dh_fields dh;
	uint64_t start, end;	/* the blocks it holds */
};

/* LeakSanitizer's interface: linked only in a sanitizer build. */
void __lsan_ignore_object(const void *p) __attribute__((weak));

struct kdump_priv {
	kdump_ctx_t *ctx;
	/* libkdumpfile 0.5.1 cannot free a context whose open failed in
	 * diskdump.c open_common(): its error path frees the format data
	 * (diskdump_cleanup()) but leaves the page-size override that data
	 * holds linked into the attribute templates, and the format's
	 * attr_cleanup hook in place, which kdump_free() runs on the freed,
	 * NULLed data (a crash, or a read of freed memory). Such a context
	 * is left allocated: once, as the command exits on the error, and
	 * marked for LeakSanitizer in a sanitizer build. */
	bool open_failed;
	/* libkdumpfile 0.5.1 (and its master as of 2026) returns from a
	 * kdump_clone() whose per-context allocation fails with the shared
	 * lock still read-locked (context.c kdump_clone()): reads go on, but
	 * kdump_free() of any context sharing it waits for that lock
	 * forever. After such a failure no context of the dump is freed:
	 * once per image, only when memory ran out. */
	bool clone_failed;
	/* The dump's files: the image's own first, then --part ones. */
	struct kfile *files;
	size_t nfiles;
	/* The header's first bitmap: pages that exist (RAM). Read here, not
	 * through libkdumpfile's memory.pagemap attribute: libkdumpfile
	 * 0.5.1 never frees the PFN regions it builds for that attribute
	 * (diskdump_cleanup() frees only the per-file maps), 24 KiB and more
	 * lost on every open. */
	uint64_t ram_bitmap_off, ram_bitmap_len;
	/* Blocks whose stored data cannot be trusted, sorted: libkdumpfile
	 * would zero-fill data cut off by truncation, and allocate whatever
	 * size a corrupt descriptor claims. */
	struct bad_block { uint64_t block; enum read_status status; } *bad;
	size_t nbad;
};

static const struct bad_block *find_bad(const struct kdump_priv *kp, uint64_t block)
{
	size_t lo = 0, hi = kp->nbad;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (kp->bad[mid].block < block)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < kp->nbad && kp->bad[lo].block == block ? &kp->bad[lo] : NULL;
}

/* The unit at BASE read with libkdumpfile context CTX (the image's own,
 * or a worker's clone); a message into ERR. */
static enum read_status kdump_read_ctx(struct image *img, kdump_ctx_t *ctx, uint64_t base,
				       void *buf, char *err, size_t errsz)
{
	const struct kdump_priv *kp = img->priv;
	size_t len = img->unit;

	for (uint64_t b = base / img->block_size; kp->nbad && b < (base + img->unit) / img->block_size; b++) {
		const struct bad_block *bad = find_bad(kp, b);
		if (bad) {
			snprintf(err, errsz, "%s: corrupt page descriptor for block %llu", img->path,
				 (unsigned long long)b);
			return bad->status;
		}
	}
	kdump_status st = kdump_read(ctx, KDUMP_MACHPHYSADDR, base, buf, &len);

	if (st == KDUMP_OK)
		return READ_OK;
	if (st == KDUMP_ERR_NODATA) {
		/* Tell a page that makedumpfile excluded from one that was
		 * never RAM, by the dump's own RAM bitmap; and, in a split
		 * dump, RAM that no file given holds (makedumpfile's files
		 * share out all the blocks, so another file holds it). */
		uint64_t pfn = (base + len) / img->block_size;
		unsigned char byte;
		kdump_clear_err(ctx);
		if (!(pfn / 8 < kp->ram_bitmap_len &&
		      pread(img->fd, &byte, 1, (off_t)(kp->ram_bitmap_off + pfn / 8)) == 1 &&
		      (byte >> (pfn % 8)) & 1))
			return READ_OUTSIDE;
		if (kp->files[0].dh.split) {
			bool held = false;
			for (size_t i = 0; i < kp->nfiles && !held; i++)
				held = pfn >= kp->files[i].start && pfn < kp->files[i].end;
			if (!held)
				return READ_PART_MISSING;
		}
		return READ_FILTERED;
	}
	if (st == KDUMP_ERR_EOF) {
		kdump_clear_err(ctx);
		return READ_TRUNCATED;
	}
	snprintf(err, errsz, "%s: %s", img->path, kdump_get_err(ctx));
	kdump_clear_err(ctx);
	return READ_ERROR;
}

static enum read_status kdump_read_unit(struct image *img, uint64_t base, void *buf, size_t *valid)
{
	(void)valid;	/* a block is stored whole or not at all */
	struct kdump_priv *kp = img->priv;
	return kdump_read_ctx(img, kp->ctx, base, buf, img->last_error, sizeof img->last_error);
}

/* Read-ahead workers: libkdumpfile's contexts must not be shared by
 * threads, but its clones (kdump_clone()) share the file, attributes and
 * page cache under its own locks, one per thread (libkdumpfile 0.5.1,
 * doc/threads.md). */
static void *kdump_worker_new(struct image *img)
{
	struct kdump_priv *kp = img->priv;
	if (kp->clone_failed)
		return NULL;
	kdump_ctx_t *ctx = kdump_clone(kp->ctx, 0);
	if (!ctx)
		kp->clone_failed = true;
	return ctx;
}

static enum read_status kdump_worker_read(struct image *img, void *ctx, uint64_t base,
					  void *buf, size_t *valid, char *err, size_t errsz)
{
	struct kdump_priv *kp = img->priv;
	(void)valid;
	return kdump_read_ctx(img, ctx ? ctx : kp->ctx, base, buf, err, errsz);
}

static void kdump_worker_free(struct image *img, void *ctx)
{
	struct kdump_priv *kp = img->priv;
	if (!kp->clone_failed)
		kdump_free(ctx);
	else if (__lsan_ignore_object)
		__lsan_ignore_object(ctx);
}

static void kdump_close(struct image *img)
{
	struct kdump_priv *kp = img->priv;
	if (!kp)
		return;
	if (kp->ctx && !kp->open_failed && !kp->clone_failed)
		kdump_free(kp->ctx);
	else if (kp->ctx && kp->clone_failed && __lsan_ignore_object)
		__lsan_ignore_object(kp->ctx);
	for (size_t i = 1; i < kp->nfiles; i++)
		close(kp->files[i].fd);
	free(kp->files);
	free(kp->bad);
	free(kp);
	img->priv = NULL;
}

static const struct image_backend kdump_backend = {
	.name = "kdump",
	.read_unit = kdump_read_unit,
	.close = kdump_close,
	.worker_new = kdump_worker_new,
	.worker_read = kdump_worker_read,
	.worker_free = kdump_worker_free,
};

/* Runs of set bits of BMP, in units of UNIT bytes, become ranges. */
static int add_bitmap_ranges(struct image *img, kdump_bmp_t *bmp, uint64_t unit,
			     struct pt_error *err)
{
	kdump_addr_t idx = 0;
	uint64_t limit = UINT64_MAX / unit;

	while (idx < limit && kdump_bmp_find_set(bmp, &idx) == KDUMP_OK) {
		kdump_addr_t start = idx;
		if (kdump_bmp_find_clear(bmp, &idx) != KDUMP_OK || idx <= start)
			break;
		if (idx > limit)
			idx = limit;
		if (image_add_range(img, start * unit, idx * unit, err))
			return -1;
	}
	return 0;
}

static void describe_compression(struct image *img, uint32_t status)
{
	static const struct { uint32_t flag; const char *name; } kinds[] = {
		{ DUMP_DH_COMPRESSED_ZLIB, "zlib" },
		{ DUMP_DH_COMPRESSED_LZO, "lzo" },
		{ DUMP_DH_COMPRESSED_SNAPPY, "snappy" },
		{ DUMP_DH_COMPRESSED_ZSTD, "zstd" },
	};
	img->compression[0] = '\0';
	for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
		if (!(status & kinds[i].flag))
			continue;
		if (img->compression[0])
			strcat(img->compression, "+");
		strcat(img->compression, kinds[i].name);
	}
	if (!img->compression[0])
		strcpy(img->compression, "none");
}

/* The layout libkdumpfile will choose: it tries the 32-bit header before
 * the 64-bit one, little- before big-endian, and takes the first whose
 * block size is sane and whose bitmap covers max_mapnr. */
static bool pick_layout(const unsigned char *hdr, struct dh_fields *f)
{
	for (int is64 = 0; is64 < 2; is64++) {
		for (int be = 0; be < 2; be++) {
			size_t st = is64 ? DH_STATUS_64 : DH_STATUS_32;
			int32_t bs = (int32_t)image_get32(hdr + st + 4, be);
			int32_t version = (int32_t)image_get32(hdr + 8, be);
			uint32_t bitmap = image_get32(hdr + st + 12, be), mapnr = image_get32(hdr + st + 16, be);
			/* The version tells the byte order apart where the
			 * block size alone does not (4K big-endian reads as 1M). */
			if (version < 1 || version > 16 ||
			    bs < 1024 || bs > (1 << 20) || !is_pow2((uint64_t)bs) ||
			    (uint64_t)8 * bitmap * (uint64_t)bs < mapnr)
				continue;
			f->is64 = is64;
			f->big_endian = be;
			f->version = version;
			f->status = image_get32(hdr + st, be);
			f->block_size = bs;
			f->sub_hdr_size = (int32_t)image_get32(hdr + st + 8, be);
			f->bitmap_blocks = bitmap;
			f->max_mapnr = mapnr;
			return true;
		}
	}
	return false;
}

/* A PAGESIZE line libkdumpfile would act on must hold a page size.
 * libkdumpfile 0.5.1 sets its page size from every PAGESIZE line of every
 * VMCOREINFO note as it opens the file (vmcoreinfo.c lines_post_hook());
 * a value that is no power of two, or too large to allocate a page for,
 * fails the open after diskdump.c open_common() has linked its overrides,
 * and such a context can never be freed (struct kdump_priv). */
static int check_pagesize_text(const char *path, const unsigned char *t, size_t len,
			       struct pt_error *err)
{
	/* Lines end at a newline only; the key runs to the first '=', the
	 * value is stored as a string and so ends at a NUL too. */
	for (size_t at = 0; at < len;) {
		const unsigned char *nl = memchr(t + at, '\n', len - at);
		size_t end = nl ? (size_t)(nl - t) : len;
		if (end - at >= 9 && !memcmp(t + at, "PAGESIZE=", 9)) {
			char *v = malloc(end - at - 9 + 1);
			if (!v)
				return pt_oom(err, end - at - 9 + 1);
			memcpy(v, t + at + 9, end - at - 9);
			v[end - at - 9] = 0;
			char *e;
			unsigned long n = strtoul(v, &e, 10);
			/* libkdumpfile ignores a value it cannot parse whole */
			int bad = !*e && (n < 1024 || n > (1ul << 20) || !is_pow2(n));
			if (bad) {
				pt_fail(err, PT_EXIT_IMAGE,
					"%s: invalid kdump-compressed file: VMCOREINFO PAGESIZE=%.24s%s is not a page size",
					path, v, strlen(v) > 24 ? "..." : "");
			}
			free(v);
			if (bad)
				return -1;
		}
		at = end + 1;
	}
	return 0;
}

/* The notes as libkdumpfile 0.5.1 walks them (notes.c do_notes()):
 * Elf32_Nhdr, name and descriptor each padded to 4 bytes. */
static int check_pagesize_notes(const char *path, const unsigned char *b, size_t len,
				bool notes, bool be, struct pt_error *err)
{
	if (!notes)
		return check_pagesize_text(path, b, len, err);
	while (len >= 12) {
		uint32_t namesz = image_get32(b, be), descsz = image_get32(b + 4, be);
		uint64_t descoff = 12 + (((uint64_t)namesz + 3) & ~3ull);
		if (len < descoff + descsz)
			break;
		if (namesz >= 10 && !memcmp(b + 12, "VMCOREINFO", 10) &&
		    (namesz == 10 || b[12 + 10] == 0)) {
			int r = check_pagesize_text(path, b + descoff, descsz, err);
			if (r)
				return r;
		}
		uint64_t next = descoff + (((uint64_t)descsz + 3) & ~3ull);
		if (next >= len)
			break;
		b += next;
		len -= next;
	}
	return 0;
}

/* Check that everything libkdumpfile will trust lies inside the file.
 * libkdumpfile 0.5.1 reads what the header says without these bounds and
 * can crash on a corrupt or truncated file, so nothing reaches it unchecked. */
static int validate_header(const struct kfile *kf, struct dh_fields *f, struct pt_error *err)
{
	unsigned char hdr[DH_STATUS_64 + 48];
	uint64_t size = kf->size;

	if (size < sizeof hdr ||
	    pread(kf->fd, hdr, sizeof hdr, 0) != (ssize_t)sizeof hdr)
		return pt_fail(err, PT_EXIT_IMAGE, "%s: truncated kdump header (%llu bytes)",
			       kf->path, (unsigned long long)size);
	if (!pick_layout(hdr, f))
		return pt_fail(err, PT_EXIT_IMAGE,
			       "%s: invalid kdump-compressed file: no sane version, block size and bitmap in the header",
			       kf->path);
	uint64_t bs = (uint64_t)f->block_size;
	if (f->sub_hdr_size < 0 || (uint64_t)f->sub_hdr_size + 1 > size / bs)
		return pt_fail(err, PT_EXIT_IMAGE,
			       "%s: invalid kdump-compressed file: sub-header of %d blocks runs past end of file",
			       kf->path, f->sub_hdr_size);
	/* No bitmap holds no page: an empty dump (libkdumpfile's
	 * diskdump-empty test files), which opens with nothing in it. */
	if ((f->bitmap_blocks == 0 && f->max_mapnr != 0) || f->bitmap_blocks > size / bs ||
	    (uint64_t)f->sub_hdr_size + 1 + f->bitmap_blocks > size / bs)
		return pt_fail(err, PT_EXIT_IMAGE,
			       "%s: invalid kdump-compressed file: bitmap of %u blocks runs past end of file",
			       kf->path, f->bitmap_blocks);

	/* The sub-header's offsets: notes, VMCOREINFO, eraseinfo, and the
	 * 64-bit page count. Layouts as makedumpfile's kdump_sub_header;
	 * 32-bit targets in the packed (i386) layout libkdumpfile 0.5.1 reads. */
	unsigned char sub[104] = { 0 };
	if (pread(kf->fd, sub, sizeof sub, (off_t)bs) < 0)
		return pt_fail(err, PT_EXIT_IMAGE, "%s: %s", kf->path, strerror(errno));
	bool be = f->big_endian;
	struct { uint64_t off, len; const char *what; } blobs[3];
	size_t nblobs = 0;
	if (f->is64) {
		if (f->version >= 3)
			blobs[nblobs++] = (typeof(blobs[0])){ image_get64(sub + 32, be), image_get64(sub + 40, be), "VMCOREINFO" };
		if (f->version >= 4) {
			blobs[nblobs++] = (typeof(blobs[0])){ image_get64(sub + 48, be), image_get64(sub + 56, be), "notes" };
			blobs[nblobs++] = (typeof(blobs[0])){ image_get64(sub + 64, be), image_get64(sub + 72, be), "eraseinfo" };
		}
		f->max_mapnr_64 = f->version >= 6 ? image_get64(sub + 96, be) : f->max_mapnr;
		f->split = f->version >= 2 && image_get32(sub + 12, be);
		f->start = f->version >= 6 ? image_get64(sub + 80, be) : image_get64(sub + 16, be);
		f->end = f->version >= 6 ? image_get64(sub + 88, be) : image_get64(sub + 24, be);
	} else {
		if (f->version >= 3)
			blobs[nblobs++] = (typeof(blobs[0])){ image_get64(sub + 20, be), image_get32(sub + 28, be), "VMCOREINFO" };
		if (f->version >= 4) {
			blobs[nblobs++] = (typeof(blobs[0])){ image_get64(sub + 32, be), image_get32(sub + 40, be), "notes" };
			blobs[nblobs++] = (typeof(blobs[0])){ image_get64(sub + 44, be), image_get32(sub + 52, be), "eraseinfo" };
		}
		f->max_mapnr_64 = f->version >= 6 ? image_get64(sub + 72, be) : f->max_mapnr;
		f->split = f->version >= 2 && image_get32(sub + 8, be);
		f->start = f->version >= 6 ? image_get64(sub + 56, be) : image_get32(sub + 12, be);
		f->end = f->version >= 6 ? image_get64(sub + 64, be) : image_get32(sub + 16, be);
	}
	for (size_t i = 0; i < nblobs; i++) {
		if (blobs[i].len == 0)
			continue;
		if (blobs[i].off > size || blobs[i].len > size - blobs[i].off || blobs[i].len > (64u << 20))
			return pt_fail(err, PT_EXIT_IMAGE,
				       "%s: invalid kdump-compressed file: %s (%llu bytes at 0x%llx) runs past end of file",
				       kf->path, blobs[i].what, (unsigned long long)blobs[i].len,
				       (unsigned long long)blobs[i].off);
	}
	/* libkdumpfile reads the notes from version 4, the VMCOREINFO blob
	 * in version 3 (diskdump.c read_sub_hdr_64()). */
	for (size_t i = 0; i < nblobs; i++) {
		bool notes = !strcmp(blobs[i].what, "notes");
		if (blobs[i].len == 0 || !(notes || (f->version == 3 && i == 0)))
			continue;
		unsigned char *b = malloc(blobs[i].len);
		if (!b)
			return pt_oom(err, blobs[i].len);
		int r = -1;
		if (pread(kf->fd, b, blobs[i].len, (off_t)blobs[i].off) == (ssize_t)blobs[i].len)
			r = check_pagesize_notes(kf->path, b, blobs[i].len, notes, be, err);
		else
			pt_fail(err, PT_EXIT_IMAGE, "%s: cannot read the %s", kf->path, blobs[i].what);
		free(b);
		if (r)
			return r;
	}
	if (f->max_mapnr_64 > (uint64_t)8 * f->bitmap_blocks * bs)
		return pt_fail(err, PT_EXIT_IMAGE,
			       "%s: invalid kdump-compressed file: %llu pages, but the bitmap covers %llu",
			       kf->path, (unsigned long long)f->max_mapnr_64,
			       (unsigned long long)8 * f->bitmap_blocks * bs);
	return 0;
}

/* One pass over a file's page descriptors (one per dumped block of its
 * range, in block order, makedumpfile's page_desc_t: u64 offset, u32
 * size, u32 flags, u64 page_flags): the data of each must lie in the
 * file, and be no larger than a block. */
static int scan_descriptors(struct image *img, const struct kfile *kf,
			    uint64_t *truncated, uint64_t *corrupt, struct pt_error *err)
{
	struct kdump_priv *kp = img->priv;
	uint64_t bs = img->block_size;
	uint64_t desc_off = (1 + (uint64_t)kf->dh.sub_hdr_size + kf->dh.bitmap_blocks) * bs;
	unsigned char chunk[24 * 2048];
	size_t r = 0;			/* range index */
	uint64_t block = 0;
	uint64_t pos = desc_off;

	/* The dumped blocks of this file: the ranges, clipped to its own. */
#define RANGE_LO(i) (img->ranges[i].start / bs > kf->start ? img->ranges[i].start / bs : kf->start)
#define RANGE_HI(i) (img->ranges[i].end / bs < kf->end ? img->ranges[i].end / bs : kf->end)
	while (r < img->nranges && RANGE_LO(r) >= RANGE_HI(r))
		r++;
	if (r < img->nranges)
		block = RANGE_LO(r);
	for (;;) {
		if (r == img->nranges)
			break;
		ssize_t n = pos < kf->size ? pread(kf->fd, chunk, sizeof chunk, (off_t)pos) : 0;
		if (n < 0)
			return pt_fail(err, PT_EXIT_IMAGE, "%s: %s", kf->path, strerror(errno));
		size_t ndesc = (size_t)n / 24;
		for (size_t i = 0; r < img->nranges && (i < ndesc || n < (ssize_t)sizeof chunk); i++) {
			enum read_status status = READ_OK;
			if (i >= ndesc) {
				status = READ_TRUNCATED;	/* the descriptor itself is cut off */
			} else {
				uint64_t off = image_get64(chunk + i * 24, kf->dh.big_endian);
				uint32_t size = image_get32(chunk + i * 24 + 8, kf->dh.big_endian);
				if (size == 0 || size > bs)
					status = READ_ERROR;
				else if (off > kf->size || size > kf->size - off)
					status = READ_TRUNCATED;
			}
			if (status != READ_OK) {
				if (pt_grow(&kp->bad, kp->nbad, sizeof *kp->bad, err))
					return -1;
				kp->bad[kp->nbad++] = (struct bad_block){ block, status };
				if (status == READ_TRUNCATED)
					(*truncated)++;
				else
					(*corrupt)++;
			}
			block++;
			while (r < img->nranges && block >= RANGE_HI(r)) {
				r++;
				while (r < img->nranges && RANGE_LO(r) >= RANGE_HI(r))
					r++;
				if (r < img->nranges)
					block = RANGE_LO(r);
			}
		}
		pos += (uint64_t)ndesc * 24;
		if (n < (ssize_t)sizeof chunk)
			break;
	}
#undef RANGE_LO
#undef RANGE_HI
	return 0;
}

static int bad_cmp(const void *a, const void *b)
{
	const struct bad_block *x = a, *y = b;
	return x->block < y->block ? -1 : x->block > y->block;
}

/* The other files of a split dump: opened, checked and matched with the
 * image's own. */
static int open_parts(struct image *img, const struct image_options *opts, struct pt_error *err)
{
	struct kdump_priv *kp = img->priv;
	const struct dh_fields *d0 = &kp->files[0].dh;

	if (opts->nparts && !d0->split)
		return pt_fail(err, PT_EXIT_IMAGE,
			       "%s: not a part of a makedumpfile --split dump, but --part names others",
			       img->path);
	for (size_t i = 0; i < opts->nparts; i++) {
		struct kfile *kf = &kp->files[kp->nfiles];
		kf->path = opts->parts[i];
		kf->fd = open(kf->path, O_RDONLY | O_CLOEXEC);
		if (kf->fd < 0)
			return pt_fail(err, PT_EXIT_IMAGE, "%s: %s", kf->path, strerror(errno));
		kp->nfiles++;
		char magic[8];
		if (pread(kf->fd, magic, 8, 0) != 8 ||
		    (memcmp(magic, "KDUMP   ", 8) && memcmp(magic, "DISKDUMP", 8)))
			return pt_fail(err, PT_EXIT_IMAGE,
				       "%s: not a kdump-compressed file (--part takes the other files of a split dump)",
				       kf->path);
		struct stat st;
		if (fstat(kf->fd, &st) < 0)
			return pt_fail(err, PT_EXIT_IMAGE, "%s: %s", kf->path, strerror(errno));
		kf->size = (uint64_t)st.st_size;
		if (validate_header(kf, &kf->dh, err))
			return -1;
		const struct dh_fields *d = &kf->dh;
		if (!d->split)
			return pt_fail(err, PT_EXIT_IMAGE,
				       "%s: not a part of a makedumpfile --split dump", kf->path);
		if (d->is64 != d0->is64 || d->big_endian != d0->big_endian ||
		    d->block_size != d0->block_size || d->max_mapnr_64 != d0->max_mapnr_64 ||
		    d->bitmap_blocks != d0->bitmap_blocks)
			return pt_fail(err, PT_EXIT_IMAGE,
				       "%s: not a part of the same dump as %s (its header differs)",
				       kf->path, img->path);
	}
	/* Each file's blocks, within the dump's, and no two overlapping. */
	uint64_t all = d0->max_mapnr_64;
	for (size_t i = 0; i < kp->nfiles; i++) {
		struct kfile *kf = &kp->files[i];
		kf->start = kf->dh.split ? kf->dh.start : 0;
		kf->end = kf->dh.split ? kf->dh.end : all;
		if (kf->end > all)
			kf->end = all;
		if (kf->start > kf->end)
			return pt_fail(err, PT_EXIT_IMAGE,
				       "%s: invalid kdump-compressed file: split range of blocks 0x%llx-0x%llx",
				       kf->path, (unsigned long long)kf->dh.start,
				       (unsigned long long)kf->dh.end);
		for (size_t j = 0; j < i; j++) {
			if (kf->start < kp->files[j].end && kp->files[j].start < kf->end)
				return pt_fail(err, PT_EXIT_IMAGE,
					       "%s: its blocks 0x%llx-0x%llx overlap those of %s",
					       kf->path, (unsigned long long)kf->start,
					       (unsigned long long)kf->end, kp->files[j].path);
		}
	}
	return 0;
}

int kdump_image_open(struct image *img, const struct image_options *opts,
		     struct pt_error *err)
{
	struct kdump_priv *kp = calloc(1, sizeof *kp);
	kdump_attr_t attr;
	kdump_status st;

	if (!kp)
		return pt_oom(err, sizeof *kp);
	img->priv = kp;
	img->backend = &kdump_backend;
	img->format = IMAGE_KDUMP;
	snprintf(img->format_name, sizeof img->format_name, "kdump");

	if (opts->nparts > PT_MAX_PARTS)
		return pt_fail(err, PT_EXIT_USAGE, "at most %d --part files", PT_MAX_PARTS);
	kp->files = calloc(opts->nparts + 1, sizeof *kp->files);
	if (!kp->files)
		return pt_oom(err, (opts->nparts + 1) * sizeof *kp->files);
	kp->files[0] = (struct kfile){ .fd = img->fd, .path = img->path, .size = img->file_size };
	kp->nfiles = 1;
	if (validate_header(&kp->files[0], &kp->files[0].dh, err) || open_parts(img, opts, err))
		return -1;
	const struct dh_fields dh = kp->files[0].dh;
	img->big_endian = dh.big_endian;
	img->endian_known = true;
	img->block_size = (uint64_t)dh.block_size;
	img->unit = img->block_size;
	describe_compression(img, dh.status);

	kp->ctx = kdump_new();
	if (!kp->ctx)
		return pt_fail(err, PT_EXIT_INTERNAL, "%s: cannot create a libkdumpfile context", img->path);
	/* read(2), not mmap: a file that shrinks or ends early must give a
	 * read error, not SIGBUS. */
	kdump_set_number_attr(kp->ctx, KDUMP_ATTR_FILE_MMAP_POLICY, KDUMP_MMAP_NEVER);
	/* ptwalk keeps the pages it reads (its image cache and read-ahead
	 * ring); libkdumpfile's own cache of them only costs its lookups,
	 * made under its one cache lock (0.5.1 read.c cache_get_page()):
	 * a third of a kdump walk with the default 1024 entries. Each
	 * reading thread holds one entry while it reads. */
	kdump_set_number_attr(kp->ctx, "cache.size", 2 * (kdump_num_t)img->jobs + 14);
	int fds[PT_MAX_PARTS + 1];
	for (size_t i = 0; i < kp->nfiles; i++)
		fds[i] = kp->files[i].fd;
	st = kdump_open_fdset(kp->ctx, (unsigned)kp->nfiles, fds);
	if (st != KDUMP_OK) {
		pt_fail(err, PT_EXIT_IMAGE, "%s: invalid kdump-compressed file: %s",
			img->path, kdump_get_err(kp->ctx));
		kp->open_failed = true;
		if (__lsan_ignore_object)
			__lsan_ignore_object(kp->ctx);
		return -1;
	}
	uint32_t block_size = (uint32_t)dh.block_size;

	/* linux.vmcoreinfo.raw is a blob: the note's text, not NUL-ended. */
	if (kdump_get_attr(kp->ctx, "linux.vmcoreinfo.raw", &attr) == KDUMP_OK &&
	    attr.type == KDUMP_BLOB) {
		const char *raw = kdump_blob_pin(attr.val.blob);
		int r = image_set_vmcoreinfo(img, raw, kdump_blob_size(attr.val.blob),
					     "kdump header", err);
		kdump_blob_unpin(attr.val.blob);
		if (r)
			return pt_prefix(err, "%s", img->path);
	}
	kdump_clear_err(kp->ctx);

	/* The architecture: the header's utsname names it, except in
	 * QEMU's aarch64 dumps ("Unknown"); then --arch or VMCOREINFO. */
	const char *arch_name = NULL;
	const struct image_machines *ms = opts->machines;
	struct image_machine m;
	if (kdump_get_string_attr(kp->ctx, KDUMP_ATTR_ARCH_NAME, &arch_name) == KDUMP_OK &&
	    arch_name && *arch_name) {
		bool known = ms && ms->lookup(NULL, arch_name, NULL, &m);
		img->arch_hint = known ? m.name : NULL;
		if (!known)
			snprintf(img->machine, sizeof img->machine, "%s", arch_name);
	} else if (ms && ((opts->arch && ms->lookup(opts->arch, NULL, NULL, &m)) ||
			  ms->lookup(NULL, NULL, &img->vmci, &m))) {
		if (kdump_set_string_attr(kp->ctx, KDUMP_ATTR_ARCH_NAME, m.kdump_arch) != KDUMP_OK)
			return pt_fail(err, PT_EXIT_IMAGE, "%s: cannot set architecture %s: %s",
				       img->path, m.name, kdump_get_err(kp->ctx));
		img->arch_hint = m.name;
	}
	/* No KDUMP_ATTR_OSTYPE: with it libkdumpfile sets up its own Linux
	 * address translation, reading the dump's page tables at open (and
	 * in 0.5.1 leaking the buffer of a read that fails). ptwalk reads
	 * physical addresses only. */
	kdump_clear_err(kp->ctx);

	/* Reads go by block; make libkdumpfile's page size the block size
	 * again if VMCOREINFO changed it. */
	kdump_num_t page_size = 0;
	if (kdump_get_number_attr(kp->ctx, KDUMP_ATTR_PAGE_SIZE, &page_size) != KDUMP_OK ||
	    page_size != block_size) {
		if (kdump_set_number_attr(kp->ctx, KDUMP_ATTR_PAGE_SIZE, block_size) != KDUMP_OK)
			return pt_fail(err, PT_EXIT_IMAGE, "%s: cannot use block size %u: %s",
				       img->path, block_size, kdump_get_err(kp->ctx));
	}

	if (kdump_get_attr(kp->ctx, KDUMP_ATTR_FILE_PAGEMAP, &attr) == KDUMP_OK &&
	    attr.type == KDUMP_BITMAP) {
		if (add_bitmap_ranges(img, attr.val.bitmap, block_size, err))
			return -1;
	}
	/* The bitmap blocks (validate_header() checked that they lie in the
	 * file): makedumpfile writes two bitmaps, the first of the pages
	 * that exist, the second of those dumped; a bitmap too small to hold
	 * two is one serving as both (libkdumpfile 0.5.1 read_bitmap()). */
	kp->ram_bitmap_off = (1 + (uint64_t)dh.sub_hdr_size) * dh.block_size;
	kp->ram_bitmap_len = (uint64_t)dh.bitmap_blocks * dh.block_size;
	if (dh.max_mapnr_64 <= kp->ram_bitmap_len * 8 / 2)
		kp->ram_bitmap_len /= 2;
	kdump_clear_err(kp->ctx);
	image_finish_ranges(img);

	uint64_t truncated = 0, corrupt = 0;
	for (size_t i = 0; i < kp->nfiles; i++) {
		if (scan_descriptors(img, &kp->files[i], &truncated, &corrupt, err))
			return -1;
	}
	if (kp->nfiles > 1 && kp->nbad > 1)	/* qsort(NULL, 0) is undefined */
		qsort(kp->bad, kp->nbad, sizeof *kp->bad, bad_cmp);
	if (truncated && !opts->allow_truncated)
		return pt_fail(err, PT_EXIT_IMAGE,
			       "%s: the file is truncated: %llu dumped pages lie past its end; "
			       "--truncated reads what is there",
			       img->path, (unsigned long long)truncated);
	img->corrupt_blocks = corrupt;	/* the command says so */

	/* A split dump: what each file holds, and what no file given does. */
	if (dh.split) {
		img->split = calloc(kp->nfiles, sizeof *img->split);
		if (!img->split)
			return pt_oom(err, kp->nfiles * sizeof *img->split);
		uint64_t held = 0;
		for (size_t i = 0; i < kp->nfiles; i++) {
			char *path = strdup(kp->files[i].path);
			if (!path)
				return pt_oom(err, strlen(kp->files[i].path) + 1);
			img->split[img->nsplit++] = (struct image_split){ path, kp->files[i].start,
									  kp->files[i].end };
			held += kp->files[i].end - kp->files[i].start;
		}
		img->split_missing_blocks = dh.max_mapnr_64 - held;
	}
	return 0;
}
