/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Runs inside the test guest as the process whose page tables are
 * dumped. It maps every page size the kernel offers, stamps each 4K page
 * with its own VA and index, and reports the ground truth — where
 * /proc/self/pagemap says each page lives, and smaps' KernelPageSize — on
 * the truth channel (a virtio-serial port), then prints PTWALK-READY on
 * the console and spins, so that a paused CPU is in this process.
 *
 * Usage: guest-truth TRUTH_DEVICE [base=ADDR] SIZE[:KIND]...
 *   KIND: hugetlb (MAP_HUGETLB of SIZE), thp (madvise MADV_HUGEPAGE),
 *         small (MADV_NOHUGEPAGE), anon (plain anonymous memory).
 *   base=ADDR: where the mappings start, for a user space smaller than
 *         TRUTH_BASE (riscv64 Sv39: 256 GiB).
 * Built static for the guest's architecture. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef MAP_HUGE_SHIFT
#define MAP_HUGE_SHIFT 26
#endif
#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE 0x100000	/* Linux 4.17 */
#endif

/* Mapping N lives at TRUTH_BASE + N * TRUTH_SLOT: 16 TiB is below every
 * configuration's user VA limit (47 bits and up), a slot of 4 GiB holds
 * the largest mapping (1G, or 2 x 1G for THP alignment). */
#define TRUTH_BASE 0x100000000000ull
#define TRUTH_SLOT 0x100000000ull

static FILE *truth;
static FILE *truth_copy;	/* /truth in the guest, for in-guest checks */

/* Every truth line goes to the channel and to the guest's own copy. */
#define TRUTH(...) do { \
	fprintf(truth, __VA_ARGS__); \
	if (truth_copy) \
		fprintf(truth_copy, __VA_ARGS__); \
} while (0)

static void fail(const char *what)
{
	fprintf(stderr, "guest-truth: %s: %s\n", what, strerror(errno));
	printf("PTWALK-FAILED %s\n", what);
	fflush(stdout);
	exit(1);
}

static uint64_t parse_size(const char *s)
{
	char *end;
	uint64_t v = strtoull(s, &end, 0);
	switch (*end) {
	case 'K': v <<= 10; break;
	case 'M': v <<= 20; break;
	case 'G': v <<= 30; break;
	}
	return v;
}

/* pagemap: one 8-byte entry per kernel page (PAGE_SIZE, 16K on a 16K
 * kernel), bit 63 present, bits 0-54 PFN
 * (Documentation/admin-guide/mm/pagemap.rst). The truth is reported in 4K
 * frames whatever the kernel's page size, as the stamps are per 4K. */
