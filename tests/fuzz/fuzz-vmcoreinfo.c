/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Fuzz the VMCOREINFO parser: the input is the note's text. What it
 * parses is then used as the commands use it: the architecture it
 * names, its release, lookups of keys. */
#include "config.h"

#include "fuzz.h"
#include "vmcoreinfo.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vmcoreinfo vi;
	struct pt_error err = { 0 };
	memset(&vi, 0, sizeof vi);
	if (vmcoreinfo_parse(&vi, (const char *)data, size, &err) == 0) {
		arch_from_vmcoreinfo(&vi);
		kernel_version_code(vi.osrelease);
		vmcoreinfo_lookup(&vi, "SYMBOL(swapper_pg_dir)");
		vmcoreinfo_lookup(&vi, "NUMBER(VA_BITS)");
		vmcoreinfo_lookup(&vi, "");
	}
	vmcoreinfo_free(&vi);
	return 0;
}
