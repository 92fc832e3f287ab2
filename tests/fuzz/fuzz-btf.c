/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Fuzz the BTF reader: the input is a .BTF blob, from which the task
 * list's struct offsets are found (as `ptwalk tasks' does). */
#include "config.h"

#include "fuzz.h"
#include "kmem.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct kernel_offsets o;
	struct pt_error err = { 0 };
	offsets_from_btf(data, size, &o, &err);
	return 0;
}
