/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The command's allocation: out of memory ends the command with one line
 * and PT_EXIT_INTERNAL. The engine (lib code: images, paging, the walk)
 * never uses these; it returns pt_oom() instead. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "xalloc.h"

/* SIZE 0: a library's allocation, its size unknown. */
void x_out_of_memory(size_t size)
{
	if (size)
		fprintf(stderr, "%s: out of memory (allocating %zu bytes)\n", pt_progname, size);
	else
		fprintf(stderr, "%s: out of memory\n", pt_progname);
	exit(PT_EXIT_INTERNAL);
}

void *xmalloc(size_t size)
{
	void *p = malloc(size ? size : 1);
	if (!p)
		x_out_of_memory(size);
	return p;
}

void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);
	if (!p)
		x_out_of_memory(n * size);
	return p;
}

void *xrealloc(void *p, size_t size)
{
	p = realloc(p, size ? size : 1);
	if (!p)
		x_out_of_memory(size);
	return p;
}

void *xreallocarray(void *p, size_t n, size_t size)
{
	if (size && n > SIZE_MAX / size)
		x_out_of_memory(SIZE_MAX);
	return xrealloc(p, n * size);
}

char *xstrdup(const char *s)
{
	char *p = strdup(s);
	if (!p)
		x_out_of_memory(strlen(s) + 1);
	return p;
}
const char *pt_progname = "ptwalk";
