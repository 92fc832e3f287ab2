/* SPDX-License-Identifier: GPL-2.0-or-later */
/* `ptwalk vtop': translate addresses, showing every level's slot (as
 * crash's vtop does) and the logical entry that holds the address. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ptwalk/output.h"
#include "ptwalk/walk_cli.h"

struct vtop_args {
	struct walk_cli w;
	const char *path;
	uint64_t *addrs;
	size_t naddrs;
};

static error_t vtop_parse(int key, char *arg, struct argp_state *state)
{
	struct vtop_args *a = state->input;
	uint64_t v;

	switch (key) {
	case ARGP_KEY_INIT:
		state->child_inputs[0] = &a->w;
		break;
	case ARGP_KEY_ARG:
		if (state->arg_num == 0) {
			a->path = arg;
			a->w.image.image.path = arg;
			break;
		}
		if (parse_u64(arg, &v))
			argp_error(state, "ADDR '%s': expected a virtual address", arg);
		a->addrs = xreallocarray(a->addrs, a->naddrs + 1, sizeof *a->addrs);
		a->addrs[a->naddrs++] = v;
		break;
	case ARGP_KEY_END:
		if (!a->naddrs)
			argp_error(state, "expected IMAGE and at least one ADDR");
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

static const struct argp_child vtop_children[] = {
	{ &walk_cli_argp, 0, NULL, 0 },
	{ 0 }
};

static const struct argp vtop_argp = {
	.parser = vtop_parse,
	.args_doc = "IMAGE ADDR...",
	.doc = "Translate virtual addresses: for each, every level's slot (its "
	       "physical address, raw value and meaning), the logical entry that "
	       "holds the address, and the physical address.\v"
	       "Kernel addresses use the kernel root; on arm64 user addresses need "
	       "--pgd (TTBR0_EL1). Exit status 1 when an address is not mapped.",
	.children = vtop_children,
};

struct step {
	unsigned level, index;
	uint64_t slot, raw;
	struct pt_decoded d;
	enum read_status st;
	bool hugepd;		/* the entry of a hugepd, not of a table */
	bool have_buddy;	/* the other half of a PMD pair */
	uint64_t buddy_slot, buddy_raw;
};

struct translation {
	uint64_t va;
	bool root_ok;
	uint64_t root;
	const char *root_name;
	struct step steps[PT_MAX_LEVELS + 1];	/* + a hugepd entry */
	unsigned nsteps;
	bool mapped;
	bool loop;
	uint64_t pa;
	bool have_entry;
	struct logical_entry entry;
	char why[160];
};

struct find_entry {
	uint64_t va;
	bool found;
	struct logical_entry le;
};

static int find_sink(void *arg, const struct logical_entry *le)
{
	struct find_entry *fe = arg;
	if (le->va <= fe->va && fe->va - le->va < le->size) {
		fe->le = *le;
		fe->found = true;
	}
	return 0;
}

static bool in_half(const struct paging *pg, uint64_t va, bool *upper)
{
	struct va_half h[2];
	pt_va_halves(pg, h);
	for (int i = 0; i < 2; i++) {
		if (va >= h[i].start && va <= h[i].end) {
			*upper = i == 1;
			return true;
		}
	}
	return false;
}

static bool step_gang(const struct paging *pg, const struct translation *t,
		      struct phys_entry *pe, struct gang_spec *gs);

/* The leaf at the last step maps VA: where to. */
static void leaf_reached(const struct paging *pg, struct translation *t, uint64_t va)
{
	const struct step *s = &t->steps[t->nsteps - 1];
	struct gang_spec gs;
	struct phys_entry pe;
	uint64_t avail;
	bool gang = step_gang(pg, t, &pe, &gs);
	if (s->d.flags & PTF_PROTNONE)
		snprintf(t->why, sizeof t->why, "protnone %s", pt_level_name(pg, s->level));
	t->mapped = true;
	pt_gang_translate(pg, &pe, gang ? &gs : NULL, va, &t->pa, &avail);
}

