/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Entries, the walker and the fold.
 *
 *   arch (decode one raw entry)  ->  walker (descend in VA order, emit
 *   physical entries)  ->  fold (physical entries into logical entries,
 *   invariants checked)  ->  a sink (output, counters, lookup)
 *
 * Nothing here knows an architecture: levels, index bits, gang sizes and
 * the meaning of a raw value come from struct paging and its arch ops. */
#ifndef PTWALK_WALK_H
#define PTWALK_WALK_H

#include <stdbool.h>
#include <stdint.h>
#include "arch.h"
#include "image.h"

/* What one raw entry is. */
enum pt_kind {
	PTK_NONE = 0,	/* empty (zero): nothing mapped */
	PTK_TABLE,	/* points to the next level's table */
	PTK_LEAF,	/* maps a page or block (present, possibly protnone) */
	PTK_SWAP,	/* not present: swap, migration or other swap-type entry */
	PTK_BAD,	/* a value the kernel never writes (reserved encoding) */
	PTK_HUGEPD,	/* points to a huge page directory: one entry mapping the
			 * whole huge page (powerpc 8xx before Linux 6.11) */
	PTK_COUNT
};
extern const char *const pt_kind_names[PTK_COUNT];

/* Does an entry of KIND hold an address (a page, a table, a hugepd)? */
static inline bool pt_kind_has_pa(unsigned kind)
{
	return kind == PTK_LEAF || kind == PTK_TABLE || kind == PTK_HUGEPD;
}

/* Normalized flags, the same on every architecture. */
enum pt_flag {
	PTF_PRESENT	= 1u << 0,	/* pte_present(): valid, or protnone */
	PTF_READ	= 1u << 1,
	PTF_WRITE	= 1u << 2,	/* pte_write() */
	PTF_EXEC_USER	= 1u << 3,
	PTF_EXEC_KERNEL	= 1u << 4,
	PTF_USER	= 1u << 5,	/* reachable from user mode */
	PTF_GLOBAL	= 1u << 6,
	PTF_DIRTY	= 1u << 7,	/* pte_dirty(); OR over a gang */
	PTF_YOUNG	= 1u << 8,	/* pte_young(); OR over a gang */
	PTF_SPECIAL	= 1u << 9,
	PTF_SHARED	= 1u << 10,	/* arm64 shareability inner or outer */
	PTF_UFFD_WP	= 1u << 11,
	PTF_SOFT_DIRTY	= 1u << 12,
	PTF_PROTNONE	= 1u << 13,	/* present to the kernel, invalid to the MMU */
	PTF_DEVMAP	= 1u << 14,
	PTF_GUARDED	= 1u << 15,	/* arm64 BTI GP */
	PTF_EXCLUSIVE	= 1u << 16,	/* swap entry of an exclusive anon page */
	PTF_CONT	= 1u << 17,	/* arm64 contiguous hint */
};
#define PTF_COUNT 18
extern const char *const pt_flag_names[PTF_COUNT];

/* One raw entry decoded by the arch. */
struct pt_decoded {
	uint8_t kind;		/* enum pt_kind */
	uint8_t cache;		/* index into arch->cache_names */
	uint8_t pkey;		/* x86 protection key */
	uint8_t swap_type;
	uint32_t flags;		/* enum pt_flag */
	uint64_t pa;		/* table: next table; leaf: page/block base */
	uint64_t swap_offset;
	const char *swap_kind;	/* "swap", "migration-write", ... */
	const char *why;	/* PTK_BAD: what is wrong */
	uint32_t anomalies;	/* enum pt_anomaly the entry alone shows */
	bool paired;		/* table entry that is half of a pair (8xx 8M) */
};

/* Anomalies: named, never fatal. A gang is any group of entries the
 * kernel treats as one: an arm64 contiguous gang, an 8xx 8M pair, 512K or
 * 16K group, or the four cells of a 16K page. */
