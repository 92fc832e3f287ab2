/* SPDX-License-Identifier: GPL-2.0-or-later */
/* ptwalk-gen: build synthetic Linux memory images for ptwalk's tests and
 * benchmarks.
 *
 * It reads a short text description (see tests/images/README.md), lays out
 * page tables as the kernel would, and writes the same physical memory as
 * an ELF vmcore (with a VMCOREINFO note), a kdump-compressed file, a
 * makedumpfile flattened stream, or a raw image. Only pages that hold
 * something (tables, data) are stored; everything else is a hole, so a
 * terabyte of mappings costs megabytes of disk.
 *
 * This is deliberately an independent encoder of the kernel's formats:
 * ptwalk decodes, this encodes, and the tests compare the two. Every
 * layout cites the kernel source it follows. */
#define _GNU_SOURCE
#include <ctype.h>
#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <lzo/lzo1x.h>
#include <snappy-c.h>
#include <zlib.h>
#include <zstd.h>

enum arch { X86_64, ARM64, PPC8XX, RISCV64, PPC64 };
enum style { STYLE_TABLES, STYLE_PHYSICAL, STYLE_KEXEC, STYLE_KCORE };
enum compress { C_NONE, C_ZLIB, C_LZO, C_SNAPPY, C_ZSTD };

/* makedumpfile diskdump_mod.h page descriptor flags. */
static const uint32_t compress_flag[] = { 0, 0x1, 0x2, 0x4, 0x20 };

struct root {
	char name[32];
	uint64_t pa;
	bool user;
};

struct data_page {
	uint64_t pa;
	uint8_t *buf;
};

struct range {
	uint64_t start, end;
};

#define MAX_ROOTS 16384	/* bench/make-tasks: 10,000 processes */
#define MAX_RAM 16
#define MAX_LEVELS 5

static struct gen {
	const char *desc_path;
	int lineno;

	enum arch arch;
	bool arch_set;
	unsigned page_shift;
	unsigned va_bits;
	unsigned levels;
	bool lpa2;
	unsigned esize;			/* entry size in bytes */
	unsigned tsize;			/* table page size */
	bool big_endian;
	bool entry_be;			/* entries big-endian (ppc64: always) */
	bool radix;			/* ppc64: radix tables, else hash */
	char release[65];
	uint32_t version;

	uint64_t tables_at;
	bool tables_at_set;
	uint64_t ntables;
	uint64_t tables_cap;
	uint8_t *tables;

	struct data_page *data;
	size_t ndata, data_cap;
	uint64_t *dropped;
	size_t ndropped;

	struct range ram[MAX_RAM];
	size_t nram;

	struct root roots[MAX_ROOTS];
	size_t nroots;
	size_t cur;

	/* Per-level lookup cache of the last table reached. */
	struct { size_t root; uint64_t key; uint64_t table; bool valid; } tcache[MAX_LEVELS];

	bool vmcoreinfo;
	bool kallsyms;
	char build_id[41];
	uint64_t kaslr;
	uint64_t phys_base;
	uint64_t kimage_voffset;
	uint64_t sme_mask;
	uint64_t page_offset;		/* ppc8xx linear map */
	uint64_t va_kernel_pa_offset;	/* riscv64 kernel image VA - PA */
	uint64_t vmci_at;		/* vmcoreinfo-at: the note in memory too */
	bool vmci_at_set;
	char *vmci_extra;		/* lines added at the end */
	size_t vmci_extra_len;
	char *vmci_drop[32];
	size_t nvmci_drop;

	enum style style;
	uint64_t kdump_block;
	enum compress compress;
	char kdump_machine[65];
	bool kdump_machine_set;
	unsigned ncpus;
} g;

static void __attribute__((noreturn, format(printf, 1, 2))) die(const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "ptwalk-gen: ");
	if (g.lineno)
		fprintf(stderr, "%s:%d: ", g.desc_path, g.lineno);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

static void *xzalloc(size_t n)
{
	void *p = calloc(1, n ? n : 1);
	if (!p)
		die("out of memory");
	return p;
}

static uint64_t num(const char *s)
{
	char *end;
	uint64_t v;
	unsigned shift = 0;

	if (!s)
		die("missing number");
	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || end == s)
		die("bad number '%s'", s);
	switch (*end) {
	case 'K': shift = 10; end++; break;
	case 'M': shift = 20; end++; break;
	case 'G': shift = 30; end++; break;
	case 'T': shift = 40; end++; break;
	}
	if (*end)
		die("bad number '%s'", s);
	return v << shift;
}

/* ---- physical memory ------------------------------------------------ */

static uint64_t pfn_unit(void)
{
	return g.tsize;
}

static uint8_t *find_data(uint64_t pa, bool create)
{
	uint64_t base = pa & ~(pfn_unit() - 1);
	for (size_t i = 0; i < g.ndata; i++)
		if (g.data[i].pa == base)
			return g.data[i].buf;
	if (!create)
		return NULL;
	if (g.ndata == g.data_cap) {
		g.data_cap = g.data_cap ? g.data_cap * 2 : 16;
		g.data = realloc(g.data, g.data_cap * sizeof *g.data);
		if (!g.data)
			die("out of memory");
	}
	g.data[g.ndata].pa = base;
	g.data[g.ndata].buf = xzalloc(pfn_unit());
	return g.data[g.ndata++].buf;
}

static uint8_t *phys(uint64_t pa, bool create)
{
	if (pa >= g.tables_at && pa < g.tables_at + g.ntables * g.tsize)
		return g.tables + (pa - g.tables_at);
	uint8_t *p = find_data(pa, create);
	return p ? p + (pa & (pfn_unit() - 1)) : NULL;
}

static uint64_t alloc_table(void)
{
	if (g.ntables == g.tables_cap) {
		uint64_t cap = g.tables_cap ? g.tables_cap * 2 : 64;
		g.tables = realloc(g.tables, cap * g.tsize);
		if (!g.tables)
			die("out of memory for %llu tables", (unsigned long long)cap);
		memset(g.tables + g.tables_cap * g.tsize, 0, (cap - g.tables_cap) * g.tsize);
		g.tables_cap = cap;
	}
	uint64_t pa = g.tables_at + g.ntables * g.tsize;
	g.ntables++;
	for (size_t i = 0; i < g.ndata; i++)
		if (g.data[i].pa == pa)
			die("table page 0x%llx collides with a data page", (unsigned long long)pa);
	return pa;
}

static unsigned level_bytes_shift(unsigned level);

/* A table of LEVEL: a page, or consecutive pages for a larger one
 * (powerpc64 radix's 64K pgd with 4K pages), aligned to its size as
 * powerpc's pgtable caches align theirs (pgtable_cache_add()). */
static uint64_t alloc_level_table(unsigned level)
{
	uint64_t bytes = 1ull << level_bytes_shift(level);
	uint64_t pa = alloc_table();
	while (pa & (bytes - 1))
		pa = alloc_table();
	for (uint64_t b = g.tsize; b < bytes; b += g.tsize)
		alloc_table();
	return pa;
}

static uint64_t rd(uint64_t pa)
{
	uint8_t *p = phys(pa, false);
	if (!p)
		return 0;
	if (g.esize == 4) {
		uint32_t v;
		memcpy(&v, p, 4);
		return g.entry_be ? be32toh(v) : le32toh(v);
	}
	uint64_t v;
	memcpy(&v, p, 8);
	return g.entry_be ? be64toh(v) : le64toh(v);
}

static void wr(uint64_t pa, uint64_t val)
{
	uint8_t *p = phys(pa, true);
	if (g.esize == 4) {
		uint32_t v = g.entry_be ? htobe32((uint32_t)val) : htole32((uint32_t)val);
		memcpy(p, &v, 4);
	} else {
		uint64_t v = g.entry_be ? htobe64(val) : htole64(val);
		memcpy(p, &v, 8);
	}
}

/* ---- paging geometry ---------------------------------------------- */

/* powerpc64 index bits of the pte, pmd, pud and pgd (Linux 6.12
 * arch/powerpc/include/asm/book3s/64/radix-4k.h, radix-64k.h, hash-4k.h,
 * hash-64k.h). */
static unsigned ppc64_bits(unsigned level)
{
	static const unsigned bits[2][2][4] = {
		{ { 9, 7, 9, 9 }, { 8, 10, 10, 8 } },
		{ { 9, 9, 9, 13 }, { 5, 9, 9, 13 } },
	};
	return bits[g.radix][g.page_shift == 16][level];
}

static unsigned level_shift(unsigned level)
{
	if (g.arch == PPC8XX)
		return level ? 22 : 12;	/* PGDIR_SHIFT 22, 4K cells */
	if (g.arch == PPC64) {
		unsigned s = g.page_shift;
		for (unsigned l = 0; l < level; l++)
			s += ppc64_bits(l);
		return s;
	}
	return g.page_shift + level * (g.page_shift - 3);
}

static uint64_t level_entries(unsigned level)
{
	if (g.arch == PPC8XX)
		return 1024;
	if (g.arch == PPC64)
		return 1ull << ppc64_bits(level);
	if (level == g.levels - 1)
		return 1ull << (g.va_bits - level_shift(level));
	return 1ull << (g.page_shift - 3);
}

static uint64_t slot_pa(uint64_t table, unsigned level, uint64_t va)
{
	return table + ((va >> level_shift(level)) & (level_entries(level) - 1)) * g.esize;
}

static unsigned level_bytes_shift(unsigned level)
{
	uint64_t n = level_entries(level);
	return (unsigned)__builtin_ctzll(n) + (g.esize == 8 ? 3 : 2);
}

static const char *const level_names5[] = { "pte", "pmd", "pud", "p4d", "pgd" };

static int parse_level(const char *s)
{
	if (isdigit((unsigned char)*s))
		return (int)num(s);
	if (!strcmp(s, "pgd"))
		return (int)g.levels - 1;
	for (int l = 0; l < 4; l++)
		if (!strcmp(s, level_names5[l]) && l < (int)g.levels - 1)
			return l;
	die("no level '%s' with %u levels", s, g.levels);
}

/* Output-address field of an entry for physical address PA. */
static uint64_t encode_pa(uint64_t pa)
{
	if (g.arch == ARM64) {
		/* LPA2 (4K/16K, 52-bit): PA[51:50] in bits [9:8]; LPA (64K):
		 * PA[51:48] in bits [15:12] (Linux 6.12
		 * arch/arm64/include/asm/pgtable.h __phys_to_pte_val). */
		if (g.lpa2)
			return (pa & ((1ull << 50) - 1) & ~((1ull << g.page_shift) - 1)) |
			       ((pa >> 50) & 3) << 8;
		if (g.page_shift == 16)
			return (pa & ((1ull << 48) - 1) & ~0xffffull) | ((pa >> 48) & 0xf) << 12;
		return pa & ((1ull << 48) - 1) & ~((1ull << g.page_shift) - 1);
	}
	if (g.arch == X86_64)
		return pa | g.sme_mask;
	if (g.arch == RISCV64)
		return (pa >> 12) << 10;	/* PFN in bits 53-10 */
	if (g.arch == PPC64)	/* PTE_RPN_MASK: the address in place */
		return pa & ((1ull << 53) - 1) & ~((1ull << g.page_shift) - 1);
	return pa;
}