static void report_pagemap(int pm, uintptr_t va, uint64_t size)
{
	uint64_t page = (uint64_t)sysconf(_SC_PAGESIZE);
	uint64_t run_va = 0, run_pfn = 0, run_n = 0;
	for (uint64_t off = 0; off < size; off += 4096) {
		uint64_t e;
		if (pread(pm, &e, 8, (off_t)((va + off) / page * 8)) != 8)
			fail("pagemap");
		if (!(e >> 63))
			fail("page not present after touching it");
		uint64_t pfn = ((e & ((1ull << 55) - 1)) * page + (va + off) % page) / 4096;
		if (run_n && pfn == run_pfn + run_n) {
			run_n++;
			continue;
		}
		if (run_n)
			TRUTH("pfn 0x%llx 0x%llx %llu\n", (unsigned long long)run_va,
				(unsigned long long)run_pfn, (unsigned long long)run_n);
		run_va = va + off;
		run_pfn = pfn;
		run_n = 1;
	}
	if (run_n)
		TRUTH("pfn 0x%llx 0x%llx %llu\n", (unsigned long long)run_va,
			(unsigned long long)run_pfn, (unsigned long long)run_n);
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: guest-truth TRUTH_DEVICE SIZE[:KIND]...\n");
		return 2;
	}
	/* The truth channel is a virtio-serial port; a missing device would
	 * otherwise be created as a plain file and the truth lost. */
	int tfd = open(argv[1], O_WRONLY);
	struct stat st;
	if (tfd < 0 || fstat(tfd, &st) < 0)
		fail(argv[1]);
	if (!S_ISCHR(st.st_mode)) {
		errno = ENODEV;
		fail("truth channel is not a character device");
	}
	truth = fdopen(tfd, "w");
	if (!truth)
		fail(argv[1]);
	truth_copy = fopen("/truth", "w");
	int pm = open("/proc/self/pagemap", O_RDONLY);
	if (pm < 0)
		fail("/proc/self/pagemap");

	TRUTH("pid %d\n", (int)getpid());
	TRUTH("pagesize %ld\n", sysconf(_SC_PAGESIZE));
	uint64_t index = 0;
	uintptr_t base = TRUTH_BASE;
	int first = 2;
	if (!strncmp(argv[2], "base=", 5)) {
		base = (uintptr_t)strtoull(argv[2] + 5, NULL, 0);
		first = 3;
	}
	for (int i = first; i < argc; i++) {
		char kind[16] = "hugetlb";
		char *colon = strchr(argv[i], ':');
		if (colon)
			snprintf(kind, sizeof kind, "%s", colon + 1);
		uint64_t size = parse_size(argv[i]);
		uint64_t len = size;
		int flags = MAP_PRIVATE | MAP_ANONYMOUS;
		if (!strcmp(kind, "hugetlb")) {
			flags |= MAP_HUGETLB | (__builtin_ctzll(size) << MAP_HUGE_SHIFT);
		} else {
			/* THP and mTHP need the range aligned to the size. */
			len = size * 2;
		}
		/* Each mapping at a fixed address, the same in every guest:
		 * walks of two kernels line up for `ptwalk diff'. */
		uintptr_t want = base + (uintptr_t)(i - first) * TRUTH_SLOT;
		void *p = mmap((void *)want, len, PROT_READ | PROT_WRITE,
			       flags | MAP_FIXED_NOREPLACE, -1, 0);
		if (p == MAP_FAILED)
			fail(argv[i]);
		if ((uintptr_t)p != want) {
			errno = EEXIST;
			fail("mapping not at its fixed address");
		}
		uintptr_t va = (uintptr_t)p;
		if (len != size) {
			va = (va + size - 1) & ~(uintptr_t)(size - 1);
			if (!strcmp(kind, "thp"))
				madvise((void *)va, size, MADV_HUGEPAGE);
			else if (!strcmp(kind, "small"))
				madvise((void *)va, size, MADV_NOHUGEPAGE);
		}
		/* One write of the whole first word group per 4K page. */
		for (uint64_t off = 0; off < size; off += 4096, index++) {
			uint64_t stamp[4] = { 0x4b4c41575450ull /* "PTWALK" */, va + off, index, size };
			memcpy((char *)va + off, stamp, sizeof stamp);
		}
		TRUTH("map 0x%llx 0x%llx %s\n", (unsigned long long)va,
			(unsigned long long)size, kind);
		report_pagemap(pm, va, size);
	}

	/* KernelPageSize of every mapping, as smaps reports it. */
	FILE *smaps = fopen("/proc/self/smaps", "r");
	if (!smaps)
		fail("/proc/self/smaps");
	char line[512];
	unsigned long long start = 0, end = 0;
	while (fgets(line, sizeof line, smaps)) {
		unsigned long kps;
		if (sscanf(line, "%llx-%llx ", &start, &end) == 2)
			continue;
		if (sscanf(line, "KernelPageSize: %lu kB", &kps) == 1)
			TRUTH("smaps 0x%llx 0x%llx %lu\n", start, end, kps * 1024);
	}
	fclose(smaps);
	TRUTH("end\n");
	if (fflush(truth) || fsync(fileno(truth)) < 0)
		if (errno != EINVAL)
			fail("truth channel");
	if (truth_copy && fclose(truth_copy))
		fail("/truth");

	printf("PTWALK-READY pid %d\n", (int)getpid());
	fflush(stdout);
	/* For an init that crashes the guest once the truth is out. */
	close(open("/ptwalk-ready", O_WRONLY | O_CREAT, 0644));
	for (volatile uint64_t spin = 0;; spin++)
		;
}