enum pt_anomaly {
	PTA_GANG_PARTIAL	= 1u << 0,	/* aligned group not all there */
	PTA_GANG_VA_MISALIGNED	= 1u << 1,	/* a whole gang shifted off its aligned slots */
	PTA_GANG_PA_MISALIGNED	= 1u << 2,	/* gang PA not aligned to the gang size */
	PTA_GANG_PFN_GAP	= 1u << 3,	/* addresses of a gang not consecutive */
	PTA_GANG_ATTR_MISMATCH	= 1u << 4,	/* attributes differ beyond what the kernel allows */
	PTA_RESERVED		= 1u << 5,	/* descriptor the kernel never writes */
	PTA_TABLE_FILTERED	= 1u << 6,	/* table page left out of the dump */
	PTA_TABLE_TRUNCATED	= 1u << 7,	/* table page past the end of the file */
	PTA_TABLE_OUTSIDE	= 1u << 8,	/* table page outside the image's memory */
	PTA_TABLE_ERROR		= 1u << 9,	/* table page unreadable (I/O, corrupt) */
	PTA_TABLE_LOOP		= 1u << 10,	/* table page reached at two levels */
	PTA_LEAF_RESERVED_BITS	= 1u << 11,	/* a block's address bits below its size set */
	PTA_8M_UNPAIRED		= 1u << 12,	/* 8xx 8M PMD without its flagged buddy */
	PTA_HUGEPD_UNEXPECTED	= 1u << 13,	/* 8xx hugepd in a 6.11+ kernel */
	PTA_8M_PAIR_UNEXPECTED	= 1u << 14,	/* 8xx 6.11+ 8M pair in an older kernel */
	PTA_HUGE_WITHOUT_SPS	= 1u << 15,	/* 8xx cell with _PAGE_HUGE but not _PAGE_SPS */
	PTA_TABLE_PART_MISSING	= 1u << 16,	/* table page in a split dump's file not given */
};
#define PTA_COUNT 17
extern const char *const pt_anomaly_names[PTA_COUNT];

/* Forms of logical entries. */
enum pt_form {
	FORM_SINGLE,	/* one physical entry (or the 4 cells of an 8xx 16K page) */
	FORM_CONT_PTE,	/* arm64 contiguous gang at the leaf level */
	FORM_CONT_PMD,	/* arm64 contiguous gang at the level above */
	FORM_8XX_8M,	/* 8xx 8M page: a PMD pair, 2 tables of 1024 cells (6.11+) */
	FORM_8XX_512K,	/* 8xx 512K page: 128 cells */
	FORM_8XX_16K,	/* 8xx 16K huge page on a 4K kernel: 4 cells */
	FORM_HUGEPD,	/* 8xx 8M page in a hugepd shared by a PMD pair (before 6.11) */
	FORM_NAPOT,	/* riscv64 Svnapot 64K page: 16 ptes of one value */
	FORM_CONT_PUD,	/* powerpc64 hash-4K 16G page: 64 contiguous puds */
	FORM_ALIAS,	/* a table already walked at the same level */
	FORM_TABLE,	/* a table entry whose table cannot be walked */
	FORM_COUNT
};
extern const char *const pt_form_names[FORM_COUNT];
/* Whether entries of FORM are gangs: several physical entries folded. */
bool pt_form_is_gang(enum pt_form form);

/* One way the kernel lays out the entries of a gang: every rep
 * consecutive slots hold one identical value, the output address
 * advancing by step per rep slots. */
struct gang_layout {
	unsigned rep;
	uint64_t step;
};

