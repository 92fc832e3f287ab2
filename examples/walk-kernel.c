/* SPDX-License-Identifier: GPL-2.0-or-later */
/* walk-kernel: a short program on libptwalk. It opens a memory image,
 * prints the kernel's logical entries (a contiguous gang on one line,
 * its anomalies named), translates the addresses given after the image,
 * and ends with the counts of the walk.
 *
 *   cc walk-kernel.c $(pkg-config --cflags --libs libptwalk) -o walk-kernel
 *   ./walk-kernel vmcore [ADDR...]
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ptwalk/ptwalk.h>

static int print_entry(void *arg, const struct ptwalk_entry *e)
{
	(void)arg;
	printf("0x%016" PRIx64 " %-5s %-9s x%-4" PRIu64 " %-5s", e->va, e->level_name, e->form,
	       e->count, e->kind);
	if (e->has_pa)
		printf(" pa 0x%" PRIx64, e->pa);
	for (unsigned b = 0; ptwalk_anomaly_name(b); b++)
		if (e->anomalies & (1u << b))
			printf(" !%s", ptwalk_anomaly_name(b));
	putchar('\n');
	return ferror(stdout) ? -1 : 0;
}

int main(int argc, char **argv)
{
	struct ptwalk_options opts = { .size = sizeof opts };
	struct ptwalk_walk_options wo = { .size = sizeof wo };
	struct ptwalk_error err;
	struct ptwalk_info info;
	struct ptwalk_counts counts;
	ptwalk *pw;

	if (argc < 2) {
		fprintf(stderr, "usage: %s IMAGE [ADDR...]\n", argv[0]);
		return 2;
	}
	if (ptwalk_open(argv[1], &opts, &pw, &err)) {
		fprintf(stderr, "walk-kernel: %s\n", err.message);
		return err.code;
	}
	ptwalk_get_info(pw, &info);
	printf("%s %s, %u-byte pages, %u levels, kernel root 0x%" PRIx64 "\n", info.arch,
	       info.format, info.page_size, info.levels, info.kernel_root);
	if (ptwalk_walk(pw, &wo, print_entry, NULL, &err))
		goto fail;
	for (int i = 2; i < argc; i++) {
		struct ptwalk_translation t;
		if (ptwalk_translate(pw, 0, 0, strtoull(argv[i], NULL, 16), &t, &err))
			goto fail;
		if (t.mapped)
			printf("0x%" PRIx64 " -> 0x%" PRIx64 " (%u steps, %s %s)\n", t.va, t.pa,
			       t.nsteps, t.have_entry ? t.entry.form : "?",
			       t.have_entry ? t.entry.level_name : "?");
		else
			printf("0x%" PRIx64 " not mapped: %s\n", t.va, t.why);
	}
	if (ptwalk_count(pw, &wo, &counts, &err))
		goto fail;
	printf("%" PRIu64 " entries, %" PRIu64 " leaves mapping %" PRIu64 " bytes, %" PRIu64
	       " gangs, %" PRIu64 " with anomalies\n", counts.entries, counts.leaves,
	       counts.leaf_bytes, counts.gangs, counts.anomalous);
	ptwalk_close(pw);
	return fflush(stdout) ? 4 : 0;
fail:
	fprintf(stderr, "walk-kernel: %s\n", err.message);
	ptwalk_close(pw);
	return err.code;
}