static void translate(const struct walk_params *base, uint64_t va, struct translation *t)
{
	const struct paging *pg = base->pg;
	bool upper;

	memset(t, 0, sizeof *t);
	t->va = va;
	if (!in_half(pg, va, &upper)) {
		snprintf(t->why, sizeof t->why, "not a canonical %u-bit address", pg->va_bits);
		return;
	}
	if (pg->arch->split_roots ? upper : !base->have_user_root) {
		if (!base->have_kernel_root) {
			snprintf(t->why, sizeof t->why, "no kernel root in VMCOREINFO: give --pgd");
			return;
		}
		t->root = base->kernel_root;
		t->root_name = "kernel";
	} else {
		if (!base->have_user_root) {
			snprintf(t->why, sizeof t->why, "a user address needs --pgd");
			return;
		}
		t->root = base->user_root;
		t->root_name = "--pgd";
	}
	t->root_ok = true;

	uint64_t table = t->root;
	for (unsigned level = pg->levels; level-- > 0;) {
		struct step *s = &t->steps[t->nsteps++];
		uint64_t mask = (1ull << pg->level_bits[level]) - 1;
		s->level = level;
		s->index = (unsigned)((va >> pg->level_shift[level]) & mask);
		s->slot = table + (uint64_t)s->index * pg->entry_size;
		s->st = pt_read_entry(base->pg, base->img, s->slot, &s->raw);
		if (s->st != READ_OK) {
			snprintf(t->why, sizeof t->why, "%s table at 0x%llx: %s",
				 pt_level_name(pg, level), (unsigned long long)table,
				 read_status_name(s->st));
			return;
		}
		pt_decode(pg, level, s->raw, &s->d);
		if (s->d.paired && pg->arch->pair_slot) {
			/* Show the other half of the pair too. */
			s->buddy_slot = pg->arch->pair_slot(pg, s->slot);
			s->have_buddy = pt_read_entry(base->pg, base->img, s->buddy_slot, &s->buddy_raw) == READ_OK;
		}
		switch (s->d.kind) {
		case PTK_TABLE:
			/* A table met again on the way down is a loop, as
			 * the walker reports it; do not follow it. */
			for (unsigned k = 0; k < t->nsteps; k++) {
				if (t->steps[k].slot - (uint64_t)t->steps[k].index * pg->entry_size == s->d.pa) {
					snprintf(t->why, sizeof t->why,
						 "%s[%u] points back to the %s table at 0x%llx (a loop)",
						 pt_level_name(pg, level), s->index,
						 pt_level_name(pg, t->steps[k].level),
						 (unsigned long long)s->d.pa);
					t->loop = true;
					return;
				}
			}
			table = s->d.pa;
			continue;
		case PTK_LEAF:
			leaf_reached(pg, t, va);
			return;
		case PTK_HUGEPD: {
			/* One entry in the directory maps the whole page. */
			struct step *c = &t->steps[t->nsteps++];
			c->level = 0;
			c->index = 0;
			c->slot = s->d.pa;
			c->hugepd = true;
			c->st = pt_read_entry(base->pg, base->img, c->slot, &c->raw);
			if (c->st != READ_OK) {
				snprintf(t->why, sizeof t->why, "hugepd at 0x%llx: %s",
					 (unsigned long long)c->slot, read_status_name(c->st));
				return;
			}
			pt_decode(pg, 0, c->raw, &c->d);
			if (c->d.kind == PTK_LEAF)
				leaf_reached(pg, t, va);
			else
				snprintf(t->why, sizeof t->why, "the hugepd entry is %s",
					 c->d.kind == PTK_NONE ? "empty" : "not a page");
			return;
		}
		case PTK_NONE:
			snprintf(t->why, sizeof t->why, "%s[%u] is empty", pt_level_name(pg, level), s->index);
			return;
		case PTK_SWAP:
			snprintf(t->why, sizeof t->why, "%s[%u] is a %s entry, type %u offset 0x%llx",
				 pt_level_name(pg, level), s->index, s->d.swap_kind, s->d.swap_type,
				 (unsigned long long)s->d.swap_offset);
			return;
		default:
			snprintf(t->why, sizeof t->why, "%s[%u] is reserved: %s",
				 pt_level_name(pg, level), s->index, s->d.why);
			return;
		}
	}
}

/* The gang the last step's entry belongs to. */
/* The last step as a physical entry (PE), and its gang. */
static bool step_gang(const struct paging *pg, const struct translation *t,
		      struct phys_entry *pe, struct gang_spec *gs)
{
	const struct step *last = &t->steps[t->nsteps - 1];
	*pe = (struct phys_entry){
		.raw = last->raw,
		.level = last->level,
		.d = last->d,
		.parent_raw = t->nsteps > 1 ? t->steps[t->nsteps - 2].raw : 0,
	};
	if (last->hugepd) {
		/* The cell stands at the level of the PMD that points to it. */
		pe->level = t->steps[t->nsteps - 2].level;
	}
	return pt_gang_of(pg, pe, gs);
}