/* A group of entries that folds into one logical entry (see fold.c). */
struct gang_spec {
	unsigned n;		/* slots, a power of two, aligned to n slots of VA */
	/* What the kernel writes: one layout, or two where two kernel paths
	 * write the same gang differently (8xx set_huge_pte_at() and
	 * pte_update() with 16K pages). A gang follows one of them whole. */
	struct gang_layout layout[2];
	unsigned nlayouts;
	uint64_t size;		/* bytes the whole group maps */
	/* The page the MMU loads from any one entry, ignoring the output
	 * address bits below it (8xx SPS and HUGE cells); 0 when each entry
	 * maps its layout's step from its own address (arm64). */
	uint64_t mmu_page;
	enum pt_form form;
	uint32_t half_anomaly;	/* for exactly one aligned half present, if not 0 */
	uint32_t rep_anomaly;	/* for differing values within rep slots */
};


/* Name of level L ("pte", "pmd", "pud", "p4d", "pgd") for PG. */
const char *pt_level_name(const struct paging *pg, unsigned level);

/* One physical entry: a slot of a table as the walker found it. */
struct phys_entry {
	uint64_t va;		/* first address the slot maps */
	uint64_t slot_pa;	/* where the slot lives */
	uint64_t raw;
	uint64_t parent_raw;	/* the table entry that led here (0 at the top) */
	unsigned level;		/* 0 = leaf tables (pte) */
	unsigned index;		/* slot index in its table */
	struct pt_decoded d;
};

/* The gang PE belongs to, if any. */
bool pt_gang_of(const struct paging *pg, const struct phys_entry *pe, struct gang_spec *gs);
/* Where VA lands in the entry PE of gang GS (or in PE alone, GS NULL):
 * *PA, and *AVAIL bytes from VA to the end of what that entry maps. */
void pt_gang_translate(const struct paging *pg, const struct phys_entry *pe,
		       const struct gang_spec *gs, uint64_t va, uint64_t *pa,
		       uint64_t *avail);

struct walk_summary;

/* One logical entry: what `walk' prints. */
struct logical_entry {
	uint64_t va;
	uint64_t size;
	unsigned level;
	enum pt_form form;
	uint64_t count;		/* physical entries folded */
	uint64_t slot_pa;	/* PA of the first slot */
	uint64_t raw;		/* raw value of the first entry */
	uint64_t alias_of;	/* FORM_ALIAS: VA where the table was walked */
	uint32_t anomalies;	/* enum pt_anomaly */
	struct pt_decoded d;	/* flags folded over the gang */
	/* FORM_ALIAS, when the walk summarizes aliases: what the slot maps
	 * through the table (valid until the sink returns); else NULL. */
	const struct walk_summary *subtree;
	/* Where a gang is not what the kernel writes, which of its slots:
	 * gang_slots (n) is set then. This entry holds slots gang_first to
	 * gang_first + count - 1 of it; gang_odd slots differ from the
	 * first (attributes, addresses), the first of them gang_odd_first. */
	uint16_t gang_slots, gang_first, gang_odd, gang_odd_first;
};

/* Sums over logical entries, as stats counts them: entries and bytes by
 * kind, level, form, size and swap kind, anomalies. An alias entry adds
 * itself and, when it carries one, its subtree's summary: what the
 * aliased slot really maps. */
struct summary_bucket {
	uint8_t kind, level, form;
	uint64_t size;
	const char *swap_kind;
	uint64_t entries, physical, bytes;
};

struct walk_summary {
	uint64_t entries;		/* logical entries */
	uint64_t bytes_mapped;		/* by present leaves */
	uint64_t aliased_entries;	/* entries reached through alias slots */
	uint64_t anomalous;		/* entries with an anomaly */
	uint64_t by_anomaly[PTA_COUNT];
	uint64_t overflow;		/* entries past the bucket limit */
	bool out_of_memory;		/* some not in a bucket: memory ran out */
	unsigned nbuckets, cap, limit;
	unsigned last;			/* the likely next hit */
	struct summary_bucket *b;	/* nbuckets of them, cap allocated */
};

/* The most buckets a summary holds: far more than the distinct kinds,
 * levels, forms, sizes and swap names any table gives, so OVERFLOW
 * stays 0 but on input made to defeat it; memory stays bounded. */
