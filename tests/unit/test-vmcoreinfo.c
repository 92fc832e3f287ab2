/* SPDX-License-Identifier: GPL-2.0-or-later */
/* VMCOREINFO parsing against the kernel's own formats. */
#include "config.h"

#include <string.h>

#include "vmcoreinfo.h"
#include "tap.h"

/* Lines as Debian's arm64 6.1 and x86_64 6.1 kernels write them
 * (kernel/crash_core.c, arch/arm64/kernel/crash_core.c,
 * arch/x86/kernel/crash_core_64.c). */
static const char arm64_text[] =
	"OSRELEASE=6.1.0-13-cloud-arm64\n"
	"BUILD-ID=8a5c1e1c2b0f2c5c7b2f0e1d2c3b4a5968778695\n"
	"PAGESIZE=4096\n"
	"SYMBOL(init_uts_ns)=ffffd2a1e3a1c2b8\n"
	"SYMBOL(swapper_pg_dir)=ffffd2a1e3390000\n"
	"NUMBER(VA_BITS)=48\n"
	"NUMBER(kimage_voffset)=0xffffd2a0a2c00000\n"
	"NUMBER(PHYS_OFFSET)=0x40000000\n"
	"NUMBER(TCR_EL1_T1SZ)=0x10\n"
	"KERNELOFFSET=52a0a2c00000\n"
	"NUMBER(KERNELPACMASK)=0xff7f000000000000\n";

static const char x86_text[] =
	"OSRELEASE=6.1.0-13-amd64\n"
	"PAGESIZE=4096\n"
	"SYMBOL(swapper_pg_dir)=ffffffffa060a000\n"
	"SYMBOL(kallsyms_names)=ffffffffa0a3c0f8\n"
	"SYMBOL(kallsyms_num_syms)=ffffffffa0a3c0f0\n"
	"SYMBOL(kallsyms_token_table)=ffffffffa0c5d2a0\n"
	"SYMBOL(kallsyms_token_index)=ffffffffa0c5d638\n"
	"SYMBOL(kallsyms_offsets)=ffffffffa0967ca0\n"
	"SYMBOL(kallsyms_relative_base)=ffffffffa0a3c0e8\n"
	"NUMBER(phys_base)=-1996488704\n"
	"SYMBOL(init_top_pgt)=ffffffffa060a000\n"
	"NUMBER(pgtable_l5_enabled)=0\n"
	"KERNELOFFSET=1f000000\n"
	"NUMBER(KERNEL_IMAGE_SIZE)=1073741824\n"
	"NUMBER(sme_mask)=140737488355328\n";

