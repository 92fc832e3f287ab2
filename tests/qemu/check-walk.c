/* SPDX-License-Identifier: GPL-2.0-or-later */
/* check-walk TRUTH [SIZE=FORM/LEVEL...] < walk.csv
 *
 * Checks a walk of the test process (ptwalk walk --format=csv -o
 * va,size,form,level,pa --noheadings) against guest-truth's record:
 *  - every page of every `pfn VA PFN COUNT' run lies in a logical entry
 *    and translates to PFN's address;
 *  - every `map VA SIZE hugetlb' is covered by logical entries of exactly
 *    its page size (smaps KernelPageSize), each of the form and level the
 *    SIZE=FORM/LEVEL arguments give for that size;
 *  - a `map VA SIZE thp' backed by one aligned 2M run is one pmd entry;
 *    a `map VA SIZE anon' (64K mTHP) is covered by 64K cont-pte entries;
 *    a `map VA SIZE small' (MADV_NOHUGEPAGE) by single pte entries of the
 *    base page size: nothing may fold them.
 * Prints one "ok"/"not ok" line per map and one for the pfn runs, with
 * the first disagreements, or "skip" for a THP the kernel did not back
 * with a huge page (the caller decides whether that may be skipped), for
 * tests/qemu.test's run_check_walk. Exit 0 when everything agrees, 1 when
 * something does not, 2 with a message on stderr when the walk or an
 * expectation cannot be read: the comparison must never vanish quietly.
 * Written in C: the checks need 64-bit hex that the shells and mawk
 * cannot do exactly. */
#define _GNU_SOURCE
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct entry {
	uint64_t va, size, pa;
	char form[16], level[8];
};

static struct entry *entries;
static size_t nentries;

struct expect {
	uint64_t size;
	char form[16], level[8];
};

static const struct entry *find(uint64_t va)
{
	size_t lo = 0, hi = nentries;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (entries[mid].va <= va)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (!lo)
		return NULL;
	const struct entry *e = &entries[lo - 1];
	return va - e->va < e->size ? e : NULL;
}