#define SUMMARY_BUCKET_LIMIT 4096u

/* An empty summary holding up to LIMIT buckets, allocated as they come
 * (walk_summary_free() it). */
struct walk_summary *walk_summary_new(unsigned limit);
void walk_summary_free(struct walk_summary *s);
/* Empty S again, its buckets kept allocated. */
void walk_summary_reset(struct walk_summary *s);
/* Add N entries like LE (and, for an alias, N times its subtree). */
void walk_summary_add(struct walk_summary *s, const struct logical_entry *le, uint64_t n);

/* Receives logical entries in VA order; returns 0 or -1 to stop. */
typedef int (*entry_sink)(void *arg, const struct logical_entry *le);

struct walk_stats {
	uint64_t tables[PT_MAX_LEVELS];	/* table pages walked per level */
	uint64_t aliases;
	uint64_t hugepds;			/* hugepd entries read */
	uint64_t bytes_read;
};

struct pt_step;

struct walk_params {
	struct image *img;
	const struct paging *pg;
	uint64_t start, end;		/* [start, end], inclusive end */
	bool have_user_root, have_kernel_root;
	uint64_t user_root, kernel_root;
	entry_sink on_entry;
	/* Optional, for consumers that only count: N single leaves in a row
	 * of one leaf table that equal FIRST but for their address (VA, PA,
	 * slot and raw value are FIRST's). Without it each goes to on_entry. */
	int (*on_run)(void *arg, const struct logical_entry *first, uint64_t n);
	void *arg;
	/* --view=physical: one entry per slot, gangs not folded (their
	 * anomalies still reported on each slot). */
	bool physical;
	/* Progress, NULL for none: at most four times a second while leaf
	 * tables are read, where the walk is and how many table pages it
	 * has read; then once with DONE at the end if it was called. The
	 * walker prints nothing itself. */
	void (*on_progress)(void *arg, uint64_t va, uint64_t tables, bool done);
	void *progress_arg;
	/* Give each alias entry the summary of what its table maps
	 * (logical_entry.subtree), computed once per distinct table. */
	bool summarize_aliases;
	/* Walk an aliased table again at each slot that reaches it, instead
	 * of one alias entry (--expand-aliases). */
	bool expand_aliases;
	/* With on_step, as mm/ptdump.c's note_kasan_page_table(): a table
	 * entry whose table holds one value in every slot, each a table
	 * entry pointing to one table that does so in turn, down to a leaf
	 * table of one value in every slot (KASAN's early shadow), is not
	 * descended. Its step has uniform set and uniform_raw the leaf
	 * table's value, and no step follows for what it points to. */
	bool note_uniform;
	/* Optional, as mm/pagewalk.c's mm_walk_ops: every slot the walk
	 * reads, in VA order and each table entry before the table it points
	 * to: its level, index, slot, raw value and decoding, VA the first
	 * address it maps. Empty slots are steps too (the holes: d.kind
	 * PTK_NONE); a table not in the image is a step at its first slot
	 * in range with st saying why; a hugepd's cell follows its PMD
	 * (hugepd set). Nonzero stops the walk. With on_step the range is
	 * walked as given (not widened to whole gangs) and on_run is not
	 * used. pt_descend() is a walk of one address with a step callback. */
	int (*on_step)(void *arg, const struct pt_step *s, uint64_t va);
	void *step_arg;
	/* Walks that only count (stats --all, tasks --mapped), one after
	 * another over tables they share: a table met in an earlier walk of
	 * SHARE and whole in this one is counted from its subtree's summary,
	 * given to ON_SUMMARY instead of its entries to on_entry, with the
	 * same sums and table counts as walking it (see walk_share_new()). */
	struct walk_share *share;
	int (*on_summary)(void *arg, const struct walk_summary *s);
};