/* The logical entry holding VA: walk the aligned span of its gang. */
static void find_logical(const struct walk_params *base, struct translation *t)
{
	const struct paging *pg = base->pg;
	if (!t->nsteps)
		return;
	const struct step *last = &t->steps[t->nsteps - 1];
	if (last->st != READ_OK || last->d.kind == PTK_NONE)
		return;
	/* A leaf's gang, or the whole span of the entry where the descent
	 * stopped (a loop is reported on that entry). */
	uint64_t span = 1ull << pg->level_shift[last->level];
	struct gang_spec gs;
	struct phys_entry pe;
	if (!t->loop && step_gang(pg, t, &pe, &gs) && gs.size > span)
		span = gs.size;
	struct walk_params wp = *base;
	struct find_entry fe = { .va = t->va };
	struct walk_stats ws;
	struct pt_error err = { 0 };
	wp.start = t->va & ~(span - 1);
	wp.end = wp.start + span - 1;
	wp.on_entry = find_sink;
	wp.arg = &fe;
	wp.on_progress = NULL;
	if (!walk_tables(&wp, &ws, &err) && fe.found) {
		t->have_entry = true;
		t->entry = fe.le;
	}
}

/* The other PMD of an 8xx pair, under the one the address goes through. */
static void print_buddy(const struct paging *pg, const struct step *s)
{
	char idx[32];
	if (!s->have_buddy)
		return;
	snprintf(idx, sizeof idx, "%s[%u]", pt_level_name(pg, s->level), s->index ^ 1);
	out_printf("  %-9s @0x%016llx = 0x%016llx buddy\n", idx,
		   (unsigned long long)s->buddy_slot, (unsigned long long)s->buddy_raw);
}

static void print_text(struct entry_out *eo, const struct paging *pg,
		       const struct translation *t)
{
	if (t->mapped)
		out_printf("va 0x%016llx -> pa 0x%016llx%s%s\n", (unsigned long long)t->va,
			   (unsigned long long)t->pa, t->why[0] ? "  " : "", t->why);
	else
		out_printf("va 0x%016llx not mapped: %s\n", (unsigned long long)t->va, t->why);
	if (!t->root_ok)
		return;
	out_printf("  root      0x%016llx (%s)\n", (unsigned long long)t->root, t->root_name);
	for (unsigned i = 0; i < t->nsteps; i++) {
		const struct step *s = &t->steps[i];
		char idx[32];
		if (s->hugepd)
			snprintf(idx, sizeof idx, "hugepd");
		else
			snprintf(idx, sizeof idx, "%s[%u]", pt_level_name(pg, s->level), s->index);
		if (s->st != READ_OK) {
			out_printf("  %-9s @0x%016llx %s\n", idx, (unsigned long long)s->slot,
				   read_status_name(s->st));
			continue;
		}
		out_printf("  %-9s @0x%016llx = 0x%016llx ", idx, (unsigned long long)s->slot,
			   (unsigned long long)s->raw);
		char flags[32], size[16];
		switch (s->d.kind) {
		case PTK_TABLE:
			out_printf("table 0x%016llx%s\n", (unsigned long long)s->d.pa,
				   s->d.paired ? " (half of an 8M pair)" : "");
			print_buddy(pg, s);
			break;
		case PTK_HUGEPD:
			out_printf("hugepd 0x%016llx\n", (unsigned long long)s->d.pa);
			print_buddy(pg, s);
			break;
		case PTK_LEAF: {
			/* The size of the page the entry belongs to. */
			struct gang_spec gs;
			struct phys_entry pe;
			uint64_t bytes = 1ull << pg->level_shift[s->level];
			if (i + 1 == t->nsteps && step_gang(pg, t, &pe, &gs))
				bytes = gs.size;
			format_flags(flags, &s->d);
			format_size(size, sizeof size, bytes);
			out_printf("leaf %s 0x%016llx %s %s\n", size, (unsigned long long)s->d.pa,
				   flags, pg->arch->cache_names[s->d.cache]);
			break;
		}
		case PTK_NONE:
			out_printf("empty\n");
			break;
		case PTK_SWAP:
			out_printf("%s type %u offset 0x%llx\n", s->d.swap_kind, s->d.swap_type,
				   (unsigned long long)s->d.swap_offset);
			break;
		default:
			out_printf("reserved: %s\n", s->d.why);
			break;
		}
	}
	if (t->have_entry) {
		char size[16], flags[32], an[256];
		const struct logical_entry *le = &t->entry;
		format_size(size, sizeof size, le->size);
		format_flags(flags, &le->d);
		format_anomalies(an, sizeof an, le->anomalies);
		out_printf("  entry     0x%016llx-0x%016llx %s %s %s x%llu",
			   (unsigned long long)le->va, (unsigned long long)(le->va + le->size - 1),
			   size, pt_level_name(pg, le->level), pt_form_names[le->form],
			   (unsigned long long)le->count);
		if (pt_kind_has_pa(le->d.kind))
			out_printf(" pa 0x%016llx", (unsigned long long)le->d.pa);
		out_printf(" %s%s%s\n", flags, an[0] ? " !" : "", an);
	}
	(void)eo;
}