static uint64_t decode_pa(uint64_t e)
{
	if (g.arch == ARM64) {
		if (g.lpa2)
			return (e & ((1ull << 50) - 1) & ~((1ull << g.page_shift) - 1) & ~0x300ull) |
			       ((e >> 8) & 3) << 50;
		if (g.page_shift == 16)
			return (e & ((1ull << 48) - 1) & ~0xffffull) | ((e >> 12) & 0xf) << 48;
		return e & ((1ull << 48) - 1) & ~((1ull << g.page_shift) - 1);
	}
	if (g.arch == X86_64)
		return e & ((1ull << 52) - 1) & ~0xfffull & ~g.sme_mask;
	if (g.arch == RISCV64)
		return ((e >> 10) & ((1ull << 44) - 1)) << 12;
	if (g.arch == PPC64)	/* ~PMD_MASKED_BITS */
		return e & ~0xc0000000000000ffull;
	return e & 0xfffff000u;
}

/* Table descriptor pointing to TABLE. */
/* Linux 5.11 ("powerpc/8xx: Manage _PAGE_ACCESSED through APG bits in L1
 * entry") swapped _PAGE_ACCESSED and _PAGE_SPECIAL and moved _PMD_USER
 * from 0x20 to 0x40. */
static bool ppc_old_bits(void)
{
	return g.version && g.version < ((5u << 16) | (11u << 8));
}

static uint32_t ppc_pmd_user(void)
{
	return ppc_old_bits() ? 0x20 : 0x40;
}

/* Table descriptor pointing to TABLE, a table of CHILD's level. */
static uint64_t table_entry(uint64_t table, bool user, unsigned child)
{
	switch (g.arch) {
	case PPC64:
		/* RADIX_PMD_VAL_BITS: _PAGE_PRESENT and the child's index
		 * size (NLS); HASH_PMD_VAL_BITS: _PAGE_PRESENT (Linux 6.12
		 * book3s/64/radix.h, hash.h, pgalloc.h pmd_populate()). */
		return table | (1ull << 63) | (g.radix ? ppc64_bits(child) : 0);
	case X86_64:
		/* _PAGE_TABLE / _KERNPG_TABLE (Linux 6.1
		 * arch/x86/include/asm/pgtable_types.h). */
		return encode_pa(table) | (user ? 0x67 : 0x63);
	case ARM64:
		/* PMD_TYPE_TABLE plus PXNTable for user tables, UXNTable
		 * for the kernel's (Linux 6.1 arch/arm64/include/asm/pgalloc.h). */
		return encode_pa(table) | 3 | (user ? 1ull << 59 : 1ull << 60);
	case PPC8XX:
		/* _PMD_PRESENT, _PMD_USER for user tables (Linux 6.12
		 * arch/powerpc/include/asm/nohash/32/pgalloc.h). */
		return table | 0x1 | (user ? ppc_pmd_user() : 0);
	case RISCV64:
		/* _PAGE_TABLE: V alone (Linux 6.12 arch/riscv/include/asm/
		 * pgalloc.h pmd_populate(), pgtable-bits.h). */
		return encode_pa(table) | 0x1;
	}
	return 0;
}

static bool is_table(uint64_t e, unsigned level)
{
	switch (g.arch) {
	case X86_64:
		return (e & 1) && !(e & 0x80);
	case ARM64:
		return (e & 3) == 3;
	case PPC8XX:
		/* Since 6.11 an 8M PMD points to an ordinary table too. */
		return (e & 1) && (!(e & 0xc) ||
				   ((e & 0xc) == 0xc && g.version >= ((6u << 16) | (11u << 8))));
	case RISCV64:
		return (e & 1) && !(e & 0xe);	/* V without R, W, X */
	case PPC64:
		return (e >> 63) && !((e >> 62) & 1);	/* present, no _PAGE_PTE */
	}
	return false;
}

/* Table holding the entries of LEVEL for VA, created on the way down. */
static uint64_t table_for(size_t root, uint64_t va, unsigned level)
{
	uint64_t key = va >> level_shift(level + 1 < g.levels ? level + 1 : level);
	if (g.tcache[level].valid && g.tcache[level].root == root && g.tcache[level].key == key &&
	    level + 1 < g.levels)
		return g.tcache[level].table;
	uint64_t table = g.roots[root].pa;
	for (unsigned l = g.levels - 1; l > level; l--) {
		uint64_t slot = slot_pa(table, l, va);
		uint64_t e = rd(slot);
		if (e == 0) {
			uint64_t t = alloc_level_table(l - 1);
			wr(slot, table_entry(t, g.roots[root].user, l - 1));
			table = t;
		} else if (is_table(e, l)) {
			table = decode_pa(e);
		} else {
			die("VA 0x%llx: a leaf at level %u is in the way", (unsigned long long)va, l);
		}
	}
	g.tcache[level].valid = true;
	g.tcache[level].root = root;
	g.tcache[level].key = key;
	g.tcache[level].table = table;
	return table;
}

/* ---- leaf encoding -------------------------------------------------- */

/* How an 8xx page's cells are written (see cell_offset). */
enum cells { CELLS_SET, CELLS_UPDATED, CELLS_4K, CELLS_16K };

struct flags {
	bool rw, x, user, dirty, young, global, nocache, special;
	enum cells cells;
	uint64_t set, clear;
};

static uint64_t x86_leaf(const struct flags *f, unsigned level)
{
	/* Linux 6.1 arch/x86/include/asm/pgtable_types.h: P 0, RW 1, US 2,
	 * PWT 3, PCD 4, A 5, D 6, PSE 7, G 8, SPECIAL 9, NX 63. */
	uint64_t v = 1;
	if (f->rw) v |= 1ull << 1;
	if (f->user) v |= 1ull << 2;
	if (f->nocache) v |= 3ull << 3;
	if (f->young) v |= 1ull << 5;
	if (f->dirty) v |= 1ull << 6;
	if (level) v |= 1ull << 7;
	if (f->global) v |= 1ull << 8;
	if (f->special) v |= 1ull << 9;
	if (!f->x) v |= 1ull << 63;
	return v;
}

static uint64_t arm64_leaf(const struct flags *f, unsigned level)
{
	/* Linux 6.1 arch/arm64/include/asm/pgtable-hwdef.h and
	 * pgtable-prot.h: page 0b11 / block 0b01, USER 6, RDONLY 7, SH [9:8]
	 * (not in LPA2 descriptors), AF 10, nG 11, DBM(WRITE) 51, PXN 53,
	 * UXN 54, DIRTY 55, SPECIAL 56; AttrIndx MT_NORMAL 0,
	 * MT_DEVICE_nGnRE 4 (memory.h). */
	uint64_t v = level ? 1 : 3;
	if (!g.lpa2) v |= 3ull << 8;
	if (f->nocache) v |= 4ull << 2;
	if (f->user) v |= (1ull << 6) | (1ull << 11);
	if (f->young) v |= 1ull << 10;
	if (f->rw) {
		v |= 1ull << 51;
		if (f->dirty) v |= 1ull << 55;
		else v |= 1ull << 7;
	} else {
		v |= 1ull << 7;
	}
	if (f->user) {
		v |= 1ull << 53;		/* never executable by the kernel */
		if (!f->x) v |= 1ull << 54;
	} else {
		v |= 1ull << 54;
		if (!f->x) v |= 1ull << 53;
	}
	if (f->special) v |= 1ull << 56;
	if (!f->user && f->global) v &= ~(1ull << 11);
	return v;
}

static uint64_t ppc_leaf(const struct flags *f)
{
	/* Before 5.11 ACCESSED was 0x80 and SPECIAL 0x20 (see
	 * ppc_old_bits()). */
	/* Linux 6.12 arch/powerpc/include/asm/nohash/32/pte-8xx.h:
	 * PRESENT 0x1, NO_CACHE 0x2, SH 0x4, GUARDED 0x10, ACCESSED 0x20,
	 * EXEC 0x40, SPECIAL 0x80, DIRTY 0x100, RO 0x600. */
	uint32_t v = 0x1;
	if (f->nocache) v |= 0x2 | 0x10;
	if (!f->user) v |= 0x4;
	if (f->young) v |= ppc_old_bits() ? 0x80 : 0x20;
	if (f->x) v |= 0x40;
	if (f->special) v |= ppc_old_bits() ? 0x20 : 0x80;
	if (f->dirty) v |= 0x100;
	if (!f->rw) v |= 0x600;
	return v;
}

static uint64_t riscv_leaf(const struct flags *f)
{
	/* Linux 6.12 arch/riscv/include/asm/pgtable-bits.h and pgtable-64.h:
	 * V 0, R 1, W 2, X 3, U 4, G 5, A 6, D 7, SPECIAL 8 (RSW), Svpbmt IO
	 * (2 << 61) for device memory (_PAGE_IOREMAP). */
	uint64_t v = 0x1 | 0x2;
	if (f->rw) v |= 1ull << 2;
	if (f->x) v |= 1ull << 3;
	if (f->user) v |= 1ull << 4;
	if (f->global) v |= 1ull << 5;
	if (f->young) v |= 1ull << 6;
	if (f->dirty) v |= 1ull << 7;
	if (f->special) v |= 1ull << 8;
	if (f->nocache) v |= 2ull << 61;
	return v;
}

static uint64_t ppc64_leaf(const struct flags *f)
{
	/* Linux 6.12 arch/powerpc/include/asm/book3s/64/pgtable.h: EXEC 0x1,
	 * WRITE 0x2, READ 0x4, PRIVILEGED 0x8, NON_IDEMPOTENT 0x20 (ioremap),
	 * DIRTY 0x80, ACCESSED 0x100, SPECIAL 0x400, _PAGE_PTE 62,
	 * _PAGE_PRESENT 63; every kernel and user protection reads. */
	uint64_t v = (1ull << 63) | (1ull << 62) | 0x4;
	if (f->rw) v |= 0x2;
	if (f->x) v |= 0x1;
	if (!f->user) v |= 0x8;
	if (f->nocache) v |= 0x20;
	if (f->dirty) v |= 0x80;
	if (f->young) v |= 0x100;
	if (f->special) v |= 0x400;
	return v;
}

/* Physical address of VA's slot at LEVEL (the top level's table is the
 * root itself: table_for() descends no further). */
