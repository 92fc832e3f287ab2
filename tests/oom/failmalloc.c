/* SPDX-License-Identifier: GPL-2.0-or-later */
/* LD_PRELOAD'ed by tests/oom.test: malloc(), calloc(), realloc() (and
 * reallocarray() through it) fail once, at call number FAIL_AT, with
 * ENOMEM; with FAIL_COUNT set the number of calls is written to stderr
 * at exit. Every allocation of the process counts: ptwalk's, glibc's
 * (stdio, argp) and its libraries' (libelf, libkdumpfile). */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

/* glibc's own allocator, under the names it exports for interposers. */
extern void *__libc_malloc(size_t size);
extern void *__libc_calloc(size_t n, size_t size);
extern void *__libc_realloc(void *p, size_t size);

static long calls, fail_at = -1;
static int ready;

static int failing(void)
{
	if (!ready) {
		const char *s = getenv("FAIL_AT");
		ready = 1;
		if (s)
			fail_at = atol(s);
	}
	if (++calls != fail_at)
		return 0;
	errno = ENOMEM;
	return 1;
}

__attribute__((destructor)) static void report(void)
{
	char buf[32];
	if (!getenv("FAIL_COUNT"))
		return;
	int n = snprintf(buf, sizeof buf, "%ld\n", calls);
	if (write(2, buf, (size_t)n) < 0)
		return;
}

void *malloc(size_t size)
{
	return failing() ? NULL : __libc_malloc(size);
}

void *calloc(size_t n, size_t size)
{
	return failing() ? NULL : __libc_calloc(n, size);
}

void *realloc(void *p, size_t size)
{
	return failing() ? NULL : __libc_realloc(p, size);
}

void *reallocarray(void *p, size_t n, size_t size)
{
	if (size && n > (size_t)-1 / size) {
		errno = ENOMEM;
		return NULL;
	}
	return realloc(p, n * size);
}
