/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Options shared by every command that opens an image. */
#include "config.h"

#include <ctype.h>
#include <sched.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "host.h"
#include "kmem.h"
#include "output.h"
#include "vmcoreinfo.h"
#include "xalloc.h"

int pt_argp_flags;
const struct pt_host *pt_host;

enum {
	OPT_ARCH = 'A',
	OPT_RAW = 0x100,
	OPT_PAGE_SIZE,
	OPT_VA_BITS,
	OPT_LEVELS,
	OPT_KERNEL_RELEASE,
	OPT_PAGE_OFFSET,
	OPT_MMU,
	OPT_TRUNCATED,
	OPT_VMCOREINFO,
	OPT_KERNEL_CONFIG,
	OPT_PART,
	OPT_JOBS,
};

static const struct argp_option image_options[] = {
	{ NULL, 0, NULL, 0, "Image options:", 10 },
	{ "arch", OPT_ARCH, "ARCH", 0,
	  "Architecture when the image does not say (x86_64, arm64, ppc8xx, riscv64, ppc64; ppc64be "
	  "for a big-endian raw image)", 0 },
	{ "raw-image", OPT_RAW, "BASE", 0, "IMAGE is raw physical memory starting at address BASE", 0 },
	{ "page-size", OPT_PAGE_SIZE, "SIZE", 0, "Page size (4K, 16K, 64K) when VMCOREINFO lacks it", 0 },
	{ "va-bits", OPT_VA_BITS, "N", 0, "Virtual address bits the kernel runs with", 0 },
	{ "levels", OPT_LEVELS, "N", 0, "Number of page-table levels", 0 },
	{ "kernel-release", OPT_KERNEL_RELEASE, "X.Y", 0, "Kernel release whose entry layout to use", 0 },
	{ "kernel-config", OPT_KERNEL_CONFIG, "FILE", 0,
	  "The kernel's .config (boot/config-RELEASE): which swap types it has", 0 },
	{ "page-offset", OPT_PAGE_OFFSET, "ADDR", 0, "ppc8xx: kernel virtual address of physical 0", 0 },
	{ "mmu", OPT_MMU, "radix|hash", 0,
	  "ppc64: whose tables the kernel keeps, when VMCOREINFO does not say (before 6.7)", 0 },
	{ "vmcoreinfo", OPT_VMCOREINFO, "FILE", 0,
	  "Read VMCOREINFO from FILE instead of the image; 'memory': find the kernel's note in the "
	  "image's memory", 0 },
	{ "truncated", OPT_TRUNCATED, NULL, 0, "Accept a truncated ELF file: missing data reads as absent", 0 },
	{ "part", OPT_PART, "FILE", 0,
	  "Another file of a makedumpfile --split dump (repeat for each)", 0 },
	{ "jobs", OPT_JOBS, "N", 0,
	  "Threads that read a kdump-compressed image (default: the CPUs this process may use; 1: "
	  "no read-ahead)", 0 },
	{ "quiet", 'q', NULL, 0, "No progress or warnings on stderr", 0 },
	{ 0 }
};

