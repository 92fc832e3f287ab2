/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Choosing the paging format of an image: architecture, kernel release,
 * then the architecture's own setup. */
#include "config.h"

#include <elf.h>
#include <stdio.h>
#include <string.h>

#include "arch-private.h"

static const struct arch_ops *const all_arches[] = {
	&arch_x86_64,
	&arch_arm64,
	&arch_ppc8xx,
	&arch_riscv64,
	&arch_ppc64,
};
#define NARCHES (sizeof all_arches / sizeof all_arches[0])

/* The names other tools use for the same formats, and the byte order a
 * name fixes for an architecture of either (-1: the image's). */
static const struct arch_alias {
	const char *name;
	const struct arch_ops *ops;
	int big_endian;
} aliases[] = {
	{ "aarch64", &arch_arm64, -1 },
	{ "x86-64", &arch_x86_64, -1 },
	{ "amd64", &arch_x86_64, -1 },
	{ "ppc64le", &arch_ppc64, 0 },
	{ "ppc64el", &arch_ppc64, 0 },
	{ "ppc64be", &arch_ppc64, 1 },
};

static const struct arch_alias *alias_of(const char *name)
{
	for (size_t i = 0; i < sizeof aliases / sizeof aliases[0]; i++)
		if (!strcmp(aliases[i].name, name))
			return &aliases[i];
	return NULL;
}

const struct arch_ops *arch_by_name(const char *name)
{
	for (size_t i = 0; i < NARCHES; i++)
		if (!strcmp(all_arches[i]->name, name))
			return all_arches[i];
	const struct arch_alias *a = alias_of(name);
	return a ? a->ops : NULL;
}

const struct arch_ops *arch_by_kdump_arch(const char *name)
{
	for (size_t i = 0; i < NARCHES; i++)
		if (!strcmp(all_arches[i]->kdump_arch, name))
			return all_arches[i];
	return NULL;
}

const struct arch_ops *arch_by_elf_machine(unsigned machine)
{
	for (size_t i = 0; i < NARCHES; i++)
		if (all_arches[i]->elf_machine == machine)
			return all_arches[i];
	return NULL;
}

const struct arch_ops *arch_from_vmcoreinfo(const struct vmcoreinfo *vi)
{
	for (size_t i = 0; vi->present && i < NARCHES; i++)
		if (all_arches[i]->vmcoreinfo_matches(vi))
			return all_arches[i];
	return NULL;
}

#define ARCH_NAMES "x86_64, arm64, ppc8xx, riscv64, ppc64"

const char *arch_names(void)
{
	return ARCH_NAMES;
}

static bool machine_lookup(const char *name, const char *kdump_arch,
			   const struct vmcoreinfo *vi, struct image_machine *m)
{
	const struct arch_ops *ops = name ? arch_by_name(name) :
				     kdump_arch ? arch_by_kdump_arch(kdump_arch) :
				     vi ? arch_from_vmcoreinfo(vi) : NULL;
	if (!ops)
		return false;
	*m = (struct image_machine){ ops->name, ops->kdump_arch, ops->big_endian };
	/* --arch=ppc64be: a big-endian raw image. */
	const struct arch_alias *a = name ? alias_of(name) : NULL;
	if (a && a->big_endian >= 0)
		m->big_endian = a->big_endian;
	return true;
}

const struct image_machines arch_machines = {
	.lookup = machine_lookup,
	.names = ARCH_NAMES,
};

void paging_facts_of(const struct image *img, struct paging_facts *f)
{
	*f = (struct paging_facts){
		.path = img->path,
		.vmci = &img->vmci,
		.elf_machine = img->elf_machine,
		.elf_class = img->elf_class,
		.arch_hint = img->arch_hint,
		.machine = img->machine[0] ? img->machine : NULL,
		.endian_known = img->endian_known,
		.big_endian = img->big_endian,
		.linear_offset_known = img->linear_offset_known,
		.linear_offset = img->linear_offset,
	};
}

int paging_setup(struct paging *pg, struct image *img,
		 const struct paging_options *opts, struct pt_error *err)
{
	struct paging_facts f;
	paging_facts_of(img, &f);
	if (paging_setup_facts(pg, &f, opts, err) ||
	    image_set_page_size(img, (size_t)1 << pg->page_shift, err))
		return -1;
	if (pg->arch->probe && pg->arch->probe(pg, img, err))
		return pt_prefix(err, "%s", img->path);
	return 0;
}

