/* SPDX-License-Identifier: GPL-2.0-or-later */
/* An image whose physical memory a caller reads: a debugger's (crash's
 * readmem(PHYSADDR), drgn's physical reads) through a callback. No file:
 * the caller names it, and gives the byte order and VMCOREINFO (or the
 * paging facts) the file would have given. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "image-private.h"

struct reader_priv {
	image_read_fn read;
	void *arg;
};

/* The callback's count: every byte, some leading bytes (the rest not
 * in memory), or an error. */
static enum read_status reader_call(struct image *img, uint64_t pa, void *buf, size_t len,
				    size_t *got)
{
	const struct reader_priv *rp = img->priv;
	long long n = rp->read(rp->arg, pa, buf, len);
	if (n < 0) {
		*got = 0;
		snprintf(img->last_error, sizeof img->last_error,
			 "%s: cannot read physical 0x%llx", img->path, (unsigned long long)pa);
		return READ_ERROR;
	}
	*got = (unsigned long long)n < len ? (size_t)n : len;
	return *got == len ? READ_OK : READ_OUTSIDE;
}

static enum read_status reader_read_unit(struct image *img, uint64_t pa, void *buf, size_t *valid)
{
	return reader_call(img, pa, buf, img->unit, valid);
}

/* A unit the callback gave only in part may still hold the range asked
 * for from its middle on: ask for exactly that. */
static enum read_status reader_read_range(struct image *img, uint64_t pa, void *buf, size_t len,
					  size_t *got)
{
	return reader_call(img, pa, buf, len, got);
}

static void reader_close(struct image *img)
{
	free(img->priv);
}

static const struct image_backend reader_backend = {
	.name = "reader",
	.read_unit = reader_read_unit,
	.read_range = reader_read_range,
	.close = reader_close,
};

int image_open_reader(const struct image_reader *r, struct image **out, struct pt_error *err)
{
	struct image *img;

	*out = NULL;
	if (image_new(r->name, &img, err))
		return -1;
	struct reader_priv *rp = calloc(1, sizeof *rp);
	if (!rp) {
		pt_oom(err, sizeof *rp);
		goto fail;
	}
	rp->read = r->read;
	rp->arg = r->arg;
	img->priv = rp;
	img->backend = &reader_backend;
	img->format = IMAGE_READER;
	snprintf(img->format_name, sizeof img->format_name, "reader");
	snprintf(img->compression, sizeof img->compression, "none");
	img->big_endian = r->big_endian;
	img->endian_known = true;
	if (r->vmcoreinfo && image_set_vmcoreinfo(img, r->vmcoreinfo, strlen(r->vmcoreinfo),
						  "caller", err)) {
		pt_prefix(err, "%s: VMCOREINFO", img->path);
		goto fail;
	}
	/* All of physical memory, as far as ptwalk can tell: the callback
	 * says what is not there. */
	if (image_add_range(img, 0, UINT64_MAX, err))
		goto fail;
	if (image_set_page_size(img, img->unit, err))
		goto fail;
	*out = img;
	return 0;
fail:
	image_close(img);
	return -1;
}
