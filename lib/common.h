/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Shared definitions: exit codes, error reporting, small helpers. */
#ifndef PTWALK_COMMON_H
#define PTWALK_COMMON_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Exit codes; man/ptwalk.1 documents them and scripts rely on them. */
enum pt_exit {
	PT_EXIT_OK = 0,		/* success */
	PT_EXIT_FOUND = 1,	/* `check' found anomalies, `diff' differences */
	PT_EXIT_USAGE = 2,	/* bad command line */
	PT_EXIT_IMAGE = 3,	/* image unreadable, invalid or unsupported */
	PT_EXIT_OUTPUT = 4,	/* writing the output failed (ENOSPC, EIO...) */
	PT_EXIT_INTERNAL = 5,	/* out of memory or another internal failure */
	/* The reader of standard output went away: the status a shell
	 * gives a command SIGPIPE ended (128 + SIGPIPE), quietly. */
	PT_EXIT_PIPE = 141,
};

/* An error being built: one line, naming the file and what is wrong. */
struct pt_error {
	char msg[512];
	int exit_code;
};

/* Set *err from a format (if err is not NULL) and return -1. */
int pt_fail(struct pt_error *err, int exit_code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Prefix the existing message: "PREFIX: old message". Returns -1. */
int pt_prefix(struct pt_error *err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Control characters in MSG shown as '?': a message quoting its input
 * stays one line on any terminal. */
void pt_one_line(char *msg);

/* The engine's allocation failure: "out of memory (allocating SIZE
 * bytes)" in *ERR, exit code PT_EXIT_INTERNAL. Returns -1. The engine
 * allocates with malloc() and friends and returns this; it never exits. */
int pt_oom(struct pt_error *err, size_t size);
/* Room for element COUNT of the array at *ARRAYP (elements of SIZE
 * bytes) that grows geometrically: to 8 at first, then doubled each time
 * COUNT reaches a power of two. Returns 0, or pt_oom() with the array
 * as it was. */
int pt_grow(void *arrayp, size_t count, size_t size, struct pt_error *err);

/* Parse an unsigned number in C syntax (0x.., decimal) with an optional
 * K/M/G/T suffix (powers of 1024). Returns 0 or -1. */
int parse_u64(const char *s, uint64_t *out);
/* An address, as crash reads them and ptwalk prints them: hexadecimal,
 * with or without 0x. Returns 0, or -1. */
int parse_addr(const char *s, uint64_t *out);
int parse_size(const char *s, uint64_t *out);

static inline bool is_pow2(uint64_t v) { return v && !(v & (v - 1)); }
static inline unsigned ilog2_u64(uint64_t v) { return 63 - __builtin_clzll(v); }

#endif
