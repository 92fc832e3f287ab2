/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Fuzz libptwalk's reader path, the way crash, drgn and Python callers
 * reach it (ptwalk_open_reader()): the input is image-raw's (a two-byte
 * length, that much VMCOREINFO text, four bytes of the physical address
 * where the memory starts, in 64K units, little-endian, then the
 * memory), served by a read callback that gives short reads at the end
 * of the memory and, when the text's length is odd, fails (-1) every
 * read in the memory's second half, as a debugger's read of a page it
 * does not hold does. The image is opened, its kernel table counted,
 * pulled entry by entry (let go of early) and some of its addresses
 * translated, the processes listed, as a caller of the public API
 * would. Any outcome but a crash, a hang or a leak is fine. */
#include "config.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ptwalk/ptwalk.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct memory {
	const uint8_t *bytes;
	size_t len;
	uint64_t base;
	bool fail_high;
};

static long long fuzz_read(void *arg, uint64_t pa, void *buf, size_t len)
{
	const struct memory *m = arg;
	if (pa < m->base || pa - m->base >= m->len)
		return 0;
	uint64_t off = pa - m->base;
	if (m->fail_high && off >= m->len / 2)
		return -1;
	size_t n = m->len - off < len ? (size_t)(m->len - off) : len;
	memcpy(buf, m->bytes + off, n);
	return (long long)n;
}

static int count_task(void *arg, const struct ptwalk_task *t)
{
	(void)t;
	return ++*(unsigned *)arg >= 64;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 6)
		return 0;
	size_t len = (size_t)data[0] << 8 | data[1];
	if (len > size - 6)
		len = size - 6;
	char *text = malloc(len + 1);
	if (!text)
		abort();
	memcpy(text, data + 2, len);
	text[len] = 0;
	const uint8_t *b = data + 2 + len;
	struct memory m = {
		.bytes = b + 4,
		.len = size - 6 - len,
		.base = (uint64_t)(b[0] | b[1] << 8 | b[2] << 16 | (uint32_t)b[3] << 24) << 16,
		.fail_high = len & 1,
	};
	struct ptwalk_options o = { .size = sizeof o, .vmcoreinfo = text };
	struct ptwalk_error err;
	ptwalk *pw = NULL;
	if (ptwalk_open_reader("fuzz", fuzz_read, &m, &o, &pw, &err) == 0) {
		struct ptwalk_info info;
		ptwalk_get_info(pw, &info);
		struct ptwalk_counts counts;
		ptwalk_count(pw, NULL, &counts, &err);
		/* The first entries pulled, each translated, then let go. */
		ptwalk_iter *it = ptwalk_walk_iter(pw, NULL, &err);
		struct ptwalk_entry e;
		struct ptwalk_translation t;
		for (unsigned i = 0; it && i < 64 && ptwalk_iter_next(it, &e, &err) > 0; i++)
			ptwalk_translate(pw, 0, 0, e.va + e.size / 2, &t, &err);
		ptwalk_iter_free(it);
		unsigned ntasks = 0;
		ptwalk_tasks(pw, NULL, count_task, &ntasks, &err);
		uint8_t buf[64];
		ptwalk_read_phys(pw, m.base + m.len / 3, buf, sizeof buf, &err);
		ptwalk_close(pw);
	}
	free(text);
	return 0;
}