static uint64_t slot_for(size_t root, uint64_t va, unsigned level)
{
	return slot_pa(table_for(root, va, level), level, va);
}

static void put_leaf(size_t root, uint64_t va, unsigned level, uint64_t value)
{
	uint64_t slot = slot_for(root, va, level);
	uint64_t old = rd(slot);
	if (old && is_table(old, level) && level)
		die("VA 0x%llx: a table is in the way at level %u", (unsigned long long)va, level);
	wr(slot, value);
}

static unsigned cont_ptes(void)
{
	/* CONFIG_ARM64_CONT_PTE_SHIFT 4/7/5 (Linux 6.1 arch/arm64/Kconfig). */
	return g.page_shift == 12 ? 16 : g.page_shift == 14 ? 128 : 32;
}

static unsigned cont_pmds(void)
{
	/* CONFIG_ARM64_CONT_PMD_SHIFT 4/5/5. */
	return g.page_shift == 12 ? 16 : 32;
}

/* One leaf mapping of PAGE bytes: VA -> PA. */
/* The address in cell I of an 8xx page, as the kernel writes it (Linux
 * 5.10 to 7.2 arch/powerpc/mm/pgtable.c set_huge_pte_at(),
 * nohash/pgtable.h __set_pte_at(); pte_update() in 6.1
 * nohash/32/pgtable.h and 6.12 nohash/32/pte-8xx.h): a huge page (512K,
 * 8M, or 16K on a 4K kernel) is created with every cell stepping 4K, a
 * 16K pte with 4 identical cells; pte_update() ("updated") rewrites a
 * page with every cell stepping 4K before 6.2, in groups of 4 identical
 * cells since. cells=4k and cells=16k force one pattern. On a 4K kernel
 * every pattern is the same. */
static uint64_t cell_offset(unsigned i, bool huge, enum cells how)
{
	bool groups;
	if (g.page_shift != 14)
		return (uint64_t)i * 4096;
	switch (how) {
	case CELLS_4K: groups = false; break;
	case CELLS_16K: groups = true; break;
	case CELLS_UPDATED: groups = g.version >= ((6u << 16) | (2u << 8)); break;
	default: groups = !huge; break;
	}
	return groups ? (uint64_t)(i / 4) * 16384 : (uint64_t)i * 4096;
}

static void map_one(size_t root, uint64_t va, uint64_t pa, uint64_t page, const struct flags *f)
{
	if (g.arch == X86_64) {
		unsigned level = page == 1ull << 12 ? 0 : page == 1ull << 21 ? 1 :
				 page == 1ull << 30 ? 2 : 9;
		if (level == 9)
			die("x86_64 leaves are 4K, 2M or 1G");
		uint64_t v = (x86_leaf(f, level) | encode_pa(pa) | f->set) & ~f->clear;
		put_leaf(root, va, level, v);
		return;
	}
	if (g.arch == ARM64) {
		uint64_t pte = 1ull << level_shift(0), pmd = 1ull << level_shift(1);
		uint64_t pud = g.levels > 2 ? 1ull << level_shift(2) : 0;
		unsigned level, count;
		bool cont;
		if (page == pte) { level = 0; count = 1; cont = false; }
		else if (page == pte * cont_ptes()) { level = 0; count = cont_ptes(); cont = true; }
		else if (page == pmd) { level = 1; count = 1; cont = false; }
		else if (page == pmd * cont_pmds()) { level = 1; count = cont_pmds(); cont = true; }
		else if (page == pud && g.page_shift == 12 && g.levels > 3) { level = 2; count = 1; cont = false; }
		else die("arm64 with %uK pages has no %llu-byte leaf", 1u << (g.page_shift - 10),
			 (unsigned long long)page);
		uint64_t step = 1ull << level_shift(level);
		for (unsigned i = 0; i < count; i++) {
			uint64_t v = arm64_leaf(f, level) | encode_pa(pa + i * step);
			if (cont)
				v |= 1ull << 52;	/* PTE_CONT */
			v = (v | f->set) & ~f->clear;
			put_leaf(root, va + i * step, level, v);
		}
		return;
	}

	if (g.arch == RISCV64) {
		/* Leaves at any level; a 64K page is 16 ptes of one value
		 * with N set and ppn[3:0] = 1000 (pte_mknapot(), Linux 6.12
		 * arch/riscv/include/asm/pgtable.h; set_huge_pte_at() in
		 * arch/riscv/mm/hugetlbpage.c). */
		uint64_t v = riscv_leaf(f);
		if (page == 1ull << 16) {
			if ((va | pa) & 0xffff)
				die("a NAPOT 64K page needs 64K-aligned VA and PA");
			uint64_t e = ((v | encode_pa(pa) | (0x8ull << 10) | (1ull << 63)) | f->set) & ~f->clear;
			for (unsigned i = 0; i < 16; i++)
				put_leaf(root, va + i * 4096, 0, e);
			return;
		}
		unsigned level = 9;
		for (unsigned l = 0; l < g.levels; l++)
			if (page == 1ull << level_shift(l))
				level = l;
		if (level == 9)
			die("riscv64 with %u levels has no %llu-byte leaf", g.levels,
			    (unsigned long long)page);
		put_leaf(root, va, level, ((v | encode_pa(pa)) | f->set) & ~f->clear);
		return;
	}

	if (g.arch == PPC64) {
		/* Leaves at the pte, pmd and pud. Hash with 4K pages writes a
		 * 16M page as 8 pmds and a 16G page as 64 puds, each entry's
		 * address one entry's span on (Linux 6.12
		 * arch/powerpc/mm/pgtable.c set_huge_pte_at()). */
		uint64_t v = (ppc64_leaf(f) | f->set) & ~f->clear;
		bool hash4k = !g.radix && g.page_shift == 12;
		unsigned level = 9, count = 1;
		for (unsigned l = 0; l < 3; l++)
			if (page == 1ull << level_shift(l))
				level = l;
		if (hash4k && page == 16ull << 20) { level = 1; count = 8; }
		if (hash4k && page == 16ull << 30) { level = 2; count = 64; }
		if (level == 9)
			die("powerpc64 %s with %uK pages has no %llu-byte leaf", g.radix ? "radix" : "hash",
			    1u << (g.page_shift - 10), (unsigned long long)page);
		uint64_t step = 1ull << level_shift(level);
		for (unsigned i = 0; i < count; i++)
			put_leaf(root, va + i * step, level, v | encode_pa(pa + i * step));
		return;
	}

	/* powerpc 8xx */
	const uint32_t SPS = 0x8, HUGE = 0x800, PMD_8M = 0xc;
	bool huge = page != 16384 || g.page_shift != 14;
	uint32_t flags = (uint32_t)((ppc_leaf(f) | f->set) & ~f->clear);
	if (page == 8u << 20) {
		if (va & ((8u << 20) - 1))
			die("8M page at unaligned VA 0x%llx", (unsigned long long)va);
		uint64_t pgd = g.roots[root].pa;
		uint64_t slot0 = slot_pa(pgd, 1, va), slot1 = slot0 + 4;
		uint32_t pmd_flags = 0x1 | (g.roots[root].user ? ppc_pmd_user() : 0) | PMD_8M;
		if (g.version >= ((6u << 16) | (11u << 8))) {
			/* 6.11+ (commit 0549e766): both PMDs flagged 8M, each
			 * with its own table of 1024 cells base + i*4K
			 * (Linux 6.12 arch/powerpc/mm/pgtable.c set_huge_pte_at). */
			for (unsigned half = 0; half < 2; half++) {
				uint64_t t = alloc_table();
				wr(half ? slot1 : slot0, t | pmd_flags);
				for (unsigned i = 0; i < 1024; i++) {
					uint64_t off = cell_offset(i, true, f->cells);
					wr(t + i * 4, (pa + half * (4u << 20) + off) | flags | HUGE | SPS);
				}
			}
		} else {
			/* Before 6.11: both PGD entries point to one hugepd
			 * holding a single cell (Linux 6.1
			 * arch/powerpc/include/asm/nohash/32/hugetlb-8xx.h
			 * hugepd_populate). */
			uint64_t t = alloc_table();
			wr(slot0, t | pmd_flags);
			wr(slot1, t | pmd_flags);
			wr(t, pa | flags | HUGE | SPS);
		}
		g.tcache[0].valid = false;
		return;
	}
	unsigned cells;
	uint32_t extra;
	if (page == 4096) {
		if (g.page_shift != 12)
			die("a 16K-page 8xx kernel has no 4K pages");
		cells = 1; extra = 0;
	} else if (page == 16384) {
		cells = 4; extra = SPS;
	} else if (page == 512u << 10) {
		cells = 128; extra = HUGE | SPS;
	} else {
		die("8xx leaves are 4K, 16K, 512K or 8M");
	}
	uint64_t table = table_for(root, va, 0);
	for (unsigned i = 0; i < cells; i++) {
		uint64_t off = cell_offset(i, huge, f->cells);
		wr(table + (((va >> 12) + i) & 1023) * 4, (pa + off) | flags | extra);
	}
}

/* ---- description parsing ---------------------------------------------- */

static struct flags parse_flags(char **tok, int ntok)
{
	struct flags f = { .young = true };
	for (int i = 0; i < ntok; i++) {
		const char *t = tok[i];
		if (!strcmp(t, "rw")) { f.rw = true; f.dirty = true; }
		else if (!strcmp(t, "ro")) f.rw = false;
		else if (!strcmp(t, "x")) f.x = true;
		else if (!strcmp(t, "nx")) f.x = false;
		else if (!strcmp(t, "user")) f.user = true;
		else if (!strcmp(t, "kernel")) f.user = false;
		else if (!strcmp(t, "dirty")) f.dirty = true;
		else if (!strcmp(t, "clean")) f.dirty = false;
		else if (!strcmp(t, "young")) f.young = true;
		else if (!strcmp(t, "old")) f.young = false;
		else if (!strcmp(t, "global")) f.global = true;
		else if (!strcmp(t, "nocache")) f.nocache = true;
		else if (!strcmp(t, "special")) f.special = true;
		else if (!strcmp(t, "updated")) f.cells = CELLS_UPDATED;
		else if (!strcmp(t, "cells=4k")) f.cells = CELLS_4K;
		else if (!strcmp(t, "cells=16k")) f.cells = CELLS_16K;
		else if (!strncmp(t, "set=", 4)) f.set |= num(t + 4);
		else if (!strncmp(t, "clear=", 6)) f.clear |= num(t + 6);
		else die("unknown flag '%s'", t);
	}
	return f;
}

