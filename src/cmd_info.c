/* SPDX-License-Identifier: GPL-2.0-or-later */
/* `ptwalk info': what an image is and what ptwalk learned from it. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "walk_cli.h"
#include "field_out.h"
#include "output.h"
#include "xalloc.h"
#include "region.h"

struct info_args {
	struct image_cli cli;
	enum output_format format;
	const char *path;
	bool regions;
	struct kernel_info_options kopts;	/* --regions: symbols */
};

static const struct argp_option info_options[] = {
	{ "json", 'J', NULL, 0, "Print one JSON object", 0 },
	{ "format", 'F', "FORMAT", 0, "Output format: text (default) or json", 0 },
	{ "bytes", 'b', NULL, 0, "Sizes in bytes, not 4K, 1.5G", 0 },
	{ "regions", 'R', NULL, 0, "List the kernel's regions (the walk's region column) and what they come from", 0 },
	{ 0 }
};

static error_t info_parse(int key, char *arg, struct argp_state *state)
{
	struct info_args *a = state->input;

	switch (key) {
	case ARGP_KEY_INIT:
		state->child_inputs[0] = &a->cli;
		state->child_inputs[1] = &a->kopts;
		break;
	case 'b':
		field_exact_bytes = true;
		break;
	case 'R':
		a->regions = true;
		break;
	case 'J':
		a->format = FORMAT_JSON;
		break;
	case 'F':
		if (parse_output_format(arg, &a->format))
			argp_error(state, "--format=%s: expected text or json", arg);
		break;
	case ARGP_KEY_ARG:
		if (state->arg_num > 0)
			argp_error(state, "too many arguments");
		a->path = arg;
		break;
	case ARGP_KEY_END:
		if (!a->path)
			argp_error(state, "no IMAGE given");
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

static const struct argp_child info_children[] = {
	{ &image_cli_argp, 0, NULL, 0 },
	{ &kernel_info_argp, 0, NULL, 0 },
	{ 0 }
};

static const struct argp info_argp = {
	.options = info_options,
	.parser = info_parse,
	.args_doc = "IMAGE",
	.doc = "Show what a memory image holds: format, architecture, paging, "
	       "kernel release, kernel page-table root and physical ranges.",
	.children = info_children,
};

static const char *style_name(enum elf_style s)
{
	switch (s) {
	case ELF_STYLE_PHYSICAL: return "physical";
	case ELF_STYLE_KEXEC: return "kexec";
	case ELF_STYLE_KCORE: return "kcore";
	default: return NULL;
	}
}

static const char *style_text(enum elf_style s)
{
	switch (s) {
	case ELF_STYLE_PHYSICAL: return " (physical PT_LOADs: p_vaddr = p_paddr)";
	case ELF_STYLE_KEXEC: return " (kernel-virtual PT_LOADs, as kexec's /proc/vmcore)";
	case ELF_STYLE_KCORE: return " (/proc/kcore)";
	default: return "";
	}
}

/* A size as every output writes it (format_size()). */
static const char *human_size(uint64_t bytes, char *buf, size_t size)
{
	format_size(buf, size, bytes);
	return buf;
}

static uint64_t total_bytes(const struct image *img)
{
	uint64_t sum = 0;
	for (size_t i = 0; i < img->nranges; i++)
		sum += img->ranges[i].end - img->ranges[i].start;
	return sum;
}

static void print_text(const struct image *img, const struct paging *pg, const char *why)
{
	char buf[64];

	out_printf("file:             %s\n", img->path);
	out_printf("format:           %s%s\n", img->format_name, style_text(img->elf_style));
	out_printf("compression:      %s\n", img->compression);
	if (img->block_size)
		out_printf("block size:       %llu\n", (unsigned long long)img->block_size);
	if (!pg->arch) {
		/* Physical memory only (read works; walks do not). */
		out_printf("architecture:     not decoded: %s\n", why);
		out_printf("endianness:       %s\n", !img->endian_known ? "unknown" :
			   img->big_endian ? "big" : "little");
		out_printf("page size:        %s\n", human_size(img->unit, buf, sizeof buf));
	} else {
		out_printf("architecture:     %s\n", pg->arch->name);
		if (pg->endian_how)
			out_printf("endianness:       %s (%s; the headers say %s)\n",
				   pg->big_endian ? "big" : "little", pg->endian_how,
				   img->big_endian ? "big" : "little");
		else
			out_printf("endianness:       %s\n", pg->big_endian ? "big" : "little");
		out_printf("page size:        %s\n", human_size(1ull << pg->page_shift, buf, sizeof buf));
		out_printf("va bits:          %u\n", pg->va_bits);
		out_printf("levels:           %u\n", pg->levels);
		if (pg->arch->has_lpa2)
			out_printf("lpa2:             %s\n", pg->lpa2 ? "yes" : "no");
		if (pg->mmu)
			out_printf("mmu:              %s (%s)\n", pg->mmu, pg->mmu_how);
		if (pg->entry_big_endian != pg->big_endian)
			out_printf("entries:          big-endian\n");
	}
	if (pg->release[0])
		out_printf("kernel release:   %s (%s)\n", pg->release, pg->release_source);
	else
		out_printf("kernel release:   unknown\n");
	if (pg->arch)
		out_printf("swap types:       by %s\n", pg->swap_how);
	if (img->vmci.build_id[0])
		out_printf("build id:         %s\n", img->vmci.build_id);
	if (!pg->arch)
		out_printf("kernel root:      unknown (page tables not decoded)\n");
	else if (pg->kernel_root.set)
		out_printf("kernel root:      0x%llx (%s)\n",
			   (unsigned long long)pg->kernel_root.v, pg->kernel_root_how);
	else if (!img->vmci.present)
		out_printf("kernel root:      unknown (the image has no VMCOREINFO)\n");
	else
		out_printf("kernel root:      unknown (VMCOREINFO lacks the symbols that locate it)\n");
	if (pg->kaslr_offset.set)
		out_printf("kaslr offset:     0x%llx\n", (unsigned long long)pg->kaslr_offset.v);
	if (img->vmci.present)
		out_printf("vmcoreinfo:       %zu bytes (%s)\n", img->vmci.raw_len, img->vmcoreinfo_source);
	else
		out_printf("vmcoreinfo:       none\n");
	out_printf("physical ranges:  %zu, %s\n", img->nranges,
		   human_size(total_bytes(img), buf, sizeof buf));
	for (size_t i = 0; i < img->nranges; i++)
		out_printf("  0x%016llx-0x%016llx  %s\n",
			   (unsigned long long)img->ranges[i].start,
			   (unsigned long long)img->ranges[i].end - 1,
			   human_size(img->ranges[i].end - img->ranges[i].start, buf, sizeof buf));
	if (img->nsplit) {
		out_printf("split files:      %zu of a makedumpfile --split dump", img->nsplit);
		if (img->split_missing_blocks)
			out_printf("; %llu blocks in files not given", (unsigned long long)img->split_missing_blocks);
		out_puts("\n");
		for (size_t i = 0; i < img->nsplit; i++)
			out_printf("  %s  blocks 0x%llx-0x%llx\n", img->split[i].path,
				   (unsigned long long)img->split[i].start,
				   (unsigned long long)img->split[i].end - (img->split[i].end > img->split[i].start));
	}
}

static void json_key(const char *key, bool first)
{
	if (!first)
		out_puts(",");
	out_json_string(key);
	out_puts(":");
}

static void json_str_or_null(const char *key, const char *v)
{
	json_key(key, false);
	if (v && *v)
		out_json_string(v);
	else
		out_puts("null");
}

static void json_hex_or_null(const char *key, const struct opt_u64 *v)
{
	json_key(key, false);
	if (v->set)
		out_json_hex(v->v);
	else
		out_puts("null");
}

static void print_json(const struct image *img, const struct paging *pg, const char *why)
{
	out_puts("{");
	json_key("file", true);
	out_json_string(img->path);
	json_str_or_null("format", img->format_name);
	json_str_or_null("elf_style", style_name(img->elf_style));
	json_str_or_null("compression", img->compression);
	json_key("block_size", false);
	if (img->block_size)
		out_printf("%llu", (unsigned long long)img->block_size);
	else
		out_puts("null");
	if (!pg->arch) {
		json_str_or_null("arch", NULL);
		json_str_or_null("endian", !img->endian_known ? NULL :
				 img->big_endian ? "big" : "little");
		json_key("page_size", false);
		out_printf("%zu", img->unit);
		json_key("va_bits", false);
		out_puts("null");
		json_key("levels", false);
		out_puts("null");
		json_key("lpa2", false);
		out_puts("null");
		json_key("mmu", false);
		out_puts("null");
	} else {
		json_str_or_null("arch", pg->arch->name);
		json_str_or_null("endian", pg->big_endian ? "big" : "little");
		json_key("page_size", false);
		out_printf("%u", 1u << pg->page_shift);
		json_key("va_bits", false);
		out_printf("%u", pg->va_bits);
		json_key("levels", false);
		out_printf("%u", pg->levels);
		json_key("lpa2", false);
		out_puts(pg->lpa2 ? "true" : "false");
		json_str_or_null("mmu", pg->mmu);
	}
	json_str_or_null("paging_error", why);
	json_str_or_null("kernel_release", pg->release);
	json_str_or_null("kernel_release_source", pg->release_source);
	json_str_or_null("swap_types", pg->swap_how);
	json_str_or_null("build_id", img->vmci.build_id);
	json_hex_or_null("kernel_root", &pg->kernel_root);
	json_str_or_null("kernel_root_source", pg->kernel_root.set ? pg->kernel_root_how : NULL);
	json_hex_or_null("kaslr_offset", &pg->kaslr_offset);
	json_str_or_null("vmcoreinfo_source", img->vmci.present ? img->vmcoreinfo_source : NULL);
	json_key("vmcoreinfo_bytes", false);
	out_printf("%zu", img->vmci.present ? img->vmci.raw_len : 0);
	json_key("phys_bytes", false);
	out_printf("%llu", (unsigned long long)total_bytes(img));
	json_key("phys_ranges", false);
	out_puts("[");
	for (size_t i = 0; i < img->nranges; i++) {
		out_puts(i ? ",{" : "{");
		json_key("start", true);
		out_json_hex(img->ranges[i].start);
		json_key("size", false);
		out_printf("%llu", (unsigned long long)(img->ranges[i].end - img->ranges[i].start));
		out_puts("}");
	}
	out_puts("]");
	json_key("split", false);
	if (!img->nsplit) {
		out_puts("null");
	} else {
		out_puts("{\"files\":[");
		for (size_t i = 0; i < img->nsplit; i++) {
			out_puts(i ? ",{" : "{");
			json_key("file", true);
			out_json_string(img->split[i].path);
			json_key("start_block", false);
			out_json_hex(img->split[i].start);
			json_key("blocks", false);
			out_printf("%llu", (unsigned long long)(img->split[i].end - img->split[i].start));
			out_puts("}");
		}
		out_puts("]");
		json_key("missing_blocks", false);
		out_printf("%llu}", (unsigned long long)img->split_missing_blocks);
	}
	out_puts("}\n");
}

/* One line on stderr when the image's release lies outside what ptwalk
 * was verified on: real Debian kernels from 5.10 to 7.2 (tests/qemu),
 * generated images of the 4.18 and 5.14 layouts from their sources. */
static void release_warning(const struct image *img, const struct paging *pg)
{
	if (!pg->version)
		return;
	if (pg->version < PT_KNOWN_MIN)
		cli_warn_later("%s: kernel %s is older than any release ptwalk knows (4.18 to 7.2): its entries may be misread",
			       img->path, pg->release);
	else if (pg->version < PT_VERIFIED_MIN)
		cli_warn_later("%s: kernel %s is older than the releases ptwalk was verified on with real kernels (5.10 to 7.2); its layouts are decoded from the 4.18 and 5.14 sources",
			       img->path, pg->release);
	else if (pg->version > PT_VERIFIED_MAX)
		cli_warn_later("%s: kernel %s is newer than the releases ptwalk was verified on (5.10 to 7.2): its entries are decoded as 7.2's",
			       img->path, pg->release);
}

/* --regions: the kernel's regions in VA order, then where they come
 * from. */
static void print_regions(const struct pt_regions *rg, const struct paging *pg, bool json)
{
	char buf[32];
	unsigned digits = pg->arch && pg->arch->flat_space ? 8 : 16;

	if (json) {
		out_puts("{\"regions\":[");
		for (unsigned i = 0; i < rg->n; i++) {
			const struct pt_region *r = &rg->r[i];
			out_puts(i ? ",{" : "{");
			json_key("start", true);
			out_json_hex(r->start);
			json_key("end", false);
			out_json_hex(r->end);
			json_str_or_null("region", region_names[r->id]);
			out_puts("}");
		}
		out_puts("]");
		json_str_or_null("source", rg->how);
		out_puts("}\n");
		return;
	}
	out_printf("%-*s %-*s %6s REGION\n", digits + 2, "START", digits + 2, "END", "SIZE");
	for (unsigned i = 0; i < rg->n; i++) {
		const struct pt_region *r = &rg->r[i];
		uint64_t size = r->end - r->start + 1;
		if (!size)
			snprintf(buf, sizeof buf, "16E");
		else
			format_size(buf, sizeof buf, size);
		out_printf("0x%0*llx 0x%0*llx %6s %s\n", digits, (unsigned long long)r->start, digits,
			   (unsigned long long)r->end, buf, region_names[r->id]);
	}
	out_printf("source: %s\n", rg->how[0] ? rg->how : "the architecture's fixed layout");
}

int cmd_info(int argc, char **argv)
{
	struct info_args a = { .format = FORMAT_TEXT };
	struct image *img;
	struct paging pg;

	command_parse(&info_argp, argc, argv, "info", &a);
	a.cli.image.path = a.path;
	a.cli.probe_kernel = true;
	/* What the image is, even where its page tables cannot be decoded. */
	char why[256];
	int rc = image_cli_open_physical(&a.cli, &img, &pg, why, sizeof why);
	if (rc)
		return rc;
	if (!a.cli.quiet && pg.arch)
		release_warning(img, &pg);
	if (a.regions) {
		if (!pg.arch) {
			fprintf(stderr, "%s: %s: no regions: %s\n", pt_progname, img->path, why);
			image_close(img);
			return PT_EXIT_IMAGE;
		}
		struct pt_regions rg;
		regions_setup(&rg, img, &pg, &a.kopts);
		print_regions(&rg, &pg, a.format == FORMAT_JSON);
	} else if (a.format == FORMAT_JSON) {
		print_json(img, &pg, why);
	} else {
		print_text(img, &pg, why);
	}
	out_finish();
	image_close(img);
	return PT_EXIT_OK;
}
