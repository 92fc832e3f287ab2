/* SPDX-License-Identifier: GPL-2.0-or-later */
/* `ptwalk read': physical memory out of an image, as crash's `rd -p'. */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "output.h"

struct read_args {
	struct image_cli cli;
	const char *path;
	uint64_t addr;
	uint64_t length;
	bool binary;
};

static const struct argp_option read_options[] = {
	{ "binary", 'b', NULL, 0, "Write the bytes themselves instead of a hex dump", 0 },
	{ 0 }
};

static error_t read_parse(int key, char *arg, struct argp_state *state)
{
	struct read_args *a = state->input;

	switch (key) {
	case ARGP_KEY_INIT:
		state->child_inputs[0] = &a->cli;
		break;
	case 'b':
		a->binary = true;
		break;
	case ARGP_KEY_ARG:
		if (state->arg_num == 0)
			a->path = arg;
		else if (state->arg_num == 1) {
			if (parse_addr(arg, &a->addr))
				argp_error(state, "ADDR '%s': expected a physical address (hex)", arg);
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

static const struct argp_child read_children[] = {
	{ &image_cli_argp, 0, NULL, 0 },
	{ 0 }
};

static const struct argp read_argp = {
	.options = read_options,
	.parser = read_parse,
	.args_doc = "IMAGE ADDR [LENGTH]",
	.doc = "Read LENGTH bytes (default 256) of physical memory at ADDR, "
	       "as a hex dump or (--binary) as they are.",
	.children = read_children,
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

int cmd_read(int argc, char **argv)
{
	struct read_args a = { .length = 256 };
	struct image *img;
	struct paging pg;
	uint8_t buf[4096];

	command_parse(&read_argp, argc, argv, "read", &a);
	a.cli.image.path = a.path;
	/* Physical memory needs no page tables: an image of any machine. */
	char why[256];
	int rc = image_cli_open_physical(&a.cli, &img, &pg, why, sizeof why);
	if (rc)
		return rc;

	uint64_t addr = a.addr, left = a.length;
	while (left) {
		size_t chunk = left < sizeof buf ? (size_t)left : sizeof buf;
		/* Stop at a page boundary so that an absent page is
		 * reported at its own address. */
		size_t to_page = img->unit - (size_t)(addr & (img->unit - 1));
		if (chunk > to_page)
			chunk = to_page;
		size_t got;
		enum read_status st = image_read_partial(img, addr, buf, chunk, &got);
		/* What is there is shown, up to the first absent byte. */
		size_t n = st == READ_OK ? chunk : got;
		if (a.binary) {
			out_write(buf, n);
		} else {
			for (size_t off = 0; off < n; off += 16)
				hexdump_line(addr + off, buf + off, n - off < 16 ? n - off : 16);
		}
		if (st != READ_OK) {
			out_finish();
			if (st == READ_ERROR)
				pt_warn("%s: physical 0x%llx: %s", img->path,
					(unsigned long long)(addr + got), img->last_error);
			else
				pt_warn("%s: physical 0x%llx: not in the image (%s)", img->path,
					(unsigned long long)(addr + got), read_status_name(st));
			image_close(img);
			return PT_EXIT_IMAGE;
		}
		addr += chunk;
		left -= chunk;
	}
	out_finish();
	image_close(img);
	return PT_EXIT_OK;
}
