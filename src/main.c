/* SPDX-License-Identifier: GPL-2.0-or-later */
/* ptwalk: walk the page tables of Linux memory images.
 * `ptwalk COMMAND [OPTION...] IMAGE'; each command has its own argp. */
#include "config.h"

#include <argp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diff.h"
#include "walk_cli.h"
#include "output.h"

const char *argp_program_version = PACKAGE_NAME " " PACKAGE_VERSION;
error_t argp_err_exit_status = PT_EXIT_USAGE;

struct command {
	const char *name;
	int (*run)(int argc, char **argv);
};

static const struct command commands[] = {
	{ "info", cmd_info },
	{ "read", cmd_read },
	{ "walk", cmd_walk },
	{ "vtop", cmd_vtop },
	{ "check", cmd_check },
	{ "stats", cmd_stats },
	{ "tasks", cmd_tasks },
	{ "diff", cmd_diff },
	{ "map", cmd_map },
};

static const char doc[] =
	"Walk the page tables of Linux memory images: kdump vmcores (ELF and "
	"kdump-compressed), /proc/kcore, raw physical images.\v"
	"Commands:\n"
	"  info     what an image is: format, architecture, paging, kernel root\n"
	"  read     physical memory at an address, as a hex dump\n"
	"  walk     the logical entries of a page table, in VA order\n"
	"  vtop     translate virtual addresses, level by level\n"
	"  check    list the anomalies of a page table\n"
	"  stats    count entries, bytes, table pages and anomalies\n"
	"  tasks    the processes and their page-table roots\n"
	"  diff     compare two walks (images or saved walks)\n"
	"  map      draw an address space, or a diff, as SVG or HTML\n"
	"  help     this list, or a command's options (`ptwalk help COMMAND')\n"
	"\n"
	"`ptwalk COMMAND --help' describes a command's options.\n"
	"Exit status: 0 success, 1 anomalies or differences found, 2 usage error, "
	"3 image unreadable or invalid, 4 output error, 5 internal error.";

struct main_args {
	const struct command *cmd;
	int cmd_index;
	bool help;
};

static const struct command *find_command(const char *name)
{
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++) {
		if (!strcmp(name, commands[i].name))
			return &commands[i];
	}
	return NULL;
}

static error_t main_parse(int key, char *arg, struct argp_state *state)
{
	struct main_args *m = state->input;

	switch (key) {
	case ARGP_KEY_ARG:
		/* `ptwalk help [COMMAND]', as git's: the command's --help. */
		if (!m->help && !strcmp(arg, "help")) {
			m->help = true;
			if (state->next == state->argc) {
				argp_state_help(state, stdout, ARGP_HELP_STD_HELP & ~ARGP_HELP_EXIT_OK);
				out_finish();
				exit(PT_EXIT_OK);
			}
			return 0;
		}
		if (!(m->cmd = find_command(arg)))
			argp_error(state, "unknown command '%s'", arg);
		if (m->help && state->next != state->argc)
			argp_error(state, "help: one COMMAND at most");
		/* The command parses the rest itself. */
		m->cmd_index = state->next - 1;
		state->next = state->argc;
		break;
	case ARGP_KEY_NO_ARGS:
		argp_error(state, "no command given");
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

static const struct argp main_argp = {
	.parser = main_parse,
	.args_doc = "COMMAND [OPTION...] IMAGE",
	.doc = doc,
};

int ptwalk_main(int argc, char **argv)
{
	struct main_args m = { 0 };

	out_init();
	cli_flush_warnings(PT_EXIT_USAGE);	/* none left from an earlier run (fuzz-cli) */
	if (parse_args(&main_argp, argc, argv, ARGP_IN_ORDER, &m) || !m.cmd)
		exit(PT_EXIT_USAGE);
	if (m.help) {
		char help[] = "--help";
		char *args[] = { argv[m.cmd_index], help, NULL };
		return m.cmd->run(2, args);
	}
	int rc = m.cmd->run(argc - m.cmd_index, argv + m.cmd_index);
	cli_flush_warnings(rc);
	return rc;
}
