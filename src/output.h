/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Checked output to stdout. Every write is checked, so that a full disk
 * or a closed pipe ends ptwalk with PT_EXIT_OUTPUT instead of silently
 * losing data. */
#ifndef PTWALK_OUTPUT_H
#define PTWALK_OUTPUT_H

#include <stdint.h>
#include <stdio.h>
#include "common.h"

void out_init(void);
/* Formatted write; on failure reports it and exits PT_EXIT_OUTPUT. */
void out_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void out_write(const void *buf, size_t len);
void out_puts(const char *s);
/* Room for LEN bytes (at most 128 KiB) at the end of the output, to be
 * formatted in place; out_commit() their END. */
char *out_reserve(size_t len);
void out_commit(const char *end);
/* What is buffered, into stdio unchecked: for an exit that skips
 * exit()'s handlers (the crash extension's _exit()). */
void out_drain(void);
/* Flush and check stdout; exits PT_EXIT_OUTPUT on failure. */
void out_finish(void);

/* JSON building blocks (strings escaped per RFC 8259). */
void out_json_string(const char *s);
void out_json_hex(uint64_t v);	/* "0x..." as a string: exact in any reader */
/* ["name",...] for the bits set in MASK, NAMES[i] naming bit i (fixed
 * names: not escaped). */
void out_json_names(uint32_t mask, const char *const *names, unsigned n);

/* -J: one JSON document per command, its items streamed one a line:
 *   {"image":"IMAGE","arch":"ARCH"[,"root":ROOT],"KEY":[
 *   {item}
 *   ,{item}
 *   ]}
 * (the comma leads, so that each item is written whole as it comes);
 * diff's head is "a" and "b", and a summary follows its records.
 * Not on: JSON Lines, each item a line of its own (--format=jsonl). */
struct json_doc {
	bool on;
	bool open, items;
	/* The head's two string members: NAME[i] and VALUE[i] (NULL: null). */
	const char *name[2], *value[2];
	const char *key;		/* the array's key */
	bool root_member;		/* a "root" member: ROOT, or null */
	bool has_root;
	uint64_t root;
};
/* The head of a command's document: the image and its architecture. */
static inline void json_doc_image(struct json_doc *d, const char *image, const char *arch)
{
	d->name[0] = "image";
	d->value[0] = image;
	d->name[1] = "arch";
	d->value[1] = arch;
}
/* Before each item: the document's head when first, a comma after. */
void json_doc_item(struct json_doc *d);
/* After the last item: the head if no item came, then the array's end;
 * the caller adds members, then the document's "}". */
void json_doc_end_items(struct json_doc *d);
/* json_doc_end_items() and the document's end. */
void json_doc_close(struct json_doc *d);

#endif