static void print_json(struct entry_out *eo, const struct paging *pg,
		       const struct translation *t)
{
	out_printf("{\"va\":");
	out_json_hex(t->va);
	out_printf(",\"pa\":");
	if (t->mapped)
		out_json_hex(t->pa);
	else
		out_printf("null");
	out_printf(",\"root\":");
	if (t->root_ok)
		out_json_hex(t->root);
	else
		out_printf("null");
	out_printf(",\"steps\":[");
	for (unsigned i = 0; i < t->nsteps; i++) {
		const struct step *s = &t->steps[i];
		out_printf("%s{\"level\":\"%s\",\"index\":%u,\"slot\":", i ? "," : "",
			   s->hugepd ? "hugepd" : pt_level_name(pg, s->level), s->index);
		out_json_hex(s->slot);
		if (s->st != READ_OK) {
			out_printf(",\"read\":\"%s\"}", read_status_name(s->st));
			continue;
		}
		out_printf(",\"raw\":");
		out_json_hex(s->raw);
		out_printf(",\"kind\":\"%s\"", pt_kind_names[s->d.kind]);
		if (pt_kind_has_pa(s->d.kind)) {
			out_printf(",\"pa\":");
			out_json_hex(s->d.pa);
		}
		if (s->have_buddy) {
			out_printf(",\"buddy_slot\":");
			out_json_hex(s->buddy_slot);
			out_printf(",\"buddy_raw\":");
			out_json_hex(s->buddy_raw);
		}
		out_printf("}");
	}
	out_printf("],\"entry\":");
	if (t->have_entry)
		entry_out_json_object(eo, &t->entry);
	else
		out_printf("null");
	out_printf(",\"note\":");
	out_json_string(t->why);
	out_printf("}\n");
}

int cmd_vtop(int argc, char **argv)
{
	struct vtop_args a = { 0 };
	struct image *img = NULL;
	struct paging pg;
	struct walk_params wp;
	int rc;

	walk_cli_init(&a.w);
	command_parse(&vtop_argp, argc, argv, "vtop", &a);
	rc = image_cli_open(&a.w.image, &img, &pg);
	if (!rc)
		rc = walk_cli_prepare(&a.w, img, &pg, &wp);
	if (!rc && a.w.all) {
		fprintf(stderr, "%s: vtop translates through one table: --all does not apply\n",
			pt_progname);
		rc = PT_EXIT_USAGE;
	}
	if (!rc && pg.arch->decode && (rc = walk_cli_targets(&a.w, img, &pg, &wp)) == 0) {
		if (a.w.ntargets > 1) {
			fprintf(stderr, "%s: %s: --comm=%s matches %zu processes; give --pid\n",
				pt_progname, img->path, a.w.comm, a.w.ntargets);
			rc = PT_EXIT_USAGE;
		} else {
			struct walk_params base = wp;
			walk_cli_apply(&a.w, &a.w.targets[0], &base, &wp);
		}
	}
	if (!rc) {
		bool all_mapped = true;
		for (size_t i = 0; i < a.naddrs; i++) {
			struct translation t;
			translate(&wp, a.addrs[i], &t);
			if (t.root_ok)
				find_logical(&wp, &t);
			if (!t.mapped)
				all_mapped = false;
			if (a.w.out.format == EFMT_JSON)
				print_json(&a.w.out, &pg, &t);
			else
				print_text(&a.w.out, &pg, &t);
		}
		rc = all_mapped ? PT_EXIT_OK : PT_EXIT_FOUND;
	}
	free(a.addrs);
	walk_cli_free(&a.w);
	image_close(img);
	out_finish();
	return rc;
}
