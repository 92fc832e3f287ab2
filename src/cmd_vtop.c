/* SPDX-License-Identifier: GPL-2.0-or-later */
/* `ptwalk vtop': translate addresses, showing every level's slot (as
 * crash's vtop does) and the logical entry that holds the address. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "output.h"
#include "walk_cli.h"
#include "xalloc.h"

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
		if (parse_addr(arg, &v))
			argp_error(state, "ADDR '%s': expected a virtual address (hex)", arg);
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

static const struct argp vtop_argp = {
	.parser = vtop_parse,
	.args_doc = "IMAGE ADDR...",
	.doc = "Translate virtual addresses: for each, every level's slot (its "
	       "physical address, raw value and meaning), the logical entry that "
	       "holds the address, and the physical address.\v"
	       "Kernel addresses use the kernel root; on arm64 user addresses need "
	       "--pgd (TTBR0_EL1). Exit status 1 when an address is not mapped.",
};

/* One address's translation: the root chosen for it and the descent. */
struct translation {
	bool root_ok;
	const char *root_name;		/* "kernel", "--pgd" or "pid N COMM" */
	struct pt_descent d;
	bool have_entry;
	struct logical_entry entry;
	char why[160];
};

/* USER names the user root: the process's, or --pgd's. */
static void translate(const struct walk_params *base, const char *user, uint64_t va,
		      struct translation *t)
{
	const struct paging *pg = base->pg;
	uint64_t root;

	memset(t, 0, sizeof *t);
	t->d.va = va;
	switch (pt_root_for(base, va, &root)) {
	case PT_ROOT_NOT_CANONICAL:
		snprintf(t->why, sizeof t->why, "not a canonical %u-bit address", pg->va_bits);
		return;
	case PT_ROOT_NO_KERNEL:
		snprintf(t->why, sizeof t->why, "no kernel root in VMCOREINFO: give --pgd");
		return;
	case PT_ROOT_NO_USER:
		snprintf(t->why, sizeof t->why, "a user address needs --pgd");
		return;
	case PT_ROOT_KERNEL:
		t->root_name = "kernel";
		break;
	case PT_ROOT_USER:
		t->root_name = user;
		break;
	}
	t->root_ok = true;
	pt_descend(pg, base->img, root, va, &t->d);
	pt_descent_why(pg, &t->d, t->why, sizeof t->why);
	t->have_entry = pt_descent_entry(base, &t->d, &t->entry);
}

/* The other PMD of an 8xx pair, under the one the address goes through. */
static void print_buddy(const struct paging *pg, const struct pt_step *s)
{
	/* Addresses as wide as the architecture's. */
	int w = (int)entry_out_va_digits(pg);
	char idx[32];
	if (!s->have_buddy)
		return;
	snprintf(idx, sizeof idx, "%s[%u]", pt_level_name(pg, s->level), s->index ^ 1);
	out_printf("  %-9s @0x%0*llx = 0x%0*llx buddy\n", idx,
		   w, (unsigned long long)s->buddy_slot, w, (unsigned long long)s->buddy_raw);
}

