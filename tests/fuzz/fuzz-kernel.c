/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Fuzz what is read from kernel memory without debug info: the kallsyms
 * tables VMCOREINFO points to (every encoding the decoder knows), the
 * kernel's BTF and the task list, as `ptwalk tasks' reads them. The input
 * is an ELF core; seeds are kernels made by tests/gen/kernel-image.py. */
#include "config.h"

#include "fuzz.h"
#include "kmem.h"

static int count_task(void *arg, const struct task_info *t)
{
	(void)t;
	return ++*(unsigned *)arg > 10000 ? -1 : 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int file = -1;
	struct image_options opts = { .allow_truncated = true, .quiet = true,
				      .machines = &arch_machines };
	struct image *img = NULL;
	struct pt_error err = { 0 };
	if (size < 4 || memcmp(data, "\177ELF", 4))
		return 0;
	opts.path = fuzz_file(&file, data, size);
	if (image_open(&opts, &img, &err) == 0) {
		struct paging pg;
		struct paging_options popts = { 0 };
		if (paging_setup(&pg, img, &popts, &err) == 0) {
			static const char *const names[] = { "init_task", "_stext", "swapper_pg_dir" };
			uint64_t addrs[3];
			bool found[3];
			struct kmem km;
			kmem_init(&km, img, &pg);
			ksyms_from_image(&km, names, 3, addrs, found, &err);
			kernel_probe(&pg, img);
			struct kernel_info ki;
			struct kernel_info_options ko = { 0 };
			unsigned n = 0;
			if (kernel_info_setup(&ki, img, &pg, &ko, &err) == 0) {
				tasks_for_each(&ki, count_task, &n, &err);
				threads_for_each(&ki, count_task, &n, &err);
			}
		}
	}
	image_close(img);
	return 0;
}
