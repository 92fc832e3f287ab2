/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Paging formats. One file per architecture (src/arch_*.c) exports one
 * const struct arch_ops; nothing outside those files knows a bit layout. */
#ifndef PTWALK_ARCH_H
#define PTWALK_ARCH_H

#include <stdbool.h>
#include <stdint.h>
#include "common.h"
#include "image.h"

/* What the command line says about paging, for images that do not. */
struct paging_options {
	const char *arch;		/* --arch */
	uint64_t page_size;		/* --page-size, 0 = from image */
	unsigned va_bits;		/* --va-bits, 0 = from image */
	unsigned levels;		/* --levels, 0 = from image */
	const char *kernel_release;	/* --kernel-release */
	const char *kernel_config;	/* --kernel-config: the kernel's .config */
	bool page_offset_set;		/* --page-offset (ppc8xx) */
	uint64_t page_offset;
	const char *mmu;		/* --mmu (ppc64): "radix", "hash" */
};

#define PT_MAX_LEVELS 5

struct pt_decoded;
struct phys_entry;
struct gang_spec;
struct pt_regions;
struct region_facts;

/* The paging format of one image, as decided from image and options. */
struct paging {
	const struct arch_ops *arch;
	bool big_endian;		/* of memory: the kernel's words */
	const char *endian_how;		/* NULL: the image's headers say */
	bool entry_big_endian;		/* of page table entries (ppc64: always big) */
	unsigned page_shift;
	unsigned va_bits;
	unsigned levels;
	bool lpa2;			/* arm64: 52-bit PA in 4K/16K descriptors */
	char release[65];		/* kernel release, "" if unknown */
	const char *release_source;	/* "VMCOREINFO", "--kernel-release" */
	uint32_t version;		/* KVER() of release, 0 if unknown */
	struct opt_u64 kernel_root;	/* physical address of the kernel PGD */
	char kernel_root_how[96];	/* how it was computed */
	struct opt_u64 kaslr_offset;
	uint64_t phys_addr_mask;	/* address bits of an entry (sme cleared) */
	/* Geometry, level 0 being the leaf tables (pte). */
	unsigned entry_size;		/* bytes per entry: 8 or 4 */
	unsigned level_shift[PT_MAX_LEVELS]; /* VA bit where level's index starts */
	unsigned level_bits[PT_MAX_LEVELS];  /* index bits (top may be fewer) */
	uint64_t oa_raw_mask;		/* raw bits that hold an output address */
	uint64_t user_end;		/* last user-space address */
	/* The address the kernel root's slot 0 maps (ppc64: 0xc000000000000000);
	 * 0: the top of the space, sign-extended. */
	uint64_t kernel_va_base;
	uint64_t page_offset;		/* ppc8xx: PAGE_OFFSET, the linear map's start */
	/* ppc64: the MMU whose tables these are, and how that is known. */
	bool radix;
	const char *mmu;		/* "radix", "hash"; NULL: not ppc64 */
	const char *mmu_how;
	bool oa_simple;			/* output address = raw & oa_raw_mask */
	/* The kind of each swap type by release and configuration (see
	 * src/swap.c), "a|b" where the configuration leaves it open. */
	char swap_kinds[32][128];	/* at most 4 names of at most 24 characters */
	struct swap_options {	/* PT_NO, PT_YES or PT_UNKNOWN */
		uint8_t device_private, migration, memory_failure, pte_marker;
	} swap_opts;
	char swap_how[96];
};
enum { PT_NO, PT_YES, PT_UNKNOWN };

/* The releases ptwalk decodes from their sources (PT_KNOWN_MIN on) and
 * was verified on with real kernels (PT_VERIFIED_MIN to _MAX). */
#define PT_KNOWN_MIN KVER(4, 18, 0)
#define PT_VERIFIED_MIN KVER(5, 10, 0)
#define PT_VERIFIED_MAX KVER(7, 2, 255)

/* Learn that the kernel was (ON) or was not built with
 * CONFIG_DEVICE_PRIVATE, HOW says from what; PG's swap kinds follow. */
