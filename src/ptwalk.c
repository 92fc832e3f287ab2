/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The ptwalk program: the command of src/main.c, which the command-line
 * fuzzer calls in its own process too. */
#include "config.h"

#include "cli.h"

int main(int argc, char **argv)
{
	return ptwalk_main(argc, argv);
}
