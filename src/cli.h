/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Command-line plumbing shared by the commands. */
#ifndef PTWALK_CLI_H
#define PTWALK_CLI_H

#include <argp.h>
#include <stdlib.h>
#include "arch.h"
#include "image.h"

/* Flags every argp_parse() of the command adds: 0, or ARGP_NO_EXIT for
 * the command-line fuzzer (tests/fuzz/fuzz-cli.c), which runs ptwalk in
 * its own process and intercepts exit(). A usage error then still ends
 * the command, with exit() (argp_error() has already exited otherwise). */
extern int pt_argp_flags;
#define argp_error(state, ...) (argp_error(state, __VA_ARGS__), exit(PT_EXIT_USAGE))

/* The command: main() is this (src/ptwalk.c), and so is the fuzzer's. */
int ptwalk_main(int argc, char **argv);

/* Options every command that opens an image accepts. */
struct image_cli {
	struct image_options image;
	struct paging_options paging;
	bool quiet;
	/* Commands that decode entries: learn what the kernel's
	 * configuration changes in them from its symbols (kernel_probe()). */
	bool probe_kernel;
	const char *parts[PT_MAX_PARTS];	/* --part */
};

/* argp child parsing struct image_cli; pass it as child input 0. */
extern const struct argp image_cli_argp;

/* Open the image and decide its paging; on failure print the error and
 * return its exit code (the image is NULL then). */
int image_cli_open(struct image_cli *cli, struct image **img, struct paging *pg);
/* As image_cli_open(), for commands that need only physical memory (read,
 * info): where the image's paging cannot be decoded (a machine ptwalk has
 * no page tables for, arm64 without a page size) and no paging option
 * (--arch, --page-size, --va-bits, --levels, --page-offset) asked for
 * one, the image still opens, PG->arch is NULL and WHY (WHYSZ bytes)
 * says what stopped the decoding. */
int image_cli_open_physical(struct image_cli *cli, struct image **img, struct paging *pg,
			    char *why, size_t whysz);
/* Inside a host (crash, src/host.h): whether PATH names the host's
 * memory (the command line's IMAGE there), and whether IMG was opened on
 * it. The one test of each, wherever the command asks. */
bool cli_path_is_host(const char *path);
bool cli_image_is_host(const struct image *img);
/* Warnings about an image are said once the command has run, and only if
 * it ran (exit 0 or 1): an error stays the one line on stderr. */
void cli_warn_later(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void cli_flush_warnings(int exit_code);
/* Print "ptwalk: MESSAGE" on stderr, on one line. */
void pt_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Whether to show progress: on a terminal's stderr, unless QUIET, and
 * only where it cannot land inside the output (stdout not a terminal,
 * not inside crash, whose output shares the terminal). */
bool cli_progress_wanted(bool quiet);
/* walk_params.on_progress for a terminal: one line on stderr, rewritten
 * in place, cleared at the end. */
void cli_progress(void *arg, uint64_t va, uint64_t tables, bool done);

/* -o LIST, given again: the lists add up, as util-linux's do ("-o +kind
 * -o +pfn" is "-o +kind,pfn"). BUF (SIZE bytes) holds them; PREV is the
 * list so far (BUF, or NULL). Returns BUF, or NULL when they do not fit. */
const char *cli_columns_add(char *buf, size_t size, const char *prev, const char *arg);

enum output_format { FORMAT_TEXT, FORMAT_JSON };
/* Parse --format=NAME; returns 0 or -1. */
int parse_output_format(const char *arg, enum output_format *fmt);

/* The option NAME (a long name, or a short option's letter) in ARGP or
 * its children; *OWNER the argp that has it and *ARG the value it takes
 * (an alias's, its original's; NULL: none), where not NULL. */
const struct argp_option *cli_find_option(const struct argp *argp, const char *name,
					  const struct argp **owner, const char **arg);
/* argp_parse() of ARGP without glibc's hidden --HANG and --program-name;
 * FLAGS as argp_parse() takes them. */
int parse_args(const struct argp *argp, int argc, char **argv, unsigned flags, void *input);

/* Run argp for a command; "ptwalk CMD" shows in its usage and errors. */
void command_parse(const struct argp *argp, int argc, char **argv,
		   const char *cmd, void *input);

int cmd_info(int argc, char **argv);
int cmd_read(int argc, char **argv);

#endif
