/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A minimal TAP producer for ptwalk's C unit tests. */
#ifndef PTWALK_TAP_H
#define PTWALK_TAP_H

#include <stdio.h>

static int tap_count;

/* COND is evaluated exactly once: it often has side effects. */
#define OK(cond, ...) do { \
	int ok_ = !!(cond); \
	tap_count++; \
	printf("%s %d - ", ok_ ? "ok" : "not ok", tap_count); \
	printf(__VA_ARGS__); \
	putchar('\n'); \
	if (!ok_) printf("# failed at %s:%d: %s\n", __FILE__, __LINE__, #cond); \
} while (0)

static int tap_planned = -1;

/* The number of checks the test runs, said first: the TAP driver fails
 * a test that runs fewer (a loop over nothing, an early return). */
static inline void tap_plan(int n)
{
	tap_planned = n;
	printf("1..%d\n", n);
}

static inline int tap_done(void)
{
	if (tap_planned < 0)
		printf("1..%d\n", tap_count);
	return 0;
}

#endif