static void read_walk(void)
{
	char line[512];
	size_t cap = 0;
	unsigned long line_no = 0;
	while (fgets(line, sizeof line, stdin)) {
		struct entry e = { 0 };
		char *f[6], *p = line;
		int n = 0;
		line_no++;
		if (!strchr(line, '\n')) {
			fprintf(stderr, "check-walk: walk line %lu too long or cut off\n", line_no);
			exit(2);
		}
		line[strcspn(line, "\n")] = 0;
		/* Exactly five fields, none empty (strtok would merge ",,"). */
		while (p && n < 6)
			f[n++] = strsep(&p, ",");
		for (int i = 0; i < n; i++) {
			if (!*f[i])
				n = -1;
		}
		if (n != 5) {
			fprintf(stderr, "check-walk: walk line %lu is not va,size,form,level,pa: %s\n",
				line_no, line);
			exit(2);
		}
		e.va = strtoull(f[0], NULL, 0);
		e.size = strtoull(f[1], NULL, 0);
		snprintf(e.form, sizeof e.form, "%s", f[2]);
		snprintf(e.level, sizeof e.level, "%s", f[3]);
		e.pa = strtoull(f[4], NULL, 0);
		if (nentries == cap) {
			cap = cap ? cap * 2 : 4096;
			entries = realloc(entries, cap * sizeof *entries);
			if (!entries)
				exit(2);
		}
		if (nentries && e.va < entries[nentries - 1].va) {
			fprintf(stderr, "check-walk: walk not in VA order at 0x%" PRIx64 "\n", e.va);
			exit(2);
		}
		entries[nentries++] = e;
	}
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: check-walk TRUTH [SIZE=FORM/LEVEL...] < walk.csv\n");
		return 2;
	}
	struct expect ex[16];
	int nex = 0;
	for (int i = 2; i < argc && nex < 16; i++) {
		char *eq = strchr(argv[i], '='), *sl = eq ? strchr(eq, '/') : NULL;
		if (!eq || !sl || strtoull(argv[i], NULL, 0) == 0 || sl == eq + 1 || !sl[1]) {
			fprintf(stderr, "check-walk: expectation '%s' is not SIZE=FORM/LEVEL\n", argv[i]);
			return 2;
		}
		ex[nex].size = strtoull(argv[i], NULL, 0);
		snprintf(ex[nex].form, sizeof ex[nex].form, "%.*s", (int)(sl - eq - 1), eq + 1);
		snprintf(ex[nex].level, sizeof ex[nex].level, "%s", sl + 1);
		nex++;
	}
	if (argc - 2 > 16) {
		fprintf(stderr, "check-walk: more than 16 expectations\n");
		return 2;
	}
	read_walk();
	if (!nentries) {
		fprintf(stderr, "check-walk: the walk is empty\n");
		return 2;
	}
	FILE *t = fopen(argv[1], "r");
	if (!t) {
		perror(argv[1]);
		return 2;
	}
	char line[512];
	uint64_t pages = 0, bad = 0, smaps_s[256], smaps_e[256], smaps_k[256], pagesize = 0;
	int nsmaps = 0, failed = 0;
	struct { uint64_t va, size; char kind[16]; } maps[32];
	int nmaps = 0;
	struct { uint64_t va, pfn, count; } runs[4096];
	int nruns = 0;
	while (fgets(line, sizeof line, t)) {
		uint64_t a, b, c;
		char kind[16];
		if (sscanf(line, "pfn %" SCNx64 " %" SCNx64 " %" SCNu64, &a, &b, &c) == 3 && nruns < 4096) {
			runs[nruns].va = a;
			runs[nruns].pfn = b;
			runs[nruns].count = c;
			nruns++;
		} else if (sscanf(line, "map %" SCNx64 " %" SCNx64 " %15s", &a, &b, kind) == 3 && nmaps < 32) {
			maps[nmaps].va = a;
			maps[nmaps].size = b;
			snprintf(maps[nmaps].kind, sizeof maps[nmaps].kind, "%s", kind);
			nmaps++;
		} else if (sscanf(line, "pagesize %" SCNu64, &a) == 1) {
			pagesize = a;
		} else if (sscanf(line, "smaps %" SCNx64 " %" SCNx64 " %" SCNu64, &a, &b, &c) == 3 && nsmaps < 256) {
			smaps_s[nsmaps] = a;
			smaps_e[nsmaps] = b;
			smaps_k[nsmaps] = c;
			nsmaps++;
		}
	}
	fclose(t);
	if (!pagesize || !nruns || !nmaps) {
		fprintf(stderr, "check-walk: %s holds no pagesize, pfn or map lines\n", argv[1]);
		return 2;
	}

	/* Every recorded page translates to its PFN. */
	for (int r = 0; r < nruns; r++) {
		for (uint64_t i = 0; i < runs[r].count; i++) {
			uint64_t va = runs[r].va + i * 4096, want = (runs[r].pfn + i) * 4096;
			const struct entry *e = find(va);
			pages++;
			if (e && e->pa + (va - e->va) == want)
				continue;
			if (bad++ < 5)
				printf("# va 0x%" PRIx64 ": want pa 0x%" PRIx64 ", walk has %s\n", va, want,
				       e ? "another pa" : "no entry");
		}
	}
	printf("%s %" PRIu64 " recorded pages translate to their pfn (%" PRIu64 " wrong)\n",
	       bad || !pages ? "not ok" : "ok", pages, bad);
	failed |= bad || !pages;

	for (int m = 0; m < nmaps; m++) {
		uint64_t va = maps[m].va, end = va + maps[m].size;
		const char *kind = maps[m].kind;
		uint64_t kps = 0;
		for (int s = 0; s < nsmaps; s++) {
			if (smaps_s[s] <= va && va < smaps_e[s])
				kps = smaps_k[s];
		}
		uint64_t want_size = 0;
		const char *want_form = NULL, *want_level = NULL;
		if (!strcmp(kind, "hugetlb")) {
			want_size = kps;
			for (int i = 0; i < nex; i++) {
				if (ex[i].size == kps) {
					want_form = ex[i].form;
					want_level = ex[i].level;
				}
			}
		} else if (!strcmp(kind, "thp")) {
			/* A THP only when the pages are one aligned 2M run. */
			bool huge = false;
			for (int r = 0; r < nruns; r++) {
				if (runs[r].va == va && runs[r].count == 512 && !(runs[r].pfn & 511))
					huge = true;
			}
			if (!huge) {
				printf("skip thp at 0x%" PRIx64 ": not backed by a huge page\n", va);
				continue;
			}
			want_size = 2 << 20;
			want_form = "single";
			want_level = "pmd";
		} else if (!strcmp(kind, "anon")) {
			want_size = 64 << 10;
			want_form = "cont-pte";
			want_level = "pte";
		} else if (!strcmp(kind, "small")) {
			want_size = pagesize;
			want_form = "single";
			want_level = "pte";
		} else {
			printf("not ok %s mapping at 0x%" PRIx64 ": a kind check-walk does not know\n",
			       kind, va);
			failed = 1;
			continue;
		}
		if (!strcmp(kind, "hugetlb") && !want_form) {
			printf("not ok hugetlb mapping of 0x%" PRIx64 " at 0x%" PRIx64 ": no expectation "
			       "for pages of %" PRIu64 " bytes (give SIZE=FORM/LEVEL)\n",
			       maps[m].size, va, kps);
			failed = 1;
			continue;
		}
		int wrong = 0;
		uint64_t n = 0;
		for (uint64_t a = va; a < end;) {
			const struct entry *e = find(a);
			if (!e || e->va != a || e->size != want_size ||
			    (want_form && strcmp(e->form, want_form)) ||
			    (want_level && strcmp(e->level, want_level))) {
				if (wrong++ < 3)
					printf("# %s at 0x%" PRIx64 ": entry %s\n", kind, a,
					       e ? "of another size, form or level" : "missing");
				a += 4096;
				continue;
			}
			a += e->size;
			n++;
		}
		printf("%s %s mapping of 0x%" PRIx64 " at 0x%" PRIx64 ": %" PRIu64 " entries of %" PRIu64
		       " bytes, %s/%s\n", wrong || !want_size ? "not ok" : "ok", kind, maps[m].size, va, n,
		       want_size, want_form ? want_form : "?", want_level ? want_level : "?");
		failed |= wrong || !want_size;
	}
	free(entries);
	return failed;
}
