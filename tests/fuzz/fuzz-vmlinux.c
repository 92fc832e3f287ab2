/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Fuzz the vmlinux reader (ELF symbols and DWARF through libelf and
 * libdw): the input is the file given to --vmlinux. */
#include "config.h"

#include "fuzz.h"
#include "kmem.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int file = -1;
	struct vmlinux *v = NULL;
	struct pt_error err = { 0 };
	if (size < 4 || memcmp(data, "\177ELF", 4))
		return 0;
	if (vmlinux_open(fuzz_file(&file, data, size), "", &v, &err) == 0) {
		struct kernel_offsets o;
		uint64_t addr;
		vmlinux_symbol(v, "init_task", &addr, &err);
		vmlinux_offsets(v, &o, &err);
	}
	vmlinux_close(v);
	return 0;
}