static void set_arch_defaults(void)
{
	switch (g.arch) {
	case X86_64:
		g.page_shift = 12; g.levels = 4; g.va_bits = 48; g.esize = 8;
		g.big_endian = false;
		break;
	case ARM64:
		g.page_shift = 12; g.va_bits = 48; g.esize = 8; g.big_endian = false;
		break;
	case PPC8XX:
		g.page_shift = 12; g.levels = 2; g.va_bits = 32; g.esize = 4;
		g.big_endian = true;
		break;
	case RISCV64:
		g.page_shift = 12; g.va_bits = 48; g.esize = 8; g.big_endian = false;
		break;
	case PPC64:
		/* ppc64le with 64K pages and radix, as Debian's ppc64el. */
		g.page_shift = 16; g.levels = 4; g.esize = 8; g.big_endian = false;
		g.radix = true;
		break;
	}
	g.entry_be = g.big_endian || g.arch == PPC64;
}

/* Finish the geometry before the first table is allocated. */
static void freeze_geometry(void)
{
	static bool frozen;
	if (frozen)
		return;
	frozen = true;
	if (!g.arch_set)
		die("'arch' must come first");
	if (g.arch == ARM64) {
		/* ARM64_HW_PGTABLE_LEVELS (Linux 6.1 pgtable-hwdef.h). */
		g.levels = (g.va_bits - 4) / (g.page_shift - 3);
		g.lpa2 = g.page_shift != 16 && g.va_bits == 52;
	}
	if (g.arch == X86_64)
		g.va_bits = g.levels == 5 ? 57 : 48;
	if (g.arch == RISCV64) {
		if (g.va_bits != 39 && g.va_bits != 48 && g.va_bits != 57)
			die("riscv64 VA sizes are 39, 48 and 57");
		g.levels = (g.va_bits - 12) / 9;
		/* The image at KERNEL_LINK_ADDR, loaded at the start of RAM. */
		if (!g.va_kernel_pa_offset)
			g.va_kernel_pa_offset = 0xffffffff80000000ull + g.kaslr - g.ram[0].start;
	}
	if (g.arch == PPC64) {
		if (g.page_shift != 12 && g.page_shift != 16)
			die("powerpc64 pages are 4K or 64K");
		g.va_bits = level_shift(3) + ppc64_bits(3);
	}
	g.tsize = g.arch == PPC8XX ? 4096 : 1u << g.page_shift;
	if (!g.nram)
		die("no 'ram' line");
	if (!g.tables_at_set)
		g.tables_at = (g.ram[0].start + (16u << 20) + g.tsize - 1) & ~(uint64_t)(g.tsize - 1);
	if (g.tables_at & (g.tsize - 1))
		die("tables-at must be aligned to %u", g.tsize);
	/* The kernel's root (swapper_pg_dir / init_top_pgt) comes first. */
	snprintf(g.roots[0].name, sizeof g.roots[0].name, "kernel");
	g.roots[0].pa = alloc_level_table(g.levels - 1);
	g.nroots = 1;
	g.cur = 0;
	g.version = 0;
	unsigned a = 0, b = 0;
	if (sscanf(g.release, "%u.%u", &a, &b) == 2)
		g.version = (a << 16) | (b << 8);
}

static void drop_page(uint64_t pa)
{
	g.dropped = realloc(g.dropped, (g.ndropped + 1) * sizeof *g.dropped);
	if (!g.dropped)
		die("out of memory");
	g.dropped[g.ndropped++] = pa & ~(pfn_unit() - 1);
}

static bool is_dropped(uint64_t pa)
{
	for (size_t i = 0; i < g.ndropped; i++)
		if (g.dropped[i] == pa)
			return true;
	return false;
}

static void add_vmci(const char *line)
{
	size_t n = strlen(line);
	g.vmci_extra = realloc(g.vmci_extra, g.vmci_extra_len + n + 2);
	if (!g.vmci_extra)
		die("out of memory");
	memcpy(g.vmci_extra + g.vmci_extra_len, line, n);
	g.vmci_extra_len += n;
	g.vmci_extra[g.vmci_extra_len++] = '\n';
	g.vmci_extra[g.vmci_extra_len] = '\0';
}

/* Directives that set one number: where it goes. */
static uint64_t *number_directive(const char *cmd)
{
	static const struct { const char *name; uint64_t *value; } numbers[] = {
		{ "tables-at", &g.tables_at },
		{ "kaslr", &g.kaslr },
		{ "phys-base", &g.phys_base },
		{ "kimage-voffset", &g.kimage_voffset },
		{ "sme-mask", &g.sme_mask },
		{ "page-offset", &g.page_offset },
		{ "va-kernel-pa-offset", &g.va_kernel_pa_offset },
	};
	for (size_t i = 0; i < sizeof numbers / sizeof numbers[0]; i++)
		if (!strcmp(cmd, numbers[i].name))
			return numbers[i].value;
	return NULL;
}

static void parse_line(char *line)
{
	char *tok[32];
	int n = 0;
	char *save = NULL;

	char *hash = strchr(line, '#');
	if (hash)
		*hash = '\0';
	for (char *t = strtok_r(line, " \t\r\n", &save); t && n < 32; t = strtok_r(NULL, " \t\r\n", &save))
		tok[n++] = t;
	if (n == 0)
		return;
	const char *cmd = tok[0];
#define NEED(k) do { if (n < (k) + 1) die("'%s' needs %d arguments", cmd, (k)); } while (0)

	if (!strcmp(cmd, "arch")) {
		NEED(1);
		if (!strcmp(tok[1], "x86_64")) g.arch = X86_64;
		else if (!strcmp(tok[1], "arm64")) g.arch = ARM64;
		else if (!strcmp(tok[1], "ppc8xx")) g.arch = PPC8XX;
		else if (!strcmp(tok[1], "riscv64")) g.arch = RISCV64;
		else if (!strcmp(tok[1], "ppc64")) g.arch = PPC64;
		else die("unknown arch '%s'", tok[1]);
		g.arch_set = true;
		set_arch_defaults();
	} else if (!strcmp(cmd, "page-size")) {
		NEED(1);
		uint64_t v = num(tok[1]);
		if (v != 4096 && v != 16384 && v != 65536)
			die("page size must be 4K, 16K or 64K");
		g.page_shift = (unsigned)__builtin_ctzll(v);
	} else if (!strcmp(cmd, "mmu")) {
		NEED(1);
		if (g.arch != PPC64)
			die("'mmu' is for ppc64");
		if (!strcmp(tok[1], "radix")) g.radix = true;
		else if (!strcmp(tok[1], "hash")) g.radix = false;
		else die("mmu is radix or hash");
	} else if (!strcmp(cmd, "endian")) {
		NEED(1);
		if (g.arch != PPC64)
			die("'endian' is for ppc64");
		g.big_endian = !strcmp(tok[1], "big");
	} else if (!strcmp(cmd, "va-bits")) {
		NEED(1);
		g.va_bits = (unsigned)num(tok[1]);
	} else if (!strcmp(cmd, "levels")) {
		NEED(1);
		g.levels = (unsigned)num(tok[1]);
		if (g.arch == X86_64 && g.levels != 4 && g.levels != 5)
			die("x86_64 has 4 or 5 levels");
	} else if (!strcmp(cmd, "release")) {
		NEED(1);
		snprintf(g.release, sizeof g.release, "%s", tok[1]);
	} else if (!strcmp(cmd, "ram")) {
		NEED(2);
		if (g.nram == MAX_RAM)
			die("too many ram ranges");
		g.ram[g.nram].start = num(tok[1]);
		g.ram[g.nram].end = g.ram[g.nram].start + num(tok[2]);
		g.nram++;
	} else if (number_directive(cmd)) {
		NEED(1);
		*number_directive(cmd) = num(tok[1]);
		if (!strcmp(cmd, "tables-at"))
			g.tables_at_set = true;
	} else if (!strcmp(cmd, "build-id")) {
		NEED(1);
		snprintf(g.build_id, sizeof g.build_id, "%s", tok[1]);
	} else if (!strcmp(cmd, "vmcoreinfo")) {
		NEED(1);
		g.vmcoreinfo = strcmp(tok[1], "off") != 0;
	} else if (!strcmp(cmd, "vmcoreinfo-line")) {
		NEED(1);
		add_vmci(tok[1]);
	} else if (!strcmp(cmd, "vmcoreinfo-drop")) {
		NEED(1);
		if (g.nvmci_drop == 32)
			die("too many vmcoreinfo-drop lines");
		g.vmci_drop[g.nvmci_drop++] = strdup(tok[1]);
	} else if (!strcmp(cmd, "kallsyms")) {
		g.kallsyms = true;
	} else if (!strcmp(cmd, "cpus")) {
		NEED(1);
		g.ncpus = (unsigned)num(tok[1]);
	} else if (!strcmp(cmd, "elf-style")) {
		NEED(1);
		if (!strcmp(tok[1], "tables")) g.style = STYLE_TABLES;
		else if (!strcmp(tok[1], "physical")) g.style = STYLE_PHYSICAL;
		else if (!strcmp(tok[1], "kexec")) g.style = STYLE_KEXEC;
		else if (!strcmp(tok[1], "kcore")) g.style = STYLE_KCORE;
		else die("unknown elf-style '%s'", tok[1]);
	} else if (!strcmp(cmd, "kdump-block")) {
		NEED(1);
		g.kdump_block = num(tok[1]);
	} else if (!strcmp(cmd, "kdump-compress")) {
		NEED(1);
		if (!strcmp(tok[1], "none")) g.compress = C_NONE;
		else if (!strcmp(tok[1], "zlib")) g.compress = C_ZLIB;
		else if (!strcmp(tok[1], "lzo")) g.compress = C_LZO;
		else if (!strcmp(tok[1], "snappy")) g.compress = C_SNAPPY;
		else if (!strcmp(tok[1], "zstd")) g.compress = C_ZSTD;
		else die("unknown compression '%s'", tok[1]);
	} else if (!strcmp(cmd, "kdump-machine")) {
		snprintf(g.kdump_machine, sizeof g.kdump_machine, "%s", n > 1 ? tok[1] : "");
		g.kdump_machine_set = true;
	} else if (!strcmp(cmd, "root")) {
		NEED(1);
		freeze_geometry();
		size_t i;
		for (i = 0; i < g.nroots; i++)
			if (!strcmp(g.roots[i].name, tok[1]))
				break;
		if (i == g.nroots) {
			if (g.nroots == MAX_ROOTS)
				die("too many roots");
			snprintf(g.roots[i].name, sizeof g.roots[i].name, "%s", tok[1]);
			g.roots[i].pa = alloc_level_table(g.levels - 1);
			g.roots[i].user = n > 2 && !strcmp(tok[2], "user");
			g.nroots++;
		}
		g.cur = i;
	} else if (!strcmp(cmd, "map")) {
		/* map VA SIZE PA PAGE [flags...] */
		NEED(4);
		freeze_geometry();
		uint64_t va = num(tok[1]), size = num(tok[2]), pa = num(tok[3]), page = num(tok[4]);
		struct flags f = parse_flags(tok + 5, n - 5);
		if (!page || (page & (page - 1)))
			die("page size must be a power of two");
		if ((va | size | pa) & (page - 1))
			die("VA, size and PA must be multiples of the page size");
		if (va + size < va && va + size != 0)
			die("range wraps");
		for (uint64_t off = 0; off < size; off += page)
			map_one(g.cur, va + off, pa + off, page, &f);
	} else if (!strcmp(cmd, "entry")) {
		/* entry VA LEVEL VALUE: a raw entry at VA's slot of LEVEL */
		NEED(3);
		freeze_geometry();
		uint64_t va = num(tok[1]);
		int level = parse_level(tok[2]);
		wr(slot_for(g.cur, va, (unsigned)level), num(tok[3]));
		memset(g.tcache, 0, sizeof g.tcache);
	} else if (!strcmp(cmd, "link")) {
		/* link VA LEVEL TARGET [COUNT]: table descriptors to TARGET,
		 * a PA, or @VA2: the table VA2's slot of LEVEL points to */
		NEED(3);
		freeze_geometry();
		uint64_t va = num(tok[1]);
		int level = parse_level(tok[2]);
		if (level == 0)
			die("link needs a level above pte");
		uint64_t target, count = n > 4 ? num(tok[4]) : 1;
		if (tok[3][0] == '@') {
			/* @VA2 in this root, or @ROOT:VA2 in another (tables
			 * processes share). */
			size_t from = g.cur;
			const char *at = tok[3] + 1, *colon = strchr(at, ':');
			if (colon) {
				for (from = 0; from < g.nroots; from++)
					if (strlen(g.roots[from].name) == (size_t)(colon - at) &&
					    !strncmp(g.roots[from].name, at, (size_t)(colon - at)))
						break;
				if (from == g.nroots)
					die("link %s: no such root", tok[3]);
				at = colon + 1;
			}
			uint64_t e = rd(slot_for(from, num(at), (unsigned)level));
			if (!is_table(e, (unsigned)level))
				die("link %s: no table there", tok[3]);
			target = decode_pa(e);
		} else {
			target = num(tok[3]);
		}
		for (uint64_t i = 0; i < count; i++) {
			uint64_t v = va + (i << level_shift((unsigned)level));
			wr(slot_for(g.cur, v, (unsigned)level),
			   table_entry(target, g.roots[g.cur].user, (unsigned)level - 1));
		}
		memset(g.tcache, 0, sizeof g.tcache);
	} else if (!strcmp(cmd, "vmcoreinfo-at")) {
		/* vmcoreinfo-at PA: the kernel's note in memory at PA, as
		 * crash_save_vmcoreinfo_init() leaves it (a page of its own). */
		NEED(1);
		freeze_geometry();
		g.vmci_at = num(tok[1]);
		g.vmci_at_set = true;
		if (g.vmci_at & 4095)
			die("vmcoreinfo-at needs a page-aligned address");
	} else if (!strcmp(cmd, "data")) {
		/* data PA TEXT: bytes of TEXT at PA (same page) */
		NEED(2);
		freeze_geometry();
		uint64_t pa = num(tok[1]);
		size_t len = strlen(tok[2]);
		if ((pa & (pfn_unit() - 1)) + len > pfn_unit())
			die("data crosses a page");
		memcpy(phys(pa, true), tok[2], len);
	} else if (!strcmp(cmd, "word")) {
		/* word PA VALUE [BYTES]: an integer of BYTES (8 default) in the
		 * image's byte order, for kernel structures in tests */
		NEED(2);
		freeze_geometry();
		uint64_t pa = num(tok[1]), v = num(tok[2]);
		unsigned bytes = n > 3 ? (unsigned)num(tok[3]) : 8;
		if (bytes != 1 && bytes != 2 && bytes != 4 && bytes != 8)
			die("word of %u bytes", bytes);
		if ((pa & (pfn_unit() - 1)) + bytes > pfn_unit())
			die("word crosses a page");
		uint8_t *dst = phys(pa, true);
		for (unsigned i = 0; i < bytes; i++)
			dst[i] = (uint8_t)(v >> (8 * (g.big_endian ? bytes - 1 - i : i)));
	} else if (!strcmp(cmd, "blob")) {
		/* blob PA FILE: the bytes of FILE from PA, for kernel data
		 * built outside (kallsyms tables, BTF) */
		NEED(2);
		freeze_geometry();
		uint64_t pa = num(tok[1]);
		FILE *bf = fopen(tok[2], "rb");
		if (!bf)
			die("blob %s: %s", tok[2], strerror(errno));
		uint8_t chunk[4096];
		size_t got;
		while ((got = fread(chunk, 1, sizeof chunk - (pa & (sizeof chunk - 1)), bf)) > 0) {
			/* Within one 4K page, so within one stored page. */
			memcpy(phys(pa, true), chunk, got);
			pa += got;
		}
		if (ferror(bf))
			die("blob %s: read error", tok[2]);
		fclose(bf);
	} else if (!strcmp(cmd, "fill")) {
		/* fill PA SIZE BYTE: store SIZE bytes of BYTE from PA */
		NEED(3);
		freeze_geometry();
		uint64_t pa = num(tok[1]), size = num(tok[2]);
		int byte = (int)num(tok[3]);
		for (uint64_t off = 0; off < size; off += pfn_unit()) {
			uint64_t chunk = size - off < pfn_unit() ? size - off : pfn_unit();
			memset(phys(pa + off, true), byte, chunk);
		}
	} else if (!strcmp(cmd, "drop")) {
		NEED(1);
		freeze_geometry();
		drop_page(num(tok[1]));
	} else {
		die("unknown directive '%s'", cmd);
	}
#undef NEED
}

