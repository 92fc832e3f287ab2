/* SPDX-License-Identifier: GPL-2.0-or-later */
/* libptwalk: walk the page tables of Linux memory images.
 *
 * Open an image (a kdump vmcore, ELF or kdump-compressed; /proc/kcore; a
 * raw physical image) or a caller's own physical memory (a read callback
 * and VMCOREINFO text or explicit paging facts); then walk a table as a
 * stream of logical entries (an arm64 contiguous gang, an 8xx 8M pair or
 * 512K group is one entry, its invariants checked), translate an address
 * with every level's step, count entries, and list the processes of the
 * image with their roots.
 *
 * Every function that can fail returns 0 or a negative value and fills a
 * caller's struct ptwalk_error (may be NULL) with a code and one line
 * naming the file and what is wrong. The library never prints and never
 * exits, keeps no global mutable state, and calls back only the functions
 * it is given. One handle is used by one thread at a time; handles are
 * independent. See libptwalk(3). */
#ifndef PTWALK_PTWALK_H
#define PTWALK_PTWALK_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The release of this header; ptwalk_version() gives the library's. */
#define PTWALK_VERSION_MAJOR 0
#define PTWALK_VERSION_MINOR 1
const char *ptwalk_version(void);

/* ---- Errors --------------------------------------------------------- */

/* What went wrong; the same numbers as ptwalk(1)'s exit statuses. */
enum ptwalk_status {
	PTWALK_OK = 0,
	PTWALK_E_USAGE = 2,	/* a bad argument or option */
	PTWALK_E_IMAGE = 3,	/* image unreadable, invalid, unsupported, or
				 * what was asked for is not in it */
	PTWALK_E_CALLBACK = 4,	/* a callback of the caller's stopped the call */
	PTWALK_E_INTERNAL = 5,	/* out of memory, or another internal failure */
};

struct ptwalk_error {
	int code;		/* enum ptwalk_status */
	char message[512];	/* one line, no trailing newline */
};

/* ---- Opening ---------------------------------------------------------- */

typedef struct ptwalk ptwalk;

/* How to read an image: every field may be left 0 (NULL). Fields are
 * only ever added at the end; set SIZE to sizeof(struct ptwalk_options). */
struct ptwalk_options {
	size_t size;
	const char *arch;		/* "x86_64", "arm64", "ppc8xx"; when the image cannot tell */
	uint64_t page_size;		/* when VMCOREINFO does not say */
	unsigned va_bits;		/* when VMCOREINFO does not say */
	unsigned levels;		/* table levels, when VMCOREINFO does not say */
	const char *kernel_release;	/* "6.12.8": when VMCOREINFO does not say */
	const char *kernel_config;	/* the kernel's .config, for the swap types */
	int page_offset_set;		/* ppc8xx: PAGE_OFFSET, when not 0xc0000000 */
	uint64_t page_offset;
	const char *vmcoreinfo_file;	/* VMCOREINFO from a file */
	const char *vmcoreinfo;		/* VMCOREINFO text (NUL-terminated) */
	int raw;			/* a raw physical image starting at RAW_BASE */
	uint64_t raw_base;
	int allow_truncated;		/* read what a truncated dump holds */
	const char *const *parts;	/* the other files of a makedumpfile --split dump */
	size_t nparts;
	int big_endian;			/* ptwalk_open_reader(): the memory's byte order */
	int kernel_root_set;		/* the kernel's top table (swapper_pg_dir), */
	uint64_t kernel_root;		/* physical, when VMCOREINFO does not give it */
	const char *mmu;		/* ppc64: "radix" or "hash", when VMCOREINFO does not say */
	unsigned jobs;			/* threads that read a kdump-compressed image (0: 1) */
};

/* Open the image file PATH. */
int ptwalk_open(const char *path, const struct ptwalk_options *opts, ptwalk **out,
		struct ptwalk_error *err);

/* Physical memory a caller reads (crash's readmem(PHYSADDR), drgn's
 * Program.read(..., physical=True)): read LEN bytes at PA into BUF and
 * return how many leading bytes were there (LEN when all), or -1 on an
 * error. Absent bytes are reported as the walk's anomalies. */
typedef long long (*ptwalk_read_fn)(void *arg, uint64_t pa, void *buf, size_t len);

/* The VMCOREINFO keys the library reads, whole ("OSRELEASE",
 * "SYMBOL(swapper_pg_dir)", "NUMBER(VA_BITS)"): the I-th, NULL past the
 * last. A debugger that looks VMCOREINFO up by key (crash's
 * pc->read_vmcoreinfo()) rebuilds the text ptwalk_open_reader() takes as
 * one KEY=VALUE line per key it has. */