/* Tables shared by walks (processes' hugetlb PMD tables, a kernel half
 * copied into every top table): the second walk to meet one summarizes
 * it, later walks take the summary. A summary is taken only where the
 * walk has met none of the subtree's tables (so that aliases fall where
 * they would) and whole, behind an entry alike but for its address at
 * the same place within the largest gang; memory stays bounded (past
 * the bound, tables are walked). walk_share_free() it. NULL when memory
 * runs out. */
struct walk_share *walk_share_new(void);
void walk_share_free(struct walk_share *sh);
/* Add T's sums to S, N times over, as entries S counts itself. */
void walk_summary_merge(struct walk_summary *s, const struct walk_summary *t, uint64_t n);

/* WP set for a walk of PG's tables in IMG: the kernel's root as PG knows
 * it, USER_ROOT when HAVE_USER_ROOT, and the whole of what they map (on
 * an arch with split roots, arm64, the half the user root or else the
 * kernel root serves; elsewhere all of VA space). No view, callback or
 * sink yet. */
void walk_params_init(struct walk_params *wp, struct image *img, const struct paging *pg,
		      bool have_user_root, uint64_t user_root);

/* Walk [start, end]. Returns 0, or -1 with ERR set (a sink that stops,
 * or no root for part of the range). Anomalies never fail the walk. */
int walk_tables(const struct walk_params *wp, struct walk_stats *stats,
		struct pt_error *err);

/* Read the raw entry at PA (entry_size bytes, the image's byte order). */
enum read_status pt_read_entry(const struct paging *pg, struct image *img, uint64_t pa,
			       uint64_t *raw);

/* Decode one raw entry of level LEVEL. */
void pt_decode(const struct paging *pg, unsigned level, uint64_t raw,
	       struct pt_decoded *d);

/* Name of swap type TYPE by the kernel's include/linux/swap.h layout for
 * PG's release and configuration (src/swap.c). */
static inline const char *pt_swap_kind(const struct paging *pg, unsigned type)
{
	return pg->swap_kinds[type & 31];
}

/* ---- The descent (lib/descend.c) ------------------------------------
 * From a root, one slot per level down to what maps one address: vtop's
 * record, kernel-virtual reads, and the hugepd step the walker shares. */

/* Where a hugepd entry PE (PTK_HUGEPD) leads: the directory's one entry
 * put in PE's place (slot, raw value, decode; the PMD's raw value as its
 * parent; PE's level kept). PE is unchanged but on READ_OK. */
enum read_status pt_hugepd_entry(const struct paging *pg, struct image *img,
				 struct phys_entry *pe);

/* One level of a descent. */
struct pt_step {
	unsigned level, index;
	uint64_t table;		/* the table (or hugepd directory) read */
	uint64_t slot, raw;
	enum read_status st;	/* READ_OK, or why the slot is not there */
	struct pt_decoded d;
	bool hugepd;		/* the entry of a hugepd directory */
	bool have_buddy;	/* the other half of a PMD pair (pair_slot) */
	uint64_t buddy_slot, buddy_raw;
	bool uniform;		/* walk_params.note_uniform: a table not descended */
	uint64_t uniform_raw;	/* the value of its leaf table's every slot */
};

enum pt_descent_end {
	PT_DESCENT_NONE,	/* no step: an address outside the VA space, or no memory */
	PT_DESCENT_LEAF,	/* a leaf maps the address */
	PT_DESCENT_NOT_MAPPED,	/* an empty, swap, reserved or hugepd entry */
	PT_DESCENT_UNREAD,	/* a slot not in the image */
	PT_DESCENT_LOOP,	/* a table entry pointing back up */
};