/* ---- VMCOREINFO ------------------------------------------------------ */

struct buf {
	uint8_t *p;
	size_t len, cap;
};

static void buf_put(struct buf *b, const void *d, size_t n)
{
	if (b->len + n > b->cap) {
		b->cap = (b->len + n) * 2 + 64;
		b->p = realloc(b->p, b->cap);
		if (!b->p)
			die("out of memory");
	}
	memcpy(b->p + b->len, d, n);
	b->len += n;
}

static void __attribute__((format(printf, 2, 3))) buf_printf(struct buf *b, const char *fmt, ...)
{
	char line[256];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	const char *eq = strchr(line, '=');
	for (size_t i = 0; eq && i < g.nvmci_drop; i++)
		if (strlen(g.vmci_drop[i]) == (size_t)(eq - line) &&
		    !memcmp(line, g.vmci_drop[i], (size_t)(eq - line)))
			return;
	buf_put(b, line, (size_t)n);
}

static uint64_t kernel_root_va(void)
{
	uint64_t root = g.roots[0].pa;
	switch (g.arch) {
	case X86_64:
		/* __pa_symbol inverse (Linux 6.1 arch/x86/include/asm/page_64.h). */
		if (root < g.phys_base)
			die("kernel root below phys-base");
		return root - g.phys_base + 0xffffffff80000000ull;
	case ARM64:
		return root + g.kimage_voffset;
	case PPC8XX:
		return root + g.page_offset;
	case RISCV64:
		return root + g.va_kernel_pa_offset;
	case PPC64:
		return root | 0xc000000000000000ull;	/* __va() */
	}
	return 0;
}

/* riscv64's PAGE_OFFSET for the mode: CONFIG_PAGE_OFFSET for Sv57,
 * PAGE_OFFSET_L4 and _L3 (Linux 6.12 arch/riscv/include/asm/page.h). */
static uint64_t riscv_page_offset(void)
{
	return g.va_bits == 57 ? 0xff60000000000000ull :
	       g.va_bits == 48 ? 0xffffaf8000000000ull : 0xffffffd600000000ull;
}

/* The note text as the kernel writes it (Linux 6.1 kernel/crash_core.c,
 * arch/x86/kernel/crash_core_64.c, arch/arm64/kernel/crash_core.c). */