const char *ptwalk_vmcoreinfo_key(unsigned i);

/* Open memory read through READ (ARG its first argument): NAME labels it
 * in messages ("crash", "drgn"). The paging comes from OPTS: VMCOREINFO
 * text (vmcoreinfo), or arch and the explicit facts. */
int ptwalk_open_reader(const char *name, ptwalk_read_fn read, void *arg,
		       const struct ptwalk_options *opts, ptwalk **out,
		       struct ptwalk_error *err);

void ptwalk_close(ptwalk *pw);

/* What was found: the paging format and the image. */
struct ptwalk_info {
	const char *arch;		/* "x86_64", "arm64", "ppc8xx" */
	const char *format;		/* "elf64", "kdump", "raw", "reader", ... */
	unsigned page_size;
	unsigned va_bits;
	unsigned levels;
	int big_endian;
	const char *kernel_release;	/* "" when unknown */
	int have_kernel_root;
	uint64_t kernel_root;		/* physical address of the kernel's top table */
	uint64_t user_end;		/* the last user address */
};
void ptwalk_get_info(const ptwalk *pw, struct ptwalk_info *info);

/* Read LEN bytes of physical memory at PA. */
int ptwalk_read_phys(ptwalk *pw, uint64_t pa, void *buf, size_t len,
		     struct ptwalk_error *err);
/* The physical address of the top table a register value names (CR3,
 * TTBR0_EL1: ASID and flag bits dropped). */
int ptwalk_root_from_register(ptwalk *pw, uint64_t reg, uint64_t *root,
			      struct ptwalk_error *err);

/* ---- Entries ------------------------------------------------------------ */

/* The normalized flags of an entry (bit numbers), the same on every
 * architecture; ptwalk_flag_name() names them as ptwalk(1) does. */
enum ptwalk_flag {
	PTWALK_F_PRESENT = 1u << 0, PTWALK_F_READ = 1u << 1, PTWALK_F_WRITE = 1u << 2,
	PTWALK_F_EXEC_USER = 1u << 3, PTWALK_F_EXEC_KERNEL = 1u << 4,
	PTWALK_F_USER = 1u << 5, PTWALK_F_GLOBAL = 1u << 6, PTWALK_F_DIRTY = 1u << 7,
	PTWALK_F_YOUNG = 1u << 8, PTWALK_F_SPECIAL = 1u << 9, PTWALK_F_SHARED = 1u << 10,
	PTWALK_F_UFFD_WP = 1u << 11, PTWALK_F_SOFT_DIRTY = 1u << 12,
	PTWALK_F_PROTNONE = 1u << 13, PTWALK_F_DEVMAP = 1u << 14,
	PTWALK_F_GUARDED = 1u << 15, PTWALK_F_EXCLUSIVE = 1u << 16, PTWALK_F_CONT = 1u << 17,
};
/* The name of flag bit BIT (0, 1, ...), NULL past the last. */
const char *ptwalk_flag_name(unsigned bit);
/* The name of anomaly bit BIT ("gang-partial", ...), NULL past the last. */
const char *ptwalk_anomaly_name(unsigned bit);

/* One logical entry: what a line of `ptwalk walk' shows, and the fields
 * of its JSON record. Valid during the callback only. */
struct ptwalk_entry {
	uint64_t va;		/* first address */
	uint64_t size;		/* bytes mapped (or spanned) */
	unsigned level;		/* 0 = the leaf tables */
	const char *level_name;	/* "pte", "pmd", "pud", "p4d", "pgd" */
	const char *kind;	/* "none", "table", "leaf", "swap", "bad", "hugepd" */
	const char *form;	/* "single", "cont-pte", "cont-pmd", "8xx-8m", "8xx-512k",
				 * "8xx-16k", "hugepd", "alias", "table" */
	uint64_t count;		/* physical entries folded into this one */
	int has_pa;		/* PA holds an address (leaf, table, hugepd) */
	uint64_t pa;
	uint64_t slot_pa;	/* where the first slot lives */
	uint64_t raw;		/* the first slot's raw value */
	uint32_t flags;		/* enum ptwalk_flag */
	uint32_t anomalies;	/* bits named by ptwalk_anomaly_name() */
	const char *cache;	/* memory type: "wb", "uc", "normal-nc", ... */
	int pkey;		/* x86_64 protection key; -1 elsewhere */
	unsigned swap_type;	/* kind "swap" */
	uint64_t swap_offset;
	const char *swap_kind;	/* "swap", "migration-write", ...; NULL unless swap */
	const char *why;	/* kind "bad": what is wrong; else NULL */
	uint64_t alias_of;	/* form "alias": the VA where the table was walked */
	uint64_t pfn;		/* pa's page frame number (has_pa) */
	int has_mapped;		/* MAPPED is known: */
	uint64_t mapped;	/* bytes the entry maps: a leaf its size, an alias what
				 * its slot maps through the shared table, else 0 */
};