static error_t image_cli_parse(int key, char *arg, struct argp_state *state)
{
	struct image_cli *cli = state->input;
	uint64_t v;

	switch (key) {
	case OPT_ARCH:
		if (!arch_by_name(arg))
			argp_error(state, "unknown architecture '%s' (known: %s)", arg, arch_names());
		cli->image.arch = arg;
		cli->paging.arch = arg;
		break;
	case OPT_RAW:
		if (parse_addr(arg, &v))
			argp_error(state, "--raw-image=%s: expected a physical address (hex)", arg);
		cli->image.raw = true;
		cli->image.raw_base = v;
		break;
	case OPT_PAGE_SIZE:
		if (parse_size(arg, &v) || !is_pow2(v) || v < 4096 || v > 65536)
			argp_error(state, "--page-size=%s: expected 4K, 16K or 64K", arg);
		cli->paging.page_size = v;
		break;
	case OPT_VA_BITS:
		if (parse_u64(arg, &v) || v < 25 || v > 57)
			argp_error(state, "--va-bits=%s: expected a number from 25 to 57", arg);
		cli->paging.va_bits = (unsigned)v;
		break;
	case OPT_LEVELS:
		if (parse_u64(arg, &v) || v < 2 || v > 5)
			argp_error(state, "--levels=%s: expected 2 to 5", arg);
		cli->paging.levels = (unsigned)v;
		break;
	case OPT_KERNEL_RELEASE:
		if (!kernel_version_code(arg))
			argp_error(state, "--kernel-release=%s: expected X.Y[.Z]", arg);
		cli->paging.kernel_release = arg;
		break;
	case OPT_PAGE_OFFSET:
		if (parse_addr(arg, &v) || v > 0xffffffffu)
			argp_error(state, "--page-offset=%s: expected a 32-bit address (hex)", arg);
		cli->paging.page_offset = v;
		cli->paging.page_offset_set = true;
		break;
	case OPT_KERNEL_CONFIG:
		cli->paging.kernel_config = arg;
		break;
	case OPT_MMU:
		if (strcmp(arg, "radix") && strcmp(arg, "hash"))
			argp_error(state, "--mmu=%s: expected radix or hash", arg);
		cli->paging.mmu = arg;
		break;
	case OPT_VMCOREINFO:
		cli->image.vmcoreinfo_file = arg;
		break;
	case OPT_PART:
		if (cli->image.nparts == PT_MAX_PARTS)
			argp_error(state, "--part: at most %d files", PT_MAX_PARTS);
		cli->parts[cli->image.nparts++] = arg;
		cli->image.parts = cli->parts;
		break;
	case OPT_TRUNCATED:
		cli->image.allow_truncated = true;
		break;
	case OPT_JOBS:
		if (parse_u64(arg, &v) || v < 1 || v > PT_MAX_JOBS)
			argp_error(state, "--jobs=%s: expected a number from 1 to %d", arg, PT_MAX_JOBS);
		cli->image.jobs = (unsigned)v;
		break;
	case 'q':
		cli->quiet = true;
		cli->image.quiet = true;
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

const struct argp image_cli_argp = {
	.options = image_options,
	.parser = image_cli_parse,
};

/* The host's VMCOREINFO as the text the image layer parses: one
 * KEY=VALUE line for each key ptwalk reads that the host has; NULL when
 * it has none. */
static char *host_vmcoreinfo(void)
{
	char *text = NULL;
	size_t len = 0;
	const char *key;

	for (unsigned i = 0; pt_host->vmcoreinfo && (key = vmcoreinfo_key(i)); i++) {
		char *v = pt_host->vmcoreinfo(pt_host->arg, key);
		if (!v)
			continue;
		/* A value is one line; the kernel's are short. */
		size_t vlen = strcspn(v, "\n");
		if (vlen > 4096)
			vlen = 4096;
		text = xrealloc(text, len + strlen(key) + vlen + 3);
		len += (size_t)sprintf(text + len, "%s=%.*s\n", key, (int)vlen, v);
		free(v);
	}
	return text;
}

bool cli_path_is_host(const char *path)
{
	/* The host hands the command its own pointer as IMAGE. */
	return pt_host && path && path == pt_host->image;
}

bool cli_image_is_host(const struct image *img)
{
	/* The command opens a caller's reader for the host's memory alone
	 * (open_image() below); files are opened by path. */
	return pt_host && img && !strcmp(img->format_name, "reader");
}

/* The CPUs this process may run on (its affinity mask), for --jobs. */
static unsigned cpus_available(void)
{
	cpu_set_t set;
	if (sched_getaffinity(0, sizeof set, &set) == 0 && CPU_COUNT(&set) > 0)
		return CPU_COUNT(&set) < PT_MAX_JOBS ? (unsigned)CPU_COUNT(&set) : PT_MAX_JOBS;
	return 1;
}

static int open_image(struct image_cli *cli, struct image **img, struct paging *pg,
		      char *why, size_t whysz)
{
	struct pt_error err = { .exit_code = PT_EXIT_IMAGE };

	cli->image.machines = &arch_machines;
	if (!cli->image.jobs)
		cli->image.jobs = cpus_available();
	if (cli_path_is_host(cli->image.path)) {
		const struct image_options *o = &cli->image;
		if (o->raw || o->nparts || o->vmcoreinfo_file || o->allow_truncated) {
			pt_fail(&err, PT_EXIT_USAGE, "--raw-image, --part, --vmcoreinfo and --truncated are for "
				"image files: inside %s the memory is %s's", pt_host->program, pt_host->name);
			*img = NULL;
			goto fail;
		}
		/* The host's memory (crash): read through its callback, the
		 * byte order VMCOREINFO's architecture's. */
		char *text = host_vmcoreinfo();
		struct image_reader r = {
			.name = pt_host->name,
			.read = pt_host->read,
			.arg = pt_host->arg,
			.big_endian = pt_host->big_endian,
			.vmcoreinfo = text,
		};
		int rc = image_open_reader(&r, img, &err);
		free(text);
		if (rc)
			goto fail;
	} else if (image_open(&cli->image, img, &err)) {
		goto fail;
	}
	if (paging_setup(pg, *img, &cli->paging, &err)) {
		const struct paging_options *o = &cli->paging;
		bool asked = o->arch || o->page_size || o->va_bits || o->levels ||
			     o->page_offset_set || o->mmu;
		if (!why || err.exit_code != PT_EXIT_IMAGE || asked)
			goto fail;
		/* Physical memory only: the reason without the file's name
		 * (the output names the file), the page size the image
		 * states or 4K as the cache's unit, the release it states. */
		size_t plen = strlen((*img)->path);
		const char *msg = err.msg;
		if (!strncmp(msg, (*img)->path, plen) && !strncmp(msg + plen, ": ", 2))
			msg += plen + 2;
		snprintf(why, whysz, "%s", msg);
		memset(pg, 0, sizeof *pg);
		pg->big_endian = pg->entry_big_endian = (*img)->big_endian;
		uint64_t ps = cli->paging.page_size;
		if (!ps && (*img)->vmci.pagesize.set)
			ps = (*img)->vmci.pagesize.v;
		if (ps < 4096 || ps > 65536 || !is_pow2(ps))
			ps = 4096;
		if (image_set_page_size(*img, (size_t)ps, &err))
			goto fail;
		if ((*img)->vmci.osrelease[0]) {
			snprintf(pg->release, sizeof pg->release, "%s", (*img)->vmci.osrelease);
			pg->release_source = "VMCOREINFO";
		}
	}
	if (!cli->quiet && (*img)->split_missing_blocks)
		cli_warn_later("%s: a makedumpfile --split dump: %llu of its blocks are in files not given (--part=FILE)",
			       (*img)->path, (unsigned long long)(*img)->split_missing_blocks);
	if (!cli->quiet && (*img)->corrupt_blocks)
		cli_warn_later("%s: %llu page descriptors are corrupt; those pages will not be read",
			       (*img)->path, (unsigned long long)(*img)->corrupt_blocks);
	if (cli->probe_kernel && pg->arch)
		kernel_probe(pg, *img);
	return 0;

fail:
	fprintf(stderr, "%s: %s\n", pt_progname, err.msg);
	image_close(*img);
	*img = NULL;
	return err.exit_code;
}

int image_cli_open_physical(struct image_cli *cli, struct image **img, struct paging *pg,
			    char *why, size_t whysz)
{
	*why = 0;
	return open_image(cli, img, pg, why, whysz);
}

int image_cli_open(struct image_cli *cli, struct image **img, struct paging *pg)
{
	return open_image(cli, img, pg, NULL, 0);
}

bool cli_progress_wanted(bool quiet)
{
	return !quiet && !pt_host && isatty(STDERR_FILENO) && !isatty(STDOUT_FILENO);
}

void cli_progress(void *arg, uint64_t va, uint64_t tables, bool done)
{
	(void)arg;
	if (done)
		fputs("\r\033[K", stderr);
	else
		fprintf(stderr, "\r%s: walking 0x%016llx, %llu table pages read", pt_progname,
			(unsigned long long)va, (unsigned long long)tables);
}

void pt_warn(const char *fmt, ...)
{
	va_list ap;
	char msg[1024];

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	pt_one_line(msg);
	fprintf(stderr, "%s: %s\n", pt_progname, msg);
}

/* The command's pending warnings (main thread only; a few lines). */
static char pending[4][512];
static unsigned npending;

void cli_warn_later(const char *fmt, ...)
{
	if (npending == sizeof pending / sizeof pending[0])
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(pending[npending++], sizeof pending[0], fmt, ap);
	va_end(ap);
}

void cli_flush_warnings(int exit_code)
{
	for (unsigned i = 0; i < npending; i++) {
		if (exit_code == PT_EXIT_OK || exit_code == PT_EXIT_FOUND)
			pt_warn("%s", pending[i]);
	}
	npending = 0;
}

const char *cli_columns_add(char *buf, size_t size, const char *prev, const char *arg)
{
	if (!prev) {
		if (strlen(arg) >= size)
			return NULL;
		return strcpy(buf, arg);
	}
	size_t n = strlen(prev);
	const char *more = arg[0] == '+' ? arg + 1 : arg;
	if (n + 1 + strlen(more) >= size)
		return NULL;
	if (prev != buf)
		memmove(buf, prev, n + 1);
	buf[n] = ',';
	strcpy(buf + n + 1, more);
	return buf;
}

int parse_output_format(const char *arg, enum output_format *fmt)
{
	if (!strcmp(arg, "text"))
		*fmt = FORMAT_TEXT;
	else if (!strcmp(arg, "json"))
		*fmt = FORMAT_JSON;
	else
		return -1;
	return 0;
}

/* glibc's argp adds two hidden options to every parser: --HANG, which
 * sleeps for an hour (`--H' reaches it), and --program-name. Options of
 * the same names, first in the tree, refuse them: an exact name comes
 * here, an abbreviation becomes ambiguous, a usage error either way. */
/* --help (-h, and argp's -?), --usage and -V/--version are ours, not
 * argp's (ARGP_NO_HELP): argp ends them with libc's exit(), which inside
 * crash (ARGP_NO_EXIT) it may not call, and without checking that the
 * text was written. */
enum { OPT_TRAP_HANG = 0x7f00, OPT_TRAP_NAME, OPT_TRAP_USAGE, OPT_COMPLETE_OPTIONS,
       OPT_COMPLETE_VALUES };

static const struct argp_option trap_options[] = {
	{ "HANG", OPT_TRAP_HANG, "SECS", OPTION_ARG_OPTIONAL | OPTION_HIDDEN, NULL, 0 },
	{ "program-name", OPT_TRAP_NAME, "NAME", OPTION_HIDDEN, NULL, 0 },
	{ "help", 'h', NULL, 0, "Give this help list", -1 },
	{ NULL, '?', NULL, OPTION_ALIAS | OPTION_HIDDEN, NULL, 0 },
	{ "usage", OPT_TRAP_USAGE, NULL, 0, "Give a short usage message", -1 },
	{ "version", 'V', NULL, 0, "Print program version", -1 },
	/* For the bash completion (completion/ptwalk), from the tables the
	 * command parses with. */
	{ "complete-options", OPT_COMPLETE_OPTIONS, NULL, OPTION_HIDDEN, NULL, 0 },
	{ "complete-values", OPT_COMPLETE_VALUES, "OPTION", OPTION_HIDDEN, NULL, 0 },
	{ 0 }
};

/* Each option of ARGP and its children: "--name=" (takes a value) or
 * "--name", and "-c" for a short one; hidden ones are not offered. */
static void complete_options(const struct argp *argp)
{
	const char *arg = NULL;
	for (const struct argp_option *o = argp->options; o && (o->name || o->key || o->doc); o++) {
		if (!(o->flags & OPTION_ALIAS))
			arg = o->arg;
		/* diff's --a-NAME and --b-NAME are hidden from --help (which
		 * explains them once), not from the completion. */
		bool side = o->name && (!strncmp(o->name, "a-", 2) || !strncmp(o->name, "b-", 2));
		if (((o->flags & OPTION_HIDDEN) && !side) || (!o->name && !o->key))
			continue;
		if (o->name)
			out_printf("--%s%s\n", o->name, arg ? "=" : "");
		if (o->key > 0 && o->key < 0x80 && isalpha(o->key))
			out_printf("-%c\n", o->key);
	}
	for (const struct argp_child *c = argp->children; c && c->argp; c++)
		complete_options(c->argp);
}

const struct argp_option *cli_find_option(const struct argp *argp, const char *name,
					  const struct argp **owner, const char **arg)
{
	const char *a = NULL;
	for (const struct argp_option *o = argp->options; o && (o->name || o->key || o->doc); o++) {
		if (!(o->flags & OPTION_ALIAS))
			a = o->arg;
		bool is_short = !name[1] && o->key == name[0];
		if ((o->name && !strcmp(o->name, name)) || is_short) {
			if (owner)
				*owner = argp;
			if (arg)
				*arg = a;
			return o;
		}
	}
	for (const struct argp_child *c = argp->children; c && c->argp; c++) {
		const struct argp_option *o = cli_find_option(c->argp, name, owner, arg);
		if (o)
			return o;
	}
	return NULL;
}

/* The values OPTION (a name, or a short option's letter) takes in the
 * command STATE parses: a word a line, "@file" for a file name, "@flag"
 * for an option that takes none, "@text" for a value that cannot be
 * listed (a PID, an address), nothing for an unknown option. The command's own lists (-o, --ignore) are those
 * --list-columns and --list-fields print. */
static void complete_values(struct argp_state *state, const char *name)
{
	const char *arg = NULL;
	const char *cmd = strchr(state->name, ' ');
	cmd = cmd ? cmd + 1 : "";
	if (!cli_find_option(state->root_argp, name, NULL, &arg))
		return;
	if (!arg) {
		out_puts("@flag\n");
		return;
	}
	if (!strcmp(arg, "FILE")) {
		out_puts("@file\n");
		return;
	}
	const char *words = "";
	const char *base = strncmp(name, "a-", 2) && strncmp(name, "b-", 2) ? name : name + 2;
	if (!strcmp(base, "arch")) {
		/* "x86_64, arm64, ppc8xx, riscv64" */
		for (const char *p = arch_names(); *p; p++)
			out_write(*p == ',' ? "\n" : p, *p == ' ' ? 0 : 1);
		out_puts("\n");
		return;
	}
	if (!strcmp(base, "format") || !strcmp(base, "F")) {
		if (!strcmp(cmd, "info"))
			words = "text json";
		else if (!strcmp(cmd, "vtop"))
			words = "text json jsonl";
		else if (!strcmp(cmd, "diff"))
			words = "text json jsonl svg html";
		else if (!strcmp(cmd, "map"))
			words = "svg html";
		else if (!strcmp(cmd, "walk"))
			words = "text json jsonl csv ptdump";
		else
			words = "text json jsonl csv";
	} else if (!strcmp(base, "view")) {
		words = "logical physical";
	} else if (!strcmp(base, "page-size")) {
		words = "4K 16K 64K";
	} else if (!strcmp(base, "levels")) {
		words = "2 3 4 5";
	} else if (!strcmp(base, "mmu")) {
		words = "radix hash";
	}
	for (const char *p = words; *p; p++)
		out_write(*p == ' ' ? "\n" : p, 1);
	out_puts(*words ? "\n" : "@text\n");
}

static error_t trap_parse(int key, char *arg, struct argp_state *state)
{
	(void)arg;
	switch (key) {
	case ARGP_KEY_INIT:
		state->child_inputs[0] = state->input;
		return 0;
	case OPT_TRAP_HANG:
		argp_error(state, "unrecognized option '--HANG'");
		return EINVAL;
	case OPT_TRAP_NAME:
		argp_error(state, "unrecognized option '--program-name'");
		return EINVAL;
	case '?':
	case 'h':
	case OPT_TRAP_USAGE:
		argp_state_help(state, stdout, key != OPT_TRAP_USAGE ? ARGP_HELP_STD_HELP & ~ARGP_HELP_EXIT_OK
								    : ARGP_HELP_USAGE);
		out_finish();
		exit(PT_EXIT_OK);
	case 'V':
		out_printf("%s\n", PACKAGE_NAME " " PACKAGE_VERSION);
		out_finish();
		exit(PT_EXIT_OK);
	case OPT_COMPLETE_OPTIONS:
		complete_options(state->root_argp);
		out_finish();
		exit(PT_EXIT_OK);
	case OPT_COMPLETE_VALUES:
		complete_values(state, arg[0] == '-' ? arg + strspn(arg, "-") : arg);
		out_finish();
		exit(PT_EXIT_OK);
	default:
		return ARGP_ERR_UNKNOWN;
	}
}

int parse_args(const struct argp *argp, int argc, char **argv, unsigned flags, void *input)
{
	const struct argp_child children[] = { { argp, 0, NULL, 0 }, { 0 } };
	const struct argp outer = { .options = trap_options, .parser = trap_parse,
				    .children = children };
	int rc = argp_parse(&outer, argc, argv, flags | pt_argp_flags | ARGP_NO_HELP, NULL, input);
	/* argp has said what is wrong with the command line; not when its
	 * own allocation failed. */
	if (rc == ENOMEM)
		x_out_of_memory(0);
	return rc;
}

void command_parse(const struct argp *argp, int argc, char **argv,
		   const char *cmd, void *input)
{
	char name[64];

	snprintf(name, sizeof name, "%s %s", pt_progname, cmd);
	argv[0] = name;
	if (parse_args(argp, argc, argv, 0, input))
		exit(PT_EXIT_USAGE);
	argv[0] = NULL;
}