void swap_kinds_device_private(struct paging *pg, bool on, const char *how);

/* What paging is set up from: the few facts an image gives of itself
 * (paging_facts_of()), or that a caller knows, and nothing else of the
 * image. */
struct paging_facts {
	const char *path;		/* names the input in errors */
	const struct vmcoreinfo *vmci;	/* present or not, never NULL */
	unsigned elf_machine;		/* the ELF header's e_machine; 0: none */
	unsigned elf_class;		/* ELFCLASS32/64; 0: not an ELF image */
	const char *arch_hint;		/* the format's own arch name (kdump), or NULL */
	const char *machine;		/* a machine the format names but ptwalk does not know */
	bool endian_known, big_endian;
	/* The kernel's linear map offset, where the format says it
	 * (an ELF core's PT_LOAD vaddr - paddr). */
	bool linear_offset_known;
	uint64_t linear_offset;
};

struct arch_ops {
	const char *name;		/* as given to --arch */
	const char *kdump_arch;		/* libkdumpfile arch.name */
	uint16_t elf_machine;
	unsigned elf_class;
	bool big_endian;		/* the byte order of a raw image */
	/* Either byte order is this architecture's (ppc64 and ppc64le):
	 * the image's decides. */
	bool either_endian;
	/* Page table entries are big-endian whatever memory's order is
	 * (ppc64le's __be64 pte_t). */
	bool entries_big_endian;
	/* Does VMCOREINFO look like this architecture's? */
	bool (*vmcoreinfo_matches)(const struct vmcoreinfo *vi);
	/* Fill the architecture part of PG from the facts and options. */
	int (*setup)(struct paging *pg, const struct paging_facts *f,
		     const struct paging_options *opts, struct pt_error *err);
	/* What setup could not decide from the facts, decided from the
	 * image's memory once its pages can be read (NULL: nothing). */
	int (*probe)(struct paging *pg, struct image *img, struct pt_error *err);
	/* A kernel address the MMU maps outside the tables (ppc64 hash's
	 * bolted linear map): its PA and the bytes on to its page's end;
	 * NULL or false: none. */
	bool (*untabled)(const struct paging *pg, uint64_t va, uint64_t *pa, uint64_t *avail);
	/* Decode one raw entry at LEVEL (0 = pte). */
	void (*decode)(const struct paging *pg, unsigned level, uint64_t raw,
		       struct pt_decoded *d);
	/* Output address of a present leaf entry (used when !oa_simple). */
	uint64_t (*oa)(const struct paging *pg, uint64_t raw);
	/* The gang a non-table entry belongs to (fills GS and returns true),
	 * from the entry and the table entry above it; NULL: no gangs. */
	bool (*gang_of)(const struct paging *pg, const struct phys_entry *pe,
			struct gang_spec *gs);
	/* log2 of the span of the largest gang (0: no gangs): a ranged walk
	 * widens to whole gangs of this size. */
	unsigned (*gang_span_shift)(const struct paging *pg);
	/* The slot of the other entry of a pair (an entry whose decode set
	 * pt_decoded.paired), from the slot of one. */
	uint64_t (*pair_slot)(const struct paging *pg, uint64_t slot);
	/* Bits two entries of one gang may legally differ in, besides the
	 * output address (arm64 contpte_ptep_get()). */
	uint64_t (*gang_legal_diff)(const struct paging *pg, uint64_t first,
				    uint64_t other);
	/* Physical root from a register value (TTBRn_EL1, CR3). */
	int (*root_from_register)(const struct paging *pg, uint64_t reg,
				  uint64_t *pa, struct pt_error *err);
	/* Whether a 52-bit PA may be held in 4K and 16K descriptors
	 * (arm64 LPA2): info reports whether the image's paging uses it. */
	bool has_lpa2;
	/* Whether entries carry a protection key (pt_decoded.pkey). */
	bool has_pkeys;
	/* Whether kernel addresses have their own root (arm64 TTBR1). */
	bool split_roots;
	/* One address space [0, 2^va_bits) shared by user and kernel
	 * (32-bit); otherwise a lower and an upper half. */
	bool flat_space;
	/* Can the kernel be relocatable? A 32-bit kernel that cannot keeps
	 * plain addresses in kallsyms_offsets since Linux 7.x (7.2
	 * scripts/link-vmlinux.sh gives --pc-relative to 64-bit or
	 * RELOCATABLE kernels only). */
	bool relocatable;
	/* Kernel options the swap types depend on: can the arch have
	 * CONFIG_DEVICE_PRIVATE (64-bit ZONE_DEVICE) and
	 * CONFIG_MEMORY_FAILURE, and since which release has it had
	 * userfaultfd-wp (HAVE_ARCH_USERFAULTFD_WP; 0: never)? */
	bool device_private, memory_failure;
	uint32_t uffd_wp_since;
	const char *const *cache_names;	/* indexed by pt_decoded.cache */
	/* A leaf's attributes in the words the kernel's ptdump prints for
	 * them (the attrs column): the table for PG; NULL: none. */
	const struct attr_word *(*attr_words)(const struct paging *pg, uint64_t raw, size_t *n);
	/* The kernel's regions and its ptdump's markers and ranges, as the
	 * image's release lays them out (lib/region.h); NULL: user space
	 * only. */
	void (*regions)(const struct paging *pg, const struct region_facts *f,
			struct pt_regions *rg);
	/* The kernel's ptdump (walk --format=ptdump): its line format, the
	 * depth (0 pgd to 4 pte) its note_page() sees LEVEL (0 the
	 * leaf-most) at after the kernel's folding, and its attribute
	 * table (prot_bits, flag_info) for PG, NULL for printk_prot(). */
	enum ptdump_style { PTDUMP_NONE, PTDUMP_ARM64, PTDUMP_X86, PTDUMP_PPC, PTDUMP_RISCV } ptdump_style;
	unsigned (*ptdump_depth)(const struct paging *pg, unsigned level);
	const struct attr_word *(*ptdump_words)(const struct paging *pg, size_t *n);
};