int paging_setup_facts(struct paging *pg, const struct paging_facts *f,
		       const struct paging_options *opts, struct pt_error *err)
{
	const struct arch_ops *ops = NULL, *from_image = NULL;

	memset(pg, 0, sizeof *pg);
	if (f->elf_machine) {
		from_image = arch_by_elf_machine(f->elf_machine);
		if (!from_image)
			return pt_fail(err, PT_EXIT_IMAGE,
				       "%s: unsupported machine (ELF e_machine %u); ptwalk knows %s",
				       f->path, f->elf_machine, arch_names());
	} else if (f->arch_hint) {
		from_image = arch_by_name(f->arch_hint);
	} else if (f->machine && !opts->arch) {
		return pt_fail(err, PT_EXIT_IMAGE, "%s: unsupported machine '%s'; ptwalk knows %s",
			       f->path, f->machine, arch_names());
	}
	if (opts->arch) {
		ops = arch_by_name(opts->arch);
		if (!ops)
			return pt_fail(err, PT_EXIT_USAGE, "unknown architecture '%s' (known: %s)",
				       opts->arch, arch_names());
		if (from_image && from_image != ops)
			return pt_fail(err, PT_EXIT_USAGE, "%s: --arch=%s, but the image is %s",
				       f->path, opts->arch, from_image->name);
	} else {
		ops = from_image;
	}
	if (!ops)
		ops = arch_from_vmcoreinfo(f->vmci);
	if (!ops)
		return pt_fail(err, PT_EXIT_IMAGE,
			       "%s: cannot tell the architecture; give --arch (%s)",
			       f->path, arch_names());
	if (f->elf_class && f->elf_class != ops->elf_class)
		return pt_fail(err, PT_EXIT_IMAGE, "%s: ELF%u image, but %s cores are ELF%u",
			       f->path, f->elf_class, ops->name, ops->elf_class);
	if (opts->mmu && ops != &arch_ppc64)
		return pt_fail(err, PT_EXIT_USAGE, "--mmu is for ppc64, not %s", ops->name);
	pg->arch = ops;
	pg->big_endian = f->endian_known ? f->big_endian : ops->big_endian;
	const struct arch_alias *a = opts->arch ? alias_of(opts->arch) : NULL;
	if (a && a->big_endian >= 0 && f->endian_known && a->big_endian != f->big_endian)
		return pt_fail(err, PT_EXIT_USAGE, "%s: --arch=%s, but the image is %s-endian",
			       f->path, opts->arch, f->big_endian ? "big" : "little");
	pg->entry_big_endian = pg->big_endian || ops->entries_big_endian;
	if (pg->big_endian != ops->big_endian && !ops->either_endian)
		return pt_fail(err, PT_EXIT_IMAGE, "%s: %s-endian image, but %s is %s-endian",
			       f->path, pg->big_endian ? "big" : "little", ops->name,
			       ops->big_endian ? "big" : "little");

	if (opts->kernel_release) {
		snprintf(pg->release, sizeof pg->release, "%s", opts->kernel_release);
		pg->release_source = "--kernel-release";
	} else if (f->vmci->osrelease[0]) {
		snprintf(pg->release, sizeof pg->release, "%s", f->vmci->osrelease);
		pg->release_source = "VMCOREINFO";
	}
	pg->version = pg->release[0] ? kernel_version_code(pg->release) : 0;
	if (opts->kernel_release && !pg->version)
		return pt_fail(err, PT_EXIT_USAGE, "--kernel-release=%s: expected X.Y[.Z]",
			       opts->kernel_release);

	if (ops->setup(pg, f, opts, err))
		return pt_prefix(err, "%s", f->path);
	return swap_kinds_setup(pg, f, opts, err);
}

/* Shared by the setups: the page size from the options or VMCOREINFO. */
int paging_page_size(struct paging *pg, const struct paging_facts *f,
		     const struct paging_options *opts, uint64_t fallback,
		     struct pt_error *err)
{
	uint64_t size = fallback;

	if (opts->page_size)
		size = opts->page_size;
	else if (f->vmci->pagesize.set)
		size = f->vmci->pagesize.v;
	if (!size)
		return pt_fail(err, PT_EXIT_IMAGE,
			       "no VMCOREINFO PAGESIZE; give --page-size");
	if (!is_pow2(size) || size < 4096 || size > 65536)
		return pt_fail(err, PT_EXIT_IMAGE, "page size %llu is not one %s uses",
			       (unsigned long long)size, pg->arch->name);
	pg->page_shift = ilog2_u64(size);
	return 0;
}

void attr_words_format(const struct paging *pg, unsigned level, uint64_t raw, char *buf,
		       size_t len)
{
	size_t n = 0, nwords = 0;
	const struct attr_word *w = pg->arch->attr_words ? pg->arch->attr_words(pg, raw, &nwords) : NULL;
	buf[0] = 0;
	for (size_t i = 0; i < nwords; i++) {
		if (w[i].levels && !(w[i].levels & (1u << level)))
			continue;
		const char *word = (raw & w[i].mask) == w[i].val ? w[i].set : w[i].clear;
		if (!word)
			continue;
		/* ptdump pads each word to a column: the blanks go. */
		size_t start = 0, end = strlen(word);
		while (start < end && word[start] == ' ')
			start++;
		while (end > start && word[end - 1] == ' ')
			end--;
		if (start == end || n + (n > 0) + (end - start) + 1 > len)
			continue;
		if (n)
			buf[n++] = ' ';
		memcpy(buf + n, word + start, end - start);
		n += end - start;
		buf[n] = 0;
	}
}