struct pt_descent {
	uint64_t va, root;
	struct pt_step steps[PT_MAX_LEVELS + 1];	/* + a hugepd's entry */
	unsigned nsteps;
	enum pt_descent_end end;
	unsigned loop_level;	/* PT_DESCENT_LOOP: the level pointed back to */
	bool mapped;		/* PT_DESCENT_LEAF, or untabled */
	bool untabled;		/* mapped outside the tables (arch_ops.untabled) */
	bool protnone;		/* the leaf is present to the kernel only */
	uint64_t pa;		/* where VA lands, gangs translated */
	uint64_t avail;		/* bytes from VA to the end of the leaf's mapping */
};

/* Which of WP's roots the MMU translates VA through: on an arch with
 * split roots (arm64 TTBR1) the kernel's for the upper half, elsewhere
 * the user root when there is one, else the kernel's. */
enum pt_root_choice {
	PT_ROOT_KERNEL,
	PT_ROOT_USER,
	PT_ROOT_NOT_CANONICAL,	/* VA is in neither half */
	PT_ROOT_NO_KERNEL,	/* the kernel's root is not known */
	PT_ROOT_NO_USER,	/* a user address, and no user root */
};
enum pt_root_choice pt_root_for(const struct walk_params *wp, uint64_t va, uint64_t *root);

/* Descend from the table at ROOT to VA: a walk of [VA, VA] from ROOT
 * recording its steps (walk_params.on_step). Never fails: T says where
 * and why the descent ended. */
void pt_descend(const struct paging *pg, struct image *img, uint64_t root, uint64_t va,
		struct pt_descent *t);
/* Where and why T ended, in words ("pmd[17] is empty", "pte table at
 * 0x...: filtered"); "" for a leaf that is not protnone. */
void pt_descent_why(const struct paging *pg, const struct pt_descent *t, char *buf,
		    size_t size);
/* T's last step as a physical entry (PE), and its gang (true, GS). */
bool pt_descent_gang(const struct paging *pg, const struct pt_descent *t,
		     struct phys_entry *pe, struct gang_spec *gs);
/* The logical entry holding T's address, as a walk with BASE's roots and
 * view folds it (walking the aligned span of its gang). */
bool pt_descent_entry(const struct walk_params *base, const struct pt_descent *t,
		      struct logical_entry *le);

/* Root of a register value (TTBR, CR3) given by --pgd. */
/* log2 of the span of the arch's largest gang, 0 when it has none. */
unsigned pt_gang_span_shift(const struct paging *pg);
int pt_root_from_register(const struct paging *pg, uint64_t reg,
			  uint64_t *pa, struct pt_error *err);

/* ---- A walk in its own thread (lib/walk_pipe.c) ------------------------
 * What a pull reader needs (a diff's two sides, libptwalk's iterator):
 * the walk runs in a thread and hands its entries over in batches, each
 * entry turned into the caller's record by CONVERT; memory is a few
 * batches, whatever the walk's size. */
typedef void walk_pipe_convert_fn(void *rec, const struct logical_entry *le,
				  const struct paging *pg);
struct walk_pipe;
/* Start walking WP (its sink and argument are the pipe's own); records
 * of REC_SIZE bytes. NULL with ERR set when memory or the thread cannot
 * be had. */
struct walk_pipe *walk_pipe_start(const struct walk_params *wp, size_t rec_size,
				  walk_pipe_convert_fn *convert, struct pt_error *err);
/* The next record: 1 with *REC valid until the next call, 0 at the end,
 * -1 with ERR the walk's own error. */
int walk_pipe_next(struct walk_pipe *p, const void **rec, struct pt_error *err);
/* Stop the walk where it is, wait for its thread, free everything. */
void walk_pipe_close(struct walk_pipe *p);

/* The VA halves of PG: [start, end] each, and whether the kernel root
 * (TTBR1) serves it when a separate user root exists. */
struct va_half {
	uint64_t start, end;
	bool kernel;
	uint64_t base;		/* the address slot 0 of the half's root table maps */
};
unsigned pt_va_halves(const struct paging *pg, struct va_half out[2]);

#endif
