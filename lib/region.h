/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Kernel regions: where in the address space an entry lies, named as the
 * kernel's ptdump markers name it, with boundaries from what the image
 * says of itself (VMCOREINFO, symbols, variables read from its memory)
 * and the kernel's layout rules per architecture and release, each cited
 * in the arch file that applies them. */
#ifndef PTWALK_REGION_H
#define PTWALK_REGION_H

#include <stdbool.h>
#include <stdint.h>
#include "common.h"

struct paging;
struct image;
struct vmcoreinfo;
struct kernel_info_options;

/* X(ID, name, what): NAME is the REGION column's value (an interface,
 * documented in man/ptwalk.1), in the order a legend lists them. */
#define REGIONS(X) \
	X(USER,          "user",          "user space") \
	X(LINEAR,        "linear",        "the linear map of physical memory") \
	X(VMALLOC,       "vmalloc",       "vmalloc and ioremap space") \
	X(IOREMAP,       "ioremap",       "ioremap space apart from vmalloc") \
	X(VMEMMAP,       "vmemmap",       "the struct page array") \
	X(MODULES,       "modules",       "loadable modules (and BPF programs)") \
	X(KERNEL_TEXT,   "kernel-text",   "the kernel image: text") \
	X(KERNEL_RODATA, "kernel-rodata", "the kernel image: read-only data") \
	X(KERNEL_DATA,   "kernel-data",   "the kernel image: data and init") \
	X(KERNEL_BSS,    "kernel-bss",    "the kernel image: bss") \
	X(KERNEL_IMAGE,  "kernel-image",  "the kernel image where its sections are not known") \
	X(FIXMAP,        "fixmap",        "fixed mappings") \
	X(PCI_IO,        "pci-io",        "PCI I/O space") \
	X(KASAN,         "kasan",         "KASAN shadow") \
	X(LDT,           "ldt",           "x86_64 LDT remap for PTI") \
	X(CPU_ENTRY,     "cpu-entry",     "x86_64 CPU entry area") \
	X(ESPFIX,        "espfix",        "x86_64 espfix stacks") \
	X(EFI,           "efi",           "x86_64 EFI runtime services") \
	X(IMMR,          "immr",          "powerpc 8xx internal memory map registers") \
	X(KERNEL,        "kernel",        "kernel space the image does not say more of")

enum region_id {
	RG_NONE,	/* not in a region: "-" */
#define X(id, name, what) RG_##id,
	REGIONS(X)
#undef X
	RG_COUNT
};

/* The names, indexed by enum region_id (RG_NONE's is "-"). */
extern const char *const region_names[RG_COUNT];
extern const char *const region_help[RG_COUNT];

#define PT_MAX_REGIONS 48
#define PT_MAX_MARKERS 24

struct pt_region {
	uint64_t start, end;	/* inclusive */
	enum region_id id;
};

/* One of the kernel's ptdump address markers: at START, NAME; at most
 * MAX_LINES lines under it (x86's ESPfix), 0 for no limit. */
struct pt_marker {
	uint64_t start;
	const char *name;
	unsigned max_lines;
};

struct pt_regions {
	unsigned n;
	struct pt_region r[PT_MAX_REGIONS];	/* sorted, disjoint */
	/* The markers the kernel's ptdump prints, in its order (as its
	 * address_markers[]), with the ranges it walks. */
	unsigned nmarkers;
	struct pt_marker m[PT_MAX_MARKERS];
	unsigned nranges;
	uint64_t range_start[2], range_end[2];	/* inclusive */
	char how[200];		/* what the boundaries come from */
};

/* Symbols the arch files may use for regions: X(ID, name). */
#define REGION_SYMS(X) \
	X(TEXT, "_text") \
	X(STEXT, "_stext") \
	X(ETEXT, "_etext") \
	X(START_RODATA, "__start_rodata") \
	X(END_RODATA, "__end_rodata") \
	X(SDATA, "_sdata") \
	X(EDATA, "_edata") \
	X(INIT_BEGIN, "__init_begin") \
	X(INIT_END, "__init_end") \
	X(BSS_START, "__bss_start") \
	X(BSS_STOP, "__bss_stop") \
	X(END, "_end") \
	X(PAGE_OFFSET_BASE, "page_offset_base") \
	X(VMALLOC_BASE, "vmalloc_base") \
	X(VMEMMAP_BASE, "vmemmap_base") \
	X(KASAN_EARLY_SHADOW, "kasan_early_shadow_page") \
	X(ASAN_LOAD8, "__asan_load8") \
	X(HWASAN_LOAD8, "__hwasan_load8_noabort") \
	X(HIGH_MEMORY, "high_memory") \
	X(IOREMAP_BOT, "ioremap_bot") \
	X(MPC8XX_IMMR, "mpc8xx_immr")

enum region_sym {
#define X(id, name) RS_##id,
	REGION_SYMS(X)
#undef X
	RS_COUNT
};

/* What an arch file's regions hook has to go on. */
struct region_facts {
	const struct vmcoreinfo *vi;
	bool have[RS_COUNT];
	uint64_t sym[RS_COUNT];		/* run-time addresses (KASLR applied) */
	const char *sym_source;		/* "kallsyms in VMCOREINFO", ... or NULL */
	/* Read the kernel's word (pointer size) at VA: 0, or -1. */
	int (*read_word)(void *arg, uint64_t va, uint64_t *v);
	void *read_arg;
};

/* For the arch files: paint [START, END) (END 0: to the top of the
 * address space) as ID over what is there; an empty range is ignored. */
void region_paint(struct pt_regions *rg, uint64_t start, uint64_t end, enum region_id id);
void region_marker(struct pt_regions *rg, uint64_t start, const char *name);
/* Append to rg->how: "; " between parts. */
void region_how(struct pt_regions *rg, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The word at symbol S, when it is known and reads. */
bool region_read_sym(const struct region_facts *f, enum region_sym s, uint64_t *v);

/* Paint the kernel image's sections from the symbols F has, over
 * [_text, _end) as a whole (arm64, x86_64, powerpc share the names of
 * include/asm-generic/vmlinux.lds.h and sections.h). */
void region_kernel_image(struct pt_regions *rg, const struct region_facts *f);

/* The regions of the kernel in IMG, as PG's architecture lays it out.
 * Symbols from the kallsyms VMCOREINFO points to, else from what KOPTS
 * (may be NULL) names. Never fails: what cannot be known is left to the
 * coarser regions ("kernel"), and rg->how says what was used. */
void regions_setup(struct pt_regions *rg, struct image *img, const struct paging *pg,
		   const struct kernel_info_options *kopts);

/* The region VA lies in. HINT (may be NULL) is an index kept by a caller
 * that asks in VA order, to make the lookup O(1). */
enum region_id region_of(const struct pt_regions *rg, uint64_t va, unsigned *hint);
/* The index of the region named NAME, or -1. */
int region_lookup(const char *name);

#endif