int main(void)
{
	tap_plan(38);
	struct vmcoreinfo vi = { 0 };
	struct pt_error err;

	OK(vmcoreinfo_parse(&vi, arm64_text, sizeof arm64_text - 1, &err) == 0, "arm64 text parses");
	OK(!strcmp(vi.osrelease, "6.1.0-13-cloud-arm64"), "OSRELEASE");
	OK(!strcmp(vi.build_id, "8a5c1e1c2b0f2c5c7b2f0e1d2c3b4a5968778695"), "BUILD-ID");
	OK(vi.pagesize.set && vi.pagesize.v == 4096, "PAGESIZE decimal");
	OK(vi.swapper_pg_dir.set && vi.swapper_pg_dir.v == 0xffffd2a1e3390000ull, "SYMBOL hex without prefix");
	OK(vi.kimage_voffset.v == 0xffffd2a0a2c00000ull, "NUMBER in 0x hex (arm64 prints several so)");
	OK(vi.va_bits.v == 48, "NUMBER decimal");
	OK(vi.tcr_el1_t1sz.v == 16, "TCR_EL1_T1SZ 0x10");
	OK(vi.phys_offset.v == 0x40000000, "PHYS_OFFSET");
	OK(vi.kerneloffset.set && vi.kerneloffset.v == 0x52a0a2c00000ull, "KERNELOFFSET hex without prefix");
	OK(!vi.init_top_pgt.set && !vi.phys_base.set, "x86 fields absent");
	struct vmcoreinfo empty = { 0 };
	OK(vmcoreinfo_parse(&empty, NULL, 0, &err) == 0 && empty.raw_len == 0 && !empty.osrelease[0],
	   "an empty VMCOREINFO given as a null pointer (libkdumpfile's empty blob)");
	vmcoreinfo_free(&empty);

	OK(vmcoreinfo_parse(&vi, x86_text, sizeof x86_text - 1, &err) == 0, "x86_64 text parses");
	OK(vi.phys_base.set && vi.phys_base.v == (uint64_t)-1996488704ll, "negative NUMBER(phys_base)");
	OK(vi.init_top_pgt.v == 0xffffffffa060a000ull, "init_top_pgt");
	OK(vi.pgtable_l5_enabled.set && vi.pgtable_l5_enabled.v == 0, "pgtable_l5_enabled");
	OK(vi.sme_mask.v == 1ull << 47, "sme_mask decimal");
	OK(vi.kallsyms_names.set && vi.kallsyms_relative_base.v == 0xffffffffa0a3c0e8ull, "kallsyms symbols");
	OK(!vi.kallsyms_addresses.set, "absent kallsyms_addresses");
	OK(!vi.build_id[0], "no BUILD-ID");
	OK(vmcoreinfo_lookup(&vi, "NUMBER(KERNEL_IMAGE_SIZE)") &&
	   !strcmp(vmcoreinfo_lookup(&vi, "NUMBER(KERNEL_IMAGE_SIZE)"), "1073741824"), "generic lookup");
	OK(vmcoreinfo_lookup(&vi, "NUMBER(nothing)") == NULL, "lookup of a missing key");

	/* The note is NUL-padded: text ends at the first NUL. */
	static const char padded[] = "PAGESIZE=16384\n\0\0\0PAGESIZE=4096\n";
	OK(vmcoreinfo_parse(&vi, padded, sizeof padded - 1, &err) == 0 && vi.pagesize.v == 16384,
	   "text ends at the first NUL");

	static const char twice[] = "PAGESIZE=65536\nPAGESIZE=4096\n";
	OK(vmcoreinfo_parse(&vi, twice, sizeof twice - 1, &err) == 0 && vi.pagesize.v == 65536,
	   "first occurrence wins");

	static const char no_newline[] = "OSRELEASE=6.12.0";
	OK(vmcoreinfo_parse(&vi, no_newline, sizeof no_newline - 1, &err) == 0 &&
	   !strcmp(vi.osrelease, "6.12.0"), "last line without newline");

	static const char bad_num[] = "PAGESIZE=4096x\n";
	OK(vmcoreinfo_parse(&vi, bad_num, sizeof bad_num - 1, &err) == -1 &&
	   strstr(err.msg, "PAGESIZE") && err.exit_code == PT_EXIT_IMAGE, "malformed value names the line");
	static const char bad_sym[] = "SYMBOL(swapper_pg_dir)=\n";
	OK(vmcoreinfo_parse(&vi, bad_sym, sizeof bad_sym - 1, &err) == -1, "empty value refused");
	static const char huge[] = "PAGESIZE=123456789012345678901234567890\n";
	OK(vmcoreinfo_parse(&vi, huge, sizeof huge - 1, &err) == -1, "overflowing value refused");
	static const char neg_sym[] = "SYMBOL(swapper_pg_dir)=-1\n";
	OK(vmcoreinfo_parse(&vi, neg_sym, sizeof neg_sym - 1, &err) == -1, "negative SYMBOL refused");

	char long_release[200];
	memset(long_release, 'a', sizeof long_release);
	memcpy(long_release, "OSRELEASE=", 10);
	OK(vmcoreinfo_parse(&vi, long_release, sizeof long_release, &err) == -1 &&
	   strstr(err.msg, "too long"), "release longer than utsname refused");

	static char big[VMCOREINFO_MAX_SIZE + 1];
	memset(big, '\n', sizeof big);
	OK(vmcoreinfo_parse(&vi, big, sizeof big, &err) == -1 && strstr(err.msg, "too large"),
	   "oversized note refused");

	static const char junk[] = "no equals sign\n=\n==\nSYMBOL(x\nNUMBER()=5\n";
	OK(vmcoreinfo_parse(&vi, junk, sizeof junk - 1, &err) == 0, "lines of no known key are ignored");

	OK(kernel_version_code("6.12.48+deb12-arm64") == KVER(6, 12, 48), "version 6.12.48+deb12");
	OK(kernel_version_code("6.1.0-13-amd64") == KVER(6, 1, 0), "version 6.1.0-13");
	OK(kernel_version_code("6.11") == KVER(6, 11, 0), "version 6.11");
	OK(kernel_version_code("5.10.0-rc1") == KVER(5, 10, 0), "version 5.10.0-rc1");
	OK(kernel_version_code("6") == 0 && kernel_version_code("x.y") == 0 && kernel_version_code("") == 0,
	   "unparsable versions");
	OK(kernel_version_code("4.19.300") == KVER(4, 19, 255), "sublevel saturates as KERNEL_VERSION");

	vmcoreinfo_free(&vi);
	return tap_done();
}
