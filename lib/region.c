/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Kernel regions: the generic part. The layouts are the arch files'. */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "arch.h"
#include "kmem.h"
#include "region.h"

const char *const region_names[RG_COUNT] = {
	[RG_NONE] = "-",
#define X(id, name, what) [RG_##id] = name,
	REGIONS(X)
#undef X
};

const char *const region_help[RG_COUNT] = {
	[RG_NONE] = "in no region",
#define X(id, name, what) [RG_##id] = what,
	REGIONS(X)
#undef X
};

int region_lookup(const char *name)
{
	for (int i = 0; i < RG_COUNT; i++)
		if (!strcasecmp(region_names[i], name))
			return i;
	return -1;
}

void region_paint(struct pt_regions *rg, uint64_t start, uint64_t end, enum region_id id)
{
	/* END is exclusive; 0 stands for 2^64. */
	if (end && end <= start)
		return;
	uint64_t last = end - 1;
	struct pt_region out[PT_MAX_REGIONS];
	unsigned n = 0;
	bool placed = false;

	for (unsigned i = 0; i < rg->n; i++) {
		struct pt_region r = rg->r[i];
		if (r.end < start || r.start > last) {
			if (!placed && r.start > last) {
				if (n < PT_MAX_REGIONS)
					out[n++] = (struct pt_region){ start, last, id };
				placed = true;
			}
			if (n < PT_MAX_REGIONS)
				out[n++] = r;
			continue;
		}
		/* R overlaps: keep what sticks out on either side. */
		if (r.start < start && n < PT_MAX_REGIONS)
			out[n++] = (struct pt_region){ r.start, start - 1, r.id };
		if (!placed && n < PT_MAX_REGIONS) {
			out[n++] = (struct pt_region){ start, last, id };
			placed = true;
		}
		if (r.end > last && n < PT_MAX_REGIONS)
			out[n++] = (struct pt_region){ last + 1, r.end, r.id };
	}
	if (!placed && n < PT_MAX_REGIONS)
		out[n++] = (struct pt_region){ start, last, id };
	/* Neighbours of one kind are one region. */
	rg->n = 0;
	for (unsigned i = 0; i < n; i++) {
		if (rg->n && rg->r[rg->n - 1].id == out[i].id &&
		    rg->r[rg->n - 1].end + 1 == out[i].start)
			rg->r[rg->n - 1].end = out[i].end;
		else
			rg->r[rg->n++] = out[i];
	}
}

void region_marker(struct pt_regions *rg, uint64_t start, const char *name)
{
	if (rg->nmarkers < PT_MAX_MARKERS)
		rg->m[rg->nmarkers++] = (struct pt_marker){ start, name, 0 };
}

void region_how(struct pt_regions *rg, const char *fmt, ...)
{
	size_t len = strlen(rg->how);
	va_list ap;

	if (len && len + 2 < sizeof rg->how) {
		memcpy(rg->how + len, "; ", 3);
		len += 2;
	}
	va_start(ap, fmt);
	vsnprintf(rg->how + len, sizeof rg->how - len, fmt, ap);
	va_end(ap);
}

bool region_read_sym(const struct region_facts *f, enum region_sym s, uint64_t *v)
{
	return f->have[s] && f->read_word && !f->read_word(f->read_arg, f->sym[s], v);
}

static int read_word(void *arg, uint64_t va, uint64_t *v)
{
	struct pt_error err = { 0 };
	return kmem_read_ptr(arg, va, v, &err);
}

static const char *const sym_names[RS_COUNT] = {
#define X(id, name) [RS_##id] = name,
	REGION_SYMS(X)
#undef X
};

/* The symbols: from what the command line names, else from the kallsyms
 * VMCOREINFO points to, else from the host. */
