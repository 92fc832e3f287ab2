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

static inline int tap_done(void)
{
	printf("1..%d\n", tap_count);
	return 0;
}

#endif
