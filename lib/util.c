/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Errors, allocation and number parsing shared by every part of ptwalk. */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"


/* A message quotes its input (a file name, a VMCOREINFO line, a library's
 * message naming a key read from the file): it stays one line on any
 * terminal, control characters shown as '?'. */
void pt_one_line(char *msg)
{
	for (unsigned char *c = (unsigned char *)msg; *c; c++) {
		if (*c < 0x20 || *c == 0x7f)
			*c = '?';
	}
}

int pt_fail(struct pt_error *err, int exit_code, const char *fmt, ...)
{
	if (err) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(err->msg, sizeof err->msg, fmt, ap);
		va_end(ap);
		pt_one_line(err->msg);
		err->exit_code = exit_code;
	}
	return -1;
}

int pt_prefix(struct pt_error *err, const char *fmt, ...)
{
	char prefix[256], old[sizeof err->msg];
	va_list ap;

	if (!err)
		return -1;
	va_start(ap, fmt);
	vsnprintf(prefix, sizeof prefix, fmt, ap);
	va_end(ap);
	memcpy(old, err->msg, sizeof old);
	/* A message too long for the buffer keeps its beginning. */
	if (snprintf(err->msg, sizeof err->msg, "%s: %s", prefix, old) >= (int)sizeof err->msg)
		err->msg[sizeof err->msg - 1] = '\0';
	pt_one_line(err->msg);
	return -1;
}

int pt_oom(struct pt_error *err, size_t size)
{
	return pt_fail(err, PT_EXIT_INTERNAL, "out of memory (allocating %zu bytes)", size);
}

int pt_grow(void *arrayp, size_t count, size_t size, struct pt_error *err)
{
	/* Full at 8, 16, 32...: the copies grew in place at 1, 2 and 4 too,
	 * shrinking the first 8 to 2 and growing them back. */
	if (count && (count < 8 || (count & (count - 1))))
		return 0;
	size_t n = count ? count * 2 : 8;
	void *old, *p;
	memcpy(&old, arrayp, sizeof old);
	p = reallocarray(old, n, size);
	if (!p)
		return pt_oom(err, n * size);
	memcpy(arrayp, &p, sizeof p);
	return 0;
}

/* "0x" and a hex digit: hexadecimal. */
static bool hex_prefix(const char *s)
{
	return s[0] == '0' && (s[1] == 'x' || s[1] == 'X') && isxdigit((unsigned char)s[2]);
}

/* All of S as a number in BASE: 0, or -1 for anything else. */
static int whole_u64(const char *s, int base, uint64_t *out)
{
	char *end;
	errno = 0;
	unsigned long long v = strtoull(s, &end, base);
	if (errno || *end)
		return -1;
	*out = v;
	return 0;
}

int parse_u64(const char *s, uint64_t *out)
{
	if (!s || !*s || *s == '-' || *s == '+' || *s == ' ')
		return -1;
	/* Decimal or 0x: a leading 0 is no octal. */
	return whole_u64(s, hex_prefix(s) ? 16 : 10, out);
}

int parse_addr(const char *s, uint64_t *out)
{
	if (!s || !isxdigit((unsigned char)*s))
		return -1;
	return whole_u64(hex_prefix(s) ? s + 2 : s, 16, out);
}

int parse_size(const char *s, uint64_t *out)
{
	char *end;
	unsigned long long v;
	unsigned shift = 0;

	if (!s || !*s || *s == '-' || *s == '+' || *s == ' ')
		return -1;
	errno = 0;
	v = strtoull(s, &end, hex_prefix(s) ? 16 : 10);
	if (errno || end == s)
		return -1;
	switch (*end) {
	case '\0': break;
	case 'k': case 'K': shift = 10; end++; break;
	case 'm': case 'M': shift = 20; end++; break;
	case 'g': case 'G': shift = 30; end++; break;
	case 't': case 'T': shift = 40; end++; break;
	default: return -1;
	}
	if (*end == 'i' && shift)
		end++;
	if (*end == 'B' && shift)
		end++;
	if (*end)
		return -1;
	if (shift && v > (UINT64_MAX >> shift))
		return -1;
	*out = (uint64_t)v << shift;
	return 0;
}
