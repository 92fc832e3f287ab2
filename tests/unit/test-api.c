/* SPDX-License-Identifier: GPL-2.0-or-later */
/* libptwalk's public API, linked as a program links it (the shared
 * library, ptwalk_* only): the sample image opened as a file and again
 * through a reader callback with explicit paging facts give the same
 * entries, translations and counts; errors come back as codes and one
 * line, and a callback stops a call. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "ptwalk/ptwalk.h"
#include "tap.h"

#define MAX_ENTRIES 4096

struct collected {
	size_t n;
	struct ptwalk_entry e[MAX_ENTRIES];
	size_t stop_after;	/* stop at this entry (0: never) */
};

static int collect(void *arg, const struct ptwalk_entry *e)
{
	struct collected *c = arg;
	if (c->n < MAX_ENTRIES)
		c->e[c->n] = *e;
	c->n++;
	return c->stop_after && c->n == c->stop_after;
}

/* The reader: the file handle's physical memory, as a debugger's. */
static long long read_through(void *arg, uint64_t pa, void *buf, size_t len)
{
	struct ptwalk_error err;
	if (ptwalk_read_phys(arg, pa, buf, len, &err) == 0)
		return (long long)len;
	/* The leading bytes that are there. */
	size_t got = 0;
	while (got < len && ptwalk_read_phys(arg, pa + got, (char *)buf + got, 1, &err) == 0)
		got++;
	return (long long)got;
}

static long long read_none(void *arg, uint64_t pa, void *buf, size_t len)
{
	(void)arg, (void)pa, (void)buf, (void)len;
	return 0;
}

static long long read_error(void *arg, uint64_t pa, void *buf, size_t len)
{
	(void)arg, (void)pa, (void)buf, (void)len;
	return -1;
}

static int same_entry(const struct ptwalk_entry *a, const struct ptwalk_entry *b)
{
	return a->va == b->va && a->size == b->size && a->level == b->level &&
	       !strcmp(a->kind, b->kind) && !strcmp(a->form, b->form) && a->count == b->count &&
	       a->has_pa == b->has_pa && a->pa == b->pa && a->slot_pa == b->slot_pa &&
	       a->raw == b->raw && a->flags == b->flags && a->anomalies == b->anomalies &&
	       !strcmp(a->cache, b->cache) && a->pkey == b->pkey;
}

static unsigned long long nrec_seen;

static int count_records(void *arg, const struct ptwalk_diff_record *r)
{
	(void)r;
	++*(unsigned long long *)arg;
	return 0;
}

static int stop_records(void *arg, const struct ptwalk_diff_record *r)
{
	(void)arg;
	(void)r;
	return 1;
}

static int count_task(void *arg, const struct ptwalk_task *t)
{
	size_t *n = arg;
	(*n)++;
	return t->pid < 0;
}

/* --tasks IMAGE KALLSYMS BTF [lookup|stop]: the processes, one line each
 * ("PID COMM ROOT"), with the symbols from the kallsyms file, or from a
 * caller's lookup reading it (tests/tasks.test compares them with
 * `ptwalk tasks'); "stop" stops the list at its first task. */
static int lookup_file(void *arg, const char *name, uint64_t *addr)
{
	FILE *f = fopen(arg, "r");
	char line[512], sym[256], type;
	unsigned long long a;
	int rc = -1;
	while (f && fgets(line, sizeof line, f)) {
		if (sscanf(line, "%llx %c %255s", &a, &type, sym) == 3 && !strcmp(sym, name)) {
			*addr = a;
			rc = 0;
			break;
		}
	}
	if (f)
		fclose(f);
	return rc;
}

static int print_task(void *arg, const struct ptwalk_task *t)
{
	if (arg)
		return 1;	/* "stop": stop at the first */
	if (t->have_root)
		printf("%d %s 0x%016llx\n", t->pid, t->comm, (unsigned long long)t->root);
	else
		printf("%d %s -\n", t->pid, t->comm);
	return 0;
}