static void build_vmcoreinfo(struct buf *b)
{
	uint64_t kroot = kernel_root_va();

	buf_printf(b, "OSRELEASE=%s\n", g.release);
	buf_printf(b, "BUILD-ID=%s\n", g.build_id);
	buf_printf(b, "PAGESIZE=%u\n", 1u << g.page_shift);
	buf_printf(b, "SYMBOL(init_uts_ns)=%llx\n", (unsigned long long)(kroot + 0x10000));
	buf_printf(b, "OFFSET(uts_namespace.name)=4\n");
	buf_printf(b, "SYMBOL(swapper_pg_dir)=%llx\n", (unsigned long long)kroot);
	buf_printf(b, "SYMBOL(_stext)=%llx\n", (unsigned long long)(kroot & ~0xffffffull));
	if (g.kallsyms) {
		uint64_t k = kroot + 0x200000;
		buf_printf(b, "SYMBOL(kallsyms_names)=%llx\n", (unsigned long long)k);
		buf_printf(b, "SYMBOL(kallsyms_num_syms)=%llx\n", (unsigned long long)(k + 0x100));
		buf_printf(b, "SYMBOL(kallsyms_token_table)=%llx\n", (unsigned long long)(k + 0x200));
		buf_printf(b, "SYMBOL(kallsyms_token_index)=%llx\n", (unsigned long long)(k + 0x300));
		buf_printf(b, "SYMBOL(kallsyms_offsets)=%llx\n", (unsigned long long)(k + 0x400));
		buf_printf(b, "SYMBOL(kallsyms_relative_base)=%llx\n", (unsigned long long)(k + 0x500));
	}
	buf_printf(b, "SIZE(page)=64\n");
	switch (g.arch) {
	case X86_64:
		buf_printf(b, "NUMBER(phys_base)=%lld\n", (long long)g.phys_base);
		buf_printf(b, "SYMBOL(init_top_pgt)=%llx\n", (unsigned long long)kroot);
		buf_printf(b, "NUMBER(pgtable_l5_enabled)=%d\n", g.levels == 5);
		buf_printf(b, "KERNELOFFSET=%llx\n", (unsigned long long)g.kaslr);
		buf_printf(b, "NUMBER(KERNEL_IMAGE_SIZE)=%d\n", 1 << 30);
		buf_printf(b, "NUMBER(sme_mask)=%lld\n", (long long)g.sme_mask);
		break;
	case ARM64:
		buf_printf(b, "NUMBER(VA_BITS)=%u\n", g.va_bits);
		buf_printf(b, "NUMBER(kimage_voffset)=0x%llx\n", (unsigned long long)g.kimage_voffset);
		buf_printf(b, "NUMBER(PHYS_OFFSET)=0x%llx\n", (unsigned long long)g.ram[0].start);
		buf_printf(b, "NUMBER(TCR_EL1_T1SZ)=0x%x\n", 64 - g.va_bits);
		buf_printf(b, "KERNELOFFSET=%llx\n", (unsigned long long)g.kaslr);
		buf_printf(b, "NUMBER(KERNELPACMASK)=0x0\n");
		break;
	case PPC8XX:
		break;
	case PPC64:
		/* Linux 6.12 arch/powerpc/kexec/vmcore_info.c; RADIX_MMU
		 * since 6.7. */
		buf_printf(b, "SYMBOL(vmemmap_list)=%llx\n", (unsigned long long)(kroot + 0x20000));
		buf_printf(b, "SYMBOL(mmu_vmemmap_psize)=%llx\n", (unsigned long long)(kroot + 0x20100));
		buf_printf(b, "SYMBOL(mmu_psize_defs)=%llx\n", (unsigned long long)(kroot + 0x20200));
		buf_printf(b, "SYMBOL(cur_cpu_spec)=%llx\n", (unsigned long long)(kroot + 0x20300));
		if (!g.version || g.version >= ((6u << 16) | (7u << 8)))
			buf_printf(b, "NUMBER(RADIX_MMU)=%d\n", g.radix);
		buf_printf(b, "KERNELOFFSET=%llx\n", (unsigned long long)g.kaslr);
		break;
	case RISCV64: {
		/* Linux 6.12 arch/riscv/kernel/vmcore_info.c, the layout of
		 * arch/riscv/include/asm/pgtable.h: VMALLOC below PAGE_OFFSET
		 * by KERN_VIRT_SIZE / 2, vmemmap below it, modules in the 2G
		 * below the image's end. */
		uint64_t po = riscv_page_offset();
		uint64_t vmalloc_start = po - (1ull << (g.va_bits - 3));
		uint64_t vmemmap_start = vmalloc_start - (1ull << (g.va_bits - 7));
		uint64_t link = 0xffffffff80000000ull;
		buf_printf(b, "NUMBER(phys_ram_base)=%lld\n", (long long)g.ram[0].start);
		buf_printf(b, "NUMBER(PAGE_OFFSET)=0x%llx\n", (unsigned long long)po);
		buf_printf(b, "NUMBER(VMALLOC_END)=0x%llx\n", (unsigned long long)po);
		buf_printf(b, "NUMBER(VA_BITS)=%u\n", g.va_bits);
		buf_printf(b, "NUMBER(VMEMMAP_START)=0x%llx\n", (unsigned long long)vmemmap_start);
		buf_printf(b, "NUMBER(VMEMMAP_END)=0x%llx\n", (unsigned long long)vmalloc_start);
		buf_printf(b, "NUMBER(MODULES_VADDR)=0x%llx\n",
			   (unsigned long long)(link + g.kaslr + (32ull << 20) - (2ull << 30)));
		buf_printf(b, "NUMBER(MODULES_END)=0x%llx\n", (unsigned long long)(link + g.kaslr));
		buf_printf(b, "NUMBER(KERNEL_LINK_ADDR)=0x%llx\n", (unsigned long long)link);
		buf_printf(b, "NUMBER(va_kernel_pa_offset)=0x%llx\n",
			   (unsigned long long)g.va_kernel_pa_offset);
		break;
	}
	}
	if (g.vmci_extra)
		buf_put(b, g.vmci_extra, g.vmci_extra_len);
}

/* ELF notes: NT_PRSTATUS per CPU (zeroed) and VMCOREINFO, 4-byte aligned
 * as the kernel's (Linux 6.1 kernel/crash_core.c append_elf_note). */
static void put_u32(struct buf *b, uint32_t v)
{
	v = g.big_endian ? htobe32(v) : htole32(v);
	buf_put(b, &v, 4);
}

static void put_note(struct buf *b, const char *name, uint32_t type, const void *desc, size_t len)
{
	static const uint8_t zero[4];
	size_t nlen = strlen(name) + 1;
	put_u32(b, (uint32_t)nlen);
	put_u32(b, (uint32_t)len);
	put_u32(b, type);
	buf_put(b, name, nlen);
	buf_put(b, zero, (4 - nlen % 4) % 4);
	if (len)
		buf_put(b, desc, len);
	buf_put(b, zero, (4 - len % 4) % 4);
}

static size_t vmcoreinfo_desc_off;	/* offset of VMCOREINFO text in notes */
static size_t vmcoreinfo_desc_len;

static void build_notes(struct buf *notes)
{
	/* sizeof(struct elf_prstatus): x86_64 336, arm64 392, ppc32 216. */
	/* riscv64: 112 bytes of header, 32 registers, 8 of pad. */
	/* ppc64: 112 bytes of header, 48 registers, fpvalid and pad. */
	size_t prsize = g.arch == X86_64 ? 336 : g.arch == ARM64 ? 392 : g.arch == RISCV64 ? 376 :
			g.arch == PPC64 ? 504 : 216;
	uint8_t *pr = xzalloc(prsize);
	for (unsigned i = 0; i < (g.ncpus ? g.ncpus : 1); i++)
		put_note(notes, "CORE", 1 /* NT_PRSTATUS */, pr, prsize);
	free(pr);
	if (g.vmcoreinfo) {
		struct buf vi = { 0 };
		build_vmcoreinfo(&vi);
		vmcoreinfo_desc_off = notes->len + 12 + 12;	/* header + "VMCOREINFO\0" padded */
		vmcoreinfo_desc_len = vi.len;
		put_note(notes, "VMCOREINFO", 0, vi.p, vi.len);
		free(vi.p);
	}
}

/* The VMCOREINFO note where vmcoreinfo-at put it: Elf_Nhdr (namesz 11,
 * descsz, type 0), "VMCOREINFO" padded to 12, the text (Linux 6.12
 * kernel/vmcore_info.c update_vmcoreinfo_note(), append_elf_note()). */
static void put_vmcoreinfo_in_memory(void)
{
	struct buf vi = { 0 }, note = { 0 };
	build_vmcoreinfo(&vi);
	put_note(&note, "VMCOREINFO", 0, vi.p, vi.len);
	if (note.len > pfn_unit())
		die("the VMCOREINFO note does not fit a page");
	memcpy(phys(g.vmci_at, true), note.p, note.len);
	free(vi.p);
	free(note.p);
}

/* ---- the stored pages, in physical order ------------------------------ */

struct stored {
	uint64_t pa;
	const uint8_t *buf;
};

static struct stored *stored;
static size_t nstored;

static int stored_cmp(const void *a, const void *b)
{
	const struct stored *x = a, *y = b;
	return x->pa < y->pa ? -1 : x->pa > y->pa;
}

static void collect_stored(void)
{
	nstored = 0;
	stored = realloc(stored, (g.ntables + g.ndata + 1) * sizeof *stored);
	if (!stored)
		die("out of memory");
	for (uint64_t i = 0; i < g.ntables; i++) {
		uint64_t pa = g.tables_at + i * g.tsize;
		if (!is_dropped(pa))
			stored[nstored++] = (struct stored){ pa, g.tables + i * g.tsize };
	}
	for (size_t i = 0; i < g.ndata; i++)
		if (!is_dropped(g.data[i].pa))
			stored[nstored++] = (struct stored){ g.data[i].pa, g.data[i].buf };
	qsort(stored, nstored, sizeof *stored, stored_cmp);
}

