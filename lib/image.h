/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Memory images: physical reads and metadata, whatever the file format.
 *
 * A format backend (ELF, kdump-compressed, raw) fills in the metadata and
 * reads one cache unit at a time; this layer keeps a small LRU cache of
 * units so that a walk costs no syscall per entry, and offers zero-copy
 * access where the backend has the file mapped. */
#ifndef PTWALK_IMAGE_H
#define PTWALK_IMAGE_H

#include <stdbool.h>
#include <stdint.h>
#include "common.h"
#include "vmcoreinfo.h"

enum image_format {
	IMAGE_ELF,
	IMAGE_KDUMP,
	IMAGE_RAW,
	IMAGE_READER,	/* a caller's read callback */
};

/* How the PT_LOADs of an ELF image describe memory. */
enum elf_style {
	ELF_STYLE_NONE,
	ELF_STYLE_PHYSICAL,	/* p_vaddr == p_paddr (QEMU dump-guest-memory) */
	ELF_STYLE_KEXEC,	/* kernel virtual p_vaddr, physical p_paddr */
	ELF_STYLE_KCORE,	/* /proc/kcore: p_paddr is -1 outside RAM */
};

/* Outcome of a physical read. Everything but READ_OK means the bytes are
 * not in the image; later commands report the reason as an anomaly. */
enum read_status {
	READ_OK = 0,
	READ_OUTSIDE,		/* outside every range the image holds */
	READ_FILTERED,		/* inside RAM but left out (makedumpfile -d) */
	READ_TRUNCATED,		/* the file ends before the data */
	READ_ERROR,		/* I/O error or corrupt data (see last_error) */
	READ_PART_MISSING,	/* in a file of a split dump that was not given */
};
const char *read_status_name(enum read_status st);

struct phys_range {
	uint64_t start, end;	/* [start, end) */
};

/* A machine, as the image layer needs to know it: to name the
 * architecture of a raw image or a dump whose header does not, and to
 * tell libkdumpfile. The paging layer, which the image layer does not
 * link, describes the machines it knows (arch.c, arch_machines). */
struct image_machine {
	const char *name;	/* ptwalk's, as --arch takes it */
	const char *kdump_arch;	/* libkdumpfile's arch.name */
	bool big_endian;
};
struct image_machines {
	/* The machine by the first of these given: ptwalk's NAME,
	 * libkdumpfile's KDUMP_ARCH, or what VMCOREINFO VI looks like.
	 * Fills *M and returns true, or false: none such. */
	bool (*lookup)(const char *name, const char *kdump_arch, const struct vmcoreinfo *vi,
		       struct image_machine *m);
	const char *names;	/* "x86_64, arm64, ppc8xx, riscv64", for messages */
};

struct image_options {
	const char *path;
	bool raw;		/* --raw-image=BASE */
	uint64_t raw_base;
	bool allow_truncated;	/* --truncated */
	const char *vmcoreinfo_file; /* --vmcoreinfo=FILE */
	const char *arch;	/* --arch, when the image cannot tell */
	bool quiet;		/* --quiet: no warnings */
	/* --part: the other files of a makedumpfile --split dump. */
	const char *const *parts;
	size_t nparts;
	/* The machines there are (&arch_machines); NULL: none known, so a
	 * raw image cannot be opened and no machine is told libkdumpfile. */
	const struct image_machines *machines;
	/* Threads that may read at once (--jobs): above 1, a backend whose
	 * reads cost more than a copy reads ahead on JOBS - 1 workers
	 * (lib/prefetch.c). 0 is 1. */
	unsigned jobs;
};

#define PT_MAX_PARTS 64
/* --jobs: at most this many threads read an image. */
#define PT_MAX_JOBS 64

/* A file of a makedumpfile --split dump and the blocks it holds. */
struct image_split {
	char *path;
	uint64_t start, end;	/* [start, end), in blocks */
};

struct image;
struct prefetch;


struct cache_slot {
	uint64_t pa;		/* unit-aligned; UINT64_MAX when empty */
	uint64_t stamp;		/* LRU clock */
	enum read_status status;
	size_t valid;		/* leading bytes read when status is not READ_OK */
	uint8_t *data;
};