static int list_tasks(char **argv, const char *how)
{
	int lookup = how && !strcmp(how, "lookup");
	void *stop = how && !strcmp(how, "stop") ? argv : NULL;
	struct ptwalk_symbols syms = { .size = sizeof syms, .btf = argv[4] };
	struct ptwalk_error err;
	ptwalk *pw = NULL;
	if (lookup) {
		syms.lookup = lookup_file;
		syms.lookup_arg = argv[3];
	} else {
		syms.kallsyms = argv[3];
	}
	if (ptwalk_open(argv[2], NULL, &pw, &err) == 0 &&
	    ptwalk_tasks(pw, &syms, print_task, stop, &err) == 0)
		err.code = 0;
	else
		fprintf(stderr, "test-api: %s\n", err.message);
	ptwalk_close(pw);
	return err.code;
}

int main(int argc, char **argv)
{
	if (argc >= 5 && !strcmp(argv[1], "--tasks"))
		return list_tasks(argv, argc > 5 ? argv[5] : NULL);
	const char *srcdir = getenv("SRCDIR");
	char path[4096];
	snprintf(path, sizeof path, "%s/data/sample-arm64.vmcore", srcdir ? srcdir : ".");
	const char *image = argc > 1 ? argv[1] : path;
	static struct collected a, b, c, s2;
	struct ptwalk_options o = { .size = sizeof o };
	struct ptwalk_walk_options wo = { .size = sizeof wo };
	struct ptwalk_error err;
	struct ptwalk_info info, rinfo;
	ptwalk *pw = NULL, *rw = NULL, *bad = NULL;

	tap_plan(42);
	OK(ptwalk_version() && !strcmp(ptwalk_version(), PACKAGE_VERSION), "version %s",
	   ptwalk_version());
	OK(ptwalk_open(image, &o, &pw, &err) == 0, "open %s: %s", image, pw ? "" : err.message);
	if (!pw)
		return 1;
	ptwalk_get_info(pw, &info);
	OK(!strcmp(info.arch, "arm64") && info.page_size == 4096 && info.va_bits == 48 &&
	   info.levels == 4 && info.have_kernel_root, "info: %s %u %u-bit %u levels root 0x%llx",
	   info.arch, info.page_size, info.va_bits, info.levels,
	   (unsigned long long)info.kernel_root);

	/* The kernel's table: the sample maps 256M of linear map in 2M
	 * blocks. */
	OK(ptwalk_walk(pw, &wo, collect, &a, &err) == 0, "walk the kernel's table");
	OK(a.n == 128 && !strcmp(a.e[0].form, "single") && !strcmp(a.e[0].level_name, "pmd") &&
	   a.e[0].size == 2u << 20 && a.e[0].pa == 0x40000000 && a.e[0].pkey == -1,
	   "128 2M blocks, the first at 0x40000000 (%zu)", a.n);

	/* The VMCOREINFO keys a host rebuilds the text from: whole keys,
	 * each once, the ones the paging needs among them. */
	unsigned nkeys = 0, wrapped = 1, unique = 1, needed = 0;
	for (const char *k; (k = ptwalk_vmcoreinfo_key(nkeys)); nkeys++) {
		if (!strncmp(k, "SYMBOL(", 7) || !strncmp(k, "NUMBER(", 7))
			wrapped &= k[strlen(k) - 1] == ')';
		for (unsigned j = 0; j < nkeys; j++)
			unique &= strcmp(k, ptwalk_vmcoreinfo_key(j)) != 0;
		needed += !strcmp(k, "OSRELEASE") + !strcmp(k, "PAGESIZE") +
			  !strcmp(k, "SYMBOL(swapper_pg_dir)") + !strcmp(k, "NUMBER(VA_BITS)") +
			  !strcmp(k, "NUMBER(kimage_voffset)") + !strcmp(k, "NUMBER(phys_base)");
	}
	OK(nkeys > 10 && wrapped && unique && needed == 6 && !ptwalk_vmcoreinfo_key(~0u),
	   "%u VMCOREINFO keys, whole and each once", nkeys);

	/* The same memory read through a callback, the facts given. */
	struct ptwalk_options ro = {
		.size = sizeof ro, .arch = "arm64", .page_size = 4096, .va_bits = 48,
		.kernel_release = info.kernel_release,
		.kernel_root_set = 1, .kernel_root = info.kernel_root,
	};
	OK(ptwalk_open_reader("test", read_through, pw, &ro, &rw, &err) == 0,
	   "open a reader with explicit facts%s%s", rw ? "" : ": ", rw ? "" : err.message);
	if (!rw)
		return 1;
	ptwalk_get_info(rw, &rinfo);
	OK(!strcmp(rinfo.format, "reader") && rinfo.levels == 4 &&
	   rinfo.kernel_root == info.kernel_root, "the reader's paging is the file's");
	OK(ptwalk_walk(rw, &wo, collect, &b, &err) == 0, "walk through the reader");
	int same = a.n == b.n;
	for (size_t i = 0; same && i < a.n && i < MAX_ENTRIES; i++)
		same = same_entry(&a.e[i], &b.e[i]);
	OK(same, "the reader's walk equals the file's (%zu and %zu entries)", a.n, b.n);

	/* A process: the sample's one user table, every hugetlb size. */
	uint64_t root = 0;
	size_t ntasks = 0;
	OK(ptwalk_tasks(pw, NULL, count_task, &ntasks, &err) < 0 && ntasks == 0 &&
	   err.code == PTWALK_E_IMAGE && strstr(err.message, "kallsyms"),
	   "tasks: the sample holds no kernel memory for its symbols: %s", err.message);
	struct ptwalk_translation t;
	OK(ptwalk_translate(pw, 0, 0, 0xffff000000201234ull, &t, &err) == 0 && t.mapped &&
	   t.pa == 0x40201234 && t.nsteps == 3 && t.have_entry &&
	   !strcmp(t.entry.level_name, "pmd"), "translate a linear-map address: 0x%llx, %u steps",
	   (unsigned long long)t.pa, t.nsteps);
	OK(ptwalk_translate(pw, 0, 0, 0xffff7fff00000000ull, &t, &err) == 0 && !t.mapped &&
	   strstr(t.why, "is empty"), "an unmapped address says why: %s", t.why);
	OK(ptwalk_translate(pw, 0, 0, 0x0000900000000000ull, &t, &err) < 0 &&
	   err.code == PTWALK_E_USAGE, "a user address without a root: %s", err.message);

	/* The sample's process, by its root (data/README.md). */
	root = 0x41003000;
	struct ptwalk_walk_options uo = { .size = sizeof uo, .have_root = 1, .root = root };
	OK(ptwalk_walk(pw, &uo, collect, &c, &err) == 0, "walk the process");
	size_t cont = 0, gangs = 0;
	for (size_t i = 0; i < c.n && i < MAX_ENTRIES; i++) {
		if (!strcmp(c.e[i].form, "cont-pte") && c.e[i].count == 16 && c.e[i].size == 65536)
			cont++;
		if (strcmp(c.e[i].form, "single"))
			gangs++;
	}
	OK(cont == 1 && gangs == 2, "one 64K contpte gang folded, %zu gangs in all", gangs);
	OK(ptwalk_translate(pw, 1, root, 0x2345678, &t, &err) == 0 && t.mapped &&
	   t.pa == 0x44345678 && !strcmp(t.entry.form, "cont-pmd") && t.entry.count == 16,
	   "translate in a 32M cont-pmd gang: 0x%llx", (unsigned long long)t.pa);
	struct ptwalk_counts k;
	OK(ptwalk_count(pw, &uo, &k, &err) == 0 && k.entries == c.n && k.gangs == gangs &&
	   k.anomalous == 0, "counts: %llu entries, %llu gangs, %llu leaves",
	   (unsigned long long)k.entries, (unsigned long long)k.gangs,
	   (unsigned long long)k.leaves);
	struct ptwalk_walk_options po = uo;
	po.physical = 1;
	struct ptwalk_counts kp;
	OK(ptwalk_count(pw, &po, &kp, &err) == 0 && kp.entries > k.entries && kp.gangs == 0,
	   "the physical view: %llu slots", (unsigned long long)kp.entries);

	/* The same walks pulled: the process's entries, in order, then the
	 * end; the kernel's through the reader (the ring is smaller than
	 * neither) stopped halfway. */
	ptwalk_iter *it = ptwalk_walk_iter(pw, &uo, &err);
	struct ptwalk_entry e;
	size_t pulled = 0;
	int same_pulled = it != NULL, got;
	while (it && (got = ptwalk_iter_next(it, &e, &err)) == 1) {
		same_pulled &= pulled < c.n && pulled < MAX_ENTRIES && same_entry(&e, &c.e[pulled]);
		pulled++;
	}
	OK(same_pulled && pulled == c.n && got == 0 && ptwalk_iter_next(it, &e, &err) == 0,
	   "the process's walk pulled: the %zu entries of ptwalk_walk(), then the end", pulled);
	ptwalk_iter_free(it);
	it = ptwalk_walk_iter(rw, &wo, &err);
	pulled = 0;
	while (it && pulled < 10 && ptwalk_iter_next(it, &e, &err) == 1)
		pulled++;
	ptwalk_iter_free(it);
	OK(it && pulled == 10, "a pulled walk let go after 10 of %zu entries: the walk stops", a.n);
	struct ptwalk_walk_options backwards = { .size = sizeof backwards, .start = 2, .end = 1 };
	OK(!ptwalk_walk_iter(pw, &backwards, &err) && err.code == PTWALK_E_USAGE,
	   "a pulled walk with wrong options: %s", err.message);

	/* Errors: codes and one line naming what is wrong. */
	static struct collected s = { .stop_after = 3 };
	OK(ptwalk_walk(pw, &wo, collect, &s, &err) < 0 && err.code == PTWALK_E_CALLBACK &&
	   s.n == 3, "a callback stops a walk: %s", err.message);
	OK(ptwalk_open("/nonexistent/vmcore", &o, &bad, &err) < 0 && !bad &&
	   err.code == PTWALK_E_IMAGE && strstr(err.message, "/nonexistent/vmcore") &&
	   !strchr(err.message, '\n'), "a missing file: %s", err.message);
	struct ptwalk_options bo = { .size = sizeof bo, .arch = "vax" };
	OK(ptwalk_open(image, &bo, &bad, &err) < 0 && err.code == PTWALK_E_USAGE,
	   "an unknown architecture: %s", err.message);
	struct ptwalk_options rawo = { .size = sizeof rawo, .raw = 1, .raw_base = 0x40000000,
				       .arch = "vax" };
	OK(ptwalk_open(image, &rawo, &bad, &err) < 0 && !bad && err.code == PTWALK_E_USAGE &&
	   strstr(err.message, "unknown architecture 'vax'"), "a raw image of an unknown architecture: %s",
	   err.message);
	OK(ptwalk_open_reader("x", read_through, pw, NULL, &bad, &err) < 0 &&
	   err.code == PTWALK_E_USAGE, "a reader without facts: %s", err.message);
	struct ptwalk_options vo = { .size = sizeof vo, .vmcoreinfo = "OSRELEASE=6.1.0\nPAGESIZE=4096\n" };
	OK(ptwalk_open_reader("x", read_through, pw, &vo, &bad, &err) < 0 &&
	   err.code == PTWALK_E_IMAGE, "a VMCOREINFO naming no architecture: %s", err.message);
	OK(ptwalk_flag_name(0) && !strcmp(ptwalk_flag_name(0), "present") &&
	   !ptwalk_flag_name(18) && ptwalk_anomaly_name(0) && !ptwalk_anomaly_name(32),
	   "flag and anomaly names");
	char buf[8];
	OK(ptwalk_read_phys(pw, 0x4f000000, buf, 8, &err) == 0 && !memcmp(buf, "ptwalk-s", 8),
	   "read physical memory");
	OK(ptwalk_read_phys(pw, 0x3ffffffc, buf, 8, &err) < 0 && err.code == PTWALK_E_IMAGE &&
	   strstr(err.message, "0x3ffffffc"), "physical memory not in the image: %s", err.message);
	OK(ptwalk_translate(pw, 0, 0, 0x0001000000000000ull, &t, &err) < 0 &&
	   err.code == PTWALK_E_USAGE, "a non-canonical address: %s", err.message);
	uint64_t r;
	OK(ptwalk_root_from_register(pw, 0x0005000041003000ull, &r, &err) == 0 && r == 0x41003000,
	   "a TTBR0_EL1 value's root: 0x%llx", (unsigned long long)r);
	/* The reader's own failures: an error, and memory cut short. */
	OK(ptwalk_open_reader("cut", read_none, NULL, &ro, &bad, &err) == 0,
	   "a reader of no memory opens");
	OK(ptwalk_walk(bad, &wo, collect, &s2, &err) < 0 && s2.n == 0 &&
	   err.code == PTWALK_E_IMAGE && strstr(err.message, "root table at 0x41000000: outside"),
	   "its walk fails at the root: %s", err.message);
	ptwalk_iter *bit = ptwalk_walk_iter(bad, &wo, &err);
	OK(bit && ptwalk_iter_next(bit, &e, &err) == -1 && err.code == PTWALK_E_IMAGE &&
	   strstr(err.message, "root table at 0x41000000: outside"),
	   "pulled, the same failure comes from ptwalk_iter_next(): %s", err.message);
	ptwalk_iter_free(bit);
	OK(ptwalk_read_phys(bad, 0x1000, buf, 8, &err) < 0 && strstr(err.message, "cut: physical 0x1000"),
	   "and its reads fail in one line: %s", err.message);
	ptwalk_close(bad);
	OK(ptwalk_open_reader("broken", read_error, NULL, &ro, &bad, &err) == 0 &&
	   ptwalk_read_phys(bad, 0x1000, buf, 8, &err) < 0 && err.code == PTWALK_E_IMAGE,
	   "a reader whose callback fails: %s", err.message);
	ptwalk_close(bad);

	/* diff: the file against the reader of the same memory, the sample's
	 * process against the kernel's table; a callback that stops it. */
	long long nrec = ptwalk_diff(pw, &uo, rw, &uo, NULL, count_records, &nrec_seen, &err);
	OK(nrec == 0 && nrec_seen == 0, "diff of the process, file against reader: the same");
	nrec = ptwalk_diff(pw, &uo, rw, &wo, NULL, count_records, &nrec_seen, &err);
	OK(nrec > 0 && (long long)nrec_seen == nrec, "diff of two tables: %lld records", nrec);
	OK(ptwalk_diff(pw, &uo, rw, &wo, NULL, stop_records, NULL, &err) < 0 &&
	   err.code == PTWALK_E_CALLBACK && strstr(err.message, "stopped"),
	   "a record callback that stops the diff: %s", err.message);
	OK(ptwalk_diff(pw, &uo, NULL, &uo, NULL, count_records, &nrec_seen, &err) < 0 &&
	   err.code == PTWALK_E_USAGE, "diff without a second handle: %s", err.message);
	ptwalk_close(rw);
	ptwalk_close(pw);
	ptwalk_close(NULL);
	return tap_done();
}
