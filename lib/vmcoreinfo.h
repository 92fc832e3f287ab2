/* SPDX-License-Identifier: GPL-2.0-or-later */
/* VMCOREINFO: the KEY=VALUE text the kernel leaves for dump readers,
 * parsed once into typed fields. Formats are the kernel's own
 * (Linux 6.1 include/linux/crash_core.h, 6.12 include/linux/vmcore_info.h):
 *   SYMBOL(x)=%lx        hex without prefix
 *   NUMBER(x)=%ld        signed decimal, but arm64 prints several as 0x%llx
 *   KERNELOFFSET=%lx     hex without prefix
 *   PAGESIZE=%ld, OSRELEASE=%s, BUILD-ID=%20phN (40 hex digits)
 */
#ifndef PTWALK_VMCOREINFO_H
#define PTWALK_VMCOREINFO_H

#include <stdbool.h>
#include <stdint.h>
#include "common.h"

struct opt_u64 {
	bool set;
	uint64_t v;
};

/* The typed fields, declared once: X(field, key, kind). kind is SYM
 * (SYMBOL(key), hex), NUM (NUMBER(key), decimal or 0x-hex, may be
 * negative), HEX (plain key, hex without prefix) or DEC (plain key,
 * decimal). */
#define VMCOREINFO_FIELDS(X) \
	X(pagesize,              "PAGESIZE",              DEC) \
	X(kerneloffset,          "KERNELOFFSET",          HEX) \
	X(swapper_pg_dir,        "swapper_pg_dir",        SYM) \
	X(init_top_pgt,          "init_top_pgt",          SYM) \
	X(init_level4_pgt,       "init_level4_pgt",       SYM) \
	X(init_task,             "init_task",             SYM) \
	X(stext,                 "_stext",                SYM) \
	X(phys_base,             "phys_base",             NUM) \
	X(kimage_voffset,        "kimage_voffset",        NUM) \
	X(phys_offset,           "PHYS_OFFSET",           NUM) \
	X(va_bits,               "VA_BITS",               NUM) \
	X(tcr_el1_t1sz,          "TCR_EL1_T1SZ",          NUM) \
	X(pgtable_l5_enabled,    "pgtable_l5_enabled",    NUM) \
	X(sme_mask,              "sme_mask",              NUM) \
	X(kallsyms_names,        "kallsyms_names",        SYM) \
	X(kallsyms_num_syms,     "kallsyms_num_syms",     SYM) \
	X(kallsyms_token_table,  "kallsyms_token_table",  SYM) \
	X(kallsyms_token_index,  "kallsyms_token_index",  SYM) \
	X(kallsyms_offsets,      "kallsyms_offsets",      SYM) \
	X(kallsyms_relative_base,"kallsyms_relative_base",SYM) \
	X(kallsyms_addresses,    "kallsyms_addresses",    SYM) \
	X(modules_vaddr,         "MODULES_VADDR",         NUM) \
	X(modules_end,           "MODULES_END",           NUM) \
	X(vmalloc_start,         "VMALLOC_START",         NUM) \
	X(vmalloc_end,           "VMALLOC_END",           NUM) \
	X(vmemmap_start,         "VMEMMAP_START",         NUM) \
	X(vmemmap_end,           "VMEMMAP_END",           NUM) \
	X(kernel_image_size,     "KERNEL_IMAGE_SIZE",     NUM) \
	X(vmemmap,               "vmemmap",               SYM) \
	X(phys_ram_base,         "phys_ram_base",         NUM) \
	X(page_offset,           "PAGE_OFFSET",           NUM) \
	X(kernel_link_addr,      "KERNEL_LINK_ADDR",      NUM) \
	X(va_kernel_pa_offset,   "va_kernel_pa_offset",   NUM) \
	X(satp,                  "satp",                  NUM) \
	X(radix_mmu,             "RADIX_MMU",             NUM) \
	X(mmu_psize_defs,        "mmu_psize_defs",        SYM)

/* Bounds: the kernel's note is one page (VMCOREINFO_BYTES = PAGE_SIZE);
 * accept up to 1 MiB so a hand-made one is not refused. */
#define VMCOREINFO_MAX_SIZE (1u << 20)

struct vmcoreinfo {
	bool present;
	char *raw;		/* NUL-terminated copy of the note text */
	size_t raw_len;
	char osrelease[65];	/* struct new_utsname: 64 chars + NUL */
	char build_id[41];
#define X(field, key, kind) struct opt_u64 field;
	VMCOREINFO_FIELDS(X)
#undef X
};

/* Parse TEXT (LEN bytes, need not be NUL-terminated). Unknown keys are
 * kept in raw only; a known key with a malformed value is an error that
 * names the key. SOURCE names the origin for messages. */
int vmcoreinfo_parse(struct vmcoreinfo *vi, const char *text, size_t len,
		     struct pt_error *err);
void vmcoreinfo_free(struct vmcoreinfo *vi);
/* Look up any KEY's value in the raw text; returns a pointer into a static
 * buffer valid until the next call, or NULL. */
const char *vmcoreinfo_lookup(const struct vmcoreinfo *vi, const char *key);

/* The keys ptwalk reads, whole ("SYMBOL(swapper_pg_dir)", "OSRELEASE"):
 * the I-th, NULL past the last. A host that holds VMCOREINFO as a lookup
 * by key (crash's read_vmcoreinfo()) rebuilds the text from these. */
const char *vmcoreinfo_key(unsigned i);

/* Kernel release "X.Y[.Z]..." as KERNEL_VERSION(X,Y,Z); 0 if unparsable. */
uint32_t kernel_version_code(const char *release);
#define KVER(a, b, c) (((uint32_t)(a) << 16) | ((uint32_t)(b) << 8) | (uint32_t)((c) > 255 ? 255 : (c)))

#endif