/* ---- Walking ----------------------------------------------------------- */

struct ptwalk_walk_options {
	size_t size;		/* sizeof(struct ptwalk_walk_options) */
	/* A process's (user) top table, physical; without it the kernel's.
	 * On arm64 the kernel half always goes through the kernel root. */
	int have_root;
	uint64_t root;
	/* [start, end], inclusive; both 0: the root's whole space (a user
	 * root's user half, the kernel root's kernel half on arm64). */
	uint64_t start, end;
	int physical;		/* one entry per slot, gangs not folded */
	int expand_aliases;	/* walk a table reached twice at each slot */
	/* Progress, at most four times a second: where the walk is and how
	 * many table pages it has read; DONE once at the end. */
	void (*on_progress)(void *arg, uint64_t va, uint64_t tables, int done);
	void *progress_arg;
};

/* Return 0 to go on, anything else to stop (the call then fails with
 * PTWALK_E_CALLBACK). */
typedef int (*ptwalk_entry_fn)(void *arg, const struct ptwalk_entry *e);

/* Walk in VA order, one call per logical entry; memory stays constant
 * whatever the size of the table. Anomalies never fail a walk. */
int ptwalk_walk(ptwalk *pw, const struct ptwalk_walk_options *opts, ptwalk_entry_fn fn,
		void *arg, struct ptwalk_error *err);

/* The same walk pulled one entry at a time (what a Python iterator or a
 * debugger's pager wants): the walk runs in a thread of its own and hands
 * entries over through a small ring, so memory stays constant and the
 * caller may take its time between entries. The ptwalk handle must not be
 * used for anything else until ptwalk_iter_free(). */
typedef struct ptwalk_iter ptwalk_iter;
/* NULL with ERR set when the options are wrong or the thread cannot
 * start. */
ptwalk_iter *ptwalk_walk_iter(ptwalk *pw, const struct ptwalk_walk_options *opts,
			      struct ptwalk_error *err);
/* The next entry into *E (its strings live as long as the handle): 1, 0
 * at the end of the walk, or -1 with ERR set (what would have failed
 * ptwalk_walk()). */
int ptwalk_iter_next(ptwalk_iter *it, struct ptwalk_entry *e, struct ptwalk_error *err);
/* Stop the walk where it is, and free everything; NULL is fine. */
void ptwalk_iter_free(ptwalk_iter *it);

/* Counts of a walk, what `ptwalk check' and `stats' are built on. */
struct ptwalk_counts {
	uint64_t entries;		/* logical entries */
	uint64_t leaves, leaf_bytes;	/* leaves and the bytes they map */
	uint64_t gangs;			/* entries folded from several slots */
	uint64_t anomalous;		/* entries with an anomaly */
	uint64_t by_anomaly[32];	/* per anomaly bit */
	uint64_t tables[6];		/* table pages read per level */
};
int ptwalk_count(ptwalk *pw, const struct ptwalk_walk_options *opts,
		 struct ptwalk_counts *counts, struct ptwalk_error *err);

/* ---- Comparing ---------------------------------------------------------- */

/* What `ptwalk diff' compares, and how; all 0 for its defaults. */
struct ptwalk_diff_options {
	size_t size;		/* sizeof(struct ptwalk_diff_options) */
	const char *ignore;	/* fields and flag names not compared, comma-separated,
				 * as --ignore: "pa,raw,young" (slot never is) */
	int merge;		/* each side's neighbouring leaves coalesced first (--merge) */
	int separate;		/* one record per pair of entries (--no-merge) */
};

/* One side of a change: its entries in the range and the first of them. */
struct ptwalk_diff_side {
	uint64_t entries;	/* 0: the side has nothing there */
	uint64_t bytes;
	int uniform;		/* every entry shaped as the first */
	int linear;		/* PA - VA the same for every entry */
	struct ptwalk_entry first;	/* entries > 0; strings the library's own */
};