static void find_symbols(struct region_facts *f, struct kmem *km, struct image *img,
			 const struct paging *pg, const struct kernel_info_options *kopts)
{
	struct pt_error err = { 0 };

	if (kopts && kopts->kallsyms &&
	    !ksyms_from_file(kopts->kallsyms, sym_names, RS_COUNT, f->sym, f->have, &err)) {
		f->sym_source = "--kallsyms";
		return;
	}
	if (kopts && kopts->vmlinux) {
		struct vmlinux *v;
		if (!vmlinux_open(kopts->vmlinux, img->vmci.build_id, &v, &err)) {
			/* Link-time addresses, moved by the KASLR offset. */
			uint64_t kaslr = pg->kaslr_offset.set ? pg->kaslr_offset.v : 0;
			for (unsigned i = 0; i < RS_COUNT; i++) {
				f->have[i] = !vmlinux_symbol(v, sym_names[i], &f->sym[i], &err);
				if (f->have[i])
					f->sym[i] += kaslr;
			}
			vmlinux_close(v);
			f->sym_source = "--vmlinux";
			return;
		}
	}
	if (img->vmci.kallsyms_names.set && pg->kernel_root.set &&
	    !ksyms_from_image(km, sym_names, RS_COUNT, f->sym, f->have, &err)) {
		f->sym_source = "kallsyms in VMCOREINFO";
		return;
	}
	if (kopts && kopts->lookup) {
		bool any = false;
		for (unsigned i = 0; i < RS_COUNT; i++) {
			f->have[i] = !kopts->lookup(kopts->lookup_arg, sym_names[i], &f->sym[i]);
			any |= f->have[i];
		}
		if (any) {
			f->sym_source = "the host's symbols";
			return;
		}
	}
	memset(f->have, 0, sizeof f->have);
}

void regions_setup(struct pt_regions *rg, struct image *img, const struct paging *pg,
		   const struct kernel_info_options *kopts)
{
	struct region_facts f = { .vi = &img->vmci };
	struct kmem km;

	memset(rg, 0, sizeof *rg);
	if (!pg->arch || !pg->arch->regions) {
		region_paint(rg, 0, pg->user_end + 1, RG_USER);
		return;
	}
	kmem_init(&km, img, pg);
	find_symbols(&f, &km, img, pg, kopts);
	if (pg->kernel_root.set) {
		f.read_word = read_word;
		f.read_arg = &km;
	}
	pg->arch->regions(pg, &f, rg);
	if (f.sym_source)
		region_how(rg, "symbols from %s", f.sym_source);
}

enum region_id region_of(const struct pt_regions *rg, uint64_t va, unsigned *hint)
{
	unsigned lo = 0, hi = rg->n;

	if (hint && *hint < rg->n) {
		const struct pt_region *r = &rg->r[*hint];
		if (va >= r->start && va <= r->end)
			return r->id;
		if (*hint + 1 < rg->n && va >= r[1].start && va <= r[1].end) {
			++*hint;
			return r[1].id;
		}
	}
	while (lo < hi) {
		unsigned mid = lo + (hi - lo) / 2;
		if (rg->r[mid].end < va)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < rg->n && va >= rg->r[lo].start) {
		if (hint)
			*hint = lo;
		return rg->r[lo].id;
	}
	return RG_NONE;
}

void region_kernel_image(struct pt_regions *rg, const struct region_facts *f)
{
	/* Linux 6.12 include/asm-generic/sections.h: _text/_etext the text,
	 * __start_rodata/__end_rodata, _sdata/_edata, __init_begin/
	 * __init_end, __bss_start/__bss_stop, _end the image's end. */
	const bool *h = f->have;
	const uint64_t *s = f->sym;
	uint64_t text = h[RS_TEXT] ? s[RS_TEXT] : h[RS_STEXT] ? s[RS_STEXT] : 0;

	if (!text)
		return;
	/* Without _end (kallsyms without CONFIG_KALLSYMS_ALL), the sections
	 * that are known. */
	if (h[RS_END] && s[RS_END] > text)
		region_paint(rg, text, s[RS_END], RG_KERNEL_IMAGE);
	if (h[RS_ETEXT])
		region_paint(rg, text, s[RS_ETEXT], RG_KERNEL_TEXT);
	if (h[RS_INIT_BEGIN] && h[RS_INIT_END])
		region_paint(rg, s[RS_INIT_BEGIN], s[RS_INIT_END], RG_KERNEL_DATA);
	if (h[RS_SDATA] && h[RS_EDATA])
		region_paint(rg, s[RS_SDATA], s[RS_EDATA], RG_KERNEL_DATA);
	/* After the data: riscv's _sdata.._edata holds RO_DATA (6.12
	 * arch/riscv/kernel/vmlinux.lds.S). */
	if (h[RS_START_RODATA] && h[RS_END_RODATA])
		region_paint(rg, s[RS_START_RODATA], s[RS_END_RODATA], RG_KERNEL_RODATA);
	if (h[RS_BSS_START] && h[RS_BSS_STOP])
		region_paint(rg, s[RS_BSS_START], s[RS_BSS_STOP], RG_KERNEL_BSS);
}
