/* SPDX-License-Identifier: GPL-2.0-or-later */
/* `ptwalk read': physical memory out of an image, as crash's `rd -p'. */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "kmem.h"
#include "output.h"
#include "walk_cli.h"
#include "xalloc.h"

enum { OPT_VIRT = 0x400 };

struct read_args {
	struct walk_cli w;
	const char *path;
	uint64_t addr;
	uint64_t length;
	bool binary, virt, all_lines;
};

static const struct argp_option read_options[] = {
	{ "binary", 'b', NULL, 0, "Write the bytes themselves instead of a hex dump", 0 },
	{ "virt", OPT_VIRT, NULL, 0, "ADDR is virtual: translated through the kernel's root, "
	  "or a process's (--pid, --comm, --mm, --task) or --pgd's", 0 },
	{ "all-lines", 'v', NULL, 0, "Every line, even those equal to the one before "
	  "(by default a run of them is one '*', as hexdump -C prints it)", 0 },
	{ 0 }
};

static error_t read_parse(int key, char *arg, struct argp_state *state)
{
	struct read_args *a = state->input;

	switch (key) {
	case ARGP_KEY_INIT:
		state->child_inputs[0] = &a->w;
		break;
	case 'b':
		a->binary = true;
		break;
	case 'v':
		a->all_lines = true;
		break;
	case OPT_VIRT:
		a->virt = true;
		break;
	case ARGP_KEY_ARG:
		if (state->arg_num == 0) {
			a->path = arg;
			a->w.image.image.path = arg;
		} else if (state->arg_num == 1) {
			if (parse_addr(arg, &a->addr))
				argp_error(state, "ADDR '%s': expected a%s address (hex)", arg,
					   a->virt ? " virtual" : " physical");
		} else if (state->arg_num == 2) {
			if (parse_size(arg, &a->length) || a->length == 0)
				argp_error(state, "LENGTH '%s': expected a positive size", arg);
		} else
			argp_error(state, "too many arguments");
		break;
	case ARGP_KEY_END:
		if (state->arg_num < 2)
			argp_error(state, "expected IMAGE and ADDR");
		if (a->addr + a->length < a->addr)
			argp_error(state, "ADDR + LENGTH overflows");
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

static const struct argp read_argp = {
	.options = read_options,
	.parser = read_parse,
	.args_doc = "IMAGE ADDR [LENGTH]",
	.doc = "Read LENGTH bytes (default 256) of physical memory at ADDR, or with "
	       "--virt of virtual memory, as a hex dump (a run of equal lines as one "
	       "'*') or (--binary) as they are.\v"
	       "Exit status 3 at a byte the image does not hold, 1 at a virtual "
	       "address that is not mapped, after what was read before it.",
};

static void hexdump_line(uint64_t addr, const uint8_t *p, size_t n)
{
	char line[100];
	int pos = snprintf(line, sizeof line, "%016llx:", (unsigned long long)addr);

	for (size_t i = 0; i < 16; i++) {
		if (i < n)
			pos += snprintf(line + pos, sizeof line - (size_t)pos, "%s%02x", i == 8 ? "  " : " ", p[i]);
		else
			pos += snprintf(line + pos, sizeof line - (size_t)pos, "%s  ", i == 8 ? "  " : " ");
	}
	pos += snprintf(line + pos, sizeof line - (size_t)pos, "  |");
	for (size_t i = 0; i < n; i++)
		line[pos++] = isprint(p[i]) ? (char)p[i] : '.';
	line[pos++] = '|';
	line[pos++] = '\n';
	out_write(line, (size_t)pos);
}

/* hexdump -C's habit: a line equal to the one before is not printed, a
 * run of them is one '*'. A single such line is printed (a '*' would
 * take its place for nothing), and so is the dump's last line, so that
 * the end shows. */
struct dump {
	bool all_lines;
	bool have_prev, starred, held;
	uint8_t prev[16];
	uint64_t held_addr;
};

static void dump_line(struct dump *d, uint64_t addr, const uint8_t *p, size_t n)
{
	if (n == 16 && d->have_prev && !d->all_lines && !memcmp(d->prev, p, 16)) {
		if (d->held && !d->starred) {
			out_write("*\n", 2);
			d->starred = true;
		}
		d->held = true;
		d->held_addr = addr;
		return;
	}
	/* A single equal line held back is printed after all. */
	if (d->held && !d->starred)
		hexdump_line(d->held_addr, d->prev, 16);
	hexdump_line(addr, p, n);
	d->starred = d->held = false;
	d->have_prev = n == 16;
	if (n == 16)
		memcpy(d->prev, p, 16);
}

/* The end of the dump (or where it stopped): the last line, if held. */
static void dump_end(struct dump *d)
{
	if (d->held)
		hexdump_line(d->held_addr, d->prev, 16);
	d->held = d->starred = false;
}

/* Where virtual ADDR lands, and how many bytes on from it the leaf maps;
 * false with the reason said (exit 1). */
static bool translate(const struct walk_params *wp, uint64_t va, uint64_t *pa, uint64_t *avail)
{
	uint64_t root;
	struct pt_error err = { 0 };
	const char *why = NULL;
	switch (pt_root_for(wp, va, &root)) {
	case PT_ROOT_NOT_CANONICAL: why = "not a canonical address"; break;
	case PT_ROOT_NO_KERNEL: why = "no kernel root in VMCOREINFO: give --pgd"; break;
	case PT_ROOT_NO_USER: why = "a user address: give --pid, --comm, --mm, --task or --pgd"; break;
	default:
		if (!pt_translate(wp->pg, wp->img, root, va, pa, avail, &err))
			return true;
		why = err.msg;
	}
	pt_warn("%s: virtual 0x%llx: not mapped: %s", wp->img->path, (unsigned long long)va, why);
	return false;
}

int cmd_read(int argc, char **argv)
{
	struct read_args a = { .length = 256 };
	struct image *img = NULL;
	struct paging pg;
	struct walk_params wp;
	uint8_t buf[4096];
	int rc;

	walk_cli_init(&a.w, WC_READ);
	a.w.image.probe_kernel = false;
	command_parse(walk_cli_command(&a.w, &read_argp), argc, argv, "read", &a);
	if (!a.virt && (a.w.have_pid || a.w.comm || a.w.have_task || a.w.have_mm || a.w.have_pgd ||
			a.w.kernel || a.w.kopts.vmlinux || a.w.kopts.btf || a.w.kopts.kallsyms)) {
		fprintf(stderr, "%s read: the root and symbol options translate virtual addresses: "
			"give --virt\n", pt_progname);
		return PT_EXIT_USAGE;
	}
	if (a.virt) {
		/* Virtual memory: through one table, as vtop translates. */
		rc = image_cli_open(&a.w.image, &img, &pg);
		if (!rc)
			rc = walk_cli_one_root(&a.w, img, &pg, &wp);
	} else {
		/* Physical memory needs no page tables: an image of any
		 * machine. */
		char why[256];
		rc = image_cli_open_physical(&a.w.image, &img, &pg, why, sizeof why);
	}
	if (rc) {
		walk_cli_free(&a.w);
		image_close(img);
		return rc;
	}

	struct dump d = { .all_lines = a.all_lines };
	uint64_t addr = a.addr, left = a.length;
	rc = PT_EXIT_OK;
	while (left) {
		size_t chunk = left < sizeof buf ? (size_t)left : sizeof buf;
		/* Stop at a page boundary so that an absent page is
		 * reported at its own address. */
		size_t to_page = img->unit - (size_t)(addr & (img->unit - 1));
		if (chunk > to_page)
			chunk = to_page;
		uint64_t pa = addr, avail;
		if (a.virt) {
			if (!translate(&wp, addr, &pa, &avail)) {
				rc = PT_EXIT_FOUND;
				break;
			}
			if (chunk > avail)
				chunk = (size_t)avail;
			/* The page the PA lies in, which the VA's need not
			 * share an offset with on every architecture. */
			to_page = img->unit - (size_t)(pa & (img->unit - 1));
			if (chunk > to_page)
				chunk = to_page;
		}
		size_t got;
		enum read_status st = image_read_partial(img, pa, buf, chunk, &got);
		/* What is there is shown, up to the first absent byte. */
		size_t n = st == READ_OK ? chunk : got;
		if (a.binary) {
			out_write(buf, n);
		} else {
			for (size_t off = 0; off < n; off += 16)
				dump_line(&d, addr + off, buf + off, n - off < 16 ? n - off : 16);
		}
		if (st != READ_OK) {
			dump_end(&d);
			out_finish();
			char where[48] = "";
			if (a.virt)
				snprintf(where, sizeof where, "virtual 0x%llx, ", (unsigned long long)(addr + got));
			if (st == READ_ERROR)
				pt_warn("%s: %sphysical 0x%llx: %s", img->path, where,
					(unsigned long long)(pa + got), img->last_error);
			else
				pt_warn("%s: %sphysical 0x%llx: not in the image (%s)", img->path, where,
					(unsigned long long)(pa + got), read_status_name(st));
			rc = PT_EXIT_IMAGE;
			break;
		}
		addr += chunk;
		left -= chunk;
	}
	dump_end(&d);
	out_finish();
	walk_cli_free(&a.w);
	image_close(img);
	return rc;
}