/* One change, as a record of `ptwalk diff -J'. */
struct ptwalk_diff_record {
	const char *change;	/* "added", "removed", "changed", "moved", "split",
				 * "gang-broken", "folded", "remapped" */
	uint64_t va, end;	/* inclusive */
	uint32_t fields;	/* changed, moved: what differs, bits named by
				 * ptwalk_diff_field_name() */
	int pa_kept, flags_kept;	/* structural changes: 1, 0, -1 not known */
	struct ptwalk_diff_side a, b;
};
/* The name of field bit BIT ("pa", "flags", ...), NULL past the last. */
const char *ptwalk_diff_field_name(unsigned bit);

typedef int (*ptwalk_diff_fn)(void *arg, const struct ptwalk_diff_record *r);

/* Compare the walk of A (AOPTS, as ptwalk_walk() takes them) with the
 * walk of B, in VA order, one call of FN per change; returns the number
 * of changes (0: the same), or -1 with ERR set. A and B are two handles:
 * the walks run side by side, each in a thread of its own (open one
 * image twice to compare two roots in it). */
long long ptwalk_diff(ptwalk *a, const struct ptwalk_walk_options *aopts,
		      ptwalk *b, const struct ptwalk_walk_options *bopts,
		      const struct ptwalk_diff_options *opts, ptwalk_diff_fn fn, void *arg,
		      struct ptwalk_error *err);

/* ---- Translating ------------------------------------------------------- */

/* One level of a translation. */
struct ptwalk_step {
	unsigned level;
	const char *level_name;		/* "hugepd" for a hugepd directory's entry */
	unsigned index;
	uint64_t slot;			/* physical address of the slot */
	int read_ok;			/* 0: the slot is not in the image */
	uint64_t raw;
	const char *kind;
	uint64_t pa;			/* kind table, leaf, hugepd: where it points */
	int have_buddy;			/* ppc8xx: the other PMD of an 8M pair */
	uint64_t buddy_slot, buddy_raw;
};

#define PTWALK_MAX_STEPS 6

struct ptwalk_translation {
	uint64_t va;
	uint64_t root;
	int mapped;			/* a leaf maps VA (protnone included) */
	uint64_t pa;			/* where VA lands, gangs translated */
	char why[160];			/* why not mapped; "protnone pmd" etc. */
	unsigned nsteps;
	struct ptwalk_step steps[PTWALK_MAX_STEPS];
	int have_entry;			/* the logical entry holding VA */
	struct ptwalk_entry entry;	/* its strings are the library's own */
};

/* Translate VA through ROOT (have_root), or the kernel's root (and, on
 * arm64, the kernel root for the upper half). Not being mapped is no
 * failure: T says why. */
int ptwalk_translate(ptwalk *pw, int have_root, uint64_t root, uint64_t va,
		     struct ptwalk_translation *t, struct ptwalk_error *err);

/* ---- Processes ------------------------------------------------------------ */

/* Where symbols and struct layouts come from: all 0 for the image's own
 * (kallsyms through VMCOREINFO, the kernel's BTF). Symbols from the first
 * of VMLINUX, KALLSYMS and LOOKUP given; layouts from BTF, else VMLINUX's
 * DWARF, else the kernel's BTF (found through the symbols). */
struct ptwalk_symbols {
	size_t size;			/* sizeof(struct ptwalk_symbols) */
	const char *vmlinux;		/* a vmlinux with DWARF */
	const char *btf;		/* a BTF file (/sys/kernel/btf/vmlinux) */
	const char *kallsyms;		/* a copy of /proc/kallsyms */
	/* The caller's symbol table (a debugger's): the run-time address of
	 * NAME in *ADDR and 0, or nonzero when there is no such symbol. */
	int (*lookup)(void *arg, const char *name, uint64_t *addr);
	void *lookup_arg;
};

struct ptwalk_task {
	uint64_t task;			/* address of the task_struct */
	int32_t pid, tgid;
	char comm[17];
	uint64_t mm;			/* 0 for a kernel thread */
	int have_root;
	uint64_t root;			/* physical address of mm->pgd */
	uint64_t pgd;			/* mm->pgd, kernel virtual; 0 without an mm */
};

typedef int (*ptwalk_task_fn)(void *arg, const struct ptwalk_task *t);

/* Call FN for each process (thread-group leader) from init_task on. */
int ptwalk_tasks(ptwalk *pw, const struct ptwalk_symbols *syms, ptwalk_task_fn fn,
		 void *arg, struct ptwalk_error *err);

#ifdef __cplusplus
}
#endif

#endif