/* One word of a ptdump's attributes, as its prot_bits / flag_info
 * tables hold them: SET when (raw & MASK) == VAL, else CLEAR (NULL:
 * nothing). LEVELS: the levels it is printed at (bit i: level i, 0 the
 * leaf-most), 0 for every level. */
struct attr_word {
	uint64_t mask, val;
	const char *set, *clear;
	uint8_t levels;
};

/* The words of RAW, a leaf at LEVEL, into BUF: those the kernel's
 * ptdump would print, blank ones left out, one space between. */
void attr_words_format(const struct paging *pg, unsigned level, uint64_t raw, char *buf,
		       size_t len);

extern const struct arch_ops arch_x86_64;
extern const struct arch_ops arch_arm64;
extern const struct arch_ops arch_ppc8xx;
extern const struct arch_ops arch_riscv64;
extern const struct arch_ops arch_ppc64;
/* The machines above, for the image layer (image_options.machines). */
extern const struct image_machines arch_machines;

const struct arch_ops *arch_by_name(const char *name);
const struct arch_ops *arch_by_elf_machine(unsigned machine);
/* The architecture libkdumpfile names NAME (its arch.name), or NULL. */
const struct arch_ops *arch_by_kdump_arch(const char *name);
/* The architecture whose VMCOREINFO keys VI has, or NULL. */
const struct arch_ops *arch_from_vmcoreinfo(const struct vmcoreinfo *vi);
/* Comma-separated list of names, for messages and --help. */
const char *arch_names(void);

/* The paging facts of IMG (pointing into it). */
void paging_facts_of(const struct image *img, struct paging_facts *f);
/* Decide the paging format from facts F and options OPTS. */
int paging_setup_facts(struct paging *pg, const struct paging_facts *f,
		       const struct paging_options *opts, struct pt_error *err);
/* Decide the paging format of IMG, and read IMG in pages of that size. */
int paging_setup(struct paging *pg, struct image *img,
		 const struct paging_options *opts, struct pt_error *err);

#endif
