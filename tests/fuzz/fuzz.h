/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What the libFuzzer harnesses share (see README.md). */
#ifndef PTWALK_FUZZ_H
#define PTWALK_FUZZ_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "arch.h"
#include "image.h"
#include "walk.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

/* The input as a file the readers open by name: one memfd, rewritten
 * for each input. Returns its path ("/proc/self/fd/N"). */
static inline const char *fuzz_file(int *slot, const void *data, size_t size)
{
	static char paths[4][32];
	static int n;
	if (*slot < 0) {
		int fd = memfd_create("ptwalk-fuzz", 0);
		if (fd < 0)
			abort();
		*slot = n++;
		snprintf(paths[*slot], sizeof paths[0], "/proc/self/fd/%d", fd);
	}
	int fd = atoi(paths[*slot] + strlen("/proc/self/fd/"));
	if (ftruncate(fd, 0) || (size && pwrite(fd, data, size, 0) != (ssize_t)size))
		abort();
	return paths[*slot];
}

static int fuzz_count(void *arg, const struct logical_entry *le)
{
	(*(uint64_t *)arg) += le->size;
	return 0;
}

/* Walk what the image has: the kernel's table over the whole space,
 * logical or physical view, its aliases summarized. Bounded by the
 * image: every table is read once. */
static inline void fuzz_walk(struct image *img, const struct paging *pg, bool physical,
			     uint64_t user_root, bool have_user_root)
{
	uint64_t n = 0;
	struct walk_params wp = {
		.img = img,
		.pg = pg,
		.start = 0,
		.end = UINT64_MAX,
		.have_kernel_root = pg->kernel_root.set,
		.kernel_root = pg->kernel_root.v,
		.have_user_root = have_user_root,
		.user_root = user_root,
		.on_entry = fuzz_count,
		.arg = &n,
		.physical = physical,
		.summarize_aliases = true,
	};
	struct walk_stats st;
	struct pt_error err = { 0 };
	if (!pg->arch->decode)
		return;
	if (!pg->arch->split_roots && !have_user_root && !pg->kernel_root.set)
		return;
	walk_tables(&wp, &st, &err);
}

#endif