#define IMAGE_CACHE_SLOTS 64

struct image {
	char *path;
	int fd;
	enum image_format format;
	enum elf_style elf_style;
	char format_name[48];	/* "elf64", "kdump", "raw", ... */
	char compression[48];	/* "none", "zlib", "zlib+none", ... */
	unsigned elf_class;	/* 32 or 64; 0 if not ELF */
	bool big_endian;
	bool endian_known;
	uint16_t elf_machine;	/* EM_*; 0 if not known */
	const char *arch_hint;	/* arch name the container states, or NULL */
	char machine[65];	/* machine the container names, if ptwalk has no arch for it */
	uint64_t file_size;
	uint64_t block_size;	/* kdump block size; 0 otherwise */
	struct vmcoreinfo vmci;
	const char *vmcoreinfo_source; /* "ELF note", "kdump header", "--vmcoreinfo" */
	struct phys_range *ranges;	/* sorted, disjoint, merged */
	size_t nranges;
	/* kdump blocks whose page descriptor is corrupt: never read. */
	uint64_t corrupt_blocks;
	/* A split dump's files (the image's own first), and how many of its
	 * blocks lie in files not given. */
	struct image_split *split;
	size_t nsplit;
	uint64_t split_missing_blocks;
	/* Kernel virtual address of physical 0 in the linear map, when the
	 * image shows it (kcore and kexec PT_LOADs); used where VMCOREINFO
	 * does not give it. */
	bool linear_offset_known;
	uint64_t linear_offset;

	const struct image_backend *backend;
	void *priv;

	/* Cache of units; unit = max(page size, backend's natural block). */
	size_t unit;
	uint64_t clock;
	struct cache_slot slots[IMAGE_CACHE_SLOTS];
	uint8_t *cache_mem;
	uint64_t units_read;	/* backend reads, for benchmarks */
	unsigned jobs;		/* image_options.jobs, at least 1 */
	struct prefetch *pf;	/* read-ahead workers, or NULL */
	char last_error[256];
};

int image_open(const struct image_options *opts, struct image **out,
	       struct pt_error *err);

/* A caller's physical memory: LEN bytes at PA into BUF; returns how many
 * leading bytes were there, or -1 on an error. */
typedef long long (*image_read_fn)(void *arg, uint64_t pa, void *buf, size_t len);
struct image_reader {
	const char *name;		/* the image's name in messages */
	image_read_fn read;
	void *arg;
	bool big_endian;
	const char *vmcoreinfo;		/* VMCOREINFO text, or NULL */
};
/* An image read through R's callback (lib/image_reader.c). */
int image_open_reader(const struct image_reader *r, struct image **out,
		      struct pt_error *err);
void image_close(struct image *img);

/* Set the page size once the paging format is known; sizes the cache.
 * Returns 0, or -1 with ERR set when memory runs out (the image is left
 * as it was). */
int image_set_page_size(struct image *img, size_t page_size, struct pt_error *err);

/* Read LEN bytes at physical PA. On failure, the status of the first
 * byte that is not in the image. */
enum read_status image_read(struct image *img, uint64_t pa, void *buf,
			    size_t len);
/* image_read(), and on failure how many leading bytes were there all the
 * same (*GOT): the first absent byte is at PA + *GOT. */
enum read_status image_read_partial(struct image *img, uint64_t pa, void *buf, size_t len,
				    size_t *got);
/* Zero-copy read of LEN bytes (LEN <= page size, not crossing a page):
 * *DATA stays valid until IMAGE_CACHE_SLOTS - 1 further image calls. */
enum read_status image_peek(struct image *img, uint64_t pa, size_t len,
			    const uint8_t **data);

/* Read-ahead (lib/prefetch.c): whether IMG reads ahead on workers, and
 * the units at PAS[0..N) that the caller will read next, in its order.
 * A hint changes when a unit is read, never what a read returns. */
bool image_prefetching(const struct image *img);
void image_prefetch(struct image *img, const uint64_t *pas, size_t n);

#endif