static void print_text(struct entry_out *eo, const struct paging *pg,
		       const struct translation *t)
{
	/* Addresses as wide as the architecture's. */
	int w = (int)entry_out_va_digits(pg);
	if (t->d.mapped)
		out_printf("va 0x%0*llx -> pa 0x%0*llx%s%s\n", w, (unsigned long long)t->d.va,
			   w, (unsigned long long)t->d.pa, t->why[0] ? "  " : "", t->why);
	else
		out_printf("va 0x%0*llx not mapped: %s\n", w, (unsigned long long)t->d.va, t->why);
	if (!t->root_ok)
		return;
	out_printf("  root      0x%0*llx (%s)\n", w, (unsigned long long)t->d.root, t->root_name);
	for (unsigned i = 0; i < t->d.nsteps; i++) {
		const struct pt_step *s = &t->d.steps[i];
		char idx[32];
		if (s->hugepd)
			snprintf(idx, sizeof idx, "hugepd");
		else
			snprintf(idx, sizeof idx, "%s[%u]", pt_level_name(pg, s->level), s->index);
		if (s->st != READ_OK) {
			out_printf("  %-9s @0x%0*llx %s\n", idx, w, (unsigned long long)s->slot,
				   read_status_name(s->st));
			continue;
		}
		out_printf("  %-9s @0x%0*llx = 0x%0*llx ", idx, w, (unsigned long long)s->slot,
			   w, (unsigned long long)s->raw);
		char flags[32], size[16];
		switch (s->d.kind) {
		case PTK_TABLE:
			out_printf("table 0x%0*llx%s\n", w, (unsigned long long)s->d.pa,
				   s->d.paired ? " (half of an 8M pair)" : "");
			print_buddy(pg, s);
			break;
		case PTK_HUGEPD:
			out_printf("hugepd 0x%0*llx\n", w, (unsigned long long)s->d.pa);
			print_buddy(pg, s);
			break;
		case PTK_LEAF: {
			/* The size of the page the entry belongs to. */
			/* The slot's own size and PA; a gang's whole size
			 * is said apart, with the slot's place in it. */
			struct gang_spec gs;
			struct phys_entry pe;
			uint64_t bytes = 1ull << pg->level_shift[s->level];
			bool gang = false;
			if (i + 1 == t->d.nsteps && pt_descent_gang(pg, &t->d, &pe, &gs)) {
				gang = pt_form_is_gang(gs.form) && gs.n > 1;
				bytes = gang ? gs.size / gs.n : gs.size;
			}
			format_flags(flags, s->d.flags);
			format_size(size, sizeof size, bytes);
			out_printf("leaf %s 0x%0*llx %s %s", size, w, (unsigned long long)s->d.pa,
				   flags, pg->arch->cache_names[s->d.cache]);
			if (gang) {
				format_size(size, sizeof size, gs.size);
				out_printf(", slot %llu of %u of a %s %s gang",
					   (unsigned long long)((t->d.va / bytes) & (gs.n - 1)), gs.n,
					   size, pt_form_names[gs.form]);
			}
			out_printf("\n");
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
		format_flags(flags, le->d.flags);
		format_anomalies(an, sizeof an, le->anomalies);
		out_printf("  entry     0x%0*llx-0x%0*llx %s %s %s x%llu",
			   w, (unsigned long long)le->va, w, (unsigned long long)(le->va + le->size - 1),
			   size, pt_level_name(pg, le->level), pt_form_names[le->form],
			   (unsigned long long)le->count);
		if (pt_kind_has_pa(le->d.kind))
			out_printf(" pa 0x%0*llx", w, (unsigned long long)le->d.pa);
		out_printf(" %s%s%s\n", flags, an[0] ? " !" : "", an);
	}
	(void)eo;
}

static void print_json(struct entry_out *eo, const struct paging *pg,
		       const struct translation *t)
{
	out_printf("{\"va\":");
	out_json_hex(t->d.va);
	out_printf(",\"pa\":");
	if (t->d.mapped)
		out_json_hex(t->d.pa);
	else
		out_printf("null");
	out_printf(",\"root\":");
	if (t->root_ok)
		out_json_hex(t->d.root);
	else
		out_printf("null");
	out_printf(",\"steps\":[");
	for (unsigned i = 0; i < t->d.nsteps; i++) {
		const struct pt_step *s = &t->d.steps[i];
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

	/* One table, each address on its own: no range, merge, columns or
	 * rows to head. */
	walk_cli_init(&a.w, WC_NO_MERGE | WC_NO_COLUMNS | WC_NO_HEADINGS | WC_NO_RANGE |
			    WC_NO_EXPAND | WC_NO_CSV | WC_NO_ALL);
	command_parse(walk_cli_command(&a.w, &vtop_argp), argc, argv, "vtop", &a);
	rc = image_cli_open(&a.w.image, &img, &pg);
	if (!rc)
		rc = walk_cli_one_root(&a.w, img, &pg, &wp);
	if (!rc) {
		bool all_mapped = true;
		char user[40] = "--pgd";
		if (a.w.ntargets && a.w.targets[0].process)
			snprintf(user, sizeof user, "pid %d %s", a.w.targets[0].pid, a.w.targets[0].comm);
		json_doc_image(&a.w.out.doc, img->path, pg.arch->name);
		a.w.out.doc.key = "translations";
		for (size_t i = 0; i < a.naddrs; i++) {
			struct translation t;
			translate(&wp, user, a.addrs[i], &t);
			if (!t.d.mapped)
				all_mapped = false;
			if (a.w.out.format == EFMT_JSON) {
				json_doc_item(&a.w.out.doc);
				print_json(&a.w.out, &pg, &t);
			}
			else
				print_text(&a.w.out, &pg, &t);
		}
		if (a.w.out.format == EFMT_JSON)
			json_doc_close(&a.w.out.doc);
		rc = all_mapped ? PT_EXIT_OK : PT_EXIT_FOUND;
	}
	free(a.addrs);
	walk_cli_free(&a.w);
	image_close(img);
	out_finish();
	return rc;
}
