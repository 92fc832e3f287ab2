/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What each swap type means. A swap entry's type is a 5-bit number
 * (MAX_SWAPFILES_SHIFT, include/linux/swap.h, 4.18 to 7.2); the kernel
 * takes types from the top for its own entries, and which ones depends on
 * the release and on the configuration:
 *
 *   from the top               releases          configuration
 *   swapin-error               5.19 to 6.1       always
 *   pte-marker                 5.19 to 6.1       CONFIG_PTE_MARKER
 *                              6.2 on            always ("mm: Always
 *                                                compile in pte markers")
 *   device types               4.18 to 5.13: 2   CONFIG_DEVICE_PRIVATE
 *     (write, read, then       5.14 to 6.14: 4 (+ exclusive-write,
 *     exclusive ones)            exclusive-read, "mm: device exclusive
 *                                memory access")
 *                              6.15 on: 3 (+ exclusive, "mm: use single
 *                                SWP_DEVICE_EXCLUSIVE entry type")
 *   migration types            4.18 to 5.18: 2   CONFIG_MIGRATION
 *     (read, [read-exclusive,] 5.19 on: 3 (+ read-exclusive,
 *     write)                     PG_anon_exclusive)
 *   hwpoison                   all               CONFIG_MEMORY_FAILURE
 *   swap                       below: MAX_SWAPFILES swap areas
 *
 * (4.18 from its tree; 5.10, 6.1, 6.12 and 7.2 from Debian's
 * linux-source packages; 5.14 from its tree; the releases between from
 * the patches named.)
 *
 * The configuration comes from --kernel-config, else from what the image
 * shows: VMCOREINFO carries NUMBER(PG_hwpoison) exactly when
 * CONFIG_MEMORY_FAILURE is set (kernel/crash_core.c, vmcore_info.c);
 * CONFIG_MIGRATION is on in every kernel that can compact memory; the
 * arch says when PTE markers came with its userfaultfd-wp. Nothing in
 * the image says whether CONFIG_DEVICE_PRIVATE is set (Debian's kernels
 * up to 6.12 have it off, 7.x on): a type that means different things
 * either way is named both ways, "migration-write|device-exclusive-read". */
#include "config.h"

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "arch-private.h"
#include "walk.h"

#define NO PT_NO
#define YES PT_YES
#define UNKNOWN PT_UNKNOWN

/* One option: NO, YES or UNKNOWN. */
typedef uint8_t tri;

/* The kinds of types 0..31 for one configuration (every option YES or
 * NO). */
static void swap_table(uint32_t v, const struct swap_options *c, const char *kinds[32])
{
	static const char *const dev2[] = { "device-write", "device-read" };
	static const char *const dev4[] = { "device-write", "device-read",
					    "device-exclusive-write", "device-exclusive-read" };
	static const char *const dev3[] = { "device-write", "device-read", "device-exclusive" };
	static const char *const mig2[] = { "migration-read", "migration-write" };
	static const char *const mig3[] = { "migration-read", "migration-read-exclusive",
					    "migration-write" };
	int top = 32;

	for (int t = 0; t < 32; t++)
		kinds[t] = "swap";
	/* Unknown release: the newest layout. */
	if (!v)
		v = KVER(7, 2, 0);
	if (v >= KVER(5, 19, 0) && v < KVER(6, 2, 0))
		kinds[--top] = "swapin-error";
	if (v >= KVER(6, 2, 0) || (v >= KVER(5, 19, 0) && c->pte_marker == YES))
		kinds[--top] = "pte-marker";
	if (c->device_private == YES) {
		const char *const *dev = v < KVER(5, 14, 0) ? dev2 : v < KVER(6, 15, 0) ? dev4 : dev3;
		int n = v < KVER(5, 14, 0) ? 2 : v < KVER(6, 15, 0) ? 4 : 3;
		for (int i = n - 1; i >= 0; i--)
			kinds[--top] = dev[i];
	}
	if (c->migration == YES) {
		const char *const *mig = v < KVER(5, 19, 0) ? mig2 : mig3;
		int n = v < KVER(5, 19, 0) ? 2 : 3;
		for (int i = n - 1; i >= 0; i--)
			kinds[--top] = mig[i];
	}
	if (c->memory_failure == YES)
		kinds[--top] = "hwpoison";
}

/* Fill PG's table: every combination of the unknown options, each
 * type's names joined with '|' where they differ. */
static void swap_kinds_fill(struct paging *pg, const struct swap_options *c)
{
	tri *opt[4];
	struct swap_options cur = *c;
	unsigned nunknown = 0;

	if (cur.device_private == UNKNOWN)
		opt[nunknown++] = &cur.device_private;
	if (cur.migration == UNKNOWN)
		opt[nunknown++] = &cur.migration;
	if (cur.memory_failure == UNKNOWN)
		opt[nunknown++] = &cur.memory_failure;
	if (cur.pte_marker == UNKNOWN)
		opt[nunknown++] = &cur.pte_marker;
	for (int t = 0; t < 32; t++)
		pg->swap_kinds[t][0] = 0;
	/* YES first, so the first name is the fuller configuration's. */
	for (unsigned combo = 0; combo < (1u << nunknown); combo++) {
		const char *kinds[32];
		for (unsigned i = 0; i < nunknown; i++)
			*opt[i] = (combo >> i) & 1 ? NO : YES;
		swap_table(pg->version, &cur, kinds);
		for (int t = 0; t < 32; t++) {
			char *buf = pg->swap_kinds[t];
			size_t len = strlen(buf), klen = strlen(kinds[t]);
			/* Already listed? */
			bool seen = false;
			for (const char *p = buf; *p;) {
				const char *bar = strchr(p, '|');
				size_t plen = bar ? (size_t)(bar - p) : strlen(p);
				if (plen == klen && !memcmp(p, kinds[t], klen))
					seen = true;
				p += plen + (bar != NULL);
			}
			if (seen || len + klen + 2 > sizeof pg->swap_kinds[t])
				continue;
			if (len)
				buf[len++] = '|';
			memcpy(buf + len, kinds[t], klen + 1);
		}
	}
}

/* CONFIG_NAME's value in a kernel .config: YES for y or m, NO for "is not
 * set" or absent. */
static int read_kernel_config(const char *path, struct swap_options *c, struct pt_error *err)
{
	static const struct { const char *name; size_t off; } opts[] = {
		{ "CONFIG_DEVICE_PRIVATE", offsetof(struct swap_options, device_private) },
		{ "CONFIG_MIGRATION", offsetof(struct swap_options, migration) },
		{ "CONFIG_MEMORY_FAILURE", offsetof(struct swap_options, memory_failure) },
		{ "CONFIG_PTE_MARKER", offsetof(struct swap_options, pte_marker) },
	};
	FILE *f = fopen(path, "r");
	char line[512];
	unsigned configs = 0;

	if (!f)
		return pt_fail(err, PT_EXIT_USAGE, "%s: %s", path, strerror(errno));
	for (size_t i = 0; i < sizeof opts / sizeof opts[0]; i++)
		*(tri *)((char *)c + opts[i].off) = NO;
	while (fgets(line, sizeof line, f)) {
		const char *name = line;
		if (!strncmp(line, "# CONFIG_", 9))
			name = line + 2;
		else if (strncmp(line, "CONFIG_", 7))
			continue;
		configs++;
		size_t nlen = strcspn(name, "= ");
		for (size_t i = 0; i < sizeof opts / sizeof opts[0]; i++) {
			if (nlen != strlen(opts[i].name) || strncmp(name, opts[i].name, nlen))
				continue;
			tri *t = (tri *)((char *)c + opts[i].off);
			*t = name == line && (!strncmp(name + nlen, "=y", 2) || !strncmp(name + nlen, "=m", 2)) ?
				YES : NO;
		}
	}
	bool bad = ferror(f);
	fclose(f);
	if (bad)
		return pt_fail(err, PT_EXIT_USAGE, "%s: read error", path);
	if (!configs)
		return pt_fail(err, PT_EXIT_USAGE, "%s: not a kernel configuration (no CONFIG_ lines)", path);
	return 0;
}

int swap_kinds_setup(struct paging *pg, const struct paging_facts *f,
		     const struct paging_options *opts, struct pt_error *err)
{
	const struct arch_ops *a = pg->arch;
	struct swap_options c;

	if (opts->kernel_config) {
		if (read_kernel_config(opts->kernel_config, &c, err))
			return -1;
		snprintf(pg->swap_how, sizeof pg->swap_how, "the release and --kernel-config");
	} else {
		c.device_private = a->device_private ? UNKNOWN : NO;
		c.migration = YES;
		c.memory_failure = !a->memory_failure ? NO :
				   f->vmci->present ? (vmcoreinfo_lookup(f->vmci, "NUMBER(PG_hwpoison)") ? YES : NO) :
				   UNKNOWN;
		/* Before 6.2, PTE markers needed PTE_MARKER_UFFD_WP (default
		 * y), which needs the arch's userfaultfd-wp. */
		c.pte_marker = a->uffd_wp_since && pg->version >= a->uffd_wp_since ? YES : NO;
		snprintf(pg->swap_how, sizeof pg->swap_how, "the release%s",
			 c.device_private == UNKNOWN ? "; CONFIG_DEVICE_PRIVATE unknown (give --kernel-config)" : "");
	}
	pg->swap_opts = c;
	swap_kinds_fill(pg, &c);
	return 0;
}

void swap_kinds_device_private(struct paging *pg, bool on, const char *how)
{
	if (pg->swap_opts.device_private != UNKNOWN)
		return;
	pg->swap_opts.device_private = on ? YES : NO;
	snprintf(pg->swap_how, sizeof pg->swap_how, "the release, CONFIG_DEVICE_PRIVATE=%s (%s)",
		 on ? "y" : "n", how);
	swap_kinds_fill(pg, &pg->swap_opts);
}
