/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The command's allocators and name: the engine never exits, the command
 * may, on the one failure it cannot report any other way. */
#ifndef PTWALK_XALLOC_H
#define PTWALK_XALLOC_H

#include <stddef.h>

/* The command's allocation: exits with PT_EXIT_INTERNAL when memory runs
 * out (never used by the engine). */
__attribute__((noreturn)) void x_out_of_memory(size_t size);
void *xmalloc(size_t size);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t size);
void *xreallocarray(void *p, size_t n, size_t size);
char *xstrdup(const char *s);

/* The name error lines start with. */
extern const char *pt_progname;

#endif
