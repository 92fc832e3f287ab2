/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Fuzz the saved-walk reader of `ptwalk diff': the input is a file of
 * JSON Lines as `walk --format=jsonl' writes, or the document of
 * `walk -J', read to its end or its
 * first error, for the whole space, one process, or a range. */
#include "config.h"

#include "fuzz.h"
#include "diff.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	FILE *f = fmemopen((void *)data, size, "r");
	if (!size || !f) {
		if (f)
			fclose(f);
		return 0;
	}
	int32_t pid = data[0] & 1 ? 7 : -1;
	uint64_t start = data[0] & 2 ? 0x400000 : 0;
	struct pt_error err = { 0 };
	struct diff_source *s = diff_source_json(f, "fuzz.jsonl", start, UINT64_MAX, pid,
						 data[0] & 4 ? "one" : NULL, &err);
	const struct diff_entry *e;
	if (!s) {
		fclose(f);
		return 0;
	}
	for (unsigned n = 0; n < 100000 && diff_source_next(s, &e, &err) > 0; n++)
		;
	diff_source_close(s);
	fclose(f);
	return 0;
}