static void pwrite_all(int fd, const void *buf, size_t len, uint64_t off, const char *path)
{
	const uint8_t *p = buf;
	while (len) {
		ssize_t n = pwrite(fd, p, len, (off_t)off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			die("%s: write: %s", path, strerror(errno));
		p += n;
		len -= (size_t)n;
		off += (uint64_t)n;
	}
}

static int create_out(const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		die("%s: %s", path, strerror(errno));
	return fd;
}

static void close_out(int fd, uint64_t size, const char *path)
{
	if (ftruncate(fd, (off_t)size) || close(fd))
		die("%s: %s", path, strerror(errno));
}

/* ---- ELF ---------------------------------------------------------------- */

struct seg {
	uint64_t vaddr, paddr, memsz, filesz, offset;
	uint32_t type;
};

static uint64_t linear_base(void)
{
	switch (g.arch) {
	case X86_64:	/* page_offset_base default (Linux 6.1 Documentation/x86/x86_64/mm.rst) */
		return g.levels == 5 ? 0xff11000000000000ull : 0xffff888000000000ull;
	case ARM64:	/* PAGE_OFFSET = -(1 << VA_BITS) (Linux 6.1 memory.h) */
		return (uint64_t)-(1ll << g.va_bits) - g.ram[0].start;
	case PPC8XX:
		return g.page_offset;
	case RISCV64:	/* linear_mapping_pa_to_va() */
		return riscv_page_offset() - g.ram[0].start;
	case PPC64:	/* PAGE_OFFSET */
		return 0xc000000000000000ull;
	}
	return 0;
}

static void write_elf(const char *path)
{
	bool is64 = g.arch != PPC8XX;
	uint16_t machine = g.arch == X86_64 ? 62 : g.arch == ARM64 ? 183 : g.arch == RISCV64 ? 243 :
			   g.arch == PPC64 ? 21 : 20;
	struct buf notes = { 0 };
	struct seg segs[4096];
	size_t nseg = 0;

	build_notes(&notes);
	collect_stored();

	/* Segments first (offsets later). */
	if (g.style == STYLE_TABLES) {
		for (size_t i = 0; i < nstored; i++) {
			if (nseg && segs[nseg - 1].paddr + segs[nseg - 1].memsz == stored[i].pa) {
				segs[nseg - 1].memsz += g.tsize;
				continue;
			}
			if (nseg == 4096)
				die("too many segments");
			segs[nseg++] = (struct seg){ stored[i].pa, stored[i].pa, g.tsize, 0, 0, 1 };
		}
	} else {
		for (size_t r = 0; r < g.nram; r++) {
			uint64_t va = g.style == STYLE_PHYSICAL ? g.ram[r].start : linear_base() + g.ram[r].start;
			segs[nseg++] = (struct seg){ va, g.ram[r].start, g.ram[r].end - g.ram[r].start, 0, 0, 1 };
		}
		if (g.style != STYLE_PHYSICAL && g.arch != PPC8XX && g.arch != PPC64) {
			/* The kernel image mapped a second time, overlapping the
			 * direct map physically, as kexec's /proc/vmcore shows. */
			uint64_t text_pa = g.roots[0].pa & ~((2ull << 20) - 1);
			uint64_t text_va = kernel_root_va() & ~((2ull << 20) - 1);
			segs[nseg++] = (struct seg){ text_va, text_pa, 2ull << 20, 0, 0, 1 };
		}
		if (g.style == STYLE_KCORE) {
			/* vmalloc space: p_paddr -1 (Linux 6.12 fs/proc/kcore.c). */
			uint64_t none = is64 ? UINT64_MAX : UINT32_MAX;
			segs[nseg++] = (struct seg){ is64 ? 0xffffc90000000000ull : 0xd0000000u, none, 1ull << 20, 0, 0, 1 };
		}
		for (size_t i = 0; i < nstored; i++) {
			bool in = false;
			for (size_t r = 0; r < g.nram; r++)
				in |= stored[i].pa >= g.ram[r].start && stored[i].pa < g.ram[r].end;
			if (!in)
				die("page 0x%llx is outside every ram range", (unsigned long long)stored[i].pa);
		}
	}

	size_t ehsize = is64 ? 64 : 52, phentsize = is64 ? 56 : 32;
	size_t phnum = nseg + 1;
	uint64_t notes_off = ehsize + phnum * phentsize;
	uint64_t off = notes_off + notes.len;
	for (size_t i = 0; i < nseg; i++) {
		/* QEMU leaves its single PT_LOAD at an unaligned offset;
		 * the other writers align to the page. */
		if (g.style != STYLE_PHYSICAL)
			off = (off + g.tsize - 1) & ~(uint64_t)(g.tsize - 1);
		segs[i].offset = off;
		segs[i].filesz = segs[i].memsz;
		off += segs[i].filesz;
	}
	uint64_t total = off;

	int fd = create_out(path);
	struct buf h = { 0 };
	uint8_t ident[16] = { 0x7f, 'E', 'L', 'F', is64 ? 2 : 1, g.big_endian ? 2 : 1, 1 };
	buf_put(&h, ident, 16);
#define P16(v) do { uint16_t x_ = g.big_endian ? htobe16(v) : htole16(v); buf_put(&h, &x_, 2); } while (0)
#define P32(v) do { uint32_t x_ = g.big_endian ? htobe32(v) : htole32(v); buf_put(&h, &x_, 4); } while (0)
#define P64(v) do { uint64_t x_ = g.big_endian ? htobe64(v) : htole64(v); buf_put(&h, &x_, 8); } while (0)
#define PADDR(v) do { if (is64) P64(v); else P32((uint32_t)(v)); } while (0)
	P16(4);			/* ET_CORE */
	P16(machine);
	P32(1);
	PADDR(0);		/* e_entry */
	PADDR(ehsize);		/* e_phoff */
	PADDR(0);		/* e_shoff */
	P32(0);
	P16((uint16_t)ehsize);
	P16((uint16_t)phentsize);
	P16((uint16_t)phnum);
	P16(0); P16(0); P16(0);
	/* PT_NOTE */
	if (is64) {
		P32(4); P32(0); P64(notes_off); P64(0); P64(0); P64(notes.len); P64(0); P64(0);
	} else {
		P32(4); P32(notes_off); P32(0); P32(0); P32((uint32_t)notes.len); P32(0); P32(0); P32(0);
	}
	for (size_t i = 0; i < nseg; i++) {
		if (is64) {
			P32(1); P32(7); P64(segs[i].offset); P64(segs[i].vaddr); P64(segs[i].paddr);
			P64(segs[i].filesz); P64(segs[i].memsz); P64(0);
		} else {
			P32(1); P32((uint32_t)segs[i].offset); P32((uint32_t)segs[i].vaddr);
			P32((uint32_t)segs[i].paddr); P32((uint32_t)segs[i].filesz);
			P32((uint32_t)segs[i].memsz); P32(7); P32(0);
		}
	}
#undef P16
#undef P32
#undef P64
#undef PADDR
	buf_put(&h, notes.p, notes.len);
	pwrite_all(fd, h.p, h.len, 0, path);
	for (size_t i = 0; i < nstored; i++) {
		for (size_t s = 0; s < nseg; s++) {
			if (segs[s].paddr <= stored[i].pa && stored[i].pa < segs[s].paddr + segs[s].memsz) {
				pwrite_all(fd, stored[i].buf, g.tsize,
					   segs[s].offset + (stored[i].pa - segs[s].paddr), path);
				break;
			}
		}
	}
	close_out(fd, total, path);
	free(h.p);
	free(notes.p);
}

/* ---- kdump-compressed ------------------------------------------------- */

static uint64_t max_pa(void)
{
	uint64_t m = 0;
	for (size_t r = 0; r < g.nram; r++)
		if (g.ram[r].end > m)
			m = g.ram[r].end;
	for (size_t i = 0; i < nstored; i++)
		if (stored[i].pa + g.tsize > m)
			m = stored[i].pa + g.tsize;
	return m;
}

static size_t compress_block(const uint8_t *in, size_t len, uint8_t *out, size_t cap)
{
	switch (g.compress) {
	case C_NONE:
		return 0;
	case C_ZLIB: {
		uLongf n = cap;
		return compress2(out, &n, in, len, Z_BEST_SPEED) == Z_OK ? n : 0;
	}
	case C_LZO: {
		static uint8_t wrk[LZO1X_1_MEM_COMPRESS];
		lzo_uint n = cap;
		return lzo1x_1_compress(in, len, out, &n, wrk) == LZO_E_OK ? n : 0;
	}
	case C_SNAPPY: {
		size_t n = cap;
		return snappy_compress((const char *)in, len, (char *)out, &n) == SNAPPY_OK ? n : 0;
	}
	case C_ZSTD: {
		size_t n = ZSTD_compress(out, cap, in, len, 1);
		return ZSTD_isError(n) ? 0 : n;
	}
	}
	return 0;
}

/* Block B's content assembled from stored pages; returns false when no
 * stored page lies in it. */
static bool block_content(uint64_t block_pa, uint64_t bsize, uint8_t *out, size_t *cursor)
{
	bool any = false;
	memset(out, 0, bsize);
	while (*cursor < nstored && stored[*cursor].pa < block_pa)
		(*cursor)++;
	for (size_t i = *cursor; i < nstored && stored[i].pa < block_pa + bsize; i++) {
		uint64_t len = g.tsize < bsize ? g.tsize : bsize;
		memcpy(out + (stored[i].pa - block_pa), stored[i].buf, len);
		any = true;
	}
	return any;
}

/* The diskdump layout of makedumpfile's diskdump_mod.h, header version 6:
 * header block, sub-header blocks (with notes), the two bitmaps (RAM, then
 * dumped), page descriptors, page data. */
/* The kdump file at PATH, or with SPLIT > 1 the SPLIT files PATH.1 ...
 * of a makedumpfile --split dump: each a whole kdump file (header,
 * sub-header with split set and its PFN range, both bitmaps) holding the
 * dumped blocks of its range, the ranges splitting the dumped blocks
 * evenly. */
static void write_kdump(const char *path, const char *flat_path, unsigned split)
{
	bool is64 = g.arch != PPC8XX;
	uint64_t bsize = g.kdump_block ? g.kdump_block : (1ull << g.page_shift);
	if (bsize < g.tsize)
		die("kdump block smaller than a table page");
	collect_stored();

	struct buf notes = { 0 };
	build_notes(&notes);
	size_t subhdr_size = is64 ? 104 : 80;
	uint64_t sub_blocks = (subhdr_size + notes.len + bsize - 1) / bsize;
	uint64_t max_mapnr = (max_pa() + bsize - 1) / bsize;
	uint64_t bitmap_bytes = (max_mapnr + 7) / 8;
	uint64_t bitmap_blocks1 = (bitmap_bytes + bsize - 1) / bsize;
	if (!bitmap_blocks1)
		bitmap_blocks1 = 1;
	uint64_t bitmap_blocks = 2 * bitmap_blocks1;
	uint8_t *bm_ram = xzalloc(bitmap_blocks1 * bsize), *bm_dump = xzalloc(bitmap_blocks1 * bsize);

	for (size_t r = 0; r < g.nram; r++)
		for (uint64_t b = g.ram[r].start / bsize; b < (g.ram[r].end + bsize - 1) / bsize; b++)
			bm_ram[b / 8] |= (uint8_t)(1u << (b % 8));
	uint64_t ndumped = 0;
	for (size_t i = 0; i < nstored; i++) {
		uint64_t b = stored[i].pa / bsize;
		bm_ram[b / 8] |= (uint8_t)(1u << (b % 8));
		if (!(bm_dump[b / 8] & (1u << (b % 8)))) {
			bm_dump[b / 8] |= (uint8_t)(1u << (b % 8));
			ndumped++;
		}
	}

	uint64_t desc_off = (1 + sub_blocks + bitmap_blocks) * bsize;
	uint8_t *bm_part = xzalloc(bitmap_blocks1 * bsize);
	uint8_t *hdr = xzalloc(bsize);
	uint8_t *block = xzalloc(bsize);
	size_t cap = bsize * 2 + 1024;
	uint8_t *cbuf = xzalloc(cap);
	uint8_t *descs = xzalloc(ndumped * 24 + 1);
	uint64_t part_start = 0, seen = 0, b_next = 0;
	char part_path[4096];
	if (split < 1)
		split = 1;
	for (unsigned part = 0; part < split; part++) {
	/* This part's blocks: [part_start, part_end), holding its share of
	 * the dumped ones. */
	uint64_t share = ndumped * (part + 1) / split, part_end = max_mapnr;
	if (part + 1 < split) {
		for (b_next = part_start; b_next < max_mapnr && seen < share; b_next++)
			if (bm_dump[b_next / 8] & (1u << (b_next % 8)))
				seen++;
		part_end = b_next;
	}
	memset(bm_part, 0, bitmap_blocks1 * bsize);
	uint64_t ndumped_part = 0;
	for (uint64_t b = part_start; b < part_end; b++) {
		if (bm_dump[b / 8] & (1u << (b % 8))) {
			bm_part[b / 8] |= (uint8_t)(1u << (b % 8));
			ndumped_part++;
		}
	}
	if (split > 1)
		snprintf(part_path, sizeof part_path, "%s.%u", path, part + 1);
	else
		snprintf(part_path, sizeof part_path, "%s", path);
	const char *out_path = part_path;
	uint64_t data_off = desc_off + ndumped_part * 24;
	int fd = create_out(out_path);

	/* Page data and descriptors, in PFN order. */
	uint64_t pos = data_off, zero_off = 0;
	bool zero_written = false;
	size_t cursor = 0, d = 0;
	for (uint64_t b = part_start; b < part_end; b++) {
		if (!(bm_part[b / 8] & (1u << (b % 8))))
			continue;
		block_content(b * bsize, bsize, block, &cursor);
		uint64_t off;
		uint32_t size, flags;
		bool zero = true;
		for (uint64_t i = 0; i < bsize && zero; i++)
			zero = !block[i];
		if (zero && zero_written) {
			/* makedumpfile stores one zero page and points every
			 * zero page's descriptor at it. */
			off = zero_off; size = (uint32_t)bsize; flags = 0;
		} else {
			size_t n = compress_block(block, bsize, cbuf, cap);
			if (n && n < bsize) {
				pwrite_all(fd, cbuf, n, pos, out_path);
				size = (uint32_t)n;
				flags = compress_flag[g.compress];
			} else {
				pwrite_all(fd, block, bsize, pos, out_path);
				size = (uint32_t)bsize;
				flags = 0;
			}
			off = pos;
			pos += size;
			if (zero && !flags) {
				zero_written = true;
				zero_off = off;
			}
		}
		uint8_t *p = descs + d * 24;
		uint64_t o = g.big_endian ? htobe64(off) : htole64(off);
		uint32_t s = g.big_endian ? htobe32(size) : htole32(size);
		uint32_t f = g.big_endian ? htobe32(flags) : htole32(flags);
		memcpy(p, &o, 8);
		memcpy(p + 8, &s, 4);
		memcpy(p + 12, &f, 4);
		d++;
	}
	pwrite_all(fd, descs, ndumped_part * 24, desc_off, out_path);

	/* Header. */
	memset(hdr, 0, bsize);
	memcpy(hdr, "KDUMP   ", 8);
	uint32_t v32;
#define W32(o, v) do { v32 = g.big_endian ? htobe32((uint32_t)(v)) : htole32((uint32_t)(v)); memcpy(hdr + (o), &v32, 4); } while (0)
	W32(8, 6);
	const char *machine = g.kdump_machine_set ? g.kdump_machine :
			      g.arch == X86_64 ? "x86_64" : g.arch == ARM64 ? "aarch64" :
			      g.arch == RISCV64 ? "riscv64" :
			      g.arch == PPC64 ? (g.big_endian ? "ppc64" : "ppc64le") : "ppc";
	/* struct new_utsname: sysname, nodename, release, version,
	 * machine, domainname; 65 bytes each. */
	strcpy((char *)hdr + 12, "Linux");
	strcpy((char *)hdr + 12 + 65, "ptwalk-gen");
	snprintf((char *)hdr + 12 + 130, 65, "%s", g.release);
	strcpy((char *)hdr + 12 + 195, "#1 SMP");
	snprintf((char *)hdr + 12 + 260, 65, "%s", machine);
	strcpy((char *)hdr + 12 + 325, "(none)");
	size_t st = is64 ? 12 + 390 + 6 + 16 : 12 + 390 + 2 + 8;
	W32(st, compress_flag[g.compress]);
	W32(st + 4, bsize);
	W32(st + 8, sub_blocks);
	W32(st + 12, bitmap_blocks);
	W32(st + 16, max_mapnr > UINT32_MAX ? UINT32_MAX : max_mapnr);
	W32(st + 20, ndumped_part);
	W32(st + 24, 0);
	W32(st + 28, 0);
	W32(st + 32, 0);
	W32(st + 36, 1);
	pwrite_all(fd, hdr, bsize, 0, out_path);

	/* Sub header, notes right after it. */
	memset(hdr, 0, bsize);
	uint64_t note_off = bsize + subhdr_size;
	uint64_t v64;
#define W64(o, v) do { v64 = g.big_endian ? htobe64((uint64_t)(v)) : htole64((uint64_t)(v)); memcpy(hdr + (o), &v64, 8); } while (0)
	if (is64) {
		W64(0, g.phys_base);
		W32(8, 31);		/* dump_level */
		W32(12, split > 1);	/* split, and this file's blocks */
		W64(16, split > 1 ? part_start : 0);
		W64(24, split > 1 ? part_end : max_mapnr);
		W64(32, g.vmcoreinfo ? note_off + vmcoreinfo_desc_off : 0);
		W64(40, g.vmcoreinfo ? vmcoreinfo_desc_len : 0);
		W64(48, note_off);
		W64(56, notes.len);
		W64(64, 0);
		W64(72, 0);
		W64(80, split > 1 ? part_start : 0);
		W64(88, split > 1 ? part_end : max_mapnr);
		W64(96, max_mapnr);
	} else {
		/* 32-bit longs, 64-bit fields packed at 4-byte alignment (the
		 * i386 layout). 8xx has no kdump of its own, so this form is
		 * synthetic; it is the 32-bit layout Debian's libkdumpfile
		 * 0.5.1 reads ("32pack" in later releases). */
		W32(0, g.phys_base);
		W32(4, 31);
		W32(8, split > 1);
		W32(12, split > 1 ? part_start : 0);
		W32(16, split > 1 ? part_end : max_mapnr > UINT32_MAX ? UINT32_MAX : max_mapnr);
		W64(20, g.vmcoreinfo ? note_off + vmcoreinfo_desc_off : 0);
		W32(28, g.vmcoreinfo ? vmcoreinfo_desc_len : 0);
		W64(32, note_off);
		W32(40, notes.len);
		W64(44, 0);
		W32(52, 0);
		W64(56, split > 1 ? part_start : 0);
		W64(64, split > 1 ? part_end : max_mapnr);
		W64(72, max_mapnr);
	}
#undef W32
#undef W64
	pwrite_all(fd, hdr, subhdr_size, bsize, out_path);
	pwrite_all(fd, notes.p, notes.len, note_off, out_path);
	pwrite_all(fd, bm_ram, bitmap_blocks1 * bsize, (1 + sub_blocks) * bsize, out_path);
	pwrite_all(fd, bm_part, bitmap_blocks1 * bsize, (1 + sub_blocks + bitmap_blocks1) * bsize, out_path);
	close_out(fd, pos, out_path);
	part_start = part_end;
	}

	if (flat_path) {
		/* makedumpfile's flattened stream: a 4096-byte header, then
		 * (offset, size, data) records, big-endian, ending with -1. */
		int in = open(path, O_RDONLY);
		int out = create_out(flat_path);
		uint8_t fh[4096] = { 0 };
		memcpy(fh, "makedumpfile", 12);
		uint64_t one = htobe64(1);
		memcpy(fh + 16, &one, 8);
		memcpy(fh + 24, &one, 8);
		pwrite_all(out, fh, sizeof fh, 0, flat_path);
		uint64_t fpos = sizeof fh, ipos = 0;
		uint8_t *chunk = xzalloc(1 << 20);
		for (;;) {
			ssize_t n = pread(in, chunk, 1 << 20, (off_t)ipos);
			if (n < 0)
				die("%s: %s", path, strerror(errno));
			if (n == 0)
				break;
			uint64_t rec[2] = { htobe64(ipos), htobe64((uint64_t)n) };
			pwrite_all(out, rec, 16, fpos, flat_path);
			pwrite_all(out, chunk, (size_t)n, fpos + 16, flat_path);
			fpos += 16 + (uint64_t)n;
			ipos += (uint64_t)n;
		}
		/* END_FLAG_FLAT_HEADER in both fields (makedumpfile.h). */
		uint64_t end[2] = { htobe64((uint64_t)-1), htobe64((uint64_t)-1) };
		pwrite_all(out, end, 16, fpos, flat_path);
		close_out(out, fpos + 16, flat_path);
		close(in);
		free(chunk);
	}
	free(block); free(cbuf); free(descs); free(hdr); free(bm_ram); free(bm_dump); free(bm_part);
	free(notes.p);
}

/* ---- raw ------------------------------------------------------------- */

static void write_raw(const char *path, uint64_t *base_out)
{
	collect_stored();
	uint64_t base = g.ram[0].start;
	for (size_t r = 0; r < g.nram; r++)
		if (g.ram[r].start < base)
			base = g.ram[r].start;
	uint64_t end = max_pa();
	int fd = create_out(path);
	for (size_t i = 0; i < nstored; i++)
		if (stored[i].pa >= base)
			pwrite_all(fd, stored[i].buf, g.tsize, stored[i].pa - base, path);
	close_out(fd, end - base, path);
	*base_out = base;
}

/* ---- main ------------------------------------------------------------- */

static void usage(FILE *f)
{
	fprintf(f, "usage: ptwalk-gen [--elf FILE] [--kdump FILE [--split N]] [--flat FILE] [--raw FILE] [--roots] DESC\n");
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "elf", required_argument, NULL, 'e' },
		{ "kdump", required_argument, NULL, 'k' },
		{ "flat", required_argument, NULL, 'f' },
		{ "raw", required_argument, NULL, 'r' },
		{ "split", required_argument, NULL, 's' },
		{ "roots", no_argument, NULL, 'R' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	const char *elf = NULL, *kdump = NULL, *flat = NULL, *raw = NULL;
	bool roots = false;
	unsigned split = 1;
	int c;

	while ((c = getopt_long(argc, argv, "e:k:f:r:s:Rh", longopts, NULL)) != -1) {
		switch (c) {
		case 'e': elf = optarg; break;
		case 'k': kdump = optarg; break;
		case 'f': flat = optarg; break;
		case 'r': raw = optarg; break;
		case 's': split = (unsigned)atoi(optarg); break;
		case 'R': roots = true; break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (optind + 1 != argc) {
		usage(stderr);
		return 2;
	}

	g.vmcoreinfo = true;
	g.kdump_block = 0;
	g.compress = C_ZLIB;
	snprintf(g.release, sizeof g.release, "6.12.0-ptwalk");
	snprintf(g.build_id, sizeof g.build_id, "0123456789abcdef0123456789abcdef01234567");
	g.kimage_voffset = 0xffff7fffc8000000ull;
	g.page_offset = 0xc0000000u;

	g.desc_path = argv[optind];
	FILE *f = strcmp(g.desc_path, "-") ? fopen(g.desc_path, "r") : stdin;
	if (!f)
		die("%s: %s", g.desc_path, strerror(errno));
	char *line = NULL;
	size_t cap = 0;
	while (getline(&line, &cap, f) > 0) {
		g.lineno++;
		parse_line(line);
	}
	free(line);
	if (f != stdin)
		fclose(f);
	g.lineno = 0;
	freeze_geometry();

	if (g.vmci_at_set)
		put_vmcoreinfo_in_memory();
	if (elf)
		write_elf(elf);
	if (flat && !kdump)
		die("--flat is made from the --kdump file; give both");
	if (split < 1 || split > 64 || (split > 1 && flat))
		die("--split takes 1 to 64 parts, and no --flat");
	if (kdump)
		write_kdump(kdump, flat, split);
	uint64_t raw_base = 0;
	if (raw)
		write_raw(raw, &raw_base);
	if (roots) {
		for (size_t i = 0; i < g.nroots; i++)
			printf("root %s 0x%llx\n", g.roots[i].name, (unsigned long long)g.roots[i].pa);
		printf("tables %llu\n", (unsigned long long)g.ntables);
		if (raw)
			printf("raw-base 0x%llx\n", (unsigned long long)raw_base);
	}
	return 0;
}
